//! The page: geometry from [`PdfConfig`] (trim, mirrored margins, bleed), running heads and
//! folios, chapter openings, the front-matter display pages, and the assembly of a flowed page
//! ([`FlowPage`]) onto a [`frame::Page`](Page).
//!
//! Page indexes are 0-based positions in the whole document; index 0 is a recto (the first page
//! of a book is a right-hand page), so even indexes are rectos.

use super::flow::FlowPage;
use super::frame::{Artifact, Item, Mark, Page, PageLabel, Rect, StructRole, Structure};
use super::paragraph::{self, Align, Composer, TextStyle};
use super::vlist::{ChapterFlow, LineBox, VItem};
use crate::config::{PdfConfig, INCH};
use crate::front::{CopyrightPage, TitlePage};

/// Bleed on every side when `pdf.bleed` is on: the printers' standard 0.125 in.
pub const BLEED: f32 = 0.125 * INCH;
/// Running heads are set a little smaller than the body, so they read as furniture.
const HEAD_SIZE_RATIO: f32 = 0.9;
/// The running head's baseline sits this many body leadings above the text block's top: one
/// blank line between the head and the text, as in most trade books.
const HEAD_RAISE_LINES: f32 = 1.5;
/// A folio at the foot (chapter openings) sits this many leadings below the text block's bottom.
const FOOT_FOLIO_DROP_LINES: f32 = 2.0;
/// The footnote rule spans this share of the measure (TeX's is 2 in of a ~4.5 in measure).
const NOTE_RULE_SHARE: f32 = 1.0 / 3.0;
/// Footnote rule thickness, pt (TeX's \footnoterule is 0.4 pt).
pub const NOTE_RULE_THICKNESS: f32 = 0.4;
/// The rule sits this share of the note skip below the body (the rest is space above the notes).
pub const NOTE_RULE_POSITION: f32 = 0.4;
/// Chapter titles are sunk to about this share of the page's height.
const CHAPTER_SINK_SHARE: f32 = 1.0 / 3.0;
/// Display pages (half title, title page) put their first line this share down the text block.
const TITLE_DROP_SHARE: f32 = 0.2;
/// Title page styles, relative to the body size.
const TITLE_SIZE_RATIO: f32 = 2.2;
const SUBTITLE_SIZE_RATIO: f32 = 1.3;
const HALF_TITLE_SIZE_RATIO: f32 = 1.5;
const AUTHOR_SIZE_RATIO: f32 = 1.2;
/// Copyright page text relative to the body.
const COPYRIGHT_SIZE_RATIO: f32 = 0.8;

/// Where things go on a page. Lengths in pt; y from the top of the MediaBox, down.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageGeometry {
    pub trim_width: f32,
    pub trim_height: f32,
    /// Bleed on every side (0 when off).
    pub bleed: f32,
    pub margin_inner: f32,
    pub margin_outer: f32,
    pub margin_top: f32,
    pub margin_bottom: f32,
    /// Text block width and height.
    pub measure: f32,
    pub text_height: f32,
    /// Body size and leading.
    pub font_size: f32,
    pub leading: f32,
    /// The binding is on the right (a right-to-left book): a recto is a left-hand page, its
    /// inner margin and spine on the right, and the mirrored margins and folios swap sides.
    pub binding_right: bool,
}

impl PageGeometry {
    pub fn from_config(pdf: &PdfConfig) -> PageGeometry {
        let leading = pdf.leading;
        let block = pdf.text_block();
        PageGeometry {
            trim_width: pdf.trim_width,
            trim_height: pdf.trim_height,
            bleed: if pdf.bleed { BLEED } else { 0.0 },
            margin_inner: pdf.margin_inner,
            margin_outer: pdf.margin_outer,
            margin_top: pdf.margin_top,
            margin_bottom: pdf.margin_bottom,
            measure: block.width.max(pdf.font_size),
            text_height: block.height.max(leading),
            font_size: pdf.font_size,
            leading,
            binding_right: false,
        }
    }

    /// The same geometry bound on the right (`true`, for a right-to-left book) or the left.
    pub fn with_binding_right(self, binding_right: bool) -> PageGeometry {
        PageGeometry {
            binding_right,
            ..self
        }
    }

    /// Whether the spine is on the left of page `index`: on a recto of a left-bound book, on a
    /// verso of a right-bound one.
    pub fn spine_on_left(&self, index: usize) -> bool {
        Self::is_recto(index) != self.binding_right
    }

    /// Even indexes are rectos (right-hand pages).
    pub fn is_recto(index: usize) -> bool {
        index.is_multiple_of(2)
    }

    /// Left edge of the text block: the inner margin is on the spine's side (the left of a
    /// recto in a left-bound book).
    pub fn text_left(&self, index: usize) -> f32 {
        self.bleed
            + if self.spine_on_left(index) {
                self.margin_inner
            } else {
                self.margin_outer
            }
    }

    /// Top edge of the text block.
    pub fn text_top(&self) -> f32 {
        self.bleed + self.margin_top
    }

    /// Space above a chapter's first line, a whole number of leadings, so that the title sits
    /// about a third down the page and the text below stays on the grid.
    pub fn chapter_sink(&self) -> f32 {
        let want = self.trim_height * CHAPTER_SINK_SHARE - self.margin_top;
        let lines = (want / self.leading).round().max(0.0);
        (lines * self.leading).min(self.text_height * 0.5)
    }

    /// The space and rule between body and notes: one body line.
    pub fn note_skip(&self) -> f32 {
        self.leading
    }

    /// An empty page with its boxes and label.
    pub fn blank_page(&self, label: PageLabel) -> Page {
        let width = self.trim_width + 2.0 * self.bleed;
        let height = self.trim_height + 2.0 * self.bleed;
        Page {
            width,
            height,
            trim_box: Rect {
                x: self.bleed,
                y: self.bleed,
                width: self.trim_width,
                height: self.trim_height,
            },
            bleed_box: (self.bleed > 0.0).then_some(Rect {
                x: 0.0,
                y: 0.0,
                width,
                height,
            }),
            label,
            items: Vec::new(),
        }
    }
}

/// The printed form of a page number: `xiv` or `37`, in the book's digits ("٣٧" in Egyptian
/// Arabic; [`crate::lang::Digits`]). The folio, the contents and page references all print it.
pub fn folio_text(label: PageLabel, digits: crate::lang::Digits) -> String {
    match label {
        PageLabel::Arabic(n) => digits.write(&n.to_string()),
        PageLabel::Roman(n) => roman(n),
    }
}

/// Lower-case roman numerals (0 gives an empty string).
pub fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut s = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            s.push_str(digits);
            n -= value;
        }
    }
    s
}

/// Stacks `lines` from `top` (pt, page coordinates) at text-block left `x`; returns the bottom.
pub fn place_lines(items: &mut Vec<Item>, lines: &[LineBox], x: f32, top: f32) -> f32 {
    let mut y = top;
    for line in lines {
        let mut content = line.items.clone();
        paragraph::translate(&mut content, x, y + line.baseline);
        items.extend(content);
        y += line.height;
    }
    y
}

/// [`place_lines`] that moves the lines' items onto the page instead of copying them (each
/// line of a chapter is set on exactly one page, so a chapter's glyphs are never held twice).
fn move_lines(items: &mut Vec<Item>, lines: &mut [LineBox], x: f32, top: f32) {
    let mut y = top;
    for line in lines {
        let mut content = std::mem::take(&mut line.items);
        paragraph::translate(&mut content, x, y + line.baseline);
        items.append(&mut content);
        y += line.height;
    }
}

/// Total height of lines, pt.
pub fn lines_height(lines: &[LineBox]) -> f32 {
    lines.iter().map(|l| l.height).sum()
}

/// Sets one flowed page of a chapter onto `page` (at document index `index`): body lines,
/// heading anchors, the note rule and the notes. `chapter_anchor` is set at the top of the text
/// block on the chapter's first page. The lines' items are moved out of `flow`, which is left
/// without the glyphs of this page.
pub fn set_flow_page(
    page: &mut Page,
    geo: &PageGeometry,
    index: usize,
    flow: &mut ChapterFlow,
    flowed: &FlowPage,
    chapter_anchor: Option<&str>,
) {
    let left = geo.text_left(index);
    let top = geo.text_top();
    if let Some(anchor) = chapter_anchor {
        page.items.push(Item::Anchor {
            name: anchor.to_string(),
            x: left,
            y: top,
        });
    }
    for heading in &flowed.headings {
        if heading.anchor.is_empty() {
            continue;
        }
        page.items.push(Item::Anchor {
            name: heading.anchor.clone(),
            x: left,
            y: top + heading.top,
        });
    }
    // A long table's caption "(continued)" and header row, above the page's first line.
    if let Some(repeat) = flowed.repeat.and_then(|k| flow.repeats.get(k)) {
        place_lines(&mut page.items, &repeat.lines, left, top);
    }
    for placed in &flowed.lines {
        if let Some(VItem::Line(line)) = flow.body.get_mut(placed.item) {
            let mut content = std::mem::take(&mut line.items);
            paragraph::translate(&mut content, left, top + placed.top + line.baseline);
            page.items.append(&mut content);
        }
    }
    // Figures, wherever they landed: their lines one under the other. Their marks keep them
    // in their place in the structure (reading order), whichever page they float to.
    for placed in &flowed.floats {
        if let Some(VItem::Float(fb)) = flow.body.get_mut(placed.item) {
            let mut y = top + placed.top;
            for line in &mut fb.lines {
                let mut content = std::mem::take(&mut line.items);
                paragraph::translate(&mut content, left, y + line.baseline);
                page.items.append(&mut content);
                y += line.height;
            }
        }
    }
    if let Some(notes_top) = flowed.notes_top {
        page.items
            .push(Item::Mark(Mark::Artifact(Artifact::Layout)));
        // The rule starts where the lines do: at the left, or in a book read right to left
        // (bound on the right) at the right.
        let rule_width = geo.measure * NOTE_RULE_SHARE;
        page.items.push(Item::Rule {
            x: match geo.binding_right {
                true => left + geo.measure - rule_width,
                false => left,
            },
            y: top + notes_top + geo.note_skip() * NOTE_RULE_POSITION,
            width: rule_width,
            thickness: NOTE_RULE_THICKNESS,
        });
    }
    for piece in &flowed.notes {
        let Some(note) = flow.notes.get_mut(piece.note) else {
            continue;
        };
        if let Some(lines) = note.lines.get_mut(piece.lines.clone()) {
            move_lines(&mut page.items, lines, left, top + piece.top);
        }
    }
}

/// What goes in the margin above or below the text.
#[derive(Debug, Clone, PartialEq)]
pub enum Furniture {
    /// Nothing (blank pages, display pages).
    None,
    /// A running head with the folio at the outer corner.
    Head { text: String },
    /// Only a folio, centred at the foot (chapter openings, the first contents page).
    FootFolio,
}

/// Style of running heads and folios: small caps at [`HEAD_SIZE_RATIO`] of the body.
pub fn head_style(body: &TextStyle) -> TextStyle {
    let mut style = TextStyle {
        size: body.size * HEAD_SIZE_RATIO,
        ..*body
    };
    style.features.small_caps = true;
    style
}

/// Adds the running head and folio (or the foot folio) to `page`.
pub fn add_furniture(
    page: &mut Page,
    geo: &PageGeometry,
    index: usize,
    composer: &mut Composer,
    body: &TextStyle,
    furniture: &Furniture,
    digits: crate::lang::Digits,
) {
    let style = head_style(body);
    let folio = folio_text(page.label, digits);
    let left = geo.text_left(index);
    match furniture {
        Furniture::None => {}
        Furniture::Head { text } => {
            let baseline = geo.text_top() - HEAD_RAISE_LINES * geo.leading;
            let (mut head, width) = composer.shape_line(text, &style);
            // Leave room for the folio on both sides, so the head never runs into it.
            let (mut number, number_width) = composer.shape_line(&folio, &style);
            let room = (geo.measure - 2.0 * (number_width + style.size)).max(0.0);
            if width <= room || room <= 0.0 {
                paragraph::translate(&mut head, left + (geo.measure - width) / 2.0, baseline);
                page.items
                    .push(Item::Mark(Mark::Artifact(Artifact::Header)));
                page.items.extend(head);
            }
            // The folio at the outer corner, away from the spine.
            let x = if geo.spine_on_left(index) {
                left + geo.measure - number_width
            } else {
                left
            };
            paragraph::translate(&mut number, x, baseline);
            page.items
                .push(Item::Mark(Mark::Artifact(Artifact::PageNumber)));
            page.items.extend(number);
        }
        Furniture::FootFolio => {
            let baseline = geo.text_top() + geo.text_height + FOOT_FOLIO_DROP_LINES * geo.leading;
            let (mut number, width) = composer.shape_line(&folio, &style);
            paragraph::translate(&mut number, left + (geo.measure - width) / 2.0, baseline);
            page.items
                .push(Item::Mark(Mark::Artifact(Artifact::PageNumber)));
            page.items.extend(number);
        }
    }
}

/// A cover page: the image scaled to cover the trim (and the bleed), centred, cropped by the
/// page edges rather than distorted.
pub fn cover_page(
    geo: &PageGeometry,
    label: PageLabel,
    image: usize,
    px_w: u32,
    px_h: u32,
) -> Page {
    let mut page = geo.blank_page(label);
    let (w, h) = (page.width, page.height);
    let (iw, ih) = (px_w.max(1) as f32, px_h.max(1) as f32);
    let scale = (w / iw).max(h / ih);
    let (rw, rh) = (iw * scale, ih * scale);
    // Decorative in print: the title page repeats what the cover says.
    page.items
        .push(Item::Mark(Mark::Artifact(Artifact::Layout)));
    page.items.push(Item::Image {
        image,
        rect: Rect {
            x: (w - rw) / 2.0,
            y: (h - rh) / 2.0,
            width: rw,
            height: rh,
        },
    });
    page
}

/// The half title: the title alone, high on the page.
/// Makes `lines` the content of a new top-level element of `role` (a mark before the first).
fn tag_lines(structure: &mut Structure, role: StructRole, lines: &mut [LineBox]) {
    if let Some(first) = lines.first_mut() {
        let node = structure.add(role, None);
        first.items.insert(0, Item::Mark(Mark::Content(node)));
    }
}

/// Makes each of `lines` the content of a paragraph of its own (an author a line).
fn tag_each_line(structure: &mut Structure, lines: &mut [LineBox]) {
    for line in lines {
        tag_lines(structure, StructRole::Paragraph, std::slice::from_mut(line));
    }
}

/// The half title: the title alone, a paragraph of `structure`.
pub fn half_title_page(
    geo: &PageGeometry,
    label: PageLabel,
    index: usize,
    composer: &mut Composer,
    body: &TextStyle,
    title: &str,
    structure: &mut Structure,
) -> Page {
    let mut page = geo.blank_page(label);
    let style = TextStyle {
        size: body.size * HALF_TITLE_SIZE_RATIO,
        leading: body.leading * HALF_TITLE_SIZE_RATIO,
        ..*body
    };
    let mut lines = composer.layout_text(title, &style, geo.measure, Align::Centre);
    tag_lines(structure, StructRole::Paragraph, &mut lines);
    let top = geo.text_top() + geo.text_height * TITLE_DROP_SHARE;
    place_lines(&mut page.items, &lines, geo.text_left(index), top);
    page
}

/// The title page: title, subtitle, authors, and the series and publisher at the foot. In
/// `structure`: the title a `Title`, the subtitle, each author, the series and the publisher
/// a paragraph each.
// Each argument is one thing the page is made from; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
pub fn title_page(
    geo: &PageGeometry,
    label: PageLabel,
    index: usize,
    composer: &mut Composer,
    body: &TextStyle,
    headings: &TextStyle,
    text: &TitlePage,
    structure: &mut Structure,
) -> Page {
    let mut page = geo.blank_page(label);
    let left = geo.text_left(index);
    let scaled = |base: &TextStyle, ratio: f32| TextStyle {
        size: body.size * ratio,
        leading: body.leading * ratio,
        ..*base
    };
    let mut y = geo.text_top() + geo.text_height * TITLE_DROP_SHARE;
    let mut title = composer.layout_text(
        &text.title,
        &scaled(headings, TITLE_SIZE_RATIO),
        geo.measure,
        Align::Centre,
    );
    tag_lines(structure, StructRole::Title, &mut title);
    y = place_lines(&mut page.items, &title, left, y);
    if let Some(sub) = &text.subtitle {
        let mut style = scaled(body, SUBTITLE_SIZE_RATIO);
        style.role = super::font::Role::Italic;
        y += geo.leading * 0.5;
        let mut lines = composer.layout_text(sub, &style, geo.measure, Align::Centre);
        tag_lines(structure, StructRole::Paragraph, &mut lines);
        y = place_lines(&mut page.items, &lines, left, y);
    }
    if !text.authors.is_empty() {
        y = y.max(geo.text_top() + geo.text_height * 0.5);
        let style = scaled(body, AUTHOR_SIZE_RATIO);
        let mut lines =
            composer.layout_text(&text.authors.join("\n"), &style, geo.measure, Align::Centre);
        tag_each_line(structure, &mut lines);
        place_lines(&mut page.items, &lines, left, y);
    }
    // At the foot: the series above the publisher (small capitals).
    let mut foot = Vec::new();
    if let Some(series) = &text.series {
        let mut lines = composer.layout_text(series, body, geo.measure, Align::Centre);
        tag_lines(structure, StructRole::Paragraph, &mut lines);
        foot.extend(lines);
    }
    if let Some(publisher) = &text.publisher {
        let mut style = *body;
        style.features.small_caps = true;
        let mut lines = composer.layout_text(publisher, &style, geo.measure, Align::Centre);
        tag_lines(structure, StructRole::Paragraph, &mut lines);
        foot.extend(lines);
    }
    if !foot.is_empty() {
        let top = geo.text_top() + geo.text_height - lines_height(&foot);
        place_lines(&mut page.items, &foot, left, top);
    }
    page
}

/// The copyright page: small lines set at the foot of the text block, each of its paragraphs
/// a paragraph of `structure`.
pub fn copyright_page(
    geo: &PageGeometry,
    label: PageLabel,
    index: usize,
    composer: &mut Composer,
    body: &TextStyle,
    text: &CopyrightPage,
    structure: &mut Structure,
) -> Page {
    let mut page = geo.blank_page(label);
    let style = TextStyle {
        size: body.size * COPYRIGHT_SIZE_RATIO,
        leading: body.leading * COPYRIGHT_SIZE_RATIO,
        ..*body
    };
    let mut lines = Vec::new();
    for (k, paragraph) in text.lines.iter().enumerate() {
        if k > 0 {
            lines.push(LineBox {
                height: style.leading * 0.5,
                baseline: 0.0,
                ..LineBox::default()
            });
        }
        let mut set = composer.layout_text(paragraph, &style, geo.measure, Align::RaggedRight);
        tag_lines(structure, StructRole::Paragraph, &mut set);
        lines.extend(set);
    }
    let top = geo.text_top() + (geo.text_height - lines_height(&lines)).max(0.0);
    place_lines(&mut page.items, &lines, geo.text_left(index), top);
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(1), "i");
        assert_eq!(roman(4), "iv");
        assert_eq!(roman(14), "xiv");
        assert_eq!(roman(1994), "mcmxciv");
    }

    #[test]
    fn mirrored_margins_and_bleed() {
        let cfg = PdfConfig {
            bleed: true,
            ..PdfConfig::default()
        };
        let geo = PageGeometry::from_config(&cfg);
        assert_eq!(geo.text_left(0), BLEED + cfg.margin_inner);
        assert_eq!(geo.text_left(1), BLEED + cfg.margin_outer);
        // Bound on the right, the margins swap sides.
        let rtl = geo.with_binding_right(true);
        assert_eq!(rtl.text_left(0), BLEED + cfg.margin_outer);
        assert_eq!(rtl.text_left(1), BLEED + cfg.margin_inner);
        let page = geo.blank_page(PageLabel::Arabic(1));
        assert_eq!(page.width, cfg.trim_width + 2.0 * BLEED);
        assert_eq!(page.trim_box.x, BLEED);
        assert_eq!(page.trim_box.width, cfg.trim_width);
        assert_eq!(page.bleed_box.map(|b| b.width), Some(page.width));
        let plain = PageGeometry::from_config(&PdfConfig::default());
        assert!(plain.blank_page(PageLabel::Roman(1)).bleed_box.is_none());
        // The sink is on the grid and puts the title near a third of the page.
        let sink = plain.chapter_sink();
        assert!((sink / plain.leading).fract().abs() < 1e-3);
        let title_y = plain.margin_top + sink;
        assert!((title_y / plain.trim_height - 1.0 / 3.0).abs() < 0.05);
    }
}
