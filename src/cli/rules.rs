//! Which rule set a command uses, and loading it with its warnings logged.

use crate::ruleset::files::{RuleFiles, MANIFEST};
use crate::ruleset::RuleSet;
use crate::script::CoverageHits;
use std::path::PathBuf;

/// The files of the rule set the flags and environment select.
pub fn rule_files(rules: Option<&PathBuf>) -> Result<RuleFiles, String> {
    let local = PathBuf::from("rules");
    let files = match rules {
        Some(dir) => RuleFiles::from_folder(dir),
        None if local.join(MANIFEST).is_file() => RuleFiles::from_folder(&local),
        None => RuleFiles::built_in(),
    };
    files.map_err(|d| d.to_string())
}

/// Loads the rule set the flags and environment select.
pub fn load_rules(
    rules: Option<&PathBuf>,
    coverage: Option<CoverageHits>,
) -> Result<RuleSet, String> {
    let started = std::time::Instant::now();
    let files = rule_files(rules)?;
    let rule_set = RuleSet::load_with_coverage(&files, coverage).map_err(|e| e.to_string())?;
    for w in &rule_set.warnings {
        tracing::warn!("{w}");
    }
    tracing::info!(
        "loaded rule set {} {} from {} ({}) in {:.1} ms",
        rule_set.manifest.name,
        rule_set.manifest.version,
        rule_set.origin,
        rule_set.fingerprint,
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(rule_set)
}
