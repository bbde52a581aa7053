//! A scenario run's report for people and for CI: text (`hds test`) and JUnit XML
//! (`hds test --format junit`). Its JSON is the report itself, serialised.

use crate::model::report::{BlessChange, Blessed, Difference, Outcome, Report, Verdict};
use std::fmt;

/// A difference as one line of a report: `path: expected X, got Y`.
impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: expected {}, got {}",
            self.path, self.expected, self.got
        )
    }
}

/// `N passed, M failed` and `, K skipped` when any were skipped: the last line of a
/// text report, and what `hds test` prints to standard error in the other formats.
pub fn summary_line(report: &Report) -> String {
    let mut s = format!("{} passed, {} failed", report.passed, report.failed);
    if report.skipped > 0 {
        s.push_str(&format!(", {} skipped", report.skipped));
    }
    s
}

/// A report as text: one short line per passing scenario (unless `quiet`), the
/// differences of each failing one, and the closing summary line.
pub fn text_report(report: &Report, quiet: bool) -> String {
    let mut s = String::new();
    for o in &report.outcomes {
        match o.verdict {
            Verdict::Passed if !quiet => {
                s.push_str(&format!("ok    {}:{}  {}\n", o.file, o.line, o.name))
            }
            Verdict::Skipped if !quiet => s.push_str(&format!(
                "skip  {}:{}  {} ({})\n",
                o.file,
                o.line,
                o.name,
                o.note.as_deref().unwrap_or("")
            )),
            Verdict::Failed => {
                s.push_str(&format!("FAIL  {}:{}  {}\n", o.file, o.line, o.name));
                if let Some(note) = &o.note {
                    s.push_str(&format!("      {note}\n"));
                }
                for d in &o.differences {
                    s.push_str(&format!("      {d}\n"));
                }
                s.push_str(&side_by_side(&o.differences));
                if let Some(rerun) = &o.rerun {
                    s.push_str(&format!("      rerun: {rerun}\n"));
                }
            }
            _ => {}
        }
    }
    s.push_str(&summary_line(report));
    s.push('\n');
    s
}

/// Each differing field with what was expected and what came out, in aligned
/// columns, and where the value that came out was made when the trace says:
/// `      due   expected 2026-06-09   actual 2026-06-08   from rules/…:16 (fn deadline)`.
fn side_by_side(differences: &[Difference]) -> String {
    let width = |f: fn(&Difference) -> &str| {
        differences
            .iter()
            .map(|d| f(d).chars().count())
            .max()
            .unwrap_or(0)
    };
    let path_width = width(|d| &d.path);
    let expected_width = width(|d| &d.expected);
    let got_width = width(|d| &d.got);
    let mut s = String::new();
    for d in differences {
        let from = d
            .source
            .as_ref()
            .map_or(String::new(), |at| format!("   from {at}"));
        let line = format!(
            "      {:<path_width$}   expected {:<expected_width$}   actual {:<got_width$}{from}",
            d.path, d.expected, d.got
        );
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s
}

/// What `hds test --bless` did, for review before a commit: one line per
/// expectation (`file:line  scenario  field: old → new`, or why it was left to edit
/// by hand), then a count.
pub fn bless_report(blessed: &[Blessed]) -> String {
    let mut s = String::new();
    let mut files = std::collections::BTreeSet::new();
    let mut left = 0;
    for b in blessed {
        let field = if b.field.is_empty() {
            String::new()
        } else {
            format!("{}: ", b.field)
        };
        match &b.change {
            BlessChange::Rewritten { old, new } => {
                files.insert(b.file.as_str());
                s.push_str(&format!(
                    "blessed      {}:{}  {}  {field}{old} → {new}\n",
                    b.file, b.line, b.scenario
                ));
            }
            BlessChange::Left { why } => {
                left += 1;
                s.push_str(&format!(
                    "not blessed  {}:{}  {}  {field}{why}\n",
                    b.file, b.line, b.scenario
                ));
            }
        }
    }
    s.push_str(&format!(
        "blessed {} expectation(s) in {} file(s); {left} left to edit by hand\n",
        blessed.len() - left,
        files.len()
    ));
    s
}

/// Text as XML 1.0 allows it: characters it forbids (control characters other than
/// tab and line breaks, U+FFFE, U+FFFF) become U+FFFD.
fn xml_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 => '\u{FFFD}',
            '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// The lines a failed outcome reports, as the text report shows them: its note,
/// each difference, the differing fields side by side with where each value came
/// from, and the command that reruns it.
fn failure_lines(o: &Outcome) -> Vec<String> {
    let mut lines: Vec<String> = o.note.iter().cloned().collect();
    lines.extend(o.differences.iter().map(|d| d.to_string()));
    lines.extend(
        side_by_side(&o.differences)
            .lines()
            .map(|l| l.trim_start().to_string()),
    );
    if let Some(rerun) = &o.rerun {
        lines.push(format!("rerun: {rerun}"));
    }
    lines
}

/// A report as JUnit XML: one testsuite per scenario file, one testcase per scenario,
/// each with its time.
pub fn junit_report(report: &Report) -> String {
    let mut files: Vec<&str> = Vec::new();
    for o in &report.outcomes {
        if !files.contains(&o.file.as_str()) {
            files.push(&o.file);
        }
    }
    let mut junit = quick_junit::Report::new("hds scenarios");
    for file in files {
        let mut suite = quick_junit::TestSuite::new(xml_text(file));
        for o in report.outcomes.iter().filter(|o| o.file == file) {
            let status = match o.verdict {
                Verdict::Passed => quick_junit::TestCaseStatus::success(),
                Verdict::Skipped => {
                    let mut s = quick_junit::TestCaseStatus::skipped();
                    s.set_message(xml_text(o.note.as_deref().unwrap_or("")));
                    s
                }
                Verdict::Failed => {
                    let lines = failure_lines(o);
                    let mut s = quick_junit::TestCaseStatus::non_success(
                        quick_junit::NonSuccessKind::Failure,
                    );
                    s.set_message(xml_text(lines.first().map_or("", String::as_str)));
                    s.set_description(xml_text(&lines.join("\n")));
                    s
                }
            };
            let mut case = quick_junit::TestCase::new(xml_text(&o.name), status);
            case.set_classname(xml_text(file));
            case.set_time(o.time);
            case.extra.insert("file".into(), xml_text(file).into());
            case.extra.insert("line".into(), o.line.to_string().into());
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    junit.to_string().unwrap_or_else(|e| {
        // Writing to a string fails only on a bug in the writer; say so in XML.
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hds scenarios\" tests=\"1\" failures=\"1\"><testsuite name=\"hds\" tests=\"1\" failures=\"1\"><testcase name=\"junit report\" time=\"0\"><failure message=\"{}\"/></testcase></testsuite></testsuites>\n",
            xml_text(&e.to_string()).replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;")
        )
    })
}

/// The JUnit report of a run that could not start (the rule set does not load):
/// one failed testcase carrying the reason, so CI servers see a failure, not an
/// empty run.
pub fn junit_cannot_run(reason: &str) -> String {
    let mut report = Report::default();
    report.push(Outcome {
        file: "rule set".to_string(),
        line: 1,
        name: "the rule set loads".to_string(),
        description: String::new(),
        verdict: Verdict::Failed,
        note: Some(reason.to_string()),
        differences: vec![],
        rerun: None,
        time: std::time::Duration::ZERO,
    });
    junit_report(&report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junit_has_one_testcase_per_scenario_and_escapes_text() {
        let mut r = Report::default();
        for (name, verdict) in [
            ("a<b", Verdict::Passed),
            ("c", Verdict::Failed),
            ("d", Verdict::Skipped),
        ] {
            r.push(Outcome {
                file: "f.yaml".into(),
                line: 1,
                name: name.into(),
                description: String::new(),
                verdict,
                note: Some("why & how \u{FFFE}\u{1}".into()),
                differences: vec![],
                rerun: None,
                time: std::time::Duration::from_millis(5),
            });
        }
        let xml = junit_report(&r);
        assert_eq!(xml.matches("<testcase ").count(), 3);
        assert!(xml.contains("a&lt;b") && xml.contains("why &amp; how"));
        assert!(
            xml.contains("tests=\"3\" skipped=\"1\" failures=\"1\""),
            "{xml}"
        );
        assert!(xml.contains("time=\"0.005\""), "{xml}");
        assert!(!xml.contains('\u{FFFE}') && !xml.contains('\u{1}'));
        let parsed = quick_junit::Report::deserialize_from_str(&xml).expect("well-formed");
        assert_eq!(parsed.failures, 1);
        assert_eq!(parsed.skipped, 1);
        assert_eq!(summary_line(&r), "1 passed, 1 failed, 1 skipped");
    }
}
