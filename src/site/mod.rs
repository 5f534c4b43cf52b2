//! Loaded documents → the [`Site`]: merges translations, drops drafts, checks everything that
//! spans files (translations agree, `related` slugs exist, links reach published pages and real
//! headings) and computes related studies and backlinks in near-linear time.

use crate::config::Config;
use crate::content::actions::ActionFile;
use crate::content::document::{Front, LoadedDoc, PageFront, StudyFront};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::lang::{Lang, PerLang};
use crate::markdown::Rendered;
use crate::model::{ActionSet, Page, PageText, Site, Study, StudyText, Value, Values};
use crate::schema::{self, FieldKind, Required, Scope};
use crate::sources::Sources;
use crate::urls::DocKey;
use crate::vocab::Kind;
use crate::yaml::fields::Spanned;
mod links;
mod quotations;
mod twins;

use links::{check_links, doc_links};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// How many studies of the same outcome or theme, on either side in slug order, are compared
/// with each study when looking for similar ones. Bounds the work per study, so the whole
/// computation is linear in the number of studies.
const SIMILAR_WINDOW: usize = 8;
/// How many similar studies a study page shows.
const SIMILAR_SHOWN: usize = 3;

/// A document and its translation, as far as each exists.
#[derive(Default)]
struct Twins<'a> {
    en: Option<&'a LoadedDoc>,
    cy: Option<&'a LoadedDoc>,
}

/// Builds the site model, reporting cross-file problems into `diags`.
pub fn build<'d>(
    sources: &Sources,
    docs: impl IntoIterator<Item = &'d LoadedDoc>,
    known_slugs: &HashSet<String>,
    drafts: bool,
    diags: &mut Vec<Diagnostic>,
) -> Site {
    let (config, urls) = (sources.config.clone(), sources.urls.clone());
    let (files, action_files, today) = (&sources.inventory.files, &sources.actions, &sources.today);
    let mut by_key: BTreeMap<DocKey, Twins> = BTreeMap::new();
    for doc in docs {
        let twins = by_key.entry(doc.source.key.clone()).or_default();
        match doc.source.lang {
            Lang::En => twins.en = Some(doc),
            Lang::Cy => twins.cy = Some(doc),
        }
    }
    quotations::check(&by_key, &sources.library, diags);
    quotations::check_intros(&sources.intros, &sources.library, diags);
    crate::timings::done("quotations checked");
    let mut studies = Vec::new();
    let mut pages = Vec::new();
    let mut draft_slugs = HashSet::new();
    let mut related_written: Vec<(usize, Vec<Spanned<String>>, String)> = Vec::new();
    let mut links = Vec::new();
    for (key, twins) in by_key {
        for doc in twins.en.iter().chain(twins.cy.iter()) {
            links.push((
                doc.source.key.clone(),
                doc.source.lang,
                doc.source.path.clone(),
                doc_links(doc),
            ));
        }
        match key {
            DocKey::Study(slug) => {
                if let Some((study, related)) = merge_study(slug.clone(), twins, diags) {
                    if study.draft() && !drafts {
                        draft_slugs.insert(slug);
                        continue;
                    }
                    if let Some(r) = related {
                        related_written.push((studies.len(), r.0, r.1));
                    }
                    studies.push(study);
                }
            }
            DocKey::Page(path) => pages.push(merge_page(path, twins)),
        }
    }
    crate::timings::done("studies merged");
    // Each translation beside its twin: the same outline, and the twin's anchors.
    let mut outline_differs = HashSet::new();
    for s in &mut studies {
        if let Some((en, cy)) = both(&mut s.texts) {
            let key = DocKey::Study(s.slug.clone());
            outline_differs.extend(twins::match_outlines(
                &key,
                &en.body,
                &mut cy.body,
                &cy.source,
                diags,
            ));
        }
    }
    for p in &mut pages {
        if let Some((en, cy)) = both(&mut p.texts) {
            let key = DocKey::Page(p.path.clone());
            outline_differs.extend(twins::match_outlines(
                &key,
                &en.body,
                &mut cy.body,
                &cy.source,
                diags,
            ));
        }
    }
    let by_slug: HashMap<String, usize> = studies
        .iter()
        .enumerate()
        .map(|(i, s)| (s.slug.clone(), i))
        .collect();
    // A study whose own file has errors is reported there; listing it as related is not a second error.
    let broken: HashSet<String> = known_slugs
        .iter()
        .filter(|s| !by_slug.contains_key(*s) && !draft_slugs.contains(*s))
        .cloned()
        .collect();
    resolve_related(
        &mut studies,
        &by_slug,
        &draft_slugs,
        &broken,
        related_written,
        diags,
    );

    let mut site = Site {
        listings: listings(&config, &studies),
        config,
        urls,
        studies,
        pages,
        files: files.to_vec(),
        actions: Vec::new(),
        today: today.to_string(),
        by_slug,
        sources: sources
            .library
            .iter()
            .map(|(k, s)| (k.clone(), s.meta.clone()))
            .collect(),
        reviews: sources.reviews.clone(),
        intros: sources.intros.clone(),
    };

    site.actions = actions(&site, action_files, diags);
    check_links(&mut site, &draft_slugs, &outline_differs, links, diags);
    let (outcomes, themes) = (
        site.config.vocab.get(Kind::Outcomes).terms.len(),
        site.config.vocab.get(Kind::Themes).terms.len(),
    );
    crate::timings::done("links checked");
    similar(&mut site.studies, outcomes, themes);
    crate::timings::done("similar studies");
    crate::elsewhere::compute(&mut site.studies);
    crate::timings::done("similar work elsewhere");
    // A study shown under "similar work elsewhere" is not shown again under "similar work".
    for s in &mut site.studies {
        let elsewhere = std::mem::take(&mut s.elsewhere);
        s.similar.retain(|j| !elsewhere.contains(j));
        s.elsewhere = elsewhere;
    }
    site
}

type RelatedWritten = (Vec<Spanned<String>>, String);

/// Merges an English file and its Welsh translation (either may be missing), field by field as
/// [`schema::STUDY`] says: shared fields from the English file (the translation must agree where
/// it repeats them), translated fields from each file (else the English), own fields from each.
fn merge_study(
    slug: String,
    twins: Twins,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Study, Option<RelatedWritten>)> {
    let front = |d: &Option<&LoadedDoc>| -> Option<(StudyFront, String, Arc<Rendered>)> {
        let d = (*d)?;
        match &d.front {
            Front::Study(f) => Some(((**f).clone(), d.source.path.clone(), d.body.clone())),
            Front::Page(_) => None,
        }
    };
    let en = front(&twins.en);
    let cy = front(&twins.cy);
    let (primary, primary_path, _) = en.as_ref().or(cy.as_ref())?;
    if let (Some((e, _, _)), Some((c, cy_path, _))) = (&en, &cy) {
        agree(e, c, cy_path, diags);
    }
    let mut terms: [Vec<usize>; Kind::ALL.len()] = Default::default();
    let mut shared = Values::default();
    for field in schema::STUDY.iter().filter(|f| f.scope == Scope::Shared) {
        let value = primary.get(field.name).map(|v| v.value.clone());
        match (field.kind, value) {
            (FieldKind::Term(kind) | FieldKind::Terms(kind), Some(Value::Terms(t))) => {
                terms[kind as usize] = t;
            }
            (_, Some(v)) => shared.set(field.name, v),
            (_, None) => {}
        }
    }
    // Without its required classification a study cannot be listed; its file has the error.
    let complete = schema::STUDY
        .iter()
        .filter(|f| f.required == Required::Primary)
        .all(|f| match f.kind {
            FieldKind::Term(k) | FieldKind::Terms(k) => !terms[k as usize].is_empty(),
            _ => shared.get(f.name).is_some(),
        });
    if !complete {
        return None;
    }
    let related = primary.related.clone().map(|r| (r, primary_path.clone()));
    let fallback = primary.clone();
    let text = |t: Option<(StudyFront, String, Arc<Rendered>)>| -> Option<StudyText> {
        let (f, source, body) = t?;
        let own = |name: &str| match f.get(name).map(|v| &v.value) {
            Some(Value::Text(t)) => Some(t.clone()),
            _ => None,
        };
        let mut fields = Values::default();
        for field in schema::STUDY {
            let value = match field.scope {
                Scope::Translated => f.get(field.name).or_else(|| fallback.get(field.name)),
                Scope::Own if !matches!(field.name, "title" | "summary") => f.get(field.name),
                _ => None,
            };
            if let Some(v) = value {
                fields.set(field.name, v.value.clone());
            }
        }
        Some(StudyText {
            source,
            title: own("title")?,
            summary: own("summary")?,
            fields,
            body,
        })
    };
    let study = Study {
        slug,
        terms,
        shared,
        texts: PerLang::new(text(en), text(cy)),
        related: Vec::new(),
        similar: Vec::new(),
        elsewhere: Vec::new(),
        linked_from: Vec::new(),
    };
    if study.texts.iter().all(|(_, t)| t.is_none()) {
        return None;
    }
    Some((study, related))
}

/// Reports shared fields of a Welsh translation that disagree with the English file.
fn agree(en: &StudyFront, cy: &StudyFront, cy_path: &str, diags: &mut Vec<Diagnostic>) {
    let disagree = |field: &str, line: usize, column: usize| {
        Diagnostic::error(cy_path, line, column, format!("`{field}` here disagrees with the English file"))
            .with_help(format!("remove `{field}` from the Welsh file (it is taken from the English one), or make the two match"))
    };
    for field in schema::STUDY.iter().filter(|f| f.scope == Scope::Shared) {
        let name = field.name;
        if field.kind == FieldKind::Slugs {
            let values = |r: &Option<Vec<Spanned<String>>>| {
                r.as_ref()
                    .map(|v| v.iter().map(|s| s.value.clone()).collect::<Vec<_>>())
            };
            if let Some(c) = cy.related.as_ref().and_then(|r| r.first())
                && values(&en.related) != values(&cy.related)
            {
                diags.push(disagree(name, c.line, c.column));
            }
            continue;
        }
        // An English value that is written but invalid is reported there, not here as well.
        let english_invalid = en.get(name).is_none() && en.written.contains(&name);
        if let Some(c) = cy.get(name)
            && !english_invalid
            && en.get(name).map(|e| &e.value) != Some(&c.value)
        {
            diags.push(disagree(name, c.line, c.column));
        }
    }
}

fn merge_page(path: String, twins: Twins) -> Page {
    let text = |d: Option<&LoadedDoc>| -> Option<PageText> {
        let d = d?;
        let Front::Page(PageFront {
            title,
            summary,
            translation,
            ..
        }) = &d.front
        else {
            return None;
        };
        Some(PageText {
            source: d.source.path.clone(),
            title: title.as_ref()?.value.clone(),
            summary: summary.as_ref().map(|s| s.value.clone()),
            body: d.body.clone(),
            translation: translation.clone(),
        })
    };
    Page {
        path,
        texts: PerLang::new(text(twins.en), text(twins.cy)),
    }
}

/// The slug `related:` most likely means when it names a file (`beta.md`, `beta/index.md`), a
/// title (`Beta Transport`) or a near miss.
fn related_hint(
    written: &str,
    studies: &[Study],
    by_slug: &HashMap<String, usize>,
    drafts: &HashSet<String>,
) -> Option<String> {
    let file = written
        .trim_end_matches("/index.md")
        .trim_end_matches(".cy.md")
        .trim_end_matches(".md");
    let file = file.rsplit('/').next().unwrap_or(file);
    if file != written && by_slug.contains_key(file) {
        return Some(format!(
            "write the slug, the file's name without `.md`: `{file}`"
        ));
    }
    let wanted = crate::slug::anchor(written);
    for study in studies {
        for lang in crate::lang::Lang::ALL {
            if study
                .text_in(lang)
                .is_some_and(|t| crate::slug::anchor(&t.title) == wanted)
            {
                return Some(format!(
                    "that is the title of `{}`: write its slug, `{}`",
                    study.slug, study.slug
                ));
            }
        }
    }
    did_you_mean(
        &wanted,
        by_slug
            .keys()
            .map(String::as_str)
            .chain(drafts.iter().map(String::as_str)),
    )
}

fn resolve_related(
    studies: &mut [Study],
    by_slug: &HashMap<String, usize>,
    drafts: &HashSet<String>,
    broken: &HashSet<String>,
    written: Vec<(usize, Vec<Spanned<String>>, String)>,
    diags: &mut Vec<Diagnostic>,
) {
    for (i, slugs, path) in written {
        for s in slugs {
            match by_slug.get(&s.value) {
                Some(&j) if j == i => diags.push(Diagnostic::error(
                    &path,
                    s.line,
                    s.column,
                    "a case study cannot be related to itself",
                )),
                Some(&j) if !studies[i].related.contains(&j) => {
                    studies[i].related.push(j);
                    let from = DocKey::Study(studies[i].slug.clone());
                    studies[j].linked_from.push(from);
                }
                Some(_) => {}
                None if drafts.contains(&s.value) => diags.push(
                    Diagnostic::error(
                        &path,
                        s.line,
                        s.column,
                        format!(
                            "`{}` is a draft, so a published study cannot list it as related",
                            s.value
                        ),
                    )
                    .with_help("publish it (remove `draft: true`) or remove it from `related`"),
                ),
                None if broken.contains(&s.value) => {}
                None => diags.push(
                    Diagnostic::error(
                        &path,
                        s.line,
                        s.column,
                        format!("there is no case study `{}`", s.value),
                    )
                    .with_help_opt(related_hint(&s.value, studies, by_slug, drafts)),
                ),
            }
        }
    }
}

/// For each kind and term, the studies filed under it, in slug order.
fn listings(config: &Config, studies: &[Study]) -> HashMap<Kind, Vec<Vec<usize>>> {
    Kind::ALL
        .into_iter()
        .map(|kind| {
            let mut lists = vec![Vec::new(); config.vocab.get(kind).terms.len()];
            for (i, s) in studies.iter().enumerate() {
                for &t in s.terms(kind) {
                    lists[t].push(i);
                }
            }
            (kind, lists)
        })
        .collect()
}

/// Fills `Study::similar`: the studies sharing the most outcomes (counted twice) and themes,
/// compared within a bounded window of each posting list so the cost stays linear.
fn similar(studies: &mut [Study], outcome_count: usize, theme_count: usize) {
    // Posting lists indexed by term: outcomes first, then themes.
    let mut postings: Vec<Vec<usize>> = vec![Vec::new(); outcome_count + theme_count];
    for (i, s) in studies.iter().enumerate() {
        for &o in s.terms(Kind::Outcomes) {
            postings[o].push(i);
        }
        for &t in s.terms(Kind::Themes) {
            postings[outcome_count + t].push(i);
        }
    }
    let score = |a: &Study, b: &Study| {
        let shared = |x: &[usize], y: &[usize]| x.iter().filter(|v| y.contains(v)).count();
        2 * shared(a.terms(Kind::Outcomes), b.terms(Kind::Outcomes))
            + shared(a.terms(Kind::Themes), b.terms(Kind::Themes))
    };
    let studies_ref: &[Study] = studies;
    let results: Vec<Vec<usize>> = (0..studies_ref.len())
        .into_par_iter()
        .map(|i| {
            let s = &studies_ref[i];
            let mut candidates: Vec<usize> = Vec::with_capacity(64);
            let terms = s
                .terms(Kind::Outcomes)
                .iter()
                .copied()
                .chain(s.terms(Kind::Themes).iter().map(|&t| outcome_count + t));
            for term in terms {
                let list = &postings[term];
                let at = list.binary_search(&i).unwrap_or(0);
                let lo = at.saturating_sub(SIMILAR_WINDOW);
                let hi = (at + SIMILAR_WINDOW + 1).min(list.len());
                candidates.extend(&list[lo..hi]);
            }
            candidates.sort_unstable();
            candidates.dedup();
            let mut scored: Vec<(usize, usize)> = candidates
                .into_iter()
                .filter(|&j| j != i && !s.related.contains(&j))
                .map(|j| (score(s, &studies_ref[j]), j))
                .collect();
            scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            scored
                .into_iter()
                .take(SIMILAR_SHOWN)
                .map(|(_, j)| j)
                .collect()
        })
        .collect();
    for (s, sim) in studies.iter_mut().zip(results) {
        s.similar = sim;
    }
}

/// Resolves the case studies each action names, in board order (national actions last), newest
/// cycle first within a board.
fn actions(site: &Site, files: &[ActionFile], diags: &mut Vec<Diagnostic>) -> Vec<ActionSet> {
    let mut sets: Vec<ActionSet> =
        files
            .iter()
            .map(|f| {
                let studies =
                    f.actions
                        .iter()
                        .map(|a| {
                            a.studies
                                .iter()
                                .filter_map(|s| {
                                    let found = site.by_slug.get(&s.value).copied();
                                    if found.is_none() {
                                        diags.push(
                                            Diagnostic::error(
                                                &f.path,
                                                s.line,
                                                s.column,
                                                format!(
                                                    "no published case study has the slug `{}`",
                                                    s.value
                                                ),
                                            )
                                            .with_help_opt(did_you_mean(
                                                &s.value,
                                                site.studies.iter().map(|st| st.slug.as_str()),
                                            )),
                                        );
                                    }
                                    found
                                })
                                .collect()
                        })
                        .collect();
                ActionSet {
                    file: f.clone(),
                    studies,
                }
            })
            .collect();
    sets.sort_by(|a, b| {
        let board = |s: &ActionSet| s.file.region.unwrap_or(usize::MAX);
        board(a)
            .cmp(&board(b))
            .then_with(|| b.file.cycle.cmp(&a.file.cycle))
            .then_with(|| a.file.path.cmp(&b.file.path))
    });
    sets
}

/// The English and Welsh texts of a study or page, when it has both (the Welsh to be changed).
fn both<T>(texts: &mut PerLang<Option<T>>) -> Option<(&T, &mut T)> {
    let mut texts = texts.iter_mut();
    match (texts.next(), texts.next()) {
        (Some(Some(en)), Some(Some(cy))) => Some((&*en, cy)),
        _ => None,
    }
}
