//! One evaluation from start to end: look the sources up, run completeness,
//! eligibility and routing, decide the status, then date each route.

use super::records::Collected;
use super::{completeness, deadline, eligibility, routing, sources};
use crate::catalog::ResolvedSource;
use crate::error::Error;
use crate::model::decision::{Decision, Status};
use crate::model::trace::{StepTrace, Trace};
use crate::model::Application;
use crate::ruleset::RuleSet;
use crate::script::{AppView, Stage};
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// The state of one evaluation.
pub(super) struct Run<'r, 'a> {
    pub(super) rules: &'r RuleSet,
    pub(super) app: &'a Application,
    pub(super) received_on: NaiveDate,
    /// Each listed source as the catalog describes it on the received date.
    pub(super) sources: Vec<ResolvedSource<'r>>,
    /// The application as scripts see it, built once and shared by every call.
    pub(super) view: AppView,
    /// How the decision is reached, when asked for.
    pub(super) trace: Option<Trace>,
}

impl<'r, 'a> Run<'r, 'a> {
    pub(super) fn new(rules: &'r RuleSet, app: &'a Application, traced: bool) -> Self {
        let received_on = app.received_on();
        let sources = rules
            .catalog()
            .resolve(app.sources.iter().map(|s| s.id.as_str()), received_on);
        let view = AppView::new(app, &sources);
        let trace = traced.then(|| Trace {
            submitted_at: app.submitted_at.as_str().to_string(),
            ..Trace::default()
        });
        Run {
            rules,
            app,
            received_on,
            sources,
            view,
            trace,
        }
    }

    /// Adds to the trace, when one is kept.
    pub(super) fn note(&mut self, f: impl FnOnce(&mut Trace)) {
        if let Some(t) = self.trace.as_mut() {
            f(t);
        }
    }

    /// The decision, and the trace when one was asked for.
    pub(super) fn decide(mut self) -> (Result<Decision, Error>, Option<Trace>) {
        let result = self.run();
        (result, self.trace)
    }

    fn run(&mut self) -> Result<Decision, Error> {
        // No calendar is consulted here: an application that is only redirected, or
        // not yet complete, needs none, whatever its date. A calendar is needed to
        // count a route's due date from complete_on (deadline::route), and a date it
        // cannot place is an error there.
        let received_on = self.received_on;
        let source_traces = sources::traces(self.rules.catalog(), self.app, received_on);
        self.note(|t| {
            t.received_on = Some(received_on);
            t.sources = source_traces;
        });

        let custodians: BTreeSet<&'r str> = self
            .sources
            .iter()
            .filter(|s| s.handled_here())
            .filter_map(|s| s.custodian)
            .collect();
        let mut out = Collected::default();
        for stage in [Stage::Completeness, Stage::Eligibility, Stage::Routing] {
            self.run_stage(stage, &custodians, &mut out)?;
            if let Some(redirect) = out.application_redirect.take() {
                self.note(|t| {
                    t.stopped = Some(format!(
                        "the {} stage redirected the whole application ({}); nothing else is decided",
                        stage.name(),
                        redirect.reason
                    ))
                });
                let mut decision = self.empty_decision(Status::Redirected);
                decision.redirects.push(redirect);
                return Ok(decision);
            }
        }

        let ineligible = eligibility::ineligible_sources(&out.findings);
        let status = self.status(&out, &ineligible);

        // Sources all redirected: this service judges neither completeness nor use.
        if status == Status::Redirected {
            self.note(|t| {
                t.stopped =
                    Some("every source has its own form: the application is redirected".to_string())
            });
            let mut decision = self.empty_decision(status);
            decision.redirects = out.redirects;
            decision.sort();
            return Ok(decision);
        }

        let complete_on = completeness::complete_on(self, &out);
        let mut decision = self.empty_decision(status);
        decision.complete_on = complete_on;
        let routes = routing::routes(&out, &ineligible);
        let routed_sources = routing::routed_sources(&routes);
        for (custodian, route_sources) in routes {
            let start = complete_on.filter(|_| status == Status::Complete);
            let route = deadline::route(self, &custodian, route_sources, &routed_sources, start)?;
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
    fn status(&self, out: &Collected, ineligible: &BTreeSet<String>) -> Status {
        let processed: Vec<&ResolvedSource<'_>> =
            self.sources.iter().filter(|s| s.handled_here()).collect();
        let all_own_form = !self.sources.is_empty()
            && self
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
    fn run_stage(
        &mut self,
        stage: Stage,
        custodians: &BTreeSet<&'r str>,
        out: &mut Collected,
    ) -> Result<(), Error> {
        let rules = self.rules;
        let groups = std::iter::once((rules.coordinator(), None))
            .chain(custodians.iter().map(|c| (*c, Some(*c))));
        for (group, custodian) in groups {
            let Some(script) = rules.script(group, stage) else {
                continue;
            };
            let sources = match custodian {
                None => self.view.all_sources(),
                Some(c) => self.view.sources_where(|i| {
                    let s = &self.sources[i];
                    s.handled_here() && s.custodian == Some(c)
                }),
            };
            let records = rules
                .compiled
                .records(script, stage, &self.view, &sources)?;
            self.note(|t| {
                t.steps.push(StepTrace {
                    stage: stage.name().to_string(),
                    custodian: custodian.map(str::to_string),
                    rule: script.logical.clone(),
                    function: stage.signature(),
                    returned: records.iter().map(|r| r.describe()).collect(),
                })
            });
            for record in records {
                out.absorb(rules, script, stage, custodian, &self.sources, record)?;
            }
        }
        Ok(())
    }

    fn empty_decision(&self, status: Status) -> Decision {
        Decision {
            application: self.app.id.clone(),
            ruleset: self.rules.id(),
            status,
            received_on: self.received_on,
            complete_on: None,
            missing: vec![],
            findings: vec![],
            routes: vec![],
            redirects: vec![],
        }
    }
}
