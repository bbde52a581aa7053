//! The static checks of rule scripts, made on their syntax trees when a rule set
//! loads (and so by `hds check`): calls to functions that nobody defines, literal
//! helper arguments that name something that does not exist (a setting, calendar,
//! custodian, attachment kind or finding severity), fields of the application and
//! of its sources that the contract does not have, and keys a deadline result may
//! not carry. Each problem is an error placed at its node's line and column.
//!
//! Scripts are parsed again here without optimisation, so that every node stays
//! where it was written (the optimiser folds constant maps and removes dead code).

use crate::calendar::file::CalendarSet;
use crate::catalog::Catalog;
use crate::error::Diagnostic;
use crate::model::application::{Applicant, AttachmentKind, Project};
use crate::model::decision::Severity;
use crate::ruleset::settings::Settings;
use crate::script::view::{SCRIPT_FIELDS, SOURCE_FIELDS};
use crate::script::{sandboxed_engine, Limits, Stage, REFUSED};
use rhai::{
    ASTFlags, ASTNode, Engine, Expr, FnCallExpr, OptimizationLevel, ParseErrorType, Position, Stmt,
    StmtBlock, AST,
};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// What the literal arguments of helpers are checked against; `None` where that
/// file did not load (its own errors are reported instead).
#[derive(Debug, Clone, Copy, Default)]
pub struct Vocabularies<'a> {
    /// settings.yaml: the paths `setting("…")` may name.
    pub settings: Option<&'a Settings>,
    /// The calendars a `calendar` argument may name.
    pub calendars: Option<&'a CalendarSet>,
    /// The catalog, whose custodians a `custodian` argument may name.
    pub catalog: Option<&'a Catalog>,
}

/// What a literal string argument of a helper names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vocabulary {
    Setting,
    Calendar,
    Custodian,
    AttachmentKind,
    Severity,
}

/// The vocabulary of a helper's parameter, by the name it is registered with in
/// `script/helpers.rs` (so a new helper with a `calendar` parameter is checked too).
fn vocabulary_of(function: &str, param: &str) -> Option<Vocabulary> {
    match (function, param) {
        ("setting", "path") => Some(Vocabulary::Setting),
        (_, "calendar") => Some(Vocabulary::Calendar),
        (_, "custodian") => Some(Vocabulary::Custodian),
        (_, "kind") => Some(Vocabulary::AttachmentKind),
        (_, "severity") => Some(Vocabulary::Severity),
        _ => None,
    }
}

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
fn engine_functions(engine: &Engine) -> (BTreeSet<String>, Vec<(String, Vec<String>)>) {
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

/// Checks rule scripts against the engine they run in and the rule set's data.
pub struct Checker<'a> {
    /// The sandbox's parser, without optimisation.
    parser: Engine,
    known: BTreeSet<String>,
    helpers: Vec<(String, Vec<String>)>,
    vocabularies: Vocabularies<'a>,
}

/// A problem found, before it is placed in a file.
type Found = (Position, String);

impl<'a> Checker<'a> {
    /// A checker for scripts run by `engine` (whose functions are the known ones).
    pub fn new(engine: &Engine, limits: &Limits, vocabularies: Vocabularies<'a>) -> Self {
        let mut parser = sandboxed_engine(limits);
        parser.set_optimization_level(OptimizationLevel::None);
        let (known, helpers) = engine_functions(engine);
        Checker {
            parser,
            known,
            helpers,
            vocabularies,
        }
    }

    /// Every problem of one stage script, in the order of their positions.
    pub fn check(&self, stage: Stage, display: &str, text: &str) -> Vec<Diagnostic> {
        let ast = match self.parser.compile(text) {
            Ok(ast) => ast,
            Err(e) => {
                let pos = e.position();
                return vec![Diagnostic::error(display, e.err_type().to_string())
                    .at(pos.line(), pos.position())];
            }
        };
        let mut found = Vec::new();
        self.check_calls(&ast, stage, &mut found);
        self.check_fields_and_results(&ast, stage, &mut found);
        let mut placed: Vec<(usize, usize, String)> = found
            .into_iter()
            .map(|(pos, message)| {
                (
                    pos.line().unwrap_or(0),
                    pos.position().unwrap_or(0),
                    message,
                )
            })
            .collect();
        placed.sort();
        placed.dedup();
        placed
            .into_iter()
            .map(|(line, column, message)| {
                Diagnostic::error(display, message)
                    .at((line > 0).then_some(line), (column > 0).then_some(column))
            })
            .collect()
    }

    /// Function names and literal helper arguments, anywhere in the script; in a
    /// deadline script also `calendar: "…"` in any map literal.
    fn check_calls(&self, ast: &AST, stage: Stage, found: &mut Vec<Found>) {
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
        if let Some(arities) = defined.get(name) {
            if arities.contains(&arity) {
                // The script's own function: its arguments mean what it says.
                return;
            }
        } else if !self.known.contains(name) && !self.is_keyword(name) {
            found.push((pos, self.unknown_function(name, defined)));
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

    /// A literal argument against its vocabulary.
    fn check_literal(
        &self,
        vocabulary: Vocabulary,
        value: &str,
        pos: Position,
        found: &mut Vec<Found>,
    ) {
        let problem = match vocabulary {
            Vocabulary::Setting => self.vocabularies.settings.and_then(|settings| {
                settings.get(value).is_none().then(|| {
                    let keys = settings.leaf_paths();
                    format!(
                        "setting '{value}' is not in {}{} expected one of: {}",
                        settings.display(),
                        did_you_mean(value, keys.iter().map(String::as_str)),
                        keys.join(", ")
                    )
                })
            }),
            Vocabulary::Calendar => self.vocabularies.calendars.and_then(|calendars| {
                calendars.get(value).is_none().then(|| {
                    format!(
                        "calendar '{value}' does not exist{} expected one of: {}",
                        did_you_mean(value, calendars.names()),
                        calendars.names().collect::<Vec<_>>().join(", ")
                    )
                })
            }),
            Vocabulary::Custodian => self.vocabularies.catalog.and_then(|catalog| {
                catalog.custodian(value).is_none().then(|| {
                    format!(
                        "custodian '{value}' is not in the catalog{} expected one of: {}",
                        did_you_mean(value, catalog.custodian_ids()),
                        catalog.custodian_ids().collect::<Vec<_>>().join(", ")
                    )
                })
            }),
            Vocabulary::AttachmentKind => {
                let kinds = attachment_kinds();
                (!kinds.contains(&value)).then(|| {
                    format!(
                        "attachment kind '{value}' does not exist{} expected one of: {}",
                        did_you_mean(value, kinds.iter().copied()),
                        kinds.join(", ")
                    )
                })
            }
            Vocabulary::Severity => Severity::parse(value).is_none().then(|| {
                let all = severities();
                format!(
                    "finding severity '{value}' does not exist{} expected one of: {}",
                    did_you_mean(value, all.iter().copied()),
                    all.join(", ")
                )
            }),
        };
        if let Some(message) = problem {
            found.push((pos, message));
        }
    }

    /// Fields read from the application and its sources, and the maps a deadline
    /// function returns. Rhai hands out function bodies only through `AST::walk`,
    /// one top-level statement at a time; each statement is given to the function
    /// whose body holds its position most closely (closures are functions too).
    fn check_fields_and_results(&self, ast: &AST, stage: Stage, found: &mut Vec<Found>) {
        let functions: Vec<FunctionSpan> = ast
            .iter_fn_def()
            .map(|f| {
                let start = place(f.body.start_position());
                let end = place(f.body.end_position());
                let is_stage =
                    f.name.as_str() == stage.name() && f.params.len() == stage.params().len();
                FunctionSpan {
                    start,
                    end: if end == (0, 0) { start } else { end },
                    env: f
                        .params
                        .iter()
                        .enumerate()
                        .map(|(i, p)| {
                            let contract = stage.params().get(i).filter(|_| is_stage);
                            let kind = match contract.copied() {
                                Some("app") => Kind::App,
                                Some("sources") => Kind::Sources,
                                _ => Kind::Other,
                            };
                            (p.to_string(), kind)
                        })
                        .collect(),
                    results: is_stage && !stage.result_keys().is_empty(),
                }
            })
            .collect();
        let top_level = ast.statements().len();
        let mut seen = 0;
        let mut current: Option<(Option<usize>, (usize, usize))> = None;
        let mut scope = Scope::new(stage, Vec::new(), false);
        ast.walk(&mut |path: &[ASTNode]| {
            let [ASTNode::Stmt(stmt)] = path else {
                return true;
            };
            let at = place(stmt.position());
            let owner = if seen < top_level {
                seen += 1;
                None
            } else if at == (0, 0) {
                // A statement with no position (nothing to check) stays where it is.
                current.and_then(|(owner, _)| owner)
            } else {
                functions
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.start <= at && at <= f.end)
                    .max_by_key(|(_, f)| f.start)
                    .map(|(i, _)| i)
            };
            let same =
                matches!(current, Some((o, last)) if o == owner && (last < at || at == (0, 0)));
            if !same {
                scope.finish(found);
                let (env, results) = match owner.and_then(|i| functions.get(i)) {
                    Some(f) => (f.env.clone(), f.results),
                    None => (Vec::new(), false),
                };
                scope = Scope::new(stage, env, results);
            }
            if at != (0, 0) {
                current = Some((owner, at));
            }
            scope.statement(stmt, found);
            scope.tail = if scope.results {
                tail_maps(stmt)
            } else {
                Vec::new()
            };
            true
        });
        scope.finish(found);
    }
}

/// A script function's body span, its parameters' kinds, and whether the maps it
/// returns are stage results.
struct FunctionSpan {
    start: (usize, usize),
    end: (usize, usize),
    env: Vec<(String, Kind)>,
    results: bool,
}

fn place(pos: Position) -> (usize, usize) {
    (pos.line().unwrap_or(0), pos.position().unwrap_or(0))
}

/// What a value in a script is known to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Other,
    App,
    Project,
    Applicant,
    /// A list of sources: the `sources` parameter, `app.sources`.
    Sources,
    Source,
}

impl Kind {
    /// What the value is called in messages, and the fields it has (`None`: not
    /// known, e.g. `app.extra`).
    fn fields(self) -> Option<(&'static str, Vec<String>)> {
        let names = |fields: &[(&str, &str)]| fields.iter().map(|(f, _)| f.to_string()).collect();
        match self {
            Kind::App => Some(("the application (`app`)", names(SCRIPT_FIELDS))),
            Kind::Source => Some(("a source", names(SOURCE_FIELDS))),
            Kind::Project => Some(("`app.project`", serde_fields::<Project>())),
            Kind::Applicant => Some(("`app.applicant`", serde_fields::<Applicant>())),
            Kind::Other | Kind::Sources => None,
        }
    }

    fn field(self, name: &str) -> Kind {
        match (self, name) {
            (Kind::App, "project") => Kind::Project,
            (Kind::App, "applicant") => Kind::Applicant,
            (Kind::App, "sources") => Kind::Sources,
            _ => Kind::Other,
        }
    }

    fn element(self) -> Kind {
        match self {
            Kind::Sources => Kind::Source,
            _ => Kind::Other,
        }
    }
}

/// The fields of a contract map as scripts see it: the keys of its serde form
/// (the script view converts it with serde, absent values included as `()`).
fn serde_fields<T: Default + serde::Serialize>() -> Vec<String> {
    serde_json::to_value(T::default())
        .ok()
        .and_then(|v| v.as_object().map(|o| o.keys().cloned().collect()))
        .unwrap_or_default()
}

/// Every attachment kind, as scripts write it. The match is exhaustive, so a new
/// kind does not compile until it is listed here.
fn attachment_kinds() -> Vec<&'static str> {
    use AttachmentKind::{Other, SampleTable, VariableList};
    [SampleTable, VariableList, Other]
        .into_iter()
        .map(|k| match k {
            SampleTable | VariableList | Other => k.as_str(),
        })
        .collect()
}

/// Every finding severity, as scripts write it; exhaustive like the kinds above.
fn severities() -> Vec<&'static str> {
    use Severity::{Error, Info, Warning};
    [Info, Warning, Error]
        .into_iter()
        .map(|s| match s {
            Info | Warning | Error => s.as_str(),
        })
        .collect()
}

/// The candidate nearest to `word` by edit distance, if near enough to be a slip.
fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (strsim::osa_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// `; did you mean 'x'?` or `;`, to go before "expected …".
fn did_you_mean<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> String {
    match closest(word, candidates) {
        Some(c) => format!("; did you mean '{c}'?"),
        None => ";".to_string(),
    }
}

/// The keys of a map literal a stage function returns, with their positions.
type ResultKeys = Vec<(String, Position)>;

/// The map literals a statement yields when it is the last of a function body.
fn tail_maps(stmt: &Stmt) -> Vec<ResultKeys> {
    match stmt {
        Stmt::Expr(e) => tail_expr(e),
        Stmt::Block(block) => tail_block(block),
        Stmt::If(flow, _) => {
            let mut out = tail_block(&flow.body);
            out.extend(tail_block(&flow.branch));
            out
        }
        Stmt::Switch(switch, _) => switch
            .1
            .expressions
            .iter()
            .flat_map(|case| tail_expr(&case.rhs))
            .collect(),
        _ => Vec::new(),
    }
}

fn tail_block(block: &StmtBlock) -> Vec<ResultKeys> {
    block.statements().last().map(tail_maps).unwrap_or_default()
}

fn tail_expr(expr: &Expr) -> Vec<ResultKeys> {
    match expr {
        Expr::Map(map, _) => vec![map
            .0
            .iter()
            .map(|(key, _)| (key.name.to_string(), key.pos))
            .collect()],
        Expr::Stmt(block) => tail_block(block),
        _ => Vec::new(),
    }
}

/// The variables in scope at a point of one function body, with what each is
/// known to be; checks field reads and, in a stage function, returned maps.
struct Scope {
    stage: Stage,
    env: Vec<(String, Kind)>,
    /// Whether maps returned here are the stage's result.
    results: bool,
    /// The maps the last statement seen yields, should it be the last of the body.
    tail: Vec<ResultKeys>,
}

impl Scope {
    fn new(stage: Stage, env: Vec<(String, Kind)>, results: bool) -> Self {
        Scope {
            stage,
            env,
            results,
            tail: Vec::new(),
        }
    }

    /// The function body ended: its last statement's maps are results.
    fn finish(&mut self, found: &mut Vec<Found>) {
        for keys in std::mem::take(&mut self.tail) {
            self.check_result(&keys, found);
        }
    }

    fn check_result(&self, keys: &ResultKeys, found: &mut Vec<Found>) {
        let allowed = self.stage.result_keys();
        for (key, pos) in keys {
            if !allowed.contains(&key.as_str()) {
                found.push((
                    *pos,
                    format!(
                        "`{}` returns a map with key `{key}`, which the {} stage does not know{} expected any of: {}",
                        self.stage.signature(),
                        self.stage.name(),
                        did_you_mean(key, allowed.iter().copied()).replace('\'', "`"),
                        allowed.join(", ")
                    ),
                ));
            }
        }
    }

    fn kind_of(&self, name: &str) -> Kind {
        self.env
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map_or(Kind::Other, |(_, k)| *k)
    }

    /// After an assignment or a method call that may change it, nothing is known
    /// about the variable any more.
    fn forget(&mut self, name: &str) {
        if let Some(entry) = self.env.iter_mut().rev().find(|(n, _)| n == name) {
            entry.1 = Kind::Other;
        }
    }

    fn scoped(&mut self, found: &mut Vec<Found>, f: impl FnOnce(&mut Self, &mut Vec<Found>)) {
        let mark = self.env.len();
        f(self, found);
        self.env.truncate(mark);
    }

    fn block(&mut self, block: &StmtBlock, found: &mut Vec<Found>) {
        self.scoped(found, |s, found| {
            for stmt in block.statements() {
                s.statement(stmt, found);
            }
        });
    }

    fn statement(&mut self, stmt: &Stmt, found: &mut Vec<Found>) {
        match stmt {
            Stmt::Var(var, ..) => {
                let kind = self.expr(&var.1, found);
                self.env.push((var.0.name.to_string(), kind));
            }
            Stmt::Assignment(assignment) => {
                let value = &assignment.1;
                let kind = self.expr(&value.rhs, found);
                match &value.lhs {
                    Expr::Variable(v, ..) => {
                        let name = v.1.as_str();
                        if let Some(entry) = self.env.iter_mut().rev().find(|(n, _)| n == name) {
                            entry.1 = if assignment.0.is_op_assignment() {
                                Kind::Other
                            } else {
                                kind
                            };
                        }
                    }
                    target => {
                        if assignment.0.is_op_assignment() {
                            // `a.b += 1` reads `a.b` first.
                            self.expr(target, found);
                        } else {
                            self.target(target, found);
                        }
                        if let Some(root) = root_variable(target) {
                            self.forget(root);
                        }
                    }
                }
            }
            Stmt::FnCall(call, _) => {
                for arg in call.args.iter() {
                    self.expr(arg, found);
                }
            }
            Stmt::Expr(e) => {
                self.expr(e, found);
            }
            Stmt::Block(block) => self.block(block, found),
            Stmt::If(flow, _) | Stmt::While(flow, _) | Stmt::Do(flow, ..) => {
                self.expr(&flow.expr, found);
                self.block(&flow.body, found);
                self.block(&flow.branch, found);
            }
            Stmt::For(for_loop, _) => {
                let (var, counter, flow) = &**for_loop;
                let items = self.expr(&flow.expr, found);
                self.scoped(found, |s, found| {
                    s.env.push((var.name.to_string(), items.element()));
                    if let Some(counter) = counter {
                        s.env.push((counter.name.to_string(), Kind::Other));
                    }
                    s.block(&flow.body, found);
                });
            }
            Stmt::Switch(switch, _) => {
                self.expr(&switch.0, found);
                for case in switch.1.expressions.iter() {
                    self.expr(&case.lhs, found);
                    self.expr(&case.rhs, found);
                }
            }
            Stmt::TryCatch(flow, _) => {
                self.block(&flow.body, found);
                self.scoped(found, |s, found| {
                    if let Expr::Variable(v, ..) = &flow.expr {
                        s.env.push((v.1.to_string(), Kind::Other));
                    }
                    s.block(&flow.branch, found);
                });
            }
            Stmt::Return(Some(value), flags, _) => {
                self.expr(value, found);
                if self.results && !flags.contains(ASTFlags::BREAK) {
                    for keys in tail_expr(value) {
                        self.check_result(&keys, found);
                    }
                }
            }
            Stmt::BreakLoop(Some(value), ..) => {
                self.expr(value, found);
            }
            _ => {}
        }
    }

    /// Checks an expression and says what its value is known to be.
    fn expr(&mut self, expr: &Expr, found: &mut Vec<Found>) -> Kind {
        match expr {
            Expr::Variable(v, ..) => {
                if v.2.is_empty() {
                    self.kind_of(&v.1)
                } else {
                    Kind::Other
                }
            }
            Expr::Dot(link, ..) => {
                let (root, base) = self.root(&link.lhs, found);
                self.after_dot(Chain::read(root.as_deref()), base, &link.rhs, found)
            }
            Expr::Index(link, flags, _) => {
                let (root, base) = self.root(&link.lhs, found);
                self.after_bracket(Chain::read(root.as_deref()), base, &link.rhs, *flags, found)
            }
            Expr::FnCall(call, _) | Expr::MethodCall(call, _) => {
                for arg in call.args.iter() {
                    self.expr(arg, found);
                }
                Kind::Other
            }
            Expr::Stmt(block) => {
                self.block(block, found);
                Kind::Other
            }
            Expr::InterpolatedString(items, _) | Expr::Array(items, _) => {
                for item in items.iter() {
                    self.expr(item, found);
                }
                Kind::Other
            }
            Expr::Map(map, _) => {
                for (_, value) in map.0.iter() {
                    self.expr(value, found);
                }
                Kind::Other
            }
            Expr::And(items, _) | Expr::Or(items, _) | Expr::Coalesce(items, _) => {
                for item in items.iter() {
                    self.expr(item, found);
                }
                Kind::Other
            }
            Expr::Custom(custom, _) => {
                for item in custom.inputs.iter() {
                    self.expr(item, found);
                }
                Kind::Other
            }
            _ => Kind::Other,
        }
    }

    /// The start of a chain: its variable's name, if it is one, and what it is.
    fn root(&mut self, expr: &Expr, found: &mut Vec<Found>) -> (Option<String>, Kind) {
        let kind = self.expr(expr, found);
        (root_variable(expr).map(str::to_string), kind)
    }

    /// What follows a `.`: a property, a method call, or more of the chain.
    fn after_dot(&mut self, chain: Chain, base: Kind, rhs: &Expr, found: &mut Vec<Found>) -> Kind {
        match rhs {
            Expr::Dot(link, ..) => {
                let next = self.segment(chain.root, base, &link.lhs, found);
                self.after_dot(chain, next, &link.rhs, found)
            }
            Expr::Index(link, flags, _) => {
                let next = self.segment(chain.root, base, &link.lhs, found);
                self.after_bracket(chain, next, &link.rhs, *flags, found)
            }
            // The key an assignment writes need not exist yet.
            Expr::Property(..) if chain.written => Kind::Other,
            other => self.segment(chain.root, base, other, found),
        }
    }

    /// What follows a `[`: the index alone (when the chain ends there), or the
    /// index followed by more of the chain.
    fn after_bracket(
        &mut self,
        chain: Chain,
        base: Kind,
        rhs: &Expr,
        flags: ASTFlags,
        found: &mut Vec<Found>,
    ) -> Kind {
        if flags.contains(ASTFlags::BREAK) {
            self.expr(rhs, found);
            return base.element();
        }
        match rhs {
            Expr::Dot(link, ..) => {
                self.expr(&link.lhs, found);
                self.after_dot(chain, base.element(), &link.rhs, found)
            }
            Expr::Index(link, flags, _) => {
                self.expr(&link.lhs, found);
                self.after_bracket(chain, base.element(), &link.rhs, *flags, found)
            }
            index => {
                self.expr(index, found);
                base.element()
            }
        }
    }

    /// A chain an assignment writes to: every link is read but the last.
    fn target(&mut self, target: &Expr, found: &mut Vec<Found>) {
        let chain = |root| Chain {
            root,
            written: true,
        };
        match target {
            Expr::Dot(link, ..) => {
                let (root, base) = self.root(&link.lhs, found);
                self.after_dot(chain(root.as_deref()), base, &link.rhs, found);
            }
            Expr::Index(link, flags, _) => {
                let (root, base) = self.root(&link.lhs, found);
                self.after_bracket(chain(root.as_deref()), base, &link.rhs, *flags, found);
            }
            other => {
                self.expr(other, found);
            }
        }
    }

    /// One link of a chain after a `.`.
    fn segment(
        &mut self,
        root: Option<&str>,
        base: Kind,
        expr: &Expr,
        found: &mut Vec<Found>,
    ) -> Kind {
        match expr {
            Expr::Property(property, pos) => {
                let name = property.2.as_str();
                if let Some((what, fields)) = base.fields() {
                    if !fields.iter().any(|f| f == name) {
                        found.push((
                            *pos,
                            format!(
                                "{what} has no field `{name}`{} expected one of: {}",
                                did_you_mean(name, fields.iter().map(String::as_str))
                                    .replace('\'', "`"),
                                fields.join(", ")
                            ),
                        ));
                    }
                }
                base.field(name)
            }
            Expr::MethodCall(call, _) => {
                for arg in call.args.iter() {
                    self.expr(arg, found);
                }
                if base.fields().is_some() {
                    // A method on a contract map may add or remove its keys.
                    if let Some(root) = root {
                        self.forget(root);
                    }
                }
                Kind::Other
            }
            other => {
                self.expr(other, found);
                Kind::Other
            }
        }
    }
}

/// A chain of property reads and indexes being followed: the variable it starts
/// from, and whether an assignment writes its last link.
#[derive(Debug, Clone, Copy)]
struct Chain<'r> {
    root: Option<&'r str>,
    written: bool,
}

impl<'r> Chain<'r> {
    fn read(root: Option<&'r str>) -> Self {
        Chain {
            root,
            written: false,
        }
    }
}

/// The variable a chain such as `a.b[0].c` starts from.
fn root_variable(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Variable(v, ..) if v.2.is_empty() => Some(v.1.as_str()),
        Expr::Dot(chain, ..) | Expr::Index(chain, ..) => root_variable(&chain.lhs),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ruleset::files::RuleFiles;
    use crate::ruleset::load::SETTINGS_FILE;
    use crate::ruleset::RuleSet;

    /// The built-in rule set's settings.
    fn built_in_settings() -> Settings {
        let files = RuleFiles::built_in().expect("built-in files");
        Settings::load(SETTINGS_FILE, &files.files[SETTINGS_FILE].text).expect("settings")
    }

    /// The problems `hds check` finds in `text` as one stage script of the
    /// built-in rule set, as `line:column: message` lines.
    fn problems_with(stage: Stage, text: &str, settings: bool) -> Vec<String> {
        let rules = RuleSet::built_in().expect("built-in rules");
        let built_in = built_in_settings();
        let vocabularies = Vocabularies {
            settings: settings.then_some(&built_in),
            calendars: Some(rules.calendars()),
            catalog: Some(rules.catalog()),
        };
        let checker = Checker::new(
            rules.compiled.engine(),
            &rules.manifest.limits,
            vocabularies,
        );
        checker
            .check(stage, "t.rhai", text)
            .iter()
            .map(|d| {
                d.to_string()
                    .trim_start_matches("t.rhai:")
                    .replacen(": error: ", ": ", 1)
            })
            .collect()
    }

    fn problems(stage: Stage, text: &str) -> Vec<String> {
        problems_with(stage, text, true)
    }

    fn completeness(body: &str) -> Vec<String> {
        problems(
            Stage::Completeness,
            &format!("fn completeness(app, sources) {{\n{body}\n}}\n"),
        )
    }

    fn assert_one(found: &[String], start: &str) {
        assert!(
            found.len() == 1 && found[0].starts_with(start),
            "expected one problem starting {start:?}, got {found:#?}"
        );
    }

    #[test]
    fn a_misspelt_helper_is_reported_at_its_name_with_the_helper_meant() {
        let found = completeness("    if has_attachement(app, \"sample_table\") { }\n    []");
        assert_one(&found, "2:8: unknown function `has_attachement`; did you mean `has_attachment`? expected a function this script defines");
    }

    #[test]
    fn a_misspelt_method_is_reported_at_its_name() {
        let found = completeness("    let out = [];\n    out.pushh(1);\n    out");
        assert_one(
            &found,
            "3:9: unknown function `pushh`; did you mean `push`?",
        );
    }

    #[test]
    fn builtins_keywords_methods_operators_and_own_functions_are_known() {
        let text = r#"
fn helper(x) { x + 1 }
fn completeness(app, sources) {
    let out = [];
    let n = helper(2) * 3 - len("abc") + "x".len();
    if sources.is_empty() || !(1 in [1, 2]) || "a".contains("b") { out.push(n); }
    let f = Fn("helper");
    out.push(f.call(1));
    out.push(type_of(n));
    out.push(is_def_var("n"));
    print(n); debug(n);
    let g = |v| v * n;
    out.push([1, 2].map(g));
    out.push([1, 2].filter(|v| v > 1).len());
    out.push(n.to_string().to_upper());
    out.push(helper.call(1));
    out
}
"#;
        assert_eq!(problems(Stage::Completeness, text), Vec::<String>::new());
    }

    #[test]
    fn calling_a_variable_is_an_unknown_function() {
        let found = completeness("    let f = Fn(\"is_blank\");\n    f(1);\n    []");
        assert_one(&found, "3:5: unknown function `f`");
    }

    #[test]
    fn a_misspelt_application_field_is_reported_with_the_fields_there_are() {
        let found = completeness("    let p = app.projct.purpose;\n    []");
        let fields: Vec<&str> = SCRIPT_FIELDS.iter().map(|(f, _)| *f).collect();
        let expected = format!("2:17: the application (`app`) has no field `projct`; did you mean `project`? expected one of: {}", fields.join(", "));
        assert_one(&found, &expected);
    }

    #[test]
    fn project_and_applicant_fields_are_checked() {
        let found = completeness(
            "    let t = app.project.titel;\n    let r = app.applicant.rolle;\n    []",
        );
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with("2:25: `app.project` has no field `titel`; did you mean `title`? expected one of: title, description, purpose"), "{found:#?}");
        assert!(found[1].starts_with("3:27: `app.applicant` has no field `rolle`; did you mean `role`? expected one of: name, organisation, email, role"), "{found:#?}");
    }

    #[test]
    fn fields_under_extra_are_free_form() {
        let found = completeness(
            "    let x = app.extra.anything.at.all;\n    let y = app.extra[\"x\"];\n    []",
        );
        assert_eq!(found, Vec::<String>::new());
    }

    #[test]
    fn source_fields_are_checked_in_loops_over_sources_and_by_index() {
        let text = "    for s in sources { s.nmae; }\n    for (s, i) in app.sources { s.custodin; }\n    let first = sources[0].idd;\n    let also = app.sources[0].knwn;\n    []";
        let found = completeness(text);
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(found[0].starts_with("2:26: a source has no field `nmae`; did you mean `name`? expected one of: id, variables,"), "{found:#?}");
        assert!(
            found[1]
                .starts_with("3:35: a source has no field `custodin`; did you mean `custodian`?"),
            "{found:#?}"
        );
        assert!(
            found[2].starts_with("4:28: a source has no field `idd`"),
            "{found:#?}"
        );
        assert!(
            found[3].starts_with("5:31: a source has no field `knwn`"),
            "{found:#?}"
        );
    }

    #[test]
    fn a_value_taken_from_the_application_keeps_its_fields() {
        let found = completeness("    let p = app.project;\n    let all = app.sources;\n    for s in all { s.purpose; }\n    p.purpos\n");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(
            found[0].starts_with("4:22: a source has no field `purpose`; did you mean `purposes`?"),
            "{found:#?}"
        );
        assert!(
            found[1].starts_with("5:7: `app.project` has no field `purpos`"),
            "{found:#?}"
        );
    }

    #[test]
    fn a_variable_that_no_longer_holds_the_application_is_not_checked() {
        let text = "    let out = [];\n    if true { let app = #{ foo: 1 }; out.push(app.foo); }\n    let sources = [#{ bar: 1 }];\n    for s in sources { out.push(s.bar); }\n    out";
        assert_eq!(completeness(text), Vec::<String>::new());
        let text = "    app.foo = 1;\n    let x = app.foo;\n    let a = app;\n    a.mixin(#{ bar: 2 });\n    a.bar";
        assert_eq!(completeness(text), Vec::<String>::new());
    }

    #[test]
    fn an_assignment_reads_every_link_of_its_target_but_the_key_it_writes() {
        let found = completeness("    app.projct.purpose = 1;\n    []");
        assert_one(&found, "2:9: the application (`app`) has no field `projct`");
        let found =
            completeness("    app.project.new_key = 1;\n    sources[0].new_key = 2;\n    []");
        assert_eq!(found, Vec::<String>::new());
        let found = completeness("    app.project.count += 1;\n    []");
        assert_one(&found, "2:17: `app.project` has no field `count`");
    }

    #[test]
    fn an_unknown_function_with_nothing_near_it_says_what_was_expected() {
        let found = completeness("    frobnicate();\n    []");
        assert_one(&found, "2:5: unknown function `frobnicate`; expected a function this script defines, a helper (rules/API.md) or a Rhai built-in");
    }

    #[test]
    fn the_application_is_checked_again_after_a_block_that_shadowed_it() {
        let text = "    if true { let app = 1; }\n    app.projct";
        assert_one(
            &completeness(text),
            "3:9: the application (`app`) has no field `projct`",
        );
    }

    #[test]
    fn closures_and_other_functions_do_not_hide_the_stage_function_fields() {
        let text = r#"
fn helper(app) { app.anything }
fn completeness(app, sources) {
    let known = sources.filter(|s| s.whatever);
    let ids = sources.map(|app| app.id_of_something);
    app.projct
}
"#;
        let found = problems(Stage::Completeness, text);
        assert_one(&found, "6:9: the application (`app`) has no field `projct`");
    }

    #[test]
    fn a_setting_after_a_comment_marker_inside_a_string_is_checked() {
        let found =
            completeness("    let u = \"http://x\"; let v = setting(\"no.such.key\");\n    []");
        assert_one(
            &found,
            "2:41: setting 'no.such.key' is not in rules/settings.yaml; expected one of: ",
        );
        let found = completeness("    let v = setting(\"deadline.working_day\");\n    []");
        assert_one(&found, "2:21: setting 'deadline.working_day' is not in rules/settings.yaml; did you mean 'deadline.working_days'?");
    }

    #[test]
    fn an_unknown_setting_lists_every_setting_in_key_order() {
        let found =
            completeness("    setting(\"deadline\");\n    setting(\"deadline.nope\");\n    []");
        let all = "cancer_registry.icd10_from, cancer_registry.icd10_to, \
            confidentiality.fine_geography, confidentiality.max_variables, \
            confidentiality.single_year_age, deadline.calendars.cancer-registry, \
            deadline.calendars.directorate-of-health, deadline.calendars.medicines-agency, \
            deadline.calendars.national-archives, deadline.calendars.niph, \
            deadline.linked_working_days, deadline.working_days, \
            redirects.identifiable_form_url, service.opened_on, variables.sample_table_counts";
        assert_eq!(
            found,
            [format!(
                "3:13: setting 'deadline.nope' is not in rules/settings.yaml; expected one of: {all}"
            )]
        );
    }

    #[test]
    fn settings_are_not_checked_when_the_settings_file_did_not_load() {
        let text = "fn completeness(app, sources) {\n    setting(\"no.such.key\");\n    []\n}\n";
        assert_eq!(
            problems_with(Stage::Completeness, text, false),
            Vec::<String>::new()
        );
    }

    #[test]
    fn literal_arguments_name_existing_calendars_custodians_kinds_and_severities() {
        let text = r#"    let out = [];
    add_working_days("2026-01-05", 3, "norwy");
    "2026-01-05".is_working_day("nope");
    working_days_between("2026-01-05", "2026-01-09", "niph");
    out.push(custodian_name("nope"));
    out.push(route(sources[0], "nihp"));
    out.push(require_attachment("sampel_table"));
    has_attachment(app, "variable_list");
    out.push(finding("code", "fatal", "message"));
    out.push(finding("code", "warning", sources[0], "message"));
    out"#;
        let found = completeness(text);
        assert_eq!(found.len(), 6, "{found:#?}");
        assert!(found[0].starts_with("3:39: calendar 'norwy' does not exist; did you mean 'norway'? expected one of: cancer-registry,"), "{found:#?}");
        assert!(
            found[1].starts_with("4:33: calendar 'nope' does not exist; expected one of: "),
            "{found:#?}"
        );
        assert!(found[2].starts_with("6:29: custodian 'nope' is not in the catalog; expected one of: cancer-registry, directorate-of-health,"), "{found:#?}");
        assert!(
            found[3]
                .starts_with("7:32: custodian 'nihp' is not in the catalog; did you mean 'niph'?"),
            "{found:#?}"
        );
        assert!(found[4].starts_with("8:33: attachment kind 'sampel_table' does not exist; did you mean 'sample_table'? expected one of: sample_table, variable_list, other"), "{found:#?}");
        assert!(found[5].starts_with("10:30: finding severity 'fatal' does not exist; expected one of: info, warning, error"), "{found:#?}");
    }

    #[test]
    fn a_script_function_named_like_a_helper_takes_any_literal() {
        let text = "fn setting(x) { x }\nfn completeness(app, sources) {\n    setting(\"anything\");\n    []\n}\n";
        assert_eq!(problems(Stage::Completeness, text), Vec::<String>::new());
    }

    #[test]
    fn a_deadline_result_with_an_unknown_key_is_reported_at_the_key() {
        let text = r#"fn deadline(app, route) {
    if app.linking != () {
        return #{ working_dayz: 60 };
    }
    if app.data_kind == "x" { throw #{ anything: 1 }; }
    let ignored = #{ not_a_result: 1 };
    if true {
        #{ working_days: 30, reasn: "standard" }
    } else {
        #{ calendar: "niph" }
    }
}"#;
        let found = problems(Stage::Deadline, text);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with("3:19: `fn deadline(app, route)` returns a map with key `working_dayz`, which the deadline stage does not know; did you mean `working_days`? expected any of: working_days, reason, calendar"), "{found:#?}");
        assert!(
            found[1].starts_with("8:30: `fn deadline(app, route)` returns a map with key `reasn`"),
            "{found:#?}"
        );
    }

    #[test]
    fn maps_returned_by_other_functions_are_not_deadline_results() {
        let text = "fn extra() { #{ anything: 1 } }\nfn deadline(app, route) {\n    let x = extra();\n    #{ reason: \"r\" }\n}\n";
        assert_eq!(problems(Stage::Deadline, text), Vec::<String>::new());
    }

    #[test]
    fn an_unknown_calendar_in_a_deadline_map_is_reported_at_its_name() {
        let text = "fn deadline(app, route) {\n    #{ calendar: \"cancer-registri\" }\n}\n";
        assert_one(
            &problems(Stage::Deadline, text),
            "2:18: calendar 'cancer-registri' does not exist; did you mean 'cancer-registry'?",
        );
    }

    #[test]
    fn the_shipped_rules_check_clean() {
        let rules = RuleSet::built_in().expect("built-in rules");
        let settings = built_in_settings();
        let checker = Checker::new(
            rules.compiled.engine(),
            &rules.manifest.limits,
            Vocabularies {
                settings: Some(&settings),
                calendars: Some(rules.calendars()),
                catalog: Some(rules.catalog()),
            },
        );
        let mut checked = 0;
        for script in rules.scripts() {
            let stage = Stage::ALL
                .into_iter()
                .find(|s| script.logical.ends_with(&format!("/{}.rhai", s.name())))
                .expect("a stage file");
            let found = checker.check(stage, &script.display, &script.text);
            assert!(found.is_empty(), "{}: {found:#?}", script.display);
            checked += 1;
        }
        // The common rules' four stages and the Cancer Registry's own completeness.
        assert_eq!(checked, 5);
    }
}
