//! Study cards: the data and HTML of a study in a listing, the HTML made once per study and
//! language and shared by every listing and study page that shows it; and the order of listings.

use super::Renderer;
use super::chrome::template_error;
use super::scope::Scope;
use super::views::Views;
use crate::diagnostics::Diagnostic;
use crate::lang::Lang;
use crate::model::Site;
use minijinja::Value;

/// A study's card.html, rendered.
pub type CardHtml = Result<Value, Diagnostic>;

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
                self.card_html(v.lang, i).clone()
            })
            .collect()
    }

    /// The card data of `studies` (what card.html sees as `s`), in the order given.
    pub fn card_data(&self, v: &Views, studies: &[usize]) -> Value {
        studies
            .iter()
            .map(|&i| {
                v.read_card(i);
                self.card_value(v.lang, i)
            })
            .collect()
    }

    /// One study's card data in `lang`, what card.html sees as `s` (and its page as
    /// `page.card`). Made on each use, not kept: kept for every study in both languages, these
    /// maps were tens of megabytes of a large build's peak memory, for the few pages that use
    /// them.
    pub fn card_value(&self, lang: Lang, i: usize) -> Value {
        let reads = super::reads::Reads::off();
        let v = Views {
            site: self.site,
            lang,
            reads: &reads,
        };
        super::ser(&v.card(i))
    }

    /// One study's card HTML in `lang`, made the first time it is needed. The caller notes the
    /// read ([`Views::read_card`]); the cache is shared by every page.
    pub fn card_html(&self, lang: Lang, i: usize) -> &CardHtml {
        self.cards[i][lang].get_or_init(|| {
            let ctx = Scope::over(self.common(lang))
                .with([("s", self.card_value(lang, i))])
                .into_value();
            self.env
                .get_template("card.html")
                .and_then(|t| t.render(ctx))
                .map(Value::from_safe_string)
                .map_err(|e| template_error(&e))
        })
    }
}
