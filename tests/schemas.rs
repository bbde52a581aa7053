//! The JSON Schemas in `schemas/` accept the documents the project ships and reject
//! the mistakes `hds` rejects, so editors underline the same things; the decision
//! schema accepts every decision `hds` gives.

mod common;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn validator(document: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join(format!("schemas/{document}.schema.json")))
        .expect("schema file");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::draft202012::new(&schema).expect("a valid draft 2020-12 schema")
}

fn yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    hds::yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The application files under `dir`; `examples/cases/` holds case files, not
/// applications.
fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = entry.path();
        if p.is_dir() && p.ends_with("examples/cases") {
            continue;
        }
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml") {
            out.push(p);
        }
    }
}

#[test]
fn application_schema_accepts_the_contract_example_and_every_example() {
    let v = validator("application");
    let mut files = vec![root().join("tests/cases/contract/application.example.yaml")];
    yaml_files(&root().join("examples"), &mut files);
    assert!(files.len() >= 6);
    for f in files {
        let doc = yaml(&f);
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", f.display());
    }
}

#[test]
fn application_schema_rejects_a_misspelt_field() {
    let v = validator("application");
    let mut doc = yaml(&root().join("examples/linked-niph.yaml"));
    let project = doc["project"].clone();
    let obj = doc.as_object_mut().expect("map");
    obj.remove("project");
    obj.insert("projekt".to_string(), project);
    assert!(!v.is_valid(&doc));
    let mut doc = yaml(&root().join("examples/linked-niph.yaml"));
    doc["sources"][0]["variabels"] = Value::Array(vec![]);
    assert!(!v.is_valid(&doc));
}

#[test]
fn application_schema_rejects_a_timestamp_without_offset_and_an_unknown_kind() {
    let v = validator("application");
    let mut doc = yaml(&root().join("examples/linked-niph.yaml"));
    doc["submitted_at"] = Value::String("2026-03-02T09:15:00".to_string());
    assert!(!v.is_valid(&doc));
    let mut doc = yaml(&root().join("examples/linked-niph.yaml"));
    doc["attachments"][0]["kind"] = Value::String("excel".to_string());
    assert!(!v.is_valid(&doc));
}

#[test]
fn calendar_and_catalog_schemas_accept_the_shipped_files() {
    let cal = validator("calendar");
    let mut files = Vec::new();
    yaml_files(&root().join("calendars"), &mut files);
    for f in &files {
        assert!(cal.is_valid(&yaml(f)), "{}", f.display());
    }
    let mut bad = yaml(&root().join("calendars/norway.yaml"));
    bad["holydays"] = Value::Array(vec![]);
    assert!(!cal.is_valid(&bad));
    let catalog = validator("catalog");
    assert!(catalog.is_valid(&yaml(&root().join("rules/catalog.yaml"))));
}

#[test]
fn scenario_schema_accepts_every_scenario_file_and_rejects_a_typo_a_null_and_what_checks_nothing() {
    let v = validator("scenario");
    let files = scenario_files();
    assert!(!files.is_empty());
    for f in &files {
        let doc = yaml(f);
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", f.display());
    }
    let mut doc = yaml(&files[0]);
    doc["scenarios"][0]["expect"]["staus"] = Value::String("complete".to_string());
    assert!(!v.is_valid(&doc));
    // `null` where the record never holds one is refused, as `hds test` refuses it.
    let mut doc = yaml(&files[0]);
    doc["scenarios"][0]["expect"]["status"] = Value::Null;
    assert!(!v.is_valid(&doc));
    let mut doc = yaml(&files[0]);
    doc["scenarios"][0]["skip"] = Value::Null;
    assert!(!v.is_valid(&doc));
    // What checks nothing is refused, as `hds test` refuses it.
    let mut doc = yaml(&files[0]);
    doc["scenarios"][0]["expect"] = serde_json::json!({});
    assert!(!v.is_valid(&doc));
    let mut doc = yaml(&files[0]);
    doc["scenarios"][0]["expect"]["findings_include"] = serde_json::json!([]);
    assert!(!v.is_valid(&doc));
    let mut doc = yaml(&files[0]);
    doc["scenarios"] = serde_json::json!([]);
    assert!(!v.is_valid(&doc));
    // An empty whole list is an expectation: no findings.
    let mut doc = yaml(&files[0]);
    doc["scenarios"][0]["expect"]["findings"] = serde_json::json!([]);
    assert!(v.is_valid(&doc));
}

/// The decision schema, with `format: date` checked too.
fn decision_validator() -> jsonschema::Validator {
    let text =
        std::fs::read_to_string(root().join("schemas/decision.schema.json")).expect("schema file");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("a valid draft 2020-12 schema")
}

/// Fails with every schema error of every decision that does not validate.
fn assert_valid_decisions(v: &jsonschema::Validator, decisions: &[(String, Value)]) {
    let mut problems = Vec::new();
    for (label, decision) in decisions {
        for e in v.iter_errors(decision) {
            problems.push(format!("{label}: {} at {}", e, e.instance_path()));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The decisions of `hds evaluate examples/*.yaml`, one per line of output.
fn example_decisions() -> Vec<(String, Value)> {
    let mut files = Vec::new();
    yaml_files(&root().join("examples"), &mut files);
    files.sort();
    let args: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(root()).unwrap_or(f).display().to_string())
        .collect();
    let stdout = common::stdout_ok(common::hds().arg("evaluate").args(&args));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), args.len(), "one decision per example");
    args.into_iter()
        .zip(lines)
        .map(|(file, line)| (file, serde_json::from_str(line).expect("a JSON line")))
        .collect()
}

#[test]
fn decision_schema_accepts_the_decision_of_every_example() {
    let decisions = example_decisions();
    assert!(decisions.len() >= 6);
    assert_valid_decisions(&decision_validator(), &decisions);
    let statuses: BTreeSet<&str> = decisions
        .iter()
        .filter_map(|(_, d)| d["status"].as_str())
        .collect();
    assert_eq!(
        statuses,
        BTreeSet::from(["complete", "incomplete", "ineligible", "redirected"]),
        "the examples show every status"
    );
}

#[test]
fn decision_fields_come_in_the_order_the_schema_lists_them() {
    let text =
        std::fs::read_to_string(root().join("schemas/decision.schema.json")).expect("schema file");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    let listed = |s: &Value| -> Vec<String> {
        s["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    };
    assert_eq!(
        listed(&schema),
        [
            "application",
            "input",
            "ruleset",
            "status",
            "received_on",
            "complete_on",
            "missing",
            "findings",
            "routes",
            "redirects"
        ]
    );
    let keys = |v: &Value| -> Vec<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    for (label, d) in example_decisions() {
        assert_eq!(keys(&d), listed(&schema), "{label}");
        assert_eq!(keys(&d["ruleset"]), listed(&schema["$defs"]["RulesetId"]));
        for (list, def) in [
            ("missing", "Missing"),
            ("findings", "Finding"),
            ("routes", "Route"),
            ("redirects", "Redirect"),
        ] {
            for item in d[list].as_array().into_iter().flatten() {
                assert_eq!(keys(item), listed(&schema["$defs"][def]), "{label}: {list}");
            }
        }
    }
}

/// The scenario files under `tests/scenarios` (not the applications and rule-set
/// variants beside them).
fn scenario_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    yaml_files(&root().join("tests/scenarios"), &mut files);
    files.retain(|f| {
        !f.components()
            .any(|c| c.as_os_str() == "variants" || c.as_os_str() == "applications")
    });
    files.sort();
    files
}

/// The decision of every application a scenario under `tests/scenarios` names (every
/// record of an application file), given by `hds evaluate` with the rule set the
/// scenario names.
fn scenario_decisions() -> Vec<(String, Value)> {
    let inline = tempfile::tempdir().expect("temp dir");
    // Rule-set folder (none: the shipped rules) -> application files.
    let mut runs: BTreeMap<Option<PathBuf>, BTreeSet<PathBuf>> = BTreeMap::new();
    for (n, file) in scenario_files().iter().enumerate() {
        let here = file.parent().expect("a folder");
        let doc = yaml(file);
        for (m, s) in doc["scenarios"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            // A case scenario names a case file, not an application to decide.
            if s.get("case").is_some() {
                continue;
            }
            let written = inline.path().join(format!("{n}-{m}.yaml"));
            let application = match (&s["application"], &s["application_text"]) {
                (Value::String(path), _) => here.join(path),
                (Value::Object(_), _) => {
                    // JSON is YAML: the application map written as JSON reads back the same.
                    let text = serde_json::to_string(&s["application"]).expect("JSON");
                    std::fs::write(&written, text).expect("write");
                    written
                }
                (_, Value::String(text)) => {
                    std::fs::write(&written, text).expect("write");
                    written
                }
                _ => panic!("{}: scenario {m} names no application", file.display()),
            };
            let rules = s["rules"].as_str().map(|r| here.join(r));
            runs.entry(rules).or_default().insert(application);
        }
    }
    let mut decisions = Vec::new();
    for (rules, applications) in runs {
        let mut cmd = common::hds();
        if let Some(r) = &rules {
            cmd.arg("--rules").arg(r);
        }
        let out = cmd
            .arg("evaluate")
            .args(&applications)
            .output()
            .expect("hds runs");
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
        for (i, line) in stdout.lines().enumerate() {
            let record: Value = serde_json::from_str(line).expect("a JSON line");
            if record.get("error").is_none() {
                let label = format!(
                    "rules {}, line {}: {}",
                    rules
                        .as_ref()
                        .map_or("rules".into(), |r| r.display().to_string()),
                    i + 1,
                    record["application"]
                );
                decisions.push((label, record));
            }
        }
    }
    decisions
}

#[test]
fn decision_schema_accepts_the_decision_of_every_scenario_application() {
    let decisions = scenario_decisions();
    assert!(decisions.len() >= 200, "only {} decisions", decisions.len());
    assert_valid_decisions(&decision_validator(), &decisions);
}

#[test]
fn decision_schema_rejects_a_missing_field_an_unknown_value_and_a_bad_date() {
    let v = decision_validator();
    let (_, complete) = example_decisions()
        .into_iter()
        .find(|(_, d)| d["status"] == "complete" && d["routes"][0].is_object())
        .expect("a complete example with a route");
    assert!(v.is_valid(&complete));
    type Mutation = (&'static str, fn(&mut Value));
    let mutations: [Mutation; 7] = [
        ("complete_on left out", |d| {
            d.as_object_mut().map(|o| o.remove("complete_on"));
        }),
        ("an unknown field", |d| d["verdict"] = Value::from("yes")),
        ("an unknown status", |d| d["status"] = Value::from("done")),
        ("a date without leading zeros", |d| {
            d["received_on"] = Value::from("2026-3-2")
        }),
        ("a severity outside the three", |d| {
            d["findings"] = serde_json::json!([{"code": "c", "severity": "fatal",
                "custodian": null, "source": null, "message": "m", "rule": "r"}]);
        }),
        ("zero working days", |d| {
            d["routes"][0]["working_days"] = Value::from(0)
        }),
        ("a fingerprint that is not SHA-256", |d| {
            d["ruleset"]["fingerprint"] = Value::from("md5:0")
        }),
    ];
    for (what, mutate) in mutations {
        let mut d = complete.clone();
        mutate(&mut d);
        assert!(!v.is_valid(&d), "accepted {what}");
    }
}

/// The case files shipped: the examples and the contract's example.
fn case_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples/cases"))
        .expect("examples/cases")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.push(root().join("tests/cases/contract/case.example.yaml"));
    files.sort();
    files
}

/// Every JSON line `hds` prints for `args`, which must succeed.
fn json_lines(args: &[&str], files: &[PathBuf]) -> Vec<Value> {
    let stdout = common::stdout_ok(common::hds().args(args).args(files));
    common::json_lines(&stdout)
}

#[test]
fn case_schema_accepts_every_shipped_case_file_and_rejects_an_unknown_event_kind() {
    let v = validator("case");
    let files = case_files();
    assert!(files.len() >= 7);
    for f in &files {
        let doc = yaml(f);
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", f.display());
    }
    let mut doc = yaml(&files[0]);
    doc["events"][0]["kind"] = Value::String("work_loged".to_string());
    assert!(!v.is_valid(&doc));
}

#[test]
fn status_schema_accepts_the_status_of_every_shipped_case() {
    let v = validator("status");
    let statuses = json_lines(&["status", "--as-of", "2026-12-01"], &case_files());
    assert!(statuses.len() >= 7);
    for s in &statuses {
        let errors: Vec<String> = v.iter_errors(s).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", s["case"]);
    }
}

#[test]
fn invoice_schema_accepts_every_invoice_of_the_shipped_cases_with_and_without_explain() {
    let v = validator("invoice");
    for args in [
        &["invoice", "--as-of", "2026-12-01"][..],
        &["invoice", "--as-of", "2026-12-01", "--explain"][..],
    ] {
        let invoices = json_lines(args, &case_files());
        assert!(invoices.len() >= 8, "{args:?}");
        for i in &invoices {
            let errors: Vec<String> = v.iter_errors(i).map(|e| e.to_string()).collect();
            assert!(
                errors.is_empty(),
                "{} {}: {errors:?}",
                i["case"],
                i["party"]
            );
        }
    }
}
