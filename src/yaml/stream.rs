//! Splitting a YAML stream into its documents.

use saphyr_parser::{Event, Parser, ScalarStyle};

/// One document of a stream, as a slice of the stream's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document<'a> {
    /// The document's text, starting at the beginning of a line of the stream.
    pub text: &'a str,
    /// How many lines of the stream come before `text`.
    pub line_offset: usize,
    /// The line that names the document: 1 for the first; for one that follows a
    /// `---` marker, the line after the marker, or the marker's own line when the
    /// document starts on it (`--- {id: A}`).
    pub first_line: usize,
    /// Nothing in it but comments and blank lines.
    pub blank: bool,
}

/// The byte offset where each line starts (line 1 at index 0). Lines end where the
/// parser ends them: at `\n`, `\r\n` or a lone `\r`.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|&(i, b)| *b == b'\n' || *b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
                .map(|(i, _)| i + 1),
        );
        Lines { text, starts }
    }

    /// The byte offset of 1-based `line`, or the end of the text past the last line.
    fn start(&self, line: usize) -> usize {
        self.starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The byte offset of character `column` (0-based) of `line`.
    fn byte(&self, line: usize, column: usize) -> usize {
        let start = self.start(line);
        let rest = &self.text[start..];
        let len = rest.find(['\n', '\r']).unwrap_or(rest.len());
        start
            + rest[..len]
                .char_indices()
                .nth(column)
                .map_or(len, |(i, _)| i)
    }

    fn text(&self, line: usize) -> &'a str {
        let start = self.start(line);
        let end = self.start(line + 1).min(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// The first line after `line` that is a `---` document marker.
    fn marker_after(&self, line: usize) -> Option<usize> {
        (line + 1..=self.starts.len()).find(|&l| is_marker(self.text(l)))
    }
}

fn is_marker(line: &str) -> bool {
    line == "---" || line.starts_with("--- ") || line.starts_with("---\t")
}

fn is_end_marker(line: &str) -> bool {
    line == "..." || line.starts_with("... ") || line.starts_with("...\t")
}

/// Whether a `---` line carries the start of its document after the marker.
fn content_on_marker(line: &str) -> bool {
    let rest = line.strip_prefix("---").unwrap_or("").trim();
    !rest.is_empty() && !rest.starts_with('#')
}

/// A document whose start has been seen.
struct Open {
    /// The `---` line, for an explicit document.
    marker: Option<usize>,
    /// The line the text starts on.
    line: usize,
    first_line: usize,
    blank: bool,
}

impl Open {
    /// A document starting on `line`: after a `---` marker when `explicit`, and the
    /// stream's first when `first`.
    fn new(lines: &Lines<'_>, line: usize, explicit: bool, first: bool) -> Open {
        if !explicit {
            return Open {
                marker: None,
                line: if first { 1 } else { line },
                first_line: if first { 1 } else { line },
                blank: true,
            };
        }
        let own = content_on_marker(lines.text(line));
        let start = if own { line } else { line + 1 };
        Open {
            marker: Some(line),
            line: start,
            first_line: start,
            blank: !own,
        }
    }

    fn close<'a>(self, lines: &Lines<'a>, end: usize) -> Document<'a> {
        let start = lines.start(self.line).min(end);
        Document {
            text: &lines.text[start..end],
            line_offset: self.line - 1,
            first_line: self.first_line,
            blank: self.blank,
        }
    }
}

/// Every document of a YAML stream, in order, blank ones included; a stream with no
/// document at all gives one blank document holding the whole text.
///
/// A document the parser cannot read ends at the next `---` line (a marker at the
/// start of a line always starts a document), and reading goes on from there, so
/// one broken document does not hide the others.
pub fn documents(text: &str) -> Vec<Document<'_>> {
    let whole = Document {
        text,
        line_offset: 0,
        first_line: 1,
        blank: super::is_blank(text),
    };
    let lines = Lines::new(text);
    let markers = (1..=lines.starts.len()).any(|l| {
        let t = lines.text(l);
        is_marker(t) || is_end_marker(t)
    });
    if !markers {
        return vec![whole];
    }
    let mut docs = Vec::new();
    let mut base = 1;
    loop {
        let offset = lines.start(base);
        let mut parser = Parser::new_from_str(&text[offset..]);
        let mut open: Option<Open> = None;
        // Where the next document starts, if the parser fails between documents.
        let mut resume = base;
        let mut failed = None;
        while let Some(item) = parser.next_event() {
            let (event, span) = match item {
                Ok(pair) => pair,
                Err(_) => {
                    failed = Some(open.take().map_or(resume, |o| o.marker.unwrap_or(o.line)));
                    break;
                }
            };
            let line = span.start.line() + base - 1;
            match event {
                Event::DocumentStart(explicit) => {
                    open = Some(Open::new(&lines, line, explicit, docs.is_empty()));
                }
                Event::DocumentEnd => {
                    if let Some(o) = open.take() {
                        docs.push(o.close(&lines, lines.byte(line, span.start.col())));
                    }
                    // After `...` the next document starts on the next line; otherwise
                    // this is the next document's `---`.
                    resume = if is_end_marker(lines.text(line)) {
                        line + 1
                    } else {
                        line
                    };
                }
                Event::StreamEnd => break,
                Event::Scalar(ref value, ScalarStyle::Plain, 0, None) if value.is_empty() => {}
                Event::StreamStart | Event::Nothing => {}
                _ => {
                    if let Some(o) = open.as_mut() {
                        o.blank = false;
                    }
                }
            }
        }
        let Some(start) = failed else {
            break;
        };
        let next = lines.marker_after(start);
        let end = next.map_or(text.len(), |l| lines.start(l));
        let marker = is_marker(lines.text(start));
        let mut doc = Open::new(&lines, start, marker, docs.is_empty()).close(&lines, end);
        doc.blank = false;
        docs.push(doc);
        match next {
            Some(l) => base = l,
            None => break,
        }
    }
    if docs.is_empty() {
        return vec![whole];
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(text: &str) -> Vec<(usize, usize, bool, String)> {
        documents(text)
            .into_iter()
            .map(|d| (d.first_line, d.line_offset, d.blank, d.text.to_string()))
            .collect()
    }

    #[test]
    fn a_stream_without_markers_is_one_document() {
        assert_eq!(summary("a: 1\n"), vec![(1, 0, false, "a: 1\n".into())]);
    }

    #[test]
    fn documents_are_named_by_the_line_after_their_marker() {
        let text = "a: 1\n---\nb: 2\n---\n# only a comment\n---\nc: 3\n";
        assert_eq!(
            summary(text),
            vec![
                (1, 0, false, "a: 1\n".into()),
                (3, 2, false, "b: 2\n".into()),
                (5, 4, true, "# only a comment\n".into()),
                (7, 6, false, "c: 3\n".into()),
            ]
        );
    }

    #[test]
    fn a_document_may_start_on_its_marker_line() {
        let text = "a: 1\n--- {b: 2}\n--- # note\nc: 3\n";
        assert_eq!(
            summary(text),
            vec![
                (1, 0, false, "a: 1\n".into()),
                (2, 1, false, "--- {b: 2}\n".into()),
                (4, 3, false, "c: 3\n".into()),
            ]
        );
    }

    #[test]
    fn a_leading_marker_and_an_end_marker_are_understood() {
        assert_eq!(
            summary("# head\n---\na: 1\n...\n"),
            vec![(3, 2, false, "a: 1\n".into())]
        );
        assert_eq!(
            summary("a: 1\n...\nb: 2\n"),
            vec![
                (1, 0, false, "a: 1\n".into()),
                (3, 2, false, "b: 2\n".into())
            ]
        );
    }

    #[test]
    fn a_directive_before_a_marker_does_not_confuse_the_split() {
        let text = "a: 1\n...\n%YAML 1.2\n---\nb: ø\n";
        let docs = summary(text);
        assert_eq!(docs.len(), 2, "{docs:?}");
        assert_eq!(docs[1].3, "b: ø\n");
    }

    #[test]
    fn a_broken_document_ends_at_the_next_marker_and_the_rest_is_read() {
        let text = "a: 1\n---\nb: [2\nc: 3\n---\nd: 4\n---\ne: {5\n";
        assert_eq!(
            summary(text),
            vec![
                (1, 0, false, "a: 1\n".into()),
                (3, 2, false, "b: [2\nc: 3\n".into()),
                (6, 5, false, "d: 4\n".into()),
                (8, 7, false, "e: {5\n".into()),
            ]
        );
        let broken_first = "a: [1\n---\nb: 2\n";
        assert_eq!(
            summary(broken_first),
            vec![
                (1, 0, false, "a: [1\n".into()),
                (3, 2, false, "b: 2\n".into())
            ]
        );
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "---\r# a comment\ra: 1\r---\r# only a comment\r---\rb: 2\r";
        assert_eq!(
            summary(text),
            vec![
                (2, 1, false, "# a comment\ra: 1\r".into()),
                (5, 4, true, "# only a comment\r".into()),
                (7, 6, false, "b: 2\r".into()),
            ]
        );
        assert_eq!(
            summary("# c\rid: A\r"),
            vec![(1, 0, false, "# c\rid: A\r".into())]
        );
        assert_eq!(
            summary("---\r# only a comment\r"),
            vec![(2, 1, true, "# only a comment\r".into())]
        );
    }

    #[test]
    fn a_stream_of_comments_is_one_blank_document() {
        assert_eq!(
            summary("# nothing\n"),
            vec![(1, 0, true, "# nothing\n".into())]
        );
        assert_eq!(
            summary("---\n# a\n---\n# b\n"),
            vec![(2, 1, true, "# a\n".into()), (4, 3, true, "# b\n".into())]
        );
    }

    #[test]
    fn garbage_never_panics() {
        let pieces = [
            "---",
            "...",
            "- ",
            ": ",
            "[",
            "]",
            "{",
            "}",
            "\n",
            "  ",
            "&a ",
            "*a",
            "!t ",
            "#",
            "'",
            "\"",
            "|",
            ">",
            "? ",
            "%YAML 1.2",
            "\t",
            "ø",
            "a",
            "\r\n",
        ];
        let mut seed: u64 = 7;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..24 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            let docs = documents(&text);
            assert!(!docs.is_empty(), "{text:?}");
            let _ = crate::yaml::Index::of(&text);
        }
    }
}
