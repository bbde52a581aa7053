//! Why each date of a case is what it is (`hds status --explain`): the clock's own
//! parts read again, each figure with what made it so. The status itself comes from
//! [`super::status`], so an explanation never disagrees with it.

use super::history::{ClosedBy, History, RoutePast};
use super::questions::Questions;
use super::{dates, Clock, Dated};
use crate::calendar::{Calendar, DayKind};
use crate::case::LoadedCase;
use crate::model::case::EventKind;
use crate::model::error_record::ErrorRecord;
use crate::model::explain::{
    ActionExplanation, Because, CaseExplanation, DayOff, Move, PausedDay, RouteExplanation, Setting,
};
use crate::model::status::{ActionCode, RouteStatus};
use crate::ruleset::policy::{CasePolicy, PauseReading, CASE_POLICY};
use crate::ruleset::RuleSet;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The explanation of the status of `case` as of `as_of` under `rules`; the same
/// errors as [`super::status`].
pub fn explain(
    case: &LoadedCase,
    rules: &RuleSet,
    as_of: NaiveDate,
) -> Result<CaseExplanation, ErrorRecord> {
    let status = super::status(case, rules, as_of)?;
    let clock = Clock::new(case, rules, as_of)?;
    let all = clock.events_in_order();
    let timeline = super::timeline::Timeline::build(&clock, &all)?;
    let events: Vec<Dated<'_>> = all.into_iter().filter(|e| e.day <= as_of).collect();
    let version = timeline.as_of(as_of);
    let decision = &version.decision;
    let restart = version.restarted_on;
    let questions = Questions::track(&clock, &events)?;
    let ids: Vec<&str> = decision
        .routes
        .iter()
        .map(|r| r.custodian.as_str())
        .collect();
    let history = History::replay(&clock, &events, &ids, restart)?;

    let received = match timeline.restarts.iter().rev().find(|r| r.day <= as_of) {
        Some(r) => Because {
            date: r.day,
            event: Some(r.index),
            // The explanation is in English, as the trace is.
            why: format!(
                "the amendment {} and restarts the clock",
                r.why
                    .iter()
                    .map(|t| clock
                        .rules
                        .messages
                        .text(Some(crate::model::application::Language::En), t))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        },
        None => Because {
            date: decision.received_on,
            event: None,
            why: "the application's submitted_at".to_string(),
        },
    };
    let complete = decision.complete_on.map(|date| completion(&events, date));
    let mut routes = Vec::new();
    for ((route, past), figured) in decision
        .routes
        .iter()
        .zip(&history.routes)
        .zip(&status.routes)
    {
        let cal = clock.calendar(&route.calendar)?;
        let clock_start = match (past.reopened_on, route.clock_start) {
            (Some(day), Some(_)) => Some(Because {
                date: day,
                event: reopening(&events, &route.custodian, day),
                why: "a reversed appeal reopened the route: its working days count again from the decision".to_string(),
            }),
            (None, Some(day)) => Some(Because {
                date: day,
                event: None,
                why: "the day the application became complete".to_string(),
            }),
            _ => None,
        };
        let due = figured.due;
        let due_skipped = match (&clock_start, due) {
            (Some(start), Some(due)) => days_off(cal, start.date, due),
            _ => Vec::new(),
        };
        let end = figured.closed_on.unwrap_or(as_of);
        let paused = match &clock_start {
            Some(start) => paused_days(
                &clock,
                &questions,
                &route.custodian,
                cal,
                start.date,
                end,
                restart,
            )?,
            None => Vec::new(),
        };
        let moves = match due {
            Some(due) => moves(&clock, cal, past, due, &paused)?,
            None => Vec::new(),
        };
        let now_skipped = match figured.due_now {
            Some(now) if now >= as_of => days_off(cal, as_of, now),
            Some(now) => days_off(cal, now, as_of),
            None => Vec::new(),
        };
        routes.push(RouteExplanation {
            custodian: route.custodian.clone(),
            state: figured.state,
            calendar: route.calendar.clone(),
            working_days: route.working_days,
            working_days_reason: route.reason.clone(),
            clock_start,
            due,
            due_skipped,
            paused,
            moves,
            due_now: figured.due_now,
            now_skipped,
            closed: closing(&events, figured, past),
        });
    }
    let actions = status
        .actions
        .iter()
        .map(|a| ActionExplanation {
            code: a.code,
            route: a.route.clone(),
            due: a.due,
            overdue: a.overdue,
            setting: action_setting(clock.policy, a.code),
            message: a.message.clone(),
        })
        .collect();
    Ok(CaseExplanation {
        case: status.case,
        as_of,
        state: status.state,
        received,
        complete,
        routes,
        actions,
        settings: settings(clock.policy),
    })
}

fn setting(name: &str, value: impl ToString) -> Setting {
    Setting {
        name: format!("{CASE_POLICY}.{name}"),
        value: value.to_string(),
    }
}

/// Every setting of the case policy, in the settings file's order.
fn settings(p: &CasePolicy) -> Vec<Setting> {
    vec![
        setting("reply_working_days", p.reply_working_days),
        setting("reminder_working_days", p.reminder_working_days),
        setting(
            "deliver_or_postpone_working_days",
            p.deliver_or_postpone_working_days,
        ),
        setting("preliminary_reply_months", p.preliminary_reply_months),
        setting("appeal_weeks", p.appeal_weeks),
        setting("paused_days", p.paused_days.as_str()),
        setting("amendment_restarts", p.amendment_restarts.as_str()),
    ]
}

/// The setting an action's window came from.
fn action_setting(p: &CasePolicy, code: ActionCode) -> Option<Setting> {
    Some(match code {
        ActionCode::PreliminaryReply => {
            setting("preliminary_reply_months", p.preliminary_reply_months)
        }
        ActionCode::DeliverOrPostpone => setting(
            "deliver_or_postpone_working_days",
            p.deliver_or_postpone_working_days,
        ),
        ActionCode::SendReminder => setting("reply_working_days", p.reply_working_days),
        ActionCode::DismissOrFollowUp => setting("reminder_working_days", p.reminder_working_days),
        ActionCode::AppealWindow => setting("appeal_weeks", p.appeal_weeks),
    })
}

/// The holidays and closure days after `from` up to and including `to`.
fn days_off(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> Vec<DayOff> {
    cal.named_days_between(from, to)
        .into_iter()
        .map(|d| DayOff {
            date: d.date,
            name: d.name.clone(),
            kind: match d.kind {
                DayKind::Holiday => "holiday",
                DayKind::Closure => "closure",
            }
            .to_string(),
        })
        .collect()
}

/// Why the application is complete on `date`: an attachment received that day, or
/// the application as received.
fn completion(events: &[Dated<'_>], date: NaiveDate) -> Because {
    let attachment = events
        .iter()
        .filter(|e| e.day == date)
        .find(|e| matches!(e.event.what, EventKind::AttachmentReceived { .. }));
    match attachment {
        Some(e) => Because {
            date,
            event: Some(e.index),
            why: "the attachment that completed the application was received".to_string(),
        },
        None => Because {
            date,
            event: None,
            why: "every required document was received by then, as the decision says".to_string(),
        },
    }
}

/// The `appeal_decided` event that reopened `route` on `day`.
fn reopening(events: &[Dated<'_>], route: &str, day: NaiveDate) -> Option<usize> {
    events
        .iter()
        .filter(|e| e.day == day && matches!(e.event.what, EventKind::AppealDecided { .. }))
        .find(|e| e.event.route().is_none_or(|r| r == route))
        .map(|e| e.index)
}

/// The event that closed a route, when it is closed.
fn closing(events: &[Dated<'_>], status: &RouteStatus, past: &RoutePast) -> Option<Because> {
    let (closure, on) = (past.closure?, status.closed_on?);
    let concerns = |e: &&Dated<'_>| e.event.route().is_none_or(|r| r == status.custodian);
    let event = events
        .iter()
        .filter(|e| e.day == on)
        .filter(concerns)
        .find(|e| match closure.by {
            ClosedBy::Delivered => matches!(e.event.what, EventKind::Delivered { .. }),
            ClosedBy::Refused => matches!(e.event.what, EventKind::Refused { .. }),
            ClosedBy::Withdrawn => matches!(e.event.what, EventKind::Withdrawn {}),
            ClosedBy::Dismissed => matches!(e.event.what, EventKind::Dismissed { .. }),
        })
        .map(|e| e.index);
    let why = match closure.by {
        ClosedBy::Delivered => "delivered",
        ClosedBy::Refused => "refused",
        ClosedBy::Withdrawn => "the application was withdrawn",
        ClosedBy::Dismissed => "the application was dismissed",
    };
    Some(Because {
        date: on,
        event,
        why: why.to_string(),
    })
}

/// Each working day a question held the clock of `route`, with the first question
/// that held it, as [`Questions::paused_days`] counts them.
fn paused_days(
    clock: &Clock<'_>,
    questions: &Questions<'_>,
    route: &str,
    cal: &Calendar,
    start: NaiveDate,
    end: NaiveDate,
    restart: Option<NaiveDate>,
) -> Result<Vec<PausedDay>, ErrorRecord> {
    let mut held: BTreeMap<NaiveDate, PausedDay> = BTreeMap::new();
    for q in &questions.list {
        if !q.concerns(route) || restart.is_some_and(|r| q.asked < r) {
            continue;
        }
        let from = match clock.policy.paused_days {
            PauseReading::LateDays => q.final_reply_by(),
            PauseReading::QuestionToAnswer => q.asked,
        };
        let to = q.answered.unwrap_or(clock.as_of).min(end).min(clock.as_of);
        let mut days = std::collections::BTreeSet::new();
        clock.dated(dates::collect_working_days(
            cal,
            from.max(start),
            to,
            &mut days,
        ))?;
        for date in days {
            held.entry(date).or_insert(PausedDay {
                date,
                question: q.index,
                asked: q.asked,
                reply_by: q.final_reply_by(),
            });
        }
    }
    Ok(held.into_values().collect())
}

/// The changes from `due` to `due_now`: days questions held the clock, and each
/// postponement in force, as the route's figures count them.
fn moves(
    clock: &Clock<'_>,
    cal: &Calendar,
    past: &RoutePast,
    due: NaiveDate,
    paused: &[PausedDay],
) -> Result<Vec<Move>, ErrorRecord> {
    let mut out = Vec::new();
    let mut base = due;
    let mut since: Option<NaiveDate> = None;
    let hold = |base: NaiveDate,
                upto: Option<NaiveDate>,
                since: Option<NaiveDate>,
                out: &mut Vec<Move>| {
        let held = paused
            .iter()
            .filter(|d| upto.is_none_or(|u| d.date <= u) && since.is_none_or(|s| d.date > s))
            .count();
        if held == 0 {
            return Ok(base);
        }
        let to =
            clock.dated(cal.add_working_days(base, u32::try_from(held).unwrap_or(u32::MAX)))?;
        out.push(Move {
            event: None,
            from: base,
            to,
            why: format!(
                "questions held the clock {held} working {} ({})",
                if held == 1 { "day" } else { "days" },
                clock.policy.paused_days.as_str()
            ),
        });
        Ok::<NaiveDate, ErrorRecord>(to)
    };
    for p in past.postponements_in_force() {
        let before = hold(base, Some(p.day), since, &mut out)?;
        let to = clock.dated(dates::on_or_next_working_day(cal, p.until))?;
        let moved = if to == p.until {
            String::new()
        } else {
            format!(" (until {}, not a working day)", p.until)
        };
        out.push(Move {
            event: Some(p.index),
            from: before,
            to,
            why: format!("postponed on {}{moved}", p.day),
        });
        base = to;
        since = Some(p.day);
    }
    hold(base, None, since, &mut out)?;
    Ok(out)
}
