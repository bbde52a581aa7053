//! Reading case files (case contract section 1): a YAML (`.yaml`, `.yml`) or JSON
//! (`.json`) document holding the application (by path, relative to the case file's
//! folder, or inline) and the events since it was received.
//!
//! A case file is read whole or not at all: any problem gives one error that names
//! the case file, the line, the field (`events[3].until`, events counted from 0) and
//! what was expected, and becomes an [`ErrorRecord`] whose `input` is the case file
//! and the line where the event (or the problem) starts. One bad case file never
//! stops the others: [`read_cases`] hands each one's result on in input order.
//!
//! The checks that need the rule set (a `route` that is not a route of the case, an
//! `answer_received` with no open question) are not made here; see
//! [`super::consistency`].

use super::events::{self, Problem};
use super::raw::{RawApp, RawCase};
use super::LoadedCase;
use crate::error::ErrorKind;
use crate::input::{InputErrorKind, InputRecord, MAX_NESTING, MAX_RECORD_BYTES};
use crate::model::application::{Application, Moment};
use crate::model::case::{ApplicationRef, CaseFile, EventKind};
use crate::model::error_record::{ErrorBody, ErrorRecord};
use crate::shape::{self, Category};
use crate::yaml::{self, Index, Position};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest case file read, as for an application document (1 MiB).
pub const MAX_CASE_BYTES: usize = MAX_RECORD_BYTES;

/// How a case file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YAML (`.yaml`, `.yml`).
    Yaml,
    /// JSON (`.json`).
    Json,
}

impl Format {
    /// The format a file's name says, or `None` for any other file.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    /// The format of text given on standard input: JSON when it opens with `{`,
    /// otherwise YAML.
    pub fn sniff(text: &str) -> Format {
        if text.trim_start().starts_with('{') {
            Format::Json
        } else {
            Format::Yaml
        }
    }
}

/// A case file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseError {
    /// The case id, when it could be read: the file's `case`, else its
    /// application's `id`.
    pub case: Option<String>,
    /// The case file and, when known, the line where the event concerned starts
    /// (or where the problem is): `cases/x.yaml:14`.
    pub input: String,
    /// What kind of problem it is.
    pub kind: ErrorKind,
    /// The error in words: the case file, line and column, the field
    /// (`events[3].until`) and what was expected.
    pub message: String,
}

impl CaseError {
    /// The error record written for the case in its result's place.
    pub fn into_record(self) -> ErrorRecord {
        ErrorRecord {
            application: self.case,
            input: self.input,
            error: ErrorBody {
                kind: self.kind.code().to_string(),
                message: self.message,
            },
        }
    }
}

impl From<CaseError> for ErrorRecord {
    fn from(e: CaseError) -> ErrorRecord {
        e.into_record()
    }
}

impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CaseError {}

/// Reads every case named by `paths`, handing each result to `sink` in input order:
/// a case file, every case file of a folder (`.yaml`, `.yml`, `.json`, by name, not
/// descending into subfolders, leaving out names that start with `.`), or `-`, one
/// case document (YAML or JSON) on standard input whose application path is
/// relative to the current folder.
pub fn read_cases(paths: &[String], mut sink: impl FnMut(Result<LoadedCase, ErrorRecord>)) {
    for p in paths {
        if p == "-" {
            sink(read_stdin().map_err(CaseError::into_record));
            continue;
        }
        let path = Path::new(p);
        if !path.is_dir() {
            sink(read_case(path));
            continue;
        }
        match case_files_in(path) {
            Ok(files) if files.is_empty() => sink(Err(unreadable(
                p,
                format!("{p}: no case files in this folder; expected files ending in .yaml, .yml or .json"),
            )
            .into_record())),
            Ok(files) => files.iter().for_each(|f| sink(read_case(f))),
            Err(e) => sink(Err(unreadable(
                p,
                format!("{p}: cannot list the folder: {e}"),
            )
            .into_record())),
        }
    }
}

/// Reads one case file: the case, or the error record naming the file, the line,
/// the field and what was expected.
pub fn read_case(path: &Path) -> Result<LoadedCase, ErrorRecord> {
    read_case_file(path).map_err(CaseError::into_record)
}

/// Reads one case file, keeping the error typed.
pub fn read_case_file(path: &Path) -> Result<LoadedCase, CaseError> {
    let name = path.display().to_string();
    let Some(format) = Format::of(path) else {
        let what = if path.is_dir() {
            "is a folder; expected a case file"
        } else {
            "unsupported file type; expected a case file ending in .yaml, .yml or .json"
        };
        return Err(unreadable(&name, format!("{name}: {what}")));
    };
    let text = read_text(&name, path)?;
    parse_case(&name, &text, format, &folder_of(path))
}

/// The folder a case file's application paths are relative to: the file's own
/// (`.` for a file named without one).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Reads one case document from standard input.
fn read_stdin() -> Result<LoadedCase, CaseError> {
    let mut bytes = Vec::new();
    let limit = MAX_CASE_BYTES as u64 + 1;
    if let Err(e) = std::io::stdin().take(limit).read_to_end(&mut bytes) {
        return Err(unreadable(
            "-",
            format!("-: cannot read standard input: {e}"),
        ));
    }
    let text = utf8("-", bytes)?;
    parse_case("-", &text, Format::sniff(&text), Path::new("."))
}

/// The case files of a folder, sorted by name.
fn case_files_in(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if path.is_file() && !hidden && Format::of(&path).is_some() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The text of a file, refused when it is larger than [`MAX_CASE_BYTES`] or not
/// UTF-8.
pub(super) fn read_text(name: &str, path: &Path) -> Result<String, CaseError> {
    let file = std::fs::File::open(path)
        .map_err(|e| unreadable(name, format!("{name}: cannot open: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_CASE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(name, format!("{name}: cannot read: {e}")))?;
    utf8(name, bytes)
}

fn utf8(name: &str, bytes: Vec<u8>) -> Result<String, CaseError> {
    if bytes.len() > MAX_CASE_BYTES {
        return Err(error(
            None,
            name.to_string(),
            ErrorKind::TooLarge,
            format!("{name}: the case file holds more than {MAX_CASE_BYTES} bytes; expected at most {MAX_CASE_BYTES}"),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        let column = good.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        unreadable(
            name,
            format!(
                "{name}:{line}:{column}: not UTF-8 text (byte {}); expected a UTF-8 document",
                good.len()
            ),
        )
    })
}

/// Reads the text of a case file named `name` (for messages), whose application
/// paths are relative to `folder`.
pub fn parse_case(
    name: &str,
    text: &str,
    format: Format,
    folder: &Path,
) -> Result<LoadedCase, CaseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
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
    if flow_depth(text) > MAX_NESTING {
        return Err(error(
            None,
            name.to_string(),
            ErrorKind::TooLarge,
            format!("{name}: brackets nested more than {MAX_NESTING} deep; expected a case file"),
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

/// Where the problems of one case file are placed.
struct Place<'a> {
    name: &'a str,
    index: &'a Index,
    case: Option<String>,
}

impl Place<'_> {
    /// A problem at the node `path` (`events[3].until`): at its key for an unknown
    /// field, else at its value, else at the nearest node written out.
    fn error(&self, path: &str, kind: ErrorKind, what: &str) -> CaseError {
        let position = if kind == ErrorKind::UnknownField {
            self.index.key(path)
        } else {
            self.index.value(path)
        }
        .or_else(|| self.index.nearest(path));
        self.error_at(path, position, kind, what)
    }

    /// A problem at a position the reader gave.
    fn error_at(
        &self,
        path: &str,
        position: Option<Position>,
        kind: ErrorKind,
        what: &str,
    ) -> CaseError {
        let event_line = event_of(path)
            .and_then(|i| self.index.value(&format!("events[{i}]")))
            .map(|p| p.line);
        let input = at_line(self.name, event_line.or(position.map(|p| p.line)));
        let mut message = self.name.to_string();
        if let Some(p) = position {
            message.push_str(&format!(":{}:{}", p.line, p.column));
        }
        message.push_str(": ");
        if !path.is_empty() && path != "." {
            message.push_str(path);
            message.push_str(": ");
        }
        message.push_str(what);
        error(self.case.clone(), input, kind, message)
    }

    /// A problem of the event at `at` (`events[3]`).
    fn problem(&self, at: &str, p: Problem) -> CaseError {
        let path = match &p.field {
            Some(f) => format!("{at}.{f}"),
            None => at.to_string(),
        };
        self.error(&path, p.kind, &p.message)
    }

    /// The application named by `raw` at `field`: read from its path (relative to
    /// `folder`) or inline.
    fn resolve(
        &self,
        raw: RawApp,
        field: &str,
        folder: &Path,
    ) -> Result<(ApplicationRef, Application), CaseError> {
        let written = match raw {
            RawApp::Inline(app) => return Ok((ApplicationRef::Inline(app.clone()), *app)),
            RawApp::Path(p) => p,
        };
        if written.trim().is_empty() || written == "-" {
            return Err(self.error(
                field,
                ErrorKind::InvalidValue,
                &format!(
                    "'{written}' is not a file; expected a path to an application file (relative to the case file) or the application inline"
                ),
            ));
        }
        let full = folder.join(&written);
        let shown = full.display().to_string();
        let mut records: Vec<InputRecord> = Vec::new();
        crate::input::read_records(&shown, &mut |r| records.push(r));
        let count = records.len();
        match records.pop() {
            Some(record) if count == 1 => match record.result {
                Ok(app) => Ok((ApplicationRef::Path(written), app)),
                Err(e) => Err(self.error(
                    field,
                    error_kind(e.kind),
                    &format!("cannot read the application '{written}': {}", e.message),
                )),
            },
            _ => Err(self.error(
                field,
                ErrorKind::InvalidValue,
                &format!("the file '{written}' ({shown}) holds {count} applications; expected one"),
            )),
        }
    }
}

/// The case file's shape, or the error of the first value that does not fit.
fn read_raw(place: &Place<'_>, text: &str, format: Format) -> Result<RawCase, CaseError> {
    let (message, position, path, category, syntax) = match format {
        Format::Yaml => {
            let e = match yaml::from_str::<RawCase>(text) {
                Ok(raw) => return Ok(raw),
                Err(e) => e,
            };
            let loose = yaml::from_str::<yaml::Value>(text);
            if matches!(&loose, Ok(v) if !v.is_mapping()) {
                return Err(not_a_map(place, text, format));
            }
            (
                e.message().to_string(),
                e.position(),
                e.path().to_string(),
                e.category(),
                loose.is_err(),
            )
        }
        Format::Json => {
            if !text.trim_start().starts_with('{') {
                return Err(not_a_map(place, text, format));
            }
            let mut de = serde_json::Deserializer::from_str(text);
            let parsed = shape::deserialize::<RawCase, _>(&mut de).and_then(|raw| {
                de.end().map(|_| raw).map_err(|error| shape::Failure {
                    error,
                    path: String::new(),
                    category: Category::Reader,
                })
            });
            let f = match parsed {
                Ok(raw) => return Ok(raw),
                Err(f) => f,
            };
            let syntax = !matches!(f.error.classify(), serde_json::error::Category::Data);
            let message = f.error.to_string();
            let message = match message.find(" at line ") {
                Some(i) => message[..i].to_string(),
                None => message,
            };
            let position = Position {
                line: f.error.line(),
                column: f.error.column(),
            };
            (message, Some(position), f.path, f.category, syntax)
        }
    };
    let kind = if syntax {
        ErrorKind::Syntax
    } else {
        kind_of(category)
    };
    let what = explain(&without_reader_path(&message));
    let what = if syntax {
        format!("not a readable {} document: {what}", format_name(format))
    } else {
        what
    };
    // A value the types refused is placed where it starts; the readers place some
    // at the map around it, or after it.
    let refused_value = matches!(
        category,
        Category::Custom { .. }
            | Category::InvalidType
            | Category::InvalidValue
            | Category::InvalidLength
            | Category::UnknownVariant
    );
    let position = match place.index.value(&path) {
        Some(at) if refused_value && !syntax => Some(at),
        _ => position,
    };
    let place = Place {
        case: loose_id(text, format),
        ..*place
    };
    Err(place.error_at(&path, position, kind, &what))
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Yaml => "YAML",
        Format::Json => "JSON",
    }
}

fn not_a_map(place: &Place<'_>, text: &str, format: Format) -> CaseError {
    let position = place.index.value(".").or_else(|| {
        let column = text.len() - text.trim_start().len();
        let line = 1 + text[..column].matches('\n').count();
        Some(Position { line, column: 1 })
    });
    place.error_at(
        "",
        position,
        ErrorKind::InvalidValue,
        &format!(
            "expected a case file: a {} map with application and events",
            format_name(format)
        ),
    )
}

/// The case id of a case file that did not read, when it has one: its `case`, else
/// its inline application's `id`; in text that is not YAML, a `case: …` line.
fn loose_id(text: &str, format: Format) -> Option<String> {
    let value = match format {
        Format::Yaml => yaml::from_str::<serde_json::Value>(text).map_err(|_| ()),
        Format::Json => serde_json::from_str::<serde_json::Value>(text).map_err(|_| ()),
    };
    let Ok(value) = value else {
        return text.lines().find_map(|line| {
            let v = line.strip_prefix("case:")?.trim();
            let v = v.trim_matches(|c| c == '"' || c == '\'');
            (!v.is_empty() && !v.contains([' ', '#'])).then(|| v.to_string())
        });
    };
    let id = [&value["case"], &value["application"]["id"]]
        .into_iter()
        .find_map(|v| v.as_str().filter(|s| !s.trim().is_empty()))
        .map(str::to_string);
    id
}

/// The error kind of a shape error, from the serde error the types raised.
fn kind_of(category: Category) -> ErrorKind {
    match category {
        Category::MissingField(_) => ErrorKind::MissingField,
        Category::UnknownField => ErrorKind::UnknownField,
        Category::Custom { within: Some(name) } if name == Moment::SERDE_NAME => {
            ErrorKind::InvalidTimestamp
        }
        _ => ErrorKind::InvalidValue,
    }
}

/// The error kind of an application that could not be read.
fn error_kind(kind: InputErrorKind) -> ErrorKind {
    match kind {
        InputErrorKind::Unreadable => ErrorKind::Unreadable,
        InputErrorKind::TooLarge => ErrorKind::TooLarge,
        InputErrorKind::Syntax => ErrorKind::Syntax,
        InputErrorKind::MissingField => ErrorKind::MissingField,
        InputErrorKind::UnknownField => ErrorKind::UnknownField,
        InputErrorKind::InvalidValue => ErrorKind::InvalidValue,
        InputErrorKind::InvalidTimestamp => ErrorKind::InvalidTimestamp,
    }
}

/// serde speaks of Rust types; people know maps.
fn explain(message: &str) -> String {
    message
        .replace(
            "expected struct RawCase",
            "expected a case file (a map with application and events)",
        )
        .replace(
            "expected struct Application",
            "expected an application (a map of fields)",
        )
        .replace(
            "expected struct AttachmentRef",
            "expected a map {kind, file}",
        )
        .replace("expected struct ", "expected a map: ")
}

/// The readers put their own path in front of a message (`events[0]: unknown field
/// ...`); the full path is printed separately.
fn without_reader_path(message: &str) -> String {
    match message.split_once(": ") {
        Some((head, rest)) if !head.is_empty() && !head.contains(' ') && !head.contains('`') => {
            rest.to_string()
        }
        _ => message.to_string(),
    }
}

/// The index of the event a field path is in: `events[3].until` is in event 3.
fn event_of(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("events[")?;
    rest.split_once(']')?.0.parse().ok()
}

/// The deepest `[`/`{` nesting outside quoted text.
fn flow_depth(text: &str) -> usize {
    let (mut depth, mut max, mut quote) = (0usize, 0usize, None::<char>);
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => {
                depth += 1;
                max = max.max(depth);
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            (None, '\n') => quote = None,
            _ => {}
        }
    }
    max
}

fn at_line(name: &str, line: Option<usize>) -> String {
    match line {
        Some(l) => format!("{name}:{l}"),
        None => name.to_string(),
    }
}

fn error(case: Option<String>, input: String, kind: ErrorKind, message: String) -> CaseError {
    CaseError {
        case,
        input,
        kind,
        message,
    }
}

fn unreadable(name: &str, message: String) -> CaseError {
    error(None, name.to_string(), ErrorKind::Unreadable, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: &str = "id: HDS-1\nsubmitted_at: 2026-03-02\ndata_kind: aggregated\n";

    /// A case whose application is inline, with `events` as written.
    fn case_with(events: &str) -> String {
        let app: String = APP.lines().map(|l| format!("  {l}\n")).collect();
        format!("case: C-1\napplication:\n{app}events:\n{events}")
    }

    fn read(text: &str) -> Result<LoadedCase, CaseError> {
        parse_case("c.yaml", text, Format::Yaml, Path::new("."))
    }

    #[test]
    fn a_good_case_reads_with_the_line_of_each_event() {
        let c = read(&case_with(
            "  - {date: 2026-03-03, kind: question_sent, route: niph}\n  # a comment\n  - date: 2026-03-05\n    kind: answer_received\n",
        ))
        .expect("reads");
        assert_eq!(c.id, "C-1");
        assert_eq!(c.application.id, "HDS-1");
        assert_eq!(c.file.events.len(), 2);
        assert_eq!(c.event_lines, vec![Some(7), Some(9)]);
        assert_eq!(c.amendments.len(), 2);
        assert!(c.amendments.iter().all(Option::is_none));
    }

    #[test]
    fn the_case_id_defaults_to_the_applications() {
        let text = case_with("  []\n").replace("case: C-1\n", "");
        let c = read(&text).expect("reads");
        assert_eq!(c.id, "HDS-1");
        assert!(c.file.events.is_empty());
    }

    #[test]
    fn an_event_of_unknown_kind_names_the_event_its_line_and_the_kinds() {
        let e = read(&case_with(
            "  - {date: 2026-03-03, kind: delivered}\n  - {date: 2026-03-04, kind: deliverd}\n",
        ))
        .expect_err("unknown kind");
        assert_eq!(e.kind, ErrorKind::InvalidValue);
        assert_eq!(e.input, "c.yaml:8");
        assert_eq!(e.case.as_deref(), Some("C-1"));
        assert!(
            e.message.starts_with(
                "c.yaml:8:30: events[1].kind: unknown kind 'deliverd' (did you mean 'delivered'?); expected one of: attachment_received,"
            ),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_wrong_value_is_placed_by_the_reader_at_its_field() {
        let e = read(&case_with(
            "  - {date: 2026-03-03, kind: work_logged, party: niph, hours: 1.234}\n",
        ))
        .expect_err("hours");
        assert_eq!(e.kind, ErrorKind::InvalidValue);
        assert_eq!(e.input, "c.yaml:7");
        assert!(
            e.message.starts_with("c.yaml:7:63: events[0].hours: hours '1.234': expected a number above 0 with at most two decimals"),
            "{}",
            e.message
        );
        let e = read(&case_with(
            "  - {date: 2026-03-03T10:00, kind: withdrawn}\n",
        ))
        .expect_err("timestamp");
        assert_eq!(e.kind, ErrorKind::InvalidTimestamp);
        assert!(
            e.message.contains("events[0].date: invalid timestamp"),
            "{}",
            e.message
        );
    }

    #[test]
    fn an_unknown_field_is_placed_at_its_key() {
        let e = read(&case_with(
            "  - {date: 2026-03-03, kind: question_sent, rout: niph}\n",
        ))
        .expect_err("unknown field");
        assert_eq!(e.kind, ErrorKind::UnknownField);
        assert!(
            e.message.starts_with("c.yaml:7:45: events[0].rout: unknown field `rout`; a question_sent event takes route (optional), reply_by (optional), note (optional) besides date and kind"),
            "{}",
            e.message
        );
    }

    #[test]
    fn an_event_before_the_application_was_received_is_refused() {
        let e = read(&case_with(
            "  - {date: '2026-03-01T23:30:00Z', kind: withdrawn}\n  - {date: 2026-02-27, kind: withdrawn}\n",
        ))
        .expect_err("too early");
        assert_eq!(e.kind, ErrorKind::InvalidValue);
        assert_eq!(e.input, "c.yaml:8");
        assert!(
            e.message.ends_with("events[1].date: the event is dated 2026-02-27, before the application was received on 2026-03-02; expected a date on or after 2026-03-02"),
            "{}",
            e.message
        );
    }

    #[test]
    fn the_top_level_is_checked_too() {
        let e = read("application: a.yaml\nevnts: []\n").expect_err("unknown");
        assert_eq!(e.kind, ErrorKind::UnknownField);
        assert!(
            e.message
                .starts_with("c.yaml:2:1: evnts: unknown field `evnts`"),
            "{}",
            e.message
        );
        let e = read("events: []\n").expect_err("missing");
        assert_eq!(e.kind, ErrorKind::MissingField);
        let e = read("- a\n").expect_err("a list");
        assert_eq!(e.kind, ErrorKind::InvalidValue);
        assert!(e.message.contains("expected a case file"), "{}", e.message);
        let e = read("application: [a\n").expect_err("syntax");
        assert_eq!(e.kind, ErrorKind::Syntax);
        let e = read("# nothing\n").expect_err("empty");
        assert_eq!(e.kind, ErrorKind::Syntax);
        let e = read(&format!(
            "application: {}a{}\n",
            "[".repeat(70),
            "]".repeat(70)
        ))
        .expect_err("deep");
        assert_eq!(e.kind, ErrorKind::TooLarge);
    }

    #[test]
    fn an_unreadable_application_names_the_case_file_and_the_field() {
        let e = read("application: no-such-file.yaml\n").expect_err("unreadable");
        assert_eq!(e.kind, ErrorKind::Unreadable);
        assert_eq!(e.input, "c.yaml:1");
        assert!(
            e.message.starts_with("c.yaml:1:14: application: cannot read the application 'no-such-file.yaml': ./no-such-file.yaml: cannot open"),
            "{}",
            e.message
        );
        let e = read(&case_with(
            "  - {date: 2026-03-03, kind: amended, application: '-'}\n",
        ))
        .expect_err("stdin");
        assert!(
            e.message
                .contains("events[0].application: '-' is not a file"),
            "{}",
            e.message
        );
    }

    #[test]
    fn an_inline_application_error_is_placed_in_the_case_file() {
        let text = "application:\n  id: A\n  submitted_at: 2026-03-02\n  data_kind: aggregate\n";
        let e = read(text).expect_err("bad data_kind");
        assert_eq!(e.kind, ErrorKind::InvalidValue);
        assert!(
            e.message
                .starts_with("c.yaml:4:14: application.data_kind: unknown variant `aggregate`"),
            "{}",
            e.message
        );
        assert_eq!(e.case.as_deref(), Some("A"));
    }

    #[test]
    fn a_json_case_reads_with_event_lines() {
        let text = "{\n  \"application\": {\"id\": \"J\", \"submitted_at\": \"2026-03-02\", \"data_kind\": \"aggregated\"},\n  \"events\": [\n    {\"date\": \"2026-03-03\", \"kind\": \"withdrawn\"},\n\t{\"date\": \"2026-03-04\",\n     \"kind\": \"delivered\"}\n  ]\n}\n";
        let c = parse_case("c.json", text, Format::Json, Path::new(".")).expect("reads");
        assert_eq!(c.event_lines, vec![Some(4), Some(5)]);
        let bad = text.replace("\"delivered\"", "\"deliverd\"");
        let e = parse_case("c.json", &bad, Format::Json, Path::new(".")).expect_err("kind");
        assert_eq!(e.input, "c.json:5");
        assert!(
            e.message
                .contains("events[1].kind: unknown kind 'deliverd'"),
            "{}",
            e.message
        );
        let e = parse_case(
            "c.json",
            "{\"application\": 5}",
            Format::Json,
            Path::new("."),
        )
        .expect_err("type");
        assert_eq!(e.kind, ErrorKind::InvalidValue);
        let e = parse_case("c.json", "{\"application\": ", Format::Json, Path::new("."))
            .expect_err("syntax");
        assert_eq!(e.kind, ErrorKind::Syntax);
    }

    #[test]
    fn event_paths_name_their_event() {
        assert_eq!(event_of("events[12].until"), Some(12));
        assert_eq!(event_of("events[3]"), Some(3));
        assert_eq!(event_of("application.id"), None);
    }
}
