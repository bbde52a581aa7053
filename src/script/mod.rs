//! The boundary with Rhai: the only module where `rhai::Dynamic` and `rhai::Map`
//! appear. It owns the sandbox, the helpers scripts can call, the stage contract,
//! the application as scripts see it, and the conversion of what a stage returns
//! into Rust types.
//!
//! May use: `model`, `calendar`, `catalog`, `error`. Never `ruleset`, `engine` or
//! anything above them.

pub mod bounded;
pub mod compiled;
pub mod frozen;
pub mod helpers;
pub mod instrument;
pub mod memory;
pub mod native;
pub mod outputs;
pub mod sandbox;
pub mod stage;
pub mod view;

pub use bounded::BOUNDED;
pub use compiled::{Compiled, StageScript};
pub use instrument::{build_engine, take_last_position, CoverageHits, Instrument};
pub use outputs::{DeadlineUpdate, Record};
pub use sandbox::{sandboxed_engine, Limits, REFUSED};
pub use stage::Stage;
pub use view::{AppView, RouteView, SourcesView};
