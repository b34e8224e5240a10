//! Serialises a typeset [`Document`] into PDF bytes. The only module that knows krilla.
//!
//! What it writes:
//! - one PDF page per [`Page`]: MediaBox = `width × height`, a TrimBox always, a BleedBox when
//!   the page has one, and a `/PageLabels` entry (lower-roman or decimal);
//! - glyph runs as real text (subset CID fonts with a ToUnicode map; krilla adds
//!   `/ActualText` where one glyph must read differently in different places);
//! - rules as filled rectangles, images as image XObjects (JPEG bytes passed through with
//!   `DCTDecode`, PNG decoded and deflated; interpolation off);
//! - a named destination per [`Item::Anchor`], link annotations to anchors and URLs;
//! - the nested outline (bookmarks) and the document metadata, in the Info dictionary and XMP;
//! - with [`PdfOptions::accessible`], a tagged PDF/UA-1: the [`Structure`] becomes the tag tree,
//!   each run of items after an [`Item::Mark`] one marked-content sequence (a `Span` of its
//!   element, or an artifact: header, page number, layout), each link annotation a child of its
//!   `Link` element with the link's description as its alt text; krilla checks PDF/UA-1 at
//!   `finish()` and the document title is shown in the title bar (`DisplayDocTitle`);
//! - with [`PdfOptions::archival`], PDF/A-2 (A-2a when tagged, else A-2b), checked by krilla.
//!
//! # Reading order
//! An element with content of its own (a paragraph) reads its content and its child elements
//! (links) in the order they are drawn; any other element (a section, a list, a note) reads its
//! children in the order the [`Structure`] lists them, so a note follows the paragraph that
//! cites it even though it is drawn at the page's foot.
//!
//! # Determinism
//! The same `Document` and [`PdfOptions`] give byte-identical output: nothing reads the clock or
//! the environment, and the creation date comes only from [`PdfOptions::creation_date`].
//!
//! # Text extraction convention
//! Each [`Glyph::text`] range is the glyph's cluster in [`GlyphRun::text`]; the cluster's text
//! becomes the glyph's Unicode mapping. So:
//! - **Ligatures**: the `fi` ligature glyph carries the range of `"fi"` and extracts as `fi`.
//!   A cluster shaped into several glyphs gives the range to each glyph; krilla then wraps the
//!   cluster in `/ActualText` so it extracts once.
//! - **Break hyphens**: the hyphen that the line breaker adds at a line end is a glyph whose
//!   text is a plain hyphen-minus `"-"` appended to the run's text, with the glyph's range
//!   covering it (the same mapping as a hard hyphen, so the font's hyphen glyph has a single
//!   ToUnicode entry and needs no `/ActualText`). Verified with poppler 22: `pdftotext` in its
//!   default mode rejoins the word (`hyphenation`); `pdftotext -raw` and `-layout` print
//!   `hyphen-` and `ation` on their two lines. (Poppler's default mode also joins a *hard*
//!   hyphen at a line end, `well-`/`known` → `wellknown`; that heuristic is poppler's.)
//!   A soft hyphen U+00AD as the text was tried and rejected: krilla then needs `/ActualText`
//!   for every other use of the glyph, and `pdftotext` prints U+00AD followed by `-`.
//! - Spaces need not be glyphs: extractors infer word breaks from gaps between glyphs.

// `Diagnostic` is the crate's one error type (the contract of every stage); boxing it here
// alone would buy nothing.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::num::NonZeroU32;

use std::num::NonZeroU16;

use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::{luma, rgb};
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};
use krilla::destination::{Destination, NamedDestination, XyzDestination};
use krilla::geom::{PathBuilder, Point, Rect as KRect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata as KMetadata, PageLayout};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::{NumberingStyle, PageLabel as KPageLabel, PageSettings};
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact as KArtifact, ArtifactType, ContentTag, Identifier, ListNumbering, SpanTag,
    TableHeaderScope, Tag, TagGroup, TagKind, TagTree,
};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Data, SerializeSettings};

use crate::diag::{Code, Diagnostic};
use crate::model::ImageFormat;
use crate::typeset::frame::{
    Artifact, Document, GlyphRun, Item, LinkTarget, Mark, Metadata, NodeId, OutlineEntry, Page,
    PageLabel, Rect, StructRole, Structure,
};

/// Diagnostic code: krilla refused to write the document (font embedding, image decoding,
/// PDF limits).
const E_KRILLA: Code = Code::E0901;
/// Diagnostic code: the `Document` breaks an invariant of the frame contract (an index out of
/// range, a non-finite coordinate, an unknown anchor). Always a bug in the typesetter.
const E_INVALID_DOCUMENT: Code = Code::E0902;
/// Diagnostic code: `SOURCE_DATE_EPOCH` is not a number of seconds bindery can use.
const E_SOURCE_DATE_EPOCH: Code = Code::E0903;

/// Help for [`E_INVALID_DOCUMENT`]: the user cannot fix these, only report them.
const HELP_TYPESETTER_BUG: &str =
    "this is a bug in bindery's typesetter; please report it with the book that triggers it";

/// Seconds in a day, for converting `SOURCE_DATE_EPOCH` to a calendar date.
const SECONDS_PER_DAY: i64 = 86_400;
/// The latest year a PDF date can hold (four digits).
const MAX_PDF_YEAR: i64 = 9999;

/// The creation date written when PDF/A needs one and neither `SOURCE_DATE_EPOCH` nor the
/// book's date is known: the same fixed day as the EPUB's `dcterms:modified`, so that builds
/// stay byte-identical (bindery never reads the clock).
const FALLBACK_CREATION_DATE: (u16, u8, u8) = (2000, 1, 1);

/// Settings of the PDF writer that do not come from the typeset document.
///
/// `Default` writes a plain, untagged PDF; the reading edition turns on [`PdfOptions::accessible`]
/// and [`PdfOptions::archival`] (from `pdf.accessible` and `pdf.archival` in `book.yaml`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PdfOptions {
    /// Write a tagged PDF/UA-1 (structure tree, artifacts, link descriptions, the title in the
    /// title bar), validated by krilla.
    pub accessible: bool,
    /// Write PDF/A-2 (level a when `accessible`, else b), validated by krilla.
    pub archival: bool,
    /// Creation date in seconds since 1970-01-01 UTC, normally from `SOURCE_DATE_EPOCH` (see
    /// [`PdfOptions::from_source_date_epoch`]). `None` writes no creation date: bindery never
    /// reads the clock, so that builds are reproducible.
    pub creation_date: Option<i64>,
    /// A stable identifier of the book (e.g. its `urn:uuid` or ISBN), hashed into the PDF's
    /// `/ID` and XMP document id. `None` derives the id from the title and authors.
    pub document_id: Option<String>,
    /// Which file to write: the reading edition or a print service's upload file.
    pub target: PdfTarget,
}

/// The PDF's purpose: what it keeps and how it paints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PdfTarget {
    /// The reading edition: bookmarks, links, colour as typeset.
    #[default]
    Reading,
    /// KDP's interior: no bookmarks and no annotations (links are dropped).
    Kdp,
    /// IngramSpark's black-and-white interior: everything in DeviceGray (text, rules, images),
    /// and, as for KDP, no bookmarks or links (PDF/X, which IngramSpark asks for, allows no
    /// annotations on the page).
    IngramSpark,
}

impl PdfTarget {
    fn keeps_outline_and_links(self) -> bool {
        matches!(self, PdfTarget::Reading)
    }

    fn grey(self) -> bool {
        matches!(self, PdfTarget::IngramSpark)
    }
}

impl PdfOptions {
    /// Options with the creation date taken from the value of `SOURCE_DATE_EPOCH`, if set.
    /// The caller reads the environment; this stays pure.
    pub fn from_source_date_epoch(value: Option<&str>) -> Result<PdfOptions, Diagnostic> {
        let creation_date = match value.map(str::trim) {
            None | Some("") => None,
            Some(text) => {
                let seconds: i64 = text.parse().map_err(|_| {
                    Diagnostic::new(
                        E_SOURCE_DATE_EPOCH,
                        format!("SOURCE_DATE_EPOCH `{text}` is not a whole number of seconds"),
                    )
                    .with_help("set it to seconds since 1970-01-01 UTC, e.g. `SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)`, or unset it")
                })?;
                if calendar_from_epoch(seconds).is_none() {
                    return Err(Diagnostic::new(
                        E_SOURCE_DATE_EPOCH,
                        format!("SOURCE_DATE_EPOCH `{text}` is outside the years 1970–9999"),
                    )
                    .with_help("set it to seconds since 1970-01-01 UTC, or unset it"));
                }
                Some(seconds)
            }
        };
        Ok(PdfOptions {
            creation_date,
            ..PdfOptions::default()
        })
    }
}

/// A UTC calendar time, from seconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CalendarTime {
    year: u16,
    /// 1–12.
    month: u8,
    /// 1–31.
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
}

/// Converts seconds since 1970-01-01T00:00:00Z into a UTC calendar time, for years 1970–9999
/// (PDF dates have four-digit years; earlier dates are not plausible build times).
///
/// Days become a civil date by counting 400-year eras of 146 097 days from 0000-03-01, so that
/// the leap day falls at the end of each counted year (the usual proleptic Gregorian method).
fn calendar_from_epoch(seconds: i64) -> Option<CalendarTime> {
    if seconds < 0 {
        return None;
    }
    let days = seconds.div_euclid(SECONDS_PER_DAY);
    let in_day = seconds.rem_euclid(SECONDS_PER_DAY);
    /// Days from 0000-03-01 to 1970-01-01.
    const EPOCH_SHIFT: i64 = 719_468;
    const DAYS_PER_ERA: i64 = 146_097;
    let shifted = days + EPOCH_SHIFT;
    let era = shifted.div_euclid(DAYS_PER_ERA);
    let day_of_era = shifted.rem_euclid(DAYS_PER_ERA);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    // Months counted from March (0) to February (11).
    let march_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * march_month + 2) / 5 + 1;
    let month = if march_month < 10 {
        march_month + 3
    } else {
        march_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    if year > MAX_PDF_YEAR {
        return None;
    }
    Some(CalendarTime {
        year: u16::try_from(year).ok()?,
        month: u8::try_from(month).ok()?,
        day: u8::try_from(day).ok()?,
        hour: u8::try_from(in_day / 3600).ok()?,
        minute: u8::try_from(in_day % 3600 / 60).ok()?,
        second: u8::try_from(in_day % 60).ok()?,
    })
}

/// Where an anchor points: page index and position in pt (y down).
#[derive(Debug, Clone, Copy, PartialEq)]
struct AnchorPos {
    page: usize,
    x: f32,
    y: f32,
}

/// An error about the document's own consistency.
fn invalid(message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(E_INVALID_DOCUMENT, message).with_help(HELP_TYPESETTER_BUG)
}

/// Errors unless every value is finite.
fn check_finite(values: &[f32], what: impl Fn() -> String) -> Result<(), Diagnostic> {
    if values.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        Err(invalid(format!("{} has a non-finite coordinate", what())))
    }
}

/// A frame rectangle (top-left origin, y down) as a krilla rectangle, which uses the same
/// orientation; krilla flips it into PDF user space (bottom-left origin) when it writes boxes
/// and annotation rectangles.
fn to_krilla_rect(rect: Rect, what: impl Fn() -> String) -> Result<KRect, Diagnostic> {
    check_finite(&[rect.x, rect.y, rect.width, rect.height], &what)?;
    KRect::from_xywh(rect.x, rect.y, rect.width, rect.height)
        .filter(|_| rect.width > 0.0 && rect.height > 0.0)
        .ok_or_else(|| invalid(format!("{} has an empty or negative size", what())))
}

/// Writes `doc` as a PDF.
///
/// Errors: [`E_INVALID_DOCUMENT`] when `doc` breaks the frame contract (checked before krilla
/// sees it, since krilla panics on some of these), [`E_KRILLA`] when krilla fails (a font it
/// cannot embed, an image it cannot decode).
pub fn write_pdf(doc: &Document, opts: &PdfOptions) -> Result<Vec<u8>, Diagnostic> {
    let prepared = prepare(doc, &doc.pages, opts)?;
    write_pages(doc, doc.pages.iter(), prepared, opts)
}

/// [`write_pdf`] on a document it owns: each page is dropped as soon as krilla has it, so the
/// typeset pages and krilla's finished page streams are not all held at once (for a 1M-word
/// book the pages are most of the typesetter's 230 MB). Same bytes as [`write_pdf`].
pub fn write_pdf_owned(mut doc: Document, opts: &PdfOptions) -> Result<Vec<u8>, Diagnostic> {
    let pages = std::mem::take(&mut doc.pages);
    let prepared = prepare(&doc, &pages, opts)?;
    write_pages(&doc, pages.into_iter(), prepared, opts)
}

/// What is known of the pages before the first is drawn.
struct Prepared {
    anchors: Anchors,
    tagger: Option<Tagger>,
    page_count: usize,
}

fn prepare(doc: &Document, pages: &[Page], opts: &PdfOptions) -> Result<Prepared, Diagnostic> {
    if pages.is_empty() {
        // A PDF needs at least one page; an empty book is caught earlier, by `check`.
        return Err(invalid("the typeset document has no pages"));
    }
    Ok(Prepared {
        anchors: collect_anchors(pages)?,
        tagger: opts.accessible.then(|| Tagger::new(&doc.structure, pages)),
        page_count: pages.len(),
    })
}

/// Writes `pages` (the document's, which `doc.pages` may no longer hold) with the rest of `doc`.
fn write_pages<P: std::borrow::Borrow<Page>>(
    doc: &Document,
    pages: impl Iterator<Item = P>,
    prepared: Prepared,
    opts: &PdfOptions,
) -> Result<Vec<u8>, Diagnostic> {
    let Prepared {
        anchors,
        mut tagger,
        page_count,
    } = prepared;
    let mut fonts = FontCache::new(doc);
    let mut images: Vec<Option<Image>> = vec![None; doc.images.len()];

    let mut builder = ConfigurationBuilder::new();
    if opts.accessible {
        builder = builder.with_accessibility_validator(Accessibility::UA1);
    }
    if opts.archival {
        builder = builder.with_archival_validator(if opts.accessible {
            Archival::A2_A
        } else {
            Archival::A2_B
        });
    }
    let configuration = builder.finish().map_err(|e| {
        invalid(format!(
            "krilla cannot combine the requested PDF standards: {e:?}"
        ))
    })?;
    let settings = SerializeSettings {
        configuration,
        enable_tagging: opts.accessible,
        ..SerializeSettings::default()
    };

    let mut pdf = krilla::Document::new_with(settings);
    for (index, page) in pages.enumerate() {
        write_page(
            &mut pdf,
            doc,
            index,
            page.borrow(),
            &anchors,
            &mut fonts,
            &mut images,
            opts.target,
            tagger.as_mut(),
        )?;
    }
    if let Some(tagger) = &tagger {
        pdf.set_tag_tree(tagger.tree(&doc.structure, &doc.metadata.language));
    }
    if !opts.target.keeps_outline_and_links() {
        pdf.set_metadata(build_metadata(&doc.metadata, opts)?);
        return pdf.finish().map_err(krilla_error);
    }
    for (name, pos) in anchors.ordered {
        let dest = NamedDestination::new(name.clone(), xyz(pos));
        // `collect_anchors` rejected duplicate names, so this cannot fail.
        pdf.register_named_destination(dest)
            .ok_or_else(|| invalid(format!("anchor `{name}` is defined twice")))?;
    }
    pdf.set_outline(build_outline(&doc.outline, page_count)?);
    pdf.set_metadata(build_metadata(&doc.metadata, opts)?);
    pdf.finish().map_err(krilla_error)
}

/// A child of a structure element as drawn: a marked-content sequence (or a link annotation),
/// or a child element whose first content was drawn at that point.
#[derive(Debug, Clone, Copy)]
enum Kid {
    Content(Identifier),
    Element(NodeId),
}

/// Collects, while pages are drawn, what each structure element holds.
///
/// # Memory
/// Everything the tagger keeps is allocated before the first page is drawn and grows no
/// further: one flat log of events in drawing order, sized from the document's marks and links.
/// krilla compresses each page's content stream when the page is finished, and zlib-rs asks for
/// a deflate state of a few hundred KB each time (glibc serves it from the main heap once its
/// mmap threshold has risen). A small allocation that outlives the page (a per-element list
/// growing while pages are drawn, as the first tagger had) lands in the state's freed block and
/// splits it, so the next page's state takes fresh memory: about 270 KB a page, which more
/// than doubled the peak memory of a tagged book (100k words 64 → 135 MB, 1M words 437 MB →
/// 1.19 GB). The per-element lists are made from the log once, after the last page.
struct Tagger {
    /// In drawing order: an element and a kid it gained (a content sequence, an annotation, or
    /// a child element drawn for the first time). Capacity reserved up front (see above).
    log: Vec<(NodeId, Kid)>,
    /// Per element, whether it holds any content (itself or below).
    seen: Vec<bool>,
    parents: Vec<Option<NodeId>>,
}

/// The kids of every element, in drawing order, in one array (`kids[start[n]..start[n + 1]]`
/// are element `n`'s).
struct Kids {
    start: Vec<usize>,
    kids: Vec<Kid>,
}

impl Kids {
    fn of(&self, node: NodeId) -> &[Kid] {
        let n = node.0 as usize;
        match (self.start.get(n), self.start.get(n + 1)) {
            (Some(&from), Some(&to)) => self.kids.get(from..to).unwrap_or(&[]),
            _ => &[],
        }
    }
}

impl Tagger {
    fn new(structure: &Structure, pages: &[Page]) -> Tagger {
        let n = structure.nodes.len();
        // A content sequence begins only after a content mark, and a link annotation is
        // logged once; each element is logged once as a child when first drawn.
        let events: usize = pages
            .iter()
            .flat_map(|page| &page.items)
            .filter(|item| matches!(item, Item::Mark(Mark::Content(_)) | Item::Link { .. }))
            .count();
        Tagger {
            log: Vec::with_capacity(events + n),
            seen: vec![false; n],
            parents: structure.nodes.iter().map(|n| n.parent).collect(),
        }
    }

    /// Checks that `node` is an element of the structure.
    fn check(&self, node: NodeId, page_index: usize) -> Result<(), Diagnostic> {
        if (node.0 as usize) < self.seen.len() {
            Ok(())
        } else {
            Err(invalid(format!(
                "page {} marks content of structure element {}, but the structure has {}",
                page_index + 1,
                node.0,
                self.seen.len()
            )))
        }
    }

    /// Records `id` as content of `node`, and `node` (and its ancestors) as holding content.
    fn content(&mut self, node: NodeId, id: Identifier) {
        if (node.0 as usize) >= self.seen.len() {
            return;
        }
        self.log.push((node, Kid::Content(id)));
        let mut at = node;
        while let Some(seen) = self.seen.get_mut(at.0 as usize) {
            if *seen {
                break;
            }
            *seen = true;
            let Some(parent) = self.parents.get(at.0 as usize).copied().flatten() else {
                break;
            };
            self.log.push((parent, Kid::Element(at)));
            at = parent;
        }
    }

    /// Every element's kids, grouped from the log (a counting sort, which keeps drawing order).
    fn kids(&self) -> Kids {
        let n = self.seen.len();
        let mut start = vec![0usize; n + 1];
        for (node, _) in &self.log {
            start[node.0 as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut kids = vec![Kid::Element(NodeId(0)); self.log.len()];
        for &(node, kid) in &self.log {
            let slot = &mut fill[node.0 as usize];
            kids[*slot] = kid;
            *slot += 1;
        }
        Kids { start, kids }
    }

    /// The tag tree: every element that holds content, in reading order (see the module doc).
    fn tree(&self, structure: &Structure, language: &str) -> TagTree {
        let kids = self.kids();
        let mut tree =
            TagTree::new().with_lang((!language.is_empty()).then(|| language.to_string()));
        for &top in &structure.top_level {
            if let Some(group) = self.group(structure, &kids, top) {
                tree.push(group);
            }
        }
        tree
    }

    fn group(&self, structure: &Structure, kids: &Kids, id: NodeId) -> Option<TagGroup> {
        let index = id.0 as usize;
        if !self.seen.get(index).copied().unwrap_or(false) {
            return None;
        }
        let node = structure.get(id)?;
        let own = kids.of(id);
        let mut group = TagGroup::new(tag_kind(&node.role));
        if own.iter().any(|k| matches!(k, Kid::Content(_))) {
            for kid in own {
                match *kid {
                    Kid::Content(content) => group.push(content),
                    Kid::Element(child) => {
                        if let Some(g) = self.group(structure, kids, child) {
                            group.push(g);
                        }
                    }
                }
            }
        } else {
            for &child in &node.children {
                if let Some(g) = self.group(structure, kids, child) {
                    group.push(g);
                }
            }
        }
        (!group.children.is_empty()).then_some(group)
    }
}

/// The PDF structure type of an element.
fn tag_kind(role: &StructRole) -> TagKind {
    match role {
        StructRole::Section { lang } => Tag::Section.with_lang(lang.clone()).into(),
        StructRole::Span { lang } => Tag::Span.with_lang(Some(lang.clone())).into(),
        StructRole::Heading { level, title } => Tag::Hn(
            NonZeroU16::new(u16::from((*level).clamp(1, 6))).unwrap_or(NonZeroU16::MIN),
            Some(title.clone()),
        )
        .into(),
        StructRole::Paragraph => Tag::P.into(),
        // Role-mapped to P in PDF 1.7 (krilla writes the RoleMap).
        StructRole::Title => Tag::Title.into(),
        StructRole::BlockQuote => Tag::BlockQuote.into(),
        StructRole::List { ordered } => Tag::L(if *ordered {
            ListNumbering::Decimal
        } else {
            ListNumbering::Disc
        })
        .into(),
        StructRole::ListItem => Tag::LI.into(),
        StructRole::ListLabel => Tag::Lbl.into(),
        StructRole::ListBody => Tag::LBody.into(),
        StructRole::Table => Tag::Table.into(),
        StructRole::TableRow => Tag::TR.into(),
        StructRole::TableHeader => Tag::TH(TableHeaderScope::Column).into(),
        StructRole::TableCell => Tag::TD.into(),
        StructRole::Figure { alt } => Tag::Figure(Some(alt.clone())).into(),
        StructRole::Caption => Tag::Caption.into(),
        StructRole::Code => Tag::Code.into(),
        StructRole::Link { .. } => Tag::Link.into(),
        StructRole::Note => Tag::Note.into(),
        StructRole::Toc => Tag::TOC.into(),
        StructRole::TocItem => Tag::TOCI.into(),
    }
}

/// The marked-content tag of a mark.
fn content_tag(mark: Option<Mark>) -> ContentTag<'static> {
    let artifact = |kind| ContentTag::Artifact(KArtifact::with_kind(kind));
    match mark {
        Some(Mark::Content(_)) => ContentTag::Span(SpanTag::empty()),
        Some(Mark::Artifact(Artifact::Header)) => artifact(ArtifactType::Header),
        Some(Mark::Artifact(Artifact::PageNumber)) => artifact(ArtifactType::PageNumber),
        Some(Mark::Artifact(Artifact::Layout)) | None => artifact(ArtifactType::Layout),
    }
}

/// The anchors of a document, in page order, with a lookup by name.
struct Anchors {
    ordered: Vec<(String, AnchorPos)>,
    by_name: HashMap<String, AnchorPos>,
}

/// Collects every [`Item::Anchor`], rejecting a name used twice.
fn collect_anchors(pages: &[Page]) -> Result<Anchors, Diagnostic> {
    let mut anchors = Anchors {
        ordered: Vec::new(),
        by_name: HashMap::new(),
    };
    for (page_index, page) in pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Anchor { name, x, y } = item {
                check_finite(&[*x, *y], || {
                    format!("anchor `{name}` on page {}", page_index + 1)
                })?;
                let pos = AnchorPos {
                    page: page_index,
                    x: *x,
                    y: *y,
                };
                if let Some(first) = anchors.by_name.insert(name.clone(), pos) {
                    return Err(invalid(format!(
                        "anchor `{name}` is defined twice (pages {} and {})",
                        first.page + 1,
                        page_index + 1
                    )));
                }
                anchors.ordered.push((name.clone(), pos));
            }
        }
    }
    Ok(anchors)
}

fn xyz(pos: AnchorPos) -> XyzDestination {
    XyzDestination::new(pos.page, Point::from_xy(pos.x, pos.y))
}

/// krilla fonts, created on first use so that only faces a run uses are embedded.
struct FontCache<'a> {
    doc: &'a Document,
    fonts: Vec<Option<Font>>,
}

impl<'a> FontCache<'a> {
    fn new(doc: &'a Document) -> Self {
        FontCache {
            doc,
            fonts: vec![None; doc.fonts.len()],
        }
    }

    fn get(&mut self, run: &GlyphRun) -> Result<Font, Diagnostic> {
        let index = run.font.0 as usize;
        let data = self.doc.fonts.get(index).ok_or_else(|| {
            invalid(format!(
                "a glyph run uses font {index}, but the document has {} fonts",
                self.doc.fonts.len()
            ))
        })?;
        if let Some(Some(font)) = self.fonts.get(index) {
            return Ok(font.clone());
        }
        let font = Font::new(Data::from(data.data.clone()), data.index).ok_or_else(|| {
            Diagnostic::new(
                E_KRILLA,
                format!(
                    "font {index} (face {} of its file) cannot be read for embedding",
                    data.index
                ),
            )
            .with_help("use an OpenType (.otf) or TrueType (.ttf) file in `pdf.fonts`")
        })?;
        self.fonts[index] = Some(font.clone());
        Ok(font)
    }
}

/// The page's label in a reader's page box: its folio. A folio in other digits than European
/// ones ("١٢" in Egyptian Arabic) is written out as the label's text, since a PDF numbering
/// style counts in European digits only.
fn page_label(
    label: PageLabel,
    page_index: usize,
    digits: crate::lang::Digits,
) -> Result<KPageLabel, Diagnostic> {
    if let (PageLabel::Arabic(_), false) = (label, digits.is_latin()) {
        let text = crate::typeset::page::folio_text(label, digits);
        return Ok(KPageLabel::new(None, Some(text), None));
    }
    let (style, number) = match label {
        PageLabel::Roman(n) => (NumberingStyle::LowerRoman, n),
        PageLabel::Arabic(n) => (NumberingStyle::Arabic, n),
    };
    let number = NonZeroU32::new(number).ok_or_else(|| {
        invalid(format!(
            "page {} has page number 0; page labels start at 1",
            page_index + 1
        ))
    })?;
    Ok(KPageLabel::new(Some(style), None, Some(number)))
}

// The writer's state goes in piece by piece, so that each borrow (fonts, images, the tagger)
// stays separate from the document it reads.
#[allow(clippy::too_many_arguments)]
fn write_page(
    pdf: &mut krilla::Document,
    doc: &Document,
    index: usize,
    page: &Page,
    anchors: &Anchors,
    fonts: &mut FontCache<'_>,
    images: &mut [Option<Image>],
    target: PdfTarget,
    mut tagger: Option<&mut Tagger>,
) -> Result<(), Diagnostic> {
    let where_ = |what: &str| format!("{what} on page {}", index + 1);
    check_finite(&[page.width, page.height], || where_("the page size"))?;
    let size = Size::from_wh(page.width, page.height)
        .ok_or_else(|| invalid(format!("page {} has an empty size", index + 1)))?;
    let trim = to_krilla_rect(page.trim_box, || where_("the trim box"))?;
    let bleed = page
        .bleed_box
        .map(|b| to_krilla_rect(b, || where_("the bleed box")))
        .transpose()?;
    let settings = PageSettings::new(size)
        .with_trim_box(Some(trim))
        .with_bleed_box(bleed)
        .with_page_label(page_label(page.label, index, doc.metadata.digits)?);

    // Build every annotation first: a failure must not leave a half-drawn page behind, and
    // annotations can only be added once the surface is finished.
    let mut annotations = Vec::new();
    let mut mark = None;
    for item in &page.items {
        if let Item::Mark(m) = item {
            mark = Some(*m);
        }
        // Upload files for print services carry no annotations.
        if !target.keeps_outline_and_links() {
            continue;
        }
        if let Item::Link { rect, target } = item {
            let krect = to_krilla_rect(*rect, || where_("a link"))?;
            let target = match target {
                LinkTarget::Url(url) => Target::Action(Action::Link(LinkAction::new(url.clone()))),
                LinkTarget::Anchor(name) => {
                    let pos = anchors.by_name.get(name).ok_or_else(|| {
                        invalid(format!(
                            "a link on page {} points to anchor `{name}`, which no page defines",
                            index + 1
                        ))
                    })?;
                    Target::Destination(Destination::Named(NamedDestination::new(
                        name.clone(),
                        xyz(*pos),
                    )))
                }
            };
            // The link's element, and its description for assistive technology.
            let node = match mark {
                Some(Mark::Content(node)) => Some(node),
                _ => None,
            };
            let described = node
                .and_then(|n| doc.structure.get(n))
                .and_then(|n| match &n.role {
                    StructRole::Link { description } => Some(description.clone()),
                    _ => None,
                });
            let description = described.unwrap_or_else(|| match item {
                Item::Link {
                    target: LinkTarget::Url(url),
                    ..
                } => url.clone(),
                Item::Link {
                    target: LinkTarget::Anchor(name),
                    ..
                } => name.clone(),
                _ => String::new(),
            });
            annotations.push((
                Annotation::new_link(LinkAnnotation::new(krect, target), Some(description)),
                node,
            ));
        }
    }
    if let Some(tagger) = tagger.as_deref() {
        for item in &page.items {
            if let Item::Mark(Mark::Content(node)) = item {
                tagger.check(*node, index)?;
            }
        }
    }

    let mut kpage = pdf.start_page_with(settings);
    let mut surface = kpage.surface();
    let paint = Paint {
        grey: target.grey(),
    };
    let mut marker = Marker {
        tagger: tagger.as_deref_mut(),
        mark: None,
        open: None,
    };
    let drawn = draw_items(
        &mut surface,
        doc,
        index,
        page,
        fonts,
        images,
        paint,
        &mut marker,
    );
    marker.close(&mut surface);
    surface.finish();
    drawn?;
    for (annotation, node) in annotations {
        match (tagger.as_deref_mut(), node) {
            (Some(tagger), Some(node)) => {
                let id = kpage.add_tagged_annotation(annotation);
                tagger.content(node, id);
            }
            _ => kpage.add_annotation(annotation),
        }
    }
    kpage.finish();
    Ok(())
}

/// How a page is painted.
#[derive(Debug, Clone, Copy)]
struct Paint {
    /// Everything in DeviceGray (IngramSpark's black-and-white interior).
    grey: bool,
}

/// Rec. 601 luma weights, the usual conversion of RGB to one grey.
const LUMA_WEIGHTS: [f32; 3] = [0.299, 0.587, 0.114];

/// The marked-content state of a page being drawn.
struct Marker<'t> {
    /// `None` when the document is not tagged.
    tagger: Option<&'t mut Tagger>,
    /// The mark in effect (the last [`Item::Mark`] seen).
    mark: Option<Mark>,
    /// The mark of the open marked-content sequence, if one is open.
    open: Option<Option<Mark>>,
}

impl Marker<'_> {
    /// Opens a marked-content sequence for the mark in effect, unless one is open for it.
    fn before_drawing(&mut self, surface: &mut Surface<'_>) {
        let Some(tagger) = self.tagger.as_deref_mut() else {
            return;
        };
        if self.open == Some(self.mark) {
            return;
        }
        if self.open.is_some() {
            surface.end_tagged();
        }
        let id = surface.start_tagged(content_tag(self.mark));
        if let Some(Mark::Content(node)) = self.mark {
            tagger.content(node, id);
        }
        self.open = Some(self.mark);
    }

    fn close(&mut self, surface: &mut Surface<'_>) {
        if self.open.take().is_some() {
            surface.end_tagged();
        }
    }
}

/// An opaque fill in an sRGB colour given as 0–1 components, or its grey under `paint.grey`.
fn solid_fill(color: [f32; 3], paint: Paint) -> Fill {
    /// Steps of an 8-bit colour channel, krilla's colour resolution.
    const CHANNEL_MAX: f32 = 255.0;
    let channel = |c: f32| (c.clamp(0.0, 1.0) * CHANNEL_MAX).round() as u8;
    let paint = if paint.grey {
        let grey: f32 = color.iter().zip(LUMA_WEIGHTS).map(|(c, w)| c * w).sum();
        luma::Color::new(channel(grey)).into()
    } else {
        rgb::Color::new(channel(color[0]), channel(color[1]), channel(color[2])).into()
    };
    Fill {
        paint,
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

// Eight arguments: the page, its document and index, the two caches, the paint and the
// marked-content state are all needed while drawing, and bundling them would only rename them.
#[allow(clippy::too_many_arguments)]
fn draw_items(
    surface: &mut Surface<'_>,
    doc: &Document,
    index: usize,
    page: &Page,
    fonts: &mut FontCache<'_>,
    images: &mut [Option<Image>],
    paint: Paint,
    marker: &mut Marker<'_>,
) -> Result<(), Diagnostic> {
    let where_ = |what: &str| format!("{what} on page {}", index + 1);
    for item in &page.items {
        match item {
            Item::Mark(mark) => marker.mark = Some(*mark),
            Item::Glyphs(run) => {
                if !run.glyphs.is_empty() {
                    marker.before_drawing(surface);
                }
                draw_run(surface, run, index, fonts, paint)?
            }
            Item::Turned(run) => {
                // Turned a quarter clockwise about the pen position: reads top to bottom.
                check_finite(&[run.x, run.y], || where_("a turned glyph run"))?;
                if !run.glyphs.is_empty() {
                    marker.before_drawing(surface);
                }
                surface.push_transform(&Transform::from_row(0.0, 1.0, -1.0, 0.0, run.x, run.y));
                let at_origin = GlyphRun {
                    x: 0.0,
                    y: 0.0,
                    ..run.clone()
                };
                let drawn = draw_run(surface, &at_origin, index, fonts, paint);
                surface.pop();
                drawn?;
            }
            Item::Rule {
                x,
                y,
                width,
                thickness,
            } => {
                check_finite(&[*x, *y, *width, *thickness], || where_("a rule"))?;
                // A rule with no extent draws nothing; that is not an error.
                if *width <= 0.0 || *thickness <= 0.0 {
                    continue;
                }
                let Some(rect) = KRect::from_xywh(*x, *y, *width, *thickness) else {
                    continue;
                };
                let mut builder = PathBuilder::new();
                builder.push_rect(rect);
                if let Some(path) = builder.finish() {
                    marker.before_drawing(surface);
                    surface.set_fill(Some(solid_fill([0.0; 3], paint)));
                    surface.draw_path(&path);
                }
            }
            Item::Image { image, rect } | Item::TurnedImage { image, rect } => {
                let turned = matches!(item, Item::TurnedImage { .. });
                let data = doc.images.get(*image).ok_or_else(|| {
                    invalid(format!(
                        "page {} uses image {image}, but the document has {} images",
                        index + 1,
                        doc.images.len()
                    ))
                })?;
                let krect = to_krilla_rect(*rect, || where_("an image"))?;
                let (w, h) = if turned {
                    (krect.height(), krect.width())
                } else {
                    (krect.width(), krect.height())
                };
                let embed_error = |e: String| {
                    Diagnostic::new(E_KRILLA, format!("image {image} cannot be embedded: {e}"))
                        .with_help("re-save the image as an 8-bit PNG or a baseline JPEG")
                };
                // A drawing is drawn as vectors, except on a grey-only page, where it is a grey
                // picture of its printed size (not cached: its size is this placement's).
                let drawing = match (data.format, paint.grey) {
                    (ImageFormat::Svg, false) => {
                        Some(crate::svg::tree(&data.data).map_err(embed_error)?)
                    }
                    _ => None,
                };
                let kimage = match (&images[*image], &drawing) {
                    (_, Some(_)) => None,
                    (Some(kimage), None) => Some(kimage.clone()),
                    (None, None) => {
                        // Interpolation off: PDF/A requires it, and print shops want pixels
                        // as they are.
                        let made = if data.format == ImageFormat::Svg {
                            crate::svg::grey_png(&data.data, w, h).and_then(|png| {
                                Image::from_png(Data::from(png), false).map_err(|e| e.to_string())
                            })
                        } else if paint.grey {
                            // Decoded and re-encoded as an 8-bit grey PNG (lossless), so the
                            // XObject is DeviceGray.
                            crate::assets::grey_png(&data.data, data.format)
                                .map_err(|e| format!("{e}"))
                                .and_then(|png| {
                                    Image::from_png(Data::from(png), false)
                                        .map_err(|e| e.to_string())
                                })
                        } else {
                            let bytes = Data::from(data.data.clone());
                            match data.format {
                                ImageFormat::Jpeg => Image::from_jpeg(bytes, false),
                                _ => Image::from_png(bytes, false),
                            }
                            .map_err(|e| e.to_string())
                        };
                        let kimage = made.map_err(embed_error)?;
                        if data.format != ImageFormat::Svg {
                            images[*image] = Some(kimage.clone());
                        }
                        Some(kimage)
                    }
                };
                let size = Size::from_wh(w, h)
                    .ok_or_else(|| invalid(where_("an image with an empty size")))?;
                marker.before_drawing(surface);
                if turned {
                    // A quarter clockwise about the rectangle's top right corner.
                    surface.push_transform(&Transform::from_row(
                        0.0,
                        1.0,
                        -1.0,
                        0.0,
                        krect.right(),
                        krect.top(),
                    ));
                } else {
                    surface.push_transform(&Transform::from_translate(krect.left(), krect.top()));
                }
                match (kimage, &drawing) {
                    (Some(kimage), _) => surface.draw_image(kimage, size),
                    (None, Some(tree)) => {
                        let settings = krilla_svg::SvgSettings {
                            // Outlines: the drawing's text is already outlined (`crate::svg`).
                            embed_text: false,
                            ..krilla_svg::SvgSettings::default()
                        };
                        krilla_svg::SurfaceExt::draw_svg(surface, tree, size, settings);
                    }
                    (None, None) => {}
                }
                surface.pop();
            }
            // Written as annotations and destinations, not drawn.
            Item::Link { .. } | Item::Anchor { .. } => {}
        }
    }
    Ok(())
}

fn draw_run(
    surface: &mut Surface<'_>,
    run: &GlyphRun,
    page_index: usize,
    fonts: &mut FontCache<'_>,
    paint: Paint,
) -> Result<(), Diagnostic> {
    if run.glyphs.is_empty() {
        return Ok(());
    }
    let what = || format!("a glyph run on page {} (`{}`)", page_index + 1, run.text);
    check_finite(&[run.x, run.y, run.size], what)?;
    if run.size <= 0.0 {
        return Err(invalid(format!("{} has font size {}", what(), run.size)));
    }
    let mut glyphs = Vec::with_capacity(run.glyphs.len());
    let safe = MappableText::of(&run.text);
    for glyph in &run.glyphs {
        check_finite(&[glyph.x_advance, glyph.x_offset, glyph.y_offset], what)?;
        let range = glyph.text.start as usize..glyph.text.end as usize;
        // krilla slices the text with these ranges, which panics off a char boundary.
        if range.start > range.end
            || !run.text.is_char_boundary(range.start)
            || !run.text.is_char_boundary(range.end)
        {
            return Err(invalid(format!(
                "{} has glyph {} with text range {range:?}, not a valid range of its text",
                what(),
                glyph.id
            )));
        }
        // frame glyphs are in pt with y down; krilla wants fractions of the font size with
        // y offsets up (HarfBuzz's convention).
        glyphs.push(KrillaGlyph::new(
            GlyphId::new(u32::from(glyph.id)),
            glyph.x_advance / run.size,
            glyph.x_offset / run.size,
            -glyph.y_offset / run.size,
            0.0,
            safe.range(range),
            None,
        ));
    }
    // Right-to-left glyphs come in visual order (`GlyphRun::rtl`); they are written in
    // logical order instead, from the run's right edge leftwards: each is placed by its offset
    // and moves the pen back by its advance. The page looks the same, and the content stream
    // reads in logical order, which is what a screen reader following the tag tree reads (and
    // krilla needs no `/ReversedChars`, which few readers honour).
    let mut pen = 0.0;
    if run.rtl {
        glyphs.reverse();
        for g in &mut glyphs {
            pen += g.x_advance * run.size;
            g.x_offset -= g.x_advance;
            g.x_advance = -g.x_advance;
        }
    }
    let font = fonts.get(run)?;
    surface.set_fill(Some(solid_fill(run.color, paint)));
    check_finite(&[run.scale_x], what)?;
    if run.scale_x <= 0.0 {
        return Err(invalid(format!("{} has scale {}", what(), run.scale_x)));
    }
    if run.scale_x == 1.0 {
        surface.draw_glyphs(
            Point::from_xy(run.x + pen, run.y),
            &glyphs,
            font,
            safe.text(),
            run.size,
            false,
        );
    } else {
        // Font expansion: the run is scaled horizontally about its pen position.
        surface.push_transform(&Transform::from_row(
            run.scale_x,
            0.0,
            0.0,
            1.0,
            run.x,
            run.y,
        ));
        surface.draw_glyphs(
            Point::from_xy(pen, 0.0),
            &glyphs,
            font,
            safe.text(),
            run.size,
            false,
        );
        surface.pop();
    }
    Ok(())
}

/// A run's text as the PDF's glyph-to-text map may carry it. PDF/A and PDF/UA forbid mapping a
/// glyph to U+0000, U+FEFF or U+FFFE, or to a private-use character, and krilla refuses the
/// whole file when one is there. Such characters can stand in a manuscript (a NUL pasted from a
/// terminal, a byte-order mark inside a paragraph, an icon font's private-use code point), so
/// each is mapped to U+FFFD instead (CommonMark's own rule for NUL); the glyph drawn is the
/// same, only what a reader copies changes. Glyph text ranges are moved to match.
enum MappableText<'a> {
    /// Nothing to replace: the run's own text.
    Same(&'a str),
    /// The replaced text, and for each byte offset of the original its offset in `text`.
    Replaced { text: String, offsets: Vec<usize> },
}

impl<'a> MappableText<'a> {
    fn forbidden(c: char) -> bool {
        matches!(
            c as u32,
            0x0 | 0xFEFF | 0xFFFE | 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD
        )
    }

    fn of(text: &'a str) -> Self {
        if !text.chars().any(Self::forbidden) {
            return MappableText::Same(text);
        }
        let mut out = String::with_capacity(text.len() + 8);
        let mut offsets = vec![0; text.len() + 1];
        for (at, c) in text.char_indices() {
            let start = out.len();
            out.push(if Self::forbidden(c) { '\u{FFFD}' } else { c });
            for (i, slot) in offsets[at..at + c.len_utf8()].iter_mut().enumerate() {
                // Only char boundaries are ever asked for; inner bytes keep the char's start.
                *slot = if i == 0 { start } else { out.len() };
            }
        }
        offsets[text.len()] = out.len();
        MappableText::Replaced { text: out, offsets }
    }

    fn text(&self) -> &str {
        match self {
            MappableText::Same(text) => text,
            MappableText::Replaced { text, .. } => text,
        }
    }

    fn range(&self, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
        match self {
            MappableText::Same(_) => range,
            MappableText::Replaced { offsets, .. } => offsets[range.start]..offsets[range.end],
        }
    }
}

fn build_outline(entries: &[OutlineEntry], page_count: usize) -> Result<Outline, Diagnostic> {
    fn to_node(entry: &OutlineEntry, page_count: usize) -> Result<OutlineNode, Diagnostic> {
        if entry.page >= page_count {
            return Err(invalid(format!(
                "bookmark `{}` points to page {}, but the document has {page_count} pages",
                entry.title,
                entry.page + 1
            )));
        }
        check_finite(&[entry.y], || format!("bookmark `{}`", entry.title))?;
        let dest = XyzDestination::new(entry.page, Point::from_xy(0.0, entry.y));
        let mut node = OutlineNode::new(entry.title.clone(), dest);
        for child in &entry.children {
            node.push_child(to_node(child, page_count)?);
        }
        Ok(node)
    }
    let mut outline = Outline::new();
    for entry in entries {
        outline.push_child(to_node(entry, page_count)?);
    }
    Ok(outline)
}

/// The Info dictionary and XMP metadata. `subtitle`, `publisher` and the publication `date`
/// have no field there and are left out; the creation date is the build's
/// ([`PdfOptions::creation_date`]), never the publication date.
fn build_metadata(meta: &Metadata, opts: &PdfOptions) -> Result<KMetadata, Diagnostic> {
    let mut out = KMetadata::new()
        .title(meta.title.clone())
        .authors(meta.authors.clone())
        .keywords(meta.keywords.clone())
        .creator(format!("bindery {}", env!("CARGO_PKG_VERSION")))
        // Facing pages with page 1 on the right, as a printed book opens.
        .page_layout(PageLayout::TwoPageRight);
    if !meta.language.is_empty() {
        out = out.language(meta.language.clone());
    }
    if let Some(description) = &meta.description {
        out = out.description(description.clone());
    }
    if let Some(id) = &opts.document_id {
        out = out.document_id(id.clone());
    }
    if opts.creation_date.is_none() && opts.archival {
        // PDF/A needs a date: the book's, else a fixed one (never the clock).
        let (year, month, day) = meta.date.unwrap_or(FALLBACK_CREATION_DATE);
        out = out.creation_date(
            DateTime::new(year)
                .month(month.clamp(1, 12))
                .day(day.clamp(1, 31))
                .hour(0)
                .minute(0)
                .second(0)
                .utc_offset_hour(0)
                .utc_offset_minute(0),
        );
    }
    if let Some(seconds) = opts.creation_date {
        let t = calendar_from_epoch(seconds).ok_or_else(|| {
            Diagnostic::new(
                E_SOURCE_DATE_EPOCH,
                format!("creation date {seconds} is outside the years 1970–9999"),
            )
            .with_help("set SOURCE_DATE_EPOCH to seconds since 1970-01-01 UTC, or unset it")
        })?;
        out = out.creation_date(
            DateTime::new(t.year)
                .month(t.month)
                .day(t.day)
                .hour(t.hour)
                .minute(t.minute)
                .second(t.second)
                .utc_offset_hour(0)
                .utc_offset_minute(0),
        );
    }
    Ok(out)
}

/// Converts krilla's error, once, into a diagnostic.
fn krilla_error(error: krilla::error::KrillaError) -> Diagnostic {
    use krilla::error::KrillaError;
    let help = match &error {
        KrillaError::Font(..) => {
            "a font cannot be embedded; try another font file in `pdf.fonts` in book.yaml"
        }
        KrillaError::Image(..) | KrillaError::SixteenBitImage(..) => {
            "re-save the image as an 8-bit PNG or a baseline JPEG"
        }
        _ => HELP_TYPESETTER_BUG,
    };
    // A validation failure names each broken rule, so that a report says which one.
    let message = match &error {
        KrillaError::Validation(errors) => format!(
            "cannot write the PDF: validation failed: {}",
            errors
                .iter()
                .map(|e| format!("{e:?}"))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        _ => format!("cannot write the PDF: {error}"),
    };
    Diagnostic::new(E_KRILLA, message).with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_converts_to_utc_calendar_time() {
        let t = |s| calendar_from_epoch(s).unwrap();
        assert_eq!(
            t(0),
            CalendarTime {
                year: 1970,
                month: 1,
                day: 1,
                hour: 0,
                minute: 0,
                second: 0
            }
        );
        // 2000-02-29T12:34:56Z, a leap day in a century leap year.
        assert_eq!(
            t(951_827_696),
            CalendarTime {
                year: 2000,
                month: 2,
                day: 29,
                hour: 12,
                minute: 34,
                second: 56
            }
        );
        // 2026-11-25T06:00:00Z.
        let d = t(1_795_586_400);
        assert_eq!((d.year, d.month, d.day, d.hour), (2026, 11, 25, 6));
        // 2100-03-01 follows 2100-02-28 (2100 is not a leap year).
        let d = t(4_107_542_400);
        assert_eq!((d.year, d.month, d.day), (2100, 3, 1));
        assert_eq!(calendar_from_epoch(-1), None);
        assert_eq!(calendar_from_epoch(i64::MAX), None);
    }

    #[test]
    fn source_date_epoch_is_parsed_or_reported() {
        assert_eq!(
            PdfOptions::from_source_date_epoch(None).unwrap(),
            PdfOptions::default()
        );
        assert_eq!(
            PdfOptions::from_source_date_epoch(Some(" 42 "))
                .unwrap()
                .creation_date,
            Some(42)
        );
        let err = PdfOptions::from_source_date_epoch(Some("yesterday")).unwrap_err();
        assert_eq!(err.code, E_SOURCE_DATE_EPOCH);
        assert!(err.help.is_some());
        assert!(PdfOptions::from_source_date_epoch(Some("-5")).is_err());
    }

    #[test]
    fn invalid_documents_are_diagnosed_not_panicked() {
        let page = Page {
            width: 100.0,
            height: 100.0,
            trim_box: Rect {
                x: 0.0,
                y: 0.0,
                width: 100.0,
                height: 100.0,
            },
            bleed_box: None,
            label: PageLabel::Arabic(1),
            items: vec![Item::Link {
                rect: Rect {
                    x: 1.0,
                    y: 1.0,
                    width: 5.0,
                    height: 5.0,
                },
                target: LinkTarget::Anchor("nowhere".into()),
            }],
        };
        let mut doc = Document {
            pages: vec![page],
            ..Document::default()
        };
        let err = write_pdf(&doc, &PdfOptions::default()).unwrap_err();
        assert_eq!(err.code, E_INVALID_DOCUMENT);
        assert!(err.message.contains("nowhere"));

        doc.pages[0].items.clear();
        doc.outline.push(OutlineEntry {
            title: "Lost".into(),
            page: 3,
            y: 0.0,
            children: vec![],
        });
        let err = write_pdf(&doc, &PdfOptions::default()).unwrap_err();
        assert!(err.message.contains("Lost"));

        doc.outline.clear();
        doc.pages[0].label = PageLabel::Roman(0);
        assert!(write_pdf(&doc, &PdfOptions::default()).is_err());
        doc.pages[0].label = PageLabel::Roman(1);
        assert!(write_pdf(&doc, &PdfOptions::default()).is_ok());
        doc.pages.clear();
        assert_eq!(
            write_pdf(&doc, &PdfOptions::default()).unwrap_err().code,
            E_INVALID_DOCUMENT
        );
    }
}
