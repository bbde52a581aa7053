//! The pipeline: application in → completeness → eligibility → routing → deadline
//! → decision out. The coordinator's rules run first in each stage, then the rules
//! of each custodian involved, in custodian order. One file per stage; `pipeline`
//! runs them in order and assembles the decision.
//!
//! May use: `ruleset`, `script` (through its typed views and outputs only),
//! `calendar`, `catalog`, `model`, `error`.

mod completeness;
mod deadline;
mod eligibility;
mod pipeline;
mod records;
mod routing;
mod run;
mod sources;
pub mod trial;

use crate::error::Error;
use crate::model::trace::Trace;
use crate::model::{Application, Decision};
use crate::ruleset::RuleSet;

/// Evaluates applications against one loaded rule set. Reads no files and compiles
/// nothing: everything it needs was compiled when the rule set loaded.
///
/// ```
/// let rules = hds::RuleSet::built_in().expect("the built-in rule set loads");
/// let record = hds::input::parse_yaml("a.yaml", "id: A\nsubmitted_at: 2026-03-02\ndata_kind: identifiable\n");
/// let app = record.result.expect("readable");
/// let decision = hds::Evaluator::new(&rules).evaluate(&app).expect("decided");
/// assert_eq!(decision.status.as_str(), "redirected");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Evaluator<'r> {
    rules: &'r RuleSet,
}

impl<'r> Evaluator<'r> {
    /// An evaluator for `rules`.
    pub fn new(rules: &'r RuleSet) -> Self {
        Evaluator { rules }
    }

    /// Decides one application.
    pub fn evaluate(&self, app: &Application) -> Result<Decision, Error> {
        pipeline::decide(run::Run::new(self.rules, app, false)).0
    }

    /// Decides one application and explains how the decision was reached. On
    /// failure, the trace so far comes with the error.
    pub fn explain(&self, app: &Application) -> (Result<Decision, Error>, Trace) {
        let (result, trace) = pipeline::decide(run::Run::new(self.rules, app, true));
        (result, trace.unwrap_or_default())
    }
}
