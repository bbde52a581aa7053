//! Why a case's dates are what they are as of a date (`hds status --explain`): for
//! each route, the working days and the setting or rule they came from, the
//! holidays and closure days skipped, the days questions held the clock and which
//! question held each, and the events that moved or closed it; for each action, the
//! setting its window came from.

use super::status::{ActionCode, CaseState, RouteState};
use chrono::NaiveDate;
use serde::Serialize;

/// The explanation of one case's status as of a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseExplanation {
    /// The case id.
    pub case: String,
    /// The date counted to.
    pub as_of: NaiveDate,
    /// The case's state.
    pub state: CaseState,
    /// The date the case counts as received, and why.
    pub received: Because,
    /// The date the application became complete, and why; `None` while incomplete.
    pub complete: Option<Because>,
    /// One per route of the application in force.
    pub routes: Vec<RouteExplanation>,
    /// One per action due, in the status's order.
    pub actions: Vec<ActionExplanation>,
    /// Every setting of the case policy, with its value.
    pub settings: Vec<Setting>,
}

/// A date and what made it so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Because {
    /// The date.
    pub date: NaiveDate,
    /// The event that made it so (0-based, as `events[N]`), when one did.
    pub event: Option<usize>,
    /// Why, in words.
    pub why: String,
}

/// A setting of the rule set and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Setting {
    /// Its name in the settings file, e.g. `case.reply_working_days`.
    pub name: String,
    /// Its value as written.
    pub value: String,
}

/// A day that is not a working day, skipped when counting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayOff {
    /// The day.
    pub date: NaiveDate,
    /// Its name in the calendar.
    pub name: String,
    /// `holiday` or `closure`.
    pub kind: String,
}

/// A working day a question held a route's clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PausedDay {
    /// The day.
    pub date: NaiveDate,
    /// The `question_sent` event that held it (the first, when several did).
    pub question: usize,
    /// The date that question was sent.
    pub asked: NaiveDate,
    /// Its reply date in force (the latest reminder's, else its own).
    pub reply_by: NaiveDate,
}

/// A change of a route's date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Move {
    /// The event that moved it (0-based), when one did.
    pub event: Option<usize>,
    /// The date before.
    pub from: NaiveDate,
    /// The date after.
    pub to: NaiveDate,
    /// Why, in words.
    pub why: String,
}

/// Why one route's figures are what they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteExplanation {
    /// The custodian id.
    pub custodian: String,
    /// Its state as of the date.
    pub state: RouteState,
    /// The calendar its working days are counted in.
    pub calendar: String,
    /// The working days it has.
    pub working_days: u32,
    /// Why that many, as the deadline rule said.
    pub working_days_reason: String,
    /// The day its clock started (not counted); `None` while incomplete.
    pub clock_start: Option<Because>,
    /// The due date before any event moved it.
    pub due: Option<NaiveDate>,
    /// The holidays and closure days skipped from `clock_start` to `due`.
    pub due_skipped: Vec<DayOff>,
    /// The working days questions held the clock.
    pub paused: Vec<PausedDay>,
    /// Each change from `due` to `due_now`, in order.
    pub moves: Vec<Move>,
    /// The due date in force.
    pub due_now: Option<NaiveDate>,
    /// The holidays and closure days skipped from the as-of date to `due_now`, or
    /// from `due_now` to the as-of date when it has passed.
    pub now_skipped: Vec<DayOff>,
    /// The event that closed it, when it is closed.
    pub closed: Option<Because>,
}

/// Why one action is due when it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionExplanation {
    /// The action.
    pub code: ActionCode,
    /// Its route, or `None` for the case.
    pub route: Option<String>,
    /// Its last day.
    pub due: NaiveDate,
    /// Whether that day has passed.
    pub overdue: bool,
    /// The setting its window came from, when one did.
    pub setting: Option<Setting>,
    /// The status's message.
    pub message: String,
}
