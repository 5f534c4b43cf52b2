//! The load stage: a hub root's settings, theme, files and peer-review actions, read once, with
//! the problems of each stage kept apart so that `hub serve` can read one again without losing
//! the others'.

use crate::config::{self, Config};
use crate::content::{self, Inventory, actions::ActionFile};
use crate::diagnostics::Diagnostic;
use crate::theme::{self, Theme};
use crate::urls::Urls;
use std::path::Path;

/// The hub's sources before the Markdown is read: settings, theme and the list of files.
#[derive(Debug)]
pub struct Sources {
    /// Settings and vocabularies.
    pub config: Config,
    /// The theme.
    pub theme: Theme,
    /// The files under content/.
    pub inventory: Inventory,
    /// The URL scheme.
    pub urls: Urls,
    /// Peer-review actions.
    pub actions: Vec<ActionFile>,
    /// The documents studies are written from, indexed for quotations.
    pub library: content::library::Library,
    /// Which outcomes each board was reviewed on, per cycle.
    pub reviews: Vec<content::reviews::Review>,
    /// Introductions to term pages.
    pub intros: Vec<content::intros::Intro>,
    /// Today, `YYYY-MM-DD` (UTC; `SOURCE_DATE_EPOCH` when set, for reproducible builds): actions
    /// due before it are overdue.
    pub today: String,
    /// The labels pages show for fields, with the field each names.
    pub field_labels: Vec<(String, &'static str)>,
}

/// The problems found reading the sources, by stage.
#[derive(Debug, Clone, Default)]
pub struct SourceDiags {
    /// hub.yaml.
    pub config: Vec<Diagnostic>,
    /// The theme's files.
    pub theme: Vec<Diagnostic>,
    /// The walk of content/ (file names, links, attachments).
    pub walk: Vec<Diagnostic>,
    /// The files of actions.
    pub actions: Vec<Diagnostic>,
    /// The source documents.
    pub library: Vec<Diagnostic>,
    /// The files of reviews.
    pub reviews: Vec<Diagnostic>,
    /// The introductions to term pages.
    pub intros: Vec<Diagnostic>,
}

impl SourceDiags {
    /// All of them.
    pub fn all(&self) -> impl Iterator<Item = &Diagnostic> {
        self.config
            .iter()
            .chain(&self.theme)
            .chain(&self.walk)
            .chain(&self.actions)
            .chain(&self.library)
            .chain(&self.reviews)
            .chain(&self.intros)
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

/// Why the sources could not be read at all (exit 2): not a hub root, or an unreadable folder.
pub type ReadError = String;

/// Reads hub.yaml, the theme, the list of content files and the actions of the hub at `root`.
/// `base_url` overrides hub.yaml's; `minify` publishes theme stylesheets and scripts minified.
pub fn read(
    root: &Path,
    base_url: Option<&str>,
    minify: bool,
) -> Result<(Sources, SourceDiags), ReadError> {
    if !root.join("content").is_dir() {
        return Err(format!(
            "{} has no content/ folder: is it a hub root? (pass --root DIR)",
            root.display()
        ));
    }
    let mut diags = SourceDiags::default();
    let config_text = content::read_text(
        &root.join(config::CONFIG_PATH),
        config::CONFIG_PATH,
        &mut diags.config,
    );
    let config = config_text.and_then(|t| config::parse(&t, base_url, &mut diags.config));
    let inventory =
        content::walk(root, &mut diags.walk).map_err(|e| format!("cannot read content/: {e}"))?;
    // With a broken hub.yaml, content is still checked against the built-in vocabularies so
    // that one run reports every error of the hub.
    let config = config.unwrap_or_else(Config::fallback);
    let theme = theme::load(root, &config.theme, minify, &mut diags.theme)
        .map_err(|e| format!("cannot read the theme: {e}"))?;
    let urls = Urls::new(config.base_path(), config.default_lang()).with_clusters(&config.vocab);
    let actions = read_actions(&inventory, &config, &mut diags.actions);
    let library = content::library::read(&inventory.sources, &mut diags.library);
    let reviews = read_reviews(&inventory, &config, &mut diags.reviews);
    let mut sources = Sources {
        config,
        theme,
        inventory,
        urls,
        actions,
        library,
        reviews,
        intros: Vec::new(),
        today: today(),
        field_labels: Vec::new(),
    };
    sources.field_labels = sources.theme.field_labels();
    sources.intros = content::intros::read(sources.doc_env(), &mut diags.intros);
    Ok((sources, diags))
}

/// Reads every file of reviews the walk found.
pub fn read_reviews(
    inventory: &Inventory,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Vec<content::reviews::Review> {
    let keys = inventory.sources.keys().map(String::as_str);
    let mut out: Vec<content::reviews::Review> = inventory
        .reviews
        .iter()
        .filter_map(|f| {
            let path = format!("content/{}", f.path);
            let text = content::read_text(&f.abs, &path, diags)?;
            content::reviews::parse(&path, &text, &config.vocab, keys.clone(), diags)
        })
        .collect();
    // Newest cycle first, as pages list them.
    out.sort_by(|a, b| b.cycle.cmp(&a.cycle));
    out
}

/// Reads every file of actions the walk found.
pub fn read_actions(
    inventory: &Inventory,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Vec<ActionFile> {
    inventory
        .actions
        .iter()
        .filter_map(|f| {
            let path = format!("content/{}", f.path);
            let text = content::read_text(&f.abs, &path, diags)?;
            content::actions::parse(&path, &text, &config.vocab, diags)
        })
        .collect()
}

impl Sources {
    /// What reading a document needs from the sources.
    pub fn doc_env(&self) -> content::document::Env<'_> {
        content::document::Env {
            inv: &self.inventory,
            config: &self.config,
            urls: &self.urls,
            reserved_ids: &self.theme.ids,
            field_labels: &self.field_labels,
        }
    }
}
