//! YAML: the one module that names the YAML crates.
//!
//! Values are read by `yaml_serde`, the YAML organisation's maintained continuation
//! of serde_yaml: the same reader and the same messages. Positions come from
//! `saphyr-parser`, whose events carry spans, run over the same text: [`Index`]
//! gives the line and column of any key or value by its field path
//! (`holidays[3].date`), so a problem found after reading points at its node, and
//! [`documents`] splits a stream at its document markers.
//!
//! [`from_str`] first refuses a document whose brackets nest deeper than
//! [`MAX_NESTING`] ([`nested_deeper_than`]), before the reader is asked to follow
//! them.
//!
//! Everything else in the crate reads YAML through [`from_str`], [`Value`],
//! [`Index`] and [`documents`], and never sees either crate.

mod index;
mod nesting;
mod stream;

pub use index::Index;
pub use nesting::{json_nested_deeper_than, nested_deeper_than, MAX_NESTING};
#[cfg(test)]
pub(crate) use nesting::{nested_brackets, surely_within};
pub use stream::{documents, Document};

use crate::shape::{self, Category};
use serde::de::DeserializeOwned;
use std::fmt;

pub use crate::error::Position;

/// A YAML document that could not be read as the type asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
    position: Option<Position>,
    path: String,
    category: Category,
}

impl Error {
    /// The reader's message without its trailing position; a problem inside the
    /// document starts with the reader's own path (`sources.npr: unknown field ...`).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where the problem is. A key given twice is placed at its second appearance.
    pub fn position(&self) -> Option<Position> {
        self.position
    }

    /// The field path of the value that failed (`sources[0].id`; `.` for the
    /// document itself).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Which serde error the type raised, or [`Category::Reader`] when the YAML
    /// reader refused the text itself.
    pub fn category(&self) -> Category {
        self.category
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(p) = self.position {
            write!(f, " at line {} column {}", p.line, p.column)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Reads one YAML document as a `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    if let Some((line, column)) = nested_deeper_than(text, MAX_NESTING) {
        return Err(Error {
            message: format!(
                "brackets nested more than {MAX_NESTING} deep; expected at most {MAX_NESTING}"
            ),
            position: Some(Position { line, column }),
            path: String::new(),
            category: Category::Reader,
        });
    }
    from_str_unguarded(text)
}

/// [`from_str`] without the nesting guard, for a text the caller has already
/// found shallow with [`nested_deeper_than`] (each application is, on the way to
/// its own message).
pub fn from_str_unguarded<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    let de = yaml_serde::Deserializer::from_str(text);
    shape::deserialize::<T, _>(de).map_err(|failure| {
        let reader = failure.error;
        let mut position = reader.location().map(|l| Position {
            line: l.line(),
            column: l.column(),
        });
        // The reader places a key given twice at the start of its map; the index
        // knows where it appears again.
        if let Category::DuplicateField(key) = failure.category {
            if let Some(again) = Index::of(text).key_again(&failure.path, key) {
                position = Some(again);
            }
        }
        Error {
            message: without_position(&reader.to_string()),
            position,
            path: failure.path,
            category: failure.category,
        }
    })
}

/// The reader appends " at line L column C" (and, for syntax errors, the context
/// with its own position); the position is reported on its own.
fn without_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The lines of a YAML text, split where a YAML reader breaks lines: at `\n`, at
/// `\r\n`, at a lone `\r` (the old Mac line end, a line break in YAML 1.2), and at
/// the next-line, line-separator and paragraph-separator characters (U+0085,
/// U+2028, U+2029), which the reader of values, a YAML 1.1 reader, breaks at too.
/// Each line comes without its break; a text ending in a break has no empty last
/// line, as with [`str::lines`].
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        if current.is_empty() {
            rest = None;
            return None;
        }
        match current.char_indices().find(|(_, c)| is_break(*c)) {
            Some((i, c)) => {
                let after = &current[i + c.len_utf8()..];
                rest = Some(if c == '\r' {
                    after.strip_prefix('\n').unwrap_or(after)
                } else {
                    after
                });
                Some(&current[..i])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// Whether `c` ends a line for a YAML reader (see [`lines`]).
fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Whether a YAML text holds nothing but blank lines and comments, its lines split
/// as the reader splits them ([`lines`]): what the reader reads as no document.
pub fn is_blank(text: &str) -> bool {
    lines(text).all(|line| {
        let t = line.trim_start_matches([' ', '\t']);
        t.trim_end_matches([' ', '\t']).is_empty() || t.starts_with('#')
    })
}

/// Any YAML value, kept as read (for parts of a document that are passed on or
/// ignored rather than typed).
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(transparent)]
pub struct Value(yaml_serde::Value);

impl Value {
    /// The value as text, when it is a string.
    pub fn as_str(&self) -> Option<&str> {
        self.0.as_str()
    }

    /// Whether the value is a map.
    pub fn is_mapping(&self) -> bool {
        self.0.is_mapping()
    }

    /// The text under `key`, when this is a map holding text there.
    pub fn str_at(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(yaml_serde::Value::as_str)
    }

    /// The value written out as a YAML document.
    pub fn to_yaml(&self) -> Result<String, String> {
        yaml_serde::to_string(&self.0).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[test]
    fn a_document_nested_too_deep_is_refused_at_its_bracket_before_reading() {
        let deep = nested_brackets(MAX_NESTING + 1);
        let e = from_str::<Value>(&format!("a: 1\nb: [x, {deep}]\n")).expect_err("too deep");
        assert_eq!(
            e.position(),
            Some(Position {
                line: 2,
                column: 7 + MAX_NESTING
            })
        );
        assert_eq!(
            e.message(),
            "brackets nested more than 64 deep; expected at most 64"
        );
        assert_eq!(e.category(), Category::Reader);
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct File {
        name: String,
        #[serde(default)]
        items: Vec<Item>,
        #[serde(default)]
        table: BTreeMap<String, Item>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        n: u32,
        #[serde(default)]
        label: Option<String>,
    }

    #[test]
    fn a_good_document_reads() {
        let f: File = from_str("name: x\nitems:\n  - {n: 1}\n").expect("reads");
        assert_eq!((f.name.as_str(), f.items.len()), ("x", 1));
    }

    #[test]
    fn an_unknown_key_names_its_path_position_and_category() {
        let e = from_str::<File>("name: x\ntable:\n  a:\n    n: 1\n    colour: red\n")
            .expect_err("unknown key");
        assert_eq!(e.category(), Category::UnknownField);
        assert_eq!(e.path(), "table.a.colour");
        assert_eq!(e.position(), Some(Position { line: 5, column: 5 }));
        assert!(
            e.message().starts_with("table.a: unknown field `colour`"),
            "{}",
            e.message()
        );
        assert!(!e.message().contains(" at line "), "{}", e.message());
    }

    #[test]
    fn a_key_given_twice_is_placed_where_it_appears_again() {
        let text = "name: x\nitems:\n  - n: 1\n    # n: 3\n    label: a\n    n: 2\n";
        let e = from_str::<File>(text).expect_err("duplicate");
        assert_eq!(e.category(), Category::DuplicateField("n"));
        assert_eq!(e.position(), Some(Position { line: 6, column: 5 }));
    }

    #[test]
    fn broken_yaml_is_the_readers_error() {
        let e = from_str::<File>("name: [x\n").expect_err("syntax");
        assert_eq!(e.category(), Category::Reader);
        assert!(e.position().is_some());
    }

    #[test]
    fn lines_break_where_the_reader_breaks_them() {
        fn split(t: &str) -> Vec<&str> {
            lines(t).collect()
        }
        assert_eq!(
            split("a\nb\r\nc\rd\u{85}e\u{2028}f\u{2029}g"),
            ["a", "b", "c", "d", "e", "f", "g"]
        );
        assert_eq!(split("a\r\r\nb\r"), ["a", "", "b"]);
        assert_eq!(split("a\n\n"), ["a", ""]);
        assert!(split("").is_empty());
        for blank in ["", "\n", "# a\n\n  # b", " \t\r\r# c\r"] {
            assert!(is_blank(blank), "{blank:?}");
        }
        // Each of these the reader reads as a map with `id`: none is blank.
        for text in [
            "# c\rid: A\r",
            "# c\u{85}id: A\n",
            "# c\u{2028}id: A",
            "# c\u{2029}id: A",
        ] {
            assert!(!is_blank(text), "{text:?}");
            let v: Value = from_str(text).expect("reads");
            assert_eq!(v.str_at("id"), Some("A"), "{text:?}");
        }
    }

    #[test]
    fn a_value_can_be_inspected_and_written_back() {
        let v: Value = from_str("id: A\nn: [1, 2]\n").expect("reads");
        assert!(v.is_mapping());
        assert_eq!(v.str_at("id"), Some("A"));
        assert_eq!(v.str_at("n"), None);
        let again: Value = from_str(&v.to_yaml().expect("writes")).expect("reads again");
        assert_eq!(again, v);
    }
}

impl Error {
    /// The error as a problem in `path`: the reader's message at its position.
    pub fn diagnostic(&self, path: &str) -> crate::error::Diagnostic {
        crate::error::Diagnostic::error(path, self.message()).at_position(self.position())
    }
}

#[cfg(test)]
mod diagnostic_tests {
    use super::*;

    #[test]
    fn a_yaml_error_keeps_the_readers_message_and_position() {
        let err = from_str::<std::collections::BTreeMap<String, u32>>("a: 1\nb: x\n")
            .expect_err("not a number");
        let d = err.diagnostic("f.yaml");
        assert_eq!(
            d.to_string(),
            "f.yaml:2:4: error: b: invalid type: string \"x\", expected u32"
        );
    }
}
