//! The nesting guard: where `[`/`{` nest deeper than a reader should be asked to
//! follow, found before a document is read. The YAML reader's scanner slows with
//! the square of the flow depth, so a document nested thousands deep would stall
//! whatever reads it; [`from_str`](super::from_str) refuses one nested deeper than
//! [`MAX_NESTING`] at the bracket past the limit, and the readers of applications,
//! case files and scenarios check first to say so in their own words.

/// The deepest nesting of `[`/`{` accepted in a YAML or JSON document.
pub const MAX_NESTING: usize = 64;

/// Where flow collections (`[…]`, `{…}`) first nest more than `limit` deep in a
/// YAML document, as a YAML reader sees them: the line and column (from 1) of the
/// bracket that opens one too many. A guard, before the document is read, against
/// nesting that would exhaust the reader (whose scanner slows with the square of
/// the depth). A text with no more opening brackets than `limit` cannot nest that
/// deep, so most texts are answered by one count of them; most others by a count
/// line by line that follows quotes; the rest are read by an event parser that
/// stops at the first collection too deep. Quotes count only where YAML reads
/// them as quotes (`it's` is a plain word), so no apostrophe can hide brackets
/// from the guard.
pub fn nested_deeper_than(text: &str, limit: usize) -> Option<(usize, usize)> {
    if !more_opening_than(text, limit) {
        return None;
    }
    if surely_within(text, limit) {
        return None;
    }
    yaml_flow_deeper_than(text, limit)
}

/// Where `[`/`{` first nest more than `limit` deep outside the strings of a JSON
/// text (a string ends at its first unescaped `"`), as line and column from 1.
/// See [`nested_deeper_than`].
pub fn json_nested_deeper_than(text: &str, limit: usize) -> Option<(usize, usize)> {
    if !more_opening_than(text, limit) {
        return None;
    }
    past(text, limit, Quotes::Json).map(|at| line_column(text, at))
}

/// Whether `text` holds more than `limit` of `[` and `{`, wherever they are.
fn more_opening_than(text: &str, limit: usize) -> bool {
    memchr::memchr2_iter(b'[', b'{', text.as_bytes())
        .take(limit.saturating_add(1))
        .count()
        > limit
}

/// Whether counting brackets line by line proves that flow collections nest at
/// most `limit` deep; `false` when it cannot tell (the parser then decides).
///
/// The count never falls below the depth the reader sees. A `]` or `}` that
/// closes nothing can stand only in quoted text, a comment or a tag (a plain word
/// inside a flow collection ends at one), or outside every flow collection. So a
/// line without `"`, `'`, `#`, `!`, `&` or `*` is counted as it is. A line with
/// one is read quote by quote only when it starts outside every collection (count
/// 0), where a quote opens quoted text exactly where the reader's does: at the
/// start of a value (after the indentation, `- `, `? `, `: `, or inside a flow
/// collection `[`, `{` and `,`). Quoted text must close on its line; anything the
/// count cannot follow (an anchor, alias or tag, a line inside a collection left
/// open) is not sure.
pub(crate) fn surely_within(text: &str, limit: usize) -> bool {
    let mut depth = 0usize;
    for line in text.split('\n') {
        let special = line
            .bytes()
            .any(|b| matches!(b, b'"' | b'\'' | b'#' | b'!' | b'&' | b'*'));
        if !special {
            for b in line.bytes() {
                match b {
                    b'[' | b'{' => {
                        depth += 1;
                        if depth > limit {
                            return false;
                        }
                    }
                    b']' | b'}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
        } else if depth > 0 {
            return false;
        } else {
            match line_depth(line.as_bytes(), limit) {
                Some(d) => depth = d,
                None => return false,
            }
        }
    }
    true
}

/// The bracket count after `line`, a line that starts outside every collection,
/// read as [`surely_within`] says; `None` when the count cannot follow it or it
/// passes `limit`.
fn line_depth(line: &[u8], limit: usize) -> Option<usize> {
    let blank = |b: Option<&u8>| matches!(b, None | Some(b' ' | b'\t' | b'\r'));
    let (mut depth, mut i) = (0usize, 0usize);
    // Whether a value may start here (blanks keep it), and whether a blank came
    // just before (a comment starts at a `#` after one).
    let (mut value_start, mut after_blank) = (true, true);
    while let Some(&b) = line.get(i) {
        i += 1;
        match b {
            b' ' | b'\t' | b'\r' => {
                after_blank = true;
                continue;
            }
            b'#' if after_blank => return Some(depth),
            b'"' | b'\'' if value_start => i = quote_end(line, i, b)?,
            b'!' | b'&' | b'*' if value_start => return None,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return None;
                }
                value_start = true;
                after_blank = false;
                continue;
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth > 0 => {
                value_start = true;
                after_blank = false;
                continue;
            }
            b'-' | b'?' | b':' if blank(line.get(i)) && (value_start || b == b':') => {
                value_start = true;
                after_blank = false;
                continue;
            }
            _ => {}
        }
        value_start = false;
        after_blank = false;
    }
    Some(depth)
}

/// The index just past the quote `q` that closes quoted text whose content starts
/// at `i` on this line (`\\` escapes in `"…"`, `''` in `'…'`); `None` when it does
/// not close on the line.
fn quote_end(line: &[u8], mut i: usize, q: u8) -> Option<usize> {
    loop {
        let n = memchr::memchr2(q, b'\\', line.get(i..)?)?;
        let at = i + n;
        if line.get(at) == Some(&b'\\') {
            // A backslash escapes only in double quotes.
            i = at + if q == b'"' { 2 } else { 1 };
        } else if q == b'\'' && line.get(at + 1) == Some(&b'\'') {
            i = at + 2;
        } else {
            return Some(at + 1);
        }
    }
}

/// [`nested_deeper_than`] past its quick count: the collections a YAML event
/// parser finds, counting those that open with `[` or `{`. Text the parser cannot
/// read is judged by its brackets both with quoted text skipped and with quotes
/// read as any other character: either over `limit` is too deep (one can hide
/// brackets behind a stray quote, the other lose them to a `]` inside quotes).
fn yaml_flow_deeper_than(text: &str, limit: usize) -> Option<(usize, usize)> {
    use saphyr_parser::{Event, Parser};
    // A collection's span runs from its anchor or tag, if any, to the end of the
    // token that opens it: a flow collection's ends just after its bracket, a block
    // collection's is empty or ends after a `-`.
    let mut chars = CharCursor::new(text);
    let mut open: Vec<bool> = Vec::new();
    let mut depth = 0usize;
    let mut parser = Parser::new_from_str(text);
    while let Some(item) = parser.next_event() {
        let Ok((event, span)) = item else {
            return past(text, limit, Quotes::Yaml)
                .or_else(|| past(text, limit, Quotes::None))
                .map(|at| line_column(text, at));
        };
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let end = span.end.index();
                let flow = end > span.start.index()
                    && end
                        .checked_sub(1)
                        .and_then(|at| chars.at(at))
                        .is_some_and(|c| c == '[' || c == '{');
                open.push(flow);
                if flow {
                    depth += 1;
                    if depth > limit {
                        return Some((span.end.line(), span.end.col()));
                    }
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                depth -= usize::from(open.pop() == Some(true));
            }
            Event::StreamEnd => break,
            _ => {}
        }
    }
    None
}

/// The characters of a text by their index (as a YAML parser counts them), for
/// indexes asked in rising order: each step forward costs the characters passed,
/// so a whole document's collections are looked up in one pass over it.
struct CharCursor<'a> {
    text: &'a str,
    /// Every character is one byte, so an index is a byte offset.
    ascii: bool,
    /// The characters from index `next` on.
    rest: std::str::Chars<'a>,
    next: usize,
}

impl<'a> CharCursor<'a> {
    fn new(text: &'a str) -> Self {
        CharCursor {
            text,
            ascii: text.is_ascii(),
            rest: text.chars(),
            next: 0,
        }
    }

    /// The character at index `n`; an index behind the cursor starts again from the
    /// beginning.
    fn at(&mut self, n: usize) -> Option<char> {
        if self.ascii {
            return self.text.as_bytes().get(n).map(|&b| char::from(b));
        }
        if n < self.next {
            self.rest = self.text.chars();
            self.next = 0;
        }
        let c = self.rest.nth(n - self.next);
        self.next = n + 1;
        c
    }
}

/// What a bracket scan reads as quoted text, to skip.
#[derive(Clone, Copy, PartialEq)]
enum Quotes {
    /// JSON strings: `"…"`, over escaped characters (`\"`, `\\`).
    Json,
    /// Any `"…"` or `'…'` (a quote that never closes is read as a character).
    Yaml,
    /// Nothing: every bracket counts.
    None,
}

/// The byte offset of the first `[`/`{` that nests more than `limit` deep outside
/// the text `quotes` skips. Every byte looked for is ASCII, and no byte of a longer
/// UTF-8 character is, so the bytes can be read instead of the characters; quoted
/// text is skipped to its closing quote in one search.
fn past(text: &str, limit: usize, quotes: Quotes) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'"' if quotes == Quotes::Json => loop {
                match bytes
                    .get(i..)
                    .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
                {
                    Some(n) if bytes.get(i + n) == Some(&b'\\') => i += n + 2,
                    Some(n) => {
                        i += n + 1;
                        break;
                    }
                    None => return None,
                }
            },
            b'"' | b'\'' if quotes == Quotes::Yaml => {
                if let Some(n) = bytes.get(i..).and_then(|rest| memchr::memchr(b, rest)) {
                    i += n + 1;
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(i - 1);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The line and column (from 1, the column in characters) of byte `at`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// `[` nested `n` deep and closed again, for tests of the guard.
#[cfg(test)]
pub(crate) fn nested_brackets(n: usize) -> String {
    format!("{}{}", "[".repeat(n), "]".repeat(n))
}
