//! Link and image destinations: safe schemes only, relative `.md` links rewritten to page URLs
//! and recorded for checking, relative file links to the published file. A relative path is
//! resolved inside content/ only; one that climbs out is an error at the link.

use super::lines::LineIndex;
use super::sanitise::{SAFE_SCHEMES, is_safe_scheme};
use super::{Context, DocLink};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::urls::Urls;

/// A destination resolved against the document's folder.
pub struct Resolved {
    /// The URL to write in the page.
    pub url: String,
    /// For a relative path to a published file: its path relative to content/.
    pub file: Option<String>,
}

/// What a destination is written for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A link (`[text](dest)`): a page address or a file.
    Link,
    /// An image (`![alt](dest)`): always a file.
    Image,
}

/// Rewrites one link or image destination, recording links to documents.
pub fn rewrite(
    dest: &str,
    target_kind: Target,
    offset: usize,
    cx: &Context,
    lines: &LineIndex,
    links: &mut Vec<DocLink>,
    diags: &mut Vec<Diagnostic>,
) -> Resolved {
    let plain = |url: &str| Resolved {
        url: url.to_string(),
        file: None,
    };
    let (line, column) = lines.position(offset);
    if let Some(scheme) = scheme(dest) {
        if is_safe_scheme(&scheme) {
            return plain(dest);
        }
        diags.push(
            Diagnostic::warning(
                cx.path,
                line,
                column,
                format!("removed a link with the unsafe scheme `{scheme}:`"),
            )
            .with_help(format!("links may use {}", SAFE_SCHEMES.join(", "))),
        );
        return plain("#");
    }
    if dest.starts_with('/') {
        return plain(dest);
    }
    let (path_part, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (dest, None),
    };
    if path_part.is_empty() {
        // `#fragment` within this document.
        if let Some(f) = &fragment {
            links.push(DocLink {
                target: cx.this.clone(),
                fragment: Some(f.clone()),
                line,
                column,
                written: dest.to_string(),
            });
        }
        return plain(dest);
    }
    let path_part = path_part.split('?').next().unwrap_or(path_part);
    let decoded = percent_encoding::percent_decode_str(path_part).decode_utf8_lossy();
    let Some(target) = normalise(cx.dir, &decoded) else {
        // A relative page address such as `../outcomes/` is the browser's to resolve against
        // the page's URL (which sits one level below its file), and nothing is read for it; a
        // file path that climbs out of content/ is refused.
        let names_a_file = decoded
            .rsplit('/')
            .next()
            .is_some_and(|name| name.contains('.') && name != "." && name != "..");
        if !names_a_file && target_kind == Target::Link {
            return plain(dest);
        }
        diags.push(
            Diagnostic::error(
                cx.path,
                line,
                column,
                format!("the link `{dest}` leads outside content/"),
            )
            .with_help(
                "link to a file inside content/ by its relative path, or to a page of the site \
                 by an address that starts with /",
            ),
        );
        return plain("#");
    };
    if target.ends_with(".md") {
        match cx.docs.get(&target) {
            Some(key) => {
                links.push(DocLink {
                    target: key.clone(),
                    fragment: fragment.clone(),
                    line,
                    column,
                    written: dest.to_string(),
                });
                // Relative, so the same HTML links to the English twin on an English page and
                // to the Welsh twin on a Welsh one: the two trees mirror each other.
                let mut url = relative_url(&Urls::doc_path(cx.this), &Urls::doc_path(key));
                if let Some(f) = fragment {
                    url.push('#');
                    url.push_str(&f);
                }
                plain(&url)
            }
            None => {
                let candidates: Vec<String> = cx
                    .docs
                    .keys()
                    .filter(|p| !p.ends_with(".cy.md"))
                    .map(|p| relative_to(cx.dir, p))
                    .collect();
                diags.push(
                    Diagnostic::error(
                        cx.path,
                        line,
                        column,
                        format!(
                            "the link `{dest}` points at `content/{target}`, which does not exist"
                        ),
                    )
                    .with_help_opt(did_you_mean(
                        path_part,
                        candidates.iter().map(String::as_str),
                    )),
                );
                plain(dest)
            }
        }
    } else if cx.files.contains(&target) {
        // Absolute, so the link also works from the other language's tree.
        Resolved {
            url: cx.urls.file(&target),
            file: Some(target),
        }
    } else if target
        .rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'))
    {
        diags.push(
            Diagnostic::error(cx.path, line, column, format!("the link `{dest}` points at `content/{target}`, which does not exist"))
                .with_help("put the file beside the page (a case study in bundle form keeps its files in its folder)"),
        );
        plain(dest)
    } else if path_part.ends_with('/') || target_kind == Target::Image {
        // A page address (`../outcomes/`): the browser's to resolve.
        plain(dest)
    } else {
        // `other-study` or `Some Study Title`: the browser would resolve it below this page's
        // address, which has no such page. Name the file it most likely means.
        diags.push(
            Diagnostic::error(
                cx.path,
                line,
                column,
                format!("the link `{dest}` leads to no page: a link to a case study or page names its file"),
            )
            .with_help(likely_file(&decoded, cx).map_or_else(
                || "link to the `.md` file, e.g. `[Healthy Homes](healthy-homes.md)`".to_string(),
                |f| format!("did you mean `{f}`?"),
            )),
        );
        plain("#")
    }
}

/// Reports `[text](Some Study Title)`: an address with spaces is no link in Markdown, so the
/// page would show the brackets. `para` is a paragraph's source, starting at `offset`.
pub fn spaced_links(
    para: &str,
    offset: usize,
    cx: &Context,
    lines: &LineIndex,
    diags: &mut Vec<Diagnostic>,
) {
    let mut from = 0;
    while let Some(at) = para[from..].find("](") {
        let open = from + at + 2;
        from = open;
        let Some(close) = para[open..].find(')') else {
            break;
        };
        let inside = &para[open..open + close];
        let Some(start) = para[..open - 2].rfind('[') else {
            continue;
        };
        if inside.starts_with('<') || !inside.trim().contains(' ') || inside.contains('\n') {
            continue;
        }
        // `[text](url "title")` is a link with a title, not an address with spaces.
        let first = inside.split_whitespace().next().unwrap_or("");
        if inside.trim_end().ends_with('"') && !first.starts_with('"') {
            continue;
        }
        let (line, column) = lines.position(offset + start);
        diags.push(
            Diagnostic::error(
                cx.path,
                line,
                column,
                format!(
                    "`{}` is shown as text, not a link: a link's address cannot have spaces",
                    &para[start..open + close + 1]
                ),
            )
            .with_help(likely_file(inside, cx).map_or_else(
                || "link to the file, e.g. `[Healthy Homes](healthy-homes.md)`".to_string(),
                |f| format!("did you mean `{}({f})`?", &para[start..open - 1]),
            )),
        );
    }
}

/// The Markdown file a link written without `.md` (`beta`, `Beta Transport`, `beta/`) most
/// likely means, relative to the linking document's folder.
pub fn likely_file(written: &str, cx: &Context) -> Option<String> {
    let stem = crate::slug::anchor(written.trim().trim_end_matches('/'));
    let candidates: Vec<String> = cx
        .docs
        .keys()
        .filter(|p| !p.ends_with(".cy.md"))
        .map(|p| relative_to(cx.dir, p))
        .collect();
    // The file itself, with `.md` or as a bundle's index.
    for c in &candidates {
        let name = c
            .strip_suffix("/index.md")
            .or_else(|| c.strip_suffix(".md"));
        if name.is_some_and(|n| n.rsplit('/').next() == Some(stem.as_str())) {
            return Some(c.clone());
        }
    }
    let names: Vec<(String, &String)> = candidates
        .iter()
        .map(|c| {
            let n = c
                .strip_suffix("/index.md")
                .or_else(|| c.strip_suffix(".md"))
                .unwrap_or(c);
            (n.rsplit('/').next().unwrap_or(n).to_string(), c)
        })
        .collect();
    let hint = did_you_mean(&stem, names.iter().map(|(n, _)| n.as_str()))?;
    names
        .iter()
        .find(|(n, _)| hint == format!("did you mean `{n}`?"))
        .map(|(_, c)| (*c).clone())
}

/// The URL scheme, lower-cased, ignoring the whitespace and control characters browsers ignore.
pub fn scheme(dest: &str) -> Option<String> {
    let cleaned: String = dest
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect();
    let colon = cleaned.find(':')?;
    let before = &cleaned[..colon];
    if before.is_empty() || before.contains(['/', '?', '#']) {
        return None;
    }
    Some(before.to_ascii_lowercase())
}

/// Resolves `rel` against `dir`, both relative to content/. `None` if it climbs out, or if it
/// holds a backslash or NUL (a Windows separator or a truncation, never a real content path).
pub fn normalise(dir: &str, rel: &str) -> Option<String> {
    if rel.contains(['\\', '\0']) {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if rel.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// The relative URL from page path `from` to page path `to` (both like `case-studies/alpha/`).
pub fn relative_url(from: &str, to: &str) -> String {
    if from == to {
        return String::new();
    }
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(from.len() - common);
    for seg in &to[common..] {
        out.push_str(seg);
        out.push('/');
    }
    if out.is_empty() {
        "./".to_string()
    } else {
        out
    }
}

/// Writes `path` (relative to content/) as a link from `dir`, for suggestions.
pub fn relative_to(dir: &str, path: &str) -> String {
    let dir_parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let path_parts: Vec<&str> = path.split('/').collect();
    let common = dir_parts
        .iter()
        .zip(&path_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out: Vec<&str> = vec![".."; dir_parts.len() - common];
    out.extend(&path_parts[common..]);
    out.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Resolves a relative page URL against the page path it is written on.
    fn resolve(from: &str, rel: &str) -> String {
        let mut parts: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
        for seg in rel.split('/').filter(|s| !s.is_empty() && *s != ".") {
            if seg == ".." {
                parts.pop();
            } else {
                parts.push(seg);
            }
        }
        parts.iter().map(|p| format!("{p}/")).collect()
    }

    proptest::proptest! {
        #[test]
        fn relative_links_lead_to_their_target(
            from in proptest::collection::vec("[a-z]{1,3}", 0..4),
            to in proptest::collection::vec("[a-z]{1,3}", 0..4),
        ) {
            let from: String = from.iter().map(|p| format!("{p}/")).collect();
            let to: String = to.iter().map(|p| format!("{p}/")).collect();
            let rel = relative_url(&from, &to);
            proptest::prop_assert!(!rel.starts_with('/'));
            proptest::prop_assert_eq!(resolve(&from, &rel), to);
        }
    }

    #[test]
    fn relative_urls() {
        assert_eq!(
            relative_url("case-studies/beta/", "case-studies/alpha/"),
            "../alpha/"
        );
        assert_eq!(
            relative_url("about/", "case-studies/alpha/"),
            "../case-studies/alpha/"
        );
        assert_eq!(relative_url("guides/photos/", "about/"), "../../about/");
        assert_eq!(relative_url("about/", "about/"), "");
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            normalise("case-studies", "../about.md").as_deref(),
            Some("about.md")
        );
        assert_eq!(normalise("", "../x.md"), None);
        assert_eq!(normalise("case-studies", "../../etc/passwd"), None);
        assert_eq!(normalise("case-studies", "..\\..\\x.png"), None);
        assert_eq!(relative_to("case-studies", "about.md"), "../about.md");
        assert_eq!(relative_to("case-studies", "case-studies/a.md"), "a.md");
    }
}
