//! The typesetter's output: a `Document` of pages holding positioned glyph runs, rules, images,
//! link areas and named destinations, and the book's logical structure. Pure data; `pdf.rs`
//! serialises it.
//!
//! # Structure (tagged PDF)
//! [`Document::structure`] is a tree of model-level elements ([`StructRole`]: headings, paragraphs,
//! lists, tables, figures, notes, the contents…) in reading order. Page content says what it
//! belongs to with [`Item::Mark`]: every drawn item that follows a mark on a page, up to the next
//! mark, is content of that element, or an artifact (running heads, folios, rules). `pdf.rs`
//! turns this into a PDF tag tree; nothing here knows PDF.
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
    /// The logical structure that the pages' [`Item::Mark`]s point into.
    pub structure: Structure,
}

/// Index into [`Structure::nodes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

/// The logical structure of a document: elements in an arena, the top-level ones in `top_level`.
///
/// Order: the children of an element that has no content of its own (a section, a list, a
/// table, a note) are read in the order listed. An element that also has content of its own
/// (a paragraph with links in it) reads its content and its children in the order they are
/// drawn on the pages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Structure {
    pub nodes: Vec<StructNode>,
    /// Top-level elements, in reading order.
    pub top_level: Vec<NodeId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StructNode {
    pub role: StructRole,
    /// Child elements, in reading order.
    pub children: Vec<NodeId>,
    /// The element's parent; `None` for a root.
    pub parent: Option<NodeId>,
}

/// What a structure element is (the model's block and inline kinds that a reader needs).
#[derive(Debug, Clone, PartialEq)]
pub enum StructRole {
    /// A chapter (one article of the book), with its language when it is not the book's.
    Section {
        lang: Option<String>,
    },
    /// The book's title on its title page.
    Title,
    /// A heading of level 1–6, with its plain text.
    Heading {
        level: u8,
        title: String,
    },
    Paragraph,
    BlockQuote,
    List {
        ordered: bool,
    },
    ListItem,
    /// A list item's bullet or number.
    ListLabel,
    ListBody,
    Table,
    TableRow,
    /// A header cell of a column.
    TableHeader,
    TableCell,
    /// An image with its alternative text (never empty: an image with `alt=""` is decorative
    /// and drawn as an [`Artifact`]).
    Figure {
        alt: String,
    },
    Caption,
    Code,
    /// A link; `description` is what a screen reader announces for its annotation.
    Link {
        description: String,
    },
    /// A footnote, placed right after the element that first cites it.
    Note,
    /// Text in another language than its surroundings (BCP 47 tag).
    Span {
        lang: String,
    },
    /// The contents and its entries.
    Toc,
    TocItem,
}

impl Structure {
    /// Adds an element under `parent` (or as a root) and returns its id.
    pub fn add(&mut self, role: StructRole, parent: Option<NodeId>) -> NodeId {
        let id = NodeId(u32::try_from(self.nodes.len()).unwrap_or(u32::MAX));
        self.nodes.push(StructNode {
            role,
            children: Vec::new(),
            parent,
        });
        self.attach(id, parent);
        id
    }

    /// Adds an element that belongs nowhere yet; [`Structure::attach`] places it later.
    pub fn add_detached(&mut self, role: StructRole) -> NodeId {
        let id = NodeId(u32::try_from(self.nodes.len()).unwrap_or(u32::MAX));
        self.nodes.push(StructNode {
            role,
            children: Vec::new(),
            parent: None,
        });
        id
    }

    /// Appends `id` to the children of `parent` (or to the top level).
    pub fn attach(&mut self, id: NodeId, parent: Option<NodeId>) {
        match parent.and_then(|p| self.nodes.get_mut(p.0 as usize)) {
            Some(p) => p.children.push(id),
            None => self.top_level.push(id),
        }
        if let Some(node) = self.nodes.get_mut(id.0 as usize) {
            node.parent = parent;
        }
    }

    pub fn get(&self, id: NodeId) -> Option<&StructNode> {
        self.nodes.get(id.0 as usize)
    }

    /// Moves every element of `other` into `self` (its top-level elements become top-level elements of `self`) and
    /// returns the amount by which its ids grew, for [`rebase_marks`].
    pub fn append(&mut self, other: Structure) -> u32 {
        let offset = u32::try_from(self.nodes.len()).unwrap_or(u32::MAX);
        let shift = |id: NodeId| NodeId(id.0.saturating_add(offset));
        for mut node in other.nodes {
            node.children.iter_mut().for_each(|c| *c = shift(*c));
            node.parent = node.parent.map(shift);
            self.nodes.push(node);
        }
        self.top_level
            .extend(other.top_level.into_iter().map(shift));
        offset
    }
}

/// Shifts the element ids of the marks in `items` by `offset` (after [`Structure::append`]).
pub fn rebase_marks(items: &mut [Item], offset: u32) {
    if offset == 0 {
        return;
    }
    for item in items {
        if let Item::Mark(Mark::Content(id)) = item {
            id.0 = id.0.saturating_add(offset);
        }
    }
}

/// What the drawn items after an [`Item::Mark`] are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Content of this structure element.
    Content(NodeId),
    /// Not part of the text: furniture a reader skips.
    Artifact(Artifact),
}

/// Kinds of artifacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Artifact {
    /// A running head.
    Header,
    /// A folio (page number), at the head or the foot.
    PageNumber,
    /// Rules, leaders, ornaments, decorative images, the cover.
    Layout,
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
    /// An image turned a quarter clockwise to fill `rect` (its top faces the page's right
    /// edge): a wide figure set on a page of its own.
    TurnedImage {
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
    /// The drawn items (and links) that follow on the page, up to the next mark, belong to this
    /// structure element or are an artifact. Items before a page's first mark are artifacts.
    Mark(Mark),
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
    /// The text's language (BCP 47) when it is not its paragraph's: a span marked with
    /// another language. The tagged PDF gives such text a `Span` with its `Lang`.
    pub lang: Option<Arc<str>>,
    /// Shaped right to left (a word with right-to-left letters, or neutral characters at a
    /// right-to-left level, mirrored): the glyphs are in visual order, right to left as read,
    /// while `text` stays in logical order. The tagged PDF gives
    /// such a run its text as `ActualText`, so that extraction and screen readers read it in
    /// logical order.
    pub rtl: bool,
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
