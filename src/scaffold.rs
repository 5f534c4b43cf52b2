//! `hub new`: a new case study with every field present and explained, so a contributor only
//! fills in the blanks. Choices given as flags are checked against the hub's vocabularies; in a
//! terminal, missing choices are asked for, offered by label.

use crate::diagnostics::did_you_mean;
use crate::lang::Lang;
use crate::schema::{self, FieldKind, Required};
use crate::slug::{is_slug, suggest};
use crate::vocab::{Kind, Vocabularies};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What the contributor has said about the new study so far (the flags of `hub new`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct NewStudy {
    /// The slug: lower-case words joined by `-`, e.g. `healthy-homes`.
    pub slug: String,
    /// The study's title.
    #[arg(long)]
    pub title: Option<String>,
    /// One or two sentences on what was done and what it achieved.
    #[arg(long)]
    pub summary: Option<String>,
    /// The health board, e.g. `powys`.
    #[arg(long)]
    pub region: Option<String>,
    /// Outcome keys, comma-separated, e.g. `pcmw-3,acd-4`.
    #[arg(long, value_delimiter = ',')]
    pub outcomes: Vec<String>,
    /// Theme keys, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub themes: Vec<String>,
    /// Mainstreaming status, e.g. `pilot`.
    #[arg(long)]
    pub status: Option<String>,
    /// Cluster keys of the health board, comma-separated (none for board-wide work).
    #[arg(long, value_delimiter = ',')]
    pub cluster: Vec<String>,
    /// Collaborative keys, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub collaboratives: Vec<String>,
}

/// The hub's vocabularies: built-in, with hub.yaml's overrides when it can be read.
pub fn vocabularies(root: &Path) -> Vocabularies {
    std::fs::read_to_string(root.join(crate::config::CONFIG_PATH))
        .ok()
        .and_then(|t| crate::config::parse(&t, Some("https://example.invalid/"), &mut Vec::new()))
        .map_or_else(Vocabularies::default, |c| c.vocab)
}

/// Checks every key given against its vocabulary.
pub fn validate(spec: &NewStudy, vocab: &Vocabularies) -> Result<(), String> {
    if !is_slug(&spec.slug) {
        return Err(format!(
            "`{}` is not a valid slug: use lower-case letters, digits and single hyphens, e.g. `{}`",
            spec.slug,
            suggest(&spec.slug)
        ));
    }
    let check = |kind: Kind, key: &str| -> Result<(), String> {
        let v = vocab.get(kind);
        if v.position(key).is_some() {
            return Ok(());
        }
        let hint = did_you_mean(key, v.keys())
            .unwrap_or_else(|| format!("one of: {}", v.keys().collect::<Vec<_>>().join(", ")));
        Err(format!("`{key}` is not a key of {}; {hint}", kind.name()))
    };
    let regions = vocab.get(Kind::Regions);
    let board = spec.region.as_deref().and_then(|r| regions.position(r));
    for written in &spec.cluster {
        match vocab.clusters.resolve(written, board, regions) {
            Ok((_, None)) => {}
            Ok((i, Some((message, _)))) => {
                return Err(format!(
                    "{message}: use `--cluster {}`",
                    vocab.clusters.list[i].key
                ));
            }
            Err((message, help)) => return Err(format!("{message}; {help}")),
        }
    }
    for (kind, keys) in [
        (Kind::Regions, spec.region.iter().collect::<Vec<_>>()),
        (Kind::Outcomes, spec.outcomes.iter().collect()),
        (Kind::Themes, spec.themes.iter().collect()),
        (Kind::Statuses, spec.status.iter().collect()),
        (Kind::Collaboratives, spec.collaboratives.iter().collect()),
    ] {
        for key in keys {
            check(kind, key)?;
        }
    }
    Ok(())
}

/// Asks, in a terminal, for the required choices not given as flags, offering labels.
pub fn prompt_missing(spec: &mut NewStudy, vocab: &Vocabularies) -> Result<(), String> {
    use dialoguer::{Input, MultiSelect, Select};
    let err = |e: dialoguer::Error| e.to_string();
    let labels = |kind: Kind| {
        vocab
            .get(kind)
            .terms
            .iter()
            .map(|t| match &t.code {
                Some(code) => format!("{code} {}", t.label[Lang::En]),
                None => t.label[Lang::En].clone(),
            })
            .collect::<Vec<_>>()
    };
    let key = |kind: Kind, i: usize| vocab.term(kind, i).key.clone();
    if spec.title.is_none() {
        spec.title = Some(
            Input::new()
                .with_prompt("Title")
                .default(title_from_slug(&spec.slug))
                .interact_text()
                .map_err(err)?,
        );
    }
    if spec.summary.is_none() {
        spec.summary = Some(
            Input::new()
                .with_prompt("Summary (one or two sentences)")
                .interact_text()
                .map_err(err)?,
        );
    }
    if spec.region.is_none() {
        let i = Select::new()
            .with_prompt("Health board")
            .items(labels(Kind::Regions))
            .default(0)
            .interact()
            .map_err(err)?;
        spec.region = Some(key(Kind::Regions, i));
    }
    let board = spec
        .region
        .as_deref()
        .and_then(|r| vocab.get(Kind::Regions).position(r));
    if let Some(b) = board
        && spec.cluster.is_empty()
    {
        let clusters: Vec<usize> = vocab
            .clusters
            .of_board(b)
            .filter(|&c| !vocab.clusters.list[c].retired)
            .collect();
        if !clusters.is_empty() {
            let chosen = MultiSelect::new()
                .with_prompt(
                    "Clusters (space to choose, enter when done; choose none for work across the board)",
                )
                .items(
                    clusters
                        .iter()
                        .map(|&c| vocab.clusters.list[c].name[Lang::En].clone())
                        .collect::<Vec<_>>(),
                )
                .interact()
                .map_err(err)?;
            spec.cluster = chosen
                .into_iter()
                .map(|i| vocab.clusters.list[clusters[i]].key.clone())
                .collect();
        }
    }
    while spec.outcomes.is_empty() {
        let chosen = MultiSelect::new()
            .with_prompt("Outcomes it serves (space to choose, enter when done; at least one)")
            .items(labels(Kind::Outcomes))
            .interact()
            .map_err(err)?;
        spec.outcomes = chosen.into_iter().map(|i| key(Kind::Outcomes, i)).collect();
    }
    if spec.status.is_none() {
        let items: Vec<String> = vocab
            .get(Kind::Statuses)
            .terms
            .iter()
            .map(|t| {
                format!(
                    "{} – {}",
                    t.label[Lang::En],
                    t.description.as_ref().map_or("", |d| d.str(Lang::En))
                )
            })
            .collect();
        let i = Select::new()
            .with_prompt("Where the work has got to")
            .items(&items)
            .default(0)
            .interact()
            .map_err(err)?;
        spec.status = Some(key(Kind::Statuses, i));
    }
    Ok(())
}

/// Writes `content/case-studies/<slug>.md` under `root`. Returns the path written.
pub fn new_study(root: &Path, spec: &NewStudy, vocab: &Vocabularies) -> Result<PathBuf, String> {
    validate(spec, vocab)?;
    let dir = root.join("content").join("case-studies");
    let path = dir.join(format!("{}.md", spec.slug));
    if path.exists() || dir.join(&spec.slug).join("index.md").exists() {
        return Err(format!("a case study `{}` already exists", spec.slug));
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    std::fs::write(&path, template(spec, vocab))
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
        let _ = writeln!(s, "#   {:<28} {}", t.key, t.label[Lang::En]);
    }
    s
}

/// The clusters to choose from: the board's, once it is known, else every board's.
fn cluster_choices(vocab: &Vocabularies, spec: &NewStudy) -> String {
    let regions = vocab.get(Kind::Regions);
    let board = spec.region.as_deref().and_then(|r| regions.position(r));
    let mut s = String::new();
    for b in 0..regions.terms.len() {
        if board.is_some_and(|x| x != b) {
            continue;
        }
        let _ = writeln!(s, "#   {}:", regions.terms[b].label[Lang::En]);
        for c in vocab.clusters.of_board(b) {
            let c = &vocab.clusters.list[c];
            if !c.retired {
                let _ = writeln!(s, "#     {:<26} {}", c.key, c.name[Lang::En]);
            }
        }
    }
    s
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn list(keys: &[String]) -> String {
    format!("[{}]", keys.join(", "))
}

/// The scaffold text: every field of [`schema::STUDY`], each with its help in plain words (and
/// for vocabularies, the keys to choose from), filled in with what the contributor has said.
pub fn template(spec: &NewStudy, vocab: &Vocabularies) -> String {
    let mut out = String::from("---\n");
    for field in schema::STUDY {
        let required = field.required != Required::No;
        let _ = write!(
            out,
            "# {}{}",
            if required && field.required == Required::Primary {
                "REQUIRED. "
            } else {
                ""
            },
            field.help
        );
        let value = match (field.name, field.kind) {
            ("title", _) => quote(
                &spec
                    .title
                    .clone()
                    .unwrap_or_else(|| title_from_slug(&spec.slug)),
            ),
            ("summary", _) => quote(spec.summary.as_deref().unwrap_or("")),
            ("region", _) => spec.region.clone().unwrap_or_default(),
            ("status", _) => spec.status.clone().unwrap_or_default(),
            ("cluster", _) if spec.cluster.is_empty() => String::new(),
            ("cluster", _) => list(&spec.cluster),
            ("outcomes", _) => list(&spec.outcomes),
            ("themes", _) => list(&spec.themes),
            ("collaboratives", _) => list(&spec.collaboratives),
            ("draft", _) => "false".to_string(),
            (_, FieldKind::Texts | FieldKind::Terms(_) | FieldKind::Slugs) => "[]".to_string(),
            _ => String::new(),
        };
        match field.kind {
            FieldKind::Terms(Kind::Clusters) => {
                let _ = write!(out, " The clusters:\n{}", cluster_choices(vocab, spec));
            }
            FieldKind::Term(kind) | FieldKind::Terms(kind) => {
                let _ = write!(out, " The {}:\n{}", kind.name(), choices(vocab, kind));
            }
            _ => out.push('\n'),
        }
        let sep = if value.is_empty() { "" } else { " " };
        let _ = writeln!(out, "{}:{sep}{value}", field.name);
    }
    out.push_str(
        "---

## What was done

## What it achieved

## What helped and what got in the way

## Mainstreaming and spread
",
    );
    out
}
