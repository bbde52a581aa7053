//! Calls to functions that nobody defines, with the nearest name there is, and the
//! did-you-mean every message of the checks offers. Also where the literal
//! arguments of helper calls are found and handed to `arguments.rs`.

use super::arguments::{vocabulary_of, Vocabulary};
use super::suggest::closest;
use super::{Checker, Found};
use crate::script::{Stage, REFUSED};
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

/// Every function name the engine knows (helpers and Rhai's packages), from its
/// signatures, and each helper overload's parameter names, from its metadata.
pub(super) fn engine_functions(engine: &Engine) -> (BTreeSet<String>, Vec<(String, Vec<String>)>) {
    let known = engine
        .gen_fn_signatures(true)
        .into_iter()
        .filter_map(|s| s.split_once('(').map(|(name, _)| name.to_string()))
        .collect();
    let helpers = engine
        .gen_fn_metadata_to_json(false)
        .ok()
        .and_then(|j| serde_json::from_str::<Metadata>(&j).ok())
        .map(|m| m.functions)
        .unwrap_or_default()
        .into_iter()
        .map(|f| (f.name, f.params.into_iter().map(|p| p.name).collect()))
        .collect();
    (known, helpers)
}

impl Checker<'_> {
    /// Function names and literal helper arguments, anywhere in the script; in a
    /// deadline script also `calendar: "…"` in any map literal.
    pub(super) fn check_calls(&self, ast: &AST, stage: Stage, found: &mut Vec<Found>) {
        let defined: BTreeMap<String, BTreeSet<usize>> =
            ast.iter_functions().fold(BTreeMap::new(), |mut m, f| {
                m.entry(f.name.to_string())
                    .or_insert_with(BTreeSet::new)
                    .insert(f.params.len());
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
    /// argument).
    fn check_call(
        &self,
        call: &FnCallExpr,
        pos: Position,
        receiver: usize,
        defined: &BTreeMap<String, BTreeSet<usize>>,
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
        if let Some(arities) = defined.get(name) {
            if arities.contains(&arity) {
                // The script's own function: its arguments mean what it says.
                return;
            }
        } else if !self.known.contains(name) && !self.is_keyword(name) {
            found.push((
                pos,
                "unknown-function",
                self.unknown_function(name, defined),
            ));
            return;
        }
        for (i, arg) in call.args.iter().enumerate() {
            let Expr::StringConstant(value, at) = arg else {
                continue;
            };
            let vocabulary = self
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

    /// `Fn("name")`: the function it points to must exist and be one scripts may
    /// call; `Fn("eval")` would get round the sandbox.
    fn check_function_pointer(
        &self,
        call: &FnCallExpr,
        defined: &BTreeMap<String, BTreeSet<usize>>,
        found: &mut Vec<Found>,
    ) {
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
            && !self.known.contains(target)
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

    fn unknown_function(&self, name: &str, defined: &BTreeMap<String, BTreeSet<usize>>) -> String {
        let candidates = self
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
