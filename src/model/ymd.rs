//! Dates as `YYYY-MM-DD`, read and written without chrono's general formatting and
//! parsing machinery where the text has exactly that form (the common case on every
//! application), with the same results as chrono's `%Y-%m-%d` otherwise.

use chrono::{Datelike, NaiveDate};

/// Gives `f` the date as chrono writes it (`YYYY-MM-DD`), made without its
/// formatting machinery for the years of four digits.
pub fn with_iso_date<R>(date: NaiveDate, f: impl FnOnce(&str) -> R) -> R {
    let year = u32::try_from(date.year()).ok().filter(|y| *y <= 9999);
    let Some(year) = year else {
        return f(&date.to_string());
    };
    let mut text = [b'-'; 10];
    for (at, number, digits) in [(0, year, 4), (5, date.month(), 2), (8, date.day(), 2)] {
        let mut n = number;
        for i in (at..at + digits).rev() {
            text[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    }
    match std::str::from_utf8(&text) {
        Ok(text) => f(text),
        Err(_) => f(&date.to_string()),
    }
}

/// Reads a date as chrono's `NaiveDate::parse_from_str(text, "%Y-%m-%d")` does:
/// ten characters `dddd-dd-dd` are read digit by digit, anything else by chrono.
pub fn parse_ymd(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) {
            if let Some(day) = i32::try_from(y)
                .ok()
                .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
            {
                return Some(day);
            }
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_chrono_reads_them() {
        for text in [
            "2026-03-02",
            "2024-02-29",
            "2023-02-29",
            "0000-01-01",
            "9999-12-31",
            "2026-3-2",
            "2026-13-01",
            "2026-00-10",
            " 2026-03-02",
            "2026-03-02 ",
            "+2026-03-02",
            "20260302",
            "2026/03/02",
            "abcd-ef-gh",
            "",
            "2026-03-0x",
            "12026-03-02",
            "-001-01-01",
        ] {
            assert_eq!(
                parse_ymd(text),
                NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        for text in ["2026-03-02", "0001-01-01", "9999-12-31"] {
            let d = parse_ymd(text).expect("a date");
            assert_eq!(with_iso_date(d, str::to_string), d.to_string());
        }
        for d in [NaiveDate::MIN, NaiveDate::MAX] {
            assert_eq!(with_iso_date(d, str::to_string), d.to_string());
        }
    }
}
