//! Problems found in rule-set files, each with the position it refers to.

use crate::yaml::{self, Position};
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

    /// Sets the position, when known.
    pub fn at_position(self, position: Option<Position>) -> Self {
        match position {
            Some(p) => self.at(Some(p.line), Some(p.column)),
            None => self,
        }
    }

    /// Points at the first line of `text` that contains `needle`, for problems in
    /// script text found after compiling it. A YAML file points at the node itself
    /// through [`crate::yaml::Index`] instead.
    pub fn near(self, text: &str, needle: &str) -> Self {
        match find_line(text, needle) {
            Some((line, column)) => self.at(Some(line), Some(column)),
            None => self,
        }
    }

    /// Builds a diagnostic from a YAML error: the reader's message at its position.
    pub fn from_yaml(path: &str, err: &yaml::Error) -> Self {
        Diagnostic::error(path, err.message()).at_position(err.position())
    }
}

/// 1-based line and column of the first occurrence of `needle` in `text`.
fn find_line(text: &str, needle: &str) -> Option<(usize, usize)> {
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
        let text = "// routing\nfn routing(app, sources) {\n    []\n}\n";
        let d = Diagnostic::warning("r.rhai", "x").near(text, "fn routing");
        assert_eq!((d.line, d.column), (Some(2), Some(1)));
    }

    #[test]
    fn a_yaml_error_keeps_the_readers_message_and_position() {
        let err = yaml::from_str::<std::collections::BTreeMap<String, u32>>("a: 1\nb: x\n")
            .expect_err("not a number");
        let d = Diagnostic::from_yaml("f.yaml", &err);
        assert_eq!(
            d.to_string(),
            "f.yaml:2:4: error: b: invalid type: string \"x\", expected u32"
        );
    }
}
