//! Output for programs as JSON, one value per line (JSON Lines): decisions, error
//! records, traces and reports.

use serde::Serialize;

/// One JSON line (without the newline).
pub fn json_line<T: Serialize>(value: &T) -> String {
    // Serialising these plain structs cannot fail; fall back to a valid record anyway.
    serde_json::to_string(value).unwrap_or_else(|e| {
        format!("{{\"application\":null,\"input\":\"\",\"error\":{{\"kind\":\"internal\",\"message\":\"{e}\"}}}}")
    })
}
