//! What one rule call may do: a wall-clock budget and a memory budget stop a
//! runaway script whatever its operations count, and `ruleset.yaml` limits out of
//! range are refused by `check` at their line and column (and `evaluate` does not
//! start).

mod common;

use common::*;
use std::time::{Duration, Instant};

/// `ruleset.yaml` with each `limits:` entry named in `set` given its new value.
fn limits(text: &str, set: &[(&str, &str)]) -> String {
    text.lines()
        .map(|line| {
            let key = line.trim_start().split(':').next().unwrap_or_default();
            match set
                .iter()
                .find(|(k, _)| *k == key && line.starts_with("  "))
            {
                Some((k, v)) => format!("  {k}: {v}\n"),
                None => format!("{line}\n"),
            }
        })
        .collect()
}

#[test]
fn a_loop_within_its_operations_is_stopped_by_the_time_budget_with_its_file_and_function() {
    let started = Instant::now();
    Test::new()
        .edit("rules/ruleset.yaml", |t| {
            limits(
                t,
                &[("max_operations", "1000000000"), ("max_call_millis", "200")],
            )
        })
        .file(
            "rules/niph/deadline.rhai",
            "
            fn deadline(app, route) {
                let a = [];
                loop { a.push(\"a string of some length\"); a.clear(); }
            }
            ",
        )
        .args([
            "evaluate",
            "examples/linked-niph.yaml",
            "examples/cancer-registry.yaml",
        ])
        .code(1)
        .stdout_json(|records| {
            assert_eq!(records.len(), 2);
            assert_eq!(records[0]["error"]["kind"], "rule-error");
            let msg = records[0]["error"]["message"].as_str().unwrap_or("");
            assert!(msg.starts_with("rules/niph/deadline.rhai:"), "{msg}");
            assert!(msg.contains("function deadline"), "{msg}");
            assert!(msg.contains("stopped after 200 ms"), "{msg}");
            assert!(msg.contains("limits.max_call_millis"), "{msg}");
            assert_eq!(records[1]["status"], "complete");
        })
        .run();
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[test]
fn a_text_that_doubles_without_end_is_stopped_by_the_memory_budget() {
    Test::new()
        .edit("rules/ruleset.yaml", |t| {
            limits(
                t,
                &[
                    ("max_operations", "1000000000"),
                    ("max_call_memory", "16777216"),
                    ("max_call_millis", "10000"),
                ],
            )
        })
        .file(
            "rules/niph/deadline.rhai",
            "
            fn deadline(app, route) {
                let s = \"x\";
                loop { s += s; }
            }
            ",
        )
        .args(["evaluate", "examples/linked-niph.yaml"])
        .code(1)
        .stdout_json(|records| {
            let msg = records[0]["error"]["message"].as_str().unwrap_or("");
            assert!(msg.contains("function deadline"), "{msg}");
            assert!(msg.contains("more than 16777216 bytes of memory"), "{msg}");
        })
        .run();
}

#[test]
fn check_refuses_max_operations_of_zero_or_beyond_range_at_its_line_and_column() {
    let shipped = std::fs::read_to_string(root().join("rules/ruleset.yaml")).expect("manifest");
    let line = 1 + shipped
        .lines()
        .position(|l| l.starts_with("  max_operations: "))
        .expect("max_operations in ruleset.yaml");
    let column = 1 + "  max_operations: ".len();
    for value in ["0", "18446744073709551615"] {
        let out = Test::new()
            .edit("rules/ruleset.yaml", |t| {
                limits(t, &[("max_operations", value)])
            })
            .args(["check", "--format", "json"])
            .code(1)
            .run();
        let problems = out.json();
        let problem = &problems[0];
        assert_eq!(problem["file"], "rules/ruleset.yaml", "{problem}");
        assert_eq!(problem["line"], line, "{problem}");
        assert_eq!(problem["column"], column, "{problem}");
        let message = problem["message"].as_str().unwrap_or("");
        assert!(
            message.contains("limits.max_operations")
                && message.contains("expected 1000 to 1000000000"),
            "{message}"
        );
        Test::new()
            .edit("rules/ruleset.yaml", |t| {
                limits(t, &[("max_operations", value)])
            })
            .args(["evaluate", "examples/linked-niph.yaml"])
            .code(2)
            .stderr_contains(&format!("rules/ruleset.yaml:{line}:{column}: "))
            .run();
    }
}

#[test]
fn check_refuses_a_time_budget_over_the_hard_cap() {
    Test::new()
        .edit("rules/ruleset.yaml", |t| {
            limits(t, &[("max_call_millis", "60000")])
        })
        .arg("check")
        .code(1)
        .stdout_contains("limits.max_call_millis: 60000 is out of range; expected 1 to 10000")
        .run();
}
