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
}

/// Default emergency stretch: 1.5 em of a 10 pt body font (TYPESETTING.md suggests ≈ 1.5 em).
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
    .reported as f32
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
    fn new(items: &[Item]) -> Self {
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
                Item::Box { width } => w += f64::from(width),
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
                if skip_added_hyphens && flagged && width > 0.0 {
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

/// Best candidate for a new node at the current breakpoint, per (line, fitness).
#[derive(Clone, Copy)]
struct Candidate {
    line: usize,
    fitness: u8,
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
    let sums = Sums::new(items);
    let points = breakpoints(items, opts.skip_added_hyphens);
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
        ratio: 0.0,
        prev: None,
    }];
    let mut active: Vec<usize> = vec![0];
    let mut next_active: Vec<usize> = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    let last_point = points.len().saturating_sub(1);

    for (pi, point) in points.iter().enumerate() {
        let b = point.position;
        let is_last = pi == last_point;
        candidates.clear();
        next_active.clear();
        let active_count = active.len();
        for (k, &ai) in active.iter().enumerate() {
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
            let width = f64::from(line_width(node.line));
            let width = if width.is_finite() { width } else { 0.0 };
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
            let feasible = !overfull && bad <= opts.tolerance;
            // TeX's final pass: the last node standing may not die without a break here.
            let artificial = opts.final_pass
                && !feasible
                && (overfull || point.forced)
                && candidates.is_empty()
                && k + 1 == active_count
                && next_active.is_empty();
            if feasible || artificial {
                let fit = fitness(r, bad);
                let demerits = if artificial {
                    0.0
                } else {
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
                let reported = if is_last && real.reported > 0.0 {
                    0.0
                } else {
                    real.reported
                };
                match candidates
                    .iter_mut()
                    .find(|c| c.line == line && c.fitness == fit)
                {
                    Some(c) => {
                        if total < c.demerits {
                            c.demerits = total;
                            c.from = ai;
                            c.ratio = reported;
                        }
                    }
                    None => candidates.push(Candidate {
                        line,
                        fitness: fit,
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
        std::mem::swap(&mut active, &mut next_active);
        // Only candidates within γ of their line group's best can ever win: a later line
        // adds at most γ more to one fitness class than to another.
        for c in &candidates {
            let best = candidates
                .iter()
                .filter(|o| o.line == c.line)
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
                ratio: node.ratio as f32,
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
    let sums = Sums::new(items);
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
        let width = f64::from(line_width(line));
        let width = if width.is_finite() { width } else { 0.0 };
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
                ratio as f32
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
            let overfull = any_overfull(items, &breaks, line_width);
            return Breaking {
                breaks,
                pass,
                overfull,
            };
        }
    }
    let breaks = first_fit(items, line_width);
    let overfull = any_overfull(items, &breaks, line_width);
    Breaking {
        breaks,
        pass: Pass::FirstFit,
        overfull,
    }
}

/// Whether any line is wider than its measure even with all glue shrunk.
fn any_overfull(items: &[Item], breaks: &[Break], line_width: &dyn Fn(usize) -> f32) -> bool {
    line_ranges(items, breaks)
        .into_iter()
        .zip(breaks)
        .enumerate()
        .any(|(line, (range, b))| {
            let end_width = match items.get(b.position) {
                Some(Item::Penalty { width, .. }) => *width,
                _ => 0.0,
            };
            let m = measure_line(items, range, end_width);
            f64::from(m.natural) - f64::from(m.shrink)
                > f64::from(line_width(line)) + OVERFULL_EPSILON
        })
}
