//! `rules/settings.yaml` as plain data: the thresholds and lists rule scripts read
//! with `setting("a.b")`, looked up by dotted path, with the position of every key
//! so a problem found after reading points at its line.
//!
//! Any setting may change on a date: written as a list of periods
//! `{from: DATE, until: DATE, value: …}` (`until` optional, the last day in force),
//! it has the value of the period covering a date ([`Settings::get_on`]). The
//! periods are checked when the rule set loads ([`Settings::dated_problems`]).

use crate::error::{Diagnostic, Position};
use crate::script::helpers::dated::{date_of, is_dated, value_on, InForce};
use crate::yaml::Index;
use chrono::NaiveDate;
use serde_json::Value;

/// The settings of a rule set: a map of maps read from settings.yaml, its display
/// path for messages, and where each key is written.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Always a JSON object (a settings file that is not a map does not load).
    values: Value,
    display: String,
    index: Index,
}

impl Settings {
    /// Reads settings.yaml; a file that is not YAML, or not a map at the top level,
    /// is one error.
    pub fn load(display: &str, text: &str) -> Result<Settings, Diagnostic> {
        match crate::yaml::from_str::<Value>(text) {
            Ok(values) if values.is_object() => Ok(Settings {
                values,
                display: display.to_string(),
                index: Index::of(text),
            }),
            Ok(_) => Err(Diagnostic::error(
                display,
                "expected a map of settings at the top level",
            )),
            Err(e) => Err(e.diagnostic(display)),
        }
    }

    /// No settings at all: the stand-in when the file is missing or did not load.
    pub fn empty(display: &str) -> Settings {
        Settings {
            values: Value::Object(serde_json::Map::new()),
            display: display.to_string(),
            index: Index::default(),
        }
    }

    /// The value at a dotted key path (`deadline.working_days`), each key a map key.
    pub fn get(&self, path: &str) -> Option<&Value> {
        path.split('.')
            .try_fold(&self.values, |value, key| value.as_object()?.get(key))
    }

    /// The value at a dotted key path in force on a date, with the `from` of its
    /// period (`None` for an undated value). `None` when the path is not set or no
    /// period covers the date.
    pub fn get_on(&self, path: &str, date: NaiveDate) -> Option<InForce<'_>> {
        value_on(self.get(path)?, date)
    }

    /// Every problem of the dated settings, in file order: a period that is not a
    /// map of `from`, `until` and `value`, a date that is not `YYYY-MM-DD`, an
    /// `until` before its `from`, periods out of order, overlapping or leaving a
    /// gap between them. Each is an error at its line and column.
    pub fn dated_problems(&self) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        for (path, items) in self.dated_lists() {
            self.check_periods(&path, items, &mut found);
        }
        found
    }

    /// Every list with at least one map with a `from` key, by dotted path.
    fn dated_lists(&self) -> Vec<(String, &Vec<Value>)> {
        fn walk<'a>(value: &'a Value, prefix: &str, out: &mut Vec<(String, &'a Vec<Value>)>) {
            if let Some(map) = value.as_object() {
                for (key, value) in map {
                    let path = if prefix.is_empty() {
                        key.to_string()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    walk(value, &path, out);
                }
            } else if let Some(items) = value.as_array() {
                let any = items
                    .iter()
                    .any(|i| i.as_object().is_some_and(|m| m.contains_key("from")));
                if any || is_dated(value) {
                    out.push((prefix.to_string(), items));
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.values, "", &mut out);
        out
    }

    fn check_periods(&self, path: &str, items: &[Value], found: &mut Vec<Diagnostic>) {
        let display = &self.display;
        let error = |at: String, message: String| {
            Diagnostic::error(display, format!("{path}: {message}")).at_position(self.position(&at))
        };
        let mut periods: Vec<(usize, NaiveDate, Option<NaiveDate>)> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let here = format!("{path}[{i}]");
            let Some(map) = item.as_object() else {
                found.push(error(
                    here,
                    format!("period {}: expected a map {{from: YYYY-MM-DD, until: YYYY-MM-DD, value: …}}", i + 1),
                ));
                continue;
            };
            let mut keys: Vec<&String> = map
                .keys()
                .filter(|k| !["from", "until", "value"].contains(&k.as_str()))
                .collect();
            keys.sort();
            for key in keys {
                found.push(error(
                    format!("{here}.{key}"),
                    format!("period {}: '{key}' is not a key of a dated value; expected from, until and value", i + 1),
                ));
            }
            if !map.contains_key("value") {
                found.push(error(
                    here.clone(),
                    format!("period {}: missing `value`", i + 1),
                ));
            }
            let from = match map.get("from").map(|v| (v, date_of(v))) {
                Some((_, Some(d))) => Some(d),
                Some((v, None)) => {
                    found.push(error(
                        format!("{here}.from"),
                        format!("period {}: from {v}: expected a date YYYY-MM-DD", i + 1),
                    ));
                    None
                }
                None => {
                    found.push(error(
                        here.clone(),
                        format!("period {}: missing `from`", i + 1),
                    ));
                    None
                }
            };
            let until = match map.get("until").map(|v| (v, date_of(v))) {
                Some((_, Some(d))) => Some(d),
                Some((v, None)) => {
                    found.push(error(
                        format!("{here}.until"),
                        format!("period {}: until {v}: expected a date YYYY-MM-DD", i + 1),
                    ));
                    None
                }
                None => None,
            };
            if let (Some(f), Some(u)) = (from, until) {
                if u < f {
                    found.push(error(
                        format!("{here}.until"),
                        format!("period {}: until {u} is before its from {f}", i + 1),
                    ));
                }
            }
            if let Some(f) = from {
                periods.push((i, f, until));
            }
        }
        for pair in periods.windows(2) {
            let [(_, from_a, until_a), (j, from_b, _)] = pair else {
                continue;
            };
            let at = format!("{path}[{j}].from");
            if from_b <= from_a {
                found.push(error(
                    at,
                    format!(
                        "periods out of order: period {} from {from_b} is not after period {} from {from_a}; expected the periods sorted by from",
                        j + 1,
                        j
                    ),
                ));
            } else if let Some(u) = until_a {
                if u >= from_b {
                    found.push(error(
                        at,
                        format!(
                            "periods overlap: period {} until {u} runs into period {} from {from_b}",
                            j,
                            j + 1
                        ),
                    ));
                } else if u.succ_opt() != Some(*from_b) {
                    found.push(error(
                        at,
                        format!(
                            "gap between periods: period {} ends {u} but period {} starts {from_b}; expected it to start the day after",
                            j,
                            j + 1
                        ),
                    ));
                }
            }
        }
    }

    /// Every dotted key path to a value that is not a map, in key order at each
    /// level: what a script may name in `setting("…")` or `setting_on("…", date)`.
    pub fn leaf_paths(&self) -> Vec<String> {
        fn walk(value: &Value, prefix: &str, out: &mut Vec<String>) {
            match value.as_object() {
                Some(map) => {
                    let mut keys: Vec<&String> = map.keys().collect();
                    keys.sort();
                    for key in keys {
                        let path = if prefix.is_empty() {
                            key.to_string()
                        } else {
                            format!("{prefix}.{key}")
                        };
                        if let Some(value) = map.get(key) {
                            walk(value, &path, out);
                        }
                    }
                }
                None => out.push(prefix.to_string()),
            }
        }
        let mut out = Vec::new();
        walk(&self.values, "", &mut out);
        out
    }

    /// Every setting, as one JSON object (what the `setting` helper reads from).
    pub fn values(&self) -> &Value {
        &self.values
    }

    /// The display path of the settings file, for messages.
    pub fn display(&self) -> &str {
        &self.display
    }

    /// Where the entry at a dotted key path is written or, when it is not written
    /// out, the nearest entry on the way to it.
    pub fn position(&self, path: &str) -> Option<Position> {
        self.index.key(path).or_else(|| self.index.nearest(path))
    }
}

/// A settings value as written, for messages.
pub(super) fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => format!("'{s}'"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "b:\n  y: 1\n  x: [1, 2]\n  a-z: {}\na: true\nb-c: \"s\"\n";

    #[test]
    fn values_are_found_by_dotted_path() {
        let settings = Settings::load("s.yaml", TEXT).expect("loads");
        assert_eq!(settings.get("b.y"), Some(&Value::from(1)));
        assert_eq!(settings.get("a"), Some(&Value::Bool(true)));
        assert!(settings.get("b").is_some_and(Value::is_object));
        assert_eq!(settings.get("b.y.z"), None);
        assert_eq!(settings.get("c"), None);
        assert_eq!(settings.get(""), None);
    }

    #[test]
    fn leaf_paths_are_in_key_order_at_each_level() {
        let settings = Settings::load("s.yaml", TEXT).expect("loads");
        assert_eq!(settings.leaf_paths(), ["a", "b.x", "b.y", "b-c"]);
    }

    #[test]
    fn a_file_that_is_not_a_map_does_not_load() {
        let err = Settings::load("s.yaml", "- 1\n").expect_err("a list");
        assert!(
            err.to_string().contains("expected a map of settings"),
            "{err}"
        );
        assert!(Settings::load("s.yaml", "a: [\n").is_err());
    }

    const DATED: &str = "\
fees:
  hourly:
    - {from: 2023-01-01, until: 2023-12-31, value: 1}
    - {from: 2024-01-01, value: 2}
  flat: 3
";

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn a_dated_setting_has_the_value_in_force_on_a_date() {
        let settings = Settings::load("s.yaml", DATED).expect("loads");
        assert!(settings.dated_problems().is_empty());
        let on = |p: &str, d: &str| {
            settings
                .get_on(p, day(d))
                .map(|f| (f.value.clone(), f.from))
        };
        assert_eq!(
            on("fees.hourly", "2023-12-31"),
            Some((Value::from(1), Some(day("2023-01-01"))))
        );
        assert_eq!(
            on("fees.hourly", "2024-01-01"),
            Some((Value::from(2), Some(day("2024-01-01"))))
        );
        assert_eq!(on("fees.hourly", "2022-12-31"), None);
        assert_eq!(on("fees.flat", "1900-01-01"), Some((Value::from(3), None)));
        assert_eq!(on("fees.none", "2024-01-01"), None);
    }

    fn problems(text: &str) -> Vec<String> {
        let settings = Settings::load("rules/settings.yaml", text).expect("loads");
        settings
            .dated_problems()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn overlapping_gapped_and_unsorted_periods_are_errors_at_their_line_and_column() {
        let overlap = DATED.replace("until: 2023-12-31", "until: 2024-01-01");
        assert_eq!(problems(&overlap), ["rules/settings.yaml:4:8: error: fees.hourly: periods overlap: period 1 until 2024-01-01 runs into period 2 from 2024-01-01"]);
        let gap = DATED.replace("until: 2023-12-31", "until: 2023-12-30");
        assert_eq!(problems(&gap), ["rules/settings.yaml:4:8: error: fees.hourly: gap between periods: period 1 ends 2023-12-30 but period 2 starts 2024-01-01; expected it to start the day after"]);
        let unsorted = DATED.replace("from: 2024-01-01", "from: 2022-01-01");
        assert_eq!(problems(&unsorted), ["rules/settings.yaml:4:8: error: fees.hourly: periods out of order: period 2 from 2022-01-01 is not after period 1 from 2023-01-01; expected the periods sorted by from"]);
        let bad = DATED.replace("from: 2024-01-01, value: 2", "from: soon, valu: 2");
        assert_eq!(problems(&bad).len(), 3, "{:?}", problems(&bad));
    }

    #[test]
    fn keys_are_placed_at_their_line_or_the_nearest_written_one() {
        let settings = Settings::load("s.yaml", TEXT).expect("loads");
        assert_eq!(
            settings.position("b.x"),
            Some(Position { line: 3, column: 3 })
        );
        assert_eq!(
            settings.position("b.q"),
            Some(Position { line: 1, column: 1 })
        );
        assert_eq!(Settings::empty("s.yaml").position("b"), None);
    }
}
