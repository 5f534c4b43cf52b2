//! What pages show of the peer reviews: each cycle's allocation of outcomes to boards, a board's
//! reviews on its page, and the sources a study is written from.

use super::views::{TermView, Views};
use crate::content::library::SourceMeta;
use crate::vocab::Kind;
use serde::Serialize;

/// One board's review in one cycle.
#[derive(Serialize)]
pub struct BoardReviewView<'a> {
    /// The cycle, `YYYY/YY`.
    pub cycle: &'a str,
    /// The board.
    pub region: TermView<'a>,
    /// The outcomes it was reviewed on.
    pub outcomes: Vec<TermView<'a>>,
    /// The board that reviewed it, where a source says.
    pub peer: Option<TermView<'a>>,
    /// What a source says of it, in the page's language if written (Markdown as text).
    pub note: Option<&'a str>,
}

/// One cycle of reviews.
#[derive(Serialize)]
pub struct CycleView<'a> {
    /// `YYYY/YY`.
    pub cycle: &'a str,
    /// Each board reviewed.
    pub boards: Vec<BoardReviewView<'a>>,
    /// The sources it is taken from.
    pub sources: Vec<&'a SourceMeta>,
}

impl<'a> Views<'a> {
    /// Every cycle of reviews, newest first.
    pub fn reviews(&self) -> Vec<CycleView<'a>> {
        self.site
            .reviews
            .iter()
            .map(|r| CycleView {
                cycle: &r.cycle,
                boards: r
                    .boards
                    .iter()
                    .map(|b| self.board_review(&r.cycle, b))
                    .collect(),
                sources: r
                    .sources
                    .iter()
                    .filter_map(|k| self.site.sources.get(k))
                    .collect(),
            })
            .collect()
    }

    /// The reviews of one board, newest cycle first.
    pub fn board_reviews(&self, region: usize) -> Vec<BoardReviewView<'a>> {
        self.site
            .reviews
            .iter()
            .flat_map(|r| {
                r.boards
                    .iter()
                    .filter(move |b| b.region == region)
                    .map(move |b| (r.cycle.as_str(), b))
            })
            .map(|(cycle, b)| self.board_review(cycle, b))
            .collect()
    }

    fn board_review(
        &self,
        cycle: &'a str,
        b: &'a crate::content::reviews::BoardReview,
    ) -> BoardReviewView<'a> {
        BoardReviewView {
            cycle,
            region: self.term(Kind::Regions, b.region),
            outcomes: b
                .outcomes
                .iter()
                .map(|&o| self.term(Kind::Outcomes, o))
                .collect(),
            peer: b.peer.map(|p| self.term(Kind::Regions, p)),
            note: b.note[self.lang].as_deref(),
        }
    }

    /// The sources study `i` is written from.
    pub fn sources_of(&self, i: usize) -> Vec<&'a SourceMeta> {
        self.site.studies[i]
            .shared
            .texts("sources")
            .iter()
            .filter_map(|k| self.site.sources.get(k))
            .collect()
    }
}
