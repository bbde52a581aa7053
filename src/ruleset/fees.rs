//! The `fees:` block of `rules/settings.yaml`, checked when the rule set loads so a
//! bad price or word is an error at its line and column in `hds check`, not a
//! surprise on an invoice. Each value may be dated (a list of periods); then every
//! period's `value` is checked.

use super::settings::shown;
use crate::error::Diagnostic;
use crate::model::invoice::ore_of;
use crate::ruleset::settings::Settings;
use crate::script::helpers::dated::is_dated;
use serde_json::Value;

/// The settings key of the fees.
pub const FEES: &str = "fees";

/// The keys a party's fees may have.
const PARTY_KEYS: [&str; 6] = [
    "rounding",
    "minimum_hours",
    "free_hours",
    "vat_rate",
    "free_cases",
    "hourly",
];

/// The keys only Helsedataservice has.
const BASE_FEE: &str = "base_fee";

/// The kinds of base fee.
const BASE_FEE_KEYS: [&str; 2] = ["one_source", "several_sources"];

/// The words of `rounding`.
pub const ROUNDINGS: [&str; 2] = ["started-hour", "exact"];

/// The names of the free cases: the applicant's role, an update of an earlier
/// decision, work logged while an appeal is open.
pub const FREE_CASES: [&str; 3] = ["master-student", "update", "appeal"];

/// The fee parties that are not custodians: the defaults, and Helsedataservice.
const OTHER_PARTIES: [&str; 2] = ["default", "helsedataservice"];

/// Every party of the `fees:` block that is neither `default`, `helsedataservice`
/// nor a custodian of the catalog: its prices would never be used, as work is
/// logged by custodian id. An error at the party's key, with the nearest id.
pub fn fee_party_problems(
    settings: &Settings,
    catalog: &crate::catalog::Catalog,
) -> Vec<Diagnostic> {
    let Some(parties) = settings.get(FEES).and_then(Value::as_object) else {
        return Vec::new();
    };
    let known: Vec<&str> = OTHER_PARTIES
        .into_iter()
        .chain(catalog.custodian_ids())
        .collect();
    parties
        .keys()
        .filter(|party| !known.contains(&party.as_str()))
        .map(|party| {
            let path = format!("{FEES}.{party}");
            let hint = super::check::suggest::did_you_mean(party, known.iter().copied());
            Diagnostic::error(
                settings.display(),
                format!(
                    "{path}: '{party}' is not a party{hint} expected default, helsedataservice or a custodian of the catalog: {}",
                    catalog.custodian_ids().collect::<Vec<_>>().join(", ")
                ),
            )
            .at_position(settings.position(&path))
        })
        .collect()
}

/// Every problem of the `fees:` block, in file order per party: an unknown key, a
/// price that is not an amount (not negative, at most two decimals), a `rounding`
/// that is not one of its words, a `vat_rate` outside 0 to 100, hours that are not
/// a whole number of at least 0, a free case that is not known.
pub fn fee_problems(settings: &Settings) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let Some(block) = settings.get(FEES) else {
        return problems;
    };
    let display = settings.display();
    let error = |path: &str, message: String| {
        Diagnostic::error(display, format!("{path}: {message}"))
            .at_position(settings.position(path))
    };
    // A price: NOK as a number or text, not negative, at most two decimals.
    let price = |v: &Value, at: &str| {
        ore_of(v).is_none().then(|| {
            error(
                at,
                format!(
                    "expected a price in NOK, 0 or more with at most two decimals, e.g. 1155 or 1155.50; got {}",
                    shown(v)
                ),
            )
        })
    };
    let Some(parties) = block.as_object() else {
        problems.push(error(
            FEES,
            "expected a map of parties, each a map of fees".into(),
        ));
        return problems;
    };
    for (party, fees) in parties {
        let here = format!("{FEES}.{party}");
        let Some(fees) = fees.as_object() else {
            problems.push(error(&here, "expected a map of fees".into()));
            continue;
        };
        for (key, value) in fees {
            let path = format!("{here}.{key}");
            match key.as_str() {
                "rounding" => each(value, &path, &mut problems, &|v, at| {
                    let ok = v.as_str().is_some_and(|s| ROUNDINGS.contains(&s));
                    (!ok).then(|| {
                        error(
                            at,
                            format!("expected {}; got {}", ROUNDINGS.join(" or "), shown(v)),
                        )
                    })
                }),
                "minimum_hours" | "free_hours" => each(value, &path, &mut problems, &|v, at| {
                    v.as_u64().is_none().then(|| {
                        error(
                            at,
                            format!(
                                "expected a whole number of hours, 0 or more; got {}",
                                shown(v)
                            ),
                        )
                    })
                }),
                "vat_rate" => each(value, &path, &mut problems, &|v, at| {
                    let ok = v.as_u64().is_some_and(|n| n <= 100);
                    (!ok).then(|| {
                        error(
                            at,
                            format!("expected a whole per cent from 0 to 100; got {}", shown(v)),
                        )
                    })
                }),
                "free_cases" => each(value, &path, &mut problems, &|v, at| {
                    let ok = v.as_array().is_some_and(|items| {
                        items
                            .iter()
                            .all(|i| i.as_str().is_some_and(|s| FREE_CASES.contains(&s)))
                    });
                    (!ok).then(|| {
                        error(
                            at,
                            format!(
                                "expected a list of free cases from: {}; got {}",
                                FREE_CASES.join(", "),
                                shown(v)
                            ),
                        )
                    })
                }),
                "hourly" => each(value, &path, &mut problems, &price),
                BASE_FEE if party == "helsedataservice" => match value.as_object() {
                    Some(kinds) => {
                        for (kind, value) in kinds {
                            let path = format!("{path}.{kind}");
                            if BASE_FEE_KEYS.contains(&kind.as_str()) {
                                each(value, &path, &mut problems, &price);
                            } else {
                                problems.push(error(
                                    &path,
                                    format!(
                                        "not a kind of base fee; expected one of: {}",
                                        BASE_FEE_KEYS.join(", ")
                                    ),
                                ));
                            }
                        }
                    }
                    None => problems.push(error(
                        &path,
                        format!("expected a map with {}", BASE_FEE_KEYS.join(" and ")),
                    )),
                },
                _ => {
                    let mut keys = PARTY_KEYS.to_vec();
                    if party == "helsedataservice" {
                        keys.push(BASE_FEE);
                    }
                    problems.push(error(
                        &path,
                        format!("not a fee setting; expected one of: {}", keys.join(", ")),
                    ));
                }
            }
        }
    }

    /// Checks a value, or each period's `value` when it is dated (the periods
    /// themselves are checked by [`Settings::dated_problems`]).
    fn each(
        value: &Value,
        path: &str,
        problems: &mut Vec<Diagnostic>,
        check: &dyn Fn(&Value, &str) -> Option<Diagnostic>,
    ) {
        if is_dated(value) {
            if let Some(items) = value.as_array() {
                for (i, item) in items.iter().enumerate() {
                    if let Some(v) = item.get("value") {
                        problems.extend(check(v, &format!("{path}[{i}].value")));
                    }
                }
            }
        } else {
            problems.extend(check(value, path));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "\
fees:
  default:
    rounding: started-hour
    minimum_hours: 0
    free_hours: 0
    vat_rate: 25
    free_cases: []
  helsedataservice:
    base_fee:
      one_source:
        - {from: 2000-01-01, until: 2022-12-31, value: 0}
        - {from: 2023-01-01, value: 1500}
      several_sources: 3000
    hourly: 1155.50
    free_cases: [master-student, update]
  niph:
    hourly: \"1115\"
";

    fn problems(text: &str) -> Vec<String> {
        let settings = Settings::load("rules/settings.yaml", text).expect("a map");
        fee_problems(&settings)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn good_fees_have_no_problem() {
        assert_eq!(problems(GOOD), Vec::<String>::new());
        assert_eq!(problems("case: {}\n"), Vec::<String>::new());
    }

    #[test]
    fn a_bad_fee_is_an_error_at_its_line_and_column() {
        let text = GOOD
            .replace("rounding: started-hour", "rounding: up")
            .replace("vat_rate: 25", "vat_rate: 125")
            .replace("free_cases: []", "free_cases: [student]")
            .replace("value: 1500", "value: 1500.005")
            .replace("hourly: \"1115\"", "hourly: -1115\n    hourli: 3");
        let found = problems(&text);
        let expected = [
            "rules/settings.yaml:3:5: error: fees.default.rounding: expected started-hour or exact; got 'up'",
            "rules/settings.yaml:6:5: error: fees.default.vat_rate: expected a whole per cent from 0 to 100; got 125",
            "rules/settings.yaml:7:5: error: fees.default.free_cases: expected a list of free cases from: master-student, update, appeal; got [\"student\"]",
            "rules/settings.yaml:12:30: error: fees.helsedataservice.base_fee.one_source[1].value: expected a price in NOK, 0 or more with at most two decimals, e.g. 1155 or 1155.50; got 1500.005",
            "rules/settings.yaml:17:5: error: fees.niph.hourly: expected a price in NOK, 0 or more with at most two decimals, e.g. 1155 or 1155.50; got -1115",
            "rules/settings.yaml:18:5: error: fees.niph.hourli: not a fee setting; expected one of: rounding, minimum_hours, free_hours, vat_rate, free_cases, hourly",
        ];
        for e in expected {
            assert!(found.iter().any(|f| f == e), "missing {e}\nin {found:#?}");
        }
        assert_eq!(found.len(), expected.len(), "{found:#?}");
    }

    #[test]
    fn only_helsedataservice_has_a_base_fee_of_two_kinds() {
        let text = GOOD
            .replace("several_sources: 3000", "many_sources: 3000")
            .replace("  niph:\n", "  niph:\n    base_fee: 1\n");
        let found = problems(&text);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found.iter().any(|f| f.starts_with(
            "rules/settings.yaml:13:7: error: fees.helsedataservice.base_fee.many_sources: not a kind of base fee"
        )), "{found:#?}");
        assert!(
            found.iter().any(|f| f.starts_with(
                "rules/settings.yaml:17:5: error: fees.niph.base_fee: not a fee setting"
            )),
            "{found:#?}"
        );
    }
}
