//! The decision (contract section 2): what the engine says about one application.

use chrono::NaiveDate;
use serde::Serialize;

/// One decision. Field order is the contract's and is kept on output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub application: String,
    pub ruleset: RulesetId,
    pub status: Status,
    pub received_on: NaiveDate,
    pub complete_on: Option<NaiveDate>,
    pub missing: Vec<Missing>,
    pub findings: Vec<Finding>,
    pub routes: Vec<Route>,
    pub redirects: Vec<Redirect>,
}

/// Which rule set decided, down to the byte.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulesetId {
    pub name: String,
    pub version: String,
    pub fingerprint: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Redirected,
    Ineligible,
    Incomplete,
    Complete,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Redirected => "redirected",
            Status::Ineligible => "ineligible",
            Status::Incomplete => "incomplete",
            Status::Complete => "complete",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Missing {
    pub item: String,
    pub custodian: Option<String>,
    pub source: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    pub custodian: Option<String>,
    pub source: Option<String>,
    pub message: String,
    /// The rule file that said it, e.g. `rules/helsedataservice/eligibility.rhai`.
    pub rule: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Route {
    pub custodian: String,
    pub sources: Vec<String>,
    pub working_days: u32,
    pub calendar: String,
    pub clock_start: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Redirect {
    pub source: Option<String>,
    pub reason: String,
    pub form_url: Option<String>,
}

impl Decision {
    /// Puts every list in its canonical order, so equal decisions give equal bytes.
    pub fn sort(&mut self) {
        self.missing.sort();
        self.missing.dedup();
        self.findings.sort_by(|a, b| {
            (&a.custodian, &a.source, &a.code, &a.message, &a.rule).cmp(&(
                &b.custodian,
                &b.source,
                &b.code,
                &b.message,
                &b.rule,
            ))
        });
        self.findings.dedup();
        for r in &mut self.routes {
            r.sources.sort();
            r.sources.dedup();
        }
        self.routes.sort_by(|a, b| a.custodian.cmp(&b.custodian));
        self.redirects.sort();
        self.redirects.dedup();
    }
}
