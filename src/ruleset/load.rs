//! A rule set loaded, checked and compiled: the catalog, settings, calendars and one
//! compiled script per stage and rule folder. Built once; evaluation only reads it.

use crate::calendar::{CalendarSet, DEFAULT_CALENDAR};
use crate::catalog::{Catalog, CustodianField};
use crate::error::{Diagnostic, LoadError, Severity};
use crate::model::decision::RulesetId;
use crate::ruleset::check::{Checker, Vocabularies};
use crate::ruleset::files::{Manifest, Origin, RuleFiles};
use crate::ruleset::messages::{Messages, Use, ENGINE_MESSAGES};
use crate::ruleset::policy::{case_policy, CasePolicy};
use crate::ruleset::settings::Settings;
use crate::script::helpers::RuleData;
use crate::script::Stage;
use crate::script::{Compiled, CoverageHits, StageScript};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The logical name of the settings file.
pub const SETTINGS_FILE: &str = "rules/settings.yaml";

/// A loaded rule set, ready to evaluate applications.
pub struct RuleSet {
    /// ruleset.yaml: name, version, coordinator, calendars folder, limits and base.
    pub manifest: Manifest,
    /// Where the files came from: a folder or the binary.
    pub origin: Origin,
    /// A hash of every rule and calendar file, so a decision can be reproduced.
    pub fingerprint: String,
    /// The catalog, calendars and settings the helpers read, shared by every engine.
    pub data: Arc<RuleData>,
    /// The calendar each custodian's routes start in (`deadline.calendars` in the
    /// settings); a custodian not named counts in the national calendar.
    pub custodian_calendars: BTreeMap<String, String>,
    /// How the case clock counts (`case:` in the settings); `None` when the rule
    /// set has no case policy.
    pub case_policy: Option<CasePolicy>,
    /// The settings as read, for values looked up by date (the fees).
    pub settings: Settings,
    /// The messages in every language (`rules/messages/*.ftl`), compiled.
    pub messages: Messages,
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
        RuleSet::load_checked(files, coverage, true)
    }

    /// Loads a rule set to run it, as [`RuleSet::load_with_coverage`] does, except
    /// that the built-in rule set's scripts (or an unchanged copy of them in a
    /// folder) are compiled without the checks `hds check` makes of them (the
    /// functions they call, the fields, settings, calendars and messages they
    /// name): they are the same bytes whatever the run, and a test holds them free
    /// of any problem those checks find. Any other rule set is checked in full.
    pub fn load_to_run(
        files: &RuleFiles,
        coverage: Option<CoverageHits>,
    ) -> Result<RuleSet, LoadError> {
        let check_scripts = !files.is_built_in_copy();
        RuleSet::load_checked(files, coverage, check_scripts)
    }

    fn load_checked(
        files: &RuleFiles,
        coverage: Option<CoverageHits>,
        check_scripts: bool,
    ) -> Result<RuleSet, LoadError> {
        let mut problems: Vec<Diagnostic> = Vec::new();
        let manifest = files.manifest.clone();
        problems.extend(files.repeated_keys());

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

        let settings = match required(files, SETTINGS_FILE, &mut problems) {
            Some(f) => match Settings::load(&f.display, &f.text) {
                Ok(s) => Some(s),
                Err(d) => {
                    problems.push(d);
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
        let settings =
            settings.unwrap_or_else(|| Settings::empty(&files.display_of(SETTINGS_FILE)));
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

        let custodian_calendars = if settings_ok {
            let (map, mut found) = super::calendars::custodian_calendars(
                &settings,
                catalog_ok.then_some(&catalog),
                calendars_ok.then_some(&calendars),
            );
            problems.append(&mut found);
            map
        } else {
            BTreeMap::new()
        };
        if settings_ok {
            problems.append(&mut settings.dated_problems());
            problems.append(&mut crate::ruleset::fees::fee_problems(&settings));
            if catalog_ok {
                problems.append(&mut crate::ruleset::fees::fee_party_problems(
                    &settings, &catalog,
                ));
            }
        }
        let case_policy = if settings_ok {
            let (policy, mut found) = case_policy(&settings);
            problems.append(&mut found);
            policy
        } else {
            None
        };

        let (messages, mut found) = Messages::load(files);
        problems.append(&mut found);

        let settings_kept = settings.clone();
        let data = Arc::new(RuleData::new(
            catalog,
            calendars,
            settings.values(),
            settings.display(),
        ));
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
                        ).with_code("missing-file"));
                    }
                    continue;
                };
                if let Err(d) = compiled.compile(group, stage, &logical, &file.display, &file.text)
                {
                    problems.push(d);
                }
            }
        }

        if check_scripts {
            let checker = Checker::new(
                compiled.engine(),
                &manifest.limits,
                Vocabularies {
                    settings: settings_ok.then_some(&settings),
                    calendars: calendars_ok.then_some(data.calendars()),
                    catalog: catalog_ok.then_some(data.catalog()),
                },
            );
            let engine_place = files.display_of(super::messages::FOLDER);
            let mut used: BTreeMap<String, Use> = ENGINE_MESSAGES
                .iter()
                .map(|(id, args)| {
                    let use_ = Use {
                        place: (engine_place.clone(), None, None),
                        by: "the engine".to_string(),
                        args: Some(args.iter().map(|a| a.to_string()).collect()),
                    };
                    (id.to_string(), use_)
                })
                .collect();
            for group in &groups {
                for stage in Stage::ALL {
                    if let Some(script) = compiled.script(group, stage) {
                        problems.extend(checker.check(stage, &script.display, &script.text));
                        for (id, at, args) in checker.message_ids(&script.text) {
                            match used.get_mut(&id) {
                                Some(known) => known.and(args),
                                None => {
                                    let place = (script.display.clone(), at.line(), at.position());
                                    let by = script.display.clone();
                                    used.insert(id, Use { place, by, args });
                                }
                            }
                        }
                    }
                }
            }
            let clean = !problems.iter().any(|d| d.severity == Severity::Error);
            warnings.extend(messages.check(&used, clean));
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
            custodian_calendars,
            case_policy,
            settings: settings_kept,
            messages,
            compiled,
            warnings,
        })
    }

    /// The name, version and fingerprint every decision carries.
    pub fn id(&self) -> RulesetId {
        RulesetId {
            name: self.manifest.name.clone(),
            version: self.manifest.version.clone(),
            fingerprint: self.fingerprint.clone(),
        }
    }

    /// Every working-day calendar of the rule set.
    pub fn calendars(&self) -> &CalendarSet {
        self.data.calendars()
    }

    /// The source catalog.
    pub fn catalog(&self) -> &Catalog {
        self.data.catalog()
    }

    /// How the case clock counts: the `case:` settings, when the rule set has them.
    pub fn case_policy(&self) -> Option<&CasePolicy> {
        self.case_policy.as_ref()
    }

    /// The folder of the common rules, which run before each custodian's.
    pub fn coordinator(&self) -> &str {
        &self.manifest.coordinator
    }

    /// The calendar a route of `custodian` starts in, before any deadline rule runs.
    pub fn calendar_of(&self, custodian: &str) -> &str {
        self.custodian_calendars
            .get(custodian)
            .map_or(DEFAULT_CALENDAR, String::as_str)
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
        problems.push(
            Diagnostic::error(files.display_of(logical), "missing file").with_code("missing-file"),
        );
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

    fn with_settings(edit: impl Fn(&str) -> String) -> RuleFiles {
        let mut files = RuleFiles::built_in().expect("built-in files");
        let settings = files.files.get_mut(SETTINGS_FILE).expect("settings");
        settings.text = edit(&settings.text);
        files
    }

    #[test]
    fn the_built_in_rule_set_passes_every_check_so_running_it_may_skip_the_script_checks() {
        let files = RuleFiles::built_in().expect("built-in files");
        let checked = RuleSet::load(&files).expect("the built-in rules load");
        assert!(checked.warnings.is_empty(), "{:?}", checked.warnings);
        let run = RuleSet::load_to_run(&files, None).expect("the built-in rules load to run");
        assert!(run.warnings.is_empty(), "{:?}", run.warnings);
        assert_eq!(run.id(), checked.id());
    }

    #[test]
    fn a_rule_set_from_a_folder_is_checked_in_full_even_to_run_it() {
        let mut files = RuleFiles::built_in().expect("built-in files");
        files.origin = Origin::Folder("rules".into());
        let script = files
            .files
            .get_mut("rules/helsedataservice/routing.rhai")
            .expect("the routing rules");
        script.text = script
            .text
            .replace("let out = [];", "let out = []; no_such_helper(1);");
        let err = RuleSet::load_to_run(&files, None).expect_err("an unknown function");
        assert!(err.to_string().contains("no_such_helper"), "{err}");
    }

    #[test]
    fn each_custodian_starts_in_the_calendar_the_settings_name() {
        let rules = RuleSet::built_in().expect("built-in rules");
        assert_eq!(rules.calendar_of("niph"), "niph");
        assert_eq!(rules.calendar_of("cancer-registry"), "cancer-registry");
        let none = with_settings(|t| t.replace("  calendars:\n", "  not_calendars:\n"));
        let rules = RuleSet::load(&none).expect("loads without the map");
        assert_eq!(rules.calendar_of("niph"), DEFAULT_CALENDAR);
    }

    #[test]
    fn an_unknown_calendar_or_custodian_in_the_map_is_a_load_error_at_its_line() {
        let files = with_settings(|t| {
            t.replace("    niph: niph\n", "    niph: nihp\n")
                .replace("    medicines-agency:", "    medicine-agency:")
        });
        let text = &files.files[SETTINGS_FILE].text;
        let line_of = |needle: &str| {
            text.lines()
                .position(|l| l.contains(needle))
                .expect("the edited line")
                + 1
        };
        let err = RuleSet::load(&files).expect_err("unknown names");
        let shown = err.to_string();
        let niph = format!("rules/settings.yaml:{}:5: error: deadline.calendars: calendar 'nihp' of 'niph' does not exist", line_of("nihp"));
        let agency = format!("rules/settings.yaml:{}:5: error: deadline.calendars: 'medicine-agency' is not a custodian", line_of("medicine-agency"));
        assert!(shown.contains(&niph), "{shown}");
        assert!(shown.contains(&agency), "{shown}");
    }

    #[test]
    fn a_calendar_map_that_is_not_a_map_is_a_load_error() {
        let files = with_settings(|t| {
            let start = t.find("  calendars:\n").expect("the map");
            let end = t[start..].find("\n\n").map_or(t.len(), |i| start + i);
            format!("{}  calendars: niph{}", &t[..start], &t[end..])
        });
        let shown = RuleSet::load(&files).expect_err("not a map").to_string();
        assert!(
            shown.contains("deadline.calendars: expected a map"),
            "{shown}"
        );
    }

    #[test]
    fn the_shipped_rules_carry_the_case_policy_and_a_bad_value_stops_the_load_at_its_line() {
        let rules = RuleSet::built_in().expect("built-in rules");
        let policy = rules.case_policy().expect("the shipped case policy");
        assert_eq!(policy.reply_working_days, 10);
        assert_eq!(policy.appeal_weeks, 3);
        let files = with_settings(|t| t.replace("paused_days: late-days", "paused_days: late"));
        let text = &files.files[SETTINGS_FILE].text;
        let line = text
            .lines()
            .position(|l| l.contains("paused_days: late"))
            .expect("the edited line")
            + 1;
        let shown = RuleSet::load(&files)
            .expect_err("a bad reading")
            .to_string();
        let expected = format!("rules/settings.yaml:{line}:3: error: case.paused_days: expected late-days or question-to-answer; got 'late'");
        assert!(shown.contains(&expected), "{shown}");
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

    #[test]
    fn a_code_without_a_message_a_message_without_a_code_and_an_argument_no_rule_gives_are_warnings_at_their_lines(
    ) {
        let mut files = RuleFiles::built_in().expect("built-in files");
        let script = "rules/helsedataservice/routing.rhai";
        let rule = files.files.get_mut(script).expect("the routing rules");
        rule.text = rule.text.replacen(
            "    let out = [];",
            "    let out = [finding(\"brand-new\", \"info\", \"the rule's words\")];",
            1,
        );
        let line = rule
            .text
            .lines()
            .position(|l| l.contains("brand-new"))
            .expect("the edited line")
            + 1;
        let en = files
            .files
            .get_mut("rules/messages/en.ftl")
            .expect("the English messages");
        en.text.push_str("\nnobody-says-this = unused words\n");
        let unused_line = en.text.lines().count();
        let nn = files
            .files
            .get_mut("rules/messages/nn.ftl")
            .expect("the Nynorsk messages");
        nn.text = nn.text.replacen(
            "source-listed-twice = { $source }",
            "source-listed-twice = { $sorce }",
            1,
        );
        let typo_line = nn
            .text
            .lines()
            .position(|l| l.contains("$sorce"))
            .expect("the edited line")
            + 1;
        let rules = RuleSet::load(&files).expect("warnings do not stop the load");
        let shown: Vec<String> = rules.warnings.iter().map(ToString::to_string).collect();
        let missing =
            format!("{script}:{line}:24: warning: 'brand-new' has no message in nb, nn, en");
        let unused = format!("rules/messages/en.ftl:{unused_line}:1: warning: message 'nobody-says-this' is not used");
        assert!(shown.iter().any(|w| w.starts_with(&missing)), "{shown:#?}");
        assert!(shown.iter().any(|w| w.starts_with(&unused)), "{shown:#?}");
        let typo = format!("rules/messages/nn.ftl:{typo_line}:1: warning: message 'source-listed-twice' names `{{ $sorce }}`, which rules/helsedataservice/completeness.rhai does not give it; expected only $source, $times");
        assert!(shown.iter().any(|w| w == &typo), "{shown:#?}");
    }
}
