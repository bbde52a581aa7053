//! Case statuses as a table for operators (`hds status --format text`): one row per
//! case, the most urgent first, with the next action and its date and where each
//! route stands.

use crate::model::status::{CaseStatus, RouteState, RouteStatus};
use chrono::NaiveDate;
use std::fmt::Write as _;

/// The order of urgency: the earliest action first (an overdue one is earlier than
/// any other), then the earliest date a route is due, then cases with nothing due;
/// ties by case id.
fn urgency(s: &CaseStatus) -> (Option<NaiveDate>, Option<NaiveDate>, &str) {
    let next_action = s.actions.first().map(|a| a.due);
    let next_route = s
        .routes
        .iter()
        .filter(|r| !r.state.is_closed())
        .filter_map(|r| r.due_now)
        .min();
    // A case with nothing due goes after every case with a date.
    let last = |d: Option<NaiveDate>| d.or(Some(NaiveDate::MAX));
    (last(next_action), last(next_route), &s.case)
}

/// One route in a few words: `niph postponed, 3 days left`.
fn route_words(r: &RouteStatus) -> String {
    let mut s = format!("{} {}", r.custodian, r.state.as_str());
    match r.state {
        RouteState::Delivered
        | RouteState::Refused
        | RouteState::Appealed
        | RouteState::Withdrawn
        | RouteState::Dismissed => {
            if let Some(on) = r.closed_on {
                let _ = write!(s, " {on}");
            }
        }
        _ => match (r.overdue_by, r.working_days_left, r.due_now) {
            (Some(late), _, _) if late > 0 => {
                let _ = write!(s, " by {late} working {}", days(late));
            }
            (_, Some(left), Some(due)) => {
                let _ = write!(s, ", due {due}, {left} working {} left", days(left));
            }
            _ => {}
        },
    }
    s
}

fn days(n: u32) -> &'static str {
    if n == 1 {
        "day"
    } else {
        "days"
    }
}

/// The statuses as a table, the most urgent case first: case, state, the next
/// action with its route, its date (marked when overdue), and every route.
pub fn status_table(statuses: &[CaseStatus]) -> String {
    let mut sorted: Vec<&CaseStatus> = statuses.iter().collect();
    sorted.sort_by(|a, b| urgency(a).cmp(&urgency(b)));
    let header = ["CASE", "STATE", "NEXT ACTION", "DUE", "ROUTES"].map(str::to_string);
    let mut rows: Vec<[String; 5]> = vec![header];
    for s in sorted {
        let (action, due) = match s.actions.first() {
            Some(a) => (
                match &a.route {
                    Some(route) => format!("{} {route}", a.code.as_str()),
                    None => a.code.as_str().to_string(),
                },
                if a.overdue {
                    format!("{} overdue", a.due)
                } else {
                    a.due.to_string()
                },
            ),
            None => ("-".to_string(), "-".to_string()),
        };
        let routes = if s.routes.is_empty() {
            "-".to_string()
        } else {
            s.routes
                .iter()
                .map(route_words)
                .collect::<Vec<_>>()
                .join("; ")
        };
        rows.push([
            s.case.clone(),
            s.state.as_str().to_string(),
            action,
            due,
            routes,
        ]);
    }
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..4).map(width).collect();
    let mut out = String::new();
    for row in &rows {
        for (cell, w) in row.iter().zip(&widths) {
            let _ = write!(out, "{cell:<w$}  ");
        }
        out.push_str(&row[4]);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::decision::{Decision, RulesetId, Status};
    use crate::model::status::{Action, ActionCode, CaseState};

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date")
    }

    fn case(id: &str, actions: Vec<Action>, routes: Vec<RouteStatus>) -> CaseStatus {
        let ruleset = RulesetId {
            name: "r".to_string(),
            version: "1".to_string(),
            fingerprint: "sha256:0".to_string(),
        };
        CaseStatus {
            case: id.to_string(),
            as_of: d("2026-08-27"),
            ruleset: ruleset.clone(),
            state: CaseState::Open,
            received_on: d("2026-03-02"),
            complete_on: Some(d("2026-03-06")),
            routes,
            actions,
            findings: vec![],
            decision: Decision {
                application: id.to_string(),
                input: None,
                ruleset,
                status: Status::Complete,
                received_on: d("2026-03-02"),
                complete_on: Some(d("2026-03-06")),
                missing: vec![],
                findings: vec![],
                routes: vec![],
                redirects: vec![],
            },
        }
    }

    fn niph(state: RouteState, left: u32, late: u32, due_now: &str) -> RouteStatus {
        RouteStatus {
            custodian: "niph".to_string(),
            state,
            working_days: 60,
            due: Some(d("2026-06-08")),
            due_now: Some(d(due_now)),
            paused_days: Some(0),
            working_days_left: Some(left),
            overdue_by: Some(late),
            closed_on: None,
        }
    }

    fn deliver(due: &str, overdue: bool) -> Action {
        Action {
            code: ActionCode::DeliverOrPostpone,
            route: Some("niph".to_string()),
            due: d(due),
            overdue,
            message: String::new(),
        }
    }

    #[test]
    fn the_most_urgent_case_comes_first_with_its_next_action() {
        let table = status_table(&[
            case(
                "B-2",
                vec![],
                vec![niph(RouteState::InProgress, 40, 0, "2026-10-30")],
            ),
            case(
                "A-1",
                vec![deliver("2026-09-01", false)],
                vec![niph(RouteState::Postponed, 3, 0, "2026-09-01")],
            ),
            case(
                "C-3",
                vec![deliver("2026-08-20", true)],
                vec![niph(RouteState::Overdue, 0, 5, "2026-08-20")],
            ),
        ]);
        assert_eq!(
            table,
            "\
CASE  STATE  NEXT ACTION               DUE                 ROUTES
C-3   open   deliver-or-postpone niph  2026-08-20 overdue  niph overdue by 5 working days
A-1   open   deliver-or-postpone niph  2026-09-01          niph postponed, due 2026-09-01, 3 working days left
B-2   open   -                         -                   niph in_progress, due 2026-10-30, 40 working days left
"
        );
    }
}
