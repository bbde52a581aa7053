//! The pipeline: application in → completeness → eligibility → routing → deadline →
//! decision out. The coordinator's rules run first in each stage, then the rules of
//! each custodian involved, in custodian order.

use crate::calendar::file::DEFAULT_CALENDAR;
use crate::calendar::DayKind;
use crate::calendar::OutOfRange;
use crate::catalog::{CustodianField, Form};
use crate::model::application::Application;
use crate::model::decision::{Decision, Finding, Missing, Redirect, Route, Severity, Status};
use crate::model::trace::{
    ClockTrace, DeadlineTrace, RequiredArrival, SkippedDay, SourceTrace, StepTrace, Trace,
};
use crate::ruleset::{RuleSet, StageScript};
use crate::script::take_last_position;
use crate::script::view::ResolvedSource;
use crate::script::Stage;
use chrono::Datelike;
use chrono::NaiveDate;
use rhai::{Array, CallFnOptions, Dynamic, EvalAltResult, Map, Scope};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Why an application could not be decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    /// `rule-error` or `date-out-of-range`.
    pub kind: &'static str,
    pub message: String,
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvalError {}

impl From<OutOfRange> for EvalError {
    fn from(e: OutOfRange) -> Self {
        EvalError {
            kind: "date-out-of-range",
            message: e.to_string(),
        }
    }
}

/// What the records of all stages add up to.
#[derive(Debug, Default)]
struct Collected {
    missing: Vec<Missing>,
    findings: Vec<Finding>,
    required_attachments: BTreeSet<String>,
    routes: BTreeMap<String, BTreeSet<String>>,
    redirects: Vec<Redirect>,
    application_redirect: Option<Redirect>,
}

impl RuleSet {
    /// Evaluates one application. Reads no files and compiles nothing.
    pub fn evaluate(&self, app: &Application) -> Result<Decision, EvalError> {
        self.evaluate_traced(app, &mut None)
    }

    /// Evaluates one application and explains how the decision was reached.
    /// On failure, the trace so far comes with the error.
    pub fn explain(&self, app: &Application) -> (Result<Decision, EvalError>, Trace) {
        let mut trace = Some(Trace {
            submitted_at: app.submitted_at.as_str().to_string(),
            ..Trace::default()
        });
        let result = self.evaluate_traced(app, &mut trace);
        (result, trace.unwrap_or_default())
    }

    fn evaluate_traced(
        &self,
        app: &Application,
        trace: &mut Option<Trace>,
    ) -> Result<Decision, EvalError> {
        let received_on = app.received_on();
        let national = self
            .calendars()
            .get(DEFAULT_CALENDAR)
            .ok_or_else(|| rule_error(format!("no calendar '{DEFAULT_CALENDAR}'")))?;
        national
            .is_working_day(received_on)
            .map_err(|e| EvalError {
                kind: "date-out-of-range",
                message: format!("submitted_at {}: its Oslo {e}", app.submitted_at),
            })?;

        let sources = self.resolve_sources(app, received_on);
        if let Some(t) = trace.as_mut() {
            t.received_on = Some(received_on);
            t.sources = self.source_traces(app, received_on);
        }
        let view = self.script_view(app, &sources);
        let view_value = Dynamic::from(view.clone());
        let custodians: BTreeSet<String> = sources
            .iter()
            .filter(|s| s.known && s.form == Some(Form::Helsedataservice))
            .filter_map(|s| s.custodian.clone())
            .collect();

        let mut out = Collected::default();
        for stage in [Stage::Completeness, Stage::Eligibility, Stage::Routing] {
            self.run_stage(
                stage,
                &view,
                &view_value,
                &custodians,
                &sources,
                &mut out,
                trace,
            )?;
            if let Some(redirect) = out.application_redirect.take() {
                if let Some(t) = trace.as_mut() {
                    t.stopped = Some(format!(
                        "the {} stage redirected the whole application ({}); nothing else is decided",
                        stage.name(),
                        redirect.reason
                    ));
                }
                let mut decision = self.empty_decision(app, received_on, Status::Redirected);
                decision.redirects.push(redirect);
                return Ok(decision);
            }
        }

        let ineligible: BTreeSet<&str> = out
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .filter_map(|f| f.source.as_deref())
            .collect();
        let processed: Vec<&ResolvedSource> = sources
            .iter()
            .filter(|s| s.known && s.form == Some(Form::Helsedataservice))
            .collect();

        let status = if !sources.is_empty() && sources.iter().all(|s| s.form == Some(Form::Own)) {
            Status::Redirected
        } else if !processed.is_empty()
            && processed.iter().all(|s| ineligible.contains(s.id.as_str()))
        {
            Status::Ineligible
        } else if !out.missing.is_empty() {
            Status::Incomplete
        } else {
            Status::Complete
        };

        // Sources all redirected: this service judges neither completeness nor use.
        if status == Status::Redirected {
            if let Some(t) = trace.as_mut() {
                t.stopped = Some(
                    "every source has its own form: the application is redirected".to_string(),
                );
            }
            let mut decision = self.empty_decision(app, received_on, status);
            decision.redirects = out.redirects;
            decision.sort();
            return Ok(decision);
        }

        let complete_on = out
            .missing
            .is_empty()
            .then(|| complete_on(app, received_on, &out.required_attachments));
        if let Some(t) = trace.as_mut() {
            t.clock = Some(ClockTrace {
                received_on,
                required: out
                    .required_attachments
                    .iter()
                    .map(|kind| RequiredArrival {
                        kind: kind.clone(),
                        arrived_on: first_arrival(app, kind),
                    })
                    .collect(),
                complete_on,
            });
        }

        let mut decision = self.empty_decision(app, received_on, status);
        decision.complete_on = complete_on;
        for (custodian, route_sources) in &out.routes {
            let kept: Vec<String> = route_sources
                .iter()
                .filter(|s| !ineligible.contains(s.as_str()))
                .cloned()
                .collect();
            if kept.is_empty() {
                continue;
            }
            let (mut route, rules) = self.deadline(&view_value, custodian, kept, trace)?;
            if status == Status::Complete {
                if let Some(start) = complete_on {
                    let calendar = self.calendars().get(&route.calendar).ok_or_else(|| {
                        rule_error(format!(
                            "route of '{custodian}': no calendar '{}'",
                            route.calendar
                        ))
                    })?;
                    route.clock_start = Some(start);
                    let due = calendar.add_working_days(start, route.working_days).map_err(|e| EvalError {
                        kind: "date-out-of-range",
                        message: format!(
                            "route {custodian}: {} working days after complete_on {start}: {e}; check submitted_at and attachments[].received_at",
                            route.working_days
                        ),
                    })?;
                    route.due = Some(due);
                }
            }
            if let Some(t) = trace.as_mut() {
                t.deadlines.push(self.deadline_trace(&route, rules));
            }
            decision.routes.push(route);
        }
        decision.missing = out.missing;
        decision.findings = out.findings;
        decision.redirects = out.redirects;
        decision.sort();
        Ok(decision)
    }

    fn empty_decision(
        &self,
        app: &Application,
        received_on: NaiveDate,
        status: Status,
    ) -> Decision {
        Decision {
            application: app.id.clone(),
            ruleset: self.id(),
            status,
            received_on,
            complete_on: None,
            missing: vec![],
            findings: vec![],
            routes: vec![],
            redirects: vec![],
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn run_stage(
        &self,
        stage: Stage,
        view: &Map,
        view_value: &Dynamic,
        custodians: &BTreeSet<String>,
        resolved: &[ResolvedSource],
        out: &mut Collected,
        trace: &mut Option<Trace>,
    ) -> Result<(), EvalError> {
        let coordinator = self.coordinator().to_string();
        let groups = std::iter::once((coordinator.as_str(), None))
            .chain(custodians.iter().map(|c| (c.as_str(), Some(c.as_str()))));
        for (group, custodian) in groups {
            let Some(script) = self.script(group, stage) else {
                continue;
            };
            let sources = self.sources_for(view, resolved, custodian);
            let result = self.call(script, stage, view_value, &Dynamic::from(sources))?;
            let records = records(script, stage, result)?;
            if let Some(t) = trace.as_mut() {
                t.steps.push(StepTrace {
                    stage: stage.name().to_string(),
                    custodian: custodian.map(str::to_string),
                    rule: script.logical.clone(),
                    function: stage.signature(),
                    returned: records.iter().map(describe_record).collect(),
                });
            }
            for record in records {
                self.collect(script, stage, custodian, resolved, record, out)?;
            }
        }
        Ok(())
    }

    /// Calls a stage function with `(app, second)`. An error Rhai reports without a
    /// position is placed by running the same call again on the locating engine.
    fn call(
        &self,
        script: &StageScript,
        stage: Stage,
        app: &Dynamic,
        second: &Dynamic,
    ) -> Result<Dynamic, EvalError> {
        let options = || CallFnOptions::new().eval_ast(false).rewind_scope(true);
        let run = |engine: &rhai::Engine| {
            engine.call_fn_with_options::<Dynamic>(
                options(),
                &mut Scope::new(),
                &script.ast,
                stage.name(),
                (app.clone(), second.clone()),
            )
        };
        run(&self.engine).map_err(|e| {
            let mut located = None;
            if innermost(&e).position().is_none() {
                take_last_position();
                let _ = run(&self.locator);
                located = take_last_position();
            }
            script_error(script, stage, &e, located)
        })
    }

    /// Turns one record into its part of the decision.
    fn collect(
        &self,
        script: &StageScript,
        stage: Stage,
        custodian: Option<&str>,
        resolved: &[ResolvedSource],
        record: Map,
        out: &mut Collected,
    ) -> Result<(), EvalError> {
        let bad = |msg: String| shape_error(script, stage, msg);
        let kind = text(&record, "record").unwrap_or_default();
        let source = text(&record, "source");
        // A coordinator record about one source concerns that source's custodian.
        let owner = custodian.map(str::to_string).or_else(|| {
            source
                .as_deref()
                .and_then(|s| resolved.iter().find(|r| r.id == s))
                .and_then(|r| r.custodian.clone())
        });
        let allowed: &[&str] = match stage {
            Stage::Completeness => &["missing", "finding", "require_attachment"],
            Stage::Eligibility => &["finding", "redirect"],
            Stage::Routing => &["route", "redirect", "finding"],
            Stage::Deadline => &[],
        };
        if !allowed.contains(&kind.as_str()) {
            return Err(bad(format!(
                "returned a {} record; the {} stage takes records made with {}",
                if kind.is_empty() {
                    "malformed".to_string()
                } else {
                    format!("'{kind}'")
                },
                stage.name(),
                allowed
                    .iter()
                    .map(|a| format!("{a}()"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        match kind.as_str() {
            "missing" => {
                let item = non_empty(&record, "item")
                    .ok_or_else(|| bad("missing() needs a non-empty item".into()))?;
                out.missing.push(Missing {
                    item,
                    custodian: owner,
                    source,
                    message: text(&record, "message").unwrap_or_default(),
                });
            }
            "finding" => {
                let code = non_empty(&record, "code")
                    .ok_or_else(|| bad("finding() needs a non-empty code".into()))?;
                let severity = text(&record, "severity").unwrap_or_default();
                let severity = Severity::parse(&severity).ok_or_else(|| {
                    bad(format!("finding '{code}' has severity '{severity}'; expected info, warning or error"))
                })?;
                out.findings.push(Finding {
                    code,
                    severity,
                    custodian: owner,
                    source,
                    message: text(&record, "message").unwrap_or_default(),
                    rule: script.logical.clone(),
                });
            }
            "require_attachment" => {
                let kind = non_empty(&record, "kind")
                    .filter(|k| ["sample_table", "variable_list", "other"].contains(&k.as_str()))
                    .ok_or_else(|| {
                        bad(
                            "require_attachment() expects sample_table, variable_list or other"
                                .into(),
                        )
                    })?;
                out.required_attachments.insert(kind);
            }
            "route" => {
                let source = source.ok_or_else(|| bad("route() needs a source".into()))?;
                let to = non_empty(&record, "custodian")
                    .ok_or_else(|| bad("route() needs a custodian".into()))?;
                if self.catalog().custodian(&to).is_none() {
                    return Err(bad(format!(
                        "route() names custodian '{to}', which is not in the catalog"
                    )));
                }
                out.routes.entry(to).or_default().insert(source);
            }
            "redirect" => {
                let redirect = Redirect {
                    source: source.clone(),
                    reason: non_empty(&record, "reason")
                        .ok_or_else(|| bad("redirect() needs a reason".into()))?,
                    form_url: text(&record, "form_url"),
                };
                if source.is_none() {
                    out.application_redirect = Some(redirect);
                } else {
                    out.redirects.push(redirect);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Runs the deadline rules for one route: the coordinator's, then the custodian's.
    fn deadline(
        &self,
        view_value: &Dynamic,
        custodian: &str,
        sources: Vec<String>,
        trace: &mut Option<Trace>,
    ) -> Result<(Route, Vec<String>), EvalError> {
        let mut route = Map::new();
        route.insert("custodian".into(), custodian.into());
        route.insert(
            "sources".into(),
            sources
                .iter()
                .cloned()
                .map(Dynamic::from)
                .collect::<Array>()
                .into(),
        );
        route.insert("working_days".into(), Dynamic::UNIT);
        route.insert("reason".into(), Dynamic::UNIT);
        route.insert("calendar".into(), DEFAULT_CALENDAR.into());
        let coordinator = self.coordinator().to_string();
        let mut decided_by: Option<&StageScript> = None;
        let mut rules = Vec::new();
        for group in [coordinator.as_str(), custodian] {
            let Some(script) = self.script(group, Stage::Deadline) else {
                continue;
            };
            let result = self.call(
                script,
                Stage::Deadline,
                view_value,
                &Dynamic::from(route.clone()),
            )?;
            if let Some(t) = trace.as_mut() {
                t.steps.push(StepTrace {
                    stage: Stage::Deadline.name().to_string(),
                    custodian: Some(custodian.to_string()),
                    rule: script.logical.clone(),
                    function: Stage::Deadline.signature(),
                    returned: vec![describe_value(&result)],
                });
            }
            if result.is_unit() {
                continue;
            }
            rules.push(script.logical.clone());
            let Some(update) = result.read_lock::<Map>().map(|m| m.clone()) else {
                return Err(shape_error(
                    script,
                    Stage::Deadline,
                    format!("returned {}; expected a map such as #{{working_days: 30, reason: \"...\"}} or ()", result.type_name()),
                ));
            };
            for (key, value) in update {
                if !["working_days", "reason", "calendar"].contains(&key.as_str()) {
                    return Err(shape_error(
                        script,
                        Stage::Deadline,
                        format!("returned unknown key '{key}'; expected working_days, reason or calendar"),
                    ));
                }
                route.insert(key, value);
            }
            decided_by = Some(script);
        }
        let blame = |msg: String| match decided_by {
            Some(s) => shape_error(s, Stage::Deadline, msg),
            None => rule_error(format!(
                "no deadline rule decided the route of '{custodian}'"
            )),
        };
        let working_days = route
            .get("working_days")
            .and_then(|d| d.as_int().ok())
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                blame(format!(
                    "route of '{custodian}': working_days must be a whole number above 0"
                ))
            })?;
        let calendar = text(&route, "calendar").unwrap_or_default();
        if self.calendars().get(&calendar).is_none() {
            return Err(blame(format!(
                "route of '{custodian}': calendar '{calendar}' does not exist; expected one of: {}",
                self.calendars().names().collect::<Vec<_>>().join(", ")
            )));
        }
        let route = Route {
            custodian: custodian.to_string(),
            sources,
            working_days,
            calendar,
            clock_start: None,
            due: None,
            reason: text(&route, "reason").unwrap_or_default(),
        };
        Ok((route, rules))
    }

    /// The catalog entry of each listed source on the received date.
    fn source_traces(&self, app: &Application, on: NaiveDate) -> Vec<SourceTrace> {
        app.sources
            .iter()
            .map(|s| match self.catalog().source_on(&s.id, on) {
                None => SourceTrace {
                    id: s.id.clone(),
                    known: false,
                    name: None,
                    custodian: None,
                    custodian_periods: vec![],
                    form: None,
                    form_url: None,
                    purposes: vec![],
                },
                Some(found) => SourceTrace {
                    id: s.id.clone(),
                    known: true,
                    name: Some(found.entry.name_en.clone()),
                    custodian: found.custodian.map(str::to_string),
                    custodian_periods: match &found.entry.custodian {
                        CustodianField::Dated(periods) => periods
                            .iter()
                            .map(|p| match (p.from, p.until) {
                                (Some(f), Some(u)) => format!("{} from {f} until {u}", p.custodian),
                                (Some(f), None) => format!("{} from {f}", p.custodian),
                                (None, Some(u)) => format!("{} until {u}", p.custodian),
                                (None, None) => p.custodian.clone(),
                            })
                            .collect(),
                        _ => vec![],
                    },
                    form: Some(found.entry.form.as_str().to_string()),
                    form_url: found.entry.form_url.clone(),
                    purposes: found.entry.purposes.clone(),
                },
            })
            .collect()
    }

    /// How a route's due date was counted, with the named days skipped.
    fn deadline_trace(&self, route: &Route, rules: Vec<String>) -> DeadlineTrace {
        let skipped = match (
            route.clock_start,
            route.due,
            self.calendars().get(&route.calendar),
        ) {
            (Some(start), Some(due), Some(cal)) => cal
                .named_days_between(start, due)
                .into_iter()
                .map(|d| SkippedDay {
                    date: d.date,
                    name: d.name.clone(),
                    kind: match d.kind {
                        DayKind::Holiday => "holiday".to_string(),
                        DayKind::Closure => "closure".to_string(),
                    },
                    weekend: matches!(
                        d.date.weekday(),
                        chrono::Weekday::Sat | chrono::Weekday::Sun
                    ),
                })
                .collect(),
            _ => vec![],
        };
        DeadlineTrace {
            custodian: route.custodian.clone(),
            sources: route.sources.clone(),
            rules,
            working_days: route.working_days,
            reason: route.reason.clone(),
            calendar: route.calendar.clone(),
            clock_start: route.clock_start,
            due: route.due,
            skipped,
        }
    }
}

/// The first arrival of an attachment of `kind`.
fn first_arrival(app: &Application, kind: &str) -> Option<NaiveDate> {
    app.attachments
        .iter()
        .filter(|a| a.kind.as_str() == kind)
        .map(|a| app.attachment_received_on(a))
        .min()
}

/// One record in words, for the trace.
fn describe_record(record: &Map) -> String {
    let get = |k: &str| text(record, k).unwrap_or_default();
    let about = |s: String| {
        if s.is_empty() {
            String::new()
        } else {
            format!(" [{s}]")
        }
    };
    match get("record").as_str() {
        "missing" => format!(
            "missing {}{}: {}",
            get("item"),
            about(get("source")),
            get("message")
        ),
        "finding" => format!(
            "finding {} ({}){}: {}",
            get("code"),
            get("severity"),
            about(get("source")),
            get("message")
        ),
        "require_attachment" => format!("requires attachment {}", get("kind")),
        "route" => format!("route {} to {}", get("source"), get("custodian")),
        "redirect" => {
            let source =
                text(record, "source").unwrap_or_else(|| "the whole application".to_string());
            format!("redirect {source}: {} {}", get("reason"), get("form_url"))
                .trim_end()
                .to_string()
        }
        other => format!("{other} record"),
    }
}

/// A deadline rule's answer in words, for the trace.
fn describe_value(value: &Dynamic) -> String {
    if value.is_unit() {
        return "() (keeps the route as it is)".to_string();
    }
    match value.read_lock::<Map>() {
        Some(m) => {
            let parts: Vec<String> = m.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            format!("#{{{}}}", parts.join(", "))
        }
        None => value.to_string(),
    }
}

/// `complete_on`: the later of the received date and, for each required attachment
/// kind, the first arrival of an attachment of that kind.
fn complete_on(
    app: &Application,
    received_on: NaiveDate,
    required: &BTreeSet<String>,
) -> NaiveDate {
    let mut latest = received_on;
    for kind in required {
        let first = app
            .attachments
            .iter()
            .filter(|a| a.kind.as_str() == kind)
            .map(|a| app.attachment_received_on(a))
            .min();
        if let Some(date) = first {
            latest = latest.max(date);
        }
    }
    latest
}

/// The records a stage function returned: an array of maps, one map, or `()`.
fn records(script: &StageScript, stage: Stage, value: Dynamic) -> Result<Vec<Map>, EvalError> {
    if value.is_unit() {
        return Ok(vec![]);
    }
    if let Some(m) = value.read_lock::<Map>() {
        return Ok(vec![m.clone()]);
    }
    let Some(items) = value.read_lock::<Array>().map(|a| a.clone()) else {
        return Err(shape_error(
            script,
            stage,
            format!(
                "returned {}; expected an array of records",
                value.type_name()
            ),
        ));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            item.read_lock::<Map>().map(|m| m.clone()).ok_or_else(|| {
                shape_error(
                    script,
                    stage,
                    format!("returned {} at index {i}; expected records made with missing(), finding(), ...", item.type_name()),
                )
            })
        })
        .collect()
}

fn text(m: &Map, key: &str) -> Option<String> {
    m.get(key).filter(|v| !v.is_unit()).map(|v| v.to_string())
}

fn non_empty(m: &Map, key: &str) -> Option<String> {
    text(m, key).filter(|s| !s.trim().is_empty())
}

fn rule_error(message: String) -> EvalError {
    EvalError {
        kind: "rule-error",
        message,
    }
}

fn shape_error(script: &StageScript, stage: Stage, message: String) -> EvalError {
    rule_error(format!(
        "{}: function {}: {message}",
        script.display,
        stage.name()
    ))
}

/// The error inside any function-call wrappers.
fn innermost(err: &EvalAltResult) -> &EvalAltResult {
    let mut inner = err;
    while let EvalAltResult::ErrorInFunctionCall(_, _, e, _) = inner {
        inner = e;
    }
    inner
}

fn script_error(
    script: &StageScript,
    stage: Stage,
    err: &EvalAltResult,
    located: Option<(usize, usize)>,
) -> EvalError {
    let inner = innermost(err);
    let pos = inner.position();
    let (line, column) = match (pos.line(), located) {
        (Some(l), _) => (Some(l), pos.position()),
        (None, Some((l, c))) => (Some(l), Some(c)),
        (None, None) => (None, None),
    };
    let at = match (line, column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}", script.display),
        (Some(l), None) => format!("{}:{l}", script.display),
        _ => script.display.clone(),
    };
    let what = match inner {
        EvalAltResult::ErrorTooManyOperations(_) => {
            "stopped after too many operations (does a loop never end?)".to_string()
        }
        EvalAltResult::ErrorStackOverflow(_) => "stopped: calls nested too deep".to_string(),
        EvalAltResult::ErrorDataTooLarge(what, _) => format!("stopped: {what} grew too large"),
        other => {
            let mut s = other.to_string();
            if let Some(i) = s.rfind(" (line ") {
                s.truncate(i);
            }
            s
        }
    };
    rule_error(format!("{at}: function {}: {what}", stage.name()))
}
