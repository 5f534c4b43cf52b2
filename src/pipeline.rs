//! The pipeline, one direction: read the sources → read every document → assemble the site
//! model → render → write. `hub build` runs it to disk, `hub check` runs it without writing, and
//! `hub serve` runs the same steps (its session keeps their results to redo only what changed).

use crate::content::document::{self, DocResult, LoadedDoc};
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::lang::Lang;
use crate::model::Site;
use crate::output::{self, OutputFile};
use crate::render::{RenderError, RenderOptions, Renderer};
use crate::sources::{self, SourceDiags, Sources};
use crate::theme::Theme;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Why a command failed, mapped to the exit status by `main`.
#[derive(Debug)]
pub enum Failure {
    /// Content errors (exit 1), with any warnings, sorted.
    Content(Vec<Diagnostic>),
    /// Bad usage or an I/O problem (exit 2).
    Usage(String),
}

impl From<output::OutputError> for Failure {
    fn from(e: output::OutputError) -> Self {
        Failure::Usage(e.to_string())
    }
}

impl From<RenderError> for Failure {
    fn from(e: RenderError) -> Self {
        match e {
            RenderError::Content(d) => fail(d),
            RenderError::Write(msg) => Failure::Usage(msg),
        }
    }
}

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The hub root.
    pub root: PathBuf,
    /// Overrides `base_url` from hub.yaml.
    pub base_url: Option<String>,
    /// Publish drafts too.
    pub drafts: bool,
    /// Fail if any published study or page lacks a Welsh translation (or a reviewed one).
    pub require_welsh: Option<RequireWelsh>,
    /// Publish theme stylesheets and scripts as written, not minified: `hub serve` serves an
    /// edited stylesheet under its old name, and a person reading it wants it readable.
    pub readable_assets: bool,
}

/// A loaded, validated hub, ready to render.
#[derive(Debug)]
pub struct Loaded {
    /// The site model.
    pub site: Site,
    /// The theme.
    pub theme: Theme,
    /// Warnings found while loading.
    pub warnings: Vec<Diagnostic>,
}

/// Step 1: the sources of the hub `opts` names.
pub fn read_sources(opts: &BuildOptions) -> Result<(Sources, SourceDiags), Failure> {
    sources::read(&opts.root, opts.base_url.as_deref(), !opts.readable_assets)
        .map_err(Failure::Usage)
}

/// Step 2: every document, read and rendered in parallel, each with its own diagnostics.
pub fn read_documents(sources: &Sources) -> Vec<DocResult> {
    document::load_all(sources.doc_env())
}

/// Step 3: the site model from the sources and documents; fails if any diagnostic so far (the
/// sources', the documents', the site's own) is an error.
pub fn assemble<'d>(
    sources: &Sources,
    docs: impl IntoIterator<Item = &'d LoadedDoc>,
    drafts: bool,
    mut diags: Vec<Diagnostic>,
) -> Result<(Site, Vec<Diagnostic>), Failure> {
    let known: HashSet<String> = sources
        .inventory
        .docs
        .iter()
        .filter_map(|d| match &d.key {
            crate::urls::DocKey::Study(slug) => Some(slug.clone()),
            crate::urls::DocKey::Page(_) => None,
        })
        .collect();
    let site = crate::site::build(sources, docs, &known, drafts, &mut diags);
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(fail(diags));
    }
    diagnostics::sort(&mut diags);
    Ok((site, diags))
}

/// Steps 1 to 3: loads and validates the hub at `opts.root`, every content error of the whole
/// hub in one run.
pub fn load(opts: &BuildOptions) -> Result<Loaded, Failure> {
    crate::timings::start();
    let (sources, source_diags) = read_sources(opts)?;
    crate::timings::done("sources read");
    let docs = read_documents(&sources);
    crate::timings::done("documents parsed");
    let mut diags: Vec<Diagnostic> = source_diags.all().cloned().collect();
    let docs: Vec<LoadedDoc> = docs
        .into_iter()
        .filter_map(|(doc, d)| {
            diags.extend(d);
            doc
        })
        .collect();
    let (site, warnings) = assemble(&sources, &docs, opts.drafts, diags)?;
    crate::timings::done("site assembled");
    Ok(Loaded {
        site,
        theme: sources.theme,
        warnings,
    })
}

/// Sorts diagnostics into a content failure.
pub fn fail(mut diags: Vec<Diagnostic>) -> Failure {
    diagnostics::sort(&mut diags);
    diags.dedup();
    Failure::Content(diags)
}

/// Step 4: renders every file of a site with a theme, in memory.
pub fn render_site(
    site: &Site,
    theme: &Theme,
    options: &RenderOptions,
) -> Result<Vec<OutputFile>, Failure> {
    let renderer = Renderer::new(site, theme, options).map_err(fail)?;
    let files = renderer.render_all()?;
    let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    check_collisions(site, &paths).map_err(fail)?;
    Ok(files)
}

/// `hub check`: every step but writing. Returns the loaded hub (for its warnings).
pub fn check(opts: &BuildOptions) -> Result<Loaded, Failure> {
    let loaded = load(opts)?;
    render_site(&loaded.site, &loaded.theme, &RenderOptions::default())?;
    Ok(loaded)
}

/// `hub build`: every step, writing the site to `out` (all of it, or nothing). Returns the
/// warnings.
pub fn build(opts: &BuildOptions, out: &Path) -> Result<Vec<Diagnostic>, Failure> {
    output::check_target(&opts.root, out)?;
    let loaded = load(opts)?;
    if let Some(level) = opts.require_welsh {
        let missing = require_welsh(&loaded.site, level);
        if !missing.is_empty() {
            return Err(fail(missing));
        }
    }
    let renderer =
        Renderer::new(&loaded.site, &loaded.theme, &RenderOptions::default()).map_err(fail)?;
    let staging = output::Staging::new(out)?;
    let paths = renderer.render_each(&|f| staging.write(&f).map_err(|e| e.to_string()))?;
    check_collisions(&loaded.site, &paths).map_err(fail)?;
    crate::timings::done("pages rendered and written");
    staging.commit()?;
    crate::timings::done("committed");
    Ok(loaded.warnings)
}

/// A content file published at the same path as a generated file is an error.
pub fn check_collisions(site: &Site, paths: &[String]) -> Result<(), Vec<Diagnostic>> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut errors = Vec::new();
    for p in paths {
        *seen.entry(p.as_str()).or_default() += 1;
    }
    for f in &site.files {
        if seen.get(f.path.as_str()).copied().unwrap_or(0) > 1 {
            errors.push(
                Diagnostic::error(
                    &format!("content/{}", f.path),
                    1,
                    1,
                    format!("`{}` is also a file hub generates", f.path),
                )
                .with_help("rename or move this file"),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// How much Welsh `--require-welsh` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RequireWelsh {
    /// Every study and page has a Welsh translation, draft or reviewed.
    Translated,
    /// Every one has a Welsh translation a Welsh speaker has reviewed.
    Reviewed,
}

/// An error for every published study or page without a Welsh translation, and with `Reviewed`
/// for every Welsh translation still a draft (`--require-welsh[=reviewed]`).
pub fn require_welsh(site: &Site, level: RequireWelsh) -> Vec<Diagnostic> {
    let c = site.coverage();
    let drafts: Vec<Diagnostic> = match level {
        RequireWelsh::Translated => Vec::new(),
        RequireWelsh::Reviewed => c
            .drafts
            .iter()
            .map(|d| {
                Diagnostic::error(
                    &d.source,
                    1,
                    1,
                    "this Welsh translation is a draft, and --require-welsh=reviewed is set",
                )
                .with_help("once a Welsh speaker has reviewed it, write `translation: reviewed` in its front matter")
            })
            .collect(),
    };
    c.missing
        .into_iter()
        .filter(|m| m.missing == Lang::Cy)
        .map(|m| {
            let twin = m
                .source
                .strip_suffix(".md")
                .map_or_else(|| m.source.clone(), |s| format!("{s}.cy.md"));
            Diagnostic::error(
                &m.source,
                1,
                1,
                "this has no Welsh translation, and --require-welsh is set",
            )
            .with_help(format!("add {twin} with its Welsh title, summary and text"))
        })
        .chain(drafts)
        .collect()
}

/// One line on how much is in Welsh and what awaits review, for `hub check`.
pub fn welsh_summary(loaded: &Loaded) -> String {
    let c = loaded.site.coverage();
    let unreviewed = loaded.theme.unreviewed_welsh();
    let vocabularies = unreviewed
        .iter()
        .filter(|u| u.starts_with("vocabulary:"))
        .count();
    format!(
        "Welsh: {} of {} case studies and {} of {} pages translated; {} UI strings and {} vocabularies await review by a Welsh speaker (`_unreviewed` in the theme's i18n/cy.yaml)",
        c.studies_cy,
        c.studies,
        c.pages_cy,
        c.pages,
        unreviewed.len() - vocabularies,
        vocabularies
    )
}
