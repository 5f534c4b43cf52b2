//! The Site: plain data that the render stage reads. No I/O here; `site` builds it from the
//! loaded documents.

use crate::config::Config;
use crate::content::FileSource;
use crate::content::actions::ActionFile;
use crate::content::intros::Intro;
use crate::content::library::SourceMeta;
use crate::content::reviews::Review;
use crate::lang::{Lang, PerLang};
use crate::markdown::Rendered;
use crate::urls::{DocKey, Urls};
use crate::vocab::Kind;
use std::collections::HashMap;
use std::sync::Arc;

/// A front-matter value, as the model keeps it (see [`crate::schema`] for which field is which).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// One line of text (also dates and cycles).
    Text(String),
    /// A list of texts.
    Texts(Vec<String>),
    /// Markdown, rendered.
    Markdown(Arc<Rendered>),
    /// Vocabulary terms, by position.
    Terms(Vec<usize>),
    /// A flag.
    Bool(bool),
}

/// Field values by field name, in the order of [`crate::schema::STUDY`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Values(Vec<(&'static str, Value)>);

impl Values {
    /// Sets a field (replacing any earlier value).
    pub fn set(&mut self, name: &'static str, value: Value) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }

    /// The value of a field, if given.
    pub fn get(&self, name: &str) -> Option<&Value> {
        debug_assert!(
            crate::schema::STUDY.iter().any(|f| f.name == name),
            "{name}"
        );
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Every field given, in table order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Value)> {
        self.0.iter().map(|(n, v)| (*n, v))
    }

    /// A text field.
    pub fn text(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(Value::Text(t)) => Some(t),
            _ => None,
        }
    }

    /// A list-of-texts field (empty when not given).
    pub fn texts(&self, name: &str) -> &[String] {
        match self.get(name) {
            Some(Value::Texts(t)) => t,
            _ => &[],
        }
    }

    /// A Markdown field.
    pub fn markdown(&self, name: &str) -> Option<&Arc<Rendered>> {
        match self.get(name) {
            Some(Value::Markdown(m)) => Some(m),
            _ => None,
        }
    }

    /// A flag (false when not given).
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some(Value::Bool(true)))
    }

    /// The searchable texts, in table order: text, list and Markdown fields marked `searched`.
    pub fn searched(&self) -> impl Iterator<Item = &str> {
        self.0.iter().flat_map(|(name, v)| {
            let searched = crate::schema::study_field(name).searched;
            let texts: Vec<&str> = match v {
                _ if !searched => Vec::new(),
                Value::Text(t) => vec![t.as_str()],
                Value::Texts(t) => t.iter().map(String::as_str).collect(),
                Value::Markdown(m) => vec![m.text.as_str()],
                Value::Terms(_) | Value::Bool(_) => Vec::new(),
            };
            texts
        })
    }

    /// Every rendered Markdown field, for checking its links.
    pub fn markdowns(&self) -> impl Iterator<Item = &Arc<Rendered>> {
        self.0.iter().filter_map(|(_, v)| match v {
            Value::Markdown(m) => Some(m),
            _ => None,
        })
    }
}

/// A case study's text in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyText {
    /// Source file, relative to the hub root.
    pub source: String,
    /// Title.
    pub title: String,
    /// One or two sentences.
    pub summary: String,
    /// The fields each language may write for itself ([`crate::schema::Scope::Translated`]),
    /// with the English values where the translation gives none.
    pub fields: Values,
    /// The body, rendered (shared with the loaded document, so unchanged bodies compare by pointer).
    pub body: Arc<Rendered>,
}

/// One case study: its classification (shared by both languages) and its text per language.
#[derive(Debug, Clone, PartialEq)]
pub struct Study {
    /// The slug.
    pub slug: String,
    /// The terms of each vocabulary it is filed under (exactly one region and one status), by
    /// `Kind as usize`.
    pub terms: [Vec<usize>; Kind::ALL.len()],
    /// The fields shared by both languages ([`crate::schema::Scope::Shared`]) other than terms.
    pub shared: Values,
    /// The text in each language, if written.
    pub texts: PerLang<Option<StudyText>>,
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
        self.texts[lang].as_ref()
    }

    /// The body written in `lang`, to replace after an edit.
    pub fn body_mut(&mut self, lang: Lang) -> Option<&mut Arc<Rendered>> {
        self.texts[lang].as_mut().map(|t| &mut t.body)
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
        &self.terms[kind as usize]
    }

    /// The health board (position in the regions vocabulary).
    pub fn region(&self) -> usize {
        self.terms(Kind::Regions)[0]
    }

    /// The mainstreaming status (position in the statuses vocabulary).
    pub fn status(&self) -> usize {
        self.terms(Kind::Statuses)[0]
    }

    /// The date of the last substantive update, `YYYY-MM-DD`.
    pub fn updated(&self) -> Option<&str> {
        self.shared.text("updated")
    }

    /// Whether it is a draft (only published with `--drafts`).
    pub fn draft(&self) -> bool {
        self.shared.flag("draft")
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
    /// A translation's state: `draft` or `reviewed`.
    pub translation: Option<String>,
}

/// A plain page (about, contributing…).
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Its path under content/ without `.md`, which is also its URL path.
    pub path: String,
    /// The text in each language, if written.
    pub texts: PerLang<Option<PageText>>,
}

impl Page {
    /// The body written in `lang`, to replace after an edit.
    pub fn body_mut(&mut self, lang: Lang) -> Option<&mut Arc<Rendered>> {
        self.texts[lang].as_mut().map(|t| &mut t.body)
    }

    /// The text to show on `lang`'s page and the language it is in.
    pub fn text(&self, lang: Lang) -> (&PageText, Lang) {
        match &self.texts[lang] {
            Some(t) => (t, lang),
            None => (
                self.texts[lang.other()]
                    .as_ref()
                    .expect("a page has text in some language"),
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
    /// The build date, `YYYY-MM-DD`: an open action whose timescale ended before it has passed
    /// its timescale.
    pub today: String,
    /// The documents studies are written from, by key.
    pub sources: std::collections::BTreeMap<String, SourceMeta>,
    /// Which outcomes each board was reviewed on, newest cycle first.
    pub reviews: Vec<Review>,
    /// Introductions to term pages.
    pub intros: Vec<Intro>,
}

impl Site {
    /// The introduction of a term's page in `lang` (or the other language's, with its language).
    pub fn intro(&self, kind: Kind, term: usize, lang: Lang) -> Option<(&Intro, Lang)> {
        let of = |l: Lang| {
            self.intros
                .iter()
                .find(|i| i.kind == kind && i.term == term && i.lang == l)
        };
        of(lang)
            .map(|i| (i, lang))
            .or_else(|| of(lang.other()).map(|i| (i, lang.other())))
    }

    /// The outcomes `region` was reviewed on in the newest cycle that reviewed it, with the cycle.
    pub fn reviewed(&self, region: usize) -> Option<(&str, &[usize])> {
        self.reviews.iter().find_map(|r| {
            r.boards
                .iter()
                .find(|b| b.region == region)
                .map(|b| (r.cycle.as_str(), b.outcomes.as_slice()))
        })
    }
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
    /// Whether action `i` is open, its timescale ended before `today`, and no progress on it is
    /// recorded here.
    pub fn passed(&self, i: usize, today: &str) -> bool {
        let a = &self.file.actions[i];
        a.current_status().open()
            && a.progress.is_empty()
            && a.due.as_deref().is_some_and(|d| d < today)
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
    /// Welsh texts no Welsh speaker has marked `translation: reviewed`, studies first.
    pub drafts: Vec<Untranslated>,
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
                s.texts[Lang::En].as_ref().map(|t| t.source.as_str()),
                s.texts[Lang::Cy].as_ref().map(|t| t.source.as_str()),
            );
        }
        for p in &self.pages {
            note(
                DocKey::Page(p.path.clone()),
                p.texts[Lang::En].as_ref().map(|t| t.source.as_str()),
                p.texts[Lang::Cy].as_ref().map(|t| t.source.as_str()),
            );
        }
        for s in &self.studies {
            if let Some(t) = &s.texts[Lang::Cy]
                && t.fields.text("translation") != Some("reviewed")
                && s.texts[Lang::En].is_some()
            {
                c.drafts.push(Untranslated {
                    key: DocKey::Study(s.slug.clone()),
                    missing: Lang::Cy,
                    source: t.source.clone(),
                });
            }
        }
        for p in &self.pages {
            if let Some(t) = &p.texts[Lang::Cy]
                && t.translation.as_deref() != Some("reviewed")
                && p.texts[Lang::En].is_some()
            {
                c.drafts.push(Untranslated {
                    key: DocKey::Page(p.path.clone()),
                    missing: Lang::Cy,
                    source: t.source.clone(),
                });
            }
        }
        c.studies_cy = self
            .studies
            .iter()
            .filter(|s| s.texts[Lang::Cy].is_some())
            .count();
        c.pages_cy = self
            .pages
            .iter()
            .filter(|p| p.texts[Lang::Cy].is_some())
            .count();
        c
    }
}
