//! The decision (contract section 2): what the engine says about one application.
//!
//! These types are only ever written out, never read, and their field order is the
//! order of the JSON. Their JSON Schema (`hds schema decision`) describes the output
//! as serialised, so programs that read decisions can check them.

use chrono::NaiveDate;
use serde::Serialize;

/// What the engine decided about one application: its status, what is missing, what
/// the rules found, where it goes and by when. Every field is always present, in this
/// order; lists are sorted, so the same input always gives the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Decision {
    /// The `id` of the application, as written in it, e.g. `HDS-2026-0142`.
    pub application: String,
    /// Where the application was read: the file, or `file:line` of its first line in
    /// a file of several, as in error records. Written by `hds evaluate`; absent
    /// when the application was not read from a file or stream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// The rule set that decided, so the decision can be reproduced.
    pub ruleset: RulesetId,
    /// The outcome: the first of redirected, ineligible, incomplete, complete that applies.
    pub status: Status,
    /// The Oslo local date of the application's `submitted_at` (`YYYY-MM-DD`).
    #[serde(serialize_with = "date::write")]
    pub received_on: NaiveDate,
    /// The Oslo local date the last required item arrived (`YYYY-MM-DD`): the later of
    /// `received_on` and the arrival of each attachment kind a rule requires. `null`
    /// while anything is missing, and when the application is redirected.
    #[serde(serialize_with = "date::write_optional")]
    pub complete_on: Option<NaiveDate>,
    /// What keeps the application incomplete; empty when nothing is missing.
    pub missing: Vec<Missing>,
    /// Everything else the rules say about the application, sorted by custodian,
    /// source, code, message and rule.
    pub findings: Vec<Finding>,
    /// One sub-case per custodian that gets eligible sources, sorted by custodian id.
    pub routes: Vec<Route>,
    /// The sources (or the whole application) processed elsewhere, not here.
    pub redirects: Vec<Redirect>,
}

/// Which rule set decided, down to the byte.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RulesetId {
    /// The `name` in the rule set's `ruleset.yaml`, e.g. `helsedataservice`.
    pub name: String,
    /// The `version` in the rule set's `ruleset.yaml`, e.g. `2026.1`; bumped when
    /// policy changes.
    pub version: String,
    /// `sha256:` and 64 lowercase hex digits: a SHA-256 over every script and YAML
    /// file of the rule set, calendars included, so the same files give the same
    /// fingerprint and any change to them gives another.
    #[schemars(regex(pattern = r"^sha256:[0-9a-f]{64}$"))]
    pub fingerprint: String,
}

/// The outcome of an application, the first of these that applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not processed here: the data are identifiable, or every listed source has its
    /// own form. `redirects` says where to apply instead.
    Redirected,
    /// At least one listed source is handled here, and none of those may be used for
    /// this purpose (each has an `error` finding naming it).
    Ineligible,
    /// Something required is missing (see `missing`); no clock start and no due date.
    Incomplete,
    /// Nothing is missing: every route has its clock start and due date.
    Complete,
}

impl Status {
    /// The status as written in a decision, for text output and scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Redirected => "redirected",
            Status::Ineligible => "ineligible",
            Status::Incomplete => "incomplete",
            Status::Complete => "complete",
        }
    }
}

/// Something required that the application lacks, reported by a completeness rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Missing {
    /// What is missing: `description`, `purpose`, `sources`, `applicant`,
    /// `sample_table`, `variables`, `icd10`, or a name a rule file introduces.
    pub item: String,
    /// The custodian whose rules require it (for a common rule, the custodian of the
    /// source it names); `null` when it is not specific to one.
    pub custodian: Option<String>,
    /// The source id it concerns; `null` when it is not specific to one source.
    pub source: Option<String>,
    /// What to supply, in words for the applicant, in the application's `language`
    /// (`nb` when it has none): the message `missing-<item>` of the rule set.
    pub message: String,
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// For information; changes nothing.
    Info,
    /// Worth a caseworker's attention; changes nothing by itself.
    Warning,
    /// Serious: an error finding that names a source makes that source ineligible,
    /// so it joins no route.
    Error,
}

impl Severity {
    /// Reads the severity a rule script gives as text; `None` for anything else.
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }

    /// The severity as written in a decision and in rule scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Something a rule says about the application besides what is missing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Finding {
    /// A stable identifier of what was found, e.g. `linking-prefer-identifiable`, for
    /// programs and scenario files to match on.
    pub code: String,
    /// How serious it is: `info`, `warning` or `error`.
    pub severity: Severity,
    /// The custodian whose rules said it (for a common rule, the custodian of the
    /// source it names); `null` when it is not specific to one.
    pub custodian: Option<String>,
    /// The source id it concerns; `null` when it is not specific to one source.
    pub source: Option<String>,
    /// The finding in words, for the caseworker and the applicant, in the
    /// application's `language` (`nb` when it has none): the message `code` of the
    /// rule set.
    pub message: String,
    /// The rule file that said it, e.g. `rules/helsedataservice/eligibility.rhai`.
    pub rule: String,
}

/// One custodian's sub-case: the eligible sources it holds and when its data are due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Route {
    /// The custodian id from the catalog, e.g. `niph`.
    pub custodian: String,
    /// The eligible source ids this custodian handles, sorted; never empty.
    pub sources: Vec<String>,
    /// The statutory time limit in working days (e.g. 30, or 60 when data from several
    /// sources are linked), as the deadline rules set it.
    #[schemars(range(min = 1))]
    pub working_days: u32,
    /// The name of the working-day calendar the days are counted in, e.g. `niph`.
    pub calendar: String,
    /// The date the clock starts (`YYYY-MM-DD`), the application's `complete_on`; the
    /// day itself is not counted. `null` unless the status is `complete`.
    #[serde(serialize_with = "date::write_optional")]
    pub clock_start: Option<NaiveDate>,
    /// The due date (`YYYY-MM-DD`): the `working_days`-th working day after
    /// `clock_start` in `calendar`. `null` unless the status is `complete`.
    #[serde(serialize_with = "date::write_optional")]
    pub due: Option<NaiveDate>,
    /// Why this number of working days, in words in the application's `language`;
    /// may be empty.
    pub reason: String,
}

/// A source, or the whole application, that is processed elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Redirect {
    /// The source id redirected; `null` when the whole application is (identifiable
    /// data).
    pub source: Option<String>,
    /// Why, as a stable code, e.g. `own-form` or `identifiable-data`.
    pub reason: String,
    /// The address of the form to use instead, where known; otherwise `null`.
    pub form_url: Option<String>,
}

/// Dates written as chrono writes them (`YYYY-MM-DD`).
mod date {
    use chrono::NaiveDate;
    use serde::Serializer;

    /// Writes `date` as `YYYY-MM-DD`.
    pub(super) fn write<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        crate::model::ymd::with_iso_date(*date, |text| s.serialize_str(text))
    }

    /// Writes `date` as `YYYY-MM-DD`, or `null`.
    pub(super) fn write_optional<S: Serializer>(
        date: &Option<NaiveDate>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => write(date, s),
            None => s.serialize_none(),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        for (y, m, d) in [
            (2026, 3, 2),
            (1, 1, 1),
            (0, 12, 31),
            (999, 10, 9),
            (9999, 12, 31),
            (10000, 1, 1),
            (-1, 6, 15),
            (-262_000, 2, 28),
        ] {
            let day = NaiveDate::from_ymd_opt(y, m, d).expect("a valid date");
            let mut ours = serde_json::Serializer::new(Vec::new());
            date::write(&day, &mut ours).expect("written");
            let chrono = serde_json::to_vec(&day).expect("written");
            assert_eq!(ours.into_inner(), chrono, "{day}");
            let mut none = serde_json::Serializer::new(Vec::new());
            date::write_optional(&None, &mut none).expect("written");
            assert_eq!(none.into_inner(), b"null");
        }
    }
}
