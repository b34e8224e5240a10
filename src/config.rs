//! `book.yaml` → typed [`BookConfig`]. The only module that knows YAML (serde-saphyr).
//!
//! Unknown keys are rejected with a "did you mean" suggestion, and every error points at the
//! line and column of `book.yaml`.

use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diag::{suggest, Code, Diagnostic, Location};

/// The book's metadata and settings, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct BookConfig {
    pub title: String,
    pub subtitle: Option<String>,
    /// At least one author.
    pub authors: Vec<String>,
    /// BCP 47 language tag, e.g. `en` or `en-GB`.
    pub language: String,
    pub identifier: Identifier,
    pub publisher: Option<String>,
    /// Publication date, parsed once (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub date: Option<Date>,
    pub rights: Option<String>,
    pub description: Option<String>,
    pub series: Option<Series>,
    /// Cover image, relative to the book root.
    pub cover: Option<String>,
    /// Manuscript files or glob patterns, relative to the book root, in reading order.
    /// `None` means `manuscript/*.md` in name order.
    pub manuscript: Option<Vec<String>>,
    /// Heading levels shown in the contents (1 = articles only).
    pub toc_depth: u8,
    pub footnote_numbering: FootnoteNumbering,
    /// `figures:` how figures (and tables) are numbered.
    pub figures: FiguresConfig,
    /// Curly quotes and dashes from `"`, `'`, `--`, `---`.
    pub smart_punctuation: bool,
    /// The words the book supplies in place of bindery's (`words:`, and `contents_title:`
    /// as the word `contents`): a column of `locale/words.tsv` and the book's word, each
    /// checked ([`crate::locale::check_word`]), in the order written. [`BookConfig::words`]
    /// puts them in place.
    pub words: Vec<(&'static str, String)>,
    /// `contents:` the optional lists after the contents (of figures, of tables).
    pub contents: ContentsConfig,
    /// Words hyphenated the book's way (`ta-ble-cloth`), or never (`Sihanouk`), from
    /// `hyphenation: { exceptions: [...] }`, as written.
    pub hyphenation_exceptions: Vec<String>,
    pub epub: EpubConfig,
    pub pdf: PdfConfig,
    pub links: LinksConfig,
    pub chapters: ChaptersConfig,
}

/// `contents:` in book.yaml: the lists set after the contents, in both editions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContentsConfig {
    /// `figures: true`: a list of the numbered (captioned) figures, with their pages in print.
    pub figures: bool,
    /// `tables: true`: a list of the numbered (captioned) tables, likewise.
    pub tables: bool,
}

/// `chapters:` in book.yaml: what a chapter opening shows besides its title.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChaptersConfig {
    /// `byline: true`: the front matter's authors and date under each chapter's title.
    pub byline: bool,
}

/// `links:` in book.yaml: what becomes of links that point outside the book.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinksConfig {
    /// The address relative links are resolved against when their target is not in the book
    /// (as HTML's `<base href>`): `LICENSE` becomes `<base_url>LICENSE`, `/docs/x` becomes the
    /// base's origin + `/docs/x`. `None`: such links become plain text.
    pub base_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Identifier {
    /// `urn:uuid:…`; generated deterministically from the title and authors when not given.
    Uuid(String),
    /// A 13-digit ISBN (digits only, checksum verified).
    Isbn(String),
}

impl Identifier {
    /// The identifier as written in `dc:identifier`.
    pub fn urn(&self) -> String {
        match self {
            Identifier::Uuid(u) => format!("urn:uuid:{u}"),
            Identifier::Isbn(i) => format!("urn:isbn:{i}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    /// Position of this book in the series (1-based).
    pub position: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FootnoteNumbering {
    /// 1, 2, 3 … through the whole book.
    Book,
    /// Restart at 1 in every article.
    #[default]
    Chapter,
}

/// `figures:` in book.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FiguresConfig {
    /// "Figure 3" through the book, or "Figure 2.3" (chapter 2's third); tables alike.
    pub numbering: FigureNumbering,
}

/// `figures: { numbering: book|chapter }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FigureNumbering {
    /// 1, 2, 3 … through the whole book.
    #[default]
    Book,
    /// The chapter's number, a full stop and the figure's number in it: 2.1, 2.2 …
    Chapter,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct EpubConfig {
    /// Embed the book's fonts in the EPUB.
    pub embed_fonts: bool,
    /// Overrides the generated `schema:accessibilitySummary`.
    pub accessibility_summary: Option<String>,
    /// Mark where each page of the print edition begins, with a page list in the nav (the
    /// EPUB build then typesets the book to know where).
    pub print_page_numbers: bool,
}

/// Print settings. Lengths are in pt.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfConfig {
    /// Trim width and height.
    pub trim_width: f32,
    pub trim_height: f32,
    pub margin_inner: f32,
    pub margin_outer: f32,
    pub margin_top: f32,
    pub margin_bottom: f32,
    /// Body font size.
    pub font_size: f32,
    /// Baseline-to-baseline distance of body text.
    pub leading: f32,
    /// Add 0.125 in of bleed on every side (MediaBox grown, TrimBox and BleedBox set).
    pub bleed: bool,
    pub ragged_right: bool,
    pub hyphenate: bool,
    /// Put the cover image on page one.
    pub cover_page: bool,
    /// Cross-references say where their target is, as LaTeX's varioref does: "Figure 2.3 on
    /// page 37", "on the facing page", "on the next page" (nothing on the same page).
    pub page_references: bool,
    /// Write a tagged PDF/UA-1 (on by default).
    pub accessible: bool,
    /// Write PDF/A-2: A-2a with `accessible`, else A-2b (on by default).
    pub archival: bool,
    pub fonts: FontsConfig,
    /// `gutter: auto`: the inner margin grows to the print service's minimum for the final
    /// page count (see `pod::min_gutter`); `margin_inner` is then the least it may be.
    pub gutter_auto: bool,
    /// Paper thickness, in inches per page, for the cover's spine width (`paper: white`,
    /// `cream` or a number; white by default).
    pub paper_inches: f32,
}

/// KDP's white paper: 0.002252 in per page (KDP help, "Paperback cover" size calculation).
pub const PAPER_WHITE_IN: f32 = 0.002252;
/// KDP's cream paper: 0.0025 in per page (same source).
pub const PAPER_CREAM_IN: f32 = 0.0025;
/// Thinner or thicker than any book paper: a value outside this range is a typo.
const PAPER_RANGE_IN: std::ops::RangeInclusive<f32> = 0.001..=0.01;

/// Font files relative to the book root. `None` uses bindery's built-in fonts (Libertinus
/// Serif, DejaVu Sans Mono, Noto Serif Khmer).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontsConfig {
    pub regular: Option<String>,
    pub italic: Option<String>,
    pub bold: Option<String>,
    pub bold_italic: Option<String>,
    pub mono: Option<String>,
    /// Fonts tried, in order, for characters the body font lacks.
    #[serde(default)]
    pub fallback: Vec<String>,
}

/// 1 inch in pt.
pub const INCH: f32 = 72.0;

/// Leading when `book.yaml` sets none, as a multiple of the font size: 11/14.5 pt, the
/// classic book proportion, leaves room for accents and descenders with an even colour.
pub const DEFAULT_LEADING_RATIO: f32 = 1.32;

/// The resolution at which an image has its natural size: the CSS reference pixel
/// (1 px = 1/96 in), as in the EPUB. Print sets an image at this size, scaled down to fit,
/// never up, so that a small picture is not blown up to the measure.
pub const IMAGE_NATURAL_DPI: f32 = 96.0;

/// The text block: the page less its margins, in pt. May be negative for impossible margins
/// (`book.yaml` validation rejects those with E0107).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextBlock {
    pub width: f32,
    pub height: f32,
}

/// An image's size on the printed page, in pt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedImage {
    pub width: f32,
    pub height: f32,
}

impl PlacedImage {
    /// The resolution the image prints at: its pixels over the inches it spans.
    pub fn dpi(&self, width_px: u32) -> f32 {
        width_px.max(1) as f32 / (self.width / INCH).max(f32::MIN_POSITIVE)
    }
}

impl PdfConfig {
    /// The leading of body text in `font_size` pt type when `book.yaml` gives none.
    pub fn default_leading(font_size: f32) -> f32 {
        font_size * DEFAULT_LEADING_RATIO
    }

    /// The text block: trim less the inner and outer margins, and less the top and bottom.
    pub fn text_block(&self) -> TextBlock {
        TextBlock {
            width: self.trim_width - self.margin_inner - self.margin_outer,
            height: self.trim_height - self.margin_top - self.margin_bottom,
        }
    }

    /// Where an image of `width_px`×`height_px` lands in a column `available` pt wide and at
    /// most `max_height` pt high (the text block less the figure's caption: a figure taller
    /// than the block is scaled to fit it): its natural size ([`IMAGE_NATURAL_DPI`]), narrowed
    /// and lowered to fit, never enlarged. The typesetter sets figures at this size and
    /// `check` measures their print resolution with it.
    pub fn placed_image(
        &self,
        width_px: u32,
        height_px: u32,
        available: f32,
        max_height: f32,
    ) -> PlacedImage {
        let (px_w, px_h) = (width_px.max(1) as f32, height_px.max(1) as f32);
        let natural_w = px_w * INCH / IMAGE_NATURAL_DPI;
        let mut width = available.min(natural_w);
        let mut height = width * px_h / px_w;
        let max_h = max_height.max(self.leading);
        if height > max_h {
            width *= max_h / height;
            height = max_h;
        }
        PlacedImage { width, height }
    }
}

/// A publication date: a year, optionally with month, optionally with day (validated: the day
/// exists in its month).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    /// 1–12.
    pub month: Option<u8>,
    /// 1–31, only with a month.
    pub day: Option<u8>,
}

impl Date {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (surrounding spaces allowed); `None` for anything else.
    pub fn parse(s: &str) -> Option<Date> {
        let parts: Vec<&str> = s.trim().split('-').collect();
        let num = |p: &str, len: usize, max: u32| {
            (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse::<u32>().ok())
                .flatten()
                .filter(|n| (1..=max).contains(n))
        };
        let (year, month, day) = match parts.as_slice() {
            [y] => (num(y, 4, 9999)?, None, None),
            [y, m] => (num(y, 4, 9999)?, Some(num(m, 2, 12)?), None),
            [y, m, d] => (num(y, 4, 9999)?, Some(num(m, 2, 12)?), Some(num(d, 2, 31)?)),
            _ => return None,
        };
        let date = Date {
            year: u16::try_from(year).ok()?,
            month: month.and_then(|m| u8::try_from(m).ok()),
            day: day.and_then(|d| u8::try_from(d).ok()),
        };
        match (date.month, date.day) {
            (Some(m), Some(d)) if d > days_in_month(date.year, m) => None,
            _ => Some(date),
        }
    }

    /// (year, month, day) with a missing month or day taken as 1.
    pub fn ymd(&self) -> (u16, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }
}

/// As written in `book.yaml`: `2024`, `2024-04` or `2024-04-17`.
impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Named trim sizes (KDP's standard paperback sizes), width × height in inches.
pub const TRIM_PRESETS: &[(&str, f32, f32)] = &[
    ("5x8", 5.0, 8.0),
    ("5.06x7.81", 5.06, 7.81),
    ("5.25x8", 5.25, 8.0),
    ("5.5x8.5", 5.5, 8.5),
    ("6x9", 6.0, 9.0),
    ("6.14x9.21", 6.14, 9.21),
    ("6.69x9.61", 6.69, 9.61),
    ("7x10", 7.0, 10.0),
    ("7.44x9.69", 7.44, 9.69),
    ("7.5x9.25", 7.5, 9.25),
    ("8x10", 8.0, 10.0),
    ("8.5x11", 8.5, 11.0),
    ("a5", 5.83, 8.27),
];

impl Default for PdfConfig {
    fn default() -> Self {
        PdfConfig {
            trim_width: 6.0 * INCH,
            trim_height: 9.0 * INCH,
            margin_inner: 0.875 * INCH,
            margin_outer: 0.625 * INCH,
            margin_top: 0.75 * INCH,
            margin_bottom: 0.875 * INCH,
            font_size: 11.0,
            leading: PdfConfig::default_leading(11.0),
            bleed: false,
            ragged_right: false,
            hyphenate: true,
            cover_page: false,
            page_references: false,
            accessible: true,
            archival: true,
            fonts: FontsConfig::default(),
            gutter_auto: false,
            paper_inches: PAPER_WHITE_IN,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The YAML shape.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Spanned<String>,
    #[serde(default)]
    subtitle: Option<String>,
    #[serde(default)]
    authors: Option<Vec<String>>,
    #[serde(default)]
    author: Option<String>,
    language: Spanned<String>,
    #[serde(default)]
    identifier: Option<Spanned<String>>,
    #[serde(default)]
    isbn: Option<Spanned<String>>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    date: Option<Spanned<String>>,
    #[serde(default)]
    rights: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    series: Option<RawSeries>,
    #[serde(default)]
    cover: Option<String>,
    #[serde(default)]
    manuscript: Option<Vec<String>>,
    #[serde(default)]
    toc_depth: Option<Spanned<u8>>,
    #[serde(default)]
    footnote_numbering: FootnoteNumbering,
    #[serde(default)]
    figures: RawFigures,
    #[serde(default = "yes")]
    smart_punctuation: bool,
    #[serde(default)]
    contents_title: Option<Spanned<String>>,
    #[serde(default)]
    words: RawWords,
    #[serde(default)]
    contents: RawContents,
    #[serde(default)]
    hyphenation: RawHyphenation,
    #[serde(default)]
    epub: RawEpub,
    #[serde(default)]
    pdf: RawPdf,
    #[serde(default)]
    links: RawLinks,
    #[serde(default)]
    chapters: RawChapters,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChapters {
    #[serde(default)]
    byline: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContents {
    #[serde(default)]
    figures: bool,
    #[serde(default)]
    tables: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFigures {
    #[serde(default)]
    numbering: FigureNumbering,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLinks {
    #[serde(default)]
    base_url: Option<Spanned<String>>,
}

fn yes() -> bool {
    true
}

/// `words:` as written: each key and its word with their positions, in order. The keys are
/// checked against `locale/words.tsv`'s columns in [`book_words`], not by serde, so that the
/// table alone lists them.
#[derive(Debug, Default)]
struct RawWords(Vec<(Spanned<String>, Spanned<String>)>);

impl<'de> Deserialize<'de> for RawWords {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawWords;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping of words")
            }
            fn visit_unit<E>(self) -> Result<RawWords, E> {
                Ok(RawWords::default())
            }
            fn visit_none<E>(self) -> Result<RawWords, E> {
                Ok(RawWords::default())
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawWords, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(RawWords(entries))
            }
        }
        de.deserialize_map(Visitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeries {
    name: String,
    #[serde(default)]
    position: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHyphenation {
    #[serde(default)]
    exceptions: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEpub {
    #[serde(default)]
    embed_fonts: bool,
    #[serde(default)]
    accessibility_summary: Option<String>,
    #[serde(default)]
    print_page_numbers: bool,
}

/// `Default` is written out (not derived) so that a book without a `pdf:` section gets the
/// same values as an empty one: hyphenation on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPdf {
    #[serde(default)]
    trim: Option<Spanned<String>>,
    #[serde(default)]
    margins: Option<RawMargins>,
    #[serde(default)]
    font_size: Option<Spanned<f32>>,
    #[serde(default)]
    leading: Option<Spanned<f32>>,
    #[serde(default)]
    bleed: bool,
    #[serde(default)]
    ragged_right: bool,
    #[serde(default = "yes")]
    hyphenate: bool,
    #[serde(default)]
    cover_page: bool,
    #[serde(default)]
    page_references: bool,
    #[serde(default = "yes")]
    accessible: bool,
    #[serde(default = "yes")]
    archival: bool,
    #[serde(default)]
    fonts: FontsConfig,
    #[serde(default)]
    gutter: Option<Spanned<String>>,
    #[serde(default)]
    paper: Option<Spanned<String>>,
}

impl Default for RawPdf {
    fn default() -> Self {
        RawPdf {
            trim: None,
            margins: None,
            font_size: None,
            leading: None,
            bleed: false,
            ragged_right: false,
            hyphenate: yes(),
            cover_page: false,
            page_references: false,
            accessible: yes(),
            archival: yes(),
            fonts: FontsConfig::default(),
            gutter: None,
            paper: None,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMargins {
    #[serde(default)]
    inner: Option<Spanned<String>>,
    #[serde(default)]
    outer: Option<Spanned<String>>,
    #[serde(default)]
    top: Option<Spanned<String>>,
    #[serde(default)]
    bottom: Option<Spanned<String>>,
}

/// Every top-level key, for "did you mean" suggestions.
const TOP_KEYS: &[&str] = &[
    "title",
    "subtitle",
    "authors",
    "author",
    "language",
    "identifier",
    "isbn",
    "publisher",
    "date",
    "rights",
    "description",
    "series",
    "cover",
    "manuscript",
    "toc_depth",
    "footnote_numbering",
    "figures",
    "smart_punctuation",
    "contents_title",
    "words",
    "contents",
    "hyphenation",
    "epub",
    "pdf",
    "links",
    "chapters",
];
const NESTED_KEYS: &[&str] = &[
    "base_url",
    "figures",
    "tables",
    "numbering",
    "byline",
    "exceptions",
    "name",
    "position",
    "embed_fonts",
    "accessibility_summary",
    "print_page_numbers",
    "trim",
    "margins",
    "font_size",
    "leading",
    "bleed",
    "ragged_right",
    "hyphenate",
    "cover_page",
    "page_references",
    "accessible",
    "archival",
    "fonts",
    "gutter",
    "paper",
    "inner",
    "outer",
    "top",
    "bottom",
    "regular",
    "italic",
    "bold",
    "bold_italic",
    "mono",
    "fallback",
];

/// Parses and validates `book.yaml` text. `file` is the path shown in diagnostics.
///
/// Returns the config, or every error found (with locations).
pub fn parse(file: &str, text: &str) -> Result<BookConfig, Vec<Diagnostic>> {
    let raw: RawConfig = match serde_saphyr::from_str(text) {
        Ok(raw) => raw,
        Err(err) => return Err(vec![yaml_error(file, text, &err)]),
    };
    let mut errors = Vec::new();
    let loc = |l: &serde_saphyr::Location| location(file, text, l.line(), l.column(), 0);

    if raw.title.value.trim().is_empty() {
        errors.push(
            Diagnostic::new(Code::E0101, "`title` is empty")
                .at(loc(&raw.title.referenced))
                .with_help("give the book a title, e.g. `title: The Last Days`"),
        );
    }

    let mut authors: Vec<String> = raw.authors.unwrap_or_default();
    if let Some(a) = raw.author {
        authors.insert(0, a);
    }
    authors.retain(|a| !a.trim().is_empty());
    if authors.is_empty() {
        errors.push(
            Diagnostic::new(Code::E0103, "missing field `authors`")
                .at(location(file, text, 1, 1, 0))
                .with_help("add `authors: [Your Name]` (or `author: Your Name`)"),
        );
    }

    let language = raw.language.value.trim().to_string();
    if !valid_language_tag(&language) {
        errors.push(
            Diagnostic::new(
                Code::E0104,
                format!("`{language}` is not a valid BCP 47 language tag"),
            )
            .at(loc_value(file, text, &raw.language))
            .with_help("use a tag such as `en`, `en-GB`, `fr` or `km`"),
        );
    }

    let identifier = match (&raw.isbn, &raw.identifier) {
        (Some(isbn), _) => match normalize_isbn(&isbn.value) {
            Ok(digits) => Identifier::Isbn(digits),
            Err(why) => {
                errors.push(
                    Diagnostic::new(
                        Code::E0105,
                        format!("`{}` is not a valid ISBN: {why}", isbn.value),
                    )
                    .at(loc_value(file, text, isbn))
                    .with_help("check the digits; an ISBN-13 has 13 digits and a checksum"),
                );
                Identifier::Uuid(String::new())
            }
        },
        (None, Some(id)) => {
            let v = id.value.trim();
            let uuid = v.strip_prefix("urn:uuid:").unwrap_or(v);
            if let Some(isbn) = v
                .strip_prefix("urn:isbn:")
                .or_else(|| v.strip_prefix("isbn:"))
            {
                match normalize_isbn(isbn) {
                    Ok(d) => Identifier::Isbn(d),
                    Err(why) => {
                        errors.push(
                            Diagnostic::new(
                                Code::E0105,
                                format!("`{v}` is not a valid ISBN: {why}"),
                            )
                            .at(loc_value(file, text, id))
                            .with_help("check the digits; an ISBN-13 has 13 digits and a checksum"),
                        );
                        Identifier::Uuid(String::new())
                    }
                }
            } else if valid_uuid(uuid) {
                Identifier::Uuid(uuid.to_ascii_lowercase())
            } else {
                errors.push(
                    Diagnostic::new(Code::E0105, format!("`{v}` is not a valid identifier"))
                        .at(loc_value(file, text, id))
                        .with_help("use `urn:uuid:<uuid>`, `isbn: <ISBN-13>`, or leave it out to generate one"),
                );
                Identifier::Uuid(String::new())
            }
        }
        (None, None) => Identifier::Uuid(derived_uuid(&raw.title.value, &authors)),
    };

    let date = raw.date.as_ref().and_then(|d| Date::parse(&d.value));
    if let Some(date) = &raw.date {
        if Date::parse(&date.value).is_none() {
            errors.push(
                Diagnostic::new(Code::E0101, format!("`{}` is not a date", date.value))
                    .at(loc_value(file, text, date))
                    .with_help("write the date as YYYY-MM-DD, e.g. `date: 2024-04-17`"),
            );
        }
    }

    let toc_depth = match &raw.toc_depth {
        Some(d) if !(1..=6).contains(&d.value) => {
            errors.push(
                Diagnostic::new(
                    Code::E0101,
                    format!("`toc_depth` is {}, outside 1–6", d.value),
                )
                .at(loc_value(file, text, d))
                .with_help("use 1 for articles only, 2 to add their sections"),
            );
            2
        }
        Some(d) => d.value,
        None => 2,
    };

    let pdf = pdf_config(file, text, raw.pdf, &mut errors);

    let base_url = match raw.links.base_url {
        Some(u) if !is_web_base(u.value.trim()) => {
            errors.push(
                Diagnostic::new(Code::E0101, format!("`{}` is not an http(s) address", u.value))
                    .at(loc_value(file, text, &u))
                    .with_help("write the address of the folder links are relative to, e.g. `base_url: https://github.com/owner/repo/blob/main/`"),
            );
            None
        }
        Some(u) => Some(u.value.trim().to_string()),
        None => None,
    };

    let words = book_words(file, text, raw.contents_title, raw.words, &mut errors);

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(BookConfig {
        title: raw.title.value.trim().to_string(),
        subtitle: raw.subtitle,
        authors,
        language,
        identifier,
        publisher: raw.publisher,
        date,
        rights: raw.rights,
        description: raw.description,
        series: raw.series.map(|s| Series {
            name: s.name,
            position: s.position,
        }),
        cover: raw.cover,
        manuscript: raw.manuscript,
        toc_depth,
        footnote_numbering: raw.footnote_numbering,
        figures: FiguresConfig {
            numbering: raw.figures.numbering,
        },
        smart_punctuation: raw.smart_punctuation,
        words,
        contents: ContentsConfig {
            figures: raw.contents.figures,
            tables: raw.contents.tables,
        },
        hyphenation_exceptions: raw
            .hyphenation
            .exceptions
            .iter()
            .map(|w| w.trim().to_string())
            .filter(|w| !w.is_empty())
            .collect(),
        epub: EpubConfig {
            embed_fonts: raw.epub.embed_fonts,
            accessibility_summary: raw.epub.accessibility_summary,
            print_page_numbers: raw.epub.print_page_numbers,
        },
        pdf,
        links: LinksConfig { base_url },
        chapters: ChaptersConfig {
            byline: raw.chapters.byline,
        },
    })
}

/// The words a book supplies (`words:`), each key a column of `locale/words.tsv` and each word
/// holding the placeholders its column fills; `contents_title:` is the word `contents`, and
/// an empty one is none (as it always was). A word is trimmed, but for `list_comma`, whose
/// spaces are the point. Errors: an unknown key (E0102, with the keys there are), a word that
/// is empty or lacks or adds a placeholder, and the contents titled twice (E0101).
fn book_words(
    file: &str,
    text: &str,
    contents_title: Option<Spanned<String>>,
    raw: RawWords,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(&'static str, String)> {
    use crate::locale::{self, WordProblem, WORD_COLUMNS};
    let mut words: Vec<(&'static str, String)> = Vec::new();
    let key_location = |key: &Spanned<String>| {
        let l = &key.referenced;
        location(file, text, l.line(), l.column(), key.value.chars().count())
    };
    for (key, word) in &raw.0 {
        let Some(column) = WORD_COLUMNS.iter().copied().find(|c| *c == key.value) else {
            let known = WORD_COLUMNS.join(", ");
            let help = match suggest(&key.value, &WORD_COLUMNS) {
                Some(close) => format!("did you mean `{close}`? `words:` takes {known}"),
                None => format!("`words:` takes the names of bindery's words: {known}"),
            };
            errors.push(
                Diagnostic::new(
                    Code::E0102,
                    format!("unknown key `{}` under `words:` in book.yaml", key.value),
                )
                .at(key_location(key))
                .with_help(help),
            );
            continue;
        };
        let value = match column {
            "list_comma" => word.value.clone(),
            _ => word.value.trim().to_string(),
        };
        let english = locale::words("en").get(column).unwrap_or("");
        let example = format!("`{column}: \"{english}\"`");
        let takes = match locale::placeholders(column) {
            [] if matches!(column, "figure" | "figures" | "table" | "tables") => {
                format!("`words.{column}` is a word, or a template holding `{{n}}`")
            }
            [] => format!("`words.{column}` takes no placeholder"),
            names => format!(
                "`words.{column}` takes {}",
                names
                    .iter()
                    .map(|n| format!("`{{{n}}}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        };
        let problem = match locale::check_word(column, &value) {
            Ok(()) => {
                words.push((column, value));
                continue;
            }
            Err(WordProblem::Empty) => format!("`words.{column}` is empty"),
            Err(WordProblem::Lacks(name)) => {
                format!("`words.{column}` lacks the placeholder `{{{name}}}`")
            }
            Err(WordProblem::Unknown(name)) => {
                format!("`words.{column}` has the placeholder `{{{name}}}`, which it does not fill")
            }
        };
        errors.push(
            Diagnostic::new(Code::E0101, problem)
                .at(loc_scalar(file, text, word))
                .with_help(format!("{takes}, as in English: {example}")),
        );
    }
    if let Some(title) = contents_title {
        let value = title.value.trim().to_string();
        match raw.0.iter().find(|(k, _)| k.value == "contents") {
            Some(_) => errors.push(
                Diagnostic::new(
                    Code::E0101,
                    "`contents_title` and `words.contents` both title the contents",
                )
                .at(loc_value(file, text, &title))
                .with_help(format!(
                    "keep one: `contents_title: {value}` is `words: {{ contents: {value} }}`"
                )),
            ),
            None if !value.is_empty() => words.push(("contents", value)),
            None => {}
        }
    }
    words
}

/// An `http://` or `https://` address with a host.
fn is_web_base(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split('/').next().unwrap_or("");
        !host.is_empty() && !url.contains(char::is_whitespace)
    })
}

/// A front-matter value of any type, as text where it has one. Blog engines write
/// `title: 1984`, `author: {name: Ana}`, lists of authors and dates with times; none of these
/// may make the block unreadable, so a value bindery cannot use is `Other` and is ignored.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum FrontValue {
    /// A scalar (string, number, boolean or date), as written.
    Text(String),
    /// A list; its scalar items (or `name:` of mapping items), in order.
    List(Vec<String>),
    /// A mapping without `name:`, a null, or a list of such.
    #[default]
    Other,
}

impl FrontValue {
    /// The value as one trimmed, non-empty text.
    pub fn text(&self) -> Option<String> {
        match self {
            FrontValue::Text(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
            _ => None,
        }
    }

    /// The value as a list of trimmed, non-empty texts (a scalar is a list of one).
    pub fn texts(&self) -> Vec<String> {
        match self {
            FrontValue::Text(_) => self.text().into_iter().collect(),
            FrontValue::List(items) => items
                .iter()
                .map(|i| i.trim().to_string())
                .filter(|i| !i.is_empty())
                .collect(),
            FrontValue::Other => Vec::new(),
        }
    }

    /// `true`, `yes` or `on` (YAML 1.1's booleans, which Jekyll's parser still reads).
    pub fn is_true(&self) -> bool {
        matches!(
            self.text().as_deref(),
            Some("true" | "True" | "TRUE" | "yes" | "on")
        )
    }
}

/// TOML's private key for a date-time, as `toml`'s deserializer hands it over (a one-entry
/// map); its value is the date-time as written.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

impl<'de> Deserialize<'de> for FrontValue {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = FrontValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any value")
            }
            fn visit_str<E>(self, v: &str) -> Result<FrontValue, E> {
                Ok(FrontValue::Text(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<FrontValue, E> {
                Ok(FrontValue::Text(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<FrontValue, E> {
                Ok(FrontValue::Text(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<FrontValue, E> {
                Ok(FrontValue::Text(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<FrontValue, E> {
                Ok(FrontValue::Text(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<FrontValue, E> {
                Ok(FrontValue::Other)
            }
            fn visit_none<E>(self) -> Result<FrontValue, E> {
                Ok(FrontValue::Other)
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<FrontValue, D::Error> {
                FrontValue::deserialize(d)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<FrontValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<FrontValue>()? {
                    if let FrontValue::Text(t) = item {
                        items.push(t);
                    }
                }
                Ok(FrontValue::List(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<FrontValue, A::Error> {
                let mut found = FrontValue::Other;
                while let Some(key) = map.next_key::<FrontValue>()? {
                    let value = map.next_value::<FrontValue>()?;
                    let key = key.text().unwrap_or_default();
                    if (key == "name" || key == TOML_DATETIME_KEY)
                        && matches!(value, FrontValue::Text(_))
                    {
                        found = value;
                    }
                }
                Ok(found)
            }
        }
        de.deserialize_any(Visitor)
    }
}

/// A value with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub location: Location,
}

/// The keys of an article's front matter that bindery reads, in either format (YAML here,
/// TOML in `frontmatter.rs`), before they are checked. Every other key belongs to the blog
/// engine and is ignored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontFields {
    pub lang: Option<Located<FrontValue>>,
    pub title: FrontValue,
    pub subtitle: FrontValue,
    pub description: FrontValue,
    pub date: Option<Located<FrontValue>>,
    pub author: FrontValue,
    pub authors: FrontValue,
    pub draft: FrontValue,
}

/// The front-matter keys bindery reads, as YAML ([`front_matter`]) or TOML (`frontmatter.rs`)
/// gives them: `S` is the parser's value with its position (serde-saphyr's or toml's
/// `Spanned<FrontValue>`), located by [`RawFront::located`]. One list of keys for both.
#[derive(Debug, Deserialize)]
// A missing `lang` or `date` is `None`: `S` itself needs no default.
#[serde(bound(deserialize = "S: Deserialize<'de>"))]
pub struct RawFront<S> {
    #[serde(default)]
    lang: Option<S>,
    #[serde(default)]
    title: FrontValue,
    #[serde(default)]
    subtitle: FrontValue,
    #[serde(default)]
    description: FrontValue,
    #[serde(default)]
    date: Option<S>,
    #[serde(default)]
    author: FrontValue,
    #[serde(default)]
    authors: FrontValue,
    #[serde(default)]
    draft: FrontValue,
}

impl<S> RawFront<S> {
    /// The fields, each positioned value located by `locate`.
    pub fn located(self, locate: impl Fn(S) -> Located<FrontValue>) -> FrontFields {
        FrontFields {
            lang: self.lang.map(&locate),
            title: self.title,
            subtitle: self.subtitle,
            description: self.description,
            date: self.date.map(&locate),
            author: self.author,
            authors: self.authors,
            draft: self.draft,
        }
    }
}

/// Parses an article's YAML front matter. `yaml` is the text between the `---` lines, preceded
/// by one newline per line before it, so that line numbers are the article's; `text` is the
/// whole article, for the excerpts of diagnostics. A block that is not a YAML mapping is an
/// error here; the caller decides what it costs (`frontmatter.rs`: a warning, W0207).
pub fn front_matter(file: &str, text: &str, yaml: &str) -> Result<FrontFields, Diagnostic> {
    let raw: RawFront<Spanned<FrontValue>> = match serde_saphyr::from_str(yaml) {
        Ok(raw) => raw,
        // An empty block (`---` twice) holds no keys.
        Err(_) if yaml.trim().is_empty() => return Ok(FrontFields::default()),
        Err(err) => {
            let mut d = yaml_error(file, text, &err);
            d.message = d
                .message
                .replace("book.yaml is not valid YAML: ", "")
                .replace("in book.yaml", "in the front matter");
            return Err(d);
        }
    };
    Ok(raw.located(|v| Located {
        location: loc_value(file, text, &v),
        value: v.value,
    }))
}

/// Reads and parses `<root>/book.yaml`.
pub fn load(root: &Path) -> Result<BookConfig, Vec<Diagnostic>> {
    parse("book.yaml", &read(root)?)
}

/// Reads `<root>/book.yaml` as text (E0900 when it cannot be read, E0202 when not UTF-8).
pub fn read(root: &Path) -> Result<String, Vec<Diagnostic>> {
    let path = root.join("book.yaml");
    let bytes = std::fs::read(&path).map_err(|e| {
        vec![Diagnostic::new(Code::E0900, format!("cannot read {}: {e}", path.display()))
            .with_help("run bindery in the book's directory, pass `--book DIR`, or create one with `bindery init DIR`")]
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        vec![Diagnostic::new(
            Code::E0202,
            format!(
                "book.yaml is not valid UTF-8 (byte offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
        .in_file("book.yaml")
        .with_help("save the file as UTF-8")]
    })?;
    Ok(text)
}

fn pdf_config(file: &str, text: &str, raw: RawPdf, errors: &mut Vec<Diagnostic>) -> PdfConfig {
    let mut pdf = PdfConfig {
        bleed: raw.bleed,
        ragged_right: raw.ragged_right,
        hyphenate: raw.hyphenate,
        cover_page: raw.cover_page,
        page_references: raw.page_references,
        accessible: raw.accessible,
        archival: raw.archival,
        fonts: raw.fonts,
        ..PdfConfig::default()
    };
    if let Some(trim) = &raw.trim {
        match parse_trim(&trim.value) {
            Some((w, h)) => {
                pdf.trim_width = w;
                pdf.trim_height = h;
            }
            None => errors.push(
                Diagnostic::new(Code::E0106, format!("`{}` is not a trim size", trim.value))
                    .at(loc_value(file, text, trim))
                    .with_help(format!(
                        "use a preset ({}) or WIDTHxHEIGHT with a unit, e.g. `148mm x 210mm`",
                        TRIM_PRESETS
                            .iter()
                            .map(|p| p.0)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
            ),
        }
    }
    if let Some(m) = raw.margins {
        for (value, slot) in [
            (m.inner, &mut pdf.margin_inner),
            (m.outer, &mut pdf.margin_outer),
            (m.top, &mut pdf.margin_top),
            (m.bottom, &mut pdf.margin_bottom),
        ] {
            let Some(value) = value else { continue };
            match parse_length(&value.value) {
                Some(pt) if pt >= 0.0 => *slot = pt,
                _ => errors.push(
                    Diagnostic::new(
                        Code::E0107,
                        format!("`{}` is not a margin length", value.value),
                    )
                    .at(loc_value(file, text, &value))
                    .with_help("write a length with a unit: `0.75in`, `18mm`, `2cm` or `54pt`"),
                ),
            }
        }
    }
    if let Some(gutter) = &raw.gutter {
        match gutter.value.trim() {
            "auto" => pdf.gutter_auto = true,
            "none" | "off" => pdf.gutter_auto = false,
            other => errors.push(
                Diagnostic::new(Code::E0101, format!("`{other}` is not a gutter setting"))
                    .at(loc_value(file, text, gutter))
                    .with_help("write `gutter: auto` to widen the inner margin to the print service's minimum for the page count, or set `margins: { inner: ... }`"),
            ),
        }
    }
    if let Some(paper) = &raw.paper {
        let value = paper.value.trim();
        let inches = match value {
            "white" => Some(PAPER_WHITE_IN),
            "cream" => Some(PAPER_CREAM_IN),
            number => number
                .trim_end_matches("in")
                .trim()
                .parse::<f32>()
                .ok()
                .filter(|v| PAPER_RANGE_IN.contains(v)),
        };
        match inches {
            Some(v) => pdf.paper_inches = v,
            None => errors.push(
                Diagnostic::new(Code::E0101, format!("`{value}` is not a paper"))
                    .at(loc_value(file, text, paper))
                    .with_help("write `paper: white` (0.002252 in per page), `paper: cream` (0.0025 in) or the thickness of one page in inches, e.g. `paper: 0.0023`"),
            ),
        }
    }
    if let Some(size) = &raw.font_size {
        if (6.0..=24.0).contains(&size.value) {
            pdf.font_size = size.value;
        } else {
            errors.push(
                Diagnostic::new(
                    Code::E0101,
                    format!("font size {} pt is outside 6–24 pt", size.value),
                )
                .at(loc_value(file, text, size))
                .with_help("book text is usually 10–12 pt"),
            );
        }
    }
    pdf.leading = PdfConfig::default_leading(pdf.font_size);
    if let Some(leading) = &raw.leading {
        if leading.value >= pdf.font_size && leading.value <= pdf.font_size * 3.0 {
            pdf.leading = leading.value;
        } else {
            errors.push(
                Diagnostic::new(
                    Code::E0101,
                    format!(
                        "leading {} pt does not suit {} pt type",
                        leading.value, pdf.font_size
                    ),
                )
                .at(loc_value(file, text, leading))
                .with_help("leading is the baseline distance, usually 1.2–1.45 × the font size"),
            );
        }
    }
    let TextBlock {
        width: text_width,
        height: text_height,
    } = pdf.text_block();
    if errors.is_empty() && (text_width < 10.0 * pdf.font_size || text_height < 10.0 * pdf.leading)
    {
        errors.push(
            Diagnostic::new(Code::E0107, "the margins leave too little room for text")
                .at(key_location(file, text, "margins")
                    .or_else(|| key_location(file, text, "trim"))
                    .unwrap_or_else(|| location(file, text, 1, 1, 0)))
                .with_help(format!(
                    "the text block is {:.0} × {:.0} pt; reduce the margins or choose a larger trim",
                    text_width, text_height
                )),
        );
    }
    pdf
}

/// Parses a trim size: a preset name (`6x9`) or `W x H` with units (`148mm x 210mm`, `6in x 9in`).
/// Returns width and height in pt.
pub fn parse_trim(s: &str) -> Option<(f32, f32)> {
    let norm = s.trim().to_ascii_lowercase().replace(' ', "");
    if let Some(p) = TRIM_PRESETS
        .iter()
        .find(|p| p.0 == norm || format!("{}in", p.0) == norm)
    {
        return Some((p.1 * INCH, p.2 * INCH));
    }
    let (w, h) = norm.split_once(['x', '×'])?;
    let unit_of = |s: &str| {
        s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
            .to_string()
    };
    let (w, h) = if unit_of(w).is_empty() && !unit_of(h).is_empty() {
        let u = unit_of(h);
        (format!("{w}{u}"), h.to_string())
    } else {
        (w.to_string(), h.to_string())
    };
    let (w, h) = (parse_length(&w)?, parse_length(&h)?);
    (w >= 144.0 && h >= 144.0 && w <= 1440.0 && h <= 1440.0).then_some((w, h))
}

/// Parses a length with a unit (`in`, `mm`, `cm`, `pt`) into pt.
pub fn parse_length(s: &str) -> Option<f32> {
    let s = s.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (num, unit) = s.split_at(split);
    let n: f32 = num.parse().ok()?;
    let factor = match unit.trim() {
        "in" => INCH,
        "mm" => INCH / 25.4,
        "cm" => INCH / 2.54,
        "pt" => 1.0,
        _ => return None,
    };
    Some(n * factor)
}

/// A pragmatic BCP 47 check: a 2–3 letter primary language, then subtags of 1–8 alphanumerics
/// (script, region, variants).
pub fn valid_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let Some(primary) = parts.next() else {
        return false;
    };
    if !(2..=3).contains(&primary.len()) || !primary.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Strips hyphens and spaces from an ISBN-13 and verifies its checksum.
pub fn normalize_isbn(s: &str) -> Result<String, String> {
    let digits: String = s.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    if digits.len() != 13 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("expected 13 digits, found {}", digits.len()));
    }
    let sum: u32 = digits
        .bytes()
        .take(12)
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    let check = (10 - sum % 10) % 10;
    let last = u32::from(digits.as_bytes()[12] - b'0');
    if check != last {
        return Err(format!("the check digit should be {check}, not {last}"));
    }
    Ok(digits)
}

fn valid_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A stable UUID (version 5 layout) derived from the title and authors, so that rebuilding a
/// book without an identifier keeps its identity. Uses FNV-1a; this is an identity, not a secret.
pub fn derived_uuid(title: &str, authors: &[String]) -> String {
    let mut bytes = [0u8; 16];
    let seed = format!("bindery\u{0}{title}\u{0}{}", authors.join("\u{0}"));
    for (half, chunk) in bytes.chunks_mut(8).enumerate() {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ half as u64;
        for b in seed.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        chunk.copy_from_slice(&h.to_be_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Builds a location from a 1-based line and column in `text`.
/// The location of a 1-based line and column of `text` (lines counted as
/// [`crate::source::line_starts`] counts them), its caret `width` characters wide: the one
/// place a location in `book.yaml` or an article's front matter is built.
pub fn location(file: &str, text: &str, line: u64, column: u64, width: usize) -> Location {
    let line = line.max(1) as usize;
    let source_line = crate::source::nth_line(text, line).to_string();
    Location {
        file: file.to_string(),
        line,
        column: column.max(1) as usize,
        source_line,
        width: width.max(1),
    }
}

/// Location of the first line that sets `key` (at any indentation), with the caret under the key.
fn key_location(file: &str, text: &str, key: &str) -> Option<Location> {
    let (i, line) = text.lines().enumerate().find(|(_, l)| {
        l.trim_start()
            .strip_prefix(key)
            .is_some_and(|r| r.starts_with(':'))
    })?;
    let column = line.len() - line.trim_start().len() + 1;
    Some(location(
        file,
        text,
        i as u64 + 1,
        column as u64,
        key.chars().count(),
    ))
}

/// Location of a scalar value, with the caret under the whole value.
fn loc_value<T>(file: &str, text: &str, v: &Spanned<T>) -> Location {
    let l = &v.referenced;
    let mut loc = location(file, text, l.line(), l.column(), 1);
    let rest: String = loc.source_line.chars().skip(loc.column - 1).collect();
    let rest = rest.split(" #").next().unwrap_or("").trim_end();
    loc.width = rest.chars().count().max(1);
    loc
}

/// Location of a string value, the caret under it alone, in a flow mapping too
/// (`words: { on_page: sayfada, … }`): a quoted value with its quotes, a plain one as long as
/// its text; else as [`loc_value`].
fn loc_scalar(file: &str, text: &str, v: &Spanned<String>) -> Location {
    let mut loc = loc_value(file, text, v);
    let rest: Vec<char> = loc.source_line.chars().skip(loc.column - 1).collect();
    let width = match rest.first() {
        Some(&quote @ ('"' | '\'')) => {
            let mut i = 1;
            while i < rest.len() {
                match rest[i] {
                    '\\' if quote == '"' => i += 1,
                    // A doubled single quote is one quote.
                    '\'' if quote == '\'' && rest.get(i + 1) == Some(&'\'') => i += 1,
                    c if c == quote => break,
                    _ => {}
                }
                i += 1;
            }
            Some(i + 1)
        }
        _ => {
            let plain: String = rest.iter().collect();
            plain.starts_with(&v.value).then(|| v.value.chars().count())
        }
    };
    if let Some(width) = width {
        loc.width = width.clamp(1, rest.len().max(1));
    }
    loc
}

/// Converts a serde-saphyr error into a diagnostic with our own code and help.
fn yaml_error(file: &str, text: &str, err: &serde_saphyr::Error) -> Diagnostic {
    let plain = err.render_with_options(serde_saphyr::render_options! {
        snippets: serde_saphyr::SnippetMode::Off,
    });
    // The plain rendering ends with " at line L column C"; our location carries that.
    let message = plain.lines().next().unwrap_or("").to_string();
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    let (line, column) = err
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((1, 1));
    let mut loc = location(file, text, line, column, 1);

    if let Some(key) = between(&message, "unknown field `", "`") {
        loc.width = key.chars().count();
        // The keys of the mapping the key was found in come first ("expected one of figures,
        // tables"): `table` under `contents:` is `tables`, not the top-level `title`.
        let here: Vec<&str> = message
            .split_once(", expected ")
            .map(|(_, rest)| rest.trim_start_matches("one of "))
            .into_iter()
            .flat_map(|rest| rest.split([',', ' ']))
            .map(|k| k.trim_matches('`'))
            .filter(|k| !k.is_empty() && *k != "or")
            .collect();
        let help = match suggest(key, &here)
            .or_else(|| suggest(key, TOP_KEYS))
            .or_else(|| suggest(key, NESTED_KEYS))
        {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("remove `{key}`; the README lists every key of book.yaml"),
        };
        return Diagnostic::new(Code::E0102, format!("unknown key `{key}` in book.yaml"))
            .at(loc)
            .with_help(help);
    }
    if let Some(field) = between(&message, "missing field `", "`") {
        let example = match field {
            "title" => "title: My Book",
            "language" => "language: en",
            _ => "",
        };
        let help = if example.is_empty() {
            format!("add `{field}:`")
        } else {
            format!("add `{example}`")
        };
        return Diagnostic::new(
            Code::E0103,
            format!("missing required field `{field}` in book.yaml"),
        )
        .at(location(file, text, 1, 1, 1))
        .with_help(help);
    }
    if let Some(key) = between(&message, "duplicate mapping key: ", ",")
        .or_else(|| message.strip_prefix("duplicate mapping key: "))
    {
        loc.width = key.chars().count().max(1);
        return Diagnostic::new(
            Code::E0100,
            format!("the key `{key}` appears twice in book.yaml"),
        )
        .at(loc)
        .with_help(format!("keep one `{key}:` and delete the other"));
    }
    let key = key_on_line(&loc.source_line);
    if let Some(expected) = expected_kind(&message, key.as_deref()) {
        let value: String = loc
            .source_line
            .chars()
            .skip(loc.column.saturating_sub(1))
            .collect();
        let value = value.split(" #").next().unwrap_or("").trim().to_string();
        loc.width = value.chars().count().max(1);
        let found = if value.is_empty() {
            String::new()
        } else {
            format!(", found `{value}`")
        };
        let message = match &key {
            Some(k) => format!("`{k}` expects {}{found}", expected.what),
            None => format!("expected {}{found}", expected.what),
        };
        let k = key.as_deref().unwrap_or("key");
        return Diagnostic::new(Code::E0101, message)
            .at(loc)
            .with_help(expected.help.replace("KEY", k));
    }
    if let Some((line, column, open)) = unclosed_opener(text, loc.line) {
        let close = match open {
            '[' => "`]`",
            '{' => "`}`",
            _ => "a matching quote",
        };
        return Diagnostic::new(
            Code::E0100,
            format!("book.yaml is not valid YAML: `{open}` is never closed"),
        )
        .at(location(file, text, line as u64, column as u64, 1))
        .with_help(format!("close it with {close} on the same line"));
    }
    Diagnostic::new(
        Code::E0100,
        format!("book.yaml is not valid YAML: {message}"),
    )
    .at(loc)
    .with_help("check the indentation and the `key: value` syntax on this line")
}

/// The last flow bracket or quote left open on its own line, at or up to two lines before `upto`
/// (1-based):
/// YAML reports such a mistake where it gives up, often a line later. Returns line, column
/// (1-based) and the opening character. Comments are ignored.
fn unclosed_opener(text: &str, upto: usize) -> Option<(usize, usize, char)> {
    let mut found = None;
    // Only the lines just before the error: an earlier multi-line quoted string is legal.
    let first = upto.saturating_sub(3);
    for (i, line) in text.lines().enumerate().take(upto).skip(first) {
        let mut stack: Vec<(usize, char)> = Vec::new();
        let mut quote: Option<(usize, char)> = None;
        for (col, c) in line.chars().enumerate() {
            match (quote, c) {
                (Some((_, q)), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '#') if col == 0 || line.chars().nth(col - 1) == Some(' ') => break,
                (None, '"') => quote = Some((col, c)),
                (None, '\'')
                    if stack.last().is_some()
                        || line[..line.char_indices().nth(col).map_or(0, |(b, _)| b)]
                            .trim_end()
                            .ends_with(':') =>
                {
                    quote = Some((col, c))
                }
                (None, '[' | '{') => stack.push((col, c)),
                (None, ']' | '}') => {
                    stack.pop();
                }
                _ => {}
            }
        }
        if let Some((col, c)) = quote.or(stack.first().copied()) {
            found = Some((i + 1, col + 1, c));
        }
    }
    found
}

/// What a YAML type error expected, for E0101's message and help (`KEY` stands for the key).
struct Expected {
    what: String,
    help: String,
}

/// Reads serde-saphyr's type errors ("invalid u8", "invalid boolean", "expected sequence start",
/// "invalid type: string \"x\", expected a boolean", "unknown variant ...").
fn expected_kind(message: &str, key: Option<&str>) -> Option<Expected> {
    let e = |what: &str, help: &str| {
        Some(Expected {
            what: what.to_string(),
            help: help.to_string(),
        })
    };
    if message.starts_with("unknown variant") {
        let choices = message.split("expected ").nth(1).unwrap_or("").to_string();
        return e(&choices, &format!("write `KEY: ` followed by {choices}"));
    }
    let kind = message
        .strip_prefix("invalid type: ")
        .and_then(|m| m.split(", expected ").nth(1))
        .or_else(|| {
            message
                .strip_prefix("invalid value: ")
                .and_then(|m| m.split(", expected ").nth(1))
        })
        .or_else(|| message.strip_prefix("invalid "))
        .or_else(|| message.strip_prefix("expected "))?;
    let kind = kind.trim();
    if kind.contains("bool") {
        e("`true` or `false`", "write `KEY: true` or `KEY: false`")
    } else if matches!(kind, "u8" | "u16" | "u32" | "u64" | "usize" | "i32" | "i64")
        || kind.contains("integer")
    {
        let what = match key {
            Some("toc_depth") => "a whole number from 1 to 6",
            _ if kind.starts_with('u') => "a whole number (0 or more)",
            _ => "a whole number",
        };
        e(what, "write a whole number, e.g. `KEY: 2`")
    } else if kind.contains("float") || kind.starts_with('f') && kind.len() == 3 {
        e("a number", "write a number without a unit, e.g. `KEY: 11`")
    } else if kind.contains("sequence") || kind.contains("seq") {
        e(
            "a list",
            "write a list: `KEY: [first, second]`, or one `- item` per line below `KEY:`",
        )
    } else if kind.contains("mapping") || kind.contains("map") || kind.contains("struct") {
        e(
            "a group of keys",
            "put its keys on the lines below `KEY:`, indented by two spaces",
        )
    } else if kind.contains("scalar") {
        e(
            "a single value",
            "write one value after `KEY: `, not a list or a group of keys",
        )
    } else if kind.contains("string") {
        e(
            "text",
            "write text after `KEY: ` (quote it if it starts with `[` or `{`)",
        )
    } else {
        None
    }
}

/// The key a `key: value` (or `- value`) line sets, if any.
fn key_on_line(line: &str) -> Option<String> {
    let (key, _) = line.split_once(':')?;
    let key = key.trim().trim_start_matches("- ").trim();
    (!key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .then(|| key.to_string())
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

impl BookConfig {
    /// The words bindery writes in this book: the book's own (`words:`, `contents_title:`),
    /// else its language's ([`crate::locale::book_words`]). Every word the editions and
    /// `check` show comes from here.
    pub fn words(&self) -> crate::locale::Words<'_> {
        crate::locale::book_words(&self.language, &self.words)
    }

    /// The words for text in `language` (a chapter's `lang:`): the book's ([`Self::words`])
    /// when it is the book's language ([`crate::locale::same_words`]), else that language's
    /// from the table; the book's words are in its own language.
    pub fn words_in(&self, language: &str) -> crate::locale::Words<'_> {
        match crate::locale::same_words(language, &self.language) {
            true => self.words(),
            false => crate::locale::words(language),
        }
    }

    /// The contents' title: `contents_title` or `words.contents`, else the word for it in
    /// the book's language.
    pub fn contents_title(&self) -> &str {
        self.words().contents
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_parsed_once_and_checked_against_the_calendar() {
        let d = Date::parse(" 2024-02-29 ").expect("a leap day");
        assert_eq!((d.year, d.month, d.day), (2024, Some(2), Some(29)));
        assert_eq!(d.to_string(), "2024-02-29");
        assert_eq!(Date::parse("2024-04").map(|d| d.ymd()), Some((2024, 4, 1)));
        assert_eq!(
            Date::parse("2024").map(|d| d.to_string()).as_deref(),
            Some("2024")
        );
        for bad in [
            "2023-02-29",
            "2024-04-31",
            "2024-13",
            "24-01-01",
            "2024-1-01",
            "+024",
            "",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        let err = parse(
            "book.yaml",
            "title: T\nauthor: A\nlanguage: en\ndate: 2023-02-29\n",
        )
        .expect_err("no 29 February in 2023");
        assert_eq!(err[0].code, "E0101");
        let c = parse(
            "book.yaml",
            "title: T\nauthor: A\nlanguage: en\ndate: 2024-04-17\n",
        )
        .expect("a valid date");
        assert_eq!(c.date.map(|d| d.ymd()), Some((2024, 4, 17)));
        // One default leading, wherever the print settings come from.
        assert_eq!(c.pdf.leading, PdfConfig::default().leading);
    }

    #[test]
    fn minimal_config_has_defaults() {
        let c = parse("book.yaml", "title: T\nauthor: A\nlanguage: en\n").unwrap();
        assert_eq!(c.authors, vec!["A".to_string()]);
        assert_eq!(c.toc_depth, 2);
        assert!(matches!(c.identifier, Identifier::Uuid(ref u) if valid_uuid(u)));
        assert_eq!(c.pdf.trim_width, 432.0);
        // Without a `pdf:` section the print defaults hold: justified and hyphenated.
        assert!(c.pdf.hyphenate);
        assert!(!c.pdf.ragged_right);
        assert!(!c.pdf.bleed);
        let empty = parse("book.yaml", "title: T\nauthor: A\nlanguage: en\npdf: {}\n").unwrap();
        assert_eq!(empty.pdf, c.pdf);
        assert_eq!(c.contents_title(), "Contents");
        let fr = parse("book.yaml", "title: T\nauthor: A\nlanguage: fr\n").unwrap();
        assert_eq!(fr.contents_title(), "Table des matières");
        let own = parse(
            "book.yaml",
            "title: T\nauthor: A\nlanguage: fr\ncontents_title: Sommaire\n",
        )
        .unwrap();
        assert_eq!(own.contents_title(), "Sommaire");
    }

    #[test]
    fn contents_lists_are_off_unless_asked_and_their_keys_are_checked() {
        let c = parse("book.yaml", "title: T\nauthor: A\nlanguage: en\n").unwrap();
        assert_eq!(c.contents, ContentsConfig::default());
        assert!(!c.contents.figures && !c.contents.tables);
        let c = parse(
            "book.yaml",
            "title: T\nauthor: A\nlanguage: en\ncontents:\n  figures: true\n",
        )
        .unwrap();
        assert_eq!(
            c.contents,
            ContentsConfig {
                figures: true,
                tables: false
            }
        );
        // An unknown key under `contents:` is suggested from that mapping's keys first.
        let e = parse(
            "book.yaml",
            "title: T\nauthor: A\nlanguage: en\ncontents:\n  figures: true\n  table: true\n",
        )
        .unwrap_err();
        assert_eq!(e[0].code, "E0102");
        assert_eq!(e[0].message, "unknown key `table` in book.yaml");
        assert_eq!(e[0].help.as_deref(), Some("did you mean `tables`?"));
        let loc = e[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (6, 3));
        let e = parse(
            "book.yaml",
            "title: T\nauthor: A\nlanguage: en\ncontents: { figures: yes please }\n",
        )
        .unwrap_err();
        assert_eq!(e[0].code, "E0101", "{e:?}");
        assert_eq!(e[0].location.as_ref().map(|l| l.line), Some(4));
    }

    #[test]
    fn unknown_key_suggests() {
        let e = parse(
            "book.yaml",
            "title: T\nauthors: [A]\nlanguage: en\nseries:\n  name: S\n  postion: 3\n",
        )
        .unwrap_err();
        assert_eq!(e[0].code, "E0102");
        assert_eq!(e[0].help.as_deref(), Some("did you mean `position`?"));
        let loc = e[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (6, 3));
    }

    #[test]
    fn a_books_words_are_checked_and_win_over_the_tables() {
        let c = parse(
            "book.yaml",
            "title: T\nauthors: [A]\nlanguage: tr\nwords:\n  on_page: \" {page}. sayfada \"\n  figure: Resim\n  list_comma: \" · \"\n",
        )
        .unwrap();
        assert_eq!(
            c.words,
            [
                ("on_page", "{page}. sayfada".to_string()),
                ("figure", "Resim".to_string()),
                ("list_comma", " · ".to_string()),
            ]
        );
        let w = c.words();
        assert_eq!(
            (w.on_page, w.figure, w.table),
            ("{page}. sayfada", "Resim", "Tablo")
        );
        assert_eq!(c.contents_title(), "İçindekiler");
        // A chapter in another language keeps that language's words.
        assert_eq!(c.words_in("tr-TR").figure, "Resim");
        assert_eq!(c.words_in("fr").figure, "Figure");
        // `contents_title:` is the word `contents`.
        let c = parse(
            "book.yaml",
            "title: T\nauthors: [A]\nlanguage: tr\ncontents_title: Dizin\n",
        )
        .unwrap();
        assert_eq!(c.words, [("contents", "Dizin".to_string())]);
        assert_eq!(c.words().contents, "Dizin");

        let err = |words: &str| {
            let text = format!("title: T\nauthors: [A]\nlanguage: tr\n{words}\n");
            parse("book.yaml", &text)
                .unwrap_err()
                .into_iter()
                .map(|e| {
                    let loc = e.location.clone().unwrap();
                    format!(
                        "{} {}:{}+{} {} | {}",
                        e.code,
                        loc.line,
                        loc.column,
                        loc.width,
                        e.message,
                        e.help.unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            err("words:\n  on_pgae: \"{page}. sayfada\"\n  tag: tr"),
            [
                format!(
                    "E0102 5:3+7 unknown key `on_pgae` under `words:` in book.yaml | did you \
                     mean `on_page`? `words:` takes {}",
                    crate::locale::WORD_COLUMNS.join(", ")
                ),
                format!(
                    "E0102 6:3+3 unknown key `tag` under `words:` in book.yaml | `words:` \
                     takes the names of bindery's words: {}",
                    crate::locale::WORD_COLUMNS.join(", ")
                ),
            ]
        );
        assert_eq!(
            err("words: { on_page: sayfada, chapter_number: \"Bölüm {num}\", contents: \"\" }"),
            [
                "E0101 4:19+7 `words.on_page` lacks the placeholder `{page}` | `words.on_page` \
                 takes `{page}`, as in English: `on_page: \"on page {page}\"`",
                "E0101 4:44+13 `words.chapter_number` has the placeholder `{num}`, which it does \
                 not fill | `words.chapter_number` takes `{n}`, as in English: \
                 `chapter_number: \"Chapter {n}\"`",
                "E0101 4:69+2 `words.contents` is empty | `words.contents` takes no placeholder, \
                 as in English: `contents: \"Contents\"`",
            ]
        );
        assert_eq!(
            err("contents_title: Dizin\nwords: { contents: İçerik }"),
            ["E0101 4:17+5 `contents_title` and `words.contents` both title the contents | keep \
              one: `contents_title: Dizin` is `words: { contents: Dizin }`"]
        );
    }

    #[test]
    fn type_errors_name_the_key_and_the_expected_type() {
        let err = |extra: &str| {
            let text = format!("title: T\nauthors: [A]\nlanguage: en\n{extra}\n");
            let e = parse("book.yaml", &text).unwrap_err();
            let loc = e[0].location.clone().unwrap();
            (
                e[0].code.as_str(),
                e[0].message.clone(),
                loc.line,
                loc.column,
                loc.width,
            )
        };
        assert_eq!(
            err("smart_punctuation: maybe"),
            (
                "E0101",
                "`smart_punctuation` expects `true` or `false`, found `maybe`".into(),
                4,
                20,
                5
            )
        );
        assert_eq!(
            err("manuscript: a.md # one file").1,
            "`manuscript` expects a list, found `a.md`"
        );
        assert_eq!(
            err("footnote_numbering: page").1,
            "`footnote_numbering` expects one of book, chapter, found `page`"
        );
        assert_eq!(
            err("figures:\n  numbering: section").1,
            "`numbering` expects one of book, chapter, found `section`"
        );
        assert_eq!(
            err("title: U"),
            (
                "E0100",
                "the key `title` appears twice in book.yaml".into(),
                4,
                1,
                5
            )
        );
    }

    #[test]
    fn an_unclosed_bracket_is_found_where_it_opens() {
        let e = parse("book.yaml", "title: T\nauthors: [A\nlanguage: en\n").unwrap_err();
        let loc = e[0].location.clone().unwrap();
        assert_eq!((e[0].code.as_str(), loc.line, loc.column), ("E0100", 2, 10));
        assert_eq!(
            e[0].message,
            "book.yaml is not valid YAML: `[` is never closed"
        );
    }

    #[test]
    fn isbn_checksum() {
        assert_eq!(
            normalize_isbn("978-0-306-40615-7").unwrap(),
            "9780306406157"
        );
        assert!(normalize_isbn("978-0-306-40615-8").is_err());
    }

    #[test]
    fn trims_and_lengths() {
        assert_eq!(parse_trim("6x9"), Some((432.0, 648.0)));
        let (w, h) = parse_trim("148mm x 210mm").unwrap();
        assert!((w - 419.53).abs() < 0.1 && (h - 595.28).abs() < 0.1);
        assert_eq!(parse_length("0.5in"), Some(36.0));
        assert_eq!(parse_length("12"), None);
    }

    #[test]
    fn language_tags() {
        assert!(valid_language_tag("en"));
        assert!(valid_language_tag("en-GB"));
        assert!(valid_language_tag("km-KH"));
        assert!(!valid_language_tag("english"));
        assert!(!valid_language_tag("e"));
    }
}
