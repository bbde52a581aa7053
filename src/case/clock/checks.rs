//! The checks of a case file that need the rule set or the dates (case contract
//! section 1), made on every event whatever the as-of date, so a case file is bad
//! or good as a whole: no event is dated before the application was received, no
//! date the clock counts from lies outside the rule set's calendars, an event's `route` is a route of the case on its date, a `work_logged` event's
//! `party` is `helsedataservice` or a custodian of the rule set's catalog, and an
//! `answer_received` answers an open question. The first problem, by position in
//! the file, is the error.
//!
//! The routes of the case on a date are those of the application as received and
//! of every version brought in on or before that date (a route an amendment drops
//! stays a route of the case for what happens to it later), as the case-file
//! reader's consistency check has them.

use super::questions::Questions;
use super::timeline::Timeline;
use super::{Clock, Dated};
use crate::case::events::closest;
use crate::case::invoice::HELSEDATASERVICE;
use crate::error::ErrorKind;
use crate::model::case::EventKind;
use crate::model::error_record::ErrorRecord;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeSet;

/// No event is dated before the application was received, and every date the
/// clock counts from (an event's date, a `reply_by`, an `until`) lies in the
/// years of the national calendar, in which reply dates and reminders are
/// counted (a route's own calendar is checked as its dates are counted); the
/// first such problem by position in the file is the error.
pub(super) fn dates(clock: &Clock<'_>, all: &[Dated<'_>]) -> Result<(), ErrorRecord> {
    let received = clock.case.application.received_on();
    let (first, last) = clock.national.years();
    let outside = |day: NaiveDate| day.year() < first || day.year() > last;
    let mut by_index: Vec<&Dated<'_>> = all.iter().collect();
    by_index.sort_by_key(|e| e.index);
    for e in by_index {
        if e.day < received {
            return Err(clock.event_error(
                e.index,
                Some("date"),
                format!(
                    "{} is before the application was received on {received}; expected a date on or after it",
                    e.day
                ),
            ));
        }
        let counted = std::iter::once(("date", e.day)).chain(e.event.what.counted_dates());
        if let Some((field, day)) = counted.into_iter().find(|(_, d)| outside(*d)) {
            return Err(clock.event_error_of(
                ErrorKind::DateOutOfRange,
                e.index,
                Some(field),
                format!(
                    "{day} is outside the years of calendar '{}'; expected a date in {first}-{last}",
                    clock.national.name()
                ),
            ));
        }
    }
    Ok(())
}

/// Every `route` names a route of the case on the event's date, every `party`
/// that logged work is one the rule set knows, and every answer answers an open
/// question.
pub(super) fn routes_parties_and_answers(
    clock: &Clock<'_>,
    all: &[Dated<'_>],
    timeline: &Timeline,
) -> Result<(), ErrorRecord> {
    let mut problems: Vec<(usize, ErrorRecord)> = Vec::new();
    // The routes of every version up to the event's date, gathered as the dates
    // go on (`all` is in date order, and so are the versions).
    let mut versions = timeline.versions().iter().peekable();
    let mut known: BTreeSet<&str> = BTreeSet::new();
    for e in all {
        let Some(route) = e.event.route() else {
            continue;
        };
        while let Some(v) = versions.next_if(|v| v.from.is_none_or(|(day, _)| day <= e.day)) {
            known.extend(v.decision.routes.iter().map(|r| r.custodian.as_str()));
        }
        if known.contains(route) {
            continue;
        }
        let expected = if known.is_empty() {
            "the case has no routes on that date, so expected no `route`".to_string()
        } else {
            format!(
                "expected one of: {}",
                known.iter().copied().collect::<Vec<_>>().join(", ")
            )
        };
        problems.push((
            e.index,
            clock.event_error(
                e.index,
                Some("route"),
                format!("'{route}' is not a route of this case; {expected}"),
            ),
        ));
    }
    // Work is logged by Helsedataservice or by a custodian, by its catalog id: the
    // party its invoice is for and whose fees price it.
    let parties: Vec<&str> = std::iter::once(HELSEDATASERVICE)
        .chain(clock.rules.catalog().custodian_ids())
        .collect();
    for e in all {
        let EventKind::WorkLogged { party, .. } = &e.event.what else {
            continue;
        };
        if parties.contains(&party.as_str()) {
            continue;
        }
        let hint = closest(party, parties.iter().copied())
            .map(|p| format!(" (did you mean '{p}'?)"))
            .unwrap_or_default();
        problems.push((
            e.index,
            clock.event_error(
                e.index,
                Some("party"),
                format!(
                    "'{party}' is not a party of this rule set{hint}; expected one of: {}",
                    parties.join(", ")
                ),
            ),
        ));
    }
    for (index, route, day) in Questions::track(clock, all)?.stray_answers {
        let what = match route {
            Some(r) => format!(
                "an answer for {r} with no open question; expected a question_sent for {r} or for every route, dated on or before {day} and not yet answered"
            ),
            None => format!(
                "an answer with no open question; expected a question_sent dated on or before {day} and not yet answered"
            ),
        };
        problems.push((index, clock.event_error(index, None, what)));
    }
    match problems.into_iter().min_by_key(|(index, _)| *index) {
        Some((_, first)) => Err(first),
        None => Ok(()),
    }
}
