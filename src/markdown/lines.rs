//! Byte offsets in Markdown → 1-based file lines and columns (in characters).
//!
//! Positions are asked for in document order, many per line on a long line: each answer
//! continues from the last one on the same line, so a line with n links costs O(line length),
//! not O(n × line length).

use std::cell::Cell;
use std::sync::OnceLock;

/// Maps byte offsets in the Markdown to file lines and columns.
pub struct LineIndex<'a> {
    src: &'a str,
    starts: OnceLock<Vec<usize>>,
    line_offset: usize,
    /// The last answer: (offset, 0-based line, column).
    last: Cell<(usize, usize, usize)>,
}

impl<'a> LineIndex<'a> {
    /// An index of `src`, whose first line is file line `line_offset + 1`.
    pub fn new(src: &'a str, line_offset: usize) -> Self {
        LineIndex {
            src,
            starts: OnceLock::new(),
            line_offset,
            last: Cell::new((0, 0, 1)),
        }
    }

    /// The file line and column of byte `offset`.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let starts = self.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.src.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let offset = floor_char_boundary(self.src, offset.min(self.src.len()));
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let (last_offset, last_line, last_column) = self.last.get();
        let column = if last_line == line && last_offset <= offset && last_offset >= starts[line] {
            last_column + self.src[last_offset..offset].chars().count()
        } else {
            self.src[starts[line]..offset].chars().count() + 1
        };
        self.last.set((offset, line, column));
        (line + 1 + self.line_offset, column)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_in_and_out_of_order_agree() {
        let src = "ab\nŷ c d\n\nlast";
        let idx = LineIndex::new(src, 2);
        let fresh = |o| LineIndex::new(src, 2).position(o);
        for o in [0, 1, 3, 6, 8, 10, 11, 13, 4, 0, 12] {
            assert_eq!(idx.position(o), fresh(o), "offset {o}");
        }
        assert_eq!(fresh(6), (4, 3));
    }
}
