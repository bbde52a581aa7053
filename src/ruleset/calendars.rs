//! Which calendar each custodian's routes start in: `deadline.calendars` in the
//! settings, checked against the catalog and the calendars when the rule set loads.

use super::settings::Settings;
use crate::calendar::{CalendarSet, DEFAULT_CALENDAR};
use crate::catalog::Catalog;
use crate::error::Diagnostic;
use std::collections::BTreeMap;

/// The settings key naming each custodian's calendar.
pub const CUSTODIAN_CALENDARS: &str = "deadline.calendars";

/// `deadline.calendars` in the settings: custodian → calendar name, each custodian
/// in the catalog and each calendar defined (checked when those loaded). Problems
/// are placed at their line in the settings file.
pub(super) fn custodian_calendars(
    settings: &Settings,
    catalog: Option<&Catalog>,
    calendars: Option<&CalendarSet>,
) -> (BTreeMap<String, String>, Vec<Diagnostic>) {
    let mut map = BTreeMap::new();
    let mut problems = Vec::new();
    let Some(value) = settings.get(CUSTODIAN_CALENDARS) else {
        return (map, problems);
    };
    let display = settings.display();
    let at = |key: Option<&str>| {
        let found = match key {
            Some(k) => settings.position(&format!("{CUSTODIAN_CALENDARS}.{k}")),
            None => settings.position(CUSTODIAN_CALENDARS),
        };
        (found.map(|p| p.line), found.map(|p| p.column))
    };
    let Some(entries) = value.as_object() else {
        let (line, column) = at(None);
        problems.push(
            Diagnostic::error(
                display,
                format!(
                    "{CUSTODIAN_CALENDARS}: expected a map of custodian: calendar, e.g. niph: niph"
                ),
            )
            .at(line, column),
        );
        return (map, problems);
    };
    // In key order, whatever the order in the file.
    let entries: BTreeMap<&String, &serde_json::Value> = entries.iter().collect();
    for (custodian, calendar) in entries {
        let (line, column) = at(Some(custodian));
        let mut fail = |message: String| {
            problems.push(
                Diagnostic::error(display, format!("{CUSTODIAN_CALENDARS}: {message}"))
                    .at(line, column),
            )
        };
        if let Some(catalog) = catalog {
            if catalog.custodian(custodian).is_none() {
                fail(format!(
                    "'{custodian}' is not a custodian in the catalog; expected one of: {}",
                    catalog.custodian_ids().collect::<Vec<_>>().join(", ")
                ));
                continue;
            }
        }
        let Some(name) = calendar.as_str() else {
            fail(format!(
                "the calendar of '{custodian}' must be a calendar name, e.g. {custodian}: {DEFAULT_CALENDAR}"
            ));
            continue;
        };
        if let Some(calendars) = calendars {
            if calendars.get(name).is_none() {
                fail(format!(
                    "calendar '{name}' of '{custodian}' does not exist; expected one of: {}",
                    calendars.names().collect::<Vec<_>>().join(", ")
                ));
                continue;
            }
        }
        map.insert(custodian.clone(), name.to_string());
    }
    (map, problems)
}
