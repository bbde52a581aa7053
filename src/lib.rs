//! # hds: a rules engine for applications for anonymous aggregated health data
//!
//! Helsedataservice receives applications for aggregated health statistics on behalf
//! of five data custodians. This crate checks each application for completeness,
//! judges eligibility, routes it to the custodians (or redirects it) and gives each
//! route its statutory due date, counted in working days on Norwegian calendars.
//!
//! Policy lives outside the Rust code: Rhai scripts and YAML files in a rule set
//! (`rules/`, `calendars/`), loaded and compiled once into a [`RuleSet`].
//!
//! ```
//! let rules = hds::RuleSet::built_in().expect("the built-in rule set loads");
//! let record = hds::input::parse_yaml("example.yaml", r#"
//! id: HDS-1
//! submitted_at: 2026-03-02
//! data_kind: identifiable
//! "#);
//! let app = record.result.expect("a readable application");
//! let decision = rules.evaluate(&app).expect("decided");
//! assert_eq!(decision.status, hds::decision::Status::Redirected);
//! ```

pub mod api;
pub mod application;
pub mod calendar;
pub mod calendar_file;
pub mod catalog;
pub mod cli;
pub mod coverage;
pub mod decision;
pub mod diagnostic;
pub mod easter;
pub mod evaluator;
pub mod input;
pub mod render;
pub mod rule_files;
pub mod ruleset;
pub mod scenario;
pub mod scenario_runner;
pub mod schema;
pub mod script_api;
pub mod script_view;
pub mod trace;

pub use application::Application;
pub use decision::Decision;
pub use ruleset::RuleSet;
