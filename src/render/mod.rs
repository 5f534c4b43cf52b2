//! Site → output files. Every page is a [`PageId`] in a language; rendering one is a pure
//! function of the Site, so pages render in parallel and serve can re-render a chosen few.

pub mod data;
pub mod scope;
pub mod views;

use crate::diagnostics::Diagnostic;
use crate::lang::Lang;
use crate::model::Site;
use crate::output::{OutputFile, Payload};
use crate::search;
use crate::theme::{StaticFile, Theme};
use crate::vocab::Kind;
use minijinja::{Environment, UndefinedBehavior, Value, context};
use rayon::prelude::*;
use scope::Scope;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use views::Views;

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
    /// `/404.html`
    NotFound,
    /// `/feed.xml`
    Feed,
}

/// Options that change what pages contain.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// A script URL added to every page (serve's live reload); never set by `hub build`.
    pub live_reload: Option<String>,
}

/// Renders pages of one Site with one theme.
pub struct Renderer<'a> {
    site: &'a Site,
    env: Environment<'a>,
    common: BTreeMap<Lang, Arc<Scope>>,
    theme: &'a Theme,
    /// Each study's card per language, rendered once on first use: listings and study pages
    /// show the same cards many times over.
    cards: Vec<[std::sync::OnceLock<CardValues>; 2]>,
    /// Each study's place in listings, per language (see [`Views::title_ranks`]): sorted once
    /// when a listing first needs it, not again on each of the ~100 listing pages.
    ranks: [std::sync::OnceLock<Vec<u32>>; 2],
    /// The URLs the navigation links to, per language: a page among them is marked current.
    nav_urls: BTreeMap<Lang, Vec<String>>,
}

/// A study's card as template values: its data (`page.card` on its page) and its HTML.
struct CardValues {
    data: Value,
    html: Result<Value, Diagnostic>,
}

#[derive(Serialize)]
struct NavItem {
    url: String,
    key: &'static str,
}

impl<'a> Renderer<'a> {
    /// Compiles the templates. Template syntax errors are diagnostics.
    pub fn new(
        site: &'a Site,
        theme: &'a Theme,
        options: &RenderOptions,
    ) -> Result<Self, Vec<Diagnostic>> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_debug(true);
        env.add_function("plural", plural);
        env.set_formatter(escape);
        let (assets, base) = (theme.assets.clone(), site.urls.base_path().to_string());
        // `asset("assets/x.css")`: the published, fingerprinted URL of a theme file.
        env.add_function("asset", move |path: &str| {
            format!("{base}{}", assets.get(path).map_or(path, String::as_str))
        });
        let mut errors = Vec::new();
        for (name, source) in &theme.templates {
            if let Err(e) = env.add_template_owned(name.clone(), source.clone()) {
                errors.push(template_error(&e));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut common = BTreeMap::new();
        for &lang in &site.config.languages {
            common.insert(lang, Arc::new(Self::common(site, theme, lang, options)));
        }
        // `fragment("footer.html")`: a template rendered once per language from the site-wide
        // names only, and the same HTML reused on every page (as Hugo's partialCached): the
        // parts of base.html that do not depend on the page were a tenth of a study page.
        let shared = common.clone();
        let made: std::sync::Mutex<rustc_hash::FxHashMap<(String, Lang), Value>> =
            Default::default();
        env.add_function(
            "fragment",
            move |state: &minijinja::State, name: &str| -> Result<Value, minijinja::Error> {
                let lang = state
                    .lookup("lang")
                    .and_then(|l| l.as_str().and_then(Lang::from_code))
                    .unwrap_or(Lang::En);
                let key = (name.to_string(), lang);
                if let Some(v) = made.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
                    return Ok(v.clone());
                }
                let names = shared.get(&lang).or_else(|| shared.values().next());
                let ctx = names.map_or(Value::UNDEFINED, |n| Value::from_dyn_object(n.clone()));
                let html = Value::from_safe_string(state.env().get_template(name)?.render(ctx)?);
                made.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(key, html.clone());
                Ok(html)
            },
        );
        let cards = (0..site.studies.len())
            .map(|_| Default::default())
            .collect();
        let nav_urls = site
            .config
            .languages
            .iter()
            .map(|&lang| {
                (
                    lang,
                    Self::nav(site, lang).into_iter().map(|i| i.url).collect(),
                )
            })
            .collect();
        Ok(Renderer {
            ranks: Default::default(),
            nav_urls,
            site,
            env,
            common,
            theme,
            cards,
        })
    }

    /// The site navigation of `lang`.
    fn nav(site: &Site, lang: Lang) -> Vec<NavItem> {
        let urls = &site.urls;
        vec![
            NavItem {
                url: urls.page_at(lang, "case-studies"),
                key: "nav_studies",
            },
            NavItem {
                url: urls.kind_index(lang, Kind::Outcomes),
                key: "nav_outcomes",
            },
            NavItem {
                url: urls.kind_index(lang, Kind::Regions),
                key: "nav_regions",
            },
            NavItem {
                url: urls.kind_index(lang, Kind::Themes),
                key: "nav_themes",
            },
            NavItem {
                url: urls.page_at(lang, "pipeline"),
                key: "nav_pipeline",
            },
            NavItem {
                url: urls.page_at(lang, "coverage"),
                key: "nav_coverage",
            },
            NavItem {
                url: urls.page_at(lang, "search"),
                key: "nav_search",
            },
        ]
    }

    fn common(site: &Site, theme: &Theme, lang: Lang, options: &RenderOptions) -> Scope {
        let urls = &site.urls;
        let nav = Self::nav(site, lang);
        let footer: Vec<views::Link> = site
            .pages
            .iter()
            .filter(|p| !p.path.contains('/'))
            .map(|p| {
                let (t, l) = p.text(lang);
                views::Link {
                    url: urls.page_at(lang, &p.path),
                    label: &t.title,
                    lang: (l != lang).then_some(l.code()),
                }
            })
            .collect();
        Scope::default().with([
            ("lang", Value::from(lang.code())),
            ("t", {
                let mut strings = Scope::default();
                for (key, value) in &theme.strings[lang] {
                    strings.set(key.clone(), ser(value));
                }
                strings.into_value()
            }),
            ("site_title", Value::from(site.config.title.get(lang))),
            (
                "site_description",
                Value::from(site.config.description.get(lang)),
            ),
            ("home_url", Value::from(urls.home(lang))),
            (
                "css_url",
                Value::from(urls.file(theme.asset("assets/hub.css"))),
            ),
            (
                "syntax_css_url",
                Value::from(urls.file(theme.asset("assets/syntax.css"))),
            ),
            (
                "favicon_url",
                Value::from(urls.file(theme.asset("assets/favicon.svg"))),
            ),
            ("feed_url", Value::from(urls.lang_file(lang, "feed.xml"))),
            ("catalogue_url", Value::from(urls.file("catalogue.json"))),
            ("catalogue_csv_url", Value::from(urls.file("catalogue.csv"))),
            ("nav", ser(&nav)),
            ("footer", ser(&footer)),
            ("live_reload", Value::from(options.live_reload.clone())),
        ])
    }

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
            PageId::NotFound,
            PageId::Feed,
        ];
        ids.extend((0..site.studies.len()).map(PageId::Study));
        ids.extend((0..site.pages.len()).map(PageId::Page));
        for kind in Kind::ALL {
            ids.push(PageId::KindIndex(kind));
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
        match id {
            PageId::Home => u.home(lang),
            PageId::Studies => u.page_at(lang, "case-studies"),
            PageId::Study(i) => u.study(lang, &self.site.studies[i].slug),
            PageId::KindIndex(k) => u.kind_index(lang, k),
            PageId::Term(k, i) => u.term(lang, k, &self.site.config.vocab.term(k, i).key),
            PageId::Page(i) => u.page_at(lang, &self.site.pages[i].path),
            PageId::Search => u.page_at(lang, "search"),
            PageId::Coverage => u.page_at(lang, "coverage"),
            PageId::Pipeline => u.page_at(lang, "pipeline"),
            PageId::Actions => u.page_at(lang, "actions"),
            PageId::Translations => u.page_at(lang, "translations"),
            PageId::NotFound => u.lang_file(lang, "404.html"),
            PageId::Feed => u.lang_file(lang, "feed.xml"),
        }
    }

    fn t(&self, lang: Lang, key: &str) -> String {
        self.theme
            .string(lang, key)
            .map_or_else(|| key.to_string(), str::to_string)
    }

    /// Renders one page.
    pub fn render(&self, lang: Lang, id: PageId) -> Result<OutputFile, Diagnostic> {
        let v = Views {
            site: self.site,
            lang,
        };
        let site = self.site;
        let urls = &site.urls;
        let crumb = |key: &str, url: String| context! { url => url, label => self.t(lang, key) };
        let home = crumb("nav_home", urls.home(lang));
        // The language of the title when the page shows text in the other language.
        let title_lang = match id {
            PageId::Study(i) => Some(site.studies[i].text(lang).1),
            PageId::Page(i) => Some(site.pages[i].text(lang).1),
            _ => None,
        }
        .filter(|&l| l != lang)
        .map(Lang::code);
        let mut extra: Vec<(&'static str, Value)> = Vec::new();
        let (template, title, crumbs, page): (&str, String, Vec<Value>, Value) = match id {
            PageId::Home => (
                "home.html",
                String::new(),
                vec![],
                context! {
                    statuses => ser(&v.terms(Kind::Statuses)),
                    outcomes => ser(&v.terms(Kind::Outcomes)),
                    regions => ser(&v.terms(Kind::Regions)),
                    newest => self.card_list(lang, &v.newest_ids(6))?,
                    total => site.studies.len(),
                },
            ),
            PageId::Studies => (
                "studies.html",
                self.t(lang, "nav_studies"),
                vec![home],
                context! {
                    studies => self.card_list(lang, &self.sorted(lang, &(0..site.studies.len()).collect::<Vec<_>>()))?,
                },
            ),
            PageId::Study(i) => {
                let view = v.study(i);
                let title = view.card.title.to_string();
                let crumbs = vec![
                    home,
                    crumb("nav_studies", urls.page_at(lang, "case-studies")),
                ];
                extra = vec![
                    (
                        "related_cards",
                        Value::from(self.card_list(lang, &site.studies[i].related)?),
                    ),
                    (
                        "similar_cards",
                        Value::from(self.card_list(lang, &site.studies[i].similar)?),
                    ),
                    (
                        "elsewhere_cards",
                        Value::from(self.card_list(lang, &site.studies[i].elsewhere)?),
                    ),
                ];
                // The HTML goes in as safe strings: copied once here, not again by `|safe`.
                let (text, _) = site.studies[i].text(lang);
                let body = Value::from_safe_string(text.body.html.clone());
                let evidence = text
                    .fields
                    .markdown("evidence")
                    .map_or(Value::from(()), |e| Value::from_safe_string(e.html.clone()));
                // The view's fields as names of their own: `page.x` is one hash lookup.
                let page = Scope::default()
                    .with([
                        ("card", self.card_values(lang, i).data.clone()),
                        ("translated", Value::from(view.translated)),
                        ("text_lang", Value::from(view.text_lang)),
                        ("toc", ser(&view.toc)),
                        ("facts", ser(&view.facts)),
                        ("linked_from", ser(&view.linked_from)),
                        ("source", Value::from(view.source)),
                        ("body", body),
                        ("evidence", evidence),
                    ])
                    .into_value();
                ("study.html", title, crumbs, page)
            }
            PageId::KindIndex(Kind::Outcomes) => {
                let groups = self.outcome_groups(&v);
                (
                    "outcomes.html",
                    self.t(lang, "kind_outcomes"),
                    vec![home],
                    context! { groups => groups },
                )
            }
            PageId::KindIndex(kind) => {
                let title = self.t(lang, &format!("kind_{}", kind.name()));
                (
                    "kind.html",
                    title,
                    vec![home],
                    context! { kind => kind.name(), terms => ser(&v.terms(kind)) },
                )
            }
            PageId::Term(kind, i) => {
                let term = v.term(kind, i);
                let group = site
                    .config
                    .vocab
                    .term(kind, i)
                    .group
                    .as_ref()
                    .map(|g| g.get(lang));
                let title = match term.code {
                    Some(code) => format!("{code}: {}", term.label),
                    None => term.label.to_string(),
                };
                let crumbs = vec![
                    home,
                    crumb(
                        &format!("kind_{}", kind.name()),
                        urls.kind_index(lang, kind),
                    ),
                ];
                (
                    "term.html",
                    title,
                    crumbs,
                    context! {
                        kind => kind.name(), term => ser(&term), group => group, studies => self.card_list(lang, &self.sorted(lang, site.listed(kind, i)))?,
                        action_sets => if kind == Kind::Regions { ser(&v.actions(Some(i))) } else { Value::from(()) },
                    },
                )
            }
            PageId::Page(i) => {
                let p = &site.pages[i];
                let (text, text_lang) = p.text(lang);
                (
                    "page.html",
                    text.title.clone(),
                    vec![home],
                    context! {
                        body => text.body.html.as_str(), summary => text.summary.as_deref(), translated => text_lang == lang, text_lang => text_lang.code(),
                    },
                )
            }
            PageId::Search => (
                "search.html",
                self.t(lang, "nav_search"),
                vec![home],
                context! {
                    search_index => urls.file(&format!("search/{}/", lang.code())),
                },
            ),
            PageId::Coverage => (
                "coverage.html",
                self.t(lang, "nav_coverage"),
                vec![home],
                self.coverage(&v),
            ),
            PageId::Pipeline => {
                let statuses: Vec<Value> = (0..site.config.vocab.get(Kind::Statuses).terms.len())
                    .map(|s| context! { term => ser(&v.term(Kind::Statuses, s)), studies => self.card_data(lang, &self.sorted(lang, site.listed(Kind::Statuses, s))) })
                    .collect();
                (
                    "pipeline.html",
                    self.t(lang, "nav_pipeline"),
                    vec![home],
                    context! {
                        statuses => statuses,
                        boards => self.pipeline_boards(&v),
                        waiting => self.waiting(&v),
                    },
                )
            }
            PageId::Actions => ("actions.html", self.t(lang, "actions_title"), vec![home], {
                let sets = v.actions(None);
                context! {
                    total => sets.iter().map(|s| s.actions.len()).sum::<usize>(),
                    overdue => sets.iter().map(|s| s.overdue).sum::<usize>(),
                    today => lang.date(&site.today),
                    today_iso => site.today.as_str(),
                    sets => ser(&sets),
                }
            }),
            PageId::Translations => (
                "translations.html",
                self.t(lang, "translations_title"),
                vec![home],
                self.translations(&v),
            ),
            PageId::NotFound => (
                "404.html",
                self.t(lang, "not_found_title"),
                vec![],
                context! {},
            ),
            PageId::Feed => (
                "feed.xml",
                self.t(lang, "feed_title"),
                vec![],
                data::feed_context(site, &v),
            ),
        };
        let url = self.url(lang, id);
        let path = urls.output_path(&url);
        let alternates: Vec<Value> = site
            .config
            .languages
            .iter()
            .map(|&l| context! { lang => l.code(), label => l.endonym(), url => self.url(l, id), href => data::absolute(&site.config, &self.url(l, id)) })
            .collect();
        let other = site.config.languages.iter().copied().find(|&l| l != lang);
        let switch = other
            .map(|l| context! { lang => l.code(), label => l.endonym(), url => self.url(l, id) });
        // Whether the page is one the navigation links to (and marks as current); the others
        // can share one rendering of it (`fragment("nav.html")`).
        let nav_current = self
            .nav_urls
            .get(&lang)
            .is_some_and(|urls| urls.contains(&url));
        let ctx = Scope::over(&self.common[&lang])
            .with(extra)
            .with([
                ("page", page),
                ("title", Value::from(title)),
                ("title_lang", Value::from(title_lang)),
                ("breadcrumbs", Value::from(crumbs)),
                ("canonical", Value::from(data::absolute(&site.config, &url))),
                ("url", Value::from(url)),
                ("alternates", Value::from(alternates)),
                ("switch", Value::from(switch)),
                ("page_kind", Value::from(template.trim_end_matches(".html"))),
                ("nav_current", Value::from(nav_current)),
            ])
            .into_value();
        let tmpl = self
            .env
            .get_template(template)
            .map_err(|e| template_error(&e))?;
        let html = tmpl.render(ctx).map_err(|e| template_error(&e))?;
        Ok(OutputFile {
            path,
            payload: Payload::Bytes(html.into_bytes()),
        })
    }

    /// `studies` in listing order.
    fn sorted(&self, lang: Lang, studies: &[usize]) -> Vec<usize> {
        let mut ids = studies.to_vec();
        let ranks = self.ranks[lang as usize].get_or_init(|| {
            Views {
                site: self.site,
                lang,
            }
            .title_ranks()
        });
        ids.sort_unstable_by_key(|&i| ranks[i]);
        ids
    }

    /// The cards of `studies`, in the order given.
    fn card_list(&self, lang: Lang, studies: &[usize]) -> Result<Vec<Value>, Diagnostic> {
        studies.iter().map(|&i| self.card(lang, i)).collect()
    }

    /// One study's card in `lang`, rendered from card.html the first time it is needed.
    fn card(&self, lang: Lang, i: usize) -> Result<Value, Diagnostic> {
        self.card_values(lang, i).html.clone()
    }

    /// The card data of `studies` (what card.html sees as `s`), in the order given.
    fn card_data(&self, lang: Lang, studies: &[usize]) -> Value {
        studies
            .iter()
            .map(|&i| self.card_values(lang, i).data.clone())
            .collect()
    }

    fn card_values(&self, lang: Lang, i: usize) -> &CardValues {
        self.cards[i][lang as usize].get_or_init(|| {
            let v = Views {
                site: self.site,
                lang,
            };
            let data = ser(&v.card(i));
            let ctx = Scope::over(&self.common[&lang])
                .with([("s", data.clone())])
                .into_value();
            let html = self
                .env
                .get_template("card.html")
                .and_then(|t| t.render(ctx))
                .map(Value::from_safe_string)
                .map_err(|e| template_error(&e));
            CardValues { data, html }
        })
    }

    fn outcome_groups(&self, v: &Views) -> Vec<Value> {
        const SHOWN: usize = 12;
        let vocab = self.site.config.vocab.get(Kind::Outcomes);
        let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
        for (i, term) in vocab.terms.iter().enumerate() {
            let group = term
                .group
                .as_ref()
                .map_or_else(String::new, |g| g.get(v.lang).to_string());
            let listed = self.site.listed(Kind::Outcomes, i);
            let mut shown = self.sorted(v.lang, listed);
            shown.truncate(SHOWN);
            let entry = context! { term => ser(&v.term(Kind::Outcomes, i)), studies => self.card_data(v.lang, &shown), more => listed.len().saturating_sub(SHOWN) };
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

    fn translations(&self, v: &Views) -> Value {
        let c = self.site.coverage();
        let missing = |lang: Lang| -> Vec<views::Link> {
            c.missing
                .iter()
                .filter(|m| m.missing == lang)
                .filter_map(|m| v.doc_link(&m.key))
                .collect()
        };
        let summary = self
            .t(v.lang, "translations_summary")
            .replace("{studies_total}", &c.studies.to_string())
            .replace("{pages_total}", &c.pages.to_string())
            .replace("{studies}", &c.studies_cy.to_string())
            .replace("{pages}", &c.pages_cy.to_string());
        context! { summary => summary, missing_cy => ser(&missing(Lang::Cy)), missing_en => ser(&missing(Lang::En)) }
    }

    fn coverage(&self, v: &Views) -> Value {
        context! {
            outcomes => self.coverage_matrix(v, Kind::Outcomes),
            themes => self.coverage_matrix(v, Kind::Themes),
        }
    }

    /// Per health board, its studies per status, with the bar segments of the chart (as
    /// percentages of the busiest board's total).
    fn pipeline_boards(&self, v: &Views) -> Value {
        let site = self.site;
        let statuses = site.config.vocab.get(Kind::Statuses).terms.len();
        let boards = site.config.vocab.get(Kind::Regions).terms.len();
        let counts: Vec<Vec<usize>> = (0..boards)
            .map(|r| {
                let mut c = vec![0; statuses];
                for &s in site.listed(Kind::Regions, r) {
                    c[site.studies[s].status()] += 1;
                }
                c
            })
            .collect();
        let widest = counts
            .iter()
            .map(|c| c.iter().sum::<usize>())
            .max()
            .unwrap_or(0)
            .max(1);
        let rows: Vec<Value> = counts
            .iter()
            .enumerate()
            .map(|(r, c)| {
                let mut x = 0.0;
                let segments: Vec<Value> = c
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| **n > 0)
                    .map(|(s, &n)| {
                        let w = 100.0 * n as f64 / widest as f64;
                        let seg = context! {
                            key => site.config.vocab.term(Kind::Statuses, s).key.clone(),
                            label => site.config.vocab.term(Kind::Statuses, s).label.get(v.lang).to_string(),
                            n => n, x => format!("{x:.2}"), w => format!("{w:.2}"), mid => format!("{:.2}", x + w / 2.0),
                        };
                        x += w;
                        seg
                    })
                    .collect();
                context! {
                    region => ser(&v.term(Kind::Regions, r)),
                    counts => c.clone(),
                    total => c.iter().sum::<usize>(),
                    segments => segments,
                }
            })
            .collect();
        Value::from(rows)
    }

    /// Proven studies not yet mainstreamed, longest since their last update first.
    fn waiting(&self, v: &Views) -> Value {
        let site = self.site;
        let Some(proven) = site.config.vocab.get(Kind::Statuses).position("proven") else {
            return Value::from(Vec::<Value>::new());
        };
        let today: Option<jiff::civil::Date> = site.today.parse().ok();
        let mut rows: Vec<(Option<i32>, Value)> = site
            .listed(Kind::Statuses, proven)
            .iter()
            .map(|&s| {
                let months = site.studies[s]
                    .updated()
                    .and_then(|u| u.parse::<jiff::civil::Date>().ok())
                    .zip(today)
                    .and_then(|(u, t)| t.since((jiff::Unit::Month, u)).ok())
                    .map(|span| span.get_months());
                (
                    months,
                    context! { card => ser(&v.card(s)), months => months },
                )
            })
            .collect();
        rows.sort_by_key(|r| std::cmp::Reverse(r.0));
        Value::from(rows.into_iter().map(|(_, v)| v).collect::<Vec<_>>())
    }

    /// Health boards (rows) by the terms of `kind` (columns): each cell the number of published
    /// studies of that board filed under that term, with the search that lists them.
    fn coverage_matrix(&self, v: &Views, kind: Kind) -> Value {
        let site = self.site;
        let columns = v.terms(kind);
        let search = site.urls.page_at(v.lang, "search");
        let rows: Vec<Value> = (0..site.config.vocab.get(Kind::Regions).terms.len())
            .map(|r| {
                let region = v.term(Kind::Regions, r);
                let in_region = site.listed(Kind::Regions, r);
                let cells: Vec<Value> = columns
                    .iter()
                    .enumerate()
                    .map(|(c, col)| {
                        let n = in_region
                            .iter()
                            .filter(|&&s| site.studies[s].terms(kind).contains(&c))
                            .count();
                        let url = format!(
                            "{search}?regions={}&{}={}",
                            region.key,
                            kind.name(),
                            col.key
                        );
                        context! { n => n, url => url, heat => n.min(5) }
                    })
                    .collect();
                let total = in_region.len();
                context! { region => ser(&region), cells => cells, total => total }
            })
            .collect();
        let gaps: usize = rows
            .iter()
            .map(|r| {
                r.get_attr("cells")
                    .ok()
                    .and_then(|c| c.try_iter().ok())
                    .map_or(0, |cells| {
                        cells
                            .filter(|c| c.get_attr("n").is_ok_and(|n| n.as_usize() == Some(0)))
                            .count()
                    })
            })
            .sum();
        context! { kind => kind.name(), columns => ser(&columns), rows => rows, gaps => gaps }
    }

    /// Renders every page in parallel and adds the data files and static files.
    pub fn render_all(&self) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let files = std::sync::Mutex::new(Vec::new());
        self.render_each(&|f| {
            files.lock().unwrap_or_else(|e| e.into_inner()).push(f);
            Ok(())
        })?;
        let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
        // Parallel rendering finishes in any order; the list is sorted for reproducibility.
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// Renders every file and hands each to `sink` as soon as it is ready, so that a build never
    /// holds the whole site in memory. Returns the paths of all files.
    pub fn render_each(
        &self,
        sink: &(dyn Fn(OutputFile) -> Result<(), String> + Sync),
    ) -> Result<Vec<String>, Vec<Diagnostic>> {
        let pages = self.pages();
        let write = |f: OutputFile| {
            let path = f.path.clone();
            sink(f).map_err(|e| vec![Diagnostic::error(&path, 1, 1, e)])?;
            Ok::<String, Vec<Diagnostic>>(path)
        };
        // Everything else is made while pages render: all of it is parallel inside, and rayon
        // keeps both cores busy through the uneven ends of each, with no serial tail.
        let (results, rest) = rayon::join(
            || -> Vec<Result<String, Diagnostic>> {
                pages
                    .par_iter()
                    .map(|&(lang, id)| {
                        let f = self.render(lang, id)?;
                        let path = f.path.clone();
                        sink(f).map_err(|e| Diagnostic::error(&path, 1, 1, e))?;
                        Ok(path)
                    })
                    .collect()
            },
            || -> Result<Vec<String>, Vec<Diagnostic>> {
                let (search, records) = rayon::join(
                    || {
                        let r = self.search_index();
                        crate::timings::done("search index");
                        r
                    },
                    // Records are written as they are made, never held together.
                    || -> Result<Vec<String>, Vec<Diagnostic>> {
                        let r = search::record_ids(self.site)
                            .map(|(lang, doc)| write(search::record(self.site, lang, doc)))
                            .collect();
                        crate::timings::done("search records written");
                        r
                    },
                );
                let mut files = vec![data::sitemap(self.site, self).map_err(|e| vec![e])?];
                files.push(data::catalogue(self.site));
                files.push(data::catalogue_csv(self.site));
                files.extend(search);
                for (path, file) in &self.theme.statics {
                    let payload = match file {
                        StaticFile::Builtin(bytes) => Payload::Static(bytes),
                        StaticFile::OnDisk(p) => Payload::Copy(p.clone()),
                        StaticFile::Minified(b) => Payload::Bytes(b.to_vec()),
                    };
                    files.push(OutputFile {
                        path: path.clone(),
                        payload,
                    });
                }
                for f in &self.site.files {
                    files.push(OutputFile {
                        path: f.path.clone(),
                        payload: Payload::Copy(f.abs.clone()),
                    });
                }
                let mut paths = records?;
                paths.extend(
                    files
                        .into_par_iter()
                        .map(write)
                        .collect::<Result<Vec<_>, _>>()?,
                );
                Ok(paths)
            },
        );
        crate::timings::done("pages rendered");
        let mut paths = Vec::with_capacity(results.len() + 8);
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok(p) => paths.push(p),
                Err(e) => errors.push(e),
            }
        }
        errors.dedup();
        if !errors.is_empty() {
            return Err(errors);
        }
        paths.extend(rest?);
        Ok(paths)
    }

    /// The search index of every language (all under `search/`).
    pub fn search_files(&self) -> Vec<OutputFile> {
        search::site_files(self.site, &self.search_labels())
    }

    /// The facet labels of each language's search index, from the theme's catalogues.
    pub fn search_labels(&self) -> Vec<(Lang, search::KindLabels)> {
        self.site
            .config
            .languages
            .iter()
            .map(|&lang| {
                let labels = Kind::ALL.map(|k| (k, self.t(lang, &format!("facet_{}", k.name()))));
                (lang, labels)
            })
            .collect()
    }

    /// The search index and key chunks of every language.
    fn search_index(&self) -> Vec<OutputFile> {
        search::index_files(self.site, &self.search_labels())
    }

    /// Renders a template by name with a context (for the sitemap).
    pub fn render_named(&self, name: &str, ctx: Value) -> Result<String, Diagnostic> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| template_error(&e))
    }
}

/// Escapes output like minijinja's HTML escaping, but leaves `/` alone: escaping it is not needed
/// in text or quoted attributes, and would turn every URL into `&#x2f;` soup.
fn escape(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    if !matches!(state.auto_escape(), minijinja::AutoEscape::Html)
        || value.is_safe()
        || value.is_none()
        || value.is_undefined()
    {
        return minijinja::escape_formatter(out, state, value);
    }
    // Strings, by far the most common, are escaped in place rather than copied first.
    let owned;
    let text = match value.as_str() {
        Some(s) => s,
        None => {
            owned = value.to_string();
            &owned
        }
    };
    let bytes = text.as_bytes();
    let mut last = 0;
    while let Some(at) = bytes[last..].iter().position(|&b| ESCAPED[b as usize]) {
        let i = last + at;
        out.write_str(&text[last..i])?;
        out.write_str(match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        })?;
        last = i + 1;
    }
    out.write_str(&text[last..])?;
    Ok(())
}

/// The bytes [`escape`] replaces.
const ESCAPED: [bool; 256] = {
    let mut t = [false; 256];
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t
};

/// A template value from any serialisable view.
pub fn ser<T: Serialize>(x: &T) -> Value {
    Value::from(minijinja::value::Serde(x))
}

/// `plural(forms, n)`: picks the plural form for `n` in the page's language (CLDR rules; Welsh
/// has zero, one, two, few, many and other) and puts `n` in place of `{n}`.
fn plural(state: &minijinja::State, forms: Value, n: i64) -> Result<String, minijinja::Error> {
    let lang = state
        .lookup("lang")
        .and_then(|l| l.as_str().and_then(Lang::from_code))
        .unwrap_or(Lang::En);
    let category = lang.plural_category(n);
    let form = forms
        .get_attr(category)
        .ok()
        .filter(|v| !v.is_undefined())
        .or_else(|| forms.get_attr("other").ok())
        .and_then(|v| v.as_str().map(str::to_string))
        .ok_or_else(|| {
            minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("no `{category}` or `other` plural form"),
            )
        })?;
    Ok(form.replace("{n}", &n.to_string()))
}

fn template_error(e: &minijinja::Error) -> Diagnostic {
    let name = e.name().unwrap_or("template");
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    Diagnostic::error(&format!("templates/{name}"), e.line().unwrap_or(1), 1, msg)
}
