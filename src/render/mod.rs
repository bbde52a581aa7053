//! Every way a result becomes text, one file per kind of output: a batch's CSV rows
//! and summary (`batch`), JSON Lines records
//! for programs (`json`), decision and error summaries (`text`), a decision's trace
//! (`trace`), a scenario run's report as text or JUnit XML (`report`), source
//! excerpts with a caret under a problem (`snippet`), and case statuses as a table
//! for operators (`status`), and why a case's dates are what they are (`explain`).
//!
//! May use: `model`, `error`.

pub mod batch;
pub mod explain;
pub mod invoice;
pub mod json;
pub mod report;
pub mod snippet;
pub mod status;
pub mod text;
pub mod trace;

pub use batch::{decision_csv, error_csv, BatchSummary, Outcome, DECISION_CSV_HEADER};
pub use explain::explain_text;
pub use invoice::{invoice_csv, invoice_text, INVOICE_CSV_HEADER};
pub use json::{decision_record, json_line, json_record};
pub use report::{bless_report, junit_cannot_run, junit_report, summary_line, text_report};
pub use status::status_table;
pub use text::{decision_text, error_text};
pub use trace::trace_text;
