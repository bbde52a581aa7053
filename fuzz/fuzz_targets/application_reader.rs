//! Any bytes through the application reader, as standard input and as each file
//! type: never a panic, never a hang, every record named in order.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::ops::ControlFlow;

fuzz_target!(|data: &[u8]| {
    let mut last = 0usize;
    let _ = hds::input::read_stream("-", data, &mut |record| {
        if let Some((_, n)) = record.input.rsplit_once(':') {
            let n: usize = n.parse().expect("a line number");
            assert!(n > last, "records out of order");
            last = n;
        }
        ControlFlow::Continue(())
    });
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = hds::input::parse_json("f.jsonl", Some(1), text);
        let _ = hds::input::parse_yaml_documents("f.yaml", text);
    }
});
