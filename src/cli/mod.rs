//! The command line (contract section 3). Parses flags, picks the rule set, and hands
//! the work to the library.

use crate::calendar::file::DEFAULT_CALENDAR;
use crate::input::{read_records, InputRecord};
use crate::render::{decision_text, error_text, json_line, ErrorBody, ErrorRecord};
use crate::ruleset::files::RuleFiles;
use crate::ruleset::RuleSet;
use crate::script::CoverageHits;
use crate::tools::coverage::CoverageReport;
use crate::tools::scenario::runner::{junit_report, text_report, Runner};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code when every record was decided.
pub const EXIT_OK: u8 = 0;
/// Exit code when at least one record was bad input.
pub const EXIT_BAD_INPUT: u8 = 1;
/// Exit code when the command could not run at all.
pub const EXIT_CANNOT_RUN: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "hds",
    version,
    about = "Checks, routes and dates applications for anonymous aggregated health data (Helsedataservice)"
)]
pub struct Cli {
    /// Rule-set folder; default: $HDS_RULES, else ./rules when it exists, else the
    /// rule set built into the binary.
    #[arg(long, global = true, env = "HDS_RULES", value_name = "DIR")]
    pub rules: Option<PathBuf>,

    /// More log output on stderr (-v info, -vv debug, -vvv trace); RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate applications and print one decision per record (JSON Lines).
    Evaluate {
        /// Application files: .yaml, .yml, .json, .jsonl, or - for standard input.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
        format: OutputFormat,
        /// Add to each decision how it was reached (as `hds explain` shows it).
        #[arg(long)]
        trace: bool,
    },
    /// Explain in plain language how the decision for an application was reached.
    Explain {
        /// Application files, as for evaluate.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Run scenario files (application in, expected decision out) against the rules.
    Test {
        /// Scenario files or folders.
        #[arg(value_name = "PATH", default_value = "tests/scenarios")]
        paths: Vec<PathBuf>,
        /// Run only scenarios whose name or file path contains TEXT.
        #[arg(long, value_name = "TEXT")]
        filter: Option<String>,
        #[arg(long, value_enum, default_value_t = TestFormat::Text)]
        format: TestFormat,
        /// Print only failures and the closing count.
        #[arg(long, short)]
        quiet: bool,
        /// Report which lines of each rule file the scenarios executed, and the
        /// finding codes and missing items no scenario expects.
        #[arg(long)]
        coverage: bool,
    },
    /// Check the rule set, catalog and calendars and report every problem found.
    Check,
    /// Print the script API reference (Markdown): stage functions, helpers, fields.
    Api,
    /// Print the JSON Schema (draft 2020-12) of a document, for editors.
    Schema {
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(crate::model::schema::DOCUMENTS))]
        document: String,
    },
    /// Working-day arithmetic on the rule set's calendars.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// List the holidays and closure days of a year.
    Holidays {
        #[arg(long)]
        year: i32,
        #[arg(long, default_value = DEFAULT_CALENDAR)]
        calendar: String,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Print the N-th working day after a date (the date itself is not counted).
    Due {
        #[arg(long, value_parser = parse_date)]
        from: NaiveDate,
        #[arg(long)]
        days: u32,
        #[arg(long, default_value = DEFAULT_CALENDAR)]
        calendar: String,
    },
    /// Print the number of working days after FROM up to and including TO.
    Between {
        #[arg(value_parser = parse_date)]
        from: NaiveDate,
        #[arg(value_parser = parse_date)]
        to: NaiveDate,
        #[arg(long, default_value = DEFAULT_CALENDAR)]
        calendar: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Json,
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    Text,
    Json,
    Junit,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date; expected YYYY-MM-DD"))
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    // An empty HDS_RULES means "not set", not "a rule set at ''".
    if std::env::var_os("HDS_RULES").is_some_and(|v| v.is_empty()) {
        std::env::remove_var("HDS_RULES");
    }
    let cli = Cli::parse();
    init_logging(cli.verbose);
    ExitCode::from(run(cli))
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

/// The files of the rule set the flags and environment select.
pub fn rule_files(rules: Option<&PathBuf>) -> Result<RuleFiles, String> {
    let local = PathBuf::from("rules");
    let files = match rules {
        Some(dir) => RuleFiles::from_folder(dir),
        None if local.join(crate::ruleset::files::MANIFEST).is_file() => {
            RuleFiles::from_folder(&local)
        }
        None => RuleFiles::built_in(),
    };
    files.map_err(|d| d.to_string())
}

/// Loads the rule set the flags and environment select.
pub fn load_rules(
    rules: Option<&PathBuf>,
    coverage: Option<CoverageHits>,
) -> Result<RuleSet, String> {
    let started = std::time::Instant::now();
    let files = rule_files(rules)?;
    let rule_set = RuleSet::load_with_coverage(&files, coverage).map_err(|e| e.to_string())?;
    for w in &rule_set.warnings {
        tracing::warn!("{w}");
    }
    tracing::info!(
        "loaded rule set {} {} from {} ({}) in {:.1} ms",
        rule_set.manifest.name,
        rule_set.manifest.version,
        rule_set.origin,
        rule_set.fingerprint,
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(rule_set)
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> u8 {
    if matches!(cli.command, Command::Check) {
        return check(cli.rules.as_ref());
    }
    if let Command::Schema { document } = &cli.command {
        return match crate::model::schema::schema(document) {
            Some(s) => {
                print!("{s}");
                EXIT_OK
            }
            None => EXIT_CANNOT_RUN,
        };
    }
    let coverage: Option<CoverageHits> = match cli.command {
        Command::Test { coverage: true, .. } => Some(CoverageHits::default()),
        _ => None,
    };
    let rule_set = match load_rules(cli.rules.as_ref(), coverage.clone()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            eprintln!("hds: the rule set could not be loaded");
            return EXIT_CANNOT_RUN;
        }
    };
    match cli.command {
        Command::Evaluate {
            files,
            format,
            trace,
        } => evaluate(&rule_set, &files, format, Mode::Evaluate { trace }),
        Command::Explain { files, format } => evaluate(&rule_set, &files, format, Mode::Explain),
        Command::Calendar { command } => calendar(&rule_set, command),
        Command::Check => check(cli.rules.as_ref()),
        // Answered above, before any rule set is loaded.
        Command::Schema { .. } => EXIT_CANNOT_RUN,
        Command::Api => {
            print!("{}", crate::tools::reference::markdown(&rule_set));
            EXIT_OK
        }
        Command::Test {
            paths,
            filter,
            format,
            quiet,
            ..
        } => test(&rule_set, &paths, filter, format, quiet, coverage),
    }
}

/// `hds check`: every problem, errors and warnings, one per line; exit 1 on errors.
fn check(rules: Option<&PathBuf>) -> u8 {
    let files = match rule_files(rules) {
        Ok(f) => f,
        Err(e) => {
            println!("{e}");
            return EXIT_BAD_INPUT;
        }
    };
    match RuleSet::load(&files) {
        Ok(rule_set) => {
            for w in &rule_set.warnings {
                println!("{w}");
            }
            println!(
                "{} {}: no errors, {} warning(s); {} files, {}",
                rule_set.manifest.name,
                rule_set.manifest.version,
                rule_set.warnings.len(),
                files.files.len(),
                rule_set.fingerprint
            );
            EXIT_OK
        }
        Err(e) => {
            let errors = e
                .diagnostics
                .iter()
                .filter(|d| d.severity == crate::error::Severity::Error)
                .count();
            for d in &e.diagnostics {
                println!("{d}");
            }
            println!(
                "{errors} error(s), {} warning(s)",
                e.diagnostics.len() - errors
            );
            EXIT_BAD_INPUT
        }
    }
}

/// What `evaluate` and `explain` print for each record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Evaluate { trace: bool },
    Explain,
}

/// Records evaluated together, in parallel, before their lines are written in order.
const CHUNK: usize = 256;

fn evaluate(rule_set: &RuleSet, files: &[String], format: OutputFormat, mode: Mode) -> u8 {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut bad = 0usize;
    let mut decided = 0usize;
    let mut write_failed = false;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut flush = |chunk: &mut Vec<InputRecord>| {
        for (line, ok) in render_in_parallel(rule_set, std::mem::take(chunk), format, mode, threads)
        {
            if ok {
                decided += 1;
            } else {
                bad += 1;
            }
            if !write_failed && out.write_all(line.as_bytes()).is_err() {
                write_failed = true;
            }
        }
    };
    let mut chunk = Vec::with_capacity(CHUNK);
    for path in files {
        read_records(path, &mut |record| {
            chunk.push(record);
            if chunk.len() == CHUNK {
                flush(&mut chunk);
            }
        });
    }
    flush(&mut chunk);
    if out.flush().is_err() || write_failed {
        eprintln!("hds: cannot write to standard output");
        return EXIT_CANNOT_RUN;
    }
    tracing::info!("{decided} decided, {bad} not decided");
    if bad > 0 {
        EXIT_BAD_INPUT
    } else {
        EXIT_OK
    }
}

/// Renders each record, spreading the work over `threads`; lines keep input order.
fn render_in_parallel(
    rule_set: &RuleSet,
    records: Vec<InputRecord>,
    format: OutputFormat,
    mode: Mode,
    threads: usize,
) -> Vec<(String, bool)> {
    if threads <= 1 || records.len() < 2 {
        return records
            .into_iter()
            .map(|r| render_record(rule_set, r, format, mode))
            .collect();
    }
    let per_thread = records.len().div_ceil(threads);
    let mut parts: Vec<Vec<InputRecord>> = Vec::new();
    let mut records = records.into_iter().peekable();
    while records.peek().is_some() {
        parts.push(records.by_ref().take(per_thread).collect());
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| {
                let inputs: Vec<String> = part.iter().map(|r| r.input.clone()).collect();
                let handle = scope.spawn(move || {
                    part.into_iter()
                        .map(|r| render_record(rule_set, r, format, mode))
                        .collect::<Vec<_>>()
                });
                (inputs, handle)
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|(inputs, handle)| {
                // A panic is a bug; still give every record of the part its line.
                handle.join().unwrap_or_else(|_| {
                    inputs
                        .into_iter()
                        .map(|input| {
                            let record = ErrorRecord {
                                application: None,
                                error: ErrorBody {
                                    kind: "internal".to_string(),
                                    message: format!("{input}: evaluation failed unexpectedly; please report this"),
                                },
                                input,
                            };
                            (render_error(format, record), false)
                        })
                        .collect()
                })
            })
            .collect()
    })
}

/// One record's output line(s), and whether it was decided.
fn render_record(
    rule_set: &RuleSet,
    record: InputRecord,
    format: OutputFormat,
    mode: Mode,
) -> (String, bool) {
    let traced = mode != Mode::Evaluate { trace: false };
    let mut decided = false;
    let line = match record.result {
        Ok(app) => {
            let (result, trace) = if traced {
                let (r, t) = crate::Evaluator::new(rule_set).explain(&app);
                (r, Some(t))
            } else {
                (crate::Evaluator::new(rule_set).evaluate(&app), None)
            };
            let status = match &result {
                Ok(d) => d.status.as_str().to_string(),
                Err(e) => format!("not decided ({})", e.kind.code()),
            };
            let body = match result {
                Ok(decision) => {
                    decided = true;
                    match format {
                        OutputFormat::Json => serde_json::to_value(&decision).unwrap_or_default(),
                        OutputFormat::Text => serde_json::Value::String(decision_text(&decision)),
                    }
                }
                Err(e) => {
                    let record = ErrorRecord::undecided(&app.id, record.input, e);
                    match format {
                        OutputFormat::Json => serde_json::to_value(&record).unwrap_or_default(),
                        OutputFormat::Text => serde_json::Value::String(error_text(&record)),
                    }
                }
            };
            match (format, mode, body, trace) {
                (OutputFormat::Json, Mode::Explain, body, Some(t)) => {
                    let key = if body.get("error").is_some() {
                        "error_record"
                    } else {
                        "decision"
                    };
                    json_line(&serde_json::json!({key: body, "trace": t})) + "\n"
                }
                (OutputFormat::Json, _, mut body, Some(t)) => {
                    if let Some(obj) = body.as_object_mut() {
                        obj.insert(
                            "trace".to_string(),
                            serde_json::to_value(&t).unwrap_or_default(),
                        );
                    }
                    json_line(&body) + "\n"
                }
                (OutputFormat::Json, _, body, None) => json_line(&body) + "\n",
                (OutputFormat::Text, Mode::Explain, body, Some(t)) => {
                    let mut text = t.text(&app.id, &status);
                    if let serde_json::Value::String(summary) = body {
                        text.push_str("\nDecision:\n");
                        text.push_str(&summary);
                    }
                    text + "\n"
                }
                (OutputFormat::Text, _, body, trace) => {
                    let mut text = body.as_str().unwrap_or_default().to_string();
                    if let Some(t) = trace {
                        text.push_str(&t.text(&app.id, &status));
                        text.push('\n');
                    }
                    text
                }
            }
        }
        Err(e) => render_error(
            format,
            ErrorRecord {
                application: e.application,
                input: record.input,
                error: ErrorBody {
                    kind: e.kind.to_string(),
                    message: e.message,
                },
            },
        ),
    };
    (line, decided)
}

fn test(
    rule_set: &RuleSet,
    paths: &[PathBuf],
    filter: Option<String>,
    format: TestFormat,
    quiet: bool,
    coverage: Option<CoverageHits>,
) -> u8 {
    let mut runner = Runner::new(rule_set);
    runner.filter = filter;
    runner.coverage = coverage.clone();
    let report = match runner.run(paths) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("hds: {e}");
            return EXIT_CANNOT_RUN;
        }
    };
    let coverage = coverage.map(|hits| {
        let hits = hits.lock().map(|h| h.clone()).unwrap_or_default();
        CoverageReport::build(
            rule_set,
            &hits,
            &report.expected_codes,
            &report.expected_items,
        )
    });
    let text = match format {
        TestFormat::Text => {
            let mut t = text_report(&report, quiet);
            if let Some(c) = &coverage {
                let summary = t.split_off(t.trim_end().rfind('\n').map_or(0, |i| i + 1));
                t.push_str(&c.text());
                t.push_str(&summary);
            }
            t
        }
        TestFormat::Json => match &coverage {
            Some(c) => json_line(&serde_json::json!({"report": report, "coverage": c})) + "\n",
            None => json_line(&report) + "\n",
        },
        TestFormat::Junit => junit_report(&report),
    };
    print!("{text}");
    if format != TestFormat::Text {
        eprintln!("{}", report.summary());
    }
    if report.failed > 0 {
        EXIT_BAD_INPUT
    } else {
        EXIT_OK
    }
}

fn render_error(format: OutputFormat, e: ErrorRecord) -> String {
    match format {
        OutputFormat::Json => json_line(&e) + "\n",
        OutputFormat::Text => error_text(&e),
    }
}

fn calendar(rule_set: &RuleSet, command: CalendarCommand) -> u8 {
    let name = match &command {
        CalendarCommand::Holidays { calendar, .. }
        | CalendarCommand::Due { calendar, .. }
        | CalendarCommand::Between { calendar, .. } => calendar.clone(),
    };
    let Some(cal) = rule_set.calendars().get(&name) else {
        eprintln!(
            "hds: no calendar '{name}'; expected one of: {}",
            rule_set.calendars().names().collect::<Vec<_>>().join(", ")
        );
        return EXIT_CANNOT_RUN;
    };
    let result = match command {
        CalendarCommand::Holidays { year, format, .. } => {
            cal.named_days_in_year(year).map(|days| match format {
                OutputFormat::Json => {
                    let list: Vec<serde_json::Value> = days
                        .iter()
                        .map(|d| serde_json::json!({"date": d.date.to_string(), "name": d.name}))
                        .collect();
                    json_line(&list) + "\n"
                }
                OutputFormat::Text => days
                    .iter()
                    .map(|d| format!("{}  {}  {}\n", d.date, d.date.format("%a"), d.name))
                    .collect(),
            })
        }
        CalendarCommand::Due { from, days, .. } => {
            cal.add_working_days(from, days).map(|d| format!("{d}\n"))
        }
        CalendarCommand::Between { from, to, .. } => {
            cal.working_days_between(from, to).map(|n| format!("{n}\n"))
        }
    };
    match result {
        Ok(text) => {
            print!("{text}");
            EXIT_OK
        }
        Err(e) => {
            eprintln!("hds: {e}");
            EXIT_BAD_INPUT
        }
    }
}
