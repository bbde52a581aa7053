//! What a stage function returns, converted once into Rust types. A wrong shape is an
//! error naming the rule file, the function and the field, so nothing above this
//! module ever reads a script's answer by string key.

use super::stage::Stage;
use crate::error::{Error, Location};
use crate::model::decision::Severity;
use crate::model::message::{Arg, Text};
use rhai::{Array, Dynamic, ImmutableString, Map};

/// One record a completeness, eligibility or routing function returned, made with
/// one of the record helpers (`missing`, `finding`, `require_attachment`, `route`,
/// `redirect`, `redirect_application`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// Something the application lacks.
    Missing {
        /// `description`, `variables`, … or a name the rule introduces.
        item: String,
        /// The source it concerns, if any.
        source: Option<String>,
        /// What is missing and what was expected: message `missing-<item>`.
        message: Text,
    },
    /// Anything else the rule has to say.
    Finding {
        /// The stable code scenario files assert on.
        code: String,
        /// An `error` finding naming a source makes that source ineligible.
        severity: Severity,
        /// The source it concerns, if any.
        source: Option<String>,
        /// The finding in words: the message with the code's id.
        message: Text,
    },
    /// An attachment kind the application needs; its arrival can move `complete_on`.
    RequireAttachment {
        /// `sample_table`, `variable_list` or `other`.
        kind: String,
    },
    /// A source sent to a custodian's sub-case.
    Route {
        /// The source id.
        source: String,
        /// The custodian id.
        custodian: String,
    },
    /// A source (or, with `source: None`, the whole application) sent elsewhere.
    Redirect {
        /// The source id, or `None` for the whole application.
        source: Option<String>,
        /// Why, e.g. `own-form` or `identifiable-data`.
        reason: String,
        /// The address of the right form, where known.
        form_url: Option<String>,
    },
}

impl Record {
    /// The helper that makes this kind of record, as scripts call it.
    pub fn helper(&self) -> &'static str {
        match self {
            Record::Missing { .. } => "missing",
            Record::Finding { .. } => "finding",
            Record::RequireAttachment { .. } => "require_attachment",
            Record::Route { .. } => "route",
            Record::Redirect { source: None, .. } => "redirect_application",
            Record::Redirect { .. } => "redirect",
        }
    }

    /// The record in words, for the trace; `words` puts a message into words.
    pub fn describe(&self, words: impl Fn(&Text) -> String) -> String {
        let about = |s: &Option<String>| s.as_ref().map(|s| format!(" [{s}]")).unwrap_or_default();
        match self {
            Record::Missing {
                item,
                source,
                message,
            } => format!("missing {item}{}: {}", about(source), words(message)),
            Record::Finding {
                code,
                severity,
                source,
                message,
            } => format!(
                "finding {code} ({}){}: {}",
                severity.as_str(),
                about(source),
                words(message)
            ),
            Record::RequireAttachment { kind } => format!("requires attachment {kind}"),
            Record::Route { source, custodian } => format!("route {source} to {custodian}"),
            Record::Redirect {
                source,
                reason,
                form_url,
            } => {
                let source = source.as_deref().unwrap_or("the whole application");
                format!(
                    "redirect {source}: {reason} {}",
                    form_url.as_deref().unwrap_or_default()
                )
                .trim_end()
                .to_string()
            }
        }
    }
}

/// What a deadline function returned: each field it set, or `None` to keep the
/// route as it was.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeadlineUpdate {
    /// The number of working days.
    pub working_days: Option<i64>,
    /// Why this many, for the route's `reason`.
    pub reason: Option<Text>,
    /// The calendar to count in.
    pub calendar: Option<String>,
}

impl DeadlineUpdate {
    /// The update in words, for the trace; `words` puts a message into words.
    pub fn describe(&self, words: impl Fn(&Text) -> String) -> String {
        // In key order, as a Rhai map shows itself.
        let mut parts = Vec::new();
        if let Some(c) = &self.calendar {
            parts.push(format!("calendar: {c}"));
        }
        if let Some(r) = &self.reason {
            parts.push(format!("reason: {}", words(r)));
        }
        if let Some(d) = self.working_days {
            parts.push(format!("working_days: {d}"));
        }
        format!("#{{{}}}", parts.join(", "))
    }
}

/// Builds shape errors located in one rule file and stage function.
pub(crate) struct Shape<'a> {
    pub(crate) file: &'a str,
    pub(crate) stage: Stage,
}

impl Shape<'_> {
    pub(crate) fn error(&self, message: impl Into<String>) -> Error {
        Error::rule(
            Location::file(self.file).in_function(self.stage.name()),
            message,
        )
    }

    /// The records a completeness, eligibility or routing function returned: an
    /// array of records, one record, or `()`.
    pub(crate) fn records(&self, value: Dynamic) -> Result<Vec<Record>, Error> {
        if value.is_unit() {
            return Ok(vec![]);
        }
        if value.is_map() {
            return Ok(vec![self.record(&value, None)?]);
        }
        let Some(items) = value.read_lock::<Array>() else {
            return Err(self.error(format!(
                "returned {}; expected an array of records",
                type_name(&value)
            )));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| self.record(item, Some(i)))
            .collect()
    }

    fn record(&self, item: &Dynamic, index: Option<usize>) -> Result<Record, Error> {
        // Words for errors only, so made only for one.
        let at = || index.map(|i| format!(" at index {i}")).unwrap_or_default();
        let Some(map) = item.read_lock::<Map>() else {
            return Err(self.error(format!(
                "returned {}{}; expected records made with {}",
                type_name(item),
                at(),
                self.allowed_helpers()
            )));
        };
        let field = Fields {
            map: &map,
            shape: self,
        };
        let kind = field.word("record")?.unwrap_or_default();
        let record = match kind.as_str() {
            "missing" => {
                let item = field.non_empty("item", "missing()")?;
                Record::Missing {
                    message: field.text("message", Some(format!("missing-{item}")))?,
                    item,
                    source: field.optional("source")?,
                }
            }
            "finding" => {
                let code = field.non_empty("code", "finding()")?;
                let severity = field.word("severity")?.unwrap_or_default();
                let severity = Severity::parse(severity.as_str()).ok_or_else(|| {
                    self.error(format!(
                        "finding '{code}' has severity '{severity}'; expected info, warning or error"
                    ))
                })?;
                Record::Finding {
                    message: field.text("message", Some(code.clone()))?,
                    code,
                    severity,
                    source: field.optional("source")?,
                }
            }
            "require_attachment" => {
                let kind = field
                    .optional("kind")?
                    .filter(|k| ["sample_table", "variable_list", "other"].contains(&k.as_str()))
                    .ok_or_else(|| {
                        self.error(
                            "require_attachment() expects sample_table, variable_list or other",
                        )
                    })?;
                Record::RequireAttachment { kind }
            }
            "route" => Record::Route {
                source: field
                    .optional("source")?
                    .ok_or_else(|| self.error("route() needs a source"))?,
                custodian: field.non_empty("custodian", "route()")?,
            },
            "redirect" => Record::Redirect {
                source: field.optional("source")?,
                reason: field.non_empty("reason", "redirect()")?,
                form_url: field.optional("form_url")?,
            },
            _ => {
                return Err(self.error(format!(
                    "returned a {} record{}; the {} stage takes records made with {}",
                    if kind.is_empty() {
                        "malformed".to_string()
                    } else {
                        format!("'{kind}'")
                    },
                    at(),
                    self.stage.name(),
                    self.allowed_helpers()
                )))
            }
        };
        if !self.stage.records().contains(&record.helper()) {
            return Err(self.error(format!(
                "returned a '{}' record{}; the {} stage takes records made with {}",
                kind,
                at(),
                self.stage.name(),
                self.allowed_helpers()
            )));
        }
        Ok(record)
    }

    fn allowed_helpers(&self) -> String {
        self.stage
            .records()
            .iter()
            .map(|a| format!("{a}()"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// What a deadline function returned: a map of the keys the stage contract
    /// allows, or `()`.
    pub(crate) fn deadline(&self, value: &Dynamic) -> Result<Option<DeadlineUpdate>, Error> {
        if value.is_unit() {
            return Ok(None);
        }
        let Some(map) = value.read_lock::<Map>() else {
            return Err(self.error(format!(
                "returned {}; expected a map such as #{{working_days: 30, reason: \"...\"}} or ()",
                type_name(value)
            )));
        };
        let allowed = self.stage.result_keys();
        if let Some(key) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(self.error(format!(
                "returned unknown key `{key}`; expected {}",
                allowed.join(", ")
            )));
        }
        let field = Fields {
            map: &map,
            shape: self,
        };
        let working_days = match map.get("working_days") {
            None => None,
            Some(v) if v.is_unit() => None,
            Some(v) => Some(v.as_int().map_err(|_| {
                self.error(format!(
                    "`working_days` must be an integer, got {}",
                    type_name(v)
                ))
            })?),
        };
        Ok(Some(DeadlineUpdate {
            working_days,
            reason: match map.get("reason") {
                None => None,
                Some(v) if v.is_unit() => None,
                Some(_) => Some(field.text("reason", None)?),
            },
            calendar: field.optional("calendar")?,
        }))
    }
}

/// Typed reads from one returned map.
struct Fields<'a> {
    map: &'a Map,
    shape: &'a Shape<'a>,
}

impl Fields<'_> {
    /// A text field: `None` when absent or `()`; an error when it holds anything but
    /// a string, a number or a boolean.
    fn optional(&self, key: &str) -> Result<Option<String>, Error> {
        match self.map.get(key) {
            None => Ok(None),
            Some(v) if v.is_unit() => Ok(None),
            Some(v) => {
                if let Some(s) = v.read_lock::<ImmutableString>() {
                    return Ok(Some(s.as_str().to_owned()));
                }
                if v.is_int() || v.is_bool() || v.is_float() || v.is_char() {
                    return Ok(Some(v.to_string()));
                }
                Err(self
                    .shape
                    .error(format!("`{key}` must be a string, got {}", type_name(v))))
            }
        }
    }

    /// A text field as [`Fields::optional`] reads it, a string shared rather than
    /// copied (for fields only compared, such as the record kind).
    fn word(&self, key: &str) -> Result<Option<ImmutableString>, Error> {
        if let Some(s) = self
            .map
            .get(key)
            .and_then(|v| v.read_lock::<ImmutableString>().map(|s| s.clone()))
        {
            return Ok(Some(s));
        }
        Ok(self.optional(key)?.map(ImmutableString::from))
    }

    /// A message field: the rule's own words (a string), or a map of the named
    /// arguments of message `id` (a `message` key in the map names another id).
    fn text(&self, key: &str, id: Option<String>) -> Result<Text, Error> {
        let Some(value) = self.map.get(key).filter(|v| v.is_map()) else {
            let own = self.optional(key)?.unwrap_or_default();
            return Ok(match id {
                Some(id) => Text::or_own(id, own),
                None => Text::own(own),
            });
        };
        let Some(map) = value.read_lock::<Map>() else {
            return Ok(Text::default());
        };
        let mut text = Text {
            id,
            ..Text::default()
        };
        for (name, v) in map.iter() {
            if name.as_str() == "message" {
                text.id = Some(words_of(v));
                continue;
            }
            if v.is_unit() {
                continue;
            }
            let arg = self.arg(&|| format!("{key}.{name}"), v)?;
            text.args.insert(name.as_str().to_owned(), arg);
        }
        if text.id.is_none() {
            return Err(self.shape.error(format!(
                "`{key}` is a map without `message`; expected #{{message: \"<id in rules/messages/>\", …arguments}} or a string"
            )));
        }
        Ok(text)
    }

    /// One argument of a message: text, a whole number, a message (a map with
    /// `message`), or an array of texts (joined with `, `) or of messages (`; `).
    /// `at` names the argument, for an error (made only then).
    fn arg(&self, at: &dyn Fn() -> String, v: &Dynamic) -> Result<Arg, Error> {
        if let Some(s) = v.read_lock::<ImmutableString>() {
            return Ok(Arg::Text(s.as_str().to_owned()));
        }
        if let Ok(n) = v.as_int() {
            return Ok(Arg::Number(n));
        }
        if v.is_bool() || v.is_float() || v.is_char() {
            return Ok(Arg::Text(v.to_string()));
        }
        if v.is_map() {
            return Ok(Arg::Messages(vec![self.nested(at, v)?]));
        }
        if let Some(items) = v.read_lock::<Array>() {
            if items.iter().any(Dynamic::is_map) {
                let texts = items
                    .iter()
                    .map(|item| self.nested(at, item))
                    .collect::<Result<Vec<_>, _>>()?;
                return Ok(Arg::Messages(texts));
            }
            let words: Vec<String> = items.iter().map(words_of).collect();
            return Ok(Arg::Text(words.join(", ")));
        }
        Err(self.shape.error(format!(
            "`{}` must be a string, a number, a message map or an array, got {}",
            at(),
            type_name(v)
        )))
    }

    /// A message inside a message's arguments: a map with `message`, or words.
    fn nested(&self, at: &dyn Fn() -> String, v: &Dynamic) -> Result<Text, Error> {
        let Some(map) = v.read_lock::<Map>() else {
            return Ok(Text::own(words_of(v)));
        };
        let fields = Fields {
            map: &map,
            shape: self.shape,
        };
        let mut text = Text::default();
        for (name, value) in map.iter() {
            if name.as_str() == "message" {
                text.id = Some(words_of(value));
            } else if !value.is_unit() {
                let arg = fields.arg(&|| format!("{}.{name}", at()), value)?;
                text.args.insert(name.as_str().to_owned(), arg);
            }
        }
        if text.id.is_none() {
            return Err(self.shape.error(format!(
                "`{}` is a map without `message`; expected #{{message: \"<id in rules/messages/>\", …arguments}}",
                at()
            )));
        }
        Ok(text)
    }

    fn non_empty(&self, key: &str, helper: &str) -> Result<String, Error> {
        self.optional(key)?
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| {
                self.shape
                    .error(format!("{helper} needs a non-empty {key}"))
            })
    }
}

/// A value as Rhai shows it (`to_string`), a string copied without formatting.
fn words_of(v: &Dynamic) -> String {
    match v.read_lock::<ImmutableString>() {
        Some(s) => s.as_str().to_owned(),
        None => v.to_string(),
    }
}

/// A value's type as policy staff would call it.
fn type_name(v: &Dynamic) -> &'static str {
    if v.is_unit() {
        "()"
    } else if v.is_string() {
        "a string"
    } else if v.is_int() {
        "an integer"
    } else if v.is_float() {
        "a decimal number"
    } else if v.is_bool() {
        "a boolean"
    } else if v.is_array() {
        "an array"
    } else if v.is_map() {
        "a map"
    } else if v.is_char() {
        "a character"
    } else {
        "a value of another kind"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(stage: Stage) -> Shape<'static> {
        Shape {
            file: "rules/niph/x.rhai",
            stage,
        }
    }

    fn map(pairs: &[(&str, Dynamic)]) -> Dynamic {
        let mut m = Map::new();
        for (k, v) in pairs {
            m.insert((*k).into(), v.clone());
        }
        m.into()
    }

    #[test]
    fn a_deadline_with_text_working_days_names_file_function_and_field() {
        let err = shape(Stage::Deadline)
            .deadline(&map(&[("working_days", "30".into())]))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "rules/niph/x.rhai: function deadline: `working_days` must be an integer, got a string"
        );
    }

    #[test]
    fn a_deadline_with_an_unknown_key_is_refused() {
        let err = shape(Stage::Deadline)
            .deadline(&map(&[("working_dayz", 30_i64.into())]))
            .unwrap_err();
        assert!(err.message.contains("unknown key `working_dayz`"), "{err}");
    }

    #[test]
    fn unit_deadline_keeps_the_route() {
        assert_eq!(shape(Stage::Deadline).deadline(&Dynamic::UNIT), Ok(None));
    }

    #[test]
    fn a_route_record_in_the_completeness_stage_is_refused() {
        let route = map(&[
            ("record", "route".into()),
            ("source", "npr".into()),
            ("custodian", "niph".into()),
        ]);
        let err = shape(Stage::Completeness).records(route).unwrap_err();
        assert!(
            err.message.contains("the completeness stage takes"),
            "{err}"
        );
    }

    #[test]
    fn a_finding_with_an_unknown_severity_is_refused() {
        let finding = map(&[
            ("record", "finding".into()),
            ("code", "x".into()),
            ("severity", "fatal".into()),
        ]);
        let err = shape(Stage::Eligibility)
            .records(Dynamic::from(vec![finding]))
            .unwrap_err();
        assert!(err.message.contains("severity 'fatal'"), "{err}");
    }

    #[test]
    fn records_convert_to_types() {
        let missing = map(&[
            ("record", "missing".into()),
            ("item", "icd10".into()),
            ("source", "npr".into()),
            ("message", "m".into()),
        ]);
        let got = shape(Stage::Completeness)
            .records(Dynamic::from(vec![missing]))
            .expect("converts");
        assert_eq!(
            got,
            vec![Record::Missing {
                item: "icd10".into(),
                source: Some("npr".into()),
                message: Text::or_own("missing-icd10", "m")
            }]
        );
    }

    #[test]
    fn a_number_where_records_belong_names_its_index() {
        let err = shape(Stage::Routing)
            .records(Dynamic::from(vec![Dynamic::from(3_i64)]))
            .unwrap_err();
        assert!(err.message.contains("an integer at index 0"), "{err}");
    }
}
