//! Invoices (case contract section 3): one per party of a case, each line priced by
//! the dated price in force. Money is a string with two decimals, in NOK, computed
//! in whole øre. Only ever written out; the field order is the order of the JSON.

use crate::model::decision::Finding;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

/// One party's invoice for one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Invoice {
    /// The case id.
    pub case: String,
    /// `helsedataservice` or a custodian id.
    pub party: String,
    /// Always `NOK`.
    pub currency: String,
    /// The lines, in the contract's order: base fee, hours per price period, hours
    /// during an appeal, then the adjustments.
    pub lines: Vec<InvoiceLine>,
    /// The sum of the priced lines' amounts.
    pub net: String,
    /// The VAT rate in per cent, e.g. `25`.
    pub vat_rate: String,
    /// `net` × `vat_rate` / 100, rounded to øre half away from zero.
    pub vat: String,
    /// `net` + `vat`.
    pub total: String,
    /// Why the case is free: `master-student` or `update`; `null` when it is not.
    pub free_reason: Option<String>,
    /// What was noticed while pricing, e.g. a `price-missing` warning.
    pub findings: Vec<Finding>,
    /// With `hds invoice --explain` only: every setting the invoice was priced by,
    /// the date it was looked up on and why that date, and the period in force.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<Vec<Basis>>,
}

/// One setting an invoice was priced by, as `hds invoice --explain` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Basis {
    /// The settings path read, e.g. `fees.helsedataservice.hourly`.
    pub setting: String,
    /// The value in force, as written (money with two decimals); `null` when no
    /// period covers the date.
    pub value: Option<String>,
    /// Which date it was looked up by: `received` (the date the application was
    /// received) or `work-logged` (the dates the work was logged).
    pub by: String,
    /// The dates looked up, in order.
    pub dates: Vec<NaiveDate>,
    /// The first day of the period in force; `null` for an undated value.
    pub from: Option<NaiveDate>,
    /// The last day of the period in force; `null` when undated or open-ended.
    pub until: Option<NaiveDate>,
    /// The party's own key when the party has none and `fees.default`'s applies.
    pub instead_of: Option<String>,
}

/// One line of an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct InvoiceLine {
    /// `base-fee`, `hours`, `hours-appeal`, `free-hours`, `below-minimum` or
    /// `exemption`.
    pub item: String,
    /// How many: `1` for a fee, hours for hours (`3`, or `2.50` when not rounded to
    /// whole hours); negative for an adjustment.
    pub quantity: String,
    /// The price of one; `null` when no price is in force for the date.
    pub unit_price: Option<String>,
    /// `quantity` × `unit_price`; `null` when the price is missing.
    pub amount: Option<String>,
    /// The setting or rule that priced the line, e.g. `fees.niph.hourly`.
    pub rule: String,
    /// The first day of the dated price used; `null` for an undated price.
    pub price_from: Option<NaiveDate>,
}

/// Øre as NOK with two decimals, e.g. `-123456` as `-1234.56`.
pub fn money(ore: i128) -> String {
    let sign = if ore < 0 { "-" } else { "" };
    let abs = ore.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Hundredths of an hour as a quantity: whole hours without decimals (`3`), any
/// other with two (`2.50`).
pub fn quantity(hundredths: i128) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    if abs.is_multiple_of(100) {
        format!("{sign}{}", abs / 100)
    } else {
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// A price in øre from a settings value: a number or string with at most two
/// decimals, not negative.
pub fn ore_of(value: &Value) -> Option<i64> {
    let text = match value {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let frac = frac.trim_end_matches('0');
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 2 {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_quantities_are_written_exactly() {
        assert_eq!(money(663750), "6637.50");
        assert_eq!(money(-5), "-0.05");
        assert_eq!(money(0), "0.00");
        assert_eq!(quantity(900), "9");
        assert_eq!(quantity(-250), "-2.50");
    }
}
