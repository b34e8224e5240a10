//! What the front matter says, and the labels of untitled chapters: decided once, in the
//! book's language, for both editions. The EPUB (`epub/`) and the typesetter (`typeset/`) only
//! render a [`FrontMatter`]; neither composes a line of it.

use crate::config::{BookConfig, Date, Identifier};
use crate::locale::{self, Words};
use crate::model::Book;

/// The generated pages before the first chapter, as text.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    /// The half title (print): the title alone.
    pub half_title: String,
    pub title_page: TitlePage,
    pub copyright: CopyrightPage,
    /// The contents' title: the book's (`words.contents` or `contents_title`), else the
    /// language's word.
    pub contents_title: String,
    /// The cover page's title ("Cover").
    pub cover_title: String,
    /// The cover image's text alternative ("Cover of A Field Guide to Small Things").
    pub cover_alt: String,
}

/// The title page, top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub struct TitlePage {
    pub title: String,
    pub subtitle: Option<String>,
    /// One name a line.
    pub authors: Vec<String>,
    /// The series and the book's position in it ("Sample Series, book 3").
    pub series: Option<String>,
    pub publisher: Option<String>,
}

/// The copyright page.
#[derive(Debug, Clone, PartialEq)]
pub struct CopyrightPage {
    /// The page's name ("Copyright"): the EPUB document title, for assistive technology.
    pub heading: String,
    /// Its paragraphs, top to bottom: title, authors, series, copyright and rights, date,
    /// publisher, ISBN, colophon.
    pub lines: Vec<String>,
}

/// The front matter of `config`'s book, in its language (and its own words).
pub fn front_matter(config: &BookConfig) -> FrontMatter {
    let words = config.words();
    let series = config.series.as_ref().map(|s| match s.position {
        Some(n) => locale::fill(
            words.series_number,
            &[
                ("series", &s.name),
                ("n", &words.digits.write(&n.to_string())),
            ],
        ),
        None => s.name.clone(),
    });
    let holders = names(&config.authors, &words);

    let mut lines = Vec::new();
    lines.push(match &config.subtitle {
        Some(sub) => format!("{}: {sub}", config.title),
        None => config.title.clone(),
    });
    if !holders.is_empty() {
        lines.push(locale::fill(words.by_names, &[("names", &holders)]));
    }
    if let Some(s) = &series {
        lines.push(s.clone());
    }
    // The © line, unless the rights statement makes its own.
    let rights_has_notice = config.rights.as_deref().is_some_and(|r| r.contains('©'));
    if let (Some(date), false, false) = (&config.date, rights_has_notice, holders.is_empty()) {
        lines.push(format!(
            "© {} {holders}",
            words.digits.write(&date.year.to_string())
        ));
    }
    if let Some(r) = &config.rights {
        lines.push(r.clone());
    }
    if let Some(d) = &config.date {
        lines.push(locale::fill(
            words.first_published,
            &[("date", &date_in_words(d, &words))],
        ));
    }
    if let Some(p) = &config.publisher {
        lines.push(locale::fill(words.published_by, &[("publisher", p)]));
    }
    if let Identifier::Isbn(isbn) = &config.identifier {
        lines.push(format!("ISBN {}", crate::isbn::hyphenate(isbn)));
    }
    lines.push(words.colophon.to_string());

    FrontMatter {
        half_title: config.title.clone(),
        title_page: TitlePage {
            title: config.title.clone(),
            subtitle: config.subtitle.clone(),
            authors: config.authors.clone(),
            series,
            publisher: config.publisher.clone(),
        },
        copyright: CopyrightPage {
            heading: words.copyright.to_string(),
            lines,
        },
        contents_title: words.contents.to_string(),
        cover_title: words.cover.to_string(),
        cover_alt: locale::fill(words.cover_of, &[("title", &config.title)]),
    }
}

/// The title of chapter `index`: its title heading's text ([`crate::model::Chapter::title`]),
/// else "Chapter N" in the book's language. The EPUB's file and nav titles, the PDF's contents,
/// running heads and bookmarks all use it.
pub fn chapter_title(book: &Book, index: usize) -> String {
    match book.chapters.get(index).and_then(|c| c.title.as_deref()) {
        Some(t) if !t.trim().is_empty() => t.trim().to_string(),
        _ => {
            let words = book.config.words();
            locale::fill(
                words.chapter_number,
                &[("n", &words.digits.write(&(index + 1).to_string()))],
            )
        }
    }
}

/// What a chapter's opening shows besides the title heading of its Markdown, decided once for
/// both editions: a title from the front matter, a subtitle, a byline.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChapterOpening {
    /// The front matter's `title:`, set as the chapter's title when no heading of the
    /// Markdown is (no level-1 heading); `None` when a heading is the title.
    pub title: Option<String>,
    /// `subtitle:` (or `description:`), under the title.
    pub subtitle: Option<String>,
    /// Authors and date ("Ana Lim · 17 April 2021", the date in the book's language), under
    /// the title with `chapters: { byline: true }`.
    pub byline: Option<String>,
}

/// Separates the authors from the date in a byline.
const BYLINE_SEPARATOR: &str = " · ";

/// The opening of chapter `index` (an empty one for an index out of range).
pub fn chapter_opening(book: &Book, index: usize) -> ChapterOpening {
    let Some(chapter) = book.chapters.get(index) else {
        return ChapterOpening::default();
    };
    let meta = &chapter.meta;
    let title = match chapter.title_heading() {
        Some(_) => None,
        None => chapter.title.clone().filter(|t| !t.trim().is_empty()),
    };
    let byline = book.config.chapters.byline.then(|| {
        let words = match &chapter.lang {
            Some(lang) => book.config.words_in(lang),
            None => book.config.words(),
        };
        let mut parts = Vec::new();
        if !meta.authors.is_empty() {
            parts.push(names(&meta.authors, &words));
        }
        if let Some(date) = &meta.date {
            parts.push(date_in_words(date, &words));
        }
        parts.join(BYLINE_SEPARATOR)
    });
    ChapterOpening {
        title,
        subtitle: meta.subtitle.clone(),
        byline: byline.filter(|b| !b.is_empty()),
    }
}

/// The contents' label of a heading: its text, or the word for a section.
pub fn heading_label(text: &str, words: &Words) -> String {
    match text.trim() {
        "" => words.section.to_string(),
        t => t.to_string(),
    }
}

/// "Ana", "Ana and Bo", "Ana, Bo and Cy", with the language's "and".
pub fn names(names: &[String], words: &Words) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => locale::fill(
            words.list_and,
            &[("list", &init.join(words.list_comma)), ("last", last)],
        ),
    }
}

/// A date as a reader says it: "17 April 2024", "April 2024", "2024".
pub fn date_in_words(date: &Date, words: &Words) -> String {
    let year = words.digits.write(&date.year.to_string());
    let index = date.month.map(|m| usize::from(m).wrapping_sub(1));
    let name = |months: &[&'static str; 12]| index.and_then(|i| months.get(i)).copied();
    match (name(&words.months), date.day) {
        (Some(month), Some(day)) => locale::fill(
            words.date_day,
            &[
                ("day", &words.digits.write(&day.to_string())),
                ("month", month),
                ("year", &year),
            ],
        ),
        (Some(_), None) => locale::fill(
            words.date_month,
            &[
                ("month", name(&words.months_alone).unwrap_or_default()),
                ("year", &year),
            ],
        ),
        _ => year,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(yaml: &str) -> BookConfig {
        crate::config::parse("book.yaml", yaml).expect("valid book.yaml")
    }

    const FULL: &str = "title: A Field Guide\nsubtitle: Notes\nauthors: [Ana, Bo]\nlanguage: en\n\
        isbn: 978-0-306-40615-7\npublisher: Fixture Press\ndate: 2024-04-17\n\
        series: {name: Sample Series, position: 3}\n";

    #[test]
    fn the_copyright_page_says_every_fact_once() {
        let f = front_matter(&config(FULL));
        assert_eq!(
            f.copyright.lines,
            [
                "A Field Guide: Notes",
                "by Ana and Bo",
                "Sample Series, book 3",
                "© 2024 Ana and Bo",
                "First published 17 April 2024.",
                "Published by Fixture Press.",
                "ISBN 978-0-306-40615-7",
                "Made with bindery.",
            ]
        );
        assert_eq!(
            f.title_page.series.as_deref(),
            Some("Sample Series, book 3")
        );
        assert_eq!(f.copyright.heading, "Copyright");
    }

    #[test]
    fn french_front_matter_is_french() {
        let f = front_matter(&config(&FULL.replace("language: en", "language: fr")));
        assert_eq!(
            f.copyright.lines[1..],
            [
                "par Ana et Bo",
                "Sample Series, tome 3",
                "© 2024 Ana et Bo",
                "Première publication\u{a0}: 17 avril 2024.",
                "Publié par Fixture Press.",
                "ISBN 978-0-306-40615-7",
                "Composé avec bindery.",
            ]
        );
        assert_eq!(f.copyright.heading, "Droits d’auteur");
        assert_eq!(f.contents_title, "Table des matières");
        assert_eq!(f.cover_alt, "Couverture de A Field Guide");
    }

    #[test]
    fn a_rights_statement_with_its_own_notice_replaces_the_generated_one() {
        let f = front_matter(&config(&format!(
            "{FULL}rights: © 2024 Ana. Some rights reserved.\n"
        )));
        assert!(f
            .copyright
            .lines
            .contains(&"© 2024 Ana. Some rights reserved.".to_string()));
        assert!(!f
            .copyright
            .lines
            .iter()
            .any(|l| l.starts_with("© 2024 Ana and Bo")));
        let bare = front_matter(&config("title: T\nauthor: A\nlanguage: en\n"));
        assert_eq!(bare.copyright.lines, ["T", "by A", "Made with bindery."]);
    }

    /// Loads a book from `book.yaml` text and (file name, Markdown) pairs, without `check`.
    fn book(yaml: &str, articles: &[(&str, &str)]) -> Book {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("book.yaml"), yaml).expect("write yaml");
        std::fs::create_dir(dir.path().join("manuscript")).expect("mkdir");
        for (name, text) in articles {
            std::fs::write(dir.path().join("manuscript").join(name), text).expect("write md");
        }
        crate::load::load_book(dir.path())
            .book
            .expect("the book loads")
    }

    #[test]
    fn both_editions_title_chapters_alike_untitled_ones_included() {
        let book = book(
            "title: T\nauthor: A\nlanguage: fr\ntoc_depth: 2\n",
            &[
                ("01-a.md", "# Premier\n\nTexte.\n"),
                ("02-b.md", "Du texte sans titre.\n"),
                (
                    "03-c.md",
                    "## Seulement une section\n\nTexte.\n\n## Deuxième\n\nTexte.\n",
                ),
            ],
        );
        let titles: Vec<String> = (0..3).map(|i| chapter_title(&book, i)).collect();
        assert_eq!(titles, ["Premier", "Chapitre 2", "Seulement une section"]);

        // The PDF's contents: one entry per chapter with that title; the heading that titles
        // the third chapter is its chapter entry, not a section below it.
        let fonts = crate::typeset::font::FontSet::builtin();
        let (_, entries) = crate::typeset::typeset_with_contents(
            &book,
            &fonts,
            &crate::typeset::TypesetOptions::default(),
        )
        .expect("typesets");
        let pdf: Vec<(u8, &str)> = entries
            .iter()
            .map(|e| (e.depth, e.title.as_str()))
            .collect();
        assert_eq!(
            pdf,
            [
                (1, "Premier"),
                (1, "Chapitre 2"),
                (1, "Seulement une section"),
                (2, "Deuxième")
            ]
        );

        // The EPUB's nav says the same, after its entry for the contents page.
        let bytes = crate::epub::build(
            &book,
            &crate::epub::EpubInputs::default(),
            &crate::epub::EpubOptions::default(),
        )
        .expect("an EPUB");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        let mut nav = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("OEBPS/nav.xhtml").expect("nav"), &mut nav)
            .expect("utf-8");
        let toc = &nav[..nav.find("epub:type=\"landmarks\"").unwrap_or(nav.len())];
        let labels: Vec<&str> = toc
            .split("\">")
            .skip(1)
            .filter_map(|s| s.split_once("</a>").map(|(t, _)| t))
            .collect();
        assert_eq!(
            labels,
            [
                "Table des matières",
                "Premier",
                "Chapitre 2",
                "Seulement une section",
                "Deuxième"
            ],
            "{toc}"
        );
    }

    #[test]
    fn dates_in_words_keep_only_what_was_written() {
        let en = locale::words("en");
        let d = |s: &str| Date::parse(s).expect("a date");
        assert_eq!(date_in_words(&d("2024"), &en), "2024");
        assert_eq!(date_in_words(&d("2024-04"), &en), "April 2024");
        assert_eq!(
            date_in_words(&d("2024-04-07"), &locale::words("es")),
            "7 de abril de 2024"
        );
    }
}
