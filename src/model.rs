//! The book model: plain data between the readers (config, markdown) and the writers (epub, typeset).
//!
//! No writer reads Markdown and no reader knows EPUB or PDF. Every block and inline carries a
//! [`Span`] into its source file so that diagnostics can point at `file:line:column`.

use std::collections::HashMap;
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
    /// The numbers of figures and tables and what each label names, decided once
    /// (`numbering::number`) for both editions and the cross-references.
    pub numbers: Numbers,
}

/// Figure and table numbers and the book's labels ([`Book::numbers`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Numbers {
    /// Each numbered figure (one with a caption), by its image's span ([`Figure::span`]).
    pub figures: HashMap<Span, Numbered>,
    /// Each numbered table, by its block's span.
    pub tables: HashMap<Span, Numbered>,
    /// Every label defined in the book (`fig:map`, `tbl:rivers`, `sec:rain`) → what it names.
    pub labels: HashMap<String, Target>,
    /// The numbered figures in reading order: the list of figures (`contents: { figures }`).
    pub figure_list: Vec<Listed>,
    /// The numbered tables in reading order: the list of tables (`contents: { tables }`).
    pub table_list: Vec<Listed>,
}

/// A numbered figure or table as its list shows it: "Figure 2.3  Rows of rice".
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// Index into [`Book::chapters`] of the chapter holding it.
    pub chapter: usize,
    /// Its name and number ([`Numbered::name`]).
    pub name: String,
    /// Its caption's text, plain.
    pub caption: String,
    /// Its anchor ([`Numbered::anchor`]): the EPUB's `id`, the PDF's destination.
    pub anchor: String,
}

/// A numbered figure or table.
#[derive(Debug, Clone, PartialEq)]
pub struct Numbered {
    /// Its name and number in the book's language, as captions and references show it
    /// ("Figure 2.3", "Tabelle 4").
    pub name: String,
    /// Book-unique anchor: the EPUB's `id` (through `xml_id`) and the PDF's destination.
    pub anchor: String,
}

/// What a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    Figure,
    Table,
    Section,
}

/// The target of a label ([`Numbers::labels`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub kind: TargetKind,
    /// Index into [`Book::chapters`].
    pub chapter: usize,
    /// The anchor a reference links to (a figure's or table's [`Numbered::anchor`], a
    /// heading's id).
    pub anchor: String,
    /// What a reference to it shows: "Figure 2.3", or a section's title. `None` for a figure
    /// or table without a caption, which has no number to refer to.
    pub name: Option<String>,
    /// The number alone ("2.3"), for lists ("Figures 1 and 2"); `None` for sections.
    pub number: Option<String>,
    /// Where the label is written.
    pub span: Span,
}

/// One article (one Markdown file) of the series.
#[derive(Debug, Clone)]
pub struct Chapter {
    pub file: FileId,
    /// Stable, book-unique slug derived from the file name (e.g. `01-the-end`); the EPUB writes
    /// `<slug>.xhtml` and the PDF uses it as the chapter's named destination.
    pub slug: String,
    /// The chapter's title as written ([`Chapter::written_title`]: its title heading's text,
    /// else the front matter's `title:`); `None` without either. What a reader sees as the title, untitled chapters included, is
    /// `front::chapter_title`.
    pub title: Option<String>,
    /// The chapter's language from its front matter (`lang: de`), when it differs from the
    /// book's; `None` means the book's language.
    pub lang: Option<String>,
    /// What the article's front matter says about it (title, subtitle, date, authors).
    pub meta: ArticleMeta,
    pub blocks: Vec<Block>,
    /// Footnotes of this chapter, in order of first reference.
    pub footnotes: Vec<Footnote>,
}

/// What an article's front matter (`---` YAML or `+++` TOML, as blogs write it) says about it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleMeta {
    /// `title:`: the chapter's title when the Markdown has no level-1 heading.
    pub title: Option<String>,
    /// `subtitle:` or `description:`, set under the title.
    pub subtitle: Option<String>,
    /// `date:`, for the byline (`chapters: { byline: true }`).
    pub date: Option<crate::config::Date>,
    /// `author:`/`authors:`, for the byline.
    pub authors: Vec<String>,
}

impl Chapter {
    /// The chapter's direction: its own language's (front matter `lang:`), else the book's
    /// (`language`), by [`Direction::of`]. The EPUB writes it on the chapter's `<html>`.
    pub fn direction(&self, book_language: &str) -> Direction {
        match Direction::of(None, Some(self.lang.as_deref().unwrap_or(book_language))) {
            Some(Direction::Rtl) => Direction::Rtl,
            _ => Direction::Ltr,
        }
    }
}

impl Chapter {
    /// Every heading of the chapter, in document order, including those nested in quotes/lists.
    pub fn headings(&self) -> Vec<&Heading> {
        let mut out = Vec::new();
        each_block(&self.blocks, &mut |b| {
            if let BlockKind::Heading(h) = &b.kind {
                out.push(h);
            }
        });
        out
    }

    /// The heading that titles the chapter: its first level-1 heading, else (when the front
    /// matter gives no `title:`) its first heading. The EPUB and the typesetter both set it as
    /// the title and leave it out of the chapter's own contents entries.
    pub fn title_heading(&self) -> Option<&Heading> {
        let headings = self.headings();
        let first = match self.meta.title {
            Some(_) => None,
            None => headings.first(),
        };
        headings.iter().find(|h| h.level == 1).or(first).copied()
    }

    /// The chapter's title as written: its title heading's text, else the front matter's
    /// `title:`. What a reader sees, untitled chapters included, is `front::chapter_title`.
    pub fn written_title(&self) -> Option<String> {
        self.title_heading()
            .map(|h| h.plain_text())
            .or_else(|| self.meta.title.clone())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: BlockKind,
    pub span: Span,
    /// The direction the author wrote on the block (raw HTML's `dir` on a block element or on
    /// the `<div>` around it, `<div dir="rtl">`); `None` for the chapter's. An explicit
    /// direction wins over the first-strong rule, as in HTML: in print the block's paragraphs
    /// are set in it, and the EPUB writes it as `dir` ([`Block::dir`] of the blocks inside a
    /// block with one is theirs, else inherited).
    pub dir: Option<Direction>,
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
    /// The caption, from pandoc's caption paragraph (`Table: The rivers {#tbl:rivers}` or
    /// `: The rivers`, right before or right after the table) or raw HTML's `<caption>`, with
    /// the prefix and the label taken off; empty without one.
    pub caption: Vec<Inline>,
    /// The label written after the caption (`tbl:rivers` from `{#tbl:rivers}`), as written.
    pub label: Option<String>,
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
    /// Text in another language or direction than its surroundings: `<span lang="km">…</span>`,
    /// `<span dir="rtl">`, `<bdi>`, or pandoc's bracketed span `[texte]{lang=fr}`,
    /// `[text]{dir=rtl}`. Smart quotes, hyphenation and line breaking follow `lang`; the EPUB
    /// marks it with `lang` and `xml:lang` and its [`Inline::direction`] with `dir` (`<bdi>`
    /// for `auto`); in print it is a bidi isolate of that direction.
    Lang {
        /// A BCP 47 tag as written (`fr`, `km`, `de-CH`); `None` for a span that only sets a
        /// direction.
        lang: Option<String>,
        /// The direction the author wrote (`dir="rtl"`, `{dir=ltr}`, `<bdi>`'s `auto`);
        /// `None` when only the language says it.
        dir: Option<Direction>,
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
        /// The alt text: the bracketed text, or `{alt="…"}` when given.
        alt: String,
        title: String,
        /// What is written in braces right after the image (`{#fig:map width=60%}`).
        attrs: ImageAttrs,
    },
    /// A cross-reference in pandoc-crossref's syntax: `@fig:map`, `@tbl:rivers`, `@sec:rain`,
    /// or a list `[@fig:a; @fig:b]`. Only references to labels the book defines are kept (an
    /// unknown one stays text, W0405); `text` is what both editions show ("Figure 2.3",
    /// "Figures 1 and 2", a section's title), decided once by `numbering`.
    CrossRef(CrossRef),
    /// A reference to a footnote of the same chapter: index into [`Chapter::footnotes`].
    FootnoteRef(usize),
    SoftBreak,
    HardBreak,
    /// A piece of raw inline HTML as written. It lives only while Markdown is parsed: each run
    /// of inlines holding one is converted at once (`rawhtml::inlines`) into the other kinds, so
    /// a loaded [`Book`] never holds one, and writers ignore it.
    Html(String),
}

/// The attributes of an image, pandoc's `{#id .class key=value}` after `![…](…)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImageAttrs {
    /// `#fig:map`: the figure's label, for cross-references (`@fig:map`).
    pub id: Option<String>,
    /// `width=60%`: the printed width as a share of the measure (0 < width ≤ 1); the EPUB
    /// writes it as CSS.
    pub width: Option<f32>,
    /// The bracketed text, when `alt="…"` gave the image another alt text (the bracketed
    /// text is then still the caption of a figure without a title).
    pub text: Option<String>,
}

/// A cross-reference ([`InlineKind::CrossRef`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CrossRef {
    /// The labels referred to, in order (`fig:a`, `fig:b`), each defined in the book.
    pub labels: Vec<String>,
    /// The text shown: the labels' names and numbers in the book's language, set by
    /// `numbering::number`; the source as written until then.
    pub text: String,
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
    /// The note's number (per book or per chapter, from the config).
    pub number: u32,
    /// What the reader sees of the number, decided once for both editions: the reference's
    /// mark and the note's label, in the book's digits ("3", "٣" in Egyptian Arabic).
    pub mark: String,
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
    /// An SVG drawing, in usvg's normal form (see the `svg` module): vectors in both editions.
    Svg,
}

impl ImageFormat {
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Svg => "image/svg+xml",
        }
    }

    /// The file name ending the EPUB gives an image of this format.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Svg => "svg",
        }
    }
}

/// The visible text of inlines, without markup (footnote marks are dropped).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut s = String::new();
    each_inline(inlines, &mut |i| match &i.kind {
        InlineKind::Text(t) | InlineKind::Code(t) => s.push_str(t),
        InlineKind::CrossRef(r) => s.push_str(&r.text),
        InlineKind::Image { alt, .. } => s.push_str(alt),
        InlineKind::SoftBreak | InlineKind::HardBreak => s.push(' '),
        // Containers: their text comes as the walk reaches what they hold.
        InlineKind::Emphasis(_)
        | InlineKind::Strong(_)
        | InlineKind::Strikethrough(_)
        | InlineKind::Superscript(_)
        | InlineKind::Subscript(_)
        | InlineKind::Lang { .. }
        | InlineKind::Link { .. }
        | InlineKind::FootnoteRef(_)
        | InlineKind::Html(_) => {}
    });
    s
}

// ---------------------------------------------------------------------------------------------
// The one walk over the model. Which blocks hold blocks, which hold runs of inlines and which
// inlines hold inlines is said here and nowhere else: a new kind is a change to these few
// functions plus the renderers (the EPUB's XHTML, the typesetter, `plain_text`).

/// The runs of inlines a block holds itself: a paragraph's, a heading's, a table's caption
/// (empty without one) and then each of its cells.
fn block_runs<'a>(block: &'a Block, f: &mut dyn FnMut(&'a [Inline])) {
    match &block.kind {
        BlockKind::Paragraph(i) => f(i),
        BlockKind::Heading(h) => f(&h.content),
        BlockKind::Table(t) => std::iter::once(&t.caption)
            .chain(&t.head)
            .chain(t.rows.iter().flatten())
            .for_each(|c| f(c)),
        BlockKind::BlockQuote(_)
        | BlockKind::List(_)
        | BlockKind::CodeBlock { .. }
        | BlockKind::SceneBreak => {}
    }
}

/// [`block_runs`], mutably.
fn block_runs_mut(block: &mut Block, f: &mut dyn FnMut(&mut [Inline])) {
    match &mut block.kind {
        BlockKind::Paragraph(i) => f(i),
        BlockKind::Heading(h) => f(&mut h.content),
        BlockKind::Table(t) => std::iter::once(&mut t.caption)
            .chain(&mut t.head)
            .chain(t.rows.iter_mut().flatten())
            .for_each(|c| f(c)),
        BlockKind::BlockQuote(_)
        | BlockKind::List(_)
        | BlockKind::CodeBlock { .. }
        | BlockKind::SceneBreak => {}
    }
}

/// The sequences of blocks a block holds: a quote's, each list item's.
fn block_children<'a>(block: &'a Block, f: &mut dyn FnMut(&'a [Block])) {
    match &block.kind {
        BlockKind::BlockQuote(inner) => f(inner),
        BlockKind::List(l) => l.items.iter().for_each(|i| f(&i.blocks)),
        BlockKind::Heading(_)
        | BlockKind::Paragraph(_)
        | BlockKind::Table(_)
        | BlockKind::CodeBlock { .. }
        | BlockKind::SceneBreak => {}
    }
}

/// [`block_children`], mutably.
fn block_children_mut(block: &mut Block, f: &mut dyn FnMut(&mut [Block])) {
    match &mut block.kind {
        BlockKind::BlockQuote(inner) => f(inner),
        BlockKind::List(l) => l.items.iter_mut().for_each(|i| f(&mut i.blocks)),
        BlockKind::Heading(_)
        | BlockKind::Paragraph(_)
        | BlockKind::Table(_)
        | BlockKind::CodeBlock { .. }
        | BlockKind::SceneBreak => {}
    }
}

/// A writing direction, as HTML's `dir` attribute names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Ltr,
    Rtl,
    /// From the text's first strong character (`dir="auto"`, `<bdi>`).
    Auto,
}

impl Direction {
    /// `dir="…"`'s value (`ltr`, `rtl`, `auto`), any case, or `None`.
    pub fn parse(value: &str) -> Option<Direction> {
        match value.trim().to_ascii_lowercase().as_str() {
            "ltr" => Some(Direction::Ltr),
            "rtl" => Some(Direction::Rtl),
            "auto" => Some(Direction::Auto),
            _ => None,
        }
    }

    /// The attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
            Direction::Auto => "auto",
        }
    }

    /// The one decision for a span, a chapter or a book: the direction written (`dir`), else
    /// its language's script direction (right to left for Arabic, Hebrew, Persian, Urdu, or a
    /// tag with an `Arab`/`Hebr` script subtag; left to right for any other language); `None`
    /// when neither is given (the text takes its surroundings' direction).
    pub fn of(dir: Option<Direction>, lang: Option<&str>) -> Option<Direction> {
        dir.or_else(|| {
            lang.map(|l| {
                if crate::lang::is_rtl(l) {
                    Direction::Rtl
                } else {
                    Direction::Ltr
                }
            })
        })
    }
}

impl Inline {
    /// The direction of a span marked with a language or a direction ([`Direction::of`]);
    /// `None` for other inlines.
    pub fn direction(&self) -> Option<Direction> {
        match &self.kind {
            InlineKind::Lang { lang, dir, .. } => Direction::of(*dir, lang.as_deref()),
            _ => None,
        }
    }

    /// The inlines this one holds (emphasis, strong, strikethrough, raised, lowered, another
    /// language's, a link's text); empty for the others.
    pub fn children(&self) -> &[Inline] {
        match &self.kind {
            InlineKind::Emphasis(c)
            | InlineKind::Strong(c)
            | InlineKind::Strikethrough(c)
            | InlineKind::Superscript(c)
            | InlineKind::Subscript(c)
            | InlineKind::Lang { content: c, .. } => c,
            InlineKind::Link { content, .. } => content,
            InlineKind::Text(_)
            | InlineKind::Code(_)
            | InlineKind::Image { .. }
            | InlineKind::CrossRef(_)
            | InlineKind::FootnoteRef(_)
            | InlineKind::SoftBreak
            | InlineKind::HardBreak
            | InlineKind::Html(_) => &[],
        }
    }

    /// [`Inline::children`], mutably.
    pub fn children_mut(&mut self) -> &mut [Inline] {
        match &mut self.kind {
            InlineKind::Emphasis(c)
            | InlineKind::Strong(c)
            | InlineKind::Strikethrough(c)
            | InlineKind::Superscript(c)
            | InlineKind::Subscript(c)
            | InlineKind::Lang { content: c, .. } => c,
            InlineKind::Link { content, .. } => content,
            InlineKind::Text(_)
            | InlineKind::Code(_)
            | InlineKind::Image { .. }
            | InlineKind::CrossRef(_)
            | InlineKind::FootnoteRef(_)
            | InlineKind::SoftBreak
            | InlineKind::HardBreak
            | InlineKind::Html(_) => &mut [],
        }
    }
}

/// Calls `f` on every block of `blocks`, those nested in quotes and lists included, each
/// before the blocks it holds, in document order.
pub fn each_block<'a>(blocks: &'a [Block], f: &mut dyn FnMut(&'a Block)) {
    for b in blocks {
        f(b);
        block_children(b, &mut |inner| each_block(inner, f));
    }
}

/// Calls `f` on every run of inlines that forms one container of text (a paragraph, a heading,
/// a table cell) in `blocks` and the blocks they hold.
pub fn each_run<'a>(blocks: &'a [Block], f: &mut dyn FnMut(&'a [Inline])) {
    each_block(blocks, &mut |b| block_runs(b, f));
}

/// Calls `f` on every inline of `run`, each before the inlines it holds, in document order.
pub fn each_inline<'a>(run: &'a [Inline], f: &mut dyn FnMut(&'a Inline)) {
    for i in run {
        f(i);
        each_inline(i.children(), f);
    }
}

/// Calls `f` on every inline of every run in `blocks` ([`each_run`], then [`each_inline`]).
pub fn each_inline_in<'a>(blocks: &'a [Block], f: &mut dyn FnMut(&'a Inline)) {
    each_run(blocks, &mut |run| each_inline(run, f));
}

/// Calls `f` on every block, mutably, each before the blocks it holds.
pub fn each_block_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Block)) {
    for b in blocks {
        f(b);
        block_children_mut(b, &mut |inner| each_block_mut(inner, f));
    }
}

/// Calls `f` on every inline in `blocks`, mutably, each before the inlines it holds (so `f`
/// may change a container, and the walk goes on into what it holds afterwards).
pub fn each_inline_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Inline)) {
    fn run(list: &mut [Inline], f: &mut dyn FnMut(&mut Inline)) {
        for i in list {
            f(i);
            run(i.children_mut(), f);
        }
    }
    each_block_mut(blocks, &mut |b| block_runs_mut(b, &mut |r| run(r, f)));
}

impl Chapter {
    /// Calls `f` on every block of the chapter ([`each_block`]), then of its footnotes.
    pub fn each_block<'a>(&'a self, f: &mut dyn FnMut(&'a Block)) {
        each_block(&self.blocks, f);
        for note in &self.footnotes {
            each_block(&note.blocks, f);
        }
    }

    /// Calls `f` on every run of inlines of the chapter ([`each_run`]), then of its footnotes.
    pub fn each_run<'a>(&'a self, f: &mut dyn FnMut(&'a [Inline])) {
        self.each_block(&mut |b| block_runs(b, f));
    }
}

/// A figure: an image set on its own, with its caption.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure<'a> {
    /// Index into [`Book::assets`] (always a valid one).
    pub asset: usize,
    pub alt: &'a str,
    /// The caption: the image's title if it has one, else the bracketed text (as in pandoc);
    /// empty when it has neither (then the figure has no number either).
    pub caption: &'a str,
    /// The label (`{#fig:map}`), for cross-references.
    pub label: Option<&'a str>,
    /// The printed width as a share of the measure (`{width=60%}`).
    pub width: Option<f32>,
    /// The image's place in the source (it tells figures apart: `numbering` keys on it).
    pub span: Span,
}

impl Book {
    /// The figure a paragraph is, if it is one: the paragraph holds one image of the book and
    /// nothing else but white space and line breaks (its attributes are the image's). The EPUB
    /// writes it as `<figure>`, the typesetter as a centred image on its own lines, and `check`
    /// measures its print resolution. An image among words, or a remote one, stays inline.
    pub fn figure<'a>(&self, paragraph: &'a [Inline]) -> Option<Figure<'a>> {
        let mut found = None;
        for inline in paragraph {
            match &inline.kind {
                InlineKind::Image {
                    asset: Some(asset),
                    alt,
                    title,
                    attrs,
                    ..
                } if found.is_none() && *asset < self.assets.len() => {
                    let caption = if !title.trim().is_empty() {
                        title.trim()
                    } else {
                        attrs.text.as_deref().unwrap_or(alt).trim()
                    };
                    found = Some(Figure {
                        asset: *asset,
                        alt,
                        caption,
                        label: attrs.id.as_deref(),
                        width: attrs.width,
                        span: inline.span,
                    })
                }
                InlineKind::Text(t) if t.trim().is_empty() => {}
                InlineKind::SoftBreak | InlineKind::HardBreak => {}
                _ => return None,
            }
        }
        found
    }
}

/// The text of a block that positions in it count in ([`TextPos::offset`]; its length is
/// [`block_text_len`]): a paragraph's or
/// heading's [`plain_text`], a code block's text, a table's caption and cells (caption, head,
/// then rows, in reading order), and for a quote or list the texts of the blocks inside, one after the
/// other, with nothing between them. A scene break and raw HTML have none.
pub fn block_text(block: &Block) -> String {
    let mut s = String::new();
    each_block(std::slice::from_ref(block), &mut |b| match &b.kind {
        BlockKind::CodeBlock { text, .. } => s.push_str(text),
        // Quotes and lists: the walk goes on into the blocks they hold.
        BlockKind::BlockQuote(_) | BlockKind::List(_) => {}
        BlockKind::SceneBreak => {}
        BlockKind::Heading(_) | BlockKind::Paragraph(_) | BlockKind::Table(_) => {
            block_runs(b, &mut |run| s.push_str(&plain_text(run)))
        }
    });
    s
}

/// The length of [`block_text`] in characters, counted without building the text, through
/// the same walk.
pub fn block_text_len(block: &Block) -> usize {
    let mut n = 0;
    each_block(std::slice::from_ref(block), &mut |b| match &b.kind {
        BlockKind::CodeBlock { text, .. } => n += text.chars().count(),
        BlockKind::BlockQuote(_) | BlockKind::List(_) => {}
        BlockKind::SceneBreak => {}
        BlockKind::Heading(_) | BlockKind::Paragraph(_) | BlockKind::Table(_) => {
            block_runs(b, &mut |run| {
                each_inline(run, &mut |i| match &i.kind {
                    InlineKind::Text(t) | InlineKind::Code(t) => n += t.chars().count(),
                    InlineKind::CrossRef(r) => n += r.text.chars().count(),
                    InlineKind::Image { alt, .. } => n += alt.chars().count(),
                    InlineKind::SoftBreak | InlineKind::HardBreak => n += 1,
                    InlineKind::Emphasis(_)
                    | InlineKind::Strong(_)
                    | InlineKind::Strikethrough(_)
                    | InlineKind::Superscript(_)
                    | InlineKind::Subscript(_)
                    | InlineKind::Lang { .. }
                    | InlineKind::Link { .. }
                    | InlineKind::FootnoteRef(_)
                    | InlineKind::Html(_) => {}
                })
            })
        }
    });
    n
}

/// A place in the book's text: chapter `chapter`, its top-level block `block`, `offset`
/// characters (Unicode scalar values) into that block's [`block_text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TextPos {
    pub chapter: usize,
    pub block: usize,
    pub offset: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inline(kind: InlineKind) -> Inline {
        Inline {
            kind,
            span: Span::default(),
        }
    }

    fn block(kind: BlockKind) -> Block {
        Block {
            kind,
            span: Span::default(),
            dir: None,
        }
    }

    /// `block_text_len` counts what `block_text` holds, in characters, for every kind.
    #[test]
    fn block_text_len_is_the_length_of_block_text() {
        let para = |text: &str| {
            block(BlockKind::Paragraph(vec![
                inline(InlineKind::Text(text.into())),
                inline(InlineKind::Emphasis(vec![inline(InlineKind::Text(
                    "é".into(),
                ))])),
                inline(InlineKind::FootnoteRef(0)),
                inline(InlineKind::SoftBreak),
                inline(InlineKind::Image {
                    asset: None,
                    src: "x.png".into(),
                    alt: "alt".into(),
                    title: String::new(),
                    attrs: ImageAttrs::default(),
                }),
            ]))
        };
        let blocks = [
            para("ខ្មែរ text"),
            block(BlockKind::BlockQuote(vec![para("a"), para("bc")])),
            block(BlockKind::List(List {
                start: None,
                items: vec![ListItem {
                    blocks: vec![para("item")],
                    span: Span::default(),
                }],
            })),
            block(BlockKind::CodeBlock {
                lang: None,
                text: "fn main() {}\n".into(),
            }),
            block(BlockKind::Table(Table {
                caption: vec![inline(InlineKind::Text("caption".into()))],
                label: Some("tbl:t".into()),
                align: vec![Align::None],
                head: vec![vec![inline(InlineKind::Text("head".into()))]],
                rows: vec![vec![vec![inline(InlineKind::Code("cell".into()))]]],
            })),
            block(BlockKind::SceneBreak),
        ];
        for b in &blocks {
            assert_eq!(block_text_len(b), block_text(b).chars().count(), "{b:?}");
        }
        assert_eq!(block_text(&blocks[0]), "ខ្មែរ texté alt");
    }

    fn image(asset: Option<usize>) -> Inline {
        inline(InlineKind::Image {
            asset,
            src: "images/a.png".into(),
            alt: "A".into(),
            title: "Caption".into(),
            attrs: ImageAttrs::default(),
        })
    }

    /// A book with one image asset, loaded from a temporary folder.
    fn book_with_one_image() -> Book {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::write(
            root.join("book.yaml"),
            "title: T\nauthor: A\nlanguage: en\n",
        )
        .expect("yaml");
        std::fs::create_dir_all(root.join("manuscript/images")).expect("mkdir");
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/full/images/diagram.png");
        std::fs::copy(fixture, root.join("manuscript/images/a.png")).expect("image");
        std::fs::write(
            root.join("manuscript/01.md"),
            "# One\n\n![A](images/a.png)\n",
        )
        .expect("md");
        let book = crate::load::load_book(root).book.expect("loads");
        assert_eq!(book.assets.len(), 1);
        book
    }

    #[test]
    fn a_figure_is_one_image_of_the_book_alone_in_its_paragraph() {
        let book = book_with_one_image();
        let space = || inline(InlineKind::Text(" ".into()));
        let alone = [image(Some(0))];
        let figure = book.figure(&alone).expect("a figure");
        assert_eq!(
            (figure.asset, figure.alt, figure.caption),
            (0, "A", "Caption")
        );
        // White space and line breaks around it do not matter.
        let padded = [
            space(),
            image(Some(0)),
            inline(InlineKind::SoftBreak),
            inline(InlineKind::HardBreak),
        ];
        assert!(book.figure(&padded).is_some());
        // Words, a second image, a remote image or an unknown asset make it inline.
        let words = [
            image(Some(0)),
            inline(InlineKind::Text(" and words".into())),
        ];
        assert!(book.figure(&words).is_none());
        assert!(book.figure(&[image(Some(0)), image(Some(0))]).is_none());
        assert!(book.figure(&[image(None)]).is_none());
        assert!(book.figure(&[image(Some(1))]).is_none());
        assert!(book.figure(&[space()]).is_none());
        // The loaded paragraph is one.
        let BlockKind::Paragraph(p) = &book.chapters[0].blocks[1].kind else {
            panic!("a paragraph after the heading");
        };
        assert!(book.figure(p).is_some());
    }

    #[test]
    fn the_walk_visits_every_inline_in_document_order() {
        let text = |s: &str| inline(InlineKind::Text(s.into()));
        let run = vec![
            text("a"),
            inline(InlineKind::Emphasis(vec![
                text("b"),
                inline(InlineKind::Strong(vec![text("c")])),
            ])),
            inline(InlineKind::Link {
                target: LinkTarget::External("https://example.org".into()),
                title: String::new(),
                content: vec![text("d")],
            }),
        ];
        let quote = Block {
            kind: BlockKind::BlockQuote(vec![Block {
                kind: BlockKind::Paragraph(vec![text("e")]),
                span: Span::default(),
                dir: None,
            }]),
            span: Span::default(),
            dir: None,
        };
        let table = Block {
            kind: BlockKind::Table(Table {
                caption: Vec::new(),
                label: None,
                align: vec![Align::None],
                head: vec![vec![text("f")]],
                rows: vec![vec![vec![text("g")]]],
            }),
            span: Span::default(),
            dir: None,
        };
        let mut blocks = vec![
            Block {
                kind: BlockKind::Paragraph(run),
                span: Span::default(),
                dir: None,
            },
            quote,
            table,
        ];
        let mut seen = String::new();
        each_inline_in(&blocks, &mut |i| {
            if let InlineKind::Text(t) = &i.kind {
                seen.push_str(t);
            }
        });
        assert_eq!(seen, "abcdefg");
        assert_eq!(
            plain_text(match &blocks[0].kind {
                BlockKind::Paragraph(p) => p,
                _ => unreachable!("the first block is a paragraph"),
            }),
            "abcd"
        );
        each_inline_mut(&mut blocks, &mut |i| {
            if let InlineKind::Text(t) = &mut i.kind {
                t.make_ascii_uppercase();
            }
        });
        let mut runs = 0;
        each_run(&blocks, &mut |_| runs += 1);
        assert_eq!(
            runs, 5,
            "the paragraph, the quoted paragraph, the (empty) caption and two cells"
        );
        let mut upper = String::new();
        each_inline_in(&blocks, &mut |i| {
            if let InlineKind::Text(t) = &i.kind {
                upper.push_str(t);
            }
        });
        assert_eq!(upper, "ABCDEFG");
    }
}
