//! A decision's trace as text for people: the sources as the catalog described them,
//! every rule that ran and what it returned, the clock start and how each due date
//! was counted, in the order the engine worked them out.

use crate::model::trace::Trace;
use std::fmt::Write as _;

/// A decision's trace in plain language, headed by the application's id and its
/// status (or why it was not decided): what `hds explain` prints, and what
/// `hds evaluate --trace --format text` adds after each summary.
pub fn trace_text(trace: &Trace, application: &str, status: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{application}: {status}");
    if let Some(r) = trace.received_on {
        let _ = writeln!(
            s,
            "Received on {r} (the Oslo date of submitted_at {}).",
            trace.submitted_at
        );
    }
    if !trace.sources.is_empty() {
        let on = trace.received_on.map(|d| d.to_string()).unwrap_or_default();
        let _ = writeln!(s, "\nSources, as the catalog describes them on {on}:");
        for src in &trace.sources {
            if !src.known {
                let _ = writeln!(s, "  {}: not in the catalog", src.id);
                continue;
            }
            let _ = write!(s, "  {} ({})", src.id, src.name.as_deref().unwrap_or(""));
            match (&src.custodian, src.form.as_deref()) {
                (_, Some("own")) => {
                    let _ = write!(
                        s,
                        ": has its own form, {}",
                        src.form_url.as_deref().unwrap_or("no address given")
                    );
                }
                (Some(c), _) => {
                    let _ = write!(s, ": held by {c}");
                }
                (None, _) => {
                    let _ = write!(s, ": no custodian");
                }
            }
            if !src.custodian_periods.is_empty() {
                let _ = write!(
                    s,
                    " (custodian by date: {})",
                    src.custodian_periods.join("; ")
                );
            }
            let _ = writeln!(s, "; purposes: {}", src.purposes.join(", "));
        }
    }
    let mut last_stage = "";
    for step in &trace.steps {
        if step.stage != last_stage {
            let _ = writeln!(s, "\n{}:", stage_title(&step.stage));
            last_stage = &step.stage;
        }
        let who = match (&step.custodian, step.stage == "deadline") {
            (Some(c), true) => format!("route {c}"),
            (Some(c), false) => c.clone(),
            (None, _) => "common rules".to_string(),
        };
        let _ = write!(s, "  {} ({who}) {}", step.rule, step.function);
        if step.returned.is_empty() {
            let _ = writeln!(s, ": nothing");
        } else {
            let _ = writeln!(s, ":");
            for r in &step.returned {
                let _ = writeln!(s, "    {r}");
            }
        }
        for used in &step.settings {
            let period = match (used.from, used.until) {
                (None, _) => "undated: in force on every date".to_string(),
                (Some(from), None) => format!("the period from {from}, with no end"),
                (Some(from), Some(until)) => format!("the period {from} to {until}"),
            };
            let _ = writeln!(
                s,
                "    read setting {} on {}: {} ({period})",
                used.path, used.on, used.value
            );
        }
    }
    if !trace.dropped.is_empty() {
        let _ = writeln!(s, "\nRoutes dropped:");
        for d in &trace.dropped {
            let findings = if d.because.len() == 1 {
                "finding"
            } else {
                "findings"
            };
            let _ = writeln!(
                s,
                "  {} to {}: the source is ineligible, by the error {findings} {}",
                d.source,
                d.custodian,
                d.because.join(", ")
            );
        }
    }
    if let Some(stop) = &trace.stopped {
        let _ = writeln!(s, "\nStopped: {stop}");
    }
    if let Some(c) = &trace.clock {
        let _ = writeln!(s, "\nClock:");
        match c.complete_on {
            Some(d) => {
                let _ = write!(
                    s,
                    "  complete on {d}: the later of the received date {}",
                    c.received_on
                );
                for r in &c.required {
                    match r.arrived_on {
                        Some(a) => {
                            let _ = write!(s, " and the required {} (arrived {a})", r.kind);
                        }
                        None => {
                            let _ = write!(s, " and the required {} (not arrived)", r.kind);
                        }
                    }
                }
                let _ = writeln!(s, ".");
            }
            None => {
                let _ = writeln!(
                    s,
                    "  not complete: no clock start and no due date until nothing is missing."
                );
            }
        }
    }
    if !trace.deadlines.is_empty() {
        let _ = writeln!(s, "\nDeadlines:");
    }
    for d in &trace.deadlines {
        let _ = writeln!(
            s,
            "  {} ({}): {} working days: {} (rules: {})",
            d.custodian,
            d.sources.join(", "),
            d.working_days,
            d.reason,
            d.rules.join(", ")
        );
        match (d.clock_start, d.due) {
            (Some(start), Some(due)) => {
                let _ = writeln!(
                    s,
                    "    counted in calendar {} from {start} (that day not counted): due {due}",
                    d.calendar
                );
                if d.skipped.is_empty() {
                    let _ = writeln!(
                        s,
                        "    no holiday or closure day in the period; only weekends skipped"
                    );
                } else {
                    let _ = writeln!(s, "    skipped besides weekends:");
                    for k in &d.skipped {
                        let note = if k.weekend {
                            " (on a weekend anyway)"
                        } else {
                            ""
                        };
                        let _ = writeln!(
                            s,
                            "      {} {} {}: {}{note}",
                            k.date,
                            k.date.format("%a"),
                            k.kind,
                            k.name
                        );
                    }
                }
            }
            _ => {
                let _ = writeln!(
                    s,
                    "    counted in calendar {} once the application is complete",
                    d.calendar
                );
            }
        }
    }
    s
}

fn stage_title(stage: &str) -> String {
    let mut c = stage.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
