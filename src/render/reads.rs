//! What a page read of the site while it was rendered. `hub serve` keeps each page's reads and,
//! after a change, renders again exactly the pages that read something that changed: the plan
//! comes from what rendering did, not from a second, hand-written list of which page shows what
//! (Zola dropped its minimal rebuilds over bugs of that kind).
//!
//! Every way a page reaches study data goes through [`super::views::Views`] or the renderer's
//! card functions, which record here.

use crate::vocab::Kind;
use std::cell::RefCell;
use std::collections::BTreeSet;

/// One thing a page can read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Read {
    /// A study's card data: everything about it except its body (title, summary, terms, fields).
    Card(String),
    /// A whole study, body included (its own page).
    Study(String),
    /// Which studies are filed under a term, and how many.
    Listing(Kind, String),
    /// Which studies exist and anything computed over all of them (totals, the newest, counts
    /// per board and status): any change to any study other than its body.
    AllStudies,
    /// A plain page's title or text, by path.
    Page(String),
    /// The peer-review actions.
    Actions,
}

/// The reads of one page, recorded while it renders (one page renders on one thread).
#[derive(Debug, Default)]
pub struct Reads(Option<RefCell<BTreeSet<Read>>>);

impl Reads {
    /// A recorder that keeps what it is told.
    pub fn recording() -> Self {
        Reads(Some(RefCell::default()))
    }

    /// A recorder that keeps nothing (`hub build` has no use for reads).
    pub fn off() -> Self {
        Reads(None)
    }

    /// Notes a read.
    pub fn note(&self, read: Read) {
        if let Some(set) = &self.0 {
            set.borrow_mut().insert(read);
        }
    }

    /// Notes a read made only when recording (the argument is not built otherwise).
    pub fn note_with(&self, read: impl FnOnce() -> Read) {
        if let Some(set) = &self.0 {
            set.borrow_mut().insert(read());
        }
    }

    /// Whether reads are kept.
    pub fn on(&self) -> bool {
        self.0.is_some()
    }

    /// What was read.
    pub fn into_set(self) -> BTreeSet<Read> {
        self.0.map(RefCell::into_inner).unwrap_or_default()
    }
}
