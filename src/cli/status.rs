//! `hds status`: each case's status as of a date (case contract section 2), one JSON
//! line per case in input order, or a table for operators, the most urgent case
//! first. A case file that cannot be read or followed gives its error record in its
//! place, and the other cases still give their status.

use super::args::{OutputFormat, StatusArgs};
use super::{Exit, Out};
use crate::calendar::DEFAULT_CALENDAR;
use crate::case::file::IntoCase;
use crate::case::LoadedCase;
use crate::model::error_record::ErrorRecord;
use crate::model::status::CaseStatus;
use crate::render::{error_text, explain_text, json_line, status_table};
use crate::ruleset::load::SETTINGS_FILE;
use crate::ruleset::RuleSet;
use chrono::NaiveDate;
use std::io::Write;
use std::ops::ControlFlow;

/// Today's date in Norway (Europe/Oslo), the default as-of date.
pub fn today_in_oslo() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Oslo)
        .date_naive()
}

/// Which cases to print and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusOptions {
    /// The date to count to.
    pub as_of: NaiveDate,
    /// JSON Lines or a table.
    pub format: OutputFormat,
    /// Only cases with something overdue.
    pub overdue: bool,
    /// Only cases with an action due on or before this many working days (national
    /// calendar) after the as-of date, overdue ones included.
    pub due_within: Option<u32>,
    /// Print why each date is what it is instead of the status.
    pub explain: bool,
}

impl StatusOptions {
    /// The options of a parsed command line; the as-of date defaults to today in
    /// Europe/Oslo.
    pub fn from_args(args: &StatusArgs) -> StatusOptions {
        StatusOptions {
            as_of: args.as_of.unwrap_or_else(today_in_oslo),
            format: args.format,
            overdue: args.overdue,
            due_within: args.due_within,
            explain: args.explain,
        }
    }
}

/// Prints the status of every case read, or its error record, in input order
/// whichever core worked it out, and says how the command ended: 1 when any case
/// was bad input, 2 when the rule set cannot follow cases or the output cannot be
/// written.
pub fn print_statuses(
    rules: &RuleSet,
    cases: impl IntoIterator<Item = impl IntoCase, IntoIter: Send>,
    options: &StatusOptions,
    out: &mut dyn Write,
) -> Exit {
    if rules.case_policy().is_none() {
        note!(
            "hds: the rule set has no case policy: {SETTINGS_FILE} needs a `case:` block to follow cases (see rules/README.md)"
        );
        return Exit::CannotRun;
    }
    let deadline = match options.due_within {
        Some(n) => match window_end(rules, options.as_of, n) {
            Ok(date) => Some(date),
            Err(message) => {
                note!("hds: --due-within {n}: {message}");
                return Exit::CannotRun;
            }
        },
        None => None,
    };
    let mut bad = 0usize;
    let mut shown: Vec<CaseStatus> = Vec::new();
    let mut errors: Vec<ErrorRecord> = Vec::new();
    let mut written = Ok(());
    // Each case followed on any core, what it gives taken in input order.
    crate::batch::ordered::map_in_order(
        cases.into_iter(),
        crate::batch::ordered::workers(),
        256,
        |case| follow(rules, case.into_case(), options, deadline),
        |followed| {
            if followed.is_bad() {
                bad += 1;
            }
            match followed {
                Followed::Text(text, _) => {
                    if let Err(e) = out.write_all(text.as_bytes()) {
                        written = Err(e);
                    }
                }
                Followed::Listed(status) => shown.push(*status),
                Followed::ListedError(record) => errors.push(record),
                Followed::Left => {}
            }
            match &written {
                Ok(()) => ControlFlow::Continue(()),
                Err(_) => ControlFlow::Break(()),
            }
        },
    );
    if options.format == OutputFormat::Text && !options.explain {
        if !shown.is_empty() {
            written = written.and_then(|()| out.write_all(status_table(&shown).as_bytes()));
        }
        for e in &errors {
            written = written.and_then(|()| out.write_all(error_text(e).as_bytes()));
        }
    }
    if written.and_then(|()| out.flush()).is_err() {
        // The caller's writer says why (a closed pipe, or a full disk).
        return Exit::CannotRun;
    }
    if bad > 0 {
        Exit::BadInput
    } else {
        Exit::Ok
    }
}

/// What one case gives, worked out on any thread.
enum Followed {
    /// Text written as it comes, in input order: a JSON line or an explanation;
    /// `true` for a case that was bad input.
    Text(String, bool),
    /// A status for the table.
    Listed(Box<CaseStatus>),
    /// A case that was bad input, listed after the table.
    ListedError(ErrorRecord),
    /// Left out by the filters.
    Left,
}

impl Followed {
    fn is_bad(&self) -> bool {
        matches!(self, Followed::Text(_, true) | Followed::ListedError(_))
    }
}

/// The status of one case as of the date (or why it has none), filtered and, for
/// JSON and explanations, rendered.
fn follow(
    rules: &RuleSet,
    case: Result<LoadedCase, ErrorRecord>,
    options: &StatusOptions,
    deadline: Option<NaiveDate>,
) -> Followed {
    if options.explain {
        let result = case.and_then(|c| {
            let status = crate::case::status(&c, rules, options.as_of)?;
            match wanted(&status, options.overdue, deadline) {
                true => crate::case::explain(&c, rules, options.as_of).map(Some),
                false => Ok(None),
            }
        });
        return match (options.format, result) {
            (_, Ok(None)) => Followed::Left,
            (OutputFormat::Json, Ok(Some(e))) => {
                Followed::Text(format!("{}\n", json_line(&e)), false)
            }
            (OutputFormat::Text, Ok(Some(e))) => {
                Followed::Text(format!("{}\n", explain_text(&e)), false)
            }
            (OutputFormat::Json, Err(record)) => {
                Followed::Text(format!("{}\n", json_line(&record)), true)
            }
            (OutputFormat::Text, Err(record)) => {
                Followed::Text(format!("{}\n", error_text(&record)), true)
            }
        };
    }
    let result = case.and_then(|c| crate::case::status(&c, rules, options.as_of));
    match (options.format, result) {
        (OutputFormat::Json, Ok(status)) if wanted(&status, options.overdue, deadline) => {
            Followed::Text(format!("{}\n", json_line(&status)), false)
        }
        (OutputFormat::Json, Err(record)) => {
            Followed::Text(format!("{}\n", json_line(&record)), true)
        }
        (OutputFormat::Text, Ok(status)) if wanted(&status, options.overdue, deadline) => {
            Followed::Listed(Box::new(status))
        }
        (OutputFormat::Text, Err(record)) => Followed::ListedError(record),
        (_, Ok(_)) => Followed::Left,
    }
}

/// The last date `--due-within N` reaches: the N-th working day of the national
/// calendar after the as-of date (the as-of date itself for 0).
fn window_end(rules: &RuleSet, as_of: NaiveDate, n: u32) -> Result<NaiveDate, String> {
    let national = rules
        .calendars()
        .get(DEFAULT_CALENDAR)
        .ok_or_else(|| format!("the rule set has no calendar '{DEFAULT_CALENDAR}'"))?;
    national
        .add_working_days(as_of, n)
        .map_err(|e| e.to_string())
}

/// Whether a case passes the filters given: with none, every case; with
/// `--overdue`, a case with an overdue route or action; with `--due-within`, a case
/// with an action due by `deadline`; with both, a case that passes either.
fn wanted(status: &CaseStatus, overdue: bool, deadline: Option<NaiveDate>) -> bool {
    if !overdue && deadline.is_none() {
        return true;
    }
    let is_overdue = status.actions.iter().any(|a| a.overdue)
        || status
            .routes
            .iter()
            .any(|r| r.overdue_by.is_some_and(|n| n > 0) && !r.state.is_closed());
    let due_soon = deadline.is_some_and(|end| status.actions.iter().any(|a| a.due <= end));
    (overdue && is_overdue) || due_soon
}

/// `hds status`: each case file is read and followed on any core, and printed on
/// this thread in input order; memory stays flat however many case files are listed.
pub(super) fn status(rule_set: &RuleSet, args: &StatusArgs, out: &mut Out) -> Exit {
    let options = StatusOptions::from_args(args);
    let cases = crate::case::file::pending_cases(&args.cases);
    print_statuses(rule_set, cases, &options, out)
}
