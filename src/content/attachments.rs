//! Which non-Markdown files under content/ may be published: passive types only.
//!
//! A file under content/ is published on the site's own origin, where the Content-Security-Policy
//! (`script-src 'self'`) trusts it: an `.html`, `.js` or scripted `.svg` beside a study would run
//! with the site's authority, whatever the Markdown sanitiser does. So only types a browser shows
//! or downloads without running anything are published, each checked by its first bytes (an HTML
//! file renamed `.png` is refused), and SVG only when parsing it finds nothing active. The list
//! is fixed in the binary: hub.yaml cannot widen it.

use std::io::Read;
use std::path::Path;

/// The published types, as a contributor reads them in an error.
pub const ALLOWED: &str = "images (.png, .jpg, .jpeg, .gif, .webp, .avif, and .svg without \
     script), documents (.pdf, .docx, .xlsx, .pptx, .odt, .ods, .odp) and data (.csv, .txt)";

/// The largest attachment published: a scanned report is a few MB; anything this size is a
/// mistake (a video, a database dump).
pub const MAX_BYTES: u64 = 50 * 1024 * 1024;

/// What a file is, by its extension (lower case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Png,
    Jpeg,
    Gif,
    Webp,
    Avif,
    Svg,
    Pdf,
    /// Office Open XML and OpenDocument files are zip archives.
    Zip,
    Text,
}

fn kind(ext: &str) -> Option<Kind> {
    Some(match ext {
        "png" => Kind::Png,
        "jpg" | "jpeg" => Kind::Jpeg,
        "gif" => Kind::Gif,
        "webp" => Kind::Webp,
        "avif" => Kind::Avif,
        "svg" => Kind::Svg,
        "pdf" => Kind::Pdf,
        "docx" | "xlsx" | "pptx" | "odt" | "ods" | "odp" => Kind::Zip,
        "csv" | "txt" => Kind::Text,
        _ => return None,
    })
}

/// Why a file under content/ is not published, or `None` if it may be.
pub fn refusal(rel: &str, abs: &Path) -> Option<String> {
    let ext = rel
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let Some(kind) = kind(&ext) else {
        return Some(if ext.is_empty() {
            "a file without an extension is not published".to_string()
        } else {
            format!("`.{ext}` files are not published: they could run script on the site")
        });
    };
    let len = match std::fs::metadata(abs) {
        Ok(m) => m.len(),
        Err(e) => return Some(format!("cannot read the file: {e}")),
    };
    if len > MAX_BYTES {
        return Some(format!(
            "the file is {} MB; attachments may be up to {} MB",
            len / (1024 * 1024),
            MAX_BYTES / (1024 * 1024)
        ));
    }
    if kind == Kind::Svg {
        let text = match std::fs::read(abs).map(String::from_utf8) {
            Ok(Ok(t)) => t,
            _ => return Some("this SVG is not UTF-8 text".to_string()),
        };
        return svg_refusal(&text);
    }
    let mut head = [0u8; 16];
    let n = match std::fs::File::open(abs).and_then(|mut f| f.read(&mut head)) {
        Ok(n) => n,
        Err(e) => return Some(format!("cannot read the file: {e}")),
    };
    let head = &head[..n];
    let fits = match kind {
        Kind::Png => head.starts_with(b"\x89PNG\r\n\x1a\n"),
        Kind::Jpeg => head.starts_with(b"\xff\xd8\xff"),
        Kind::Gif => head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a"),
        Kind::Webp => head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP",
        Kind::Avif => head.len() >= 12 && &head[4..8] == b"ftyp" && head[8..12].starts_with(b"avi"),
        Kind::Pdf => head.starts_with(b"%PDF-"),
        Kind::Zip => head.starts_with(b"PK\x03\x04"),
        Kind::Text | Kind::Svg => true,
    };
    (!fits).then(|| format!("this is not a `.{ext}` file: its first bytes are of another type"))
}

/// Why an SVG could run something or fetch something, or `None` if it is a plain picture.
pub fn svg_refusal(text: &str) -> Option<String> {
    // No DTD (roxmltree's default): entities could expand without bound or fetch files.
    let doc = match roxmltree::Document::parse(text) {
        Ok(d) => d,
        Err(e) => return Some(format!("this SVG cannot be read as XML ({e})")),
    };
    for node in doc.descendants() {
        if node.is_pi() {
            return Some(
                "this SVG has a processing instruction, which can load a stylesheet".into(),
            );
        }
        if !node.is_element() {
            continue;
        }
        let name = node.tag_name().name();
        match name.to_ascii_lowercase().as_str() {
            "script" => return Some("this SVG has a `<script>` element".into()),
            "foreignobject" => {
                return Some("this SVG has a `<foreignObject>`, which can hold HTML".into());
            }
            "style" => {
                let css = node.text().unwrap_or("");
                if let Some(r) = css_refusal(css) {
                    return Some(r);
                }
            }
            _ => {}
        }
        for a in node.attributes() {
            let attr = a.name().to_ascii_lowercase();
            let value = a.value().trim();
            if attr.starts_with("on") {
                return Some(format!("this SVG has the event attribute `{}`", a.name()));
            }
            if attr == "href" && !value.starts_with('#') {
                return Some(format!(
                    "this SVG refers to `{value}` outside itself; only `#` references are published"
                ));
            }
            if attr == "attributename" && value.to_ascii_lowercase().ends_with("href") {
                return Some("this SVG animates a link target".into());
            }
            if attr == "style"
                && let Some(r) = css_refusal(value)
            {
                return Some(r);
            }
        }
    }
    None
}

/// Styles may refer only to the SVG's own parts (`url(#gradient)`).
fn css_refusal(css: &str) -> Option<String> {
    let lower = css.to_ascii_lowercase();
    if lower.contains("@import") {
        return Some("this SVG's style imports a stylesheet".into());
    }
    let mut rest = lower.as_str();
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let target = rest.trim_start().trim_start_matches(['"', '\'']);
        if !target.starts_with('#') {
            return Some("this SVG's style refers to a file outside itself".into());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_with_anything_active_is_refused() {
        let ok = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g"/></defs><rect fill="url(#g)" style="fill: url(#g)"/><use href="#g"/></svg>"##;
        assert_eq!(svg_refusal(ok), None);
        for bad in [
            r#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><image x:href="https://evil.example/a.png"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(x.css);</style></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: url(https://e.example/x)"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" to="javascript:alert(1)"/></a></svg>"#,
            r#"<?xml-stylesheet href="x.css"?><svg xmlns="http://www.w3.org/2000/svg"/>"#,
            r#"<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>"#,
        ] {
            assert!(svg_refusal(bad).is_some(), "{bad}");
        }
    }
}
