//! One Markdown file → typed front matter and rendered body ([`LoadedDoc`]). Runs in parallel
//! over all files; each file's problems are collected, not thrown.

use super::fences::{self, SplitError, YAML_LINE_OFFSET};
use super::{DocSource, Inventory, read_text};
use crate::citations::{Quote, inline_quotes};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::did_you_mean;
use crate::lang::Lang;
use crate::markdown::{self, Rendered};
use crate::model::Value;
use crate::schema::{self, FieldKind, Required};
use crate::urls::{DocKey, Urls};
use crate::yaml;
use crate::yaml::fields::{Fields, Spanned, is_valid_cycle, is_valid_date, is_valid_partial_date};
use rayon::prelude::*;
use std::sync::Arc;

/// A case study's front matter as written: each valid value with its position, in the order
/// of [`schema::STUDY`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StudyFront {
    /// The values that could be read.
    pub values: Vec<(&'static str, Spanned<Value>)>,
    /// `related`, with the position of each slug (checked once every study is known).
    pub related: Option<Vec<Spanned<String>>>,
    /// Quotations in the text fields (the body's and Markdown fields' are in their renderings).
    pub quotes: Vec<Quote>,
    /// The fields written in the file, valid or not.
    pub written: Vec<&'static str>,
}

impl StudyFront {
    /// The value of a field, if written and valid.
    pub fn get(&self, name: &str) -> Option<&Spanned<Value>> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// A text field (title, summary…).
    pub fn text(&self, name: &str) -> Option<&Spanned<Value>> {
        self.get(name).filter(|v| matches!(v.value, Value::Text(_)))
    }

    /// Every quotation of the file: in text fields, Markdown fields and `body`.
    pub fn quotes<'a>(&'a self, body: &'a Rendered) -> impl Iterator<Item = &'a Quote> {
        self.quotes
            .iter()
            .chain(self.markdowns().flat_map(|m| m.quotes.iter()))
            .chain(body.quotes.iter())
    }

    /// Every Markdown field, rendered.
    pub fn markdowns(&self) -> impl Iterator<Item = &Arc<Rendered>> {
        self.values.iter().filter_map(|(_, v)| match &v.value {
            Value::Markdown(m) => Some(m),
            _ => None,
        })
    }
}

/// A plain page's front matter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageFront {
    /// Title.
    pub title: Option<Spanned<String>>,
    /// Optional summary.
    pub summary: Option<Spanned<String>>,
    /// The documents the page quotes (keys of content/sources/): its quotations are checked.
    pub sources: Vec<String>,
    /// A translation's state: `draft` or `reviewed`.
    pub translation: Option<String>,
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
    /// The labels pages show for fields, with the field each names ([`Theme::field_labels`]).
    ///
    /// [`Theme::field_labels`]: crate::theme::Theme::field_labels
    pub field_labels: &'a [(String, &'static str)],
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
    let root = match yaml::parse_all(split.yaml) {
        Ok(n) => n,
        Err(errors) => {
            diags.extend(
                errors
                    .into_iter()
                    .map(|e| e.diagnostic(&src.path, YAML_LINE_OFFSET)),
            );
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
            let front = study_front(
                &root,
                &src.path,
                primary,
                config,
                &inv.sources,
                &cx,
                env.field_labels,
                diags,
            );
            let cites = primary && !inv.sources.is_empty();
            super::quality::study_warnings(&front, &src.path, src.lang, cites, diags);
            Front::Study(Box::new(front))
        }
        DocKey::Page(_) => Front::Page(page_front(&root, &src.path, &inv.sources, diags)),
    };
    let body = Arc::new(markdown::render(split.body, &cx, diags));
    Some(LoadedDoc {
        source: src.clone(),
        front,
        body,
    })
}

fn page_front(
    root: &yaml::Node,
    path: &str,
    known: &std::collections::BTreeMap<String, super::SourceFiles>,
    diags: &mut Vec<Diagnostic>,
) -> PageFront {
    let mut f = Fields::new(
        path,
        YAML_LINE_OFFSET,
        root,
        &schema::names(schema::PAGE),
        "a page's front matter",
        diags,
    );
    let title = f.string("title");
    f.require("title", title.is_some(), "About this hub");
    let mut sources = Vec::new();
    for k in f.string_list("sources").unwrap_or_default() {
        if known.contains_key(&k.value) {
            sources.push(k.value);
        } else {
            let d = Diagnostic::error(
                path,
                k.line,
                k.column,
                format!("there is no source `{}`", k.value),
            )
            .with_help_opt(did_you_mean(&k.value, known.keys().map(String::as_str)));
            f.diags.push(d);
        }
    }
    let translation = f.string("translation").and_then(|t| {
        if schema::TRANSLATION_STATES.contains(&t.value.as_str()) {
            Some(t.value)
        } else {
            let path = f.path();
            f.diags.push(
                Diagnostic::error(
                    path,
                    t.line,
                    t.column,
                    format!("`{}` is not one of the values of `translation`", t.value),
                )
                .with_help(format!(
                    "write one of: {}",
                    schema::TRANSLATION_STATES.join(", ")
                )),
            );
            None
        }
    });
    PageFront {
        title,
        summary: f.string("summary"),
        sources,
        translation,
    }
}

/// Reads a case study's front matter field by field, as [`schema::STUDY`] describes them.
#[allow(clippy::too_many_arguments)] // Each is a distinct input of one front matter's reading.
fn study_front(
    root: &yaml::Node,
    path: &str,
    primary: bool,
    config: &Config,
    cx_sources: &std::collections::BTreeMap<String, super::SourceFiles>,
    cx: &markdown::Context,
    labels: &[(String, &'static str)],
    diags: &mut Vec<Diagnostic>,
) -> StudyFront {
    let vocab = &config.vocab;
    let mut f = Fields::with_labels(
        path,
        YAML_LINE_OFFSET,
        root,
        &schema::names(schema::STUDY),
        labels,
        "a case study's front matter",
        diags,
    );
    let mut front = StudyFront::default();
    for field in schema::STUDY {
        let name = field.name;
        if f.has(name) {
            front.written.push(name);
        }
        let required = match field.required {
            Required::Always => true,
            Required::Primary => primary,
            Required::No => false,
        };
        if required {
            f.require(name, f.has(name), field.example);
        }
        let value = match field.kind {
            FieldKind::Text => f.string(name).map(|s| {
                for (_, text) in inline_quotes(&s.value) {
                    front.quotes.push(Quote {
                        text,
                        line: s.line,
                        column: s.column,
                        block: false,
                    });
                }
                s.map(Value::Text)
            }),
            FieldKind::Texts => f.string_list(name).map(|items| {
                let at = items.first().map_or((1, 1), |i| (i.line, i.column));
                Spanned {
                    value: Value::Texts(items.into_iter().map(|i| i.value).collect()),
                    line: at.0,
                    column: at.1,
                }
            }),
            FieldKind::Date => checked(
                &mut f,
                name,
                is_valid_date,
                "is not a valid date",
                "write the date as YYYY-MM-DD, e.g. `2024-05-05`",
            ),
            FieldKind::Cycle => checked(
                &mut f,
                name,
                is_valid_cycle,
                "is not a peer-review cycle",
                "write the cycle as YYYY/YY, e.g. `2023/24`",
            ),
            FieldKind::PartialDate => checked(
                &mut f,
                name,
                is_valid_partial_date,
                "is not a date",
                "write a year, a month or a day: `2023`, `2023-06` or `2023-06-30`",
            ),
            FieldKind::Choice(keys) => f.string(name).and_then(|c| {
                if keys.contains(&c.value.as_str()) {
                    return Some(c.map(Value::Text));
                }
                let path = f.path();
                f.diags.push(
                    Diagnostic::error(
                        path,
                        c.line,
                        c.column,
                        format!("`{}` is not one of the values of `{name}`", c.value),
                    )
                    .with_help(
                        did_you_mean(&c.value, keys.iter().copied())
                            .unwrap_or_else(|| format!("write one of: {}", keys.join(", "))),
                    ),
                );
                None
            }),
            FieldKind::Sources => f.string_list(name).map(|keys| {
                let at = keys.first().map_or((1, 1), |k| (k.line, k.column));
                let mut known = Vec::new();
                for k in keys {
                    if cx_sources.contains_key(&k.value) {
                        known.push(k.value);
                        continue;
                    }
                    let help = did_you_mean(&k.value, cx_sources.keys().map(String::as_str))
                        .unwrap_or_else(|| {
                            "add the source as content/sources/<key>.txt (its text) and \
                             content/sources/<key>.yaml (its title, publisher, date and address)"
                                .to_string()
                        });
                    f.diags.push(
                        Diagnostic::error(
                            path,
                            k.line,
                            k.column,
                            format!("there is no source `{}`", k.value),
                        )
                        .with_help(help),
                    );
                }
                Spanned {
                    value: Value::Texts(known),
                    line: at.0,
                    column: at.1,
                }
            }),
            FieldKind::Terms(crate::vocab::Kind::Clusters) => clusters(&mut f, name, vocab),
            FieldKind::Term(kind) => f
                .key(name, kind, vocab)
                .map(|k| k.map(|t| Value::Terms(vec![t]))),
            FieldKind::Terms(kind) => {
                let keys = f.keys(name, kind, vocab);
                if let Some(k) = &keys
                    && required
                    && k.value.is_empty()
                    && f.node(name)
                        .is_some_and(|n| matches!(&n.value, yaml::Value::Seq(v) if v.is_empty()))
                {
                    f.diags.push(
                        Diagnostic::error(
                            path,
                            k.line,
                            k.column,
                            format!("`{name}` is empty: a case study serves at least one outcome"),
                        )
                        .with_help(format!(
                            "list one or more outcome keys, e.g. `{}`",
                            "[pcmw-3, acd-4]"
                        )),
                    );
                }
                keys.map(|k| k.map(Value::Terms))
            }
            FieldKind::Bool => f.bool(name).map(|b| b.map(Value::Bool)),
            FieldKind::Markdown => f.string(name).map(|e| {
                let ecx = markdown::Context {
                    line_offset: e.line - 1,
                    ..*cx
                };
                let mut rendered = markdown::render(&e.value, &ecx, f.diags);
                // Quotations in a field are reported at the field's value.
                for q in &mut rendered.quotes {
                    (q.line, q.column) = (e.line, e.column);
                }
                Spanned {
                    value: Value::Markdown(Arc::new(rendered)),
                    line: e.line,
                    column: e.column,
                }
            }),
            // Checked once every study is known, so that a title or a file name written here
            // can be matched to its slug.
            FieldKind::Slugs => {
                front.related = f.string_list(name);
                None
            }
        };
        if let Some(v) = value {
            front.values.push((name, v));
        }
    }
    front
}

/// A text field that must pass `valid`, else an error at its value.
/// `cluster:`: one key or a list (work across clusters), each one of the clusters of the
/// study's board (its `region:`); a name or alias is taken with a warning that gives the key.
fn clusters(
    f: &mut Fields,
    name: &str,
    vocab: &crate::vocab::Vocabularies,
) -> Option<Spanned<Value>> {
    use crate::vocab::Kind;
    let node = f.node(name)?;
    let regions = vocab.get(Kind::Regions);
    let board = f.node("region").and_then(|n| match &n.value {
        yaml::Value::Scalar { text, .. } => regions.position(text.trim()),
        _ => None,
    });
    let list = f.string_list(name)?;
    let path = f.path();
    let mut out: Vec<usize> = Vec::with_capacity(list.len());
    for item in list {
        match vocab.clusters.resolve(&item.value, board, regions) {
            Ok((i, warning)) => {
                if let Some((message, help)) = warning.filter(|_| !out.contains(&i)) {
                    f.diags.push(
                        Diagnostic::warning(path, item.line, item.column, message).with_help(help),
                    );
                }
                if out.contains(&i) {
                    f.diags.push(Diagnostic::error(
                        path,
                        item.line,
                        item.column,
                        format!(
                            "`{}` is listed twice in `{name}`; keep one",
                            vocab.clusters.list[i].key
                        ),
                    ));
                } else {
                    out.push(i);
                }
            }
            Err((message, help)) => f
                .diags
                .push(Diagnostic::error(path, item.line, item.column, message).with_help(help)),
        }
    }
    Some(f.at(node.pos, Value::Terms(out)))
}

fn checked(
    f: &mut Fields,
    name: &str,
    valid: fn(&str) -> bool,
    problem: &str,
    help: &str,
) -> Option<Spanned<Value>> {
    let s = f.string(name)?;
    if valid(&s.value) {
        return Some(s.map(Value::Text));
    }
    let path = f.path();
    // A well-formed date whose day is past the month's end is named as such.
    let d = match crate::yaml::fields::impossible_day(&s.value) {
        Some(why) => Diagnostic::error(
            path,
            s.line,
            s.column,
            format!("`{}` is a day that does not exist: {why}", s.value),
        )
        .with_help("check the date in your source"),
        None => Diagnostic::error(path, s.line, s.column, format!("`{}` {problem}", s.value))
            .with_help(help),
    };
    f.diags.push(d);
    None
}
