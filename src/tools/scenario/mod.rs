//! Scenario files (an application in, the expected decision out), the runner that
//! checks them against a rule set, and the comparison of what a scenario expects
//! with what came out, and the rewriting of expectations to what came out
//! (`hds test --bless`).

pub mod bless;
pub mod compare;
pub mod expect;
pub mod file;
pub mod runner;
pub mod source;
