//! The library: the public documents case studies are written from. `content/sources/<key>.txt`
//! holds a document's plain text (what quotations are checked against) and
//! `content/sources/<key>.yaml` what a reader needs to find it: title, publisher, date, address.

use super::{SourceFiles, read_text};
use crate::citations::SourceText;
use crate::diagnostics::Diagnostic;
use crate::lang::Lang;
use crate::yaml::fields::{Fields, is_valid_partial_date};
use crate::yaml::{self, Node};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What a reader needs to find a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceMeta {
    /// Its key (the file name).
    pub key: String,
    /// Its own title.
    pub title: String,
    /// Who published it, if the document says.
    pub publisher: Option<String>,
    /// When, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, if the document says.
    pub date: Option<String>,
    /// A public address, if one is known.
    pub url: Option<String>,
    /// What the text is (e.g. extracted from the published PDF).
    pub note: Option<String>,
    /// The language of its text: quotations are checked in texts of that language only.
    pub lang: Lang,
}

/// A source: what it is, and its text indexed for quotations.
#[derive(Debug, Clone)]
pub struct Source {
    /// What it is.
    pub meta: SourceMeta,
    /// Its text.
    pub text: Arc<SourceText>,
}

/// Every source of the hub, by key.
pub type Library = BTreeMap<String, Source>;

/// The fields of a source's `.yaml`.
const FIELDS: &[&str] = &["title", "publisher", "date", "url", "note", "lang"];

/// Reads every source the walk found (in parallel: indexing a long text is the work).
pub fn read(files: &BTreeMap<String, SourceFiles>, diags: &mut Vec<Diagnostic>) -> Library {
    let results: Vec<(Option<Source>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|(key, f)| {
            let mut d = Vec::new();
            let source = read_one(key, f, &mut d);
            (source, d)
        })
        .collect();
    let mut library = Library::new();
    for (source, mut d) in results {
        diags.append(&mut d);
        if let Some(s) = source {
            library.insert(s.meta.key.clone(), s);
        }
    }
    library
}

fn read_one(key: &str, files: &SourceFiles, diags: &mut Vec<Diagnostic>) -> Option<Source> {
    let (text_file, meta_file) = match (&files.text, &files.meta) {
        (Some(t), Some(m)) => (t, m),
        (Some(t), None) => {
            diags.push(
                Diagnostic::error(&format!("content/{}", t.path), 1, 1, "this source's text has no `.yaml` beside it")
                    .with_help(format!("add content/sources/{key}.yaml with its `title` (and `publisher`, `date`, `url` where known)")),
            );
            return None;
        }
        (None, Some(m)) => {
            diags.push(
                Diagnostic::error(&format!("content/{}", m.path), 1, 1, "this source has no text")
                    .with_help(format!("add content/sources/{key}.txt: the document's plain text, which quotations are checked against")),
            );
            return None;
        }
        (None, None) => return None,
    };
    let meta_path = format!("content/{}", meta_file.path);
    let meta_text = read_text(&meta_file.abs, &meta_path, diags)?;
    let meta = parse_meta(key, &meta_path, &meta_text, diags)?;
    let text = read_text(
        &text_file.abs,
        &format!("content/{}", text_file.path),
        diags,
    )?;
    Some(Source {
        meta,
        text: Arc::new(SourceText::new(text)),
    })
}

/// A source's `.yaml`.
pub fn parse_meta(
    key: &str,
    path: &str,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<SourceMeta> {
    let root: Node = match yaml::parse_all(text) {
        Ok(n) => n,
        Err(e) => {
            diags.extend(e.into_iter().map(|e| e.diagnostic(path, 0)));
            return None;
        }
    };
    let before = diags.len();
    let mut f = Fields::new(path, 0, &root, FIELDS, "a source's description", diags);
    let title = f.string("title");
    f.require(
        "title",
        title.is_some(),
        "Cluster peer review 2023/24 report",
    );
    let date = f.string("date");
    if let Some(d) = &date
        && !is_valid_partial_date(&d.value)
    {
        f.diags.push(
            Diagnostic::error(
                path,
                d.line,
                d.column,
                format!("`{}` is not a date", d.value),
            )
            .with_help("write a year, a month or a day: `2024`, `2024-06` or `2024-06-30`"),
        );
    }
    let url = f.string("url");
    if let Some(u) = &url
        && !(u.value.starts_with("https://") || u.value.starts_with("http://"))
    {
        f.diags.push(
            Diagnostic::error(
                path,
                u.line,
                u.column,
                format!("`{}` is not a web address", u.value),
            )
            .with_help("give the address the document is published at, starting with https://"),
        );
    }
    let lang = match f.string("lang") {
        None => Lang::En,
        Some(l) => match Lang::from_code(&l.value) {
            Some(lang) => lang,
            None => {
                f.diags.push(
                    Diagnostic::error(
                        path,
                        l.line,
                        l.column,
                        format!("`{}` is not a language of the hub", l.value),
                    )
                    .with_help("write `en` or `cy`"),
                );
                Lang::En
            }
        },
    };
    let meta = SourceMeta {
        key: key.to_string(),
        title: title?.value,
        publisher: f.string("publisher").map(|s| s.value),
        date: date.map(|s| s.value),
        url: url.map(|s| s.value),
        note: f.string("note").map(|s| s.value),
        lang,
    };
    (diags.len() == before).then_some(meta)
}
