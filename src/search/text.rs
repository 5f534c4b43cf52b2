//! How text becomes index keys, the same way in Rust (at build time) and in the browser (at query
//! time, themes/default/static/assets/search.js): fold case and diacritics, split into words, then
//! stem English words (Snowball's English stemmer, Porter2, on both sides) and give Welsh words
//! their possible radical forms, so that a search for "cartref" finds "gartref" and "nghartref".

use crate::lang::Lang;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
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
        min: MIN_WORD,
    }
}

/// Every word of already folded text, one letter long included (Welsh "i", "a", "y" mutate the
/// next word).
pub fn split_all(folded: &str) -> Words<'_> {
    Words {
        rest: folded,
        ascii: folded.is_ascii(),
        min: 1,
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
    /// The shortest word returned, in characters.
    min: usize,
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
            if word.len() >= self.min && (self.ascii || word.chars().count() >= self.min) {
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

/// Which mutation a rule undoes: the words that cause it differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mutation {
    /// Soft (treiglad meddal): p→b, t→d, c→g, b→f, d→dd, g→–, m→f, ll→l, rh→r.
    Soft,
    /// Nasal (treiglad trwynol): p→mh, t→nh, c→ngh, b→m, d→n, g→ng.
    Nasal,
    /// Aspirate (treiglad llaes): p→ph, t→th, c→ch.
    Aspirate,
    /// h before a vowel: ei hardal.
    H,
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
    /// When not empty, the rule applies only when the next letter is one of these.
    pub before: &'static str,
    /// Nor when the rest starts with one of these letters of two characters.
    pub not_before_pair: &'static [&'static str],
    /// The mutation it undoes.
    pub mutation: Mutation,
}

const fn rule(
    from: &'static str,
    to: &'static str,
    not_before: &'static str,
    before: &'static str,
    mutation: Mutation,
) -> Demutation {
    Demutation {
        from,
        to,
        not_before,
        before,
        not_before_pair: &[],
        mutation,
    }
}

/// Welsh vowels, for the rules that depend on one.
pub const VOWELS: &str = "aeiouwy";

use Mutation::{Aspirate, H, Nasal, Soft};

/// The soft, nasal and aspirate mutations and h-prothesis, undone. The browser receives this
/// table in the index, so the two sides cannot drift apart.
pub const DEMUTATIONS: &[Demutation] = &[
    rule("ngh", "c", "", "", Nasal),
    rule("mh", "p", "", "", Nasal),
    rule("nh", "t", "", "", Nasal),
    rule("ng", "g", "h", "", Nasal),
    rule("m", "b", "h", "", Nasal),
    rule("n", "d", "hg", "", Nasal),
    rule("ph", "p", "", "", Aspirate),
    rule("th", "t", "", "", Aspirate),
    rule("ch", "c", "", "", Aspirate),
    rule("b", "p", "", "", Soft),
    rule("d", "t", "d", "", Soft),
    rule("g", "c", "", "", Soft),
    rule("f", "b", "f", "", Soft),
    rule("f", "m", "f", "", Soft),
    rule("dd", "d", "", "", Soft),
    rule("l", "ll", "l", "", Soft),
    rule("r", "rh", "h", "", Soft),
    // g is dropped before a vowel, l or r: ardd → gardd, lan → glan, rymuso → grymuso (but
    // "ll" and "rh" are letters of their own).
    Demutation {
        from: "",
        to: "g",
        not_before: "",
        before: "aeiouwylr",
        not_before_pair: &["ll", "rh"],
        mutation: Soft,
    },
    // h-prothesis before a vowel: ei hardal → ardal.
    rule("h", "", "", VOWELS, H),
];

/// The words after which Welsh mutates the next word, and how (folded, so "â" is "a"): the
/// prepositions, the article (feminine nouns), "neu", "dy", "pan", "mor", "rhy", the numbers; "ei"
/// is "his" (soft) or "her" (aspirate, h before a vowel); "yn" is "in" (nasal) or links a
/// complement (soft). The browser receives this table in the index.
pub const TRIGGERS: &[(&[&str], &[Mutation])] = &[
    (
        &[
            "i", "o", "ar", "am", "at", "gan", "heb", "dan", "tan", "dros", "drwy", "trwy", "wrth",
            "hyd", "neu", "dy", "pan", "mor", "rhy", "dau", "dwy", "ail", "y", "yr", "r", "pa",
            "go", "naill", "un", "prif", "unrhyw", "pwy", "pha", "mha",
        ],
        &[Soft],
    ),
    (&["ei"], &[Soft, Aspirate, H]),
    (&["yn"], &[Soft, Nasal]),
    (&["fy", "ym", "yng"], &[Nasal]),
    (
        &["a", "gyda", "efo", "tua", "na", "tri", "chwe"],
        &[Aspirate],
    ),
    (&["eu", "ein", "w", "u", "ugain"], &[H]),
];

/// The mutations a word may carry after `prev` (folded), the word before it: Welsh mutates a
/// word only after certain words, so "mae" (is) at the start of a sentence is never "bae".
pub fn mutations_after(prev: &str) -> &'static [Mutation] {
    TRIGGERS
        .iter()
        .find(|(words, _)| words.contains(&prev))
        .map_or(&[], |(_, m)| m)
}

/// A folded Welsh word and every radical form it could be a mutation of (of `only` the given
/// mutations, when given), the word itself first.
pub fn radicals_of(word: &str, only: Option<&[Mutation]>) -> Vec<String> {
    let mut out = vec![word.to_string()];
    for r in DEMUTATIONS {
        if only.is_some_and(|m| !m.contains(&r.mutation)) {
            continue;
        }
        let Some(rest) = word.strip_prefix(r.from) else {
            continue;
        };
        let Some(next) = rest.chars().next() else {
            continue;
        };
        if r.not_before.contains(next)
            || (!r.before.is_empty() && !r.before.contains(next))
            || r.not_before_pair.iter().any(|p| rest.starts_with(p))
        {
            continue;
        }
        let candidate = format!("{}{rest}", r.to);
        if candidate.chars().count() >= MIN_WORD && !out.contains(&candidate) {
            out.push(candidate);
        }
    }
    out
}

/// A folded Welsh word and every radical form it could be a mutation of, the word itself first:
/// how a query word is read, since it has no context.
pub fn radicals(word: &str) -> Vec<String> {
    radicals_of(word, None)
}

/// The index keys of one folded word of text written in `lang`, out of context (a Welsh word's
/// radicals are added by [`keys_after`] where the word before it can mutate it).
pub fn keys(word: &str, lang: Lang) -> Vec<String> {
    match lang {
        Lang::En => vec![stem(word)],
        Lang::Cy => vec![word.to_string()],
    }
}

/// [`keys`], each English word's worked out once for all the threads that meet it: the threads'
/// builders each number the words they meet, and stemming the same words again in each was a
/// third of filing the text of a small hub, whose words are mostly new to every builder. (A
/// Welsh word's key is the word itself: nothing to remember.)
#[derive(Default)]
pub struct KeyMemo(std::sync::RwLock<FxHashMap<Box<str>, Option<Box<str>>>>);

impl KeyMemo {
    /// The keys of a folded word of a text in `lang`.
    pub fn keys(&self, word: &str, lang: Lang) -> Vec<String> {
        if lang == Lang::Cy {
            return keys(word, lang);
        }
        if let Some(stem) = self.0.read().unwrap_or_else(|e| e.into_inner()).get(word) {
            return vec![stem.as_deref().unwrap_or(word).to_string()];
        }
        let made = keys(word, lang);
        if let [stem] = made.as_slice() {
            // Most words are their own stem: nothing more to keep.
            let kept = (stem != word).then(|| stem.as_str().into());
            self.0
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .insert(word.into(), kept);
        }
        made
    }
}

/// The keys of a Welsh word after `prev`: itself, and the radicals of the mutations `prev` can
/// cause that are words of the hub's Welsh text (`known`): a radical no text uses ("gadnoddau"
/// from "adnoddau") would only ever match by mistake.
pub fn keys_after(word: &str, prev: &str, known: &dyn Fn(&str) -> bool) -> Vec<String> {
    match mutations_after(prev) {
        [] => vec![word.to_string()],
        m => {
            let mut keys = radicals_of(word, Some(m));
            let mut first = true;
            keys.retain(|k| std::mem::take(&mut first) || known(k));
            keys
        }
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
        // g dropped before l and r; two-letter radicals.
        assert!(radicals("lan").contains(&"glan".to_string()));
        assert!(radicals("rymuso").contains(&"grymuso".to_string()));
        assert!(!radicals("llan").contains(&"gllan".to_string()));
        assert!(radicals("dda").contains(&"da".to_string()));
        assert!(radicals("dy").contains(&"ty".to_string()));
    }

    #[test]
    fn only_a_trigger_undoes_a_mutation_and_only_into_a_known_word() {
        let any = |_: &str| true;
        assert_eq!(keys_after("mae", "yna", &any), ["mae"]);
        assert!(keys_after("mae", "ym", &any).contains(&"bae".to_string()));
        assert_eq!(keys_after("gartref", "iach", &any), ["gartref"]);
        assert!(keys_after("gartref", "i", &any).contains(&"cartref".to_string()));
        assert!(keys_after("chartref", "a", &any).contains(&"cartref".to_string()));
        assert!(!keys_after("chartref", "i", &any).contains(&"cartref".to_string()));
        assert!(keys_after("hardal", "eu", &any).contains(&"ardal".to_string()));
        let none = |_: &str| false;
        assert_eq!(keys_after("adnoddau", "at", &none), ["adnoddau"]);
    }
}

#[cfg(test)]
mod welsh_test_set {
    use super::*;

    /// Precision and recall of a rule that says whether a word, after `prev`, is filed under
    /// a candidate radical, over tests/data/welsh-mutations.tsv: 320 words in context from this
    /// hub's Welsh text, each with a radical its spelling allows, labelled by a Welsh speaker.
    fn score(rule: impl Fn(&str, &str, &str) -> bool) -> (f64, f64, usize) {
        let data = include_str!("../../tests/data/welsh-mutations.tsv");
        let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
        let mut rows = 0;
        for line in data.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            let (context, word, radical, label) = (cols[1], cols[2], cols[3], cols[4]);
            let before = context.split("[[").next().unwrap_or("");
            let prev = before.split_whitespace().last().unwrap_or("");
            let said = rule(&fold(prev), &fold(word), radical);
            match (said, label == "yes") {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fn_ += 1,
                (false, false) => {}
            }
            rows += 1;
        }
        (
            tp as f64 / (tp + fp).max(1) as f64,
            tp as f64 / (tp + fn_).max(1) as f64,
            rows,
        )
    }

    /// Every folded word of this repository's Welsh text (its `.cy.md` files and `action_cy`).
    fn welsh_words() -> std::collections::HashSet<String> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    out.push(p);
                }
            }
        }
        let mut files = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
            &mut files,
        );
        let mut words = std::collections::HashSet::new();
        for f in files {
            let name = f.to_string_lossy().to_string();
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            let welsh: String = if name.ends_with(".cy.md") {
                text
            } else if name.ends_with(".yaml") {
                text.lines()
                    .filter(|l| l.trim_start().starts_with("action_cy:") || l.starts_with("      "))
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                continue;
            };
            words.extend(split(&fold(&welsh)).map(str::to_string));
        }
        words
    }

    #[test]
    fn undoing_mutations_only_after_their_triggers_is_measured() {
        let known = welsh_words();
        // Before: every radical the spelling allows, whatever came before.
        let (p0, r0, rows) = score(|_, w, r| radicals(w).iter().any(|k| k == r));
        // After: only the mutations the word before can cause, into words the text uses.
        let (p1, r1, _) = score(|prev, w, r| {
            keys_after(w, prev, &|k| known.contains(k))
                .iter()
                .any(|k| k == r)
        });
        eprintln!(
            "Welsh demutation over {rows} cases: before precision {p0:.2} recall {r0:.2}; after precision {p1:.2} recall {r1:.2}"
        );
        assert!(rows >= 200);
        assert!(p1 >= 0.9, "precision {p0:.2} → {p1:.2}");
        assert!(r1 >= 0.6, "recall {r1:.2}");
    }
}
