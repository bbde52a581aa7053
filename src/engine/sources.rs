//! How each listed source was looked up in the catalog, for the trace.

use crate::catalog::{Catalog, CustodianField};
use crate::model::trace::SourceTrace;
use crate::model::Application;
use chrono::NaiveDate;

/// The catalog entry of each listed source on the received date.
pub(super) fn traces(catalog: &Catalog, app: &Application, on: NaiveDate) -> Vec<SourceTrace> {
    app.sources
        .iter()
        .map(|s| match catalog.source_on(&s.id, on) {
            None => SourceTrace {
                id: s.id.clone(),
                known: false,
                name: None,
                custodian: None,
                custodian_periods: vec![],
                form: None,
                form_url: None,
                purposes: vec![],
            },
            Some(found) => SourceTrace {
                id: s.id.clone(),
                known: true,
                name: Some(found.entry.name_en.clone()),
                custodian: found.custodian.map(str::to_string),
                custodian_periods: match &found.entry.custodian {
                    CustodianField::Dated(periods) => periods
                        .iter()
                        .map(|p| match (p.from, p.until) {
                            (Some(f), Some(u)) => format!("{} from {f} until {u}", p.custodian),
                            (Some(f), None) => format!("{} from {f}", p.custodian),
                            (None, Some(u)) => format!("{} until {u}", p.custodian),
                            (None, None) => p.custodian.clone(),
                        })
                        .collect(),
                    _ => vec![],
                },
                form: Some(found.entry.form.as_str().to_string()),
                form_url: found.entry.form_url.clone(),
                purposes: found.entry.purposes.clone(),
            },
        })
        .collect()
}
