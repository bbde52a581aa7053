//! Recording an event in a case file (`hds case record`): the event made from its
//! fields, checked as part of the whole case (the case file with the event must
//! read without error, its routes and answers must agree with the rule set's
//! decisions and its parties be ones the rule set knows), added keeping the file's text (see [`super::append`]) and written
//! atomically: a file beside it, then renamed over it. A refused event leaves the
//! case file as it was, byte for byte.

use super::append::{self, NewEvent, Value};
use super::events::{self, article, expected_value};
use super::file::{self, Format};
use super::start::relative_to;
use super::LoadedCase;
use crate::model::application::Moment;
use crate::ruleset::RuleSet;
use std::io::Write;
use std::path::Path;

/// Why an event was not recorded. The case file is untouched either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    /// The event, or the case file as it is, is bad input; the message names the
    /// case file, the line, `events[N]` and what was expected.
    Refused(String),
    /// The case file could not be written.
    CannotWrite(String),
}

/// An event recorded in a case file.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// Its index in `events` (from 0).
    pub index: usize,
    /// The line where it starts, when known.
    pub line: Option<usize>,
    /// The case as written now.
    pub case: LoadedCase,
}

/// The event of kind `kind` dated `date` with `fields` written `FIELD=VALUE`
/// (`reason=…`, `attachment.kind=…`, …) and `route`, in the order a case file
/// writes them: `date`, `kind`, `route`, the kind's other fields, `note`. A path
/// given as `application=` is relative to the current folder and is written
/// relative to `case_folder`.
pub fn new_event(
    kind: &str,
    date: &str,
    route: Option<&str>,
    fields: &[String],
    case_folder: &Path,
) -> Result<NewEvent, String> {
    let Some(fields_of) = events::kind(kind) else {
        return Err(format!(
            "--kind {kind}: unknown kind; expected one of: {}",
            events::KIND_NAMES.join(", ")
        ));
    };
    Moment::parse(date).map_err(|e| format!("--date: {e}"))?;
    let mut given: Vec<(String, String)> = Vec::new();
    if let Some(r) = route {
        given.push(("route".to_string(), r.to_string()));
    }
    for f in fields {
        let Some((name, value)) = f.split_once('=') else {
            return Err(format!(
                "'{f}': expected FIELD=VALUE, e.g. reason=\"Waiting for a new key\""
            ));
        };
        let name = name.trim();
        if name == "date" || name == "kind" {
            return Err(format!("'{f}': give the {name} as --{name}"));
        }
        if given.iter().any(|(n, _)| n == name) {
            return Err(format!(
                "'{f}': {name} is given twice (route may be given as --route or route=)"
            ));
        }
        let (top, sub) = match name.split_once('.') {
            Some((top, sub)) => (top, Some(sub)),
            None => (name, None),
        };
        let nested_ok = match (top, sub) {
            ("attachment", Some(s)) => s == "kind" || s == "file",
            ("attachment", None) => false,
            (_, Some(_)) => false,
            _ => true,
        };
        if !fields_of.takes(top) || !nested_ok || top == "note" && sub.is_some() {
            let takes = fields_of
                .fields()
                .map(|f| match f {
                    "attachment" => "attachment.kind=, attachment.file=".to_string(),
                    other => format!("{other}="),
                })
                .chain(std::iter::once("note=".to_string()))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(format!(
                "'{f}': not a field of {} {kind} event; it takes {takes}",
                article(kind)
            ));
        }
        given.push((name.to_string(), value.to_string()));
    }
    let has = |name: &str| given.iter().any(|(n, _)| n == name);
    for required in fields_of.required {
        let missing: Vec<String> = match *required {
            "attachment" => ["attachment.kind", "attachment.file"]
                .into_iter()
                .filter(|n| !has(n))
                .map(|n| format!("{n}=…"))
                .collect(),
            r if !has(r) => vec![format!("{r}=… ({})", expected_value(r))],
            _ => Vec::new(),
        };
        if !missing.is_empty() {
            return Err(format!(
                "{} {kind} event needs {}",
                article(kind),
                missing.join(" and ")
            ));
        }
    }
    let value_of = |name: &str| {
        given
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let mut event = NewEvent::default();
    event
        .fields
        .push(("date".to_string(), Value::Plain(date.trim().to_string())));
    event
        .fields
        .push(("kind".to_string(), Value::Plain(kind.to_string())));
    let order = std::iter::once("route")
        .chain(fields_of.fields().filter(|f| *f != "route"))
        .chain(std::iter::once("note"));
    for field in order {
        let value = match field {
            "attachment" => {
                let inner: Vec<(String, Value)> = [
                    ("kind", value_of("attachment.kind").map(Value::Plain)),
                    ("file", value_of("attachment.file").map(Value::Text)),
                ]
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
                .collect();
                (!inner.is_empty()).then_some(Value::Map(inner))
            }
            "application" => value_of(field).map(|p| {
                let written = relative_to(Path::new(&p), case_folder)
                    .map(|r| r.display().to_string())
                    .unwrap_or(p);
                Value::Plain(written)
            }),
            "hours" => value_of(field).map(Value::Number),
            "reason" | "note" => value_of(field).map(Value::Text),
            _ => value_of(field).map(Value::Plain),
        };
        if let Some(v) = value {
            event.fields.push((field.to_string(), v));
        }
    }
    Ok(event)
}

/// Adds `event` to the case file at `path` when the whole case reads with it and
/// agrees with the rule set; otherwise leaves the file as it was.
pub fn record(path: &Path, event: &NewEvent, rules: &RuleSet) -> Result<Recorded, RecordError> {
    let name = path.display().to_string();
    let refused = RecordError::Refused;
    let Some(format) = Format::of(path) else {
        return Err(refused(format!(
            "{name}: unsupported file type; expected a case file ending in .yaml, .yml or .json"
        )));
    };
    let text = file::read_text(&name, path).map_err(|e| refused(e.message))?;
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(body) => ("\u{feff}", body),
        None => ("", text.as_str()),
    };
    let folder = file::folder_of(path);
    let before = file::parse_case(&name, body, format, &folder).map_err(|e| {
        refused(format!(
            "the case file does not read as it is: {}",
            e.message
        ))
    })?;
    let (appended, line) = append::append(body, format, event).map_err(|why| {
        refused(format!(
            "{name}: cannot add the event to this file ({why}); add it by hand"
        ))
    })?;
    let after =
        file::parse_case(&name, &appended, format, &folder).map_err(|e| refused(e.message))?;
    let index = before.file.events.len();
    let placed = after.file.events.len() == index + 1
        && (line.is_none() || after.event_lines.get(index).copied().flatten() == line);
    if !placed {
        return Err(refused(format!(
            "{name}: cannot add the event to this file's layout; add it by hand"
        )));
    }
    super::check(&after, rules).map_err(|r| refused(r.error.message))?;
    write_atomically(path, &format!("{bom}{appended}"))
        .map_err(|e| RecordError::CannotWrite(format!("{name}: cannot write: {e}")))?;
    Ok(Recorded {
        index,
        line: after.event_lines.get(index).copied().flatten(),
        case: after,
    })
}

/// Writes `text` to a new file beside `path` and renames it over `path`, so the
/// case file is either as it was or as it is now, never half-written. A link is
/// followed: the file it names is replaced, keeping its permissions.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let folder = file::folder_of(&target);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        f.write_all(text.as_bytes())?;
        if let Ok(meta) = std::fs::metadata(&target) {
            f.set_permissions(meta.permissions())?;
        }
        f.sync_all()?;
        drop(f);
        std::fs::rename(&temp, &target)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: &str, fields: &[&str]) -> Result<String, String> {
        let fields: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
        new_event(kind, "2026-05-29", None, &fields, Path::new(".")).map(|e| e.to_yaml())
    }

    #[test]
    fn fields_are_written_in_the_case_files_order() {
        assert_eq!(
            event("postponed", &["reason=New key", "until=2026-09-01", "route=niph"]),
            Ok(r#"{date: 2026-05-29, kind: postponed, route: niph, until: 2026-09-01, reason: "New key"}"#.to_string())
        );
        assert_eq!(
            event("attachment_received", &["attachment.file=t.xlsx", "attachment.kind=sample_table", "note=late"]),
            Ok(r#"{date: 2026-05-29, kind: attachment_received, attachment: {kind: sample_table, file: "t.xlsx"}, note: "late"}"#.to_string())
        );
        assert_eq!(
            event("work_logged", &["party=niph", "hours=6.25"]),
            Ok("{date: 2026-05-29, kind: work_logged, party: niph, hours: 6.25}".to_string())
        );
    }

    #[test]
    fn a_field_the_kind_does_not_take_or_lacks_is_named() {
        assert_eq!(
            event("delivered", &["reason=x"]),
            Err("'reason=x': not a field of a delivered event; it takes route=, note=".to_string())
        );
        assert_eq!(
            event("postponed", &["until=2026-09-01"]),
            Err("a postponed event needs reason=… (the reason in words)".to_string())
        );
        assert_eq!(
            event("attachment_received", &["attachment.kind=other"]),
            Err("an attachment_received event needs attachment.file=…".to_string())
        );
        assert!(event("delivered", &["route"]).is_err());
        assert!(event("delivered", &["route=a", "route=b"]).is_err());
        assert!(event("delivered", &["date=2026-01-01"]).is_err());
        assert!(new_event("delivered", "2026-13-01", None, &[], Path::new(".")).is_err());
    }
}
