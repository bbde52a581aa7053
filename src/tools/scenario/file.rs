//! Scenario files: an application in, a partial decision expected out.
//!
//! ```yaml
//! scenarios:
//!   - name: linked-niph-sources-get-60-working-days
//!     description: Linking two sources gives 60 working days, Easter to Whit Monday skipped
//!     application: ../../examples/linked-niph.yaml     # or an inline map, or application_text
//!     expect:
//!       status: complete
//!       routes:
//!         - {custodian: niph, working_days: 60, due: 2026-06-08}
//!       findings_include:
//!         - {code: linking-prefer-identifiable}
//!       findings_exclude:
//!         - {code: linking-single-source}
//! ```
//!
//! Only the fields given under `expect` are checked. A list given as `findings` is
//! compared whole (same number of items, each matching one item, in any order);
//! `findings_include` items must each be present, `findings_exclude` items must all
//! be absent. Files are parsed strictly: a misspelt key is an error with its line.

use crate::error::Diagnostic;
use crate::yaml;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Deserialises a field that is present (even as `null`) into `Some`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub scenarios: Vec<Scenario>,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Unique within its file.
    pub name: String,
    /// The rule the scenario pins down, in one line.
    pub description: String,
    /// A path to an application file (relative to the scenario file), or the
    /// application inline as a map.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub application: Option<yaml::Value>,
    /// The application as raw text (for documents that are not valid YAML).
    #[serde(default)]
    pub application_text: Option<String>,
    /// Another rule-set folder, relative to the scenario file.
    #[serde(default)]
    pub rules: Option<String>,
    /// Skip the scenario, with the reason.
    #[serde(default)]
    pub skip: Option<String>,
    pub expect: Expect,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExpectedStatus {
    Redirected,
    Ineligible,
    Incomplete,
    Complete,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExpectedSeverity {
    Info,
    Warning,
    Error,
}

/// The partial decision a scenario expects.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ruleset: Option<ExpectRuleset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ExpectedStatus>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub received_on: Option<Value>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub complete_on: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<ExpectMissing>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_include: Option<Vec<ExpectMissing>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_exclude: Option<Vec<ExpectMissing>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<ExpectFinding>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings_include: Option<Vec<ExpectFinding>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings_exclude: Option<Vec<ExpectFinding>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routes: Option<Vec<ExpectRoute>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routes_include: Option<Vec<ExpectRoute>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routes_exclude: Option<Vec<ExpectRoute>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirects: Option<Vec<ExpectRedirect>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirects_include: Option<Vec<ExpectRedirect>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirects_exclude: Option<Vec<ExpectRedirect>>,
    /// The record is an error record (bad input or a failing rule), not a decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ExpectError>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectRuleset {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectMissing {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub custodian: Option<Value>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_contains: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectFinding {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<ExpectedSeverity>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub custodian: Option<Value>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_contains: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectRoute {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custodian: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub clock_start: Option<Value>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub due: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_contains: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectRedirect {
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub form_url: Option<Value>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectError {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_contains: Option<String>,
}

/// One scenario with where it was written.
#[derive(Debug, Clone)]
pub struct LocatedScenario {
    pub file: PathBuf,
    pub line: usize,
    pub scenario: Scenario,
}

/// How a scenario names its application.
#[derive(Debug, Clone)]
pub enum ApplicationSource {
    File(PathBuf),
    Text { label: String, text: String },
}

impl LocatedScenario {
    pub fn dir(&self) -> &Path {
        self.file.parent().unwrap_or(Path::new("."))
    }

    pub fn application_source(&self) -> Result<ApplicationSource, String> {
        let label = format!("{}:{}", self.file.display(), self.line);
        let inline = |v: &yaml::Value| {
            v.to_yaml()
                .map_err(|e| format!("{label}: application: {e}"))
                .map(|text| ApplicationSource::Text {
                    label: label.clone(),
                    text,
                })
        };
        match (&self.scenario.application, &self.scenario.application_text) {
            (Some(v), None) => match v.as_str() {
                Some(p) => Ok(ApplicationSource::File(self.dir().join(p))),
                None if v.is_mapping() => inline(v),
                None => Err(self.no_application(&label)),
            },
            (None, Some(text)) => Ok(ApplicationSource::Text {
                label: label.clone(),
                text: text.clone(),
            }),
            _ => Err(self.no_application(&label)),
        }
    }

    fn no_application(&self, label: &str) -> String {
        format!(
            "{label}: scenario '{}': expected exactly one of `application` (a file path or an inline map) or `application_text`",
            self.scenario.name
        )
    }

    /// The rule-set folder the scenario asks for, if any.
    pub fn rules_dir(&self) -> Option<PathBuf> {
        self.scenario.rules.as_ref().map(|r| self.dir().join(r))
    }
}

/// Parses one scenario file strictly. Names must be unique within the file.
pub fn load_file(path: &Path) -> Result<Vec<LocatedScenario>, Diagnostic> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Diagnostic::error(&shown, format!("cannot read scenario file: {e}")))?;
    let file: ScenarioFile = yaml::from_str(&text).map_err(|e| {
        let field = e.path();
        let mut d = Diagnostic::from_yaml(&shown, &e);
        if !field.is_empty() && field != "." && !d.message.starts_with(field) {
            d.message = format!("{field}: {}", d.message);
        }
        d
    })?;
    let index = yaml::Index::of(&text);
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (i, scenario) in file.scenarios.into_iter().enumerate() {
        let line = index
            .key(&format!("scenarios[{i}].name"))
            .or_else(|| index.value(&format!("scenarios[{i}]")))
            .map_or(1, |p| p.line);
        if !seen.insert(scenario.name.clone()) {
            return Err(Diagnostic::error(
                &shown,
                format!(
                    "scenario name '{}' is used twice in this file",
                    scenario.name
                ),
            )
            .at(Some(line), None));
        }
        out.push(LocatedScenario {
            file: path.to_path_buf(),
            line,
            scenario,
        });
    }
    Ok(out)
}

/// The scenario files under `path` (a file, or every `.yaml`/`.yml` below a folder),
/// in path order.
pub fn collect_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if !path.is_dir() {
        return Err(format!(
            "{}: no such scenario file or folder",
            path.display()
        ));
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let p = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            if p.is_dir() {
                // Rule-set variants and application files live beside scenarios.
                if !p.join("ruleset.yaml").is_file()
                    && name != "applications"
                    && name != "calendars"
                {
                    stack.push(p);
                }
            } else if name.ends_with(".yaml") || name.ends_with(".yml") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<LocatedScenario>, Diagnostic> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("s.yaml");
        std::fs::write(&path, text).expect("write");
        load_file(&path)
    }

    const OK: &str = "scenarios:\n  - name: a\n    description: d\n    application: x.yaml\n    expect:\n      status: complete\n";

    #[test]
    fn a_valid_file_gives_scenarios_with_their_lines() {
        let s = parse(OK).expect("parses");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].line, 2);
    }

    #[test]
    fn a_misspelt_expect_key_is_an_error_with_its_line() {
        let err = parse(&OK.replace("status: complete", "staus: complete")).unwrap_err();
        assert_eq!(err.line, Some(6));
        assert!(err.message.contains("staus"), "{err}");
    }

    #[test]
    fn a_misspelt_key_inside_a_list_item_is_an_error() {
        let text = OK.replace("status: complete", "findings_include:\n        - {cod: x}");
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("cod"), "{err}");
        assert_eq!(err.line, Some(7));
    }

    #[test]
    fn an_unknown_status_is_an_error() {
        let err = parse(&OK.replace("status: complete", "status: done")).unwrap_err();
        assert!(err.message.contains("done"), "{err}");
    }

    #[test]
    fn null_and_absent_are_different_expectations() {
        let text = OK.replace("status: complete", "complete_on: null");
        let s = parse(&text).expect("parses");
        assert_eq!(s[0].scenario.expect.complete_on, Some(Value::Null));
        let s = parse(OK).expect("parses");
        assert_eq!(s[0].scenario.expect.complete_on, None);
    }

    #[test]
    fn duplicate_names_are_an_error_at_the_second_use() {
        let text = format!(
            "{OK}  - name: a\n    description: d\n    application: x.yaml\n    expect: {{}}\n"
        );
        let err = parse(&text).unwrap_err();
        assert_eq!(err.line, Some(7), "{err}");
    }

    #[test]
    fn each_scenario_has_the_line_of_its_own_name() {
        let text = "scenarios:\n  # name: a\n  - name: ab\n    description: d\n    application: x.yaml\n    expect: {}\n  - {name: a, description: d, application: x.yaml, expect: {}}\n";
        let s = parse(text).expect("parses");
        let lines: Vec<(&str, usize)> = s
            .iter()
            .map(|s| (s.scenario.name.as_str(), s.line))
            .collect();
        assert_eq!(lines, vec![("ab", 3), ("a", 7)]);
    }
}
