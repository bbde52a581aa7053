//! The sandbox every rule script runs in: no modules, no `eval`, no clock, no
//! files, bounded operations, call depth and sizes.

use rhai::{Engine, EvalAltResult};
use serde::Deserialize;

type Fallible<T> = Result<T, Box<EvalAltResult>>;

fn fail<T>(message: impl Into<String>) -> Fallible<T> {
    Err(message.into().into())
}

/// Bounds on what one rule-function call may do.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Operations one call may run (each expression step counts one).
    pub max_operations: u64,
    /// How deep function calls may nest.
    pub max_call_depth: usize,
    /// The longest string, in bytes.
    pub max_string_size: usize,
    /// The most items in one array.
    pub max_array_size: usize,
    /// The most keys in one map.
    pub max_map_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 1_000_000,
            max_call_depth: 32,
            max_string_size: 2_000_000,
            max_array_size: 1_000_000,
            max_map_size: 1_000_000,
        }
    }
}

/// Standard Rhai functions the sandbox replaces with an error.
pub const REFUSED: &[&str] = &["sleep"];

/// A fresh engine with the sandbox applied: no modules, no `eval`, bounded
/// operations, call depth and sizes, `print`/`debug` sent to the log.
pub fn sandboxed_engine(limits: &Limits) -> Engine {
    let mut engine = Engine::new();
    engine.set_module_resolver(rhai::module_resolvers::DummyModuleResolver::new());
    engine.disable_symbol("eval");
    engine.set_max_operations(limits.max_operations.max(1));
    engine.set_max_call_levels(limits.max_call_depth.max(1));
    engine.set_max_expr_depths(64, 32);
    engine.set_max_string_size(limits.max_string_size.max(1));
    engine.set_max_array_size(limits.max_array_size.max(1));
    engine.set_max_map_size(limits.max_map_size.max(1));
    engine.set_strict_variables(true);
    // The string interner sits behind a lock shared by all threads; without it,
    // one compiled rule set evaluates on every core without contention.
    engine.set_max_strings_interned(0);
    engine.set_fail_on_invalid_map_property(true);
    // Rhai's standard `sleep` would block without counting operations: refuse it.
    engine.register_fn(REFUSED[0], |_: rhai::FLOAT| -> Fallible<()> {
        fail("sleep is not available to rule scripts")
    });
    engine.register_fn(REFUSED[0], |_: rhai::INT| -> Fallible<()> {
        fail("sleep is not available to rule scripts")
    });
    engine.on_print(|text| tracing::info!(target: "hds::rules", "{text}"));
    engine.on_debug(|text, source, pos| {
        tracing::debug!(target: "hds::rules", "{}:{}: {text}", source.unwrap_or("rule"), pos)
    });
    engine
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sandbox_stops_a_runaway_loop_with_too_many_operations() {
        let engine = sandboxed_engine(&Limits::default());
        let err = engine
            .eval::<i64>("let x = 0; loop { x += 1; }")
            .unwrap_err();
        assert!(
            matches!(*err, EvalAltResult::ErrorTooManyOperations(..)),
            "{err}"
        );
    }

    #[test]
    fn sandbox_refuses_imports_and_eval() {
        let engine = sandboxed_engine(&Limits::default());
        assert!(engine.eval::<i64>("import \"x\" as x; 1").is_err());
        assert!(engine.compile("eval(\"1\")").is_err());
    }

    #[test]
    fn sandbox_refuses_sleep() {
        let engine = sandboxed_engine(&Limits::default());
        // The standard sleep returns (); the sandbox's refuses with an error.
        assert!(engine.eval::<()>("sleep(0)").is_err());
        assert!(engine.eval::<()>("sleep(0.0)").is_err());
    }

    #[test]
    fn sandbox_has_no_clock() {
        let engine = sandboxed_engine(&Limits::default());
        assert!(engine.eval::<rhai::Dynamic>("timestamp()").is_err());
    }

    #[test]
    fn sandbox_bounds_call_depth() {
        let engine = sandboxed_engine(&Limits::default());
        let err = engine.eval::<i64>("fn f(n) { f(n + 1) } f(0)").unwrap_err();
        assert!(
            matches!(*err, EvalAltResult::ErrorStackOverflow(..)),
            "{err}"
        );
    }

    #[test]
    fn sandbox_bounds_string_growth() {
        let engine = sandboxed_engine(&Limits::default());
        let err = engine
            .eval::<String>("let s = \"x\"; loop { s += s; }")
            .unwrap_err();
        assert!(
            matches!(*err, EvalAltResult::ErrorDataTooLarge(..)),
            "{err}"
        );
    }
}
