//! Problems found in rule-set files, each with the position it refers to.

use std::fmt;

/// How serious a [`Diagnostic`] is: an error stops the rule set from loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in a rule-set file, rendered as `path:line:column: severity: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: None,
            column: None,
            severity: Severity::Error,
            message: message.into(),
        }
    }

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

    /// Points at the first line of `text` that contains `needle` (for problems found
    /// after parsing, where the parser no longer knows the position).
    pub fn near(self, text: &str, needle: &str) -> Self {
        match find_line(text, needle) {
            Some((line, column)) => self.at(Some(line), Some(column)),
            None => self,
        }
    }

    /// Builds a diagnostic from a YAML parse or shape error.
    pub fn from_yaml(path: &str, err: &serde_yaml::Error) -> Self {
        let (line, column) = match err.location() {
            Some(loc) => (Some(loc.line()), Some(loc.column())),
            None => (None, None),
        };
        let message = strip_yaml_position(&err.to_string());
        Diagnostic::error(path, message).at(line, column)
    }
}

/// serde_yaml appends " at line L column C" to its messages; the position is already
/// in front of ours, so drop it from the text.
fn strip_yaml_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// 1-based line and column of the first occurrence of `needle` in `text`.
pub fn find_line(text: &str, needle: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        line.find(needle)
            .map(|col| (i + 1, line[..col].chars().count() + 1))
    })
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
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadError {
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
    fn diagnostic_renders_path_line_column_severity_and_message() {
        let d = Diagnostic::error("rules/niph/deadline.rhai", "expected ')'").at(Some(3), Some(7));
        assert_eq!(
            d.to_string(),
            "rules/niph/deadline.rhai:3:7: error: expected ')'"
        );
    }

    #[test]
    fn near_points_at_the_line_holding_the_text() {
        let text = "a: 1\nclosures:\n  - date: 2026-12-24\n";
        let d = Diagnostic::warning("c.yaml", "x").near(text, "2026-12-24");
        assert_eq!((d.line, d.column), (Some(3), Some(11)));
    }
}
