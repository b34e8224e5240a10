//! The typesetter's output: a `Document` of pages holding positioned glyph runs, rules, images,
//! link areas and named destinations. Pure data; `pdf.rs` serialises it.
//!
//! Units are PostScript points (1/72 in). The origin is the top-left corner of the page's
//! MediaBox and y grows downwards (as in krilla).

use std::sync::Arc;

/// A finished, paginated book.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub pages: Vec<Page>,
    /// Font programs used by glyph runs, indexed by [`FontId`].
    pub fonts: Vec<FontData>,
    /// Images used by the pages, indexed by `Item::Image::image`.
    pub images: Vec<ImageData>,
    /// Nested bookmarks.
    pub outline: Vec<OutlineEntry>,
    pub metadata: Metadata,
}

/// Index into [`Document::fonts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontId(pub u32);

/// A font file and the face index inside it.
#[derive(Debug, Clone)]
pub struct FontData {
    pub data: Arc<Vec<u8>>,
    pub index: u32,
}

/// An image file, embedded as it is (JPEG is passed through, never recompressed).
#[derive(Debug, Clone)]
pub struct ImageData {
    pub data: Arc<Vec<u8>>,
    pub format: crate::model::ImageFormat,
    /// Pixel size.
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// How a page's number is printed and labelled in the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageLabel {
    /// Lower-case roman numerals (front matter).
    Roman(u32),
    /// Arabic numerals (body).
    Arabic(u32),
}

#[derive(Debug, Clone)]
pub struct Page {
    /// MediaBox size in pt (trim size plus bleed on each side).
    pub width: f32,
    pub height: f32,
    /// The trimmed page inside the MediaBox.
    pub trim_box: Rect,
    /// The bleed area, when bleed is on.
    pub bleed_box: Option<Rect>,
    pub label: PageLabel,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone)]
pub enum Item {
    Glyphs(GlyphRun),
    /// A glyph run turned a quarter clockwise about its pen position `(x, y)`: it reads from
    /// top to bottom (a book's spine). Its advances run down the page.
    Turned(GlyphRun),
    /// A filled horizontal rule; `y` is its top edge.
    Rule {
        x: f32,
        y: f32,
        width: f32,
        thickness: f32,
    },
    Image {
        image: usize,
        rect: Rect,
    },
    /// A clickable area.
    Link {
        rect: Rect,
        target: LinkTarget,
    },
    /// A named destination (a heading, a footnote, a reference mark) at height `y`.
    Anchor {
        name: String,
        x: f32,
        y: f32,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum LinkTarget {
    /// A named destination created by an [`Item::Anchor`].
    Anchor(String),
    Url(String),
}

/// Shaped glyphs on one baseline in one font and size.
#[derive(Debug, Clone)]
pub struct GlyphRun {
    pub font: FontId,
    /// Font size in pt.
    pub size: f32,
    /// Pen position of the first glyph: left edge and baseline.
    pub x: f32,
    pub y: f32,
    pub glyphs: Vec<Glyph>,
    /// The text the glyphs represent, for extraction and copy-paste.
    ///
    /// Convention (see `pdf.rs`): a ligature glyph's range covers all its characters (`fi`);
    /// a break hyphen added at a line end is a hyphen glyph whose range covers a plain `"-"`
    /// appended to this text (not U+00AD). Spaces between words need no glyph.
    pub text: String,
    /// RGB, 0–1.
    pub color: [f32; 3],
    /// Horizontal scale of the run about its pen position (font expansion of a justified
    /// line: 0.98–1.02). Glyph advances and offsets are given unscaled; the run occupies
    /// `scale_x ×` their sum on the page.
    pub scale_x: f32,
}

impl GlyphRun {
    /// Total advance width in pt, on the page (scale included).
    pub fn width(&self) -> f32 {
        self.glyphs.iter().map(|g| g.x_advance).sum::<f32>() * self.scale_x
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub id: u16,
    /// Advance, in pt (already scaled to the run's size; includes justification space).
    pub x_advance: f32,
    /// Offsets from the pen position, in pt; y down.
    pub x_offset: f32,
    pub y_offset: f32,
    /// Byte range in [`GlyphRun::text`] that this glyph represents (its cluster).
    /// (u32 offsets: a book holds millions of glyphs, and a run is never 4 GB long.)
    pub text: std::ops::Range<u32>,
}

#[derive(Debug, Clone)]
pub struct OutlineEntry {
    pub title: String,
    /// Index into [`Document::pages`].
    pub page: usize,
    /// Top of the heading on that page, in pt from the top.
    pub y: f32,
    pub children: Vec<OutlineEntry>,
}

#[derive(Debug, Clone, Default)]
pub struct Metadata {
    pub title: String,
    pub subtitle: Option<String>,
    pub authors: Vec<String>,
    /// BCP 47 language tag.
    pub language: String,
    pub description: Option<String>,
    pub publisher: Option<String>,
    /// Publication date `(year, month, day)`.
    pub date: Option<(u16, u8, u8)>,
    pub keywords: Vec<String>,
}
