//! The paperback cover wrap as one page: back, spine and front, with bleed on every side. The
//! back's description is set by the book's own paragraph composer (justified, hyphenated); the
//! barcode is drawn as rectangles. Pure: the caller loads the cover image and passes the
//! interior's page count.

use super::barcode::{self, Barcode};
use super::preflight::{ASCENT, DESCENT};
use super::{spine_width, Rules};
use crate::config::{BookConfig, Identifier, INCH};
use crate::diag::{Code, Diagnostic};
use crate::typeset::font::{FontSet, Role};
use crate::typeset::frame::{Document, ImageData, Item, Metadata, Page, PageLabel, Rect};
use crate::typeset::page::place_lines;
use crate::typeset::paragraph::{self, Align, Composer, Measure, Span, TextStyle};

/// Back-cover text stays this far inside the trim and the spine fold: KDP's and IngramSpark's
/// safe zone is 0.125 in; 0.5 in is the usual designer's margin, and keeps text off the
/// barcode's quiet zone.
pub const BACK_MARGIN: f32 = 0.5 * INCH;
/// The barcode area (KDP: 2 × 1.2 in at the lower right of the back cover).
pub const BARCODE_AREA_WIDTH: f32 = 2.0 * INCH;
pub const BARCODE_AREA_HEIGHT: f32 = 1.2 * INCH;
/// The barcode area sits this far from the trim and from the spine fold (KDP: 0.25 in).
pub const BARCODE_INSET: f32 = 0.25 * INCH;
/// Description text stays this far above the barcode area.
pub const BARCODE_CLEARANCE: f32 = 0.25 * INCH;
/// Back-cover title, author and description sizes, relative to the body.
const BACK_TITLE_RATIO: f32 = 1.8;
const BACK_AUTHOR_RATIO: f32 = 1.2;
/// Spine text size at most, pt; smaller when the spine is thin.
const SPINE_MAX_SIZE: f32 = 12.0;
/// A line of spine text covers this share of an em across the spine: the preflight's glyph
/// box, ascender to descender, so that size × share fits between the clearances.
const SPINE_EM_EXTENT: f32 = ASCENT + DESCENT;
/// Spine text keeps this far from the top and bottom trim.
const SPINE_END_MARGIN: f32 = 0.5 * INCH;
/// Diagnostic: the cover image prints below 300 dpi.
pub const W_COVER_DPI: Code = Code::W1010;
/// Diagnostic: the description does not fit on the back cover.
pub const E_BACK_OVERFLOW: Code = Code::E1011;

/// What the cover needs besides the book's settings.
#[derive(Debug, Clone)]
pub struct CoverInput {
    /// Pages of the interior, from the same build.
    pub pages: usize,
    /// The front image, already cropped to the front panel's shape (trim plus bleed).
    pub image: Option<ImageData>,
    /// The EAN-5 price add-on, `90000` for no price; `None` draws the EAN-13 alone.
    pub price_addon: Option<String>,
}

/// Where the cover's panels are, pt, on the one page (origin at the top-left of the bleed).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoverLayout {
    pub bleed: f32,
    pub trim_width: f32,
    pub trim_height: f32,
    pub spine: f32,
    /// Page size: 2 × trim width + spine + 2 × bleed, trim height + 2 × bleed.
    pub width: f32,
    pub height: f32,
}

impl CoverLayout {
    pub fn new(config: &BookConfig, rules: &Rules, pages: usize) -> CoverLayout {
        let pdf = &config.pdf;
        let bleed = rules.bleed * INCH;
        let spine = spine_width(pages, pdf.paper_inches);
        CoverLayout {
            bleed,
            trim_width: pdf.trim_width,
            trim_height: pdf.trim_height,
            spine,
            width: 2.0 * pdf.trim_width + spine + 2.0 * bleed,
            height: pdf.trim_height + 2.0 * bleed,
        }
    }

    /// Left edge of the spine (the back cover's fold).
    pub fn spine_left(&self) -> f32 {
        self.bleed + self.trim_width
    }

    /// Left edge of the front cover (the front's fold).
    pub fn front_left(&self) -> f32 {
        self.spine_left() + self.spine
    }

    /// The barcode area, pt.
    pub fn barcode_area(&self) -> Rect {
        Rect {
            x: self.spine_left() - BARCODE_INSET - BARCODE_AREA_WIDTH,
            y: self.bleed + self.trim_height - BARCODE_INSET - BARCODE_AREA_HEIGHT,
            width: BARCODE_AREA_WIDTH,
            height: BARCODE_AREA_HEIGHT,
        }
    }
}

/// The cover and what was noticed while making it.
#[derive(Debug, Clone)]
pub struct Cover {
    pub document: Document,
    pub layout: CoverLayout,
    /// The spine carries title and author (79 pages or more).
    pub spine_text: bool,
    pub warnings: Vec<Diagnostic>,
}

/// Lays out the cover of `config`'s book for an interior of `input.pages` pages.
pub fn build(
    config: &BookConfig,
    rules: &Rules,
    fonts: &FontSet,
    input: &CoverInput,
) -> Result<Cover, Vec<Diagnostic>> {
    let layout = CoverLayout::new(config, rules, input.pages);
    let mut warnings = Vec::new();
    let mut items = Vec::new();
    let mut images = Vec::new();
    let mut composer = Composer::new(fonts, &config.language);
    let body = TextStyle::new(config.pdf.font_size, config.pdf.leading, Role::Regular);

    // Front: the image over the front panel and its bleed.
    if let Some(image) = &input.image {
        let rect = Rect {
            x: layout.front_left(),
            y: 0.0,
            width: layout.width - layout.front_left(),
            height: layout.height,
        };
        let dpi = (image.width as f32 / (rect.width / INCH))
            .min(image.height as f32 / (rect.height / INCH));
        if dpi < rules.min_dpi {
            warnings.push(
                Diagnostic::new(
                    W_COVER_DPI,
                    format!(
                        "the cover image prints at {dpi:.0} dpi on the front ({} × {} px over {:.3} × {:.3} in)",
                        image.width,
                        image.height,
                        rect.width / INCH,
                        rect.height / INCH
                    ),
                )
                .in_file(config.cover.clone().unwrap_or_default())
                .with_help(format!(
                    "use an image of at least {} × {} px for a sharp print",
                    (rect.width / INCH * rules.min_dpi).ceil(),
                    (rect.height / INCH * rules.min_dpi).ceil()
                )),
            );
        }
        images.push(image.clone());
        items.push(Item::Image { image: 0, rect });
    }

    // Back: title, author, description; the barcode area kept clear.
    let back_left = layout.bleed + BACK_MARGIN;
    let back_width = layout.trim_width - 2.0 * BACK_MARGIN;
    let area = layout.barcode_area();
    let text_bottom = area.y - BARCODE_CLEARANCE;
    let scaled = |ratio: f32, role: Role| TextStyle {
        size: body.size * ratio,
        leading: body.leading * ratio,
        role,
        ..body
    };
    let mut y = layout.bleed + BACK_MARGIN;
    let title = composer.layout_text(
        &config.title,
        &scaled(BACK_TITLE_RATIO, Role::Semibold),
        back_width,
        Align::Centre,
    );
    y = place_lines(&mut items, &title, back_left, y);
    let author = composer.layout_text(
        &config.authors.join(", "),
        &scaled(BACK_AUTHOR_RATIO, Role::Italic),
        back_width,
        Align::Centre,
    );
    y = place_lines(&mut items, &author, back_left, y) + body.leading;
    if let Some(description) = &config.description {
        for text in description
            .split("\n\n")
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let spans = [Span::plain(text.replace('\n', " "), Role::Regular)];
            let lines = composer.layout(
                &spans,
                &body,
                Measure {
                    width: back_width,
                    first_indent: 0.0,
                },
                Align::Justify,
                true,
            );
            y = place_lines(&mut items, &lines, back_left, y) + body.leading * 0.5;
        }
        if y - body.leading * 0.5 > text_bottom {
            return Err(vec![Diagnostic::new(
                E_BACK_OVERFLOW,
                format!(
                    "the description runs {:.2} in into the barcode area of the back cover",
                    (y - body.leading * 0.5 - text_bottom) / INCH
                ),
            )
            .in_file("book.yaml")
            .with_help(
                "shorten `description` in book.yaml, or choose a larger trim",
            )]);
        }
    }

    // The barcode, with an ISBN.
    if let Identifier::Isbn(isbn) = &config.identifier {
        let code = barcode::draw(isbn, input.price_addon.as_deref()).map_err(|e| {
            vec![Diagnostic::new(E_BACK_OVERFLOW, format!("no barcode can be drawn: {e:?}"))
                .in_file("book.yaml")
                .with_help("set `isbn` to a valid ISBN-13 and the price add-on to 5 digits (90000 for no price)")]
        })?;
        // Right-aligned and bottom-aligned in the area.
        let x = area.x + area.width - code.width;
        let y = area.y + area.height - code.height;
        draw_barcode(&mut items, &mut composer, &body, &code, x, y);
    }

    // Spine: from the rules' page count on, title and author along it.
    let clear = rules.spine_text_clearance * INCH;
    let spine_text = input.pages >= rules.min_spine_text_pages;
    if spine_text {
        let across = layout.spine - 2.0 * clear;
        let mut size = (across / SPINE_EM_EXTENT).min(SPINE_MAX_SIZE);
        let text = format!("{}    {}", config.title, config.authors.join(", "));
        let style = |size: f32| TextStyle {
            size,
            leading: size,
            role: Role::Semibold,
            ..body
        };
        let (_, natural) = composer.shape_line(&text, &style(size));
        let room = layout.trim_height - 2.0 * SPINE_END_MARGIN;
        if natural > room && natural > 0.0 {
            size *= room / natural;
        }
        let (runs, width) = composer.shape_line(&text, &style(size));
        let centre_x = layout.spine_left() + layout.spine / 2.0;
        let top = layout.bleed + (layout.trim_height - width) / 2.0;
        for item in runs {
            if let Item::Glyphs(mut run) = item {
                // Along the spine: the run's own x becomes a distance down the page.
                let along = run.x;
                // The box from descender to ascender is centred across the spine.
                run.x = centre_x - size * (ASCENT - DESCENT) / 2.0;
                run.y = top + along;
                items.push(Item::Turned(run));
            }
        }
    }

    let page = Page {
        width: layout.width,
        height: layout.height,
        trim_box: Rect {
            x: layout.bleed,
            y: layout.bleed,
            width: layout.width - 2.0 * layout.bleed,
            height: layout.trim_height,
        },
        bleed_box: Some(Rect {
            x: 0.0,
            y: 0.0,
            width: layout.width,
            height: layout.height,
        }),
        label: PageLabel::Arabic(1),
        items,
    };
    let document = Document {
        pages: vec![page],
        fonts: fonts.font_data(),
        images,
        outline: Vec::new(),
        structure: Default::default(),
        metadata: Metadata {
            title: format!("{} (cover)", config.title),
            subtitle: None,
            authors: config.authors.clone(),
            language: config.language.clone(),
            description: None,
            publisher: config.publisher.clone(),
            date: None,
            keywords: Vec::new(),
            digits: config.words().digits,
        },
    };
    Ok(Cover {
        document,
        layout,
        spine_text,
        warnings,
    })
}

/// Puts the barcode's bars (as filled rules) and labels at `(x, y)`, its top-left.
fn draw_barcode(
    items: &mut Vec<Item>,
    composer: &mut Composer,
    body: &TextStyle,
    code: &Barcode,
    x: f32,
    y: f32,
) {
    for bar in &code.bars {
        items.push(Item::Rule {
            x: x + bar.x,
            y: y + bar.y,
            width: bar.width,
            thickness: bar.height,
        });
    }
    for label in &code.labels {
        let style = TextStyle {
            size: label.size,
            leading: label.size,
            role: Role::Regular,
            ..*body
        };
        let (mut runs, _) = composer.shape_line(&label.text, &style);
        paragraph::translate(&mut runs, x + label.x, y + label.y);
        items.extend(runs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pod::KDP;

    fn config(isbn: bool) -> BookConfig {
        let yaml = format!(
            "title: A Test\nauthor: Ann Writer\nlanguage: en\n{}description: |\n  A short description of the book, long enough to be justified over several lines of the back cover, with hyphenation where it helps the spacing.\n",
            if isbn { "isbn: 978-0-306-40615-7\n" } else { "" }
        );
        crate::config::parse("book.yaml", &yaml).expect("a valid book.yaml")
    }

    fn cover(pages: usize, isbn: bool) -> Cover {
        let input = CoverInput {
            pages,
            image: None,
            price_addon: Some(barcode::NO_PRICE.to_string()),
        };
        build(&config(isbn), &KDP, &FontSet::builtin(), &input).expect("a cover")
    }

    fn turned(c: &Cover) -> String {
        c.document.pages[0]
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Turned(run) => Some(run.text.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn width_is_two_trims_the_spine_and_the_bleeds() {
        let c = cover(200, false);
        let spine = 200.0 * 0.002252 * INCH;
        assert!((c.layout.spine - spine).abs() < 1e-3);
        let page = &c.document.pages[0];
        assert!((page.width - (2.0 * 6.0 * INCH + spine + 2.0 * 9.0)).abs() < 1e-3);
        assert!((page.height - (9.0 * INCH + 18.0)).abs() < 1e-3);
        assert_eq!(page.trim_box.x, 9.0);
    }

    #[test]
    fn spine_text_from_79_pages_not_at_78() {
        assert_eq!(turned(&cover(78, false)), "");
        let at_79 = cover(79, false);
        let text = turned(&at_79);
        assert!(text.contains("Test") && text.contains("Writer"), "{text}");
        // Kept 0.0625 in clear of each fold: the run's extent across the spine.
        for item in &at_79.document.pages[0].items {
            if let Item::Turned(run) = item {
                // Turned clockwise, the ascenders point right (to the front cover).
                let left = run.x - run.size * DESCENT;
                let right = run.x + run.size * ASCENT;
                assert!(left >= at_79.layout.spine_left() + 4.5 - 0.01, "{left}");
                assert!(right <= at_79.layout.front_left() - 4.5 + 0.01, "{right}");
                // Along the spine, inside the trim height.
                assert!(run.y >= 9.0 && run.y + run.width() <= 9.0 + 9.0 * INCH);
            }
        }
    }

    #[test]
    fn description_is_justified_on_the_back_and_clear_of_the_barcode() {
        let c = cover(120, true);
        let area = c.layout.barcode_area();
        let page = &c.document.pages[0];
        let mut text = String::new();
        for item in &page.items {
            if let Item::Glyphs(run) = item {
                text.push_str(&run.text);
                text.push(' ');
                let inside_x = run.x < area.x + area.width && run.x + run.width() > area.x;
                let inside_y = run.y > area.y && run.y - run.size < area.y + area.height;
                if inside_x && inside_y {
                    // Only the barcode's own digits and ISBN line.
                    assert!(
                        run.text.starts_with("ISBN")
                            || run.text.chars().all(|c| c.is_ascii_digit()),
                        "`{}` in the barcode area",
                        run.text
                    );
                }
                // Back text on the back panel.
                assert!(run.x + run.width() <= c.layout.spine_left(), "{}", run.text);
            }
        }
        // Spaces are not glyphs: the runs' texts hold the words.
        assert!(text.contains("Ashortdescriptionofthebook"), "{text}");
        assert!(text.contains("ISBN9780306406157"), "{text}");
        // Justified: every description line but the last ends at the back's right margin.
        let right = c.layout.bleed + c.layout.trim_width - BACK_MARGIN;
        let mut ends: Vec<(f32, f32)> = Vec::new(); // (baseline, right end)
        for item in &page.items {
            if let Item::Glyphs(run) = item {
                if run.size == 11.0 && run.y < area.y {
                    match ends.iter_mut().find(|(y, _)| (*y - run.y).abs() < 0.01) {
                        Some(e) => e.1 = e.1.max(run.x + run.width()),
                        None => ends.push((run.y, run.x + run.width())),
                    }
                }
            }
        }
        assert!(ends.len() >= 2, "{ends:?}");
        for (y, end) in &ends[..ends.len() - 1] {
            assert!(
                (end - right).abs() < 0.05,
                "line at {y} ends at {end}, not {right}"
            );
        }
        let bars = page
            .items
            .iter()
            .filter(|i| matches!(i, Item::Rule { .. }))
            .count();
        // 30 bars in an EAN-13 (two per digit, six in the guards), 16 in an EAN-5.
        assert_eq!(bars, 30 + 16);
    }
}
