//! The first read of a case document: its shape, and, when it fails, what kind of
//! problem it is and where.

use super::error::CaseError;
use super::file::Format;
use super::place::Place;
use super::raw::RawCase;
use crate::error::ErrorKind;
use crate::model::application::Moment;
use crate::shape::{self, Category};
use crate::yaml::{self, Position};

/// The case file's shape, or the error of the first value that does not fit.
pub(super) fn read_raw(
    place: &Place<'_>,
    text: &str,
    format: Format,
) -> Result<RawCase, CaseError> {
    let (message, position, path, category, syntax) = match format {
        Format::Yaml => {
            let e = match yaml::from_str::<RawCase>(text) {
                Ok(raw) => return Ok(raw),
                Err(e) => e,
            };
            let loose = yaml::from_str::<yaml::Value>(text);
            if matches!(&loose, Ok(v) if !v.is_mapping()) {
                return Err(not_a_map(place, text, format));
            }
            (
                e.message().to_string(),
                e.position(),
                e.path().to_string(),
                e.category(),
                loose.is_err(),
            )
        }
        Format::Json => {
            if !text.trim_start().starts_with('{') {
                return Err(not_a_map(place, text, format));
            }
            let mut de = serde_json::Deserializer::from_str(text);
            let parsed = shape::deserialize::<RawCase, _>(&mut de).and_then(|raw| {
                de.end().map(|_| raw).map_err(|error| shape::Failure {
                    error,
                    path: String::new(),
                    category: Category::Reader,
                })
            });
            let f = match parsed {
                Ok(raw) => return Ok(raw),
                Err(f) => f,
            };
            let syntax = !matches!(f.error.classify(), serde_json::error::Category::Data);
            let message = f.error.to_string();
            let message = match message.find(" at line ") {
                Some(i) => message[..i].to_string(),
                None => message,
            };
            let position = Position::of_json_error(text, &f.error);
            (message, position, f.path, f.category, syntax)
        }
    };
    let kind = if syntax {
        ErrorKind::Syntax
    } else {
        kind_of(category)
    };
    let what = explain(&without_reader_path(&message));
    let what = if syntax {
        format!("not a readable {} document: {what}", format_name(format))
    } else {
        what
    };
    // A value the types refused is placed where it starts; the readers place some
    // at the map around it, or after it.
    let refused_value = matches!(
        category,
        Category::Custom { .. }
            | Category::InvalidType
            | Category::InvalidValue
            | Category::InvalidLength
            | Category::UnknownVariant
    );
    let position = match place.index.value(&path) {
        Some(at) if refused_value && !syntax => Some(at),
        _ => position,
    };
    let place = Place {
        case: loose_id(text, format),
        ..*place
    };
    Err(place.error_at(&path, position, kind, &what))
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Yaml => "YAML",
        Format::Json => "JSON",
    }
}

fn not_a_map(place: &Place<'_>, text: &str, format: Format) -> CaseError {
    let position = place.index.value(".").or_else(|| {
        let column = text.len() - text.trim_start().len();
        let line = 1 + text[..column].matches('\n').count();
        Some(Position { line, column: 1 })
    });
    place.error_at(
        "",
        position,
        ErrorKind::InvalidValue,
        &format!(
            "expected a case file: a {} map with application and events",
            format_name(format)
        ),
    )
}

/// The case id of a case file that did not read, when it has one: its `case`, else
/// its inline application's `id`; in text that is not YAML, a `case: …` line.
fn loose_id(text: &str, format: Format) -> Option<String> {
    let value = match format {
        Format::Yaml => yaml::from_str::<serde_json::Value>(text).map_err(|_| ()),
        Format::Json => serde_json::from_str::<serde_json::Value>(text).map_err(|_| ()),
    };
    let Ok(value) = value else {
        return yaml::lines(text).find_map(|line| {
            let v = line.strip_prefix("case:")?.trim();
            let v = v.trim_matches(|c| c == '"' || c == '\'');
            (!v.is_empty() && !v.contains([' ', '#'])).then(|| v.to_string())
        });
    };
    let id = [&value["case"], &value["application"]["id"]]
        .into_iter()
        .find_map(|v| v.as_str().filter(|s| !s.trim().is_empty()))
        .map(str::to_string);
    id
}

/// The error kind of a shape error, from the serde error the types raised.
fn kind_of(category: Category) -> ErrorKind {
    match category {
        Category::MissingField(_) => ErrorKind::MissingField,
        Category::UnknownField => ErrorKind::UnknownField,
        Category::Custom { within: Some(name) } if name == Moment::SERDE_NAME => {
            ErrorKind::InvalidTimestamp
        }
        _ => ErrorKind::InvalidValue,
    }
}

/// serde speaks of Rust types; people know maps.
fn explain(message: &str) -> String {
    message
        .replace(
            "expected struct RawCase",
            "expected a case file (a map with application and events)",
        )
        .replace(
            "expected struct Application",
            "expected an application (a map of fields)",
        )
        .replace(
            "expected struct AttachmentRef",
            "expected a map {kind, file}",
        )
        .replace("expected struct ", "expected a map: ")
}

/// The readers put their own path in front of a message (`events[0]: unknown field
/// ...`); the full path is printed separately.
fn without_reader_path(message: &str) -> String {
    match message.split_once(": ") {
        Some((head, rest)) if !head.is_empty() && !head.contains(' ') && !head.contains('`') => {
            rest.to_string()
        }
        _ => message.to_string(),
    }
}
