//! A trial run for `hds check`: every stage of the rule set run on sample
//! applications made from the catalog (each source alone, every source linked,
//! an application missing what it can miss, one for identifiable data, one per
//! language), so that a rule that fails, returns what its stage cannot take or
//! gives a due date its calendar cannot count, is reported with its file and
//! function before any real application meets it.

use crate::error::{Diagnostic, ErrorKind};
use crate::model::Application;
use crate::ruleset::RuleSet;
use serde_json::{json, Value};

/// The moment every sample application is submitted: a Monday with no holiday
/// near, so the samples are the same whenever the check runs.
const SUBMITTED_AT: &str = "2026-03-02T10:00:00+01:00";

/// Every problem a trial run finds: one error per failure, at the rule's file,
/// line and function, naming the sample that met it. The samples are sound
/// applications received on a day every calendar should cover, so any failure is
/// the rule set's: a rule that fails or returns what its stage cannot take, and a
/// due date outside its calendar's years (placed at the deadline rule that gave
/// the working days).
pub fn trial_run(rules: &RuleSet) -> Vec<Diagnostic> {
    let evaluator = super::Evaluator::new(rules);
    let mut found: Vec<Diagnostic> = Vec::new();
    for (label, sample) in samples(rules) {
        let app: Application = match serde_json::from_value(sample) {
            Ok(app) => app,
            Err(_) => continue,
        };
        let Err(e) = evaluator.evaluate(&app) else {
            continue;
        };
        let (path, line, column, function, callers) =
            match e.at.as_ref().or(e.decided_by.as_deref()) {
                Some(at) => (
                    at.file.clone(),
                    at.line,
                    at.column,
                    at.function().map(str::to_string),
                    at.function_and_callers(),
                ),
                None => (rules.coordinator().to_string(), None, None, None, None),
            };
        // A wrong return has no line of its own: point at the function.
        let (line, column) = match (line, &function) {
            (None, Some(f)) => definition(rules, &path, f).unzip(),
            _ => (line, column),
        };
        let function = callers
            .map(|f| format!("function {f}: "))
            .unwrap_or_default();
        let (what, expected) = match e.kind {
            // The advice to check the application's dates is not for a sample's.
            ErrorKind::DateOutOfRange => (
                e.message
                    .strip_suffix(super::deadline::CHECK_THE_DATES)
                    .unwrap_or(&e.message),
                format!(
                    "expected the due date of an application received on {} to fall within the years of its calendar",
                    SUBMITTED_AT.split_once('T').map_or(SUBMITTED_AT, |(day, _)| day)
                ),
            ),
            _ => (
                e.message.as_str(),
                "expected every stage to run and return what it may on any application"
                    .to_string(),
            ),
        };
        let d = Diagnostic::error(
            path,
            format!(
                "{function}{what} (in a trial run on a sample application: {label}); {expected}"
            ),
        )
        .at(line, column)
        .with_code("trial-run");
        if !found.iter().any(|f| same_place(f, &d)) {
            found.push(d);
        }
    }
    found
}

/// The line and column of `fn name(` in the rule file shown as `path`.
fn definition(rules: &RuleSet, path: &str, name: &str) -> Option<(usize, usize)> {
    let script = rules.scripts().find(|s| s.display == path)?;
    crate::script::compiled::definition_line(&script.text, name)
}

/// Two problems at the same place: one report is enough.
fn same_place(a: &Diagnostic, b: &Diagnostic) -> bool {
    (&a.path, a.line, a.column) == (&b.path, b.line, b.column)
}

/// The sample applications, each with a label saying what it is.
fn samples(rules: &RuleSet) -> Vec<(String, Value)> {
    let catalog = rules.catalog();
    let purposes = catalog.purposes();
    let purpose = |wanted: &[String]| {
        wanted
            .first()
            .or_else(|| purposes.first())
            .cloned()
            .unwrap_or_else(|| "research".to_string())
    };
    let app = |id: &str, sources: Value, purpose: &str| {
        json!({
            "id": id,
            "submitted_at": SUBMITTED_AT,
            "data_kind": "aggregated",
            "applicant": {"name": "Kari Nordmann", "organisation": "Universitetet i Oslo",
                          "email": "kari.nordmann@example.org", "role": "researcher"},
            "project": {"title": "Trial", "description": "Tables per year and county.",
                        "purpose": purpose},
            "sources": sources,
            "attachments": [{"kind": "sample_table", "file": "table.xlsx"}]
        })
    };
    let source = |id: &str| json!({"id": id, "variables": ["year", "county"], "icd10": ["C50"]});
    let mut out = Vec::new();
    for (id, entry) in &catalog.file.sources {
        out.push((
            format!("source {id} alone"),
            app(
                "TRIAL-SOURCE",
                json!([source(id)]),
                &purpose(&entry.purposes),
            ),
        ));
    }
    let every: Vec<Value> = catalog.file.sources.keys().map(|id| source(id)).collect();
    let mut linked = app("TRIAL-LINKED", Value::Array(every.clone()), &purpose(&[]));
    linked["linking"] = json!({"comment": "linked by person"});
    out.push(("every source, linked".to_string(), linked));
    for language in ["nb", "nn", "en"] {
        let mut a = app("TRIAL-LANGUAGE", Value::Array(every.clone()), &purpose(&[]));
        a["language"] = json!(language);
        out.push((format!("every source, language {language}"), a));
    }
    let mut bare = app("TRIAL-BARE", json!([{"id": "no-such-source"}]), "");
    bare["applicant"] = json!({"name": ""});
    bare["project"] = json!({"description": " "});
    bare["attachments"] = json!([]);
    out.push(("an application missing what it can miss".to_string(), bare));
    let mut identifiable = app("TRIAL-IDENTIFIABLE", Value::Array(every), &purpose(&[]));
    identifiable["data_kind"] = json!("identifiable");
    out.push(("identifiable data".to_string(), identifiable));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ruleset::files::RuleFiles;

    #[test]
    fn the_shipped_rules_pass_the_trial_run() {
        let rules = RuleSet::built_in().expect("built-in rules");
        assert_eq!(trial_run(&rules), Vec::<Diagnostic>::new());
        let samples = samples(&rules);
        assert!(samples.len() > 10);
        // A sample the contract refuses would test nothing: every one must read.
        for (label, sample) in samples {
            let read = serde_json::from_value::<Application>(sample);
            assert!(read.is_ok(), "{label}: {read:?}");
        }
    }

    #[test]
    fn a_stage_returning_the_wrong_type_is_found_with_its_file_and_function() {
        let mut files = RuleFiles::built_in().expect("built-in files");
        let routing = files
            .files
            .values_mut()
            .find(|f| f.display.ends_with("helsedataservice/routing.rhai"))
            .expect("the routing rule");
        routing.text = routing.text.replace(
            "fn routing(app, sources) {",
            "fn routing(app, sources) {\n    if app.linking != () { return 5; }",
        );
        let rules = RuleSet::load(&files).expect("still loads");
        let found = trial_run(&rules);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0];
        assert!(d.path.ends_with("helsedataservice/routing.rhai"), "{d}");
        assert!(d.message.contains("routing"), "{d}");
        assert!(d.message.contains("every source, linked"), "{d}");
        assert_eq!(d.code, "trial-run");
        // At the function's definition, since a return value has no line.
        assert!(d.line.is_some(), "{d}");
    }

    #[test]
    fn a_due_date_past_the_calendar_is_found_at_the_deadline_rule_that_gave_the_days() {
        let mut files = RuleFiles::built_in().expect("built-in files");
        let deadline = files
            .files
            .values_mut()
            .find(|f| f.display.ends_with("helsedataservice/deadline.rhai"))
            .expect("the deadline rule");
        deadline.text = deadline.text.replace(
            "let days = setting_on(\"deadline.working_days\", on);",
            "let days = 100000;",
        );
        let rules = RuleSet::load(&files).expect("still loads");
        let found = trial_run(&rules);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0];
        assert!(d.path.ends_with("helsedataservice/deadline.rhai"), "{d}");
        assert_eq!(d.code, "trial-run");
        assert_eq!(d.severity, crate::error::Severity::Error);
        // At the function's definition: the days are its result.
        let script = rules
            .scripts()
            .find(|s| s.display == d.path)
            .expect("script");
        assert_eq!(
            (d.line, d.column),
            crate::script::compiled::definition_line(&script.text, "deadline").unzip()
        );
        assert!(
            d.message.starts_with("function deadline: route ")
                && d.message.contains(": 100000 working days after complete_on 2026-03-02: counting working days after 2026-03-02 runs past the end of calendar ")
                && d.message.ends_with("expected the due date of an application received on 2026-03-02 to fall within the years of its calendar")
                && !d.message.contains("check submitted_at"),
            "{d}"
        );
    }
}
