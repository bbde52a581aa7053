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
    /// The rule file's logical name (`rules/<folder>/<stage>.rhai`).
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
    /// Each rule file's coverage, in folder and stage order.
    pub files: Vec<FileCoverage>,
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

impl CoverageReport {
    /// Combines the lines hit with the rule set's scripts and the scenarios'
    /// expectations.
    pub fn build(
        rules: &RuleSet,
        hits: &BTreeMap<String, BTreeSet<usize>>,
        expected_codes: &BTreeSet<String>,
        expected_items: &BTreeSet<String>,
        expected_invoice_items: &BTreeSet<String>,
    ) -> CoverageReport {
        let mut files = Vec::new();
        let mut codes = BTreeSet::new();
        let mut items = BTreeSet::new();
        for script in rules.scripts() {
            let lines = executable_lines(&script.ast);
            let hit = hits.get(&script.logical).cloned().unwrap_or_default();
            let not_covered: Vec<usize> = lines.difference(&hit).copied().collect();
            files.push(FileCoverage {
                rule: script.logical.clone(),
                lines: lines.len(),
                covered: lines.len() - not_covered.len(),
                not_covered,
            });
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
            codes_never_expected: codes.difference(expected_codes).cloned().collect(),
            items_never_expected: items.difference(expected_items).cloned().collect(),
            invoice_items_never_expected: if rules.case_policy().is_some() {
                invoice_items
            } else {
                Vec::new()
            },
        }
    }

    /// Per rule file: percentage, lines covered, and the lines never executed.
    pub fn text(&self) -> String {
        let mut s = String::from("coverage of rule files by the scenarios:\n");
        let width = self.files.iter().map(|f| f.rule.len()).max().unwrap_or(0);
        let (mut all, mut covered) = (0, 0);
        for f in &self.files {
            all += f.lines;
            covered += f.covered;
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
        }
        let total = if all == 0 {
            100.0
        } else {
            covered as f64 * 100.0 / all as f64
        };
        s.push_str(&format!("  total {total:.1}% ({covered}/{all} lines)\n"));
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
