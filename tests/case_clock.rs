//! The case clock (case contract section 2) against the shipped rule set: every
//! figure the contract's example case gives, and each rule of the section. Cases are
//! built here from their YAML, as the case-file reader would give them, so the
//! clock is tested alone.
//!
//! 2026 in the national calendar (and NIPH's, which adds no closure days): Maundy
//! Thursday 2 April, Good Friday 3 April, Easter Monday 6 April, Labour Day Friday
//! 1 May, Ascension Day Thursday 14 May, Constitution Day Sunday 17 May, Whit
//! Monday 25 May, Christmas Day Friday 25 December, St Stephen's Day Saturday 26
//! December; Christmas Eve and New Year's Eve are working days.

mod common;

#[path = "case_clock/appeals.rs"]
mod appeals;
#[path = "case_clock/cli.rs"]
mod cli;
#[path = "case_clock/explain.rs"]
mod explain;
#[path = "case_clock/rules.rs"]
mod rules;

use chrono::NaiveDate;
use hds::case::LoadedCase;
use hds::model::application::Application;
use hds::model::case::{ApplicationRef, CaseFile, EventKind};
use hds::model::status::{ActionCode, CaseState, CaseStatus, RouteState, RouteStatus};
use hds::RuleSet;
use std::path::Path;
use std::sync::OnceLock;

pub fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::built_in().expect("the built-in rule set loads"))
}

pub fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date")
}

fn application(display: &str, text: &str) -> Application {
    hds::input::parse_yaml(display, text)
        .result
        .unwrap_or_else(|e| panic!("{display}: {e}"))
}

/// The 1-based line where each event of a case file starts: each `- ` at the
/// indentation of the first one after `events:`.
fn event_lines(text: &str) -> Vec<Option<usize>> {
    let mut lines = Vec::new();
    let mut indent: Option<usize> = None;
    let mut in_events = false;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("events:") {
            in_events = true;
            continue;
        }
        let trimmed = line.trim_start();
        if !in_events || !trimmed.starts_with("- ") {
            continue;
        }
        let at = line.len() - trimmed.len();
        if *indent.get_or_insert(at) == at {
            lines.push(Some(i + 1));
        }
    }
    lines
}

/// A case from its YAML; applications named by path are read beside `path`.
pub fn case_from(path: &str, text: &str) -> LoadedCase {
    let file: CaseFile = hds::yaml::from_str(text).unwrap_or_else(|e| panic!("{path}: {e:?}"));
    let dir = Path::new(path).parent().unwrap_or(Path::new("."));
    let resolve = |r: &ApplicationRef| match r {
        ApplicationRef::Inline(app) => (**app).clone(),
        ApplicationRef::Path(p) => {
            let full = dir.join(p);
            let text = std::fs::read_to_string(&full).expect("the application file");
            application(&full.display().to_string(), &text)
        }
    };
    let application = resolve(&file.application);
    let amendments = file
        .events
        .iter()
        .map(|e| match &e.what {
            EventKind::Amended { application } => Some(resolve(application)),
            _ => None,
        })
        .collect();
    let mut event_lines = event_lines(text);
    event_lines.resize(file.events.len(), None);
    LoadedCase {
        path: path.to_string(),
        id: file.case.clone().unwrap_or_else(|| application.id.clone()),
        file,
        application,
        amendments,
        event_lines,
    }
}

/// The contract's example application (two NIPH sources linked, complete on
/// 2026-03-06, due 2026-06-08) with `events` (YAML list items, one per line).
pub fn example_with(events: &[&str]) -> LoadedCase {
    case_of("../contract/application.example.yaml", events)
}

/// A case file `tests/cases/clock/t.yaml` of `application` (a path from there) with
/// `events`, one YAML list item each; its first event is on line 4.
pub fn case_of(application: &str, events: &[&str]) -> LoadedCase {
    let mut text = format!("case: T-1\napplication: {application}\nevents:\n");
    for e in events {
        text.push_str(&format!("  - {e}\n"));
    }
    let path = common::root().join("tests/cases/clock/t.yaml");
    case_from(&path.display().to_string(), &text)
}

/// The shipped rule set with its settings and NIPH's calendar edited.
pub fn rules_with(
    settings: impl Fn(&str) -> String,
    niph_calendar: impl Fn(&str) -> String,
) -> RuleSet {
    let dir = common::copy_rules();
    let edit = |path: &Path, change: &dyn Fn(&str) -> String| {
        let text = std::fs::read_to_string(path).expect("read");
        common::write(path, &change(&text));
    };
    edit(&dir.path().join("rules/settings.yaml"), &settings);
    edit(&dir.path().join("calendars/niph.yaml"), &niph_calendar);
    RuleSet::from_folder(&dir.path().join("rules")).expect("the edited rule set loads")
}

pub fn status_under(rules: &RuleSet, case: &LoadedCase, as_of: &str) -> CaseStatus {
    hds::case::status(case, rules, d(as_of))
        .unwrap_or_else(|e| panic!("{}", serde_json::to_string(&e).unwrap_or_default()))
}

/// The error message the clock gives for a case, which must not have a status.
pub fn error(case: &LoadedCase, as_of: &str) -> String {
    match hds::case::status(case, rules(), d(as_of)) {
        Ok(s) => panic!("expected an error, got {s:#?}"),
        Err(e) => e.error.message,
    }
}

pub fn status(case: &LoadedCase, as_of: &str) -> CaseStatus {
    status_under(rules(), case, as_of)
}

/// The only route's status.
pub fn route(status: &CaseStatus) -> &RouteStatus {
    assert_eq!(status.routes.len(), 1, "{:#?}", status.routes);
    &status.routes[0]
}

/// The codes of the actions, in order, with their routes and due dates.
pub fn actions(status: &CaseStatus) -> Vec<(ActionCode, Option<&str>, NaiveDate, bool)> {
    status
        .actions
        .iter()
        .map(|a| (a.code, a.route.as_deref(), a.due, a.overdue))
        .collect()
}

/// The codes of the findings, in order.
pub fn finding_codes(status: &CaseStatus) -> Vec<&str> {
    status.findings.iter().map(|f| f.code.as_str()).collect()
}

pub fn contract_example() -> LoadedCase {
    let path = common::root().join("tests/cases/contract/case.example.yaml");
    let text = std::fs::read_to_string(&path).expect("the example case");
    case_from(&path.display().to_string(), &text)
}

#[test]
fn the_contract_example_as_of_4_may_runs_with_two_paused_days() {
    let s = status(&contract_example(), "2026-05-04");
    assert_eq!(s.case, "HDS-2026-0142");
    assert_eq!(s.state, CaseState::Open);
    assert_eq!(s.received_on, d("2026-03-02"));
    assert_eq!(s.complete_on, Some(d("2026-03-06")));
    let niph = route(&s);
    assert_eq!(niph.custodian, "niph");
    assert_eq!(niph.state, RouteState::InProgress);
    assert_eq!(niph.working_days, 60);
    assert_eq!(niph.due, Some(d("2026-06-08")));
    // reply_by 2026-04-13 (10 working days after 25 March, Easter skipped); the
    // answer on 15 April came 2 working days late (14 and 15 April).
    assert_eq!(niph.paused_days, Some(2));
    // 8 June + 2 working days: 9 and 10 June.
    assert_eq!(niph.due_now, Some(d("2026-06-10")));
    // 5-8 May (4), 11-13 (3), 15 (1), 18-22 (5), 26-29 (4), 1-5 June (5), 8-10 (3):
    // 25, Ascension Day 14 May and Whit Monday 25 May skipped.
    assert_eq!(niph.working_days_left, Some(25));
    assert_eq!(niph.overdue_by, Some(0));
    assert_eq!(niph.closed_on, None);
    // The preliminary reply went out on 24 March, before 2 April.
    assert!(s.actions.is_empty(), "{:?}", s.actions);
    assert!(s.findings.is_empty(), "{:?}", s.findings);
}

#[test]
fn the_contract_example_as_of_27_august_is_postponed_and_due_on_1_september() {
    let s = status(&contract_example(), "2026-08-27");
    assert_eq!(s.state, CaseState::Open);
    let niph = route(&s);
    assert_eq!(niph.state, RouteState::Postponed);
    assert_eq!(niph.due, Some(d("2026-06-08")));
    // The postponement (29 May) came after the pause, so the pause does not move it.
    assert_eq!(niph.due_now, Some(d("2026-09-01")));
    assert_eq!(niph.paused_days, Some(2));
    // 28 August (Fri), 31 August, 1 September.
    assert_eq!(niph.working_days_left, Some(3));
    assert_eq!(niph.overdue_by, Some(0));
    assert_eq!(
        actions(&s),
        [(
            ActionCode::DeliverOrPostpone,
            Some("niph"),
            d("2026-09-01"),
            false
        )]
    );
}

#[test]
fn the_contract_example_as_of_15_september_is_closed_by_the_delivery() {
    let s = status(&contract_example(), "2026-09-15");
    assert_eq!(s.state, CaseState::Closed);
    let niph = route(&s);
    assert_eq!(niph.state, RouteState::Delivered);
    assert_eq!(niph.closed_on, Some(d("2026-08-28")));
    assert_eq!(niph.overdue_by, Some(0));
    assert_eq!(niph.working_days_left, Some(0));
    assert!(s.actions.is_empty(), "{:?}", s.actions);
    assert!(s.findings.is_empty(), "{:?}", s.findings);
}

#[test]
fn the_status_is_written_with_the_contracts_fields_in_its_order() {
    let s = status(&contract_example(), "2026-08-27");
    let json = serde_json::to_value(&s).expect("serialises");
    let keys: Vec<&str> = json
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "case",
            "as_of",
            "ruleset",
            "state",
            "received_on",
            "complete_on",
            "routes",
            "actions",
            "findings",
            "decision"
        ]
    );
    assert_eq!(
        json["routes"][0],
        serde_json::json!({"custodian": "niph", "state": "postponed", "working_days": 60,
            "due": "2026-06-08", "due_now": "2026-09-01", "paused_days": 2,
            "working_days_left": 3, "overdue_by": 0, "closed_on": null})
    );
    let action = &json["actions"][0];
    let keys: Vec<&str> = action
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["code", "route", "due", "overdue", "message"]);
    assert_eq!(action["code"], "deliver-or-postpone");
    assert_eq!(json["decision"]["application"], "HDS-2026-0142");
    assert_eq!(json["decision"]["routes"][0]["due"], "2026-06-08");
}

#[test]
fn events_after_the_as_of_date_are_ignored() {
    let case = contract_example();
    let mut early = case.clone();
    early.file.events.retain(|e| e.day() <= d("2026-05-04"));
    assert_eq!(status(&case, "2026-05-04"), status(&early, "2026-05-04"));
}

#[test]
fn hds_check_reports_a_bad_case_setting_at_its_line_and_column() {
    let settings = std::fs::read_to_string(common::root().join("rules/settings.yaml"))
        .expect("the shipped settings");
    let line = settings
        .lines()
        .position(|l| l.trim_start().starts_with("appeal_weeks:"))
        .expect("appeal_weeks in the shipped settings")
        + 1;
    common::Test::new()
        .edit("rules/settings.yaml", |t| {
            t.replace("appeal_weeks: 3", "appeal_weeks: -3")
        })
        .arg("check")
        .code(1)
        .stdout_contains(&format!(
            "rules/settings.yaml:{line}:3: error: case.appeal_weeks: expected a whole number from 1 to 1000, e.g. 3; got -3"
        ))
        .stdout_contains("1 error(s)")
        .run();
}
