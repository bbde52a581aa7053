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

/// One JSON line with its newline, as UTF-8 bytes, written straight into a buffer
/// sized for a typical decision.
pub fn json_record<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(1024);
    match serde_json::to_writer(&mut bytes, value) {
        Ok(()) => {
            bytes.push(b'\n');
            bytes
        }
        Err(_) => (json_line(value) + "\n").into_bytes(),
    }
}
