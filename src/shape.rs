//! Why a document did not fit its type, as a value rather than as text.
//!
//! serde reports a shape error through one of the constructors of
//! [`serde::de::Error`]: `missing_field`, `unknown_field`, `invalid_type`, `custom`
//! and so on. Readers such as serde_json and yaml_serde turn the call into text and
//! keep nothing else. [`deserialize`] puts a thin layer between the reader and the
//! type being read, so the constructor the type called is remembered as a
//! [`Category`], together with the field path (`sources[0].id`) that
//! `serde_path_to_error` records. The reader's own error value is passed through
//! untouched, so its message and position stay exactly as the reader words them.
//!
//! The layer owns nothing format-specific; it works for any serde reader.

use serde::de::{self, DeserializeSeed, Deserializer, Expected, Unexpected, Visitor};
use std::cell::Cell;
use std::fmt;

/// Which serde error constructor produced an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// The reader rejected the text itself (syntax, or a value its own type checks
    /// refused) before any type saw it.
    Reader,
    /// A required field is absent.
    MissingField(&'static str),
    /// A field the type does not have.
    UnknownField,
    /// The same field twice in one map.
    DuplicateField(&'static str),
    /// A value of the wrong type (a list where text was expected, ...).
    InvalidType,
    /// A value of the right type the type refused.
    InvalidValue,
    /// A list or tuple of the wrong length.
    InvalidLength,
    /// An enum value that is not one of its variants.
    UnknownVariant,
    /// A type's own message. `within` names the innermost newtype struct being read
    /// when the error was raised, so a type can be recognised by the name it
    /// deserializes under.
    Custom { within: Option<&'static str> },
}

/// A failed read: the reader's own error, the field path and the category.
#[derive(Debug)]
pub struct Failure<E> {
    pub error: E,
    /// `serde_path_to_error`'s path: `.` for the document itself.
    pub path: String,
    pub category: Category,
}

/// Reads a `T` from `de`, remembering why it failed.
pub fn deserialize<'de, T, D>(de: D) -> Result<T, Failure<D::Error>>
where
    T: de::Deserialize<'de>,
    D: Deserializer<'de>,
{
    let slot = Cell::new(None);
    match serde_path_to_error::deserialize::<_, T>(Layer { de, slot: &slot }) {
        Ok(value) => Ok(value),
        Err(err) => {
            let path = err.path().to_string();
            let tracked = err.into_inner();
            Err(Failure {
                error: tracked.inner,
                path,
                category: tracked.category,
            })
        }
    }
}

/// The category of the error in flight, while the reader's error value crosses the
/// reader's code, where only the reader's own error type can travel.
type Slot = Cell<Option<Category>>;

/// A reader's error with the category of its cause.
struct Tracked<E> {
    inner: E,
    category: Category,
}

impl<E: fmt::Display> fmt::Display for Tracked<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl<E: fmt::Debug> fmt::Debug for Tracked<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl<E: std::error::Error> std::error::Error for Tracked<E> {}

impl<E: de::Error> de::Error for Tracked<E> {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Tracked {
            inner: E::custom(msg),
            category: Category::Custom { within: None },
        }
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        Tracked {
            inner: E::invalid_type(unexp, exp),
            category: Category::InvalidType,
        }
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        Tracked {
            inner: E::invalid_value(unexp, exp),
            category: Category::InvalidValue,
        }
    }

    fn invalid_length(len: usize, exp: &dyn Expected) -> Self {
        Tracked {
            inner: E::invalid_length(len, exp),
            category: Category::InvalidLength,
        }
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Tracked {
            inner: E::unknown_variant(variant, expected),
            category: Category::UnknownVariant,
        }
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Tracked {
            inner: E::unknown_field(field, expected),
            category: Category::UnknownField,
        }
    }

    fn missing_field(field: &'static str) -> Self {
        Tracked {
            inner: E::missing_field(field),
            category: Category::MissingField(field),
        }
    }

    fn duplicate_field(field: &'static str) -> Self {
        Tracked {
            inner: E::duplicate_field(field),
            category: Category::DuplicateField(field),
        }
    }
}

/// An error coming out of the reader: its category is the one that went in, or
/// [`Category::Reader`] when the reader raised it itself.
fn lift<E>(slot: &Slot, inner: E) -> Tracked<E> {
    Tracked {
        inner,
        category: slot.take().unwrap_or(Category::Reader),
    }
}

/// An error going back into the reader: the category waits in the slot.
fn lower<E>(slot: &Slot, tracked: Tracked<E>) -> E {
    slot.set(Some(tracked.category));
    tracked.inner
}

/// The reader, seen by the type being read.
struct Layer<'s, D> {
    de: D,
    slot: &'s Slot,
}

/// The type's visitor, seen by the reader.
struct Visit<'s, V> {
    visitor: V,
    slot: &'s Slot,
}

macro_rules! forward_deserialize {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, Self::Error> {
                let slot = self.slot;
                self.de
                    .$method($($arg,)* Visit { visitor, slot })
                    .map_err(|e| lift(slot, e))
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Layer<'_, D> {
    type Error = Tracked<D::Error>;

    forward_deserialize! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
        deserialize_ignored_any();
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let slot = self.slot;
        self.de
            .deserialize_newtype_struct(name, Visit { visitor, slot })
            .map_err(|e| {
                let mut tracked = lift(slot, e);
                if tracked.category == (Category::Custom { within: None }) {
                    tracked.category = Category::Custom { within: Some(name) };
                }
                tracked
            })
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident($ty:ty);)*) => {
        $(
            fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
                let slot = self.slot;
                self.visitor.$method::<Tracked<E>>(v).map_err(|t| lower(slot, t))
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Visit<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    forward_visit! {
        visit_bool(bool);
        visit_i8(i8);
        visit_i16(i16);
        visit_i32(i32);
        visit_i64(i64);
        visit_i128(i128);
        visit_u8(u8);
        visit_u16(u16);
        visit_u32(u32);
        visit_u64(u64);
        visit_u128(u128);
        visit_f32(f32);
        visit_f64(f64);
        visit_char(char);
        visit_str(&str);
        visit_borrowed_str(&'de str);
        visit_string(String);
        visit_bytes(&[u8]);
        visit_borrowed_bytes(&'de [u8]);
        visit_byte_buf(Vec<u8>);
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        let slot = self.slot;
        self.visitor
            .visit_none::<Tracked<E>>()
            .map_err(|t| lower(slot, t))
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        let slot = self.slot;
        self.visitor
            .visit_unit::<Tracked<E>>()
            .map_err(|t| lower(slot, t))
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        let slot = self.slot;
        self.visitor
            .visit_some(Layer { de, slot })
            .map_err(|t| lower(slot, t))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        let slot = self.slot;
        self.visitor
            .visit_newtype_struct(Layer { de, slot })
            .map_err(|t| lower(slot, t))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, access: A) -> Result<V::Value, A::Error> {
        let slot = self.slot;
        self.visitor
            .visit_seq(Access { access, slot })
            .map_err(|t| lower(slot, t))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, access: A) -> Result<V::Value, A::Error> {
        let slot = self.slot;
        self.visitor
            .visit_map(Access { access, slot })
            .map_err(|t| lower(slot, t))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, access: A) -> Result<V::Value, A::Error> {
        let slot = self.slot;
        self.visitor
            .visit_enum(Access { access, slot })
            .map_err(|t| lower(slot, t))
    }
}

/// A value being read on the type's behalf (a map key or value, a list item, an enum
/// variant), seen by the reader.
struct Seed<'s, S> {
    seed: S,
    slot: &'s Slot,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<S::Value, D::Error> {
        let slot = self.slot;
        self.seed
            .deserialize(Layer { de, slot })
            .map_err(|t| lower(slot, t))
    }
}

/// The reader's list, map, enum or variant access, seen by the type.
struct Access<'s, A> {
    access: A,
    slot: &'s Slot,
}

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for Access<'_, A> {
    type Error = Tracked<A::Error>;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        let slot = self.slot;
        self.access
            .next_element_seed(Seed { seed, slot })
            .map_err(|e| lift(slot, e))
    }

    fn size_hint(&self) -> Option<usize> {
        self.access.size_hint()
    }
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for Access<'_, A> {
    type Error = Tracked<A::Error>;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let slot = self.slot;
        self.access
            .next_key_seed(Seed { seed, slot })
            .map_err(|e| lift(slot, e))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        let slot = self.slot;
        self.access
            .next_value_seed(Seed { seed, slot })
            .map_err(|e| lift(slot, e))
    }

    fn size_hint(&self) -> Option<usize> {
        self.access.size_hint()
    }
}

impl<'de, 's, A: de::EnumAccess<'de>> de::EnumAccess<'de> for Access<'s, A> {
    type Error = Tracked<A::Error>;
    type Variant = Access<'s, A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), Self::Error> {
        let slot = self.slot;
        self.access
            .variant_seed(Seed { seed, slot })
            .map(|(value, access)| (value, Access { access, slot }))
            .map_err(|e| lift(slot, e))
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for Access<'_, A> {
    type Error = Tracked<A::Error>;

    fn unit_variant(self) -> Result<(), Self::Error> {
        let slot = self.slot;
        self.access.unit_variant().map_err(|e| lift(slot, e))
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        let slot = self.slot;
        self.access
            .newtype_variant_seed(Seed { seed, slot })
            .map_err(|e| lift(slot, e))
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let slot = self.slot;
        self.access
            .tuple_variant(len, Visit { visitor, slot })
            .map_err(|e| lift(slot, e))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let slot = self.slot;
        self.access
            .struct_variant(fields, Visit { visitor, slot })
            .map_err(|e| lift(slot, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

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
                fn visit_newtype_struct<D: Deserializer<'de>>(
                    self,
                    d: D,
                ) -> Result<Stamp, D::Error> {
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
}
