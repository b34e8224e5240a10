//! Tables in print: column widths from the cells' content (the automatic table layout of CSS
//! 2.1 §17.5.2.2, as browsers do it), cells set by the paragraph composer (ragged right and
//! hyphenated, numbers right-aligned in tabular figures), and the size step down for a table
//! too wide for the measure. Pure: spans and a composer in, positioned cell lines out; the
//! block builder (`blocks.rs`) turns the rows into the vertical list and the structure.
//!
//! # Column widths (documented in `docs/typesetting.md`)
//! Per column, the *minimum* width is its widest word (the widest line of its cells set as
//! narrow as they go, unhyphenated) and the *maximum* its widest cell on one line. With `A` the
//! measure less the gaps between columns:
//! 1. the maxima fit in `A`: every column takes its maximum (the table is as wide as its
//!    content, never stretched);
//! 2. the minima fit: every column takes its minimum plus a share of what is left, in
//!    proportion to how much wider its maximum is than its minimum;
//! 3. neither: the table is set again one size smaller ([`TABLE_SMALL_SIZE_RATIO`]) and the
//!    widths are chosen again. If the minima still do not fit, the table is *squeezed*: the
//!    widest columns give up width, down to [`MIN_SQUEEZED_COLUMN_EM`], until the table fits,
//!    and their words break at hyphenation points; a word that still does not fit its column
//!    widens the column again, and the whole table is then scaled down until it fits the
//!    measure. The block builder reports a squeezed table (W0906).

use super::frame::Item;
use super::paragraph::{Align, Composer, Measure, Span, TextStyle};
use super::vlist::LineBox;
use crate::model;

/// Table text relative to the body: tables are dense, and smaller text fits more columns.
pub const TABLE_SIZE_RATIO: f32 = 0.9;
/// One size step down, for a table too wide at [`TABLE_SIZE_RATIO`]: the note size (TeX's
/// `\small` is 0.9 of the text and `\footnotesize` 0.8).
pub const TABLE_SMALL_SIZE_RATIO: f32 = 0.8;
/// Gap between table columns, in em of the table text.
pub const TABLE_COLUMN_GAP_EM: f32 = 1.0;
/// A squeezed column keeps at least this width, in em of the table text: about a syllable
/// and a hyphen.
pub const MIN_SQUEEZED_COLUMN_EM: f32 = 3.0;
/// How many times a squeezed table whose words still overflow is scaled down and set again:
/// each pass scales by the overflow itself, so one or two passes normally suffice.
const MAX_SCALE_PASSES: usize = 4;
/// Width the measure of a cell's "narrowest setting" takes (pt): below any word, so that each
/// line holds one word.
const NARROWEST: f32 = 1.0;
/// Width of a cell's "one-line setting" (pt): wider than any cell.
const WIDEST: f32 = 1.0e6;
/// Cells are set this much wider than their column, pt: a cell exactly as wide as its one-line
/// setting would otherwise break again over the rounding of its glyphs' widths.
const CELL_SLACK: f32 = 0.05;
/// Tolerance when comparing widths, pt.
const EPS: f32 = 0.01;

/// What a table is made of, for setting it.
#[derive(Debug, Clone)]
pub struct TableInput<'s> {
    /// Rows of cells of spans: the header rows first. Rows may be shorter than `columns`.
    pub rows: &'s [Vec<Vec<Span>>],
    /// How many of `rows` are header rows (set in the header face).
    pub head_rows: usize,
    pub columns: usize,
    /// Alignment per column, as the Markdown asks.
    pub align: &'s [model::Align],
    /// Columns of numbers (set in tabular figures).
    pub numeric: &'s [bool],
    /// The book language's decimal separator (`.` in English, `,` in German or French): a
    /// column of numbers holding one aligns its cells on it ([`decimal_anchor`]).
    pub decimal: char,
}

/// How the table came to fit the measure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fit {
    /// At [`TABLE_SIZE_RATIO`].
    Natural,
    /// One size step down ([`TABLE_SMALL_SIZE_RATIO`]).
    Smaller,
    /// Squeezed below its words' widths (see the module's notes); `column` gave up the most.
    Squeezed { column: usize, size: f32 },
}

/// A set table: positioned cell lines, relative to the table's left edge and to the row's
/// first baseline (line `k` of a cell sits at `k` × the leading).
#[derive(Debug, Clone)]
pub struct SetTable {
    /// Style of the body cells (the header cells are its semibold).
    pub style: TextStyle,
    pub widths: Vec<f32>,
    /// Gap between columns, pt.
    pub gap: f32,
    /// Width of the whole table, pt (≤ the measure).
    pub total: f32,
    /// Per row, per column, the cell's lines (already moved to their column and alignment).
    pub cells: Vec<Vec<Vec<LineBox>>>,
    pub fit: Fit,
}

impl SetTable {
    /// Lines of row `r`: its deepest cell's.
    pub fn depth(&self, r: usize) -> usize {
        self.cells
            .get(r)
            .map(|row| row.iter().map(Vec::len).max().unwrap_or(0).max(1))
            .unwrap_or(1)
    }
}

/// Column widths by the automatic table layout, or `None` when the minima do not fit
/// `available` (steps 1 and 2 of the module's notes).
pub fn column_widths(min: &[f32], max: &[f32], available: f32) -> Option<Vec<f32>> {
    let max: Vec<f32> = max.iter().zip(min).map(|(a, b)| a.max(*b)).collect();
    let sum_max: f32 = max.iter().sum();
    if sum_max <= available + EPS {
        return Some(max);
    }
    let sum_min: f32 = min.iter().sum();
    if sum_min > available + EPS {
        return None;
    }
    let spread = sum_max - sum_min;
    let extra = available - sum_min;
    Some(
        min.iter()
            .zip(&max)
            .map(|(lo, hi)| {
                if spread <= EPS {
                    *lo
                } else {
                    lo + (hi - lo) * extra / spread
                }
            })
            .collect(),
    )
}

/// Widths for a table whose minima do not fit: the widest column is narrowed to the next
/// widest (or to `floor`) until the sum fits `available`; returns the widths and the column
/// narrowed most.
pub fn squeeze(min: &[f32], available: f32, floor: f32) -> (Vec<f32>, usize) {
    let mut widths = min.to_vec();
    // The first of the widest, on a tie.
    let widest = (0..min.len()).fold(0, |best, k| if min[k] > min[best] { k } else { best });
    let mut guard = 0;
    while widths.iter().sum::<f32>() > available + EPS && guard < 4 * widths.len() + 4 {
        guard += 1;
        let over = widths.iter().sum::<f32>() - available;
        let Some(k) = (0..widths.len())
            .filter(|&k| widths[k] > floor + EPS)
            .max_by(|&a, &b| widths[a].total_cmp(&widths[b]))
        else {
            break;
        };
        // Down to the next widest column, the floor, or just enough, whichever is widest.
        let next = widths
            .iter()
            .enumerate()
            .filter(|(j, w)| *j != k && **w < widths[k] - EPS)
            .map(|(_, w)| *w)
            .fold(floor, f32::max);
        widths[k] = (widths[k] - over).max(next).max(floor);
    }
    (widths, widest)
}

/// Characters a number in a table may hold besides its digits: separators (the typography
/// pass puts U+202F or U+00A0 between digit groups), signs, currency, per cent, brackets.
const NUMBER_CHARS: &str = ".,:\u{202F}\u{00A0}\u{2009} +-\u{2212}%$€£¥()";

/// Whether a cell's text is a number (at least one digit, nothing but [`NUMBER_CHARS`] else).
pub fn is_numeric(text: &str) -> bool {
    let text = text.trim();
    text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || NUMBER_CHARS.contains(c))
}

/// The style of row `r`'s cells in column `c`.
fn cell_style(
    input: &TableInput,
    base: &TextStyle,
    head: &TextStyle,
    r: usize,
    c: usize,
) -> TextStyle {
    let mut style = if r < input.head_rows { *head } else { *base };
    if input.numeric.get(c).copied().unwrap_or(false) {
        style.features.tabular_figures = true;
    }
    style
}

fn cell_align(input: &TableInput, c: usize) -> Align {
    match input.align.get(c) {
        Some(model::Align::Center) => Align::Centre,
        _ => Align::RaggedRight,
    }
}

/// The widest line of `lines`, pt.
fn widest(lines: &[LineBox]) -> f32 {
    lines.iter().map(|l| l.width).fold(0.0, f32::max)
}

/// Sets `input` in `measure` pt, starting from `base` (the frame's style; its role is the
/// body cells'). `head_role` is the header cells' face.
pub fn set_table(
    composer: &mut Composer,
    input: &TableInput,
    base: &TextStyle,
    head_role: super::font::Role,
    measure: f32,
    hyphenate: bool,
) -> SetTable {
    let columns = input.columns.max(1);
    let styles = |size: f32| {
        let style = TextStyle { size, ..*base };
        let head = TextStyle {
            role: head_role,
            ..style
        };
        (style, head)
    };
    let mut fit = Fit::Natural;
    let mut chosen = None;
    let mut last_min = Vec::new();
    for (step, ratio) in [TABLE_SIZE_RATIO, TABLE_SMALL_SIZE_RATIO]
        .into_iter()
        .enumerate()
    {
        let size = base.size * ratio;
        let (style, head) = styles(size);
        let gap = TABLE_COLUMN_GAP_EM * size;
        let available = (measure - gap * (columns - 1) as f32).max(0.0);
        let (min, max) = content_widths(composer, input, &style, &head);
        if let Some(widths) = column_widths(&min, &max, available) {
            fit = if step == 0 {
                Fit::Natural
            } else {
                Fit::Smaller
            };
            chosen = Some((size, widths));
            break;
        }
        last_min = min;
    }
    let (mut size, mut widths) = match chosen {
        Some(c) => c,
        None => {
            let size = base.size * TABLE_SMALL_SIZE_RATIO;
            let gap = TABLE_COLUMN_GAP_EM * size;
            let available = (measure - gap * (columns - 1) as f32).max(0.0);
            let floor = (MIN_SQUEEZED_COLUMN_EM * size).min(available / columns as f32);
            let (widths, column) = squeeze(&last_min, available, floor);
            fit = Fit::Squeezed { column, size };
            (size, widths)
        }
    };
    let squeezed = matches!(fit, Fit::Squeezed { .. });
    let mut pass = 0;
    loop {
        let (style, head) = styles(size);
        let gap = TABLE_COLUMN_GAP_EM * size;
        let mut cells: Vec<Vec<Vec<LineBox>>> = Vec::with_capacity(input.rows.len());
        let mut actual = widths.clone();
        for (r, row) in input.rows.iter().enumerate() {
            let mut set_row = Vec::with_capacity(columns);
            for (c, width) in widths.iter().enumerate() {
                let spans = row.get(c).map(Vec::as_slice).unwrap_or(&[]);
                // A squeezed cell may break its last word too (the composer never hyphenates
                // a paragraph's last word; a trailing space, which sets nothing, lifts that).
                let padded: Vec<Span>;
                let spans = match spans.last() {
                    Some(last) if squeezed => {
                        padded = spans
                            .iter()
                            .cloned()
                            .chain([Span::plain(" ", last.role)])
                            .collect();
                        &padded[..]
                    }
                    _ => spans,
                };
                let lines = composer.layout(
                    spans,
                    &cell_style(input, &style, &head, r, c),
                    Measure {
                        width: *width + CELL_SLACK,
                        first_indent: 0.0,
                    },
                    cell_align(input, c),
                    hyphenate || squeezed,
                );
                actual[c] = actual[c].max(widest(&lines));
                set_row.push(lines);
            }
            cells.push(set_row);
        }
        let total = actual.iter().sum::<f32>() + gap * (columns - 1) as f32;
        if squeezed && total > measure + EPS && pass < MAX_SCALE_PASSES && total > 0.0 {
            // A word wider than its squeezed column: scale the whole table down.
            pass += 1;
            let scale = measure / total;
            size *= scale;
            widths.iter_mut().for_each(|w| *w *= scale);
            fit = Fit::Squeezed {
                column: match fit {
                    Fit::Squeezed { column, .. } => column,
                    _ => 0,
                },
                size,
            };
            continue;
        }
        // Columns of decimals: each body cell's anchor (where its separator is or would be)
        // and the widest parts on either side of it; the column widens to hold both.
        let decimals = decimal_columns(input, &cells, columns);
        let mut decimal_total = total;
        for (c, d) in decimals.iter().enumerate() {
            if let Some(d) = d {
                decimal_total += (d.left + d.right - actual[c]).max(0.0);
            }
        }
        let decimals = if decimal_total <= measure + EPS {
            for (c, d) in decimals.iter().enumerate() {
                if let Some(d) = d {
                    actual[c] = actual[c].max(d.left + d.right);
                }
            }
            decimals
        } else {
            // Aligning the separators would widen the table past the measure: the cells
            // keep the column's plain alignment.
            vec![None; columns]
        };
        let total = actual.iter().sum::<f32>() + gap * (columns - 1) as f32;
        // Move each line to its column and alignment. A right-to-left table (its cells'
        // first strong letter, else its block's or chapter's direction, as a paragraph
        // decides) puts its first column at the right.
        let rtl = composer.block_is_rtl(&table_text(input));
        for (r, row) in cells.iter_mut().enumerate() {
            let mut from = 0.0;
            for (c, lines) in row.iter_mut().enumerate() {
                let width = actual.get(c).copied().unwrap_or(0.0);
                let x = match rtl {
                    true => total - from - width,
                    false => from,
                };
                let decimal = decimals
                    .get(c)
                    .copied()
                    .flatten()
                    .filter(|_| r >= input.head_rows);
                for (k, line) in lines.iter_mut().enumerate() {
                    if let (Some(d), Some((left, anchor))) =
                        (decimal, decimal_anchor(line, input.decimal))
                    {
                        // The column's numbers as one block, aligned as the Markdown asks;
                        // inside it each cell's separator on the column's.
                        let block = match input.align.get(c) {
                            Some(model::Align::Right) => width - d.left - d.right,
                            Some(model::Align::Center) => (width - d.left - d.right) / 2.0,
                            _ => 0.0,
                        };
                        let shift = block + d.left - (anchor - left) - left;
                        super::paragraph::translate(
                            &mut line.items,
                            x + shift,
                            k as f32 * style.leading,
                        );
                        continue;
                    }
                    let shift = if rtl {
                        // A right-to-left line stands against the right of the measure it
                        // was set in: it is placed from where its glyphs begin, at the
                        // column's start (its right) unless the Markdown asks otherwise.
                        let free = (width - line.width).max(0.0);
                        let place = match input.align.get(c) {
                            Some(model::Align::Left) => 0.0,
                            Some(model::Align::Center) => free / 2.0,
                            _ => free,
                        };
                        place - line_left(line)
                    } else if input.align.get(c) == Some(&model::Align::Right) {
                        (width - line.width).max(0.0)
                    } else if input.align.get(c) == Some(&model::Align::Center) {
                        // Centred in the column's real width (the composer centred it in the
                        // measure it was given).
                        (width - widths.get(c).copied().unwrap_or(width)) / 2.0
                    } else {
                        0.0
                    };
                    super::paragraph::translate(
                        &mut line.items,
                        x + shift,
                        k as f32 * style.leading,
                    );
                }
                from += width + gap;
            }
        }
        return SetTable {
            style,
            widths: actual,
            gap,
            total,
            cells,
            fit,
        };
    }
}

/// A column of decimals: the widest part of its cells left of their anchors and right of
/// them, pt.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Decimals {
    left: f32,
    right: f32,
}

/// The columns whose body cells are all numbers on one line each, one of them at least with
/// the decimal separator between digits: their [`Decimals`] (`None` for the others).
fn decimal_columns(
    input: &TableInput,
    cells: &[Vec<Vec<LineBox>>],
    columns: usize,
) -> Vec<Option<Decimals>> {
    (0..columns)
        .map(|c| {
            if !input.numeric.get(c).copied().unwrap_or(false) {
                return None;
            }
            let body = cells
                .iter()
                .skip(input.head_rows)
                .filter_map(|row| row.get(c));
            let mut found = false;
            let mut d = Decimals {
                left: 0.0,
                right: 0.0,
            };
            for lines in body {
                match lines.as_slice() {
                    [] => {}
                    [line] => {
                        let (left, anchor) = decimal_anchor(line, input.decimal)?;
                        found |= has_decimal(line, input.decimal);
                        d.left = d.left.max(anchor - left);
                        d.right = d.right.max(line_right(line) - anchor);
                    }
                    _ => return None,
                }
            }
            found.then_some(d)
        })
        .collect()
}

/// The text of a line's glyph runs, in order.
fn line_text(line: &LineBox) -> String {
    line.items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs(run) => Some(run.text.as_str()),
            _ => None,
        })
        .collect()
}

/// Whether a line holds the separator `sep` with a digit after it ("3.25", not "4,909" read
/// with a `.` separator, nor a sentence's full stop).
fn has_decimal(line: &LineBox, sep: char) -> bool {
    let text = line_text(line);
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(2)
        .any(|w| w[0] == sep && w[1].is_ascii_digit())
}

/// The text of every cell of `input`, a space apart: what decides the table's direction.
fn table_text(input: &TableInput) -> String {
    let mut text = String::new();
    for span in input.rows.iter().flatten().flatten() {
        text.push_str(&span.text);
        text.push(' ');
    }
    text
}

/// The left edge of a line's glyphs, pt (0 for a line without glyphs).
fn line_left(line: &LineBox) -> f32 {
    let left = line
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs(run) => Some(run.x),
            _ => None,
        })
        .fold(f32::INFINITY, f32::min);
    if left.is_finite() {
        left
    } else {
        0.0
    }
}

/// The right edge of a line's glyphs, pt.
fn line_right(line: &LineBox) -> f32 {
    line.items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs(run) => Some(run.x + run.width()),
            _ => None,
        })
        .fold(0.0, f32::max)
}

/// Where a number's decimal separator `sep` is, or would be, on a line: (the line's left
/// edge, the anchor), pt. The anchor is the left edge of the first separator followed by a
/// digit, else the right edge of the last digit (an integer aligns as if its separator
/// followed it). `None` for a line without digits.
fn decimal_anchor(line: &LineBox, sep: char) -> Option<(f32, f32)> {
    let mut left = f32::INFINITY;
    let mut separator = None;
    let mut last_digit = None;
    let runs = line.items.iter().filter_map(|i| match i {
        Item::Glyphs(run) => Some(run),
        _ => None,
    });
    let mut previous_was_sep: Option<f32> = None;
    for run in runs {
        left = left.min(run.x);
        let mut pen = run.x;
        for g in &run.glyphs {
            let cluster = run
                .text
                .get(g.text.start as usize..g.text.end as usize)
                .unwrap_or("");
            let advance = g.x_advance * run.scale_x;
            if let Some(at) = previous_was_sep.take() {
                if separator.is_none() && cluster.starts_with(|c: char| c.is_ascii_digit()) {
                    separator = Some(at);
                }
            }
            if cluster.starts_with(sep) {
                previous_was_sep = Some(pen);
            }
            if cluster.chars().any(|c| c.is_ascii_digit()) {
                last_digit = Some(pen + advance);
            }
            pen += advance;
        }
    }
    let anchor = separator.or(last_digit)?;
    Some((if left.is_finite() { left } else { 0.0 }, anchor))
}

/// Each column's minimum and maximum content width (pt) at the given styles.
fn content_widths(
    composer: &mut Composer,
    input: &TableInput,
    style: &TextStyle,
    head: &TextStyle,
) -> (Vec<f32>, Vec<f32>) {
    let columns = input.columns.max(1);
    let mut min = vec![0.0f32; columns];
    let mut max = vec![0.0f32; columns];
    for (r, row) in input.rows.iter().enumerate() {
        for (c, spans) in row.iter().enumerate().take(columns) {
            if spans.is_empty() {
                continue;
            }
            let cs = cell_style(input, style, head, r, c);
            let mut set = |width: f32| {
                let lines = composer.layout(
                    spans,
                    &cs,
                    Measure {
                        width,
                        first_indent: 0.0,
                    },
                    Align::RaggedRight,
                    false,
                );
                widest(&lines)
            };
            min[c] = min[c].max(set(NARROWEST));
            max[c] = max[c].max(set(WIDEST));
        }
    }
    (min, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_columns_are_set_in_tabular_figures() {
        use crate::typeset::font::Role;
        let base = TextStyle::new(9.9, 14.0, Role::Regular);
        let head = TextStyle {
            role: Role::Semibold,
            ..base
        };
        let input = TableInput {
            rows: &[],
            head_rows: 1,
            columns: 2,
            align: &[model::Align::Left, model::Align::Right],
            numeric: &[false, true],
            decimal: '.',
        };
        assert!(
            !cell_style(&input, &base, &head, 1, 0)
                .features
                .tabular_figures
        );
        assert!(
            cell_style(&input, &base, &head, 1, 1)
                .features
                .tabular_figures
        );
        assert_eq!(cell_style(&input, &base, &head, 0, 1).role, Role::Semibold);
    }

    #[test]
    fn numbers_are_recognised() {
        for yes in [
            "4,909",
            "795\u{202F}000",
            "−3.5",
            "12 %",
            "(120)",
            "$1.50",
            "07:30",
        ] {
            assert!(is_numeric(yes), "{yes}");
        }
        for no in ["", "six", "4 km", "1990s", "—"] {
            assert!(!is_numeric(no), "{no}");
        }
    }

    #[test]
    fn widths_follow_the_automatic_table_layout() {
        // The maxima fit: each column as wide as its content.
        assert_eq!(
            column_widths(&[10.0, 20.0], &[30.0, 40.0], 100.0),
            Some(vec![30.0, 40.0])
        );
        // The minima fit: what is left is shared by max − min (here 20 and 60 of 80 wanted,
        // 40 left: half each).
        let w = column_widths(&[10.0, 20.0], &[30.0, 80.0], 70.0).expect("fits");
        assert!(
            (w[0] - 20.0).abs() < 0.01 && (w[1] - 50.0).abs() < 0.01,
            "{w:?}"
        );
        assert!((w.iter().sum::<f32>() - 70.0).abs() < 0.01);
        // The minima do not fit.
        assert_eq!(column_widths(&[50.0, 60.0], &[50.0, 90.0], 100.0), None);
    }

    #[test]
    fn squeezing_narrows_the_widest_columns_first() {
        let (w, widest) = squeeze(&[20.0, 80.0, 30.0], 100.0, 10.0);
        assert_eq!(widest, 1);
        assert!((w.iter().sum::<f32>() - 100.0).abs() < 0.01, "{w:?}");
        assert_eq!((w[0], w[2]), (20.0, 30.0), "only the widest gave up width");
        // Past the next widest, both give up width; never below the floor.
        let (w, _) = squeeze(&[40.0, 80.0, 50.0], 60.0, 15.0);
        assert!(w.iter().all(|&x| x >= 15.0 - 0.01), "{w:?}");
        assert!(w.iter().sum::<f32>() <= 60.0 + 0.01, "{w:?}");
    }
}
