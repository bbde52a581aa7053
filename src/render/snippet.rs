//! A problem shown where it is: the source line with a caret under the column, for
//! people reading `hds check` and rule errors in a terminal. Rendered with
//! annotate-snippets, the renderer rustc's own messages use.

use crate::error::Diagnostic;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// A problem for people: the one-line `path:line:column: severity: message`, then,
/// when the position and the file's text are known, the source line with a caret.
pub fn diagnostic(d: &Diagnostic, source: Option<&str>) -> String {
    let mut out = format!("{d}\n");
    if let (Some(text), Some(line)) = (source, d.line) {
        if let Some(shown) = excerpt(&d.path, text, line, d.column) {
            out.push_str(&shown);
            out.push('\n');
        }
    }
    out
}

/// The source excerpt for a problem at `line:column` (1-based) of `text`, shown
/// under the one-line message; `None` when the position is not in the text.
pub fn excerpt(path: &str, text: &str, line: usize, column: Option<usize>) -> Option<String> {
    let start = line_start(text, line)?;
    let line_text = text[start..].lines().next().unwrap_or_default();
    let column = column.unwrap_or(1).max(1);
    let offset = line_text
        .char_indices()
        .nth(column - 1)
        .map_or(line_text.len(), |(i, _)| i);
    let width = line_text[offset..].chars().next().map_or(0, char::len_utf8);
    let at = start + offset;
    let report = &[Group::with_level(Level::ERROR).element(
        Snippet::source(text)
            .path(path)
            .annotation(AnnotationKind::Primary.span(at..at + width)),
    )];
    Some(Renderer::plain().render(report))
}

/// The byte offset where 1-based `line` starts.
fn line_start(text: &str, line: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    if line == 1 {
        return Some(0);
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map(|(i, _)| i + 1)
        .filter(|i| *i <= text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caret_stands_under_the_column() {
        let text = "fn deadline(app, route) {\n    setting(\"no.such\")\n}\n";
        let shown = excerpt("rules/x/deadline.rhai", text, 2, Some(13)).expect("shown");
        println!("{shown}");
        let lines: Vec<&str> = shown.lines().collect();
        let source = lines
            .iter()
            .position(|l| l.contains("setting("))
            .expect("source line");
        let caret = lines[source + 1];
        let code_col = lines[source].find("\"no").expect("literal");
        assert_eq!(caret.find('^'), Some(code_col), "{shown}");
    }

    #[test]
    fn a_line_past_the_end_shows_nothing() {
        assert_eq!(excerpt("f", "one line\n", 5, Some(1)), None);
    }
}
