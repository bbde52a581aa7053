//! A scenario run's report for people and for CI: text (`hds test`) and JUnit XML
//! (`hds test --format junit`). Its JSON is the report itself, serialised.

use crate::model::report::{Difference, Outcome, Report, Verdict};
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
            }
            _ => {}
        }
    }
    s.push_str(&summary_line(report));
    s.push('\n');
    s
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A report as JUnit XML: one testsuite per scenario file, one testcase per scenario.
pub fn junit_report(report: &Report) -> String {
    let mut files: Vec<&str> = Vec::new();
    for o in &report.outcomes {
        if !files.contains(&o.file.as_str()) {
            files.push(&o.file);
        }
    }
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(&format!(
        "<testsuites name=\"hds scenarios\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n",
        report.outcomes.len(),
        report.failed,
        report.skipped
    ));
    for file in files {
        let cases: Vec<&Outcome> = report.outcomes.iter().filter(|o| o.file == file).collect();
        let failures = cases
            .iter()
            .filter(|o| o.verdict == Verdict::Failed)
            .count();
        let skipped = cases
            .iter()
            .filter(|o| o.verdict == Verdict::Skipped)
            .count();
        s.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\">\n",
            xml_escape(file),
            cases.len()
        ));
        for o in cases {
            s.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\"",
                xml_escape(file),
                xml_escape(&o.name),
                xml_escape(file),
                o.line
            ));
            match o.verdict {
                Verdict::Passed => s.push_str("/>\n"),
                Verdict::Skipped => s.push_str(&format!(
                    ">\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                    xml_escape(o.note.as_deref().unwrap_or(""))
                )),
                Verdict::Failed => {
                    let mut lines: Vec<String> = o.note.iter().cloned().collect();
                    lines.extend(o.differences.iter().map(|d| d.to_string()));
                    let first = lines.first().cloned().unwrap_or_default();
                    s.push_str(&format!(
                        ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                        xml_escape(&first),
                        xml_escape(&lines.join("\n"))
                    ));
                }
            }
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
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
                note: Some("why & how".into()),
                differences: vec![],
            });
        }
        let xml = junit_report(&r);
        assert_eq!(xml.matches("<testcase ").count(), 3);
        assert!(xml.contains("a&lt;b") && xml.contains("why &amp; how"));
        assert!(xml.contains("tests=\"3\" failures=\"1\" skipped=\"1\""));
        assert_eq!(summary_line(&r), "1 passed, 1 failed, 1 skipped");
    }
}
