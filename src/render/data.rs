//! The machine-readable files: Atom feeds, sitemap.xml and catalogue.json.

use super::views::Views;
use super::{PageId, Renderer};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::lang::Lang;
use crate::model::Site;
use crate::output::{OutputFile, Payload};
use crate::vocab::Kind;
use minijinja::{Value, context};
use serde::Serialize;
use std::collections::BTreeMap;

/// Entries in a feed: the most recently updated studies.
const FEED_ENTRIES: usize = 50;
/// The date used for studies without `updated`, so that feeds stay reproducible.
const UNDATED: &str = "2000-01-01";

/// An absolute URL for a site-absolute path.
pub fn absolute(config: &Config, url: &str) -> String {
    let origin = config
        .base_url
        .strip_suffix(config.base_path())
        .unwrap_or(&config.base_url);
    format!("{origin}{url}")
}

/// The context of feed.xml in the view's language.
pub fn feed_context(site: &Site, v: &Views) -> Value {
    let mut order: Vec<usize> = (0..site.studies.len()).collect();
    order.sort_by(|&a, &b| {
        let (sa, sb) = (&site.studies[a], &site.studies[b]);
        sb.updated.cmp(&sa.updated).then(sa.slug.cmp(&sb.slug))
    });
    let entries: Vec<Value> = order
        .iter()
        .take(FEED_ENTRIES)
        .map(|&i| {
            let s = &site.studies[i];
            let (text, text_lang) = s.text(v.lang);
            let url = absolute(&site.config, &site.urls.study(v.lang, &s.slug));
            context! {
                title => text.title.as_str(), summary => text.summary.as_str(), url => url, lang => text_lang.code(),
                updated => format!("{}T00:00:00Z", s.updated.as_deref().unwrap_or(UNDATED)),
            }
        })
        .collect();
    let newest = order
        .first()
        .and_then(|&i| site.studies[i].updated.as_deref())
        .unwrap_or(UNDATED);
    context! {
        entries => entries,
        updated => format!("{newest}T00:00:00Z"),
        feed_abs => absolute(&site.config, &site.urls.lang_file(v.lang, "feed.xml")),
        home_abs => absolute(&site.config, &site.urls.home(v.lang)),
    }
}

/// sitemap.xml: every HTML page, with its twins as hreflang alternates.
pub fn sitemap(site: &Site, r: &Renderer) -> Result<OutputFile, Diagnostic> {
    let mut ids: Vec<PageId> = r
        .pages()
        .into_iter()
        .filter(|(l, id)| {
            *l == site.config.default_lang() && !matches!(id, PageId::NotFound | PageId::Feed)
        })
        .map(|(_, id)| id)
        .collect();
    ids.sort();
    let mut urls = Vec::new();
    for id in ids {
        let alternates: Vec<Value> = site
            .config
            .languages
            .iter()
            .map(|&l| context! { lang => l.code(), href => absolute(&site.config, &r.url(l, id)) })
            .collect();
        for &l in &site.config.languages {
            urls.push(context! { loc => absolute(&site.config, &r.url(l, id)), alternates => alternates.clone() });
        }
    }
    let xml = r.render_named("sitemap.xml", context! { urls => urls })?;
    Ok(OutputFile {
        path: "sitemap.xml".into(),
        payload: Payload::Bytes(xml.into_bytes()),
    })
}

#[derive(Serialize)]
struct CatalogueEntry<'a> {
    slug: &'a str,
    url: BTreeMap<&'static str, String>,
    title: BTreeMap<&'static str, &'a str>,
    summary: BTreeMap<&'static str, &'a str>,
    region: &'a str,
    cluster: Option<&'a str>,
    outcomes: Vec<&'a str>,
    themes: Vec<&'a str>,
    status: &'a str,
    collaboratives: Vec<&'a str>,
    year: Option<&'a str>,
    updated: Option<&'a str>,
    partners: &'a [String],
    funding: Option<&'a str>,
    contact: Option<&'a str>,
    related: Vec<&'a str>,
    languages: Vec<&'static str>,
}

#[derive(Serialize)]
struct Catalogue<'a> {
    title: &'a str,
    base_url: &'a str,
    studies: Vec<CatalogueEntry<'a>>,
}

/// catalogue.json: every published study's front matter and URLs.
pub fn catalogue(site: &Site) -> OutputFile {
    let cat = Catalogue {
        title: &site.config.title[Lang::En],
        base_url: &site.config.base_url,
        studies: entries(site),
    };
    let mut bytes = serde_json::to_vec_pretty(&cat).expect("catalogue serialises");
    bytes.push(b'\n');
    OutputFile {
        path: "catalogue.json".into(),
        payload: Payload::Bytes(bytes),
    }
}

/// catalogue.csv: the same as catalogue.json, one row per study, for spreadsheets. Lists are
/// joined with "; ". It starts with a UTF-8 byte-order mark, without which Excel misreads Welsh
/// letters such as ŵ and ŷ.
pub fn catalogue_csv(site: &Site) -> OutputFile {
    let langs: Vec<&str> = site.config.languages.iter().map(|l| l.code()).collect();
    let mut header: Vec<String> = vec!["slug".into()];
    for field in ["title", "summary", "url"] {
        header.extend(langs.iter().map(|l| format!("{field}_{l}")));
    }
    header.extend(
        [
            "region",
            "cluster",
            "outcomes",
            "themes",
            "status",
            "collaboratives",
            "year",
            "updated",
            "partners",
            "funding",
            "contact",
            "related",
            "languages",
        ]
        .map(String::from),
    );
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(&header).expect("writing to memory");
    for e in entries(site) {
        let mut row: Vec<String> = vec![e.slug.to_string()];
        for l in &langs {
            row.push(e.title.get(l).copied().unwrap_or("").to_string());
        }
        for l in &langs {
            row.push(e.summary.get(l).copied().unwrap_or("").to_string());
        }
        for l in &langs {
            row.push(e.url.get(l).cloned().unwrap_or_default());
        }
        let opt = |o: Option<&str>| o.unwrap_or("").to_string();
        row.extend([
            e.region.to_string(),
            opt(e.cluster),
            e.outcomes.join("; "),
            e.themes.join("; "),
            e.status.to_string(),
            e.collaboratives.join("; "),
            opt(e.year),
            opt(e.updated),
            e.partners.join("; "),
            opt(e.funding),
            opt(e.contact),
            e.related.join("; "),
            e.languages.join("; "),
        ]);
        w.write_record(row.iter().map(|cell| inert_cell(cell).into_owned()))
            .expect("writing to memory");
    }
    OutputFile {
        path: "catalogue.csv".into(),
        payload: Payload::Bytes(w.into_inner().expect("writing to memory")),
    }
}

/// A cell a spreadsheet shows as text, never runs as a formula (OWASP's advice on CSV
/// injection): one that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
/// leading `'`, which spreadsheets hide and which keeps `=HYPERLINK(…)` a title.
fn inert_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Every published study's catalogue entry.
fn entries(site: &Site) -> Vec<CatalogueEntry<'_>> {
    let vocab = &site.config.vocab;
    let keys = |kind: Kind, ts: &[usize]| {
        ts.iter()
            .map(|&t| vocab.term(kind, t).key.as_str())
            .collect::<Vec<_>>()
    };
    site.studies
        .iter()
        .map(|s| {
            let (primary, _) = s.text(site.config.default_lang());
            let mut url = BTreeMap::new();
            let mut title = BTreeMap::new();
            let mut summary = BTreeMap::new();
            let mut languages = Vec::new();
            for &l in &site.config.languages {
                url.insert(
                    l.code(),
                    absolute(&site.config, &site.urls.study(l, &s.slug)),
                );
            }
            for l in Lang::ALL {
                if let Some(t) = s.text_in(l) {
                    title.insert(l.code(), t.title.as_str());
                    summary.insert(l.code(), t.summary.as_str());
                    languages.push(l.code());
                }
            }
            CatalogueEntry {
                slug: &s.slug,
                url,
                title,
                summary,
                region: &vocab.term(Kind::Regions, s.region).key,
                cluster: primary.cluster.as_deref(),
                outcomes: keys(Kind::Outcomes, &s.outcomes),
                themes: keys(Kind::Themes, &s.themes),
                status: &vocab.term(Kind::Statuses, s.status).key,
                collaboratives: keys(Kind::Collaboratives, &s.collaboratives),
                year: s.year.as_deref(),
                updated: s.updated.as_deref(),
                partners: &primary.partners,
                funding: primary.funding.as_deref(),
                contact: primary.contact.as_deref(),
                related: s
                    .related
                    .iter()
                    .map(|&j| site.studies[j].slug.as_str())
                    .collect(),
                languages,
            }
        })
        .collect()
}
