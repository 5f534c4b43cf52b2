//! Links between documents, checked once every document is known: each reaches a published
//! page (not a draft), each `#fragment` a heading of every page the link is shown on; and the
//! backlinks that result.

use crate::content::document::{Front, LoadedDoc};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::lang::Lang;
use crate::model::Site;
use crate::urls::DocKey;
use std::collections::{HashMap, HashSet};

pub fn doc_links(doc: &LoadedDoc) -> Vec<crate::markdown::DocLink> {
    let mut links = doc.body.links.clone();
    if let Front::Study(f) = &doc.front {
        for m in f.markdowns() {
            links.extend(m.links.iter().cloned());
        }
    }
    links
}

pub type SourceLinks = (DocKey, Lang, String, Vec<crate::markdown::DocLink>);

/// Broken `#fragment` links of one file that get a "did you mean" (each costs a comparison with
/// every heading of the target).
const MAX_SUGGESTED: usize = 20;
/// Headings named in the help of a broken `#fragment` link.
const LISTED_HEADINGS: usize = 8;

/// Checks every link from a published document and records backlinks. A document without a
/// translation is also shown on the other language's page, where its links lead to the other
/// language's twin: fragments are checked against every page the link appears on.
pub fn check_links(
    site: &mut Site,
    drafts: &HashSet<String>,
    outline_differs: &HashSet<DocKey>,
    links: Vec<SourceLinks>,
    diags: &mut Vec<Diagnostic>,
) {
    let sources: HashSet<(DocKey, Lang)> =
        links.iter().map(|(k, l, _, _)| (k.clone(), *l)).collect();
    let mut backlinks: Vec<(usize, DocKey)> = Vec::new();
    let mut heading_ids: HashMap<(DocKey, Lang), HashSet<String>> = HashMap::new();
    let mut broken_in: HashMap<String, usize> = HashMap::new();
    for (from, lang, path, links) in links {
        if let DocKey::Study(slug) = &from
            && !site.by_slug.contains_key(slug)
        {
            continue;
        }
        let shown_in: Vec<Lang> = site
            .config
            .languages
            .iter()
            .copied()
            .filter(|&l| l == lang || !sources.contains(&(from.clone(), l)))
            .collect();
        for link in links {
            if let DocKey::Study(slug) = &link.target {
                match site.by_slug.get(slug) {
                    Some(&j) if link.target != from => backlinks.push((j, from.clone())),
                    Some(_) => {}
                    None => {
                        if drafts.contains(slug) {
                            diags.push(
                                Diagnostic::error(
                                    &path,
                                    link.line,
                                    link.column,
                                    format!(
                                        "`{}` links to a draft, which is not published",
                                        link.written
                                    ),
                                )
                                .with_help("remove the link, or publish the draft"),
                            );
                        }
                        continue;
                    }
                }
            }
            let Some(fragment) = &link.fragment else {
                continue;
            };
            for &l in &shown_in {
                let Some((headings, target_path)) = shown_headings(site, &link.target, l) else {
                    continue;
                };
                let ids = heading_ids
                    .entry((link.target.clone(), l))
                    .or_insert_with(|| headings.iter().map(|h| h.id.clone()).collect());
                if ids.contains(fragment.as_str()) {
                    continue;
                }
                // Suggestions cost a comparison with every heading; past the first few broken
                // links of a file they would only repeat, so a flood of them stays linear.
                let broken = broken_in.entry(path.clone()).or_insert(0);
                *broken += 1;
                let suggest = *broken <= MAX_SUGGESTED;
                let help = match suggest
                    .then(|| did_you_mean(fragment, headings.iter().map(|h| h.id.as_str())))
                    .flatten()
                {
                    Some(h) if l == lang => h,
                    _ if l != lang => format!(
                        "on the {} page this link leads to {target_path}: give its matching heading this id, e.g. `## Heading {{#{fragment}}}`",
                        l.endonym()
                    ),
                    _ if headings.is_empty() => "the page has no headings".to_string(),
                    _ => {
                        let ids: Vec<_> = headings
                            .iter()
                            .take(LISTED_HEADINGS)
                            .map(|h| format!("`{}`", h.id))
                            .collect();
                        let more = headings.len().saturating_sub(LISTED_HEADINGS);
                        if more > 0 {
                            format!("its headings include {} and {more} more", ids.join(", "))
                        } else {
                            format!("its headings are {}", ids.join(", "))
                        }
                    }
                };
                // A translation that says something else (reported at it) leads to the top of
                // its page: worth a warning, not a failed build.
                let d = if l != lang && super::twins::lenient(outline_differs, &link.target, l) {
                    Diagnostic::warning(
                        &path,
                        link.line,
                        link.column,
                        format!("`{}`: the {} page {target_path} has no heading `{fragment}`, so there the link opens the top of the page", link.written, l.endonym()),
                    )
                    .with_help("make the translation's headings match its twin's, one for one; it then takes the twin's anchors")
                } else {
                    Diagnostic::error(
                        &path,
                        link.line,
                        link.column,
                        format!("`{}`: no heading has the id `{fragment}`", link.written),
                    )
                    .with_help(help)
                };
                diags.push(d);
                break;
            }
        }
    }
    for (j, from) in backlinks {
        site.studies[j].linked_from.push(from);
    }
    for s in &mut site.studies {
        s.linked_from.sort();
        s.linked_from.dedup();
    }
}

/// The headings of the text shown for `key` on `lang`'s page, and the file it comes from.
fn shown_headings<'s>(
    site: &'s Site,
    key: &DocKey,
    lang: Lang,
) -> Option<(&'s [crate::markdown::Heading], &'s str)> {
    match key {
        DocKey::Study(slug) => {
            let t = site.studies[*site.by_slug.get(slug)?].text(lang).0;
            Some((&t.body.headings, &t.source))
        }
        DocKey::Page(p) => {
            let t = site.pages.iter().find(|pg| &pg.path == p)?.text(lang).0;
            Some((&t.body.headings, &t.source))
        }
    }
}
