//! The contract types: the application read in, the decision given out, the error
//! record written in a decision's place, the trace that explains a decision, the
//! report of a scenario run, the case file and a case's status as of a date. Plain
//! serde structs; no I/O, no rules.
//!
//! May use: `error`.

pub mod application;
pub mod case;
pub mod decision;
pub mod error_record;
pub mod explain;
pub mod invoice;
pub mod message;
pub mod report;
pub mod status;
pub mod trace;
pub mod ymd;

pub use application::Application;
pub use decision::Decision;
pub use error_record::{ErrorBody, ErrorRecord};
