//! Quotations in a document, collected while it renders, for checking against its sources
//! ([`crate::citations`]): every block quotation, and every inline quotation of five words or
//! more outside them. A block quotation whose last paragraph starts with a dash (`— a patient`)
//! is someone's own words, attributed, and is not collected.

use super::lines::LineIndex;
use crate::citations::{Quote, inline_quotes};

/// What is being collected.
#[derive(Default)]
pub struct Collector {
    /// The open block quotation: nesting depth, its start, its text so far.
    block: Option<(usize, usize, String)>,
    /// The current paragraph's text outside block quotations, with (text offset, source offset)
    /// marks to place what is found in it.
    para: String,
    marks: Vec<(usize, usize)>,
    /// What was found.
    pub quotes: Vec<Quote>,
}

impl Collector {
    /// A block quotation opens at source offset `at`.
    pub fn open_block(&mut self, at: usize) {
        match &mut self.block {
            Some((depth, _, _)) => *depth += 1,
            None => self.block = Some((1, at, String::new())),
        }
    }

    /// A block quotation closes.
    pub fn close_block(&mut self, lines: &LineIndex) {
        let Some((depth, at, text)) = &mut self.block else {
            return;
        };
        *depth -= 1;
        if *depth > 0 {
            return;
        }
        let text = std::mem::take(text);
        let at = *at;
        self.block = None;
        // Its last line starts with a dash: `— who said it`.
        let last = text
            .trim_end()
            .rsplit('\n')
            .next()
            .unwrap_or("")
            .trim_start();
        let attributed = last.starts_with(['—', '―', '–']);
        if !attributed && !text.trim().is_empty() {
            let (line, column) = lines.position(at);
            self.quotes.push(Quote {
                text: text.trim().to_string(),
                line,
                column,
                block: true,
            });
        }
    }

    /// Text at source offset `at`.
    pub fn text(&mut self, t: &str, at: usize) {
        match &mut self.block {
            Some((_, _, text)) => text.push_str(t),
            None => {
                self.marks.push((self.para.len(), at));
                self.para.push_str(t);
            }
        }
    }

    /// A line break inside a paragraph (kept as one in a block quotation, whose last line may
    /// be its attribution).
    pub fn line_break(&mut self) {
        match &mut self.block {
            Some((_, _, text)) => text.push('\n'),
            None => self.para.push(' '),
        }
    }

    /// Text that is not quoted prose (code).
    pub fn space(&mut self) {
        match &mut self.block {
            Some((_, _, text)) => text.push(' '),
            None => self.para.push(' '),
        }
    }

    /// A paragraph (or list item, or table cell) ends.
    pub fn end_paragraph(&mut self, lines: &LineIndex) {
        if let Some((_, _, text)) = &mut self.block {
            text.push_str("\n\n");
            return;
        }
        for (at, text) in inline_quotes(&self.para) {
            let src = self
                .marks
                .iter()
                .rev()
                .find(|(t, _)| *t <= at)
                .map_or(0, |(t, s)| s + (at - t));
            let (line, column) = lines.position(src);
            self.quotes.push(Quote {
                text,
                line,
                column,
                block: false,
            });
        }
        self.para.clear();
        self.marks.clear();
    }
}
