//! JSON Schemas (draft 2020-12) generated from the Rust types: for the YAML documents
//! people write, so an editor underlines what `hds` would reject, and for the
//! decision `hds` writes, so the programs that read it can check what they get.

use schemars::generate::SchemaSettings;
use schemars::schema_for;

/// The documents a schema exists for: the five `hds` reads, then the three it
/// writes.
pub const DOCUMENTS: [&str; 8] = [
    "application",
    "calendar",
    "catalog",
    "case",
    "scenario",
    "decision",
    "status",
    "invoice",
];

/// The schema of a document `hds` writes: what serialising gives.
fn written<T: schemars::JsonSchema>() -> schemars::Schema {
    SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<T>()
}

/// The schema of one document, pretty-printed, or `None` for an unknown name.
pub fn schema(document: &str) -> Option<String> {
    let schema = match document {
        "application" => schema_for!(crate::model::application::Application),
        "calendar" => schema_for!(crate::calendar::file::CalendarFile),
        "catalog" => schema_for!(crate::catalog::CatalogFile),
        "case" => schema_for!(crate::model::case::CaseFile),
        "scenario" => schema_for!(crate::tools::scenario::file::ScenarioFile),
        "decision" => written::<crate::model::decision::Decision>(),
        "status" => written::<crate::model::status::CaseStatus>(),
        "invoice" => written::<crate::model::invoice::Invoice>(),
        _ => return None,
    };
    let mut schema = schema;
    if let Some(map) = schema.as_object_mut() {
        map.values_mut().for_each(describe_tags);
    }
    serde_json::to_string_pretty(&schema).ok().map(|s| s + "\n")
}

/// Gives the tag property of each variant of a tagged enum (a `const` with no
/// words, e.g. an event's `kind`) a description naming its value.
fn describe_tags(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if let (Some(serde_json::Value::String(tag)), false) =
                (map.get("const"), map.contains_key("description"))
            {
                let words = format!("Always `{tag}`: which kind this is.");
                map.insert("description".to_string(), words.into());
            }
            map.values_mut().for_each(describe_tags);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(describe_tags),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_in_schemas_equal_the_generated_ones() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
        for doc in DOCUMENTS {
            let path = dir.join(format!("{doc}.schema.json"));
            let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                Some(checked_in) == schema(doc),
                "{} is out of date; regenerate it with `cargo run -- schema {doc} > schemas/{doc}.schema.json`",
                path.display()
            );
        }
    }

    /// The paths of the properties and definitions in `schema` that have no
    /// `description`.
    fn undescribed(schema: &serde_json::Value, path: &str, out: &mut Vec<String>) {
        match schema {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    let named = match key.as_str() {
                        "properties" | "$defs" => value.as_object(),
                        _ => None,
                    };
                    match named {
                        Some(children) => {
                            for (name, child) in children {
                                let at = format!("{path}/{key}/{name}");
                                if child.get("description").is_none() {
                                    out.push(at.clone());
                                }
                                undescribed(child, &at, out);
                            }
                        }
                        None => undescribed(value, &format!("{path}/{key}"), out),
                    }
                }
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    undescribed(item, &format!("{path}/{i}"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_property_and_definition_of_every_schema_has_a_description() {
        for doc in DOCUMENTS {
            let text = schema(doc).expect("schema");
            let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            let mut missing = Vec::new();
            if value.get("description").is_none() {
                missing.push(String::new());
            }
            undescribed(&value, "", &mut missing);
            assert!(missing.is_empty(), "{doc}: no description at {missing:?}");
        }
    }

    #[test]
    fn the_description_check_finds_an_undescribed_property() {
        let bare = serde_json::json!({
            "description": "d",
            "properties": {"a": {"description": "a"}, "b": {"type": "string"}},
            "$defs": {"C": {"properties": {"d": {"type": "string"}}}}
        });
        let mut missing = Vec::new();
        undescribed(&bare, "", &mut missing);
        assert_eq!(
            missing,
            ["/properties/b", "/$defs/C", "/$defs/C/properties/d"]
        );
    }

    #[test]
    fn schemas_declare_draft_2020_12() {
        for doc in DOCUMENTS {
            let s = schema(doc).expect("schema");
            assert!(
                s.contains("https://json-schema.org/draft/2020-12/schema"),
                "{doc}"
            );
        }
    }
}
