//! The preflight: an interior (and a cover) checked against a service's [`Rules`]. The checks
//! run on [`Facts`], which come either from bindery's own typeset [`Document`] (exact glyph
//! boxes, [`Facts::from_document`]) or from any PDF ([`super::pdfread`], approximate glyph
//! boxes). Every finding is a [`Diagnostic`] with a fix; codes are listed in
//! `docs/print-on-demand.md`.

use super::{min_gutter, spine_width, Rules};
use crate::config::INCH;
use crate::diag::{Code, Diagnostic};
use crate::typeset::frame::{Document, Item, Rect};

/// Page count outside the service's range.
pub const E_PAGE_COUNT: Code = Code::E1001;
/// Trim size not offered by the service.
pub const E_TRIM: Code = Code::E1002;
/// Outside, top or bottom margin below the minimum.
pub const E_MARGIN: Code = Code::E1003;
/// Inside margin below the minimum for the page count.
pub const E_GUTTER: Code = Code::E1004;
/// A font not embedded.
pub const E_FONT: Code = Code::E1005;
/// An image below the resolution asked for, at its placed size.
pub const E_IMAGE_DPI: Code = Code::E1006;
/// Text outside the trim (cut off, or in the bleed).
pub const E_LIVE_AREA: Code = Code::E1007;
/// Something touches the trim on a file without bleed.
pub const E_NO_BLEED: Code = Code::E1008;
/// More blank pages in a row than allowed.
pub const E_BLANKS: Code = Code::E1009;
/// Bookmarks or annotations in a KDP interior.
pub const E_OUTLINE: Code = Code::E1012;
/// RGB in a black-and-white interior.
pub const E_RGB: Code = Code::E1013;
/// Cover width does not match the interior.
pub const E_COVER_WIDTH: Code = Code::E1014;

/// Lengths that differ by less than this are equal, pt (1/100 in: below a printer's tolerance,
/// above the rounding of PDF coordinates).
pub const TOLERANCE: f32 = 0.72;
/// A mark within this distance of the trim edge touches it, pt.
const TOUCH: f32 = 0.72;

/// An image as placed on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedImage {
    /// Where it lands, pt, top-left origin.
    pub rect: Rect,
    pub px_width: u32,
    pub px_height: u32,
}

/// What the preflight needs to know of one page. Rectangles in pt, top-left origin of the
/// MediaBox, y down.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageFacts {
    pub media: Rect,
    pub trim: Rect,
    /// The BleedBox, when it is larger than the trim.
    pub bleed: Option<Rect>,
    /// Boxes of text runs (from the baseline: ascender to descender).
    pub text: Vec<Rect>,
    /// Filled or stroked paths (rules, backgrounds).
    pub paths: Vec<Rect>,
    pub images: Vec<PlacedImage>,
    pub annotations: usize,
}

impl PageFacts {
    fn is_blank(&self) -> bool {
        self.text.is_empty() && self.paths.is_empty() && self.images.is_empty()
    }
}

/// A font of the file and whether its program is inside it.
#[derive(Debug, Clone, PartialEq)]
pub struct FontFacts {
    pub name: String,
    pub embedded: bool,
}

/// Everything checked, for a whole interior.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facts {
    /// Shown as the file of every finding.
    pub file: String,
    pub pages: Vec<PageFacts>,
    pub fonts: Vec<FontFacts>,
    pub has_outline: bool,
    /// Where RGB was found (a colour space, an image, a colour operator), for the message.
    pub rgb: Vec<String>,
}

/// A cover's size, for the width rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoverFacts {
    /// MediaBox (trim plus bleed) width and height, pt.
    pub width: f32,
    pub height: f32,
}

impl Facts {
    /// Facts of a typeset document: glyph boxes from each run's pen position, advance and size
    /// (the ascender at 0.8 em and the descender at 0.2 em, Libertinus' proportions rounded).
    /// The PDF-level facts (fonts, outline, annotations, colour) come from the written file:
    /// pass them in `pdf_facts` (from [`super::pdfread::read`]); its page boxes are ignored.
    pub fn from_document(doc: &Document, pdf_facts: Facts) -> Facts {
        let mut pages = Vec::with_capacity(doc.pages.len());
        for (index, page) in doc.pages.iter().enumerate() {
            let mut facts = PageFacts {
                media: Rect {
                    x: 0.0,
                    y: 0.0,
                    width: page.width,
                    height: page.height,
                },
                trim: page.trim_box,
                bleed: page
                    .bleed_box
                    .filter(|b| b.width > page.trim_box.width + TOLERANCE),
                annotations: pdf_facts.pages.get(index).map_or(0, |p| p.annotations),
                ..PageFacts::default()
            };
            for item in &page.items {
                match item {
                    Item::Glyphs(run) if !run.glyphs.is_empty() => facts.text.push(Rect {
                        x: run.x,
                        y: run.y - ASCENT * run.size,
                        width: run.width(),
                        height: (ASCENT + DESCENT) * run.size,
                    }),
                    Item::Turned(run) if !run.glyphs.is_empty() => facts.text.push(Rect {
                        x: run.x - DESCENT * run.size,
                        y: run.y,
                        width: (ASCENT + DESCENT) * run.size,
                        height: run.width(),
                    }),
                    Item::Rule {
                        x,
                        y,
                        width,
                        thickness,
                    } => facts.paths.push(Rect {
                        x: *x,
                        y: *y,
                        width: *width,
                        height: *thickness,
                    }),
                    Item::Image { image, rect } | Item::TurnedImage { image, rect } => {
                        let (mut px_width, mut px_height) = doc
                            .images
                            .get(*image)
                            .map_or((0, 0), |i| (i.width, i.height));
                        // A turned image's pixel rows run across the page.
                        if matches!(item, Item::TurnedImage { .. }) {
                            std::mem::swap(&mut px_width, &mut px_height);
                        }
                        facts.images.push(PlacedImage {
                            rect: *rect,
                            px_width,
                            px_height,
                        });
                    }
                    _ => {}
                }
            }
            pages.push(facts);
        }
        Facts {
            file: pdf_facts.file,
            pages,
            fonts: pdf_facts.fonts,
            has_outline: pdf_facts.has_outline,
            rgb: pdf_facts.rgb,
        }
    }
}

/// Ascender and descender as shares of the font size, for glyph boxes.
pub const ASCENT: f32 = 0.8;
pub const DESCENT: f32 = 0.2;

fn inches(pt: f32) -> String {
    format!("{:.3} in", pt / INCH)
}

/// Runs every rule of `rules` over the interior (and the cover, when given). `paper_inches` is
/// the paper thickness for the cover's spine.
pub fn check(
    rules: &Rules,
    interior: &Facts,
    cover: Option<(&CoverFacts, &str)>,
    paper_inches: f32,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let service = rules.service.name();
    let file = interior.file.as_str();
    let n = interior.pages.len();
    let err = |code: Code, msg: String, help: String| {
        Diagnostic::new(code, msg).in_file(file).with_help(help)
    };

    // Page count.
    if n < rules.min_pages || n > rules.max_pages {
        out.push(err(
            E_PAGE_COUNT,
            format!(
                "the interior has {n} pages; {service} prints {}–{} pages",
                rules.min_pages, rules.max_pages
            ),
            if n < rules.min_pages {
                "add pages (front matter, notes) or choose another format".to_string()
            } else {
                "split the book into volumes, or use a larger trim or a smaller type size"
                    .to_string()
            },
        ));
    }

    // Trim size, from the first page (every page's is checked to agree).
    if let Some(first) = interior.pages.first() {
        let (w, h) = (first.trim.width / INCH, first.trim.height / INCH);
        let offered = rules.trims.iter().any(|&(tw, th)| {
            (tw - w).abs() * INCH < TOLERANCE && (th - h).abs() * INCH < TOLERANCE
        });
        if !offered {
            out.push(err(
                E_TRIM,
                format!("the trim size {w:.3} × {h:.3} in is not one of {service}'s sizes"),
                format!(
                    "choose one of these trims (in bindery, `pdf: {{ trim: ... }}`): {}",
                    rules
                        .trims
                        .iter()
                        .map(|(w, h)| format!("{w}x{h}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if let Some((i, p)) = interior.pages.iter().enumerate().find(|(_, p)| {
            (p.trim.width - first.trim.width).abs() > TOLERANCE
                || (p.trim.height - first.trim.height).abs() > TOLERANCE
        }) {
            out.push(err(
                E_TRIM,
                format!(
                    "page {} is {} × {}, unlike page 1",
                    i + 1,
                    inches(p.trim.width),
                    inches(p.trim.height)
                ),
                "give every page the same TrimBox".to_string(),
            ));
        }
    }

    // Margins: the text's distance from each trim edge, the least over the interior.
    let gutter_min = min_gutter(rules, n);
    let mut worst_gutter: Option<(f32, usize)> = None;
    let mut worst_outside: Option<(f32, usize, &'static str, f32)> = None;
    for (i, page) in interior.pages.iter().enumerate() {
        let t = page.trim;
        let outside_min = if page.bleed.is_some() {
            rules.min_outside_bleed
        } else {
            rules.min_outside
        } * INCH;
        let recto = i % 2 == 0;
        for r in &page.text {
            let left = r.x - t.x;
            let right = t.x + t.width - (r.x + r.width);
            let top = r.y - t.y;
            let bottom = t.y + t.height - (r.y + r.height);
            let (inner, outer) = if recto { (left, right) } else { (right, left) };
            if inner < gutter_min - TOLERANCE && worst_gutter.is_none_or(|(g, _)| inner < g) {
                worst_gutter = Some((inner, i));
            }
            for (side, d) in [("outside", outer), ("top", top), ("bottom", bottom)] {
                if d < outside_min - TOLERANCE && worst_outside.is_none_or(|(w, _, _, _)| d < w) {
                    worst_outside = Some((d, i, side, outside_min));
                }
            }
        }
    }
    if let Some((g, i)) = worst_gutter {
        out.push(err(
            E_GUTTER,
            format!(
                "the inside margin is {} on page {}; {service} asks at least {} for {n} pages",
                inches(g.max(0.0)),
                i + 1,
                inches(gutter_min)
            ),
            format!(
                "widen the inside margin to {:.3} in; in bindery, set `pdf: {{ gutter: auto }}` (or `margins: {{ inner: {:.3}in }}`) in book.yaml",
                gutter_min / INCH,
                gutter_min / INCH
            ),
        ));
    }
    if let Some((d, i, side, min)) = worst_outside {
        out.push(err(
            E_MARGIN,
            format!(
                "the {side} margin is {} on page {}; {service} asks at least {}",
                inches(d.max(0.0)),
                i + 1,
                inches(min)
            ),
            format!(
                "widen the {side} margin to {:.3} in, running heads and folios included; in bindery, set `pdf: {{ margins: {{ {}: ... }} }}` in book.yaml",
                min / INCH,
                if side == "outside" { "outer" } else { side },
            ),
        ));
    }

    // Fonts.
    for font in interior.fonts.iter().filter(|f| !f.embedded) {
        out.push(err(
            E_FONT,
            format!("font `{}` is not embedded", font.name),
            "embed every font when exporting (bindery always does); in other tools, turn on \"embed all fonts\"".to_string(),
        ));
    }

    // Images.
    for (i, page) in interior.pages.iter().enumerate() {
        for image in &page.images {
            let (w, h) = (
                image.rect.width.abs() / INCH,
                image.rect.height.abs() / INCH,
            );
            if w <= 0.0 || h <= 0.0 {
                continue;
            }
            let dpi = (image.px_width as f32 / w).min(image.px_height as f32 / h);
            if dpi + 0.5 < rules.min_dpi {
                out.push(err(
                    E_IMAGE_DPI,
                    format!(
                        "an image on page {} prints at {dpi:.0} dpi ({} × {} px over {w:.2} × {h:.2} in)",
                        i + 1,
                        image.px_width,
                        image.px_height
                    ),
                    format!(
                        "use an image of at least {:.0} × {:.0} px, or print it smaller",
                        (w * rules.min_dpi).ceil(),
                        (h * rules.min_dpi).ceil()
                    ),
                ));
            }
        }
    }

    // Text outside the trim.
    for (i, page) in interior.pages.iter().enumerate() {
        let t = page.trim;
        if let Some(r) = page.text.iter().find(|r| {
            r.x < t.x - TOLERANCE
                || r.y < t.y - TOLERANCE
                || r.x + r.width > t.x + t.width + TOLERANCE
                || r.y + r.height > t.y + t.height + TOLERANCE
        }) {
            out.push(err(
                E_LIVE_AREA,
                format!(
                    "text on page {} runs outside the trim (at {:.3}, {:.3} in from the page's corner)",
                    i + 1,
                    r.x / INCH,
                    r.y / INCH
                ),
                "keep text inside the margins; only images and backgrounds may run into the bleed".to_string(),
            ));
        }
    }

    // Bleed when something touches the trim.
    for (i, page) in interior.pages.iter().enumerate() {
        if page.bleed.is_some() {
            continue;
        }
        let t = page.trim;
        let touches = |r: &Rect| {
            r.x <= t.x + TOUCH
                || r.y <= t.y + TOUCH
                || r.x + r.width >= t.x + t.width - TOUCH
                || r.y + r.height >= t.y + t.height - TOUCH
        };
        if page
            .images
            .iter()
            .map(|im| &im.rect)
            .chain(&page.paths)
            .any(touches)
        {
            out.push(err(
                E_NO_BLEED,
                format!("page {} has artwork touching the trim, but the file has no bleed", i + 1),
                "set `pdf: { bleed: true }` (0.125 in on every side), or keep artwork inside the margins".to_string(),
            ));
            break;
        }
    }

    // Blank pages in a row.
    let mut run = 0;
    for (i, page) in interior.pages.iter().enumerate() {
        run = if page.is_blank() { run + 1 } else { 0 };
        if run == rules.max_blank_run + 1 {
            out.push(err(
                E_BLANKS,
                format!(
                    "pages {}–{} are blank: {service} allows at most {} blank pages in a row",
                    i + 2 - run,
                    i + 1,
                    rules.max_blank_run
                ),
                "remove the empty pages, or put something on them (a note, \"This page intentionally left blank\")".to_string(),
            ));
        }
    }

    // Bookmarks and annotations.
    if !rules.allows_outline_and_links {
        let annotations: usize = interior.pages.iter().map(|p| p.annotations).sum();
        if interior.has_outline || annotations > 0 {
            out.push(err(
                E_OUTLINE,
                format!(
                    "the interior has {}{}{} ({service} rejects them in a print file)",
                    if interior.has_outline {
                        "bookmarks"
                    } else {
                        ""
                    },
                    if interior.has_outline && annotations > 0 {
                        " and "
                    } else {
                        ""
                    },
                    if annotations > 0 {
                        format!("{annotations} annotations")
                    } else {
                        String::new()
                    }
                ),
                "write the upload file with `bindery pdf --for kdp`".to_string(),
            ));
        }
    }

    // RGB in a black-and-white interior.
    if rules.grey_only && !interior.rgb.is_empty() {
        let mut seen = interior.rgb.clone();
        seen.sort();
        seen.dedup();
        out.push(err(
            E_RGB,
            format!(
                "the black-and-white interior uses RGB ({})",
                seen.into_iter().take(4).collect::<Vec<_>>().join(", ")
            ),
            "write the upload file with `bindery pdf --for ingramspark` (all DeviceGray)"
                .to_string(),
        ));
    }

    // The cover's width for this interior.
    if let (Some((cover, cover_file)), Some(first)) = (cover, interior.pages.first()) {
        let bleed = rules.bleed * INCH;
        let spine = spine_width(n, paper_inches);
        let want_w = 2.0 * first.trim.width + spine + 2.0 * bleed;
        let want_h = first.trim.height + 2.0 * bleed;
        if (cover.width - want_w).abs() > TOLERANCE || (cover.height - want_h).abs() > TOLERANCE {
            out.push(
                Diagnostic::new(
                    E_COVER_WIDTH,
                    format!(
                        "the cover is {} × {}; for {n} pages it must be {} × {} (2 × {} trim + {} spine + 2 × {} bleed)",
                        inches(cover.width),
                        inches(cover.height),
                        inches(want_w),
                        inches(want_h),
                        inches(first.trim.width),
                        inches(spine),
                        inches(bleed)
                    ),
                )
                .in_file(cover_file)
                .with_help("make the cover from the final interior: `bindery cover`"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pod::{INGRAMSPARK, KDP};

    const W: f32 = 6.0 * INCH;
    const H: f32 = 9.0 * INCH;

    /// A clean 6 × 9 in page with one text block inside 0.75 in margins.
    fn page() -> PageFacts {
        let trim = Rect {
            x: 0.0,
            y: 0.0,
            width: W,
            height: H,
        };
        PageFacts {
            media: trim,
            trim,
            text: vec![Rect {
                x: 0.75 * INCH,
                y: 0.75 * INCH,
                width: W - 1.5 * INCH,
                height: H - 1.5 * INCH,
            }],
            ..PageFacts::default()
        }
    }

    fn book(pages: usize) -> Facts {
        Facts {
            file: "book.pdf".into(),
            pages: vec![page(); pages],
            fonts: vec![FontFacts {
                name: "Libertinus".into(),
                embedded: true,
            }],
            ..Facts::default()
        }
    }

    fn codes(d: &[Diagnostic]) -> Vec<Code> {
        d.iter().map(|d| d.code).collect()
    }

    #[test]
    fn a_clean_interior_passes_both() {
        assert!(check(&KDP, &book(100), None, 0.002252).is_empty());
        assert!(check(&INGRAMSPARK, &book(100), None, 0.002252).is_empty());
    }

    #[test]
    fn each_rule_fails_on_its_fixture() {
        let d = check(&KDP, &book(20), None, 0.002252);
        assert_eq!(codes(&d), [E_PAGE_COUNT]);
        assert!(
            d[0].message.contains("20 pages; KDP prints 24–828"),
            "{}",
            d[0].message
        );

        let mut f = book(40);
        for p in &mut f.pages {
            p.trim.width = 5.9 * INCH;
        }
        assert_eq!(codes(&check(&KDP, &f, None, 0.002252)), [E_TRIM]);

        let mut f = book(40);
        f.pages[3].text[0].x = 0.1 * INCH; // a verso: this is its outside margin
        let d = check(&KDP, &f, None, 0.002252);
        assert_eq!(codes(&d), [E_MARGIN]);
        assert!(
            d[0].message
                .contains("outside margin is 0.100 in on page 4"),
            "{}",
            d[0].message
        );

        let mut f = book(200);
        f.pages[2].text[0].x = 0.4 * INCH; // a recto: the gutter, under 0.5 in at 200 pages
        let d = check(&KDP, &f, None, 0.002252);
        assert_eq!(codes(&d), [E_GUTTER]);
        assert!(
            d[0].message.contains("inside margin is 0.400 in on page 3"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].help.as_deref(), Some("widen the inside margin to 0.500 in; in bindery, set `pdf: { gutter: auto }` (or `margins: { inner: 0.500in }`) in book.yaml"));

        let mut f = book(40);
        f.fonts.push(FontFacts {
            name: "Helvetica".into(),
            embedded: false,
        });
        assert_eq!(codes(&check(&KDP, &f, None, 0.002252)), [E_FONT]);

        let mut f = book(40);
        f.pages[5].images.push(PlacedImage {
            rect: Rect {
                x: 72.0,
                y: 72.0,
                width: 144.0,
                height: 144.0,
            },
            px_width: 400,
            px_height: 400,
        });
        let d = check(&KDP, &f, None, 0.002252);
        assert_eq!(codes(&d), [E_IMAGE_DPI]);
        assert!(
            d[0].message.contains("prints at 200 dpi"),
            "{}",
            d[0].message
        );

        let mut f = book(40);
        f.pages[7].text.push(Rect {
            x: W - 10.0,
            y: 100.0,
            width: 30.0,
            height: 10.0,
        });
        let d = check(&KDP, &f, None, 0.002252);
        assert!(codes(&d).contains(&E_LIVE_AREA), "{d:?}");

        let mut f = book(40);
        f.pages[8].paths.push(Rect {
            x: 0.0,
            y: 0.0,
            width: W,
            height: 20.0,
        });
        assert_eq!(codes(&check(&KDP, &f, None, 0.002252)), [E_NO_BLEED]);

        let mut f = book(40);
        for p in &mut f.pages[10..13] {
            p.text.clear();
        }
        let d = check(&KDP, &f, None, 0.002252);
        assert_eq!(codes(&d), [E_BLANKS]);
        assert!(
            d[0].message.contains("pages 11–13 are blank"),
            "{}",
            d[0].message
        );

        let mut f = book(40);
        f.has_outline = true;
        f.pages[1].annotations = 2;
        let d = check(&KDP, &f, None, 0.002252);
        assert_eq!(codes(&d), [E_OUTLINE]);
        assert!(
            d[0].message.contains("bookmarks and 2 annotations"),
            "{}",
            d[0].message
        );
        assert!(check(&INGRAMSPARK, &f, None, 0.002252).is_empty());

        let mut f = book(40);
        f.rgb.push("/DeviceRGB".into());
        assert_eq!(codes(&check(&INGRAMSPARK, &f, None, 0.002252)), [E_RGB]);
        assert!(check(&KDP, &f, None, 0.002252).is_empty());
    }

    #[test]
    fn the_cover_must_match_the_page_count() {
        let f = book(200);
        let spine = 200.0 * 0.002252 * INCH;
        let right = CoverFacts {
            width: 2.0 * W + spine + 18.0,
            height: H + 18.0,
        };
        assert!(check(&KDP, &f, Some((&right, "cover.pdf")), 0.002252).is_empty());
        let for_180 = CoverFacts {
            width: 2.0 * W + 180.0 * 0.002252 * INCH + 18.0,
            ..right
        };
        let d = check(&KDP, &f, Some((&for_180, "cover.pdf")), 0.002252);
        assert_eq!(codes(&d), [E_COVER_WIDTH]);
        assert!(
            d[0].message
                .contains("for 200 pages it must be 12.700 in × 9.250 in"),
            "{}",
            d[0].message
        );
    }
}
