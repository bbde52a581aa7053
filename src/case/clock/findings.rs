//! What the clock noticed about a case's history, as findings of the same shape as
//! a decision's: `postponed-after-due` and `appeal-late` (warnings),
//! `delivered-late` and `amendment-restarts-clock` (info), and `event-ignored`
//! (warning: an event that had nothing to act on).

use super::history::History;
use super::timeline::Timeline;
use crate::model::decision::{Finding, Severity};
use crate::ruleset::load::SETTINGS_FILE;
use chrono::NaiveDate;

/// The findings gathered so far.
#[derive(Debug, Clone, Default)]
pub(super) struct Found(Vec<Finding>);

impl Found {
    fn push(&mut self, code: &str, severity: Severity, custodian: Option<&str>, message: String) {
        self.0.push(Finding {
            code: code.to_string(),
            severity,
            custodian: custodian.map(str::to_string),
            source: None,
            message,
            rule: SETTINGS_FILE.to_string(),
        });
    }

    /// A postponement dated after the date it replaced.
    pub fn postponed_after_due(
        &mut self,
        route: &str,
        index: usize,
        day: NaiveDate,
        replaced: NaiveDate,
    ) {
        self.push(
            "postponed-after-due",
            Severity::Warning,
            Some(route),
            format!(
                "route {route} was postponed on {day} (events[{index}]), after the date it replaced, {replaced}: a postponement should be decided before the due date"
            ),
        );
    }

    /// A delivery after the date the route was due.
    pub fn delivered_late(&mut self, route: &str, on: NaiveDate, due_now: NaiveDate, late: u32) {
        let days = if late == 1 { "day" } else { "days" };
        self.push(
            "delivered-late",
            Severity::Info,
            Some(route),
            format!(
                "route {route} was delivered on {on}, {late} working {days} after it was due on {due_now}"
            ),
        );
    }

    /// Each amendment up to `as_of` that restarted the clock.
    pub fn restarts(&mut self, timeline: &Timeline, as_of: NaiveDate) {
        for r in timeline.restarts.iter().filter(|r| r.day <= as_of) {
            self.push(
                "amendment-restarts-clock",
                Severity::Info,
                None,
                format!(
                    "the amendment of {} (events[{}]) {}: the clock restarts, the application counting as received on {}",
                    r.day, r.index, r.why, r.day
                ),
            );
        }
    }

    /// Late appeals and ignored events.
    pub fn history(&mut self, history: &History) {
        for a in history.appeals.iter().filter(|a| a.day > a.last_day) {
            let against = match &a.route {
                Some(route) => format!("the refusal of route {route}"),
                None => "the dismissal".to_string(),
            };
            self.push(
                "appeal-late",
                Severity::Warning,
                a.route.as_deref(),
                format!(
                    "the appeal against {against} was received on {} (events[{}]), after the last day to appeal, {}",
                    a.day, a.index, a.last_day
                ),
            );
        }
        for (index, route, why) in &history.ignored {
            self.push(
                "event-ignored",
                Severity::Warning,
                route.as_deref(),
                format!("events[{index}] changes nothing: {why}"),
            );
        }
    }

    /// A reminder with no open question.
    pub fn stray_reminder(&mut self, index: usize, route: Option<&str>) {
        self.push(
            "event-ignored",
            Severity::Warning,
            route,
            format!("events[{index}] changes nothing: there is no open question to remind of"),
        );
    }

    /// Every finding, in a decision's order.
    pub fn into_sorted(mut self) -> Vec<Finding> {
        self.0.sort_by(|a, b| {
            (&a.custodian, &a.source, &a.code, &a.message, &a.rule).cmp(&(
                &b.custodian,
                &b.source,
                &b.code,
                &b.message,
                &b.rule,
            ))
        });
        self.0.dedup();
        self.0
    }
}
