//! What the clock noticed about a case's history, as findings of the same shape as
//! a decision's: `postponed-after-due` and `appeal-late` (warnings),
//! `delivered-late` and `amendment-restarts-clock` (info), and `event-ignored`
//! (warning: an event that had nothing to act on).

use super::history::History;
use super::timeline::Timeline;
use super::Clock;
use crate::model::application::Language;
use crate::model::decision::{Finding, Severity};
use crate::model::message::{Arg, Text};
use crate::ruleset::load::SETTINGS_FILE;
use crate::ruleset::messages::Messages;
use chrono::NaiveDate;

/// The findings gathered so far, their messages in the case's language.
pub(super) struct Found<'a> {
    findings: Vec<Finding>,
    messages: &'a Messages,
    language: Option<Language>,
}

impl<'a> Found<'a> {
    /// No findings yet; their messages will be in the language of the case.
    pub fn new(clock: &Clock<'a>) -> Self {
        Found {
            findings: Vec::new(),
            messages: &clock.rules.messages,
            language: clock.language(),
        }
    }

    /// A finding whose message is the message `code` with `args`.
    fn push<const N: usize>(
        &mut self,
        code: &str,
        severity: Severity,
        custodian: Option<&str>,
        args: [(&str, Arg); N],
    ) {
        let message = self
            .messages
            .text(self.language, &Text::message(code, args));
        self.findings.push(Finding {
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
            [
                ("route", route.into()),
                ("day", day.into()),
                ("index", index.into()),
                ("replaced", replaced.into()),
            ],
        );
    }

    /// A delivery after the date the route was due.
    pub fn delivered_late(&mut self, route: &str, on: NaiveDate, due_now: NaiveDate, late: u32) {
        self.push(
            "delivered-late",
            Severity::Info,
            Some(route),
            [
                ("route", route.into()),
                ("on", on.into()),
                ("late", late.into()),
                ("due", due_now.into()),
            ],
        );
    }

    /// Each amendment up to `as_of` that restarted the clock.
    pub fn restarts(&mut self, timeline: &Timeline, as_of: NaiveDate) {
        for r in timeline.restarts.iter().filter(|r| r.day <= as_of) {
            self.push(
                "amendment-restarts-clock",
                Severity::Info,
                None,
                [
                    ("day", r.day.into()),
                    ("index", r.index.into()),
                    ("changes", Arg::Messages(r.why.clone())),
                ],
            );
        }
    }

    /// Late appeals and ignored events.
    pub fn history(&mut self, history: &History) {
        for a in history.appeals.iter().filter(|a| a.day > a.last_day) {
            let against = if a.route.is_some() {
                "refusal"
            } else {
                "dismissal"
            };
            self.push(
                "appeal-late",
                Severity::Warning,
                a.route.as_deref(),
                [
                    ("against", against.into()),
                    ("route", a.route.clone().unwrap_or_default().into()),
                    ("day", a.day.into()),
                    ("index", a.index.into()),
                    ("last_day", a.last_day.into()),
                ],
            );
        }
        for (index, route, why) in &history.ignored {
            self.push(
                "event-ignored",
                Severity::Warning,
                route.as_deref(),
                [("index", (*index).into()), ("reason", why.as_str().into())],
            );
        }
    }

    /// A reminder with no open question.
    pub fn stray_reminder(&mut self, index: usize, route: Option<&str>) {
        self.push(
            "event-ignored",
            Severity::Warning,
            route,
            [
                ("index", index.into()),
                ("reason", "no-open-question".into()),
            ],
        );
    }

    /// Every finding, in a decision's order.
    pub fn into_sorted(mut self) -> Vec<Finding> {
        self.findings.sort_by(|a, b| {
            (&a.custodian, &a.source, &a.code, &a.message, &a.rule).cmp(&(
                &b.custodian,
                &b.source,
                &b.code,
                &b.message,
                &b.rule,
            ))
        });
        self.findings.dedup();
        self.findings
    }
}
