//! Integration tests that run the real `hds` binary. Each test sets up, runs and
//! checks one command with [`Test`] (see `common`), in a private copy of the
//! repository's examples, rules and calendars.

mod common;

use common::*;
use serde_json::{json, Value};

fn example_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("examples"))
        .expect("examples folder")
        .filter_map(|e| e.ok())
        .map(|e| format!("examples/{}", e.file_name().to_string_lossy()))
        .filter(|f| f.ends_with(".yaml") || f.ends_with(".json") || f.ends_with(".jsonl"))
        .collect();
    files.sort();
    files
}

/// The line and column (from 1) where `needle` first appears in the repository's
/// file `path`.
fn position_of(path: &str, needle: &str) -> (usize, usize) {
    let text = std::fs::read_to_string(root().join(path)).expect("read");
    text.lines()
        .enumerate()
        .find_map(|(i, l)| l.find(needle).map(|c| (i + 1, c + 1)))
        .unwrap_or_else(|| panic!("{path} lacks {needle}"))
}

#[test]
fn the_test_builder_unindents_text_that_starts_with_a_newline() {
    assert_eq!(unindent("\n    a\n\n      b\n    "), "a\n\n  b\n");
    assert_eq!(unindent("  kept as is\n"), "  kept as is\n");
}

#[test]
fn contract_example_is_complete_routed_to_niph_with_60_working_days_due_2026_06_08() {
    Test::new()
        .args(["evaluate", "examples/linked-niph.yaml"])
        .stdout_json(|r| {
            let d = &r[0];
            assert_eq!(d["application"], "HDS-2026-0142");
            assert_eq!(d["status"], "complete");
            assert_eq!(d["received_on"], "2026-03-02");
            assert_eq!(d["complete_on"], "2026-03-06");
            assert_eq!(d["missing"], json!([]));
            let routes = d["routes"].as_array().expect("routes");
            assert_eq!(routes.len(), 1);
            assert_eq!(routes[0]["custodian"], "niph");
            assert_eq!(routes[0]["sources"], json!(["msis", "npr"]));
            assert_eq!(routes[0]["working_days"], 60);
            assert_eq!(routes[0]["clock_start"], "2026-03-06");
            assert_eq!(routes[0]["due"], "2026-06-08");
            assert_eq!(d["ruleset"]["name"], "helsedataservice");
            assert!(d["ruleset"]["fingerprint"]
                .as_str()
                .is_some_and(|f| f.starts_with("sha256:")));
        })
        .run();
}

#[test]
fn decision_fields_come_in_contract_order() {
    let text = Test::new()
        .args(["evaluate", "examples/linked-niph.yaml"])
        .run()
        .stdout;
    let order = [
        "\"application\"",
        "\"ruleset\"",
        "\"status\"",
        "\"received_on\"",
        "\"complete_on\"",
        "\"missing\"",
        "\"findings\"",
        "\"routes\"",
        "\"redirects\"",
    ];
    let positions: Vec<usize> = order.iter().map(|k| text.find(k).expect(k)).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
}

#[test]
fn every_example_is_decided_with_the_status_its_comment_promises() {
    let files = example_files();
    assert!(files.len() >= 6, "{files:?}");
    let count = files.len();
    Test::new()
        .arg("evaluate")
        .args(files)
        .stdout_json(move |decisions| {
            assert_eq!(decisions.len(), count);
            let status: std::collections::BTreeMap<&str, &str> = decisions
                .iter()
                .map(|d| {
                    (
                        d["application"].as_str().unwrap_or(""),
                        d["status"].as_str().unwrap_or(""),
                    )
                })
                .collect();
            let expect = [
                ("HDS-2026-0142", "complete"),
                ("HDS-2026-0311", "complete"),
                ("HDS-2026-0415", "incomplete"),
                ("HDS-2026-0502", "redirected"),
                ("HDS-2026-0617", "ineligible"),
                ("HDS-2023-0988", "complete"),
                ("HDS-2026-0720", "redirected"),
                ("HDS-2026-0201", "complete"),
            ];
            for (id, s) in expect {
                assert_eq!(status.get(id).copied(), Some(s), "{id}");
            }
        })
        .run();
}

#[test]
fn npr_before_2024_goes_to_the_directorate_of_health_and_the_variable_list_starts_the_clock() {
    Test::new()
        .args(["evaluate", "examples/npr-before-2024.yaml"])
        .stdout_json(|r| {
            assert_eq!(r[0]["routes"][0]["custodian"], "directorate-of-health");
            assert_eq!(r[0]["complete_on"], "2023-11-24");
            // Fri 2023-11-24 + 30 working days, skipping 25-26 Dec and 1 Jan: 2024-01-10.
            assert_eq!(r[0]["routes"][0]["due"], "2024-01-10");
        })
        .run();
}

#[test]
fn a_late_attachment_nothing_requires_does_not_move_the_clock() {
    Test::new()
        .args(["evaluate", "tests/fixtures/late-sample-table.yaml"])
        .stdout_json(|r| {
            // The sample table came on Christmas Eve (a working day); the letter in
            // January is not required. Thu 2026-12-24 + 30 working days (25 Dec, 1 Jan
            // skipped).
            assert_eq!(r[0]["complete_on"], "2026-12-24");
            assert_eq!(r[0]["routes"][0]["due"], "2027-02-08");
        })
        .run();
}

#[test]
fn identifiable_data_redirect_the_whole_application_and_decide_nothing_else() {
    Test::new()
        .args(["evaluate", "examples/identifiable.yaml"])
        .stdout_json(|r| {
            let d = &r[0];
            assert_eq!(d["status"], "redirected");
            assert_eq!(d["redirects"][0]["source"], Value::Null);
            assert_eq!(d["redirects"][0]["reason"], "identifiable-data");
            assert_eq!(d["routes"], json!([]));
            assert_eq!(d["missing"], json!([]));
            assert_eq!(d["findings"], json!([]));
        })
        .run();
}

#[test]
fn bad_records_each_give_one_error_line_in_order_and_exit_1() {
    Test::new()
        .args([
            "evaluate",
            "tests/fixtures/batch-with-bad-records.jsonl",
            "tests/fixtures/not-yaml.yaml",
            "examples/linked-niph.yaml",
        ])
        .code(1)
        .stdout_json(|records| {
            let summary: Vec<(&str, &str)> = records
                .iter()
                .map(|r| {
                    let id = r["application"].as_str().unwrap_or("null");
                    let what = match r.get("error") {
                        Some(e) => e["kind"].as_str().unwrap_or(""),
                        None => r["status"].as_str().unwrap_or(""),
                    };
                    (id, what)
                })
                .collect();
            assert_eq!(
                summary,
                [
                    ("GOOD-1", "complete"),
                    ("null", "syntax"),
                    ("null", "missing-field"),
                    ("NO-OFFSET", "invalid-timestamp"),
                    ("UNKNOWN-FIELD", "unknown-field"),
                    ("UNKNOWN-SOURCE", "incomplete"),
                    ("OUT-OF-RANGE", "date-out-of-range"),
                    ("GOOD-2", "complete"),
                    ("BROKEN", "syntax"),
                    ("HDS-2026-0142", "complete"),
                ]
            );
            // Error records name the file and line.
            assert_eq!(
                records[1]["input"],
                "tests/fixtures/batch-with-bad-records.jsonl:2"
            );
            assert_eq!(
                records[6]["input"],
                "tests/fixtures/batch-with-bad-records.jsonl:7"
            );
            assert_eq!(
                records[7]["received_on"], "2026-04-01",
                "22:30Z on 31 March is 00:30 CEST on 1 April"
            );
            let msg = |i: usize| records[i]["error"]["message"].as_str().unwrap_or("");
            assert!(msg(2).contains("`id`"), "{}", msg(2));
            assert!(
                msg(3).contains("submitted_at") && msg(3).contains("offset"),
                "{}",
                msg(3)
            );
            assert!(msg(4).contains("projekt"), "{}", msg(4));
            assert!(
                msg(6).contains("2150-01-05") && msg(6).contains("1990-2100"),
                "{}",
                msg(6)
            );
            assert!(
                msg(8).starts_with("tests/fixtures/not-yaml.yaml:"),
                "{}",
                msg(8)
            );
            let unknown = &records[5];
            assert_eq!(unknown["missing"][0]["item"], "sources");
            assert_eq!(unknown["missing"][0]["source"], "nosuchregistry");
        })
        .run();
}

#[test]
fn unreadable_and_unsupported_files_are_error_records_not_crashes() {
    Test::new()
        .file("notes.md", "# Notes\n")
        .args([
            "evaluate",
            "no/such/file.yaml",
            "notes.md",
            "examples/linked-niph.yaml",
        ])
        .code(1)
        .stdout_json(|records| {
            assert_eq!(records.len(), 3);
            assert_eq!(records[0]["error"]["kind"], "unreadable");
            assert_eq!(records[1]["error"]["kind"], "unreadable");
            assert_eq!(records[2]["status"], "complete");
        })
        .run();
}

/// The first line of the batch fixture: one complete application as JSON.
fn good_json_line() -> String {
    let batch = std::fs::read_to_string(root().join("tests/fixtures/batch-with-bad-records.jsonl"))
        .expect("fixture");
    batch.lines().next().expect("line").to_string()
}

#[test]
fn standard_input_takes_json_lines() {
    let first = good_json_line();
    Test::new()
        .args(["evaluate", "-"])
        .stdin(&format!("{first}\n{first}\n"))
        .stdout_json(|r| assert_eq!(r.len(), 2))
        .run();
}

#[test]
fn standard_input_takes_a_yaml_document() {
    let doc = std::fs::read_to_string(root().join("examples/linked-niph.yaml")).expect("example");
    Test::new()
        .args(["evaluate", "-"])
        .stdin(&doc)
        .stdout_json(|r| assert_eq!(r[0]["routes"][0]["due"], "2026-06-08"))
        .run();
}

#[test]
fn same_input_gives_the_same_bytes() {
    let run = || Test::new().arg("evaluate").args(example_files()).run();
    assert_eq!(run().stdout, run().stdout);
}

#[test]
fn text_format_summarises_for_people() {
    Test::new()
        .args(["evaluate", "--format", "text", "examples/linked-niph.yaml"])
        .stdout_contains("HDS-2026-0142: complete")
        .stdout_contains("due 2026-06-08")
        .run();
}

#[test]
fn built_in_rules_are_used_outside_the_repository_and_match_the_folder() {
    let evaluate = |t: Test| {
        t.args(["evaluate", "examples/linked-niph.yaml"])
            .run()
            .json()
    };
    let built_in = evaluate(Test::new().remove("rules"));
    let from_folder = evaluate(Test::new());
    assert_eq!(built_in[0]["ruleset"], from_folder[0]["ruleset"]);
    assert_eq!(built_in[0]["routes"], from_folder[0]["routes"]);
}

#[test]
fn rules_flag_and_hds_rules_select_a_changed_copy() {
    // A copy of the rules beside the shipped ones, with 61 working days for linking.
    let changed = || {
        Test::new()
            .copy("rules", "changed")
            .edit("changed/settings.yaml", |t| {
                t.replace("linked_working_days: 60", "linked_working_days: 61")
            })
    };
    let evaluate = |t: Test| {
        t.args(["evaluate", "examples/linked-niph.yaml"])
            .run()
            .json()
    };

    let by_flag = evaluate(changed().args(["--rules", "changed"]));
    assert_eq!(by_flag[0]["routes"][0]["working_days"], 61);
    // 2026-06-08 + 1 working day.
    assert_eq!(by_flag[0]["routes"][0]["due"], "2026-06-09");

    let by_env = evaluate(changed().env("HDS_RULES", "changed"));
    assert_eq!(by_env[0]["routes"][0]["working_days"], 61);
    assert_ne!(
        by_env[0]["ruleset"]["fingerprint"],
        evaluate(Test::new())[0]["ruleset"]["fingerprint"]
    );
}

#[test]
fn local_rules_folder_in_the_current_directory_is_preferred_to_the_built_in_set() {
    Test::new()
        .edit("rules/settings.yaml", |t| {
            t.replace("linked_working_days: 60", "linked_working_days: 59")
        })
        .args(["evaluate", "examples/linked-niph.yaml"])
        .stdout_json(|r| assert_eq!(r[0]["routes"][0]["working_days"], 59))
        .run();
}

#[test]
fn custodian_closure_days_move_the_due_date() {
    Test::new()
        .edit("calendars/niph.yaml", |t| {
            t.replace(
                "closures: []",
                "closures:\n  - {name: Office move, from: 2026-06-01, to: 2026-06-02}",
            )
        })
        .args(["evaluate", "examples/linked-niph.yaml"])
        // Two working days closed inside the period: Mon 2026-06-08 becomes Wed 2026-06-10.
        .stdout_json(|r| assert_eq!(r[0]["routes"][0]["due"], "2026-06-10"))
        .run();
}

#[test]
fn a_runaway_script_stops_that_application_with_its_file_and_function_and_the_batch_goes_on() {
    Test::new()
        .file(
            "rules/niph/deadline.rhai",
            "
            fn deadline(app, route) {
                let n = 0;
                loop { n += 1; }
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
            assert!(
                msg.contains("niph/deadline.rhai:3:"),
                "the line of the loop: {msg}"
            );
            assert!(msg.contains("function deadline"), "{msg}");
            // Whichever comes first: the operations or the time one call may take.
            assert!(
                msg.contains("too many operations") || msg.contains("the time one call may take"),
                "{msg}"
            );
            assert_eq!(records[1]["status"], "complete");
        })
        .run();
}

#[test]
fn a_script_returning_the_wrong_shape_names_its_file_and_function() {
    Test::new()
        .file(
            "rules/cancer-registry/completeness.rhai",
            r#"
            fn completeness(app, sources) {
                "all fine"
            }
            "#,
        )
        .args(["evaluate", "examples/cancer-registry.yaml"])
        .code(1)
        .stdout_json(|r| {
            let msg = r[0]["error"]["message"].as_str().unwrap_or("");
            assert!(msg.contains("cancer-registry/completeness.rhai"), "{msg}");
            assert!(msg.contains("function completeness"), "{msg}");
            assert!(msg.contains("expected an array of records"), "{msg}");
        })
        .run();
}

#[test]
fn a_syntax_error_in_a_rule_stops_the_load_with_path_line_and_column_and_exit_2() {
    Test::new()
        .file(
            "rules/niph/routing.rhai",
            "
            // routing
            fn routing(app, sources) {
                let x = ;
                []
            }
            ",
        )
        .args(["evaluate", "examples/linked-niph.yaml"])
        .code(2)
        .stdout("")
        .stderr_contains("rules/niph/routing.rhai:3:13: error:")
        .run();
}

#[test]
fn a_missing_stage_function_stops_the_load() {
    Test::new()
        .file(
            "rules/national-archives/eligibility.rhai",
            "fn eligible(app, sources) { [] }\n",
        )
        .args(["evaluate", "examples/linked-niph.yaml"])
        .code(2)
        .stderr_contains("national-archives/eligibility.rhai: error: missing stage function: expected `fn eligibility(app, sources)`")
        .run();
}

#[test]
fn a_yaml_error_in_the_catalog_stops_the_load_with_its_position() {
    Test::new()
        .edit("rules/catalog.yaml", |t| {
            t.replace(
                "    form: helsedataservice\n    purposes: *central\n  mfr:",
                "    form: helsedataservice\n    purposes: *central\n    colour: blue\n  mfr:",
            )
        })
        .args(["evaluate", "examples/linked-niph.yaml"])
        .code(2)
        .stderr_contains("catalog.yaml:")
        .stderr_contains("colour")
        .run();
}

#[test]
fn brackets_nested_too_deep_in_a_rule_file_stop_the_load_at_their_place() {
    let deep = common::nested_brackets(100_000);
    Test::new()
        .edit("rules/settings.yaml", |t| format!("{t}\nnotes: {deep}\n"))
        .args(["check"])
        .code(1)
        .stdout_contains("rules/settings.yaml:")
        .stdout_contains(":72: error: brackets nested more than 64 deep; expected at most 64")
        .run();
}

#[test]
fn a_missing_rule_file_stops_the_load_naming_the_file() {
    Test::new()
        .remove("rules/helsedataservice/deadline.rhai")
        .args(["evaluate", "examples/linked-niph.yaml"])
        .code(2)
        .stderr_contains("helsedataservice/deadline.rhai")
        .stderr_contains("missing rule file")
        .run();
}

#[test]
fn script_print_goes_to_the_log_on_stderr_never_to_the_decisions() {
    Test::new()
        .file(
            "rules/niph/routing.rhai",
            r#"
            fn routing(app, sources) {
                print("routing " + app.id);
                []
            }
            "#,
        )
        .args(["-v", "evaluate", "examples/linked-niph.yaml"])
        .stdout_json(|r| assert_eq!(r.len(), 1))
        .stderr_contains("routing HDS-2026-0142")
        .run();
}

#[test]
fn calendar_holidays_lists_the_year_as_json() {
    Test::new()
        .args(["calendar", "holidays", "--year", "2026", "--format", "json"])
        .stdout_json(|r| {
            let list = &r[0];
            let dates: Vec<&str> = list
                .as_array()
                .expect("array")
                .iter()
                .filter_map(|d| d["date"].as_str())
                .collect();
            assert_eq!(
                dates,
                [
                    "2026-01-01",
                    "2026-04-02",
                    "2026-04-03",
                    "2026-04-05",
                    "2026-04-06",
                    "2026-05-01",
                    "2026-05-14",
                    "2026-05-17",
                    "2026-05-24",
                    "2026-05-25",
                    "2026-12-25",
                    "2026-12-26"
                ]
            );
            assert!(list[7]["name"]
                .as_str()
                .is_some_and(|n| n.contains("17. mai")));
        })
        .run();
}

#[test]
fn calendar_due_and_between_count_working_days() {
    Test::new()
        .args(["calendar", "due", "--from", "2026-03-06", "--days", "30"])
        .stdout("2026-04-22\n")
        .run();
    Test::new()
        .args(["calendar", "between", "2026-03-06", "2026-06-08"])
        .args(["--calendar", "niph"])
        .stdout("60\n")
        .run();
}

#[test]
fn calendar_errors_say_what_was_expected() {
    Test::new()
        .args(["calendar", "due", "--from", "2026-03-06", "--days", "3"])
        .args(["--calendar", "mars"])
        .code(2)
        .stderr_contains("expected one of")
        .run();
    Test::new()
        .args(["calendar", "due", "--from", "2100-12-30", "--days", "5"])
        .code(1)
        .stderr_contains("1990-2100")
        .run();
    Test::new()
        .args(["calendar", "due", "--from", "06.03.2026", "--days", "5"])
        .code(2)
        .stderr_contains("YYYY-MM-DD")
        .run();
}

#[test]
fn explain_names_the_rule_files_the_days_and_the_holidays_skipped() {
    let mut test = Test::new().args(["explain", "examples/linked-niph.yaml"]);
    for needle in [
        "rules/helsedataservice/completeness.rhai",
        "rules/helsedataservice/eligibility.rhai",
        "rules/helsedataservice/routing.rhai",
        "rules/helsedataservice/deadline.rhai",
        "rules: rules/settings.yaml, rules/helsedataservice/deadline.rhai",
        "counted in calendar niph",
        "60 working days",
        "directorate-of-health until 2023-12-31",
        "niph from 2024-01-01",
        "required sample_table (arrived 2026-03-06)",
        "2026-04-02 Thu holiday: Maundy Thursday",
        "2026-04-03 Fri holiday: Good Friday",
        "2026-04-06 Mon holiday: Easter Monday",
        "2026-05-01 Fri holiday: Labour Day",
        "2026-05-14 Thu holiday: Ascension Day",
        "2026-05-25 Mon holiday: Whit Monday",
        "due 2026-06-08",
    ] {
        test = test.stdout_contains(needle);
    }
    test.run();
}

#[test]
fn explain_as_json_gives_the_decision_and_the_trace() {
    Test::new()
        .args(["explain", "--format", "json", "examples/linked-niph.yaml"])
        .stdout_json(|r| {
            let v = &r[0];
            assert_eq!(v["decision"]["routes"][0]["due"], "2026-06-08");
            let skipped: Vec<&str> = v["trace"]["deadlines"][0]["skipped"]
                .as_array()
                .expect("skipped days")
                .iter()
                .filter(|d| d["weekend"] == false)
                .filter_map(|d| d["date"].as_str())
                .collect();
            assert_eq!(
                skipped,
                [
                    "2026-04-02",
                    "2026-04-03",
                    "2026-04-06",
                    "2026-05-01",
                    "2026-05-14",
                    "2026-05-25"
                ]
            );
            assert_eq!(v["trace"]["clock"]["complete_on"], "2026-03-06");
        })
        .run();
}

#[test]
fn evaluate_with_trace_adds_the_trace_to_each_decision_and_keeps_the_rest() {
    let evaluate = |flags: &[&str]| {
        Test::new()
            .arg("evaluate")
            .args(flags.iter().copied())
            .arg("examples/npr-before-2024.yaml")
            .run()
            .json()
    };
    let plain = evaluate(&[]);
    let traced = evaluate(&["--trace"]);
    let mut without = traced[0].clone();
    without.as_object_mut().expect("object").remove("trace");
    assert_eq!(without, plain[0]);
    assert_eq!(
        traced[0]["trace"]["sources"][0]["custodian"],
        "directorate-of-health"
    );
}

#[test]
fn explain_of_an_identifiable_application_says_why_nothing_else_was_decided() {
    Test::new()
        .args(["explain", "examples/identifiable.yaml"])
        .stdout_contains("redirected the whole application (identifiable-data)")
        .run();
}

#[test]
fn explain_says_why_the_route_of_an_ineligible_source_was_dropped() {
    Test::new()
        .args(["explain", "examples/ineligible.yaml"])
        .stdout_contains("\nRoutes dropped:\n  helsearkivregisteret to national-archives: the source is ineligible, by the error finding purpose-not-permitted (rules/helsedataservice/eligibility.rhai)\n")
        .run();
    Test::new()
        .args(["explain", "--format", "json", "examples/ineligible.yaml"])
        .stdout_json(|r| {
            assert_eq!(r[0]["decision"]["routes"], serde_json::json!([]));
            assert_eq!(
                r[0]["trace"]["dropped"],
                serde_json::json!([{
                    "custodian": "national-archives",
                    "source": "helsearkivregisteret",
                    "because": ["purpose-not-permitted (rules/helsedataservice/eligibility.rhai)"]
                }])
            );
        })
        .run();
    // Nothing dropped, nothing said.
    Test::new()
        .args(["explain", "--format", "json", "examples/linked-niph.yaml"])
        .stdout_json(|r| assert!(r[0]["trace"].get("dropped").is_none(), "{}", r[0]["trace"]))
        .run();
}

#[test]
fn check_is_clean_on_the_shipped_rules() {
    Test::new()
        .arg("check")
        .stdout_contains("no errors, 0 warning(s)")
        .run();
}

#[test]
fn check_reports_every_problem_with_its_exact_position() {
    // Each edit stays on its line, so the positions are those in the shipped files.
    let (cancer, _) = position_of(
        "rules/cancer-registry/completeness.rhai",
        "    let out = [];",
    );
    let (norway, column) = position_of("calendars/norway.yaml", "05-17");
    Test::new()
        .edit("rules/cancer-registry/completeness.rhai", |t| {
            t.replacen("    let out = [];", "    let out = [;", 1)
        })
        .edit("calendars/norway.yaml", |t| {
            t.replacen("date: 05-17", "date: 05-32", 1)
        })
        .edit("rules/helsedataservice/eligibility.rhai", |t| {
            t.replacen(
                "setting(\"confidentiality.max_variables\")",
                "setting(\"confidentiality.max_variable\")",
                1,
            )
        })
        .arg("check")
        .code(1)
        .stdout_contains(&format!("rules/cancer-registry/completeness.rhai:{cancer}:16: error: "))
        .stdout_contains(&format!("calendars/norway.yaml:{norway}:{column}: error: holiday 'Constitution Day (17. mai)': date '05-32'"))
        .stdout_contains("error: setting 'confidentiality.max_variable' is not in rules/settings.yaml")
        .stdout_contains("3 error(s)")
        .run();
}

#[test]
fn check_as_json_gives_one_line_per_problem_then_the_summary() {
    let (cancer, _) = position_of(
        "rules/cancer-registry/completeness.rhai",
        "    let out = [];",
    );
    let (norway, column) = position_of("calendars/norway.yaml", "05-17");
    let file = "rules/helsedataservice/completeness.rhai";
    let (from, to) = (
        "has_attachment(app, \"variable_list\")",
        "has_attachement(app, \"variable_list\")",
    );
    let (helper, helper_column) = position_after_edit(file, from, to, "has_attachement");
    Test::new()
        .edit("rules/cancer-registry/completeness.rhai", |t| {
            t.replacen("    let out = [];", "    let out = [;", 1)
        })
        .edit("calendars/norway.yaml", |t| {
            t.replacen("date: 05-17", "date: 05-32", 1)
        })
        .edit(file, |t| t.replacen(from, to, 1))
        .remove("rules/settings.yaml")
        .args(["check", "--format", "json"])
        .code(1)
        .stdout_json(move |lines| {
            let (summary, problems) = lines.split_last().expect("a summary line");
            let find = |path: &str| {
                problems
                    .iter()
                    .find(|p| p["file"].as_str().is_some_and(|f| f.ends_with(path)))
                    .unwrap_or_else(|| panic!("no problem in {path}: {problems:?}"))
            };
            let syntax = find("rules/cancer-registry/completeness.rhai");
            assert_eq!(syntax["line"], cancer);
            assert_eq!(syntax["column"], 16);
            assert_eq!(syntax["severity"], "error");
            assert_eq!(syntax["code"], "rule-syntax");
            let calendar = find("calendars/norway.yaml");
            assert_eq!(calendar["line"], norway);
            assert_eq!(calendar["column"], column);
            assert_eq!(calendar["code"], "calendar");
            let unknown = find(file);
            assert_eq!(unknown["line"], helper);
            assert_eq!(unknown["column"], helper_column);
            assert_eq!(unknown["code"], "unknown-function");
            assert!(unknown["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("unknown function `has_attachement`")));
            let missing = find("rules/settings.yaml");
            assert_eq!(missing["code"], "missing-file");
            assert!(missing["line"].is_null() && missing["column"].is_null());
            for p in problems {
                assert!(p["code"].as_str().is_some_and(|c| !c.is_empty()), "{p}");
                assert!(p["message"].is_string(), "{p}");
            }
            assert!(summary.get("file").is_none());
            assert_eq!(summary["errors"], problems.len());
            assert_eq!(summary["warnings"], 0);
            assert!(summary["ruleset"]["fingerprint"].is_string());
        })
        .run();
}

#[test]
fn check_as_json_on_a_clean_rule_set_gives_only_the_summary() {
    Test::new()
        .args(["check", "--format", "json"])
        .code(0)
        .stdout_json(|lines| {
            assert_eq!(lines.len(), 1, "{lines:?}");
            assert_eq!(lines[0]["errors"], 0);
            assert_eq!(lines[0]["warnings"], 0);
            assert!(lines[0]["ruleset"]["name"].is_string());
            assert!(lines[0]["ruleset"]["files"].as_u64().is_some_and(|n| n > 0));
        })
        .run();
}

#[test]
fn check_reports_a_calendar_a_deadline_rule_names_but_nobody_defined() {
    Test::new()
        .file(
            "rules/cancer-registry/deadline.rhai",
            "fn deadline(app, route) {\n    #{ calendar: \"cancer-registri\" }\n}\n",
        )
        .arg("check")
        .code(1)
        .stdout_contains("rules/cancer-registry/deadline.rhai:")
        .stdout_contains("calendar 'cancer-registri' does not exist")
        .run();
}

/// The line and column (from 1) of `at` in the repository's file `path` once its
/// first `from` is replaced by `to`.
fn position_after_edit(path: &str, from: &str, to: &str, at: &str) -> (usize, usize) {
    let text = std::fs::read_to_string(root().join(path)).expect("read");
    assert!(text.contains(from), "{path} lacks {from}");
    text.replacen(from, to, 1)
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.find(at).map(|c| (i + 1, l[..c].chars().count() + 1)))
        .unwrap_or_else(|| panic!("{path} lacks {at} after the edit"))
}

#[test]
fn check_reports_a_misspelt_helper_at_its_name_with_the_helper_meant() {
    let file = "rules/helsedataservice/completeness.rhai";
    let (from, to) = (
        "has_attachment(app, \"variable_list\")",
        "has_attachement(app, \"variable_list\")",
    );
    let (line, column) = position_after_edit(file, from, to, "has_attachement");
    Test::new()
        .edit(file, |t| t.replacen(from, to, 1))
        .arg("check")
        .code(1)
        .stdout_contains(&format!("{file}:{line}:{column}: error: unknown function `has_attachement`; did you mean `has_attachment`? expected a function this script defines, a helper (rules/API.md) or a Rhai built-in"))
        .stdout_contains("1 error(s)")
        .run();
}

#[test]
fn check_reports_a_misspelt_application_field_with_the_fields_there_are() {
    let file = "rules/helsedataservice/completeness.rhai";
    let (from, to) = (
        "is_blank(app.project.description)",
        "is_blank(app.projct.description)",
    );
    let (line, column) = position_after_edit(file, from, to, "projct");
    Test::new()
        .edit(file, |t| t.replacen(from, to, 1))
        .arg("check")
        .code(1)
        .stdout_contains(&format!("{file}:{line}:{column}: error: the application (`app`) has no field `projct`; did you mean `project`? expected one of: id, submitted_at, received_on, data_kind, applicant, project, sources, attachments, linking, language, "))
        .stdout_contains("1 error(s)")
        .run();
}

#[test]
fn check_reports_an_unknown_setting_after_a_comment_marker_inside_a_string() {
    let file = "rules/helsedataservice/eligibility.rhai";
    let (from, to) = (
        "    let out = [];\n",
        "    let out = [];\n    let u = \"http://x\"; let v = setting(\"no.such.key\");\n",
    );
    let (line, column) = position_after_edit(file, from, to, "\"no.such.key\"");
    Test::new()
        .edit(file, |t| t.replacen(from, to, 1))
        .arg("check")
        .code(1)
        .stdout_contains(&format!("{file}:{line}:{column}: error: setting 'no.such.key' is not in rules/settings.yaml; expected one of: "))
        .stdout_contains("1 error(s)")
        .run();
}

#[test]
fn check_reports_a_misspelt_dated_setting_with_the_setting_meant() {
    let file = "rules/helsedataservice/deadline.rhai";
    let (from, to) = (
        "setting_on(\"deadline.working_days\", on)",
        "setting_on(\"deadline.workin_days\", on)",
    );
    let (line, column) = position_after_edit(file, from, to, "\"deadline.workin_days\"");
    Test::new()
        .edit(file, |t| t.replacen(from, to, 1))
        .arg("check")
        .code(1)
        .stdout_contains(&format!("{file}:{line}:{column}: error: setting 'deadline.workin_days' is not in rules/settings.yaml; did you mean 'deadline.working_days'? expected one of: "))
        .stdout_contains("1 error(s)")
        .run();
}

#[test]
fn check_reports_a_deadline_result_key_the_stage_does_not_know() {
    let file = "rules/helsedataservice/deadline.rhai";
    let (from, to) = (
        "reason: #{message: \"deadline-standard\"",
        "reasn: #{message: \"deadline-standard\"",
    );
    let (line, column) = position_after_edit(file, from, to, "reasn");
    Test::new()
        .edit(file, |t| t.replacen(from, to, 1))
        .arg("check")
        .code(1)
        .stdout_contains(&format!("{file}:{line}:{column}: error: `fn deadline(app, route)` returns a map with key `reasn`, which the deadline stage does not know; did you mean `reason`? expected any of: working_days, reason, calendar"))
        .stdout_contains("1 error(s)")
        .run();
}

#[test]
fn check_reports_an_unknown_calendar_at_its_name() {
    let file = "rules/helsedataservice/deadline.rhai";
    let (from, to) = (
        "return #{ working_days: days,",
        "return #{ calendar: \"medicines-agenci\", working_days: days,",
    );
    let (line, column) = position_after_edit(file, from, to, "\"medicines-agenci\"");
    Test::new()
        .edit(file, |t| t.replacen(from, to, 1))
        .arg("check")
        .code(1)
        .stdout_contains(&format!("{file}:{line}:{column}: error: calendar 'medicines-agenci' does not exist; did you mean 'medicines-agency'? expected one of: "))
        .stdout_contains("1 error(s)")
        .run();
}

#[test]
fn check_reports_calls_with_a_number_of_arguments_no_overload_takes() {
    let file = "rules/helsedataservice/deadline.rhai";
    let (from, to) = (
        "why: not_linked(app, linked)",
        "why: not_linked(app), empty: is_blank(app, linked)",
    );
    let (line, own) = position_after_edit(file, from, to, "not_linked(app)");
    let (_, helper) = position_after_edit(file, from, to, "is_blank(");
    Test::new()
        .edit(file, |t| t.replacen(from, to, 1))
        .arg("check")
        .code(1)
        .stdout_contains(&format!("{file}:{line}:{own}: error: `not_linked` is called with 1 argument; expected 2 arguments: `fn not_linked(app, linked)` in this file"))
        .stdout_contains(&format!("{file}:{line}:{helper}: error: `is_blank` is called with 2 arguments; expected 1 argument: `is_blank(value)` (rules/API.md)"))
        .stdout_contains("2 error(s)")
        .run();
}

#[test]
fn check_reports_a_message_referring_to_a_term_or_message_the_file_lacks() {
    let file = "rules/messages/en.ftl";
    let text = std::fs::read_to_string(root().join(file)).expect("read");
    let line = text
        .lines()
        .position(|l| l.starts_with("deadline-standard = "))
        .expect("deadline-standard")
        + 1;
    let (from, to) = (
        "deadline-standard = ",
        "deadline-standard = { -servce } { deadline-linkd } ",
    );
    Test::new()
        .edit(file, |t| t.replacen(from, to, 1))
        .arg("check")
        .code(1)
        .stdout_contains(&format!("{file}:{line}:23: error: message 'deadline-standard' refers to term '-servce', which {file} does not define; expected a term of this file (`-name = …`)"))
        .stdout_contains(&format!("{file}:{line}:35: error: message 'deadline-standard' refers to message 'deadline-linkd', which {file} does not define; did you mean 'deadline-linked'? expected a message of this file (`name = …`)"))
        .stdout_contains("2 error(s)")
        .run();
}

#[test]
fn evaluate_with_a_rule_set_that_fails_the_check_exits_2_naming_the_problem() {
    let file = "rules/helsedataservice/completeness.rhai";
    let (from, to) = (
        "has_attachment(app, \"variable_list\")",
        "has_attachement(app, \"variable_list\")",
    );
    let (line, column) = position_after_edit(file, from, to, "has_attachement");
    Test::new()
        .edit(file, |t| t.replacen(from, to, 1))
        .args(["evaluate", "examples/linked-niph.yaml"])
        .code(2)
        .stdout("")
        .stderr_contains(&format!(
            "{file}:{line}:{column}: error: unknown function `has_attachement`"
        ))
        .run();
}

#[test]
fn check_warns_about_a_rule_folder_no_custodian_uses_but_passes() {
    Test::new()
        .copy("rules/cancer-registry", "rules/old-cancer-registry")
        .arg("check")
        .stdout_contains("rules/old-cancer-registry: warning: folder 'old-cancer-registry'")
        .run();
}

#[test]
fn a_large_batch_keeps_input_order_and_one_line_per_record() {
    let template = good_json_line();
    let mut input = String::new();
    for i in 0..700 {
        if i % 97 == 5 {
            input.push_str("{ not json\n");
        } else {
            input.push_str(&template.replace("GOOD-1", &format!("ORDER-{i:04}")));
            input.push('\n');
        }
    }
    Test::new()
        .file("big.jsonl", &input)
        .args(["evaluate", "big.jsonl"])
        .code(1)
        .stdout_json(|records| {
            assert_eq!(records.len(), 700);
            for (i, r) in records.iter().enumerate() {
                if i % 97 == 5 {
                    assert_eq!(r["input"], format!("big.jsonl:{}", i + 1));
                } else {
                    assert_eq!(r["application"], format!("ORDER-{i:04}"));
                }
            }
        })
        .run();
}

#[test]
fn a_folder_named_like_an_application_file_is_one_unreadable_record() {
    Test::new()
        .dir("batch.jsonl")
        .args(["evaluate", "batch.jsonl", "examples/linked-niph.yaml"])
        .code(1)
        .stdout_json(|records| {
            assert_eq!(records.len(), 2);
            assert_eq!(records[0]["error"]["kind"], "unreadable");
            assert_eq!(records[1]["status"], "complete");
        })
        .run();
}

#[test]
fn standard_input_with_a_broken_first_line_still_gives_one_line_per_record() {
    let first = good_json_line();
    Test::new()
        .args(["evaluate", "-"])
        .stdin(&format!(
            "{{\"id\": \"BAD\", \"submitted_at\": \"2026-03-02\",\n{first}\n{first}\n"
        ))
        .code(1)
        .stdout_json(|records| {
            assert_eq!(records.len(), 3);
            assert_eq!(records[0]["error"]["kind"], "syntax");
            assert_eq!(records[1]["status"], "complete");
            assert_eq!(records[2]["status"], "complete");
        })
        .run();
}

#[test]
fn each_document_of_a_yaml_stream_is_a_record_named_by_its_first_line() {
    let read = |path: &str| std::fs::read_to_string(root().join(path)).expect("example");
    let a = read("examples/complete-single-source.yaml");
    let b = read("examples/incomplete.yaml");
    let third = a.lines().count() + b.lines().count() + 3;
    Test::new()
        .file("two.yaml", &format!("{a}---\n{b}---\nid: [broken\n"))
        .args(["evaluate", "two.yaml"])
        .code(1)
        .stdout_json(move |records| {
            assert_eq!(records.len(), 3);
            assert_eq!(records[0]["application"], "HDS-2026-0311");
            assert_eq!(records[1]["application"], "HDS-2026-0415");
            assert_eq!(records[2]["input"], format!("two.yaml:{third}"));
            assert_eq!(records[2]["error"]["kind"], "syntax");
        })
        .run();
}

#[test]
fn an_empty_hds_rules_is_as_if_unset() {
    Test::new()
        .env("HDS_RULES", "")
        .args(["evaluate", "examples/linked-niph.yaml"])
        .run();
}

#[test]
fn a_date_the_calendar_cannot_count_names_the_file_and_the_field() {
    Test::new()
        .copy("examples/complete-single-source.yaml", "late.yaml")
        .edit("late.yaml", |t| {
            t.replace(
                "    file: tabellutkast.xlsx\n",
                "    file: tabellutkast.xlsx\n    received_at: 2100-12-30\n",
            )
        })
        .args(["evaluate", "late.yaml"])
        .code(1)
        .stdout_json(|r| {
            assert_eq!(r[0]["error"]["kind"], "date-out-of-range");
            let msg = r[0]["error"]["message"].as_str().unwrap_or("");
            assert!(msg.starts_with("late.yaml"), "{msg}");
            assert!(
                msg.contains("complete_on 2100-12-30") && msg.contains("received_at"),
                "{msg}"
            );
        })
        .run();
}

#[test]
fn a_script_that_tries_to_sleep_is_stopped_with_a_rule_error() {
    Test::new()
        .file(
            "rules/niph/routing.rhai",
            "
            fn routing(app, sources) {
                sleep(1000000);
                []
            }
            ",
        )
        .args(["evaluate", "examples/linked-niph.yaml"])
        .code(1)
        .stdout_json(|r| {
            assert_eq!(r[0]["error"]["kind"], "rule-error");
            let msg = r[0]["error"]["message"].as_str().unwrap_or("");
            assert!(msg.contains("sleep is not available"), "{}", r[0]);
        })
        .run();
}

#[test]
fn a_stage_function_with_the_wrong_parameters_is_reported_at_its_line() {
    let broken = || {
        Test::new().file(
            "rules/medicines-agency/deadline.rhai",
            "
            // deadline

            fn deadline(app) {
                ()
            }
            ",
        )
    };
    broken()
        .arg("check")
        .code(1)
        .stdout_contains("rules/medicines-agency/deadline.rhai:3:1: error: stage function `deadline` takes 1 parameter(s); expected `fn deadline(app, route)`")
        .run();
    broken()
        .args(["evaluate", "examples/linked-niph.yaml"])
        .code(2)
        .stderr_contains("takes 1 parameter(s)")
        .run();
}

#[test]
fn a_rules_folder_without_a_manifest_is_named_in_the_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = hds()
        .arg("--rules")
        .arg(dir.path())
        .args(["evaluate", "examples/linked-niph.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{}/ruleset.yaml", dir.path().display())),
        "{err}"
    );
}

#[test]
fn check_shows_the_source_line_with_a_caret_under_the_column() {
    let dir = common::copy_rules();
    let file = dir.path().join("rules/cancer-registry/completeness.rhai");
    let text = std::fs::read_to_string(&file).expect("read");
    common::write(&file, &text.replacen("let out = [];", "let out = [;", 1));
    let out = common::hds()
        .args([
            "--rules",
            &dir.path().join("rules").to_string_lossy(),
            "check",
        ])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    let source = lines
        .iter()
        .position(|l| l.ends_with("let out = [;"))
        .expect("the source line is shown");
    let code_column = lines[source].find('[').expect("bracket") + 1;
    assert_eq!(lines[source + 1].find('^'), Some(code_column), "{stdout}");
}

#[test]
fn an_application_may_name_the_decision_it_updates() {
    Test::new()
        .file(
            "update.yaml",
            "id: HDS-U-1\nsubmitted_at: 2026-03-02\ndata_kind: identifiable\nupdate_of: HDS-2025-0001\n",
        )
        .args(["evaluate", "update.yaml"])
        .stdout_json(|r| assert_eq!(r[0]["status"], "redirected"))
        .run();
}

#[test]
fn a_rule_error_in_text_output_shows_the_rule_line_with_a_caret() {
    Test::new()
        .edit("rules/helsedataservice/routing.rhai", |t| {
            t.replacen("let out = [];", "let out = [];\n    let n = 1 / 0;", 1)
        })
        .args(["evaluate", "--format", "text", "examples/linked-niph.yaml"])
        .code(1)
        .stdout_contains(
            "rules/helsedataservice/routing.rhai:12:15: function routing: Division by zero",
        )
        .stdout_contains("12 |     let n = 1 / 0;\n   |               ^")
        .run();
}

#[test]
fn a_rule_error_in_a_function_the_stage_function_called_names_that_function_and_its_caller() {
    let file = "rules/helsedataservice/deadline.rhai";
    let (from, to) = (
        "    let others = [];\n",
        "    let others = [];\n    let q = 1 / (linked.len() - linked.len());\n",
    );
    let (line, column) = position_after_edit(file, from, to, "/ (linked");
    Test::new()
        .edit(file, |t| t.replacen(from, to, 1))
        .file(
            "linked-alone.yaml",
            "
            id: LINKED-ALONE
            submitted_at: 2026-03-02T10:00:00+01:00
            data_kind: aggregated
            applicant: {name: Kari Nordmann, email: kari@example.org}
            project: {description: Tabeller per år, purpose: research}
            sources:
              - {id: msis, variables: [year, county]}
            linking: {comment: koblet på person}
            attachments:
              - {kind: sample_table, file: tabell.xlsx}
            ",
        )
        .args(["evaluate", "linked-alone.yaml"])
        .code(1)
        .stdout_json(move |r| {
            assert_eq!(r[0]["error"]["kind"], "rule-error");
            assert_eq!(
                r[0]["error"]["message"],
                format!("{file}:{line}:{column}: function not_linked (called from deadline): Division by zero: 1 / 0")
            );
        })
        .run();
}

#[test]
fn a_key_given_twice_in_a_rule_file_is_an_error_at_its_second_place() {
    Test::new()
        .edit("rules/settings.yaml", |t| {
            t.replacen("deadline:\n", "deadline:\n  working_days: 31\n", 1)
        })
        .arg("check")
        .code(1)
        .stdout_contains("rules/settings.yaml:")
        .stdout_contains("error: `deadline.working_days` is given twice (first at ")
        .run();
}

#[test]
fn status_gives_each_case_in_order_and_a_bad_case_file_its_error_record() {
    Test::new()
        .file(
            "bad-case.yaml",
            "application: examples/linked-niph.yaml\nevents:\n  - {date: 2026-04-01, kind: postponed, route: niph, until: 2026-09-01}\n",
        )
        .args([
            "status",
            "--as-of",
            "2026-08-27",
            "examples/cases/postponed.yaml",
            "bad-case.yaml",
            "examples/cases/postponed.yaml",
        ])
        .code(1)
        .stdout_json(|r| {
            assert_eq!(r.len(), 3);
            assert_eq!(r[0]["routes"][0]["due_now"], "2026-09-01");
            assert_eq!(r[0]["actions"][0]["code"], "deliver-or-postpone");
            assert_eq!(r[1]["error"]["kind"], "missing-field");
            assert!(
                r[1]["error"]["message"].as_str().unwrap_or_default().contains("events[0]"),
                "{}",
                r[1]
            );
            assert_eq!(r[2], r[0]);
        })
        .run();
}

/// An application received Tuesday 2026-06-30 whose sample table arrives at `arrives`.
fn dated_deadline_app(id: &str, arrives: &str) -> String {
    format!(
        r#"{{"id": "{id}", "submitted_at": "2026-06-30T10:00:00+02:00", "data_kind": "aggregated", "applicant": {{"name": "Kari Nordmann", "email": "kari@example.org"}}, "project": {{"description": "Tilfeller per år og fylke", "purpose": "research"}}, "sources": [{{"id": "msis", "variables": ["year", "county"]}}], "attachments": [{{"kind": "sample_table", "file": "t.xlsx", "received_at": "{arrives}"}}]}}"#
    )
}

/// The deadline's length changes on 2026-07-01 from 30 to 40 working days.
fn dated_working_days(settings: &str) -> String {
    settings.replace(
        "  working_days: 30\n",
        "  working_days:\n    - {from: 2000-01-01, until: 2026-06-30, value: 30}\n    - {from: 2026-07-01, value: 40}\n",
    )
}

#[test]
fn a_dated_deadline_length_is_read_by_the_completion_date_not_the_received_date() {
    // Both received 2026-06-30; A is complete that day (30 working days), B only
    // when its sample table arrives on 2026-07-01 (40).
    let apps = format!(
        "{}\n{}\n",
        dated_deadline_app("DATED-A", "2026-06-30T12:00:00+02:00"),
        dated_deadline_app("DATED-B", "2026-07-01T09:00:00+02:00")
    );
    Test::new()
        .edit("rules/settings.yaml", dated_working_days)
        .file("apps.jsonl", &apps)
        .args(["evaluate", "apps.jsonl"])
        .stdout_json(|d| {
            assert_eq!(d[0]["complete_on"], "2026-06-30");
            assert_eq!(d[0]["routes"][0]["working_days"], 30);
            assert_eq!(d[1]["complete_on"], "2026-07-01");
            assert_eq!(d[1]["routes"][0]["working_days"], 40);
        })
        .run();
}

#[test]
fn explain_shows_which_dated_setting_value_a_rule_read_and_its_period() {
    Test::new()
        .edit("rules/settings.yaml", dated_working_days)
        .file(
            "b.json",
            &dated_deadline_app("DATED-B", "2026-07-01T09:00:00+02:00"),
        )
        .args(["explain", "b.json"])
        .stdout_contains(
            "read setting deadline.working_days on 2026-07-01: 40 (the period from 2026-07-01, with no end)",
        )
        .run();
}

#[test]
fn a_negative_day_count_or_year_is_refused_saying_what_was_expected() {
    Test::new()
        .args(["calendar", "due", "--from", "2026-03-02", "--days", "-1"])
        .code(2)
        .stderr_contains("'-1' is not a number of working days; expected a whole number, 0 or more")
        .run();
    Test::new()
        .args(["calendar", "holidays", "--year", "-5"])
        .code(2)
        .stderr_contains("'-5' is not a year; expected a year from 1 to 9999")
        .run();
}

#[test]
fn between_with_the_dates_reversed_counts_back_with_a_minus_sign() {
    // Working days after Mon 2 March 2026 up to Tue 10 March: 3, 4, 5, 6, 9, 10.
    Test::new()
        .args(["calendar", "between", "2026-03-02", "2026-03-10"])
        .stdout("6\n")
        .run();
    Test::new()
        .args(["calendar", "between", "2026-03-10", "2026-03-02"])
        .stdout("-6\n")
        .run();
}
