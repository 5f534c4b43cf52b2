//! "Similar work elsewhere": for each study, the studies of other health boards that serve at
//! least one of its outcomes and whose text is most alike, so a cluster finds an evaluated model
//! before starting its own.
//!
//! Text likeness is the cosine of TF-IDF vectors over each study's title, summary, cluster,
//! partners and evidence, analysed as the search index analyses text (folded, English stemmed,
//! Welsh radicals). The body is left out on purpose: `hub serve` patches body-only edits without
//! rebuilding the model, and a body edit must not change other studies' pages.
//!
//! Near-linear: each study keeps its strongest [`TOP_TERMS`] terms; candidates come only from
//! the [`LIST_CAP`] strongest holders of each of those terms.

use crate::lang::Lang;
use crate::model::Study;
use crate::search::text;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Terms kept per study.
const TOP_TERMS: usize = 24;
/// Holders of a term considered as candidates.
const LIST_CAP: usize = 256;
/// Studies shown.
pub const SHOWN: usize = 3;

/// Fills `Study::elsewhere` for every study.
pub fn compute(studies: &mut [Study]) {
    let n = studies.len();
    // Term counts per study.
    let counted: Vec<FxHashMap<String, f32>> = studies
        .par_iter()
        .map(|s| {
            let (t, lang) = s.text(Lang::En);
            let mut tf: FxHashMap<String, f32> = FxHashMap::default();
            let fields = [t.title.as_str(), t.summary.as_str()]
                .into_iter()
                .chain(t.cluster.as_deref())
                .chain(t.partners.iter().map(String::as_str))
                .chain(t.evidence.as_ref().map(|e| e.text.as_str()));
            for field in fields {
                for word in text::split(&text::fold(field)) {
                    // The first key: the stem, or the Welsh word itself.
                    if let Some(key) = text::keys_cached(word, lang).first() {
                        *tf.entry(key.clone()).or_default() += 1.0;
                    }
                }
            }
            tf
        })
        .collect();
    let mut df: FxHashMap<&str, u32> = FxHashMap::default();
    for tf in &counted {
        for k in tf.keys() {
            *df.entry(k.as_str()).or_default() += 1;
        }
    }
    let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
    let vectors: Vec<Vec<(u32, f32)>> = counted
        .iter()
        .map(|tf| {
            let mut v: Vec<(&str, f32)> = tf
                .iter()
                .map(|(k, &c)| {
                    let idf = ((n as f32 + 1.0) / (df[k.as_str()] as f32 + 0.5)).ln();
                    (k.as_str(), (1.0 + c.ln()) * idf)
                })
                .filter(|(_, w)| *w > 0.0)
                .collect();
            v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
            v.truncate(TOP_TERMS);
            let norm = v
                .iter()
                .map(|(_, w)| w * w)
                .sum::<f32>()
                .sqrt()
                .max(f32::EPSILON);
            let mut out: Vec<(u32, f32)> = v
                .into_iter()
                .map(|(k, w)| {
                    let id = ids.len() as u32;
                    (*ids.entry(k).or_insert(id), w / norm)
                })
                .collect();
            out.sort_unstable_by_key(|e| e.0);
            out
        })
        .collect();
    // Term → its strongest holders.
    let mut holders: FxHashMap<u32, Vec<(u32, f32)>> = FxHashMap::default();
    for (doc, v) in vectors.iter().enumerate() {
        for &(term, w) in v {
            holders.entry(term).or_default().push((doc as u32, w));
        }
    }
    for list in holders.values_mut() {
        if list.len() > LIST_CAP {
            list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(LIST_CAP);
        }
    }
    let studies_ref: &[Study] = studies;
    let results: Vec<Vec<usize>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let me = &studies_ref[i];
            let mut scores: FxHashMap<u32, f32> = FxHashMap::default();
            for &(term, w) in &vectors[i] {
                for &(j, wj) in &holders[&term] {
                    let other = &studies_ref[j as usize];
                    if other.region != me.region
                        && other.outcomes.iter().any(|o| me.outcomes.contains(o))
                    {
                        *scores.entry(j).or_default() += w * wj;
                    }
                }
            }
            let mut ranked: Vec<(u32, f32)> = scores.into_iter().collect();
            ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            ranked
                .into_iter()
                .take(SHOWN)
                .map(|(j, _)| j as usize)
                .collect()
        })
        .collect();
    for (s, e) in studies.iter_mut().zip(results) {
        s.elsewhere = e;
    }
}
