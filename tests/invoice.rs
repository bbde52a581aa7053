//! `hds invoice` on the contract example case.

mod common;

use common::Test;

fn invoice(format: &str) -> String {
    let stdout = common::stdout_ok(
        common::hds()
            .args(["invoice", "--as-of", "2026-09-15", "--format", format])
            .arg("tests/cases/contract/case.example.yaml"),
    );
    stdout
}

#[test]
fn the_contract_example_gives_the_invoices_its_comments_say() {
    let text = invoice("json");
    let invoices: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(invoices.len(), 2);
    // Helsedataservice: base fee 3000.00 (two sources) + 1.5 h -> 2 started hours
    // × 1155.00 = 2310.00; net 5310.00; VAT 5310.00 × 25 % = 1327.50; total 6637.50.
    let hds = &invoices[0];
    assert_eq!(hds["party"], "helsedataservice");
    assert_eq!(hds["lines"][0]["item"], "base-fee");
    assert_eq!(hds["lines"][0]["amount"], "3000.00");
    assert_eq!(hds["lines"][1]["quantity"], "2");
    assert_eq!(hds["lines"][1]["amount"], "2310.00");
    assert_eq!(hds["lines"][1]["price_from"], "2023-03-15");
    assert_eq!(
        (&hds["net"], &hds["vat"], &hds["total"]),
        (&"5310.00".into(), &"1327.50".into(), &"6637.50".into())
    );
    // NIPH: 6.25 + 2 = 8.25 h -> 9 started hours × 1115.00 = 10035.00; VAT
    // 10035.00 × 25 % = 2508.75; total 12543.75.
    let niph = &invoices[1];
    assert_eq!(niph["party"], "niph");
    assert_eq!(niph["lines"][0]["quantity"], "9");
    assert_eq!(niph["lines"][0]["price_from"], serde_json::Value::Null);
    assert_eq!(
        (&niph["net"], &niph["vat"], &niph["total"]),
        (&"10035.00".into(), &"2508.75".into(), &"12543.75".into())
    );
    assert_eq!(niph["free_reason"], serde_json::Value::Null);
}

#[test]
fn csv_has_a_header_and_one_row_per_line() {
    let csv = invoice("csv");
    let rows: Vec<&str> = csv.split("\r\n").filter(|r| !r.is_empty()).collect();
    assert_eq!(rows.len(), 4, "{csv}");
    assert!(rows[0].starts_with("case,party,currency,item,"));
    assert!(rows[3].contains(",niph,NOK,hours,9,1115.00,10035.00,"));
    let text = invoice("text");
    assert!(text.contains("12543.75"), "{text}");
}

/// Cents of a money string, e.g. `-12.50` as -1250.
fn ore(v: &serde_json::Value) -> i64 {
    let s = v.as_str().expect("a money string");
    let (neg, s) = s.strip_prefix('-').map_or((false, s), |r| (true, r));
    let (w, f) = s.split_once('.').expect("two decimals");
    let n = w.parse::<i64>().expect("digits") * 100 + f.parse::<i64>().expect("digits");
    if neg {
        -n
    } else {
        n
    }
}

#[test]
fn for_random_hours_and_dates_lines_sum_to_net_and_net_plus_vat_is_total() {
    let dir = tempfile::tempdir().expect("a temp dir");
    // Received before every price change, so the work below falls on both sides of
    // each: Helsedataservice's base fee (2023-01-01) and hourly price (2023-03-15),
    // the Cancer Registry's price (2024-01-01).
    let app = "id: P\nsubmitted_at: 2022-11-30\ndata_kind: aggregated\n\
        applicant: {name: A, email: a@example.org}\n\
        project: {description: Tables, purpose: research}\n\
        sources: [{id: msis, variables: [year]}, {id: kreftregisteret, icd10: [C50]}]\n\
        attachments: [{kind: sample_table, file: t.xlsx}]\n";
    std::fs::write(dir.path().join("application.example.yaml"), app).expect("written");
    let first = chrono::NaiveDate::from_ymd_opt(2022, 12, 1).expect("a date");
    // A fixed linear congruential generator: the same cases on every run.
    let mut seed: u64 = 0x5eed;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let parties = [
        "helsedataservice",
        "niph",
        "cancer-registry",
        "directorate-of-health",
    ];
    let mut paths = Vec::new();
    for case in 0..40 {
        let mut text = format!("case: P-{case}\napplication: application.example.yaml\nevents:\n");
        for _ in 0..1 + next(6) {
            let date = first + chrono::Days::new(next(900));
            let hours = 1 + next(500);
            let party = parties[usize::try_from(next(4)).expect("small")];
            text.push_str(&format!(
                "  - {{date: {date}, kind: work_logged, party: {party}, hours: {}.{:02}}}\n",
                hours / 100,
                hours % 100
            ));
        }
        let path = dir.path().join(format!("case-{case}.yaml"));
        std::fs::write(&path, text).expect("written");
        paths.push(path);
    }
    let stdout = common::stdout_ok(
        common::hds()
            .args(["invoice", "--as-of", "2026-04-30"])
            .args(&paths),
    );
    let text = stdout;
    let mut seen = 0;
    for line in text.lines() {
        let inv: serde_json::Value = serde_json::from_str(line).expect("JSON");
        let lines = inv["lines"].as_array().expect("lines");
        let sum: i64 = lines
            .iter()
            .filter(|l| !l["amount"].is_null())
            .map(|l| ore(&l["amount"]))
            .sum();
        assert_eq!(sum, ore(&inv["net"]), "{line}");
        assert_eq!(
            ore(&inv["net"]) + ore(&inv["vat"]),
            ore(&inv["total"]),
            "{line}"
        );
        assert!(ore(&inv["total"]) >= 0, "{line}");
        assert!(ore(&inv["net"]) >= 0, "{line}");
        seen += 1;
    }
    assert!(seen >= 40, "{text}");
    // The periods were crossed: some hours were priced by a dated value, some at a
    // price in force before it, and some had no price at all.
    assert!(text.contains("\"price_from\":\"2023-03-15\""), "{text}");
    assert!(text.contains("\"price_from\":\"2024-01-01\""), "{text}");
    assert!(text.contains("price-missing"), "{text}");
}

/// The 1-based line of the first line of the shipped settings that holds `text`.
fn settings_line(text: &str) -> usize {
    let settings = std::fs::read_to_string(common::root().join("rules/settings.yaml"))
        .expect("the shipped settings");
    settings
        .lines()
        .position(|l| l.contains(text))
        .unwrap_or_else(|| panic!("{text} in the shipped settings"))
        + 1
}

#[test]
fn hds_check_reports_a_bad_fee_at_its_line_and_column() {
    let rounding = settings_line("rounding: started-hour");
    let niph = settings_line("hourly: 1115");
    Test::new()
        .edit("rules/settings.yaml", |t| {
            t.replace("rounding: started-hour", "rounding: up")
                .replace("hourly: 1115", "hourly: 1115.255")
        })
        .arg("check")
        .code(1)
        .stdout_contains(&format!(
            "rules/settings.yaml:{rounding}:5: error: fees.default.rounding: expected started-hour or exact; got 'up'"
        ))
        .stdout_contains(&format!(
            "rules/settings.yaml:{niph}:5: error: fees.niph.hourly: expected a price in NOK, 0 or more with at most two decimals, e.g. 1155 or 1155.50; got 1115.255"
        ))
        .stdout_contains("2 error(s)")
        .run();
}

#[test]
fn hds_check_reports_overlapping_gapped_and_unsorted_fee_periods_at_their_line_and_column() {
    // The second period of fees.helsedataservice.hourly; its `from` is at column 10
    // (six spaces, "- {", then the key).
    let second = settings_line("{from: 2023-03-15, value: 1155}");
    let at = format!("rules/settings.yaml:{second}:10: error: fees.helsedataservice.hourly: ");
    let cases = [
        (
            "until: 2023-03-14",
            "until: 2023-03-15",
            "periods overlap: period 1 until 2023-03-15 runs into period 2 from 2023-03-15",
        ),
        (
            "until: 2023-03-14",
            "until: 2023-03-13",
            "gap between periods: period 1 ends 2023-03-13 but period 2 starts 2023-03-15; expected it to start the day after",
        ),
        (
            "{from: 2023-03-15, value: 1155}",
            "{from: 1999-01-01, value: 1155}",
            "periods out of order: period 2 from 1999-01-01 is not after period 1 from 2000-01-01; expected the periods sorted by from",
        ),
    ];
    for (from, to, message) in cases {
        Test::new()
            .edit("rules/settings.yaml", |t| t.replacen(from, to, 1))
            .arg("check")
            .code(1)
            .stdout_contains(&format!("{at}{message}"))
            .stdout_contains("1 error(s)")
            .run();
    }
}

/// A case received 2023-03-01 (base fee 1500.00 from 2023-01-01) with work logged
/// on both sides of the hourly price change of 2023-03-15.
fn case_across_the_price_change(dir: &std::path::Path) -> std::path::PathBuf {
    let app = common::root().join("tests/scenarios/invoices/applications/mfr-2023-03-01.yaml");
    let case = dir.join("case.yaml");
    std::fs::write(
        &case,
        format!(
            "case: HDS-2023-0301\napplication: {}\nevents:\n  - {{date: 2023-03-14, kind: work_logged, party: helsedataservice, hours: 1.5}}\n  - {{date: 2023-03-15, kind: work_logged, party: helsedataservice, hours: 1.25}}\n  - {{date: 2023-03-20, kind: work_logged, party: helsedataservice, hours: 0.5}}\n",
            app.display()
        ),
    )
    .expect("write case");
    case
}

#[test]
fn invoice_explain_names_each_price_its_period_and_the_date_it_was_looked_up_by() {
    let dir = tempfile::tempdir().expect("temp dir");
    let case = case_across_the_price_change(dir.path());
    let stdout = common::stdout_ok(
        common::hds()
            .args(["invoice", "--as-of", "2023-03-31", "--explain"])
            .arg(&case),
    );
    let invoice: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON invoice");
    let why = invoice["explain"].as_array().expect("an explain list");
    let find = |setting: &str, value: &str| {
        why.iter()
            .find(|b| b["setting"] == setting && b["value"] == value)
            .unwrap_or_else(|| panic!("{setting} = {value} in {why:#?}"))
    };
    let base = find("fees.helsedataservice.base_fee.one_source", "1500.00");
    assert_eq!(base["by"], "received");
    assert_eq!(base["dates"], serde_json::json!(["2023-03-01"]));
    assert_eq!(base["from"], "2023-01-01");
    // The hours before the change fall in the 0 period ending 2023-03-14; those
    // from it in the period from 2023-03-15, each with the days logged.
    let before = find("fees.helsedataservice.hourly", "0.00");
    assert_eq!(before["by"], "work-logged");
    assert_eq!(before["dates"], serde_json::json!(["2023-03-14"]));
    assert_eq!(before["until"], "2023-03-14");
    let after = find("fees.helsedataservice.hourly", "1155.00");
    assert_eq!(
        after["dates"],
        serde_json::json!(["2023-03-15", "2023-03-20"])
    );
    assert_eq!(after["from"], "2023-03-15");
    assert_eq!(after["until"], serde_json::Value::Null);
    // A key Helsedataservice does not set comes from fees.default, and says so.
    let vat = find("fees.default.vat_rate", "25");
    assert_eq!(vat["instead_of"], "fees.helsedataservice.vat_rate");
}

#[test]
fn invoice_without_explain_has_no_explain_field_and_text_explain_has_a_priced_by_block() {
    let dir = tempfile::tempdir().expect("temp dir");
    let case = case_across_the_price_change(dir.path());
    let plain = common::hds()
        .args(["invoice", "--as-of", "2023-03-31"])
        .arg(&case)
        .output()
        .expect("hds runs");
    let plain = String::from_utf8(plain.stdout).expect("UTF-8");
    assert!(!plain.contains("\"explain\""), "{plain}");
    let text = common::hds()
        .args([
            "invoice",
            "--as-of",
            "2023-03-31",
            "--explain",
            "--format",
            "text",
        ])
        .arg(&case)
        .output()
        .expect("hds runs");
    let text = String::from_utf8(text.stdout).expect("UTF-8");
    assert!(text.contains("  priced by:\n"), "{text}");
    assert!(
        text.contains("fees.helsedataservice.hourly = 1155.00: by the date the work was logged, 2023-03-15, 2023-03-20; the period from 2023-03-15, with no end"),
        "{text}"
    );
    assert!(
        text.contains("fees.helsedataservice.hourly = 0.00: by the date the work was logged, 2023-03-14; the period 2000-01-01 to 2023-03-14"),
        "{text}"
    );
}

#[test]
fn hds_check_reports_a_fee_party_that_is_no_custodian_with_the_nearest_one() {
    let settings = std::fs::read_to_string(common::root().join("rules/settings.yaml"))
        .expect("the shipped settings");
    let niph = 1 + settings
        .lines()
        .position(|l| l == "  niph:")
        .expect("fees.niph in the shipped settings");
    Test::new()
        .edit("rules/settings.yaml", |t| t.replace("  niph:\n    hourly", "  nihp:\n    hourly"))
        .arg("check")
        .code(1)
        .stdout_contains(&format!(
            "rules/settings.yaml:{niph}:3: error: fees.nihp: 'nihp' is not a party; did you mean 'niph'? expected default, helsedataservice or a custodian of the catalog:"
        ))
        .run();
}

#[test]
fn work_during_an_open_appeal_is_billed_for_a_party_whose_free_cases_leave_out_appeal() {
    // NIPH logs 2 h while the appeal of 2026-05-05 is open. Shipped, appeal is a
    // free case of every party (fees.default): an hours-appeal line of 0.00. With
    // NIPH's own free_cases: [] it is billed: 2 × 1115.00 = 2230.00.
    let app = common::root().join("tests/scenarios/invoices/applications/mfr-2026-03-02.yaml");
    let case = format!(
        "case: HDS-APPEAL\napplication: {}\nevents:\n  - {{date: 2026-04-23, kind: refused, route: niph, reason: Small cells.}}\n  - {{date: 2026-05-05, kind: appeal_received, route: niph}}\n  - {{date: 2026-05-06, kind: work_logged, party: niph, hours: 2}}\n",
        app.display()
    );
    Test::new()
        .file("case.yaml", &case)
        .args(["invoice", "--as-of", "2026-05-15", "case.yaml"])
        .stdout_json(|invoices| {
            let niph = &invoices[1];
            assert_eq!(niph["lines"][0]["item"], "hours-appeal");
            assert_eq!(niph["lines"][0]["amount"], "0.00");
            assert_eq!(niph["lines"][0]["rule"], "fees.default.free_cases");
        })
        .run();
    Test::new()
        .edit("rules/settings.yaml", |t| {
            t.replace(
                "    minimum_hours: 1\n",
                "    minimum_hours: 1\n    free_cases: []\n",
            )
        })
        .file("case.yaml", &case)
        .args(["invoice", "--as-of", "2026-05-15", "case.yaml"])
        .stdout_json(|invoices| {
            let niph = &invoices[1];
            assert_eq!(niph["party"], "niph");
            assert_eq!(niph["lines"][0]["item"], "hours");
            assert_eq!(niph["lines"][0]["amount"], "2230.00");
            assert_eq!(niph["net"], "2230.00");
        })
        .run();
}

#[test]
fn huge_hours_at_a_huge_price_are_invoiced_exactly_without_overflow() {
    // 42 949 672.95 h, the most one event holds, up to 42 949 673 started hours at
    // 100 000 000.00 NOK: 4 294 967 300 000 000.00 NOK, past what 64-bit øre hold
    // once multiplied; VAT 25 % on top.
    let app = common::root().join("tests/scenarios/invoices/applications/mfr-2026-03-02.yaml");
    let case = format!(
        "case: HDS-HUGE\napplication: {}\nevents:\n  - {{date: 2026-04-23, kind: work_logged, party: niph, hours: 42949672.95}}\n",
        app.display()
    );
    Test::new()
        .edit("rules/settings.yaml", |t| {
            t.replace("    hourly: 1115\n", "    hourly: 100000000\n")
        })
        .file("case.yaml", &case)
        .args(["invoice", "--as-of", "2026-05-15", "case.yaml"])
        .stdout_json(|invoices| {
            let niph = &invoices[1];
            assert_eq!(niph["party"], "niph");
            assert_eq!(niph["lines"][0]["quantity"], "42949673");
            assert_eq!(niph["lines"][0]["amount"], "4294967300000000.00");
            assert_eq!(niph["net"], "4294967300000000.00");
            assert_eq!(niph["vat"], "1073741825000000.00");
            assert_eq!(niph["total"], "5368709125000000.00");
        })
        .run();
}
