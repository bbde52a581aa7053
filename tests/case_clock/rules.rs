//! Section 2, rule by rule: paused days, postponements, actions, amendments,
//! incompleteness, closing states, and the errors a bad case file gives.

use super::*;

const QUESTION_25_MARCH: &str = "{date: 2026-03-25, kind: question_sent, route: niph}";
const ANSWER_15_APRIL: &str = "{date: 2026-04-15, kind: answer_received, route: niph}";

#[test]
fn question_to_answer_counts_every_working_day_from_question_to_answer() {
    let rules = rules_with(
        |t| t.replace("paused_days: late-days", "paused_days: question-to-answer"),
        str::to_string,
    );
    let case = example_with(&[QUESTION_25_MARCH, ANSWER_15_APRIL]);
    let niph = status_under(&rules, &case, "2026-05-04").routes[0].clone();
    // 26, 27, 30, 31 March, 1 April (5), Easter skipped, 7-10 April (9),
    // 13-15 April (12).
    assert_eq!(niph.paused_days, Some(12));
    // 8 June + 12: 9-12 June (4), 15-19 (9), 22-24 (12).
    assert_eq!(niph.due_now, Some(d("2026-06-24")));
}

#[test]
fn late_days_count_only_after_the_reply_date_up_to_the_as_of_date_while_unanswered() {
    let case = example_with(&[QUESTION_25_MARCH]);
    let s = status(&case, "2026-04-14");
    let niph = route(&s);
    // reply_by 13 April; 14 April is the first late day.
    assert_eq!(niph.paused_days, Some(1));
    assert_eq!(niph.due_now, Some(d("2026-06-09")));
    assert_eq!(niph.state, RouteState::Waiting);
    // The preliminary reply (due 2 April, Maundy Thursday, so 7 April after Easter)
    // and the reminder (the first working day after 13 April).
    assert_eq!(
        actions(&s),
        [
            (ActionCode::PreliminaryReply, None, d("2026-04-07"), true),
            (
                ActionCode::SendReminder,
                Some("niph"),
                d("2026-04-14"),
                false
            ),
        ]
    );
}

#[test]
fn a_working_day_counts_once_however_many_questions_are_late_on_it() {
    let case = example_with(&[
        QUESTION_25_MARCH,
        // reply_by: 27, 30, 31 March, 1 April (4), 7-10 April (8), 13, 14 (10).
        "{date: 2026-03-26, kind: question_sent}",
        "{date: 2026-04-16, kind: answer_received}",
    ]);
    let niph = route(&status(&case, "2026-05-04")).clone();
    // 14, 15, 16 April for the first; 15, 16 for the second: 3 days.
    assert_eq!(niph.paused_days, Some(3));
    assert_eq!(niph.due_now, Some(d("2026-06-11")));
}

#[test]
fn a_reminder_replaces_the_reply_date_and_then_calls_for_dismissal_or_follow_up() {
    let case = example_with(&[
        QUESTION_25_MARCH,
        // reply_by: 15, 16, 17, 20, 21 April.
        "{date: 2026-04-14, kind: reminder_sent, route: niph}",
    ]);
    let s = status(&case, "2026-04-21");
    assert_eq!(route(&s).paused_days, Some(0));
    assert!(!actions(&s)
        .iter()
        .any(|a| a.0 == ActionCode::SendReminder || a.0 == ActionCode::DismissOrFollowUp));
    let s = status(&case, "2026-04-23");
    // 22 and 23 April are late.
    assert_eq!(route(&s).paused_days, Some(2));
    assert_eq!(
        actions(&s)
            .into_iter()
            .filter(|a| a.0 != ActionCode::PreliminaryReply)
            .collect::<Vec<_>>(),
        [(
            ActionCode::DismissOrFollowUp,
            Some("niph"),
            d("2026-04-22"),
            true
        )]
    );
}

#[test]
fn a_question_over_christmas_is_due_after_the_holidays() {
    let mut case = case_of("single.yaml", &["{date: 2026-12-14, kind: question_sent}"]);
    case.application.submitted_at =
        hds::model::application::Moment::parse("2026-11-16").expect("a date");
    // reply_by: 15-18 December (4), 21-24 (8), Christmas and the weekend skipped,
    // 28 (9), 29 (10). The reminder is due the first working day after: 30th.
    let s = status(&case, "2026-12-30");
    let reminder: Vec<_> = actions(&s)
        .into_iter()
        .filter(|a| a.0 == ActionCode::SendReminder)
        .collect();
    assert_eq!(
        reminder,
        [(ActionCode::SendReminder, None, d("2026-12-30"), false)]
    );
    // Due: 17-20 November (4), 23-27 (9), 30 (10), 1-4 December (14), 7-11 (19),
    // 14-18 (24), 21-24 (28), 28 (29), 29 (30); one late day (30th) moves it to 30th.
    let mfr = route(&s);
    assert_eq!(mfr.due, Some(d("2026-12-29")));
    assert_eq!(mfr.paused_days, Some(1));
    assert_eq!(mfr.due_now, Some(d("2026-12-30")));
}

#[test]
fn a_postponement_to_a_holiday_moves_to_the_next_working_day() {
    let case = example_with(&[
        "{date: 2026-03-24, kind: preliminary_reply_sent}",
        "{date: 2026-05-04, kind: postponed, route: niph, until: 2026-05-17, reason: x}",
        "{date: 2026-05-05, kind: postponed, until: 2026-12-25, reason: y}",
    ]);
    // 17 May 2026 is a Sunday and Constitution Day: Monday 18 May.
    assert_eq!(
        route(&status(&case, "2026-05-04")).due_now,
        Some(d("2026-05-18"))
    );
    // Christmas Day is a Friday; the weekend follows: Monday 28 December. As of
    // 21 December: 22, 23, 24 (Christmas Eve is a working day), 28: 4 days left.
    let s = status(&case, "2026-12-21");
    let niph = route(&s);
    assert_eq!(niph.state, RouteState::Postponed);
    assert_eq!(niph.due_now, Some(d("2026-12-28")));
    assert_eq!(niph.working_days_left, Some(4));
    assert_eq!(
        actions(&s),
        [(
            ActionCode::DeliverOrPostpone,
            Some("niph"),
            d("2026-12-28"),
            false
        )]
    );
}

#[test]
fn pauses_after_a_postponement_move_its_date_and_earlier_ones_do_not() {
    let case = example_with(&[
        QUESTION_25_MARCH,
        ANSWER_15_APRIL,
        "{date: 2026-05-29, kind: postponed, route: niph, until: 2026-09-01, reason: key}",
        // reply_by: 4-7 August (4), 10-14 (9), 17 (10).
        "{date: 2026-08-03, kind: question_sent, route: niph}",
        "{date: 2026-08-20, kind: answer_received, route: niph}",
    ]);
    let s = status(&case, "2026-09-01");
    let niph = route(&s);
    // 14, 15 April and 18, 19, 20 August.
    assert_eq!(niph.paused_days, Some(5));
    // 1 September + the 3 August days: 2, 3, 4 September.
    assert_eq!(niph.due_now, Some(d("2026-09-04")));
    assert_eq!(niph.working_days_left, Some(3));
}

#[test]
fn a_late_postponement_is_a_warning_and_a_late_delivery_is_noted_with_its_days() {
    let case = case_of(
        "single.yaml",
        &[
            "{date: 2026-04-20, kind: postponed, until: 2026-05-29, reason: late}",
            "{date: 2026-06-02, kind: delivered}",
        ],
    );
    let s = status(&case, "2026-04-21");
    assert_eq!(route(&s).state, RouteState::Postponed);
    assert_eq!(route(&s).due_now, Some(d("2026-05-29")));
    assert_eq!(finding_codes(&s), ["postponed-after-due"]);
    assert!(
        s.findings[0].message.contains("2026-04-16"),
        "{:?}",
        s.findings
    );
    let s = status(&case, "2026-06-05");
    assert_eq!(s.state, CaseState::Closed);
    // After 29 May: 1, 2 June.
    assert_eq!(route(&s).overdue_by, Some(2));
    assert_eq!(finding_codes(&s), ["delivered-late", "postponed-after-due"]);
    assert!(
        s.findings[0].message.contains("2 virkedager"),
        "{:?}",
        s.findings
    );
}

#[test]
fn an_open_route_past_its_date_is_overdue_with_an_overdue_action() {
    let case = case_of(
        "single.yaml",
        &["{date: 2026-03-20, kind: preliminary_reply_sent}"],
    );
    let s = status(&case, "2026-04-22");
    let mfr = route(&s);
    assert_eq!(mfr.state, RouteState::Overdue);
    // After 16 April: 17, 20, 21, 22.
    assert_eq!(mfr.overdue_by, Some(4));
    assert_eq!(mfr.working_days_left, Some(0));
    assert_eq!(
        actions(&s),
        [(
            ActionCode::DeliverOrPostpone,
            Some("niph"),
            d("2026-04-16"),
            true
        )]
    );
    // Five working days before: 9 April leaves 10, 13, 14, 15, 16.
    let s = status(&case, "2026-04-09");
    assert_eq!(route(&s).working_days_left, Some(5));
    assert_eq!(actions(&s).len(), 1);
    assert!(status(&case, "2026-04-08").actions.is_empty());
}

#[test]
fn an_incomplete_application_has_no_dates_until_an_attachment_completes_it() {
    let case = case_of(
        "no-sample-table.yaml",
        &["{date: 2026-03-10, kind: attachment_received, attachment: {kind: sample_table, file: t.xlsx}}"],
    );
    let s = status(&case, "2026-03-09");
    assert_eq!(s.state, CaseState::Incomplete);
    assert_eq!(s.complete_on, None);
    let mfr = route(&s);
    assert_eq!(mfr.state, RouteState::AwaitingCompletion);
    assert_eq!((mfr.due, mfr.due_now, mfr.paused_days), (None, None, None));
    assert_eq!((mfr.working_days_left, mfr.overdue_by), (None, None));
    // Received 2 March: a month is 2 April, Maundy Thursday; Easter: 7 April.
    assert_eq!(
        actions(&s),
        [(ActionCode::PreliminaryReply, None, d("2026-04-07"), false)]
    );
    let s = status(&case, "2026-03-10");
    assert_eq!(s.state, CaseState::Open);
    assert_eq!(s.complete_on, Some(d("2026-03-10")));
    // 11-13 March (3), 16-20 (8), 23-27 (13), 30-31 (15), 1 April (16), 7-10 (20),
    // 13-17 (25), 20-24 (30).
    assert_eq!(route(&s).due, Some(d("2026-04-24")));
}

#[test]
fn an_amendment_that_changes_the_request_restarts_the_clock() {
    let case = example_with(&[
        "{date: 2026-03-24, kind: preliminary_reply_sent}",
        QUESTION_25_MARCH,
        ANSWER_15_APRIL,
        "{date: 2026-04-16, kind: postponed, route: niph, until: 2026-09-01, reason: x}",
        "{date: 2026-04-20, kind: amended, application: amended-npr-only.yaml}",
    ]);
    let s = status(&case, "2026-05-04");
    assert_eq!(s.received_on, d("2026-04-20"));
    assert_eq!(s.complete_on, Some(d("2026-04-20")));
    let niph = route(&s);
    // One source, not linked: 30 working days. 21-24 April (4), 27-30 (8), 4-8 May
    // (13), 11-13 (16), 15 (17), 18-22 (22), 26-29 (26), 1-4 June (30).
    assert_eq!(niph.working_days, 30);
    assert_eq!(niph.due, Some(d("2026-06-04")));
    // The earlier question and postponement no longer move it.
    assert_eq!(niph.paused_days, Some(0));
    assert_eq!(niph.due_now, Some(d("2026-06-04")));
    assert_eq!(niph.state, RouteState::InProgress);
    // 5-8 May (4), 11-13 (7), 15 (8), 18-22 (13), 26-29 (17), 1-4 June (21).
    assert_eq!(niph.working_days_left, Some(21));
    // The preliminary reply of 24 March no longer counts: due a month after 20 April.
    assert_eq!(
        actions(&s),
        [(ActionCode::PreliminaryReply, None, d("2026-05-20"), false)]
    );
    assert_eq!(finding_codes(&s), ["amendment-restarts-clock"]);
    assert!(
        s.findings[0].message.contains("fjerner msis"),
        "{:?}",
        s.findings
    );
    assert_eq!(s.decision.received_on, d("2026-04-20"));
}

#[test]
fn an_amendment_that_keeps_the_request_keeps_the_dates_unless_the_policy_says_always() {
    let events = [
        "{date: 2026-03-24, kind: preliminary_reply_sent}",
        "{date: 2026-04-20, kind: amended, application: amended-title.yaml}",
    ];
    let case = example_with(&events);
    let s = status(&case, "2026-05-04");
    assert_eq!(s.received_on, d("2026-03-02"));
    assert_eq!(s.complete_on, Some(d("2026-03-06")));
    assert_eq!(route(&s).due, Some(d("2026-06-08")));
    assert!(s.findings.is_empty(), "{:?}", s.findings);

    let always = rules_with(
        |t| {
            t.replace(
                "amendment_restarts: request-change",
                "amendment_restarts: always",
            )
        },
        str::to_string,
    );
    let s = status_under(&always, &case, "2026-05-04");
    assert_eq!(s.received_on, d("2026-04-20"));
    // 60 working days after 20 April: 21-24 April (4), 27-30 (8), 4-8 May (13),
    // 11-13 (16), 15 (17), 18-22 (22), 26-29 (26), June 1-5 (31), 8-12 (36),
    // 15-19 (41), 22-26 (46), 29-30 (48), July 1-3 (51), 6-10 (56), 13-16 (60).
    assert_eq!(route(&s).due, Some(d("2026-07-16")));
    assert_eq!(finding_codes(&s), ["amendment-restarts-clock"]);
}

#[test]
fn each_route_counts_in_its_own_calendar_and_reply_dates_in_the_national_one() {
    // NIPH closed on 31 March: its 60 days end a day later, 9 June.
    let rules = rules_with(str::to_string, |t| {
        t.replace(
            "closures: []",
            "closures:\n  - {name: Moving day, date: 2026-03-31}",
        )
    });
    let case = example_with(&[QUESTION_25_MARCH, ANSWER_15_APRIL]);
    let niph = status_under(&rules, &case, "2026-05-04").routes[0].clone();
    assert_eq!(niph.due, Some(d("2026-06-09")));
    // reply_by is still 13 April (national); 14 and 15 April are late.
    assert_eq!(niph.paused_days, Some(2));
    assert_eq!(niph.due_now, Some(d("2026-06-11")));
}

#[test]
fn withdrawal_closes_every_route_and_ends_every_action() {
    let case = case_of("two-routes.yaml", &["{date: 2026-03-20, kind: withdrawn}"]);
    let s = status(&case, "2026-04-30");
    assert_eq!(s.state, CaseState::Withdrawn);
    for r in &s.routes {
        assert_eq!(r.state, RouteState::Withdrawn);
        assert_eq!(r.closed_on, Some(d("2026-03-20")));
        assert_eq!((r.working_days_left, r.overdue_by), (Some(0), Some(0)));
    }
    assert!(s.actions.is_empty(), "{:?}", s.actions);
}

#[test]
fn a_redirected_application_has_no_routes_and_no_actions() {
    let case = case_of("../../../examples/identifiable.yaml", &[]);
    let s = status(&case, "2026-12-01");
    assert_eq!(s.state, CaseState::Redirected);
    assert!(s.routes.is_empty() && s.actions.is_empty());
}

#[test]
fn stray_events_are_noted_and_change_nothing() {
    let case = case_of(
        "single.yaml",
        &[
            "{date: 2026-03-10, kind: reminder_sent}",
            "{date: 2026-03-20, kind: delivered}",
            "{date: 2026-03-23, kind: delivered, route: niph}",
        ],
    );
    let s = status(&case, "2026-03-24");
    assert_eq!(route(&s).closed_on, Some(d("2026-03-20")));
    assert_eq!(finding_codes(&s), ["event-ignored", "event-ignored"]);
}

#[test]
fn a_postponement_after_the_route_closed_is_noted_and_moves_nothing() {
    let case = case_of(
        "single.yaml",
        &[
            "{date: 2026-03-20, kind: delivered}",
            "{date: 2026-03-23, kind: postponed, until: 2026-06-30, reason: late}",
        ],
    );
    let s = status(&case, "2026-03-24");
    assert_eq!(s.state, CaseState::Closed);
    assert_eq!(route(&s).state, RouteState::Delivered);
    assert_ne!(route(&s).due_now, Some(d("2026-06-30")));
    assert_eq!(finding_codes(&s), ["event-ignored"]);
    assert!(
        s.findings[0].message.contains("allerede avsluttet"),
        "{:?}",
        s.findings
    );
}

#[test]
fn a_date_the_calendars_do_not_cover_is_an_error_at_its_event_and_field() {
    let until =
        example_with(&["{date: 2026-03-24, kind: postponed, until: 2999-01-01, reason: late}"]);
    let message = error(&until, "2026-04-01");
    assert!(
        message.ends_with("t.yaml:4: events[0].until: 2999-01-01 is outside the years of calendar 'norway'; expected a date in 1990-2100"),
        "{message}"
    );
    // Checked whatever the as-of date, as every event is.
    let later = example_with(&[
        "{date: 2026-03-24, kind: preliminary_reply_sent}",
        "{date: 2150-03-24, kind: withdrawn}",
    ]);
    let message = error(&later, "2026-04-01");
    assert!(
        message.contains("t.yaml:5: events[1].date: 2150-03-24"),
        "{message}"
    );
}

#[test]
fn a_route_that_is_not_a_route_of_the_case_is_an_error_at_the_events_line() {
    let case = example_with(&[
        "{date: 2026-03-24, kind: preliminary_reply_sent}",
        "{date: 2026-03-25, kind: question_sent, route: cancer-registry}",
    ]);
    let message = error(&case, "2026-05-04");
    assert!(
        message.ends_with("t.yaml:5: events[1].route: 'cancer-registry' is not a route of this case; expected one of: niph"),
        "{message}"
    );
}

#[test]
fn an_answer_with_no_open_question_is_an_error_even_after_the_as_of_date() {
    let case = example_with(&[QUESTION_25_MARCH, ANSWER_15_APRIL, ANSWER_15_APRIL]);
    let message = error(&case, "2026-03-30");
    assert!(
        message.ends_with("t.yaml:6: events[2]: an answer for niph with no open question; expected a question_sent for niph or for every route, dated on or before 2026-04-15 and not yet answered"),
        "{message}"
    );
}

#[test]
fn an_answer_written_above_its_question_on_the_same_day_answers_it() {
    let case = example_with(&[
        "{date: 2026-03-25, kind: answer_received}",
        "{date: 2026-03-25, kind: question_sent}",
    ]);
    let s = status(&case, "2026-05-04");
    assert_eq!(route(&s).state, RouteState::InProgress);
    assert_eq!(route(&s).paused_days, Some(0));
}

#[test]
fn an_event_before_the_application_was_received_is_an_error() {
    let case = example_with(&["{date: 2026-03-01, kind: withdrawn}"]);
    let message = error(&case, "2026-05-04");
    assert!(
        message.ends_with("t.yaml:4: events[0].date: 2026-03-01 is before the application was received on 2026-03-02; expected a date on or after it"),
        "{message}"
    );
}

#[test]
fn a_route_added_by_an_amendment_is_a_route_from_the_amendment_on() {
    let add = "{date: 2026-04-01, kind: amended, application: two-routes.yaml}";
    let late = "{date: 2026-04-02, kind: delivered, route: cancer-registry}";
    let early = "{date: 2026-03-31, kind: delivered, route: cancer-registry}";
    let ok = case_of("single.yaml", &[add, late]);
    let s = status(&ok, "2026-04-08");
    assert_eq!(s.routes.len(), 2);
    assert_eq!(s.routes[0].state, RouteState::Delivered);
    let bad = case_of("single.yaml", &[add, early]);
    assert!(error(&bad, "2026-04-08").contains("events[1].route: 'cancer-registry' is not"));
}

#[test]
fn an_event_on_a_route_an_amendment_dropped_is_noted_and_changes_nothing() {
    let case = case_of(
        "two-routes.yaml",
        &[
            "{date: 2026-03-10, kind: amended, application: single.yaml}",
            "{date: 2026-03-12, kind: delivered, route: cancer-registry}",
        ],
    );
    let s = status(&case, "2026-03-13");
    assert_eq!(route(&s).custodian, "niph");
    assert_eq!(route(&s).state, RouteState::InProgress);
    assert_eq!(
        finding_codes(&s),
        ["amendment-restarts-clock", "event-ignored"]
    );
    assert!(
        s.findings[1]
            .message
            .contains("hører ikke lenger til søknaden"),
        "{:?}",
        s.findings
    );
}

#[test]
fn a_status_as_of_a_date_before_receipt_is_an_error_naming_the_case_file() {
    let message = error(&example_with(&[]), "2026-03-01");
    assert!(message.ends_with("t.yaml: as of 2026-03-01: the application was received on 2026-03-02, so the case has no status yet; expected an as-of date on or after it"), "{message}");
}
