//! Rhai's operators and the standard functions rule scripts lean on (`len`,
//! `is_empty`, `contains`, `push`, `sort`, indexing, reading a field), done
//! directly on values. Each answers `None` wherever Rhai would do anything other
//! than the plain case handled here (another type, an overflow, a missing field):
//! the compiled tier then leaves the whole call to Rhai.

use crate::script::frozen::Frozen;
use rhai::{Array, Dynamic, ImmutableString, Map, INT};
use std::cmp::Ordering;

/// The string inside a value, if it holds one.
fn str_of(v: &Dynamic) -> Option<ImmutableString> {
    v.read_lock::<ImmutableString>().map(|s| s.clone())
}

/// Whether a value is a number (Rhai compares numbers of different kinds by
/// value, which is left to Rhai).
fn numeric(v: &Dynamic) -> bool {
    v.is_int() || v.is_float()
}

/// How `x` and `y` order, for two values of one plain kind: integers, strings,
/// characters or booleans (`==` only), and `()`. `None` for anything else.
fn same_kind(x: &Dynamic, y: &Dynamic) -> Option<Ordering> {
    // Strings first, the kind rules compare most; each kind is tried on `y` only
    // when `x` is of it (the kinds do not overlap).
    if let Some(a) = x.read_lock::<ImmutableString>() {
        let b = y.read_lock::<ImmutableString>()?;
        return Some(a.as_str().cmp(b.as_str()));
    }
    if let Ok(a) = x.as_int() {
        return y.as_int().ok().map(|b| a.cmp(&b));
    }
    if let (Ok(a), Ok(b)) = (x.as_char(), y.as_char()) {
        return Some(a.cmp(&b));
    }
    if let (Ok(a), Ok(b)) = (x.as_bool(), y.as_bool()) {
        return Some(a.cmp(&b));
    }
    if x.is_unit() && y.is_unit() {
        return Some(Ordering::Equal);
    }
    None
}

/// Whether two values of different kinds, neither a number, are told apart by
/// Rhai's built-in rule: `==` is false, `!=` true, and every ordering false.
fn different_kinds(x: &Dynamic, y: &Dynamic) -> bool {
    x.type_id() != y.type_id() && !(numeric(x) && numeric(y))
}

/// `x == y` as Rhai decides it for plain values.
pub(super) fn equal(x: &Dynamic, y: &Dynamic) -> Option<bool> {
    if let Some(order) = same_kind(x, y) {
        return Some(order == Ordering::Equal);
    }
    if different_kinds(x, y) && !numeric(x) && !numeric(y) {
        return Some(false);
    }
    None
}

/// A binary operator (`==`, `!=`, `<`, `<=`, `>`, `>=`, `+`, `-`, `*`, `/`, `%`).
pub(super) fn binary(op: &str, x: &Dynamic, y: &Dynamic) -> Option<Dynamic> {
    match op {
        "==" => equal(x, y).map(Dynamic::from_bool),
        "!=" => equal(x, y).map(|e| Dynamic::from_bool(!e)),
        "<" | "<=" | ">" | ">=" => {
            let holds = match same_kind(x, y) {
                // Booleans have `==` and `!=` only.
                Some(_) if x.is_bool() => return None,
                // () compares equal to itself but orders with nothing.
                Some(_) if x.is_unit() => false,
                Some(order) => match op {
                    "<" => order == Ordering::Less,
                    "<=" => order != Ordering::Greater,
                    ">" => order == Ordering::Greater,
                    _ => order != Ordering::Less,
                },
                None if different_kinds(x, y) && !numeric(x) && !numeric(y) => false,
                None => return None,
            };
            Some(Dynamic::from_bool(holds))
        }
        "+" => plus(x, y),
        "-" | "*" | "/" | "%" => {
            let (a, b) = (x.as_int().ok()?, y.as_int().ok()?);
            let v: INT = match op {
                "-" => a.checked_sub(b)?,
                "*" => a.checked_mul(b)?,
                "/" => a.checked_div(b)?,
                _ => a.checked_rem(b)?,
            };
            Some(Dynamic::from_int(v))
        }
        _ => None,
    }
}

/// Binary operator `op` as a function of its two operands, for the operators
/// [`binary`] answers.
pub(super) fn binary_op(op: &str) -> Option<fn(&Dynamic, &Dynamic) -> Option<Dynamic>> {
    Some(match op {
        "==" => |x, y| binary("==", x, y),
        "!=" => |x, y| binary("!=", x, y),
        "<" => |x, y| binary("<", x, y),
        "<=" => |x, y| binary("<=", x, y),
        ">" => |x, y| binary(">", x, y),
        ">=" => |x, y| binary(">=", x, y),
        "+" => |x, y| binary("+", x, y),
        "-" => |x, y| binary("-", x, y),
        "*" => |x, y| binary("*", x, y),
        "/" => |x, y| binary("/", x, y),
        "%" => |x, y| binary("%", x, y),
        _ => return None,
    })
}

/// `x + y`: integers (checked), strings joined, a string with `()`.
fn plus(x: &Dynamic, y: &Dynamic) -> Option<Dynamic> {
    if let (Ok(a), Ok(b)) = (x.as_int(), y.as_int()) {
        return a.checked_add(b).map(Dynamic::from_int);
    }
    match (str_of(x), str_of(y)) {
        (Some(a), Some(b)) => Some(Dynamic::from(a + b)),
        (Some(a), None) if y.is_unit() => Some(Dynamic::from(a)),
        (None, Some(b)) if x.is_unit() => Some(Dynamic::from(b)),
        _ => None,
    }
}

/// `!x` for a boolean.
pub(super) fn not(x: &Dynamic) -> Option<Dynamic> {
    x.as_bool().ok().map(|b| Dynamic::from_bool(!b))
}

/// `-x` for an integer.
pub(super) fn negate(x: &Dynamic) -> Option<Dynamic> {
    x.as_int().ok()?.checked_neg().map(Dynamic::from_int)
}

/// A value as string interpolation (`${…}`) shows it: strings, integers and
/// booleans; anything else is left to Rhai.
pub(super) fn to_text(x: &Dynamic, out: &mut String) -> Option<()> {
    if let Some(s) = x.read_lock::<ImmutableString>() {
        out.push_str(s.as_str());
    } else if let Ok(n) = x.as_int() {
        out.push_str(&n.to_string());
    } else if let Ok(b) = x.as_bool() {
        out.push_str(if b { "true" } else { "false" });
    } else {
        return None;
    }
    Some(())
}

/// The field `name` of a map, read-only or not; `None` when it has none (Rhai's
/// error for a missing field is left to Rhai).
pub(super) fn property(x: &Dynamic, name: &str) -> Option<Dynamic> {
    if let Some(f) = x.read_lock::<Frozen>() {
        return f.get_ref(name).cloned();
    }
    x.read_lock::<Map>()?.get(name).cloned()
}

/// `x[key]`: an array item by a non-negative index within it, or a map field.
pub(super) fn index(x: &Dynamic, key: &Dynamic) -> Option<Dynamic> {
    if let Some(items) = x.read_lock::<Array>() {
        let i = usize::try_from(key.as_int().ok()?).ok()?;
        return items.get(i).cloned();
    }
    let key = key.read_lock::<ImmutableString>()?;
    property(x, key.as_str())
}

/// A standard function that reads its first argument: `len`, `is_empty`,
/// `contains` (also `x in y`).
pub(super) fn call(name: &str, x: &Dynamic, rest: &[Dynamic]) -> Option<Dynamic> {
    match (name, rest) {
        ("len", []) => length(x).map(Dynamic::from_int),
        ("is_empty", []) => length(x).map(|n| Dynamic::from_bool(n == 0)),
        ("contains", [y]) => contains(x, y).map(Dynamic::from_bool),
        _ => None,
    }
}

/// Whether `call` can answer a function of this name and arity.
pub(super) fn is_call(name: &str, arity: usize) -> bool {
    matches!((name, arity), ("len" | "is_empty", 1) | ("contains", 2))
}

/// The length of a string (in characters), array or map.
fn length(x: &Dynamic) -> Option<INT> {
    let n = if let Some(s) = x.read_lock::<ImmutableString>() {
        s.chars().count()
    } else if let Some(a) = x.read_lock::<Array>() {
        a.len()
    } else if let Some(m) = x.read_lock::<Map>() {
        m.len()
    } else {
        x.read_lock::<Frozen>()?.len()
    };
    INT::try_from(n).ok()
}

/// `x.contains(y)`: an array item equal to `y`, a map field named `y`, a string
/// inside a string.
fn contains(x: &Dynamic, y: &Dynamic) -> Option<bool> {
    if let Some(items) = x.read_lock::<Array>() {
        for item in items.iter() {
            if equal(item, y)? {
                return Some(true);
            }
        }
        return Some(false);
    }
    if let Some(s) = x.read_lock::<ImmutableString>() {
        if let Some(part) = y.read_lock::<ImmutableString>() {
            return Some(s.contains(part.as_str()));
        }
        return y.as_char().ok().map(|c| s.contains(c));
    }
    let key = y.read_lock::<ImmutableString>()?;
    if let Some(m) = x.read_lock::<Map>() {
        return Some(m.contains_key(key.as_str()));
    }
    Some(x.read_lock::<Frozen>()?.get_ref(key.as_str()).is_some())
}

/// A standard method that changes its target in place: `push` and `sort` on an
/// array, or any of [`call`].
pub(super) fn call_mut(
    name: &str,
    target: &mut Dynamic,
    mut args: Vec<Dynamic>,
) -> Option<Dynamic> {
    match (name, args.len()) {
        ("push", 1) => {
            let item = args.pop()?;
            target.write_lock::<Array>()?.push(item);
            Some(Dynamic::UNIT)
        }
        ("sort", 0) => {
            let mut items = target.write_lock::<Array>()?;
            sort(&mut items)?;
            Some(Dynamic::UNIT)
        }
        _ => call(name, target, &args),
    }
}

/// Whether `call_mut` can answer a method of this name and arity.
pub(super) fn is_call_mut(name: &str, arity: usize) -> bool {
    matches!((name, arity), ("push", 1) | ("sort", 0)) || is_call(name, arity + 1)
}

/// Sorts an array of integers only or of strings only, as Rhai's `sort` does;
/// `None` for any other array (left to Rhai).
fn sort(items: &mut Array) -> Option<()> {
    if items.iter().all(Dynamic::is_int) {
        items.sort_by_key(|d| d.as_int().unwrap_or_default());
    } else if items.iter().all(Dynamic::is_string) {
        items.sort_by(|a, b| {
            let (a, b) = (str_of(a), str_of(b));
            a.as_deref().cmp(&b.as_deref())
        });
    } else {
        return None;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Dynamic {
        Dynamic::from(v.to_string())
    }

    #[test]
    fn comparing_values_of_different_kinds_follows_rhai() {
        assert_eq!(equal(&s("a"), &Dynamic::UNIT), Some(false));
        assert_eq!(
            binary("!=", &s("a"), &Dynamic::UNIT).map(|d| d.as_bool().ok()),
            Some(Some(true))
        );
        assert_eq!(
            binary("<", &s("a"), &Dynamic::UNIT).map(|d| d.as_bool().ok()),
            Some(Some(false))
        );
        // Integers beside decimals are compared by value, which is Rhai's to do.
        assert_eq!(
            equal(&Dynamic::from_int(1), &Dynamic::from_float(1.0)),
            None
        );
    }

    #[test]
    fn arithmetic_that_would_overflow_is_left_to_rhai() {
        assert!(binary("+", &Dynamic::from_int(INT::MAX), &Dynamic::from_int(1)).is_none());
        assert!(binary("/", &Dynamic::from_int(1), &Dynamic::from_int(0)).is_none());
        assert_eq!(
            binary("+", &s("a"), &s("b")).map(|d| d.to_string()),
            Some("ab".to_string())
        );
    }

    #[test]
    fn strings_count_characters_and_arrays_sort_when_of_one_kind() {
        assert_eq!(
            call("len", &s("blå"), &[]).and_then(|d| d.as_int().ok()),
            Some(3)
        );
        let mut mixed = Dynamic::from_array(vec![s("b"), Dynamic::from_int(1)]);
        assert!(call_mut("sort", &mut mixed, vec![]).is_none());
        let mut words = Dynamic::from_array(vec![s("b"), s("a")]);
        assert!(call_mut("sort", &mut words, vec![]).is_some());
        assert_eq!(words.to_string(), "[\"a\", \"b\"]");
    }
}
