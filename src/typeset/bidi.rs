//! Right-to-left text in a line: the Unicode bidi algorithm's character classes, paragraph
//! direction, resolved levels and visual reordering (UAX #9), from the `unicode-bidi` crate,
//! the only module that knows it.
//!
//! Words are shaped one by one (harfrust gives an Arabic or Hebrew word's glyphs in visual
//! order already, mirroring its brackets); what remains is the order of the words on a line.
//! The line is set in logical order first; [`reorder_line`] then resolves the levels of the
//! line's text with the algorithm (weak types, neutrals, numbers), gives each glyph run the
//! level of its first strong character or number, and moves the runs into visual order (L2).
//! A right-to-left paragraph is also mirrored within the measure, so its indent and its ragged
//! last line are on the right.
//!
//! A span marked with a direction or a language (`<span dir="rtl">`, `<bdi>`, `{dir=ltr}`,
//! `lang="ar"`: [`crate::model::Inline::direction`]) is an isolate: its text goes to the
//! algorithm between U+2067 RIGHT-TO-LEFT ISOLATE, U+2066 LEFT-TO-RIGHT ISOLATE or U+2068
//! FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE (rules X5a–X6a), as a browser does
//! for HTML's `dir`, so it is ordered as a whole and its neighbours as if it were one neutral
//! character. Not yet: levels that change inside one word.

use unicode_bidi::{bidi_class, BidiClass, BidiInfo, Direction, Level, ParagraphBidiInfo};

use super::frame::Item;
use crate::model;

/// A bidi isolate a span of text is in: the span marked with a direction (its source span is
/// its identity, so that two neighbouring spans stay two isolates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Isolate {
    pub dir: model::Direction,
    pub id: crate::source::Span,
}

impl Isolate {
    /// The isolate initiator for the algorithm.
    fn initiator(self) -> char {
        match self.dir {
            model::Direction::Ltr => '\u{2066}',
            model::Direction::Rtl => '\u{2067}',
            model::Direction::Auto => '\u{2068}',
        }
    }
}

/// U+2069 POP DIRECTIONAL ISOLATE.
const POP_ISOLATE: char = '\u{2069}';

/// Whether `text` holds a strong right-to-left character (Hebrew, Arabic, Syriac, Thaana…).
pub fn has_rtl(text: &str) -> bool {
    !text.is_ascii()
        && text
            .chars()
            .any(|c| matches!(bidi_class(c), BidiClass::R | BidiClass::AL))
}

/// The direction of `text`'s first strong character (rule P2): `Some(true)` right to left,
/// `Some(false)` left to right, `None` when it has none (digits, punctuation, spaces only).
pub fn first_strong_rtl(text: &str) -> Option<bool> {
    match unicode_bidi::get_base_direction(text) {
        Direction::Rtl => Some(true),
        Direction::Ltr => Some(false),
        Direction::Mixed => None,
    }
}

/// Whether a paragraph is right to left: its first strong character is (rule P2).
pub fn paragraph_is_rtl(text: &str) -> bool {
    !text.is_ascii() && unicode_bidi::get_base_direction(text) == Direction::Rtl
}

/// The embedding level of each glyph run of a line (`texts`, in logical order, each in the
/// isolates `isolates` gives it, outermost first), by the Unicode bidi algorithm over the line's
/// text (the runs joined by spaces, each isolate between its initiator and U+2069): a run takes
/// the resolved level of its first strong character or number (rules W1–W7, N1–N2, I1–I2: a
/// number in right-to-left text reads left to right, a neutral between two right-to-left words
/// is right to left), or of its first character when it has neither.
#[cfg(test)]
fn run_levels(texts: &[&str], isolates: &[&[Isolate]], rtl_paragraph: bool) -> Vec<u8> {
    line_levels(texts, isolates, rtl_paragraph).runs
}

/// The levels of a line's glyph runs and of the spaces between them.
struct LineLevels {
    /// Per run, in logical order.
    runs: Vec<u8>,
    /// Per gap between two runs (`gaps[k]` follows `runs[k]`): the resolved level of the space
    /// there. A space at a lower level than the runs on both sides keeps them apart in
    /// reordering (a number after a left-to-right isolate in Arabic is not part of it).
    gaps: Vec<u8>,
}

/// See [`run_levels`].
fn line_levels(texts: &[&str], isolates: &[&[Isolate]], rtl_paragraph: bool) -> LineLevels {
    let mut line = String::new();
    let mut ranges = Vec::with_capacity(texts.len());
    let mut spaces = Vec::with_capacity(texts.len());
    let mut open: &[Isolate] = &[];
    for (i, t) in texts.iter().enumerate() {
        let inside = isolates.get(i).copied().unwrap_or(&[]);
        let shared = open.iter().zip(inside).take_while(|(a, b)| a == b).count();
        // Isolates left end before the space; isolates entered begin after it.
        for _ in shared..open.len() {
            line.push(POP_ISOLATE);
        }
        if i > 0 {
            spaces.push(line.len());
            line.push(' ');
        }
        for isolate in &inside[shared..] {
            line.push(isolate.initiator());
        }
        open = inside;
        ranges.push(line.len()..line.len() + t.len());
        line.push_str(t);
    }
    for _ in 0..open.len() {
        line.push(POP_ISOLATE);
    }
    let base = if rtl_paragraph {
        Level::rtl()
    } else {
        Level::ltr()
    };
    let info = ParagraphBidiInfo::new(&line, Some(base));
    let level_at = |i: usize| info.levels.get(i).map_or(base.number(), |l| l.number());
    let runs = ranges
        .into_iter()
        .map(|range| {
            let decisive = range.clone().find(|&i| {
                line.is_char_boundary(i)
                    && matches!(
                        info.original_classes.get(i),
                        Some(
                            BidiClass::L
                                | BidiClass::R
                                | BidiClass::AL
                                | BidiClass::EN
                                | BidiClass::AN
                        )
                    )
            });
            level_at(decisive.unwrap_or(range.start))
        })
        .collect();
    LineLevels {
        runs,
        gaps: spaces.into_iter().map(level_at).collect(),
    }
}

/// The resolved bidi levels of a whole paragraph (its spans' texts, each in its isolates), for
/// decisions made before lines exist: how a word of neutral characters alone is shaped.
pub struct ParagraphLevels {
    /// Per span: where its text starts in `text`.
    starts: Vec<usize>,
    text: String,
    levels: Vec<Level>,
}

impl ParagraphLevels {
    pub fn new(texts: &[&str], isolates: &[&[Isolate]], rtl_paragraph: bool) -> ParagraphLevels {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(texts.len());
        let mut open: &[Isolate] = &[];
        for (i, t) in texts.iter().enumerate() {
            let inside = isolates.get(i).copied().unwrap_or(&[]);
            let shared = open.iter().zip(inside).take_while(|(a, b)| a == b).count();
            for _ in shared..open.len() {
                text.push(POP_ISOLATE);
            }
            for isolate in &inside[shared..] {
                text.push(isolate.initiator());
            }
            open = inside;
            starts.push(text.len());
            text.push_str(t);
        }
        let base = if rtl_paragraph {
            Level::rtl()
        } else {
            Level::ltr()
        };
        let levels = ParagraphBidiInfo::new(&text, Some(base)).levels;
        ParagraphLevels {
            starts,
            text,
            levels,
        }
    }

    /// Whether the bytes `range` of span `span` are a word of neutral characters only (no
    /// letter, no digit: a bracket, a dash) that stands at a right-to-left (odd) level, so that
    /// it is drawn right to left, mirrored (rule L4).
    pub fn neutral_right_to_left(&self, span: usize, range: std::ops::Range<usize>) -> bool {
        let Some(&start) = self.starts.get(span) else {
            return false;
        };
        let Some(word) = self.text.get(start + range.start..start + range.end) else {
            return false;
        };
        let neutral = !word.is_empty()
            && word.chars().all(|c| {
                !matches!(
                    bidi_class(c),
                    BidiClass::L | BidiClass::R | BidiClass::AL | BidiClass::EN | BidiClass::AN
                )
            });
        neutral
            && self
                .levels
                .get(start + range.start)
                .is_some_and(|l| l.is_rtl())
    }
}

/// Moves the glyph runs of one line (set in logical order, `width` pt wide) into visual
/// order. `isolates` gives each glyph run's isolates, in order (missing: none). Links and
/// anchors move with the run they sit on. A no-op for a left-to-right line without
/// right-to-left text.
pub fn reorder_line(items: &mut [Item], width: f32, rtl_paragraph: bool, isolates: &[&[Isolate]]) {
    let runs: Vec<usize> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| matches!(item, Item::Glyphs(_)).then_some(i))
        .collect();
    let extent = |i: usize| match &items[i] {
        Item::Glyphs(r) => (r.x, r.width()),
        _ => (0.0, 0.0),
    };
    let texts: Vec<&str> = runs
        .iter()
        .map(|&i| match &items[i] {
            Item::Glyphs(r) => r.text.as_str(),
            _ => "",
        })
        .collect();
    let LineLevels {
        runs: levels,
        gaps: gap_levels,
    } = line_levels(&texts, isolates, rtl_paragraph);
    if runs.is_empty() || (!rtl_paragraph && levels.iter().all(|&l| l == 0)) {
        return;
    }
    let xs: Vec<(f32, f32)> = runs.iter().map(|&i| extent(i)).collect();
    let n = xs.len();
    // Gaps after each run, in logical order.
    let gaps: Vec<f32> = (0..n.saturating_sub(1))
        .map(|k| xs[k + 1].0 - (xs[k].0 + xs[k].1))
        .collect();
    let (first, last) = (xs[0].0, xs[n - 1].0 + xs[n - 1].1);
    let left = if rtl_paragraph { width - last } else { first };
    // Runs and the spaces between them, interleaved, so that a space at a lower level splits
    // a sequence of higher runs (rule L2 reverses each maximal sequence at a level).
    let mut interleaved = Vec::with_capacity(2 * n);
    for (k, &l) in levels.iter().enumerate() {
        if k > 0 {
            interleaved.push(gap_levels.get(k - 1).copied().unwrap_or(l));
        }
        interleaved.push(l);
    }
    let bidi_levels: Vec<Level> = interleaved
        .iter()
        .map(|&l| Level::new(l).unwrap_or_else(|_| Level::ltr()))
        .collect();
    let order: Vec<usize> = BidiInfo::reorder_visual(&bidi_levels)
        .into_iter()
        .filter(|i| i % 2 == 0)
        .map(|i| i / 2)
        .collect();
    let mut new_x = vec![0.0f32; n];
    let mut cur = left;
    for (k, &i) in order.iter().enumerate() {
        new_x[i] = cur;
        cur += xs[i].1;
        if let Some(&j) = order.get(k + 1) {
            cur += gaps.get(i.min(j)).copied().unwrap_or(0.0).max(0.0);
        }
    }
    let shifts: Vec<(f32, f32, f32)> = (0..n)
        .map(|k| (xs[k].0, xs[k].0 + xs[k].1, new_x[k] - xs[k].0))
        .collect();
    for item in items.iter_mut() {
        match item {
            Item::Glyphs(r) => {
                if let Some(&(_, _, dx)) = shifts.iter().find(|s| (s.0 - r.x).abs() < 1e-3) {
                    r.x += dx;
                }
            }
            Item::Link { rect, .. } => {
                if let Some(&(_, _, dx)) =
                    shifts.iter().find(|s| rect.x >= s.0 - 1e-3 && rect.x < s.1)
                {
                    rect.x += dx;
                }
            }
            Item::Anchor { x, .. } => {
                if let Some(&(_, _, dx)) = shifts.iter().find(|s| *x >= s.0 - 1e-3 && *x < s.1) {
                    *x += dx;
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_levels_plain(texts: &[&str], rtl_paragraph: bool) -> Vec<u8> {
        run_levels(texts, &[], rtl_paragraph)
    }

    #[test]
    fn levels_and_directions() {
        assert!(has_rtl("سلام") && has_rtl("שלום") && !has_rtl("hello") && !has_rtl("ខ្មែរ"));
        assert!(paragraph_is_rtl("«سلام» hello") && !paragraph_is_rtl("hello سلام"));
        assert_eq!(run_levels_plain(&["سلام،"], false), [1]);
        assert_eq!(run_levels_plain(&["hello"], true), [2]);
        assert_eq!(run_levels_plain(&["1975"], true), [2]);
        assert_eq!(run_levels_plain(&["—"], true), [1]);
        assert_eq!(run_levels_plain(&["—"], false), [0]);
        // A neutral between two right-to-left words is right to left (N1), between a
        // right-to-left and a left-to-right one it takes the paragraph's direction (N2).
        assert_eq!(
            run_levels_plain(&["hello", "سلام", "—", "عليكم", "world"], false),
            [0, 1, 1, 1, 0]
        );
        assert_eq!(
            run_levels_plain(&["hello", "سلام", "—", "world"], false),
            [0, 1, 0, 0]
        );
        // An English phrase and a number in Arabic: left to right inside the right-to-left
        // paragraph; parentheses around the phrase follow the paragraph (level 1).
        assert_eq!(
            run_levels_plain(&["قال", "(", "John", "Smith", ")", "عام", "1975"], true),
            [1, 1, 2, 2, 1, 1, 2]
        );
    }

    #[test]
    fn isolates_are_ordered_as_a_whole() {
        let iso = |dir| Isolate {
            dir,
            id: crate::source::Span::default(),
        };
        let none: &[Isolate] = &[];
        let ltr = [iso(model::Direction::Ltr)];
        // Arabic, an English name isolated, a number, Arabic: the number is Arabic text's
        // (level 2 on its own), kept apart from the name by the space at level 1.
        let levels = line_levels(
            &["قال", "JohnSmith", "3", "مرات"],
            &[none, &ltr, none, none],
            true,
        );
        assert_eq!(
            (levels.runs, levels.gaps),
            (vec![1, 2, 2, 1], vec![1, 1, 1])
        );
        // Without the isolate the number follows the name (W7: after an L it is L).
        let plain = line_levels(&["قال", "JohnSmith", "3", "مرات"], &[], true);
        assert_eq!((plain.runs, plain.gaps), (vec![1, 2, 2, 1], vec![1, 2, 1]));
        // An Arabic name isolated in English: the colon after it stays English (level 0).
        let rtl = [iso(model::Direction::Auto)];
        assert_eq!(
            run_levels(
                &["was", "علي", "حسن", ":", "3"],
                &[none, &rtl, &rtl, none, none],
                false
            ),
            [0, 1, 1, 0, 0]
        );
        assert_eq!(
            run_levels_plain(&["was", "علي", "حسن", ":", "3"], false),
            [0, 1, 1, 1, 2]
        );
    }
}
