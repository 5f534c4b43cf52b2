//! The search index: what `hub build` writes under search/, and that the browser's analysis of a
//! query (themes/default/static/assets/search.js with the vendored porter2.js) agrees with the
//! build's analysis of the text.

use crate::harness::Hub;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

#[test]
fn each_language_has_an_index_and_chunks_and_each_text_one_record() {
    let hub = Hub::fixture("search");
    let out = hub.path().join("public");
    hub.run(&["build", "--out", out.to_str().unwrap()])
        .expect_code(0);
    let mut records = [0, 0];
    for lang in ["en", "cy"] {
        let dir = out.join("search").join(lang);
        let meta = json(&dir.join("index.json"));
        assert_eq!(meta["docs"], 5);
        assert_eq!(meta["facets"].as_array().unwrap().len(), 5);
        let chunks = meta["chunks"].as_array().unwrap();
        // Every key sits in the chunk whose first key is the greatest not above it.
        let mut all = Vec::new();
        for (n, first) in chunks.iter().enumerate() {
            let chunk = json(&dir.join(format!("k{n}.json")));
            let keys: Vec<&str> = chunk
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e[0].as_str().unwrap())
                .collect();
            assert_eq!(keys[0], first.as_str().unwrap());
            all.extend(keys.iter().map(|k| k.to_string()));
        }
        let mut sorted = all.clone();
        sorted.sort();
        assert_eq!(all, sorted, "keys ascend across chunks");
        assert_eq!(meta["home"], if lang == "en" { "/" } else { "/cy/" });
        // A study without a translation has one record, in its own language's folder; the
        // other index borrows it from there.
        let mut borrowed = Vec::new();
        for b in meta["borrowed"].as_array().unwrap() {
            let other = if lang == "en" { "cy" } else { "en" };
            assert_eq!(b["lang"], other);
            assert_eq!(b["dir"], format!("/search/{other}/"));
            for run in b["runs"].as_array().unwrap() {
                let (first, count) = (run[0].as_u64().unwrap(), run[1].as_u64().unwrap());
                borrowed.extend((first..first + count).map(|d| (d, other)));
            }
        }
        for d in 0..5u64 {
            let at = match borrowed.iter().find(|(b, _)| *b == d) {
                Some((_, other)) => {
                    assert!(!dir.join(format!("d{d}.json")).exists());
                    out.join("search").join(other)
                }
                None => dir.clone(),
            };
            let record = json(&at.join(format!("d{d}.json")));
            let u = record["u"].as_str().unwrap();
            assert!(u.starts_with("case-studies/") && u.ends_with('/'), "{u}");
        }
        assert!(!dir.join("d5.json").exists());
        records[usize::from(lang == "cy")] = borrowed.len();
    }
    // The fixture has one Welsh translation: four English-only studies are borrowed by the
    // Welsh index, none the other way.
    assert_eq!(records, [0, 4]);
    // The Welsh index holds the Welsh text under its radicals; the English one stems.
    let cy = fs::read_to_string(out.join("search/cy/k0.json")).unwrap()
        + &(1..json(&out.join("search/cy/index.json"))["chunks"]
            .as_array()
            .unwrap()
            .len())
            .map(|n| fs::read_to_string(out.join(format!("search/cy/k{n}.json"))).unwrap())
            .collect::<String>();
    for key in ["\"gartref\"", "\"cartref\"", "\"pwer\"", "\"tanwydd\""] {
        assert!(cy.contains(key), "Welsh index lacks {key}");
    }
    let en = fs::read_to_string(out.join("search/en/k0.json")).unwrap();
    assert!(en.contains("\"evalu\""), "English index is stemmed");
}

#[test]
fn a_draft_is_not_in_the_index() {
    let hub = Hub::fixture("basic");
    let out = hub.path().join("public");
    hub.run(&["build", "--out", out.to_str().unwrap()])
        .expect_code(0);
    let meta = json(&out.join("search/en/index.json"));
    assert_eq!(meta["docs"], 2, "alpha and beta, not the draft gamma");
    let all: String = (0..meta["chunks"].as_array().unwrap().len())
        .map(|n| fs::read_to_string(out.join(format!("search/en/k{n}.json"))).unwrap())
        .collect();
    assert!(!all.contains("gamma"));
}

fn node_modules() -> std::path::PathBuf {
    let dir = repo().join("tests/node_modules");
    assert!(
        dir.join("porter2").exists(),
        "tests/node_modules is missing: run `npm ci` in tests/ (scripts/test does)"
    );
    dir
}

#[test]
fn the_vendored_stemmer_is_the_npm_package_unchanged() {
    let vendored = fs::read_to_string(repo().join("themes/default/vendor/porter2.js")).unwrap();
    let begin = "// BEGIN porter2/dist/index.js\n";
    let end = "// END porter2/dist/index.js\n";
    let start = vendored.find(begin).unwrap() + begin.len();
    let stop = vendored.find(end).unwrap();
    let npm = fs::read_to_string(node_modules().join("porter2/dist/index.js")).unwrap();
    assert!(
        vendored[start..stop] == npm,
        "porter2.js differs from the npm package"
    );
}

#[test]
fn the_shipped_stemmer_is_the_vendored_one_minified() {
    let esbuild = node_modules().join(".bin/esbuild");
    let out = Command::new(esbuild)
        .arg(repo().join("themes/default/vendor/porter2.js"))
        .args(["--minify", "--legal-comments=inline", "--log-level=warning"])
        .output()
        .expect("esbuild runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shipped = fs::read(repo().join("themes/default/static/assets/porter2.min.js")).unwrap();
    assert!(
        out.stdout == shipped,
        "porter2.min.js is stale: run scripts/vendor"
    );
}

#[test]
fn browser_and_build_stem_every_word_alike() {
    node_modules();
    // Every word of this repository's content and of the fixtures, plus forms that exercise
    // the stemmer's rules.
    let mut words = BTreeSet::new();
    let mut texts = Vec::new();
    for dir in ["content", "tests/fixtures", "CONTRIBUTING.md", "README.md"] {
        collect(&repo().join(dir), &mut texts);
    }
    for t in &texts {
        words.extend(hub::search::text::words(t));
    }
    for w in [
        "generously",
        "evaluation",
        "evaluate",
        "hopping",
        "skies",
        "dying",
        "news",
        "sky",
        "inning",
        "outing",
        "canning",
        "herring",
        "earring",
        "proceed",
        "exceed",
        "succeed",
        "communism",
        "arsenal",
        "gener",
        "consign",
        "knightly",
        "ponies",
        "caresses",
    ] {
        words.insert(w.to_string());
    }
    let words: Vec<String> = words.into_iter().collect();
    assert!(words.len() > 2000, "{} words", words.len());
    let script = format!(
        "const fs=require('fs');const vm=require('vm');const window={{}};\
         vm.runInNewContext(fs.readFileSync({:?},'utf8'),{{window}});\
         const ws=JSON.parse(fs.readFileSync(0,'utf8'));\
         process.stdout.write(JSON.stringify(ws.map(w=>window.porter2.stem(w))));",
        repo().join("themes/default/static/assets/porter2.min.js")
    );
    let mut child = Command::new("node")
        .args(["-e", &script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("node runs (scripts/test installs it)");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(&words).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let js: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    let differ: Vec<String> = words
        .iter()
        .zip(&js)
        .filter(|(w, j)| hub::search::text::stem(w) != **j)
        .map(|(w, j)| format!("{w}: rust {} js {j}", hub::search::text::stem(w)))
        .collect();
    assert!(
        differ.is_empty(),
        "{} of {} words differ:\n{}",
        differ.len(),
        words.len(),
        differ.join("\n")
    );
}

fn collect(path: &Path, texts: &mut Vec<String>) {
    if path.is_dir() {
        for e in fs::read_dir(path).unwrap() {
            collect(&e.unwrap().path(), texts);
        }
    } else if path.extension().is_some_and(|e| e == "md") {
        texts.push(fs::read_to_string(path).unwrap_or_default());
    }
}

/// Every key of `lang`'s index, with its postings.
fn keys(hub: &Hub, lang: &str) -> std::collections::BTreeMap<String, Vec<u64>> {
    let dir = hub.path().join("public/search").join(lang);
    let chunks = json(&dir.join("index.json"))["chunks"]
        .as_array()
        .unwrap()
        .len();
    let mut out = std::collections::BTreeMap::new();
    for n in 0..chunks {
        for e in json(&dir.join(format!("k{n}.json"))).as_array().unwrap() {
            let postings = e[1].as_array().unwrap().iter().map(|v| v.as_u64().unwrap());
            out.insert(e[0].as_str().unwrap().to_string(), postings.collect());
        }
    }
    out
}

/// The documents a key's postings name (doc numbers are stored as gaps).
fn docs_of(postings: &[u64]) -> Vec<u64> {
    let mut doc = 0;
    postings
        .chunks(2)
        .map(|p| {
            doc += p[0];
            doc
        })
        .collect()
}

#[test]
fn actions_are_documents_after_the_studies_with_their_board_and_a_link_to_where_they_are_listed() {
    let hub = Hub::fixture("search");
    hub.write(
        "content/actions/powys-2023-24.yaml",
        "region: powys\ncycle: 2023/24\nsource: A test report\nactions:\n\
         - action: Agree one referral route for frail older people.\n  topics: [frailty]\n  action_cy: Cytuno ar un llwybr atgyfeirio.\n",
    );
    hub.write(
        "content/actions/national-2023-24.yaml",
        "national: true\ncycle: 2023/24\nactions:\n- action: Publish the pathway nationally.\n",
    );
    hub.build().expect_code(0);
    let out = hub.path().join("public/search");
    let meta = json(&out.join("en/index.json"));
    assert_eq!(meta["docs"], 7, "five studies and two actions");
    assert_eq!(meta["studies"], 5);
    assert_eq!(meta["facets"].as_array().unwrap().len(), 7);
    // Boards' actions first, in board order, then the national ones.
    let powys = json(&out.join("en/d5.json"));
    assert_eq!(powys["k"], "a");
    assert_eq!(
        powys["t"],
        "Agree one referral route for frail older people."
    );
    assert_eq!(powys["u"], "regions/powys/#actions-heading");
    let national = json(&out.join("en/d6.json"));
    assert_eq!(national["t"], "Publish the pathway nationally.");
    assert_eq!(national["u"], "actions/#actions-national-2023-24");
    // The Welsh index shows the action's Welsh text, and borrows the national one's English.
    assert_eq!(
        json(&out.join("cy/d5.json"))["t"],
        "Cytuno ar un llwybr atgyfeirio."
    );
    assert!(!out.join("cy/d6.json").exists());
    let en = keys(&hub, "en");
    // Found by its words, its synonyms ("older people" = "elderly") and its board's name.
    for k in ["referr", "elder", "powi"] {
        assert!(docs_of(&en[k]).contains(&5), "{k}: {:?}", en.get(k));
    }
    let html = hub.read("regions/powys/index.html");
    assert!(html.contains("id=\"actions-heading\""));
    assert!(
        hub.read("actions/index.html")
            .contains("id=\"actions-national-2023-24\"")
    );
}

#[test]
fn a_text_is_filed_under_its_synonyms_in_both_languages_and_hub_yaml_adds_groups() {
    let hub = Hub::fixture("search");
    let yaml = hub.path().join("content/hub.yaml");
    let mut config = fs::read_to_string(&yaml).unwrap();
    config.push_str("synonyms:\n  - [pedometer, step counter, cyfrifydd camau]\n");
    fs::write(&yaml, config).unwrap();
    hub.build().expect_code(0);
    // community-transport says "pedometer"; it is document 0 (studies are in slug order).
    for lang in ["en", "cy"] {
        let k = keys(&hub, lang);
        for key in ["counter", "cyfrifydd", "camau"] {
            let docs = docs_of(k.get(key).unwrap_or_else(|| panic!("{lang}: no key {key}")));
            assert_eq!(docs, vec![0], "{lang} {key}");
        }
        // A synonym ranks as one mention in the body: weight 1, no title or summary bit.
        assert_eq!(k["cyfrifydd"][1], 1);
    }
    // Built-in: "falls" studies say "older people"; none says "elderly", all are found by it.
    let en = keys(&hub, "en");
    assert!(!en["elder"].is_empty());
}

#[test]
fn synonyms_in_hub_yaml_that_are_not_lists_are_errors_at_their_line() {
    let hub = Hub::fixture("search");
    let yaml = hub.path().join("content/hub.yaml");
    let mut config = fs::read_to_string(&yaml).unwrap();
    config.push_str("synonyms:\n  - physio\n");
    fs::write(&yaml, config).unwrap();
    hub.check()
        .expect_code(1)
        .expect_stderr("content/hub.yaml:5:5: error: each group of `synonyms` is a list of words\n  help: e.g. `- [physio, physiotherapy, ffisiotherapi]`");
    let text = fs::read_to_string(&yaml)
        .unwrap()
        .replace("synonyms:\n  - physio\n", "synonyms: physio\n");
    fs::write(&yaml, text).unwrap();
    hub.check()
        .expect_code(1)
        .expect_stderr("content/hub.yaml:4:11: error: `synonyms` must be a list of groups\n  help: write each group as a list: `- [physio, physiotherapy, ffisiotherapi]`");
}
