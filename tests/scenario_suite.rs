//! The scenario suite, run through the real binary: it must pass on the shipped
//! rules, and fail when the policy is deliberately broken.

mod common;

use common::{copy_rules, hds, root};

fn closing_counts(stdout: &str) -> (usize, usize) {
    let last = stdout.lines().last().unwrap_or("");
    let mut parts = last.split(", ");
    let number = |p: Option<&str>, word: &str| -> usize {
        p.and_then(|s| s.strip_suffix(word))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("closing line '{last}' is not 'N passed, M failed'"))
    };
    (
        number(parts.next(), " passed"),
        number(parts.next(), " failed"),
    )
}

#[test]
fn the_whole_suite_passes_on_the_shipped_rules() {
    let out = hds().args(["test", "--quiet"]).output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let (passed, failed) = closing_counts(&stdout);
    assert_eq!(failed, 0, "{stdout}");
    assert!(passed >= 80, "only {passed} scenarios: {stdout}");
}

#[test]
fn every_message_the_suite_gives_has_all_its_arguments() {
    // A message naming an argument the rule or the engine does not give is shown
    // with `{$name}` in it and a warning on stderr.
    let out = hds().args(["test", "--quiet"]).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("Unknown variable") && !stderr.contains("Resolver error"),
        "{stderr}"
    );
}

#[test]
fn case_scenarios_run_and_are_counted_one_per_date() {
    let out = hds()
        .args(["test", "--quiet", "tests/scenarios/cases"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let (passed, failed) = closing_counts(&stdout);
    assert_eq!(failed, 0, "{stdout}");
    assert!(passed >= 40, "only {passed} case scenarios: {stdout}");
    let junit = hds()
        .args([
            "test",
            "--format",
            "junit",
            "tests/scenarios/cases/contract.yaml",
        ])
        .output()
        .expect("runs");
    let xml = String::from_utf8_lossy(&junit.stdout);
    assert_eq!(xml.matches("<testcase ").count(), 3, "{xml}");
    assert!(xml.contains("contract-case @ 2026-08-27"), "{xml}");
}

#[test]
fn a_case_scenario_with_a_wrong_date_fails_with_the_difference() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("c.yaml");
    let case = root().join("tests/cases/contract/case.example.yaml");
    std::fs::write(
        &file,
        format!("scenarios:\n  - name: c\n    description: d\n    case: {}\n    as_of: 2026-05-04\n    expect:\n      routes_include:\n        - {{custodian: niph, due_now: 2026-06-11}}\n", case.display()),
    )
    .expect("write");
    let out = hds().arg("test").arg(&file).output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("due_now: expected 2026-06-11, got 2026-06-10"),
        "{stdout}"
    );
}

#[test]
fn junit_output_has_one_testcase_per_scenario() {
    let text = hds().args(["test", "--quiet"]).output().expect("runs");
    let (passed, failed) = closing_counts(&String::from_utf8_lossy(&text.stdout));
    let out = hds()
        .args(["test", "--format", "junit"])
        .output()
        .expect("runs");
    let xml = String::from_utf8_lossy(&out.stdout);
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "),
        "{xml}"
    );
    assert!(xml.trim_end().ends_with("</testsuites>"));
    let skipped = xml.matches("<skipped ").count();
    assert_eq!(xml.matches("<testcase ").count(), passed + failed + skipped);
    assert_eq!(
        xml.matches("<testsuite ").count(),
        xml.matches("</testsuite>").count()
    );
}

#[test]
fn the_suite_has_teeth_61_working_days_instead_of_60_fails_scenarios() {
    let dir = copy_rules();
    let settings = dir.path().join("rules/settings.yaml");
    let text = std::fs::read_to_string(&settings).expect("settings");
    std::fs::write(
        &settings,
        text.replace("linked_working_days: 60", "linked_working_days: 61"),
    )
    .expect("write");
    let out = hds()
        .arg("--rules")
        .arg(dir.path().join("rules"))
        .args(["test", "--quiet"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let (_, failed) = closing_counts(&stdout);
    assert!(failed > 0, "{stdout}");
    assert!(
        stdout.contains("working_days: expected 60, got 61"),
        "{stdout}"
    );
}

#[test]
fn the_suite_has_teeth_removing_17_may_from_the_calendar_fails_scenarios() {
    let dir = copy_rules();
    let norway = dir.path().join("calendars/norway.yaml");
    let text = std::fs::read_to_string(&norway).expect("calendar");
    let without: String = text
        .lines()
        .filter(|l| !l.contains("05-17"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(text, without);
    std::fs::write(&norway, without).expect("write");
    let out = hds()
        .arg("--rules")
        .arg(dir.path().join("rules"))
        .args(["test", "--quiet"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(closing_counts(&stdout).1 > 0, "{stdout}");
}

#[test]
fn a_typo_in_a_scenario_file_fails_with_file_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("typo.yaml");
    let app = root().join("examples/linked-niph.yaml");
    std::fs::write(
        &file,
        format!("scenarios:\n  - name: t\n    description: d\n    application: {}\n    expect:\n      staus: complete\n", app.display()),
    )
    .expect("write");
    let out = hds().arg("test").arg(&file).output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!("{}:6:", file.display())),
        "{stdout}"
    );
    assert!(stdout.contains("staus"), "{stdout}");
    assert!(
        stdout.trim_end().ends_with("0 passed, 1 failed"),
        "{stdout}"
    );
}

#[test]
fn filter_and_skip_are_reported_in_the_closing_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("s.yaml");
    let app = root().join("examples/linked-niph.yaml");
    std::fs::write(
        &file,
        format!(
            "scenarios:\n  - name: alpha-runs\n    description: d\n    application: {a}\n    expect: {{status: complete}}\n  - name: alpha-skipped\n    description: d\n    application: {a}\n    skip: not yet decided\n    expect: {{status: incomplete}}\n  - name: beta-filtered-out\n    description: d\n    application: {a}\n    expect: {{status: incomplete}}\n",
            a = app.display()
        ),
    )
    .expect("write");
    let out = hds()
        .arg("test")
        .arg(&file)
        .args(["--filter", "alpha"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.trim_end().ends_with("1 passed, 0 failed, 1 skipped"),
        "{stdout}"
    );
    let all = hds().arg("test").arg(&file).output().expect("runs");
    let stdout = String::from_utf8_lossy(&all.stdout);
    assert_eq!(all.status.code(), Some(1));
    assert!(
        stdout.contains("status: expected incomplete, got complete"),
        "{stdout}"
    );
}
