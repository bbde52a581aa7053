//! Tools for policy staff and testers: scenario files and their runner, rule
//! coverage, the script API reference, the JSON Schemas of the documents people
//! write, and watching their files for the edit-save-see loop.
//!
//! May use: `engine`, `ruleset`, `script`, `input`, `batch`, `render`, `model`, `error`.

pub mod coverage;
pub mod reference;
pub mod scenario;
pub mod schema;
pub mod watch;
