//! The page map that typesetting returns beside the document: for each print page, where in
//! the model (chapter, block, character offset) it begins. Checked against the PDF as a reader
//! sees it: the first word `pdftotext` finds in each body page's text block is the model's
//! text at the mapped place.

mod common;

use std::path::Path;

use bindery::model::{block_text, BlockKind, InlineKind, TextPos};
use bindery::pipeline::Pipeline;
use bindery::typeset::frame::PageLabel;
use bindery::typeset::page::PageGeometry;
use bindery::typeset::Typeset;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Loads, checks and typesets `book`.
fn typeset(book: &Path) -> (Pipeline, Typeset) {
    let mut pipeline = Pipeline::load(book);
    let errors: Vec<_> = pipeline
        .check()
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let typeset = pipeline.typeset(None, 1).expect("typesets").clone();
    (pipeline, typeset)
}

/// The first word of the model's text at `at`; for a figure (a paragraph of one image),
/// which prints no text of its own, the first word of its caption (the image's title).
fn model_word(pipeline: &Pipeline, at: TextPos) -> String {
    let book = pipeline.book().expect("a book");
    let block = &book.chapters[at.chapter].blocks[at.block];
    let text = match &block.kind {
        BlockKind::Paragraph(inlines) if inlines.len() == 1 => match &inlines[0].kind {
            InlineKind::Image { title, .. } => title.clone(),
            _ => block_text(block),
        },
        _ => block_text(block),
    };
    text.chars()
        .skip(at.offset)
        .skip_while(|c| c.is_whitespace())
        .take_while(|c| !c.is_whitespace())
        .collect()
}

/// A list label as the typesetter sets it before an item's first line: a bullet or `N.`.
fn is_list_label(word: &str) -> bool {
    matches!(word, "•" | "◦" | "▪" | "–" | "-")
        || word
            .strip_suffix('.')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Builds the PDF of the book in `dir` and checks every body page's mapped start against
/// `pdftotext`'s first word in the text block. Returns how many pages were compared, and how
/// many of them begin inside a block (offset > 0).
fn pages_begin_where_the_map_says(dir: &Path) -> Option<(usize, usize)> {
    let pdftotext = common::tool("pdftotext")?;
    let (pipeline, typeset) = typeset(dir);
    let bytes = pipeline.pdf(&typeset, None).expect("a PDF");
    let dir = tempfile::tempdir().expect("a temp dir");
    let pdf = dir.path().join("book.pdf");
    std::fs::write(&pdf, bytes).expect("the PDF written");

    let geometry = PageGeometry::from_config(&pipeline.book().expect("a book").config.pdf);
    let map = &typeset.page_map;
    assert_eq!(map.pages.len(), typeset.document.pages.len());
    // The text block, in pt from the page's top-left (pdftotext at 72 dpi counts in pt). A
    // point above it catches the ascenders of the first line; the running head sits higher.
    let top = geometry.text_top() - 1.0;
    let height = geometry.text_height + 1.0;

    let mut compared = 0;
    let mut inside = 0;
    let mut previous: Option<TextPos> = None;
    for (index, start) in map.pages.iter().enumerate() {
        let page = typeset.document.pages.get(index).expect("a page");
        assert_eq!(start.label, page.label, "page {index}");
        let number = (index + 1).to_string();
        let text = common::run(
            &pdftotext,
            &[
                "-f",
                &number,
                "-l",
                &number,
                "-r",
                "72",
                "-x",
                "0",
                "-y",
                &format!("{}", top.max(0.0).floor() as i64),
                "-W",
                &format!("{}", page.width.ceil() as i64),
                "-H",
                &format!("{}", height.ceil() as i64),
                pdf.to_str().expect("a UTF-8 path"),
                "-",
            ],
        );
        // A figure floats (issue 11): a page may open with one moved from earlier text, or hold
        // figures alone, and its caption is then the first text `pdftotext` reads.
        let has_figure = page.items.iter().any(|i| {
            matches!(
                i,
                bindery::typeset::frame::Item::Image { .. }
                    | bindery::typeset::frame::Item::TurnedImage { .. }
            )
        });
        let Some(at) = start.at else {
            // No body line: the front matter, a blank verso, notes or figures alone.
            assert!(
                matches!(start.label, PageLabel::Roman(_)) || text.trim().is_empty() || has_figure,
                "body page {index} ({:?}) has text but no start: {text:?}",
                start.label
            );
            continue;
        };
        assert!(
            matches!(start.label, PageLabel::Arabic(_)),
            "a front-matter page has a start"
        );
        if let Some(before) = previous {
            assert!(
                before < at,
                "page {index} starts at {at:?}, before {before:?}"
            );
        }
        previous = Some(at);
        let block = &pipeline.book().expect("a book").chapters[at.chapter].blocks[at.block];
        let uncaptioned_figure = matches!(&block.kind, BlockKind::Paragraph(inlines)
            if matches!(inlines.as_slice(), [one] if matches!(&one.kind, InlineKind::Image { title, .. } if title.trim().is_empty())));
        if uncaptioned_figure || has_figure {
            // A figure without a caption prints no text: a page opening on one begins at its
            // start. (Raw HTML is model text like any other.)
            assert_eq!(at.offset, 0, "page {index} starts inside an image");
            continue;
        }
        let first = text
            .split_whitespace()
            .find(|w| !is_list_label(w))
            .unwrap_or_default();
        let expected = model_word(&pipeline, at);
        // A footnote mark set against the word extracts as digits after it.
        let bare = first.trim_end_matches(|c: char| c.is_ascii_digit());
        assert!(
            first == expected || (bare == expected && !expected.is_empty()),
            "page {index} ({:?}): the PDF's first word is {first:?}, the map's {expected:?} at {at:?}",
            start.label
        );
        compared += 1;
        inside += usize::from(at.offset > 0);
    }
    Some((compared, inside))
}

#[test]
fn the_page_map_matches_the_pdf_of_the_stress_fixture() {
    let Some((compared, _)) = pages_begin_where_the_map_says(&fixture("pdf-stress")) else {
        return;
    };
    // Every body page with text was compared (a page without a start must be blank): the
    // fixture has 14.
    assert!(compared >= 14, "only {compared} pages compared");
}

#[test]
fn the_page_map_matches_the_pdf_of_the_full_fixture() {
    let Some((compared, _)) = pages_begin_where_the_map_says(&fixture("full")) else {
        return;
    };
    // The chapter openings; since figures float (issue 11) the rice picture heads a page of
    // its own, and since its table's header no longer wraps the first chapter fits on two
    // pages, so no page of this short book begins inside a block any more (the stress
    // fixture and this book's pages do).
    assert!(compared >= 3, "{compared} pages");
}

/// The repository's own book: long paragraphs, so most pages begin inside one.
#[test]
fn the_page_map_matches_the_pdf_of_this_book() {
    let Some((compared, inside)) =
        pages_begin_where_the_map_says(Path::new(env!("CARGO_MANIFEST_DIR")))
    else {
        return;
    };
    assert!(
        compared >= 10 && inside >= 5,
        "{compared} pages, {inside} inside a block"
    );
}

/// A chapter with every kind of block and inline, on a narrow page so that lines wrap often.
const EVERY_KIND: &str = "# Every Kind of Text

A paragraph with *emphasis that runs on for a while*, **strong words**, a
[link to somewhere](https://example.org/a/long/path) and `inline code`, then a note
mark[^one] and more words after it, so that several lines begin after each kind of inline.
A hard break follows here\\
and the text goes on after it for a good many words, to fill a line or two more.

> A block quote with a first paragraph long enough to wrap over two or three lines of the
> narrow page.
>
> And a second paragraph in the quote, which also wraps onto a further line or so.

- A list item long enough to wrap onto a second line of the narrow measure.
- A second item.
  - A nested item, also with enough words to wrap at least once on this page.
1. An ordered item after the bullets, again with words enough to wrap.

```
fn main() {
\tprintln!(\"a line of code long enough that it must be wrapped at the column limit of the page\");
}
```

| Column one | Column two |
|---|---|
| a cell | another cell with more words |
| a second row | and its cell |

***

A last paragraph after the scene break, with _one more emphasis_ and a final run of words.

[^one]: The note, whose lines carry no model position.
";

/// Every body line the typesetter sets records where its text begins in the model: the first
/// word of its first glyph run is the model's text at that place.
#[test]
fn every_line_begins_where_its_source_says() {
    use bindery::model::plain_text;
    use bindery::typeset::blocks::{chapter_flow, LayoutSettings};
    use bindery::typeset::font::FontSet;
    use bindery::typeset::frame::Item;
    use bindery::typeset::vlist::VItem;

    let dir = tempfile::tempdir().expect("a temp dir");
    std::fs::write(
        dir.path().join("book.yaml"),
        "title: T\nauthors: [A]\nlanguage: en\npdf:\n  trim: 4in x 6in\n",
    )
    .expect("book.yaml");
    std::fs::create_dir(dir.path().join("manuscript")).expect("manuscript/");
    std::fs::write(dir.path().join("manuscript/01-every.md"), EVERY_KIND).expect("article");
    let pipeline = Pipeline::load(dir.path());
    let book = pipeline
        .book()
        .unwrap_or_else(|| panic!("{:?}", pipeline.diagnostics()));
    let settings = LayoutSettings::from_config(&book.config.pdf, &book.config.language);
    let flow = chapter_flow(book, 0, &FontSet::builtin(), &settings);
    let blocks = &book.chapters[0].blocks;

    let mut checked = 0;
    let mut nested = 0;
    let mut after_inline = 0;
    for item in &flow.body {
        let VItem::Line(line) = item else { continue };
        let Some(run) = line.items.iter().find_map(|i| match i {
            Item::Glyphs(run) => Some(run),
            _ => None,
        }) else {
            continue;
        };
        let at = line
            .source
            .unwrap_or_else(|| panic!("a body line without a source: {:?}", run.text));
        let block = &blocks[at.block];
        if matches!(block.kind, BlockKind::SceneBreak) {
            // An ornament: no model text to count in.
            assert_eq!(at.offset, 0, "{:?}", run.text);
            continue;
        }
        let text: String = block_text(block).chars().skip(at.offset).collect();
        // A run's text holds no spaces (they are gaps, not glyphs), and a line-end hyphen is
        // added: compare the first few letters, spaces left out.
        let letters = |s: &str, n: usize| -> String {
            s.chars().filter(|c| !c.is_whitespace()).take(n).collect()
        };
        let set = run.text.trim_end_matches('-');
        let n = set.chars().count().min(8);
        assert!(
            n > 0 && letters(set, n) == letters(&text, n),
            "a line set as {:?} claims block {} offset {}, where the text is {:?}",
            run.text,
            at.block,
            at.offset,
            text.chars().take(40).collect::<String>()
        );
        checked += 1;
        if matches!(block.kind, BlockKind::List(_) | BlockKind::BlockQuote(_)) && at.offset > 0 {
            nested += 1;
        }
        if let BlockKind::Paragraph(inlines) = &block.kind {
            // The line begins after the paragraph's first inline ended.
            let first = plain_text(&inlines[..1]).chars().count();
            if inlines.len() > 1 && at.offset > first {
                after_inline += 1;
            }
        }
    }
    assert!(checked >= 30, "only {checked} lines checked");
    assert!(nested >= 3, "only {nested} lines inside a list or quote");
    assert!(
        after_inline >= 3,
        "only {after_inline} lines after an inline"
    );
}
