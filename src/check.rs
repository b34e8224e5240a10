//! Manuscript lints over the model (`bindery check`, and the start of every build): headings,
//! the cover, print resolution of images, glyph coverage, raw HTML and typography.
//!
//! Diagnostics found while loading (book.yaml, files, footnotes, links, unreadable images) come
//! from [`crate::load`]; these come on top. Every finding points at the offending text and says
//! how to fix it; `docs/diagnostics.md` documents each code.

use std::collections::BTreeMap;

use crate::assets::{ImageError, LoadedImage};
use crate::diag::{Code, Diagnostic, Edition, Location};
use crate::model::{self, Block, BlockKind, Book, Chapter, Heading, InlineKind, Span};
use crate::typeset::font::{FontSet, Role};
use std::ops::Range;

/// The EPUB cover size that stores recommend (Apple Books, Kobo, KDP), width × height in px.
pub const COVER_MIN_WIDTH: u32 = 1600;
/// See [`COVER_MIN_WIDTH`].
pub const COVER_MIN_HEIGHT: u32 = 2560;

/// The resolution print needs: below 300 dpi, printers warn and photographs look soft.
pub const PRINT_DPI: f32 = 300.0;

/// The print fonts' coverage: the byte ranges of the clusters of a text, set in a role, that
/// no face draws.
pub type Coverage<'a> = dyn Fn(Role, &str) -> Vec<Range<usize>> + 'a;

/// What the lints need besides the book.
#[derive(Clone, Copy)]
pub struct CheckOptions<'a> {
    /// The editions being made: a lint runs only when its codes concern one of them
    /// ([`Code::concerns`]). Every edition for `check` and `build`.
    pub editions: &'a [Edition],
    /// The clusters of a text, set in a role, that no print font draws: the typesetter's own
    /// coverage decision ([`font_coverage`]). `None` skips the glyph-coverage lint (W0600).
    pub coverage: Option<&'a Coverage<'a>>,
    /// The cover named in `book.yaml`, as the pipeline loaded it. `None` makes the cover lints
    /// read the file themselves.
    pub cover: Option<&'a Result<LoadedImage, ImageError>>,
}

impl Default for CheckOptions<'_> {
    fn default() -> Self {
        CheckOptions {
            editions: Edition::ALL,
            coverage: None,
            cover: None,
        }
    }
}

impl CheckOptions<'_> {
    /// Whether findings with `code` concern an edition being made, so that its lint runs.
    fn runs(&self, code: Code) -> bool {
        code.concerns().any(self.editions)
    }
}

impl std::fmt::Debug for CheckOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckOptions")
            .field("editions", &self.editions)
            .field(
                "coverage",
                &self.coverage.map(|_| "Fn(Role, &str) -> Vec<Range>"),
            )
            .field(
                "cover",
                &self.cover.map(|c| c.as_ref().map(|i| (i.width, i.height))),
            )
            .finish()
    }
}

/// Runs every lint except glyph coverage (which needs the fonts; see [`check_with`]).
pub fn check(book: &Book) -> Vec<Diagnostic> {
    check_with(book, &CheckOptions::default())
}

/// Runs every lint that needs the whole book and concerns one of `opts.editions`. The result
/// is sorted by file, line and column.
pub fn check_with(book: &Book, opts: &CheckOptions<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    cover(book, opts.cover, &mut out);
    if opts.runs(Code::W0502) {
        image_resolution(book, &mut out);
    }
    let coverage = opts.coverage.filter(|_| opts.runs(Code::W0600));
    if let Some(covers) = coverage {
        metadata_glyphs(book, covers, &mut out);
    }
    languages(book, opts, &mut out);
    for (index, chapter) in book.chapters.iter().enumerate() {
        if book.config.pdf.accessible && opts.runs(Code::W0508) {
            image_alt(book, &chapter.blocks, &mut out);
        }
        headings(book, chapter, &mut out);
        typography(book, chapter, &mut out);
        if let Some(covers) = coverage {
            glyphs(book, index, chapter, covers, &mut out);
        }
    }
    // A lint that finds several things (the cover's) keeps only what concerns the editions.
    out.retain(|d| d.concerns.any(opts.editions));
    crate::diag::sort_diagnostics(&mut out);
    out
}

/// Glyph coverage of a font set, exactly as the typesetter decides it per cluster
/// ([`FontSet::uncovered`]). Pass it as [`CheckOptions::coverage`].
pub fn font_coverage(fonts: &FontSet) -> impl Fn(Role, &str) -> Vec<Range<usize>> + '_ {
    move |role, text| fonts.uncovered(role, text)
}

// ---------------------------------------------------------------------------------------------
// Helpers.

/// The source text of a span ("" when the span is out of range).
fn source(book: &Book, span: Span) -> &str {
    book.sources
        .files
        .get(span.file.0 as usize)
        .and_then(|f| f.text.get(span.start..span.end))
        .unwrap_or("")
}

/// A span without the line ending(s) it may end with, so that carets stay on their line.
fn trim_span_end(book: &Book, span: Span) -> Span {
    let text = source(book, span);
    let kept = text.trim_end_matches(['\n', '\r']).len();
    Span::new(span.file, span.start, span.start + kept)
}

/// Where a `key:` of book.yaml is, with the caret under its value (or the key when the value is
/// on other lines). `None` when book.yaml cannot be read or has no such key.
fn yaml_key_location(book: &Book, key: &str) -> Option<Location> {
    let text = book_yaml(book)?;
    let prefix = format!("{key}:");
    text.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix(&prefix)?;
        let value = rest.split(" #").next().unwrap_or("").trim();
        let (column, width) = if value.is_empty() {
            (1, key.chars().count())
        } else {
            let at = line.len() - rest.len() + (rest.len() - rest.trim_start().len());
            (line[..at].chars().count() + 1, value.chars().count())
        };
        Some(Location {
            file: "book.yaml".into(),
            line: i + 1,
            column,
            source_line: line.to_string(),
            width: width.max(1),
        })
    })
}

/// The text of book.yaml, as loaded into the book's sources.
fn book_yaml(book: &Book) -> Option<&str> {
    book.sources
        .files
        .iter()
        .find(|f| f.path == crate::load::BOOK_YAML)
        .map(|f| f.text.as_str())
}

/// Points `d` at book.yaml's `key`, or at book.yaml as a whole.
fn at_yaml_key(book: &Book, d: Diagnostic, key: &str) -> Diagnostic {
    match yaml_key_location(book, key) {
        Some(loc) => d.at(loc),
        None => d.in_file("book.yaml"),
    }
}

// ---------------------------------------------------------------------------------------------
// Languages: W0803, W0804.

/// W0804's help: how to supply the `missing` words (columns of `locale/words.tsv`, or
/// `months`), with the first of them as the example, its placeholders in place.
fn supply_words_help(missing: &[&str]) -> String {
    let months = missing.contains(&"months");
    let Some(first) = missing.iter().find(|w| **w != "months") else {
        return "month names come from bindery's table only: a book cannot supply them".into();
    };
    let example: String = std::iter::once("…".to_string())
        .chain(
            crate::locale::placeholders(first)
                .iter()
                .map(|p| format!("{{{p}}}…")),
        )
        .collect();
    let them = if missing.len() > 1 { "them" } else { "it" };
    let mut help = format!(
        "add {them} under `words:` in book.yaml, e.g. `words: {{ {first}: \"{example}\" }}`"
    );
    if months {
        help.push_str("; month names come from bindery's table only");
    }
    help
}

/// W0804: bindery has no words, or not every word, in the book's language (those fall back to
/// English).
/// W0803: a language that should be hyphenated but has no patterns: the book's, a chapter's or
/// a span's, reported once per language where it is first named.
fn languages(book: &Book, opts: &CheckOptions<'_>, out: &mut Vec<Diagnostic>) {
    let language = &book.config.language;
    let supplied: Vec<&str> = book.config.words.iter().map(|(c, _)| *c).collect();
    let (message, missing) = match crate::locale::coverage_with(language, &supplied) {
        crate::locale::Coverage::Full => (None, Vec::new()),
        crate::locale::Coverage::None => (
            Some(format!(
                "bindery has no words in `{language}`: the pages it writes (contents, notes) use English"
            )),
            vec!["contents", "months"],
        ),
        crate::locale::Coverage::Partial(words) => (
            Some(format!(
                "bindery lacks some words in `{language}`: {} will be in English",
                words.join(", ")
            )),
            words,
        ),
    };
    if let Some(message) = message {
        let d = Diagnostic::new(Code::W0804, message).with_help(supply_words_help(&missing));
        out.push(at_yaml_key(book, d, "language"));
    }
    if !book.config.pdf.hyphenate || !opts.runs(Code::W0803) {
        return;
    }
    let mut seen: Vec<String> = Vec::new();
    let mut report = |tag: &str,
                      out: &mut Vec<Diagnostic>,
                      place: &dyn Fn(Diagnostic) -> Diagnostic| {
        let key = tag.to_ascii_lowercase();
        let row = crate::lang::lookup(tag);
        let hyphenated_script = row.is_none_or(|l| l.hyphen_min.is_some());
        if seen.contains(&key) || !hyphenated_script || crate::typeset::hyphenate::has_patterns(tag)
        {
            return;
        }
        seen.push(key);
        let name = row.map_or(String::new(), |l| format!(" ({})", l.name));
        out.push(place(
            Diagnostic::new(
                Code::W0803,
                format!("no hyphenation patterns for `{tag}`{name}: its text will not be hyphenated in print"),
            )
            .with_help(
                "the book still builds; add `hyphenation: { exceptions: [...] }` to book.yaml \
                 for the long words, or set `pdf: { ragged_right: true }` to avoid wide spaces",
            ),
        ));
    };
    report(&book.config.language, out, &|d| {
        at_yaml_key(book, d, "language")
    });
    for chapter in &book.chapters {
        if let Some(tag) = &chapter.lang {
            let path = book.sources.get(chapter.file).path.clone();
            report(tag, out, &|d| d.in_file(path.clone()));
        }
        chapter.each_run(&mut |run| {
            crate::model::each_inline(run, &mut |i| {
                if let InlineKind::Lang {
                    lang: Some(lang), ..
                } = &i.kind
                {
                    report(lang, out, &|d| {
                        d.at_span(&book.sources, trim_span_end(book, i.span))
                    });
                }
            })
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Cover: E0503, E0504, W0505, W0506.

fn cover(book: &Book, loaded: Option<&Result<LoadedImage, ImageError>>, out: &mut Vec<Diagnostic>) {
    let Some(path) = &book.config.cover else {
        out.push(
            Diagnostic::new(Code::W0506, "the book has no cover image")
                .in_file("book.yaml")
                .with_help("add `cover: covers/cover.png` to book.yaml (1600×2560 px or larger)"),
        );
        return;
    };
    if let Err(why) = crate::paths::inside_book(&book.root, &book.root, path) {
        let d = Diagnostic::new(Code::E0206, format!("the cover `{path}` {why}"))
            .with_help("copy the cover into the book's folder and name it relative to book.yaml");
        out.push(at_yaml_key(book, d, "cover"));
        return;
    }
    let read_here;
    let loaded = match loaded {
        Some(l) => l,
        None => {
            read_here = crate::assets::load_cover(&book.root.join(path));
            &read_here
        }
    };
    match loaded {
        Ok(img) => {
            if img.width < COVER_MIN_WIDTH || img.height < COVER_MIN_HEIGHT {
                let d = Diagnostic::new(
                    Code::W0505,
                    format!(
                        "the cover `{path}` is {}×{} px, smaller than the recommended \
                         {COVER_MIN_WIDTH}×{COVER_MIN_HEIGHT} px",
                        img.width, img.height
                    ),
                )
                .with_help(
                    "export the cover at 1600×2560 px or larger; stores reject or blur small \
                     covers",
                );
                out.push(at_yaml_key(book, d, "cover"));
            }
        }
        Err(ImageError::Missing(why)) => {
            let d = Diagnostic::new(
                Code::E0503,
                format!("the cover `{path}` cannot be read: {why}"),
            )
            .with_help("check the path under `cover:`; it is relative to book.yaml");
            out.push(at_yaml_key(book, d, "cover"));
        }
        Err(ImageError::Unsupported(fmt)) => {
            let d = Diagnostic::new(
                Code::E0504,
                format!("the cover `{path}` is not a PNG or JPEG ({fmt})"),
            )
            .with_help("convert the cover to PNG or JPEG");
            out.push(at_yaml_key(book, d, "cover"));
        }
        Err(ImageError::Corrupt(why)) => {
            let d = Diagnostic::new(
                Code::E0504,
                format!("the cover `{path}` does not decode: {why}"),
            )
            .with_help("re-export the cover; the file is damaged or truncated");
            out.push(at_yaml_key(book, d, "cover"));
        }
        Err(ImageError::TooLarge { width, height }) => {
            let d = Diagnostic::new(
                Code::E0504,
                format!(
                    "the cover `{path}` is {}",
                    ImageError::too_large(*width, *height)
                ),
            )
            .with_help("scale the cover down; 1600×2560 px is what the stores ask for");
            out.push(at_yaml_key(book, d, "cover"));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Print resolution: W0502.

fn image_resolution(book: &Book, out: &mut Vec<Diagnostic>) {
    let pdf = &book.config.pdf;
    let block = pdf.text_block();
    if block.width <= 0.0 || block.height <= 0.0 {
        return;
    }
    // Only figures print as images (an image among words prints as its description), each
    // asset measured once, where it is first a figure.
    let mut figures: Vec<(usize, Span, f32)> = Vec::new();
    for chapter in &book.chapters {
        chapter.each_block(&mut |b| {
            if let BlockKind::Paragraph(inlines) = &b.kind {
                if let Some(f) = book.figure(inlines) {
                    if !figures.iter().any(|(a, _, _)| *a == f.asset) {
                        figures.push((f.asset, f.span, f.width.unwrap_or(1.0)));
                    }
                }
            }
        });
    }
    for (asset, span, share) in figures {
        let Some(asset) = book.assets.get(asset) else {
            continue;
        };
        // A drawing is vectors: sharp at any size.
        if asset.format == crate::model::ImageFormat::Svg {
            continue;
        }
        // The size the typesetter gives a figure across the measure (or its `width=` share).
        let placed = pdf.placed_image(asset.width, asset.height, block.width * share, block.height);
        let dpi = placed.dpi(asset.width);
        if dpi + 0.5 >= PRINT_DPI {
            continue;
        }
        let printed_in = asset.width as f32 / dpi;
        let needed = (PRINT_DPI * printed_in).ceil();
        let name = asset
            .disk_path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(&asset.name);
        out.push(
            Diagnostic::new(
                Code::W0502,
                format!(
                    "image `{name}` prints at {dpi:.0} dpi ({} px across {printed_in:.2} in); \
                     print needs {PRINT_DPI:.0} dpi",
                    asset.width
                ),
            )
            .at_span(&book.sources, span)
            .with_help(format!(
                "supply the image at least {needed:.0} px wide; it will look soft on paper"
            )),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Alt text: W0508.

/// Images without alt text, when the PDF is PDF/UA (`pdf.accessible`, the default): such an
/// image is set as decoration, which a screen reader skips.
fn image_alt(book: &Book, blocks: &[Block], out: &mut Vec<Diagnostic>) {
    crate::model::each_inline_in(blocks, &mut |inline| {
        let InlineKind::Image {
            asset: Some(_),
            alt,
            src,
            ..
        } = &inline.kind
        else {
            return;
        };
        if alt.trim().is_empty() {
            out.push(
                Diagnostic::new(Code::W0508, format!("image `{src}` has no alt text"))
                    .at_span(&book.sources, inline.span)
                    .with_help(
                        "describe what it shows between the brackets, `![A map of the \
                         coast](…)`; without a description the accessible PDF treats it as \
                         decoration, which screen readers skip",
                    ),
            );
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Headings: W0402 (W0403 and W0404 are found, and repaired, while linking the book).

fn headings(book: &Book, chapter: &Chapter, out: &mut Vec<Diagnostic>) {
    let hs: Vec<&Heading> = chapter.headings();
    for pair in hs.windows(2) {
        let (prev, h) = (pair[0], pair[1]);
        if h.level > prev.level + 1 {
            let want = prev.level + 1;
            out.push(
                Diagnostic::new(
                    Code::W0402,
                    format!(
                        "heading level {} follows level {}, skipping level {want}",
                        h.level, prev.level
                    ),
                )
                .at_span(&book.sources, trim_span_end(book, h.span))
                .with_help(format!(
                    "write `{} ` here, or add a level-{want} heading before it",
                    "#".repeat(usize::from(want))
                )),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Glyph coverage: W0600 (print only).

/// Every character the print edition sets from the manuscript and the title page's metadata,
/// once each, with its first use in the manuscript (`None` for metadata only), in code point
/// order. ASCII is left out: every text face has it. The pipeline looks for faces in font
/// folders for those no face has.
pub fn printed_chars(book: &Book) -> BTreeMap<char, Option<Span>> {
    let mut out: BTreeMap<char, Option<Span>> = BTreeMap::new();
    let mut note = |text: &str, span: Span, _role: Role| {
        for c in text.chars().filter(|c| !c.is_ascii()) {
            let at = out.entry(c).or_insert(None);
            if at.is_none_or(|s| span.file == s.file && span.start < s.start) {
                *at = Some(span);
            }
        }
    };
    let listed = listed_depth(book);
    for chapter in &book.chapters {
        each_text_with_role(&chapter.blocks, listed, &mut note);
        for footnote in &chapter.footnotes {
            each_text_with_role(&footnote.blocks, listed, &mut note);
        }
    }
    for (text, _) in (0..book.chapters.len()).flat_map(|i| opening_texts(book, i)) {
        for ch in text.chars().filter(|c| !c.is_ascii()) {
            out.entry(ch).or_insert(None);
        }
    }
    let c = &book.config;
    let fields = [
        Some(&c.title),
        c.subtitle.as_ref(),
        c.publisher.as_ref(),
        c.rights.as_ref(),
    ];
    for text in fields.into_iter().flatten().chain(c.authors.iter()) {
        for ch in text.chars().filter(|c| !c.is_ascii()) {
            out.entry(ch).or_insert(None);
        }
    }
    out
}

/// Headings down to this level (or the contents' depth, when deeper) are set in the body face
/// too: in the running heads (chapter and section titles) and in the contents.
const HEADINGS_IN_RUNNING_HEADS: u8 = 2;

/// Calls `f` on every piece of text of `blocks` with each role the typesetter sets it in:
/// headings by level (and, down to `listed` — the contents' depth — in the body face too, as
/// the contents and running heads set them), table heads semibold, code mono, emphasis and
/// strong emphasis as [`Role::emphasised`] and [`Role::strong`] make them.
fn each_text_with_role<'a>(
    blocks: &'a [Block],
    listed: u8,
    f: &mut dyn FnMut(&'a str, Span, Role),
) {
    fn inlines<'a>(run: &'a [model::Inline], role: Role, f: &mut dyn FnMut(&'a str, Span, Role)) {
        for i in run {
            match &i.kind {
                InlineKind::Text(t) => f(t, i.span, role),
                InlineKind::Code(t) => f(t, i.span, Role::Mono),
                InlineKind::Emphasis(c) => inlines(c, role.emphasised(), f),
                InlineKind::Strong(c) => inlines(c, role.strong(), f),
                _ => inlines(i.children(), role, f),
            }
        }
    }
    model::each_block(blocks, &mut |b| match &b.kind {
        BlockKind::Paragraph(run) => inlines(run, Role::Regular, f),
        BlockKind::Heading(h) => {
            inlines(&h.content, Role::heading(h.level), f);
            if h.level <= listed && Role::heading(h.level) != Role::Regular {
                inlines(&h.content, Role::Regular, f);
            }
        }
        BlockKind::Table(t) => {
            t.head.iter().for_each(|c| inlines(c, Role::Semibold, f));
            t.rows
                .iter()
                .flatten()
                .for_each(|c| inlines(c, Role::Regular, f));
        }
        BlockKind::CodeBlock { text, .. } => f(text, b.span, Role::Mono),
        BlockKind::BlockQuote(_) | BlockKind::List(_) | BlockKind::SceneBreak => {}
    });
}

/// The deepest heading level also set in the body face ([`HEADINGS_IN_RUNNING_HEADS`]).
fn listed_depth(book: &Book) -> u8 {
    book.config.toc_depth.max(HEADINGS_IN_RUNNING_HEADS)
}

/// What a chapter's opening prints from its front matter (`front::chapter_opening`), each with
/// the roles it is set in: the title as a chapter title and, in the running heads, in the body
/// face; the subtitle in italic; the byline in the body face.
fn opening_texts(book: &Book, index: usize) -> Vec<(String, Vec<Role>)> {
    let opening = crate::front::chapter_opening(book, index);
    let mut out = Vec::new();
    if let Some(title) = opening.title {
        out.push((title, vec![Role::heading(1), Role::Regular]));
    }
    if let Some(subtitle) = opening.subtitle {
        out.push((subtitle, vec![Role::Italic]));
    }
    if let Some(byline) = opening.byline {
        out.push((byline, vec![Role::Regular]));
    }
    out
}

/// Longest character reference worth reading (`&CounterClockwiseContourIntegral;` is 33).
const MAX_REFERENCE_LEN: usize = 40;

/// Where `piece`, text read from `span`, was written: literally, or as the character
/// reference (`&Hscr;`, `&#x210B;`) of its first character; else the whole span.
fn written_at(book: &Book, span: Span, piece: &str) -> Span {
    let raw = source(book, span);
    let within = |start: usize, len: usize| {
        Span::new(span.file, span.start + start, span.start + start + len)
    };
    if let Some(i) = raw.find(piece) {
        return within(i, piece.len());
    }
    let first = piece.chars().next();
    for (i, _) in raw.match_indices('&') {
        let Some(len) = raw[i..].find(';').filter(|l| *l < MAX_REFERENCE_LEN) else {
            continue;
        };
        let reference = &raw[i..=i + len];
        if crate::markdown::character_reference(reference)
            .is_some_and(|t| t.chars().next() == first)
        {
            return within(i, len + 1);
        }
    }
    span
}

/// The first line of `file` holding `ch`, as a location with the caret under it.
fn first_in_file(book: &Book, file: crate::source::FileId, ch: char) -> Option<Location> {
    let source = book.sources.files.get(file.0 as usize)?;
    source.written().lines().enumerate().find_map(|(i, line)| {
        let at = line.find(ch)?;
        Some(Location {
            file: source.path.clone(),
            line: i + 1,
            column: line[..at].chars().count() + 1,
            source_line: line.to_string(),
            width: 1,
        })
    })
}

/// The help of W0600 for text of the manuscript.
const W0600_HELP: &str = "add a font that has it under `pdf: fonts: fallback:` in book.yaml or \
     in a folder given with `--fonts`, or replace the character; neither bindery's faces nor the \
     machine's fonts have it, and the PDF shows an empty box for it (the EPUB leaves it to the \
     reader's fonts)";

/// The help of W0600 for a cluster whose characters print apart ([`Unprinted::Cluster`]).
const W0600_APART_HELP: &str = "add a font that has all its characters under `pdf: fonts: \
     fallback:` in book.yaml or in a folder given with `--fonts`, or write the mark on a letter \
     of its own script; the PDF sets each character in a font of its own, the mark apart from \
     its letter (the EPUB leaves it to the reader's fonts)";

/// What W0600 names of a cluster no face covers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Unprinted {
    /// The first of its characters that no face has even alone.
    Char(char),
    /// The cluster whole: each of its characters has a face, but none has them together (a
    /// mark of one script on a letter of another, "Aௗ").
    Cluster(String),
}

impl Unprinted {
    /// What `covers` lacks of `cluster` (one of the clusters it returned for `role`), asked of
    /// the same coverage decision, character by character.
    fn of(covers: &Coverage<'_>, role: Role, cluster: &str) -> Option<Unprinted> {
        let first = cluster.chars().next()?;
        let alone = cluster.chars().find(|&c| {
            let mut buf = [0u8; 4];
            !covers(role, c.encode_utf8(&mut buf)).is_empty()
        });
        Some(match alone {
            Some(c) => Unprinted::Char(c),
            None if cluster.chars().count() > 1 => Unprinted::Cluster(cluster.to_string()),
            None => Unprinted::Char(first),
        })
    }

    /// The character to look for in a file, where no span says where it stands.
    fn first_char(&self) -> char {
        match self {
            Unprinted::Char(c) => *c,
            Unprinted::Cluster(s) => s.chars().next().unwrap_or('\u{FFFD}'),
        }
    }

    /// The help for text of the manuscript.
    fn help(&self) -> &'static str {
        match self {
            Unprinted::Char(_) => W0600_HELP,
            Unprinted::Cluster(_) => W0600_APART_HELP,
        }
    }

    fn message(&self) -> String {
        let code = |c: char| format!("U+{:04X} {c}", u32::from(c));
        match self {
            Unprinted::Char(c) => format!("no print font has a glyph for {}", code(*c)),
            Unprinted::Cluster(s) => format!(
                "no print font draws `{s}` whole ({}): each character has a font, but none has \
                 them together, so they print apart",
                s.chars().map(code).collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

/// W0600 for the text of chapter `index`: its blocks, its notes and its opening's front matter.
fn glyphs(
    book: &Book,
    index: usize,
    chapter: &Chapter,
    covers: &Coverage<'_>,
    out: &mut Vec<Diagnostic>,
) {
    // First occurrence of each uncovered character (or cluster): what → span.
    let mut first: BTreeMap<Unprinted, Span> = BTreeMap::new();
    let mut note = |text: &str, span: Span, role: Role| {
        for range in covers(role, text) {
            // The cluster's first character no face has names it (the base of a base and its
            // marks, an emoji of an emoji and its modifiers), else the cluster itself.
            let Some(c) = Unprinted::of(covers, role, &text[range.clone()]) else {
                continue;
            };
            // Point at the cluster itself, or the reference it was written as, else the text.
            let at = written_at(book, span, &text[range]);
            first
                .entry(c)
                .and_modify(|s| {
                    if at.start < s.start {
                        *s = at;
                    }
                })
                .or_insert(at);
        }
    };
    let listed = listed_depth(book);
    each_text_with_role(&chapter.blocks, listed, &mut note);
    for footnote in &chapter.footnotes {
        each_text_with_role(&footnote.blocks, listed, &mut note);
    }
    // The opening's front-matter texts, found where the file first holds the character.
    let mut opening: Vec<Unprinted> = Vec::new();
    for (text, roles) in opening_texts(book, index) {
        for role in roles {
            for range in covers(role, &text) {
                let c = Unprinted::of(covers, role, &text[range]);
                if let Some(c) = c.filter(|c| !first.contains_key(c) && !opening.contains(c)) {
                    opening.push(c);
                }
            }
        }
    }
    for c in opening {
        let d = Diagnostic::new(Code::W0600, c.message()).with_help(c.help());
        out.push(match first_in_file(book, chapter.file, c.first_char()) {
            Some(loc) => d.at(loc),
            None => d.in_file(book.sources.get(chapter.file).path.clone()),
        });
    }
    for (c, span) in first {
        out.push(
            Diagnostic::new(Code::W0600, c.message())
                .at_span(&book.sources, span)
                .with_help(c.help()),
        );
    }
}

/// W0600 for the metadata printed on the title and copyright pages (title, subtitle, authors,
/// publisher, rights), pointing into book.yaml.
fn metadata_glyphs(book: &Book, covers: &Coverage<'_>, out: &mut Vec<Diagnostic>) {
    let c = &book.config;
    // Each in the roles the front matter sets it in: the title in the body face on the half
    // title and as a chapter title on the title page (`typeset::page`), the subtitle in italic.
    let regular: &[Role] = &[Role::Regular];
    let fields = [
        (Some(&c.title), &[Role::Regular, Role::heading(1)][..]),
        (c.subtitle.as_ref(), &[Role::Italic][..]),
        (c.publisher.as_ref(), regular),
        (c.rights.as_ref(), regular),
    ];
    let authors = c.authors.iter().map(|a| (Some(a), regular));
    let mut printed: Vec<Unprinted> = Vec::new();
    for (text, roles) in fields.into_iter().chain(authors) {
        let Some(text) = text else { continue };
        for role in roles {
            for range in covers(*role, text) {
                printed.extend(Unprinted::of(covers, *role, &text[range]));
            }
        }
    }
    let mut seen: Vec<Unprinted> = Vec::new();
    let yaml = book_yaml(book).unwrap_or_default();
    for unprinted in printed {
        if seen.contains(&unprinted) {
            continue;
        }
        seen.push(unprinted.clone());
        let ch = unprinted.first_char();
        let d = Diagnostic::new(Code::W0600, unprinted.message()).with_help(
            "it is printed on the title page; add a font that has it under `pdf: fonts: \
             fallback:` in book.yaml, or replace the character",
        );
        let found = yaml.lines().enumerate().find_map(|(i, line)| {
            let at = line.find(ch)?;
            Some(Location {
                file: "book.yaml".into(),
                line: i + 1,
                column: line[..at].chars().count() + 1,
                source_line: line.to_string(),
                width: 1,
            })
        });
        out.push(match found {
            Some(loc) => d.at(loc),
            None => d.in_file("book.yaml"),
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Typography: W0800, W0801, W0802.

fn typography(book: &Book, chapter: &Chapter, out: &mut Vec<Diagnostic>) {
    let smart = book.config.smart_punctuation;
    // First straight quote and first `--`, with counts, for one warning per file each.
    let mut quotes: Option<Span> = None;
    let mut quote_count = 0usize;
    let mut dashes: Option<Span> = None;
    let mut dash_count = 0usize;
    let file_text = &book.sources.get(chapter.file).text;
    chapter.each_run(&mut |run| {
        model::each_inline(run, &mut |i| match &i.kind {
            InlineKind::Text(_) if !smart => {
                let raw = source(book, i.span);
                for (p, c) in raw.char_indices() {
                    if matches!(c, '"' | '\'') {
                        quote_count += 1;
                        quotes.get_or_insert(Span::new(
                            i.span.file,
                            i.span.start + p,
                            i.span.start + p + 1,
                        ));
                    }
                }
                let mut from = 0;
                while let Some(p) = raw.get(from..).and_then(|s| s.find("--")) {
                    let start = from + p;
                    let run_len = raw[start..].len() - raw[start..].trim_start_matches('-').len();
                    dash_count += 1;
                    dashes.get_or_insert(Span::new(
                        i.span.file,
                        i.span.start + start,
                        i.span.start + start + run_len,
                    ));
                    from = start + run_len;
                }
            }
            InlineKind::FootnoteRef(_) => {
                let before = file_text.get(..i.span.start).unwrap_or("");
                let line = before.rsplit('\n').next().unwrap_or("");
                let word = line.trim_end_matches([' ', '\t']);
                let gap = line.len() - word.len();
                if gap > 0 && !word.trim().is_empty() {
                    let mark = source(book, i.span);
                    out.push(
                        Diagnostic::new(Code::W0802, "space before a footnote mark")
                            .at_span(
                                &book.sources,
                                Span::new(i.span.file, i.span.start - gap, i.span.start),
                            )
                            .with_help(format!(
                                "remove the space; write the mark against the word or \
                                 punctuation it follows: `{}{mark}`",
                                word.rsplit([' ', '\t']).next().unwrap_or("")
                            )),
                    );
                }
            }
            _ => {}
        })
    });
    if let Some(span) = quotes {
        let what = source(book, span).to_string();
        let more = match quote_count {
            1 => String::new(),
            n => format!(" (the first of {n} in this file)"),
        };
        out.push(
            Diagnostic::new(
                Code::W0800,
                format!("straight quote `{what}` in the text{more}"),
            )
            .at_span(&book.sources, span)
            .with_help(
                "smart punctuation is off: type curly quotes (“ ” ‘ ’), or set \
                     `smart_punctuation: true` in book.yaml",
            ),
        );
    }
    if let Some(span) = dashes {
        let what = source(book, span).to_string();
        let more = match dash_count {
            1 => String::new(),
            n => format!(" (the first of {n} in this file)"),
        };
        out.push(
            Diagnostic::new(Code::W0801, format!("`{what}` in the text{more}"))
                .at_span(&book.sources, span)
                .with_help(
                    "smart punctuation is off: type an en dash – or an em dash —, or set \
                     `smart_punctuation: true` in book.yaml",
                ),
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn print_resolution_is_measured_at_the_typesetters_size() {
        // 6×9 in with the default margins: a 4.5 × 7.375 in (324 × 531 pt) text block.
        let pdf = crate::config::PdfConfig::default();
        let block = pdf.text_block();
        assert_eq!((block.width, block.height), (324.0, 531.0));
        let dpi = |w: u32, h: u32| pdf.placed_image(w, h, block.width, block.height).dpi(w);
        assert!((dpi(1350, 900) - 300.0).abs() < 0.5);
        assert!((dpi(675, 450) - 150.0).abs() < 0.5);
        // Small images print at their natural size: still too coarse.
        assert!((dpi(96, 96) - 96.0).abs() < 0.5);
        // A tall image is scaled to the block's height (531 pt), as the typesetter sets a
        // figure taller than the block (less its caption): 600 px across 2.458 in is 244 dpi.
        assert!((dpi(600, 1800) - 244.1).abs() < 0.5);
    }
}
