//! The case clock (case contract section 2): where each route of a case stands as of
//! a date, what is due next and what the clock noticed, as a pure function of the
//! case, the rule set and the date. Events after the date are ignored, so a status
//! as of a past date is what it was then.
//!
//! The work, in order: the events checked against the application in force on their
//! dates (`checks`); the application in force through amendments and late
//! attachments, and its decision (`timeline`); the questions to the applicant and
//! the days they held the clock (`questions`); refusals, appeals, postponements and
//! the other events that close or move routes (`history`); each route's figures and
//! state (`routes`); then what is due next (`actions`) and what was noticed
//! (`findings`). Working days of a route are counted in the route's calendar;
//! periods, reply dates and "the first working day after" in the national calendar
//! (`dates`).

mod actions;
mod checks;
mod dates;
mod explain;
mod findings;
mod history;
mod questions;
mod routes;
mod timeline;

use crate::calendar::{Calendar, OutOfRange, DEFAULT_CALENDAR};
use crate::case::LoadedCase;
use crate::error::ErrorKind;
use crate::model::case::{Event, EventKind};
use crate::model::decision::Status;
use crate::model::error_record::{ErrorBody, ErrorRecord};
use crate::model::status::{CaseState, CaseStatus, RouteState};
use crate::ruleset::load::SETTINGS_FILE;
use crate::ruleset::policy::CasePolicy;
use crate::ruleset::RuleSet;
use chrono::NaiveDate;
pub use explain::explain;
use std::fmt::Display;

/// The checks of a case file that need the rule set (case contract section 1),
/// on every event: none dated before the application was received, every `route`
/// a route of the case on its date, every `work_logged` party `helsedataservice`
/// or a custodian of the rule set's catalog, every `answer_received` answering an
/// open question. The first problem, by position, is the error record.
pub fn check(case: &LoadedCase, rules: &RuleSet) -> Result<(), ErrorRecord> {
    let received = case.application.received_on();
    let last = case.file.events.iter().map(|e| e.day()).max();
    let as_of = last.map_or(received, |d| d.max(received));
    let clock = Clock::new(case, rules, as_of)?;
    let all = clock.events_in_order();
    checks::dates(&clock, &all)?;
    let timeline = timeline::Timeline::build(&clock, &all)?;
    checks::routes_parties_and_answers(&clock, &all, &timeline)
}

/// The status of `case` as of `as_of` under `rules`: the case's state, one clock per
/// route, the actions due and the findings, with the decision of the application in
/// force. Reads nothing and prints nothing.
///
/// A case the clock cannot follow is an error record naming the case file and, for
/// a bad event, its line and `events[N]`: an event dated before the application was
/// received, a `route` that is not a route of the case on the event's date, a
/// `work_logged` party that is neither `helsedataservice` nor a custodian of the
/// rule set's catalog, an `answer_received` with no open question (every event is
/// checked, whatever the as-of date). So is a rule set without a case policy, an as-of date before the
/// application was received, or a date outside the calendars.
pub fn status(
    case: &LoadedCase,
    rules: &RuleSet,
    as_of: NaiveDate,
) -> Result<CaseStatus, ErrorRecord> {
    let clock = Clock::new(case, rules, as_of)?;
    let all = clock.events_in_order();
    checks::dates(&clock, &all)?;
    let timeline = timeline::Timeline::build(&clock, &all)?;
    checks::routes_parties_and_answers(&clock, &all, &timeline)?;

    let received = case.application.received_on();
    if as_of < received {
        return Err(clock.case_error(
            ErrorKind::InvalidValue,
            format!(
                "{}: as of {as_of}: the application was received on {received}, so the case has no status yet; expected an as-of date on or after it",
                case.path
            ),
        ));
    }
    let events: Vec<Dated<'_>> = all.into_iter().filter(|e| e.day <= as_of).collect();
    let version = timeline.as_of(as_of);
    let decision = version.decision.clone();
    let restart = version.restarted_on;
    let questions = questions::Questions::track(&clock, &events)?;
    let route_ids: Vec<&str> = decision
        .routes
        .iter()
        .map(|r| r.custodian.as_str())
        .collect();
    let history = history::History::replay(&clock, &events, &route_ids, restart)?;

    let mut found = findings::Found::new(&clock);
    let mut routes = Vec::new();
    for (route, past) in decision.routes.iter().zip(&history.routes) {
        routes.push(routes::figure(
            &clock, route, past, &history, &questions, restart, &mut found,
        )?);
    }
    let state = case_state(&history, decision.status, &routes);
    let actions = actions::due(
        &clock, state, &decision, &routes, &history, &questions, restart,
    )?;
    found.restarts(&timeline, as_of);
    found.history(&history);
    for (index, route) in &questions.stray_reminders {
        found.stray_reminder(*index, *route);
    }
    Ok(CaseStatus {
        case: case.id.clone(),
        as_of,
        ruleset: rules.id(),
        state,
        received_on: decision.received_on,
        complete_on: decision.complete_on,
        routes: routes.into_iter().map(|r| r.status).collect(),
        actions,
        findings: found.into_sorted(),
        decision,
    })
}

/// The state of the whole case, the first that applies.
fn case_state(history: &history::History, status: Status, routes: &[routes::Figured]) -> CaseState {
    if history.withdrawn.is_some() {
        return CaseState::Withdrawn;
    }
    if history.dismissed.is_some() {
        return CaseState::Dismissed;
    }
    match status {
        Status::Redirected => CaseState::Redirected,
        Status::Ineligible => CaseState::Ineligible,
        Status::Incomplete => CaseState::Incomplete,
        Status::Complete if routes.iter().all(|r| r.status.state.is_closed()) => CaseState::Closed,
        Status::Complete => CaseState::Open,
    }
}

/// One event with its position in the case file and its Oslo date.
#[derive(Debug, Clone, Copy)]
pub(super) struct Dated<'a> {
    /// 0-based, as `events[N]` names it.
    pub index: usize,
    /// The Oslo local date of the event.
    pub day: NaiveDate,
    /// The event as written.
    pub event: &'a Event,
}

/// What every part of the clock reads: the case, the rule set, its case policy, the
/// national calendar and the as-of date.
pub(super) struct Clock<'a> {
    pub case: &'a LoadedCase,
    pub rules: &'a RuleSet,
    pub policy: &'a CasePolicy,
    pub national: &'a Calendar,
    pub as_of: NaiveDate,
}

impl<'a> Clock<'a> {
    /// The language of the case's messages: that of the application in force on
    /// the as-of date, after any amendment (`None`: Bokmål).
    pub fn language(&self) -> Option<crate::model::application::Language> {
        let mut language = self.case.application.language;
        for (event, amended) in self.case.file.events.iter().zip(&self.case.amendments) {
            if let Some(app) = amended.as_ref().filter(|_| event.day() <= self.as_of) {
                language = app.language;
            }
        }
        language
    }

    fn new(
        case: &'a LoadedCase,
        rules: &'a RuleSet,
        as_of: NaiveDate,
    ) -> Result<Clock<'a>, ErrorRecord> {
        let bare = |message: String| ErrorRecord {
            application: Some(case.id.clone()),
            input: case.path.clone(),
            error: ErrorBody {
                kind: ErrorKind::InvalidValue.code().to_string(),
                message,
            },
        };
        let Some(policy) = rules.case_policy() else {
            return Err(bare(format!(
                "{}: the rule set has no case policy: {SETTINGS_FILE} needs a `case:` block (see rules/README.md) to follow cases",
                case.path
            )));
        };
        let Some(national) = rules.calendars().get(DEFAULT_CALENDAR) else {
            return Err(bare(format!(
                "{}: the rule set has no national calendar '{DEFAULT_CALENDAR}'",
                case.path
            )));
        };
        Ok(Clock {
            case,
            rules,
            policy,
            national,
            as_of,
        })
    }

    /// Every event in date order; on one date, questions first, then file order.
    fn events_in_order(&self) -> Vec<Dated<'a>> {
        let mut all: Vec<Dated<'a>> = self
            .case
            .file
            .events
            .iter()
            .enumerate()
            .map(|(index, event)| Dated {
                index,
                day: event.day(),
                event,
            })
            .collect();
        // A question before the other events of its day, so an answer written
        // above it on the same day still answers it.
        all.sort_by_key(|e| {
            let question = matches!(e.event.what, EventKind::QuestionSent { .. });
            (e.day, !question, e.index)
        });
        all
    }

    /// An error record about the event `events[index]` (its `field`, when one is
    /// to blame): the case file and the event's line, the event's position and what
    /// was expected, as the case-file reader writes them.
    pub fn event_error(
        &self,
        index: usize,
        field: Option<&str>,
        message: impl Display,
    ) -> ErrorRecord {
        self.event_error_of(ErrorKind::InvalidValue, index, field, message)
    }

    /// An error record of `kind` about event `index`, as [`Clock::event_error`].
    pub fn event_error_of(
        &self,
        kind: ErrorKind,
        index: usize,
        field: Option<&str>,
        message: impl Display,
    ) -> ErrorRecord {
        let input = match self.case.event_lines.get(index).copied().flatten() {
            Some(line) => format!("{}:{line}", self.case.path),
            None => self.case.path.clone(),
        };
        let at = match field {
            Some(f) => format!("events[{index}].{f}"),
            None => format!("events[{index}]"),
        };
        ErrorRecord {
            application: Some(self.case.id.clone()),
            input: input.clone(),
            error: ErrorBody {
                kind: kind.code().to_string(),
                message: format!("{input}: {at}: {message}"),
            },
        }
    }

    /// An error record about the case; `message` names the file itself.
    pub fn case_error(&self, kind: ErrorKind, message: impl Into<String>) -> ErrorRecord {
        ErrorRecord {
            application: Some(self.case.id.clone()),
            input: self.case.path.clone(),
            error: ErrorBody {
                kind: kind.code().to_string(),
                message: message.into(),
            },
        }
    }

    /// A count that ran outside a calendar, as an error record about the case.
    pub fn dated<T>(&self, counted: Result<T, OutOfRange>) -> Result<T, ErrorRecord> {
        counted.map_err(|e| {
            self.case_error(
                ErrorKind::DateOutOfRange,
                format!(
                    "{}: {e}; check the dates of the case's events and the as-of date",
                    self.case.path
                ),
            )
        })
    }

    /// The calendar a route counts in.
    pub fn calendar(&self, name: &str) -> Result<&'a Calendar, ErrorRecord> {
        self.rules
            .calendars()
            .get(name)
            .map(|c| &**c)
            .ok_or_else(|| {
                self.case_error(
                    ErrorKind::Internal,
                    format!(
                    "{}: the decision names calendar '{name}', which the rule set does not have",
                    self.case.path
                ),
                )
            })
    }
}

/// Whether a route of a route state is open, i.e. still being worked on.
pub(super) fn is_open(state: RouteState) -> bool {
    !state.is_closed()
}
