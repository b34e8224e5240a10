//! The faces bindery typesets with: loading, metrics, character coverage and per-cluster
//! fallback. With `shape.rs`, the only module that knows the font crates (skrifa for reading,
//! harfrust for shaping; both on read-fonts 0.46). Each [`Face`] carries a ready
//! `harfrust::Font` ([`Face::shaper_font`]) so that shaping never re-parses a font.
//!
//! Built-in faces are compiled into the binary from `fonts/` (see `fonts/README.md`), so any
//! book directory typesets without installed fonts. `book.yaml`'s `pdf.fonts`
//! ([`crate::config::FontsConfig`]) may replace any of them with files relative to the book root.
//!
//! # Indices
//! A face is named by its index into [`FontSet::faces`]. That index is also its
//! [`FontId`]: [`FontSet::font_data`] lists the faces in the same order, ready for
//! [`crate::typeset::frame::Document::fonts`].
//!
//! # Units
//! Vertical metrics on [`Face`] are fractions of the em (multiply by the font size in pt to get
//! pt). y grows upwards in these metrics, as in the font: `ascender` is positive, `descender`
//! negative.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use skrifa::raw::TableProvider;
use skrifa::{FontRef, MetadataProvider};

use crate::config::FontsConfig;
use crate::diag::{Code, Diagnostic};
use crate::typeset::frame::{FontData, FontId};

/// Diagnostic code: a font file named in `book.yaml` cannot be read.
const E_FONT_READ: Code = Code::E0601;
/// Diagnostic code: a font file was read but is not a usable OpenType/TrueType font.
const E_FONT_PARSE: Code = Code::E0602;

/// Reads a font file named in `book.yaml` (by its path as written there) into bytes.
pub type FontReader<'a> = dyn Fn(&str) -> std::io::Result<Vec<u8>> + 'a;

/// Cap height used when a font's OS/2 table does not record one (OS/2 version < 2). 0.7 em is
/// typical of text faces (Libertinus 0.65, Times 0.66, DejaVu 0.73).
const FALLBACK_CAP_HEIGHT: f32 = 0.7;
/// x-height used when the font does not record one; 0.5 em is typical of text faces
/// (Libertinus 0.43, DejaVu 0.55).
const FALLBACK_X_HEIGHT: f32 = 0.5;
/// OS/2 weight class from which a face counts as bold for fallback selection: 600 is
/// "semibold", the lightest weight fonts name as a bold style.
const BOLD_WEIGHT_THRESHOLD: f32 = 600.0;

/// A built-in face: its file name in `fonts/` and its bytes.
struct BuiltinFile {
    name: &'static str,
    bytes: &'static [u8],
}

macro_rules! builtin_file {
    ($name:literal) => {
        BuiltinFile {
            name: $name,
            bytes: include_bytes!(concat!("../../fonts/", $name)),
        }
    };
}

const BUILTIN_REGULAR: BuiltinFile = builtin_file!("LibertinusSerif-Regular.otf");
const BUILTIN_ITALIC: BuiltinFile = builtin_file!("LibertinusSerif-Italic.otf");
const BUILTIN_SEMIBOLD: BuiltinFile = builtin_file!("LibertinusSerif-Semibold.otf");
const BUILTIN_BOLD: BuiltinFile = builtin_file!("LibertinusSerif-Bold.otf");
const BUILTIN_BOLD_ITALIC: BuiltinFile = builtin_file!("LibertinusSerif-BoldItalic.otf");
const BUILTIN_MONO: BuiltinFile = builtin_file!("DejaVuSansMono.ttf");
const BUILTIN_KHMER: BuiltinFile = builtin_file!("NotoSerifKhmer-Regular.ttf");
const BUILTIN_KHMER_BOLD: BuiltinFile = builtin_file!("NotoSerifKhmer-Bold.ttf");
const BUILTIN_ARABIC: BuiltinFile = builtin_file!("NotoNaskhArabic-Regular.ttf");
const BUILTIN_HEBREW: BuiltinFile = builtin_file!("NotoSerifHebrew-Regular.ttf");
const BUILTIN_MATH: BuiltinFile = builtin_file!("NotoSansMath-Regular.ttf");
const BUILTIN_SYMBOLS: BuiltinFile = builtin_file!("NotoSansSymbols-Regular.ttf");
const BUILTIN_SYMBOLS2: BuiltinFile = builtin_file!("NotoSansSymbols2-Regular.ttf");
const BUILTIN_MUSIC: BuiltinFile = builtin_file!("NotoMusic-Regular.ttf");
const BUILTIN_EMOJI: BuiltinFile = builtin_file!("NotoColorEmoji.ttf");
const BUILTIN_ARABIC_BOLD: BuiltinFile = builtin_file!("NotoNaskhArabic-Bold.ttf");
const BUILTIN_HEBREW_BOLD: BuiltinFile = builtin_file!("NotoSerifHebrew-Bold.ttf");
/// Han, kana and CJK punctuation (no Hangul: that is [`BUILTIN_HANGUL`]).
const BUILTIN_CJK: BuiltinFile = builtin_file!("DroidSansFallbackFull.ttf");
/// Hangul syllables and compatibility jamo, in a Myeongjo (serif) design to go with the body
/// face. It has no Han (Hanja), so Han in a Korean text comes from [`BUILTIN_CJK`], as in
/// Chinese and Japanese: one face for Han in every book.
const BUILTIN_HANGUL: BuiltinFile = builtin_file!("NanumMyeongjo.ttf");

/// The built-in faces an SVG drawing's text is set in (by the SVG reader): the body face in its
/// four styles, the code face, and the script fallbacks, so that a diagram's labels print the
/// same on every machine.
pub fn svg_faces() -> [&'static [u8]; 11] {
    [
        BUILTIN_REGULAR.bytes,
        BUILTIN_ITALIC.bytes,
        BUILTIN_BOLD.bytes,
        BUILTIN_BOLD_ITALIC.bytes,
        BUILTIN_MONO.bytes,
        BUILTIN_KHMER.bytes,
        BUILTIN_ARABIC.bytes,
        BUILTIN_HEBREW.bytes,
        BUILTIN_SYMBOLS.bytes,
        BUILTIN_CJK.bytes,
        BUILTIN_HANGUL.bytes,
    ]
}

/// The style a piece of text asks for. Fallback faces are not roles: they are chosen per
/// cluster by [`FontSet::face_for_cluster`], never by style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Body text.
    Regular,
    /// Emphasis.
    Italic,
    /// Headings. When `book.yaml` replaces the bold face, semibold follows it, so that a book
    /// never mixes its own bold with Libertinus' semibold.
    Semibold,
    /// Strong emphasis.
    Bold,
    /// Strong emphasis inside emphasis.
    BoldItalic,
    /// Code.
    Mono,
}

impl Role {
    /// The role of emphasis inside text of this role (emphasis inside emphasis goes back to
    /// roman, as in print).
    pub fn emphasised(self) -> Role {
        match self {
            Role::Regular => Role::Italic,
            Role::Italic => Role::Regular,
            Role::Bold | Role::Semibold => Role::BoldItalic,
            Role::BoldItalic => Role::Bold,
            Role::Mono => Role::Mono,
        }
    }

    /// The role of strong emphasis inside text of this role.
    pub fn strong(self) -> Role {
        match self {
            Role::Regular | Role::Semibold => Role::Bold,
            Role::Italic => Role::BoldItalic,
            other => other,
        }
    }

    /// The role of a heading of `level` (1 for a chapter title): semibold down to level 3,
    /// italic below.
    pub fn heading(level: u8) -> Role {
        if level <= 3 {
            Role::Semibold
        } else {
            Role::Italic
        }
    }
}

/// One face (one font inside a font file) with the metrics the typesetter needs.
#[derive(Clone)]
pub struct Face {
    /// The whole font file.
    pub data: Arc<Vec<u8>>,
    /// Face index inside the file (0 unless the file is a collection).
    pub index: u32,
    /// Where the face came from, for messages: `built-in LibertinusSerif-Regular.otf` or the
    /// path as written in `book.yaml`.
    pub source: String,
    /// Design units per em (1000 for CFF fonts, usually 2048 for TrueType).
    pub units_per_em: u16,
    /// Typographic ascender, fraction of the em (positive, upwards).
    pub ascender: f32,
    /// Typographic descender, fraction of the em (negative: below the baseline).
    pub descender: f32,
    /// Recommended extra space between lines, fraction of the em (often 0).
    pub line_gap: f32,
    /// Height of flat capitals, fraction of the em.
    pub cap_height: f32,
    /// Height of flat lower-case letters, fraction of the em.
    pub x_height: f32,
    /// Family name, e.g. `Libertinus Serif` (the typographic family when the font has one).
    pub family: String,
    /// Style name, e.g. `Bold Italic`.
    pub style: String,
    /// OS/2 weight class: 400 regular, 600 semibold, 700 bold.
    pub weight: f32,
    /// Whether the face is italic or oblique.
    pub italic: bool,
    /// Characters the cmap maps: sorted, disjoint, inclusive code point ranges.
    coverage: Vec<(u32, u32)>,
    /// OpenType feature tags found in GSUB and GPOS, sorted and deduplicated.
    features: Vec<[u8; 4]>,
    /// The face as harfrust shapes it. Built once: it caches the parsed layout tables, and
    /// clones share them.
    shaping: harfrust::Font,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("source", &self.source)
            .field("index", &self.index)
            .field("family", &self.family)
            .field("style", &self.style)
            .field("weight", &self.weight)
            .field("italic", &self.italic)
            .field("units_per_em", &self.units_per_em)
            .finish_non_exhaustive()
    }
}

/// A fallback family: its regular face and, when there is one, a bold face used for clusters
/// whose preferred face is bold (weight ≥ 600).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FallbackFamily {
    /// Index into [`FontSet::faces`].
    pub regular: usize,
    /// Index into [`FontSet::faces`].
    pub bold: Option<usize>,
    /// The clusters the family is tried for.
    pub scope: Scope,
}

/// Which clusters a fallback family is tried for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every cluster it covers.
    Any,
    /// Only clusters holding Hangul: the Korean face comes before the Han face in the chain,
    /// so that every Hangul syllable comes from it (the Han face has three of the 11,172, and
    /// a Korean line would mix two designs), but its CJK punctuation must not take the place
    /// of the Han face's in Chinese and Japanese.
    Hangul,
}

impl Scope {
    fn admits(self, cluster: &str) -> bool {
        match self {
            Scope::Any => true,
            Scope::Hangul => cluster.chars().any(crate::lang::is_hangul),
        }
    }
}

/// Which face plays each role; indices into [`FontSet::faces`].
#[derive(Debug, Clone, Copy)]
struct RoleFaces {
    regular: usize,
    italic: usize,
    semibold: usize,
    bold: usize,
    bold_italic: usize,
    mono: usize,
}

/// The faces of one book: one per [`Role`], then the fallback chain.
#[derive(Debug, Clone)]
pub struct FontSet {
    /// Every face, indexed by face number (= [`FontId`]). Each file is loaded once, even when
    /// it plays several roles.
    pub faces: Vec<Face>,
    roles: RoleFaces,
    /// Tried in order for clusters the preferred face lacks: `book.yaml`'s `fallback` list
    /// first, then the built-in fallbacks (scripts, math, symbols, music, the mono face for
    /// box drawing, emoji), then faces found in font folders ([`FontSet::add_found`]).
    fallbacks: Vec<FallbackFamily>,
    /// The colour emoji face, tried first for a cluster that asks for emoji presentation
    /// ([`wants_emoji`]).
    emoji: Option<usize>,
}

/// Khmer sign coeng (U+17D2): the consonant after it is written as a subscript of the cluster.
const KHMER_COENG: char = '\u{17D2}';

/// Byte ranges of the clusters of `text`, in order, covering it: its extended grapheme
/// clusters (UAX #29: a base with its marks, an emoji with its modifiers and joined parts, a
/// flag), with a Khmer consonant after a coeng kept in the cluster before it (UAX #29 breaks
/// there, but the subscript is drawn by the same face as its base). Faces are chosen per
/// cluster ([`FontSet::faces_for`]).
pub fn clusters(text: &str) -> Vec<Range<usize>> {
    let bounds = super::segment::grapheme_boundaries(text);
    let mut out: Vec<Range<usize>> = Vec::new();
    for pair in bounds.windows(2) {
        let (start, end) = (pair[0], pair[1]);
        if start >= end {
            continue;
        }
        let after_coeng = text[..start].ends_with(KHMER_COENG);
        match out.last_mut() {
            Some(last) if after_coeng => last.end = end,
            _ => out.push(start..end),
        }
    }
    out
}

/// Whether a cluster asks for an emoji picture: it holds the emoji variation selector
/// (U+FE0F), or a character whose default presentation is emoji (Unicode's
/// `Emoji_Presentation`, for the characters below U+1F000 that have it; from U+1F000 on, the
/// pictographic planes, emoji are tried first). The text variation selector (U+FE0E) asks for
/// a text glyph.
fn wants_emoji(cluster: &str) -> bool {
    if cluster.contains('\u{FE0E}') {
        return false;
    }
    cluster.contains('\u{FE0F}')
        || cluster.chars().next().is_some_and(|c| {
            matches!(c as u32,
                0x231A..=0x231B | 0x23E9..=0x23EC | 0x23F0 | 0x23F3 | 0x25FD..=0x25FE
                | 0x2614..=0x2615 | 0x2648..=0x2653 | 0x267F | 0x2693 | 0x26A1
                | 0x26AA..=0x26AB | 0x26BD..=0x26BE | 0x26C4..=0x26C5 | 0x26CE | 0x26D4
                | 0x26EA | 0x26F2..=0x26F3 | 0x26F5 | 0x26FA | 0x26FD | 0x2705
                | 0x270A..=0x270B | 0x2728 | 0x274C | 0x274E | 0x2753..=0x2755 | 0x2757
                | 0x2795..=0x2797 | 0x27B0 | 0x27BF | 0x2B1B..=0x2B1C | 0x2B50 | 0x2B55
                | 0x1F000..=0x1FAFF)
        })
}

/// Characters that are not drawn as glyphs at all: spaces and line ends become glue or
/// breaks, control characters are dropped. A cluster made only of these and default
/// ignorables needs no face.
pub(crate) fn needs_no_glyph(c: char) -> bool {
    c.is_whitespace() || c.is_control() || is_default_ignorable(c)
}

/// Characters a shaper handles without the font having a glyph for them (joiners, variation
/// selectors, soft hyphen, word joiner, bidi marks). A cluster is covered if every other
/// character is.
fn is_default_ignorable(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD | 0x034F | 0x061C | 0x180B..=0x180F | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F
            | 0xFE00..=0xFE0F | 0xFEFF | 0xE0000..=0xE0FFF
    )
}

impl Face {
    /// Parses face `index` of a font file. `source` names it in messages.
    fn parse(data: Arc<Vec<u8>>, index: u32, source: String) -> Result<Face, String> {
        let font = FontRef::from_index(data.as_slice(), index).map_err(|e| format!("{e}"))?;
        let charmap = font.charmap();
        if !charmap.has_map() {
            return Err("it has no Unicode character map (cmap)".to_string());
        }
        let metrics = font.metrics(
            skrifa::instance::Size::unscaled(),
            skrifa::instance::LocationRef::default(),
        );
        if metrics.units_per_em == 0 {
            return Err("its units-per-em is 0".to_string());
        }
        let em = f32::from(metrics.units_per_em);

        let mut points: Vec<u32> = charmap.mappings().map(|(c, _)| c).collect();
        points.sort_unstable();
        let mut coverage: Vec<(u32, u32)> = Vec::new();
        for c in points {
            match coverage.last_mut() {
                Some((_, end)) if c <= end.saturating_add(1) => *end = (*end).max(c),
                _ => coverage.push((c, c)),
            }
        }

        let mut features: Vec<[u8; 4]> = Vec::new();
        if let Ok(gsub) = font.gsub() {
            if let Ok(list) = gsub.feature_list() {
                features.extend(
                    list.feature_records()
                        .iter()
                        .map(|r| r.feature_tag().to_be_bytes()),
                );
            }
        }
        if let Ok(gpos) = font.gpos() {
            if let Ok(list) = gpos.feature_list() {
                features.extend(
                    list.feature_records()
                        .iter()
                        .map(|r| r.feature_tag().to_be_bytes()),
                );
            }
        }
        features.sort_unstable();
        features.dedup();

        let name = |ids: &[skrifa::string::StringId]| -> String {
            ids.iter()
                .find_map(|id| {
                    font.localized_strings(*id)
                        .english_or_first()
                        .map(|s| s.to_string())
                })
                .unwrap_or_default()
        };
        use skrifa::string::StringId;
        let family = name(&[StringId::TYPOGRAPHIC_FAMILY_NAME, StringId::FAMILY_NAME]);
        let style = name(&[
            StringId::TYPOGRAPHIC_SUBFAMILY_NAME,
            StringId::SUBFAMILY_NAME,
        ]);
        let attributes = font.attributes();

        let blob: Arc<dyn AsRef<[u8]> + Send + Sync> = data.clone();
        let shaping = harfrust::Font::new(blob, index)
            .ok_or_else(|| "the shaper cannot read it".to_string())?;

        Ok(Face {
            shaping,
            index,
            source,
            units_per_em: metrics.units_per_em,
            ascender: metrics.ascent / em,
            descender: metrics.descent / em,
            line_gap: metrics.leading / em,
            cap_height: metrics.cap_height.map_or(FALLBACK_CAP_HEIGHT, |v| v / em),
            x_height: metrics.x_height.map_or(FALLBACK_X_HEIGHT, |v| v / em),
            family,
            style,
            weight: attributes.weight.value(),
            italic: attributes.style != skrifa::attribute::Style::Normal,
            coverage,
            features,
            data,
        })
    }

    /// The parsed font, for the shaper. `None` only if the bytes changed since loading, which
    /// they cannot (they are behind an `Arc` and never mutated).
    pub fn font_ref(&self) -> Option<FontRef<'_>> {
        FontRef::from_index(self.data.as_slice(), self.index).ok()
    }

    /// The face for harfrust (`harfrust::ShaperFont::new(face.shaper_font())`), for `shape.rs`.
    pub fn shaper_font(&self) -> &harfrust::Font {
        &self.shaping
    }

    /// Whether the cmap maps `c` to a glyph.
    pub fn has_char(&self, c: char) -> bool {
        let c = c as u32;
        let i = self.coverage.partition_point(|&(_, end)| end < c);
        self.coverage.get(i).is_some_and(|&(start, _)| start <= c)
    }

    /// The nominal glyph for `c` (cmap lookup, no shaping).
    pub fn glyph_id(&self, c: char) -> Option<u16> {
        let gid = self.font_ref()?.charmap().map(c)?;
        u16::try_from(gid.to_u32()).ok()
    }

    /// The horizontal advance of glyph `gid`, in em.
    pub fn advance(&self, gid: u16) -> Option<f32> {
        let font = self.font_ref()?;
        let metrics = font.glyph_metrics(
            skrifa::instance::Size::unscaled(),
            skrifa::instance::LocationRef::default(),
        );
        let units = metrics.advance_width(skrifa::GlyphId::new(u32::from(gid)))?;
        Some(units / f32::from(self.units_per_em))
    }

    /// The ink of glyph `gid` from its outline: (top, bottom) in em above the baseline (y up;
    /// a descending glyph's bottom is negative). `None` for a glyph without an outline (a
    /// space) or one the font cannot measure (a bitmap).
    pub fn ink_bounds(&self, gid: u16) -> Option<(f32, f32)> {
        let b = self.outline_box(gid)?;
        (b.y_max > b.y_min).then_some((b.y_max, b.y_min))
    }

    /// The bounding box of glyph `gid`'s outline, in em; `None` without an outline the font
    /// can measure.
    fn outline_box(&self, gid: u16) -> Option<skrifa::metrics::BoundingBox> {
        let font = self.font_ref()?;
        let metrics = font.glyph_metrics(
            skrifa::instance::Size::unscaled(),
            skrifa::instance::LocationRef::default(),
        );
        let b = metrics.bounds(skrifa::GlyphId::new(u32::from(gid)))?;
        let em = f32::from(self.units_per_em);
        Some(skrifa::metrics::BoundingBox {
            x_min: b.x_min / em,
            y_min: b.y_min / em,
            x_max: b.x_max / em,
            y_max: b.y_max / em,
        })
    }

    /// The ink of glyph `gid` across: (left, right) in em from the glyph's origin, from its
    /// outline's bounding box. `None` for a glyph without an outline or one the font cannot
    /// measure. `cjk.rs` finds the blank side of a full-width punctuation mark with it.
    pub fn ink_across(&self, gid: u16) -> Option<(f32, f32)> {
        let b = self.outline_box(gid)?;
        (b.x_max > b.x_min).then_some((b.x_min, b.x_max))
    }

    /// The glyph with PostScript name `name` (e.g. `f_i`, the fi ligature), for tests and
    /// diagnostics. A linear scan: never call it per character.
    pub fn glyph_named(&self, name: &str) -> Option<u16> {
        let font = self.font_ref()?;
        let names = skrifa::GlyphNames::new(&font);
        let found = names.iter().find(|(_, n)| n.as_str() == name)?;
        u16::try_from(found.0.to_u32()).ok()
    }

    /// Whether GSUB or GPOS offers OpenType feature `tag` (e.g. `b"liga"`, `b"smcp"`,
    /// `b"onum"`).
    pub fn has_feature(&self, tag: &[u8; 4]) -> bool {
        self.features.binary_search(tag).is_ok()
    }
}

/// Picks one role's slot in [`RoleFaces`].
type RoleSlot = fn(&mut RoleFaces) -> &mut usize;

/// A font file requested by `book.yaml`, with the key that named it (for messages).
struct Requested<'a> {
    key: String,
    path: &'a str,
}

impl FontSet {
    /// bindery's own faces: Libertinus Serif (regular, italic, semibold, bold, bold italic),
    /// DejaVu Sans Mono, and as fallbacks Noto Serif Khmer, Noto Naskh Arabic and Noto Serif
    /// Hebrew (each regular and bold), Droid Sans Fallback (Han and kana) and Nanum Myeongjo
    /// (Hangul). Parsed once per
    /// process; later calls clone `Arc`s.
    pub fn builtin() -> FontSet {
        static BUILTIN: OnceLock<FontSet> = OnceLock::new();
        BUILTIN.get_or_init(Self::parse_builtin).clone()
    }

    fn parse_builtin() -> FontSet {
        let files = [
            BUILTIN_REGULAR,
            BUILTIN_ITALIC,
            BUILTIN_SEMIBOLD,
            BUILTIN_BOLD,
            BUILTIN_BOLD_ITALIC,
            BUILTIN_MONO,
            BUILTIN_KHMER,
            BUILTIN_KHMER_BOLD,
            BUILTIN_ARABIC,
            BUILTIN_HEBREW,
            BUILTIN_MATH,
            BUILTIN_SYMBOLS,
            BUILTIN_SYMBOLS2,
            BUILTIN_MUSIC,
            BUILTIN_EMOJI,
            BUILTIN_ARABIC_BOLD,
            BUILTIN_HEBREW_BOLD,
            BUILTIN_CJK,
            BUILTIN_HANGUL,
        ];
        let faces = files
            .iter()
            .map(|file| {
                Face::parse(
                    Arc::new(file.bytes.to_vec()),
                    0,
                    format!("built-in {}", file.name),
                )
                // The built-in files are fixed at compile time and parsed by this module's
                // tests; a failure here is a broken build, not a user error.
                .unwrap_or_else(|e| panic!("built-in font {} is unusable: {e}", file.name))
            })
            .collect();
        FontSet {
            faces,
            roles: RoleFaces {
                regular: 0,
                italic: 1,
                semibold: 2,
                bold: 3,
                bold_italic: 4,
                mono: 5,
            },
            fallbacks: vec![
                FallbackFamily {
                    regular: 6,
                    bold: Some(7),
                    scope: Scope::Any,
                },
                FallbackFamily {
                    regular: 8,
                    bold: Some(15),
                    scope: Scope::Any,
                },
                FallbackFamily {
                    regular: 9,
                    bold: Some(16),
                    scope: Scope::Any,
                },
                // Hangul, before the Han face but only for Hangul ([`Scope::Hangul`]); it has
                // no Han, so Han in a Korean text comes from the Han face as everywhere.
                FallbackFamily {
                    regular: 18,
                    bold: None,
                    scope: Scope::Hangul,
                },
                // Han and kana.
                FallbackFamily {
                    regular: 17,
                    bold: None,
                    scope: Scope::Any,
                },
                // Math letters and operators (ℋ ⅆ ∲), then symbols, arrows and dingbats, then
                // musical symbols (𝄞).
                FallbackFamily {
                    regular: 10,
                    bold: None,
                    scope: Scope::Any,
                },
                FallbackFamily {
                    regular: 11,
                    bold: None,
                    scope: Scope::Any,
                },
                FallbackFamily {
                    regular: 12,
                    bold: None,
                    scope: Scope::Any,
                },
                FallbackFamily {
                    regular: 13,
                    bold: None,
                    scope: Scope::Any,
                },
                // The mono face, for box drawing and block elements, which no text face has.
                FallbackFamily {
                    regular: 5,
                    bold: None,
                    scope: Scope::Any,
                },
                // Colour emoji last for characters that have a text glyph elsewhere (✓ ★);
                // tried first for a cluster that asks for emoji ([`wants_emoji`]).
                FallbackFamily {
                    regular: 14,
                    bold: None,
                    scope: Scope::Any,
                },
            ],
            emoji: Some(14),
        }
    }

    /// The built-in faces with `cfg`'s replacements, whose bytes `read` returns for a path as
    /// written in `book.yaml` (the caller resolves it against the book; the typesetter does no
    /// I/O). Roles not named in `cfg` keep their built-in face (semibold follows a replaced
    /// bold). `cfg.fallback` faces are tried before the built-in fallbacks.
    ///
    /// Every unreadable or unusable file is reported, not just the first.
    pub fn load(cfg: &FontsConfig, read: &FontReader<'_>) -> Result<FontSet, Vec<Diagnostic>> {
        let mut set = Self::builtin();
        let mut errors = Vec::new();
        // Each distinct path is loaded once, so a file that plays two roles is embedded once.
        let mut loaded: Vec<(String, usize)> = Vec::new();
        let mut load_one = |set: &mut FontSet, req: &Requested<'_>| -> Option<usize> {
            if let Some(&(_, face)) = loaded.iter().find(|(p, _)| p == req.path) {
                return Some(face);
            }
            let bytes = match read(req.path) {
                Ok(b) => b,
                Err(e) => {
                    errors.push(
                        Diagnostic::new(E_FONT_READ, format!("cannot read font `{}` ({}): {e}", req.path, req.key))
                            .in_file("book.yaml")
                            .with_help(format!(
                                "check the path under `{}`; it is relative to the book directory, or remove the key to use the built-in face",
                                req.key
                            )),
                    );
                    return None;
                }
            };
            match Face::parse(Arc::new(bytes), 0, req.path.to_string()) {
                Ok(face) => {
                    set.faces.push(face);
                    let index = set.faces.len() - 1;
                    loaded.push((req.path.to_string(), index));
                    Some(index)
                }
                Err(e) => {
                    errors.push(
                        Diagnostic::new(
                            E_FONT_PARSE,
                            format!("`{}` ({}) is not a usable font: {e}", req.path, req.key),
                        )
                        .in_file("book.yaml")
                        .with_help("use an OpenType (.otf) or TrueType (.ttf) file"),
                    );
                    None
                }
            }
        };

        let roles: [(&str, &Option<String>, RoleSlot); 5] = [
            ("regular", &cfg.regular, |r| &mut r.regular),
            ("italic", &cfg.italic, |r| &mut r.italic),
            ("bold", &cfg.bold, |r| &mut r.bold),
            ("bold_italic", &cfg.bold_italic, |r| &mut r.bold_italic),
            ("mono", &cfg.mono, |r| &mut r.mono),
        ];
        for (key, path, slot) in roles {
            if let Some(path) = path {
                let req = Requested {
                    key: format!("pdf.fonts.{key}"),
                    path,
                };
                if let Some(face) = load_one(&mut set, &req) {
                    *slot(&mut set.roles) = face;
                }
            }
        }
        if cfg.bold.is_some() {
            set.roles.semibold = set.roles.bold;
        }
        let mut user_fallbacks = Vec::new();
        for (i, path) in cfg.fallback.iter().enumerate() {
            let req = Requested {
                key: format!("pdf.fonts.fallback[{i}]"),
                path,
            };
            if let Some(face) = load_one(&mut set, &req) {
                user_fallbacks.push(FallbackFamily {
                    regular: face,
                    bold: None,
                    scope: Scope::Any,
                });
            }
        }
        user_fallbacks.extend(set.fallbacks.iter().copied());
        set.fallbacks = user_fallbacks;

        if errors.is_empty() {
            Ok(set)
        } else {
            Err(errors)
        }
    }

    /// The face that plays `role`: an index into [`FontSet::faces`].
    pub fn face(&self, role: Role) -> usize {
        match role {
            Role::Regular => self.roles.regular,
            Role::Italic => self.roles.italic,
            Role::Semibold => self.roles.semibold,
            Role::Bold => self.roles.bold,
            Role::BoldItalic => self.roles.bold_italic,
            Role::Mono => self.roles.mono,
        }
    }

    /// The fallback chain, in the order it is tried.
    pub fn fallbacks(&self) -> &[FallbackFamily] {
        &self.fallbacks
    }

    /// The [`FontId`] of face `face` (the same number).
    pub fn font_id(&self, face: usize) -> FontId {
        FontId(u32::try_from(face).unwrap_or(u32::MAX))
    }

    /// Every face as [`FontData`], in face order, for [`crate::typeset::frame::Document::fonts`].
    /// The PDF writer embeds only the faces a glyph run uses.
    pub fn font_data(&self) -> Vec<FontData> {
        self.faces
            .iter()
            .map(|f| FontData {
                data: Arc::clone(&f.data),
                index: f.index,
            })
            .collect()
    }

    /// Whether face `face` has a glyph for `c` (cmap lookup). False for an out-of-range face.
    pub fn has_glyph(&self, face: usize, c: char) -> bool {
        self.faces.get(face).is_some_and(|f| f.has_char(c))
    }

    /// Whether face `face` has a glyph for every character of `cluster`, ignoring
    /// default-ignorable characters (joiners, variation selectors, soft hyphen), which shapers
    /// handle without a glyph.
    pub fn covers(&self, face: usize, cluster: &str) -> bool {
        cluster
            .chars()
            .filter(|&c| !is_default_ignorable(c))
            .all(|c| self.has_glyph(face, c))
    }

    /// The first face that covers every character of `cluster` (a grapheme cluster): the
    /// `preferred` face, then each fallback family in order, taking the family's bold face
    /// when `preferred` is bold (weight ≥ 600) and the family has one, then the body (regular)
    /// face. A cluster that asks for emoji presentation tries the emoji face first. `None` when no face covers it: the
    /// caller then sets it in `preferred` (showing .notdef) and reports it.
    pub fn face_for_cluster(&self, preferred: usize, cluster: &str) -> Option<usize> {
        if let Some(emoji) = self.emoji.filter(|_| wants_emoji(cluster)) {
            if self.covers(emoji, cluster) {
                return Some(emoji);
            }
        }
        if self.covers(preferred, cluster) {
            return Some(preferred);
        }
        let bold = self
            .faces
            .get(preferred)
            .is_some_and(|f| f.weight >= BOLD_WEIGHT_THRESHOLD);
        let fallback = self.fallbacks.iter().find_map(|family| {
            if !family.scope.admits(cluster) {
                return None;
            }
            let candidates = [if bold { family.bold } else { None }, Some(family.regular)];
            candidates
                .into_iter()
                .flatten()
                .find(|&face| self.covers(face, cluster))
        });
        // Last, the body face: a letter only the roman has (Ỻ, Ⅎ) is better upright in italic
        // or code than an empty box.
        fallback.or_else(|| {
            let regular = self.roles.regular;
            (regular != preferred && self.covers(regular, cluster)).then_some(regular)
        })
    }
}

/// Which side of the text a quotation mark stands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkSide {
    Opening,
    Closing,
}

/// The marks Chinese and Japanese share with Western text and set full-width in their own
/// text (“ ” ‘ ’; the CJK brackets 「」 and punctuation 、。，！ are full-width already, and
/// only a CJK face has them), with the side each stands on; `None` for any other cluster.
pub fn full_width_mark(cluster: &str) -> Option<MarkSide> {
    match cluster {
        "“" | "‘" => Some(MarkSide::Opening),
        "”" | "’" => Some(MarkSide::Closing),
        _ => None,
    }
}

/// The ideographic space: a face that maps it is a CJK face (its marks are drawn for a
/// full-width grid).
const IDEOGRAPHIC_SPACE: char = '\u{3000}';

impl FontSet {
    /// Whether face `face` is a CJK face: it has the ideographic space.
    pub fn is_cjk_face(&self, face: usize) -> bool {
        self.has_glyph(face, IDEOGRAPHIC_SPACE)
    }

    /// The CJK face for a full-width mark in Chinese or Japanese text: `preferred` if it is a
    /// CJK face with the mark, else the first CJK face of the fallback chain that has it (the
    /// built-in Han face has no curly quotes, so they come from the Korean face, the next CJK
    /// face; a Song or Mincho face under `pdf.fonts.fallback` comes first). `None` when no
    /// CJK face has it: the ordinary decision then stands.
    fn cjk_face_for_mark(&self, preferred: usize, cluster: &str) -> Option<usize> {
        std::iter::once(preferred)
            .chain(self.fallbacks.iter().map(|f| f.regular))
            .find(|&face| self.is_cjk_face(face) && self.covers(face, cluster))
    }

    /// [`FontSet::faces_for`] for text in a language with full-width punctuation
    /// (`full_width`: Chinese, Japanese), where a mark of [`full_width_mark`] comes from a
    /// CJK face ([`FontSet::cjk_face_for_mark`]). Coverage is the same either way: the choice
    /// moves only marks the body face has too.
    pub fn faces_for_in(
        &self,
        preferred: usize,
        text: &str,
        full_width: bool,
    ) -> Vec<(Range<usize>, Option<usize>)> {
        let mut faces = self.faces_for(preferred, text);
        if full_width {
            for (range, face) in &mut faces {
                let cluster = &text[range.clone()];
                if full_width_mark(cluster).is_some() {
                    if let Some(cjk) = self.cjk_face_for_mark(preferred, cluster) {
                        *face = Some(cjk);
                    }
                }
            }
        }
        faces
    }

    /// The coverage decision, the only one: `text` cut into [`clusters`], each with the face
    /// that draws it when the preferred face is `preferred` ([`FontSet::face_for_cluster`]).
    /// Clusters that need no glyph (spaces, controls, joiners) get `Some(preferred)`. A
    /// cluster no face covers whole whose characters each have a face (a mark of one script on
    /// a letter of another) is cut into its characters, each in its own face, as a browser
    /// falls back ([`FontSet::faces_apart`]); one with a character no face has is `None`. The
    /// shaper sets each piece in its face; `check` reports every cluster not covered whole
    /// ([`FontSet::uncovered`], W0600), so the two cannot disagree.
    pub fn faces_for(&self, preferred: usize, text: &str) -> Vec<(Range<usize>, Option<usize>)> {
        let mut out = Vec::new();
        for (range, face) in self.cluster_faces(preferred, text) {
            match face {
                Some(face) => out.push((range, Some(face))),
                None => match self.faces_apart(preferred, &text[range.clone()], range.start) {
                    Some(apart) => out.extend(apart),
                    None => out.push((range, None)),
                },
            }
        }
        out
    }

    /// `text` cut into [`clusters`], each with the face that covers it whole, if one does.
    fn cluster_faces<'t>(
        &'t self,
        preferred: usize,
        text: &'t str,
    ) -> impl Iterator<Item = (Range<usize>, Option<usize>)> + 't {
        clusters(text).into_iter().map(move |range| {
            let cluster = &text[range.clone()];
            let face = if cluster.chars().all(needs_no_glyph) {
                Some(preferred)
            } else {
                self.face_for_cluster(preferred, cluster)
            };
            (range, face)
        })
    }

    /// A cluster (at `start` in its text) no face covers whole, as its characters each in the
    /// face that has it (a character that needs no glyph goes with the one before it); `None`
    /// when a character has no face at all.
    fn faces_apart(
        &self,
        preferred: usize,
        cluster: &str,
        start: usize,
    ) -> Option<Vec<(Range<usize>, Option<usize>)>> {
        let mut parts: Vec<(Range<usize>, Option<usize>)> = Vec::new();
        for (i, c) in cluster.char_indices() {
            let range = start + i..start + i + c.len_utf8();
            match parts.last_mut() {
                Some((last, _)) if needs_no_glyph(c) => last.end = range.end,
                _ => {
                    let mut buf = [0u8; 4];
                    let face = self.face_for_cluster(preferred, c.encode_utf8(&mut buf))?;
                    match parts.last_mut() {
                        Some((last, f)) if *f == Some(face) => last.end = range.end,
                        _ => parts.push((range, Some(face))),
                    }
                }
            }
        }
        (parts.len() > 1).then_some(parts)
    }

    /// The clusters of `text`, set in `role`, that no face covers whole: those drawn as the
    /// replacement mark, and those drawn apart ([`FontSet::faces_for`]).
    pub fn uncovered(&self, role: Role, text: &str) -> Vec<Range<usize>> {
        self.cluster_faces(self.face(role), text)
            .filter_map(|(range, face)| face.is_none().then_some(range))
            .collect()
    }

    /// Whether some face has a glyph for `c`: a cheap screen before a search of font folders
    /// ([`FontSet::add_found`]); the decision itself is [`FontSet::faces_for`].
    pub fn any_face_has(&self, c: char) -> bool {
        needs_no_glyph(c) || self.faces.iter().any(|f| f.has_char(c))
    }

    /// Adds the first of `candidates` (font files found in a font folder, in the order given)
    /// that has each character of `needed` no face has yet, as a fallback tried after all
    /// others. Returns, per face added, its source and the characters it was taken for.
    /// `read` gives a candidate's bytes; a file that cannot be read or parsed is skipped (a
    /// font folder holds what it holds).
    pub fn add_found(
        &mut self,
        needed: &[char],
        candidates: &[String],
        read: &FontReader<'_>,
    ) -> Vec<FoundFace> {
        let mut missing: Vec<char> = needed
            .iter()
            .copied()
            .filter(|&c| !self.any_face_has(c))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        let mut found = Vec::new();
        for source in candidates {
            if missing.is_empty() {
                break;
            }
            let Ok(bytes) = read(source) else { continue };
            let Ok(face) = Face::parse(Arc::new(bytes), 0, source.clone()) else {
                continue;
            };
            let covered: Vec<char> = missing
                .iter()
                .copied()
                .filter(|&c| face.has_char(c))
                .collect();
            if covered.is_empty() {
                continue;
            }
            missing.retain(|c| !covered.contains(c));
            let family = face.family.clone();
            self.faces.push(face);
            self.fallbacks.push(FallbackFamily {
                regular: self.faces.len() - 1,
                bold: None,
                scope: Scope::Any,
            });
            found.push(FoundFace {
                source: source.clone(),
                family,
                chars: covered,
            });
        }
        found
    }
}

/// A face [`FontSet::add_found`] took from a font folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFace {
    /// The file, as the candidate list named it.
    pub source: String,
    /// Its family name, e.g. `Noto Sans Kannada`.
    pub family: String,
    /// The characters it was taken for, in code point order.
    pub chars: Vec<char>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> FontSet {
        FontSet::builtin()
    }

    #[test]
    fn libertinus_covers_latin_punctuation_and_ligatures() {
        let set = builtin();
        let regular = set.face(Role::Regular);
        for c in ['é', '—', '–', '’', '“', 'A', 'z'] {
            assert!(set.has_glyph(regular, c), "Libertinus lacks {c:?}");
        }
        let face = &set.faces[regular];
        assert!(face.has_feature(b"liga"), "Libertinus has no liga feature");
        // The fi and fl ligatures are reached through GSUB `liga`, not through the cmap.
        assert!(face.glyph_named("f_i").is_some(), "no f_i ligature glyph");
        assert!(face.glyph_named("f_l").is_some(), "no f_l ligature glyph");
        assert!(face.has_feature(b"kern"));
        assert!(face.has_feature(b"smcp"));
        assert!(face.has_feature(b"onum"));
        assert!(!face.has_feature(b"zzzz"));
        assert_eq!(face.family, "Libertinus Serif");
    }

    #[test]
    fn harfrust_shapes_ligatures_with_the_face() {
        let set = builtin();
        let face = &set.faces[set.face(Role::Regular)];
        let shaper = harfrust::ShaperFont::new(face.shaper_font());
        let mut buffer = harfrust::Buffer::new();
        buffer.push_str("fine");
        buffer.guess_segment_properties();
        harfrust::shape(&shaper, &mut buffer, harfrust::ShapeOptions::new()).unwrap();
        let ids: Vec<u32> = buffer.glyph_infos().iter().map(|g| g.glyph_id).collect();
        let fi = u32::from(face.glyph_named("f_i").unwrap());
        assert_eq!(ids.len(), 3, "fi, n, e");
        assert_eq!(ids[0], fi);
        // Clusters are byte offsets: the ligature starts at 0, `n` at 2.
        let clusters: Vec<u32> = buffer.glyph_infos().iter().map(|g| g.cluster).collect();
        assert_eq!(clusters, [0, 2, 3]);
    }

    #[test]
    fn libertinus_lacks_khmer_and_noto_covers_it() {
        let set = builtin();
        let regular = set.face(Role::Regular);
        assert!(!set.has_glyph(regular, 'ខ'));
        let khmer = set.fallbacks()[0].regular;
        assert!(set.has_glyph(khmer, 'ខ'));
        assert!(set.faces[khmer].family.contains("Khmer"));
    }

    #[test]
    fn han_and_kana_fall_back_to_the_cjk_face() {
        let set = builtin();
        let regular = set.face(Role::Regular);
        let cjk = set.fallbacks()[4].regular;
        assert!(set.faces[cjk].family.contains("Droid Sans Fallback"));
        for cluster in ["漢", "か", "カ", "「", "。", "　"] {
            assert_eq!(
                set.face_for_cluster(regular, cluster),
                Some(cjk),
                "{cluster}"
            );
        }
        // Bold CJK has no bold face: the regular one serves.
        assert_eq!(set.face_for_cluster(set.face(Role::Bold), "漢"), Some(cjk));
    }

    #[test]
    fn hangul_falls_back_to_the_korean_face_and_han_stays_with_the_cjk_face() {
        let set = builtin();
        let regular = set.face(Role::Regular);
        let hangul = set.fallbacks()[3].regular;
        let cjk = set.fallbacks()[4].regular;
        assert_eq!(set.faces[hangul].family, "NanumMyeongjo");
        // Droid Sans Fallback has 힣 and the compatibility jamo too; the Korean face wins.
        for cluster in ["한", "글", "ㄱ", "힣"] {
            assert_eq!(
                set.face_for_cluster(regular, cluster),
                Some(hangul),
                "{cluster}"
            );
        }
        // Han in a Korean text (Hanja) and the CJK punctuation come from the CJK face, as in
        // Chinese and Japanese; Western punctuation from the body face.
        for cluster in ["漢", "字", "「", "。"] {
            assert_eq!(
                set.face_for_cluster(regular, cluster),
                Some(cjk),
                "{cluster}"
            );
        }
        assert_eq!(set.face_for_cluster(regular, "“"), Some(regular));
        // Headings and bold: the one Hangul face serves.
        assert_eq!(
            set.face_for_cluster(set.face(Role::Semibold), "한"),
            Some(hangul)
        );
    }

    #[test]
    fn cluster_fallback_picks_the_first_covering_face() {
        let set = builtin();
        let regular = set.face(Role::Regular);
        let bold = set.face(Role::Bold);
        let khmer = set.fallbacks()[0];
        assert_eq!(set.face_for_cluster(regular, "é"), Some(regular));
        // A consonant with a subscript consonant (coeng) is one grapheme cluster.
        assert_eq!(set.face_for_cluster(regular, "ក្ខ"), Some(khmer.regular));
        assert_eq!(set.face_for_cluster(bold, "ខ"), khmer.bold);
        // A zero-width joiner does not force a fallback.
        assert_eq!(set.face_for_cluster(regular, "e\u{200D}"), Some(regular));
        // Linear B is in none of the faces.
        assert_eq!(set.face_for_cluster(regular, "\u{10000}"), None);
        assert!(!set.has_glyph(999, 'a'));
    }

    /// [`FontSet::faces_for`] tiles its text: the pieces follow each other without gap or
    /// overlap, whatever the clusters. A cluster no face has whole, but each of whose
    /// characters one has (a Khmer vowel sign on a Latin letter), is set apart, each in its
    /// face, a joiner staying with the character before it; one with a character no face has
    /// (Linear B) stays whole, without a face. `uncovered` names both.
    #[test]
    fn faces_for_tiles_the_text_and_sets_a_foreign_mark_apart() {
        let set = builtin();
        let regular = set.face(Role::Regular);
        let khmer = set.fallbacks()[0].regular;
        for text in [
            "Q\u{17B6} ok",
            "\u{17B6}",
            " \u{301}x",
            "A\u{17B6}\u{200D}b",
            "\u{10000}\u{301}",
            "e\u{200D}👨\u{200D}👩\u{200D}👧 ក្ខ",
            "",
        ] {
            let pieces = set.faces_for(regular, text);
            let mut at = 0;
            for (range, _) in &pieces {
                assert_eq!(range.start, at, "{text:?}: {pieces:?}");
                assert!(range.end > range.start, "{text:?}: {pieces:?}");
                at = range.end;
            }
            assert_eq!(at, text.len(), "{text:?}: {pieces:?}");
        }
        let apart = set.faces_for(regular, "Q\u{17B6}\u{200D}b");
        assert_eq!(
            apart,
            [
                (0..1, Some(regular)),
                (1..7, Some(khmer)),
                (7..8, Some(regular))
            ]
        );
        assert_eq!(
            set.uncovered(Role::Regular, "Q\u{17B6}\u{200D}b"),
            vec![0..7]
        );
        let linear_b = "\u{10000}\u{301}";
        assert_eq!(set.faces_for(regular, linear_b), [(0..6, None)]);
        assert_eq!(set.uncovered(Role::Regular, linear_b), vec![0..6]);
    }

    #[test]
    fn metrics_are_sane() {
        let set = builtin();
        for face in &set.faces {
            assert!(face.units_per_em >= 16, "{}", face.source);
            assert!(
                (0.5..1.5).contains(&face.ascender),
                "{} ascender {}",
                face.source,
                face.ascender
            );
            // Naskh Arabic descends deepest, to -0.634 em.
            assert!(
                (-0.7..-0.1).contains(&face.descender),
                "{} descender {}",
                face.source,
                face.descender
            );
            // Faces without Latin letters (Naskh Arabic, Serif Hebrew) have no x-height.
            if face.has_char('x') {
                assert!(
                    face.x_height > 0.3 && face.x_height < face.cap_height,
                    "{}",
                    face.source
                );
                assert!(face.cap_height < face.ascender, "{}", face.source);
            }
        }
        let regular = &set.faces[set.face(Role::Regular)];
        assert_eq!(regular.units_per_em, 1000);
        assert!(!regular.italic && regular.weight < BOLD_WEIGHT_THRESHOLD);
        assert!(set.faces[set.face(Role::Italic)].italic);
        assert!(set.faces[set.face(Role::Bold)].weight >= 700.0);
        assert!(set.faces[set.face(Role::Semibold)].weight >= BOLD_WEIGHT_THRESHOLD);
        // The mono face is monospaced: 'i' and 'm' advance alike.
        let mono = &set.faces[set.face(Role::Mono)];
        let (i, m) = (mono.glyph_id('i').unwrap(), mono.glyph_id('m').unwrap());
        assert_eq!(mono.advance(i), mono.advance(m));
        // A space in Libertinus is a little over a quarter em.
        let space = regular.glyph_id(' ').unwrap();
        let w = regular.advance(space).unwrap();
        assert!((0.2..0.35).contains(&w), "space {w}");
    }

    #[test]
    fn font_data_follows_face_order() {
        let set = builtin();
        let data = set.font_data();
        assert_eq!(data.len(), set.faces.len());
        assert!(Arc::ptr_eq(&data[3].data, &set.faces[3].data));
        assert_eq!(set.font_id(3), FontId(3));
    }

    #[test]
    fn load_reports_every_bad_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("junk.otf"), b"not a font").unwrap();
        let cfg = FontsConfig {
            regular: Some("missing.otf".into()),
            italic: Some("junk.otf".into()),
            ..FontsConfig::default()
        };
        let errors = FontSet::load(&cfg, &|p| std::fs::read(dir.path().join(p))).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].code, E_FONT_READ);
        assert!(errors[0].message.contains("pdf.fonts.regular"));
        assert_eq!(errors[1].code, E_FONT_PARSE);
    }

    #[test]
    fn load_replaces_roles_and_prepends_fallbacks() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.otf"), BUILTIN_BOLD_ITALIC.bytes).unwrap();
        std::fs::write(dir.path().join("k.ttf"), BUILTIN_KHMER_BOLD.bytes).unwrap();
        let cfg = FontsConfig {
            bold: Some("b.otf".into()),
            bold_italic: Some("b.otf".into()),
            fallback: vec!["k.ttf".into()],
            ..FontsConfig::default()
        };
        let set = FontSet::load(&cfg, &|p| std::fs::read(dir.path().join(p))).unwrap();
        let builtin_count = builtin().faces.len();
        assert_eq!(set.faces.len(), builtin_count + 2, "b.otf is loaded once");
        assert_eq!(set.face(Role::Bold), builtin_count);
        assert_eq!(set.face(Role::BoldItalic), builtin_count);
        assert_eq!(set.face(Role::Semibold), builtin_count);
        assert_eq!(set.face(Role::Regular), 0);
        assert_eq!(set.fallbacks()[0].regular, builtin_count + 1);
        assert_eq!(set.fallbacks().len(), builtin().fallbacks().len() + 1);
        assert_eq!(set.face_for_cluster(0, "ខ"), Some(builtin_count + 1));
    }
}
