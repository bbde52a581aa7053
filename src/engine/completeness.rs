//! Completeness: when the application became complete. The rules say what is
//! missing and which attachments are required; `complete_on` is the Oslo date on
//! which the last required item arrived.

use super::records::Collected;
use super::run::Run;
use crate::model::trace::{ClockTrace, RequiredArrival};
use crate::model::Application;
use chrono::NaiveDate;

/// `complete_on`, or `None` while something is missing; noted in the trace.
pub(super) fn complete_on(run: &mut Run<'_, '_>, out: &Collected) -> Option<NaiveDate> {
    let received_on = run.received_on;
    let app = run.app;
    let complete_on = out.missing.is_empty().then(|| {
        out.required_attachments
            .iter()
            .filter_map(|kind| first_arrival(app, kind))
            .fold(received_on, NaiveDate::max)
    });
    run.note(|t| {
        t.clock = Some(ClockTrace {
            received_on,
            required: out
                .required_attachments
                .iter()
                .map(|kind| RequiredArrival {
                    kind: kind.clone(),
                    arrived_on: first_arrival(app, kind),
                })
                .collect(),
            complete_on,
        })
    });
    complete_on
}

/// The first arrival of an attachment of `kind`.
fn first_arrival(app: &Application, kind: &str) -> Option<NaiveDate> {
    app.attachments
        .iter()
        .filter(|a| a.kind.as_str() == kind)
        .map(|a| app.attachment_received_on(a))
        .min()
}
