//! `hub serve`'s handling of a request's path (`resolve`, redirects) and `Host` header.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::serve_request(data));
