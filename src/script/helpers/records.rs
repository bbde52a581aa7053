//! What a stage returns, as records: `missing`, `finding`, `require_attachment`,
//! `route`, `redirect` and `redirect_application`.

use rhai::{Dynamic, Engine, ImmutableString, Map};

/// Reads a source argument: a source id, a source map (its `id`), or `()`.
pub(super) fn source_id(source: &Dynamic) -> Dynamic {
    crate::script::frozen::field(source, "id").unwrap_or_else(|| source.clone())
}

fn record<const N: usize>(kind: &str, fields: [(&str, Dynamic); N]) -> Map {
    let mut map = Map::new();
    map.insert("record".into(), Dynamic::from(ImmutableString::from(kind)));
    for (k, v) in fields {
        map.insert(k.into(), v);
    }
    map
}

/// `missing(item, [source,] message)`: `source` a source id, a source map or `()`.
pub(super) fn missing(item: ImmutableString, source: &Dynamic, message: Dynamic) -> Map {
    record(
        "missing",
        [
            ("item", item.into()),
            ("source", source_id(source)),
            ("message", message),
        ],
    )
}

/// `finding(code, severity, [source,] message)`.
pub(super) fn finding(
    code: ImmutableString,
    severity: ImmutableString,
    source: &Dynamic,
    message: Dynamic,
) -> Map {
    record(
        "finding",
        [
            ("code", code.into()),
            ("severity", severity.into()),
            ("source", source_id(source)),
            ("message", message),
        ],
    )
}

/// `require_attachment(kind)`.
pub(super) fn require_attachment(kind: ImmutableString) -> Map {
    record("require_attachment", [("kind", kind.into())])
}

/// `route(source, custodian)`.
pub(super) fn route(source: &Dynamic, custodian: ImmutableString) -> Map {
    record(
        "route",
        [
            ("source", source_id(source)),
            ("custodian", custodian.into()),
        ],
    )
}

/// `redirect(source, reason, form_url)`; `redirect_application` with `()` as source.
pub(super) fn redirect(source: &Dynamic, reason: ImmutableString, form_url: Dynamic) -> Map {
    record(
        "redirect",
        [
            ("source", source_id(source)),
            ("reason", reason.into()),
            ("form_url", form_url),
        ],
    )
}

/// Registers the record helpers.
pub(super) fn register(engine: &mut Engine) {
    register!(
        engine,
        "missing",
        &["item: string", "message: string | map", "record"],
        "A missing item of the whole application (completeness stage). The message is the arguments of message `missing-<item>` in rules/messages/, e.g. missing(\"purpose\", #{purposes: \"...\"}), or the rule's own words.",
        |item: ImmutableString, message: Dynamic| missing(item, &Dynamic::UNIT, message),
    );
    register!(
        engine,
        "missing",
        &[
            "item: string",
            "source: string | map",
            "message: string | map",
            "record"
        ],
        "A missing item of one source (completeness stage).",
        |item: ImmutableString, source: Dynamic, message: Dynamic| missing(item, &source, message),
    );
    register!(
        engine,
        "finding",
        &[
            "code: string",
            "severity: string",
            "message: string | map",
            "record"
        ],
        "A finding about the whole application; severity is \"info\", \"warning\" or \"error\". The message is the arguments of the message with the code's id in rules/messages/, e.g. #{days: 30}, or the rule's own words.",
        |code: ImmutableString, severity: ImmutableString, message: Dynamic| {
            finding(code, severity, &Dynamic::UNIT, message)
        },
    );
    register!(
        engine,
        "finding",
        &[
            "code: string",
            "severity: string",
            "source: string | map",
            "message: string | map",
            "record"
        ],
        "A finding about one source; an \"error\" finding makes that source ineligible.",
        |code: ImmutableString, severity: ImmutableString, source: Dynamic, message: Dynamic| {
            finding(code, severity, &source, message)
        },
    );
    register!(
        engine,
        "require_attachment",
        &["kind: string", "record"],
        "Marks an attachment kind as required (completeness stage): its arrival can move complete_on.",
        |kind: ImmutableString| require_attachment(kind),
    );
    register!(
        engine,
        "route",
        &["source: string | map", "custodian: string", "record"],
        "Sends a source to a custodian's sub-case (routing stage).",
        |source: Dynamic, custodian: ImmutableString| route(&source, custodian),
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
            redirect(&source, reason, form_url)
        },
    );
    register!(
        engine,
        "redirect_application",
        &["reason: string", "form_url: string | ()", "record"],
        "Redirects the whole application (eligibility stage); nothing else is then decided.",
        |reason: ImmutableString, form_url: Dynamic| { redirect(&Dynamic::UNIT, reason, form_url) },
    );
}
