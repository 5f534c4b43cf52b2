//! Content errors and warnings as values: each names a file relative to the hub root, a line and a
//! column, says what is wrong in plain words and, where one is close, how to fix it. They are
//! collected across the whole hub and printed together, in one of three formats.

use serde::Serialize;
use std::fmt::Write as _;

/// How serious a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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

/// A file's diagnostics of one kind shown in full before the rest are counted: a thousand
/// copies of one mistake help nobody, and would bury every other error.
pub const SHOWN_PER_KIND: usize = 10;

/// GitHub shows at most this many annotations of each severity per step; the rest are printed
/// as plain lines.
pub const GITHUB_ANNOTATIONS: usize = 10;

/// Renders diagnostics in the chosen format. Contributor text in them is printed with control
/// characters escaped, so a study cannot send escape sequences to a maintainer's terminal.
pub fn render(diags: &[Diagnostic], format: Format) -> String {
    render_showing(diags, format, None)
}

/// As [`render`]; in the human format, with the hub root to read files from, each diagnostic
/// also shows its line of the file with a marker under what it is about, as rustc does.
pub fn render_showing(
    diags: &[Diagnostic],
    format: Format,
    root: Option<&std::path::Path>,
) -> String {
    let mut out = String::new();
    let mut files: std::collections::HashMap<&str, Option<String>> = Default::default();
    match format {
        Format::Human => {
            for entry in summarise(diags) {
                match entry {
                    Entry::One(d) => {
                        human(&mut out, d);
                        if let Some(root) = root {
                            let text = files.entry(d.path.as_str()).or_insert_with(|| {
                                std::fs::read_to_string(root.join(&d.path)).ok()
                            });
                            if let Some(text) = text {
                                snippet(&mut out, text, d.line, d.column);
                            }
                        }
                    }
                    Entry::More { path, count } => {
                        let _ = writeln!(
                            out,
                            "{}: … and {} more like this",
                            printable(path),
                            thousands(count)
                        );
                    }
                }
            }
        }
        Format::Github => {
            let mut annotated = [0usize; 2];
            for d in diags {
                let shown = &mut annotated[d.severity as usize];
                if *shown >= GITHUB_ANNOTATIONS {
                    human(&mut out, d);
                    continue;
                }
                *shown += 1;
                let mut msg = d.message.clone();
                if let Some(help) = &d.help {
                    msg.push_str(" (");
                    msg.push_str(help);
                    msg.push(')');
                }
                let _ = writeln!(
                    out,
                    "::{} file={},line={},col={}::{}",
                    d.severity.word(),
                    printable(&github_escape_property(&d.path)),
                    d.line,
                    d.column,
                    printable(&github_escape_data(&msg))
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

impl Severity {
    /// `error` or `warning`.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

fn human(out: &mut String, d: &Diagnostic) {
    let _ = writeln!(
        out,
        "{}:{}:{}: {}: {}",
        printable(&d.path),
        d.line,
        d.column,
        d.severity.word(),
        printable(&d.message)
    );
    if let Some(help) = &d.help {
        let _ = writeln!(out, "  help: {}", printable(help));
    }
}

/// The line `line` of `text` with a marker under the word at `column` (a value ends at a
/// space, a comma or a bracket): nothing when the line is not in the file.
fn snippet(out: &mut String, text: &str, line: usize, column: usize) {
    const WIDTH: usize = 100;
    let Some(source) = text.lines().nth(line.wrapping_sub(1)) else {
        return;
    };
    let chars: Vec<char> = source
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    if chars.iter().all(|c| c.is_whitespace()) || column == 0 || column > chars.len() + 1 {
        return;
    }
    let at = column - 1;
    let rest = &chars[at.min(chars.len())..];
    let line_start = chars[..at.min(chars.len())]
        .iter()
        .all(|c| c.is_whitespace());
    let mut len = if rest
        .first()
        .is_some_and(|c| matches!(c, '"' | '\'' | '“' | '‘'))
    {
        // A quoted value, to its end.
        rest.len()
    } else if line_start && rest.contains(&':') && !rest.starts_with(&['-']) {
        // A field's name, to its colon.
        rest.iter().take_while(|&&c| c != ':').count()
    } else {
        rest.iter()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | ')'))
            .count()
    }
    .max(1);
    // A long line is shown around the column.
    let from = at
        .saturating_sub(WIDTH / 2)
        .min(chars.len().saturating_sub(WIDTH));
    let from = if chars.len() <= WIDTH { 0 } else { from };
    let to = (from + WIDTH).min(chars.len());
    len = len.min(to.saturating_sub(at).max(1));
    let shown: String = chars[from..to].iter().collect();
    let number = line.to_string();
    let pad = " ".repeat(number.len());
    let _ = writeln!(out, " {pad} |");
    let _ = writeln!(
        out,
        " {number} | {}{}{}",
        if from > 0 { "…" } else { "" },
        printable(&shown),
        if to < chars.len() { "…" } else { "" }
    );
    let _ = writeln!(
        out,
        " {pad} | {}{}",
        " ".repeat(at - from + usize::from(from > 0)),
        "^".repeat(len)
    );
}

/// What the human format prints: diagnostics, and counts in place of floods.
enum Entry<'a> {
    One(&'a Diagnostic),
    More { path: &'a str, count: usize },
}

/// Keeps the first [`SHOWN_PER_KIND`] diagnostics of each kind in each file (a kind is the
/// message with its quoted parts left out) and counts the rest, reported after the file's last.
fn summarise(diags: &[Diagnostic]) -> Vec<Entry<'_>> {
    let mut out = Vec::with_capacity(diags.len().min(1024));
    let mut start = 0;
    while start < diags.len() {
        let path = &diags[start].path;
        let end = start
            + diags[start..]
                .iter()
                .take_while(|d| &d.path == path)
                .count();
        let mut seen: std::collections::HashMap<(Severity, String), usize> = Default::default();
        let mut hidden = 0;
        for d in &diags[start..end] {
            let n = seen.entry((d.severity, kind_of(&d.message))).or_insert(0);
            *n += 1;
            if *n <= SHOWN_PER_KIND {
                out.push(Entry::One(d));
            } else {
                hidden += 1;
            }
        }
        if hidden > 0 {
            out.push(Entry::More {
                path,
                count: hidden,
            });
        }
        start = end;
    }
    out
}

/// A message with its quoted parts (`…`, “…”) blanked: the same mistake with other names.
fn kind_of(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let (mut code, mut quote) = (false, false);
    for c in message.chars() {
        match c {
            '`' if !quote => {
                code = !code;
                out.push(c);
            }
            '“' if !code => {
                quote = true;
                out.push(c);
            }
            '”' if !code => {
                quote = false;
                out.push(c);
            }
            _ if !code && !quote => out.push(c),
            _ => {}
        }
    }
    out
}

/// `7994` → `7,994`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Text safe to print on a terminal: control characters and the bidirectional overrides that
/// can reorder a line (`\u{202e}`) are shown escaped instead of acted on.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(risky) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if risky(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
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
    fn terminal_escapes_are_printed_escaped() {
        let d = Diagnostic::error(
            "content/a.md",
            1,
            1,
            "`\u{1b}[2J\u{1b}]0;pwned\u{7}` x\u{202e}y",
        );
        let text = render(&[d], Format::Human);
        assert_eq!(
            text,
            "content/a.md:1:1: error: `\\u{1b}[2J\\u{1b}]0;pwned\\u{7}` x\\u{202e}y\n"
        );
    }

    #[test]
    fn floods_are_counted_and_github_annotations_capped() {
        let many: Vec<Diagnostic> = (1..=25)
            .map(|i| Diagnostic::error("content/a.md", i, 1, format!("`#h{i}`: no heading")))
            .chain([Diagnostic::error("content/a.md", 30, 1, "other")])
            .collect();
        let human_text = render(&many, Format::Human);
        assert_eq!(human_text.lines().count(), 12, "{human_text}");
        assert!(
            human_text.ends_with("content/a.md: … and 15 more like this\n"),
            "{human_text}"
        );
        let gh = render(&many, Format::Github);
        assert_eq!(gh.lines().filter(|l| l.starts_with("::error")).count(), 10);
        assert_eq!(gh.lines().count(), 26);
        assert_eq!(thousands(7994), "7,994");
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
