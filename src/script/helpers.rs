//! What a rule script can use: the sandboxed Rhai engine and every helper function
//! registered into it.
//!
//! Helpers are registered with a signature and a one-line description, so the
//! reference for policy staff is generated from this file and cannot drift from it.

use crate::calendar::file::CalendarSet;
use crate::catalog::Catalog;
use chrono::NaiveDate;
use rhai::{Array, Dynamic, Engine, EvalAltResult, FuncRegistration, ImmutableString, Map};
use std::sync::Arc;

type Fallible<T> = Result<T, Box<EvalAltResult>>;

/// The data scripts can look up: catalog, calendars and settings, loaded once.
#[derive(Debug)]
pub struct RuleData {
    catalog: Catalog,
    calendars: CalendarSet,
    /// The settings as scripts see them, converted once so that `setting` only
    /// looks up and clones what it finds.
    settings: Dynamic,
    /// Display path of the settings file, for messages.
    settings_path: String,
}

impl RuleData {
    /// The data of a rule set: its catalog, its calendars, and its settings (a JSON
    /// object read from the settings file, whose display path `settings_path` is).
    pub fn new(
        catalog: Catalog,
        calendars: CalendarSet,
        settings: &serde_json::Value,
        settings_path: impl Into<String>,
    ) -> Self {
        RuleData {
            catalog,
            calendars,
            settings: to_dynamic(settings),
            settings_path: settings_path.into(),
        }
    }

    /// The source catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Every working-day calendar of the rule set.
    pub fn calendars(&self) -> &CalendarSet {
        &self.calendars
    }
}

/// A JSON value as a script value: an integer that fits `i64` stays an integer,
/// any other number is a float, and a map's keys are in key order.
fn to_dynamic(value: &serde_json::Value) -> Dynamic {
    use serde_json::Value;
    match value {
        Value::Null => Dynamic::UNIT,
        Value::Bool(b) => Dynamic::from_bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Dynamic::from_int(i),
            None => Dynamic::from_float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Dynamic::from(s.clone()),
        Value::Array(items) => Dynamic::from_array(items.iter().map(to_dynamic).collect()),
        Value::Object(entries) => Dynamic::from_map(
            entries
                .iter()
                .map(|(k, v)| (k.as_str().into(), to_dynamic(v)))
                .collect(),
        ),
    }
}

fn fail<T>(message: impl Into<String>) -> Fallible<T> {
    Err(message.into().into())
}

/// Registers a helper with its signature and one-line description (for `hds api`).
macro_rules! register {
    ($engine:expr, $name:expr, $params:expr, $doc:expr, $func:expr $(,)?) => {
        FuncRegistration::new($name)
            .with_params_info($params)
            .with_comments([concat!("/// ", $doc)])
            .register_into_engine($engine, $func)
    };
}

/// Reads a source argument: a source id, a source map (its `id`), or `()`.
fn source_id(source: &Dynamic) -> Dynamic {
    if let Some(map) = source.read_lock::<Map>() {
        return map.get("id").cloned().unwrap_or(Dynamic::UNIT);
    }
    source.clone()
}

fn record(kind: &str, fields: &[(&str, Dynamic)]) -> Map {
    let mut m = Map::new();
    m.insert("record".into(), kind.into());
    for (k, v) in fields {
        m.insert((*k).into(), v.clone());
    }
    m
}

pub(super) fn register_records(engine: &mut Engine) {
    register!(
        engine,
        "missing",
        &["item: string", "message: string", "record"],
        "A missing item of the whole application (completeness stage), e.g. missing(\"description\", \"...\").",
        |item: ImmutableString, message: ImmutableString| {
            record("missing", &[("item", item.into()), ("source", Dynamic::UNIT), ("message", message.into())])
        },
    );
    register!(
        engine,
        "missing",
        &[
            "item: string",
            "source: string | map",
            "message: string",
            "record"
        ],
        "A missing item of one source (completeness stage).",
        |item: ImmutableString, source: Dynamic, message: ImmutableString| {
            record(
                "missing",
                &[
                    ("item", item.into()),
                    ("source", source_id(&source)),
                    ("message", message.into()),
                ],
            )
        },
    );
    register!(
        engine,
        "finding",
        &[
            "code: string",
            "severity: string",
            "message: string",
            "record"
        ],
        "A finding about the whole application; severity is \"info\", \"warning\" or \"error\".",
        |code: ImmutableString, severity: ImmutableString, message: ImmutableString| {
            record(
                "finding",
                &[
                    ("code", code.into()),
                    ("severity", severity.into()),
                    ("source", Dynamic::UNIT),
                    ("message", message.into()),
                ],
            )
        },
    );
    register!(
        engine,
        "finding",
        &[
            "code: string",
            "severity: string",
            "source: string | map",
            "message: string",
            "record"
        ],
        "A finding about one source; an \"error\" finding makes that source ineligible.",
        |code: ImmutableString,
         severity: ImmutableString,
         source: Dynamic,
         message: ImmutableString| {
            record(
                "finding",
                &[
                    ("code", code.into()),
                    ("severity", severity.into()),
                    ("source", source_id(&source)),
                    ("message", message.into()),
                ],
            )
        },
    );
    register!(
        engine,
        "require_attachment",
        &["kind: string", "record"],
        "Marks an attachment kind as required (completeness stage): its arrival can move complete_on.",
        |kind: ImmutableString| record("require_attachment", &[("kind", kind.into())]),
    );
    register!(
        engine,
        "route",
        &["source: string | map", "custodian: string", "record"],
        "Sends a source to a custodian's sub-case (routing stage).",
        |source: Dynamic, custodian: ImmutableString| {
            record(
                "route",
                &[
                    ("source", source_id(&source)),
                    ("custodian", custodian.into()),
                ],
            )
        },
    );
    register!(
        engine,
        "redirect",
        &[
            "source: string | map",
            "reason: string",
            "form_url: string | ()",
            "record"
        ],
        "Redirects one source to another process (routing stage), e.g. its own form.",
        |source: Dynamic, reason: ImmutableString, form_url: Dynamic| {
            record(
                "redirect",
                &[
                    ("source", source_id(&source)),
                    ("reason", reason.into()),
                    ("form_url", form_url),
                ],
            )
        },
    );
    register!(
        engine,
        "redirect_application",
        &["reason: string", "form_url: string | ()", "record"],
        "Redirects the whole application (eligibility stage); nothing else is then decided.",
        |reason: ImmutableString, form_url: Dynamic| {
            record(
                "redirect",
                &[
                    ("source", Dynamic::UNIT),
                    ("reason", reason.into()),
                    ("form_url", form_url),
                ],
            )
        },
    );
}

/// `A40`, `A41.9`, `C50.11`: a capital letter, two digits, optionally a dot and one
/// or two more letters or digits.
pub fn is_icd10(code: &str) -> bool {
    let b = code.as_bytes();
    let head =
        b.len() >= 3 && b[0].is_ascii_uppercase() && b[1].is_ascii_digit() && b[2].is_ascii_digit();
    if !head {
        return false;
    }
    match &b[3..] {
        [] => true,
        [b'.', rest @ ..] => {
            (1..=2).contains(&rest.len())
                && rest
                    .iter()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        }
        _ => false,
    }
}

/// The longest text read as one ICD-10 code or range. No code or range comes near
/// (`C18 - C20` is 9 characters), so longer text is malformed without being read.
const MAX_ICD10_TEXT: usize = 24;

/// An ICD-10 code or range as written, in its normal form: upper case, spaces around
/// it trimmed, a dotless code read with its dot (`I210` is `I21.0`: a letter, two
/// digits, then the rest after a dot), and a range of categories within one letter
/// read as each category (`C18-C20` is `C18`, `C19`, `C20`; an en dash is read as a
/// hyphen). `None` when it is none of these: a reversed range, a range across
/// letters or of subcodes, and text longer than any code are malformed.
pub fn icd10_normalise(text: &str) -> Option<Vec<String>> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_ICD10_TEXT {
        return None;
    }
    let text = text.replace('\u{2013}', "-");
    if !text.is_ascii() {
        return None;
    }
    let text = text.to_ascii_uppercase();
    match text.split_once('-') {
        None => icd10_single(&text).map(|code| vec![code]),
        Some((from, to)) => {
            let (letter, first) = icd10_category(from.trim())?;
            let (to_letter, last) = icd10_category(to.trim())?;
            (letter == to_letter && first <= last).then(|| {
                (first..=last)
                    .map(|n| format!("{}{n:02}", char::from(letter)))
                    .collect()
            })
        }
    }
}

/// One code, well formed as written or once its dot is put back (`I210`, `C5011`).
fn icd10_single(code: &str) -> Option<String> {
    if is_icd10(code) {
        return Some(code.to_string());
    }
    if (4..=5).contains(&code.len()) && !code.contains('.') {
        let dotted = format!("{}.{}", &code[..3], &code[3..]);
        if is_icd10(&dotted) {
            return Some(dotted);
        }
    }
    None
}

/// A category (`C18`) as its letter and number.
fn icd10_category(code: &str) -> Option<(u8, u8)> {
    match code.as_bytes() {
        [letter, tens, ones]
            if letter.is_ascii_uppercase() && tens.is_ascii_digit() && ones.is_ascii_digit() =>
        {
            Some((*letter, (tens - b'0') * 10 + (ones - b'0')))
        }
        _ => None,
    }
}

/// Whether a well-formed code's category (`C50` of `C50.11`) lies in `from..=to`.
pub fn icd10_between(code: &str, from: &str, to: &str) -> bool {
    is_icd10(code) && {
        let category = &code[..3];
        from <= category && category <= to
    }
}

fn is_blank(value: &Dynamic) -> bool {
    if value.is_unit() {
        return true;
    }
    if let Some(s) = value.read_lock::<ImmutableString>() {
        return s.trim().is_empty();
    }
    if let Some(a) = value.read_lock::<Array>() {
        return a.is_empty();
    }
    if let Some(m) = value.read_lock::<Map>() {
        return m.is_empty();
    }
    false
}

/// Something, `@`, a domain with a dot; no spaces.
pub fn is_email(s: &str) -> bool {
    let s = s.trim();
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && !s.chars().any(char::is_whitespace)
                && domain.split('.').count() >= 2
                && domain.split('.').all(|p| !p.is_empty())
        }
        None => false,
    }
}

pub(super) fn register_text(engine: &mut Engine) {
    register!(
        engine,
        "is_blank",
        &["value: any", "bool"],
        "True for (), an empty or all-space string, an empty array or an empty map.",
        |value: Dynamic| is_blank(&value),
    );
    register!(
        engine,
        "is_email",
        &["value: any", "bool"],
        "True when the value is a string that looks like an e-mail address.",
        |value: Dynamic| {
            value
                .read_lock::<ImmutableString>()
                .map(|s| is_email(&s))
                .unwrap_or(false)
        },
    );
    register!(
        engine,
        "is_icd10",
        &["code: any", "bool"],
        "True for a well-formed ICD-10 code: A40, A41.9, C50.11.",
        |code: Dynamic| {
            code.read_lock::<ImmutableString>()
                .map(|s| is_icd10(&s))
                .unwrap_or(false)
        },
    );
    register!(
        engine,
        "icd10_normalise",
        &["code: any", "array | ()"],
        "The code or range in normal form, as an array: \" c50.9 \" is [\"C50.9\"], \"I210\" is [\"I21.0\"], \"C18-C20\" is [\"C18\", \"C19\", \"C20\"] (a range within one letter); () when malformed.",
        |code: Dynamic| -> Dynamic {
            code.read_lock::<ImmutableString>()
                .and_then(|s| icd10_normalise(&s))
                .map_or(Dynamic::UNIT, |codes| {
                    codes.into_iter().map(Dynamic::from).collect::<Array>().into()
                })
        },
    );
    register!(
        engine,
        "icd10_between",
        &["code: string", "from: string", "to: string", "bool"],
        "True when a well-formed code's category lies in from..=to, e.g. icd10_between(c, \"C00\", \"D48\").",
        |code: ImmutableString, from: ImmutableString, to: ImmutableString| {
            icd10_between(&code, &from, &to)
        },
    );
    register!(
        engine,
        "join",
        &["items: array", "separator: string", "string"],
        "The items as text, separated by separator: join([\"a\", \"b\"], \", \") is \"a, b\".",
        |items: Array, separator: ImmutableString| {
            items
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(separator.as_str())
        },
    );
    register!(
        engine,
        "common",
        &["items: array", "others: array", "array"],
        "The items that also appear in others, in the order of items: common([\"age\", \"sex\"], [\"age\"]) is [\"age\"].",
        |items: Array, others: Array| -> Array {
            let others: Vec<String> = others.iter().map(|o| o.to_string()).collect();
            items
                .into_iter()
                .filter(|i| others.contains(&i.to_string()))
                .collect()
        },
    );
    register!(
        engine,
        "has_attachment",
        &["app: map", "kind: string", "bool"],
        "True when the application carries an attachment of this kind (sample_table, variable_list, other).",
        |app: Map, kind: ImmutableString| -> bool {
            app.get("attachments")
                .and_then(|a| a.read_lock::<Array>().map(|a| a.clone()))
                .map(|attachments| {
                    attachments.iter().any(|a| {
                        a.read_lock::<Map>()
                            .and_then(|m| m.get("kind").map(|k| k.to_string() == kind.as_str()))
                            .unwrap_or(false)
                    })
                })
                .unwrap_or(false)
        },
    );
    register!(
        engine,
        "distinct_sources",
        &["app: map", "array"],
        "The distinct source ids the application lists, in the order first listed.",
        |app: Map| -> Array {
            let mut seen: Vec<String> = Vec::new();
            if let Some(sources) = app
                .get("sources")
                .and_then(|s| s.read_lock::<Array>().map(|a| a.clone()))
            {
                for s in sources {
                    if let Some(id) = s
                        .read_lock::<Map>()
                        .and_then(|m| m.get("id").map(|i| i.to_string()))
                    {
                        if !seen.contains(&id) {
                            seen.push(id);
                        }
                    }
                }
            }
            seen.into_iter().map(Dynamic::from).collect()
        },
    );
}

pub(super) fn register_catalog(engine: &mut Engine, data: &Arc<RuleData>) {
    let d = data.clone();
    register!(
        engine,
        "is_purpose",
        &["purpose: any", "bool"],
        "True when the value is one of the catalog's purpose vocabulary.",
        move |p: Dynamic| {
            p.read_lock::<ImmutableString>()
                .map(|s| d.catalog.purposes().iter().any(|v| v == s.as_str()))
                .unwrap_or(false)
        },
    );
    let d = data.clone();
    register!(
        engine,
        "purposes",
        &["array"],
        "The catalog's purpose vocabulary.",
        move || -> Array {
            d.catalog
                .purposes()
                .iter()
                .map(|p| Dynamic::from(p.clone()))
                .collect()
        },
    );
    let d = data.clone();
    register!(
        engine,
        "custodian_name",
        &["custodian: string", "string"],
        "The custodian's English name from the catalog.",
        move |id: ImmutableString| -> Fallible<String> {
            match d.catalog.custodian(&id) {
                Some(c) => Ok(c.name_en.clone()),
                None => fail(format!(
                    "custodian_name: no custodian '{id}' in the catalog"
                )),
            }
        },
    );
    let d = data.clone();
    register!(
        engine,
        "setting",
        &["path: string", "any"],
        "A value from settings.yaml by dotted path, e.g. setting(\"confidentiality.max_variables\").",
        move |path: ImmutableString| -> Fallible<Dynamic> {
            match lookup(&d.settings, path.split('.')) {
                Some(value) => Ok(value),
                None => fail(format!(
                    "setting '{path}' is not in {}; expected a key path such as deadline.working_days",
                    d.settings_path
                )),
            }
        },
    );
}

/// The value at a key path in nested maps, cloning only what is found.
fn lookup<'a>(value: &Dynamic, mut keys: impl Iterator<Item = &'a str>) -> Option<Dynamic> {
    match keys.next() {
        None => Some(value.clone()),
        Some(key) => {
            let map = value.read_lock::<Map>()?;
            lookup(map.get(key)?, keys)
        }
    }
}

fn parse_date(s: &str) -> Fallible<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| fail(format!("'{s}' is not a date; expected YYYY-MM-DD")))
}

pub(super) fn register_calendar(engine: &mut Engine, data: &Arc<RuleData>) {
    fn calendar<'a>(d: &'a RuleData, name: &str) -> Fallible<&'a crate::calendar::Calendar> {
        match d.calendars.get(name) {
            Some(c) => Ok(c),
            None => fail(format!(
                "no calendar '{name}'; expected one of: {}",
                d.calendars.names().collect::<Vec<_>>().join(", ")
            )),
        }
    }
    let d = data.clone();
    register!(
        engine,
        "is_working_day",
        &["date: string", "calendar: string", "bool"],
        "True when the date (YYYY-MM-DD) is a working day in the named calendar.",
        move |date: ImmutableString, cal: ImmutableString| -> Fallible<bool> {
            calendar(&d, &cal)?
                .is_working_day(parse_date(&date)?)
                .or_else(|e| fail(e.to_string()))
        },
    );
    let d = data.clone();
    register!(
        engine,
        "add_working_days",
        &["date: string", "days: int", "calendar: string", "string"],
        "The days-th working day after date in the named calendar (the date itself is not counted).",
        move |date: ImmutableString, days: i64, cal: ImmutableString| -> Fallible<String> {
            let n = u32::try_from(days).or_else(|_| fail(format!("add_working_days: days must be 0 or more, got {days}")))?;
            calendar(&d, &cal)?
                .add_working_days(parse_date(&date)?, n)
                .map(|d| d.to_string())
                .or_else(|e| fail(e.to_string()))
        },
    );
    let d = data.clone();
    register!(
        engine,
        "working_days_between",
        &["from: string", "to: string", "calendar: string", "int"],
        "The working days after from up to and including to, in the named calendar.",
        move |from: ImmutableString, to: ImmutableString, cal: ImmutableString| -> Fallible<i64> {
            calendar(&d, &cal)?
                .working_days_between(parse_date(&from)?, parse_date(&to)?)
                .or_else(|e| fail(e.to_string()))
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icd10_accepts_the_documented_shapes() {
        for ok in ["A40", "A41.9", "C50.11", "D48", "Z99.X"] {
            assert!(is_icd10(ok), "{ok}");
        }
    }

    #[test]
    fn icd10_rejects_malformed_codes() {
        for bad in [
            "", "A4", "40A", "a40", "A40.", "A40.123", "A401", "AA0", "A40-1", "A40 ",
        ] {
            assert!(!is_icd10(bad), "{bad}");
        }
    }

    /// The normal codes of `text`, joined by commas.
    fn normal(text: &str) -> Option<String> {
        icd10_normalise(text).map(|codes| codes.join(","))
    }

    #[test]
    fn icd10_normalise_keeps_normal_codes_as_they_are() {
        for code in ["A40", "A41.9", "C50.11", "Z99.X"] {
            assert_eq!(normal(code), Some(code.to_string()), "{code}");
        }
    }

    #[test]
    fn icd10_normalise_trims_spaces_and_reads_upper_case() {
        assert_eq!(normal(" c50.9 "), Some("C50.9".to_string()));
        assert_eq!(normal("i21"), Some("I21".to_string()));
        assert_eq!(normal("\tD48\n"), Some("D48".to_string()));
    }

    #[test]
    fn icd10_normalise_puts_the_dot_back() {
        assert_eq!(normal("I210"), Some("I21.0".to_string()));
        assert_eq!(normal("c5011"), Some("C50.11".to_string()));
        assert_eq!(normal("Z99X"), Some("Z99.X".to_string()));
    }

    #[test]
    fn icd10_normalise_reads_a_range_within_one_letter_as_its_categories() {
        assert_eq!(normal("C18-C20"), Some("C18,C19,C20".to_string()));
        assert_eq!(normal("c18 - c20"), Some("C18,C19,C20".to_string()));
        assert_eq!(normal("C18\u{2013}C19"), Some("C18,C19".to_string()));
        assert_eq!(normal("C50-C50"), Some("C50".to_string()));
        assert_eq!(normal("D08-D10"), Some("D08,D09,D10".to_string()));
        let whole_letter = icd10_normalise("A00-A99").expect("a whole letter");
        assert_eq!(whole_letter.len(), 100);
        assert_eq!((&*whole_letter[0], &*whole_letter[99]), ("A00", "A99"));
    }

    #[test]
    fn icd10_normalise_rejects_malformed_codes_and_ranges() {
        for bad in [
            "",
            "   ",
            "C5",
            "A40.",
            "A40.123",
            "A4012345",
            "C501234",
            "I 21",
            "I21 .0",
            "40A",
            "C20-C18",
            "C90-D10",
            "C18-",
            "-C20",
            "C18-C20-C22",
            "C18.1-C18.4",
            "C18-C20.9",
            "C00-C9999999999999999999",
            "C\u{0130}1",
            "Ä40",
        ] {
            assert_eq!(normal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn icd10_between_compares_categories() {
        assert!(icd10_between("C50.11", "C00", "D48"));
        assert!(icd10_between("D48.9", "C00", "D48"));
        assert!(!icd10_between("D49", "C00", "D48"));
        assert!(!icd10_between("A40", "C00", "D48"));
        assert!(!icd10_between("bad", "C00", "D48"));
    }

    #[test]
    fn email_needs_a_local_part_and_a_dotted_domain() {
        assert!(is_email("kari.nordmann@example.org"));
        for bad in [
            "",
            "kari",
            "@example.org",
            "kari@",
            "kari@example",
            "kari @example.org",
            "a@b@c.no",
            "kari@example..org",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn settings_become_the_script_values_serde_would_make() {
        let json = serde_json::json!({
            "b": { "int": -3, "big": u64::MAX, "float": 1.5, "none": null },
            "a": [true, "text", [1, { "z": 1, "y": 2 }]],
        });
        let ours = to_dynamic(&json);
        let serde: Dynamic = rhai::serde::to_dynamic(&json).expect("converts");
        assert_eq!(format!("{ours:?}"), format!("{serde:?}"));
        assert_eq!(ours.type_name(), serde.type_name());
        let big = lookup(&ours, ["b", "big"].into_iter()).expect("found");
        assert!(big.is_float(), "{big:?}");
        let int = lookup(&ours, ["b", "int"].into_iter()).expect("found");
        assert_eq!(int.as_int(), Ok(-3));
    }

    #[test]
    fn blank_covers_unit_spaces_and_empty_collections() {
        assert!(is_blank(&Dynamic::UNIT));
        assert!(is_blank(&Dynamic::from("  \n")));
        assert!(is_blank(&Dynamic::from(Array::new())));
        assert!(!is_blank(&Dynamic::from("x")));
        assert!(!is_blank(&Dynamic::from(0_i64)));
    }
}
