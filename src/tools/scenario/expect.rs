//! What a scenario expects: a partial decision (or error record). Only the fields
//! given under `expect` are checked. A list given as `findings` is compared whole
//! (same number of items, each matching one item, in any order); `findings_include`
//! items must each be present, `findings_exclude` items must all be absent. A field
//! left out is not checked; where a field says so, `null` means "must be null".

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// Deserialises a field that is present (even as `null`) into `Some`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
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
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub received_on: Option<Value>,
    /// The completion date, `YYYY-MM-DD`, or `null` for "must be null".
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub complete_on: Option<Value>,
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

/// An expected route; only the fields given are checked.
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
    /// The clock start, `YYYY-MM-DD`, or `null` for "must be null".
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub clock_start: Option<Value>,
    /// The due date, `YYYY-MM-DD`, or `null` for "must be null".
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub due: Option<Value>,
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
