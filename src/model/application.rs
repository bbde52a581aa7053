//! The application document (contract section 1), as typed structs.
//!
//! Parsing is strict: unknown fields are errors, except under `extra`. Fields the
//! contract marks "required for a complete application" are optional here, so a
//! document without them still evaluates, to `status: incomplete`.

use chrono::{DateTime, FixedOffset, NaiveDate};
use chrono_tz::Europe::Oslo;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A required string that is not blank; YAML's `~` and `null` count as absent.
fn required_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Option::<String>::deserialize(d)? {
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => Err(serde::de::Error::custom("expected a non-empty string")),
    }
}

/// One application for aggregated data.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Application {
    #[serde(deserialize_with = "required_text")]
    pub id: String,
    pub submitted_at: Moment,
    pub data_kind: DataKind,
    #[serde(default)]
    pub applicant: Applicant,
    #[serde(default)]
    pub project: Project,
    #[serde(default)]
    pub sources: Vec<SourceRequest>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    #[serde(default)]
    pub linking: Option<Linking>,
    #[serde(default)]
    pub language: Option<Language>,
    #[serde(default)]
    pub extra: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataKind {
    Aggregated,
    Identifiable,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub organisation: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub role: Option<Role>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Researcher,
    MasterStudent,
    PublicBody,
    Journalist,
    Other,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Project {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Checked against the catalog's purpose vocabulary by the rules, not here.
    #[serde(default)]
    pub purpose: Option<String>,
}

/// One requested data source.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceRequest {
    #[serde(deserialize_with = "required_text")]
    pub id: String,
    #[serde(default)]
    pub variables: Option<Vec<String>>,
    #[serde(default)]
    pub icd10: Option<Vec<String>>,
    #[serde(default)]
    pub years: Option<Years>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Years {
    pub from: i64,
    pub to: i64,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    pub kind: AttachmentKind,
    #[serde(deserialize_with = "required_text")]
    pub file: String,
    /// Absent: arrived with the submission.
    #[serde(default)]
    pub received_at: Option<Moment>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    SampleTable,
    VariableList,
    Other,
}

impl AttachmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AttachmentKind::SampleTable => "sample_table",
            AttachmentKind::VariableList => "variable_list",
            AttachmentKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Linking {
    #[serde(default)]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    Nb,
    Nn,
    En,
}

/// A point in time as the contract allows it: an RFC 3339 timestamp with an offset,
/// or a bare date, read as an Oslo local date. Keeps the text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moment {
    text: String,
    kind: MomentKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MomentKind {
    Date(NaiveDate),
    Instant(DateTime<FixedOffset>),
}

impl Moment {
    /// Parses `2026-03-02T09:15:00+01:00`, `2026-03-02T08:15:00Z` or `2026-03-02`.
    pub fn parse(text: &str) -> Result<Moment, String> {
        let t = text.trim();
        if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            if t.len() == 10 {
                return Ok(Moment {
                    text: t.to_string(),
                    kind: MomentKind::Date(d),
                });
            }
        }
        match DateTime::parse_from_rfc3339(t) {
            Ok(dt) => Ok(Moment {
                text: t.to_string(),
                kind: MomentKind::Instant(dt),
            }),
            Err(_) => {
                let no_offset = chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
                    .or_else(|_| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f"))
                    .or_else(|_| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M"))
                    .is_ok();
                if no_offset {
                    Err(format!(
                        "invalid timestamp '{t}': it has no UTC offset, so its Oslo date is ambiguous; expected an RFC 3339 timestamp with an offset (e.g. 2026-03-02T09:15:00+01:00) or a date YYYY-MM-DD"
                    ))
                } else {
                    Err(format!(
                        "invalid timestamp '{t}': expected an RFC 3339 timestamp with an offset (e.g. 2026-03-02T09:15:00+01:00) or a date YYYY-MM-DD"
                    ))
                }
            }
        }
    }

    /// The date in Norwegian local time (Europe/Oslo, summer time included).
    pub fn oslo_date(&self) -> NaiveDate {
        match self.kind {
            MomentKind::Date(d) => d,
            MomentKind::Instant(dt) => dt.with_timezone(&Oslo).date_naive(),
        }
    }

    /// The text as written in the document.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Moment {
    /// The newtype name a moment is read under, so a reader can tell a timestamp
    /// that failed from any other value (see [`crate::shape`]).
    pub const SERDE_NAME: &'static str = "Moment";
}

impl<'de> Deserialize<'de> for Moment {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Moment;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a timestamp with an offset or a date YYYY-MM-DD")
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Moment, D::Error> {
                d.deserialize_str(self)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Moment, E> {
                Moment::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_newtype_struct(Moment::SERDE_NAME, Visitor)
    }
}

impl schemars::JsonSchema for Moment {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Moment".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An RFC 3339 timestamp with a UTC offset (2026-03-02T09:15:00+01:00) or an Oslo date (2026-03-02)",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?$"
        })
    }
}

impl Serialize for Moment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl Application {
    /// The Oslo local date the form arrived.
    pub fn received_on(&self) -> NaiveDate {
        self.submitted_at.oslo_date()
    }

    /// The Oslo local date an attachment arrived (with the submission when unset).
    pub fn attachment_received_on(&self, attachment: &Attachment) -> NaiveDate {
        attachment
            .received_at
            .as_ref()
            .map(Moment::oslo_date)
            .unwrap_or_else(|| self.received_on())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn utc_evening_in_summer_is_the_next_oslo_day() {
        let m = Moment::parse("2026-03-31T22:30:00Z").expect("parses");
        assert_eq!(m.oslo_date(), d(2026, 4, 1));
    }

    #[test]
    fn utc_evening_in_winter_crosses_midnight_one_hour_later() {
        assert_eq!(
            Moment::parse("2026-01-15T22:59:59Z").map(|m| m.oslo_date()),
            Ok(d(2026, 1, 15))
        );
        assert_eq!(
            Moment::parse("2026-01-15T23:00:00Z").map(|m| m.oslo_date()),
            Ok(d(2026, 1, 16))
        );
    }

    #[test]
    fn summer_time_starts_on_the_last_sunday_of_march() {
        // 2026-03-29 01:00Z is 03:00 CEST; the day before, 22:30Z is 23:30 CET.
        assert_eq!(
            Moment::parse("2026-03-28T22:30:00Z").map(|m| m.oslo_date()),
            Ok(d(2026, 3, 28))
        );
        assert_eq!(
            Moment::parse("2026-03-29T22:30:00Z").map(|m| m.oslo_date()),
            Ok(d(2026, 3, 30))
        );
    }

    #[test]
    fn an_offset_timestamp_keeps_its_own_wall_date_when_it_is_oslo_time() {
        assert_eq!(
            Moment::parse("2026-03-06T14:02:00+01:00").map(|m| m.oslo_date()),
            Ok(d(2026, 3, 6))
        );
    }

    #[test]
    fn bare_date_is_an_oslo_date() {
        assert_eq!(
            Moment::parse("2026-05-17").map(|m| m.oslo_date()),
            Ok(d(2026, 5, 17))
        );
    }

    #[test]
    fn timestamp_without_offset_is_rejected_as_ambiguous() {
        let err = Moment::parse("2026-03-02T09:15:00").unwrap_err();
        assert!(err.contains("no UTC offset"), "{err}");
    }

    #[test]
    fn garbage_timestamp_says_what_was_expected() {
        let err = Moment::parse("yesterday").unwrap_err();
        assert!(err.contains("expected an RFC 3339 timestamp"), "{err}");
        assert!(Moment::parse("2026-02-30").is_err());
    }
}
