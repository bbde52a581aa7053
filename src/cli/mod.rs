//! The command line (contract section 3). Parses flags, picks the rule set, and hands
//! the work to the library.

/// Writes a line to standard error, like `eprintln!`, but a standard error that
/// cannot be written loses the message instead of panicking.
macro_rules! note {
    ($($arg:tt)*) => {
        $crate::cli::note(&format!($($arg)*))
    };
}

mod args;
mod calendar;
mod case;
mod check;
mod evaluate;
mod invoice;
mod manual;
mod out;
mod rules;
pub mod status;
mod test;
mod watch;

pub use args::{
    CalendarCommand, CaseCommand, Cli, Command, EvaluateFormat, OutputFormat, StatusArgs,
    SummaryFormat, TestFormat,
};
pub use rules::{load_rules, rule_files};

use crate::script::CoverageHits;
use clap::Parser;
use evaluate::Mode;
use out::Out;
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
    /// The reader of standard output went away (a closed pipe): the work stopped
    /// quietly, as a Unix tool killed by SIGPIPE (128 + 13).
    Closed = 141,
}

/// Writes one line to standard error; when standard error itself cannot be written
/// the message is lost rather than the process panicking.
pub fn note(message: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr().lock(), "{message}");
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

/// Runs a parsed command line, its output through one checked writer.
pub fn run(cli: Cli) -> Exit {
    let mut out = Out::stdout();
    let exit = dispatch(cli, &mut out);
    out.finish(exit)
}

fn dispatch(cli: Cli, out: &mut Out) -> Exit {
    if let Command::Init { dir } = &cli.command {
        return match rules::init(dir) {
            Ok(done) => {
                note!("{done}");
                Exit::Ok
            }
            Err(e) => {
                note!("hds: {e}");
                Exit::CannotRun
            }
        };
    }
    if let Command::Check { format, .. } = cli.command {
        return check::check(cli.rules.as_ref(), format, out);
    }
    if let Command::Completions { shell } = cli.command {
        return manual::completions(shell, out);
    }
    if let Command::Man { command } = &cli.command {
        return manual::man(command, out);
    }
    if let Command::Schema { document } = &cli.command {
        return match crate::tools::schema::schema(document) {
            Some(s) => {
                let _ = out.print(&s);
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
        Ok(mut r) => {
            if cli.interpreted {
                r.compiled.set_tiered(false);
            }
            r
        }
        Err(e) => {
            note!("{e}");
            note!("hds: the rule set could not be loaded");
            if let Command::Test {
                format: TestFormat::Junit,
                ..
            } = &cli.command
            {
                let _ = out.print(&crate::render::junit_cannot_run(&format!(
                    "the rule set could not be loaded: {e}"
                )));
            }
            return Exit::CannotRun;
        }
    };
    if speaks_text(&cli.command) {
        note!(
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
            summary,
            fail_fast,
        } => {
            let options = evaluate::Options {
                format,
                mode: Mode::Evaluate { trace },
                summary: summary.unwrap_or(match format {
                    EvaluateFormat::Text => SummaryFormat::Text,
                    _ => SummaryFormat::None,
                }),
                fail_fast,
            };
            evaluate::evaluate(&rule_set, &files, options, out)
        }
        Command::Explain { files, format } => {
            let options = evaluate::Options {
                format: match format {
                    OutputFormat::Json => EvaluateFormat::Json,
                    OutputFormat::Text => EvaluateFormat::Text,
                },
                mode: Mode::Explain,
                summary: SummaryFormat::None,
                fail_fast: false,
            };
            evaluate::evaluate(&rule_set, &files, options, out)
        }
        Command::Calendar { command } => calendar::calendar(&rule_set, command, out),
        Command::Case { command } => case::case(&rule_set, command, out),
        Command::Status(args) => status::status(&rule_set, &args, out),
        Command::Invoice(args) => invoice::invoice(&rule_set, &args, out),
        Command::Check { format, .. } => check::check(cli.rules.as_ref(), format, out),
        // Answered above, before any rule set is loaded.
        Command::Schema { .. }
        | Command::Init { .. }
        | Command::Completions { .. }
        | Command::Man { .. } => Exit::CannotRun,
        Command::Api => {
            let _ = out.print(&crate::tools::reference::markdown(&rule_set));
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
            out,
        ),
    }
}

/// Whether a command prints for people (and so names its rule set on stderr); JSON
/// outputs carry the rule set in each record instead, and `case` writes case files.
fn speaks_text(command: &Command) -> bool {
    match command {
        Command::Evaluate { format, .. } => *format == EvaluateFormat::Text,
        Command::Explain { format, .. } => *format == OutputFormat::Text,
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
