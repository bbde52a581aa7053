//! The contract types: the application read in, the decision given out, and the trace
//! that explains it. Plain serde structs; no I/O, no rules.
//!
//! May use: nothing else in the crate.

pub mod application;
pub mod decision;
pub mod trace;

pub use application::Application;
pub use decision::Decision;
