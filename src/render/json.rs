//! Output for programs as JSON, one value per line (JSON Lines): decisions, error
//! records, traces and reports.

use crate::model::decision::Decision;
use serde::Serialize;

/// One JSON line (without the newline).
pub fn json_line<T: Serialize>(value: &T) -> String {
    // Serialising these plain structs cannot fail; fall back to a valid record anyway.
    serde_json::to_string(value).unwrap_or_else(|e| {
        format!("{{\"application\":null,\"input\":\"\",\"error\":{{\"kind\":\"internal\",\"message\":\"{e}\"}}}}")
    })
}

/// One JSON line with its newline, as UTF-8 bytes, written straight into a buffer
/// sized for a typical decision.
pub fn json_record<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(1024);
    match serde_json::to_writer(&mut bytes, value) {
        Ok(()) => {
            bytes.push(b'\n');
            bytes
        }
        Err(_) => (json_line(value) + "\n").into_bytes(),
    }
}

/// A decision as one JSON line with its newline: the bytes `json_record` gives
/// (serde_json's compact form, fields in declaration order), written field by field
/// with strings scanned eight bytes at a time for what must be escaped.
pub fn decision_record(d: &Decision) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    let o = &mut out;
    o.extend_from_slice(b"{\"application\":");
    string(o, &d.application);
    if let Some(input) = &d.input {
        o.extend_from_slice(b",\"input\":");
        string(o, input);
    }
    o.extend_from_slice(b",\"ruleset\":{\"name\":");
    string(o, &d.ruleset.name);
    o.extend_from_slice(b",\"version\":");
    string(o, &d.ruleset.version);
    o.extend_from_slice(b",\"fingerprint\":");
    string(o, &d.ruleset.fingerprint);
    o.extend_from_slice(b"},\"status\":");
    string(o, d.status.as_str());
    o.extend_from_slice(b",\"received_on\":");
    date(o, Some(d.received_on));
    o.extend_from_slice(b",\"complete_on\":");
    date(o, d.complete_on);
    o.extend_from_slice(b",\"missing\":");
    list(o, &d.missing, |o, m| {
        o.extend_from_slice(b"{\"item\":");
        string(o, &m.item);
        o.extend_from_slice(b",\"custodian\":");
        optional(o, m.custodian.as_deref());
        o.extend_from_slice(b",\"source\":");
        optional(o, m.source.as_deref());
        o.extend_from_slice(b",\"message\":");
        string(o, &m.message);
        o.push(b'}');
    });
    o.extend_from_slice(b",\"findings\":");
    list(o, &d.findings, |o, f| {
        o.extend_from_slice(b"{\"code\":");
        string(o, &f.code);
        o.extend_from_slice(b",\"severity\":");
        string(o, f.severity.as_str());
        o.extend_from_slice(b",\"custodian\":");
        optional(o, f.custodian.as_deref());
        o.extend_from_slice(b",\"source\":");
        optional(o, f.source.as_deref());
        o.extend_from_slice(b",\"message\":");
        string(o, &f.message);
        o.extend_from_slice(b",\"rule\":");
        string(o, &f.rule);
        o.push(b'}');
    });
    o.extend_from_slice(b",\"routes\":");
    list(o, &d.routes, |o, r| {
        o.extend_from_slice(b"{\"custodian\":");
        string(o, &r.custodian);
        o.extend_from_slice(b",\"sources\":");
        list(o, &r.sources, |o, s| string(o, s));
        o.extend_from_slice(b",\"working_days\":");
        number(o, r.working_days);
        o.extend_from_slice(b",\"calendar\":");
        string(o, &r.calendar);
        o.extend_from_slice(b",\"clock_start\":");
        date(o, r.clock_start);
        o.extend_from_slice(b",\"due\":");
        date(o, r.due);
        o.extend_from_slice(b",\"reason\":");
        string(o, &r.reason);
        o.push(b'}');
    });
    o.extend_from_slice(b",\"redirects\":");
    list(o, &d.redirects, |o, r| {
        o.extend_from_slice(b"{\"source\":");
        optional(o, r.source.as_deref());
        o.extend_from_slice(b",\"reason\":");
        string(o, &r.reason);
        o.extend_from_slice(b",\"form_url\":");
        optional(o, r.form_url.as_deref());
        o.push(b'}');
    });
    o.extend_from_slice(b"}\n");
    out
}

fn list<T>(o: &mut Vec<u8>, items: &[T], mut item: impl FnMut(&mut Vec<u8>, &T)) {
    o.push(b'[');
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            o.push(b',');
        }
        item(o, x);
    }
    o.push(b']');
}

fn optional(o: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(o, s),
        None => o.extend_from_slice(b"null"),
    }
}

fn date(o: &mut Vec<u8>, d: Option<chrono::NaiveDate>) {
    match d {
        Some(d) => crate::model::ymd::with_iso_date(d, |s| string(o, s)),
        None => o.extend_from_slice(b"null"),
    }
}

fn number(o: &mut Vec<u8>, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    o.extend_from_slice(&digits[at..]);
}

/// Whether any of the eight bytes of `w` must be escaped in a JSON string: a
/// control character (below 0x20), `"` or `\`.
fn any_to_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGHS;
    let q = w ^ (ONES * u64::from(b'"'));
    let quote = q.wrapping_sub(ONES) & !q & HIGHS;
    let b = w ^ (ONES * u64::from(b'\\'));
    let backslash = b.wrapping_sub(ONES) & !b & HIGHS;
    (below_space | quote | backslash) != 0
}

/// `s` as a JSON string, escaped as serde_json escapes it: `"` and `\`, the short
/// forms `\b \t \n \f \r`, and `\u00xx` (lowercase hex) for other control
/// characters; everything else as it is.
fn string(o: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    o.push(b'"');
    let (mut clean_from, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            if !any_to_escape(u64::from_le_bytes(word)) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        let short = match b {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            0x08 => Some(b'b'),
            b'\t' => Some(b't'),
            b'\n' => Some(b'n'),
            0x0c => Some(b'f'),
            b'\r' => Some(b'r'),
            _ => None,
        };
        if short.is_some() || b < 0x20 {
            o.extend_from_slice(&bytes[clean_from..i]);
            match short {
                Some(c) => o.extend_from_slice(&[b'\\', c]),
                None => o.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(b >> 4)],
                    HEX[usize::from(b & 0xf)],
                ]),
            }
            clean_from = i + 1;
        }
        i += 1;
    }
    o.extend_from_slice(&bytes[clean_from..]);
    o.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::decision::{Finding, Missing, Redirect, Route, RulesetId, Severity, Status};
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z-]{0,12}",
            "\\PC{0,40}",
            proptest::collection::vec(any::<char>(), 0..30).prop_map(|cs| cs.into_iter().collect()),
            Just("\"\\\u{0}\u{1f}\u{7f}\u{8}\t\n\u{c}\r é—".to_string()),
        ]
    }

    fn maybe() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(text())
    }

    fn day() -> impl Strategy<Value = NaiveDate> {
        (-300i32..12_000, 1u32..=12, 1u32..=28)
            .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN))
    }

    fn decision() -> impl Strategy<Value = Decision> {
        let severity = prop_oneof![
            Just(Severity::Info),
            Just(Severity::Warning),
            Just(Severity::Error)
        ];
        let status = prop_oneof![
            Just(Status::Redirected),
            Just(Status::Ineligible),
            Just(Status::Incomplete),
            Just(Status::Complete)
        ];
        let missing =
            (text(), maybe(), maybe(), text()).prop_map(|(item, custodian, source, message)| {
                Missing {
                    item,
                    custodian,
                    source,
                    message,
                }
            });
        let finding = (text(), severity, maybe(), maybe(), text(), text()).prop_map(
            |(code, severity, custodian, source, message, rule)| Finding {
                code,
                severity,
                custodian,
                source,
                message,
                rule,
            },
        );
        let route = (
            text(),
            proptest::collection::vec(text(), 0..3),
            any::<u32>(),
            text(),
            proptest::option::of(day()),
            proptest::option::of(day()),
            text(),
        )
            .prop_map(
                |(custodian, sources, working_days, calendar, clock_start, due, reason)| Route {
                    custodian,
                    sources,
                    working_days,
                    calendar,
                    clock_start,
                    due,
                    reason,
                },
            );
        let redirect = (maybe(), text(), maybe()).prop_map(|(source, reason, form_url)| Redirect {
            source,
            reason,
            form_url,
        });
        (
            (
                text(),
                maybe(),
                text(),
                text(),
                text(),
                status,
                day(),
                proptest::option::of(day()),
            ),
            proptest::collection::vec(missing, 0..3),
            proptest::collection::vec(finding, 0..3),
            proptest::collection::vec(route, 0..3),
            proptest::collection::vec(redirect, 0..3),
        )
            .prop_map(
                |(
                    (
                        application,
                        input,
                        name,
                        version,
                        fingerprint,
                        status,
                        received_on,
                        complete_on,
                    ),
                    missing,
                    findings,
                    routes,
                    redirects,
                )| {
                    Decision {
                        application,
                        input,
                        ruleset: RulesetId {
                            name,
                            version,
                            fingerprint,
                        },
                        status,
                        received_on,
                        complete_on,
                        missing,
                        findings,
                        routes,
                        redirects,
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn a_decision_written_field_by_field_is_byte_for_byte_what_serde_json_writes(d in decision()) {
            let (ours, theirs) = (decision_record(&d), json_record(&d));
            prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs));
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them_at_any_offset() {
        for special in [
            "\"", "\\", "\u{0}", "\u{1f}", "\n", "\u{8}", "\u{c}", "\r", "\t", "é", "\u{7f}",
        ] {
            for before in 0..17 {
                for after in [0, 1, 9] {
                    let s = format!("{}{special}{}", "a".repeat(before), "b".repeat(after));
                    let mut ours = Vec::new();
                    string(&mut ours, &s);
                    let theirs = serde_json::to_vec(&s).expect("a string serialises");
                    assert_eq!(ours, theirs, "{s:?}");
                }
            }
        }
    }
}
