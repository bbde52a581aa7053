//! `hds status` as the command prints it, driven through the library with cases
//! built here: JSON Lines in input order, error records in place, the table for
//! operators, the filters and the exit codes.

use super::*;
use clap::Parser;
use hds::cli::status::{print_statuses, StatusOptions};
use hds::cli::{Exit, OutputFormat, StatusArgs};
use hds::model::error_record::{ErrorBody, ErrorRecord};

fn unreadable(path: &str) -> ErrorRecord {
    ErrorRecord {
        application: None,
        input: path.to_string(),
        error: ErrorBody {
            kind: "unreadable".to_string(),
            message: format!("{path}: cannot read the case file"),
        },
    }
}

/// Three cases: the contract example, a bad file, and one overdue on 22 April.
fn cases() -> Vec<Result<LoadedCase, ErrorRecord>> {
    let mut overdue = case_of(
        "single.yaml",
        &["{date: 2026-03-20, kind: preliminary_reply_sent}"],
    );
    overdue.id = "HDS-2026-0900".to_string();
    vec![
        Ok(contract_example()),
        Err(unreadable("bad.yaml")),
        Ok(overdue),
    ]
}

fn run(options: StatusOptions) -> (Exit, String) {
    let mut out = Vec::new();
    let exit = print_statuses(rules(), cases(), &options, &mut out);
    (exit, String::from_utf8(out).expect("UTF-8"))
}

fn options(as_of: &str, format: OutputFormat) -> StatusOptions {
    StatusOptions {
        as_of: d(as_of),
        format,
        overdue: false,
        due_within: None,
        explain: false,
    }
}

#[test]
fn json_gives_one_line_per_case_in_input_order_with_errors_in_place_and_exit_1() {
    let (exit, out) = run(options("2026-04-22", OutputFormat::Json));
    assert_eq!(exit, Exit::BadInput);
    let lines = common::json_lines(&out);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["case"], "HDS-2026-0142");
    assert_eq!(lines[0]["as_of"], "2026-04-22");
    assert_eq!(lines[1]["error"]["kind"], "unreadable");
    assert_eq!(lines[2]["case"], "HDS-2026-0900");
    assert_eq!(lines[2]["routes"][0]["overdue_by"], 4);
}

#[test]
fn the_filters_keep_overdue_cases_or_cases_due_soon_and_every_error() {
    let mut only_overdue = options("2026-04-22", OutputFormat::Json);
    only_overdue.overdue = true;
    let (_, out) = run(only_overdue);
    let cases: Vec<String> = common::json_lines(&out)
        .iter()
        .map(|l| l["case"].as_str().unwrap_or("error").to_string())
        .collect();
    assert_eq!(cases, ["error", "HDS-2026-0900"]);

    // As of 27 August the example's delivery is due 1 September: 3 working days on.
    let mut soon = options("2026-08-27", OutputFormat::Json);
    soon.due_within = Some(2);
    let count = |o: StatusOptions| common::json_lines(&run(o).1).len();
    assert_eq!(count(soon), 2, "the overdue case and the error");
    soon.due_within = Some(3);
    assert_eq!(count(soon), 3);
}

#[test]
fn text_is_a_table_most_urgent_first_with_errors_after_it() {
    let (exit, out) = run(options("2026-08-27", OutputFormat::Text));
    assert_eq!(exit, Exit::BadInput);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("CASE"), "{out}");
    assert!(
        lines[1].starts_with("HDS-2026-0900") && lines[1].contains("2026-04-16 overdue"),
        "{out}"
    );
    assert!(
        lines[2].starts_with("HDS-2026-0142")
            && lines[2].contains("deliver-or-postpone niph  2026-09-01")
            && lines[2].contains("niph postponed, due 2026-09-01, 3 working days left"),
        "{out}"
    );
    assert_eq!(
        lines[3],
        "(no id): error (unreadable): bad.yaml: cannot read the case file"
    );
}

#[test]
fn the_command_line_takes_an_as_of_date_a_format_and_filters() {
    #[derive(Parser)]
    struct Line {
        #[command(flatten)]
        status: StatusArgs,
    }
    let parsed = Line::try_parse_from([
        "hds",
        "--as-of",
        "2026-08-27",
        "--format",
        "text",
        "--overdue",
        "--due-within",
        "5",
        "a.yaml",
        "cases/",
    ])
    .expect("parses");
    let o = StatusOptions::from_args(&parsed.status);
    assert_eq!(o.as_of, d("2026-08-27"));
    assert_eq!(o.format, OutputFormat::Text);
    assert!(o.overdue);
    assert_eq!(o.due_within, Some(5));
    assert_eq!(parsed.status.cases, ["a.yaml", "cases/"]);
    let bad = Line::try_parse_from(["hds", "--as-of", "27.08.2026", "a.yaml"]);
    let message = bad.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("expected YYYY-MM-DD"), "{message}");
    // No --as-of: today in Norway.
    let parsed = Line::try_parse_from(["hds", "a.yaml"]).expect("parses");
    assert_eq!(
        StatusOptions::from_args(&parsed.status).as_of,
        hds::cli::status::today_in_oslo()
    );
}

#[test]
fn a_rule_set_without_a_case_policy_cannot_follow_cases() {
    let without = rules_with(
        |t| t[..t.find("\ncase:").unwrap_or(t.len())].to_string(),
        str::to_string,
    );
    assert!(without.case_policy().is_none());
    let message = hds::case::status(&contract_example(), &without, d("2026-05-04"))
        .err()
        .map(|e| e.error.message)
        .unwrap_or_default();
    assert!(
        message.contains("rules/settings.yaml needs a `case:` block"),
        "{message}"
    );
    let mut out = Vec::new();
    let exit = print_statuses(
        &without,
        cases(),
        &options("2026-05-04", OutputFormat::Json),
        &mut out,
    );
    assert_eq!(exit, Exit::CannotRun);
    assert!(out.is_empty());
}
