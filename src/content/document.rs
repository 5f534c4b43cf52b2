//! One Markdown file → typed front matter and rendered body ([`LoadedDoc`]). Runs in parallel
//! over all files; each file's problems are collected, not thrown.

use super::fences::{self, SplitError, YAML_LINE_OFFSET};
use super::{DocSource, Inventory, read_text};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::lang::Lang;
use crate::markdown::{self, Rendered};
use crate::urls::{DocKey, Urls};
use crate::vocab::Kind;
use crate::yaml;
use crate::yaml::fields::{Fields, Spanned, is_valid_cycle, is_valid_date};
use rayon::prelude::*;
use std::sync::Arc;

/// The fields of a case study (contract section 3).
pub const STUDY_FIELDS: &[&str] = &[
    "title",
    "summary",
    "region",
    "cluster",
    "outcomes",
    "themes",
    "status",
    "year",
    "updated",
    "partners",
    "funding",
    "contact",
    "evidence",
    "collaboratives",
    "related",
    "draft",
];

/// The fields of a plain page.
pub const PAGE_FIELDS: &[&str] = &["title", "summary"];

/// A case study's front matter as written, each value with its position.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StudyFront {
    /// Title.
    pub title: Option<Spanned<String>>,
    /// One or two sentences.
    pub summary: Option<Spanned<String>>,
    /// Health board (position in the vocabulary).
    pub region: Option<Spanned<usize>>,
    /// Cluster name.
    pub cluster: Option<Spanned<String>>,
    /// Outcomes served.
    pub outcomes: Option<Spanned<Vec<usize>>>,
    /// Peer-review themes.
    pub themes: Option<Spanned<Vec<usize>>>,
    /// Mainstreaming status.
    pub status: Option<Spanned<usize>>,
    /// Peer-review cycle `YYYY/YY`.
    pub year: Option<Spanned<String>>,
    /// Last substantive update `YYYY-MM-DD`.
    pub updated: Option<Spanned<String>>,
    /// Partner organisations.
    pub partners: Option<Vec<Spanned<String>>>,
    /// How it is funded.
    pub funding: Option<Spanned<String>>,
    /// Who to contact.
    pub contact: Option<Spanned<String>>,
    /// What evaluation exists, rendered from Markdown.
    pub evidence: Option<Spanned<Arc<Rendered>>>,
    /// Professional collaboratives involved.
    pub collaboratives: Option<Spanned<Vec<usize>>>,
    /// Slugs of related studies.
    pub related: Option<Vec<Spanned<String>>>,
    /// Excluded unless `--drafts`.
    pub draft: Option<Spanned<bool>>,
    /// The fields written in the file, valid or not.
    pub written: Vec<&'static str>,
}

/// A plain page's front matter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageFront {
    /// Title.
    pub title: Option<Spanned<String>>,
    /// Optional summary.
    pub summary: Option<Spanned<String>>,
}

/// Front matter of either kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Front {
    /// A case study.
    Study(Box<StudyFront>),
    /// A plain page.
    Page(PageFront),
}

/// A parsed and rendered Markdown file.
#[derive(Debug, Clone)]
pub struct LoadedDoc {
    /// Where it came from.
    pub source: DocSource,
    /// Its front matter.
    pub front: Front,
    /// Its body as HTML.
    pub body: Arc<Rendered>,
}

/// What reading one document needs to know about the rest of the hub.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    /// The files under content/.
    pub inv: &'a Inventory,
    /// Settings and vocabularies.
    pub config: &'a Config,
    /// The URL scheme.
    pub urls: &'a Urls,
    /// The theme's own ids, which no heading may take.
    pub reserved_ids: &'a std::collections::HashSet<String>,
}

/// One document's result: the document if it could be read, and its own diagnostics.
pub type DocResult = (Option<LoadedDoc>, Vec<Diagnostic>);

/// Loads every document in parallel, in inventory order, each with its diagnostics.
pub fn load_all(env: Env) -> Vec<DocResult> {
    env.inv
        .docs
        .par_iter()
        .map(|src| {
            let mut d = Vec::new();
            let doc = load_one(src, env, &mut d);
            (doc, d)
        })
        .collect()
}

/// Loads every document in parallel. The result is in inventory order; diagnostics are appended.
pub fn load(env: Env, diags: &mut Vec<Diagnostic>) -> Vec<LoadedDoc> {
    let results = load_all(env);
    let mut docs = Vec::with_capacity(results.len());
    for (doc, mut d) in results {
        diags.append(&mut d);
        docs.extend(doc);
    }
    docs
}

/// Loads one document, rendering its Markdown for its own language.
pub fn load_one(src: &DocSource, env: Env, diags: &mut Vec<Diagnostic>) -> Option<LoadedDoc> {
    let text = read_text(&src.abs, &src.path, diags)?;
    parse(&text, src, env, diags)
}

/// One document's text (already read) → its front matter and rendered body: the whole
/// single-file path, which the fuzz target `document` drives.
pub fn parse(
    text: &str,
    src: &DocSource,
    env: Env,
    diags: &mut Vec<Diagnostic>,
) -> Option<LoadedDoc> {
    let Env {
        inv, config, urls, ..
    } = env;
    let split = match fences::split(text) {
        Ok(s) => s,
        Err(SplitError::Missing) => {
            diags.push(
                Diagnostic::error(&src.path, 1, 1, "the file does not start with front matter")
                    .with_help(
                        "start the file with a line `---`, the fields, then another `---` line",
                    ),
            );
            return None;
        }
        Err(SplitError::Unterminated) => {
            diags.push(
                Diagnostic::error(
                    &src.path,
                    1,
                    1,
                    "the front matter opened here is never closed",
                )
                .with_help("add a line `---` after the last field"),
            );
            return None;
        }
    };
    let root = match yaml::parse(split.yaml) {
        Ok(n) => n,
        Err(e) => {
            diags.push(Diagnostic::error(
                &src.path,
                e.pos.line + YAML_LINE_OFFSET,
                e.pos.column,
                e.message,
            ));
            return None;
        }
    };
    let cx = markdown::Context {
        path: &src.path,
        dir: &src.dir,
        line_offset: split.body_line_offset,
        this: &src.key,
        docs: &inv.doc_paths,
        files: &inv.file_paths,
        urls,
        content_dir: &inv.content_dir,
        reserved_ids: env.reserved_ids,
    };
    let front = match &src.key {
        DocKey::Study(_) => {
            // A translation takes its taxonomy from the English file, so only a study without
            // an English file must carry every required field itself.
            let primary = src.lang == Lang::En || !inv.has(&src.key, Lang::En);
            Front::Study(Box::new(study_front(
                &root, &src.path, primary, config, &cx, diags,
            )))
        }
        DocKey::Page(_) => Front::Page(page_front(&root, &src.path, diags)),
    };
    let body = Arc::new(markdown::render(split.body, &cx, diags));
    Some(LoadedDoc {
        source: src.clone(),
        front,
        body,
    })
}

fn page_front(root: &yaml::Node, path: &str, diags: &mut Vec<Diagnostic>) -> PageFront {
    let mut f = Fields::new(
        path,
        YAML_LINE_OFFSET,
        root,
        PAGE_FIELDS,
        "a page's front matter",
        diags,
    );
    let title = f.string("title");
    f.require("title", title.is_some(), "About this hub");
    PageFront {
        title,
        summary: f.string("summary"),
    }
}

fn study_front(
    root: &yaml::Node,
    path: &str,
    primary: bool,
    config: &Config,
    cx: &markdown::Context,
    diags: &mut Vec<Diagnostic>,
) -> StudyFront {
    let vocab = &config.vocab;
    let mut f = Fields::new(
        path,
        YAML_LINE_OFFSET,
        root,
        STUDY_FIELDS,
        "a case study's front matter",
        diags,
    );
    let mut s = StudyFront {
        title: f.string("title"),
        summary: f.string("summary"),
        region: f.key("region", Kind::Regions, vocab),
        cluster: f.string("cluster"),
        outcomes: f.keys("outcomes", Kind::Outcomes, vocab),
        themes: f.keys("themes", Kind::Themes, vocab),
        status: f.key("status", Kind::Statuses, vocab),
        year: f.string("year"),
        updated: f.string("updated"),
        partners: f.string_list("partners"),
        funding: f.string("funding"),
        contact: f.string("contact"),
        evidence: None,
        collaboratives: f.keys("collaboratives", Kind::Collaboratives, vocab),
        related: f.string_list("related"),
        draft: f.bool("draft"),
        written: STUDY_FIELDS
            .iter()
            .copied()
            .filter(|field| f.has(field))
            .collect(),
    };
    f.require("title", s.title.is_some(), "Healthy Homes");
    f.require(
        "summary",
        s.summary.is_some(),
        "One or two sentences on what was done and what it achieved.",
    );
    if primary {
        f.require("region", f.has("region"), "cwm-taf-morgannwg");
        f.require("outcomes", f.has("outcomes"), "[pcmw-3]");
        f.require("status", f.has("status"), "pilot");
    }
    if let Some(o) = &s.outcomes {
        let written_empty = f
            .node("outcomes")
            .is_some_and(|n| matches!(&n.value, yaml::Value::Seq(v) if v.is_empty()));
        if o.value.is_empty() && written_empty {
            f.diags.push(
                Diagnostic::error(
                    path,
                    o.line,
                    o.column,
                    "`outcomes` is empty: a case study serves at least one outcome",
                )
                .with_help("list one or more outcome keys, e.g. `[pcmw-3, acd-4]`"),
            );
        }
    }
    if let Some(y) = &s.updated
        && !is_valid_date(&y.value)
    {
        f.diags.push(
            Diagnostic::error(
                path,
                y.line,
                y.column,
                format!("`{}` is not a valid date", y.value),
            )
            .with_help("write the date as YYYY-MM-DD, e.g. `2024-05-05`"),
        );
        s.updated = None;
    }
    if let Some(y) = &s.year
        && !is_valid_cycle(&y.value)
    {
        f.diags.push(
            Diagnostic::error(
                path,
                y.line,
                y.column,
                format!("`{}` is not a peer-review cycle", y.value),
            )
            .with_help("write the cycle as YYYY/YY, e.g. `2023/24`"),
        );
        s.year = None;
    }
    if let Some(r) = &s.related {
        for slug in r {
            if !crate::slug::is_slug(&slug.value) {
                f.diags.push(
                    Diagnostic::error(
                        path,
                        slug.line,
                        slug.column,
                        format!("`{}` is not a case-study slug", slug.value),
                    )
                    .with_help("list the slugs (file names without `.md`) of other case studies"),
                );
            }
        }
    }
    if let Some(e) = f.string("evidence") {
        let ecx = markdown::Context {
            line_offset: e.line - 1,
            ..*cx
        };
        let rendered = markdown::render(&e.value, &ecx, f.diags);
        s.evidence = Some(Spanned {
            value: Arc::new(rendered),
            line: e.line,
            column: e.column,
        });
    }
    s
}
