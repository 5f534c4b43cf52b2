//! The checks the fuzz targets make, shared with tests/fuzz_corpus.rs, which replays the kept
//! corpora through them on the stable toolchain.
// Each target uses one of the checks.
#![allow(dead_code)]

use hub::config::Config;
use hub::content::{DocSource, Inventory, decode, front};
use hub::lang::Lang;
use hub::urls::{DocKey, Urls};
use std::sync::LazyLock;

/// A small hub for one document to be read into: two studies, a page and a bundle file.
static WORLD: LazyLock<(Inventory, Config, Urls, DocSource)> = LazyLock::new(|| {
    let mut inv = Inventory::default();
    for (path, key) in [
        ("case-studies/alpha.md", DocKey::Study("alpha".into())),
        ("case-studies/beta/index.md", DocKey::Study("beta".into())),
        ("about.md", DocKey::Page("about".into())),
    ] {
        inv.doc_paths.insert(path.into(), key);
    }
    inv.file_paths.insert("case-studies/beta/route.svg".into());
    let src = DocSource {
        path: "content/case-studies/alpha.md".into(),
        abs: "/nonexistent/content/case-studies/alpha.md".into(),
        key: DocKey::Study("alpha".into()),
        lang: Lang::En,
        dir: "case-studies".into(),
    };
    (inv, Config::fallback(), Urls::new("/", Lang::En), src)
});

/// The whole single-file path: never a panic, every diagnostic positioned, rendered HTML inert.
pub fn document(data: &[u8]) {
    let (inv, config, urls, src) = &*WORLD;
    let mut diags = Vec::new();
    let Some(text) = decode(data.to_vec(), &src.path, &mut diags) else {
        return;
    };
    let reserved: std::collections::HashSet<String> = ["main".to_string(), "q".to_string()].into();
    let env = front::Env {
        inv,
        config,
        urls,
        reserved_ids: &reserved,
    };
    if let Some(doc) = front::parse(&text, src, env, &mut diags)
        && let Some(bad) = hub::markdown::executable_construct(&doc.body.html)
    {
        panic!("rendered {bad}:\n{}", doc.body.html);
    }
    for d in &diags {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
    }
}

/// hub.yaml: a Config or diagnostics, never a panic, every diagnostic positioned.
pub fn hub_yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut diags = Vec::new();
    let _ = hub::config::parse(text, None, &mut diags);
    let _ = hub::config::parse(text, Some("https://example.org/sub/"), &mut diags);
    for d in &diags {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
    }
}
