//! hub: a static site generator for a bilingual peer-review knowledge hub of primary-care case
//! studies. The pipeline reads top to bottom:
//!
//! load (`config`, `content`) → validate and model (`site` → `model::Site`) → render (`render`)
//! → write (`output`). `hub serve` wraps the same pipeline; it does not fork it.
#![warn(missing_docs)]

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod elsewhere;
pub mod lang;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod theme;
pub mod timings;
pub mod urls;
pub mod vocab;
pub mod yaml;

use diagnostics::{Diagnostic, Severity};
use model::Site;
use output::OutputFile;
use render::{RenderOptions, Renderer};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use theme::Theme;

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

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The hub root.
    pub root: PathBuf,
    /// Overrides `base_url` from hub.yaml.
    pub base_url: Option<String>,
    /// Publish drafts too.
    pub drafts: bool,
    /// Fail if any published study or page lacks a Welsh translation.
    pub require_welsh: bool,
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

/// The hub's sources before the Markdown is read: settings, theme and the list of files.
#[derive(Debug)]
pub struct Sources {
    /// Settings and vocabularies.
    pub config: config::Config,
    /// The theme.
    pub theme: Theme,
    /// The files under content/.
    pub inventory: content::Inventory,
    /// The URL scheme.
    pub urls: urls::Urls,
    /// Peer-review actions.
    pub actions: Vec<content::actions::ActionFile>,
    /// Today, `YYYY-MM-DD` (UTC; `SOURCE_DATE_EPOCH` when set, for reproducible builds): actions
    /// due before it are overdue.
    pub today: String,
}

impl Sources {
    /// What reading a document needs from the sources.
    pub fn doc_env(&self) -> content::document::Env<'_> {
        content::document::Env {
            inv: &self.inventory,
            config: &self.config,
            urls: &self.urls,
            reserved_ids: &self.theme.ids,
        }
    }
}

/// Today's date, `YYYY-MM-DD`, from `SOURCE_DATE_EPOCH` when set.
pub fn today() -> String {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    now.to_zoned(jiff::tz::TimeZone::UTC).date().to_string()
}

/// Reads hub.yaml, the theme and the list of content files. Problems go into `diags`.
pub fn read_sources(opts: &BuildOptions, diags: &mut Vec<Diagnostic>) -> Result<Sources, Failure> {
    let root = &opts.root;
    if !root.join("content").is_dir() {
        return Err(Failure::Usage(format!(
            "{} has no content/ folder: is it a hub root? (pass --root DIR)",
            root.display()
        )));
    }
    let config_text =
        content::read_text(&root.join(config::CONFIG_PATH), config::CONFIG_PATH, diags);
    let config = config_text.and_then(|t| config::parse(&t, opts.base_url.as_deref(), diags));
    let inventory = content::walk(root, diags)
        .map_err(|e| Failure::Usage(format!("cannot read content/: {e}")))?;
    // With a broken hub.yaml, content is still checked against the built-in vocabularies so
    // that one run reports every error of the hub.
    let config = config.unwrap_or_else(config::Config::fallback);
    let theme = theme::load(root, &config.theme, !opts.readable_assets, diags)
        .map_err(|e| Failure::Usage(format!("cannot read the theme: {e}")))?;
    let urls = urls::Urls::new(config.base_path(), config.default_lang());
    let actions = inventory
        .actions
        .iter()
        .filter_map(|f| {
            let path = format!("content/{}", f.path);
            let text = content::read_text(&f.abs, &path, diags)?;
            content::actions::parse(&path, &text, &config.vocab, diags)
        })
        .collect();
    Ok(Sources {
        config,
        theme,
        inventory,
        urls,
        actions,
        today: today(),
    })
}

/// Builds the site model from loaded documents; fails if any diagnostic so far is an error.
pub fn assemble<'d>(
    sources: &Sources,
    docs: impl IntoIterator<Item = &'d content::document::LoadedDoc>,
    drafts: bool,
    mut diags: Vec<Diagnostic>,
) -> Result<(Site, Vec<Diagnostic>), Failure> {
    let known: std::collections::HashSet<String> = sources
        .inventory
        .docs
        .iter()
        .filter_map(|d| match &d.key {
            urls::DocKey::Study(slug) => Some(slug.clone()),
            urls::DocKey::Page(_) => None,
        })
        .collect();
    let site = site::assemble(sources, docs, &known, drafts, &mut diags);
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(fail(diags));
    }
    diagnostics::sort(&mut diags);
    Ok((site, diags))
}

/// Loads and validates the hub at `opts.root`: every content error of the whole hub in one run.
pub fn load(opts: &BuildOptions) -> Result<Loaded, Failure> {
    crate::timings::start();
    let mut diags = Vec::new();
    let sources = read_sources(opts, &mut diags)?;
    crate::timings::done("sources read");
    let docs = content::document::load(sources.doc_env(), &mut diags);
    crate::timings::done("documents parsed");
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

/// Renders every file of a loaded hub.
pub fn render(loaded: &Loaded, options: &RenderOptions) -> Result<Vec<OutputFile>, Failure> {
    render_site(&loaded.site, &loaded.theme, options)
}

/// Renders every file of a site with a theme.
pub fn render_site(
    site: &Site,
    theme: &Theme,
    options: &RenderOptions,
) -> Result<Vec<OutputFile>, Failure> {
    let renderer = Renderer::new(site, theme, options).map_err(fail)?;
    let files = renderer.render_all().map_err(fail)?;
    let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    check_collisions(site, &paths).map_err(fail)?;
    Ok(files)
}

/// A content file published at the same path as a generated file is an error.
fn check_collisions(site: &Site, paths: &[String]) -> Result<(), Vec<Diagnostic>> {
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

/// An error for every published study or page without a Welsh translation (`--require-welsh`).
pub fn require_welsh(site: &Site) -> Vec<Diagnostic> {
    site.coverage()
        .missing
        .into_iter()
        .filter(|m| m.missing == lang::Lang::Cy)
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

/// `hub build`: load, render and write the site to `out`. Returns the warnings.
pub fn build(opts: &BuildOptions, out: &Path) -> Result<Vec<Diagnostic>, Failure> {
    output::check_target(&opts.root, out)?;
    let loaded = load(opts)?;
    if opts.require_welsh {
        let missing = require_welsh(&loaded.site);
        if !missing.is_empty() {
            return Err(fail(missing));
        }
    }
    let renderer =
        Renderer::new(&loaded.site, &loaded.theme, &RenderOptions::default()).map_err(fail)?;
    let staging = output::Staging::new(out)?;
    let paths = renderer
        .render_each(&|f| staging.write(&f).map_err(|e| e.to_string()))
        .map_err(fail)?;
    check_collisions(&loaded.site, &paths).map_err(fail)?;
    crate::timings::done("pages rendered and written");
    staging.commit()?;
    crate::timings::done("committed");
    Ok(loaded.warnings)
}
