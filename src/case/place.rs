//! Where the problems of one case file are placed: at the node they are about,
//! with the case file, the line and the field (`events[3].until`).

use super::error::{at_line, error, CaseError};
use super::events::Problem;
use super::raw::RawApp;
use crate::error::ErrorKind;
use crate::input::{InputErrorKind, InputRecord};
use crate::model::application::Application;
use crate::model::case::ApplicationRef;
use crate::yaml::{Index, Position};
use std::path::Path;

/// Where the problems of one case file are placed.
pub(super) struct Place<'a> {
    pub(super) name: &'a str,
    pub(super) index: &'a Index,
    pub(super) case: Option<String>,
}

impl Place<'_> {
    /// A problem at the node `path` (`events[3].until`): at its key for an unknown
    /// field, else at its value, else at the nearest node written out.
    pub(super) fn error(&self, path: &str, kind: ErrorKind, what: &str) -> CaseError {
        let position = if kind == ErrorKind::UnknownField {
            self.index.key(path)
        } else {
            self.index.value(path)
        }
        .or_else(|| self.index.nearest(path));
        self.error_at(path, position, kind, what)
    }

    /// A problem at a position the reader gave.
    pub(super) fn error_at(
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
    pub(super) fn problem(&self, at: &str, p: Problem) -> CaseError {
        let path = match &p.field {
            Some(f) => format!("{at}.{f}"),
            None => at.to_string(),
        };
        self.error(&path, p.kind, &p.message)
    }

    /// The application named by `raw` at `field`: read from its path (relative to
    /// `folder`) or inline.
    pub(super) fn resolve(
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

/// The index of the event a field path is in: `events[3].until` is in event 3.
pub(super) fn event_of(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("events[")?;
    rest.split_once(']')?.0.parse().ok()
}

/// The error kind of an application that could not be read.
pub(super) fn error_kind(kind: InputErrorKind) -> ErrorKind {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_paths_name_their_event() {
        assert_eq!(event_of("events[12].until"), Some(12));
        assert_eq!(event_of("events[3]"), Some(3));
        assert_eq!(event_of("application.id"), None);
    }
}
