//! The application as rule scripts see it: a Rhai map with every contract field
//! present, dates as Oslo `YYYY-MM-DD` strings, and each source enriched with its
//! catalog entry on the received date.

use super::frozen::{self, Frozen};
use crate::catalog::ResolvedSource;
use crate::model::application::Application;
use rhai::{Array, Dynamic, ImmutableString};

/// The fields of `app` as scripts see them, with what each means. Kept beside
/// `AppView::new`, which a test holds to this list.
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
    ("update_of", "the case id of an earlier decision this application updates, or `()`"),
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

/// The fields of the route a deadline function gets.
pub const ROUTE_FIELDS: &[(&str, &str)] = &[
    ("custodian", "the custodian whose sub-case this is"),
    ("sources", "the sources routed to this custodian, in id order"),
    (
        "routed_sources",
        "every source that joins a route of the application, this one's or another custodian's (sent by the routing rules and not ineligible), distinct and in id order",
    ),
    (
        "working_days",
        "as the rules before this one left it; `()` for the common rule",
    ),
    (
        "reason",
        "as the rules before this one left it; `()` for the common rule",
    ),
    (
        "calendar",
        "as the rules before this one left it; the common rule sees the custodian's calendar from `deadline.calendars` in the settings",
    ),
    (
        "complete_on",
        "the date the application became complete (YYYY-MM-DD), the day the clock starts from; `()` while it is incomplete. A dated setting of the deadline is read by it: `setting_on(\"deadline.working_days\", route.complete_on ?? app.received_on)`",
    ),
];

/// The fields of the maps inside the application: applicant, project, years,
/// attachments, linking.
const NESTED_FIELDS: &[&str] = &[
    "name",
    "organisation",
    "email",
    "role",
    "title",
    "description",
    "purpose",
    "from",
    "to",
    "kind",
    "file",
    "received_at",
    "received_on",
    "comment",
];

/// Every field name of the maps scripts get (application, sources, route, and the
/// maps inside them, but not whatever `extra` holds): each is read by a getter of
/// its own.
pub fn field_names() -> impl Iterator<Item = &'static str> {
    SCRIPT_FIELDS
        .iter()
        .chain(SOURCE_FIELDS)
        .chain(ROUTE_FIELDS)
        .map(|(f, _)| *f)
        .chain(NESTED_FIELDS.iter().copied())
}

/// The application as scripts see it, built once per evaluation and shared by
/// every stage call.
#[derive(Debug, Clone)]
pub struct AppView {
    pub(crate) app: Dynamic,
    /// Every listed source as a script map, in the order listed.
    sources: Vec<Dynamic>,
}

/// The sources one stage call gets as its second argument.
#[derive(Debug, Clone)]
pub struct SourcesView(pub(crate) Dynamic);

impl AppView {
    /// The application as scripts see it: every contract field present (`()` when
    /// absent, `[]` for absent lists), dates added as Oslo `YYYY-MM-DD` strings, and
    /// each source enriched with its catalog entry as of the received date
    /// (`resolved`, one per listed source, in order).
    pub fn new(app: &Application, resolved: &[ResolvedSource<'_>]) -> AppView {
        let received_on = app.received_on();
        let mut sources = Vec::with_capacity(app.sources.len());
        for (s, r) in app.sources.iter().zip(resolved) {
            let entry = r.entry;
            // In the key order of frozen::SOURCE.
            sources.push(Frozen::shaped(
                &frozen::SOURCE,
                vec![
                    opt(r.custodian),
                    opt(r.form().map(|f| f.as_str())),
                    opt(entry.and_then(|e| e.form_url.as_deref())),
                    string_list(s.icd10.as_deref()),
                    text(&s.id),
                    r.known().into(),
                    opt(entry.map(|e| e.name_en.as_str())),
                    string_list(entry.map(|e| e.purposes.as_slice())),
                    string_list(s.variables.as_deref()),
                    frozen(&s.years),
                ],
            ));
        }
        let attachments: Array = app
            .attachments
            .iter()
            .map(|a| {
                // In the key order of frozen::ATTACHMENT.
                Frozen::shaped(
                    &frozen::ATTACHMENT,
                    vec![
                        text(&a.file),
                        a.kind.as_str().into(),
                        opt(a.received_at.as_ref().map(|r| r.as_str())),
                        date(app.attachment_received_on(a)),
                    ],
                )
            })
            .collect();
        // In the key order of frozen::APP.
        let view = Frozen::shaped(
            &frozen::APP,
            vec![
                // In the key order of frozen::APPLICANT.
                Frozen::shaped(
                    &frozen::APPLICANT,
                    vec![
                        opt(app.applicant.email.as_deref()),
                        opt(app.applicant.name.as_deref()),
                        opt(app.applicant.organisation.as_deref()),
                        app.applicant
                            .role
                            .as_ref()
                            .map_or(Dynamic::UNIT, to_dynamic),
                    ],
                ),
                attachments.into(),
                to_dynamic(&app.data_kind),
                frozen(&app.extra),
                text(&app.id),
                to_dynamic(&app.language),
                frozen(&app.linking),
                // In the key order of frozen::PROJECT.
                Frozen::shaped(
                    &frozen::PROJECT,
                    vec![
                        opt(app.project.description.as_deref()),
                        opt(app.project.purpose.as_deref()),
                        opt(app.project.title.as_deref()),
                    ],
                ),
                date(received_on),
                sources.clone().into(),
                app.submitted_at.as_str().into(),
                opt(app.update_of.as_deref()),
            ],
        );
        AppView { app: view, sources }
    }

    /// Every listed source (the coordinator's stage calls get these).
    pub fn all_sources(&self) -> SourcesView {
        SourcesView(self.sources.clone().into())
    }

    /// The listed sources for which `keep(i)` holds, `i` the index in the listing.
    pub fn sources_where(&self, keep: impl Fn(usize) -> bool) -> SourcesView {
        let picked: Array = self
            .sources
            .iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .map(|(_, s)| s.clone())
            .collect();
        SourcesView(picked.into())
    }

    /// The field names of the application map, for the reference test.
    #[cfg(test)]
    fn fields(&self) -> Vec<String> {
        self.app
            .read_lock::<Frozen>()
            .map(|m| m.keys().map(str::to_string).collect())
            .unwrap_or_default()
    }
}

/// The route a deadline function gets: the fields of [`ROUTE_FIELDS`].
#[derive(Debug, Clone)]
pub struct RouteView(pub(crate) Dynamic);

impl RouteView {
    /// The route as the next deadline function sees it; `routed_sources` is every
    /// source of the application that joins any route.
    pub fn new(
        custodian: &str,
        sources: &[String],
        routed_sources: &[String],
        working_days: Option<i64>,
        reason: Option<&str>,
        calendar: &str,
        complete_on: Option<chrono::NaiveDate>,
    ) -> RouteView {
        // In the key order of frozen::ROUTE.
        RouteView(Frozen::shaped(
            &frozen::ROUTE,
            vec![
                calendar.into(),
                complete_on.map_or(Dynamic::UNIT, date),
                custodian.into(),
                opt(reason),
                string_list(Some(routed_sources)),
                string_list(Some(sources)),
                working_days.map_or(Dynamic::UNIT, Dynamic::from),
            ],
        ))
    }
}

/// A script string made from `s` (no intermediate `String`).
fn text(s: &str) -> Dynamic {
    Dynamic::from(ImmutableString::from(s))
}

/// A date as scripts see it, `YYYY-MM-DD`.
fn date(d: chrono::NaiveDate) -> Dynamic {
    crate::model::ymd::with_iso_date(d, text)
}

fn opt(v: Option<&str>) -> Dynamic {
    v.map_or(Dynamic::UNIT, text)
}

fn string_list(v: Option<&[String]>) -> Dynamic {
    v.unwrap_or_default()
        .iter()
        .map(|s| text(s))
        .collect::<Array>()
        .into()
}

fn to_dynamic<T: serde::Serialize>(v: &T) -> Dynamic {
    rhai::serde::to_dynamic(v).unwrap_or(Dynamic::UNIT)
}

/// A value as scripts see it, every map in it read-only.
fn frozen<T: serde::Serialize>(v: &T) -> Dynamic {
    Frozen::deep(to_dynamic(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_fields_are_exactly_the_fields_scripts_see() {
        let catalog_text = include_str!("../../rules/catalog.yaml");
        let catalog = crate::catalog::Catalog::load("catalog.yaml", catalog_text).expect("catalog");
        let record = crate::input::parse_yaml(
            "t.yaml",
            "id: T\nsubmitted_at: 2026-03-02\ndata_kind: aggregated\nsources: [{id: npr}]\n",
        );
        let app = record.result.expect("parses");
        let resolved =
            catalog.resolve(app.sources.iter().map(|s| s.id.as_str()), app.received_on());
        let view = AppView::new(&app, &resolved);
        let mut seen = view.fields();
        let mut documented: Vec<String> =
            SCRIPT_FIELDS.iter().map(|(f, _)| f.to_string()).collect();
        seen.sort();
        documented.sort();
        assert_eq!(seen, documented);
        let route = RouteView::new("niph", &[], &[], None, None, "niph", None);
        let route = route.0.read_lock::<Frozen>().expect("map").clone();
        let mut seen: Vec<&str> = route.keys().collect();
        let mut documented: Vec<&str> = ROUTE_FIELDS.iter().map(|(f, _)| *f).collect();
        seen.sort();
        documented.sort();
        assert_eq!(seen, documented);
        let source = view.sources[0].read_lock::<Frozen>().expect("map").clone();
        let mut seen: Vec<&str> = source.keys().collect();
        let mut documented: Vec<&str> = SOURCE_FIELDS.iter().map(|(f, _)| *f).collect();
        seen.sort();
        documented.sort();
        assert_eq!(seen, documented);
    }

    /// Every key of every map under `value`, but not under `extra`.
    fn keys_under(value: &Dynamic, out: &mut std::collections::BTreeSet<String>) {
        if let Some(map) = value.read_lock::<Frozen>() {
            for key in map.keys().filter(|k| *k != "extra") {
                out.insert(key.to_string());
                keys_under(&map.get(key), out);
            }
        } else if let Some(items) = value.read_lock::<Array>() {
            items.iter().for_each(|i| keys_under(i, out));
        }
    }

    /// `check` of the contract's example application, its sources as the shipped
    /// catalog resolves them, and its view.
    fn with_example_view(check: impl FnOnce(&Application, &[ResolvedSource<'_>], &AppView)) {
        let catalog_text = include_str!("../../rules/catalog.yaml");
        let catalog = crate::catalog::Catalog::load("catalog.yaml", catalog_text).expect("catalog");
        let record = crate::input::parse_yaml(
            "application.example.yaml",
            include_str!("../../tests/cases/contract/application.example.yaml"),
        );
        let app = record.result.expect("the contract example parses");
        let resolved =
            catalog.resolve(app.sources.iter().map(|s| s.id.as_str()), app.received_on());
        check(&app, &resolved, &AppView::new(&app, &resolved));
    }

    #[test]
    fn each_field_of_a_view_holds_its_own_value() {
        // The views are built value by value in key order: a value in the wrong
        // place would still give every key. Read each back by name.
        with_example_view(|app, resolved, view| {
            let read = |value: &Dynamic, path: &[&str]| -> String {
                let mut v = value.clone();
                for key in path {
                    v = super::frozen::field(&v, key).expect("a map");
                }
                super::frozen::thaw(v).to_string()
            };
            let serde = |v: Dynamic| super::frozen::thaw(v).to_string();
            assert_eq!(read(&view.app, &["id"]), app.id);
            assert_eq!(
                read(&view.app, &["submitted_at"]),
                app.submitted_at.as_str()
            );
            assert_eq!(
                read(&view.app, &["received_on"]),
                app.received_on().to_string()
            );
            assert_eq!(
                read(&view.app, &["applicant"]),
                serde(frozen(&app.applicant))
            );
            assert_eq!(read(&view.app, &["project"]), serde(frozen(&app.project)));
            assert_eq!(read(&view.app, &["linking"]), serde(frozen(&app.linking)));
            assert_eq!(read(&view.app, &["data_kind"]), "aggregated");
            let source = &view.sources[0];
            assert_eq!(read(source, &["id"]), "npr");
            assert_eq!(read(source, &["known"]), "true");
            assert_eq!(read(source, &["form"]), "helsedataservice");
            assert_eq!(
                read(source, &["custodian"]),
                resolved[0].custodian.unwrap_or_default()
            );
            assert_eq!(
                read(source, &["variables"]),
                serde(string_list(app.sources[0].variables.as_deref()))
            );
            assert_eq!(
                read(source, &["purposes"]),
                serde(string_list(
                    resolved[0].entry.map(|e| e.purposes.as_slice())
                ))
            );
            let attachment = super::frozen::field(&view.app, "attachments")
                .and_then(|a| a.into_array().ok())
                .and_then(|a| a.into_iter().next())
                .expect("an attachment");
            assert_eq!(read(&attachment, &["kind"]), "sample_table");
            assert_eq!(read(&attachment, &["file"]), "utvalgstabell.xlsx");
            let day = app.received_on();
            let route = RouteView::new(
                "niph",
                &["npr".into()],
                &["msis".into(), "npr".into()],
                Some(30),
                Some("r"),
                "niph-cal",
                Some(day),
            );
            assert_eq!(read(&route.0, &["custodian"]), "niph");
            assert_eq!(read(&route.0, &["calendar"]), "niph-cal");
            assert_eq!(read(&route.0, &["sources"]), "[\"npr\"]");
            assert_eq!(read(&route.0, &["routed_sources"]), "[\"msis\", \"npr\"]");
            assert_eq!(read(&route.0, &["working_days"]), "30");
            assert_eq!(read(&route.0, &["reason"]), "r");
            assert_eq!(read(&route.0, &["complete_on"]), day.to_string());
        });
    }

    #[test]
    fn every_field_a_script_can_read_has_a_getter_of_its_own() {
        with_example_view(|app, _, view| {
            let mut keys = std::collections::BTreeSet::new();
            keys_under(&view.app, &mut keys);
            let route = RouteView::new(
                "niph",
                &[],
                &[],
                None,
                None,
                "niph",
                Some(app.received_on()),
            );
            keys_under(&route.0, &mut keys);
            let getters: std::collections::BTreeSet<&str> = field_names().collect();
            let slow: Vec<&String> = keys
                .iter()
                .filter(|k| !getters.contains(k.as_str()))
                .collect();
            assert!(slow.is_empty(), "fields read without a getter: {slow:?}");
            assert!(keys.len() > 30, "{keys:?}");
        });
    }
}
