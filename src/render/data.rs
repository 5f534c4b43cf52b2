//! The machine-readable files: Atom feeds, sitemap.xml and catalogue.json.

use super::views::Views;
use super::{PageId, Renderer};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::lang::Lang;
use crate::model::{Site, Study, StudyText};
use crate::output::{OutputFile, Payload};
use crate::schema::{self, Field, FieldKind, Scope};
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
        sb.updated().cmp(&sa.updated()).then(sa.slug.cmp(&sb.slug))
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
                updated => format!("{}T00:00:00Z", s.updated().unwrap_or(UNDATED)),
            }
        })
        .collect();
    let newest = order
        .first()
        .and_then(|&i| site.studies[i].updated())
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

/// One study in catalogue.json: slug, URLs, titles and summaries per language, then the
/// catalogue columns of [`schema::STUDY`] in table order, then the languages it is written in.
struct CatalogueEntry<'a> {
    slug: &'a str,
    url: BTreeMap<&'static str, String>,
    title: BTreeMap<&'static str, &'a str>,
    summary: BTreeMap<&'static str, &'a str>,
    columns: Vec<(&'static str, Column<'a>)>,
    languages: Vec<&'static str>,
}

/// A catalogue column's value.
#[derive(Serialize)]
#[serde(untagged)]
enum Column<'a> {
    One(Option<&'a str>),
    Many(Vec<&'a str>),
    Flag(bool),
}

impl Column<'_> {
    /// The CSV cell: lists joined with "; ".
    fn cell(&self) -> String {
        match self {
            Column::One(v) => v.unwrap_or("").to_string(),
            Column::Many(v) => v.join("; "),
            Column::Flag(b) => b.to_string(),
        }
    }
}

impl Serialize for CatalogueEntry<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.columns.len() + 5))?;
        m.serialize_entry("slug", self.slug)?;
        m.serialize_entry("url", &self.url)?;
        m.serialize_entry("title", &self.title)?;
        m.serialize_entry("summary", &self.summary)?;
        for (name, value) in &self.columns {
            m.serialize_entry(name, value)?;
        }
        m.serialize_entry("languages", &self.languages)?;
        m.end()
    }
}

#[derive(Serialize)]
struct Catalogue<'a> {
    title: &'a str,
    base_url: &'a str,
    studies: Entries<'a>,
}

/// Every published study's catalogue entry, each made as it is written: held together, a large
/// hub's entries were a sizeable share of a build's peak memory.
struct Entries<'a>(&'a Site);

impl Serialize for Entries<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(entries(self.0))
    }
}

/// One board's review in reviews.json.
#[derive(Serialize)]
struct ReviewEntry<'a> {
    cycle: &'a str,
    region: &'a str,
    outcomes: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    peer: Option<&'a str>,
    sources: &'a [String],
}

/// reviews.json: for each cycle and board, the outcomes it was reviewed on (and its peer where a
/// source says), newest cycle first, boards in vocabulary order.
pub fn reviews(site: &Site) -> OutputFile {
    let vocab = &site.config.vocab;
    let entries: Vec<ReviewEntry> = site
        .reviews
        .iter()
        .flat_map(|r| {
            r.boards.iter().map(move |b| ReviewEntry {
                cycle: &r.cycle,
                region: &vocab.term(Kind::Regions, b.region).key,
                outcomes: b
                    .outcomes
                    .iter()
                    .map(|&o| vocab.term(Kind::Outcomes, o).key.as_str())
                    .collect(),
                peer: b.peer.map(|p| vocab.term(Kind::Regions, p).key.as_str()),
                sources: &r.sources,
            })
        })
        .collect();
    let mut bytes = serde_json::to_vec_pretty(&entries).expect("reviews serialise");
    bytes.push(b'\n');
    OutputFile {
        path: "reviews.json".into(),
        payload: Payload::Bytes(bytes),
    }
}

/// catalogue.json: every published study's front matter and URLs.
pub fn catalogue(site: &Site) -> OutputFile {
    let cat = Catalogue {
        title: &site.config.title[Lang::En],
        base_url: &site.config.base_url,
        studies: Entries(site),
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
    header.extend(schema::columns().map(String::from));
    header.push("languages".into());
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
        row.extend(e.columns.iter().map(|(_, c)| c.cell()));
        row.push(e.languages.join("; "));
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

/// A study's value of one catalogue column: terms by key, texts as written (the translated
/// ones in the default language).
fn column<'a>(site: &'a Site, s: &'a Study, primary: &'a StudyText, f: &Field) -> Column<'a> {
    let vocab = &site.config.vocab;
    let keys = |kind: Kind| {
        s.terms(kind)
            .iter()
            .map(|&t| vocab.term(kind, t).key.as_str())
            .collect::<Vec<_>>()
    };
    let values = match f.scope {
        Scope::Shared => &s.shared,
        Scope::Translated | Scope::Own => &primary.fields,
    };
    match f.kind {
        FieldKind::Term(kind) => Column::One(keys(kind).first().copied()),
        FieldKind::Terms(kind) => Column::Many(keys(kind)),
        FieldKind::Texts => Column::Many(values.texts(f.name).iter().map(String::as_str).collect()),
        FieldKind::Slugs => Column::Many(
            s.related
                .iter()
                .map(|&j| site.studies[j].slug.as_str())
                .collect(),
        ),
        FieldKind::Bool => Column::Flag(values.flag(f.name)),
        FieldKind::Text
        | FieldKind::Date
        | FieldKind::Cycle
        | FieldKind::PartialDate
        | FieldKind::Choice(_) => Column::One(values.text(f.name)),
        FieldKind::Sources => {
            Column::Many(values.texts(f.name).iter().map(String::as_str).collect())
        }
        FieldKind::Markdown => Column::One(values.markdown(f.name).map(|m| m.text.as_str())),
    }
}

/// Every published study's catalogue entry.
fn entries(site: &Site) -> impl Iterator<Item = CatalogueEntry<'_>> {
    site.studies.iter().map(|s| {
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
        let lang = site.config.default_lang();
        let columns = schema::STUDY
            .iter()
            .flat_map(|f| {
                let names = match (f.names_column, f.kind) {
                    (Some(name), FieldKind::Terms(kind) | FieldKind::Term(kind)) => {
                        let labels = s
                            .terms(kind)
                            .iter()
                            .map(|&t| site.config.vocab.term(kind, t).label.str(lang));
                        Some((name, Column::Many(labels.collect())))
                    }
                    _ => None,
                };
                f.column
                    .map(|c| (c, column(site, s, primary, f)))
                    .into_iter()
                    .chain(names)
            })
            .collect();
        CatalogueEntry {
            slug: &s.slug,
            url,
            title,
            summary,
            columns,
            languages,
        }
    })
}
