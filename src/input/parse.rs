//! One record's text to an [`Application`], or an [`InputError`] that names the
//! file, the line and column, the field and what was expected.

use super::{failed, InputErrorKind, InputRecord, MAX_NESTING, MAX_RECORD_BYTES};
use crate::model::application::{Application, Moment};
use crate::shape::{self, Category};
use crate::yaml;

/// Parses every document of a YAML stream (one record each). A stream of several
/// documents names each record by its first line (`file:12`).
pub fn parse_yaml_documents(path: &str, text: &str) -> Vec<InputRecord> {
    let mut records = Vec::new();
    let _ = super::read::read_yaml(path, text.as_bytes(), &mut |r| {
        records.push(r);
        std::ops::ControlFlow::Continue(())
    });
    records
}

/// Parses one YAML application document.
pub fn parse_yaml(path: &str, text: &str) -> InputRecord {
    parse_yaml_at(path, text, 0)
}

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
pub(super) fn surely_within(text: &str, limit: usize) -> bool {
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

/// Parses one YAML document whose first line is line `offset + 1` of the file.
pub(super) fn parse_yaml_at(path: &str, text: &str, offset: usize) -> InputRecord {
    let input = path.to_string();
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return failed(
            input,
            None,
            InputErrorKind::Syntax,
            format!("{path}: empty document; expected an application with id, submitted_at and data_kind"),
        );
    }
    if text.len() > MAX_RECORD_BYTES {
        return failed(
            input,
            id_line(text),
            InputErrorKind::TooLarge,
            format!(
                "{path}: the document holds {} bytes; expected at most {MAX_RECORD_BYTES}",
                text.len()
            ),
        );
    }
    if let Some((line, column)) = nested_deeper_than(text, MAX_NESTING) {
        let line = line + offset;
        return failed(
            input,
            id_line(text),
            InputErrorKind::TooLarge,
            format!("{path}:{line}:{column}: brackets nested more than {MAX_NESTING} deep; expected an application document"),
        );
    }
    let err = match yaml::from_str::<Application>(text) {
        Ok(app) => {
            return InputRecord {
                input,
                result: Ok(app),
            }
        }
        Err(err) => err,
    };
    let position = err.position();
    let line = position.map(|p| p.line + offset);
    let column = position.map(|p| p.column);
    // Read again without the application's shape: whether the text is YAML at all,
    // whether it is a map, and its `id`.
    let loose = yaml::from_str::<yaml::Value>(text);
    let application = match &loose {
        Ok(v) => v.str_at("id").map(str::to_string),
        Err(_) => id_line(text),
    };
    let kind = match &loose {
        Err(_) => InputErrorKind::Syntax,
        Ok(v) if !v.is_mapping() => InputErrorKind::InvalidValue,
        Ok(_) => kind_of(err.category()),
    };
    let message = without_reader_path(err.message());
    failed(
        input,
        application,
        kind,
        render(path, line, column, err.path(), &explain(kind, &message)),
    )
}

/// Parses one JSON application (a whole `.json` file, or one line of JSON Lines).
pub fn parse_json(path: &str, line_no: Option<usize>, text: &str) -> InputRecord {
    json_at(at(path, line_no), path, line_no, 0, text)
}

/// Parses line `line_no` of a JSON Lines file, named `input` (`path:line_no`).
pub(super) fn parse_json_line(
    input: String,
    path: &str,
    line_no: usize,
    text: &str,
) -> InputRecord {
    json_at(input, path, Some(line_no), 0, text)
}

/// Parses one JSON application spread over lines, whose first line is line
/// `offset + 1` of its stream.
pub(super) fn parse_json_at(path: &str, offset: usize, text: &str) -> InputRecord {
    json_at(path.to_string(), path, None, offset, text)
}

/// Parses one JSON application named `input` in error records and decisions.
fn json_at(
    input: String,
    path: &str,
    line_no: Option<usize>,
    offset: usize,
    text: &str,
) -> InputRecord {
    let first = text.trim_start().chars().next();
    if first.is_some() && first != Some('{') {
        let column = text.len() - text.trim_start().len() + 1;
        let line = line_no.or(Some(offset + 1 + text[..column - 1].matches('\n').count()));
        let hint = if first == Some('[') && line_no.is_none() {
            "; a .json file holds one application (use .jsonl, one per line, for many)"
        } else {
            ""
        };
        return failed(
            input,
            None,
            if first == Some('[') {
                InputErrorKind::InvalidValue
            } else {
                InputErrorKind::Syntax
            },
            render(
                path,
                line,
                Some(1),
                "",
                &format!("expected an application object {{…}}{hint}"),
            ),
        );
    }
    if let Some((line, column)) = json_nested_deeper_than(text, MAX_NESTING) {
        return failed(
            input,
            None,
            InputErrorKind::TooLarge,
            render(
                path,
                line_no.or(Some(offset + line)),
                Some(column),
                "",
                &format!(
                    "brackets nested more than {MAX_NESTING} deep; expected an application object"
                ),
            ),
        );
    }
    // Most records are good: read them without keeping the path to each value,
    // and read again with it only to say where a bad one went wrong.
    if let Ok(app) = serde_json::from_str::<Application>(text) {
        return InputRecord {
            input,
            result: Ok(app),
        };
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = shape::deserialize::<Application, _>(&mut de).and_then(|app| {
        de.end().map(|_| app).map_err(|error| shape::Failure {
            error,
            path: String::new(),
            category: Category::Reader,
        })
    });
    let failure = match parsed {
        Ok(app) => {
            return InputRecord {
                input,
                result: Ok(app),
            }
        }
        Err(failure) => failure,
    };
    let inner = &failure.error;
    let (line, column) = match line_no {
        Some(n) => (Some(n), Some(inner.column())),
        None => (Some(offset + inner.line()), Some(inner.column())),
    };
    // Read again without the application's shape: whether the text is JSON, and
    // its `id`.
    let loose = serde_json::from_str::<serde_json::Value>(text).ok();
    let application = loose
        .as_ref()
        .and_then(|v| v.get("id"))
        .and_then(|v| v.as_str())
        .map(str::to_string);
    let mut kind = match inner.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            InputErrorKind::Syntax
        }
        serde_json::error::Category::Io => InputErrorKind::Unreadable,
        serde_json::error::Category::Data => kind_of(failure.category),
    };
    let mut message = without_reader_path(without_position(&inner.to_string()));
    // serde_json reports a number or list where a word is expected (`"data_kind": 5`)
    // as a syntax error, though the document is well-formed JSON. A number out of
    // range (`1e999`) or a lone surrogate (`"\ud800"`) is a syntax error of its own,
    // which only reading the values finds.
    if kind == InputErrorKind::Syntax && !failure.path.is_empty() && loose.is_some() {
        kind = InputErrorKind::InvalidValue;
        message =
            "a value of the wrong type; expected one of the allowed words, as a string".to_string();
    }
    failed(
        input,
        application,
        kind,
        render(path, line, column, &failure.path, &explain(kind, &message)),
    )
}

/// The kind of a shape error in a document that did parse as YAML or JSON, from the
/// serde error the application's types raised.
fn kind_of(category: Category) -> InputErrorKind {
    match category {
        Category::MissingField(_) => InputErrorKind::MissingField,
        Category::UnknownField => InputErrorKind::UnknownField,
        Category::Custom { within: Some(name) } if name == Moment::SERDE_NAME => {
            InputErrorKind::InvalidTimestamp
        }
        _ => InputErrorKind::InvalidValue,
    }
}

/// The value of a top-level `id: …` line, for naming a document that is not valid
/// YAML in its error record.
pub(super) fn id_line(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let value = line.strip_prefix("id:")?.trim();
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        (!value.is_empty() && !value.contains(' ')).then(|| value.to_string())
    })
}

fn at(path: &str, line: Option<usize>) -> String {
    match line {
        Some(l) => format!("{path}:{l}"),
        None => path.to_string(),
    }
}

fn explain(kind: InputErrorKind, message: &str) -> String {
    // serde speaks of Rust types; people know maps.
    let message = message
        .replace(
            "expected struct Application",
            "expected an application (a map of fields)",
        )
        .replace("expected struct ", "expected a map: ")
        .replace(" as u128", "")
        .replace(" as i128", "");
    // Number types as people say them.
    let mut message = message;
    for (rust, words) in [
        ("expected i64", "expected a whole number"),
        ("expected i32", "expected a whole number"),
        ("expected u64", "expected a whole number, 0 or more"),
        ("expected u32", "expected a whole number, 0 or more"),
        ("expected u16", "expected a whole number, 0 or more"),
        ("expected u8", "expected a whole number, 0 or more"),
        ("expected f64", "expected a number"),
    ] {
        message = message.replace(rust, words);
    }
    match kind {
        InputErrorKind::Syntax => format!("not a readable YAML or JSON document: {message}"),
        _ => message,
    }
}

fn render(
    path: &str,
    line: Option<usize>,
    column: Option<usize>,
    field: &str,
    message: &str,
) -> String {
    let mut s = path.to_string();
    if let Some(l) = line {
        s.push_str(&format!(":{l}"));
        if let Some(c) = column {
            s.push_str(&format!(":{c}"));
        }
    }
    s.push_str(": ");
    if !field.is_empty() && field != "." && field != "?" {
        s.push_str(field);
        s.push_str(": ");
    }
    s.push_str(message);
    s
}

/// serde_json appends " at line L column C"; the position is already in front of
/// our message.
fn without_position(message: &str) -> &str {
    match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// The YAML reader puts its own path in front of a message
/// (`sources[0]: unknown field ...`) and offers the message no other way; the full
/// path is printed separately, so the reader's is dropped.
fn without_reader_path(message: &str) -> String {
    match message.split_once(": ") {
        Some((head, rest)) if !head.is_empty() && !head.contains(' ') && !head.contains('`') => {
            rest.to_string()
        }
        _ => message.to_string(),
    }
}
