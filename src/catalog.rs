//! The data-source catalog: which custodian holds each source (with dated changes),
//! which form handles it, and what it may be used for.

use crate::error::Diagnostic;
use crate::yaml;
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `rules/catalog.yaml` as written: the custodians, the purpose vocabulary, and every
/// data source an application may name.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    /// Values reused below through YAML anchors; not read otherwise.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub anchors: Option<yaml::Value>,
    /// The data custodians, by id (e.g. `niph`): the ids that sources and rule folders
    /// name, each with its display names.
    pub custodians: BTreeMap<String, CustodianInfo>,
    /// The purpose vocabulary: every word an application's `project.purpose` and a
    /// source's `purposes` may use, e.g. `research`, `statistics`.
    pub purposes: Vec<String>,
    /// The data sources, by the id applications use in `sources[].id` (e.g. `msis`).
    pub sources: BTreeMap<String, SourceEntry>,
}

/// A data custodian's names, for messages and listings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustodianInfo {
    /// The name in Norwegian Bokmål, e.g. `Folkehelseinstituttet (FHI)`.
    pub name_nb: String,
    /// The name in English, e.g. `Norwegian Institute of Public Health (NIPH)`;
    /// what the rules' `custodian_name(id)` gives.
    pub name_en: String,
}

/// One data source: who holds it, which form handles it, what it may be used for.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    /// The source's name in Norwegian Bokmål, e.g. `Meldingssystem for smittsomme
    /// sykdommer (MSIS)`.
    pub name_nb: String,
    /// The source's name in English, shown to scripts as `s.name` and in explanations.
    pub name_en: String,
    /// Who holds the source: one custodian id from `custodians`, `null` or absent
    /// (held outside the five custodians), or dated periods when the custodian
    /// changed.
    #[serde(default)]
    pub custodian: CustodianField,
    /// Which form handles the source: `helsedataservice` (processed here) or `own`
    /// (redirected to the source's own form at `form_url`).
    pub form: Form,
    /// The address of the source's own form; required when `form` is `own`.
    #[serde(default)]
    pub form_url: Option<String>,
    /// What the source may be used for: words of the purpose vocabulary, which the
    /// eligibility rules compare with the application's `project.purpose`.
    pub purposes: Vec<String>,
}

/// Who holds a source, as `custodian:` may be written in the catalog.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum CustodianField {
    /// `null` or absent: held outside the five custodians.
    #[default]
    None,
    /// One custodian id from `custodians`, on every date.
    One(String),
    /// Dated periods, for a source whose custodian changed: each period but the last
    /// ends with `until`, the next starts the day after with `from`; the first has no
    /// `from` and the last no `until`.
    Dated(Vec<CustodianPeriod>),
}

/// One period during which a custodian held a source.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustodianPeriod {
    /// The custodian id from `custodians` that held the source in this period.
    pub custodian: String,
    /// The first day of the period, `YYYY-MM-DD`; absent for the first period.
    #[serde(default)]
    pub from: Option<NaiveDate>,
    /// The last day of the period (included), `YYYY-MM-DD`; absent for the last
    /// period.
    #[serde(default)]
    pub until: Option<NaiveDate>,
}

/// Which form an application for a source goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// The common form, processed by Helsedataservice.
    Helsedataservice,
    /// The source has its own form: redirect.
    Own,
}

impl Form {
    /// The form as written in the catalog and shown to scripts (`s.form`).
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Helsedataservice => "helsedataservice",
            Form::Own => "own",
        }
    }
}

/// A source as the catalog describes it on one date: what routing needs, with dated
/// custodians already resolved.
#[derive(Debug, Clone)]
pub struct SourceOnDate<'a> {
    /// The source id as the catalog spells it.
    pub id: &'a str,
    /// The source's entry, for its names, form and purposes.
    pub entry: &'a SourceEntry,
    /// The custodian holding the source on that date; `None` when held outside the
    /// five custodians.
    pub custodian: Option<&'a str>,
}

/// The loaded, checked catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The file as read; every check of [`Catalog::load`] has passed.
    pub file: CatalogFile,
}

impl Catalog {
    /// Parses and checks `catalog.yaml`; `path` is used in messages.
    pub fn load(path: &str, text: &str) -> Result<Catalog, Vec<Diagnostic>> {
        let file: CatalogFile = yaml::from_str(text).map_err(|e| vec![e.diagnostic(path)])?;
        // Where each node is, worked out only when a problem needs placing.
        let index = std::cell::OnceCell::new();
        let mut problems = Vec::new();
        let vocabulary = &file.purposes;
        for (id, source) in &file.sources {
            // Each problem points at the node it is about (`sources.npr.form`).
            let at = |node: &str, message: String| {
                let index = index.get_or_init(|| yaml::Index::of(text));
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

    /// The purpose vocabulary, in catalog order, for checks and messages.
    pub fn purposes(&self) -> &[String] {
        &self.file.purposes
    }

    /// Every custodian id, sorted: the custodians a route may name.
    pub fn custodian_ids(&self) -> impl Iterator<Item = &str> {
        self.file.custodians.keys().map(String::as_str)
    }

    /// The custodian `id`'s names, or `None` when the catalog does not know it.
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

/// One source an application lists, as the catalog describes it on the received
/// date: what the pipeline routes by and what scripts see of it.
#[derive(Debug, Clone)]
pub struct ResolvedSource<'c> {
    /// The source id as the application wrote it.
    pub id: String,
    /// The custodian holding it on the date, or `None` (unknown, or held outside).
    pub custodian: Option<&'c str>,
    /// Its catalog entry, or `None` when the catalog does not know the id.
    pub entry: Option<&'c SourceEntry>,
}

impl ResolvedSource<'_> {
    /// Whether the catalog knows this source.
    pub fn known(&self) -> bool {
        self.entry.is_some()
    }

    /// The form that handles it, when known.
    pub fn form(&self) -> Option<Form> {
        self.entry.map(|e| e.form)
    }

    /// Known and processed here (not redirected to a form of its own).
    pub fn handled_here(&self) -> bool {
        self.form() == Some(Form::Helsedataservice)
    }
}

impl Catalog {
    /// Each of `ids` as the catalog describes it on `date`, in the order given.
    pub fn resolve<'c, 'i>(
        &'c self,
        ids: impl IntoIterator<Item = &'i str>,
        date: NaiveDate,
    ) -> Vec<ResolvedSource<'c>> {
        ids.into_iter()
            .map(|id| match self.source_on(id, date) {
                Some(found) => ResolvedSource {
                    id: id.to_string(),
                    custodian: found.custodian,
                    entry: Some(found.entry),
                },
                None => ResolvedSource {
                    id: id.to_string(),
                    custodian: None,
                    entry: None,
                },
            })
            .collect()
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
