//! `hds test`: run scenario files against the rule set and report, optionally with
//! rule coverage.

use super::args::TestFormat;
use super::Exit;
use crate::model::report::BlessChange;
use crate::render::{bless_report, json_line, junit_report, summary_line, text_report};
use crate::ruleset::RuleSet;
use crate::script::CoverageHits;
use crate::tools::coverage::CoverageReport;
use crate::tools::scenario::bless;
use crate::tools::scenario::runner::Runner;
use std::path::PathBuf;

/// How `hds test` runs and reports, from its flags.
pub(super) struct Options {
    /// Only scenarios whose name or file path contains this.
    pub filter: Option<String>,
    /// Text, JSON or JUnit.
    pub format: TestFormat,
    /// Only failures and the count.
    pub quiet: bool,
    /// The least share of rule lines the run must execute, in percent.
    pub min_coverage: Option<f64>,
    /// The rule-set folder in use, for the command that reruns a failed scenario.
    pub rules: Option<PathBuf>,
    /// Rewrite the expectations of failing scenarios to what came out.
    pub bless: bool,
}

pub(super) fn test(
    rule_set: &RuleSet,
    paths: &[PathBuf],
    options: Options,
    coverage: Option<CoverageHits>,
    out: &mut super::Out,
) -> Exit {
    let Options {
        filter,
        format,
        quiet,
        min_coverage,
        rules,
        bless,
    } = options;
    let mut runner = Runner::new(rule_set);
    runner.filter = filter.clone();
    runner.coverage = coverage.is_some();
    runner.rules = rules;
    runner.failures = bless.then(Vec::new);
    let report = match runner.run(paths) {
        Ok(r) => r,
        Err(e) => {
            note!("hds: {e}");
            return Exit::CannotRun;
        }
    };
    if report.outcomes.is_empty() {
        // Zero scenarios run is never a pass: a wrong path or filter would
        // otherwise look like a green suite.
        match &filter {
            Some(f) => note!(
                "hds: --filter '{f}' matches no scenario name or file path; expected part of a name or path"
            ),
            None => {
                let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                note!(
                    "hds: no scenario file under {}: nothing to run; expected a scenario file (.yaml with a list `scenarios`) or a folder holding some",
                    shown.join(", ")
                )
            }
        }
        return Exit::CannotRun;
    }
    let coverage = coverage.map(|hits| {
        let hits = hits.lock().map(|h| h.clone()).unwrap_or_default();
        let variants = runner.variant_runs();
        let variant_hits: Vec<_> = variants
            .iter()
            .filter_map(|v| v.rules().map(|rules| (rules, v.hits())))
            .collect();
        CoverageReport::build(
            rule_set,
            &hits,
            &variant_hits,
            &report.expected_codes,
            &report.expected_items,
            &report.expected_invoice_items,
        )
    });
    let text = match format {
        TestFormat::Text => {
            let mut t = text_report(&report, quiet);
            if let Some(c) = &coverage {
                let summary = t.split_off(t.trim_end().rfind('\n').map_or(0, |i| i + 1));
                t.push_str(&c.text());
                t.push_str(&summary);
            }
            t
        }
        TestFormat::Json => match &coverage {
            Some(c) => json_line(&serde_json::json!({"report": report, "coverage": c})) + "\n",
            None => json_line(&report) + "\n",
        },
        TestFormat::Junit => junit_report(&report),
    };
    let _ = out.print(&text);
    if format != TestFormat::Text {
        note!("{}", summary_line(&report));
    }
    // With --bless, the run fails only when some failure could not be rewritten.
    let mut failed = report.failed > 0;
    if let Some(failures) = runner.failures.take() {
        let blessed = bless::bless(&failures);
        let text = if failures.is_empty() {
            "nothing to bless: no scenario failed\n".to_string()
        } else {
            bless_report(&blessed)
        };
        if format == TestFormat::Text {
            let _ = out.print(&text);
        } else {
            note!("{}", text.trim_end());
        }
        failed = blessed
            .iter()
            .any(|b| matches!(b.change, BlessChange::Left { .. }));
    }
    if let (Some(least), Some(c)) = (min_coverage, &coverage) {
        let (lines, covered) = c
            .files
            .iter()
            .fold((0, 0), |(l, k), f| (l + f.lines, k + f.covered));
        let percent = if lines == 0 {
            100.0
        } else {
            covered as f64 * 100.0 / lines as f64
        };
        if percent < least {
            note!(
                "hds: the scenarios executed {percent:.1}% of the rule lines ({covered} of {lines}); --min-coverage asks for {least}%"
            );
            return Exit::BadInput;
        }
    }
    if failed {
        Exit::BadInput
    } else {
        Exit::Ok
    }
}
