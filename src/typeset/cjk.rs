//! Punctuation spacing in Chinese and Japanese print (docs/typesetting.md, "CJK punctuation").
//!
//! A full-width punctuation mark occupies one em but draws its ink in part of it: an opening
//! bracket (「) at the right, against the text it opens, a closing bracket or a full stop (」
//! 。) at the left, a middle dot (・) in the middle. The rest of the em is blank. Set side by
//! side at their full advance, two marks show up to a full em of blank between them ("」「",
//! "。」"), which no Japanese or Chinese book does. JIS X 4051 and the W3C's JLREQ (3.1.4,
//! consecutive punctuation) and CLREQ reduce that blank. Bindery's fonts have no `halt`,
//! `chws` or `palt` feature to do it, and a book's own font need not have them either, so
//! this module does it from the font's outlines:
//!
//! - The characters it concerns are in a small table ([`is_spaced_mark`]): opening and closing
//!   brackets and quotation marks, full stops and commas, middle dots, colon and semicolon.
//!   Which side of a mark is blank, and how much, comes from the face: the ink's bounding box
//!   against the advance ([`blanks`]). A side is blank when at least a quarter of the advance
//!   is free of ink (a smaller margin is the design's side bearing); the blank counted is at
//!   most half the advance on a mark blank on one side (the JLREQ model: a half-em mark and a
//!   half-em blank) and at most a quarter on each side of a mark blank on both (a middle dot;
//!   a centred full stop in a Traditional Chinese face).
//! - Where two marks meet, the two blanks that face each other are reduced to the smaller of
//!   them ([`space_marks`]): "」「" keeps one half em (JLREQ: a closing and an opening bracket
//!   are set a half em apart), "。」", "）、" and "（「" keep none (one side had no blank),
//!   "」・" keeps the dot's quarter. So at most a half em of blank is left between two marks.
//! - What blank remains is handed to the paragraph builder as glue (shrinkable by half its
//!   width, before anything else in the line shrinks), so that a line ending after a closing
//!   mark drops its trailing blank and ends flush, and an opening mark starting a line (other
//!   than a paragraph's first) drops its leading blank.
//!
//! Pure: shaped glyphs and the faces' outlines in, glyphs without their blanks and the blanks'
//! places out.

use super::font::FontSet;
use super::shape::Shaped;

/// The least blank, as a share of the mark's advance, that makes a side of a mark a blank side
/// (JLREQ's smallest unit of punctuation blank, a middle dot's quarter em); less is the
/// design's side bearing, which stays part of the mark.
const BLANK_SIDE_SHARE: f32 = 0.25;
/// The most blank counted on the one blank side of a mark, as a share of its advance: JLREQ
/// models a full-width mark as a half-em mark and a half-em blank.
const ONE_SIDED_BLANK_SHARE: f32 = 0.5;
/// The most blank counted on each side of a mark blank on both sides (a middle dot).
const TWO_SIDED_BLANK_SHARE: f32 = 0.25;

/// The most blank left between the inks of two marks that meet, em (JLREQ: a closing and an
/// opening bracket are set a half em apart).
const MOST_BLANK_BETWEEN_EM: f32 = 0.5;

/// A mark of a word: (segment, glyph), its (leading, trailing) blank, and the ink-free space
/// beyond them (left, right), em.
type Mark = ((usize, usize), (f32, f32), (f32, f32));

/// Whether `cluster` is a full-width punctuation mark whose blank may be adjusted: brackets
/// and quotation marks (JLREQ cl-01, cl-02), middle dots, colon and semicolon (cl-05), full
/// stops (cl-06) and commas (cl-07). Exclamation and question marks (cl-04) are full-width
/// characters in their own right in JLREQ and keep their em.
pub fn is_spaced_mark(cluster: &str) -> bool {
    let mut chars = cluster.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return false;
    };
    matches!(
        c,
        // Opening brackets and quotation marks.
        '「' | '『' | '（' | '〔' | '［' | '｛' | '〈' | '《' | '【' | '〘' | '〖' | '〝' | '｟'
        | '“' | '‘'
        // Closing brackets and quotation marks.
        | '」' | '』' | '）' | '〕' | '］' | '｝' | '〉' | '》' | '】' | '〙' | '〗' | '〟' | '｠'
        | '”' | '’'
        // Full stops and commas.
        | '。' | '．' | '、' | '，'
        // Middle dots, colon and semicolon.
        | '・' | '：' | '；'
    )
}

/// The blanks of a mark, em: (leading, trailing), from its advance, its offset and its ink's
/// left and right edges (em from the glyph's origin), as the module's documentation says.
pub fn blanks(advance: f32, x_offset: f32, ink: (f32, f32)) -> (f32, f32) {
    let (lead, trail, _) = measure(advance, x_offset, ink);
    (lead, trail)
}

/// [`blanks`], and the ink-free space left on each side beyond them (the side bearings that
/// stay part of the mark), em.
fn measure(advance: f32, x_offset: f32, ink: (f32, f32)) -> (f32, f32, (f32, f32)) {
    if advance <= 0.0 {
        return (0.0, 0.0, (0.0, 0.0));
    }
    let left = (x_offset + ink.0).max(0.0);
    let right = (advance - x_offset - ink.1).max(0.0);
    let is_blank = |b: f32| b >= BLANK_SIDE_SHARE * advance;
    let (lead, trail) = match (is_blank(left), is_blank(right)) {
        (true, true) => (
            left.min(TWO_SIDED_BLANK_SHARE * advance),
            right.min(TWO_SIDED_BLANK_SHARE * advance),
        ),
        (true, false) => (left.min(ONE_SIDED_BLANK_SHARE * advance), 0.0),
        (false, true) => (0.0, right.min(ONE_SIDED_BLANK_SHARE * advance)),
        (false, false) => (0.0, 0.0),
    };
    (lead, trail, (left - lead, right - trail))
}

/// A word's marks with their blanks taken out ([`space_marks`]).
#[derive(Debug, Clone)]
pub struct Spaced {
    /// The word's glyphs, each mark's advance without its blanks (its ink where it was).
    pub shaped: Shaped,
    /// The blank left at each place, (byte offset in the word, em), in order, none zero: a
    /// mark's leading blank stands at its cluster's start, its trailing blank at its end.
    pub blanks: Vec<(usize, f32)>,
}

/// The glyphs of `word` (`shaped`, in the faces of `fonts`) with the blanks of its full-width
/// marks taken out of their advances and returned apart, the blanks between two marks reduced
/// to the smaller of the two. `None` when the word has no such mark with a blank (most words):
/// nothing changes. Only marks drawn from a CJK face count (a Western face's “ is no em wide),
/// and only in left-to-right segments.
pub fn space_marks(shaped: &Shaped, word: &str, fonts: &FontSet) -> Option<Spaced> {
    // (segment, glyph) of each mark, with its (leading, trailing) blank and the ink-free
    // space beyond them (left, right).
    let mut marks: Vec<Mark> = Vec::new();
    for (si, segment) in shaped.segments.iter().enumerate() {
        if segment.rtl || !fonts.is_cjk_face(segment.face) {
            continue;
        }
        let Some(face) = fonts.faces.get(segment.face) else {
            continue;
        };
        for (gi, g) in segment.glyphs.iter().enumerate() {
            let Some(cluster) = word.get(g.cluster.clone()) else {
                continue;
            };
            if !is_spaced_mark(cluster) {
                continue;
            }
            let Some(ink) = face.ink_across(g.id) else {
                continue;
            };
            let (lead, trail, bearings) = measure(g.x_advance, g.x_offset, ink);
            if (lead, trail) != (0.0, 0.0) {
                marks.push(((si, gi), (lead, trail), bearings));
            }
        }
    }
    if marks.is_empty() {
        return None;
    }
    let mut out = shaped.clone();
    // The blank left on each side of each mark, after the squeeze between neighbours.
    let mut left: Vec<(f32, f32)> = marks.iter().map(|m| m.1).collect();
    for k in 1..marks.len() {
        let ((sa, ga), _, (_, bearing_a)) = marks[k - 1];
        let ((sb, gb), _, (bearing_b, _)) = marks[k];
        let a = &shaped.segments[sa].glyphs[ga];
        let b = &shaped.segments[sb].glyphs[gb];
        if a.cluster.end != b.cluster.start {
            continue;
        }
        // The two blanks facing each other become the smaller of them, and no more than
        // leaves half an em between the two inks (the side bearings count), kept on the first
        // mark's side as far as it has blank.
        let keep = left[k - 1]
            .1
            .min(left[k].0)
            .min((MOST_BLANK_BETWEEN_EM - bearing_a - bearing_b).max(0.0));
        let trailing = left[k - 1].1.min(keep);
        left[k - 1].1 = trailing;
        left[k].0 = keep - trailing;
    }
    let mut blanks: Vec<(usize, f32)> = Vec::new();
    let mut add = |at: usize, em: f32| {
        if em <= 0.0 {
            return;
        }
        match blanks.last_mut() {
            Some(last) if last.0 == at => last.1 += em,
            _ => blanks.push((at, em)),
        }
    };
    for (k, &((si, gi), (lead, trail), _)) in marks.iter().enumerate() {
        let g = &mut out.segments[si].glyphs[gi];
        g.x_offset -= lead;
        g.x_advance -= lead + trail;
        add(g.cluster.start, left[k].0);
        add(g.cluster.end, left[k].1);
    }
    blanks.sort_by_key(|b| b.0);
    blanks.dedup_by(|b, a| {
        if a.0 == b.0 {
            a.1 += b.1;
            true
        } else {
            false
        }
    });
    Some(Spaced {
        shaped: out,
        blanks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_side_is_found_from_the_ink() {
        // An opening bracket: ink in the right part of its em.
        assert_eq!(blanks(1.0, 0.0, (0.6, 0.9)), (0.5, 0.0));
        // A closing one, and a full stop: ink at the left.
        assert_eq!(blanks(1.0, 0.0, (0.1, 0.4)), (0.0, 0.5));
        // A mark set full-width with an offset (a proportional “ moved to the right).
        assert_eq!(blanks(1.0, 0.7, (0.02, 0.25)), (0.5, 0.0));
        // A middle dot: a quarter on each side.
        assert_eq!(blanks(1.0, 0.0, (0.4, 0.6)), (0.25, 0.25));
        // A mark drawn across its em (an ideograph would be): nothing.
        assert_eq!(blanks(1.0, 0.0, (0.05, 0.95)), (0.0, 0.0));
        // A side bearing under a quarter em is the design's, not a blank.
        assert_eq!(blanks(1.0, 0.0, (0.2, 0.9)), (0.0, 0.0));
    }

    /// `text` shaped as Japanese or Chinese in the built-in faces, spaced.
    fn spaced(text: &str) -> (Shaped, Spaced) {
        use super::super::font::Role;
        use super::super::shape::{Features, Shaper};
        let fonts = FontSet::builtin();
        let face = fonts.face(Role::Regular);
        let mut shaper = Shaper::new(&fonts);
        let features = Features {
            full_width_punctuation: true,
            ..Features::default()
        };
        let shaped = (*shaper.shape(text, face, features)).clone();
        let spaced = space_marks(&shaped, text, &fonts).expect("marks with blanks");
        (shaped, spaced)
    }

    /// The pen position (em) of each glyph, and its advance.
    fn pens(shaped: &Shaped) -> Vec<(f32, f32)> {
        let mut x = 0.0;
        let mut out = Vec::new();
        for g in shaped.segments.iter().flat_map(|s| &s.glyphs) {
            out.push((x, g.x_advance));
            x += g.x_advance;
        }
        out
    }

    #[test]
    fn the_built_in_han_face_draws_its_marks_in_half_their_em() {
        // Droid Sans Fallback, as measured: brackets and stops have a half em of blank on one
        // side, the middle dot a quarter on each.
        for (text, lead, trail) in [
            ("「", 0.5, 0.0),
            ("」", 0.0, 0.5),
            ("。", 0.0, 0.5),
            ("、", 0.0, 0.5),
            ("『", 0.5, 0.0),
            ("』", 0.0, 0.5),
            ("・", 0.25, 0.25),
            // Its parentheses and full-width comma stand near the middle of their em: blank
            // on both sides, a quarter em counted on each.
            ("（", 0.25, 0.25),
            ("）", 0.25, 0.25),
            ("，", 0.25, 0.25),
        ] {
            let (_, s) = spaced(text);
            let got: Vec<f32> = s.blanks.iter().map(|b| b.1).collect();
            let want: Vec<f32> = [lead, trail].into_iter().filter(|&b| b > 0.0).collect();
            assert_eq!(got, want, "{text}: {:?}", s.blanks);
        }
    }

    #[test]
    fn a_closing_and_an_opening_bracket_keep_half_an_em_between_them() {
        // 」「: a full em of blank at full advances, a half em once spaced.
        let (_, s) = spaced("」「");
        assert_eq!(s.blanks, vec![(3, 0.5)]);
        // Both marks lose their blank from their box; the half em left is glue at offset 3.
        assert_eq!(pens(&s.shaped), vec![(0.0, 0.5), (0.5, 0.5)]);
        // 。」, 』」 and ）、: the second mark has no blank facing the first, so none is left
        // between them; what stays is the last one's trailing blank (and the parenthesis's
        // leading quarter).
        let (_, s) = spaced("。」");
        assert_eq!(s.blanks, vec![(6, 0.5)]);
        assert_eq!(pens(&s.shaped), vec![(0.0, 0.5), (0.5, 0.5)]);
        let (_, s) = spaced("』」");
        assert_eq!(s.blanks, vec![(6, 0.5)]);
        let (_, s) = spaced("）、");
        assert_eq!(s.blanks, vec![(0, 0.25), (6, 0.5)]);
        // 「『: the opening brackets' blanks are before the first only.
        let (_, s) = spaced("「『");
        assert_eq!(s.blanks, vec![(0, 0.5)]);
        // 」・: the dot's quarter em is left of the blank between them.
        let (_, s) = spaced("」・");
        assert_eq!(s.blanks, vec![(3, 0.25), (6, 0.25)]);
    }

    #[test]
    fn a_colon_before_a_quotation_mark_leaves_half_an_em_between_their_inks() {
        // Chinese ：“: the colon's ink is small and centred (Droid Sans Fallback), the
        // quotation mark is Nanum Myeongjo's, set full-width: the blank between the two inks
        // is cut to half an em, side bearings included.
        let fonts = FontSet::builtin();
        let (_, s) = spaced("：“");
        let glyphs: Vec<_> = s.shaped.segments.iter().flat_map(|g| &g.glyphs).collect();
        let faces: Vec<usize> = s
            .shaped
            .segments
            .iter()
            .flat_map(|g| g.glyphs.iter().map(|_| g.face))
            .collect();
        let ink = |k: usize| fonts.faces[faces[k]].ink_across(glyphs[k].id).unwrap();
        let glue: f32 = s.blanks.iter().filter(|b| b.0 == 3).map(|b| b.1).sum();
        let colon_ink_end = glyphs[0].x_offset + ink(0).1;
        let quote_ink_start = glyphs[0].x_advance + glue + glyphs[1].x_offset + ink(1).0;
        assert!(
            (quote_ink_start - colon_ink_end - 0.5).abs() < 1e-4,
            "{:?}",
            (colon_ink_end, quote_ink_start, &s.blanks)
        );
    }

    #[test]
    fn only_full_width_punctuation_is_spaced() {
        for mark in ["「", "」", "。", "、", "（", "）", "・", "：", "“", "”"] {
            assert!(is_spaced_mark(mark), "{mark}");
        }
        for other in ["！", "？", "川", "あ", "a", ".", "。」"] {
            assert!(!is_spaced_mark(other), "{other}");
        }
    }
}
