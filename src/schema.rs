//! What a case study is: the one table of its front-matter fields. Reading a file
//! (`content::document`), merging a translation with its English twin (`site`), the facts a page
//! shows (`render::views`), catalogue.json and catalogue.csv (`render::data`), search and "similar
//! work elsewhere", `hub new` (`scaffold`) and CONTRIBUTING.md (checked by a test) all follow this
//! table, so a new field is one row here (and its label in the theme's catalogues).

use crate::vocab::Kind;

/// How a field's value is written and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// A paragraph of Markdown, rendered like the body (links checked).
    Markdown,
    /// A list of texts.
    Texts,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// A peer-review cycle, `YYYY/YY`.
    Cycle,
    /// A year, month or day: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    PartialDate,
    /// One of a fixed list of keys (their labels are UI strings `<field>_<key>`).
    Choice(&'static [&'static str]),
    /// A list of keys of `content/sources/`.
    Sources,
    /// One key of a vocabulary.
    Term(Kind),
    /// A list of keys of a vocabulary.
    Terms(Kind),
    /// A list of case-study slugs.
    Slugs,
    /// `true` or `false`.
    Bool,
}

/// Which file of a study a field's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Each language's file has its own, required in each (title, summary).
    Own,
    /// Each language's file may have its own; a translation without it shows the English one.
    Translated,
    /// One value for the study, from the English file; a translation may repeat it, and must
    /// then agree.
    Shared,
}

/// Whether a study must have a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    /// Never.
    No,
    /// In every file (title, summary).
    Always,
    /// In the file the study's classification comes from: the English one, or the only one.
    Primary,
}

/// One front-matter field of a case study.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The key written in front matter.
    pub name: &'static str,
    /// How it is written and checked.
    pub kind: FieldKind,
    /// Which file its value comes from.
    pub scope: Scope,
    /// Whether it must be there.
    pub required: Required,
    /// Its column in catalogue.json and catalogue.csv (in table order), if it has one.
    pub column: Option<&'static str>,
    /// A second column with its terms' names (in the default language) beside their keys.
    pub names_column: Option<&'static str>,
    /// Its place in a study page's facts table and the catalogue key of its label there
    /// (`field_region`…), if the table shows it.
    pub fact: Option<(u8, &'static str)>,
    /// Its place in the summary box at the top of a study (aim, approach, results…) and its
    /// label's key: always shown there, "not known" when not given.
    pub summary: Option<(u8, &'static str)>,
    /// Searched, and compared for "similar work elsewhere", as text of the study.
    pub searched: bool,
    /// An example value, as written in front matter.
    pub example: &'static str,
    /// What to write, in a contributor's words: `hub new` and CONTRIBUTING.md show it.
    pub help: &'static str,
}

const fn field(name: &'static str, kind: FieldKind, help: &'static str) -> Field {
    Field {
        name,
        kind,
        scope: Scope::Shared,
        required: Required::No,
        column: None,
        names_column: None,
        fact: None,
        summary: None,
        searched: false,
        example: "",
        help,
    }
}

impl Field {
    const fn scope(mut self, scope: Scope) -> Self {
        self.scope = scope;
        self
    }
    const fn required(mut self, required: Required) -> Self {
        self.required = required;
        self
    }
    const fn column(mut self) -> Self {
        self.column = Some(self.name);
        self
    }
    const fn names_column(mut self, name: &'static str) -> Self {
        self.names_column = Some(name);
        self
    }
    const fn fact(mut self, place: u8, label: &'static str) -> Self {
        self.fact = Some((place, label));
        self
    }
    const fn summary(mut self, place: u8, label: &'static str) -> Self {
        self.summary = Some((place, label));
        self
    }
    const fn searched(mut self) -> Self {
        self.searched = true;
        self
    }
    const fn example(mut self, example: &'static str) -> Self {
        self.example = example;
        self
    }
}

use FieldKind::*;

/// The evidence levels, weakest first.
pub const EVIDENCE_LEVELS: &[&str] = &[
    "described",
    "locally-evaluated",
    "independently-evaluated",
    "published",
];

/// Who wrote a study.
pub const ORIGINS: &[&str] = &["sources", "cluster"];

/// How far a translation has got.
pub const TRANSLATION_STATES: &[&str] = &["draft", "reviewed"];

/// The catalogue's columns from front matter, in order: each field's, then its names column.
pub fn columns() -> impl Iterator<Item = &'static str> {
    STUDY
        .iter()
        .flat_map(|f| f.column.into_iter().chain(f.names_column))
}

/// Every field of a case study, in the order of catalogue columns.
pub const STUDY: &[Field] = &[
    field("title", Text, "The name of the project, as people know it.")
        .scope(Scope::Own)
        .required(Required::Always)
        .example("Healthy Homes"),
    field(
        "summary",
        Text,
        "One or two sentences: what was done and what it achieved. Shown in listings and search.",
    )
    .scope(Scope::Own)
    .required(Required::Always)
    .example("One or two sentences on what was done and what it achieved."),
    field("region", Term(Kind::Regions), "The health board.")
        .required(Required::Primary)
        .column()
        .fact(0, "field_region")
        .example("cwm-taf-morgannwg"),
    field(
        "cluster",
        Terms(Kind::Clusters),
        "The cluster's key, one of the health board's clusters (a list for work across clusters; none for board-wide work).",
    )
    .column()
    .names_column("cluster_name")
    .fact(1, "field_cluster")
    .example("north-powys"),
    field(
        "outcomes",
        Terms(Kind::Outcomes),
        "At least one outcome the work serves.",
    )
    .required(Required::Primary)
    .column()
    .fact(4, "field_outcomes")
    .example("[pcmw-3]"),
    field(
        "themes",
        Terms(Kind::Themes),
        "Peer-review themes (optional).",
    )
    .column()
    .fact(5, "field_themes")
    .example("[partnership-working]"),
    field(
        "topics",
        Terms(Kind::Topics),
        "What the work is about, as people look for it (optional).",
    )
    .column()
    .fact(6, "field_topics")
    .example("[msk, workforce]"),
    field(
        "status",
        Term(Kind::Statuses),
        "Where the work is in its life, as a source says.",
    )
    .required(Required::Primary)
    .column()
    .fact(2, "field_status")
    .example("pilot"),
    field(
        "status_as_of",
        PartialDate,
        "When the status was last known: the date of the source that says it (YYYY, YYYY-MM or YYYY-MM-DD).",
    )
    .column()
    .fact(3, "field_status_as_of")
    .example("2024-06"),
    field(
        "collaboratives",
        Terms(Kind::Collaboratives),
        "Professional collaboratives involved (optional).",
    )
    .column()
    .fact(7, "field_collaboratives")
    .example("[gms, community-pharmacy]"),
    field("year", Cycle, "The peer-review cycle, written YYYY/YY.")
        .column()
        .fact(10, "field_year")
        .example("2023/24"),
    field(
        "started",
        PartialDate,
        "When the work started, if a source says (YYYY, YYYY-MM or YYYY-MM-DD).",
    )
    .column()
    .summary(4, "field_started")
    .example("2022"),
    field(
        "updated",
        Date,
        "When this page was last edited in substance, written YYYY-MM-DD.",
    )
    .column()
    .example("2024-05-05"),
    field(
        "aim",
        Markdown,
        "What the work set out to do, as the source says it.",
    )
    .scope(Scope::Translated)
    .column()
    .summary(0, "field_aim")
    .searched(),
    field("approach", Markdown, "What was done.")
        .scope(Scope::Translated)
        .column()
        .summary(1, "field_approach")
        .searched(),
    field(
        "results",
        Markdown,
        "What it achieved, only as a source says; leave it out when no result is reported.",
    )
    .scope(Scope::Translated)
    .column()
    .summary(2, "field_results")
    .searched(),
    field(
        "setting",
        Text,
        "The population or setting, e.g. GP practices in one cluster, care homes.",
    )
    .scope(Scope::Translated)
    .column()
    .summary(3, "field_setting")
    .searched()
    .example("GP practices in one cluster"),
    field("cost", Text, "What it cost or how it is paid for, only as a source states.")
        .scope(Scope::Translated)
        .column()
        .summary(5, "field_cost")
        .example("cluster funding"),
    field(
        "evidence_level",
        Choice(EVIDENCE_LEVELS),
        "How well the results are known: described, locally-evaluated, independently-evaluated or published.",
    )
    .column()
    .summary(6, "field_evidence_level")
    .example("described"),
    field(
        "evidence",
        Markdown,
        "What evaluation exists (one paragraph; Markdown allowed). Say so if there is none yet.",
    )
    .scope(Scope::Translated)
    .searched(),
    field(
        "partners",
        Texts,
        "Partner organisations, one per line, e.g. - Local Authority",
    )
    .scope(Scope::Translated)
    .column()
    .fact(8, "field_partners")
    .searched()
    .example("[Local Authority]"),
    field(
        "funding",
        Text,
        "How it is funded, e.g. cluster funding, health board, CIC.",
    )
    .scope(Scope::Translated)
    .column()
    .fact(9, "field_funding")
    .example("cluster funding"),
    field(
        "contact",
        Text,
        "Who to contact: a role or team mailbox, only with their consent. Never a patient.",
    )
    .scope(Scope::Translated)
    .column()
    .summary(7, "field_contact")
    .example("Cluster lead, North Powys"),
    field(
        "sources",
        Sources,
        "The documents this study is written from: keys of content/sources/.",
    )
    .column()
    .example("[peer-review-2023-24]"),
    field(
        "related",
        Slugs,
        "Other case studies to link to, by their file name without .md, e.g. [physio-first].",
    )
    .column()
    .example("[physio-first]"),
    field(
        "origin",
        Choice(ORIGINS),
        "sources: written by the hub's editors from the sources listed; cluster: written or confirmed by the cluster.",
    )
    .column()
    .example("cluster"),
    field(
        "translation",
        Choice(TRANSLATION_STATES),
        "In a Welsh file: draft (machine-assisted or not yet reviewed by a Welsh speaker) or reviewed.",
    )
    .scope(Scope::Own)
    .example("draft"),
    field(
        "draft",
        Bool,
        "true keeps the study out of the published site while you work on it.",
    )
    .example("false"),
];

/// The fields of a plain page.
pub const PAGE: &[Field] = &[
    field("title", Text, "The page's title.")
        .scope(Scope::Own)
        .required(Required::Always)
        .example("About this hub"),
    field("summary", Text, "One sentence on what the page is for.").scope(Scope::Own),
    field(
        "sources",
        Sources,
        "The documents the page quotes: keys of content/sources/ (its quotations are then checked).",
    ),
    field(
        "translation",
        Choice(TRANSLATION_STATES),
        "In a Welsh file only: `draft` until a Welsh speaker has reviewed it, then `reviewed`.",
    )
    .scope(Scope::Own),
];

/// The field named `name` of a case study. Panics on a name not in [`STUDY`]: a typo in hub's
/// own code, caught by the first test that reads the field.
pub fn study_field(name: &str) -> &'static Field {
    STUDY
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("`{name}` is not a field of a case study"))
}

/// The names of the fields in `fields`, for "the fields are: …" help.
pub fn names(fields: &[Field]) -> Vec<&'static str> {
    fields.iter().map(|f| f.name).collect()
}

/// The fields a study's summary box shows, in its order.
pub fn summary_box() -> Vec<&'static Field> {
    let mut f: Vec<&Field> = STUDY.iter().filter(|f| f.summary.is_some()).collect();
    f.sort_by_key(|f| f.summary.map(|(place, _)| place));
    f
}

/// The fields a study page's facts table shows, in its order.
pub fn facts() -> Vec<&'static Field> {
    let mut f: Vec<&Field> = STUDY.iter().filter(|f| f.fact.is_some()).collect();
    f.sort_by_key(|f| f.fact.map(|(place, _)| place));
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_facts_are_ordered() {
        let mut names = names(STUDY);
        names.sort();
        names.dedup();
        assert_eq!(names.len(), STUDY.len());
        let places: Vec<u8> = facts().iter().filter_map(|f| f.fact.map(|p| p.0)).collect();
        assert_eq!(places, (0..places.len() as u8).collect::<Vec<_>>());
        let places: Vec<u8> = summary_box()
            .iter()
            .filter_map(|f| f.summary.map(|p| p.0))
            .collect();
        assert_eq!(places, (0..places.len() as u8).collect::<Vec<_>>());
        for f in STUDY {
            assert!(!f.help.is_empty(), "{}", f.name);
        }
    }
}
