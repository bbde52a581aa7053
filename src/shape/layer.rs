//! The layer itself: the reader's deserializer, visitors and accesses, each wrapped
//! so that errors crossing into the reader leave their category in the slot and
//! errors coming out of it take the category back.

use super::{lift, lower, Category, Slot, Tracked};
use serde::de::{self, DeserializeSeed, Deserializer, Visitor};
use std::fmt;

/// The reader, seen by the type being read.
pub(super) struct Layer<'s, D> {
    pub(super) de: D,
    pub(super) slot: &'s Slot,
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
