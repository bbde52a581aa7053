//! `hds test`: run scenario files against the rule set and report, optionally with
//! rule coverage.

use super::args::TestFormat;
use super::Exit;
use crate::render::{json_line, junit_report, summary_line, text_report};
use crate::ruleset::RuleSet;
use crate::script::CoverageHits;
use crate::tools::coverage::CoverageReport;
use crate::tools::scenario::runner::Runner;
use std::path::PathBuf;

pub(super) fn test(
    rule_set: &RuleSet,
    paths: &[PathBuf],
    filter: Option<String>,
    format: TestFormat,
    quiet: bool,
    coverage: Option<CoverageHits>,
) -> Exit {
    let mut runner = Runner::new(rule_set);
    runner.filter = filter;
    runner.coverage = coverage.clone();
    let report = match runner.run(paths) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("hds: {e}");
            return Exit::CannotRun;
        }
    };
    let coverage = coverage.map(|hits| {
        let hits = hits.lock().map(|h| h.clone()).unwrap_or_default();
        CoverageReport::build(
            rule_set,
            &hits,
            &report.expected_codes,
            &report.expected_items,
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
    print!("{text}");
    if format != TestFormat::Text {
        eprintln!("{}", summary_line(&report));
    }
    if report.failed > 0 {
        Exit::BadInput
    } else {
        Exit::Ok
    }
}
