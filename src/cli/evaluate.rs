//! `hds evaluate` and `hds explain`: read every input record, decide it, and print
//! one result per record in input order.

use super::args::{EvaluateFormat, OutputFormat, SummaryFormat};
use super::{Exit, Out};
use crate::batch::{self, Sink};
use crate::error::ErrorKind;
use crate::input::InputRecord;
use crate::model::error_record::{ErrorBody, ErrorRecord};
use crate::render::batch::csv_row;
use crate::render::{
    decision_csv, decision_record, decision_text, error_csv, error_text, json_line, json_record,
    trace_text, BatchSummary, Outcome, DECISION_CSV_HEADER,
};
use crate::ruleset::RuleSet;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::ops::ControlFlow;

/// What `evaluate` and `explain` print for each record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Evaluate { trace: bool },
    Explain,
}

/// How `evaluate` (and `explain`) runs and prints.
#[derive(Debug, Clone, Copy)]
pub(super) struct Options {
    pub format: EvaluateFormat,
    pub mode: Mode,
    pub summary: SummaryFormat,
    pub fail_fast: bool,
}

/// What one record gave: its text (UTF-8), and what the summary counts.
struct Rendered {
    text: Vec<u8>,
    outcome: Outcome,
}

/// A progress bar appears after this many records, when standard error is a
/// terminal, standard output is not, and `CI` is not set.
const PROGRESS_AFTER: u64 = 1_000;

/// Receives results in input order and writes each as soon as it is decided.
struct Printer<'a> {
    out: &'a mut Out,
    summary: BatchSummary,
    fail_fast: bool,
    progress: Option<ProgressBar>,
    can_show_progress: bool,
}

impl Sink<Rendered> for Printer<'_> {
    fn emit(&mut self, result: Rendered) -> ControlFlow<()> {
        self.summary.add(&result.outcome);
        if self.out.print_bytes(&result.text).is_err() {
            return ControlFlow::Break(());
        }
        let n = self.summary.records as u64;
        if let Some(bar) = &self.progress {
            bar.set_position(n);
        } else if self.can_show_progress && n >= PROGRESS_AFTER {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {pos} records, {per_sec}, {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_position(n);
            self.progress = Some(bar);
        }
        if self.fail_fast && matches!(result.outcome, Outcome::Failed(_)) {
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }

    fn idle(&mut self) -> ControlFlow<()> {
        match self.out.flush() {
            Ok(()) => ControlFlow::Continue(()),
            Err(_) => ControlFlow::Break(()),
        }
    }
}

pub(super) fn evaluate(
    rule_set: &RuleSet,
    files: &[String],
    options: Options,
    out: &mut Out,
) -> Exit {
    let started = std::time::Instant::now();
    let Options {
        format,
        mode,
        summary,
        fail_fast,
    } = options;
    if format == EvaluateFormat::Csv && out.print(&csv_row(DECISION_CSV_HEADER)).is_err() {
        return Exit::CannotRun;
    }
    let mut printer = Printer {
        out,
        summary: BatchSummary::default(),
        fail_fast,
        progress: None,
        can_show_progress: std::io::stderr().is_terminal()
            && !std::io::stdout().is_terminal()
            && std::env::var_os("CI").is_none(),
    };
    batch::run(
        files,
        batch::Options::default(),
        |record| render_record(rule_set, record, format, mode),
        |input| {
            let record = ErrorRecord {
                application: None,
                error: ErrorBody {
                    kind: ErrorKind::Internal.code().to_string(),
                    message: format!("{input}: evaluation failed unexpectedly; please report this"),
                },
                input: input.to_string(),
            };
            Rendered {
                text: render_error(format, &record),
                outcome: Outcome::Failed(record.error.kind),
            }
        },
        &mut printer,
    );
    if let Some(bar) = printer.progress.take() {
        bar.finish_and_clear();
    }
    if printer.out.flush().is_err() {
        // The writer says why when the command ends.
        return Exit::CannotRun;
    }
    let mut totals = printer.summary;
    totals.seconds = started.elapsed().as_secs_f64();
    match summary {
        SummaryFormat::Text => note!("{}", totals.text().trim_end()),
        SummaryFormat::Json => note!("{}", json_line(&totals)),
        SummaryFormat::None => {}
    }
    tracing::info!(
        "{} decided, {} not decided",
        totals.decided,
        totals.records - totals.decided
    );
    if totals.decided < totals.records {
        Exit::BadInput
    } else {
        Exit::Ok
    }
}

/// One record's output line(s), and what the summary counts of it.
fn render_record(
    rule_set: &RuleSet,
    record: InputRecord,
    format: EvaluateFormat,
    mode: Mode,
) -> Rendered {
    let format = match format {
        EvaluateFormat::Csv => return render_csv(rule_set, record),
        EvaluateFormat::Json => OutputFormat::Json,
        EvaluateFormat::Text => OutputFormat::Text,
    };
    let app = match record.result {
        Ok(app) => app,
        Err(e) => {
            let record = e.into_record(record.input);
            let text = match format {
                OutputFormat::Json => json_record(&record),
                OutputFormat::Text => error_text(&record).into_bytes(),
            };
            return Rendered {
                text,
                outcome: Outcome::Failed(record.error.kind),
            };
        }
    };
    if mode == (Mode::Evaluate { trace: false }) {
        // Without a trace, each result is written straight from its own type.
        return match crate::Evaluator::new(rule_set).evaluate(&app) {
            Ok(mut decision) => {
                decision.input = Some(record.input);
                let text = match format {
                    OutputFormat::Json => decision_record(&decision),
                    OutputFormat::Text => decision_text(&decision).into_bytes(),
                };
                Rendered {
                    text,
                    outcome: Outcome::of(&decision),
                }
            }
            Err(e) => {
                let shown = match format {
                    OutputFormat::Json => None,
                    OutputFormat::Text => rule_excerpt(rule_set, &e),
                };
                let record = ErrorRecord::undecided(&app.id, record.input, e);
                let text = match format {
                    OutputFormat::Json => json_record(&record),
                    OutputFormat::Text => error_text_with(&record, shown).into_bytes(),
                };
                Rendered {
                    text,
                    outcome: Outcome::Failed(record.error.kind),
                }
            }
        };
    }
    let (result, t) = crate::Evaluator::new(rule_set).explain(&app);
    let status = match &result {
        Ok(d) => d.status.as_str().to_string(),
        Err(e) => format!("not decided ({})", e.kind.code()),
    };
    let outcome;
    let body = match result {
        Ok(mut decision) => {
            outcome = Outcome::of(&decision);
            decision.input = Some(record.input);
            match format {
                OutputFormat::Json => serde_json::to_value(&decision).unwrap_or_default(),
                OutputFormat::Text => serde_json::Value::String(decision_text(&decision)),
            }
        }
        Err(e) => {
            let shown = rule_excerpt(rule_set, &e);
            let record = ErrorRecord::undecided(&app.id, record.input, e);
            outcome = Outcome::Failed(record.error.kind.clone());
            match format {
                OutputFormat::Json => serde_json::to_value(&record).unwrap_or_default(),
                OutputFormat::Text => serde_json::Value::String(error_text_with(&record, shown)),
            }
        }
    };
    let text = match (format, mode, body) {
        (OutputFormat::Json, Mode::Explain, body) => {
            let key = if body.get("error").is_some() {
                "error_record"
            } else {
                "decision"
            };
            json_line(&serde_json::json!({key: body, "trace": t})) + "\n"
        }
        (OutputFormat::Json, _, mut body) => {
            if let Some(obj) = body.as_object_mut() {
                obj.insert(
                    "trace".to_string(),
                    serde_json::to_value(&t).unwrap_or_default(),
                );
            }
            json_line(&body) + "\n"
        }
        (OutputFormat::Text, Mode::Explain, body) => {
            let mut text = trace_text(&t, &app.id, &status);
            if let serde_json::Value::String(summary) = body {
                text.push_str("\nDecision:\n");
                text.push_str(&summary);
            }
            text + "\n"
        }
        (OutputFormat::Text, _, body) => {
            let mut text = body.as_str().unwrap_or_default().to_string();
            text.push_str(&trace_text(&t, &app.id, &status));
            text.push('\n');
            text
        }
    };
    Rendered {
        text: text.into_bytes(),
        outcome,
    }
}

/// An error record as text for people, followed by the rule file's line where it
/// failed when there is one.
fn error_text_with(record: &ErrorRecord, shown: Option<String>) -> String {
    let mut text = error_text(record);
    if let Some(shown) = shown {
        text.push_str(&shown);
        text.push('\n');
    }
    text
}

/// One record as CSV rows: one per route of its decision, or its error.
fn render_csv(rule_set: &RuleSet, record: InputRecord) -> Rendered {
    let failed = |record: ErrorRecord| Rendered {
        text: error_csv(&record).into_bytes(),
        outcome: Outcome::Failed(record.error.kind.clone()),
    };
    match record.result {
        Ok(app) => match crate::Evaluator::new(rule_set).evaluate(&app) {
            Ok(decision) => Rendered {
                text: decision_csv(&decision, &record.input).into_bytes(),
                outcome: Outcome::of(&decision),
            },
            Err(e) => failed(ErrorRecord::undecided(&app.id, record.input, e)),
        },
        Err(e) => failed(e.into_record(record.input)),
    }
}

fn render_error(format: EvaluateFormat, e: &ErrorRecord) -> Vec<u8> {
    match format {
        EvaluateFormat::Json => json_record(e),
        EvaluateFormat::Text => error_text(e).into_bytes(),
        EvaluateFormat::Csv => error_csv(e).into_bytes(),
    }
}

/// For people: the rule file's line where an evaluation failed, with a caret under
/// the column, when the error is placed in a rule file of this rule set.
fn rule_excerpt(rule_set: &RuleSet, error: &crate::error::Error) -> Option<String> {
    let at = error.at.as_ref()?;
    let line = at.line?;
    let script = rule_set.scripts().find(|s| s.display == at.file)?;
    crate::render::snippet::excerpt(&at.file, &script.text, line, at.column)
}
