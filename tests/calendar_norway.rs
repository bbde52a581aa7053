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
    for date in d(first, 1, 1)
        .iter_days()
        .take_while(|x| *x <= d(last, 12, 31))
    {
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

// ---------------------------------------------------------------------------
// 2. Due dates
// ---------------------------------------------------------------------------

#[test]
fn thirty_working_days_from_friday_6_march_2026_skip_easter_and_end_wednesday_22_april() {
    // Completed Friday 2026-03-06; day 1 is Monday 9 March.
    //   Mar  9-13 Mon-Fri   1-5
    //   Mar 16-20 Mon-Fri   6-10
    //   Mar 23-27 Mon-Fri  11-15
    //   Mar 30 Mon 16, Mar 31 Tue 17, Apr 1 Wed 18,
    //   Apr 2 Thu Maundy Thursday -, Apr 3 Fri Good Friday -, Apr 6 Mon Easter Monday -
    //   Apr  7-10 Tue-Fri  19-22
    //   Apr 13-17 Mon-Fri  23-27
    //   Apr 20 Mon 28, Apr 21 Tue 29, Apr 22 Wed 30
    assert_eq!(due(d(2026, 3, 6), 30), d(2026, 4, 22));
}

#[test]
fn sixty_working_days_from_friday_6_march_2026_skip_easter_may_holidays_and_end_monday_8_june() {
    // Continuing from day 30 = Wed 22 April 2026:
    //   Apr 23 Thu 31, Apr 24 Fri 32
    //   Apr 27-30 Mon-Thu  33-36; May 1 Fri Labour Day -
    //   May  4-8  Mon-Fri  37-41
    //   May 11 Mon 42, 12 Tue 43, 13 Wed 44, May 14 Thu Ascension -, 15 Fri 45
    //   May 18-22 Mon-Fri  46-50 (17 May is a Sunday: nothing extra skipped)
    //   May 25 Mon Whit Monday -; May 26-29 Tue-Fri 51-54
    //   Jun  1-5  Mon-Fri  55-59
    //   Jun  8 Mon 60
    assert_eq!(due(d(2026, 3, 6), 60), d(2026, 6, 8));
}

#[test]
fn a_period_containing_ascension_and_whit_monday_2025_skips_both() {
    // Completed Friday 2025-05-23. Ascension Thu 29 May, Whit Monday 9 June.
    //   May 26 Mon 1, 27 Tue 2, 28 Wed 3, May 29 Thu Ascension -, May 30 Fri 4
    //   Jun  2-6 Mon-Fri 5-9
    //   Jun  9 Mon Whit Monday -
    //   Jun 10 Tue 10
    assert_eq!(due(d(2025, 5, 23), 10), d(2025, 6, 10));
    // One fewer lands on the Friday before Whit Monday (day 9 = Fri 6 June).
    assert_eq!(due(d(2025, 5, 23), 9), d(2025, 6, 6));
}

#[test]
fn constitution_day_on_a_weekday_is_skipped() {
    // 2028: 17 May is a Wednesday (Easter 16 Apr 2028, Ascension 25 May, so nothing
    // else that week). Completed Monday 2028-05-15:
    //   May 16 Tue 1, May 17 Wed Constitution Day -, May 18 Thu 2, May 19 Fri 3
    assert_eq!(due(d(2028, 5, 15), 3), d(2028, 5, 19));
    assert!(!working(d(2028, 5, 17)));

    // 2024: 17 May is a Friday and Whit Monday is 20 May. Completed Monday 2024-05-13:
    //   May 14 Tue 1, 15 Wed 2, 16 Thu 3, May 17 Fri Constitution Day -,
    //   May 18-19 weekend (19 = Whit Sunday), May 20 Mon Whit Monday -,
    //   May 21 Tue 4, May 22 Wed 5
    assert_eq!(due(d(2024, 5, 13), 5), d(2024, 5, 22));
    assert!(!working(d(2024, 5, 17)));
}

#[test]
fn constitution_day_on_a_sunday_2026_gives_no_day_off_on_monday() {
    // 17 May 2026 is a Sunday; Monday 18 May is an ordinary working day.
    assert!(working(d(2026, 5, 18)));
    // Completed Friday 2026-05-15:
    //   May 16 Sat -, May 17 Sun (Constitution Day) -, May 18 Mon 1, 19 Tue 2, 20 Wed 3
    assert_eq!(due(d(2026, 5, 15), 3), d(2026, 5, 20));
    assert_eq!(due(d(2026, 5, 15), 1), d(2026, 5, 18));
}

#[test]
fn constitution_day_that_is_also_whit_monday_2027_is_skipped_once() {
    // 17 May 2027 is a Monday and both Constitution Day and Whit Monday.
    // Completed Friday 2027-05-14:
    //   May 15-16 weekend (16 = Whit Sunday), May 17 Mon holiday -, May 18 Tue 1,
    //   May 19 Wed 2
    assert_eq!(due(d(2027, 5, 14), 1), d(2027, 5, 18));
    assert_eq!(due(d(2027, 5, 14), 2), d(2027, 5, 19));
}

#[test]
fn christmas_to_new_year_2026_counts_christmas_eve_and_new_years_eve_as_working_days() {
    // Completed Friday 2026-12-18:
    //   Dec 21 Mon 1, 22 Tue 2, 23 Wed 3, Dec 24 Thu (Christmas Eve) 4,
    //   Dec 25 Fri Christmas Day -, Dec 26 Sat -, Dec 27 Sun -,
    //   Dec 28 Mon 5, 29 Tue 6, 30 Wed 7, Dec 31 Thu (New Year's Eve) 8,
    //   Jan 1 Fri New Year's Day -, Jan 2 Sat -, Jan 3 Sun -,
    //   Jan 4 Mon 9, Jan 5 Tue 10
    assert_eq!(due(d(2026, 12, 18), 10), d(2027, 1, 5));
    assert_eq!(due(d(2026, 12, 18), 4), d(2026, 12, 24));
    assert_eq!(due(d(2026, 12, 18), 8), d(2026, 12, 31));
    assert_eq!(due(d(2026, 12, 18), 9), d(2027, 1, 4));
}

#[test]
fn a_saturday_completion_counts_as_the_friday_before() {
    // Saturday 2026-03-07 counts as from Friday 2026-03-06: day 1 is Monday 9 March.
    assert_eq!(due(d(2026, 3, 7), 1), d(2026, 3, 9));
    assert_eq!(due(d(2026, 3, 7), 30), d(2026, 4, 22)); // the Easter count above
    assert_eq!(due(d(2026, 3, 7), 60), d(2026, 6, 8));
    for n in [1, 5, 10, 30, 60, 250] {
        assert_eq!(due(d(2026, 3, 7), n), due(d(2026, 3, 6), n), "n = {n}");
    }
}

#[test]
fn a_sunday_completion_counts_as_the_friday_before() {
    // Sunday 2026-03-08 counts as from Friday 2026-03-06: day 1 is Monday 9 March.
    assert_eq!(due(d(2026, 3, 8), 1), d(2026, 3, 9));
    assert_eq!(due(d(2026, 3, 8), 30), d(2026, 4, 22));
    for n in [1, 5, 10, 30, 60, 250] {
        assert_eq!(due(d(2026, 3, 8), n), due(d(2026, 3, 6), n), "n = {n}");
    }
}

#[test]
fn an_easter_monday_completion_counts_as_the_wednesday_before_easter() {
    // 2026: Apr 1 Wed is the last working day before Easter (2 Apr Maundy Thursday,
    // 3 Apr Good Friday, 4-5 Apr weekend/Easter Sunday, 6 Apr Easter Monday).
    // Completed Easter Monday 2026-04-06: day 1 is Tue 7 April.
    //   Apr 7 Tue 1, 8 Wed 2, 9 Thu 3, 10 Fri 4, Apr 13 Mon 5
    assert_eq!(due(d(2026, 4, 6), 1), d(2026, 4, 7));
    assert_eq!(due(d(2026, 4, 6), 5), d(2026, 4, 13));
    // The same as completing on Wednesday 1 April, or on any day of Easter.
    for n in [1, 5, 20] {
        let from_wednesday = due(d(2026, 4, 1), n);
        for day in 2..=6 {
            assert_eq!(
                due(d(2026, 4, day), n),
                from_wednesday,
                "Apr {day}, n = {n}"
            );
        }
    }
}

#[test]
fn a_christmas_eve_completion_is_a_completion_on_a_working_day() {
    // Christmas Eve 2026 is Thursday, a working day, so the count starts after it:
    //   Dec 25 Fri Christmas Day -, 26 Sat -, 27 Sun -, Dec 28 Mon 1, 29 Tue 2,
    //   30 Wed 3, 31 Thu 4, Jan 1 Fri New Year's Day -, 2-3 weekend, Jan 4 Mon 5
    assert!(working(d(2026, 12, 24)));
    assert_eq!(due(d(2026, 12, 24), 1), d(2026, 12, 28));
    assert_eq!(due(d(2026, 12, 24), 5), d(2027, 1, 4));
    // Christmas Eve is itself day 1 after Wednesday 23 December.
    assert_eq!(due(d(2026, 12, 23), 1), d(2026, 12, 24));
    // Christmas Day counts as from Christmas Eve.
    assert_eq!(due(d(2026, 12, 25), 1), d(2026, 12, 28));
    assert_eq!(due(d(2026, 12, 25), 5), d(2027, 1, 4));

    // Christmas Eve 2025 is a Wednesday:
    //   Dec 25 Thu -, 26 Fri -, 27 Sat -, 28 Sun -, Dec 29 Mon 1, 30 Tue 2, 31 Wed 3
    assert_eq!(due(d(2025, 12, 24), 3), d(2025, 12, 31));
    assert_eq!(due(d(2025, 12, 23), 1), d(2025, 12, 24));
}

#[test]
fn zero_working_days_gives_the_completion_date_itself() {
    assert_eq!(due(d(2026, 3, 6), 0), d(2026, 3, 6));
    assert_eq!(due(d(2026, 3, 7), 0), d(2026, 3, 7));
}

// ---------------------------------------------------------------------------
// 3. Counting between two dates is the inverse of adding
// ---------------------------------------------------------------------------

#[test]
fn working_days_between_counts_back_the_hand_counted_due_dates() {
    assert_eq!(between(d(2026, 3, 6), d(2026, 4, 22)), 30);
    assert_eq!(between(d(2026, 3, 6), d(2026, 6, 8)), 60);
    assert_eq!(between(d(2025, 5, 23), d(2025, 6, 10)), 10);
    assert_eq!(between(d(2028, 5, 15), d(2028, 5, 19)), 3);
    assert_eq!(between(d(2024, 5, 13), d(2024, 5, 22)), 5);
    assert_eq!(between(d(2026, 12, 18), d(2027, 1, 5)), 10);
    assert_eq!(between(d(2026, 12, 24), d(2027, 1, 4)), 5);
    // A Saturday start counts as the Friday before.
    assert_eq!(between(d(2026, 3, 7), d(2026, 4, 22)), 30);
    // Backwards is negative.
    assert_eq!(between(d(2026, 4, 22), d(2026, 3, 6)), -30);
    // Maundy Thursday to Easter Monday 2026: Fri, Sat, Sun, Mon are all days off.
    assert_eq!(between(d(2026, 4, 2), d(2026, 4, 6)), 0);
    // Wednesday 1 April to Tuesday 7 April 2026: only Tuesday counts.
    assert_eq!(between(d(2026, 4, 1), d(2026, 4, 7)), 1);
    // Same day: zero.
    assert_eq!(between(d(2026, 4, 22), d(2026, 4, 22)), 0);
}

#[test]
fn adding_then_counting_gives_back_n_for_every_n_over_two_years() {
    let start = d(2026, 3, 6);
    for n in 0..=500u32 {
        let end = due(start, n);
        assert_eq!(between(start, end), n as i64, "n = {n}, due {end}");
        if n > 0 {
            assert!(working(end), "due date {end} must be a working day");
        }
    }
}

// ---------------------------------------------------------------------------
// 4. Leap years
// ---------------------------------------------------------------------------

#[test]
fn leap_day_2024_is_a_working_thursday_and_is_counted() {
    assert!(working(d(2024, 2, 29))); // Thursday

    // Completed Tuesday 2024-02-27: Feb 28 Wed 1, Feb 29 Thu 2, Mar 1 Fri 3.
    assert_eq!(due(d(2024, 2, 27), 3), d(2024, 3, 1));
    assert_eq!(due(d(2024, 2, 27), 2), d(2024, 2, 29));
    assert_eq!(between(d(2024, 2, 27), d(2024, 3, 1)), 3);
    // 2023 has no 29 February. Completed Monday 2023-02-27:
    //   Feb 28 Tue 1, Mar 1 Wed 2, Mar 2 Thu 3.
    assert!(NaiveDate::from_ymd_opt(2023, 2, 29).is_none());
    assert_eq!(due(d(2023, 2, 27), 3), d(2023, 3, 2));
}

#[test]
fn year_2000_is_a_leap_year_and_2100_is_not() {
    // 2000 is divisible by 400: 29 Feb 2000 exists and is a Tuesday.
    assert!(working(d(2000, 2, 29)));
    // Monday 2000-02-28: Feb 29 Tue 1, Mar 1 Wed 2.
    assert_eq!(due(d(2000, 2, 28), 1), d(2000, 2, 29));
    assert_eq!(due(d(2000, 2, 28), 2), d(2000, 3, 1));
    // 2100 is divisible by 100 but not 400: no 29 February.
    assert!(NaiveDate::from_ymd_opt(2100, 2, 29).is_none());
    // 2100-02-28 is a Sunday, counted as from Friday 26 February; the next day is
    // Monday 1 March, day 1.
    assert!(!working(d(2100, 2, 28)));
    assert_eq!(due(d(2100, 2, 28), 1), d(2100, 3, 1));
    assert_eq!(due(d(2100, 2, 26), 1), d(2100, 3, 1));
    assert!(working(d(2100, 3, 1)));
    // 2100 has 365 days: 31 Dec 2100 is 365 days after 31 Dec 2099.
    assert_eq!((d(2100, 12, 31) - d(2099, 12, 31)).num_days(), 365);
}

// ---------------------------------------------------------------------------
// 5. The edges of the valid years
// ---------------------------------------------------------------------------

#[test]
fn the_calendar_covers_1990_to_2100() {
    assert_eq!(norway().years(), (1990, 2100));
}

#[test]
fn the_first_days_of_1990_are_usable() {
    // 1 Jan 1990 is a Monday and New Year's Day; 2 Jan is a Tuesday working day.
    assert!(!working(d(1990, 1, 1)));
    assert!(working(d(1990, 1, 2)));
    assert_eq!(due(d(1990, 1, 1), 1), d(1990, 1, 2));
    assert_eq!(due(d(1990, 1, 2), 1), d(1990, 1, 3));
    assert_eq!(between(d(1990, 1, 1), d(1990, 1, 2)), 1);
    assert!(norway().named_days_in_year(1990).is_ok());
}

#[test]
fn dates_before_1990_or_after_2100_are_errors_not_panics() {
    let cal = norway();
    assert!(cal.is_working_day(d(1989, 12, 31)).is_err());
    assert!(cal.is_working_day(d(2101, 1, 1)).is_err());
    assert!(cal.is_working_day(d(1900, 6, 1)).is_err());
    assert!(cal.add_working_days(d(1989, 12, 29), 1).is_err());
    assert!(cal.add_working_days(d(2101, 1, 3), 1).is_err());
    assert!(cal.add_working_days(d(1989, 12, 31), 0).is_err());
    assert!(cal
        .working_days_between(d(1989, 12, 31), d(1990, 1, 2))
        .is_err());
    assert!(cal
        .working_days_between(d(2100, 12, 31), d(2101, 1, 3))
        .is_err());
    assert!(cal.named_days_in_year(1989).is_err());
    assert!(cal.named_days_in_year(2101).is_err());
    let err = cal.is_working_day(d(2101, 1, 1)).unwrap_err();
    assert_eq!((err.first_year, err.last_year), (1990, 2100));
    assert_eq!(err.date, d(2101, 1, 1));
}

#[test]
fn counting_past_the_end_of_2100_is_an_error_not_a_panic() {
    // Wednesday 2100-12-29: Dec 30 Thu 1, Dec 31 Fri 2, then the calendar ends.
    assert!(norway().add_working_days(d(2100, 12, 29), 5).is_err());
    assert!(norway().add_working_days(d(2100, 12, 29), 3).is_err());
    assert!(norway().add_working_days(d(2100, 12, 31), 1).is_err());
    // A large count from the start of the range: 1 000 000 working days is about
    // 3 800 years, far past 2100.
    assert!(norway().add_working_days(d(1990, 1, 2), 1_000_000).is_err());
}

#[test]
fn counting_u32_max_working_days_is_an_error_not_a_panic() {
    let result = norway().add_working_days(d(2100, 12, 29), u32::MAX);
    assert!(result.is_err(), "got {result:?}");
    let result = norway().add_working_days(d(1990, 1, 2), u32::MAX);
    assert!(result.is_err(), "got {result:?}");
}

#[test]
fn counting_to_exactly_the_last_working_day_of_2100_works() {
    // Friday 31 Dec 2100 is the last working day.
    assert!(working(d(2100, 12, 31)));
    // Wednesday 2100-12-29: Dec 30 Thu 1, Dec 31 Fri 2.
    assert_eq!(due(d(2100, 12, 29), 2), d(2100, 12, 31));
    // Friday 2100-12-24 (Christmas Eve, a working day):
    //   Dec 25 Sat -, 26 Sun -, Dec 27 Mon 1, 28 Tue 2, 29 Wed 3, 30 Thu 4, 31 Fri 5.
    assert_eq!(due(d(2100, 12, 24), 5), d(2100, 12, 31));
    assert_eq!(between(d(2100, 12, 24), d(2100, 12, 31)), 5);
    assert_eq!(due(d(2100, 12, 31), 0), d(2100, 12, 31));
}

// ---------------------------------------------------------------------------
// 6. Cross-checks: against bdays' cache, and against an independent reference
// ---------------------------------------------------------------------------

fn bdays_cache() -> bdays::HolidayCalendarCache<NaiveDate> {
    let definition = rules()
        .calendars()
        .definition("norway")
        .expect("the norway definition exists")
        .clone();
    bdays::HolidayCalendarCache::new(definition, d(1990, 1, 1), d(2100, 12, 31))
}

#[test]
fn is_working_day_agrees_with_bdays_for_every_day_1990_to_2100() {
    let cache = bdays_cache();
    let mut checked = 0;
    for date in d(1990, 1, 1)
        .iter_days()
        .take_while(|x| *x <= d(2100, 12, 31))
    {
        assert_eq!(working(date), cache.is_bday(date), "{date}");
        checked += 1;
    }
    // 1990..=2100 is 111 years, 27 of them leap years (1992, 1996, ..., 2096; 2100
    // is not): 111 * 365 + 27 = 40 542 days.
    assert_eq!(checked, 40_542);
}

#[test]
fn working_days_between_agrees_with_bdays_for_pairs_of_working_days() {
    let cache = bdays_cache();
    let first = d(1990, 1, 1);
    let last = d(2100, 12, 31);
    let mut pairs = 0;
    // Starts every 37 days; ends at spans from 1 day to about 12 years, forwards and
    // backwards. bdays moves a non-working end forward, so only working days are used.
    let spans: [i64; 12] = [1, 3, 7, 11, 30, 45, 90, 200, 366, 1000, 4000, -60];
    let mut from = first;
    while from <= last {
        if cache.is_bday(from) {
            for span in spans {
                let Some(to) = from.checked_add_signed(chrono::Duration::days(span)) else {
                    continue;
                };
                if to < first || to > last || !cache.is_bday(to) {
                    continue;
                }
                assert_eq!(
                    between(from, to),
                    cache.bdays(from, to) as i64,
                    "{from}..{to}"
                );
                pairs += 1;
            }
        }
        from = from + chrono::Days::new(37);
    }
    assert!(pairs > 3000, "only {pairs} pairs checked");
    // And the whole range at once, from the first working day to the last.
    assert_eq!(
        between(d(1990, 1, 2), last),
        cache.bdays(d(1990, 1, 2), last) as i64
    );
}

/// Easter Sunday by bdays' own algorithm, independent of the crate's `easter` module
/// (which uses the anonymous Gregorian algorithm).
fn reference_easter(year: i32) -> NaiveDate {
    bdays::easter::easter_naive_date(year).expect("bdays computes Easter for 1990-2100")
}

/// The law written out directly: Monday to Friday, not one of the twelve holidays.
fn reference_is_working_day(date: NaiveDate) -> bool {
    if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
        return false;
    }
    let fixed = [(1, 1), (5, 1), (5, 17), (12, 25), (12, 26)];
    if fixed.contains(&(date.month(), date.day())) {
        return false;
    }
    let easter = reference_easter(date.year());
    let offset = (date - easter).num_days();
    !matches!(offset, -3 | -2 | 0 | 1 | 39 | 49 | 50)
}

#[test]
fn reference_easter_matches_the_known_easter_dates() {
    assert_eq!(reference_easter(1990), d(1990, 4, 15));
    assert_eq!(reference_easter(2000), d(2000, 4, 23));
    assert_eq!(reference_easter(2008), d(2008, 3, 23));
    assert_eq!(reference_easter(2024), d(2024, 3, 31));
    assert_eq!(reference_easter(2025), d(2025, 4, 20));
    assert_eq!(reference_easter(2026), d(2026, 4, 5));
    assert_eq!(reference_easter(2027), d(2027, 3, 28));
    assert_eq!(reference_easter(2028), d(2028, 4, 16));
    assert_eq!(reference_easter(2100), d(2100, 3, 28));
}

#[test]
fn is_working_day_agrees_with_the_law_written_out_for_every_day_1990_to_2100() {
    for date in d(1990, 1, 1)
        .iter_days()
        .take_while(|x| *x <= d(2100, 12, 31))
    {
        assert_eq!(working(date), reference_is_working_day(date), "{date}");
    }
}

#[test]
fn the_named_easter_sunday_matches_the_reference_in_every_year() {
    for year in 1990..=2100 {
        let easter: Vec<NaiveDate> = named_days(year)
            .into_iter()
            .filter(|(_, name)| name == "Easter Sunday")
            .map(|(date, _)| date)
            .collect();
        assert_eq!(easter, vec![reference_easter(year)], "{year}");
        assert_eq!(named_days(year).len(), 12, "{year}: twelve holidays");
    }
}
