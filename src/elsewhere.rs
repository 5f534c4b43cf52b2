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
use crate::vocab::Kind;
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
        // Each run of studies remembers the first key of each word it meets: titles and
        // summaries repeat a few thousand words, and stemming each occurrence was most of this.
        .map_init(FxHashMap::<String, Option<String>>::default, |memo, s| {
            let (t, lang) = s.text(Lang::En);
            let mut tf: FxHashMap<String, f32> = FxHashMap::default();
            let fields = [t.title.as_str(), t.summary.as_str()]
                .into_iter()
                .chain(t.fields.searched());
            for field in fields {
                for word in text::split(&text::fold(field)) {
                    // The first key: the stem, or the Welsh word itself.
                    let key = match memo.get(word) {
                        Some(key) => key,
                        None => memo
                            .entry(word.to_string())
                            .or_insert_with(|| text::keys(word, lang).into_iter().next()),
                    };
                    if let Some(key) = key {
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
    // Board and a bit per outcome (modulo 64, so a shared bit is confirmed on the lists) of
    // each study, side by side so the inner loop stays in cache.
    let keys: Vec<(usize, u64)> = studies
        .iter()
        .map(|s| {
            let mask = s
                .terms(Kind::Outcomes)
                .iter()
                .fold(0u64, |m, &o| m | 1 << (o % 64));
            (s.region(), mask)
        })
        .collect();
    let studies_ref: &[Study] = studies;
    let results: Vec<Vec<usize>> = (0..n)
        .into_par_iter()
        .map_init(
            // Scores by study, and which of them are set: dense, so no hashing per candidate.
            || (vec![0f32; n], Vec::<u32>::new()),
            |(scores, touched), i| {
                let (region, mask) = keys[i];
                let outcomes = studies_ref[i].terms(Kind::Outcomes);
                for &(term, w) in &vectors[i] {
                    for &(j, wj) in &holders[&term] {
                        let (r, m) = keys[j as usize];
                        if r == region || m & mask == 0 {
                            continue;
                        }
                        let slot = &mut scores[j as usize];
                        if *slot == 0.0 {
                            if !studies_ref[j as usize]
                                .terms(Kind::Outcomes)
                                .iter()
                                .any(|o| outcomes.contains(o))
                            {
                                continue;
                            }
                            touched.push(j);
                        }
                        *slot += w * wj;
                    }
                }
                let mut best: Vec<(u32, f32)> = Vec::with_capacity(SHOWN + 1);
                for &j in touched.iter() {
                    let score = std::mem::take(&mut scores[j as usize]);
                    let better = |b: &(u32, f32)| b.1 > score || (b.1 == score && b.0 < j);
                    let at = best.iter().take_while(|b| better(b)).count();
                    if at < SHOWN {
                        best.insert(at, (j, score));
                        best.truncate(SHOWN);
                    }
                }
                touched.clear();
                best.into_iter().map(|(j, _)| j as usize).collect()
            },
        )
        .collect();
    for (s, e) in studies.iter_mut().zip(results) {
        s.elsewhere = e;
    }
}
