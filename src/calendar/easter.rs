//! Easter Sunday by the Gregorian computus.

use chrono::NaiveDate;

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous Gregorian
/// algorithm, also known as Meeus/Jones/Butcher). Valid for every year from 1583.
///
/// ```
/// use chrono::NaiveDate;
/// assert_eq!(hds::calendar::easter::easter_sunday(2026), NaiveDate::from_ymd_opt(2026, 4, 5));
/// ```
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    if year < 1583 {
        return None;
    }
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn easter_matches_published_dates() {
        // Dates from the Church of Norway's published Easter table.
        let known = [
            (1990, 4, 15),
            (2000, 4, 23),
            (2008, 3, 23),
            (2011, 4, 24),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
            (2100, 3, 28),
        ];
        for (y, m, d) in known {
            assert_eq!(easter_sunday(y), Some(date(y, m, d)), "Easter {y}");
        }
    }

    #[test]
    fn easter_agrees_with_an_independent_algorithm_for_every_year_1900_to_2200() {
        for year in 1900..=2200 {
            let independent = bdays::easter::easter_naive_date(year).expect("bdays easter");
            assert_eq!(easter_sunday(year), Some(independent), "Easter {year}");
        }
    }

    #[test]
    fn easter_is_always_a_sunday_between_22_march_and_25_april() {
        use chrono::{Datelike, Weekday};
        for year in 1583..=3000 {
            let e = easter_sunday(year).expect("easter");
            assert_eq!(e.weekday(), Weekday::Sun);
            assert!(e >= date(year, 3, 22) && e <= date(year, 4, 25), "{e}");
        }
    }

    #[test]
    fn easter_before_the_gregorian_calendar_is_not_computed() {
        assert_eq!(easter_sunday(1582), None);
    }
}
