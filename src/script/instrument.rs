//! Engines that watch the scripts they run: line coverage for `hds test --coverage`,
//! and the last position reached, to place errors Rhai reports without one. Also
//! what a compiled script can produce, read from its syntax tree, for rule coverage.

use super::helpers::{register_all, RuleData};
use super::sandbox::{sandboxed_engine, Limits};
use rhai::{ASTNode, Engine, Expr, Stmt, AST};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Lines of rule files executed, by script source (the rule file's logical name).
pub type CoverageHits =
    Arc<std::sync::Mutex<std::collections::BTreeMap<String, std::collections::BTreeSet<usize>>>>;

/// How an engine watches the scripts it runs.
#[derive(Debug, Clone, Default)]
pub enum Instrument {
    /// Not at all: the engine used to evaluate.
    #[default]
    None,
    /// Records every line executed (`hds test --coverage`).
    Coverage(CoverageHits),
    /// Remembers, per thread, the last position reached, so that an error Rhai
    /// reports without a position (too many operations, data too large) can be placed
    /// by running the failing call again.
    LastPosition,
}

thread_local! {
    static LAST_POSITION: std::cell::Cell<Option<(usize, usize)>> = const { std::cell::Cell::new(None) };
}

/// The last (line, column) an [`Instrument::LastPosition`] engine reached on this
/// thread, clearing it.
pub fn take_last_position() -> Option<(usize, usize)> {
    LAST_POSITION.with(|p| p.take())
}

/// An engine with every helper registered, bound to `data`, watched as `instrument`
/// says (a debugger slows evaluation, so only the instrumented engines have one).
pub fn build_engine(limits: &Limits, data: Arc<RuleData>, instrument: Instrument) -> Engine {
    let mut engine = sandboxed_engine(limits);
    match instrument {
        Instrument::None => {}
        Instrument::Coverage(hits) => {
            // Marked deprecated by rhai only to say the debugging API may still change.
            #[allow(deprecated)]
            engine.register_debugger(
                |_, debugger| debugger,
                move |_, _, _, source, pos| {
                    if let (Some(source), Some(line)) = (source, pos.line()) {
                        if let Ok(mut hits) = hits.lock() {
                            hits.entry(source.to_string()).or_default().insert(line);
                        }
                    }
                    Ok(rhai::debugger::DebuggerCommand::StepInto)
                },
            );
        }
        Instrument::LastPosition => {
            #[allow(deprecated)]
            engine.register_debugger(
                |_, debugger| debugger,
                |_, event, _, _, pos| {
                    let step = matches!(event, rhai::debugger::DebuggerEvent::Step);
                    if let (true, Some(line), Some(column)) = (step, pos.line(), pos.position()) {
                        LAST_POSITION.with(|p| p.set(Some((line, column))));
                    }
                    Ok(rhai::debugger::DebuggerCommand::StepInto)
                },
            );
        }
    }
    register_all(&mut engine, &data, limits);
    engine
}

/// The literal string first argument of every call to `function` in a compiled
/// script: the finding codes (`finding`) or missing items (`missing`) it can
/// produce.
pub fn literal_first_arguments(ast: &AST, function: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    ast.walk(&mut |path: &[ASTNode]| {
        let call = match path.last() {
            Some(ASTNode::Expr(Expr::FnCall(call, _))) => Some(call),
            Some(ASTNode::Stmt(Stmt::FnCall(call, _))) => Some(call),
            _ => None,
        };
        if let Some(call) = call.filter(|c| c.name == function && !c.is_qualified()) {
            match call.args.first() {
                Some(Expr::StringConstant(s, _)) => {
                    out.insert(s.to_string());
                }
                Some(Expr::DynamicConstant(value, _)) => {
                    if let Some(s) = value.read_lock::<rhai::ImmutableString>() {
                        out.insert(s.to_string());
                    }
                }
                _ => {}
            }
        }
        true
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_first_arguments_are_the_codes_a_script_can_produce() {
        let engine = rhai::Engine::new();
        let ast = engine
            .compile(
                r#"fn finding(a, b, c) { a } fn missing(a, b) { a } fn is_missing(a) { a }
                   fn f(s) {
                       let u = "http://x"; let x = finding("a-code", "info", "x");
                       [missing( "item", s), is_missing("no"), finding(s, "info", "not literal")]
                   }"#,
            )
            .expect("compiles");
        assert_eq!(
            literal_first_arguments(&ast, "finding"),
            BTreeSet::from(["a-code".to_string()])
        );
        assert_eq!(
            literal_first_arguments(&ast, "missing"),
            BTreeSet::from(["item".to_string()])
        );
    }
}
