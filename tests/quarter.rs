//! Issue 11's limit on short pages, measured on the typeset pages of many books: no page that
//! is not its chapter's last (nor a page of figures alone, a turned figure's among them) ends
//! more than a quarter of the text block early. The books: every fixture under
//! `tests/fixtures/` that makes a PDF, the project's own book, and generated books (seeded, so
//! the same every run) of chapters dense with figures of random sizes and shapes, long tables
//! and footnotes.
//!
//! The measure is taken from the `Document`'s page frames, not from the page breaker's own
//! record: a page's content ends at the bottom of its lowest body item (a text line's slot, an
//! image, a rule), and the page's foot is the top of its note area (from the note rule) or the
//! bottom of the text block.

mod common;

use std::path::Path;

use bindery::typeset::frame::{Document, Item, Mark, NodeId, PageLabel, StructRole, Structure};
use bindery::typeset::page::{PageGeometry, NOTE_RULE_POSITION, NOTE_RULE_THICKNESS};
use bindery::typeset::paragraph::BASELINE_SHARE;

/// A figure's image is centred in a slot of whole lines, so its drawn bottom sits up to half a
/// line above where the page breaker counts it to end: the measure allows that much.
const SLOT_SLACK_LINES: f32 = 0.5;

/// What one body page holds, as drawn.
#[derive(Debug)]
struct Fill {
    /// Document index and printed number.
    index: usize,
    folio: u32,
    /// The chapter (its `Section` element) the page's content belongs to.
    chapter: Option<NodeId>,
    /// Text outside figures and notes (a page without any holds figures or notes alone).
    text: bool,
    /// How far above the page's foot its body content ends, pt.
    empty: f32,
}

/// The element's root (its chapter) and whether it lies in a note, and in a figure.
fn ancestry(structure: &Structure, id: NodeId) -> (NodeId, bool, bool) {
    let (mut at, mut note, mut figure) = (id, false, false);
    loop {
        let Some(node) = structure.get(at) else {
            return (at, note, figure);
        };
        match node.role {
            StructRole::Note => note = true,
            StructRole::Figure { .. } | StructRole::Caption => figure = true,
            _ => {}
        }
        match node.parent {
            Some(p) => at = p,
            None => return (at, note, figure),
        }
    }
}

/// Every body page of `doc`, measured.
fn fills(doc: &Document, geo: &PageGeometry) -> Vec<Fill> {
    let block_bottom = geo.text_top() + geo.text_height;
    let tail = geo.leading * (1.0 - BASELINE_SHARE);
    let mut out = Vec::new();
    for (index, page) in doc.pages.iter().enumerate() {
        let PageLabel::Arabic(folio) = page.label else {
            continue;
        };
        let mut mark: Option<NodeId> = None;
        let mut chapter = None;
        let (mut text, mut body_bottom, mut notes_top) = (false, None::<f32>, None::<f32>);
        let mut layout_rules = Vec::new();
        for item in &page.items {
            if let Item::Mark(m) = item {
                mark = match m {
                    Mark::Content(id) => Some(*id),
                    Mark::Artifact(_) => None,
                };
                continue;
            }
            let Some(id) = mark else {
                if let Item::Rule { y, thickness, .. } = item {
                    if (*thickness - NOTE_RULE_THICKNESS).abs() < 1e-3 {
                        layout_rules.push(*y);
                    }
                }
                // Undecorated images (`alt=""`) are artifacts but still body content.
                if let Item::Image { rect, .. } = item {
                    body_bottom = Some(body_bottom.unwrap_or(0.0).max(rect.y + rect.height));
                }
                continue;
            };
            let (root, note, figure) = ancestry(&doc.structure, id);
            chapter.get_or_insert(root);
            let bottom = match item {
                Item::Glyphs(run) => {
                    if note {
                        let top = run.y - run.size;
                        notes_top = Some(notes_top.map_or(top, |t: f32| t.min(top)));
                        continue;
                    }
                    text |= !figure;
                    run.y + tail
                }
                Item::Image { rect, .. } | Item::TurnedImage { rect, .. } => rect.y + rect.height,
                Item::Turned(run) => run.y + run.width(),
                Item::Rule { y, thickness, .. } => y + thickness,
                _ => continue,
            };
            if !note {
                body_bottom = Some(body_bottom.unwrap_or(0.0).max(bottom));
            }
        }
        // The note area begins a fraction of the note skip (one leading) above its rule: the
        // lowest layout rule above the first note line.
        let foot = match notes_top {
            Some(first) => layout_rules
                .iter()
                .copied()
                .filter(|&y| y < first)
                .fold(None, |a: Option<f32>, y| Some(a.map_or(y, |a| a.max(y))))
                .map_or(first, |y| y - geo.leading * NOTE_RULE_POSITION),
            None => block_bottom,
        };
        let Some(bottom) = body_bottom else {
            continue;
        };
        out.push(Fill {
            index,
            folio,
            chapter,
            text,
            empty: foot - bottom,
        });
    }
    out
}

/// The pages of `doc` that end more than a quarter of the block early, though they are not
/// their chapter's last nor hold figures alone: "page N: K lines empty".
fn offenders(doc: &Document, geo: &PageGeometry) -> Vec<String> {
    let fills = fills(doc, geo);
    let limit = geo.text_height / 4.0 + SLOT_SLACK_LINES * geo.leading;
    let mut bad = Vec::new();
    for (k, fill) in fills.iter().enumerate() {
        let last_of_chapter = !fills[k + 1..]
            .iter()
            .any(|later| later.text && later.chapter == fill.chapter);
        if !fill.text || last_of_chapter {
            continue;
        }
        if fill.empty > limit {
            bad.push(format!(
                "page {} (document page {}): {:.1} lines empty, the limit is {:.1}",
                fill.folio,
                fill.index + 1,
                fill.empty / geo.leading,
                limit / geo.leading
            ));
        }
    }
    bad
}

/// Typesets the book in `dir` when it makes a PDF (no error from `check`); its offending pages,
/// and how many pages were measured.
fn measure(dir: &Path) -> Option<(Vec<String>, usize)> {
    let laid = common::lay_out(dir)?;
    let (doc, geo) = (laid.document(), &laid.geometry);
    Some((offenders(doc, geo), fills(doc, geo).len()))
}

#[test]
fn no_fixture_page_and_no_page_of_the_book_runs_a_quarter_short() {
    let books = common::fixture_books_and_the_book();
    let (mut measured, mut pages, mut bad) = (0, 0, Vec::new());
    for dir in &books {
        let Some((offending, n)) = measure(dir) else {
            continue;
        };
        measured += 1;
        pages += n;
        bad.extend(
            offending
                .into_iter()
                .map(|o| format!("{}: {o}", dir.display())),
        );
    }
    assert!(measured >= 20, "only {measured} books made a PDF");
    assert!(pages >= 100, "only {pages} body pages measured");
    assert!(bad.is_empty(), "pages a quarter short:\n{}", bad.join("\n"));
}

/// A small deterministic generator (a linear congruential one, Knuth's MMIX constants).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Words for generated prose (invented text: a fixture, not the book).
const WORDS: &[&str] = &[
    "river", "the", "of", "a", "measured", "bank", "and", "water", "field", "season", "rain", "in",
    "boats", "carried", "rice", "from", "upstream", "villages", "to", "market", "each", "morning",
    "while", "the", "flood", "rose", "slowly", "over", "low", "ground", "which", "farmers", "had",
    "ploughed", "before", "it", "came", "with", "buffalo", "teams", "along", "narrow", "dykes",
    "between", "paddies",
];

/// A sentence of `n` words.
fn sentence(rng: &mut Rng, n: usize) -> String {
    let mut s: Vec<String> = (0..n)
        .map(|_| WORDS[rng.below(WORDS.len() as u64) as usize].to_string())
        .collect();
    if let Some(first) = s.first_mut() {
        let mut c = first.chars();
        if let Some(h) = c.next() {
            *first = h.to_uppercase().chain(c).collect();
        }
    }
    format!("{}.", s.join(" "))
}

/// A grey PNG of `w`×`h` pixels.
fn write_png(path: &Path, w: u32, h: u32, shade: u8) {
    let file = std::fs::File::create(path).expect("create the image");
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("PNG header");
    let row: Vec<u8> = (0..w).map(|x| shade.wrapping_add((x / 16) as u8)).collect();
    let data: Vec<u8> = (0..h).flat_map(|_| row.iter().copied()).collect();
    writer.write_image_data(&data).expect("PNG data");
}

/// Writes a book of `chapters` chapters from `seed` into `dir`: paragraphs of random length,
/// figures of random sizes and shapes (some given a width, some stacked close together), long
/// tables and footnotes.
fn generated_book(dir: &Path, seed: u64, chapters: usize) {
    let mut rng = Rng(seed);
    std::fs::create_dir_all(dir.join("manuscript")).expect("mkdir");
    std::fs::create_dir_all(dir.join("images")).expect("mkdir");
    std::fs::write(
        dir.join("book.yaml"),
        "title: Generated Floats\nauthor: A. Generator\nlanguage: en\ndate: 2024-01-01\n",
    )
    .expect("book.yaml");
    let images = 10;
    for k in 0..images {
        let (w, h) = (60 + rng.below(1200) as u32, 60 + rng.below(1200) as u32);
        write_png(&dir.join(format!("images/i{k}.png")), w, h, (k * 20) as u8);
    }
    let mut note = 0;
    for c in 0..chapters {
        let mut md = format!("# Chapter {}\n\n", c + 1);
        let blocks = 25 + rng.below(25);
        for b in 0..blocks {
            match rng.below(10) {
                0..=2 => {
                    let k = rng.below(images);
                    let width = match rng.below(4) {
                        0 => format!("{{width={}%}}", 30 + rng.below(70)),
                        _ => String::new(),
                    };
                    md.push_str(&format!(
                        "![Figure {c}.{b}, a picture](../images/i{k}.png){width}\n\n"
                    ));
                }
                3 if rng.below(3) == 0 => {
                    let rows = 5 + rng.below(70);
                    md.push_str(&format!(
                        "Table: Counts {c}.{b}\n\n| No. | Place | Count |\n|--:|:--|--:|\n"
                    ));
                    for r in 0..rows {
                        md.push_str(&format!(
                            "| {r} | Place {} | {} |\n",
                            rng.below(99),
                            rng.below(9999)
                        ));
                    }
                    md.push('\n');
                }
                4 if rng.below(2) == 0 => {
                    md.push_str(&format!("## Section {c}.{b}\n\n"));
                }
                _ => {
                    let sentences = 1 + rng.below(8) as usize;
                    let mut para: Vec<String> = (0..sentences)
                        .map(|_| {
                            let n = 5 + rng.below(20) as usize;
                            sentence(&mut rng, n)
                        })
                        .collect();
                    if rng.below(4) == 0 {
                        note += 1;
                        if let Some(last) = para.last_mut() {
                            last.push_str(&format!("[^n{note}]"));
                        }
                        let n = 4 + rng.below(60) as usize;
                        let text = sentence(&mut rng, n);
                        md.push_str(&format!("{}\n\n[^n{note}]: {text}\n\n", para.join(" ")));
                    } else {
                        md.push_str(&format!("{}\n\n", para.join(" ")));
                    }
                }
            }
        }
        std::fs::write(dir.join(format!("manuscript/{:02}-gen.md", c + 1)), md).expect("md");
    }
}

#[test]
fn generated_books_of_many_figures_tables_and_notes_run_no_page_a_quarter_short() {
    let (mut pages, mut bad) = (0, Vec::new());
    for seed in [1u64, 7, 42] {
        let dir = tempfile::tempdir().expect("temp dir");
        generated_book(dir.path(), seed, 4);
        let (offending, n) = measure(dir.path()).expect("the generated book makes a PDF");
        pages += n;
        bad.extend(offending.into_iter().map(|o| format!("seed {seed}: {o}")));
    }
    assert!(pages >= 60, "only {pages} body pages measured");
    assert!(bad.is_empty(), "pages a quarter short:\n{}", bad.join("\n"));
}
