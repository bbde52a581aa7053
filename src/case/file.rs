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
//! [`super::check`].

pub use super::error::CaseError;
pub use super::parse::{event_error, parse_case};

use super::error::{error, unreadable};
use super::LoadedCase;
use crate::error::ErrorKind;
use crate::input::MAX_RECORD_BYTES;
use crate::model::error_record::ErrorRecord;
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

/// Reads every case named by `paths`, handing each result to `sink` in input order:
/// a case file, every case file of a folder (`.yaml`, `.yml`, `.json`, by name, not
/// descending into subfolders, leaving out names that start with `.`), or `-`, one
/// case document (YAML or JSON) on standard input whose application path is
/// relative to the current folder.
pub fn read_cases(paths: &[String], mut sink: impl FnMut(Result<LoadedCase, ErrorRecord>)) {
    for case in pending_cases(paths) {
        sink(case.read());
    }
}

/// A case named on the command line, not read yet: a case file, or what was found
/// already (standard input read, or a folder that could not be listed).
#[derive(Debug)]
pub enum PendingCase {
    /// A case file to read.
    File(PathBuf),
    /// Read already.
    Read(Box<Result<LoadedCase, ErrorRecord>>),
}

impl PendingCase {
    /// The case, or its error record.
    pub fn read(self) -> Result<LoadedCase, ErrorRecord> {
        match self {
            PendingCase::File(path) => read_case(&path),
            PendingCase::Read(result) => *result,
        }
    }
}

/// A case to read, or one read already: what `hds status` follows.
pub trait IntoCase: Send {
    /// The case, or its error record.
    fn into_case(self) -> Result<LoadedCase, ErrorRecord>;
}

impl IntoCase for PendingCase {
    fn into_case(self) -> Result<LoadedCase, ErrorRecord> {
        self.read()
    }
}

impl IntoCase for Result<LoadedCase, ErrorRecord> {
    fn into_case(self) -> Result<LoadedCase, ErrorRecord> {
        self
    }
}

/// The cases `paths` name, in the order [`read_cases`] reads them, each file left
/// to be read by whoever takes it (folders are listed, and standard input read, as
/// they are reached).
pub fn pending_cases(paths: &[String]) -> impl Iterator<Item = PendingCase> + Send + '_ {
    paths.iter().flat_map(|p| -> Vec<PendingCase> {
        let read = |result| vec![PendingCase::Read(Box::new(result))];
        if p == "-" {
            return read(read_stdin().map_err(CaseError::into_record));
        }
        let path = Path::new(p);
        if !path.is_dir() {
            return vec![PendingCase::File(path.to_path_buf())];
        }
        match case_files_in(path) {
            Ok(files) if files.is_empty() => read(Err(unreadable(
                p,
                format!("{p}: no case files in this folder; expected files ending in .yaml, .yml or .json"),
            )
            .into_record())),
            Ok(files) => files
                .into_iter()
                .map(|file| {
                    if !crate::input::not_a_regular_file(&file) {
                        return PendingCase::File(file);
                    }
                    let name = file.display().to_string();
                    let message = format!("{name}: not a regular file (a device, pipe or socket); expected a case file");
                    PendingCase::Read(Box::new(Err(unreadable(&name, message).into_record())))
                })
                .collect(),
            Err(e) => read(Err(unreadable(
                p,
                format!("{p}: cannot list the folder: {e}"),
            )
            .into_record())),
        }
    })
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

/// The case files of a folder, sorted by name: every name with a case file's
/// extension that is not a folder (a link that leads nowhere is listed, to be
/// reported when it cannot be opened).
fn case_files_in(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if !path.is_dir() && !hidden && Format::of(&path).is_some() {
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
    fn a_reply_date_or_postponement_before_its_event_is_refused() {
        let e = read(&case_with(
            "  - {date: 2026-03-04, kind: question_sent}\n  - {date: 2026-04-01, kind: question_sent, reply_by: 2026-03-25}\n",
        ))
        .expect_err("reply_by before the question");
        assert_eq!(e.kind, ErrorKind::InvalidValue);
        assert_eq!(e.input, "c.yaml:8");
        assert!(e.message.starts_with("c.yaml:8:"), "{}", e.message);
        assert!(
            e.message.ends_with("events[1].reply_by: 2026-03-25 is before the event's date, 2026-04-01; expected a reply date on or after it"),
            "{}",
            e.message
        );
        let e = read(&case_with(
            "  - {date: 2026-04-10, kind: reminder_sent, reply_by: 2026-04-09}\n",
        ))
        .expect_err("reply_by before the reminder");
        assert!(
            e.message.ends_with("events[0].reply_by: 2026-04-09 is before the event's date, 2026-04-10; expected a reply date on or after it"),
            "{}",
            e.message
        );
        let e = read(&case_with(
            "  - {date: 2026-04-01, kind: postponed, until: 2026-03-25, reason: r}\n",
        ))
        .expect_err("until before the postponement");
        assert!(
            e.message.ends_with("events[0].until: 2026-03-25 is before the event's date, 2026-04-01; expected a new due date on or after it"),
            "{}",
            e.message
        );
        // On the event's own date is read.
        read(&case_with(
            "  - {date: 2026-04-01, kind: question_sent, reply_by: 2026-04-01}\n  - {date: 2026-04-01, kind: postponed, until: 2026-04-01, reason: r}\n",
        ))
        .expect("dates on the event's own date");
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
}
