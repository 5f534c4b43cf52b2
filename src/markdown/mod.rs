//! Markdown body → HTML: stable heading anchors, relative `.md` links rewritten to page URLs and
//! recorded for checking, fenced code highlighted with CSS classes, and raw HTML sanitised.
//!
//! Safety rests on three rules: links written in Markdown keep only safe URL schemes
//! ([`links`]); relative paths stay inside content/ and only files the content walk found are
//! opened ([`images`]); any document that contains raw HTML goes through the sanitiser as a
//! whole ([`sanitise`]). Documents without raw HTML (almost all of them) skip the HTML parse that
//! sanitising costs; their ids and classes are hub's own.

mod highlight;
mod images;
mod lines;
pub mod links;
pub mod oracle;
mod quotes;
pub mod sanitise;

pub use oracle::executable_construct;

use crate::diagnostics::Diagnostic;
use crate::slug::{AnchorSet, anchor};
use crate::urls::DocKey;
use images::OpenImage;
use lines::LineIndex;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};
use std::path::Path;

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
    pub urls: &'a crate::urls::Urls,
    /// The content/ folder on disk, where the files of `files` are.
    pub content_dir: &'a Path,
    /// Ids the theme's pages use around the content (`main`, `q`…): no heading may take them.
    pub reserved_ids: &'a HashSet<String>,
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
    /// How many paragraphs it has (a translation should have as many as its twin).
    pub paragraphs: usize,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Links to documents, to check.
    pub links: Vec<DocLink>,
    /// The plain text, for excerpts and search.
    pub text: String,
    /// Quotations, to check against the document's sources.
    pub quotes: Vec<crate::citations::Quote>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A heading being collected: level, written id, inner events.
type OpenHeading<'s> = (u8, Option<CowStr<'s>>, Vec<Event<'s>>);

/// Renders `src` (a body or a Markdown field) to HTML.
pub fn render(src: &str, cx: &Context, diags: &mut Vec<Diagnostic>) -> Rendered {
    let lines = LineIndex::new(src, cx.line_offset);
    let mut out = Rendered::default();
    // Sized from the source, so the text and event list are not regrown many times over.
    out.text.reserve(src.len());
    let mut anchors = AnchorSet::reserving(cx.reserved_ids);
    let mut footnotes = Footnotes::default();
    let mut events: Vec<Event> = Vec::with_capacity(src.len() / 16);
    let mut raw_html: Vec<CowStr> = Vec::new();
    let mut heading: Option<OpenHeading> = None;
    let mut code: Option<(String, String)> = None;
    let mut image: Option<OpenImage> = None;
    let mut quotes = quotes::Collector::default();

    // The last heading while nothing has followed it: (level, line, column, text).
    let mut bare: Option<(u8, usize, usize, String)> = None;
    let empty_section = |bare: &mut Option<(u8, usize, usize, String)>,
                         diags: &mut Vec<Diagnostic>| {
        if let Some((_, line, column, text)) = bare.take() {
            diags.push(
                Diagnostic::warning(
                    cx.path,
                    line,
                    column,
                    format!("the section “{text}” is empty"),
                )
                .with_help("write what is known, say that it is not known, or remove the heading"),
            );
        }
    };
    for (event, range) in Parser::new_ext(src, options()).into_offset_iter() {
        match &event {
            Event::Start(Tag::Heading { level, .. }) => {
                // A subsection under it is content; a heading at its level or above ends it.
                if bare.as_ref().is_some_and(|(l, ..)| *level as u8 <= *l) {
                    empty_section(&mut bare, diags);
                }
                bare = None;
            }
            Event::Start(_) | Event::Html(_) | Event::Rule | Event::Text(_)
                if heading.is_none() =>
            {
                bare = None;
            }
            _ => {}
        }
        if let Some(img) = image.as_mut() {
            match event {
                Event::Text(t) | Event::Code(t) => img.alt.push_str(&t),
                Event::End(TagEnd::Image) => {
                    let img = image.take().expect("in an image");
                    if img.alt.trim().is_empty() {
                        let (line, column, written) = &img.at;
                        diags.push(
                            Diagnostic::warning(
                                cx.path,
                                *line,
                                *column,
                                format!("the image `{written}` has no description (alt text) for people who cannot see it"),
                            )
                            .with_help(format!("say what it shows between the brackets: `![A map of the route]({written})`")),
                        );
                    }
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
                    events.push(Event::Html(highlight::highlight(&lang, &buf).into()));
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
            Event::Start(Tag::Heading { level, id, .. }) => {
                // Classes and attributes written on a heading (`{.x data-y=z}`) are dropped:
                // content may not borrow the theme's classes.
                heading = Some((level as u8, id, Vec::new()));
                continue;
            }
            Event::End(TagEnd::Heading(level)) => {
                let (lvl, id, inner) = heading.take().expect("in a heading");
                let text = plain_text(&inner);
                let (line, column) = lines.position(range.start);
                bare = Some((lvl, line, column, text.clone()));
                // A written id (`{#results}`) follows the rules of made ones: a slug, unique, and
                // never one of the theme's own ids.
                let id = anchors.unique(&anchor(id.as_deref().unwrap_or(&text)));
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
                    classes: Vec::new(),
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
                let to = links::rewrite(
                    &dest_url,
                    links::Target::Link,
                    range.start,
                    cx,
                    &lines,
                    &mut out.links,
                    diags,
                );
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: to.url.into(),
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let to = links::rewrite(
                    &dest_url,
                    links::Target::Image,
                    range.start,
                    cx,
                    &lines,
                    &mut out.links,
                    diags,
                );
                // Only a file the content walk found is opened, never a path as written.
                let size = to
                    .file
                    .as_deref()
                    .and_then(|f| images::size(&cx.content_dir.join(f)));
                let (line, column) = lines.position(range.start);
                image = Some(OpenImage {
                    url: to.url,
                    title: title.to_string(),
                    size,
                    alt: String::new(),
                    at: (line, column, dest_url.to_string()),
                });
                continue;
            }
            Event::FootnoteReference(name) => {
                let (n, id) = footnotes.number(&name);
                Event::InlineHtml(
                    format!("<sup class=\"footnote-reference\"><a href=\"#{id}\">{n}</a></sup>")
                        .into(),
                )
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let (n, id) = footnotes.number(&name);
                Event::Html(
                    format!(
                        "<div class=\"footnote-definition\" id=\"{id}\"><sup class=\"footnote-definition-label\">{n}</sup>"
                    )
                    .into(),
                )
            }
            Event::End(TagEnd::FootnoteDefinition) => Event::Html("</div>\n".into()),
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                raw_html.push(html.clone());
                if let Some(problem) = sanitise::unsafe_html(html) {
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
            Event::Start(Tag::BlockQuote(_)) => {
                quotes.open_block(range.start);
                event
            }
            Event::Start(Tag::Paragraph) => {
                links::spaced_links(&src[range.clone()], range.start, cx, &lines, diags);
                event
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                quotes.close_block(&lines);
                event
            }
            Event::Text(ref t) => {
                if heading.is_none() {
                    out.text.push_str(t);
                    quotes.text(t, range.start);
                }
                event
            }
            Event::Code(ref t) => {
                if heading.is_none() {
                    out.text.push_str(t);
                    quotes.space();
                }
                event
            }
            Event::SoftBreak | Event::HardBreak if heading.is_none() => {
                out.text.push(' ');
                quotes.line_break();
                event
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                if matches!(event, Event::End(TagEnd::Paragraph)) && heading.is_none() {
                    out.paragraphs += 1;
                }
                out.text.push('\n');
                quotes.end_paragraph(&lines);
                event
            }
            other => other,
        };
        match heading.as_mut() {
            Some((.., inner)) => inner.push(event),
            None => events.push(event),
        }
    }
    empty_section(&mut bare, diags);

    out.quotes = quotes.quotes;
    let has_html = !raw_html.is_empty();
    if has_html {
        link_to_raw_ids(&raw_html, &mut events, &mut out.links, cx.this);
    }
    let mut html = String::with_capacity(src.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html = if has_html {
        let own = out
            .headings
            .iter()
            .map(|h| h.id.clone())
            .chain(footnotes.ids())
            .collect();
        sanitise::clean(&html, own)
    } else {
        html
    };
    // Copied into buffers of their own size: a hub's every body stays in memory until the
    // site is written, and the allocator keeps a buffer that shrinks by less than half as it
    // was (about 2 KB a study here).
    out.html = exact(out.html);
    out.text = exact(out.text);
    out
}

/// `s` in a buffer of its length.
fn exact(s: String) -> String {
    if s.capacity() - s.len() > s.len() / 16 {
        s.as_str().to_owned()
    } else {
        s
    }
}

/// Same-page links to ids written in raw HTML (`[see](#box)` to `<div id="box">`) lead to the
/// prefixed id the sanitiser gives them, and are not checked against headings.
fn link_to_raw_ids(
    raw_html: &[CowStr],
    events: &mut [Event],
    links: &mut Vec<DocLink>,
    this: &DocKey,
) {
    let ids: HashSet<String> = raw_html.iter().flat_map(|h| sanitise::raw_ids(h)).collect();
    if ids.is_empty() {
        return;
    }
    for e in events.iter_mut() {
        if let Event::Start(Tag::Link { dest_url, .. }) = e
            && let Some(id) = dest_url.strip_prefix('#')
            && ids.contains(id)
        {
            *dest_url = format!("#{}{id}", sanitise::ID_PREFIX).into();
        }
    }
    links.retain(|l| {
        &l.target != this || !l.written.starts_with('#') || !ids.contains(&l.written[1..])
    });
}

/// Footnotes, numbered in order of first mention (as pulldown-cmark numbers them), with ids of
/// hub's own (`fn-1`) rather than the label written, which could be any of the theme's ids.
#[derive(Default)]
struct Footnotes {
    numbers: HashMap<String, usize>,
}

impl Footnotes {
    fn number(&mut self, label: &str) -> (usize, String) {
        let next = self.numbers.len() + 1;
        let n = *self.numbers.entry(label.to_string()).or_insert(next);
        (n, format!("fn-{n}"))
    }

    fn ids(&self) -> impl Iterator<Item = String> + '_ {
        self.numbers.values().map(|n| format!("fn-{n}"))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    use crate::urls::Urls;

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

    pub(super) fn run(src: &str) -> (Rendered, Vec<Diagnostic>) {
        let (docs, files, urls) = fixture();
        let this = DocKey::Study("deep-end".into());
        let reserved: HashSet<String> = ["main".to_string(), "q".to_string()].into();
        let cx = Context {
            path: "content/case-studies/deep-end/index.md",
            dir: "case-studies/deep-end",
            line_offset: 10,
            this: &this,
            docs: &docs,
            files: &files,
            urls: &urls,
            content_dir: Path::new("/nonexistent"),
            reserved_ids: &reserved,
        };
        let mut d = Vec::new();
        let r = render(src, &cx, &mut d);
        (r, d)
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

    proptest::proptest! {
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
}

#[cfg(test)]
mod policy {
    use super::tests::run;

    #[test]
    fn headings_never_take_the_themes_ids_or_classes() {
        let (r, _) = run("## Main\n\n## Q {#q .site-header}\n\n## Main\n");
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["main-2", "q-2", "main-3"]);
        assert!(!r.html.contains("site-header"), "{}", r.html);
    }

    #[test]
    fn raw_ids_are_prefixed_and_same_page_links_follow() {
        let (r, d) = run(
            "[box](#box) [top](#main)\n\n<div id=\"box\" class=\"notice\">x</div>\n\n<div id=\"main\">y</div>\n",
        );
        assert!(
            r.html.contains("<div id=\"user-content-box\">"),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"#user-content-box\""), "{}", r.html);
        assert!(r.html.contains("href=\"#user-content-main\""), "{}", r.html);
        assert!(r.links.is_empty(), "{:?}", r.links);
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn footnotes_get_hubs_own_ids() {
        let (r, _) = run("A[^main] and B[^q].\n\n[^main]: one\n[^q]: two\n");
        assert!(r.html.contains("href=\"#fn-1\""), "{}", r.html);
        assert!(r.html.contains("id=\"fn-2\""), "{}", r.html);
        assert!(!r.html.contains("id=\"main\""), "{}", r.html);
    }

    #[test]
    fn paths_out_of_content_are_errors_and_never_opened() {
        let (r, d) = run("![x](../../../../../../etc/passwd) [y](../../../secret.txt)");
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(
            d[0].message,
            "the link `../../../../../../etc/passwd` leads outside content/"
        );
        assert_eq!((d[0].line, d[0].column), (11, 1));
        assert!(!r.html.contains("passwd"), "{}", r.html);
    }
}

#[cfg(test)]
mod quotation_tests {
    use super::tests::run;

    #[test]
    fn quotations_are_collected_and_attributed_words_are_not() {
        let (r, _) = run(
            "> Pethau wedi newid yn llwyr.\n> — rheolwr practis\n\nHe said “one two three four five” then.\n\n> A quoted passage here.\n",
        );
        let texts: Vec<(&str, usize, usize, bool)> = r
            .quotes
            .iter()
            .map(|q| (q.text.as_str(), q.line, q.column, q.block))
            .collect();
        assert_eq!(
            texts,
            [
                ("one two three four five", 14, 9, false),
                ("A quoted passage here.", 16, 1, true)
            ]
        );
    }
}
