//! Slugs (case-study names in URLs) and heading anchors, including Welsh text.

/// Whether `s` matches `[a-z0-9]+(-[a-z0-9]+)*`, the contract's slug pattern.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Suggests a valid slug for a file name that is not one, e.g. `Healthy Homes` → `healthy-homes`.
pub fn suggest(name: &str) -> String {
    let s = anchor(name);
    if s.is_empty() {
        "case-study".to_string()
    } else {
        s
    }
}

/// Turns heading text into an anchor: `Tŷ Hyll: Ŵyn a’r Ŷd` → `ty-hyll-wyn-ar-yd`.
/// Apostrophes are dropped rather than turned into `-` so Welsh elisions stay one word.
pub fn anchor(text: &str) -> String {
    let without_apostrophes: String = text
        .chars()
        .filter(|c| !matches!(c, '\'' | '’' | '‘'))
        .collect();
    let ascii = deunicode::deunicode(&without_apostrophes);
    let mut out = String::with_capacity(ascii.len());
    let mut pending_dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    out
}

/// Makes anchors unique within one page by adding `-2`, `-3`… to repeats. Each base remembers
/// the last suffix it gave, so n repeats of one heading cost O(n), not O(n²).
#[derive(Default)]
pub struct AnchorSet {
    used: std::collections::HashSet<String>,
    next: std::collections::HashMap<String, usize>,
}

impl AnchorSet {
    /// A set in which `reserved` are already taken (the theme's own ids).
    pub fn reserving(reserved: &std::collections::HashSet<String>) -> Self {
        AnchorSet {
            used: reserved.clone(),
            next: Default::default(),
        }
    }

    /// Returns a unique anchor for `base` (`section` when `base` is empty).
    pub fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let n = self.next.entry(base.to_string()).or_insert(2);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_text_gives_a_valid_anchor_and_slug(text in "\\PC{0,60}") {
            let a = anchor(&text);
            prop_assert!(a.is_empty() || is_slug(&a), "{a:?}");
            prop_assert!(is_slug(&suggest(&text)));
        }

        #[test]
        fn unique_anchors_never_repeat(bases in proptest::collection::vec("[a-z]{0,3}(-[0-9])?", 0..40)) {
            let mut set = AnchorSet::default();
            let mut seen = std::collections::HashSet::new();
            for b in bases {
                let a = set.unique(&b);
                prop_assert!(!a.is_empty());
                prop_assert!(seen.insert(a.clone()), "{a} twice");
            }
        }
    }

    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("healthy-homes"));
        assert!(is_slug("pcmw-10"));
        for bad in ["", "Healthy", "a--b", "-a", "a-", "a_b", "tŷ"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn welsh_anchors() {
        assert_eq!(anchor("Tŷ Hyll: Ŵyn a’r Ŷd"), "ty-hyll-wyn-ar-yd");
        assert_eq!(anchor("What it achieved"), "what-it-achieved");
        assert_eq!(anchor("  Gofal — 2023/24 "), "gofal-2023-24");
    }

    #[test]
    fn unique_anchors() {
        let mut set = AnchorSet::default();
        assert_eq!(set.unique("results"), "results");
        assert_eq!(set.unique("results"), "results-2");
        assert_eq!(set.unique("results-2"), "results-2-2");
        assert_eq!(set.unique(""), "section");
    }
}
