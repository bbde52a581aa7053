//! `hds completions SHELL` and `hds man [COMMAND]`: shell completions and manual
//! pages generated from the command line's definition, so they never drift from it.

use super::args::Cli;
use super::{Exit, Out};
use clap::CommandFactory;

/// Prints the completion script of `shell` for `hds`.
pub(super) fn completions(shell: clap_complete::Shell, out: &mut Out) -> Exit {
    let mut command = Cli::command();
    let mut text = Vec::new();
    clap_complete::generate(shell, &mut command, "hds", &mut text);
    print_bytes(&text, out)
}

/// Prints the manual page of `hds`, or of the command `path` names (`["case",
/// "record"]`), in roff.
pub(super) fn man(path: &[String], out: &mut Out) -> Exit {
    let mut command = Cli::command();
    command.build();
    let mut name = "hds".to_string();
    for word in path {
        let Some(sub) = command.find_subcommand(word).cloned() else {
            let known: Vec<String> = command
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            note!(
                "hds: man: '{}' is not a command of {name}; expected one of {}",
                word,
                known.join(", ")
            );
            return Exit::CannotRun;
        };
        name = format!("{name}-{word}");
        command = sub.name(name.clone()).version(env!("CARGO_PKG_VERSION"));
    }
    let mut page = Vec::new();
    if let Err(e) = clap_mangen::Man::new(command).render(&mut page) {
        note!("hds: man: cannot write the manual page: {e}");
        return Exit::CannotRun;
    }
    print_bytes(&page, out)
}

fn print_bytes(bytes: &[u8], out: &mut Out) -> Exit {
    let _ = out.print(&String::from_utf8_lossy(bytes));
    Exit::Ok
}
