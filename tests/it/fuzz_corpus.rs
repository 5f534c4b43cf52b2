//! Replays the fuzzers' kept corpora (fuzz/corpus/, minimised with `cargo fuzz cmin`) through the
//! fuzz targets' own checks (fuzz/checks.rs) on the stable toolchain: every input that once
//! reached new code stays a regression test.

#[path = "../../fuzz/checks.rs"]
mod checks;

use std::fs;
use std::path::Path;

fn corpus(name: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(name);
    let mut out: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let p = e.unwrap().path();
            (p.display().to_string(), fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

fn replay(name: &str, check: fn(&[u8])) {
    let inputs = corpus(name);
    assert!(inputs.len() > 100, "{} inputs", inputs.len());
    for (path, bytes) in inputs {
        if std::panic::catch_unwind(|| check(&bytes)).is_err() {
            panic!("{path} fails the `{name}` check");
        }
    }
}

#[test]
fn every_document_input_renders_inert_html_and_positioned_diagnostics() {
    replay("document", checks::document);
}

#[test]
fn every_hub_yaml_input_parses_or_is_diagnosed() {
    replay("hub_yaml", checks::hub_yaml);
}

#[test]
fn every_hub_site_input_is_checked_and_rendered_safely() {
    replay("hub_site", checks::hub_site);
}

#[test]
fn every_serve_request_input_stays_inside_the_site() {
    replay("serve_request", checks::serve_request);
}
