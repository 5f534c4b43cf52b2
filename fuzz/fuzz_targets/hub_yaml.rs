//! hub.yaml: any text gives a Config or diagnostics, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut diags = Vec::new();
    let _ = hub::config::parse(text, None, &mut diags);
    let _ = hub::config::parse(text, Some("https://example.org/sub/"), &mut diags);
    for d in &diags {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
    }
});
