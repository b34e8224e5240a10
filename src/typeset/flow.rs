//! Page breaking: one chapter's vertical list ([`ChapterFlow`]) → pages of body lines, the
//! footnotes at their foot, and the headings that landed on them. Pure and font-free.
//!
//! # Model (TeX's page builder, optimised like Knuth–Plass)
//! - Body lines sit on a grid from the top of the text block. A page may end only at a finite
//!   [`VItem::Penalty`] or at a [`VItem::Space`] that directly follows a line; a penalty of
//!   `-∞` forces a break. Spaces at the top of a page are discarded.
//! - Footnotes are insertions: a page's body shrinks by its notes plus the separator
//!   ([`FlowGeometry::note_skip`]). **Every note starts on the page of its reference line.** A
//!   note that does not fit in full is split (first part ≥ 2 lines, ≥ 2 lines carried); the rest
//!   opens the next page's note area, ahead of that page's own notes. A note that cannot give
//!   even 2 lines moves its reference line (the optimiser simply never chooses such a page).
//!   Only the last note of a page may split, so that every later note still starts on its page.
//! - Breaks are chosen by dynamic programming over the whole chapter. The state at a break is
//!   (next line, note carried over, parity of the next page, how short the verso ran when the
//!   next page is its recto); the cost of a page is the break penalty, the squared number of
//!   whole lines it runs short, the spread mismatch (see below), note splitting, and a cost for a
//!   final page of ≤ 2 lines. Each state looks ahead only as far as one page can hold, so the
//!   work is linear in the chapter's length.
//! - **Spreads** are a cost, not a post-pass: a recto that runs short by a different number of
//!   lines than the verso it faces pays [`SPREAD_MISMATCH_COST`] per line of difference (the
//!   chapter's last page is exempt), so a verso forced one line short pulls its recto one line
//!   short too, and both end on the same baseline.
//! - **The quarter limit** holds by construction: from each state, only pages that end at most
//!   [`QUARTER`] of the text block early (outside a chapter's last) are tried first; a longer
//!   queue of figures, then a short page, then the emergency pass are fallbacks, each tried
//!   only when the one before found no page ([`Pass`]; the precedence is in
//!   docs/typesetting.md).
//! - If no allowed break exists within a page (a run of unbreakable material taller than the
//!   page, or notes that cannot obey the rules), an emergency pass allows any break between
//!   lines and lets notes start late, at [`EMERGENCY_COST`]. The function never fails.

use std::ops::Range;

use super::vlist::{ChapterFlow, VItem};

/// Cost per squared line that a page (not a chapter's last) runs short. A page one line short
/// costs more than breaking inside a display (150) but is far cheaper than an emergency break.
pub const SHORT_PAGE_COST: f64 = 1000.0;
/// Cost per line of difference between a recto's shortfall and its verso's: above
/// [`SHORT_PAGE_COST`], so that the recto prefers to run short with its verso.
pub const SPREAD_MISMATCH_COST: f64 = 2000.0;
/// A chapter's last page carrying ≤ [`FEW_LINES`] lines when the chapter has several pages.
pub const LAST_PAGE_FEW_LINES_COST: f64 = 5000.0;
/// A last page with this many lines or fewer looks abandoned.
pub const FEW_LINES: usize = 2;
/// Splitting a note across pages: acceptable, but a whole note is nicer.
pub const NOTE_SPLIT_COST: f64 = 300.0;
/// Notes taller than [`FlowGeometry::max_note_share`] of the page (placed whole anyway).
pub const NOTE_OVER_CAP_COST: f64 = 800.0;
/// Pages holding only the notes left over at a chapter's end.
pub const NOTE_ONLY_PAGE_COST: f64 = 20000.0;
/// A page ending in a hyphenated word (the reader turns the page mid-word).
/// docs/typesetting.md says never; this is finite only so that a page has some break when every
/// other one is forbidden, and it outweighs any number of short spreads a chapter could hold. Paragraph variants
/// ([`ChapterFlow::variants`]) give most such breaks a clean alternative: on the seed book,
/// forbidding these breaks without variants left 8 of 14 body pages a line short; with them, 2.
pub const PAGE_END_HYPHEN_COST: f64 = 1.0e6;
/// Ending a page after a line whose hyphen a paragraph variant removes (the paragraph is then
/// set a little less well): a fifth of a short page.
pub const VARIANT_COST: f64 = 200.0;
/// At most this many figures wait at once for a page with room (issue 11: a float queue
/// longer than two drifts too far from its text).
pub const MAX_WAITING_FLOATS: usize = 2;
/// Per figure waiting at a page's end: a figure set where it stands is nearer its text than
/// one moved to the next page, so moving must buy a fuller page.
pub const DEFERRED_FLOAT_COST: f64 = 100.0;
/// Per figure still waiting at the end of a page after the one it stands on, on top of
/// [`DEFERRED_FLOAT_COST`], times the square of the pages it has waited beyond that one: such
/// a figure lands two pages or more from its text, where the reader has to look for it. Its
/// first page late is as dear as a page of figures alone and three pages a line short each;
/// its second costs four times that, so that a figure does not drift pages away to spare the
/// pages between it and the chapter's end a short line each (the mdBook guide's logo drifted
/// from its section to a page of its own at the chapter's end, five pages on, when waiting
/// cost only [`DEFERRED_FLOAT_COST`] a page).
pub const LATE_FLOAT_COST: f64 = 3000.0;
/// Per figure waiting beyond [`MAX_WAITING_FLOATS`] at a page's end, when only a longer queue
/// keeps the page within the quarter limit ([`QUARTER`]): dearer than a short page of two
/// lines, far cheaper than a page a quarter empty.
pub const CROWDED_FLOAT_COST: f64 = 5000.0;
/// A page of figures alone (no text), unless its figure was turned onto a page of its own:
/// worse than a short page of one line, better than a page a quarter empty.
pub const FLOAT_PAGE_COST: f64 = 3000.0;
/// A page (not a chapter's last) ending more than a quarter of the text block early
/// ([`QUARTER`]). A page of text never does when the rules allow another page (the first
/// pass refuses it outright); this price applies where they do not (the second pass) and to
/// pages of figures alone, which the limit exempts but which should not be a quarter empty
/// either.
pub const QUARTER_SHORT_COST: f64 = 1.0e6;
/// The limit on a page's shortfall: a page that is not a chapter's last may end at most this
/// share of the text block early (issue 11).
pub const QUARTER: f32 = 0.25;
/// A break the rules forbid, taken because nothing else fits.
pub const EMERGENCY_COST: f64 = 1.0e7;
/// Shortfalls beyond this many lines are remembered as this many for the spread rule (keeps the
/// state space small; a verso that short is a rare accident anyway).
const MAX_TRACKED_SHORT: u32 = 3;
/// The most states of the optimiser kept at one line (the cheapest). A state is the page
/// beginning there with what it carries: the note carried over, the figures still waiting,
/// the parity and the verso's shortfall. Books keep a few (at most 30 on every fixture and
/// the project's book); a chapter whose notes cannot be set near their references (notes
/// longer than the pages they would go on, set late by the emergency pass) carries a backlog
/// that can be any of its notes, and kept every state such a backlog makes: hundreds per line
/// after a hundred lines, thousands after three hundred, and with them minutes of work
/// growing with the cube of the chapter. Dropping the dearest keeps the work linear; the
/// chapter is then reported (W0908).
pub const MAX_STATES_PER_START: usize = 200;
/// A page never holds more lines than this: a bound on the look-ahead for degenerate input
/// (lines of zero height), far above what a real page holds (~60).
const MAX_PAGE_LINES: usize = 1000;
/// Tolerance for comparing heights, pt (sums of f32 heights drift).
const EPS: f32 = 0.01;

/// The page as page breaking sees it. Lengths in pt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlowGeometry {
    /// Height of the text block (body and notes).
    pub text_height: f32,
    /// Body leading: the grid unit used to count how short a page runs.
    pub leading: f32,
    /// Space plus rule between the body and the first note line (TeX's `\skip\footins`).
    pub note_skip: f32,
    /// Notes may fill at most this share of the text block before they split (0–1).
    pub max_note_share: f32,
    /// Space left empty above the first line of the chapter's first page (the sink).
    pub first_page_sink: f32,
    /// Space between a figure and the text above or below it.
    pub float_space: f32,
}

/// A body line placed on a page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedLine {
    /// Index of the [`VItem::Line`] in [`ChapterFlow::body`].
    pub item: usize,
    /// Top of the line's slot, pt below the top of the text block.
    pub top: f32,
}

/// Lines of one footnote placed in a page's note area.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedNote {
    /// Index into [`ChapterFlow::notes`].
    pub note: usize,
    /// The note's lines on this page.
    pub lines: Range<usize>,
    /// Top of the first of these lines, pt below the top of the text block.
    pub top: f32,
}

impl PlacedNote {
    /// A continuation of a note begun on an earlier page.
    pub fn is_continuation(&self) -> bool {
        self.lines.start > 0
    }
}

/// A heading that landed on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedHeading {
    pub level: u8,
    pub title: String,
    pub anchor: String,
    /// Top of the heading's first line, pt below the top of the text block.
    pub top: f32,
}

/// A figure ([`VItem::Float`]) placed on a page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedFloat {
    /// Index of the [`VItem::Float`] in [`ChapterFlow::body`].
    pub item: usize,
    /// Top of the figure's first line, pt below the top of the text block.
    pub top: f32,
}

/// One laid-out page of a chapter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlowPage {
    pub lines: Vec<PlacedLine>,
    /// Figures, in order: those moved here at the top, those set where they stand among the
    /// lines.
    pub floats: Vec<PlacedFloat>,
    /// Note fragments in the order they are set, continuation first.
    pub notes: Vec<PlacedNote>,
    pub headings: Vec<PlacedHeading>,
    /// Top of the note separator, pt below the top of the text block (`None` without notes).
    pub notes_top: Option<f32>,
    /// Bottom of the last body line, pt below the top of the text block (includes the sink).
    pub body_bottom: f32,
    /// Whole body lines of empty space left on the page (0 for a full page).
    pub short_lines: u32,
    /// The page begins inside a long table: index into [`ChapterFlow::repeats`] of what it
    /// repeats at its top (the body lines start below it).
    pub repeat: Option<usize>,
}

/// Swaps in the paragraph variants ([`ChapterFlow::variants`]) that the chosen page breaks rely
/// on. A variant is used only when every page break inside its paragraph stays clean with it
/// (no line-end hyphen) and leaves every note reference on the same side of the break, so the
/// pages' notes do not change. One variant per paragraph: if two page breaks inside one
/// paragraph each relied on a different variant (a paragraph longer than a page), the second
/// keeps its hyphen. Returns how many paragraphs were swapped.
pub fn apply_variants(flow: &mut ChapterFlow, pages: &[FlowPage]) -> usize {
    let ends: std::collections::HashSet<usize> = pages
        .iter()
        .filter_map(|p| p.lines.last().map(|l| l.item))
        .collect();
    let variants = std::mem::take(&mut flow.variants);
    let mut done: std::collections::HashSet<usize> = std::collections::HashSet::new();
    let mut swapped = 0;
    for v in &variants {
        let Some(&first) = v.paragraph.first() else {
            continue;
        };
        if !ends.contains(&v.after) || done.contains(&first) {
            continue;
        }
        let original = |i: usize| match flow.body.get(i) {
            Some(VItem::Line(l)) => Some(l),
            _ => None,
        };
        if !original(v.after).is_some_and(ends_with_hyphen) {
            continue;
        }
        let changed: std::collections::HashMap<usize, &super::vlist::LineBox> =
            v.lines.iter().map(|(i, l)| (*i, l)).collect();
        let mut ok = true;
        let (mut old_notes, mut new_notes) = (Vec::new(), Vec::new());
        for &i in &v.paragraph {
            let Some(old) = original(i) else {
                ok = false;
                break;
            };
            let new = changed.get(&i).copied().unwrap_or(old);
            old_notes.extend(old.notes.iter().copied());
            new_notes.extend(new.notes.iter().copied());
            if ends.contains(&i) {
                old_notes.sort_unstable();
                new_notes.sort_unstable();
                if ends_with_hyphen(new) || old_notes != new_notes {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            continue;
        }
        for (i, new) in &v.lines {
            if let Some(VItem::Line(line)) = flow.body.get_mut(*i) {
                *line = new.clone();
            }
        }
        done.insert(first);
        swapped += 1;
    }
    swapped
}

/// Paginates one chapter. Always returns at least one page.
pub fn paginate(flow: &ChapterFlow, geometry: &FlowGeometry) -> Vec<FlowPage> {
    paginate_reporting(flow, geometry).0
}

/// What the search of [`paginate_reporting`] did: how many states it made, the most that
/// began at one line, and whether it had to drop some ([`MAX_STATES_PER_START`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FlowReport {
    /// States of the optimiser made for the chapter (pages tried that led somewhere new).
    pub states: usize,
    /// Pages the search tried (each a state reached, new or not).
    pub pages_tried: usize,
    /// The most states that began at one line, before any were dropped.
    pub peak_states_per_start: usize,
    /// Body index of the first line where states were dropped: the chapter's pages are then
    /// the best the bounded search found, not necessarily the optimum. `None` on every book
    /// that keeps its notes near their references.
    pub bounded_at: Option<usize>,
}

/// [`paginate`], and what the search did.
pub fn paginate_reporting(
    flow: &ChapterFlow,
    geometry: &FlowGeometry,
) -> (Vec<FlowPage>, FlowReport) {
    let prep = Prep::new(flow, geometry);
    let mut report = FlowReport::default();
    let pages = prep.run(&mut report);
    (pages, report)
}

/// A note carried over to the next page: rank (position in reference order) and lines done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Carry {
    rank: usize,
    done: usize,
}

#[derive(Debug, Clone)]
struct LineInfo {
    /// Index of the line in the body.
    item: usize,
    height: f32,
    /// Space between the previous line and this one (discarded at a page top).
    space_before: f32,
    /// Cost of breaking right before this line; `None` when no break is allowed there.
    gap_cost: Option<f32>,
    /// Body indexes of headings just before this line.
    headings: Vec<usize>,
    /// A page beginning with this line repeats [`ChapterFlow::repeats`]`[k]` above it.
    repeat: Option<usize>,
}

/// Whether a line ends in a hyphen (its rightmost glyph run ends with one).
fn ends_with_hyphen(line: &super::vlist::LineBox) -> bool {
    let last = line
        .items
        .iter()
        .filter_map(|item| match item {
            super::frame::Item::Glyphs(run) => Some(run),
            _ => None,
        })
        .max_by(|a, b| (a.x + a.width()).total_cmp(&(b.x + b.width())));
    last.is_some_and(|run| run.text.ends_with(['-', '\u{2010}', '\u{AD}']))
}

/// The chapter digested for the optimiser.
struct Prep<'a> {
    flow: &'a ChapterFlow,
    geo: FlowGeometry,
    lines: Vec<LineInfo>,
    /// `heights[j]` = total height of lines `0..j`; `spaces[j]` = total space before lines `0..j`.
    heights: Vec<f32>,
    spaces: Vec<f32>,
    /// Notes (indexes into `flow.notes`) in order of first reference.
    order: Vec<usize>,
    /// `rank_start[j]`: how many notes are first referenced before line `j`.
    rank_start: Vec<usize>,
    /// Per note: prefix sums of its line heights.
    note_prefix: Vec<Vec<f32>>,
    /// Headings after the last line.
    trailing_headings: Vec<usize>,
    /// The chapter's figures in order.
    floats: Vec<FloatInfo>,
}

/// A figure as the optimiser sees it.
#[derive(Debug, Clone, Copy)]
struct FloatInfo {
    /// Index of the [`VItem::Float`] in the body.
    item: usize,
    height: f32,
    /// The figure stands before line `anchor` (the number of lines before it).
    anchor: usize,
    /// It fills a page of its own.
    own_page: bool,
}

/// The result of filling a page's note area.
#[derive(Debug, Clone, Default)]
struct Fill {
    /// Height of the note area including the separator (0 without notes).
    height: f32,
    carry: Option<Carry>,
    split: bool,
    over_cap: bool,
}

/// A state of the optimiser: the page starting at `start`.
#[derive(Debug, Clone)]
struct Node {
    start: usize,
    carry: Option<Carry>,
    /// The page starting here is a verso (odd page index in the chapter).
    odd: bool,
    /// For a recto after a verso: how short that verso ran (clipped).
    verso_short: Option<u32>,
    cost: f64,
    prev: Option<usize>,
    /// The page ending here was set by the emergency pass.
    relaxed: bool,
    /// The first figure not yet placed.
    float: usize,
    /// On the page ending here, figures `prev.float..top` went at its top.
    top: usize,
    /// The pages figure `float` has waited beyond the page it stands on, counted at their
    /// ends (0 while it waits on its own page; capped at [`MAX_TRACKED_LATE`]).
    late: u8,
}

/// What makes two states the same: the cheaper of the two is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    start: usize,
    carry: Option<Carry>,
    odd: bool,
    verso_short: Option<u32>,
    float: usize,
    late: u8,
}

impl Node {
    fn key(&self) -> Key {
        Key {
            start: self.start,
            carry: self.carry,
            odd: self.odd,
            verso_short: self.verso_short,
            float: self.float,
            late: self.late,
        }
    }
}

/// A [`Node`] as the search keeps it, in 40 bytes instead of 88: a chapter of 70,000 lines
/// makes some 200,000 states, all kept to trace the best chain back.
#[derive(Debug, Clone, Copy)]
struct Stored {
    start: u32,
    /// The carried note's rank and lines done (`NONE` rank: no note carried).
    rank: u32,
    done: u32,
    /// `verso_short`, `NONE` for none.
    verso: u32,
    cost: f64,
    /// `prev`, `NONE` for none.
    prev: u32,
    float: u32,
    top: u32,
    late: u8,
    odd: bool,
    relaxed: bool,
}

/// The most pages late a state tells apart (see [`Node::late`]); a figure later still
/// pays as much for each further page.
const MAX_TRACKED_LATE: u8 = 4;

/// No value, in a [`Stored`] field (no chapter has 4 billion lines, notes or states).
const NONE: u32 = u32::MAX;

fn narrow(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(NONE - 1)
}

impl Stored {
    fn of(node: &Node) -> Stored {
        Stored {
            start: narrow(node.start),
            rank: node.carry.map_or(NONE, |c| narrow(c.rank)),
            done: node.carry.map_or(0, |c| narrow(c.done)),
            verso: node.verso_short.unwrap_or(NONE),
            cost: node.cost,
            prev: node.prev.map_or(NONE, narrow),
            float: narrow(node.float),
            top: narrow(node.top),
            late: node.late,
            odd: node.odd,
            relaxed: node.relaxed,
        }
    }

    fn node(&self) -> Node {
        let some = |v: u32| (v != NONE).then_some(v as usize);
        Node {
            start: self.start as usize,
            carry: some(self.rank).map(|rank| Carry {
                rank,
                done: self.done as usize,
            }),
            odd: self.odd,
            verso_short: (self.verso != NONE).then_some(self.verso),
            cost: self.cost,
            prev: some(self.prev),
            relaxed: self.relaxed,
            float: self.float as usize,
            top: self.top as usize,
            late: self.late,
        }
    }

    fn key(&self) -> Key {
        self.node().key()
    }
}

/// The optimiser's states: every one made (`nodes`, linked back by [`Node::prev`]), those
/// beginning at each line (`by_start`), and an index by [`Key`] of those not yet expanded.
struct Search {
    nodes: Vec<Stored>,
    by_start: Vec<Vec<usize>>,
    index: std::collections::HashMap<Key, usize>,
    /// Pages tried that kept every rule of their pass (each one recorded).
    pages_tried: usize,
}

impl<'a> Prep<'a> {
    fn new(flow: &'a ChapterFlow, geo: &FlowGeometry) -> Prep<'a> {
        let line_count = flow
            .body
            .iter()
            .filter(|i| matches!(i, VItem::Line(_)))
            .count();
        let mut lines: Vec<LineInfo> = Vec::with_capacity(line_count);
        let mut pending_headings = Vec::new();
        let mut space = 0.0f32;
        let mut gap: Option<f32> = None;
        let mut forced = false;
        let mut after_line = false;
        let mut after_hyphen = false;
        let mut after_variant = false;
        let rescued: std::collections::HashSet<usize> =
            flow.variants.iter().map(|v| v.after).collect();
        let mut floats = Vec::new();
        for (index, item) in flow.body.iter().enumerate() {
            match item {
                VItem::Float(fb) => floats.push(FloatInfo {
                    item: index,
                    height: fb.height(),
                    anchor: lines.len(),
                    own_page: fb.own_page,
                }),
                VItem::Line(line) => {
                    let gap_cost = if forced {
                        Some(f32::NEG_INFINITY)
                    } else if after_hyphen {
                        gap.map(|g| g + PAGE_END_HYPHEN_COST as f32)
                    } else if after_variant {
                        gap.map(|g| g + VARIANT_COST as f32)
                    } else {
                        gap
                    };
                    let hyphen = ends_with_hyphen(line);
                    after_variant = hyphen && rescued.contains(&index);
                    after_hyphen = hyphen && !after_variant;
                    lines.push(LineInfo {
                        item: index,
                        height: line.height.max(0.0),
                        space_before: if lines.is_empty() { 0.0 } else { space },
                        gap_cost,
                        headings: std::mem::take(&mut pending_headings),
                        repeat: flow.repeats.iter().position(|r| r.rows.contains(&index)),
                    });
                    space = 0.0;
                    gap = None;
                    forced = false;
                    after_line = true;
                }
                VItem::Space { height, .. } => {
                    if after_line {
                        gap = Some(gap.map_or(0.0, |g: f32| g.min(0.0)));
                    }
                    space += height.max(0.0);
                    after_line = false;
                }
                VItem::Penalty { cost } => {
                    if *cost == f32::NEG_INFINITY {
                        forced = true;
                    } else if cost.is_finite() {
                        gap = Some(gap.map_or(*cost, |g| g.min(*cost)));
                    }
                    after_line = false;
                }
                VItem::Heading { .. } => {
                    pending_headings.push(index);
                    after_line = false;
                }
            }
        }
        let n = lines.len();
        let mut heights = Vec::with_capacity(n + 1);
        let mut spaces = Vec::with_capacity(n + 1);
        let (mut h, mut s) = (0.0f32, 0.0f32);
        heights.push(0.0);
        spaces.push(0.0);
        for line in &lines {
            h += line.height;
            s += line.space_before;
            heights.push(h);
            spaces.push(s);
        }

        // Notes in order of first reference.
        let mut first_ref: Vec<Option<usize>> = vec![None; flow.notes.len()];
        for (j, info) in lines.iter().enumerate() {
            if let Some(VItem::Line(line)) = flow.body.get(info.item) {
                for &note in &line.notes {
                    if let Some(slot) = first_ref.get_mut(note) {
                        if slot.is_none() {
                            *slot = Some(j);
                        }
                    }
                }
            }
        }
        let mut order: Vec<usize> = (0..flow.notes.len())
            .filter(|&k| first_ref[k].is_some())
            .collect();
        order.sort_by_key(|&k| (first_ref[k], k));
        let mut rank_start = vec![0usize; n + 1];
        let mut r = 0;
        for (j, slot) in rank_start.iter_mut().enumerate() {
            while r < order.len() && first_ref[order[r]].is_some_and(|l| l < j) {
                r += 1;
            }
            *slot = r;
        }
        let note_prefix = flow
            .notes
            .iter()
            .map(|note| {
                let mut acc = 0.0f32;
                let mut prefix = vec![0.0];
                for line in &note.lines {
                    acc += line.height.max(0.0);
                    prefix.push(acc);
                }
                prefix
            })
            .collect();
        Prep {
            flow,
            geo: *geo,
            lines,
            heights,
            spaces,
            order,
            rank_start,
            note_prefix,
            trailing_headings: pending_headings,
            floats,
        }
    }

    /// How many figures stand at or before line position `j` (anchored `≤ j`).
    fn floats_upto(&self, j: usize) -> usize {
        self.floats.partition_point(|f| f.anchor <= j)
    }

    /// How late the figures `g..to` are, waiting at the end of a page that begins with line
    /// `i` after the state `node`: the pages the first of them has waited beyond the page it
    /// stands on, this page counted (0 while it stands on this one), and the weight
    /// [`LATE_FLOAT_COST`] is paid for: the square of that count, plus one for every other
    /// figure waiting that stood on an earlier page. The count is kept for the first figure
    /// waiting only: one that becomes the first (the figure ahead of it placed) counts from
    /// one, which may be fewer pages than it has waited behind the other.
    fn late(&self, node: &Node, g: usize, to: usize, i: usize) -> (u8, f64) {
        if g >= to || self.floats.get(g).is_none_or(|x| x.anchor >= i) {
            return (0, 0.0);
        }
        let late = if g == node.float {
            node.late.saturating_add(1).min(MAX_TRACKED_LATE)
        } else {
            1
        };
        let others = self.floats[g + 1..to]
            .iter()
            .filter(|x| x.anchor < i)
            .count();
        (late, f64::from(late).powi(2) + others as f64)
    }

    /// The height figures `from..to` take at the top of a page, each with the space below it;
    /// without the last one's space on a page of figures alone.
    fn top_height(&self, from: usize, to: usize, alone: bool) -> f32 {
        let h: f32 = self.floats[from..to]
            .iter()
            .map(|f| f.height + self.geo.float_space)
            .sum();
        if alone && to > from {
            h - self.geo.float_space
        } else {
            h
        }
    }

    /// The height figures `from..to`, set where they stand on a page ending before line `b`,
    /// add: each with space above and below (above only at the page's foot).
    fn inplace_height(&self, from: usize, to: usize, b: usize) -> f32 {
        self.floats[from..to]
            .iter()
            .map(|f| {
                let spaces = if f.anchor == b { 1.0 } else { 2.0 };
                f.height + spaces * self.geo.float_space
            })
            .sum()
    }

    /// Height of the body of a page holding lines `i..b` (spaces at its top discarded).
    fn body_height(&self, i: usize, b: usize) -> f32 {
        (self.heights[b] - self.heights[i]) + (self.spaces[b] - self.spaces[i + 1])
    }

    /// Room for the body and notes of a page beginning with line `i`: less the sink on the
    /// chapter's first page, less a long table's repeated header on its continuation pages.
    fn page_height(&self, i: usize) -> f32 {
        if i == 0 {
            (self.geo.text_height - self.geo.first_page_sink).max(0.0)
        } else {
            (self.geo.text_height - self.repeat_height(i)).max(0.0)
        }
    }

    /// Height of what a page beginning with line `i` repeats at its top (0 for most lines).
    fn repeat_height(&self, i: usize) -> f32 {
        self.lines
            .get(i)
            .and_then(|l| l.repeat)
            .and_then(|k| self.flow.repeats.get(k))
            .map_or(0.0, |r| r.height())
    }

    fn note_len(&self, rank: usize) -> usize {
        self.note_prefix[self.order[rank]].len() - 1
    }

    fn note_span(&self, rank: usize, from: usize, to: usize) -> f32 {
        let p = &self.note_prefix[self.order[rank]];
        p[to] - p[from]
    }

    /// Fills the note area of a page holding lines `i..b` with `room` pt left below the body.
    /// Returns `None` when the rules cannot be kept (never in `relaxed` mode). Fragments are
    /// pushed to `out` as (rank, lines) when given.
    fn fill(
        &self,
        carry: Option<Carry>,
        i: usize,
        b: usize,
        room: f32,
        relaxed: bool,
        mut out: Option<&mut Vec<(usize, Range<usize>)>>,
    ) -> Option<Fill> {
        let first_new = self.rank_start[i];
        let start = carry.map_or(first_new, |c| c.rank);
        let end = self.rank_start[b];
        if start >= end {
            return Some(Fill::default());
        }
        let avail = room - self.geo.note_skip;
        let cap = self.geo.max_note_share * self.geo.text_height - self.geo.note_skip;
        let mut used = 0.0f32;
        let mut fill = Fill::default();
        let mut placed_any = false;
        for rank in start..end {
            let from = match carry {
                Some(c) if rank == c.rank => c.done,
                _ => 0,
            };
            let len = self.note_len(rank);
            let rest = self.note_span(rank, from, len);
            if used + rest <= avail + EPS {
                used += rest;
                placed_any |= len > from;
                if let Some(out) = out.as_deref_mut() {
                    out.push((rank, from..len));
                }
                continue;
            }
            // Split: the first part keeps ≥ 2 lines, and ≥ 2 lines are carried.
            let later_new_notes = end > (rank + 1).max(first_new);
            if later_new_notes && !relaxed {
                return None;
            }
            let fits = |limit: f32| {
                (2..=len.saturating_sub(from + 2))
                    .rev()
                    .find(|&m| used + self.note_span(rank, from, from + m) <= limit + EPS)
            };
            let m = fits(avail.min(cap)).or_else(|| fits(avail));
            let is_new = rank >= first_new;
            match m {
                Some(m) => {
                    used += self.note_span(rank, from, from + m);
                    placed_any = true;
                    if let Some(out) = out.as_deref_mut() {
                        out.push((rank, from..from + m));
                    }
                    fill.carry = Some(Carry {
                        rank,
                        done: from + m,
                    });
                    fill.split = true;
                }
                None if is_new && !relaxed => return None,
                None => {
                    fill.carry = Some(Carry { rank, done: from });
                }
            }
            break;
        }
        if placed_any {
            fill.height = used + self.geo.note_skip;
            fill.over_cap = used > cap + EPS;
        }
        Some(fill)
    }

    fn run(&self, report: &mut FlowReport) -> Vec<FlowPage> {
        let n = self.lines.len();
        let m = self.floats.len();
        if n == 0 && m == 0 {
            let mut page = FlowPage {
                body_bottom: self.geo.first_page_sink,
                ..FlowPage::default()
            };
            for &h in &self.trailing_headings {
                page.headings
                    .push(self.heading(h, self.geo.first_page_sink));
            }
            return vec![page];
        }
        let root = Node {
            start: 0,
            carry: None,
            odd: false,
            verso_short: None,
            cost: 0.0,
            prev: None,
            relaxed: false,
            float: 0,
            top: 0,
            late: 0,
        };
        let mut search = Search {
            index: std::collections::HashMap::from([(root.key(), 0)]),
            nodes: vec![Stored::of(&root)],
            by_start: vec![Vec::new(); n + 1],
            pages_tried: 0,
        };
        search.by_start[0].push(0);
        for i in 0..=n {
            let here = search.by_start[i].len();
            report.peak_states_per_start = report.peak_states_per_start.max(here);
            if i < n && here > MAX_STATES_PER_START {
                // Keep the cheapest (ties in the order found), in the order found.
                let nodes = &search.nodes;
                let mut order: Vec<usize> = (0..here).collect();
                order.sort_by(|&a, &b| {
                    let (a, b) = (search.by_start[i][a], search.by_start[i][b]);
                    nodes[a].cost.total_cmp(&nodes[b].cost)
                });
                let mut keep = vec![false; here];
                for &pos in &order[..MAX_STATES_PER_START] {
                    keep[pos] = true;
                }
                let mut pos = 0;
                search.by_start[i].retain(|&k| {
                    pos += 1;
                    if !keep[pos - 1] {
                        search.index.remove(&nodes[k].key());
                    }
                    keep[pos - 1]
                });
                report.bounded_at.get_or_insert(self.lines[i].item);
            }
            // Pages of figures alone start where they end, with more figures placed: the
            // states of one start are expanded by increasing figure (ties in the order they
            // were found), so each is final when expanded. A state found while expanding has
            // a later figure than the one expanded, so a heap of (figure, position) gives that
            // order; picking the least by a scan of the list made a start's work cubic in its
            // states, and hostile chapters (notes longer than their pages) have hundreds.
            let mut queue: std::collections::BinaryHeap<std::cmp::Reverse<(usize, usize)>> = search
                .by_start[i]
                .iter()
                .enumerate()
                .map(|(pos, &k)| std::cmp::Reverse((search.nodes[k].float as usize, pos)))
                .collect();
            while let Some(std::cmp::Reverse((_, pos))) = queue.pop() {
                let known = search.by_start[i].len();
                self.expand(search.by_start[i][pos], &mut search);
                for (p, &k) in search.by_start[i].iter().enumerate().skip(known) {
                    queue.push(std::cmp::Reverse((search.nodes[k].float as usize, p)));
                }
            }
            // No state begins at `i` any more: forget them in the index.
            if i < n {
                for &k in &search.by_start[i] {
                    search.index.remove(&search.nodes[k].key());
                }
            }
        }
        report.states = search.nodes.len();
        report.pages_tried = search.pages_tried;
        let Search {
            nodes, by_start, ..
        } = search;
        let best = by_start[n]
            .iter()
            .copied()
            .filter(|&k| nodes[k].float as usize == m)
            .min_by(|&a, &b| nodes[a].cost.total_cmp(&nodes[b].cost));
        let Some(best) = best else {
            // Unreachable: every state has a successor (the emergency pass, pages of figures).
            return Vec::new();
        };
        let mut chain = vec![best];
        while let Some(prev) = nodes[*chain.last().unwrap_or(&0)].node().prev {
            chain.push(prev);
        }
        chain.reverse();
        let mut pages = Vec::with_capacity(chain.len());
        for pair in chain.windows(2) {
            let (from, to) = (&nodes[pair[0]].node(), &nodes[pair[1]].node());
            pages.push(self.build_page(
                PageContent {
                    i: from.start,
                    b: to.start,
                    f: from.float,
                    t: to.top,
                    g: to.float,
                },
                from.carry,
                to.relaxed,
            ));
        }
        // Notes left over at the chapter's end go on pages of their own.
        let mut carry = nodes[best].node().carry;
        let mut guard = 0;
        while let Some(c) = carry {
            guard += 1;
            let mut out = Vec::new();
            let fill = self
                .fill(Some(c), n, n, self.geo.text_height, true, Some(&mut out))
                .unwrap_or_default();
            let mut page = FlowPage::default();
            let progressed = fill.carry != Some(c);
            self.place_notes(&mut page, &out, fill.height);
            pages.push(page);
            carry = fill.carry;
            if !progressed || guard > self.order.len() * 1000 + 1000 {
                // A note line taller than the page: set the rest regardless of room.
                let mut out = Vec::new();
                if let Some(c) = carry {
                    for rank in c.rank..self.order.len() {
                        let from = if rank == c.rank { c.done } else { 0 };
                        out.push((rank, from..self.note_len(rank)));
                    }
                }
                let height: f32 = out
                    .iter()
                    .map(|(r, l)| self.note_span(*r, l.start, l.end))
                    .sum::<f32>()
                    + self.geo.note_skip;
                if let Some(last) = pages.last_mut() {
                    self.place_notes(last, &out, height);
                }
                break;
            }
        }
        if let Some(last) = pages.last_mut() {
            let y = last.body_bottom;
            for &h in &self.trailing_headings {
                last.headings.push(self.heading(h, y));
            }
        }
        pages
    }

    /// Records the state `next` reached from a page, keeping the cheapest per state.
    fn record(&self, next: Node, search: &mut Search) {
        search.pages_tried += 1;
        let b = next.start;
        match search.index.entry(next.key()) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let k = *e.get();
                if search.nodes[k].cost > next.cost {
                    search.nodes[k] = Stored::of(&next);
                }
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(search.nodes.len());
                search.nodes.push(Stored::of(&next));
                search.by_start[b].push(search.nodes.len() - 1);
            }
        }
    }

    /// The cost of a page's shortfall: squared lines short, a quarter of the block and more
    /// priced as the limit it is, and the spread rule against the verso it faces.
    fn short_cost(&self, node: &Node, short: u32, last: bool, too_short: bool) -> f64 {
        let mut cost = SHORT_PAGE_COST * f64::from(short).powi(2);
        if !last && too_short {
            cost += QUARTER_SHORT_COST;
        }
        if let (false, Some(vs), false) = (node.odd, node.verso_short, last) {
            cost += SPREAD_MISMATCH_COST * f64::from(short.min(MAX_TRACKED_SHORT).abs_diff(vs));
        }
        cost
    }

    /// Whether a page with `used` pt of its `page_h` filled ends more than [`QUARTER`] of the
    /// text block early.
    fn too_short(&self, page_h: f32, used: f32) -> bool {
        page_h - used > QUARTER * self.geo.text_height + EPS
    }

    fn short_lines(&self, page_h: f32, used: f32) -> u32 {
        (((page_h - used) / self.geo.leading.max(EPS)) + 1e-3)
            .floor()
            .max(0.0) as u32
    }

    /// Tries every page that can start at node `id`, recording successors: pages of figures
    /// alone, and pages of lines `i..b` with waiting figures `f..t` at their top and figures
    /// `t..g` set where they stand.
    // `b` is a line position used for heights, gaps and notes as well as for `by_start`.
    #[allow(clippy::needless_range_loop)]
    fn expand(&self, id: usize, search: &mut Search) {
        let node = search.nodes[id].node();
        let i = node.start;
        let f = node.float;
        let n = self.lines.len();
        let page_h = self.page_height(i);
        let waiting = self.floats_upto(i);
        let successor =
            |b: usize, g: usize, t: usize, cost: f64, carry, short: u32, relaxed, late| Node {
                start: b,
                carry,
                odd: !node.odd,
                verso_short: if node.odd {
                    Some(short.min(MAX_TRACKED_SHORT))
                } else {
                    None
                },
                cost,
                prev: Some(id),
                relaxed,
                float: g,
                top: t,
                late,
            };
        let mut float_page = false;
        // Pages of waiting figures alone (one always fits: figures are scaled to the block).
        for t in f + 1..=waiting {
            let used_floats = self.top_height(f, t, true);
            if used_floats > page_h + EPS && t > f + 1 {
                break;
            }
            let Some(fill) = self.fill(node.carry, i, i, page_h - used_floats, true, None) else {
                continue;
            };
            let tail = i == n;
            let short = if tail {
                0
            } else {
                self.short_lines(page_h, used_floats + fill.height)
            };
            let own = self.floats[f..t].iter().all(|x| x.own_page);
            let too_short = self.too_short(page_h, used_floats + fill.height);
            let mut cost = node.cost + self.short_cost(&node, short, tail, too_short);
            if !own {
                cost += FLOAT_PAGE_COST;
            }
            let (late, weight) = self.late(&node, t, waiting, i);
            cost += DEFERRED_FLOAT_COST * (waiting - t) as f64 + LATE_FLOAT_COST * weight;
            // A page of figures has no baseline for its recto to line up with.
            let next = successor(i, t, t, cost, fill.carry, 0, false, late);
            self.record(next, search);
            // A page of figures keeps every rule: the passes below that bend one are not
            // needed while one can be set.
            float_page = true;
        }
        if i == n {
            return;
        }
        // The passes, each tried only when the ones before found no page: the rules with the
        // quarter limit; the same with a longer queue of figures; the rules alone (a page
        // ends early rather than break one); then the emergency pass.
        let mut found = false;
        for pass in [Pass::Strict, Pass::Crowded, Pass::Lawful, Pass::Relaxed] {
            if found || (float_page && pass != Pass::Strict) {
                break;
            }
            let relaxed = pass == Pass::Relaxed;
            for t in f..=waiting {
                // A figure of its own page goes on no page with text.
                if self.floats[f..t].iter().any(|x| x.own_page) {
                    break;
                }
                let top_h = self.top_height(f, t, false);
                // Figures that leave no room for a line go on a page of their own, and none
                // go above a long table's repeated header.
                if t > f
                    && (top_h + self.lines[i].height > page_h + EPS || self.repeat_height(i) > 0.0)
                {
                    break;
                }
                for b in i + 1..=n {
                    let body = self.body_height(i, b) + top_h;
                    if (body > page_h + EPS || b - i > MAX_PAGE_LINES) && b > i + 1 {
                        break;
                    }
                    let gap = if b == n {
                        Some(0.0)
                    } else {
                        self.lines[b].gap_cost
                    };
                    let forced = gap == Some(f32::NEG_INFINITY);
                    let penalty = match gap {
                        Some(c) if c.is_finite() => f64::from(c),
                        Some(_) => 0.0,
                        None if relaxed => EMERGENCY_COST,
                        None => continue,
                    };
                    let upto = self.floats_upto(b).max(t);
                    // Figures standing before the page's last line wait if not set; one
                    // standing right after it can as well head the next page.
                    let standing = self.floats_upto(b - 1).max(t);
                    // Figures standing on this page are set where they stand only once every
                    // earlier one is placed (figures keep their order).
                    let most = if t == waiting { upto } else { t };
                    for g in (t..=most).rev() {
                        if self.floats[t..g].iter().any(|x| x.own_page) {
                            continue;
                        }
                        let left = standing.saturating_sub(g);
                        let crowd = left.saturating_sub(MAX_WAITING_FLOATS);
                        if crowd > 0 && matches!(pass, Pass::Strict | Pass::Lawful) {
                            continue;
                        }
                        let used_body = body + self.inplace_height(t, g, b);
                        if used_body > page_h + EPS && g > t {
                            continue;
                        }
                        let Some(fill) =
                            self.fill(node.carry, i, b, page_h - used_body, relaxed, None)
                        else {
                            continue;
                        };
                        let last = b == n;
                        let used = used_body + fill.height;
                        let too_short = !last && self.too_short(page_h, used);
                        if too_short && pass == Pass::Strict {
                            continue;
                        }
                        let short = if last {
                            0
                        } else {
                            self.short_lines(page_h, used)
                        };
                        let mut cost =
                            node.cost + penalty + self.short_cost(&node, short, last, too_short);
                        if relaxed {
                            cost += EMERGENCY_COST;
                        }
                        // A last page of a line or two looks abandoned, unless figures
                        // share it.
                        if last && i > 0 && b - i <= FEW_LINES && g == self.floats.len() && g == f {
                            cost += LAST_PAGE_FEW_LINES_COST;
                        }
                        if fill.split {
                            cost += NOTE_SPLIT_COST;
                        }
                        if fill.over_cap {
                            cost += NOTE_OVER_CAP_COST;
                        }
                        if last && fill.carry.is_some() {
                            cost += NOTE_ONLY_PAGE_COST;
                        }
                        let (late, weight) = self.late(&node, g, standing, i);
                        cost += DEFERRED_FLOAT_COST * left as f64
                            + CROWDED_FLOAT_COST * crowd as f64
                            + LATE_FLOAT_COST * weight;
                        found = true;
                        let next = successor(b, g, t, cost, fill.carry, short, relaxed, late);
                        self.record(next, search);
                    }
                    if forced {
                        break;
                    }
                }
            }
        }
    }

    fn heading(&self, index: usize, top: f32) -> PlacedHeading {
        match self.flow.body.get(index) {
            Some(VItem::Heading {
                level,
                title,
                anchor,
            }) => PlacedHeading {
                level: *level,
                title: title.clone(),
                anchor: anchor.clone(),
                top,
            },
            _ => PlacedHeading {
                level: 1,
                title: String::new(),
                anchor: String::new(),
                top,
            },
        }
    }

    /// Sets the note fragments `out` at the foot of `page` (area `height` pt incl. separator).
    fn place_notes(&self, page: &mut FlowPage, out: &[(usize, Range<usize>)], height: f32) {
        if out.iter().all(|(_, l)| l.is_empty()) {
            return;
        }
        let top = self.geo.text_height - height;
        page.notes_top = Some(top);
        let mut y = top + self.geo.note_skip;
        for (rank, lines) in out {
            if lines.is_empty() {
                continue;
            }
            page.notes.push(PlacedNote {
                note: self.order[*rank],
                lines: lines.clone(),
                top: y,
            });
            y += self.note_span(*rank, lines.start, lines.end);
        }
    }

    fn build_page(&self, span: PageContent, carry: Option<Carry>, relaxed: bool) -> FlowPage {
        let PageContent { i, b, f, t, g } = span;
        let page_h = self.page_height(i);
        let mut y = if i == 0 {
            self.geo.first_page_sink
        } else if b > i {
            self.repeat_height(i)
        } else {
            0.0
        };
        let mut page = FlowPage {
            repeat: self
                .lines
                .get(i)
                .and_then(|l| l.repeat)
                .filter(|_| i > 0 && b > i),
            ..FlowPage::default()
        };
        for (k, fl) in self.floats[f..t].iter().enumerate() {
            page.floats.push(PlacedFloat {
                item: fl.item,
                top: y,
            });
            y += fl.height;
            if b > i || f + k + 1 < t {
                y += self.geo.float_space;
            }
        }
        let mut inplace = self.floats[t..g].iter().peekable();
        for j in i..b {
            let line = &self.lines[j];
            if j > i {
                y += line.space_before;
            }
            while let Some(fl) = inplace.next_if(|fl| fl.anchor <= j) {
                y += self.geo.float_space;
                page.floats.push(PlacedFloat {
                    item: fl.item,
                    top: y,
                });
                y += fl.height + self.geo.float_space;
            }
            for &h in &line.headings {
                page.headings.push(self.heading(h, y));
            }
            page.lines.push(PlacedLine {
                item: line.item,
                top: y,
            });
            y += line.height;
        }
        for fl in inplace {
            y += self.geo.float_space;
            page.floats.push(PlacedFloat {
                item: fl.item,
                top: y,
            });
            y += fl.height;
        }
        page.body_bottom = y;
        let body = if b > i {
            self.body_height(i, b) + self.top_height(f, t, false) + self.inplace_height(t, g, b)
        } else {
            self.top_height(f, t, true)
        };
        let mut out = Vec::new();
        let fill = self
            .fill(carry, i, b, page_h - body, relaxed, Some(&mut out))
            .or_else(|| {
                out.clear();
                self.fill(carry, i, b, page_h - body, true, Some(&mut out))
            })
            .unwrap_or_default();
        self.place_notes(&mut page, &out, fill.height);
        let used = body + fill.height;
        page.short_lines = self.short_lines(page_h, used);
        page
    }
}

/// The passes of [`Prep::expand`] over the pages that can follow a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// Every rule, and no page of text (outside a chapter's last) ending more than
    /// [`QUARTER`] of the block early.
    Strict,
    /// The quarter limit and every rule but the queue's: more than [`MAX_WAITING_FLOATS`]
    /// figures may wait, at [`CROWDED_FLOAT_COST`] each over the limit. Where figures stand
    /// so close that the text between them cannot fill a page, a longer queue keeps the page
    /// full; the figures then follow on pages of their own.
    Crowded,
    /// Every rule, the queue's too, but a page may end early, at [`QUARTER_SHORT_COST`].
    /// Reached only when the rules leave no fuller page: no widows or orphans, notes on their
    /// reference's page and figures in order come before the quarter limit.
    Lawful,
    /// Any break, notes starting late, at [`EMERGENCY_COST`].
    Relaxed,
}

/// What one page holds: lines `i..b`, the waiting figures `f..t` at its top and figures
/// `t..g` where they stand.
#[derive(Debug, Clone, Copy)]
struct PageContent {
    i: usize,
    b: usize,
    f: usize,
    t: usize,
    g: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::vlist::{
        LineBox, LineVariant, NoteFlow, BETWEEN_PARAGRAPHS_PENALTY, CLUB_PENALTY,
        INTERLINE_PENALTY, WIDOW_PENALTY,
    };

    const LEADING: f32 = 10.0;

    #[test]
    fn stored_states_give_back_their_nodes() {
        let full = Node {
            start: 70_000,
            carry: Some(Carry { rank: 3, done: 2 }),
            odd: true,
            verso_short: Some(0),
            cost: -1.5e9,
            prev: Some(0),
            relaxed: true,
            float: 12,
            top: 11,
            late: 3,
        };
        let empty = Node {
            start: 0,
            carry: None,
            odd: false,
            verso_short: None,
            cost: 0.25,
            prev: None,
            relaxed: false,
            float: 0,
            top: 0,
            late: 0,
        };
        let fields = |n: &Node| (n.key(), n.cost.to_bits(), n.prev, n.relaxed, n.top);
        for node in [full, empty] {
            assert_eq!(fields(&Stored::of(&node).node()), fields(&node));
            assert_eq!(Stored::of(&node).key(), node.key());
        }
        assert_eq!(std::mem::size_of::<Stored>(), 40);
    }

    fn geo(lines_per_page: usize) -> FlowGeometry {
        FlowGeometry {
            text_height: LEADING * lines_per_page as f32,
            leading: LEADING,
            note_skip: LEADING,
            max_note_share: 0.5,
            first_page_sink: 0.0,
            float_space: LEADING,
        }
    }

    fn line(notes: Vec<usize>) -> VItem {
        VItem::Line(LineBox {
            height: LEADING,
            baseline: 8.0,
            items: Vec::new(),
            notes,
            width: 100.0,
            source: None,
        })
    }

    fn note(lines: usize) -> NoteFlow {
        NoteFlow {
            lines: (0..lines)
                .map(|_| LineBox {
                    height: 8.0,
                    baseline: 6.0,
                    ..LineBox::default()
                })
                .collect(),
        }
    }

    /// Paragraphs of the given lengths, with the producer's penalties; `refs` maps a global
    /// line number to the notes referenced on it.
    fn paragraphs(sizes: &[usize], refs: &[(usize, usize)]) -> Vec<VItem> {
        let mut body = Vec::new();
        let mut k = 0;
        for (p, &size) in sizes.iter().enumerate() {
            if p > 0 {
                body.push(VItem::Penalty {
                    cost: BETWEEN_PARAGRAPHS_PENALTY,
                });
            }
            for i in 0..size {
                if i > 0 {
                    let cost = if i == 1 {
                        CLUB_PENALTY
                    } else if i + 1 == size {
                        WIDOW_PENALTY
                    } else {
                        INTERLINE_PENALTY
                    };
                    body.push(VItem::Penalty { cost });
                }
                let notes = refs.iter().filter(|r| r.0 == k).map(|r| r.1).collect();
                body.push(line(notes));
                k += 1;
            }
        }
        body
    }

    fn flow(body: Vec<VItem>, notes: Vec<NoteFlow>) -> ChapterFlow {
        ChapterFlow {
            title: "T".into(),
            anchor: "t".into(),
            body,
            notes,
            ..ChapterFlow::default()
        }
    }

    /// A figure `lines` lines tall.
    fn figure(lines: usize, own_page: bool) -> VItem {
        VItem::Float(crate::typeset::vlist::FloatBox {
            lines: (0..lines)
                .map(|_| LineBox {
                    height: LEADING,
                    baseline: 8.0,
                    ..LineBox::default()
                })
                .collect(),
            own_page,
        })
    }

    /// Paragraphs of `sizes` lines with figures after some of them, as `blocks.rs` makes
    /// them: `(after paragraph, figure lines, own page)`.
    fn with_figures(sizes: &[usize], figures: &[(usize, usize, bool)]) -> Vec<VItem> {
        let mut body = Vec::new();
        for (p, &size) in sizes.iter().enumerate() {
            body.extend(paragraphs(&[size], &[]));
            for &(after, lines, own) in figures.iter().filter(|f| f.0 == p) {
                body.push(VItem::Penalty {
                    cost: BETWEEN_PARAGRAPHS_PENALTY,
                });
                debug_assert!(after == p);
                body.push(figure(lines, own));
            }
            body.push(VItem::Penalty {
                cost: BETWEEN_PARAGRAPHS_PENALTY,
            });
        }
        body.pop();
        body
    }

    /// The page each figure landed on, by figure (in body order), the page of the line before
    /// it and of the line after it.
    fn figure_pages(f: &ChapterFlow, pages: &[FlowPage]) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        let line_page = |item: usize| {
            pages
                .iter()
                .position(|p| p.lines.iter().any(|l| l.item == item))
                .unwrap_or(usize::MAX)
        };
        for (k, item) in f.body.iter().enumerate() {
            if !matches!(item, VItem::Float(_)) {
                continue;
            }
            let at = pages
                .iter()
                .position(|p| p.floats.iter().any(|fl| fl.item == k))
                .expect("every figure is placed");
            let before = (0..k)
                .rev()
                .find(|&j| matches!(f.body[j], VItem::Line(_)))
                .map_or(0, line_page);
            let after = (k..f.body.len())
                .find(|&j| matches!(f.body[j], VItem::Line(_)))
                .map_or(usize::MAX, line_page);
            out.push((at, before, after));
        }
        out
    }

    /// The rules every float layout keeps: each figure once, in order, never on a page
    /// before its text, at most two waiting at a page's end, no page but the last with text
    /// a quarter short.
    fn assert_float_rules(
        f: &ChapterFlow,
        pages: &[FlowPage],
        lines_per_page: usize,
        quarter: bool,
        max_waiting: usize,
    ) {
        let placed: Vec<usize> = pages
            .iter()
            .flat_map(|p| p.floats.iter().map(|fl| fl.item))
            .collect();
        let mut sorted = placed.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(placed, sorted, "figures once each, in order");
        let figure_pages = figure_pages(f, pages);
        for (k, &(at, before, _)) in figure_pages.iter().enumerate() {
            assert!(
                at >= before,
                "figure {k} on page {at} before its text's page {before}"
            );
        }
        for p in 0..pages.len() {
            let waiting = figure_pages
                .iter()
                .filter(|(at, _, after)| *after <= p && *at > p)
                .count();
            assert!(
                waiting <= max_waiting,
                "{waiting} figures wait after page {p}"
            );
        }
        let last_text = pages.iter().rposition(|p| !p.lines.is_empty()).unwrap_or(0);
        for (p, page) in pages.iter().enumerate().take(last_text).filter(|_| quarter) {
            assert!(
                page.short_lines as usize * 4 <= lines_per_page,
                "page {p} runs {} lines short",
                page.short_lines
            );
        }
    }

    /// The case of `tests/fixtures/full`'s rice picture: a figure that does not fit below the
    /// text goes to the top of the next page, and the text after it fills this one.
    #[test]
    fn a_figure_that_does_not_fit_heads_the_next_page_and_text_fills_this_one() {
        let f = flow(with_figures(&[15, 20], &[(0, 8, false)]), vec![]);
        let pages = paginate(&f, &geo(20));
        assert_eq!(counts(&pages), [20, 11, 4]);
        assert_eq!(pages[0].short_lines, 0);
        assert!(pages[0].floats.is_empty());
        assert_eq!(pages[1].floats.len(), 1);
        assert_eq!(pages[1].floats[0].top, 0.0, "the figure heads the page");
        // The text below it starts after the figure and one line of space.
        assert_eq!(pages[1].lines[0].top, 9.0 * LEADING);
        assert_float_rules(&f, &pages, 20, true, MAX_WAITING_FLOATS);
        // A figure that fits stays where it stands, with a line of space above and below.
        let f = flow(with_figures(&[5, 20], &[(0, 8, false)]), vec![]);
        let pages = paginate(&f, &geo(20));
        assert_eq!(pages[0].floats.len(), 1);
        assert_eq!(pages[0].floats[0].top, 6.0 * LEADING);
        assert_eq!(pages[0].lines[5].top, 15.0 * LEADING);
        assert_float_rules(&f, &pages, 20, true, MAX_WAITING_FLOATS);
    }

    #[test]
    fn figures_keep_their_order_and_at_most_two_wait() {
        // Five tall figures in a row after a short paragraph: they cannot all stand there.
        let figures: Vec<(usize, usize, bool)> = (0..5).map(|_| (0, 12, false)).collect();
        let f = flow(with_figures(&[6, 30, 30, 30], &figures), vec![]);
        let pages = paginate(&f, &geo(20));
        // (Two of them cannot share a page, and a third may not wait: one page holds a
        // figure alone, which the quarter limit exempts.)
        assert_float_rules(&f, &pages, 20, false, MAX_WAITING_FLOATS);
        // The figures follow on pages 0 to 4, one each; the third's page runs a line short so
        // that the fifth need not wait: at [6, 0, 7, 7] it waited for page 7, since the only
        // page break that lets it head page 4 would leave a paragraph's first line alone at the
        // foot of page 5.
        assert_eq!(counts(&pages)[..5], [6, 0, 6, 7, 7]);
        let on: Vec<usize> = figure_pages(&f, &pages).iter().map(|p| p.0).collect();
        assert_eq!(on, [0, 1, 2, 3, 4]);
        // Figures of many heights mentioned at many places, some just before a page's end.
        let sizes = [7, 12, 3, 19, 5, 8, 14, 2, 9, 11, 6, 16];
        let figures = [
            (0, 4, false),
            (1, 9, false),
            (2, 15, false),
            (3, 6, false),
            (3, 11, false),
            (5, 18, false),
            (7, 3, false),
            (9, 13, false),
            (10, 7, false),
        ];
        let f = flow(with_figures(&sizes, &figures), vec![]);
        let pages = paginate(&f, &geo(20));
        assert_float_rules(&f, &pages, 20, true, MAX_WAITING_FLOATS);
        let placed: usize = pages.iter().map(|p| p.floats.len()).sum();
        assert_eq!(placed, figures.len());
    }

    /// Figures near a chapter's end stand where they are when the page has room for them,
    /// rather than going to pages of their own after the text.
    #[test]
    fn figures_at_a_chapters_end_stand_where_they_fit() {
        let f = flow(
            with_figures(&[30, 3, 2, 2], &[(1, 10, false), (2, 13, false)]),
            vec![],
        );
        let pages = paginate(&f, &geo(36));
        // The text fills the first page; both figures head the last, above its two lines,
        // rather than one going to a page of its own.
        assert_eq!(counts(&pages), [35, 2]);
        assert_eq!(pages[1].floats.len(), 2);
        assert_float_rules(&f, &pages, 36, true, MAX_WAITING_FLOATS);
    }

    #[test]
    fn a_figure_of_its_own_page_is_alone_on_it() {
        let f = flow(with_figures(&[10, 25], &[(0, 20, true)]), vec![]);
        let pages = paginate(&f, &geo(20));
        let alone = pages
            .iter()
            .position(|p| !p.floats.is_empty())
            .expect("placed");
        assert!(pages[alone].lines.is_empty(), "{:?}", counts(&pages));
        assert_eq!(alone, 1, "right after the page its text is on");
        assert_eq!(counts(&pages), [20, 0, 15]);
    }

    /// A figure waits at most a page for room, not pages on end: where every paragraph is
    /// too short to break (three lines, like a short code block), setting the figure near its
    /// text leaves pages between it and the chapter's end a line or two short, and a page of
    /// its own after the chapter's last cost less while a wait cost only
    /// [`DEFERRED_FLOAT_COST`] a page: 258 of these 720 chapters sent their figure five
    /// pages on or more. Now each page late costs [`LATE_FLOAT_COST`] times the pages
    /// waited.
    #[test]
    fn a_figure_lands_near_its_text_not_at_the_chapters_end() {
        for lines_per_page in [20usize, 24, 30] {
            for kind in 0..4 {
                let sizes: Vec<usize> = (0..40)
                    .map(|i| match kind {
                        0 => 3,
                        1 => [3, 2, 3, 3, 2][i % 5],
                        2 => [3, 3, 7][i % 3],
                        _ => [2, 3][i % 2],
                    })
                    .collect();
                for lines in 2..12 {
                    for after in 0..6 {
                        let f = flow(with_figures(&sizes, &[(after, lines, false)]), vec![]);
                        let pages = paginate(&f, &geo(lines_per_page));
                        assert_float_rules(&f, &pages, lines_per_page, false, MAX_WAITING_FLOATS);
                        let (at, text, _) = figure_pages(&f, &pages)[0];
                        // Paragraphs of three lines all: the figure is on its text's page or
                        // the next. Mixed with others, it may wait a page more where the
                        // pages cannot be filled otherwise, never three.
                        let most = if kind == 0 { 1 } else { 2 };
                        assert!(
                            at <= text + most,
                            "{lines_per_page} lines a page, paragraphs {kind}, a figure of \
                             {lines} lines after paragraph {after}: text on page {text}, \
                             figure on page {at} of {} ({:?})",
                            pages.len(),
                            counts(&pages)
                        );
                    }
                }
            }
        }
    }

    fn counts(pages: &[FlowPage]) -> Vec<usize> {
        pages.iter().map(|p| p.lines.len()).collect()
    }

    /// Which page each body line landed on, by body index.
    fn page_of(pages: &[FlowPage], item: usize) -> Option<usize> {
        pages
            .iter()
            .position(|p| p.lines.iter().any(|l| l.item == item))
    }

    fn line_items(f: &ChapterFlow) -> Vec<usize> {
        f.body
            .iter()
            .enumerate()
            .filter(|(_, v)| matches!(v, VItem::Line(_)))
            .map(|(i, _)| i)
            .collect()
    }

    /// Nothing overflows the text block, and every line and note line is set exactly once.
    fn assert_sound(f: &ChapterFlow, g: &FlowGeometry, pages: &[FlowPage]) {
        let mut seen = Vec::new();
        for (k, p) in pages.iter().enumerate() {
            let bottom = p.notes_top.unwrap_or(g.text_height);
            assert!(
                p.body_bottom <= bottom + EPS,
                "page {k} body overlaps notes"
            );
            let note_h: f32 = p
                .notes
                .iter()
                .map(|n| n.lines.len() as f32 * 8.0)
                .sum::<f32>();
            if let Some(top) = p.notes_top {
                assert!((top + g.note_skip + note_h - g.text_height).abs() < 0.1);
            }
            seen.extend(p.lines.iter().map(|l| l.item));
        }
        assert_eq!(seen, line_items(f));
        for (n, note) in f.notes.iter().enumerate() {
            let total: usize = pages
                .iter()
                .flat_map(|p| &p.notes)
                .filter(|x| x.note == n)
                .map(|x| x.lines.len())
                .sum();
            assert_eq!(total, note.lines.len(), "note {n} set exactly once");
        }
    }

    #[test]
    fn fills_pages_exactly() {
        let f = flow((0..100).map(|_| line(vec![])).collect::<Vec<_>>(), vec![]);
        // Bare lines: no breaks allowed between them.
        let pages = paginate(&f, &geo(10));
        assert_eq!(counts(&pages).iter().sum::<usize>(), 100);

        let mut body = Vec::new();
        for i in 0..100 {
            if i > 0 {
                body.push(VItem::Penalty { cost: 0.0 });
            }
            body.push(line(vec![]));
        }
        let f = flow(body, vec![]);
        let g = geo(10);
        let pages = paginate(&f, &g);
        assert_eq!(counts(&pages), vec![10; 10]);
        assert_sound(&f, &g, &pages);
    }

    #[test]
    fn no_widows_no_orphans() {
        // Page of 10 lines; paragraphs 9 + 3 + ...: a greedy break after line 10 would leave
        // a widow or orphan.
        let sizes = [9, 3, 7, 4, 12, 5, 2, 8, 6, 11];
        let f = flow(paragraphs(&sizes, &[]), vec![]);
        let g = geo(10);
        let pages = paginate(&f, &g);
        assert_sound(&f, &g, &pages);
        // Map line → (paragraph, position, size).
        let mut info = Vec::new();
        for (p, &s) in sizes.iter().enumerate() {
            for k in 0..s {
                info.push((p, k, s));
            }
        }
        let items = line_items(&f);
        for page in &pages {
            let first = items.iter().position(|&x| x == page.lines[0].item).unwrap();
            let last = items
                .iter()
                .position(|&x| x == page.lines.last().unwrap().item)
                .unwrap();
            let (_, k, s) = info[first];
            assert!(!(s > 1 && k == s - 1), "widow at a page top");
            let (_, k, s) = info[last];
            assert!(!(s > 1 && k == 0), "orphan at a page foot");
        }
        // Full pages unless short by one line (spread rule aside).
        for p in &pages[..pages.len() - 1] {
            assert!(p.short_lines <= 1, "{:?}", counts(&pages));
        }
    }

    #[test]
    fn short_verso_makes_recto_short() {
        // Paragraphs of 5: a page of 11 lines fits 10 at a paragraph end; every page runs one
        // line short, so spreads match.
        let sizes = [5; 8];
        let f = flow(paragraphs(&sizes, &[]), vec![]);
        let g = geo(11);
        let pages = paginate(&f, &g);
        assert_sound(&f, &g, &pages);
        assert_eq!(counts(&pages), vec![10, 10, 10, 10]);
        let shorts: Vec<u32> = pages.iter().map(|p| p.short_lines).collect();
        assert_eq!(shorts[1], shorts[2]);
    }

    #[test]
    fn note_on_last_line_of_page_starts_there() {
        // 20 lines, breakable everywhere; line 9 (the 10th) references a 3-line note.
        let mut body = Vec::new();
        for i in 0..20 {
            if i > 0 {
                body.push(VItem::Penalty { cost: 0.0 });
            }
            body.push(line(if i == 9 { vec![0] } else { vec![] }));
        }
        let f = flow(body, vec![note(3)]);
        let g = geo(10);
        let pages = paginate(&f, &g);
        assert_sound(&f, &g, &pages);
        let items = line_items(&f);
        let ref_page = page_of(&pages, items[9]).unwrap();
        let note_page = pages
            .iter()
            .position(|p| p.notes.iter().any(|n| n.note == 0));
        assert_eq!(Some(ref_page), note_page);
        assert_eq!(pages[ref_page].notes[0].lines, 0..3);
    }

    #[test]
    fn long_note_splits_with_continuation_first() {
        // A 40-line note (8 pt lines) referenced on line 2; another note on line 14.
        let mut body = Vec::new();
        for i in 0..40 {
            if i > 0 {
                body.push(VItem::Penalty { cost: 0.0 });
            }
            let refs = match i {
                2 => vec![0],
                14 => vec![1],
                _ => vec![],
            };
            body.push(line(refs));
        }
        let f = flow(body, vec![note(40), note(2)]);
        let g = geo(20);
        let pages = paginate(&f, &g);
        assert_sound(&f, &g, &pages);
        let items = line_items(&f);
        assert_eq!(page_of(&pages, items[2]), Some(0));
        assert_eq!(pages[0].notes[0].note, 0);
        assert_eq!(pages[0].notes[0].lines.start, 0);
        // Every fragment has at least 2 lines, and continuations open the note area.
        for p in &pages {
            for (k, n) in p.notes.iter().enumerate() {
                assert!(n.lines.len() >= 2);
                if n.is_continuation() {
                    assert_eq!(k, 0, "continuation must come first");
                }
            }
        }
        assert!(pages[1].notes[0].is_continuation());
        // Note 1 starts on the page of its reference.
        let ref_page = page_of(&pages, items[14]).unwrap();
        let start = pages
            .iter()
            .position(|p| p.notes.iter().any(|n| n.note == 1 && n.lines.start == 0));
        assert_eq!(Some(ref_page), start);
    }

    #[test]
    fn several_notes_on_one_page() {
        let mut body = Vec::new();
        for i in 0..30 {
            if i > 0 {
                body.push(VItem::Penalty { cost: 0.0 });
            }
            let refs = match i {
                1 => vec![0],
                3 => vec![1, 2],
                6 => vec![3],
                _ => vec![],
            };
            body.push(line(refs));
        }
        let f = flow(body, vec![note(2), note(1), note(3), note(2)]);
        let g = geo(20);
        let pages = paginate(&f, &g);
        assert_sound(&f, &g, &pages);
        let order: Vec<usize> = pages[0].notes.iter().map(|n| n.note).collect();
        assert_eq!(order, vec![0, 1, 2, 3]);
        // 8 note lines × 8 pt + 10 pt skip = 74 pt: 12 body lines fit in 200 pt.
        assert_eq!(pages[0].lines.len(), 12);
    }

    #[test]
    fn reference_moves_when_two_note_lines_do_not_fit() {
        // Unbreakable 9-line block then a breakable run; the note on line 9 needs 2 lines + skip.
        let mut body = Vec::new();
        for i in 0..20 {
            if i > 0 {
                let cost = if i < 9 { f32::INFINITY } else { 0.0 };
                body.push(VItem::Penalty { cost });
            }
            body.push(line(if i == 9 { vec![0] } else { vec![] }));
        }
        let f = flow(body, vec![note(6)]);
        let g = geo(10);
        let pages = paginate(&f, &g);
        assert_sound(&f, &g, &pages);
        let items = line_items(&f);
        let ref_page = page_of(&pages, items[9]).unwrap();
        assert_eq!(ref_page, 1, "{:?}", counts(&pages));
        assert_eq!(pages[1].notes[0].lines.start, 0);
    }

    #[test]
    fn forced_breaks_and_spaces() {
        let body = vec![
            VItem::Heading {
                level: 1,
                title: "A".into(),
                anchor: "a".into(),
            },
            line(vec![]),
            VItem::Space {
                height: LEADING,
                stretch: 0.0,
                shrink: 0.0,
            },
            line(vec![]),
            VItem::Penalty {
                cost: f32::NEG_INFINITY,
            },
            VItem::Space {
                height: LEADING,
                stretch: 0.0,
                shrink: 0.0,
            },
            VItem::Heading {
                level: 2,
                title: "B".into(),
                anchor: "b".into(),
            },
            line(vec![]),
        ];
        let f = flow(body, vec![]);
        let pages = paginate(&f, &geo(10));
        assert_eq!(counts(&pages), vec![2, 1]);
        assert_eq!(pages[0].lines[1].top, 2.0 * LEADING);
        // The space at the top of page 2 is discarded; the heading lands there.
        assert_eq!(pages[1].lines[0].top, 0.0);
        assert_eq!(pages[1].headings[0].anchor, "b");
        assert_eq!(pages[0].headings[0].anchor, "a");
    }

    #[test]
    fn sink_shortens_first_page_and_last_page_not_tiny() {
        let mut body = Vec::new();
        for i in 0..21 {
            if i > 0 {
                body.push(VItem::Penalty { cost: 0.0 });
            }
            body.push(line(vec![]));
        }
        let f = flow(body, vec![]);
        let g = FlowGeometry {
            first_page_sink: 30.0,
            ..geo(10)
        };
        let pages = paginate(&f, &g);
        assert_eq!(pages[0].lines[0].top, 30.0);
        assert_eq!(pages[0].lines.len(), 7);
        assert!(pages.last().unwrap().lines.len() > FEW_LINES);
        assert_sound(&f, &g, &pages);
    }

    #[test]
    fn random_flows_never_overflow() {
        let mut seed: u64 = 12345;
        let mut rnd = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        for _ in 0..30 {
            let sizes: Vec<usize> = (0..20).map(|_| 1 + rnd(9) as usize).collect();
            let total: usize = sizes.iter().sum();
            let mut refs = Vec::new();
            let mut notes = Vec::new();
            for l in 0..total {
                if rnd(6) == 0 {
                    refs.push((l, notes.len()));
                    notes.push(note(1 + rnd(12) as usize));
                }
            }
            let f = flow(paragraphs(&sizes, &refs), notes);
            let g = geo(25);
            let pages = paginate(&f, &g);
            assert_sound(&f, &g, &pages);
            // Every note starts on its reference's page.
            let items = line_items(&f);
            for &(l, n) in &refs {
                let rp = page_of(&pages, items[l]);
                let np = pages
                    .iter()
                    .position(|p| p.notes.iter().any(|x| x.note == n && x.lines.start == 0));
                assert_eq!(rp, np, "note {n}");
            }
        }
    }

    #[test]
    fn long_chapter_paginates_soundly() {
        let sizes: Vec<usize> = (0..6000).map(|k| 2 + k % 9).collect();
        let f = flow(paragraphs(&sizes, &[]), vec![]);
        let pages = paginate(&f, &geo(40));
        assert!(pages.len() > 700);
        assert_sound(&f, &geo(40), &pages);
    }

    /// About a million words (100k lines, a note every 40 lines), too slow for a debug build:
    /// `cargo test --release --lib million -- --ignored`. Speed is measured by benches/run.sh.
    #[test]
    #[ignore = "large: run in release"]
    fn million_words_paginate_soundly() {
        let sizes: Vec<usize> = (0..16000).map(|k| 2 + k % 9).collect();
        let total: usize = sizes.iter().sum();
        let refs: Vec<(usize, usize)> = (0..total / 40).map(|k| (k * 40 + 7, k)).collect();
        let notes = (0..refs.len()).map(|k| note(1 + k % 7)).collect();
        let f = flow(paragraphs(&sizes, &refs), notes);
        let pages = paginate(&f, &geo(40));
        assert!(pages.len() * 40 >= total);
        assert_sound(&f, &geo(40), &pages);
    }

    #[test]
    fn page_end_hyphen_is_avoided() {
        // 30 lines breakable anywhere; line 9 ends in a hyphen: page one takes 9 or 11 lines,
        // not 10.
        let f = flow(lines_with_line_nine("hyphen-"), vec![]);
        let pages = paginate(&f, &geo(10));
        assert_ne!(pages[0].lines.len(), 10);
    }

    /// 30 lines breakable anywhere; line 9 (body index 18) ends with `text9`.
    fn lines_with_line_nine(text9: &str) -> Vec<VItem> {
        let mut body = Vec::new();
        for i in 0..30 {
            if i > 0 {
                body.push(VItem::Penalty { cost: 0.0 });
            }
            body.push(VItem::Line(text_line(if i == 9 { text9 } else { "word" })));
        }
        body
    }

    fn text_line(text: &str) -> LineBox {
        let mut l = LineBox {
            height: LEADING,
            baseline: 8.0,
            ..LineBox::default()
        };
        l.items.push(crate::typeset::frame::Item::Glyphs(
            crate::typeset::frame::GlyphRun {
                font: crate::typeset::frame::FontId(0),
                size: 10.0,
                x: 0.0,
                y: 0.0,
                glyphs: crate::typeset::frame::Glyphs::new(),
                text: text.into(),
                color: [0.0; 3],
                scale_x: 1.0,
                lang: None,
                rtl: false,
            },
        ));
        l
    }

    fn run_text(f: &ChapterFlow, index: usize) -> String {
        match &f.body[index] {
            VItem::Line(l) => match &l.items[0] {
                crate::typeset::frame::Item::Glyphs(r) => r.text.clone(),
                _ => String::new(),
            },
            _ => String::new(),
        }
    }

    #[test]
    fn a_paragraph_variant_lets_a_full_page_end_without_a_hyphen() {
        let mut f = flow(lines_with_line_nine("hyphen-"), vec![]);
        // The variant: the same lines, line 9 ending at a space instead.
        let replacement: Vec<(usize, LineBox)> = (0..30)
            .map(|i| (2 * i, text_line(if i == 9 { "whole" } else { "word" })))
            .collect();
        let paragraph: Vec<usize> = (0..30).map(|i| 2 * i).collect();
        f.variants.push(LineVariant {
            after: 18,
            paragraph: paragraph.clone(),
            lines: replacement.clone(),
        });
        let pages = paginate(&f, &geo(10));
        assert_eq!(pages[0].lines.len(), 10, "the page is full");
        let full_pages = pages.clone();
        assert_eq!(apply_variants(&mut f, &pages), 1);
        assert_eq!(run_text(&f, 18), "whole");
        assert!(f.variants.is_empty());

        // A variant that would move a note reference across the break is refused: the note
        // would no longer start on its reference's page.
        let mut body = lines_with_line_nine("hyphen-");
        if let VItem::Line(l) = &mut body[50] {
            l.notes.push(0);
        }
        let mut f = flow(body, vec![note(1)]);
        let mut moved = replacement;
        moved[8].1.notes.push(0);
        f.variants.push(LineVariant {
            after: 18,
            paragraph,
            lines: moved,
        });
        // (Pages that end after line 9, as in the first case.)
        assert_eq!(apply_variants(&mut f, &full_pages), 0);
        assert_eq!(run_text(&f, 18), "hyphen-");
    }

    #[test]
    fn heading_keeps_with_next_lines() {
        // 8 lines, then a heading whose line and the paragraph's first two lines are tied; a
        // page of 10 must break before the heading, not after it.
        let mut body = paragraphs(&[8], &[]);
        body.push(VItem::Penalty {
            cost: BETWEEN_PARAGRAPHS_PENALTY,
        });
        body.push(VItem::Heading {
            level: 2,
            title: "H".into(),
            anchor: "h".into(),
        });
        body.push(line(vec![]));
        body.push(VItem::Penalty {
            cost: f32::INFINITY,
        });
        body.extend(paragraphs(&[6], &[]));
        let f = flow(body, vec![]);
        let pages = paginate(&f, &geo(10));
        assert_eq!(counts(&pages), vec![8, 7]);
        assert_eq!(pages[1].headings[0].top, 0.0);
    }

    #[test]
    fn notes_are_capped_at_half_the_page() {
        // A 60-line note on the first line: the first page keeps about half for the body.
        let mut body = Vec::new();
        for i in 0..60 {
            if i > 0 {
                body.push(VItem::Penalty { cost: 0.0 });
            }
            body.push(line(if i == 0 { vec![0] } else { vec![] }));
        }
        let f = flow(body, vec![note(60)]);
        let g = geo(20);
        let pages = paginate(&f, &g);
        assert_sound(&f, &g, &pages);
        let first = &pages[0];
        let note_height = first.notes[0].lines.len() as f32 * 8.0 + g.note_skip;
        assert!(note_height <= g.text_height * g.max_note_share + 0.01);
        assert!(first.lines.len() >= 9, "{}", first.lines.len());
    }

    #[test]
    fn no_widow_comes_before_the_quarter_limit() {
        // A 10-line paragraph, then a 12-line block that may not break (a display under the
        // no-break rules), on pages of 20: the first page can hold the paragraph only, and
        // runs 10 lines short (more than a quarter, 5) rather than split the block.
        let mut body = paragraphs(&[10], &[]);
        body.push(VItem::Penalty {
            cost: BETWEEN_PARAGRAPHS_PENALTY,
        });
        for i in 0..12 {
            if i > 0 {
                body.push(VItem::Penalty {
                    cost: f32::INFINITY,
                });
            }
            body.push(line(vec![]));
        }
        body.push(VItem::Penalty {
            cost: BETWEEN_PARAGRAPHS_PENALTY,
        });
        body.extend(paragraphs(&[10], &[]));
        let f = flow(body, vec![]);
        let pages = paginate(&f, &geo(20));
        assert_sound(&f, &geo(20), &pages);
        assert_eq!(counts(&pages)[0], 10);
        assert_eq!(pages[0].short_lines, 10);
        // The block is whole on the second page.
        let items = line_items(&f);
        assert_eq!(pages[1].lines[0].item, items[10]);
    }

    #[test]
    fn figures_crowd_the_queue_rather_than_leave_a_page_a_quarter_empty() {
        // Five 16-line figures, each followed by one line of text, after 6 lines, on pages of
        // 20: none fits below the 6 lines, and with at most two waiting the first page could
        // hold only 8 lines, 12 short; a longer queue (`Pass::Crowded`) lets the text fill it
        // and the figures follow on the next pages, in order.
        let mut body = paragraphs(&[6], &[]);
        for _ in 0..5 {
            body.push(VItem::Penalty {
                cost: BETWEEN_PARAGRAPHS_PENALTY,
            });
            body.push(VItem::Float(crate::typeset::vlist::FloatBox {
                lines: vec![LineBox {
                    height: 16.0 * LEADING,
                    baseline: 16.0 * LEADING,
                    ..LineBox::default()
                }],
                own_page: false,
            }));
            body.extend(paragraphs(&[1], &[]));
        }
        body.push(VItem::Penalty {
            cost: BETWEEN_PARAGRAPHS_PENALTY,
        });
        body.extend(paragraphs(&[4, 4, 4, 4], &[]));
        let f = flow(body, vec![]);
        let g = geo(20);
        let pages = paginate(&f, &g);
        assert_sound(&f, &g, &pages);
        let last = pages
            .iter()
            .rposition(|p| !p.lines.is_empty())
            .expect("a page of text");
        for (k, p) in pages.iter().enumerate() {
            if k != last && !p.lines.is_empty() {
                assert!(p.short_lines <= 5, "page {k}: {:?}", counts(&pages));
            }
        }
        assert_float_rules(&f, &pages, 20, true, 5);
        assert!(counts(&pages)[0] >= 19, "{:?}", counts(&pages));
    }

    /// Issue 10's hang: footnotes of up to 12 lines on pages of 12, figures and forced page
    /// breaks. The notes need more room than the pages have, so the emergency pass sets them
    /// late and the note carried over can be any of a growing backlog; every such state was
    /// kept (2,890 at one line of a 280-line chapter, minutes of work, growing with the
    /// cube of the length). `paragraphs` paragraphs, deterministic.
    fn notes_outgrowing_their_pages(paragraphs: usize) -> ChapterFlow {
        let mut body = Vec::new();
        let mut notes = Vec::new();
        for p in 0..paragraphs {
            if p > 0 {
                let cost = if p % 7 == 0 {
                    f32::NEG_INFINITY
                } else {
                    BETWEEN_PARAGRAPHS_PENALTY
                };
                body.push(VItem::Penalty { cost });
            }
            if p % 4 == 1 {
                body.push(figure(3 + p % 9, false));
                body.push(VItem::Penalty {
                    cost: BETWEEN_PARAGRAPHS_PENALTY,
                });
            }
            let size = 1 + (p * 5) % 7;
            for k in 0..size {
                if k > 0 {
                    let cost = if k == 1 {
                        CLUB_PENALTY
                    } else if k + 1 == size {
                        WIDOW_PENALTY
                    } else {
                        INTERLINE_PENALTY
                    };
                    body.push(VItem::Penalty { cost });
                }
                let mut refs = Vec::new();
                if (p + k) % 2 == 0 {
                    refs.push(notes.len());
                    notes.push(note(1 + (p * 7 + k * 3) % 12));
                }
                body.push(line(refs));
            }
        }
        flow(body, notes)
    }

    #[test]
    fn notes_that_outgrow_their_pages_are_paginated_in_bounded_work() {
        let g = geo(12);
        let f = notes_outgrowing_their_pages(60);
        let lines = line_items(&f).len();
        let (pages, report) = paginate_reporting(&f, &g);
        // Every line and every note line set once, nothing past the block.
        assert_sound(&f, &g, &pages);
        // The work: at most about MAX_STATES_PER_START states per line (200), and the pages
        // tried from them. Unbounded, this chapter made far more.
        assert!(
            report.states <= 210 * (lines + 1),
            "{report:?} for {lines} lines"
        );
        assert!(
            report.pages_tried <= 1_000 * (lines + 1),
            "{report:?} for {lines} lines"
        );
        // The search was bounded, and says where: at a line of the chapter.
        let at = report.bounded_at.expect("the search was bounded");
        assert!(matches!(f.body[at], VItem::Line(_)), "{at}");
        // A book's chapter keeps every state (the search is exact).
        let sizes: Vec<usize> = (0..200).map(|k| 2 + k % 9).collect();
        let refs: Vec<(usize, usize)> = (0..30).map(|k| (k * 40 + 7, k)).collect();
        let f = flow(
            paragraphs(&sizes, &refs),
            (0..30).map(|k| note(1 + k % 7)).collect(),
        );
        let (_, report) = paginate_reporting(&f, &geo(40));
        assert_eq!(report.bounded_at, None, "{report:?}");
        assert!(report.peak_states_per_start <= 30, "{report:?}");
    }

    #[test]
    fn empty_flow_gives_one_page() {
        let pages = paginate(&ChapterFlow::default(), &geo(10));
        assert_eq!(pages.len(), 1);
    }
}
