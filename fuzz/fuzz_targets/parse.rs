//! Arbitrary bytes through decoding, parsing and lowering: none may panic,
//! hang or overflow the stack.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = dockcheck::workspace::decode(data.to_vec()) {
        let _ = dockcheck::load::parse_and_lower(0, &text);
    }
});
