//! Working-day calendars: the YAML files policy staff write (`file`), the table each
//! compiles into for constant-time counting (`table`), and Easter (`easter`), from
//! which the moving holidays are counted.
//!
//! May use: `error`. Nothing above it.

pub mod easter;
pub mod file;
pub mod table;

pub use file::{CalendarSet, DEFAULT_CALENDAR};
pub use table::{Calendar, DayKind, NamedDay, OutOfRange};
