//! Raw HTML in contributors' Markdown, made inert and kept out of the theme's way.
//!
//! A document with raw HTML goes through ammonia as a whole (a fragment alone cannot be judged:
//! `<div>` and `</div>` arrive as separate events). The policy, beyond ammonia's defaults (no
//! script, style, iframe, object, event handlers or script URLs):
//! - ids the contributor wrote get the prefix `user-content-` (as on GitHub), so a study cannot
//!   take the theme's ids (the skip link's `main`, the search box's `q`); same-page links to them
//!   are rewritten to match. Ids hub made itself (headings, footnotes) are kept.
//! - classes are kept only where the theme expects them from content: highlighting (`hl-…`),
//!   code blocks and footnotes; a study cannot dress itself in the site's own chrome.
//! - an input is always disabled and never more than a checkbox (task lists); a form field
//!   cannot be planted.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

/// The URL schemes a link or image may use; anything else is removed.
pub const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// The prefix of every id written in raw HTML.
pub const ID_PREFIX: &str = "user-content-";

/// Whether `scheme` (lower case) is one of [`SAFE_SCHEMES`].
pub fn is_safe_scheme(scheme: &str) -> bool {
    SAFE_SCHEMES.contains(&scheme)
}

/// Sanitises a whole rendered document that contains raw HTML. `own_ids` are the ids hub itself
/// gave headings and footnotes: they are kept as they are; every other id is prefixed.
pub fn clean(html: &str, own_ids: HashSet<String>) -> String {
    let own = Arc::new(own_ids);
    let mut b = base();
    b.attribute_filter(move |element, attribute, value| match attribute {
        "id" if own.contains(value) => Some(Cow::Borrowed(value)),
        "id" => Some(Cow::Owned(format!("{ID_PREFIX}{value}"))),
        // Whatever an input claims to be, it is shown as a checkbox (and always disabled).
        "type" if element == "input" => Some(Cow::Borrowed("checkbox")),
        "class" => {
            let kept: Vec<&str> = value
                .split_ascii_whitespace()
                .filter(|c| class_allowed(element, c))
                .collect();
            (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
        }
        _ => Some(Cow::Borrowed(value)),
    });
    b.clean(html).to_string()
}

/// The classes content may carry: those hub's own Markdown output uses.
fn class_allowed(element: &str, class: &str) -> bool {
    match element {
        "span" => class.starts_with("hl-"),
        "pre" => class == "code",
        "div" => class == "footnote-definition",
        "sup" => matches!(class, "footnote-reference" | "footnote-definition-label"),
        _ => false,
    }
}

/// The ids written in raw HTML fragments (before prefixing), for same-page links to them.
pub fn raw_ids(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("id") {
        let at = from + i;
        from = at + 2;
        let before = lower[..at].chars().next_back();
        if !before.is_some_and(|c| c.is_ascii_whitespace()) {
            continue;
        }
        let rest = lower[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let start = html.len() - rest.trim_start().len();
        let value = &html[start..];
        let value = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
            _ => value
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        };
        if !value.is_empty() {
            out.push(value.to_string());
        }
    }
    out
}

/// What in a raw HTML fragment the sanitiser will remove, if anything, in words.
pub fn unsafe_html(html: &str) -> Option<String> {
    let allowed = allowed_tags();
    let lower = html.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with('/') || rest.starts_with('!') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if name.is_empty() {
            continue;
        }
        if !allowed.contains(name.as_str()) {
            return Some(format!("a `<{name}>` element"));
        }
        let tag_end = rest.find('>').unwrap_or(rest.len());
        let attrs = &rest[name.len()..tag_end];
        for attr in attrs.split(|c: char| c.is_ascii_whitespace()) {
            let attr_name = attr.split('=').next().unwrap_or("");
            if attr_name.starts_with("on") && attr_name.len() > 2 {
                return Some(format!("an event-handler attribute `{attr_name}`"));
            }
            if attr_name == "style" {
                return Some("a `style` attribute".to_string());
            }
            if let Some(v) = attr
                .split_once('=')
                .map(|(_, v)| v.trim_matches(['"', '\'']))
                && let Some(s) = super::links::scheme(v).filter(|s| !is_safe_scheme(s))
            {
                return Some(format!("a `{s}:` URL"));
            }
        }
    }
    None
}

fn allowed_tags() -> &'static HashSet<&'static str> {
    static TAGS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    TAGS.get_or_init(|| base().clone_tags())
}

/// ammonia's defaults plus what Markdown itself produces: ids, classes (filtered in [`clean`]),
/// `lang`/`dir` for Welsh and English passages, and task-list checkboxes that are always
/// disabled checkboxes, whatever the HTML asked for.
fn base() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_tags(["input"])
        .add_generic_attributes(["id", "class", "lang", "dir"])
        .add_tag_attributes("pre", ["data-lang"])
        .add_tag_attributes("input", ["checked", "type"])
        // One attribute only: ammonia sets several in hash order, which would differ from one
        // build to the next.
        .set_tag_attribute_value("input", "disabled", "")
        .url_schemes(SAFE_SCHEMES.into_iter().collect())
        .link_rel(None);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_ids_are_found() {
        assert_eq!(
            raw_ids("<div id=\"main\"><a ID='x' hidden=y data-id=\"no\">"),
            ["main", "x"]
        );
    }

    #[test]
    fn policy() {
        let own: HashSet<String> = ["results".to_string()].into();
        let html = clean(
            "<h2 id=\"results\" class=\"x\">R</h2><div id=\"main\" class=\"site-header notice\">x</div>\
             <span class=\"hl-keyword evil\">k</span><input type=\"password\" name=\"p\">",
            own,
        );
        assert!(html.contains("<h2 id=\"results\">"), "{html}");
        assert!(html.contains("<div id=\"user-content-main\">"), "{html}");
        assert!(html.contains("<span class=\"hl-keyword\">"), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
        assert!(html.contains("disabled"), "{html}");
        assert!(!html.contains("password"), "{html}");
    }
}
