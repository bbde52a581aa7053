//! What the records of the completeness, eligibility and routing stages add up to.
//! Each record becomes its part of the decision here, attributed to the custodian it
//! concerns.

use crate::catalog::ResolvedSource;
use crate::error::{Error, Location};
use crate::model::application::Language;
use crate::model::decision::{Finding, Missing, Redirect};
use crate::ruleset::RuleSet;
use crate::script::{Record, Stage, StageScript};
use std::collections::{BTreeMap, BTreeSet};

/// The records of all stages so far.
#[derive(Debug, Default)]
pub(super) struct Collected {
    pub(super) missing: Vec<Missing>,
    pub(super) findings: Vec<Finding>,
    /// Attachment kinds a rule said the application needs.
    pub(super) required_attachments: BTreeSet<String>,
    /// Custodian → the sources routed to it.
    pub(super) routes: BTreeMap<String, BTreeSet<String>>,
    pub(super) redirects: Vec<Redirect>,
    /// A redirect of the whole application, which ends the evaluation.
    pub(super) application_redirect: Option<Redirect>,
}

impl Collected {
    /// Adds one record that `script` returned in `stage`, run for `custodian`
    /// (`None` for the coordinator), its message in `language`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn absorb(
        &mut self,
        rules: &RuleSet,
        language: Option<Language>,
        script: &StageScript,
        stage: Stage,
        custodian: Option<&str>,
        resolved: &[ResolvedSource<'_>],
        record: Record,
    ) -> Result<(), Error> {
        // A coordinator record about one source concerns that source's custodian.
        let owner = |source: &Option<String>| -> Option<String> {
            custodian
                .or_else(|| {
                    let id = source.as_deref()?;
                    resolved.iter().find(|r| r.id == id)?.custodian
                })
                .map(str::to_string)
        };
        match record {
            Record::Missing {
                item,
                source,
                message,
            } => self.missing.push(Missing {
                item,
                custodian: owner(&source),
                source,
                message: rules.messages.text(language, &message),
            }),
            Record::Finding {
                code,
                severity,
                source,
                message,
            } => self.findings.push(Finding {
                code,
                severity,
                custodian: owner(&source),
                source,
                message: rules.messages.text(language, &message),
                rule: script.logical.clone(),
            }),
            Record::RequireAttachment { kind } => {
                self.required_attachments.insert(kind);
            }
            Record::Route { source, custodian } => {
                if rules.catalog().custodian(&custodian).is_none() {
                    return Err(Error::rule(
                        Location::file(&script.display).in_function(stage.name()),
                        format!(
                            "route() names custodian '{custodian}', which is not in the catalog"
                        ),
                    ));
                }
                self.routes.entry(custodian).or_default().insert(source);
            }
            Record::Redirect {
                source,
                reason,
                form_url,
            } => {
                let redirect = Redirect {
                    source: source.clone(),
                    reason,
                    form_url,
                };
                if source.is_none() {
                    self.application_redirect = Some(redirect);
                } else {
                    self.redirects.push(redirect);
                }
            }
        }
        Ok(())
    }
}
