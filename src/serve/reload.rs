//! Which documents `hub serve` must read again after files change, and the fast path's test of
//! an edit that changed only a body.

use crate::content::document::{self, DocResult, LoadedDoc};
use crate::diagnostics::Severity;
use crate::sources::Sources;
use crate::urls::DocKey;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Whether a document changed only in the text of its body: same front matter, headings and
/// link targets, and no errors before or after. Such a change cannot affect any other page.
pub fn body_only(old: &DocResult, new: &DocResult) -> bool {
    let clean = |r: &DocResult| !r.1.iter().any(|d| d.severity == Severity::Error);
    let (Some(a), Some(b)) = (&old.0, &new.0) else {
        return false;
    };
    fn targets(d: &LoadedDoc) -> Vec<(&DocKey, &Option<String>)> {
        d.body
            .links
            .iter()
            .map(|l| (&l.target, &l.fragment))
            .collect()
    }
    clean(old)
        && clean(new)
        && a.front == b.front
        && a.body.headings == b.body.headings
        && targets(a) == targets(b)
}

/// Reads the documents that are `None` in `kept` (in parallel) and fills them in.
pub fn reload_missing(sources: &Sources, kept: Vec<Option<DocResult>>) -> Vec<DocResult> {
    let (inv, env) = (&sources.inventory, sources.doc_env());
    let loaded: Vec<(usize, DocResult)> = kept
        .iter()
        .enumerate()
        .filter(|(_, k)| k.is_none())
        .map(|(i, _)| i)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|i| {
            let mut d = Vec::new();
            let doc = document::load_one(&inv.docs[i], env, &mut d);
            (i, (doc, d))
        })
        .collect();
    let mut out: Vec<Option<DocResult>> = kept;
    for (i, r) in loaded {
        out[i] = Some(r);
    }
    out.into_iter()
        .map(|r| r.expect("every document kept or loaded"))
        .collect()
}

/// Which documents must be read again: the changed ones, ones that had errors, ones whose links
/// point at documents that appeared or disappeared, and the twins of those (a translation's
/// required fields depend on whether the English file exists).
pub fn docs_to_reload(
    old: &crate::content::Inventory,
    new: &crate::content::Inventory,
    docs: &[DocResult],
    changed: &[PathBuf],
) -> HashSet<String> {
    let changed: HashSet<&Path> = changed.iter().map(PathBuf::as_path).collect();
    let old_paths: HashSet<&str> = old.docs.iter().map(|d| d.path.as_str()).collect();
    let new_paths: HashSet<&str> = new.docs.iter().map(|d| d.path.as_str()).collect();
    let mut moved_keys: HashSet<&DocKey> = HashSet::new();
    for d in old
        .docs
        .iter()
        .filter(|d| !new_paths.contains(d.path.as_str()))
    {
        moved_keys.insert(&d.key);
    }
    for d in new
        .docs
        .iter()
        .filter(|d| !old_paths.contains(d.path.as_str()))
    {
        moved_keys.insert(&d.key);
    }
    let mut reload: HashSet<String> = new
        .docs
        .iter()
        .filter(|d| {
            changed.contains(d.abs.as_path())
                || !old_paths.contains(d.path.as_str())
                || moved_keys.contains(&d.key)
        })
        .map(|d| d.path.clone())
        .collect();
    if !moved_keys.is_empty()
        || docs
            .iter()
            .any(|(_, d)| d.iter().any(|x| x.severity == Severity::Error))
    {
        for ((doc, diags), src) in docs.iter().zip(&old.docs) {
            let had_error = doc.is_none() || diags.iter().any(|d| d.severity == Severity::Error);
            let links_moved = doc.as_ref().is_some_and(|d| {
                let fields: Vec<&crate::markdown::DocLink> = match &d.front {
                    document::Front::Study(f) => {
                        f.markdowns().flat_map(|m| m.links.iter()).collect()
                    }
                    document::Front::Page(_) => Vec::new(),
                };
                d.body
                    .links
                    .iter()
                    .chain(fields)
                    .any(|l| moved_keys.contains(&l.target))
            });
            if had_error || links_moved {
                reload.insert(src.path.clone());
            }
        }
    }
    reload
}
