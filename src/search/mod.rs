//! The search index: built from the Site at build time, one per language, split so that a first
//! query fetches a small part of it. The browser half is themes/default/static/assets/search.js.
//!
//! Files under `search/<lang>/`:
//! - `index.json`: the first key of every key chunk, the facet vocabularies with labels, each
//!   study's facet values (one character per value), and the Welsh demutation table;
//! - `k<n>.json`: a run of sorted keys with their postings `[doc, weight, Δdoc, weight, …]`;
//! - `d<n>.json`: one study's URL, title, summary and text, fetched only when it is shown.
//!
//! A posting's weight packs where the key occurs: 32 if in the title, 16 if in the summary, plus
//! how often it occurs elsewhere (capped at 15), so the browser ranks title matches above
//! summary matches above body matches.

pub mod text;

use crate::lang::Lang;
use crate::model::{Site, StudyText};
use crate::output::{OutputFile, Payload};
use crate::vocab::Kind;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write;

/// Weight bit for a key found in the title.
const IN_TITLE: u8 = 32;
/// Weight bit for a key found in the summary.
const IN_SUMMARY: u8 = 16;
/// Cap on the count of other occurrences.
const MAX_COUNT: u8 = 15;
/// A key chunk is closed once it holds this many bytes; a single key with more postings gets a
/// chunk of its own.
const CHUNK_BYTES: usize = 12 * 1024;
/// Facet value `i` is written as the character `FACET_BASE + i`.
const FACET_BASE: u32 = 48;

/// The labels the index shows beside facets, per vocabulary kind, in one language.
pub type KindLabels = [(Kind, String); 5];

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    lang: &'static str,
    docs: usize,
    chunks: Vec<&'a str>,
    kinds: Vec<FacetKind>,
    facets: Vec<String>,
    stem: bool,
    demutate: bool,
    min_word: usize,
    vowels: &'static str,
    rules: &'static [text::Demutation],
}

#[derive(Serialize)]
struct FacetKind {
    name: &'static str,
    label: String,
    values: Vec<FacetValue>,
}

#[derive(Serialize)]
struct FacetValue {
    key: String,
    label: String,
}

#[derive(Serialize)]
struct Fragment<'a> {
    u: String,
    t: &'a str,
    s: &'a str,
    x: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    l: Option<&'static str>,
}

/// Whether a site path is one of the index files (not the search page).
pub fn is_index_file(path: &str) -> bool {
    path.starts_with("search/") && path.ends_with(".json")
}

/// Each language's postings: index key → `[doc, weight, doc, weight, …]`, docs ascending.
pub struct Postings([FxHashMap<String, Vec<u32>>; 2]);

/// Analyses every published study's text once and files its keys under every language whose
/// index shows that text (an untranslated study is in both indexes, under the same keys).
pub fn postings(site: &Site) -> Postings {
    let empty = || Postings([FxHashMap::default(), FxHashMap::default()]);
    site.studies
        .par_iter()
        .enumerate()
        .fold(empty, |mut acc, (doc, study)| {
            for written in Lang::ALL {
                let Some(t) = study.text_in(written) else {
                    continue;
                };
                let shown_in: Vec<Lang> = Lang::ALL
                    .into_iter()
                    .filter(|&l| study.text(l).1 == written)
                    .collect();
                for (key, weight) in text_keys(t, written) {
                    for &l in &shown_in {
                        let list = acc.0[l as usize].entry(key.clone()).or_default();
                        list.push(doc as u32);
                        list.push(u32::from(weight));
                    }
                }
            }
            acc
        })
        // Rayon reduces in order, so appending keeps each list's docs ascending.
        .reduce(empty, |mut a, b| {
            for (mine, theirs) in a.0.iter_mut().zip(b.0) {
                for (key, list) in theirs {
                    mine.entry(key).or_default().extend(list);
                }
            }
            a
        })
}

impl Postings {
    /// The postings of one language.
    pub fn take(&mut self, lang: Lang) -> FxHashMap<String, Vec<u32>> {
        std::mem::take(&mut self.0[lang as usize])
    }
}

/// The index and key chunks of `lang` (the per-study records come from [`record`]).
pub fn files(
    site: &Site,
    postings: FxHashMap<String, Vec<u32>>,
    lang: Lang,
    labels: &KindLabels,
) -> Vec<OutputFile> {
    let dir = format!("search/{}", lang.code());
    let mut keys: Vec<(String, Vec<u32>)> = postings.into_iter().collect();
    keys.sort_unstable_by(|a, b| a.0.cmp(&b.0));

    let mut out = Vec::new();
    let mut firsts = Vec::new();
    let mut chunk = String::new();
    let mut first: Option<&str> = None;
    let flush = |chunk: &mut String, out: &mut Vec<OutputFile>, n: usize| {
        chunk.push(']');
        out.push(OutputFile {
            path: format!("{dir}/k{n}.json"),
            payload: Payload::Bytes(std::mem::take(chunk).into_bytes()),
        });
    };
    for (key, list) in &keys {
        if first.is_none() {
            first = Some(key);
            firsts.push(key.as_str());
            chunk.push('[');
        } else {
            chunk.push(',');
        }
        chunk.push('[');
        chunk.push_str(&serde_json::to_string(key).expect("a string serialises"));
        chunk.push_str(",[");
        let mut last = 0;
        for (i, pair) in list.chunks_exact(2).enumerate() {
            if i > 0 {
                chunk.push(',');
            }
            // Doc numbers ascend, so deltas keep the numbers (and the file) short.
            let _ = write!(chunk, "{},{}", pair[0] - last, pair[1]);
            last = pair[0];
        }
        chunk.push_str("]]");
        if chunk.len() >= CHUNK_BYTES {
            flush(&mut chunk, &mut out, firsts.len() - 1);
            first = None;
        }
    }
    if first.is_some() {
        flush(&mut chunk, &mut out, firsts.len() - 1);
    }

    let vocab = &site.config.vocab;
    let mut offset = 0u32;
    let mut offsets = HashMap::new();
    let kinds: Vec<FacetKind> = labels
        .iter()
        .map(|(kind, label)| {
            offsets.insert(*kind, offset);
            let terms = &vocab.get(*kind).terms;
            offset += terms.len() as u32;
            FacetKind {
                name: kind.name(),
                label: label.clone(),
                values: terms
                    .iter()
                    .map(|t| FacetValue {
                        key: t.key.clone(),
                        label: match &t.code {
                            Some(code) => format!("{code}: {}", t.label.get(lang)),
                            None => t.label.get(lang).to_string(),
                        },
                    })
                    .collect(),
            }
        })
        .collect();
    let facets = site
        .studies
        .iter()
        .map(|s| {
            labels
                .iter()
                .flat_map(|(kind, _)| {
                    let base = FACET_BASE + offsets[kind];
                    s.terms(*kind).iter().map(move |&t| {
                        char::from_u32(base + t as u32).expect("facet values stay below U+D800")
                    })
                })
                .collect()
        })
        .collect();
    let meta = Meta {
        version: 1,
        lang: lang.code(),
        docs: site.studies.len(),
        chunks: firsts,
        kinds,
        facets,
        stem: true,
        demutate: lang == Lang::Cy,
        min_word: text::MIN_WORD,
        vowels: text::VOWELS,
        rules: text::DEMUTATIONS,
    };
    out.push(OutputFile {
        path: format!("{dir}/index.json"),
        payload: Payload::Bytes(serde_json::to_vec(&meta).expect("index serialises")),
    });

    out
}

/// Every search file of the site: each language's index, key chunks and records.
pub fn site_files(site: &Site, labels: &[(Lang, KindLabels)]) -> Vec<OutputFile> {
    let mut files = index_files(site, labels);
    files.par_extend(record_ids(site).map(|(lang, doc)| record(site, lang, doc)));
    files
}

/// Each language's index and key chunks (not the records).
pub fn index_files(site: &Site, labels: &[(Lang, KindLabels)]) -> Vec<OutputFile> {
    let mut postings = postings(site);
    let per_lang: Vec<_> = labels
        .iter()
        .map(|(lang, labels)| (*lang, labels, postings.take(*lang)))
        .collect();
    per_lang
        .into_par_iter()
        .flat_map_iter(|(lang, labels, postings)| files(site, postings, lang, labels))
        .collect()
}

/// Every (language, study) that has a record.
pub fn record_ids(site: &Site) -> impl ParallelIterator<Item = (Lang, usize)> + '_ {
    let n = site.studies.len();
    site.config
        .languages
        .par_iter()
        .flat_map(move |&lang| (0..n).into_par_iter().map(move |doc| (lang, doc)))
}

/// The record of study `doc` in `lang`'s index: what a result shows, fetched only when shown.
pub fn record(site: &Site, lang: Lang, doc: usize) -> OutputFile {
    let s = &site.studies[doc];
    let (t, written) = s.text(lang);
    let fragment = Fragment {
        u: site.urls.study(lang, &s.slug),
        t: &t.title,
        s: &t.summary,
        x: &t.body.text,
        l: (written != lang).then(|| written.code()),
    };
    OutputFile {
        path: format!("search/{}/d{doc}.json", lang.code()),
        payload: Payload::Bytes(serde_json::to_vec(&fragment).expect("a record serialises")),
    }
}

/// The keys of one text and their weights.
fn text_keys(t: &StudyText, written: Lang) -> Vec<(String, u8)> {
    let folded: Vec<(String, Option<u8>)> = [
        (Some(t.title.as_str()), Some(IN_TITLE)),
        (Some(t.summary.as_str()), Some(IN_SUMMARY)),
        (t.cluster.as_deref(), None),
        (t.evidence.as_ref().map(|e| e.text.as_str()), None),
        (Some(t.body.text.as_str()), None),
    ]
    .into_iter()
    .chain(t.partners.iter().map(|p| (Some(p.as_str()), None)))
    .filter_map(|(field, bit)| field.map(|f| (text::fold(f), bit)))
    .collect();
    let mut words: FxHashMap<&str, u8> = FxHashMap::default();
    for (field, bit) in &folded {
        for word in text::split(field) {
            let w = words.entry(word).or_insert(0);
            match bit {
                Some(b) => *w |= b,
                None if *w & MAX_COUNT < MAX_COUNT => *w += 1,
                None => {}
            }
        }
    }
    let mut keys: FxHashMap<String, u8> =
        FxHashMap::with_capacity_and_hasher(words.len(), Default::default());
    for (word, weight) in words {
        for key in text::keys_cached(word, written).iter() {
            let w = keys.entry(key.clone()).or_insert(0);
            // Forms of one stem share a key: their flags combine and their counts add up.
            let count = ((*w & MAX_COUNT) + (weight & MAX_COUNT)).min(MAX_COUNT);
            *w = ((*w | weight) & !MAX_COUNT) | count;
        }
    }
    keys.into_iter().collect()
}
