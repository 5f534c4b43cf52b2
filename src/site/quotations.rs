//! Every quotation of a study checked against the sources it lists (see [`crate::citations`]),
//! in parallel: a study's English file against its English sources, a translation against
//! sources in its own language, if any.

use super::Twins;
use crate::citations::{self, Finding, Quote, SourceText};
use crate::content::document::{Front, LoadedDoc};
use crate::content::intros::Intro;
use crate::content::library::Library;
use crate::diagnostics::Diagnostic;
use crate::lang::Lang;
use crate::model::Value;
use crate::urls::DocKey;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Checks every study document that has sources; problems go into `diags`.
pub fn check(by_key: &BTreeMap<DocKey, Twins>, library: &Library, diags: &mut Vec<Diagnostic>) {
    let mut jobs: Vec<(&LoadedDoc, Vec<&str>)> = Vec::new();
    let mut pages: Vec<(&LoadedDoc, Vec<&str>)> = Vec::new();
    for (key, twins) in by_key {
        if let DocKey::Page(_) = key {
            for doc in [twins.en, twins.cy].into_iter().flatten() {
                if let Front::Page(p) = &doc.front
                    && !p.sources.is_empty()
                {
                    pages.push((doc, p.sources.iter().map(String::as_str).collect()));
                }
            }
            continue;
        }
        let primary = twins.en.or(twins.cy);
        let Some(Front::Study(front)) = primary.map(|d| &d.front) else {
            continue;
        };
        let keys: Vec<&str> = match front.get("sources").map(|v| &v.value) {
            Some(Value::Texts(keys)) if !keys.is_empty() => {
                keys.iter().map(String::as_str).collect()
            }
            _ => continue,
        };
        for doc in [twins.en, twins.cy].into_iter().flatten() {
            jobs.push((doc, keys.clone()));
        }
    }
    jobs.extend(pages);
    let found: Vec<Vec<Diagnostic>> = jobs
        .par_iter()
        .map(|(doc, keys)| check_doc(doc, keys, library))
        .collect();
    diags.extend(found.into_iter().flatten());
}

/// Checks the introductions to term pages that list sources.
pub fn check_intros(intros: &[Intro], library: &Library, diags: &mut Vec<Diagnostic>) {
    for intro in intros {
        let keys: Vec<&str> = intro.sources.iter().map(String::as_str).collect();
        diags.extend(check_quotes(
            &intro.path,
            intro.lang,
            intro.quotes().iter(),
            &keys,
            library,
        ));
    }
}

fn check_doc(doc: &LoadedDoc, keys: &[&str], library: &Library) -> Vec<Diagnostic> {
    let (path, lang) = (&doc.source.path, doc.source.lang);
    match &doc.front {
        Front::Study(front) => check_quotes(path, lang, front.quotes(&doc.body), keys, library),
        Front::Page(_) => check_quotes(path, lang, doc.body.quotes.iter(), keys, library),
    }
}

/// Checks quotations written in `lang` in the file at `path` against the sources of `keys` in
/// that language.
fn check_quotes<'q>(
    path: &str,
    lang: Lang,
    quotes: impl Iterator<Item = &'q Quote>,
    keys: &[&str],
    library: &Library,
) -> Vec<Diagnostic> {
    let texts: Vec<&SourceText> = keys
        .iter()
        .filter_map(|k| library.get(*k))
        .filter(|s| s.meta.lang == lang)
        .map(|s| &*s.text)
        .collect();
    if texts.is_empty() {
        return Vec::new();
    }
    let listed = keys
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = Vec::new();
    for q in quotes {
        if let Finding::Missing(closest) = citations::check(&q.text, &texts) {
            let what = if q.block {
                "this block quotation"
            } else {
                "this quotation"
            };
            let help = match closest {
                Some(p) => format!("the closest passage of the sources is: “{}”", shorten(&p)),
                None => "no passage of the sources is close; if these are someone's own words, \
                         write them as a block quotation whose last line is `— who said it`"
                    .to_string(),
            };
            out.push(
                Diagnostic::error(
                    path,
                    q.line,
                    q.column,
                    format!("{what} is not word for word in its sources ({listed})"),
                )
                .with_help(help),
            );
        }
    }
    out
}

/// A passage cut to a length a help line can show.
fn shorten(p: &str) -> String {
    const MAX: usize = 240;
    if p.chars().count() <= MAX {
        return p.to_string();
    }
    let cut: String = p.chars().take(MAX).collect();
    format!("{}…", cut.trim_end())
}
