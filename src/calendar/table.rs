//! A working-day calendar compiled into a table for constant-time look-ups.
//!
//! Calendars are described in YAML (see [`crate::calendar::file`]); loading turns each
//! into a [`Calendar`]: one flag per day of its valid years and a running count of
//! working days, the idea of bdays' `HolidayCalendarCache`. Counting N working days
//! is then a binary search, and a date outside the valid years is an error, never a
//! panic.

use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;
use std::fmt;

/// A date the calendar does not cover, or a count that runs past its last year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfRange {
    /// The name of the calendar asked.
    pub calendar: String,
    /// The date outside the calendar, or the start of a count that ran past its end.
    pub date: NaiveDate,
    /// The first year the calendar covers, to say what would have worked.
    pub first_year: i32,
    /// The last year the calendar covers.
    pub last_year: i32,
    /// A count starting at `date` (inside the calendar) ran past its last day.
    pub runs_past_end: bool,
}

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.runs_past_end {
            write!(
                f,
                "counting working days after {} runs past the end of calendar '{}', which covers {}-{}",
                self.date, self.calendar, self.first_year, self.last_year
            )
        } else {
            write!(
                f,
                "date {} is outside calendar '{}', which covers {}-{}",
                self.date, self.calendar, self.first_year, self.last_year
            )
        }
    }
}

impl std::error::Error for OutOfRange {}

impl From<OutOfRange> for crate::error::Error {
    fn from(e: OutOfRange) -> Self {
        crate::error::Error::new(crate::error::ErrorKind::DateOutOfRange, e.to_string())
    }
}

/// A day that is not a working day for a reason other than being a weekend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedDay {
    /// The day.
    pub date: NaiveDate,
    /// The name from the calendar file, e.g. `Constitution Day (17. mai)`, to show
    /// why the day is not a working day.
    pub name: String,
    /// `holiday` for a public holiday, `closure` for a closure day of a custodian.
    pub kind: DayKind,
}

/// Why a named day is not a working day: for everyone, or for one custodian only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DayKind {
    /// A public holiday, from a calendar's `holidays`.
    Holiday,
    /// A day a custodian is closed, from a calendar's `closures`.
    Closure,
}

/// A compiled working-day calendar.
#[derive(Debug, Clone)]
pub struct Calendar {
    name: String,
    first: NaiveDate,
    last: NaiveDate,
    first_year: i32,
    last_year: i32,
    working: Vec<bool>,
    /// `cumulative[i]`: working days from `first` up to and including day `i`.
    cumulative: Vec<u32>,
    named: BTreeMap<NaiveDate, Vec<NamedDay>>,
}

impl Calendar {
    /// Builds the table for the years `first_year..=last_year`, asking `is_working_day`
    /// about each day once. `named` lists the holidays and closures, for display.
    pub fn build(
        name: &str,
        first_year: i32,
        last_year: i32,
        is_working_day: impl Fn(NaiveDate) -> bool,
        named: Vec<NamedDay>,
    ) -> Option<Calendar> {
        let first = NaiveDate::from_ymd_opt(first_year, 1, 1)?;
        let last = NaiveDate::from_ymd_opt(last_year, 12, 31)?;
        if last < first {
            return None;
        }
        let len = (last - first).num_days() as usize + 1;
        let mut working = Vec::with_capacity(len);
        let mut cumulative = Vec::with_capacity(len);
        let mut count = 0u32;
        for day in first.iter_days().take(len) {
            let w = is_working_day(day);
            if w {
                count += 1;
            }
            working.push(w);
            cumulative.push(count);
        }
        let mut by_date: BTreeMap<NaiveDate, Vec<NamedDay>> = BTreeMap::new();
        for day in named {
            if day.date >= first && day.date <= last {
                by_date.entry(day.date).or_default().push(day);
            }
        }
        for days in by_date.values_mut() {
            days.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
            days.dedup();
        }
        Some(Calendar {
            name: name.to_string(),
            first,
            last,
            first_year,
            last_year,
            working,
            cumulative,
            named: by_date,
        })
    }

    /// The calendar's name, as routes and messages give it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The first and last year the calendar covers.
    pub fn years(&self) -> (i32, i32) {
        (self.first_year, self.last_year)
    }

    fn out_of_range(&self, date: NaiveDate) -> OutOfRange {
        OutOfRange {
            calendar: self.name.clone(),
            date,
            first_year: self.first_year,
            last_year: self.last_year,
            runs_past_end: false,
        }
    }

    fn index(&self, date: NaiveDate) -> Result<usize, OutOfRange> {
        if date < self.first || date > self.last {
            return Err(self.out_of_range(date));
        }
        Ok((date - self.first).num_days() as usize)
    }

    fn date_at(&self, index: usize) -> NaiveDate {
        self.first + chrono::Days::new(index as u64)
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, OutOfRange> {
        Ok(self.working[self.index(date)?])
    }

    /// The `n`-th working day after `from`; `from` itself is never counted, so a start
    /// on a weekend or holiday counts as from the working day before. `n = 0` gives
    /// `from`.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Result<NaiveDate, OutOfRange> {
        let start = self.index(from)?;
        if n == 0 {
            return Ok(from);
        }
        let target = self.cumulative[start].checked_add(n);
        let found = target.map_or(self.cumulative.len(), |t| {
            self.cumulative.partition_point(|&c| c < t)
        });
        if found >= self.cumulative.len() {
            return Err(OutOfRange {
                runs_past_end: true,
                ..self.out_of_range(from)
            });
        }
        Ok(self.date_at(found))
    }

    /// The number of working days after `from` up to and including `to`; negative
    /// when `to` is before `from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<i64, OutOfRange> {
        let a = self.cumulative[self.index(from)?] as i64;
        let b = self.cumulative[self.index(to)?] as i64;
        Ok(b - a)
    }

    /// The named holidays and closure days of one year, in date order.
    pub fn named_days_in_year(&self, year: i32) -> Result<Vec<&NamedDay>, OutOfRange> {
        let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(self.first);
        if year < self.first_year || year > self.last_year {
            return Err(self.out_of_range(jan1));
        }
        Ok(self
            .named
            .range(jan1..)
            .take_while(|(d, _)| d.year() == year)
            .flat_map(|(_, days)| days.iter())
            .collect())
    }

    /// The named holidays and closure days after `from` up to and including `to`:
    /// the days a count over that period skips besides weekends.
    pub fn named_days_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<&NamedDay> {
        match from.succ_opt() {
            Some(start) if start <= to => self
                .named
                .range(start..=to)
                .flat_map(|(_, days)| days.iter())
                .collect(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn weekdays_only(first: i32, last: i32) -> Calendar {
        Calendar::build(
            "weekdays",
            first,
            last,
            |day| !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
            vec![],
        )
        .expect("calendar")
    }

    #[test]
    fn adding_working_days_skips_weekends_and_never_counts_the_start() {
        let cal = weekdays_only(2026, 2026);
        // Friday + 1 = Monday; Saturday + 1 = Monday; Sunday + 1 = Monday.
        assert_eq!(cal.add_working_days(d(2026, 3, 6), 1), Ok(d(2026, 3, 9)));
        assert_eq!(cal.add_working_days(d(2026, 3, 7), 1), Ok(d(2026, 3, 9)));
        assert_eq!(cal.add_working_days(d(2026, 3, 8), 1), Ok(d(2026, 3, 9)));
        // Monday + 5 = next Monday.
        assert_eq!(cal.add_working_days(d(2026, 3, 9), 5), Ok(d(2026, 3, 16)));
        assert_eq!(cal.add_working_days(d(2026, 3, 9), 0), Ok(d(2026, 3, 9)));
    }

    #[test]
    fn counting_between_is_the_inverse_of_adding() {
        let cal = weekdays_only(2026, 2027);
        let start = d(2026, 3, 6);
        for n in 0..300 {
            let due = cal.add_working_days(start, n).expect("in range");
            assert_eq!(cal.working_days_between(start, due), Ok(n as i64));
        }
        assert_eq!(
            cal.working_days_between(d(2026, 3, 16), d(2026, 3, 9)),
            Ok(-5)
        );
    }

    #[test]
    fn dates_outside_the_years_are_errors_not_panics() {
        let cal = weekdays_only(2026, 2026);
        assert!(cal.is_working_day(d(2025, 12, 31)).is_err());
        assert!(cal.is_working_day(d(2027, 1, 1)).is_err());
        assert!(cal.add_working_days(d(2026, 12, 30), 5).is_err());
        let err = cal.add_working_days(d(2026, 12, 30), 5).unwrap_err();
        assert_eq!(
            err.to_string(),
            "counting working days after 2026-12-30 runs past the end of calendar 'weekdays', which covers 2026-2026"
        );
        assert!(cal.named_days_in_year(2027).is_err());
    }

    #[test]
    fn first_and_last_days_of_the_range_are_usable() {
        let cal = weekdays_only(2026, 2026);
        assert_eq!(cal.is_working_day(d(2026, 1, 1)), Ok(true));
        assert_eq!(cal.is_working_day(d(2026, 12, 31)), Ok(true));
        assert_eq!(
            cal.add_working_days(d(2026, 12, 30), 1),
            Ok(d(2026, 12, 31))
        );
    }
}
