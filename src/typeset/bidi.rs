//! Right-to-left text in a line: the Unicode bidi algorithm's character classes, paragraph
//! direction and visual reordering (UAX #9, rule L2), from the `unicode-bidi` crate, the only
//! module that knows it.
//!
//! Words are shaped one by one (harfrust gives an Arabic or Hebrew word's glyphs in visual
//! order already); what remains is the order of the words on a line. The line is set in
//! logical order first; [`reorder_line`] then gives each glyph run its embedding level (from
//! its first strong character) and moves the runs into visual order. A right-to-left
//! paragraph is also mirrored within the measure, so its indent and its ragged last line are
//! on the right.

use unicode_bidi::{bidi_class, BidiClass, BidiInfo, Direction, Level};

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

/// The embedding level of one word's run: 1 for right to left; for left to right 0 in a
/// left-to-right paragraph and 2 in a right-to-left one. A run with no strong character takes
/// the paragraph's level, except numbers, which read left to right (W7 and I2).
fn run_level(text: &str, rtl_paragraph: bool) -> u8 {
    let ltr = if rtl_paragraph { 2 } else { 0 };
    let mut number = false;
    for c in text.chars() {
        match bidi_class(c) {
            BidiClass::L => return ltr,
            BidiClass::R | BidiClass::AL => return 1,
            BidiClass::EN | BidiClass::AN => number = true,
            _ => {}
        }
    }
    match (number, rtl_paragraph) {
        (true, _) => ltr,
        (false, true) => 1,
        (false, false) => 0,
    }
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
    let levels: Vec<u8> = runs
        .iter()
        .map(|&i| match &items[i] {
            Item::Glyphs(r) => run_level(&r.text, rtl_paragraph),
            _ => 0,
        })
        .collect();
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
        assert_eq!(run_level("سلام،", false), 1);
        assert_eq!(run_level("hello", true), 2);
        assert_eq!(run_level("1975", true), 2);
        assert_eq!(run_level("—", true), 1);
        assert_eq!(run_level("—", false), 0);
    }
}
