//! Raw HTML in print: the typesetter sees what the HTML means (bold is bold, entities are
//! characters) and never what cannot be printed (script text, `javascript:` links). The EPUB
//! side is in `tests/epub.rs`; both come from one parse (`src/rawhtml.rs`).

use std::path::Path;

use bindery::pipeline::Pipeline;
use bindery::typeset::frame::{Document, GlyphRun, Item, LinkTarget};

fn typeset_fixture(name: &str) -> Document {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let pipeline = Pipeline::load(&root);
    pipeline
        .typeset(None, 1)
        .unwrap_or_else(|d| panic!("{d:?}"))
        .document
        .clone()
}

fn runs(doc: &Document) -> Vec<&GlyphRun> {
    doc.pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Glyphs(run) => Some(run),
            _ => None,
        })
        .collect()
}

/// The first run whose text contains `needle` (the setter may split words into runs).
fn run_with<'a>(runs: &[&'a GlyphRun], needle: &str) -> &'a GlyphRun {
    runs.iter()
        .find(|r| r.text.contains(needle))
        .copied()
        .unwrap_or_else(|| panic!("no run holds {needle:?}"))
}

#[test]
fn the_full_fixtures_raw_html_prints_as_what_it_means() {
    let doc = typeset_fixture("full");
    let runs = runs(&doc);
    // Runs hold words; spaces are glue, so the text is compared without them.
    let text: String = runs.iter().map(|r| r.text.as_str()).collect();

    // `<b>bold</b>` is set in the same face as Markdown's `**naïve**`, not in the text face.
    let markdown_bold = run_with(&runs, "naïve").font;
    let raw_line = runs
        .iter()
        .find(|r| {
            r.text.contains("Raw") && runs.iter().any(|o| o.y == r.y && o.text.contains("block"))
        })
        .unwrap_or_else(|| panic!("no line starts `Raw HTML block`"));
    let raw_bold = runs
        .iter()
        .find(|r| r.text.trim() == "bold" && r.y == raw_line.y)
        .unwrap_or_else(|| {
            let line: Vec<&str> = runs
                .iter()
                .filter(|r| r.y == raw_line.y)
                .map(|r| r.text.as_str())
                .collect();
            panic!("no run `bold` on the raw HTML's line: {line:?}")
        });
    assert_eq!(raw_bold.font, markdown_bold, "raw <b> is bold");
    assert_ne!(raw_line.font, markdown_bold, "the text around it is not");

    // Entities are characters.
    assert!(text.contains("entity—and"), "{text}");
    assert!(
        !text.contains("&mdash;") && !text.contains("&nbsp;"),
        "{text}"
    );

    // Nothing of the script, the frame or the handlers reaches the page.
    for never in [
        "document.write",
        "thismustneverappear",
        "alert(",
        "example.org/frame",
    ] {
        assert!(!text.contains(never), "{never:?} is printed");
    }
    // An image inside a line prints its alt text, as a Markdown one does.
    assert!(text.contains("aninlinerawimage"), "{text}");

    // No `javascript:` (or other non-web) link becomes an annotation.
    for page in &doc.pages {
        for item in &page.items {
            if let Item::Link {
                target: LinkTarget::Url(url),
                ..
            } = item
            {
                assert!(
                    url.starts_with("https://")
                        || url.starts_with("http://")
                        || url.starts_with("mailto:"),
                    "a link annotation to {url}"
                );
            }
        }
    }
}

#[test]
fn the_hostile_fixtures_scripts_styles_and_bad_links_never_reach_the_page() {
    let doc = typeset_fixture("epub-hostile");
    let runs = runs(&doc);
    let text: String = runs.iter().map(|r| r.text.as_str()).collect();
    for never in ["alert(", "body{color:red}", "javascript:", "cdata"] {
        assert!(!text.contains(never), "{never:?} is printed");
    }
    assert!(text.contains("neverclosed,then"), "{text}");
    for page in &doc.pages {
        for item in &page.items {
            if let Item::Link {
                target: LinkTarget::Url(url),
                ..
            } = item
            {
                assert!(!url.to_ascii_lowercase().contains("javascript"), "{url}");
            }
        }
    }
}
