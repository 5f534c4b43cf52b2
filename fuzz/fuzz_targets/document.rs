//! The whole single-file path: bytes → UTF-8 check → front-matter split → YAML → field
//! validation → Markdown → link rewriting → sanitising.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::document(data));
