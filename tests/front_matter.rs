//! The front matter says the same things in both editions: `tests/fixtures/full` is built as an
//! EPUB and a PDF, and the copyright page of each is read back (the EPUB's XHTML, the PDF's
//! text through `pdftotext`) and compared, in English and with `language: fr`.

mod common;

use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/full")
}

/// The text of each `<p>` of an XHTML page, entities decoded.
fn paragraphs(xhtml: &str) -> Vec<String> {
    xhtml
        .split("<p>")
        .skip(1)
        .filter_map(|p| p.split_once("</p>").map(|(text, _)| text))
        .map(|t| {
            t.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
        })
        .collect()
}

/// Runs of white space (the PDF's line ends and no-break spaces included) as one space.
fn squeeze(s: &str) -> String {
    s.split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `pdftotext` text of every page of `pdf`.
fn pdf_pages(pdftotext: &Path, pdf: &Path) -> Vec<String> {
    let pdf = pdf.to_str().expect("utf-8 path");
    let text = common::run(pdftotext, &["-enc", "UTF-8", pdf, "-"]);
    text.split('\u{c}').map(str::to_string).collect()
}

/// Both editions of `book`: the copyright page's paragraphs from the EPUB, the PDF's pages.
struct Editions {
    epub: PathBuf,
    copyright: Vec<String>,
    pdf_pages: Vec<String>,
}

fn build(book: &Path, pdftotext: &Path) -> (tempfile::TempDir, Editions) {
    let out = tempfile::tempdir().expect("temp dir");
    let epub = common::build_edition("epub", book, out.path());
    let pdf = common::build_edition("pdf", book, out.path());
    let copyright = paragraphs(&common::epub_entry(&epub, "OEBPS/front_copyright.xhtml"));
    let pdf_pages = pdf_pages(pdftotext, &pdf);
    (
        out,
        Editions {
            epub,
            copyright,
            pdf_pages,
        },
    )
}

/// Asserts that the PDF's copyright page (the page with the colophon, the page's last line)
/// says exactly what the EPUB's copyright page says, in the same order, and returns it.
fn same_copyright_page(e: &Editions) -> String {
    let colophon = e.copyright.last().expect("a copyright page with lines");
    let page = e
        .pdf_pages
        .iter()
        .find(|p| squeeze(p).contains(colophon.as_str()))
        .unwrap_or_else(|| panic!("no PDF page says `{colophon}`"));
    assert_eq!(
        squeeze(page),
        squeeze(&e.copyright.join("\n")),
        "the PDF's copyright page differs from the EPUB's"
    );
    squeeze(page)
}

#[test]
fn both_editions_print_the_same_copyright_page() {
    let Some(pdftotext) = common::tool("pdftotext") else {
        return;
    };
    let (_out, e) = build(&fixture(), &pdftotext);
    let page = same_copyright_page(&e);
    // The facts of book.yaml, with the ISBN hyphenated by its ranges (978-0: English, 306 a
    // three-digit registrant).
    assert_eq!(
        e.copyright,
        [
            "A Field Guide to Small Things: Notes on Rivers, Rice and Rain",
            "by Ana Sánchez and Bo Lindqvist",
            "Sample Series, book 3",
            "© 2024 Ana Sánchez and Bo Lindqvist. Some rights reserved.",
            "First published 17 April 2024.",
            "Published by Fixture Press.",
            "ISBN 978-0-306-40615-7",
            "Made with bindery.",
        ]
    );
    assert!(page.contains("ISBN 978-0-306-40615-7"), "{page}");
    // The title pages name the series alike too.
    let title = common::epub_entry(&e.epub, "OEBPS/front_title.xhtml");
    assert!(
        title.contains("<p class=\"series\">Sample Series, book 3</p>"),
        "{title}"
    );
    let pdf_title = e
        .pdf_pages
        .iter()
        .find(|p| p.contains("Notes on Rivers, Rice and Rain") && !p.contains("ISBN"))
        .expect("a PDF title page");
    assert!(
        squeeze(pdf_title).contains("Sample Series, book 3"),
        "{pdf_title}"
    );
}

#[test]
fn a_french_book_has_french_front_matter_in_both_editions() {
    let Some(pdftotext) = common::tool("pdftotext") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("full");
    common::copy_dir(&fixture(), &book);
    let yaml = std::fs::read_to_string(book.join("book.yaml")).expect("book.yaml");
    assert!(yaml.contains("language: en\n"));
    std::fs::write(
        book.join("book.yaml"),
        yaml.replace("language: en\n", "language: fr\n"),
    )
    .expect("write book.yaml");

    let (_out, e) = build(&book, &pdftotext);
    let page = same_copyright_page(&e);
    assert_eq!(
        e.copyright,
        [
            "A Field Guide to Small Things: Notes on Rivers, Rice and Rain",
            "par Ana Sánchez et Bo Lindqvist",
            "Sample Series, tome 3",
            "© 2024 Ana Sánchez and Bo Lindqvist. Some rights reserved.",
            "Première publication\u{a0}: 17 avril 2024.",
            "Publié par Fixture Press.",
            "ISBN 978-0-306-40615-7",
            "Composé avec bindery.",
        ]
    );
    for english in [
        "by ",
        "book 3",
        "First published",
        "Published by",
        "Made with",
    ] {
        assert!(
            !page.contains(english),
            "`{english}` on the French PDF page: {page}"
        );
    }
    // The page names and the contents' title are French in both editions.
    let xhtml = common::epub_entry(&e.epub, "OEBPS/front_copyright.xhtml");
    assert!(xhtml.contains("<title>Droits d’auteur</title>"), "{xhtml}");
    assert!(common::epub_entry(&e.epub, "OEBPS/front_contents.xhtml")
        .contains("<h1 id=\"contents-title\">Table des matières</h1>"));
    assert!(
        e.pdf_pages.iter().any(|p| p.contains("Table des matières")),
        "the PDF's contents are titled in French"
    );
    assert!(!e.pdf_pages.iter().any(|p| p.contains("Contents")));
}
