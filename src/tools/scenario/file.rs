//! Scenario files: an application in, a partial decision expected out; or a case
//! file in, a partial status expected as of one date or of several (`checks`).
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
//! ```yaml
//!   - name: contract-case-before-the-postponement
//!     description: Two late days of an answer move the due date by two working days
//!     case: ../../cases/contract/case.example.yaml   # or the case file inline as a map
//!     checks:
//!       - as_of: 2026-05-04
//!         expect:
//!           routes:
//!             - {custodian: niph, due_now: 2026-06-10, paused_days: 2}
//! ```
//!
//! What may be given under `expect` is in [`super::expect`]. Files are parsed
//! strictly: a misspelt key, a date that is not one, or a field of a case status in
//! a decision's expectation (or the other way round) is an error with its line.

use crate::error::Diagnostic;
use crate::tools::scenario::expect::{not_null, Day, Expect, Expected};
use crate::yaml;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A scenario file: applications paired with the decisions expected of them.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// The scenarios, run in this order; each name is unique within the file.
    #[schemars(length(min = 1))]
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
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "serde_json::Value")]
    pub application: Option<yaml::Value>,
    /// The application as raw text, for documents that are not valid YAML. Give this
    /// or `application`, not both.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub application_text: Option<String>,
    /// Instead of an application: a path to a case file (relative to the scenario
    /// file), or the case file inline as a map. Its status is checked as of `as_of`,
    /// or as of each date of `checks`.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "serde_json::Value")]
    pub case: Option<yaml::Value>,
    /// With `case` and `expect`: the date the status is as of, `YYYY-MM-DD`.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub as_of: Option<Day>,
    /// With `case`, instead of `as_of` and `expect`: one status checked per date,
    /// each its own outcome, named `<scenario> @ <date>`.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<Check>")]
    pub checks: Option<Vec<Check>>,
    /// Another rule-set folder (a variant), relative to the scenario file; default:
    /// the rule set `hds test` runs with.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub rules: Option<String>,
    /// Skip the scenario, with the reason; it counts as skipped, neither passed nor
    /// failed.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub skip: Option<String>,
    /// The partial decision, case status or error record expected: only the fields
    /// given are checked. Required, except for a case scenario with `checks`.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Expect")]
    pub expect: Option<Expect>,
}

impl Expected for yaml::Value {
    const WHAT: &'static str = "a path to a file, or the document inline as a map";
}

/// One date of a case scenario and the partial status expected on it.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// The date the status is as of, `YYYY-MM-DD`.
    #[schemars(with = "String")]
    pub as_of: Day,
    /// The partial status (or error record) expected.
    pub expect: Expect,
}

/// What one outcome of a scenario checks: a decision, or a case status as of a date.
#[derive(Debug, Clone)]
pub struct Run<'a> {
    /// The outcome's name: the scenario's, with ` @ <date>` for each of `checks`.
    pub name: String,
    /// The line where it is written.
    pub line: usize,
    /// The as-of date of a case scenario; `None` for a decision.
    pub as_of: Option<Day>,
    /// Which of `checks` it is, from 0; `None` for the scenario's own `expect`.
    pub check: Option<usize>,
    /// What is expected.
    pub expect: &'a Expect,
}

impl Run<'_> {
    /// The field path of its `expect` in the scenario file, e.g.
    /// `scenarios[2].checks[1].expect`, given the scenario's place in the file.
    pub fn expect_path(&self, scenario: usize) -> String {
        match self.check {
            Some(j) => format!("scenarios[{scenario}].checks[{j}].expect"),
            None => format!("scenarios[{scenario}].expect"),
        }
    }
}

/// One scenario with where it was written.
#[derive(Debug, Clone)]
pub struct LocatedScenario {
    /// The scenario file, as found under the paths given.
    pub file: PathBuf,
    /// The line of the scenario's `name` in the file.
    pub line: usize,
    /// Its place in the file's `scenarios` list, from 0.
    pub index: usize,
    /// The line of each of `checks`, in order.
    pub check_lines: Vec<usize>,
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

/// How a case scenario names its case file.
#[derive(Debug, Clone)]
pub enum CaseSource {
    /// A case file, resolved against the scenario's folder.
    File(PathBuf),
    /// The case file written inline, as YAML text; its application paths are
    /// relative to the scenario's folder.
    Text {
        /// Where it was written, `file:line`, to name it in errors.
        label: String,
        /// The case document.
        text: String,
    },
}

impl LocatedScenario {
    /// Whether the scenario follows a case rather than deciding an application.
    pub fn is_case(&self) -> bool {
        self.scenario.case.is_some()
    }

    /// The outcomes the scenario has: one, or one per `checks` date.
    pub fn runs(&self) -> Vec<Run<'_>> {
        let s = &self.scenario;
        match (&s.checks, &s.expect) {
            (Some(checks), _) => checks
                .iter()
                .zip(&self.check_lines)
                .enumerate()
                .map(|(j, (c, line))| Run {
                    name: format!("{} @ {}", s.name, c.as_of),
                    line: *line,
                    as_of: Some(c.as_of),
                    check: Some(j),
                    expect: &c.expect,
                })
                .collect(),
            (None, Some(expect)) => vec![Run {
                name: s.name.clone(),
                line: self.line,
                as_of: s.as_of,
                check: None,
                expect,
            }],
            (None, None) => vec![],
        }
    }

    /// Where the case scenario's case file comes from.
    pub fn case_source(&self) -> Result<CaseSource, String> {
        let label = format!("{}:{}", self.file.display(), self.line);
        let Some(v) = &self.scenario.case else {
            return Err(format!(
                "{label}: scenario '{}' gives no `case`",
                self.scenario.name
            ));
        };
        match v.as_str() {
            Some(p) => Ok(CaseSource::File(self.dir().join(p))),
            None if v.is_mapping() => v
                .to_yaml()
                .map_err(|e| format!("{label}: case: {e}"))
                .map(|text| CaseSource::Text { label, text }),
            None => Err(format!(
                "{label}: scenario '{}': `case` is a path to a case file or a case file inline as a map",
                self.scenario.name
            )),
        }
    }

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
    load_text(path, &text)
}

/// Parses the text of the scenario file at `path` strictly, as [`load_file`] does.
pub fn load_text(path: &Path, text: &str) -> Result<Vec<LocatedScenario>, Diagnostic> {
    let shown = path.display().to_string();
    let file: ScenarioFile = yaml::from_str(text).map_err(|e| {
        let field = e.path();
        let mut d = e.diagnostic(&shown);
        if !field.is_empty() && field != "." && !d.message.starts_with(field) {
            d.message = format!("{field}: {}", d.message);
        }
        // A value refused after it was read (`status: null`) is placed by the reader
        // at the start of the map holding it; the field's own line is later.
        let reader = d.line.zip(d.column);
        if let Some(key) = yaml::Index::of(text).key(field) {
            if reader.is_none_or(|at| (key.line, key.column) > at) {
                d = d.at(Some(key.line), Some(key.column));
            }
        }
        d
    })?;
    let index = yaml::Index::of(text);
    if file.scenarios.is_empty() {
        return Err(no_scenarios(&shown, &index));
    }
    let mut out = Vec::new();
    let mut seen = Names::default();
    for (i, scenario) in file.scenarios.into_iter().enumerate() {
        let line = index
            .key(&format!("scenarios[{i}].name"))
            .or_else(|| index.value(&format!("scenarios[{i}]")))
            .map_or(1, |p| p.line);
        if let Some(message) = seen.again(&shown, &scenario.name, line) {
            return Err(Diagnostic::error(
                &shown,
                format!("scenario '{}': name: {message}", scenario.name),
            )
            .at(Some(line), None));
        }
        let base = format!("scenarios[{i}]");
        let check_lines = check_lines(&scenario, &index, &base, line);
        if let Some((field, message)) = shape_problem(&scenario) {
            let at = index
                .key(&format!("{base}.{field}"))
                .or_else(|| index.nearest(&format!("{base}.{field}")))
                .map_or(line, |p| p.line);
            return Err(Diagnostic::error(
                &shown,
                format!("scenario '{}': {field}: {message}", scenario.name),
            )
            .at(Some(at), None));
        }
        out.push(LocatedScenario {
            file: path.to_path_buf(),
            line,
            index: i,
            check_lines,
            scenario,
        });
    }
    Ok(out)
}

/// The names of a file's scenarios read so far, each with the line of its first use.
#[derive(Default)]
struct Names(std::collections::BTreeMap<String, usize>);

impl Names {
    /// Notes `name` at `line`; when the file used it before, why that is wrong,
    /// naming the first place (the problem is placed at the second).
    fn again(&mut self, shown: &str, name: &str, line: usize) -> Option<String> {
        match self.0.get(name) {
            Some(first) => Some(format!(
                "used twice in this file, first at {shown}:{first}; expected a name unique in the file"
            )),
            None => {
                self.0.insert(name.to_string(), line);
                None
            }
        }
    }
}

/// The problem of a scenario file whose `scenarios` list is empty: it runs nothing.
fn no_scenarios(shown: &str, index: &yaml::Index) -> Diagnostic {
    let line = index.key("scenarios").map_or(1, |p| p.line);
    Diagnostic::error(
        shown,
        "scenarios: the file holds no scenario; expected at least one (a file that tests nothing is a mistake, not a pass)",
    )
    .at(Some(line), None)
}

/// What is wrong with the scenario's keys taken together, if anything: the field
/// (a path below the scenario, e.g. `checks[1].expect.status`) and why.
fn shape_problem(s: &Scenario) -> Option<(String, String)> {
    let case = s.case.is_some();
    if case {
        for (field, given) in [
            ("application", s.application.is_some()),
            ("application_text", s.application_text.is_some()),
        ] {
            if given {
                return Some((
                    field.to_string(),
                    "give `case` or an application, not both".to_string(),
                ));
            }
        }
        match (&s.checks, &s.as_of, &s.expect) {
            (Some(_), Some(_), _) => {
                return Some((
                    "as_of".to_string(),
                    "give `as_of` and `expect`, or `checks`, not both".to_string(),
                ))
            }
            (Some(_), None, Some(_)) => {
                return Some((
                    "expect".to_string(),
                    "give `as_of` and `expect`, or `checks`, not both".to_string(),
                ))
            }
            (Some(checks), None, None) if checks.is_empty() => {
                return Some((
                    "checks".to_string(),
                    "expected at least one `{as_of, expect}`".to_string(),
                ))
            }
            (None, None, _) => {
                return Some((
                    "case".to_string(),
                    "a case scenario needs `as_of` and `expect`, or `checks`".to_string(),
                ))
            }
            (None, Some(_), None) => {
                return Some((
                    "as_of".to_string(),
                    "a case scenario with `as_of` needs `expect`".to_string(),
                ))
            }
            _ => {}
        }
    } else {
        for (field, given) in [("as_of", s.as_of.is_some()), ("checks", s.checks.is_some())] {
            if given {
                return Some((
                    field.to_string(),
                    "only a case scenario (one that gives `case`) has it".to_string(),
                ));
            }
        }
        if s.expect.is_none() {
            return Some(("name".to_string(), "missing field `expect`".to_string()));
        }
    }
    let mut expects: Vec<(String, &Expect)> = Vec::new();
    if let Some(e) = &s.expect {
        expects.push(("expect".to_string(), e));
    }
    for (j, c) in s.checks.iter().flatten().enumerate() {
        expects.push((format!("checks[{j}].expect"), &c.expect));
    }
    for (at, e) in &expects {
        if let Some((field, expected)) = e.checks_nothing(case) {
            return Some((
                join(at, &field),
                format!("checks nothing; expected {expected}"),
            ));
        }
    }
    expects.into_iter().find_map(|(at, e)| {
        e.misplaced(case).map(|(field, belongs)| {
            let what = if case { "a case status" } else { "a decision" };
            let hint = if case && belongs == "a decision" {
                " (the case's decision is checked under `decision`)"
            } else {
                ""
            };
            (
                format!("{at}.{field}"),
                format!("{what} has no such field; it belongs to {belongs}{hint}"),
            )
        })
    })
}

/// `field` below `at`, as a field path.
fn join(at: &str, field: &str) -> String {
    if field.is_empty() {
        at.to_string()
    } else {
        format!("{at}.{field}")
    }
}

/// The scenario files under `path` (a file, or every `.yaml`/`.yml` below a folder),
/// in path order.
pub fn collect_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if path.exists() && !path.is_dir() {
        return Err(format!(
            "{}: not a regular file or folder (a device, pipe or socket); expected a scenario file (.yaml) or a folder of them",
            path.display()
        ));
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
            } else if (name.ends_with(".yaml") || name.ends_with(".yml")) && p.is_file() {
                // Only regular files: a device or pipe named .yaml is never read.
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A scenario file that does not read as a whole, read one scenario at a time: each
/// scenario, or its name and the problem that keeps it from running, at its position. `None` when
/// the file is not even a list of scenarios, or an empty one.
pub fn load_each(path: &Path) -> Option<Vec<Result<LocatedScenario, (String, Diagnostic)>>> {
    #[derive(Deserialize)]
    struct Loose {
        scenarios: Vec<yaml::Value>,
    }
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).ok()?;
    let loose: Loose = yaml::from_str(&text).ok()?;
    if loose.scenarios.is_empty() {
        return None;
    }
    let index = yaml::Index::of(&text);
    let mut seen = Names::default();
    let each = loose.scenarios.into_iter().enumerate().map(|(i, value)| {
        let base = format!("scenarios[{i}]");
        let line = index
            .key(&format!("{base}.name"))
            .or_else(|| index.value(&base))
            .map_or(1, |p| p.line);
        let name = value
            .str_at("name")
            .map_or_else(|| format!("scenario {}", i + 1), str::to_string);
        let problem = |field: &str, message: &str| {
            let at = index
                .key(&format!("{base}.{field}"))
                .or_else(|| index.nearest(&format!("{base}.{field}")))
                .map_or(line, |p| p.line);
            Box::new((
                name.clone(),
                Diagnostic::error(&shown, format!("scenario '{name}': {field}: {message}"))
                    .at(Some(at), None),
            ))
        };
        // A name used before is refused whatever else is wrong, as when the file
        // reads as a whole.
        if let Some(given) = value.str_at("name") {
            if let Some(message) = seen.again(&shown, given, line) {
                return Err(problem("name", &message));
            }
        }
        let one = value.to_yaml().map_err(|e| problem(".", &e))?;
        let scenario: Scenario =
            yaml::from_str(&one).map_err(|e| problem(e.path(), e.message()))?;
        if let Some((field, message)) = shape_problem(&scenario) {
            return Err(problem(&field, &message));
        }
        let check_lines = check_lines(&scenario, &index, &base, line);
        Ok(LocatedScenario {
            file: path.to_path_buf(),
            line,
            index: i,
            check_lines,
            scenario,
        })
    });
    let mut all = Vec::new();
    for one in each {
        all.push(match one {
            Ok(scenario) => Ok(scenario),
            Err(problem) => Err(*problem),
        });
    }
    Some(all)
}

/// The line of each of a scenario's `checks`, or the scenario's own line when the
/// index does not place one.
fn check_lines(scenario: &Scenario, index: &yaml::Index, base: &str, line: usize) -> Vec<usize> {
    scenario
        .checks
        .iter()
        .flatten()
        .enumerate()
        .map(|(j, _)| {
            index
                .value(&format!("{base}.checks[{j}]"))
                .map_or(line, |p| p.line)
        })
        .collect()
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
    fn brackets_nested_too_deep_are_refused_at_their_place_before_reading() {
        use crate::yaml::MAX_NESTING;
        // The YAML reader's guard refuses the file before its scanner, whose time
        // grows with the square of the depth, is asked to follow the brackets.
        let deep = crate::yaml::nested_brackets(MAX_NESTING + 1);
        let text = OK.replace(
            "    application: x.yaml\n",
            &format!("    application: {{id: A, extra: {{l: {deep}}}}}\n"),
        );
        let err = parse(&text).unwrap_err();
        assert_eq!(
            (err.line, err.column),
            (Some(4), Some(35 + MAX_NESTING)),
            "{err}"
        );
        assert!(
            err.message
                .contains(&format!("nested more than {MAX_NESTING} deep")),
            "{err}"
        );
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
        let given = s[0].scenario.expect.as_ref().map(|e| e.complete_on);
        assert_eq!(given, Some(Some(None)));
        let s = parse(OK).expect("parses");
        let given = s[0].scenario.expect.as_ref().map(|e| e.complete_on);
        assert_eq!(given, Some(None));
    }

    const CASE: &str = "scenarios:\n  - name: c\n    description: d\n    case: c.yaml\n    checks:\n      - as_of: 2026-05-04\n        expect:\n          state: open\n      - as_of: 2026-09-15\n        expect:\n          routes:\n            - {custodian: niph, closed_on: 2026-08-28}\n";

    #[test]
    fn a_case_scenario_has_one_run_per_check_named_by_its_date() {
        let s = parse(CASE).expect("parses");
        let runs: Vec<(String, usize)> =
            s[0].runs().into_iter().map(|r| (r.name, r.line)).collect();
        assert_eq!(
            runs,
            vec![
                ("c @ 2026-05-04".to_string(), 6),
                ("c @ 2026-09-15".to_string(), 9)
            ]
        );
    }

    #[test]
    fn a_bad_date_in_an_expectation_is_an_error_at_its_line() {
        let err = parse(&CASE.replace("2026-08-28", "2026-08-32")).unwrap_err();
        assert_eq!(err.line, Some(12), "{err}");
        assert!(err.message.contains("2026-08-32"), "{err}");
        let err = parse(&CASE.replace("as_of: 2026-09-15", "as_of: 15.09.2026")).unwrap_err();
        assert_eq!(err.line, Some(9), "{err}");
    }

    #[test]
    fn a_field_of_the_other_kind_of_record_is_an_error_at_its_line() {
        let err = parse(&CASE.replace("state: open", "status: complete")).unwrap_err();
        assert_eq!(err.line, Some(8), "{err}");
        assert!(err.message.contains("checks[0].expect.status"), "{err}");
        let err = parse(&OK.replace("status: complete", "state: open")).unwrap_err();
        assert_eq!(err.line, Some(6), "{err}");
        let text = CASE.replace("closed_on: 2026-08-28", "clock_start: 2026-08-28");
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("routes[0].clock_start"), "{err}");
    }

    #[test]
    fn a_case_scenario_needs_a_date() {
        let text = "scenarios:\n  - name: c\n    description: d\n    case: c.yaml\n    expect: {state: open}\n";
        let err = parse(text).unwrap_err();
        assert!(err.message.contains("as_of"), "{err}");
        let text = OK.replace(
            "application: x.yaml",
            "application: x.yaml\n    case: c.yaml\n    as_of: 2026-05-04",
        );
        assert!(parse(&text).is_err());
    }

    #[test]
    fn an_expect_that_checks_nothing_is_refused_at_its_line() {
        let err = parse(&OK.replace("expect:\n      status: complete", "expect: {}")).unwrap_err();
        assert_eq!(err.line, Some(5), "{err}");
        assert!(
            err.message
                .contains("scenario 'a': expect: checks nothing; expected at least one field"),
            "{err}"
        );
        let err = parse(&CASE.replace("expect:\n          state: open", "expect: {}")).unwrap_err();
        assert_eq!(err.line, Some(7), "{err}");
        assert!(
            err.message.contains("checks[0].expect: checks nothing"),
            "{err}"
        );
        let err = parse(&CASE.replace("state: open", "decision: {}")).unwrap_err();
        assert_eq!(err.line, Some(8), "{err}");
        assert!(
            err.message
                .contains("checks[0].expect.decision: checks nothing"),
            "{err}"
        );
        let err = parse(&OK.replace("status: complete", "ruleset: {}")).unwrap_err();
        assert!(
            err.message.contains("expect.ruleset: checks nothing"),
            "{err}"
        );
        // An empty `_include` or `_exclude` list checks nothing either, beside
        // anything else: `findings_include: []` is not "no findings".
        let text = OK.replace(
            "status: complete",
            "status: complete\n      findings_include: []",
        );
        let err = parse(&text).unwrap_err();
        assert_eq!(err.line, Some(7), "{err}");
        assert!(
            err.message.contains(
                "expect.findings_include: checks nothing; expected at least one item (`findings: []` expects none)"
            ),
            "{err}"
        );
        let err =
            parse(&CASE.replace("state: open", "decision: {routes_exclude: []}")).unwrap_err();
        assert!(
            err.message
                .contains("checks[0].expect.decision.routes_exclude: checks nothing"),
            "{err}"
        );
        // `error: {}` checks that an error record came out, of any kind.
        assert!(parse(&OK.replace("status: complete", "error: {}")).is_ok());
    }

    #[test]
    fn null_where_the_record_never_holds_null_is_an_error_at_its_line() {
        for (field, what) in [
            (
                "status",
                "expected a status: redirected, ineligible, incomplete or complete",
            ),
            ("received_on", "expected a date YYYY-MM-DD"),
            ("routes", "expected a list"),
            ("findings_include", "expected a list"),
            ("error", "expected the error's fields"),
            ("ruleset", "expected the rule set's fields"),
        ] {
            let err =
                parse(&OK.replace("status: complete", &format!("{field}: null"))).unwrap_err();
            assert_eq!(err.line, Some(6), "{field}: {err}");
            assert!(err.message.contains(&format!("expect.{field}")), "{err}");
            assert!(err.message.contains(what), "{field}: {err}");
            assert!(err.message.contains("null"), "{field}: {err}");
        }
        let err =
            parse(&OK.replace("status: complete", "routes: [{custodian: null}]")).unwrap_err();
        assert_eq!(err.line, Some(6), "{err}");
        assert!(err.message.contains("expected text"), "{err}");
        let err = parse(&CASE.replace("state: open", "state: null")).unwrap_err();
        assert_eq!(err.line, Some(8), "{err}");
        let err = parse(&OK.replace("application: x.yaml", "application: null")).unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
        assert!(err.message.contains("application"), "{err}");
        let err = parse(&OK.replace("application: x.yaml", "application: x.yaml\n    skip: null"))
            .unwrap_err();
        assert_eq!(err.line, Some(5), "{err}");
    }

    #[test]
    fn application_null_expects_an_error_record_without_an_application() {
        let s = parse(&OK.replace("status: complete", "application: null")).expect("parses");
        let given = s[0].scenario.expect.as_ref().map(|e| e.application.clone());
        assert_eq!(given, Some(Some(None)));
    }

    #[test]
    fn a_file_without_scenarios_is_refused() {
        let err = parse("scenarios: []\n").unwrap_err();
        assert_eq!(err.line, Some(1), "{err}");
        assert!(
            err.message
                .contains("scenarios: the file holds no scenario; expected at least one"),
            "{err}"
        );
    }

    #[test]
    fn duplicate_names_are_an_error_at_the_second_use() {
        let text = format!(
            "{OK}  - name: a\n    description: d\n    application: x.yaml\n    expect: {{status: complete}}\n"
        );
        let err = parse(&text).unwrap_err();
        assert_eq!(err.line, Some(7), "{err}");
        assert!(
            err.message
                .contains("scenario 'a': name: used twice in this file, first at ")
                && err
                    .message
                    .contains("s.yaml:2; expected a name unique in the file"),
            "{err}"
        );
    }

    #[test]
    fn duplicate_names_are_an_error_when_the_file_is_read_one_scenario_at_a_time() {
        // A malformed scenario sends the file to the reader of one scenario at a
        // time; the duplicate is still refused, at its second use, naming the first.
        let text = format!(
            "{OK}  - name: broken\n    description: d\n    application: x.yaml\n    expect: {{staus: complete}}\n  - name: a\n    description: d\n    application: x.yaml\n    expect: {{status: complete}}\n"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("s.yaml");
        std::fs::write(&path, text).expect("write");
        let each = load_each(&path).expect("a list of scenarios");
        type Shown = Result<(String, usize), (String, Option<usize>, String)>;
        let shown: Vec<Shown> = each
            .into_iter()
            .map(|one| match one {
                Ok(s) => Ok((s.scenario.name, s.line)),
                Err((name, d)) => Err((name, d.line, d.message)),
            })
            .collect();
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert_eq!(shown[0], Ok(("a".to_string(), 2)));
        assert!(
            matches!(&shown[1], Err((name, Some(10), _)) if name == "broken"),
            "{shown:?}"
        );
        let Err((name, line, message)) = &shown[2] else {
            panic!("the second 'a' is refused: {shown:?}");
        };
        assert_eq!((name.as_str(), *line), ("a", Some(11)));
        assert!(
            message.contains(&format!(
                "scenario 'a': name: used twice in this file, first at {}:2; expected a name unique in the file",
                path.display()
            )),
            "{message}"
        );
    }

    #[test]
    fn each_scenario_has_the_line_of_its_own_name() {
        let text = "scenarios:\n  # name: a\n  - name: ab\n    description: d\n    application: x.yaml\n    expect: {status: complete}\n  - {name: a, description: d, application: x.yaml, expect: {status: complete}}\n";
        let s = parse(text).expect("parses");
        let lines: Vec<(&str, usize)> = s
            .iter()
            .map(|s| (s.scenario.name.as_str(), s.line))
            .collect();
        assert_eq!(lines, vec![("ab", 3), ("a", 7)]);
    }
}
