//! The theme: templates, static files and UI string catalogues. The default theme is compiled
//! into the binary; a hub root's `themes/<name>/` replaces any of its files one by one.

use crate::diagnostics::Diagnostic;
use crate::lang::{Lang, PerLang};
use crate::yaml::{self, Node, Value as YamlValue};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $name)) as &[u8])),*]
    };
}

/// The default theme's files, by path under the theme folder.
const DEFAULT: &[(&str, &[u8])] = embed![
    "templates/base.html",
    "templates/macros.html",
    "templates/card.html",
    "templates/nav.html",
    "templates/footer.html",
    "templates/home.html",
    "templates/studies.html",
    "templates/study.html",
    "templates/kind.html",
    "templates/outcomes.html",
    "templates/term.html",
    "templates/cluster.html",
    "templates/page.html",
    "templates/search.html",
    "templates/coverage.html",
    "templates/pipeline.html",
    "templates/actions.html",
    "templates/translations.html",
    "templates/reviews.html",
    "templates/404.html",
    "templates/feed.xml",
    "templates/sitemap.xml",
    "static/assets/hub.css",
    "static/assets/syntax.css",
    "static/assets/favicon.svg",
    "static/assets/search.js",
    "static/assets/porter2.min.js",
    "i18n/en.yaml",
    "i18n/cy.yaml",
];

/// A static file of the theme, copied to the site at `path`.
#[derive(Debug, Clone)]
pub enum StaticFile {
    /// Compiled into the binary.
    Builtin(&'static [u8]),
    /// From the hub root's theme folder.
    OnDisk(PathBuf),
    /// A stylesheet or script, minified.
    Minified(Arc<[u8]>),
}

/// The theme in use, with overrides applied.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Template name → source.
    pub templates: BTreeMap<String, String>,
    /// Published site path → file. Stylesheets, scripts and images under `assets/` are published
    /// under fingerprinted names (`assets/hub.3f2a9c01d4.css`) so hosts can cache them for ever.
    pub statics: BTreeMap<String, StaticFile>,
    /// Theme path (`assets/hub.css`) → published path.
    pub assets: BTreeMap<String, String>,
    /// UI strings per language, as template values.
    pub strings: PerLang<BTreeMap<String, serde_json::Value>>,
    /// The ids the templates give elements around the content (`main`, `q`…), which a heading
    /// in a study must not take: a link to `#main` must reach the theme's main, not a study's.
    pub ids: std::collections::HashSet<String>,
}

impl Theme {
    /// Whether template `name` is the default theme's own, unchanged.
    pub fn is_default_template(&self, name: &str) -> bool {
        let path = format!("templates/{name}");
        DEFAULT.iter().any(|(p, bytes)| {
            *p == path
                && self
                    .templates
                    .get(name)
                    .is_some_and(|t| t.as_bytes() == *bytes)
        })
    }

    /// The published path of a theme file (`assets/hub.css` → `assets/hub.<hash>.css`).
    pub fn asset<'a>(&'a self, path: &'a str) -> &'a str {
        self.assets.get(path).map_or(path, String::as_str)
    }

    /// The Welsh strings no Welsh speaker has reviewed yet, from the `_unreviewed` list of the
    /// Welsh catalogue (`*` stands for every key of the catalogue; `vocabulary:<name>` for the
    /// built-in labels of a vocabulary).
    pub fn unreviewed_welsh(&self) -> Vec<String> {
        let cat = &self.strings[Lang::Cy];
        let listed: Vec<String> = cat
            .get("_unreviewed")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let mut out = Vec::new();
        for item in listed {
            if item == "*" {
                out.extend(cat.keys().filter(|k| !k.starts_with('_')).cloned());
            } else {
                out.push(item);
            }
        }
        out
    }

    /// The UI string `key` in `lang`, if the catalogue has it as a plain text.
    pub fn string(&self, lang: Lang, key: &str) -> Option<&str> {
        self.strings[lang].get(key).and_then(|v| v.as_str())
    }

    /// The labels study pages show for front-matter fields ("Health board", "Bwrdd iechyd"),
    /// lower-cased, with the field each names: a contributor who writes the label as a field
    /// name is told the key.
    pub fn field_labels(&self) -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        for f in crate::schema::STUDY {
            for (_, key) in f.fact.iter().chain(&f.summary) {
                for lang in Lang::ALL {
                    if let Some(label) = self.string(lang, key) {
                        out.push((label.trim().to_lowercase(), f.name));
                    }
                }
            }
        }
        out
    }
}

/// Loads the default theme with `root/themes/<name>/` on top of it. I/O errors are returned;
/// problems in the files are diagnostics.
pub fn load(
    root: &Path,
    name: &str,
    minify_assets: bool,
    diags: &mut Vec<Diagnostic>,
) -> std::io::Result<Theme> {
    let mut texts: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut statics = BTreeMap::new();
    for (path, bytes) in DEFAULT {
        if let Some(site_path) = path.strip_prefix("static/") {
            statics.insert(site_path.to_string(), StaticFile::Builtin(bytes));
        } else {
            let text = String::from_utf8_lossy(bytes).into_owned();
            texts.insert(path.to_string(), (format!("(built-in theme)/{path}"), text));
        }
    }
    let dir = root.join("themes").join(name);
    let linked = [root.join("themes"), dir.clone()]
        .iter()
        .any(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()));
    if linked {
        diags.push(
            Diagnostic::warning(
                &format!("themes/{name}"),
                1,
                1,
                "the theme folder is a symbolic link; hub does not follow links, so the built-in theme is used",
            )
            .with_help("put the theme's files themselves under themes/"),
        );
    } else if dir.is_dir() {
        let mut found = Vec::new();
        collect_files(&dir, &dir, &format!("themes/{name}"), &mut found, diags)?;
        for (rel, abs) in found {
            let shown = format!("themes/{name}/{rel}");
            if let Some(site_path) = rel.strip_prefix("static/") {
                statics.insert(site_path.to_string(), StaticFile::OnDisk(abs));
            } else if rel.starts_with("templates/") || rel.starts_with("i18n/") {
                let mut d = Vec::new();
                if let Some(text) = crate::content::read_text(&abs, &shown, &mut d) {
                    texts.insert(rel, (shown, text));
                }
                diags.append(&mut d);
            }
        }
    }
    let mut templates = BTreeMap::new();
    let mut strings: PerLang<BTreeMap<String, serde_json::Value>> = PerLang::default();
    let mut raw: BTreeMap<Lang, (String, BTreeMap<String, serde_json::Value>)> = BTreeMap::new();
    for (rel, (shown, text)) in texts {
        if let Some(name) = rel.strip_prefix("templates/") {
            templates.insert(name.to_string(), text);
        } else if let Some(code) = rel
            .strip_prefix("i18n/")
            .and_then(|f| f.strip_suffix(".yaml"))
            && let Some(lang) = Lang::from_code(code)
        {
            raw.insert(lang, (shown.clone(), catalogue(&text, &shown, diags)));
        }
    }
    check_catalogues(&raw, diags);
    for (lang, (_, map)) in raw {
        strings[lang] = map;
    }
    let (statics, assets) = fingerprint(statics, minify_assets)?;
    let ids = template_ids(templates.values());
    Ok(Theme {
        ids,
        templates,
        statics,
        assets,
        strings,
    })
}

/// The literal ids written in templates (`id="main"`; not those built from values), and the ids
/// of `hub serve`'s error overlay.
fn template_ids<'t>(
    templates: impl Iterator<Item = &'t String>,
) -> std::collections::HashSet<String> {
    let mut ids: std::collections::HashSet<String> = ["hub-overlay", "hub-overlay-title"]
        .into_iter()
        .map(String::from)
        .collect();
    for t in templates {
        for part in t.split(" id=\"").skip(1) {
            let id = part.split('"').next().unwrap_or("");
            if !id.is_empty() && !id.contains(['{', '}', ' ']) {
                ids.insert(id.to_string());
            }
        }
    }
    ids
}

/// Renames fingerprintable assets to `name.<hash>.ext`, returning the published files and the
/// map from theme path to published path.
fn fingerprint(
    statics: BTreeMap<String, StaticFile>,
    minify_assets: bool,
) -> std::io::Result<(BTreeMap<String, StaticFile>, BTreeMap<String, String>)> {
    let mut published = BTreeMap::new();
    let mut assets = BTreeMap::new();
    for (path, file) in statics {
        let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        let name = if path.starts_with("assets/")
            && matches!(ext, "css" | "js" | "svg" | "woff2" | "png")
        {
            let bytes = match &file {
                StaticFile::Builtin(b) => std::borrow::Cow::Borrowed(*b),
                StaticFile::OnDisk(p) => std::borrow::Cow::Owned(std::fs::read(p)?),
                StaticFile::Minified(b) => std::borrow::Cow::Borrowed(&b[..]),
            };
            let minified = minify_assets.then(|| minify(&path, ext, &bytes)).flatten();
            let bytes = minified.as_deref().unwrap_or(&bytes);
            let stem = &path[..path.len() - ext.len() - 1];
            let name = format!("{stem}.{:010x}.{ext}", fnv1a(bytes) & 0xff_ffff_ffff);
            if let Some(m) = minified {
                assets.insert(path, name.clone());
                published.insert(name, StaticFile::Minified(m.into()));
                continue;
            }
            name
        } else {
            path.clone()
        };
        assets.insert(path, name.clone());
        published.insert(name, file);
    }
    Ok((published, assets))
}

/// A stylesheet or script without comments and spare white space (minifier, the crate rustdoc
/// uses). `None` for other files, for `.min.*` files, for files that are not UTF-8, or when the CSS cannot be parsed.
fn minify(path: &str, ext: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    // Vendored scripts arrive minified by their own tool (scripts/vendor), licence kept.
    if path.ends_with(".min.js") || path.ends_with(".min.css") {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let out = match ext {
        "css" => minifier::css::minify(text).ok()?.to_string(),
        "js" => minifier::js::minify(text).ok()?.to_string(),
        _ => return None,
    };
    Some(out.into_bytes())
}

/// FNV-1a, 64 bits: stable across runs and Rust versions, which `DefaultHasher` does not promise.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The theme's files, read with the rules of content/: names starting with `.` skipped, and
/// symbolic links never followed (a link in `static/` would publish any file of the build
/// machine), each one warned about.
fn collect_files(
    base: &Path,
    dir: &Path,
    shown: &str,
    out: &mut Vec<(String, PathBuf)>,
    diags: &mut Vec<Diagnostic>,
) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = e.path();
        let rel = path.strip_prefix(base).unwrap_or(&path);
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let kind = e.file_type()?;
        if kind.is_symlink() {
            diags.push(
                Diagnostic::warning(
                    &format!("{shown}/{rel}"),
                    1,
                    1,
                    "this is a symbolic link; hub does not follow links, so it is left out",
                )
                .with_help("put the file itself here instead of a link to it"),
            );
        } else if kind.is_dir() {
            collect_files(base, &path, shown, out, diags)?;
        } else if kind.is_file() {
            out.push((rel, path));
        }
    }
    Ok(())
}

/// Parses a catalogue: `key: text` or `key: {one: …, other: …}` for plurals.
fn catalogue(
    text: &str,
    path: &str,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, serde_json::Value> {
    let node = match yaml::parse_all(text) {
        Ok(n) => n,
        Err(e) => {
            diags.extend(e.into_iter().map(|e| e.diagnostic(path, 0)));
            return BTreeMap::new();
        }
    };
    let mut out = BTreeMap::new();
    if let YamlValue::Map(entries) = node.value {
        for (k, v) in entries {
            match to_json(&v) {
                Some(j) => {
                    out.insert(k.name, j);
                }
                None => diags.push(Diagnostic::error(
                    path,
                    v.pos.line,
                    v.pos.column,
                    format!("`{}` needs a text", k.name),
                )),
            }
        }
    }
    out
}

fn to_json(node: &Node) -> Option<serde_json::Value> {
    match &node.value {
        YamlValue::Scalar { text, .. } => Some(serde_json::Value::String(text.clone())),
        YamlValue::Seq(items) => items
            .iter()
            .map(to_json)
            .collect::<Option<Vec<_>>>()
            .map(serde_json::Value::Array),
        YamlValue::Map(entries) => {
            let mut m = serde_json::Map::new();
            for (k, v) in entries {
                m.insert(k.name.clone(), to_json(v)?);
            }
            Some(serde_json::Value::Object(m))
        }
        _ => None,
    }
}

/// Every key must exist in every catalogue: a missing translation fails the build.
fn check_catalogues(
    raw: &BTreeMap<Lang, (String, BTreeMap<String, serde_json::Value>)>,
    diags: &mut Vec<Diagnostic>,
) {
    for lang in Lang::ALL {
        if !raw.contains_key(&lang) {
            diags.push(Diagnostic::error(
                &format!("i18n/{}.yaml", lang.code()),
                1,
                1,
                "the theme has no string catalogue for this language",
            ));
        }
    }
    for (lang, (path, map)) in raw {
        for (other, (other_path, other_map)) in raw {
            if other == lang {
                continue;
            }
            for key in other_map.keys().filter(|k| !k.starts_with('_')) {
                if !map.contains_key(key) {
                    diags.push(
                        Diagnostic::error(
                            path,
                            1,
                            1,
                            format!("the string `{key}` is missing (it is in {other_path})"),
                        )
                        .with_help(format!("add `{key}:` with its {} text", lang.endonym())),
                    );
                }
            }
        }
    }
}
