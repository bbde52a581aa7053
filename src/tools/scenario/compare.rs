//! Comparing a scenario's partial expectation with the decision, case status or error
//! record that came out, as JSON: only the fields the scenario gives are checked, and each
//! expectation not met is one [`Difference`] naming the field
//! (`routes[custodian=niph].due`), what was expected and what came out.

use crate::model::report::Difference;
use crate::tools::scenario::expect::Expect;
use serde_json::{Map, Value};

/// The identifying field of the items of each list, used to name an item in a
/// difference (`findings[code=linking-single-source].severity`).
pub(super) fn key_of(list: &str) -> &'static str {
    match list {
        "missing" => "item",
        "findings" => "code",
        "routes" => "custodian",
        "redirects" => "source",
        "actions" => "code",
        "invoices" => "party",
        "lines" => "item",
        _ => "",
    }
}

/// A value as a difference shows it: text without quotes, `null`, else JSON.
pub(super) fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "null".to_string(),
        other => other.to_string(),
    }
}

fn show_items(items: &[Value], key: &str) -> String {
    let names: Vec<String> = items
        .iter()
        .map(|i| show(i.get(key).unwrap_or(&Value::Null)))
        .collect();
    format!("[{}]", names.join(", "))
}

/// Compares a scenario's expectation with the decision, case status or error record.
pub fn compare(expect: &Expect, actual: &Value) -> Vec<Difference> {
    let pattern = match serde_json::to_value(expect) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    compare_fields(&pattern, actual)
}

/// Compares the fields of an expectation, as JSON, with a record.
fn compare_fields(pattern: &Map<String, Value>, actual: &Value) -> Vec<Difference> {
    let mut diffs = Vec::new();
    let is_error = actual.get("error").is_some();
    if is_error {
        let got = format!(
            "an error record ({}: {})",
            show(&actual["error"]["kind"]),
            show(&actual["error"]["message"])
        );
        for (key, expected) in pattern {
            match key.as_str() {
                "error" => object_diffs("error", expected, &actual["error"], &mut diffs),
                "application" => {
                    scalar_diff("application", expected, &actual["application"], &mut diffs)
                }
                _ => diffs.push(Difference {
                    source: None,
                    path: key.clone(),
                    expected: show_expected(expected),
                    got: got.clone(),
                }),
            }
        }
        return diffs;
    }
    for (key, expected) in pattern {
        if key == "decision" {
            let inner = match expected {
                Value::Object(m) => compare_fields(m, &actual["decision"]),
                _ => vec![],
            };
            diffs.extend(inner.into_iter().map(|d| Difference {
                source: None,
                path: format!("decision.{}", d.path),
                ..d
            }));
            continue;
        }
        if key == "error" {
            diffs.push(Difference {
                source: None,
                path: "error".to_string(),
                expected: format!("an error record {}", show(expected)),
                got: match actual.get("state") {
                    Some(state) => format!("a case status with state {}", show(state)),
                    None => format!("a decision with status {}", show(&actual["status"])),
                },
            });
            continue;
        }
        if let Some(list) = key.strip_suffix("_include") {
            include_diffs(key, list, expected, &actual[list], &mut diffs);
        } else if let Some(list) = key.strip_suffix("_exclude") {
            exclude_diffs(key, expected, &actual[list], &mut diffs);
        } else if matches!(
            key.as_str(),
            "missing" | "findings" | "routes" | "redirects" | "actions" | "invoices"
        ) {
            whole_list_diffs(key, expected, &actual[key.as_str()], &mut diffs);
        } else if expected.is_object() {
            object_diffs(key, expected, &actual[key.as_str()], &mut diffs);
        } else {
            scalar_diff(key, expected, &actual[key.as_str()], &mut diffs);
        }
    }
    diffs
}

fn show_expected(v: &Value) -> String {
    show(v)
}

fn scalar_diff(path: &str, expected: &Value, got: &Value, diffs: &mut Vec<Difference>) {
    if expected != got {
        diffs.push(Difference {
            source: None,
            path: path.to_string(),
            expected: show(expected),
            got: show(got),
        });
    }
}

/// The field-by-field differences between a pattern object and an actual object.
fn object_diffs(path: &str, pattern: &Value, actual: &Value, diffs: &mut Vec<Difference>) {
    let Some(p) = pattern.as_object() else {
        return scalar_diff(path, pattern, actual, diffs);
    };
    for (key, expected) in p {
        if let Some(field) = key.strip_suffix("_contains") {
            let got = actual.get(field).and_then(Value::as_str).unwrap_or("");
            let needle = expected.as_str().unwrap_or("");
            if !got.contains(needle) {
                diffs.push(Difference {
                    source: None,
                    path: format!("{path}.{field}"),
                    expected: format!("text containing '{needle}'"),
                    got: show(actual.get(field).unwrap_or(&Value::Null)),
                });
            }
            continue;
        }
        let got = actual.get(key).unwrap_or(&Value::Null);
        if expected.is_array() && matches!(key.as_str(), "lines" | "findings") {
            // A list inside an item (an invoice's lines and findings): its items
            // are partial too.
            list_diffs(&format!("{path}.{key}"), key, expected, got, diffs);
            continue;
        }
        scalar_diff(&format!("{path}.{key}"), expected, got, diffs);
    }
}

/// Whether `actual` meets every field of the partial item `pattern`.
pub(super) fn matches(pattern: &Value, actual: &Value) -> bool {
    let mut d = Vec::new();
    object_diffs("", pattern, actual, &mut d);
    d.is_empty()
}

fn items(v: &Value) -> Vec<Value> {
    v.as_array().cloned().unwrap_or_default()
}

/// Reports a pattern that matched nothing, against the item with the same key if
/// there is one (field differences), else as a whole.
fn unmatched(
    list: &str,
    label: &str,
    pattern: &Value,
    actual: &[Value],
    diffs: &mut Vec<Difference>,
) {
    let key = key_of(list);
    let wanted = pattern.get(key);
    let same_key: Vec<&Value> = match wanted {
        Some(k) => actual.iter().filter(|a| a.get(key) == Some(k)).collect(),
        None => vec![],
    };
    if let (Some(k), [one]) = (wanted, same_key.as_slice()) {
        object_diffs(&format!("{label}[{key}={}]", show(k)), pattern, one, diffs);
        return;
    }
    diffs.push(Difference {
        source: None,
        path: label.to_string(),
        expected: format!("an item matching {}", pattern),
        got: show_items(actual, key),
    });
}

fn whole_list_diffs(list: &str, expected: &Value, actual: &Value, diffs: &mut Vec<Difference>) {
    list_diffs(list, list, expected, actual, diffs);
}

/// The whole-list differences of `list`, named `label` in a difference.
fn list_diffs(
    label: &str,
    list: &str,
    expected: &Value,
    actual: &Value,
    diffs: &mut Vec<Difference>,
) {
    let want = items(expected);
    let got = items(actual);
    let key = key_of(list);
    if want.len() != got.len() {
        diffs.push(Difference {
            source: None,
            path: label.to_string(),
            expected: format!("{} item(s) {}", want.len(), show_items(&want, key)),
            got: format!("{} item(s) {}", got.len(), show_items(&got, key)),
        });
        return;
    }
    let mut used = vec![false; got.len()];
    let mut left = Vec::new();
    for p in &want {
        match (0..got.len()).find(|&i| !used[i] && matches(p, &got[i])) {
            Some(i) => used[i] = true,
            None => left.push(p),
        }
    }
    let rest: Vec<Value> = got
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(g, _)| g.clone())
        .collect();
    for p in left {
        unmatched(list, label, p, &rest, diffs);
    }
}

fn include_diffs(
    label: &str,
    list: &str,
    expected: &Value,
    actual: &Value,
    diffs: &mut Vec<Difference>,
) {
    let got = items(actual);
    for p in items(expected) {
        if !got.iter().any(|g| matches(&p, g)) {
            unmatched(list, label, &p, &got, diffs);
        }
    }
}

fn exclude_diffs(label: &str, expected: &Value, actual: &Value, diffs: &mut Vec<Difference>) {
    let got = items(actual);
    for p in items(expected) {
        for g in got.iter().filter(|g| matches(&p, g)) {
            diffs.push(Difference {
                source: None,
                path: label.to_string(),
                expected: format!("no item matching {p}"),
                got: g.to_string(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn expect(yaml: &str) -> Expect {
        crate::yaml::from_str(yaml).expect("expect parses")
    }

    fn decision() -> Value {
        json!({
            "application": "A", "status": "complete", "complete_on": "2026-03-06",
            "missing": [],
            "findings": [
                {"code": "linking-prefer-identifiable", "severity": "info", "custodian": null, "source": null, "message": "use the other form", "rule": "r"},
                {"code": "linking-longer-processing", "severity": "info", "custodian": null, "source": null, "message": "60 days", "rule": "r"}
            ],
            "routes": [{"custodian": "niph", "sources": ["msis", "npr"], "working_days": 60, "calendar": "niph", "clock_start": "2026-03-06", "due": "2026-06-08", "reason": "linking"}],
            "redirects": []
        })
    }

    #[test]
    fn only_the_fields_given_are_checked() {
        assert!(compare(&expect("status: complete"), &decision()).is_empty());
    }

    #[test]
    fn a_wrong_date_inside_a_route_names_the_route_and_field() {
        let d = compare(
            &expect("routes:\n  - {custodian: niph, due: 2026-06-09}"),
            &decision(),
        );
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].to_string(),
            "routes[custodian=niph].due: expected 2026-06-09, got 2026-06-08"
        );
    }

    #[test]
    fn a_whole_list_must_have_the_same_number_of_items() {
        let d = compare(
            &expect("findings:\n  - {code: linking-prefer-identifiable}"),
            &decision(),
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].expected.starts_with("1 item"), "{}", d[0]);
    }

    #[test]
    fn a_whole_list_matches_in_any_order() {
        let e = expect("findings:\n  - {code: linking-longer-processing}\n  - {code: linking-prefer-identifiable}");
        assert!(compare(&e, &decision()).is_empty());
    }

    #[test]
    fn include_and_exclude_check_presence_and_absence() {
        let e = expect("findings_include:\n  - {code: linking-longer-processing}\nfindings_exclude:\n  - {code: linking-single-source}");
        assert!(compare(&e, &decision()).is_empty());
        let e = expect("findings_exclude:\n  - {code: linking-longer-processing}");
        assert_eq!(compare(&e, &decision()).len(), 1);
        let e = expect("findings_include:\n  - {code: confidentiality-risk}");
        assert_eq!(compare(&e, &decision()).len(), 1);
    }

    #[test]
    fn message_contains_checks_part_of_the_text() {
        let e = expect(
            "findings_include:\n  - {code: linking-longer-processing, message_contains: '60'}",
        );
        assert!(compare(&e, &decision()).is_empty());
        let e = expect(
            "findings_include:\n  - {code: linking-longer-processing, message_contains: '30'}",
        );
        assert_eq!(compare(&e, &decision()).len(), 1);
    }

    #[test]
    fn null_is_checked_when_given() {
        let d = compare(&expect("complete_on: null"), &decision());
        assert_eq!(
            d[0].to_string(),
            "complete_on: expected null, got 2026-03-06"
        );
    }

    fn status() -> Value {
        json!({
            "case": "C", "as_of": "2026-05-04", "state": "open",
            "routes": [{"custodian": "niph", "state": "in_progress", "due": "2026-06-08", "due_now": "2026-06-10", "paused_days": 2, "working_days_left": 25, "overdue_by": 0, "closed_on": null}],
            "actions": [{"code": "deliver-or-postpone", "route": "niph", "due": "2026-06-10", "overdue": false, "message": "deliver"}],
            "findings": [],
            "decision": {"status": "complete", "complete_on": "2026-03-06"}
        })
    }

    #[test]
    fn a_case_status_is_compared_by_its_own_fields_and_its_decision() {
        let e = expect("state: open\nroutes:\n  - {custodian: niph, due_now: 2026-06-10, closed_on: null}\nactions:\n  - {code: deliver-or-postpone, route: niph}\ndecision: {status: complete}");
        assert!(compare(&e, &status()).is_empty());
        let e = expect("routes_include:\n  - {custodian: niph, paused_days: 3}\ndecision: {complete_on: 2026-03-05}");
        let shown: Vec<String> = compare(&e, &status())
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(
            shown,
            vec![
                "routes_include[custodian=niph].paused_days: expected 3, got 2",
                "decision.complete_on: expected 2026-03-05, got 2026-03-06",
            ]
        );
        let e = expect("actions: []");
        assert_eq!(compare(&e, &status()).len(), 1);
    }

    #[test]
    fn an_expected_error_against_a_decision_is_a_difference_and_vice_versa() {
        assert_eq!(
            compare(&expect("error: {kind: syntax}"), &decision()).len(),
            1
        );
        let error = json!({"application": null, "input": "x", "error": {"kind": "syntax", "message": "bad"}});
        assert!(compare(&expect("error: {kind: syntax}"), &error).is_empty());
        assert_eq!(compare(&expect("status: complete"), &error).len(), 1);
        assert_eq!(
            compare(&expect("error: {kind: unknown-field}"), &error).len(),
            1
        );
    }

    #[test]
    fn invoices_are_compared_down_to_their_lines_and_findings() {
        let status = json!({
            "state": "open",
            "invoices": [
                {"party": "helsedataservice", "net": "1500.00", "vat": "375.00", "total": "1875.00",
                 "free_reason": null, "findings": [],
                 "lines": [{"item": "base-fee", "quantity": "1", "unit_price": "1500.00",
                            "amount": "1500.00", "rule": "r", "price_from": "2023-01-01"}]},
                {"party": "niph", "net": "0.00", "vat": "0.00", "total": "0.00",
                 "free_reason": null, "findings": [],
                 "lines": [{"item": "hours", "quantity": "2.50", "unit_price": null,
                            "amount": null, "rule": "r", "price_from": null}]}
            ]
        });
        let good = "invoices:\n  - {party: helsedataservice, lines: [{item: base-fee, quantity: 1, amount: \"1500.00\"}]}\n  - {party: niph, lines: [{quantity: \"2.50\", amount: null}], findings: []}\n";
        assert!(compare(&expect(good), &status).is_empty());
        let d = compare(
            &expect("invoices_include:\n  - {party: helsedataservice, total: \"1875.01\", lines: [{item: base-fee, amount: \"1500.01\"}]}\n"),
            &status,
        );
        let shown: Vec<String> = d.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "invoices_include[party=helsedataservice].total: expected 1875.01, got 1875.00",
                "invoices_include[party=helsedataservice].lines[item=base-fee].amount: expected 1500.01, got 1500.00",
            ]
        );
    }

    #[test]
    fn money_and_quantities_must_be_written_as_an_invoice_writes_them() {
        let parses = |y: &str| crate::yaml::from_str::<Expect>(y).is_ok();
        assert!(parses("invoices: [{net: \"-0.05\"}]"));
        assert!(!parses("invoices: [{net: 3000}]"));
        assert!(!parses("invoices: [{net: \"3000.5\"}]"));
        assert!(!parses("invoices: [{lines: [{quantity: \"3.00\"}]}]"));
        assert!(!parses("invoices: [{lines: [{quantity: 2.5}]}]"));
        assert!(parses(
            "invoices: [{lines: [{quantity: -2, item: free-hours}]}]"
        ));
        assert!(!parses("invoices: [{lines: [{item: hour}]}]"));
        assert!(!parses("invoices: [{paty: niph}]"));
    }
}
