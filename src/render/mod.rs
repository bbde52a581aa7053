//! Output: decisions and error records as JSON Lines, or as text for people.

use crate::model::decision::Decision;
use serde::Serialize;
use std::fmt::Write as _;

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

    /// The record for input that could not be read.
    pub fn unread(input: String, error: crate::input::InputError) -> Self {
        ErrorRecord {
            application: error.application,
            input,
            error: ErrorBody {
                kind: error.kind.to_string(),
                message: error.message,
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

/// One JSON line (without the newline).
pub fn json_line<T: Serialize>(value: &T) -> String {
    // Serialising these plain structs cannot fail; fall back to a valid record anyway.
    serde_json::to_string(value).unwrap_or_else(|e| {
        format!("{{\"application\":null,\"input\":\"\",\"error\":{{\"kind\":\"internal\",\"message\":\"{e}\"}}}}")
    })
}

/// A decision as a short summary for people.
pub fn decision_text(d: &Decision) -> String {
    let mut s = String::new();
    let _ = write!(s, "{}: {}", d.application, d.status.as_str());
    let _ = write!(s, " (received {}", d.received_on);
    if let Some(c) = d.complete_on {
        let _ = write!(s, ", complete {c}");
    }
    s.push_str(")\n");
    for r in &d.routes {
        let _ = write!(
            s,
            "  route {}: {}; {} working days in calendar {}",
            r.custodian,
            r.sources.join(", "),
            r.working_days,
            r.calendar
        );
        match r.due {
            Some(due) => {
                let _ = write!(s, ", due {due}");
            }
            None => s.push_str(", no due date while incomplete"),
        }
        if !r.reason.is_empty() {
            let _ = write!(s, " ({})", r.reason);
        }
        s.push('\n');
    }
    for r in &d.redirects {
        let _ = write!(
            s,
            "  redirect {}: {}",
            r.source.as_deref().unwrap_or("whole application"),
            r.reason
        );
        if let Some(url) = &r.form_url {
            let _ = write!(s, " -> {url}");
        }
        s.push('\n');
    }
    for m in &d.missing {
        let _ = write!(s, "  missing {}", m.item);
        if let Some(src) = &m.source {
            let _ = write!(s, " [{src}]");
        }
        let _ = writeln!(s, ": {}", m.message);
    }
    for f in &d.findings {
        let _ = write!(s, "  {} {}", f.severity.as_str(), f.code);
        if let Some(src) = &f.source {
            let _ = write!(s, " [{src}]");
        }
        let _ = writeln!(s, ": {} ({})", f.message, f.rule);
    }
    s
}

/// An error record as text for people.
pub fn error_text(e: &ErrorRecord) -> String {
    format!(
        "{}: error ({}): {}\n",
        e.application.as_deref().unwrap_or("(no id)"),
        e.error.kind,
        e.error.message
    )
}
pub mod snippet;
