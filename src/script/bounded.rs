//! Rhai's built-ins whose one call makes a value as large as an argument asks for
//! (`"x".pad(n, "y")`, `[].pad(n, item)`, `blob(n)`, `b.pad(n, v)`) or as large as
//! the product of its arguments (`s.replace(find, substitute)`), replaced in the
//! sandbox by versions that weigh the value before making it.
//!
//! The sandbox checks its memory budget after every operation
//! ([`super::sandbox`]), but one such call can take gigabytes and many seconds
//! before the next check, or fail to allocate and abort the process. So each of
//! these refuses, before it allocates, a text longer than `max_string_size`
//! bytes, an array or BLOB longer than `max_array_size` items, or more memory than
//! the call has left of `max_call_memory`; the call is then terminated with an
//! [`OverLimit`] saying what was asked and which limit refused it. Otherwise each
//! does exactly what Rhai's own does, except that padding a text with an empty
//! text leaves it as it is (Rhai's loops forever).
//!
//! Functions registered on the engine itself are found before those of Rhai's
//! packages, as the sandbox's `sleep` is; the tests check each is.
//!
//! The other built-ins make values no larger than a small multiple of the
//! values they are given (`+`, `to_chars`, `split`, `extract`, `sort`,
//! `to_upper`…), or iterate lazily (`range`, `chars`), one operation per item.
//! Not weighed: writing out a list that holds one text many times (`to_string`,
//! `${list}`, `print`), which makes a text as long as all the copies together,
//! though the list holds the text once.

use super::sandbox::{memory_left, Limits, OverLimit};
use rhai::{Array, Blob, Dynamic, Engine, EvalAltResult, ImmutableString, Position, INT};

type Fallible<T> = Result<T, Box<EvalAltResult>>;

/// The built-ins this module replaces (left out of the script API reference: they
/// are Rhai's, bounded).
pub const BOUNDED: &[&str] = &["blob", "pad", "replace"];

/// The bytes of one array item (a `Dynamic`).
const ITEM: u64 = std::mem::size_of::<Dynamic>() as u64;
/// About the bytes of the box an array, map, BLOB or other value that is not a
/// number, text or flag is kept in.
const BOXED: u64 = 32;
/// The bytes one entry of a map takes beyond its value: key, value slot and its
/// share of the tree's node.
const MAP_ENTRY: u64 = 64;

/// What `blob` and a BLOB's `pad` make.
const BLOB: &str = "a BLOB";
/// What an array's `pad` makes.
const ARRAY: &str = "an array";

fn wide(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

fn refuse(function: &str, why: String) -> Box<EvalAltResult> {
    EvalAltResult::ErrorTerminated(
        Dynamic::from(OverLimit(format!("`{function}` {why}"))),
        Position::NONE,
    )
    .into()
}

/// A text of `bytes` bytes is within `max_string_size`, and the call has the memory
/// to make it.
pub(crate) fn text_within(limits: &Limits, function: &str, bytes: u64) -> Fallible<()> {
    if bytes > wide(limits.max_string_size) {
        return Err(refuse(
            function,
            format!(
                "would make a text of {bytes} bytes, more than the {} a text may have (limits.max_string_size in ruleset.yaml)",
                limits.max_string_size
            ),
        ));
    }
    memory_within(limits, function, bytes)
}

/// An array of `items` items (or a BLOB of `items` bytes) is within
/// `max_array_size`, and the call has the `bytes` of memory it takes.
fn items_within(
    limits: &Limits,
    function: &str,
    made: &str,
    items: u64,
    bytes: u64,
) -> Fallible<()> {
    if items > wide(limits.max_array_size) {
        let unit = if made == BLOB { "bytes" } else { "items" };
        return Err(refuse(
            function,
            format!(
                "would make {made} of {items} {unit}, more than the {} an array or BLOB may have (limits.max_array_size in ruleset.yaml)",
                limits.max_array_size
            ),
        ));
    }
    memory_within(limits, function, bytes)
}

/// The call has `bytes` of memory left.
fn memory_within(limits: &Limits, function: &str, bytes: u64) -> Fallible<()> {
    if bytes > memory_left(limits) {
        return Err(refuse(
            function,
            format!(
                "would take about {bytes} bytes of memory, more than the call has left of its {} (limits.max_call_memory in ruleset.yaml)",
                limits.max_call_memory
            ),
        ));
    }
    Ok(())
}

/// About how many bytes a copy of `value` allocates, counted no further than past
/// `cap`. Texts and shared values are shared by a copy, not copied.
fn copy_bytes(value: &Dynamic, cap: u64) -> u64 {
    if value.is_shared() || value.is_string() || value.is_int() || value.is_unit() {
        return 0;
    }
    if let Some(items) = value.read_lock::<Array>() {
        let mut total = BOXED.saturating_add(ITEM.saturating_mul(wide(items.len())));
        for item in items.iter() {
            if total > cap {
                break;
            }
            total = total.saturating_add(copy_bytes(item, cap - total));
        }
        return total;
    }
    if let Some(map) = value.read_lock::<rhai::Map>() {
        let mut total = BOXED;
        for (key, item) in map.iter() {
            if total > cap {
                break;
            }
            // A key longer than fits inline is a copy of its own.
            let key = if key.len() > 23 { wide(key.len()) } else { 0 };
            total = total
                .saturating_add(MAP_ENTRY + key)
                .saturating_add(copy_bytes(item, cap.saturating_sub(total)));
        }
        return total;
    }
    if let Some(blob) = value.read_lock::<Blob>() {
        return BOXED.saturating_add(wide(blob.len()));
    }
    if value.is_bool() || value.is_char() || value.is_float() {
        return 0;
    }
    BOXED
}

/// How many of `count` characters a padding of `padding` adds, in bytes: whole
/// copies of it, then as many of its characters as are still wanted.
fn padding_bytes(padding: &str, count: u64) -> u64 {
    let chars = wide(padding.chars().count());
    if chars == 0 {
        return 0;
    }
    let whole = (count / chars).saturating_mul(wide(padding.len()));
    let rest: usize = padding
        .chars()
        .take(usize::try_from(count % chars).unwrap_or(usize::MAX))
        .map(char::len_utf8)
        .sum();
    whole.saturating_add(wide(rest))
}

/// `string.pad(len, padding)`: Rhai's, weighed first; an empty padding adds nothing.
fn pad_text(
    limits: &Limits,
    string: &mut ImmutableString,
    len: INT,
    padding: &str,
) -> Fallible<()> {
    let Ok(len) = u64::try_from(len) else {
        return Ok(());
    };
    let has = wide(string.chars().count());
    if len <= has || padding.is_empty() {
        return Ok(());
    }
    let bytes = wide(string.len()).saturating_add(padding_bytes(padding, len - has));
    text_within(limits, "pad", bytes)?;
    let text = string.make_mut();
    let mut count = has;
    let per_copy = wide(padding.chars().count());
    while count + per_copy <= len {
        text.push_str(padding);
        count += per_copy;
    }
    text.extend(
        padding
            .chars()
            .take(usize::try_from(len - count).unwrap_or(usize::MAX)),
    );
    Ok(())
}

/// `string.replace(find, substitute)`: Rhai's, with the length of what it makes
/// weighed first when it can grow (each match of `find` made `substitute`; an
/// empty `find` matches before every character and at the end).
fn replace_text(
    limits: &Limits,
    string: &mut ImmutableString,
    find: &str,
    substitute: &str,
) -> Fallible<()> {
    if string.is_empty() {
        return Ok(());
    }
    if substitute.len() > find.len() {
        let growth = wide(substitute.len() - find.len());
        let length = wide(string.len());
        // At most one match per byte of `find` (and one more for an empty one):
        // count the matches only when that many could be too many.
        let most = length / wide(find.len().max(1)) + 1;
        let limit = wide(limits.max_string_size).min(memory_left(limits));
        if length.saturating_add(most.saturating_mul(growth)) > limit {
            let matches = if find.is_empty() {
                wide(string.chars().count()) + 1
            } else {
                wide(string.matches(find).count())
            };
            text_within(
                limits,
                "replace",
                length.saturating_add(matches.saturating_mul(growth)),
            )?;
        }
    }
    *string = string.replace(find, substitute).into();
    Ok(())
}

/// A BLOB of `len` bytes of `value` (Rhai's `blob(len, value)`), weighed first.
fn make_blob(limits: &Limits, len: INT, value: INT) -> Fallible<Blob> {
    let Ok(len) = usize::try_from(len) else {
        return Ok(Blob::new());
    };
    items_within(limits, "blob", BLOB, wide(len), wide(len))?;
    Ok(vec![(value & 0xff) as u8; len])
}

/// Registers the bounded built-ins on `engine`, ahead of Rhai's.
pub fn register(engine: &mut Engine, limits: &Limits) {
    let l = *limits;
    engine.register_fn(
        "pad",
        move |string: &mut ImmutableString, len: INT, character: char| {
            pad_text(&l, string, len, character.encode_utf8(&mut [0; 4]))
        },
    );
    engine.register_fn(
        "pad",
        move |string: &mut ImmutableString, len: INT, padding: ImmutableString| {
            pad_text(&l, string, len, &padding)
        },
    );
    engine.register_fn(
        "pad",
        move |array: &mut Array, len: INT, item: Dynamic| -> Fallible<()> {
            let Ok(len) = usize::try_from(len) else {
                return Ok(());
            };
            if len <= array.len() {
                return Ok(());
            }
            let added = wide(len - array.len());
            // The new list, then a copy of the item for each place added.
            let list = ITEM.saturating_mul(wide(len));
            let room = memory_left(&l).saturating_sub(list) / added;
            let bytes = list.saturating_add(added.saturating_mul(copy_bytes(&item, room)));
            items_within(&l, "pad", ARRAY, wide(len), bytes)?;
            // As `resize` would, without a second use of the `Vec<Dynamic>::resize`
            // the compiled tier's calls inline.
            array.extend(std::iter::repeat_n(item, len - array.len()));
            Ok(())
        },
    );
    engine.register_fn(
        "pad",
        move |blob: &mut Blob, len: INT, value: INT| -> Fallible<()> {
            let Ok(len) = usize::try_from(len) else {
                return Ok(());
            };
            if len > blob.len() {
                items_within(&l, "pad", BLOB, wide(len), wide(len))?;
                blob.resize(len, (value & 0xff) as u8);
            }
            Ok(())
        },
    );
    engine.register_fn("blob", move |len: INT| make_blob(&l, len, 0));
    engine.register_fn("blob", move |len: INT, value: INT| {
        make_blob(&l, len, value)
    });
    engine.register_fn(
        "replace",
        move |string: &mut ImmutableString, find: ImmutableString, substitute: ImmutableString| {
            replace_text(&l, string, &find, &substitute)
        },
    );
    engine.register_fn(
        "replace",
        move |string: &mut ImmutableString, find: char, substitute: ImmutableString| {
            replace_text(&l, string, find.encode_utf8(&mut [0; 4]), &substitute)
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::sandbox::{sandboxed_engine, with_budget};

    fn small() -> Limits {
        Limits {
            max_string_size: 1_024,
            max_array_size: 100,
            max_call_memory: 1 << 20,
            ..Limits::default()
        }
    }

    /// What the sandbox says of `script` under `limits`, with a budget as a call has.
    fn sandboxed(limits: &Limits, script: &str) -> Result<String, String> {
        let engine = sandboxed_engine(limits);
        with_budget(limits, || engine.eval::<Dynamic>(script))
            .map(|v| format!("{v:?}"))
            .map_err(|e| match *e {
                EvalAltResult::ErrorTerminated(token, _) if token.is::<OverLimit>() => token
                    .read_lock::<OverLimit>()
                    .map(|o| o.0.clone())
                    .unwrap_or_default(),
                other => format!("not refused: {other}"),
            })
    }

    #[test]
    fn each_bounded_built_in_is_found_before_rhai_s() {
        // Over the small limits, yet small enough for Rhai's own to make at once:
        // only the sandbox's versions refuse.
        for (script, refusal) in [
            (
                "let s = \"x\"; s.pad(2000, 'y'); s",
                "`pad` would make a text of 2000 bytes",
            ),
            (
                "let s = \"x\"; s.pad(2000, \"yz\"); s",
                "`pad` would make a text of 2000 bytes",
            ),
            (
                "let a = []; a.pad(101, 0); a",
                "`pad` would make an array of 101 items",
            ),
            (
                "let b = blob(); b.pad(101, 1); b",
                "`pad` would make a BLOB of 101 bytes",
            ),
            ("blob(101)", "`blob` would make a BLOB of 101 bytes"),
            ("blob(101, 7)", "`blob` would make a BLOB of 101 bytes"),
            (
                "let t = \"\"; t.pad(300, '.'); let s = \"aaaa\"; s.replace(\"a\", t); s",
                "`replace` would make a text of 1200 bytes",
            ),
            (
                "let t = \"\"; t.pad(300, '.'); let s = \"aaaa\"; s.replace('a', t); s",
                "`replace` would make a text of 1200 bytes",
            ),
        ] {
            let refused = sandboxed(&small(), script).expect_err(script);
            assert!(refused.starts_with(refusal), "{script}: {refused}");
            assert!(refused.contains("limits.max_"), "{refused}");
            assert!(
                rhai::Engine::new().eval::<Dynamic>(script).is_ok(),
                "{script}"
            );
        }
    }

    #[test]
    fn within_the_limits_each_does_what_rhai_s_does() {
        for script in [
            "let s = \"hello\"; s.pad(8, '!'); s",
            "let s = \"hello\"; s.pad(3, '!'); s",
            "let s = \"hello\"; s.pad(-1, '!'); s",
            "let s = \"blå\"; s.pad(9, 'ø'); s",
            "let s = \"hello\"; s.pad(10, \"(!)\"); s",
            "let s = \"hi\"; s.pad(7, \"æøå\"); s",
            "let s = \"hello\"; s.pad(2, \"(!)\"); s",
            "let a = [1, 2, 3]; a.pad(5, 42); a",
            "let a = [1, 2, 3]; a.pad(2, 42); a",
            "let a = [1]; a.pad(-5, 42); a",
            "let a = []; a.pad(3, [1, #{x: \"y\"}]); a",
            "let b = blob(3, 0x42); b.pad(5, 0x1ff); b",
            "let b = blob(3, 0x42); b.pad(2, 1); b",
            "let b = blob(3, 0x42); b.pad(-2, 1); b",
            "blob(10)",
            "blob(0)",
            "blob(-1)",
            "blob(4, 0x1234)",
            "blob(4, -1)",
            "let s = \"hello, world! hello, foobar!\"; s.replace(\"hello\", \"hey\"); s",
            "let s = \"hello\"; s.replace(\"l\", \"LLL\"); s",
            "let s = \"blå\"; s.replace(\"\", \"-\"); s",
            "let s = \"\"; s.replace(\"\", \"-\"); s",
            "let s = \"hello\"; s.replace('l', \"[ll]\"); s",
            "let s = \"hello\"; s.replace('z', \"[zz]\"); s",
            "let s = \"hello\"; s.replace(\"l\", '*'); s",
            "let s = \"hello\"; s.replace('l', '*'); s",
        ] {
            let rhai = rhai::Engine::new()
                .eval::<Dynamic>(script)
                .map(|v| format!("{v:?}"))
                .expect(script);
            assert_eq!(sandboxed(&small(), script), Ok(rhai), "{script}");
        }
    }

    #[test]
    fn padding_a_text_with_an_empty_text_leaves_it_as_it_is() {
        // Rhai's own pad never ends here.
        assert_eq!(
            sandboxed(&small(), "let s = \"x\"; s.pad(10, \"\"); s"),
            Ok("\"x\"".to_string())
        );
    }

    #[test]
    fn padding_an_array_with_copies_of_a_list_is_weighed_by_the_copies() {
        let limits = Limits {
            max_array_size: 10_000,
            ..small()
        };
        // Ninety copies of a list of 1,000 items: 90 × 16,000 bytes, over 1 MiB.
        let script = "let a = []; a.pad(1000, 0); let b = []; b.pad(90, a); b.len()";
        let refused = sandboxed(&limits, script).expect_err(script);
        assert!(refused.starts_with("`pad` would take about"), "{refused}");
        assert!(refused.contains("limits.max_call_memory"), "{refused}");
        // A text is shared by its copies: ninety of one text take ninety places.
        let shared = "let s = \"x\"; s.pad(1000, 'y'); let b = []; b.pad(90, s); b.len()";
        assert_eq!(sandboxed(&limits, shared), Ok("90".to_string()));
    }

    #[test]
    fn a_replace_that_could_grow_past_the_limit_counts_its_matches_first() {
        let limits = small();
        // Could make 5 / 2 × 300 bytes and more, over 1,024; two matches make 601.
        let fit =
            "let s = \"abcab\"; let t = \"d\"; t.pad(300, 'e'); s.replace(\"ab\", t); s.len()";
        assert_eq!(sandboxed(&limits, fit), Ok("601".to_string()));
        let many = "let s = \"a\"; s.pad(500, 'a'); s.replace(\"a\", \"xyz\"); s";
        let refused = sandboxed(&limits, many).expect_err(many);
        assert!(
            refused.starts_with("`replace` would make a text of 1500 bytes"),
            "{refused}"
        );
    }
}
