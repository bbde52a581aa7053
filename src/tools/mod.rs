//! Tools for policy staff and testers: scenario files and their runner, rule
//! coverage, and the script API reference.
//!
//! May use: `engine`, `ruleset`, `script`, `input`, `render`, `model`, `error`.

pub mod coverage;
pub mod reference;
pub mod scenario;
