//! Words that mean the same need, in both languages: "physio", "physiotherapy", "MSK",
//! "ffisiotherapi". The built-in table (`src/data/synonyms.yaml`, extended by `synonyms:` in
//! hub.yaml) is applied when the index is built: a text that says any member of a group is also
//! filed under every other member's keys, so the browser needs no table and a query in either
//! language, in any of the group's words, finds it.

use super::text;
use rustc_hash::FxHashMap;

/// The built-in groups, compiled in.
const BUILT_IN: &str = include_str!("../data/synonyms.yaml");

/// The groups, ready to find in text.
#[derive(Debug, Default)]
pub struct Synonyms {
    /// A word that is a one-word member or begins a longer one → its [`Starts`].
    starts: FxHashMap<String, u32>,
    /// What each such word begins.
    begins: Vec<Starts>,
    /// Each group's keys: every member word, as written and stemmed.
    keys: Vec<Vec<String>>,
}

/// The members a word begins: the groups it is a one-word member of, and the members of several
/// words that start with it (their words, their group).
#[derive(Debug, Default)]
struct Starts {
    words: Vec<u32>,
    phrases: Vec<(Vec<String>, u32)>,
}

/// The groups written in the built-in table.
pub fn built_in() -> Vec<Vec<String>> {
    let node = crate::yaml::parse(BUILT_IN).expect("src/data/synonyms.yaml is valid YAML (tested)");
    let crate::yaml::Value::Seq(groups) = node.value else {
        return Vec::new();
    };
    groups
        .iter()
        .filter_map(|g| match &g.value {
            crate::yaml::Value::Seq(members) => Some(
                members
                    .iter()
                    .filter_map(|m| match &m.value {
                        crate::yaml::Value::Scalar { text, .. } => Some(text.clone()),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => None,
        })
        .collect()
}

impl Synonyms {
    /// The built-in groups and `extra` ones (from hub.yaml).
    pub fn new(extra: &[Vec<String>]) -> Self {
        let mut s = Synonyms::default();
        for group in built_in().iter().chain(extra) {
            let id = s.keys.len() as u32;
            let mut keys: Vec<String> = Vec::new();
            for member in group {
                let words = text::words(member);
                if words.is_empty() {
                    continue;
                }
                for w in &words {
                    for k in [w.clone(), text::stem(w)] {
                        if !keys.contains(&k) {
                            keys.push(k);
                        }
                    }
                }
                let next = s.begins.len() as u32;
                let at = *s.starts.entry(words[0].clone()).or_insert(next);
                if at == next {
                    s.begins.push(Starts::default());
                }
                let begins = &mut s.begins[at as usize];
                match words.as_slice() {
                    [_] => begins.words.push(id),
                    _ => begins.phrases.push((words.clone(), id)),
                }
            }
            s.keys.push(keys);
        }
        s
    }

    /// The groups a run of folded words mentions.
    pub fn groups_in(&self, words: &[&str], out: &mut Vec<u32>) {
        for i in 0..words.len() {
            if let Some(start) = self.start(words[i]) {
                self.groups_at(start, &words[i..], out);
            }
        }
    }

    /// The number of what `word` begins, if it begins a member: the index asks once per distinct
    /// word rather than hashing every word of every text again.
    pub fn start(&self, word: &str) -> Option<u32> {
        self.starts.get(word).copied()
    }

    /// The groups mentioned at the start of `rest`, whose first word begins members (`start`).
    pub fn groups_at(&self, start: u32, rest: &[&str], out: &mut Vec<u32>) {
        let begins = &self.begins[start as usize];
        out.extend(&begins.words);
        for (phrase, id) in &begins.phrases {
            if rest.len() >= phrase.len() && phrase.iter().zip(rest).all(|(a, b)| a == b) {
                out.push(*id);
            }
        }
    }

    /// The keys a text mentioning group `id` is filed under.
    pub fn keys(&self, id: u32) -> &[String] {
        &self.keys[id as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_table_reads_and_finds_words_and_phrases() {
        let s = Synonyms::new(&[vec!["Healthy Homes".into(), "cartrefi iach".into()]]);
        assert!(built_in().len() >= 60);
        let mut found = Vec::new();
        let text =
            text::words("Out of hours care and a first contact physiotherapist; cartrefi iach");
        let words: Vec<&str> = text.iter().map(String::as_str).collect();
        s.groups_in(&words, &mut found);
        let keys: Vec<&String> = found.iter().flat_map(|&g| s.keys(g)).collect();
        for k in ["ooh", "physio", "ffisiotherapi", "healthi", "home"] {
            assert!(keys.iter().any(|x| x.as_str() == k), "{k} in {keys:?}");
        }
    }
}
