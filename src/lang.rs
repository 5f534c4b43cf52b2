//! The two languages of the hub. Every page knows its language; text that exists in both is a
//! [`LangText`].

use serde::Serialize;

/// A language the hub publishes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    En,
    /// Welsh (Cymraeg).
    Cy,
}

impl Lang {
    /// Both languages, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Cy];

    /// The BCP 47 code used in `lang` attributes, file names and URLs.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Cy => "cy",
        }
    }

    /// Parses a language code.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "cy" => Some(Lang::Cy),
            _ => None,
        }
    }

    /// The language's name in itself, as the language switcher shows it.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Cy => "Cymraeg",
        }
    }

    /// The other language.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Cy,
            Lang::Cy => Lang::En,
        }
    }
}

/// One value per language, indexed by [`Lang`]: the one shape for anything that exists in both
/// (labels, texts, per-language caches).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PerLang<T>([T; 2]);

impl<T> PerLang<T> {
    /// The English and the Welsh value.
    pub fn new(en: T, cy: T) -> Self {
        PerLang([en, cy])
    }

    /// A value made for each language.
    pub fn from_fn(mut f: impl FnMut(Lang) -> T) -> Self {
        PerLang(Lang::ALL.map(&mut f))
    }

    /// The value of `lang`.
    pub fn get(&self, lang: Lang) -> &T {
        &self.0[lang as usize]
    }

    /// The value of `lang`, to change.
    pub fn get_mut(&mut self, lang: Lang) -> &mut T {
        &mut self.0[lang as usize]
    }

    /// Sets the value of `lang`.
    pub fn set(&mut self, lang: Lang, value: T) {
        self.0[lang as usize] = value;
    }

    /// Each language with its value, English first.
    pub fn iter(&self) -> impl Iterator<Item = (Lang, &T)> {
        Lang::ALL.into_iter().zip(self.0.iter())
    }

    /// Each value, to change, English first.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.0.iter_mut()
    }

    /// The values transformed, language by language.
    pub fn map<U>(self, mut f: impl FnMut(Lang, T) -> U) -> PerLang<U> {
        let [en, cy] = self.0;
        PerLang([f(Lang::En, en), f(Lang::Cy, cy)])
    }
}

impl<T> std::ops::Index<Lang> for PerLang<T> {
    type Output = T;
    fn index(&self, lang: Lang) -> &T {
        self.get(lang)
    }
}

impl<T> std::ops::IndexMut<Lang> for PerLang<T> {
    fn index_mut(&mut self, lang: Lang) -> &mut T {
        self.get_mut(lang)
    }
}

impl<T> IntoIterator for PerLang<T> {
    type Item = T;
    type IntoIter = std::array::IntoIter<T, 2>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Serialised as `{"en": …, "cy": …}`, as data files and templates read it.
impl<T: Serialize> Serialize for PerLang<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(2))?;
        for (lang, v) in self.iter() {
            m.serialize_entry(lang.code(), v)?;
        }
        m.end()
    }
}

/// A text in both languages.
pub type LangText = PerLang<String>;

impl PerLang<String> {
    /// A text given in both languages.
    pub fn text(en: &str, cy: &str) -> Self {
        PerLang::new(en.to_string(), cy.to_string())
    }

    /// The text in `lang`.
    pub fn str(&self, lang: Lang) -> &str {
        self.get(lang)
    }
}

impl Lang {
    /// The CLDR plural category of an integer: Welsh has zero, one, two, few, many and other.
    pub fn plural_category(self, n: i64) -> &'static str {
        match (self, n) {
            (Lang::Cy, 0) => "zero",
            (Lang::Cy, 1) => "one",
            (Lang::Cy, 2) => "two",
            (Lang::Cy, 3) => "few",
            (Lang::Cy, 6) => "many",
            (Lang::Cy, _) => "other",
            (Lang::En, 1) => "one",
            (Lang::En, _) => "other",
        }
    }

    /// The name of month `m` (1–12), or `""`.
    pub fn month(self, m: usize) -> &'static str {
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        const CY: [&str; 12] = [
            "Ionawr",
            "Chwefror",
            "Mawrth",
            "Ebrill",
            "Mai",
            "Mehefin",
            "Gorffennaf",
            "Awst",
            "Medi",
            "Hydref",
            "Tachwedd",
            "Rhagfyr",
        ];
        let months = match self {
            Lang::En => EN,
            Lang::Cy => CY,
        };
        months.get(m.wrapping_sub(1)).copied().unwrap_or("")
    }

    /// `YYYY-MM-DD` written out: `5 May 2024` / `5 Mai 2024`; other text is returned as it is.
    pub fn date(self, iso: &str) -> String {
        let parts: Vec<&str> = iso.split('-').collect();
        let (Some(y), Some(m), Some(d)) = (
            parts.first(),
            parts.get(1).and_then(|m| m.parse::<usize>().ok()),
            parts.get(2).and_then(|d| d.parse::<u32>().ok()),
        ) else {
            return iso.to_string();
        };
        format!("{d} {} {y}", self.month(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welsh_plurals_and_dates() {
        let cats: Vec<_> = [0, 1, 2, 3, 4, 6, 10]
            .iter()
            .map(|&n| Lang::Cy.plural_category(n))
            .collect();
        assert_eq!(
            cats,
            ["zero", "one", "two", "few", "other", "many", "other"]
        );
        assert_eq!(Lang::En.plural_category(1), "one");
        assert_eq!(Lang::En.plural_category(0), "other");
        assert_eq!(Lang::En.date("2024-05-05"), "5 May 2024");
        assert_eq!(Lang::Cy.date("2024-05-05"), "5 Mai 2024");
        assert_eq!(Lang::Cy.date("2023-12-31"), "31 Rhagfyr 2023");
    }

    #[test]
    fn per_language_values_serialise_by_code() {
        let t = LangText::text("Health board", "Bwrdd iechyd");
        assert_eq!(t[Lang::Cy], "Bwrdd iechyd");
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"en":"Health board","cy":"Bwrdd iechyd"}"#
        );
    }
}
