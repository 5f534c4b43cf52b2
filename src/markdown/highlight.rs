//! Fenced code, highlighted with CSS classes (`hl-…`) by syntect; the stylesheet is the theme's
//! syntax.css, generated from the same highlighter (checked by a test below).

use std::sync::OnceLock;

/// Highlights a code block with CSS classes (`hl-…`), or escapes it when the language is unknown.
pub fn highlight(lang: &str, code: &str) -> String {
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
