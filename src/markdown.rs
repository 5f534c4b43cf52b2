//! Markdown body → HTML: stable heading anchors, relative `.md` links rewritten to page URLs and
//! recorded for checking, fenced code highlighted with CSS classes, and raw HTML sanitised.
//!
//! Safety rests on two rules: links written in Markdown keep only safe URL schemes, and any
//! document that contains raw HTML goes through ammonia as a whole. Documents without raw HTML
//! (almost all of them) skip the HTML parse that sanitising costs.

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::slug::{AnchorSet, anchor};
use crate::urls::{DocKey, Urls};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

/// Everything rendering needs to know about where a document sits.
pub struct Context<'a> {
    /// File path relative to the hub root, for diagnostics.
    pub path: &'a str,
    /// The document's folder relative to content/ (`case-studies`, `case-studies/deep-end`, ``).
    pub dir: &'a str,
    /// File line on which the Markdown starts, minus one.
    pub line_offset: usize,
    /// The document being rendered, for `#fragment` links within it.
    pub this: &'a DocKey,
    /// Markdown files under content/, by path relative to content/ (`.cy.md` included).
    pub docs: &'a HashMap<String, DocKey>,
    /// Other files published beside pages, by path relative to content/.
    pub files: &'a HashSet<String>,
    /// The URL scheme.
    pub urls: &'a Urls,
    /// The document's folder on disk, to read the size of images beside it.
    pub abs_dir: &'a Path,
}

/// A heading of a rendered document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// The anchor, unique within the document.
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// A link to another document (or a `#fragment` of this one), kept for checking once all
/// documents are loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocLink {
    /// What the link points at.
    pub target: DocKey,
    /// The `#fragment`, without `#`.
    pub fragment: Option<String>,
    /// 1-based file line of the link.
    pub line: usize,
    /// 1-based column of the link.
    pub column: usize,
    /// The link as written.
    pub written: String,
}

/// The result of rendering one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// Safe HTML.
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Links to documents, to check.
    pub links: Vec<DocLink>,
    /// The plain text, for excerpts and search.
    pub text: String,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The first construct in rendered `html` that a browser would run, if any: a `<script>`-like
/// element, an `on…` handler attribute, or a URL attribute with a script scheme. The fuzz
/// targets and property tests hold every rendered document to `None`.
pub fn executable_construct(html: &str) -> Option<String> {
    const ELEMENTS: [&str; 8] = [
        "script", "iframe", "object", "embed", "frame", "base", "meta", "link",
    ];
    const URL_ATTRS: [&str; 6] = [
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "srcset",
    ];
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(open) = html[i..].find('<') {
        let start = i + open + 1;
        let mut j = start;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'/') {
            j += 1;
        }
        let name = html[start..j].trim_start_matches('/').to_ascii_lowercase();
        if ELEMENTS.contains(&name.as_str()) {
            return Some(format!("<{name}>"));
        }
        // Attributes up to the end of the tag, minding quotes.
        loop {
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' || name.is_empty() {
                break;
            }
            let a = j;
            while j < bytes.len() && !matches!(bytes[j], b'=' | b'>' | b' ' | b'\t' | b'\n' | b'/')
            {
                j += 1;
            }
            let attr = html[a..j].to_ascii_lowercase();
            if j < bytes.len() && bytes[j] == b'/' {
                j += 1;
                continue;
            }
            let mut value = String::new();
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                let quote = bytes.get(j).copied().filter(|q| *q == b'"' || *q == b'\'');
                let v = if quote.is_some() { j + 1 } else { j };
                let end = match quote {
                    Some(q) => html[v..].find(q as char).map_or(bytes.len(), |e| v + e),
                    None => html[v..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(bytes.len(), |e| v + e),
                };
                value = html[v..end].to_string();
                j = if quote.is_some() { end + 1 } else { end };
            }
            if attr.starts_with("on") && attr.len() > 2 {
                return Some(format!("the handler `{attr}`"));
            }
            if URL_ATTRS.contains(&attr.as_str()) {
                let decoded: String = value
                    .replace("&amp;", "&")
                    .replace("&#x3a;", ":")
                    .replace("&#58;", ":")
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                for bad in ["javascript:", "vbscript:", "data:text/html"] {
                    if decoded.starts_with(bad) {
                        return Some(format!("`{attr}` with `{bad}`"));
                    }
                }
            }
        }
        i = j.max(start).min(bytes.len());
        if i >= bytes.len() {
            break;
        }
    }
    None
}

/// An image whose alt text is being collected.
struct OpenImage {
    url: String,
    title: String,
    size: Option<(u32, u32)>,
    alt: String,
}

impl OpenImage {
    /// The `<img>`, with its intrinsic size when known so the page does not jump as it loads.
    fn html(&self) -> String {
        let mut h = String::from("<img src=\"");
        let _ = pulldown_cmark_escape::escape_href(&mut h, &self.url);
        h.push_str("\" alt=\"");
        let _ = pulldown_cmark_escape::escape_html(&mut h, &self.alt);
        h.push('"');
        if !self.title.is_empty() {
            h.push_str(" title=\"");
            let _ = pulldown_cmark_escape::escape_html(&mut h, &self.title);
            h.push('"');
        }
        if let Some((w, ht)) = self.size {
            h.push_str(&format!(" width=\"{w}\" height=\"{ht}\""));
        }
        h.push_str(" loading=\"lazy\" decoding=\"async\">");
        h
    }
}

/// The file path of an image written as a relative URL (`route.svg`, `img/a%20b.png`).
fn local_image(dest: &str) -> Option<String> {
    if dest.starts_with('/') || dest.starts_with('#') || scheme(dest).is_some() {
        return None;
    }
    let path = dest.split(['?', '#']).next().unwrap_or(dest);
    Some(path.replace("%20", " "))
}

/// Width and height of an image file in CSS pixels: from its header (imagesize), or for SVG
/// from the root element's `width`/`height`, else its `viewBox`.
fn image_size(path: &Path) -> Option<(u32, u32)> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
    {
        let text = std::fs::read_to_string(path).ok()?;
        let doc = roxmltree::Document::parse(&text).ok()?;
        let svg = doc.root_element();
        let px = |name: &str| {
            svg.attribute(name)
                .map(|v| v.trim().trim_end_matches("px"))
                .and_then(|v| v.parse::<f64>().ok())
        };
        if let (Some(w), Some(h)) = (px("width"), px("height")) {
            return Some((w.round() as u32, h.round() as u32));
        }
        let view: Vec<f64> = svg
            .attribute("viewBox")?
            .split([' ', ','])
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.parse().ok())
            .collect();
        return (view.len() == 4).then(|| (view[2].round() as u32, view[3].round() as u32));
    }
    let size = imagesize::size(path).ok()?;
    Some((
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    ))
}

/// A heading being collected: level, written id, classes, inner events.
type OpenHeading<'s> = (u8, Option<CowStr<'s>>, Vec<CowStr<'s>>, Vec<Event<'s>>);

/// Renders `src` (a body or a Markdown field) to HTML.
pub fn render(src: &str, cx: &Context, diags: &mut Vec<Diagnostic>) -> Rendered {
    let lines = LineIndex::new(src, cx.line_offset);
    let mut out = Rendered::default();
    // Sized from the source, so the text and event list are not regrown many times over.
    out.text.reserve(src.len());
    let mut anchors = AnchorSet::default();
    let mut events: Vec<Event> = Vec::with_capacity(src.len() / 16);
    let mut has_html = false;
    let mut heading: Option<OpenHeading> = None;
    let mut code: Option<(String, String)> = None;
    let mut image: Option<OpenImage> = None;

    for (event, range) in Parser::new_ext(src, options()).into_offset_iter() {
        if let Some(img) = image.as_mut() {
            match event {
                Event::Text(t) | Event::Code(t) => img.alt.push_str(&t),
                Event::End(TagEnd::Image) => {
                    let img = image.take().expect("in an image");
                    events.push(Event::InlineHtml(img.html().into()));
                }
                _ => {}
            }
            continue;
        }
        if let Some((_, buf)) = code.as_mut() {
            match event {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, buf) = code.take().expect("in a code block");
                    out.text.push_str(&buf);
                    out.text.push('\n');
                    events.push(Event::Html(highlight(&lang, &buf).into()));
                }
                _ => {}
            }
            continue;
        }
        let event = match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
                continue;
            }
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                heading = Some((level as u8, id, classes, Vec::new()));
                continue;
            }
            Event::End(TagEnd::Heading(level)) => {
                let (lvl, id, classes, inner) = heading.take().expect("in a heading");
                let text = plain_text(&inner);
                let id = anchors.unique(&id.map_or_else(|| anchor(&text), |i| i.to_string()));
                out.text.push_str(&text);
                out.text.push('\n');
                out.headings.push(Heading {
                    level: lvl,
                    id: id.clone(),
                    text,
                });
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(id.into()),
                    classes,
                    attrs: Vec::new(),
                }));
                events.extend(inner);
                events.push(Event::End(TagEnd::Heading(level)));
                continue;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = rewrite(&dest_url, range.start, cx, &lines, &mut out.links, diags);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest_url.into(),
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let size = local_image(&dest_url).and_then(|rel| image_size(&cx.abs_dir.join(rel)));
                let url = rewrite(&dest_url, range.start, cx, &lines, &mut out.links, diags);
                image = Some(OpenImage {
                    url,
                    title: title.to_string(),
                    size,
                    alt: String::new(),
                });
                continue;
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                has_html = true;
                if let Some(problem) = unsafe_html(html) {
                    let (line, column) = lines.position(range.start);
                    diags.push(
                        Diagnostic::warning(
                            cx.path,
                            line,
                            column,
                            format!("removed {problem} from the HTML here"),
                        )
                        .with_help(
                            "raw HTML that could run script is not allowed; write it in Markdown",
                        ),
                    );
                }
                event
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if heading.is_none() {
                    out.text.push_str(t);
                }
                event
            }
            Event::SoftBreak | Event::HardBreak if heading.is_none() => {
                out.text.push(' ');
                event
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                out.text.push('\n');
                event
            }
            other => other,
        };
        match heading.as_mut() {
            Some((.., inner)) => inner.push(event),
            None => events.push(event),
        }
    }

    let mut html = String::with_capacity(src.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html = if has_html {
        sanitiser().clean(&html).to_string()
    } else {
        html
    };
    out
}

fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            s.push_str(t);
        }
    }
    s.trim().to_string()
}

/// Rewrites one link or image destination, recording links to documents.
fn rewrite(
    dest: &str,
    offset: usize,
    cx: &Context,
    lines: &LineIndex,
    links: &mut Vec<DocLink>,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let (line, column) = lines.position(offset);
    if let Some(scheme) = scheme(dest) {
        if matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel") {
            return dest.to_string();
        }
        diags.push(
            Diagnostic::warning(
                cx.path,
                line,
                column,
                format!("removed a link with the unsafe scheme `{scheme}:`"),
            )
            .with_help("links may use http, https, mailto or tel"),
        );
        return "#".to_string();
    }
    if dest.starts_with('/') {
        return dest.to_string();
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
        return dest.to_string();
    }
    let path_part = path_part.split('?').next().unwrap_or(path_part);
    let decoded = path_part.replace("%20", " ");
    let Some(target) = normalise(cx.dir, &decoded) else {
        // A relative page URL such as `../outcomes/` is left for the browser to resolve; the
        // Welsh tree mirrors the English one, so it works in both.
        if decoded.ends_with(".md") {
            diags.push(Diagnostic::error(
                cx.path,
                line,
                column,
                format!("the link `{dest}` leads outside content/"),
            ));
        }
        return dest.to_string();
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
                url
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
                dest.to_string()
            }
        }
    } else if cx.files.contains(&target) {
        // Absolute, so the link also works from the other language's tree.
        cx.urls.file(&target)
    } else if target
        .rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'))
    {
        diags.push(
            Diagnostic::error(cx.path, line, column, format!("the link `{dest}` points at `content/{target}`, which does not exist"))
                .with_help("put the file beside the page (a case study in bundle form keeps its files in its folder)"),
        );
        dest.to_string()
    } else {
        dest.to_string()
    }
}

/// The URL scheme, lower-cased, ignoring the whitespace and control characters browsers ignore.
fn scheme(dest: &str) -> Option<String> {
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

/// Resolves `rel` against `dir`, both relative to content/. `None` if it climbs out.
fn normalise(dir: &str, rel: &str) -> Option<String> {
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
    Some(parts.join("/"))
}

/// The relative URL from page path `from` to page path `to` (both like `case-studies/alpha/`).
fn relative_url(from: &str, to: &str) -> String {
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
fn relative_to(dir: &str, path: &str) -> String {
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

/// What in a raw HTML fragment the sanitiser will remove, if anything, in words.
fn unsafe_html(html: &str) -> Option<String> {
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
                && let Some(s) =
                    scheme(v).filter(|s| !matches!(s.as_str(), "http" | "https" | "mailto" | "tel"))
            {
                return Some(format!("a `{s}:` URL"));
            }
        }
    }
    None
}

fn allowed_tags() -> &'static HashSet<&'static str> {
    static TAGS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    TAGS.get_or_init(|| sanitiser().clone_tags())
}

/// The sanitiser: ammonia's defaults (no script, style, iframe, object, event handlers or
/// `javascript:` URLs), plus the ids, classes and task-list checkboxes Markdown produces.
fn sanitiser() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["input"])
            .add_generic_attributes(["id", "class", "lang", "dir"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
            .link_rel(None);
        b
    })
}

/// Highlights a code block with CSS classes (`hl-…`), or escapes it when the language is unknown.
fn highlight(lang: &str, code: &str) -> String {
    use syntect::html::{ClassStyle, ClassedHTMLGenerator};
    use syntect::parsing::SyntaxSet;
    use syntect::util::LinesWithEndings;
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    let escaped_lang = pulldown_cmark_escape_attr(lang);
    if !lang.is_empty() {
        let ss = SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines);
        if let Some(syntax) = ss.find_syntax_by_token(lang) {
            let mut g = ClassedHTMLGenerator::new_with_class_style(
                syntax,
                ss,
                ClassStyle::SpacedPrefixed { prefix: "hl-" },
            );
            let ok = LinesWithEndings::from(code)
                .all(|line| g.parse_html_for_line_which_includes_newline(line).is_ok());
            if ok {
                return format!(
                    "<pre class=\"code\" data-lang=\"{escaped_lang}\"><code>{}</code></pre>\n",
                    g.finalize()
                );
            }
        }
    }
    let mut escaped = String::with_capacity(code.len());
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut escaped, code);
    format!("<pre class=\"code\"><code>{escaped}</code></pre>\n")
}

fn pulldown_cmark_escape_attr(s: &str) -> String {
    let mut out = String::new();
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

/// Maps byte offsets in the Markdown to 1-based file lines and columns.
struct LineIndex<'a> {
    src: &'a str,
    starts: OnceLock<Vec<usize>>,
    line_offset: usize,
}

impl<'a> LineIndex<'a> {
    fn new(src: &'a str, line_offset: usize) -> Self {
        LineIndex {
            src,
            starts: OnceLock::new(),
            line_offset,
        }
    }

    fn position(&self, offset: usize) -> (usize, usize) {
        let starts = self.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.src.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let line = starts.partition_point(|&s| s <= offset);
        let start = starts[line - 1];
        let column = self.src[start..offset.min(self.src.len())].chars().count() + 1;
        (line + self.line_offset, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> (HashMap<String, DocKey>, HashSet<String>, Urls) {
        let mut docs = HashMap::new();
        docs.insert(
            "case-studies/physio-first.md".to_string(),
            DocKey::Study("physio-first".into()),
        );
        docs.insert("about.md".to_string(), DocKey::Page("about".into()));
        let files: HashSet<String> = ["case-studies/deep-end/clinic.jpg".to_string()].into();
        (docs, files, Urls::new("/", crate::lang::Lang::En))
    }

    fn run(src: &str) -> (Rendered, Vec<Diagnostic>) {
        let (docs, files, urls) = fixture();
        let this = DocKey::Study("deep-end".into());
        let cx = Context {
            path: "content/case-studies/deep-end/index.md",
            dir: "case-studies/deep-end",
            line_offset: 10,
            this: &this,
            docs: &docs,
            files: &files,
            urls: &urls,
            abs_dir: Path::new("/nonexistent"),
        };
        let mut d = Vec::new();
        let r = render(src, &cx, &mut d);
        (r, d)
    }

    #[test]
    fn executable_constructs_are_found() {
        for bad in [
            "<p>x</p><script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"java\tscript:alert(1)\">a</a>",
            "<a href='JavaScript&#x3a;alert(1)'>a</a>",
            "<IFRAME src=\"/\"></IFRAME>",
        ] {
            assert!(executable_construct(bad).is_some(), "{bad}");
        }
        for fine in [
            "<p>turn on=off &lt;script&gt;</p>",
            "<a href=\"https://example.org/\" title=\"onion\">x</a>",
            "<img src=\"/a.svg\" alt=\"on\" width=\"1\">",
        ] {
            assert_eq!(executable_construct(fine), None, "{fine}");
        }
    }

    #[test]
    fn rewrites_md_links_relative_to_the_page() {
        let (r, d) = run("See [PF](../physio-first.md#results) and ![c](clinic.jpg).");
        assert!(d.is_empty(), "{d:?}");
        assert!(
            r.html.contains("href=\"../physio-first/#results\""),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("src=\"/case-studies/deep-end/clinic.jpg\""),
            "{}",
            r.html
        );
        assert_eq!(r.links[0].fragment.as_deref(), Some("results"));
        assert_eq!((r.links[0].line, r.links[0].column), (11, 5));
    }

    #[test]
    fn broken_link_is_an_error_at_its_line() {
        let (_, d) = run("Intro\n\nSee [x](../physio-frist.md).");
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column), (13, 5));
        assert_eq!(
            d[0].help.as_deref(),
            Some("did you mean `../physio-first.md`?")
        );
    }

    #[test]
    fn heading_ids_unique_and_welsh() {
        let (r, _) = run("## Canlyniadau’r gwaith\n\n## Results\n\n## Results\n");
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["canlyniadaur-gwaith", "results", "results-2"]);
        assert!(r.html.contains("<h2 id=\"results-2\">"), "{}", r.html);
    }

    #[test]
    fn script_never_survives() {
        let src = "Hi <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1)) [b](JaVa\tScRiPt:alert(1))\n\n<a href=\"javascript:alert(1)\">c</a> <abbr title=\"x\">GMS</abbr>";
        let (r, d) = run(src);
        let lower = r.html.to_lowercase();
        assert!(!lower.contains("<script"), "{}", r.html);
        assert!(!lower.contains("onerror"), "{}", r.html);
        assert!(!lower.contains("javascript:"), "{}", r.html);
        assert_eq!(executable_construct(&r.html), None, "{}", r.html);
        assert!(
            r.html.contains("<abbr title=\"x\">GMS</abbr>"),
            "{}",
            r.html
        );
        assert!(d.iter().any(|d| d.message.contains("<script>")), "{d:?}");
        assert!(d.iter().any(|d| d.message.contains("onerror")), "{d:?}");
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let (r, _) = run("```rust\nfn main() {}\n```\n");
        assert!(r.html.contains("class=\"hl-"), "{}", r.html);
        assert!(!r.html.contains("style="), "{}", r.html);
    }

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

        #[test]
        fn rendered_html_never_holds_script(
            parts in proptest::collection::vec(proptest::prop_oneof![
                proptest::strategy::Just("<script>alert(1)</script>".to_string()),
                proptest::strategy::Just("<img src=x onerror=alert(1)>".to_string()),
                proptest::strategy::Just("<a href=\"javascript:alert(1)\">x</a>".to_string()),
                proptest::strategy::Just("[x](javascript:alert(1))".to_string()),
                proptest::strategy::Just("[x](JaVaScRiPt&#58;alert(1))".to_string()),
                proptest::strategy::Just("<iframe src=/></iframe>".to_string()),
                proptest::strategy::Just("<svg onload=alert(1)>".to_string()),
                proptest::strategy::Just("<div style=\"x\" onclick='y'>".to_string()),
                proptest::strategy::Just("![i](data:text/html,<script>)".to_string()),
                proptest::strategy::Just("\n\n".to_string()),
                proptest::strategy::Just("> ".to_string()),
                proptest::strategy::Just("`".to_string()),
                proptest::strategy::Just("<".to_string()),
                "[ -~]{0,12}",
            ], 0..24)
        ) {
            let src: String = parts.concat();
            let (r, _) = run(&src);
            proptest::prop_assert_eq!(executable_construct(&r.html), None, "{}", r.html);
        }

        #[test]
        fn heading_ids_are_valid_and_unique(titles in proptest::collection::vec("\\PC{0,20}", 1..12)) {
            let src: String = titles.iter().map(|t| format!("## {}\n\n", t.replace(['\n', '\r', '{', '}'], " "))).collect();
            let (r, _) = run(&src);
            let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
            let unique: std::collections::HashSet<&&str> = ids.iter().collect();
            proptest::prop_assert_eq!(unique.len(), ids.len(), "{:?}", ids);
            for id in &ids {
                proptest::prop_assert!(crate::slug::is_slug(id), "{id:?}");
            }
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
        assert_eq!(relative_to("case-studies", "about.md"), "../about.md");
        assert_eq!(relative_to("case-studies", "case-studies/a.md"), "a.md");
    }
}

#[cfg(test)]
mod syntax_css {
    /// The theme's syntax.css must be what syntect generates for the class names `highlight`
    /// emits. `UPDATE_SYNTAX_CSS=1 cargo test` rewrites it.
    #[test]
    fn syntax_css_matches_highlighter() {
        use syntect::highlighting::ThemeSet;
        use syntect::html::{ClassStyle, css_for_theme_with_class_style};
        let themes = ThemeSet::load_defaults();
        let css = css_for_theme_with_class_style(
            &themes.themes["InspiredGitHub"],
            ClassStyle::SpacedPrefixed { prefix: "hl-" },
        )
        .expect("css for a built-in theme");
        let css =
            format!("/* Generated from syntect's InspiredGitHub theme; see markdown.rs. */\n{css}");
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/static/assets/syntax.css"
        );
        if std::env::var_os("UPDATE_SYNTAX_CSS").is_some() {
            std::fs::write(path, &css).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(path).unwrap(),
            css,
            "run UPDATE_SYNTAX_CSS=1 cargo test"
        );
    }
}
