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
//! What may be given under `expect` is in [`super::expect`]. Files are parsed
//! strictly: a misspelt key is an error with its line.

use crate::error::Diagnostic;
use crate::tools::scenario::expect::Expect;
use crate::yaml;
use serde::Deserialize;
use std::path::{Path, PathBuf};

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
    pub application: Option<yaml::Value>,
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

/// One scenario with where it was written.
#[derive(Debug, Clone)]
pub struct LocatedScenario {
    /// The scenario file, as found under the paths given.
    pub file: PathBuf,
    /// The line of the scenario's `name` in the file.
    pub line: usize,
    /// The scenario as written.
    pub scenario: Scenario,
}

/// How a scenario names its application.
#[derive(Debug, Clone)]
pub enum ApplicationSource {
    /// An application file, relative paths resolved against the scenario's folder;
    /// its first record is used.
    File(PathBuf),
    /// The application's text, inline in the scenario file.
    Text {
        /// Where the text was written, `file:line`, to name it in errors.
        label: String,
        /// The application document.
        text: String,
    },
}

impl LocatedScenario {
    /// The folder of the scenario file, against which its relative paths are read.
    pub fn dir(&self) -> &Path {
        self.file.parent().unwrap_or(Path::new("."))
    }

    /// Where the scenario's application comes from: a file, or text written inline
    /// (an inline map is written back out as YAML). An error when the scenario gives
    /// neither or both of `application` and `application_text`.
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
        let mut d = e.diagnostic(&shown);
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
        assert_eq!(
            s[0].scenario.expect.complete_on,
            Some(serde_json::Value::Null)
        );
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
