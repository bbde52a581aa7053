//! Scenario files (an application in, the expected decision out) and the runner
//! that checks them against a rule set.

pub mod file;
pub mod runner;
