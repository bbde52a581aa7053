//! Why a case's dates are what they are, in words (`hds status --explain`): the
//! received and completion dates, each route's working days and where they came
//! from, the days skipped and paused, the events that moved or closed it, and the
//! setting behind each action's date.

use crate::model::explain::{Because, CaseExplanation, DayOff, RouteExplanation};
use std::fmt::Write as _;

/// `events[N]` for an event, or nothing.
fn event(at: Option<usize>) -> String {
    at.map(|i| format!(" (events[{i}])")).unwrap_or_default()
}

fn because(b: &Because) -> String {
    format!("{}: {}{}", b.date, b.why, event(b.event))
}

fn skipped(days: &[DayOff]) -> String {
    if days.is_empty() {
        return "no holidays or closure days".to_string();
    }
    let named: Vec<String> = days
        .iter()
        .map(|d| format!("{} {} ({})", d.date, d.name, d.kind))
        .collect();
    named.join("; ")
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        "day"
    } else {
        "days"
    }
}

fn route(out: &mut String, r: &RouteExplanation, as_of: chrono::NaiveDate) {
    let _ = writeln!(out, "\nRoute {} ({}):", r.custodian, r.state.as_str());
    let reason = if r.working_days_reason.is_empty() {
        String::new()
    } else {
        format!(": {}", r.working_days_reason)
    };
    let _ = writeln!(
        out,
        "  {} working days in calendar '{}'{reason}",
        r.working_days, r.calendar
    );
    let (Some(start), Some(due)) = (&r.clock_start, r.due) else {
        let _ = writeln!(out, "  no due date yet: the application is not complete");
        return;
    };
    let _ = writeln!(out, "  clock starts {}", because(start));
    let _ = writeln!(
        out,
        "  due {due}, counting {} working days after {}; skipped: {}",
        r.working_days,
        start.date,
        skipped(&r.due_skipped)
    );
    if !r.paused.is_empty() {
        let _ = writeln!(
            out,
            "  paused {} working {}:",
            r.paused.len(),
            plural(r.paused.len())
        );
        for p in &r.paused {
            let _ = writeln!(
                out,
                "    {} held by the question of {} (events[{}]), reply by {}",
                p.date, p.asked, p.question, p.reply_by
            );
        }
    }
    for m in &r.moves {
        let _ = writeln!(
            out,
            "  moved {} -> {}: {}{}",
            m.from,
            m.to,
            m.why,
            event(m.event)
        );
    }
    if let Some(now) = r.due_now {
        let when = if now >= as_of {
            format!("from {as_of} to {now}")
        } else {
            format!("from {now} to {as_of}")
        };
        let _ = writeln!(
            out,
            "  due now {now}; skipped {when}: {}",
            skipped(&r.now_skipped)
        );
    }
    if let Some(c) = &r.closed {
        let _ = writeln!(out, "  closed {}", because(c));
    }
}

/// The explanation of one case as text for people.
pub fn explain_text(e: &CaseExplanation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Case {} as of {}: {}",
        e.case,
        e.as_of,
        e.state.as_str()
    );
    let _ = writeln!(out, "  received {}", because(&e.received));
    match &e.complete {
        Some(c) => {
            let _ = writeln!(out, "  complete {}", because(c));
        }
        None => {
            let _ = writeln!(out, "  not complete as of {}", e.as_of);
        }
    }
    for r in &e.routes {
        route(&mut out, r, e.as_of);
    }
    if !e.actions.is_empty() {
        let _ = writeln!(out, "\nActions:");
        for a in &e.actions {
            let route = a
                .route
                .as_deref()
                .map(|r| format!(" {r}"))
                .unwrap_or_default();
            let overdue = if a.overdue { ", overdue" } else { "" };
            let setting = a
                .setting
                .as_ref()
                .map(|s| format!(" [{} = {}]", s.name, s.value))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}{route} due {}{overdue}{setting}: {}",
                a.code.as_str(),
                a.due,
                a.message
            );
        }
    }
    let _ = writeln!(out, "\nSettings:");
    for s in &e.settings {
        let _ = writeln!(out, "  {} = {}", s.name, s.value);
    }
    out
}
