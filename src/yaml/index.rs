//! Where each key and value of a YAML document is written, by field path.

use super::Position;
use saphyr_parser::{Event, Parser, Span};

/// The positions of every node of one YAML document (the first of a stream).
///
/// Paths are written as `serde_path_to_error` writes them: map keys joined by `.`,
/// list items as `[n]` (`sources.npr.purposes[1]`); `.` or `` is the document
/// itself. An alias (`*name`) is one node: the path does not continue into what it
/// names. Text the parser cannot read ends the index where the problem is; what
/// came before is still indexed.
#[derive(Debug, Clone, Default)]
pub struct Index {
    nodes: Vec<Node>,
}

#[derive(Debug, Clone)]
struct Node {
    at: Position,
    key_at: Option<Position>,
    /// For a scalar: where its text starts and ends, in bytes from the start of the
    /// document (quotes included).
    bytes: Option<(usize, usize)>,
    children: Children,
}

#[derive(Debug, Clone)]
enum Children {
    Leaf,
    /// Entries in document order; a key given twice appears twice.
    Map(Vec<(String, usize)>),
    Seq(Vec<usize>),
}

/// A collection being filled while the events arrive.
struct Frame {
    node: usize,
    /// For a map: the key read, waiting for its value.
    key: Option<(String, Position)>,
}

/// A place in a text as a count of characters and as a byte offset, moved forward
/// to turn character counts into byte offsets.
#[derive(Default)]
struct ByteCursor {
    /// The text is all ASCII: each character is one byte.
    ascii: bool,
    chars: usize,
    byte: usize,
}

impl ByteCursor {
    /// The byte offset of character `n` of `text` (`text.len()` at or past its
    /// end). Moving forward costs the characters passed; a count behind the cursor
    /// starts again from the beginning.
    fn byte(&mut self, text: &str, n: usize) -> usize {
        if self.ascii {
            return n.min(text.len());
        }
        if n < self.chars {
            self.chars = 0;
            self.byte = 0;
        }
        let rest = text.get(self.byte..).unwrap_or("");
        match rest.char_indices().nth(n - self.chars) {
            Some((i, _)) => {
                self.byte += i;
                self.chars = n;
            }
            None => {
                self.chars += rest.chars().count();
                self.byte = text.len();
            }
        }
        self.byte.min(text.len())
    }
}

fn position(span: &Span) -> Position {
    Position {
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

impl Index {
    /// Indexes the first document of `text`.
    pub fn of(text: &str) -> Index {
        let mut index = Index::default();
        let mut stack: Vec<Frame> = Vec::new();
        // A key that is itself a list or map: how deep inside it the events are, and
        // where it started.
        let mut complex_key: Option<(usize, Position)> = None;
        let mut parser = Parser::new_from_str(text);
        // The parser counts characters; scalars come in document order, so a cursor
        // moving forward turns each count into a byte offset in one pass over `text`.
        let mut cursor = ByteCursor {
            ascii: text.is_ascii(),
            ..ByteCursor::default()
        };
        while let Some(Ok((event, span))) = parser.next_event() {
            let at = position(&span);
            if let Some((depth, key_at)) = complex_key.as_mut() {
                match event {
                    Event::MappingStart(..) | Event::SequenceStart(..) => *depth += 1,
                    Event::MappingEnd | Event::SequenceEnd => *depth = depth.saturating_sub(1),
                    _ => {}
                }
                if *depth == 0 {
                    let key_at = *key_at;
                    complex_key = None;
                    if let Some(frame) = stack.last_mut() {
                        frame.key = Some(("?".to_string(), key_at));
                    }
                }
                continue;
            }
            let children = match event {
                Event::DocumentEnd | Event::StreamEnd => break,
                Event::Scalar(..) | Event::Alias(..) => Children::Leaf,
                Event::MappingStart(..) => Children::Map(Vec::new()),
                Event::SequenceStart(..) => Children::Seq(Vec::new()),
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                    continue;
                }
                _ => continue,
            };
            let container = !matches!(children, Children::Leaf);
            // A map waiting for a key takes this node as its key.
            if let Some(frame) = stack.last_mut() {
                let is_map = matches!(index.nodes[frame.node].children, Children::Map(_));
                if is_map && frame.key.is_none() {
                    match event {
                        Event::Scalar(value, ..) => frame.key = Some((value.into_owned(), at)),
                        Event::Alias(..) => frame.key = Some(("?".to_string(), at)),
                        _ => complex_key = Some((1, at)),
                    }
                    continue;
                }
            }
            let id = index.nodes.len();
            let mut key_at = None;
            if let Some(frame) = stack.last_mut() {
                match (&mut index.nodes[frame.node].children, frame.key.take()) {
                    (Children::Map(entries), Some((key, k_at))) => {
                        entries.push((key, id));
                        key_at = Some(k_at);
                    }
                    (Children::Seq(items), _) => items.push(id),
                    _ => {}
                }
            } else if !index.nodes.is_empty() {
                // A second root cannot happen within one document.
                break;
            }
            let bytes = matches!(event, Event::Scalar(..)).then(|| {
                let start = cursor.byte(text, span.start.index());
                (start, cursor.byte(text, span.end.index()))
            });
            index.nodes.push(Node {
                at,
                key_at,
                bytes,
                children,
            });
            if container {
                stack.push(Frame {
                    node: id,
                    key: None,
                });
            }
        }
        index
    }

    /// The node at `path`, following first appearances of keys.
    fn node(&self, path: &str) -> Option<&Node> {
        let nodes = self.trail(path)?;
        if nodes.len() == steps(path).len() + 1 {
            nodes.last().map(|&i| &self.nodes[i])
        } else {
            None
        }
    }

    /// The nodes from the root along `path`, as far as they exist.
    fn trail(&self, path: &str) -> Option<Vec<usize>> {
        self.nodes.first()?;
        let mut trail = vec![0];
        let mut current = 0;
        for step in steps(path) {
            let next = match (&self.nodes[current].children, step) {
                (Children::Map(entries), Step::Key(k)) => {
                    entries.iter().find(|(key, _)| key == k).map(|(_, i)| *i)
                }
                (Children::Seq(items), Step::Item(n)) => items.get(n).copied(),
                _ => None,
            };
            match next {
                Some(i) => {
                    trail.push(i);
                    current = i;
                }
                None => break,
            }
        }
        Some(trail)
    }

    /// Where the value at `path` starts.
    pub fn value(&self, path: &str) -> Option<Position> {
        self.node(path).map(|n| n.at)
    }

    /// The text of the scalar at `path` as written in `text` (the text indexed), as
    /// a byte range: a plain value, or a quoted one with its quotes. `None` for a
    /// map, a list, an alias, or a path not written out.
    pub fn scalar_range(&self, path: &str, text: &str) -> Option<std::ops::Range<usize>> {
        let (start, end) = self.node(path)?.bytes?;
        let range = start..end;
        text.get(range.clone()).map(|_| range)
    }

    /// Where the entry at `path` is written: its key in a map, the item itself in a
    /// list.
    pub fn key(&self, path: &str) -> Option<Position> {
        self.node(path).map(|n| n.key_at.unwrap_or(n.at))
    }

    /// Where the value at `path` starts or, when the path leads through something
    /// not written out here (a key left to its default, or the inside of an alias),
    /// where the last entry on the way that is written out is.
    pub fn nearest(&self, path: &str) -> Option<Position> {
        let trail = self.trail(path)?;
        let node = &self.nodes[*trail.last()?];
        if trail.len() == steps(path).len() + 1 {
            Some(node.at)
        } else {
            Some(node.key_at.unwrap_or(node.at))
        }
    }

    /// Every key given again in the same map, in document order: the path of the
    /// entry (`sources.hunt`), where it is given again, and where it was first
    /// given. A reader keeps only one of the two values, so policy staff must hear
    /// of it.
    pub fn repeated_keys(&self) -> Vec<(String, Position, Position)> {
        let mut found = Vec::new();
        if !self.nodes.is_empty() {
            self.repeated_under(0, "", &mut found);
        }
        found
    }

    fn repeated_under(
        &self,
        node: usize,
        path: &str,
        found: &mut Vec<(String, Position, Position)>,
    ) {
        let join = |step: &str| {
            if path.is_empty() {
                step.to_string()
            } else if step.starts_with('[') {
                format!("{path}{step}")
            } else {
                format!("{path}.{step}")
            }
        };
        match &self.nodes[node].children {
            Children::Leaf => {}
            Children::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.repeated_under(*item, &join(&format!("[{i}]")), found);
                }
            }
            Children::Map(entries) => {
                for (n, (key, child)) in entries.iter().enumerate() {
                    let first = entries[..n].iter().find(|(k, _)| k == key);
                    match first {
                        Some((_, earlier)) => {
                            let at = |i: usize| self.nodes[i].key_at.unwrap_or(self.nodes[i].at);
                            found.push((join(key), at(*child), at(*earlier)));
                        }
                        None => self.repeated_under(*child, &join(key), found),
                    }
                }
            }
        }
    }

    /// Where `key` appears for the second time in the map at `path`.
    pub fn key_again(&self, path: &str, key: &str) -> Option<Position> {
        let Children::Map(entries) = &self.node(path)?.children else {
            return None;
        };
        entries
            .iter()
            .filter(|(k, _)| k == key)
            .nth(1)
            .and_then(|(_, i)| self.nodes[*i].key_at)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step<'a> {
    Key(&'a str),
    Item(usize),
}

/// `a.b[2].c` as steps; `.` and `` are the document itself.
fn steps(path: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    if path.is_empty() || path == "." {
        return out;
    }
    for segment in path.split('.') {
        let (name, mut rest) = match segment.find('[') {
            Some(i) => segment.split_at(i),
            None => (segment, ""),
        };
        let mut items = Vec::new();
        while let Some(inner) = rest.strip_prefix('[') {
            let Some((n, after)) = inner.split_once(']') else {
                break;
            };
            let Ok(n) = n.parse() else {
                break;
            };
            items.push(Step::Item(n));
            rest = after;
        }
        if !rest.is_empty() {
            // Not `name[n]...`: the whole segment is a key.
            out.push(Step::Key(segment));
            continue;
        }
        if !name.is_empty() {
            out.push(Step::Key(name));
        }
        out.extend(items);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: usize, column: usize) -> Option<Position> {
        Some(Position { line, column })
    }

    const TEXT: &str = "\
# sources: npr is mentioned in a comment first
purposes: &all [research, statistics]
sources:
  npr:
    custodian:
      - {custodian: a, until: 2023-12-31}
      - custodian: b
        from: 2024-01-01
    purposes: *all
holidays:
  - {name: New Year, date: 01-01}
  - name: Labour Day
    date: 05-01
";

    #[test]
    fn paths_lead_to_keys_and_values() {
        let i = Index::of(TEXT);
        assert_eq!(i.key("sources.npr"), p(4, 3));
        assert_eq!(i.value("sources.npr.custodian[0].until"), p(6, 31));
        assert_eq!(i.key("sources.npr.custodian[1].custodian"), p(7, 9));
        assert_eq!(i.value("sources.npr.custodian[1].custodian"), p(7, 20));
        assert_eq!(i.value("holidays[1].date"), p(13, 11));
        assert_eq!(i.value("holidays[0]"), p(11, 5));
        assert_eq!(i.key("holidays[1]"), p(12, 5));
        assert_eq!(i.value("purposes[1]"), p(2, 27));
        assert_eq!(i.value("."), p(2, 1));
    }

    #[test]
    fn a_path_that_is_not_written_out_has_no_position_but_a_nearest_node() {
        let i = Index::of(TEXT);
        assert_eq!(i.value("sources.npr.purposes[0]"), None);
        assert_eq!(i.nearest("sources.npr.purposes[0]"), p(9, 5));
        assert_eq!(i.value("sources.msis"), None);
        assert_eq!(i.nearest("sources.msis.form"), p(3, 1));
        assert_eq!(i.nearest("sources.npr.custodian"), p(6, 7));
        assert_eq!(i.value("holidays[7]"), None);
    }

    #[test]
    fn a_key_given_again_is_found_in_its_own_map() {
        let text = "a:\n  x: 1\nb:\n  y: 1\n  # x: 0\n  x: 2\n  x: 3\n";
        let i = Index::of(text);
        assert_eq!(i.key_again("b", "x"), p(7, 3));
        assert_eq!(i.key_again("a", "x"), None);
        assert_eq!(i.key_again(".", "b"), None);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let i = Index::of("navn: «Ærlig»\nid: x\nå: [ø, y]\n");
        assert_eq!(i.value("å[1]"), p(3, 8));
    }

    #[test]
    fn complex_keys_are_skipped_and_broken_text_keeps_what_came_before() {
        let i = Index::of("? [a, b]\n: 1\nc: 2\n");
        assert_eq!(i.value("c"), p(3, 4));
        let i = Index::of("a: 1\nb: [2\nc: 3\n");
        assert_eq!(i.value("a"), p(1, 4));
        assert_eq!(i.value("c"), None);
    }

    #[test]
    fn only_the_first_document_is_indexed() {
        let i = Index::of("a: 1\n---\nb: 2\n");
        assert_eq!(i.value("a"), p(1, 4));
        assert_eq!(i.value("b"), None);
    }

    #[test]
    fn a_scalar_range_covers_its_text_and_quotes() {
        let text = "a: 2026-06-08\nb: {c: \"3000.00\", d: 'x y'}\ne: [plain words, 1]\nø: «å»  # c\nf: {g: h}\n";
        let i = Index::of(text);
        let at = |p: &str| i.scalar_range(p, text).map(|r| &text[r]);
        assert_eq!(at("a"), Some("2026-06-08"));
        assert_eq!(at("b.c"), Some("\"3000.00\""));
        assert_eq!(at("b.d"), Some("'x y'"));
        assert_eq!(at("e[0]"), Some("plain words"));
        assert_eq!(at("e[1]"), Some("1"));
        assert_eq!(at("ø"), Some("«å»"));
        // After characters of two bytes, and when asked out of order.
        assert_eq!(at("f.g"), Some("h"));
        assert_eq!(at("b.d"), Some("'x y'"));
        assert_eq!(at("f"), None);
        assert_eq!(at("z"), None);
    }

    #[test]
    fn paths_are_read_like_serde_path_to_error_writes_them() {
        assert_eq!(
            steps("sources[0].variables[2]"),
            vec![
                Step::Key("sources"),
                Step::Item(0),
                Step::Key("variables"),
                Step::Item(2)
            ]
        );
        assert_eq!(steps("[1].a"), vec![Step::Item(1), Step::Key("a")]);
        assert_eq!(steps("a[x]"), vec![Step::Key("a[x]")]);
        assert!(steps(".").is_empty());
    }

    #[test]
    fn a_key_given_twice_is_found_with_both_places() {
        let index = Index::of("a:\n  b: 1\n  c: 2\n  b: 3\nd: [ {x: 1, x: 2} ]\n");
        let found: Vec<(String, usize, usize)> = index
            .repeated_keys()
            .into_iter()
            .map(|(p, again, first)| (p, again.line, first.line))
            .collect();
        assert_eq!(
            found,
            vec![("a.b".to_string(), 4, 2), ("d[0].x".to_string(), 5, 5)]
        );
    }
}
