//! What a scenario expects: a partial decision, a partial case status (or an error
//! record). Only the fields given under `expect` are checked. A list given as `findings` is compared whole
//! (same number of items, each matching one item, in any order); `findings_include`
//! items must each be present, `findings_exclude` items must all be absent. A field
//! left out is not checked; where a field says so, `null` means "must be null".

use chrono::NaiveDate;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// Deserialises a field that is present (even as `null`) into `Some`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// Deserialises a field that may be `null` into `Some(None)`, and a value into
/// `Some(Some(_))`; a field left out stays `None` (not checked).
fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A date a scenario expects, written `YYYY-MM-DD`. Anything else is an error in
/// the scenario file at its line, never a difference found when comparing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day(pub NaiveDate);

impl Day {
    /// Reads `YYYY-MM-DD` (four, two and two digits) naming a day of the calendar.
    pub fn parse(text: &str) -> Option<Day> {
        let shape = text.len() == 10
            && text.char_indices().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !shape {
            return None;
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(Day)
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Day::parse(&text).ok_or_else(|| {
            D::Error::custom(format!(
                "'{text}' is not a date of the calendar; expected a date YYYY-MM-DD"
            ))
        })
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A decision status a scenario may expect.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExpectedStatus {
    /// The application is processed elsewhere.
    Redirected,
    /// No source handled here may be used for the purpose.
    Ineligible,
    /// Something required is missing.
    Incomplete,
    /// Nothing is missing; every route has a due date.
    Complete,
}

/// A finding severity a scenario may expect.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExpectedSeverity {
    /// For information.
    Info,
    /// Worth a caseworker's attention.
    Warning,
    /// Makes the source it names ineligible.
    Error,
}

/// The partial decision a scenario expects.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The application id the decision (or error record) carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
    /// The rule set that decided; only the fields given are checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ruleset: Option<ExpectRuleset>,
    /// The decision's status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ExpectedStatus>,
    /// The received date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub received_on: Option<Day>,
    /// The completion date, `YYYY-MM-DD`, or `null` for "must be null".
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<Option<String>>")]
    pub complete_on: Option<Option<Day>>,
    /// The whole `missing` list: the same number of items, each matching a different
    /// actual item, in any order; `[]` means nothing missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<ExpectMissing>>,
    /// Missing items that must each be present (others allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_include: Option<Vec<ExpectMissing>>,
    /// Missing items none of which may be present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_exclude: Option<Vec<ExpectMissing>>,
    /// The whole `findings` list: the same number of items, each matching a different
    /// actual item, in any order; `[]` means no findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<ExpectFinding>>,
    /// Findings that must each be present (others allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings_include: Option<Vec<ExpectFinding>>,
    /// Findings none of which may be present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings_exclude: Option<Vec<ExpectFinding>>,
    /// The whole `routes` list: the same number of items, each matching a different
    /// actual item, in any order; `[]` means no routes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routes: Option<Vec<ExpectRoute>>,
    /// Routes that must each be present (others allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routes_include: Option<Vec<ExpectRoute>>,
    /// Routes none of which may be present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routes_exclude: Option<Vec<ExpectRoute>>,
    /// The whole `redirects` list: the same number of items, each matching a
    /// different actual item, in any order; `[]` means no redirects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirects: Option<Vec<ExpectRedirect>>,
    /// Redirects that must each be present (others allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirects_include: Option<Vec<ExpectRedirect>>,
    /// Redirects none of which may be present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirects_exclude: Option<Vec<ExpectRedirect>>,
    /// The record is an error record (bad input or a failing rule), not a decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ExpectError>,
    /// Case statuses: the case id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// Case statuses: the state of the whole case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<ExpectedCaseState>,
    /// Case statuses: the whole `actions` list, in any order; `[]` means nothing due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<ExpectAction>>,
    /// Case statuses: actions that must each be present (others allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions_include: Option<Vec<ExpectAction>>,
    /// Case statuses: actions none of which may be present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions_exclude: Option<Vec<ExpectAction>>,
    /// Case statuses: the partial decision of the application in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Box<Expect>>,
}

/// Fields of a decision that a case status does not have.
const DECISION_ONLY: &[&str] = &[
    "application",
    "status",
    "missing",
    "missing_include",
    "missing_exclude",
    "redirects",
    "redirects_include",
    "redirects_exclude",
];

/// Fields of a case status that a decision does not have.
const CASE_ONLY: &[&str] = &[
    "case",
    "state",
    "actions",
    "actions_include",
    "actions_exclude",
    "decision",
];

/// Fields of a decision's route that a case status's route does not have.
const ROUTE_DECISION_ONLY: &[&str] = &[
    "sources",
    "calendar",
    "clock_start",
    "reason",
    "reason_contains",
];

/// Fields of a case status's route that a decision's route does not have.
const ROUTE_CASE_ONLY: &[&str] = &[
    "state",
    "due_now",
    "paused_days",
    "working_days_left",
    "overdue_by",
    "closed_on",
];

impl Expect {
    /// The first field given that the expected record does not have (a case
    /// status's field in a decision's expectation, or the other way round), as a
    /// path below `expect` (`routes[0].state`), with what it belongs to.
    pub fn misplaced(&self, case: bool) -> Option<(String, &'static str)> {
        let Ok(Value::Object(fields)) = serde_json::to_value(self) else {
            return None;
        };
        let (wrong, wrong_in_route, belongs) = if case {
            (DECISION_ONLY, ROUTE_DECISION_ONLY, "a decision")
        } else {
            (CASE_ONLY, ROUTE_CASE_ONLY, "a case status")
        };
        for (key, value) in &fields {
            if wrong.contains(&key.as_str()) {
                return Some((key.clone(), belongs));
            }
            if key.starts_with("routes") {
                for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                    let bad = item
                        .as_object()
                        .and_then(|o| o.keys().find(|k| wrong_in_route.contains(&k.as_str())));
                    if let Some(k) = bad {
                        return Some((format!("{key}[{i}].{k}"), belongs));
                    }
                }
            }
        }
        let inner = self.decision.as_ref()?.misplaced(false)?;
        Some((format!("decision.{}", inner.0), inner.1))
    }
}

/// A case state a scenario may expect.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExpectedCaseState {
    /// At least one route is open.
    Open,
    /// Every route is closed.
    Closed,
    /// The applicant withdrew the application.
    Withdrawn,
    /// The application was dismissed.
    Dismissed,
    /// The application is processed elsewhere.
    Redirected,
    /// No source may be used for the purpose.
    Ineligible,
    /// Something required is missing.
    Incomplete,
}

/// A route state of a case status a scenario may expect.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema)]
pub enum ExpectedRouteState {
    /// The case was withdrawn.
    #[serde(rename = "withdrawn")]
    Withdrawn,
    /// The case was dismissed.
    #[serde(rename = "dismissed")]
    Dismissed,
    /// The custodian delivered.
    #[serde(rename = "delivered")]
    Delivered,
    /// An appeal against the refusal is pending, or was upheld.
    #[serde(rename = "appealed")]
    Appealed,
    /// Access was refused.
    #[serde(rename = "refused")]
    Refused,
    /// Past `due_now` and not closed.
    #[serde(rename = "overdue")]
    Overdue,
    /// A question to the applicant is open.
    #[serde(rename = "waiting")]
    Waiting,
    /// A postponement applies.
    #[serde(rename = "postponed")]
    Postponed,
    /// No due date yet.
    #[serde(rename = "awaiting-completion")]
    AwaitingCompletion,
    /// Being processed, on time.
    #[serde(rename = "in_progress")]
    InProgress,
}

/// An action code a scenario may expect.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ExpectedActionCode {
    /// An appeal may still be received.
    AppealWindow,
    /// Deliver or postpone.
    DeliverOrPostpone,
    /// No answer after the reminder.
    DismissOrFollowUp,
    /// Send a preliminary reply.
    PreliminaryReply,
    /// Send a reminder.
    SendReminder,
}

/// An expected action of a case status; only the fields given are checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectAction {
    /// What to do, e.g. `deliver-or-postpone`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<ExpectedActionCode>,
    /// The route, or `null` for the whole case.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub route: Option<Value>,
    /// The last day to do it, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub due: Option<Day>,
    /// Whether the as-of date is after `due`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue: Option<bool>,
    /// The whole message, exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Text the message must contain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_contains: Option<String>,
}

/// The expected `ruleset` of a decision; only the fields given are checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectRuleset {
    /// The rule set's name, e.g. `helsedataservice`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The rule set's version, e.g. `2026.1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The fingerprint, `sha256:` and 64 hex digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

/// An expected missing item; only the fields given are checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectMissing {
    /// What is missing, e.g. `description` or `sample_table`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The custodian id, or `null` for "must be null".
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub custodian: Option<Value>,
    /// The source id, or `null` for "must be null".
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<Value>,
    /// The whole message, exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Text the message must contain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_contains: Option<String>,
}

/// An expected finding; only the fields given are checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectFinding {
    /// The finding's code, e.g. `linking-prefer-identifiable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The finding's severity: `info`, `warning` or `error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<ExpectedSeverity>,
    /// The custodian id, or `null` for "must be null".
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub custodian: Option<Value>,
    /// The source id, or `null` for "must be null".
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<Value>,
    /// The whole message, exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Text the message must contain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_contains: Option<String>,
    /// The rule file that said it, e.g. `rules/helsedataservice/eligibility.rhai`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// An expected route of a decision or of a case status; only the fields given are
/// checked (a field of the other kind of route is an error in the scenario file).
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectRoute {
    /// The custodian id, e.g. `niph`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custodian: Option<String>,
    /// The route's source ids, all of them, sorted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<String>>,
    /// The number of working days, e.g. `60`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_days: Option<u32>,
    /// The calendar counted in, e.g. `niph`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    /// Decisions: the clock start, `YYYY-MM-DD`, or `null` for "must be null".
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<Option<String>>")]
    pub clock_start: Option<Option<Day>>,
    /// The due date, `YYYY-MM-DD`, or `null` for "must be null".
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<Option<String>>")]
    pub due: Option<Option<Day>>,
    /// Case statuses: where the route stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<ExpectedRouteState>,
    /// Case statuses: the date the route is due now, or `null`.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<Option<String>>")]
    pub due_now: Option<Option<Day>>,
    /// Case statuses: working days the clock stood still, or `null`.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<Option<u32>>")]
    pub paused_days: Option<Option<u32>>,
    /// Case statuses: working days left up to `due_now`, or `null`.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<Option<u32>>")]
    pub working_days_left: Option<Option<u32>>,
    /// Case statuses: working days past `due_now`, or `null`.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<Option<u32>>")]
    pub overdue_by: Option<Option<u32>>,
    /// Case statuses: the date of the event that closed the route, or `null`.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<Option<String>>")]
    pub closed_on: Option<Option<Day>>,
    /// The whole reason, exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Text the reason must contain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_contains: Option<String>,
}

/// An expected redirect; only the fields given are checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectRedirect {
    /// The source id, or `null` for a redirect of the whole application.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<Value>,
    /// The reason code, e.g. `own-form` or `identifiable-data`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The form's address, or `null` for "must be null".
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub form_url: Option<Value>,
}

/// An expected error record (bad input or a failing rule); only the fields given are
/// checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectError {
    /// The error kind, e.g. `invalid-timestamp`, `unknown-field` or `rule-error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Text the error message must contain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_contains: Option<String>,
}
