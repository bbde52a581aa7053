//! A rule set loaded, checked and compiled: the catalog, settings, calendars and one
//! compiled script per stage and rule folder. Built once; evaluation only reads it.

use crate::calendar::file::{CalendarSet, DEFAULT_CALENDAR};
use crate::catalog::{Catalog, CustodianField};
use crate::error::{Diagnostic, LoadError, Severity};
use crate::model::decision::RulesetId;
use crate::ruleset::files::{Manifest, Origin, RuleFiles};
use crate::script::helpers::RuleData;
use crate::script::Stage;
use crate::script::{build_engine, CoverageHits, Instrument};
use rhai::{Dynamic, Engine, AST};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// One compiled stage script.
#[derive(Debug, Clone)]
pub struct StageScript {
    /// `rules/<folder>/<stage>.rhai`, as decisions name it.
    pub logical: String,
    /// The path to open, for messages.
    pub display: String,
    /// The script as written.
    pub text: String,
    pub ast: AST,
}

/// A loaded rule set, ready to evaluate applications.
pub struct RuleSet {
    pub manifest: Manifest,
    pub origin: Origin,
    pub fingerprint: String,
    pub data: Arc<RuleData>,
    pub(crate) engine: Engine,
    /// The same engine with a debugger, to place errors Rhai gives without a line.
    pub(crate) locator: Engine,
    pub(crate) scripts: BTreeMap<(String, Stage), StageScript>,
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
        let instrument = coverage.map_or(Instrument::None, Instrument::Coverage);
        let engine = build_engine(&manifest.limits, data.clone(), instrument);
        let locator = build_engine(&manifest.limits, data.clone(), Instrument::LastPosition);

        let mut scripts = BTreeMap::new();
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
                match compile(&engine, stage, &file.display, &file.text, &logical) {
                    Ok(ast) => {
                        scripts.insert(
                            (group.clone(), stage),
                            StageScript {
                                logical,
                                display: file.display.clone(),
                                text: file.text.clone(),
                                ast,
                            },
                        );
                    }
                    Err(d) => problems.push(d),
                }
            }
        }

        for script in scripts.values() {
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
            engine,
            locator,
            scripts,
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

    pub(crate) fn script(&self, group: &str, stage: Stage) -> Option<&StageScript> {
        self.scripts.get(&(group.to_string(), stage))
    }

    /// Every compiled stage script, in folder and stage order.
    pub fn scripts(&self) -> impl Iterator<Item = &StageScript> {
        self.scripts.values()
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

/// Compiles one stage script and checks it defines its stage function.
fn compile(
    engine: &Engine,
    stage: Stage,
    display: &str,
    text: &str,
    logical: &str,
) -> Result<AST, Diagnostic> {
    let mut ast = engine.compile(text).map_err(|e| {
        let pos = e.position();
        Diagnostic::error(display, e.err_type().to_string()).at(pos.line(), pos.position())
    })?;
    ast.set_source(logical);
    let found: Vec<usize> = ast
        .iter_functions()
        .filter(|f| f.name == stage.name())
        .map(|f| f.params.len())
        .collect();
    let wanted = stage.params().len();
    if found.contains(&wanted) {
        return Ok(ast);
    }
    let message = if found.is_empty() {
        format!("missing stage function: expected `{}`", stage.signature())
    } else {
        format!(
            "stage function `{}` takes {} parameter(s); expected `{}`",
            stage.name(),
            found[0],
            stage.signature()
        )
    };
    Err(Diagnostic::error(display, message).near(text, &format!("fn {}", stage.name())))
}
