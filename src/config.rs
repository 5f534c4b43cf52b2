//! content/hub.yaml: the site's settings and vocabulary overrides (contract section 2).

use crate::diagnostics::Diagnostic;
use crate::lang::{Lang, LangText};
use crate::slug::is_slug;
use crate::vocab::{Kind, Vocabularies};
use crate::yaml::fields::{Fields, Spanned};
use crate::yaml::{self, Node, Value};

/// Path of the settings file relative to the hub root.
pub const CONFIG_PATH: &str = "content/hub.yaml";

const FIELDS: &[&str] = &[
    "title",
    "base_url",
    "languages",
    "description",
    "theme",
    "vocabularies",
    "clusters",
    "synonyms",
    "repository",
    "branch",
];

/// The site's settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// The hub's name, per language.
    pub title: LangText,
    /// What the hub is for, per language.
    pub description: LangText,
    /// Absolute URL the site is published at, always ending in `/`.
    pub base_url: String,
    /// Published languages; the first is the default and lives at the root.
    pub languages: Vec<Lang>,
    /// The theme folder under themes/ that overrides the built-in theme.
    pub theme: String,
    /// Vocabularies, built-in plus overrides.
    pub vocab: Vocabularies,
    /// Groups of words search treats as one, added to the built-in table.
    pub synonyms: Vec<Vec<String>>,
    /// Where the hub's files are edited online, if given.
    pub repository: Option<crate::repository::Repository>,
}

impl Config {
    /// The path part of the base URL, e.g. `/hub/` for `https://org.github.io/hub/`.
    pub fn base_path(&self) -> &str {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, r)| r);
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    }

    /// Settings used to go on checking content when hub.yaml itself has errors.
    pub fn fallback() -> Config {
        Config {
            title: LangText::text("hub", "hub"),
            description: LangText::default(),
            base_url: "https://example.invalid/".to_string(),
            languages: Lang::ALL.to_vec(),
            theme: "default".to_string(),
            vocab: Vocabularies::default(),
            synonyms: Vec::new(),
            repository: None,
        }
    }

    /// The default language.
    pub fn default_lang(&self) -> Lang {
        self.languages[0]
    }

    /// Whether `lang` is published.
    pub fn publishes(&self, lang: Lang) -> bool {
        self.languages.contains(&lang)
    }
}

/// Parses hub.yaml. `base_url_override` (from `--base-url`) wins over the file and makes the
/// field optional.
pub fn parse(
    text: &str,
    base_url_override: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Config> {
    let before = diags.len();
    let root = match yaml::parse_all(text) {
        Ok(node) => node,
        Err(errors) => {
            diags.extend(errors.into_iter().map(|e| e.diagnostic(CONFIG_PATH, 0)));
            return None;
        }
    };
    let mut f = Fields::new(CONFIG_PATH, 0, &root, FIELDS, "hub.yaml", diags);
    let title = lang_text(&mut f, "title");
    f.require("title", title.is_some(), "Cluster Peer Review Hub");
    let description = lang_text(&mut f, "description").unwrap_or_default();
    let base_url = match base_url_override {
        Some(url) => Some(url.to_string()),
        None => {
            let url = f.string("base_url");
            f.require("base_url", url.is_some(), "https://example.org/");
            url.and_then(|u| check_url(&mut f, u))
        }
    };
    let languages = languages(&mut f);
    let theme = f.string("theme").map_or_else(
        || "default".to_string(),
        |t| {
            // A theme is a folder name under themes/, never a path: `../x` or `/etc` would read
            // templates and static files from anywhere on the build machine.
            if !crate::slug::is_slug(&t.value) {
                f.diags.push(
                    Diagnostic::error(
                        CONFIG_PATH,
                        t.line,
                        t.column,
                        format!("`{}` is not a theme name", t.value),
                    )
                    .with_help(
                        "name a folder under themes/ in lower-case letters, digits and hyphens, \
                         e.g. `theme: default`",
                    ),
                );
            }
            t.value
        },
    );
    let mut vocab = Vocabularies::default();
    if let Some(node) = f.node("vocabularies") {
        overrides(&mut f, node, &mut vocab);
    }
    if let Some(node) = f.node("clusters") {
        let mut clusters = vocab.clusters.clone();
        clusters.apply(node, vocab.get(Kind::Regions), CONFIG_PATH, f.diags);
        vocab.set_clusters(clusters);
    }
    let synonyms = synonyms(&mut f);
    let repository = crate::repository::parse(&mut f);
    if diags.len() > before {
        return None;
    }
    let mut base_url = base_url?;
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    Some(Config {
        title: title?,
        description,
        base_url,
        languages,
        theme,
        vocab,
        synonyms,
        repository,
    })
}

/// `synonyms:` a list of groups, each a list of words or phrases search treats as one.
fn synonyms(f: &mut Fields) -> Vec<Vec<String>> {
    let Some(node) = f.node("synonyms") else {
        return Vec::new();
    };
    let Value::Seq(groups) = &node.value else {
        f.error(node.pos, "`synonyms` must be a list of groups")
            .help =
            Some("write each group as a list: `- [physio, physiotherapy, ffisiotherapi]`".into());
        return Vec::new();
    };
    let mut out = Vec::new();
    for g in groups {
        match &g.value {
            Value::Seq(members) => out.push(
                members
                    .iter()
                    .filter_map(|m| match &m.value {
                        Value::Scalar { text, .. } => Some(text.clone()),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => {
                f.error(g.pos, "each group of `synonyms` is a list of words")
                    .help = Some("e.g. `- [physio, physiotherapy, ffisiotherapi]`".into());
            }
        }
    }
    out
}

fn check_url(f: &mut Fields, url: Spanned<String>) -> Option<String> {
    if url.value.starts_with("http://") || url.value.starts_with("https://") {
        Some(url.value)
    } else {
        f.diags.push(
            Diagnostic::error(
                f.path(),
                url.line,
                url.column,
                "`base_url` must be an absolute URL",
            )
            .with_help("write it with its scheme, e.g. `https://example.org/`"),
        );
        None
    }
}

/// A text that is either one string (both languages) or a mapping `{en: …, cy: …}`.
fn lang_text(f: &mut Fields, field: &str) -> Option<LangText> {
    let node = f.node(field)?;
    if let Value::Map(_) = node.value {
        let mut inner_diags = Vec::new();
        let mut g = Fields::new(
            f.path(),
            0,
            node,
            &["en", "cy"],
            &format!("`{field}`"),
            &mut inner_diags,
        );
        let en = g.string("en");
        let cy = g.string("cy");
        g.require("en", en.is_some(), "English text");
        f.diags.append(&mut inner_diags);
        let en = en?.value;
        let cy = cy.map_or_else(|| en.clone(), |c| c.value);
        return Some(LangText::new(en, cy));
    }
    f.string(field).map(|s| LangText::text(&s.value, &s.value))
}

fn languages(f: &mut Fields) -> Vec<Lang> {
    let Some(list) = f.string_list("languages") else {
        return Lang::ALL.to_vec();
    };
    let mut out = Vec::new();
    for item in list {
        match Lang::from_code(&item.value) {
            Some(l) if !out.contains(&l) => out.push(l),
            Some(_) => f.diags.push(Diagnostic::error(
                f.path(),
                item.line,
                item.column,
                format!("`{}` is listed twice", item.value),
            )),
            None => f.diags.push(
                Diagnostic::error(
                    f.path(),
                    item.line,
                    item.column,
                    format!("`{}` is not a supported language", item.value),
                )
                .with_help("hub publishes `en` (English) and `cy` (Cymraeg)"),
            ),
        }
    }
    if out.is_empty() {
        out.push(Lang::En);
    }
    out
}

/// Applies `vocabularies: {kind: {key: label | {en: …, cy: …}}}`.
fn overrides(f: &mut Fields, node: &Node, vocab: &mut Vocabularies) {
    let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    let mut diags = Vec::new();
    let mut found: Vec<(Kind, &Node)> = Vec::new();
    {
        let kinds = Fields::new(f.path(), 0, node, &names, "`vocabularies`", &mut diags);
        for kind in Kind::ALL {
            if let Some(n) = kinds.node(kind.name()) {
                found.push((kind, n));
            }
        }
    }
    for (kind, n) in found {
        let Value::Map(entries) = &n.value else {
            diags.push(Diagnostic::error(
                f.path(),
                n.pos.line,
                n.pos.column,
                format!("`{}` must map keys to labels", kind.name()),
            ));
            continue;
        };
        if kind == Kind::Clusters {
            diags.push(
                Diagnostic::error(
                    f.path(),
                    n.pos.line,
                    n.pos.column,
                    "clusters are changed under `clusters:`, not `vocabularies:`",
                )
                .with_help("see \"Clusters\" in CONTRIBUTING.md: add, rename or retire a cluster by its board"),
            );
            continue;
        }
        for (key, value) in entries {
            let existing = vocab.get(kind).position(&key.name).is_some();
            if !existing && kind == Kind::Statuses {
                diags.push(
                    Diagnostic::error(
                        f.path(),
                        key.pos.line,
                        key.pos.column,
                        format!(
                            "`{}` is not a status; statuses can be relabelled but not added",
                            key.name
                        ),
                    )
                    .with_help_opt(crate::diagnostics::did_you_mean(
                        &key.name,
                        vocab.get(kind).keys(),
                    )),
                );
                continue;
            }
            if !is_slug(&key.name) {
                diags.push(
                    Diagnostic::error(
                        f.path(),
                        key.pos.line,
                        key.pos.column,
                        format!("`{}` is not a valid key", key.name),
                    )
                    .with_help("keys are lower-case words joined by `-`, e.g. `digital-inclusion`"),
                );
                continue;
            }
            let mut label_diags = Vec::new();
            let label = match &value.value {
                Value::Map(_) => {
                    let mut g = Fields::new(
                        f.path(),
                        0,
                        value,
                        &["en", "cy"],
                        "a label",
                        &mut label_diags,
                    );
                    let en = g.string("en");
                    let cy = g.string("cy");
                    (en.map(|s| s.value), cy.map(|s| s.value))
                }
                _ => {
                    let s = match &value.value {
                        Value::Scalar { text, .. } => Some(text.clone()),
                        _ => None,
                    };
                    (s, None)
                }
            };
            diags.append(&mut label_diags);
            match label {
                (None, None) => diags.push(Diagnostic::error(
                    f.path(),
                    value.pos.line,
                    value.pos.column,
                    format!("`{}` needs a label", key.name),
                )),
                (en, cy) => {
                    for (lang, text) in [(Lang::En, en), (Lang::Cy, cy)] {
                        if let Some(t) = text {
                            vocab.get_mut(kind).set_label(&key.name, lang, t);
                        }
                    }
                }
            }
        }
    }
    f.diags.append(&mut diags);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path() {
        let mut d = Vec::new();
        let c = parse(
            "title: T\nbase_url: https://org.github.io/hub\n",
            None,
            &mut d,
        )
        .unwrap();
        assert_eq!(c.base_url, "https://org.github.io/hub/");
        assert_eq!(c.base_path(), "/hub/");
        let c = parse("title: T\nbase_url: https://example.org/\n", None, &mut d).unwrap();
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn overrides_labels() {
        let mut d = Vec::new();
        let c = parse(
            "title: T\nbase_url: https://e.org/\nvocabularies:\n  regions:\n    powys: {en: Powys, cy: Powys}\n  themes:\n    digital: Digital\n",
            None,
            &mut d,
        )
        .unwrap();
        assert!(d.is_empty(), "{d:?}");
        let r = c.vocab.get(Kind::Regions);
        assert_eq!(
            r.terms[r.position("powys").unwrap()].label[Lang::En],
            "Powys"
        );
        assert!(c.vocab.get(Kind::Themes).position("digital").is_some());
    }

    #[test]
    fn unknown_key_suggests() {
        let mut d = Vec::new();
        assert!(
            parse(
                "title: T\nbase_url: https://e.org/\nlanguage: [en]\n",
                None,
                &mut d
            )
            .is_none()
        );
        assert_eq!(d[0].line, 3);
        assert_eq!(d[0].help.as_deref(), Some("did you mean `languages`?"));
    }
}
