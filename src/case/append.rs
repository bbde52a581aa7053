//! Adding an event to the text of a case file, keeping everything already written.
//!
//! YAML: the event becomes one flow-style line, `  - {date: …, kind: …, …}`, after
//! the last event of the `events` list (with that list's indentation, after any
//! comment lines that follow the last event directly), inside a flow list
//! (`events: [ … ]`) before its closing bracket, in place of an empty list
//! (`events: []`, `events:`, `events: ~`), or in a new `events:` list at the end of
//! the file. Every other byte of the file is kept, comments, blank lines and line
//! endings included. JSON: the document is written again, two-space indented, with
//! its keys in their order.

use super::file::Format;
use crate::yaml::{Index, Position};

/// A value of a new event as it will be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Free text (a reason, a note, a file name): always quoted.
    Text(String),
    /// A date, an id or a word: written plain when a reader takes it back as the
    /// same text, else quoted.
    Plain(String),
    /// A number (hours): written plain when it is a plain decimal, else quoted (in
    /// JSON: a string), so the reader takes it as the text typed and names the
    /// mistake rather than reading `0x10` as 16 or `1e3` as 1000.
    Number(String),
    /// A map of fields (`attachment`), in order.
    Map(Vec<(String, Value)>),
}

/// An event to add, as its fields in the order they are written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewEvent {
    /// The fields, `date` and `kind` first.
    pub fields: Vec<(String, Value)>,
}

impl NewEvent {
    /// The event as one YAML flow map: `{date: 2026-05-29, kind: postponed, …}`.
    pub fn to_yaml(&self) -> String {
        flow_map(&self.fields)
    }

    /// The event as a JSON object, fields in order.
    pub fn to_json(&self) -> serde_json::Value {
        json_map(&self.fields)
    }
}

fn flow_map(fields: &[(String, Value)]) -> String {
    let parts: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}: {}", scalar(k, false), v.to_yaml()))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

fn json_map(fields: &[(String, Value)]) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for (k, v) in fields {
        let value = match v {
            Value::Text(s) | Value::Plain(s) => serde_json::Value::String(s.clone()),
            Value::Number(s) => match serde_json::from_str::<serde_json::Number>(s) {
                Ok(n) if plain_decimal(s) => serde_json::Value::Number(n),
                _ => serde_json::Value::String(s.clone()),
            },
            Value::Map(inner) => json_map(inner),
        };
        map.insert(k.clone(), value);
    }
    serde_json::Value::Object(map)
}

impl Value {
    /// The value as YAML text.
    pub fn to_yaml(&self) -> String {
        match self {
            Value::Text(s) => quoted(s),
            Value::Plain(s) => scalar(s, false),
            Value::Number(s) => scalar(s, true),
            Value::Map(fields) => flow_map(fields),
        }
    }
}

/// `text` as a YAML scalar: plain when a YAML reader takes it back as the same text
/// (or, for a number, as a decimal number of the same value), else double-quoted, so
/// that `0x10`, `1e3`, `.inf`, `010`, `yes`, `~` or `null` read back as the text
/// typed rather than as a number, a boolean or nothing.
pub fn scalar(text: &str, number: bool) -> String {
    let plain = if number {
        plain_decimal(text)
    } else {
        plain_text(text)
    };
    if plain {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// Words a YAML reader (1.1 or 1.2) takes, written plain, as a boolean or as
/// nothing; compared without case.
const RESERVED: &[&str] = &["true", "false", "null", "yes", "no", "on", "off", "y", "n"];

/// Whether `text`, written plain, reads as the same text: letters, digits, `_`,
/// `.`, `/` and `-` only; starting with a letter, `_`, `/`, `./` or `..`, or a date
/// `YYYY-MM-DD`; and not a word YAML reads as a boolean or null. Anything starting
/// with a digit, a sign or a dot may read as a number (`0x10`, `1e3`, `.inf`), so it
/// is quoted.
fn plain_text(text: &str) -> bool {
    let safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '-');
    if text.is_empty()
        || !text.chars().all(safe)
        || RESERVED.contains(&text.to_ascii_lowercase().as_str())
    {
        return false;
    }
    match text.as_bytes()[0] {
        b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'/' => true,
        b'.' => text.starts_with("./") || text.starts_with(".."),
        b'0'..=b'9' => is_date(text),
        _ => false,
    }
}

/// `YYYY-MM-DD` by its shape.
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// Whether `text` is a plain decimal, which YAML and JSON read as a number of the
/// same value and which is written back the same: an optional `-`, digits without a
/// leading zero (but `0` itself), an optional `.` and digits; at most 15 digits, all
/// a double holds exactly enough to write them back. `0x10`, `1e3`, `.5`, `+1`,
/// `010` or `1.` are not.
fn plain_decimal(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole)
        && (whole == "0" || !whole.starts_with('0'))
        && fraction.is_none_or(digits)
        && whole.len() + fraction.map_or(0, str::len) <= 15
}

/// Double-quoted, with every character a YAML reader would refuse or fold escaped:
/// control characters (C0, DEL and C1, the next line `U+0085` among them), the line
/// and paragraph separators, and the noncharacters `U+FFFE` and `U+FFFF`.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c < ' '
                || ('\u{7f}'..='\u{9f}').contains(&c)
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}') =>
            {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The text of a case file with `event` added as its last event, and the line
/// where the event starts (YAML), or why it cannot be placed.
pub fn append(
    text: &str,
    format: Format,
    event: &NewEvent,
) -> Result<(String, Option<usize>), String> {
    match format {
        Format::Json => append_json(text, event).map(|t| (t, None)),
        Format::Yaml => append_yaml(text, &event.to_yaml()).map(|(t, l)| (t, Some(l))),
    }
}

fn append_json(text: &str, event: &NewEvent) -> Result<String, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut doc: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not a readable JSON document: {e}"))?;
    let Some(map) = doc.as_object_mut() else {
        return Err("expected a JSON object".to_string());
    };
    let events = map
        .entry("events")
        .or_insert_with(|| serde_json::Value::Array(Vec::new()));
    if events.is_null() {
        *events = serde_json::Value::Array(Vec::new());
    }
    let Some(list) = events.as_array_mut() else {
        return Err("`events` is not a list".to_string());
    };
    list.push(event.to_json());
    serde_json::to_string_pretty(&doc)
        .map(|t| t + "\n")
        .map_err(|e| format!("cannot write JSON: {e}"))
}

/// The lines of a text, each with its line ending: `\n`, `\r\n` or a lone `\r`, as
/// the YAML reader ends lines, so its positions fall on these lines.
struct Lines<'a> {
    lines: Vec<&'a str>,
    /// The byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn of(text: &'a str) -> Lines<'a> {
        let bytes = text.as_bytes();
        let mut lines = Vec::new();
        let mut starts = Vec::new();
        let mut start = 0;
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'\n' || *b == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
                starts.push(start);
                lines.push(&text[start..=i]);
                start = i + 1;
            }
        }
        if start < text.len() {
            starts.push(start);
            lines.push(&text[start..]);
        }
        Lines { lines, starts }
    }

    /// Line `n` (from 1) without its ending.
    fn content(&self, n: usize) -> &'a str {
        self.lines
            .get(n.wrapping_sub(1))
            .map_or("", |l| l.trim_end_matches(['\n', '\r']))
    }

    /// The byte offset of a position (columns count characters).
    fn offset(&self, p: Position) -> Option<usize> {
        let line = self.lines.get(p.line.checked_sub(1)?)?;
        let within = line.char_indices().nth(p.column.checked_sub(1)?)?.0;
        Some(self.start(p.line)? + within)
    }

    /// The byte offset where line `n` (from 1) starts.
    fn start(&self, n: usize) -> Option<usize> {
        self.starts.get(n.checked_sub(1)?).copied()
    }

    /// The byte offset just after line `n` (from 1), ending included.
    fn end_of(&self, n: usize) -> Option<usize> {
        Some(self.start(n)? + self.lines.get(n - 1)?.len())
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// `text` with `event` (one YAML flow map) added as the last event, and the line
/// where it starts.
fn append_yaml(text: &str, event: &str) -> Result<(String, usize), String> {
    let eol = if text.contains("\r\n") {
        "\r\n"
    } else if text.contains('\r') {
        "\r"
    } else {
        "\n"
    };
    let index = Index::of(text);
    let lines = Lines::of(text);
    let Some(key) = index.key("events") else {
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with(['\n', '\r']) {
            out.push_str(eol);
        }
        let line = Lines::of(&out).lines.len() + 2;
        out.push_str(&format!("events:{eol}  - {event}{eol}"));
        return Ok((out, line));
    };
    let count = (0..)
        .take_while(|i| index.value(&format!("events[{i}]")).is_some())
        .count();
    if count == 0 {
        return replace_empty(text, &lines, key, event, eol);
    }
    let last = index
        .value(&format!("events[{}]", count - 1))
        .ok_or("the last event has no position")?;
    let value = index.value("events").ok_or("`events` has no position")?;
    let opens_flow = lines
        .offset(value)
        .is_some_and(|at| text[at..].starts_with('['));
    if opens_flow {
        let open = lines.offset(value).ok_or("`events` has no position")?;
        let close = closing_bracket(text, open).ok_or("the list of events is not closed")?;
        let before = text[..close].trim_end();
        let mut out = String::with_capacity(text.len() + event.len() + 2);
        out.push_str(before);
        out.push_str(", ");
        out.push_str(event);
        out.push_str(&text[before.len()..]);
        let line = Lines::of(before).lines.len();
        return Ok((out, line));
    }
    // A block list: the event goes after the last event's own lines.
    let dash_line = (1..=last.line)
        .rev()
        .find(|&n| {
            let l = lines.content(n);
            if n == last.line {
                let before: String = l.chars().take(last.column.saturating_sub(1)).collect();
                before.trim_end().ends_with('-')
            } else {
                l.trim_start().starts_with('-')
            }
        })
        .ok_or("no `-` before the last event")?;
    let dash_indent = indent(lines.content(dash_line));
    let total = lines.lines.len();
    let mut end = last.line;
    for n in last.line + 1..=total {
        let l = lines.content(n);
        if is_blank_or_comment(l) {
            continue;
        }
        if indent(l) > dash_indent {
            end = n;
        } else {
            break;
        }
    }
    // Comment lines right after the last event, at the list's indentation, are
    // about it: they stay with it.
    while end < total {
        let l = lines.content(end + 1);
        let i = indent(l);
        if l.trim_start().starts_with('#') && i > 0 && i >= dash_indent {
            end += 1;
        } else {
            break;
        }
    }
    let at = lines
        .end_of(end)
        .ok_or("the last event is past the end of the file")?;
    let mut out = String::with_capacity(text.len() + event.len() + 8);
    out.push_str(&text[..at]);
    if !out.ends_with(['\n', '\r']) {
        out.push_str(eol);
    }
    out.push_str(&" ".repeat(dash_indent));
    out.push_str("- ");
    out.push_str(event);
    out.push_str(eol);
    out.push_str(&text[at..]);
    Ok((out, end + 1))
}

/// `events:` with no event (no value, `~`, `null` or `[]`) becomes a list of one.
fn replace_empty(
    text: &str,
    lines: &Lines<'_>,
    key: Position,
    event: &str,
    eol: &str,
) -> Result<(String, usize), String> {
    let content = lines.content(key.line);
    let no_position = "`events` has no position";
    let start = lines.start(key.line).ok_or(no_position)?;
    let key_at = lines.offset(key).ok_or(no_position)? - start;
    let colon = content[key_at..]
        .find(':')
        .map(|c| key_at + c)
        .ok_or("no `:` after `events`")?;
    let rest = &content[colon + 1..];
    let (value, comment) = match rest.find(" #").or_else(|| rest.find("\t#")) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None if rest.trim_start().starts_with('#') => ("", rest.trim()),
        None => (rest, ""),
    };
    let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    if !["", "~", "null", "Null", "NULL", "[]"].contains(&value.as_str()) {
        return Err(format!("`events: {}` is not a list", value));
    }
    let mut key_line = content[..colon + 1].to_string();
    if !comment.is_empty() {
        key_line.push(' ');
        key_line.push_str(comment);
    }
    let end = lines.end_of(key.line).ok_or(no_position)?;
    let mut out = String::with_capacity(text.len() + event.len() + 8);
    out.push_str(&text[..start]);
    out.push_str(&key_line);
    out.push_str(eol);
    out.push_str(&" ".repeat(indent(content) + 2));
    out.push_str("- ");
    out.push_str(event);
    out.push_str(eol);
    out.push_str(&text[end..]);
    Ok((out, key.line + 1))
}

/// The byte offset of the `]` that closes the `[` at `open`, skipping quoted text
/// and comments.
fn closing_bracket(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut chars = text[open..].char_indices().peekable();
    let mut previous = ' ';
    while let Some((i, c)) = chars.next() {
        match c {
            '[' | '{' => depth += 1,
            ']' | '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return (c == ']').then_some(open + i);
                }
            }
            '"' => {
                while let Some((_, q)) = chars.next() {
                    match q {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '\'' => {
                while let Some((_, q)) = chars.next() {
                    if q == '\'' {
                        if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                            chars.next();
                        } else {
                            break;
                        }
                    }
                }
            }
            '#' if previous.is_whitespace() => {
                for (_, q) in chars.by_ref() {
                    if q == '\n' || q == '\r' {
                        break;
                    }
                }
            }
            _ => {}
        }
        previous = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> NewEvent {
        NewEvent {
            fields: vec![
                ("date".into(), Value::Plain("2026-05-29".into())),
                ("kind".into(), Value::Plain("postponed".into())),
                ("route".into(), Value::Plain("niph".into())),
                ("until".into(), Value::Plain("2026-09-01".into())),
                ("reason".into(), Value::Text("A new key: \"NPR\"".into())),
            ],
        }
    }

    const LINE: &str = r#"{date: 2026-05-29, kind: postponed, route: niph, until: 2026-09-01, reason: "A new key: \"NPR\""}"#;

    fn yaml(text: &str) -> (String, Option<usize>) {
        append(text, Format::Yaml, &event()).expect("placed")
    }

    #[test]
    fn an_event_is_written_as_one_flow_line() {
        assert_eq!(event().to_yaml(), LINE);
        assert_eq!(scalar("../linked-niph.yaml", false), "../linked-niph.yaml");
        assert_eq!(scalar("null", false), "\"null\"");
        assert_eq!(
            scalar("2026-03-02T09:15:00+01:00", false),
            "\"2026-03-02T09:15:00+01:00\""
        );
        assert_eq!(scalar(".inf", false), "\".inf\"");
        assert_eq!(scalar("-1.5", true), "-1.5");
        assert_eq!(scalar("-x", false), "\"-x\"");
        assert_eq!(scalar("", false), "\"\"");
    }

    /// What the case file's reader takes `written` (a value of `v:`) to be.
    fn read_back(written: &str) -> crate::yaml::Value {
        let doc: crate::yaml::Value = crate::yaml::from_str(&format!("v: {written}\n"))
            .unwrap_or_else(|e| panic!("{written}: {e}"));
        doc
    }

    #[test]
    fn every_value_reads_back_as_the_text_typed() {
        let typed = [
            "0x10",
            "0o17",
            "0b11",
            "1e3",
            "1E3",
            "1e-3",
            "010",
            "12",
            "-1",
            "+5",
            "1.5",
            "1.",
            ".5",
            "1_000",
            ".inf",
            "-.inf",
            "+.inf",
            ".nan",
            ".NaN",
            "inf",
            "nan",
            "~",
            "null",
            "Null",
            "NULL",
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "N",
            "true",
            "False",
            "",
            " ",
            " niph",
            "niph ",
            "12:30",
            "2026-05-29",
            "2026-5-29",
            "20260529",
            "-",
            "--- a",
            "... a",
            "#x",
            "x #y",
            "a: b",
            "[a]",
            "{a}",
            "*a",
            "&a",
            "!a",
            "%a",
            "@a",
            "`a",
            "'a'",
            "\"a\"",
            "a\\b",
            "tab\there",
            "line\nbreak",
            "cr\ronly",
            "nel\u{85}here",
            "ls\u{2028}here",
            "ps\u{2029}here",
            "del\u{7f}",
            "c1\u{9f}",
            "bell\u{7}",
            "nonchar\u{fffe}",
            "bom\u{feff}",
            "ø/æ",
            "niph",
            "../a.yaml",
            "./a.yaml",
            "a/b-c_d.e",
        ];
        for text in typed {
            let plain = scalar(text, false);
            assert_eq!(
                read_back(&plain).str_at("v"),
                Some(text),
                "{text:?} as {plain}"
            );
            assert_eq!(
                read_back(&Value::Text(text.to_string()).to_yaml()).str_at("v"),
                Some(text),
                "{text:?}"
            );
            // A number that is not a plain decimal is quoted: it reads as the text
            // typed, which the reader of hours then refuses by name.
            let number = scalar(text, true);
            if number == text {
                assert!(plain_decimal(text), "{text:?}");
            } else {
                assert_eq!(read_back(&number).str_at("v"), Some(text), "{text:?}");
            }
        }
        for decimal in ["6.25", "2", "0.5", "-1.5", "0", "100000000000000"] {
            assert_eq!(scalar(decimal, true), decimal);
            let read: serde_json::Value =
                crate::yaml::from_str(&format!("v: {decimal}\n")).expect("reads");
            assert_eq!(
                read["v"].to_string().parse::<f64>().ok(),
                decimal.parse().ok()
            );
        }
        for not_decimal in [
            "0x10",
            "1e3",
            ".5",
            "1.",
            "+1",
            "010",
            "1_0",
            "1000000000000000",
        ] {
            assert_eq!(scalar(not_decimal, true), format!("\"{not_decimal}\""));
        }
        assert_eq!(scalar("2026-05-29", false), "2026-05-29");
        assert_eq!(scalar("niph", false), "niph");
    }

    #[test]
    fn a_number_of_hours_in_json_is_a_number_only_when_it_is_a_plain_decimal() {
        let hours = |h: &str| {
            let event = NewEvent {
                fields: vec![("hours".into(), Value::Number(h.into()))],
            };
            event.to_json()["hours"].clone()
        };
        assert_eq!(hours("6.25"), serde_json::json!(6.25));
        assert_eq!(hours("2"), serde_json::json!(2));
        for typed in ["1e3", "0x10", "010", " 2", "-0.5e1"] {
            assert_eq!(hours(typed), serde_json::json!(typed));
        }
    }

    #[test]
    fn a_block_list_gets_the_event_after_its_last_event_and_its_comments() {
        let text = "# head\ncase: C\nevents:\n  - {date: 2026-03-03, kind: delivered}\n  - date: 2026-03-04\n    kind: withdrawn\n  # about the withdrawal\n\n# tail\nother: 1\n";
        let (out, line) = yaml(text);
        assert_eq!(
            out,
            format!("# head\ncase: C\nevents:\n  - {{date: 2026-03-03, kind: delivered}}\n  - date: 2026-03-04\n    kind: withdrawn\n  # about the withdrawal\n  - {LINE}\n\n# tail\nother: 1\n")
        );
        assert_eq!(line, Some(8));
    }

    #[test]
    fn a_list_at_the_keys_indentation_keeps_it() {
        let (out, line) = yaml("events:\n- {date: 2026-03-03, kind: delivered}\ncase: C");
        assert_eq!(
            out,
            format!("events:\n- {{date: 2026-03-03, kind: delivered}}\n- {LINE}\ncase: C")
        );
        assert_eq!(line, Some(3));
    }

    #[test]
    fn the_last_line_without_an_ending_and_crlf_endings_are_kept() {
        let (out, _) = yaml("case: C\r\nevents:\r\n  - {date: 2026-03-03, kind: delivered}");
        assert_eq!(
            out,
            format!(
                "case: C\r\nevents:\r\n  - {{date: 2026-03-03, kind: delivered}}\r\n  - {LINE}\r\n"
            )
        );
    }

    #[test]
    fn old_mac_line_ends_are_lines_and_are_kept() {
        let text =
            "---\r# A case\rcase: C\revents:\r  - {date: 2026-03-03, kind: delivered}\r# tail\r";
        let (out, line) = yaml(text);
        assert_eq!(
            out,
            format!("---\r# A case\rcase: C\revents:\r  - {{date: 2026-03-03, kind: delivered}}\r  - {LINE}\r# tail\r")
        );
        assert_eq!(line, Some(6));
        let (out, line) = yaml("case: C\revents: []\rother: 1");
        assert_eq!(out, format!("case: C\revents:\r  - {LINE}\rother: 1"));
        assert_eq!(line, Some(3));
        let (out, line) = yaml("case: C\rapplication: a.yaml");
        assert_eq!(
            out,
            format!("case: C\rapplication: a.yaml\revents:\r  - {LINE}\r")
        );
        assert_eq!(line, Some(4));
        let (out, line) = yaml("case: C\revents: [\r  {date: 2026-03-03, kind: delivered}\r]\r");
        assert_eq!(
            out,
            format!("case: C\revents: [\r  {{date: 2026-03-03, kind: delivered}}, {LINE}\r]\r")
        );
        assert_eq!(line, Some(3));
    }

    #[test]
    fn an_empty_list_becomes_a_list_of_one() {
        for empty in [
            "events: []",
            "events:",
            "events: ~",
            "events: [ ]  # none yet",
        ] {
            let (out, line) = yaml(&format!("case: C\n{empty}\nother: 1\n"));
            let comment = if empty.contains('#') {
                " # none yet"
            } else {
                ""
            };
            assert_eq!(
                out,
                format!("case: C\nevents:{comment}\n  - {LINE}\nother: 1\n"),
                "{empty}"
            );
            assert_eq!(line, Some(3));
        }
    }

    #[test]
    fn no_events_key_gives_a_new_list_at_the_end() {
        let (out, line) = yaml("case: C\napplication: a.yaml");
        assert_eq!(
            out,
            format!("case: C\napplication: a.yaml\nevents:\n  - {LINE}\n")
        );
        assert_eq!(line, Some(4));
    }

    #[test]
    fn a_flow_list_gets_the_event_before_its_closing_bracket() {
        let (out, line) =
            yaml("events: [{date: 2026-03-03, kind: delivered, note: \"a ] here\"}]  # x\n");
        assert_eq!(
            out,
            format!("events: [{{date: 2026-03-03, kind: delivered, note: \"a ] here\"}}, {LINE}]  # x\n")
        );
        assert_eq!(line, Some(1));
    }

    #[test]
    fn a_json_case_is_written_again_with_the_event_last() {
        let text =
            "{\"case\": \"C\", \"events\": [{\"date\": \"2026-03-03\", \"kind\": \"delivered\"}]}";
        let (out, line) = append(text, Format::Json, &event()).expect("placed");
        assert_eq!(line, None);
        let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        assert_eq!(v["events"][1]["reason"], "A new key: \"NPR\"");
        assert_eq!(v["events"][1]["until"], "2026-09-01");
        assert!(
            out.starts_with("{\n  \"case\": \"C\",\n  \"events\": ["),
            "{out}"
        );
        let hours = NewEvent {
            fields: vec![("hours".into(), Value::Number("1.5".into()))],
        };
        let (out, _) = append("{\"case\": \"C\"}", Format::Json, &hours).expect("placed");
        let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        assert_eq!(v["events"][0]["hours"], serde_json::json!(1.5));
    }

    #[test]
    fn a_value_that_is_not_a_list_is_not_replaced() {
        assert!(append("events: 5\n", Format::Yaml, &event()).is_err());
        assert!(append("{\"events\": 5}", Format::Json, &event()).is_err());
    }
}
