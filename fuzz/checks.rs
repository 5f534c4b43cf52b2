//! The checks the fuzz targets make, shared with tests/fuzz_corpus.rs, which replays the kept
//! corpora through them on the stable toolchain.
// Each target uses one of the checks.
#![allow(dead_code)]

use hub::config::Config;
use hub::content::{DocSource, Inventory, decode, document};
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
    let env = document::Env {
        inv,
        config,
        urls,
        reserved_ids: &reserved,
        field_labels: &[],
    };
    if let Some(doc) = document::parse(&text, src, env, &mut diags)
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

/// The parts of a whole-hub input, in order: split at lines `====`.
const HUB_FILES: [&str; 6] = [
    "case-studies/alpha.md",
    "case-studies/alpha.cy.md",
    "case-studies/beta/index.md",
    "about.md",
    "about.cy.md",
    "actions/powys-2023-24.yaml",
];

/// The default theme, loaded once (minifying its assets is not what is being fuzzed).
static THEME: LazyLock<hub::theme::Theme> = LazyLock::new(|| {
    let mut d = Vec::new();
    hub::theme::load(
        std::path::Path::new("/nonexistent"),
        "default",
        false,
        &mut d,
    )
    .expect("the built-in theme loads")
});

/// A small hub from one input (two studies with a translation, a page with a translation, a
/// file of actions): loaded, cross-checked and rendered like `hub build`. Never a panic; every
/// diagnostic positioned; every study's HTML inert; every XML file well-formed.
pub fn hub_site(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parts: Vec<&str> = text.splitn(HUB_FILES.len(), "\n====\n").collect();
    let mut inv = Inventory::default();
    let mut docs_src = Vec::new();
    let mut actions = Vec::new();
    let mut diags = Vec::new();
    let config = Config::fallback();
    for (rel, body) in HUB_FILES.iter().zip(&parts) {
        let path = format!("content/{rel}");
        if rel.starts_with("actions/") {
            if let Some(f) = hub::content::actions::parse(&path, body, &config.vocab, &mut diags) {
                actions.push(f);
            }
            continue;
        }
        let (key, lang) = match *rel {
            "case-studies/alpha.md" => (DocKey::Study("alpha".into()), Lang::En),
            "case-studies/alpha.cy.md" => (DocKey::Study("alpha".into()), Lang::Cy),
            "case-studies/beta/index.md" => (DocKey::Study("beta".into()), Lang::En),
            "about.md" => (DocKey::Page("about".into()), Lang::En),
            _ => (DocKey::Page("about".into()), Lang::Cy),
        };
        inv.doc_paths.insert(rel.to_string(), key.clone());
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        docs_src.push((
            DocSource {
                path: path.clone(),
                abs: format!("/nonexistent/{path}").into(),
                key,
                lang,
                dir,
            },
            body.to_string(),
        ));
    }
    inv.docs = docs_src.iter().map(|(s, _)| s.clone()).collect();
    let urls = Urls::new("/", Lang::En);
    let sources = hub::Sources {
        config,
        theme: THEME.clone(),
        inventory: inv,
        urls,
        actions,
        library: Default::default(),
        reviews: Vec::new(),
        intros: Vec::new(),
        today: "2026-01-01".into(),
        field_labels: THEME.field_labels(),
    };
    let env = sources.doc_env();
    // Each file's bytes go through the same check as a file read from disk.
    let docs: Vec<_> = docs_src
        .iter()
        .filter_map(|(src, body)| {
            let text = decode(body.as_bytes().to_vec(), &src.path, &mut diags)?;
            document::parse(&text, src, env, &mut diags)
        })
        .collect();
    for d in &diags {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
    }
    let Ok((site, _)) = hub::assemble(&sources, &docs, false, diags) else {
        return;
    };
    for s in &site.studies {
        for (_, t) in s.texts.iter() {
            let Some(t) = t else { continue };
            if let Some(bad) = hub::markdown::executable_construct(&t.body.html) {
                panic!("rendered {bad}:\n{}", t.body.html);
            }
        }
    }
    let Ok(files) = hub::render_site(&site, &sources.theme, &Default::default()) else {
        return;
    };
    for f in files {
        if f.path.ends_with(".xml")
            && let hub::output::Payload::Bytes(b) = &f.payload
        {
            let text = std::str::from_utf8(b).expect("XML is UTF-8");
            if let Err(e) = roxmltree::Document::parse(text) {
                panic!("{} is not XML: {e}\n{text}", f.path);
            }
        }
    }
}

/// `hub serve`'s handling of what a request names: a path never leaves the site, a `Host` is
/// judged without panicking, and any redirect target is a valid header.
pub fn serve_request(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (path, host) = text.split_once('\n').unwrap_or((text, ""));
    if let Some(key) = hub::serve::http::resolve(path) {
        assert!(!key.starts_with('/'), "{key}");
        assert!(
            key.split('/').all(|s| s != ".." && s != "."),
            "{path} → {key}"
        );
        assert!(!key.contains(['\\', '\0']), "{key}");
        let location = hub::serve::http::location(&format!("/{key}/"));
        assert!(
            location.is_ascii() && !location.contains(['\r', '\n']),
            "{location}"
        );
    }
    let _ = hub::serve::http::host_allowed(Some(host), [127, 0, 0, 1].into());
    let _ = hub::serve::http::host_allowed(Some(host), [0, 0, 0, 0].into());
}
