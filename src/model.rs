//! The Site: plain data that the render stage reads. No I/O here; `site` builds it from the
//! loaded documents.

use crate::config::Config;
use crate::content::FileSource;
use crate::content::actions::ActionFile;
use crate::lang::Lang;
use crate::markdown::Rendered;
use crate::urls::{DocKey, Urls};
use crate::vocab::Kind;
use std::collections::HashMap;
use std::sync::Arc;

/// A case study's text in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyText {
    /// Source file, relative to the hub root.
    pub source: String,
    /// Title.
    pub title: String,
    /// One or two sentences.
    pub summary: String,
    /// The cluster.
    pub cluster: Option<String>,
    /// Partner organisations.
    pub partners: Vec<String>,
    /// Funding.
    pub funding: Option<String>,
    /// Contact.
    pub contact: Option<String>,
    /// Evidence, rendered.
    pub evidence: Option<Arc<Rendered>>,
    /// The body, rendered (shared with the loaded document, so unchanged bodies compare by pointer).
    pub body: Arc<Rendered>,
}

/// One case study: its classification (shared by both languages) and its text per language.
#[derive(Debug, Clone, PartialEq)]
pub struct Study {
    /// The slug.
    pub slug: String,
    /// Health board (position in the regions vocabulary).
    pub region: usize,
    /// Outcomes served.
    pub outcomes: Vec<usize>,
    /// Themes.
    pub themes: Vec<usize>,
    /// Mainstreaming status.
    pub status: usize,
    /// Collaboratives involved.
    pub collaboratives: Vec<usize>,
    /// Peer-review cycle.
    pub year: Option<String>,
    /// Last update, `YYYY-MM-DD`.
    pub updated: Option<String>,
    /// Whether it is a draft (only published with `--drafts`).
    pub draft: bool,
    /// English text, if written.
    pub en: Option<StudyText>,
    /// Welsh text, if written.
    pub cy: Option<StudyText>,
    /// Studies named in `related`, in the order written (indexes into `Site::studies`).
    pub related: Vec<usize>,
    /// Studies with the most outcomes and themes in common, best first.
    pub similar: Vec<usize>,
    /// Studies of other health boards serving a shared outcome, most alike in text first.
    pub elsewhere: Vec<usize>,
    /// Documents whose text links here, or that name this study as related.
    pub linked_from: Vec<DocKey>,
}

impl Study {
    /// The text in `lang`, or `None` if not translated.
    pub fn text_in(&self, lang: Lang) -> Option<&StudyText> {
        match lang {
            Lang::En => self.en.as_ref(),
            Lang::Cy => self.cy.as_ref(),
        }
    }

    /// The body written in `lang`, to replace after an edit.
    pub fn body_mut(&mut self, lang: Lang) -> Option<&mut Arc<Rendered>> {
        match lang {
            Lang::En => self.en.as_mut(),
            Lang::Cy => self.cy.as_mut(),
        }
        .map(|t| &mut t.body)
    }

    /// The text to show on `lang`'s page: the translation if there is one, else the original.
    pub fn text(&self, lang: Lang) -> (&StudyText, Lang) {
        match self.text_in(lang) {
            Some(t) => (t, lang),
            None => {
                let other = lang.other();
                (
                    self.text_in(other)
                        .expect("a study has text in some language"),
                    other,
                )
            }
        }
    }

    /// The terms of `kind` this study is filed under.
    pub fn terms(&self, kind: Kind) -> &[usize] {
        match kind {
            Kind::Regions => std::slice::from_ref(&self.region),
            Kind::Outcomes => &self.outcomes,
            Kind::Themes => &self.themes,
            Kind::Statuses => std::slice::from_ref(&self.status),
            Kind::Collaboratives => &self.collaboratives,
        }
    }
}

/// A plain page's text in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct PageText {
    /// Source file.
    pub source: String,
    /// Title.
    pub title: String,
    /// Optional summary.
    pub summary: Option<String>,
    /// Body, rendered.
    pub body: Arc<Rendered>,
}

/// A plain page (about, contributing…).
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Its path under content/ without `.md`, which is also its URL path.
    pub path: String,
    /// English text.
    pub en: Option<PageText>,
    /// Welsh text.
    pub cy: Option<PageText>,
}

impl Page {
    /// The body written in `lang`, to replace after an edit.
    pub fn body_mut(&mut self, lang: Lang) -> Option<&mut Arc<Rendered>> {
        match lang {
            Lang::En => self.en.as_mut(),
            Lang::Cy => self.cy.as_mut(),
        }
        .map(|t| &mut t.body)
    }

    /// The text to show on `lang`'s page and the language it is in.
    pub fn text(&self, lang: Lang) -> (&PageText, Lang) {
        let (own, other) = match lang {
            Lang::En => (&self.en, &self.cy),
            Lang::Cy => (&self.cy, &self.en),
        };
        match own {
            Some(t) => (t, lang),
            None => (
                other.as_ref().expect("a page has text in some language"),
                lang.other(),
            ),
        }
    }
}

/// The whole site, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    /// Settings and vocabularies.
    pub config: Config,
    /// The URL scheme.
    pub urls: Urls,
    /// Published case studies, sorted by slug.
    pub studies: Vec<Study>,
    /// Plain pages, sorted by path.
    pub pages: Vec<Page>,
    /// Files copied as-is.
    pub files: Vec<FileSource>,
    /// Slug → index in `studies`.
    pub by_slug: HashMap<String, usize>,
    /// For each vocabulary kind and term, the studies filed under it (indexes, by title).
    pub listings: HashMap<Kind, Vec<Vec<usize>>>,
    /// Peer-review actions, by board (national last), newest cycle first.
    pub actions: Vec<ActionSet>,
    /// The build date, `YYYY-MM-DD`: open actions due before it are overdue.
    pub today: String,
}

/// One file of peer-review actions with the case studies each action names resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionSet {
    /// The file as read.
    pub file: ActionFile,
    /// Per action, the studies it names (indexes into `Site::studies`).
    pub studies: Vec<Vec<usize>>,
}

impl ActionSet {
    /// Whether action `i` is open and due before `today`.
    pub fn overdue(&self, i: usize, today: &str) -> bool {
        let a = &self.file.actions[i];
        a.status.open() && a.due.as_deref().is_some_and(|d| d < today)
    }
}

impl Site {
    /// The studies filed under term `position` of `kind`.
    pub fn listed(&self, kind: Kind, position: usize) -> &[usize] {
        &self.listings[&kind][position]
    }

    /// The title of a document in `lang` (falling back to the other language).
    pub fn doc_title(&self, key: &DocKey, lang: Lang) -> Option<&str> {
        match key {
            DocKey::Study(slug) => self
                .by_slug
                .get(slug)
                .map(|&i| self.studies[i].text(lang).0.title.as_str()),
            DocKey::Page(path) => self
                .pages
                .iter()
                .find(|p| &p.path == path)
                .map(|p| p.text(lang).0.title.as_str()),
        }
    }
}

/// A document that lacks a translation into one of the published languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untranslated {
    /// The study or page.
    pub key: DocKey,
    /// The language it lacks.
    pub missing: Lang,
    /// The file it exists in.
    pub source: String,
}

/// How much of the hub exists in each language.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// Published case studies.
    pub studies: usize,
    /// Plain pages.
    pub pages: usize,
    /// Studies written in Welsh.
    pub studies_cy: usize,
    /// Pages written in Welsh.
    pub pages_cy: usize,
    /// Every missing translation, studies first, in slug and path order.
    pub missing: Vec<Untranslated>,
}

impl Site {
    /// Which documents lack a translation into a published language.
    pub fn coverage(&self) -> Coverage {
        let mut c = Coverage {
            studies: self.studies.len(),
            pages: self.pages.len(),
            ..Coverage::default()
        };
        let both = self.config.publishes(Lang::En) && self.config.publishes(Lang::Cy);
        let mut note = |key: DocKey, en: Option<&str>, cy: Option<&str>| match (en, cy) {
            (Some(source), None) if both => c.missing.push(Untranslated {
                key,
                missing: Lang::Cy,
                source: source.to_string(),
            }),
            (None, Some(source)) if both => c.missing.push(Untranslated {
                key,
                missing: Lang::En,
                source: source.to_string(),
            }),
            _ => {}
        };
        for s in &self.studies {
            note(
                DocKey::Study(s.slug.clone()),
                s.en.as_ref().map(|t| t.source.as_str()),
                s.cy.as_ref().map(|t| t.source.as_str()),
            );
        }
        for p in &self.pages {
            note(
                DocKey::Page(p.path.clone()),
                p.en.as_ref().map(|t| t.source.as_str()),
                p.cy.as_ref().map(|t| t.source.as_str()),
            );
        }
        c.studies_cy = self.studies.iter().filter(|s| s.cy.is_some()).count();
        c.pages_cy = self.pages.iter().filter(|p| p.cy.is_some()).count();
        c
    }
}
