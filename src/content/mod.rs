//! Reading content/: find the files ([`walk`]), then parse each Markdown file into typed front
//! matter and rendered HTML ([`load`]). Problems become diagnostics; nothing here panics on bad
//! input.

pub mod actions;
pub mod attachments;
pub mod document;
pub mod fences;
pub mod intros;
pub mod library;
pub mod quality;
pub mod reviews;

use crate::diagnostics::Diagnostic;
use crate::lang::Lang;
use crate::slug::{is_slug, suggest};
use crate::urls::DocKey;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// A Markdown file: a case study or a plain page, in one language.
#[derive(Debug, Clone)]
pub struct DocSource {
    /// Path relative to the hub root, `/`-separated (`content/about.md`).
    pub path: String,
    /// Absolute path.
    pub abs: PathBuf,
    /// The study or page it belongs to.
    pub key: DocKey,
    /// Its language.
    pub lang: Lang,
    /// Its folder relative to content/.
    pub dir: String,
}

/// A file published as-is at its path under content/ (bundle images, attachments).
#[derive(Debug, Clone)]
pub struct FileSource {
    /// Path relative to content/, which is also its path in the site.
    pub path: String,
    /// Absolute path.
    pub abs: PathBuf,
}

/// Everything under content/ that the site is made from.
#[derive(Debug, Default)]
pub struct Inventory {
    /// The content/ folder.
    pub content_dir: PathBuf,
    /// Markdown documents, sorted by path.
    pub docs: Vec<DocSource>,
    /// Other files, sorted by path.
    pub files: Vec<FileSource>,
    /// Every Markdown path relative to content/ (both languages) → its document.
    pub doc_paths: HashMap<String, DocKey>,
    /// Every other file's path relative to content/.
    pub file_paths: HashSet<String>,
    /// Peer-review action files (`actions/*.yaml`), read by `actions`, not published.
    pub actions: Vec<FileSource>,
    /// Source documents (`sources/<key>.txt` and `.yaml`), by key; not published.
    pub sources: std::collections::BTreeMap<String, SourceFiles>,
    /// Peer-review allocations (`reviews/*.yaml`); not published.
    pub reviews: Vec<FileSource>,
    /// Introductions to a vocabulary's term pages (`themes/<key>.md`, `topics/<key>.cy.md`…).
    pub intros: Vec<IntroSource>,
}

/// The two files of a source document.
#[derive(Debug, Clone, Default)]
pub struct SourceFiles {
    /// Its plain text.
    pub text: Option<FileSource>,
    /// Its title, publisher, date and address.
    pub meta: Option<FileSource>,
}

/// An introduction to the page of one term of a vocabulary, in one language.
#[derive(Debug, Clone)]
pub struct IntroSource {
    /// The vocabulary.
    pub kind: crate::vocab::Kind,
    /// The term's key, as the file is named.
    pub key: String,
    /// The file's language.
    pub lang: Lang,
    /// The file.
    pub file: FileSource,
}

impl Inventory {
    /// Whether `key` has a source in `lang`.
    pub fn has(&self, key: &DocKey, lang: Lang) -> bool {
        self.docs.iter().any(|d| &d.key == key && d.lang == lang)
    }
}

/// Finds the content files under `root/content`, honouring .gitignore and .hubignore and skipping
/// names that start with `.` or `_`. Bad file names become diagnostics.
pub fn walk(root: &Path, diags: &mut Vec<Diagnostic>) -> Result<Inventory, ignore::Error> {
    let content = root.join("content");
    let mut paths = Vec::new();
    let walker = ignore::WalkBuilder::new(&content)
        .hidden(true)
        .require_git(false)
        .add_custom_ignore_filename(".hubignore")
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('_'))
        .follow_links(false)
        .build();
    for entry in walker {
        let entry = entry?;
        let rel = entry.path().strip_prefix(&content).unwrap_or(entry.path());
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if entry.path_is_symlink() {
            // Links could leave the hub root, or loop; a pull request should carry real files.
            diags.push(
                Diagnostic::warning(
                    &format!("content/{rel}"),
                    1,
                    1,
                    "this is a symbolic link; hub does not follow links, so it is left out",
                )
                .with_help("put the file itself here instead of a link to it"),
            );
            continue;
        }
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        paths.push((rel, entry.path().to_path_buf()));
    }
    paths.sort();
    collisions(&paths, diags);
    let mut inv = Inventory {
        content_dir: content.clone(),
        ..Inventory::default()
    };
    let mut claimed: HashMap<(DocKey, Lang), String> = HashMap::new();
    for (rel, abs) in paths {
        if rel == "hub.yaml" {
            continue;
        }
        let path = format!("content/{rel}");
        if rel.starts_with("actions/") && rel.ends_with(".yaml") {
            inv.actions.push(FileSource { path: rel, abs });
            continue;
        }
        if rel.starts_with("reviews/") && rel.ends_with(".yaml") {
            inv.reviews.push(FileSource { path: rel, abs });
            continue;
        }
        if let Some(name) = rel.strip_prefix("sources/") {
            let (key, is_text) = match (name.strip_suffix(".txt"), name.strip_suffix(".yaml")) {
                (Some(k), _) => (k, true),
                (_, Some(k)) => (k, false),
                _ => ("", false),
            };
            if !is_slug(key) {
                diags.push(
                    Diagnostic::error(&path, 1, 1, "a source is `sources/<key>.txt` (its text) with `sources/<key>.yaml` (its title, publisher, date and address)")
                        .with_help(format!("name the files with a key of lower-case letters, digits and hyphens, e.g. `{}`", suggest(name.split('.').next().unwrap_or(name)))),
                );
                continue;
            }
            let entry = inv.sources.entry(key.to_string()).or_default();
            let file = FileSource {
                path: rel.clone(),
                abs,
            };
            if is_text {
                entry.text = Some(file);
            } else {
                entry.meta = Some(file);
            }
            continue;
        }
        if let Some(intro) = intro(&rel, &abs) {
            inv.intros.push(intro);
            continue;
        }
        if !rel.ends_with(".md") {
            if let Some(why) = attachments::refusal(&rel, &abs) {
                diags.push(Diagnostic::error(&path, 1, 1, why).with_help(format!(
                    "hub publishes {}; remove this file, or link to it where it is published",
                    attachments::ALLOWED
                )));
                continue;
            }
            inv.file_paths.insert(rel.clone());
            inv.files.push(FileSource { path: rel, abs });
            continue;
        }
        let Some((key, lang)) = classify(&rel, &path, diags) else {
            continue;
        };
        if let Some(first) = claimed.get(&(key.clone(), lang)) {
            let what = match &key {
                DocKey::Study(slug) => format!("the slug `{slug}`"),
                DocKey::Page(p) => format!("the page `/{p}/`"),
            };
            diags.push(
                Diagnostic::error(&path, 1, 1, format!("{what} is already taken by {first}"))
                    .with_help("rename one of the two files, or remove one"),
            );
            continue;
        }
        claimed.insert((key.clone(), lang), path.clone());
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        inv.doc_paths.insert(rel.clone(), key.clone());
        inv.docs.push(DocSource {
            path,
            abs,
            key,
            lang,
            dir,
        });
    }
    Ok(inv)
}

/// An introduction to a term page: `<vocabulary folder>/<key>.md` or `.cy.md`, e.g.
/// `themes/access-to-resources.md` introduces `/themes/access-to-resources/`.
fn intro(rel: &str, abs: &Path) -> Option<IntroSource> {
    let (folder, name) = rel.split_once('/')?;
    let kind = crate::vocab::Kind::ALL
        .into_iter()
        .find(|k| k.segment() == folder)?;
    let (key, lang) = match name.strip_suffix(".cy.md") {
        Some(k) => (k, Lang::Cy),
        None => (name.strip_suffix(".md")?, Lang::En),
    };
    (!key.contains('/')).then(|| IntroSource {
        kind,
        key: key.to_string(),
        lang,
        file: FileSource {
            path: rel.to_string(),
            abs: abs.to_path_buf(),
        },
    })
}

/// Reports names that differ only in case or Unicode normalisation (`Café.md`, `café.md`, and
/// `café.md` written with a combining accent): distinct here, but one file on macOS and Windows
/// checkouts and one URL on most hosts.
fn collisions(paths: &[(String, PathBuf)], diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for (rel, _) in paths {
        let folded: String = rel.nfc().collect::<String>().to_lowercase();
        match seen.get(folded.as_str()) {
            Some(first) => diags.push(
                Diagnostic::error(
                    &format!("content/{rel}"),
                    1,
                    1,
                    format!(
                        "this name and `content/{first}` differ only in capital letters or in \
                         how an accent is encoded; they are one file on Windows and macOS"
                    ),
                )
                .with_help("rename or remove one of them"),
            ),
            None => {
                seen.insert(folded, rel);
            }
        }
    }
}

/// Works out which study or page a Markdown file is, and in which language.
fn classify(rel: &str, path: &str, diags: &mut Vec<Diagnostic>) -> Option<(DocKey, Lang)> {
    let (stem_path, lang) = match rel.strip_suffix(".cy.md") {
        Some(s) => (s, Lang::Cy),
        None => (
            rel.strip_suffix(".md").expect("only .md files reach here"),
            Lang::En,
        ),
    };
    let segments: Vec<&str> = stem_path.split('/').collect();
    let bad_name = |diags: &mut Vec<Diagnostic>, name: &str, what: &str| {
        diags.push(
            Diagnostic::error(path, 1, 1, format!("`{name}` is not a valid {what}: use lower-case letters, digits and single hyphens"))
                .with_help(format!("rename it to `{}`", suggest(name))),
        );
    };
    if segments[0] == "case-studies" {
        let slug = match segments.as_slice() {
            [_, name] => *name,
            [_, folder, "index"] => *folder,
            _ => {
                diags.push(
                    Diagnostic::error(path, 1, 1, "a case study is `case-studies/<slug>.md` or `case-studies/<slug>/index.md`")
                        .with_help("move the file, or name it index.md inside its folder"),
                );
                return None;
            }
        };
        if !is_slug(slug) {
            bad_name(diags, slug, "case-study slug");
            return None;
        }
        return Some((DocKey::Study(slug.to_string()), lang));
    }
    let mut segments = segments;
    if segments.len() > 1 && segments.last() == Some(&"index") {
        segments.pop();
    }
    for seg in &segments {
        if !is_slug(seg) {
            bad_name(diags, seg, "page name");
            return None;
        }
    }
    let page = segments.join("/");
    if page == "index" || crate::urls::reserved().contains(&segments[0]) {
        diags.push(
            Diagnostic::error(
                path,
                1,
                1,
                format!("the address `/{page}/` belongs to a page hub builds itself"),
            )
            .with_help("rename the file"),
        );
        return None;
    }
    Some((DocKey::Page(page), lang))
}

/// The largest text file hub reads. A case study is a few thousand words; anything near this is a
/// mistake (a pasted export, a binary), and reading it whole would cost memory for nothing.
pub const MAX_TEXT_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a file as UTF-8, reporting invalid bytes at their position.
pub fn read_text(abs: &Path, path: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
    if let Ok(meta) = std::fs::metadata(abs)
        && meta.len() > MAX_TEXT_BYTES
    {
        diags.push(
            Diagnostic::error(
                path,
                1,
                1,
                format!(
                    "the file is {} MB; hub reads text files of up to {} MB",
                    meta.len() / (1024 * 1024),
                    MAX_TEXT_BYTES / (1024 * 1024)
                ),
            )
            .with_help("split it, or move large data out of the Markdown"),
        );
        return None;
    }
    let bytes = match std::fs::read(abs) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                path,
                1,
                1,
                format!("cannot read the file: {e}"),
            ));
            return None;
        }
    };
    decode(bytes, path, diags)
}

/// Bytes as UTF-8 text, reporting the first invalid byte at its line and column.
pub fn decode(bytes: Vec<u8>, path: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
    match String::from_utf8(bytes) {
        Ok(s) => forbidden_characters(&s, path, diags).then_some(s),
        Err(e) => {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let valid = std::str::from_utf8(&bytes[..at]).expect("valid up to here");
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            diags.push(
                Diagnostic::error(
                    path,
                    line,
                    column,
                    format!(
                        "the file is not valid UTF-8 text (byte 0x{:02X} here)",
                        bytes[at]
                    ),
                )
                .with_help("save the file as UTF-8 in your editor"),
            );
            None
        }
    }
}

/// Reported per file before the rest are only counted, so a binary pasted as text costs little.
const MAX_CHARACTER_ERRORS: usize = 100;

/// Reports every forbidden character at its line and column; `true` if there is none.
fn forbidden_characters(text: &str, path: &str, diags: &mut Vec<Diagnostic>) -> bool {
    if !crate::characters::any_forbidden(text) {
        return true;
    }
    let mut found = 0;
    for (i, line) in text.split('\n').enumerate() {
        for (col, c) in line
            .chars()
            .enumerate()
            .filter(|(_, c)| crate::characters::is_forbidden(*c))
        {
            found += 1;
            if found > MAX_CHARACTER_ERRORS {
                continue;
            }
            diags.push(
                Diagnostic::error(path, i + 1, col + 1, crate::characters::refusal(c))
                    .with_help("delete it (it was probably pasted in with the text around it)"),
            );
        }
    }
    if found > MAX_CHARACTER_ERRORS {
        diags.push(Diagnostic::error(
            path,
            1,
            1,
            format!(
                "{} more control characters in this file; is it a text file?",
                found - MAX_CHARACTER_ERRORS
            ),
        ));
    }
    false
}
