//! The report of a scenario run (`hds test`): how each scenario came out and every
//! expectation it missed. Output data like the decision, written as JSON by
//! `hds test --format json` and as text or JUnit XML by `render::report`.

use serde::Serialize;
use std::collections::BTreeSet;

/// One difference between what a scenario expects and what came out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The field that differs, e.g. `routes[custodian=niph].due`.
    pub path: String,
    /// What the scenario expects there.
    pub expected: String,
    /// What the decision holds there.
    pub got: String,
    /// Where the value that came out was made, from the decision's trace: the rule
    /// file and line, e.g. `rules/niph/deadline.rhai:12 (fn deadline)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// How one scenario came out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The decision matched every expectation.
    Passed,
    /// At least one expectation was not met, or the scenario could not run.
    Failed,
    /// Marked `skip`; not run.
    Skipped,
}

/// The result of one scenario (or of a scenario file that could not be read).
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The scenario file, as given.
    pub file: String,
    /// The line where the scenario starts.
    pub line: usize,
    /// The scenario's name, unique within its file.
    pub name: String,
    /// The rule it pins down, in words.
    pub description: String,
    /// Passed, failed or skipped.
    pub verdict: Verdict,
    /// Why a scenario was skipped, or why it could not run at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Every expectation that was not met.
    pub differences: Vec<Difference>,
    /// For a failed scenario, a shell command that runs it again alone, e.g.
    /// `hds test tests/scenarios/x.yaml --filter 'late sample table'`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rerun: Option<String>,
    /// How long the scenario took (JUnit's `time`; left out of the JSON report, so
    /// it stays the same from run to run).
    #[serde(skip)]
    pub time: std::time::Duration,
}

/// Every outcome of a run, in file and scenario order.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// One per scenario (or unreadable file), in order.
    pub outcomes: Vec<Outcome>,
    /// How many passed.
    pub passed: usize,
    /// How many failed.
    pub failed: usize,
    /// How many were skipped.
    pub skipped: usize,
    /// Finding codes the scenarios expect to be present.
    #[serde(skip)]
    pub expected_codes: BTreeSet<String>,
    /// Missing items the scenarios expect to be present.
    #[serde(skip)]
    pub expected_items: BTreeSet<String>,
    /// Invoice line items the scenarios expect to be present.
    #[serde(skip)]
    pub expected_invoice_items: BTreeSet<String>,
}

impl Report {
    /// Adds an outcome at the end and counts its verdict.
    pub fn push(&mut self, o: Outcome) {
        match o.verdict {
            Verdict::Passed => self.passed += 1,
            Verdict::Failed => self.failed += 1,
            Verdict::Skipped => self.skipped += 1,
        }
        self.outcomes.push(o);
    }
}

/// What `hds test --bless` did with one expectation of a failing scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blessed {
    /// The scenario file.
    pub file: String,
    /// The line of the expectation (or of the scenario, when no field is named).
    pub line: usize,
    /// The scenario's name (with ` @ <date>` for one of a case scenario's checks).
    pub scenario: String,
    /// The field, as a difference names it (`routes[custodian=niph].due`); empty
    /// for the scenario as a whole.
    pub field: String,
    /// Rewritten, or left for a person to edit and why.
    pub change: BlessChange,
}

/// Whether an expectation was rewritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlessChange {
    /// The value was replaced in the file.
    Rewritten {
        /// The value the scenario expected.
        old: String,
        /// The value that came out, now expected.
        new: String,
    },
    /// Not rewritten: why, and what to do by hand.
    Left {
        /// Why it was not rewritten.
        why: String,
    },
}
