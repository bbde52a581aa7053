//! The pipeline: application in → completeness → eligibility → routing → deadline
//! → decision out. The coordinator's rules run first in each stage, then the rules
//! of each custodian involved, in custodian order.
//!
//! May use: `ruleset`, `script`, `calendar`, `catalog`, `model`, `error`.

pub mod pipeline;

pub use pipeline::EvalError;
