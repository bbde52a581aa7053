//! The kinds of event and the fields each takes (case contract section 1), and an
//! event as written turned into a typed [`Event`], or the problem that stops it,
//! naming the field and what was expected.

use super::raw::{RawApp, RawEvent};
use crate::error::ErrorKind;
use crate::model::case::{Event, EventKind};

/// One kind of event and its fields, besides `date`, `kind` and `note`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindFields {
    /// The kind as written, e.g. `postponed`.
    pub name: &'static str,
    /// The fields it must have.
    pub required: &'static [&'static str],
    /// The fields it may have.
    pub optional: &'static [&'static str],
}

impl KindFields {
    /// Whether `field` belongs to this kind (`date`, `kind` and `note` belong to
    /// every kind).
    pub fn takes(&self, field: &str) -> bool {
        COMMON.contains(&field) || self.required.contains(&field) || self.optional.contains(&field)
    }

    /// Its fields in the order they are written: the required, then the optional.
    pub fn fields(&self) -> impl Iterator<Item = &'static str> {
        self.required.iter().chain(self.optional).copied()
    }

    /// Its fields for a message: `until, reason, route (optional), note (optional)`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self.required.iter().map(|f| f.to_string()).collect();
        parts.extend(self.optional.iter().map(|f| format!("{f} (optional)")));
        parts.push("note (optional)".to_string());
        parts.join(", ")
    }
}

/// The fields every event has.
pub const COMMON: &[&str] = &["date", "kind", "note"];

/// Every kind of event, in the contract's order.
pub const KINDS: &[KindFields] = &[
    KindFields {
        name: "attachment_received",
        required: &["attachment"],
        optional: &[],
    },
    KindFields {
        name: "question_sent",
        required: &[],
        optional: &["route", "reply_by"],
    },
    KindFields {
        name: "reminder_sent",
        required: &[],
        optional: &["route", "reply_by"],
    },
    KindFields {
        name: "answer_received",
        required: &[],
        optional: &["route"],
    },
    KindFields {
        name: "preliminary_reply_sent",
        required: &[],
        optional: &["expected"],
    },
    KindFields {
        name: "postponed",
        required: &["until", "reason"],
        optional: &["route"],
    },
    KindFields {
        name: "delivered",
        required: &[],
        optional: &["route"],
    },
    KindFields {
        name: "refused",
        required: &["reason"],
        optional: &["route"],
    },
    KindFields {
        name: "dismissed",
        required: &["reason"],
        optional: &[],
    },
    KindFields {
        name: "withdrawn",
        required: &[],
        optional: &[],
    },
    KindFields {
        name: "appeal_received",
        required: &[],
        optional: &["route"],
    },
    KindFields {
        name: "appeal_decided",
        required: &["outcome"],
        optional: &["route"],
    },
    KindFields {
        name: "amended",
        required: &["application"],
        optional: &[],
    },
    KindFields {
        name: "work_logged",
        required: &["party", "hours"],
        optional: &[],
    },
];

/// The names of every kind, in the contract's order.
pub const KIND_NAMES: &[&str] = &[
    "attachment_received",
    "question_sent",
    "reminder_sent",
    "answer_received",
    "preliminary_reply_sent",
    "postponed",
    "delivered",
    "refused",
    "dismissed",
    "withdrawn",
    "appeal_received",
    "appeal_decided",
    "amended",
    "work_logged",
];

/// The kind named `name`.
pub fn kind(name: &str) -> Option<&'static KindFields> {
    KINDS.iter().find(|k| k.name == name)
}

/// `a` or `an`, as English puts it before `name`.
pub fn article(name: &str) -> &'static str {
    if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// What a field holds, for messages.
pub fn expected_value(field: &str) -> &'static str {
    match field {
        "date" => "a date YYYY-MM-DD or an RFC 3339 timestamp with offset",
        "kind" => "the kind of event",
        "note" => "free text",
        "route" => "a custodian id, e.g. niph",
        "reply_by" | "until" | "expected" => "a date YYYY-MM-DD",
        "reason" => "the reason in words",
        "outcome" => "upheld or reversed",
        "party" => "helsedataservice or a custodian id",
        "hours" => "a number above 0 with at most two decimals",
        "attachment" => "{kind: sample_table, variable_list or other, file: the file name}",
        "application" => "a path to the amended application or the application inline",
        _ => "a field of the event's kind",
    }
}

/// Why an event cannot be read: the field it concerns (`None`: the event itself),
/// the kind of error and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field, e.g. `reason` or `attachment.file`; `None` for the event as a whole.
    pub field: Option<String>,
    /// The error kind of the record.
    pub kind: ErrorKind,
    /// What is wrong and what was expected, without a position.
    pub message: String,
}

fn problem(field: Option<&str>, kind: ErrorKind, message: String) -> Problem {
    Problem {
        field: field.map(str::to_string),
        kind,
        message,
    }
}

/// Checks an event as written against its kind and makes it typed. The
/// application of an `amended` event is handed back as written, to be resolved
/// like the case's own.
pub(super) fn build(mut raw: RawEvent) -> Result<(Event, Option<RawApp>), Problem> {
    let name = match raw.kind.take() {
        Some(name) => name,
        None => {
            return Err(problem(
                None,
                ErrorKind::MissingField,
                format!(
                    "missing field `kind`; expected one of: {}",
                    KIND_NAMES.join(", ")
                ),
            ))
        }
    };
    let Some(fields) = kind(&name) else {
        let hint = closest(&name, KIND_NAMES.iter().copied())
            .map(|k| format!(" (did you mean '{k}'?)"))
            .unwrap_or_default();
        return Err(problem(
            Some("kind"),
            ErrorKind::InvalidValue,
            format!(
                "unknown kind '{name}'{hint}; expected one of: {}",
                KIND_NAMES.join(", ")
            ),
        ));
    };
    if let Some(other) = raw.keys.iter().find(|k| !fields.takes(k)) {
        let takes = if fields.required.is_empty() && fields.optional.is_empty() {
            format!(
                "{} {name} event has no fields but date, kind and note",
                article(&name)
            )
        } else {
            format!(
                "{} {name} event takes {} besides date and kind",
                article(&name),
                fields.describe()
            )
        };
        return Err(problem(
            Some(other),
            ErrorKind::UnknownField,
            format!("unknown field `{other}`; {takes}"),
        ));
    }
    let Some(date) = raw.date.take() else {
        return Err(problem(
            None,
            ErrorKind::MissingField,
            format!("missing field `date`; expected {}", expected_value("date")),
        ));
    };
    if let Some(missing) = fields.required.iter().find(|f| !present(&raw, f)) {
        return Err(problem(
            None,
            ErrorKind::MissingField,
            format!(
                "missing field `{missing}`; {} {name} event needs `{missing}` ({})",
                article(&name),
                expected_value(missing)
            ),
        ));
    }
    for (field, value) in [
        ("route", &raw.route),
        ("party", &raw.party),
        ("reason", &raw.reason),
    ] {
        if value.as_ref().is_some_and(|v| v.trim().is_empty()) {
            return Err(problem(
                Some(field),
                ErrorKind::InvalidValue,
                format!(
                    "`{field}` is blank; {} {name} event needs {}",
                    article(&name),
                    expected_value(field)
                ),
            ));
        }
    }
    if raw
        .attachment
        .as_ref()
        .is_some_and(|a| a.file.trim().is_empty())
    {
        return Err(problem(
            Some("attachment.file"),
            ErrorKind::InvalidValue,
            "`attachment.file` is blank; expected the file name".to_string(),
        ));
    }
    let missing = |field: &str| {
        problem(
            None,
            ErrorKind::MissingField,
            format!(
                "missing field `{field}`; {} {name} event needs it",
                article(&name)
            ),
        )
    };
    let mut application = None;
    let what = match fields.name {
        "attachment_received" => EventKind::AttachmentReceived {
            attachment: raw.attachment.ok_or_else(|| missing("attachment"))?,
        },
        "question_sent" => EventKind::QuestionSent {
            route: raw.route,
            reply_by: raw.reply_by.map(|d| d.0),
        },
        "reminder_sent" => EventKind::ReminderSent {
            route: raw.route,
            reply_by: raw.reply_by.map(|d| d.0),
        },
        "answer_received" => EventKind::AnswerReceived { route: raw.route },
        "preliminary_reply_sent" => EventKind::PreliminaryReplySent {
            expected: raw.expected.map(|d| d.0),
        },
        "postponed" => EventKind::Postponed {
            route: raw.route,
            until: raw.until.ok_or_else(|| missing("until"))?.0,
            reason: raw.reason.ok_or_else(|| missing("reason"))?,
        },
        "delivered" => EventKind::Delivered { route: raw.route },
        "refused" => EventKind::Refused {
            route: raw.route,
            reason: raw.reason.ok_or_else(|| missing("reason"))?,
        },
        "dismissed" => EventKind::Dismissed {
            reason: raw.reason.ok_or_else(|| missing("reason"))?,
        },
        "withdrawn" => EventKind::Withdrawn {},
        "appeal_received" => EventKind::AppealReceived { route: raw.route },
        "appeal_decided" => EventKind::AppealDecided {
            route: raw.route,
            outcome: raw.outcome.ok_or_else(|| missing("outcome"))?,
        },
        "amended" => {
            application = Some(raw.application.ok_or_else(|| missing("application"))?);
            // Resolved by the caller; a placeholder until then.
            EventKind::Amended {
                application: crate::model::case::ApplicationRef::Path(String::new()),
            }
        }
        "work_logged" => EventKind::WorkLogged {
            party: raw.party.ok_or_else(|| missing("party"))?,
            hours: raw.hours.ok_or_else(|| missing("hours"))?,
        },
        other => {
            return Err(problem(
                Some("kind"),
                ErrorKind::Internal,
                format!("the kind '{other}' is listed but not read; please report this"),
            ))
        }
    };
    Ok((
        Event {
            date,
            note: raw.note,
            what,
        },
        application,
    ))
}

/// Whether the event as written has a value for `field` (`null` is no value).
fn present(raw: &RawEvent, field: &str) -> bool {
    match field {
        "route" => raw.route.is_some(),
        "reply_by" => raw.reply_by.is_some(),
        "until" => raw.until.is_some(),
        "expected" => raw.expected.is_some(),
        "reason" => raw.reason.is_some(),
        "outcome" => raw.outcome.is_some(),
        "party" => raw.party.is_some(),
        "hours" => raw.hours.is_some(),
        "attachment" => raw.attachment.is_some(),
        "application" => raw.application.is_some(),
        _ => false,
    }
}

/// The candidate closest to a misspelt `name` (a kind, a party), when it is close
/// enough to suggest.
pub(super) fn closest<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|k| (edit_distance(name, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(previous + 1).min(row[j] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::raw::RawCase;

    fn read(event: &str) -> Result<(Event, Option<RawApp>), Problem> {
        let raw: RawCase =
            crate::yaml::from_str(&format!("application: a.yaml\nevents:\n  - {event}\n"))
                .expect("reads as raw");
        let mut events = raw.events.expect("events");
        build(events.remove(0))
    }

    #[test]
    fn the_kinds_table_lists_every_kind_the_model_reads() {
        assert_eq!(
            KINDS.iter().map(|k| k.name).collect::<Vec<_>>(),
            KIND_NAMES.to_vec()
        );
        // serde names the kinds of the model when one is unknown.
        let err = serde_json::from_str::<EventKind>(r#"{"kind": "?"}"#).expect_err("unknown");
        let listed = err.to_string();
        for name in KIND_NAMES {
            assert!(
                listed.contains(&format!("`{name}`")),
                "{name} not in {listed}"
            );
        }
        assert_eq!(
            listed.matches('`').count(),
            2 * (KIND_NAMES.len() + 1),
            "{listed}"
        );
    }

    #[test]
    fn every_kind_reads_with_all_its_fields_and_keeps_its_name() {
        for k in KINDS {
            let mut fields = vec!["date: 2026-03-25".to_string(), format!("kind: {}", k.name)];
            for f in k.fields() {
                fields.push(match f {
                    "route" => "route: niph".to_string(),
                    "reply_by" | "until" | "expected" => format!("{f}: 2026-04-01"),
                    "reason" => "reason: because".to_string(),
                    "outcome" => "outcome: reversed".to_string(),
                    "party" => "party: niph".to_string(),
                    "hours" => "hours: 2.25".to_string(),
                    "attachment" => "attachment: {kind: sample_table, file: t.xlsx}".to_string(),
                    "application" => "application: b.yaml".to_string(),
                    other => panic!("no sample for {other}"),
                });
            }
            fields.push("note: n".to_string());
            let (event, app) = read(&format!("{{{}}}", fields.join(", ")))
                .unwrap_or_else(|p| panic!("{}: {p:?}", k.name));
            assert_eq!(event.what.name(), k.name);
            assert_eq!(app.is_some(), k.name == "amended");
        }
    }

    #[test]
    fn an_unknown_kind_lists_the_kinds_and_suggests_the_closest() {
        let p = read("{date: 2026-03-25, kind: questoin_sent}").expect_err("unknown");
        assert_eq!(p.field.as_deref(), Some("kind"));
        assert_eq!(p.kind, ErrorKind::InvalidValue);
        assert!(
            p.message.starts_with(
                "unknown kind 'questoin_sent' (did you mean 'question_sent'?); expected one of: attachment_received, "
            ),
            "{}",
            p.message
        );
    }

    #[test]
    fn a_field_of_another_kind_is_unknown_and_the_kinds_fields_are_listed() {
        let p = read("{date: 2026-03-25, kind: delivered, reason: x}").expect_err("unknown");
        assert_eq!(p.field.as_deref(), Some("reason"));
        assert_eq!(p.kind, ErrorKind::UnknownField);
        assert_eq!(
            p.message,
            "unknown field `reason`; a delivered event takes route (optional), note (optional) besides date and kind"
        );
    }

    #[test]
    fn a_missing_field_names_it_and_what_it_holds() {
        let p = read("{date: 2026-03-25, kind: postponed, reason: key}").expect_err("missing");
        assert_eq!((p.field, p.kind), (None, ErrorKind::MissingField));
        assert_eq!(
            p.message,
            "missing field `until`; a postponed event needs `until` (a date YYYY-MM-DD)"
        );
        let p = read("{kind: withdrawn}").expect_err("no date");
        assert!(
            p.message.starts_with("missing field `date`"),
            "{}",
            p.message
        );
        let p = read("{date: 2026-03-25}").expect_err("no kind");
        assert!(
            p.message.starts_with("missing field `kind`"),
            "{}",
            p.message
        );
    }

    #[test]
    fn a_blank_reason_is_refused_for_each_kind_that_needs_one() {
        for kind in ["postponed, until: 2026-09-01", "refused", "dismissed"] {
            let p = read(&format!("{{date: 2026-03-25, kind: {kind}, reason: '  '}}"))
                .expect_err("blank");
            assert_eq!(p.field.as_deref(), Some("reason"), "{kind}");
            assert_eq!(p.kind, ErrorKind::InvalidValue);
            assert!(
                p.message.contains("needs the reason in words"),
                "{}",
                p.message
            );
        }
    }

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("questoin_sent", "question_sent"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("deliverd", "delivered"), 1);
        assert_eq!(closest("xyz", KIND_NAMES.iter().copied()), None);
        assert_eq!(closest("nihp", ["helsedataservice", "niph"]), Some("niph"));
    }
}
