//! What a scenario expects: a partial decision, a partial case status (or an error
//! record). Only the fields given under `expect` are checked. A list given as `findings` is compared whole
//! (same number of items, each matching one item, in any order); `findings_include`
//! items must each be present, `findings_exclude` items must all be absent. A field
//! left out is not checked; where a field says so, `null` means "must be null", and
//! anywhere else `null` is an error at its line naming what the field takes.

use crate::model::status::{ActionCode, CaseState, RouteState};
use chrono::NaiveDate;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// Deserialises a field that is present (even as `null`) into `Some`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// What a field of a scenario takes, named when `null` is given for it.
pub(super) trait Expected {
    /// What to give instead, e.g. `a date YYYY-MM-DD`.
    const WHAT: &'static str;
}

macro_rules! expected {
    ($($ty:ty => $what:expr),* $(,)?) => {
        $(impl Expected for $ty {
            const WHAT: &'static str = $what;
        })*
    };
}

expected! {
    String => "text",
    u32 => "a whole number",
    bool => "true or false",
    Day => "a date YYYY-MM-DD",
    Money => "an amount, text with two decimals (\"3000.00\")",
    Quantity => "a whole number (3) or text with two decimals (\"2.50\")",
    ExpectedStatus => "a status: redirected, ineligible, incomplete or complete",
    ExpectedSeverity => "a severity: info, warning or error",
    ExpectedInvoiceItem => "an invoice line's item, e.g. base-fee",
    CaseState => "a case state, e.g. open",
    RouteState => "a route state, e.g. in_progress",
    ActionCode => "an action code, e.g. deliver-or-postpone",
    ExpectRuleset => "the rule set's fields to check (name, version, fingerprint)",
    ExpectError => "the error's fields to check (kind, message_contains), or {} for any error record",
    Box<Expect> => "the decision's fields to check",
    Expect => "the fields to check",
}

impl<T> Expected for Vec<T> {
    const WHAT: &'static str = "a list (`[]` for none)";
}

/// Deserialises a field that is never `null` in the record: `null` given for it is
/// an error at its place naming what the field takes, never the same as leaving the
/// field out.
pub(super) fn not_null<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Expected,
{
    struct Given<T>(std::marker::PhantomData<T>);

    impl<'de, T: Deserialize<'de> + Expected> serde::de::Visitor<'de> for Given<T> {
        type Value = Option<T>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(T::WHAT)
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<Option<T>, E> {
            Err(E::custom(format!(
                "null given; expected {}, or leave the field out",
                T::WHAT
            )))
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Option<T>, E> {
            self.visit_none()
        }

        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Option<T>, D2::Error> {
            T::deserialize(d).map(Some)
        }
    }

    d.deserialize_option(Given(std::marker::PhantomData))
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
#[schemars(extend("minProperties" = 1))]
pub struct Expect {
    /// The application id the decision (or error record) carries; `null` for an
    /// error record of an application whose id could not be read.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<Option<String>>")]
    pub application: Option<Option<String>>,
    /// The rule set that decided; only the fields given are checked.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "ExpectRuleset")]
    pub ruleset: Option<ExpectRuleset>,
    /// The decision's status.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "ExpectedStatus")]
    pub status: Option<ExpectedStatus>,
    /// The received date, `YYYY-MM-DD`.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
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
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectMissing>")]
    pub missing: Option<Vec<ExpectMissing>>,
    /// Missing items that must each be present (others allowed).
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectMissing>")]
    pub missing_include: Option<Vec<ExpectMissing>>,
    /// Missing items none of which may be present.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectMissing>")]
    pub missing_exclude: Option<Vec<ExpectMissing>>,
    /// The whole `findings` list: the same number of items, each matching a different
    /// actual item, in any order; `[]` means no findings.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectFinding>")]
    pub findings: Option<Vec<ExpectFinding>>,
    /// Findings that must each be present (others allowed).
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectFinding>", length(min = 1))]
    pub findings_include: Option<Vec<ExpectFinding>>,
    /// Findings none of which may be present.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectFinding>", length(min = 1))]
    pub findings_exclude: Option<Vec<ExpectFinding>>,
    /// The whole `routes` list: the same number of items, each matching a different
    /// actual item, in any order; `[]` means no routes.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectRoute>")]
    pub routes: Option<Vec<ExpectRoute>>,
    /// Routes that must each be present (others allowed).
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectRoute>", length(min = 1))]
    pub routes_include: Option<Vec<ExpectRoute>>,
    /// Routes none of which may be present.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectRoute>", length(min = 1))]
    pub routes_exclude: Option<Vec<ExpectRoute>>,
    /// The whole `redirects` list: the same number of items, each matching a
    /// different actual item, in any order; `[]` means no redirects.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectRedirect>")]
    pub redirects: Option<Vec<ExpectRedirect>>,
    /// Redirects that must each be present (others allowed).
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectRedirect>")]
    pub redirects_include: Option<Vec<ExpectRedirect>>,
    /// Redirects none of which may be present.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectRedirect>")]
    pub redirects_exclude: Option<Vec<ExpectRedirect>>,
    /// The record is an error record (bad input or a failing rule), not a decision.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "ExpectError")]
    pub error: Option<ExpectError>,
    /// Case statuses: the case id.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub case: Option<String>,
    /// Case statuses: the state of the whole case.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "CaseState")]
    pub state: Option<CaseState>,
    /// Case statuses: the whole `actions` list, in any order; `[]` means nothing due.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectAction>")]
    pub actions: Option<Vec<ExpectAction>>,
    /// Case statuses: actions that must each be present (others allowed).
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectAction>")]
    pub actions_include: Option<Vec<ExpectAction>>,
    /// Case statuses: actions none of which may be present.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectAction>")]
    pub actions_exclude: Option<Vec<ExpectAction>>,
    /// Case scenarios: the whole list of the case's invoices as of the date (as
    /// `hds invoice` gives them), in any order; `[]` means no invoice.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectInvoice>")]
    pub invoices: Option<Vec<ExpectInvoice>>,
    /// Case scenarios: invoices that must each be present (others allowed).
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectInvoice>")]
    pub invoices_include: Option<Vec<ExpectInvoice>>,
    /// Case scenarios: invoices none of which may be present.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectInvoice>")]
    pub invoices_exclude: Option<Vec<ExpectInvoice>>,
    /// Case statuses: the partial decision of the application in force.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Box<Expect>")]
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
    "invoices",
    "invoices_include",
    "invoices_exclude",
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

impl Expect {
    /// The first part of this expectation that checks nothing, as a path below
    /// `expect` (`""` for the expectation itself, `decision`, `ruleset`,
    /// `findings_include`, `decision.routes_exclude`, ...), with what to give
    /// instead: an empty map, or an empty `_include` or `_exclude` list, would
    /// pass whatever came out. `error: {}` checks something: that an error record
    /// came out.
    pub fn checks_nothing(&self, case: bool) -> Option<(String, String)> {
        let Ok(Value::Object(fields)) = serde_json::to_value(self) else {
            return None;
        };
        if fields.is_empty() {
            let some = if case {
                "state, routes, actions, invoices, decision or error"
            } else {
                "status, routes, findings or error"
            };
            return Some((
                String::new(),
                format!("at least one field to check (e.g. {some})"),
            ));
        }
        for (key, value) in &fields {
            let empty_list = value.as_array().is_some_and(Vec::is_empty);
            let whole = key
                .strip_suffix("_include")
                .or_else(|| key.strip_suffix("_exclude"));
            if let (Some(whole), true) = (whole, empty_list) {
                return Some((
                    key.clone(),
                    format!("at least one item (`{whole}: []` expects none)"),
                ));
            }
            let empty_map = value.as_object().is_some_and(|m| m.is_empty());
            if key == "ruleset" && empty_map {
                return Some((
                    key.clone(),
                    "at least one field to check (name, version, fingerprint)".to_string(),
                ));
            }
        }
        let (inner, expected) = match &self.decision {
            Some(d) if case => d.checks_nothing(false)?,
            _ => return None,
        };
        let path = if inner.is_empty() {
            "decision".to_string()
        } else {
            format!("decision.{inner}")
        };
        Some((path, expected))
    }

    /// Whether the scenario expects anything of the case's invoices.
    pub fn wants_invoices(&self) -> bool {
        self.invoices.is_some()
            || self.invoices_include.is_some()
            || self.invoices_exclude.is_some()
    }
}

/// An amount of NOK a scenario expects, written as text with two decimals
/// (`"3000.00"`, `"-0.05"`), exactly as an invoice gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money(pub String);

impl Money {
    /// Reads an optional `-`, digits, `.` and two digits.
    pub fn parse(text: &str) -> Option<Money> {
        let digits = text.strip_prefix('-').unwrap_or(text);
        let (whole, frac) = digits.split_once('.')?;
        let ok = !whole.is_empty()
            && whole.chars().all(|c| c.is_ascii_digit())
            && frac.len() == 2
            && frac.chars().all(|c| c.is_ascii_digit());
        ok.then(|| Money(text.to_string()))
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        value.as_str().and_then(Money::parse).ok_or_else(|| {
            D::Error::custom(format!(
                "{value} is not an amount; expected text with two decimals, e.g. \"3000.00\""
            ))
        })
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// A quantity of an invoice line a scenario expects: whole hours or fees (`3`, `-1`)
/// or hours to the hundredth (`"2.50"`), as an invoice gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity(pub String);

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        let text = match &value {
            Value::Number(n) if n.is_i64() => Some(n.to_string()),
            Value::String(s) => {
                let digits = s.strip_prefix('-').unwrap_or(s);
                let all = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
                let ok = match digits.split_once('.') {
                    None => all(digits),
                    // Whole hours are written without decimals, so `3.00` never matches.
                    Some((whole, frac)) => {
                        all(whole) && all(frac) && frac.len() == 2 && frac != "00"
                    }
                };
                ok.then(|| s.clone())
            }
            _ => None,
        };
        text.map(Quantity).ok_or_else(|| {
            D::Error::custom(format!(
                "{value} is not a quantity; expected a whole number (3) or text with two decimals (\"2.50\")"
            ))
        })
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// An invoice line's item a scenario may expect.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ExpectedInvoiceItem {
    /// Helsedataservice's base fee.
    BaseFee,
    /// Hours of one price period.
    Hours,
    /// Hours logged while an appeal was open, free.
    HoursAppeal,
    /// The free first hours, negative.
    FreeHours,
    /// A total under the minimum, not invoiced, negative.
    BelowMinimum,
    /// A free case, bringing the invoice to 0.00.
    Exemption,
}

/// An expected invoice of a case; only the fields given are checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectInvoice {
    /// The party: `helsedataservice` or a custodian id.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub party: Option<String>,
    /// The net, e.g. `"3000.00"`.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub net: Option<Money>,
    /// The VAT.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub vat: Option<Money>,
    /// The net plus VAT.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub total: Option<Money>,
    /// Why the case is free (`master-student`, `update`), or `null` for "not free".
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub free_reason: Option<Option<String>>,
    /// The whole list of lines, in any order.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectInvoiceLine>")]
    pub lines: Option<Vec<ExpectInvoiceLine>>,
    /// The whole list of the invoice's findings, in any order.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<ExpectFinding>")]
    pub findings: Option<Vec<ExpectFinding>>,
}

/// An expected invoice line; only the fields given are checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectInvoiceLine {
    /// What the line is for.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "ExpectedInvoiceItem")]
    pub item: Option<ExpectedInvoiceItem>,
    /// How many: `1`, `3`, `"2.50"`, `-2`.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Value")]
    pub quantity: Option<Quantity>,
    /// The price of one, or `null` for "no price in force".
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<Option<String>>")]
    pub unit_price: Option<Option<Money>>,
    /// The amount, or `null` for "no price in force".
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<Option<String>>")]
    pub amount: Option<Option<Money>>,
    /// The first day of the dated price used, or `null` for an undated price.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<Option<String>>")]
    pub price_from: Option<Option<Day>>,
}

/// An expected action of a case status; only the fields given are checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectAction {
    /// What to do, e.g. `deliver-or-postpone`.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "ActionCode")]
    pub code: Option<ActionCode>,
    /// The route, or `null` for the whole case.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub route: Option<Value>,
    /// The last day to do it, `YYYY-MM-DD`.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub due: Option<Day>,
    /// Whether the as-of date is after `due`.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "bool")]
    pub overdue: Option<bool>,
    /// The whole message, exactly.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub message: Option<String>,
    /// Text the message must contain.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub message_contains: Option<String>,
}

/// The expected `ruleset` of a decision; only the fields given are checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectRuleset {
    /// The rule set's name, e.g. `helsedataservice`.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub name: Option<String>,
    /// The rule set's version, e.g. `2026.1`.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub version: Option<String>,
    /// The fingerprint, `sha256:` and 64 hex digits.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub fingerprint: Option<String>,
}

/// An expected missing item; only the fields given are checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectMissing {
    /// What is missing, e.g. `description` or `sample_table`.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
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
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub message: Option<String>,
    /// Text the message must contain.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub message_contains: Option<String>,
}

/// An expected finding; only the fields given are checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectFinding {
    /// The finding's code, e.g. `linking-prefer-identifiable`.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub code: Option<String>,
    /// The finding's severity: `info`, `warning` or `error`.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "ExpectedSeverity")]
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
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub message: Option<String>,
    /// Text the message must contain.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub message_contains: Option<String>,
    /// The rule file that said it, e.g. `rules/helsedataservice/eligibility.rhai`.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub rule: Option<String>,
}

/// An expected route of a decision or of a case status; only the fields given are
/// checked (a field of the other kind of route is an error in the scenario file).
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectRoute {
    /// The custodian id, e.g. `niph`.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub custodian: Option<String>,
    /// The route's source ids, all of them, sorted.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Vec<String>")]
    pub sources: Option<Vec<String>>,
    /// The number of working days, e.g. `60`.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "u32")]
    pub working_days: Option<u32>,
    /// The calendar counted in, e.g. `niph`.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
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
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "RouteState")]
    pub state: Option<RouteState>,
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
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub reason: Option<String>,
    /// Text the reason must contain.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
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
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
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
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub kind: Option<String>,
    /// Text the error message must contain.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "String")]
    pub message_contains: Option<String>,
}

#[cfg(test)]
mod invoice_item_tests {
    use super::ExpectedInvoiceItem::*;

    #[test]
    fn the_invoice_items_a_scenario_may_expect_are_those_an_invoice_has() {
        let named: Vec<String> = [
            BaseFee,
            Hours,
            HoursAppeal,
            FreeHours,
            BelowMinimum,
            Exemption,
        ]
        .iter()
        .map(|i| {
            serde_json::to_value(i)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        })
        .collect();
        assert_eq!(named, crate::case::invoice::ITEMS);
    }
}
