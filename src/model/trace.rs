//! How a decision was reached: every rule file that ran and what it returned, how
//! each source was looked up, when the clock started, and how each due date was
//! counted. Collected only when asked for (`hds explain`, `hds evaluate --trace`).

use chrono::NaiveDate;
use serde::Serialize;

/// Everything a caseworker needs to check a decision by hand, in the order the engine
/// worked it out; as data (`hds evaluate --trace`) or as text (`render::trace_text`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Trace {
    /// `submitted_at` as written in the application, to show where `received_on`
    /// came from.
    pub submitted_at: String,
    /// The Oslo date of `submitted_at`; `None` when evaluation stopped before it was
    /// known.
    pub received_on: Option<NaiveDate>,
    /// Each listed source as the catalog described it on the received date, in the
    /// application's order.
    pub sources: Vec<SourceTrace>,
    /// Every rule function called, in call order.
    pub steps: Vec<StepTrace>,
    /// How `complete_on` was found; `None` when the application was redirected or
    /// evaluation stopped before.
    pub clock: Option<ClockTrace>,
    /// Each source a routing rule sent to a custodian that joins no route, since
    /// an `error` finding made it ineligible; in custodian and source order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dropped: Vec<DroppedRoute>,
    /// How each route's due date was counted, in route order.
    pub deadlines: Vec<DeadlineTrace>,
    /// Why evaluation stopped early, if it did.
    pub stopped: Option<String>,
}

/// A source as the catalog described it on the received date.
#[derive(Debug, Clone, Serialize)]
pub struct SourceTrace {
    /// The source id as the application wrote it.
    pub id: String,
    /// Whether the catalog has this id; the other fields are empty when not.
    pub known: bool,
    /// The source's English name.
    pub name: Option<String>,
    /// The custodian holding it on the received date; `None` when held outside the
    /// five custodians or unknown.
    pub custodian: Option<String>,
    /// For a source whose custodian changed: every period, e.g.
    /// `directorate-of-health until 2023-12-31`.
    pub custodian_periods: Vec<String>,
    /// `helsedataservice` or `own`, which decides whether the source is redirected.
    pub form: Option<String>,
    /// The address of the source's own form, if it has one.
    pub form_url: Option<String>,
    /// What the source may be used for, to compare with the application's purpose.
    pub purposes: Vec<String>,
}

/// One call of a rule function.
#[derive(Debug, Clone, Serialize)]
pub struct StepTrace {
    /// `completeness`, `eligibility`, `routing` or `deadline`.
    pub stage: String,
    /// `null` for the coordinator's common rules.
    pub custodian: Option<String>,
    /// The rule file, e.g. `rules/niph/deadline.rhai`.
    pub rule: String,
    /// The function called, with its parameters, e.g. `fn completeness(app, sources)`.
    pub function: String,
    /// What it returned, one line per record.
    pub returned: Vec<String>,
    /// The dated settings it read with `setting_on`, in the order read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub settings: Vec<SettingTrace>,
}

/// A setting a rule read for a date (`setting_on`), and the period in force.
#[derive(Debug, Clone, Serialize)]
pub struct SettingTrace {
    /// The settings path, e.g. `deadline.working_days`.
    pub path: String,
    /// The date the rule asked for.
    pub on: NaiveDate,
    /// The value in force, as JSON.
    pub value: String,
    /// The first day of its period; `null` for an undated value.
    pub from: Option<NaiveDate>,
    /// The last day of its period; `null` when undated or open-ended.
    pub until: Option<NaiveDate>,
}

/// How `complete_on` was found.
#[derive(Debug, Clone, Serialize)]
pub struct ClockTrace {
    /// The earliest the clock can start: the Oslo date the form arrived.
    pub received_on: NaiveDate,
    /// Each attachment kind a rule required, whose arrival can start the clock later.
    pub required: Vec<RequiredArrival>,
    /// The later of `received_on` and every required arrival; `None` while anything
    /// is missing.
    pub complete_on: Option<NaiveDate>,
}

/// When a required attachment kind arrived, one of the dates `complete_on` waits for.
#[derive(Debug, Clone, Serialize)]
pub struct RequiredArrival {
    /// The attachment kind, e.g. `sample_table`.
    pub kind: String,
    /// The first arrival of an attachment of this kind, if one came.
    pub arrived_on: Option<NaiveDate>,
}

/// A source routed to a custodian but left out of the route: an `error` finding
/// names it, so it is ineligible.
#[derive(Debug, Clone, Serialize)]
pub struct DroppedRoute {
    /// The custodian a routing rule sent the source to.
    pub custodian: String,
    /// The source.
    pub source: String,
    /// Each `error` finding naming the source, as `code (rule file)`.
    pub because: Vec<String>,
}

/// How one route's due date was counted.
#[derive(Debug, Clone, Serialize)]
pub struct DeadlineTrace {
    /// The route's custodian id.
    pub custodian: String,
    /// The route's sources.
    pub sources: Vec<String>,
    /// The deadline rule files that returned a change (not `()`), in the order they
    /// ran.
    pub rules: Vec<String>,
    /// The number of working days the rules settled on.
    pub working_days: u32,
    /// Why that number, as the rules put it.
    pub reason: String,
    /// The calendar the days were counted in.
    pub calendar: String,
    /// The day the count starts after; `None` unless the application is complete.
    pub clock_start: Option<NaiveDate>,
    /// The last working day of the count; `None` unless the application is complete.
    pub due: Option<NaiveDate>,
    /// Holidays and closure days after the clock start up to the due date.
    pub skipped: Vec<SkippedDay>,
    /// The rule file that set `working_days` last. Not written out (the steps show
    /// what each rule returned): it tells `hds test` which rule made a value.
    #[serde(skip)]
    pub working_days_by: Option<String>,
    /// The rule file that set `reason` last; not written out.
    #[serde(skip)]
    pub reason_by: Option<String>,
    /// The rule file that set `calendar`; `None` when the route kept the calendar
    /// it started in (`deadline.calendars`, else the national one). Not written out.
    #[serde(skip)]
    pub calendar_by: Option<String>,
}

/// A day a deadline count passed over besides ordinary weekends, so the due date can
/// be checked by hand.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedDay {
    /// The day skipped.
    pub date: NaiveDate,
    /// The holiday's or closure's name from the calendar file.
    pub name: String,
    /// `holiday` or `closure`.
    pub kind: String,
    /// Falls on a Saturday or Sunday, so not a working day anyway.
    pub weekend: bool,
}
