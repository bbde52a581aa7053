//! `hds invoice`: the invoices of each case as of a date (case contract section 3),
//! in input order and by party, as JSON Lines, readable text or CSV rows. A case
//! file that cannot be read or followed gives its error record in its place.

use super::args::{InvoiceArgs, InvoiceFormat};
use super::status::today_in_oslo;
use super::{Exit, Out};
use crate::render::{error_text, invoice_csv, invoice_text, json_line, INVOICE_CSV_HEADER};
use crate::ruleset::load::SETTINGS_FILE;
use crate::ruleset::RuleSet;

/// `hds invoice`: 1 when any case was bad input, 2 when the rule set cannot follow
/// cases or the output cannot be written.
pub(super) fn invoice(rules: &RuleSet, args: &InvoiceArgs, out: &mut Out) -> Exit {
    if rules.case_policy().is_none() {
        note!(
            "hds: the rule set has no case policy: {SETTINGS_FILE} needs a `case:` block to follow cases (see rules/README.md)"
        );
        return Exit::CannotRun;
    }
    let as_of = args.as_of.unwrap_or_else(today_in_oslo);
    let mut cases = Vec::new();
    crate::case::file::read_cases(&args.cases, |case| cases.push(case));
    let mut text = String::new();
    let mut errors = String::new();
    if args.format == InvoiceFormat::Csv {
        text.push_str(INVOICE_CSV_HEADER);
    }
    let mut bad = 0usize;
    for case in cases {
        match case.and_then(|c| crate::case::invoice::invoices(&c, rules, as_of)) {
            Ok(mut invoices) => {
                if !args.explain {
                    invoices.iter_mut().for_each(|i| i.explain = None);
                }
                for invoice in &invoices {
                    match args.format {
                        InvoiceFormat::Json => {
                            text.push_str(&json_line(invoice));
                            text.push('\n');
                        }
                        InvoiceFormat::Text => {
                            text.push_str(&invoice_text(invoice));
                            text.push('\n');
                        }
                        InvoiceFormat::Csv => text.push_str(&invoice_csv(invoice)),
                    }
                }
            }
            Err(record) => {
                bad += 1;
                match args.format {
                    InvoiceFormat::Json => {
                        text.push_str(&json_line(&record));
                        text.push('\n');
                    }
                    _ => errors.push_str(&error_text(&record)),
                }
            }
        }
    }
    if !errors.is_empty() {
        note!("{}", errors.trim_end_matches('\n'));
    }
    if out.print(&text).is_err() {
        return Exit::CannotRun;
    }
    if bad > 0 {
        Exit::BadInput
    } else {
        Exit::Ok
    }
}
