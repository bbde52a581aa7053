//! The JSON Schemas in `schemas/` accept the documents the project ships and reject
//! the mistakes `hds` rejects, so editors underline the same things.

use serde_json::Value;
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

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = entry.path();
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
    let mut files = vec![root().join("../shared/contracts/application.example.yaml")];
    files.retain(|f| f.exists());
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
fn scenario_schema_accepts_every_scenario_file_and_rejects_a_typo() {
    let v = validator("scenario");
    let mut files = Vec::new();
    yaml_files(&root().join("tests/scenarios"), &mut files);
    files.retain(|f| {
        !f.components()
            .any(|c| c.as_os_str() == "variants" || c.as_os_str() == "applications")
    });
    assert!(!files.is_empty());
    for f in &files {
        let doc = yaml(f);
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", f.display());
    }
    let mut doc = yaml(&files[0]);
    doc["scenarios"][0]["expect"]["staus"] = Value::String("complete".to_string());
    assert!(!v.is_valid(&doc));
}
