//! The command line (contract section 3). Parses flags, picks the rule set, and hands
//! the work to the library.

mod args;
mod calendar;
mod case;
mod check;
mod evaluate;
mod invoice;
mod manual;
mod rules;
pub mod status;
mod test;
mod watch;

pub use args::{CalendarCommand, CaseCommand, Cli, Command, OutputFormat, StatusArgs, TestFormat};
pub use rules::{load_rules, rule_files};

use crate::script::CoverageHits;
use clap::Parser;
use evaluate::Mode;
use std::process::ExitCode;

/// How a command ended (contract section 4), as the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Every record was decided; the command did what was asked.
    Ok = 0,
    /// At least one record was bad input, a check found errors, or a test failed.
    BadInput = 1,
    /// The command could not run at all: bad flags, a broken rule set, no output.
    CannotRun = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    // An empty HDS_RULES means "not set", not "a rule set at ''".
    if std::env::var_os("HDS_RULES").is_some_and(|v| v.is_empty()) {
        std::env::remove_var("HDS_RULES");
    }
    let cli = Cli::parse();
    init_logging(cli.verbose);
    if let Some(once) = watch::unwatched(&cli) {
        return watch::run_watching(once).into();
    }
    run(cli).into()
}

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Exit {
    if let Command::Init { dir } = &cli.command {
        return match rules::init(dir) {
            Ok(done) => {
                eprintln!("{done}");
                Exit::Ok
            }
            Err(e) => {
                eprintln!("hds: {e}");
                Exit::CannotRun
            }
        };
    }
    if let Command::Check { format, .. } = cli.command {
        return check::check(cli.rules.as_ref(), format);
    }
    if let Command::Completions { shell } = cli.command {
        return manual::completions(shell);
    }
    if let Command::Man { command } = &cli.command {
        return manual::man(command);
    }
    if let Command::Schema { document } = &cli.command {
        return match crate::tools::schema::schema(document) {
            Some(s) => {
                print!("{s}");
                Exit::Ok
            }
            None => Exit::CannotRun,
        };
    }
    let coverage: Option<CoverageHits> = match cli.command {
        Command::Test { coverage: true, .. }
        | Command::Test {
            min_coverage: Some(_),
            ..
        } => Some(CoverageHits::default()),
        _ => None,
    };
    let rule_set = match load_rules(cli.rules.as_ref(), coverage.clone()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            eprintln!("hds: the rule set could not be loaded");
            if let Command::Test {
                format: TestFormat::Junit,
                ..
            } = &cli.command
            {
                print!(
                    "{}",
                    crate::render::junit_cannot_run(&format!(
                        "the rule set could not be loaded: {e}"
                    ))
                );
            }
            return Exit::CannotRun;
        }
    };
    if speaks_text(&cli.command) {
        eprintln!(
            "hds: {}",
            rules::describe(
                &rule_set.origin,
                &rule_set.manifest.name,
                &rule_set.manifest.version,
                &rule_set.fingerprint
            )
        );
    }
    match cli.command {
        Command::Evaluate {
            files,
            format,
            trace,
        } => evaluate::evaluate(&rule_set, &files, format, Mode::Evaluate { trace }),
        Command::Explain { files, format } => {
            evaluate::evaluate(&rule_set, &files, format, Mode::Explain)
        }
        Command::Calendar { command } => calendar::calendar(&rule_set, command),
        Command::Case { command } => case::case(&rule_set, command),
        Command::Status(args) => status::status(&rule_set, &args),
        Command::Invoice(args) => invoice::invoice(&rule_set, &args),
        Command::Check { format, .. } => check::check(cli.rules.as_ref(), format),
        // Answered above, before any rule set is loaded.
        Command::Schema { .. }
        | Command::Init { .. }
        | Command::Completions { .. }
        | Command::Man { .. } => Exit::CannotRun,
        Command::Api => {
            print!("{}", crate::tools::reference::markdown(&rule_set));
            Exit::Ok
        }
        Command::Test {
            paths,
            filter,
            format,
            quiet,
            min_coverage,
            bless,
            ..
        } => test::test(
            &rule_set,
            &paths,
            test::Options {
                filter,
                format,
                quiet,
                min_coverage,
                bless,
                rules: rules::select(cli.rules.as_ref()).ok().flatten(),
            },
            coverage,
        ),
    }
}

/// Whether a command prints for people (and so names its rule set on stderr); JSON
/// outputs carry the rule set in each record instead, and `case` writes case files.
fn speaks_text(command: &Command) -> bool {
    match command {
        Command::Evaluate { format, .. } | Command::Explain { format, .. } => {
            *format == OutputFormat::Text
        }
        Command::Status(args) => args.format == OutputFormat::Text,
        Command::Test { format, .. } => *format == TestFormat::Text,
        Command::Calendar {
            command: CalendarCommand::Holidays { format, .. },
        } => *format == OutputFormat::Text,
        // A case file, or a refusal that leads standard error.
        Command::Case { .. } => false,
        _ => true,
    }
}
