//! `rules/settings.yaml` as plain data: the thresholds and lists rule scripts read
//! with `setting("a.b")`, looked up by dotted path, with the position of every key
//! so a problem found after reading points at its line.

use crate::error::{Diagnostic, Position};
use crate::yaml::Index;
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

    /// Every dotted key path to a value that is not a map, in key order at each
    /// level: what a script may name in `setting("…")`.
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
