//! Which characters content may hold. Control characters (other than tab, line feed and carriage
//! return), DEL and Unicode noncharacters make the Atom feeds and the sitemap invalid XML and can
//! drive a terminal; they are refused wherever content comes in: in a file's bytes, and in a
//! YAML value that writes one as an escape (`"\x1f"`).

/// Whether `c` may not appear in content.
pub fn is_forbidden(c: char) -> bool {
    let n = c as u32;
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || (0xFDD0..=0xFDEF).contains(&n)
        || (n & 0xFFFE) == 0xFFFE
}

/// What to say about a forbidden character.
pub fn refusal(c: char) -> String {
    format!(
        "the invisible control character U+{:04X} is not allowed in text",
        c as u32
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters() {
        for c in [
            '\u{0}',
            '\u{7}',
            '\u{1b}',
            '\u{1f}',
            '\u{7f}',
            '\u{85}',
            '\u{fdd0}',
            '\u{fffe}',
            '\u{1ffff}',
        ] {
            assert!(is_forbidden(c), "{c:?}");
        }
        for c in ['\t', '\n', '\r', ' ', 'ŵ', '\u{feff}', '\u{2028}'] {
            assert!(!is_forbidden(c), "{c:?}");
        }
    }
}
