//! The state of one evaluation, shared by the stages: the rule set, the
//! application, its sources as the catalog describes them, the script view built
//! once, and the trace when one is kept.

use crate::catalog::ResolvedSource;
use crate::model::decision::{Decision, Status};
use crate::model::trace::{SettingTrace, Trace};
use crate::model::Application;
use crate::ruleset::RuleSet;
use crate::script::AppView;
use chrono::NaiveDate;

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
    /// Runs a rule call, with the dated settings it read when a trace is kept.
    pub(super) fn watched<R>(&self, call: impl FnOnce() -> R) -> (R, Vec<SettingTrace>) {
        if self.trace.is_none() {
            return (call(), Vec::new());
        }
        let (result, used) = crate::script::helpers::dated::watch(call);
        let settings = used
            .into_iter()
            .map(|u| SettingTrace {
                path: u.path,
                on: u.date,
                value: u.value,
                from: u.from,
                until: u.until,
            })
            .collect();
        (result, settings)
    }

    pub(super) fn note(&mut self, f: impl FnOnce(&mut Trace)) {
        if let Some(t) = self.trace.as_mut() {
            f(t);
        }
    }

    /// A decision with nothing decided yet but its status.
    pub(super) fn empty_decision(&self, status: Status) -> Decision {
        Decision {
            application: self.app.id.clone(),
            input: None,
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
