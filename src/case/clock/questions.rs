//! Questions to the applicant: each question, its reminders and its answer, and the
//! working days they held a route's clock (forvaltningslovforskriften § 39).
//!
//! A question, reminder or answer with a `route` concerns that route; without one,
//! every route. So an answer answers every open question it concerns, and a
//! reminder reminds of every open question it concerns. An answer that answers no
//! question is bad input (`checks` says so); a reminder that reminds of none is
//! noted and ignored.

use super::{dates, Clock, Dated};
use crate::calendar::Calendar;
use crate::model::case::EventKind;
use crate::model::error_record::ErrorRecord;
use crate::ruleset::policy::PauseReading;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// One question to the applicant.
#[derive(Debug, Clone)]
pub(super) struct Question<'a> {
    /// 0-based position of the `question_sent` event.
    pub index: usize,
    /// The date it was sent.
    pub asked: NaiveDate,
    /// The route it concerns; `None`: every route.
    pub route: Option<&'a str>,
    /// The reply date the question gave.
    pub reply_by: NaiveDate,
    /// Each reminder: its position, date and the reply date it gave.
    pub reminders: Vec<(usize, NaiveDate, NaiveDate)>,
    /// The date it was answered.
    pub answered: Option<NaiveDate>,
}

impl Question<'_> {
    /// The reply date in force: the latest reminder's, else the question's.
    pub fn final_reply_by(&self) -> NaiveDate {
        self.reminders
            .last()
            .map_or(self.reply_by, |(_, _, reply_by)| *reply_by)
    }

    /// Whether it concerns `route` (a question without a route concerns every one).
    pub fn concerns(&self, route: &str) -> bool {
        self.route.is_none_or(|r| r == route)
    }
}

/// Every question of a case, in the order asked, and the reminders that reminded of
/// none.
#[derive(Debug, Clone, Default)]
pub(super) struct Questions<'a> {
    /// The questions, in event order.
    pub list: Vec<Question<'a>>,
    /// Reminders with no open question: (position, route).
    pub stray_reminders: Vec<(usize, Option<&'a str>)>,
    /// Answers with no open question, bad input: (position, route, date).
    pub stray_answers: Vec<(usize, Option<&'a str>, NaiveDate)>,
}

/// Whether an event with route `said` reaches a question with route `asked`.
fn reaches(asked: Option<&str>, said: Option<&str>) -> bool {
    match (asked, said) {
        (Some(a), Some(s)) => a == s,
        _ => true,
    }
}

impl<'a> Questions<'a> {
    /// Follows `events` (in date order): default reply dates counted in the national
    /// calendar with the policy's windows.
    pub fn track(clock: &Clock<'_>, events: &[Dated<'a>]) -> Result<Questions<'a>, ErrorRecord> {
        let mut out = Questions::default();
        let policy = clock.policy;
        for e in events {
            match &e.event.what {
                EventKind::QuestionSent { route, reply_by } => {
                    let reply_by = match reply_by {
                        Some(d) => *d,
                        None => clock.dated(
                            clock
                                .national
                                .add_working_days(e.day, policy.reply_working_days),
                        )?,
                    };
                    out.list.push(Question {
                        index: e.index,
                        asked: e.day,
                        route: route.as_deref(),
                        reply_by,
                        reminders: Vec::new(),
                        answered: None,
                    });
                }
                EventKind::ReminderSent { route, reply_by } => {
                    let reply_by = match reply_by {
                        Some(d) => *d,
                        None => clock.dated(
                            clock
                                .national
                                .add_working_days(e.day, policy.reminder_working_days),
                        )?,
                    };
                    let mut reminded = false;
                    for q in out.open_mut(route.as_deref()) {
                        q.reminders.push((e.index, e.day, reply_by));
                        reminded = true;
                    }
                    if !reminded {
                        out.stray_reminders.push((e.index, route.as_deref()));
                    }
                }
                EventKind::AnswerReceived { route } => {
                    let mut answered = false;
                    for q in out.open_mut(route.as_deref()) {
                        q.answered = Some(e.day);
                        answered = true;
                    }
                    if !answered {
                        out.stray_answers.push((e.index, route.as_deref(), e.day));
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }

    fn open_mut<'s>(
        &'s mut self,
        route: Option<&'s str>,
    ) -> impl Iterator<Item = &'s mut Question<'a>> + 's {
        self.list
            .iter_mut()
            .filter(move |q| q.answered.is_none() && reaches(q.route, route))
    }

    /// Whether a question concerning `route` is open.
    pub fn open_for(&self, route: &str) -> bool {
        self.list
            .iter()
            .any(|q| q.answered.is_none() && q.concerns(route))
    }

    /// The working days (in `cal`) a question held the clock of `route`, by the
    /// policy's reading: after the final reply date (or after the question) up to
    /// and including the answer, `end` or the as-of date, whichever is first; only
    /// days after `start` (the day the clock started), and only questions asked on
    /// or after `restart`. A day counts once however many questions hold it.
    pub fn paused_days(
        &self,
        clock: &Clock<'_>,
        route: &str,
        cal: &Calendar,
        start: NaiveDate,
        end: NaiveDate,
        restart: Option<NaiveDate>,
    ) -> Result<BTreeSet<NaiveDate>, ErrorRecord> {
        let mut days = BTreeSet::new();
        for q in &self.list {
            if !q.concerns(route) || restart.is_some_and(|r| q.asked < r) {
                continue;
            }
            let from = match clock.policy.paused_days {
                PauseReading::LateDays => q.final_reply_by(),
                PauseReading::QuestionToAnswer => q.asked,
            };
            let to = q.answered.unwrap_or(clock.as_of).min(end).min(clock.as_of);
            clock.dated(dates::collect_working_days(
                cal,
                from.max(start),
                to,
                &mut days,
            ))?;
        }
        Ok(days)
    }
}
