//! What every page of a language shares (navigation, footer, site names, UI strings), and the
//! template environment: the functions templates call and the escaping of what they print.

use super::Renderer;
use super::scope::Scope;
use crate::diagnostics::Diagnostic;
use crate::lang::Lang;
use crate::model::Site;
use crate::theme::Theme;
use crate::urls::SitePage;
use crate::vocab::Kind;
use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Serialize;
use std::sync::Arc;

/// A link of the site navigation.
#[derive(Serialize)]
pub struct NavItem {
    /// Where it leads.
    pub url: String,
    /// The catalogue key of its label.
    pub key: &'static str,
}

/// The site navigation of `lang`.
pub fn nav(site: &Site, lang: Lang) -> Vec<NavItem> {
    let urls = &site.urls;
    vec![
        NavItem {
            url: urls.site_page(lang, SitePage::Studies),
            key: "nav_studies",
        },
        NavItem {
            url: urls.kind_index(lang, Kind::Topics),
            key: "nav_topics",
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
            url: urls.site_page(lang, SitePage::Actions),
            key: "nav_actions",
        },
        NavItem {
            url: urls.site_page(lang, SitePage::Pipeline),
            key: "nav_pipeline",
        },
        NavItem {
            url: urls.site_page(lang, SitePage::Coverage),
            key: "nav_coverage",
        },
        NavItem {
            url: urls.site_page(lang, SitePage::Search),
            key: "nav_search",
        },
    ]
}

/// The names every page of `lang` sees: site title, UI strings (`t`), navigation, footer, asset
/// URLs.
pub fn common(site: &Site, theme: &Theme, lang: Lang, live_reload: Option<&str>) -> Scope {
    let urls = &site.urls;
    let footer: Vec<super::views::Link> = site
        .pages
        .iter()
        .filter(|p| !p.path.contains('/'))
        .map(|p| {
            let (t, l) = p.text(lang);
            super::views::Link {
                url: urls.page_at(lang, &p.path),
                label: &t.title,
                lang: (l != lang).then_some(l.code()),
            }
        })
        .collect();
    let mut strings = Scope::default();
    for (key, value) in &theme.strings[lang] {
        strings.set(key.clone(), super::ser(value));
    }
    Scope::default().with([
        ("lang", Value::from(lang.code())),
        ("t", strings.into_value()),
        ("site_title", Value::from(site.config.title.str(lang))),
        (
            "site_description",
            Value::from(site.config.description.str(lang)),
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
        (
            "feed_url",
            Value::from(urls.site_page(lang, SitePage::Feed)),
        ),
        ("catalogue_url", Value::from(urls.file("catalogue.json"))),
        ("catalogue_csv_url", Value::from(urls.file("catalogue.csv"))),
        ("nav", super::ser(&nav(site, lang))),
        (
            "add_work_url",
            Value::from(site.config.repository.as_ref().map(|r| {
                r.new_file_url(
                    "content/case-studies",
                    STUDY_TEMPLATE_NAME,
                    &study_template(&site.config.vocab),
                )
            })),
        ),
        (
            "guide_url",
            Value::from(
                site.config
                    .repository
                    .as_ref()
                    .map(|r| r.view_url("CONTRIBUTING.md")),
            ),
        ),
        ("footer", super::ser(&footer)),
        ("live_reload", Value::from(live_reload.map(str::to_string))),
    ])
}

/// The name a new study's file is given in "Add your work" (the contributor renames it).
pub const STUDY_TEMPLATE_NAME: &str = "new-case-study.md";

/// A new study with every field present and explained, as `hub new` writes it: what "Add your
/// work" fills the new file with, and what the site publishes as study-template.md.
pub fn study_template(vocab: &crate::vocab::Vocabularies) -> String {
    let spec = crate::scaffold::NewStudy {
        slug: STUDY_TEMPLATE_NAME.trim_end_matches(".md").to_string(),
        ..Default::default()
    };
    crate::scaffold::template(&spec, vocab)
}

/// The UI strings hub's own code asks for (besides those the templates name): each must be in
/// every catalogue, or the theme is reported as broken rather than a page printing a key.
pub fn required_strings() -> Vec<String> {
    let mut keys: Vec<String> = [
        "nav_home",
        "nav_studies",
        "nav_search",
        "nav_coverage",
        "nav_pipeline",
        "actions_title",
        "translations_title",
        "translations_summary",
        "not_found_title",
        "feed_title",
    ]
    .iter()
    .map(|k| k.to_string())
    .collect();
    for kind in Kind::ALL {
        keys.push(format!("kind_{}", kind.name()));
        keys.push(format!("facet_{}", kind.name()));
    }
    for f in crate::schema::STUDY {
        keys.extend(
            f.fact
                .iter()
                .chain(&f.summary)
                .map(|(_, label)| label.to_string()),
        );
        if let crate::schema::FieldKind::Choice(choices) = f.kind
            && f.summary.is_some()
        {
            keys.extend(
                choices
                    .iter()
                    .map(|c| format!("{}_{}", f.name, c.replace('-', "_"))),
            );
        }
    }
    keys
}

/// Every missing [`required_strings`] key of every catalogue, as a diagnostic at the catalogue.
pub fn missing_strings(theme: &Theme, site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for &lang in &site.config.languages {
        for key in required_strings() {
            if theme.string(lang, &key).is_none() {
                out.push(
                    Diagnostic::error(
                        &format!("i18n/{}.yaml", lang.code()),
                        1,
                        1,
                        format!("the string `{key}` is missing"),
                    )
                    .with_help(format!("add `{key}:` with its {} text", lang.endonym())),
                );
            }
        }
    }
    out
}

/// The template environment: strict about undefined names, escaping as [`escape`] does, with
/// `plural`, `asset` and `fragment`. Template syntax errors are diagnostics.
pub fn environment<'a>(
    site: &Site,
    theme: &'a Theme,
    common: &super::PerLangScopes,
) -> Result<Environment<'a>, Vec<Diagnostic>> {
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
    // `fragment("footer.html")`: a template rendered once per language from the site-wide names
    // only, and the same HTML reused on every page (as Hugo's partialCached): the parts of
    // base.html that do not depend on the page were a tenth of a study page.
    let shared = common.clone();
    let made: std::sync::Mutex<rustc_hash::FxHashMap<(String, Lang), Value>> = Default::default();
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
            let ctx = Value::from_dyn_object(shared[lang].clone());
            let html = Value::from_safe_string(state.env().get_template(name)?.render(ctx)?);
            made.lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(key, html.clone());
            Ok(html)
        },
    );
    Ok(env)
}

impl Renderer<'_> {
    /// A UI string of the theme (checked present by [`missing_strings`] when the renderer is
    /// made).
    pub fn t(&self, lang: Lang, key: &str) -> String {
        self.theme
            .string(lang, key)
            .map_or_else(|| key.to_string(), str::to_string)
    }

    /// The site-wide names of `lang`.
    pub fn common(&self, lang: Lang) -> &Arc<Scope> {
        &self.common[lang]
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
    escaped(text, |run| out.write_str(run))?;
    Ok(())
}

/// Hands `write` the text in runs, each byte [`ESCAPED`] names replaced by its entity: the one
/// escaping of the templates' formatter and of pages written directly.
pub fn escaped<E>(text: &str, mut write: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let bytes = text.as_bytes();
    let mut last = 0;
    while let Some(at) = bytes[last..].iter().position(|&b| ESCAPED[b as usize]) {
        let i = last + at;
        write(&text[last..i])?;
        write(match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        })?;
        last = i + 1;
    }
    write(&text[last..])
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

/// A template error as a diagnostic at the template, with its whole cause chain.
pub fn template_error(e: &minijinja::Error) -> Diagnostic {
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
