//! The data-source catalog: which custodian holds each source (with dated changes),
//! which form handles it, and what it may be used for.

use crate::error::Diagnostic;
use crate::yaml;
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `rules/catalog.yaml` as written.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    /// Values reused below through YAML anchors; not read otherwise.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub anchors: Option<yaml::Value>,
    pub custodians: BTreeMap<String, CustodianInfo>,
    pub purposes: Vec<String>,
    pub sources: BTreeMap<String, SourceEntry>,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustodianInfo {
    pub name_nb: String,
    pub name_en: String,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    pub name_nb: String,
    pub name_en: String,
    /// One custodian id, `null` (held outside the five), or dated periods.
    #[serde(default)]
    pub custodian: CustodianField,
    pub form: Form,
    #[serde(default)]
    pub form_url: Option<String>,
    pub purposes: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum CustodianField {
    #[default]
    None,
    One(String),
    Dated(Vec<CustodianPeriod>),
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustodianPeriod {
    pub custodian: String,
    #[serde(default)]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    pub until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// The common form, processed by Helsedataservice.
    Helsedataservice,
    /// The source has its own form: redirect.
    Own,
}

impl Form {
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Helsedataservice => "helsedataservice",
            Form::Own => "own",
        }
    }
}

/// A source as the catalog describes it on one date.
#[derive(Debug, Clone)]
pub struct SourceOnDate<'a> {
    pub id: &'a str,
    pub entry: &'a SourceEntry,
    pub custodian: Option<&'a str>,
}

/// The loaded, checked catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub file: CatalogFile,
}

impl Catalog {
    /// Parses and checks `catalog.yaml`; `path` is used in messages.
    pub fn load(path: &str, text: &str) -> Result<Catalog, Vec<Diagnostic>> {
        let file: CatalogFile =
            yaml::from_str(text).map_err(|e| vec![Diagnostic::from_yaml(path, &e)])?;
        let index = yaml::Index::of(text);
        let mut problems = Vec::new();
        let vocabulary = &file.purposes;
        for (id, source) in &file.sources {
            // Each problem points at the node it is about (`sources.npr.form`).
            let at = |node: &str, message: String| {
                Diagnostic::error(path, message)
                    .at_position(index.nearest(&format!("sources.{id}{node}")))
            };
            for (i, p) in source.purposes.iter().enumerate() {
                if !vocabulary.contains(p) {
                    problems.push(at(
                        &format!(".purposes[{i}]"),
                        format!(
                            "source '{id}': purpose '{p}' is not in the purpose vocabulary ({})",
                            vocabulary.join(", ")
                        ),
                    ));
                }
            }
            if source.form == Form::Own
                && source.form_url.as_deref().unwrap_or("").trim().is_empty()
            {
                problems.push(at(
                    ".form",
                    format!(
                        "source '{id}' has its own form but no form_url; expected the address of that form"
                    ),
                ));
            }
            let named: Vec<(String, &str)> = match &source.custodian {
                CustodianField::None => vec![],
                CustodianField::One(c) => vec![(".custodian".to_string(), c.as_str())],
                CustodianField::Dated(periods) => {
                    if let Some(problem) = check_periods(periods) {
                        problems.push(at(
                            ".custodian",
                            format!("source '{id}': custodian periods {problem}"),
                        ));
                    }
                    periods
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (format!(".custodian[{i}].custodian"), p.custodian.as_str()))
                        .collect()
                }
            };
            for (node, c) in named {
                if !file.custodians.contains_key(c) {
                    problems.push(at(
                        &node,
                        format!(
                            "source '{id}' names custodian '{c}', which is not under `custodians` ({})",
                            file.custodians
                                .keys()
                                .cloned()
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(Catalog { file })
        } else {
            Err(problems)
        }
    }

    /// A catalog with nothing in it (a stand-in while checking a broken rule set).
    pub fn empty() -> Catalog {
        Catalog {
            file: CatalogFile {
                anchors: None,
                custodians: BTreeMap::new(),
                purposes: vec![],
                sources: BTreeMap::new(),
            },
        }
    }

    pub fn purposes(&self) -> &[String] {
        &self.file.purposes
    }

    pub fn custodian_ids(&self) -> impl Iterator<Item = &str> {
        self.file.custodians.keys().map(String::as_str)
    }

    pub fn custodian(&self, id: &str) -> Option<&CustodianInfo> {
        self.file.custodians.get(id)
    }

    /// The source `id` as of `date`, or `None` when the catalog does not know it.
    pub fn source_on(&self, id: &str, date: NaiveDate) -> Option<SourceOnDate<'_>> {
        let (key, entry) = self.file.sources.get_key_value(id)?;
        let custodian = match &entry.custodian {
            CustodianField::None => None,
            CustodianField::One(c) => Some(c.as_str()),
            CustodianField::Dated(periods) => periods
                .iter()
                .find(|p| p.from.is_none_or(|f| f <= date) && p.until.is_none_or(|u| date <= u))
                .map(|p| p.custodian.as_str()),
        };
        Some(SourceOnDate {
            id: key,
            entry,
            custodian,
        })
    }
}

/// Dated periods must follow each other without overlap or gap, the first open at the
/// start and the last open at the end.
fn check_periods(periods: &[CustodianPeriod]) -> Option<String> {
    let mut sorted: Vec<&CustodianPeriod> = periods.iter().collect();
    sorted.sort_by_key(|p| p.from);
    let first = sorted.first()?;
    if first.from.is_some() {
        return Some(format!(
            "leave a gap: no custodian before {}; expected the first period without `from`",
            first.from.map(|d| d.to_string()).unwrap_or_default()
        ));
    }
    for pair in sorted.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        match (a.until, b.from) {
            (Some(until), Some(from)) if until.succ_opt() == Some(from) => {}
            (Some(until), Some(from)) if from <= until => {
                return Some(format!("overlap: {from} is before the end of the previous period ({until})"))
            }
            (Some(until), Some(from)) => {
                return Some(format!("leave a gap between {until} and {from}"))
            }
            _ => {
                return Some(
                    "are not contiguous: expected each period but the last to end with `until` and the next to start the day after with `from`".to_string(),
                )
            }
        }
    }
    let last = sorted.last()?;
    if let Some(until) = last.until {
        return Some(format!(
            "leave a gap: no custodian after {until}; expected the last period without `until`"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"
custodians:
  a: {name_nb: A, name_en: A}
  b: {name_nb: B, name_en: B}
purposes: [research, statistics]
sources:
  moved:
    name_nb: M
    name_en: M
    custodian:
      - {custodian: a, until: 2023-12-31}
      - {custodian: b, from: 2024-01-01}
    form: helsedataservice
    purposes: [research]
  outside:
    name_nb: O
    name_en: O
    custodian: null
    form: own
    form_url: https://example.org
    purposes: [research]
"#;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn dated_custodian_is_chosen_by_date_on_both_sides_of_the_change() {
        let c = Catalog::load("catalog.yaml", TEXT).expect("loads");
        assert_eq!(
            c.source_on("moved", d(2023, 12, 31))
                .and_then(|s| s.custodian),
            Some("a")
        );
        assert_eq!(
            c.source_on("moved", d(2024, 1, 1))
                .and_then(|s| s.custodian),
            Some("b")
        );
        assert_eq!(
            c.source_on("outside", d(2024, 1, 1))
                .and_then(|s| s.custodian),
            None
        );
        assert!(c.source_on("nope", d(2024, 1, 1)).is_none());
    }

    #[test]
    fn overlapping_periods_are_an_error() {
        let text = TEXT.replace("from: 2024-01-01", "from: 2023-06-01");
        let err = Catalog::load("catalog.yaml", &text).unwrap_err();
        assert!(err[0].message.contains("overlap"), "{}", err[0]);
        assert_eq!((err[0].line, err[0].column), (Some(11), Some(7)));
    }

    #[test]
    fn gap_between_periods_is_an_error() {
        let text = TEXT.replace("from: 2024-01-01", "from: 2024-02-01");
        let err = Catalog::load("catalog.yaml", &text).unwrap_err();
        assert!(err[0].message.contains("gap"), "{}", err[0]);
    }

    #[test]
    fn own_form_without_url_is_an_error() {
        let text = TEXT.replace("    form_url: https://example.org\n", "");
        let err = Catalog::load("catalog.yaml", &text).unwrap_err();
        assert!(err[0].message.contains("form_url"), "{}", err[0]);
        assert_eq!((err[0].line, err[0].column), (Some(19), Some(11)));
    }

    #[test]
    fn purpose_outside_vocabulary_and_unknown_custodian_are_errors() {
        let text = TEXT
            .replace(
                "form: helsedataservice\n    purposes: [research]",
                "form: helsedataservice\n    purposes: [fun]",
            )
            .replace("{custodian: b, from", "{custodian: c, from");
        let err = Catalog::load("catalog.yaml", &text).unwrap_err();
        let at = |needle: &str| {
            err.iter()
                .find(|d| d.message.contains(needle))
                .map(|d| (d.line, d.column))
        };
        // Each points at the value it names, not at the first line with the text.
        assert_eq!(at("'fun'"), Some((Some(14), Some(16))));
        assert_eq!(at("custodian 'c'"), Some((Some(12), Some(21))));
    }
}
