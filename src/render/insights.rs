//! The pages that count: coverage (health boards by outcome and theme), the mainstreaming
//! pipeline, and what lacks a translation. Their data are typed values, counted once here; the
//! templates only lay them out.

use super::Renderer;
use super::views::{Card, Link, TermView, Views};
use crate::lang::Lang;
use crate::urls::SitePage;
use crate::vocab::Kind;
use minijinja::Value;
use serde::Serialize;

/// One cell of a coverage table: studies of a board under a term, and where to find them.
#[derive(Serialize)]
pub struct Cell {
    /// How many.
    pub n: usize,
    /// The search that lists them.
    pub url: String,
    /// Shade, 0–5.
    pub heat: usize,
    /// For outcomes: whether the board was reviewed on it in its latest cycle.
    pub reviewed: bool,
    /// `reviewed` (reviewed, with studies), `gap` (reviewed, no study yet: the gap that
    /// matters), `studies` (studies, not reviewed) or `none`.
    pub state: &'static str,
}

/// One board's row of a coverage table.
#[derive(Serialize)]
pub struct CoverageRow<'a> {
    /// The board.
    pub region: TermView<'a>,
    /// One cell per column.
    pub cells: Vec<Cell>,
    /// The board's studies.
    pub total: usize,
}

/// Health boards (rows) by the terms of one vocabulary (columns).
#[derive(Serialize)]
pub struct Coverage<'a> {
    /// The vocabulary's name.
    pub kind: &'static str,
    /// Its terms.
    pub columns: Vec<TermView<'a>>,
    /// One row per board.
    pub rows: Vec<CoverageRow<'a>>,
    /// Reviewed cells with no study (outcomes only: only they are allocated to boards).
    pub gaps: usize,
    /// Whether the table shows which cells were reviewed.
    pub reviews: bool,
}

/// One coloured segment of a board's bar in the pipeline chart (percentages as text, as SVG
/// takes them).
#[derive(Serialize)]
pub struct Segment<'a> {
    /// The status key.
    pub key: &'a str,
    /// Its label.
    pub label: &'a str,
    /// Studies in it.
    pub n: usize,
    /// Where it starts.
    pub x: String,
    /// How wide.
    pub w: String,
    /// Its middle, for the label.
    pub mid: String,
}

/// One board of the pipeline: its studies per status.
#[derive(Serialize)]
pub struct Board<'a> {
    /// The board.
    pub region: TermView<'a>,
    /// Studies per status, in status order.
    pub counts: Vec<usize>,
    /// All its studies.
    pub total: usize,
    /// The bar's segments.
    pub segments: Vec<Segment<'a>>,
}

/// A proven study not yet mainstreamed.
#[derive(Serialize)]
pub struct Waiting<'a> {
    /// Its card.
    pub card: Card<'a>,
    /// When its status was last known (`status_as_of`), written out.
    pub as_of: Option<String>,
    /// The same, as written.
    pub as_of_iso: Option<&'a str>,
    /// Months since then.
    pub months: Option<i32>,
}

/// What lacks a translation, each way.
#[derive(Serialize)]
pub struct Translations<'a> {
    /// The counts in a sentence.
    pub summary: String,
    /// Documents without Welsh.
    pub missing_cy: Vec<Link<'a>>,
    /// Documents without English.
    pub missing_en: Vec<Link<'a>>,
    /// Welsh translations not yet reviewed by a Welsh speaker.
    pub drafts: Vec<Link<'a>>,
}

impl Renderer<'_> {
    /// Both coverage tables.
    pub fn coverage(&self, v: &Views) -> Value {
        minijinja::context! {
            outcomes => super::ser(&self.coverage_matrix(v, Kind::Outcomes)),
            themes => super::ser(&self.coverage_matrix(v, Kind::Themes)),
        }
    }

    /// Health boards (rows) by the terms of `kind` (columns): each cell the number of published
    /// studies of that board filed under that term, with the search that lists them.
    fn coverage_matrix<'a>(&self, v: &Views<'a>, kind: Kind) -> Coverage<'a> {
        let studies = v.all_studies();
        let columns = v.terms(kind);
        let search = v.site.urls.site_page(v.lang, SitePage::Search);
        let rows: Vec<CoverageRow> = (0..v.site.config.vocab.get(Kind::Regions).terms.len())
            .map(|r| {
                let region = v.term(Kind::Regions, r);
                let in_region = v.listed(Kind::Regions, r);
                let reviewed_on: &[usize] = match kind {
                    Kind::Outcomes => v.site.reviewed(r).map_or(&[], |(_, o)| o),
                    _ => &[],
                };
                let cells = columns
                    .iter()
                    .enumerate()
                    .map(|(c, col)| {
                        let n = in_region
                            .iter()
                            .filter(|&&s| studies[s].terms(kind).contains(&c))
                            .count();
                        let reviewed = reviewed_on.contains(&c);
                        Cell {
                            n,
                            url: format!(
                                "{search}?regions={}&{}={}",
                                region.key,
                                kind.name(),
                                col.key
                            ),
                            heat: n.min(5),
                            reviewed,
                            state: match (reviewed, n > 0) {
                                (true, true) => "reviewed",
                                (true, false) => "gap",
                                (false, true) => "studies",
                                (false, false) => "none",
                            },
                        }
                    })
                    .collect();
                CoverageRow {
                    region,
                    cells,
                    total: in_region.len(),
                }
            })
            .collect();
        let gaps = rows
            .iter()
            .flat_map(|r| &r.cells)
            .filter(|c| c.state == "gap")
            .count();
        Coverage {
            kind: kind.name(),
            columns,
            rows,
            gaps,
            reviews: kind == Kind::Outcomes && !v.site.reviews.is_empty(),
        }
    }

    /// Per health board, its studies per status, with the bar segments of the chart (as
    /// percentages of the busiest board's total).
    pub fn pipeline_boards<'a>(&self, v: &Views<'a>) -> Vec<Board<'a>> {
        let site = v.site;
        let studies = v.all_studies();
        let statuses = site.config.vocab.get(Kind::Statuses).terms.len();
        let boards = site.config.vocab.get(Kind::Regions).terms.len();
        let counts: Vec<Vec<usize>> = (0..boards)
            .map(|r| {
                let mut c = vec![0; statuses];
                for &s in v.listed(Kind::Regions, r) {
                    c[studies[s].status()] += 1;
                }
                c
            })
            .collect();
        let widest = counts
            .iter()
            .map(|c| c.iter().sum::<usize>())
            .max()
            .unwrap_or(0)
            .max(1);
        counts
            .into_iter()
            .enumerate()
            .map(|(r, c)| {
                let mut x = 0.0;
                let segments = c
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| **n > 0)
                    .map(|(s, &n)| {
                        let term = site.config.vocab.term(Kind::Statuses, s);
                        let w = 100.0 * n as f64 / widest as f64;
                        let seg = Segment {
                            key: &term.key,
                            label: term.label.str(v.lang),
                            n,
                            x: format!("{x:.2}"),
                            w: format!("{w:.2}"),
                            mid: format!("{:.2}", x + w / 2.0),
                        };
                        x += w;
                        seg
                    })
                    .collect();
                Board {
                    region: v.term(Kind::Regions, r),
                    total: c.iter().sum(),
                    counts: c,
                    segments,
                }
            })
            .collect()
    }

    /// Proven studies not yet mainstreamed, longest since their last update first.
    pub fn waiting<'a>(&self, v: &Views<'a>) -> Vec<Waiting<'a>> {
        let site = v.site;
        let Some(proven) = site.config.vocab.get(Kind::Statuses).position("proven") else {
            return Vec::new();
        };
        let today: Option<jiff::civil::Date> = site.today.parse().ok();
        let mut rows: Vec<Waiting> = v
            .listed(Kind::Statuses, proven)
            .iter()
            .map(|&s| {
                // The months count from when the status was last known, never from an edit of
                // the page: a page tidied yesterday says nothing about the work.
                let as_of = site.studies[s].shared.text("status_as_of");
                Waiting {
                    months: as_of
                        .and_then(|d| first_day(d).parse::<jiff::civil::Date>().ok())
                        .zip(today)
                        .and_then(|(u, t)| t.since((jiff::Unit::Month, u)).ok())
                        .map(|span| span.get_months()),
                    as_of: as_of.map(|d| partial_date(v.lang, d)),
                    as_of_iso: as_of,
                    card: v.card(s),
                }
            })
            .collect();
        rows.sort_by_key(|r| std::cmp::Reverse(r.months));
        rows
    }

    /// What lacks a translation.
    pub fn translations<'a>(&self, v: &Views<'a>) -> Translations<'a> {
        v.all_studies();
        for p in &v.site.pages {
            v.reads
                .note_with(|| super::reads::Read::Page(p.path.clone()));
        }
        let c = v.site.coverage();
        let missing = |lang: Lang| -> Vec<Link> {
            c.missing
                .iter()
                .filter(|m| m.missing == lang)
                .filter_map(|m| v.doc_link(&m.key))
                .collect()
        };
        let summary = self
            .t(v.lang, "translations_summary")
            .replace("{studies_total}", &c.studies.to_string())
            .replace("{pages_total}", &c.pages.to_string())
            .replace("{studies}", &c.studies_cy.to_string())
            .replace("{pages}", &c.pages_cy.to_string());
        Translations {
            summary,
            missing_cy: missing(Lang::Cy),
            missing_en: missing(Lang::En),
            drafts: c.drafts.iter().filter_map(|m| v.doc_link(&m.key)).collect(),
        }
    }
}

/// The first day of a year, month or day written `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn first_day(d: &str) -> String {
    match d.len() {
        4 => format!("{d}-01-01"),
        7 => format!("{d}-01"),
        _ => d.to_string(),
    }
}

/// A year, month or day written out in `lang`: `2024`, `June 2024` / `Mehefin 2024`, or a date.
pub fn partial_date(lang: Lang, d: &str) -> String {
    match d.len() {
        4 => d.to_string(),
        7 => format!("{} {}", lang.month(d[5..].parse().unwrap_or(0)), &d[..4]),
        _ => lang.date(d),
    }
}
