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
//! let decision = hds::Evaluator::new(&rules).evaluate(&app).expect("decided");
//! assert_eq!(decision.status, hds::model::decision::Status::Redirected);
//! ```

#![warn(missing_docs)]

pub mod batch;
pub mod calendar;
pub mod case;
pub mod catalog;
pub mod cli;
pub mod engine;
pub mod error;
pub mod input;
pub mod model;
pub mod render;
pub mod ruleset;
pub mod script;
pub mod shape;
pub mod tools;
pub mod yaml;

/// The unit tests count memory as the binary does, so the sandbox's memory budget
/// is tested as it runs.
#[cfg(test)]
#[global_allocator]
static TEST_ALLOCATOR: script::memory::Counting<std::alloc::System> =
    script::memory::Counting(std::alloc::System);

pub use engine::Evaluator;
pub use error::{Error, ErrorKind};
pub use model::{Application, Decision};
pub use ruleset::RuleSet;
