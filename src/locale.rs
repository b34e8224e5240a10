//! The few words bindery itself puts in a book (the contents' title, page names), in the
//! book's language. Languages not listed get English; a book can always retitle its contents
//! with `contents_title:` in `book.yaml`.

/// Words of the generated pages, in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// Title of the table of contents.
    pub contents: &'static str,
    /// Title of the cover page.
    pub cover: &'static str,
    /// The cover image's text alternative, before the book's title ("Cover of").
    pub cover_of: &'static str,
    /// Title of the copyright page.
    pub copyright: &'static str,
    /// Name of a chapter's notes section (for assistive technology).
    pub notes: &'static str,
}

const EN: Words = Words {
    contents: "Contents",
    cover: "Cover",
    cover_of: "Cover of",
    copyright: "Copyright",
    notes: "Notes",
};

/// (primary language subtag, words). English is the fallback.
const TABLE: &[(&str, Words)] = &[
    ("en", EN),
    (
        "fr",
        Words {
            contents: "Table des matières",
            cover: "Couverture",
            cover_of: "Couverture de",
            copyright: "Droits d’auteur",
            notes: "Notes",
        },
    ),
    (
        "de",
        Words {
            contents: "Inhalt",
            cover: "Umschlag",
            cover_of: "Umschlag von",
            copyright: "Impressum",
            notes: "Anmerkungen",
        },
    ),
    (
        "es",
        Words {
            contents: "Índice",
            cover: "Cubierta",
            cover_of: "Cubierta de",
            copyright: "Créditos",
            notes: "Notas",
        },
    ),
    (
        "it",
        Words {
            contents: "Indice",
            cover: "Copertina",
            cover_of: "Copertina di",
            copyright: "Colophon",
            notes: "Note",
        },
    ),
    (
        "pt",
        Words {
            contents: "Sumário",
            cover: "Capa",
            cover_of: "Capa de",
            copyright: "Direitos autorais",
            notes: "Notas",
        },
    ),
    (
        "nl",
        Words {
            contents: "Inhoud",
            cover: "Omslag",
            cover_of: "Omslag van",
            copyright: "Colofon",
            notes: "Noten",
        },
    ),
];

/// The words for a BCP 47 language tag (`fr-CA` → French); English when not listed.
pub fn words(language: &str) -> Words {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    TABLE
        .iter()
        .find(|(tag, _)| *tag == primary)
        .map_or(EN, |(_, w)| *w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primary_subtag_picks_the_words_and_english_is_the_fallback() {
        assert_eq!(words("fr-CA").contents, "Table des matières");
        assert_eq!(words("DE").contents, "Inhalt");
        assert_eq!(words("en-GB"), EN);
        assert_eq!(words("km").contents, "Contents");
        assert_eq!(words("").contents, "Contents");
    }
}
