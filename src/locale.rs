//! The words bindery itself puts in a book (the contents' title, page names, the lines of the
//! copyright page, the label of an untitled chapter), in the book's language: one table keyed
//! by primary language subtag. Languages not listed get English (and `check` warns, W0804); a book can always retitle its
//! contents with `contents_title:` in `book.yaml`. `front.rs` assembles these words into the
//! front matter both editions render.
//!
//! Templates hold named placeholders (`{date}`, `{publisher}`, `{day}`, `{month}`, `{year}`)
//! that [`fill`] replaces.

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
    /// An untitled chapter is this word and its number ("Chapter 3").
    pub chapter: &'static str,
    /// The contents' label of a heading without text.
    pub section: &'static str,
    /// Before the authors' names ("by Ana and Bo").
    pub by: &'static str,
    /// Between the last two names of a list ("Ana, Bo and Cy").
    pub and: &'static str,
    /// A book's position in its series ("Sample Series, book 3").
    pub series_book: &'static str,
    /// The copyright page's date line; `{date}` is the date in words.
    pub first_published: &'static str,
    /// The copyright page's publisher line; `{publisher}` is the publisher.
    pub published_by: &'static str,
    /// The colophon: what made the book.
    pub colophon: &'static str,
    /// After a table's caption on the pages the table continues on ("(continued)").
    pub continued: &'static str,
    /// Month names, January first.
    pub months: [&'static str; 12],
    /// A full date in words, from `{day}`, `{month}` (a name) and `{year}`.
    pub date_day: &'static str,
    /// A month and year in words.
    pub date_month: &'static str,
}

const EN: Words = Words {
    contents: "Contents",
    cover: "Cover",
    cover_of: "Cover of",
    copyright: "Copyright",
    notes: "Notes",
    chapter: "Chapter",
    section: "Section",
    by: "by",
    and: "and",
    series_book: "book",
    first_published: "First published {date}.",
    published_by: "Published by {publisher}.",
    colophon: "Made with bindery.",
    continued: "(continued)",
    months: [
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
    ],
    date_day: "{day} {month} {year}",
    date_month: "{month} {year}",
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
            chapter: "Chapitre",
            section: "Section",
            by: "par",
            and: "et",
            series_book: "tome",
            first_published: "Première publication\u{a0}: {date}.",
            published_by: "Publié par {publisher}.",
            colophon: "Composé avec bindery.",
            continued: "(suite)",
            months: [
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ],
            date_day: "{day} {month} {year}",
            date_month: "{month} {year}",
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
            chapter: "Kapitel",
            section: "Abschnitt",
            by: "von",
            and: "und",
            series_book: "Band",
            first_published: "Erstveröffentlichung {date}.",
            published_by: "Veröffentlicht von {publisher}.",
            colophon: "Erstellt mit bindery.",
            continued: "(Fortsetzung)",
            months: [
                "Januar",
                "Februar",
                "März",
                "April",
                "Mai",
                "Juni",
                "Juli",
                "August",
                "September",
                "Oktober",
                "November",
                "Dezember",
            ],
            date_day: "{day}. {month} {year}",
            date_month: "{month} {year}",
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
            chapter: "Capítulo",
            section: "Sección",
            by: "por",
            and: "y",
            series_book: "libro",
            first_published: "Primera edición: {date}.",
            published_by: "Publicado por {publisher}.",
            colophon: "Hecho con bindery.",
            continued: "(continuación)",
            months: [
                "enero",
                "febrero",
                "marzo",
                "abril",
                "mayo",
                "junio",
                "julio",
                "agosto",
                "septiembre",
                "octubre",
                "noviembre",
                "diciembre",
            ],
            date_day: "{day} de {month} de {year}",
            date_month: "{month} de {year}",
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
            chapter: "Capitolo",
            section: "Sezione",
            by: "di",
            and: "e",
            series_book: "libro",
            first_published: "Prima edizione: {date}.",
            published_by: "Pubblicato da {publisher}.",
            colophon: "Realizzato con bindery.",
            continued: "(continua)",
            months: [
                "gennaio",
                "febbraio",
                "marzo",
                "aprile",
                "maggio",
                "giugno",
                "luglio",
                "agosto",
                "settembre",
                "ottobre",
                "novembre",
                "dicembre",
            ],
            date_day: "{day} {month} {year}",
            date_month: "{month} {year}",
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
            chapter: "Capítulo",
            section: "Seção",
            by: "por",
            and: "e",
            series_book: "livro",
            first_published: "Primeira edição: {date}.",
            published_by: "Publicado por {publisher}.",
            colophon: "Feito com bindery.",
            continued: "(continuação)",
            months: [
                "janeiro",
                "fevereiro",
                "março",
                "abril",
                "maio",
                "junho",
                "julho",
                "agosto",
                "setembro",
                "outubro",
                "novembro",
                "dezembro",
            ],
            date_day: "{day} de {month} de {year}",
            date_month: "{month} de {year}",
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
            chapter: "Hoofdstuk",
            section: "Sectie",
            by: "door",
            and: "en",
            series_book: "boek",
            first_published: "Eerste uitgave {date}.",
            published_by: "Uitgegeven door {publisher}.",
            colophon: "Gemaakt met bindery.",
            continued: "(vervolg)",
            months: [
                "januari",
                "februari",
                "maart",
                "april",
                "mei",
                "juni",
                "juli",
                "augustus",
                "september",
                "oktober",
                "november",
                "december",
            ],
            date_day: "{day} {month} {year}",
            date_month: "{month} {year}",
        },
    ),
];

/// The words for a BCP 47 language tag (`fr-CA` → French); English when not listed.
pub fn words(language: &str) -> Words {
    lookup(language).unwrap_or(EN)
}

/// Whether bindery has its words in the language of a tag; when not, [`words`] gives English
/// and `check` warns (W0804).
pub fn has_words(language: &str) -> bool {
    lookup(language).is_some()
}

fn lookup(language: &str) -> Option<Words> {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    TABLE
        .iter()
        .find(|(tag, _)| *tag == primary)
        .map(|(_, w)| *w)
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
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
        assert!(has_words("fr-CA") && !has_words("km") && !has_words("la"));
    }

    #[test]
    fn templates_fill_their_placeholders() {
        let de = words("de");
        let date = fill(
            de.date_day,
            &[("day", "17"), ("month", de.months[3]), ("year", "2024")],
        );
        assert_eq!(date, "17. April 2024");
        assert_eq!(
            fill(de.first_published, &[("date", &date)]),
            "Erstveröffentlichung 17. April 2024."
        );
    }

    #[test]
    fn every_language_fills_every_template() {
        for (tag, w) in TABLE {
            for t in [w.first_published, w.published_by, w.date_day, w.date_month] {
                let filled = fill(
                    t,
                    &[
                        ("date", "D"),
                        ("publisher", "P"),
                        ("day", "1"),
                        ("month", "M"),
                        ("year", "Y"),
                    ],
                );
                assert!(!filled.contains('{'), "{tag}: `{t}` keeps a placeholder");
            }
        }
    }
}
