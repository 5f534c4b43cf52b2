//! A study page written directly, without the template engine, when the theme's templates
//! for it are the default theme's own: study pages are nearly every page of a large hub, and
//! evaluating study.html and base.html for each was a fifth of a build's time.
//!
//! The templates stay the source of truth. This writer says what they say, byte for byte, for
//! the default theme only; a theme that replaces any template a study page uses gets the
//! template engine, and a test (tests/it/build.rs) builds hubs both ways and compares every
//! file, so a change to one that the other does not follow fails.

use super::chrome::escaped;
use super::pages::PageId;
use super::views::Views;
use super::{Renderer, data};
use crate::diagnostics::Diagnostic;
use crate::lang::Lang;
use minijinja::Value;
use rustc_hash::FxHashMap;

/// The templates a study page is made from.
pub const TEMPLATES: [&str; 5] = [
    "base.html",
    "study.html",
    "macros.html",
    "nav.html",
    "footer.html",
];

/// What every study page of a language shares: the navigation and footer, rendered once.
pub struct Shared {
    nav: String,
    footer: String,
    /// The UI strings that are text, by key (the catalogue is a sorted map; this is a hash).
    strings: FxHashMap<String, String>,
}

impl Shared {
    /// The shared parts of `lang`'s study pages, rendered from their templates, or `None` if
    /// the theme replaces a template a study page uses, or rendering one fails (the template
    /// engine then renders every study page, and reports why).
    pub fn new(
        theme: &crate::theme::Theme,
        env: &minijinja::Environment,
        common: &super::PerLangScopes,
        lang: Lang,
    ) -> Option<Shared> {
        if !TEMPLATES.iter().all(|t| theme.is_default_template(t)) {
            return None;
        }
        let render = |name: &str| {
            env.get_template(name)
                .and_then(|t| t.render(Value::from_dyn_object(common[lang].clone())))
                .ok()
        };
        Some(Shared {
            nav: render("nav.html")?,
            footer: render("footer.html")?,
            strings: theme.strings[lang]
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect(),
        })
    }
}

/// The page being written.
struct Html(String);

impl Html {
    fn raw(&mut self, s: &str) {
        self.0.push_str(s);
    }

    fn text(&mut self, s: &str) {
        let _ = escaped(s, |run| {
            self.0.push_str(run);
            Ok::<(), ()>(())
        });
    }

    /// ` lang="…"` when `lang` is set.
    fn lang_attr(&mut self, lang: Option<&str>) {
        if let Some(l) = lang {
            self.raw(" lang=\"");
            self.text(l);
            self.raw("\"");
        }
    }
}

/// A non-empty text (what a template's `{% if x %}` accepts).
fn given(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.is_empty())
}

impl Renderer<'_> {
    /// Study page `i` in `v`'s language as study.html would render it, or `None` where this
    /// writer does not apply (a UI string missing or not text): the template then renders it
    /// and reports any problem.
    pub(super) fn study_page(
        &self,
        v: &Views,
        i: usize,
        shared: &Shared,
    ) -> Result<Option<String>, Diagnostic> {
        let lang = v.lang;
        let site = self.site;
        let s = &site.studies[i];
        let view = v.study(i);
        let groups = self.related_groups(i);
        let mut cards: Vec<Vec<Value>> = Vec::with_capacity(groups.len());
        for (_, ids) in &groups {
            cards.push(self.card_list(v, ids)?);
        }
        let sources = v.sources_of(i);
        let Some(html) = (|| -> Option<String> {
            let t = |key: &str| shared.strings.get(key).map(String::as_str);
            let common = &self.common[lang];
            let name = |key: &str| common.get(key).and_then(Value::as_str);
            let code = lang.code();
            let card = &view.card;
            let title = card.title;
            let url = self.url(lang, PageId::Study(i));
            if self.nav_urls[lang].contains(&url) {
                return None;
            }
            let canonical = data::absolute(&site.config, &url);
            let (text, _) = s.text(lang);
            let not_translated = (!view.translated).then_some(view.text_lang);
            let mut w = Html(String::with_capacity(
                text.body.html.len() + 3 * shared.nav.len() + 8192,
            ));

            // base.html, up to its main block.
            w.raw("<!doctype html>\n<html lang=\"");
            w.text(code);
            w.raw("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
            if !title.is_empty() {
                w.text(title);
                w.raw(" – ");
            }
            let site_title = name("site_title")?;
            w.text(site_title);
            w.raw("</title>\n<meta name=\"description\" content=\"");
            w.text(card.summary);
            w.raw("\">\n<link rel=\"canonical\" href=\"");
            w.text(&canonical);
            w.raw("\">\n");
            for &l in &site.config.languages {
                w.raw("<link rel=\"alternate\" hreflang=\"");
                w.text(l.code());
                w.raw("\" href=\"");
                w.text(&data::absolute(
                    &site.config,
                    &self.url(l, PageId::Study(i)),
                ));
                w.raw("\">\n");
            }
            w.raw("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"");
            w.text(t("feed_title")?);
            w.raw("\" href=\"");
            w.text(name("feed_url")?);
            w.raw("\">\n<link rel=\"icon\" href=\"");
            w.text(name("favicon_url")?);
            w.raw("\" type=\"image/svg+xml\">\n<link rel=\"stylesheet\" href=\"");
            w.text(name("css_url")?);
            w.raw("\">\n<link rel=\"stylesheet\" href=\"");
            w.text(name("syntax_css_url")?);
            w.raw("\">\n\n");
            if let Some(script) = given(name("live_reload")) {
                w.raw("<script src=\"");
                w.text(script);
                w.raw("\" defer></script>");
            }
            w.raw("\n</head>\n<body class=\"page-study\">\n<a class=\"skip-link\" href=\"#main\">");
            w.text(t("skip_to_content")?);
            w.raw("</a>\n<header class=\"site-header\">\n  <div class=\"wrap header-bar\">\n    <a class=\"site-name\" href=\"");
            w.text(name("home_url")?);
            w.raw("\">");
            w.text(site_title);
            w.raw("</a>\n    ");
            if let Some(other) = site.config.languages.iter().copied().find(|&l| l != lang) {
                w.raw("<a class=\"lang-switch\" href=\"");
                w.text(&self.url(other, PageId::Study(i)));
                w.raw("\" lang=\"");
                w.text(other.code());
                w.raw("\" hreflang=\"");
                w.text(other.code());
                w.raw("\">");
                w.text(other.endonym());
                w.raw("</a>");
            }
            w.raw("\n  </div>\n  ");
            // A study page is never one the navigation links to.
            w.raw(&shared.nav);
            w.raw("\n</header>\n\n<nav class=\"breadcrumbs wrap\" aria-label=\"");
            w.text(t("breadcrumbs_label")?);
            w.raw("\">\n  <ol>");
            for c in self.study_crumbs(lang) {
                w.raw("<li><a href=\"");
                w.text(&c.url);
                w.raw("\">");
                w.text(&c.label);
                w.raw("</a></li>");
            }
            w.raw("<li aria-current=\"page\"");
            w.lang_attr(Some(view.text_lang).filter(|&l| l != code));
            w.raw(">");
            w.text(title);
            w.raw("</li></ol>\n</nav>\n\n<main id=\"main\" class=\"wrap\" tabindex=\"-1\">\n");

            // study.html's main block.
            w.raw("\n<article class=\"study\"");
            w.lang_attr(not_translated);
            w.raw(">\n  ");
            if not_translated.is_some() {
                w.raw("\n  <div class=\"notice\" role=\"note\" lang=\"");
                w.text(code);
                w.raw("\"><p>");
                w.text(t("untranslated_notice")?);
                w.raw("</p></div>\n  ");
            } else if self.study_draft(lang, i, view.translated) {
                w.raw("\n  <div class=\"notice draft\" role=\"note\"><p>");
                w.text(t("translation_draft_notice")?);
                w.raw("</p></div>\n  ");
            }
            w.raw("\n  ");
            if s.shared.text("origin") == Some("sources") {
                w.raw("\n  <div class=\"notice origin\" role=\"note\" lang=\"");
                w.text(code);
                w.raw("\"><p>");
                w.text(t("origin_sources_notice")?);
                if let Some(confirm) = self.contributing_url(lang).filter(|u| !u.is_empty()) {
                    w.raw(" <a href=\"");
                    w.text(&confirm);
                    w.raw("\">");
                    w.text(t("origin_sources_link")?);
                    w.raw("</a>");
                }
                w.raw("</p></div>\n  ");
            }
            w.raw("\n  <header class=\"study-header\">\n    <p class=\"study-status\"><span class=\"status status-");
            w.text(card.status.key);
            w.raw("\" lang=\"");
            w.text(code);
            w.raw("\">");
            w.text(card.status.label);
            w.raw("</span></p>\n    <h1>");
            w.text(title);
            w.raw("</h1>\n    <p class=\"lede\">");
            w.text(card.summary);
            w.raw("</p>\n  </header>\n\n  <section class=\"summary-box\" aria-labelledby=\"summary-heading\">\n    <h2 id=\"summary-heading\" lang=\"");
            w.text(code);
            w.raw("\">");
            w.text(t("summary_box")?);
            w.raw("</h2>\n    <dl>\n    ");
            for b in &view.summary_box {
                w.raw("\n      <div class=\"box-item\"><dt lang=\"");
                w.text(code);
                w.raw("\">");
                w.text(t(b.field)?);
                w.raw("</dt>\n      <dd>");
                if let Some(html) = given(b.html) {
                    w.raw(html);
                } else if let Some(choice) = given(b.choice.as_deref()) {
                    w.raw("<span lang=\"");
                    w.text(code);
                    w.raw("\">");
                    w.text(t(choice)?);
                    w.raw("</span>");
                } else if let Some(text) = given(b.text.as_deref()) {
                    w.text(text);
                } else {
                    w.raw("<span class=\"not-known\" lang=\"");
                    w.text(code);
                    w.raw("\">");
                    w.text(t("not_known")?);
                    w.raw("</span>");
                }
                w.raw("</dd></div>\n    ");
            }
            w.raw("\n    </dl>\n  </section>\n\n  <section class=\"facts\" aria-labelledby=\"facts-heading\" lang=\"");
            w.text(code);
            w.raw("\">\n    <h2 id=\"facts-heading\" class=\"visually-hidden\">");
            w.text(t("study_facts")?);
            w.raw("</h2>\n    <dl>\n    ");
            for f in &view.facts {
                w.raw("\n      <div class=\"fact\"><dt>");
                w.text(t(f.field)?);
                w.raw("</dt>\n      <dd>");
                if f.unknown {
                    w.raw("<span class=\"not-known\">");
                    w.text(t("not_known")?);
                    w.raw("</span>");
                } else if !f.terms.is_empty() {
                    w.raw("<ul class=\"term-values\">");
                    for term in &f.terms {
                        w.raw("<li><a href=\"");
                        w.text(&term.url);
                        w.raw("\">");
                        if let Some(c) = given(term.code) {
                            w.raw("<span class=\"code\">");
                            w.text(c);
                            w.raw("</span> ");
                        }
                        w.text(term.label);
                        w.raw("</a></li>");
                    }
                    w.raw("</ul>");
                } else {
                    w.raw("<ul class=\"inline-list\">");
                    for text in &f.texts {
                        w.raw("<li");
                        w.lang_attr(not_translated);
                        w.raw(">");
                        w.text(text);
                        w.raw("</li>");
                    }
                    w.raw("</ul>");
                }
                w.raw("</dd></div>\n    ");
            }
            w.raw("\n    ");
            if let Some(updated) = given(card.updated.as_deref()) {
                w.raw("<div class=\"fact\"><dt>");
                w.text(t("field_page_edited")?);
                w.raw("</dt><dd><time datetime=\"");
                w.text(card.updated_iso.unwrap_or_default());
                w.raw("\">");
                w.text(updated);
                w.raw("</time></dd></div>");
            }
            w.raw("\n    </dl>\n  </section>\n\n  ");
            if view.toc.len() > 2 {
                w.raw("\n  <nav class=\"toc\" aria-labelledby=\"toc-heading\" lang=\"");
                w.text(code);
                w.raw("\">\n    <h2 id=\"toc-heading\">");
                w.text(t("study_contents")?);
                w.raw("</h2>\n    <ol>");
                for h in &view.toc {
                    w.raw("<li><a href=\"#");
                    w.text(&h.id);
                    w.raw("\"");
                    w.lang_attr(not_translated);
                    w.raw(">");
                    w.text(&h.text);
                    w.raw("</a></li>");
                }
                w.raw("</ol>\n  </nav>\n  ");
            }
            w.raw("\n\n  <div class=\"prose\">\n");
            w.raw(&text.body.html);
            w.raw("\n  </div>\n\n  ");
            if let Some(evidence) = text
                .fields
                .markdown("evidence")
                .filter(|e| !e.html.is_empty())
            {
                w.raw("\n  <section class=\"evidence\" aria-labelledby=\"evidence-heading\">\n    <h2 id=\"evidence-heading\" lang=\"");
                w.text(code);
                w.raw("\">");
                w.text(t("field_evidence")?);
                w.raw("</h2>\n    <div class=\"prose\">");
                w.raw(&evidence.html);
                w.raw("</div>\n  </section>\n  ");
            }
            w.raw("\n  ");
            if !sources.is_empty() {
                w.raw("\n  <section class=\"sources\" aria-labelledby=\"sources-heading\" lang=\"");
                w.text(code);
                w.raw("\">\n    <h2 id=\"sources-heading\">");
                w.text(t("sources_heading")?);
                w.raw("</h2>\n    <ul>");
                for src in &sources {
                    let other = (src.lang != lang).then_some(src.lang.code());
                    w.raw("<li><cite");
                    w.lang_attr(other);
                    w.raw(">");
                    match given(src.url.as_deref()) {
                        Some(u) => {
                            w.raw("<a href=\"");
                            w.text(u);
                            w.raw("\">");
                            w.text(&src.title);
                            w.raw("</a>");
                        }
                        None => w.text(&src.title),
                    }
                    w.raw("</cite>");
                    if let Some(p) = given(src.publisher.as_deref()) {
                        w.raw(", <span");
                        w.lang_attr(other);
                        w.raw(">");
                        w.text(p);
                        w.raw("</span>");
                    }
                    if let Some(d) = given(src.date.as_deref()) {
                        w.raw(" (");
                        w.text(d);
                        w.raw(")");
                    }
                    w.raw(".");
                    if given(src.url.as_deref()).is_none() {
                        w.raw(" ");
                        w.text(t("source_no_address")?);
                    }
                    w.raw("</li>");
                }
                w.raw("</ul>\n  </section>\n  ");
            }
            w.raw("\n  <p class=\"print-only\" lang=\"");
            w.text(code);
            w.raw("\">");
            w.text(t("print_address")?);
            w.raw(" ");
            w.text(&canonical);
            w.raw("</p>\n  <p class=\"print-only\" lang=\"");
            w.text(code);
            w.raw("\">");
            w.text(t("print_full_text")?);
            w.raw("</p>\n</article>\n\n<div class=\"study-links\">\n");
            if !groups.is_empty() {
                w.raw("\n<section aria-labelledby=\"related-heading\">\n  <h2 id=\"related-heading\">");
                w.text(t("study_related")?);
                w.raw("</h2>\n  ");
                for ((reason, _), list) in groups.iter().zip(&cards) {
                    w.raw("\n  <h3 class=\"related-reason\" id=\"");
                    w.text(&reason.replace('_', "-"));
                    w.raw("\">");
                    w.text(t(reason)?);
                    w.raw("</h3>\n  <ul class=\"cards\">\n");
                    for card in list {
                        w.raw(card.as_str()?);
                        w.raw("\n");
                    }
                    w.raw("</ul>\n  ");
                }
                w.raw("\n</section>\n");
            }
            w.raw("\n");
            if !view.linked_from.is_empty() {
                w.raw(
                    "\n<section aria-labelledby=\"linked-heading\">\n  <h2 id=\"linked-heading\">",
                );
                w.text(t("study_linked_from")?);
                w.raw("</h2>\n  <ul>");
                for l in &view.linked_from {
                    w.raw("<li><a href=\"");
                    w.text(&l.url);
                    w.raw("\"");
                    w.lang_attr(l.lang);
                    w.raw(">");
                    w.text(l.label);
                    w.raw("</a></li>");
                }
                w.raw("</ul>\n</section>\n");
            }
            w.raw("\n<p class=\"source-note\">");
            w.text(t("study_source")?);
            w.raw(" ");
            let repository = site.config.repository.as_ref();
            match repository.map(|r| r.view_url(view.source)) {
                Some(source_url) if !source_url.is_empty() => {
                    w.raw("<a href=\"");
                    w.text(&source_url);
                    w.raw("\"><code>");
                    w.text(view.source);
                    w.raw("</code></a> · <a href=\"");
                    w.text(
                        &repository
                            .map(|r| r.edit_url(view.source))
                            .unwrap_or_default(),
                    );
                    w.raw("\">");
                    w.text(t("page_edit")?);
                    w.raw("</a>");
                }
                _ => {
                    w.raw("<code>");
                    w.text(view.source);
                    w.raw("</code>");
                }
            }
            w.raw("</p>\n</div>\n");

            // The rest of base.html.
            w.raw("\n</main>\n");
            w.raw(&shared.footer);
            w.raw("\n</body>\n</html>");
            Some(w.0)
        })() else {
            return Ok(None);
        };
        Ok(Some(html))
    }
}
