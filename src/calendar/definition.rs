//! A calendar as resolved from its file: the rules that give its holidays and
//! closures year by year, from which a [`Calendar`] works out each year it is asked
//! about, and which, as a bdays calendar, let a count be checked against bdays' own.

use crate::calendar::easter::easter_sunday;
use crate::calendar::{Calendar, DayKind, NamedDay};
use chrono::{Datelike, NaiveDate, Weekday};

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
    /// The holidays that year `year`'s rules give (a rule counted from Easter may
    /// fall in the year before), and the closure days within year `year`.
    pub(super) fn named_days(&self, year: i32) -> Vec<NamedDay> {
        let mut out = Vec::new();
        self.holidays_of(year, &mut out);
        self.closure_days_in(year, &mut out);
        out
    }

    /// Pushes the holidays the rules of year `year` give onto `out`.
    fn holidays_of(&self, year: i32, out: &mut Vec<NamedDay>) {
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
    }

    /// Pushes the closure days that fall in year `year` onto `out`.
    fn closure_days_in(&self, year: i32, out: &mut Vec<NamedDay>) {
        let (Some(jan1), Some(dec31)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return;
        };
        for (from, to, name) in &self.closures {
            let (start, end) = ((*from).max(jan1), (*to).min(dec31));
            for date in start.iter_days().take_while(|d| *d <= end) {
                out.push(NamedDay {
                    date,
                    name: name.clone(),
                    kind: DayKind::Closure,
                });
            }
        }
    }

    /// Every named day whose date falls in year `year` (within the valid years): the
    /// holidays the rules of each valid year give that fall in `year` (a rule counted
    /// up to 200 days from Easter can reach into the year before or after), and the
    /// closure days in `year`. Unsorted, possibly with duplicates.
    pub(super) fn named_days_falling_in(&self, year: i32) -> Vec<NamedDay> {
        let mut out = Vec::new();
        for rules_year in year.saturating_sub(1)..=year.saturating_add(1) {
            if rules_year >= self.first_year && rules_year <= self.last_year {
                self.holidays_of(rules_year, &mut out);
            }
        }
        out.retain(|d| d.date.year() == year);
        self.closure_days_in(year, &mut out);
        out
    }

    /// Whether `date` is a weekend day: Sunday, and Saturday unless it is a working
    /// day in this calendar.
    pub(super) fn is_weekend(&self, date: NaiveDate) -> bool {
        match date.weekday() {
            Weekday::Sun => true,
            Weekday::Sat => !self.saturday_is_working_day,
            _ => false,
        }
    }

    /// Makes the calendar that answers questions by these rules. Its years are
    /// worked out as they are asked about, so this costs the same for any range.
    pub fn compile(&self) -> Option<Calendar> {
        Calendar::new(self.clone())
    }
}

/// The definition is also a bdays calendar, so it can be checked against bdays' own
/// counting.
impl bdays::HolidayCalendar<NaiveDate> for CalendarDefinition {
    fn is_holiday(&self, date: NaiveDate) -> bool {
        self.named_days(date.year()).iter().any(|d| d.date == date)
    }

    fn is_bday(&self, date: NaiveDate) -> bool {
        !self.is_weekend(date) && !self.is_holiday(date)
    }
}
