//! `hds check`: every problem in the rule set, catalog and calendars, with its
//! position.

use super::args::OutputFormat;
use super::rules::select;
use super::{Exit, Out};
use crate::error::{Diagnostic, Severity};
use crate::render::snippet;
use crate::ruleset::files::{Origin, RuleFiles};
use crate::ruleset::RuleSet;
use serde_json::{json, Value};
use std::path::PathBuf;

/// `hds check`: every problem, errors and warnings; exit 1 on errors.
///
/// `text` prints each problem with its source line and a closing count. `json`
/// prints JSON Lines: one object per problem (`file`, `line`, `column`,
/// `severity`, `code`, `message`; `line` and `column` are null when unknown), then
/// always one closing summary object `{"errors", "warnings", "ruleset"}`, the only
/// line without a `file`. `ruleset` names the rule set checked (`name`,
/// `version`, `origin`, `files`, `fingerprint`), or is null when its files could
/// not be read.
pub(super) fn check(rules: Option<&PathBuf>, format: OutputFormat, out: &mut Out) -> Exit {
    let dir = match select(rules) {
        Ok(dir) => dir,
        Err(e) => {
            note!("hds: {e}");
            return Exit::CannotRun;
        }
    };
    let files = match dir {
        Some(dir) => RuleFiles::from_folder(&dir),
        None => RuleFiles::built_in(),
    };
    let files = match files {
        Ok(f) => f,
        Err(d) => {
            match format {
                OutputFormat::Text => {
                    let _ = out.print(&format!("{d}\n"));
                }
                OutputFormat::Json => {
                    let _ = out.print(&format!("{}\n", problem(&d)));
                    let _ = out.print(&format!(
                        "{}\n",
                        summary(std::slice::from_ref(&d), Value::Null)
                    ));
                }
            }
            return Exit::BadInput;
        }
    };
    note!(
        "hds: {}",
        super::rules::describe(
            &files.origin,
            &files.manifest.name,
            &files.manifest.version,
            &files.fingerprint()
        )
    );
    let (diagnostics, exit) = match RuleSet::load(&files) {
        Ok(rule_set) => {
            let mut found = crate::engine::trial::trial_run(&rule_set);
            let exit = if found.is_empty() {
                Exit::Ok
            } else {
                Exit::BadInput
            };
            found.extend(rule_set.warnings);
            (found, exit)
        }
        Err(e) => (e.diagnostics, Exit::BadInput),
    };
    match format {
        OutputFormat::Text => text(&files, &diagnostics, exit, out),
        OutputFormat::Json => {
            for d in &diagnostics {
                let _ = out.print(&format!("{}\n", problem(d)));
            }
            let _ = out.print(&format!("{}\n", summary(&diagnostics, ruleset(&files))));
        }
    }
    exit
}

/// The text report: each problem with its source line, then the count.
fn text(files: &RuleFiles, diagnostics: &[Diagnostic], exit: Exit, out: &mut Out) {
    let source = |path: &str| {
        files
            .files
            .values()
            .find(|f| f.display == path)
            .map(|f| f.text.as_str())
    };
    for d in diagnostics {
        let _ = out.print(&snippet::diagnostic(d, source(&d.path)));
    }
    let errors = count(diagnostics, Severity::Error);
    if exit == Exit::Ok {
        let _ = out.print(&format!(
            "{} {}: no errors, {} warning(s); {} files, {}\n",
            files.manifest.name,
            files.manifest.version,
            diagnostics.len(),
            files.files.len(),
            files.fingerprint()
        ));
    } else {
        let _ = out.print(&format!(
            "{errors} error(s), {} warning(s)\n",
            diagnostics.len() - errors
        ));
    }
}

fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}

/// One problem as a JSON object.
fn problem(d: &Diagnostic) -> Value {
    json!({
        "file": d.path,
        "line": d.line,
        "column": d.column.filter(|_| d.line.is_some()),
        "severity": match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        "code": d.code,
        "message": d.message,
    })
}

/// The closing summary object.
fn summary(diagnostics: &[Diagnostic], ruleset: Value) -> Value {
    json!({
        "errors": count(diagnostics, Severity::Error),
        "warnings": count(diagnostics, Severity::Warning),
        "ruleset": ruleset,
    })
}

/// The rule set checked, for the summary.
fn ruleset(files: &RuleFiles) -> Value {
    let origin = match &files.origin {
        Origin::Folder(dir) => dir.display().to_string(),
        Origin::BuiltIn => "built-in".to_string(),
    };
    json!({
        "name": files.manifest.name,
        "version": files.manifest.version,
        "origin": origin,
        "files": files.files.len(),
        "fingerprint": files.fingerprint(),
    })
}
