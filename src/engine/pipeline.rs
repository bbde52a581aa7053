//! One evaluation from start to end: look the sources up, run completeness,
//! eligibility and routing, decide the status, then date each route.

use super::records::Collected;
use super::run::Run;
use super::{completeness, deadline, eligibility, routing, sources};
use crate::catalog::ResolvedSource;
use crate::error::Error;
use crate::model::decision::{Decision, Status};
use crate::model::trace::{StepTrace, Trace};
use crate::script::Stage;
use std::collections::BTreeSet;

/// Decides the application of `run`; gives back the trace when one was kept.
pub(super) fn decide(mut run: Run<'_, '_>) -> (Result<Decision, Error>, Option<Trace>) {
    let result = self::run(&mut run);
    (result, run.trace)
}

fn run<'r>(run: &mut Run<'r, '_>) -> Result<Decision, Error> {
    // No calendar is consulted here: an application that is only redirected, or not
    // yet complete, needs none, whatever its date. A calendar is needed to count a
    // route's due date from complete_on (deadline::route), and a date it cannot place
    // is an error there.
    let received_on = run.received_on;
    let (catalog, app) = (run.rules.catalog(), run.app);
    run.note(|t| {
        t.received_on = Some(received_on);
        t.sources = sources::traces(catalog, app, received_on);
    });

    let custodians: BTreeSet<&'r str> = run
        .sources
        .iter()
        .filter(|s| s.handled_here())
        .filter_map(|s| s.custodian)
        .collect();
    let mut out = Collected::default();
    for stage in [Stage::Completeness, Stage::Eligibility, Stage::Routing] {
        run_stage(run, stage, &custodians, &mut out)?;
        if let Some(redirect) = out.application_redirect.take() {
            run.note(|t| {
                t.stopped = Some(format!(
                    "the {} stage redirected the whole application ({}); nothing else is decided",
                    stage.name(),
                    redirect.reason
                ))
            });
            let mut decision = run.empty_decision(Status::Redirected);
            decision.redirects.push(redirect);
            return Ok(decision);
        }
    }

    let ineligible = eligibility::ineligible_sources(&out.findings);
    let status = status(run, &out, &ineligible);

    // Sources all redirected: this service judges neither completeness nor use.
    if status == Status::Redirected {
        run.note(|t| {
            t.stopped =
                Some("every source has its own form: the application is redirected".to_string())
        });
        let mut decision = run.empty_decision(status);
        decision.redirects = out.redirects;
        decision.sort();
        return Ok(decision);
    }

    let complete_on = completeness::complete_on(run, &out);
    let mut decision = run.empty_decision(status);
    decision.complete_on = complete_on;
    let routes = routing::routes(&out, &ineligible);
    if run.trace.is_some() {
        let dropped = routing::dropped(&out, &ineligible);
        run.note(|t| t.dropped = dropped);
    }
    let routed_sources = routing::routed_sources(&routes);
    for (custodian, route_sources) in routes {
        let start = complete_on.filter(|_| status == Status::Complete);
        let route = deadline::route(run, &custodian, route_sources, &routed_sources, start)?;
        decision.routes.push(route);
    }
    decision.missing = out.missing;
    decision.findings = out.findings;
    decision.redirects = out.redirects;
    decision.sort();
    Ok(decision)
}

/// The status, the first of these that applies: redirected, ineligible,
/// incomplete, complete (contract section 2).
fn status(run: &Run<'_, '_>, out: &Collected, ineligible: &BTreeSet<String>) -> Status {
    let processed: Vec<&ResolvedSource<'_>> =
        run.sources.iter().filter(|s| s.handled_here()).collect();
    let all_own_form = !run.sources.is_empty()
        && run
            .sources
            .iter()
            .all(|s| s.form() == Some(crate::catalog::Form::Own));
    if all_own_form {
        Status::Redirected
    } else if !processed.is_empty() && processed.iter().all(|s| ineligible.contains(&s.id)) {
        Status::Ineligible
    } else if !out.missing.is_empty() {
        Status::Incomplete
    } else {
        Status::Complete
    }
}

/// Runs one stage's rules: the coordinator's with every source, then each
/// custodian's with the sources it holds.
fn run_stage<'r>(
    run: &mut Run<'r, '_>,
    stage: Stage,
    custodians: &BTreeSet<&'r str>,
    out: &mut Collected,
) -> Result<(), Error> {
    let rules = run.rules;
    let groups = std::iter::once((rules.coordinator(), None))
        .chain(custodians.iter().map(|c| (*c, Some(*c))));
    for (group, custodian) in groups {
        let Some(script) = rules.script(group, stage) else {
            continue;
        };
        let sources = match custodian {
            None => run.view.all_sources(),
            Some(c) => run.view.sources_where(|i| {
                let s = &run.sources[i];
                s.handled_here() && s.custodian == Some(c)
            }),
        };
        let (records, settings) =
            run.watched(|| rules.compiled.records(script, stage, &run.view, &sources));
        let records = records?;
        run.note(|t| {
            t.steps.push(StepTrace {
                stage: stage.name().to_string(),
                custodian: custodian.map(str::to_string),
                rule: script.logical.clone(),
                function: stage.signature(),
                returned: records
                    .iter()
                    .map(|r| r.describe(|t| rules.messages.text(run.app.language, t)))
                    .collect(),
                settings,
            })
        });
        for record in records {
            out.absorb(
                rules,
                run.app.language,
                script,
                stage,
                custodian,
                &run.sources,
                record,
            )?;
        }
    }
    Ok(())
}
