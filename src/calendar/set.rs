//! Every calendar of a rule set: the files read, each resolved and checked into a
//! [`Calendar`] when the rule set loads (its years are worked out as they are asked
//! about).

use crate::calendar::definition::CalendarDefinition;
use crate::calendar::file::{CalendarFile, Parsed};
use crate::calendar::resolve::resolve;
use crate::calendar::Calendar;
use crate::error::Diagnostic;
use crate::yaml;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Every calendar of a rule set, ready to answer.
#[derive(Debug, Clone, Default)]
pub struct CalendarSet {
    calendars: BTreeMap<String, Arc<Calendar>>,
    /// Each calendar's file, as the user would open it.
    files: BTreeMap<String, String>,
}

impl CalendarSet {
    /// The calendar `name` (its file name without `.yaml`), shared by every
    /// evaluation; `None` when the rule set has no such calendar.
    pub fn get(&self, name: &str) -> Option<&Arc<Calendar>> {
        self.calendars.get(name)
    }

    /// The resolved definition of calendar `name`, for checks that count without
    /// the table.
    pub fn definition(&self, name: &str) -> Option<&CalendarDefinition> {
        self.calendars.get(name).map(|c| c.definition())
    }

    /// The file calendar `name` was read from, as the user would open it (a rule
    /// set's calendars may live anywhere its `ruleset.yaml` says, or in its base's).
    pub fn file(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(String::as_str)
    }

    /// Every calendar's name, sorted: what a rule or `--calendar` may name.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.calendars.keys().map(String::as_str)
    }

    /// Loads calendars from `(name, display path, text)` triples: parses all, resolves
    /// `extends`, checks dates, and makes each into a calendar. Every problem found is returned.
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
                        set.files.insert(name.clone(), parsed[name].0.clone());
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

    #[test]
    fn each_calendar_names_the_file_it_was_read_from() {
        let s = set(&[("base", BASE), ("child", "extends: base\nclosures: []\n")]).expect("loads");
        assert_eq!(s.file("base"), Some("calendars/base.yaml"));
        assert_eq!(s.file("child"), Some("calendars/child.yaml"));
        assert_eq!(s.file("none"), None);
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
    fn a_calendar_over_1583_to_9999_loads_and_answers() {
        let s = set(&[(
            "long",
            "valid_years: {from: 1583, to: 9999}\nholidays:\n  - {name: Day, date: 05-17}\n  - {name: Easter Monday, easter: 1}\nclosures:\n  - {name: Summer, from: 9999-07-01, to: 9999-07-31}\n",
        )])
        .expect("loads");
        let cal = s.get("long").expect("long");
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        // Friday 15 May 2026 + 1: Monday 18 May; the 17th is a Sunday anyway.
        assert_eq!(cal.add_working_days(d(2026, 5, 15), 1), Ok(d(2026, 5, 18)));
        // Easter Monday 1583 is 11 April; 1 January 1583 was a Saturday.
        assert_eq!(cal.is_working_day(d(1583, 4, 11)), Ok(false));
        assert_eq!(cal.is_working_day(d(1583, 1, 1)), Ok(false));
        assert_eq!(cal.is_working_day(d(1583, 1, 3)), Ok(true));
        // Thursday 15 July 9999, within the closure.
        assert_eq!(cal.is_working_day(d(9999, 7, 15)), Ok(false));
        assert_eq!(cal.is_working_day(d(9998, 7, 16)), Ok(true));
        assert_eq!(cal.named_days_in_year(9999).map(|v| v.len()), Ok(2 + 31));
        assert!(cal.is_working_day(d(10000, 1, 1)).is_err());
        assert!(cal.add_working_days(d(9999, 12, 31), 1).is_err());
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
