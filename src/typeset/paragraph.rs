//! Paragraph composition: styled inline spans → shaped Knuth–Plass items → justified
//! [`LineBox`]es. Also the small helpers the page builder uses for running heads, folios,
//! contents lines and title pages ([`Composer::layout_text`], [`Composer::shape_line`]).
//!
//! # How a paragraph is built
//! 1. Model inlines become [`Span`]s (text + role + link/note data): [`spans_from_inlines`].
//! 2. Each word is shaped whole (kerning and ligatures intact, cached by the [`Shaper`]), then
//!    cut at its break points (hyphenation points, hard hyphens and dashes, URL break points) on
//!    cluster boundaries into fragments, one box each. A point inside a ligature is skipped, so
//!    the fragments' widths always add up to the whole word's width.
//! 3. Spaces become glue (the face's space, stretch and shrink ⅓ of it), hyphenation points
//!    flagged penalties carrying the hyphen's width. Justified text also gets font expansion:
//!    each box may be scaled by ±[`FONT_EXPANSION`], which the breaker counts as stretch and
//!    shrink (as pdfTeX does with microtype), so that word spaces stay close to their natural
//!    width (measured with pdfmeter on the seed book: word-space p95 1.68 → 1.23).
//! 4. The line breaker chooses breaks; each line is then set: glue widths and glyph scale from
//!    the line's own adjustment ratio (so a justified line is exactly the measure), the break
//!    hyphen appended when a flagged break was taken, consecutive boxes of one style merged
//!    into one glyph run (which carries the line's glyph scale).
//!
//! # Coordinates
//! Items in a [`LineBox`] are relative to the text block's left edge (x) and to the line's
//! baseline (y, down). A line's `height` is the style's leading and its `baseline` is
//! [`BASELINE_SHARE`] × the leading.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::bidi;
use super::cjk;
use super::font::{FontSet, Role};
use super::frame::{Glyph, GlyphRun, Item, LinkTarget, Rect};
use super::hyphenate::{self, Hyphenator};
use super::linebreak::{self, Item as LbItem};
use super::segment;
use super::shape::{Features, Shaped, Shaper};
use super::vlist::{LineBox, TextAt};
use crate::model::{self, Inline, InlineKind};

/// Where the baseline sits in a line's slot, as a share of the leading. 0.8 leaves room for
/// ascenders above and descenders below at the usual 1.2–1.45 leading ratios; every style uses
/// the same share so that lines of one style sit on one grid.
pub const BASELINE_SHARE: f32 = 0.8;
/// The cost of breaking inside a URL or inline code (after `/`, `.`, …): a little more than a
/// hyphen, since such breaks are harder to read across.
pub const URL_BREAK_PENALTY: f32 = 80.0;
/// The cost of ending a Korean line between two syllables of a word instead of at a space
/// (docs/typesetting.md, "Korean"): a syllable break needs no hyphen, and justified Korean
/// books use it freely, but a word kept whole reads better, so it costs three hyphens: its
/// square outweighs a line of badness ~140, and the breaker takes it only where the spaces
/// alone would stretch a line well past its natural width. On `tests/fixtures/lang-ko`, 50
/// broke six words in 18 lines, 150 and 400 the same three (with no line loose).
pub const SYLLABLE_BREAK_PENALTY: f32 = 150.0;
/// Inter-word stretch as a share of the space. XeTeX's default is ½; ⅓ makes the breaker
/// judge a space of 1.33× as badness 100 (the limit of a good line in InDesign's defaults too),
/// so that it prefers hyphenation, font expansion and slightly tight lines to loose ones.
pub const SPACE_STRETCH: f32 = 1.0 / 3.0;
/// Inter-word shrink as a share of the space (XeTeX's default).
pub const SPACE_SHRINK: f32 = 1.0 / 3.0;
/// Stretch of a break between two words of a script written without spaces (Khmer, Thai,
/// CJK), in em: such a line has few or no spaces to justify it, so each word boundary may open
/// by up to about half a space at badness 100 (a Libertinus space is 0.25 em).
pub const UNSPACED_BREAK_STRETCH_EM: f32 = 0.12;
/// How much of the blank of a full-width punctuation mark (`cjk.rs`) a justified line may
/// take away when it must shrink: half, so that a mark keeps at least half its blank
/// beside the text. These blanks are the first thing such a line shrinks (`set_line`).
pub const PUNCT_BLANK_SHRINK: f32 = 0.5;
/// Footnote marks: size relative to the text around them (brief: ~0.7).
pub const SUPERSCRIPT_SCALE: f32 = 0.7;
/// Footnote marks: how far the baseline is raised, in em of the surrounding text (about the
/// x-height, so the mark's top lines up with the capitals).
pub const SUPERSCRIPT_RISE: f32 = 0.36;
/// Inline code inside serif text: DejaVu Sans Mono is large on the body (x-height 0.55 em
/// against Libertinus' 0.43), so it is set a little smaller to match the text's colour.
pub const INLINE_MONO_SCALE: f32 = 0.85;
/// How far a ragged-right line may fall short at ratio 1, in em: TeX's `\raggedright` uses
/// 2 em; lines shorter than that are penalised by their badness.
const RAGGED_STRETCH_EM: f32 = 2.0;
/// Font expansion of justified lines: glyphs may be scaled horizontally by up to ±2 %
/// (microtype's default for pdfTeX), which gives the line breaker room beyond the spaces.
pub const FONT_EXPANSION: f32 = 0.025;
/// At most this many lines in a row end with a hyphen.
pub const MAX_HYPHEN_LADDER: u8 = 2;
/// Penalty of a break anywhere inside a piece of a word that is wider than the measure: high,
/// so that such breaks are taken only where the piece cannot fit otherwise, but below
/// TeX's 10000, which forbids a break.
const EMERGENCY_BREAK_PENALTY: f32 = 5000.0;

/// A piece of a word wider than this share of the measure gets the breaks of
/// [`EMERGENCY_BREAK_PENALTY`]: a piece a little narrower than the measure may still not fit
/// beside the hyphen that ends its line.
const EMERGENCY_PIECE_SHARE: f32 = 0.9;

/// Emergency stretch of the line breaker's last pass, in em (docs/typesetting.md: ≈ 1.5 em).
const EMERGENCY_STRETCH_EM: f32 = 1.5;
/// Least clear space between the ink of two lines, em of the text size: Khmer's stacked
/// subscripts, Arabic's deep descenders and the marks above the next line must not touch (a
/// hairline, 0.66 pt at 11 pt).
const MIN_INK_GAP_EM: f32 = 0.06;
/// What a neighbouring paragraph's line is assumed to reach, em: a Latin line's descenders
/// (Libertinus' 0.246 em) below, and its accented capitals (0.9 em) above.
const NEIGHBOUR_DESCENT_EM: f32 = 0.25;
const NEIGHBOUR_ASCENT_EM: f32 = 0.9;
/// Text colour: black.
const BLACK: [f32; 3] = [0.0, 0.0, 0.0];
/// Marks a forced line break inside a span's text (a Markdown hard break): U+2028 LINE
/// SEPARATOR, which never occurs in ordinary text.
pub const HARD_BREAK: char = '\u{2028}';
/// Hyphens and dashes that end a line without an added hyphen.
const HARD_HYPHENS: [char; 4] = ['-', '\u{2010}', '\u{2013}', '\u{2014}'];

/// Size, leading and face of a body of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    /// Font size, pt.
    pub size: f32,
    /// Baseline-to-baseline distance, pt: the height of each line.
    pub leading: f32,
    /// The face of plain text (emphasis and strong are derived from it).
    pub role: Role,
    pub features: Features,
    /// RGB, 0–1.
    pub color: [f32; 3],
}

impl TextStyle {
    pub fn new(size: f32, leading: f32, role: Role) -> TextStyle {
        TextStyle {
            size,
            leading,
            role,
            features: Features::default(),
            color: BLACK,
        }
    }
}

/// How lines sit in the measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush left and right; the last line natural.
    Justify,
    /// Flush left, natural spaces.
    RaggedRight,
    /// Each line centred, natural spaces.
    Centre,
}

/// The width lines are set to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    /// Line width, pt.
    pub width: f32,
    /// Indent of the first line, pt (0 for none).
    pub first_indent: f32,
}

/// How a span's words may break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakRule {
    /// Ordinary words: hyphenation (when on) and breaks after hard hyphens and dashes.
    Words,
    /// URLs and code: breaks after `/ . - ? & = _ :` with no hyphen added; no hyphenation.
    Url,
}

/// A run of text in one style, with what is attached to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub role: Role,
    /// Set as a raised, smaller footnote mark.
    pub superscript: bool,
    /// The span is a link to this target.
    pub link: Option<LinkTarget>,
    /// The span is the reference mark of this footnote (index into the chapter's notes).
    pub note: Option<usize>,
    /// A named destination placed where the span starts.
    pub anchor: Option<String>,
    pub breaks: BreakRule,
    /// The span's language (BCP 47) when it is not the paragraph's: hyphenation follows it.
    pub lang: Option<Arc<str>>,
    /// The bidi isolates the span is in (a span marked with a direction or a language,
    /// [`model::Inline::direction`]), outermost first.
    pub isolates: Vec<bidi::Isolate>,
    /// Where the span's text begins in the model, when it is the model's text (a footnote
    /// mark, a label or a heading bindery writes has none).
    pub source: Option<TextAt>,
    /// Where the model inline the text comes from was written (`None` for text bindery
    /// writes): the typesetter's findings about the text point there ([`BrokenWord`]).
    pub origin: Option<model::Span>,
}

impl Span {
    /// Plain text in `role`.
    pub fn plain(text: impl Into<String>, role: Role) -> Span {
        Span {
            text: text.into(),
            role,
            superscript: false,
            link: None,
            note: None,
            anchor: None,
            breaks: BreakRule::Words,
            lang: None,
            isolates: Vec::new(),
            source: None,
            origin: None,
        }
    }
}

/// A word wider than the line, broken at a character cluster where no break point was (an
/// emergency break, [`EMERGENCY_BREAK_PENALTY`]): a repair the typesetter reports (W0907).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenWord {
    /// The word as set (the model's text).
    pub word: String,
    /// Where the model inline holding the word was written.
    pub origin: model::Span,
    /// Byte offset of the word in that inline's text as set, to tell repeated words apart.
    pub offset: usize,
}

/// Where model inlines point: the book's chapters and the current chapter's notes.
#[derive(Debug)]
pub struct InlineContext<'a> {
    /// Every chapter of the book (for internal links to chapter starts).
    pub chapters: &'a [model::Chapter],
    /// The current chapter's footnotes.
    pub footnotes: &'a [model::Footnote],
    /// The book's labels, for the links of cross-references.
    pub numbers: &'a model::Numbers,
    /// With `pdf.page_references`: each reference's page phrase (by span), and each reference
    /// marks where it lands ([`reference_anchor`]).
    pub page_refs: Option<&'a std::collections::HashMap<model::Span, String>>,
    /// Notes whose first reference has been set (their `fnref` anchor exists already).
    pub referenced: HashSet<usize>,
    /// Where the next inline's text is in the model, advanced as inlines become spans
    /// (`None` where positions are not tracked, as in notes).
    pub at: Option<TextAt>,
}

/// Model inlines → spans, with `base` the role of plain text.
pub fn spans_from_inlines(
    inlines: &[Inline],
    base: Role,
    ctx: &mut InlineContext<'_>,
) -> Vec<Span> {
    let mut out = Vec::new();
    walk_inlines(inlines, base, None, None, ctx, &mut out);
    out
}

fn walk_inlines(
    inlines: &[Inline],
    role: Role,
    link: Option<&LinkTarget>,
    lang: Option<&Arc<str>>,
    ctx: &mut InlineContext<'_>,
    out: &mut Vec<Span>,
) {
    // Each span of model text records where it begins; the position then moves past it,
    // counting characters as `model::plain_text` does.
    let push = |out: &mut Vec<Span>,
                at: &mut Option<TextAt>,
                text: String,
                role: Role,
                breaks: BreakRule,
                origin: model::Span| {
        let mut span = Span::plain(text, role);
        span.link = link.cloned();
        span.breaks = breaks;
        span.lang = lang.cloned();
        span.source = *at;
        span.origin = Some(origin);
        if let Some(at) = at {
            at.offset += span.text.chars().count();
        }
        out.push(span);
    };
    for inline in inlines {
        match &inline.kind {
            InlineKind::Text(t) => {
                let url_like = link.is_some_and(|l| matches!(l, LinkTarget::Url(u) if u.trim_start_matches("mailto:") == t.as_str() || t.contains("://")));
                push(
                    out,
                    &mut ctx.at,
                    t.clone(),
                    role,
                    if url_like {
                        BreakRule::Url
                    } else {
                        BreakRule::Words
                    },
                    inline.span,
                );
            }
            InlineKind::Emphasis(c) => walk_inlines(c, role.emphasised(), link, lang, ctx, out),
            InlineKind::Strong(c) => walk_inlines(c, role.strong(), link, lang, ctx, out),
            InlineKind::Strikethrough(c) => walk_inlines(c, role, link, lang, ctx, out),
            InlineKind::Superscript(c) => {
                let from = out.len();
                walk_inlines(c, role, link, lang, ctx, out);
                for span in &mut out[from..] {
                    span.superscript = true;
                }
            }
            // Print has no lowered figures yet: a subscript is set on the line.
            InlineKind::Subscript(c) => walk_inlines(c, role, link, lang, ctx, out),
            InlineKind::Lang {
                lang: tag, content, ..
            } => {
                let tag: Option<Arc<str>> = tag.as_deref().map(Arc::from);
                let from = out.len();
                walk_inlines(content, role, link, tag.as_ref().or(lang), ctx, out);
                // Its text is an isolate of its direction, around the isolates inside it.
                if let Some(dir) = inline.direction() {
                    let isolate = bidi::Isolate {
                        dir,
                        id: inline.span,
                    };
                    for span in &mut out[from..] {
                        span.isolates.insert(0, isolate);
                    }
                }
            }
            InlineKind::Code(t) => push(
                out,
                &mut ctx.at,
                t.clone(),
                Role::Mono,
                BreakRule::Url,
                inline.span,
            ),
            InlineKind::Link {
                target, content, ..
            } => {
                let target = match target {
                    model::LinkTarget::External(url) => Some(LinkTarget::Url(url.clone())),
                    model::LinkTarget::Internal {
                        anchor: Some(a), ..
                    } => Some(LinkTarget::Anchor(a.clone())),
                    model::LinkTarget::Internal {
                        chapter,
                        anchor: None,
                    } => ctx
                        .chapters
                        .get(*chapter)
                        .map(|c| LinkTarget::Anchor(c.slug.clone())),
                    model::LinkTarget::Broken(_) => None,
                };
                walk_inlines(content, role, target.as_ref().or(link), lang, ctx, out);
            }
            InlineKind::Image { alt, .. } => push(
                out,
                &mut ctx.at,
                alt.clone(),
                role.emphasised(),
                BreakRule::Words,
                inline.span,
            ),
            InlineKind::CrossRef(r) => {
                let target = r
                    .labels
                    .first()
                    .and_then(|l| ctx.numbers.labels.get(l))
                    .map(|t| LinkTarget::Anchor(t.anchor.clone()));
                let mut span = Span::plain(r.text.clone(), role);
                span.origin = Some(inline.span);
                // Inside a link the reference is its text (links do not nest).
                span.link = link.cloned().or(target);
                span.lang = lang.cloned();
                span.source = ctx.at;
                if let Some(at) = &mut ctx.at {
                    at.offset += r.text.chars().count();
                }
                let phrase = ctx.page_refs.map(|refs| {
                    span.anchor = Some(reference_anchor(inline.span));
                    refs.get(&inline.span).cloned().unwrap_or_default()
                });
                let link_of_reference = span.link.clone();
                out.push(span);
                // The page phrase is bindery's words, not model text: it advances no position.
                if let Some(phrase) = phrase.filter(|p| !p.is_empty()) {
                    let mut after = Span::plain(phrase, role);
                    after.link = link_of_reference;
                    after.lang = lang.cloned();
                    out.push(after);
                }
            }
            InlineKind::FootnoteRef(index) => {
                let Some(note) = ctx.footnotes.get(*index) else {
                    continue;
                };
                let mut span = Span::plain(note.mark.clone(), base_of(role));
                span.superscript = true;
                span.note = Some(*index);
                span.link = Some(LinkTarget::Anchor(note.anchor.clone()));
                if ctx.referenced.insert(*index) {
                    span.anchor = Some(note.ref_anchor.clone());
                }
                out.push(span);
            }
            InlineKind::SoftBreak => push(
                out,
                &mut ctx.at,
                " ".to_string(),
                role,
                BreakRule::Words,
                inline.span,
            ),
            InlineKind::HardBreak => push(
                out,
                &mut ctx.at,
                HARD_BREAK.to_string(),
                role,
                BreakRule::Words,
                inline.span,
            ),
            // Never in a loaded book: raw HTML became model inlines while parsing.
            InlineKind::Html(_) => {}
        }
    }
}

/// Footnote marks are roman figures whatever the emphasis around them.
fn base_of(role: Role) -> Role {
    match role {
        Role::Italic => Role::Regular,
        Role::BoldItalic => Role::Bold,
        other => other,
    }
}

/// Glyphs of one style on one baseline, to be placed as a unit.
#[derive(Debug, Clone)]
struct Chunk {
    /// Index of the span it comes from.
    span: usize,
    /// Byte offset of `text` in the span's text.
    at: usize,
    face: usize,
    /// pt.
    size: f32,
    /// Baseline shift, pt, y down (negative raises).
    rise: f32,
    text: String,
    /// Text ranges relative to `text`.
    glyphs: Vec<Glyph>,
    width: f32,
    /// Shaped right to left: `glyphs` are in visual order (`shape::Segment::rtl`).
    rtl: bool,
}

/// How a line ends, for [`Composer::set_line`]: the break hyphen it adds, and the correction of
/// its last glyph when it ends inside a word ([`Content::WordBreak`]).
#[derive(Debug, Clone, Copy, Default)]
struct LineEnd<'a> {
    hyphen: Option<&'a Chunk>,
    /// pt added to the last glyph's advance.
    end_fix: f32,
}

/// What an item stands for, parallel to the items.
#[derive(Debug, Clone)]
enum Content {
    /// Glyphs.
    Chunk(Chunk),
    /// An empty box (the paragraph indent).
    Blank,
    /// Glue from a space.
    Space,
    /// A flagged penalty: the hyphen glyph set when the break is taken.
    Hyphen(Chunk),
    /// An unflagged break inside a word (an address, code): when a line ends here, the last
    /// glyph before it takes its own advance, without the kerning it had with the glyph that
    /// now starts the next line; `end_fix` pt is that difference (the penalty's width).
    /// `emergency` names the word when the break is an emergency one (a word wider than the
    /// line): (span index, the word's byte range in the span's text).
    WordBreak {
        end_fix: f32,
        emergency: Option<(usize, std::ops::Range<usize>)>,
    },
    /// Glue from the blank of a full-width punctuation mark in Chinese or Japanese
    /// (`cjk.rs`): a justified line that must shrink takes its shrink from these first.
    PunctBlank,
    /// Other glue and penalties.
    Other,
}

/// Hyphenation in one language, with its cache.
struct LangHyphens {
    /// BCP 47 tag as written.
    tag: Arc<str>,
    /// `None` when hypher has no patterns for the language.
    hyphenator: Option<Hyphenator>,
    /// Hyphenation points (byte offsets) per word.
    cache: HashMap<Box<str>, Arc<[usize]>>,
}

/// Lays out paragraphs; owns the shaping and hyphenation caches. Create one per thread.
pub struct Composer {
    shaper: Shaper,
    /// One entry per language met so far; the first is the default language's.
    languages: Vec<LangHyphens>,
    /// Index into `languages` of the language of unmarked text (the chapter's).
    current: usize,
    /// The book's hyphenation exceptions, shared by every language.
    exceptions: Arc<hyphenate::Exceptions>,
    /// Ink extents of the glyphs met, (face, glyph) → (top, bottom) in em, for [`space_lines`].
    ink: HashMap<(u32, u16), Option<(f32, f32)>>,
    /// Whether a piece of a word wider than the measure may break anywhere
    /// ([`EMERGENCY_BREAK_PENALTY`]); off while a table measures and sets its cells.
    emergency_breaks: bool,
    /// The words broken by an emergency break since the last [`Composer::take_broken_words`].
    broken: Vec<BrokenWord>,
    /// Whether the chapter being set is right to left ([`model::Chapter::direction`]): the
    /// direction of a paragraph without a strong letter.
    chapter_rtl: bool,
    /// The direction the author wrote on the block being set ([`model::Block::dir`]), which
    /// wins over the first-strong rule.
    block_dir: Option<model::Direction>,
}

impl std::fmt::Debug for Composer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Composer")
            .field("shaper", &self.shaper)
            .finish_non_exhaustive()
    }
}

impl Composer {
    /// A composer for text in `language` (BCP 47; hyphenation patterns exist for English).
    pub fn new(fonts: &FontSet, language: &str) -> Composer {
        Composer {
            shaper: Shaper::new(fonts),
            ink: HashMap::new(),
            languages: vec![LangHyphens {
                tag: Arc::from(language),
                hyphenator: Hyphenator::new(language),
                cache: HashMap::new(),
            }],
            current: 0,
            exceptions: Arc::default(),
            emergency_breaks: true,
            broken: Vec::new(),
            chapter_rtl: false,
            block_dir: None,
        }
    }

    /// The words of the model's text that lines were broken inside, at a cluster, since the
    /// last call (each once per paragraph), in the order they were set.
    pub fn take_broken_words(&mut self) -> Vec<BrokenWord> {
        std::mem::take(&mut self.broken)
    }

    /// The language of unmarked text from now on (a chapter's own `lang:`, or the book's).
    pub fn set_language(&mut self, tag: &str) {
        self.current = self.language_index(tag);
    }

    /// The direction of the chapter set from now on, and no block's direction.
    pub fn set_direction(&mut self, chapter: model::Direction) {
        self.chapter_rtl = chapter == model::Direction::Rtl;
        self.block_dir = None;
    }

    /// The direction written on the block set from now on (`None`: the chapter's, by the
    /// first-strong rule); returns the one before, to restore after the block.
    pub fn set_block_direction(
        &mut self,
        dir: Option<model::Direction>,
    ) -> Option<model::Direction> {
        std::mem::replace(&mut self.block_dir, dir)
    }

    /// The book's hyphenation exceptions (as written in `book.yaml`); a no-op when unchanged.
    pub fn set_exceptions(&mut self, written: &[String]) {
        let exceptions = hyphenate::Exceptions::new(written);
        if exceptions == *self.exceptions {
            return;
        }
        self.exceptions = Arc::new(exceptions);
        for lang in &mut self.languages {
            lang.hyphenator =
                Hyphenator::new(&lang.tag).map(|h| h.with_exceptions(Arc::clone(&self.exceptions)));
            lang.cache.clear();
        }
    }

    fn language_index(&mut self, tag: &str) -> usize {
        if let Some(i) = self.languages.iter().position(|l| &*l.tag == tag) {
            return i;
        }
        self.languages.push(LangHyphens {
            tag: Arc::from(tag),
            hyphenator: Hyphenator::new(tag)
                .map(|h| h.with_exceptions(Arc::clone(&self.exceptions))),
            cache: HashMap::new(),
        });
        self.languages.len() - 1
    }

    /// The shaper (for measuring and the fonts).
    pub fn shaper(&mut self) -> &mut Shaper {
        &mut self.shaper
    }

    /// The fonts in use.
    pub fn fonts(&self) -> &FontSet {
        self.shaper.fonts()
    }

    /// Lays out plain text (no links or notes) in `width` pt: running heads, contents entries,
    /// title pages. `\n` forces a line break.
    pub fn layout_text(
        &mut self,
        text: &str,
        style: &TextStyle,
        width: f32,
        align: Align,
    ) -> Vec<LineBox> {
        let text = text.replace('\n', &HARD_BREAK.to_string());
        let spans = [Span::plain(text, style.role)];
        self.layout(
            &spans,
            style,
            Measure {
                width,
                first_indent: 0.0,
            },
            align,
            false,
        )
    }

    /// Shapes `text` exactly as written (spaces kept as glyphs, no breaking), for code: one
    /// glyph run per face segment, x from 0, baseline y = 0. Returns the items and the width, pt.
    pub fn shape_verbatim(&mut self, text: &str, style: &TextStyle) -> (Vec<Item>, f32) {
        let face = self.face_of(style.role);
        let shaped = self.shaper.shape(text, face, style.features);
        let mut items = Vec::new();
        let mut x = 0.0;
        for segment in &shaped.segments {
            let Some(piece) = text.get(segment.text.clone()) else {
                continue;
            };
            let glyphs = Shaped::glyphs_at(&segment.glyphs, style.size, segment.text.start);
            let width: f32 = glyphs.iter().map(|g| g.x_advance).sum();
            items.push(Item::Glyphs(GlyphRun {
                font: self.shaper.fonts().font_id(segment.face),
                size: style.size,
                x,
                y: 0.0,
                glyphs: glyphs.into(),
                text: piece.to_string(),
                color: style.color,
                scale_x: 1.0,
                lang: None,
                rtl: false,
            }));
            x += width;
        }
        (items, x)
    }

    /// Shapes `text` on one line at its natural width, never broken: returns the items (x from
    /// 0, y relative to the baseline) and the width in pt.
    pub fn shape_line(&mut self, text: &str, style: &TextStyle) -> (Vec<Item>, f32) {
        self.shape_line_directed(text, style, false)
    }

    /// [`Composer::shape_line`], set right to left when `rtl` (the bidi algorithm orders it at
    /// a right-to-left paragraph level: a list's label "١." reads ".١" on the page, as a
    /// browser sets the marker of a right-to-left list).
    pub fn shape_line_directed(
        &mut self,
        text: &str,
        style: &TextStyle,
        rtl: bool,
    ) -> (Vec<Item>, f32) {
        let spans = [Span::plain(
            text.replace(['\n', HARD_BREAK], " "),
            style.role,
        )];
        let (items, content) = self.build_items(
            &spans,
            style,
            Measure {
                width: f32::MAX,
                first_indent: 0.0,
            },
            false,
            false,
        );
        let set = |width: f32, bidi: Option<bool>| {
            self.set_line(
                &items,
                &content,
                &spans,
                style,
                0..items.len(),
                LineEnd::default(),
                width,
                Align::RaggedRight,
                true,
                bidi,
            )
        };
        let mut line = set(f32::MAX, None);
        if rtl {
            // A right-to-left line starts from the right of its measure: the measure is its
            // natural width, so that it still spans 0 to its width.
            line = set(line.width, Some(true));
        }
        let width = line.width;
        (line.items, width)
    }

    /// Whether a block whose text is `text` is set right to left, by the rule a paragraph
    /// follows ([`Composer::bidi_paragraph`]): its block's `dir` where the author wrote one,
    /// else its first strong letter, else its chapter's direction. A list's labels and indent
    /// go on the side it starts from.
    pub fn block_is_rtl(&self, text: &str) -> bool {
        match self.block_dir {
            Some(model::Direction::Rtl) => true,
            Some(model::Direction::Ltr) => false,
            Some(model::Direction::Auto) | None => {
                bidi::first_strong_rtl(text).unwrap_or(self.chapter_rtl)
            }
        }
    }

    /// Turns the breaks anywhere inside a word wider than the measure on or off; returns the
    /// setting before.
    pub fn set_emergency_breaks(&mut self, on: bool) -> bool {
        std::mem::replace(&mut self.emergency_breaks, on)
    }

    /// Lays out `spans` as one paragraph into lines.
    pub fn layout(
        &mut self,
        spans: &[Span],
        style: &TextStyle,
        measure: Measure,
        align: Align,
        hyphenate: bool,
    ) -> Vec<LineBox> {
        self.layout_with_variants(spans, style, measure, align, hyphenate, false)
            .0
    }

    /// [`Composer::layout`], and with `variants`, for each line `k` that ends with a hyphen,
    /// the paragraph broken again with that hyphen forbidden, when that gives as many lines
    /// and line `k` then ends at a space: `(k, lines)`. The page breaker may use such a variant
    /// to end a page after line `k` without turning the page mid-word.
    pub fn layout_with_variants(
        &mut self,
        spans: &[Span],
        style: &TextStyle,
        measure: Measure,
        align: Align,
        hyphenate: bool,
        variants: bool,
    ) -> (Vec<LineBox>, Vec<Variant>) {
        let (mut items, content) =
            self.build_items(spans, style, measure, hyphenate, align != Align::Justify);
        if !content.iter().any(|c| matches!(c, Content::Chunk(_))) {
            return (Vec::new(), Vec::new());
        }
        let expansion = align.expansion();
        let breaks = break_items(&items, measure.width, style.size, expansion);
        self.note_broken_words(&breaks, &content, spans);
        let mut lines: Vec<LineBox> = self
            .set_lines(
                &items, &content, spans, style, measure, align, &breaks, None,
            )
            .into_iter()
            .flatten()
            .collect();
        let unspaced = lines.clone();
        self.space_lines(&mut lines, style);
        let mut others = Vec::new();
        if variants {
            let n = breaks.len();
            // A page can end only after line 1 (no orphan) and before the last two lines (no
            // widow), so only those lines need a variant.
            for (k, br) in breaks.iter().enumerate().take(n.saturating_sub(2)).skip(1) {
                if !br.flagged {
                    continue;
                }
                // Forbid the hyphen in place for one breaking, then put its cost back.
                let Some(LbItem::Penalty { cost, .. }) = items.get_mut(br.position) else {
                    continue;
                };
                let kept = std::mem::replace(cost, f32::INFINITY);
                let again = break_items(&items, measure.width, style.size, expansion);
                if let Some(LbItem::Penalty { cost, .. }) = items.get_mut(br.position) {
                    *cost = kept;
                }
                if again.len() != n || again[k].flagged {
                    continue;
                }
                // Only the lines that changed are set (and kept). A penalty's cost does not
                // enter a line's setting, so the restored items serve.
                let set = self.set_lines(
                    &items,
                    &content,
                    spans,
                    style,
                    measure,
                    align,
                    &again,
                    Some(&breaks),
                );
                // A page ending after line k must keep its note references: the same notes
                // on lines 0..=k as before, so the variant can always be swapped in.
                let mut before: Vec<usize> = lines[..=k]
                    .iter()
                    .flat_map(|l| l.notes.iter().copied())
                    .collect();
                let mut after: Vec<usize> = set[..=k]
                    .iter()
                    .zip(&lines)
                    .flat_map(|(new, old)| new.as_ref().unwrap_or(old).notes.iter().copied())
                    .collect();
                before.sort_unstable();
                after.sort_unstable();
                if before != after {
                    continue;
                }
                // The variant's lines are spaced as a whole; every line whose spacing then
                // differs from the paragraph's is part of the variant.
                let mut whole: Vec<LineBox> = set
                    .iter()
                    .zip(&unspaced)
                    .map(|(new, old)| new.clone().unwrap_or_else(|| old.clone()))
                    .collect();
                self.space_lines(&mut whole, style);
                let changed = whole
                    .into_iter()
                    .zip(set.iter().zip(&lines))
                    .enumerate()
                    .filter(|(_, (l, (new, old)))| {
                        new.is_some() || l.height != old.height || l.baseline != old.baseline
                    })
                    .map(|(i, (l, _))| (i, l))
                    .collect();
                others.push((k, changed));
            }
        }
        (lines, others)
    }

    /// Records the words of the model's text that `breaks` break at an emergency break, each
    /// once (a word may be broken across several lines).
    fn note_broken_words(
        &mut self,
        breaks: &[linebreak::Break],
        content: &[Content],
        spans: &[Span],
    ) {
        let mut seen: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        for br in breaks.iter().filter(|b| !b.flagged) {
            let Some(Content::WordBreak {
                emergency: Some((si, range)),
                ..
            }) = content.get(br.position)
            else {
                continue;
            };
            if seen.contains(&(*si, range.clone())) {
                continue;
            }
            seen.push((*si, range.clone()));
            let Some(span) = spans.get(*si) else { continue };
            let (Some(origin), Some(word)) = (span.origin, span.text.get(range.clone())) else {
                continue;
            };
            self.broken.push(BrokenWord {
                word: word.to_string(),
                origin,
                offset: range.start,
            });
        }
    }

    /// The ink of one line, pt: (above the baseline, below it), from the outlines of its glyphs.
    fn line_ink(&mut self, line: &LineBox) -> (f32, f32) {
        let (mut above, mut below) = (0.0f32, 0.0f32);
        for item in &line.items {
            let Item::Glyphs(run) = item else { continue };
            for g in &run.glyphs {
                let key = (run.font.0, g.id);
                let fonts = self.shaper.fonts();
                let bounds = *self.ink.entry(key).or_insert_with(|| {
                    let face = usize::try_from(key.0).ok().and_then(|i| fonts.faces.get(i));
                    face.and_then(|f| f.ink_bounds(key.1))
                });
                if let Some((top, bottom)) = bounds {
                    // y_offset is y down: a raised glyph has a negative offset.
                    above = above.max(top * run.size - g.y_offset);
                    below = below.max(-bottom * run.size + g.y_offset);
                }
            }
        }
        (above, below)
    }

    /// Opens the leading where the ink of two lines would come closer than
    /// [`MIN_INK_GAP_EM`] (Khmer's stacked subscripts over the next line's marks): every line
    /// after the first moves down by what the closest pair misses, so the paragraph keeps one
    /// pitch, and the paragraph grows to a whole number of leadings, so that what follows is
    /// back on the baseline grid. Only paragraphs holding text in a fallback face's script are
    /// measured: the book's own faces are set at the leading chosen for them.
    fn space_lines(&mut self, lines: &mut [LineBox], style: &TextStyle) {
        // Only text in a script of the fallback faces (Khmer, Arabic, …) is measured: the
        // book's own faces are set at a leading chosen for them.
        let fonts = self.shaper.fonts();
        let roles = [
            Role::Regular,
            Role::Italic,
            Role::Semibold,
            Role::Bold,
            Role::BoldItalic,
            Role::Mono,
        ]
        .map(|r| fonts.face(r));
        let script_face = |face: u32| {
            usize::try_from(face).is_ok_and(|face| {
                !roles.contains(&face)
                    && fonts
                        .fallbacks()
                        .iter()
                        .any(|f| f.regular == face || f.bold == Some(face))
            })
        };
        let has_script = lines.iter().flat_map(|l| &l.items).any(|i| match i {
            Item::Glyphs(run) => script_face(run.font.0),
            _ => false,
        });
        if !has_script {
            return;
        }
        let inks: Vec<(f32, f32)> = lines.iter().map(|l| self.line_ink(l)).collect();
        let gap = MIN_INK_GAP_EM * style.size;
        let n = lines.len();
        // What each line needs above its baseline (pushing it down), and the last line below.
        let mut need = vec![0.0f32; n];
        for i in 0..n {
            let prev_below = match i {
                0 => NEIGHBOUR_DESCENT_EM * style.size,
                _ => inks[i - 1].1,
            };
            let pitch = match i {
                0 => lines[0].baseline + style.leading - style.leading * BASELINE_SHARE,
                _ => lines[i - 1].height - lines[i - 1].baseline + lines[i].baseline,
            };
            need[i] = (prev_below + inks[i].0 + gap - pitch).max(0.0);
        }
        let last = &lines[n - 1];
        let after = (inks[n - 1].1 + NEIGHBOUR_ASCENT_EM * style.size + gap
            - (last.height - last.baseline + style.leading * BASELINE_SHARE))
            .max(0.0);
        // Lines after the first keep one pitch, the widest any pair needs, so the paragraph's
        // grey stays even.
        let pitch_extra = need[1..].iter().copied().fold(0.0f32, f32::max);
        let total = need[0] + pitch_extra * (n - 1) as f32 + after;
        if total <= 0.0 {
            return;
        }
        // Back to the grid: the growth rounds up to whole leadings; the rest widens the pitch
        // (or, for one line, follows it).
        let grown = (total / style.leading - 1e-3).ceil() * style.leading;
        let (pitch_extra, after) = match n {
            1 => (0.0, after + grown - total),
            _ => (pitch_extra + (grown - total) / (n - 1) as f32, after),
        };
        lines[0].height += need[0];
        lines[0].baseline += need[0];
        for line in &mut lines[1..] {
            line.height += pitch_extra;
            line.baseline += pitch_extra;
        }
        lines[n - 1].height += after;
    }

    /// Sets the lines that `breaks` choose. With `same_as`, a line with the same start and end
    /// as there is not set again (`None`).
    #[allow(clippy::too_many_arguments)]
    fn set_lines(
        &self,
        items: &[LbItem],
        content: &[Content],
        spans: &[Span],
        style: &TextStyle,
        measure: Measure,
        align: Align,
        breaks: &[linebreak::Break],
        same_as: Option<&[linebreak::Break]>,
    ) -> Vec<Option<LineBox>> {
        let mut lines = Vec::with_capacity(breaks.len());
        let mut start = 0;
        // Right-to-left text: the paragraph's direction, and whether any line needs reordering.
        let paragraph = self.bidi_paragraph(spans);
        let bidi = paragraph.is_some();
        let rtl_paragraph = paragraph.unwrap_or(false);
        for (i, br) in breaks.iter().enumerate() {
            let unchanged = same_as.is_some_and(|old| {
                let at =
                    |b: &[linebreak::Break], j: usize| b.get(j).map(|x| (x.position, x.flagged));
                at(old, i) == at(breaks, i) && (i == 0 || at(old, i - 1) == at(breaks, i - 1))
            });
            let last = i + 1 == breaks.len();
            let end = br.position.min(items.len());
            let hyphen = if br.flagged {
                match content.get(end) {
                    Some(Content::Hyphen(chunk)) => Some(chunk),
                    _ => None,
                }
            } else {
                None
            };
            let end_fix = match content.get(end) {
                Some(&Content::WordBreak { end_fix, .. }) if !br.flagged && !last => end_fix,
                _ => 0.0,
            };
            // A line ended by a forced break (hard break, paragraph end) is set at natural width.
            let forced = last
                || matches!(items.get(end), Some(LbItem::Penalty { cost, .. }) if *cost == f32::NEG_INFINITY);
            lines.push((!unchanged).then(|| {
                self.set_line(
                    items,
                    content,
                    spans,
                    style,
                    start..end,
                    LineEnd { hyphen, end_fix },
                    measure.width,
                    align,
                    forced,
                    bidi.then_some(rtl_paragraph),
                )
            }));
            // Discard glue and penalties after a break, up to the next box.
            start = end + 1;
            while start < items.len() && !matches!(items[start], LbItem::Box { .. }) {
                start += 1;
            }
        }
        lines
    }

    /// `None` for a left-to-right paragraph with no right-to-left text (no bidi reordering),
    /// else whether it is right to left: as its block's `dir` says (an author's direction wins,
    /// as in HTML), else as its first strong letter says (unicode-bidi's rule P2), else, with
    /// no strong letter at all, as its chapter goes.
    fn bidi_paragraph(&self, spans: &[Span]) -> Option<bool> {
        let has_rtl = spans.iter().any(|s| {
            bidi::has_rtl(&s.text) || s.isolates.iter().any(|i| i.dir == model::Direction::Rtl)
        });
        match self.block_dir {
            Some(model::Direction::Rtl) => return Some(true),
            Some(model::Direction::Ltr) => return has_rtl.then_some(false),
            Some(model::Direction::Auto) | None => {}
        }
        if !has_rtl && !self.chapter_rtl {
            return None;
        }
        let text: String = spans.iter().map(|s| s.text.as_str()).collect();
        let rtl = self.block_is_rtl(&text);
        (has_rtl || rtl).then_some(rtl)
    }

    /// Whether the span's text (in its own language, or the chapter's) sets its quotation
    /// marks full-width, as Chinese and Japanese do (code never does).
    fn full_width_punctuation(&self, span: &Span) -> bool {
        let tag = match (&span.lang, self.languages.get(self.current)) {
            (Some(tag), _) => tag.as_ref(),
            (None, Some(current)) => current.tag.as_ref(),
            (None, None) => return false,
        };
        span.role != Role::Mono && crate::lang::language(tag).full_width_punctuation
    }

    fn face_of(&self, role: Role) -> usize {
        self.shaper.fonts().face(role)
    }

    /// Size and rise of a span's text in `style`.
    fn span_metrics(style: &TextStyle, span: &Span) -> (f32, f32) {
        let mut size = style.size;
        if span.role == Role::Mono && style.role != Role::Mono {
            size *= INLINE_MONO_SCALE;
        }
        if span.superscript {
            (size * SUPERSCRIPT_SCALE, -style.size * SUPERSCRIPT_RISE)
        } else {
            (size, 0.0)
        }
    }

    fn build_items(
        &mut self,
        spans: &[Span],
        style: &TextStyle,
        measure: Measure,
        hyphenate: bool,
        ragged: bool,
    ) -> (Vec<LbItem>, Vec<Content>) {
        let mut items = Vec::new();
        let mut content = Vec::new();
        if measure.first_indent > 0.0 {
            items.push(LbItem::Box {
                width: measure.first_indent,
            });
            content.push(Content::Blank);
        }
        // In a paragraph with right-to-left text, the bidi levels of its text: a word of
        // neutral characters alone at a right-to-left level is shaped right to left (mirrored).
        let levels = self.bidi_paragraph(spans).map(|rtl_paragraph| {
            let texts: Vec<&str> = spans.iter().map(|s| s.text.as_str()).collect();
            let isolates: Vec<&[bidi::Isolate]> =
                spans.iter().map(|s| s.isolates.as_slice()).collect();
            bidi::ParagraphLevels::new(&texts, &isolates, rtl_paragraph)
        });
        // Tokens: (span, byte range) for words, or separators.
        enum Token {
            Word {
                span: usize,
                start: usize,
                end: usize,
            },
            Space {
                span: usize,
            },
            NoBreakSpace {
                span: usize,
            },
            Break,
        }
        let mut tokens = Vec::new();
        for (si, span) in spans.iter().enumerate() {
            let mut word_start: Option<usize> = None;
            for (i, c) in span.text.char_indices() {
                let sep = match c {
                    HARD_BREAK => Some(Token::Break),
                    // A narrow no-break space (French « texte », "oui !") stays inside its word
                    // and is set as the face's own glyph: it never stretches and never breaks.
                    '\u{202F}' => None,
                    '\u{A0}' => Some(Token::NoBreakSpace { span: si }),
                    c if c.is_whitespace() => Some(Token::Space { span: si }),
                    _ => None,
                };
                if let Some(sep) = sep {
                    if let Some(s) = word_start.take() {
                        tokens.push(Token::Word {
                            span: si,
                            start: s,
                            end: i,
                        });
                    }
                    tokens.push(sep);
                } else if word_start.is_none() {
                    word_start = Some(i);
                }
            }
            if let Some(s) = word_start {
                tokens.push(Token::Word {
                    span: si,
                    start: s,
                    end: span.text.len(),
                });
            }
        }
        // The last word of the paragraph is never hyphenated.
        let last_separator = tokens
            .iter()
            .rposition(|t| !matches!(t, Token::Word { .. }))
            .map_or(0, |i| i + 1);

        let mut pending_space: Option<(usize, bool)> = None;
        let mut has_text = false;
        for (ti, token) in tokens.iter().enumerate() {
            match *token {
                Token::Space { span } => {
                    if pending_space.is_none() {
                        pending_space = Some((span, false));
                    }
                }
                Token::NoBreakSpace { span } => pending_space = Some((span, true)),
                Token::Break => {
                    pending_space = None;
                    if !has_text {
                        continue;
                    }
                    items.push(LbItem::Glue {
                        width: 0.0,
                        stretch: linebreak::INFINITE_STRETCH,
                        shrink: 0.0,
                    });
                    content.push(Content::Other);
                    items.push(LbItem::Penalty {
                        width: 0.0,
                        cost: f32::NEG_INFINITY,
                        flagged: false,
                    });
                    content.push(Content::Other);
                }
                Token::Word {
                    span: si,
                    start,
                    end,
                } => {
                    let span = &spans[si];
                    if let Some((space_span, no_break)) = pending_space.take() {
                        if has_text {
                            if no_break {
                                forbid_break(&mut items, &mut content);
                            }
                            let glue = self.space_glue(style, &spans[space_span]);
                            if ragged && !no_break {
                                let LbItem::Glue { width, .. } = glue else {
                                    continue;
                                };
                                let stretch = RAGGED_STRETCH_EM * style.size;
                                for (k, item) in linebreak::ragged_space(width, stretch)
                                    .into_iter()
                                    .enumerate()
                                {
                                    items.push(item);
                                    content.push(if k == 2 {
                                        Content::Space
                                    } else {
                                        Content::Other
                                    });
                                }
                            } else {
                                items.push(glue);
                                content.push(Content::Space);
                            }
                        }
                    }
                    let may_hyphenate = hyphenate && ti < last_separator;
                    has_text = true;
                    let rtl_neutrals = levels
                        .as_ref()
                        .is_some_and(|l| l.neutral_right_to_left(si, start..end));
                    // A line may end after the word (at the space after it, or where the
                    // paragraph or the line is broken anyway).
                    let open_end = matches!(
                        tokens.get(ti + 1),
                        None | Some(Token::Space { .. } | Token::Break)
                    );
                    self.push_word(
                        &mut items,
                        &mut content,
                        style,
                        span,
                        start..end,
                        WordPlace {
                            span: si,
                            hyphenate: may_hyphenate,
                            room: measure.width,
                            rtl_neutrals,
                            open_end,
                        },
                    );
                }
            }
        }
        // A hard break at the very end would leave an empty line.
        while matches!(items.last(), Some(LbItem::Glue { .. }))
            || matches!(items.last(), Some(LbItem::Penalty { cost, .. }) if *cost == f32::NEG_INFINITY)
        {
            items.pop();
            content.pop();
        }
        linebreak::finish_paragraph(&mut items);
        content.resize(items.len(), Content::Other);
        (items, content)
    }

    fn space_glue(&mut self, style: &TextStyle, span: &Span) -> LbItem {
        let (size, _) = Self::span_metrics(style, span);
        let face = self.face_of(span.role);
        let width = self.shaper.space_width(face) * size;
        LbItem::Glue {
            width,
            stretch: width * SPACE_STRETCH,
            shrink: width * SPACE_SHRINK,
        }
    }

    /// Break points inside `word`: (byte offset, flagged, cost).
    fn break_points(
        &mut self,
        word: &str,
        rule: BreakRule,
        lang: Option<&str>,
        hyphenate: bool,
    ) -> Vec<(usize, bool, f32)> {
        let mut points: Vec<(usize, bool, f32)> = Vec::new();
        // A bare address in running text breaks like a link's.
        let rule = if rule == BreakRule::Words && (word.contains("://") || word.starts_with("www."))
        {
            BreakRule::Url
        } else {
            rule
        };
        match rule {
            BreakRule::Url => {
                points.extend(
                    hyphenate::url_break_points(word)
                        .into_iter()
                        .map(|p| (p, false, URL_BREAK_PENALTY)),
                );
            }
            BreakRule::Words => {
                let hard = hyphenate::hard_break_points(word);
                // A break after a hard hyphen or dash is flagged (the line ends with a hyphen)
                // but adds no width: the dash is already in the box.
                points.extend(
                    hard.iter()
                        .map(|&p| (p, true, linebreak::EX_HYPHEN_PENALTY)),
                );
                if hyphenate {
                    // `points` gives nothing for a word holding a hard hyphen.
                    let found = self.hyphen_points(word, lang);
                    points.extend(found.iter().map(|&p| (p, true, linebreak::HYPHEN_PENALTY)));
                    // Korean: between two syllables, unflagged (no hyphen is added). Hangul is
                    // never ASCII, so an English word is not scanned for it.
                    if !word.is_ascii() {
                        points.extend(
                            segment::syllable_break_points(word)
                                .into_iter()
                                .map(|p| (p, false, SYLLABLE_BREAK_PENALTY)),
                        );
                    }
                }
            }
        }
        points.sort_by_key(|p| p.0);
        points.dedup_by_key(|p| p.0);
        points
    }

    /// Hyphenation points of `word` (byte offsets) in language `lang` (the current one when
    /// `None`), cached per language and word.
    fn hyphen_points(&mut self, word: &str, lang: Option<&str>) -> Arc<[usize]> {
        let index = match lang {
            Some(tag) => self.language_index(tag),
            None => self.current,
        };
        let entry = &mut self.languages[index];
        let Some(hyphenator) = &entry.hyphenator else {
            return Arc::from([]);
        };
        if let Some(hit) = entry.cache.get(word) {
            return Arc::clone(hit);
        }
        let points: Arc<[usize]> = hyphenator.points(word).into();
        entry.cache.insert(word.into(), Arc::clone(&points));
        points
    }

    fn push_word(
        &mut self,
        items: &mut Vec<LbItem>,
        content: &mut Vec<Content>,
        style: &TextStyle,
        span: &Span,
        word_range: std::ops::Range<usize>,
        place: WordPlace,
    ) {
        let WordPlace {
            span: si,
            hyphenate,
            room,
            rtl_neutrals,
            open_end,
        } = place;
        let word_at = word_range.start;
        let word = &span.text[word_range];
        let (size, rise) = Self::span_metrics(style, span);
        let face = self.face_of(span.role);
        let features = Features {
            full_width_punctuation: self.full_width_punctuation(span),
            ..style.features
        };
        let shaped = self
            .shaper
            .shape_directed(word, face, features, rtl_neutrals);
        // Chinese and Japanese: the blanks of full-width punctuation become glue of their own
        // (`cjk.rs`), squeezed where two marks meet.
        let spaced = if features.full_width_punctuation && segment::needs_segmenter(word) {
            cjk::space_marks(&shaped, word, self.shaper.fonts())
        } else {
            None
        };
        let (shaped, blanks) = match spaced {
            Some(s) => (Arc::new(s.shaped), s.blanks),
            None => (shaped, Vec::new()),
        };
        let blank_at = |at: usize| -> f32 {
            blanks
                .binary_search_by_key(&at, |b| b.0)
                .map_or(0.0, |i| blanks[i].1 * size)
        };
        // (offset, Some((flagged, cost))) for a penalty, (offset, None) for a break between
        // the words of an unspaced script.
        let mut points: Vec<(usize, Option<(bool, f32)>)> = self
            .break_points(word, span.breaks, span.lang.as_deref(), hyphenate)
            .into_iter()
            .map(|(p, flagged, cost)| (p, Some((flagged, cost))))
            .collect();
        if span.breaks == BreakRule::Words && segment::needs_segmenter(word) {
            for p in segment::break_points(word) {
                if !points.iter().any(|q| q.0 == p) {
                    points.push((p, None));
                }
            }
            points.sort_by_key(|p| p.0);
        }
        // A blank inside the word where no line may end: its own glue, after a penalty that
        // forbids a break there.
        let mut blank_only: HashSet<usize> = HashSet::new();
        for &(at, _) in &blanks {
            if at > 0 && at < word.len() && !points.iter().any(|q| q.0 == at) {
                points.push((at, Some((false, f32::INFINITY))));
                blank_only.insert(at);
            }
        }
        if !blank_only.is_empty() {
            points.sort_by_key(|p| p.0);
        }
        // Only points on a cluster boundary of the shaped word can split it.
        let starts: HashSet<usize> = shaped
            .segments
            .iter()
            .flat_map(|s| s.glyphs.iter().map(|g| g.cluster.start))
            .collect();
        points.retain(|p| p.0 > 0 && p.0 < word.len() && starts.contains(&p.0));
        // A piece wider than the measure (a 300-letter word, a long address or code) may also
        // break at any cluster, as a last resort: a line that overflows the page is worse.
        let width_of = |range: std::ops::Range<usize>| -> f32 {
            shaped
                .segments
                .iter()
                .flat_map(|s| &s.glyphs)
                .filter(|g| range.contains(&g.cluster.start))
                .map(|g| g.x_advance)
                .sum::<f32>()
                * size
        };
        let mut bounds: Vec<usize> = points.iter().map(|p| p.0).collect();
        bounds.insert(0, 0);
        bounds.push(word.len());
        let mut emergency = Vec::new();
        for pair in bounds.windows(2).filter(|_| self.emergency_breaks) {
            if width_of(pair[0]..pair[1]) > room * EMERGENCY_PIECE_SHARE {
                emergency.extend(
                    starts
                        .iter()
                        .copied()
                        .filter(|&c| c > pair[0] && c < pair[1])
                        .map(|c| (c, Some((false, EMERGENCY_BREAK_PENALTY)))),
                );
            }
        }
        if !emergency.is_empty() {
            points.extend(emergency);
            // Stable: a word's own break point stays ahead of an emergency one at its offset.
            points.sort_by_key(|p| p.0);
            points.dedup_by_key(|p| p.0);
        }
        // A blank before the word's first mark: it may go at a line's start (the break before
        // it is the space's or the previous word's), never as a break of its own.
        let lead = blank_at(0);
        if lead > 0.0 {
            forbid_break(items, content);
            push_punct_blank(items, content, lead, 0.0);
        }
        let mut from = 0;
        for k in 0..=points.len() {
            let to = points.get(k).map_or(word.len(), |p| p.0);
            let mut last_face = face;
            for chunk in fragment_chunks(&shaped, word, word_at, from..to, si, size, rise) {
                last_face = chunk.face;
                items.push(LbItem::Box { width: chunk.width });
                content.push(Content::Chunk(chunk));
            }
            let blank = if k < points.len() { blank_at(to) } else { 0.0 };
            if blank_only.contains(&to) && k < points.len() {
                // A blank where no line may end (between two marks kinsoku keeps together).
                forbid_break(items, content);
                push_punct_blank(items, content, blank, 0.0);
            } else if let Some(&(_, None)) = points.get(k) {
                // A break between two words of Khmer, Thai, Chinese…: no hyphen, no width, a
                // little stretch so that the line can be justified without spaces. With a
                // mark's blank, the blank is its width: a line ending here drops it.
                let stretch = UNSPACED_BREAK_STRETCH_EM * size;
                if blank > 0.0 {
                    push_punct_blank(items, content, blank, stretch);
                } else {
                    items.push(LbItem::Glue {
                        width: 0.0,
                        stretch,
                        shrink: 0.0,
                    });
                    content.push(Content::Other);
                }
            } else if let Some(&(_, Some((flagged, cost)))) = points.get(k) {
                let adds_hyphen = flagged && !word[..to].ends_with(HARD_HYPHENS);
                if adds_hyphen {
                    let hyphen = self.hyphen_chunk(last_face, si, size, rise, style.features);
                    items.push(LbItem::Penalty {
                        width: hyphen.width,
                        cost,
                        flagged: true,
                    });
                    content.push(Content::Hyphen(hyphen));
                } else if flagged {
                    items.push(LbItem::Penalty {
                        width: 0.0,
                        cost,
                        flagged,
                    });
                    content.push(Content::Other);
                } else {
                    let end_fix = self.unkerned_end(content.last());
                    items.push(LbItem::Penalty {
                        width: end_fix,
                        cost,
                        flagged,
                    });
                    let emergency = (cost == EMERGENCY_BREAK_PENALTY)
                        .then(|| (si, word_at..word_at + word.len()));
                    content.push(Content::WordBreak { end_fix, emergency });
                }
                if blank > 0.0 {
                    // After the penalty, so no break of its own; dropped when the line ends
                    // at the penalty (glue after a break is discarded).
                    push_punct_blank(items, content, blank, 0.0);
                }
            }
            from = to;
        }
        // A blank after the word's last mark: where a line may end after the word, the blank
        // is the break (a line ending there drops it), else it follows a penalty that forbids
        // one (a no-break space, a word of the next span).
        let trail = blank_at(word.len());
        if trail > 0.0 {
            if !open_end {
                forbid_break(items, content);
            }
            push_punct_blank(items, content, trail, 0.0);
        }
    }

    /// How much wider the last glyph of `before` (the chunk before a break inside a word) is
    /// without the kerning the shaper gave it against the next glyph, pt (0 when it is not a
    /// chunk or has no such kerning).
    fn unkerned_end(&self, before: Option<&Content>) -> f32 {
        let Some(Content::Chunk(chunk)) = before else {
            return 0.0;
        };
        let Some(last) = chunk.glyphs.last() else {
            return 0.0;
        };
        self.shaper
            .fonts()
            .faces
            .get(chunk.face)
            .and_then(|f| f.advance(last.id))
            .map_or(0.0, |em| em * chunk.size - last.x_advance)
    }

    fn hyphen_chunk(
        &mut self,
        face: usize,
        span: usize,
        size: f32,
        rise: f32,
        features: Features,
    ) -> Chunk {
        let shaped = self.shaper.shape("-", face, features);
        let glyphs: Vec<Glyph> = shaped
            .segments
            .iter()
            .flat_map(|s| Shaped::glyphs_at(&s.glyphs, size, 0))
            .collect();
        let face = shaped.segments.first().map_or(face, |s| s.face);
        let width = glyphs.iter().map(|g| g.x_advance).sum();
        Chunk {
            span,
            at: 0,
            face,
            size,
            rise,
            text: "-".to_string(),
            glyphs,
            width,
            rtl: false,
        }
    }

    /// Sets the items `range` as one line. With `bidi` (whether the paragraph is right to
    /// left), its glyph runs are then put in visual order ([`bidi::reorder_line`]).
    #[allow(clippy::too_many_arguments)]
    fn set_line(
        &self,
        items: &[LbItem],
        content: &[Content],
        spans: &[Span],
        style: &TextStyle,
        range: std::ops::Range<usize>,
        end: LineEnd<'_>,
        width: f32,
        align: Align,
        forced: bool,
        bidi: Option<bool>,
    ) -> LineBox {
        let LineEnd { hyphen, end_fix } = end;
        // Natural width, stretch and shrink of the line, and the width of its boxes (which
        // font expansion scales).
        let (mut natural, mut stretch, mut shrink) = (0.0f32, 0.0f32, 0.0f32);
        // The shrink of punctuation blanks (CJK), taken before any other.
        let mut punct_shrink = 0.0f32;
        let mut boxes = 0.0f32;
        for (c, item) in content[range.clone()].iter().zip(&items[range.clone()]) {
            match *item {
                LbItem::Box { width } => {
                    natural += width;
                    // Glyphs are expanded; an indent or other blank box keeps its width.
                    if matches!(c, Content::Chunk(_)) {
                        boxes += width;
                    }
                }
                LbItem::Glue {
                    width,
                    stretch: y,
                    shrink: z,
                } => {
                    natural += width;
                    if y < linebreak::INFINITE_STRETCH {
                        stretch += y;
                    }
                    if matches!(c, Content::PunctBlank) {
                        punct_shrink += z;
                    } else {
                        shrink += z;
                    }
                }
                LbItem::Penalty { .. } => {}
            }
        }
        if let Some(h) = hyphen {
            natural += h.width;
            boxes += h.width;
        }
        // The last chunk, when the line ends inside a word, with its last glyph unkerned.
        let last_chunk = content[range.clone()]
            .iter()
            .rposition(|c| matches!(c, Content::Chunk(_)))
            .map(|i| i + range.start);
        let unkerned: Option<Chunk> = match last_chunk.map(|i| &content[i]) {
            Some(Content::Chunk(chunk)) if end_fix != 0.0 => {
                let mut chunk = chunk.clone();
                if let Some(g) = chunk.glyphs.last_mut() {
                    g.x_advance += end_fix;
                }
                chunk.width += end_fix;
                natural += end_fix;
                boxes += end_fix;
                Some(chunk)
            }
            _ => None,
        };
        let expansion = align.expansion();
        // A line that must shrink takes it from the punctuation blanks first (their ratio
        // `punct_ratio`), then from the spaces and the glyphs' expansion as any line does.
        let slack = width - natural;
        let taken = if slack < 0.0 {
            (-slack).min(punct_shrink)
        } else {
            0.0
        };
        let punct_ratio = if taken > 0.0 {
            -taken / punct_shrink
        } else {
            0.0
        };
        let (ratio, scale) = adjust(
            slack + taken,
            stretch,
            shrink,
            boxes,
            expansion,
            align == Align::Justify && !forced,
        );

        let mut line = LineBox {
            height: style.leading,
            baseline: style.leading * BASELINE_SHARE,
            source: line_source(&content[range.clone()], spans),
            ..LineBox::default()
        };
        let mut x = 0.0f32;
        let mut run: Option<GlyphRun> = None;
        let mut run_end = 0.0f32;
        let mut run_span: Option<usize> = None;
        // The span of each glyph run pushed, in order.
        let mut run_spans: Vec<Option<usize>> = Vec::new();
        // The link being drawn: (target, x start, x end, size).
        let mut link: Option<(LinkTarget, f32, f32, f32)> = None;
        let mut seen_spans: HashSet<usize> = HashSet::new();
        let mut out: Vec<Item> = Vec::new();
        let mut links: Vec<Item> = Vec::new();
        let fonts = self.shaper.fonts();

        let flush_link = |link: &mut Option<(LinkTarget, f32, f32, f32)>, links: &mut Vec<Item>| {
            if let Some((target, x0, x1, size)) = link.take() {
                links.push(Item::Link {
                    rect: Rect {
                        x: x0,
                        y: -size * 0.85,
                        width: x1 - x0,
                        height: size * 1.1,
                    },
                    target,
                });
            }
        };

        // Whether the last chunk placed was right to left.
        let mut last_rtl = false;
        let mut place_chunk = |chunk: &Chunk,
                               x: f32,
                               out: &mut Vec<Item>,
                               run: &mut Option<GlyphRun>,
                               run_end: &mut f32,
                               run_span: &mut Option<usize>,
                               run_spans: &mut Vec<Option<usize>>| {
            let span = spans.get(chunk.span);
            // A named destination where the span first appears.
            if seen_spans.insert(chunk.span) {
                if let Some(name) = span.and_then(|s| s.anchor.clone()) {
                    out.push(Item::Anchor {
                        name,
                        x,
                        y: -style.size,
                    });
                }
                if let Some(note) = span.and_then(|s| s.note) {
                    if !line.notes.contains(&note) {
                        line.notes.push(note);
                    }
                }
            }
            let font = fonts.font_id(chunk.face);
            let rtl = chunk.rtl;
            let prev_rtl = &mut last_rtl;
            // A run never straddles a link's edge, so that a link's text can be tagged as the
            // link's content (see `frame::StructRole::Link`).
            let link_of = |index: Option<usize>| {
                index
                    .and_then(|i| spans.get(i))
                    .and_then(|s| s.link.as_ref())
            };
            let same_link = link_of(*run_span) == link_of(Some(chunk.span));
            // Nor a language's: text in another language is tagged with its own `Lang`.
            let lang_of = |index: Option<usize>| {
                index
                    .and_then(|i| spans.get(i))
                    .and_then(|s| s.lang.clone())
            };
            let same_lang = lang_of(*run_span) == lang_of(Some(chunk.span));
            // Nor an isolate's, which the bidi algorithm orders as a whole.
            let isolates_of =
                |index: Option<usize>| index.and_then(|i| spans.get(i)).map(|s| &s.isolates);
            let same_isolates = isolates_of(*run_span) == isolates_of(Some(chunk.span));
            let same = same_link
                && same_lang
                && same_isolates
                && run.as_ref().is_some_and(|r| {
                    r.font == font
                        && r.size == chunk.size
                        && r.y == chunk.rise
                        && x >= *run_end - 0.001
                        // Right-to-left words stay runs of their own, to be put in visual order.
                        && !rtl
                        && !*prev_rtl
                });
            if same {
                if let Some(r) = run.as_mut() {
                    // The gap (a space) becomes extra advance of the run's last glyph (in the
                    // run's unscaled units).
                    if let Some(g) = r.glyphs.to_mut().last_mut() {
                        g.x_advance += (x - *run_end) / scale;
                    }
                    let shift = u32::try_from(r.text.len()).unwrap_or(u32::MAX);
                    r.text.push_str(&chunk.text);
                    r.glyphs.to_mut().extend(chunk.glyphs.iter().map(|g| Glyph {
                        text: g.text.start + shift..g.text.end + shift,
                        ..g.clone()
                    }));
                }
            } else {
                if let Some(r) = run.take() {
                    out.push(Item::Glyphs(finished_run(r)));
                    run_spans.push(*run_span);
                }
                *run = Some(GlyphRun {
                    font,
                    size: chunk.size,
                    x,
                    y: chunk.rise,
                    glyphs: chunk.glyphs.clone().into(),
                    text: chunk.text.clone(),
                    color: style.color,
                    scale_x: scale,
                    lang: span.and_then(|s| s.lang.clone()),
                    rtl: chunk.rtl,
                });
            }
            *run_end = x + chunk.width * scale;
            *run_span = Some(chunk.span);
            *prev_rtl = rtl;
        };

        // The break hyphen is set like any glyphs; hyphens of breaks not taken are skipped.
        let hyphen_item =
            hyphen.map(|h| (Content::Chunk(h.clone()), LbItem::Box { width: h.width }));
        let unkerned_item = unkerned.map(Content::Chunk);
        let sequence = content[range.clone()]
            .iter()
            .zip(&items[range.clone()])
            .enumerate()
            .map(|(i, (c, item))| match &unkerned_item {
                Some(fixed) if Some(i + range.start) == last_chunk => (fixed, item),
                _ => (c, item),
            })
            .chain(hyphen_item.as_ref().map(|(c, i)| (c, i)));
        let sequence: Vec<(&Content, &LbItem)> = sequence.collect();
        // A line whose spaces would open wider than a loose line's is letterspaced a little
        // (see [`letter_gaps`]); its spaces take the rest.
        let (ratio, tracking) = if align == Align::Justify && !forced && stretch > 0.0 {
            let gaps = letter_gaps(&sequence);
            let limit = (LOOSE_SPACE - 1.0) / SPACE_STRETCH;
            let excess = (ratio - limit) * stretch;
            if excess > 0.0 && gaps > 0 {
                let per_gap = (excess / gaps as f32).min(MAX_TRACKING_EM * style.size);
                (ratio - per_gap * gaps as f32 / stretch, per_gap)
            } else {
                (ratio, 0.0)
            }
        } else {
            (ratio, 0.0)
        };
        let tracked: Vec<Option<Chunk>> = if tracking > 0.0 {
            (0..sequence.len())
                .map(|k| match sequence[k].0 {
                    Content::Chunk(chunk) if trackable(chunk) => {
                        Some(track(chunk, tracking / scale, joins_next(&sequence, k)))
                    }
                    _ => None,
                })
                .collect()
        } else {
            Vec::new()
        };
        for (k, &(c, item)) in sequence.iter().enumerate() {
            let c = match tracked.get(k) {
                Some(Some(chunk)) => &Content::Chunk(chunk.clone()),
                _ => c,
            };
            match (c, *item) {
                (Content::Chunk(chunk), _) => {
                    let target = spans.get(chunk.span).and_then(|s| s.link.clone());
                    let chunk_width = chunk.width * scale;
                    match (&mut link, target) {
                        (Some((t, _, x1, _)), Some(target)) if *t == target => {
                            *x1 = x + chunk_width
                        }
                        (current, target) => {
                            flush_link(current, &mut links);
                            *current = target.map(|t| (t, x, x + chunk_width, style.size));
                        }
                    }
                    place_chunk(
                        chunk,
                        x,
                        &mut out,
                        &mut run,
                        &mut run_end,
                        &mut run_span,
                        &mut run_spans,
                    );
                    x += chunk_width;
                }
                (Content::Hyphen(_), _) => {}
                (_, LbItem::Box { width }) => x += width,
                (
                    c,
                    LbItem::Glue {
                        width,
                        stretch: y,
                        shrink: z,
                    },
                ) => {
                    let y = if y >= linebreak::INFINITE_STRETCH {
                        0.0
                    } else {
                        y
                    };
                    x += width
                        + if slack < 0.0 && matches!(c, Content::PunctBlank) {
                            punct_ratio * z
                        } else if ratio >= 0.0 {
                            ratio * y
                        } else {
                            ratio * z
                        };
                }
                (_, LbItem::Penalty { .. }) => {}
            }
        }
        flush_link(&mut link, &mut links);
        if let Some(r) = run.take() {
            out.push(Item::Glyphs(finished_run(r)));
            run_spans.push(run_span);
        }
        line.width = x;
        let shift = match align {
            Align::Centre => ((width - x) / 2.0).max(0.0),
            _ => 0.0,
        };
        if shift > 0.0 {
            translate(&mut out, shift, 0.0);
            translate(&mut links, shift, 0.0);
        }
        out.extend(links);
        line.items = out;
        if let Some(rtl_paragraph) = bidi {
            let isolates: Vec<&[bidi::Isolate]> = run_spans
                .iter()
                .map(|s| {
                    s.and_then(|i| spans.get(i))
                        .map_or(&[][..], |s| s.isolates.as_slice())
                })
                .collect();
            bidi::reorder_line(&mut line.items, width, rtl_paragraph, &isolates);
        }
        line
    }
}

/// A word space wider than this many times its natural width makes a line loose (the
/// print gate's threshold, `scripts/pdfmeter-gate.py` and `tests/gate.rs`).
const LOOSE_SPACE: f32 = 1.5;

/// The most a letterspaced line opens each gap between letters, em: a fiftieth of an em,
/// 0.22 pt at 11 pt, far below what reads as spaced-out text.
const MAX_TRACKING_EM: f32 = 0.02;

/// Whether a chunk may be letterspaced: its text is in a script whose letters stand apart
/// (Latin, Greek, Cyrillic and their punctuation); joined scripts (Arabic) and those with
/// stacked clusters (Khmer) are never spaced out.
fn trackable(chunk: &Chunk) -> bool {
    !chunk.rtl
        && chunk
            .text
            .chars()
            .all(|c| (c as u32) < 0x0530 || is_punctuation(c))
}

fn is_punctuation(c: char) -> bool {
    ('\u{2000}'..='\u{206F}').contains(&c)
}

/// Whether the chunk at `k` is followed by another piece of the same word (a fragment after
/// a hyphenation point, the break hyphen, a note mark set close), with no space between.
fn joins_next(sequence: &[(&Content, &LbItem)], k: usize) -> bool {
    for &(c, item) in &sequence[k + 1..] {
        match (c, item) {
            (Content::Chunk(_), _) => return true,
            (_, LbItem::Glue { .. } | LbItem::Box { .. }) => return false,
            _ => {}
        }
    }
    false
}

/// The gaps between letters of a line that letterspacing opens: between the character
/// clusters of each trackable chunk, and after its last one where the word goes on.
fn letter_gaps(sequence: &[(&Content, &LbItem)]) -> usize {
    (0..sequence.len())
        .map(|k| match sequence[k].0 {
            Content::Chunk(chunk) if trackable(chunk) => cluster_ends(chunk)
                .len()
                .saturating_sub(usize::from(!joins_next(sequence, k))),
            _ => 0,
        })
        .sum()
}

/// The index of each cluster's last glyph in `chunk.glyphs`.
fn cluster_ends(chunk: &Chunk) -> Vec<usize> {
    let g = &chunk.glyphs;
    (0..g.len())
        .filter(|&i| i + 1 == g.len() || g[i + 1].text.start != g[i].text.start)
        .collect()
}

/// `chunk` with `gap` (in its glyphs' unscaled units) after each cluster but the last, and
/// after the last too when `join` (the word goes on in the next chunk).
fn track(chunk: &Chunk, gap: f32, join: bool) -> Chunk {
    let mut out = chunk.clone();
    let ends = cluster_ends(chunk);
    let last = ends.last().copied();
    for i in ends {
        if Some(i) != last || join {
            out.glyphs[i].x_advance += gap;
            out.width += gap;
        }
    }
    out
}

/// Where a word stands, for [`Composer::push_word`].
#[derive(Debug, Clone, Copy)]
struct WordPlace {
    /// The index of its span.
    span: usize,
    /// Whether it may be hyphenated.
    hyphenate: bool,
    /// The measure, pt.
    room: f32,
    /// Whether its neutral characters are set right to left.
    rtl_neutrals: bool,
    /// Whether a line may end right after it (a space or the paragraph's end follows).
    open_end: bool,
}

/// A penalty no line may break at, with the content that stands for it.
fn forbid_break(items: &mut Vec<LbItem>, content: &mut Vec<Content>) {
    items.push(LbItem::Penalty {
        width: 0.0,
        cost: f32::INFINITY,
        flagged: false,
    });
    content.push(Content::Other);
}

/// A punctuation mark's blank ([`punct_blank`]), with the content that stands for it.
fn push_punct_blank(items: &mut Vec<LbItem>, content: &mut Vec<Content>, width: f32, stretch: f32) {
    items.push(punct_blank(width, stretch));
    content.push(Content::PunctBlank);
}

/// The glue of a punctuation mark's blank of `width` pt (`cjk.rs`): it shrinks by half its
/// width (JLREQ's compression of punctuation, which keeps at least half of each blank), and
/// stretches by `stretch` where it is also a break between characters.
fn punct_blank(width: f32, stretch: f32) -> LbItem {
    LbItem::Glue {
        width,
        stretch,
        shrink: width * PUNCT_BLANK_SHRINK,
    }
}

/// A run grown glyph by glyph, packed (`frame::Glyphs::pack`): a book's lines hold millions of
/// glyphs until their pages are written, and packed they take about five bytes each instead
/// of a `Glyph`'s 24 (and no growth slack).
fn finished_run(mut run: GlyphRun) -> GlyphRun {
    run.glyphs.pack();
    run.text.shrink_to_fit();
    run
}

/// A paragraph variant from [`Composer::layout_with_variants`]: the line `k` that no longer
/// ends with a hyphen, and the lines that changed, by their index in the paragraph.
pub type Variant = (usize, Vec<(usize, LineBox)>);

/// Moves items by (dx, dy) pt.
pub fn translate(items: &mut [Item], dx: f32, dy: f32) {
    for item in items {
        match item {
            Item::Glyphs(run) | Item::Turned(run) => {
                run.x += dx;
                run.y += dy;
            }
            Item::Rule { x, y, .. } | Item::Anchor { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            Item::Image { rect, .. } | Item::TurnedImage { rect, .. } | Item::Link { rect, .. } => {
                rect.x += dx;
                rect.y += dy;
            }
            Item::Mark(_) => {}
        }
    }
}

/// Where in the model the first glyphs of a line (its `content`) come from: the first chunk
/// of model text, its span's position plus the characters before the chunk in the span.
fn line_source(content: &[Content], spans: &[Span]) -> Option<TextAt> {
    content.iter().find_map(|c| {
        let Content::Chunk(chunk) = c else {
            return None;
        };
        let span = spans.get(chunk.span)?;
        let at = span.source?;
        let before = span.text.get(..chunk.at).map_or(0, |t| t.chars().count());
        Some(TextAt {
            offset: at.offset + before,
            ..at
        })
    })
}

/// The chunks (one per face segment) of the part `part` of a shaped word that starts at byte
/// `word_at` of its span's text.
fn fragment_chunks(
    shaped: &Shaped,
    word: &str,
    word_at: usize,
    part: std::ops::Range<usize>,
    span: usize,
    size: f32,
    rise: f32,
) -> Vec<Chunk> {
    let mut out = Vec::new();
    for segment in &shaped.segments {
        let glyphs: Vec<_> = segment
            .glyphs
            .iter()
            .filter(|g| part.contains(&g.cluster.start))
            .cloned()
            .collect();
        if glyphs.is_empty() {
            continue;
        }
        let start = glyphs
            .iter()
            .map(|g| g.cluster.start)
            .min()
            .unwrap_or(part.start);
        let end = glyphs
            .iter()
            .map(|g| g.cluster.end)
            .max()
            .unwrap_or(part.end)
            .min(word.len());
        let Some(text) = word.get(start..end) else {
            continue;
        };
        let glyphs = Shaped::glyphs_at(&glyphs, size, start);
        let width = glyphs.iter().map(|g| g.x_advance).sum();
        out.push(Chunk {
            span,
            at: word_at + start,
            face: segment.face,
            size,
            rise,
            text: text.to_string(),
            glyphs,
            width,
            rtl: segment.rtl,
        });
    }
    out
}

impl Align {
    /// The font expansion the breaker and the line setter allow: [`FONT_EXPANSION`] for
    /// justified text, none when lines keep their natural width.
    fn expansion(self) -> f32 {
        if self == Align::Justify {
            FONT_EXPANSION
        } else {
            0.0
        }
    }
}

/// How a line of `slack` pt (measure − natural width; < 0 when it must shrink) is set:
/// returns the glue's adjustment ratio and the horizontal scale of its glyphs. The slack is
/// shared between glue and font expansion in proportion to their stretch (or shrink), as the
/// breaker counted it, up to the expansion's limit `expansion` × `boxes`; glue takes the rest.
/// `justify` false sets a short line at its natural width. Shrinking never goes beyond the
/// glue's shrink and the expansion limit.
fn adjust(
    slack: f32,
    stretch: f32,
    shrink: f32,
    boxes: f32,
    expansion: f32,
    justify: bool,
) -> (f32, f32) {
    let flex = expansion * boxes;
    if slack < 0.0 {
        let total = shrink + flex;
        if total <= 0.0 {
            return (0.0, 1.0);
        }
        let r = (slack / total).max(-1.0);
        (r, 1.0 + r * expansion)
    } else if justify && stretch + flex > 0.0 {
        let r = slack / (stretch + flex);
        if r <= 1.0 || stretch <= 0.0 {
            (r, 1.0 + r.min(1.0) * expansion)
        } else {
            // Beyond ratio 1 (the emergency pass): glyphs stay at their limit, glue stretches.
            ((slack - flex) / stretch, 1.0 + expansion)
        }
    } else {
        (0.0, 1.0)
    }
}

/// Chooses line breaks with the Knuth–Plass breaker (passes, emergency stretch).
fn break_items(items: &[LbItem], width: f32, size: f32, expansion: f32) -> Vec<linebreak::Break> {
    let params = linebreak::Params {
        emergency_stretch: EMERGENCY_STRETCH_EM * size,
        expansion,
        // Always the pass with hyphenation (TeX's `\pretolerance=-1`): the first pass would
        // keep lines at badness 100 (spaces 1.33×) that hyphenation can set better.
        pretolerance: -1.0,
        max_hyphen_ladder: MAX_HYPHEN_LADDER,
        ..linebreak::Params::default()
    };
    linebreak::break_lines(items, &|_| width, &params).breaks
}

/// The prefix of the named destination that marks where a cross-reference landed (for page
/// references, `pagerefs.rs`): never a heading id (those are slugs or `{#…}` ids, which cannot
/// hold `@`), removed before the PDF is written.
pub const REFERENCE_ANCHOR_PREFIX: &str = "xref@";

/// The destination marking the reference written at `span`.
pub fn reference_anchor(span: model::Span) -> String {
    format!("{REFERENCE_ANCHOR_PREFIX}{}:{}", span.file.0, span.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default text block of a 6×9 in book: 432 − 63 − 45 pt.
    const MEASURE: f32 = 324.0;

    const TEXT: &str = "So given everything we’ve talked about regarding the Khmer Rouge and how awful \
        they are, you’re probably wondering how such a regime could survive in any respect after their \
        collapse. After genociding half their country and improving very few lives, what mandate did \
        they have? Well, the very same mandate that earned them support from the outset. And it \
        certainly helped that the invading Vietnamese were traditional enemies, whose occupation \
        let the remnants of the movement present themselves once more as nationalist defenders of \
        an independent Cambodia against a foreign power and its collaborators.";

    fn composer() -> Composer {
        Composer::new(&FontSet::builtin(), "en")
    }

    fn body() -> TextStyle {
        TextStyle::new(11.0, 14.5, Role::Regular)
    }

    fn runs(line: &LineBox) -> Vec<&GlyphRun> {
        line.items
            .iter()
            .filter_map(|i| match i {
                Item::Glyphs(r) => Some(r),
                _ => None,
            })
            .collect()
    }

    /// `spans` justified to [`MEASURE`] in the body style, with a first-line indent.
    fn justified(c: &mut Composer, spans: &[Span], first_indent: f32) -> Vec<LineBox> {
        c.layout(
            spans,
            &body(),
            Measure {
                width: MEASURE,
                first_indent,
            },
            Align::Justify,
            true,
        )
    }

    fn right_edge(line: &LineBox) -> f32 {
        runs(line)
            .iter()
            .map(|r| r.x + r.width())
            .fold(0.0, f32::max)
    }

    /// Khmer prose written for the tests (about Cambodia, its history, its books and its
    /// rivers), 400+ characters with no space.
    pub(crate) const KHMER: &str =
        "ប្រវត្តិសាស្ត្រកម្ពុជាមានរយៈពេលយូរណាស់ហើយប្រជាជនខ្មែររស់នៅក្នុងប្រទេសនេះតាំងពីយូរមកហើយ\
        ប្រាសាទអង្គរវត្តជាប្រាសាទដ៏ធំនិងស្អាតណាស់ដែលមនុស្សមកពីគ្រប់ប្រទេសមកមើលរាល់ថ្ងៃ\
        ទន្លេមេគង្គហូរកាត់ប្រទេសកម្ពុជាពីខាងជើងទៅខាងត្បូងហើយផ្តល់ទឹកដល់ស្រែចម្ការរបស់កសិករ\
        សិស្សានុសិស្សទៅសាលារៀនរាល់ថ្ងៃដើម្បីសិក្សាភាសាខ្មែរនិងប្រវត្តិសាស្ត្ររបស់ប្រទេសខ្លួន\
        សៀវភៅជាច្រើនត្រូវបានសរសេរអំពីវប្បធម៌ខ្មែរនិងអំពីជីវិតរបស់ប្រជាជននៅទីក្រុងភ្នំពេញ\
        អ្នកនិពន្ធបានសរសេរសៀវភៅនេះដើម្បីឱ្យអ្នកអានយល់ពីប្រវត្តិសាស្ត្រនិងវប្បធម៌របស់កម្ពុជា";

    #[test]
    fn a_khmer_paragraph_breaks_between_its_words() {
        assert!(KHMER.chars().count() >= 400 && !KHMER.contains(' '));
        let mut c = Composer::new(&FontSet::builtin(), "km");
        let lines = justified(&mut c, &[Span::plain(KHMER, Role::Regular)], 0.0);
        assert!(lines.len() >= 4, "{} lines", lines.len());
        let allowed = segment::break_points(KHMER);
        let mut text = String::new();
        for (i, line) in lines.iter().enumerate() {
            for r in runs(line) {
                text.push_str(&r.text);
            }
            if i + 1 < lines.len() {
                assert!(
                    allowed.contains(&text.len()),
                    "line {} ends at byte {} inside a word: …{}",
                    i + 1,
                    text.len(),
                    &text[text.len().saturating_sub(30)..]
                );
                let edge = right_edge(line);
                assert!(edge <= MEASURE + 0.5, "line {} overfull: {edge}", i + 1);
                assert!(
                    edge >= MEASURE - 0.5,
                    "line {} not justified: {edge}",
                    i + 1
                );
            }
        }
        assert_eq!(text, KHMER, "every character set once, in order");
    }

    #[test]
    fn a_span_is_hyphenated_with_its_own_language() {
        let mut c = composer();
        let word = "anticonstitutionnellement";
        let hyphens = |points: Vec<(usize, bool, f32)>| -> Vec<usize> {
            points
                .into_iter()
                .filter(|p| p.2 == linebreak::HYPHEN_PENALTY)
                .map(|p| p.0)
                .collect()
        };
        let french = Hyphenator::new("fr").expect("French").points(word);
        let english = Hyphenator::new("en").expect("English").points(word);
        assert_ne!(french, english, "the test word must tell the two apart");
        assert_eq!(
            hyphens(c.break_points(word, BreakRule::Words, Some("fr"), true)),
            french
        );
        assert_eq!(
            hyphens(c.break_points(word, BreakRule::Words, None, true)),
            english
        );
        // A chapter in German makes German the language of unmarked text.
        c.set_language("de");
        let german = Hyphenator::new("de")
            .expect("German")
            .points("Schifffahrtsbehörde");
        assert_eq!(
            hyphens(c.break_points("Schifffahrtsbehörde", BreakRule::Words, None, true)),
            german
        );
        // The book's exceptions apply in every language.
        c.set_exceptions(&["Schifffahrtsbehörde".to_string()]);
        assert!(c
            .break_points("Schifffahrtsbehörde", BreakRule::Words, None, true)
            .is_empty());
        assert!(c
            .break_points("Schifffahrtsbehörde", BreakRule::Words, Some("fr"), true)
            .is_empty());
    }

    /// Khmer: "Cambodia's history is long, and the Khmer people have lived in this country
    /// since long ago" (the fixture's opening), without spaces, several lines long.
    const KHMER_PARA: &str = "ប្រវត្តិសាស្ត្រកម្ពុជាមានរយៈពេលយូរណាស់ហើយប្រជាជនខ្មែររស់នៅក្នុងប្រទេសនេះតាំងពីយូរមកហើយប្រាសាទអង្គរវត្តជាប្រាសាទដ៏ធំនិងស្អាតណាស់ដែលមនុស្សមកពីគ្រប់ប្រទេសមកមើលរាល់ថ្ងៃទន្លេមេគង្គហូរកាត់ប្រទេសកម្ពុជាពីខាងជើងទៅខាងត្បូង";

    const LATIN_PARA: &str = "So given everything we have talked about regarding the regime and how awful it was, you are probably wondering how such a government could survive in any respect after its collapse. After ruining half the country and improving very few lives, what mandate did it have?";

    #[test]
    fn tall_scripts_get_an_even_wider_pitch_and_keep_the_grid() {
        let mut c = composer();
        let lines = justified(&mut c, &[Span::plain(KHMER_PARA, Role::Regular)], 0.0);
        assert!(lines.len() >= 3, "{} lines", lines.len());
        let leading = body().leading;
        // Baseline to baseline: one pitch, wider than the leading.
        let pitches: Vec<f32> = lines
            .windows(2)
            .map(|w| w[0].height - w[0].baseline + w[1].baseline)
            .collect();
        assert!(pitches[0] > leading + 1.0, "{pitches:?}");
        assert!(
            pitches.iter().all(|p| (p - pitches[0]).abs() < 1e-3),
            "{pitches:?}"
        );
        // The ink of each line clears the next one's.
        let inks: Vec<(f32, f32)> = lines.iter().map(|l| c.line_ink(l)).collect();
        for (k, p) in pitches.iter().enumerate() {
            let clear = p - inks[k].1 - inks[k + 1].0;
            assert!(
                clear >= MIN_INK_GAP_EM * 11.0 - 1e-3,
                "line {k}: {clear} pt"
            );
        }
        // The paragraph is a whole number of leadings.
        let total: f32 = lines.iter().map(|l| l.height).sum();
        let whole = (total / leading).round();
        assert!((total - whole * leading).abs() < 1e-2, "{total} pt");
        // Latin text keeps one leading a line.
        let latin = justified(&mut c, &[Span::plain(LATIN_PARA, Role::Regular)], 11.0);
        assert!(latin.len() >= 3);
        for l in &latin {
            assert_eq!((l.height, l.baseline), (leading, leading * BASELINE_SHARE));
        }
    }

    #[test]
    fn justified_lines_fill_the_measure() {
        let mut c = composer();
        let spans = [Span::plain(TEXT, Role::Regular)];
        let lines = justified(&mut c, &spans, 11.0);
        assert!(lines.len() >= 5, "{} lines", lines.len());
        for (i, line) in lines.iter().enumerate() {
            let edge = right_edge(line);
            assert!(edge <= MEASURE + 0.01, "line {i} is {edge} wide");
            if i + 1 < lines.len() {
                assert!((edge - MEASURE).abs() < 0.01, "line {i} ends at {edge}");
            } else {
                assert!(edge < MEASURE - 10.0, "the last line is set natural");
            }
            assert_eq!(line.height, 14.5);
            assert!((line.baseline - 14.5 * BASELINE_SHARE).abs() < 1e-4);
        }
        // The indent: the first line's text starts 1 em in, the second at 0.
        assert!((runs(&lines[0])[0].x - 11.0).abs() < 1e-4);
        assert_eq!(runs(&lines[1])[0].x, 0.0);
        let unindented = justified(&mut c, &spans, 0.0);
        assert_eq!(runs(&unindented[0])[0].x, 0.0);
    }

    #[test]
    fn a_line_that_cannot_be_filled_is_letterspaced_before_its_spaces_turn_loose() {
        // The first line must end after "timetable": "promised." has no hyphenation point in
        // the US patterns (Liang's `rom4i`) and does not fit, so the line is 23 pt short
        // with ten spaces to take it.
        let text = "The crossing itself took eleven minutes, exactly as the timetable promised. \
            The engine was switched off at the far pier for the first time in anyone’s memory, \
            and the silence that followed was the part that people remembered best.";
        let mut c = composer();
        let lines = justified(&mut c, &[Span::plain(text, Role::Regular)], 11.0);
        let line = &lines[0];
        let run = runs(line)[0];
        assert!(run.text.ends_with("timetable"), "{}", run.text);
        assert!(
            (right_edge(line) - MEASURE).abs() < 0.01,
            "the line is flush"
        );
        let face = &c.fonts().faces[c.fonts().face(Role::Regular)];
        let natural_space = face.advance(face.glyph_id(' ').unwrap()).unwrap() * 11.0;
        // Each glyph's advance beyond its own: a letter gap, or a word space after a word.
        let glyphs = run.glyphs.to_vec();
        let extra: Vec<f32> = glyphs
            .iter()
            .map(|g| (g.x_advance - face.advance(g.id).unwrap() * 11.0) * run.scale_x)
            .collect();
        let spaces: Vec<f32> = extra.iter().copied().filter(|&e| e > 1.0).collect();
        assert_eq!(spaces.len(), 9, "{extra:?}");
        for s in &spaces {
            assert!(
                *s <= LOOSE_SPACE * natural_space + 0.01,
                "a space of {s} pt"
            );
        }
        // The letters open by what the spaces cannot take, within the limit: "timetable" is
        // wider by eight letter gaps than as shaped (its glyphs are scaled like the line's).
        let at = run.text.rfind("timetable").unwrap() as u32;
        let set: f32 = glyphs
            .iter()
            .filter(|g| g.text.start >= at)
            .map(|g| g.x_advance)
            .sum::<f32>()
            * run.scale_x;
        let (_, shaped) = c.shape_line("timetable", &body());
        let gap = (set - shaped * run.scale_x) / 8.0;
        assert!(
            gap > 0.03 && gap <= MAX_TRACKING_EM * 11.0 + 1e-4,
            "letter gap {gap} pt"
        );
        // The next line fills without it: its first word's letters are set as shaped (its
        // last glyph carries the space after it).
        let next = runs(&lines[1])[0];
        let word = next.text.split("The").next().unwrap();
        let (items, _) = c.shape_line(word, &body());
        let advances = |glyphs: Vec<Glyph>| -> Vec<f32> {
            glyphs
                .iter()
                .map(|g| g.x_advance)
                .take(word.len() - 1)
                .collect()
        };
        let shaped: Vec<f32> = items
            .into_iter()
            .filter_map(|i| match i {
                Item::Glyphs(r) => Some(advances(r.glyphs.to_vec())),
                _ => None,
            })
            .flatten()
            .collect();
        assert_eq!(advances(next.glyphs.to_vec()), shaped, "{word:?}");
    }

    #[test]
    fn font_expansion_stays_within_its_limit_and_spaces_near_natural() {
        let mut c = composer();
        let spans = [Span::plain(TEXT, Role::Regular)];
        let lines = justified(&mut c, &spans, 11.0);
        let mut scaled = 0;
        for (i, line) in lines.iter().enumerate() {
            let last = i + 1 == lines.len();
            for run in runs(line) {
                let s = run.scale_x;
                assert!(
                    (1.0 - FONT_EXPANSION..=1.0 + FONT_EXPANSION).contains(&s),
                    "line {i}: scale {s}"
                );
                if last {
                    assert_eq!(s, 1.0, "the last line is set at natural width");
                }
                scaled += usize::from(s != 1.0);
            }
        }
        assert!(scaled > 0, "no line used expansion");
        // Ragged lines are never expanded.
        let ragged = c.layout(
            &spans,
            &body(),
            Measure {
                width: MEASURE,
                first_indent: 0.0,
            },
            Align::RaggedRight,
            true,
        );
        for line in &ragged {
            for run in runs(line) {
                assert_eq!(run.scale_x, 1.0);
            }
        }
    }

    #[test]
    fn a_bare_url_breaks_before_its_hyphens_and_slashes() {
        let mut c = composer();
        let points = c.break_points(
            "https://example.org/north-headland/logs",
            BreakRule::Words,
            None,
            true,
        );
        let at = |s: &str| "https://example.org/north-headland/logs".find(s).unwrap();
        let offsets: Vec<usize> = points.iter().map(|p| p.0).collect();
        assert!(offsets.contains(&at("-headland")), "{offsets:?}");
        assert!(offsets.contains(&at("/logs")));
        assert!(
            !offsets.contains(&(at("-headland") + 1)),
            "never after the hyphen"
        );
        assert!(
            points.iter().all(|p| !p.1),
            "no hyphen is added in an address"
        );
        // An ordinary compound still breaks after its hyphen, with the hyphen kept.
        let word = c.break_points("north-headland", BreakRule::Words, None, true);
        assert!(word.iter().any(|p| p.0 == 6 && p.1));
    }

    #[test]
    fn a_word_wider_than_the_measure_breaks_anywhere_rather_than_overflow() {
        let word = "a".repeat(300);
        let url = format!("https://example.com/{}", "b".repeat(290));
        let mut c = composer();
        // Inline code breaks like an address (as `InlineKind::Code` makes it).
        let mut code = Span::plain("c".repeat(200), Role::Mono);
        code.breaks = BreakRule::Url;
        let spans = [
            Span::plain(format!("Before {word} after, and "), Role::Regular),
            Span::plain(&url, Role::Regular),
            Span::plain(" too, and ", Role::Regular),
            code,
            Span::plain(" code.", Role::Regular),
        ];
        let lines = justified(&mut c, &spans, 0.0);
        assert!(lines.len() >= 10, "{}", lines.len());
        let mut text = String::new();
        for line in &lines {
            assert!(right_edge(line) <= MEASURE + 0.01, "{}", right_edge(line));
            for r in runs(line) {
                text.push_str(&r.text);
            }
        }
        // Nothing is lost and no hyphen is added.
        let written: String = spans
            .iter()
            .flat_map(|s| s.text.chars())
            .filter(|c| *c != ' ')
            .collect();
        assert_eq!(text, written);
    }

    #[test]
    fn a_line_ending_inside_an_address_drops_the_kerning_with_the_next_line() {
        // Libertinus kerns `w.`; broken after `www`, the `w` ends its line and must take its
        // own advance (a PDF reader measures the line's last glyph by its width in the font).
        const TEXT: &str = "Apache License, Version 2.0, (LICENSE-APACHE or \
            https://www.apache.org/licenses/LICENSE-2.0)";
        const WIDTH: f32 = 307.5;
        let mut c = composer();
        let lines = c.layout(
            &[Span::plain(TEXT, Role::Regular)],
            &body(),
            Measure {
                width: WIDTH,
                first_indent: 0.0,
            },
            Align::Justify,
            true,
        );
        let fonts = FontSet::builtin();
        let face = &fonts.faces[fonts.face(Role::Regular)];
        let w = face.glyph_id('w').unwrap();
        let nominal = face.advance(w).unwrap() * 11.0;
        let first = &lines[0];
        let last_run = *runs(first).last().unwrap();
        assert!(last_run.text.ends_with("www"), "{:?}", last_run.text);
        let last = last_run.glyphs.last().unwrap();
        assert_eq!(last.id, w);
        assert!(
            (last.x_advance - nominal).abs() < 1e-3,
            "{} against {nominal}",
            last.x_advance
        );
        for line in &lines {
            assert!(right_edge(line) <= WIDTH + 0.01, "{}", right_edge(line));
        }
        // In the middle of a line the pair stays kerned.
        let whole = c.layout(
            &[Span::plain("https://www.apache.org", Role::Regular)],
            &body(),
            Measure {
                width: WIDTH,
                first_indent: 0.0,
            },
            Align::RaggedRight,
            true,
        );
        let glyphs: Vec<Glyph> = runs(&whole[0]).iter().flat_map(|r| &r.glyphs).collect();
        let kerned = glyphs.iter().rfind(|g| g.id == w).unwrap();
        assert!(kerned.x_advance < nominal - 0.1, "{}", kerned.x_advance);
    }

    #[test]
    fn a_cjk_line_that_must_shrink_takes_it_from_the_punctuation_blanks_first() {
        // あいうえお」「かきくけ: nine ideographs and kana (11 pt each), 」 and 「 (each 5.5 pt of
        // ink half and, between them, the half em left of their blanks, 5.5 pt): 115.5 pt
        // at natural width, set in 113.3 pt. The 2.2 pt come out of the blank between the
        // brackets (which may give 2.75); the characters keep their em, unscaled.
        let mut c = Composer::new(&FontSet::builtin(), "ja");
        let spans = [Span::plain("あいうえお」「かきくけこ。", Role::Regular)];
        let lines = c.layout(
            &spans,
            &body(),
            Measure {
                width: 113.3,
                first_indent: 0.0,
            },
            Align::Justify,
            true,
        );
        assert_eq!(lines.len(), 2);
        let runs = runs(&lines[0]);
        let text: String = runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(text, "あいうえお」「かきくけ");
        let mut pens = Vec::new();
        for r in &runs {
            assert_eq!(r.scale_x, 1.0, "{text}: glyphs scaled");
            let mut x = r.x;
            for g in r.glyphs.iter() {
                pens.push((
                    r.text[g.text.start as usize..g.text.end as usize].to_string(),
                    x,
                ));
                x += g.x_advance * r.scale_x;
            }
        }
        // Each ideograph and kana one em from the next.
        for pair in pens
            .windows(2)
            .filter(|p| !["」", "「"].contains(&p[0].0.as_str()))
        {
            if pair[1].0 != "」" {
                assert!((pair[1].1 - pair[0].1 - 11.0).abs() < 1e-3, "{pens:?}");
            }
        }
        // 」 to 「: its half em of ink and the blank, 5.5 pt shrunk by 2.2 pt.
        let close = pens.iter().position(|p| p.0 == "」").unwrap();
        let step = pens[close + 1].1 - pens[close].1;
        assert!((step - (5.5 + 5.5 - 2.2)).abs() < 1e-3, "」「: {step} pt");
        assert!((right_edge(&lines[0]) - 113.3).abs() < 1e-3);
    }

    #[test]
    fn hyphenated_break_sets_a_hyphen() {
        let mut c = composer();
        let spans = [Span::plain(TEXT, Role::Regular)];
        let mut hyphenated = 0;
        // Try a few measures: some break inside words.
        for width in [150.0, 170.0, 190.0, 210.0, 230.0] {
            let lines = c.layout(
                &spans,
                &body(),
                Measure {
                    width,
                    first_indent: 0.0,
                },
                Align::Justify,
                true,
            );
            for line in &lines[..lines.len() - 1] {
                let last = runs(line)
                    .last()
                    .map(|r| r.text.clone())
                    .unwrap_or_default();
                if last.ends_with('-') {
                    let word = last.rsplit(' ').next().unwrap_or("");
                    let stem = word.trim_end_matches('-');
                    // The source has no hyphen here: it was added by the break.
                    assert!(!TEXT.contains(&format!("{stem}- ")), "{last}");
                    let run = runs(line).last().copied().unwrap();
                    let g = run.glyphs.last().unwrap();
                    assert_eq!(&run.text[g.text.start as usize..g.text.end as usize], "-");
                    hyphenated += 1;
                }
            }
        }
        assert!(hyphenated > 0, "no hyphenated line at any measure");
    }

    #[test]
    fn last_word_is_never_hyphenated() {
        let mut c = composer();
        let spans = [Span::plain("a extraordinarily", Role::Regular)];
        let lines = c.layout(
            &spans,
            &body(),
            Measure {
                width: 60.0,
                first_indent: 0.0,
            },
            Align::Justify,
            true,
        );
        assert!(lines
            .iter()
            .all(|l| runs(l).iter().all(|r| !r.text.ends_with('-'))));
    }

    #[test]
    fn footnote_reference_marks_its_line() {
        let mut c = composer();
        let mut mark = Span::plain("3", Role::Regular);
        mark.superscript = true;
        mark.note = Some(2);
        mark.anchor = Some("fnref-3".to_string());
        mark.link = Some(LinkTarget::Anchor("fn-3".to_string()));
        let spans = [
            Span::plain(&TEXT[..200], Role::Regular),
            mark,
            Span::plain(" and more text follows here.", Role::Regular),
        ];
        let lines = justified(&mut c, &spans, 0.0);
        let with_note: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].notes == [2])
            .collect();
        assert_eq!(with_note.len(), 1);
        let line = &lines[with_note[0]];
        assert!(line
            .items
            .iter()
            .any(|i| matches!(i, Item::Anchor { name, .. } if name == "fnref-3")));
        assert!(line
            .items
            .iter()
            .any(|i| matches!(i, Item::Link { target: LinkTarget::Anchor(a), .. } if a == "fn-3")));
        let mark_run = runs(line)
            .into_iter()
            .find(|r| r.text == "3")
            .expect("the mark");
        assert!(
            mark_run.y < 0.0 && mark_run.size < 11.0,
            "raised and smaller"
        );
    }

    #[test]
    fn simple_apis_for_the_flow() {
        let mut c = composer();
        let (items, width) = c.shape_line("Chapter One", &body());
        assert!(width > 40.0 && width < 80.0, "{width}");
        assert_eq!(items.len(), 1);
        let lines = c.layout_text("A Title\nSecond line", &body(), 300.0, Align::Centre);
        assert_eq!(lines.len(), 2);
        let x = runs(&lines[0])[0].x;
        assert!((x - (300.0 - lines[0].width) / 2.0).abs() < 0.01);
        assert!(c.layout_text("", &body(), 300.0, Align::Justify).is_empty());
    }
}
