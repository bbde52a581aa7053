//! A calendar as resolved from its file: the rules that give its holidays and
//! closures year by year, which compile into the look-up [`Calendar`] and which, as a
//! bdays calendar, let a count be checked against bdays' own.

use crate::calendar::easter::easter_sunday;
use crate::calendar::{Calendar, DayKind, NamedDay};
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::HashSet;

/// When a holiday rule falls in a given year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum When {
    /// The same day of the year every year.
    Fixed { month: u32, day: u32 },
    /// A number of days from Easter Sunday (negative: before).
    Easter(i64),
}

/// A holiday rule after its date is checked: its name, when it falls, and the years
/// it applies (`i32::MIN`/`i32::MAX` when open).
#[derive(Debug, Clone)]
pub(super) struct ResolvedHoliday {
    pub(super) name: String,
    pub(super) when: When,
    pub(super) from_year: i32,
    pub(super) to_year: i32,
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
    /// The holidays of the calendar it extends, then its own.
    pub(super) holidays: Vec<ResolvedHoliday>,
    /// Closed periods, first and last day included, with their names: those of the
    /// calendar it extends, then its own.
    pub(super) closures: Vec<(NaiveDate, NaiveDate, String)>,
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
