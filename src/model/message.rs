//! A message before it is put into words: the rule's own text, or the id of a
//! message in the rule set's message files (`rules/messages/<language>.ftl`) with
//! its named arguments. The rule set turns it into text in the applicant's language.

use std::collections::BTreeMap;

/// One named argument of a message.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Arg {
    /// Text, shown as given (dates as `YYYY-MM-DD`).
    Text(String),
    /// A whole number, which also chooses plural forms (`1 virkedag`, `2 virkedager`).
    Number(i64),
    /// Messages put into words in the same language, joined with `; `.
    Messages(Vec<Text>),
}

impl Arg {
    /// The argument as plain text, for the fallback and the trace.
    pub fn as_text(&self) -> String {
        match self {
            Arg::Text(s) => s.clone(),
            Arg::Number(n) => n.to_string(),
            Arg::Messages(texts) => texts.iter().map(Text::plain).collect::<Vec<_>>().join("; "),
        }
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}

impl From<u32> for Arg {
    fn from(n: u32) -> Self {
        Arg::Number(i64::from(n))
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<chrono::NaiveDate> for Arg {
    fn from(d: chrono::NaiveDate) -> Self {
        Arg::Text(d.to_string())
    }
}

/// A message as a rule or the engine gives it: which message of the message files,
/// its named arguments, and the rule's own words for when no message file has it.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Text {
    /// The message id, e.g. `linking-single-source` or `missing-purpose`; `None`
    /// for words that are never looked up.
    pub id: Option<String>,
    /// The arguments by name, e.g. `days` → 30.
    pub args: BTreeMap<String, Arg>,
    /// The rule's own words, used when no message file has the id.
    pub own: Option<String>,
}

impl Text {
    /// A message of the message files with these arguments.
    pub fn message<K: Into<String>, V: Into<Arg>>(
        id: impl Into<String>,
        args: impl IntoIterator<Item = (K, V)>,
    ) -> Text {
        Text {
            id: Some(id.into()),
            args: args
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            own: None,
        }
    }

    /// The message `id`, or the rule's own words when no message file has it.
    pub fn or_own(id: impl Into<String>, own: impl Into<String>) -> Text {
        Text {
            id: Some(id.into()),
            args: BTreeMap::new(),
            own: Some(own.into()),
        }
    }

    /// Words that are used as they are.
    pub fn own(own: impl Into<String>) -> Text {
        Text {
            id: None,
            args: BTreeMap::new(),
            own: Some(own.into()),
        }
    }

    /// The message without the message files: the own words, or else the id
    /// followed by its arguments (`id (name: value, …)`).
    pub fn plain(&self) -> String {
        if let Some(own) = &self.own {
            return own.clone();
        }
        let id = self.id.clone().unwrap_or_default();
        if self.args.is_empty() {
            return id;
        }
        let args: Vec<String> = self
            .args
            .iter()
            .map(|(k, v)| format!("{k}: {}", v.as_text()))
            .collect();
        format!("{id} ({})", args.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_without_words_shows_its_id_and_arguments() {
        let t = Text::message(
            "delivered-late",
            [("days", Arg::from(2_i64)), ("route", "niph".into())],
        );
        assert_eq!(t.plain(), "delivered-late (days: 2, route: niph)");
        assert_eq!(Text::or_own("x", "as written").plain(), "as written");
    }
}
