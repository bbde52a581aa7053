//! Files, standard input and JSON Lines: the split of input into records.

use super::parse::{parse_json, parse_yaml_documents};
use super::{failed, InputErrorKind, InputRecord, MAX_RECORD_BYTES};
use std::io::{BufRead, Read};

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
    let unreadable =
        |message: String| failed(path.to_string(), None, InputErrorKind::Unreadable, message);
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
                        InputErrorKind::TooLarge,
                        format!("{path}:{n}: the line holds {} bytes; expected at most {MAX_RECORD_BYTES} per application", line.len()),
                    )),
                    Ok(line) => {
                        let line = if n == 1 { line.trim_start_matches('\u{feff}') } else { &line };
                        sink(parse_json(path, Some(n), line))
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::InvalidData => sink(failed(
                        format!("{path}:{n}"),
                        None,
                        InputErrorKind::Unreadable,
                        format!("{path}:{n}: the line is not UTF-8 text"),
                    )),
                    Err(e) => {
                        // Any other read error will not go away: report it once.
                        sink(failed(
                            format!("{path}:{n}"),
                            None,
                            InputErrorKind::Unreadable,
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
