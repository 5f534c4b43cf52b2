//! Content errors and warnings as values: each names a file relative to the hub root, a line and a
//! column, says what is wrong in plain words and, where one is close, how to fix it. They are
//! collected across the whole hub and printed together, in one of three formats.

use serde::Serialize;
use std::fmt::Write as _;

/// How serious a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot go on.
    Error,
    /// Worth fixing, but the site is still built.
    Warning,
}

/// One problem found in the content, at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Path relative to the hub root, with `/` separators.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong, in plain words.
    pub message: String,
    /// How to fix it, where the fix is known (e.g. "did you mean `powys`?").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `path:line:column`.
    pub fn error(path: &str, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.to_string(),
            line,
            column,
            message: message.into(),
            help: None,
        }
    }

    /// A warning at `path:line:column`.
    pub fn warning(path: &str, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, column, message)
        }
    }

    /// Whether it stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Adds a hint on how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a suggestion if there is one.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// Output formats of `hub check` (and of errors printed by `hub build`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// `path:line:column: error: message` with the suggestion on the next line.
    #[default]
    Human,
    /// GitHub Actions workflow commands, so errors annotate the pull request.
    Github,
    /// One JSON array of diagnostics.
    Json,
}

/// Puts diagnostics in a stable order: by file, then position, then message.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
    });
}

/// Renders diagnostics in the chosen format.
pub fn render(diags: &[Diagnostic], format: Format) -> String {
    let mut out = String::new();
    match format {
        Format::Human => {
            for d in diags {
                let kind = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                let _ = writeln!(
                    out,
                    "{}:{}:{}: {kind}: {}",
                    d.path, d.line, d.column, d.message
                );
                if let Some(help) = &d.help {
                    let _ = writeln!(out, "  help: {help}");
                }
            }
        }
        Format::Github => {
            for d in diags {
                let kind = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                let mut msg = d.message.clone();
                if let Some(help) = &d.help {
                    msg.push_str(" (");
                    msg.push_str(help);
                    msg.push(')');
                }
                let _ = writeln!(
                    out,
                    "::{kind} file={},line={},col={}::{}",
                    github_escape_property(&d.path),
                    d.line,
                    d.column,
                    github_escape_data(&msg)
                );
            }
        }
        Format::Json => {
            out = serde_json::to_string_pretty(diags).expect("diagnostics serialise");
            out.push('\n');
        }
    }
    out
}

/// Escapes the message part of a workflow command, as the Actions toolkit does.
fn github_escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command, as the Actions toolkit does.
fn github_escape_property(s: &str) -> String {
    github_escape_data(s)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// The closest candidate to `input`, if it is close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let input_lc = input.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for cand in candidates {
        let score = strsim::jaro_winkler(&input_lc, cand);
        // A candidate that contains the input (or the other way round) is a strong hint even when
        // the edit distance is large, e.g. `cardiff` for `cardiff-and-vale`.
        let contains = input_lc.len() >= 3 && (cand.contains(&input_lc) || input_lc.contains(cand));
        let score = if contains { score.max(0.9) } else { score };
        if score >= 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, cand));
        }
    }
    best.map(|(_, c)| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys() {
        let keys = ["cwm-taf-morgannwg", "powys", "cardiff-and-vale"];
        assert_eq!(
            did_you_mean("cwm-taf", keys).as_deref(),
            Some("did you mean `cwm-taf-morgannwg`?")
        );
        assert_eq!(
            did_you_mean("powis", keys).as_deref(),
            Some("did you mean `powys`?")
        );
        assert_eq!(did_you_mean("xyz", keys), None);
    }

    #[test]
    fn github_format_escapes() {
        let d = Diagnostic::error("content/a,b.md", 3, 4, "bad: 100%\nnext").with_help("fix");
        assert_eq!(
            render(&[d], Format::Github),
            "::error file=content/a%2Cb.md,line=3,col=4::bad: 100%25%0Anext (fix)\n"
        );
    }
}
