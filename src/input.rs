//! Reading application documents: YAML, JSON and JSON Lines files, or standard input.
//! Every record read gives exactly one [`InputRecord`]: the application, or an error
//! that names the file, the line, the field and what was expected.

use crate::application::Application;
use std::fmt;
use std::io::{BufRead, Read};

/// One record of input: where it came from and what was read.
#[derive(Debug)]
pub struct InputRecord {
    /// `file` or `file:line`.
    pub input: String,
    pub result: Result<Application, InputError>,
}

/// A record that could not be read as an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The `id`, when the document had a readable one.
    pub application: Option<String>,
    /// `unreadable`, `syntax`, `missing-field`, `unknown-field`, `invalid-value` or
    /// `invalid-timestamp`.
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

/// Reads every record of `path` (`-` for standard input), handing each to `sink` as
/// soon as it is read, so a large JSON Lines file is never held whole in memory.
pub fn read_records(path: &str, sink: &mut dyn FnMut(InputRecord)) {
    let unreadable = |message: String| InputRecord {
        input: path.to_string(),
        result: Err(InputError {
            application: None,
            kind: "unreadable",
            message,
        }),
    };
    if path == "-" {
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            sink(unreadable(format!("-: cannot read standard input: {e}")));
            return;
        }
        let looks_like_lines = text
            .lines()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| {
                serde_json::from_str::<serde_json::Value>(l).is_ok_and(|v| v.is_object())
            });
        if looks_like_lines {
            for (i, line) in text.lines().enumerate() {
                if !line.trim().is_empty() {
                    sink(parse_json("-", Some(i + 1), line));
                }
            }
        } else {
            sink(parse_yaml("-", &text));
        }
        return;
    }
    let Some(format) = format_of(path) else {
        sink(unreadable(format!(
            "{path}: unsupported file type; expected .yaml, .yml, .json, .jsonl or - for standard input"
        )));
        return;
    };
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
                match line {
                    Ok(line) if line.trim().is_empty() => {}
                    Ok(line) => sink(parse_json(path, Some(i + 1), &line)),
                    Err(e) => sink(InputRecord {
                        input: format!("{path}:{}", i + 1),
                        result: Err(InputError {
                            application: None,
                            kind: "unreadable",
                            message: format!("{path}:{}: cannot read line: {e}", i + 1),
                        }),
                    }),
                }
            }
        }
        Format::Json | Format::Yaml => {
            let mut text = String::new();
            if let Err(e) = std::io::BufReader::new(file).read_to_string(&mut text) {
                sink(unreadable(format!(
                    "{path}: cannot read: {e}; expected UTF-8 text"
                )));
                return;
            }
            if format == Format::Json {
                sink(parse_json(path, None, &text));
            } else {
                sink(parse_yaml(path, &text));
            }
        }
    }
}

/// Parses one YAML application document.
pub fn parse_yaml(path: &str, text: &str) -> InputRecord {
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return InputRecord {
            input: path.to_string(),
            result: Err(InputError {
                application: None,
                kind: "syntax",
                message: format!("{path}: empty document; expected an application with id, submitted_at and data_kind"),
            }),
        };
    }
    let de = serde_yaml::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, Application>(de) {
        Ok(app) => InputRecord {
            input: path.to_string(),
            result: Ok(app),
        },
        Err(err) => {
            let field = err.path().to_string();
            let inner = err.into_inner();
            let loc = inner.location();
            let line = loc.as_ref().map(|l| l.line());
            let column = loc.as_ref().map(|l| l.column());
            let loose = serde_yaml::from_str::<serde_yaml::Value>(text);
            let application = match &loose {
                Ok(v) => v.get("id").and_then(|v| v.as_str()).map(str::to_string),
                Err(_) => id_line(text),
            };
            let message = strip_position(&inner.to_string());
            let kind = if loose.is_err() {
                "syntax"
            } else {
                classify(&message)
            };
            let kind = if kind == "syntax" && loose.as_ref().is_ok_and(|v| !v.is_mapping()) {
                "invalid-value"
            } else {
                kind
            };
            InputRecord {
                input: at(path, line),
                result: Err(InputError {
                    application,
                    kind,
                    message: render(path, line, column, &field, &explain(kind, &message)),
                }),
            }
        }
    }
}

/// Parses one JSON application (a whole `.json` file, or one line of JSON Lines).
pub fn parse_json(path: &str, line_no: Option<usize>, text: &str) -> InputRecord {
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = serde_path_to_error::deserialize::<_, Application>(&mut de)
        .map_err(|err| (err.path().to_string(), err.into_inner()))
        .and_then(|app| de.end().map(|_| app).map_err(|e| (String::new(), e)));
    match parsed {
        Ok(app) => InputRecord {
            input: at(path, line_no),
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
            InputRecord {
                input: at(path, line_no.or(line)),
                result: Err(InputError {
                    application,
                    kind,
                    message: render(path, line, column, &field, &explain(kind, &message)),
                }),
            }
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

fn at(path: &str, line: Option<usize>) -> String {
    match line {
        Some(l) => format!("{path}:{l}"),
        None => path.to_string(),
    }
}

fn classify(message: &str) -> &'static str {
    if message.starts_with("missing field") {
        "missing-field"
    } else if message.starts_with("unknown field") {
        "unknown-field"
    } else if message.contains("invalid timestamp") {
        "invalid-timestamp"
    } else if message.starts_with("invalid type")
        || message.starts_with("invalid value")
        || message.starts_with("unknown variant")
        || message.starts_with("invalid length")
    {
        "invalid-value"
    } else {
        "syntax"
    }
}

fn explain(kind: &str, message: &str) -> String {
    match kind {
        "syntax" => format!("not a readable YAML or JSON document: {message}"),
        _ => message.to_string(),
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
    if !field.is_empty() && field != "." {
        s.push_str(field);
        s.push_str(": ");
    }
    s.push_str(message);
    s
}

/// serde_yaml and serde_json append " at line L column C"; the position is already in
/// front of our message.
/// serde_yaml also puts its own path in front (`sources[0]: unknown field ...`); the
/// full path is printed separately.
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
    fn json_garbage_is_a_syntax_error() {
        let e = err(parse_json("b.jsonl", Some(1), "not json"));
        assert_eq!(e.kind, "syntax");
    }
}
