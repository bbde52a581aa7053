//! What someone must do next, each with its last day: a preliminary reply, a
//! delivery or postponement, a reminder, a dismissal or follow-up, and the appeal
//! window. Dates that follow another date or end a period are working days of the
//! national calendar; a route's delivery is due on its `due_now`.

use super::history::{ClosedBy, History};
use super::questions::Questions;
use super::routes::Figured;
use super::{dates, is_open, Clock};
use crate::model::decision::Decision;
use crate::model::error_record::ErrorRecord;
use crate::model::status::{Action, ActionCode, CaseState};
use chrono::NaiveDate;

/// Every action due as of the date, sorted by due date, code and route.
pub(super) fn due(
    clock: &Clock<'_>,
    state: CaseState,
    decision: &Decision,
    routes: &[Figured],
    history: &History,
    questions: &Questions<'_>,
    restart: Option<NaiveDate>,
) -> Result<Vec<Action>, ErrorRecord> {
    let as_of = clock.as_of;
    let national = clock.national;
    let policy = clock.policy;
    let mut out = Vec::new();
    let mut add = |code: ActionCode, route: Option<&str>, due: NaiveDate, message: String| {
        out.push(Action {
            code,
            route: route.map(str::to_string),
            due,
            overdue: as_of > due,
            message,
        });
    };
    let case_open = matches!(state, CaseState::Open | CaseState::Incomplete);

    if case_open && !history.preliminary_reply {
        let months = policy.preliminary_reply_months;
        let received = decision.received_on;
        let due = clock.dated(dates::months_after(national, received, months))?;
        let period = if months == 1 {
            "a month".to_string()
        } else {
            format!("{months} months")
        };
        let since = match restart {
            Some(r) => format!("since the amendment of {r} that restarted the clock"),
            None => format!("since the application was received on {received}"),
        };
        add(
            ActionCode::PreliminaryReply,
            None,
            due,
            format!(
                "send a preliminary reply by {due} (forvaltningsloven § 11 a): no reply or postponement recorded {since}, and the reply cannot be given within {period}"
            ),
        );
    }

    for r in routes.iter().filter(|r| is_open(r.status.state)) {
        let s = &r.status;
        let (Some(due_now), Some(left), Some(late)) =
            (s.due_now, s.working_days_left, s.overdue_by)
        else {
            continue;
        };
        if left > policy.deliver_or_postpone_working_days && late == 0 {
            continue;
        }
        let when = if late > 0 {
            format!("overdue by {late} working {}", plural(late))
        } else {
            format!("{left} working {} left", plural(left))
        };
        add(
            ActionCode::DeliverOrPostpone,
            Some(&s.custodian),
            due_now,
            format!(
                "route {}: deliver by {due_now}, or postpone with a reason and a new date ({when})",
                s.custodian
            ),
        );
    }

    let route_open = |name: &str| {
        routes
            .iter()
            .any(|r| r.status.custodian == name && is_open(r.status.state))
    };
    for q in questions.list.iter().filter(|q| q.answered.is_none()) {
        let listed = match q.route {
            Some(name) => route_open(name),
            None => case_open,
        };
        let reply_by = q.final_reply_by();
        if !listed || as_of <= reply_by {
            continue;
        }
        let due = clock.dated(dates::first_working_day_after(national, reply_by))?;
        let about = match q.route {
            Some(name) => format!("the question of {} on route {name}", q.asked),
            None => format!("the question of {}", q.asked),
        };
        match q.reminders.last() {
            None => add(
                ActionCode::SendReminder,
                q.route,
                due,
                format!(
                    "{about} (events[{}]) had no answer by {reply_by}: send a reminder",
                    q.index
                ),
            ),
            Some((index, day, _)) => add(
                ActionCode::DismissOrFollowUp,
                q.route,
                due,
                format!(
                    "{about} had no answer by {reply_by}, the date the reminder of {day} (events[{index}]) gave: dismiss the application or follow up"
                ),
            ),
        }
    }

    if history.withdrawn.is_none() {
        let weeks = policy.appeal_weeks;
        for r in routes {
            let (Some(ClosedBy::Refused), Some(refused_on), false) =
                (r.closed_by, r.status.closed_on, r.appealed)
            else {
                continue;
            };
            let last = clock.dated(dates::weeks_after(national, refused_on, weeks))?;
            if as_of > last || history.dismissed.is_some() {
                continue;
            }
            let route = (!r.refused_unnamed).then_some(r.status.custodian.as_str());
            let what = match route {
                Some(name) => format!("the refusal of route {name}"),
                None => "the refusal".to_string(),
            };
            add(
                ActionCode::AppealWindow,
                route,
                last,
                format!(
                    "an appeal against {what} of {refused_on} may be received until {last} (forvaltningsloven § 29)"
                ),
            );
        }
        if let (Some(dismissed), false) = (history.dismissed, history.dismissal_appealed) {
            let last = clock.dated(dates::weeks_after(national, dismissed, weeks))?;
            if as_of <= last {
                add(
                    ActionCode::AppealWindow,
                    None,
                    last,
                    format!(
                        "an appeal against the dismissal of {dismissed} may be received until {last} (forvaltningsloven § 29)"
                    ),
                );
            }
        }
    }

    out.sort_by(|a, b| (a.due, a.code, &a.route).cmp(&(b.due, b.code, &b.route)));
    out.dedup();
    Ok(out)
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        "day"
    } else {
        "days"
    }
}
