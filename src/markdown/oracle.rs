//! The test oracle: finds what a browser would run in rendered HTML. It is deliberately written
//! apart from the sanitiser (a plain scan, not ammonia), so that the fuzz targets and property
//! tests that hold every rendered document to it check the sanitiser rather than repeat it.

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
