//! JSON Schemas (draft 2020-12) for the YAML documents people write, generated from
//! the Rust types that read them, so an editor underlines what `hds` would reject.

use schemars::schema_for;

/// The documents a schema exists for.
pub const DOCUMENTS: [&str; 4] = ["application", "calendar", "catalog", "scenario"];

/// The schema of one document, pretty-printed, or `None` for an unknown name.
pub fn schema(document: &str) -> Option<String> {
    let schema = match document {
        "application" => schema_for!(crate::model::application::Application),
        "calendar" => schema_for!(crate::calendar::file::CalendarFile),
        "catalog" => schema_for!(crate::catalog::CatalogFile),
        "scenario" => schema_for!(crate::tools::scenario::file::ScenarioFile),
        _ => return None,
    };
    serde_json::to_string_pretty(&schema).ok().map(|s| s + "\n")
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
