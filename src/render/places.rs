//! Places: what a health board's page says of its clusters (each with its count, those with no
//! study yet included, and a table of studies by cluster and outcome), and what a cluster's own
//! page shows besides its studies (its board's review, and work on the same outcomes and topics
//! elsewhere in the board and in Wales).

use super::Renderer;
use super::reads::Read;
use super::views::{TermView, Views};
use crate::diagnostics::Diagnostic;
use crate::lang::Lang;
use crate::vocab::Kind;
use minijinja::{Value, context};
use serde::Serialize;

/// How many studies each "work on the same outcomes or topics" list shows.
const NEIGHBOURS: usize = 6;

/// One cluster in its board's list.
#[derive(Serialize)]
struct ClusterRow<'a> {
    term: TermView<'a>,
    retired: bool,
    /// The name's language when it differs from the page's (an English name on a Welsh page).
    lang: Option<&'static str>,
}

/// One row of a board's table of studies by cluster and outcome.
#[derive(Serialize)]
struct MatrixRow<'a> {
    /// The cluster; none for the row of studies that name no cluster.
    cluster: Option<TermView<'a>>,
    /// Studies per column, with the search that lists them.
    cells: Vec<(usize, String)>,
    total: usize,
}

impl Renderer<'_> {
    /// The clusters part of a health board's page: the list, how many of the board's clusters
    /// the list has, and the table by cluster and outcome.
    pub(super) fn board_places(&self, v: &Views, board: usize) -> Value {
        let lang = v.lang;
        let vocab = &self.site.config.vocab;
        let clusters: Vec<usize> = vocab.clusters.of_board(board).collect();
        let rows: Vec<ClusterRow> = clusters
            .iter()
            .map(|&c| ClusterRow {
                term: v.counted(Kind::Clusters, c),
                retired: vocab.clusters.list[c].retired,
                lang: self.name_lang(lang, c),
            })
            .filter(|r| !r.retired || r.term.count.unwrap_or(0) > 0)
            .collect();
        let listed = clusters
            .iter()
            .filter(|&&c| !vocab.clusters.list[c].retired)
            .count();
        let info = &vocab.clusters.boards[board];
        let board_studies = v.listed(Kind::Regions, board);
        let outcomes: Vec<usize> = (0..vocab.get(Kind::Outcomes).terms.len())
            .filter(|&o| {
                v.listed(Kind::Outcomes, o)
                    .iter()
                    .any(|s| board_studies.contains(s))
            })
            .collect();
        let search = self
            .site
            .urls
            .site_page(lang, crate::urls::SitePage::Search);
        let board_key = &vocab.term(Kind::Regions, board).key;
        let row = |cluster: Option<usize>| -> MatrixRow {
            let studies: Vec<usize> = match cluster {
                Some(c) => v.listed(Kind::Clusters, c).to_vec(),
                None => board_studies
                    .iter()
                    .copied()
                    .filter(|&s| self.site.studies[s].terms(Kind::Clusters).is_empty())
                    .collect(),
            };
            let filter = match cluster {
                Some(c) => format!("clusters={}", vocab.term(Kind::Clusters, c).key),
                None => format!("regions={board_key}"),
            };
            let cells = outcomes
                .iter()
                .map(|&o| {
                    let n = studies
                        .iter()
                        .filter(|&&s| self.site.studies[s].terms(Kind::Outcomes).contains(&o))
                        .count();
                    let key = &vocab.term(Kind::Outcomes, o).key;
                    (n, format!("{search}?{filter}&outcomes={key}"))
                })
                .collect();
            MatrixRow {
                cluster: cluster.map(|c| v.term(Kind::Clusters, c)),
                cells,
                total: studies.len(),
            }
        };
        let mut matrix: Vec<MatrixRow> = clusters
            .iter()
            .filter(|&&c| !v.listed(Kind::Clusters, c).is_empty())
            .map(|&c| row(Some(c)))
            .collect();
        let board_wide = row(None);
        if board_wide.total > 0 {
            matrix.push(board_wide);
        }
        context! {
            clusters => super::ser(&rows),
            listed => listed,
            expected => info.expected,
            term => info.term.clone(),
            empty => rows.iter().filter(|r| r.term.count == Some(0)).count(),
            outcomes => super::ser(&outcomes.iter().map(|&o| v.term(Kind::Outcomes, o)).collect::<Vec<_>>()),
            matrix => if matrix.is_empty() { Value::from(()) } else { super::ser(&matrix) },
            contribute_url => self.contributing_url(lang),
        }
    }

    /// What a cluster's page shows besides its studies.
    pub(super) fn cluster_place(&self, v: &Views, cluster: usize) -> Result<Value, Diagnostic> {
        let lang = v.lang;
        let vocab = &self.site.config.vocab;
        let c = &vocab.clusters.list[cluster];
        let own = v.listed(Kind::Clusters, cluster);
        // Which other studies share an outcome or topic with this cluster's: any study's terms
        // can change the answer.
        v.reads.note(Read::AllStudies);
        let studies = &self.site.studies;
        let shared = |s: usize| -> usize {
            own.iter()
                .map(|&o| {
                    [Kind::Outcomes, Kind::Topics]
                        .iter()
                        .map(|&k| {
                            studies[s]
                                .terms(k)
                                .iter()
                                .filter(|t| studies[o].terms(k).contains(t))
                                .count()
                        })
                        .sum::<usize>()
                })
                .max()
                .unwrap_or(0)
        };
        let mut near: Vec<(usize, usize)> = (0..studies.len())
            .filter(|s| !own.contains(s))
            .map(|s| (shared(s), s))
            .filter(|&(n, _)| n > 0)
            .collect();
        near.sort_by_key(|&(n, _)| std::cmp::Reverse(n));
        let (mut in_board, mut elsewhere): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
        for (_, s) in near {
            let list = if studies[s].region() == c.board {
                &mut in_board
            } else {
                &mut elsewhere
            };
            if list.len() < NEIGHBOURS {
                list.push(s);
            }
        }
        // With no study of its own, the cluster's page shows its board's work instead.
        let board_work = if own.is_empty() {
            let mut ids: Vec<usize> = v
                .listed(Kind::Regions, c.board)
                .iter()
                .copied()
                .filter(|s| !own.contains(s))
                .collect();
            ids = self.sorted(lang, &ids);
            ids.truncate(NEIGHBOURS);
            ids
        } else {
            Vec::new()
        };
        let info = &vocab.clusters.boards[c.board];
        Ok(context! {
            board => super::ser(&v.term(Kind::Regions, c.board)),
            board_term => info.term.clone(),
            source => c.source.clone(),
            source_is_url => c.source.as_deref().is_some_and(|s| s.starts_with("https://")),
            uncertain => c.uncertain,
            retired => c.retired,
            name_lang => self.name_lang(lang, cluster),
            formerly => c.formerly.clone(),
            reviews => super::ser(&v.board_reviews(c.board)),
            has_actions => self.site.actions.iter().any(|s| s.file.region == Some(c.board)),
            in_board => self.card_list(v, &in_board)?,
            elsewhere => self.card_list(v, &elsewhere)?,
            board_work => self.card_list(v, &board_work)?,
            contribute_url => self.contributing_url(lang),
        })
    }

    /// The language a cluster's name is shown in on a `lang` page, when not `lang`: a Welsh
    /// page shows the English name of a cluster no source names in Welsh.
    fn name_lang(&self, lang: Lang, cluster: usize) -> Option<&'static str> {
        let c = &self.site.config.vocab.clusters.list[cluster];
        (lang == Lang::Cy && !c.welsh_name).then_some(Lang::En.code())
    }
}
