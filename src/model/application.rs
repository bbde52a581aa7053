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

/// One application for anonymous aggregated health data, as an operator feeds it in
/// (YAML or JSON). Unknown fields are errors, except under `extra`. Fields a complete
/// application needs (`project.description`, `project.purpose`, `sources`, the
/// applicant's name and e-mail) may be absent: the document still evaluates, to
/// `status: incomplete`.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// The case number, e.g. `HDS-2026-0142`; required and not blank. The decision
    /// carries it as `application`.
    #[serde(deserialize_with = "required_text")]
    pub id: String,
    /// When the form arrived: an RFC 3339 timestamp with a UTC offset, or a date
    /// `YYYY-MM-DD` read as an Oslo local date. A timestamp without an offset is
    /// rejected. Its Oslo date is the decision's `received_on`.
    pub submitted_at: Moment,
    /// `aggregated`, or `identifiable` (redirected to the process for personally
    /// identifiable data).
    pub data_kind: DataKind,
    /// Who applies. A complete application needs at least a name and an e-mail
    /// address; default: all fields absent.
    #[serde(default)]
    pub applicant: Applicant,
    /// What the data are for. A complete application needs a description and a
    /// purpose; default: all fields absent.
    #[serde(default)]
    pub project: Project,
    /// The data sources wanted, by catalog id. A complete application lists at least
    /// one known source; default: none.
    #[serde(default)]
    pub sources: Vec<SourceRequest>,
    /// The files sent with the application or after it; default: none.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Present (even as an empty map) when the applicant asks to link aggregated data
    /// from several sources, which gives more working days when two or more sources
    /// are listed; absent or `null`: no linking.
    #[serde(default)]
    pub linking: Option<Linking>,
    /// The language of messages for this applicant: `nb`, `nn` or `en`; absent means
    /// `nb`.
    #[serde(default)]
    pub language: Option<Language>,
    /// The case id of an earlier decision this application asks to update (updates
    /// are free of charge).
    #[serde(default)]
    pub update_of: Option<String>,
    /// Anything else, free-form and unchecked, passed to the rules as is (`app.extra`)
    /// for local rules.
    #[serde(default)]
    pub extra: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Whether the data asked for are anonymous aggregates, which this service handles,
/// or personally identifiable, which another process handles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataKind {
    /// Anonymous aggregated data (tables, counts): handled here.
    Aggregated,
    /// Personally identifiable data: the whole application is redirected.
    Identifiable,
}

/// Who applies and how to reach them.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    /// The applicant's full name; needed for a complete application.
    #[serde(default)]
    pub name: Option<String>,
    /// The organisation applied for, if any.
    #[serde(default)]
    pub organisation: Option<String>,
    /// The e-mail address to reply to; needed for a complete application, and must
    /// look like an e-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// What kind of applicant this is; optional.
    #[serde(default)]
    pub role: Option<Role>,
}

/// What kind of applicant this is; rules see it as `app.applicant.role` and may
/// treat kinds differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A researcher at a research institution.
    Researcher,
    /// A student writing a master's thesis.
    MasterStudent,
    /// A public body, e.g. a municipality or a directorate.
    PublicBody,
    /// A journalist.
    Journalist,
    /// Any other applicant.
    Other,
}

/// The project the data are wanted for.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// The project's title, if it has one; never required.
    #[serde(default)]
    pub title: Option<String>,
    /// The information needed, in the applicant's words. Absent or blank makes the
    /// application incomplete (`description` missing), not unreadable.
    #[serde(default)]
    pub description: Option<String>,
    /// The intended use: one word of the catalog's purpose vocabulary (`research`,
    /// `statistics`, …). Checked by the rules, not when reading: absent or unknown
    /// makes the application incomplete (`purpose` missing).
    #[serde(default)]
    pub purpose: Option<String>,
}

/// One requested data source.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceRequest {
    /// The data source's id in the catalog (`rules/catalog.yaml`), e.g. `msis`;
    /// required and not blank. An id the catalog does not know makes the application
    /// incomplete (`sources` missing).
    #[serde(deserialize_with = "required_text")]
    pub id: String,
    /// The variables wanted from this source, e.g. `[year, county]`. Some custodians
    /// need these, ICD-10 codes or a `variable_list` attachment.
    #[serde(default)]
    pub variables: Option<Vec<String>>,
    /// ICD-10 codes of the diagnoses wanted: a letter and two digits, optionally a dot
    /// and one or two more characters (`A40`, `A41.9`, `C50.11`). A malformed code
    /// makes the application incomplete (`icd10` missing).
    #[serde(default)]
    pub icd10: Option<Vec<String>>,
    /// The period wanted, in whole years.
    #[serde(default)]
    pub years: Option<Years>,
}

/// A period of whole years, both ends included.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Years {
    /// The first year wanted, e.g. `2015`.
    pub from: i64,
    /// The last year wanted, e.g. `2024`.
    pub to: i64,
}

/// A file sent with the application, or after it.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// What the file is: `sample_table`, `variable_list` or `other`.
    pub kind: AttachmentKind,
    /// The file name as uploaded, e.g. `tabell.xlsx`; required and not blank.
    #[serde(deserialize_with = "required_text")]
    pub file: String,
    /// When it arrived, written as `submitted_at` is. Absent: it arrived with the
    /// submission. The arrival of a kind a rule requires can start the clock later.
    #[serde(default)]
    pub received_at: Option<Moment>,
}

/// What an attachment is, since rules require some kinds and the arrival of a
/// required kind can start the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    /// A sample table (Excel or similar) with labelled rows and columns showing the
    /// aggregates wanted; aggregated data need one.
    SampleTable,
    /// A list of the variables wanted, standing in for `sources[].variables`.
    VariableList,
    /// Any other file.
    Other,
}

impl AttachmentKind {
    /// The kind as written in applications and in rule scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            AttachmentKind::SampleTable => "sample_table",
            AttachmentKind::VariableList => "variable_list",
            AttachmentKind::Other => "other",
        }
    }
}

/// A request to link aggregated data from several sources.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Linking {
    /// What is to be linked and why, in the applicant's words.
    #[serde(default)]
    pub comment: Option<String>,
}

/// The language the applicant wants messages in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// Norwegian Bokmål (the default).
    Nb,
    /// Norwegian Nynorsk.
    Nn,
    /// English.
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
    /// A timestamp, with its Oslo date worked out once.
    Instant(DateTime<FixedOffset>, NaiveDate),
}

impl Moment {
    /// Parses `2026-03-02T09:15:00+01:00`, `2026-03-02T08:15:00Z` or `2026-03-02`.
    pub fn parse(text: &str) -> Result<Moment, String> {
        let t = text.trim();
        if t.len() == 10 {
            if let Some(d) = crate::model::ymd::parse_ymd(t) {
                return Ok(Moment {
                    text: t.to_string(),
                    kind: MomentKind::Date(d),
                });
            }
        }
        match DateTime::parse_from_rfc3339(t) {
            Ok(dt) => Ok(Moment {
                text: t.to_string(),
                kind: MomentKind::Instant(dt, dt.with_timezone(&Oslo).date_naive()),
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
            MomentKind::Instant(_, oslo) => oslo,
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
