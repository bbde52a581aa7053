//! Date arithmetic of the clock: a date moved onto a working day, the first working
//! day after a date, periods of months and weeks that end on a working day, and the
//! working days of a span.

use crate::calendar::{Calendar, OutOfRange};
use chrono::{Days, Months, NaiveDate};
use std::collections::BTreeSet;

/// `date` itself when it is a working day, else the next working day.
pub(super) fn on_or_next_working_day(
    cal: &Calendar,
    date: NaiveDate,
) -> Result<NaiveDate, OutOfRange> {
    if cal.is_working_day(date)? {
        Ok(date)
    } else {
        cal.add_working_days(date, 1)
    }
}

/// The first working day after `date` (never `date` itself).
pub(super) fn first_working_day_after(
    cal: &Calendar,
    date: NaiveDate,
) -> Result<NaiveDate, OutOfRange> {
    cal.add_working_days(date, 1)
}

/// `months` months after `date` (the same day of the month, or that month's last
/// day), on the next working day when that is not one.
pub(super) fn months_after(
    cal: &Calendar,
    date: NaiveDate,
    months: u32,
) -> Result<NaiveDate, OutOfRange> {
    let end = date
        .checked_add_months(Months::new(months))
        .ok_or_else(|| beyond(cal, date))?;
    on_or_next_working_day(cal, end)
}

/// `weeks` weeks after `date`, on the next working day when that is not one.
pub(super) fn weeks_after(
    cal: &Calendar,
    date: NaiveDate,
    weeks: u32,
) -> Result<NaiveDate, OutOfRange> {
    let end = date
        .checked_add_days(Days::new(u64::from(weeks) * 7))
        .ok_or_else(|| beyond(cal, date))?;
    on_or_next_working_day(cal, end)
}

/// The working days after `from` up to and including `to`, as a count that is never
/// below 0.
pub(super) fn working_days_after(
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<u32, OutOfRange> {
    let n = cal.working_days_between(from, to)?;
    Ok(u32::try_from(n.max(0)).unwrap_or(u32::MAX))
}

/// Adds every working day after `from` up to and including `to` to `days`.
pub(super) fn collect_working_days(
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
    days: &mut BTreeSet<NaiveDate>,
) -> Result<(), OutOfRange> {
    let mut day = from;
    while let Some(next) = day.succ_opt().filter(|d| *d <= to) {
        if cal.is_working_day(next)? {
            days.insert(next);
        }
        day = next;
    }
    Ok(())
}

fn beyond(cal: &Calendar, date: NaiveDate) -> OutOfRange {
    let (first_year, last_year) = cal.years();
    OutOfRange {
        calendar: cal.name().to_string(),
        date,
        first_year,
        last_year,
        runs_past_end: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::DEFAULT_CALENDAR;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date")
    }

    fn norway() -> std::sync::Arc<Calendar> {
        let rules = crate::RuleSet::built_in().expect("the built-in rules");
        rules
            .calendars()
            .get(DEFAULT_CALENDAR)
            .cloned()
            .expect("the national calendar")
    }

    #[test]
    fn a_month_ends_on_the_same_day_or_the_months_last_then_on_a_working_day() {
        let cal = norway();
        // 31 January + 1 month: 28 February 2026, a Saturday: Monday 2 March.
        assert_eq!(months_after(&cal, d("2026-01-31"), 1), Ok(d("2026-03-02")));
        // 2 March + 1 month: Maundy Thursday 2 April; Easter: Tuesday 7 April.
        assert_eq!(months_after(&cal, d("2026-03-02"), 1), Ok(d("2026-04-07")));
        // 17 April + 1 month: Sunday 17 May: Monday 18 May.
        assert_eq!(months_after(&cal, d("2026-04-17"), 1), Ok(d("2026-05-18")));
    }

    #[test]
    fn three_weeks_that_end_on_christmas_day_end_after_the_weekend() {
        // Friday 4 December + 21 days: Friday 25 December; 26-27 the weekend.
        assert_eq!(
            weeks_after(&norway(), d("2026-12-04"), 3),
            Ok(d("2026-12-28"))
        );
    }

    #[test]
    fn the_first_working_day_after_is_never_the_day_itself() {
        let cal = norway();
        assert_eq!(
            first_working_day_after(&cal, d("2026-05-13")),
            Ok(d("2026-05-15"))
        );
        assert_eq!(
            on_or_next_working_day(&cal, d("2026-05-13")),
            Ok(d("2026-05-13"))
        );
        assert_eq!(
            on_or_next_working_day(&cal, d("2026-05-14")),
            Ok(d("2026-05-15"))
        );
    }

    #[test]
    fn working_days_of_a_span_count_after_its_start_and_never_below_zero() {
        let cal = norway();
        // 14 May is Ascension Day: 15 May only.
        assert_eq!(
            working_days_after(&cal, d("2026-05-13"), d("2026-05-15")),
            Ok(1)
        );
        assert_eq!(
            working_days_after(&cal, d("2026-05-15"), d("2026-05-13")),
            Ok(0)
        );
        let mut days = BTreeSet::new();
        collect_working_days(&cal, d("2026-05-12"), d("2026-05-18"), &mut days)
            .expect("inside the calendar");
        let expected: BTreeSet<NaiveDate> =
            ["2026-05-13", "2026-05-15", "2026-05-18"].map(d).into();
        assert_eq!(days, expected);
    }
}
