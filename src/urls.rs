//! Where every page lives: the one place that knows the URL scheme of contract section 5.

use crate::lang::{Lang, PerLang};
use crate::vocab::Kind;

/// Builds site-absolute URLs (starting with the base URL's path) for every kind of page.
#[derive(Debug, Clone)]
pub struct Urls {
    base_path: String,
    /// Each cluster's board key, by cluster key: a cluster's page is under its board's.
    cluster_boards: std::collections::HashMap<String, String>,
    /// Each language's home, by `Lang as usize`: every URL starts with one, and pages ask for
    /// hundreds of URLs each.
    homes: PerLang<String>,
}

/// The parts, joined, in a string allocated once.
fn join(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

/// The pages hub makes itself at fixed addresses (vocabulary pages are [`Urls::kind_index`] and
/// [`Urls::term`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SitePage {
    /// `/`
    Home,
    /// `/case-studies/`
    Studies,
    /// `/search/`
    Search,
    /// `/coverage/`
    Coverage,
    /// `/pipeline/`
    Pipeline,
    /// `/actions/`
    Actions,
    /// `/translations/`
    Translations,
    /// `/reviews/`
    Reviews,
    /// `/404.html`
    NotFound,
    /// `/feed.xml`
    Feed,
}

impl SitePage {
    /// Every fixed page.
    pub const ALL: [SitePage; 10] = [
        SitePage::Home,
        SitePage::Studies,
        SitePage::Search,
        SitePage::Coverage,
        SitePage::Pipeline,
        SitePage::Actions,
        SitePage::Translations,
        SitePage::Reviews,
        SitePage::NotFound,
        SitePage::Feed,
    ];

    /// Its path below the language's home: a folder (`coverage/`) or a file (`feed.xml`).
    pub fn path(self) -> &'static str {
        match self {
            SitePage::Home => "",
            SitePage::Studies => "case-studies/",
            SitePage::Search => "search/",
            SitePage::Coverage => "coverage/",
            SitePage::Pipeline => "pipeline/",
            SitePage::Actions => "actions/",
            SitePage::Translations => "translations/",
            SitePage::Reviews => "reviews/",
            SitePage::NotFound => "404.html",
            SitePage::Feed => "feed.xml",
        }
    }
}

/// Folders at the site's root that hub fills itself, besides its pages: theme assets and the
/// per-language trees.
const OWN_FOLDERS: [&str; 1] = ["assets"];

/// The first path segments a content page may not take: every page, folder and language tree
/// hub makes itself. Derived from the URL scheme, so a new page cannot be forgotten here.
pub fn reserved() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = SitePage::ALL
        .iter()
        .filter_map(|p| p.path().strip_suffix('/'))
        .filter(|p| !p.is_empty() && !p.contains('/'))
        .chain(Kind::ALL.iter().map(|k| k.segment()))
        .chain(Lang::ALL.iter().map(|l| l.code()))
        .chain(OWN_FOLDERS)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// What a relative `.md` link can point at.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocKey {
    /// A case study, by slug.
    Study(String),
    /// A plain page, by its path under content/ without `.md` (e.g. `about`, `guides/photos`).
    Page(String),
}

impl Urls {
    /// URLs under `base_path` (e.g. `/` or `/hub/`), with `default_lang` at the root.
    pub fn new(base_path: &str, default_lang: Lang) -> Self {
        let mut base_path = base_path.to_string();
        if !base_path.ends_with('/') {
            base_path.push('/');
        }
        let homes = PerLang::from_fn(|lang| {
            if lang == default_lang {
                base_path.clone()
            } else {
                join(&[&base_path, lang.code(), "/"])
            }
        });
        Urls {
            base_path,
            homes,
            cluster_boards: Default::default(),
        }
    }

    /// The same URLs, knowing the board of each cluster (`vocab`'s clusters).
    pub fn with_clusters(mut self, vocab: &crate::vocab::Vocabularies) -> Self {
        self.cluster_boards = vocab
            .clusters
            .list
            .iter()
            .map(|c| {
                (
                    c.key.clone(),
                    vocab.term(Kind::Regions, c.board).key.clone(),
                )
            })
            .collect();
        self
    }

    /// One of hub's own pages in `lang`.
    pub fn site_page(&self, lang: Lang, page: SitePage) -> String {
        join(&[&self.homes[lang], page.path()])
    }

    /// The base path, ending in `/`.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// The home page of `lang`: `/` or `/cy/`.
    pub fn home(&self, lang: Lang) -> String {
        self.homes[lang].clone()
    }

    /// A page of `lang` at `path` (no leading or trailing slash) under the language's root.
    pub fn page_at(&self, lang: Lang, path: &str) -> String {
        join(&[&self.homes[lang], path, "/"])
    }

    /// A case study.
    pub fn study(&self, lang: Lang, slug: &str) -> String {
        join(&[&self.homes[lang], "case-studies/", slug, "/"])
    }

    /// A document's path below its language's home, e.g. `case-studies/alpha/`.
    pub fn doc_path(key: &DocKey) -> String {
        match key {
            DocKey::Study(slug) => format!("case-studies/{slug}/"),
            DocKey::Page(path) => format!("{path}/"),
        }
    }

    /// A case study or plain page.
    pub fn doc(&self, lang: Lang, key: &DocKey) -> String {
        match key {
            DocKey::Study(slug) => self.study(lang, slug),
            DocKey::Page(path) => self.page_at(lang, path),
        }
    }

    /// The index page of a vocabulary, e.g. `/regions/`.
    pub fn kind_index(&self, lang: Lang, kind: Kind) -> String {
        self.page_at(lang, kind.segment())
    }

    /// The page of one vocabulary key, e.g. `/regions/powys/`; a cluster's is under its board's,
    /// `/regions/powys/north-powys/`.
    pub fn term(&self, lang: Lang, kind: Kind, key: &str) -> String {
        match (kind, self.cluster_boards.get(key)) {
            (Kind::Clusters, Some(board)) => {
                join(&[&self.homes[lang], kind.segment(), "/", board, "/", key, "/"])
            }
            _ => join(&[&self.homes[lang], kind.segment(), "/", key, "/"]),
        }
    }

    /// A file published as-is (theme assets, files beside a page), by its path under the site root.
    pub fn file(&self, path: &str) -> String {
        join(&[&self.base_path, path])
    }

    /// A file of `lang`'s tree (feed.xml of the Welsh tree lives under /cy/).
    pub fn lang_file(&self, lang: Lang, name: &str) -> String {
        join(&[&self.homes[lang], name])
    }

    /// The "not found" page of `lang`: `/404.html` or `/cy/404.html`.
    pub fn not_found(&self, lang: Lang) -> String {
        self.site_page(lang, SitePage::NotFound)
    }

    /// The language whose tree `url` is in: the one with the longest home that starts it.
    pub fn lang_of(&self, url: &str) -> Lang {
        Lang::ALL
            .into_iter()
            .filter(|&l| url.starts_with(&self.homes[l]))
            .max_by_key(|&l| self.homes[l].len())
            .unwrap_or(Lang::ALL[0])
    }

    /// The output file that serves `url`: `/cy/about/` → `cy/about/index.html`.
    pub fn output_path(&self, url: &str) -> String {
        let rel = url
            .strip_prefix(&self.base_path)
            .unwrap_or(url.trim_start_matches('/'));
        if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welsh_tree_under_cy() {
        let u = Urls::new("/hub/", Lang::En);
        assert_eq!(
            u.study(Lang::Cy, "deep-end"),
            "/hub/cy/case-studies/deep-end/"
        );
        assert_eq!(
            u.term(Lang::En, Kind::Statuses, "proven"),
            "/hub/status/proven/"
        );
        assert_eq!(u.output_path("/hub/cy/about/"), "cy/about/index.html");
        assert_eq!(u.output_path("/hub/"), "index.html");
        assert_eq!(u.output_path("/hub/feed.xml"), "feed.xml");
        assert_eq!(u.lang_of("/hub/cy/nothing/"), Lang::Cy);
        assert_eq!(u.lang_of("/hub/cymru/"), Lang::En);
        let welsh_first = Urls::new("/", Lang::Cy);
        assert_eq!(
            welsh_first.output_path(&welsh_first.not_found(Lang::En)),
            "en/404.html"
        );
        assert_eq!(welsh_first.lang_of("/x/"), Lang::Cy);
        assert_eq!(
            u.site_page(Lang::Cy, SitePage::Coverage),
            "/hub/cy/coverage/"
        );
        assert_eq!(u.site_page(Lang::En, SitePage::Home), "/hub/");
    }

    #[test]
    fn reserved_names_cover_every_page_hub_makes() {
        assert_eq!(
            reserved(),
            [
                "actions",
                "assets",
                "case-studies",
                "collaboratives",
                "coverage",
                "cy",
                "en",
                "outcomes",
                "pipeline",
                "regions",
                "reviews",
                "search",
                "status",
                "themes",
                "topics",
                "translations"
            ]
        );
    }
}
