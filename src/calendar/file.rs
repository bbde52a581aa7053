//! Working-day calendars as policy staff write them: YAML files in `calendars/`.
//!
//! ```yaml
//! description: Norwegian public holidays
//! valid_years: {from: 1990, to: 2100}
//! saturday_is_working_day: false
//! holidays:
//!   - {name: "Constitution Day (17. mai)", date: 05-17}
//!   - {name: "Ascension Day (Kristi himmelfartsdag)", easter: 39}
//! ```
//!
//! A custodian calendar names another with `extends` and adds `closures` (single
//! dates or ranges). Sundays are never working days. Each file is resolved and then
//! made into a [`Calendar`] once, when the rule set loads.

use crate::yaml;
use serde::Deserialize;

/// The national calendar every command defaults to.
pub const DEFAULT_CALENDAR: &str = "norway";

/// One working-day calendar as written in `calendars/<name>.yaml`; the file name
/// without `.yaml` is the calendar's name. Which days are not working days:
/// Sundays always, Saturdays unless `saturday_is_working_day`, the `holidays` and the
/// `closures`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarFile {
    /// What the calendar is for, in words, e.g. `Norwegian public holidays`; not read
    /// otherwise.
    #[serde(default)]
    pub description: Option<String>,
    /// The name of another calendar (its file name without `.yaml`, e.g. `norway`)
    /// whose holidays, closures, valid years and weekend this one takes over and adds
    /// to. Must not make a cycle.
    #[serde(default)]
    pub extends: Option<String>,
    /// The years the calendar covers; a date outside them is an error, never a guess.
    /// Required unless the calendar `extends` another, whose years it then takes
    /// (when given, it must lie within them).
    #[serde(default)]
    pub valid_years: Option<YearRange>,
    /// Whether Saturday is a working day; Sunday never is. Default: the value of the
    /// calendar it extends, else `false`.
    #[serde(default)]
    pub saturday_is_working_day: Option<bool>,
    /// Public holidays, each falling on a fixed day of the year or a number of days
    /// from Easter Sunday; added to those of the calendar it extends. Default: none.
    #[serde(default)]
    pub holidays: Vec<HolidayRule>,
    /// Days the custodian is closed besides holidays, single dates or ranges within
    /// the valid years; added to those of the calendar it extends. Default: none.
    #[serde(default)]
    pub closures: Vec<Closure>,
}

/// The years a calendar covers, both ends included.
#[derive(Debug, Clone, Copy, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearRange {
    /// The first year covered, 1583 (the first Gregorian Easter) or later.
    pub from: i32,
    /// The last year covered, `from` or later and at most 9999.
    pub to: i32,
}

/// A public holiday: exactly one of a fixed `date` (`MM-DD`) or `easter`, an offset
/// in days from Easter Sunday.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayRule {
    /// The holiday's name as listed by `hds calendar holidays` and in traces, e.g.
    /// `Constitution Day (17. mai)`.
    pub name: String,
    /// The same day every year, as `MM-DD` (e.g. `05-17`); `02-29` falls in leap years
    /// only. Give this or `easter`, not both.
    #[serde(default)]
    pub date: Option<String>,
    /// Days after Easter Sunday (negative: before), between -200 and 200, e.g. `39`
    /// for Ascension Day, `-2` for Good Friday. Give this or `date`, not both.
    #[serde(default)]
    pub easter: Option<i64>,
    /// First year the holiday applies (inclusive); default: always.
    #[serde(default)]
    pub from_year: Option<i32>,
    /// Last year the holiday applies (inclusive); default: always.
    #[serde(default)]
    pub to_year: Option<i32>,
}

/// A closure: one `date`, or a range `from`..=`to`, with a name.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Closure {
    /// Why the custodian is closed, e.g. `Christmas closure`; listed like a holiday's
    /// name.
    pub name: String,
    /// A single closure day, `YYYY-MM-DD`. Give this, or both `from` and `to`.
    #[serde(default)]
    pub date: Option<String>,
    /// The first day of a closed period, `YYYY-MM-DD`; needs `to`.
    #[serde(default)]
    pub from: Option<String>,
    /// The last day of a closed period (included), `YYYY-MM-DD`, not before `from`.
    #[serde(default)]
    pub to: Option<String>,
}

/// A calendar file as read: its display path, where its nodes are, and its content.
pub(super) type Parsed = (String, yaml::Index, CalendarFile);
