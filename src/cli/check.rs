//! `hds check`: every problem in the rule set, catalog and calendars, with its
//! position.

use super::rules::rule_files;
use super::Exit;
use crate::render::snippet;
use crate::ruleset::RuleSet;
use std::path::PathBuf;

/// `hds check`: every problem, errors and warnings, one per line; exit 1 on errors.
pub(super) fn check(rules: Option<&PathBuf>) -> Exit {
    if let Err(e) = super::rules::select(rules) {
        eprintln!("hds: {e}");
        return Exit::CannotRun;
    }
    let files = match rule_files(rules) {
        Ok(f) => f,
        Err(e) => {
            println!("{e}");
            return Exit::BadInput;
        }
    };
    eprintln!(
        "hds: {}",
        super::rules::describe(
            &files.origin,
            &files.manifest.name,
            &files.manifest.version,
            &files.fingerprint()
        )
    );
    let source = |path: &str| {
        files
            .files
            .values()
            .find(|f| f.display == path)
            .map(|f| f.text.as_str())
    };
    let show = |d: &crate::error::Diagnostic| print!("{}", snippet::diagnostic(d, source(&d.path)));
    match RuleSet::load(&files) {
        Ok(rule_set) => {
            rule_set.warnings.iter().for_each(show);
            println!(
                "{} {}: no errors, {} warning(s); {} files, {}",
                rule_set.manifest.name,
                rule_set.manifest.version,
                rule_set.warnings.len(),
                files.files.len(),
                rule_set.fingerprint
            );
            Exit::Ok
        }
        Err(e) => {
            let errors = e
                .diagnostics
                .iter()
                .filter(|d| d.severity == crate::error::Severity::Error)
                .count();
            e.diagnostics.iter().for_each(show);
            println!(
                "{errors} error(s), {} warning(s)",
                e.diagnostics.len() - errors
            );
            Exit::BadInput
        }
    }
}
