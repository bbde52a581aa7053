//! Following a case from receipt to delivery (case contract): reading case files
//! (`file`, with the kinds of event and their fields in `events`), and the case
//! clock (`clock`), a pure function of the case, the rule set and an as-of date that
//! says where each route stands and what is due next.
//!
//! Writing case files: `start` begins one from an application (`hds case new`),
//! `record` adds an event (`hds case record`) through `append`, which keeps the
//! file's own text, after the clock's checks that need the rule set ([`check`]: a
//! route of the case, a party the rule set knows, an answer to an open question).
//!
//! May use: `engine`, `ruleset`, `calendar`, `input`, `model`, `yaml`, `shape`, `error`.

pub mod append;
mod error;
pub mod events;
pub mod file;
pub mod invoice;
mod parse;
mod place;
mod raw;
mod read;
pub mod record;
pub mod start;

pub mod clock;

pub use clock::{check, explain, status};

use crate::model::application::Application;
use crate::model::case::CaseFile;

/// A case file read and its applications resolved, ready for the clock.
#[derive(Debug, Clone)]
pub struct LoadedCase {
    /// The case file as given on the command line (for messages and error records).
    pub path: String,
    /// The case id: the file's `case`, else the application's `id`.
    pub id: String,
    /// The case file as written.
    pub file: CaseFile,
    /// The application as received (read from its path, relative to the case
    /// file, or inline).
    pub application: Application,
    /// For each event, by index: the application an `amended` event brings in
    /// (resolved like `application`); `None` for every other event.
    pub amendments: Vec<Option<Application>>,
    /// For each event, by index: the 1-based line where it starts in the case file,
    /// when known.
    pub event_lines: Vec<Option<usize>>,
}
