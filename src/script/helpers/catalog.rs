//! The catalog's vocabulary (`is_purpose`, `purposes`, `custodian_name`) and the
//! settings (`setting`).

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
        move |p: Dynamic| {
            p.read_lock::<ImmutableString>()
                .map(|s| d.catalog.purposes().iter().any(|v| v == s.as_str()))
                .unwrap_or(false)
        },
    );
    let d = data.clone();
    register!(
        engine,
        "purposes",
        &["array"],
        "The catalog's purpose vocabulary.",
        move || -> Array {
            d.catalog
                .purposes()
                .iter()
                .map(|p| Dynamic::from(p.clone()))
                .collect()
        },
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
        move |path: ImmutableString| -> Fallible<Dynamic> {
            match lookup(&d.settings, path.split('.')) {
                Some(value) => Ok(value),
                None => fail(format!(
                    "setting '{path}' is not in {}; expected a key path such as deadline.working_days",
                    d.settings_path
                )),
            }
        },
    );
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
