//! The clusters of each health board: the built-in list (`src/data/clusters.yaml`, every name
//! with the public page that states it), the changes a hub makes in hub.yaml (add, rename,
//! retire), and what a study's `cluster:` may say: a key of its own board's clusters. A name or
//! alias is accepted with a warning that gives the key; a cluster of another board, or no
//! cluster at all, is an error that says which.

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::lang::{Lang, LangText};
use crate::vocab::{Kind, Vocabulary};
use crate::yaml::{Node, Value};

/// A message and its help, for a diagnostic at the place the cluster was written.
pub type Said = (String, String);

/// The built-in list, compiled in.
const BUILT_IN: &str = include_str!("data/clusters.yaml");

/// One cluster of a health board.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// The key a study writes in `cluster:`, unique in Wales.
    pub key: String,
    /// The health board, as its position in the regions vocabulary.
    pub board: usize,
    /// The name; the Welsh one is the English one unless a source gives a Welsh name.
    pub name: LangText,
    /// Whether a source gives the Welsh name.
    pub welsh_name: bool,
    /// Other spellings sources use, and names it had before a rename.
    pub aliases: Vec<String>,
    /// Keys it had before a rename in hub.yaml: studies that use them still resolve.
    pub formerly: Vec<String>,
    /// The public page (or document) that states the name.
    pub source: Option<String>,
    /// The sources disagree or are weak about this name.
    pub uncertain: bool,
    /// The cluster no longer exists (boards redraw clusters); its studies stay.
    pub retired: bool,
}

/// What is known about a board's clusters as a whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Board {
    /// How many clusters the board has, by the source in clusters.yaml.
    pub expected: Option<usize>,
    /// What the board calls its clusters, e.g. `NCN` (Neighbourhood Care Network).
    pub term: Option<String>,
}

/// Every cluster, in board order and then as listed, and what is known about each board's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Clusters {
    /// The clusters; positions are those of the clusters vocabulary.
    pub list: Vec<Cluster>,
    /// By region position.
    pub boards: Vec<Board>,
}

/// The fields of one cluster in clusters.yaml and in hub.yaml.
const CLUSTER_FIELDS: &[&str] = &[
    "key",
    "en",
    "cy",
    "aliases",
    "formerly",
    "source",
    "uncertain",
    "retired",
];

/// Words that name what a board calls a cluster, not which one: "Monmouthshire North (NCN)
/// Cluster" is Monmouthshire North.
const GENERIC_WORDS: &[&str] = &["cluster", "ncn", "lcc"];

/// A name reduced to what identifies it: folded, `&` as "and", without generic words.
fn normal(name: &str) -> String {
    crate::slug::anchor(&name.replace('&', " and "))
        .split('-')
        .filter(|w| !GENERIC_WORDS.contains(w))
        .collect::<Vec<_>>()
        .join("-")
}

fn scalar(node: &Node) -> Option<&str> {
    match &node.value {
        Value::Scalar { text, .. } if !text.trim().is_empty() => Some(text.trim()),
        _ => None,
    }
}

fn entries(node: &Node) -> &[(crate::yaml::Key, Node)] {
    match &node.value {
        Value::Map(m) => m,
        _ => &[],
    }
}

fn field<'n>(node: &'n Node, name: &str) -> Option<&'n Node> {
    entries(node)
        .iter()
        .find(|(k, _)| k.name == name)
        .map(|(_, v)| v)
}

fn texts(node: Option<&Node>) -> Vec<String> {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items.iter().filter_map(scalar).map(String::from).collect(),
        Some(Value::Scalar { .. }) => node
            .and_then(scalar)
            .map(String::from)
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

fn flag(node: &Node, name: &str) -> bool {
    field(node, name).and_then(scalar) == Some("true")
}

impl Clusters {
    /// The built-in list, for the built-in regions.
    pub fn built_in(regions: &Vocabulary) -> Self {
        let root = crate::yaml::parse(BUILT_IN).expect("src/data/clusters.yaml is valid (tested)");
        let mut out = Clusters {
            list: Vec::new(),
            boards: vec![Board::default(); regions.terms.len()],
        };
        for (board_key, board) in entries(&root) {
            let b = regions
                .position(&board_key.name)
                .expect("clusters.yaml names built-in boards (tested)");
            out.boards[b] = Board {
                expected: field(board, "expected")
                    .and_then(scalar)
                    .and_then(|n| n.parse().ok()),
                term: field(board, "term").and_then(scalar).map(String::from),
            };
            if let Some(Value::Seq(items)) = field(board, "clusters").map(|n| &n.value) {
                for item in items {
                    let en = field(item, "en").and_then(scalar).unwrap_or_default();
                    let cy = field(item, "cy").and_then(scalar);
                    out.list.push(Cluster {
                        key: field(item, "key")
                            .and_then(scalar)
                            .unwrap_or_default()
                            .into(),
                        board: b,
                        name: LangText::text(en, cy.unwrap_or(en)),
                        welsh_name: cy.is_some(),
                        aliases: texts(field(item, "aliases")),
                        formerly: texts(field(item, "formerly")),
                        source: field(item, "source").and_then(scalar).map(String::from),
                        uncertain: flag(item, "uncertain"),
                        retired: flag(item, "retired"),
                    });
                }
            }
        }
        out
    }

    /// The position of the cluster with `key`.
    pub fn position(&self, key: &str) -> Option<usize> {
        self.list.iter().position(|c| c.key == key)
    }

    /// The positions of a board's clusters, in order.
    pub fn of_board(&self, board: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.list.len()).filter(move |&i| self.list[i].board == board)
    }

    /// The clusters as a vocabulary's terms, in the same positions.
    pub fn terms(&self) -> Vec<crate::vocab::Term> {
        self.list
            .iter()
            .map(|c| crate::vocab::Term {
                key: c.key.clone(),
                code: None,
                label: c.name.clone(),
                description: None,
                group: None,
            })
            .collect()
    }

    /// Applies hub.yaml's `clusters:` (board key → list of clusters to add, rename, relabel or
    /// retire), reporting problems at their place in `path`.
    pub fn apply(
        &mut self,
        node: &Node,
        regions: &Vocabulary,
        path: &str,
        diags: &mut Vec<Diagnostic>,
    ) {
        let Value::Map(boards) = &node.value else {
            diags.push(
                Diagnostic::error(
                    path,
                    node.pos.line,
                    node.pos.column,
                    "`clusters` must map health board keys to lists of clusters",
                )
                .with_help("e.g. `clusters:` then `  powys:` then `    - {key: north-powys, retired: true}`"),
            );
            return;
        };
        self.boards.resize(regions.terms.len(), Board::default());
        for (board_key, list) in boards {
            let Some(b) = regions.position(&board_key.name) else {
                diags.push(
                    Diagnostic::error(
                        path,
                        board_key.pos.line,
                        board_key.pos.column,
                        format!("`{}` is not a health board key", board_key.name),
                    )
                    .with_help_opt(did_you_mean(&board_key.name, regions.keys())),
                );
                continue;
            };
            let Value::Seq(items) = &list.value else {
                diags.push(
                    Diagnostic::error(
                        path,
                        list.pos.line,
                        list.pos.column,
                        format!("the clusters of `{}` must be a list", board_key.name),
                    )
                    .with_help("one `- key: …` item per cluster"),
                );
                continue;
            };
            for item in items {
                self.change(item, b, regions, path, diags);
            }
        }
    }

    /// One item of hub.yaml's list for board `b`.
    fn change(
        &mut self,
        item: &Node,
        b: usize,
        regions: &Vocabulary,
        path: &str,
        diags: &mut Vec<Diagnostic>,
    ) {
        let before = diags.len();
        let mut f =
            crate::yaml::fields::Fields::new(path, 0, item, CLUSTER_FIELDS, "a cluster", diags)
                .nested(item);
        let key = f.string("key");
        f.require("key", key.is_some(), "north-powys");
        let en = f.string("en");
        let cy = f.string("cy");
        let aliases = f.string_list("aliases").unwrap_or_default();
        let formerly = f.string_list("formerly").unwrap_or_default();
        let source = f.string("source");
        let uncertain = f.bool("uncertain").map(|s| s.value);
        let retired = f.bool("retired").map(|s| s.value);
        let Some(key) = key else { return };
        if !crate::slug::is_slug(&key.value) {
            f.diags.push(
                Diagnostic::error(
                    path,
                    key.line,
                    key.column,
                    format!("`{}` is not a valid key", key.value),
                )
                .with_help(format!(
                    "keys are lower-case words joined by `-`, e.g. `{}`",
                    crate::slug::suggest(&key.value)
                )),
            );
            return;
        }
        let board_name = regions.terms[b].label[Lang::En].clone();
        if f.diags.len() > before {
            return;
        }
        let existing = self.position(&key.value);
        if let Some(i) = existing
            && self.list[i].board != b
        {
            let other = &regions.terms[self.list[i].board].label[Lang::En];
            diags.push(
                Diagnostic::error(
                    path,
                    key.line,
                    key.column,
                    format!(
                        "`{}` is already a cluster of {other}; a key names one cluster in Wales",
                        key.value
                    ),
                )
                .with_help("give this cluster another key"),
            );
            return;
        }
        let at = match existing {
            Some(i) => i,
            None if !formerly.is_empty() => {
                // A rename: the cluster keeps its place, and its old key and name still resolve.
                let mut found = None;
                for old in &formerly {
                    match self.position(&old.value) {
                        Some(i) if self.list[i].board == b => found = found.or(Some(i)),
                        _ => diags.push(
                            Diagnostic::error(
                                path,
                                old.line,
                                old.column,
                                format!(
                                    "there is no cluster `{}` in {board_name} to rename",
                                    old.value
                                ),
                            )
                            .with_help(
                                did_you_mean(
                                    &old.value,
                                    self.of_board(b).map(|i| self.list[i].key.as_str()),
                                )
                                .unwrap_or_else(|| {
                                    let keys: Vec<&str> = self
                                        .of_board(b)
                                        .map(|i| self.list[i].key.as_str())
                                        .collect();
                                    format!("the clusters of {board_name} are {}", keys.join(", "))
                                }),
                            ),
                        ),
                    }
                }
                let Some(i) = found else { return };
                let Some(en) = &en else {
                    diags.push(
                        Diagnostic::error(path, key.line, key.column, format!("the renamed cluster `{}` needs its name", key.value))
                            .with_help("add `en:` with its English name (and `cy:` with its Welsh name, if a source gives one)"),
                    );
                    return;
                };
                let c = &mut self.list[i];
                let old_name = c.name[Lang::En].clone();
                c.formerly
                    .push(std::mem::replace(&mut c.key, key.value.clone()));
                if old_name != en.value {
                    c.aliases.push(old_name);
                }
                c.welsh_name = false;
                c.name = LangText::text(&en.value, &en.value);
                i
            }
            None => {
                let (Some(en), Some(_)) = (&en, &source) else {
                    diags.push(
                        Diagnostic::error(
                            path,
                            key.line,
                            key.column,
                            format!("the new cluster `{}` needs its name and a source", key.value),
                        )
                        .with_help("add `en:` with its English name and `source:` with the public page that states it"),
                    );
                    return;
                };
                self.list.push(Cluster {
                    key: key.value.clone(),
                    board: b,
                    name: LangText::text(&en.value, &en.value),
                    welsh_name: false,
                    aliases: Vec::new(),
                    formerly: Vec::new(),
                    source: None,
                    uncertain: false,
                    retired: false,
                });
                // Keep board order, so listings group by board.
                let c = self.list.pop().expect("just pushed");
                let after = self
                    .list
                    .iter()
                    .rposition(|x| x.board <= b)
                    .map_or(0, |i| i + 1);
                self.list.insert(after, c);
                after
            }
        };
        let c = &mut self.list[at];
        if let Some(en) = en {
            if !c.welsh_name {
                c.name.set(Lang::Cy, en.value.clone());
            }
            c.name.set(Lang::En, en.value);
        }
        if let Some(cy) = cy {
            c.name.set(Lang::Cy, cy.value);
            c.welsh_name = true;
        }
        c.aliases.extend(aliases.into_iter().map(|a| a.value));
        if let Some(s) = source {
            c.source = Some(s.value);
        }
        if let Some(u) = uncertain {
            c.uncertain = u;
        }
        if let Some(r) = retired {
            c.retired = r;
        }
    }

    /// What `written` in a study of board `board` (if known) names: the cluster's position, or
    /// the diagnostic that says why not. A name, alias or former key gives a warning with the key.
    pub fn resolve(
        &self,
        written: &str,
        board: Option<usize>,
        regions: &Vocabulary,
    ) -> Result<(usize, Option<Said>), Said> {
        let on_board = |i: &usize| board.is_none_or(|b| self.list[*i].board == b);
        let board_name = |b: usize| regions.terms[b].label[Lang::En].as_str();
        let wrong_board = |i: usize| {
            let b = board.expect("only with a board");
            let keys: Vec<&str> = self
                .of_board(b)
                .map(|j| self.list[j].key.as_str())
                .collect();
            (
                format!(
                    "`{written}` is a cluster of {}, not of {}",
                    board_name(self.list[i].board),
                    board_name(b)
                ),
                if keys.is_empty() {
                    format!(
                        "check `region:`; no cluster of {} is listed yet",
                        board_name(b)
                    )
                } else {
                    format!(
                        "check `region:`; the clusters of {} are {}",
                        board_name(b),
                        keys.join(", ")
                    )
                },
            )
        };
        if let Some(i) = self.position(written) {
            return if on_board(&i) {
                Ok((i, None))
            } else {
                Err(wrong_board(i))
            };
        }
        let former: Vec<usize> = (0..self.list.len())
            .filter(|&i| self.list[i].formerly.iter().any(|k| k == written))
            .collect();
        if let Some(&i) = former.iter().find(|i| on_board(i)).or(former.first()) {
            if !on_board(&i) {
                return Err(wrong_board(i));
            }
            let key = &self.list[i].key;
            return Ok((
                i,
                Some((
                    format!("the cluster `{written}` was renamed `{key}` in hub.yaml"),
                    format!("write `cluster: {key}`"),
                )),
            ));
        }
        let wanted = normal(written);
        let named: Vec<usize> = (0..self.list.len())
            .filter(|&i| {
                let c = &self.list[i];
                std::iter::once(c.key.as_str())
                    .chain([c.name[Lang::En].as_str(), c.name[Lang::Cy].as_str()])
                    .chain(c.aliases.iter().map(String::as_str))
                    .chain(c.formerly.iter().map(String::as_str))
                    .any(|n| normal(n) == wanted)
            })
            .collect();
        if let Some(&i) = named.iter().find(|i| on_board(i)).or(named.first()) {
            if !on_board(&i) {
                return Err(wrong_board(i));
            }
            let key = &self.list[i].key;
            return Ok((
                i,
                Some((
                    format!("`{written}` is another name for the cluster `{key}`"),
                    format!("write its key: `cluster: {key}`"),
                )),
            ));
        }
        let here: Vec<usize> = (0..self.list.len()).filter(|i| on_board(i)).collect();
        // The closest cluster by key or name, if close enough to suggest.
        let guess = |is: &mut dyn Iterator<Item = usize>| -> Option<(usize, f64)> {
            is.map(|i| {
                let c = &self.list[i];
                let key = strsim::jaro_winkler(&wanted, &c.key);
                (
                    i,
                    key.max(strsim::jaro_winkler(&wanted, &normal(&c.name[Lang::En]))),
                )
            })
            .filter(|&(i, _)| {
                let c = &self.list[i];
                did_you_mean(
                    &wanted,
                    [c.key.as_str(), normal(&c.name[Lang::En]).as_str()],
                )
                .is_some()
            })
            .max_by(|a, b| a.1.total_cmp(&b.1))
        };
        let in_board = guess(&mut here.iter().copied());
        let anywhere = guess(&mut (0..self.list.len()));
        let Some(b) = board else {
            return Err((
                format!("`{written}` is not a known cluster"),
                in_board.map_or_else(
                    || "write the key of one of the clusters listed in CONTRIBUTING.md".to_string(),
                    |(i, _)| format!("did you mean `{}`?", self.list[i].key),
                ),
            ));
        };
        let message = format!("`{written}` is not a cluster of {}", board_name(b));
        match (in_board, anywhere) {
            (_, Some((i, score)))
                if self.list[i].board != b && in_board.is_none_or(|(_, s)| score > s) =>
            {
                return Err((
                    message,
                    format!(
                        "did you mean `{}`, a cluster of {}? then check `region:`",
                        self.list[i].key,
                        board_name(self.list[i].board)
                    ),
                ));
            }
            (Some((i, _)), _) => {
                return Err((message, format!("did you mean `{}`?", self.list[i].key)));
            }
            _ => {}
        }
        let keys: Vec<&str> = here.iter().map(|&i| self.list[i].key.as_str()).collect();
        Err((
            message,
            if keys.is_empty() {
                format!(
                    "no cluster of {} is listed yet: add it in content/hub.yaml under `clusters:` (see CONTRIBUTING.md)",
                    board_name(b)
                )
            } else {
                format!(
                    "the clusters of {} are {}; a cluster not listed is added in content/hub.yaml under `clusters:` (see CONTRIBUTING.md)",
                    board_name(b),
                    keys.join(", ")
                )
            },
        ))
    }
}

/// Rebuilds the clusters vocabulary from `clusters` (after hub.yaml changed the list).
pub fn vocabulary(clusters: &Clusters) -> Vocabulary {
    Vocabulary::from_terms(Kind::Clusters, clusters.terms())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Vocabularies;

    fn clusters() -> (Clusters, Vocabularies) {
        let v = Vocabularies::default();
        (Clusters::built_in(v.get(Kind::Regions)), v)
    }

    #[test]
    fn the_built_in_list_reads_with_a_source_for_every_name_and_unique_keys() {
        let (c, _) = clusters();
        assert_eq!(c.list.len(), 47);
        for cl in &c.list {
            assert!(crate::slug::is_slug(&cl.key), "{}", cl.key);
            assert!(
                cl.source
                    .as_deref()
                    .is_some_and(|s| s.starts_with("https://")),
                "{}",
                cl.key
            );
            assert_eq!(
                c.list.iter().filter(|x| x.key == cl.key).count(),
                1,
                "{}",
                cl.key
            );
        }
        assert!(c.list.windows(2).all(|w| w[0].board <= w[1].board));
        let expected: usize = c.boards.iter().filter_map(|b| b.expected).sum();
        assert_eq!(expected, 60);
    }

    #[test]
    fn names_aliases_and_generic_words_resolve_to_the_key_with_a_warning() {
        let (c, v) = clusters();
        let r = v.get(Kind::Regions);
        let ctm = r.position("cwm-taf-morgannwg");
        let (i, warn) = c.resolve("Cynon North", ctm, r).unwrap();
        assert_eq!(c.list[i].key, "north-cynon");
        assert_eq!(
            warn.unwrap().0,
            "`Cynon North` is another name for the cluster `north-cynon`"
        );
        let (i, _) = c.resolve("North Cynon Cluster", ctm, r).unwrap();
        assert_eq!(c.list[i].key, "north-cynon");
        assert_eq!(c.resolve("north-cynon", ctm, r).unwrap().1, None);
        let (i, _) = c
            .resolve("Cardiff City and South", r.position("cardiff-and-vale"), r)
            .unwrap();
        assert_eq!(c.list[i].key, "cardiff-city-and-south");
    }

    #[test]
    fn a_cluster_of_another_board_or_none_is_an_error_that_says_which() {
        let (c, v) = clusters();
        let r = v.get(Kind::Regions);
        let powys = r.position("powys");
        let (m, h) = c.resolve("north-ceredigion", powys, r).unwrap_err();
        assert_eq!(
            m,
            "`north-ceredigion` is a cluster of Hywel Dda University Health Board, not of Powys Teaching Health Board"
        );
        assert_eq!(
            h,
            "check `region:`; the clusters of Powys Teaching Health Board are north-powys, mid-powys, south-powys"
        );
        let (m, h) = c.resolve("nort-powys", powys, r).unwrap_err();
        assert_eq!(
            m,
            "`nort-powys` is not a cluster of Powys Teaching Health Board"
        );
        assert_eq!(h, "did you mean `north-powys`?");
        let (_, h) = c.resolve("north ceredigon", powys, r).unwrap_err();
        assert_eq!(
            h,
            "did you mean `north-ceredigion`, a cluster of Hywel Dda University Health Board? then check `region:`"
        );
        let (_, h) = c.resolve("Zzzz", powys, r).unwrap_err();
        assert!(
            h.starts_with("the clusters of Powys Teaching Health Board are north-powys"),
            "{h}"
        );
    }
}
