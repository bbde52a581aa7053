//! Routing: one route per custodian, holding the eligible sources the rules sent it.

use super::records::Collected;
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
