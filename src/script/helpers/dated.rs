//! Dated settings: a setting written as a list of `{from, until?, value}` periods
//! has the value of the period in force on a date. The lookup lives here, below the
//! rule set, so that scripts (`setting_on`) and the engine read dates the same way.

use chrono::NaiveDate;
use serde_json::Value;

/// A value in force on a date, and the first day of its period (`None` for a
/// value written without dates, which applies to every date).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InForce<'a> {
    /// The value.
    pub value: &'a Value,
    /// The `from` of the period it belongs to; `None` when undated.
    pub from: Option<NaiveDate>,
    /// The `until` of the period it belongs to; `None` when undated or open-ended.
    pub until: Option<NaiveDate>,
}

/// Whether a value is written as dated periods: a list whose every item is a map
/// with a `from` key.
pub fn is_dated(value: &Value) -> bool {
    value.as_array().is_some_and(|items| {
        !items.is_empty()
            && items
                .iter()
                .all(|item| item.as_object().is_some_and(|m| m.contains_key("from")))
    })
}

/// Reads a `YYYY-MM-DD` date from a settings value.
pub fn date_of(value: &Value) -> Option<NaiveDate> {
    crate::model::ymd::parse_ymd(value.as_str()?)
}

/// The value in force on `date`: for dated periods, the last period whose `from`
/// is on or before the date and whose `until` (inclusive), when given, is on or
/// after it; for any other value, the value itself. `None` when no period covers
/// the date or a period is malformed.
pub fn value_on(value: &Value, date: NaiveDate) -> Option<InForce<'_>> {
    if !is_dated(value) {
        return Some(InForce {
            value,
            from: None,
            until: None,
        });
    }
    let items = value.as_array()?;
    items
        .iter()
        .rev()
        .find_map(|item| period(item).filter(|p| p.covers(date)))
}

/// One item of a dated value as a period: `None` when it is malformed (no `from`
/// date, an `until` that is not a date, or no `value`).
fn period(item: &Value) -> Option<InForce<'_>> {
    let map = item.as_object()?;
    let from = date_of(map.get("from")?)?;
    let until = match map.get("until") {
        Some(u) => Some(date_of(u)?),
        None => None,
    };
    Some(InForce {
        value: map.get("value")?,
        from: Some(from),
        until,
    })
}

impl InForce<'_> {
    /// Whether the period covers `date` (an undated value covers every date).
    fn covers(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date <= u)
    }
}

/// A value's periods read once, to pick the one in force on many dates: the same
/// answer as [`value_on`] without reading the dates again each time.
#[derive(Debug, Clone)]
pub struct Periods {
    /// Every well-formed period in the order written (for an undated value, the
    /// value alone, covering every date).
    periods: Vec<(Option<NaiveDate>, Option<NaiveDate>, Value)>,
}

impl Periods {
    /// The periods of `value`.
    pub fn of(value: &Value) -> Periods {
        let periods = if is_dated(value) {
            value
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(period)
                .map(|p| (p.from, p.until, p.value.clone()))
                .collect()
        } else {
            vec![(None, None, value.clone())]
        };
        Periods { periods }
    }

    /// The number of the period in force on `date` (its place among the
    /// well-formed periods), and the period.
    pub fn on(&self, date: NaiveDate) -> Option<(usize, InForce<'_>)> {
        self.periods
            .iter()
            .enumerate()
            .rev()
            .map(|(i, (from, until, value))| {
                let p = InForce {
                    value,
                    from: *from,
                    until: *until,
                };
                (i, p)
            })
            .find(|(_, p)| p.covers(date))
    }

    /// Every well-formed period's value, in order.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.periods.iter().map(|(_, _, v)| v)
    }
}

/// One `setting_on` lookup a script made: what it asked and what was in force.
#[derive(Debug, Clone, PartialEq)]
pub struct DatedUse {
    /// The settings path, e.g. `deadline.working_days`.
    pub path: String,
    /// The date asked for.
    pub date: NaiveDate,
    /// The value in force, as JSON text.
    pub value: String,
    /// The `from` of its period; `None` for an undated value.
    pub from: Option<NaiveDate>,
    /// The `until` of its period; `None` when undated or open-ended.
    pub until: Option<NaiveDate>,
}

thread_local! {
    static USED: std::cell::RefCell<Option<Vec<DatedUse>>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `f`, collecting every `setting_on` lookup made on this thread meanwhile.
pub fn watch<R>(f: impl FnOnce() -> R) -> (R, Vec<DatedUse>) {
    let outer = USED.with(|u| u.replace(Some(Vec::new())));
    let result = f();
    let used = USED.with(|u| u.replace(outer)).unwrap_or_default();
    (result, used)
}

/// How many lookups [`watch`] has collected so far on this thread.
pub(crate) fn mark() -> usize {
    USED.with(|u| u.borrow().as_ref().map_or(0, Vec::len))
}

/// Forgets the lookups collected on this thread since [`mark`] gave `mark`.
pub(crate) fn rollback(mark: usize) {
    USED.with(|u| {
        if let Some(used) = u.borrow_mut().as_mut() {
            used.truncate(mark);
        }
    });
}

/// Notes a lookup for [`watch`]; nothing when no one watches.
pub(crate) fn note(path: &str, date: NaiveDate, found: &InForce<'_>) {
    USED.with(|u| {
        if let Some(used) = u.borrow_mut().as_mut() {
            used.push(DatedUse {
                path: path.to_string(),
                date,
                value: found.value.to_string(),
                from: found.from,
                until: found.until,
            });
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn an_undated_value_applies_to_every_date() {
        let v = json!(1115);
        let found = value_on(&v, day("1990-01-01")).expect("in force");
        assert_eq!((found.value, found.from), (&json!(1115), None));
    }

    #[test]
    fn the_period_covering_the_date_gives_the_value_and_its_from() {
        let v = json!([
            {"from": "2000-01-01", "until": "2023-03-14", "value": 0},
            {"from": "2023-03-15", "value": 1155}
        ]);
        let on = |d| value_on(&v, day(d)).map(|f| (f.value.clone(), f.from));
        assert_eq!(on("2023-03-14"), Some((json!(0), Some(day("2000-01-01")))));
        assert_eq!(
            on("2023-03-15"),
            Some((json!(1155), Some(day("2023-03-15"))))
        );
        assert_eq!(on("1999-12-31"), None);
        let ended = json!([{"from": "2024-01-01", "until": "2024-12-31", "value": 1}]);
        assert!(value_on(&ended, day("2025-01-01")).is_none());
    }

    #[test]
    fn periods_read_once_pick_what_value_on_picks_on_every_date() {
        let values = [
            json!(30),
            json!([
                {"from": "2000-01-01", "until": "2023-03-14", "value": 0},
                {"from": "2023-03-15", "value": 1155}
            ]),
            // Overlapping, malformed and open periods: the last covering one wins.
            json!([
                {"from": "2010-01-01", "value": "a"},
                {"from": "2015-01-01", "until": "2015-12-31", "value": "b"},
                {"from": "not a date", "value": "c"},
                {"from": "2016-06-01", "until": "nor this", "value": "d"},
                {"from": "2017-01-01"},
                {"from": "2015-06-01", "until": "2015-06-30", "value": "e"}
            ]),
            json!([]),
        ];
        let mut date = day("2009-12-25");
        while date < day("2024-01-10") {
            for v in &values {
                let once = Periods::of(v);
                assert_eq!(
                    once.on(date).map(|(_, p)| p),
                    value_on(v, date),
                    "{v} on {date}"
                );
            }
            date += chrono::Duration::days(9);
        }
    }
}
