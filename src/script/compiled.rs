//! The compiled stage scripts of a rule set and the engines that run them: compile
//! each rule file once, call a stage function with the application's view, and turn
//! what it returns (or how it failed) into Rust values and located errors.

use super::helpers::dated;
use super::helpers::RuleData;
use super::instrument::{build_engine, take_last_position, CoverageHits, Instrument};
use super::memory::net_allocated;
use super::native::{Budget, Native};
use super::outputs::{DeadlineUpdate, Record, Shape};
use super::sandbox::{size_checker, with_budget, Limits, OverLimit, OUT_OF_MEMORY};
use super::stage::Stage;
use super::view::{AppView, RouteView, SourcesView};
use crate::error::{Diagnostic, Error, Location};
use rhai::{CallFnOptions, Dynamic, Engine, EvalAltResult, Scope, AST};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One compiled stage script.
#[derive(Debug, Clone)]
pub struct StageScript {
    /// `rules/<folder>/<stage>.rhai`, as decisions name it.
    pub logical: String,
    /// The path to open, for messages.
    pub display: String,
    /// The script as written.
    pub text: String,
    /// The compiled script.
    pub ast: AST,
    /// Its functions compiled to closures, where they can be.
    pub native: Arc<Native>,
}

/// Every compiled stage script of a rule set, with the engines that run them.
pub struct Compiled {
    /// What one call may do.
    limits: Limits,
    /// Checks the size of what a call returns.
    checker: Engine,
    engine: Engine,
    /// The same engine with a debugger, to place errors Rhai gives without a line;
    /// built the first time one needs placing.
    locator: std::sync::OnceLock<Engine>,
    scripts: BTreeMap<(String, Stage), StageScript>,
    /// The rule set's data, for the compiled tier's helpers.
    data: Arc<RuleData>,
    /// Whether calls go to the compiled tier first (not while coverage is
    /// recorded: only Rhai's interpreter marks the lines it runs).
    tiered: bool,
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compiled")
            .field("scripts", &self.scripts.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Compiled {
    /// Engines bound to `data` with nothing compiled yet. With `coverage`, the engine
    /// records every line it executes.
    pub fn new(limits: &Limits, data: Arc<RuleData>, coverage: Option<CoverageHits>) -> Self {
        let tiered = coverage.is_none();
        let instrument = coverage.map_or(Instrument::None, Instrument::Coverage);
        Compiled {
            limits: *limits,
            checker: size_checker(limits),
            engine: build_engine(limits, data.clone(), instrument),
            locator: std::sync::OnceLock::new(),
            scripts: BTreeMap::new(),
            data,
            tiered,
        }
    }

    /// Whether stage calls go to the compiled tier first; off, every call runs
    /// on Rhai's interpreter (the reference the compiled tier is tested against).
    pub fn set_tiered(&mut self, tiered: bool) {
        self.tiered = tiered;
    }

    /// The engine scripts run on, for the reference of what they can call.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Compiles the stage script of rule folder `group` and checks it defines its
    /// stage function with the right parameters.
    pub fn compile(
        &mut self,
        group: &str,
        stage: Stage,
        logical: &str,
        display: &str,
        text: &str,
    ) -> Result<(), Diagnostic> {
        let mut ast = self.engine.compile(text).map_err(|e| {
            let pos = e.position();
            Diagnostic::error(display, e.err_type().to_string())
                .at(pos.line(), pos.position())
                .with_code("rule-syntax")
        })?;
        ast.set_source(logical);
        let found: Vec<usize> = ast
            .iter_functions()
            .filter(|f| f.name == stage.name())
            .map(|f| f.params.len())
            .collect();
        let wanted = stage.params().len();
        if !found.contains(&wanted) {
            let message = match found.first() {
                None => format!("missing stage function: expected `{}`", stage.signature()),
                Some(n) => format!(
                    "stage function `{}` takes {n} parameter(s); expected `{}`",
                    stage.name(),
                    stage.signature()
                ),
            };
            let (line, column) = definition_line(text, stage.name()).unzip();
            return Err(Diagnostic::error(display, message)
                .at(line, column)
                .with_code("stage-function"));
        }
        let native = Native::compile(&ast, &self.data);
        let file = display.to_string();
        for (name, arity, why) in native.refused() {
            tracing::debug!(
                "{file}: function {name} ({arity} parameters) runs on Rhai's interpreter: {why}"
            );
        }
        self.scripts.insert(
            (group.to_string(), stage),
            StageScript {
                logical: logical.to_string(),
                display: display.to_string(),
                text: text.to_string(),
                native: Arc::new(native),
                ast,
            },
        );
        Ok(())
    }

    /// The stage script of rule folder `group`, if it has one.
    pub fn script(&self, group: &str, stage: Stage) -> Option<&StageScript> {
        // A handful of scripts: a scan, without making a key to look one up.
        self.scripts
            .iter()
            .find(|((g, s), _)| *s == stage && g == group)
            .map(|(_, script)| script)
    }

    /// Every compiled stage script, in folder and stage order.
    pub fn scripts(&self) -> impl Iterator<Item = &StageScript> {
        self.scripts.values()
    }

    /// Calls a completeness, eligibility or routing function with `(app, sources)`
    /// and converts what it returns into records.
    pub fn records(
        &self,
        script: &StageScript,
        stage: Stage,
        app: &AppView,
        sources: &SourcesView,
    ) -> Result<Vec<Record>, Error> {
        let value = self.call(script, stage, &app.app, &sources.0)?;
        Shape {
            file: &script.display,
            stage,
        }
        .records(value)
    }

    /// Calls a deadline function with `(app, route)`; `None` keeps the route.
    pub fn deadline(
        &self,
        script: &StageScript,
        app: &AppView,
        route: &RouteView,
    ) -> Result<Option<DeadlineUpdate>, Error> {
        let value = self.call(script, Stage::Deadline, &app.app, &route.0)?;
        Shape {
            file: &script.display,
            stage: Stage::Deadline,
        }
        .deadline(&value)
    }

    /// Calls a stage function with `(app, second)`. An error Rhai reports without a
    /// position is placed by running the same call again on the locating engine.
    fn call(
        &self,
        script: &StageScript,
        stage: Stage,
        app: &Dynamic,
        second: &Dynamic,
    ) -> Result<Dynamic, Error> {
        if let Some(value) = self.compiled_call(script, stage, app, second) {
            return self.checked(script, stage, value);
        }
        let options = || CallFnOptions::new().eval_ast(false).rewind_scope(true);
        let run = |engine: &Engine| {
            with_budget(&self.limits, || {
                engine.call_fn_with_options::<Dynamic>(
                    options(),
                    &mut Scope::new(),
                    &script.ast,
                    stage.name(),
                    (app.clone(), second.clone()),
                )
            })
        };
        let value = run(&self.engine).map_err(|e| {
            let mut located = None;
            if innermost(&e).position().is_none() {
                take_last_position();
                let locator = self.locator.get_or_init(|| {
                    build_engine(&self.limits, self.data.clone(), Instrument::LastPosition)
                });
                let _ = run(locator);
                located = take_last_position();
            }
            script_error(script, stage, &e, located, &self.limits)
        })?;
        self.checked(script, stage, value)
    }

    /// The call on the compiled tier, when the stage function is compiled and the
    /// call completes there; `None` leaves it to Rhai (forgetting any settings
    /// lookup the attempt noted). The attempt has half the call's budget of
    /// operations, time and memory, so a call near a limit is Rhai's to judge.
    fn compiled_call(
        &self,
        script: &StageScript,
        stage: Stage,
        app: &Dynamic,
        second: &Dynamic,
    ) -> Option<Dynamic> {
        if !self.tiered || !script.native.has(stage.name(), 2) {
            return None;
        }
        let millis = self.limits.max_call_millis.clamp(1, 10_000) / 2;
        let memory = i64::try_from(self.limits.max_call_memory / 2).unwrap_or(i64::MAX);
        let budget = Budget {
            max_operations: self.limits.max_operations / 2,
            max_depth: self.limits.max_call_depth,
            deadline: std::time::Instant::now() + std::time::Duration::from_millis(millis),
            memory_ceiling: net_allocated().saturating_add(memory),
        };
        let mark = dated::mark();
        match script.native.call(
            &self.data,
            &budget,
            stage.name(),
            vec![app.clone(), second.clone()],
        ) {
            Ok(value) => Some(value),
            Err(bail) => {
                dated::rollback(mark);
                tracing::trace!(
                    "{}: {} left to Rhai ({})",
                    script.display,
                    stage.name(),
                    bail.0
                );
                None
            }
        }
    }

    /// `value` if within the size limits of what a call may return.
    fn checked(
        &self,
        script: &StageScript,
        stage: Stage,
        value: Dynamic,
    ) -> Result<Dynamic, Error> {
        if let Err(e) = self.checker.ensure_data_size_within_limits(&value) {
            let what = match *e {
                EvalAltResult::ErrorDataTooLarge(what, _) => what,
                other => other.to_string(),
            };
            return Err(Error::rule(
                Location::file(&script.display).in_function(stage.name()),
                format!(
                    "returned a value too large: {what} over the limit (limits in ruleset.yaml: max_string_size {}, max_array_size {}, max_map_size {})",
                    self.limits.max_string_size, self.limits.max_array_size, self.limits.max_map_size
                ),
            ));
        }
        Ok(value)
    }
}

/// The 1-based line and column of the first line that opens with `fn name` (a line
/// that opens with a keyword cannot be a comment or inside a string).
pub fn definition_line(text: &str, name: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let code = line.trim_start();
        let rest = code.strip_prefix("fn")?.trim_start().strip_prefix(name)?;
        rest.trim_start()
            .starts_with('(')
            .then(|| (i + 1, line.len() - code.len() + 1))
    })
}

/// The error inside any function-call wrappers.
fn innermost(err: &EvalAltResult) -> &EvalAltResult {
    let mut inner = err;
    while let EvalAltResult::ErrorInFunctionCall(_, _, e, _) = inner {
        inner = e;
    }
    inner
}

/// A script's failure as an error located in its rule file.
fn script_error(
    script: &StageScript,
    stage: Stage,
    err: &EvalAltResult,
    located: Option<(usize, usize)>,
    limits: &Limits,
) -> Error {
    let inner = innermost(err);
    let pos = inner.position();
    let (line, column) = match (pos.line(), located) {
        (Some(l), _) => (Some(l), pos.position()),
        (None, Some((l, c))) => (Some(l), Some(c)),
        (None, None) => (None, None),
    };
    let what = match inner {
        EvalAltResult::ErrorTooManyOperations(_) => {
            "stopped after too many operations (does a loop never end?)".to_string()
        }
        EvalAltResult::ErrorStackOverflow(_) => "stopped: calls nested too deep".to_string(),
        // A built-in refused to make a value over a limit, in its own words.
        EvalAltResult::ErrorTerminated(token, _) if token.is::<OverLimit>() => {
            let why = token.read_lock::<OverLimit>().map(|o| o.0.clone());
            format!("stopped: {}", why.unwrap_or_default())
        }
        // Otherwise the progress callback terminated it, for time or memory.
        EvalAltResult::ErrorTerminated(token, _) if token.to_string() == OUT_OF_MEMORY => {
            format!(
                "stopped after taking more than {} bytes of memory in one call (limits.max_call_memory in ruleset.yaml); does a list or text grow without end?",
                limits.max_call_memory
            )
        }
        EvalAltResult::ErrorTerminated(..) => format!(
            "stopped after {} ms, the time one call may take (limits.max_call_millis in ruleset.yaml); does a loop never end?",
            limits.max_call_millis
        ),
        EvalAltResult::ErrorDataTooLarge(what, _) => format!("stopped: {what} grew too large"),
        other => {
            let mut s = other.to_string();
            if let Some(i) = s.rfind(" (line ") {
                s.truncate(i);
            }
            s
        }
    };
    let mut callers = call_chain(script, stage, err);
    let function = callers.pop().unwrap_or_else(|| stage.name().to_string());
    callers.reverse();
    Error::rule(
        Location::file(&script.display)
            .at(line, column)
            .in_function(function)
            .called_from(callers),
        what,
    )
}

/// The functions of the script an error passed through, the stage function first
/// and the one whose line failed last. Rhai wraps an error in one
/// `ErrorInFunctionCall` for each call it passes on the way out (the stage
/// function's own call is not wrapped). Closures and Rhai's own functions (`map`,
/// `filter`…) are left out: a closure's lines are in the function that wrote it,
/// which in rule scripts is the one handing it to `map`, `filter` and the like. A
/// function calling itself is named once.
fn call_chain(script: &StageScript, stage: Stage, err: &EvalAltResult) -> Vec<String> {
    let mut chain = vec![stage.name().to_string()];
    let mut inner = err;
    while let EvalAltResult::ErrorInFunctionCall(name, _, e, _) = inner {
        let own = !name.starts_with("anon$")
            && script.ast.iter_functions().any(|f| f.name == name.as_str());
        if own && chain.last() != Some(name) {
            chain.push(name.clone());
        }
        inner = e;
    }
    chain
}

#[cfg(test)]
mod tests {
    use crate::error::ErrorKind;
    use crate::ruleset::files::RuleFiles;
    use crate::ruleset::RuleSet;

    /// The built-in rule set with `edit` made to the common deadline rule.
    fn with_deadline(edit: impl FnOnce(&str) -> String) -> RuleSet {
        let mut files = RuleFiles::built_in().expect("built-in files");
        let deadline = files
            .files
            .values_mut()
            .find(|f| f.display.ends_with("helsedataservice/deadline.rhai"))
            .expect("the deadline rule");
        deadline.text = edit(&deadline.text);
        RuleSet::load(&files).expect("loads")
    }

    /// The error of a linked application with one source: the common deadline rule
    /// then asks `not_linked` why.
    fn linked_alone(rules: &RuleSet) -> crate::error::Error {
        let app = crate::input::parse_yaml(
            "linked.yaml",
            "id: A\nsubmitted_at: 2026-03-02\ndata_kind: aggregated\n\
             applicant: {name: Kari, email: kari@example.org}\n\
             project: {description: Tables, purpose: research}\n\
             sources: [{id: msis, variables: [year]}]\n\
             attachments: [{kind: sample_table, file: t.xlsx}]\n\
             linking: {comment: by person}\n",
        )
        .result
        .expect("readable");
        crate::Evaluator::new(rules)
            .evaluate(&app)
            .expect_err("the rule fails")
    }

    /// The 1-based line of the first line of `text` holding `needle`.
    fn line_of(text: &str, needle: &str) -> usize {
        text.lines()
            .position(|l| l.contains(needle))
            .expect("found")
            + 1
    }

    const FAILING: &str = "    let q = 1 / (linked.len() - linked.len());\n";

    #[test]
    fn a_failing_line_in_a_function_the_stage_function_called_names_that_function() {
        let rules = with_deadline(|t| {
            t.replacen(
                "    let others = [];\n",
                &format!("    let others = [];\n{FAILING}"),
                1,
            )
        });
        let e = linked_alone(&rules);
        assert_eq!(e.kind, ErrorKind::Rule);
        let at = e.at.clone().expect("a place");
        let text = &rules
            .scripts()
            .find(|s| s.display == at.file)
            .expect("script")
            .text;
        assert_eq!(at.line, Some(line_of(text, "let q = 1 /")), "{e}");
        assert_eq!(at.function(), Some("not_linked"), "{e}");
        assert_eq!(at.callers(), ["deadline"], "{e}");
        assert!(
            e.to_string()
                .contains(": function not_linked (called from deadline): Division by zero"),
            "{e}"
        );
    }

    #[test]
    fn each_function_on_the_way_is_named_and_closures_are_their_writers() {
        let rules = with_deadline(|t| {
            format!(
                "{}\nfn divide(n) {{\n    1 / n\n}}\n",
                t.replacen(
                    "    let others = [];\n",
                    "    let others = [];\n    let q = [0].map(|n| divide(n));\n",
                    1
                )
            )
        });
        let e = linked_alone(&rules);
        let at = e.at.clone().expect("a place");
        let text = &rules
            .scripts()
            .find(|s| s.display == at.file)
            .expect("script")
            .text;
        assert_eq!(at.line, Some(line_of(text, "    1 / n")), "{e}");
        assert_eq!(at.function(), Some("divide"), "{e}");
        assert_eq!(at.callers(), ["not_linked", "deadline"], "{e}");

        let rules = with_deadline(|t| {
            t.replacen(
                "    let others = [];\n",
                "    let others = [];\n    let q = [0].map(|n| 1 / n);\n",
                1,
            )
        });
        let at = linked_alone(&rules).at.expect("a place");
        assert_eq!(at.function(), Some("not_linked"));
        assert_eq!(at.callers(), ["deadline"]);
    }

    #[test]
    fn a_failing_line_of_the_stage_function_names_it_alone() {
        let rules = with_deadline(|t| {
            t.replacen(
                "    let linked = route.routed_sources;\n",
                &format!("    let linked = route.routed_sources;\n{FAILING}"),
                1,
            )
        });
        let e = linked_alone(&rules);
        let at = e.at.clone().expect("a place");
        assert_eq!(at.function(), Some("deadline"), "{e}");
        assert!(at.callers().is_empty(), "{e}");
        assert!(
            e.to_string()
                .contains(": function deadline: Division by zero"),
            "{e}"
        );
    }
}
