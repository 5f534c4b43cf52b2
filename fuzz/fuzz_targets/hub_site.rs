//! A whole small hub from one input: two studies (one translated), a page and its translation,
//! and a file of actions, loaded, cross-checked (links, fragments, translations) and rendered.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::hub_site(data));
