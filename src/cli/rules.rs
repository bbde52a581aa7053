//! Which rule set a command uses, and loading it with its warnings logged.
//!
//! Like cargo finds `Cargo.toml`: `--rules DIR`, else `HDS_RULES` (clap fills
//! `--rules` from it), else the nearest rule set from the current folder upward (a
//! folder holding `ruleset.yaml`, or its `rules/` folder), else the built-in set.

use crate::ruleset::files::{Origin, RuleFiles, MANIFEST};
use crate::ruleset::RuleSet;
use crate::script::CoverageHits;
use std::path::{Path, PathBuf};

/// The folder of the nearest rule set from `start` upward: `start` itself when it
/// holds `ruleset.yaml`, else `start/rules` when that folder exists (with or without
/// `ruleset.yaml`: a `rules` folder that is not a rule set is an error, not passed
/// over), else the same for each folder above, where only a `rules` folder holding
/// `ruleset.yaml` counts.
pub fn find_rules_folder(start: &Path) -> Option<PathBuf> {
    if start.join(MANIFEST).is_file() {
        return Some(start.to_path_buf());
    }
    let local = start.join("rules");
    if local.is_dir() {
        return Some(local);
    }
    start.ancestors().skip(1).find_map(|dir| {
        if dir.join(MANIFEST).is_file() {
            Some(dir.to_path_buf())
        } else if dir.join("rules").join(MANIFEST).is_file() {
            Some(dir.join("rules"))
        } else {
            None
        }
    })
}

/// The folder found from the current folder, shown relative to it when below it.
fn found_from_current_folder() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let found = find_rules_folder(&cwd)?;
    Some(match found.strip_prefix(&cwd) {
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => found,
    })
}

/// The rule-set folder the flags, environment and current folder select (`None`:
/// the built-in set), or why the folder named or found is not a rule set.
pub fn select(rules: Option<&PathBuf>) -> Result<Option<PathBuf>, String> {
    let folder = match rules {
        Some(dir) => Some(dir.clone()),
        None => found_from_current_folder(),
    };
    if let Some(dir) = &folder {
        if !dir.is_dir() {
            return Err(format!(
                "{}: rule-set folder not found; expected a folder holding {MANIFEST}",
                dir.display()
            ));
        }
        if !dir.join(MANIFEST).is_file() {
            return Err(format!(
                "{}: not a rule set: no {}; expected a folder holding {MANIFEST} (`hds init` writes a copy of the built-in rule set to start from)",
                dir.display(),
                dir.join(MANIFEST).display()
            ));
        }
    }
    Ok(folder)
}

/// The files of the rule set the flags and environment select.
pub fn rule_files(rules: Option<&PathBuf>) -> Result<RuleFiles, String> {
    let files = match select(rules)? {
        Some(dir) => RuleFiles::from_folder(&dir),
        None => RuleFiles::built_in(),
    };
    files.map_err(|d| d.to_string())
}

/// One line naming a rule set: its folder, or that it is the built-in one, with
/// version and fingerprint.
pub fn describe(origin: &Origin, name: &str, version: &str, fingerprint: &str) -> String {
    match origin {
        Origin::Folder(dir) => format!(
            "rule set {} ({name}, version {version}, fingerprint {fingerprint})",
            dir.display()
        ),
        Origin::BuiltIn => {
            format!("rule set built-in ({name}), version {version}, fingerprint {fingerprint}")
        }
    }
}

/// Loads the rule set the flags and environment select.
pub fn load_rules(
    rules: Option<&PathBuf>,
    coverage: Option<CoverageHits>,
) -> Result<RuleSet, String> {
    let started = std::time::Instant::now();
    let files = rule_files(rules)?;
    let rule_set = RuleSet::load_to_run(&files, coverage).map_err(|e| e.to_string())?;
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

/// `hds init [DIR]`: writes the built-in rule set's files to `DIR/rules` and
/// `DIR/calendars`, refusing when either is there already.
pub fn init(dir: &Path) -> Result<String, String> {
    let files = RuleFiles::built_in().map_err(|d| d.to_string())?;
    for part in ["rules", "calendars"] {
        let target = dir.join(part);
        if target.exists() {
            return Err(format!(
                "{}: already exists; expected a folder without `rules` and `calendars` (nothing written)",
                target.display()
            ));
        }
    }
    for (logical, file) in &files.files {
        let target = dir.join(logical);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("{}: cannot create folder: {e}", parent.display()))?;
        }
        std::fs::write(&target, &file.text)
            .map_err(|e| format!("{}: cannot write: {e}", target.display()))?;
    }
    Ok(format!(
        "wrote {} files of the built-in rule set {} {} to {} and {}",
        files.files.len(),
        files.manifest.name,
        files.manifest.version,
        dir.join("rules").display(),
        dir.join("calendars").display()
    ))
}
