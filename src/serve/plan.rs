//! Which pages to render again after a change: what changed between the last good site and the
//! new one, as [`Read`]s, against what each page read when it was last rendered.

use crate::lang::Lang;
use crate::model::{Site, Study};
use crate::render::reads::Read;
use crate::vocab::Kind;
use std::collections::{BTreeSet, HashMap};

/// What changed between two sites, or `None` when everything must be rendered (the languages or
/// the footer's pages changed: every page shows them).
pub fn changes(old: &Site, new: &Site) -> Option<BTreeSet<Read>> {
    fn heads(s: &Site) -> Vec<(&String, Vec<Option<&String>>)> {
        s.pages
            .iter()
            .map(|p| {
                let titles = Lang::ALL
                    .iter()
                    .map(|&l| p.texts[l].as_ref().map(|t| &t.title))
                    .collect();
                (&p.path, titles)
            })
            .collect()
    }
    if old.config.languages != new.config.languages || heads(old) != heads(new) {
        return None;
    }
    let mut changed = BTreeSet::new();
    let slugs: BTreeSet<&String> = old.by_slug.keys().chain(new.by_slug.keys()).collect();
    for slug in slugs {
        match (old.by_slug.get(slug), new.by_slug.get(slug)) {
            (Some(&o), Some(&n)) => {
                let (a, b) = (&old.studies[o], &new.studies[n]);
                if card(old, a) != card(new, b) {
                    changed.insert(Read::Card(slug.clone()));
                    changed.insert(Read::Study(slug.clone()));
                    changed.insert(Read::AllStudies);
                } else if page(old, a) != page(new, b) {
                    changed.insert(Read::Study(slug.clone()));
                }
            }
            _ => {
                changed.insert(Read::Card(slug.clone()));
                changed.insert(Read::Study(slug.clone()));
                changed.insert(Read::AllStudies);
            }
        }
    }
    for kind in Kind::ALL {
        for term in &new.config.vocab.get(kind).terms {
            let listed = |s: &'_ Site| -> BTreeSet<String> {
                s.config
                    .vocab
                    .get(kind)
                    .position(&term.key)
                    .map(|j| {
                        s.listed(kind, j)
                            .iter()
                            .map(|&k| s.studies[k].slug.clone())
                            .collect()
                    })
                    .unwrap_or_default()
            };
            if listed(old) != listed(new) {
                changed.insert(Read::Listing(kind, term.key.clone()));
            }
        }
    }
    fn pages(s: &Site) -> HashMap<&String, &crate::model::Page> {
        s.pages.iter().map(|p| (&p.path, p)).collect()
    }
    let (old_pages, new_pages) = (pages(old), pages(new));
    for (path, p) in &new_pages {
        if old_pages.get(path) != Some(p) {
            changed.insert(Read::Page((*path).clone()));
        }
    }
    if actions(old) != actions(new) {
        changed.insert(Read::Actions);
    }
    Some(changed)
}

/// Everything a card, a link or a count shows of a study: its texts' titles, summaries and
/// fields, its terms and shared fields, and which languages it is written in.
fn card<'a>(site: &'a Site, s: &'a Study) -> impl PartialEq + 'a {
    let texts: Vec<_> = s
        .texts
        .iter()
        .map(|(_, t)| {
            t.as_ref()
                .map(|t| (&t.source, &t.title, &t.summary, &t.fields))
        })
        .collect();
    (texts, &s.terms, &s.shared, slugs(site, &s.related))
}

/// What else the study's own page shows: bodies, related and similar studies, backlinks.
fn page<'a>(site: &'a Site, s: &'a Study) -> impl PartialEq + 'a {
    let bodies: Vec<_> = s
        .texts
        .iter()
        .map(|(_, t)| t.as_ref().map(|t| &t.body))
        .collect();
    (
        bodies,
        slugs(site, &s.similar),
        slugs(site, &s.elsewhere),
        &s.linked_from,
    )
}

/// Studies by slug (indexes shift when studies come and go).
fn slugs<'a>(site: &'a Site, v: &[usize]) -> Vec<&'a str> {
    v.iter().map(|&j| site.studies[j].slug.as_str()).collect()
}

/// The actions with the studies they name by slug.
fn actions(site: &Site) -> Vec<(&crate::content::actions::ActionFile, Vec<Vec<&str>>)> {
    site.actions
        .iter()
        .map(|set| {
            (
                &set.file,
                set.studies.iter().map(|v| slugs(site, v)).collect(),
            )
        })
        .collect()
}

/// Whether a page that read `reads` must be rendered again after `changed`.
pub fn affected(reads: &BTreeSet<Read>, changed: &BTreeSet<Read>) -> bool {
    // Both sets are small and sorted; walk the smaller one.
    let (small, large) = if reads.len() < changed.len() {
        (reads, changed)
    } else {
        (changed, reads)
    };
    small.iter().any(|r| large.contains(r))
}
