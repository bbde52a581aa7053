//! The application in force, version by version: as received, then after the
//! attachments that arrived on one day and after each amendment, each with its
//! decision and the dates the case keeps. The clock counts in days, so attachments
//! that arrive on the same day (with no amendment between them) are one change,
//! decided once: a case is decided once per day on which it changed, not once per
//! attachment, and a case file with thousands of attachments stays quick. An amendment that changes the request (or any, when the
//! policy says `always`) restarts the clock: the application counts as received on
//! the amendment's date. Any other keeps the dates: a complete application stays
//! complete on the day it became so, and one that was not can be complete no earlier
//! than the amendment that completed it.

use super::{Clock, Dated};
use crate::model::application::{Application, Attachment, Moment};
use crate::model::case::EventKind;
use crate::model::decision::Decision;
use crate::model::error_record::ErrorRecord;
use crate::model::message::Text;
use crate::ruleset::policy::AmendmentRestart;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// The application as in force from one event on.
#[derive(Debug, Clone)]
pub(super) struct Version {
    /// The event that brought it in, as (date, index); `None` for the application
    /// as received.
    pub from: Option<(NaiveDate, usize)>,
    /// Its decision, with the case's received and completion dates.
    pub decision: Decision,
    /// The date of the latest amendment before it that restarted the clock.
    pub restarted_on: Option<NaiveDate>,
}

/// An amendment that restarted the clock.
#[derive(Debug, Clone)]
pub(super) struct Restart {
    /// 0-based position of the `amended` event.
    pub index: usize,
    /// Its date: the application counts as received on it.
    pub day: NaiveDate,
    /// What changed: messages `amendment-change`.
    pub why: Vec<Text>,
}

/// Every version of the application, in event order.
#[derive(Debug, Clone)]
pub(super) struct Timeline {
    versions: Vec<Version>,
    /// The amendments that restarted the clock, in event order.
    pub restarts: Vec<Restart>,
}

impl Timeline {
    /// Decides the application as received and again after each event that changes
    /// it (`events` in date order).
    pub fn build(clock: &Clock<'_>, events: &[Dated<'_>]) -> Result<Timeline, ErrorRecord> {
        let case = clock.case;
        let mut app = case.application.clone();
        let mut received: Moment = app.submitted_at.clone();
        let mut floor = received.oslo_date();
        let mut kept: Option<NaiveDate> = None;
        let mut restarted_on = None;
        let mut restarts = Vec::new();
        let first = decide(clock, &mut app, &received, floor, &mut kept)?;
        let mut versions = vec![Version {
            from: None,
            decision: first,
            restarted_on,
        }];
        for (n, e) in events.iter().enumerate() {
            match &e.event.what {
                EventKind::AttachmentReceived { attachment } => {
                    app.attachments.push(Attachment {
                        kind: attachment.kind,
                        file: attachment.file.clone(),
                        received_at: Some(e.event.date.clone()),
                    });
                    // Decided with the last attachment of its day: the next change
                    // is on a later day, is an amendment, or there is none.
                    let next_change = events[n + 1..].iter().find(|later| {
                        matches!(
                            later.event.what,
                            EventKind::AttachmentReceived { .. } | EventKind::Amended { .. }
                        )
                    });
                    let same_day = next_change.is_some_and(|later| {
                        later.day == e.day
                            && matches!(later.event.what, EventKind::AttachmentReceived { .. })
                    });
                    if same_day {
                        continue;
                    }
                }
                EventKind::Amended { .. } => {
                    let Some(Some(new)) = case.amendments.get(e.index) else {
                        return Err(clock.event_error(
                            e.index,
                            Some("application"),
                            "the amended application was not read; expected `application` as a path or inline",
                        ));
                    };
                    let change = match clock.policy.amendment_restarts {
                        AmendmentRestart::Always => {
                            Some(changes(&app, new).unwrap_or_else(|| vec![change("always", [])]))
                        }
                        AmendmentRestart::RequestChange => changes(&app, new),
                    };
                    let before = versions.last().and_then(|v| v.decision.complete_on);
                    match change {
                        Some(why) => {
                            received = e.event.date.clone();
                            floor = e.day;
                            kept = None;
                            restarted_on = Some(e.day);
                            restarts.push(Restart {
                                index: e.index,
                                day: e.day,
                                why,
                            });
                        }
                        None if before.is_some() => kept = before,
                        None => floor = floor.max(e.day),
                    }
                    app = new.clone();
                }
                _ => continue,
            }
            let decision = decide(clock, &mut app, &received, floor, &mut kept)?;
            versions.push(Version {
                from: Some((e.day, e.index)),
                decision,
                restarted_on,
            });
        }
        Ok(Timeline { versions, restarts })
    }

    /// Every version, the application as received first, in date order.
    pub fn versions(&self) -> &[Version] {
        &self.versions
    }

    /// Every version brought in on or before `date`, the application as received
    /// first.
    pub fn up_to(&self, date: NaiveDate) -> impl Iterator<Item = &Version> {
        self.versions
            .iter()
            .filter(move |v| v.from.is_none_or(|(day, _)| day <= date))
    }

    /// The version in force on a date, after every event of that date.
    pub fn as_of(&self, date: NaiveDate) -> &Version {
        let found = self.up_to(date).last();
        // The first version has no `from`, so one is always found.
        found.unwrap_or(&self.versions[0])
    }
}

/// The decision of `app` as received on `received`, with the completion date the
/// case keeps: `kept` when a complete application was amended without a restart,
/// else no earlier than `floor`. A version that is not complete clears `kept`.
/// `app` is left counting as received on `received`.
fn decide(
    clock: &Clock<'_>,
    app: &mut Application,
    received: &Moment,
    floor: NaiveDate,
    kept: &mut Option<NaiveDate>,
) -> Result<Decision, ErrorRecord> {
    app.submitted_at = received.clone();
    let mut decision = crate::Evaluator::new(clock.rules)
        .evaluate(app)
        .map_err(|e| ErrorRecord::undecided(&clock.case.id, clock.case.path.clone(), e))?;
    let Some(computed) = decision.complete_on else {
        *kept = None;
        return Ok(decision);
    };
    let complete_on = kept.unwrap_or(computed.max(floor));
    if complete_on != computed {
        decision.complete_on = Some(complete_on);
        for route in &mut decision.routes {
            let cal = clock.calendar(&route.calendar)?;
            route.clock_start = Some(complete_on);
            route.due = Some(clock.dated(cal.add_working_days(complete_on, route.working_days))?);
        }
    }
    Ok(decision)
}

/// One change an amendment makes: message `amendment-change` with `what`.
fn change<const N: usize>(what: &str, args: [(&str, String); N]) -> Text {
    let mut text = Text::message("amendment-change", args);
    text.args.insert("what".to_string(), what.into());
    text
}

/// What an amendment changes of the request (messages `amendment-change`), or
/// `None` when it asks for the same: the same source ids, purpose, data kind and
/// linking.
pub(super) fn changes(old: &Application, new: &Application) -> Option<Vec<Text>> {
    let ids = |a: &Application| -> BTreeSet<String> {
        a.sources.iter().map(|s| s.id.trim().to_string()).collect()
    };
    let (before, after) = (ids(old), ids(new));
    let mut said = Vec::new();
    let added: Vec<&str> = after.difference(&before).map(String::as_str).collect();
    if !added.is_empty() {
        said.push(change("adds", [("sources", added.join(", "))]));
    }
    let removed: Vec<&str> = before.difference(&after).map(String::as_str).collect();
    if !removed.is_empty() {
        said.push(change("removes", [("sources", removed.join(", "))]));
    }
    let purpose = |a: &Application| {
        a.project
            .purpose
            .as_deref()
            .map(str::trim)
            .map(str::to_string)
    };
    if purpose(old) != purpose(new) {
        said.push(change(
            "purpose",
            [
                ("from", purpose(old).unwrap_or_else(|| "–".to_string())),
                ("to", purpose(new).unwrap_or_else(|| "–".to_string())),
            ],
        ));
    }
    if old.data_kind != new.data_kind {
        said.push(change("data-kind", []));
    }
    match (old.linking.is_some(), new.linking.is_some()) {
        (false, true) => said.push(change("linking-added", [])),
        (true, false) => said.push(change("linking-removed", [])),
        _ => {}
    }
    (!said.is_empty()).then_some(said)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(extra: &str) -> Application {
        let text = format!(
            "id: A\nsubmitted_at: 2026-03-02\ndata_kind: aggregated\nproject: {{purpose: research}}\nsources: [{{id: npr}}, {{id: msis}}]\n{extra}"
        );
        crate::input::parse_yaml("a.yaml", &text)
            .result
            .expect("an application")
    }

    /// The changes in English words, joined as the finding joins them.
    fn changes(old: &Application, new: &Application) -> Option<String> {
        let rules = crate::ruleset::RuleSet::built_in().expect("built-in rules");
        let language = Some(crate::model::application::Language::En);
        super::changes(old, new).map(|texts| {
            texts
                .iter()
                .map(|t| rules.messages.text(language, t))
                .collect::<Vec<_>>()
                .join("; ")
        })
    }

    #[test]
    fn attachments_of_one_day_are_decided_once_with_the_last_of_them() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/clock");
        let text = "case: T-1\napplication: no-sample-table.yaml\nevents:\n\
            - {date: 2026-03-10, kind: attachment_received, attachment: {kind: variable_list, file: a}}\n\
            - {date: 2026-03-10, kind: question_sent}\n\
            - {date: 2026-03-10, kind: attachment_received, attachment: {kind: sample_table, file: b}}\n\
            - {date: 2026-03-12, kind: attachment_received, attachment: {kind: variable_list, file: c}}\n\
            - {date: 2026-03-10, kind: attachment_received, attachment: {kind: variable_list, file: d}}\n";
        let case =
            crate::case::file::parse_case("t.yaml", text, crate::case::file::Format::Yaml, &folder)
                .unwrap_or_else(|e| panic!("{e:?}"));
        let rules = crate::ruleset::RuleSet::built_in().expect("built-in rules");
        let as_of = NaiveDate::from_ymd_opt(2026, 3, 31).expect("a date");
        let clock = Clock::new(&case, &rules, as_of).expect("a clock");
        let events = clock.events_in_order();
        let timeline = Timeline::build(&clock, &events).expect("a timeline");
        let from: Vec<_> = timeline.versions().iter().map(|v| v.from).collect();
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).expect("a date");
        // Three attachments on 10 March (the last one written below the 12 March
        // one) are one version, brought in by the last of them in date order.
        assert_eq!(from, [None, Some((day(10), 4)), Some((day(12), 3))]);
        let complete = |v: &Version| v.decision.complete_on;
        assert_eq!(complete(&timeline.versions()[0]), None);
        assert_eq!(complete(timeline.as_of(day(10))), Some(day(10)));
        assert_eq!(complete(timeline.as_of(day(12))), Some(day(10)));
    }

    #[test]
    fn a_change_of_sources_purpose_data_kind_or_linking_changes_the_request() {
        let old = app("linking: {}\n");
        assert_eq!(changes(&old, &old), None);
        let mut new = old.clone();
        new.sources.retain(|s| s.id == "npr");
        assert_eq!(changes(&old, &new).as_deref(), Some("removes msis"));
        let mut new = old.clone();
        new.project.purpose = Some("statistics".to_string());
        new.linking = None;
        assert_eq!(
            changes(&old, &new).as_deref(),
            Some("changes the purpose from research to statistics; no longer asks for linking")
        );
        let mut new = old.clone();
        new.data_kind = crate::model::application::DataKind::Identifiable;
        assert_eq!(
            changes(&old, &new).as_deref(),
            Some("changes the data kind")
        );
        let mut new = old.clone();
        new.project.title = Some("A new title".to_string());
        new.sources.reverse();
        assert_eq!(changes(&old, &new), None);
    }
}
