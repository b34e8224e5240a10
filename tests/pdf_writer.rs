//! The PDF writer on a hand-built two-page `Document`: text extraction (ligatures, break
//! hyphens, fallback script), embedded subset fonts, page boxes, labels, links, anchors,
//! outline, metadata, image pass-through and byte-for-byte determinism. Checked with poppler's
//! `pdftotext`, `pdfinfo` and `pdffonts`, qpdf, and by reading the bytes.

mod common;

use std::path::Path;
use std::sync::Arc;

use bindery::model::ImageFormat;
use bindery::pdf::{write_pdf, PdfOptions};
use bindery::typeset::font::{FontSet, Role};
use bindery::typeset::frame::{
    Document, Glyph, GlyphRun, ImageData, Item, LinkTarget, Metadata, OutlineEntry, Page,
    PageLabel, Rect,
};

/// 1 inch in pt.
const INCH: f32 = 72.0;
/// Trim size: 6 × 9 in.
const TRIM_W: f32 = 6.0 * INCH;
const TRIM_H: f32 = 9.0 * INCH;
/// Bleed on the outside edge and the top, in pt (0.125 in).
const BLEED: f32 = 9.0;
/// A deliberately different bleed at the foot, so that a flipped y axis shows in the boxes.
const BLEED_FOOT: f32 = 13.0;
/// Body size and leading, pt.
const SIZE: f32 = 11.0;
const LEADING: f32 = 14.0;
/// 2026-11-25T06:00:00Z.
const EPOCH: i64 = 1_795_586_400;

/// Sets `text` in `face` without shaping: cmap glyphs, font advances, and the `fi`/`fl`
/// ligatures substituted by name. Each glyph's text range is its cluster. Spaces are left out
/// (the gap remains), as the typesetter does between words.
fn set(fonts: &FontSet, face: usize, text: &str, x: f32, y: f32, size: f32) -> GlyphRun {
    let f = &fonts.faces[face];
    let mut glyphs = Vec::new();
    let mut pen = 0.0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let next = chars.get(i + 1).map(|&(_, n)| n);
        let ligature = match (c, next) {
            ('f', Some('i')) => f.glyph_named("f_i"),
            ('f', Some('l')) => f.glyph_named("f_l"),
            _ => None,
        };
        let (id, len) = match ligature {
            Some(id) => (id, 2),
            None => (f.glyph_id(c).expect("test text is covered by its face"), 1),
        };
        let end = chars.get(i + len).map_or(text.len(), |&(s, _)| s);
        let advance = f.advance(id).expect("glyph has an advance") * size;
        if c != ' ' {
            glyphs.push(Glyph {
                id,
                x_advance: advance,
                x_offset: 0.0,
                y_offset: 0.0,
                text: start as u32..end as u32,
            });
        } else if let Some(last) = glyphs.last_mut() {
            // The space's width goes to the glyph before it.
            last.x_advance += advance;
        }
        pen += advance;
        i += len;
    }
    let _ = pen;
    GlyphRun {
        font: fonts.font_id(face),
        size,
        x,
        y,
        glyphs: glyphs.into(),
        text: text.to_string(),
        color: [0.0, 0.0, 0.0],
        scale_x: 1.0,
        lang: None,
        rtl: false,
    }
}

/// A tiny JPEG made with the `image` crate.
fn jpeg_bytes() -> Vec<u8> {
    let img = image::RgbImage::from_fn(8, 8, |x, y| {
        image::Rgb([(x * 30) as u8, (y * 30) as u8, 128])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// A tiny PNG made with the `image` crate.
fn png_bytes() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(4, 4, |x, _| image::Rgba([255, 0, (x * 60) as u8, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A recto page with bleed on the outside edge, the top and (more) the foot.
fn page(label: PageLabel, items: Vec<Item>) -> Page {
    Page {
        width: TRIM_W + BLEED,
        height: TRIM_H + BLEED + BLEED_FOOT,
        trim_box: Rect {
            x: 0.0,
            y: BLEED,
            width: TRIM_W,
            height: TRIM_H,
        },
        bleed_box: Some(Rect {
            x: 0.0,
            y: 0.0,
            width: TRIM_W + BLEED,
            height: TRIM_H + BLEED + BLEED_FOOT,
        }),
        label,
        items,
    }
}

fn sample() -> Document {
    let fonts = FontSet::builtin();
    let regular = fonts.face(Role::Regular);
    let bold = fonts.face(Role::Bold);
    let khmer = fonts
        .face_for_cluster(regular, "ខ")
        .expect("a fallback covers Khmer");
    let left = 54.0;
    let top = BLEED + 72.0;

    let contents = vec![
        Item::Glyphs(set(&fonts, bold, "Contents", left, top, 14.0)),
        Item::Glyphs(set(
            &fonts,
            regular,
            "Chapter One",
            left,
            top + 2.0 * LEADING,
            SIZE,
        )),
        // The whole entry links to the chapter's anchor.
        Item::Link {
            rect: Rect {
                x: left,
                y: top + LEADING,
                width: 120.0,
                height: LEADING,
            },
            target: LinkTarget::Anchor("ch-1".into()),
        },
        Item::Glyphs(set(
            &fonts,
            regular,
            "Website",
            left,
            top + 4.0 * LEADING,
            SIZE,
        )),
        Item::Link {
            rect: Rect {
                x: left,
                y: top + 3.0 * LEADING,
                width: 60.0,
                height: LEADING,
            },
            target: LinkTarget::Url("https://example.org/bindery".into()),
        },
    ];

    let body = vec![
        Item::Anchor {
            name: "ch-1".into(),
            x: left,
            y: top - 12.0,
        },
        Item::Glyphs(set(&fonts, bold, "Chapter One", left, top, 16.0)),
        Item::Rule {
            x: left,
            y: top + 6.0,
            width: 200.0,
            thickness: 0.5,
        },
        Item::Glyphs(set(
            &fonts,
            regular,
            "The fine flowers of",
            left,
            top + 2.0 * LEADING,
            SIZE,
        )),
        // A line broken inside "hyphenation": the break hyphen is a glyph whose text is "-".
        Item::Glyphs(set(
            &fonts,
            regular,
            "typographic hyphen-",
            left,
            top + 3.0 * LEADING,
            SIZE,
        )),
        Item::Glyphs(set(
            &fonts,
            regular,
            "ation endure.",
            left,
            top + 4.0 * LEADING,
            SIZE,
        )),
        Item::Glyphs(set(&fonts, khmer, "ខ្មែរ", left, top + 5.0 * LEADING, SIZE)),
        Item::Glyphs(set(
            &fonts,
            bold,
            "A Section",
            left,
            top + 6.0 * LEADING + 12.0,
            SIZE,
        )),
        Item::Anchor {
            name: "sec-1".into(),
            x: left,
            y: top + 6.0 * LEADING,
        },
        Item::Image {
            image: 0,
            rect: Rect {
                x: left,
                y: top + 8.0 * LEADING,
                width: 36.0,
                height: 36.0,
            },
        },
        Item::Image {
            image: 1,
            rect: Rect {
                x: left + 50.0,
                y: top + 8.0 * LEADING,
                width: 18.0,
                height: 18.0,
            },
        },
    ];

    // One cluster ("é") drawn as two glyphs, base and combining accent, as a shaper does when
    // a font composes it from parts: both glyphs carry the cluster's range.
    let mut cafe = set(
        &fonts,
        regular,
        "cafe",
        left,
        top + 6.0 * LEADING + 30.0,
        SIZE,
    );
    cafe.text = "café".into();
    let accent = fonts.faces[regular]
        .glyph_id('\u{301}')
        .expect("combining acute");
    let glyphs = cafe.glyphs.to_mut();
    glyphs[3].text = 3..5;
    glyphs[3].x_advance = 0.0;
    glyphs.push(Glyph {
        id: accent,
        x_advance: 5.0,
        x_offset: -5.0,
        y_offset: 0.0,
        text: 3..5,
    });
    let mut body = body;
    body.push(Item::Glyphs(cafe));

    let jpeg = jpeg_bytes();
    let png = png_bytes();
    Document {
        pages: vec![
            page(PageLabel::Roman(1), contents),
            page(PageLabel::Arabic(1), body),
        ],
        fonts: fonts.font_data(),
        images: vec![
            ImageData {
                data: Arc::new(jpeg),
                format: ImageFormat::Jpeg,
                width: 8,
                height: 8,
            },
            ImageData {
                data: Arc::new(png),
                format: ImageFormat::Png,
                width: 4,
                height: 4,
            },
        ],
        outline: vec![
            OutlineEntry {
                title: "Contents".into(),
                page: 0,
                y: top,
                children: vec![],
            },
            OutlineEntry {
                title: "Chapter One".into(),
                page: 1,
                y: top - 12.0,
                children: vec![OutlineEntry {
                    title: "A Section".into(),
                    page: 1,
                    y: top + 6.0 * LEADING,
                    children: vec![],
                }],
            },
        ],
        metadata: Metadata {
            title: "A Test Book".into(),
            subtitle: None,
            authors: vec!["Ada Author".into(), "Ben Binder".into()],
            language: "en-GB".into(),
            description: Some("Checks the PDF writer".into()),
            publisher: None,
            date: None,
            keywords: vec!["typesetting".into(), "pdf".into()],
            digits: bindery::lang::Digits::LATIN,
        },
        structure: Default::default(),
    }
}

fn options() -> PdfOptions {
    PdfOptions {
        creation_date: Some(EPOCH),
        ..PdfOptions::default()
    }
}

/// Writes the sample to a temp file and returns (bytes, dir guard, path).
fn written() -> (Vec<u8>, tempfile::TempDir, std::path::PathBuf) {
    let bytes = write_pdf(&sample(), &options()).expect("the sample document is valid");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.pdf");
    std::fs::write(&path, &bytes).unwrap();
    (bytes, dir, path)
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn output_is_deterministic() {
    let a = write_pdf(&sample(), &options()).unwrap();
    let b = write_pdf(&sample(), &options()).unwrap();
    assert!(a.starts_with(b"%PDF-"));
    assert!(a == b, "two writes of the same document differ");
    // Without a SOURCE_DATE_EPOCH there is no date at all (never the clock).
    let undated = write_pdf(&sample(), &PdfOptions::default()).unwrap();
    assert!(!contains(&undated, b"/CreationDate"));
    assert!(contains(&a, b"/CreationDate(D:20261125060000Z)"));
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn jpeg_is_passed_through_and_interpolation_is_off() {
    let (bytes, _dir, _) = written();
    let jpeg = jpeg_bytes();
    assert!(
        contains(&bytes, &jpeg),
        "the JPEG is not embedded byte for byte"
    );
    assert!(contains(&bytes, b"/DCTDecode"));
    assert!(!contains(&bytes, b"/Interpolate true"));
}

#[test]
fn text_extracts_with_ligatures_hyphens_and_fallback() {
    let Some(pdftotext) = common::tool("pdftotext") else {
        return;
    };
    let (_, _dir, path) = written();
    let text = common::run(&pdftotext, &[path_str(&path), "-"]);
    for words in [
        "Contents",
        "Chapter One",
        "Website",
        "The fine flowers of",
        "ation endure.",
        "café",
        "ខ្មែរ",
    ] {
        assert!(
            text.contains(words),
            "`{words}` missing from pdftotext output:\n{text}"
        );
    }
    // The two-glyph cluster extracts once, as the precomposed text of its range.
    assert!(text.contains("\ncafé\n"), "{text:?}");
    // pdftotext's default mode rejoins a word broken by a line-end hyphen-minus...
    assert!(text.contains("typographic hyphenation endure."), "{text:?}");
    // ...and its raw mode keeps the hyphen at the line end, as printed.
    let raw = common::run(&pdftotext, &["-raw", path_str(&path), "-"]);
    assert!(
        raw.contains("typographic hyphen-\nation endure."),
        "{raw:?}"
    );
}

#[test]
fn fonts_are_embedded_and_subset() {
    let Some(pdffonts) = common::tool("pdffonts") else {
        return;
    };
    let (_, _dir, path) = written();
    let table = common::run(&pdffonts, &[path_str(&path)]);
    let rows = common::pdffonts_rows(&table);
    // Libertinus Regular and Bold and Noto Serif Khmer; the other built-in faces are unused.
    assert_eq!(rows.len(), 3, "{table}");
    for row in &rows {
        assert!(
            row.embedded && row.subset,
            "not embedded and subset: {row:?}"
        );
        // Subset fonts are named with a six-letter tag, e.g. ABCDEF+LibertinusSerif-Regular.
        assert_eq!(row.name.find('+'), Some(6), "{row:?}");
    }
    assert!(table.contains("LibertinusSerif-Regular"));
    assert!(table.contains("LibertinusSerif-Bold"));
    assert!(table.contains("NotoSerifKhmer"));
}

#[test]
fn trim_and_bleed_boxes_are_in_pdf_user_space() {
    let Some(pdfinfo) = common::tool("pdfinfo") else {
        return;
    };
    let (_, _dir, path) = written();
    let info = common::run(&pdfinfo, &["-box", "-f", "1", "-l", "2", path_str(&path)]);
    // PDF user space has its origin at the bottom left: the trim box starts BLEED_FOOT above
    // the bottom edge.
    let (w, h) = (TRIM_W + BLEED, TRIM_H + BLEED + BLEED_FOOT);
    for page in 1..=2 {
        let line = |name: &str| {
            info.lines()
                .find(|l| l.starts_with(&format!("Page    {page} {name}")))
                .unwrap_or_else(|| panic!("no {name} for page {page}:\n{info}"))
                .split_whitespace()
                .skip(3)
                .map(|v| v.parse::<f32>().unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(line("MediaBox:"), vec![0.0, 0.0, w, h]);
        assert_eq!(
            line("TrimBox:"),
            vec![0.0, BLEED_FOOT, TRIM_W, BLEED_FOOT + TRIM_H]
        );
        assert_eq!(line("BleedBox:"), vec![0.0, 0.0, w, h]);
    }
    assert!(info.contains("Title:           A Test Book"), "{info}");
    assert!(
        info.contains("Author:          Ada Author, Ben Binder"),
        "{info}"
    );
    assert!(
        info.contains("Subject:         Checks the PDF writer"),
        "{info}"
    );
    assert!(info.contains("Keywords:        typesetting, pdf"), "{info}");
    assert!(info.contains("Pages:           2"), "{info}");
}

#[test]
fn labels_outline_links_and_destinations() {
    let Some(qpdf) = common::tool("qpdf") else {
        return;
    };
    let (_, _dir, path) = written();
    let json: serde_json::Value =
        serde_json::from_str(&common::run(&qpdf, &["--json", path_str(&path)])).unwrap();

    let labels: Vec<(i64, String, i64)> = json["pagelabels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["index"].as_i64().unwrap(),
                l["label"]["/S"].as_str().unwrap().to_string(),
                l["label"]["/St"].as_i64().unwrap_or(1),
            )
        })
        .collect();
    assert_eq!(
        labels,
        vec![(0, "/r".to_string(), 1), (1, "/D".to_string(), 1)]
    );

    let outlines = json["outlines"].as_array().unwrap();
    let titles: Vec<&str> = outlines
        .iter()
        .map(|o| o["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Contents", "Chapter One"]);
    assert_eq!(outlines[1]["kids"][0]["title"], "A Section");
    assert_eq!(outlines[1]["destpageposfrom1"], 2);

    let bytes = std::fs::read(&path).unwrap();
    // Named destinations for both anchors, a GoTo to the chapter, a URI action.
    assert!(contains(&bytes, b"(ch-1)"));
    assert!(contains(&bytes, b"(sec-1)"));
    assert!(contains(
        &bytes,
        b"/Subtype/Link/Rect[54 561 174 575]/Border[0 0 0]/Dest(ch-1)"
    ));
    assert!(contains(&bytes, b"/URI(https://example.org/bindery)"));
}

/// `pdffonts` rows are read by column: a font that is not embedded (`no yes yes`) is not taken
/// for an embedded one, as a search for " yes yes " would.
#[test]
fn pdffonts_rows_are_read_by_column() {
    let table = "name                                 type              encoding         emb sub uni object ID\n\
                 ------------------------------------ ----------------- ---------------- --- --- --- ---------\n\
                 ABCDEF+LibertinusSerif-Regular       CID Type 0C (OT)  Identity-H       no  yes yes     12  0\n\
                 GHIJKL+NotoSerifKhmer-Regular        CID TrueType      Identity-H       yes yes no      14  0\n";
    let rows = common::pdffonts_rows(table);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].name, "ABCDEF+LibertinusSerif-Regular");
    assert!(
        !rows[0].embedded && rows[0].subset && rows[0].unicode,
        "{:?}",
        rows[0]
    );
    assert!(
        rows[1].embedded && rows[1].subset && !rows[1].unicode,
        "{:?}",
        rows[1]
    );
}
