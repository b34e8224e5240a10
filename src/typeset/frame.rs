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
    pub glyphs: Glyphs,
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

/// Packs the glyphs of every run in `items` (see [`Glyphs::pack`]).
pub fn pack_items(items: &mut [Item]) {
    for item in items {
        if let Item::Glyphs(run) | Item::Turned(run) = item {
            run.glyphs.pack();
        }
    }
}

/// A run's glyphs, held open (a vector, while the typesetter builds and edits the run) or
/// packed once its line is laid out (three to seven bytes a glyph of running text, 4.7 on
/// average in an English article: a long chapter's lines are all held until its pages are
/// broken, and its pages until they are written). Both read the same: [`Glyphs::iter`] gives back every glyph exactly as it was
/// (the same bits), and editing a packed run ([`Glyphs::to_mut`]) unpacks it first.
#[derive(Clone, Default)]
pub struct Glyphs(GlyphStore);

#[derive(Clone)]
enum GlyphStore {
    Open(Vec<Glyph>),
    /// The number of glyphs (a varint), then the glyphs (see [`Glyphs::pack`]).
    Packed(Box<[u8]>),
}

impl Default for GlyphStore {
    fn default() -> Self {
        GlyphStore::Open(Vec::new())
    }
}

impl Glyphs {
    pub fn new() -> Glyphs {
        Glyphs::default()
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            GlyphStore::Open(v) => v.len(),
            GlyphStore::Packed(bytes) => PackReader::new(bytes).varint().unwrap_or(0) as usize,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The glyphs in order, each as it was stored.
    pub fn iter(&self) -> GlyphIter<'_> {
        GlyphIter(match &self.0 {
            GlyphStore::Open(v) => IterState::Open(v.iter()),
            GlyphStore::Packed(bytes) => {
                let mut reader = PackReader::new(bytes);
                let left = reader.varint().unwrap_or(0) as usize;
                IterState::Packed { left, reader }
            }
        })
    }

    pub fn last(&self) -> Option<Glyph> {
        match &self.0 {
            GlyphStore::Open(v) => v.last().cloned(),
            GlyphStore::Packed(_) => self.iter().last(),
        }
    }

    pub fn to_vec(&self) -> Vec<Glyph> {
        self.iter().collect()
    }

    /// The glyphs as a vector to edit (a packed run is unpacked first).
    pub fn to_mut(&mut self) -> &mut Vec<Glyph> {
        if let GlyphStore::Packed(_) = self.0 {
            self.0 = GlyphStore::Open(self.to_vec());
        }
        match &mut self.0 {
            GlyphStore::Open(v) => v,
            // Made open just above (as `Cow::to_mut` does).
            GlyphStore::Packed(_) => unreachable!("glyphs made open"),
        }
    }

    pub fn is_packed(&self) -> bool {
        matches!(self.0, GlyphStore::Packed(_))
    }

    /// Stores the glyphs packed. Each glyph takes a tag byte and its id; its advance is left out
    /// when it equals the last advance of the same glyph id in the run (the letters of running
    /// text), its cluster is a length when it begins where the previous one ended, and its
    /// offsets are left out when both are zero. Every value comes back bit for bit.
    pub fn pack(&mut self) {
        let GlyphStore::Open(glyphs) = &self.0 else {
            return;
        };
        let mut out = Vec::with_capacity(glyphs.len() * 3 + 8);
        push_varint(&mut out, u32::try_from(glyphs.len()).unwrap_or(u32::MAX));
        let mut cache = AdvanceCache::default();
        let mut prev_end = 0u32;
        for g in glyphs {
            let x_advance = g.x_advance.to_bits();
            // The shaper's offsets of a plain glyph are (0, -0): y is flipped.
            let negative_zero = g.y_offset.to_bits() == NEGATIVE_ZERO;
            let offsets =
                g.x_offset.to_bits() != 0 || (g.y_offset.to_bits() != 0 && !negative_zero);
            let explicit_start = g.text.start != prev_end;
            let way = cache.find(g.id, x_advance);
            let len = g.text.end.wrapping_sub(g.text.start);
            let mut tag = u8::from(offsets)
                | u8::from(explicit_start) << 1
                | way.map_or(0, |w| w + 1) << 2
                | u8::from(negative_zero && !offsets) << 4;
            tag |= (len.min(LONG_CLUSTER) as u8) << 5;
            out.push(tag);
            out.extend_from_slice(&g.id.to_le_bytes());
            if way.is_none() {
                out.extend_from_slice(&x_advance.to_le_bytes());
            }
            if explicit_start {
                out.extend_from_slice(&g.text.start.to_le_bytes());
            }
            if len >= LONG_CLUSTER {
                push_varint(&mut out, len);
            }
            if offsets {
                out.extend_from_slice(&g.x_offset.to_bits().to_le_bytes());
                out.extend_from_slice(&g.y_offset.to_bits().to_le_bytes());
            }
            cache.met(g.id, x_advance, way);
            prev_end = g.text.end;
        }
        self.0 = GlyphStore::Packed(out.into_boxed_slice());
    }
}

/// A cluster this many bytes long or longer has its length written after the tag.
const LONG_CLUSTER: u32 = 7;

/// The bits of -0.0.
const NEGATIVE_ZERO: u32 = 0x8000_0000;

fn push_varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The last advances met in a run, (glyph id, advance bits) by the id's low bits, the most
/// recent first, [`WAYS`] to a slot: a glyph's advance varies with the kerning of its
/// neighbours, and a word's last glyph carries the space after it. Packing and unpacking
/// keep the same cache, so a miss only costs the four bytes of the advance.
struct AdvanceCache([[(u32, u32); WAYS]; 64]);

/// Advances kept per slot of the [`AdvanceCache`] (the tag's two bits name one, or none).
const WAYS: usize = 3;

impl Default for AdvanceCache {
    fn default() -> Self {
        // An id of u32::MAX matches no glyph id.
        AdvanceCache([[(u32::MAX, 0); WAYS]; 64])
    }
}

impl AdvanceCache {
    /// The way holding this glyph's advance, if any.
    fn find(&self, id: u16, bits: u32) -> Option<u8> {
        let slot = &self.0[usize::from(id) % 64];
        let way = slot.iter().position(|&e| e == (u32::from(id), bits))?;
        u8::try_from(way).ok()
    }

    fn get(&self, id: u16, way: u8) -> Option<u32> {
        let (key, bits) = *self.0[usize::from(id) % 64].get(usize::from(way))?;
        (key == u32::from(id)).then_some(bits)
    }

    /// Records an advance met (found in `way`, or new), moving it to the front of its slot.
    fn met(&mut self, id: u16, bits: u32, way: Option<u8>) {
        let slot = &mut self.0[usize::from(id) % 64];
        let end = way.map_or(WAYS - 1, usize::from).min(WAYS - 1);
        slot[..=end].rotate_right(1);
        slot[0] = (u32::from(id), bits);
    }
}

/// Reads packed glyphs back (see [`Glyphs::pack`]).
struct PackReader<'a> {
    bytes: &'a [u8],
    at: usize,
    cache: AdvanceCache,
    prev_end: u32,
}

impl<'a> PackReader<'a> {
    fn new(bytes: &'a [u8]) -> PackReader<'a> {
        PackReader {
            bytes,
            at: 0,
            cache: AdvanceCache::default(),
            prev_end: 0,
        }
    }

    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let bytes = self.bytes.get(self.at..self.at + N)?.try_into().ok()?;
        self.at += N;
        Some(bytes)
    }

    fn u32(&mut self) -> Option<u32> {
        self.take::<4>().map(u32::from_le_bytes)
    }

    fn varint(&mut self) -> Option<u32> {
        let mut n = 0u32;
        for shift in (0..35).step_by(7) {
            let [b] = self.take::<1>()?;
            n |= u32::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    fn glyph(&mut self) -> Option<Glyph> {
        let [tag] = self.take::<1>()?;
        let id = u16::from_le_bytes(self.take::<2>()?);
        let way = match (tag >> 2) & 3 {
            0 => None,
            w => Some(w - 1),
        };
        let x_advance = match way {
            Some(way) => self.cache.get(id, way)?,
            None => self.u32()?,
        };
        let start = if tag & 2 != 0 {
            self.u32()?
        } else {
            self.prev_end
        };
        let len = match u32::from(tag >> 5) {
            LONG_CLUSTER => self.varint()?,
            len => len,
        };
        let (x_offset, y_offset) = if tag & 1 != 0 {
            (self.u32()?, self.u32()?)
        } else if tag & 16 != 0 {
            (0, NEGATIVE_ZERO)
        } else {
            (0, 0)
        };
        let end = start.wrapping_add(len);
        self.cache.met(id, x_advance, way);
        self.prev_end = end;
        Some(Glyph {
            id,
            x_advance: f32::from_bits(x_advance),
            x_offset: f32::from_bits(x_offset),
            y_offset: f32::from_bits(y_offset),
            text: start..end,
        })
    }
}

/// The glyphs of a [`Glyphs`], in order.
pub struct GlyphIter<'a>(IterState<'a>);

// The packed reader carries its advance cache (1.5 kB): an iterator lives on the stack, one
// per run read, and boxing it would cost an allocation a run.
#[allow(clippy::large_enum_variant)]
enum IterState<'a> {
    Open(std::slice::Iter<'a, Glyph>),
    Packed { left: usize, reader: PackReader<'a> },
}

impl Iterator for GlyphIter<'_> {
    type Item = Glyph;

    fn next(&mut self) -> Option<Glyph> {
        match &mut self.0 {
            IterState::Open(it) => it.next().cloned(),
            IterState::Packed { left, reader } => {
                *left = left.checked_sub(1)?;
                reader.glyph()
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = match &self.0 {
            IterState::Open(it) => it.len(),
            IterState::Packed { left, .. } => *left,
        };
        (left, Some(left))
    }
}

impl ExactSizeIterator for GlyphIter<'_> {}

impl<'a> IntoIterator for &'a Glyphs {
    type Item = Glyph;
    type IntoIter = GlyphIter<'a>;

    fn into_iter(self) -> GlyphIter<'a> {
        self.iter()
    }
}

impl From<Vec<Glyph>> for Glyphs {
    fn from(glyphs: Vec<Glyph>) -> Glyphs {
        Glyphs(GlyphStore::Open(glyphs))
    }
}

impl FromIterator<Glyph> for Glyphs {
    fn from_iter<I: IntoIterator<Item = Glyph>>(iter: I) -> Glyphs {
        Glyphs(GlyphStore::Open(iter.into_iter().collect()))
    }
}

impl PartialEq for Glyphs {
    fn eq(&self, other: &Glyphs) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for Glyphs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
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
    /// The digits the folios are printed in (`Words::digits`), for the page labels.
    pub digits: crate::lang::Digits,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(id: u16, x_advance: f32, text: std::ops::Range<u32>) -> Glyph {
        Glyph {
            id,
            x_advance,
            x_offset: 0.0,
            y_offset: 0.0,
            text,
        }
    }

    /// Every field of every glyph, as bits (so that -0.0 and 0.0 differ).
    fn bits(glyphs: &Glyphs) -> Vec<(u16, u32, u32, u32, u32, u32)> {
        glyphs
            .iter()
            .map(|g| {
                (
                    g.id,
                    g.x_advance.to_bits(),
                    g.x_offset.to_bits(),
                    g.y_offset.to_bits(),
                    g.text.start,
                    g.text.end,
                )
            })
            .collect()
    }

    #[test]
    fn packed_glyphs_read_back_bit_for_bit() {
        let mut marked = glyph(40, 0.0, 6..8);
        marked.x_offset = -5.25;
        marked.y_offset = -0.0;
        let mut long = glyph(7, 1.5, 0..4000);
        long.y_offset = 2.0;
        let glyphs = vec![
            glyph(12, 6.5, 0..1),
            glyph(13, 4.25, 1..2),
            // The same id and advance again (cached), then the same id with another advance.
            glyph(12, 6.5, 2..3),
            glyph(12, 9.75, 3..4),
            // The first advance again (the cache's second way), and a plain glyph's offsets
            // as the shaper gives them, (0, -0).
            glyph(12, 6.5, 4..5),
            Glyph {
                y_offset: -0.0,
                ..glyph(13, 4.25, 5..6)
            },
            // A ligature's two characters, a mark on the same cluster, a cluster out of order
            // (right to left), a cluster longer than a tag holds, an id sharing the cache slot
            // of 12, the largest id and advances that are not plain numbers.
            // Three advances of one id, the last again (the first way), then the first (the
            // third way).
            glyph(20, 1.0, 6..6),
            glyph(20, 2.0, 6..6),
            glyph(20, 3.0, 6..6),
            glyph(20, 3.0, 6..6),
            glyph(20, 1.0, 6..6),
            glyph(99, -0.0, 6..8),
            marked,
            glyph(5, 3.0, std::ops::Range { start: 9, end: 8 }),
            long,
            glyph(76, 6.5, 4000..4001),
            glyph(
                u16::MAX,
                f32::MAX,
                std::ops::Range {
                    start: u32::MAX,
                    end: 0,
                },
            ),
            glyph(0, f32::from_bits(0x7fc0_1234), 0..0),
        ];
        let open = Glyphs::from(glyphs.clone());
        let mut packed = open.clone();
        packed.pack();
        assert!(packed.is_packed());
        assert_eq!(packed.len(), glyphs.len());
        assert_eq!(bits(&packed), bits(&open));
        assert_eq!(packed.iter().len(), glyphs.len());
        assert_eq!(
            packed.last().map(|g| (g.id, g.x_advance.to_bits())),
            Some((0, 0x7fc0_1234))
        );
        // Editing unpacks: the glyphs are those packed.
        packed.to_mut().push(glyph(1, 1.0, 0..1));
        assert!(!packed.is_packed());
        assert_eq!(bits(&packed)[..glyphs.len()], bits(&open)[..]);
        assert_eq!(packed.len(), glyphs.len() + 1);
    }

    #[test]
    fn running_text_packs_in_three_bytes_a_glyph() {
        // Twenty letters of a word list, over and over, as a justified line holds them, with
        // the offsets the shaper gives.
        let mut glyphs = Glyphs::from(
            (0..600u32)
                .map(|i| Glyph {
                    y_offset: -0.0,
                    ..glyph(30 + (i % 20) as u16, 5.0 + (i % 20) as f32, i..i + 1)
                })
                .collect::<Vec<_>>(),
        );
        glyphs.pack();
        let GlyphStore::Packed(bytes) = &glyphs.0 else {
            panic!("packed");
        };
        // Two bytes of count, the first twenty glyphs with their advances, the rest without.
        assert_eq!(bytes.len(), 2 + 20 * 7 + 580 * 3);
        assert_eq!(Glyphs::new().len(), 0);
        let mut empty = Glyphs::new();
        empty.pack();
        assert_eq!((empty.len(), empty.iter().count()), (0, 0));
    }
}
