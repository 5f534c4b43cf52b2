//! Study cards: the data and HTML of a study in a listing, made once per study and language and
//! shared by every listing and study page that shows it; and the order of listings.

use super::Renderer;
use super::chrome::template_error;
use super::scope::Scope;
use super::views::Views;
use crate::diagnostics::Diagnostic;
use crate::lang::Lang;
use crate::model::Site;
use minijinja::Value;

/// A study's card as template values: its data (`page.card` on its page) and its HTML.
pub struct CardValues {
    /// What card.html sees as `s`.
    pub data: Value,
    /// card.html rendered.
    pub html: Result<Value, Diagnostic>,
}

/// Every study's place in listings in `lang`: by title, lower-cased, then slug.
pub fn title_ranks(site: &Site, lang: Lang) -> Vec<u32> {
    let mut ids: Vec<usize> = (0..site.studies.len()).collect();
    ids.sort_by_cached_key(|&i| {
        let s = &site.studies[i];
        (s.text(lang).0.title.to_lowercase(), s.slug.clone())
    });
    let mut ranks = vec![0; ids.len()];
    for (rank, i) in ids.into_iter().enumerate() {
        ranks[i] = rank as u32;
    }
    ranks
}

impl Renderer<'_> {
    /// `studies` in listing order.
    pub fn sorted(&self, lang: Lang, studies: &[usize]) -> Vec<usize> {
        let mut ids = studies.to_vec();
        let ranks = self.ranks[lang].get_or_init(|| title_ranks(self.site, lang));
        ids.sort_unstable_by_key(|&i| ranks[i]);
        ids
    }

    /// The cards (HTML) of `studies`, in the order given.
    pub fn card_list(&self, v: &Views, studies: &[usize]) -> Result<Vec<Value>, Diagnostic> {
        studies
            .iter()
            .map(|&i| {
                v.read_card(i);
                self.card_values(v.lang, i).html.clone()
            })
            .collect()
    }

    /// The card data of `studies` (what card.html sees as `s`), in the order given.
    pub fn card_data(&self, v: &Views, studies: &[usize]) -> Value {
        studies
            .iter()
            .map(|&i| {
                v.read_card(i);
                self.card_values(v.lang, i).data.clone()
            })
            .collect()
    }

    /// One study's card values in `lang`, made the first time they are needed. The caller notes
    /// the read ([`Views::read_card`]); the cache is shared by every page.
    pub fn card_values(&self, lang: Lang, i: usize) -> &CardValues {
        self.cards[i][lang].get_or_init(|| {
            let reads = super::reads::Reads::off();
            let v = Views {
                site: self.site,
                lang,
                reads: &reads,
            };
            let data = super::ser(&v.card(i));
            let ctx = Scope::over(self.common(lang))
                .with([("s", data.clone())])
                .into_value();
            let html = self
                .env
                .get_template("card.html")
                .and_then(|t| t.render(ctx))
                .map(Value::from_safe_string)
                .map_err(|e| template_error(&e));
            CardValues { data, html }
        })
    }
}
