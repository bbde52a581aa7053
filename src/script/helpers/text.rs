//! Values and lists: blank values and e-mail addresses, joining and intersecting
//! lists, and the application's attachments and sources.

use super::Fallible;
use crate::script::bounded::text_within;
use crate::script::frozen::{field, Frozen};
use crate::script::sandbox::Limits;
use rhai::{Array, Dynamic, Engine, ImmutableString, Map};

pub(super) fn is_blank(value: &Dynamic) -> bool {
    if value.is_unit() {
        return true;
    }
    if let Some(s) = value.read_lock::<ImmutableString>() {
        return s.trim().is_empty();
    }
    if let Some(a) = value.read_lock::<Array>() {
        return a.is_empty();
    }
    if let Some(m) = value.read_lock::<Map>() {
        return m.is_empty();
    }
    if let Some(f) = value.read_lock::<Frozen>() {
        return f.is_empty();
    }
    false
}

/// Something, `@`, a domain with a dot; no spaces.
pub fn is_email(s: &str) -> bool {
    let s = s.trim();
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && !s.chars().any(char::is_whitespace)
                && domain.split('.').count() >= 2
                && domain.split('.').all(|p| !p.is_empty())
        }
        None => false,
    }
}

/// Registers `is_blank` and `is_email`.
/// `is_email` as scripts call it: false for anything but a string.
pub(super) fn is_email_value(value: &Dynamic) -> bool {
    value
        .read_lock::<ImmutableString>()
        .is_some_and(|s| is_email(&s))
}

/// The items that also appear in `others`, in the order of `items`.
pub(super) fn common(items: &Array, others: &Array) -> Array {
    items
        .iter()
        .filter(|i| others.iter().any(|o| same_text(i, o)))
        .cloned()
        .collect()
}

/// Whether a value reads as `text` (a string compared in place).
fn reads_as(value: &Dynamic, text: &str) -> bool {
    match value.read_lock::<ImmutableString>() {
        Some(s) => s.as_str() == text,
        None => value.to_string() == text,
    }
}

/// Whether two values read the same as text (strings compared in place).
fn same_text(a: &Dynamic, b: &Dynamic) -> bool {
    match (
        a.read_lock::<ImmutableString>(),
        b.read_lock::<ImmutableString>(),
    ) {
        (Some(a), Some(b)) => a.as_str() == b.as_str(),
        _ => a.to_string() == b.to_string(),
    }
}

/// Whether the application map carries an attachment of `kind` (read in place).
pub(super) fn has_attachment(app: &Dynamic, kind: &str) -> bool {
    let of_kind = |attachments: &Dynamic| {
        attachments.read_lock::<Array>().is_some_and(|items| {
            items
                .iter()
                .any(|a| field(a, "kind").is_some_and(|k| reads_as(&k, kind)))
        })
    };
    if let Some(frozen) = app.read_lock::<Frozen>() {
        return frozen.get_ref("attachments").is_some_and(of_kind);
    }
    app.read_lock::<Map>()
        .and_then(|m| m.get("attachments").map(of_kind))
        .unwrap_or(false)
}

pub(super) fn register_values(engine: &mut Engine) {
    register!(
        engine,
        "is_blank",
        &["value: any", "bool"],
        "True for (), an empty or all-space string, an empty array or an empty map.",
        |value: Dynamic| is_blank(&value),
    );
    register!(
        engine,
        "is_email",
        &["value: any", "bool"],
        "True when the value is a string that looks like an e-mail address.",
        |value: Dynamic| is_email_value(&value),
    );
}

/// The items as text (a text as it is, anything else as it prints), separated by
/// `separator`. Its length is known before it is made, and refused over
/// `max_string_size` or the memory the call has left: many items and a long
/// separator could otherwise take gigabytes in this one call.
pub(super) fn join(limits: &Limits, items: &Array, separator: &str) -> Fallible<String> {
    // Texts are measured where they are; anything else is written out first.
    let printed: Vec<Option<String>> = items
        .iter()
        .map(|d| (!d.is_string()).then(|| d.to_string()))
        .collect();
    let mut bytes = separator
        .len()
        .saturating_mul(items.len().saturating_sub(1));
    for (item, printed) in items.iter().zip(&printed) {
        let length = match printed {
            Some(text) => text.len(),
            None => item.read_lock::<ImmutableString>().map_or(0, |s| s.len()),
        };
        bytes = bytes.saturating_add(length);
    }
    text_within(limits, "join", u64::try_from(bytes).unwrap_or(u64::MAX))?;
    let mut out = String::with_capacity(bytes);
    for (i, (item, printed)) in items.iter().zip(&printed).enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        match printed {
            Some(text) => out.push_str(text),
            None => {
                if let Some(s) = item.read_lock::<ImmutableString>() {
                    out.push_str(&s);
                }
            }
        }
    }
    Ok(out)
}

/// Registers `join` (held to `limits`), `common`, `has_attachment` and
/// `distinct_sources`.
pub(super) fn register_lists(engine: &mut Engine, limits: &Limits) {
    let limits = *limits;
    register!(
        engine,
        "join",
        &["items: array", "separator: string", "string"],
        "The items as text, separated by separator: join([\"a\", \"b\"], \", \") is \"a, b\".",
        move |items: Array, separator: ImmutableString| join(&limits, &items, &separator),
    );
    register!(
        engine,
        "common",
        &["items: array", "others: array", "array"],
        "The items that also appear in others, in the order of items: common([\"age\", \"sex\"], [\"age\"]) is [\"age\"].",
        |items: Array, others: Array| -> Array { common(&items, &others) },
    );
    register!(
        engine,
        "has_attachment",
        &["app: map", "kind: string", "bool"],
        "True when the application carries an attachment of this kind (sample_table, variable_list, other).",
        |app: Dynamic, kind: ImmutableString| -> bool { has_attachment(&app, &kind) },
    );
    register!(
        engine,
        "distinct_sources",
        &["app: map", "array"],
        "The distinct source ids the application lists, in the order first listed.",
        |app: Dynamic| -> Array {
            let mut seen: Vec<String> = Vec::new();
            if let Some(sources) = field(&app, "sources") {
                if let Some(sources) = sources.read_lock::<Array>() {
                    for s in sources.iter() {
                        if let Some(id) = field(s, "id").filter(|i| !i.is_unit()) {
                            let id = id.to_string();
                            if !seen.contains(&id) {
                                seen.push(id);
                            }
                        }
                    }
                }
            }
            seen.into_iter().map(Dynamic::from).collect()
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use rhai::EvalAltResult;

    #[test]
    fn email_needs_a_local_part_and_a_dotted_domain() {
        assert!(is_email("kari.nordmann@example.org"));
        for bad in [
            "",
            "kari",
            "@example.org",
            "kari@",
            "kari@example",
            "kari @example.org",
            "a@b@c.no",
            "kari@example..org",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn join_writes_texts_as_they_are_and_other_items_as_they_print() {
        let items: Array = vec![
            Dynamic::from("a"),
            Dynamic::from(1_i64),
            Dynamic::UNIT,
            Dynamic::from_array(vec![Dynamic::from("b")]),
        ];
        assert_eq!(
            join(&Limits::default(), &items, ", ").ok().as_deref(),
            Some("a, 1, , [\"b\"]")
        );
        assert_eq!(
            join(&Limits::default(), &Array::new(), ", ")
                .ok()
                .as_deref(),
            Some("")
        );
    }

    #[test]
    fn join_refuses_a_text_over_max_string_size_before_making_it() {
        let limits = Limits {
            max_string_size: 1_024,
            ..Limits::default()
        };
        // A thousand empty items and a separator of a thousand bytes: 999,000 bytes.
        let items: Array = vec![Dynamic::from(""); 1_000];
        let separator = "-".repeat(1_000);
        let err = join(&limits, &items, &separator).expect_err("refused");
        let EvalAltResult::ErrorTerminated(token, _) = *err else {
            panic!("{err}");
        };
        let why = token
            .read_lock::<crate::script::sandbox::OverLimit>()
            .map(|o| o.0.clone());
        assert_eq!(
            why.as_deref(),
            Some("`join` would make a text of 999000 bytes, more than the 1024 a text may have (limits.max_string_size in ruleset.yaml)")
        );
    }

    #[test]
    fn blank_covers_unit_spaces_and_empty_collections() {
        assert!(is_blank(&Dynamic::UNIT));
        assert!(is_blank(&Dynamic::from("  \n")));
        assert!(is_blank(&Dynamic::from(Array::new())));
        assert!(!is_blank(&Dynamic::from("x")));
        assert!(!is_blank(&Dynamic::from(0_i64)));
    }
}
