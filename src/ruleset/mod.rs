//! A rule set: its files (from a folder or built into the binary), its manifest,
//! its settings as plain data, its messages in each language, and the load that checks every file and compiles
//! every script once into a [`RuleSet`] that evaluation only reads.
//!
//! May use: `script`, `catalog`, `calendar`, `model`, `error`.

mod calendars;
pub mod check;
pub mod fees;
pub mod files;
pub mod load;
pub mod messages;
pub mod policy;
pub mod settings;

pub use calendars::CUSTODIAN_CALENDARS;
pub use load::RuleSet;
