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

use crate::calendar::easter::easter_sunday;
use crate::calendar::{Calendar, DayKind, NamedDay};
use crate::error::Diagnostic;
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
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

/// When a holiday rule falls in a given year.
#[derive(Debug, Clone, PartialEq, Eq)]
enum When {
    Fixed { month: u32, day: u32 },
    Easter(i64),
}

#[derive(Debug, Clone)]
struct ResolvedHoliday {
    name: String,
    when: When,
    from_year: i32,
    to_year: i32,
}

/// A calendar after `extends` is resolved and every date is checked: the rules that
/// make the table, kept so a count can be cross-checked against bdays.
#[derive(Debug, Clone)]
pub struct CalendarDefinition {
    /// The calendar's name: its file name without `.yaml`.
    pub name: String,
    /// The first year covered, from `valid_years` or the calendar it extends.
    pub first_year: i32,
    /// The last year covered, from `valid_years` or the calendar it extends.
    pub last_year: i32,
    /// Whether Saturday counts as a working day, after `extends` is resolved.
    pub saturday_is_working_day: bool,
    holidays: Vec<ResolvedHoliday>,
    closures: Vec<(NaiveDate, NaiveDate, String)>,
}

impl CalendarDefinition {
    /// The holidays and closures of one year.
    fn named_days(&self, year: i32) -> Vec<NamedDay> {
        let mut out = Vec::new();
        for h in &self.holidays {
            if year < h.from_year || year > h.to_year {
                continue;
            }
            let date = match h.when {
                When::Fixed { month, day } => NaiveDate::from_ymd_opt(year, month, day),
                When::Easter(offset) => easter_sunday(year)
                    .and_then(|e| e.checked_add_signed(chrono::Duration::days(offset))),
            };
            if let Some(date) = date {
                out.push(NamedDay {
                    date,
                    name: h.name.clone(),
                    kind: DayKind::Holiday,
                });
            }
        }
        for (from, to, name) in &self.closures {
            for date in from.iter_days().take_while(|d| d <= to) {
                if date.year() == year {
                    out.push(NamedDay {
                        date,
                        name: name.clone(),
                        kind: DayKind::Closure,
                    });
                }
            }
        }
        out
    }

    fn weekend(&self, date: NaiveDate) -> bool {
        match date.weekday() {
            Weekday::Sun => true,
            Weekday::Sat => !self.saturday_is_working_day,
            _ => false,
        }
    }

    /// Compiles the definition into a look-up table.
    pub fn compile(&self) -> Option<Calendar> {
        let mut named = Vec::new();
        for year in self.first_year..=self.last_year {
            named.extend(self.named_days(year));
        }
        let off: HashSet<NaiveDate> = named.iter().map(|d| d.date).collect();
        Calendar::build(
            &self.name,
            self.first_year,
            self.last_year,
            |date| !self.weekend(date) && !off.contains(&date),
            named,
        )
    }
}

/// The definition is also a bdays calendar, so it can be checked against bdays' own
/// counting.
impl bdays::HolidayCalendar<NaiveDate> for CalendarDefinition {
    fn is_holiday(&self, date: NaiveDate) -> bool {
        self.named_days(date.year()).iter().any(|d| d.date == date)
    }

    fn is_bday(&self, date: NaiveDate) -> bool {
        !self.weekend(date) && !self.is_holiday(date)
    }
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
        let mut parsed: BTreeMap<String, (String, String, CalendarFile)> = BTreeMap::new();
        for (name, path, text) in files {
            match serde_yaml::from_str::<CalendarFile>(text) {
                Ok(file) => {
                    parsed.insert(name.clone(), (path.clone(), text.clone(), file));
                }
                Err(e) => problems.push(Diagnostic::from_yaml(path, &e)),
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
                    None => problems.push(Diagnostic::error(
                        &parsed[name].0,
                        format!(
                            "valid_years {}-{} is not a usable range of years",
                            def.first_year, def.last_year
                        ),
                    )),
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

fn resolve(
    name: &str,
    files: &BTreeMap<String, (String, String, CalendarFile)>,
    chain: &mut Vec<String>,
) -> Result<CalendarDefinition, Vec<Diagnostic>> {
    let (path, text, file) = &files[name];
    chain.push(name.to_string());
    let mut problems = Vec::new();
    let parent = match &file.extends {
        None => None,
        Some(p) if chain.contains(p) => {
            return Err(vec![Diagnostic::error(
                path,
                format!("extends '{p}' makes a cycle: {} -> {p}", chain.join(" -> ")),
            )
            .near(text, "extends")])
        }
        Some(p) if !files.contains_key(p) => {
            let known: Vec<&str> = files.keys().map(String::as_str).collect();
            return Err(vec![Diagnostic::error(
                path,
                format!(
                    "extends unknown calendar '{p}'; expected one of: {}",
                    known.join(", ")
                ),
            )
            .near(text, "extends")]);
        }
        Some(p) => Some(resolve(p, files, chain)?),
    };

    let years = match (file.valid_years, &parent) {
        (Some(y), _) => Some((y.from, y.to)),
        (None, Some(p)) => Some((p.first_year, p.last_year)),
        (None, None) => {
            problems.push(Diagnostic::error(
                path,
                "missing field `valid_years`: expected {from: YEAR, to: YEAR} (or `extends`)",
            ));
            None
        }
    };
    let (first_year, last_year) = years.unwrap_or((0, 0));
    let usable = (1583..=9999).contains(&first_year) && (first_year..=9999).contains(&last_year);
    if years.is_some() && !usable {
        problems.push(
            Diagnostic::error(
                path,
                format!(
                    "valid_years {first_year}-{last_year}: expected from <= to, both between 1583 and 9999"
                ),
            )
            .near(text, "valid_years"),
        );
    }
    if let (Some(p), Some(_)) = (&parent, file.valid_years) {
        if first_year < p.first_year || last_year > p.last_year {
            problems.push(
                Diagnostic::error(
                    path,
                    format!(
                        "valid_years {first_year}-{last_year} reach outside the years of '{}' ({}-{}) that this calendar extends",
                        p.name, p.first_year, p.last_year
                    ),
                )
                .near(text, "valid_years"),
            );
        }
    }

    let mut holidays = parent
        .as_ref()
        .map(|p| p.holidays.clone())
        .unwrap_or_default();
    for rule in &file.holidays {
        let when = match (&rule.date, rule.easter) {
            (Some(md), None) => match parse_month_day(md) {
                Some((month, day)) => When::Fixed { month, day },
                None => {
                    problems.push(
                        Diagnostic::error(
                            path,
                            format!(
                                "holiday '{}': date '{md}' is not a day of the year; expected MM-DD, e.g. 05-17",
                                rule.name
                            ),
                        )
                        .near(text, md),
                    );
                    continue;
                }
            },
            (None, Some(offset)) if offset.abs() <= 200 => When::Easter(offset),
            (None, Some(offset)) => {
                problems.push(
                    Diagnostic::error(
                        path,
                        format!(
                            "holiday '{}': easter offset {offset} is out of range; expected days from Easter Sunday between -200 and 200",
                            rule.name
                        ),
                    )
                    .near(text, &rule.name),
                );
                continue;
            }
            _ => {
                problems.push(
                    Diagnostic::error(
                        path,
                        format!(
                            "holiday '{}': expected exactly one of `date: MM-DD` or `easter: DAYS`",
                            rule.name
                        ),
                    )
                    .near(text, &rule.name),
                );
                continue;
            }
        };
        holidays.push(ResolvedHoliday {
            name: rule.name.clone(),
            when,
            from_year: rule.from_year.unwrap_or(i32::MIN),
            to_year: rule.to_year.unwrap_or(i32::MAX),
        });
    }

    let mut closures = parent
        .as_ref()
        .map(|p| p.closures.clone())
        .unwrap_or_default();
    for c in &file.closures {
        let range = match (&c.date, &c.from, &c.to) {
            (Some(d), None, None) => parse_date(d).map(|d| (d, d)),
            (None, Some(f), Some(t)) => parse_date(f).zip(parse_date(t)),
            _ => {
                problems.push(
                    Diagnostic::error(
                        path,
                        format!(
                            "closure '{}': expected `date: YYYY-MM-DD` or both `from` and `to`",
                            c.name
                        ),
                    )
                    .near(text, &c.name),
                );
                continue;
            }
        };
        let Some((from, to)) = range else {
            problems.push(
                Diagnostic::error(
                    path,
                    format!("closure '{}': expected dates as YYYY-MM-DD", c.name),
                )
                .near(text, &c.name),
            );
            continue;
        };
        if to < from {
            problems.push(
                Diagnostic::error(
                    path,
                    format!("closure '{}': `to` {to} is before `from` {from}", c.name),
                )
                .near(text, &c.name),
            );
            continue;
        }
        if from.year() < first_year || to.year() > last_year {
            problems.push(
                Diagnostic::error(
                    path,
                    format!(
                        "closure '{}' ({from} to {to}) is outside the calendar's valid years {first_year}-{last_year}",
                        c.name
                    ),
                )
                .near(text, &c.name),
            );
            continue;
        }
        closures.push((from, to, c.name.clone()));
    }

    let saturday_is_working_day = file
        .saturday_is_working_day
        .or(parent.as_ref().map(|p| p.saturday_is_working_day))
        .unwrap_or(false);
    chain.pop();
    if problems.is_empty() {
        Ok(CalendarDefinition {
            name: name.to_string(),
            first_year,
            last_year,
            saturday_is_working_day,
            holidays,
            closures,
        })
    } else {
        Err(problems)
    }
}

/// `MM-DD` of a day that exists in some year (29 February is allowed and falls in
/// leap years only).
fn parse_month_day(s: &str) -> Option<(u32, u32)> {
    let (m, d) = s.split_once('-')?;
    if m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (month, day) = (m.parse().ok()?, d.parse().ok()?);
    NaiveDate::from_ymd_opt(2024, month, day)?;
    Some((month, day))
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn extends_cycle_is_reported_not_followed() {
        let err = set(&[("a", "extends: b\n"), ("b", "extends: a\n")]).unwrap_err();
        assert!(err.iter().any(|d| d.message.contains("cycle")), "{err:?}");
    }

    #[test]
    fn extends_unknown_calendar_names_it_with_its_line() {
        let err = set(&[("a", "# x\nextends: nowhere\n")]).unwrap_err();
        assert_eq!(
            err[0].to_string(),
            "calendars/a.yaml:2:1: error: extends unknown calendar 'nowhere'; expected one of: a"
        );
    }

    #[test]
    fn impossible_holiday_date_is_an_error_with_its_line() {
        let text = "valid_years: {from: 2020, to: 2030}\nholidays:\n  - {name: Bad, date: 02-30}\n";
        let err = set(&[("a", text)]).unwrap_err();
        assert_eq!(err[0].line, Some(3));
        assert!(err[0].message.contains("02-30"), "{}", err[0]);
    }

    #[test]
    fn closure_outside_valid_years_is_an_error() {
        let err = set(&[
            ("base", BASE),
            (
                "c",
                "extends: base\nclosures:\n  - {name: Late, date: 2031-01-02}\n",
            ),
        ])
        .unwrap_err();
        assert!(err[0].message.contains("outside"), "{}", err[0]);
        assert_eq!(err[0].line, Some(3));
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
