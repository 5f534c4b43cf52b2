//! `hub new`: a new case study with every field present and explained, so a contributor only
//! fills in the blanks.

use crate::slug::{is_slug, suggest};
use crate::vocab::{Kind, Vocabularies};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Writes `content/case-studies/<slug>.md` under `root`. Returns the path written.
pub fn new_study(root: &Path, slug: &str, title: Option<&str>) -> Result<PathBuf, String> {
    if !is_slug(slug) {
        return Err(format!(
            "`{slug}` is not a valid slug: use lower-case letters, digits and single hyphens, e.g. `{}`",
            suggest(slug)
        ));
    }
    let dir = root.join("content").join("case-studies");
    let path = dir.join(format!("{slug}.md"));
    if path.exists() || dir.join(slug).join("index.md").exists() {
        return Err(format!("a case study `{slug}` already exists"));
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let title = title.map_or_else(|| title_from_slug(slug), str::to_string);
    std::fs::write(&path, template(&title, &Vocabularies::default()))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

fn title_from_slug(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut c = words.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

fn choices(vocab: &Vocabularies, kind: Kind) -> String {
    let mut s = String::new();
    for t in &vocab.get(kind).terms {
        let _ = writeln!(s, "#   {:<28} {}", t.key, t.label.en);
    }
    s
}

fn yaml_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The scaffold text: every field, each with a comment in plain words.
pub fn template(title: &str, vocab: &Vocabularies) -> String {
    format!(
        "---
# The name of the project, as people know it.
title: {title}
# One or two sentences: what was done and what it achieved. Shown in listings and search.
summary: \"\"
# REQUIRED. The health board, one of:
{regions}region:
# The cluster (free text), e.g. North Powys.
cluster:
# REQUIRED. At least one outcome the work serves, e.g. [pcmw-3, acd-4]. The outcomes:
{outcomes}outcomes: []
# Peer-review themes (optional), e.g. [partnership-working]. The themes:
{themes}themes: []
# REQUIRED. Where the work is in its life, one of:
{statuses}status:
# The peer-review cycle, written YYYY/YY, e.g. 2023/24.
year:
# The date of the last substantive update, written YYYY-MM-DD.
updated:
# Partner organisations, one per line, e.g. - Local Authority
partners: []
# How it is funded, e.g. cluster funding, health board, CIC.
funding:
# Who to contact: a role or team mailbox, only with their consent. Never a patient.
contact:
# What evaluation exists (one paragraph; Markdown allowed). Say so if there is none yet.
evidence:
# Professional collaboratives involved (optional), e.g. [gms, community-pharmacy]:
{collaboratives}collaboratives: []
# Other case studies to link to, by their file name without .md, e.g. [physio-first].
related: []
# true keeps the study out of the published site until it is ready.
draft: true
---

## What was done

## What it achieved

## What helped and what got in the way

## Mainstreaming and spread
",
        title = yaml_quote(title),
        regions = choices(vocab, Kind::Regions),
        outcomes = choices(vocab, Kind::Outcomes),
        themes = choices(vocab, Kind::Themes),
        statuses = choices(vocab, Kind::Statuses),
        collaboratives = choices(vocab, Kind::Collaboratives),
    )
}
