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
use crate::model::message::{Arg, Text};
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
    let messages = &clock.rules.messages;
    let language = clock.language();
    // Each action's message is `action-<code>`, with these arguments and `due`.
    let mut add =
        |code: ActionCode, route: Option<&str>, due: NaiveDate, args: Vec<(&str, Arg)>| {
            let mut text = Text::message(format!("action-{}", code.as_str()), args);
            text.args.insert("due".to_string(), due.into());
            if let Some(r) = route {
                text.args.insert("route".to_string(), r.into());
            }
            out.push(Action {
                code,
                route: route.map(str::to_string),
                due,
                overdue: as_of > due,
                message: messages.text(language, &text),
            });
        };
    let case_open = matches!(state, CaseState::Open | CaseState::Incomplete);

    if case_open && !history.preliminary_reply {
        let months = policy.preliminary_reply_months;
        let received = decision.received_on;
        let due = clock.dated(dates::months_after(national, received, months))?;
        let (since, from) = match restart {
            Some(r) => ("amendment", r),
            None => ("received", received),
        };
        add(
            ActionCode::PreliminaryReply,
            None,
            due,
            vec![
                ("since", since.into()),
                ("from", from.into()),
                ("months", months.into()),
            ],
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
        add(
            ActionCode::DeliverOrPostpone,
            Some(&s.custodian),
            due_now,
            vec![("late", late.into()), ("left", left.into())],
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
        let scope = if q.route.is_some() { "route" } else { "case" };
        let mut args = vec![
            ("scope", scope.into()),
            ("asked", q.asked.into()),
            ("index", q.index.into()),
            ("reply_by", reply_by.into()),
        ];
        match q.reminders.last() {
            None => add(ActionCode::SendReminder, q.route, due, args),
            Some((index, day, _)) => {
                args.push(("reminded", (*day).into()));
                args.push(("reminder_index", (*index).into()));
                add(ActionCode::DismissOrFollowUp, q.route, due, args)
            }
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
            let against = if route.is_some() { "route" } else { "refusal" };
            add(
                ActionCode::AppealWindow,
                route,
                last,
                vec![("against", against.into()), ("on", refused_on.into())],
            );
        }
        if let (Some(dismissed), false) = (history.dismissed, history.dismissal_appealed) {
            let last = clock.dated(dates::weeks_after(national, dismissed, weeks))?;
            if as_of <= last {
                add(
                    ActionCode::AppealWindow,
                    None,
                    last,
                    vec![("against", "dismissal".into()), ("on", dismissed.into())],
                );
            }
        }
    }

    out.sort_by(|a, b| (a.due, a.code, &a.route).cmp(&(b.due, b.code, &b.route)));
    out.dedup();
    Ok(out)
}
