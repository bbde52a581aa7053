//! A case file that could not be read, as the error record written in its place.

use crate::error::ErrorKind;
use crate::model::error_record::{ErrorBody, ErrorRecord};
use std::fmt;

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

pub(super) fn at_line(name: &str, line: Option<usize>) -> String {
    match line {
        Some(l) => format!("{name}:{l}"),
        None => name.to_string(),
    }
}

pub(super) fn error(
    case: Option<String>,
    input: String,
    kind: ErrorKind,
    message: String,
) -> CaseError {
    CaseError {
        case,
        input,
        kind,
        message,
    }
}

pub(super) fn unreadable(name: &str, message: String) -> CaseError {
    error(None, name.to_string(), ErrorKind::Unreadable, message)
}
