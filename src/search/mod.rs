//! The search index: built from the Site at build time, one per language, split so that a first
//! query fetches a small part of it. The browser half is themes/default/static/assets/search.js.
//!
//! Files under `search/<lang>/`:
//! - `index.json`: the first key of every key chunk, the facet vocabularies with labels, each
//!   study's facet values (one character per value), and the Welsh demutation table;
//! - `k<n>.json`: a run of sorted keys with their postings `[doc, weight, Δdoc, weight, …]`;
//! - `d<n>.json`: one study's text in this language (its path under the language's home,
//!   title, summary and text), fetched only when it is shown. A study without a translation has
//!   one record, in the folder of the language it is written in; the other index lists it
//!   under `borrowed` and fetches it from there.
//!
//! A posting's weight packs where the key occurs: 32 if in the title, 16 if in the summary, plus
//! how often it occurs elsewhere (capped at 15), so the browser ranks title matches above
//! summary matches above body matches.

pub mod synonyms;
pub mod text;

use synonyms::Synonyms;

use crate::lang::{Lang, PerLang};
use crate::model::{ActionSet, Site};
use crate::output::{OutputFile, Payload};
use crate::vocab::Kind;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use rustc_hash::FxHashSet;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

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
pub type KindLabels = [(Kind, String); Kind::ALL.len()];

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    lang: &'static str,
    /// The site-absolute home of this language, which record paths are under.
    home: String,
    borrowed: Vec<Borrowed>,
    /// Documents: the studies, then the peer-review actions.
    docs: usize,
    /// How many of them are studies.
    studies: usize,
    chunks: Vec<&'a str>,
    kinds: Vec<FacetKind>,
    facets: Vec<String>,
    stem: bool,
    demutate: bool,
    min_word: usize,
    vowels: &'static str,
    rules: &'static [text::Demutation],
    /// The words after which a Welsh word may be mutated, and how.
    triggers: &'static [(&'static [&'static str], &'static [text::Mutation])],
}

/// Studies shown in this index with the text of another language, whose records live there.
#[derive(Serialize)]
struct Borrowed {
    lang: &'static str,
    /// The other language's index folder (site-absolute).
    dir: String,
    /// Runs of doc numbers, `[first, count]`: untranslated studies come in long runs.
    runs: Vec<[u32; 2]>,
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
    /// A cluster's board, under which the facet lists it.
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    /// No document has it: a cluster with no study yet is not offered as a filter.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    unused: bool,
}

#[derive(Serialize)]
struct Fragment<'a> {
    u: String,
    t: &'a str,
    s: &'a str,
    x: &'a str,
    /// `a` for a peer-review action (a study has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    k: Option<&'static str>,
}

/// Whether a site path is one of the index files (not the search page).
pub fn is_index_file(path: &str) -> bool {
    path.starts_with("search/") && path.ends_with(".json")
}

/// The facet labels of each language's index, from the theme's catalogues (`facet_regions`…).
pub fn labels(site: &Site, theme: &crate::theme::Theme) -> Vec<(Lang, KindLabels)> {
    site.config
        .languages
        .iter()
        .map(|&lang| {
            let labels = Kind::ALL.map(|k| {
                let key = format!("facet_{}", k.name());
                (k, theme.string(lang, &key).unwrap_or(&key).to_string())
            });
            (lang, labels)
        })
        .collect()
}

/// Both languages' postings: for every key, its documents ascending, with weights.
pub struct Postings {
    /// Key number → key.
    keys: Vec<Box<str>>,
    /// Key numbers in the order of their keys: both languages' chunks list keys in this order.
    sorted: Vec<u32>,
    /// Key number → where its postings start in `postings` (and the next one's, where they end).
    starts: Vec<u32>,
    /// Every posting of both languages, by key, docs ascending within a key.
    postings: Vec<Posting>,
}

/// The peer-review actions as search documents, after the studies: `(set, action)` in order.
pub fn action_docs(site: &Site) -> Vec<(&ActionSet, usize)> {
    site.actions
        .iter()
        .flat_map(|set| (0..set.file.actions.len()).map(move |i| (set, i)))
        .collect()
}

/// The keys each term's label gives a document filed under it, per language: the label's words
/// (an outcome's code too) and their synonyms, without the words most of a vocabulary's labels
/// share ("health", "board"), which would file every document under them and find nothing.
struct TermKeys(PerLang<FxHashMap<(Kind, usize), Vec<String>>>);

impl TermKeys {
    fn new(site: &Site, syn: &Synonyms) -> Self {
        let mut out: PerLang<FxHashMap<(Kind, usize), Vec<String>>> = PerLang::default();
        for lang in Lang::ALL {
            for kind in Kind::ALL {
                let terms = &site.config.vocab.get(kind).terms;
                let words: Vec<Vec<String>> = terms
                    .iter()
                    .map(|term| {
                        let code = term.code.as_deref().unwrap_or("");
                        text::words(&format!("{code} {}", term.label.str(lang)))
                    })
                    .collect();
                let mut common: FxHashMap<&str, usize> = FxHashMap::default();
                for ws in &words {
                    let mut seen: Vec<&str> = ws.iter().map(String::as_str).collect();
                    seen.sort_unstable();
                    seen.dedup();
                    for w in seen {
                        *common.entry(w).or_default() += 1;
                    }
                }
                for (t, ws) in words.iter().enumerate() {
                    let kept: Vec<&str> = ws
                        .iter()
                        .map(String::as_str)
                        .filter(|w| terms.len() < 3 || common[w] * 2 <= terms.len())
                        .collect();
                    let mut groups = Vec::new();
                    syn.groups_in(&kept, &mut groups);
                    let mut keys: Vec<String> = kept
                        .iter()
                        .flat_map(|w| text::keys(w, lang))
                        .chain(groups.iter().flat_map(|&g| syn.keys(g).iter().cloned()))
                        .collect();
                    keys.sort_unstable();
                    keys.dedup();
                    out[lang].insert((kind, t), keys);
                }
            }
        }
        TermKeys(out)
    }

    /// The keys the terms of a document give it in `lang`.
    fn of<'a>(
        &'a self,
        terms: &'a [(Kind, &[usize])],
        lang: Lang,
    ) -> impl Iterator<Item = &'a str> + 'a {
        terms.iter().flat_map(move |&(kind, ts)| {
            ts.iter()
                .flat_map(move |&t| self.0[lang][&(kind, t)].iter().map(String::as_str))
        })
    }
}

/// Analyses every published study's text (and every action's) once and files its keys under
/// every language whose index shows that text (an untranslated study is in both indexes, under
/// the same keys), with the synonyms of what it says and the labels of its terms.
pub fn postings(site: &Site) -> Postings {
    let syn = Synonyms::new(&site.config.synonyms);
    let term_keys = TermKeys::new(site, &syn);
    let welsh = Arc::new(welsh_words(site));
    let memo = Arc::new(text::KeyMemo::default());
    let n = site.studies.len();
    let actions = action_docs(site);
    (0..n + actions.len())
        .into_par_iter()
        .fold(
            || Builder::new(&welsh, &memo),
            |mut b, doc| {
                if doc < n {
                    let study = &site.studies[doc];
                    let kinds: Vec<(Kind, &[usize])> =
                        Kind::ALL.iter().map(|&k| (k, study.terms(k))).collect();
                    for written in Lang::ALL {
                        if let Some(t) = study.text_in(written) {
                            let shown_in: Vec<Lang> = Lang::ALL
                                .into_iter()
                                .filter(|&l| study.text(l).1 == written)
                                .collect();
                            let fields: Vec<(&str, Option<u8>)> = [
                                (t.title.as_str(), Some(IN_TITLE)),
                                (t.summary.as_str(), Some(IN_SUMMARY)),
                                (t.body.text.as_str(), None),
                            ]
                            .into_iter()
                            .chain(t.fields.searched().map(|f| (f, None)))
                            .collect();
                            b.add(doc as u32, &fields, written, &shown_in, &syn, &|l| {
                                term_keys.of(&kinds, l).collect()
                            });
                        }
                    }
                } else {
                    let (set, i) = actions[doc - n];
                    let a = &set.file.actions[i];
                    let region: Vec<usize> = set.file.region.into_iter().collect();
                    let kinds = [
                        (Kind::Regions, region.as_slice()),
                        (Kind::Outcomes, a.outcomes.as_slice()),
                        (Kind::Topics, a.topics.as_slice()),
                    ];
                    let labels = |l| term_keys.of(&kinds, l).collect();
                    let group: Vec<(&str, Option<u8>)> =
                        a.group.iter().map(|g| (g.as_str(), None)).collect();
                    let mut texts = vec![(a.text.as_str(), Lang::En)];
                    if let Some(cy) = &a.text_cy {
                        texts.push((cy.as_str(), Lang::Cy));
                    }
                    for (text, written) in &texts {
                        let shown_in: Vec<Lang> = Lang::ALL
                            .into_iter()
                            .filter(|&l| l == *written || texts.len() == 1)
                            .collect();
                        let mut fields = vec![(*text, Some(IN_SUMMARY))];
                        fields.extend(&group);
                        b.add(doc as u32, &fields, *written, &shown_in, &syn, &labels);
                    }
                }
                b
            },
        )
        // Rayon reduces in order, so appending keeps each list's docs ascending.
        .reduce(|| Builder::new(&welsh, &memo), Builder::merge)
        .finish()
}

/// Every folded word of the site's Welsh text (studies' Welsh texts and the actions' Welsh).
fn welsh_words(site: &Site) -> FxHashSet<Box<str>> {
    let texts = site
        .studies
        .par_iter()
        .filter_map(|s| s.text_in(Lang::Cy))
        .map(|t| {
            let mut words = FxHashSet::default();
            for field in [t.title.as_str(), t.summary.as_str(), t.body.text.as_str()]
                .into_iter()
                .chain(t.fields.searched())
            {
                words.extend(text::split(&text::fold(field)).map(Box::from));
            }
            words
        });
    let mut all: FxHashSet<Box<str>> = texts.reduce(FxHashSet::default, |mut a, b| {
        a.extend(b);
        a
    });
    for set in &site.actions {
        for a in &set.file.actions {
            if let Some(cy) = &a.text_cy {
                all.extend(text::split(&text::fold(cy)).map(Box::from));
            }
        }
    }
    all
}

/// Postings of a run of studies, with words and keys numbered as they are first met: a corpus
/// repeats a few thousand words millions of times, so each word is hashed once per occurrence
/// and everything after that is indexing by number.
#[derive(Default)]
struct Builder {
    /// Folded word → its number, per written language (the keys of a word depend on it).
    words: PerLang<WordTable>,
    /// Word number → what the builder knows of it, per written language.
    word_info: PerLang<Vec<WordInfo>>,
    /// The keys of words with more than one, in runs [`WordInfo`] points to.
    more_keys: Vec<u32>,
    /// Key → its number.
    key_ids: FxHashMap<Box<str>, u32>,
    /// Key number → key.
    keys: Vec<Box<str>>,
    /// Every posting in the order met (docs ascending), sorted by key only in [`Builder::finish`]:
    /// appending to one log is cheaper than growing a list per key at random.
    log: Log,
    /// Scratch: the words and keys whose weight in the current text is set (the words' in
    /// [`WordInfo::weight`], the keys' by key number).
    touched_words: Vec<u32>,
    key_weight: Vec<u8>,
    touched_keys: Vec<u32>,
    /// Every word of the site's Welsh text: a Welsh radical is a key only if it is one.
    welsh: Arc<FxHashSet<Box<str>>>,
    /// Words' keys, shared by every builder.
    memo: Arc<text::KeyMemo>,
}

/// What a builder knows of one word, and the word's weight in the text being filed: one record,
/// so that each occurrence of a word reads one place.
#[derive(Clone, Copy)]
struct WordInfo {
    /// What it begins in the synonym table ([`NO_SYNONYM`] if nothing).
    synonyms: u32,
    /// Its first key ([`NO_KEY`] if it has none).
    key: u32,
    /// Its other keys, `more_keys[more..more + more_len]`.
    more: u32,
    more_len: u16,
    /// Its weight so far in the current text.
    weight: u8,
}

/// A word without keys.
const NO_KEY: u32 = u32::MAX;

/// Folded word → its number. A word of up to 16 bytes (nearly every word) is its own key, held
/// in the table itself, so finding it reads no other memory: with a boxed key each of the
/// millions of words of a large hub cost a second cache miss, to compare the text.
#[derive(Default)]
struct WordTable {
    short: FxHashMap<(u64, u64), u32>,
    long: FxHashMap<Box<str>, u32>,
}

impl WordTable {
    /// `word` zero-padded to 16 bytes, if it fits: folded words have no NUL byte, so no two
    /// share a key.
    fn short_key(word: &str) -> Option<(u64, u64)> {
        let b = word.as_bytes();
        let n = b.len();
        // Whole-word loads, overlapping where the word is shorter than them, rather than a copy
        // into a buffer: the copy's bytes could not be read back as words without a stall.
        let u64_at = |at: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&b[at..at + 8]);
            u64::from_le_bytes(w)
        };
        let u32_at = |at: usize| {
            let mut w = [0u8; 4];
            w.copy_from_slice(&b[at..at + 4]);
            u64::from(u32::from_le_bytes(w))
        };
        Some(match n {
            0..=3 => (
                b.iter()
                    .enumerate()
                    .fold(0, |k, (i, &x)| k | u64::from(x) << (8 * i)),
                0,
            ),
            4..=7 => (u32_at(0) | u32_at(n - 4) << (8 * (n - 4)), 0),
            8..=16 => (
                u64_at(0),
                u64_at(n - 8).checked_shr(8 * (16 - n) as u32).unwrap_or(0),
            ),
            _ => return None,
        })
    }

    fn get(&self, word: &str) -> Option<u32> {
        match Self::short_key(word) {
            Some(k) => self.short.get(&k).copied(),
            None => self.long.get(word).copied(),
        }
    }

    fn insert(&mut self, word: &str, id: u32) {
        debug_assert!(!word.contains('\0'));
        match Self::short_key(word) {
            Some(k) => self.short.insert(k, id),
            None => self.long.insert(word.into(), id),
        };
    }
}

#[cfg(test)]
mod word_table_tests {
    use super::WordTable;

    #[test]
    fn short_keys_are_the_word_zero_padded() {
        for n in 0..=17 {
            let word: String = "abcdefghijklmnopq".chars().take(n).collect();
            let mut buf = [0u8; 16];
            let key = WordTable::short_key(&word);
            if n > 16 {
                assert_eq!(key, None);
                continue;
            }
            buf[..n].copy_from_slice(word.as_bytes());
            let lo = u64::from_le_bytes(buf[..8].try_into().unwrap());
            let hi = u64::from_le_bytes(buf[8..].try_into().unwrap());
            assert_eq!(key, Some((lo, hi)), "{word}");
        }
    }
}

/// A word that begins no member of the synonym table.
const NO_SYNONYM: u32 = u32::MAX;

/// A document under a key, its weight, and the languages whose indexes show it (bit
/// `1 << lang`): an untranslated text is filed once for both. Four bytes, because a large hub
/// has millions: the doc number takes the high 24 bits (16 million documents), the weight six
/// and the languages two.
#[derive(Clone, Copy)]
struct Posting(u32);

impl Posting {
    fn doc(self) -> u32 {
        self.0 >> 8
    }

    fn weight(self) -> u32 {
        (self.0 >> 2) & 63
    }

    fn shown_in(self, lang: Lang) -> bool {
        self.0 & u32::from(lang_bit(lang)) != 0
    }
}

/// Every posting in the order met, packed: per text filed, its document once, then its keys in
/// ascending order as gaps (LEB128), each with a byte of weight and languages: about 3 bytes a
/// posting where a key and a [`Posting`] took 8, and a large hub files tens of millions. Blocks
/// of a fixed size let the log grow without copying what it holds, and are freed as they are
/// sorted; each segment (one builder's texts) has the table that turns its key numbers into the
/// final builder's, since each builder numbers keys as it meets them.
#[derive(Default)]
struct Log {
    segments: Vec<Segment>,
}

/// One builder's part of a [`Log`].
#[derive(Default)]
struct Segment {
    blocks: Vec<Vec<u8>>,
    /// Its key numbers → the final builder's (`None`: the same).
    map: Option<Vec<u32>>,
}

/// Bytes per block of a [`Log`] (512 KiB).
const BLOCK: usize = 1 << 19;

impl Log {
    /// Files the postings of one text of `doc`: key << 8 | weight << 2 | languages, ascending.
    fn record(&mut self, doc: u32, entries: &[u64]) {
        debug_assert!(doc < 1 << 24 && entries.is_sorted());
        if self.segments.is_empty() {
            self.segments.push(Segment::default());
        }
        let blocks = &mut self.segments[0].blocks;
        // A record never spans blocks: at most 5 bytes per number, one per weight.
        let most = 10 + entries.len() * 6;
        if blocks.last().is_none_or(|b| b.len() + most > b.capacity()) {
            blocks.push(Vec::with_capacity(BLOCK.max(most)));
        }
        let Some(block) = blocks.last_mut() else {
            return;
        };
        leb128(block, doc);
        leb128(block, entries.len() as u32);
        let mut prev = 0;
        for &entry in entries {
            let key = (entry >> 8) as u32;
            leb128(block, key - prev);
            block.push(entry as u8);
            prev = key;
        }
    }
}

/// Appends `n` to `out` as LEB128: seven bits a byte, low first.
fn leb128(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads a LEB128 number from `bytes` at `at`, moving `at` past it.
fn read_leb128(bytes: &[u8], at: &mut usize) -> u32 {
    let mut n = 0u32;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        n |= u32::from(b & 0x7F) << shift;
        if b < 0x80 {
            break;
        }
        shift += 7;
    }
    n
}

/// Calls `each(doc, key, weight << 2 | languages)` for every posting of a block of a [`Log`].
fn each_posting(block: &[u8], mut each: impl FnMut(u32, u32, u8)) {
    let mut at = 0;
    while at < block.len() {
        let doc = read_leb128(block, &mut at);
        let n = read_leb128(block, &mut at);
        let mut key = 0;
        for _ in 0..n {
            key += read_leb128(block, &mut at);
            let wl = block.get(at).copied().unwrap_or(0);
            at += 1;
            each(doc, key, wl);
        }
    }
}

/// The bit of `lang` in a [`Posting`].
fn lang_bit(lang: Lang) -> u8 {
    1 << lang as u8
}

impl Builder {
    fn new(welsh: &Arc<FxHashSet<Box<str>>>, memo: &Arc<text::KeyMemo>) -> Self {
        Builder {
            welsh: welsh.clone(),
            memo: memo.clone(),
            ..Builder::default()
        }
    }

    fn key_id(&mut self, key: &str) -> u32 {
        if let Some(&id) = self.key_ids.get(key) {
            return id;
        }
        let id = self.keys.len() as u32;
        self.keys.push(key.into());
        self.key_ids.insert(key.into(), id);
        id
    }

    fn word_id(&mut self, word: &str, written: Lang, syn: &Synonyms) -> u32 {
        if let Some(id) = self.words[written].get(word) {
            return id;
        }
        let keys = self.memo.keys(word, written);
        let id = self.number(written, &keys, word, syn);
        self.words[written].insert(word, id);
        id
    }

    /// The number of a Welsh word read after `prev`, a word that can mutate it: its keys are its
    /// radicals for those mutations.
    fn word_after_id(&mut self, word: &str, prev: &str, syn: &Synonyms) -> u32 {
        // One entry per (mutations, word): the mutations are a static slice, told by address.
        let m = text::mutations_after(prev);
        let name = format!("{:p}\u{1}{word}", m.as_ptr());
        if let Some(id) = self.words[Lang::Cy].get(&name) {
            return id;
        }
        let welsh = self.welsh.clone();
        let keys = text::keys_after(word, prev, &|k| welsh.contains(k));
        let id = self.number(Lang::Cy, &keys, word, syn);
        self.words[Lang::Cy].insert(&name, id);
        id
    }

    /// Numbers a new entry of the word table of `written`, filed under `keys`; `word` is the
    /// word as written, which may begin a member of the synonym table.
    fn number(&mut self, written: Lang, keys: &[String], word: &str, syn: &Synonyms) -> u32 {
        let keys: Vec<u32> = keys.iter().map(|k| self.key_id(k)).collect();
        let more = self.more_keys.len() as u32;
        let rest = keys.get(1..).unwrap_or_default();
        self.more_keys.extend(rest);
        let id = self.word_info[written].len() as u32;
        self.word_info[written].push(WordInfo {
            synonyms: syn.start(word).unwrap_or(NO_SYNONYM),
            key: keys.first().copied().unwrap_or(NO_KEY),
            more,
            more_len: u16::try_from(rest.len()).unwrap_or(u16::MAX),
            weight: 0,
        });
        id
    }

    /// Files the keys of one text of document `doc` (its fields, each with the weight bit it
    /// gives) under each language in `shown_in`, with the keys of the synonyms it mentions and,
    /// per language, of `labels` (the keys its terms give it there).
    fn add<'k>(
        &mut self,
        doc: u32,
        fields: &[(&str, Option<u8>)],
        written: Lang,
        shown_in: &[Lang],
        syn: &Synonyms,
        labels: &dyn Fn(Lang) -> Vec<&'k str>,
    ) {
        let mut groups: Vec<u32> = Vec::new();
        for &(field, bit) in fields {
            let folded = text::fold(field);
            let mut seq: Vec<&str> = Vec::new();
            // (position in `seq`, what the word there begins in the synonym table)
            let mut starts: Vec<(usize, u32)> = Vec::new();
            let mut prev = "";
            for token in text::split_all(&folded) {
                // A Welsh word after a word that mutates it is also filed under its radicals.
                let after = std::mem::replace(&mut prev, token);
                if token.len() < text::MIN_WORD && token.chars().count() < text::MIN_WORD {
                    continue;
                }
                let word = token;
                seq.push(word);
                let id = if written == Lang::Cy && !text::mutations_after(after).is_empty() {
                    self.word_after_id(word, after, syn)
                } else {
                    self.word_id(word, written, syn)
                } as usize;
                let info = &mut self.word_info[written][id];
                if info.synonyms != NO_SYNONYM {
                    starts.push((seq.len() - 1, info.synonyms));
                }
                let w = &mut info.weight;
                if *w == 0 {
                    self.touched_words.push(id as u32);
                }
                match bit {
                    Some(b) => *w |= b,
                    None if *w & MAX_COUNT < MAX_COUNT => *w += 1,
                    None => {}
                }
            }
            for (at, start) in starts {
                syn.groups_at(start, &seq[at..], &mut groups);
            }
        }
        for &word in &self.touched_words {
            let info = &mut self.word_info[written][word as usize];
            let weight = std::mem::take(&mut info.weight);
            let (first, more) = (info.key, info.more as usize);
            let more = &self.more_keys[more..more + usize::from(info.more_len)];
            for key in std::iter::once(first)
                .filter(|&k| k != NO_KEY)
                .chain(more.iter().copied())
            {
                let key = key as usize;
                if key >= self.key_weight.len() {
                    self.key_weight.resize(key + 1, 0);
                }
                let w = &mut self.key_weight[key];
                if *w == 0 {
                    self.touched_keys.push(key as u32);
                }
                // Forms of one stem share a key: their flags combine and their counts add up.
                let count = ((*w & MAX_COUNT) + (weight & MAX_COUNT)).min(MAX_COUNT);
                *w = ((*w | weight) & !MAX_COUNT) | count;
            }
        }
        self.touched_words.clear();
        // A synonym counts as one mention elsewhere in the text: found, ranked below the words
        // the text itself uses.
        groups.sort_unstable();
        groups.dedup();
        for g in groups {
            for k in syn.keys(g) {
                let key = self.key_id(k) as usize;
                if key >= self.key_weight.len() {
                    self.key_weight.resize(key + 1, 0);
                }
                if self.key_weight[key] == 0 {
                    self.key_weight[key] = 1;
                    self.touched_keys.push(key as u32);
                }
            }
        }
        let shown = shown_in.iter().fold(0, |bits, &l| bits | lang_bit(l));
        // (key << 8 | weight << 2 | languages): sorted as integers, by key then languages.
        let mut entries: Vec<u64> = Vec::with_capacity(self.touched_keys.len() + 8);
        for &key in &self.touched_keys {
            let weight = self.key_weight[key as usize];
            debug_assert!(weight < 64);
            entries.push(u64::from(key) << 8 | u64::from((weight << 2) | shown));
        }
        for &l in shown_in {
            // Keys of this language's labels of the document's terms the text does not give.
            let mut extra: Vec<u32> = Vec::new();
            for k in labels(l) {
                let key = self.key_id(k);
                if self.key_weight.get(key as usize).copied().unwrap_or(0) == 0
                    && !extra.contains(&key)
                {
                    extra.push(key);
                }
            }
            for key in extra {
                entries.push(u64::from(key) << 8 | u64::from((1 << 2) | lang_bit(l)));
            }
        }
        // A key given by both languages' labels is there twice, English first, as it was met.
        entries.sort_unstable();
        self.log.record(doc, &entries);
        for &key in &self.touched_keys {
            self.key_weight[key as usize] = 0;
        }
        self.touched_keys.clear();
    }

    /// Appends the postings of `later` (studies after this builder's) to this builder's.
    fn merge(mut self, later: Builder) -> Builder {
        let ids: Vec<u32> = later.keys.iter().map(|k| self.key_id(k)).collect();
        for mut segment in later.log.segments {
            segment.map = Some(match segment.map {
                None => ids.clone(),
                Some(map) => map.iter().map(|&k| ids[k as usize]).collect(),
            });
            self.log.segments.push(segment);
        }
        self
    }

    /// Sorts the log by key (a counting sort: stable, so docs stay ascending), shared by both
    /// languages, which read their own entries from it.
    fn finish(self) -> Postings {
        let n = self.keys.len();
        let mut starts = vec![0u32; n + 1];
        let final_key = |map: &Option<Vec<u32>>, key: u32| match map {
            Some(map) => map[key as usize] as usize,
            None => key as usize,
        };
        for segment in &self.log.segments {
            for block in &segment.blocks {
                each_posting(block, |_, key, _| {
                    starts[final_key(&segment.map, key) + 1] += 1;
                });
            }
        }
        for i in 0..n {
            starts[i + 1] += starts[i];
        }
        let mut next = starts.clone();
        // Each block is freed once sorted, so the log and the sorted copy never both peak.
        let mut postings = vec![Posting(0); starts[n] as usize];
        for segment in self.log.segments {
            for block in segment.blocks {
                each_posting(&block, |doc, key, wl| {
                    let at = &mut next[final_key(&segment.map, key)];
                    postings[*at as usize] = Posting((doc << 8) | u32::from(wl));
                    *at += 1;
                });
            }
        }
        let mut sorted: Vec<u32> = (0..n as u32).collect();
        sorted.sort_unstable_by(|&a, &b| self.keys[a as usize].cmp(&self.keys[b as usize]));
        Postings {
            keys: self.keys,
            sorted,
            starts,
            postings,
        }
    }
}

impl Postings {
    /// The keys of `lang`'s index in order, each with its postings (those of other languages
    /// included: [`Posting::shown_in`] tells).
    fn of(&self, lang: Lang) -> impl Iterator<Item = (&str, &[Posting])> + '_ {
        self.sorted.iter().filter_map(move |&key| {
            let from = self.starts[key as usize] as usize;
            let to = self.starts[key as usize + 1] as usize;
            let list = &self.postings[from..to];
            list.iter()
                .any(|e| e.shown_in(lang))
                .then(|| (&*self.keys[key as usize], list))
        })
    }
}

/// The index and key chunks of `lang` (the per-study records come from [`record`]).
pub fn files(site: &Site, postings: &Postings, lang: Lang, labels: &KindLabels) -> Vec<OutputFile> {
    let mut out = Vec::new();
    files_each(site, postings, lang, labels, &mut |f| out.push(f));
    out
}

/// The index and key chunks of `lang`, each given to `emit` as soon as it is made: a large hub's
/// chunks are tens of megabytes, which need not be held until the last is made.
pub fn files_each(
    site: &Site,
    postings: &Postings,
    lang: Lang,
    labels: &KindLabels,
    emit: &mut dyn FnMut(OutputFile),
) {
    let dir = format!("search/{}", lang.code());
    let mut firsts = Vec::new();
    // Each chunk starts with room for the usual one, so it is not regrown as it fills.
    let fresh = || String::with_capacity(CHUNK_BYTES * 2);
    let mut chunk = fresh();
    let mut first: Option<&str> = None;
    let flush = |chunk: &mut String, emit: &mut dyn FnMut(OutputFile), n: usize| {
        chunk.push(']');
        emit(OutputFile {
            path: format!("{dir}/k{n}.json"),
            payload: Payload::Bytes(std::mem::replace(chunk, fresh()).into_bytes()),
        });
    };
    for (key, list) in postings.of(lang) {
        if first.is_none() {
            first = Some(key);
            firsts.push(key);
            chunk.push('[');
        } else {
            chunk.push(',');
        }
        chunk.push('[');
        chunk.push_str(&serde_json::to_string(key).expect("a string serialises"));
        chunk.push_str(",[");
        let mut last = 0;
        for (i, e) in list.iter().filter(|e| e.shown_in(lang)).enumerate() {
            if i > 0 {
                chunk.push(',');
            }
            // Doc numbers ascend, so deltas keep the numbers (and the file) short.
            let mut digits = itoa::Buffer::new();
            chunk.push_str(digits.format(e.doc() - last));
            chunk.push(',');
            chunk.push_str(digits.format(e.weight()));
            last = e.doc();
        }
        chunk.push_str("]]");
        if chunk.len() >= CHUNK_BYTES {
            flush(&mut chunk, emit, firsts.len() - 1);
            first = None;
        }
    }
    if first.is_some() {
        flush(&mut chunk, emit, firsts.len() - 1);
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
                    .enumerate()
                    .map(|(i, t)| FacetValue {
                        key: t.key.clone(),
                        label: match &t.code {
                            Some(code) => format!("{code}: {}", t.label.get(lang)),
                            None => t.label.get(lang).to_string(),
                        },
                        group: (*kind == Kind::Clusters).then(|| {
                            vocab
                                .term(Kind::Regions, vocab.board_of(i))
                                .label
                                .get(lang)
                                .to_string()
                        }),
                        unused: *kind == Kind::Clusters && site.listed(*kind, i).is_empty(),
                    })
                    .collect(),
            }
        })
        .collect();
    let facet_string = |terms: &dyn Fn(Kind) -> Vec<usize>| -> String {
        labels
            .iter()
            .flat_map(|(kind, _)| {
                let base = FACET_BASE + offsets[kind];
                terms(*kind).into_iter().map(move |t| {
                    char::from_u32(base + t as u32).expect("facet values stay below U+D800")
                })
            })
            .collect()
    };
    let actions = action_docs(site);
    let facets: Vec<String> = site
        .studies
        .iter()
        .map(|s| facet_string(&|k| s.terms(k).to_vec()))
        .chain(actions.iter().map(|&(set, i)| {
            let a = &set.file.actions[i];
            facet_string(&|k| match k {
                Kind::Regions => set.file.region.into_iter().collect(),
                Kind::Outcomes => a.outcomes.clone(),
                Kind::Topics => a.topics.clone(),
                _ => Vec::new(),
            })
        }))
        .collect();
    let mut borrowed: Vec<Borrowed> = Vec::new();
    let n = site.studies.len();
    let written_in = |doc: usize| -> Lang {
        if doc < n {
            site.studies[doc].text(lang).1
        } else {
            action_lang(actions[doc - n], lang)
        }
    };
    for doc in 0..n + actions.len() {
        let written = written_in(doc);
        if written == lang {
            continue;
        }
        let doc = doc as u32;
        let at = match borrowed.iter().position(|b| b.lang == written.code()) {
            Some(at) => at,
            None => {
                borrowed.push(Borrowed {
                    lang: written.code(),
                    dir: site.urls.file(&format!("search/{}/", written.code())),
                    runs: Vec::new(),
                });
                borrowed.len() - 1
            }
        };
        let runs = &mut borrowed[at].runs;
        match runs.last_mut() {
            Some([first, count]) if *first + *count == doc => *count += 1,
            _ => runs.push([doc, 1]),
        }
    }
    let meta = Meta {
        version: 2,
        lang: lang.code(),
        home: site.urls.home(lang),
        borrowed,
        docs: n + actions.len(),
        studies: n,
        chunks: firsts,
        kinds,
        facets,
        stem: true,
        demutate: lang == Lang::Cy,
        min_word: text::MIN_WORD,
        vowels: text::VOWELS,
        rules: text::DEMUTATIONS,
        triggers: text::TRIGGERS,
    };
    emit(OutputFile {
        path: format!("{dir}/index.json"),
        payload: Payload::Bytes(serde_json::to_vec(&meta).expect("index serialises")),
    });
}

/// Every search file of the site: each language's index, key chunks and records.
pub fn site_files(site: &Site, labels: &[(Lang, KindLabels)]) -> Vec<OutputFile> {
    let mut files = index_files(site, labels);
    files.par_extend(record_ids(site).map(|(lang, doc)| record(site, lang, doc)));
    files
}

/// Each language's index and key chunks (not the records).
pub fn index_files(site: &Site, labels: &[(Lang, KindLabels)]) -> Vec<OutputFile> {
    let out = std::sync::Mutex::new(Vec::new());
    index_files_each(site, labels, &|f| {
        out.lock().unwrap_or_else(|e| e.into_inner()).push(f)
    });
    out.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// Each language's index and key chunks, given to `emit` as they are made (the languages in
/// parallel).
pub fn index_files_each(
    site: &Site,
    labels: &[(Lang, KindLabels)],
    emit: &(dyn Fn(OutputFile) + Sync),
) {
    let postings = postings(site);
    labels
        .par_iter()
        .for_each(|(lang, labels)| files_each(site, &postings, *lang, labels, &mut |f| emit(f)));
}

/// The language an action is shown in on `lang`'s pages: its Welsh text if it has one, else
/// the English.
fn action_lang((set, i): (&ActionSet, usize), lang: Lang) -> Lang {
    match (lang, &set.file.actions[i].text_cy) {
        (Lang::Cy, Some(_)) => Lang::Cy,
        _ => Lang::En,
    }
}

/// Every (language, document) that has a record: each text some index shows, once.
pub fn record_ids(site: &Site) -> impl ParallelIterator<Item = (Lang, usize)> + '_ {
    let languages = &site.config.languages;
    let n = site.studies.len();
    let actions = action_docs(site);
    (0..n + actions.len())
        .into_par_iter()
        .flat_map_iter(move |doc| {
            let shows = |written: Lang| -> bool {
                languages.iter().any(|&l| {
                    if doc < n {
                        site.studies[doc].text(l).1 == written
                    } else {
                        action_lang(actions[doc - n], l) == written
                    }
                })
            };
            Lang::ALL
                .into_iter()
                .filter(move |&written| shows(written))
                .map(move |written| (written, doc))
                .collect::<Vec<_>>()
        })
}

/// The record of the text of document `doc` written in `lang`: what a result shows, fetched only
/// when shown, by the index of every language that shows this text.
pub fn record(site: &Site, lang: Lang, doc: usize) -> OutputFile {
    let n = site.studies.len();
    let fragment = if doc < n {
        let s = &site.studies[doc];
        let t = s.text_in(lang).expect("records are made for written texts");
        Fragment {
            u: crate::urls::Urls::doc_path(&crate::urls::DocKey::Study(s.slug.clone())),
            t: &t.title,
            s: &t.summary,
            x: &t.body.text,
            k: None,
        }
    } else {
        let (set, i) = action_docs(site)[doc - n];
        let a = &set.file.actions[i];
        let text = match lang {
            Lang::Cy => a.text_cy.as_deref().unwrap_or(&a.text),
            Lang::En => &a.text,
        };
        // Where the action is listed: its board's page, or the national actions.
        let u = match set.file.region {
            Some(r) => format!(
                "{}/{}/#actions-heading",
                Kind::Regions.segment(),
                site.config.vocab.term(Kind::Regions, r).key
            ),
            None => format!(
                "actions/#actions-national-{}",
                set.file.cycle.replace('/', "-")
            ),
        };
        Fragment {
            u,
            t: text,
            s: "",
            x: "",
            k: Some("a"),
        }
    };
    OutputFile {
        path: format!("search/{}/d{doc}.json", lang.code()),
        payload: Payload::Bytes({
            // Sized up front: growing a buffer of a whole study's text copies it over and over.
            let size = fragment.t.len() + fragment.s.len() + fragment.x.len() * 11 / 10 + 256;
            let mut buf = Vec::with_capacity(size);
            serde_json::to_writer(&mut buf, &fragment).expect("a record serialises");
            buf
        }),
    }
}
