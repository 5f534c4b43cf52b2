//! A document and its translation: a translation says everything its twin says, in the same
//! order, and its headings answer to the twin's anchors, so a link written against the English
//! page works on the Welsh one.

use crate::diagnostics::Diagnostic;
use crate::lang::Lang;
use crate::markdown::Rendered;
use crate::urls::DocKey;
use std::collections::HashSet;
use std::sync::Arc;

/// The shape of a text: its heading levels in order, and how many paragraphs it has.
fn outline(r: &Rendered) -> (Vec<u8>, usize) {
    (r.headings.iter().map(|h| h.level).collect(), r.paragraphs)
}

/// Compares a Welsh text with its English twin. Where the headings match level for level,
/// the Welsh headings take the English anchors (keeping their own as well, where no English
/// heading uses it); otherwise the Welsh page is reported as saying something else and
/// returned, so a link to an English anchor missing there is a warning, not an error.
pub fn match_outlines(
    key: &DocKey,
    en: &Rendered,
    cy: &mut Arc<Rendered>,
    cy_path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<DocKey> {
    let (en_shape, cy_shape) = (outline(en), outline(cy));
    if en_shape != cy_shape {
        diags.push(
            Diagnostic::warning(
                cy_path,
                1,
                1,
                format!(
                    "the Welsh has {} and {}; the English has {} and {}",
                    count(cy_shape.0.len(), "heading"),
                    count(cy_shape.1, "paragraph"),
                    count(en_shape.0.len(), "heading"),
                    count(en_shape.1, "paragraph"),
                ),
            )
            .with_help("a translation carries everything its twin says, heading for heading and paragraph for paragraph"),
        );
    }
    if en_shape.0 != cy_shape.0 {
        return Some(key.clone());
    }
    inherit_ids(en, cy);
    None
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Gives the Welsh headings the English anchors, in order.
fn inherit_ids(en: &Rendered, cy: &mut Arc<Rendered>) {
    if en
        .headings
        .iter()
        .zip(&cy.headings)
        .all(|(e, c)| e.id == c.id)
    {
        return;
    }
    let english: HashSet<&str> = en.headings.iter().map(|h| h.id.as_str()).collect();
    let cy = Arc::make_mut(cy);
    let mut html = String::with_capacity(cy.html.len() + 64 * cy.headings.len());
    let mut rest = cy.html.as_str();
    for (e, c) in en.headings.iter().zip(cy.headings.iter_mut()) {
        let tag = format!("<h{} id=\"{}\">", c.level, c.id);
        let Some(at) = rest.find(&tag) else { continue };
        html.push_str(&rest[..at]);
        html.push_str(&format!("<h{} id=\"{}\">", c.level, e.id));
        // The Welsh anchor stays reachable when no English one takes its name.
        if c.id != e.id && !english.contains(c.id.as_str()) {
            html.push_str(&format!("<span id=\"{}\"></span>", c.id));
        }
        rest = &rest[at + tag.len()..];
        c.id = e.id.clone();
    }
    html.push_str(rest);
    cy.html = html;
}

/// Whether a link's fragment missing on `lang`'s page of `target` is only a warning: the page
/// is a translation whose outline differs from its twin's (already reported).
pub fn lenient(differs: &HashSet<DocKey>, target: &DocKey, lang: Lang) -> bool {
    lang == Lang::Cy && differs.contains(target)
}
