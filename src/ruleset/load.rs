//! A rule set loaded, checked and compiled: the catalog, settings, calendars and one
//! compiled script per stage and rule folder. Built once; evaluation only reads it.

use crate::calendar::file::{CalendarSet, DEFAULT_CALENDAR};
use crate::catalog::{Catalog, CustodianField};
use crate::error::{Diagnostic, LoadError, Severity};
use crate::model::decision::RulesetId;
use crate::ruleset::check::{Checker, Vocabularies};
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
            Some(f) => match crate::yaml::from_str::<serde_json::Value>(&f.text) {
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
                    problems.push(e.diagnostic(&f.display));
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
                    problems.push(Diagnostic::error(
                        files.display_of(&logical),
                        format!(
                            "missing rule file: every rule folder needs {}.rhai defining `{}`",
                            stage.name(),
                            stage.signature()
                        ),
                    ));
                    continue;
                };
                if let Err(d) = compiled.compile(group, stage, &logical, &file.display, &file.text)
                {
                    problems.push(d);
                }
            }
        }

        let checker = Checker::new(
            compiled.engine(),
            &manifest.limits,
            Vocabularies {
                settings: settings_ok.then_some((&data.settings, data.settings_path.as_str())),
                calendars: calendars_ok.then_some(&data.calendars),
                catalog: catalog_ok.then_some(&data.catalog),
            },
        );
        for group in &groups {
            for stage in Stage::ALL {
                if let Some(script) = compiled.script(group, stage) {
                    problems.extend(checker.check(stage, &script.display, &script.text));
                }
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
