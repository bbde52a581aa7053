//! Invoices of a case (case contract section 3): Helsedataservice's and each
//! custodian's that logged work, priced by the `fees:` settings in force on the
//! date the domain names (the base fee by the received date, hours by the date
//! logged). All money is whole øre, counted in 128 bits so that no hours or price
//! a case file and the settings can hold overflow; nothing is ever rounded but the
//! VAT.

use crate::case::LoadedCase;
use crate::model::application::Language;
use crate::model::case::EventKind;
use crate::model::decision::{Finding, Severity};
use crate::model::error_record::ErrorRecord;
use crate::model::invoice::{money, ore_of, quantity, Basis, Invoice, InvoiceLine};
use crate::model::message::Text;
use crate::model::status::CaseState;
use crate::ruleset::messages::Messages;
use crate::ruleset::settings::Settings;
use crate::ruleset::RuleSet;
use crate::script::helpers::dated::InForce;
use chrono::NaiveDate;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

/// The party that handles every application.
pub const HELSEDATASERVICE: &str = "helsedataservice";

/// The settings key of the fees.
const FEES: &str = "fees";

/// The items an invoice line can be for, in the contract's order.
pub const ITEMS: [&str; 6] = [
    BASE_FEE,
    HOURS,
    HOURS_APPEAL,
    FREE_HOURS,
    BELOW_MINIMUM,
    EXEMPTION,
];
const BASE_FEE: &str = "base-fee";
const HOURS: &str = "hours";
const HOURS_APPEAL: &str = "hours-appeal";
const FREE_HOURS: &str = "free-hours";
const BELOW_MINIMUM: &str = "below-minimum";
const EXEMPTION: &str = "exemption";

/// The free case of work logged while an appeal is open.
pub const APPEAL: &str = "appeal";

/// The finding codes an invoice can carry.
pub const FINDING_CODES: [&str; 1] = [PRICE_MISSING];
const PRICE_MISSING: &str = "price-missing";

/// The invoices of a case as of a date, sorted by party (Helsedataservice's first
/// only by name order, as every party's). None for a case only redirected. The
/// case's own errors (as `hds status` gives them) come back as its error record.
pub fn invoices(
    case: &LoadedCase,
    rules: &RuleSet,
    as_of: NaiveDate,
) -> Result<Vec<Invoice>, ErrorRecord> {
    let status = crate::case::status(case, rules, as_of)?;
    if status.state == CaseState::Redirected {
        return Ok(Vec::new());
    }
    let received = case.application.received_on();
    let mut in_force = &case.application;
    for (event, amended) in case.file.events.iter().zip(&case.amendments) {
        if let Some(app) = amended.as_ref().filter(|_| event.day() <= as_of) {
            in_force = app;
        }
    }
    let sources: BTreeSet<&str> = status
        .decision
        .routes
        .iter()
        .flat_map(|r| r.sources.iter().map(String::as_str))
        .collect();
    let free = if in_force
        .applicant
        .role
        .is_some_and(|r| serde_json::to_value(r).ok() == Some(Value::from("master_student")))
    {
        Some("master-student")
    } else if in_force.update_of.is_some() {
        Some("update")
    } else {
        None
    };

    let mut events: Vec<_> = case
        .file
        .events
        .iter()
        .filter(|e| e.day() <= as_of)
        .collect();
    events.sort_by_key(|e| e.day());
    let mut appeals: Vec<(NaiveDate, Option<NaiveDate>)> = Vec::new();
    let mut work: BTreeMap<&str, Vec<(NaiveDate, i128)>> = BTreeMap::new();
    work.insert(HELSEDATASERVICE, Vec::new());
    for e in &events {
        match &e.what {
            EventKind::AppealReceived { .. }
                if appeals.last().is_none_or(|(_, end)| end.is_some()) =>
            {
                appeals.push((e.day(), None));
            }
            EventKind::AppealDecided { .. } => {
                if let Some(last) = appeals.last_mut().filter(|(_, end)| end.is_none()) {
                    last.1 = Some(e.day());
                }
            }
            EventKind::WorkLogged { party, hours } => {
                work.entry(party.as_str())
                    .or_default()
                    .push((e.day(), i128::from(hours.0)));
            }
            _ => {}
        }
    }
    let in_appeal = |day: NaiveDate| {
        appeals
            .iter()
            .any(|(from, end)| *from <= day && end.is_none_or(|e| day < e))
    };
    let fees = Fees {
        settings: &rules.settings,
        why: RefCell::new(Vec::new()),
        messages: &rules.messages,
    };
    Ok(work
        .into_iter()
        .map(|(party, logged)| {
            let context = Context {
                case: &case.id,
                party,
                received,
                sources: sources.len(),
                free,
                language: in_force.language,
            };
            // Work during an open appeal is free for a party whose free cases
            // include `appeal`; for any other it is billed as any work.
            let appeal_free = fees.free_cases(party, received).iter().any(|f| f == APPEAL);
            let (normal, appeal): (Vec<_>, Vec<_>) = logged
                .into_iter()
                .partition(|(d, _)| !(appeal_free && in_appeal(*d)));
            fees.invoice(&context, &normal, &appeal)
        })
        .collect())
}

/// What an invoice is computed from, beyond the hours.
struct Context<'a> {
    case: &'a str,
    party: &'a str,
    received: NaiveDate,
    sources: usize,
    free: Option<&'static str>,
    /// The language of the invoice's messages (`None`: Bokmål).
    language: Option<Language>,
}

/// The `fees:` settings, each party's key falling back to `fees.default`, and
/// every lookup made, for `--explain`.
struct Fees<'a> {
    settings: &'a Settings,
    why: RefCell<Vec<Basis>>,
    messages: &'a Messages,
}

/// A price looked up: its path, its øre (`None` when missing) and its `from`.
struct Price {
    rule: String,
    ore: Option<i128>,
    from: Option<NaiveDate>,
}

/// Which date a setting is looked up by.
#[derive(Clone, Copy)]
enum By {
    Received,
    WorkLogged,
}

impl By {
    fn name(self) -> &'static str {
        match self {
            By::Received => "received",
            By::WorkLogged => "work-logged",
        }
    }
}

impl Fees<'_> {
    /// The path of a party's fee setting, or the default's when the party has none
    /// (then with the party's own path it stands in for).
    fn path(&self, party: &str, key: &str) -> (String, Option<String>) {
        let own = format!("{FEES}.{party}.{key}");
        if self.settings.get(&own).is_some() {
            (own, None)
        } else {
            (format!("{FEES}.default.{key}"), Some(own))
        }
    }

    /// The value at `path` in force on `date`, noted for `--explain`; `shown`
    /// writes the value as the explanation shows it.
    fn look(
        &self,
        (path, instead_of): (String, Option<String>),
        date: NaiveDate,
        by: By,
        shown: impl Fn(&Value) -> Option<String>,
    ) -> Option<InForce<'_>> {
        let found = self.settings.get_on(&path, date);
        let value = found.and_then(|f| shown(f.value));
        let (from, until) = found.map_or((None, None), |f| (f.from, f.until));
        let mut why = self.why.borrow_mut();
        let same = why
            .iter_mut()
            .find(|b| b.setting == path && b.from == from && b.value == value && b.by == by.name());
        match same {
            Some(b) => {
                if !b.dates.contains(&date) {
                    b.dates.push(date);
                    b.dates.sort();
                }
            }
            None => why.push(Basis {
                setting: path,
                value,
                by: by.name().to_string(),
                dates: vec![date],
                from,
                until,
                instead_of,
            }),
        }
        found
    }

    fn price(&self, path: (String, Option<String>), date: NaiveDate, by: By) -> Price {
        let rule = path.0.clone();
        let found = self.look(path, date, by, |v| ore_of(v).map(|o| money(o.into())));
        Price {
            ore: found.and_then(|f| ore_of(f.value)).map(i128::from),
            from: found.and_then(|f| f.from),
            rule,
        }
    }

    /// A whole number setting (hours, per cent), 0 when not set.
    fn number(&self, party: &str, key: &str, date: NaiveDate) -> i128 {
        self.look(self.path(party, key), date, By::Received, |v| {
            v.as_i64().map(|n| n.to_string())
        })
        .and_then(|f| f.value.as_i64())
        .map_or(0, i128::from)
    }

    fn text(&self, party: &str, key: &str, date: NaiveDate) -> Option<String> {
        self.look(self.path(party, key), date, By::Received, |v| {
            v.as_str().map(str::to_string)
        })
        .and_then(|f| f.value.as_str().map(str::to_string))
    }

    fn free_cases(&self, party: &str, date: NaiveDate) -> Vec<String> {
        let words = |v: &Value| -> Option<Vec<String>> {
            v.as_array().map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
        };
        self.look(self.path(party, "free_cases"), date, By::Received, |v| {
            words(v).map(|w| format!("[{}]", w.join(", ")))
        })
        .and_then(|f| words(f.value))
        .unwrap_or_default()
    }

    fn invoice(
        &self,
        c: &Context<'_>,
        normal: &[(NaiveDate, i128)],
        appeal: &[(NaiveDate, i128)],
    ) -> Invoice {
        let mut lines: Vec<InvoiceLine> = Vec::new();
        let mut missing: Vec<String> = Vec::new();
        let line = |item: &str, qty: i128, price: &Price, missing: &mut Vec<String>| {
            let amount = price.ore.map(|p| round_div(qty * p, 100));
            if price.ore.is_none() {
                missing.push(price.rule.clone());
            }
            InvoiceLine {
                item: item.to_string(),
                quantity: quantity(qty),
                unit_price: price.ore.map(money),
                amount: amount.map(money),
                rule: price.rule.clone(),
                price_from: price.from,
            }
        };
        let mut amounts: Vec<Option<i128>> = Vec::new();
        let push = |l: InvoiceLine,
                    lines: &mut Vec<InvoiceLine>,
                    amounts: &mut Vec<Option<i128>>,
                    ore: Option<i128>| {
            lines.push(l);
            amounts.push(ore);
        };

        if c.party == HELSEDATASERVICE {
            let key = if c.sources > 1 {
                "several_sources"
            } else {
                "one_source"
            };
            let price = self.price(
                (format!("{FEES}.{HELSEDATASERVICE}.base_fee.{key}"), None),
                c.received,
                By::Received,
            );
            if price.ore != Some(0) {
                let ore = price.ore;
                let l = line(BASE_FEE, 100, &price, &mut missing);
                push(l, &mut lines, &mut amounts, ore);
            }
        }

        let rounding = self.text(c.party, "rounding", c.received);
        let round = |h: i128| match rounding.as_deref() {
            Some("exact") => h,
            _ => (h + 99) / 100 * 100,
        };
        let hourly = self.path(c.party, "hourly");
        let mut periods: BTreeMap<(Option<NaiveDate>, bool), (i128, Price)> = BTreeMap::new();
        for (day, h) in normal {
            let price = self.price(hourly.clone(), *day, By::WorkLogged);
            let key = (price.from, price.ore.is_none());
            periods.entry(key).or_insert((0, price)).0 += h;
        }
        let logged: i128 = normal.iter().map(|(_, h)| h).sum();
        let mut billed_qty = 0i128;
        let mut billed_ore = 0i128;
        let mut first_price: Option<i128> = None;
        for (_, (h, price)) in periods {
            if price.ore == Some(0) {
                continue;
            }
            let qty = round(h);
            let ore = price.ore.map(|p| round_div(qty * p, 100));
            if let Some(o) = ore {
                billed_qty += qty;
                billed_ore += o;
                first_price = first_price.or(price.ore);
            }
            let l = line(HOURS, qty, &price, &mut missing);
            push(l, &mut lines, &mut amounts, ore);
        }
        let appeal_hours: i128 = appeal.iter().map(|(_, h)| h).sum();
        if appeal_hours > 0 {
            let free = Price {
                rule: self.path(c.party, "free_cases").0,
                ore: Some(0),
                from: None,
            };
            let l = line(HOURS_APPEAL, round(appeal_hours), &free, &mut missing);
            push(l, &mut lines, &mut amounts, Some(0));
        }

        let minimum = self.number(c.party, "minimum_hours", c.received) * 100;
        let free_hours = self.number(c.party, "free_hours", c.received) * 100;
        if logged > 0 && logged < minimum && billed_qty > 0 {
            let l = InvoiceLine {
                item: BELOW_MINIMUM.to_string(),
                quantity: quantity(-billed_qty),
                unit_price: None,
                amount: Some(money(-billed_ore)),
                rule: self.path(c.party, "minimum_hours").0,
                price_from: None,
            };
            push(l, &mut lines, &mut amounts, Some(-billed_ore));
        } else if free_hours > 0 && billed_qty > 0 {
            if let Some(p) = first_price {
                let qty = free_hours.min(billed_qty);
                let ore = round_div(qty * p, 100);
                let l = InvoiceLine {
                    item: FREE_HOURS.to_string(),
                    quantity: quantity(-qty),
                    unit_price: Some(money(p)),
                    amount: Some(money(-ore)),
                    rule: self.path(c.party, "free_hours").0,
                    price_from: None,
                };
                push(l, &mut lines, &mut amounts, Some(-ore));
            }
        }

        let free_reason = c
            .free
            .filter(|r| self.free_cases(c.party, c.received).iter().any(|f| f == r));
        if free_reason.is_some() {
            let so_far: i128 = amounts.iter().flatten().sum();
            let l = InvoiceLine {
                item: EXEMPTION.to_string(),
                quantity: "-1".to_string(),
                unit_price: Some(money(so_far)),
                amount: Some(money(-so_far)),
                rule: self.path(c.party, "free_cases").0,
                price_from: None,
            };
            push(l, &mut lines, &mut amounts, Some(-so_far));
        }

        let net: i128 = amounts.iter().flatten().sum();
        let rate = self.number(c.party, "vat_rate", c.received);
        let vat = round_div(net * rate, 100);
        missing.sort();
        missing.dedup();
        let findings = missing
            .into_iter()
            .map(|rule| Finding {
                code: PRICE_MISSING.to_string(),
                severity: Severity::Warning,
                custodian: (c.party != HELSEDATASERVICE).then(|| c.party.to_string()),
                source: None,
                message: self.messages.text(
                    c.language,
                    &Text::message(
                        PRICE_MISSING,
                        [("party", c.party.to_string()), ("rule", rule.clone())],
                    ),
                ),
                rule: crate::ruleset::load::SETTINGS_FILE.to_string(),
            })
            .collect();
        Invoice {
            case: c.case.to_string(),
            party: c.party.to_string(),
            currency: "NOK".to_string(),
            lines,
            net: money(net),
            vat_rate: rate.to_string(),
            vat: money(vat),
            total: money(net + vat),
            free_reason: free_reason.map(str::to_string),
            findings,
            explain: Some(self.why.take()),
        }
    }
}

/// `n / d` rounded half away from zero (`d` above 0).
fn round_div(n: i128, d: i128) -> i128 {
    let q = n.abs() / d;
    let r = n.abs() % d;
    let q = if r * 2 >= d { q + 1 } else { q };
    if n < 0 {
        -q
    } else {
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_away_from_zero_and_prices_are_exact() {
        // 1327.50 NOK VAT: 531000 øre × 25 / 100 = 132750 exactly.
        assert_eq!(round_div(531000 * 25, 100), 132750);
        assert_eq!(round_div(250, 100), 3);
        assert_eq!(round_div(-250, 100), -3);
        assert_eq!(round_div(249, 100), 2);
        assert_eq!(ore_of(&Value::from(1155)), Some(115500));
        assert_eq!(ore_of(&Value::from("1115.50")), Some(111550));
        assert_eq!(ore_of(&Value::from(1155.5)), Some(115550));
        assert_eq!(ore_of(&Value::from("1.005")), None);
        assert_eq!(ore_of(&Value::from(-1)), None);
    }
}
