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

/// The key of `kind` that `written` means: the key itself, or written another clear way (`PCMW
/// 3`, `Hywel Dda`, `cardiff` when only one key starts so). Otherwise what to write instead.
pub fn key_for(kind: Kind, written: &str, vocab: &Vocabularies) -> Result<String, String> {
    let v = vocab.get(kind);
    let written = written.trim();
    if v.position(written).is_some() {
        return Ok(written.to_string());
    }
    let slug = crate::slug::anchor(written);
    let names = |t: &crate::vocab::Term| -> Vec<String> {
        let mut n = vec![
            t.key.clone(),
            crate::slug::anchor(&t.label[Lang::En]),
            crate::slug::anchor(&t.label[Lang::Cy]),
        ];
        n.extend(t.code.as_deref().map(crate::slug::anchor));
        n
    };
    if let Some(t) = v.terms.iter().find(|t| names(t).contains(&slug)) {
        return Ok(t.key.clone());
    }
    if slug.len() >= 3 {
        let starting: Vec<&crate::vocab::Term> = v
            .terms
            .iter()
            .filter(|t| names(t).iter().any(|n| n.starts_with(&slug)))
            .collect();
        match starting.as_slice() {
            [one] => return Ok(one.key.clone()),
            [_, _, ..] => {
                let keys: Vec<&str> = starting.iter().map(|t| t.key.as_str()).collect();
                return Err(format!(
                    "`{written}` could be any of {} in {}; write one",
                    keys.join(", "),
                    kind.name()
                ));
            }
            [] => {}
        }
    }
    let hint = did_you_mean(&slug, v.keys())
        .unwrap_or_else(|| format!("one of: {}", v.keys().collect::<Vec<_>>().join(", ")));
    Err(format!(
        "`{written}` is not a key of {}; {hint}",
        kind.name()
    ))
}

/// Checks every choice given, turning clear variants into keys; every problem at once.
pub fn normalise(spec: &mut NewStudy, vocab: &Vocabularies) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    if !is_slug(&spec.slug) {
        errors.push(format!(
            "`{}` is not a valid slug: use lower-case letters, digits and single hyphens, e.g. `{}`",
            spec.slug,
            suggest(&spec.slug)
        ));
    }
    let one = |kind: Kind, value: &mut Option<String>, errors: &mut Vec<String>| {
        if let Some(v) = value.as_deref() {
            match key_for(kind, v, vocab) {
                Ok(k) => *value = Some(k),
                Err(e) => errors.push(e),
            }
        }
    };
    one(Kind::Regions, &mut spec.region, &mut errors);
    one(Kind::Statuses, &mut spec.status, &mut errors);
    for (kind, list) in [
        (Kind::Outcomes, &mut spec.outcomes),
        (Kind::Themes, &mut spec.themes),
        (Kind::Collaboratives, &mut spec.collaboratives),
    ] {
        let mut keys = Vec::new();
        for written in list.iter().filter(|w| !w.trim().is_empty()) {
            match key_for(kind, written, vocab) {
                Ok(k) if !keys.contains(&k) => keys.push(k),
                Ok(_) => {}
                Err(e) => errors.push(e),
            }
        }
        *list = keys;
    }
    let regions = vocab.get(Kind::Regions);
    let board = spec.region.as_deref().and_then(|r| regions.position(r));
    let mut clusters = Vec::new();
    for written in spec.cluster.iter().filter(|w| !w.trim().is_empty()) {
        // A cluster's name or alias is as clear as its key.
        match vocab.clusters.resolve(written.trim(), board, regions) {
            Ok((i, _)) => clusters.push(vocab.clusters.list[i].key.clone()),
            Err((message, help)) => errors.push(format!("{message}; {help}")),
        }
    }
    spec.cluster = clusters;
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Asks, in a terminal, for the required choices not given as flags: menus filter as you
/// type, and nothing is written before the contributor has seen the choices and said yes.
pub fn prompt_missing(spec: &mut NewStudy, vocab: &Vocabularies) -> Result<(), String> {
    use dialoguer::{Confirm, FuzzySelect, Input};
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
    let menu = |prompt: &str, items: &[String]| -> Result<usize, String> {
        FuzzySelect::new()
            .with_prompt(format!(
                "{prompt} (type to filter, ↑↓ to move, Enter to choose)"
            ))
            .items(items)
            .default(0)
            .interact()
            .map_err(err)
    };
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
        let i = menu("Health board", &labels(Kind::Regions))?;
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
            let mut items = vec!["None: work across the whole board".to_string()];
            items.extend(
                clusters
                    .iter()
                    .map(|&c| vocab.clusters.list[c].name[Lang::En].clone()),
            );
            let i = menu("Cluster", &items)?;
            if i > 0 {
                spec.cluster = vec![vocab.clusters.list[clusters[i - 1]].key.clone()];
            }
        }
    }
    if spec.outcomes.is_empty() {
        eprintln!("Outcomes:");
        for label in labels(Kind::Outcomes) {
            eprintln!("  {label}");
        }
        let written: String = Input::new()
            .with_prompt("Outcomes it serves, separated by commas (e.g. PCMW 3, ACD 4)")
            .validate_with(|s: &String| -> Result<(), String> {
                let keys: Vec<&str> = s.split(',').filter(|w| !w.trim().is_empty()).collect();
                if keys.is_empty() {
                    return Err("name at least one outcome".into());
                }
                keys.iter()
                    .try_for_each(|w| key_for(Kind::Outcomes, w, vocab).map(|_| ()))
            })
            .interact_text()
            .map_err(err)?;
        spec.outcomes = written
            .split(',')
            .filter(|w| !w.trim().is_empty())
            .filter_map(|w| key_for(Kind::Outcomes, w, vocab).ok())
            .collect();
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
        let i = menu("Where the work has got to", &items)?;
        spec.status = Some(key(Kind::Statuses, i));
    }
    let label = |kind: Kind, k: &str| {
        vocab.get(kind).position(k).map_or_else(
            || k.to_string(),
            |i| vocab.term(kind, i).label[Lang::En].clone(),
        )
    };
    eprintln!();
    eprintln!("  Title:        {}", spec.title.as_deref().unwrap_or(""));
    eprintln!("  Summary:      {}", spec.summary.as_deref().unwrap_or(""));
    eprintln!(
        "  Health board: {}",
        spec.region
            .as_deref()
            .map(|r| label(Kind::Regions, r))
            .unwrap_or_default()
    );
    eprintln!(
        "  Cluster:      {}",
        if spec.cluster.is_empty() {
            "none (work across the board)".to_string()
        } else {
            spec.cluster
                .iter()
                .map(|c| label(Kind::Clusters, c))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    eprintln!("  Outcomes:     {}", spec.outcomes.join(", "));
    eprintln!(
        "  Status:       {}",
        spec.status
            .as_deref()
            .map(|s| label(Kind::Statuses, s))
            .unwrap_or_default()
    );
    let yes = Confirm::new()
        .with_prompt(format!(
            "Write content/case-studies/{}.md with these?",
            spec.slug
        ))
        .default(true)
        .interact()
        .map_err(err)?;
    if !yes {
        return Err("nothing was written; run `hub new` again to start over".into());
    }
    Ok(())
}

/// Writes `content/case-studies/<slug>.md` under `root`. Returns the path written.
pub fn new_study(root: &Path, spec: &NewStudy, vocab: &Vocabularies) -> Result<PathBuf, String> {
    if !root.join(crate::config::CONFIG_PATH).is_file() {
        return Err(format!(
            "{} is not a hub: it has no {}; run `hub new` in the hub's folder, or give `--root`",
            root.display(),
            crate::config::CONFIG_PATH
        ));
    }
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
