//! Reading a rule set's files, from a folder or from the copy built into the binary,
//! and the fingerprint that names their exact content.

use crate::error::Diagnostic;
use crate::script::Limits;
use crate::yaml;
use include_dir::{include_dir, Dir};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

static BUILT_IN_RULES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/rules");
static BUILT_IN_CALENDARS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/calendars");

/// The file at the root of every rule set.
pub const MANIFEST: &str = "ruleset.yaml";

/// `ruleset.yaml`: what the rule set is called and where its calendars are.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The rule set's name, shown in every decision's `ruleset`.
    pub name: String,
    /// Its version; bump it when policy changes.
    pub version: String,
    /// Folder of calendar files, relative to the rule-set folder.
    #[serde(default = "default_calendars")]
    pub calendars: String,
    /// Folder of the common rules run before each custodian's.
    #[serde(default = "default_coordinator")]
    pub coordinator: String,
    /// What one rule-function call may do before it is stopped.
    #[serde(default)]
    pub limits: Limits,
    /// Another rule-set folder (relative to this one) this one is a variant of:
    /// every file here replaces the base's file of the same name, calendars included.
    #[serde(default)]
    pub base: Option<String>,
}

fn default_calendars() -> String {
    "../calendars".to_string()
}

fn default_coordinator() -> String {
    "helsedataservice".to_string()
}

/// Where a rule set came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A folder on disk.
    Folder(PathBuf),
    /// The copy built into the binary.
    BuiltIn,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Folder(p) => write!(f, "{}", p.display()),
            Origin::BuiltIn => f.write_str("built-in rule set"),
        }
    }
}

/// One file of a rule set.
#[derive(Debug, Clone)]
pub struct RuleFile {
    /// Where to find it, for messages: the real path, or `rules/…` when built in.
    pub display: String,
    /// The file's text.
    pub text: String,
}

/// Every file of a rule set, keyed by its logical name: `rules/<path in the rule-set
/// folder>` or `calendars/<file>`. The logical names do not depend on where the rule
/// set lives, so the same files give the same fingerprint and the same `rule` fields.
#[derive(Debug, Clone)]
pub struct RuleFiles {
    /// Where the files came from.
    pub origin: Origin,
    /// `ruleset.yaml`, read.
    pub manifest: Manifest,
    /// Every file, by logical name.
    pub files: BTreeMap<String, RuleFile>,
}

fn is_rule_file(name: &str) -> bool {
    name.ends_with(".rhai")
        || name.ends_with(".yaml")
        || name.ends_with(".yml")
        || name.ends_with(".ftl")
}

impl RuleFiles {
    /// A key given twice in one map of a rule set's YAML file (`sources: {hunt: …,
    /// hunt: …}`): a reader keeps only one of the values, silently, so it is an error.
    pub fn repeated_keys(&self) -> Vec<Diagnostic> {
        self
            .files
            .iter()
            .filter(|(logical, _)| logical.ends_with(".yaml") || logical.ends_with(".yml"))
            .flat_map(|(_, file)| {
                crate::yaml::Index::of(&file.text)
                    .repeated_keys()
                    .into_iter()
                    .map(|(path, again, first)| {
                        Diagnostic::error(
                            &file.display,
                            format!(
                                "`{path}` is given twice (first at {}:{}); only one of the values would be read: remove or merge one",
                                first.line, first.column
                            ),
                        )
                        .at(Some(again.line), Some(again.column))
                        .with_code("repeated-key")
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The rule set built into the binary.
    pub fn built_in() -> Result<RuleFiles, Diagnostic> {
        let mut files = BTreeMap::new();
        collect_embedded(&BUILT_IN_RULES, "rules", &mut files);
        collect_embedded(&BUILT_IN_CALENDARS, "calendars", &mut files);
        let manifest = parse_manifest(&files, "rules")?;
        Ok(RuleFiles {
            origin: Origin::BuiltIn,
            manifest,
            files,
        })
    }

    /// A rule set in a folder, with the calendars its manifest points to.
    pub fn from_folder(dir: &Path) -> Result<RuleFiles, Diagnostic> {
        Self::from_folder_at_depth(dir, 0)
    }

    fn from_folder_at_depth(dir: &Path, depth: usize) -> Result<RuleFiles, Diagnostic> {
        let shown = dir.display().to_string();
        if !dir.is_dir() {
            return Err(Diagnostic::error(
                shown,
                "rule-set folder not found; expected a folder holding ruleset.yaml",
            ));
        }
        let mut own = BTreeMap::new();
        collect_folder(dir, dir, "rules", &mut own)?;
        let manifest = parse_manifest(&own, &shown)?;
        // A calendars folder inside the rule-set folder holds calendars, not rules.
        let inside = format!("rules/{}/", manifest.calendars.trim_end_matches('/'));
        own.retain(|name, _| !name.starts_with(&inside));
        let manifest_file = &own[&format!("rules/{MANIFEST}")];
        let manifest_index = yaml::Index::of(&manifest_file.text);
        let calendars = dir.join(&manifest.calendars);
        let mut files = match &manifest.base {
            None => BTreeMap::new(),
            Some(_) if depth >= 8 => {
                return Err(Diagnostic::error(
                    manifest_file.display.clone(),
                    "base: more than 8 rule sets deep; is there a cycle?",
                )
                .at_position(manifest_index.value("base")))
            }
            Some(base) => {
                Self::from_folder_at_depth(&dir.join(base), depth + 1)
                    .map_err(|d| {
                        Diagnostic::error(
                            manifest_file.display.clone(),
                            format!("base '{base}' cannot be loaded: {d}"),
                        )
                        .at_position(manifest_index.value("base"))
                    })?
                    .files
            }
        };
        if calendars.is_dir() {
            collect_folder(&calendars, &calendars, "calendars", &mut files)?;
        } else if manifest.base.is_none() {
            return Err(Diagnostic::error(
                manifest_file.display.clone(),
                format!("calendars: folder '{}' not found", calendars.display()),
            )
            .at_position(manifest_index.value("calendars")));
        }
        files.extend(own);
        Ok(RuleFiles {
            origin: Origin::Folder(dir.to_path_buf()),
            manifest,
            files,
        })
    }

    /// `sha256:<hex>` over every file's logical name and content, in name order.
    pub fn fingerprint(&self) -> String {
        let mut hasher = Sha256::new();
        for (name, file) in &self.files {
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update((file.text.len() as u64).to_le_bytes());
            hasher.update(file.text.as_bytes());
        }
        let digest = hasher.finalize();
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("sha256:{hex}")
    }

    /// Whether these are, name for name and byte for byte, the files of the rule
    /// set built into the binary (the built-in set itself, or a folder holding an
    /// unchanged copy of it).
    pub fn is_built_in_copy(&self) -> bool {
        if self.origin == Origin::BuiltIn {
            return true;
        }
        let mut built_in = BTreeMap::new();
        collect_embedded(&BUILT_IN_RULES, "rules", &mut built_in);
        collect_embedded(&BUILT_IN_CALENDARS, "calendars", &mut built_in);
        built_in.len() == self.files.len()
            && built_in
                .iter()
                .zip(&self.files)
                .all(|((a, fa), (b, fb))| a == b && fa.text == fb.text)
    }

    /// The file with this logical name (`rules/catalog.yaml`), if the rule set has it.
    pub fn get(&self, logical: &str) -> Option<&RuleFile> {
        self.files.get(logical)
    }

    /// The display path a logical name would have (for files that are missing).
    pub fn display_of(&self, logical: &str) -> String {
        match (&self.origin, logical.strip_prefix("rules/")) {
            (Origin::Folder(dir), Some(rest)) => dir.join(rest).display().to_string(),
            _ => logical.to_string(),
        }
    }

    /// Calendar files as `(name, display path, text)`.
    pub fn calendar_files(&self) -> Vec<(String, String, String)> {
        self.files
            .iter()
            .filter_map(|(name, f)| {
                let file = name.strip_prefix("calendars/")?;
                let stem = file
                    .strip_suffix(".yaml")
                    .or_else(|| file.strip_suffix(".yml"))?;
                Some((stem.to_string(), f.display.clone(), f.text.clone()))
            })
            .collect()
    }
}

/// The path as the user would type it from the current folder: relative when it
/// lies below it, with `..` segments resolved.
fn relative_to_current_folder(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut clean = PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    match std::env::current_dir() {
        Ok(cwd) => match clean.strip_prefix(&cwd) {
            Ok(rel) => rel.display().to_string(),
            Err(_) => clean.display().to_string(),
        },
        Err(_) => path.display().to_string(),
    }
}

/// Reads `ruleset.yaml`; `shown` is where the rule set is, for the message when it
/// has none.
fn parse_manifest(files: &BTreeMap<String, RuleFile>, shown: &str) -> Result<Manifest, Diagnostic> {
    let key = format!("rules/{MANIFEST}");
    let Some(file) = files.get(&key) else {
        return Err(Diagnostic::error(
            format!("{shown}/{MANIFEST}"),
            "missing ruleset.yaml: expected `name`, `version` and `calendars` at the root of the rule set",
        ));
    };
    let manifest: Manifest = yaml::from_str(&file.text).map_err(|e| e.diagnostic(&file.display))?;
    // A limit out of range would stop every application, or let a loop run for
    // hours: refused at load, so `check` reports it and `evaluate` does not start.
    if let Some((name, message)) = manifest.limits.problems().into_iter().next() {
        let index = yaml::Index::of(&file.text);
        return Err(Diagnostic::error(file.display.clone(), message)
            .at_position(index.value(&format!("limits.{name}")))
            .with_code("manifest"));
    }
    Ok(manifest)
}

fn collect_embedded(dir: &Dir<'_>, prefix: &str, out: &mut BTreeMap<String, RuleFile>) {
    for file in dir.files() {
        let rel = file.path().to_string_lossy().replace('\\', "/");
        if !is_rule_file(&rel) {
            continue;
        }
        if let Some(text) = file.contents_utf8() {
            let logical = format!("{prefix}/{rel}");
            out.insert(
                logical.clone(),
                RuleFile {
                    display: logical,
                    text: text.to_string(),
                },
            );
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, prefix, out);
    }
}

fn collect_folder(
    root: &Path,
    dir: &Path,
    prefix: &str,
    out: &mut BTreeMap<String, RuleFile>,
) -> Result<(), Diagnostic> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Diagnostic::error(
            dir.display().to_string(),
            format!("cannot read folder: {e}"),
        )
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect_folder(root, &path, prefix, out)?;
            continue;
        }
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if !is_rule_file(&rel) {
            continue;
        }
        let display = relative_to_current_folder(&path);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error(
                display.clone(),
                format!("cannot read file: {e}; expected UTF-8 text"),
            )
        })?;
        out.insert(format!("{prefix}/{rel}"), RuleFile { display, text });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_rule_set_has_a_manifest_and_calendars() {
        let files = RuleFiles::built_in().expect("built-in rules load");
        assert_eq!(files.manifest.name, "helsedataservice");
        assert!(files.calendar_files().iter().any(|(n, _, _)| n == "norway"));
    }

    #[test]
    fn the_folder_of_the_repository_is_a_copy_of_the_built_in_rule_set_until_a_byte_changes() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let mut on_disk = RuleFiles::from_folder(&root).expect("folder loads");
        assert!(RuleFiles::built_in()
            .expect("built-in loads")
            .is_built_in_copy());
        assert!(on_disk.is_built_in_copy());
        if let Some(file) = on_disk.files.get_mut("rules/settings.yaml") {
            file.text.push(' ');
        }
        assert!(!on_disk.is_built_in_copy());
    }

    #[test]
    fn fingerprint_of_the_folder_equals_that_of_the_built_in_copy() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let on_disk = RuleFiles::from_folder(&dir).expect("folder loads");
        let built_in = RuleFiles::built_in().expect("built-in loads");
        assert_eq!(on_disk.fingerprint(), built_in.fingerprint());
    }

    #[test]
    fn fingerprint_changes_when_one_byte_of_a_rule_changes() {
        let mut files = RuleFiles::built_in().expect("built-in loads");
        let before = files.fingerprint();
        if let Some(f) = files.files.get_mut("calendars/norway.yaml") {
            f.text.push(' ');
        }
        assert_ne!(before, files.fingerprint());
        assert!(before.starts_with("sha256:") && before.len() == 7 + 64);
    }
}
