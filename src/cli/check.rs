//! `hds check`: every problem in the rule set, catalog and calendars, with its
//! position.

use super::rules::rule_files;
use super::Exit;
use crate::ruleset::RuleSet;
use std::path::PathBuf;

/// `hds check`: every problem, errors and warnings, one per line; exit 1 on errors.
pub(super) fn check(rules: Option<&PathBuf>) -> Exit {
    let files = match rule_files(rules) {
        Ok(f) => f,
        Err(e) => {
            println!("{e}");
            return Exit::BadInput;
        }
    };
    match RuleSet::load(&files) {
        Ok(rule_set) => {
            for w in &rule_set.warnings {
                println!("{w}");
            }
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
            for d in &e.diagnostics {
                println!("{d}");
            }
            println!(
                "{errors} error(s), {} warning(s)",
                e.diagnostics.len() - errors
            );
            Exit::BadInput
        }
    }
}
