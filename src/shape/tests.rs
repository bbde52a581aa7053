//! Categories and paths of shape errors, read through serde_json.

use super::*;
use serde::de::Visitor;
use serde::Deserialize;
use std::fmt;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Doc {
    id: String,
    #[serde(default)]
    items: Vec<Item>,
    #[serde(default)]
    when: Option<Stamp>,
    #[serde(default)]
    colour: Option<Colour>,
    #[serde(default)]
    word: Option<Word>,
}

/// Text only, read through `deserialize_any`: any other value reaches one of
/// the visitor's default methods, which raise `invalid_type`.
#[derive(Debug)]
struct Word;

impl<'de> Deserialize<'de> for Word {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Word;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a word")
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Word, E> {
                Ok(Word)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Item {
    n: u32,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Colour {
    Red,
}

/// A type that refuses with its own message, under its own newtype name.
#[derive(Debug)]
struct Stamp;

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Stamp;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a stamp")
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Stamp, D::Error> {
                d.deserialize_str(self)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Stamp, E> {
                match v {
                    "ok" => Ok(Stamp),
                    _ => Err(E::custom(format!("bad stamp '{v}'"))),
                }
            }
        }
        d.deserialize_newtype_struct("Stamp", V)
    }
}

fn read(json: &str) -> Failure<serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(json);
    deserialize::<Doc, _>(&mut de).expect_err("should fail")
}

#[test]
fn each_constructor_gives_its_category_and_the_path() {
    let f = read(r#"{"items": []}"#);
    assert_eq!(f.category, Category::MissingField("id"));
    assert_eq!(
        f.error.to_string(),
        "missing field `id` at line 1 column 13"
    );
    let f = read(r#"{"id": "a", "items": [{"n": 1, "m": 2}]}"#);
    assert_eq!(f.category, Category::UnknownField);
    assert_eq!(f.path, "items[0].m");
    let f = read(r#"{"id": "a", "id": "b"}"#);
    assert_eq!(f.category, Category::DuplicateField("id"));
    let f = read(r#"{"id": "a", "word": true}"#);
    assert_eq!(f.category, Category::InvalidType);
    assert!(f
        .error
        .to_string()
        .starts_with("invalid type: boolean `true`, expected a word"));
    let f = read(r#"{"id": "a", "colour": "blue"}"#);
    assert_eq!(f.category, Category::UnknownVariant);
    let f = read(r#"{"id": "a", "items": [{"n": -1}]}"#);
    assert_eq!(f.category, Category::InvalidValue);
}

#[test]
fn a_custom_error_names_the_newtype_it_was_raised_in() {
    let f = read(r#"{"id": "a", "when": "later"}"#);
    assert_eq!(
        f.category,
        Category::Custom {
            within: Some("Stamp")
        }
    );
    assert!(f.error.to_string().starts_with("bad stamp 'later'"));
}

#[test]
fn an_error_of_the_reader_itself_is_the_readers() {
    let f = read(r#"{"id": "a", "#);
    assert_eq!(f.category, Category::Reader);
    // serde_json checks that text is text itself.
    let f = read(r#"{"id": ["a"]}"#);
    assert_eq!((f.category, f.path.as_str()), (Category::Reader, "id"));
}

#[test]
fn a_good_document_reads_as_without_the_layer() {
    let mut de = serde_json::Deserializer::from_str(
        r#"{"id": "a", "items": [{"n": 1}], "when": "ok", "colour": "red"}"#,
    );
    let doc = deserialize::<Doc, _>(&mut de).expect("reads");
    assert_eq!((doc.id.as_str(), doc.items.len()), ("a", 1));
}
