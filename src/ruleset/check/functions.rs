//! Calls to functions that nobody defines, with the nearest name there is, and
//! calls with a number of arguments no overload of the function takes. Also where
//! the literal arguments of helper calls are found and handed to `arguments.rs`.

use super::arguments::{vocabulary_of, Vocabulary};
use super::suggest::closest;
use super::{Checker, Found};
use crate::script::{Stage, BOUNDED, REFUSED};
use rhai::{ASTNode, Engine, Expr, FnCallExpr, ParseErrorType, Position, Stmt, AST};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// The engine's function metadata, as far as the checks read it.
#[derive(Debug, Deserialize)]
struct Metadata {
    #[serde(default)]
    functions: Vec<FunctionMetadata>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FunctionMetadata {
    name: String,
    #[serde(default)]
    params: Vec<ParamMetadata>,
}

#[derive(Debug, Deserialize)]
struct ParamMetadata {
    #[serde(default)]
    name: String,
}

/// The functions of the engine scripts run on, as the checks read them.
pub(super) struct EngineFunctions {
    /// Every function name the engine knows (helpers and Rhai's packages), from its
    /// signatures.
    known: BTreeSet<String>,
    /// The number of arguments each overload of each function takes, the object of
    /// a method call counted as the first.
    arities: BTreeMap<String, BTreeSet<usize>>,
    /// Each helper overload's parameter names (the functions hds registers, not
    /// Rhai's packages).
    helpers: Vec<(String, Vec<String>)>,
    /// The names Rhai's packages define (some helpers too).
    builtins: BTreeSet<String>,
}

impl EngineFunctions {
    /// The functions of `engine`, from its signatures and its function metadata.
    pub(super) fn of(engine: &Engine) -> Self {
        // Signatures (`pad(array: &mut Array, len: i64, item: T) -> ()`) give
        // every overload's name and count; the metadata of Rhai's packages, with
        // their documentation, costs far more to make and is not needed.
        let signatures = engine.gen_fn_signatures(true);
        let known = signatures
            .iter()
            .filter_map(|s| s.split_once('(').map(|(name, _)| name.to_string()))
            .collect();
        let helpers: Vec<(String, Vec<String>)> = engine
            .gen_fn_metadata_to_json(false)
            .ok()
            .and_then(|j| serde_json::from_str::<Metadata>(&j).ok())
            .map(|m| m.functions)
            .unwrap_or_default()
            .into_iter()
            // The sandbox's replacements of Rhai's own functions (bounded,
            // refused) are not helpers: they keep the built-ins' forms.
            .filter(|f| !BOUNDED.contains(&f.name.as_str()) && !REFUSED.contains(&f.name.as_str()))
            .map(|f| (f.name, f.params.into_iter().map(|p| p.name).collect()))
            .collect();
        let mut arities: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        let mut overloads: BTreeMap<String, usize> = BTreeMap::new();
        for (name, count) in signatures.iter().filter_map(|s| name_and_count(s)) {
            *overloads.entry(name.to_string()).or_default() += 1;
            arities.entry(name.to_string()).or_default().insert(count);
        }
        for (name, _) in &helpers {
            if let Some(n) = overloads.get_mut(name) {
                *n = n.saturating_sub(1);
            }
        }
        let builtins = overloads
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(name, _)| name)
            .collect();
        EngineFunctions {
            known,
            arities,
            helpers,
            builtins,
        }
    }
}

/// A signature's function name and its number of parameters, counting commas
/// outside brackets between its parentheses.
fn name_and_count(signature: &str) -> Option<(&str, usize)> {
    let (name, rest) = signature.split_once('(')?;
    let mut depth = 0usize;
    let (mut commas, mut any) = (0usize, false);
    for c in rest.chars() {
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' if depth == 0 => return Some((name, if any { commas + 1 } else { 0 })),
            ')' | '>' | ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => commas += 1,
            c if !c.is_whitespace() => any = true,
            _ => {}
        }
        if !c.is_whitespace() && c != ',' {
            any = true;
        }
    }
    None
}

/// The functions a script defines: each name with the parameter names of each of
/// its overloads.
type Defined = BTreeMap<String, Vec<Vec<String>>>;

/// `1`, `1 or 2`, `1, 2 or 3`.
fn either(counts: &BTreeSet<usize>) -> String {
    let words: Vec<String> = counts.iter().map(usize::to_string).collect();
    match words.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

impl Checker<'_> {
    /// Function names and literal helper arguments, anywhere in the script; in a
    /// deadline script also `calendar: "…"` in any map literal.
    pub(super) fn check_calls(&self, ast: &AST, stage: Stage, found: &mut Vec<Found>) {
        let defined: Defined = ast.iter_functions().fold(BTreeMap::new(), |mut m, f| {
            m.entry(f.name.to_string())
                .or_default()
                .push(f.params.iter().map(|p| p.to_string()).collect());
            m
        });
        ast.walk(&mut |path: &[ASTNode]| {
            match path.last() {
                Some(ASTNode::Expr(Expr::FnCall(call, pos)))
                | Some(ASTNode::Stmt(Stmt::FnCall(call, pos))) => {
                    self.check_call(call, *pos, 0, &defined, found)
                }
                Some(ASTNode::Expr(Expr::MethodCall(call, pos))) => {
                    self.check_call(call, *pos, 1, &defined, found)
                }
                Some(ASTNode::Stmt(Stmt::Import(_, pos))) => found.push((
                    *pos,
                    "import",
                    "`import` is not allowed: rule scripts are sandboxed and load no modules; expected the helpers (rules/API.md) and this file's own functions".to_string(),
                )),
                Some(ASTNode::Expr(Expr::Map(map, _))) if stage == Stage::Deadline => {
                    for (key, value) in &map.0 {
                        if key.name == "calendar" {
                            if let Expr::StringConstant(name, pos) = value {
                                self.check_literal(Vocabulary::Calendar, name, *pos, found);
                            }
                        }
                    }
                }
                _ => {}
            }
            true
        });
    }

    /// One call; `receiver` is 1 for a method call (its object is the first
    /// argument of a helper or built-in, and `this` in a function of the script).
    fn check_call(
        &self,
        call: &FnCallExpr,
        pos: Position,
        receiver: usize,
        defined: &Defined,
        found: &mut Vec<Found>,
    ) {
        if call.is_operator_call() || call.is_qualified() {
            return;
        }
        let name = call.name.as_str();
        let arity = call.args.len() + receiver;
        if name == "Fn" {
            self.check_function_pointer(call, defined, found);
        }
        let own = defined.get(name);
        if own.is_some_and(|o| o.iter().any(|params| params.len() == call.args.len())) {
            // The script's own function: its arguments mean what it says.
            return;
        }
        let engine = self.functions.arities.get(name);
        if own.is_none() && !self.functions.known.contains(name) && !self.is_keyword(name) {
            found.push((
                pos,
                "unknown-function",
                self.unknown_function(name, defined),
            ));
            return;
        }
        if (own.is_some() || engine.is_some())
            && !engine.is_some_and(|a| a.contains(&arity))
            && !self.is_keyword(name)
        {
            found.push((
                pos,
                "wrong-argument-count",
                self.wrong_count(name, arity, receiver, own, engine),
            ));
            return;
        }
        for (i, arg) in call.args.iter().enumerate() {
            let Expr::StringConstant(value, at) = arg else {
                continue;
            };
            let vocabulary = self
                .functions
                .helpers
                .iter()
                .filter(|(n, params)| n == name && params.len() == arity)
                .find_map(|(_, params)| {
                    params
                        .get(i + receiver)
                        .and_then(|p| vocabulary_of(name, p))
                });
            if let Some(v) = vocabulary {
                self.check_literal(v, value, *at, found);
            }
        }
    }

    /// A call to `name` with `given` arguments (counting a method call's object),
    /// which no overload takes: every count there is, and the signatures of the
    /// script's own functions and of the helpers of that name.
    fn wrong_count(
        &self,
        name: &str,
        given: usize,
        receiver: usize,
        own: Option<&Vec<Vec<String>>>,
        engine: Option<&BTreeSet<usize>>,
    ) -> String {
        let own = own.map(Vec::as_slice).unwrap_or_default();
        // A method call gives a function of the script its object as `this`.
        let counts: BTreeSet<usize> = engine
            .into_iter()
            .flatten()
            .copied()
            .chain(own.iter().map(|params| params.len() + receiver))
            .collect();
        let mut own: Vec<&Vec<String>> = own.iter().collect();
        own.sort_by_key(|params| (params.len(), params.as_slice()));
        let mut signatures: Vec<String> = own
            .iter()
            .map(|params| format!("`fn {name}({})` in this file", params.join(", ")))
            .collect();
        let helpers: Vec<String> = self
            .functions
            .helpers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, params)| format!("`{name}({})`", params.join(", ")))
            .collect();
        if !helpers.is_empty() {
            signatures.push(format!("{} (rules/API.md)", helpers.join(", ")));
        }
        if self.functions.builtins.contains(name) {
            let or = if signatures.is_empty() { "" } else { "or " };
            signatures.push(format!("{or}Rhai's built-in `{name}`"));
        }
        let plural = |n: &BTreeSet<usize>| {
            if n.len() == 1 && n.contains(&1) {
                ""
            } else {
                "s"
            }
        };
        let object = if receiver > 0 {
            if own.is_empty() {
                ", counting the value before the dot"
            } else {
                ", counting the value before the dot (a function of this file called as `value.f(…)` gets it as `this`)"
            }
        } else {
            ""
        };
        format!(
            "`{name}` is called with {given} argument{}{object}; expected {} argument{}: {}",
            plural(&BTreeSet::from([given])),
            either(&counts),
            plural(&counts),
            signatures.join(", ")
        )
    }

    /// `Fn("name")`: the function it points to must exist and be one scripts may
    /// call; `Fn("eval")` would get round the sandbox.
    fn check_function_pointer(&self, call: &FnCallExpr, defined: &Defined, found: &mut Vec<Found>) {
        let Some(Expr::StringConstant(target, at)) = call.args.first() else {
            return;
        };
        let target = target.as_str();
        if target == "eval" || REFUSED.contains(&target) {
            found.push((
                *at,
                "refused-function",
                format!("`Fn(\"{target}\")`: `{target}` is not available to rule scripts (sandbox); expected a helper (rules/API.md) or a function this file defines"),
            ));
        } else if !defined.contains_key(target)
            && !self.functions.known.contains(target)
            && !self.is_keyword(target)
        {
            found.push((
                *at,
                "unknown-function",
                self.unknown_function(target, defined),
            ));
        }
    }

    /// Rhai's keyword functions (`type_of`, `Fn`, `call`, `print`…), which its
    /// function metadata leaves out: the names its parser refuses to define.
    fn is_keyword(&self, name: &str) -> bool {
        match self.parser.compile(format!("fn {name}() {{}}")) {
            Ok(_) => false,
            Err(e) => matches!(e.err_type(), ParseErrorType::Reserved(_)),
        }
    }

    fn unknown_function(&self, name: &str, defined: &Defined) -> String {
        let candidates = self
            .functions
            .known
            .iter()
            .chain(defined.keys())
            .map(String::as_str)
            .filter(|n| {
                rhai::is_valid_identifier(n) && !n.starts_with("anon$") && !REFUSED.contains(n)
            });
        let hint = match closest(name, candidates) {
            Some(c) => format!("; did you mean `{c}`?"),
            None => ";".to_string(),
        };
        format!(
            "unknown function `{name}`{hint} expected a function this script defines, a helper (rules/API.md) or a Rhai built-in"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_gives_its_name_and_parameter_count() {
        assert_eq!(name_and_count("len(map: Map) -> i64"), Some(("len", 1)));
        assert_eq!(name_and_count("purposes() -> Array"), Some(("purposes", 0)));
        assert_eq!(
            name_and_count("pad(array: &mut Array, len: i64, item: T)"),
            Some(("pad", 3))
        );
        assert_eq!(name_and_count("f(_, _)"), Some(("f", 2)));
        assert_eq!(
            name_and_count("g(a: HashMap<String, i64>, b: Fn(i64, i64)) -> Result<(), Box<E>>"),
            Some(("g", 2))
        );
        assert_eq!(name_and_count("broken(a, b"), None);
    }

    #[test]
    fn the_counts_from_signatures_are_those_of_the_engine_metadata() {
        let rules = crate::RuleSet::built_in().expect("the built-in rule set loads");
        let engine = rules.compiled.engine();
        let functions = EngineFunctions::of(engine);
        #[derive(Deserialize)]
        struct Full {
            functions: Vec<Counted>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Counted {
            name: String,
            num_params: usize,
        }
        let json = engine.gen_fn_metadata_to_json(true).expect("metadata");
        let full: Full = serde_json::from_str(&json).expect("metadata reads");
        let mut arities: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        for f in full.functions {
            arities.entry(f.name).or_default().insert(f.num_params);
        }
        assert_eq!(functions.arities, arities);
    }
}
