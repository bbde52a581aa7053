//! What a rule script can use: every helper function registered into the sandboxed
//! Rhai engine, and the rule set's data they read.
//!
//! Helpers are registered with a signature and a one-line description, so the
//! reference for policy staff (`hds api`, rules/API.md) is generated from them and
//! cannot drift. One file per family: `records.rs` (what a stage returns:
//! `missing`, `finding`, `route`, `redirect`…), `text.rs` (values, lists, and the
//! application's attachments and sources), `icd10.rs` (ICD-10 codes), `catalog.rs` (the catalog's
//! vocabulary and the settings) and `calendar.rs` (working days).
//!
//! May use: `catalog`, `calendar`; Rhai's dynamic values stay inside `script/`.

use crate::calendar::CalendarSet;
use crate::catalog::Catalog;
use crate::script::sandbox::Limits;
use rhai::{Dynamic, Engine, EvalAltResult};
use std::sync::Arc;

/// Registers a helper with its signature and one-line description (for `hds api`).
macro_rules! register {
    ($engine:expr, $name:expr, $params:expr, $doc:expr, $func:expr $(,)?) => {
        ::rhai::FuncRegistration::new($name)
            .with_params_info($params)
            .with_comments([concat!("/// ", $doc)])
            .register_into_engine($engine, $func)
    };
}

mod calendar;
mod catalog;
pub mod dated;
pub(crate) mod direct;

pub(crate) use catalog::DatedSetting;
mod icd10;
mod records;
mod text;

pub use icd10::{icd10_between, icd10_normalise, is_icd10};
pub use text::is_email;

/// What a helper returns: a value, or an error the script's caller reports.
type Fallible<T> = Result<T, Box<EvalAltResult>>;

/// The data scripts can look up: catalog, calendars and settings, loaded once.
#[derive(Debug)]
pub struct RuleData {
    catalog: Catalog,
    calendars: CalendarSet,
    /// The settings as scripts see them, converted once so that `setting` only
    /// looks up and clones what it finds.
    settings: Dynamic,
    /// The settings as read, for dated lookups (`setting_on`).
    settings_json: serde_json::Value,
    /// Display path of the settings file, for messages.
    settings_path: String,
}

impl RuleData {
    /// The data of a rule set: its catalog, its calendars, and its settings (a JSON
    /// object read from the settings file, whose display path `settings_path` is).
    pub fn new(
        catalog: Catalog,
        calendars: CalendarSet,
        settings: &serde_json::Value,
        settings_path: impl Into<String>,
    ) -> Self {
        RuleData {
            catalog,
            calendars,
            settings: to_dynamic(settings),
            settings_json: settings.clone(),
            settings_path: settings_path.into(),
        }
    }

    /// The source catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Every working-day calendar of the rule set.
    pub fn calendars(&self) -> &CalendarSet {
        &self.calendars
    }
}

/// A JSON value as a script value: an integer that fits `i64` stays an integer,
/// any other number is a float, and a map's keys are in key order.
fn to_dynamic(value: &serde_json::Value) -> Dynamic {
    use serde_json::Value;
    match value {
        Value::Null => Dynamic::UNIT,
        Value::Bool(b) => Dynamic::from_bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Dynamic::from_int(i),
            None => Dynamic::from_float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Dynamic::from(s.clone()),
        Value::Array(items) => Dynamic::from_array(items.iter().map(to_dynamic).collect()),
        Value::Object(entries) => Dynamic::from_map(
            entries
                .iter()
                .map(|(k, v)| (k.as_str().into(), to_dynamic(v)))
                .collect(),
        ),
    }
}

/// An error a helper raises, with its message.
fn fail<T>(message: impl Into<String>) -> Fallible<T> {
    Err(message.into().into())
}

/// Registers every helper into `engine`; those that read the rule set's data are
/// bound to `data`, and those that make a text as long as asked for are held to
/// `limits`.
pub fn register_all(engine: &mut Engine, data: &Arc<RuleData>, limits: &Limits) {
    super::frozen::register(engine, super::view::field_names());
    records::register(engine);
    text::register_values(engine);
    icd10::register(engine);
    text::register_lists(engine, limits);
    catalog::register(engine, data);
    catalog::register_dated(engine, data);
    calendar::register(engine, data);
}

#[cfg(test)]
mod tests {
    use super::catalog::lookup;
    use super::*;

    #[test]
    fn settings_become_the_script_values_serde_would_make() {
        let json = serde_json::json!({
            "b": { "int": -3, "big": u64::MAX, "float": 1.5, "none": null },
            "a": [true, "text", [1, { "z": 1, "y": 2 }]],
        });
        let ours = to_dynamic(&json);
        let serde: Dynamic = rhai::serde::to_dynamic(&json).expect("converts");
        assert_eq!(format!("{ours:?}"), format!("{serde:?}"));
        assert_eq!(ours.type_name(), serde.type_name());
        let big = lookup(&ours, ["b", "big"].into_iter()).expect("found");
        assert!(big.is_float(), "{big:?}");
        let int = lookup(&ours, ["b", "int"].into_iter()).expect("found");
        assert_eq!(int.as_int(), Ok(-3));
    }
}
