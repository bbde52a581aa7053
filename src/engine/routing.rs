//! Routing: one route per custodian, holding the eligible sources the rules sent it.

use super::records::Collected;
use crate::model::decision::Severity;
use crate::model::trace::DroppedRoute;
use std::collections::BTreeSet;

/// Each custodian with the sources routed to it that are not ineligible, in
/// custodian order; custodians left with no source get no route.
pub(super) fn routes(out: &Collected, ineligible: &BTreeSet<String>) -> Vec<(String, Vec<String>)> {
    out.routes
        .iter()
        .map(|(custodian, sources)| {
            let kept: Vec<String> = sources
                .iter()
                .filter(|s| !ineligible.contains(*s))
                .cloned()
                .collect();
            (custodian.clone(), kept)
        })
        .filter(|(_, kept)| !kept.is_empty())
        .collect()
}

/// Every source that joins a route, distinct and in id order: the sources the
/// application's routes process together.
pub(super) fn routed_sources(routes: &[(String, Vec<String>)]) -> Vec<String> {
    routes
        .iter()
        .flat_map(|(_, sources)| sources.iter().cloned())
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect()
}

/// Each source routed to a custodian that [`routes`] leaves out as ineligible, with
/// the `error` findings that name it (for the trace).
pub(super) fn dropped(out: &Collected, ineligible: &BTreeSet<String>) -> Vec<DroppedRoute> {
    out.routes
        .iter()
        .flat_map(|(custodian, sources)| {
            sources
                .iter()
                .filter(|s| ineligible.contains(*s))
                .map(move |source| DroppedRoute {
                    custodian: custodian.clone(),
                    source: source.clone(),
                    because: out
                        .findings
                        .iter()
                        .filter(|f| {
                            f.severity == Severity::Error && f.source.as_ref() == Some(source)
                        })
                        .map(|f| format!("{} ({})", f.code, f.rule))
                        .collect(),
                })
        })
        .collect()
}
