//! A working-day calendar as the rest of hds asks it: is a day a working day, the
//! N-th working day after a date, the working days between two dates, the named
//! days of a year or a period.
//!
//! Calendars are described in YAML (see [`crate::calendar::file`]); loading resolves
//! each into its rules ([`CalendarDefinition`]) and makes a [`Calendar`] of it, which
//! costs the same whatever its valid years. A year's days are worked out the first
//! time a question touches that year, once, and kept: one bit per day saying whether
//! it is a working day, the count of working days, and its named holidays and closure
//! days. Threads share a calendar; each year is filled at most once, whichever thread
//! asks first. A date outside the valid years is an error, never a panic.

use crate::calendar::CalendarDefinition;
use chrono::{Datelike, NaiveDate};
use std::fmt;
use std::sync::OnceLock;

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

/// A working-day calendar, its years worked out as they are asked about.
#[derive(Debug, Clone)]
pub struct Calendar {
    definition: CalendarDefinition,
    first: NaiveDate,
    last: NaiveDate,
    /// One slot per valid year, `first_year` first, filled on first use.
    years: Box<[OnceLock<Year>]>,
}

/// The days of one year: which are working days, and which are named.
#[derive(Debug, Clone)]
struct Year {
    /// Bit `d` (of word `d / 64`) is set when day `d` of the year (0: 1 January) is a
    /// working day.
    working: [u64; WORDS],
    /// The number of working days in the year.
    count: u32,
    /// The named holidays and closure days of the year, by date, then kind and name.
    named: Vec<NamedDay>,
}

/// Words of 64 bits for the up to 366 days of a year.
const WORDS: usize = 6;

impl Year {
    /// Works out year `year` of `definition`.
    fn of(definition: &CalendarDefinition, year: i32) -> Year {
        let mut named = definition.named_days_falling_in(year);
        named.sort_by(|a, b| (a.date, a.kind, &a.name).cmp(&(b.date, b.kind, &b.name)));
        named.dedup();
        let mut working = [0u64; WORDS];
        let mut count = 0;
        if let Some(jan1) = NaiveDate::from_yo_opt(year, 1) {
            for day in jan1.iter_days().take_while(|d| d.year() == year) {
                if !definition.is_weekend(day) {
                    let i = day.ordinal0() as usize;
                    working[i / 64] |= 1 << (i % 64);
                }
            }
            for day in &named {
                let i = day.date.ordinal0() as usize;
                working[i / 64] &= !(1 << (i % 64));
            }
            count = working.iter().map(|w| w.count_ones()).sum();
        }
        Year {
            working,
            count,
            named,
        }
    }

    fn is_working(&self, day: usize) -> bool {
        self.working[day / 64] & (1 << (day % 64)) != 0
    }

    /// The working days among days `from..to` of the year (`to` at most 366).
    fn count_range(&self, from: usize, to: usize) -> u32 {
        if from >= to {
            return 0;
        }
        if from == 0 && to >= WORDS * 64 {
            return self.count;
        }
        let mut total = 0;
        for (w, word) in self.working.iter().enumerate() {
            let (lo, hi) = (w * 64, w * 64 + 64);
            if hi <= from || lo >= to {
                continue;
            }
            let mut bits = *word;
            if from > lo {
                bits &= !0u64 << (from - lo);
            }
            if to < hi {
                bits &= (1u64 << (to - lo)) - 1;
            }
            total += bits.count_ones();
        }
        total
    }

    /// The day of the year of the `n`-th working day (`n` from 1) on or after day
    /// `from`, when the year has that many.
    fn nth_from(&self, from: usize, n: u32) -> Option<usize> {
        let mut left = n;
        for (w, word) in self.working.iter().enumerate() {
            let lo = w * 64;
            if lo + 64 <= from {
                continue;
            }
            let mut bits = *word;
            if from > lo {
                bits &= !0u64 << (from - lo);
            }
            let ones = bits.count_ones();
            if left > ones {
                left -= ones;
                continue;
            }
            for _ in 1..left {
                bits &= bits - 1;
            }
            return Some(lo + bits.trailing_zeros() as usize);
        }
        None
    }
}

impl Calendar {
    /// A calendar of `definition`'s rules and years; `None` when its years are not
    /// years of the Gregorian calendar chrono can date.
    pub fn new(definition: CalendarDefinition) -> Option<Calendar> {
        let first = NaiveDate::from_ymd_opt(definition.first_year, 1, 1)?;
        let last = NaiveDate::from_ymd_opt(definition.last_year, 12, 31)?;
        if last < first {
            return None;
        }
        let span = usize::try_from(definition.last_year - definition.first_year).ok()? + 1;
        let years = std::iter::repeat_with(OnceLock::new).take(span).collect();
        Some(Calendar {
            definition,
            first,
            last,
            years,
        })
    }

    /// The calendar's name, as routes and messages give it.
    pub fn name(&self) -> &str {
        &self.definition.name
    }

    /// The first and last year the calendar covers.
    pub fn years(&self) -> (i32, i32) {
        (self.definition.first_year, self.definition.last_year)
    }

    /// The rules the calendar's days come from.
    pub fn definition(&self) -> &CalendarDefinition {
        &self.definition
    }

    fn out_of_range(&self, date: NaiveDate) -> OutOfRange {
        OutOfRange {
            calendar: self.definition.name.clone(),
            date,
            first_year: self.definition.first_year,
            last_year: self.definition.last_year,
            runs_past_end: false,
        }
    }

    fn check(&self, date: NaiveDate) -> Result<(), OutOfRange> {
        if date < self.first || date > self.last {
            return Err(self.out_of_range(date));
        }
        Ok(())
    }

    /// Year `year`, which must lie within the calendar, worked out on first use.
    fn year(&self, year: i32) -> &Year {
        let slot = usize::try_from(year - self.definition.first_year).unwrap_or(usize::MAX);
        match self.years.get(slot) {
            Some(cell) => cell.get_or_init(|| Year::of(&self.definition, year)),
            // Callers check the year first; an empty year keeps this total.
            None => &EMPTY_YEAR,
        }
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, OutOfRange> {
        self.check(date)?;
        Ok(self.year(date.year()).is_working(date.ordinal0() as usize))
    }

    /// The `n`-th working day after `from`; `from` itself is never counted, so a start
    /// on a weekend or holiday counts as from the working day before. `n = 0` gives
    /// `from`.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Result<NaiveDate, OutOfRange> {
        self.check(from)?;
        if n == 0 {
            return Ok(from);
        }
        let past_end = || OutOfRange {
            runs_past_end: true,
            ..self.out_of_range(from)
        };
        // Each working day counted is another day after `from`: a count longer than
        // the days left runs past the end without looking at them.
        if i64::from(n) > (self.last - from).num_days() {
            return Err(past_end());
        }
        let mut year = from.year();
        let mut day = from.ordinal0() as usize + 1;
        let mut left = n;
        while year <= self.definition.last_year {
            let this = self.year(year);
            if let Some(found) = this.nth_from(day, left) {
                return NaiveDate::from_yo_opt(year, found as u32 + 1).ok_or_else(past_end);
            }
            left -= this.count_range(day, WORDS * 64);
            year += 1;
            day = 0;
        }
        Err(past_end())
    }

    /// The number of working days after `from` up to and including `to`; negative
    /// when `to` is before `from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<i64, OutOfRange> {
        self.check(from)?;
        self.check(to)?;
        if to < from {
            return Ok(-self.working_days_after(to, from));
        }
        Ok(self.working_days_after(from, to))
    }

    /// The working days after `from` up to and including `to`, both within the
    /// calendar, `from` not after `to`.
    fn working_days_after(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let start = from.ordinal0() as usize + 1;
        let end = to.ordinal0() as usize + 1;
        if from.year() == to.year() {
            return i64::from(self.year(from.year()).count_range(start, end));
        }
        let mut total = i64::from(self.year(from.year()).count_range(start, WORDS * 64));
        for year in from.year() + 1..to.year() {
            total += i64::from(self.year(year).count);
        }
        total + i64::from(self.year(to.year()).count_range(0, end))
    }

    /// The named holidays and closure days of one year, in date order.
    pub fn named_days_in_year(&self, year: i32) -> Result<Vec<&NamedDay>, OutOfRange> {
        if year < self.definition.first_year || year > self.definition.last_year {
            let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(self.first);
            return Err(self.out_of_range(jan1));
        }
        Ok(self.year(year).named.iter().collect())
    }

    /// The named holidays and closure days after `from` up to and including `to`:
    /// the days a count over that period skips besides weekends.
    pub fn named_days_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<&NamedDay> {
        let Some(start) = from.succ_opt() else {
            return Vec::new();
        };
        let (start, end) = (start.max(self.first), to.min(self.last));
        if start > end {
            return Vec::new();
        }
        (start.year()..=end.year())
            .flat_map(|year| self.year(year).named.iter())
            .filter(|day| day.date >= start && day.date <= end)
            .collect()
    }
}

/// What [`Calendar::year`] gives for a year outside the calendar, which no caller
/// asks for.
static EMPTY_YEAR: Year = Year {
    working: [0; WORDS],
    count: 0,
    named: Vec::new(),
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::definition::{ResolvedHoliday, When};
    use std::collections::{BTreeMap, HashSet};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn definition(name: &str, first_year: i32, last_year: i32) -> CalendarDefinition {
        CalendarDefinition {
            name: name.to_string(),
            first_year,
            last_year,
            saturday_is_working_day: false,
            holidays: Vec::new(),
            closures: Vec::new(),
        }
    }

    fn weekdays_only(first: i32, last: i32) -> Calendar {
        Calendar::new(definition("weekdays", first, last)).expect("calendar")
    }

    fn holiday(name: &str, when: When, from_year: i32, to_year: i32) -> ResolvedHoliday {
        ResolvedHoliday {
            name: name.to_string(),
            when,
            from_year,
            to_year,
        }
    }

    /// A calendar with every kind of rule at its edges: holidays up to 200 days from
    /// Easter (reaching into the year before), 29 February, rules for some years only,
    /// two rules on one day, closures across the turn of a year and over years.
    fn awkward(saturday_is_working_day: bool) -> CalendarDefinition {
        let mut def = definition("awkward", 2019, 2031);
        def.saturday_is_working_day = saturday_is_working_day;
        def.holidays = vec![
            holiday(
                "New Year",
                When::Fixed { month: 1, day: 1 },
                i32::MIN,
                i32::MAX,
            ),
            holiday(
                "Leap",
                When::Fixed { month: 2, day: 29 },
                i32::MIN,
                i32::MAX,
            ),
            holiday("Long before Easter", When::Easter(-200), i32::MIN, i32::MAX),
            holiday("Long after Easter", When::Easter(200), 2020, 2029),
            holiday("Good Friday", When::Easter(-2), i32::MIN, i32::MAX),
            holiday(
                "Twice",
                When::Fixed { month: 5, day: 17 },
                i32::MIN,
                i32::MAX,
            ),
            holiday("Twice", When::Fixed { month: 5, day: 17 }, 2025, 2026),
            holiday("Only 2031", When::Fixed { month: 12, day: 30 }, 2031, 2031),
        ];
        def.closures = vec![
            (d(2019, 1, 1), d(2019, 1, 3), "Opening".to_string()),
            (
                d(2024, 12, 20),
                d(2025, 1, 10),
                "Turn of the year".to_string(),
            ),
            (d(2026, 5, 17), d(2026, 5, 18), "Twice".to_string()),
            (d(2027, 6, 1), d(2029, 2, 3), "Long".to_string()),
            (d(2031, 12, 31), d(2031, 12, 31), "Last day".to_string()),
        ];
        def
    }

    /// The calendar as a table of every day of its years, built the plain way: each
    /// year's rules applied, every day flagged, a running count of working days.
    struct Dense {
        first: NaiveDate,
        last: NaiveDate,
        working: Vec<bool>,
        cumulative: Vec<u32>,
        named: BTreeMap<NaiveDate, Vec<NamedDay>>,
    }

    impl Dense {
        fn of(def: &CalendarDefinition) -> Dense {
            let first = d(def.first_year, 1, 1);
            let last = d(def.last_year, 12, 31);
            let mut all = Vec::new();
            for year in def.first_year..=def.last_year {
                all.extend(def.named_days(year));
            }
            let off: HashSet<NaiveDate> = all.iter().map(|n| n.date).collect();
            let (mut working, mut cumulative, mut count) = (Vec::new(), Vec::new(), 0);
            for day in first.iter_days().take_while(|x| *x <= last) {
                let w = !def.is_weekend(day) && !off.contains(&day);
                count += u32::from(w);
                working.push(w);
                cumulative.push(count);
            }
            let mut named: BTreeMap<NaiveDate, Vec<NamedDay>> = BTreeMap::new();
            for day in all {
                if day.date >= first && day.date <= last {
                    named.entry(day.date).or_default().push(day);
                }
            }
            for days in named.values_mut() {
                days.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
                days.dedup();
            }
            Dense {
                first,
                last,
                working,
                cumulative,
                named,
            }
        }

        fn index(&self, date: NaiveDate) -> Option<usize> {
            (date >= self.first && date <= self.last)
                .then(|| (date - self.first).num_days() as usize)
        }

        fn add(&self, from: NaiveDate, n: u32) -> Option<NaiveDate> {
            let start = self.index(from)?;
            if n == 0 {
                return Some(from);
            }
            let target = self.cumulative[start].checked_add(n)?;
            let found = self.cumulative.partition_point(|&c| c < target);
            (found < self.cumulative.len()).then(|| self.first + chrono::Days::new(found as u64))
        }

        fn between(&self, from: NaiveDate, to: NaiveDate) -> Option<i64> {
            let a = i64::from(self.cumulative[self.index(from)?]);
            let b = i64::from(self.cumulative[self.index(to)?]);
            Some(b - a)
        }

        fn named_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<&NamedDay> {
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

    fn agrees_with_the_dense_table(def: CalendarDefinition) {
        let dense = Dense::of(&def);
        let cal = Calendar::new(def.clone()).expect("calendar");
        let (first_year, last_year) = (def.first_year, def.last_year);
        let outside = [
            d(first_year - 1, 12, 31),
            d(first_year - 3, 6, 1),
            d(last_year + 1, 1, 1),
        ];
        let days: Vec<NaiveDate> = dense
            .first
            .iter_days()
            .take_while(|x| *x <= dense.last)
            .collect();
        for (i, &day) in days.iter().enumerate() {
            assert_eq!(cal.is_working_day(day), Ok(dense.working[i]), "{day}");
            for n in [
                0,
                1,
                2,
                3,
                5,
                10,
                30,
                60,
                250,
                261,
                262,
                700,
                3400,
                5000,
                u32::MAX,
            ] {
                assert_eq!(
                    cal.add_working_days(day, n).ok(),
                    dense.add(day, n),
                    "{day} + {n}"
                );
            }
            for step in [0i64, 1, 2, 6, 40, 365, 366, 800, 4000, -1, -9, -370, -3000] {
                let Some(to) = day.checked_add_signed(chrono::Duration::days(step)) else {
                    continue;
                };
                if dense.index(to).is_some() {
                    assert_eq!(
                        cal.working_days_between(day, to).ok(),
                        dense.between(day, to)
                    );
                }
                assert_eq!(
                    cal.named_days_between(day, to),
                    dense.named_between(day, to)
                );
            }
        }
        for year in first_year - 2..=last_year + 2 {
            let expected: Option<Vec<&NamedDay>> =
                (year >= first_year && year <= last_year).then(|| {
                    dense
                        .named
                        .range(d(year, 1, 1)..=d(year, 12, 31))
                        .flat_map(|(_, v)| v.iter())
                        .collect()
                });
            assert_eq!(cal.named_days_in_year(year).ok(), expected, "{year}");
        }
        for out in outside {
            assert!(cal.is_working_day(out).is_err());
            assert!(cal.add_working_days(out, 1).is_err());
            assert!(cal.working_days_between(out, dense.first).is_err());
            assert!(cal.working_days_between(dense.first, out).is_err());
            assert_eq!(
                cal.named_days_between(out, dense.last),
                dense.named_between(out, dense.last)
            );
            assert_eq!(
                cal.named_days_between(dense.first, out),
                dense.named_between(dense.first, out)
            );
        }
    }

    #[test]
    fn every_answer_matches_a_table_of_every_day_built_in_full() {
        agrees_with_the_dense_table(awkward(false));
    }

    #[test]
    fn every_answer_matches_a_table_of_every_day_with_saturday_a_working_day() {
        agrees_with_the_dense_table(awkward(true));
    }

    #[test]
    fn a_holiday_counted_back_from_next_easter_is_kept_only_within_the_years() {
        // Easter 2032 is 28 March: 200 days before is 10 September 2031, a Wednesday,
        // which the rules of 2032 give; 2032 is outside the calendar.
        let cal = Calendar::new(awkward(false)).expect("calendar");
        assert_eq!(cal.is_working_day(d(2031, 9, 10)), Ok(true));
        // Easter 2031 is 13 April: 200 days before is 25 September 2030, a Wednesday.
        assert_eq!(cal.is_working_day(d(2030, 9, 25)), Ok(false));
        let names: Vec<&str> = cal
            .named_days_in_year(2030)
            .expect("in range")
            .iter()
            .filter(|n| n.date == d(2030, 9, 25))
            .map(|n| n.name.as_str())
            .collect();
        assert_eq!(names, ["Long before Easter"]);
    }

    #[test]
    fn a_calendar_over_every_gregorian_year_it_may_cover_loads_and_answers() {
        let mut def = definition("long", 1583, 9999);
        def.holidays = vec![holiday(
            "Easter Monday",
            When::Easter(1),
            i32::MIN,
            i32::MAX,
        )];
        def.closures = vec![(d(1583, 1, 1), d(9999, 12, 31), "Always".to_string())];
        let cal = Calendar::new(def).expect("calendar");
        // Closed every day: no working day to count to.
        assert_eq!(cal.is_working_day(d(2026, 3, 9)), Ok(false));
        assert!(cal.add_working_days(d(9999, 12, 30), 1).is_err());
        assert_eq!(cal.named_days_in_year(9999).map(|v| v.len()), Ok(365 + 1));
        assert_eq!(
            cal.working_days_between(d(1583, 1, 1), d(1583, 3, 1)),
            Ok(0)
        );
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
