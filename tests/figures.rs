//! Figures and cross-references in both editions (issue 11), on `tests/fixtures/figures`:
//! numbered captions, the caption rule, `{width=…}`, and every reference's text in the EPUB's
//! XHTML and in the PDF (read back with `pdftotext`).

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The text of `name` inside the EPUB at `path`.
fn epub_file(path: &Path, name: &str) -> String {
    let bytes = std::fs::read(path).expect("read epub");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut f = zip
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the EPUB"));
    let mut s = String::new();
    f.read_to_string(&mut s).expect("UTF-8");
    s
}

/// Every `<a class="xref" href="…">text</a>` of an XHTML file: (href, text).
fn xrefs(xhtml: &str) -> Vec<(String, String)> {
    xhtml
        .split("<a class=\"xref\" href=\"")
        .skip(1)
        .map(|rest| {
            let (href, after) = rest.split_once("\">").expect("an href");
            let (text, _) = after.split_once("</a>").expect("a closing tag");
            (href.to_string(), text.replace('\u{a0}', " "))
        })
        .collect()
}

#[test]
fn the_epub_numbers_figures_and_links_every_reference() {
    let out = tempfile::tempdir().expect("temp dir");
    let epub = common::build_edition("epub", &fixture("figures"), out.path());
    let one = epub_file(&epub, "OEBPS/ch-01-maps.xhtml");
    let two = epub_file(&epub, "OEBPS/ch-02-counts.xhtml");
    assert_eq!(
        xrefs(&one),
        [
            ("#fig_3achart", "Figure 1.1"),
            ("#fig_3afield", "Figure 1.2"),
            ("#fig_3achart", "Figures 1.1 and 1.2"),
            ("ch-02-counts.xhtml#sec_3acounting", "Counting Rivers"),
            ("#sec_3amaps", "Maps"),
        ]
        .map(|(h, t)| (h.to_string(), t.to_string()))
    );
    assert_eq!(
        xrefs(&two),
        [
            ("#fig_3aagain", "Figure 2.1"),
            ("ch-01-maps.xhtml#fig_3achart", "Figure 1.1"),
            ("ch-01-maps.xhtml#sec_3areading", "Reading a Map"),
            ("#tbl_3arivers", "Table 2.1"),
            ("ch-01-maps.xhtml#fig_3achart", "Figure 1.1"),
        ]
        .map(|(h, t)| (h.to_string(), t.to_string()))
    );
    // An e-mail address and `@name` stay text.
    assert!(one.contains("Write to\nriver@fig:example.org or to @someone, and neither"));
    // Captions: the title, else the bracketed text; the alt from `{alt=…}`; the width as CSS;
    // no caption and no number for a figure with neither.
    assert!(one.contains(
        "<figure class=\"image\" id=\"fig_3achart\"><img src=\"images/diagram.png\" \
         alt=\"A bar chart of three river lengths\"/><figcaption><span class=\"figure-number\">\
         Figure\u{a0}1.1.</span> Three rivers, measured</figcaption></figure>"
    ));
    assert!(one.contains(
        "<figure class=\"image\" id=\"fig_3afield\"><img src=\"images/field.jpg\" \
         alt=\"A flooded field with young rice plants in rows\" style=\"width: 60%\"/>\
         <figcaption><span class=\"figure-number\">Figure\u{a0}1.2.</span> Rows of young rice \
         under a pale sky</figcaption></figure>"
    ));
    assert!(one.contains("<figure class=\"image\"><img src=\"images/diagram.png\" alt=\"\"/></figure>"));
    assert!(two.contains("<span class=\"figure-number\">Figure\u{a0}2.1.</span> The same chart, drawn again"));
    // Tables are numbered from the same place, after their own count.
    assert!(two.contains(
        "<table id=\"tbl_3arivers\">\n<caption><span class=\"table-number\">Table\u{a0}2.1.</span> \
         Three rivers and their lengths</caption>"
    ));
}

/// The PDF's text, page by page (`pdftotext`, form feeds between pages), spaces normalised.
fn pdf_pages(pdf: &Path) -> Option<Vec<String>> {
    let pdftotext = common::tool("pdftotext")?;
    let text = common::run(&pdftotext, &[pdf.to_str()?, "-"]);
    Some(
        text.split('\u{c}')
            .map(|p| {
                p.replace('\u{a0}', " ")
                    .replace("-\n", "")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect(),
    )
}

#[test]
fn the_pdf_prints_the_same_numbers_and_references() {
    let out = tempfile::tempdir().expect("temp dir");
    let pdf = common::build_edition("pdf", &fixture("figures"), out.path());
    let Some(pages) = pdf_pages(&pdf) else {
        return;
    };
    let all = pages.join(" ");
    for expected in [
        "A map shows rivers as lines; Figure 1.1 compares three of them, and Figure 1.2 shows the land they water.",
        "Both figures are discussed again in Figures 1.1 and 1.2.",
        "Write to river@fig:example.org or to @someone, and neither becomes a reference.",
        "Figure 1.1. Three rivers, measured",
        "Figure 1.2. Rows of young rice under a pale sky",
        "The next chapter, Counting Rivers, counts what the maps show, and this one is Maps.",
        "Figure 2.1 repeats the chart from Figure 1.1, and Reading a Map says how to read it.",
        "Figure 2.1. The same chart, drawn again",
        "Table 2.1 lists the rivers of Figure 1.1 by length.",
        "Table 2.1. Three rivers and their lengths",
    ] {
        assert!(all.contains(expected), "`{expected}` is not in the PDF:\n{all}");
    }
}
