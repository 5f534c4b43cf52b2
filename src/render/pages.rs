//! The pages of the site: which there are ([`PageId`]), where each lives, and what each shows
//! (one function per kind of page, returning its [`Parts`]).

use super::Renderer;
use super::data;
use super::views::Views;
use crate::diagnostics::Diagnostic;
use crate::lang::Lang;
use crate::urls::SitePage;
use crate::vocab::Kind;
use minijinja::{Value, context};
use serde::Serialize;

/// One page of the site, in any language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageId {
    /// `/`
    Home,
    /// `/case-studies/`
    Studies,
    /// `/case-studies/<slug>/`
    Study(usize),
    /// `/outcomes/`, `/regions/`…
    KindIndex(Kind),
    /// `/outcomes/<key>/`…
    Term(Kind, usize),
    /// A plain page.
    Page(usize),
    /// `/search/`
    Search,
    /// `/coverage/`
    Coverage,
    /// `/pipeline/`
    Pipeline,
    /// `/actions/`
    Actions,
    /// `/translations/`: what lacks a translation.
    Translations,
    /// `/reviews/`: which outcomes each board was reviewed on, per cycle.
    Reviews,
    /// `/404.html`
    NotFound,
    /// `/feed.xml`
    Feed,
}

/// A breadcrumb.
#[derive(Serialize, Clone)]
pub struct Crumb {
    /// Where it leads.
    pub url: String,
    /// Its label.
    pub label: String,
}

/// What one page is made of, before the parts every page shares are added.
pub struct Parts {
    /// The template.
    pub template: &'static str,
    /// The page title (empty on the home page).
    pub title: String,
    /// The breadcrumbs above the title.
    pub crumbs: Vec<Crumb>,
    /// What the template sees as `page`.
    pub page: Value,
    /// Names the study template sees beside `page`.
    pub extra: Vec<(&'static str, Value)>,
}

impl Parts {
    fn new(template: &'static str, title: String, crumbs: Vec<Crumb>, page: Value) -> Self {
        Parts {
            template,
            title,
            crumbs,
            page,
            extra: Vec::new(),
        }
    }
}

impl Renderer<'_> {
    /// Every page of the site in every published language.
    pub fn pages(&self) -> Vec<(Lang, PageId)> {
        let site = self.site;
        let mut ids = vec![
            PageId::Home,
            PageId::Studies,
            PageId::Search,
            PageId::Coverage,
            PageId::Pipeline,
            PageId::Actions,
            PageId::Translations,
            PageId::Reviews,
            PageId::NotFound,
            PageId::Feed,
        ];
        ids.extend((0..site.studies.len()).map(PageId::Study));
        ids.extend((0..site.pages.len()).map(PageId::Page));
        for kind in Kind::ALL {
            // Clusters are listed on their boards' pages and /regions/, which is their index.
            if kind != Kind::Clusters {
                ids.push(PageId::KindIndex(kind));
            }
            ids.extend((0..site.config.vocab.get(kind).terms.len()).map(|i| PageId::Term(kind, i)));
        }
        site.config
            .languages
            .iter()
            .flat_map(|&l| ids.iter().map(move |&id| (l, id)))
            .collect()
    }

    /// The URL of a page.
    pub fn url(&self, lang: Lang, id: PageId) -> String {
        let u = &self.site.urls;
        let fixed = |p| u.site_page(lang, p);
        match id {
            PageId::Home => fixed(SitePage::Home),
            PageId::Studies => fixed(SitePage::Studies),
            PageId::Study(i) => u.study(lang, &self.site.studies[i].slug),
            PageId::KindIndex(k) => u.kind_index(lang, k),
            PageId::Term(k, i) => u.term(lang, k, &self.site.config.vocab.term(k, i).key),
            PageId::Page(i) => u.page_at(lang, &self.site.pages[i].path),
            PageId::Search => fixed(SitePage::Search),
            PageId::Coverage => fixed(SitePage::Coverage),
            PageId::Pipeline => fixed(SitePage::Pipeline),
            PageId::Actions => fixed(SitePage::Actions),
            PageId::Translations => fixed(SitePage::Translations),
            PageId::Reviews => fixed(SitePage::Reviews),
            PageId::NotFound => fixed(SitePage::NotFound),
            PageId::Feed => fixed(SitePage::Feed),
        }
    }

    /// What page `id` shows.
    pub fn parts(&self, v: &Views, id: PageId) -> Result<Parts, Diagnostic> {
        let lang = v.lang;
        let home = || vec![self.crumb(lang, "nav_home", self.url(lang, PageId::Home))];
        let titled = |key: &str| self.t(lang, key);
        Ok(match id {
            PageId::Home => self.home(v)?,
            PageId::Studies => self.studies(v)?,
            PageId::Study(i) => self.study(v, i)?,
            PageId::KindIndex(Kind::Outcomes) => Parts::new(
                "outcomes.html",
                titled("kind_outcomes"),
                home(),
                context! { groups => self.outcome_groups(v) },
            ),
            PageId::KindIndex(kind) => {
                // Each board with its clusters.
                let clusters: Vec<Vec<_>> = if kind == Kind::Regions {
                    let all = &self.site.config.vocab.clusters;
                    (0..self.site.config.vocab.get(Kind::Regions).terms.len())
                        .map(|b| {
                            all.of_board(b)
                                .map(|c| v.counted(Kind::Clusters, c))
                                .filter(|t| {
                                    !all.position(t.key).is_some_and(|c| all.list[c].retired)
                                        || t.count.unwrap_or(0) > 0
                                })
                                .collect()
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                Parts::new(
                    "kind.html",
                    titled(&format!("kind_{}", kind.name())),
                    home(),
                    context! { kind => kind.name(), terms => super::ser(&v.terms(kind)), clusters => super::ser(&clusters) },
                )
            }
            PageId::Term(kind, i) => self.term(v, kind, i)?,
            PageId::Page(i) => {
                let p = &self.site.pages[i];
                v.reads
                    .note_with(|| super::reads::Read::Page(p.path.clone()));
                let (text, text_lang) = p.text(lang);
                Parts::new(
                    "page.html",
                    text.title.clone(),
                    home(),
                    context! {
                        body => text.body.html.as_str(), summary => text.summary.as_deref(), translated => text_lang == lang, text_lang => text_lang.code(),
                        edit_url => self.site.config.repository.as_ref().map(|r| r.edit_url(&text.source)),
                        draft => lang == Lang::Cy && text_lang == lang && p.texts[Lang::En].is_some() && text.translation.as_deref() != Some("reviewed"),
                    },
                )
            }
            PageId::Search => Parts::new(
                "search.html",
                titled("nav_search"),
                home(),
                context! {
                    search_index => self.site.urls.file(&format!("search/{}/", lang.code())),
                },
            ),
            PageId::Coverage => Parts::new(
                "coverage.html",
                titled("nav_coverage"),
                home(),
                self.coverage(v),
            ),
            PageId::Pipeline => {
                let statuses: Vec<Value> = (0..self.site.config.vocab.get(Kind::Statuses).terms.len())
                    .map(|s| context! { term => super::ser(&v.term(Kind::Statuses, s)), studies => self.card_data(v, &self.sorted(lang, v.listed(Kind::Statuses, s))) })
                    .collect();
                Parts::new(
                    "pipeline.html",
                    titled("nav_pipeline"),
                    home(),
                    context! {
                        statuses => statuses,
                        boards => super::ser(&self.pipeline_boards(v)),
                        waiting => super::ser(&self.waiting(v)),
                    },
                )
            }
            PageId::Actions => {
                let sets = v.actions(None);
                Parts::new(
                    "actions.html",
                    titled("actions_title"),
                    home(),
                    context! {
                        total => sets.iter().map(|s| s.count).sum::<usize>(),
                        passed => sets.iter().map(|s| s.passed).sum::<usize>(),
                        today => lang.date(&self.site.today),
                        today_iso => self.site.today.as_str(),
                        sets => super::ser(&sets),
                    },
                )
            }
            PageId::Translations => Parts::new(
                "translations.html",
                titled("translations_title"),
                home(),
                super::ser(&self.translations(v)),
            ),
            PageId::Reviews => Parts::new(
                "reviews.html",
                titled("reviews_title"),
                home(),
                context! { cycles => super::ser(&v.reviews()) },
            ),
            PageId::NotFound => {
                Parts::new("404.html", titled("not_found_title"), vec![], context! {})
            }
            PageId::Feed => {
                v.all_studies();
                Parts::new(
                    "feed.xml",
                    titled("feed_title"),
                    vec![],
                    data::feed_context(self.site, v),
                )
            }
        })
    }

    /// Where a cluster confirms or corrects a study written from its sources: the hub's page on
    /// contributing, if it has one.
    pub(super) fn contributing_url(&self, lang: Lang) -> Option<String> {
        self.site
            .pages
            .iter()
            .any(|p| p.path == "contributing")
            .then(|| self.site.urls.page_at(lang, "contributing"))
    }

    fn crumb(&self, lang: Lang, key: &str, url: String) -> Crumb {
        Crumb {
            url,
            label: self.t(lang, key),
        }
    }

    fn home(&self, v: &Views) -> Result<Parts, Diagnostic> {
        Ok(Parts::new(
            "home.html",
            String::new(),
            vec![],
            context! {
                statuses => super::ser(&v.terms(Kind::Statuses)),
                topics => super::ser(&v.terms(Kind::Topics)),
                outcomes => super::ser(&v.terms(Kind::Outcomes)),
                regions => super::ser(&v.terms(Kind::Regions)),
                newest => self.card_list(v, &v.newest_ids(6))?,
                total => v.all_studies().len(),
            },
        ))
    }

    fn studies(&self, v: &Views) -> Result<Parts, Diagnostic> {
        let all: Vec<usize> = (0..v.all_studies().len()).collect();
        Ok(Parts::new(
            "studies.html",
            self.t(v.lang, "nav_studies"),
            vec![self.crumb(v.lang, "nav_home", self.url(v.lang, PageId::Home))],
            context! { studies => self.card_list(v, &self.sorted(v.lang, &all))? },
        ))
    }

    /// A study page's breadcrumbs.
    pub(super) fn study_crumbs(&self, lang: Lang) -> Vec<Crumb> {
        vec![
            self.crumb(lang, "nav_home", self.url(lang, PageId::Home)),
            self.crumb(lang, "nav_studies", self.url(lang, PageId::Studies)),
        ]
    }

    /// A study page's one section of related work, in groups that say why each study is there
    /// (the UI string key of the reason), each study once: named as related first, then the
    /// same outcome in another board, then similar.
    pub(super) fn related_groups(&self, i: usize) -> Vec<(&'static str, Vec<usize>)> {
        let s = &self.site.studies[i];
        let mut seen: Vec<usize> = vec![i];
        let mut groups = Vec::new();
        for (reason, ids) in [
            ("related_named", &s.related),
            ("related_elsewhere", &s.elsewhere),
            ("related_similar", &s.similar),
        ] {
            let fresh: Vec<usize> = ids.iter().copied().filter(|j| !seen.contains(j)).collect();
            seen.extend(&fresh);
            if !fresh.is_empty() {
                groups.push((reason, fresh));
            }
        }
        groups
    }

    /// Whether a study page shows a Welsh translation not yet reviewed.
    pub(super) fn study_draft(&self, lang: Lang, i: usize, translated: bool) -> bool {
        let s = &self.site.studies[i];
        lang == Lang::Cy
            && translated
            && s.texts[Lang::En].is_some()
            && s.text(lang).0.fields.text("translation") != Some("reviewed")
    }

    fn study(&self, v: &Views, i: usize) -> Result<Parts, Diagnostic> {
        let lang = v.lang;
        let site = self.site;
        let view = v.study(i);
        let crumbs = self.study_crumbs(lang);
        let s = &site.studies[i];
        let mut groups: Vec<Value> = Vec::new();
        for (reason, fresh) in self.related_groups(i) {
            groups.push(context! { reason => reason, cards => self.card_list(v, &fresh)? });
        }
        let extra = vec![("related_groups", Value::from(groups))];
        // The HTML goes in as safe strings: copied once here, not again by `|safe`.
        let (text, _) = s.text(lang);
        let body = Value::from_safe_string(text.body.html.clone());
        let evidence = text
            .fields
            .markdown("evidence")
            .map_or(Value::from(()), |e| Value::from_safe_string(e.html.clone()));
        // The view's fields as names of their own: `page.x` is one hash lookup.
        let page = super::scope::Scope::default()
            .with([
                ("card", self.card_value(lang, i)),
                ("translated", Value::from(view.translated)),
                (
                    "draft",
                    Value::from(self.study_draft(lang, i, view.translated)),
                ),
                ("text_lang", Value::from(view.text_lang)),
                ("toc", super::ser(&view.toc)),
                ("facts", super::ser(&view.facts)),
                ("summary_box", super::ser(&view.summary_box)),
                ("linked_from", super::ser(&view.linked_from)),
                ("source", Value::from(view.source)),
                (
                    "source_url",
                    Value::from(
                        self.site
                            .config
                            .repository
                            .as_ref()
                            .map(|r| r.view_url(view.source)),
                    ),
                ),
                (
                    "edit_url",
                    Value::from(
                        self.site
                            .config
                            .repository
                            .as_ref()
                            .map(|r| r.edit_url(view.source)),
                    ),
                ),
                ("sources", super::ser(&v.sources_of(i))),
                ("origin", Value::from(s.shared.text("origin"))),
                ("confirm_url", Value::from(self.contributing_url(lang))),
                ("body", body),
                ("evidence", evidence),
            ])
            .into_value();
        Ok(Parts {
            extra,
            ..Parts::new("study.html", view.card.title.to_string(), crumbs, page)
        })
    }

    fn term(&self, v: &Views, kind: Kind, i: usize) -> Result<Parts, Diagnostic> {
        let lang = v.lang;
        let term = v.term(kind, i);
        let group = self
            .site
            .config
            .vocab
            .term(kind, i)
            .group
            .as_ref()
            .map(|g| g.str(lang));
        let title = match term.code {
            Some(code) => format!("{code}: {}", term.label),
            None => term.label.to_string(),
        };
        let crumbs = vec![
            self.crumb(lang, "nav_home", self.url(lang, PageId::Home)),
            self.crumb(
                lang,
                &format!("kind_{}", kind.name()),
                self.url(lang, PageId::KindIndex(kind)),
            ),
        ];
        let studies = self.card_list(v, &self.sorted(lang, v.listed(kind, i)))?;
        if kind == Kind::Clusters {
            let board = self.site.config.vocab.board_of(i);
            let crumbs = vec![
                crumbs[0].clone(),
                self.crumb(
                    lang,
                    "kind_regions",
                    self.url(lang, PageId::KindIndex(Kind::Regions)),
                ),
                Crumb {
                    url: self.url(lang, PageId::Term(Kind::Regions, board)),
                    label: v.term(Kind::Regions, board).label.to_string(),
                },
            ];
            return Ok(Parts::new(
                "cluster.html",
                title,
                crumbs,
                context! { term => super::ser(&term), studies => studies, place => self.cluster_place(v, i)? },
            ));
        }
        let places = if kind == Kind::Regions {
            self.board_places(v, i)
        } else {
            Value::from(())
        };
        let (action_sets, reviews) = if kind == Kind::Regions {
            (
                super::ser(&v.actions(Some(i))),
                super::ser(&v.board_reviews(i)),
            )
        } else {
            (Value::from(()), Value::from(()))
        };
        let (intro, intro_lang, intro_draft) = match self.site.intro(kind, i, lang) {
            Some((intro, l)) => (
                Value::from_safe_string(intro.body.html.clone()),
                (l != lang).then_some(l.code()),
                l == Lang::Cy && intro.translation.as_deref() != Some("reviewed"),
            ),
            None => (Value::from(()), None, false),
        };
        Ok(Parts::new(
            "term.html",
            title,
            crumbs,
            context! {
                kind => kind.name(), term => super::ser(&term), group => group, studies => studies,
                action_sets => action_sets, reviews => reviews, intro => intro, intro_lang => intro_lang, intro_draft => intro_draft,
                tagged_actions => super::ser(&v.tagged_actions(kind, i)), places => places,
            },
        ))
    }

    /// The outcomes page: each outcome with its first studies, in its group (PCMW, ACD).
    fn outcome_groups(&self, v: &Views) -> Vec<Value> {
        const SHOWN: usize = 12;
        let vocab = self.site.config.vocab.get(Kind::Outcomes);
        let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
        for (i, term) in vocab.terms.iter().enumerate() {
            let group = term
                .group
                .as_ref()
                .map_or_else(String::new, |g| g.str(v.lang).to_string());
            let listed = v.listed(Kind::Outcomes, i);
            let mut shown = self.sorted(v.lang, listed);
            shown.truncate(SHOWN);
            let entry = context! { term => super::ser(&v.term(Kind::Outcomes, i)), studies => self.card_data(v, &shown), more => listed.len().saturating_sub(SHOWN) };
            match groups.last_mut() {
                Some((g, items)) if *g == group => items.push(entry),
                _ => groups.push((group, vec![entry])),
            }
        }
        groups
            .into_iter()
            .map(|(label, outcomes)| context! { label => label, outcomes => outcomes })
            .collect()
    }
}
