//! `hds case new` and `hds case record`: start a case file, add an event to one.

use super::args::CaseCommand;
use super::{Exit, Out};
use crate::case::file::folder_of;
use crate::case::record::{self, RecordError};
use crate::case::start::{self, StartError};
use crate::ruleset::RuleSet;
use std::io::Write;
use std::path::Path;

pub(super) fn case(rule_set: &RuleSet, command: CaseCommand, stdout: &mut Out) -> Exit {
    match command {
        CaseCommand::New {
            application,
            output,
        } => new(&application, output.as_deref(), stdout),
        CaseCommand::Record {
            case_file,
            kind,
            date,
            route,
            fields,
        } => {
            let event = match record::new_event(
                &kind,
                &date,
                route.as_deref(),
                &fields,
                &folder_of(&case_file),
            ) {
                Ok(e) => e,
                Err(e) => {
                    note!("hds: refused; {} is unchanged: {e}", case_file.display());
                    return Exit::BadInput;
                }
            };
            match record::record(&case_file, &event, rule_set) {
                Ok(r) => {
                    let at = match r.line {
                        Some(line) => format!("{}:{line}", case_file.display()),
                        None => case_file.display().to_string(),
                    };
                    let _ = stdout.print(&format!(
                        "{at}: recorded events[{}]: {kind} on {date}\n",
                        r.index
                    ));
                    Exit::Ok
                }
                Err(RecordError::Refused(why)) => {
                    note!("hds: refused; {} is unchanged: {why}", case_file.display());
                    Exit::BadInput
                }
                Err(RecordError::CannotWrite(why)) => {
                    note!("hds: {why}");
                    Exit::CannotRun
                }
            }
        }
    }
}

fn new(application: &str, output: Option<&Path>, stdout: &mut Out) -> Exit {
    let text = match start::start(application, output) {
        Ok(t) => t,
        Err(StartError::BadInput(why)) => {
            note!("hds: no case file started: {why}");
            return Exit::BadInput;
        }
        Err(StartError::CannotRun(why)) => {
            note!("hds: {why}");
            return Exit::CannotRun;
        }
    };
    let Some(out) = output else {
        let _ = stdout.print(&text);
        return Exit::Ok;
    };
    // A file that appeared since the check is not overwritten either.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(out)
        .and_then(|mut f| {
            f.write_all(text.as_bytes()).inspect_err(|_| {
                let _ = std::fs::remove_file(out);
            })
        });
    match written {
        Ok(()) => {
            let _ = stdout.print(&format!("{}: case file started\n", out.display()));
            Exit::Ok
        }
        Err(e) => {
            note!("hds: {}: cannot write: {e}", out.display());
            Exit::CannotRun
        }
    }
}
