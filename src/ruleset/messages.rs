//! The rule set's messages: one Fluent file per language under `rules/messages/`
//! (`nb.ftl`, `nn.ftl`, `en.ftl`), keyed by finding code, `missing-<item>` or the
//! id a rule or the engine names. Parsed and compiled once when the rule set loads;
//! a message is then put into words in the applicant's language, falling back to
//! Bokmål, then to the rule's own words.
//!
//! Formatting is deterministic: no Unicode isolation marks around arguments, and
//! numbers are whole numbers written in digits.

use crate::error::Diagnostic;
use crate::model::application::Language;
use crate::model::message::{Arg, Text};
use crate::ruleset::check::suggest::did_you_mean;
use crate::ruleset::files::RuleFiles;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};

/// The folder of the message files in a rule set.
pub const FOLDER: &str = "rules/messages";

/// Every language a rule set has messages in, the default first.
pub const LANGUAGES: [Language; 3] = [Language::Nb, Language::Nn, Language::En];

/// The messages the engine itself gives (case status and invoices), besides those
/// the rule scripts name, each with the arguments it is given.
pub const ENGINE_MESSAGES: &[(&str, &[&str])] = &[
    ("action-appeal-window", &["against", "on", "due", "route"]),
    (
        "action-deliver-or-postpone",
        &["late", "left", "due", "route"],
    ),
    (
        "action-dismiss-or-follow-up",
        &[
            "scope",
            "asked",
            "index",
            "reply_by",
            "reminded",
            "reminder_index",
            "due",
            "route",
        ],
    ),
    (
        "action-preliminary-reply",
        &["since", "from", "months", "due"],
    ),
    (
        "action-send-reminder",
        &["scope", "asked", "index", "reply_by", "due", "route"],
    ),
    ("amendment-change", &["what", "sources", "from", "to"]),
    ("amendment-restarts-clock", &["day", "index", "changes"]),
    (
        "appeal-late",
        &["against", "route", "day", "index", "last_day"],
    ),
    ("delivered-late", &["route", "on", "late", "due"]),
    ("event-ignored", &["index", "reason"]),
    (
        "postponed-after-due",
        &["route", "day", "index", "replaced"],
    ),
    ("price-missing", &["party", "rule"]),
];

/// The code of a language, as applications and message files name it.
pub fn code(language: Language) -> &'static str {
    match language {
        Language::Nb => "nb",
        Language::Nn => "nn",
        Language::En => "en",
    }
}

/// The logical name of a language's message file, e.g. `rules/messages/nb.ftl`.
pub fn file_of(language: Language) -> String {
    format!("{FOLDER}/{}.ftl", code(language))
}

/// A place in a file: display path, line and column (1-based).
pub type Place = (String, Option<usize>, Option<usize>);

/// Where a message id is first used, and the names of the arguments it is given
/// everywhere it is used (`None` where a rule passes arguments that are not a map
/// written out, so they cannot be known before it runs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    /// Where it is first used.
    pub place: Place,
    /// Who uses it, for messages: a rule file, or `the engine`.
    pub by: String,
    /// Every argument name given to it.
    pub args: Option<BTreeSet<String>>,
}

impl Use {
    /// Adds another use: its arguments join those known.
    pub fn and(&mut self, args: Option<BTreeSet<String>>) {
        match (&mut self.args, args) {
            (Some(known), Some(more)) => known.extend(more),
            (known, _) => *known = None,
        }
    }
}

/// One language's messages.
struct Catalogue {
    language: Language,
    /// The display path of its file.
    display: String,
    bundle: FluentBundle<FluentResource>,
    /// Each message id and the line and column where it is defined.
    ids: BTreeMap<String, (usize, usize)>,
    /// Each message id and the arguments its words name (`{ $name }`).
    variables: BTreeMap<String, BTreeSet<String>>,
    /// The message ids other entries of the file refer to (`{ other-message }`).
    referenced: BTreeSet<String>,
}

/// The messages of a rule set, compiled.
pub struct Messages {
    catalogues: Vec<Catalogue>,
    /// Tells these messages apart from any other loaded in this process, for the
    /// words remembered on each thread.
    key: u64,
}

impl Default for Messages {
    fn default() -> Self {
        Messages::from_catalogues(Vec::new())
    }
}

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let languages: Vec<&str> = self.catalogues.iter().map(|c| code(c.language)).collect();
        f.debug_struct("Messages")
            .field("languages", &languages)
            .finish()
    }
}

impl Messages {
    /// Reads and compiles the message files of a rule set. A rule set without a
    /// `messages` folder has no messages (every message is then the rule's own
    /// words); syntax errors are reported with their line and column.
    pub fn load(files: &RuleFiles) -> (Messages, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let mut catalogues = Vec::new();
        let prefix = format!("{FOLDER}/");
        let known: BTreeSet<String> = LANGUAGES.iter().map(|l| file_of(*l)).collect();
        for (logical, file) in files.files.iter() {
            if logical.starts_with(&prefix) && logical.ends_with(".ftl") && !known.contains(logical)
            {
                problems.push(
                    Diagnostic::warning(
                        &file.display,
                        "a message file of no known language is never read; expected nb.ftl, nn.ftl or en.ftl",
                    )
                    .with_code("messages"),
                );
            }
        }
        let any = LANGUAGES.iter().any(|l| files.get(&file_of(*l)).is_some());
        for language in LANGUAGES {
            let logical = file_of(language);
            let Some(file) = files.get(&logical) else {
                if any {
                    problems.push(
                        Diagnostic::warning(
                            files.display_of(&logical),
                            format!(
                                "no message file for '{}': its applicants get the Bokmål messages; expected {logical}",
                                code(language)
                            ),
                        )
                        .with_code("missing-message"),
                    );
                }
                continue;
            };
            match compile(language, &file.display, &file.text) {
                Ok((c, mut found)) => {
                    catalogues.push(c);
                    problems.append(&mut found);
                }
                Err(mut found) => problems.append(&mut found),
            }
        }
        (Messages::from_catalogues(catalogues), problems)
    }

    fn from_catalogues(catalogues: Vec<Catalogue>) -> Messages {
        static NEXT_KEY: AtomicU64 = AtomicU64::new(0);
        Messages {
            catalogues,
            key: NEXT_KEY.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Whether the rule set has any message file.
    pub fn is_empty(&self) -> bool {
        self.catalogues.is_empty()
    }

    /// The message in words in `language` (`None`: Bokmål): that language's
    /// message, else Bokmål's, else the rule's own words, else the id and its
    /// arguments.
    pub fn text(&self, language: Option<Language>, text: &Text) -> String {
        if text.id.is_none() {
            return text.plain();
        }
        let wanted = language.unwrap_or(Language::Nb);
        if let Some(words) = remembered::get(self.key, wanted, text) {
            return words;
        }
        let (words, clean) = self.words(wanted, text);
        // Words whose formatting warned are not kept, so each use warns again.
        if clean {
            remembered::keep(self.key, wanted, text, &words);
        }
        words
    }

    /// The message in words in `wanted`, and whether Fluent formatted it without
    /// an error (each error is logged as a warning).
    fn words(&self, wanted: Language, text: &Text) -> (String, bool) {
        let Some(id) = &text.id else {
            return (text.plain(), true);
        };
        let mut clean = true;
        let mut args = FluentArgs::with_capacity(text.args.len());
        for (name, value) in &text.args {
            let value = match value {
                Arg::Text(s) => FluentValue::from(s.as_str()),
                Arg::Number(n) => FluentValue::from(*n),
                Arg::Messages(texts) => FluentValue::from(
                    texts
                        .iter()
                        .map(|t| {
                            let (words, ok) = self.words(wanted, t);
                            clean &= ok;
                            words
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            };
            args.set(name.as_str(), value);
        }
        for language in [wanted, Language::Nb] {
            if let Some((words, ok)) = self
                .catalogues
                .iter()
                .find(|c| c.language == language)
                .and_then(|c| c.format(id, &args))
            {
                return (words, clean && ok);
            }
        }
        (text.plain(), clean)
    }

    /// The ids every language's file defines, with where.
    pub fn ids(&self, language: Language) -> Option<impl Iterator<Item = &str>> {
        self.catalogues
            .iter()
            .find(|c| c.language == language)
            .map(|c| c.ids.keys().map(String::as_str))
    }

    /// The arguments the words of message `id` name, in the first language that
    /// has it (Bokmål first).
    pub fn arguments(&self, id: &str) -> Option<&BTreeSet<String>> {
        self.catalogues.iter().find_map(|c| c.variables.get(id))
    }

    /// What `hds check` says of the messages against the ids in use (`used`: each
    /// id and where it is first used): an id with no message in some language,
    /// and a message whose id nothing uses (no rule, the engine, nor another
    /// message of its file with `{ id }`). Warnings: a message missing in one
    /// language falls back to Bokmål, then to the rule's own words. Unused messages
    /// and arguments are only reported when `complete` (every script was read, so
    /// every id in use and every argument given is known).
    /// A message naming an argument no use of it gives is a warning too: its
    /// words would show `{$name}`.
    pub fn check(&self, used: &BTreeMap<String, Use>, complete: bool) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        if self.catalogues.is_empty() {
            return problems;
        }
        for (
            id,
            Use {
                place: (path, line, column),
                by,
                args,
            },
        ) in used
        {
            if let Some(given) = args.as_ref().filter(|_| complete) {
                for c in &self.catalogues {
                    let Some(named) = c.variables.get(id) else {
                        continue;
                    };
                    let unknown: Vec<&str> = named
                        .iter()
                        .filter(|n| !given.contains(*n))
                        .map(String::as_str)
                        .collect();
                    if unknown.is_empty() {
                        continue;
                    }
                    let (at_line, at_column) = c.ids.get(id).copied().unwrap_or((1, 1));
                    let given: Vec<&str> = given.iter().map(String::as_str).collect();
                    problems.push(
                        Diagnostic::warning(
                            &c.display,
                            format!(
                                "message '{id}' names {}, which {by} does not give it; expected only {}",
                                unknown
                                    .iter()
                                    .map(|n| format!("`{{ ${n} }}`"))
                                    .collect::<Vec<_>>()
                                    .join(", "),
                                if given.is_empty() {
                                    "words without arguments".to_string()
                                } else {
                                    given
                                        .iter()
                                        .map(|n| format!("${n}"))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                }
                            ),
                        )
                        .at(Some(at_line), Some(at_column))
                        .with_code("message-argument"),
                    );
                }
            }
            let lacking: Vec<&Catalogue> = self
                .catalogues
                .iter()
                .filter(|c| !c.ids.contains_key(id))
                .collect();
            if lacking.is_empty() {
                continue;
            }
            let languages: Vec<&str> = lacking.iter().map(|c| code(c.language)).collect();
            let files: Vec<&str> = lacking.iter().map(|c| c.display.as_str()).collect();
            problems.push(
                Diagnostic::warning(
                    path,
                    format!(
                        "'{id}' has no message in {} ({}); expected a message `{id} = …` there",
                        languages.join(", "),
                        files.join(", ")
                    ),
                )
                .at(*line, *column)
                .with_code("missing-message"),
            );
        }
        for c in self.catalogues.iter().filter(|_| complete) {
            for (id, (line, column)) in &c.ids {
                if !used.contains_key(id) && !c.referenced.contains(id) {
                    problems.push(
                        Diagnostic::warning(
                            &c.display,
                            format!(
                                "message '{id}' is not used: no rule names it as a finding code, `missing-<item>` or message id, and the engine gives no such message"
                            ),
                        )
                        .at(Some(*line), Some(*column))
                        .with_code("unused-message"),
                    );
                }
            }
        }
        problems
    }
}

impl Catalogue {
    /// The message `id` with `args`, when this language has it, and whether it was
    /// formatted without an error.
    fn format(&self, id: &str, args: &FluentArgs<'_>) -> Option<(String, bool)> {
        let message = self.bundle.get_message(id)?;
        let pattern = message.value()?;
        let mut errors = Vec::new();
        let words = self.bundle.format_pattern(pattern, Some(args), &mut errors);
        let clean = errors.is_empty();
        if !clean {
            tracing::warn!(
                "{}: message '{id}': {}",
                self.display,
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
        Some((words.into_owned(), clean))
    }
}

/// Parses one message file into its bundle, with the problems of a file that
/// reads: each reference to a message, term or attribute the file does not have.
fn compile(
    language: Language,
    display: &str,
    text: &str,
) -> Result<(Catalogue, Vec<Diagnostic>), Vec<Diagnostic>> {
    let resource = match FluentResource::try_new(text.to_string()) {
        Ok(r) => r,
        Err((_, errors)) => {
            return Err(errors
                .iter()
                .map(|e| {
                    let (line, column) = line_column(text, e.pos.start);
                    Diagnostic::error(
                        display,
                        format!(
                        "{}; expected Fluent syntax (`id = text`, `{{ $name }}` for an argument)",
                        e.kind
                    ),
                    )
                    .at(Some(line), Some(column))
                    .with_code("message-syntax")
                })
                .collect())
        }
    };
    let mut ids = BTreeMap::new();
    let mut variables = BTreeMap::new();
    let defined = definitions(text);
    // Every entry (a message `id`, a term `-id`), with its attributes and the
    // references its words make, in file order.
    let mut entries: Vec<(String, BTreeSet<String>, Vec<Reference>)> = Vec::new();
    for entry in resource.entries() {
        let (id, value, attributes) = match entry {
            ast::Entry::Message(m) => (m.id.name.to_string(), m.value.as_ref(), &m.attributes),
            ast::Entry::Term(t) => (format!("-{}", t.id.name), Some(&t.value), &t.attributes),
            _ => continue,
        };
        let mut named = Named::default();
        for pattern in value.into_iter().chain(attributes.iter().map(|a| &a.value)) {
            pattern_names(pattern, &mut named);
        }
        let attribute_ids = attributes.iter().map(|a| a.id.name.to_string()).collect();
        if !id.starts_with('-') {
            let at = defined.get(id.as_str()).copied().unwrap_or((1, 1));
            variables.insert(id.clone(), named.variables);
            ids.insert(id.clone(), at);
        }
        entries.push((id, attribute_ids, named.references));
    }
    let problems = reference_problems(display, text, &defined, &entries);
    let referenced = entries
        .iter()
        .flat_map(|(_, _, references)| references)
        .map(|r| r.id.clone())
        .filter(|id| !id.starts_with('-'))
        .collect();
    let locale = code(language)
        .parse::<unic_langid::LanguageIdentifier>()
        .unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![locale]);
    bundle.set_use_isolating(false);
    if let Err(errors) = bundle.add_resource(resource) {
        return Err(errors
            .iter()
            .map(|e| {
                Diagnostic::error(display, format!("{e}; expected each message id once"))
                    .with_code("message-syntax")
            })
            .collect());
    }
    Ok((
        Catalogue {
            language,
            display: display.to_string(),
            bundle,
            ids,
            variables,
            referenced,
        },
        problems,
    ))
}

/// A reference the words of an entry make to another entry of the file:
/// `{ other-message }`, `{ -term }`, or one of its attributes (`{ -term.case }`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reference {
    /// `other-message` or `-term`, as written.
    id: String,
    attribute: Option<String>,
}

/// What the words of an entry name: the arguments (`{ $name }`) and the entries
/// they refer to, in every variant.
#[derive(Debug, Default)]
struct Named {
    variables: BTreeSet<String>,
    references: Vec<Reference>,
}

fn pattern_names(pattern: &ast::Pattern<&str>, out: &mut Named) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_names(expression, out);
        }
    }
}

fn expression_names(expression: &ast::Expression<&str>, out: &mut Named) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_names(selector, out);
            for v in variants {
                pattern_names(&v.value, out);
            }
        }
        ast::Expression::Inline(inline) => inline_names(inline, out),
    }
}

fn arguments_names(arguments: &ast::CallArguments<&str>, out: &mut Named) {
    for a in &arguments.positional {
        inline_names(a, out);
    }
    for a in &arguments.named {
        inline_names(&a.value, out);
    }
}

fn inline_names(inline: &ast::InlineExpression<&str>, out: &mut Named) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            out.variables.insert(id.name.to_string());
        }
        ast::InlineExpression::Placeable { expression } => expression_names(expression, out),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            arguments_names(arguments, out);
        }
        ast::InlineExpression::MessageReference { id, attribute } => {
            out.references.push(Reference {
                id: id.name.to_string(),
                attribute: attribute.as_ref().map(|a| a.name.to_string()),
            });
        }
        ast::InlineExpression::TermReference {
            id,
            attribute,
            arguments,
        } => {
            out.references.push(Reference {
                id: format!("-{}", id.name),
                attribute: attribute.as_ref().map(|a| a.name.to_string()),
            });
            if let Some(arguments) = arguments {
                arguments_names(arguments, out);
            }
        }
        ast::InlineExpression::StringLiteral { .. }
        | ast::InlineExpression::NumberLiteral { .. } => {}
    }
}

/// Each reference of an entry to a message, term or attribute the file does not
/// define, as an error at the reference: Fluent looks references up in the same
/// file only, and words with a broken one show `{…}` in its place.
fn reference_problems(
    display: &str,
    text: &str,
    defined: &std::collections::HashMap<&str, (usize, usize)>,
    entries: &[(String, BTreeSet<String>, Vec<Reference>)],
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let attributes_of = |id: &str| {
        entries
            .iter()
            .find(|(e, _, _)| e == id)
            .map(|(_, attributes, _)| attributes)
    };
    // Where each entry starts, in line order, to look for its references in.
    let mut starts: Vec<usize> = defined.values().map(|(line, _)| *line).collect();
    starts.sort_unstable();
    for (entry, _, references) in entries {
        let what = |id: &str| {
            if id.starts_with('-') {
                "term"
            } else {
                "message"
            }
        };
        for reference in references {
            let id = reference.id.as_str();
            let problem = match (attributes_of(id), &reference.attribute) {
                (None, _) => {
                    let same_kind = entries
                        .iter()
                        .map(|(e, _, _)| e.as_str())
                        .filter(|e| e.starts_with('-') == id.starts_with('-'));
                    format!(
                        "{} '{entry}' refers to {} '{id}', which {display} does not define{} expected {}",
                        what(entry),
                        what(id),
                        did_you_mean(id, same_kind),
                        if id.starts_with('-') {
                            "a term of this file (`-name = …`)"
                        } else {
                            "a message of this file (`name = …`)"
                        }
                    )
                }
                (Some(attributes), Some(attribute)) if !attributes.contains(attribute) => {
                    let expected = if attributes.is_empty() {
                        format!("{} '{id}' has no attributes", what(id))
                    } else {
                        format!(
                            "expected one of: {}",
                            attributes
                                .iter()
                                .map(String::as_str)
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    format!(
                        "{} '{entry}' refers to attribute '{attribute}' of {} '{id}', which it does not have{} {expected}",
                        what(entry),
                        what(id),
                        did_you_mean(attribute, attributes.iter().map(String::as_str)),
                    )
                }
                _ => continue,
            };
            let start = defined.get(entry.as_str()).map_or(1, |(line, _)| *line);
            let end = starts.iter().copied().find(|l| *l > start);
            let (line, column) = reference_place(text, start, end, reference).unwrap_or((start, 1));
            problems.push(
                Diagnostic::error(display, problem)
                    .at(Some(line), Some(column))
                    .with_code("unknown-message-reference"),
            );
        }
    }
    problems
}

/// The 1-based line and column of `reference` in the lines `start` up to (not
/// including) `end` of `text`: the first place it is written inside braces,
/// outside a quoted literal, as a whole name.
fn reference_place(
    text: &str,
    start: usize,
    end: Option<usize>,
    reference: &Reference,
) -> Option<(usize, usize)> {
    let written = match &reference.attribute {
        Some(attribute) => format!("{}.{attribute}", reference.id),
        None => reference.id.clone(),
    };
    let part_of_name = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut depth = 0usize;
    let mut quoted = false;
    let lines = text.split('\n').enumerate().skip(start - 1);
    for (n, line) in lines.take_while(|(n, _)| end.is_none_or(|e| n + 1 < e)) {
        if depth == 0 && line.starts_with('#') {
            continue;
        }
        let mut escaped = false;
        let mut before: Option<char> = None;
        for (i, c) in line.char_indices() {
            if quoted {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => quoted = false,
                    _ => escaped = false,
                }
            } else {
                match c {
                    '{' => depth += 1,
                    '}' => depth = depth.saturating_sub(1),
                    '"' if depth > 0 => quoted = true,
                    _ if depth > 0
                        && !before.is_some_and(|b| part_of_name(b) || b == '$' || b == '[')
                        && line[i..].starts_with(&written)
                        && !line[i + written.len()..].starts_with(part_of_name) =>
                    {
                        return Some((n + 1, line[..i].chars().count() + 1));
                    }
                    _ => {}
                }
            }
            before = Some(c);
        }
    }
    None
}

/// The 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Where each message is defined, read in one pass: the first line that starts with
/// its id (no space or `=` inside) followed by `=`, at column 1.
fn definitions(text: &str) -> std::collections::HashMap<&str, (usize, usize)> {
    let mut found = std::collections::HashMap::new();
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let end = line
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(line.len());
        let (id, rest) = line.split_at(end);
        if !id.is_empty() && rest.trim_start().starts_with('=') {
            found.entry(id).or_insert((n + 1, 1));
        }
    }
    found
}

/// Messages put into words, remembered on each thread: the same message with the
/// same arguments in the same language always gives the same words, and most
/// applications give a few common messages. Each message is remembered by a
/// compact key of its id, own words and arguments. Bounded: a language's table is
/// emptied when full.
mod remembered {
    use crate::model::application::Language;
    use crate::model::message::{Arg, Text};
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::hash::{BuildHasherDefault, Hasher};

    /// The most messages kept per language on one thread.
    const CAPACITY: usize = 4096;

    type Table = HashMap<Box<[u8]>, String, BuildHasherDefault<FastHasher>>;

    /// The words remembered for one `Messages` (its key), per language, and room
    /// to write a key in.
    #[derive(Default)]
    struct Remembered {
        owner: u64,
        tables: [Table; 3],
        key: Vec<u8>,
    }

    thread_local! {
        static REMEMBERED: RefCell<Remembered> = RefCell::default();
    }

    fn slot(language: Language) -> usize {
        match language {
            Language::Nb => 0,
            Language::Nn => 1,
            Language::En => 2,
        }
    }

    /// Writes `text` as bytes that no other text writes: every part in order,
    /// each string after its length.
    fn write_key(text: &Text, out: &mut Vec<u8>) {
        fn string(s: &str, out: &mut Vec<u8>) {
            out.extend_from_slice(&(s.len() as u64).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        for part in [&text.id, &text.own] {
            match part {
                None => out.push(0),
                Some(s) => {
                    out.push(1);
                    string(s, out);
                }
            }
        }
        out.extend_from_slice(&(text.args.len() as u64).to_le_bytes());
        for (name, value) in &text.args {
            string(name, out);
            match value {
                Arg::Text(s) => {
                    out.push(0);
                    string(s, out);
                }
                Arg::Number(n) => {
                    out.push(1);
                    out.extend_from_slice(&n.to_le_bytes());
                }
                Arg::Messages(texts) => {
                    out.push(2);
                    out.extend_from_slice(&(texts.len() as u64).to_le_bytes());
                    for t in texts {
                        write_key(t, out);
                    }
                }
            }
        }
    }

    /// The words remembered for `text` in `language` by the messages `owner`.
    pub(super) fn get(owner: u64, language: Language, text: &Text) -> Option<String> {
        REMEMBERED.with(|r| {
            let mut r = r.try_borrow_mut().ok()?;
            if r.owner != owner {
                return None;
            }
            let Remembered { tables, key, .. } = &mut *r;
            key.clear();
            write_key(text, key);
            tables[slot(language)].get(key.as_slice()).cloned()
        })
    }

    /// Remembers the words of `text` in `language` by the messages `owner`.
    pub(super) fn keep(owner: u64, language: Language, text: &Text, words: &str) {
        REMEMBERED.with(|r| {
            let Ok(mut r) = r.try_borrow_mut() else {
                return;
            };
            if r.owner != owner {
                r.owner = owner;
                r.tables.iter_mut().for_each(Table::clear);
            }
            let Remembered { tables, key, .. } = &mut *r;
            let table = &mut tables[slot(language)];
            if table.len() >= CAPACITY {
                table.clear();
            }
            if table.capacity() == 0 {
                table.reserve(CAPACITY / 8);
            }
            key.clear();
            write_key(text, key);
            table.insert(key.as_slice().into(), words.to_string());
        });
    }

    /// A small, fixed (unseeded) hash of the FxHash kind: cheaper than the default
    /// for short keys, and the table is private to one thread.
    #[derive(Default, Clone, Copy)]
    struct FastHasher(u64);

    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    impl FastHasher {
        fn add(&mut self, word: u64) {
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
        }
    }

    impl Hasher for FastHasher {
        fn write(&mut self, bytes: &[u8]) {
            let mut chunks = bytes.chunks_exact(8);
            for chunk in &mut chunks {
                let mut word = [0u8; 8];
                word.copy_from_slice(chunk);
                self.add(u64::from_le_bytes(word));
            }
            let rest = chunks.remainder();
            if !rest.is_empty() {
                let mut word = [0u8; 8];
                word[..rest.len()].copy_from_slice(rest);
                self.add(u64::from_le_bytes(word));
            }
        }

        fn write_u8(&mut self, n: u8) {
            self.add(u64::from(n));
        }

        fn write_u32(&mut self, n: u32) {
            self.add(u64::from(n));
        }

        fn write_u64(&mut self, n: u64) {
            self.add(n);
        }

        fn write_usize(&mut self, n: usize) {
            self.add(n as u64);
        }

        fn finish(&self) -> u64 {
            self.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ruleset::files::RuleFile;

    fn with_messages(nb: &str, nn: &str, en: &str) -> RuleFiles {
        let mut files = RuleFiles::built_in().expect("built-in files");
        for (language, text) in [(Language::Nb, nb), (Language::Nn, nn), (Language::En, en)] {
            let logical = file_of(language);
            files.files.insert(
                logical.clone(),
                RuleFile {
                    display: logical,
                    text: text.to_string(),
                },
            );
        }
        files
    }

    const DAYS_NB: &str = "days-left = { $days ->\n    [one] { $days } virkedag\n   *[other] { $days } virkedager\n}\nonly-nb = bare bokmål\n";
    const DAYS_NN: &str = "days-left = { $days ->\n    [one] { $days } virkedag\n   *[other] { $days } virkedagar\n}\n";
    const DAYS_EN: &str = "days-left = { $days ->\n    [one] { $days } working day\n   *[other] { $days } working days\n}\n";

    fn days(messages: &Messages, language: Option<Language>, n: i64) -> String {
        messages.text(language, &Text::message("days-left", [("days", n)]))
    }

    #[test]
    fn the_shipped_rules_have_every_message_the_engine_gives_in_every_language() {
        let (messages, problems) = Messages::load(&RuleFiles::built_in().expect("built-in files"));
        assert!(problems.is_empty(), "{problems:?}");
        for language in LANGUAGES {
            let ids: BTreeSet<&str> = messages.ids(language).expect("a file").collect();
            for (id, _) in ENGINE_MESSAGES {
                assert!(ids.contains(id), "{id} in {}", code(language));
            }
        }
        // Each action's message is `action-<code>`; the match fails to compile
        // when a new action is not listed here.
        use crate::model::status::ActionCode::{
            AppealWindow, DeliverOrPostpone, DismissOrFollowUp, PreliminaryReply, SendReminder,
        };
        for action in [
            AppealWindow,
            DeliverOrPostpone,
            DismissOrFollowUp,
            PreliminaryReply,
            SendReminder,
        ] {
            match action {
                AppealWindow | DeliverOrPostpone | DismissOrFollowUp | PreliminaryReply
                | SendReminder => {}
            }
            let id = format!("action-{}", action.as_str());
            assert!(ENGINE_MESSAGES.iter().any(|(i, _)| *i == id), "{id}");
        }
    }

    #[test]
    fn plural_forms_follow_the_number_in_each_language() {
        let (messages, problems) = Messages::load(&with_messages(DAYS_NB, DAYS_NN, DAYS_EN));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(days(&messages, None, 1), "1 virkedag");
        assert_eq!(days(&messages, Some(Language::Nb), 2), "2 virkedager");
        assert_eq!(days(&messages, Some(Language::Nn), 1), "1 virkedag");
        assert_eq!(days(&messages, Some(Language::Nn), 2), "2 virkedagar");
        assert_eq!(days(&messages, Some(Language::En), 1), "1 working day");
        assert_eq!(days(&messages, Some(Language::En), 30), "30 working days");
    }

    #[test]
    fn a_message_missing_in_a_language_falls_back_to_bokmal_then_to_the_rules_own_words() {
        let (messages, _) = Messages::load(&with_messages(DAYS_NB, DAYS_NN, DAYS_EN));
        let only_nb = Text::or_own("only-nb", "the rule's words");
        assert_eq!(messages.text(Some(Language::En), &only_nb), "bare bokmål");
        let nowhere = Text::or_own("nowhere", "the rule's words");
        assert_eq!(
            messages.text(Some(Language::Nn), &nowhere),
            "the rule's words"
        );
    }

    #[test]
    fn words_remembered_on_a_thread_belong_to_their_own_messages() {
        let (first, _) = Messages::load(&with_messages("hello = Hei, { $name }!\n", "", ""));
        let (second, _) = Messages::load(&with_messages("hello = Hallo, { $name }!\n", "", ""));
        let kari = Text::message("hello", [("name", "Kari")]);
        let ola = Text::message("hello", [("name", "Ola")]);
        for _ in 0..2 {
            assert_eq!(first.text(None, &kari), "Hei, Kari!");
            assert_eq!(second.text(None, &kari), "Hallo, Kari!");
            assert_eq!(first.text(Some(Language::En), &ola), "Hei, Ola!");
            assert_eq!(first.text(None, &ola), "Hei, Ola!");
            for own in ["a", "b"] {
                assert_eq!(first.text(None, &Text::or_own("nowhere", own)), own);
            }
        }
    }

    #[test]
    fn arguments_are_not_wrapped_in_isolation_marks() {
        let (messages, _) = Messages::load(&with_messages("hello = Hei, { $name }!\n", "", ""));
        let text = messages.text(None, &Text::message("hello", [("name", "Kari")]));
        assert_eq!(text, "Hei, Kari!");
    }

    #[test]
    fn a_syntax_error_names_the_file_line_and_column() {
        let (_, problems) = Messages::load(&with_messages(
            DAYS_NB,
            "ok = fine\nbroken = { $x $y }\nnext = fine\n",
            DAYS_EN,
        ));
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(
            shown.iter().any(|p| p.starts_with(
                "rules/messages/nn.ftl:2:15: error: Expected a token starting with \"}\""
            ) && p.contains("error")),
            "{shown:?}"
        );
    }

    #[test]
    fn check_reports_an_id_missing_in_a_language_and_a_message_nothing_uses() {
        let (messages, _) = Messages::load(&with_messages(DAYS_NB, DAYS_NN, DAYS_EN));
        let used: BTreeMap<String, Use> = [(
            "only-nb".to_string(),
            Use {
                place: ("rules/x.rhai".to_string(), Some(3), Some(9)),
                by: "rules/x.rhai".to_string(),
                args: None,
            },
        )]
        .into();
        let shown: Vec<String> = messages
            .check(&used, true)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(
            shown
                .iter()
                .any(|p| p
                    .starts_with("rules/x.rhai:3:9: warning: 'only-nb' has no message in nn, en")),
            "{shown:?}"
        );
        assert!(
            shown.iter().any(|p| p.starts_with(
                "rules/messages/nn.ftl:1:1: warning: message 'days-left' is not used"
            )),
            "{shown:?}"
        );
    }

    #[test]
    fn a_reference_to_a_message_or_term_the_file_lacks_is_an_error_at_the_reference() {
        let nb = "-brand = Helsedataservice\n\
                  greet = Hei\n    .short = Hi\n\
                  # { -brnad } in a comment is no reference\n\
                  intro = Hei fra { -brand }\n\
                  typo = Hei fra { -brnad } og { intro }\n\
                  missing = Se { no-such-message }, { \"{ intr }\" } og { intr }\n\
                  attr = { greet.short } og { greet.shrt } og { intro.kind }\n\
                  select = { $n ->\n    [one] { -brand }\n   *[other] { -nope }\n}\n\
                  kind = { -brand.kind ->\n   *[other] Den\n}\n";
        let (messages, problems) = Messages::load(&with_messages(nb, "", ""));
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "rules/messages/nb.ftl:6:18: error: message 'typo' refers to term '-brnad', which rules/messages/nb.ftl does not define; did you mean '-brand'? expected a term of this file (`-name = …`)",
                "rules/messages/nb.ftl:7:16: error: message 'missing' refers to message 'no-such-message', which rules/messages/nb.ftl does not define; expected a message of this file (`name = …`)",
                "rules/messages/nb.ftl:7:55: error: message 'missing' refers to message 'intr', which rules/messages/nb.ftl does not define; did you mean 'intro'? expected a message of this file (`name = …`)",
                "rules/messages/nb.ftl:8:29: error: message 'attr' refers to attribute 'shrt' of message 'greet', which it does not have; did you mean 'short'? expected one of: short",
                "rules/messages/nb.ftl:8:47: error: message 'attr' refers to attribute 'kind' of message 'intro', which it does not have; message 'intro' has no attributes",
                "rules/messages/nb.ftl:11:15: error: message 'select' refers to term '-nope', which rules/messages/nb.ftl does not define; expected a term of this file (`-name = …`)",
                "rules/messages/nb.ftl:13:10: error: message 'kind' refers to attribute 'kind' of term '-brand', which it does not have; term '-brand' has no attributes",
            ]
        );
        // The file still reads: its words are there, the good references resolved.
        let words = messages.text(None, &Text::message("intro", Vec::<(&str, i64)>::new()));
        assert_eq!(words, "Hei fra Helsedataservice");
    }

    #[test]
    fn references_to_what_the_file_defines_are_not_reported() {
        let nb = "-brand = Helsedataservice\n    .gender = masculine\n\
                  intro = Hei fra { -brand }\n    .title = { -brand.gender ->\n        [masculine] Han\n       *[other] Den\n    }\n\
                  again = { intro } { intro.title } { -brand(case: \"genitive\") }\n";
        let (_, problems) = Messages::load(&with_messages(nb, "", ""));
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_message_another_message_refers_to_is_used() {
        let nb = "phrase = hver kilde\nsource-listed-twice = Oppgi { phrase } én gang\n";
        let (messages, problems) = Messages::load(&with_messages(nb, "", ""));
        assert!(problems.is_empty(), "{problems:?}");
        let used: BTreeMap<String, Use> = [(
            "source-listed-twice".to_string(),
            Use {
                place: ("rules/x.rhai".to_string(), Some(3), Some(9)),
                by: "rules/x.rhai".to_string(),
                args: Some(BTreeSet::new()),
            },
        )]
        .into();
        let unused: Vec<String> = messages
            .check(&used, true)
            .iter()
            .map(ToString::to_string)
            .filter(|p| p.contains("is not used"))
            .collect();
        assert_eq!(unused, Vec::<String>::new());
    }
}
