//! Working days in the rule set's calendars: `is_working_day`, `add_working_days`
//! and `working_days_between`.

use super::{fail, Fallible, RuleData};
use chrono::NaiveDate;
use rhai::{Engine, ImmutableString};
use std::sync::Arc;

fn parse_date(s: &str) -> Fallible<NaiveDate> {
    match crate::model::ymd::parse_ymd(s) {
        Some(d) => Ok(d),
        None => fail(format!("'{s}' is not a date; expected YYYY-MM-DD")),
    }
}

/// Registers the working-day helpers, bound to `data`.
pub(super) fn register(engine: &mut Engine, data: &Arc<RuleData>) {
    fn calendar<'a>(d: &'a RuleData, name: &str) -> Fallible<&'a crate::calendar::Calendar> {
        match d.calendars.get(name) {
            Some(c) => Ok(c),
            None => fail(format!(
                "no calendar '{name}'; expected one of: {}",
                d.calendars.names().collect::<Vec<_>>().join(", ")
            )),
        }
    }
    let d = data.clone();
    register!(
        engine,
        "is_working_day",
        &["date: string", "calendar: string", "bool"],
        "True when the date (YYYY-MM-DD) is a working day in the named calendar.",
        move |date: ImmutableString, cal: ImmutableString| -> Fallible<bool> {
            calendar(&d, &cal)?
                .is_working_day(parse_date(&date)?)
                .or_else(|e| fail(e.to_string()))
        },
    );
    let d = data.clone();
    register!(
        engine,
        "add_working_days",
        &["date: string", "days: int", "calendar: string", "string"],
        "The days-th working day after date in the named calendar (the date itself is not counted).",
        move |date: ImmutableString, days: i64, cal: ImmutableString| -> Fallible<String> {
            let n = u32::try_from(days).or_else(|_| fail(format!("add_working_days: days must be 0 or more, got {days}")))?;
            calendar(&d, &cal)?
                .add_working_days(parse_date(&date)?, n)
                .map(|d| d.to_string())
                .or_else(|e| fail(e.to_string()))
        },
    );
    let d = data.clone();
    register!(
        engine,
        "working_days_between",
        &["from: string", "to: string", "calendar: string", "int"],
        "The working days after from up to and including to, in the named calendar.",
        move |from: ImmutableString, to: ImmutableString, cal: ImmutableString| -> Fallible<i64> {
            calendar(&d, &cal)?
                .working_days_between(parse_date(&from)?, parse_date(&to)?)
                .or_else(|e| fail(e.to_string()))
        },
    );
}
