//! Working-day calendars: the YAML files policy staff write and the set read from
//! them (`file`, `set`), each file resolved and checked (`resolve`) into the rules of its
//! days (`definition`), the calendar those rules make, which works out each year the
//! first time it is asked about (`table`), and Easter (`easter`), from which the moving
//! holidays are counted.
//!
//! May use: `yaml`, `error`. Nothing above it.

pub mod definition;
pub mod easter;
pub mod file;
mod resolve;
mod set;
pub mod table;

pub use definition::CalendarDefinition;
pub use file::DEFAULT_CALENDAR;
pub use set::CalendarSet;
pub use table::{Calendar, DayKind, NamedDay, OutOfRange};
