//! Splits a Markdown file into its YAML front matter and its body, remembering on which line of
//! the file each part starts so that positions inside either can be reported as file positions.

/// A file split into front matter and body.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// The Markdown after the closing `---` line.
    pub body: &'a str,
    /// Line of the file on which the body starts, minus one (add to a 1-based body line).
    pub body_line_offset: usize,
}

/// Why a file has no usable front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The first line is not `---`.
    Missing,
    /// There is an opening `---` but no closing one.
    Unterminated,
}

/// Lines of the file before the YAML text starts (the opening `---`).
pub const YAML_LINE_OFFSET: usize = 1;

/// Splits `text` at the `---` fences. A byte-order mark and trailing spaces on a fence are tolerated.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or(SplitError::Missing)?;
    if !is_fence(first) {
        return Err(SplitError::Missing);
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (line_no, line) in (2..).zip(lines) {
        if is_fence(line) {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                body: &text[offset + line.len()..],
                body_line_offset: line_no,
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unterminated)
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_counts_lines() {
        let s = split("---\ntitle: A\n---\n# Body\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line_offset, 3);
    }

    #[test]
    fn errors() {
        assert_eq!(split("# no front matter"), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: A\n"), Err(SplitError::Unterminated));
        assert_eq!(split(""), Err(SplitError::Missing));
    }

    #[test]
    fn tolerates_crlf_and_bom() {
        let s = split("\u{feff}---\r\ntitle: A\r\n---\r\nbody").unwrap();
        assert_eq!(s.yaml, "title: A\r\n");
        assert_eq!(s.body, "body");
    }
}
