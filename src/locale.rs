//! The few words bindery itself puts in a book (the contents' title, landmark names), in the
//! book's language. Languages not listed get English; a book can always retitle its contents
//! with `contents_title:` in `book.yaml`.

/// Words of the generated pages, in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// Title of the table of contents.
    pub contents: &'static str,
    /// Name of the cover page (EPUB landmarks).
    pub cover: &'static str,
    /// Name of the title page (EPUB landmarks).
    pub title_page: &'static str,
    /// Name of the copyright page (EPUB landmarks).
    pub copyright: &'static str,
    /// Label of a footnote's link back to its reference.
    pub back_to_text: &'static str,
}

const EN: Words = Words {
    contents: "Contents",
    cover: "Cover",
    title_page: "Title Page",
    copyright: "Copyright",
    back_to_text: "Back to text",
};

/// (primary language subtag, words). English is the fallback.
const TABLE: &[(&str, Words)] = &[
    ("en", EN),
    (
        "fr",
        Words {
            contents: "Table des matières",
            cover: "Couverture",
            title_page: "Page de titre",
            copyright: "Droits d’auteur",
            back_to_text: "Retour au texte",
        },
    ),
    (
        "de",
        Words {
            contents: "Inhalt",
            cover: "Umschlag",
            title_page: "Titelseite",
            copyright: "Impressum",
            back_to_text: "Zurück zum Text",
        },
    ),
    (
        "es",
        Words {
            contents: "Índice",
            cover: "Cubierta",
            title_page: "Portada",
            copyright: "Créditos",
            back_to_text: "Volver al texto",
        },
    ),
    (
        "it",
        Words {
            contents: "Indice",
            cover: "Copertina",
            title_page: "Frontespizio",
            copyright: "Colophon",
            back_to_text: "Torna al testo",
        },
    ),
    (
        "pt",
        Words {
            contents: "Sumário",
            cover: "Capa",
            title_page: "Folha de rosto",
            copyright: "Direitos autorais",
            back_to_text: "Voltar ao texto",
        },
    ),
    (
        "nl",
        Words {
            contents: "Inhoud",
            cover: "Omslag",
            title_page: "Titelpagina",
            copyright: "Colofon",
            back_to_text: "Terug naar de tekst",
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
