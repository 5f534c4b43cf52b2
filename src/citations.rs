//! Quotations checked against their sources. A study that lists `sources` may quote them only word
//! for word: line wrapping, whitespace, curly or straight quotes and dash forms do not count as
//! differences, and `…` or `...` inside a quotation stands for omitted text. Everything else does
//! (case and punctuation too).
//!
//! Each source is indexed once (every token → its positions), so a quotation is found by looking
//! up its rarest token and comparing from there: the cost is the quotation's length times a few
//! candidates, not the source's length, on a 60,000-word source and 10,000 studies alike. A
//! quotation that is not found gets the source's closest passage as its help, found by letting
//! each of its tokens vote for where the quotation would start.

use rustc_hash::FxHashMap;

/// A quotation found in a document, where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The quoted text as written (without the quotation marks around it).
    pub text: String,
    /// 1-based file line of its start.
    pub line: usize,
    /// 1-based column of its start.
    pub column: usize,
    /// A block quotation (`> …`), as opposed to one inline in a sentence.
    pub block: bool,
}

/// The fewest words an inline quotation has for it to be checked ("in the report" is a phrase,
/// not a quotation).
pub const MIN_INLINE_WORDS: usize = 5;

/// Postings longer than this are not used to vote for the closest passage (`the`, `and`, `,`):
/// they say nothing about where a quotation is and would make a miss cost the source's length.
const MAX_VOTING_POSTINGS: usize = 256;

/// Characters written as one another for matching.
fn canonical(c: char) -> char {
    match c {
        '‘' | '’' | '‚' | '‛' | '′' | '`' | '´' => '\'',
        '“' | '”' | '„' | '‟' | '″' | '«' | '»' => '"',
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => '-',
        '\u{a0}' | '\u{2007}' | '\u{202f}' => ' ',
        other => other,
    }
}

/// A token: a word (letters and digits) or one punctuation character, with the byte offset of
/// its start in the text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    text: Box<str>,
    at: usize,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut word = String::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let c = canonical(c);
        if c.is_alphanumeric() {
            if word.is_empty() {
                start = i;
            }
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            out.push(Token {
                text: std::mem::take(&mut word).into(),
                at: start,
            });
        }
        if !c.is_whitespace() {
            out.push(Token {
                text: c.to_string().into(),
                at: i,
            });
        }
    }
    if !word.is_empty() {
        out.push(Token {
            text: word.into(),
            at: start,
        });
    }
    out
}

/// A source document's text, indexed for quotations.
#[derive(Debug, Clone)]
pub struct SourceText {
    text: String,
    tokens: Vec<Token>,
    postings: FxHashMap<Box<str>, Vec<u32>>,
}

impl SourceText {
    /// Indexes `text`.
    pub fn new(text: String) -> Self {
        let tokens = tokens(&text);
        let mut postings: FxHashMap<Box<str>, Vec<u32>> = FxHashMap::default();
        for (i, t) in tokens.iter().enumerate() {
            postings.entry(t.text.clone()).or_default().push(i as u32);
        }
        SourceText {
            text,
            tokens,
            postings,
        }
    }

    fn positions(&self, token: &str) -> &[u32] {
        self.postings.get(token).map_or(&[], Vec::as_slice)
    }

    /// Where `fragment` occurs at or after token `from`, as the range of tokens it covers.
    fn find(&self, fragment: &[Token], from: usize) -> Option<(usize, usize)> {
        let (offset, rarest) = fragment
            .iter()
            .enumerate()
            .min_by_key(|(_, t)| self.positions(&t.text).len())?;
        self.positions(&rarest.text).iter().find_map(|&p| {
            let start = (p as usize).checked_sub(offset)?;
            let end = start + fragment.len();
            let matches = start >= from
                && end <= self.tokens.len()
                && self.tokens[start..end]
                    .iter()
                    .zip(fragment)
                    .all(|(a, b)| a.text == b.text);
            matches.then_some((start, end))
        })
    }

    /// Whether the quotation's fragments occur in this text, in order.
    fn contains(&self, fragments: &[Vec<Token>]) -> bool {
        let mut from = 0;
        for f in fragments {
            match self.find(f, from) {
                Some((_, end)) => from = end,
                None => return false,
            }
        }
        true
    }

    /// The passage that shares most of the quotation's tokens at the same distances, about as
    /// long as the quotation.
    fn closest(&self, quote: &[Token]) -> Option<String> {
        let mut votes: FxHashMap<isize, u32> = FxHashMap::default();
        for (j, t) in quote.iter().enumerate() {
            let ps = self.positions(&t.text);
            if ps.len() > MAX_VOTING_POSTINGS || t.text.chars().all(|c| !c.is_alphanumeric()) {
                continue;
            }
            for &p in ps {
                *votes.entry(p as isize - j as isize).or_default() += 1;
            }
        }
        let (&start, &n) = votes.iter().max_by_key(|(start, n)| (**n, -**start))?;
        if n < 2 {
            return None;
        }
        let mut first = start.max(0) as usize;
        let mut last =
            (start + quote.len() as isize - 1).clamp(0, self.tokens.len() as isize - 1) as usize;
        // Words added to or dropped from the quotation shift where it would start: the passage
        // is cut to the span between the first and last of its own words.
        let words: std::collections::HashSet<&str> = quote.iter().map(|t| &*t.text).collect();
        let ours = |i: usize| words.contains(&*self.tokens[i].text);
        while first < last && !ours(first) {
            first += 1;
        }
        while last > first && !ours(last) {
            last -= 1;
        }
        let from = self.tokens.get(first)?.at;
        let to = self.tokens.get(last + 1).map_or(self.text.len(), |t| t.at);
        let passage: String = self.text[from..to]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        Some(passage)
    }
}

/// The parts of a quotation between its ellipses, without the quotation marks and closing
/// punctuation around it (a quotation may end a sentence the source goes on with).
fn fragments(quote: &str) -> Vec<Vec<Token>> {
    let mut all = tokens(quote);
    let is_quote_mark = |t: &Token| matches!(&*t.text, "'" | "\"");
    while all.first().is_some_and(is_quote_mark) {
        all.remove(0);
    }
    while all
        .last()
        .is_some_and(|t| is_quote_mark(t) || matches!(&*t.text, "." | "," | ";" | ":"))
    {
        all.pop();
    }
    let mut out: Vec<Vec<Token>> = vec![Vec::new()];
    let mut i = 0;
    while i < all.len() {
        let t = &all[i];
        let dots = all[i..].iter().take_while(|t| &*t.text == ".").count();
        let is_gap = &*t.text == "…" || dots >= 3;
        if is_gap {
            // `[…]` is an ellipsis too: drop the bracket before it and after it.
            if out
                .last()
                .and_then(|f| f.last())
                .is_some_and(|t| &*t.text == "[")
            {
                out.last_mut().expect("a fragment").pop();
            }
            i += if &*t.text == "…" { 1 } else { dots };
            if all.get(i).is_some_and(|t| &*t.text == "]") {
                i += 1;
            }
            out.push(Vec::new());
            continue;
        }
        out.last_mut().expect("a fragment").push(t.clone());
        i += 1;
    }
    out.retain(|f| !f.is_empty());
    out
}

/// The words of a text, for [`MIN_INLINE_WORDS`].
pub fn word_count(text: &str) -> usize {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count()
}

/// What checking a quotation found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// It is in one of the sources.
    Found,
    /// It is in none; the closest passage of any, if one is close.
    Missing(Option<String>),
}

/// Checks one quotation against `sources`.
pub fn check(quote: &str, sources: &[&SourceText]) -> Finding {
    let frags = fragments(quote);
    if frags.is_empty() {
        return Finding::Found;
    }
    if sources.iter().any(|s| s.contains(&frags)) {
        return Finding::Found;
    }
    let whole: Vec<Token> = frags.concat();
    let closest = sources
        .iter()
        .filter_map(|s| s.closest(&whole))
        .max_by_key(|p| shared_words(p, quote));
    Finding::Missing(closest)
}

fn shared_words(passage: &str, quote: &str) -> usize {
    let words: std::collections::HashSet<&str> = quote.split_whitespace().collect();
    passage
        .split_whitespace()
        .filter(|w| words.contains(w))
        .count()
}

/// Finds the quotations of a plain text (a front-matter value or a paragraph): text between
/// “ and ” or ‘ and ’ (as written, or as smart punctuation makes them) of at least
/// [`MIN_INLINE_WORDS`] words. Returns each with the byte offset of its opening mark.
pub fn inline_quotes(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    // Walked by byte offset, a character at a time: every study's text passes here, and a
    // table of its characters cost more than the search for quotation marks.
    let mut pos = 0;
    let mut prev: Option<char> = None;
    while let Some(c) = text[pos..].chars().next() {
        let at = pos;
        pos += c.len_utf8();
        let close = match c {
            '“' => Some('”'),
            '"' if prev.is_none_or(|p| !p.is_alphanumeric()) => Some('"'),
            '‘' => Some('’'),
            _ => None,
        };
        prev = Some(c);
        let Some(close) = close else {
            continue;
        };
        // The closing mark: for ’ (also an apostrophe, as in don’t), one not followed by a
        // letter.
        let mut rest = text[pos..].char_indices().peekable();
        let end = loop {
            match rest.next() {
                None => break None,
                Some((j, d)) => {
                    if d == close
                        && (close != '’' || rest.peek().is_none_or(|(_, n)| !n.is_alphabetic()))
                    {
                        break Some(pos + j);
                    }
                }
            }
        };
        let Some(end) = end else {
            continue;
        };
        let inner = &text[pos..end];
        if word_count(inner) >= MIN_INLINE_WORDS {
            out.push((at, inner.to_string()));
        }
        pos = end + close.len_utf8();
        prev = Some(close);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> SourceText {
        SourceText::new(
            "Clusters are gridlocked – no opportunity to innovate. No money for new projects \
             by new professional collaboratives as all money locked into GMS work.\n\
             ‘People don’t initially feel that ‘physio first’ is what they want or need – only \
             38% say yes to this service.’"
                .to_string(),
        )
    }

    #[test]
    fn quotations_match_despite_wrapping_quotes_and_dashes() {
        let s = source();
        for q in [
            "Clusters are gridlocked - no opportunity\nto innovate.",
            "‘People don't initially feel that 'physio first' is what they want or need — only 38% say yes",
            "no opportunity to innovate … all money locked into GMS work",
            "Clusters are gridlocked [...] GMS work.",
            "\u{201c}No money for new projects\u{201d}",
        ] {
            assert_eq!(check(q, &[&s]), Finding::Found, "{q}");
        }
    }

    #[test]
    fn a_changed_word_is_missing_with_the_closest_passage() {
        let s = source();
        match check(
            "No money for new projects by new professional networks",
            &[&s],
        ) {
            Finding::Missing(Some(p)) => {
                assert!(p == "No money for new projects by new professional", "{p}")
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            check("clusters are gridlocked", &[&s]),
            Finding::Missing(_)
        ));
        assert!(matches!(
            check(
                "all money locked into GMS work … Clusters are gridlocked",
                &[&s]
            ),
            Finding::Missing(_)
        ));
    }

    #[test]
    fn inline_quotations_of_five_words_or_more() {
        let q = inline_quotes(
            "It said “no money for new projects by new” and ‘physio first’, and don’t ‘stop the money for new projects’.",
        );
        let texts: Vec<&str> = q.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "no money for new projects by new",
                "stop the money for new projects"
            ]
        );
        assert_eq!(q[0].0, 8);
    }
}
