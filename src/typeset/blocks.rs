//! Block layout: a chapter's [`model::Block`]s → a [`ChapterFlow`] (the vertical list of lines,
//! spaces, penalties and heading marks, plus its footnotes laid out at note size) for the page
//! builder.
//!
//! # The grid
//! Body lines are one leading high; the space around headings, block quotes, code, tables and
//! figures is a whole number of leadings, and images take a whole number of lines, so facing
//! pages line up. Code and table text is smaller than the body but keeps the body's leading.
//!
//! # Breaks between lines (see `vlist.rs`)
//! Every line is followed by a penalty: paragraphs forbid a break after their first line and
//! before their last (no orphans or widows), headings keep with the next two lines, displays
//! (code, tables) discourage breaks inside and forbid one-line fragments, and the gap between
//! two paragraphs is a slightly favoured break.
//!
//! # Structure
//! Every line starts with an [`Item::Mark`] naming the element it belongs to in the chapter's
//! [`Structure`]: a `Section` holding headings, paragraphs, quotes, lists (item, label, body),
//! code, tables (row, header or data cell), figures and captions, with each `Note` placed
//! right after the element that first cites it. A link on a line becomes a `Link` element
//! under the line's element, holding the runs inside its area. Scene-break ornaments, table
//! rules and images with `alt=""` are artifacts.
//!
//! # Images
//! `Item::Image::image` is the index of the model asset ([`crate::model::Book::assets`]): the
//! page builder fills [`crate::typeset::frame::Document::images`] with [`document_images`], in
//! asset order.

use std::collections::HashSet;

use super::code;
use super::font::{FontSet, Role};
use super::frame::{
    Artifact, ImageData, Item, LinkTarget, Mark, NodeId, Rect, StructRole, Structure,
};
use super::page::lines_height;
use super::paragraph::{
    self, spans_from_inlines, Align, BreakRule, Composer, InlineContext, Measure, Span, TextStyle,
};
use super::table;
use super::vlist::{
    ChapterFlow, FloatBox, LineBox, LineVariant, NoteFlow, TableRepeat, TextAt, VItem,
    AFTER_HEADING_PENALTY, BETWEEN_PARAGRAPHS_PENALTY, CLUB_PENALTY, INSIDE_DISPLAY_PENALTY,
    INTERLINE_PENALTY, WIDOW_PENALTY,
};
use crate::config::PdfConfig;
use crate::diag::{Code, Diagnostic};
use crate::model::{self, Block, BlockKind, Book, Inline};

/// Footnote text size relative to the body (TeX's \footnotesize is 8/10).
const NOTE_SIZE_RATIO: f32 = 0.8;
/// Code block text relative to the body: DejaVu Sans Mono looks large beside Libertinus, and
/// code lines are long; 0.8 gives about 60 columns on a 6×9 in page.
const CODE_SIZE_RATIO: f32 = 0.8;
/// Chapter titles: size relative to the body, and lines of body leading per title line.
const CHAPTER_TITLE_SIZE_RATIO: f32 = 1.75;
const CHAPTER_TITLE_LEADING_LINES: f32 = 2.0;
/// Space after the chapter title, in body lines.
const CHAPTER_TITLE_SPACE_AFTER: f32 = 2.0;
/// Appended to a chapter's slug for the anchor of a title taken from its front matter (no
/// heading id of the manuscript ends so: ids are slugs without a double hyphen at the end).
const FRONT_TITLE_ANCHOR_SUFFIX: &str = "--title";
/// Section headings (level 2) relative to the body.
const SECTION_SIZE_RATIO: f32 = 1.2;
/// Space above a heading, in body lines (below it: none, the heading line is its own gap).
const HEADING_SPACE_ABOVE: f32 = 1.0;
/// Space above and below block quotes, code, tables and figures, in body lines.
pub const DISPLAY_SPACE: f32 = 1.0;
/// Block quote indent on both sides, in em of the body.
const QUOTE_INDENT_EM: f32 = 1.5;
/// Hanging indent of list items, in em, and the gap between label and text.
const LIST_INDENT_EM: f32 = 1.5;
const LIST_LABEL_GAP_EM: f32 = 0.5;
/// Table rules, pt: heavier above and below the table, lighter under the header (booktabs).
const TABLE_OUTER_RULE: f32 = 0.8;
const TABLE_INNER_RULE: f32 = 0.4;
/// A wide figure is turned a quarter onto a page of its own when that sets it this many
/// times larger than across the measure (a panorama squeezed into the column): a reader turns
/// the book for a figure worth it, not for a photograph a little wider than high.
const TURN_GAIN: f32 = 1.5;
/// Tab stops in code blocks, in columns.
const CODE_TAB_WIDTH: usize = 4;
/// Scene-break ornaments, in order of preference (the first the body face covers).
const SCENE_BREAK_ORNAMENTS: [&str; 2] = ["⁂", "* * *"];
/// Bullets by nesting depth.
const BULLETS: [&str; 3] = ["•", "–", "◦"];

/// Everything block layout needs to know about the page and the styles. Lengths in pt.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutSettings {
    /// Text block width: trim width − inner − outer margins.
    pub measure: f32,
    /// Text block height: trim height − top − bottom margins.
    pub text_height: f32,
    pub body: TextStyle,
    /// Footnotes.
    pub note: TextStyle,
    /// Chapter titles (level-1 headings).
    pub chapter_title: TextStyle,
    /// Headings of levels 2 to 6, index `level − 2`.
    pub headings: [TextStyle; 5],
    /// First-line indent of paragraphs (1 em).
    pub indent: f32,
    /// Justified or ragged right.
    pub align: Align,
    pub hyphenate: bool,
    /// BCP 47 language of the book.
    pub language: String,
    /// `pdf.page_references`: each cross-reference marks where it lands
    /// ([`crate::typeset::pagerefs`]) and takes its phrase from `page_refs`.
    pub mark_references: bool,
    /// What each cross-reference (by its span) adds after its text: " on page 37", found by
    /// the previous pass; empty on the first.
    pub page_refs: std::collections::HashMap<model::Span, String>,
}

impl LayoutSettings {
    /// Settings from the book's print configuration.
    pub fn from_config(pdf: &PdfConfig, language: &str) -> LayoutSettings {
        let size = pdf.font_size;
        let leading = pdf.leading;
        let body = TextStyle::new(size, leading, Role::Regular);
        let note_size = size * NOTE_SIZE_RATIO;
        let note = TextStyle::new(note_size, leading * NOTE_SIZE_RATIO, Role::Regular);
        let chapter_title = TextStyle::new(
            size * CHAPTER_TITLE_SIZE_RATIO,
            leading * CHAPTER_TITLE_LEADING_LINES,
            Role::heading(1),
        );
        let section = TextStyle::new(size * SECTION_SIZE_RATIO, leading, Role::heading(2));
        let sub = TextStyle::new(size, leading, Role::heading(3));
        let minor = TextStyle::new(size, leading, Role::heading(4));
        LayoutSettings {
            measure: pdf.text_block().width.max(size),
            text_height: pdf.text_block().height.max(leading),
            body,
            note,
            chapter_title,
            headings: [section, sub, minor, minor, minor],
            indent: size,
            align: if pdf.ragged_right {
                Align::RaggedRight
            } else {
                Align::Justify
            },
            hyphenate: pdf.hyphenate,
            language: language.to_string(),
            mark_references: pdf.page_references,
            page_refs: Default::default(),
        }
    }

    fn heading_style(&self, level: u8) -> TextStyle {
        let i = usize::from(level.clamp(2, 6) - 2);
        self.headings[i]
    }
}

/// The images of the book for [`crate::typeset::frame::Document::images`]: one per model asset,
/// in asset order, so that an asset's index is its image index.
pub fn document_images(book: &Book) -> Vec<ImageData> {
    book.assets
        .iter()
        .map(|a| ImageData {
            data: std::sync::Arc::new(a.data.clone()),
            format: a.format,
            width: a.width,
            height: a.height,
        })
        .collect()
}

/// Lays out chapter `chapter_index` of `book` (an empty flow for an index out of range).
/// Creates its own [`Composer`]; to share shaping caches across chapters on one thread use
/// [`chapter_flow_with`].
pub fn chapter_flow(
    book: &Book,
    chapter_index: usize,
    fonts: &FontSet,
    settings: &LayoutSettings,
) -> ChapterFlow {
    let mut composer = Composer::new(fonts, &settings.language);
    chapter_flow_with(&mut composer, book, chapter_index, settings)
}

/// [`chapter_flow`] with a caller-owned composer (one per thread).
pub fn chapter_flow_with(
    composer: &mut Composer,
    book: &Book,
    chapter_index: usize,
    settings: &LayoutSettings,
) -> ChapterFlow {
    let Some(chapter) = book.chapters.get(chapter_index) else {
        return ChapterFlow::default();
    };
    composer.set_exceptions(&book.config.hyphenation_exceptions);
    composer.set_language(chapter.lang.as_deref().unwrap_or(&book.config.language));
    composer.set_direction(chapter.direction(&book.config.language));
    // What the composer broke for earlier callers is theirs.
    composer.take_broken_words();
    let title = crate::front::chapter_title(book, chapter_index);
    let opening = crate::front::chapter_opening(book, chapter_index);
    // A title from the front matter is set as a level-1 heading of its own, anchored apart
    // from the chapter's own destination.
    let front_title = opening.title.as_ref().map(|t| model::Heading {
        level: 1,
        id: format!("{}{FRONT_TITLE_ANCHOR_SUFFIX}", chapter.slug),
        content: vec![Inline {
            kind: model::InlineKind::Text(t.clone()),
            span: chapter.blocks.first().map(|b| b.span).unwrap_or_default(),
        }],
        span: chapter.blocks.first().map(|b| b.span).unwrap_or_default(),
    });
    let title_anchor = front_title
        .as_ref()
        .map(|h| h.id.clone())
        .or_else(|| chapter.title_heading().map(|h| h.id.clone()));
    let mut structure = Structure::default();
    let section = structure.add(
        StructRole::Section {
            lang: chapter.lang.clone(),
        },
        None,
    );
    let note_nodes: Vec<NodeId> = chapter
        .footnotes
        .iter()
        .map(|_| structure.add_detached(StructRole::Note))
        .collect();
    let mut b = Builder {
        book,
        settings,
        composer,
        structure,
        parent: Some(section),
        mark: None,
        note_placed: vec![false; note_nodes.len()],
        note_nodes,
        in_notes: false,
        ctx: InlineContext {
            chapters: &book.chapters,
            footnotes: &chapter.footnotes,
            numbers: &book.numbers,
            page_refs: settings.mark_references.then_some(&settings.page_refs),
            referenced: HashSet::new(),
            at: None,
        },
        out: Vec::new(),
        pending: None,
        no_indent: true,
        title_anchor: title_anchor.clone(),
        opening_lines: [opening.subtitle, opening.byline],
        label: None,
        variants: Some(Vec::new()),
        repeats: Vec::new(),
        warnings: Vec::new(),
    };
    let body_frame = Frame {
        left: 0.0,
        width: settings.measure,
        style: settings.body,
        list_depth: 0,
    };
    if let Some(heading) = &front_title {
        b.heading(heading, &body_frame);
    }
    // Body lines record where their text begins (for the page map); note lines do not.
    for (index, block) in chapter.blocks.iter().enumerate() {
        b.ctx.at = Some(TextAt {
            block: index,
            offset: 0,
        });
        b.block(block, &body_frame);
    }
    b.ctx.at = None;
    let mut body = std::mem::take(&mut b.out);
    // Grown line by line: its slack (up to half) would be held through page breaking.
    body.shrink_to_fit();
    // Note paragraphs get no variants (a split note's lines follow the note rules).
    let mut variants = b.variants.take().unwrap_or_default();

    let note_frame = Frame {
        left: 0.0,
        width: settings.measure,
        style: settings.note,
        list_depth: 0,
    };
    // Notes no block cited (none, as notes are numbered by first reference) close the chapter.
    for k in 0..b.note_nodes.len() {
        if !b.note_placed[k] {
            b.structure.attach(b.note_nodes[k], Some(section));
        }
    }
    b.in_notes = true;
    let mut notes = Vec::with_capacity(chapter.footnotes.len());
    // The notes each note cites in its own text (a note of a note).
    let mut cited_in_notes: Vec<Vec<usize>> = vec![Vec::new(); chapter.footnotes.len()];
    for (k, note) in chapter.footnotes.iter().enumerate() {
        b.parent = b.note_nodes.get(k).copied();
        b.title_anchor = None;
        b.no_indent = true;
        b.pending = None;
        b.note_blocks(note, &note_frame);
        let lines = std::mem::take(&mut b.out)
            .into_iter()
            .filter_map(|item| match item {
                VItem::Line(mut line) => {
                    cited_in_notes[k].append(&mut line.notes);
                    Some(line)
                }
                _ => None,
            })
            .collect();
        notes.push(NoteFlow { lines });
    }
    cite_notes_of_notes(&mut body, &mut variants, &cited_in_notes);
    let broken = b.composer.take_broken_words();
    b.warnings.extend(broken_word_warnings(book, &broken));
    ChapterFlow {
        title,
        title_anchor,
        anchor: chapter.slug.clone(),
        body,
        notes,
        variants,
        structure: b.structure,
        repeats: b.repeats,
        warnings: b.warnings,
    }
}

/// Longest part of a broken word quoted in its W0907 message, in characters.
const BROKEN_WORD_SHOWN: usize = 40;

/// W0907 for each word the composer broke at a cluster (once per place it was written), at
/// the word in the manuscript.
fn broken_word_warnings(book: &Book, broken: &[paragraph::BrokenWord]) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut seen: Vec<model::Span> = Vec::new();
    for b in broken {
        let at = book.sources.find_within(b.origin, &b.word, b.offset);
        if seen.contains(&at) {
            continue;
        }
        seen.push(at);
        let chars = b.word.chars().count();
        let shown: String = match chars > BROKEN_WORD_SHOWN {
            true => {
                let head: String = b.word.chars().take(BROKEN_WORD_SHOWN).collect();
                format!("{head}…")
            }
            false => b.word.clone(),
        };
        out.push(
            Diagnostic::new(
                Code::W0907,
                format!(
                    "the word `{shown}` ({chars} characters) is wider than the line and is \
                     broken inside"
                ),
            )
            .at_span(&book.sources, at)
            .with_help(
                "broken at a cluster; add a soft hyphen `&shy;` where it may break, or a \
                 shorter form",
            ),
        );
    }
    out
}

/// Where blocks are set: a horizontal slice of the text block and a base style.
#[derive(Debug, Clone, Copy)]
struct Frame {
    /// Left edge, pt from the text block's left edge.
    left: f32,
    /// Width, pt.
    width: f32,
    style: TextStyle,
    /// Nesting depth of lists (for bullets).
    list_depth: usize,
}

/// How the lines of a block may be separated by page breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Breaks {
    /// A paragraph: no orphans, no widows.
    Paragraph,
    /// Code or table: discouraged inside, never a single line alone.
    Display,
    /// Never (headings, a figure with its caption).
    Never,
}

/// A piece of a table row as it is set: its items, the notes called in it, where its text
/// came from, and how many lines deep it is (a row split across pages is one piece a line).
type RowPiece = (Vec<Item>, Vec<usize>, Option<TextAt>, usize);

struct Builder<'a, 'c> {
    book: &'a Book,
    settings: &'a LayoutSettings,
    composer: &'c mut Composer,
    ctx: InlineContext<'a>,
    out: Vec<VItem>,
    /// The penalty owed before the next block's first line (between blocks).
    pending: Option<f32>,
    /// The next paragraph starts without indent (after a heading, a scene break, a display).
    no_indent: bool,
    /// The id of the heading set as the chapter title ([`model::Chapter::title_heading`]);
    /// `None` once it is set, and in notes.
    title_anchor: Option<String>,
    /// The subtitle and the byline (`front::chapter_opening`), set once under the title.
    opening_lines: [Option<String>; 2],
    /// Paragraph variants of the body (`None` while notes are laid out).
    variants: Option<Vec<LineVariant>>,
    /// A list label waiting for the next line: its items (x from 0), width, right edge and
    /// its `ListLabel` element.
    label: Option<(Vec<Item>, f32, f32, NodeId)>,
    /// The chapter's structure elements.
    structure: Structure,
    /// The element that new blocks become children of.
    parent: Option<NodeId>,
    /// What the lines pushed next are: content of an element or an artifact; `None` when the
    /// lines carry their own marks (tables, figures).
    mark: Option<Mark>,
    /// Each footnote's `Note` element, and whether it has been placed after its first citer.
    note_nodes: Vec<NodeId>,
    note_placed: Vec<bool>,
    /// Notes are being laid out (their citations place no notes).
    in_notes: bool,
    /// What pages beginning inside a long table repeat ([`ChapterFlow::repeats`]).
    repeats: Vec<TableRepeat>,
    /// Located warnings ([`ChapterFlow::warnings`]).
    warnings: Vec<Diagnostic>,
}

impl Builder<'_, '_> {
    fn blocks(&mut self, blocks: &[Block], frame: &Frame) {
        for block in blocks {
            self.block(block, frame);
        }
    }

    fn block(&mut self, block: &Block, frame: &Frame) {
        let start = self.ctx.at;
        // The direction the author wrote on the block, for its paragraphs and those inside it.
        let outer = block
            .dir
            .map(|dir| self.composer.set_block_direction(Some(dir)));
        self.block_kind(block, frame);
        if let Some(outer) = outer {
            self.composer.set_block_direction(outer);
        }
        // Past the block's text, however its parts counted.
        self.ctx.at = start.map(|at| TextAt {
            offset: at.offset + model::block_text_len(block),
            ..at
        });
    }

    fn block_kind(&mut self, block: &Block, frame: &Frame) {
        match &block.kind {
            BlockKind::Heading(h) => self.heading(h, frame),
            BlockKind::Paragraph(inlines) => {
                if let Some(figure) = self.book.figure(inlines) {
                    self.figure(&figure, frame);
                } else {
                    self.paragraph(inlines, frame, None);
                }
            }
            BlockKind::BlockQuote(inner) => {
                self.display_space(frame);
                let quote = Frame {
                    left: frame.left + QUOTE_INDENT_EM * frame.style.size,
                    width: (frame.width - 2.0 * QUOTE_INDENT_EM * frame.style.size)
                        .max(frame.style.size),
                    ..*frame
                };
                self.no_indent = true;
                let saved = self.parent;
                self.parent = Some(self.open(StructRole::BlockQuote));
                self.blocks(inner, &quote);
                self.parent = saved;
                self.display_space(frame);
                self.no_indent = true;
            }
            BlockKind::List(list) => self.list(list, frame),
            BlockKind::CodeBlock { text, .. } => self.code(text, frame),
            BlockKind::SceneBreak => self.scene_break(frame),
            BlockKind::Table(table) => self.table(table, block.span, frame),
        }
    }

    /// Adds an element under the current parent.
    fn open(&mut self, role: StructRole) -> NodeId {
        self.structure.add(role, self.parent)
    }

    /// Places, after the current element, the notes first cited on `lines`.
    fn place_cited_notes(&mut self, lines: &[LineBox]) {
        if self.in_notes {
            return;
        }
        for line in lines {
            for &k in &line.notes {
                if let (Some(placed), Some(&node)) =
                    (self.note_placed.get_mut(k), self.note_nodes.get(k))
                {
                    if !*placed {
                        *placed = true;
                        self.structure.attach(node, self.parent);
                    }
                }
            }
        }
    }

    /// Marks a line's items as content of the current mark (see the module's "Structure").
    fn mark_line(&mut self, line: &mut LineBox) {
        let Some(mark) = self.mark else {
            return;
        };
        let items = std::mem::take(&mut line.items);
        line.items = match mark {
            Mark::Content(leaf) => mark_items(&mut self.structure, items, leaf, self.ctx.footnotes),
            Mark::Artifact(_) => {
                let mut out = Vec::with_capacity(items.len() + 1);
                out.push(Item::Mark(mark));
                out.extend(items);
                out
            }
        };
    }

    /// Pushes the penalty owed between the previous block and this one.
    fn settle(&mut self) {
        if let Some(cost) = self.pending.take() {
            if matches!(self.out.last(), Some(VItem::Line(_))) {
                self.out.push(VItem::Penalty { cost });
            }
        }
    }

    /// Pushes lines, each translated by `dx`, with penalties between them per `breaks`; returns
    /// their indexes in the output.
    fn push_lines(&mut self, lines: Vec<LineBox>, dx: f32, breaks: Breaks) -> Vec<usize> {
        let n = lines.len();
        let mut at = Vec::with_capacity(n);
        self.place_cited_notes(&lines);
        for (i, mut line) in lines.into_iter().enumerate() {
            if i == 0 {
                self.settle();
            } else {
                let cost = match breaks {
                    Breaks::Never => f32::INFINITY,
                    Breaks::Paragraph if i == 1 => CLUB_PENALTY,
                    Breaks::Paragraph if i + 1 == n => WIDOW_PENALTY,
                    Breaks::Paragraph => INTERLINE_PENALTY,
                    Breaks::Display if i == 1 || i + 1 == n => f32::INFINITY,
                    Breaks::Display => INSIDE_DISPLAY_PENALTY,
                };
                self.out.push(VItem::Penalty { cost });
            }
            if dx != 0.0 {
                paragraph::translate(&mut line.items, dx, 0.0);
            }
            // A line of no model text of its own (a figure, a rule, a row) begins where the
            // block's text does.
            if line.source.is_none() {
                line.source = self.ctx.at;
            }
            self.mark_line(&mut line);
            if let Some((mut label, width, x, node)) = self.label.take() {
                paragraph::translate(&mut label, x - width, 0.0);
                // After the line's text (the label's element comes first in the list item
                // all the same: the structure orders it).
                line.items.push(Item::Mark(Mark::Content(node)));
                line.items.extend(label);
            }
            at.push(self.out.len());
            self.out.push(VItem::Line(line));
        }
        at
    }

    fn space(&mut self, lines: f32) {
        if lines > 0.0 {
            self.out.push(VItem::Space {
                height: lines * self.settings.body.leading,
                stretch: 0.0,
                shrink: 0.0,
            });
        }
    }

    /// Space around a display (block quote, code, table, figure) at the body level; inside a
    /// list or quote the display is set closer.
    fn display_space(&mut self, frame: &Frame) {
        if frame.left == 0.0 && frame.style == self.settings.body {
            self.settle();
            self.space(DISPLAY_SPACE);
        }
    }

    fn heading(&mut self, heading: &model::Heading, frame: &Frame) {
        let title = crate::front::heading_label(&heading.plain_text(), &self.book.config.words());
        let is_title = self.title_anchor.as_deref() == Some(heading.id.as_str());
        let (style, align) = if is_title {
            (self.settings.chapter_title, Align::Centre)
        } else {
            (
                self.settings.heading_style(heading.level.max(2)),
                Align::RaggedRight,
            )
        };
        let spans = spans_from_inlines(&heading.content, style.role, &mut self.ctx);
        let lines = self.composer.layout(
            &spans,
            &style,
            Measure {
                width: frame.width,
                first_indent: 0.0,
            },
            align,
            false,
        );
        // A break is welcome before a heading, never after it.
        if !is_title {
            self.pending = Some(BETWEEN_PARAGRAPHS_PENALTY);
            self.settle();
            if !self.out.is_empty() {
                self.space(HEADING_SPACE_ABOVE);
            }
        }
        let node = self.open(StructRole::Heading {
            level: heading.level.clamp(1, 6),
            title: title.clone(),
        });
        self.mark = Some(Mark::Content(node));
        self.out.push(VItem::Heading {
            level: heading.level,
            title,
            anchor: heading.id.clone(),
        });
        self.push_lines(lines, frame.left, Breaks::Never);
        if is_title {
            self.opening_lines(frame);
        }
        self.out.push(VItem::Penalty {
            cost: AFTER_HEADING_PENALTY,
        });
        if is_title {
            self.title_anchor = None;
            self.space(CHAPTER_TITLE_SPACE_AFTER);
        }
        self.pending = None;
        self.no_indent = true;
    }

    /// The subtitle (italic) and the byline under a chapter's title, centred, kept with it.
    fn opening_lines(&mut self, frame: &Frame) {
        let lines = std::mem::take(&mut self.opening_lines);
        for (text, role) in lines.iter().zip([Role::Italic, Role::Regular]) {
            let Some(text) = text else { continue };
            let style = TextStyle::new(self.settings.body.size, self.settings.body.leading, role);
            let node = self.open(StructRole::Paragraph);
            self.mark = Some(Mark::Content(node));
            let lines = self
                .composer
                .layout_text(text, &style, frame.width, Align::Centre);
            self.out.push(VItem::Penalty {
                cost: f32::INFINITY,
            });
            self.push_lines(lines, frame.left, Breaks::Never);
        }
    }

    /// A paragraph; `lead` is text set before it (a footnote's number).
    fn paragraph(&mut self, inlines: &[Inline], frame: &Frame, lead: Option<Span>) {
        let mut spans: Vec<Span> = lead.into_iter().collect();
        spans.extend(spans_from_inlines(inlines, frame.style.role, &mut self.ctx));
        self.spans_paragraph(&spans, frame);
    }

    fn spans_paragraph(&mut self, spans: &[Span], frame: &Frame) {
        let indent = if self.no_indent || frame.list_depth > 0 {
            0.0
        } else {
            self.settings.indent * frame.style.size / self.settings.body.size
        };
        // Variants for body paragraphs only (not notes), and not under a list label.
        let want = self.variants.is_some() && self.label.is_none();
        let (lines, variants) = self.composer.layout_with_variants(
            spans,
            &frame.style,
            Measure {
                width: frame.width,
                first_indent: indent,
            },
            self.settings.align,
            self.settings.hyphenate,
            want,
        );
        if lines.is_empty() {
            return;
        }
        let node = self.open(StructRole::Paragraph);
        self.mark = Some(Mark::Content(node));
        let at = self.push_lines(lines, frame.left, Breaks::Paragraph);
        if self.variants.is_some() {
            let mut made = Vec::with_capacity(variants.len());
            for (k, changed) in variants {
                let Some(&after) = at.get(k) else {
                    continue;
                };
                let mut lines = Vec::with_capacity(changed.len());
                for (i, mut line) in changed {
                    if frame.left != 0.0 {
                        paragraph::translate(&mut line.items, frame.left, 0.0);
                    }
                    // The variant's links are elements of their own; whichever setting the
                    // page builder keeps, the other's elements stay empty and are dropped.
                    self.mark_line(&mut line);
                    if let Some(&index) = at.get(i) {
                        lines.push((index, line));
                    }
                }
                made.push((after, lines));
            }
            if let Some(all) = self.variants.as_mut() {
                all.extend(made.into_iter().map(|(after, lines)| LineVariant {
                    after,
                    paragraph: at.clone(),
                    lines,
                }));
            }
        }
        self.pending = Some(BETWEEN_PARAGRAPHS_PENALTY);
        self.no_indent = false;
    }

    fn note_blocks(&mut self, note: &model::Footnote, frame: &Frame) {
        let mut number = Span::plain(format!("{}.\u{2002}", note.mark), frame.style.role);
        number.anchor = Some(note.anchor.clone());
        number.link = Some(LinkTarget::Anchor(note.ref_anchor.clone()));
        number.breaks = BreakRule::Url;
        let mut lead = Some(number);
        for block in &note.blocks {
            match (&block.kind, lead.take()) {
                (BlockKind::Paragraph(inlines), Some(lead)) => {
                    // The paragraph with the note's number, in its block's direction.
                    let outer = block
                        .dir
                        .map(|dir| self.composer.set_block_direction(Some(dir)));
                    self.paragraph(inlines, frame, Some(lead));
                    if let Some(outer) = outer {
                        self.composer.set_block_direction(outer);
                    }
                }
                (_, Some(lead)) => {
                    self.spans_paragraph(&[lead], frame);
                    self.block(block, frame);
                }
                (_, None) => self.block(block, frame),
            }
        }
        if let Some(lead) = lead {
            self.spans_paragraph(&[lead], frame);
        }
    }

    fn list(&mut self, list: &model::List, frame: &Frame) {
        let size = frame.style.size;
        let digits = self.book.config.words().digits;
        let labels: Vec<String> = (0..list.items.len())
            .map(|i| match list.start {
                Some(start) => format!(
                    "{}.",
                    digits.write(&start.saturating_add(i as u64).to_string())
                ),
                None => BULLETS[frame.list_depth % BULLETS.len()].to_string(),
            })
            .collect();
        // A right-to-left list (its items' text, or its block's `dir`, or its chapter's
        // direction, as a paragraph decides) hangs its labels on the right, each set right to
        // left (".١"), and indents its items from the right.
        let text: Vec<String> = list
            .items
            .iter()
            .flat_map(|item| &item.blocks)
            .map(model::block_text)
            .collect();
        let rtl = self.composer.block_is_rtl(&text.join(" "));
        let shaped: Vec<(Vec<Item>, f32)> = labels
            .iter()
            .map(|l| self.composer.shape_line_directed(l, &frame.style, rtl))
            .collect();
        let widest = shaped.iter().map(|s| s.1).fold(0.0, f32::max);
        let gap = LIST_LABEL_GAP_EM * size;
        let hang = (LIST_INDENT_EM * size).max(widest + gap);
        let inner = Frame {
            left: if rtl { frame.left } else { frame.left + hang },
            width: (frame.width - hang).max(size),
            list_depth: frame.list_depth + 1,
            ..*frame
        };
        let saved = self.parent;
        let list_node = self.open(StructRole::List {
            ordered: list.start.is_some(),
        });
        for (item, (label, width)) in list.items.iter().zip(shaped) {
            let item_node = self.structure.add(StructRole::ListItem, Some(list_node));
            let label_node = self.structure.add(StructRole::ListLabel, Some(item_node));
            self.parent = Some(self.structure.add(StructRole::ListBody, Some(item_node)));
            // Labels are right-aligned against the gap before the text, or in a right-to-left
            // list left-aligned against the gap after it (the label's right edge is given).
            let right = match rtl {
                true => inner.left + inner.width + gap + width,
                false => inner.left - gap,
            };
            self.label = Some((label, width, right, label_node));
            self.no_indent = true;
            self.blocks(&item.blocks, &inner);
            self.label = None;
        }
        self.parent = saved;
        self.no_indent = false;
    }

    /// A code block: one line per source line at [`CODE_SIZE_RATIO`] of the body; a block with
    /// a line wider than the measure is set one step smaller if that makes it fit, else its
    /// long lines wrap with a marked, indented continuation (`code.rs`).
    fn code(&mut self, text: &str, frame: &Frame) {
        let normal = TextStyle {
            size: frame.style.size * CODE_SIZE_RATIO,
            role: Role::Mono,
            ..frame.style
        };
        let smaller = TextStyle {
            size: normal.size * code::STEP_DOWN,
            ..normal
        };
        let sources: Vec<(&str, String)> = text
            .trim_end_matches('\n')
            .split('\n')
            .map(|source| (source, expand_tabs(source.trim_end_matches('\r'))))
            .collect();
        let longest = sources
            .iter()
            .map(|(_, expanded)| expanded.chars().count())
            .max()
            .unwrap_or(0);
        let columns_normal = self.code_columns(&normal, frame.width);
        let style = match code::step_down(
            longest,
            columns_normal,
            self.code_columns(&smaller, frame.width),
        ) {
            Some(true) => smaller,
            Some(false) | None => normal,
        };
        let columns = self.code_columns(&style, frame.width);
        let (mark_items, mark_width) = self
            .composer
            .shape_verbatim(code::CONTINUATION_MARK, &style);
        let column = frame.width / columns.max(1) as f32;
        let indent =
            self.code_column_width(&style).unwrap_or(column) * code::CONTINUATION_INDENT as f32;
        let mut lines = Vec::new();
        // Lines that continue a wrapped source line (indexes into `lines`).
        let mut continued = Vec::new();
        // Where each line begins in the code's text, in characters (a wrapped piece, after
        // the characters before it on its source line).
        let mut line_start = 0usize;
        for (source, expanded) in &sources {
            let mut before = 0usize;
            for piece in code::wrap(expanded, columns) {
                let (mut items, mut width) = self.composer.shape_verbatim(&piece.text, &style);
                if piece.continued {
                    paragraph::translate(&mut items, indent, 0.0);
                    width += indent;
                    continued.push(lines.len());
                }
                lines.push(LineBox {
                    height: style.leading,
                    baseline: style.leading * paragraph::BASELINE_SHARE,
                    items,
                    notes: Vec::new(),
                    width,
                    source: self.ctx.at.map(|at| TextAt {
                        offset: at.offset + line_start + unexpanded_chars(source, before),
                        ..at
                    }),
                });
                before += piece.text.chars().count();
            }
            line_start += source.chars().count() + 1;
        }
        let node = self.open(StructRole::Code);
        self.mark = Some(Mark::Content(node));
        self.display_space(frame);
        let at = self.push_lines(lines, frame.left, Breaks::Display);
        // The continuation mark, centred in the indent, after the line's text: an artifact.
        for k in continued {
            if let Some(VItem::Line(line)) = at.get(k).and_then(|&i| self.out.get_mut(i)) {
                let mut mark = mark_items.clone();
                paragraph::translate(&mut mark, frame.left + (indent - mark_width) / 2.0, 0.0);
                line.items
                    .push(Item::Mark(Mark::Artifact(Artifact::Layout)));
                line.items.extend(mark);
            }
        }
        self.display_space(frame);
        self.pending = Some(BETWEEN_PARAGRAPHS_PENALTY);
        self.no_indent = true;
    }

    /// The advance of one column of code in `style` (the mono face's `0`), pt.
    fn code_column_width(&mut self, style: &TextStyle) -> Option<f32> {
        let (_, column) = self.composer.shape_verbatim("0", style);
        (column > 0.0).then_some(column)
    }

    /// How many columns of code in `style` fit `width` pt (at least 8; 80 for a face without
    /// a `0`).
    fn code_columns(&mut self, style: &TextStyle, width: f32) -> usize {
        match self.code_column_width(style) {
            Some(column) => ((width / column).floor() as usize).max(8),
            None => 80,
        }
    }

    fn scene_break(&mut self, frame: &Frame) {
        let role = frame.style.role;
        let face = self.composer.fonts().face(role);
        let ornament = SCENE_BREAK_ORNAMENTS
            .iter()
            .find(|o| {
                o.chars()
                    .all(|c| c == ' ' || self.composer.fonts().has_glyph(face, c))
            })
            .copied()
            .unwrap_or("* * *");
        let lines = self
            .composer
            .layout_text(ornament, &frame.style, frame.width, Align::Centre);
        self.pending = Some(BETWEEN_PARAGRAPHS_PENALTY);
        // The ornament is furniture: the break itself is the space around it.
        self.mark = Some(Mark::Artifact(Artifact::Layout));
        self.push_lines(lines, frame.left, Breaks::Never);
        self.pending = Some(BETWEEN_PARAGRAPHS_PENALTY);
        self.no_indent = true;
    }

    /// A lone image, with its number and caption below it
    /// ([`crate::numbering::figure_caption`]), and a named destination for references. An
    /// image whose alt text is empty is decorative: an artifact, with no `Figure` element.
    /// A figure taller than the text block is scaled to fit it; a wide one that turning makes
    /// [`TURN_GAIN`] times larger is turned a quarter onto a page of its own.
    fn figure(&mut self, figure: &model::Figure<'_>, frame: &Frame) {
        let (asset, alt) = (figure.asset, figure.alt);
        let Some(image) = self.book.assets.get(asset) else {
            return;
        };
        let caption = crate::numbering::figure_caption(self.book, figure);
        let title = caption.line();
        let leading = self.settings.body.leading;
        let text_height = self.settings.text_height;
        let column = frame.width * figure.width.unwrap_or(1.0);
        let style = TextStyle {
            role: Role::Italic,
            ..frame.style
        };
        let caption_lines = |composer: &mut Composer, width: f32| {
            if title.trim().is_empty() {
                Vec::new()
            } else {
                composer.layout_text(title.trim(), &style, width, Align::Centre)
            }
        };
        let upright_caption = caption_lines(self.composer, frame.width);
        let caption_h: f32 = upright_caption.iter().map(|l| l.height).sum();
        let pdf = &self.book.config.pdf;
        let upright = pdf.placed_image(
            image.width,
            image.height,
            column,
            ((text_height - caption_h) / leading).floor() * leading,
        );
        // Turned, the figure's width runs down the page and its caption across it.
        // Never a figure given a width: the author chose its size.
        let turn = !self.in_notes && figure.width.is_none() && image.width > image.height && {
            let turned_caption = caption_lines(self.composer, text_height);
            let across: f32 = turned_caption.iter().map(|l| l.height).sum();
            let turned = pdf.placed_image(
                image.width,
                image.height,
                text_height,
                frame.width - across - leading,
            );
            // The issue's own case turns whatever the gain, as long as turning sets it larger:
            // wider than high and, at its natural size, taller than the block (a 4000 × 2500
            // px scan gains about 1.46 × at the default trim).
            let natural_height =
                image.height as f32 * crate::config::INCH / crate::config::IMAGE_NATURAL_DPI;
            turned.width >= TURN_GAIN * upright.width
                || (natural_height > text_height && turned.width > upright.width)
        };
        let image_mark = if alt.trim().is_empty() {
            Mark::Artifact(Artifact::Layout)
        } else {
            Mark::Content(self.open(StructRole::Figure {
                alt: alt.trim().to_string(),
            }))
        };
        let caption_node = (!title.trim().is_empty()).then(|| self.open(StructRole::Caption));
        let mut lines = if turn {
            let turned_caption = caption_lines(self.composer, text_height);
            self.turned_figure(
                (asset, image.width, image.height),
                image_mark,
                turned_caption,
                caption_node,
                caption.anchor,
                frame,
            )
        } else {
            let (w, h) = (upright.width, upright.height);
            let slot = (h / leading).ceil().max(1.0) * leading;
            let rect = Rect {
                x: frame.left + (frame.width - w) / 2.0,
                y: -slot + (slot - h) / 2.0,
                width: w,
                height: h,
            };
            let mut items = vec![Item::Mark(image_mark), Item::Image { image: asset, rect }];
            if let Some(anchor) = caption.anchor {
                items.push(Item::Anchor {
                    name: anchor.to_string(),
                    x: 0.0,
                    y: -slot,
                });
            }
            let mut lines = vec![LineBox {
                height: slot,
                baseline: slot,
                items,
                notes: Vec::new(),
                width: w,
                source: self.ctx.at,
            }];
            let mut caption = upright_caption;
            if let Some(node) = caption_node {
                for line in &mut caption {
                    paragraph::translate(&mut line.items, frame.left, 0.0);
                    let items = std::mem::take(&mut line.items);
                    line.items = mark_items(&mut self.structure, items, node, self.ctx.footnotes);
                }
                lines.extend(caption);
            }
            lines
        };
        self.mark = None;
        if self.in_notes {
            // In a note a figure stays where it stands, among the note's lines.
            self.display_space(frame);
            self.push_lines(lines, 0.0, Breaks::Never);
            self.display_space(frame);
            self.no_indent = true;
        } else {
            // In the body it may float (`flow.rs`): the break it stood between stays the
            // break between the text before and after it.
            self.place_cited_notes(&lines);
            for line in &mut lines {
                if line.source.is_none() {
                    line.source = self.ctx.at;
                }
            }
            self.settle();
            self.out.push(VItem::Float(FloatBox {
                lines,
                own_page: turn,
            }));
            // A figure is out of the text's flow: the paragraph after it is indented as if
            // the figure were not there (it often is not: it floated to another page, and an
            // unindented paragraph there would read as the previous one going on).
        }
        self.pending = Some(BETWEEN_PARAGRAPHS_PENALTY);
    }

    /// A figure turned a quarter clockwise, as one line the height of the text block: the
    /// image's top faces the page's right edge, its caption (laid out across the block's
    /// height) stands to its left and reads from top to bottom.
    fn turned_figure(
        &mut self,
        (asset, width_px, height_px): (usize, u32, u32),
        image_mark: Mark,
        caption: Vec<LineBox>,
        caption_node: Option<NodeId>,
        anchor: Option<&str>,
        frame: &Frame,
    ) -> Vec<LineBox> {
        let text_height = self.settings.text_height;
        let leading = self.settings.body.leading;
        let across: f32 = caption.iter().map(|l| l.height).sum();
        let placed = self.book.config.pdf.placed_image(
            width_px,
            height_px,
            text_height,
            frame.width - across - leading,
        );
        // In the turned frame: `u` down the page, `v` from the block's right edge leftwards.
        // Page x = left + measure − v, y = u; items are relative to the line's baseline, the
        // foot of the block.
        let right = frame.left + frame.width;
        let block = placed.height + leading + across;
        let v0 = (frame.width - block) / 2.0;
        let u0 = (text_height - placed.width) / 2.0;
        let mut items = vec![
            Item::Mark(image_mark),
            Item::TurnedImage {
                image: asset,
                rect: Rect {
                    x: right - v0 - placed.height,
                    y: u0 - text_height,
                    width: placed.height,
                    height: placed.width,
                },
            },
        ];
        if let Some(anchor) = anchor {
            items.push(Item::Anchor {
                name: anchor.to_string(),
                x: 0.0,
                y: -text_height,
            });
        }
        let mut v = v0 + placed.height + leading;
        for line in caption {
            let baseline_v = v + line.baseline;
            let turned: Vec<Item> = line
                .items
                .into_iter()
                .map(|item| match item {
                    Item::Glyphs(mut run) => {
                        let (x, y) = (run.x, run.y);
                        run.x = right - baseline_v - y;
                        run.y = x - text_height;
                        Item::Turned(run)
                    }
                    other => other,
                })
                .collect();
            let turned = match caption_node {
                Some(node) => mark_items(&mut self.structure, turned, node, self.ctx.footnotes),
                None => turned,
            };
            items.extend(turned);
            v += line.height;
        }
        vec![LineBox {
            height: text_height,
            baseline: text_height,
            items,
            notes: Vec::new(),
            width: frame.width,
            source: self.ctx.at,
        }]
    }

    /// A table (`table.rs` sets its cells): caption above, booktabs rules, rows as lines with
    /// breaks between them. A page that begins inside the table repeats the caption, marked
    /// "(continued)", and the header row ([`TableRepeat`]); a row taller than a page is split
    /// between its lines.
    fn table(&mut self, table: &model::Table, span: model::Span, frame: &Frame) {
        let columns = table
            .rows
            .iter()
            .map(Vec::len)
            .chain([table.head.len()])
            .max()
            .unwrap_or(0);
        if columns == 0 {
            return;
        }
        // The caption first: its text comes first in the block's text (the page map counts it).
        let caption_style = TextStyle {
            size: frame.style.size * table::TABLE_SIZE_RATIO,
            role: Role::Italic,
            ..frame.style
        };
        let mut caption_spans =
            spans_from_inlines(&table.caption, caption_style.role, &mut self.ctx);
        // Its number, decided once (`numbering`): "Table 2.1. Rivers" in both editions.
        let numbered = self.book.numbers.tables.get(&span);
        if let Some(n) = numbered.filter(|_| !caption_spans.is_empty()) {
            caption_spans.insert(
                0,
                Span::plain(
                    format!("{} ", crate::numbering::with_stop(&n.name)),
                    caption_style.role,
                ),
            );
        }
        let mut rows: Vec<Vec<Vec<Span>>> = Vec::new();
        if !table.head.is_empty() {
            rows.push(
                table
                    .head
                    .iter()
                    .map(|c| spans_from_inlines(c, Role::Semibold, &mut self.ctx))
                    .collect(),
            );
        }
        for row in &table.rows {
            rows.push(
                row.iter()
                    .map(|c| spans_from_inlines(c, frame.style.role, &mut self.ctx))
                    .collect(),
            );
        }
        let head_rows = usize::from(!table.head.is_empty());
        // A column of numbers: every filled body cell is one.
        let numeric: Vec<bool> = (0..columns)
            .map(|c| {
                let texts: Vec<String> = table
                    .rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|cell| model::plain_text(cell))
                    .filter(|t| !t.trim().is_empty())
                    .collect();
                !texts.is_empty() && texts.iter().all(|t| table::is_numeric(t))
            })
            .collect();
        // A table sizes its columns by the words that overflow them (then sets itself smaller
        // or squeezes, with a warning): no breaking anywhere inside its cells.
        let emergency = self.composer.set_emergency_breaks(false);
        let set = table::set_table(
            self.composer,
            &table::TableInput {
                rows: &rows,
                head_rows,
                columns,
                align: &table.align,
                numeric: &numeric,
                decimal: crate::lang::decimal_separator(&self.settings.language),
            },
            &frame.style,
            Role::Semibold,
            frame.width,
            self.settings.hyphenate,
        );
        self.composer.set_emergency_breaks(emergency);
        if let table::Fit::Squeezed { column, size } = set.fit {
            let name = table
                .head
                .get(column)
                .map(|h| model::plain_text(h))
                .filter(|t| !t.trim().is_empty())
                .map_or(format!("column {}", column + 1), |t| {
                    format!("column {} (“{}”)", column + 1, t.trim())
                });
            self.warnings.push(
                Diagnostic::new(
                    Code::W0906,
                    format!(
                        "this table is too wide for the text block even one size smaller: \
                         its {columns} columns' longest words need more than {:.0} pt",
                        frame.width
                    ),
                )
                .at_span(&self.book.sources, span)
                .with_help(format!(
                    "bindery breaks the words of {name} and sets the table at {size:.1} pt; \
                     to avoid that, split the table, shorten the longest words of its widest \
                     columns, or choose a wider trim size"
                )),
            );
        }
        let leading = set.style.leading;
        let baseline = leading * paragraph::BASELINE_SHARE;
        let total = set.total;
        // Tables are centred in the measure, as their captions are.
        let left = frame.left + ((frame.width - total) / 2.0).max(0.0);
        let rule = |y: f32, thickness: f32| Item::Rule {
            x: left,
            y,
            width: total,
            thickness,
        };
        let table_node = self.open(StructRole::Table);
        let mut lines: Vec<LineBox> = Vec::new();
        // The caption, and the same caption marked "(continued)" for the pages it runs onto.
        let mut repeat: Vec<LineBox> = Vec::new();
        if !caption_spans.is_empty() {
            let caption_node = self.structure.add(StructRole::Caption, Some(table_node));
            let measure = Measure {
                width: frame.width,
                first_indent: 0.0,
            };
            let caption = self.composer.layout(
                &caption_spans,
                &caption_style,
                measure,
                Align::Centre,
                self.settings.hyphenate,
            );
            for mut line in caption {
                let items = std::mem::take(&mut line.items);
                line.items =
                    mark_items(&mut self.structure, items, caption_node, self.ctx.footnotes);
                paragraph::translate(&mut line.items, frame.left, 0.0);
                if let (Some(n), true) = (numbered, lines.is_empty()) {
                    line.items.push(Item::Anchor {
                        name: n.anchor.clone(),
                        x: 0.0,
                        y: -line.baseline,
                    });
                }
                lines.push(line);
            }
            let mut continued: Vec<Span> = caption_spans
                .iter()
                .map(|s| Span {
                    note: None,
                    link: None,
                    anchor: None,
                    superscript: false,
                    source: None,
                    ..s.clone()
                })
                .filter(|s| !s.text.is_empty())
                .collect();
            let word = self.book.config.words().continued;
            continued.push(Span::plain(format!(" {word}"), caption_style.role));
            for mut line in self.composer.layout(
                &continued,
                &caption_style,
                measure,
                Align::Centre,
                self.settings.hyphenate,
            ) {
                paragraph::translate(&mut line.items, frame.left, 0.0);
                line.items
                    .insert(0, Item::Mark(Mark::Artifact(Artifact::Layout)));
                line.notes.clear();
                repeat.push(line);
            }
        }
        let caption_lines = lines.len();
        // Rows taller than this are split between their lines: a page holds the repeat and the
        // row at most.
        let repeat_rows = if head_rows > 0 { set.depth(0) } else { 0 };
        let tallest =
            (self.settings.text_height - lines_height(&repeat) - repeat_rows as f32 * leading)
                .max(leading);
        let row_count = set.cells.len();
        for (r, cells) in set.cells.into_iter().enumerate() {
            let depth = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
            let row_node = self.structure.add(StructRole::TableRow, Some(table_node));
            let cell_role = if r < head_rows {
                StructRole::TableHeader
            } else {
                StructRole::TableCell
            };
            // Items per line of the row (line k of every cell), marked per cell.
            let mut per_line: Vec<Vec<Item>> = vec![Vec::new(); depth];
            let mut notes: Vec<Vec<usize>> = vec![Vec::new(); depth];
            let mut sources = vec![None; depth];
            for cell in cells {
                let cell_node = self.structure.add(cell_role.clone(), Some(row_node));
                for (k, line) in cell.into_iter().enumerate() {
                    sources[k] = sources[k].or(line.source);
                    notes[k].extend(line.notes);
                    per_line[k].extend(mark_items(
                        &mut self.structure,
                        line.items,
                        cell_node,
                        self.ctx.footnotes,
                    ));
                }
            }
            let split = depth as f32 * leading > tallest + 0.01 && r >= head_rows;
            let pieces: Vec<RowPiece> = if split {
                per_line
                    .into_iter()
                    .zip(notes)
                    .zip(sources)
                    .enumerate()
                    .map(|(k, ((mut items, notes), source))| {
                        // Each line of the row on its own baseline.
                        paragraph::translate(&mut items, 0.0, -(k as f32) * leading);
                        (items, notes, source, 1)
                    })
                    .collect()
            } else {
                vec![(
                    per_line.into_iter().flatten().collect(),
                    notes.into_iter().flatten().collect(),
                    sources.into_iter().flatten().next(),
                    depth,
                )]
            };
            let piece_count = pieces.len();
            for (p, (mut items, notes, source, depth)) in pieces.into_iter().enumerate() {
                let height = depth as f32 * leading;
                paragraph::translate(&mut items, left, 0.0);
                items.push(Item::Mark(Mark::Artifact(Artifact::Layout)));
                if r == 0 && p == 0 {
                    items.push(rule(-baseline, TABLE_OUTER_RULE));
                }
                if r + 1 == head_rows && p + 1 == piece_count {
                    items.push(rule(height - baseline - TABLE_INNER_RULE, TABLE_INNER_RULE));
                }
                if r + 1 == row_count && p + 1 == piece_count {
                    items.push(rule(height - baseline - TABLE_OUTER_RULE, TABLE_OUTER_RULE));
                }
                lines.push(LineBox {
                    height,
                    baseline,
                    items,
                    notes,
                    width: total,
                    source,
                });
            }
        }
        // The repeat: the continued caption, then the header row with its rules (the top rule
        // comes with it), all artifacts, without links or anchors (they exist once).
        if head_rows > 0 {
            if let Some(head) = lines.get(caption_lines) {
                let mut items = vec![Item::Mark(Mark::Artifact(Artifact::Layout))];
                items.extend(
                    head.items
                        .iter()
                        .filter(|i| {
                            !matches!(i, Item::Mark(_) | Item::Link { .. } | Item::Anchor { .. })
                        })
                        .cloned(),
                );
                repeat.push(LineBox {
                    items,
                    notes: Vec::new(),
                    source: None,
                    ..head.clone()
                });
            }
        }
        self.mark = None;
        self.display_space(frame);
        let at = self.push_lines(lines, 0.0, Breaks::Display);
        // Breaks: never inside the caption, after it, or right after the header row; never
        // before the second body row or the last (no row alone); between other rows, a
        // display's cost.
        let body_first = caption_lines + head_rows;
        let line_count = at.len();
        for (j, &index) in at.iter().enumerate().skip(1) {
            let forbidden = j <= body_first || j == body_first + 1 || j + 1 == line_count;
            if let Some(VItem::Penalty { cost }) =
                index.checked_sub(1).and_then(|i| self.out.get_mut(i))
            {
                *cost = if forbidden {
                    f32::INFINITY
                } else {
                    INSIDE_DISPLAY_PENALTY
                };
            }
        }
        if !self.in_notes && line_count > body_first + 2 && !repeat.is_empty() {
            if let (Some(&from), Some(&to)) = (at.get(body_first + 1), at.last()) {
                self.repeats.push(TableRepeat {
                    rows: from..to + 1,
                    lines: repeat,
                });
            }
        }
        self.display_space(frame);
        self.pending = Some(BETWEEN_PARAGRAPHS_PENALTY);
        self.no_indent = true;
    }
}

/// A note cited in another note's text goes to the page with that note: each body line (of
/// the text, a figure or a paragraph variant) that cites a note also cites, after it, the
/// notes that note cites, and theirs in turn (each once, whatever cycle the citations make).
/// Without this such a note was on no page, and the link to it pointed nowhere (E0902).
fn cite_notes_of_notes(body: &mut [VItem], variants: &mut [LineVariant], cited: &[Vec<usize>]) {
    if cited.iter().all(Vec::is_empty) {
        return;
    }
    let extend = |line: &mut LineBox| {
        let mut k = 0;
        while k < line.notes.len() {
            for &inner in cited.get(line.notes[k]).map_or(&[][..], Vec::as_slice) {
                if !line.notes.contains(&inner) {
                    line.notes.push(inner);
                }
            }
            k += 1;
        }
    };
    for item in body.iter_mut() {
        match item {
            VItem::Line(line) => extend(line),
            VItem::Float(float) => float.lines.iter_mut().for_each(extend),
            _ => {}
        }
    }
    for variant in variants.iter_mut() {
        for (_, line) in &mut variant.lines {
            extend(line);
        }
    }
}

/// How far the text of a note a link points to is quoted in the link's description.
const NOTE_DESCRIPTION_CHARS: usize = 80;

/// `items` (one line's, relative to its baseline) preceded by marks: content of `leaf`, except
/// that each [`Item::Link`] becomes a `Link` element under `leaf` holding the link annotation
/// and the glyph runs inside its area. A link to a footnote is described by the note's number
/// and the start of its text; any other link by its text.
fn mark_items(
    structure: &mut Structure,
    items: Vec<Item>,
    leaf: NodeId,
    footnotes: &[model::Footnote],
) -> Vec<Item> {
    let foreign = |i: &Item| matches!(i, Item::Glyphs(run) if run.lang.is_some());
    if !items
        .iter()
        .any(|i| matches!(i, Item::Link { .. }) || foreign(i))
    {
        // The common line: its items after one mark, in a vector of exactly their number (a
        // chapter's lines are all held until its pages are broken).
        let mut out = Vec::with_capacity(items.len() + 1);
        out.push(Item::Mark(Mark::Content(leaf)));
        out.extend(items);
        return out;
    }
    let mut out = Vec::with_capacity(items.len() + 2);
    let (links, rest): (Vec<Item>, Vec<Item>) = items
        .into_iter()
        .partition(|i| matches!(i, Item::Link { .. }));
    let inside = |rect: &Rect, item: &Item| match item {
        Item::Glyphs(run) => {
            let mid = run.x + run.width() / 2.0;
            mid >= rect.x
                && mid <= rect.x + rect.width
                && run.y >= rect.y
                && run.y <= rect.y + rect.height
        }
        _ => false,
    };
    let mut nodes = Vec::with_capacity(links.len());
    for link in &links {
        let Item::Link { rect, target } = link else {
            continue;
        };
        let text: Vec<&str> = rest
            .iter()
            .filter(|i| inside(rect, i))
            .filter_map(|i| match i {
                Item::Glyphs(run) => Some(run.text.trim()),
                _ => None,
            })
            .collect();
        let text = text.join(" ");
        let note = match target {
            LinkTarget::Anchor(name) => footnotes.iter().find(|n| &n.anchor == name),
            LinkTarget::Url(_) => None,
        };
        let description = match (note, target) {
            (Some(note), _) => {
                let body: String = note
                    .blocks
                    .iter()
                    .filter_map(|b| match &b.kind {
                        BlockKind::Paragraph(inlines) => Some(model::plain_text(inlines)),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                let mut start: String = body.chars().take(NOTE_DESCRIPTION_CHARS).collect();
                if body.chars().count() > NOTE_DESCRIPTION_CHARS {
                    start.push('…');
                }
                format!("{}: {}", note.mark, start.trim())
            }
            (None, _) if !text.is_empty() => text,
            (None, LinkTarget::Url(url)) => url.clone(),
            (None, LinkTarget::Anchor(name)) => name.clone(),
        };
        nodes.push(structure.add(StructRole::Link { description }, Some(leaf)));
    }
    let mut emitted = vec![false; links.len()];
    let mut current = None;
    // The `Span` of the text in another language last drawn: (its owner, language, element).
    // Consecutive runs in one language under one owner share it.
    let mut span: Option<(NodeId, std::sync::Arc<str>, NodeId)> = None;
    for item in rest {
        let owner = links.iter().position(|l| match l {
            Item::Link { rect, .. } => inside(rect, &item),
            _ => false,
        });
        let owner_node = owner.and_then(|k| nodes.get(k).copied()).unwrap_or(leaf);
        let node = match &item {
            Item::Glyphs(super::frame::GlyphRun {
                lang: Some(lang), ..
            }) => match &span {
                Some((o, l, node)) if *o == owner_node && l == lang => *node,
                _ => {
                    let node = structure.add(
                        StructRole::Span {
                            lang: lang.to_string(),
                        },
                        Some(owner_node),
                    );
                    span = Some((owner_node, lang.clone(), node));
                    node
                }
            },
            _ => owner_node,
        };
        let mark = Mark::Content(node);
        if current != Some(mark) {
            out.push(Item::Mark(mark));
            current = Some(mark);
        }
        if let Some(k) = owner {
            if !emitted[k] {
                emitted[k] = true;
                out.push(links[k].clone());
            }
        }
        out.push(item);
    }
    for (k, link) in links.into_iter().enumerate() {
        if !emitted[k] {
            if let Some(&node) = nodes.get(k) {
                out.push(Item::Mark(Mark::Content(node)));
            }
            out.push(link);
        }
    }
    out
}

/// Tabs to spaces at [`CODE_TAB_WIDTH`] stops.
fn expand_tabs(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut column = 0;
    for c in line.chars() {
        if c == '\t' {
            let n = CODE_TAB_WIDTH - column % CODE_TAB_WIDTH;
            out.extend(std::iter::repeat_n(' ', n));
            column += n;
        } else {
            out.push(c);
            column += 1;
        }
    }
    out
}

/// How many characters of `line` make up its first `expanded` characters once its tabs are
/// expanded (as [`expand_tabs`] does), i.e. where a wrapped piece of it begins.
fn unexpanded_chars(line: &str, expanded: usize) -> usize {
    let mut column = 0;
    for (i, c) in line.chars().enumerate() {
        if column >= expanded {
            return i;
        }
        column += if c == '\t' {
            CODE_TAB_WIDTH - column % CODE_TAB_WIDTH
        } else {
            1
        };
    }
    line.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loads a one-article book from Markdown.
    fn book(markdown: &str) -> Book {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("book.yaml"),
            "title: T\nauthor: A\nlanguage: en\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("manuscript")).unwrap();
        std::fs::write(dir.path().join("manuscript/01-one.md"), markdown).unwrap();
        let loaded = crate::load::load_book(dir.path());
        loaded.book.expect("the test book loads")
    }

    fn flow(markdown: &str) -> ChapterFlow {
        flow_and_settings(markdown).0
    }

    fn flow_and_settings(markdown: &str) -> (ChapterFlow, LayoutSettings) {
        let book = book(markdown);
        let settings = LayoutSettings::from_config(&book.config.pdf, &book.config.language);
        (
            chapter_flow(&book, 0, &FontSet::builtin(), &settings),
            settings,
        )
    }

    fn lines(items: &[VItem]) -> Vec<&LineBox> {
        items
            .iter()
            .filter_map(|i| match i {
                VItem::Line(l) => Some(l),
                _ => None,
            })
            .collect()
    }

    fn text(line: &LineBox) -> String {
        line.items
            .iter()
            .filter_map(|i| match i {
                Item::Glyphs(r) => Some(r.text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    const PARA: &str = "So given everything we’ve talked about regarding the Khmer Rouge and how awful they are, you’re probably wondering how such a regime could survive in any respect after their collapse. After genociding half their country and improving very few lives, what mandate did they have? Well, the very same mandate that earned them support from the outset.";

    /// Every glyph run of the flow's lines whose text is `word`: (face, glyph ids).
    fn runs_of(f: &ChapterFlow, word: &str) -> Vec<(u32, Vec<u16>)> {
        lines(&f.body)
            .into_iter()
            .flat_map(|l| &l.items)
            .filter_map(|i| match i {
                Item::Glyphs(r) if r.text == word => {
                    Some((r.font.0, r.glyphs.iter().map(|g| g.id).collect()))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn bold_arabic_and_hebrew_and_headings_take_the_bold_faces() {
        // Libertinus has Hebrew letters (in every weight) but no cantillation marks: a letter
        // with one (U+0591 etnahta) is Noto Serif Hebrew's.
        let md =
            "# عنوان\n\nمرحبا **عريض** هنا جدا.\n\nמילה **מודגשת** ו**א\u{591}** ב\u{591} רגילה.\n";
        let f = flow(md);
        let fonts = FontSet::builtin();
        let mut shaper = super::super::shape::Shaper::new(&fonts);
        // The face and glyphs a word gets, shaped on its own from a role's face.
        let mut glyphs = |word: &str, role: Role| -> (u32, Vec<u16>) {
            let shaped = shaper.shape(word, fonts.face(role), Default::default());
            assert_eq!(shaped.segments.len(), 1, "{word}");
            let s = &shaped.segments[0];
            (
                u32::try_from(s.face).unwrap_or(u32::MAX),
                s.glyphs.iter().map(|g| g.id).collect(),
            )
        };
        let (arabic, hebrew) = (fonts.fallbacks()[1], fonts.fallbacks()[2]);
        let (bold_ar, bold_he) = (arabic.bold.unwrap_or(0), hebrew.bold.unwrap_or(0));
        let face = |i: usize| &fonts.faces[i];
        assert!(face(bold_ar).family.contains("Naskh Arabic") && face(bold_ar).weight >= 700.0);
        assert!(face(bold_he).family.contains("Serif Hebrew") && face(bold_he).weight >= 700.0);
        let hebrew_mark = "א\u{591}";
        for (word, bold_face, regular_face) in [
            ("عريض", bold_ar, arabic.regular),
            (hebrew_mark, bold_he, hebrew.regular),
        ] {
            let bold = glyphs(word, Role::Bold);
            assert_eq!(bold.0 as usize, bold_face, "{word}");
            assert_eq!(
                glyphs(word, Role::Regular).0 as usize,
                regular_face,
                "{word}"
            );
            assert_eq!(runs_of(&f, word), [bold], "{word} is set in the bold face");
        }
        // Hebrew letters without marks stay in Libertinus, bold where bold.
        let libertinus_bold = glyphs("מודגשת", Role::Bold);
        assert_eq!(libertinus_bold.0 as usize, fonts.face(Role::Bold));
        assert_eq!(runs_of(&f, "מודגשת"), [libertinus_bold]);
        // Unmarked words keep the regular faces.
        assert_eq!(runs_of(&f, "هنا"), [glyphs("هنا", Role::Regular)]);
        assert_eq!(runs_of(&f, "ב\u{591}"), [glyphs("ב\u{591}", Role::Regular)]);
        // The chapter's heading (semibold, a bold weight) is set in Naskh Arabic Bold.
        let heading = runs_of(&f, "عنوان");
        assert_eq!(heading.len(), 1, "{heading:?}");
        assert_eq!(
            heading[0].0 as usize, bold_ar,
            "the heading's Arabic is bold"
        );
    }

    #[test]
    fn chapter_title_heading_and_paragraph_penalties() {
        let md = format!("# The End\n\n{PARA}\n\n{PARA}\n\n## Aftermath {{#after}}\n\n{PARA}\n");
        let (f, settings) = flow_and_settings(&md);
        assert_eq!(f.title, "The End");
        assert_eq!(f.anchor, "ch-01-one");
        let headings: Vec<(u8, &str, &str)> = f
            .body
            .iter()
            .filter_map(|i| match i {
                VItem::Heading {
                    level,
                    title,
                    anchor,
                } => Some((*level, title.as_str(), anchor.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(headings.len(), 2);
        assert_eq!((headings[0].0, headings[0].1), (1, "The End"));
        assert_eq!(headings[1], (2, "Aftermath", "after"));
        // The body starts with the title mark, then the title line.
        assert!(matches!(f.body[0], VItem::Heading { level: 1, .. }));
        assert!(matches!(&f.body[1], VItem::Line(l) if text(l).contains("End")));
        assert!(matches!(f.body[2], VItem::Penalty { cost } if cost == AFTER_HEADING_PENALTY));

        // Every line is followed by a penalty or space, never directly by another line; the
        // paragraph's first and last gaps are infinite.
        let leading = settings.body.leading;
        let first_para = f
            .body
            .iter()
            .position(|i| matches!(i, VItem::Line(l) if l.height == leading))
            .unwrap();
        let mut costs = Vec::new();
        let mut i = first_para + 1;
        while let Some(VItem::Penalty { cost }) = f.body.get(i) {
            costs.push(*cost);
            if *cost == BETWEEN_PARAGRAPHS_PENALTY {
                break;
            }
            i += 2;
        }
        assert!(costs.len() >= 4, "{costs:?}");
        assert_eq!(costs[0], CLUB_PENALTY);
        assert_eq!(costs[costs.len() - 2], WIDOW_PENALTY);
        assert_eq!(*costs.last().unwrap(), BETWEEN_PARAGRAPHS_PENALTY);
        assert!(costs[1..costs.len() - 2]
            .iter()
            .all(|&c| c == INTERLINE_PENALTY));
        for pair in f.body.windows(2) {
            assert!(
                !matches!(pair, [VItem::Line(_), VItem::Line(_)]),
                "two lines with no break item between"
            );
        }
        // The heading is kept with the next text: penalty after it is infinite.
        let h2 = f
            .body
            .iter()
            .position(|i| matches!(i, VItem::Heading { level: 2, .. }))
            .unwrap();
        assert!(matches!(f.body[h2 - 1], VItem::Space { .. }));
        assert!(matches!(f.body[h2 + 1], VItem::Line(_)));
        assert!(matches!(f.body[h2 + 2], VItem::Penalty { cost } if cost == f32::INFINITY));
    }

    #[test]
    fn indents_follow_book_conventions() {
        let md = format!("# T\n\n{PARA}\n\n{PARA}\n\n***\n\n{PARA}\n");
        let f = flow(&md);
        let body_lines = lines(&f.body);
        let first_x = |needle: &str, nth: usize| -> f32 {
            let starts: Vec<&&LineBox> = body_lines
                .iter()
                .filter(|l| text(l).starts_with(needle))
                .collect();
            match starts[nth].items.iter().find_map(|i| match i {
                Item::Glyphs(r) => Some(r.x),
                _ => None,
            }) {
                Some(x) => x,
                None => panic!("no glyphs"),
            }
        };
        assert_eq!(first_x("So", 0), 0.0, "no indent after the title");
        assert!(
            (first_x("So", 1) - 11.0).abs() < 0.01,
            "1 em indent for the second paragraph"
        );
        assert_eq!(first_x("So", 2), 0.0, "no indent after a scene break");
        assert!(body_lines
            .iter()
            .any(|l| text(l) == "⁂" || text(l) == "* * *"));
    }

    /// A code line's glyph run: (text, x, right, size, after an artifact mark).
    type CodeRun = (String, f32, f32, f32, bool);

    /// The glyph runs of a flow's code lines (mono face), line by line.
    fn code_runs(f: &ChapterFlow) -> Vec<Vec<CodeRun>> {
        let mono = FontSet::builtin().font_id(FontSet::builtin().face(Role::Mono));
        lines(&f.body)
            .iter()
            .filter(|l| {
                l.items
                    .iter()
                    .any(|i| matches!(i, Item::Glyphs(r) if r.font == mono))
            })
            .map(|l| {
                let mut artifact = false;
                let mut out = Vec::new();
                for i in &l.items {
                    match i {
                        Item::Mark(Mark::Artifact(_)) => artifact = true,
                        Item::Mark(Mark::Content(_)) => artifact = false,
                        Item::Glyphs(r) => {
                            out.push((r.text.clone(), r.x, r.x + r.width(), r.size, artifact))
                        }
                        _ => {}
                    }
                }
                out
            })
            .collect()
    }

    #[test]
    fn a_code_block_a_little_too_wide_steps_down_one_size() {
        let (_, settings) = flow_and_settings("# T\n\nx\n");
        // At 6 × 9 in and 11 pt, code (8.8 pt) has 61 columns; one step smaller, 68.
        let line = "x".repeat(64);
        let f = flow(&format!("# T\n\n```\nshort\n{line}\n```\n"));
        let code = code_runs(&f);
        assert_eq!(code.len(), 2, "{code:?}");
        let size = settings.body.size * CODE_SIZE_RATIO * code::STEP_DOWN;
        for runs in &code {
            assert!(runs.iter().all(|r| (r.3 - size).abs() < 1e-3), "{runs:?}");
        }
        assert_eq!(code[1][0].0, line);
        assert!(code[1][0].2 <= settings.measure + 0.01);
    }

    #[test]
    fn a_long_code_line_wraps_with_a_marked_hanging_continuation() {
        let (_, settings) = flow_and_settings("# T\n\nx\n");
        let long = "let total = first_value + second_value + third_value + fourth_value + \
                    fifth_value + sixth_value + seventh_value;";
        let f = flow(&format!("# T\n\n```\n{long}\n```\n"));
        let code = code_runs(&f);
        assert!(code.len() >= 2, "{code:?}");
        let size = settings.body.size * CODE_SIZE_RATIO;
        let mut text = String::new();
        for (k, runs) in code.iter().enumerate() {
            let content: Vec<_> = runs.iter().filter(|r| !r.4).collect();
            let marks: Vec<_> = runs.iter().filter(|r| r.4).collect();
            // The normal size (no step down: it would not fit), inside the measure.
            assert!(runs.iter().all(|r| (r.3 - size).abs() < 1e-3), "{runs:?}");
            assert!(
                runs.iter().all(|r| r.2 <= settings.measure + 0.01),
                "{runs:?}"
            );
            if k == 0 {
                assert!(marks.is_empty());
                assert!(content[0].1.abs() < 0.01);
            } else {
                // The mark sits in the indent, as an artifact, left of the indented text.
                assert_eq!(marks.len(), 1, "{runs:?}");
                assert_eq!(marks[0].0, code::CONTINUATION_MARK);
                assert!(marks[0].2 <= content[0].1, "{runs:?}");
                assert!(content[0].1 > size, "{runs:?}");
            }
            // Pieces end at a space where there is one.
            if k + 1 < code.len() {
                assert!(content.last().unwrap().0.ends_with(' '), "{content:?}");
            }
            text.extend(content.iter().map(|r| r.0.as_str()));
        }
        assert_eq!(text, long);
    }

    #[test]
    fn footnotes_lists_code_quotes_tables() {
        let md = "# T\n\nText with a note.[^a] And more text here.\n\n[^a]: The note’s text, which is long enough to run over a line or two at the note size of the book.\n\n\
                  - first item\n- second item with [a link](https://example.com/some/long/path)\n\n\
                  1. one\n2. two\n\n> A quoted paragraph that is indented on both sides.\n\n\
                  ```\nfn main() {\n\tprintln!(\"hi\");\n}\n```\n\n| a | b |\n|---|--:|\n| one | 2 |\n| three | 40 |\n\n<div>Raw <b>html</b> &amp; text</div>\n";
        let f = flow(md);
        let body = lines(&f.body);
        // The reference line carries note 0; the note starts with its number.
        let with_note: Vec<_> = body.iter().filter(|l| l.notes == [0]).collect();
        assert_eq!(with_note.len(), 1);
        assert_eq!(f.notes.len(), 1);
        let note = &f.notes[0].lines;
        assert!(text(&note[0]).starts_with("1."), "{}", text(&note[0]));
        assert!(note[0].height < 14.0);
        assert!(note[0]
            .items
            .iter()
            .any(|i| matches!(i, Item::Anchor { name, .. } if name.ends_with("-fn1"))));
        // Bullets and numbers hang left of the item text.
        let bullet = body.iter().find(|l| text(l).contains("first")).unwrap();
        assert!(text(bullet).contains('•'));
        assert!(body
            .iter()
            .any(|l| text(l).contains("2.") && text(l).contains("two")));
        assert!(body.iter().any(|l| l.items.iter().any(|i| matches!(i, Item::Link { target: LinkTarget::Url(u), .. } if u.contains("example.com")))));
        // Code keeps its indentation (a tab is 4 spaces) and uses the mono face.
        let mono = FontSet::builtin().font_id(FontSet::builtin().face(Role::Mono));
        let code: Vec<_> = body
            .iter()
            .filter(|l| {
                l.items
                    .iter()
                    .any(|i| matches!(i, Item::Glyphs(r) if r.font == mono && r.size < 11.0))
            })
            .collect();
        assert_eq!(code.len(), 3);
        assert!(text(code[1]).starts_with("    println!"));
        // The quote is indented on the left.
        let quote = body.iter().find(|l| text(l).contains("quoted")).unwrap();
        assert!(quote
            .items
            .iter()
            .any(|i| matches!(i, Item::Glyphs(r) if r.x >= 16.0)));
        // The table: rows with rules.
        let rules = body
            .iter()
            .map(|l| {
                l.items
                    .iter()
                    .filter(|i| matches!(i, Item::Rule { .. }))
                    .count()
            })
            .sum::<usize>();
        assert_eq!(rules, 3);
        assert!(body.iter().any(|l| text(l).contains("three")));
        // Raw HTML keeps its text.
        assert!(body
            .iter()
            .any(|l| text(l).contains("Raw") && text(l).contains('&')));
    }

    #[test]
    fn justified_body_lines_fill_the_measure() {
        let md = format!("# T\n\n{PARA} {PARA}\n");
        let (f, settings) = flow_and_settings(&md);
        let body = lines(&f.body);
        let para: Vec<_> = body
            .iter()
            .filter(|l| l.height == settings.body.leading)
            .collect();
        assert!(para.len() > 4);
        for l in &para[..para.len() - 1] {
            assert!(
                (l.width - settings.measure).abs() < 0.01,
                "{} vs {}",
                l.width,
                settings.measure
            );
        }
    }

    #[test]
    fn helpers() {
        assert_eq!(expand_tabs("\tx"), "    x");
    }

    /// The glyph runs of the table rows of a flow (lines holding a rule or several cells),
    /// as (text, left, right, size), row by row.
    fn table_runs(f: &ChapterFlow) -> Vec<Vec<(String, f32, f32, f32)>> {
        lines(&f.body)
            .iter()
            .filter(|l| l.items.iter().any(|i| matches!(i, Item::Rule { .. })) || l.height > 20.0)
            // Not the chapter title (its line is two leadings high too).
            .filter(|l| {
                !l.items
                    .iter()
                    .any(|i| matches!(i, Item::Glyphs(r) if r.size > 12.0))
            })
            .map(|l| {
                l.items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Glyphs(r) => Some((r.text.clone(), r.x, r.x + r.width(), r.size)),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }

    /// Every row of the table in `md`, as laid out (table lines only).
    fn table_lines(md: &str) -> (ChapterFlow, LayoutSettings) {
        flow_and_settings(md)
    }

    #[test]
    fn numbers_align_on_their_right_edges_in_tabular_figures() {
        let md = "# T\n\n| Place | Count |\n|---|--:|\n| a | 1,111 |\n| b | 8 |\n| c | 48,880 |\n| d | 7 |\n";
        // (A column holding a decimal aligns on its separator instead: tests/tables.rs.)
        let (f, _) = table_lines(md);
        let mut rights = Vec::new();
        let mut advances = std::collections::BTreeSet::new();
        for line in lines(&f.body) {
            for item in &line.items {
                if let Item::Glyphs(r) = item {
                    if r.text.chars().any(|c| c.is_ascii_digit()) {
                        rights.push((r.text.clone(), r.x + r.width()));
                        for g in &r.glyphs {
                            let ch = r.text[g.text.start as usize..g.text.end as usize]
                                .chars()
                                .next();
                            if ch.is_some_and(|c| c.is_ascii_digit()) {
                                advances.insert((g.x_advance * 1000.0).round() as i64);
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(rights.len(), 4, "{rights:?}");
        let first = rights[0].1;
        assert!(
            rights.iter().all(|(_, r)| (r - first).abs() < 0.01),
            "right edges differ: {rights:?}"
        );
        // Tabular figures: every digit has one advance (Libertinus' proportional 1 is narrower).
        assert_eq!(advances.len(), 1, "digit advances: {advances:?}");
    }

    #[test]
    fn narrow_columns_are_ragged_right_and_hyphenated() {
        let md = "# T\n\n| Term | What it means |\n|---|---|\n| Counterrevolutionary | Incomprehensibilities and characteristically uncharacteristic administrative reorganisations, institutionalised and internationalised |\n";
        let (f, settings) = table_lines(md);
        let rows = table_runs(&f);
        let body = rows
            .iter()
            .find(|r| r.iter().any(|(t, ..)| t.contains("Counter")))
            .expect("the row");
        // The second column's lines: more than one, one ending with a hyphen, none past the measure.
        let second: Vec<&(String, f32, f32, f32)> = body
            .iter()
            .filter(|(t, ..)| !t.contains("Counter"))
            .collect();
        assert!(second.len() >= 2, "{second:?}");
        assert!(
            second.iter().any(|(t, ..)| t.trim_end().ends_with('-')),
            "no hyphen: {second:?}"
        );
        let lefts: Vec<f32> = second.iter().map(|r| r.1).collect();
        assert!(
            lefts.iter().all(|x| (x - lefts[0]).abs() < 0.01),
            "ragged right: one left edge {lefts:?}"
        );
        for (t, _, right, _) in body {
            assert!(*right <= settings.measure + 0.01, "{t} ends at {right}");
        }
        // Ragged: the lines are not all one width.
        let widths: Vec<f32> = second.iter().map(|r| r.2 - r.1).collect();
        assert!(
            widths.iter().any(|w| (w - widths[0]).abs() > 1.0),
            "{widths:?}"
        );
    }

    /// Columns of "Households" that fit the default measure at 0.8 of the body, not at 0.9.
    const COLUMNS: usize = 6;

    #[test]
    fn a_table_too_wide_is_set_smaller_then_squeezed_with_a_warning_and_never_past_the_margin() {
        let size = |md: &str| {
            let (f, settings) = table_lines(md);
            let rows = table_runs(&f);
            let sizes: std::collections::BTreeSet<i64> = rows
                .iter()
                .flatten()
                .map(|r| (r.3 * 100.0).round() as i64)
                .collect();
            for (t, left, right, _) in rows.iter().flatten() {
                assert!(
                    *left >= -0.01 && *right <= settings.measure + 0.01,
                    "{t}: {left}–{right} outside 0–{}",
                    settings.measure
                );
            }
            (sizes, f.warnings.clone(), settings.body.size)
        };
        // Fits at the table size: 0.9 of the body, no warning.
        let (sizes, warnings, body) = size("# T\n\n| a | b |\n|---|---|\n| one | two |\n");
        assert_eq!(
            sizes.into_iter().collect::<Vec<_>>(),
            [(body * 0.9 * 100.0).round() as i64]
        );
        assert!(warnings.is_empty());
        // Eight columns of long words: one size step down, still no warning.
        let row = |w: &str| format!("|{}\n", format!(" {w} |").repeat(COLUMNS));
        let md = format!(
            "# T\n\n{}|{}\n{}",
            row("Households"),
            "---|".repeat(COLUMNS),
            row("Households")
        );
        let (sizes, warnings, body) = size(&md);
        assert_eq!(
            sizes.into_iter().collect::<Vec<_>>(),
            [(body * 0.8 * 100.0).round() as i64]
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        // Twelve: squeezed, with a located warning, and still inside the measure.
        let row = |w: &str| format!("|{}\n", format!(" {w} |").repeat(12));
        let md = format!(
            "# T\n\n{}|{}\n{}",
            row("Incomprehensibilities"),
            "---|".repeat(12),
            row("Characteristically")
        );
        let (sizes, warnings, body) = size(&md);
        assert!(
            sizes
                .iter()
                .all(|&s| s <= (body * 0.8 * 100.0).round() as i64),
            "{sizes:?}"
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].code, "W0906");
        let at = warnings[0].location.as_ref().expect("located");
        assert_eq!(
            (at.file.as_str(), at.line, at.column),
            ("manuscript/01-one.md", 3, 1)
        );
    }

    #[test]
    fn a_long_table_repeats_its_caption_and_header_and_splits_a_row_taller_than_a_page() {
        let mut md =
            String::from("# T\n\nTable: Stations {#tbl:s}\n\n| No. | Station |\n|--:|---|\n");
        for i in 1..=10 {
            md.push_str(&format!("| {i} | Station {i} |\n"));
        }
        // A row of one very long cell: taller than a page.
        md.push_str(&format!("| 11 | {} |\n", "word ".repeat(1500)));
        md.push_str("| 12 | Station 12 |\n| 13 | Station 13 |\n");
        let (f, settings) = table_lines(&md);
        assert_eq!(f.repeats.len(), 1);
        let repeat = &f.repeats[0];
        let texts: Vec<String> = repeat.lines.iter().map(text).collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(
            texts[0].contains("Stations") && texts[0].contains("(continued)"),
            "{texts:?}"
        );
        assert!(
            texts[1].contains("No.") && texts[1].contains("Station"),
            "{texts:?}"
        );
        // The repeat is an artifact: no content marks, links, anchors or notes.
        for line in &repeat.lines {
            assert!(line.notes.is_empty());
            for item in &line.items {
                assert!(
                    matches!(
                        item,
                        Item::Mark(Mark::Artifact(_)) | Item::Glyphs(_) | Item::Rule { .. }
                    ),
                    "{item:?}"
                );
            }
        }
        // The tall row became lines of one leading each, every one fitting a page.
        let body = lines(&f.body);
        let tallest = body.iter().map(|l| l.height).fold(0.0, f32::max);
        assert!(
            tallest <= settings.text_height,
            "{tallest} > {}",
            settings.text_height
        );
        let words = body.iter().filter(|l| text(l).starts_with("word")).count();
        assert!(words > 40, "{words} lines of the long cell");
        // The repeat covers the rows after the first, to the table's last line.
        let last = f
            .body
            .iter()
            .rposition(|i| matches!(i, VItem::Line(l) if text(l).contains("Station13")))
            .unwrap_or_else(|| {
                panic!(
                    "row 13: {:?}",
                    body.iter()
                        .rev()
                        .take(3)
                        .map(|l| text(l))
                        .collect::<Vec<_>>()
                )
            });
        assert_eq!(repeat.rows.end, last + 1);
    }
}
