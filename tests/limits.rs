//! What one rule call may do: a wall-clock budget and a memory budget stop a
//! runaway script whatever its operations count, a built-in asked for a value over
//! the size limits or the memory budget refuses before it makes it, and
//! `ruleset.yaml` limits out of range are refused by `check` at their line and
//! column (and `evaluate` does not start).

mod common;

use common::*;

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

/// Evaluates an application routed to NIPH, whose `rules/niph/deadline.rhai` runs
/// `body` on its second line, and one that is not: the first must stop there, in
/// function `deadline`, with a message holding each of `words`; the second must
/// be decided.
fn stops_with(edits: &[(&str, &str)], body: &str, words: &[&str]) {
    let set: Vec<(String, String)> = edits
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    let context = body.to_string();
    let mut test = Test::new();
    if !set.is_empty() {
        test = test.edit("rules/ruleset.yaml", move |t| {
            let set: Vec<(&str, &str)> = set.iter().map(|(k, v)| (&**k, &**v)).collect();
            limits(t, &set)
        });
    }
    test.file(
        "rules/niph/deadline.rhai",
        &format!("fn deadline(app, route) {{\n    {body}\n    ()\n}}\n"),
    )
    .args([
        "evaluate",
        "examples/linked-niph.yaml",
        "examples/cancer-registry.yaml",
    ])
    .code(1)
    .stdout_json(move |records| {
        assert_eq!(records.len(), 2, "{context}");
        assert_eq!(records[0]["error"]["kind"], "rule-error", "{context}");
        let msg = records[0]["error"]["message"].as_str().unwrap_or("");
        assert!(
            msg.starts_with("rules/niph/deadline.rhai:2:"),
            "{context}: {msg}"
        );
        assert!(msg.contains("function deadline"), "{context}: {msg}");
        for word in &words {
            assert!(msg.contains(word.as_str()), "{context}: {word} in {msg}");
        }
        assert_eq!(records[1]["status"], "complete", "{context}");
    })
    .run();
}

#[test]
fn a_text_padded_past_max_string_size_is_refused_before_it_is_made() {
    for body in [
        "let s = \"x\".pad(1500000000, \"y\");",
        "let s = \"x\".pad(1500000000, 'y');",
        "let s = \"x\"; s.pad(1000, \"ø\"); s.pad(2000000, \"øy\");",
    ] {
        stops_with(
            &[],
            body,
            &[
                "stopped: `pad` would make a text of",
                "more than the 2000000 a text may have (limits.max_string_size in ruleset.yaml)",
            ],
        );
    }
}

#[test]
fn a_replace_that_would_make_a_text_past_max_string_size_is_refused_before_it_is_made() {
    // A text of 1,000,000 bytes put in 999 or 1,000 places: about a gigabyte.
    let make = "let s = \"x\"; s.pad(1000000, \"x\"); let t = \"\"; t.pad(999, \"y\");";
    for replace in [
        "t.replace(\"\", s);",
        "t.replace(\"y\", s);",
        "t.replace('y', s);",
    ] {
        stops_with(
            &[],
            &format!("{make} {replace}"),
            &[
                "stopped: `replace` would make a text of",
                "(limits.max_string_size in ruleset.yaml)",
            ],
        );
    }
}

#[test]
fn a_join_that_would_make_a_text_past_max_string_size_is_refused_before_it_is_made() {
    // A million empty items between which goes a separator of 1,000,000 bytes.
    stops_with(
        &[],
        "let s = \"x\"; s.pad(1000000, \"x\"); let a = []; a.pad(1000000, \"\"); join(a, s);",
        &["stopped: `join` would make a text of 999999000000 bytes, more than the 2000000 a text may have (limits.max_string_size in ruleset.yaml)"],
    );
}

#[test]
fn an_array_or_blob_padded_or_made_past_max_array_size_is_refused_before_it_is_made() {
    for (body, made) in [
        (
            "let a = [].pad(200000000, 0);",
            "`pad` would make an array of 200000000 items",
        ),
        (
            "let b = blob(1500000000);",
            "`blob` would make a BLOB of 1500000000 bytes",
        ),
        (
            "let b = blob(1500000000, 255);",
            "`blob` would make a BLOB of 1500000000 bytes",
        ),
        (
            "let b = blob(); b.pad(1500000000, 1);",
            "`pad` would make a BLOB of 1500000000 bytes",
        ),
    ] {
        stops_with(
            &[],
            body,
            &[
                made,
                "more than the 1000000 an array or BLOB may have (limits.max_array_size in ruleset.yaml)",
            ],
        );
    }
}

#[test]
fn an_array_padded_with_copies_past_the_memory_budget_is_refused_before_it_is_made() {
    // A million copies of a list of 1,000 items, each within max_array_size.
    stops_with(
        &[],
        "let a = []; a.pad(1000, 0); let b = []; b.pad(1000000, a);",
        &[
            "stopped: `pad` would take about",
            "bytes of memory, more than the call has left of its 268435456 (limits.max_call_memory in ruleset.yaml)",
        ],
    );
}

#[test]
fn a_blob_within_max_array_size_past_the_memory_budget_is_refused_before_it_is_made() {
    stops_with(
        &[("max_call_memory", "1048576"), ("max_array_size", "10000000")],
        "let b = blob(2000000);",
        &["`blob` would take about 2000000 bytes of memory, more than the call has left of its 1048576 (limits.max_call_memory in ruleset.yaml)"],
    );
}

#[test]
fn a_text_padded_with_an_empty_text_is_left_as_it_is() {
    Test::new()
        .file(
            "rules/niph/deadline.rhai",
            "
            fn deadline(app, route) {
                let s = \"x\";
                s.pad(1000, \"\");
                if s != \"x\" { throw \"changed\"; }
                ()
            }
            ",
        )
        .args(["evaluate", "examples/linked-niph.yaml"])
        .stdout_json(|records| assert_eq!(records[0]["status"], "complete"))
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
