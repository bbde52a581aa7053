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
        .stdout_contains(&format!(
            "      status   expected incomplete   actual complete   from rules/helsedataservice/completeness.rhai:{} (fn completeness)\n",
            line_of("rules/helsedataservice/completeness.rhai", "fn completeness(")
        ))
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

#[test]
fn coverage_credits_each_line_to_the_rule_file_that_ran_and_a_variants_own_script_apart() {
    // The variant's deadline.rhai is the shipped one five lines lower. Only the
    // variant's scenario runs: the shipped deadline.rhai never ran, the files the
    // variant takes unchanged from the shipped rules did.
    let shipped = std::fs::read_to_string(root().join("rules/helsedataservice/deadline.rhai"))
        .expect("the shipped deadline rules");
    let own = format!("{}{shipped}", "// the variant's own copy\n".repeat(5));
    let scenario = "
        scenarios:
          - name: linked-in-the-variant
            description: the variant's own deadline rules decide
            rules: own
            application: ../examples/linked-niph.yaml
            expect: {status: complete}
    ";
    let t = Test::new()
        .file(
            "s/own/ruleset.yaml",
            "name: own-deadline\nversion: \"1-test\"\nbase: ../../rules\n",
        )
        .file("s/own/helsedataservice/deadline.rhai", &own)
        .file("s/variant.yaml", scenario);
    let json = t
        .args(["test", "--coverage", "--format", "json", "s/variant.yaml"])
        .run()
        .json();
    let coverage = &json[0]["coverage"];
    let covered = |list: &str, rule: &str| {
        coverage[list]
            .as_array()
            .and_then(|files| files.iter().find(|f| f["rule"] == rule))
            .map(|f| f["covered"].as_u64().unwrap_or(0))
    };
    assert_eq!(
        covered("files", "rules/helsedataservice/deadline.rhai"),
        Some(0),
        "{coverage}"
    );
    assert!(
        covered("files", "rules/helsedataservice/completeness.rhai").is_some_and(|n| n > 0),
        "{coverage}"
    );
    assert!(
        covered("variant_files", "s/own/helsedataservice/deadline.rhai").is_some_and(|n| n > 0),
        "{coverage}"
    );
    assert_eq!(
        coverage["variant_files"].as_array().map(Vec::len),
        Some(1),
        "{coverage}"
    );
}

/// A folder laid out like the repository root for the whole scenario suite: rules,
/// calendars, examples and the scenario and case fixtures.
fn suite_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for part in [
        "rules",
        "calendars",
        "examples",
        "tests/scenarios",
        "tests/cases",
    ] {
        copy_dir(&root().join(part), &dir.path().join(part));
    }
    dir
}

/// Every scenario file under `dir` with its text.
fn scenario_texts(dir: &std::path::Path) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "yaml") {
                let text = std::fs::read_to_string(&p).expect("read");
                out.insert(p.display().to_string(), text);
            }
        }
    }
    out
}

/// `line` with the value of each of `keys` replaced by `_`, to compare lines
/// outside those values: `{a: 1, due: 2026-06-08}` becomes `{a: 1, due: _}`.
fn without_values(line: &str, keys: &[&str]) -> String {
    line.split_inclusive(['{', ',', '}'])
        .map(|part| {
            let body = part.trim_end_matches(['{', ',', '}']);
            let end = &part[body.len()..];
            let field = body.trim_start();
            match field.split_once(": ") {
                Some((key, _)) if keys.contains(&key) => {
                    format!("{}{key}: _{end}", &body[..body.len() - field.len()])
                }
                _ => part.to_string(),
            }
        })
        .collect()
}

fn run_suite(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    hds()
        .current_dir(dir)
        .args(["test", "-q"])
        .args(args)
        .output()
        .expect("hds runs")
}

#[test]
fn bless_after_a_working_days_setting_change_rewrites_only_clock_values_and_the_suite_passes() {
    let dir = suite_copy();
    let before = scenario_texts(&dir.path().join("tests/scenarios"));
    let settings = dir.path().join("rules/settings.yaml");
    let text = std::fs::read_to_string(&settings).expect("settings");
    assert!(text.contains("reply_working_days: 10"));
    write(
        &settings,
        &text.replace("reply_working_days: 10", "reply_working_days: 11"),
    );

    let failing = run_suite(dir.path(), &[]);
    assert_eq!(
        failing.status.code(),
        Some(1),
        "the changed setting fails the suite"
    );
    assert_eq!(
        scenario_texts(&dir.path().join("tests/scenarios")),
        before,
        "without --bless nothing is written"
    );

    let blessed = run_suite(dir.path(), &["--bless"]);
    let stdout = String::from_utf8_lossy(&blessed.stdout);
    assert_eq!(blessed.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("blessed      tests/scenarios/cases/questions.yaml:37  reply-date-passed-asks-for-a-reminder  routes[custodian=niph].due_now: 2026-04-20 → 2026-04-17\n"),
        "{stdout}"
    );
    assert!(stdout.contains("; 0 left to edit by hand\n"), "{stdout}");

    let again = run_suite(dir.path(), &[]);
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );

    // Only values the reply window drives changed: each changed line is the same
    // line outside the values of the clock's fields, and comments and layout stay.
    let after = scenario_texts(&dir.path().join("tests/scenarios"));
    let clock = [
        "due_now",
        "due",
        "paused_days",
        "working_days_left",
        "overdue",
    ];
    let mut changed = 0;
    for (file, old) in &before {
        let new = &after[file];
        let (old_lines, new_lines): (Vec<&str>, Vec<&str>) =
            (old.lines().collect(), new.lines().collect());
        assert_eq!(old_lines.len(), new_lines.len(), "{file}");
        for (o, n) in old_lines.iter().zip(&new_lines) {
            if o != n {
                changed += 1;
                assert_eq!(
                    without_values(o, &clock),
                    without_values(n, &clock),
                    "{file}"
                );
            }
        }
    }
    assert!(changed >= 9, "{changed} lines changed");
}

#[test]
fn bless_names_what_it_cannot_rewrite_and_rewrites_the_rest() {
    let t = copy_rules();
    let scenarios = "
        scenarios:
          # The application is complete; its route goes to the Directorate.
          - name: npr-wrong-in-three-ways
            description: three wrong expectations, one of which can be rewritten
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
              status: incomplete    # wrong
              findings_include:
                - {code: no-such-finding}
              routes:
                - {custodian: directorate-of-health, reason_contains: ninety}
    ";
    let path = t.path().join("s/bless.yaml");
    std::fs::create_dir_all(path.parent().expect("folder")).expect("mkdir");
    write(&path, &unindent(scenarios));
    let out = hds()
        .current_dir(t.path())
        .args(["test", "--bless", "s"])
        .output()
        .expect("hds runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    for want in [
        "blessed      s/bless.yaml:16  npr-wrong-in-three-ways  status: incomplete → complete\n",
        "not blessed  s/bless.yaml:18  npr-wrong-in-three-ways  findings_include: no item with code no-such-finding came out; edit the item by hand\n",
        "not blessed  s/bless.yaml:20  npr-wrong-in-three-ways  routes[custodian=directorate-of-health].reason: expects text containing 'ninety'",
        "blessed 1 expectation(s) in 1 file(s); 2 left to edit by hand\n",
    ] {
        assert!(stdout.contains(want), "no '{want}' in {stdout}");
    }
    let now = std::fs::read_to_string(&path).expect("read");
    assert_eq!(
        now,
        unindent(scenarios).replace(
            "status: incomplete    # wrong",
            "status: complete    # wrong"
        )
    );
}

#[test]
fn bless_with_json_output_keeps_stdout_json_and_reports_on_stderr() {
    let scenario =
        SCENARIOS
            .replace("statuz", "status")
            .replacen("status: complete", "status: redirected", 1);
    Test::new()
        .file("s/a.yaml", &scenario)
        .args(["test", "--bless", "--format", "json", "s"])
        .stdout_json(|lines| assert_eq!(lines[0]["failed"], 1))
        .stderr_contains(
            "blessed      s/a.yaml:15  npr-goes-to-directorate  status: redirected → complete\n",
        )
        .run();
}

#[test]
fn watch_and_bless_together_are_refused() {
    Test::new()
        .args(["test", "--watch", "--bless"])
        .code(2)
        .stderr_contains("cannot be used with")
        .run();
}

#[test]
fn a_failing_due_date_names_the_rule_line_setting_and_calendar_that_made_it_in_text_and_junit() {
    let scenario = "
        scenarios:
          - name: linked-niph
            description: linking gives 60 working days
            application: ../examples/linked-niph.yaml
            expect:
              routes:
                - {custodian: niph, working_days: 60, due: 2026-06-08}
    ";
    let from = format!(
        "from rules/helsedataservice/deadline.rhai:{} (fn deadline), setting deadline.linked_working_days at rules/settings.yaml:{}",
        line_of("rules/helsedataservice/deadline.rhai", "setting_on(\"deadline.linked_working_days\""),
        line_of("rules/settings.yaml", "linked_working_days:")
    );
    Test::new()
        .file("s/linked.yaml", scenario)
        .edit("rules/settings.yaml", |t| {
            t.replace("linked_working_days: 60", "linked_working_days: 61")
        })
        .args(["test", "s"])
        .code(1)
        .stdout_contains(&format!(
            "      routes[custodian=niph].working_days   expected 60           actual 61           {from}\n"
        ))
        .stdout_contains(&format!(
            "      routes[custodian=niph].due            expected 2026-06-08   actual 2026-06-09   {from}, counted in calendars/niph.yaml\n"
        ))
        .run();
    let out = Test::new()
        .file("s/linked.yaml", scenario)
        .edit("rules/settings.yaml", |t| {
            t.replace("linked_working_days: 60", "linked_working_days: 61")
        })
        .args(["test", "--format", "junit", "s"])
        .code(1)
        .run();
    let report = quick_junit::Report::deserialize_from_str(&out.stdout).expect("JUnit XML");
    let case = &report.test_suites[0].test_cases[0];
    let quick_junit::TestCaseStatus::NonSuccess { description, .. } = &case.status else {
        panic!("a failure: {:?}", case.status);
    };
    let body = description.as_ref().map(|d| d.as_str()).unwrap_or("");
    assert!(
        body.contains(&format!(
            "routes[custodian=niph].due            expected 2026-06-08   actual 2026-06-09   from rules/helsedataservice/deadline.rhai:{}",
            line_of("rules/helsedataservice/deadline.rhai", "setting_on(\"deadline.linked_working_days\"")
        )),
        "{body}"
    );
    assert!(
        body.ends_with("rerun: hds test s/linked.yaml --filter 'linked-niph' --rules rules"),
        "{body}"
    );
}

#[test]
fn each_failing_route_field_names_the_rule_that_set_it() {
    // The common rule sets the days and the reason, NIPH's own rule only the
    // calendar.
    let scenario = "
        scenarios:
          - name: linked-niph
            description: linking gives 60 working days in NIPH's calendar
            application: ../examples/linked-niph.yaml
            expect:
              routes:
                - {custodian: niph, working_days: 60, calendar: niph, due: 2026-06-08}
    ";
    let from = format!(
        "from rules/helsedataservice/deadline.rhai:{} (fn deadline), setting deadline.linked_working_days at rules/settings.yaml:{}",
        line_of("rules/helsedataservice/deadline.rhai", "setting_on(\"deadline.linked_working_days\""),
        line_of("rules/settings.yaml", "linked_working_days:")
    );
    Test::new()
        .file("s/linked.yaml", scenario)
        .file(
            "rules/niph/deadline.rhai",
            "
            fn deadline(app, route) {
                #{ calendar: \"norway\" }
            }
            ",
        )
        .edit("rules/settings.yaml", |t| {
            t.replace("linked_working_days: 60", "linked_working_days: 61")
        })
        .args(["test", "s"])
        .code(1)
        .stdout_contains(&format!(
            "      routes[custodian=niph].working_days   expected 60           actual 61           {from}\n"
        ))
        .stdout_contains(
            "      routes[custodian=niph].calendar       expected niph         actual norway       from rules/niph/deadline.rhai:2 (fn deadline)\n"
        )
        .stdout_contains(&format!(
            "      routes[custodian=niph].due            expected 2026-06-08   actual 2026-06-09   {from}, counted in calendars/norway.yaml\n"
        ))
        .run();
}

#[test]
fn a_failing_due_date_names_the_calendar_file_where_the_rule_set_keeps_it() {
    let scenario = "
        scenarios:
          - name: linked-niph
            description: linking gives 60 working days
            application: ../examples/linked-niph.yaml
            expect:
              routes:
                - {custodian: niph, due: 2026-06-08}
    ";
    Test::new()
        .file("s/linked.yaml", scenario)
        .edit("rules/settings.yaml", |t| {
            t.replace("linked_working_days: 60", "linked_working_days: 61")
        })
        .copy("calendars", "national-calendars")
        .remove("calendars")
        .edit("rules/ruleset.yaml", |t| {
            t.replace(
                "calendars: ../calendars",
                "calendars: ../national-calendars",
            )
        })
        .args(["test", "s"])
        .code(1)
        .stdout_contains(", counted in national-calendars/niph.yaml\n")
        .run();
}

#[test]
fn completions_are_generated_for_each_shell_from_the_command_line() {
    Test::new()
        .args(["completions", "bash"])
        .stdout_contains("_hds()")
        .stdout_contains("complete -F _hds")
        .stdout_contains("--bless")
        .stdout_contains("--watch")
        .run();
    Test::new()
        .args(["completions", "zsh"])
        .stdout_contains("#compdef hds")
        .run();
    Test::new()
        .args(["completions", "fish"])
        .stdout_contains("complete -c hds")
        .run();
    Test::new()
        .args(["completions", "tcsh"])
        .code(2)
        .stderr_contains("invalid value 'tcsh'")
        .run();
}

#[test]
fn the_man_page_describes_hds_and_each_command_has_its_own() {
    let out = Test::new().args(["man"]).run();
    assert!(out.stdout.contains(".TH hds 1"), "{}", out.stdout);
    for command in [
        "evaluate",
        "test",
        "check",
        "status",
        "invoice",
        "completions",
    ] {
        assert!(out.stdout.contains(command), "no {command} in the man page");
    }
    Test::new()
        .args(["man", "test"])
        .stdout_contains(".TH hds-test 1")
        .stdout_contains("\\-\\-bless")
        .run();
    Test::new()
        .args(["man", "case", "record"])
        .stdout_contains(".TH hds-case-record 1")
        .run();
    Test::new()
        .args(["man", "tset"])
        .code(2)
        .stderr_contains("hds: man: 'tset' is not a command of hds; expected one of evaluate,")
        .run();
}

#[test]
fn bless_with_nothing_failing_says_so() {
    Test::new()
        .file("s/a.yaml", &SCENARIOS.replace("statuz", "status"))
        .args(["test", "--bless", "s"])
        .stdout_contains("3 passed, 0 failed\nnothing to bless: no scenario failed\n")
        .run();
}

#[test]
fn an_expected_item_that_fits_several_leaves_the_others_their_own_and_bless_changes_nothing() {
    // `{severity: info}` fits both findings of the linked application; the second
    // item fits only one of them. Paired one to one, both are met.
    let scenario = "
        scenarios:
          - name: partial-findings
            description: the first item fits both findings, the second only one
            application: ../examples/linked-niph.yaml
            expect:
              findings:
                - {severity: info}
                - {code: linking-longer-processing}
    ";
    Test::new()
        .file("s/partial.yaml", scenario)
        .args(["test", "--bless", "s"])
        .stdout_contains("1 passed, 0 failed\nnothing to bless: no scenario failed\n")
        .run();
}

#[test]
fn a_run_of_no_scenario_file_is_refused_with_exit_2() {
    Test::new()
        .dir("s")
        .args(["test", "s"])
        .code(2)
        .stderr_contains("hds: no scenario file under s: nothing to run; expected a scenario file")
        .run();
}

#[test]
fn a_scenario_file_without_scenarios_is_a_failure_at_its_line() {
    Test::new()
        .file("s/none.yaml", "scenarios: []\n")
        .args(["test", "s/none.yaml"])
        .code(1)
        .stdout_contains("FAIL  s/none.yaml:1  (scenario file)\n")
        .stdout_contains("scenarios: the file holds no scenario; expected at least one")
        .stdout_contains("0 passed, 1 failed")
        .run();
}

#[test]
fn an_expectation_that_checks_nothing_or_gives_null_for_a_value_fails_at_its_line() {
    let scenarios = r##"
        scenarios:
          - name: nothing-checked
            description: an unreadable application and nothing expected of it
            application_text: "{{{ not yaml"
            expect: {}
          - name: null-status
            description: null is not a status
            application: ../examples/linked-niph.yaml
            expect:
              status: null
          - name: null-application-of-a-decision
            description: application null expects an error record without an id
            application: ../examples/linked-niph.yaml
            expect:
              application: null
          - name: null-application-of-an-error-record
            description: a document of only a comment gives an error record without an id
            application_text: "# never filled in"
            expect:
              application: null
              error: {kind: syntax}
          - name: empty-include
            description: an empty include list is not "no findings"
            application: ../examples/linked-niph.yaml
            expect:
              status: complete
              findings_include: []
    "##;
    Test::new()
        .file("s/a.yaml", scenarios)
        .args(["test", "s"])
        .code(1)
        .stdout_contains(
            "FAIL  s/a.yaml:5  nothing-checked\n      s/a.yaml:5: error: scenario 'nothing-checked': expect: checks nothing; expected at least one field",
        )
        .stdout_contains("FAIL  s/a.yaml:10  null-status\n      s/a.yaml:10: error: scenario 'null-status': expect.status: ")
        .stdout_contains("null given; expected a status: redirected, ineligible, incomplete or complete, or leave the field out")
        .stdout_contains("FAIL  s/a.yaml:11  null-application-of-a-decision\n      application: expected null, got HDS-2026-0142\n")
        .stdout_contains("ok    s/a.yaml:16  null-application-of-an-error-record")
        .stdout_contains("FAIL  s/a.yaml:27  empty-include\n      s/a.yaml:27: error: scenario 'empty-include': expect.findings_include: checks nothing; expected at least one item (`findings: []` expects none)\n")
        .stdout_contains("1 passed, 4 failed")
        .run();
}

#[test]
fn a_scenario_name_used_twice_fails_at_its_second_use_naming_the_first() {
    let scenarios = "
        scenarios:
          - name: same
            description: the first use of the name
            application: ../examples/linked-niph.yaml
            expect: {status: complete}
          - name: other
            description: a scenario in between
            application: ../examples/linked-niph.yaml
            expect: {status: complete}
          - name: same
            description: the second use of the name
            application: ../examples/linked-niph.yaml
            expect: {status: complete}
    ";
    let twice = "s/twice.yaml:10: error: scenario 'same': name: used twice in this file, first at s/twice.yaml:2; expected a name unique in the file";
    Test::new()
        .file("s/twice.yaml", scenarios)
        .args(["test", "s"])
        .code(1)
        .stdout_contains("ok    s/twice.yaml:2  same\n")
        .stdout_contains(&format!("FAIL  s/twice.yaml:10  same\n      {twice}\n"))
        .stdout_contains("2 passed, 1 failed")
        .run();
    // The same when another scenario of the file is malformed.
    Test::new()
        .file("s/twice.yaml", scenarios)
        .edit("s/twice.yaml", |t| {
            t.replacen("{status: complete}", "{staus: complete}", 2)
                .replacen("{staus: complete}", "{status: complete}", 1)
        })
        .args(["test", "s"])
        .code(1)
        .stdout_contains("FAIL  s/twice.yaml:9  other\n")
        .stdout_contains(&format!("FAIL  s/twice.yaml:10  same\n      {twice}\n"))
        .stdout_contains("1 passed, 2 failed")
        .run();
}

#[test]
fn check_runs_every_stage_on_sample_applications_and_reports_a_wrong_return_at_its_function() {
    let line = line_of("rules/helsedataservice/routing.rhai", "fn routing(");
    Test::new()
        .edit("rules/helsedataservice/routing.rhai", |t| {
            t.replace(
                "fn routing(app, sources) {",
                "fn routing(app, sources) {\n    if app.linking != () { return 5; }",
            )
        })
        .arg("check")
        .code(1)
        .stdout_contains(&format!(
            "rules/helsedataservice/routing.rhai:{line}:1: error: function routing: returned an integer; expected an array of records (in a trial run on a sample application: every source, linked)"
        ))
        .run();
}

#[test]
fn check_reports_a_due_date_past_the_calendar_at_the_deadline_rule_that_gave_the_days() {
    Test::new()
        .file(
            "rules/niph/deadline.rhai",
            "
            fn deadline(app, route) {
                #{ working_days: 100000 }
            }
            ",
        )
        .arg("check")
        .code(1)
        .stdout_contains("rules/niph/deadline.rhai:1:1: error: function deadline: route niph: 100000 working days after complete_on 2026-03-02: counting working days after 2026-03-02 runs past the end of calendar 'niph', which covers 1990-2100 (in a trial run on a sample application: ")
        .stdout_contains("); expected the due date of an application received on 2026-03-02 to fall within the years of its calendar\n")
        .stdout_contains("1 error(s)")
        .run();
}

#[test]
fn check_blames_the_deadline_rule_that_gave_the_days_not_the_last_one_that_ran() {
    // The days come from the settings, read by Helsedataservice's deadline rule;
    // the custodian's rule runs after it and changes nothing.
    let output = Test::new()
        .edit("rules/settings.yaml", |t| {
            t.replace("  working_days: 30", "  working_days: 100000")
        })
        .file(
            "rules/niph/deadline.rhai",
            "
            fn deadline(app, route) {
                #{}
            }
            ",
        )
        .arg("check")
        .code(1)
        .stdout_contains("rules/helsedataservice/deadline.rhai:")
        .run();
    let out = &output.stdout;
    assert!(
        out.contains("/deadline.rhai:20:1: error: function deadline: route ")
            && out.contains(": 100000 working days after complete_on"),
        "{out}"
    );
    assert!(!out.contains("rules/niph/deadline.rhai"), "{out}");
}

#[cfg(unix)]
#[test]
fn a_scenario_path_that_is_a_device_is_refused_as_not_a_regular_file() {
    let t = Test::new();
    std::os::unix::fs::symlink("/dev/zero", t.path().join("zero.yaml")).expect("a link");
    t.args(["test", "zero.yaml"])
        .code(2)
        .stderr_contains("zero.yaml: not a regular file or folder (a device, pipe or socket); expected a scenario file (.yaml) or a folder of them")
        .run();
}
