//! The command line as clap parses it: every command, flag and default.

use crate::calendar::DEFAULT_CALENDAR;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The whole command line: global flags and one command.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "hds",
    version,
    about = "Checks, routes and dates applications for anonymous aggregated health data (Helsedataservice)"
)]
pub struct Cli {
    /// Rule-set folder (holding ruleset.yaml); default: $HDS_RULES, else the nearest
    /// rule set from the current folder upward (the folder itself when it holds
    /// ruleset.yaml, else ./rules), else the rule set built into the binary.
    #[arg(long, global = true, env = "HDS_RULES", value_name = "DIR")]
    pub rules: Option<PathBuf>,

    /// Run every rule function on Rhai's interpreter instead of the compiled tier
    /// first: slower, with the same decisions (the compiled tier is checked
    /// against it); for telling whether a difference lies in the compiled tier.
    #[arg(long, global = true, env = "HDS_INTERPRETED", value_parser = clap::builder::FalseyValueParser::new())]
    pub interpreted: bool,

    /// More log output on stderr (-v info, -vv debug, -vvv trace); RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands, one file each under `cli/`.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Evaluate applications and print one decision per record (JSON Lines).
    Evaluate {
        /// Application files (.yaml, .yml, .json, .jsonl), folders of them (every
        /// application file inside, sorted), or - for standard input.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
        /// `json`: one decision per line (JSON Lines); `text`: a summary for people;
        /// `csv`: one row per route, with a header row (RFC 4180).
        #[arg(long, value_enum, default_value_t = EvaluateFormat::Json)]
        format: EvaluateFormat,
        /// Add to each decision how it was reached (as `hds explain` shows it).
        #[arg(long)]
        trace: bool,
        /// At the end, on standard error: records, decided, errors by kind, statuses,
        /// routes per custodian, the earliest due date and the time taken. Default:
        /// `text` with --format text, else `none`.
        #[arg(long, value_enum, value_name = "FORMAT")]
        summary: Option<SummaryFormat>,
        /// Stop at the first record that is not decided (exit code 1).
        #[arg(long)]
        fail_fast: bool,
    },
    /// Explain in plain language how the decision for an application was reached.
    Explain {
        /// Application files, as for evaluate.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
        /// `text`: the explanation in words; `json`: the decision and its trace.
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
        /// `text`, `json`, or `junit` (JUnit XML for CI servers).
        #[arg(long, value_enum, default_value_t = TestFormat::Text)]
        format: TestFormat,
        /// Print only failures and the closing count.
        #[arg(long, short)]
        quiet: bool,
        /// Report which lines of each rule file the scenarios executed, and the
        /// finding codes and missing items no scenario expects.
        #[arg(long)]
        coverage: bool,
        /// Fail the run (exit code 1) when the scenarios execute less than PCT percent
        /// of the rule lines; implies --coverage.
        #[arg(long, value_name = "PCT")]
        min_coverage: Option<f64>,
        /// Rewrite the expectations of failing scenarios to what came out (only the
        /// values that differ; comments and layout kept) and list each change.
        #[arg(long)]
        bless: bool,
        /// Run again whenever a rule, calendar or scenario file changes (Ctrl-C stops).
        #[arg(long, conflicts_with = "bless")]
        watch: bool,
    },
    /// Check the rule set, catalog and calendars and report every problem found.
    Check {
        /// `text`: each problem with its source line; `json`: one object per problem
        /// (JSON Lines), then a summary object.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// Check again whenever a rule or calendar file changes (Ctrl-C stops).
        #[arg(long)]
        watch: bool,
    },
    /// Write a copy of the built-in rule set to DIR/rules and DIR/calendars, to start
    /// editing from; refuses to overwrite either.
    Init {
        /// Where to write `rules/` and `calendars/`.
        #[arg(value_name = "DIR", default_value = ".")]
        dir: PathBuf,
    },
    /// Print the script API reference (Markdown): stage functions, helpers, fields.
    Api,
    /// Print a shell completion script, e.g. `hds completions bash > /etc/bash_completion.d/hds`.
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), of hds or of one command: `hds man test | man -l -`.
    Man {
        /// A command, e.g. `test` or `case record`; default: hds itself.
        #[arg(value_name = "COMMAND")]
        command: Vec<String>,
    },
    /// Print the JSON Schema (draft 2020-12) of a document, for editors.
    Schema {
        /// Which document: application, calendar, catalog, case or scenario (read),
        /// decision, status or invoice (written).
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(crate::tools::schema::DOCUMENTS))]
        document: String,
    },
    /// Where each case stands as of a date: route states, due dates, what is due
    /// next (JSON Lines, or a table for operators).
    Status(StatusArgs),
    /// The invoices of each case as of a date: Helsedataservice's and each
    /// custodian's that logged work (JSON Lines, text per party, or CSV lines).
    Invoice(InvoiceArgs),
    /// Case files: start one from an application, or record what happened.
    Case {
        /// What to do with a case file.
        #[command(subcommand)]
        command: CaseCommand,
    },
    /// Working-day arithmetic on the rule set's calendars.
    Calendar {
        /// Which calculation.
        #[command(subcommand)]
        command: CalendarCommand,
    },
}

/// Writing case files (the application as received and every event since).
#[derive(Debug, Clone, Subcommand)]
pub enum CaseCommand {
    /// Start a case file from an application: its id, the application (by path
    /// relative to the case file, or inline when read from standard input) and no
    /// events. Refuses to overwrite a file.
    New {
        /// The application: a .yaml, .yml, .json or .jsonl file holding one, or - for
        /// standard input.
        #[arg(value_name = "APPLICATION")]
        application: String,
        /// The case file to write; default: standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Add an event to a case file, keeping its text, comments and layout, when the
    /// whole case reads with it and agrees with the rules (its route is a route of
    /// the case, an answer follows an open question); otherwise leave the file
    /// untouched and exit 1.
    #[command(after_help = "FIELDS by kind (besides note=TEXT for every kind):
  attachment_received  attachment.kind=sample_table|variable_list|other attachment.file=NAME
  question_sent        route=, reply_by=DATE
  reminder_sent        route=, reply_by=DATE
  answer_received      route=
  preliminary_reply_sent  expected=DATE
  postponed            route=, until=DATE, reason=TEXT
  delivered            route=
  refused              route=, reason=TEXT
  dismissed            reason=TEXT
  withdrawn
  appeal_received      route=
  appeal_decided       route=, outcome=upheld|reversed
  amended              application=PATH (relative to the current folder)
  work_logged          party=helsedataservice|CUSTODIAN, hours=N.NN")]
    Record {
        /// The case file (.yaml, .yml or .json).
        #[arg(value_name = "CASEFILE")]
        case_file: PathBuf,
        /// The kind of event.
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(crate::case::events::KIND_NAMES))]
        kind: String,
        /// When: a date YYYY-MM-DD, or an RFC 3339 timestamp with offset.
        #[arg(long)]
        date: String,
        /// The route (custodian id) the event concerns; absent: every route.
        #[arg(long)]
        route: Option<String>,
        /// The event's other fields, as FIELD=VALUE (see below).
        #[arg(value_name = "FIELD=VALUE")]
        fields: Vec<String>,
    },
}

/// `hds status`: where each case stands as of a date (case contract section 2).
#[derive(Debug, Clone, clap::Args)]
pub struct StatusArgs {
    /// Case files (.yaml, .yml, .json), folders of them, or - for standard input.
    #[arg(required = true, value_name = "CASE")]
    pub cases: Vec<String>,
    /// The date to count to (YYYY-MM-DD); events after it are ignored. Default:
    /// today in Europe/Oslo.
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// `json`: one status per case (JSON Lines, input order); `text`: a table for
    /// operators, the most urgent case first.
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    pub format: OutputFormat,
    /// Only cases with an overdue route or action.
    #[arg(long)]
    pub overdue: bool,
    /// Only cases with an action due within N working days of the as-of date
    /// (overdue ones included); with --overdue, cases that pass either.
    #[arg(long, value_name = "N")]
    pub due_within: Option<u32>,
    /// Instead of the status, why each date is what it is: the events that moved
    /// it, the days questions held the clock, the holidays and closure days
    /// skipped, and the setting behind each window (`text`: for people, in input
    /// order; `json`: one object per case).
    #[arg(long)]
    pub explain: bool,
}

/// `hds invoice`: which cases, as of when, and how to print.
#[derive(Debug, Clone, Args)]
pub struct InvoiceArgs {
    /// Case files (.yaml, .yml, .json), folders of them, or - for standard input.
    #[arg(required = true, value_name = "CASE")]
    pub cases: Vec<String>,
    /// The date to invoice to (YYYY-MM-DD); events after it are ignored. Default:
    /// today in Europe/Oslo.
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// `json`: one invoice per line; `text`: a readable invoice per party; `csv`:
    /// one row per invoice line, with a header row.
    #[arg(long, value_enum, default_value_t = InvoiceFormat::Json)]
    pub format: InvoiceFormat,
    /// Add to each invoice every setting it was priced by: the value in force, the
    /// date it was looked up by and why that date, and the period (an `explain`
    /// list in JSON; a "priced by" block in text; CSV is unchanged).
    #[arg(long)]
    pub explain: bool,
}

/// How `hds invoice` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InvoiceFormat {
    /// JSON Lines: one invoice per line.
    Json,
    /// A readable invoice per party.
    Text,
    /// One row per invoice line for a finance system (RFC 4180).
    Csv,
}

/// Working-day calculations, each on one named calendar.
#[derive(Debug, Clone, Subcommand)]
pub enum CalendarCommand {
    /// List the holidays and closure days of a year.
    Holidays {
        /// The year, e.g. 2026.
        #[arg(long, allow_negative_numbers = true, value_parser = parse_year)]
        year: i32,
        /// The calendar's name (a file in the calendars folder).
        #[arg(long, default_value = DEFAULT_CALENDAR)]
        calendar: String,
        /// `text` for people, `json` for programs.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Print the N-th working day after a date (the date itself is not counted).
    Due {
        /// The date the count starts after (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        from: NaiveDate,
        /// How many working days to count (0 or more).
        #[arg(long, allow_negative_numbers = true, value_parser = parse_days)]
        days: u32,
        /// The calendar's name (a file in the calendars folder).
        #[arg(long, default_value = DEFAULT_CALENDAR)]
        calendar: String,
    },
    /// Print the number of working days after FROM up to and including TO; when TO
    /// is before FROM, the count from TO to FROM with a minus sign.
    Between {
        /// The day the count starts after (YYYY-MM-DD).
        #[arg(value_parser = parse_date)]
        from: NaiveDate,
        /// The last day counted (YYYY-MM-DD).
        #[arg(value_parser = parse_date)]
        to: NaiveDate,
        /// The calendar's name (a file in the calendars folder).
        #[arg(long, default_value = DEFAULT_CALENDAR)]
        calendar: String,
    },
}

/// How `evaluate`, `explain`, `check` and `calendar holidays` print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// JSON Lines: one JSON object per record.
    Json,
    /// Plain text for people.
    Text,
}

/// How `hds evaluate` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvaluateFormat {
    /// JSON Lines: one decision or error record per line.
    Json,
    /// Plain text for people.
    Text,
    /// One row per route (application, input, status, custodian, due, reason), with a
    /// header row (RFC 4180).
    Csv,
}

/// How `hds evaluate --summary` prints the summary on standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    /// Lines for people.
    Text,
    /// One JSON object.
    Json,
    /// No summary.
    None,
}

/// How `hds test` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    /// One line per scenario and the closing count.
    Text,
    /// The report as one JSON object.
    Json,
    /// JUnit XML for CI servers.
    Junit,
}

fn parse_days(s: &str) -> Result<u32, String> {
    s.parse().map_err(|_| {
        format!(
            "'{s}' is not a number of working days; expected a whole number, 0 or more, e.g. 30"
        )
    })
}

fn parse_year(s: &str) -> Result<i32, String> {
    s.parse()
        .ok()
        .filter(|y| (1..=9999).contains(y))
        .ok_or_else(|| format!("'{s}' is not a year; expected a year from 1 to 9999, e.g. 2026"))
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date; expected YYYY-MM-DD"))
}
