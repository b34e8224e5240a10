//! Figures and cross-references in both editions (issue 11), on `tests/fixtures/figures`:
//! numbered captions, the caption rule, `{width=…}`, and every reference's text in the EPUB's
//! XHTML and in the PDF (read back with `pdftotext`).

mod common;

use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
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
    let one = common::epub_entry(&epub, "OEBPS/ch-01-maps.xhtml");
    let two = common::epub_entry(&epub, "OEBPS/ch-02-counts.xhtml");
    assert_eq!(
        xrefs(&one),
        [
            ("#fig_3achart", "Figure 1.1"),
            ("#fig_3afield", "Figure 1.2"),
            ("#fig_3achart", "Figures 1.1 and 1.2"),
            ("ch-02-counts.xhtml#sec_3acounting", "Counting Rivers"),
            ("#sec_3amaps", "Maps"),
            ("#fig_3afield", "Figure 1.2"),
            ("#fig_3achart", "Figure 1.1"),
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
    assert!(
        one.contains("<figure class=\"image\"><img src=\"images/diagram.png\" alt=\"\"/></figure>")
    );
    assert!(two.contains(
        "<span class=\"figure-number\">Figure\u{a0}2.1.</span> The same chart, drawn again"
    ));
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

/// The fixture with `pdf: { page_references: true }`, in a temporary folder.
fn with_page_references() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    common::copy_dir(&fixture("figures"), dir.path());
    let yaml = dir.path().join("book.yaml");
    let text = std::fs::read_to_string(&yaml).expect("book.yaml");
    std::fs::write(&yaml, format!("{text}pdf:\n  page_references: true\n")).expect("book.yaml");
    dir
}

/// What varioref says for a reference on body page `from` to a target on body page `to`
/// (rectos odd), written here independently of the typesetter.
fn expected_phrase(from: u32, to: u32) -> String {
    if from == to {
        String::new()
    } else if from / 2 == to / 2 {
        " on the facing page".into()
    } else if to == from + 1 && from % 2 == 1 {
        " on the next page".into()
    } else {
        format!(" on page {to}")
    }
}

/// Every page reference of the generated book against where its target really landed: the
/// reference's page and phrase, and its figure's or table's caption's page, read back from the
/// PDF with `pdftotext`, page by page.
#[test]
fn page_references_name_the_page_their_target_landed_on() {
    let book = with_page_references();
    let mut pipeline = bindery::pipeline::Pipeline::load(book.path());
    assert!(!pipeline.check().iter().any(|d| d.is_error()));
    let typeset = pipeline.typeset(None, 1).expect("typesets");
    let labels: Vec<Option<u32>> = typeset
        .document
        .pages
        .iter()
        .map(|p| match p.label {
            bindery::typeset::frame::PageLabel::Arabic(n) => Some(n),
            bindery::typeset::frame::PageLabel::Roman(_) => None,
        })
        .collect();
    let bytes = pipeline.pdf(typeset, None).expect("a PDF");
    let pdf = book.path().join("book.pdf");
    std::fs::write(&pdf, bytes).expect("written");
    let Some(pages) = pdf_pages(&pdf) else {
        return;
    };
    // Where each caption is: "Figure 1.2. " → body page.
    let names = [
        "Figure 1.1",
        "Figure 1.2",
        "Figure 2.1",
        "Figure 3.1",
        "Figure 3.2",
        "Table 2.1",
    ];
    let caption_page = |name: &str| {
        pages
            .iter()
            .zip(&labels)
            .find(|(text, _)| text.contains(&format!("{name}. ")))
            .and_then(|(_, l)| *l)
            .unwrap_or_else(|| panic!("no caption {name}"))
    };
    let mut checked = 0;
    let mut explicit_ones = 0;
    let mut phrases = std::collections::BTreeSet::new();
    for (text, label) in pages.iter().zip(&labels) {
        let Some(from) = *label else { continue };
        for name in names {
            for (at, _) in text.match_indices(name) {
                let rest = &text[at + name.len()..];
                // A caption ("Figure 1.2. Rows…") or a list ("Figures 1.1 and 1.2") is not
                // a single reference.
                if rest.starts_with('.') || text[..at].ends_with("and ") {
                    continue;
                }
                let to = caption_page(name);
                let expected = expected_phrase(from, to);
                let said = ["on the facing page", "on the next page"]
                    .iter()
                    .find(|p| rest.starts_with(&format!(" {p}")))
                    .map(|p| format!(" {p}"))
                    .or_else(|| {
                        let n: String = rest
                            .strip_prefix(" on page ")?
                            .chars()
                            .take_while(char::is_ascii_digit)
                            .collect();
                        Some(format!(" on page {n}"))
                    })
                    .unwrap_or_default();
                // A reference whose varioref phrase would never settle names the page by
                // number, which is true wherever its target is.
                let explicit = format!(" on page {to}");
                assert!(
                    said == expected || said == explicit,
                    "`{name}` on page {from} says `{said}`, its caption is on page {to}: {text}"
                );
                if said == expected {
                    phrases.insert(expected);
                } else {
                    explicit_ones += 1;
                }
                checked += 1;
            }
        }
    }
    // The fixture has references on the same page, on the facing page, overleaf and far
    // away, each said as varioref says it.
    assert!(checked >= 9, "{checked} references checked");
    let kinds: Vec<String> = phrases
        .iter()
        .map(|p| {
            if p.starts_with(" on page ") {
                " on page N".to_string()
            } else {
                p.clone()
            }
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        kinds,
        ["", " on page N", " on the facing page", " on the next page"],
        "{phrases:?}"
    );
    assert!(
        explicit_ones <= 1,
        "{explicit_ones} references fell back to a page number"
    );
}

/// Issue 11's first case: in `tests/fixtures/full`, the rice photograph did not fit below the
/// text of its page and took the rest of the chapter with it to the next page, leaving two
/// thirds of the page empty. Now it heads the next page and the text after it stays behind.
#[test]
fn the_full_fixtures_rice_photograph_heads_the_page_after_its_text() {
    let mut pipeline = bindery::pipeline::Pipeline::load(&fixture("full"));
    assert!(!pipeline.check().iter().any(|d| d.is_error()));
    let typeset = pipeline.typeset(None, 1).expect("typesets");
    let book = pipeline.book().expect("a book");
    let field = book
        .assets
        .iter()
        .position(|a| a.name.ends_with("field.jpg"))
        .expect("the photograph");
    let geometry = bindery::typeset::page::PageGeometry::from_config(&book.config.pdf);
    let (at, top) = typeset
        .document
        .pages
        .iter()
        .enumerate()
        .find_map(|(k, p)| {
            p.items.iter().find_map(|i| match i {
                bindery::typeset::frame::Item::Image { image, rect } if *image == field => {
                    Some((k, rect.y))
                }
                _ => None,
            })
        })
        .expect("the photograph is placed");
    // At the head of the text block (its slot is centred on whole lines: within a line).
    let leading = book.config.pdf.leading;
    assert!(
        top >= geometry.text_top() - 0.01 && top < geometry.text_top() + leading,
        "the photograph's top is at {top}, the text block's at {}",
        geometry.text_top()
    );
    let Some(pages) = pdf_pages(&common::build_edition(
        "pdf",
        &fixture("full"),
        tempfile::tempdir().expect("temp dir").path(),
    )) else {
        return;
    };
    // The page before holds the chapter's text from before the photograph to its end.
    let before = &pages[at - 1];
    for words in [
        "Planting starts when the rains come.",
        "Raw HTML block",
        "Thresh it.",
    ] {
        assert!(
            before.contains(words),
            "`{words}` is not on the page before: {before}"
        );
    }
    assert!(pages[at].contains("Figure 2. Rows of young rice under a pale sky"));
    assert!(!pages[at].contains("Thresh it."));
}

/// The issue's case of turning: a figure taller than the text block at its natural size and
/// wider than high (4000 × 2500 px, a 300 dpi scan 13.3 in wide: 41.7 in at 96 px to the inch)
/// is turned a quarter onto a page of its own, its caption turned with it; the same image
/// given a width stays upright where it stands.
#[test]
fn a_wide_figure_taller_than_the_block_turns_onto_its_own_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("manuscript")).expect("mkdir");
    std::fs::write(
        dir.path().join("book.yaml"),
        "title: Turned\nauthor: A\nlanguage: en\n",
    )
    .expect("book.yaml");
    let (w, h) = (4000u32, 2500u32);
    let file = std::fs::File::create(dir.path().join("scan.png")).expect("create");
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    encoder.set_color(png::ColorType::Grayscale);
    let mut writer = encoder.write_header().expect("header");
    writer
        .write_image_data(&vec![200u8; (w * h) as usize])
        .expect("pixels");
    writer.finish().expect("PNG written");
    std::fs::write(
        dir.path().join("manuscript/01-scan.md"),
        "# Scan\n\nThe scan follows.\n\n![A scanned map of the delta](../scan.png)\n\n\
         The text goes on after it.\n\n![The same scan, narrower](../scan.png){width=80%}\n\n\
         And ends.\n",
    )
    .expect("md");
    let mut pipeline = bindery::pipeline::Pipeline::load(dir.path());
    assert!(!pipeline.check().iter().any(|d| d.is_error()));
    let typeset = pipeline.typeset(None, 1).expect("typesets");
    use bindery::typeset::frame::Item;
    let pages = &typeset.document.pages;
    let turned: Vec<usize> = (0..pages.len())
        .filter(|&k| {
            pages[k]
                .items
                .iter()
                .any(|i| matches!(i, Item::TurnedImage { .. }))
        })
        .collect();
    assert_eq!(turned.len(), 1, "one figure turned");
    let page = &pages[turned[0]];
    // Alone on its page: no upright text but the running head and folio (artifacts above
    // the block), its caption turned.
    let upright: Vec<&str> = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs(run) => Some(run.text.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        !upright
            .iter()
            .any(|t| t.contains("text") || t.contains("scan")),
        "{upright:?}"
    );
    let turned_text: String = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Turned(run) => Some(run.text.clone()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .concat();
    assert!(
        turned_text.contains("Ascannedmapofthedelta"),
        "{turned_text}"
    );
    // Turned, the image runs down the block, 1.46 times as long as across the measure.
    let geometry = bindery::typeset::page::PageGeometry::from_config(
        &pipeline.book().expect("a book").config.pdf,
    );
    let rect = page
        .items
        .iter()
        .find_map(|i| match i {
            Item::TurnedImage { rect, .. } => Some(*rect),
            _ => None,
        })
        .expect("the turned image");
    let long_side = rect.width.max(rect.height);
    assert!(
        long_side >= 1.4 * geometry.measure,
        "{long_side} pt against a {} pt measure",
        geometry.measure
    );
    // The narrower one, given a width, is upright.
    let upright_images = pages
        .iter()
        .flat_map(|p| &p.items)
        .filter(|i| matches!(i, Item::Image { .. }))
        .count();
    assert_eq!(upright_images, 1);
}

/// An SVG drawing is a figure like a PNG: the EPUB carries it as `image/svg+xml` in usvg's
/// normal form (its label outlined, its script gone), and the PDF draws it as vectors at its
/// natural size (96 CSS pixels to the inch), read back by rendering the page. It is never
/// below print resolution (no W0502), and it cannot be the cover.
#[test]
fn an_svg_drawing_is_vectors_in_the_pdf_and_svg_in_the_epub() {
    const DRAWING: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" \
        height=\"100\"><script>alert(1)</script>\
        <rect x=\"10\" y=\"10\" width=\"80\" height=\"80\" fill=\"#cc0000\"/>\
        <text x=\"100\" y=\"60\" font-family=\"Helvetica\" font-size=\"20\">Delta</text></svg>";
    let dir = tempfile::tempdir().expect("temp dir");
    common::write_book(
        dir.path(),
        "title: Drawn\nauthor: A\nlanguage: en\ncover: cover.png\n",
        &[
            (
                "manuscript/01-map.md",
                "# Map\n\nThe survey follows.\n\n![The delta's villages](map.svg)\n\nAnd ends.\n",
            ),
            ("manuscript/map.svg", DRAWING),
        ],
    );
    let mut pipeline = bindery::pipeline::Pipeline::load(dir.path());
    let findings: Vec<String> = pipeline
        .check()
        .iter()
        .map(|d| d.code.as_str().to_string())
        .collect();
    assert!(findings.is_empty(), "{findings:?}");

    let epub_path = dir.path().join("drawn.epub");
    let epub = pipeline
        .epub(&bindery::epub::EpubOptions::default())
        .expect("the EPUB");
    std::fs::write(&epub_path, epub).expect("written");
    let opf = common::epub_entry(&epub_path, "OEBPS/content.opf");
    assert!(
        opf.contains("href=\"images/map.svg\" media-type=\"image/svg+xml\"")
            || opf.contains(
                "media-type=\"image/svg+xml\" id=\"id_images_map.svg\" href=\"images/map.svg\""
            ),
        "{opf}"
    );
    let svg = common::epub_entry(&epub_path, "OEBPS/images/map.svg");
    assert!(
        svg.contains("<path") && !svg.contains("<script") && !svg.contains("<text"),
        "{svg}"
    );
    let chapter = common::epub_xhtml(&epub_path, "map");
    assert!(
        chapter.contains("<img src=\"images/map.svg\" alt=\"The delta’s villages\"/>"),
        "{chapter}"
    );

    let typeset = pipeline.typeset(None, 1).expect("typesets");
    use bindery::typeset::frame::Item;
    let doc = &typeset.document;
    let (page, rect) = doc
        .pages
        .iter()
        .enumerate()
        .find_map(|(k, p)| {
            p.items.iter().find_map(|i| match i {
                Item::Image { image, rect }
                    if doc.images[*image].format == bindery::model::ImageFormat::Svg =>
                {
                    Some((k, *rect))
                }
                _ => None,
            })
        })
        .expect("the drawing on a page");
    // 200 × 100 CSS pixels at 96 to the inch: 150 × 75 pt.
    assert!(
        (rect.width - 150.0).abs() < 0.01 && (rect.height - 75.0).abs() < 0.01,
        "{rect:?}"
    );
    let pdf = pipeline.pdf(typeset, None).expect("the PDF");
    let pdf_path = dir.path().join("drawn.pdf");
    std::fs::write(&pdf_path, pdf).expect("written");
    let Some(pdftoppm) = common::tool("pdftoppm") else {
        return;
    };
    let n = (page + 1).to_string();
    let out = dir.path().join("page");
    common::run(
        &pdftoppm,
        &[
            "-r",
            "72",
            "-f",
            &n,
            "-l",
            &n,
            "-png",
            "-singlefile",
            &pdf_path.to_string_lossy(),
            &out.to_string_lossy(),
        ],
    );
    let img = image::open(dir.path().join("page.png"))
        .expect("the render")
        .to_rgb8();
    // The square's centre, 50 px into the drawing across and down: 37.5 pt at 72 dpi.
    let at = |x: f32, y: f32| img.get_pixel(x.round() as u32, y.round() as u32).0;
    let [r, g, b] = at(rect.x + 37.5, rect.y + 37.5);
    assert!(
        r > 150 && g < 60 && b < 60,
        "the square is red: {:?}",
        (r, g, b)
    );
    // Outside the square and the label, paper.
    assert_eq!(at(rect.x + 140.0, rect.y + 70.0), [255, 255, 255]);
    // The label, outlined: some dark pixels right of the square.
    let dark = (0..60)
        .flat_map(|dx| (0..30).map(move |dy| (dx, dy)))
        .filter(|(dx, dy)| at(rect.x + 76.0 + *dx as f32, rect.y + 30.0 + *dy as f32)[0] < 100)
        .count();
    assert!(dark > 20, "{dark} dark pixels where the label is");

    // A drawing as the cover: refused, a cover must be pixels.
    assert_eq!(
        errors_with_cover(dir.path(), "manuscript/map.svg", "cover.svg"),
        ["the cover `cover.svg` is not a PNG or JPEG (an SVG drawing)"]
    );
}

/// A GIF (animated: two frames) and a WebP are figures like a PNG: each is converted, pixel for
/// pixel, to a PNG that both editions carry (the GIF's first frame), with W0510 at its link.
#[test]
fn a_gif_or_webp_figure_is_a_png_of_its_first_frame_in_both_editions() {
    use image::{AnimationDecoder as _, Rgba, RgbaImage};
    let frame = |colour: [u8; 4]| {
        let mut img = RgbaImage::from_pixel(300, 200, Rgba([255, 255, 255, 255]));
        for y in 50..150 {
            for x in 100..200 {
                img.put_pixel(x, y, Rgba(colour));
            }
        }
        img
    };
    let mut gif = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut gif);
        encoder
            .encode_frames(
                [frame([200, 30, 30, 255]), frame([30, 30, 200, 255])]
                    .into_iter()
                    .map(image::Frame::new),
            )
            .expect("a GIF");
    }
    let frames = image::codecs::gif::GifDecoder::new(std::io::Cursor::new(&gif))
        .expect("reads")
        .into_frames()
        .count();
    assert_eq!(frames, 2, "the test's GIF moves");
    let mut webp = Vec::new();
    image::DynamicImage::ImageRgba8(frame([30, 160, 60, 255]))
        .write_to(
            &mut std::io::Cursor::new(&mut webp),
            image::ImageFormat::WebP,
        )
        .expect("a WebP");
    let dir = tempfile::tempdir().expect("temp dir");
    common::write_book(
        dir.path(),
        "title: Pictures\nauthor: A\nlanguage: en\ncover: cover.png\n",
        &[
            (
                "manuscript/01-tide.md",
                &b"# Tide\n\nIt rises.\n\n![The tide](tide.gif)\n\nA field:\n\n![A field](field.webp)\n"[..],
            ),
            ("manuscript/tide.gif", &gif[..]),
            ("manuscript/field.webp", &webp[..]),
        ],
    );
    let mut pipeline = bindery::pipeline::Pipeline::load(dir.path());
    let converted: Vec<(String, String, usize)> = pipeline
        .check()
        .iter()
        .filter(|d| d.code.as_str() == "W0510")
        .map(|d| {
            let line = d.location.as_ref().map_or(0, |l| l.line);
            (d.message.clone(), d.help.clone().unwrap_or_default(), line)
        })
        .collect();
    assert_eq!(converted.len(), 2, "{converted:?}");
    assert_eq!(
        converted[0].0,
        "image `tide.gif` is an animated GIF; both editions show its first frame, as a PNG"
    );
    assert_eq!(converted[0].2, 5);
    assert_eq!(
        converted[1].0,
        "image `field.webp` is a WebP; both editions carry it as a PNG, pixel for pixel"
    );
    assert_eq!(converted[1].2, 9);

    // The EPUB: PNGs, linked as such, the GIF's first frame red.
    let epub_path = dir.path().join("pictures.epub");
    let epub = pipeline
        .epub(&bindery::epub::EpubOptions::default())
        .expect("the EPUB");
    std::fs::write(&epub_path, epub).expect("written");
    let chapter = common::epub_xhtml(&epub_path, "tide");
    assert!(
        chapter.contains("<img src=\"images/tide.png\" alt=\"The tide\"/>")
            && chapter.contains("<img src=\"images/field.png\" alt=\"A field\"/>"),
        "{chapter}"
    );
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(&epub_path).expect("open")).expect("a zip");
    let mut png = Vec::new();
    std::io::Read::read_to_end(
        &mut zip.by_name("OEBPS/images/tide.png").expect("the PNG"),
        &mut png,
    )
    .expect("read");
    let shown = image::load_from_memory_with_format(&png, image::ImageFormat::Png)
        .expect("a PNG")
        .to_rgba8();
    assert_eq!(shown.dimensions(), (300, 200));
    assert_eq!(
        shown.get_pixel(150, 100).0,
        [200, 30, 30, 255],
        "the first frame"
    );
    assert!(zip.by_name("OEBPS/images/tide.gif").is_err());
    let opf = common::epub_entry(&epub_path, "OEBPS/content.opf");
    assert!(
        !opf.contains("image/gif") && !opf.contains("image/webp"),
        "{opf}"
    );

    // The PDF: both pictures placed, as PNGs.
    let typeset = pipeline.typeset(None, 1).expect("typesets");
    use bindery::typeset::frame::Item;
    let doc = &typeset.document;
    let placed: Vec<image::RgbaImage> = doc
        .pages
        .iter()
        .flat_map(|p| p.items.iter())
        .filter_map(|i| match i {
            Item::Image { image, .. } => Some(&doc.images[*image]),
            _ => None,
        })
        .filter(|img| img.format == bindery::model::ImageFormat::Png && img.width == 300)
        .map(|img| {
            image::load_from_memory_with_format(&img.data, image::ImageFormat::Png)
                .expect("a PNG")
                .to_rgba8()
        })
        .collect();
    assert_eq!(placed.len(), 2);
    assert_eq!(placed[0].get_pixel(150, 100).0, [200, 30, 30, 255]);
    assert_eq!(placed[1].get_pixel(150, 100).0, [30, 160, 60, 255]);

    // A GIF cover is refused: the stores and print services take PNG or JPEG.
    assert_eq!(
        errors_with_cover(dir.path(), "manuscript/tide.gif", "cover.gif"),
        ["the cover `cover.gif` is not a PNG or JPEG (a GIF)"]
    );
}

/// The errors `check` finds in the book at `root` once the file `from` in it is copied to
/// `cover` and book.yaml names that as the cover.
fn errors_with_cover(root: &Path, from: &str, cover: &str) -> Vec<String> {
    std::fs::copy(root.join(from), root.join(cover)).expect("copy");
    std::fs::write(
        root.join("book.yaml"),
        format!("title: Covered\nauthor: A\nlanguage: en\ncover: {cover}\n"),
    )
    .expect("book.yaml");
    bindery::pipeline::Pipeline::load(root)
        .check()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect()
}
