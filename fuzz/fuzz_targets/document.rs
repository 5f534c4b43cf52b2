//! The whole single-file path: bytes → UTF-8 check → front-matter split → YAML → field
//! validation → Markdown → link rewriting → sanitising. It must never panic, and what it renders
//! must never contain an executable construct.
#![no_main]

use hub::config::Config;
use hub::content::{DocSource, Inventory, decode, front};
use hub::lang::Lang;
use hub::urls::{DocKey, Urls};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

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
    let config = Config::fallback();
    let urls = Urls::new("/", Lang::En);
    let src = DocSource {
        path: "content/case-studies/alpha.md".into(),
        abs: "/nonexistent/content/case-studies/alpha.md".into(),
        key: DocKey::Study("alpha".into()),
        lang: Lang::En,
        dir: "case-studies".into(),
    };
    (inv, config, urls, src)
});

fuzz_target!(|data: &[u8]| {
    let (inv, config, urls, src) = &*WORLD;
    let mut diags = Vec::new();
    let Some(text) = decode(data.to_vec(), &src.path, &mut diags) else {
        return;
    };
    if let Some(doc) = front::parse(&text, src, inv, config, urls, &mut diags) {
        if let Some(bad) = hub::markdown::executable_construct(&doc.body.html) {
            panic!("rendered {bad}:\n{}", doc.body.html);
        }
    }
    for d in &diags {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
    }
});
