//! Literal arguments of helper calls that name something that does not exist: a
//! setting, calendar, custodian, attachment kind or finding severity.

use super::suggest::did_you_mean;
use super::{Checker, Found};
use crate::model::application::AttachmentKind;
use crate::model::decision::Severity;
use rhai::Position;

/// What a literal string argument of a helper names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Vocabulary {
    Setting,
    Calendar,
    Custodian,
    AttachmentKind,
    Severity,
}

/// The vocabulary of a helper's parameter, by the name it is registered with in
/// `script/helpers/` (so a new helper with a `calendar` parameter is checked too).
pub(super) fn vocabulary_of(function: &str, param: &str) -> Option<Vocabulary> {
    match (function, param) {
        ("setting" | "setting_on", "path") => Some(Vocabulary::Setting),
        (_, "calendar") => Some(Vocabulary::Calendar),
        (_, "custodian") => Some(Vocabulary::Custodian),
        (_, "kind") => Some(Vocabulary::AttachmentKind),
        (_, "severity") => Some(Vocabulary::Severity),
        _ => None,
    }
}

impl Checker<'_> {
    /// A literal argument against its vocabulary.
    pub(super) fn check_literal(
        &self,
        vocabulary: Vocabulary,
        value: &str,
        pos: Position,
        found: &mut Vec<Found>,
    ) {
        let problem = match vocabulary {
            Vocabulary::Setting => self.vocabularies.settings.and_then(|settings| {
                settings.get(value).is_none().then(|| {
                    let keys = settings.leaf_paths();
                    format!(
                        "setting '{value}' is not in {}{} expected one of: {}",
                        settings.display(),
                        did_you_mean(value, keys.iter().map(String::as_str)),
                        keys.join(", ")
                    )
                })
            }),
            Vocabulary::Calendar => self.vocabularies.calendars.and_then(|calendars| {
                calendars.get(value).is_none().then(|| {
                    format!(
                        "calendar '{value}' does not exist{} expected one of: {}",
                        did_you_mean(value, calendars.names()),
                        calendars.names().collect::<Vec<_>>().join(", ")
                    )
                })
            }),
            Vocabulary::Custodian => self.vocabularies.catalog.and_then(|catalog| {
                catalog.custodian(value).is_none().then(|| {
                    format!(
                        "custodian '{value}' is not in the catalog{} expected one of: {}",
                        did_you_mean(value, catalog.custodian_ids()),
                        catalog.custodian_ids().collect::<Vec<_>>().join(", ")
                    )
                })
            }),
            Vocabulary::AttachmentKind => {
                let kinds = attachment_kinds();
                (!kinds.contains(&value)).then(|| {
                    format!(
                        "attachment kind '{value}' does not exist{} expected one of: {}",
                        did_you_mean(value, kinds.iter().copied()),
                        kinds.join(", ")
                    )
                })
            }
            Vocabulary::Severity => Severity::parse(value).is_none().then(|| {
                let all = severities();
                format!(
                    "finding severity '{value}' does not exist{} expected one of: {}",
                    did_you_mean(value, all.iter().copied()),
                    all.join(", ")
                )
            }),
        };
        if let Some(message) = problem {
            let code = match vocabulary {
                Vocabulary::Setting => "unknown-setting",
                Vocabulary::Calendar => "unknown-calendar",
                Vocabulary::Custodian => "unknown-custodian",
                Vocabulary::AttachmentKind => "unknown-attachment-kind",
                Vocabulary::Severity => "unknown-severity",
            };
            found.push((pos, code, message));
        }
    }
}

/// Every attachment kind, as scripts write it. The match is exhaustive, so a new
/// kind does not compile until it is listed here.
fn attachment_kinds() -> Vec<&'static str> {
    use AttachmentKind::{Other, SampleTable, VariableList};
    [SampleTable, VariableList, Other]
        .into_iter()
        .map(|k| match k {
            SampleTable | VariableList | Other => k.as_str(),
        })
        .collect()
}

/// Every finding severity, as scripts write it; exhaustive like the kinds above.
fn severities() -> Vec<&'static str> {
    use Severity::{Error, Info, Warning};
    [Info, Warning, Error]
        .into_iter()
        .map(|s| match s {
            Info | Warning | Error => s.as_str(),
        })
        .collect()
}
