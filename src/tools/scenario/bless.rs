//! `hds test --bless`: the expectations of failing scenarios rewritten to what came
//! out, in the text of the scenario file. Only the value of each differing field is
//! replaced, at its place in the file (found by [`yaml::Index`]); comments, layout,
//! quoting and every other byte stay as they were. What cannot be rewritten that
//! way (a list with a different number of items, an item with no counterpart, a
//! `*_contains` text, an error record expected instead of a decision) is left, with
//! the reason, for a person to edit.
//!
//! A file is written only when the rewritten text still reads as a scenario file and
//! every scenario rewritten in full then passes against what came out.

use crate::model::report::{BlessChange, Blessed};
use crate::tools::scenario::compare::{compare, key_of, matches, pair, show, unmatched_items};
use crate::tools::scenario::expect::Expect;
use crate::tools::scenario::file::{load_text, LocatedScenario};
use crate::yaml;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// One failed outcome, kept by the runner for blessing.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The scenario file.
    pub file: PathBuf,
    /// The line of the scenario (or check).
    pub line: usize,
    /// The outcome's name.
    pub name: String,
    /// The field path of its `expect` in the file (`scenarios[2].expect`); `None`
    /// when the scenario does not read.
    pub expect_path: Option<String>,
    /// What it expected; `None` when the scenario does not read.
    pub expect: Option<Expect>,
    /// What came out as JSON, or why nothing could.
    pub actual: Result<Value, String>,
}

/// One value to replace: where below `expect`, and with what.
#[derive(Debug, Clone, PartialEq)]
struct Edit {
    /// The field path below `expect`, by item number (`routes[0].due`).
    path: String,
    /// The field as a difference names it (`routes[custodian=niph].due`).
    label: String,
    old: Value,
    new: Value,
}

/// An expectation not met that is not rewritten.
#[derive(Debug, Clone, PartialEq)]
struct Left {
    path: String,
    label: String,
    why: String,
}

/// What blessing one outcome takes.
#[derive(Debug, Default)]
struct Plan {
    edits: Vec<Edit>,
    left: Vec<Left>,
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn items(v: &Value) -> Vec<Value> {
    v.as_array().cloned().unwrap_or_default()
}

impl Plan {
    fn leave(&mut self, path: &str, label: &str, why: String) {
        self.left.push(Left {
            path: path.to_string(),
            label: label.to_string(),
            why,
        });
    }

    /// The fields of an expectation against a record, as [`compare`] walks them.
    fn fields(&mut self, pattern: &Map<String, Value>, actual: &Value, path: &str, label: &str) {
        let is_error = actual.get("error").is_some();
        for (key, expected) in pattern {
            let (p, l) = (join(path, key), join(label, key));
            if is_error {
                match key.as_str() {
                    "error" => self.object(expected, &actual["error"], &p, &l),
                    "application" => self.scalar(expected, &actual["application"], &p, &l),
                    _ => self.leave(
                        &p,
                        &l,
                        format!(
                            "an error record came out ({}); expect `error` by hand if that is right",
                            show(&actual["error"]["kind"])
                        ),
                    ),
                }
                continue;
            }
            if key == "decision" {
                if let Value::Object(m) = expected {
                    self.fields(m, &actual["decision"], &p, &l);
                }
            } else if key == "error" {
                self.leave(
                    &p,
                    &l,
                    "no error record came out; replace `error` by the fields expected by hand"
                        .to_string(),
                );
            } else if let Some(list) = key.strip_suffix("_include") {
                let got = items(&actual[list]);
                for (i, item) in items(expected).iter().enumerate() {
                    if !got.iter().any(|g| matches(item, g)) {
                        self.unmatched(list, item, &got, &format!("{p}[{i}]"), &l);
                    }
                }
            } else if let Some(list) = key.strip_suffix("_exclude") {
                let got = items(&actual[list]);
                for (i, item) in items(expected).iter().enumerate() {
                    if got.iter().any(|g| matches(item, g)) {
                        self.leave(
                            &format!("{p}[{i}]"),
                            &l,
                            format!("an item matching {item} came out; remove it from `{key}` by hand if that is right"),
                        );
                    }
                }
            } else if matches!(
                key.as_str(),
                "missing" | "findings" | "routes" | "redirects" | "actions" | "invoices"
            ) {
                self.list(key, expected, &actual[key.as_str()], &p, &l);
            } else if expected.is_object() {
                self.object(expected, &actual[key.as_str()], &p, &l);
            } else {
                self.scalar(expected, &actual[key.as_str()], &p, &l);
            }
        }
    }

    fn scalar(&mut self, expected: &Value, got: &Value, path: &str, label: &str) {
        if expected != got {
            self.edits.push(Edit {
                path: path.to_string(),
                label: label.to_string(),
                old: expected.clone(),
                new: got.clone(),
            });
        }
    }

    /// A partial item or object against the actual one, field by field.
    fn object(&mut self, pattern: &Value, actual: &Value, path: &str, label: &str) {
        let Some(fields) = pattern.as_object() else {
            return self.scalar(pattern, actual, path, label);
        };
        for (key, expected) in fields {
            let (p, l) = (join(path, key), join(label, key));
            if let Some(field) = key.strip_suffix("_contains") {
                let got = actual.get(field).and_then(Value::as_str).unwrap_or("");
                let needle = expected.as_str().unwrap_or("");
                if !got.contains(needle) {
                    self.leave(
                        &p,
                        &join(label, field),
                        format!("expects text containing '{needle}', got '{got}'; choose the text by hand"),
                    );
                }
                continue;
            }
            let got = actual.get(key).unwrap_or(&Value::Null);
            if expected.is_array() && matches!(key.as_str(), "lines" | "findings") {
                self.list(key, expected, got, &p, &l);
            } else {
                self.scalar(expected, got, &p, &l);
            }
        }
    }

    /// A whole list: the same number of items, paired one to one as [`compare`]
    /// pairs them; a pattern left over is rewritten against the one item left over
    /// with its key.
    fn list(&mut self, list: &str, expected: &Value, actual: &Value, path: &str, label: &str) {
        let want = items(expected);
        let got = items(actual);
        if want.len() != got.len() {
            let key = key_of(list);
            let names = |v: &[Value]| {
                v.iter()
                    .map(|i| show(i.get(key).unwrap_or(&Value::Null)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            return self.leave(
                path,
                label,
                format!(
                    "expects {} item(s) [{}], got {} [{}]; add or remove items by hand",
                    want.len(),
                    names(&want),
                    got.len(),
                    names(&got)
                ),
            );
        }
        let pairs = pair(list, &want, &got);
        let rest = unmatched_items(&pairs, &got);
        let key = key_of(list);
        let over: Vec<(usize, &Value)> = want
            .iter()
            .zip(&pairs)
            .enumerate()
            .filter(|(_, (_, partner))| !partner.matched)
            .map(|(i, (p, _))| (i, p))
            .collect();
        for &(i, p) in &over {
            let at = format!("{path}[{i}]");
            let Some(k) = p.get(key) else {
                self.unmatched(list, p, &rest, &at, label);
                continue;
            };
            // Several expected items left with the same key: which one the item
            // that came out belongs to is a guess, so none is rewritten.
            let expected = over.iter().filter(|(_, q)| q.get(key) == Some(k)).count();
            if expected > 1 {
                let came = rest.iter().filter(|g| g.get(key) == Some(k)).count();
                let came = match came {
                    0 => "no item".to_string(),
                    1 => "1 item".to_string(),
                    n => format!("{n} items"),
                };
                self.leave(
                    &at,
                    label,
                    format!(
                        "{expected} expected items with {key} {} are left for {came} with {key} {}; edit them by hand",
                        show(k),
                        show(k)
                    ),
                );
                continue;
            }
            self.unmatched(list, p, &rest, &at, label);
        }
    }

    /// A pattern no item matched: rewritten against the one item with the same key,
    /// else left.
    fn unmatched(
        &mut self,
        list: &str,
        pattern: &Value,
        candidates: &[Value],
        path: &str,
        label: &str,
    ) {
        let key = key_of(list);
        let wanted = pattern.get(key);
        let same: Vec<&Value> = match wanted {
            Some(k) => candidates
                .iter()
                .filter(|a| a.get(key) == Some(k))
                .collect(),
            None => vec![],
        };
        match (wanted, same.as_slice()) {
            (Some(k), [one]) => {
                self.object(pattern, one, path, &format!("{label}[{key}={}]", show(k)))
            }
            (Some(k), []) => self.leave(
                path,
                label,
                format!("no item with {key} {} came out; edit the item by hand", show(k)),
            ),
            (Some(k), _) => self.leave(
                path,
                label,
                format!("several items with {key} {} came out; edit the item by hand", show(k)),
            ),
            (None, _) => self.leave(
                path,
                label,
                format!("the item {pattern} gives no `{key}` to find its counterpart by; edit it by hand"),
            ),
        }
    }
}

/// What blessing `expect` against `actual` takes.
fn plan(expect: &Expect, actual: &Value) -> Plan {
    let mut plan = Plan::default();
    if let Ok(Value::Object(pattern)) = serde_json::to_value(expect) {
        plan.fields(&pattern, actual, "", "");
    }
    plan
}

/// The YAML text for `new` in place of `old` (the value's text as written): in the
/// old text's quoting where there was one, plain where YAML reads the plain text back
/// as the same value, else double-quoted. `None` for a block scalar (`|`, `>`).
fn scalar_text(new: &Value, old: &str) -> Option<String> {
    if old.starts_with(['|', '>']) {
        return None;
    }
    let double = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""));
    Some(match new {
        Value::String(s) if old.starts_with('\'') && !s.contains(['\n', '\r']) => {
            format!("'{}'", s.replace('\'', "''"))
        }
        Value::String(s) if old.starts_with('"') => double(s),
        Value::String(s) => {
            let safe = !s.is_empty()
                && s.starts_with(|c: char| c.is_alphanumeric())
                && !s.ends_with(' ')
                && s.chars()
                    .all(|c| c.is_alphanumeric() || " -_./@+()".contains(c));
            let reads_back = |text: &str| yaml::from_str::<Value>(text).ok();
            let whole = !s.is_empty()
                && s.trim_start_matches('-')
                    .chars()
                    .all(|c| c.is_ascii_digit());
            let was_number = reads_back(old).is_some_and(|v| v.is_number());
            if safe && reads_back(s) == Some(Value::String(s.clone())) {
                s.clone()
            } else if whole && was_number {
                // A whole quantity written as a number stays a number.
                s.clone()
            } else {
                double(s)
            }
        }
        other => other.to_string(),
    })
}

/// Rewrites the expectations of `failures` in their files and says what changed
/// and what was left, in file and line order.
pub fn bless(failures: &[Failure]) -> Vec<Blessed> {
    let mut by_file: BTreeMap<&PathBuf, Vec<&Failure>> = BTreeMap::new();
    for f in failures {
        by_file.entry(&f.file).or_default().push(f);
    }
    let mut out = Vec::new();
    for (file, failures) in by_file {
        let mut done = bless_file(file, &failures);
        done.sort_by_key(|b| b.line);
        out.extend(done);
    }
    out
}

fn bless_file(file: &Path, failures: &[&Failure]) -> Vec<Blessed> {
    let shown = file.display().to_string();
    let entry = |line: usize, scenario: &str, field: &str, change: BlessChange| Blessed {
        file: shown.clone(),
        line,
        scenario: scenario.to_string(),
        field: field.to_string(),
        change,
    };
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            return failures
                .iter()
                .map(|f| {
                    entry(
                        f.line,
                        &f.name,
                        "",
                        BlessChange::Left {
                            why: format!("cannot read the scenario file: {e}"),
                        },
                    )
                })
                .collect();
        }
    };
    let index = yaml::Index::of(&text);
    let mut out = Vec::new();
    // (byte range, new text, entry index in `out`)
    let mut replacements = Vec::new();
    // The outcomes rewritten in full, to run again against the new text.
    let mut whole: Vec<&Failure> = Vec::new();
    for f in failures {
        let (Some(base), Some(expect)) = (&f.expect_path, &f.expect) else {
            let why = match &f.actual {
                Err(e) => format!("the scenario does not read ({e}); fix it first"),
                Ok(_) => "the scenario does not read; fix it first".to_string(),
            };
            out.push(entry(f.line, &f.name, "", BlessChange::Left { why }));
            continue;
        };
        let actual = match &f.actual {
            Ok(a) => a,
            Err(e) => {
                out.push(entry(
                    f.line,
                    &f.name,
                    "",
                    BlessChange::Left {
                        why: format!("nothing came out to expect: {e}"),
                    },
                ));
                continue;
            }
        };
        let plan = plan(expect, actual);
        let line_of = |path: &str| {
            let full = join(base, path);
            index
                .key(&full)
                .or_else(|| index.nearest(&full))
                .map_or(f.line, |p| p.line)
        };
        let mut complete = plan.left.is_empty();
        for e in &plan.edits {
            let full = join(base, &e.path);
            let line = line_of(&e.path);
            let range = index.scalar_range(&full, &text);
            let new_text = range.clone().and_then(|r| scalar_text(&e.new, &text[r]));
            match (range, new_text) {
                (Some(r), Some(t)) => {
                    replacements.push((r, t, out.len()));
                    out.push(entry(
                        line,
                        &f.name,
                        &e.label,
                        BlessChange::Rewritten {
                            old: show(&e.old),
                            new: show(&e.new),
                        },
                    ));
                }
                _ => {
                    complete = false;
                    out.push(entry(line, &f.name, &e.label, BlessChange::Left {
                        why: format!(
                            "expects {}, got {}, but the value is not written out as one plain or quoted value here; edit it by hand",
                            show(&e.old),
                            show(&e.new)
                        ),
                    }));
                }
            }
        }
        for l in &plan.left {
            out.push(entry(
                line_of(&l.path),
                &f.name,
                &l.label,
                BlessChange::Left { why: l.why.clone() },
            ));
        }
        if plan.edits.is_empty() && plan.left.is_empty() {
            complete = false;
            out.push(entry(
                f.line,
                &f.name,
                "",
                BlessChange::Left {
                    why: "no field found to rewrite; edit it by hand".to_string(),
                },
            ));
        }
        if complete {
            whole.push(f);
        }
    }
    if replacements.is_empty() {
        return out;
    }
    replacements.sort_by_key(|(r, _, _)| r.start);
    // The text between the replaced values copied once, each value put in its place.
    let mut new_text = String::with_capacity(text.len());
    let mut copied = 0;
    for (r, t, _) in &replacements {
        if r.start < copied {
            // The same value twice (a file named twice): put in once.
            continue;
        }
        new_text.push_str(&text[copied..r.start]);
        new_text.push_str(t);
        copied = r.end;
    }
    new_text.push_str(&text[copied..]);
    if let Err(why) = verify(file, &text, &new_text, &whole) {
        for (_, _, i) in &replacements {
            if let BlessChange::Rewritten { old, new } = &out[*i].change {
                out[*i].change = BlessChange::Left {
                    why: format!("expects {old}, got {new}; not rewritten: {why}"),
                };
            }
        }
        return out;
    }
    if let Err(e) = std::fs::write(file, &new_text) {
        for (_, _, i) in &replacements {
            out[*i].change = BlessChange::Left {
                why: format!("cannot write the scenario file: {e}"),
            };
        }
    }
    out
}

/// Whether the rewritten text reads as well as the old one did, and every outcome
/// rewritten in full now passes.
fn verify(file: &Path, old: &str, new: &str, whole: &[&Failure]) -> Result<(), String> {
    if load_text(file, old).is_err() {
        // A file with a malformed scenario: the rest was rewritten value by value.
        return Ok(());
    }
    let scenarios: Vec<LocatedScenario> =
        load_text(file, new).map_err(|d| format!("the file would not read: {d}"))?;
    // Each run by the path of its `expect`, the first of a path kept, as a search
    // from the start would find it.
    let mut runs = HashMap::new();
    for s in &scenarios {
        for r in s.runs() {
            runs.entry(r.expect_path(s.index)).or_insert(r);
        }
    }
    for f in whole {
        let (Some(base), Ok(actual)) = (&f.expect_path, &f.actual) else {
            continue;
        };
        let Some(run) = runs.get(base) else {
            return Err(format!("scenario '{}' not found again", f.name));
        };
        let still = compare(run.expect, actual);
        if let Some(d) = still.first() {
            return Err(format!("scenario '{}' would still fail ({d})", f.name));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn expect(text: &str) -> Expect {
        crate::yaml::from_str(text).expect("expect parses")
    }

    #[test]
    fn scalars_keep_their_quoting_and_stay_the_same_type() {
        let s = |v: Value, old: &str| scalar_text(&v, old);
        assert_eq!(
            s(json!("2026-06-09"), "2026-06-08").as_deref(),
            Some("2026-06-09")
        );
        assert_eq!(
            s(json!("1875.01"), "\"1875.00\"").as_deref(),
            Some("\"1875.01\"")
        );
        assert_eq!(s(json!("1875.01"), "x").as_deref(), Some("\"1875.01\""));
        assert_eq!(s(json!("it's"), "'a'").as_deref(), Some("'it''s'"));
        assert_eq!(s(json!("a: b"), "a").as_deref(), Some("\"a: b\""));
        assert_eq!(s(json!("true"), "a").as_deref(), Some("\"true\""));
        assert_eq!(s(json!("3"), "1").as_deref(), Some("3"));
        assert_eq!(s(json!("2.50"), "1").as_deref(), Some("\"2.50\""));
        assert_eq!(s(json!(61), "60").as_deref(), Some("61"));
        assert_eq!(s(Value::Null, "2026-06-08").as_deref(), Some("null"));
        assert_eq!(
            s(json!("2026-06-08"), "null").as_deref(),
            Some("2026-06-08")
        );
        assert_eq!(s(json!("x"), "|\n  y\n"), None);
    }

    #[test]
    fn a_wrong_field_of_a_list_item_is_rewritten_by_its_place() {
        let actual = json!({"routes": [
            {"custodian": "cancer-registry", "due": "2026-05-01"},
            {"custodian": "niph", "due": "2026-06-09", "working_days": 61}
        ]});
        let p = plan(
            &expect("routes:\n  - {custodian: niph, due: 2026-06-08, working_days: 61}\n  - {custodian: cancer-registry}"),
            &actual,
        );
        assert!(p.left.is_empty(), "{:?}", p.left);
        assert_eq!(
            p.edits,
            vec![Edit {
                path: "routes[0].due".into(),
                label: "routes[custodian=niph].due".into(),
                old: json!("2026-06-08"),
                new: json!("2026-06-09"),
            }]
        );
    }

    #[test]
    fn a_whole_list_is_paired_one_to_one_before_anything_is_rewritten() {
        let actual = json!({"findings": [
            {"code": "a", "severity": "info", "source": "npr"},
            {"code": "a", "severity": "info", "source": "msis"},
            {"code": "b", "severity": "info", "source": null}
        ]});
        // `{severity: info}` fits every finding: nothing needs rewriting.
        let p = plan(
            &expect("findings:\n  - {severity: info}\n  - {code: a, source: npr}\n  - {code: b}"),
            &actual,
        );
        assert_eq!((p.edits, p.left), (vec![], vec![]));
        // `{code: a}` fits both `a` findings; the other `a` item is rewritten
        // against the one it differs from in its severity only, not its source.
        let p = plan(
            &expect("findings:\n  - {code: a}\n  - {code: a, source: npr, severity: warning}\n  - {code: b}"),
            &actual,
        );
        assert!(p.left.is_empty(), "{:?}", p.left);
        assert_eq!(
            p.edits,
            vec![Edit {
                path: "findings[1].severity".into(),
                label: "findings[code=a].severity".into(),
                old: json!("warning"),
                new: json!("info"),
            }]
        );
    }

    #[test]
    fn two_expected_items_left_for_one_item_with_their_key_are_both_left() {
        let actual = json!({"findings": [
            {"code": "a", "severity": "info", "source": "y"},
            {"code": "b", "severity": "info", "source": "z"},
            {"code": "c", "severity": "info", "source": "z"}
        ]});
        // Either `a` item could be the one that came out: rewriting both against
        // it would make neither right.
        let p = plan(
            &expect("findings:\n  - {code: a, severity: warning}\n  - {code: a, source: q}\n  - {code: b}"),
            &actual,
        );
        assert_eq!(p.edits, vec![]);
        let why: Vec<(&str, &str)> = p
            .left
            .iter()
            .map(|l| (l.path.as_str(), l.why.as_str()))
            .collect();
        assert_eq!(
            why,
            [
                ("findings[0]", "2 expected items with code a are left for 1 item with code a; edit them by hand"),
                ("findings[1]", "2 expected items with code a are left for 1 item with code a; edit them by hand"),
            ]
        );
    }

    #[test]
    fn what_has_no_single_value_to_rewrite_is_left_with_the_reason() {
        let actual = json!({"status": "complete", "findings": [{"code": "a", "message": "sixty"}], "routes": []});
        let p = plan(
            &expect("findings_include:\n  - {code: a, message_contains: sixty-one}\n  - {code: b}\nfindings_exclude: [{code: a}]\nroutes: [{custodian: niph}]\nerror: {kind: syntax}"),
            &actual,
        );
        assert!(p.edits.is_empty(), "{:?}", p.edits);
        let why: Vec<(&str, &str)> = p
            .left
            .iter()
            .map(|l| (l.label.as_str(), l.why.as_str()))
            .collect();
        assert_eq!(why.len(), 5, "{why:?}");
        assert!(
            why[0].0 == "findings_include[code=a].message" && why[0].1.contains("by hand"),
            "{why:?}"
        );
        assert!(why[1].1.contains("no item with code b"), "{why:?}");
        assert!(why[2].1.contains("remove it"), "{why:?}");
        assert!(
            why[3].1.contains("expects 1 item(s) [niph], got 0 []"),
            "{why:?}"
        );
        assert!(why[4].0 == "error", "{why:?}");
    }

    #[test]
    fn case_statuses_their_decision_and_invoice_lines_are_rewritten() {
        let actual = json!({
            "state": "open",
            "routes": [{"custodian": "niph", "due_now": "2026-06-11", "paused_days": 3}],
            "actions": [{"code": "deliver-or-postpone", "due": "2026-06-11"}],
            "decision": {"complete_on": "2026-03-06"},
            "invoices": [{"party": "niph", "total": "100.00", "lines": [{"item": "hours", "quantity": "3", "amount": "90.00"}]}]
        });
        let p = plan(
            &expect("state: closed\nroutes: [{custodian: niph, due_now: 2026-06-10, paused_days: 2}]\nactions_include: [{code: deliver-or-postpone, due: 2026-06-10}]\ndecision: {complete_on: null}\ninvoices: [{party: niph, total: \"99.00\", lines: [{item: hours, quantity: 2, amount: \"80.00\"}]}]"),
            &actual,
        );
        assert!(p.left.is_empty(), "{:?}", p.left);
        let paths: Vec<&str> = p.edits.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "routes[0].due_now",
                "routes[0].paused_days",
                "state",
                "actions_include[0].due",
                "invoices[0].total",
                "invoices[0].lines[0].quantity",
                "invoices[0].lines[0].amount",
                "decision.complete_on",
            ]
        );
    }

    #[test]
    fn a_value_written_elsewhere_through_an_alias_is_left_and_the_file_untouched() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("s.yaml");
        let text = "shared: &due {custodian: niph, due: 2026-06-08}\nscenarios:\n  - name: a\n    description: d\n    application: x.yaml\n    expect:\n      routes: [*due]\n";
        std::fs::write(&path, text).expect("write");
        let scenarios = crate::tools::scenario::file::load_each(&path).expect("reads");
        let Some(Ok(s)) = scenarios.first() else {
            panic!("a scenario: {scenarios:?}");
        };
        let run = &s.runs()[0];
        let done = bless(&[Failure {
            file: path.clone(),
            line: 3,
            name: "a".into(),
            expect_path: Some(run.expect_path(0)),
            expect: Some(run.expect.clone()),
            actual: Ok(json!({"routes": [{"custodian": "niph", "due": "2026-06-10"}]})),
        }]);
        assert_eq!(done.len(), 1);
        let BlessChange::Left { why } = &done[0].change else {
            panic!("left: {done:?}");
        };
        assert!(why.contains("not written out"), "{why}");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), text);
    }

    #[test]
    fn a_file_is_rewritten_only_at_the_changed_values() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("s.yaml");
        let text = "# top comment\nscenarios:\n  - name: a   # why\n    description: d\n    application: x.yaml\n    expect:\n      routes:\n        # niph first\n        - {custodian: niph,   due: 2026-06-08}   # trailing\n";
        std::fs::write(&path, text).expect("write");
        let scenarios = crate::tools::scenario::file::load_file(&path).expect("loads");
        let run = &scenarios[0].runs()[0];
        let failure = Failure {
            file: path.clone(),
            line: 3,
            name: "a".into(),
            expect_path: Some(run.expect_path(0)),
            expect: Some(run.expect.clone()),
            actual: Ok(json!({"routes": [{"custodian": "niph", "due": "2026-06-10"}]})),
        };
        let done = bless(&[failure]);
        assert_eq!(
            done,
            vec![Blessed {
                file: path.display().to_string(),
                line: 9,
                scenario: "a".into(),
                field: "routes[custodian=niph].due".into(),
                change: BlessChange::Rewritten {
                    old: "2026-06-08".into(),
                    new: "2026-06-10".into()
                },
            }]
        );
        let now = std::fs::read_to_string(&path).expect("read");
        assert_eq!(now, text.replace("2026-06-08", "2026-06-10"));
    }
}
