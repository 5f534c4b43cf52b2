//! Site → output files. Every page is a [`PageId`] in a language; rendering one is a pure
//! function of the Site, so pages render in parallel and serve can render a chosen few again.
//!
//! `pages` says which pages there are and what each shows, `insights` counts for the coverage,
//! pipeline and translation pages, `cards` makes the study cards listings share, `chrome` holds
//! what every page of a language shares and the template functions, `emit` renders everything,
//! and `reads` records what each page read of the site, for `hub serve`'s rebuilds.

mod cards;
mod chrome;
pub mod data;
mod emit;
mod insights;
mod pages;
mod places;
pub mod reads;
mod reviews;
pub mod scope;
mod study_page;
pub mod views;

pub use emit::{PageReads, RenderError};
pub use pages::PageId;

use crate::diagnostics::Diagnostic;
use crate::lang::{Lang, PerLang};
use crate::model::Site;
use crate::output::{OutputFile, Payload};
use crate::theme::Theme;
use chrome::template_error;
use minijinja::{Environment, Value, context};
use reads::Reads;
use scope::Scope;
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};
use views::Views;

/// Options that change what pages contain.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// A script URL added to every page (serve's live reload); never set by `hub build`.
    pub live_reload: Option<String>,
}

/// The site-wide names of each language.
type PerLangScopes = PerLang<Arc<Scope>>;

/// Renders pages of one Site with one theme.
pub struct Renderer<'a> {
    site: &'a Site,
    env: Environment<'a>,
    common: PerLangScopes,
    theme: &'a Theme,
    /// Each study's card per language, rendered once on first use: listings and study pages
    /// show the same cards many times over.
    cards: Vec<PerLang<OnceLock<cards::CardHtml>>>,
    /// Each study's place in listings, per language (see [`cards::title_ranks`]): sorted once
    /// when a listing first needs it, not again on each of the ~100 listing pages.
    ranks: PerLang<OnceLock<Vec<u32>>>,
    /// The URLs the navigation links to, per language: a page among them is marked current.
    nav_urls: PerLang<Vec<String>>,
    /// What study pages written without the template engine share, per language; `None` when
    /// the theme's templates for them are not the default theme's (see [`study_page`]).
    study_shared: PerLang<Option<study_page::Shared>>,
}

/// A rendered page and what it read of the site.
pub struct RenderedPage {
    /// The file.
    pub file: OutputFile,
    /// What it read (empty unless recording).
    pub reads: BTreeSet<reads::Read>,
}

impl<'a> Renderer<'a> {
    /// Compiles the templates and checks the theme has every UI string hub asks for. Template
    /// syntax errors and missing strings are diagnostics.
    pub fn new(
        site: &'a Site,
        theme: &'a Theme,
        options: &RenderOptions,
    ) -> Result<Self, Vec<Diagnostic>> {
        let missing = chrome::missing_strings(theme, site);
        if !missing.is_empty() {
            return Err(missing);
        }
        let common = PerLang::from_fn(|lang| {
            Arc::new(chrome::common(
                site,
                theme,
                lang,
                options.live_reload.as_deref(),
            ))
        });
        let env = chrome::environment(site, theme, &common)?;
        let study_shared =
            PerLang::from_fn(|lang| study_page::Shared::new(theme, &env, &common, lang));
        Ok(Renderer {
            study_shared,
            cards: (0..site.studies.len())
                .map(|_| Default::default())
                .collect(),
            ranks: Default::default(),
            nav_urls: PerLang::from_fn(|lang| {
                chrome::nav(site, lang).into_iter().map(|i| i.url).collect()
            }),
            site,
            env,
            common,
            theme,
        })
    }

    /// Renders one page.
    pub fn render(&self, lang: Lang, id: PageId) -> Result<OutputFile, Diagnostic> {
        self.render_reading(lang, id, Reads::off()).map(|p| p.file)
    }

    /// Renders one page, recording what it reads of the site.
    pub fn render_recorded(&self, lang: Lang, id: PageId) -> Result<RenderedPage, Diagnostic> {
        self.render_reading(lang, id, Reads::recording())
    }

    fn render_reading(
        &self,
        lang: Lang,
        id: PageId,
        reads: Reads,
    ) -> Result<RenderedPage, Diagnostic> {
        let site = self.site;
        let v = Views {
            site,
            lang,
            reads: &reads,
        };
        if let (PageId::Study(i), Some(shared)) = (id, &self.study_shared[lang])
            && let Some(html) = self.study_page(&v, i, shared)?
        {
            return Ok(RenderedPage {
                file: OutputFile {
                    path: site.urls.output_path(&self.url(lang, id)),
                    payload: Payload::Bytes(html.into_bytes()),
                },
                reads: reads.into_set(),
            });
        }
        let parts = self.parts(&v, id)?;
        // The language of the title when the page shows text in the other language.
        let title_lang = match id {
            PageId::Study(i) => Some(site.studies[i].text(lang).1),
            PageId::Page(i) => Some(site.pages[i].text(lang).1),
            _ => None,
        }
        .filter(|&l| l != lang)
        .map(Lang::code);
        let url = self.url(lang, id);
        let path = site.urls.output_path(&url);
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
        let nav_current = self.nav_urls[lang].contains(&url);
        let ctx = Scope::over(&self.common[lang])
            .with(parts.extra)
            .with([
                ("page", parts.page),
                ("title", Value::from(parts.title)),
                ("title_lang", Value::from(title_lang)),
                ("breadcrumbs", ser(&parts.crumbs)),
                ("canonical", Value::from(data::absolute(&site.config, &url))),
                ("url", Value::from(url)),
                ("alternates", Value::from(alternates)),
                ("switch", Value::from(switch)),
                (
                    "page_kind",
                    Value::from(parts.template.trim_end_matches(".html")),
                ),
                ("nav_current", Value::from(nav_current)),
            ])
            .into_value();
        let tmpl = self
            .env
            .get_template(parts.template)
            .map_err(|e| template_error(&e))?;
        let html = tmpl.render(ctx).map_err(|e| template_error(&e))?;
        Ok(RenderedPage {
            file: OutputFile {
                path,
                payload: Payload::Bytes(html.into_bytes()),
            },
            reads: reads.into_set(),
        })
    }

    /// Renders a template by name with a context (for the sitemap).
    pub fn render_named(&self, name: &str, ctx: Value) -> Result<String, Diagnostic> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| template_error(&e))
    }
}

/// A template value from any serialisable view.
pub fn ser<T: Serialize>(x: &T) -> Value {
    Value::from(minijinja::value::Serde(x))
}
