//! Decisions and error records as short summaries for people
//! (`hds evaluate --format text`).

use crate::model::decision::Decision;
use crate::model::error_record::ErrorRecord;
use std::fmt::Write as _;

/// A decision as a short summary for people.
pub fn decision_text(d: &Decision) -> String {
    let mut s = String::new();
    let _ = write!(s, "{}: {}", d.application, d.status.as_str());
    let _ = write!(s, " (received {}", d.received_on);
    if let Some(c) = d.complete_on {
        let _ = write!(s, ", complete {c}");
    }
    s.push_str(")\n");
    for r in &d.routes {
        let _ = write!(
            s,
            "  route {}: {}; {} working days in calendar {}",
            r.custodian,
            r.sources.join(", "),
            r.working_days,
            r.calendar
        );
        match r.due {
            Some(due) => {
                let _ = write!(s, ", due {due}");
            }
            None => s.push_str(", no due date while incomplete"),
        }
        if !r.reason.is_empty() {
            let _ = write!(s, " ({})", r.reason);
        }
        s.push('\n');
    }
    for r in &d.redirects {
        let _ = write!(
            s,
            "  redirect {}: {}",
            r.source.as_deref().unwrap_or("whole application"),
            r.reason
        );
        if let Some(url) = &r.form_url {
            let _ = write!(s, " -> {url}");
        }
        s.push('\n');
    }
    for m in &d.missing {
        let _ = write!(s, "  missing {}", m.item);
        if let Some(src) = &m.source {
            let _ = write!(s, " [{src}]");
        }
        let _ = writeln!(s, ": {}", m.message);
    }
    for f in &d.findings {
        let _ = write!(s, "  {} {}", f.severity.as_str(), f.code);
        if let Some(src) = &f.source {
            let _ = write!(s, " [{src}]");
        }
        let _ = writeln!(s, ": {} ({})", f.message, f.rule);
    }
    s
}

/// An error record as text for people.
pub fn error_text(e: &ErrorRecord) -> String {
    format!(
        "{}: error ({}): {}\n",
        e.application.as_deref().unwrap_or("(no id)"),
        e.error.kind,
        e.error.message
    )
}
