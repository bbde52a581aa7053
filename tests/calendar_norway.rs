//! Tests of the national calendar `calendars/norway.yaml` through the public API.
//!
//! Every expected date here was worked out by hand from the law (lov om helligdager
//! og helligdagsfred § 2; 1 and 17 May by lov 26. april 1947 nr. 1), with the day
//! count written beside each case. Weekdays and Easter dates were checked
//! independently (Python's `datetime` and `dateutil.easter`), never taken from the
//! program under test.

use bdays::HolidayCalendar;
use chrono::{Datelike, NaiveDate, Weekday};
use hds::calendar::{Calendar, DayKind};
use std::sync::{Arc, OnceLock};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn rules() -> &'static hds::RuleSet {
    static RULES: OnceLock<hds::RuleSet> = OnceLock::new();
    RULES.get_or_init(|| hds::RuleSet::built_in().expect("the built-in rule set loads"))
}

fn norway() -> &'static Arc<Calendar> {
    rules()
        .calendars()
        .get("norway")
        .expect("the norway calendar exists")
}

/// The due date: the `n`-th working day after `from` on the national calendar.
fn due(from: NaiveDate, n: u32) -> NaiveDate {
    norway()
        .add_working_days(from, n)
        .unwrap_or_else(|e| panic!("{from} + {n} working days: {e}"))
}

fn working(date: NaiveDate) -> bool {
    norway()
        .is_working_day(date)
        .unwrap_or_else(|e| panic!("{date}: {e}"))
}

fn between(from: NaiveDate, to: NaiveDate) -> i64 {
    norway()
        .working_days_between(from, to)
        .unwrap_or_else(|e| panic!("{from}..{to}: {e}"))
}

// ---------------------------------------------------------------------------
// 1. The public holidays of whole years
// ---------------------------------------------------------------------------

/// The named days of one year as sorted (date, English name) pairs; the English name
/// is the part of the calendar's name before " (".
fn named_days(year: i32) -> Vec<(NaiveDate, String)> {
    let days = norway()
        .named_days_in_year(year)
        .unwrap_or_else(|e| panic!("{year}: {e}"));
    let mut out: Vec<(NaiveDate, String)> = days
        .iter()
        .map(|day| {
            assert_eq!(day.kind, DayKind::Holiday, "{day:?} is not a holiday");
            let english = day.name.split(" (").next().unwrap_or("").to_string();
            (day.date, english)
        })
        .collect();
    out.sort();
    out
}

fn expected_table(rows: &[(NaiveDate, &str)]) -> Vec<(NaiveDate, String)> {
    let mut out: Vec<(NaiveDate, String)> = rows
        .iter()
        .map(|(date, name)| (*date, name.to_string()))
        .collect();
    out.sort();
    out
}

#[test]
fn holidays_of_2024_are_the_twelve_statutory_days_with_easter_on_31_march() {
    // Easter Sunday 2024-03-31.
    // Maundy Thursday = 31 Mar - 3 = 28 Mar; Good Friday = 29 Mar; Easter Monday = 1 Apr.
    // Ascension = 31 Mar + 39: 31 Mar + 30 = 30 Apr, + 9 = 9 May.
    // Whit Sunday = 31 Mar + 49 = 30 Apr + 19 = 19 May; Whit Monday = 20 May.
    let expected = expected_table(&[
        (d(2024, 1, 1), "New Year's Day"),
        (d(2024, 3, 28), "Maundy Thursday"),
        (d(2024, 3, 29), "Good Friday"),
        (d(2024, 3, 31), "Easter Sunday"),
        (d(2024, 4, 1), "Easter Monday"),
        (d(2024, 5, 1), "Labour Day"),
        (d(2024, 5, 9), "Ascension Day"),
        (d(2024, 5, 17), "Constitution Day"),
        (d(2024, 5, 19), "Whit Sunday"),
        (d(2024, 5, 20), "Whit Monday"),
        (d(2024, 12, 25), "Christmas Day"),
        (d(2024, 12, 26), "St Stephen's Day"),
    ]);
    assert_eq!(named_days(2024), expected);
}

#[test]
fn holidays_of_2025_are_the_twelve_statutory_days_with_easter_on_20_april() {
    // Easter Sunday 2025-04-20.
    // Maundy Thursday 17 Apr; Good Friday 18 Apr; Easter Monday 21 Apr.
    // Ascension = 20 Apr + 39: 20 Apr + 10 = 30 Apr, + 29 = 29 May.
    // Whit Sunday = 20 Apr + 49 = 30 Apr + 39 = 31 May + 8 = 8 June; Whit Monday 9 June.
    let expected = expected_table(&[
        (d(2025, 1, 1), "New Year's Day"),
        (d(2025, 4, 17), "Maundy Thursday"),
        (d(2025, 4, 18), "Good Friday"),
        (d(2025, 4, 20), "Easter Sunday"),
        (d(2025, 4, 21), "Easter Monday"),
        (d(2025, 5, 1), "Labour Day"),
        (d(2025, 5, 17), "Constitution Day"),
        (d(2025, 5, 29), "Ascension Day"),
        (d(2025, 6, 8), "Whit Sunday"),
        (d(2025, 6, 9), "Whit Monday"),
        (d(2025, 12, 25), "Christmas Day"),
        (d(2025, 12, 26), "St Stephen's Day"),
    ]);
    assert_eq!(named_days(2025), expected);
}

#[test]
fn holidays_of_2026_are_the_twelve_statutory_days_with_easter_on_5_april() {
    // Easter Sunday 2026-04-05.
    // Maundy Thursday 2 Apr; Good Friday 3 Apr; Easter Monday 6 Apr.
    // Ascension = 5 Apr + 39: 5 Apr + 25 = 30 Apr, + 14 = 14 May.
    // Whit Sunday = 5 Apr + 49 = 30 Apr + 24 = 24 May; Whit Monday 25 May.
    let expected = expected_table(&[
        (d(2026, 1, 1), "New Year's Day"),
        (d(2026, 4, 2), "Maundy Thursday"),
        (d(2026, 4, 3), "Good Friday"),
        (d(2026, 4, 5), "Easter Sunday"),
        (d(2026, 4, 6), "Easter Monday"),
        (d(2026, 5, 1), "Labour Day"),
        (d(2026, 5, 14), "Ascension Day"),
        (d(2026, 5, 17), "Constitution Day"),
        (d(2026, 5, 24), "Whit Sunday"),
        (d(2026, 5, 25), "Whit Monday"),
        (d(2026, 12, 25), "Christmas Day"),
        (d(2026, 12, 26), "St Stephen's Day"),
    ]);
    assert_eq!(named_days(2026), expected);
}

#[test]
fn holidays_of_2027_list_17_may_twice_because_whit_monday_is_constitution_day() {
    // Easter Sunday 2027-03-28.
    // Maundy Thursday 25 Mar; Good Friday 26 Mar; Easter Monday 29 Mar.
    // Ascension = 28 Mar + 39: 28 Mar + 3 = 31 Mar, + 30 = 30 Apr (33), + 6 = 6 May.
    // Whit Sunday = 28 Mar + 49 = 30 Apr (33) + 16 = 16 May; Whit Monday 17 May,
    // the same day as Constitution Day.
    let expected = expected_table(&[
        (d(2027, 1, 1), "New Year's Day"),
        (d(2027, 3, 25), "Maundy Thursday"),
        (d(2027, 3, 26), "Good Friday"),
        (d(2027, 3, 28), "Easter Sunday"),
        (d(2027, 3, 29), "Easter Monday"),
        (d(2027, 5, 1), "Labour Day"),
        (d(2027, 5, 6), "Ascension Day"),
        (d(2027, 5, 16), "Whit Sunday"),
        (d(2027, 5, 17), "Constitution Day"),
        (d(2027, 5, 17), "Whit Monday"),
        (d(2027, 12, 25), "Christmas Day"),
        (d(2027, 12, 26), "St Stephen's Day"),
    ]);
    assert_eq!(named_days(2027), expected);
}

#[test]
fn holidays_of_2008_list_1_may_twice_because_ascension_fell_on_labour_day() {
    // Easter Sunday 2008-03-23.
    // Maundy Thursday 20 Mar; Good Friday 21 Mar; Easter Monday 24 Mar.
    // Ascension = 23 Mar + 39: 23 Mar + 8 = 31 Mar, + 30 = 30 Apr (38), + 1 = 1 May.
    // Whit Sunday = 23 Mar + 49 = 30 Apr (38) + 11 = 11 May; Whit Monday 12 May.
    let expected = expected_table(&[
        (d(2008, 1, 1), "New Year's Day"),
        (d(2008, 3, 20), "Maundy Thursday"),
        (d(2008, 3, 21), "Good Friday"),
        (d(2008, 3, 23), "Easter Sunday"),
        (d(2008, 3, 24), "Easter Monday"),
        (d(2008, 5, 1), "Ascension Day"),
        (d(2008, 5, 1), "Labour Day"),
        (d(2008, 5, 11), "Whit Sunday"),
        (d(2008, 5, 12), "Whit Monday"),
        (d(2008, 5, 17), "Constitution Day"),
        (d(2008, 12, 25), "Christmas Day"),
        (d(2008, 12, 26), "St Stephen's Day"),
    ]);
    assert_eq!(named_days(2008), expected);
}

#[test]
fn holiday_dates_are_not_working_days_and_christmas_eve_and_new_years_eve_are() {
    for year in [2008, 2024, 2025, 2026, 2027] {
        for (date, name) in named_days(year) {
            assert!(!working(date), "{date} ({name}) must not be a working day");
        }
    }
    // Christmas Eve and New Year's Eve are ordinary days: working days on a weekday.
    assert!(working(d(2026, 12, 24))); // Thursday
    assert!(working(d(2026, 12, 31))); // Thursday
    assert!(working(d(2025, 12, 24))); // Wednesday
    assert!(working(d(2025, 12, 31))); // Wednesday
    assert!(working(d(2027, 12, 24))); // Friday
    assert!(working(d(2027, 12, 31))); // Friday
    // Neither is named as a holiday.
    for year in [2025, 2026, 2027] {
        let names = named_days(year);
        assert!(!names.iter().any(|(date, _)| *date == d(year, 12, 24)));
        assert!(!names.iter().any(|(date, _)| *date == d(year, 12, 31)));
    }
}

#[test]
fn saturdays_and_sundays_are_never_working_days() {
    assert!(!working(d(2026, 3, 7))); // Saturday
    assert!(!working(d(2026, 3, 8))); // Sunday
    assert!(working(d(2026, 3, 9))); // Monday
    // Every Saturday and Sunday in the whole range.
    let (first, last) = norway().years();
    for date in d(first, 1, 1).iter_days().take_while(|x| *x <= d(last, 12, 31)) {
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            assert!(!working(date), "{date} is a weekend day");
        }
    }
}

#[test]
fn a_year_has_its_weekdays_minus_the_holidays_on_weekdays_as_working_days() {
    // 2026 starts on a Thursday and has 365 days = 52 weeks + 1 day (a Thursday):
    // 52 * 5 + 1 = 261 weekdays. Holidays on weekdays: 1 Jan (Thu), 2 Apr (Thu),
    // 3 Apr (Fri), 6 Apr (Mon), 1 May (Fri), 14 May (Thu), 25 May (Mon), 25 Dec (Fri)
    // = 8 (17 May is a Sunday, 26 Dec a Saturday). 261 - 8 = 253.
    assert_eq!(between(d(2025, 12, 31), d(2026, 12, 31)), 253);
    // 2008 is a leap year starting on a Tuesday: 366 days = 52 weeks + Tue, Wed:
    // 262 weekdays. Holidays on weekdays: 1 Jan (Tue), 20 Mar (Thu), 21 Mar (Fri),
    // 24 Mar (Mon), 1 May (Thu, Labour Day and Ascension, counted once), 12 May (Mon),
    // 25 Dec (Thu), 26 Dec (Fri) = 8 (17 May is a Saturday). 262 - 8 = 254.
    assert_eq!(between(d(2007, 12, 31), d(2008, 12, 31)), 254);
    // 2024 is a leap year starting on a Monday: 52 weeks + Mon, Tue = 262 weekdays.
    // Holidays on weekdays: 1 Jan (Mon), 28 Mar (Thu), 29 Mar (Fri), 1 Apr (Mon),
    // 1 May (Wed), 9 May (Thu), 17 May (Fri), 20 May (Mon), 25 Dec (Wed), 26 Dec (Thu)
    // = 10. 262 - 10 = 252.
    assert_eq!(between(d(2023, 12, 31), d(2024, 12, 31)), 252);
}

