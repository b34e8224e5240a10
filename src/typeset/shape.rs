//! Text shaping: a string in a face with OpenType features → positioned glyphs with cluster
//! ranges. With `font.rs`, the only module that knows harfrust.
//!
//! Text is split into clusters (a base character with its combining marks; a Khmer consonant
//! with its coeng subscripts and dependent vowels), each cluster gets the first face that covers
//! it ([`FontSet::face_for_cluster`]), and consecutive clusters in the same face are shaped
//! together as one segment. So no text shows a .notdef box while some face covers it.
//!
//! # Units
//! [`Shaped`] holds advances and offsets in em (font units ÷ units-per-em), so one shaping serves
//! every size; [`Shaped::width`] and [`Shaped::glyphs_at`] scale to pt.
//!
//! # Threads
//! A [`Shaper`] owns its caches and is meant to be created once per thread (it is `Send`, not
//! shared): the flow may lay out chapters in parallel with `std::thread::scope`, each thread
//! with its own `Shaper`. The fonts themselves are shared (`Arc`s inside [`FontSet`]).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

pub use super::font::clusters;
use super::font::{needs_no_glyph, FontSet};
use super::frame::Glyph;

/// Optional OpenType features on top of the font's defaults (`kern`, `liga`, `calt` and the
/// script's required features are always on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Features {
    /// `smcp`: lower-case letters as small capitals (running heads).
    pub small_caps: bool,
    /// `onum`: old-style (text) figures.
    pub oldstyle_figures: bool,
    /// `tnum`: tabular figures, all one width, so that numbers in a column line up.
    pub tabular_figures: bool,
    /// Not an OpenType feature but a choice of face and advance: the text is Chinese or
    /// Japanese (`lang::Language::full_width_punctuation`), so its quotation marks “ ” ‘ ’
    /// come from a CJK face and are set full-width ([`FULL_WIDTH_EM`]).
    pub full_width_punctuation: bool,
}

/// The advance of a full-width mark, em: CJK text is set on a grid of one em (the Han face's
/// ideographs and punctuation advance exactly 1 em), whatever the mark's own face gives it.
pub const FULL_WIDTH_EM: f32 = 1.0;

/// One shaped glyph, in em.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapedGlyph {
    pub id: u16,
    /// Advance, em.
    pub x_advance: f32,
    /// Offsets from the pen position, em; y down (already flipped from the font's y up).
    pub x_offset: f32,
    pub y_offset: f32,
    /// Byte range of the glyph's cluster in the shaped text.
    pub cluster: Range<usize>,
}

/// A stretch of the text shaped in one face.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Index into [`FontSet::faces`].
    pub face: usize,
    /// Byte range of the segment in the shaped text.
    pub text: Range<usize>,
    /// Glyphs in visual order (left to right on the page: for a right-to-left segment the
    /// reverse of the text's order).
    pub glyphs: Vec<ShapedGlyph>,
    /// Shaped right to left (Arabic, Hebrew…, or neutral characters in a right-to-left word or
    /// at a right-to-left level: harfrust mirrors their brackets).
    pub rtl: bool,
}

/// A shaped string: one or more segments (more than one when fallback faces were needed).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shaped {
    pub segments: Vec<Segment>,
}

impl Shaped {
    /// Total advance in pt at `size` pt.
    pub fn width(&self, size: f32) -> f32 {
        self.width_em() * size
    }

    /// Total advance in em.
    pub fn width_em(&self) -> f32 {
        self.segments
            .iter()
            .flat_map(|s| &s.glyphs)
            .map(|g| g.x_advance)
            .sum()
    }

    /// Whether any glyph is .notdef (glyph 0): some text was in no face.
    pub fn has_notdef(&self) -> bool {
        self.segments
            .iter()
            .flat_map(|s| &s.glyphs)
            .any(|g| g.id == 0)
    }

    /// The glyphs of segment `segment` as frame glyphs at `size` pt, their text ranges shifted by
    /// `-shift` (to make them relative to a piece of the text that starts at byte `shift`).
    pub fn glyphs_at(glyphs: &[ShapedGlyph], size: f32, shift: usize) -> Vec<Glyph> {
        glyphs
            .iter()
            .map(|g| Glyph {
                id: g.id,
                x_advance: g.x_advance * size,
                x_offset: g.x_offset * size,
                y_offset: g.y_offset * size,
                text: offset(g.cluster.start.saturating_sub(shift))
                    ..offset(g.cluster.end.saturating_sub(shift)),
            })
            .collect()
    }
}

/// A byte offset as a glyph's text offset (saturating; a word is never 4 GB long).
fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// The advance of a replacement mark in a face without U+FFFD (and so drawn as `.notdef`):
/// about the width of a capital.
const REPLACEMENT_FALLBACK_EM: f32 = 0.7;

/// Cache key of a shaping request besides the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct StyleKey {
    face: usize,
    features: Features,
    /// Neutral text forced right to left ([`Shaper::shape_directed`]).
    rtl_neutrals: bool,
}

/// Shapes text with caching. Create one per thread (see the module docs).
pub struct Shaper {
    fonts: FontSet,
    /// Shaped strings per (preferred face, features), keyed by the text.
    cache: HashMap<StyleKey, HashMap<Box<str>, Arc<Shaped>>>,
    /// Compiled shaping plans per (face, features, script tag, right to left).
    plans: HashMap<(usize, Features, [u8; 4], bool), harfrust::ShapePlan>,
    /// Reused between calls to avoid reallocation.
    buffer: Option<harfrust::Buffer>,
    /// Number of cache misses (actual shaping calls), for measurements.
    pub misses: usize,
}

impl std::fmt::Debug for Shaper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shaper")
            .field("misses", &self.misses)
            .finish_non_exhaustive()
    }
}

impl Shaper {
    pub fn new(fonts: &FontSet) -> Shaper {
        Shaper {
            fonts: fonts.clone(),
            cache: HashMap::new(),
            plans: HashMap::new(),
            buffer: Some(harfrust::Buffer::new()),
            misses: 0,
        }
    }

    /// The fonts this shaper uses.
    pub fn fonts(&self) -> &FontSet {
        &self.fonts
    }

    /// Shapes `text` preferring face `face` (an index into [`FontSet::faces`]), with fallback per
    /// cluster. Cached: each distinct (text, face, features) is shaped once.
    pub fn shape(&mut self, text: &str, face: usize, features: Features) -> Arc<Shaped> {
        self.shape_directed(text, face, features, false)
    }

    /// [`Shaper::shape`], with `rtl_neutrals`: text of no direction of its own (brackets,
    /// punctuation: a word of neutral characters that the bidi algorithm sets right to left)
    /// is shaped right to left, so that harfrust orders and mirrors it. Without it such text
    /// takes its word's direction (a colon or a guillemet next to Arabic letters in another
    /// face is right to left too), else left to right.
    pub fn shape_directed(
        &mut self,
        text: &str,
        face: usize,
        features: Features,
        rtl_neutrals: bool,
    ) -> Arc<Shaped> {
        let key = StyleKey {
            face,
            features,
            rtl_neutrals,
        };
        if let Some(hit) = self.cache.get(&key).and_then(|m| m.get(text)) {
            return Arc::clone(hit);
        }
        self.misses += 1;
        let shaped = Arc::new(self.shape_uncached(text, face, features, rtl_neutrals));
        self.cache
            .entry(key)
            .or_default()
            .insert(text.into(), Arc::clone(&shaped));
        shaped
    }

    /// The advance of a space in `face`, em (the inter-word glue's natural width). Falls back
    /// to a quarter em for a face without a space glyph.
    pub fn space_width(&mut self, face: usize) -> f32 {
        /// A typical text face's word space, used only when the face has no space glyph.
        const FALLBACK_SPACE_EM: f32 = 0.25;
        let shaped = self.shape(" ", face, Features::default());
        match shaped.segments.first() {
            Some(s) if s.face == face && !shaped.has_notdef() => shaped.width_em(),
            _ => FALLBACK_SPACE_EM,
        }
    }

    fn shape_uncached(
        &mut self,
        text: &str,
        preferred: usize,
        features: Features,
        rtl_neutrals: bool,
    ) -> Shaped {
        // Each segment: its face, or `None` for clusters no face covers.
        let mut segments: Vec<(Option<usize>, Range<usize>)> = Vec::new();
        // The one coverage decision `check` uses too ([`FontSet::faces_for`]): a cluster no face
        // covers whole (which `check` has reported, W0600) is set character by character in
        // the faces that have them, or drawn as the replacement mark where one has none.
        let full_width = features.full_width_punctuation;
        for (cluster, face) in self.fonts.faces_for_in(preferred, text, full_width) {
            match segments.last_mut() {
                Some((f, range)) if *f == face => range.end = cluster.end,
                _ => segments.push((face, cluster)),
            }
        }
        // The direction of a segment without a script of its own (punctuation in a fallback
        // face): the word's, from its first letters' script, or right to left when asked.
        let neutral = if rtl_neutrals || (segments.len() > 1 && self.guess_rtl(text)) {
            harfrust::Direction::RightToLeft
        } else {
            harfrust::Direction::LeftToRight
        };
        let segments = segments
            .into_iter()
            .map(|(face, range)| match face {
                Some(face) => {
                    let (mut glyphs, rtl) =
                        self.shape_segment(text, range.clone(), face, features, neutral);
                    // Clusters that need no glyph (control characters such as U+0001 or DEL,
                    // alone or with a variation selector or joiner after them) mean nothing on
                    // paper, but a shaper gives them the face's .notdef, which would show as a
                    // box and which PDF/A refuses. Each becomes the face's space glyph with no
                    // advance: invisible, and the line keeps one glyph per cluster. The test is
                    // the coverage decision's own (`needs_no_glyph`), so the two agree.
                    let blank = self.fonts.faces.get(face).and_then(|f| f.glyph_id(' '));
                    for g in glyphs.iter_mut().filter(|g| g.id == 0) {
                        let control = text.get(g.cluster.clone()).is_some_and(|c| {
                            // Marks on a control character (a NUL with a Hebrew point, found
                            // by the fuzzer) have nothing to sit on: blank too.
                            c.chars().all(needs_no_glyph) || c.starts_with(char::is_control)
                        });
                        if let (true, Some(id)) = (control, blank) {
                            g.id = id;
                            g.x_advance = 0.0;
                            g.x_offset = 0.0;
                        }
                    }
                    if full_width {
                        self.set_full_width(text, face, &mut glyphs);
                    }
                    Segment {
                        face,
                        glyphs,
                        text: range,
                        rtl,
                    }
                }
                None => self.replacement_marks(text, range, preferred),
            })
            .collect();
        Shaped { segments }
    }

    /// Sets each full-width mark among `glyphs` (shaped in `face`, a CJK face) one em wide:
    /// an opening mark's ink against the text it opens (at the right of its em), a closing
    /// mark's against the text it closes (at the left), as CJK faces draw them.
    fn set_full_width(&self, text: &str, face: usize, glyphs: &mut [ShapedGlyph]) {
        if !self.fonts.is_cjk_face(face) {
            return;
        }
        for g in glyphs.iter_mut() {
            let mark = text
                .get(g.cluster.clone())
                .and_then(super::font::full_width_mark);
            let Some(side) = mark else { continue };
            let room = FULL_WIDTH_EM - g.x_advance;
            if room <= 0.0 {
                continue;
            }
            if side == super::font::MarkSide::Opening {
                g.x_offset += room;
            }
            g.x_advance = FULL_WIDTH_EM;
        }
    }

    /// Clusters of `text[range]` that no face covers, each drawn as the replacement character
    /// U+FFFD (�) of the first face that has it (`preferred`, else the body face): a visible
    /// mark where the reader would otherwise see an empty box, and no `.notdef` glyph, which
    /// PDF/A forbids. Each glyph keeps its cluster's text, so the PDF still extracts what the
    /// manuscript says. Only when no face has U+FFFD either is the mark `.notdef`.
    fn replacement_marks(&self, text: &str, range: Range<usize>, preferred: usize) -> Segment {
        let face = self
            .fonts
            .face_for_cluster(preferred, "\u{FFFD}")
            .unwrap_or(preferred);
        let (id, advance) = self
            .fonts
            .faces
            .get(face)
            .and_then(|f| {
                let id = f.glyph_id('\u{FFFD}')?;
                Some((id, f.advance(id)?))
            })
            .unwrap_or((0, REPLACEMENT_FALLBACK_EM));
        let glyphs = clusters(&text[range.clone()])
            .into_iter()
            .map(|c| ShapedGlyph {
                id,
                x_advance: advance,
                x_offset: 0.0,
                y_offset: 0.0,
                cluster: c.start + range.start..c.end + range.start,
            })
            .collect();
        Segment {
            face,
            text: range,
            glyphs,
            rtl: false,
        }
    }

    /// Whether harfrust guesses `text` right to left (its first letters' script is).
    fn guess_rtl(&mut self, text: &str) -> bool {
        let mut buffer = self.buffer.take().unwrap_or_default();
        buffer.clear();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let rtl = buffer.direction() == harfrust::Direction::RightToLeft;
        buffer.clear();
        self.buffer = Some(buffer);
        rtl
    }

    /// Shapes `text[range]` in one face; `neutral` is the direction of text whose script has
    /// none. Cluster ranges are made absolute in `text`. Also says whether it was shaped right
    /// to left.
    fn shape_segment(
        &mut self,
        text: &str,
        range: Range<usize>,
        face: usize,
        features: Features,
        neutral: harfrust::Direction,
    ) -> (Vec<ShapedGlyph>, bool) {
        let Some(face_data) = self.fonts.faces.get(face) else {
            return (Vec::new(), false);
        };
        let upem = f32::from(face_data.units_per_em.max(1));
        let font = face_data.shaper_font().clone();
        let shaper_font = harfrust::ShaperFont::new(&font);
        let piece = &text[range.clone()];

        let mut buffer = self.buffer.take().unwrap_or_default();
        buffer.clear();
        buffer.push_str(piece);
        // Context lets the shaper see neighbours (e.g. for contextual alternates).
        buffer.set_pre_context(&text[..range.start]);
        buffer.set_post_context(&text[range.end..]);
        buffer.guess_segment_properties();
        // Text in no script of its own (common punctuation, or none: Zyyy, Zinh, Zzzz) takes the
        // direction it stands in. So does a piece of a right-to-left script without a letter
        // written right to left: Arabic-Indic digits (٢٠٢٤, ۱۲۰) are of the Arabic script, but
        // the bidi algorithm sets a number left to right at any level (its digits are AN or EN,
        // rules W2 and I2), and shaped right to left it would print backwards.
        let scriptless = buffer
            .script()
            .is_none_or(|s| matches!(&s.tag().to_be_bytes(), b"Zyyy" | b"Zinh" | b"Zzzz"));
        let no_rtl_letter =
            buffer.direction() == harfrust::Direction::RightToLeft && !super::bidi::has_rtl(piece);
        if buffer.direction() == harfrust::Direction::Invalid || scriptless || no_rtl_letter {
            buffer.set_direction(neutral);
        }
        let rtl = buffer.direction() == harfrust::Direction::RightToLeft;
        let mut user_features = Vec::new();
        if features.small_caps {
            user_features.push(harfrust::Feature::new(harfrust::Tag::new(b"smcp"), 1, ..));
        }
        if features.oldstyle_figures {
            user_features.push(harfrust::Feature::new(harfrust::Tag::new(b"onum"), 1, ..));
        }
        if features.tabular_figures {
            user_features.push(harfrust::Feature::new(harfrust::Tag::new(b"tnum"), 1, ..));
        }
        let script_tag = buffer
            .script()
            .map(|s| s.tag().to_be_bytes())
            .unwrap_or(*b"Zyyy");
        let plan = self
            .plans
            .entry((face, features, script_tag, rtl))
            .or_insert_with(|| {
                harfrust::ShapePlan::new(
                    &font,
                    buffer.direction(),
                    buffer.script(),
                    buffer.language(),
                    &user_features,
                )
            });
        let options = harfrust::ShapeOptions::new()
            .plan(Some(plan))
            .features(&user_features);
        let mut out = Vec::new();
        if harfrust::shape(&shaper_font, &mut buffer, options).is_ok() {
            let infos = buffer.glyph_infos();
            let positions = buffer.glyph_positions();
            // Cluster starts in logical order; a cluster ends where the next one starts.
            let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
            starts.sort_unstable();
            starts.dedup();
            for (info, pos) in infos.iter().zip(positions) {
                let start = info.cluster as usize;
                let next = starts.partition_point(|&s| s <= start);
                let end = starts.get(next).copied().unwrap_or(piece.len());
                out.push(ShapedGlyph {
                    id: u16::try_from(info.glyph_id).unwrap_or(0),
                    x_advance: pos.x_advance as f32 / upem,
                    x_offset: pos.x_offset as f32 / upem,
                    y_offset: -(pos.y_offset as f32) / upem,
                    cluster: range.start + start.min(piece.len())
                        ..range.start + end.min(piece.len()),
                });
            }
        }
        buffer.clear();
        self.buffer = Some(buffer);
        (out, rtl)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::font::Role;

    fn shaper() -> Shaper {
        Shaper::new(&FontSet::builtin())
    }

    /// Arabic-Indic and extended Arabic-Indic digits are of the Arabic script, yet a number is
    /// set left to right: its glyphs come in the digits' order, the first at the left.
    #[test]
    fn arabic_indic_digits_are_shaped_left_to_right() {
        for number in ["\u{662}\u{660}\u{662}\u{664}", "\u{6F1}\u{6F2}\u{6F0}"] {
            let shaped = shaper().shape(number, 0, Features::default());
            let segments = &shaped.segments;
            assert!(segments.iter().all(|s| !s.rtl), "{number}: {segments:?}");
            let starts: Vec<usize> = segments
                .iter()
                .flat_map(|s| &s.glyphs)
                .map(|g| g.cluster.start)
                .collect();
            assert!(
                starts.windows(2).all(|w| w[0] < w[1]),
                "{number}: {starts:?}"
            );
        }
        // An Arabic word is still shaped right to left.
        let word = shaper().shape("\u{643}\u{62A}\u{627}\u{628}", 0, Features::default());
        assert!(word.segments.iter().all(|s| s.rtl), "{word:?}");
    }

    #[test]
    fn office_uses_the_ffi_ligature() {
        let mut s = shaper();
        let regular = s.fonts().face(Role::Regular);
        let shaped = s.shape("office", regular, Features::default());
        assert_eq!(shaped.segments.len(), 1);
        let glyphs = &shaped.segments[0].glyphs;
        assert!(glyphs.len() < "office".len(), "{glyphs:?}");
        assert_eq!(glyphs[1].cluster, 1..4, "the ligature covers ffi");
        assert_eq!(glyphs.last().map(|g| g.cluster.clone()), Some(5..6));
    }

    #[test]
    fn kerning_tightens_av() {
        let mut s = shaper();
        let regular = s.fonts().face(Role::Regular);
        let pair = s.shape("AV", regular, Features::default()).width(10.0);
        let a = s.shape("A", regular, Features::default()).width(10.0);
        let v = s.shape("V", regular, Features::default()).width(10.0);
        assert!(pair < a + v - 0.1, "AV {pair} vs {a} + {v}");
    }

    /// Found by the `markdown_pdf` fuzzer: U+0001 and DEL in running text became .notdef
    /// glyphs, and krilla's PDF/A validation refused the whole file.
    #[test]
    fn control_characters_draw_no_notdef_glyph() {
        let mut s = shaper();
        let regular = s.fonts().face(Role::Regular);
        let plain = s.shape("ab", regular, Features::default());
        let shaped = s.shape("a\u{1}b\u{7f}", regular, Features::default());
        assert!(!shaped.has_notdef(), "{shaped:?}");
        assert!((shaped.width(10.0) - plain.width(10.0)).abs() < 1e-4);
        // Also found by it: a control character alone in its chunk (U+001D) once left the
        // chunk without glyphs, and the line breaker's ranges went backwards. It keeps one
        // invisible glyph.
        let alone = s.shape("\u{1d}", regular, Features::default());
        assert!(!alone.has_notdef(), "{alone:?}");
        assert_eq!(
            alone.segments.iter().map(|s| s.glyphs.len()).sum::<usize>(),
            1
        );
        assert_eq!(alone.width(10.0), 0.0);
        // And by it again: NUL followed by the emoji presentation selector (U+FE0F) is one
        // cluster that needs no glyph, but it was not made only of control characters, so its
        // .notdef stayed and krilla refused the PDF.
        for text in [
            "a\0\u{FE0F}b",
            "a\u{1}\u{200D}b",
            "\0\u{FE0F}",
            "a\0\u{5C2}b",
        ] {
            let shaped = s.shape(text, regular, Features::default());
            assert!(!shaped.has_notdef(), "{text:?}: {shaped:?}");
        }
    }

    #[test]
    fn khmer_falls_back_to_the_khmer_face() {
        let mut s = shaper();
        let regular = s.fonts().face(Role::Regular);
        let khmer = s.fonts().fallbacks()[0].regular;
        let shaped = s.shape("ខ្មែរ", regular, Features::default());
        assert_eq!(shaped.segments.len(), 1);
        assert_eq!(shaped.segments[0].face, khmer);
        assert!(!shaped.has_notdef());
        assert!(shaped.width(10.0) > 5.0);
        // Mixed text: Latin stays in Libertinus.
        let mixed = s.shape("Phnom ភ្នំពេញ Penh", regular, Features::default());
        let faces: Vec<usize> = mixed.segments.iter().map(|s| s.face).collect();
        assert_eq!(faces, [regular, khmer, regular]);
        assert!(!mixed.has_notdef());
    }

    #[test]
    fn clusters_keep_coeng_sequences_whole() {
        let text = "ក្ខa\u{301}b";
        let cs: Vec<&str> = clusters(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(cs, ["ក្ខ", "a\u{301}", "b"]);
    }

    #[test]
    fn cache_shapes_each_word_once() {
        let mut s = shaper();
        let regular = s.fonts().face(Role::Regular);
        for _ in 0..3 {
            s.shape("word", regular, Features::default());
        }
        assert_eq!(s.misses, 1);
        let smcp = s.shape(
            "word",
            regular,
            Features {
                small_caps: true,
                ..Features::default()
            },
        );
        assert_eq!(s.misses, 2);
        let plain = s.shape("word", regular, Features::default());
        assert_ne!(
            smcp.segments[0].glyphs[0].id,
            plain.segments[0].glyphs[0].id
        );
    }
}
