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

use crate::error::{find_line, Diagnostic};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Deserialises a field that is present (even as `null`) into `Some`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// A scenario file: applications paired with the decisions expected of them.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// The scenarios, run in this order; each name is unique within the file.
    pub scenarios: Vec<Scenario>,
}

/// One application in and the partial decision expected out.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The scenario's name, unique within its file, e.g.
    /// `linked-niph-sources-get-60-working-days`; `hds test --filter` matches it.
    pub name: String,
    /// The rule the scenario pins down, in one line.
    pub description: String,
    /// A path to an application file (relative to the scenario file; `.yaml`, `.json`
    /// or `.jsonl`, whose first record is used), or the application inline as a map.
    /// Give this or `application_text`, not both.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub application: Option<serde_yaml::Value>,
    /// The application as raw text, for documents that are not valid YAML. Give this
    /// or `application`, not both.
    #[serde(default)]
    pub application_text: Option<String>,
    /// Another rule-set folder (a variant), relative to the scenario file; default:
    /// the rule set `hds test` runs with.
    #[serde(default)]
    pub rules: Option<String>,
    /// Skip the scenario, with the reason; it counts as skipped, neither passed nor
    /// failed.
    #[serde(default)]
    pub skip: Option<String>,
    /// The partial decision (or error record) expected: only the fields given are
    /// checked.
    pub expect: Expect,
}

/// A decision status a scenario may expect.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExpectedStatus {
    /// The application is processed elsewhere.
    Redirected,
    /// No source handled here may be used for the purpose.
    Ineligible,
    /// Something required is missing.
    Incomplete,
    /// Nothing is missing; every route has a due date.
    Complete,
}

/// A finding severity a scenario may expect.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExpectedSeverity {
    /// For information.
    Info,
    /// Worth a caseworker's attention.
    Warning,
    /// Makes the source it names ineligible.
    Error,
}

/// The partial decision a scenario expects.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The application id the decision (or error record) carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
    /// The rule set that decided; only the fields given are checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ruleset: Option<ExpectRuleset>,
    /// The decision's status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ExpectedStatus>,
    /// The received date, `YYYY-MM-DD`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub received_on: Option<Value>,
    /// The completion date, `YYYY-MM-DD`, or `null` for "must be null".
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub complete_on: Option<Value>,
    /// The whole `missing` list: the same number of items, each matching a different
    /// actual item, in any order; `[]` means nothing missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<ExpectMissing>>,
    /// Missing items that must each be present (others allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_include: Option<Vec<ExpectMissing>>,
    /// Missing items none of which may be present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_exclude: Option<Vec<ExpectMissing>>,
    /// The whole `findings` list: the same number of items, each matching a different
    /// actual item, in any order; `[]` means no findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<ExpectFinding>>,
    /// Findings that must each be present (others allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings_include: Option<Vec<ExpectFinding>>,
    /// Findings none of which may be present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings_exclude: Option<Vec<ExpectFinding>>,
    /// The whole `routes` list: the same number of items, each matching a different
    /// actual item, in any order; `[]` means no routes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routes: Option<Vec<ExpectRoute>>,
    /// Routes that must each be present (others allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routes_include: Option<Vec<ExpectRoute>>,
    /// Routes none of which may be present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routes_exclude: Option<Vec<ExpectRoute>>,
    /// The whole `redirects` list: the same number of items, each matching a
    /// different actual item, in any order; `[]` means no redirects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirects: Option<Vec<ExpectRedirect>>,
    /// Redirects that must each be present (others allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirects_include: Option<Vec<ExpectRedirect>>,
    /// Redirects none of which may be present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirects_exclude: Option<Vec<ExpectRedirect>>,
    /// The record is an error record (bad input or a failing rule), not a decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ExpectError>,
}

/// The expected `ruleset` of a decision; only the fields given are checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectRuleset {
    /// The rule set's name, e.g. `helsedataservice`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The rule set's version, e.g. `2026.1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The fingerprint, `sha256:` and 64 hex digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

/// An expected missing item; only the fields given are checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectMissing {
    /// What is missing, e.g. `description` or `sample_table`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The custodian id, or `null` for "must be null".
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub custodian: Option<Value>,
    /// The source id, or `null` for "must be null".
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<Value>,
    /// The whole message, exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Text the message must contain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_contains: Option<String>,
}

/// An expected finding; only the fields given are checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectFinding {
    /// The finding's code, e.g. `linking-prefer-identifiable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The finding's severity: `info`, `warning` or `error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<ExpectedSeverity>,
    /// The custodian id, or `null` for "must be null".
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub custodian: Option<Value>,
    /// The source id, or `null` for "must be null".
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<Value>,
    /// The whole message, exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Text the message must contain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_contains: Option<String>,
    /// The rule file that said it, e.g. `rules/helsedataservice/eligibility.rhai`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// An expected route; only the fields given are checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectRoute {
    /// The custodian id, e.g. `niph`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custodian: Option<String>,
    /// The route's source ids, all of them, sorted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<String>>,
    /// The number of working days, e.g. `60`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_days: Option<u32>,
    /// The calendar counted in, e.g. `niph`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    /// The clock start, `YYYY-MM-DD`, or `null` for "must be null".
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub clock_start: Option<Value>,
    /// The due date, `YYYY-MM-DD`, or `null` for "must be null".
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub due: Option<Value>,
    /// The whole reason, exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Text the reason must contain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_contains: Option<String>,
}

/// An expected redirect; only the fields given are checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectRedirect {
    /// The source id, or `null` for a redirect of the whole application.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<Value>,
    /// The reason code, e.g. `own-form` or `identifiable-data`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The form's address, or `null` for "must be null".
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub form_url: Option<Value>,
}

/// An expected error record (bad input or a failing rule); only the fields given are
/// checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectError {
    /// The error kind, e.g. `invalid-timestamp`, `unknown-field` or `rule-error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Text the error message must contain.
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
        match (&self.scenario.application, &self.scenario.application_text) {
            (Some(serde_yaml::Value::String(p)), None) => Ok(ApplicationSource::File(self.dir().join(p))),
            (Some(v @ serde_yaml::Value::Mapping(_)), None) => serde_yaml::to_string(v)
                .map_err(|e| format!("{label}: application: {e}"))
                .map(|text| ApplicationSource::Text { label, text }),
            (None, Some(text)) => Ok(ApplicationSource::Text {
                label,
                text: text.clone(),
            }),
            _ => Err(format!(
                "{label}: scenario '{}': expected exactly one of `application` (a file path or an inline map) or `application_text`",
                self.scenario.name
            )),
        }
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
    let de = serde_yaml::Deserializer::from_str(&text);
    let file: ScenarioFile = serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        let mut d = Diagnostic::from_yaml(&shown, &inner);
        if !field.is_empty() && field != "." && !d.message.starts_with(&field) {
            d.message = format!("{field}: {}", d.message);
        }
        d
    })?;
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for scenario in file.scenarios {
        let line = find_line(&text, &format!("name: {}", scenario.name))
            .map(|(l, _)| l)
            .unwrap_or(1);
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
    fn duplicate_names_are_an_error() {
        let text = format!(
            "{OK}  - name: a\n    description: d\n    application: x.yaml\n    expect: {{}}\n"
        );
        assert!(parse(&text).is_err());
    }
}
