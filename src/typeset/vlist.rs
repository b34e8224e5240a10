//! The vertical list: what block layout (paragraphs, headings, lists, notes) hands to page
//! breaking. Team contract between `paragraph.rs`/`blocks.rs` (producers) and `flow.rs` (consumer).
//!
//! Coordinates inside a [`LineBox`] are relative: x from the left edge of the text block, y from
//! the line's baseline (y down, pt). The page builder translates them onto the page.

use super::frame::{Item, Structure};

/// One line of material: a line of text, a rule, an image, a table row.
#[derive(Debug, Clone, Default)]
pub struct LineBox {
    /// Vertical space the line takes on the page, in pt: normally the leading of its style, so
    /// lines sit on a baseline grid. An image or a display line may take more.
    pub height: f32,
    /// Distance from the top of the line's slot to its baseline, pt (0 < baseline ≤ height).
    pub baseline: f32,
    /// Positioned content, relative to (text-block left edge, this line's baseline).
    pub items: Vec<Item>,
    /// Footnotes whose reference mark sits on this line: indexes into [`ChapterFlow::notes`].
    pub notes: Vec<usize>,
    /// Natural width of the content, pt (for centring, measuring, and tests).
    pub width: f32,
    /// Where the line's text begins in the chapter's model (`None` for text bindery adds:
    /// notes, labels, front matter). The page map is made of these.
    pub source: Option<TextAt>,
}

/// A place in a chapter's model text: top-level block `block` of the chapter, `offset`
/// characters into that block's text ([`crate::model::block_text`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextAt {
    pub block: usize,
    /// In characters (Unicode scalar values), not bytes.
    pub offset: usize,
}

/// An element of the vertical list.
#[derive(Debug, Clone)]
pub enum VItem {
    Line(LineBox),
    /// Vertical glue: discarded at the top of a page; a break may occur at it (cost 0) when it
    /// follows a line.
    Space {
        height: f32,
        stretch: f32,
        shrink: f32,
    },
    /// A break opportunity between lines with a cost, as in TeX. `f32::INFINITY` forbids a break
    /// here; `f32::NEG_INFINITY` forces one (e.g. a chapter's end).
    Penalty {
        cost: f32,
    },
    /// A figure, which may float: set here when it fits on the page, otherwise at the top of
    /// a later page while the text after it goes on filling this one (see `flow.rs`).
    Float(FloatBox),
    /// A heading starts here (zero height): recorded on the page where the next line lands, for
    /// the contents, bookmarks and running heads.
    Heading {
        level: u8,
        title: String,
        anchor: String,
    },
}

/// A figure's lines (the image, then its caption), kept together wherever they land.
#[derive(Debug, Clone, Default)]
pub struct FloatBox {
    pub lines: Vec<LineBox>,
    /// Set on a page of its own, turned a quarter turn (a wide figure taller than the text
    /// block would otherwise be).
    pub own_page: bool,
}

impl FloatBox {
    /// The height of its lines, pt.
    pub fn height(&self) -> f32 {
        self.lines.iter().map(|l| l.height.max(0.0)).sum()
    }
}

/// A chapter (article) ready for page breaking.
#[derive(Debug, Clone, Default)]
pub struct ChapterFlow {
    /// Title for running heads and the contents (`front::chapter_title`).
    pub title: String,
    /// Anchor of the heading set as the title: the contents' chapter entry stands for it.
    pub title_anchor: Option<String>,
    /// Named destination of the chapter start.
    pub anchor: String,
    pub body: Vec<VItem>,
    /// The chapter's footnotes, laid out at note size, in order of first reference.
    pub notes: Vec<NoteFlow>,
    /// Other settings of paragraphs, each letting a page end after a line that otherwise ends
    /// with a hyphen (see [`LineVariant`]).
    pub variants: Vec<LineVariant>,
    /// The chapter's structure elements (a `Section` root); the lines' [`Item::Mark`]s point
    /// into it with ids local to the chapter.
    pub structure: Structure,
    /// What a page starting inside a long table repeats at its top (see [`TableRepeat`]).
    pub repeats: Vec<TableRepeat>,
    /// Located warnings found while laying out (a table too wide for the measure).
    pub warnings: Vec<crate::diag::Diagnostic>,
}

/// The lines a page repeats at its top when it begins inside a long table: the caption marked
/// "(continued)" and the header row, all artifacts (the structure has them once, where the
/// table begins). The page builder sets them above the page's first body line and counts
/// their height against the page.
#[derive(Debug, Clone, Default)]
pub struct TableRepeat {
    /// Body indexes of the lines a page may begin with to get the repeat: the table's rows
    /// after the first (a page cannot begin with the first: it follows the header).
    pub rows: std::ops::Range<usize>,
    pub lines: Vec<LineBox>,
}

impl TableRepeat {
    /// Height of the repeated lines, pt.
    pub fn height(&self) -> f32 {
        self.lines.iter().map(|l| l.height).sum()
    }
}

/// A paragraph broken again with one line-end hyphen forbidden, as many lines long as before:
/// a page may end after body line `after` when the paragraph's lines are swapped for `lines`.
#[derive(Debug, Clone, Default)]
pub struct LineVariant {
    /// Body index of the line that no longer ends with a hyphen.
    pub after: usize,
    /// Body indexes of all the paragraph's lines, in order.
    pub paragraph: Vec<usize>,
    /// The lines that differ: (body index, replacement), in order.
    pub lines: Vec<(usize, LineBox)>,
}

#[derive(Debug, Clone, Default)]
pub struct NoteFlow {
    /// The note's lines, the first starting with its number. Penalties between them are implied:
    /// a note may split after its second line and before its last-but-one (no 1-line fragments).
    pub lines: Vec<LineBox>,
}

/// Penalty after a paragraph's first line when more lines follow (a break there would leave an
/// orphan, a lone first line at the foot of a page). Infinite: bindery never sets orphans.
pub const CLUB_PENALTY: f32 = f32::INFINITY;
/// Penalty before a paragraph's last line (a break there leaves a widow at the top of a page).
/// Infinite: bindery never sets widows; the page builder lets a spread run a line short instead.
pub const WIDOW_PENALTY: f32 = f32::INFINITY;
/// Penalty for breaking between two ordinary lines inside a paragraph: a small cost so that page
/// breaks prefer the gaps between paragraphs (TeX's \interlinepenalty is 0; books prefer some).
pub const INTERLINE_PENALTY: f32 = 0.0;
/// Breaking right after a heading is never allowed (keep with next).
pub const AFTER_HEADING_PENALTY: f32 = f32::INFINITY;
/// Breaking between paragraphs: a slight bonus, as a paragraph end is the best place for a page end.
pub const BETWEEN_PARAGRAPHS_PENALTY: f32 = -50.0;
/// Breaking inside a short block quote, list item or table: discouraged.
pub const INSIDE_DISPLAY_PENALTY: f32 = 150.0;
