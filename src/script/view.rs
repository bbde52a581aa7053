//! The application as rule scripts see it: a Rhai map with every contract field
//! present, dates as Oslo `YYYY-MM-DD` strings, and each source enriched with its
//! catalog entry on the received date.

use crate::catalog::Form;
use crate::model::application::Application;
use crate::ruleset::RuleSet;
use chrono::NaiveDate;
use rhai::{Array, Dynamic, Map};

/// The fields of `app` as scripts see them, with what each means. Kept beside
/// `script_view`, which a test holds to this list.
pub const SCRIPT_FIELDS: &[(&str, &str)] = &[
    ("id", "the case number, e.g. `\"HDS-2026-0142\"`"),
    ("submitted_at", "when the form arrived, as written (a timestamp with offset, or a date)"),
    ("received_on", "the Oslo local date of `submitted_at`"),
    ("data_kind", "`\"aggregated\"` or `\"identifiable\"`"),
    ("applicant", "`#{name, organisation, email, role}`"),
    ("project", "`#{title, description, purpose}`"),
    ("sources", "the sources listed, each as below"),
    ("attachments", "`[#{kind, file, received_at, received_on}]`; `received_on` is the Oslo date of arrival (the submission's when not given)"),
    ("linking", "`()` when not requested, else `#{comment}`"),
    ("language", "`\"nb\"`, `\"nn\"`, `\"en\"` or `()`"),
    ("extra", "whatever the application carries under `extra`, or `()`"),
];

/// The fields of each source as scripts see them.
pub const SOURCE_FIELDS: &[(&str, &str)] = &[
    ("id", "the source id as written"),
    ("variables", "the variables wanted (`[]` when absent)"),
    ("icd10", "the ICD-10 codes given (`[]` when absent)"),
    ("years", "`#{from, to}` or `()`"),
    ("known", "whether the catalog has this id"),
    (
        "custodian",
        "the custodian holding it on the received date, or `()`",
    ),
    ("name", "its English name from the catalog"),
    (
        "form",
        "`\"helsedataservice\"` (processed here) or `\"own\"` (its own form)",
    ),
    ("form_url", "the address of its own form, or `()`"),
    ("purposes", "the purposes it may be used for"),
];

/// A source of the application as the catalog describes it on the received date.
#[derive(Debug, Clone)]
pub(crate) struct ResolvedSource {
    pub(crate) id: String,
    pub(crate) known: bool,
    pub(crate) custodian: Option<String>,
    pub(crate) form: Option<Form>,
}

impl RuleSet {
    pub(crate) fn resolve_sources(&self, app: &Application, on: NaiveDate) -> Vec<ResolvedSource> {
        app.sources
            .iter()
            .map(|s| match self.catalog().source_on(&s.id, on) {
                Some(found) => ResolvedSource {
                    id: s.id.clone(),
                    known: true,
                    custodian: found.custodian.map(str::to_string),
                    form: Some(found.entry.form),
                },
                None => ResolvedSource {
                    id: s.id.clone(),
                    known: false,
                    custodian: None,
                    form: None,
                },
            })
            .collect()
    }

    /// The application as scripts see it: every contract field present (`()` when
    /// absent, `[]` for absent lists), dates added as Oslo `YYYY-MM-DD` strings, and
    /// each source enriched with its catalog entry as of the received date.
    pub(crate) fn script_view(&self, app: &Application, resolved: &[ResolvedSource]) -> Map {
        let received_on = app.received_on();
        let mut m = Map::new();
        m.insert("id".into(), app.id.clone().into());
        m.insert("submitted_at".into(), app.submitted_at.as_str().into());
        m.insert("received_on".into(), received_on.to_string().into());
        m.insert("data_kind".into(), to_dynamic(&app.data_kind));
        m.insert("applicant".into(), to_dynamic(&app.applicant));
        m.insert("project".into(), to_dynamic(&app.project));
        let mut sources = Array::new();
        for (s, r) in app.sources.iter().zip(resolved) {
            let mut sm = Map::new();
            sm.insert("id".into(), s.id.clone().into());
            sm.insert("variables".into(), string_list(s.variables.as_deref()));
            sm.insert("icd10".into(), string_list(s.icd10.as_deref()));
            sm.insert("years".into(), to_dynamic(&s.years));
            sm.insert("known".into(), r.known.into());
            sm.insert("custodian".into(), opt(r.custodian.clone()));
            let entry = self.catalog().file.sources.get(&s.id);
            sm.insert("name".into(), opt(entry.map(|e| e.name_en.clone())));
            sm.insert("form".into(), opt(r.form.map(|f| f.as_str().to_string())));
            sm.insert(
                "form_url".into(),
                opt(entry.and_then(|e| e.form_url.clone())),
            );
            sm.insert(
                "purposes".into(),
                string_list(entry.map(|e| e.purposes.as_slice())),
            );
            sources.push(sm.into());
        }
        m.insert("sources".into(), sources.into());
        let mut attachments = Array::new();
        for a in &app.attachments {
            let mut am = Map::new();
            am.insert("kind".into(), a.kind.as_str().into());
            am.insert("file".into(), a.file.clone().into());
            am.insert(
                "received_at".into(),
                opt(a.received_at.as_ref().map(|r| r.as_str().to_string())),
            );
            am.insert(
                "received_on".into(),
                app.attachment_received_on(a).to_string().into(),
            );
            attachments.push(am.into());
        }
        m.insert("attachments".into(), attachments.into());
        m.insert("linking".into(), to_dynamic(&app.linking));
        m.insert("language".into(), to_dynamic(&app.language));
        m.insert("extra".into(), to_dynamic(&app.extra));
        m
    }

    /// The sources of `view` (as script maps) that belong to `custodian`, or all.
    pub(crate) fn sources_for(
        &self,
        view: &Map,
        resolved: &[ResolvedSource],
        custodian: Option<&str>,
    ) -> Array {
        let all = view
            .get("sources")
            .and_then(|s| s.read_lock::<Array>().map(|a| a.clone()))
            .unwrap_or_default();
        match custodian {
            None => all,
            Some(c) => all
                .into_iter()
                .zip(resolved)
                .filter(|(_, r)| {
                    r.known
                        && r.form == Some(Form::Helsedataservice)
                        && r.custodian.as_deref() == Some(c)
                })
                .map(|(s, _)| s)
                .collect(),
        }
    }
}

fn opt(v: Option<String>) -> Dynamic {
    v.map(Dynamic::from).unwrap_or(Dynamic::UNIT)
}

fn string_list(v: Option<&[String]>) -> Dynamic {
    v.unwrap_or_default()
        .iter()
        .cloned()
        .map(Dynamic::from)
        .collect::<Array>()
        .into()
}

fn to_dynamic<T: serde::Serialize>(v: &T) -> Dynamic {
    rhai::serde::to_dynamic(v).unwrap_or(Dynamic::UNIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_fields_are_exactly_the_fields_scripts_see() {
        let rules = RuleSet::built_in().expect("built-in rules");
        let record = crate::input::parse_yaml(
            "t.yaml",
            "id: T\nsubmitted_at: 2026-03-02\ndata_kind: aggregated\nsources: [{id: npr}]\n",
        );
        let app = record.result.expect("parses");
        let resolved = rules.resolve_sources(&app, app.received_on());
        let view = rules.script_view(&app, &resolved);
        let mut seen: Vec<&str> = view.keys().map(|k| k.as_str()).collect();
        let mut documented: Vec<&str> = SCRIPT_FIELDS.iter().map(|(f, _)| *f).collect();
        seen.sort();
        documented.sort();
        assert_eq!(seen, documented);
        let source = view["sources"].read_lock::<Array>().expect("array")[0]
            .read_lock::<Map>()
            .expect("map")
            .clone();
        let mut seen: Vec<&str> = source.keys().map(|k| k.as_str()).collect();
        let mut documented: Vec<&str> = SOURCE_FIELDS.iter().map(|(f, _)| *f).collect();
        seen.sort();
        documented.sort();
        assert_eq!(seen, documented);
    }
}
