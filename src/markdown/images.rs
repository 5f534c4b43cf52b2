//! Images in Markdown: the `<img>` element, with its intrinsic size read from the file when the
//! image is one of the hub's own published files, so the page does not jump as it loads.
//!
//! Only files the content walk found (regular files inside content/, no links followed) are ever
//! opened: a path written by a contributor never reaches the file system, so it cannot probe the
//! build machine for files or block the build on a device.

use std::path::Path;

/// An image whose alt text is being collected.
pub struct OpenImage {
    /// The rewritten URL.
    pub url: String,
    /// The title attribute.
    pub title: String,
    /// Width and height, when known.
    pub size: Option<(u32, u32)>,
    /// The alt text so far.
    pub alt: String,
    /// Where the image is written (line, column), and as what.
    pub at: (usize, usize, String),
}

impl OpenImage {
    /// The `<img>` element.
    pub fn html(&self) -> String {
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

/// The largest SVG whose size is read from its text: a real diagram is a few hundred KB.
const MAX_SVG_BYTES: u64 = 4 * 1024 * 1024;

/// Width and height of an image file in CSS pixels: from its header (imagesize), or for SVG
/// from the root element's `width`/`height`, else its `viewBox`.
pub fn size(path: &Path) -> Option<(u32, u32)> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
    {
        if std::fs::metadata(path).ok()?.len() > MAX_SVG_BYTES {
            return None;
        }
        let text = std::fs::read_to_string(path).ok()?;
        let doc = roxmltree::Document::parse(&text).ok()?;
        let svg = doc.root_element();
        let px = |name: &str| {
            svg.attribute(name)
                .map(|v| v.trim().trim_end_matches("px"))
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|v| v.is_finite() && *v >= 0.0)
        };
        if let (Some(w), Some(h)) = (px("width"), px("height")) {
            return Some((w.round() as u32, h.round() as u32));
        }
        let view: Vec<f64> = svg
            .attribute("viewBox")?
            .split([' ', ','])
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.parse().ok())
            .filter(|v: &f64| v.is_finite())
            .collect();
        return (view.len() == 4).then(|| (view[2].round() as u32, view[3].round() as u32));
    }
    let size = imagesize::size(path).ok()?;
    Some((
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    ))
}
