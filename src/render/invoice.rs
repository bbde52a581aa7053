//! Invoices as text for people (one block per party) and as CSV for a finance
//! system (one row per line, RFC 4180).

use crate::model::invoice::Basis;
use crate::model::invoice::Invoice;
use std::fmt::Write;

/// One invoice as readable text: the party and case, each line, then the sums.
pub fn invoice_text(invoice: &Invoice) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Invoice {} to {} ({})",
        invoice.case, invoice.party, invoice.currency
    );
    for line in &invoice.lines {
        let price = line.unit_price.as_deref().unwrap_or("missing");
        let amount = line.amount.as_deref().unwrap_or("missing");
        let from = line
            .price_from
            .map(|d| format!(", price from {d}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {:<14} {:>7} x {:>10} = {:>10}   ({}{from})",
            line.item, line.quantity, price, amount, line.rule
        );
    }
    let _ = writeln!(out, "  {:<35} {:>10}", "net", invoice.net);
    let _ = writeln!(
        out,
        "  {:<35} {:>10}",
        format!("VAT {} %", invoice.vat_rate),
        invoice.vat
    );
    let _ = writeln!(out, "  {:<35} {:>10}", "total", invoice.total);
    if let Some(reason) = &invoice.free_reason {
        let _ = writeln!(out, "  free: {reason}");
    }
    for f in &invoice.findings {
        let _ = writeln!(out, "  {}: {}: {}", severity(f.severity), f.code, f.message);
    }
    if let Some(why) = &invoice.explain {
        let _ = writeln!(out, "  priced by:");
        for b in why {
            let _ = writeln!(out, "    {}", basis_text(b));
        }
    }
    out
}

/// One setting an invoice was priced by, in a sentence: the value, the date and
/// why that date, the period in force.
fn basis_text(b: &Basis) -> String {
    let dates: Vec<String> = b.dates.iter().map(|d| d.to_string()).collect();
    let by = match b.by.as_str() {
        "received" => format!(
            "by the date the application was received, {}",
            dates.join(", ")
        ),
        _ => format!("by the date the work was logged, {}", dates.join(", ")),
    };
    let period = match (b.from, b.until) {
        (None, _) if b.value.is_some() => "undated: in force on every date".to_string(),
        (None, _) => "no period covers that date".to_string(),
        (Some(from), None) => format!("the period from {from}, with no end"),
        (Some(from), Some(until)) => format!("the period {from} to {until}"),
    };
    let value = b.value.as_deref().unwrap_or("missing");
    let instead = b
        .instead_of
        .as_deref()
        .map(|own| format!(" ({own} is not set, so the default applies)"))
        .unwrap_or_default();
    format!("{} = {value}{instead}: {by}; {period}", b.setting)
}

fn severity(s: crate::model::decision::Severity) -> &'static str {
    use crate::model::decision::Severity;
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// The header row of the CSV.
pub const INVOICE_CSV_HEADER: &str =
    "case,party,currency,item,quantity,unit_price,amount,rule,price_from,net,vat_rate,vat,total,free_reason\r\n";

/// One invoice as CSV rows (without the header), one per line; an invoice without
/// lines gives one row with the line fields empty, so every invoice is seen.
pub fn invoice_csv(invoice: &Invoice) -> String {
    let mut out = String::new();
    let tail = [
        invoice.net.as_str(),
        invoice.vat_rate.as_str(),
        invoice.vat.as_str(),
        invoice.total.as_str(),
        invoice.free_reason.as_deref().unwrap_or(""),
    ];
    let head = [
        invoice.case.as_str(),
        invoice.party.as_str(),
        invoice.currency.as_str(),
    ];
    let mut row = |fields: Vec<&str>| {
        let cells: Vec<String> = fields.into_iter().map(quote).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    if invoice.lines.is_empty() {
        row(head
            .iter()
            .copied()
            .chain(["", "", "", "", "", ""])
            .chain(tail)
            .collect());
    }
    for line in &invoice.lines {
        let from = line.price_from.map(|d| d.to_string()).unwrap_or_default();
        let fields: Vec<&str> = head
            .iter()
            .copied()
            .chain([
                line.item.as_str(),
                line.quantity.as_str(),
                line.unit_price.as_deref().unwrap_or(""),
                line.amount.as_deref().unwrap_or(""),
                line.rule.as_str(),
                from.as_str(),
            ])
            .chain(tail)
            .collect();
        row(fields);
    }
    out
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
fn quote(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_commas_or_quotes_are_quoted() {
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("plain"), "plain");
    }
}
