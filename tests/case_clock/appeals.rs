//! Refusals, dismissals, the appeal window, and appeals upheld or reversed. The
//! two-route application is complete on Monday 2 March 2026; both routes are due
//! 16 April (30 working days).

use super::*;

const REPLIED: &str = "{date: 2026-03-10, kind: preliminary_reply_sent}";
const REFUSED: &str = "{date: 2026-03-20, kind: refused, route: cancer-registry, reason: r}";

fn two_routes(events: &[&str]) -> LoadedCase {
    case_of("two-routes.yaml", events)
}

fn by_route<'s>(s: &'s CaseStatus, custodian: &str) -> &'s RouteStatus {
    s.routes
        .iter()
        .find(|r| r.custodian == custodian)
        .unwrap_or_else(|| panic!("no route {custodian}: {:#?}", s.routes))
}

#[test]
fn a_refusal_closes_its_route_and_opens_a_three_week_appeal_window() {
    let s = status(&two_routes(&[REFUSED]), "2026-03-23");
    assert_eq!(s.state, CaseState::Open);
    let refused = by_route(&s, "cancer-registry");
    assert_eq!(refused.state, RouteState::Refused);
    assert_eq!(refused.closed_on, Some(d("2026-03-20")));
    assert_eq!(by_route(&s, "niph").state, RouteState::InProgress);
    // 20 March + 3 weeks = Friday 10 April; the preliminary reply is due 2 April,
    // Maundy Thursday, so 7 April after Easter.
    assert_eq!(
        actions(&s),
        [
            (ActionCode::PreliminaryReply, None, d("2026-04-07"), false),
            (
                ActionCode::AppealWindow,
                Some("cancer-registry"),
                d("2026-04-10"),
                false
            ),
        ]
    );
    // The window is listed up to its last day only.
    let window = |as_of: &str| {
        status(&two_routes(&[REPLIED, REFUSED]), as_of)
            .actions
            .iter()
            .any(|a| a.code == ActionCode::AppealWindow)
    };
    assert!(window("2026-04-10"));
    assert!(!window("2026-04-13"));
}

#[test]
fn a_pending_appeal_keeps_the_route_closed_as_appealed_from_the_refusal_date() {
    let case = two_routes(&[
        REPLIED,
        REFUSED,
        "{date: 2026-04-08, kind: appeal_received, route: cancer-registry}",
    ]);
    let s = status(&case, "2026-04-09");
    let appealed = by_route(&s, "cancer-registry");
    assert_eq!(appealed.state, RouteState::Appealed);
    assert_eq!(appealed.closed_on, Some(d("2026-03-20")));
    // Only NIPH's delivery is due (10, 13-16 April left).
    assert_eq!(
        actions(&s),
        [(
            ActionCode::DeliverOrPostpone,
            Some("niph"),
            d("2026-04-16"),
            false
        )]
    );
    assert!(s.findings.is_empty(), "{:?}", s.findings);
}

#[test]
fn a_reversed_appeal_reopens_the_route_with_its_days_counted_from_the_decision() {
    let case = two_routes(&[
        REPLIED,
        REFUSED,
        "{date: 2026-04-08, kind: appeal_received, route: cancer-registry}",
        "{date: 2026-05-11, kind: appeal_decided, route: cancer-registry, outcome: reversed}",
    ]);
    let s = status(&case, "2026-05-12");
    let reopened = by_route(&s, "cancer-registry");
    assert_eq!(reopened.state, RouteState::InProgress);
    assert_eq!(reopened.closed_on, None);
    // 30 working days after 11 May: 12-13 (2), 15 (3), 18-22 (8), 26-29 (12),
    // 1-5 June (17), 8-12 (22), 15-19 (27), 22-24 (30); Ascension Day and Whit
    // Monday skipped.
    assert_eq!(reopened.due, Some(d("2026-06-24")));
    assert_eq!(reopened.due_now, Some(d("2026-06-24")));
    assert_eq!(reopened.working_days_left, Some(29));
    // NIPH was due 16 April: 17, 20-24, 27-30 April, 4-8, 11, 12 May (Labour Day
    // skipped) is 17 days late.
    let niph = by_route(&s, "niph");
    assert_eq!(niph.state, RouteState::Overdue);
    assert_eq!(niph.overdue_by, Some(17));
    assert_eq!(
        actions(&s),
        [(
            ActionCode::DeliverOrPostpone,
            Some("niph"),
            d("2026-04-16"),
            true
        )]
    );
}

#[test]
fn an_upheld_appeal_leaves_the_route_refused_and_the_case_closed_when_all_are() {
    let case = two_routes(&[
        REPLIED,
        REFUSED,
        "{date: 2026-04-08, kind: appeal_received, route: cancer-registry}",
        "{date: 2026-04-10, kind: delivered, route: niph}",
        "{date: 2026-05-11, kind: appeal_decided, route: cancer-registry, outcome: upheld}",
    ]);
    let s = status(&case, "2026-05-12");
    assert_eq!(s.state, CaseState::Closed);
    let refused = by_route(&s, "cancer-registry");
    assert_eq!(refused.state, RouteState::Refused);
    assert_eq!(refused.closed_on, Some(d("2026-03-20")));
    assert!(s.actions.is_empty(), "{:?}", s.actions);
}

#[test]
fn an_appeal_after_the_window_is_a_warning() {
    let case = two_routes(&[
        REPLIED,
        REFUSED,
        "{date: 2026-04-13, kind: appeal_received, route: cancer-registry}",
    ]);
    let s = status(&case, "2026-04-14");
    assert_eq!(finding_codes(&s), ["appeal-late"]);
    let f = &s.findings[0];
    assert_eq!(f.custodian.as_deref(), Some("cancer-registry"));
    assert!(f.message.contains("2026-04-10"), "{}", f.message);
}

#[test]
fn a_refusal_of_every_route_closes_the_case_with_one_window() {
    let case = two_routes(&[REPLIED, "{date: 2026-03-20, kind: refused, reason: r}"]);
    let s = status(&case, "2026-03-23");
    assert_eq!(s.state, CaseState::Closed);
    assert_eq!(
        actions(&s),
        [(ActionCode::AppealWindow, None, d("2026-04-10"), false)]
    );
}

#[test]
fn a_dismissal_closes_the_case_and_a_reversed_appeal_reopens_it() {
    let dismissed = "{date: 2026-04-08, kind: dismissed, reason: no answer}";
    let appealed = "{date: 2026-04-20, kind: appeal_received}";
    let reversed = "{date: 2026-05-04, kind: appeal_decided, outcome: reversed}";
    let s = status(&case_of("single.yaml", &[dismissed]), "2026-04-09");
    assert_eq!(s.state, CaseState::Dismissed);
    let mfr = route(&s);
    assert_eq!(mfr.state, RouteState::Dismissed);
    assert_eq!(mfr.closed_on, Some(d("2026-04-08")));
    assert_eq!((mfr.working_days_left, mfr.overdue_by), (Some(0), Some(0)));
    // 8 April + 3 weeks = Wednesday 29 April; no preliminary reply is asked of a
    // dismissed case.
    assert_eq!(
        actions(&s),
        [(ActionCode::AppealWindow, None, d("2026-04-29"), false)]
    );

    let s = status(
        &case_of("single.yaml", &[dismissed, appealed]),
        "2026-04-21",
    );
    assert_eq!(s.state, CaseState::Dismissed);
    assert!(s.actions.is_empty(), "{:?}", s.actions);

    let s = status(
        &case_of("single.yaml", &[dismissed, appealed, reversed]),
        "2026-05-05",
    );
    assert_eq!(s.state, CaseState::Open);
    let mfr = route(&s);
    assert_eq!(mfr.state, RouteState::InProgress);
    assert_eq!(mfr.closed_on, None);
    // 30 working days after 4 May: 5-8 (4), 11-13 (7), 15 (8), 18-22 (13),
    // 26-29 (17), 1-5 June (22), 8-12 (27), 15-17 (30).
    assert_eq!(mfr.due, Some(d("2026-06-17")));
    assert_eq!(mfr.working_days_left, Some(29));
    assert_eq!(
        actions(&s),
        [(ActionCode::PreliminaryReply, None, d("2026-04-07"), true)]
    );
}

#[test]
fn an_upheld_appeal_against_a_dismissal_leaves_it_dismissed() {
    let case = case_of(
        "single.yaml",
        &[
            "{date: 2026-04-08, kind: dismissed, reason: no answer}",
            "{date: 2026-04-20, kind: appeal_received}",
            "{date: 2026-05-04, kind: appeal_decided, outcome: upheld}",
        ],
    );
    let s = status(&case, "2026-05-05");
    assert_eq!(s.state, CaseState::Dismissed);
    assert_eq!(route(&s).closed_on, Some(d("2026-04-08")));
    assert!(s.actions.is_empty(), "{:?}", s.actions);
}

#[test]
fn an_appeal_with_nothing_to_appeal_is_noted_as_such_not_as_a_closed_route() {
    // No refusal or dismissal: the appeal changes nothing, and the finding says
    // why (the route is open, not closed).
    let s = status(
        &two_routes(&[
            REPLIED,
            "{date: 2026-03-20, kind: appeal_received, route: niph}",
        ]),
        "2026-03-23",
    );
    assert_eq!(by_route(&s, "niph").state, RouteState::InProgress);
    let ignored: Vec<&str> = s
        .findings
        .iter()
        .filter(|f| f.code == "event-ignored")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(ignored.len(), 1, "{:?}", s.findings);
    assert!(
        ignored[0].contains("events[1]")
            && ignored[0].contains("ikke noe avslag eller avvisning å klage på"),
        "{}",
        ignored[0]
    );
    assert!(!ignored[0].contains("allerede avsluttet"), "{}", ignored[0]);
}
