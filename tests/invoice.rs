//! `hds invoice` on the contract example case.

use std::process::Command;

fn invoice(format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_hds"))
        .args(["invoice", "--as-of", "2026-09-15", "--format", format])
        .arg("tests/cases/contract/case.example.yaml")
        .output()
        .expect("hds runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
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
