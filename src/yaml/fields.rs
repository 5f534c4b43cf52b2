//! Reads typed fields out of a YAML mapping, turning every problem into a [`Diagnostic`] at the
//! offending value's position in the file. Reading goes on after a bad field, so one run reports
//! every problem in a file.

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::vocab::{Kind, Vocabularies};
use crate::yaml::{Key, Node, Pos, Value};

/// A value and where it was written in the file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column in the file.
    pub column: usize,
}

impl<T> Spanned<T> {
    /// The same position with another value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Spanned<U> {
        Spanned {
            value: f(self.value),
            line: self.line,
            column: self.column,
        }
    }
}

/// Reads fields of one YAML mapping in one file.
pub struct Fields<'a, 'd> {
    path: &'a str,
    line_offset: usize,
    /// Where a missing field is reported: 1:1 for a file's own fields (the opening `---` of
    /// front matter), the mapping's start for one nested in a list.
    missing_at: (usize, usize),
    entries: Vec<(String, &'a Key, &'a Node)>,
    /// Problems found so far.
    pub diags: &'d mut Vec<Diagnostic>,
}

impl<'a, 'd> Fields<'a, 'd> {
    /// Checks that `node` is a mapping whose keys are all in `allowed`, reporting unknown and
    /// repeated keys. `line_offset` is the file line on which the YAML text starts, minus one.
    pub fn new(
        path: &'a str,
        line_offset: usize,
        node: &'a Node,
        allowed: &[&str],
        what: &str,
        diags: &'d mut Vec<Diagnostic>,
    ) -> Self {
        Self::with_labels(path, line_offset, node, allowed, &[], what, diags)
    }

    /// As [`Fields::new`], also knowing the fields by the labels the site shows for them
    /// (`Health board` for `region`): a key written as a label, or in capitals, is reported once,
    /// with the key to write, and read as that field.
    pub fn with_labels(
        path: &'a str,
        line_offset: usize,
        node: &'a Node,
        allowed: &[&str],
        labels: &[(String, &'static str)],
        what: &str,
        diags: &'d mut Vec<Diagnostic>,
    ) -> Self {
        let mut entries: Vec<(String, &'a Key, &'a Node)> = Vec::new();
        match &node.value {
            Value::Map(map) => {
                for (key, value) in map {
                    let (line, column) = (key.pos.line + line_offset, key.pos.column);
                    let mut name = key.name.clone();
                    if !allowed.contains(&name.as_str()) {
                        let lower = name.trim().to_lowercase();
                        let snake = lower.replace([' ', '-'], "_");
                        let meant = if allowed.contains(&snake.as_str()) {
                            Some((
                                snake.clone(),
                                format!(
                                    "field names are written in lower case with `_`: `{snake}`"
                                ),
                            ))
                        } else {
                            labels.iter().find(|(label, _)| *label == lower).map(|(_, field)| {
                                (field.to_string(), format!("the page shows this field as “{}”; in front matter it is `{field}`", key.name.trim()))
                            })
                        };
                        match meant {
                            Some((field, why)) => {
                                diags.push(
                                    Diagnostic::error(
                                        path,
                                        line,
                                        column,
                                        format!("`{}` is not a field name: {why}", key.name),
                                    )
                                    .with_help(format!(
                                        "write `{field}:` instead of `{}:`",
                                        key.name
                                    )),
                                );
                                name = field;
                            }
                            None => {
                                diags.push(
                                    Diagnostic::error(
                                        path,
                                        line,
                                        column,
                                        format!("unknown field `{}` in {what}", key.name),
                                    )
                                    .with_help(
                                        did_you_mean(&key.name, allowed.iter().copied())
                                            .unwrap_or_else(|| {
                                                format!("the fields are: {}", allowed.join(", "))
                                            }),
                                    ),
                                );
                                continue;
                            }
                        }
                    }
                    if entries.iter().any(|(n, _, _)| *n == name) {
                        diags.push(Diagnostic::error(
                            path,
                            line,
                            column,
                            format!("`{name}` is given twice; keep one"),
                        ));
                    } else {
                        entries.push((name, key, value));
                    }
                }
            }
            Value::Null => {}
            _ => diags.push(Diagnostic::error(
                path,
                node.pos.line + line_offset,
                node.pos.column,
                format!("{what} must be a list of `field: value` lines"),
            )),
        }
        Fields {
            path,
            line_offset,
            missing_at: (1, 1),
            entries,
            diags,
        }
    }

    /// Reports a missing field at the start of this mapping (one item of a list) rather than at
    /// the top of the file.
    pub fn nested(mut self, node: &Node) -> Self {
        self.missing_at = (node.pos.line + self.line_offset, node.pos.column);
        self
    }

    /// The file path the fields come from.
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// The raw node of `field`, if present.
    pub fn node(&self, field: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(name, _, _)| name == field)
            .map(|(_, _, v)| *v)
    }

    /// Whether `field` is present and not empty.
    pub fn has(&self, field: &str) -> bool {
        self.node(field).is_some_and(|n| n.value != Value::Null)
    }

    /// `value` at `pos` (a YAML position) of this file.
    pub fn at<T>(&self, pos: Pos, value: T) -> Spanned<T> {
        Spanned {
            value,
            line: pos.line + self.line_offset,
            column: pos.column,
        }
    }

    /// Reports an error at `pos` (a YAML position).
    pub fn error(&mut self, pos: Pos, message: impl Into<String>) -> &mut Diagnostic {
        let d = Diagnostic::error(self.path, pos.line + self.line_offset, pos.column, message);
        self.diags.push(d);
        self.diags.last_mut().expect("just pushed")
    }

    /// A text field. Empty text counts as absent.
    pub fn string(&mut self, field: &str) -> Option<Spanned<String>> {
        let node = self.node(field)?;
        self.scalar(field, node)
    }

    fn scalar(&mut self, field: &str, node: &Node) -> Option<Spanned<String>> {
        match &node.value {
            Value::Null => None,
            Value::Scalar { text, .. } if text.trim().is_empty() => None,
            Value::Scalar { text, .. } => Some(self.at(node.pos, text.trim().to_string())),
            _ => {
                self.error(node.pos, format!("`{field}` must be a single text value"));
                None
            }
        }
    }

    /// A list of texts. A single text is accepted as a list of one.
    pub fn string_list(&mut self, field: &str) -> Option<Vec<Spanned<String>>> {
        let node = self.node(field)?;
        match &node.value {
            Value::Null => None,
            Value::Scalar { .. } => self.scalar(field, node).map(|s| vec![s]),
            Value::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match &item.value {
                        Value::Scalar { .. } => out.extend(self.scalar(field, item)),
                        Value::Null => {
                            self.error(item.pos, format!("`{field}` has an empty item; remove it"));
                        }
                        _ => {
                            self.error(
                                item.pos,
                                format!("each item of `{field}` must be a single text value"),
                            );
                        }
                    }
                }
                Some(out)
            }
            Value::Map(_) => {
                self.error(
                    node.pos,
                    format!("`{field}` must be a list, one `- item` per line"),
                );
                None
            }
        }
    }

    /// A boolean: `true` or `false`, unquoted.
    pub fn bool(&mut self, field: &str) -> Option<Spanned<bool>> {
        let node = self.node(field)?;
        match &node.value {
            Value::Null => None,
            Value::Scalar { text, plain: true } if text == "true" => Some(self.at(node.pos, true)),
            Value::Scalar { text, plain: true } if text == "false" => {
                Some(self.at(node.pos, false))
            }
            _ => {
                self.error(node.pos, format!("`{field}` must be `true` or `false`"));
                None
            }
        }
    }

    /// A key of vocabulary `kind`, as its position in the vocabulary.
    pub fn key(&mut self, field: &str, kind: Kind, vocab: &Vocabularies) -> Option<Spanned<usize>> {
        let s = self.string(field)?;
        self.check_key(field, kind, vocab, s)
    }

    /// A list of keys of vocabulary `kind`, duplicates reported and dropped.
    pub fn keys(
        &mut self,
        field: &str,
        kind: Kind,
        vocab: &Vocabularies,
    ) -> Option<Spanned<Vec<usize>>> {
        let node = self.node(field)?;
        let list = self.string_list(field)?;
        let mut out: Vec<usize> = Vec::with_capacity(list.len());
        for item in list {
            let (line, column) = (item.line, item.column);
            if let Some(k) = self.check_key(field, kind, vocab, item) {
                if out.contains(&k.value) {
                    let key = &vocab.term(kind, k.value).key;
                    self.diags.push(Diagnostic::error(
                        self.path,
                        line,
                        column,
                        format!("`{key}` is listed twice in `{field}`; keep one"),
                    ));
                } else {
                    out.push(k.value);
                }
            }
        }
        Some(self.at(node.pos, out))
    }

    fn check_key(
        &mut self,
        field: &str,
        kind: Kind,
        vocab: &Vocabularies,
        s: Spanned<String>,
    ) -> Option<Spanned<usize>> {
        let v = vocab.get(kind);
        match v.position(&s.value) {
            Some(i) => Some(Spanned {
                value: i,
                line: s.line,
                column: s.column,
            }),
            None if s.value.contains(" - ") => {
                // `- pcmw-3` then `   - acd-4` indented further: YAML reads one item.
                self.diags.push(
                    Diagnostic::error(
                        self.path,
                        s.line,
                        s.column,
                        format!("`{}` reads as one item of `{field}`: a `- ` line is indented differently from the one above it", s.value),
                    )
                    .with_help("start every `- ` of the list at the same indentation, one item per line"),
                );
                None
            }
            None => {
                let help = variant_hint(kind, &s.value, v)
                    .or_else(|| did_you_mean(&s.value, v.keys()))
                    .unwrap_or_else(|| {
                        format!(
                            "see the {} listed in CONTRIBUTING.md, e.g. `{}`",
                            kind.name(),
                            v.terms[0].key
                        )
                    });
                self.diags.push(
                    Diagnostic::error(
                        self.path,
                        s.line,
                        s.column,
                        format!(
                            "`{}` is not a known key of {} (in `{field}`)",
                            s.value,
                            kind.name()
                        ),
                    )
                    .with_help(help),
                );
                None
            }
        }
    }

    /// Reports a required field that is missing or empty. Per the contract it points at the
    /// opening `---`.
    pub fn require(&mut self, field: &str, present: bool, example: &str) {
        if present {
            return;
        }
        // An empty field is reported on its own line, with what to write there; a missing one
        // where the fields start.
        let key = self
            .entries
            .iter()
            .find(|(name, _, _)| name == field)
            .map(|(_, k, _)| (k.pos.line + self.line_offset, k.pos.column));
        let d = match key {
            Some((line, column)) => {
                Diagnostic::error(self.path, line, column, format!("`{field}` is empty"))
                    .with_help(format!("write it on this line, e.g. `{field}: {example}`"))
            }
            None => Diagnostic::error(
                self.path,
                self.missing_at.0,
                self.missing_at.1,
                format!("missing required field `{field}`"),
            )
            .with_help(format!("add a line `{field}: {example}`")),
        };
        self.diags.push(d);
    }
}

/// What a key written another common way means: `3` → `pcmw-3` or `acd-3`, `PCMW 3` → `pcmw-3`.
fn variant_hint(kind: Kind, written: &str, v: &crate::vocab::Vocabulary) -> Option<String> {
    let slug = crate::slug::anchor(written);
    if slug != written && v.position(&slug).is_some() {
        return Some(format!("did you mean `{slug}`?"));
    }
    if kind == Kind::Outcomes && !written.is_empty() && written.chars().all(|c| c.is_ascii_digit())
    {
        let keys: Vec<String> = ["pcmw", "acd"]
            .iter()
            .map(|f| format!("{f}-{written}"))
            .filter(|k| v.position(k).is_some())
            .collect();
        return match keys.as_slice() {
            [] => None,
            [one] => Some(format!("did you mean `{one}`?")),
            [a, b, ..] => Some(format!(
                "outcomes are named by framework and number: did you mean `{a}` (Primary Care Model for Wales) or `{b}` (Accelerated Cluster Development)?"
            )),
        };
    }
    None
}

/// The month a `YYYY-MM-DD` date names and how many days it has, when its day is past the
/// month's end (`2024-02-31`): "February 2024 has 29 days".
pub fn impossible_day(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (
        s[..4].parse::<u32>().ok()?,
        s[5..7].parse::<u32>().ok()?,
        s[8..].parse::<u32>().ok()?,
    );
    let days = days_in_month(y, m)?;
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    (d > days).then(|| format!("{} {y} has {days} days", MONTHS[m as usize - 1]))
}

fn days_in_month(y: u32, m: u32) -> Option<u32> {
    Some(match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => return None,
    })
}

/// Checks a date written `YYYY-MM-DD`, leap years included.
pub fn is_valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        s[r].parse::<u32>()
            .ok()
            .filter(|_| b.iter().all(|c| c.is_ascii_digit() || *c == b'-'))
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Checks a year, a month or a day: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn is_valid_partial_date(s: &str) -> bool {
    let year = |y: &str| y.len() == 4 && y.bytes().all(|c| c.is_ascii_digit());
    match s.len() {
        4 => year(s),
        7 => {
            year(&s[..4])
                && s.as_bytes()[4] == b'-'
                && s[5..].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
                && s[5..].bytes().all(|c| c.is_ascii_digit())
        }
        _ => is_valid_date(s),
    }
}

/// Checks a peer-review cycle written `YYYY/YY`, the second year following the first.
pub fn is_valid_cycle(s: &str) -> bool {
    let Some((a, b)) = s.split_once('/') else {
        return false;
    };
    if a.len() != 4 || b.len() != 2 || !a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit()) {
        return false;
    }
    let (a, b): (u32, u32) = (a.parse().unwrap_or(0), b.parse().unwrap_or(0));
    (a + 1) % 100 == b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(is_valid_date("2024-02-29"));
        assert!(!is_valid_date("2023-02-29"));
        assert!(!is_valid_date("2024-13-01"));
        assert!(!is_valid_date("2024-1-01"));
        assert!(!is_valid_date("5 May 2024"));
    }

    #[test]
    fn cycles() {
        assert!(is_valid_cycle("2023/24"));
        assert!(is_valid_cycle("1999/00"));
        assert!(!is_valid_cycle("2023/25"));
        assert!(!is_valid_cycle("2023-24"));
    }
}
