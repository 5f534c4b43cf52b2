//! The one module that names the YAML crate. It turns YAML text into a small tree of [`Node`]s
//! that remember where each value starts, so that every later error can point at the offending
//! value in the file. Swapping the YAML crate means rewriting this file only.
//!
//! Anchors and aliases are refused: front matter never needs them, and refusing them makes
//! "billion laughs" expansion impossible. Nesting is capped for the same reason.

pub mod fields;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// A position in the YAML text: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
}

/// A YAML value with the position where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the value starts.
    pub pos: Pos,
}

/// The kinds of YAML value hub distinguishes.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An empty value (`key:` with nothing after it, or `~`/`null`).
    Null,
    /// A scalar. `plain` is false for quoted and block scalars, which are always strings.
    Scalar {
        /// The scalar's text.
        text: String,
        /// Unquoted, so `true`/`false` read as booleans.
        plain: bool,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, keys in document order.
    Map(Vec<(Key, Node)>),
}

/// A mapping key and its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key's text.
    pub name: String,
    /// Where the key starts.
    pub pos: Pos,
}

/// A YAML syntax error at a position.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// Where the problem was found.
    pub pos: Pos,
    /// What is wrong, in plain words.
    pub message: String,
    /// What to write instead, when it can be said without losing anything written.
    pub help: Option<String>,
}

impl Error {
    /// A diagnostic at this error in `path`, whose YAML starts on line `line_offset + 1`.
    pub fn diagnostic(self, path: &str, line_offset: usize) -> crate::diagnostics::Diagnostic {
        crate::diagnostics::Diagnostic::error(
            path,
            self.pos.line + line_offset,
            self.pos.column,
            self.message,
        )
        .with_help_opt(self.help)
    }
}

/// Parses `text`, or finds every problem in it: each top-level field is parsed on its own, so
/// one mistake does not hide the next, and the mistakes people make most (curly quotes from a
/// word processor, tabs) are named as such.
pub fn parse_all(text: &str) -> Result<Node, Vec<Error>> {
    let first = match parse(text) {
        Ok(node) => return Ok(node),
        Err(e) => e,
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            lines[i]
                .chars()
                .next()
                .is_some_and(|c| !c.is_whitespace() && c != '#' && c != '-')
        })
        .collect();
    let mut errors = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(lines.len());
        if let Err(mut e) = parse(&lines[start..end].concat()) {
            e.pos.line += start;
            errors.push(friendly(e, &lines));
        }
    }
    if errors.is_empty() {
        errors.push(friendly(first, &lines));
    }
    Err(errors)
}

/// Names the usual cause of a parse error on its line: a tab, or curly quotes.
fn friendly(e: Error, lines: &[&str]) -> Error {
    let Some(line) = lines
        .get(e.pos.line.wrapping_sub(1))
        .map(|l| l.trim_end_matches(['\n', '\r']))
    else {
        return e;
    };
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    if let Some(tab) = line[..indent].find('\t') {
        return Error {
            pos: Pos {
                line: e.pos.line,
                column: line[..tab].chars().count() + 1,
            },
            message: "this line is indented with a tab; YAML needs spaces".into(),
            help: Some("replace the tab with spaces".into()),
        };
    }
    let Some((key, value)) = line.split_once(':') else {
        return e;
    };
    if let Some(rest) = value.strip_prefix('\t') {
        return Error {
            pos: Pos {
                line: e.pos.line,
                column: key.chars().count() + 2,
            },
            message: format!(
                "a tab follows `{}:`; YAML needs a space after the colon",
                key.trim()
            ),
            help: Some(format!("write `{}: {}`", key.trim(), rest.trim())),
        };
    }
    let value = value.trim();
    let curly = |c: char| matches!(c, '“' | '”' | '‘' | '’' | '„');
    if value.starts_with(curly) {
        let inner = value
            .trim_matches(curly)
            .replace('\\', "\\\\")
            .replace('"', "\\\"");
        return Error {
            pos: Pos {
                line: e.pos.line,
                column: key.chars().count()
                    + 2
                    + (line[key.len() + 1..].len() - line[key.len() + 1..].trim_start().len()),
            },
            message: format!(
                "`{}:` is quoted with curly quotes ({}), which YAML does not read as quotes",
                key.trim(),
                value.chars().next().unwrap_or('“')
            ),
            help: Some(format!(
                "use straight quotes: `{}: \"{inner}\"`",
                key.trim()
            )),
        };
    }
    e
}

const MAX_DEPTH: usize = 64;

fn pos(span: &Span) -> Pos {
    Pos {
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

/// Parses one YAML document. Empty text gives `Value::Null`.
pub fn parse(text: &str) -> Result<Node, Error> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Building> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;
    loop {
        let (event, span) = match parser.next() {
            None => break,
            Some(Ok(e)) => e,
            Some(Err(e)) => {
                return Err(Error {
                    pos: Pos {
                        line: e.marker().line(),
                        column: e.marker().col() + 1,
                    },
                    message: describe_scan_error(e.info()),
                    help: None,
                });
            }
        };
        let here = pos(&span);
        let node = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => continue,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(Error {
                        pos: here,
                        message: "the front matter holds more than one YAML document".into(),

                        help: None,
                    });
                }
                continue;
            }
            Event::Alias(_) => {
                return Err(Error {
                    pos: here,
                    message: "YAML aliases (`*name`) are not supported here".into(),

                    help: None,
                });
            }
            Event::Scalar(text, style, anchor, _) => {
                refuse_anchor(anchor, here)?;
                // The file's own bytes were checked when it was read; an escape such as "\x1f"
                // makes the character only here.
                if let Some(c) = text.chars().find(|&c| crate::characters::is_forbidden(c)) {
                    return Err(Error {
                        pos: here,
                        message: format!(
                            "{}, even written as an escape",
                            crate::characters::refusal(c)
                        ),
                        help: None,
                    });
                }
                let plain = style == ScalarStyle::Plain;
                let value = if plain && matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL")
                {
                    Value::Null
                } else {
                    Value::Scalar {
                        text: text.into_owned(),
                        plain,
                    }
                };
                Node { value, pos: here }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                refuse_anchor(anchor, here)?;
                if stack.len() >= MAX_DEPTH {
                    return Err(Error {
                        pos: here,
                        message: format!("the YAML is nested more than {MAX_DEPTH} levels deep"),

                        help: None,
                    });
                }
                let is_map = matches!(event, Event::MappingStart(..));
                stack.push(Building {
                    pos: here,
                    items: Vec::new(),
                    is_map,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let b = stack.pop().expect("parser balances collections");
                finish(b)?
            }
        };
        match stack.last_mut() {
            Some(parent) => parent.items.push(node),
            None => root = Some(node),
        }
    }
    Ok(root.unwrap_or(Node {
        value: Value::Null,
        pos: Pos { line: 1, column: 1 },
    }))
}

struct Building {
    pos: Pos,
    items: Vec<Node>,
    is_map: bool,
}

fn finish(b: Building) -> Result<Node, Error> {
    if !b.is_map {
        return Ok(Node {
            value: Value::Seq(b.items),
            pos: b.pos,
        });
    }
    let mut entries = Vec::with_capacity(b.items.len() / 2);
    let mut items = b.items.into_iter();
    while let (Some(k), Some(v)) = (items.next(), items.next()) {
        let name = match k.value {
            Value::Scalar { text, .. } => text,
            Value::Null => String::new(),
            _ => {
                return Err(Error {
                    pos: k.pos,
                    message: "a key must be a plain word, not a list or mapping".into(),

                    help: None,
                });
            }
        };
        entries.push((Key { name, pos: k.pos }, v));
    }
    Ok(Node {
        value: Value::Map(entries),
        pos: b.pos,
    })
}

fn refuse_anchor(anchor: usize, pos: Pos) -> Result<(), Error> {
    if anchor == 0 {
        Ok(())
    } else {
        Err(Error {
            pos,
            message: "YAML anchors (`&name`) are not supported here".into(),
            help: None,
        })
    }
}

/// Rewords the parser's messages for people who do not know YAML's grammar.
fn describe_scan_error(info: &str) -> String {
    let hint = if info.contains("mapping values are not allowed") {
        " (a value that contains `: ` must be put in quotes)"
    } else if info.contains("did not find expected key") || info.contains("did not find expected") {
        " (check the indentation and that every line is `field: value`)"
    } else if info.contains("tab") {
        " (use spaces, not tabs, to indent)"
    } else {
        ""
    };
    format!("this is not valid YAML: {info}{hint}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(text: &str) -> Vec<(Key, Node)> {
        match parse(text).unwrap().value {
            Value::Map(m) => m,
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn positions_point_at_values() {
        let m = map("title: Hello\nregion:  powys\noutcomes:\n  - pcmw-1\n");
        assert_eq!(m[1].0.pos, Pos { line: 2, column: 1 });
        assert_eq!(
            m[1].1.pos,
            Pos {
                line: 2,
                column: 10
            }
        );
        let Value::Seq(items) = &m[2].1.value else {
            panic!()
        };
        assert_eq!(items[0].pos, Pos { line: 4, column: 5 });
    }

    #[test]
    fn quoted_scalars_are_not_plain() {
        let m = map("a: 'true'\nb: true\nc:\n");
        assert_eq!(
            m[0].1.value,
            Value::Scalar {
                text: "true".into(),
                plain: false
            }
        );
        assert_eq!(
            m[1].1.value,
            Value::Scalar {
                text: "true".into(),
                plain: true
            }
        );
        assert_eq!(m[2].1.value, Value::Null);
    }

    #[test]
    fn aliases_are_refused() {
        let err = parse("a: &x [1, 2]\nb: *x\n").unwrap_err();
        assert!(err.message.contains("anchors"), "{}", err.message);
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = parse("title: a: b\n").unwrap_err();
        assert_eq!(err.pos.line, 1);
        assert!(
            err.message.starts_with("this is not valid YAML"),
            "{}",
            err.message
        );
    }
}
