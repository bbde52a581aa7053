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

/// One JSON line with its newline, written straight into a buffer sized for a
/// typical decision.
pub fn json_record<T: Serialize>(value: &T) -> String {
    let mut bytes = Vec::with_capacity(1024);
    match serde_json::to_writer(&mut bytes, value) {
        Ok(()) => {
            bytes.push(b'\n');
            // serde_json writes only UTF-8; should that ever fail, write it as json_line does.
            String::from_utf8(bytes).unwrap_or_else(|_| json_line(value) + "\n")
        }
        Err(_) => json_line(value) + "\n",
    }
}
