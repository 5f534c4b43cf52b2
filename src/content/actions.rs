//! Peer-review actions: `content/actions/<name>.yaml`, one file per health board (or the national
//! actions) per cycle. Each file is read into an [`ActionFile`]; every problem is a diagnostic at
//! the offending value. Study slugs are resolved later, when the Site knows which are published.

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::vocab::{Kind, Vocabularies};
use crate::yaml::fields::{Fields, Spanned, is_valid_cycle, is_valid_date};
use crate::yaml::{self, Node, Value};

/// Where an action's progress stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ActionStatus {
    /// Agreed at the peer review; no progress recorded yet.
    Agreed,
    /// Work has started.
    InProgress,
    /// Done.
    Done,
    /// Dropped on purpose.
    Dropped,
}

impl ActionStatus {
    /// The keys written in files, in order.
    pub const KEYS: [&'static str; 4] = ["agreed", "in-progress", "done", "dropped"];

    /// The key written in files.
    pub fn key(self) -> &'static str {
        Self::KEYS[self as usize]
    }

    fn from_key(key: &str) -> Option<Self> {
        match key {
            "agreed" => Some(Self::Agreed),
            "in-progress" => Some(Self::InProgress),
            "done" => Some(Self::Done),
            "dropped" => Some(Self::Dropped),
            _ => None,
        }
    }

    /// Whether the action is still open (so it can be overdue).
    pub fn open(self) -> bool {
        matches!(self, Self::Agreed | Self::InProgress)
    }
}

/// One agreed action.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// What was agreed, in English.
    pub text: String,
    /// The Welsh text, if written.
    pub text_cy: Option<String>,
    /// Who leads it, as the report names them.
    pub lead: Option<String>,
    /// The timescale in the report's words ("September 2024", "Ongoing 2024/25").
    pub timescale: Option<String>,
    /// The date by which it is due, `YYYY-MM-DD`, when the timescale gives one.
    pub due: Option<String>,
    /// Progress.
    pub status: ActionStatus,
    /// Case studies of the work, by slug.
    pub studies: Vec<Spanned<String>>,
    /// National actions: the heading of the report's table the action sits under.
    pub group: Option<String>,
    /// The heading in Welsh.
    pub group_cy: Option<String>,
    /// The timescale in Welsh.
    pub timescale_cy: Option<String>,
    /// Topics (positions in the topics vocabulary).
    pub topics: Vec<usize>,
    /// Outcomes it plainly concerns (positions in the outcomes vocabulary).
    pub outcomes: Vec<usize>,
    /// Progress recorded since the review, oldest first.
    pub progress: Vec<Progress>,
}

/// A dated note of progress on an action, from a named source.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// When, `YYYY-MM-DD`.
    pub date: String,
    /// Where the action stood then.
    pub status: ActionStatus,
    /// What happened, in English.
    pub note: Option<String>,
    /// Who or what says so (a board's report, a meeting's minutes…).
    pub source: Option<String>,
}

impl Action {
    /// Where the action stands: the latest progress, else as agreed.
    pub fn current_status(&self) -> ActionStatus {
        self.progress.last().map_or(self.status, |p| p.status)
    }
}

/// One file of actions.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionFile {
    /// Path relative to the hub root.
    pub path: String,
    /// The health board (position in the regions vocabulary), or `None` for national actions.
    pub region: Option<usize>,
    /// The peer-review cycle, `YYYY/YY`.
    pub cycle: String,
    /// Where the actions come from (the report and its appendix).
    pub source: Option<String>,
    /// The actions, in the order written.
    pub actions: Vec<Action>,
    /// Whether a Welsh speaker has reviewed the Welsh texts (`translation: reviewed`).
    pub welsh_reviewed: bool,
}

const FILE_FIELDS: &[&str] = &[
    "region",
    "national",
    "cycle",
    "source",
    "translation",
    "actions",
];
const ACTION_FIELDS: &[&str] = &[
    "action",
    "action_cy",
    "lead",
    "timescale",
    "due",
    "status",
    "studies",
    "group",
    "group_cy",
    "timescale_cy",
    "topics",
    "outcomes",
    "progress",
];

const PROGRESS_FIELDS: &[&str] = &["date", "status", "note", "source"];

/// Reads one actions file's text. `None` when it has errors (all reported).
pub fn parse(
    path: &str,
    text: &str,
    vocab: &Vocabularies,
    diags: &mut Vec<Diagnostic>,
) -> Option<ActionFile> {
    let before = diags.len();
    let root = match yaml::parse_all(text) {
        Ok(n) => n,
        Err(e) => {
            diags.extend(e.into_iter().map(|e| e.diagnostic(path, 0)));
            return None;
        }
    };
    let mut f = Fields::new(path, 0, &root, FILE_FIELDS, "an actions file", diags);
    let region = f.key("region", Kind::Regions, vocab);
    let national = f.bool("national").is_some_and(|b| b.value);
    if region.is_none() && !national && !f.has("region") {
        f.require("region", false, "powys");
    }
    if region.is_some() && national {
        let pos = f.node("national").map(|n| n.pos).unwrap_or_default();
        f.error(pos, "a file is for one health board or national, not both")
            .help = Some("remove `national: true` or `region`".into());
    }
    let cycle = f.string("cycle");
    match &cycle {
        Some(c) if !is_valid_cycle(&c.value) => {
            let pos = f.node("cycle").map(|n| n.pos).unwrap_or_default();
            f.error(pos, format!("`{}` is not a peer-review cycle", c.value))
                .help = Some("write it as `2023/24`".into());
        }
        None => f.require("cycle", false, "2023/24"),
        _ => {}
    }
    let source = f.string("source").map(|s| s.value);
    let welsh_reviewed = match f.string("translation") {
        Some(t) if t.value == "reviewed" => true,
        Some(t) if t.value == "draft" => false,
        Some(t) => {
            let pos = f.node("translation").map(|n| n.pos).unwrap_or_default();
            f.error(
                pos,
                format!("`{}` is not one of the values of `translation`", t.value),
            )
            .help = Some("write `draft` or `reviewed`".into());
            false
        }
        None => false,
    };
    let mut actions = Vec::new();
    match f.node("actions") {
        Some(Node {
            value: Value::Seq(items),
            ..
        }) => {
            for item in items {
                if let Some(a) = action(path, item, vocab, diags) {
                    actions.push(a);
                }
            }
        }
        Some(n) => {
            diags.push(
                Diagnostic::error(path, n.pos.line, n.pos.column, "`actions` must be a list")
                    .with_help("start each action with `- action:`"),
            );
        }
        None => diags.push(
            Diagnostic::error(path, 1, 1, "the file lists no `actions`")
                .with_help("add `actions:` and, under it, `- action: what was agreed`"),
        ),
    }
    if diags[before..].iter().any(|d| d.is_error()) {
        return None;
    }
    Some(ActionFile {
        path: path.to_string(),
        region: region.map(|r| r.value),
        cycle: cycle.map(|c| c.value).unwrap_or_default(),
        source,
        actions,
        welsh_reviewed,
    })
}

fn action(
    path: &str,
    node: &Node,
    vocab: &Vocabularies,
    diags: &mut Vec<Diagnostic>,
) -> Option<Action> {
    let before = diags.len();
    let mut f = Fields::new(path, 0, node, ACTION_FIELDS, "an action", diags).nested(node);
    let text = f.string("action");
    if text.is_none() {
        let pos = node.pos;
        f.error(pos, "an action needs its text in `action`").help =
            Some("add `action: what was agreed`".into());
    }
    let text_cy = f.string("action_cy").map(|s| s.value);
    let lead = f.string("lead").map(|s| s.value);
    let timescale = f.string("timescale").map(|s| s.value);
    let due = f.string("due");
    if let Some(d) = &due
        && !is_valid_date(&d.value)
    {
        let pos = f.node("due").map(|n| n.pos).unwrap_or_default();
        f.error(pos, format!("`{}` is not a date", d.value)).help =
            Some("write it as YYYY-MM-DD, e.g. `2024-09-30`".into());
    }
    let status = match f.string("status") {
        None => Some(ActionStatus::Agreed),
        Some(s) => {
            let found = ActionStatus::from_key(&s.value);
            if found.is_none() {
                let pos = f.node("status").map(|n| n.pos).unwrap_or_default();
                let help = did_you_mean(&s.value, ActionStatus::KEYS.iter().copied())
                    .unwrap_or_else(|| format!("use one of: {}", ActionStatus::KEYS.join(", ")));
                f.error(pos, format!("`{}` is not an action status", s.value))
                    .help = Some(help);
            }
            found
        }
    };
    let studies = f.string_list("studies").unwrap_or_default();
    let group = f.string("group").map(|s| s.value);
    let group_cy = f.string("group_cy").map(|s| s.value);
    let timescale_cy = f.string("timescale_cy").map(|s| s.value);
    let topics = f
        .keys("topics", Kind::Topics, vocab)
        .map(|k| k.value)
        .unwrap_or_default();
    let outcomes = f
        .keys("outcomes", Kind::Outcomes, vocab)
        .map(|k| k.value)
        .unwrap_or_default();
    let progress_node = f.node("progress");
    let mut progress = Vec::new();
    match progress_node {
        Some(Node {
            value: Value::Seq(items),
            ..
        }) => {
            for item in items {
                if let Some(p) = progress_note(path, item, diags) {
                    progress.push(p);
                }
            }
        }
        Some(Node {
            value: Value::Null, ..
        })
        | None => {}
        Some(n) => diags.push(
            Diagnostic::error(path, n.pos.line, n.pos.column, "`progress` must be a list")
                .with_help("start each note with `- date: YYYY-MM-DD`"),
        ),
    }
    progress.sort_by(|a, b| a.date.cmp(&b.date));
    if diags[before..].iter().any(|d| d.is_error()) {
        return None;
    }
    Some(Action {
        text: text?.value,
        text_cy,
        lead,
        timescale,
        due: due.map(|d| d.value),
        status: status?,
        studies,
        group,
        group_cy,
        timescale_cy,
        topics,
        outcomes,
        progress,
    })
}

/// One note of progress: a date, where the action stood, what happened, who says so.
fn progress_note(path: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Progress> {
    let before = diags.len();
    let mut f =
        Fields::new(path, 0, node, PROGRESS_FIELDS, "a note of progress", diags).nested(node);
    let date = f.string("date");
    match &date {
        None => f.require("date", false, "2024-09-30"),
        Some(d) if !is_valid_date(&d.value) => {
            f.error(
                crate::yaml::Pos {
                    line: d.line,
                    column: d.column,
                },
                format!("`{}` is not a date", d.value),
            )
            .help = Some("write it as YYYY-MM-DD, e.g. `2024-09-30`".into());
        }
        _ => {}
    }
    let status = match f.string("status") {
        None => {
            f.require("status", false, "in-progress");
            None
        }
        Some(s) => {
            let found = ActionStatus::from_key(&s.value);
            if found.is_none() {
                let help = did_you_mean(&s.value, ActionStatus::KEYS.iter().copied())
                    .unwrap_or_else(|| format!("use one of: {}", ActionStatus::KEYS.join(", ")));
                f.error(
                    crate::yaml::Pos {
                        line: s.line,
                        column: s.column,
                    },
                    format!("`{}` is not an action status", s.value),
                )
                .help = Some(help);
            }
            found
        }
    };
    let note = f.string("note").map(|s| s.value);
    let source = f.string("source").map(|s| s.value);
    if source.is_none() {
        f.require(
            "source",
            false,
            "Health board report to the PCPG, March 2025",
        );
    }
    if diags[before..].iter().any(|d| d.is_error()) {
        return None;
    }
    Some(Progress {
        date: date?.value,
        status: status?,
        note,
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_file_and_reports_every_problem() {
        let vocab = Vocabularies::default();
        let mut d = Vec::new();
        let ok = parse(
            "content/actions/powys-2023-24.yaml",
            "region: powys\ncycle: 2023/24\nactions:\n  - action: Map volunteers.\n    due: 2024-09-30\n    studies: [a]\n",
            &vocab,
            &mut d,
        )
        .expect("valid");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(ok.actions[0].status, ActionStatus::Agreed);
        assert_eq!(ok.actions[0].studies[0].line, 6);

        let bad = parse(
            "a.yaml",
            "region: powis\ncycle: 2023\nactions:\n  - action: x\n    due: 2024-13-01\n    status: finished\n    owner: me\n",
            &vocab,
            &mut d,
        );
        assert!(bad.is_none());
        let at: Vec<(usize, usize)> = d.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(at, [(1, 9), (2, 8), (7, 5), (5, 10), (6, 13)], "{d:#?}");
    }
}
