//! The one error model: what went wrong ([`ErrorKind`], with the stable codes JSON
//! output uses), where ([`Location`]: file, line, column, field, function), and the
//! problems a rule-set load collects ([`Diagnostic`], [`LoadError`]). Every layer
//! returns these values; only `render` and `cli` turn them into text.
//!
//! May use: nothing else in the crate.

use std::fmt;

/// What kind of thing went wrong. [`ErrorKind::code`] gives the stable string that
/// error records, scenario files and other programs match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input could not be read at all (missing file, not UTF-8, a folder).
    Unreadable,
    /// A record is larger or nests deeper than the limits allow.
    TooLarge,
    /// Not a readable YAML or JSON document.
    Syntax,
    /// A field the application must have is absent.
    MissingField,
    /// A field the contract does not have.
    UnknownField,
    /// A field holds a value of the wrong type or outside its vocabulary.
    InvalidValue,
    /// `submitted_at` or `received_at` is not a timestamp with offset or a date.
    InvalidTimestamp,
    /// A rule script failed, or returned something its stage does not take.
    Rule,
    /// A date lies outside the years a calendar covers.
    DateOutOfRange,
    /// A bug in hds itself.
    Internal,
}

impl ErrorKind {
    /// The stable code of this kind, as error records show it.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Unreadable => "unreadable",
            ErrorKind::TooLarge => "too-large",
            ErrorKind::Syntax => "syntax",
            ErrorKind::MissingField => "missing-field",
            ErrorKind::UnknownField => "unknown-field",
            ErrorKind::InvalidValue => "invalid-value",
            ErrorKind::InvalidTimestamp => "invalid-timestamp",
            ErrorKind::Rule => "rule-error",
            ErrorKind::DateOutOfRange => "date-out-of-range",
            ErrorKind::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// The 1-based line.
    pub line: usize,
    /// The 1-based column, in characters.
    pub column: usize,
}

impl Position {
    /// Where serde_json's `error` lies in the `text` it read, in characters.
    ///
    /// serde_json counts the bytes it read on the error's line, so its column is
    /// the last byte read, and 0 when that was the line end before the line (a
    /// document that ends after a line end, or a line end inside a string). Here:
    /// a document that ends too early (an object or a list not closed) is placed
    /// at its last character that is not blank space, wherever the blank lines or
    /// spaces after it end, so a file with or without a last line end, and the
    /// same object on standard input, give the same place; any other error read at
    /// a line end is placed at that line end, after the last character of the line
    /// before. `None` when serde_json gives no line.
    pub fn of_json_error(text: &str, error: &serde_json::Error) -> Option<Position> {
        let (line, column) = (error.line(), error.column());
        if line == 0 {
            return None;
        }
        if error.classify() == serde_json::error::Category::Eof {
            let end = text.trim_end_matches([' ', '\t', '\n', '\r']);
            let Some(last) = end.char_indices().next_back().map(|(i, _)| i) else {
                return Some(Position { line: 1, column: 1 });
            };
            let line_start = end[..last].rfind('\n').map_or(0, |i| i + 1);
            return Some(Position {
                line: 1 + end[..last].matches('\n').count(),
                column: end[line_start..last].chars().count() + 1,
            });
        }
        let mut lines = text.split('\n');
        if column == 0 {
            let Some(before) = line.checked_sub(2).and_then(|n| lines.nth(n)) else {
                return Some(Position { line, column: 1 });
            };
            return Some(Position {
                line: line - 1,
                column: before.chars().count() + 1,
            });
        }
        let Some(own) = lines.nth(line - 1) else {
            return Some(Position { line, column });
        };
        // The character holding the last byte read.
        let mut read = column.min(own.len());
        while !own.is_char_boundary(read) {
            read += 1;
        }
        Some(Position {
            line,
            column: own[..read].chars().count().max(1),
        })
    }
}

/// Where a problem is. Lines and columns are 1-based; `None` when unknown.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Location {
    /// The file as the user would open it (a rule file, an input file).
    pub file: String,
    /// The 1-based line.
    pub line: Option<usize>,
    /// The 1-based column.
    pub column: Option<usize>,
    /// The rule function the line is in (e.g. `deadline`), then the functions
    /// that called it, its caller first and the stage function last; empty when
    /// unknown.
    pub functions: Vec<String>,
}

impl Location {
    /// A location in `file`, position unknown.
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            ..Location::default()
        }
    }

    /// Sets the line and column, when known.
    pub fn at(mut self, line: Option<usize>, column: Option<usize>) -> Self {
        self.line = line;
        self.column = column.filter(|_| line.is_some());
        self
    }

    /// Names the rule function that was running.
    pub fn in_function(mut self, function: impl Into<String>) -> Self {
        self.functions = vec![function.into()];
        self
    }

    /// Names the functions that called the one running, its caller first; after
    /// [`Location::in_function`].
    pub fn called_from(mut self, callers: impl IntoIterator<Item = String>) -> Self {
        self.functions.extend(callers);
        self
    }

    /// The rule function the line is in, when known.
    pub fn function(&self) -> Option<&str> {
        self.functions.first().map(String::as_str)
    }

    /// The functions that called [`Location::function`], its caller first.
    pub fn callers(&self) -> &[String] {
        self.functions.get(1..).unwrap_or_default()
    }

    /// `not_linked (called from deadline)`: the function and its callers, when
    /// the function is known.
    pub fn function_and_callers(&self) -> Option<String> {
        let function = self.function()?;
        if self.callers().is_empty() {
            return Some(function.to_string());
        }
        let callers: Vec<String> = self
            .callers()
            .iter()
            .map(|c| format!("called from {c}"))
            .collect();
        Some(format!("{function} ({})", callers.join(", ")))
    }
}

impl fmt::Display for Location {
    /// `file:line:column: function name (called from caller)`, leaving out what is
    /// unknown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if let Some(function) = self.function_and_callers() {
            write!(f, ": function {function}")?;
        }
        Ok(())
    }
}

/// A problem that stopped one application (or one input record) from being decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Where, when the problem lies in a file (a rule file); `None` when it is about
    /// the application being evaluated, whose input name the renderer adds.
    pub at: Option<Location>,
    /// What happened and what was expected, without the location.
    pub message: String,
    /// For an error about the application rather than a rule file (a due date
    /// outside a calendar's years), the rule whose result the failing step
    /// followed, when one did. Records and messages leave it out; `hds check`'s
    /// trial run, whose sample applications are sound, places the error there.
    pub decided_by: Option<Box<Location>>,
}

impl Error {
    /// A new error with no location.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            at: None,
            message: message.into(),
            decided_by: None,
        }
    }

    /// A problem in a rule file.
    pub fn rule(at: Location, message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Rule,
            at: Some(at),
            message: message.into(),
            decided_by: None,
        }
    }

    /// Names the rule whose result the failing step followed.
    pub fn decided_by(mut self, rule: Location) -> Self {
        self.decided_by = Some(Box::new(rule));
        self
    }
}

impl fmt::Display for Error {
    /// One line: `path:line:column: function f: message`, or the message alone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            Some(at) => write!(f, "{at}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}

/// How serious a [`Diagnostic`] is: an error stops the rule set from loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The rule set cannot load.
    Error,
    /// Worth knowing; the rule set still loads.
    Warning,
}

/// One problem in a rule-set file, rendered as `path:line:column: severity: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user would open it.
    pub path: String,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// The 1-based column, when known.
    pub column: Option<usize>,
    /// Whether it stops the load.
    pub severity: Severity,
    /// The stable kebab-case code of this kind of problem, e.g. `unknown-function`;
    /// see [`Diagnostic::with_code`] and [`default_code`].
    pub code: &'static str,
    /// What is wrong and what was expected.
    pub message: String,
}

/// The code a [`Diagnostic`] in `path` has until a more precise one is set: the
/// kind of file it is in (`settings`, `catalog`, `calendar`, `manifest`, `rule`,
/// `messages`), or `rule-set` for anything else.
pub fn default_code(path: &str) -> &'static str {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let in_calendars = path.split(['/', '\\']).any(|part| part == "calendars");
    if name.starts_with("settings.") {
        "settings"
    } else if name.starts_with("catalog.") {
        "catalog"
    } else if in_calendars {
        "calendar"
    } else if name.starts_with("ruleset.") {
        "manifest"
    } else if name.ends_with(".rhai") {
        "rule"
    } else if name.ends_with(".ftl") {
        "messages"
    } else {
        "rule-set"
    }
}

impl Diagnostic {
    /// An error in `path`, position unknown until [`Diagnostic::at`].
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        let path = path.into();
        Diagnostic {
            code: default_code(&path),
            path,
            line: None,
            column: None,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    /// Sets the stable code of this kind of problem, e.g. `unknown-function`.
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    /// A warning in `path`, position unknown until [`Diagnostic::at`].
    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    /// Sets the 1-based line and column, when known.
    pub fn at(mut self, line: Option<usize>, column: Option<usize>) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// Sets the position, when known.
    pub fn at_position(self, position: Option<Position>) -> Self {
        match position {
            Some(p) => self.at(Some(p.line), Some(p.column)),
            None => self,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {severity}: {}", self.message)
    }
}

/// A rule set that could not be loaded, with every problem found.
#[derive(Debug, Clone)]
pub struct LoadError {
    /// Every problem found, errors and warnings, in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadError {
    /// A load error of one problem.
    pub fn one(d: Diagnostic) -> Self {
        LoadError {
            diagnostics: vec![d],
        }
    }
}

impl From<Diagnostic> for LoadError {
    fn from(d: Diagnostic) -> Self {
        LoadError::one(d)
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for d in &self.diagnostics {
            if !first {
                writeln!(f)?;
            }
            first = false;
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_error_is_placed_at_a_character_never_at_column_0() {
        let at = |text: &str| {
            let e = serde_json::from_str::<serde_json::Value>(text).expect_err("bad JSON");
            Position::of_json_error(text, &e).map(|p| (p.line, p.column))
        };
        // Not closed: at the last character, with or without line ends after it.
        for text in [
            "{\n  \"id\": \"A\",\n  \"sources\": [",
            "{\n  \"id\": \"A\",\n  \"sources\": [\n",
            "{\r\n  \"id\": \"A\",\r\n  \"sources\": [\r\n\r\n  \n",
        ] {
            assert_eq!(at(text), Some((3, 14)), "{text:?}");
        }
        assert_eq!(at("{\"a\": \"ø\"   \n\n"), Some((1, 9)));
        assert_eq!(at("\n\n"), Some((1, 1)));
        assert_eq!(at("{\"a\": 1 \n  \"b\": 2}"), Some((2, 3)));
        // A line end inside a string: at that line end.
        assert_eq!(at("{\"a\": \"æøå\n\"}"), Some((1, 11)));
        // Columns count characters, not bytes.
        assert_eq!(at("{\"æøå\": 1 x}"), Some((1, 11)));
    }

    #[test]
    fn diagnostic_renders_path_line_column_severity_and_message() {
        let d = Diagnostic::error("rules/niph/deadline.rhai", "expected ')'").at(Some(3), Some(7));
        assert_eq!(
            d.to_string(),
            "rules/niph/deadline.rhai:3:7: error: expected ')'"
        );
    }

    #[test]
    fn a_diagnostic_code_defaults_to_the_kind_of_file_and_can_be_set() {
        assert_eq!(
            Diagnostic::error("rules/settings.yaml", "x").code,
            "settings"
        );
        assert_eq!(Diagnostic::error("r/catalog.yaml", "x").code, "catalog");
        assert_eq!(
            Diagnostic::error("calendars/norway.yaml", "x").code,
            "calendar"
        );
        assert_eq!(
            Diagnostic::error("rules/ruleset.yaml", "x").code,
            "manifest"
        );
        assert_eq!(Diagnostic::error("rules/a/deadline.rhai", "x").code, "rule");
        assert_eq!(Diagnostic::error("rules", "x").code, "rule-set");
        let d = Diagnostic::warning("rules/a/b.rhai", "x").with_code("unknown-field");
        assert_eq!(d.code, "unknown-field");
        assert_eq!(d.to_string(), "rules/a/b.rhai: warning: x");
    }
}
