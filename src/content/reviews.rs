//! Peer reviews as data: `content/reviews/<cycle>.yaml` says, for one cycle, which outcomes each
//! health board's clusters were reviewed on (the report's appendix A), and where a source says
//! so, which board reviewed them and what was found.

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::lang::PerLang;
use crate::vocab::{Kind, Vocabularies};
use crate::yaml::fields::{Fields, is_valid_cycle};
use crate::yaml::{self, Node, Value};

/// One board's review in one cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardReview {
    /// The board reviewed (position in the regions vocabulary).
    pub region: usize,
    /// The outcomes it was reviewed on (positions in the outcomes vocabulary).
    pub outcomes: Vec<usize>,
    /// The board whose clusters reviewed it, where a source says.
    pub peer: Option<usize>,
    /// What a source says of this board's review, per language (Markdown).
    pub note: PerLang<Option<String>>,
}

/// One cycle of peer review.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    /// The file, relative to the hub root.
    pub path: String,
    /// `YYYY/YY`.
    pub cycle: String,
    /// The sources it is taken from (keys of content/sources/).
    pub sources: Vec<String>,
    /// Each board reviewed, in the order of the regions vocabulary.
    pub boards: Vec<BoardReview>,
}

const FILE_FIELDS: &[&str] = &["cycle", "sources", "boards"];
const BOARD_FIELDS: &[&str] = &["outcomes", "peer", "note", "note_cy"];

/// Reads one file of reviews. `None` when it has errors (all reported). `sources` are the keys
/// of the hub's sources.
pub fn parse<'s>(
    path: &str,
    text: &str,
    vocab: &Vocabularies,
    sources: impl Iterator<Item = &'s str> + Clone,
    diags: &mut Vec<Diagnostic>,
) -> Option<Review> {
    let before = diags.len();
    let root = match yaml::parse_all(text) {
        Ok(n) => n,
        Err(e) => {
            diags.extend(e.into_iter().map(|e| e.diagnostic(path, 0)));
            return None;
        }
    };
    let mut f = Fields::new(path, 0, &root, FILE_FIELDS, "a file of peer reviews", diags);
    let cycle = f.string("cycle");
    match &cycle {
        None => f.require("cycle", false, "2023/24"),
        Some(c) if !is_valid_cycle(&c.value) => {
            let d = Diagnostic::error(
                path,
                c.line,
                c.column,
                format!("`{}` is not a peer-review cycle", c.value),
            )
            .with_help("write it as `2023/24`");
            f.diags.push(d);
        }
        _ => {}
    }
    let mut keys = Vec::new();
    for s in f.string_list("sources").unwrap_or_default() {
        if sources.clone().any(|k| k == s.value) {
            keys.push(s.value);
        } else {
            let d = Diagnostic::error(
                path,
                s.line,
                s.column,
                format!("there is no source `{}`", s.value),
            )
            .with_help_opt(did_you_mean(&s.value, sources.clone()));
            f.diags.push(d);
        }
    }
    let mut boards = Vec::new();
    match f.node("boards") {
        Some(Node {
            value: Value::Map(entries),
            ..
        }) => {
            for (key, node) in entries {
                let Some(region) = vocab.get(Kind::Regions).position(&key.name) else {
                    diags.push(
                        Diagnostic::error(
                            path,
                            key.pos.line,
                            key.pos.column,
                            format!("`{}` is not a known key of regions", key.name),
                        )
                        .with_help_opt(did_you_mean(&key.name, vocab.get(Kind::Regions).keys())),
                    );
                    continue;
                };
                if let Some(b) = board(path, region, node, vocab, diags) {
                    boards.push(b);
                }
            }
        }
        Some(n) => diags.push(
            Diagnostic::error(
                path,
                n.pos.line,
                n.pos.column,
                "`boards` must list health boards by key",
            )
            .with_help("write `boards:`, then each board's key on its own line, e.g. `  powys:`"),
        ),
        None => diags.push(
            Diagnostic::error(path, 1, 1, "the file lists no `boards`")
                .with_help("add `boards:` and, under it, each board's key with its `outcomes`"),
        ),
    }
    boards.sort_by_key(|b| b.region);
    if diags[before..].iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(Review {
        path: path.to_string(),
        cycle: cycle?.value,
        sources: keys,
        boards,
    })
}

fn board(
    path: &str,
    region: usize,
    node: &Node,
    vocab: &Vocabularies,
    diags: &mut Vec<Diagnostic>,
) -> Option<BoardReview> {
    let mut f = Fields::new(path, 0, node, BOARD_FIELDS, "a board's review", diags).nested(node);
    let outcomes = f.keys("outcomes", Kind::Outcomes, vocab);
    f.require(
        "outcomes",
        outcomes.as_ref().is_some_and(|o| !o.value.is_empty()),
        "[pcmw-2, pcmw-12, acd-3]",
    );
    let peer = f.key("peer", Kind::Regions, vocab).map(|p| p.value);
    let note = PerLang::new(
        f.string("note").map(|s| s.value),
        f.string("note_cy").map(|s| s.value),
    );
    Some(BoardReview {
        region,
        outcomes: outcomes?.value,
        peer,
        note,
    })
}
