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
//! compiled into a [`Calendar`] once, when the rule set loads.

use crate::calendar::definition::CalendarDefinition;
use crate::calendar::resolve::resolve;
use crate::calendar::Calendar;
use crate::error::Diagnostic;
use crate::yaml;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;

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

/// Every calendar of a rule set, compiled.
#[derive(Debug, Clone, Default)]
pub struct CalendarSet {
    calendars: BTreeMap<String, Arc<Calendar>>,
    definitions: BTreeMap<String, CalendarDefinition>,
}

impl CalendarSet {
    /// The compiled calendar `name` (its file name without `.yaml`), shared by every
    /// evaluation; `None` when the rule set has no such calendar.
    pub fn get(&self, name: &str) -> Option<&Arc<Calendar>> {
        self.calendars.get(name)
    }

    /// The resolved definition of calendar `name`, for checks that count without
    /// the table.
    pub fn definition(&self, name: &str) -> Option<&CalendarDefinition> {
        self.definitions.get(name)
    }

    /// Every calendar's name, sorted: what a rule or `--calendar` may name.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.calendars.keys().map(String::as_str)
    }

    /// Loads calendars from `(name, display path, text)` triples: parses all, resolves
    /// `extends`, checks dates, and compiles each. Every problem found is returned.
    pub fn load(files: &[(String, String, String)]) -> Result<CalendarSet, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut parsed: BTreeMap<String, Parsed> = BTreeMap::new();
        for (name, path, text) in files {
            match yaml::from_str::<CalendarFile>(text) {
                Ok(file) => {
                    let index = yaml::Index::of(text);
                    parsed.insert(name.clone(), (path.clone(), index, file));
                }
                Err(e) => problems.push(e.diagnostic(path)),
            }
        }
        let mut set = CalendarSet::default();
        for name in parsed.keys() {
            match resolve(name, &parsed, &mut Vec::new()) {
                Ok(def) => match def.compile() {
                    Some(cal) => {
                        set.calendars.insert(name.clone(), Arc::new(cal));
                        set.definitions.insert(name.clone(), def);
                    }
                    None => problems.push(
                        Diagnostic::error(
                            &parsed[name].0,
                            format!(
                                "valid_years {}-{} is not a usable range of years",
                                def.first_year, def.last_year
                            ),
                        )
                        .at_position(parsed[name].1.value("valid_years")),
                    ),
                },
                Err(mut ds) => problems.append(&mut ds),
            }
        }
        problems.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        problems.dedup();
        if problems.is_empty() {
            Ok(set)
        } else {
            Err(problems)
        }
    }
}

/// A calendar file as read: its display path, where its nodes are, and its content.
pub(super) type Parsed = (String, yaml::Index, CalendarFile);

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn set(files: &[(&str, &str)]) -> Result<CalendarSet, Vec<Diagnostic>> {
        let owned: Vec<(String, String, String)> = files
            .iter()
            .map(|(n, t)| (n.to_string(), format!("calendars/{n}.yaml"), t.to_string()))
            .collect();
        CalendarSet::load(&owned)
    }

    const BASE: &str =
        "valid_years: {from: 2020, to: 2030}\nholidays:\n  - {name: Day, date: 05-17}\n";

    #[test]
    fn extends_inherits_holidays_and_adds_closures() {
        let s = set(&[
            ("base", BASE),
            (
                "child",
                "extends: base\nclosures:\n  - {name: Summer, from: 2026-07-06, to: 2026-07-10}\n",
            ),
        ])
        .expect("loads");
        let child = s.get("child").expect("child");
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).expect("date");
        assert_eq!(child.is_working_day(d(5, 18)), Ok(true));
        assert_eq!(
            s.get("base").and_then(|b| b.is_working_day(d(7, 7)).ok()),
            Some(true)
        );
        assert_eq!(child.is_working_day(d(7, 7)), Ok(false));
        // 2026-05-15 is a Friday; the 17th is a Sunday anyway.
        assert_eq!(child.add_working_days(d(7, 3), 1), Ok(d(7, 13)));
    }

    #[test]
    fn unknown_key_is_a_yaml_error_with_position() {
        let err = set(&[("a", "valid_years: {from: 2020, to: 2030}\nholydays: []\n")]).unwrap_err();
        assert_eq!(err[0].line, Some(2));
        assert!(err[0].message.contains("holydays"), "{}", err[0]);
    }

    #[test]
    fn feb_29_holiday_falls_only_in_leap_years() {
        let s = set(&[(
            "a",
            "valid_years: {from: 2023, to: 2024}\nholidays:\n  - {name: Leap, date: 02-29}\n",
        )])
        .expect("loads");
        let cal = s.get("a").expect("a");
        assert_eq!(cal.named_days_in_year(2023).map(|v| v.len()), Ok(0));
        assert_eq!(cal.named_days_in_year(2024).map(|v| v.len()), Ok(1));
    }

    #[test]
    fn saturday_can_be_made_a_working_day() {
        let s = set(&[(
            "a",
            "valid_years: {from: 2026, to: 2026}\nsaturday_is_working_day: true\n",
        )])
        .expect("loads");
        let cal = s.get("a").expect("a");
        let sat = NaiveDate::from_ymd_opt(2026, 3, 7).expect("date");
        let sun = NaiveDate::from_ymd_opt(2026, 3, 8).expect("date");
        assert_eq!(cal.is_working_day(sat), Ok(true));
        assert_eq!(cal.is_working_day(sun), Ok(false));
    }
}
