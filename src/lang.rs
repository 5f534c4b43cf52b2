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

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct LangText {
    /// English.
    pub en: String,
    /// Welsh.
    pub cy: String,
}

impl LangText {
    /// A text given in both languages.
    pub fn new(en: &str, cy: &str) -> Self {
        LangText {
            en: en.to_string(),
            cy: cy.to_string(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Cy => &self.cy,
        }
    }

    /// Sets the text in `lang`.
    pub fn set(&mut self, lang: Lang, text: String) {
        match lang {
            Lang::En => self.en = text,
            Lang::Cy => self.cy = text,
        }
    }
}
