//! Integration tests that run the real `hds` binary.

mod common;

use common::{copy_dir, copy_rules, hds, root, write};
use serde_json::Value;

fn lines(output: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

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

#[test]
fn contract_example_is_complete_routed_to_niph_with_60_working_days_due_2026_06_08() {
    let out = hds()
        .args(["evaluate", "examples/linked-niph.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let d = &lines(&out.stdout)[0];
    assert_eq!(d["application"], "HDS-2026-0142");
    assert_eq!(d["status"], "complete");
    assert_eq!(d["received_on"], "2026-03-02");
    assert_eq!(d["complete_on"], "2026-03-06");
    assert_eq!(d["missing"], serde_json::json!([]));
    let routes = d["routes"].as_array().expect("routes");
    assert_eq!(routes.len(), 1);
    assert_eq!(routes[0]["custodian"], "niph");
    assert_eq!(routes[0]["sources"], serde_json::json!(["msis", "npr"]));
    assert_eq!(routes[0]["working_days"], 60);
    assert_eq!(routes[0]["clock_start"], "2026-03-06");
    assert_eq!(routes[0]["due"], "2026-06-08");
    assert_eq!(d["ruleset"]["name"], "helsedataservice");
    assert!(d["ruleset"]["fingerprint"]
        .as_str()
        .is_some_and(|f| f.starts_with("sha256:")));
}

#[test]
fn decision_fields_come_in_contract_order() {
    let out = hds()
        .args(["evaluate", "examples/linked-niph.yaml"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
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
    let out = hds().arg("evaluate").args(&files).output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let decisions = lines(&out.stdout);
    assert_eq!(decisions.len(), files.len());
    let status: std::collections::BTreeMap<String, String> = decisions
        .iter()
        .map(|d| {
            (
                d["application"].as_str().unwrap_or("").to_string(),
                d["status"].as_str().unwrap_or("").to_string(),
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
        assert_eq!(status.get(id).map(String::as_str), Some(s), "{id}");
    }
}

#[test]
fn npr_before_2024_goes_to_the_directorate_of_health_and_the_variable_list_starts_the_clock() {
    let out = hds()
        .args(["evaluate", "examples/npr-before-2024.yaml"])
        .output()
        .expect("runs");
    let d = &lines(&out.stdout)[0];
    assert_eq!(d["routes"][0]["custodian"], "directorate-of-health");
    assert_eq!(d["complete_on"], "2023-11-24");
    // Fri 2023-11-24 + 30 working days, skipping 25-26 Dec and 1 Jan: 2024-01-10.
    assert_eq!(d["routes"][0]["due"], "2024-01-10");
}

#[test]
fn a_late_attachment_nothing_requires_does_not_move_the_clock() {
    let out = hds()
        .args(["evaluate", "tests/fixtures/late-sample-table.yaml"])
        .output()
        .expect("runs");
    let d = &lines(&out.stdout)[0];
    // The sample table came on Christmas Eve (a working day); the letter in January
    // is not required. Thu 2026-12-24 + 30 working days (25 Dec, 1 Jan skipped).
    assert_eq!(d["complete_on"], "2026-12-24");
    assert_eq!(d["routes"][0]["due"], "2027-02-08");
}

#[test]
fn identifiable_data_redirect_the_whole_application_and_decide_nothing_else() {
    let out = hds()
        .args(["evaluate", "examples/identifiable.yaml"])
        .output()
        .expect("runs");
    let d = &lines(&out.stdout)[0];
    assert_eq!(d["status"], "redirected");
    assert_eq!(d["redirects"][0]["source"], Value::Null);
    assert_eq!(d["redirects"][0]["reason"], "identifiable-data");
    assert_eq!(d["routes"], serde_json::json!([]));
    assert_eq!(d["missing"], serde_json::json!([]));
    assert_eq!(d["findings"], serde_json::json!([]));
}

#[test]
fn bad_records_each_give_one_error_line_in_order_and_exit_1() {
    let out = hds()
        .args([
            "evaluate",
            "tests/fixtures/batch-with-bad-records.jsonl",
            "tests/fixtures/not-yaml.yaml",
            "examples/linked-niph.yaml",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let records = lines(&out.stdout);
    let summary: Vec<(String, String)> = records
        .iter()
        .map(|r| {
            let id = r["application"].as_str().unwrap_or("null").to_string();
            let what = match r.get("error") {
                Some(e) => e["kind"].as_str().unwrap_or("").to_string(),
                None => r["status"].as_str().unwrap_or("").to_string(),
            };
            (id, what)
        })
        .collect();
    let expected = [
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
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(summary, expected);
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
    let msg = |i: usize| {
        records[i]["error"]["message"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
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
}

#[test]
fn unreadable_and_unsupported_files_are_error_records_not_crashes() {
    let out = hds()
        .args([
            "evaluate",
            "no/such/file.yaml",
            "README.md",
            "examples/linked-niph.yaml",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let records = lines(&out.stdout);
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["error"]["kind"], "unreadable");
    assert_eq!(records[1]["error"]["kind"], "unreadable");
    assert_eq!(records[2]["status"], "complete");
}

#[test]
fn standard_input_takes_json_lines() {
    let line = std::fs::read_to_string(root().join("tests/fixtures/batch-with-bad-records.jsonl"))
        .expect("fixture");
    let first = line.lines().next().expect("line");
    let out = hds()
        .args(["evaluate", "-"])
        .write_stdin(format!("{first}\n{first}\n"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(lines(&out.stdout).len(), 2);
}

#[test]
fn standard_input_takes_a_yaml_document() {
    let doc = std::fs::read_to_string(root().join("examples/linked-niph.yaml")).expect("example");
    let out = hds()
        .args(["evaluate", "-"])
        .write_stdin(doc)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(lines(&out.stdout)[0]["routes"][0]["due"], "2026-06-08");
}

#[test]
fn same_input_gives_the_same_bytes() {
    let files = example_files();
    let a = hds().arg("evaluate").args(&files).output().expect("runs");
    let b = hds().arg("evaluate").args(&files).output().expect("runs");
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn text_format_summarises_for_people() {
    let out = hds()
        .args(["evaluate", "--format", "text", "examples/linked-niph.yaml"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("HDS-2026-0142: complete"), "{text}");
    assert!(text.contains("due 2026-06-08"), "{text}");
}

#[test]
fn built_in_rules_are_used_outside_the_repository_and_match_the_folder() {
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let example = root().join("examples/linked-niph.yaml");
    let out = hds()
        .current_dir(elsewhere.path())
        .arg("evaluate")
        .arg(&example)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let built_in = lines(&out.stdout)[0].clone();
    let from_folder = lines(
        &hds()
            .args(["evaluate", "examples/linked-niph.yaml"])
            .output()
            .expect("runs")
            .stdout,
    )[0]
    .clone();
    assert_eq!(built_in["ruleset"], from_folder["ruleset"]);
    assert_eq!(built_in["routes"], from_folder["routes"]);
}

#[test]
fn rules_flag_and_hds_rules_select_a_changed_copy() {
    let copy = copy_rules();
    let settings = copy.path().join("rules/settings.yaml");
    let text = std::fs::read_to_string(&settings).expect("settings");
    write(
        &settings,
        &text.replace("linked_working_days: 60", "linked_working_days: 61"),
    );
    let rules = copy.path().join("rules");

    let by_flag = hds()
        .arg("--rules")
        .arg(&rules)
        .args(["evaluate", "examples/linked-niph.yaml"])
        .output()
        .expect("runs");
    let d = &lines(&by_flag.stdout)[0];
    assert_eq!(d["routes"][0]["working_days"], 61);
    // 2026-06-08 + 1 working day.
    assert_eq!(d["routes"][0]["due"], "2026-06-09");

    let by_env = hds()
        .env("HDS_RULES", &rules)
        .args(["evaluate", "examples/linked-niph.yaml"])
        .output()
        .expect("runs");
    assert_eq!(lines(&by_env.stdout)[0]["routes"][0]["working_days"], 61);
    assert_ne!(
        lines(&by_env.stdout)[0]["ruleset"]["fingerprint"],
        lines(
            &hds()
                .args(["evaluate", "examples/linked-niph.yaml"])
                .output()
                .expect("runs")
                .stdout
        )[0]["ruleset"]["fingerprint"]
    );
}

#[test]
fn local_rules_folder_in_the_current_directory_is_preferred_to_the_built_in_set() {
    let copy = copy_rules();
    let settings = copy.path().join("rules/settings.yaml");
    let text = std::fs::read_to_string(&settings).expect("settings");
    write(
        &settings,
        &text.replace("linked_working_days: 60", "linked_working_days: 59"),
    );
    let example = root().join("examples/linked-niph.yaml");
    let out = hds()
        .current_dir(copy.path())
        .arg("evaluate")
        .arg(&example)
        .output()
        .expect("runs");
    assert_eq!(lines(&out.stdout)[0]["routes"][0]["working_days"], 59);
}

#[test]
fn custodian_closure_days_move_the_due_date() {
    let copy = copy_rules();
    let niph = copy.path().join("calendars/niph.yaml");
    let text = std::fs::read_to_string(&niph).expect("niph calendar");
    write(
        &niph,
        &text.replace(
            "closures: []",
            "closures:\n  - {name: Office move, from: 2026-06-01, to: 2026-06-02}",
        ),
    );
    let out = hds()
        .arg("--rules")
        .arg(copy.path().join("rules"))
        .args(["evaluate", "examples/linked-niph.yaml"])
        .output()
        .expect("runs");
    let d = &lines(&out.stdout)[0];
    // Two working days closed inside the period: Mon 2026-06-08 becomes Wed 2026-06-10.
    assert_eq!(d["routes"][0]["due"], "2026-06-10");
}

#[test]
fn a_runaway_script_stops_that_application_with_its_file_and_function_and_the_batch_goes_on() {
    let copy = copy_rules();
    write(
        &copy.path().join("rules/niph/deadline.rhai"),
        "fn deadline(app, route) {\n    let n = 0;\n    loop { n += 1; }\n}\n",
    );
    let out = hds()
        .arg("--rules")
        .arg(copy.path().join("rules"))
        .args([
            "evaluate",
            "examples/linked-niph.yaml",
            "examples/cancer-registry.yaml",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let records = lines(&out.stdout);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["error"]["kind"], "rule-error");
    let msg = records[0]["error"]["message"].as_str().unwrap_or("");
    assert!(
        msg.contains("niph/deadline.rhai:3:"),
        "the line of the loop: {msg}"
    );
    assert!(msg.contains("function deadline"), "{msg}");
    assert!(msg.contains("too many operations"), "{msg}");
    assert_eq!(records[1]["status"], "complete");
}

#[test]
fn a_script_returning_the_wrong_shape_names_its_file_and_function() {
    let copy = copy_rules();
    write(
        &copy.path().join("rules/cancer-registry/completeness.rhai"),
        "fn completeness(app, sources) {\n    \"all fine\"\n}\n",
    );
    let out = hds()
        .arg("--rules")
        .arg(copy.path().join("rules"))
        .args(["evaluate", "examples/cancer-registry.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let msg = lines(&out.stdout)[0]["error"]["message"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(msg.contains("cancer-registry/completeness.rhai"), "{msg}");
    assert!(msg.contains("function completeness"), "{msg}");
    assert!(msg.contains("expected an array of records"), "{msg}");
}

#[test]
fn a_syntax_error_in_a_rule_stops_the_load_with_path_line_and_column_and_exit_2() {
    let copy = copy_rules();
    write(
        &copy.path().join("rules/niph/routing.rhai"),
        "// routing\nfn routing(app, sources) {\n    let x = ;\n    []\n}\n",
    );
    let rules = copy.path().join("rules");
    let out = hds()
        .arg("--rules")
        .arg(&rules)
        .args(["evaluate", "examples/linked-niph.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    let expected = format!("{}:3:13: error:", rules.join("niph/routing.rhai").display());
    assert!(err.contains(&expected), "{err}");
}

#[test]
fn a_missing_stage_function_stops_the_load() {
    let copy = copy_rules();
    write(
        &copy.path().join("rules/national-archives/eligibility.rhai"),
        "fn eligible(app, sources) { [] }\n",
    );
    let out = hds()
        .arg("--rules")
        .arg(copy.path().join("rules"))
        .args(["evaluate", "examples/linked-niph.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("national-archives/eligibility.rhai: error: missing stage function: expected `fn eligibility(app, sources)`"), "{err}");
}

#[test]
fn a_yaml_error_in_the_catalog_stops_the_load_with_its_position() {
    let copy = copy_rules();
    let catalog = copy.path().join("rules/catalog.yaml");
    let text = std::fs::read_to_string(&catalog).expect("catalog");
    write(
        &catalog,
        &text.replace(
            "    form: helsedataservice\n    purposes: *central\n  mfr:",
            "    form: helsedataservice\n    purposes: *central\n    colour: blue\n  mfr:",
        ),
    );
    let out = hds()
        .arg("--rules")
        .arg(copy.path().join("rules"))
        .args(["evaluate", "examples/linked-niph.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("catalog.yaml:") && err.contains("colour"),
        "{err}"
    );
}

#[test]
fn a_missing_rule_file_stops_the_load_naming_the_file() {
    let copy = copy_rules();
    std::fs::remove_file(copy.path().join("rules/helsedataservice/deadline.rhai")).expect("rm");
    let out = hds()
        .arg("--rules")
        .arg(copy.path().join("rules"))
        .args(["evaluate", "examples/linked-niph.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("helsedataservice/deadline.rhai") && err.contains("missing rule file"),
        "{err}"
    );
}

#[test]
fn script_print_goes_to_the_log_on_stderr_never_to_the_decisions() {
    let copy = copy_rules();
    write(
        &copy.path().join("rules/niph/routing.rhai"),
        "fn routing(app, sources) {\n    print(\"routing \" + app.id);\n    []\n}\n",
    );
    let out = hds()
        .arg("--rules")
        .arg(copy.path().join("rules"))
        .args(["-v", "evaluate", "examples/linked-niph.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(lines(&out.stdout).len(), 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("routing HDS-2026-0142"));
}

#[test]
fn calendar_holidays_lists_the_year_as_json() {
    let out = hds()
        .args(["calendar", "holidays", "--year", "2026", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let list = &lines(&out.stdout)[0];
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
}

#[test]
fn calendar_due_and_between_count_working_days() {
    let due = hds()
        .args(["calendar", "due", "--from", "2026-03-06", "--days", "30"])
        .output()
        .expect("runs");
    assert_eq!(String::from_utf8_lossy(&due.stdout).trim(), "2026-04-22");
    let between = hds()
        .args([
            "calendar",
            "between",
            "2026-03-06",
            "2026-06-08",
            "--calendar",
            "niph",
        ])
        .output()
        .expect("runs");
    assert_eq!(String::from_utf8_lossy(&between.stdout).trim(), "60");
}

#[test]
fn calendar_errors_say_what_was_expected() {
    let unknown = hds()
        .args([
            "calendar",
            "due",
            "--from",
            "2026-03-06",
            "--days",
            "3",
            "--calendar",
            "mars",
        ])
        .output()
        .expect("runs");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("expected one of"));
    let range = hds()
        .args(["calendar", "due", "--from", "2100-12-30", "--days", "5"])
        .output()
        .expect("runs");
    assert_eq!(range.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&range.stderr).contains("1990-2100"));
    let bad_date = hds()
        .args(["calendar", "due", "--from", "06.03.2026", "--days", "5"])
        .output()
        .expect("runs");
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_date.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn explain_names_the_rule_files_the_days_and_the_holidays_skipped() {
    let out = hds()
        .args(["explain", "examples/linked-niph.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
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
        assert!(text.contains(needle), "missing '{needle}' in:\n{text}");
    }
}

#[test]
fn explain_as_json_gives_the_decision_and_the_trace() {
    let out = hds()
        .args(["explain", "--format", "json", "examples/linked-niph.yaml"])
        .output()
        .expect("runs");
    let v = &lines(&out.stdout)[0];
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
}

#[test]
fn evaluate_with_trace_adds_the_trace_to_each_decision_and_keeps_the_rest() {
    let plain = lines(
        &hds()
            .args(["evaluate", "examples/npr-before-2024.yaml"])
            .output()
            .expect("runs")
            .stdout,
    )[0]
    .clone();
    let traced = lines(
        &hds()
            .args(["evaluate", "--trace", "examples/npr-before-2024.yaml"])
            .output()
            .expect("runs")
            .stdout,
    )[0]
    .clone();
    let mut without = traced.clone();
    without.as_object_mut().expect("object").remove("trace");
    assert_eq!(without, plain);
    assert_eq!(
        traced["trace"]["sources"][0]["custodian"],
        "directorate-of-health"
    );
}

#[test]
fn explain_of_an_identifiable_application_says_why_nothing_else_was_decided() {
    let out = hds()
        .args(["explain", "examples/identifiable.yaml"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("redirected the whole application (identifiable-data)"),
        "{text}"
    );
}

#[test]
fn check_is_clean_on_the_shipped_rules() {
    let out = hds().arg("check").output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("no errors, 0 warning(s)"), "{text}");
}

#[test]
fn check_reports_every_problem_with_its_exact_position() {
    let copy = copy_rules();
    let p = copy.path();
    let edit = |file: &str, from: &str, to: &str| {
        let path = p.join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{file} lacks {from}");
        write(&path, &text.replacen(from, to, 1));
    };
    edit(
        "rules/cancer-registry/completeness.rhai",
        "    let out = [];",
        "    let out = [;",
    );
    edit("calendars/norway.yaml", "date: 05-17", "date: 05-32");
    edit(
        "rules/helsedataservice/eligibility.rhai",
        "setting(\"confidentiality.max_variables\")",
        "setting(\"confidentiality.max_variable\")",
    );
    let out = hds().current_dir(p).arg("check").output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let cancer =
        std::fs::read_to_string(p.join("rules/cancer-registry/completeness.rhai")).expect("read");
    let line = cancer
        .lines()
        .position(|l| l.contains("let out = [;"))
        .expect("line")
        + 1;
    assert!(
        text.contains(&format!(
            "rules/cancer-registry/completeness.rhai:{line}:16: error: "
        )),
        "{text}"
    );
    let norway = std::fs::read_to_string(p.join("calendars/norway.yaml")).expect("read");
    let line = norway
        .lines()
        .position(|l| l.contains("05-32"))
        .expect("line")
        + 1;
    let column = norway
        .lines()
        .nth(line - 1)
        .and_then(|l| l.find("05-32"))
        .expect("column")
        + 1;
    assert!(text.contains(&format!("calendars/norway.yaml:{line}:{column}: error: holiday 'Constitution Day (17. mai)': date '05-32'")), "{text}");
    assert!(
        text.contains(
            "error: setting 'confidentiality.max_variable' is not in rules/settings.yaml"
        ),
        "{text}"
    );
    assert!(text.contains("3 error(s)"), "{text}");
}

#[test]
fn check_reports_a_calendar_a_deadline_rule_names_but_nobody_defined() {
    let copy = copy_rules();
    let path = copy.path().join("rules/cancer-registry/deadline.rhai");
    write(
        &path,
        "fn deadline(app, route) {\n    #{ calendar: \"cancer-registri\" }\n}\n",
    );
    let out = hds()
        .current_dir(copy.path())
        .arg("check")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("rules/cancer-registry/deadline.rhai:")
            && text.contains("calendar 'cancer-registri' does not exist"),
        "{text}"
    );
}

#[test]
fn check_warns_about_a_rule_folder_no_custodian_uses_but_passes() {
    let copy = copy_rules();
    copy_dir(
        &copy.path().join("rules/cancer-registry"),
        &copy.path().join("rules/old-cancer-registry"),
    );
    let out = hds()
        .current_dir(copy.path())
        .arg("check")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("rules/old-cancer-registry: warning: folder 'old-cancer-registry'"),
        "{text}"
    );
}

#[test]
fn a_large_batch_keeps_input_order_and_one_line_per_record() {
    let good = std::fs::read_to_string(root().join("tests/fixtures/batch-with-bad-records.jsonl"))
        .expect("fixture");
    let template = good.lines().next().expect("first line").to_string();
    let mut input = String::new();
    for i in 0..700 {
        if i % 97 == 5 {
            input.push_str("{ not json\n");
        } else {
            input.push_str(&template.replace("GOOD-1", &format!("ORDER-{i:04}")));
            input.push('\n');
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("big.jsonl");
    write(&file, &input);
    let out = hds().arg("evaluate").arg(&file).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let records = lines(&out.stdout);
    assert_eq!(records.len(), 700);
    for (i, r) in records.iter().enumerate() {
        if i % 97 == 5 {
            assert_eq!(r["input"], format!("{}:{}", file.display(), i + 1));
        } else {
            assert_eq!(r["application"], format!("ORDER-{i:04}"));
        }
    }
}

#[test]
fn a_folder_named_like_an_application_file_is_one_unreadable_record() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("batch.jsonl");
    std::fs::create_dir(&folder).expect("mkdir");
    let out = hds()
        .arg("evaluate")
        .arg(&folder)
        .arg("examples/linked-niph.yaml")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let records = lines(&out.stdout);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["error"]["kind"], "unreadable");
    assert_eq!(records[1]["status"], "complete");
}

#[test]
fn standard_input_with_a_broken_first_line_still_gives_one_line_per_record() {
    let good = std::fs::read_to_string(root().join("tests/fixtures/batch-with-bad-records.jsonl"))
        .expect("fixture");
    let first = good.lines().next().expect("line");
    let input = format!("{{\"id\": \"BAD\", \"submitted_at\": \"2026-03-02\",\n{first}\n{first}\n");
    let out = hds()
        .args(["evaluate", "-"])
        .write_stdin(input)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let records = lines(&out.stdout);
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["error"]["kind"], "syntax");
    assert_eq!(records[1]["status"], "complete");
    assert_eq!(records[2]["status"], "complete");
}

#[test]
fn each_document_of_a_yaml_stream_is_a_record_named_by_its_first_line() {
    let a = std::fs::read_to_string(root().join("examples/complete-single-source.yaml"))
        .expect("example");
    let b = std::fs::read_to_string(root().join("examples/incomplete.yaml")).expect("example");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("two.yaml");
    write(&file, &format!("{a}---\n{b}---\nid: [broken\n"));
    let out = hds().arg("evaluate").arg(&file).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let records = lines(&out.stdout);
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["application"], "HDS-2026-0311");
    assert_eq!(records[1]["application"], "HDS-2026-0415");
    let third = a.lines().count() + b.lines().count() + 3;
    assert_eq!(records[2]["input"], format!("{}:{third}", file.display()));
    assert_eq!(records[2]["error"]["kind"], "syntax");
}

#[test]
fn an_empty_hds_rules_is_as_if_unset() {
    let out = hds()
        .env("HDS_RULES", "")
        .args(["evaluate", "examples/linked-niph.yaml"])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_date_the_calendar_cannot_count_names_the_file_and_the_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("late.yaml");
    let text = std::fs::read_to_string(root().join("examples/complete-single-source.yaml"))
        .expect("example");
    write(
        &file,
        &text.replace(
            "    file: tabellutkast.xlsx\n",
            "    file: tabellutkast.xlsx\n    received_at: 2100-12-30\n",
        ),
    );
    let out = hds().arg("evaluate").arg(&file).output().expect("runs");
    let r = &lines(&out.stdout)[0];
    assert_eq!(r["error"]["kind"], "date-out-of-range");
    let msg = r["error"]["message"].as_str().unwrap_or("");
    assert!(msg.starts_with(&file.display().to_string()), "{msg}");
    assert!(
        msg.contains("complete_on 2100-12-30") && msg.contains("received_at"),
        "{msg}"
    );
}

#[test]
fn a_script_that_tries_to_sleep_is_stopped_with_a_rule_error() {
    let copy = copy_rules();
    write(
        &copy.path().join("rules/niph/routing.rhai"),
        "fn routing(app, sources) {\n    sleep(1000000);\n    []\n}\n",
    );
    let out = hds()
        .arg("--rules")
        .arg(copy.path().join("rules"))
        .args(["evaluate", "examples/linked-niph.yaml"])
        .output()
        .expect("runs");
    let r = &lines(&out.stdout)[0];
    assert_eq!(r["error"]["kind"], "rule-error");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("sleep is not available"),
        "{r}"
    );
}

#[test]
fn a_stage_function_with_the_wrong_parameters_is_reported_at_its_line() {
    let copy = copy_rules();
    write(
        &copy.path().join("rules/medicines-agency/deadline.rhai"),
        "// deadline\n\nfn deadline(app) {\n    ()\n}\n",
    );
    let out = hds()
        .current_dir(copy.path())
        .arg("check")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("rules/medicines-agency/deadline.rhai:3:1: error: stage function `deadline` takes 1 parameter(s); expected `fn deadline(app, route)`"),
        "{text}"
    );
    let evaluate = hds()
        .arg("--rules")
        .arg(copy.path().join("rules"))
        .args(["evaluate", "examples/linked-niph.yaml"])
        .output()
        .expect("runs");
    assert_eq!(evaluate.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&evaluate.stderr).contains("takes 1 parameter(s)"));
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
