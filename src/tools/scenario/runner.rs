//! Running scenarios: read each scenario file, evaluate each scenario's application
//! with the rule set it names, and compare the result with what it expects
//! ([`compare`]), one [`Outcome`] per scenario.

use crate::error::LoadError;
use crate::input::{parse_yaml, read_records, InputRecord};
use crate::model::error_record::ErrorRecord;
use crate::model::report::{Outcome, Report, Verdict};
use crate::ruleset::files::RuleFiles;
use crate::ruleset::RuleSet;
use crate::script::CoverageHits;
use crate::tools::scenario::compare::compare;
use crate::tools::scenario::expect::Expect;
use crate::tools::scenario::file::{collect_files, load_file, ApplicationSource, LocatedScenario};
use serde::Serialize;
use serde_json::Value;
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
