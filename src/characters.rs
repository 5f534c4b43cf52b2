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

/// Whether `text` has a forbidden character. Reads bytes, not characters: a character outside
/// ASCII that can be forbidden begins with 0xC2 (C1 controls), 0xEF (U+FDD0–U+FDEF, U+FFFE,
/// U+FFFF) or 0xF0–0xF4 (the other planes' last two code points), so text without those bytes
/// or ASCII controls (most text) is cleared without decoding it.
pub fn any_forbidden(text: &str) -> bool {
    let suspect = |b: u8| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || b == 0x7F
            || b == 0xC2
            || b == 0xEF
            || b >= 0xF0
    };
    // Chunks without an early exit, so the compiler can test many bytes at once.
    let maybe = text
        .as_bytes()
        .chunks(64)
        .any(|chunk| chunk.iter().fold(false, |found, &b| found | suspect(b)));
    maybe && text.chars().any(is_forbidden)
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
    fn the_byte_scan_agrees_with_the_character_test() {
        let mut samples: Vec<String> = vec![
            "plain text\twith tabs\r\nand lines".into(),
            "£5, caf\u{e9}, \u{175}, \u{201c}quoted\u{201d}, \u{a0}nbsp, \u{1F600}".into(),
        ];
        for c in [
            '\u{0}',
            '\u{1b}',
            '\u{7f}',
            '\u{80}',
            '\u{9f}',
            '\u{fdd0}',
            '\u{fdef}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{1fffe}',
            '\u{10ffff}',
        ] {
            samples.push(format!("text {c} here"));
        }
        for s in &samples {
            assert_eq!(any_forbidden(s), s.chars().any(is_forbidden), "{s:?}");
        }
        assert!(!any_forbidden(&samples[0]) && !any_forbidden(&samples[1]));
        assert!(samples[2..].iter().all(|s| any_forbidden(s)));
    }

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
