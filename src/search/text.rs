//! How text becomes index keys, the same way in Rust (at build time) and in the browser (at query
//! time, themes/default/static/assets/search.js): fold case and diacritics, split into words, then
//! stem English words (Snowball's English stemmer, Porter2, on both sides) and give Welsh words
//! their possible radical forms, so that a search for "cartref" finds "gartref" and "nghartref".

use crate::lang::{Lang, PerLang};
use rust_stemmers::{Algorithm, Stemmer};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Shortest word that is indexed: single letters would make huge, useless posting lists.
pub const MIN_WORD: usize = 2;

/// Lower-cases `text` and strips combining diacritics (U+0300–U+036F after canonical
/// decomposition), so "Pŵer" and "pwer" meet. The browser does the same with
/// `normalize("NFD")` and the same range.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.to_lowercase()
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect()
}

/// The words of already folded text: runs of alphabetic or numeric characters (the browser uses
/// `[\p{Alphabetic}\p{N}]+`), at least [`MIN_WORD`] characters long.
pub fn split(folded: &str) -> Words<'_> {
    Words {
        rest: folded,
        ascii: folded.is_ascii(),
    }
}

/// ASCII letters and digits.
const ALNUM: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// The iterator of [`split`].
pub struct Words<'a> {
    rest: &'a str,
    /// Most text is ASCII, where a byte test says the same as the Unicode classes, faster.
    ascii: bool,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let in_word = |c: char| c.is_alphabetic() || c.is_numeric();
        loop {
            let (start, end) = if self.ascii {
                let b = self.rest.as_bytes();
                let mut start = 0;
                while start < b.len() && !ALNUM[b[start] as usize] {
                    start += 1;
                }
                if start == b.len() {
                    return None;
                }
                let mut end = start + 1;
                while end < b.len() && ALNUM[b[end] as usize] {
                    end += 1;
                }
                (start, end)
            } else {
                let start = self.rest.find(in_word)?;
                let len = self.rest[start..]
                    .find(|c: char| !in_word(c))
                    .unwrap_or(self.rest.len() - start);
                (start, start + len)
            };
            let word = &self.rest[start..end];
            self.rest = &self.rest[end..];
            if word.len() >= MIN_WORD && (self.ascii || word.chars().count() >= MIN_WORD) {
                return Some(word);
            }
        }
    }
}

/// The folded words of `text`.
pub fn words(text: &str) -> Vec<String> {
    split(&fold(text)).map(str::to_string).collect()
}

/// The English key of a folded word: its Porter2 stem.
pub fn stem(word: &str) -> String {
    ENGLISH.stem(word).into_owned()
}

thread_local! {
    // A corpus repeats a few thousand words millions of times; each is analysed once per thread.
    static KEYS: RefCell<PerLang<HashMap<String, Rc<[String]>>>> = RefCell::default();
}

/// [`keys`], remembered per thread.
pub fn keys_cached(word: &str, lang: Lang) -> Rc<[String]> {
    KEYS.with(|k| {
        let mut memo = k.borrow_mut();
        let memo = &mut memo[lang];
        if let Some(keys) = memo.get(word) {
            return keys.clone();
        }
        let keys: Rc<[String]> = keys(word, lang).into();
        memo.insert(word.to_string(), keys.clone());
        keys
    })
}

/// One rule of Welsh initial mutation, read backwards: a word starting with `from` may be the
/// mutated form of a word starting with `to`.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Demutation {
    /// The mutated initial.
    pub from: &'static str,
    /// The radical initial it stands for.
    pub to: &'static str,
    /// The rule does not apply when the next letter is one of these (so "dd", "ll", "ff", "rh",
    /// "ngh" are read as the letters they are).
    pub not_before: &'static str,
    /// The rule applies only when the next letter is a vowel.
    pub before_vowel: bool,
}

const fn rule(
    from: &'static str,
    to: &'static str,
    not_before: &'static str,
    before_vowel: bool,
) -> Demutation {
    Demutation {
        from,
        to,
        not_before,
        before_vowel,
    }
}

/// Welsh vowels, for the rules that depend on one.
pub const VOWELS: &str = "aeiouwy";

/// The soft, nasal and aspirate mutations and h-prothesis, undone. The browser receives this
/// table in the index, so the two sides cannot drift apart.
pub const DEMUTATIONS: &[Demutation] = &[
    // Nasal: p→mh, t→nh, c→ngh, b→m, d→n, g→ng.
    rule("ngh", "c", "", false),
    rule("mh", "p", "", false),
    rule("nh", "t", "", false),
    rule("ng", "g", "h", false),
    rule("m", "b", "h", false),
    rule("n", "d", "hg", false),
    // Aspirate: p→ph, t→th, c→ch.
    rule("ph", "p", "", false),
    rule("th", "t", "", false),
    rule("ch", "c", "", false),
    // Soft: p→b, t→d, c→g, b→f, d→dd, g→(nothing), m→f, ll→l, rh→r.
    rule("b", "p", "", false),
    rule("d", "t", "d", false),
    rule("g", "c", "", false),
    rule("f", "b", "f", false),
    rule("f", "m", "f", false),
    rule("dd", "d", "", false),
    rule("l", "ll", "l", false),
    rule("r", "rh", "h", false),
    rule("", "g", "", true),
    // h-prothesis before a vowel: ei hardal → ardal.
    rule("h", "", "", true),
];

/// A folded Welsh word and every radical form it could be a mutation of, the word itself first.
pub fn radicals(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    for r in DEMUTATIONS {
        let Some(rest) = word.strip_prefix(r.from) else {
            continue;
        };
        let Some(next) = rest.chars().next() else {
            continue;
        };
        if r.not_before.contains(next) || (r.before_vowel && !VOWELS.contains(next)) {
            continue;
        }
        let candidate = format!("{}{rest}", r.to);
        if candidate.chars().count() > MIN_WORD && !out.contains(&candidate) {
            out.push(candidate);
        }
    }
    out
}

/// The index keys of one folded word of text written in `lang`.
pub fn keys(word: &str, lang: Lang) -> Vec<String> {
    match lang {
        Lang::En => vec![stem(word)],
        Lang::Cy => radicals(word),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_meets_circumflexes() {
        assert_eq!(fold("Pŵer Tŷ Ïe"), "pwer ty ie");
        assert_eq!(words("Gofal, i'r tŷ!"), ["gofal", "ty"]);
    }

    #[test]
    fn english_is_stemmed() {
        assert_eq!(stem("evaluation"), stem("evaluate"));
        assert_eq!(stem("falls"), "fall");
    }

    #[test]
    fn mutated_forms_reach_their_radical() {
        for (mutated, radical) in [
            ("gartref", "cartref"),
            ("nghartref", "cartref"),
            ("chartref", "cartref"),
            ("ofal", "gofal"),
            ("fenter", "menter"),
            ("feddyg", "meddyg"),
            ("ddata", "data"),
            ("lyfrgell", "llyfrgell"),
            ("mhobl", "pobl"),
            ("hardal", "ardal"),
        ] {
            assert!(
                radicals(mutated).contains(&radical.to_string()),
                "{mutated} → {:?}",
                radicals(mutated)
            );
        }
        // Digraphs are letters, not mutations.
        assert!(!radicals("ddata").contains(&"tdata".to_string()));
        assert!(!radicals("llyfr").contains(&"lllyfr".to_string()));
        assert_eq!(radicals("cartref"), ["cartref"]);
    }
}
