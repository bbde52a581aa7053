//! A batch's results for operators: CSV rows (one per route, RFC 4180) and the
//! summary printed at its end (records, decided, errors by kind, statuses, routes
//! per custodian, the earliest due date, the time taken).

use crate::model::decision::{Decision, Severity};
use crate::model::error_record::ErrorRecord;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// The header row of `hds evaluate --format csv`.
pub const DECISION_CSV_HEADER: [&str; 6] = [
    "application",
    "input",
    "status",
    "custodian",
    "due",
    "reason",
];

/// `fields` as one CSV row (RFC 4180: quoted where needed, CRLF-free `\n` end).
pub fn csv_row<I, T>(fields: I) -> String
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to memory fails only on a bug in csv; an empty row is then all we have.
    if writer.write_record(fields).is_err() {
        return "\n".to_string();
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The CSV rows of a decision: one per route, or one without a custodian when it has
/// no route (redirected, or nothing eligible), whose reason says why.
pub fn decision_csv(decision: &Decision, input: &str) -> String {
    let status = decision.status.as_str();
    if decision.routes.is_empty() {
        let reason = no_route_reason(decision);
        return csv_row([
            decision.application.as_str(),
            input,
            status,
            "",
            "",
            reason.as_str(),
        ]);
    }
    decision
        .routes
        .iter()
        .map(|route| {
            let due = route.due.map(|d| d.to_string()).unwrap_or_default();
            csv_row([
                decision.application.as_str(),
                input,
                status,
                route.custodian.as_str(),
                due.as_str(),
                route.reason.as_str(),
            ])
        })
        .collect()
}

/// Why a decision has no route: its redirects, else what is missing, else its
/// errors.
fn no_route_reason(decision: &Decision) -> String {
    if !decision.redirects.is_empty() {
        let each: Vec<String> = decision
            .redirects
            .iter()
            .map(|r| match &r.source {
                Some(source) => format!("{source}: {}", r.reason),
                None => r.reason.to_string(),
            })
            .collect();
        return format!("redirected: {}", each.join(", "));
    }
    if !decision.missing.is_empty() {
        let items: Vec<&str> = decision.missing.iter().map(|m| m.item.as_str()).collect();
        return format!("missing: {}", items.join(", "));
    }
    let errors: Vec<&str> = decision
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.message.as_str())
        .collect();
    errors.join("; ")
}

/// The CSV row of a record that was not decided: status `error`, and the kind and
/// message as the reason.
pub fn error_csv(record: &ErrorRecord) -> String {
    let reason = format!("{}: {}", record.error.kind, record.error.message);
    csv_row([
        record.application.as_deref().unwrap_or_default(),
        record.input.as_str(),
        "error",
        "",
        "",
        reason.as_str(),
    ])
}

/// What one record gave, as far as the summary counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Decided: its status, and each route's custodian and due date.
    Decided {
        /// The decision's status.
        status: &'static str,
        /// Each route's custodian and due date (none while incomplete).
        routes: Vec<(String, Option<NaiveDate>)>,
    },
    /// Not decided, with the error record's kind.
    Failed(String),
}

impl Outcome {
    /// What a decision counts as.
    pub fn of(decision: &Decision) -> Outcome {
        Outcome::Decided {
            status: decision.status.as_str(),
            routes: decision
                .routes
                .iter()
                .map(|r| (r.custodian.clone(), r.due))
                .collect(),
        }
    }
}

/// The summary of a batch, counted as results come in.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BatchSummary {
    /// Records read.
    pub records: usize,
    /// Records decided.
    pub decided: usize,
    /// Records not decided, by error kind.
    pub errors: BTreeMap<String, usize>,
    /// Decisions by status.
    pub statuses: BTreeMap<String, usize>,
    /// Routes by custodian.
    pub routes: BTreeMap<String, usize>,
    /// The earliest due date of any route.
    pub earliest_due: Option<NaiveDate>,
    /// Seconds from start to the last result.
    pub seconds: f64,
}

impl BatchSummary {
    /// Counts one record.
    pub fn add(&mut self, outcome: &Outcome) {
        self.records += 1;
        match outcome {
            Outcome::Decided { status, routes } => {
                self.decided += 1;
                count(&mut self.statuses, status);
                for (custodian, due) in routes {
                    count(&mut self.routes, custodian);
                    if let Some(due) = due {
                        self.earliest_due = Some(self.earliest_due.map_or(*due, |e| e.min(*due)));
                    }
                }
            }
            Outcome::Failed(kind) => count(&mut self.errors, kind),
        }
    }

    /// For people: a few lines, each naming what it counts.
    pub fn text(&self) -> String {
        let not_decided = self.records - self.decided;
        let mut s = format!(
            "hds: {} record(s): {} decided, {} not decided, in {:.2} s\n",
            self.records, self.decided, not_decided, self.seconds
        );
        let counts = |m: &BTreeMap<String, usize>| {
            m.iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.errors.is_empty() {
            s.push_str(&format!("  errors: {}\n", counts(&self.errors)));
        }
        if !self.statuses.is_empty() {
            s.push_str(&format!("  statuses: {}\n", counts(&self.statuses)));
        }
        if !self.routes.is_empty() {
            s.push_str(&format!("  routes: {}\n", counts(&self.routes)));
        }
        if let Some(due) = self.earliest_due {
            s.push_str(&format!("  earliest due: {due}\n"));
        }
        s
    }
}

/// Counts one more of `key`, copying the key only the first time it is seen.
fn count(counts: &mut BTreeMap<String, usize>, key: &str) {
    match counts.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            counts.insert(key.to_string(), 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_commas_quotes_and_line_breaks_are_quoted() {
        let row = csv_row(["a", "b,c", "say \"hi\"", "two\nlines"]);
        assert_eq!(row, "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\"\n");
    }

    #[test]
    fn the_summary_counts_statuses_routes_errors_and_the_earliest_due_date() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let mut summary = BatchSummary::default();
        summary.add(&Outcome::Decided {
            status: "complete",
            routes: vec![
                ("niph".to_string(), d("2026-06-08")),
                ("kreftregisteret".to_string(), d("2026-05-01")),
            ],
        });
        summary.add(&Outcome::Decided {
            status: "incomplete",
            routes: vec![("niph".to_string(), None)],
        });
        summary.add(&Outcome::Failed("syntax".to_string()));
        assert_eq!((summary.records, summary.decided), (3, 2));
        assert_eq!(summary.routes.get("niph"), Some(&2));
        assert_eq!(summary.errors.get("syntax"), Some(&1));
        assert_eq!(summary.earliest_due, d("2026-05-01"));
        let text = summary.text();
        assert!(
            text.contains("3 record(s): 2 decided, 1 not decided"),
            "{text}"
        );
        assert!(
            text.contains("statuses: complete 1, incomplete 1"),
            "{text}"
        );
    }
}
