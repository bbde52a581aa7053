//! The error record: what is written in a decision's place when an input record gives
//! no decision (contract section 4), so every record gives exactly one result and
//! none is dropped.

use serde::Serialize;

/// An input record that gave no decision (contract section 4): written in the
/// decision's place, so every record gives exactly one line and none is dropped.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorRecord {
    /// The application's `id`, when it could be read; `null` otherwise.
    pub application: Option<String>,
    /// Where the record came from: the file, and the line where the record starts
    /// when the file holds several (`batch.jsonl:4`).
    pub input: String,
    /// What went wrong.
    pub error: ErrorBody,
}

impl ErrorRecord {
    /// The record for an application that was read but could not be decided. An
    /// error located in a rule file names that file; any other is about the input,
    /// so its message starts with the input's name.
    pub fn undecided(application: &str, input: String, error: crate::error::Error) -> Self {
        let message = match (&error.at, error.kind) {
            (Some(_), _) | (None, crate::error::ErrorKind::Rule) => error.to_string(),
            (None, _) => format!("{input}: {}", error.message),
        };
        ErrorRecord {
            application: Some(application.to_string()),
            input,
            error: ErrorBody {
                kind: error.kind.code().to_string(),
                message,
            },
        }
    }
}

/// What went wrong with one record, for programs (`kind`) and for people (`message`).
#[derive(Debug, Clone, Serialize)]
pub struct ErrorBody {
    /// A stable class of error to act on, e.g. `syntax`, `invalid-timestamp`,
    /// `date-out-of-range`, `rule-error`.
    pub kind: String,
    /// The error in words, naming the file, the line where known, the field, and
    /// what was expected.
    pub message: String,
}
