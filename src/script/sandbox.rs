//! The sandbox every rule script runs in: no modules, no `eval`, no clock, no
//! files, bounded operations, call depth, time and memory. Each call of a rule
//! function has a wall-clock budget ([`Limits::max_call_millis`]) and a memory
//! budget ([`Limits::max_call_memory`], counted by [`super::memory`]), both checked
//! through Rhai's progress callback, so no script can hold a record (or a batch)
//! for long. The string, array and map sizes are checked on what each call
//! returns: Rhai's own checks during a call walk a whole list after every change
//! to it, which would make building a list of n items take n² steps. The
//! built-ins that make a value as large as a script asks for in one call (`pad`,
//! `blob`, `replace`) are replaced by versions that weigh it first against these
//! sizes and the memory budget ([`super::bounded`]): the budget is checked only
//! between operations, too late for one call that takes gigabytes.

use super::memory::net_allocated;
use rhai::{Dynamic, Engine, EvalAltResult};
use serde::Deserialize;
use std::cell::Cell;
use std::time::{Duration, Instant};

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
    /// The most bytes of text in what one call returns, and in a text one call of
    /// `pad`, `replace` or `join` makes.
    pub max_string_size: usize,
    /// The most array items in what one call returns, and in an array or BLOB one
    /// call of `pad` or `blob` makes.
    pub max_array_size: usize,
    /// The most map keys in what one call returns.
    pub max_map_size: usize,
    /// The most bytes of memory one call may take (beyond what it was given).
    pub max_call_memory: u64,
    /// Milliseconds of wall-clock time one call may take.
    pub max_call_millis: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 1_000_000,
            max_call_depth: 32,
            max_string_size: 2_000_000,
            max_array_size: 1_000_000,
            max_map_size: 1_000_000,
            max_call_memory: 256 << 20,
            max_call_millis: 100,
        }
    }
}

/// The range each limit may take, and why: (name, least, most, reason).
pub const LIMIT_RANGES: &[(&str, u64, u64, &str)] = &[
    (
        "max_operations",
        1_000,
        1_000_000_000,
        "fewer stop every rule before it has read the application; more let a loop run for minutes",
    ),
    (
        "max_call_depth",
        1,
        64,
        "deeper calls could exhaust the stack of the thread evaluating",
    ),
    (
        "max_string_size",
        1_024,
        64 << 20,
        "shorter cannot hold an application's texts; longer lets one record take gigabytes",
    ),
    (
        "max_array_size",
        16,
        10_000_000,
        "fewer cannot hold an application's lists; more lets one record take gigabytes",
    ),
    (
        "max_map_size",
        16,
        10_000_000,
        "fewer cannot hold an application's fields; more lets one record take gigabytes",
    ),
    (
        "max_call_memory",
        1 << 20,
        4 << 30,
        "less cannot hold a copy of a large application; more lets one record take the machine's memory",
    ),
    (
        "max_call_millis",
        1,
        10_000,
        "0 stops every call at once; the hard cap is 10 seconds per call",
    ),
];

impl Limits {
    /// Each limit's name and value, in the order of [`LIMIT_RANGES`].
    pub fn values(&self) -> [(&'static str, u64); 7] {
        let wide = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        [
            ("max_operations", self.max_operations),
            ("max_call_depth", wide(self.max_call_depth)),
            ("max_string_size", wide(self.max_string_size)),
            ("max_array_size", wide(self.max_array_size)),
            ("max_map_size", wide(self.max_map_size)),
            ("max_call_memory", self.max_call_memory),
            ("max_call_millis", self.max_call_millis),
        ]
    }

    /// Every limit outside its range: its name and what is wrong, with the reason.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        self.values()
            .iter()
            .zip(LIMIT_RANGES)
            .filter(|((_, value), (_, least, most, _))| value < least || value > most)
            .map(|((name, value), (_, least, most, why))| {
                (
                    *name,
                    format!(
                        "limits.{name}: {value} is out of range; expected {least} to {most}: {why}"
                    ),
                )
            })
            .collect()
    }
}

/// The token a call stopped for its time budget is terminated with.
pub const OUT_OF_TIME: &str = "out of time";
/// The token a call stopped for its memory budget is terminated with.
pub const OUT_OF_MEMORY: &str = "out of memory";

/// The token a call is terminated with when a built-in would have made a value
/// over a limit ([`super::bounded`]): what it would have made, and the limit, in
/// words for the rule's author.
#[derive(Debug, Clone)]
pub struct OverLimit(pub String);

/// The budget of the call running on a thread.
#[derive(Debug, Clone, Copy)]
struct Budget {
    deadline: Instant,
    /// The thread's allocation count above which the call must stop.
    memory_ceiling: i64,
}

thread_local! {
    static BUDGET: Cell<Option<Budget>> = const { Cell::new(None) };
}

/// Runs `call` with the time and memory budgets of `limits` for the scripts it runs
/// on this thread (the time at most 10 seconds); a script past either is
/// terminated with [`OUT_OF_TIME`] or [`OUT_OF_MEMORY`].
pub fn with_budget<T>(limits: &Limits, call: impl FnOnce() -> T) -> T {
    let millis = limits.max_call_millis.clamp(1, 10_000);
    let memory = i64::try_from(limits.max_call_memory).unwrap_or(i64::MAX);
    let budget = Budget {
        deadline: Instant::now() + Duration::from_millis(millis),
        memory_ceiling: net_allocated().saturating_add(memory),
    };
    let before = BUDGET.with(|b| b.replace(Some(budget)));
    let result = call();
    BUDGET.with(|b| b.set(before));
    result
}

/// The bytes of memory the call running on this thread may still take before its
/// budget stops it; outside a budget, all of `max_call_memory`.
pub(super) fn memory_left(limits: &Limits) -> u64 {
    match BUDGET.with(|b| b.get()) {
        Some(budget) => {
            u64::try_from(budget.memory_ceiling.saturating_sub(net_allocated())).unwrap_or(0)
        }
        None => limits.max_call_memory,
    }
}

/// Why the call running on this thread must stop, if it must: memory after every
/// operation, the clock every 256.
fn over_budget(operations: u64) -> Option<&'static str> {
    let budget = BUDGET.with(|b| b.get())?;
    if net_allocated() > budget.memory_ceiling {
        return Some(OUT_OF_MEMORY);
    }
    (operations.is_multiple_of(256) && Instant::now() >= budget.deadline).then_some(OUT_OF_TIME)
}

/// An engine that only checks sizes: whether a value a call returned is within the
/// string, array and map limits.
pub fn size_checker(limits: &Limits) -> Engine {
    let mut engine = Engine::new_raw();
    engine.set_max_string_size(limits.max_string_size.max(1));
    engine.set_max_array_size(limits.max_array_size.max(1));
    engine.set_max_map_size(limits.max_map_size.max(1));
    engine
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
    engine.set_strict_variables(true);
    // The string interner sits behind a lock shared by all threads; without it,
    // one compiled rule set evaluates on every core without contention.
    engine.set_max_strings_interned(0);
    engine.set_fail_on_invalid_map_property(true);
    // One call of these could take gigabytes before the memory budget is checked.
    super::bounded::register(&mut engine, limits);
    // Rhai's standard `sleep` would block without counting operations: refuse it.
    engine.register_fn(REFUSED[0], |_: rhai::FLOAT| -> Fallible<()> {
        fail("sleep is not available to rule scripts")
    });
    engine.register_fn(REFUSED[0], |_: rhai::INT| -> Fallible<()> {
        fail("sleep is not available to rule scripts")
    });
    // A call past its time or memory budget is terminated.
    engine.on_progress(|operations| over_budget(operations).map(Dynamic::from));
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
    fn a_call_past_its_time_budget_is_terminated() {
        let engine = sandboxed_engine(&Limits {
            max_operations: u64::MAX,
            ..Limits::default()
        });
        let limits = Limits {
            max_call_millis: 50,
            ..Limits::default()
        };
        let err = with_budget(&limits, || {
            engine.eval::<i64>("let a = []; loop { a.push(\"x\"); a.clear(); }")
        })
        .unwrap_err();
        assert!(matches!(*err, EvalAltResult::ErrorTerminated(..)), "{err}");
    }

    #[test]
    fn limits_out_of_range_are_named_with_the_reason() {
        assert!(Limits::default().problems().is_empty());
        for ops in [0, u64::MAX] {
            let problems = Limits {
                max_operations: ops,
                ..Limits::default()
            }
            .problems();
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(
                problems[0].1.contains("expected 1000 to 1000000000"),
                "{problems:?}"
            );
        }
    }

    #[test]
    fn sandbox_bounds_string_growth() {
        // The memory count comes from the allocator: here, an account kept by hand.
        let engine = sandboxed_engine(&Limits::default());
        let err = with_budget(&Limits::default(), || {
            engine.eval::<String>("let s = \"x\"; loop { s += s; }")
        })
        .unwrap_err();
        assert!(matches!(*err, EvalAltResult::ErrorTerminated(..)), "{err}");
    }

    #[test]
    fn a_returned_value_over_the_size_limits_is_refused() {
        let checker = size_checker(&Limits {
            max_array_size: 16,
            ..Limits::default()
        });
        let engine = sandboxed_engine(&Limits::default());
        let small = engine.eval::<Dynamic>("[1, 2, 3]").expect("runs");
        let large = engine
            .eval::<Dynamic>("let a = []; for i in 0..100 { a.push(i) } a")
            .expect("runs");
        assert!(checker.ensure_data_size_within_limits(&small).is_ok());
        assert!(checker.ensure_data_size_within_limits(&large).is_err());
    }

    #[test]
    fn rhai_size_limits_stay_off_as_they_measure_a_list_again_on_every_push() {
        // Rhai's own size limits measure a whole list again after every push (n²
        // for a list of n); the sandbox bounds memory by counting allocations.
        let engine = sandboxed_engine(&Limits::default());
        assert_eq!(engine.max_string_size(), 0);
        assert_eq!(engine.max_array_size(), 0);
        assert_eq!(engine.max_map_size(), 0);
    }
}
