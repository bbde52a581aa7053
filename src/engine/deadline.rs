//! Deadline: each route starts in its custodian's calendar (named in the settings);
//! the coordinator's deadline rule and then the custodian's decide the working days,
//! the reason and the calendar; the due date is that many working days after
//! `complete_on` in that calendar.

use super::run::Run;
use crate::calendar::DayKind;
use crate::error::{Error, ErrorKind, Location};
use crate::model::decision::Route;
use crate::model::trace::{DeadlineTrace, SkippedDay, StepTrace};
use crate::ruleset::load::SETTINGS_FILE;
use crate::script::{RouteView, Stage, StageScript};
use chrono::{Datelike, NaiveDate};

/// What a due date outside the calendar ends with: in an application, its dates
/// are what most likely lie outside.
pub(super) const CHECK_THE_DATES: &str = "; check submitted_at and attachments[].received_at";

/// The route of `custodian` with its deadline; dated from `clock_start` when the
/// application is complete. `routed_sources` is every source that joins any route
/// of the application.
pub(super) fn route(
    run: &mut Run<'_, '_>,
    custodian: &str,
    sources: Vec<String>,
    routed_sources: &[String],
    clock_start: Option<NaiveDate>,
) -> Result<Route, Error> {
    let rules = run.rules;
    let mut working_days: Option<i64> = None;
    let mut reason: Option<String> = None;
    // The custodian's calendar named in the settings is where the route starts; a
    // deadline rule may still choose another.
    let mut calendar = rules.calendar_of(custodian).to_string();
    let mut decided_by: Option<&StageScript> = None;
    // The rules that last set the working days and the calendar, to blame for them.
    let (mut days_by, mut calendar_by): (Option<&StageScript>, Option<&StageScript>) = (None, None);
    let traced = run.trace.is_some();
    let mut deciding_rules = Vec::new();
    // Which rule set each field last, for the trace.
    let mut set_by = SetBy::default();
    if traced && rules.custodian_calendars.contains_key(custodian) {
        deciding_rules.push(SETTINGS_FILE.to_string());
    }
    for group in [rules.coordinator(), custodian] {
        let Some(script) = rules.script(group, Stage::Deadline) else {
            continue;
        };
        let view = RouteView::new(
            custodian,
            &sources,
            routed_sources,
            working_days,
            reason.as_deref(),
            &calendar,
            clock_start,
        );
        let (update, settings) = run.watched(|| rules.compiled.deadline(script, &run.view, &view));
        let update = update?;
        run.note(|t| {
            t.steps.push(StepTrace {
                stage: Stage::Deadline.name().to_string(),
                custodian: Some(custodian.to_string()),
                rule: script.logical.clone(),
                function: Stage::Deadline.signature(),
                returned: vec![update.as_ref().map_or_else(
                    || "() (keeps the route as it is)".to_string(),
                    |u| u.describe(|t| rules.messages.text(run.app.language, t)),
                )],
                settings,
            })
        });
        let Some(update) = update else {
            continue;
        };
        if traced {
            deciding_rules.push(script.logical.clone());
            let by = || Some(script.logical.clone());
            if update.working_days.is_some() {
                set_by.working_days = by();
            }
            if update.reason.is_some() {
                set_by.reason = by();
            }
            if update.calendar.is_some() {
                set_by.calendar = by();
            }
        }
        if update.working_days.is_some() {
            days_by = Some(script);
        }
        if update.calendar.is_some() {
            calendar_by = Some(script);
        }
        working_days = update.working_days.or(working_days);
        reason = update
            .reason
            .map(|text| rules.messages.text(run.app.language, &text))
            .or(reason);
        calendar = update.calendar.unwrap_or(calendar);
        decided_by = Some(script);
    }

    let blame = |by: Option<&StageScript>, message: String| match by.or(decided_by) {
        Some(s) => Error::rule(
            Location::file(&s.display).in_function(Stage::Deadline.name()),
            message,
        ),
        None => Error::new(
            ErrorKind::Rule,
            format!("no deadline rule decided the route of '{custodian}'"),
        ),
    };
    let working_days = working_days
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            blame(
                days_by,
                format!("route of '{custodian}': working_days must be a whole number above 0"),
            )
        })?;
    let Some(cal) = rules.calendars().get(&calendar) else {
        return Err(blame(
            calendar_by,
            format!(
                "route of '{custodian}': calendar '{calendar}' does not exist; expected one of: {}",
                rules.calendars().names().collect::<Vec<_>>().join(", ")
            ),
        ));
    };

    let due = match clock_start {
        Some(start) => Some(cal.add_working_days(start, working_days).map_err(|e| {
            let error = Error::new(
                ErrorKind::DateOutOfRange,
                format!(
                    "route {custodian}: {working_days} working days after complete_on {start}: {e}{CHECK_THE_DATES}"
                ),
            );
            match days_by.or(decided_by) {
                Some(s) => error.decided_by(
                    Location::file(&s.display).in_function(Stage::Deadline.name()),
                ),
                None => error,
            }
        })?),
        None => None,
    };
    let route = Route {
        custodian: custodian.to_string(),
        sources,
        working_days,
        calendar,
        clock_start: due.and(clock_start),
        due,
        reason: reason.unwrap_or_default(),
    };
    if run.trace.is_some() {
        let trace = deadline_trace(cal, &route, deciding_rules, set_by);
        run.note(|t| t.deadlines.push(trace));
    }
    Ok(route)
}

/// The rule file that set each field of a route last.
#[derive(Default)]
struct SetBy {
    working_days: Option<String>,
    reason: Option<String>,
    calendar: Option<String>,
}

/// How a route's due date was counted, with the named days skipped.
fn deadline_trace(
    cal: &crate::calendar::Calendar,
    route: &Route,
    rules: Vec<String>,
    set_by: SetBy,
) -> DeadlineTrace {
    let skipped = match (route.clock_start, route.due) {
        (Some(start), Some(due)) => cal
            .named_days_between(start, due)
            .into_iter()
            .map(|d| SkippedDay {
                date: d.date,
                name: d.name.clone(),
                kind: match d.kind {
                    DayKind::Holiday => "holiday".to_string(),
                    DayKind::Closure => "closure".to_string(),
                },
                weekend: matches!(
                    d.date.weekday(),
                    chrono::Weekday::Sat | chrono::Weekday::Sun
                ),
            })
            .collect(),
        _ => vec![],
    };
    DeadlineTrace {
        custodian: route.custodian.clone(),
        sources: route.sources.clone(),
        rules,
        working_days: route.working_days,
        reason: route.reason.clone(),
        calendar: route.calendar.clone(),
        clock_start: route.clock_start,
        due: route.due,
        skipped,
        working_days_by: set_by.working_days,
        reason_by: set_by.reason,
        calendar_by: set_by.calendar,
    }
}
