//! `hds completions SHELL` and `hds man [COMMAND]`: shell completions and manual
//! pages generated from the command line's definition, so they never drift from it.

use super::args::Cli;
use super::Exit;
use clap::CommandFactory;
use std::io::Write;

/// Prints the completion script of `shell` for `hds`.
pub(super) fn completions(shell: clap_complete::Shell) -> Exit {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "hds", &mut out);
    print_bytes(&out)
}

/// Prints the manual page of `hds`, or of the command `path` names (`["case",
/// "record"]`), in roff.
pub(super) fn man(path: &[String]) -> Exit {
    let mut command = Cli::command();
    command.build();
    let mut name = "hds".to_string();
    for word in path {
        let Some(sub) = command.find_subcommand(word).cloned() else {
            let known: Vec<String> = command
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            eprintln!(
                "hds: man: '{}' is not a command of {name}; expected one of {}",
                word,
                known.join(", ")
            );
            return Exit::CannotRun;
        };
        name = format!("{name}-{word}");
        command = sub.name(name.clone()).version(env!("CARGO_PKG_VERSION"));
    }
    let mut out = Vec::new();
    if let Err(e) = clap_mangen::Man::new(command).render(&mut out) {
        eprintln!("hds: man: cannot write the manual page: {e}");
        return Exit::CannotRun;
    }
    print_bytes(&out)
}

fn print_bytes(bytes: &[u8]) -> Exit {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Exit::Ok,
        Err(e) => {
            eprintln!("hds: cannot write to standard output: {e}");
            Exit::CannotRun
        }
    }
}
