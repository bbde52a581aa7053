//! Integration tests of the tools policy staff and testers use: which rule set a
//! command finds, `hds init`, the scenario runner's failures and reports, and
//! `hds check --format json`.

mod common;

use common::*;

/// A scenario file of three scenarios on one application: two good, and between them
/// one whose `expect` has a field scenarios do not know.
const SCENARIOS: &str = "
    scenarios:
      - name: npr-goes-to-directorate
        description: NPR received in 2023 is routed to the Directorate of Health
        application: &app
          id: HDS-2023-3301
          submitted_at: 2023-12-31
          data_kind: aggregated
          applicant: {name: Siri Moe, email: siri.moe@example.org}
          project: {description: Polikliniske konsultasjoner per helseforetak og år., purpose: management}
          sources:
            - {id: npr, variables: [year, health_trust]}
          attachments:
            - {kind: sample_table, file: tabell.xlsx}
        expect:
          status: complete
      - name: broken-expectation
        description: an expectation with a field no scenario knows
        application: *app
        expect:
          statuz: complete
      - name: npr-is-complete
        description: the same application is complete
        application: *app
        expect:
          status: complete
";

#[test]
fn check_inside_the_rules_folder_checks_that_folder_and_says_so() {
    Test::new()
        .edit("rules/cancer-registry/completeness.rhai", |t| {
            t.replacen("    let out = [];", "    let out = [;", 1)
        })
        .in_dir("rules")
        .arg("check")
        .code(1)
        .stderr_contains("hds: rule set . (helsedataservice")
        .stdout_contains("cancer-registry/completeness.rhai:")
        .run();
}

#[test]
fn check_in_a_subfolder_of_the_rules_finds_the_rule_set_above() {
    Test::new()
        .in_dir("rules/helsedataservice")
        .arg("check")
        .stderr_contains("hds: rule set /")
        .stdout_contains("no errors")
        .run();
}

#[test]
fn check_from_the_root_uses_the_rules_folder_and_names_it() {
    Test::new()
        .arg("check")
        .stderr_contains("hds: rule set rules (helsedataservice, version ")
        .run();
}

#[test]
fn without_a_rule_set_folder_the_built_in_set_is_used_and_named() {
    Test::new()
        .remove("rules")
        .arg("check")
        .stderr_contains("hds: rule set built-in (helsedataservice), version ")
        .stderr_contains("fingerprint sha256:")
        .run();
}

#[test]
fn a_folder_without_ruleset_yaml_is_refused() {
    Test::new()
        .dir("empty")
        .args(["--rules", "empty", "check"])
        .code(2)
        .stderr_contains(
            "empty: not a rule set: no empty/ruleset.yaml; expected a folder holding ruleset.yaml",
        )
        .run();
    Test::new()
        .dir("empty")
        .env("HDS_RULES", "empty")
        .args(["evaluate", "examples/linked-niph.yaml"])
        .code(2)
        .stderr_contains("not a rule set")
        .run();
    Test::new()
        .remove("rules")
        .dir("rules")
        .args(["evaluate", "examples/linked-niph.yaml"])
        .code(2)
        .stderr_contains("rules: not a rule set")
        .run();
}

#[test]
fn init_writes_the_built_in_rule_set_which_checks_clean_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| {
        let mut cmd = hds();
        cmd.current_dir(dir.path()).args(args);
        cmd.output().expect("hds runs")
    };
    let made = run(&["init", "new"]);
    assert_eq!(made.status.code(), Some(0), "{made:?}");
    assert!(dir.path().join("new/rules/ruleset.yaml").is_file());
    assert!(dir.path().join("new/calendars/norway.yaml").is_file());
    let checked = run(&["--rules", "new/rules", "check"]);
    assert_eq!(checked.status.code(), Some(0), "{checked:?}");
    assert!(String::from_utf8_lossy(&checked.stderr).contains("rule set new/rules ("));
    let again = run(&["init", "new"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

#[test]
fn a_filter_that_matches_nothing_exits_2() {
    Test::new()
        .file("s/routing.yaml", SCENARIOS)
        .args(["test", "--filter", "zzz", "s"])
        .code(2)
        .stderr_contains("--filter 'zzz' matches no scenario")
        .run();
}

#[test]
fn the_junit_of_a_broken_rule_set_is_well_formed_with_one_failure() {
    let out = Test::new()
        .edit("rules/cancer-registry/completeness.rhai", |t| {
            t.replacen("    let out = [];", "    let out = [;", 1)
        })
        .file("s/routing.yaml", SCENARIOS)
        .args(["test", "--format", "junit", "s"])
        .code(2)
        .run();
    let report = quick_junit::Report::deserialize_from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JUnit ({e}): {}", out.stdout));
    assert_eq!((report.tests, report.failures), (1, 1), "{}", out.stdout);
    assert!(out.stdout.contains("completeness.rhai"), "{}", out.stdout);
    let case = &report.test_suites[0].test_cases[0];
    assert!(case.time.is_some());
    let mut reader = quick_xml::Reader::from_str(&out.stdout);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML ({e}): {}", out.stdout),
        }
    }
}

#[test]
fn min_coverage_fails_a_run_below_it() {
    Test::new()
        .file("s/routing.yaml", SCENARIOS)
        .edit("s/routing.yaml", |t| t.replace("statuz", "status"))
        .args(["test", "--min-coverage", "100", "--filter", "npr-goes", "s"])
        .code(1)
        .stderr_contains("--min-coverage asks for 100%")
        .run();
}

#[test]
fn a_broken_scenario_among_good_ones_is_one_failure_and_the_others_run() {
    Test::new()
        .file("s/routing.yaml", SCENARIOS)
        .args(["test", "s"])
        .code(1)
        .stdout_contains("ok    s/routing.yaml:")
        .stdout_contains("FAIL  s/routing.yaml:20  broken-expectation")
        .stdout_contains("expect.statuz: expect: unknown field `statuz`")
        .stdout_contains("ok    s/routing.yaml:21  npr-is-complete")
        .stdout_contains("2 passed, 1 failed")
        .run();
}

#[test]
fn a_failing_scenario_shows_expected_and_actual_side_by_side_and_how_to_rerun_it() {
    let scenario = SCENARIOS
        .replace("npr-goes-to-directorate", "npr's wrong status")
        .replacen("status: complete", "status: incomplete", 1);
    let out = Test::new()
        .file("s/failing scenarios.yaml", &scenario)
        .args(["test", "--rules", "rules", "s/failing scenarios.yaml"])
        .code(1)
        .stdout_contains("FAIL  s/failing scenarios.yaml:2  npr's wrong status")
        .stdout_contains("      status: expected incomplete, got complete\n")
        .stdout_contains("      status   expected incomplete   actual complete\n")
        .stdout_contains(
            "      rerun: hds test 's/failing scenarios.yaml' --filter 'npr'\\''s wrong status' --rules rules\n",
        )
        .run();
    assert!(!out
        .stdout
        .contains("rerun: hds test 's/failing scenarios.yaml' --filter 'npr-is-complete'"));
    Test::new()
        .file("s/failing scenarios.yaml", &scenario)
        .args([
            "test",
            "--rules",
            "rules",
            "s/failing scenarios.yaml",
            "--filter",
            "npr's wrong status",
        ])
        .code(1)
        .stdout_contains("0 passed, 1 failed")
        .run();
    Test::new()
        .file("s/failing scenarios.yaml", &scenario)
        .args(["test", "--format", "json", "--rules", "rules", "s"])
        .code(1)
        .stdout_json(|lines| {
            let outcomes = lines[0]["outcomes"].as_array().expect("outcomes");
            let failed = outcomes
                .iter()
                .find(|o| o["verdict"] == "failed")
                .expect("a failure");
            assert!(failed["rerun"]
                .as_str()
                .is_some_and(|r| r.starts_with("hds test ")));
            let passed = outcomes
                .iter()
                .find(|o| o["verdict"] == "passed")
                .expect("a pass");
            assert!(passed.get("rerun").is_none());
        })
        .run();
}

#[test]
fn coverage_names_the_invoice_items_and_codes_no_scenario_expects() {
    // The completeness scenarios follow no case, so no invoice item and not the
    // invoice's price-missing finding is expected; the invoice scenarios expect
    // every item.
    Test::new()
        .args([
            "test",
            "--coverage",
            "-q",
            &root().join("tests/scenarios/completeness").display().to_string(),
        ])
        .stdout_contains(
            "invoice items no scenario expects: base-fee, hours, hours-appeal, free-hours, below-minimum, exemption\n",
        )
        .stdout_contains("price-missing")
        .run();
    Test::new()
        .args([
            "test",
            "--coverage",
            "-q",
            &root()
                .join("tests/scenarios/invoices")
                .display()
                .to_string(),
        ])
        .stdout_contains("invoice items no scenario expects: none\n")
        .run();
}
