//! The contract types: the application read in, the decision given out, the trace
//! that explains it, and their JSON Schemas. Plain serde structs; no I/O, no rules.
//!
//! May use: nothing else in the crate.

pub mod application;
pub mod decision;
pub mod schema;
pub mod trace;

pub use application::Application;
pub use decision::Decision;
