//! A rule set loaded, checked and compiled: the catalog, settings, calendars and one
//! compiled script per stage and rule folder. Built once; evaluation only reads it.

use crate::calendar::file::{CalendarSet, DEFAULT_CALENDAR};
use crate::catalog::{Catalog, CustodianField};
use crate::error::{Diagnostic, LoadError, Severity};
use crate::model::decision::RulesetId;
use crate::ruleset::files::{Manifest, Origin, RuleFiles};
use crate::script::helpers::RuleData;
use crate::script::Stage;
use crate::script::{Compiled, CoverageHits, StageScript};
use rhai::Dynamic;
use std::collections::BTreeSet;
use std::sync::Arc;

/// A loaded rule set, ready to evaluate applications.
pub struct RuleSet {
    pub manifest: Manifest,
    pub origin: Origin,
    pub fingerprint: String,
    pub data: Arc<RuleData>,
    /// Every stage script, compiled, with the engines that run them.
    pub compiled: Compiled,
    /// Problems that did not stop the load.
    pub warnings: Vec<Diagnostic>,
}

impl std::fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleSet")
            .field("name", &self.manifest.name)
            .field("version", &self.manifest.version)
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

impl RuleSet {
    /// Loads the rule set built into the binary.
    pub fn built_in() -> Result<RuleSet, LoadError> {
        RuleSet::load(&RuleFiles::built_in()?)
    }

    /// Loads a rule set from a folder.
    pub fn from_folder(dir: &std::path::Path) -> Result<RuleSet, LoadError> {
        RuleSet::load(&RuleFiles::from_folder(dir)?)
    }

    /// Checks and compiles every file; reports every problem found, not only the
    /// first.
    pub fn load(files: &RuleFiles) -> Result<RuleSet, LoadError> {
        RuleSet::load_with_coverage(files, None)
    }

    /// Loads a rule set whose engine records the lines each script executes.
    pub fn load_with_coverage(
        files: &RuleFiles,
        coverage: Option<CoverageHits>,
    ) -> Result<RuleSet, LoadError> {
        let mut problems: Vec<Diagnostic> = Vec::new();
        let manifest = files.manifest.clone();

        let catalog = match required(files, "rules/catalog.yaml", &mut problems) {
            Some(f) => match Catalog::load(&f.display, &f.text) {
                Ok(c) => Some(c),
                Err(mut ds) => {
                    problems.append(&mut ds);
                    None
                }
            },
            None => None,
        };

        let settings = match required(files, "rules/settings.yaml", &mut problems) {
            Some(f) => match serde_yaml::from_str::<serde_json::Value>(&f.text) {
                Ok(v) if v.is_object() => rhai::serde::to_dynamic(v)
                    .map_err(|e| problems.push(Diagnostic::error(&f.display, e.to_string())))
                    .ok()
                    .map(|d| (d, f.display.clone())),
                Ok(_) => {
                    problems.push(Diagnostic::error(
                        &f.display,
                        "expected a map of settings at the top level",
                    ));
                    None
                }
                Err(e) => {
                    problems.push(Diagnostic::from_yaml(&f.display, &e));
                    None
                }
            },
            None => None,
        };

        let calendars = match CalendarSet::load(&files.calendar_files()) {
            Ok(c) => {
                if c.get(DEFAULT_CALENDAR).is_none() {
                    problems.push(Diagnostic::error(
                        files.display_of(&format!("calendars/{DEFAULT_CALENDAR}.yaml")),
                        format!("missing the national calendar '{DEFAULT_CALENDAR}'"),
                    ));
                }
                Some(c)
            }
            Err(mut ds) => {
                problems.append(&mut ds);
                None
            }
        };

        // Keep going with empty stand-ins, so every script is still checked.
        let settings_ok = settings.is_some();
        let catalog_ok = catalog.is_some();
        let calendars_ok = calendars.is_some();
        let catalog = catalog.unwrap_or_else(Catalog::empty);
        let (settings, settings_path) = settings.unwrap_or_else(|| {
            (
                Dynamic::from(rhai::Map::new()),
                files.display_of("rules/settings.yaml"),
            )
        });
        let calendars = calendars.unwrap_or_default();

        let mut warnings = Vec::new();
        let folders = rule_folders(files);
        let mut groups: Vec<String> = vec![manifest.coordinator.clone()];
        groups.extend(catalog.custodian_ids().map(str::to_string));
        for folder in &folders {
            if !catalog_ok {
                // Without a catalog, check the scripts of every folder there is.
                if !groups.contains(folder) {
                    groups.push(folder.clone());
                }
            } else if !groups.contains(folder) {
                warnings.push(Diagnostic::warning(
                    files.display_of(&format!("rules/{folder}")),
                    format!(
                        "folder '{folder}' is neither the coordinator '{}' nor a custodian in the catalog; its rules never run",
                        manifest.coordinator
                    ),
                ));
            }
        }
        let used: BTreeSet<&str> = catalog
            .file
            .sources
            .values()
            .flat_map(|s| match &s.custodian {
                CustodianField::None => vec![],
                CustodianField::One(c) => vec![c.as_str()],
                CustodianField::Dated(p) => p.iter().map(|p| p.custodian.as_str()).collect(),
            })
            .collect();
        for c in catalog.custodian_ids() {
            if !used.contains(c) {
                warnings.push(Diagnostic::warning(
                    files.display_of("rules/catalog.yaml"),
                    format!("custodian '{c}' holds no source in the catalog"),
                ));
            }
        }

        let data = Arc::new(RuleData {
            catalog,
            calendars,
            settings,
            settings_path,
        });
        let mut compiled = Compiled::new(&manifest.limits, data.clone(), coverage);
        for group in &groups {
            for stage in Stage::ALL {
                let logical = format!("rules/{group}/{}.rhai", stage.name());
                let Some(file) = files.get(&logical) else {
                    // A custodian without a file has no rules of its own for that
                    // stage. The coordinator's rules are the policy every application
                    // goes through (routing sends the sources, deadline sets the
                    // days), so a missing one is a mistake, not "nothing to add".
                    if *group == manifest.coordinator {
                        problems.push(Diagnostic::error(
                            files.display_of(&logical),
                            format!(
                                "missing rule file: the common rules '{group}' need {}.rhai defining `{}` (return [] or () to add nothing)",
                                stage.name(),
                                stage.signature()
                            ),
                        ));
                    }
                    continue;
                };
                if let Err(d) = compiled.compile(group, stage, &logical, &file.display, &file.text)
                {
                    problems.push(d);
                }
            }
        }

        for script in compiled.scripts() {
            if settings_ok {
                problems.extend(check_settings(script, &data.settings, &data.settings_path));
            }
            if calendars_ok {
                problems.extend(check_calendars(script, &data.calendars));
            }
        }

        if problems.iter().any(|d| d.severity == Severity::Error) {
            problems.extend(warnings);
            return Err(LoadError {
                diagnostics: problems,
            });
        }
        warnings.extend(problems);
        Ok(RuleSet {
            fingerprint: files.fingerprint(),
            origin: files.origin.clone(),
            manifest,
            data,
            compiled,
            warnings,
        })
    }

    pub fn id(&self) -> RulesetId {
        RulesetId {
            name: self.manifest.name.clone(),
            version: self.manifest.version.clone(),
            fingerprint: self.fingerprint.clone(),
        }
    }

    pub fn calendars(&self) -> &CalendarSet {
        &self.data.calendars
    }

    pub fn catalog(&self) -> &Catalog {
        &self.data.catalog
    }

    pub fn coordinator(&self) -> &str {
        &self.manifest.coordinator
    }

    /// The stage script of rule folder `group`, if it has one.
    pub fn script(&self, group: &str, stage: Stage) -> Option<&StageScript> {
        self.compiled.script(group, stage)
    }

    /// Every compiled stage script, in folder and stage order.
    pub fn scripts(&self) -> impl Iterator<Item = &StageScript> {
        self.compiled.scripts()
    }
}

/// `setting("a.b")` with a literal path that settings.yaml does not have.
fn check_settings(
    script: &StageScript,
    settings: &Dynamic,
    settings_path: &str,
) -> Vec<Diagnostic> {
    string_arguments(&script.text, "setting")
        .into_iter()
        .filter(|(path, ..)| crate::script::helpers::lookup(settings, path.split('.')).is_none())
        .map(|(path, line, column)| {
            Diagnostic::error(
                &script.display,
                format!("setting '{path}' is not in {settings_path}"),
            )
            .at(Some(line), Some(column))
        })
        .collect()
}

/// `calendar: "name"` with a literal name no calendar file has.
fn check_calendars(script: &StageScript, calendars: &CalendarSet) -> Vec<Diagnostic> {
    string_arguments(&script.text, "calendar:")
        .into_iter()
        .filter(|(name, ..)| calendars.get(name).is_none())
        .map(|(name, line, column)| {
            Diagnostic::error(
                &script.display,
                format!(
                    "calendar '{name}' does not exist; expected one of: {}",
                    calendars.names().collect::<Vec<_>>().join(", ")
                ),
            )
            .at(Some(line), Some(column))
        })
        .collect()
}

/// Every string literal directly after `head(` or `head` (e.g. `setting("x")`,
/// `calendar: "x"`), with its 1-based line and column, outside comments.
fn string_arguments(text: &str, head: &str) -> Vec<(String, usize, usize)> {
    let call = if head.ends_with(':') {
        head.to_string()
    } else {
        format!("{head}(")
    };
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        let mut from = 0;
        while let Some(i) = code[from..].find(&call) {
            let at = from + i;
            from = at + call.len();
            let word_before = code[..at]
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
            if word_before {
                continue;
            }
            let rest = &code[from..];
            let trimmed = rest.trim_start();
            if let Some(quoted) = trimmed.strip_prefix('"') {
                if let Some(end) = quoted.find('"') {
                    let column = code[..from].chars().count() + (rest.len() - trimmed.len()) + 2;
                    out.push((quoted[..end].to_string(), n + 1, column));
                }
            }
        }
    }
    out
}

fn required<'a>(
    files: &'a RuleFiles,
    logical: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<&'a crate::ruleset::files::RuleFile> {
    let f = files.get(logical);
    if f.is_none() {
        problems.push(Diagnostic::error(files.display_of(logical), "missing file"));
    }
    f
}

/// The immediate sub-folders of the rule set that hold scripts.
fn rule_folders(files: &RuleFiles) -> BTreeSet<String> {
    files
        .files
        .keys()
        .filter_map(|k| {
            let rest = k.strip_prefix("rules/")?;
            let (folder, file) = rest.split_once('/')?;
            file.ends_with(".rhai").then(|| folder.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn without(logical: &str) -> RuleFiles {
        let mut files = RuleFiles::built_in().expect("built-in files");
        assert!(files.files.remove(logical).is_some(), "{logical}");
        files
    }

    #[test]
    fn a_custodian_without_a_stage_file_has_no_rules_of_its_own_for_it() {
        let rules = RuleSet::load(&without("rules/cancer-registry/completeness.rhai"))
            .expect("loads without the file");
        assert!(rules
            .script("cancer-registry", Stage::Completeness)
            .is_none());
        assert!(rules
            .script(rules.coordinator(), Stage::Completeness)
            .is_some());
    }

    #[test]
    fn a_missing_coordinator_stage_file_stops_the_load_naming_it() {
        let err = RuleSet::load(&without("rules/helsedataservice/routing.rhai"))
            .expect_err("the common routing rules are required");
        let text = err.to_string();
        assert!(
            text.contains("rules/helsedataservice/routing.rhai")
                && text.contains("missing rule file"),
            "{text}"
        );
    }
}
