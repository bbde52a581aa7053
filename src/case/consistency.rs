//! The checks of a case file that need the rule set (case contract section 1): an
//! event's `route` must be a route of the case, and an `answer_received` needs an
//! open question.
//!
//! - The routes of the case at an event are the custodians the decision routes to,
//!   for the application as received and for every amendment dated on or before
//!   the event (a route an amendment drops stays a route of the case for what
//!   happens to it later).
//! - An open question for an `answer_received` dated D for route R: a
//!   `question_sent` for R, or for every route, dated on or before D and not yet
//!   answered. An answer for every route (no `route`) answers any open question.
//!   Events are taken in date order (a question before an answer of the same day,
//!   otherwise in file order); an answer closes every question it answers.

use super::file::event_error;
use super::LoadedCase;
use crate::engine::Evaluator;
use crate::error::ErrorKind;
use crate::model::application::Application;
use crate::model::case::EventKind;
use crate::model::error_record::ErrorRecord;
use crate::ruleset::RuleSet;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// The routes of one application in force from a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutesFrom {
    /// The date the application came into force (received or amended).
    pub from: NaiveDate,
    /// The custodians its decision routes to.
    pub routes: BTreeSet<String>,
}

/// Checks the routes and answers of `case` against the decisions the rule set
/// gives its application and amendments. The first problem, by event, is the error
/// record; an application the rule set cannot decide is one too.
pub fn check_events(case: &LoadedCase, rules: &RuleSet) -> Result<(), ErrorRecord> {
    let evaluator = Evaluator::new(rules);
    let routes = |app: &Application, input: String| {
        evaluator
            .evaluate(app)
            .map(|d| d.routes.into_iter().map(|r| r.custodian).collect())
            .map_err(|e| ErrorRecord::undecided(&app.id, input, e))
    };
    let mut in_force = vec![RoutesFrom {
        from: case.application.received_on(),
        routes: routes(&case.application, case.path.clone())?,
    }];
    for (i, amendment) in case.amendments.iter().enumerate() {
        if let (Some(app), Some(event)) = (amendment, case.file.events.get(i)) {
            let input = match case.event_lines.get(i).copied().flatten() {
                Some(line) => format!("{}:{line}", case.path),
                None => case.path.clone(),
            };
            in_force.push(RoutesFrom {
                from: event.day(),
                routes: routes(app, input)?,
            });
        }
    }
    match problems(case, &in_force).into_iter().next() {
        Some(first) => Err(first),
        None => Ok(()),
    }
}

/// Every problem with the routes and answers of `case`, by event, given the routes
/// of each application in force.
pub fn problems(case: &LoadedCase, in_force: &[RoutesFrom]) -> Vec<ErrorRecord> {
    let events = &case.file.events;
    let mut found: Vec<(usize, ErrorRecord)> = Vec::new();
    for (i, event) in events.iter().enumerate() {
        let Some(route) = event.route() else {
            continue;
        };
        let day = event.day();
        let known: BTreeSet<&str> = in_force
            .iter()
            .filter(|r| r.from <= day)
            .flat_map(|r| r.routes.iter().map(String::as_str))
            .collect();
        if !known.contains(route) {
            let expected = if known.is_empty() {
                "the case has no routes on that date, so expected no `route`".to_string()
            } else {
                format!(
                    "expected one of: {}",
                    known.into_iter().collect::<Vec<_>>().join(", ")
                )
            };
            let what = format!("'{route}' is not a route of this case; {expected}");
            found.push((
                i,
                event_error(case, i, Some("route"), ErrorKind::InvalidValue, &what),
            ));
        }
    }
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by_key(|&i| {
        let question = matches!(events[i].what, EventKind::QuestionSent { .. });
        (events[i].day(), !question, i)
    });
    let mut open: Vec<(usize, Option<&str>)> = Vec::new();
    for i in order {
        match &events[i].what {
            EventKind::QuestionSent { route, .. } => open.push((i, route.as_deref())),
            EventKind::AnswerReceived { route } => {
                let answers =
                    |q: &Option<&str>| route.is_none() || q.is_none() || *q == route.as_deref();
                if open.iter().any(|(_, q)| answers(q)) {
                    open.retain(|(_, q)| !answers(q));
                    continue;
                }
                let day = events[i].day();
                let what = match route {
                    Some(r) => format!(
                        "an answer for {r} with no open question; expected a question_sent for {r} or for every route, dated on or before {day} and not yet answered"
                    ),
                    None => format!(
                        "an answer with no open question; expected a question_sent dated on or before {day} and not yet answered"
                    ),
                };
                found.push((
                    i,
                    event_error(case, i, None, ErrorKind::InvalidValue, &what),
                ));
            }
            _ => {}
        }
    }
    found.sort_by_key(|(i, _)| *i);
    found.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::file::{parse_case, Format};
    use std::path::Path;

    fn case(events: &str) -> LoadedCase {
        let text = format!(
            "application:\n  id: A\n  submitted_at: 2026-03-02\n  data_kind: aggregated\nevents:\n{events}"
        );
        parse_case("c.yaml", &text, Format::Yaml, Path::new(".")).expect("reads")
    }

    fn niph() -> Vec<RoutesFrom> {
        vec![RoutesFrom {
            from: NaiveDate::from_ymd_opt(2026, 3, 2).expect("date"),
            routes: BTreeSet::from(["niph".to_string()]),
        }]
    }

    fn messages(events: &str) -> Vec<String> {
        problems(&case(events), &niph())
            .into_iter()
            .map(|r| format!("{} {}", r.input, r.error.message))
            .collect()
    }

    #[test]
    fn a_route_that_is_not_a_route_of_the_case_is_named_with_the_routes() {
        assert_eq!(
            messages("  - {date: 2026-03-05, kind: delivered, route: nihp}\n"),
            ["c.yaml:6 c.yaml:6: events[0].route: 'nihp' is not a route of this case; expected one of: niph"]
        );
        assert!(messages("  - {date: 2026-03-05, kind: delivered, route: niph}\n").is_empty());
    }

    #[test]
    fn a_route_an_amendment_adds_counts_from_the_amendments_date() {
        let c = case(
            "  - {date: 2026-03-05, kind: delivered, route: crn}\n  - {date: 2026-03-09, kind: delivered, route: crn}\n",
        );
        let mut routes = niph();
        routes.push(RoutesFrom {
            from: NaiveDate::from_ymd_opt(2026, 3, 6).expect("date"),
            routes: BTreeSet::from(["crn".to_string()]),
        });
        let found = problems(&c, &routes);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].error.message.contains("events[0].route"),
            "{:?}",
            found[0]
        );
    }

    #[test]
    fn an_answer_needs_an_open_question_dated_on_or_before_it() {
        assert!(messages(
            "  - {date: 2026-03-10, kind: answer_received, route: niph}\n  - {date: 2026-03-10, kind: question_sent, route: niph}\n"
        )
        .is_empty());
        assert!(messages(
            "  - {date: 2026-03-05, kind: question_sent}\n  - {date: 2026-03-10, kind: answer_received, route: niph}\n"
        )
        .is_empty());
        assert_eq!(
            messages(
                "  - {date: 2026-03-05, kind: question_sent, route: niph}\n  - {date: 2026-03-06, kind: answer_received}\n  - {date: 2026-03-07, kind: answer_received, route: niph}\n"
            ),
            ["c.yaml:8 c.yaml:8: events[2]: an answer for niph with no open question; expected a question_sent for niph or for every route, dated on or before 2026-03-07 and not yet answered"]
        );
        assert_eq!(
            messages(
                "  - {date: 2026-03-09, kind: answer_received}\n  - {date: 2026-03-10, kind: question_sent}\n"
            )
            .len(),
            1
        );
    }
}
