//! The case file (case contract section 1): what happened to an application after
//! it was received, as operators record it. Plain serde types; reading a case file
//! from disk, with positions for every error, is `crate::case`'s work.

use crate::model::application::{Application, AttachmentKind, Moment};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A case file as written: the application as received and every event since.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    /// The case id; absent means the application's `id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// The application as received: a path relative to the case file, or the
    /// application document inline.
    pub application: ApplicationRef,
    /// What happened after receipt, in any order.
    #[serde(default)]
    pub events: Vec<Event>,
}

/// An application named by path (relative to the case file) or written inline.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum ApplicationRef {
    /// A path to an application file, relative to the case file.
    Path(String),
    /// The application document itself.
    Inline(Box<Application>),
}

/// One thing that happened: when, an optional note, and what.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Event {
    /// When: a date `YYYY-MM-DD` or an RFC 3339 timestamp with offset, read as an
    /// Oslo local date.
    pub date: Moment,
    /// Free text for people; never read by the rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What happened, with the fields of its kind.
    #[serde(flatten)]
    pub what: EventKind,
}

impl Event {
    /// The Oslo local date of the event.
    pub fn day(&self) -> NaiveDate {
        self.date.oslo_date()
    }

    /// The route the event names, if it names one.
    pub fn route(&self) -> Option<&str> {
        match &self.what {
            EventKind::QuestionSent { route, .. }
            | EventKind::ReminderSent { route, .. }
            | EventKind::AnswerReceived { route }
            | EventKind::Postponed { route, .. }
            | EventKind::Delivered { route }
            | EventKind::Refused { route, .. }
            | EventKind::AppealReceived { route }
            | EventKind::AppealDecided { route, .. } => route.as_deref(),
            _ => None,
        }
    }
}

/// The kinds of event and their fields (case contract section 1).
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum EventKind {
    /// An attachment arrived after the submission, as if the application listed it
    /// with `received_at` = the event's date; it may complete the application.
    AttachmentReceived {
        /// The attachment: its kind and file name.
        attachment: AttachmentRef,
    },
    /// A question to the applicant.
    QuestionSent {
        /// The route it concerns; absent: every route.
        #[serde(default)]
        route: Option<String>,
        /// The date the answer is due; absent: the reply window after the date.
        #[serde(default)]
        reply_by: Option<NaiveDate>,
    },
    /// A reminder of the open question.
    ReminderSent {
        /// The route it concerns; absent: every route.
        #[serde(default)]
        route: Option<String>,
        /// The new date the answer is due; absent: the reminder window after the
        /// date.
        #[serde(default)]
        reply_by: Option<NaiveDate>,
    },
    /// The applicant answered the open question.
    AnswerReceived {
        /// The route it concerns; absent: every route.
        #[serde(default)]
        route: Option<String>,
    },
    /// A preliminary reply to the applicant (forvaltningsloven § 11 a).
    PreliminaryReplySent {
        /// The date given as when a reply can be expected.
        #[serde(default)]
        expected: Option<NaiveDate>,
    },
    /// The deadline of a route (or every route) moves to `until`.
    Postponed {
        /// The route it concerns; absent: every route.
        #[serde(default)]
        route: Option<String>,
        /// The new due date.
        until: NaiveDate,
        /// Why, as the preliminary response tells the applicant; not blank.
        reason: String,
    },
    /// The custodian delivered the data.
    Delivered {
        /// The route it concerns; absent: every route.
        #[serde(default)]
        route: Option<String>,
    },
    /// Access refused, wholly or for one route.
    Refused {
        /// The route it concerns; absent: every route.
        #[serde(default)]
        route: Option<String>,
        /// Why.
        reason: String,
    },
    /// The application is dismissed (e.g. no answer after the reminder).
    Dismissed {
        /// Why.
        reason: String,
    },
    /// The applicant withdrew the application.
    Withdrawn {},
    /// An appeal against a refusal or a dismissal.
    AppealReceived {
        /// The route it concerns; absent: every route.
        #[serde(default)]
        route: Option<String>,
    },
    /// The appeal was decided.
    AppealDecided {
        /// The route it concerns; absent: every route.
        #[serde(default)]
        route: Option<String>,
        /// `upheld` keeps the refusal; `reversed` reopens.
        outcome: AppealOutcome,
    },
    /// The applicant changed the application; it replaces the earlier one.
    Amended {
        /// The application in force from this date: a path or inline.
        application: ApplicationRef,
    },
    /// Hours of case work, for invoices.
    WorkLogged {
        /// `helsedataservice` or a custodian id.
        party: String,
        /// Hours worked: above 0, at most two decimals.
        hours: Hours,
    },
}

impl EventKind {
    /// The dates besides its own that the clock counts from: a question's or
    /// reminder's `reply_by` and a postponement's `until`, by field name.
    pub fn counted_dates(&self) -> Option<(&'static str, NaiveDate)> {
        match self {
            EventKind::QuestionSent {
                reply_by: Some(d), ..
            }
            | EventKind::ReminderSent {
                reply_by: Some(d), ..
            } => Some(("reply_by", *d)),
            EventKind::Postponed { until, .. } => Some(("until", *until)),
            _ => None,
        }
    }

    /// The kind as written in a case file, e.g. `question_sent`.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::AttachmentReceived { .. } => "attachment_received",
            EventKind::QuestionSent { .. } => "question_sent",
            EventKind::ReminderSent { .. } => "reminder_sent",
            EventKind::AnswerReceived { .. } => "answer_received",
            EventKind::PreliminaryReplySent { .. } => "preliminary_reply_sent",
            EventKind::Postponed { .. } => "postponed",
            EventKind::Delivered { .. } => "delivered",
            EventKind::Refused { .. } => "refused",
            EventKind::Dismissed { .. } => "dismissed",
            EventKind::Withdrawn {} => "withdrawn",
            EventKind::AppealReceived { .. } => "appeal_received",
            EventKind::AppealDecided { .. } => "appeal_decided",
            EventKind::Amended { .. } => "amended",
            EventKind::WorkLogged { .. } => "work_logged",
        }
    }
}

/// An attachment named by an `attachment_received` event.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentRef {
    /// `sample_table`, `variable_list` or `other`.
    pub kind: AttachmentKind,
    /// The file name as uploaded.
    pub file: String,
}

/// How an appeal was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppealOutcome {
    /// The refusal or dismissal stands.
    Upheld,
    /// The refusal or dismissal is reversed: the route(s) reopen.
    Reversed,
}

/// Hours of work in hundredths of an hour, exactly (no floating point): `1.5` is
/// 150. Read from a number or a string with at most two decimals, above 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(into = "String")]
#[schemars(with = "serde_json::Value")]
pub struct Hours(pub u32);

impl Hours {
    /// Reads `6.25`, `2`, `0.5`: above 0, at most two decimals.
    pub fn parse(text: &str) -> Result<Hours, String> {
        let t = text.trim();
        let expected = || {
            format!("hours '{t}': expected a number above 0 with at most two decimals, e.g. 1.5")
        };
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if !digits(whole)
            || (!frac.is_empty() && !digits(frac))
            || frac.len() > 2
            || t.ends_with('.')
        {
            return Err(expected());
        }
        let too_many = || {
            format!(
                "hours '{t}': expected at most {} hours in one event",
                String::from(Hours(u32::MAX))
            )
        };
        let whole: u32 = whole.parse().map_err(|_| too_many())?;
        let frac: u32 = format!("{frac:0<2}").parse().map_err(|_| expected())?;
        let hundredths = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(frac))
            .ok_or_else(too_many)?;
        if hundredths == 0 {
            return Err(expected());
        }
        Ok(Hours(hundredths))
    }
}

impl From<Hours> for String {
    fn from(h: Hours) -> String {
        format!("{}.{:02}", h.0 / 100, h.0 % 100)
    }
}

impl<'de> Deserialize<'de> for Hours {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        let text = match &value {
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::String(s) => s.clone(),
            other => {
                return Err(serde::de::Error::custom(format!(
                    "hours: expected a number above 0 with at most two decimals, got {other}"
                )))
            }
        };
        Hours::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_many_hours_are_refused_for_their_size_not_their_form() {
        assert_eq!(Hours::parse("42949672.95"), Ok(Hours(u32::MAX)));
        for text in ["42949672.96", "99999999999", "99999999999999999999999.5"] {
            assert_eq!(
                Hours::parse(text),
                Err(format!(
                    "hours '{text}': expected at most 42949672.95 hours in one event"
                ))
            );
        }
    }

    #[test]
    fn hours_are_exact_hundredths() {
        assert_eq!(Hours::parse("6.25"), Ok(Hours(625)));
        assert_eq!(Hours::parse("2"), Ok(Hours(200)));
        assert_eq!(Hours::parse("0.5"), Ok(Hours(50)));
        for bad in ["0", "0.00", "-1", "1.234", "1.", ".5", "x", ""] {
            assert!(Hours::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_contract_example_reads() {
        let text = r#"
case: HDS-2026-0142
application: application.example.yaml
events:
  - {date: 2026-03-24, kind: preliminary_reply_sent, expected: 2026-06-08, note: "x"}
  - {date: 2026-03-25, kind: question_sent, route: niph}
  - {date: 2026-04-15, kind: answer_received, route: niph}
  - {date: 2026-05-29, kind: postponed, route: niph, until: 2026-09-01, reason: "key"}
  - {date: 2026-03-10, kind: work_logged, party: helsedataservice, hours: 1.5}
  - {date: 2026-08-28, kind: delivered, route: niph}
"#;
        let case: CaseFile = crate::yaml::from_str(text).expect("reads");
        assert_eq!(case.events.len(), 6);
        assert_eq!(case.events[1].route(), Some("niph"));
        assert!(matches!(
            &case.events[4].what,
            EventKind::WorkLogged { party, hours: Hours(150) } if party == "helsedataservice"
        ));
    }

    #[test]
    fn an_unknown_field_or_kind_or_a_missing_field_is_refused() {
        let read = |event: &str| {
            crate::yaml::from_str::<CaseFile>(&format!(
                "application: a.yaml\nevents:\n  - {event}\n"
            ))
        };
        assert!(read("{date: 2026-03-25, kind: question_sent, rout: niph}").is_err());
        assert!(read("{date: 2026-03-25, kind: questoin_sent}").is_err());
        assert!(read("{date: 2026-03-25, kind: postponed, reason: x}").is_err());
        assert!(read("{kind: delivered}").is_err());
        assert!(read("{date: 2026-03-25, kind: withdrawn, note: n}").is_ok());
    }
}
