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
//! last line are on the right. Not yet: explicit embeddings and isolates (`dir` on a span, which
//! the model does not carry), and levels that change inside one word.

use unicode_bidi::{bidi_class, BidiClass, BidiInfo, Direction, Level, ParagraphBidiInfo};

use super::frame::Item;

/// Whether `text` holds a strong right-to-left character (Hebrew, Arabic, Syriac, Thaana…).
pub fn has_rtl(text: &str) -> bool {
    !text.is_ascii()
        && text
            .chars()
            .any(|c| matches!(bidi_class(c), BidiClass::R | BidiClass::AL))
}

/// Whether a paragraph is right to left: its first strong character is (rule P2).
pub fn paragraph_is_rtl(text: &str) -> bool {
    !text.is_ascii() && unicode_bidi::get_base_direction(text) == Direction::Rtl
}

/// The embedding level of each glyph run of a line (`texts`, in logical order), by the Unicode
/// bidi algorithm over the line's text (the runs joined by spaces): a run takes the resolved
/// level of its first strong character or number (rules W1–W7, N1–N2, I1–I2: a number in
/// right-to-left text reads left to right, a neutral between two right-to-left words is right to
/// left), or of its first character when it has neither.
fn run_levels(texts: &[&str], rtl_paragraph: bool) -> Vec<u8> {
    let mut line = String::new();
    let mut ranges = Vec::with_capacity(texts.len());
    for (i, t) in texts.iter().enumerate() {
        if i > 0 {
            line.push(' ');
        }
        ranges.push(line.len()..line.len() + t.len());
        line.push_str(t);
    }
    let base = if rtl_paragraph {
        Level::rtl()
    } else {
        Level::ltr()
    };
    let info = ParagraphBidiInfo::new(&line, Some(base));
    ranges
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
            let at = decisive.unwrap_or(range.start);
            info.levels.get(at).map_or(base.number(), |l| l.number())
        })
        .collect()
}

/// Moves the glyph runs of one line (set in logical order, `width` pt wide) into visual
/// order. Links and anchors move with the run they sit on. A no-op for a left-to-right line
/// without right-to-left text.
pub fn reorder_line(items: &mut [Item], width: f32, rtl_paragraph: bool) {
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
    let levels = run_levels(&texts, rtl_paragraph);
    if runs.is_empty() || (!rtl_paragraph && levels.iter().all(|&l| l == 0)) {
        return;
    }
    let xs: Vec<(f32, f32)> = runs.iter().map(|&i| extent(i)).collect();
    // A run with right-to-left letters was shaped right to left (its glyphs in visual order);
    // it stands at an odd level. Neutrals at an odd level were shaped left to right and keep
    // their glyphs in logical order.
    for (&i, &level) in runs.iter().zip(&levels) {
        if let Item::Glyphs(run) = &mut items[i] {
            run.rtl = level % 2 == 1 && has_rtl(&run.text);
        }
    }
    let n = xs.len();
    // Gaps after each run, in logical order.
    let gaps: Vec<f32> = (0..n.saturating_sub(1))
        .map(|k| xs[k + 1].0 - (xs[k].0 + xs[k].1))
        .collect();
    let (first, last) = (xs[0].0, xs[n - 1].0 + xs[n - 1].1);
    let left = if rtl_paragraph { width - last } else { first };
    let bidi_levels: Vec<Level> = levels
        .iter()
        .map(|&l| Level::new(l).unwrap_or_else(|_| Level::ltr()))
        .collect();
    let order = BidiInfo::reorder_visual(&bidi_levels);
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

    #[test]
    fn levels_and_directions() {
        assert!(has_rtl("سلام") && has_rtl("שלום") && !has_rtl("hello") && !has_rtl("ខ្មែរ"));
        assert!(paragraph_is_rtl("«سلام» hello") && !paragraph_is_rtl("hello سلام"));
        assert_eq!(run_levels(&["سلام،"], false), [1]);
        assert_eq!(run_levels(&["hello"], true), [2]);
        assert_eq!(run_levels(&["1975"], true), [2]);
        assert_eq!(run_levels(&["—"], true), [1]);
        assert_eq!(run_levels(&["—"], false), [0]);
        // A neutral between two right-to-left words is right to left (N1), between a
        // right-to-left and a left-to-right one it takes the paragraph's direction (N2).
        assert_eq!(
            run_levels(&["hello", "سلام", "—", "عليكم", "world"], false),
            [0, 1, 1, 1, 0]
        );
        assert_eq!(
            run_levels(&["hello", "سلام", "—", "world"], false),
            [0, 1, 0, 0]
        );
        // An English phrase and a number in Arabic: left to right inside the right-to-left
        // paragraph; parentheses around the phrase follow the paragraph (level 1).
        assert_eq!(
            run_levels(&["قال", "(", "John", "Smith", ")", "عام", "1975"], true),
            [1, 1, 2, 2, 1, 1, 2]
        );
    }
}
