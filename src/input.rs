//! Reading application documents: YAML, JSON and JSON Lines files, or standard input.
//! Every record read gives exactly one [`InputRecord`]: the application, or an error
//! that names the file, the line, the field and what was expected.
//!
//! A `.yaml` file may hold several documents separated by `---`; each is a record.
//! A `.json` file holds one application object; `.jsonl` holds one per line.

use crate::model::application::Application;
use std::fmt;
use std::io::{BufRead, Read};

/// The largest record read (one YAML document, one JSON file or one JSON line).
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// The deepest nesting of `[`/`{` accepted in a YAML document.
pub const MAX_NESTING: usize = 64;

/// One record of input: where it came from and what was read.
#[derive(Debug)]
pub struct InputRecord {
    /// `file`, or `file:line` of the record's first line in a file of several.
    pub input: String,
    pub result: Result<Application, InputError>,
}

/// A record that could not be read as an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The `id`, when the document had a readable one.
    pub application: Option<String>,
    /// `unreadable`, `too-large`, `syntax`, `missing-field`, `unknown-field`,
    /// `invalid-value` or `invalid-timestamp`.
    pub kind: &'static str,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Yaml,
    Json,
    JsonLines,
}

fn format_of(path: &str) -> Option<Format> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        Some(Format::Yaml)
    } else if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
        Some(Format::JsonLines)
    } else if lower.ends_with(".json") {
        Some(Format::Json)
    } else {
        None
    }
}

fn failed(
    input: String,
    application: Option<String>,
    kind: &'static str,
    message: String,
) -> InputRecord {
    InputRecord {
        input,
        result: Err(InputError {
            application,
            kind,
            message,
        }),
    }
}

/// Reads every record of `path` (`-` for standard input), handing each to `sink` as
/// soon as it is read, so a large JSON Lines file is never held whole in memory.
pub fn read_records(path: &str, sink: &mut dyn FnMut(InputRecord)) {
    let unreadable = |message: String| failed(path.to_string(), None, "unreadable", message);
    if path == "-" {
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            sink(unreadable(format!(
                "-: cannot read standard input: {e}; expected UTF-8 text"
            )));
            return;
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        // Text opening with `{` is JSON Lines, unless it is one JSON document spread
        // over several lines; anything else is read as YAML documents.
        let lines_format = text.trim_start().starts_with('{')
            && serde_json::from_str::<serde_json::Value>(text).is_err();
        if !lines_format && text.trim_start().starts_with('{') {
            sink(parse_json("-", None, text));
            return;
        }
        if lines_format {
            for (i, line) in text.lines().enumerate() {
                if !line.trim().is_empty() {
                    sink(parse_json("-", Some(i + 1), line));
                }
            }
        } else {
            for record in parse_yaml_documents("-", text) {
                sink(record);
            }
        }
        return;
    }
    let Some(format) = format_of(path) else {
        sink(unreadable(format!(
            "{path}: unsupported file type; expected .yaml, .yml, .json, .jsonl or - for standard input"
        )));
        return;
    };
    if std::path::Path::new(path).is_dir() {
        sink(unreadable(format!(
            "{path}: is a folder; expected an application file"
        )));
        return;
    }
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            sink(unreadable(format!("{path}: cannot open: {e}")));
            return;
        }
    };
    match format {
        Format::JsonLines => {
            let reader = std::io::BufReader::new(file);
            for (i, line) in reader.lines().enumerate() {
                let n = i + 1;
                match line {
                    Ok(line) if line.trim().is_empty() => {}
                    Ok(line) if line.len() > MAX_RECORD_BYTES => sink(failed(
                        format!("{path}:{n}"),
                        None,
                        "too-large",
                        format!("{path}:{n}: the line holds {} bytes; expected at most {MAX_RECORD_BYTES} per application", line.len()),
                    )),
                    Ok(line) => {
                        let line = if n == 1 { line.trim_start_matches('\u{feff}') } else { &line };
                        sink(parse_json(path, Some(n), line))
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::InvalidData => sink(failed(
                        format!("{path}:{n}"),
                        None,
                        "unreadable",
                        format!("{path}:{n}: the line is not UTF-8 text"),
                    )),
                    Err(e) => {
                        // Any other read error will not go away: report it once.
                        sink(failed(
                            format!("{path}:{n}"),
                            None,
                            "unreadable",
                            format!("{path}:{n}: cannot read further: {e}"),
                        ));
                        return;
                    }
                }
            }
        }
        Format::Json | Format::Yaml => {
            let mut bytes = Vec::new();
            if let Err(e) = std::io::BufReader::new(file).read_to_end(&mut bytes) {
                sink(unreadable(format!("{path}: cannot read: {e}")));
                return;
            }
            let text = match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                    let line = good.iter().filter(|b| **b == b'\n').count() + 1;
                    let column = good.iter().rev().take_while(|b| **b != b'\n').count() + 1;
                    sink(unreadable(format!(
                        "{path}:{line}:{column}: not UTF-8 text (byte {}); expected a UTF-8 document",
                        good.len()
                    )));
                    return;
                }
            };
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            if format == Format::Json {
                sink(parse_json(path, None, text));
            } else {
                for record in parse_yaml_documents(path, text) {
                    sink(record);
                }
            }
        }
    }
}

/// Splits a YAML stream at its `---` lines: `(first line number, text)` per document,
/// leaving out documents with nothing but comments when there are several.
fn yaml_documents(text: &str) -> Vec<(usize, String)> {
    let mut docs: Vec<(usize, String)> = vec![(1, String::new())];
    for (i, line) in text.lines().enumerate() {
        let marker = line == "---" || line.starts_with("--- ") || line.starts_with("---\t");
        if marker {
            docs.push((i + 2, String::new()));
            continue;
        }
        if let Some((_, doc)) = docs.last_mut() {
            doc.push_str(line);
            doc.push('\n');
        }
    }
    let blank = |t: &str| {
        t.lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    };
    if docs.len() > 1 {
        docs.retain(|(_, t)| !blank(t));
    }
    docs
}

/// Parses every document of a YAML stream (one record each).
pub fn parse_yaml_documents(path: &str, text: &str) -> Vec<InputRecord> {
    let docs = yaml_documents(text);
    if docs.len() <= 1 {
        return vec![parse_yaml(path, text)];
    }
    docs.into_iter()
        .map(|(start, doc)| {
            let mut record = parse_yaml_at(path, &doc, start - 1);
            record.input = format!("{path}:{start}");
            record
        })
        .collect()
}

/// Parses one YAML application document.
pub fn parse_yaml(path: &str, text: &str) -> InputRecord {
    parse_yaml_at(path, text, 0)
}

/// The deepest `[`/`{` nesting outside quoted text.
fn flow_depth(text: &str) -> usize {
    let (mut depth, mut max, mut quote) = (0usize, 0usize, None::<char>);
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => {
                depth += 1;
                max = max.max(depth);
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            (None, '\n') => quote = None,
            _ => {}
        }
    }
    max
}

/// Parses one YAML document whose first line is line `offset + 1` of the file.
fn parse_yaml_at(path: &str, text: &str, offset: usize) -> InputRecord {
    let input = path.to_string();
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return failed(
            input,
            None,
            "syntax",
            format!("{path}: empty document; expected an application with id, submitted_at and data_kind"),
        );
    }
    if text.len() > MAX_RECORD_BYTES {
        return failed(
            input,
            id_line(text),
            "too-large",
            format!(
                "{path}: the document holds {} bytes; expected at most {MAX_RECORD_BYTES}",
                text.len()
            ),
        );
    }
    if flow_depth(text) > MAX_NESTING {
        return failed(
            input,
            id_line(text),
            "too-large",
            format!("{path}: brackets nested more than {MAX_NESTING} deep; expected an application document"),
        );
    }
    let de = serde_yaml::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, Application>(de) {
        Ok(app) => InputRecord {
            input,
            result: Ok(app),
        },
        Err(err) => {
            let field = err.path().to_string();
            let inner = err.into_inner();
            let loc = inner.location();
            let line = loc.as_ref().map(|l| l.line() + offset);
            let column = loc.as_ref().map(|l| l.column());
            let loose = serde_yaml::from_str::<serde_yaml::Value>(text);
            let application = match &loose {
                Ok(v) => v.get("id").and_then(|v| v.as_str()).map(str::to_string),
                Err(_) => id_line(text),
            };
            let message = strip_position(&inner.to_string());
            // serde_yaml places a duplicate key at the start of the document; point
            // at the key's second appearance instead.
            let (line, column) = match duplicate_key_line(text, &message) {
                Some((l, c)) => (Some(l + offset), Some(c)),
                None => (line, column),
            };
            let kind = match &loose {
                Err(_) => "syntax",
                Ok(v) if !v.is_mapping() => "invalid-value",
                Ok(_) => classify(&message),
            };
            failed(
                input,
                application,
                kind,
                render(path, line, column, &field, &explain(kind, &message)),
            )
        }
    }
}

/// Parses one JSON application (a whole `.json` file, or one line of JSON Lines).
pub fn parse_json(path: &str, line_no: Option<usize>, text: &str) -> InputRecord {
    let input = at(path, line_no);
    let first = text.trim_start().chars().next();
    if first.is_some() && first != Some('{') {
        let column = text.len() - text.trim_start().len() + 1;
        let line = line_no.or(Some(1 + text[..column - 1].matches('\n').count()));
        let hint = if first == Some('[') && line_no.is_none() {
            "; a .json file holds one application (use .jsonl, one per line, for many)"
        } else {
            ""
        };
        return failed(
            input,
            None,
            if first == Some('[') {
                "invalid-value"
            } else {
                "syntax"
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
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = serde_path_to_error::deserialize::<_, Application>(&mut de)
        .map_err(|err| (err.path().to_string(), err.into_inner()))
        .and_then(|app| de.end().map(|_| app).map_err(|e| (String::new(), e)));
    match parsed {
        Ok(app) => InputRecord {
            input,
            result: Ok(app),
        },
        Err((field, inner)) => {
            let (line, column) = match line_no {
                Some(n) => (Some(n), Some(inner.column())),
                None => (Some(inner.line()), Some(inner.column())),
            };
            let loose = serde_json::from_str::<serde_json::Value>(text);
            let application = loose
                .as_ref()
                .ok()
                .and_then(|v| v.get("id"))
                .and_then(|v| v.as_str())
                .map(str::to_string);
            let message = strip_position(&inner.to_string());
            let kind = match inner.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof => "syntax",
                serde_json::error::Category::Io => "unreadable",
                serde_json::error::Category::Data => classify(&message),
            };
            failed(
                input,
                application,
                kind,
                render(path, line, column, &field, &explain(kind, &message)),
            )
        }
    }
}

/// The value of a top-level `id: …` line, for naming a document that is not valid
/// YAML in its error record.
fn id_line(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let value = line.strip_prefix("id:")?.trim();
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        (!value.is_empty() && !value.contains(' ')).then(|| value.to_string())
    })
}

/// For "duplicate field `key`": the line and column of the key's second appearance.
fn duplicate_key_line(text: &str, message: &str) -> Option<(usize, usize)> {
    let key = message
        .strip_prefix("duplicate field `")?
        .split('`')
        .next()?;
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let trimmed = l.trim_start().trim_start_matches("- ");
            trimmed
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
                .then(|| (i + 1, l.len() - trimmed.len() + 1))
        })
        .nth(1)
}

fn at(path: &str, line: Option<usize>) -> String {
    match line {
        Some(l) => format!("{path}:{l}"),
        None => path.to_string(),
    }
}

/// The kind of a shape error in a document that did parse as YAML or JSON.
fn classify(message: &str) -> &'static str {
    if message.starts_with("missing field") {
        "missing-field"
    } else if message.starts_with("unknown field") {
        "unknown-field"
    } else if message.contains("invalid timestamp") {
        "invalid-timestamp"
    } else {
        "invalid-value"
    }
}

fn explain(kind: &str, message: &str) -> String {
    // serde speaks of Rust types; people know maps.
    let message = message
        .replace(
            "expected struct Application",
            "expected an application (a map of fields)",
        )
        .replace("expected struct ", "expected a map: ");
    match kind {
        "syntax" => format!("not a readable YAML or JSON document: {message}"),
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

/// serde_yaml and serde_json append " at line L column C"; the position is already in
/// front of our message. serde_yaml also puts its own path in front
/// (`sources[0]: unknown field ...`); the full path is printed separately.
fn strip_position(message: &str) -> String {
    let message = match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    match message.split_once(": ") {
        Some((head, rest)) if !head.is_empty() && !head.contains(' ') && !head.contains('`') => {
            rest.to_string()
        }
        _ => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "id: A-1\nsubmitted_at: 2026-03-02T09:15:00+01:00\ndata_kind: aggregated\n";

    fn err(r: InputRecord) -> InputError {
        r.result.expect_err("should not parse")
    }

    #[test]
    fn good_yaml_parses() {
        let r = parse_yaml("a.yaml", GOOD);
        assert_eq!(r.result.ok().map(|a| a.id), Some("A-1".to_string()));
    }

    #[test]
    fn unknown_field_names_field_and_line_and_keeps_the_id() {
        let text = format!("{GOOD}projekt:\n  title: x\n");
        let e = err(parse_yaml("a.yaml", &text));
        assert_eq!(e.kind, "unknown-field");
        assert_eq!(e.application.as_deref(), Some("A-1"));
        assert!(e.message.starts_with("a.yaml:4:"), "{}", e.message);
        assert!(e.message.contains("projekt"), "{}", e.message);
    }

    #[test]
    fn nested_unknown_field_names_its_path() {
        let text = format!("{GOOD}sources:\n  - id: npr\n    variabels: [year]\n");
        let e = err(parse_yaml("a.yaml", &text));
        assert_eq!(e.kind, "unknown-field");
        assert!(e.message.contains("sources[0]"), "{}", e.message);
        assert!(e.message.starts_with("a.yaml:6:"), "{}", e.message);
    }

    #[test]
    fn timestamp_without_offset_is_its_own_kind_with_field_name() {
        let text = GOOD.replace("+01:00", "");
        let e = err(parse_yaml("a.yaml", &text));
        assert_eq!(e.kind, "invalid-timestamp");
        assert!(e.message.contains("submitted_at"), "{}", e.message);
        assert!(e.message.starts_with("a.yaml:2:"), "{}", e.message);
    }

    #[test]
    fn missing_id_is_a_missing_field() {
        let e = err(parse_yaml(
            "a.yaml",
            "submitted_at: 2026-03-02\ndata_kind: aggregated\n",
        ));
        assert_eq!(e.kind, "missing-field");
        assert!(e.message.contains("`id`"), "{}", e.message);
        assert_eq!(e.application, None);
    }

    #[test]
    fn broken_yaml_is_a_syntax_error() {
        let e = err(parse_yaml("a.yaml", "id: [unclosed\nsubmitted_at: x\n"));
        assert_eq!(e.kind, "syntax");
    }

    #[test]
    fn json_line_error_uses_the_line_of_the_file() {
        let r = parse_json("b.jsonl", Some(7), "{\"id\": \"X\", \"submitted_at\": 5}");
        assert_eq!(r.input, "b.jsonl:7");
        let e = err(r);
        assert_eq!(e.kind, "invalid-value");
        assert_eq!(e.application.as_deref(), Some("X"));
        assert!(e.message.starts_with("b.jsonl:7:"), "{}", e.message);
    }

    #[test]
    fn several_yaml_documents_are_several_records_with_their_lines() {
        let text = format!(
            "{GOOD}---\n{}---\n# only a comment\n---\n{GOOD}projekt: 1\n",
            GOOD.replace("A-1", "A-2")
        );
        let records = parse_yaml_documents("m.yaml", &text);
        assert_eq!(records.len(), 3);
        assert_eq!(records[0].input, "m.yaml:1");
        assert_eq!(records[1].input, "m.yaml:5");
        assert_eq!(
            records[1].result.as_ref().map(|a| a.id.as_str()).ok(),
            Some("A-2")
        );
        let e = records[2].result.as_ref().expect_err("unknown field");
        assert_eq!(records[2].input, "m.yaml:11");
        assert!(e.message.starts_with("m.yaml:14:"), "{}", e.message);
    }

    #[test]
    fn a_json_array_is_not_an_application() {
        let e = err(parse_json(
            "a.json",
            None,
            "[\"HDS-1\", \"2026-03-02\", \"aggregated\"]",
        ));
        assert_eq!(e.kind, "invalid-value");
        assert!(e.message.contains("use .jsonl"), "{}", e.message);
    }

    #[test]
    fn empty_or_null_ids_are_rejected() {
        for id in ["''", "~", "null", "'  '"] {
            let e = err(parse_yaml("a.yaml", &GOOD.replace("A-1", id)));
            assert_eq!(e.kind, "invalid-value", "{id}: {}", e.message);
        }
    }

    #[test]
    fn deep_bracket_nesting_is_refused_before_parsing() {
        let deep = format!(
            "{GOOD}extra: {{a: {}{}}}\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        assert_eq!(err(parse_yaml("a.yaml", &deep)).kind, "too-large");
    }

    #[test]
    fn a_duplicate_key_is_reported_where_it_appears_again() {
        let e = err(parse_yaml("a.yaml", &format!("{GOOD}id: B\n")));
        assert!(e.message.starts_with("a.yaml:4:1: "), "{}", e.message);
        assert!(e.message.contains("duplicate field `id`"), "{}", e.message);
    }

    #[test]
    fn json_garbage_is_a_syntax_error() {
        let e = err(parse_json("b.jsonl", Some(1), "not json"));
        assert_eq!(e.kind, "syntax");
    }
}
