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

mod layer;

use layer::Layer;
use serde::de::{self, Deserializer, Expected, Unexpected};
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
    Custom {
        /// The innermost newtype struct being read, if any.
        within: Option<&'static str>,
    },
}

/// A failed read: the reader's own error, the field path and the category.
#[derive(Debug)]
pub struct Failure<E> {
    /// The reader's own error, untouched.
    pub error: E,
    /// `serde_path_to_error`'s path: `.` for the document itself.
    pub path: String,
    /// What kind of refusal it was.
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

#[cfg(test)]
mod tests;
