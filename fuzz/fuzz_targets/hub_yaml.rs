//! hub.yaml: any text gives a Config or diagnostics, never a panic.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::hub_yaml(data));
