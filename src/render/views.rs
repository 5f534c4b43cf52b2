//! Borrowed views of the Site that templates read. Built per page, serialised once; nothing here
//! copies study bodies.

use super::reads::{Read, Reads};
use crate::lang::Lang;
use crate::markdown::Heading;
use crate::model::{Site, Study};
use crate::schema::{self, FieldKind, Scope};
use crate::urls::DocKey;
use crate::vocab::{Kind, Term};
use serde::Serialize;

/// A link with a label.
#[derive(Debug, Serialize)]
pub struct Link<'a> {
    /// Site-absolute URL.
    pub url: String,
    /// The visible text.
    pub label: &'a str,
    /// The language of `label` when it differs from the page's.
    pub lang: Option<&'static str>,
}

/// A vocabulary term as shown on a page.
#[derive(Debug, Serialize)]
pub struct TermView<'a> {
    /// The key.
    pub key: &'a str,
    /// Short code, e.g. `PCMW 3`.
    pub code: Option<&'a str>,
    /// Label in the page's language.
    pub label: &'a str,
    /// Description in the page's language.
    pub description: Option<&'a str>,
    /// The term's page.
    pub url: String,
    /// Number of published studies filed under it, in lists of terms (only they read it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
}

/// A study in a listing.
#[derive(Debug, Serialize)]
pub struct Card<'a> {
    /// The study page.
    pub url: String,
    /// Title.
    pub title: &'a str,
    /// Summary.
    pub summary: &'a str,
    /// The language of the title and summary when it differs from the page's (untranslated).
    pub lang: Option<&'static str>,
    /// The clusters' names, if the study names any.
    pub cluster: Option<String>,
    /// Health board.
    pub region: TermView<'a>,
    /// Status.
    pub status: TermView<'a>,
    /// Last update, formatted for the page's language.
    pub updated: Option<String>,
    /// Last update, `YYYY-MM-DD`.
    pub updated_iso: Option<&'a str>,
}

/// One row of the facts table of a study.
#[derive(Debug, Serialize)]
pub struct Fact<'a> {
    /// Catalogue key of the row's label (`field_region`…).
    pub field: &'static str,
    /// Linked vocabulary terms.
    pub terms: Vec<TermView<'a>>,
    /// Or plain texts.
    pub texts: Vec<std::borrow::Cow<'a, str>>,
    /// A date the page must state even when it is not known (`status_as_of`).
    pub unknown: bool,
}

/// One row of a study's summary box: shown whether or not it is known.
#[derive(Debug, Serialize)]
pub struct BoxItem<'a> {
    /// Catalogue key of the label (`field_aim`…).
    pub field: &'static str,
    /// Rendered Markdown (aim, approach, results).
    pub html: Option<&'a str>,
    /// Or a plain text.
    pub text: Option<std::borrow::Cow<'a, str>>,
    /// Or the catalogue key of a choice's label (`evidence_level_described`).
    pub choice: Option<String>,
}

/// A case study page. Templates see its fields under `page`, with the `body` and `evidence`
/// HTML beside them as safe strings (see `Renderer::render`).
#[derive(Debug)]
pub struct StudyView<'a> {
    /// The study's card data.
    pub card: Card<'a>,
    /// Whether the text is in the page's language.
    pub translated: bool,
    /// Language of the text.
    pub text_lang: &'static str,
    /// Headings for the contents list.
    pub toc: Vec<&'a Heading>,
    /// Facts table.
    pub facts: Vec<Fact<'a>>,
    /// The summary box: aim, approach, results, setting, dates, cost, evidence, contact.
    pub summary_box: Vec<BoxItem<'a>>,
    /// Documents linking here.
    pub linked_from: Vec<Link<'a>>,
    /// Source file, for contributors.
    pub source: &'a str,
}

/// Builds views of one Site in one language, noting what the page reads.
pub struct Views<'a> {
    /// The site.
    pub site: &'a Site,
    /// The page language.
    pub lang: Lang,
    /// What the page has read so far.
    pub reads: &'a Reads,
}

impl<'a> Views<'a> {
    /// A term of a vocabulary.
    pub fn term(&self, kind: Kind, position: usize) -> TermView<'a> {
        let t: &'a Term = self.site.config.vocab.term(kind, position);
        TermView {
            key: &t.key,
            code: t.code.as_deref(),
            label: t.label.str(self.lang),
            description: t.description.as_ref().map(|d| d.str(self.lang)),
            url: self.site.urls.term(self.lang, kind, &t.key),
            count: None,
        }
    }

    /// A term with the number of studies filed under it.
    pub fn counted(&self, kind: Kind, position: usize) -> TermView<'a> {
        let mut t = self.term(kind, position);
        t.count = Some(self.listed(kind, position).len());
        t
    }

    /// Every term of a vocabulary, in order, with its count.
    pub fn terms(&self, kind: Kind) -> Vec<TermView<'a>> {
        (0..self.site.config.vocab.get(kind).terms.len())
            .map(|i| self.counted(kind, i))
            .collect()
    }

    /// The studies filed under a term (by title order of the site).
    pub fn listed(&self, kind: Kind, position: usize) -> &'a [usize] {
        self.reads.note_with(|| {
            Read::Listing(
                kind,
                self.site.config.vocab.term(kind, position).key.clone(),
            )
        });
        self.site.listed(kind, position)
    }

    /// Every study, for a page that shows or counts them all.
    pub fn all_studies(&self) -> &'a [Study] {
        self.reads.note(Read::AllStudies);
        &self.site.studies
    }

    /// Notes that the page shows study `i`'s card data.
    pub fn read_card(&self, i: usize) {
        self.reads
            .note_with(|| Read::Card(self.site.studies[i].slug.clone()));
    }

    /// A study's card.
    pub fn card(&self, i: usize) -> Card<'a> {
        self.read_card(i);
        let s: &'a Study = &self.site.studies[i];
        let (text, text_lang) = s.text(self.lang);
        Card {
            url: self.site.urls.study(self.lang, &s.slug),
            title: &text.title,
            summary: &text.summary,
            lang: (text_lang != self.lang).then_some(text_lang.code()),
            cluster: (!s.terms(Kind::Clusters).is_empty()).then(|| {
                s.terms(Kind::Clusters)
                    .iter()
                    .map(|&c| self.term(Kind::Clusters, c).label)
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
            region: self.term(Kind::Regions, s.region()),
            status: self.term(Kind::Statuses, s.status()),
            updated: s.updated().map(|u| self.lang.date(u)),
            updated_iso: s.updated(),
        }
    }

    /// The most recently updated studies.
    pub fn newest_ids(&self, n: usize) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.all_studies().len()).collect();
        order.sort_by(|&a, &b| {
            let (sa, sb) = (&self.site.studies[a], &self.site.studies[b]);
            sb.updated().cmp(&sa.updated()).then(sa.slug.cmp(&sb.slug))
        });
        order.truncate(n);
        order
    }

    /// Every study's place in listings in the page's language: by title, lower-cased, then slug.
    pub fn title_ranks(&self) -> Vec<u32> {
        let mut ids: Vec<usize> = (0..self.site.studies.len()).collect();
        ids.sort_by_cached_key(|&i| {
            let s = &self.site.studies[i];
            (s.text(self.lang).0.title.to_lowercase(), s.slug.clone())
        });
        let mut ranks = vec![0; ids.len()];
        for (rank, i) in ids.into_iter().enumerate() {
            ranks[i] = rank as u32;
        }
        ranks
    }

    /// A link to a study or page.
    pub fn doc_link(&self, key: &DocKey) -> Option<Link<'a>> {
        let (label, lang) = match key {
            DocKey::Study(slug) => {
                let i = *self.site.by_slug.get(slug)?;
                self.read_card(i);
                let (t, l) = self.site.studies[i].text(self.lang);
                (t.title.as_str(), l)
            }
            DocKey::Page(path) => {
                self.reads.note_with(|| Read::Page(path.clone()));
                let (t, l) = self
                    .site
                    .pages
                    .iter()
                    .find(|p| &p.path == path)?
                    .text(self.lang);
                (t.title.as_str(), l)
            }
        };
        Some(Link {
            url: self.site.urls.doc(self.lang, key),
            label,
            lang: (lang != self.lang).then_some(lang.code()),
        })
    }

    /// A whole study page.
    pub fn study(&self, i: usize) -> StudyView<'a> {
        let s: &'a Study = &self.site.studies[i];
        self.reads.note_with(|| Read::Study(s.slug.clone()));
        let (text, text_lang) = s.text(self.lang);
        let facts = schema::facts()
            .into_iter()
            .filter_map(|f| {
                let (_, label) = f.fact?;
                let values = match f.scope {
                    Scope::Shared => &s.shared,
                    Scope::Translated | Scope::Own => &text.fields,
                };
                let (terms, texts): (Vec<TermView<'a>>, Vec<std::borrow::Cow<'a, str>>) =
                    match f.kind {
                        FieldKind::Term(kind) | FieldKind::Terms(kind) => (
                            s.terms(kind).iter().map(|&t| self.term(kind, t)).collect(),
                            Vec::new(),
                        ),
                        FieldKind::Texts => (
                            Vec::new(),
                            values
                                .texts(f.name)
                                .iter()
                                .map(|t| t.as_str().into())
                                .collect(),
                        ),
                        FieldKind::PartialDate => (
                            Vec::new(),
                            values
                                .text(f.name)
                                .map(|d| super::insights::partial_date(self.lang, d).into())
                                .into_iter()
                                .collect(),
                        ),
                        _ => (
                            Vec::new(),
                            values.text(f.name).map(Into::into).into_iter().collect(),
                        ),
                    };
                // A date of the status is stated even when unknown: its absence says something.
                let unknown =
                    terms.is_empty() && texts.is_empty() && f.kind == FieldKind::PartialDate;
                (!terms.is_empty() || !texts.is_empty() || unknown).then_some(Fact {
                    field: label,
                    terms,
                    texts,
                    unknown,
                })
            })
            .collect();
        let summary_box = schema::summary_box()
            .into_iter()
            .filter_map(|f| {
                let (_, label) = f.summary?;
                let values = match f.scope {
                    Scope::Shared => &s.shared,
                    Scope::Translated | Scope::Own => &text.fields,
                };
                let mut item = BoxItem {
                    field: label,
                    html: None,
                    text: None,
                    choice: None,
                };
                match f.kind {
                    FieldKind::Markdown => {
                        item.html = values.markdown(f.name).map(|m| m.html.as_str());
                    }
                    FieldKind::Choice(_) => {
                        item.choice = values
                            .text(f.name)
                            .map(|k| format!("{}_{}", f.name, k.replace('-', "_")));
                    }
                    FieldKind::PartialDate => {
                        item.text = values
                            .text(f.name)
                            .map(|d| super::insights::partial_date(self.lang, d).into());
                    }
                    _ => item.text = values.text(f.name).map(Into::into),
                }
                Some(item)
            })
            .collect();
        StudyView {
            summary_box,
            card: self.card(i),
            translated: text_lang == self.lang,
            text_lang: text_lang.code(),
            toc: text.body.headings.iter().filter(|h| h.level == 2).collect(),
            facts,
            linked_from: s
                .linked_from
                .iter()
                .filter_map(|k| self.doc_link(k))
                .collect(),
            source: &text.source,
        }
    }
}

/// One peer-review action as a page shows it.
#[derive(Debug, Serialize)]
pub struct ActionView<'a> {
    /// What was agreed, in the page's language when written in it.
    pub text: &'a str,
    /// `en` when the page is Welsh and the action has no Welsh text.
    pub lang: Option<&'static str>,
    /// Who leads it.
    pub lead: Option<&'a str>,
    /// The timescale in the report's words.
    pub timescale: Option<&'a str>,
    /// The due date, written out in the page's language.
    pub due: Option<String>,
    /// The due date, `YYYY-MM-DD`.
    pub due_iso: Option<&'a str>,
    /// Status key (`agreed`, `in-progress`, `done`, `dropped`): the latest progress, else as agreed.
    pub status: &'static str,
    /// Open, its timescale ended before the build date, and no progress recorded here: said as
    /// such, never as "overdue", which would read as a charge against the organisation named.
    pub passed: bool,
    /// The latest note of progress.
    pub latest: Option<ProgressView<'a>>,
    /// The heading of the report's table it sits under (national actions).
    pub group: Option<&'a str>,
    /// Its language when it is not the page's.
    #[serde(skip)]
    pub group_lang: Option<&'static str>,
    /// The timescale's language when it is not the page's.
    pub timescale_lang: Option<&'static str>,
    /// Case studies of the work.
    pub studies: Vec<Link<'a>>,
    /// Its topics.
    pub topics: Vec<TermView<'a>>,
}

/// A note of progress on an action.
#[derive(Debug, Serialize)]
pub struct ProgressView<'a> {
    /// When, written out.
    pub date: String,
    /// When, `YYYY-MM-DD`.
    pub date_iso: &'a str,
    /// Where the action stood.
    pub status: &'static str,
    /// What happened (English).
    pub note: Option<&'a str>,
    /// Who says so.
    pub source: Option<&'a str>,
}

/// Actions under one heading of the report's table (or all of a board's, with none).
#[derive(Debug, Serialize)]
pub struct ActionGroup<'a> {
    /// The heading.
    pub label: Option<&'a str>,
    /// The heading's language when it is not the page's.
    pub lang: Option<&'static str>,
    /// Positions in the set's `actions`, to number them as the set does.
    pub actions: Vec<ActionView<'a>>,
}

/// One board's (or the national) actions of one cycle.
#[derive(Debug, Serialize)]
pub struct ActionSetView<'a> {
    /// The board, or `None` for national actions.
    pub region: Option<TermView<'a>>,
    /// The peer-review cycle.
    pub cycle: &'a str,
    /// Where the actions come from.
    pub source: Option<&'a str>,
    /// The actions, under the headings of the report's table where it has them.
    pub groups: Vec<ActionGroup<'a>>,
    /// How many actions.
    pub count: usize,
    /// How many passed their timescale with no progress recorded here.
    pub passed: usize,
    /// A Welsh page showing Welsh texts no Welsh speaker has reviewed.
    pub welsh_draft: bool,
}

/// An action filed under a topic or outcome, as that term's page lists it.
#[derive(Debug, Serialize)]
pub struct TaggedAction<'a> {
    /// The action.
    pub action: ActionView<'a>,
    /// Its board, or `None` for a national action.
    pub region: Option<TermView<'a>>,
    /// The peer-review cycle.
    pub cycle: &'a str,
}

impl<'a> Views<'a> {
    /// The actions filed under term `position` of `kind` (topics and outcomes).
    pub fn tagged_actions(&self, kind: Kind, position: usize) -> Vec<TaggedAction<'a>> {
        if !matches!(kind, Kind::Topics | Kind::Outcomes) {
            return Vec::new();
        }
        self.reads.note(Read::Actions);
        let mut out = Vec::new();
        for set in &self.site.actions {
            for (i, a) in set.file.actions.iter().enumerate() {
                let tags = match kind {
                    Kind::Topics => &a.topics,
                    _ => &a.outcomes,
                };
                if tags.contains(&position) {
                    out.push(TaggedAction {
                        action: self.action_view(set, i),
                        region: set.file.region.map(|r| self.term(Kind::Regions, r)),
                        cycle: &set.file.cycle,
                    });
                }
            }
        }
        out
    }

    /// The action sets of one board (`Some`), or all of them (`None`).
    pub fn actions(&self, region: Option<usize>) -> Vec<ActionSetView<'a>> {
        let site = self.site;
        self.reads.note(Read::Actions);
        site.actions
            .iter()
            .filter(|set| region.is_none() || set.file.region == region)
            .map(|set| {
                let actions: Vec<ActionView<'a>> = set
                    .file
                    .actions
                    .iter()
                    .enumerate()
                    .map(|(i, _)| self.action_view(set, i))
                    .collect();
                let count = actions.len();
                let passed = actions.iter().filter(|a| a.passed).count();
                let mut groups: Vec<ActionGroup> = Vec::new();
                for a in actions {
                    match groups.last_mut() {
                        Some(g) if g.label == a.group => g.actions.push(a),
                        _ => groups.push(ActionGroup {
                            label: a.group,
                            lang: a.group_lang,
                            actions: vec![a],
                        }),
                    }
                }
                ActionSetView {
                    welsh_draft: self.lang == Lang::Cy
                        && !set.file.welsh_reviewed
                        && set.file.actions.iter().any(|a| a.text_cy.is_some()),
                    region: set.file.region.map(|r| self.term(Kind::Regions, r)),
                    cycle: &set.file.cycle,
                    source: set.file.source.as_deref(),
                    groups,
                    count,
                    passed,
                }
            })
            .collect()
    }

    /// One action as a page shows it.
    fn action_view(&self, set: &'a crate::model::ActionSet, i: usize) -> ActionView<'a> {
        let site = self.site;
        let a = &set.file.actions[i];
        // A Welsh text where there is one; the English one, marked as English, where not.
        let in_lang = |en: &'a Option<String>, cy: &'a Option<String>| match (self.lang, cy) {
            (Lang::Cy, Some(cy)) => (Some(cy.as_str()), None),
            (Lang::Cy, None) => (en.as_deref(), en.as_ref().map(|_| "en")),
            _ => (en.as_deref(), None),
        };
        let (timescale, timescale_lang) = in_lang(&a.timescale, &a.timescale_cy);
        let (group, group_lang) = in_lang(&a.group, &a.group_cy);
        let (text, lang) = match (self.lang, &a.text_cy) {
            (Lang::Cy, Some(cy)) => (cy.as_str(), None),
            (Lang::Cy, None) => (a.text.as_str(), Some("en")),
            _ => (a.text.as_str(), None),
        };
        ActionView {
            text,
            lang,
            lead: a.lead.as_deref(),
            timescale,
            timescale_lang,
            due: a.due.as_deref().map(|d| self.lang.date(d)),
            due_iso: a.due.as_deref(),
            status: a.current_status().key(),
            passed: set.passed(i, &site.today),
            latest: a.progress.last().map(|p| ProgressView {
                date: self.lang.date(&p.date),
                date_iso: &p.date,
                status: p.status.key(),
                note: p.note.as_deref(),
                source: p.source.as_deref(),
            }),
            group,
            group_lang,
            studies: set.studies[i]
                .iter()
                .filter_map(|&s| self.doc_link(&DocKey::Study(site.studies[s].slug.clone())))
                .collect(),
            topics: a
                .topics
                .iter()
                .map(|&t| self.term(Kind::Topics, t))
                .collect(),
        }
    }
}
