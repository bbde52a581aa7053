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

/// The whole-list differences of `list`, named `label` in a difference: the items
/// are paired one to one ([`pair`]), and each expected item that does not match its
/// partner is compared with it: field by field when both have the same key, else as
/// a whole, showing the partner in the expected item's own fields.
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
    let pairs = pair(list, &want, &got);
    let rest = unmatched_items(&pairs, &got);
    for (p, partner) in want.iter().zip(&pairs) {
        if partner.matched {
            continue;
        }
        let nearest = &got[partner.actual];
        match (p.get(key), nearest.get(key)) {
            (Some(k), Some(g)) if k == g => {
                object_diffs(&format!("{label}[{key}={}]", show(k)), p, nearest, diffs)
            }
            _ => diffs.push(Difference {
                source: None,
                path: label.to_string(),
                expected: format!("an item matching {p}"),
                got: format!(
                    "nearest {} of {}",
                    in_fields_of(p, nearest),
                    show_items(&rest, key)
                ),
            }),
        }
    }
}

/// The items of `got` that no expected item matches, in order.
pub(super) fn unmatched_items(pairs: &[Pair], got: &[Value]) -> Vec<Value> {
    let mut taken = vec![false; got.len()];
    for p in pairs.iter().filter(|p| p.matched) {
        taken[p.actual] = true;
    }
    got.iter()
        .zip(taken)
        .filter(|(_, t)| !t)
        .map(|(g, _)| g.clone())
        .collect()
}

/// `actual` in the fields a partial item gives (`message` for `message_contains`),
/// as JSON, to show beside it.
fn in_fields_of(pattern: &Value, actual: &Value) -> Value {
    let Some(fields) = pattern.as_object() else {
        return actual.clone();
    };
    let mut out = Map::new();
    for key in fields.keys() {
        let field = key.strip_suffix("_contains").unwrap_or(key);
        let value = actual.get(field).cloned().unwrap_or(Value::Null);
        out.insert(field.to_string(), value);
    }
    Value::Object(out)
}

/// The actual item an expected item of a whole list is paired with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Pair {
    /// The index of the actual item.
    pub actual: usize,
    /// Whether the expected item matches it in every field it gives.
    pub matched: bool,
}

/// Pairs the expected items of a whole list with the actual items, one to one
/// (the lists have the same length): as many expected items as possible match
/// their partner (a maximum bipartite matching, so an item that fits several never
/// takes the one another item needs); among those pairings, the expected items
/// left over get the nearest partners: the most with the same key, then the fewest
/// fields that differ. The same lists always give the same pairing.
pub(super) fn pair(list: &str, want: &[Value], got: &[Value]) -> Vec<Pair> {
    let n = want.len().min(got.len());
    let key = key_of(list);
    // (fields that differ, whether the keys differ) for each expected and actual item.
    let apart: Vec<Vec<(usize, bool)>> = want[..n]
        .iter()
        .map(|p| {
            got[..n]
                .iter()
                .map(|g| {
                    let mut d = Vec::new();
                    object_diffs("", p, g, &mut d);
                    let key_differs = p.get(key).is_some_and(|k| g.get(key) != Some(k));
                    (d.len(), key_differs)
                })
                .collect()
        })
        .collect();
    // One cost per pair, weighted so that one more match outweighs any number of
    // keys and fields, and one more key outweighs any number of fields.
    let most = apart.iter().flatten().map(|(d, _)| *d).max().unwrap_or(0) as i128;
    let count = n as i128;
    let per_key = count * most + 1;
    let per_miss = count * (per_key + most) + 1;
    let cost: Vec<Vec<i128>> = apart
        .iter()
        .map(|row| {
            row.iter()
                .map(|&(d, key_differs)| match d {
                    0 => 0,
                    d => per_miss + if key_differs { per_key } else { 0 } + d as i128,
                })
                .collect()
        })
        .collect();
    assignment(&cost)
        .into_iter()
        .enumerate()
        .map(|(i, j)| Pair {
            actual: j,
            matched: apart[i][j].0 == 0,
        })
        .collect()
}

/// The assignment of rows to columns of a square cost matrix with the least total
/// cost (the Hungarian method with potentials, O(n³)): for each row, its column.
fn assignment(cost: &[Vec<i128>]) -> Vec<usize> {
    let n = cost.len();
    let infinite = i128::MAX / 4;
    // 1-based rows and columns; column 0 and row 0 are the method's sentinels.
    let mut row_potential = vec![0i128; n + 1];
    let mut column_potential = vec![0i128; n + 1];
    let mut row_of = vec![0usize; n + 1];
    let mut way = vec![0usize; n + 1];
    for row in 1..=n {
        row_of[0] = row;
        let mut column = 0;
        let mut least = vec![infinite; n + 1];
        let mut used = vec![false; n + 1];
        loop {
            used[column] = true;
            let i = row_of[column];
            let mut delta = infinite;
            let mut next = 0;
            for j in 1..=n {
                if used[j] {
                    continue;
                }
                let reduced = cost[i - 1][j - 1] - row_potential[i] - column_potential[j];
                if reduced < least[j] {
                    least[j] = reduced;
                    way[j] = column;
                }
                if least[j] < delta {
                    delta = least[j];
                    next = j;
                }
            }
            for j in 0..=n {
                if used[j] {
                    row_potential[row_of[j]] += delta;
                    column_potential[j] -= delta;
                } else {
                    least[j] -= delta;
                }
            }
            column = next;
            if row_of[column] == 0 {
                break;
            }
        }
        while column != 0 {
            let previous = way[column];
            row_of[column] = row_of[previous];
            column = previous;
        }
    }
    let mut out = vec![0; n];
    for j in 1..=n {
        if row_of[j] != 0 {
            out[row_of[j] - 1] = j - 1;
        }
    }
    out
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
    fn a_whole_list_is_matched_one_to_one_when_an_item_fits_several() {
        // `{severity: info}` fits both findings; taking the first would leave
        // `{code: linking-longer-processing}` without its finding.
        let e = expect("findings:\n  - {severity: info}\n  - {code: linking-longer-processing}");
        assert_eq!(compare(&e, &decision()), vec![]);
        let e = expect("findings:\n  - {severity: info}\n  - {code: linking-prefer-identifiable}");
        assert_eq!(compare(&e, &decision()), vec![]);
    }

    #[test]
    fn an_invoice_line_that_fits_several_lines_is_matched_one_to_one() {
        let status = json!({"state": "open", "invoices": [{"party": "niph", "lines": [
            {"item": "hours", "quantity": "3", "amount": "300.00"},
            {"item": "free-hours", "quantity": "-1", "amount": "-100.00"}
        ]}]});
        let e = expect("invoices:\n  - party: niph\n    lines:\n      - {quantity: 3}\n      - {item: hours}\n");
        let shown: Vec<String> = compare(&e, &status)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            shown,
            ["invoices[party=niph].lines: expected an item matching {\"quantity\":\"3\"}, got nearest {\"quantity\":\"-1\"} of [free-hours]"]
        );
        let e = expect("invoices:\n  - party: niph\n    lines:\n      - {}\n      - {item: hours, quantity: 3}\n");
        assert_eq!(compare(&e, &status), vec![]);
    }

    #[test]
    fn an_unmatched_item_is_compared_with_the_nearest_item_left() {
        let decision = json!({"findings": [
            {"code": "a", "severity": "info", "source": "npr"},
            {"code": "a", "severity": "info", "source": "msis"},
            {"code": "b", "severity": "warning", "source": "npr"}
        ]});
        // `{code: a}` fits both `a` findings; the other `a` pattern fits neither and
        // is compared with the one that differs in one field (severity), not with
        // the one that differs in two.
        let e = expect("findings:\n  - {code: a}\n  - {code: a, source: npr, severity: warning}\n  - {code: b}");
        let shown: Vec<String> = compare(&e, &decision)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            shown,
            ["findings[code=a].severity: expected warning, got info"]
        );
        // A pattern whose key matches no item left is shown with the nearest item,
        // in the pattern's own fields.
        let e = expect("findings:\n  - {code: a}\n  - {code: c, severity: warning}\n  - {code: a}");
        let shown: Vec<String> = compare(&e, &decision)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            shown,
            ["findings: expected an item matching {\"code\":\"c\",\"severity\":\"warning\"}, got nearest {\"code\":\"b\",\"severity\":\"warning\"} of [b]"]
        );
    }

    #[test]
    fn the_pairing_is_a_maximum_matching_then_the_nearest() {
        // Every way to pair three patterns with three findings, against the pairing
        // chosen: the most matches, then the most with the same code, then the
        // fewest fields that differ.
        let got = [
            json!({"code": "a", "severity": "info", "source": "npr"}),
            json!({"code": "b", "severity": "info", "source": "npr"}),
            json!({"code": "c", "severity": "warning", "source": "msis"}),
        ];
        let patterns = [
            json!({}),
            json!({"severity": "info"}),
            json!({"severity": "warning", "source": "npr"}),
            json!({"code": "a"}),
            json!({"code": "c", "severity": "info"}),
            json!({"code": "d", "source": "msis"}),
        ];
        let apart = |p: &Value, g: &Value| {
            let mut d = Vec::new();
            object_diffs("", p, g, &mut d);
            let key = p.get("code").is_some_and(|k| g.get("code") != Some(k));
            (d.len(), key)
        };
        let perms = [
            [0, 1, 2],
            [0, 2, 1],
            [1, 0, 2],
            [1, 2, 0],
            [2, 0, 1],
            [2, 1, 0],
        ];
        for a in &patterns {
            for b in &patterns {
                for c in &patterns {
                    let want = [a.clone(), b.clone(), c.clone()];
                    // (items not matched, keys that differ, fields that differ)
                    let score = |perm: &[usize]| {
                        perm.iter()
                            .enumerate()
                            .fold((0, 0, 0), |(m, k, f), (i, j)| {
                                let (d, key) = apart(&want[i], &got[*j]);
                                (m + usize::from(d > 0), k + usize::from(key), f + d)
                            })
                    };
                    let pairs = pair("findings", &want, &got);
                    let chosen: Vec<usize> = pairs.iter().map(|p| p.actual).collect();
                    let mut taken = chosen.clone();
                    taken.sort();
                    assert_eq!(taken, [0, 1, 2], "{want:?}");
                    for (i, p) in pairs.iter().enumerate() {
                        assert_eq!(p.matched, apart(&want[i], &got[p.actual]).0 == 0);
                    }
                    let best = perms.iter().map(|p| score(p)).min();
                    assert_eq!(Some(score(&chosen)), best, "{want:?}");
                }
            }
        }
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
    fn application_null_expects_an_error_record_without_an_application_id() {
        let error = json!({"application": null, "input": "x", "error": {"kind": "syntax", "message": "bad"}});
        let e = expect("application: null\nerror: {kind: syntax}");
        assert!(compare(&e, &error).is_empty());
        let shown: Vec<String> = compare(&expect("application: null"), &decision())
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(shown, ["application: expected null, got A"]);
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
