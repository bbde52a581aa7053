//! Running scenarios: read each scenario file, evaluate each scenario's application
//! (or follow its case to each as-of date) with the rule set it names, and compare
//! the result with what it expects ([`compare`]): one [`Outcome`] per scenario, or
//! per date of a case scenario's `checks`.

use crate::case::file::{parse_case, read_case_file, Format};
use crate::case::LoadedCase;
use crate::error::{Diagnostic, LoadError};
use crate::input::{parse_yaml, read_records, InputRecord};
use crate::model::error_record::ErrorRecord;
use crate::model::report::{Outcome, Report, Verdict};
use crate::ruleset::files::RuleFiles;
use crate::ruleset::RuleSet;
use crate::script::CoverageHits;
use crate::tools::scenario::bless::Failure;
use crate::tools::scenario::compare::compare;
use crate::tools::scenario::expect::Expect;
use crate::tools::scenario::file::{
    collect_files, load_each, load_file, ApplicationSource, CaseSource, LocatedScenario, Run,
};
use crate::tools::scenario::source::{case_source_of, source_of};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// What decides each scenario: the default rule set, and rule-set variants loaded
/// once per folder, the first time a scenario needs one.
pub struct Runner<'a> {
    default_rules: &'a RuleSet,
    variants: Mutex<HashMap<PathBuf, Variant>>,
    /// Run only scenarios whose name or file path contains this text.
    pub filter: Option<String>,
    /// Under `--coverage`: each variant rule set records the lines it executes
    /// in hits of its own ([`Runner::variant_runs`]), never in the run's.
    pub coverage: bool,
    /// The rule-set folder the run uses (`--rules`), for the command that reruns a
    /// failed scenario; `None` for the built-in rules.
    pub rules: Option<PathBuf>,
    /// When set, every failed outcome with what came out, for `hds test --bless`.
    pub failures: Option<Vec<Failure>>,
    /// How many threads run scenarios; the report is the same for any number.
    pub workers: usize,
}

/// A rule-set variant, loaded by the first thread that needs it (or why it cannot
/// be).
type Variant = Arc<OnceLock<Result<Loaded, String>>>;

/// A variant rule set that loaded, with the lines its scripts executed under
/// `--coverage`.
struct Loaded {
    rules: RuleSet,
    hits: Option<CoverageHits>,
}

/// A rule-set variant the run used, with the lines of its scripts it executed.
pub struct VariantRun {
    /// The variant's folder, as the scenario names it.
    pub dir: PathBuf,
    variant: Variant,
}

impl VariantRun {
    /// The variant's rule set, when it loaded.
    pub fn rules(&self) -> Option<&RuleSet> {
        match self.variant.get() {
            Some(Ok(loaded)) => Some(&loaded.rules),
            _ => None,
        }
    }

    /// The lines of the variant's scripts it executed, by logical name; empty
    /// without `--coverage`.
    pub fn hits(&self) -> BTreeMap<String, BTreeSet<usize>> {
        match self.variant.get() {
            Some(Ok(Loaded {
                hits: Some(hits), ..
            })) => hits.lock().map(|h| h.clone()).unwrap_or_default(),
            _ => BTreeMap::new(),
        }
    }
}

/// The rule set a scenario is decided with: the run's own, or a variant.
enum Rules<'a> {
    Default(&'a RuleSet),
    Variant(Variant),
}

impl std::ops::Deref for Rules<'_> {
    type Target = RuleSet;

    fn deref(&self) -> &RuleSet {
        match self {
            Rules::Default(rules) => rules,
            // Made only from a variant that loaded.
            Rules::Variant(v) => match v.get() {
                Some(Ok(loaded)) => &loaded.rules,
                _ => unreachable!("a variant that did not load is never handed out"),
            },
        }
    }
}

/// The name an outcome has when its scenario file could not be read at all.
const FILE_PROBLEM: &str = "(scenario file)";

/// One thing the run reports on, in the order of the files and their scenarios.
enum Item {
    /// A scenario to run.
    Scenario(Box<LocatedScenario>),
    /// A scenario (or a whole file) that does not read: its name and why.
    Broken {
        file: PathBuf,
        name: String,
        problem: Diagnostic,
    },
    /// A path given that cannot be searched for scenario files.
    BadPath(String),
}

/// What one item gave: for a scenario, each outcome with what came out, in the
/// order of [`LocatedScenario::runs`].
type Done = (Item, Vec<(Outcome, Result<Value, String>)>);

/// The scenarios under `paths` one at a time, in file and scenario order, each file
/// read when the one before it is used up; those the filter leaves out are passed
/// over.
struct Items<'p> {
    paths: std::slice::Iter<'p, PathBuf>,
    files: std::vec::IntoIter<PathBuf>,
    scenarios: std::vec::IntoIter<Result<LocatedScenario, (String, Diagnostic)>>,
    file: PathBuf,
    filter: Option<String>,
    failed: bool,
}

impl Iterator for Items<'_> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.failed {
            if let Some(s) = self.scenarios.next() {
                match s {
                    Ok(s) if selected(self.filter.as_deref(), &s) => {
                        return Some(Item::Scenario(Box::new(s)))
                    }
                    Ok(_) => {}
                    Err((name, problem)) => {
                        let shown = self.file.display().to_string();
                        if self
                            .filter
                            .as_deref()
                            .is_none_or(|f| shown.contains(f) || name.contains(f))
                        {
                            return Some(Item::Broken {
                                file: self.file.clone(),
                                name,
                                problem,
                            });
                        }
                    }
                }
                continue;
            }
            if let Some(file) = self.files.next() {
                let scenarios = match load_file(&file) {
                    Ok(scenarios) => scenarios.into_iter().map(Ok).collect(),
                    Err(d) => {
                        load_each(&file).unwrap_or_else(|| vec![Err((FILE_PROBLEM.to_string(), d))])
                    }
                };
                self.scenarios = scenarios.into_iter();
                self.file = file;
                continue;
            }
            let path = self.paths.next()?;
            match collect_files(path) {
                Ok(files) => self.files = files.into_iter(),
                Err(e) => {
                    self.failed = true;
                    return Some(Item::BadPath(e));
                }
            }
        }
        None
    }
}

/// Whether the filter (if any) picks the scenario, by its name or file path.
fn selected(filter: Option<&str>, s: &LocatedScenario) -> bool {
    match filter {
        None => true,
        Some(f) => s.scenario.name.contains(f) || s.file.display().to_string().contains(f),
    }
}

impl<'a> Runner<'a> {
    /// A runner deciding with `default_rules` unless a scenario names a variant,
    /// on every core.
    pub fn new(default_rules: &'a RuleSet) -> Self {
        Runner {
            default_rules,
            variants: Mutex::new(HashMap::new()),
            filter: None,
            coverage: false,
            rules: None,
            failures: None,
            workers: crate::batch::ordered::workers(),
        }
    }

    /// Runs every scenario under `paths`, on [`Runner::workers`] threads; the
    /// report lists the outcomes in file and scenario order.
    pub fn run(&mut self, paths: &[PathBuf]) -> Result<Report, String> {
        let items = Items {
            paths: paths.iter(),
            files: Vec::new().into_iter(),
            scenarios: Vec::new().into_iter(),
            file: PathBuf::new(),
            filter: self.filter.clone(),
            failed: false,
        };
        let mut report = Report::default();
        let mut failures = self.failures.take();
        let mut bad_path = None;
        let this = &*self;
        crate::batch::ordered::map_in_order(
            items,
            self.workers,
            256,
            |item| {
                let outcomes = match &item {
                    Item::Scenario(s) => this.run_each(s),
                    _ => Vec::new(),
                };
                (item, outcomes)
            },
            |(item, outcomes): Done| {
                match item {
                    Item::Scenario(s) => {
                        this.report_scenario(&s, outcomes, &mut report, &mut failures)
                    }
                    Item::Broken {
                        file,
                        name,
                        problem,
                    } => this.report_broken(file, name, problem, &mut report, &mut failures),
                    Item::BadPath(e) => {
                        bad_path = Some(e);
                        return ControlFlow::Break(());
                    }
                }
                ControlFlow::Continue(())
            },
        );
        self.failures = failures;
        match bad_path {
            Some(e) => Err(e),
            None => Ok(report),
        }
    }

    /// Puts the outcomes of a scenario that ran in the report, each failure with
    /// the command that reruns it (and kept for blessing).
    fn report_scenario(
        &self,
        s: &LocatedScenario,
        outcomes: Vec<(Outcome, Result<Value, String>)>,
        report: &mut Report,
        failures: &mut Option<Vec<Failure>>,
    ) {
        let runs = s.runs();
        for run in &runs {
            note_expected(run.expect, report);
        }
        for (run, (mut outcome, actual)) in runs.iter().zip(outcomes) {
            if outcome.verdict == Verdict::Failed {
                outcome.rerun = Some(self.rerun(&s.file, Some(&s.scenario.name)));
                if let Some(failures) = failures {
                    failures.push(Failure {
                        file: s.file.clone(),
                        line: outcome.line,
                        name: outcome.name.clone(),
                        expect_path: Some(run.expect_path(s.index)),
                        expect: Some(run.expect.clone()),
                        actual,
                    });
                }
            }
            report.push(outcome);
        }
    }

    /// Puts a scenario (or file) that does not read in the report as a failure.
    fn report_broken(
        &self,
        file: PathBuf,
        name: String,
        d: Diagnostic,
        report: &mut Report,
        failures: &mut Option<Vec<Failure>>,
    ) {
        // A file that cannot be read at all has no scenario to pick out: rerun the
        // whole file.
        let only = (name != FILE_PROBLEM).then_some(name.as_str());
        let rerun = Some(self.rerun(&file, only));
        if let Some(failures) = failures {
            failures.push(Failure {
                file: file.clone(),
                line: d.line.unwrap_or(1),
                name: name.clone(),
                expect_path: None,
                expect: None,
                actual: Err(d.to_string()),
            });
        }
        report.push(Outcome {
            file: file.display().to_string(),
            line: d.line.unwrap_or(1),
            name,
            description: String::new(),
            verdict: Verdict::Failed,
            note: Some(d.to_string()),
            differences: vec![],
            rerun,
            time: std::time::Duration::ZERO,
        });
    }

    /// The command that runs the scenario `name` of `file` again alone (the whole
    /// file when `None`), with the rule-set folder of this run.
    fn rerun(&self, file: &Path, name: Option<&str>) -> String {
        let mut command = format!("hds test {}", shell_quote(&file.display().to_string()));
        if let Some(name) = name {
            command.push_str(&format!(" --filter {}", single_quoted(name)));
        }
        if let Some(dir) = &self.rules {
            command.push_str(&format!(
                " --rules {}",
                shell_quote(&dir.display().to_string())
            ));
        }
        command
    }

    fn rules_for(&self, s: &LocatedScenario) -> Result<Rules<'a>, String> {
        let Some(dir) = s.rules_dir() else {
            return Ok(Rules::Default(self.default_rules));
        };
        let variant = match self.variants.lock() {
            Ok(mut variants) => variants.entry(dir.clone()).or_default().clone(),
            Err(_) => return Err(format!("rules {}: not loaded", dir.display())),
        };
        let loaded = variant.get_or_init(|| {
            // The variant's own hits: its scripts share logical names with the
            // run's, but not necessarily their lines.
            let hits = self.coverage.then(CoverageHits::default);
            RuleFiles::from_folder(&dir)
                .map_err(LoadError::from)
                .and_then(|files| RuleSet::load_with_coverage(&files, hits.clone()))
                .map(|rules| Loaded { rules, hits })
                .map_err(|e| e.to_string())
        });
        match loaded {
            Ok(_) => Ok(Rules::Variant(variant)),
            Err(e) => Err(format!("rules {}: {e}", dir.display())),
        }
    }

    /// The rule-set variants the run used, in folder order, each with the lines
    /// its scripts executed under `--coverage`.
    pub fn variant_runs(&self) -> Vec<VariantRun> {
        let variants = match self.variants.lock() {
            Ok(v) => v,
            Err(poisoned) => poisoned.into_inner(),
        };
        let mut runs: Vec<VariantRun> = variants
            .iter()
            .map(|(dir, variant)| VariantRun {
                dir: dir.clone(),
                variant: variant.clone(),
            })
            .collect();
        runs.sort_by(|a, b| a.dir.cmp(&b.dir));
        runs
    }

    /// Runs one scenario: its outcome, or one per date of its `checks`.
    pub fn run_scenario(&self, s: &LocatedScenario) -> Vec<Outcome> {
        self.run_each(s).into_iter().map(|(o, _)| o).collect()
    }

    /// Runs one scenario: each outcome with what came out (or why nothing could), in
    /// the order of [`LocatedScenario::runs`].
    fn run_each(&self, s: &LocatedScenario) -> Vec<(Outcome, Result<Value, String>)> {
        let runs = s.runs();
        let outcome = |run: &Run<'_>| Outcome {
            file: s.file.display().to_string(),
            line: run.line,
            name: run.name.clone(),
            description: s.scenario.description.clone(),
            verdict: Verdict::Passed,
            note: None,
            differences: vec![],
            rerun: None,
            time: std::time::Duration::ZERO,
        };
        if let Some(reason) = &s.scenario.skip {
            return runs
                .iter()
                .map(|run| {
                    let skipped = Outcome {
                        verdict: Verdict::Skipped,
                        note: Some(reason.clone()),
                        ..outcome(run)
                    };
                    (skipped, Err(reason.clone()))
                })
                .collect();
        }
        let case = if s.is_case() {
            Some(self.load_case(s))
        } else {
            None
        };
        runs.iter()
            .map(|run| {
                let started = std::time::Instant::now();
                let actual = match &case {
                    None => self.decide(s),
                    Some(Err(e)) => Err(e.clone()),
                    Some(Ok(Err(record))) => Ok(record.clone()),
                    Some(Ok(Ok(loaded))) => match run.as_of {
                        Some(day) => self.follow(s, loaded, day.0, run.expect.wants_invoices()),
                        None => Err(format!(
                            "scenario '{}' gives no as-of date",
                            s.scenario.name
                        )),
                    },
                };
                let mut judged = judge(outcome(run), run, actual.clone());
                if !judged.differences.is_empty() {
                    match (&case, run.as_of) {
                        (None, _) => self.add_sources(s, &mut judged),
                        (Some(Ok(Ok(loaded))), Some(day)) => {
                            self.add_case_sources(s, loaded, day.0, &mut judged)
                        }
                        _ => {}
                    }
                }
                judged.time = started.elapsed();
                (judged, actual)
            })
            .collect()
    }

    /// The decision or error record the scenario's application gives, as JSON.
    fn decide(&self, s: &LocatedScenario) -> Result<Value, String> {
        let record = match s.application_source()? {
            ApplicationSource::File(path) => first_record(&path)?,
            ApplicationSource::Text { label, text } => parse_yaml(&label, &text),
        };
        let rules = self.rules_for(s)?;
        Ok(match record.result {
            Ok(app) => match crate::Evaluator::new(&rules).evaluate(&app) {
                Ok(decision) => json(&decision),
                Err(e) => json(&ErrorRecord::undecided(&app.id, record.input, e)),
            },
            Err(e) => json(&e.into_record(record.input)),
        })
    }

    /// Names, beside each difference of a failed decision, the rule file and line
    /// that made the value that came out (from the decision's trace).
    fn add_sources(&self, s: &LocatedScenario, outcome: &mut Outcome) {
        let record = match s.application_source() {
            Ok(ApplicationSource::File(path)) => first_record(&path).ok(),
            Ok(ApplicationSource::Text { label, text }) => Some(parse_yaml(&label, &text)),
            Err(_) => None,
        };
        let Some(Ok(app)) = record.map(|r| r.result) else {
            return;
        };
        let Ok(rules) = self.rules_for(s) else {
            return;
        };
        let (decision, trace) = crate::Evaluator::new(&rules).explain(&app);
        let Ok(decision) = decision else {
            return;
        };
        let decision = json(&decision);
        for d in &mut outcome.differences {
            d.source = source_of(&d.path, &decision, &trace, &rules);
        }
    }

    /// Names, beside each difference of a failed case status, what moved the value
    /// that came out (from the status's explanation).
    fn add_case_sources(
        &self,
        s: &LocatedScenario,
        case: &LoadedCase,
        as_of: NaiveDate,
        outcome: &mut Outcome,
    ) {
        let Ok(rules) = self.rules_for(s) else {
            return;
        };
        let Ok(explained) = crate::case::explain(case, &rules, as_of) else {
            return;
        };
        for d in &mut outcome.differences {
            d.source = case_source_of(&d.path, &explained, &rules);
        }
    }

    /// The case file of a case scenario read: the case, or the error record of a
    /// case file that cannot be read (as JSON, to compare with an expected `error`).
    fn load_case(&self, s: &LocatedScenario) -> Result<Result<LoadedCase, Value>, String> {
        let read = match s.case_source()? {
            CaseSource::File(path) => read_case_file(&path),
            CaseSource::Text { label, text } => parse_case(&label, &text, Format::Yaml, s.dir()),
        };
        Ok(read.map_err(|e| json(&e.into_record())))
    }

    /// The status (or error record) of a case as of a date, as JSON; with
    /// `invoices`, the case's invoices as of the date under `invoices`.
    fn follow(
        &self,
        s: &LocatedScenario,
        case: &LoadedCase,
        as_of: NaiveDate,
        invoices: bool,
    ) -> Result<Value, String> {
        let rules = self.rules_for(s)?;
        Ok(match crate::case::status(case, &rules, as_of) {
            Ok(status) => {
                let mut found = json(&status);
                if invoices {
                    let list = match crate::case::invoice::invoices(case, &rules, as_of) {
                        Ok(list) => json(&list),
                        Err(_) => Value::Null,
                    };
                    if let Some(fields) = found.as_object_mut() {
                        fields.insert("invoices".to_string(), list);
                    }
                }
                found
            }
            Err(record) => json(&record),
        })
    }
}

/// The outcome of one run, given what came out (or why nothing could).
fn judge(mut outcome: Outcome, run: &Run<'_>, actual: Result<Value, String>) -> Outcome {
    match actual {
        Ok(actual) => {
            outcome.differences = compare(run.expect, &actual);
            if !outcome.differences.is_empty() {
                outcome.verdict = Verdict::Failed;
            }
        }
        Err(e) => {
            outcome.verdict = Verdict::Failed;
            outcome.note = Some(e);
        }
    }
    outcome
}

/// Records the codes and items a scenario expects to be present, for coverage.
fn note_expected(expect: &Expect, report: &mut Report) {
    if let Some(decision) = &expect.decision {
        note_expected(decision, report);
    }
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
    let invoices = expect
        .invoices
        .iter()
        .chain(&expect.invoices_include)
        .flatten();
    for invoice in invoices {
        let lines = invoice.lines.iter().flatten();
        report.expected_invoice_items.extend(
            lines.filter_map(|l| l.item.and_then(|i| json(&i).as_str().map(str::to_string))),
        );
        let findings = invoice.findings.iter().flatten();
        report
            .expected_codes
            .extend(findings.filter_map(|f| f.code.clone()));
    }
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

/// `text` as one word for a POSIX shell: as is when it holds only characters no
/// shell treats specially, else [`single_quoted`].
fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c));
    if plain {
        text.to_string()
    } else {
        single_quoted(text)
    }
}

/// `text` in single quotes for a POSIX shell, a `'` inside written `'\''`.
fn single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}
