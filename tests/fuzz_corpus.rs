//! Replays the fuzzers' kept corpora (fuzz/corpus/, minimised with `cargo fuzz cmin`) through the
//! same checks as the fuzz targets, on the stable toolchain: every input that once reached new
//! code stays a regression test.

use hub::config::Config;
use hub::content::{DocSource, Inventory, decode, front};
use hub::lang::Lang;
use hub::urls::{DocKey, Urls};
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

#[test]
fn every_document_input_renders_inert_html_and_positioned_diagnostics() {
    let mut inv = Inventory::default();
    for (path, key) in [
        ("case-studies/alpha.md", DocKey::Study("alpha".into())),
        ("case-studies/beta/index.md", DocKey::Study("beta".into())),
        ("about.md", DocKey::Page("about".into())),
    ] {
        inv.doc_paths.insert(path.into(), key);
    }
    inv.file_paths.insert("case-studies/beta/route.svg".into());
    let config = Config::fallback();
    let urls = Urls::new("/", Lang::En);
    let src = DocSource {
        path: "content/case-studies/alpha.md".into(),
        abs: "/nonexistent/content/case-studies/alpha.md".into(),
        key: DocKey::Study("alpha".into()),
        lang: Lang::En,
        dir: "case-studies".into(),
    };
    let inputs = corpus("document");
    assert!(inputs.len() > 100, "{} inputs", inputs.len());
    for (name, bytes) in inputs {
        let mut diags = Vec::new();
        let Some(text) = decode(bytes, &src.path, &mut diags) else {
            continue;
        };
        if let Some(doc) = front::parse(&text, &src, &inv, &config, &urls, &mut diags) {
            assert_eq!(
                hub::markdown::executable_construct(&doc.body.html),
                None,
                "{name}"
            );
        }
        assert!(diags.iter().all(|d| d.line >= 1 && d.column >= 1), "{name}");
    }
}

#[test]
fn every_hub_yaml_input_parses_or_is_diagnosed() {
    let inputs = corpus("hub_yaml");
    assert!(inputs.len() > 100, "{} inputs", inputs.len());
    for (name, bytes) in inputs {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let mut diags = Vec::new();
        let _ = hub::config::parse(text, None, &mut diags);
        assert!(diags.iter().all(|d| d.line >= 1 && d.column >= 1), "{name}");
    }
}
