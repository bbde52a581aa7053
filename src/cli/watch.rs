//! `hds test --watch` and `hds check --watch`: the command run again whenever a rule,
//! calendar or scenario file (or an application or case file a scenario names)
//! changes, the screen cleared first when standard output
//! is a terminal. Ctrl-C stops.

use super::args::{Cli, Command};
use super::rules::{rule_files, select};
use super::Exit;
use crate::tools::watch::{scenario_inputs, watch, watched};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// The command line run once without `--watch`, when it asks for watching.
pub(super) fn unwatched(cli: &Cli) -> Option<Cli> {
    let mut once = cli.clone();
    match &mut once.command {
        Command::Test {
            watch: w @ true, ..
        }
        | Command::Check {
            watch: w @ true, ..
        } => {
            *w = false;
            Some(once)
        }
        _ => None,
    }
}

/// Runs `once` now and again after each change, until stopped.
pub(super) fn run_watching(once: Cli) -> Exit {
    let scenarios: Vec<PathBuf> = match &once.command {
        Command::Test { paths, .. } => paths.clone(),
        _ => Vec::new(),
    };
    let rules = once.rules.clone();
    let roots = || {
        // The folder itself too, so a rule set that does not read yet is watched.
        let mut others: Vec<PathBuf> = select(rules.as_ref()).ok().flatten().into_iter().collect();
        others.extend(scenarios.iter().cloned());
        others.extend(scenario_inputs(&scenarios));
        watched(rule_files(rules.as_ref()).ok().as_ref(), &others)
    };
    let terminal = std::io::stdout().is_terminal();
    let clear = |changed: &[PathBuf]| {
        if terminal {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(b"\x1b[2J\x1b[3J\x1b[H");
            let _ = stdout.flush();
        }
        let cwd = std::env::current_dir().unwrap_or_default();
        if let Some(first) = changed.first() {
            let first = first.strip_prefix(&cwd).unwrap_or(first);
            let more = match changed.len() {
                1 => String::new(),
                n => format!(" and {} more", n - 1),
            };
            note!("hds: {} changed{more}", first.display());
        }
    };
    let run = || {
        let _ = super::run(once.clone());
        let _ = std::io::stdout().flush();
    };
    match watch(roots, run, clear) {
        Ok(()) => Exit::Ok,
        Err(e) => {
            note!("hds: {e}");
            Exit::CannotRun
        }
    }
}
