//! Resolving a calendar file into a [`CalendarDefinition`]: following `extends`,
//! taking over what the extended calendar gives, and checking every year, holiday
//! rule and closure date, each problem pointing at its node in the file.

use crate::calendar::definition::{CalendarDefinition, ResolvedHoliday, When};
use crate::calendar::file::Parsed;
use crate::error::Diagnostic;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// Resolves calendar `name` of `files`: follows `extends` (`chain` holds the
/// calendars being resolved, to catch a cycle), takes over the parent's years,
/// weekend, holidays and closures, and checks each of its own. Every problem found
/// in the file is returned, each pointing at its node.
pub(super) fn resolve(
    name: &str,
    files: &BTreeMap<String, Parsed>,
    chain: &mut Vec<String>,
) -> Result<CalendarDefinition, Vec<Diagnostic>> {
    let (path, index, file) = &files[name];
    let at = |node: &str| index.nearest(node);
    chain.push(name.to_string());
    let mut problems = Vec::new();
    let parent = match &file.extends {
        None => None,
        Some(p) if chain.contains(p) => {
            return Err(vec![Diagnostic::error(
                path,
                format!("extends '{p}' makes a cycle: {} -> {p}", chain.join(" -> ")),
            )
            .at_position(at("extends"))])
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
            .at_position(at("extends"))]);
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
            .at_position(at("valid_years")),
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
                .at_position(at("valid_years")),
            );
        }
    }

    let mut holidays = parent
        .as_ref()
        .map(|p| p.holidays.clone())
        .unwrap_or_default();
    for (i, rule) in file.holidays.iter().enumerate() {
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
                        .at_position(at(&format!("holidays[{i}].date"))),
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
                    .at_position(at(&format!("holidays[{i}].easter"))),
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
                    .at_position(at(&format!("holidays[{i}]"))),
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
    for (i, c) in file.closures.iter().enumerate() {
        let closure = format!("closures[{i}]");
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
                    .at_position(at(&closure)),
                );
                continue;
            }
        };
        let Some((from, to)) = range else {
            // Point at the first date that is not one.
            let field = [("date", &c.date), ("from", &c.from), ("to", &c.to)]
                .into_iter()
                .find(|(_, v)| v.as_deref().is_some_and(|d| parse_date(d).is_none()))
                .map_or(String::new(), |(f, _)| format!(".{f}"));
            problems.push(
                Diagnostic::error(
                    path,
                    format!("closure '{}': expected dates as YYYY-MM-DD", c.name),
                )
                .at_position(at(&format!("{closure}{field}"))),
            );
            continue;
        };
        if to < from {
            problems.push(
                Diagnostic::error(
                    path,
                    format!("closure '{}': `to` {to} is before `from` {from}", c.name),
                )
                .at_position(at(&format!("{closure}.to"))),
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
                .at_position(at(&closure)),
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
    use crate::calendar::CalendarSet;

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
    fn extends_cycle_is_reported_not_followed() {
        let err = set(&[("a", "extends: b\n"), ("b", "extends: a\n")]).unwrap_err();
        assert!(err.iter().any(|d| d.message.contains("cycle")), "{err:?}");
    }

    #[test]
    fn extends_unknown_calendar_names_it_with_its_line() {
        let err = set(&[("a", "# x\nextends: nowhere\n")]).unwrap_err();
        assert_eq!(
            err[0].to_string(),
            "calendars/a.yaml:2:10: error: extends unknown calendar 'nowhere'; expected one of: a"
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
    fn a_problem_points_at_its_node_even_when_a_comment_names_it_first() {
        let text = "# closures:\n#   - {name: Moving day, from: 2027-03-15, to: 2027-03-01}\nvalid_years: {from: 2020, to: 2030}\nclosures:\n  - {name: Summer, date: 2026-07-06}\n  - name: Moving day\n    from: 2027-03-15\n    to: 2027-03-01\n";
        let err = set(&[("a", text)]).unwrap_err();
        assert_eq!(
            err[0].to_string(),
            "calendars/a.yaml:8:9: error: closure 'Moving day': `to` 2027-03-01 is before `from` 2027-03-15"
        );
    }

    #[test]
    fn a_holiday_without_a_rule_points_at_the_holiday() {
        let text = "valid_years: {from: 2020, to: 2030}\nholidays:\n  - {name: Day, date: 05-17}\n  - {name: Day 2}\n";
        let err = set(&[("a", text)]).unwrap_err();
        assert_eq!((err[0].line, err[0].column), (Some(4), Some(5)));
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
}
