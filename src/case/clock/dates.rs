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
