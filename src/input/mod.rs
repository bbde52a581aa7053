//! Reading application documents: YAML, JSON and JSON Lines files, or standard input.
//! Every record read gives exactly one [`InputRecord`]: the application, or an error
//! that names the file, the line, the field and what was expected.
//!
//! A `.yaml` file may hold several documents separated by `---`; each is a record.
//! A `.json` file holds one application object; `.jsonl` holds one per line.
//!
//! `read` owns files, standard input and the split into records; `parse` turns
//! one record's text into an [`Application`] or an [`InputError`]. YAML is read only
//! through [`crate::yaml`], JSON through serde_json, and both through
//! [`crate::shape`], which says which serde error a document raised, so an error's
//! kind comes from what failed, never from the wording of its message.

pub mod lines;
mod parse;
mod read;
#[cfg(test)]
mod tests;

pub use parse::{parse_json, parse_yaml, parse_yaml_documents};
pub use read::{read_records, read_records_until, read_stream, Flow};

use crate::model::application::Application;
use crate::model::error_record::{ErrorBody, ErrorRecord};
use std::fmt;

/// Whether `path` names something that is there but is neither a regular file nor
/// a folder (a device, a named pipe or a socket), following links. A folder's
/// entries like these are reported, not opened: opening a named pipe waits for a
/// writer.
pub fn not_a_regular_file(path: &std::path::Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// The largest record read (one YAML document, one JSON file or one JSON line).
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// The deepest nesting of `[`/`{` accepted in a document (the YAML reader's own).
pub use crate::yaml::MAX_NESTING;

/// One record of input: where it came from and what was read.
#[derive(Debug)]
pub struct InputRecord {
    /// `file`, or `file:line` of the record's first line in a file of several.
    pub input: String,
    /// The application, or why the record could not be read as one.
    pub result: Result<Application, InputError>,
}

/// A record that could not be read as an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The `id`, when the document had a readable one.
    pub application: Option<String>,
    /// Why it could not be read; its code is the error record's `kind`.
    pub kind: InputErrorKind,
    /// The error in words, naming the file, the line where known, the field, and
    /// what was expected.
    pub message: String,
}

impl InputError {
    /// The error record written in the decision's place for this unreadable record
    /// from `input` (the file, or `file:line`).
    pub fn into_record(self, input: String) -> ErrorRecord {
        ErrorRecord {
            application: self.application,
            input,
            error: ErrorBody {
                kind: self.kind.to_string(),
                message: self.message,
            },
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Why a record could not be read. [`InputErrorKind::code`] is the stable name
/// written in error records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InputErrorKind {
    /// The file or stream could not be opened or read, or is not UTF-8 text.
    Unreadable,
    /// The record is larger, or nested deeper, than the limits.
    TooLarge,
    /// Not a readable YAML or JSON document.
    Syntax,
    /// A required field is absent.
    MissingField,
    /// A field the application does not have.
    UnknownField,
    /// A value of the wrong type or outside its allowed values.
    InvalidValue,
    /// A timestamp that cannot be placed (no UTC offset, or not a timestamp).
    InvalidTimestamp,
}

impl InputErrorKind {
    /// The kebab-case name used in JSON output: `unreadable`, `too-large`,
    /// `syntax`, `missing-field`, `unknown-field`, `invalid-value` or
    /// `invalid-timestamp`.
    pub fn code(self) -> &'static str {
        match self {
            InputErrorKind::Unreadable => "unreadable",
            InputErrorKind::TooLarge => "too-large",
            InputErrorKind::Syntax => "syntax",
            InputErrorKind::MissingField => "missing-field",
            InputErrorKind::UnknownField => "unknown-field",
            InputErrorKind::InvalidValue => "invalid-value",
            InputErrorKind::InvalidTimestamp => "invalid-timestamp",
        }
    }
}

impl fmt::Display for InputErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

fn failed(
    input: String,
    application: Option<String>,
    kind: InputErrorKind,
    message: String,
) -> InputRecord {
    InputRecord {
        input,
        result: Err(InputError {
            application,
            kind,
            message,
        }),
    }
}
