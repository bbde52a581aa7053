//! One record's text to an [`Application`], or an [`InputError`] that names the
//! file, the line and column, the field and what was expected.

use super::{failed, InputErrorKind, InputRecord, MAX_NESTING, MAX_RECORD_BYTES};
use crate::error::Position;
use crate::model::application::{Application, Moment};
use crate::shape::{self, Category};
use crate::yaml;
use crate::yaml::{json_nested_deeper_than, nested_deeper_than};

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

/// Parses one YAML document whose first line is line `offset + 1` of the file.
pub(super) fn parse_yaml_at(path: &str, text: &str, offset: usize) -> InputRecord {
    let input = path.to_string();
    if yaml::is_blank(text) {
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
    let err = match yaml::from_str_unguarded::<Application>(text) {
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
    let loose = yaml::from_str_unguarded::<yaml::Value>(text);
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
    let position = Position::of_json_error(text, inner);
    let column = position.map(|p| p.column);
    let line = match line_no {
        Some(n) => Some(n),
        None => position.map(|p| offset + p.line),
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
    yaml::lines(text).find_map(|line| {
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
