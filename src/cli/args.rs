//! The command line as clap parses it: every command, flag and default.

use crate::calendar::DEFAULT_CALENDAR;
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

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
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(crate::tools::schema::DOCUMENTS))]
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
    /// JSON Lines: one JSON object per record.
    Json,
    /// Plain text for people.
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    /// One line per scenario and the closing count.
    Text,
    /// The report as one JSON object.
    Json,
    /// JUnit XML for CI servers.
    Junit,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date; expected YYYY-MM-DD"))
}
