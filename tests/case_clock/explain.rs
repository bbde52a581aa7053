//! `hds status --explain` on the contract example: why each date is what it is.

use super::*;
use hds::cli::status::{print_statuses, StatusOptions};
use hds::cli::{Exit, OutputFormat};

fn explained(as_of: &str) -> hds::model::explain::CaseExplanation {
    hds::case::explain(&contract_example(), rules(), d(as_of)).expect("an explanation")
}

#[test]
fn the_two_late_days_are_held_by_the_question_and_move_the_due_date() {
    let e = explained("2026-05-04");
    assert_eq!(e.received.date, d("2026-03-02"));
    assert_eq!(e.complete.as_ref().map(|c| c.date), Some(d("2026-03-06")));
    let niph = &e.routes[0];
    assert_eq!(niph.custodian, "niph");
    assert_eq!(niph.working_days, 60);
    assert_eq!(niph.due, Some(d("2026-06-08")));
    let paused: Vec<_> = niph.paused.iter().map(|p| (p.date, p.question)).collect();
    // The question is events[1]; 14 and 15 April are the days after its reply_by.
    assert_eq!(paused, [(d("2026-04-14"), 1), (d("2026-04-15"), 1)]);
    assert!(niph.paused.iter().all(|p| p.reply_by == d("2026-04-13")));
    assert_eq!(niph.moves.len(), 1);
    assert_eq!(
        (niph.moves[0].from, niph.moves[0].to, niph.moves[0].event),
        (d("2026-06-08"), d("2026-06-10"), None)
    );
    assert_eq!(niph.due_now, Some(d("2026-06-10")));
    // Easter, 1 May, 17 May, Ascension Day and Whit Monday lie between.
    let skipped: Vec<_> = niph.due_skipped.iter().map(|s| s.date).collect();
    for day in [
        "2026-04-02",
        "2026-04-06",
        "2026-05-01",
        "2026-05-14",
        "2026-05-25",
    ] {
        assert!(skipped.contains(&d(day)), "{day} in {skipped:?}");
    }
    let ascension: Vec<_> = niph.now_skipped.iter().map(|s| s.date).collect();
    assert!(ascension.contains(&d("2026-05-14")));
}

#[test]
fn the_postponement_moves_the_date_and_the_action_names_its_setting() {
    let e = explained("2026-08-27");
    let niph = &e.routes[0];
    let last = niph.moves.last().expect("a move");
    // The postponement is events[3], dated after the pause: the pause does not move it.
    assert_eq!((last.event, last.to), (Some(3), d("2026-09-01")));
    assert_eq!(niph.due_now, Some(d("2026-09-01")));
    let action = &e.actions[0];
    let setting = action.setting.as_ref().expect("a setting");
    assert_eq!(setting.name, "case.deliver_or_postpone_working_days");
    assert_eq!(setting.value, "5");
    assert!(e
        .settings
        .iter()
        .any(|s| s.name == "case.reply_working_days" && s.value == "10"));
}

#[test]
fn the_delivery_closes_the_route_and_names_its_event() {
    let e = explained("2026-09-15");
    let closed = e.routes[0].closed.as_ref().expect("closed");
    assert_eq!((closed.date, closed.event), (d("2026-08-28"), Some(6)));
}

fn run(format: OutputFormat) -> (Exit, String) {
    let options = StatusOptions {
        as_of: d("2026-05-04"),
        format,
        overdue: false,
        due_within: None,
        explain: true,
    };
    let mut out = Vec::new();
    let exit = print_statuses(rules(), vec![Ok(contract_example())], &options, &mut out);
    (exit, String::from_utf8(out).expect("UTF-8"))
}

#[test]
fn the_text_names_the_question_the_holidays_and_the_settings() {
    let (exit, text) = run(OutputFormat::Text);
    assert_eq!(exit, Exit::Ok);
    assert!(
        text.contains("Case HDS-2026-0142 as of 2026-05-04: open"),
        "{text}"
    );
    assert!(
        text.contains("2026-04-14 held by the question of 2026-03-25 (events[1])"),
        "{text}"
    );
    assert!(
        text.contains("moved 2026-06-08 -> 2026-06-10: questions held the clock 2 working days"),
        "{text}"
    );
    assert!(text.contains("(holiday)"), "{text}");
    assert!(text.contains("case.paused_days = "), "{text}");
}

#[test]
fn json_gives_one_object_per_case() {
    let (exit, out) = run(OutputFormat::Json);
    assert_eq!(exit, Exit::Ok);
    let lines = common::json_lines(&out);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["routes"][0]["paused"][0]["question"], 1);
    assert_eq!(lines[0]["routes"][0]["due_now"], "2026-06-10");
}
