//! The catalog's vocabulary (`is_purpose`, `purposes`, `custodian_name`) and the
//! settings (`setting`, and `setting_on` for a setting that changes on a date).

use super::dated::Periods;
use super::{fail, Fallible, RuleData};
use rhai::{Array, Dynamic, Engine, ImmutableString, Map};
use std::sync::Arc;

/// Registers the catalog and settings helpers, bound to `data`.
pub(super) fn register(engine: &mut Engine, data: &Arc<RuleData>) {
    let d = data.clone();
    register!(
        engine,
        "is_purpose",
        &["purpose: any", "bool"],
        "True when the value is one of the catalog's purpose vocabulary.",
        move |p: Dynamic| is_purpose(&d, &p),
    );
    let d = data.clone();
    register!(
        engine,
        "purposes",
        &["array"],
        "The catalog's purpose vocabulary.",
        move || -> Array { purposes(&d) },
    );
    let d = data.clone();
    register!(
        engine,
        "custodian_name",
        &["custodian: string", "string"],
        "The custodian's English name from the catalog.",
        move |id: ImmutableString| -> Fallible<String> {
            match d.catalog.custodian(&id) {
                Some(c) => Ok(c.name_en.clone()),
                None => fail(format!(
                    "custodian_name: no custodian '{id}' in the catalog"
                )),
            }
        },
    );
    let d = data.clone();
    register!(
        engine,
        "setting",
        &["path: string", "any"],
        "A value from settings.yaml by dotted path, e.g. setting(\"confidentiality.max_variables\").",
        move |path: ImmutableString| -> Fallible<Dynamic> { setting(&d, &path) },
    );
}

/// Registers `setting_on`, the value of a dated setting in force on a date.
pub(super) fn register_dated(engine: &mut Engine, data: &Arc<RuleData>) {
    let d = data.clone();
    register!(
        engine,
        "setting_on",
        &["path: string", "date: string", "any"],
        "The value of a setting in force on a date (YYYY-MM-DD), e.g. setting_on(\"fees.niph.hourly\", \"2024-05-02\"): for a setting written as dated periods ({from, until, value}), the value of the period covering the date; for any other setting, its value. Fails when no period covers the date.",
        move |path: ImmutableString, date: ImmutableString| -> Fallible<Dynamic> {
            setting_on(&d, &path, &date)
        },
    );
}

/// Whether `p` is a string of the catalog's purpose vocabulary.
pub(super) fn is_purpose(d: &RuleData, p: &Dynamic) -> bool {
    p.read_lock::<ImmutableString>()
        .is_some_and(|s| d.catalog.purposes().iter().any(|v| v == s.as_str()))
}

/// The catalog's purpose vocabulary.
pub(super) fn purposes(d: &RuleData) -> Array {
    d.catalog
        .purposes()
        .iter()
        .map(|p| Dynamic::from(p.clone()))
        .collect()
}

/// The setting at a dotted key path, or an error naming the settings file.
pub(super) fn setting(d: &RuleData, path: &str) -> Fallible<Dynamic> {
    match lookup(&d.settings, path.split('.')) {
        Some(value) => Ok(value),
        None => fail(format!(
            "setting '{path}' is not in {}; expected a key path such as deadline.working_days",
            d.settings_path
        )),
    }
}

/// The value of the setting at `path` in force on `date` (noted for the trace).
pub(super) fn setting_on(d: &RuleData, path: &str, date: &str) -> Fallible<Dynamic> {
    let Some(day) = crate::model::ymd::parse_ymd(date) else {
        return fail(format!(
            "setting_on: '{date}' is not a date; expected YYYY-MM-DD"
        ));
    };
    let Some(value) = setting_json(d, path) else {
        return fail(format!(
            "setting '{path}' is not in {}; expected a key path such as fees.niph.hourly",
            d.settings_path
        ));
    };
    match super::dated::value_on(value, day) {
        Some(in_force) => {
            super::dated::note(path, day, &in_force);
            Ok(super::to_dynamic(in_force.value))
        }
        None => fail(format!(
            "setting '{path}' has no value in force on {date} in {}",
            d.settings_path
        )),
    }
}

/// The setting at a dotted key path, as read.
fn setting_json<'a>(d: &'a RuleData, path: &str) -> Option<&'a serde_json::Value> {
    path.split('.')
        .try_fold(&d.settings_json, |value, key| value.as_object()?.get(key))
}

/// `setting_on` of one key path, found once (for a call whose path is written
/// as a literal): each call then only picks the period in force on its date. It
/// gives what [`setting_on`] gives, and notes the lookup the same way.
pub(crate) struct DatedSetting {
    path: String,
    periods: Periods,
    /// Each period's value as scripts see it.
    values: Vec<Dynamic>,
}

impl DatedSetting {
    /// The setting at `path`, if the settings have it.
    pub(crate) fn find(d: &RuleData, path: &str) -> Option<DatedSetting> {
        let periods = Periods::of(setting_json(d, path)?);
        let values = periods.values().map(super::to_dynamic).collect();
        Some(DatedSetting {
            path: path.to_string(),
            periods,
            values,
        })
    }

    /// The value in force on `date` (a `YYYY-MM-DD` string); `None` where
    /// [`setting_on`] fails (not a date, or no value in force then).
    pub(crate) fn on(&self, date: &Dynamic) -> Option<Dynamic> {
        let day = crate::model::ymd::parse_ymd(date.read_lock::<ImmutableString>()?.as_str())?;
        let (i, in_force) = self.periods.on(day)?;
        super::dated::note(&self.path, day, &in_force);
        self.values.get(i).cloned()
    }
}

/// The value at a key path in nested maps, cloning only what is found.
pub(super) fn lookup<'a>(
    value: &Dynamic,
    mut keys: impl Iterator<Item = &'a str>,
) -> Option<Dynamic> {
    match keys.next() {
        None => Some(value.clone()),
        Some(key) => {
            let map = value.read_lock::<Map>()?;
            lookup(map.get(key)?, keys)
        }
    }
}
