//! One case document's text turned into a [`LoadedCase`]: the shape read first,
//! then each event typed, the application and every amendment resolved, and every
//! problem placed at its line with the field (`events[3].until`) and what was
//! expected.

use super::error::{at_line, error, CaseError};
use super::events::{self};
use super::file::{Format, MAX_CASE_BYTES};
use super::place::Place;
use super::read::read_raw;
use super::LoadedCase;
use crate::error::ErrorKind;
use crate::input::MAX_NESTING;
use crate::model::application::Moment;
use crate::model::case::{CaseFile, EventKind};
use crate::model::error_record::{ErrorBody, ErrorRecord};
use crate::yaml::Index;
use crate::yaml::{json_nested_deeper_than, nested_deeper_than};
use std::path::Path;

/// Reads the text of a case file named `name` (for messages), whose application
/// paths are relative to `folder`.
pub fn parse_case(
    name: &str,
    text: &str,
    format: Format,
    folder: &Path,
) -> Result<LoadedCase, CaseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if crate::yaml::is_blank(text) {
        return Err(error(
            None,
            name.to_string(),
            ErrorKind::Syntax,
            format!("{name}: empty document; expected a case file with application and events"),
        ));
    }
    if text.len() > MAX_CASE_BYTES {
        return Err(error(
            None,
            name.to_string(),
            ErrorKind::TooLarge,
            format!(
                "{name}: the case file holds {} bytes; expected at most {MAX_CASE_BYTES}",
                text.len()
            ),
        ));
    }
    let too_deep = match format {
        Format::Yaml => nested_deeper_than(text, MAX_NESTING),
        Format::Json => json_nested_deeper_than(text, MAX_NESTING),
    };
    if let Some((line, column)) = too_deep {
        return Err(error(
            None,
            name.to_string(),
            ErrorKind::TooLarge,
            format!("{name}:{line}:{column}: brackets nested more than {MAX_NESTING} deep; expected a case file"),
        ));
    }
    let index = Index::of(text);
    let mut place = Place {
        name,
        index: &index,
        case: None,
    };
    let raw = read_raw(&place, text, format)?;
    if let Some(c) = &raw.case {
        if c.trim().is_empty() {
            return Err(place.error(
                "case",
                ErrorKind::InvalidValue,
                "`case` is blank; expected a case id, or no `case` for the application's id",
            ));
        }
        place.case = Some(c.clone());
    }
    let (application_ref, application) = place.resolve(raw.application, "application", folder)?;
    if place.case.is_none() {
        place.case = Some(application.id.clone());
    }
    let received = application.received_on();
    let raw_events = raw.events.unwrap_or_default();
    let mut events = Vec::with_capacity(raw_events.len());
    let mut amendments = Vec::with_capacity(raw_events.len());
    let mut event_lines = Vec::with_capacity(raw_events.len());
    for (i, raw_event) in raw_events.into_iter().enumerate() {
        let at = format!("events[{i}]");
        let (mut event, amended) = events::build(raw_event).map_err(|p| place.problem(&at, p))?;
        let amendment = match amended {
            Some(raw_app) => {
                let field = format!("{at}.application");
                let (reference, app) = place.resolve(raw_app, &field, folder)?;
                event.what = EventKind::Amended {
                    application: reference,
                };
                Some(app)
            }
            None => None,
        };
        let day = event.day();
        if day < received {
            let written = written_date(&event.date);
            return Err(place.error(
                &format!("{at}.date"),
                ErrorKind::InvalidValue,
                &format!(
                    "the event is dated {written}, before the application was received on {received}; expected a date on or after {received}"
                ),
            ));
        }
        if let Some((field, later, what)) = date_before_event(&event.what, day) {
            return Err(place.error(
                &format!("{at}.{field}"),
                ErrorKind::InvalidValue,
                &format!(
                    "{later} is before the event's date, {day}; expected {what} on or after it"
                ),
            ));
        }
        event_lines.push(index.value(&at).map(|p| p.line));
        events.push(event);
        amendments.push(amendment);
    }
    Ok(LoadedCase {
        path: name.to_string(),
        id: place.case.unwrap_or_else(|| application.id.clone()),
        file: CaseFile {
            case: raw.case,
            application: application_ref,
            events,
        },
        application,
        amendments,
        event_lines,
    })
}

/// The error record of a problem with one event of a case that was read, found
/// after reading (for instance by the case clock): its `input` is the case file and
/// the line where the event starts, its message names `events[index]` (and the
/// field, when given) and says `what` was expected.
pub fn event_error(
    case: &LoadedCase,
    index: usize,
    field: Option<&str>,
    kind: ErrorKind,
    what: &str,
) -> ErrorRecord {
    let line = case.event_lines.get(index).copied().flatten();
    let input = at_line(&case.path, line);
    let path = match field {
        Some(f) => format!("events[{index}].{f}"),
        None => format!("events[{index}]"),
    };
    ErrorRecord {
        application: Some(case.id.clone()),
        input: input.clone(),
        error: ErrorBody {
            kind: kind.code().to_string(),
            message: format!("{input}: {path}: {what}"),
        },
    }
}

/// A date of an event that must not come before the event's own date `day`: a
/// question's or reminder's `reply_by`, a postponement's `until`. Gives the field,
/// the date and what was expected when it does.
fn date_before_event(
    what: &EventKind,
    day: chrono::NaiveDate,
) -> Option<(&'static str, chrono::NaiveDate, &'static str)> {
    let (field, later) = what.counted_dates()?;
    let expected = if field == "until" {
        "a new due date"
    } else {
        "a reply date"
    };
    (later < day).then_some((field, later, expected))
}

/// An event's date for a message: as written, with its Oslo date when it is a
/// timestamp.
fn written_date(date: &Moment) -> String {
    let day = date.oslo_date().to_string();
    if date.as_str() == day {
        day
    } else {
        format!("{} (Oslo date {day})", date.as_str())
    }
}
