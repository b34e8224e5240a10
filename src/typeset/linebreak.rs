//! Paragraph line breaking: Knuth–Plass total fit over boxes, glue and penalties, with a
//! greedy first-fit fallback. Pure functions: items and line widths in, breakpoints out.
//!
//! # Building items
//! - A word (or word fragment between hyphenation points) is a [`Item::Box`].
//! - An inter-word space is a [`Item::Glue`]; a glue is a legal break only when a box
//!   immediately precedes it (TeX's rule).
//! - A hyphenation point is a flagged [`Item::Penalty`] whose `width` is the hyphen's width
//!   (see [`hyphen_penalty`]). A break after a hard hyphen or dash is a flagged penalty with
//!   width 0, because the hyphen is already in the box.
//! - Do not put hyphenation penalties in a paragraph's last word (docs/typesetting.md); the
//!   breaker takes whatever breaks it is given.
//! - **Every paragraph must end with [`finish_paragraph`]**, which removes trailing glue and
//!   appends TeX's `\penalty10000 \parfillskip \penalty-10000`. If the caller forgets, the
//!   breakers behave as if it had been called, and the final [`Break::position`] is
//!   `items.len()` (one past the end); [`line_ranges`] handles both cases.
//! - A forced break inside a paragraph (`\\`) is `Penalty { cost: -INF }`; put an
//!   infinitely stretchable glue ([`INFINITE_STRETCH`]) before it, or the line is justified.
//!
//! # Hyphenation and the passes
//! Give [`break_lines`] the items *with* all hyphenation penalties. Pass 1 (pretolerance)
//! ignores every break that would add a hyphen (a flagged penalty with width > 0), which is
//! TeX's first pass "without hyphenation"; pass 2 (tolerance) uses them; the emergency pass
//! adds `emergency_stretch` to every line's stretch.
//!
//! # Ragged right
//! Build each inter-word space with [`ragged_space`] (the Knuth–Plass paper's construction:
//! `glue(0, +s, 0) penalty(0) glue(w, −s, 0)`). Inside a line the two stretches cancel, so
//! every space keeps exactly its natural width; only the glue at the end of a line keeps its
//! stretch `s`, which absorbs the ragged margin. The breaker needs no special mode.
//!
//! # Justifying a line
//! [`line_ranges`] gives the items on each line (discarded glue removed, the break item
//! excluded); [`set_glue`] gives each glue's final width from the line's [`Break::ratio`].

use std::ops::Range;

/// Stretch at or above this is "infinite" (TeX's `fil`): such glue absorbs all leftover space
/// and makes the line's badness 0. 1e6 pt is ~350 m, far beyond any real page.
pub const INFINITE_STRETCH: f32 = 1e6;

/// TeX's `\hyphenpenalty`: plain TeX's 50 makes a hyphen cost about as much as a line with
/// badness ~40, enough to prefer unhyphenated solutions of similar quality.
pub const HYPHEN_PENALTY: f32 = 50.0;

/// TeX's `\exhyphenpenalty` for breaks after hard hyphens and dashes (plain TeX: 50).
pub const EX_HYPHEN_PENALTY: f32 = 50.0;

/// Badness of an infinitely bad line (TeX's `inf_bad`); badness is capped here.
const INF_BAD: f64 = 10000.0;

/// Demerits at or beyond which `(l + b)²` is treated as saturated, as TeX does
/// (TeX's `awful_bad` guard: `(l + b)` ≥ 10000 gives 10⁸).
const SATURATED_LINE_DEMERITS: f64 = 1e8;

/// Slack (pt) allowed when deciding whether a line is overfull, to absorb float rounding of
/// prefix sums; 0.001 pt is far below what a printer can render.
const OVERFULL_EPSILON: f64 = 1e-3;

/// One element of a paragraph in the box/glue/penalty model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item {
    /// Fixed-width material (a shaped word fragment). `width` in pt.
    Box {
        /// Advance width in pt.
        width: f32,
    },
    /// Inter-word space: natural width, stretchability, shrinkability (pt).
    Glue {
        /// Natural width in pt.
        width: f32,
        /// How far it may stretch at ratio 1, in pt. ≥ [`INFINITE_STRETCH`] means infinite.
        stretch: f32,
        /// How far it may shrink at ratio −1, in pt.
        shrink: f32,
    },
    /// A possible break with a cost. `width` is added to the line when the break is taken
    /// (a hyphen's width). `cost` = f32::INFINITY forbids the break, -INFINITY forces it.
    /// `flagged` marks hyphen breaks (for consecutive-hyphen and final-hyphen demerits).
    Penalty {
        /// Width in pt added to the line's end when the break is taken.
        width: f32,
        /// Cost of breaking here; ±INFINITY forbids / forces.
        cost: f32,
        /// The line ends with a hyphen when broken here.
        flagged: bool,
    },
}

/// Parameters of the line breaker. `Default` gives plain TeX's values.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Badness limit of pass 1 (without added hyphens). Negative skips pass 1. Plain TeX: 100.
    pub pretolerance: f32,
    /// Badness limit of pass 2 (with hyphenation) and the emergency pass. Plain TeX: 200.
    pub tolerance: f32,
    /// Added to every line's badness before squaring (TeX's `\linepenalty`); favours fewer
    /// lines. Plain TeX: 10.
    pub line_penalty: f32,
    /// Added when adjacent lines' fitness classes differ by more than one (TeX's
    /// `\adjdemerits`). Plain TeX: 10000.
    pub adjacent_demerits: f32,
    /// Added when two consecutive lines end with a flagged break (TeX's
    /// `\doublehyphendemerits`). Plain TeX: 10000.
    pub double_hyphen_demerits: f32,
    /// Added when the second-last line ends with a flagged break (TeX's
    /// `\finalhyphendemerits`). Plain TeX: 5000.
    pub final_hyphen_demerits: f32,
    /// Extra stretch in pt given to every line in the emergency pass (TeX's
    /// `\emergencystretch`). Set it to about 1.5 em of the body font.
    pub emergency_stretch: f32,
    /// Ask for this many more (positive) or fewer (negative) lines than optimal, when feasible
    /// (TeX's `\looseness`).
    pub looseness: i32,
    /// Font expansion: every box may stretch or shrink by this share of its width (pdfTeX's
    /// `\pdfadjustspacing` with microtype's ±2 %: 0.02). It adds to each line's stretch and
    /// shrink, so a [`Break::ratio`] then applies to glue and boxes alike. 0 turns it off.
    pub expansion: f32,
    /// At most this many consecutive lines may end with a hyphen (a "ladder"); 0 for no
    /// limit (TeX has none, only [`Params::double_hyphen_demerits`]). Book typography wants 2
    /// or 3. The limit yields only in the final emergency pass, where nothing else fits.
    pub max_hyphen_ladder: u8,
}

/// Default emergency stretch: 1.5 em of a 10 pt body font (docs/typesetting.md: ≈ 1.5 em).
const DEFAULT_EMERGENCY_STRETCH: f32 = 15.0;

impl Default for Params {
    fn default() -> Self {
        Params {
            pretolerance: 100.0,
            tolerance: 200.0,
            line_penalty: 10.0,
            adjacent_demerits: 10000.0,
            double_hyphen_demerits: 10000.0,
            final_hyphen_demerits: 5000.0,
            emergency_stretch: DEFAULT_EMERGENCY_STRETCH,
            looseness: 0,
            expansion: 0.0,
            max_hyphen_ladder: 0,
        }
    }
}

/// A chosen breakpoint: where one line ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    /// Index of the item where the line ends (the glue or penalty broken at; the item itself
    /// is not on the line, except a penalty's width). `items.len()` for the implicit final
    /// break of a paragraph that was not finished with [`finish_paragraph`].
    pub position: usize,
    /// Adjustment ratio of the line that ends here, computed from its real glue: > 0 stretches
    /// (`width + r·stretch`), < 0 shrinks (`width + r·shrink`). 0 for the last line, and for a
    /// line with no stretch that is short. Below −1 only on an overfull line.
    pub ratio: f32,
    /// The line ends with a hyphen (a flagged penalty).
    pub flagged: bool,
}

/// Which pass of [`break_lines`] produced the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Pass 1: pretolerance, no added hyphens.
    First,
    /// Pass 2: tolerance, with hyphenation.
    Second,
    /// Emergency pass: tolerance plus `emergency_stretch` on every line; if that still fails,
    /// any non-overfull line is accepted, and an unavoidably overfull line is taken as late as
    /// possible (TeX's final pass).
    Emergency,
    /// Greedy first fit (only if total fit found nothing, which should not happen).
    FirstFit,
}

/// Result of [`break_lines`].
#[derive(Debug, Clone, PartialEq)]
pub struct Breaking {
    /// One entry per line, in order; empty for an empty paragraph.
    pub breaks: Vec<Break>,
    /// Which pass succeeded.
    pub pass: Pass,
    /// Some line is wider than its measure even at full shrink (a box wider than the line).
    pub overfull: bool,
}

/// Appends the paragraph end: removes trailing glue, then `Penalty(+INF)` (no break before
/// the fill), `Glue(0, INFINITE_STRETCH, 0)` (TeX's `\parfillskip`) and `Penalty(-INF)` (the
/// forced final break). Callers must use this on every paragraph.
pub fn finish_paragraph(items: &mut Vec<Item>) {
    while matches!(items.last(), Some(Item::Glue { .. })) {
        items.pop();
    }
    items.push(Item::Penalty {
        width: 0.0,
        cost: f32::INFINITY,
        flagged: false,
    });
    items.push(Item::Glue {
        width: 0.0,
        stretch: INFINITE_STRETCH,
        shrink: 0.0,
    });
    items.push(Item::Penalty {
        width: 0.0,
        cost: f32::NEG_INFINITY,
        flagged: false,
    });
}

/// A hyphenation point: a flagged penalty of [`HYPHEN_PENALTY`] adding `hyphen_width` pt.
pub fn hyphen_penalty(hyphen_width: f32) -> Item {
    Item::Penalty {
        width: hyphen_width,
        cost: HYPHEN_PENALTY,
        flagged: true,
    }
}

/// A break after a hard hyphen or dash already in the text: flagged, adds no width.
pub fn hard_hyphen_penalty() -> Item {
    Item::Penalty {
        width: 0.0,
        cost: EX_HYPHEN_PENALTY,
        flagged: true,
    }
}

/// A ragged-right inter-word space of natural width `width` pt: `glue(0, +end_stretch, 0)`,
/// `penalty(0)`, `glue(width, −end_stretch, 0)`. `end_stretch` (pt) is how ragged the margin
/// may get at ratio 1; TeX's `\raggedright` uses 2 em, the Knuth–Plass paper 3 em.
pub fn ragged_space(width: f32, end_stretch: f32) -> [Item; 3] {
    [
        Item::Glue {
            width: 0.0,
            stretch: end_stretch,
            shrink: 0.0,
        },
        Item::Penalty {
            width: 0.0,
            cost: 0.0,
            flagged: false,
        },
        Item::Glue {
            width,
            stretch: -end_stretch,
            shrink: 0.0,
        },
    ]
}

/// Final width (pt) of a glue set at adjustment ratio `ratio`; the width of any other item.
/// Shrinking is clamped at ratio −1 (glue never shrinks beyond its shrinkability);
/// infinitely stretchable glue keeps its natural width (it sits at a line's end).
pub fn set_glue(item: &Item, ratio: f32) -> f32 {
    match *item {
        Item::Box { width } => width,
        Item::Penalty { .. } => 0.0,
        Item::Glue {
            width,
            stretch,
            shrink,
        } => {
            if ratio >= 0.0 {
                if stretch >= INFINITE_STRETCH {
                    width
                } else {
                    width + ratio * stretch
                }
            } else {
                width + ratio.max(-1.0) * shrink
            }
        }
    }
}

/// The content of each line: item ranges with the break item excluded and the glue and
/// penalties discarded after each break removed. A line ending at a penalty with width > 0
/// (a hyphen) must have that width (the hyphen) appended by the caller.
pub fn line_ranges(items: &[Item], breaks: &[Break]) -> Vec<Range<usize>> {
    let mut ranges = Vec::with_capacity(breaks.len());
    let mut start = 0;
    for b in breaks {
        let end = b.position.min(items.len()).max(start);
        ranges.push(start..end);
        start = content_start(items, b.position);
    }
    ranges
}

/// Natural width, stretch and shrink of a line, in pt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineMeasure {
    /// Sum of box and glue natural widths, plus the end penalty's width (pt).
    pub natural: f32,
    /// Sum of finite stretch (pt).
    pub stretch: f32,
    /// Sum of shrink (pt).
    pub shrink: f32,
    /// Whether the line holds infinitely stretchable glue.
    pub infinite: bool,
}

/// Measures `items[range]` plus `end_width` (the width of the penalty broken at, if any).
pub fn measure_line(items: &[Item], range: Range<usize>, end_width: f32) -> LineMeasure {
    let mut m = LineMeasure {
        natural: end_width,
        stretch: 0.0,
        shrink: 0.0,
        infinite: false,
    };
    for item in items.get(range).unwrap_or(&[]) {
        match *item {
            Item::Box { width } => m.natural += width,
            Item::Glue {
                width,
                stretch,
                shrink,
            } => {
                m.natural += width;
                m.shrink += shrink;
                if stretch >= INFINITE_STRETCH {
                    m.infinite = true;
                } else {
                    m.stretch += stretch;
                }
            }
            Item::Penalty { .. } => {}
        }
    }
    m
}

/// Adjustment ratio that justifies a line of measure `m` to `width` pt: > 0 stretch, < 0
/// shrink, 0 when the line has infinite stretch and is short, or no stretch at all.
/// May fall below −1 for an overfull line.
pub fn adjustment_ratio(m: &LineMeasure, width: f32) -> f32 {
    ratio_for(
        f64::from(m.natural),
        f64::from(m.stretch),
        f64::from(m.shrink),
        m.infinite,
        f64::from(width),
    )
    .reported
    .to_ratio()
}

/// Both ratios of a line: the one used for badness (may be infinite) and the one reported
/// to the caller for setting glue (always finite).
struct Ratios {
    badness_ratio: f64,
    reported: f64,
}

fn ratio_for(natural: f64, stretch: f64, shrink: f64, infinite: bool, width: f64) -> Ratios {
    if natural < width {
        if infinite {
            Ratios {
                badness_ratio: 0.0,
                reported: 0.0,
            }
        } else if stretch > 0.0 {
            let r = (width - natural) / stretch;
            Ratios {
                badness_ratio: r,
                reported: r,
            }
        } else {
            Ratios {
                badness_ratio: f64::INFINITY,
                reported: 0.0,
            }
        }
    } else if natural > width {
        if shrink > 0.0 {
            let r = (width - natural) / shrink;
            Ratios {
                badness_ratio: r,
                reported: r,
            }
        } else {
            Ratios {
                badness_ratio: f64::NEG_INFINITY,
                reported: -1.0 - (natural - width),
            }
        }
    } else {
        Ratios {
            badness_ratio: 0.0,
            reported: 0.0,
        }
    }
}

/// Narrowing of an internal f64 ratio to the f32 reported in [`Break::ratio`], saturating
/// instead of overflowing to infinity (possible for a huge measure with tiny stretch).
trait ToRatio {
    fn to_ratio(self) -> f32;
}

impl ToRatio for f64 {
    fn to_ratio(self) -> f32 {
        if self.is_nan() {
            0.0
        } else {
            self.clamp(f64::from(f32::MIN), f64::from(f32::MAX)) as f32
        }
    }
}

/// TeX's badness: 100·|r|³, capped at [`INF_BAD`].
fn badness(r: f64) -> f64 {
    let b = 100.0 * r.abs().powi(3);
    if b.is_nan() || b > INF_BAD {
        INF_BAD
    } else {
        b
    }
}

/// Fitness class, ordered so that adjacent classes differ by 1:
/// 0 tight (shrinking, b ≥ 13), 1 decent (b ≤ 12), 2 loose (stretching, 13 ≤ b < 100),
/// 3 very loose (stretching, b ≥ 100).
fn fitness(r: f64, b: f64) -> u8 {
    if r < 0.0 {
        if b > 12.0 {
            0
        } else {
            1
        }
    } else if b >= 100.0 {
        3
    } else if b > 12.0 {
        2
    } else {
        1
    }
}

/// Index of the first item after a break at `position` that starts the next line: glue and
/// penalties are discarded up to the next box (or forced break).
fn content_start(items: &[Item], position: usize) -> usize {
    let mut j = position.saturating_add(1);
    while let Some(item) = items.get(j) {
        match *item {
            Item::Box { .. } => break,
            Item::Penalty { cost, .. } if cost == f32::NEG_INFINITY => break,
            _ => j += 1,
        }
    }
    j.min(items.len())
}

/// Prefix sums (f64, to stay exact over long paragraphs) of widths, finite stretch, shrink
/// and infinite-stretch count; entry `i` covers `items[..i]`.
struct Sums {
    width: Vec<f64>,
    stretch: Vec<f64>,
    shrink: Vec<f64>,
    infinite: Vec<u32>,
}

impl Sums {
    /// `expansion`: the share of each box's width that counts as stretch and shrink.
    fn new(items: &[Item], expansion: f64) -> Self {
        let n = items.len() + 1;
        let mut s = Sums {
            width: Vec::with_capacity(n),
            stretch: Vec::with_capacity(n),
            shrink: Vec::with_capacity(n),
            infinite: Vec::with_capacity(n),
        };
        let (mut w, mut y, mut z, mut f) = (0.0f64, 0.0f64, 0.0f64, 0u32);
        s.width.push(w);
        s.stretch.push(y);
        s.shrink.push(z);
        s.infinite.push(f);
        for item in items {
            match *item {
                Item::Box { width } => {
                    w += f64::from(width);
                    y += expansion * f64::from(width);
                    z += expansion * f64::from(width);
                }
                Item::Glue {
                    width,
                    stretch,
                    shrink,
                } => {
                    w += f64::from(width);
                    z += f64::from(shrink);
                    if stretch >= INFINITE_STRETCH {
                        f = f.saturating_add(1);
                    } else {
                        y += f64::from(stretch);
                    }
                }
                Item::Penalty { .. } => {}
            }
            s.width.push(w);
            s.stretch.push(y);
            s.shrink.push(z);
            s.infinite.push(f);
        }
        s
    }
}

/// A legal breakpoint as the breaker sees it.
#[derive(Clone, Copy)]
struct Point {
    /// Item index (or `items.len()` for the implicit end).
    position: usize,
    /// Penalty cost (0 for glue).
    cost: f64,
    /// Width added when broken here.
    width: f64,
    flagged: bool,
    forced: bool,
    /// Implicit end of an unfinished paragraph: the line gets infinite stretch.
    implicit_end: bool,
}

/// The legal breakpoints of `items`, in order, ending with a forced one.
fn breakpoints(items: &[Item], skip_added_hyphens: bool) -> Vec<Point> {
    let mut points = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match *item {
            Item::Glue { .. } => {
                if i > 0 && matches!(items[i - 1], Item::Box { .. }) {
                    points.push(Point {
                        position: i,
                        cost: 0.0,
                        width: 0.0,
                        flagged: false,
                        forced: false,
                        implicit_end: false,
                    });
                }
            }
            Item::Penalty {
                width,
                cost,
                flagged,
            } => {
                if cost == f32::INFINITY || cost.is_nan() {
                    continue;
                }
                if skip_added_hyphens && flagged && width > 0.0 && cost > f32::NEG_INFINITY {
                    continue;
                }
                points.push(Point {
                    position: i,
                    cost: f64::from(cost),
                    width: f64::from(width),
                    flagged,
                    forced: cost == f32::NEG_INFINITY,
                    implicit_end: false,
                });
            }
            Item::Box { .. } => {}
        }
    }
    if !matches!(points.last(), Some(p) if p.forced && p.position + 1 == items.len()) {
        points.push(Point {
            position: items.len(),
            cost: f64::NEG_INFINITY,
            width: 0.0,
            flagged: false,
            forced: true,
            implicit_end: true,
        });
    }
    points
}

/// A feasible break in the dynamic programme.
#[derive(Clone, Copy)]
struct Node {
    /// Item index of the break (`None` for the paragraph start).
    position: Option<usize>,
    /// First item of the line that follows this break.
    start: usize,
    /// Number of lines ending at or before this break (the next line's 0-based index).
    line: usize,
    fitness: u8,
    total_demerits: f64,
    flagged: bool,
    /// Consecutive lines ending with a hyphen, up to and including the line ending here.
    hyphens: u8,
    /// Reported ratio of the line that ends here.
    ratio: f64,
    /// Arena index of the previous break.
    prev: Option<usize>,
}

/// How one total-fit run behaves.
#[derive(Clone, Copy)]
struct RunOptions {
    tolerance: f64,
    extra_stretch: f64,
    skip_added_hyphens: bool,
    /// TeX's final pass: when the last active node would die, break there anyway.
    final_pass: bool,
}

/// Best candidate for a new node at the current breakpoint, per (line group, fitness).
#[derive(Clone, Copy)]
struct Candidate {
    /// Lines ending at or before the new node.
    line: usize,
    /// `line`, or `easy_line` for every line from which all widths are equal.
    group: usize,
    fitness: u8,
    /// The new node's [`Node::hyphens`].
    hyphens: u8,
    demerits: f64,
    from: usize,
    ratio: f64,
}

fn total_fit(
    items: &[Item],
    line_width: &dyn Fn(usize) -> f32,
    params: &Params,
    opts: RunOptions,
) -> Option<Vec<Break>> {
    if items.is_empty() {
        return Some(Vec::new());
    }
    let sums = Sums::new(items, expansion_share(params));
    let points = breakpoints(items, opts.skip_added_hyphens);
    // A paragraph has at most one line per breakpoint, so these are all the widths needed.
    let widths: Vec<f64> = (0..=points.len())
        .map(|line| usable_width(line_width, line))
        .collect();
    // From `easy_line` on, every line has the same width, so nodes there need not be kept
    // apart by line number (TeX's `easy_line`); `\looseness` needs them apart.
    let easy_line = if params.looseness != 0 {
        usize::MAX
    } else {
        widths
            .windows(2)
            .rposition(|pair| pair[0] != pair[1])
            .map_or(0, |i| i + 1)
    };
    let last_width = widths.last().copied().unwrap_or(0.0);
    let line_penalty = f64::from(params.line_penalty);
    let alpha = f64::from(params.double_hyphen_demerits);
    let final_hyphen = f64::from(params.final_hyphen_demerits);
    let gamma = f64::from(params.adjacent_demerits);

    let mut arena: Vec<Node> = vec![Node {
        position: None,
        start: 0,
        line: 0,
        fitness: 1,
        total_demerits: 0.0,
        flagged: false,
        hyphens: 0,
        ratio: 0.0,
        prev: None,
    }];
    let ladder_limit = if params.max_hyphen_ladder == 0 {
        u8::MAX
    } else {
        params.max_hyphen_ladder
    };
    let mut active: Vec<usize> = vec![0];
    let mut next_active: Vec<usize> = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    let last_point = points.len().saturating_sub(1);

    for (pi, point) in points.iter().enumerate() {
        let b = point.position;
        let is_last = pi == last_point;
        candidates.clear();
        next_active.clear();
        // In the final pass, the node to break from if every node dies here.
        let mut dying: Option<Candidate> = None;
        for &ai in active.iter() {
            let node = arena[ai];
            if b < node.start {
                // The breakpoint lies among the glue discarded after this node.
                next_active.push(ai);
                continue;
            }
            let natural = sums.width[b] - sums.width[node.start] + point.width;
            let stretch = sums.stretch[b] - sums.stretch[node.start];
            let shrink = sums.shrink[b] - sums.shrink[node.start];
            let infinite = sums.infinite[b] > sums.infinite[node.start] || point.implicit_end;
            let width = widths.get(node.line).copied().unwrap_or(last_width);
            let real = ratio_for(natural, stretch, shrink, infinite, width);
            let judged = ratio_for(
                natural,
                stretch + opts.extra_stretch,
                shrink,
                infinite,
                width,
            );
            let r = judged.badness_ratio;
            let overfull = r < -1.0 - OVERFULL_EPSILON / shrink.max(1.0);
            let bad = badness(r);

            let keep = !overfull && !point.forced;
            let hyphens = if point.flagged {
                node.hyphens.saturating_add(1)
            } else {
                0
            };
            let feasible = !overfull && bad <= opts.tolerance && hyphens <= ladder_limit;
            if opts.final_pass && !feasible && (overfull || point.forced) {
                // Prefer the latest break (the shortest overfull line, as TeX's last-node
                // rule does), then the fewest demerits.
                let better = dying.is_none_or(|d: Candidate| {
                    let held = arena[d.from].position;
                    node.position > held
                        || (node.position == held && node.total_demerits < d.demerits)
                });
                if better {
                    dying = Some(Candidate {
                        line: node.line + 1,
                        group: (node.line + 1).min(easy_line),
                        fitness: fitness(r, bad),
                        hyphens,
                        demerits: node.total_demerits,
                        from: ai,
                        ratio: real.reported,
                    });
                }
            }
            if feasible {
                let fit = fitness(r, bad);
                let demerits = {
                    let base = line_penalty + bad;
                    let mut d = if base.abs() >= 10000.0 {
                        SATURATED_LINE_DEMERITS
                    } else {
                        base * base
                    };
                    if point.cost >= 0.0 {
                        d += point.cost * point.cost;
                    } else if point.cost > f64::NEG_INFINITY {
                        d -= point.cost * point.cost;
                    }
                    if point.flagged && node.flagged {
                        d += alpha;
                    }
                    if is_last && node.flagged {
                        d += final_hyphen;
                    }
                    if node.position.is_some() && fit.abs_diff(node.fitness) > 1 {
                        d += gamma;
                    }
                    d
                };
                let total = node.total_demerits + demerits;
                let line = node.line + 1;
                let group = line.min(easy_line);
                let reported = if is_last && real.reported > 0.0 {
                    0.0
                } else {
                    real.reported
                };
                match candidates
                    .iter_mut()
                    .find(|c| c.group == group && c.fitness == fit && c.hyphens == hyphens)
                {
                    Some(c) => {
                        if total < c.demerits {
                            c.line = line;
                            c.demerits = total;
                            c.from = ai;
                            c.ratio = reported;
                        }
                    }
                    None => candidates.push(Candidate {
                        line,
                        group,
                        fitness: fit,
                        hyphens,
                        demerits: total,
                        from: ai,
                        ratio: reported,
                    }),
                }
            }
            if keep {
                next_active.push(ai);
            }
        }
        // TeX's final pass: when every active node would die with no feasible break here,
        // break here anyway from the latest of them (an overfull or underfull line) rather
        // than give up; later lines still get total fit.
        if candidates.is_empty() && next_active.is_empty() {
            if let Some(d) = dying {
                candidates.push(d);
            }
        }
        std::mem::swap(&mut active, &mut next_active);
        // Only candidates within γ of their line group's best can ever win: a later line
        // adds at most γ more to one fitness class than to another. (Candidates with fewer
        // hyphens in a row have continuations the others lack, so they are compared apart.)
        for c in &candidates {
            let best = candidates
                .iter()
                .filter(|o| o.group == c.group && o.hyphens == c.hyphens)
                .map(|o| o.demerits)
                .fold(f64::INFINITY, f64::min);
            if c.demerits > best + gamma {
                continue;
            }
            arena.push(Node {
                position: Some(b),
                start: content_start(items, b),
                line: c.line,
                fitness: c.fitness,
                total_demerits: c.demerits,
                flagged: point.flagged,
                hyphens: c.hyphens,
                ratio: c.ratio,
                prev: Some(c.from),
            });
            active.push(arena.len() - 1);
        }
        if active.is_empty() {
            return None;
        }
    }

    // After the final forced break, `active` holds only nodes at the last point.
    let best = active
        .iter()
        .copied()
        .min_by(|&a, &b| arena[a].total_demerits.total_cmp(&arena[b].total_demerits))?;
    let chosen = if params.looseness == 0 {
        best
    } else {
        let target = arena[best].line as i64 + i64::from(params.looseness);
        active
            .iter()
            .copied()
            .min_by(|&a, &b| {
                let da = (arena[a].line as i64 - target).abs();
                let db = (arena[b].line as i64 - target).abs();
                da.cmp(&db)
                    .then(arena[a].total_demerits.total_cmp(&arena[b].total_demerits))
            })
            .unwrap_or(best)
    };

    let mut breaks = Vec::with_capacity(arena[chosen].line);
    let mut cursor = Some(chosen);
    while let Some(ci) = cursor {
        let node = arena[ci];
        if let Some(position) = node.position {
            breaks.push(Break {
                position,
                ratio: node.ratio.to_ratio(),
                flagged: node.flagged,
            });
        }
        cursor = node.prev;
    }
    breaks.reverse();
    Some(breaks)
}

/// Total fit. `line_width(i)` is the width of line i (0-based), allowing first-line indents or
/// narrower lines. Returns None when no feasible solution exists at this tolerance.
///
/// `tolerance` is a badness limit (TeX's `\tolerance`): a line is feasible when its badness
/// 100·|r|³ is at most `tolerance` and it is not overfull (r ≥ −1). Every breakpoint in
/// `items` is used, hyphenation included. `params.tolerance`/`pretolerance` are ignored here.
pub fn knuth_plass(
    items: &[Item],
    line_width: &dyn Fn(usize) -> f32,
    params: &Params,
    tolerance: f32,
) -> Option<Vec<Break>> {
    total_fit(
        items,
        line_width,
        params,
        RunOptions {
            tolerance: f64::from(tolerance),
            extra_stretch: 0.0,
            skip_added_hyphens: false,
            final_pass: false,
        },
    )
}

/// Greedy first-fit: fallback and test oracle. Each line takes as much as fits with its glue
/// shrunk at most fully; a box wider than the line sits alone on an overfull line.
pub fn first_fit(items: &[Item], line_width: &dyn Fn(usize) -> f32) -> Vec<Break> {
    if items.is_empty() {
        return Vec::new();
    }
    let sums = Sums::new(items, 0.0);
    let points = breakpoints(items, false);
    let mut breaks = Vec::new();
    let mut start = 0usize;
    let mut line = 0usize;
    // The last breakpoint at which the current line still fits.
    let mut fitting: Option<(Point, f64)> = None;
    let measure = |start: usize, p: &Point, line: usize| -> (f64, Ratios) {
        let natural = sums.width[p.position] - sums.width[start] + p.width;
        let stretch = sums.stretch[p.position] - sums.stretch[start];
        let shrink = sums.shrink[p.position] - sums.shrink[start];
        let infinite = sums.infinite[p.position] > sums.infinite[start] || p.implicit_end;
        let width = usable_width(line_width, line);
        let ratios = ratio_for(natural, stretch, shrink, infinite, width);
        (natural - shrink - width, ratios)
    };
    let mut i = 0;
    while i < points.len() {
        let p = points[i];
        if p.position < start {
            i += 1;
            continue;
        }
        let (excess, ratios) = measure(start, &p, line);
        let fits = excess <= OVERFULL_EPSILON;
        if fits && !p.forced {
            fitting = Some((p, ratios.reported));
            i += 1;
            continue;
        }
        let (chosen, ratio) = match fitting {
            Some(f) if !fits => f,
            _ => (p, ratios.reported),
        };
        let last = chosen.forced && i + 1 == points.len();
        breaks.push(Break {
            position: chosen.position,
            ratio: if last && ratio > 0.0 {
                0.0
            } else {
                ratio.to_ratio()
            },
            flagged: chosen.flagged,
        });
        start = content_start(items, chosen.position);
        line += 1;
        fitting = None;
        if chosen.position == p.position {
            i += 1;
        }
        // Otherwise re-examine `p` as a candidate for the new line.
    }
    breaks
}

/// The production entry point. Give the items *with* hyphenation penalties (see the module
/// docs): pass 1 uses `params.pretolerance` and ignores breaks that add a hyphen; pass 2 uses
/// `params.tolerance` with them; the emergency pass adds `params.emergency_stretch` to every
/// line's stretch, first at `params.tolerance` and then accepting any line that is not
/// overfull; only then first fit. A line is overfull only when a box (or an unbreakable run)
/// is wider than the line, and then `overfull` is set.
pub fn break_lines(items: &[Item], line_width: &dyn Fn(usize) -> f32, params: &Params) -> Breaking {
    let mut attempts: Vec<(Pass, RunOptions)> = Vec::with_capacity(4);
    if params.pretolerance >= 0.0 {
        attempts.push((
            Pass::First,
            RunOptions {
                tolerance: f64::from(params.pretolerance),
                extra_stretch: 0.0,
                skip_added_hyphens: true,
                final_pass: false,
            },
        ));
    }
    attempts.push((
        Pass::Second,
        RunOptions {
            tolerance: f64::from(params.tolerance),
            extra_stretch: 0.0,
            skip_added_hyphens: false,
            final_pass: false,
        },
    ));
    let emergency = f64::from(params.emergency_stretch.max(0.0));
    if emergency > 0.0 {
        attempts.push((
            Pass::Emergency,
            RunOptions {
                tolerance: f64::from(params.tolerance),
                extra_stretch: emergency,
                skip_added_hyphens: false,
                final_pass: false,
            },
        ));
    }
    attempts.push((
        Pass::Emergency,
        RunOptions {
            tolerance: INF_BAD,
            extra_stretch: emergency,
            skip_added_hyphens: false,
            final_pass: true,
        },
    ));
    for (pass, opts) in attempts {
        if let Some(breaks) = total_fit(items, line_width, params, opts) {
            let overfull = any_overfull(items, &breaks, line_width, expansion_share(params));
            return Breaking {
                breaks,
                pass,
                overfull,
            };
        }
    }
    let breaks = first_fit(items, line_width);
    let overfull = any_overfull(items, &breaks, line_width, 0.0);
    Breaking {
        breaks,
        pass: Pass::FirstFit,
        overfull,
    }
}

/// The font-expansion share of `params`, made safe: 0 unless finite and positive, at most 10 %.
fn expansion_share(params: &Params) -> f64 {
    let e = f64::from(params.expansion);
    if e.is_finite() && e > 0.0 {
        e.min(0.1)
    } else {
        0.0
    }
}

/// The width of line `line` in pt, made safe: NaN and negative widths count as 0, and
/// infinite ones as the largest finite f32.
fn usable_width(line_width: &dyn Fn(usize) -> f32, line: usize) -> f64 {
    let w = line_width(line);
    if w.is_nan() || w <= 0.0 {
        0.0
    } else {
        f64::from(w.min(f32::MAX))
    }
}

/// Whether any line is wider than its measure even with all glue shrunk.
fn any_overfull(
    items: &[Item],
    breaks: &[Break],
    line_width: &dyn Fn(usize) -> f32,
    expansion: f64,
) -> bool {
    line_ranges(items, breaks)
        .into_iter()
        .zip(breaks)
        .enumerate()
        .any(|(line, (range, b))| {
            let end_width = match items.get(b.position) {
                Some(Item::Penalty { width, .. }) => *width,
                _ => 0.0,
            };
            let boxes: f64 = items[range.clone()]
                .iter()
                .map(|i| match *i {
                    Item::Box { width } => f64::from(width),
                    _ => 0.0,
                })
                .sum();
            let m = measure_line(items, range, end_width);
            f64::from(m.natural) - f64::from(m.shrink) - expansion * boxes
                > usable_width(line_width, line) + OVERFULL_EPSILON
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inter-word glue used in tests: 3 pt, stretch 1.5 pt, shrink 1 pt (XeTeX's w, w/2, w/3).
    const SPACE: Item = Item::Glue {
        width: 3.0,
        stretch: 1.5,
        shrink: 1.0,
    };

    /// A finished paragraph of boxes of the given widths separated by [`SPACE`].
    fn paragraph(words: &[f32]) -> Vec<Item> {
        let mut items = Vec::new();
        for (i, &w) in words.iter().enumerate() {
            if i > 0 {
                items.push(SPACE);
            }
            items.push(Item::Box { width: w });
        }
        finish_paragraph(&mut items);
        items
    }

    /// Tiny deterministic PRNG (xorshift64*), so property tests need no crate.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        /// Uniform in [lo, hi).
        fn range(&mut self, lo: f32, hi: f32) -> f32 {
            let unit = (self.next() >> 40) as f32 / (1u64 << 24) as f32;
            lo + unit * (hi - lo)
        }
    }

    /// A random paragraph of `words` words (5–40 pt), some split by hyphenation points.
    fn random_paragraph(rng: &mut Rng, words: usize, hyphen_every: u64) -> Vec<Item> {
        let mut items = Vec::new();
        for i in 0..words {
            if i > 0 {
                items.push(SPACE);
            }
            let w = rng.range(5.0, 40.0);
            if hyphen_every > 0 && w > 20.0 && rng.next().is_multiple_of(hyphen_every) {
                let left = rng.range(6.0, w - 8.0);
                items.push(Item::Box { width: left });
                items.push(hyphen_penalty(2.0));
                items.push(Item::Box { width: w - left });
            } else {
                items.push(Item::Box { width: w });
            }
        }
        finish_paragraph(&mut items);
        items
    }

    fn positions(breaks: &[Break]) -> Vec<usize> {
        breaks.iter().map(|b| b.position).collect()
    }

    fn end_width(items: &[Item], b: &Break) -> f32 {
        match items.get(b.position) {
            Some(Item::Penalty { width, .. }) => *width,
            _ => 0.0,
        }
    }

    /// Fitness class and demerits of each line, recomputed independently from the ranges.
    fn line_costs(
        items: &[Item],
        breaks: &[Break],
        width: &dyn Fn(usize) -> f32,
        params: &Params,
    ) -> Option<Costs> {
        let ranges = line_ranges(items, breaks);
        let mut total = 0.0;
        let mut classes = Vec::new();
        let mut prev_flagged = false;
        let mut prev_class = 1u8;
        let mut max_badness = 0.0f64;
        for (i, (range, b)) in ranges.into_iter().zip(breaks).enumerate() {
            let m = measure_line(items, range, end_width(items, b));
            let target = width(i);
            let r = if m.natural < target {
                if m.infinite {
                    0.0
                } else if m.stretch > 0.0 {
                    f64::from((target - m.natural) / m.stretch)
                } else {
                    f64::INFINITY
                }
            } else if m.natural > target {
                if m.shrink > 0.0 {
                    f64::from((target - m.natural) / m.shrink)
                } else {
                    f64::NEG_INFINITY
                }
            } else {
                0.0
            };
            if r < -1.0 - 1e-4 {
                return None;
            }
            let bad = (100.0 * r.abs().powi(3)).min(10000.0);
            max_badness = max_badness.max(bad);
            let class: u8 = if r < 0.0 && bad > 12.0 {
                0
            } else if r > 0.0 && bad >= 100.0 {
                3
            } else if r > 0.0 && bad > 12.0 {
                2
            } else {
                1
            };
            let cost = match items.get(b.position) {
                Some(Item::Penalty { cost, .. }) => f64::from(*cost),
                _ => 0.0,
            };
            let l = f64::from(params.line_penalty) + bad;
            let mut d = l * l;
            if cost >= 0.0 {
                d += cost * cost;
            } else if cost.is_finite() {
                d -= cost * cost;
            }
            if b.flagged && prev_flagged {
                d += f64::from(params.double_hyphen_demerits);
            }
            if i + 1 == breaks.len() && prev_flagged {
                d += f64::from(params.final_hyphen_demerits);
            }
            if i > 0 && class.abs_diff(prev_class) > 1 {
                d += f64::from(params.adjacent_demerits);
            }
            total += d;
            classes.push(class);
            prev_flagged = b.flagged;
            prev_class = class;
        }
        Some(Costs {
            total,
            classes,
            max_badness,
        })
    }

    /// What [`line_costs`] found.
    struct Costs {
        total: f64,
        classes: Vec<u8>,
        max_badness: f64,
    }

    /// Words of the balanced-paragraph example: first fit packs line 1 tight and leaves
    /// line 2 very loose; total fit moves one word down.
    const BALANCE_WORDS: [f32; 15] = [
        17.0, 8.0, 18.0, 8.0, 5.0, 16.0, 7.0, 6.0, 14.0, 18.0, 23.0, 15.0, 7.0, 15.0, 17.0,
    ];

    #[test]
    fn total_fit_balances_what_first_fit_leaves_loose() {
        let items = paragraph(&BALANCE_WORDS);
        let w = |_| 100.0;
        let ff = first_fit(&items, &w);
        // Line 1: words 0..=7 = 85 + 7 spaces of 3 = 106 pt, shrink 7 → r = −6/7.
        // Line 2: words 8..=12 = 77 + 12 = 89 pt, stretch 6 → r = 11/6.
        assert_eq!(positions(&ff), vec![15, 25, 31]);
        assert!((ff[0].ratio - (-6.0 / 7.0)).abs() < 1e-5);
        assert!((ff[1].ratio - 11.0 / 6.0).abs() < 1e-5);
        assert_eq!(ff[2].ratio, 0.0);

        let kp = knuth_plass(&items, &w, &Params::default(), 200.0).expect("feasible");
        // Line 1: words 0..=6 = 79 + 18 = 97 pt, stretch 9 → r = 1/3.
        // Line 2: words 7..=12 = 83 + 15 = 98 pt, stretch 7.5 → r = 4/15.
        assert_eq!(positions(&kp), vec![13, 25, 31]);
        assert!((kp[0].ratio - 1.0 / 3.0).abs() < 1e-5);
        assert!((kp[1].ratio - 4.0 / 15.0).abs() < 1e-5);
        assert_eq!(kp[2].ratio, 0.0);

        let max_abs = |b: &[Break]| b.iter().map(|b| b.ratio.abs()).fold(0.0, f32::max);
        assert!(max_abs(&kp) < max_abs(&ff));
        // First fit is infeasible at tolerance 200 (badness of r = 11/6 is ≈ 616).
        let ff_cost = line_costs(&items, &ff, &w, &Params::default()).expect("not overfull");
        assert!(ff_cost.max_badness > 600.0);

        let result = break_lines(&items, &w, &Params::default());
        assert_eq!(result.pass, Pass::First);
        assert_eq!(positions(&result.breaks), vec![13, 25, 31]);
        assert!(!result.overfull);
    }

    /// Exhaustive oracle: the least demerits over every subset of legal breakpoints whose
    /// lines are all feasible at `tolerance`.
    fn brute_force(
        items: &[Item],
        width: &dyn Fn(usize) -> f32,
        params: &Params,
        tolerance: f64,
    ) -> Option<f64> {
        let legal: Vec<(usize, bool)> = items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| match *item {
                Item::Glue { .. } if i > 0 && matches!(items[i - 1], Item::Box { .. }) => {
                    Some((i, false))
                }
                Item::Penalty { cost, flagged, .. } if cost < f32::INFINITY => Some((i, flagged)),
                _ => None,
            })
            .collect();
        let (last, inner) = legal.split_last()?;
        let mut best: Option<f64> = None;
        for mask in 0u32..(1u32 << inner.len()) {
            let mut breaks: Vec<Break> = inner
                .iter()
                .enumerate()
                .filter(|(k, _)| mask & (1 << k) != 0)
                .map(|(_, &(position, flagged))| Break {
                    position,
                    ratio: 0.0,
                    flagged,
                })
                .collect();
            breaks.push(Break {
                position: last.0,
                ratio: 0.0,
                flagged: last.1,
            });
            if let Some(cost) = line_costs(items, &breaks, width, params) {
                if cost.max_badness <= tolerance {
                    best = Some(best.map_or(cost.total, |b: f64| b.min(cost.total)));
                }
            }
        }
        best
    }

    #[test]
    fn total_fit_matches_exhaustive_search() {
        let mut rng = Rng(0x5eed);
        let mut compared = 0;
        for case in 0..60 {
            let items = random_paragraph(&mut rng, 9, 2);
            let legal = items
                .iter()
                .enumerate()
                .filter(|(i, it)| match it {
                    Item::Glue { .. } => *i > 0 && matches!(items[i - 1], Item::Box { .. }),
                    Item::Penalty { cost, .. } => *cost < f32::INFINITY,
                    Item::Box { .. } => false,
                })
                .count();
            if legal > 16 {
                continue;
            }
            // Every third case narrows the first line (an indent or drop cap).
            let indent = if case % 3 == 0 { 20.0 } else { 0.0 };
            let w = move |line: usize| if line == 0 { 75.0 - indent } else { 75.0 };
            let mut params = Params::default();
            if case % 2 == 1 {
                // Exercise every demerit term with strong, distinct weights.
                params.adjacent_demerits = 30000.0;
                params.double_hyphen_demerits = 40000.0;
                params.final_hyphen_demerits = 20000.0;
            }
            for tolerance in [10000.0f32, 200.0] {
                let expected = brute_force(&items, &w, &params, f64::from(tolerance));
                let got = knuth_plass(&items, &w, &params, tolerance);
                match (expected, got) {
                    (None, None) => {}
                    (Some(best), Some(breaks)) => {
                        let cost = line_costs(&items, &breaks, &w, &params).expect("feasible");
                        assert!(cost.max_badness <= f64::from(tolerance));
                        assert!(
                            (cost.total - best).abs() <= 1e-3 * best.max(1.0),
                            "case {case} at {tolerance}: total fit {} vs exhaustive {best}",
                            cost.total
                        );
                        compared += 1;
                    }
                    (e, g) => {
                        panic!("case {case} at {tolerance}: exhaustive {e:?} vs total fit {g:?}")
                    }
                }
            }
        }
        assert!(compared >= 60, "only {compared} cases compared");

        // Short words on a narrow measure: many feasible solutions at tolerance 200.
        let mut compared = 0;
        for case in 0..200 {
            let words: Vec<f32> = (0..13).map(|_| rng.range(4.0, 14.0)).collect();
            let items = paragraph(&words);
            let w = |_| 45.0;
            let params = Params::default();
            let expected = brute_force(&items, &w, &params, 200.0);
            match (expected, knuth_plass(&items, &w, &params, 200.0)) {
                (None, None) => {}
                (Some(best), Some(breaks)) => {
                    let cost = line_costs(&items, &breaks, &w, &params).expect("feasible");
                    assert!(cost.max_badness <= 200.0);
                    assert!(
                        (cost.total - best).abs() <= 1e-3 * best.max(1.0),
                        "short case {case}: total fit {} vs exhaustive {best}",
                        cost.total
                    );
                    compared += 1;
                }
                (e, g) => panic!("short case {case}: exhaustive {e:?} vs total fit {g:?}"),
            }
        }
        assert!(compared >= 40, "only {compared} short cases compared");
    }

    #[test]
    fn adjacent_demerits_avoid_tight_next_to_very_loose() {
        let mut rng = Rng(42);
        let (mut jumps_with, mut jumps_without) = (0, 0);
        for _ in 0..300 {
            let items = random_paragraph(&mut rng, 40, 0);
            let w = |_| 110.0;
            let on = Params::default();
            let off = Params {
                adjacent_demerits: 0.0,
                ..Params::default()
            };
            let count = |params: &Params| {
                knuth_plass(&items, &w, params, 10000.0)
                    .and_then(|b| line_costs(&items, &b, &w, params))
                    .map_or(0, |c| {
                        let n = c.classes.len().saturating_sub(1);
                        // The last line is always "decent"; only count jumps between full lines.
                        c.classes[..n]
                            .windows(2)
                            .filter(|p| p[0].abs_diff(p[1]) > 1)
                            .count()
                    })
            };
            jumps_with += count(&on);
            jumps_without += count(&off);
        }
        assert!(jumps_without > 0, "the test corpus never tempts a jump");
        assert!(
            jumps_with < jumps_without,
            "{jumps_with} jumps with γ vs {jumps_without} without"
        );
    }

    #[test]
    fn no_tight_line_next_to_a_very_loose_one_at_default_settings() {
        // At tolerance 200 a tight line next to a very loose one would cost γ = 10000 on top
        // of the very loose line's own demerits; over this corpus there is always a cheaper
        // arrangement, so it never happens.
        let mut rng = Rng(9);
        for _ in 0..200 {
            let items = random_paragraph(&mut rng, 30, 0);
            let w = |_| 110.0;
            if let Some(b) = knuth_plass(&items, &w, &Params::default(), 200.0) {
                let c = line_costs(&items, &b, &w, &Params::default()).expect("feasible");
                let n = c.classes.len().saturating_sub(1);
                for pair in c.classes[..n].windows(2) {
                    // Tight (0) next to very loose (3) costs γ = 10000 and never wins at
                    // tolerance 200 in this corpus.
                    assert!(pair[0].abs_diff(pair[1]) < 3, "classes {:?}", c.classes);
                }
            }
        }
    }

    #[test]
    fn consecutive_hyphens_are_avoided_when_possible() {
        let mut rng = Rng(1234);
        let (mut ladders_with, mut ladders_without) = (0, 0);
        for _ in 0..300 {
            let items = random_paragraph(&mut rng, 40, 1);
            let w = |_| 100.0;
            let count = |params: &Params| {
                knuth_plass(&items, &w, params, 10000.0).map_or(0, |b| {
                    b.windows(2)
                        .filter(|p| p[0].flagged && p[1].flagged)
                        .count()
                })
            };
            ladders_with += count(&Params::default());
            ladders_without += count(&Params {
                double_hyphen_demerits: 0.0,
                ..Params::default()
            });
        }
        assert!(
            ladders_without > 0,
            "the corpus never tempts two hyphens in a row"
        );
        assert!(
            ladders_with < ladders_without,
            "{ladders_with} with α vs {ladders_without} without"
        );
    }

    /// The longest run of consecutive lines ending with a flagged break.
    fn longest_ladder(breaks: &[Break]) -> usize {
        let (mut run, mut best) = (0, 0);
        for b in breaks {
            run = if b.flagged { run + 1 } else { 0 };
            best = best.max(run);
        }
        best
    }

    #[test]
    fn hyphen_ladders_are_capped() {
        // Without double-hyphen demerits the corpus has ladders of three or more; with the
        // cap at 2 none is longer, and every paragraph still breaks without overfull lines.
        let mut rng = Rng(99);
        let free = Params {
            double_hyphen_demerits: 0.0,
            ..Params::default()
        };
        let capped = Params {
            max_hyphen_ladder: 2,
            ..free.clone()
        };
        let (mut long_free, mut long_capped) = (0, 0);
        for _ in 0..300 {
            let items = random_paragraph(&mut rng, 60, 1);
            let w = |_| 100.0;
            let a = break_lines(&items, &w, &free);
            let b = break_lines(&items, &w, &capped);
            long_free += usize::from(longest_ladder(&a.breaks) > 2);
            if b.pass != Pass::Emergency || longest_ladder(&b.breaks) > 2 {
                assert!(longest_ladder(&b.breaks) <= 2, "{:?}", b.breaks);
            }
            long_capped += usize::from(longest_ladder(&b.breaks) > 2);
            assert!(!b.overfull);
        }
        assert!(long_free > 0, "the corpus never tempts a ladder of three");
        assert_eq!(long_capped, 0);
    }

    #[test]
    fn font_expansion_counts_box_width_as_stretch_and_shrink() {
        // Three 45 pt words on 100 pt lines: the only break is after the second word, 7 pt
        // short. Glue alone (stretch 1.5 pt) needs r = 4.67, beyond tolerance 200, so only
        // the emergency pass sets it. With 5 % expansion the line has 1.5 + 0.05 × 90 = 6 pt
        // of stretch: r = 7/6, badness 159, feasible in the second pass.
        let items = paragraph(&[45.0, 45.0, 45.0]);
        let w = |_| 100.0;
        let plain = break_lines(&items, &w, &Params::default());
        assert_eq!(plain.pass, Pass::Emergency);
        let expanded = break_lines(
            &items,
            &w,
            &Params {
                expansion: 0.05,
                ..Params::default()
            },
        );
        assert_eq!(expanded.pass, Pass::Second);
        assert_eq!(positions(&expanded.breaks), vec![3, items.len() - 1]);
        assert!((expanded.breaks[0].ratio - 7.0 / 6.0).abs() < 1e-5);
        // Shrinking counts the boxes too: 96 pt of words and a space on a 97 pt line must
        // shrink 2 pt, more than the space's 1 pt; 2 % of 96 pt adds 1.92 pt. Without it the
        // words go on two lines, the first with nothing to stretch.
        let tight = paragraph(&[48.0, 48.0]);
        let narrow = |_| 97.0;
        assert_eq!(
            break_lines(&tight, &narrow, &Params::default())
                .breaks
                .len(),
            2
        );
        let fitted = break_lines(
            &tight,
            &narrow,
            &Params {
                expansion: 0.02,
                ..Params::default()
            },
        );
        assert!(!fitted.overfull);
        assert_eq!(fitted.breaks.len(), 1, "one line");
    }

    #[test]
    fn forced_break_is_respected_and_infinite_penalty_never_taken() {
        let mut items = Vec::new();
        for i in 0..6 {
            if i > 0 {
                items.push(SPACE);
            }
            items.push(Item::Box { width: 10.0 });
        }
        // A `\\` after the sixth word: fill glue, forced penalty.
        items.push(Item::Penalty {
            width: 0.0,
            cost: f32::INFINITY,
            flagged: false,
        });
        items.push(Item::Glue {
            width: 0.0,
            stretch: INFINITE_STRETCH,
            shrink: 0.0,
        });
        let forced_at = items.len();
        items.push(Item::Penalty {
            width: 0.0,
            cost: f32::NEG_INFINITY,
            flagged: false,
        });
        // Then words tied by unbreakable spaces (`~`: penalty +INF before the glue).
        let mut tied = Vec::new();
        for i in 0..12 {
            if i > 0 {
                tied.push(items.len());
                items.push(Item::Penalty {
                    width: 0.0,
                    cost: f32::INFINITY,
                    flagged: false,
                });
                items.push(SPACE);
            }
            items.push(Item::Box { width: 10.0 });
        }
        finish_paragraph(&mut items);
        let w = |_| 100.0;
        let result = break_lines(&items, &w, &Params::default());
        let pos = positions(&result.breaks);
        assert_eq!(pos[0], forced_at);
        assert_eq!(result.breaks[0].ratio, 0.0);
        for t in tied {
            assert!(
                !pos.contains(&t) && !pos.contains(&(t + 1)),
                "broke at a tie"
            );
        }
        // The tied run (12·10 + 11·3 = 153 pt) cannot fit 100 pt: it is overfull, alone.
        assert!(result.overfull);
        assert_eq!(result.breaks.len(), 2);
    }

    #[test]
    fn no_overfull_lines_and_emergency_pass_kicks_in() {
        let mut rng = Rng(0xdead_beef);
        let mut passes = [0usize; 4];
        for case in 0..400 {
            let words = 5 + (rng.next() % 120) as usize;
            let items = random_paragraph(&mut rng, words, 3);
            let width = rng.range(45.0, 200.0);
            let w = move |line: usize| if line == 0 { width - 12.0 } else { width };
            let params = Params {
                // Narrow measures and a tight tolerance make some paragraphs need rescue.
                pretolerance: if case % 2 == 0 { 100.0 } else { -1.0 },
                tolerance: if case % 4 == 0 { 30.0 } else { 200.0 },
                ..Params::default()
            };
            let result = break_lines(&items, &w, &params);
            if result.pass == Pass::First {
                // Pass 1 never adds a hyphen.
                assert!(result.breaks.iter().all(|b| !b.flagged), "case {case}");
            }
            passes[match result.pass {
                Pass::First => 0,
                Pass::Second => 1,
                Pass::Emergency => 2,
                Pass::FirstFit => 3,
            }] += 1;
            // Boxes are at most 40 pt and lines at least 33 pt: only a box wider than its
            // line may make a line overfull, and then it must sit alone.
            let ranges = line_ranges(&items, &result.breaks);
            let mut any_overfull = false;
            for (line, (range, b)) in ranges.iter().zip(&result.breaks).enumerate() {
                let m = measure_line(&items, range.clone(), end_width(&items, b));
                if m.natural - m.shrink > w(line) + 1e-3 {
                    any_overfull = true;
                    let boxes = items[range.clone()]
                        .iter()
                        .filter(|i| matches!(i, Item::Box { .. }))
                        .count();
                    let widest = items[range.clone()]
                        .iter()
                        .map(|i| match i {
                            Item::Box { width } => *width,
                            _ => 0.0,
                        })
                        .fold(0.0, f32::max);
                    assert!(
                        widest > w(line) - 2.0,
                        "case {case}: needless overfull line"
                    );
                    assert!(boxes <= 2, "case {case}: overfull line holds {boxes} boxes");
                }
            }
            assert_eq!(any_overfull, result.overfull, "case {case}");
            assert_eq!(
                result.breaks.last().map(|b| b.position),
                Some(items.len() - 1)
            );
        }
        assert!(
            passes[0] > 0 && passes[1] > 0 && passes[2] > 0,
            "{passes:?}"
        );
        assert_eq!(passes[3], 0, "first fit should never be needed: {passes:?}");
    }

    #[test]
    fn box_wider_than_line_sits_alone() {
        let mut items = paragraph(&[10.0, 10.0, 10.0]);
        // Insert a 150 pt box (a long URL) after the second word.
        items.splice(3..3, [SPACE, Item::Box { width: 150.0 }]);
        let w = |_| 50.0;
        let result = break_lines(&items, &w, &Params::default());
        assert!(result.overfull);
        let ranges = line_ranges(&items, &result.breaks);
        let alone = ranges
            .iter()
            .find(|r| items[(*r).clone()].contains(&Item::Box { width: 150.0 }))
            .expect("the wide box is set");
        assert_eq!(items[alone.clone()], [Item::Box { width: 150.0 }]);
        // First fit copes too.
        let ff = first_fit(&items, &w);
        let ranges = line_ranges(&items, &ff);
        assert!(ranges
            .iter()
            .any(|r| items[r.clone()] == [Item::Box { width: 150.0 }]));
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let params = Params::default();
        let empty: Vec<Item> = Vec::new();
        let r = break_lines(&empty, &|_| 100.0, &params);
        assert!(r.breaks.is_empty() && !r.overfull);

        let mut only_end = Vec::new();
        finish_paragraph(&mut only_end);
        let r = break_lines(&only_end, &|_| 100.0, &params);
        assert_eq!(positions(&r.breaks), vec![2]);

        let items = paragraph(&BALANCE_WORDS);
        let zero = break_lines(&items, &|_| 0.0, &params);
        assert!(zero.overfull);
        assert_eq!(zero.breaks.len(), BALANCE_WORDS.len());

        let huge = break_lines(&items, &|_| 1e30, &params);
        assert_eq!(positions(&huge.breaks), vec![items.len() - 1]);
        assert!(!huge.overfull);

        let widest = break_lines(&items, &|_| f32::INFINITY, &params);
        assert!(widest.breaks.iter().all(|b| b.ratio.is_finite()));
        assert!(!widest.overfull);

        let nan_width = break_lines(&items, &|_| f32::NAN, &params);
        assert!(nan_width.overfull);

        // Unfinished paragraph: an implicit final break one past the end.
        let raw: Vec<Item> = items[..items.len() - 3].to_vec();
        let r = break_lines(&raw, &|_| 100.0, &params);
        assert_eq!(r.breaks.last().map(|b| b.position), Some(raw.len()));
        assert_eq!(
            line_ranges(&raw, &r.breaks).last().map(|r| r.end),
            Some(raw.len())
        );
        assert!(first_fit(&raw, &|_| 100.0).last().map(|b| b.position) == Some(raw.len()));

        // Only glue and penalties.
        let mut glue = vec![SPACE, SPACE, hyphen_penalty(3.0)];
        finish_paragraph(&mut glue);
        let _ = break_lines(&glue, &|_| 100.0, &params);
        let _ = first_fit(&glue, &|_| 100.0);
    }

    #[test]
    fn looseness_adds_a_line_when_feasible() {
        let items = paragraph(&BALANCE_WORDS);
        let w = |_| 100.0;
        let loose = Params {
            looseness: 1,
            ..Params::default()
        };
        let tight = knuth_plass(&items, &w, &Params::default(), 10000.0).expect("feasible");
        let looser = knuth_plass(&items, &w, &loose, 10000.0).expect("feasible");
        assert_eq!(looser.len(), tight.len() + 1);
    }

    #[test]
    fn justified_glue_fills_the_line_exactly() {
        let items = paragraph(&BALANCE_WORDS);
        let w = |_| 100.0;
        let result = break_lines(&items, &w, &Params::default());
        let ranges = line_ranges(&items, &result.breaks);
        let last = ranges.len() - 1;
        for (i, (range, b)) in ranges.into_iter().zip(&result.breaks).enumerate() {
            let m = measure_line(&items, range.clone(), end_width(&items, b));
            assert!((adjustment_ratio(&m, w(i)) - b.ratio).abs() < 1e-5);
            let set: f32 = items[range].iter().map(|it| set_glue(it, b.ratio)).sum();
            if i < last {
                assert!((set - 100.0).abs() < 1e-3, "line {i} sets to {set}");
            } else {
                assert!(set < 100.0);
            }
        }
        assert_eq!(set_glue(&SPACE, -3.0), 2.0, "shrink is clamped at r = −1");
        assert_eq!(set_glue(&SPACE, 2.0), 6.0);
    }

    #[test]
    fn ragged_right_keeps_spaces_natural() {
        let mut items = Vec::new();
        for (i, &w) in BALANCE_WORDS.iter().enumerate() {
            if i > 0 {
                items.extend(ragged_space(3.0, 30.0));
            }
            items.push(Item::Box { width: w });
        }
        finish_paragraph(&mut items);
        let w = |_| 100.0;
        let result = break_lines(&items, &w, &Params::default());
        assert!(!result.overfull);
        assert!(result.breaks.len() >= 3);
        for (range, b) in line_ranges(&items, &result.breaks)
            .into_iter()
            .zip(&result.breaks)
        {
            // Every line's content (without the end glue) is at its natural width, ≤ 100 pt.
            let mut x = 0.0;
            let mut last_box_end = 0.0;
            for it in &items[range] {
                x += set_glue(it, b.ratio);
                if matches!(it, Item::Box { .. }) {
                    last_box_end = x;
                }
            }
            assert!(last_box_end <= 100.0 + 1e-3);
            assert!(b.ratio >= 0.0);
        }
        // Word spaces keep 3 pt: the first line's words 0..k plus (k−1)·3 pt.
        let first = &line_ranges(&items, &result.breaks)[0];
        let boxes: Vec<f32> = items[first.clone()]
            .iter()
            .filter_map(|i| match i {
                Item::Box { width } => Some(*width),
                _ => None,
            })
            .collect();
        let natural: f32 = boxes.iter().sum::<f32>() + 3.0 * (boxes.len() as f32 - 1.0);
        let set: f32 = items[first.clone()]
            .iter()
            .map(|it| set_glue(it, result.breaks[0].ratio))
            .sum();
        // The set width includes the end glue's r·30 pt, the rest is natural.
        let end_glue = result.breaks[0].ratio * 30.0;
        assert!((set - end_glue - natural).abs() < 1e-3);
        assert!((set - 100.0).abs() < 1e-3);
    }
}
