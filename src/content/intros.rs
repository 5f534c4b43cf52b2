//! Introductions to term pages: `content/themes/<key>.md` opens `/themes/<key>/` with what the
//! report found under that theme (and `.cy.md` in Welsh); the same works for any vocabulary's
//! folder. An introduction may list `sources`, and its quotations are then checked like a
//! study's.

use super::IntroSource;
use super::document::Env;
use super::fences::{self, YAML_LINE_OFFSET};
use super::read_text;
use crate::citations::Quote;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::lang::Lang;
use crate::markdown::{self, Rendered};
use crate::schema::TRANSLATION_STATES;
use crate::urls::DocKey;
use crate::vocab::Kind;
use crate::yaml::{self, fields::Fields};
use std::sync::Arc;

/// An introduction, read and rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct Intro {
    /// Its file, relative to the hub root.
    pub path: String,
    /// The vocabulary and the term (position) it introduces.
    pub kind: Kind,
    /// The term's position in its vocabulary.
    pub term: usize,
    /// Its language.
    pub lang: Lang,
    /// The sources it is written from.
    pub sources: Vec<String>,
    /// `draft` or `reviewed`, for a translation.
    pub translation: Option<String>,
    /// Its text.
    pub body: Arc<Rendered>,
}

impl Intro {
    /// Its quotations, to check against its sources.
    pub fn quotes(&self) -> &[Quote] {
        &self.body.quotes
    }
}

const FIELDS: &[&str] = &["sources", "translation"];

/// Reads every introduction the walk found.
pub fn read(env: Env, diags: &mut Vec<Diagnostic>) -> Vec<Intro> {
    env.inv
        .intros
        .iter()
        .filter_map(|src| read_one(src, env, diags))
        .collect()
}

fn read_one(src: &IntroSource, env: Env, diags: &mut Vec<Diagnostic>) -> Option<Intro> {
    let path = format!("content/{}", src.file.path);
    let vocab = env.config.vocab.get(src.kind);
    let Some(term) = vocab.position(&src.key) else {
        diags.push(
            Diagnostic::error(
                &path,
                1,
                1,
                format!(
                    "`{}` is not a key of {}: this introduction has no page to open",
                    src.key,
                    src.kind.name()
                ),
            )
            .with_help_opt(
                did_you_mean(&src.key, vocab.keys()).map(|h| format!("rename the file: {h}")),
            ),
        );
        return None;
    };
    let text = read_text(&src.file.abs, &path, diags)?;
    let Ok(split) = fences::split(&text) else {
        diags.push(
            Diagnostic::error(&path, 1, 1, "the file does not start with front matter")
                .with_help("start it with `---`, a line `sources: [<key>]`, and `---`"),
        );
        return None;
    };
    let root = match yaml::parse_all(split.yaml) {
        Ok(n) => n,
        Err(errors) => {
            diags.extend(
                errors
                    .into_iter()
                    .map(|e| e.diagnostic(&path, YAML_LINE_OFFSET)),
            );
            return None;
        }
    };
    let mut f = Fields::new(
        &path,
        YAML_LINE_OFFSET,
        &root,
        FIELDS,
        "an introduction's front matter",
        diags,
    );
    let mut sources = Vec::new();
    for s in f.string_list("sources").unwrap_or_default() {
        if env.inv.sources.contains_key(&s.value) {
            sources.push(s.value);
        } else {
            let d = Diagnostic::error(
                &path,
                s.line,
                s.column,
                format!("there is no source `{}`", s.value),
            )
            .with_help_opt(did_you_mean(
                &s.value,
                env.inv.sources.keys().map(String::as_str),
            ));
            f.diags.push(d);
        }
    }
    let translation = f.string("translation").and_then(|t| {
        if TRANSLATION_STATES.contains(&t.value.as_str()) {
            return Some(t.value);
        }
        let d = Diagnostic::error(
            &path,
            t.line,
            t.column,
            format!("`{}` is not one of the values of `translation`", t.value),
        )
        .with_help(format!("write one of: {}", TRANSLATION_STATES.join(", ")));
        f.diags.push(d);
        None
    });
    // Rendered as the term's page: relative links are written from there.
    let this = DocKey::Page(format!("{}/{}", src.kind.segment(), src.key));
    let dir = src.kind.segment().to_string();
    let cx = markdown::Context {
        path: &path,
        dir: &dir,
        line_offset: split.body_line_offset,
        this: &this,
        docs: &env.inv.doc_paths,
        files: &env.inv.file_paths,
        urls: env.urls,
        content_dir: &env.inv.content_dir,
        reserved_ids: env.reserved_ids,
    };
    let body = Arc::new(markdown::render(split.body, &cx, diags));
    Some(Intro {
        path,
        kind: src.kind,
        term,
        lang: src.lang,
        sources,
        translation,
        body,
    })
}
