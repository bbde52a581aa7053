//! `hds evaluate` and `hds explain`: read every input record, decide it, and print
//! one result per record in input order.

use super::args::OutputFormat;
use super::Exit;
use crate::batch;
use crate::error::ErrorKind;
use crate::input::InputRecord;
use crate::model::error_record::{ErrorBody, ErrorRecord};
use crate::render::{decision_text, error_text, json_line, trace_text};
use crate::ruleset::RuleSet;
use std::io::Write;
use std::ops::ControlFlow;

/// What `evaluate` and `explain` print for each record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Evaluate { trace: bool },
    Explain,
}

pub(super) fn evaluate(
    rule_set: &RuleSet,
    files: &[String],
    format: OutputFormat,
    mode: Mode,
) -> Exit {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut bad = 0usize;
    let mut decided = 0usize;
    let mut write_failed = false;
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
            (render_error(format, record), false)
        },
        |(line, ok)| {
            if ok {
                decided += 1;
            } else {
                bad += 1;
            }
            if out.write_all(line.as_bytes()).is_err() {
                write_failed = true;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        },
    );
    if write_failed || out.flush().is_err() {
        eprintln!("hds: cannot write to standard output");
        return Exit::CannotRun;
    }
    tracing::info!("{decided} decided, {bad} not decided");
    if bad > 0 {
        Exit::BadInput
    } else {
        Exit::Ok
    }
}

/// One record's output line(s), and whether it was decided.
fn render_record(
    rule_set: &RuleSet,
    record: InputRecord,
    format: OutputFormat,
    mode: Mode,
) -> (String, bool) {
    let traced = mode != Mode::Evaluate { trace: false };
    let mut decided = false;
    let line = match record.result {
        Ok(app) => {
            let (result, trace) = if traced {
                let (r, t) = crate::Evaluator::new(rule_set).explain(&app);
                (r, Some(t))
            } else {
                (crate::Evaluator::new(rule_set).evaluate(&app), None)
            };
            let status = match &result {
                Ok(d) => d.status.as_str().to_string(),
                Err(e) => format!("not decided ({})", e.kind.code()),
            };
            let body = match result {
                Ok(decision) => {
                    decided = true;
                    match format {
                        OutputFormat::Json => serde_json::to_value(&decision).unwrap_or_default(),
                        OutputFormat::Text => serde_json::Value::String(decision_text(&decision)),
                    }
                }
                Err(e) => {
                    let shown = rule_excerpt(rule_set, &e);
                    let record = ErrorRecord::undecided(&app.id, record.input, e);
                    match format {
                        OutputFormat::Json => serde_json::to_value(&record).unwrap_or_default(),
                        OutputFormat::Text => {
                            let mut text = error_text(&record);
                            if let Some(shown) = shown {
                                text.push_str(&shown);
                                text.push('\n');
                            }
                            serde_json::Value::String(text)
                        }
                    }
                }
            };
            match (format, mode, body, trace) {
                (OutputFormat::Json, Mode::Explain, body, Some(t)) => {
                    let key = if body.get("error").is_some() {
                        "error_record"
                    } else {
                        "decision"
                    };
                    json_line(&serde_json::json!({key: body, "trace": t})) + "\n"
                }
                (OutputFormat::Json, _, mut body, Some(t)) => {
                    if let Some(obj) = body.as_object_mut() {
                        obj.insert(
                            "trace".to_string(),
                            serde_json::to_value(&t).unwrap_or_default(),
                        );
                    }
                    json_line(&body) + "\n"
                }
                (OutputFormat::Json, _, body, None) => json_line(&body) + "\n",
                (OutputFormat::Text, Mode::Explain, body, Some(t)) => {
                    let mut text = trace_text(&t, &app.id, &status);
                    if let serde_json::Value::String(summary) = body {
                        text.push_str("\nDecision:\n");
                        text.push_str(&summary);
                    }
                    text + "\n"
                }
                (OutputFormat::Text, _, body, trace) => {
                    let mut text = body.as_str().unwrap_or_default().to_string();
                    if let Some(t) = trace {
                        text.push_str(&trace_text(&t, &app.id, &status));
                        text.push('\n');
                    }
                    text
                }
            }
        }
        Err(e) => render_error(format, e.into_record(record.input)),
    };
    (line, decided)
}

fn render_error(format: OutputFormat, e: ErrorRecord) -> String {
    match format {
        OutputFormat::Json => json_line(&e) + "\n",
        OutputFormat::Text => error_text(&e),
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
