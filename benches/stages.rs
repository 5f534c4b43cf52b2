//! Micro-benchmarks of the hot stages, on this repository's own hub (`cargo bench`):
//! front matter and YAML, one document end to end, Markdown, the model, page rendering, the
//! search index and writing the site. Whole-build comparisons with Hugo are bench/build.py.

use hub::config::Config;
use hub::content::{DocSource, Inventory, document, fences};
use hub::lang::Lang;
use hub::urls::{DocKey, Urls};
use hub::yaml;
use hub::{BuildOptions, Loaded};
use std::path::PathBuf;
use std::sync::LazyLock;

fn main() {
    divan::main();
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

static STUDY: LazyLock<String> = LazyLock::new(|| {
    std::fs::read_to_string(repo().join("content/case-studies/physio-first.md")).unwrap()
});

static LOADED: LazyLock<Loaded> = LazyLock::new(|| {
    hub::load(&BuildOptions {
        root: repo(),
        ..BuildOptions::default()
    })
    .expect("the repository's hub loads")
});

#[divan::bench]
fn front_matter_and_yaml() -> usize {
    let split = fences::split(divan::black_box(&STUDY)).unwrap();
    match yaml::parse(split.yaml).unwrap().value {
        yaml::Value::Map(m) => m.len(),
        _ => 0,
    }
}

#[divan::bench]
fn one_document_end_to_end(bencher: divan::Bencher) {
    let mut inv = Inventory::default();
    inv.doc_paths.insert(
        "case-studies/accurx.md".into(),
        DocKey::Study("accurx".into()),
    );
    let config = Config::fallback();
    let urls = Urls::new("/", Lang::En);
    let src = DocSource {
        path: "content/case-studies/physio-first.md".into(),
        abs: repo().join("content/case-studies/physio-first.md"),
        key: DocKey::Study("physio-first".into()),
        lang: Lang::En,
        dir: "case-studies".into(),
    };
    bencher.bench(|| {
        let mut diags = Vec::new();
        let reserved = Default::default();
        let env = document::Env {
            inv: &inv,
            config: &config,
            urls: &urls,
            reserved_ids: &reserved,
            field_labels: &[],
        };
        document::parse(divan::black_box(&STUDY), &src, env, &mut diags).map(|d| d.body.html.len())
    });
}

#[divan::bench]
fn load_and_model_the_hub() -> usize {
    hub::load(&BuildOptions {
        root: repo(),
        ..BuildOptions::default()
    })
    .unwrap()
    .site
    .studies
    .len()
}

#[divan::bench]
fn render_every_page() -> usize {
    hub::render_site(&LOADED.site, &LOADED.theme, &Default::default())
        .unwrap()
        .len()
}

#[divan::bench]
fn search_index() -> usize {
    let postings = hub::search::postings(&LOADED.site);
    let labels = hub::vocab::Kind::ALL.map(|k| (k, k.name().to_string()));
    hub::search::files(&LOADED.site, &postings, Lang::En, &labels).len()
}

#[divan::bench]
fn write_the_site(bencher: divan::Bencher) {
    let files = hub::render_site(&LOADED.site, &LOADED.theme, &Default::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    bencher.bench(|| hub::output::write_site(&out, &files).unwrap());
}
