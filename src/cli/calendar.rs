//! `hds calendar`: working-day arithmetic on the rule set's calendars.

use super::args::{CalendarCommand, OutputFormat};
use super::{Exit, Out};
use crate::render::json_line;
use crate::ruleset::RuleSet;

pub(super) fn calendar(rule_set: &RuleSet, command: CalendarCommand, out: &mut Out) -> Exit {
    let name = match &command {
        CalendarCommand::Holidays { calendar, .. }
        | CalendarCommand::Due { calendar, .. }
        | CalendarCommand::Between { calendar, .. } => calendar.clone(),
    };
    let Some(cal) = rule_set.calendars().get(&name) else {
        note!(
            "hds: no calendar '{name}'; expected one of: {}",
            rule_set.calendars().names().collect::<Vec<_>>().join(", ")
        );
        return Exit::CannotRun;
    };
    let result = match command {
        CalendarCommand::Holidays { year, format, .. } => {
            cal.named_days_in_year(year).map(|days| match format {
                OutputFormat::Json => {
                    let list: Vec<serde_json::Value> = days
                        .iter()
                        .map(|d| serde_json::json!({"date": d.date.to_string(), "name": d.name}))
                        .collect();
                    json_line(&list) + "\n"
                }
                OutputFormat::Text => days
                    .iter()
                    .map(|d| format!("{}  {}  {}\n", d.date, d.date.format("%a"), d.name))
                    .collect(),
            })
        }
        CalendarCommand::Due { from, days, .. } => {
            cal.add_working_days(from, days).map(|d| format!("{d}\n"))
        }
        CalendarCommand::Between { from, to, .. } => {
            cal.working_days_between(from, to).map(|n| format!("{n}\n"))
        }
    };
    match result {
        Ok(text) => {
            let _ = out.print(&text);
            Exit::Ok
        }
        Err(e) => {
            note!("hds: {e}");
            Exit::BadInput
        }
    }
}
