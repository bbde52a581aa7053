//! Eligibility: a source is ineligible when a rule gave an `error` finding about it;
//! it then joins no route.

use crate::model::decision::{Finding, Severity};
use std::collections::BTreeSet;

/// The sources named by an `error` finding.
pub(super) fn ineligible_sources(findings: &[Finding]) -> BTreeSet<String> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .filter_map(|f| f.source.clone())
        .collect()
}
