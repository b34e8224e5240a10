//! The book model: plain data between the readers (config, markdown) and the writers (epub, typeset).
//!
//! No writer reads Markdown and no reader knows EPUB or PDF. Every block and inline carries a
//! [`Span`] into its source file so that diagnostics can point at `file:line:column`.

use std::path::PathBuf;

use crate::config::BookConfig;
pub use crate::source::{FileId, SourceFile, SourceMap, Span};

/// The whole book: metadata, articles in reading order, and the assets they use.
#[derive(Debug, Clone)]
pub struct Book {
    pub config: BookConfig,
    /// Directory that holds `book.yaml`; relative paths resolve against it.
    pub root: PathBuf,
    pub chapters: Vec<Chapter>,
    /// Images used by the manuscript, each once, in order of first use.
    pub assets: Vec<Asset>,
    pub sources: SourceMap,
}

/// One article (one Markdown file) of the series.
#[derive(Debug, Clone)]
pub struct Chapter {
    pub file: FileId,
    /// Stable, book-unique slug derived from the file name (e.g. `01-the-end`); the EPUB writes
    /// `<slug>.xhtml` and the PDF uses it as the chapter's named destination.
    pub slug: String,
    /// The chapter title: the text of its first level-1 heading, or else its first heading.
    pub title: Option<String>,
    pub blocks: Vec<Block>,
    /// Footnotes of this chapter, in order of first reference.
    pub footnotes: Vec<Footnote>,
}

impl Chapter {
    /// Every heading of the chapter, in document order, including those nested in quotes/lists.
    pub fn headings(&self) -> Vec<&Heading> {
        let mut out = Vec::new();
        fn walk<'a>(blocks: &'a [Block], out: &mut Vec<&'a Heading>) {
            for b in blocks {
                match &b.kind {
                    BlockKind::Heading(h) => out.push(h),
                    BlockKind::BlockQuote(inner) => walk(inner, out),
                    BlockKind::List(list) => list.items.iter().for_each(|i| walk(&i.blocks, out)),
                    _ => {}
                }
            }
        }
        walk(&self.blocks, &mut out);
        out
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: BlockKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    Heading(Heading),
    Paragraph(Vec<Inline>),
    BlockQuote(Vec<Block>),
    List(List),
    CodeBlock {
        /// The info string's first word (`rust` in ```` ```rust ````), if any.
        lang: Option<String>,
        text: String,
    },
    /// A thematic break (`***`, `---`): a scene break in a book.
    SceneBreak,
    Table(Table),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// 1 for `#`, up to 6.
    pub level: u8,
    /// Book-unique anchor id (from `{#id}` or derived from the text).
    pub id: String,
    pub content: Vec<Inline>,
    pub span: Span,
}

impl Heading {
    pub fn plain_text(&self) -> String {
        plain_text(&self.content)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// `Some(start)` for an ordered list, `None` for a bulleted one.
    pub start: Option<u64>,
    pub items: Vec<ListItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    pub blocks: Vec<Block>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub align: Vec<Align>,
    /// Header cells, each a list of inlines.
    pub head: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Vec<Inline>>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Inline {
    pub kind: InlineKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum InlineKind {
    /// Text after smart punctuation; adjacent text events are merged.
    Text(String),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Strikethrough(Vec<Inline>),
    /// Raised text (`<sup>` in raw HTML).
    Superscript(Vec<Inline>),
    /// Lowered text (`<sub>` in raw HTML).
    Subscript(Vec<Inline>),
    /// Text in another language than its surroundings (`<span lang="km">` in raw HTML); the
    /// EPUB marks it with `lang` and `xml:lang`.
    Lang {
        /// A BCP 47 tag as written, e.g. `km` or `fr-CA`.
        lang: String,
        content: Vec<Inline>,
    },
    Code(String),
    Link {
        target: LinkTarget,
        title: String,
        content: Vec<Inline>,
    },
    Image {
        /// Index into [`Book::assets`], or `None` when the source is a remote URL.
        asset: Option<usize>,
        /// The source as written in the Markdown.
        src: String,
        alt: String,
        title: String,
    },
    /// A reference to a footnote of the same chapter: index into [`Chapter::footnotes`].
    FootnoteRef(usize),
    SoftBreak,
    HardBreak,
    /// A piece of raw inline HTML as written. It lives only while Markdown is parsed: each run
    /// of inlines holding one is converted at once (`rawhtml::inlines`) into the other kinds, so
    /// a loaded [`Book`] never holds one, and writers ignore it.
    Html(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum LinkTarget {
    /// An absolute URL (`https:`, `mailto:`, ...).
    External(String),
    /// A place in the book: chapter index and optional heading id (book-unique).
    Internal {
        chapter: usize,
        anchor: Option<String>,
    },
    /// A relative link that resolves to nothing in the book (reported by `check`).
    Broken(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Footnote {
    /// The label as written (`[^label]`).
    pub label: String,
    /// The number shown to the reader (per book or per chapter, from the config).
    pub number: u32,
    /// Book-unique id of the note (`fn-3`), for EPUB asides and PDF destinations.
    pub anchor: String,
    /// Book-unique id of the note's first reference (`fnref-3`), for backlinks.
    pub ref_anchor: String,
    pub blocks: Vec<Block>,
    /// Span of the definition.
    pub span: Span,
}

/// An image file used by the manuscript.
#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    /// Path on disk.
    pub disk_path: PathBuf,
    /// Unique file name inside the editions, e.g. `images/map.png`.
    pub name: String,
    pub format: ImageFormat,
    /// Raw bytes of the file, as read (never recompressed).
    pub data: Vec<u8>,
    /// Pixel size.
    pub width: u32,
    pub height: u32,
    /// Where it is first used.
    pub span: Span,
}

/// A file read from the book's folder for a writer (an EPUB font of `fonts/`), so that no
/// writer reads the disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontFile {
    /// The file name, e.g. `Libertinus-Regular.otf`.
    pub name: String,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Jpeg,
}

impl ImageFormat {
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
        }
    }
}

/// The visible text of inlines, without markup (footnote marks are dropped).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut s = String::new();
    fn walk(inlines: &[Inline], s: &mut String) {
        for i in inlines {
            match &i.kind {
                InlineKind::Text(t) | InlineKind::Code(t) => s.push_str(t),
                InlineKind::Emphasis(c)
                | InlineKind::Strong(c)
                | InlineKind::Strikethrough(c)
                | InlineKind::Superscript(c)
                | InlineKind::Subscript(c)
                | InlineKind::Lang { content: c, .. } => walk(c, s),
                InlineKind::Link { content, .. } => walk(content, s),
                InlineKind::Image { alt, .. } => s.push_str(alt),
                InlineKind::SoftBreak | InlineKind::HardBreak => s.push(' '),
                InlineKind::FootnoteRef(_) | InlineKind::Html(_) => {}
            }
        }
    }
    walk(inlines, &mut s);
    s
}

/// The text of a block that positions in it count in ([`TextPos::offset`]): a paragraph's or
/// heading's [`plain_text`], a code block's text, a table's cells (head, then rows, in
/// reading order), and for a quote or list the texts of the blocks inside, one after the
/// other, with nothing between them. A scene break and raw HTML have none.
pub fn block_text(block: &Block) -> String {
    let mut s = String::new();
    fn walk(block: &Block, s: &mut String) {
        match &block.kind {
            BlockKind::Heading(h) => s.push_str(&plain_text(&h.content)),
            BlockKind::Paragraph(inlines) => s.push_str(&plain_text(inlines)),
            BlockKind::BlockQuote(inner) => inner.iter().for_each(|b| walk(b, s)),
            BlockKind::List(list) => list
                .items
                .iter()
                .flat_map(|i| &i.blocks)
                .for_each(|b| walk(b, s)),
            BlockKind::CodeBlock { text, .. } => s.push_str(text),
            BlockKind::Table(t) => t
                .head
                .iter()
                .chain(t.rows.iter().flatten())
                .for_each(|cell| s.push_str(&plain_text(cell))),
            BlockKind::SceneBreak => {}
        }
    }
    walk(block, &mut s);
    s
}

/// A place in the book's text: chapter `chapter`, its top-level block `block`, `offset`
/// characters (Unicode scalar values) into that block's [`block_text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TextPos {
    pub chapter: usize,
    pub block: usize,
    pub offset: usize,
}
