//! The numbers bindery writes itself, in the book's digits: a book in Egyptian Arabic
//! (`ar-EG`, whose CLDR numbering system is Arabic-Indic) prints its folios, the contents' and
//! the list of figures' page numbers, page references, note marks, list numbers, the figure's
//! number and the copyright page's dates in Arabic-Indic digits, in both editions. The digits
//! the author wrote ("1975") stay as written. The same book checks what a right-to-left book's
//! apparatus needs besides: a number set left to right, a list hung on the right, the
//! footnote rule at the right.

mod common;

use std::path::{Path, PathBuf};

use bindery::typeset::frame::{Document, Item, PageLabel};

/// Arabic-Indic digits one to four.
const ONE: &str = "\u{661}";
const TWO: &str = "\u{662}";
const YEAR: &str = "\u{662}\u{660}\u{662}\u{664}";

/// The fixture: a book in Egyptian Arabic with a footnote, a figure, a list, a reference to
/// the figure's page, and a year the author wrote.
fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lang-ar-eg")
}

/// Every glyph run of the document, with the index of its page.
fn runs(doc: &Document) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (index, page) in doc.pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Glyphs(run) = item {
                out.push((index, run.text.to_string()));
            }
        }
    }
    out
}

/// The fixture in `language` (its own, `ar-EG`, or another written into its `book.yaml`),
/// copied into a temporary folder (kept alive with it) and typeset.
fn laid(language: &str) -> (tempfile::TempDir, common::Laid) {
    let dir = tempfile::tempdir().expect("temp dir");
    common::copy_dir(&fixture(), dir.path());
    let yaml = dir.path().join("book.yaml");
    let written = std::fs::read_to_string(&yaml).expect("book.yaml");
    assert!(written.contains("language: ar-EG\n"), "{written}");
    let changed = written.replace("language: ar-EG\n", &format!("language: {language}\n"));
    std::fs::write(&yaml, changed).expect("book.yaml written");
    let laid = common::lay_out(dir.path()).expect("the book typesets");
    (dir, laid)
}

fn first_body_page(doc: &Document) -> usize {
    doc.pages
        .iter()
        .position(|p| p.label == PageLabel::Arabic(1))
        .expect("a body page 1")
}

#[test]
fn an_egyptian_arabic_book_prints_its_own_numbers_in_arabic_indic_digits() {
    let (dir, laid) = laid("ar-EG");
    let doc = laid.document();
    let runs = runs(doc);
    let on = |page: usize| -> Vec<&str> {
        runs.iter()
            .filter(|(p, _)| *p == page)
            .map(|(_, t)| t.as_str())
            .collect()
    };

    // Each page's words in reading order, a space apart (runs break at words and marks).
    let text = |page: usize| on(page).join(" ");
    let body = first_body_page(doc);
    let page = |folio: u32| {
        let at = body + folio as usize - 1;
        assert_eq!(doc.pages[at].label, PageLabel::Arabic(folio));
        text(at)
    };
    // Page 1: the note's mark after "قديمة.", the figure's number in its caption, the note's
    // number in the note area, and the folio last.
    let one = page(1);
    assert!(one.contains("قديمة . ١ يصل"), "the note's mark: {one}");
    assert!(one.contains("الشكل ١ . خريطة النهر"), "the caption: {one}");
    assert!(one.contains("١ . هامش قصير"), "the note: {one}");
    assert_eq!(on(body).last(), Some(&ONE), "the folio: {one}");
    // Page 2: the list's numbers, and the folio.
    let two = page(2);
    assert!(
        two.contains("الأرز ١ . السمك ٢ . الأقمشة ٣ ."),
        "the list: {two}"
    );
    assert_eq!(on(body + 1).last(), Some(&TWO), "the folio: {two}");
    // A right-to-left list hangs its labels on the right: each label's number right of its
    // item's text, and its full stop between them (".١" on the page, as a browser sets it).
    let placed = |text: &str| -> (f32, f32) {
        doc.pages[body + 1]
            .items
            .iter()
            .find_map(|i| match i {
                Item::Glyphs(r) if *r.text == *text => Some((r.x, r.x + r.width())),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no run {text} on page 2"))
    };
    let (item, number, stop) = (placed("الأرز"), placed(ONE), placed("."));
    assert!(
        item.1 < stop.0 && stop.1 <= number.0 + 0.01,
        "{item:?} {stop:?} {number:?}"
    );
    let after = placed("قال");
    assert!(
        item.1 < after.1 - 5.0,
        "the items are indented from the right: {item:?}, the next paragraph {after:?}"
    );
    // Page 3: the reference to the figure, with the page it is on.
    let three = page(3);
    assert!(
        three.contains("يظهر الشكل ١ في الصفحة ١ ."),
        "the reference: {three}"
    );
    // The contents and the list of figures: each entry's page.
    let find = |title: &str| {
        (0..body)
            .find(|&p| on(p).first() == Some(&title))
            .map(text)
            .unwrap_or_else(|| panic!("no page titled {title}"))
    };
    let contents = find("المحتويات");
    assert!(contents.contains("النهر والمدينة ١ ."), "{contents}");
    assert!(contents.contains("كلمات أخرى ٣ ."), "{contents}");
    let figures = find("قائمة");
    assert!(figures.contains("الشكل ١ خريطة النهر ١ ."), "{figures}");
    // The copyright page: the year of the © line and the date of first publication.
    let copyright = (0..body)
        .map(text)
        .find(|t| t.contains('©'))
        .expect("the copyright page");
    assert!(copyright.contains(&format!("© {YEAR} كاتب")), "{copyright}");
    // A number reads left to right, whatever its digits: the year's first digit (٢) is left
    // of its last (٤) on the page.
    let year = doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .find_map(|i| match i {
            Item::Glyphs(r) if r.text == YEAR => Some(r),
            _ => None,
        })
        .expect("the year's run");
    assert!(!year.rtl, "{year:?}");
    let mut pen = year.x;
    let mut at = Vec::new();
    for g in &year.glyphs {
        at.push((g.text.start, pen));
        pen += g.x_advance * year.scale_x;
    }
    at.sort_by_key(|(start, _)| *start);
    assert!(at.windows(2).all(|w| w[0].1 < w[1].1), "{at:?}");
    assert!(
        copyright.contains(&format!("١ مارس {YEAR} .")),
        "{copyright}"
    );
    // Nothing bindery wrote is in European digits: the only ones left are the author's.
    let european: Vec<&(usize, String)> = runs
        .iter()
        .filter(|(_, t)| t.chars().any(|c| c.is_ascii_digit()))
        .collect();
    assert!(
        european.iter().all(|(_, t)| t.contains("1975")),
        "European digits bindery wrote: {european:?}"
    );
    assert!(!european.is_empty(), "the author's 1975 is kept as written");

    // The EPUB: the note's mark and its number, the list, the figure's caption, the year.
    let out = tempfile::tempdir().expect("temp dir");
    let epub = common::build_edition("epub", dir.path(), out.path());
    let chapter = common::epub_xhtml(&epub, "01-nahr");
    assert!(chapter.contains(&format!(">{ONE}</a></sup>")), "{chapter}");
    assert!(chapter.contains(&format!(">{ONE}.</a> ")), "{chapter}");
    assert!(
        chapter.contains("<ol style=\"list-style-type: arabic-indic\">"),
        "{chapter}"
    );
    assert!(chapter.contains(&format!("الشكل\u{a0}{ONE}")), "{chapter}");
    assert!(chapter.contains("1975"), "{chapter}");
    let copyright = common::epub_xhtml(&epub, "copyright");
    assert!(copyright.contains(YEAR), "{copyright}");
}

/// A book read right to left starts its footnote rule at the right, where its lines start
/// (a book read left to right keeps it at the left: tests/notes.rs and the layout tests).
#[test]
fn a_right_to_left_book_starts_its_note_rule_at_the_right() {
    let (_dir, laid) = laid("ar");
    let doc = laid.document();
    let body = first_body_page(doc);
    let rule = doc.pages[body]
        .items
        .iter()
        .find_map(|i| match i {
            Item::Rule {
                x,
                width,
                thickness,
                ..
            } if *thickness == bindery::typeset::page::NOTE_RULE_THICKNESS => Some((*x, *width)),
            _ => None,
        })
        .expect("the note rule on page 1");
    let text_right = doc.pages[body]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs(r) if &*r.text == "هامش" => Some(r.x + r.width()),
            _ => None,
        })
        .fold(f32::MIN, f32::max);
    let left = laid.geometry.text_left(body);
    let right = left + laid.geometry.measure;
    assert!(
        (rule.0 + rule.1 - right).abs() < 0.01 && rule.0 > left + 1.0,
        "rule {rule:?}, text block {left}..{right}"
    );
    assert!(
        text_right > rule.0,
        "the note's text ends at the right: {text_right}"
    );
}

/// A right-to-left table puts its first column at the right, sets its cells from their
/// right, and aligns a column the Markdown asks to be right-aligned on its right edge, inside
/// the table's rules.
#[test]
fn a_right_to_left_table_starts_at_the_right() {
    let (_dir, laid) = laid("ar-EG");
    let doc = laid.document();
    let page = doc
        .pages
        .iter()
        .find(|p| {
            p.items
                .iter()
                .any(|i| matches!(i, Item::Glyphs(r) if r.text == "السلعة"))
        })
        .expect("the table's page");
    let placed = |text: &str| -> (f32, f32) {
        page.items
            .iter()
            .find_map(|i| match i {
                Item::Glyphs(r) if r.text == text => Some((r.x, r.x + r.width())),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no run {text}"))
    };
    let (goods, amount) = (placed("السلعة"), placed("الكمية"));
    assert!(
        goods.0 > amount.1,
        "the first column at the right: {goods:?} {amount:?}"
    );
    let (rice, fish) = (placed("الأرز"), placed("السمك"));
    assert!(
        (rice.1 - goods.1).abs() < 0.01 && (fish.1 - goods.1).abs() < 0.01,
        "a text column set from its right: {goods:?} {rice:?} {fish:?}"
    );
    let (big, small) = (placed("١٢٠"), placed("٤٥"));
    assert!(
        (big.1 - small.1).abs() < 0.01,
        "right-aligned numbers: {big:?} {small:?}"
    );
    assert!(
        big.1 < rice.0,
        "numbers left of the first column: {big:?} {rice:?}"
    );
    let rules: Vec<(f32, f32)> = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Rule { x, width, .. } => Some((*x, *x + *width)),
            _ => None,
        })
        .collect();
    assert!(!rules.is_empty(), "the table's rules");
    for run in [goods, amount, rice, fish, big, small] {
        assert!(
            rules
                .iter()
                .all(|r| r.0 <= run.0 + 0.01 && run.1 <= r.1 + 0.01),
            "{run:?} outside the rules {rules:?}"
        );
    }
}

/// Arabic as CLDR writes it without a region (and as the Maghreb does) counts in European
/// digits: the same book in `ar` prints "1".
#[test]
fn arabic_without_a_region_prints_european_digits() {
    let (_dir, laid) = laid("ar");
    let doc = laid.document();
    let runs = runs(doc);
    let body = first_body_page(doc);
    let page_one: Vec<&str> = runs
        .iter()
        .filter(|(p, _)| *p == body)
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(page_one.contains(&"1"), "{page_one:?}");
    // No Arabic-Indic digit but the author's own (the table's quantities).
    assert!(
        runs.iter()
            .all(|(_, t)| !t.contains(ONE) || t == "\u{661}\u{662}\u{660}"),
        "no Arabic-Indic digit of bindery's: {runs:?}"
    );
}

/// The PDF's page labels (a reader's page box) are the folios as printed: a body page's label
/// is its folio's text, "١", since a PDF numbering style counts in European digits only; the
/// front matter keeps its roman style.
#[test]
fn the_pdfs_page_labels_are_its_printed_folios() {
    let Some(qpdf) = common::tool("qpdf") else {
        return;
    };
    let out = tempfile::tempdir().expect("temp dir");
    let pdf = common::build_edition("pdf", &fixture(), out.path());
    let json: serde_json::Value = serde_json::from_str(&common::run(
        &qpdf,
        &[
            "--json",
            "--json-key=pagelabels",
            pdf.to_str().expect("UTF-8 path"),
        ],
    ))
    .expect("qpdf's JSON");
    let labels: Vec<(u64, String)> = json["pagelabels"]
        .as_array()
        .expect("page labels")
        .iter()
        .map(|l| {
            let label = &l["label"];
            let text = match (label["/P"].as_str(), label["/S"].as_str()) {
                (Some(prefix), None) => prefix.trim_start_matches("u:").to_string(),
                (None, Some(style)) => style.to_string(),
                other => format!("{other:?}"),
            };
            (l["index"].as_u64().expect("index"), text)
        })
        .collect();
    let body: Vec<&str> = labels
        .iter()
        .filter(|(_, t)| !t.starts_with('/'))
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(body, [ONE, TWO, "\u{663}"], "{labels:?}");
    assert!(
        labels.iter().take(4).all(|(_, t)| t == "/r"),
        "the front matter is numbered in roman: {labels:?}"
    );
}

/// The EPUB sets a right-to-left chapter's lists, headings, notes and copyright lines from the
/// right, as the print edition does: every rule that aligns text to the left says `start`
/// after it (a reader that knows no logical value keeps `left`), and a list's indent is on the
/// side its lines start from.
#[test]
fn the_epubs_stylesheet_aligns_to_where_lines_start() {
    let out = tempfile::tempdir().expect("temp dir");
    let epub = common::build_edition("epub", &fixture(), out.path());
    let css = common::epub_entry(&epub, "OEBPS/stylesheet.css");
    let rules: Vec<(&str, &str)> = css
        .split('}')
        .filter_map(|rule| rule.split_once('{'))
        .collect();
    let mut left = 0;
    for (selectors, body) in &rules {
        // A table column's alignment is the author's, physical as GitHub's `:--` is.
        if selectors.trim() == ".align-left" {
            continue;
        }
        if let Some(at) = body.find("text-align: left;") {
            left += 1;
            assert!(
                body[at..].contains("text-align: start;"),
                "`{}` aligns left only",
                selectors.trim()
            );
        }
    }
    assert!(left >= 4, "headings, list items, notes, copyright: {left}");
    let lists = rules
        .iter()
        .find(|(s, _)| s.trim().ends_with("ul, ol"))
        .map(|(_, b)| *b)
        .expect("the lists' rule");
    assert!(
        lists.contains("margin-inline-start: 1.5em;") && lists.contains("margin-inline-end: 0;"),
        "{lists}"
    );
}
