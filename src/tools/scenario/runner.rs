//! Running scenarios: evaluate each application, compare with the partial decision
//! the scenario expects, and report the differences.

use crate::error::LoadError;
use crate::input::{parse_yaml, read_records, InputRecord};
use crate::model::error_record::ErrorRecord;
use crate::model::report::{Difference, Outcome, Report, Verdict};
use crate::ruleset::files::RuleFiles;
use crate::ruleset::RuleSet;
use crate::script::CoverageHits;
use crate::tools::scenario::file::{
    collect_files, load_file, ApplicationSource, Expect, LocatedScenario,
};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What decides each scenario: the default rule set, and rule-set variants loaded
/// once per folder.
pub struct Runner<'a> {
    default_rules: &'a RuleSet,
    variants: HashMap<PathBuf, Result<RuleSet, String>>,
    /// Run only scenarios whose name or file path contains this text.
    pub filter: Option<String>,
    /// Where variant rule sets record executed lines, under `--coverage`.
    pub coverage: Option<CoverageHits>,
}

impl<'a> Runner<'a> {
    /// A runner deciding with `default_rules` unless a scenario names a variant.
    pub fn new(default_rules: &'a RuleSet) -> Self {
        Runner {
            default_rules,
            variants: HashMap::new(),
            filter: None,
            coverage: None,
        }
    }

    /// Runs every scenario under `paths`.
    pub fn run(&mut self, paths: &[PathBuf]) -> Result<Report, String> {
        let mut report = Report::default();
        for path in paths {
            for file in collect_files(path)? {
                match load_file(&file) {
                    Ok(scenarios) => {
                        for s in scenarios {
                            if self.selected(&s) {
                                note_expected(&s.scenario.expect, &mut report);
                                let outcome = self.run_one(&s);
                                report.push(outcome);
                            }
                        }
                    }
                    Err(d) => {
                        let shown = file.display().to_string();
                        if self
                            .filter
                            .as_ref()
                            .is_none_or(|f| shown.contains(f.as_str()))
                        {
                            report.push(Outcome {
                                file: shown,
                                line: d.line.unwrap_or(1),
                                name: "(scenario file)".to_string(),
                                description: String::new(),
                                verdict: Verdict::Failed,
                                note: Some(d.to_string()),
                                differences: vec![],
                            });
                        }
                    }
                }
            }
        }
        Ok(report)
    }

    fn selected(&self, s: &LocatedScenario) -> bool {
        match &self.filter {
            None => true,
            Some(f) => {
                s.scenario.name.contains(f.as_str())
                    || s.file.display().to_string().contains(f.as_str())
            }
        }
    }

    fn rules_for(&mut self, s: &LocatedScenario) -> Result<&RuleSet, String> {
        let Some(dir) = s.rules_dir() else {
            return Ok(self.default_rules);
        };
        let coverage = self.coverage.clone();
        let loaded = self.variants.entry(dir.clone()).or_insert_with(|| {
            RuleFiles::from_folder(&dir)
                .map_err(LoadError::from)
                .and_then(|files| RuleSet::load_with_coverage(&files, coverage))
                .map_err(|e| e.to_string())
        });
        loaded
            .as_ref()
            .map_err(|e| format!("rules {}: {e}", dir.display()))
    }

    /// Evaluates one scenario's application and compares.
    pub fn run_one(&mut self, s: &LocatedScenario) -> Outcome {
        let mut outcome = Outcome {
            file: s.file.display().to_string(),
            line: s.line,
            name: s.scenario.name.clone(),
            description: s.scenario.description.clone(),
            verdict: Verdict::Passed,
            note: None,
            differences: vec![],
        };
        if let Some(reason) = &s.scenario.skip {
            outcome.verdict = Verdict::Skipped;
            outcome.note = Some(reason.clone());
            return outcome;
        }
        let actual = match self.actual(s) {
            Ok(v) => v,
            Err(e) => {
                outcome.verdict = Verdict::Failed;
                outcome.note = Some(e);
                return outcome;
            }
        };
        outcome.differences = compare(&s.scenario.expect, &actual);
        if !outcome.differences.is_empty() {
            outcome.verdict = Verdict::Failed;
        }
        outcome
    }

    /// The decision or error record the scenario's application gives, as JSON.
    fn actual(&mut self, s: &LocatedScenario) -> Result<Value, String> {
        let record = match s.application_source()? {
            ApplicationSource::File(path) => first_record(&path)?,
            ApplicationSource::Text { label, text } => parse_yaml(&label, &text),
        };
        let rules = self.rules_for(s)?;
        Ok(match record.result {
            Ok(app) => match crate::Evaluator::new(rules).evaluate(&app) {
                Ok(decision) => json(&decision),
                Err(e) => json(&ErrorRecord::undecided(&app.id, record.input, e)),
            },
            Err(e) => json(&e.into_record(record.input)),
        })
    }
}

/// Records the codes and items a scenario expects to be present, for coverage.
fn note_expected(expect: &Expect, report: &mut Report) {
    let findings = expect
        .findings
        .iter()
        .chain(&expect.findings_include)
        .flatten();
    report
        .expected_codes
        .extend(findings.filter_map(|f| f.code.clone()));
    let missing = expect
        .missing
        .iter()
        .chain(&expect.missing_include)
        .flatten();
    report
        .expected_items
        .extend(missing.filter_map(|m| m.item.clone()));
}

fn json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn first_record(path: &Path) -> Result<InputRecord, String> {
    let mut first = None;
    read_records(&path.display().to_string(), &mut |r| {
        if first.is_none() {
            first = Some(r);
        }
    });
    first.ok_or_else(|| format!("{}: no application in the file", path.display()))
}

/// The identifying field of the items of each list, used to name an item in a
/// difference (`findings[code=linking-single-source].severity`).
fn key_of(list: &str) -> &'static str {
    match list {
        "missing" => "item",
        "findings" => "code",
        "routes" => "custodian",
        "redirects" => "source",
        _ => "",
    }
}

fn show(v: &Value) -> String {
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

/// Compares a scenario's expectation with the decision or error record.
pub fn compare(expect: &Expect, actual: &Value) -> Vec<Difference> {
    let mut diffs = Vec::new();
    let pattern = match serde_json::to_value(expect) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let is_error = actual.get("error").is_some();
    if is_error {
        let got = format!(
            "an error record ({}: {})",
            show(&actual["error"]["kind"]),
            show(&actual["error"]["message"])
        );
        for (key, expected) in &pattern {
            match key.as_str() {
                "error" => object_diffs("error", expected, &actual["error"], &mut diffs),
                "application" => {
                    scalar_diff("application", expected, &actual["application"], &mut diffs)
                }
                _ => diffs.push(Difference {
                    path: key.clone(),
                    expected: show_expected(expected),
                    got: got.clone(),
                }),
            }
        }
        return diffs;
    }
    for (key, expected) in &pattern {
        if key == "error" {
            diffs.push(Difference {
                path: "error".to_string(),
                expected: format!("an error record {}", show(expected)),
                got: format!("a decision with status {}", show(&actual["status"])),
            });
            continue;
        }
        if let Some(list) = key.strip_suffix("_include") {
            include_diffs(key, list, expected, &actual[list], &mut diffs);
        } else if let Some(list) = key.strip_suffix("_exclude") {
            exclude_diffs(key, expected, &actual[list], &mut diffs);
        } else if matches!(
            key.as_str(),
            "missing" | "findings" | "routes" | "redirects"
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
                    path: format!("{path}.{field}"),
                    expected: format!("text containing '{needle}'"),
                    got: show(actual.get(field).unwrap_or(&Value::Null)),
                });
            }
            continue;
        }
        let got = actual.get(key).unwrap_or(&Value::Null);
        scalar_diff(&format!("{path}.{key}"), expected, got, diffs);
    }
}

fn matches(pattern: &Value, actual: &Value) -> bool {
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
        path: label.to_string(),
        expected: format!("an item matching {}", pattern),
        got: show_items(actual, key),
    });
}

fn whole_list_diffs(list: &str, expected: &Value, actual: &Value, diffs: &mut Vec<Difference>) {
    let want = items(expected);
    let got = items(actual);
    let key = key_of(list);
    if want.len() != got.len() {
        diffs.push(Difference {
            path: list.to_string(),
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
        unmatched(list, list, p, &rest, diffs);
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
}
