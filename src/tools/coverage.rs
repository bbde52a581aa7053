//! Rule coverage: which lines of each rule file a scenario run executed, and which
//! finding codes, missing items and invoice items the rules can produce that no
//! scenario expects.

use crate::case::invoice;
use crate::ruleset::RuleSet;
use crate::script::instrument::literal_first_arguments;
use rhai::{ASTNode, Stmt, AST};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Coverage of one rule file.
#[derive(Debug, Clone, Serialize)]
pub struct FileCoverage {
    /// The rule file's logical name (`rules/<folder>/<stage>.rhai`); for a file of
    /// a rule-set variant, its path.
    pub rule: String,
    /// How many lines hold statements, which a run can execute.
    pub lines: usize,
    /// How many of those lines the run executed.
    pub covered: usize,
    /// The lines holding statements that the run never executed, in order.
    pub not_covered: Vec<usize>,
}

impl FileCoverage {
    /// The share of lines executed, in percent; 100 when there is nothing to run.
    pub fn percent(&self) -> f64 {
        if self.lines == 0 {
            100.0
        } else {
            self.covered as f64 * 100.0 / self.lines as f64
        }
    }
}

/// Coverage of a whole rule set by a scenario run.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageReport {
    /// Each rule file's coverage, in folder and stage order: the files of the rule
    /// set the run uses, credited with the lines any rule set (the run's, or a
    /// variant that uses the file unchanged) executed in them. These alone make
    /// the total and `--min-coverage`.
    pub files: Vec<FileCoverage>,
    /// The scripts of rule-set variants that are not the run's own files (a
    /// variant's replacement script, or a base's that differs from the run's),
    /// each under its own path, in path order.
    pub variant_files: Vec<FileCoverage>,
    /// Finding codes some rule can produce that no scenario expects.
    pub codes_never_expected: Vec<String>,
    /// Missing items some rule can produce that no scenario expects.
    pub items_never_expected: Vec<String>,
    /// Invoice line items no scenario expects (when the rule set follows cases).
    pub invoice_items_never_expected: Vec<String>,
}

/// The lines of a script that hold statements (what a run can execute).
pub fn executable_lines(ast: &AST) -> BTreeSet<usize> {
    let mut lines = BTreeSet::new();
    ast.walk(&mut |path: &[ASTNode]| {
        if let Some(ASTNode::Stmt(stmt)) = path.last() {
            if !matches!(stmt, Stmt::Block(..) | Stmt::Noop(..)) {
                if let Some(line) = stmt.position().line() {
                    lines.insert(line);
                }
            }
        }
        true
    });
    lines
}

/// The lines executed in each script of one rule set, by the script's logical name.
pub type Hits = BTreeMap<String, BTreeSet<usize>>;

impl FileCoverage {
    /// The coverage of a script with these executable lines, of which `hit` ran.
    fn of(rule: String, lines: &BTreeSet<usize>, hit: &BTreeSet<usize>) -> FileCoverage {
        let not_covered: Vec<usize> = lines.difference(hit).copied().collect();
        FileCoverage {
            rule,
            lines: lines.len(),
            covered: lines.len() - not_covered.len(),
            not_covered,
        }
    }
}

impl CoverageReport {
    /// Combines the lines hit with the rule set's scripts and the scenarios'
    /// expectations. `hits` are the lines the run's rule set executed; `variants`
    /// are the rule-set variants scenarios named, each with the lines it executed.
    /// Each line is credited to the file that ran: a variant's script that is the
    /// run's own (the same logical name and text) to the run's file, any other to
    /// the variant's file under its own path, apart from the total.
    pub fn build(
        rules: &RuleSet,
        hits: &Hits,
        variants: &[(&RuleSet, Hits)],
        expected_codes: &BTreeSet<String>,
        expected_items: &BTreeSet<String>,
        expected_invoice_items: &BTreeSet<String>,
    ) -> CoverageReport {
        let mut hits = hits.clone();
        // A variant's own scripts by path: executable lines, lines executed.
        let mut own: BTreeMap<String, (BTreeSet<usize>, BTreeSet<usize>)> = BTreeMap::new();
        for (variant, ran) in variants {
            for script in variant.scripts() {
                let hit = ran.get(&script.logical).cloned().unwrap_or_default();
                let shared = rules
                    .scripts()
                    .any(|s| s.logical == script.logical && s.text == script.text);
                if shared {
                    hits.entry(script.logical.clone()).or_default().extend(hit);
                } else {
                    own.entry(script.display.clone())
                        .or_insert_with(|| (executable_lines(&script.ast), BTreeSet::new()))
                        .1
                        .extend(hit);
                }
            }
        }
        let variant_files = own
            .into_iter()
            .map(|(path, (lines, hit))| FileCoverage::of(path, &lines, &hit))
            .collect();
        let mut files = Vec::new();
        let mut codes = BTreeSet::new();
        let mut items = BTreeSet::new();
        for script in rules.scripts() {
            let lines = executable_lines(&script.ast);
            let hit = hits.get(&script.logical).cloned().unwrap_or_default();
            files.push(FileCoverage::of(script.logical.clone(), &lines, &hit));
            codes.extend(literal_first_arguments(&script.ast, "finding"));
            items.extend(literal_first_arguments(&script.ast, "missing"));
        }
        files.sort_by(|a, b| a.rule.cmp(&b.rule));
        if rules.case_policy().is_some() {
            codes.extend(invoice::FINDING_CODES.map(str::to_string));
        }
        let invoice_items = invoice::ITEMS
            .into_iter()
            .filter(|i| !expected_invoice_items.contains(*i))
            .map(str::to_string)
            .collect();
        CoverageReport {
            files,
            variant_files,
            codes_never_expected: codes.difference(expected_codes).cloned().collect(),
            items_never_expected: items.difference(expected_items).cloned().collect(),
            invoice_items_never_expected: if rules.case_policy().is_some() {
                invoice_items
            } else {
                Vec::new()
            },
        }
    }

    /// Per rule file: percentage, lines covered, and the lines never executed;
    /// then the variants' own files, apart from the total.
    pub fn text(&self) -> String {
        let mut s = String::from("coverage of rule files by the scenarios:\n");
        let width = self
            .files
            .iter()
            .chain(&self.variant_files)
            .map(|f| f.rule.len())
            .max()
            .unwrap_or(0);
        let row = |s: &mut String, f: &FileCoverage| {
            s.push_str(&format!(
                "  {:width$}  {:5.1}%  {:>3}/{}",
                f.rule,
                f.percent(),
                f.covered,
                f.lines
            ));
            if !f.not_covered.is_empty() {
                let lines: Vec<String> = f.not_covered.iter().map(usize::to_string).collect();
                s.push_str(&format!("  not covered: {}", lines.join(", ")));
            }
            s.push('\n');
        };
        let (mut all, mut covered) = (0, 0);
        for f in &self.files {
            all += f.lines;
            covered += f.covered;
            row(&mut s, f);
        }
        let total = if all == 0 {
            100.0
        } else {
            covered as f64 * 100.0 / all as f64
        };
        s.push_str(&format!("  total {total:.1}% ({covered}/{all} lines)\n"));
        if !self.variant_files.is_empty() {
            s.push_str("rule-set variants' own rule files (not in the total):\n");
            for f in &self.variant_files {
                row(&mut s, f);
            }
        }
        let list = |v: &[String]| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        s.push_str(&format!(
            "finding codes no scenario expects: {}\n",
            list(&self.codes_never_expected)
        ));
        s.push_str(&format!(
            "missing items no scenario expects: {}\n",
            list(&self.items_never_expected)
        ));
        s.push_str(&format!(
            "invoice items no scenario expects: {}\n",
            list(&self.invoice_items_never_expected)
        ));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variants_lines_are_credited_to_the_file_that_ran() {
        use crate::ruleset::files::RuleFiles;
        let shipped_files = RuleFiles::built_in().expect("built in");
        let shipped = RuleSet::load_with_coverage(&shipped_files, None).expect("loads");
        // A variant whose deadline rules are its own (one line lower), the rest
        // the shipped files.
        let deadline = "rules/helsedataservice/deadline.rhai";
        let routing = "rules/helsedataservice/routing.rhai";
        let mut files = shipped_files.clone();
        let own = files.files.get_mut(deadline).expect("deadline rules");
        own.text = format!("// the variant's own\n{}", own.text);
        own.display = "variant/helsedataservice/deadline.rhai".to_string();
        let variant = RuleSet::load_with_coverage(&files, None).expect("loads");
        let lines_of = |rules: &RuleSet, logical: &str| {
            rules
                .scripts()
                .find(|s| s.logical == logical)
                .map(|s| executable_lines(&s.ast))
                .unwrap_or_default()
        };
        let ran: Hits = [
            (deadline.to_string(), lines_of(&variant, deadline)),
            (routing.to_string(), lines_of(&variant, routing)),
        ]
        .into();
        let none = BTreeSet::new();
        let report = CoverageReport::build(
            &shipped,
            &Hits::new(),
            &[(&variant, ran)],
            &none,
            &none,
            &none,
        );
        let covered = |files: &[FileCoverage], rule: &str| {
            files
                .iter()
                .find(|f| f.rule == rule)
                .map(|f| (f.covered, f.lines))
        };
        let all = |rules: &RuleSet, logical: &str| lines_of(rules, logical).len();
        assert_eq!(
            covered(&report.files, deadline),
            Some((0, all(&shipped, deadline)))
        );
        assert_eq!(
            covered(&report.files, routing),
            Some((all(&shipped, routing), all(&shipped, routing)))
        );
        let variant_lines = all(&variant, deadline);
        assert_eq!(
            covered(
                &report.variant_files,
                "variant/helsedataservice/deadline.rhai"
            ),
            Some((variant_lines, variant_lines))
        );
        assert_eq!(report.variant_files.len(), 1);
        let text = report.text();
        let apart = text
            .split("rule-set variants' own rule files (not in the total):\n")
            .nth(1)
            .unwrap_or_default();
        assert!(
            apart.starts_with("  variant/helsedataservice/deadline.rhai"),
            "{text}"
        );
    }

    #[test]
    fn executable_lines_are_the_statement_lines() {
        let engine = rhai::Engine::new();
        let ast = engine
            .compile("// comment\nfn f(x) {\n    let y = x + 1;\n\n    if y > 2 {\n        y\n    } else {\n        0\n    }\n}\n")
            .expect("compiles");
        let lines = executable_lines(&ast);
        assert!(lines.contains(&3) && lines.contains(&5), "{lines:?}");
        assert!(!lines.contains(&1) && !lines.contains(&4), "{lines:?}");
    }
}
