//! The case file as first read: its shape checked, each value read as the type its
//! key names, but an event's kind not yet matched to its fields (`events.rs` does
//! that, so an event's problems can name the kind and the fields it takes).
//!
//! Every value is read by the document's own reader (YAML or JSON) straight from
//! the text, never through an intermediate value: a YAML `id: 2026` reads as text as
//! it does in an application file, and every error keeps the reader's position and
//! the field path (`events[3].until`).

use crate::model::application::{Application, Moment};
use crate::model::case::{AppealOutcome, AttachmentRef, Hours};
use chrono::NaiveDate;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// The top level of a case file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCase {
    /// The case id, when given.
    #[serde(default)]
    pub case: Option<String>,
    /// The application as received.
    pub application: RawApp,
    /// The events; absent or `null` is none.
    #[serde(default)]
    pub events: Option<Vec<RawEvent>>,
}

/// An application named by path or written inline.
#[derive(Debug)]
pub(super) enum RawApp {
    /// A path, relative to the case file's folder.
    Path(String),
    /// The application document itself.
    Inline(Box<Application>),
}

/// What a case file's `application` (and an `amended` event's) may be.
const APPLICATION_EXPECTED: &str =
    "a path to an application file (relative to the case file) or the application document inline (a map)";

impl<'de> Deserialize<'de> for RawApp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawApp;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(APPLICATION_EXPECTED)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawApp, E> {
                Ok(RawApp::Path(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawApp, A::Error> {
                // The map is read by the document's reader itself, entry by entry, so
                // the application reads exactly as it does from its own file.
                Application::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|a| RawApp::Inline(Box::new(a)))
            }
        }
        d.deserialize_any(V)
    }
}

/// A date `YYYY-MM-DD`, with a message that says so when it is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Day(pub NaiveDate);

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let t = text.trim();
        match NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            Ok(day) if t.len() == 10 => Ok(Day(day)),
            _ => Err(de::Error::custom(format!(
                "'{t}' is not a date; expected a date YYYY-MM-DD"
            ))),
        }
    }
}

/// Every field an event may have, of any kind.
pub(super) const FIELDS: &[&str] = &[
    "date",
    "kind",
    "note",
    "route",
    "reply_by",
    "until",
    "expected",
    "reason",
    "outcome",
    "party",
    "hours",
    "attachment",
    "application",
];

/// One event as written: every value read as the type its key names. A key that no
/// event has is kept by name only; `keys` holds every key in the order written.
#[derive(Debug, Default)]
pub(super) struct RawEvent {
    pub keys: Vec<String>,
    pub date: Option<Moment>,
    pub kind: Option<String>,
    pub note: Option<String>,
    pub route: Option<String>,
    pub reply_by: Option<Day>,
    pub until: Option<Day>,
    pub expected: Option<Day>,
    pub reason: Option<String>,
    pub outcome: Option<AppealOutcome>,
    pub party: Option<String>,
    pub hours: Option<Hours>,
    pub attachment: Option<AttachmentRef>,
    pub application: Option<RawApp>,
}

impl<'de> Deserialize<'de> for RawEvent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawEvent;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an event: a map with date, kind and the fields of its kind")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawEvent, A::Error> {
                let mut e = RawEvent::default();
                while let Some(key) = map.next_key::<String>()? {
                    if e.keys.contains(&key) {
                        return Err(match FIELDS.iter().find(|f| **f == key) {
                            Some(name) => de::Error::duplicate_field(name),
                            None => de::Error::custom(format!("duplicate field `{key}`")),
                        });
                    }
                    match key.as_str() {
                        "date" => e.date = map.next_value()?,
                        "kind" => e.kind = map.next_value()?,
                        "note" => e.note = map.next_value()?,
                        "route" => e.route = map.next_value()?,
                        "reply_by" => e.reply_by = map.next_value()?,
                        "until" => e.until = map.next_value()?,
                        "expected" => e.expected = map.next_value()?,
                        "reason" => e.reason = map.next_value()?,
                        "outcome" => e.outcome = map.next_value()?,
                        "party" => e.party = map.next_value()?,
                        "hours" => e.hours = map.next_value()?,
                        "attachment" => e.attachment = map.next_value()?,
                        "application" => e.application = map.next_value()?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                    e.keys.push(key);
                }
                Ok(e)
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inline_application_reads_plain_numbers_as_text_like_its_own_file() {
        let raw: RawCase = crate::yaml::from_str(
            "application:\n  id: 2026\n  submitted_at: 2026-03-02\n  data_kind: aggregated\n",
        )
        .expect("reads");
        assert!(matches!(raw.application, RawApp::Inline(a) if a.id == "2026"));
    }

    #[test]
    fn an_event_keeps_every_key_and_reads_each_value_by_its_key() {
        let raw: RawCase = crate::yaml::from_str(
            "application: a.yaml\nevents:\n  - {date: 2026-03-25, kind: work_logged, party: niph, hours: 1.5, colour: red}\n",
        )
        .expect("reads");
        let e = &raw.events.expect("events")[0];
        assert_eq!(e.keys, ["date", "kind", "party", "hours", "colour"]);
        assert_eq!(e.hours, Some(Hours(150)));
        assert_eq!(e.party.as_deref(), Some("niph"));
    }

    #[test]
    fn a_bad_date_names_its_field_and_what_was_expected() {
        let e = crate::yaml::from_str::<RawCase>(
            "application: a.yaml\nevents:\n  - {date: 2026-03-25, kind: postponed, until: 2026-13-01}\n",
        )
        .expect_err("bad date");
        assert_eq!(e.path(), "events[0].until");
        assert!(e.message().contains("expected a date YYYY-MM-DD"), "{e}");
        assert_eq!(e.position().map(|p| p.line), Some(3));
    }

    #[test]
    fn a_key_given_twice_in_an_event_is_refused() {
        let e = crate::yaml::from_str::<RawCase>(
            "application: a.yaml\nevents:\n  - date: 2026-03-25\n    kind: delivered\n    date: 2026-03-26\n",
        )
        .expect_err("duplicate");
        assert_eq!(e.category(), crate::shape::Category::DuplicateField("date"));
        assert_eq!(e.position().map(|p| p.line), Some(5));
    }
}
