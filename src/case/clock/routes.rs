//! One route's clock as of the date: its due date (counted again from a reversed
//! appeal), the days the applicant held it, the date it is due now, the working
//! days left or overdue, and its state, all counted in the route's calendar.

use super::findings::Found;
use super::history::{ClosedBy, History, RoutePast};
use super::questions::Questions;
use super::{dates, Clock};
use crate::model::decision::Route;
use crate::model::error_record::ErrorRecord;
use crate::model::status::{RouteState, RouteStatus};
use chrono::NaiveDate;

/// A route's status with what the actions need besides.
#[derive(Debug, Clone)]
pub(super) struct Figured {
    pub status: RouteStatus,
    /// How the route was closed, when it is.
    pub closed_by: Option<ClosedBy>,
    /// The refusal that closed it was recorded without a route (it refused every
    /// route).
    pub refused_unnamed: bool,
    /// An appeal was received since it was closed.
    pub appealed: bool,
}

/// The clock of `route` as of the date. `restart` is the date of the amendment that
/// last restarted the clock, if any.
pub(super) fn figure(
    clock: &Clock<'_>,
    route: &Route,
    past: &RoutePast,
    history: &History,
    questions: &Questions<'_>,
    restart: Option<NaiveDate>,
    found: &mut Found<'_>,
) -> Result<Figured, ErrorRecord> {
    let name = route.custodian.as_str();
    let cal = clock.calendar(&route.calendar)?;
    let closed_on = past.closure.map(|c| c.on);
    let counted: Vec<_> = past.postponements_in_force().copied().collect();

    let mut due = route.due;
    let mut due_now = None;
    let mut paused_days = None;
    let mut left = None;
    let mut overdue_by = None;
    if let (Some(statutory), Some(clock_start)) = (route.due, route.clock_start) {
        let (due_date, start) = match past.reopened_on {
            Some(reopened) => (
                clock.dated(cal.add_working_days(reopened, route.working_days))?,
                reopened,
            ),
            None => (statutory, clock_start),
        };
        due = Some(due_date);
        let end = closed_on.unwrap_or(clock.as_of);
        let paused = questions.paused_days(clock, name, cal, start, end, restart)?;
        let now = match counted.last() {
            Some(p) => {
                let base = clock.dated(dates::on_or_next_working_day(cal, p.until))?;
                let after = paused.range(p.day.succ_opt().unwrap_or(p.day)..).count();
                clock.dated(cal.add_working_days(base, count(after)))?
            }
            None => clock.dated(cal.add_working_days(due_date, count(paused.len())))?,
        };
        // Each postponement against the date it replaced.
        let mut base = due_date;
        let mut since: Option<NaiveDate> = None;
        for p in &counted {
            let held = paused
                .iter()
                .filter(|d| **d <= p.day && since.is_none_or(|s| **d > s))
                .count();
            let replaced = clock.dated(cal.add_working_days(base, count(held)))?;
            if p.day > replaced {
                found.postponed_after_due(name, p.index, p.day, replaced);
            }
            base = clock.dated(dates::on_or_next_working_day(cal, p.until))?;
            since = Some(p.day);
        }
        let closed = closed_on.is_some();
        left = Some(if closed {
            0
        } else {
            clock.dated(dates::working_days_after(cal, clock.as_of, now))?
        });
        let late = clock.dated(dates::working_days_after(
            cal,
            now,
            closed_on.unwrap_or(clock.as_of),
        ))?;
        if let (Some(c), true) = (past.closure, late > 0) {
            if c.by == ClosedBy::Delivered {
                found.delivered_late(name, c.on, now, late);
            }
        }
        due_now = Some(now);
        paused_days = Some(count(paused.len()));
        overdue_by = Some(late);
    }

    let state = if history.withdrawn.is_some() {
        RouteState::Withdrawn
    } else if history.dismissed.is_some() {
        RouteState::Dismissed
    } else if let Some(c) = past.closure {
        match c.by {
            ClosedBy::Delivered => RouteState::Delivered,
            ClosedBy::Refused if past.pending_appeal => RouteState::Appealed,
            ClosedBy::Refused => RouteState::Refused,
            ClosedBy::Withdrawn => RouteState::Withdrawn,
            ClosedBy::Dismissed => RouteState::Dismissed,
        }
    } else if overdue_by.is_some_and(|n| n > 0) {
        RouteState::Overdue
    } else if questions.open_for(name) {
        RouteState::Waiting
    } else if !counted.is_empty() {
        RouteState::Postponed
    } else if due.is_none() {
        RouteState::AwaitingCompletion
    } else {
        RouteState::InProgress
    };

    Ok(Figured {
        status: RouteStatus {
            custodian: route.custodian.clone(),
            state,
            working_days: route.working_days,
            due,
            due_now,
            paused_days,
            working_days_left: left,
            overdue_by,
            closed_on,
        },
        closed_by: past.closure.map(|c| c.by),
        refused_unnamed: past
            .closure
            .is_some_and(|c| c.by == ClosedBy::Refused && !c.named),
        appealed: past.appealed,
    })
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
