//! Watching the files a command reads (`hds test --watch`, `hds check --watch`): which
//! folders are watched, which changes start a new run, and the loop that waits for
//! them. The rule set is read again on every run, so an edit is seen at once.

use crate::ruleset::files::{Origin, RuleFiles};
use crate::tools::scenario::file::{
    collect_files, load_each, load_file, ApplicationSource, CaseSource,
};
use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{Event, EventKind, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The extensions of files whose change starts a new run: rule scripts, YAML (rule
/// set, catalog, settings, calendars, scenarios, applications, cases), JSON and JSON
/// Lines (applications, cases) and message files.
const WATCHED_EXTENSIONS: &[&str] = &["rhai", "yaml", "yml", "json", "jsonl", "ftl"];

/// The folders to watch: the rule-set folder with its calendars folder and the
/// folder of every file it reads (a base rule set's too), and each of `others`
/// (scenario folders, or the folder of a file). A path inside another watched folder is
/// left out, since folders are watched with everything below them. The built-in
/// rule set is not watched: it cannot change while `hds` runs.
pub fn watched(rules: Option<&RuleFiles>, others: &[PathBuf]) -> Vec<PathBuf> {
    let mut all: BTreeSet<PathBuf> = BTreeSet::new();
    if let Some(files) = rules {
        if let Origin::Folder(dir) = &files.origin {
            all.insert(dir.clone());
            all.insert(dir.join(&files.manifest.calendars));
            for file in files.files.values() {
                if let Some(parent) = Path::new(&file.display).parent() {
                    all.insert(parent.to_path_buf());
                }
            }
        }
    }
    // A file is watched through its folder: an editor that saves by writing a new
    // file and renaming it over the old one would end a watch on the file itself.
    all.extend(others.iter().map(|p| match p.parent() {
        Some(parent) if p.is_file() => parent.to_path_buf(),
        _ => p.clone(),
    }));
    let all: Vec<PathBuf> = all.into_iter().map(|p| normal(&p)).collect();
    let mut roots: Vec<PathBuf> = Vec::new();
    for p in &all {
        let inside = all.iter().any(|q| q != p && p.starts_with(q));
        if !inside && !roots.contains(p) {
            roots.push(p.clone());
        }
    }
    roots
}

/// The files the scenarios under `paths` read besides themselves: each application
/// and case file named by path (`application: ../../examples/linked-niph.yaml`), and
/// each rule-set variant folder (`rules: ../variants/niph-closures`), so an edit to
/// one of them starts a run too. Scenario files that do not read give nothing.
pub fn scenario_inputs(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = BTreeSet::new();
    for path in paths {
        for file in collect_files(path).unwrap_or_default() {
            let scenarios = match load_file(&file) {
                Ok(all) => all,
                Err(_) => load_each(&file)
                    .unwrap_or_default()
                    .into_iter()
                    .flatten()
                    .collect(),
            };
            for s in scenarios {
                if let Ok(ApplicationSource::File(p)) = s.application_source() {
                    out.insert(normal(&p));
                }
                if let Ok(CaseSource::File(p)) = s.case_source() {
                    out.insert(normal(&p));
                }
                if let Some(dir) = s.rules_dir() {
                    out.insert(normal(&dir));
                }
            }
        }
    }
    out.into_iter().collect()
}

/// `path` without `.` steps, and `a/b/..` as `a`, so nesting is seen by prefix.
fn normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir
                if out
                    .components()
                    .next_back()
                    .is_some_and(|c| matches!(c, std::path::Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// Whether a change to `path` starts a new run: a file with one of the extensions a
/// rule set, scenario or case uses, and not an editor's backup or swap file
/// (`.name.swp`, `name~`, `#name#`, `.#name`).
pub fn triggers(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name.starts_with('.') || name.starts_with('#') || name.ends_with('~') {
        return false;
    }
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| WATCHED_EXTENSIONS.contains(&e))
}

/// The paths of `event` whose change starts a new run: a file created, written,
/// renamed or removed (not one only opened or read, as every run does) that
/// [`triggers`] a run.
pub fn changed_by(event: &Event) -> Vec<PathBuf> {
    let changes = match &event.kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        _ => false,
    };
    if !changes {
        return Vec::new();
    }
    event
        .paths
        .iter()
        .filter(|p| triggers(p))
        .cloned()
        .collect()
}

/// How long after a change other changes are waited for, so that saving several
/// files (or an editor writing one in steps) gives one run.
const SETTLE: Duration = Duration::from_millis(200);

/// Runs `run` once, then again after each change to a file under the paths
/// `roots` gives (asked again after every run, so a folder added to the rule set is
/// watched from then on), until the process is stopped (Ctrl-C). `before_rerun`
/// gets the files changed, first on each rerun (to clear the screen and say what
/// changed). Returns only when watching fails.
pub fn watch(
    mut roots: impl FnMut() -> Vec<PathBuf>,
    mut run: impl FnMut(),
    mut before_rerun: impl FnMut(&[PathBuf]),
) -> Result<(), String> {
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<Event>>();
    let mut watcher =
        notify::recommended_watcher(tx).map_err(|e| format!("cannot watch files: {e}"))?;
    let mut watching: BTreeSet<PathBuf> = BTreeSet::new();
    let mut add = |paths: Vec<PathBuf>, watcher: &mut notify::RecommendedWatcher| {
        for p in paths {
            if watching.contains(&p) || !p.exists() {
                continue;
            }
            let mode = if p.is_dir() {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            match watcher.watch(&p, mode) {
                Ok(()) => {
                    watching.insert(p);
                }
                Err(e) => eprintln!("hds: cannot watch {}: {e}", p.display()),
            }
        }
        watching.len()
    };
    let count = add(roots(), &mut watcher);
    run();
    eprintln!("hds: watching {count} folder(s) for changes; Ctrl-C stops");
    loop {
        let mut changed = match rx.recv() {
            Ok(Ok(event)) => changed_by(&event),
            Ok(Err(e)) => {
                eprintln!("hds: while watching: {e}");
                continue;
            }
            Err(_) => return Err("watching stopped".to_string()),
        };
        if changed.is_empty() {
            continue;
        }
        while let Ok(more) = rx.recv_timeout(SETTLE) {
            if let Ok(event) = more {
                changed.extend(changed_by(&event));
            }
        }
        changed.sort();
        changed.dedup();
        before_rerun(&changed);
        run();
        let count = add(roots(), &mut watcher);
        eprintln!("hds: watching {count} folder(s) for changes; Ctrl-C stops");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_scenario_and_case_files_trigger_a_run_and_editor_files_do_not() {
        for yes in [
            "rules/niph/deadline.rhai",
            "rules/settings.yaml",
            "calendars/niph.yml",
            "tests/scenarios/x.yaml",
            "cases/a.json",
            "batch.jsonl",
            "rules/messages/nb.ftl",
        ] {
            assert!(triggers(Path::new(yes)), "{yes}");
        }
        for no in [
            "rules/.settings.yaml.swp",
            "rules/settings.yaml~",
            "rules/#settings.yaml#",
            "rules/.#settings.yaml",
            "rules/4913",
            "rules/README.md",
            "target/debug/hds",
            "rules",
        ] {
            assert!(!triggers(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn the_rule_set_its_calendars_and_the_scenarios_are_watched_once_each() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("rules/niph")).expect("mkdir");
        std::fs::create_dir_all(root.join("calendars")).expect("mkdir");
        std::fs::write(
            root.join("rules/ruleset.yaml"),
            "name: t\nversion: '1'\ncalendars: ../calendars\ncoordinator: helsedataservice\n",
        )
        .expect("write");
        std::fs::write(root.join("rules/niph/deadline.rhai"), "").expect("write");
        std::fs::write(root.join("calendars/norway.yaml"), "").expect("write");
        let files = RuleFiles::from_folder(&root.join("rules")).expect("reads");
        let scenarios = root.join("tests/scenarios");
        let watched = watched(
            Some(&files),
            &[scenarios.clone(), scenarios.join("deadline/linking.yaml")],
        );
        assert_eq!(
            watched,
            vec![root.join("calendars"), root.join("rules"), scenarios]
        );
    }

    #[test]
    fn a_file_written_starts_a_run_and_a_file_only_read_does_not() {
        use notify::event::{CreateKind, DataChange, MetadataKind, RemoveKind};
        let event = |kind: EventKind, path: &str| Event::new(kind).add_path(PathBuf::from(path));
        let yes = [
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            EventKind::Create(CreateKind::File),
            EventKind::Remove(RemoveKind::File),
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
        ];
        for kind in yes {
            assert_eq!(
                changed_by(&event(kind, "rules/settings.yaml")),
                vec![PathBuf::from("rules/settings.yaml")],
                "{kind:?}"
            );
        }
        let no = [
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)),
        ];
        for kind in no {
            assert!(
                changed_by(&event(kind, "rules/settings.yaml")).is_empty(),
                "{kind:?}"
            );
        }
        let swap = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        assert!(changed_by(&event(swap, "rules/.settings.yaml.swp")).is_empty());
    }

    #[test]
    fn the_applications_cases_and_variants_scenarios_name_are_watched_too() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("s/deep")).expect("mkdir");
        std::fs::write(
            root.join("s/deep/a.yaml"),
            "scenarios:\n  - {name: a, description: d, application: ../../examples/x.yaml, rules: ../variant, expect: {status: complete}}\n  - {name: b, description: d, case: ../c.yaml, as_of: 2026-05-04, expect: {state: open}}\n  - {name: c, description: d, application: {id: inline}, expect: {status: complete}}\n",
        )
        .expect("write");
        assert_eq!(
            scenario_inputs(&[root.join("s")]),
            vec![
                root.join("examples/x.yaml"),
                root.join("s/c.yaml"),
                root.join("s/variant")
            ]
        );
    }

    #[test]
    fn the_built_in_rule_set_is_not_watched() {
        let files = RuleFiles::built_in().expect("built in");
        assert_eq!(
            watched(Some(&files), &[PathBuf::from("./tests/scenarios")]),
            vec![PathBuf::from("tests/scenarios")]
        );
    }
}
