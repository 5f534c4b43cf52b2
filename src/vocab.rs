//! The built-in vocabularies (contract section 4) with English and Welsh labels. Keys are fixed;
//! hub.yaml may relabel a key or add keys (see `config`). Which Welsh labels still await review
//! by a Welsh speaker is recorded in one place: `_unreviewed` in themes/default/i18n/cy.yaml.

use crate::clusters::Clusters;
use crate::lang::{Lang, LangText};
use serde::Serialize;
use std::collections::HashMap;

/// The vocabularies a case study is classified by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Health boards.
    Regions,
    /// The clusters of the health boards (`src/clusters.rs`).
    Clusters,
    /// PCMW and ACD outcomes.
    Outcomes,
    /// Peer-review themes.
    Themes,
    /// Mainstreaming status, in life-cycle order.
    Statuses,
    /// Professional collaboratives.
    Collaboratives,
    /// Topics: what clinicians and managers look for (MSK, frailty…).
    Topics,
}

impl Kind {
    /// All kinds, in the order pages and summaries show them.
    pub const ALL: [Kind; 7] = [
        Kind::Regions,
        Kind::Clusters,
        Kind::Outcomes,
        Kind::Themes,
        Kind::Statuses,
        Kind::Collaboratives,
        Kind::Topics,
    ];

    /// The name of the vocabulary in hub.yaml.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Regions => "regions",
            Kind::Clusters => "clusters",
            Kind::Outcomes => "outcomes",
            Kind::Themes => "themes",
            Kind::Statuses => "statuses",
            Kind::Collaboratives => "collaboratives",
            Kind::Topics => "topics",
        }
    }

    /// The front-matter field that takes keys of this vocabulary.
    pub fn field(self) -> &'static str {
        match self {
            Kind::Regions => "region",
            Kind::Clusters => "cluster",
            Kind::Outcomes => "outcomes",
            Kind::Themes => "themes",
            Kind::Statuses => "status",
            Kind::Collaboratives => "collaboratives",
            Kind::Topics => "topics",
        }
    }

    /// The URL segment of the vocabulary's pages (`/status/<key>/` per the contract; a
    /// cluster's page is under its board's, `/regions/<board>/<cluster>/`).
    pub fn segment(self) -> &'static str {
        match self {
            Kind::Statuses => "status",
            Kind::Clusters => "regions",
            other => other.name(),
        }
    }

    /// Parses a vocabulary name as written in hub.yaml.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// One key of a vocabulary.
#[derive(Debug, Clone, Serialize)]
pub struct Term {
    /// The fixed key used in front matter and URLs.
    pub key: String,
    /// A short code shown before the label, e.g. `PCMW 3`.
    pub code: Option<String>,
    /// The label in both languages.
    pub label: LangText,
    /// A one-line explanation (statuses have one).
    pub description: Option<LangText>,
    /// The group within the vocabulary (outcomes: the framework).
    pub group: Option<LangText>,
}

/// One vocabulary: its terms in their fixed order, indexed by key.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// Which vocabulary this is.
    pub kind: Kind,
    /// The terms in display order.
    pub terms: Vec<Term>,
    index: HashMap<String, usize>,
}

impl Vocabulary {
    /// A vocabulary of `terms`, in that order.
    pub fn from_terms(kind: Kind, terms: Vec<Term>) -> Self {
        Vocabulary::new(kind, terms)
    }

    fn new(kind: Kind, terms: Vec<Term>) -> Self {
        let mut v = Vocabulary {
            kind,
            terms,
            index: HashMap::new(),
        };
        v.reindex();
        v
    }

    fn reindex(&mut self) {
        self.index = self
            .terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.key.clone(), i))
            .collect();
    }

    /// The position of `key`, if it is a key of this vocabulary.
    pub fn position(&self, key: &str) -> Option<usize> {
        self.index.get(key).copied()
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(|t| t.key.as_str())
    }

    /// Adds a key or relabels an existing one.
    pub fn set_label(&mut self, key: &str, lang: Lang, label: String) {
        match self.position(key) {
            Some(i) => self.terms[i].label.set(lang, label),
            None => {
                let mut text = LangText::text(&label, &label);
                text.set(lang, label);
                self.terms.push(Term {
                    key: key.to_string(),
                    code: None,
                    label: text,
                    description: None,
                    group: None,
                });
                self.reindex();
            }
        }
    }
}

/// All the vocabularies, by `Kind as usize`.
#[derive(Debug, Clone)]
pub struct Vocabularies {
    by_kind: [Vocabulary; Kind::ALL.len()],
    /// What is known of each cluster beyond its name (board, aliases, source…), by its
    /// position in the clusters vocabulary.
    pub clusters: Clusters,
}

impl Vocabularies {
    /// The vocabulary of `kind`.
    pub fn get(&self, kind: Kind) -> &Vocabulary {
        &self.by_kind[kind as usize]
    }

    /// The vocabulary of `kind`, to change.
    pub fn get_mut(&mut self, kind: Kind) -> &mut Vocabulary {
        &mut self.by_kind[kind as usize]
    }

    /// The term at `position` of `kind`.
    pub fn term(&self, kind: Kind, position: usize) -> &Term {
        &self.get(kind).terms[position]
    }

    /// Replaces the clusters (after hub.yaml changed them), and their vocabulary with them.
    pub fn set_clusters(&mut self, clusters: Clusters) {
        self.by_kind[Kind::Clusters as usize] = crate::clusters::vocabulary(&clusters);
        self.clusters = clusters;
    }

    /// The board of the cluster at `position`.
    pub fn board_of(&self, cluster: usize) -> usize {
        self.clusters.list[cluster].board
    }
}

impl Default for Vocabularies {
    fn default() -> Self {
        let regions = Vocabulary::new(Kind::Regions, plain(REGIONS));
        let clusters = Clusters::built_in(&regions);
        Vocabularies {
            by_kind: [
                regions,
                crate::clusters::vocabulary(&clusters),
                Vocabulary::new(Kind::Outcomes, outcomes()),
                Vocabulary::new(Kind::Themes, plain(THEMES)),
                Vocabulary::new(Kind::Statuses, statuses()),
                Vocabulary::new(Kind::Collaboratives, plain(COLLABORATIVES)),
                Vocabulary::new(Kind::Topics, topics()),
            ],
            clusters,
        }
    }
}

fn plain(rows: &[(&str, &str, &str)]) -> Vec<Term> {
    rows.iter()
        .map(|(key, en, cy)| Term {
            key: key.to_string(),
            code: None,
            label: LangText::text(en, cy),
            description: None,
            group: None,
        })
        .collect()
}

const REGIONS: &[(&str, &str, &str)] = &[
    (
        "aneurin-bevan",
        "Aneurin Bevan University Health Board",
        "Bwrdd Iechyd Prifysgol Aneurin Bevan",
    ),
    (
        "betsi-cadwaladr",
        "Betsi Cadwaladr University Health Board",
        "Bwrdd Iechyd Prifysgol Betsi Cadwaladr",
    ),
    (
        "cardiff-and-vale",
        "Cardiff and Vale University Health Board",
        "Bwrdd Iechyd Prifysgol Caerdydd a’r Fro",
    ),
    (
        "cwm-taf-morgannwg",
        "Cwm Taf Morgannwg University Health Board",
        "Bwrdd Iechyd Prifysgol Cwm Taf Morgannwg",
    ),
    (
        "hywel-dda",
        "Hywel Dda University Health Board",
        "Bwrdd Iechyd Prifysgol Hywel Dda",
    ),
    (
        "powys",
        "Powys Teaching Health Board",
        "Bwrdd Iechyd Addysgu Powys",
    ),
    (
        "swansea-bay",
        "Swansea Bay University Health Board",
        "Bwrdd Iechyd Prifysgol Bae Abertawe",
    ),
];

const PCMW: &[(&str, &str)] = &[
    ("An informed public", "Cyhoedd gwybodus"),
    ("Empowered communities", "Cymunedau wedi’u grymuso"),
    (
        "Support for well-being, prevention & self-care",
        "Cymorth ar gyfer llesiant, atal a hunanofal",
    ),
    ("Local services", "Gwasanaethau lleol"),
    ("Seamless working", "Gweithio di-dor"),
    (
        "Safe & effective call handling, signposting & triage",
        "Trin galwadau, cyfeirio a brysbennu diogel ac effeithiol",
    ),
    (
        "Quality out-of-hours care",
        "Gofal y tu allan i oriau o ansawdd",
    ),
    (
        "Directly accessed services",
        "Gwasanaethau mynediad uniongyrchol",
    ),
    (
        "Integrated care for people with multiple care needs",
        "Gofal integredig i bobl ag anghenion gofal lluosog",
    ),
    (
        "Cluster estates & facilities support multi-professional working",
        "Ystadau a chyfleusterau clwstwr yn cefnogi gweithio amlbroffesiwn",
    ),
    (
        "Cluster IT systems enable cluster communications & data sharing",
        "Systemau TG clwstwr yn galluogi cyfathrebu a rhannu data",
    ),
    (
        "Ease of access to community diagnostics supporting high-quality care",
        "Mynediad hawdd at ddiagnosteg gymunedol sy’n cefnogi gofal o ansawdd uchel",
    ),
    (
        "Finance systems designed to drive whole system transformative change",
        "Systemau cyllid wedi’u cynllunio i sbarduno newid trawsnewidiol ar draws y system gyfan",
    ),
];

const ACD: &[(&str, &str)] = &[
    (
        "Enhanced integrated planning between clusters, health boards & local authorities",
        "Gwell cynllunio integredig rhwng clystyrau, byrddau iechyd ac awdurdodau lleol",
    ),
    (
        "Wider range of services delivered across a cluster, meeting population priorities and need, closer to home",
        "Ystod ehangach o wasanaethau ar draws clwstwr, sy’n diwallu blaenoriaethau ac anghenion y boblogaeth, yn nes at adref",
    ),
    (
        "More effective leaders across the primary care system, collaboratives, and clusters",
        "Arweinwyr mwy effeithiol ar draws y system gofal sylfaenol, y cydweithredfeydd a’r clystyrau",
    ),
    (
        "Improved equity of cluster care service provision based upon local need",
        "Darpariaeth gwasanaethau gofal clwstwr decach yn seiliedig ar angen lleol",
    ),
    (
        "Improved multi-professional & multi-agency services delivered",
        "Gwell gwasanaethau amlbroffesiwn ac amlasiantaeth",
    ),
    (
        "Effective, efficient, and long term sustainable cluster workforce and services",
        "Gweithlu a gwasanaethau clwstwr effeithiol, effeithlon a chynaliadwy yn yr hirdymor",
    ),
    (
        "Empowered clusters with increased autonomy, flexibility, and vision",
        "Clystyrau wedi’u grymuso gyda mwy o ymreolaeth, hyblygrwydd a gweledigaeth",
    ),
];

fn outcomes() -> Vec<Term> {
    let pcmw = LangText::text(
        "Primary Care Model for Wales",
        "Model Gofal Sylfaenol ar gyfer Cymru",
    );
    let acd = LangText::text(
        "Accelerated Cluster Development",
        "Datblygu Clystyrau Carlam",
    );
    let mut terms = Vec::new();
    for (group, prefix, code, rows) in [(&pcmw, "pcmw", "PCMW", PCMW), (&acd, "acd", "ACD", ACD)] {
        for (i, (en, cy)) in rows.iter().enumerate() {
            terms.push(Term {
                key: format!("{prefix}-{}", i + 1),
                code: Some(format!("{code} {}", i + 1)),
                label: LangText::text(en, cy),
                description: None,
                group: Some(group.clone()),
            });
        }
    }
    terms
}

const THEMES: &[(&str, &str, &str)] = &[
    (
        "vision-and-leadership",
        "Vision and leadership",
        "Gweledigaeth ac arweinyddiaeth",
    ),
    (
        "partnership-working",
        "Partnership working and organisational influence",
        "Gweithio mewn partneriaeth a dylanwad sefydliadol",
    ),
    (
        "professional-collaboratives",
        "The purpose and value of professional collaboratives",
        "Diben a gwerth cydweithredfeydd proffesiynol",
    ),
    (
        "access-to-resources",
        "Access to resources",
        "Mynediad at adnoddau",
    ),
    (
        "decision-making-at-scale",
        "Effectiveness of decision making and implementation at scale",
        "Effeithiolrwydd gwneud penderfyniadau a gweithredu ar raddfa",
    ),
    (
        "communications-and-trust",
        "Communications and trust",
        "Cyfathrebu ac ymddiriedaeth",
    ),
    (
        "population-need",
        "Understanding population need",
        "Deall anghenion y boblogaeth",
    ),
    (
        "cost-saving",
        "The impact of cost saving initiatives",
        "Effaith mentrau arbed costau",
    ),
];

const COLLABORATIVES: &[(&str, &str, &str)] = &[
    (
        "gms",
        "General medical services",
        "Gwasanaethau meddygol cyffredinol",
    ),
    (
        "community-pharmacy",
        "Community pharmacy",
        "Fferylliaeth gymunedol",
    ),
    ("optometry", "Optometry", "Optometreg"),
    ("dental", "Dental", "Deintyddiaeth"),
    ("nursing", "Nursing", "Nyrsio"),
    (
        "allied-health-professionals",
        "Allied health professionals",
        "Gweithwyr proffesiynol perthynol i iechyd",
    ),
    ("mental-health", "Mental health", "Iechyd meddwl"),
    ("social-care", "Social care", "Gofal cymdeithasol"),
    ("third-sector", "Third sector", "Trydydd sector"),
];

const STATUSES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "exploring",
        "Exploring",
        "Yn archwilio",
        "Agreed to explore, scope or propose; nothing running yet.",
        "Cytunwyd i archwilio, cwmpasu neu gynnig; dim byd ar waith eto.",
    ),
    (
        "pilot",
        "Pilot",
        "Peilot",
        "Being tested locally.",
        "Yn cael ei brofi’n lleol.",
    ),
    (
        "evaluating",
        "Evaluating",
        "Yn cael ei werthuso",
        "Evidence is being gathered.",
        "Mae tystiolaeth yn cael ei chasglu.",
    ),
    (
        "proven",
        "Proven, awaiting funding",
        "Wedi’i brofi, yn aros am gyllid",
        "Evaluated as effective, awaiting sustainable funding: the report’s “gridlock”.",
        "Wedi’i werthuso’n effeithiol, yn aros am gyllid cynaliadwy: y “dagfa” a ddisgrifir yn yr adroddiad.",
    ),
    (
        "mainstreamed",
        "Mainstreamed",
        "Wedi’i brif ffrydio",
        "Sustainably funded.",
        "Wedi’i ariannu’n gynaliadwy.",
    ),
    (
        "scaled",
        "Scaled",
        "Wedi’i ehangu",
        "Adopted beyond the cluster that started it.",
        "Wedi’i fabwysiadu y tu hwnt i’r clwstwr a’i dechreuodd.",
    ),
    (
        "stopped",
        "Stopped",
        "Wedi dod i ben",
        "Ended or disinvested, with the lessons kept.",
        "Wedi dod i ben neu wedi’i ddadfuddsoddi, gyda’r gwersi wedi’u cadw.",
    ),
];

/// The built-in topics, compiled in from `src/data/topics.yaml` (labels, and a sentence on what
/// belongs under each, in both languages).
const TOPICS: &str = include_str!("data/topics.yaml");

fn topics() -> Vec<Term> {
    let node = crate::yaml::parse(TOPICS).expect("src/data/topics.yaml is valid YAML (tested)");
    let text = |n: &crate::yaml::Node, key: &str| -> String {
        match &n.value {
            crate::yaml::Value::Map(m) => m
                .iter()
                .find(|(k, _)| k.name == key)
                .and_then(|(_, v)| match &v.value {
                    crate::yaml::Value::Scalar { text, .. } => Some(text.clone()),
                    _ => None,
                })
                .unwrap_or_default(),
            _ => String::new(),
        }
    };
    let crate::yaml::Value::Seq(items) = &node.value else {
        return Vec::new();
    };
    items
        .iter()
        .map(|t| Term {
            key: text(t, "key"),
            code: None,
            label: LangText::new(text(t, "en"), text(t, "cy")),
            description: Some(LangText::new(text(t, "about_en"), text(t, "about_cy"))),
            group: None,
        })
        .collect()
}

fn statuses() -> Vec<Term> {
    STATUSES
        .iter()
        .map(|(key, en, cy, den, dcy)| Term {
            key: key.to_string(),
            code: None,
            label: LangText::text(en, cy),
            description: Some(LangText::text(den, dcy)),
            group: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_keys_match_the_contract() {
        let v = Vocabularies::default();
        assert_eq!(v.get(Kind::Regions).terms.len(), 7);
        assert_eq!(v.get(Kind::Outcomes).terms.len(), 20);
        assert_eq!(v.get(Kind::Outcomes).position("acd-7"), Some(19));
        assert_eq!(v.get(Kind::Themes).terms.len(), 8);
        assert_eq!(v.get(Kind::Collaboratives).terms.len(), 9);
        assert_eq!(v.get(Kind::Topics).terms.len(), 24);
        assert!(
            v.get(Kind::Topics)
                .terms
                .iter()
                .all(|t| crate::slug::is_slug(&t.key))
        );
        let statuses: Vec<_> = v.get(Kind::Statuses).keys().collect();
        assert_eq!(
            statuses,
            [
                "exploring",
                "pilot",
                "evaluating",
                "proven",
                "mainstreamed",
                "scaled",
                "stopped"
            ]
        );
    }

    #[test]
    fn every_term_has_both_labels() {
        let v = Vocabularies::default();
        for kind in Kind::ALL {
            for t in &v.get(kind).terms {
                assert!(
                    !t.label[Lang::En].is_empty() && !t.label[Lang::Cy].is_empty(),
                    "{}",
                    t.key
                );
            }
        }
    }
}
