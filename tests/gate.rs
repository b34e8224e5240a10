//! bindery's own print gate, measured on the laid-out `Document` of every fixture that makes a
//! PDF and of the project's own book, with no external tool: the rows of
//! `scripts/pdfmeter-gate.py` that concern the typesetting, held line by line (pdfmeter cannot
//! read right-to-left, CJK, Khmer or very short books; this gate reads them all).
//!
//! - No overfull line: no set line of text reaches past its measure by more than
//!   [`OVERFULL_TOLERANCE`]. The measure is the text block, narrowed by
//!   `QUOTE_INDENT_EM` on each side per enclosing block quote; a table cell's line must also
//!   end before the next column's text begins. Body text, quotes, lists, notes, table cells,
//!   captions, headings and the front matter are all held to it.
//! - No widow and no orphan, as the page breaker defines them (`vlist::CLUB_PENALTY`,
//!   `WIDOW_PENALTY`: no break after a paragraph's first line nor before its last): no
//!   paragraph that runs from one body page onto the next has only one line on either page.
//! - Every footnote starts on the page of its first reference: the note's anchor (set on its
//!   number) lands on the page of the reference's anchor.
//! - No loose line in justified text: no word space wider than [`MAX_SPACE_RATIO`] times the
//!   space of its face, the gate's threshold for a loose line, except on a paragraph's last
//!   line. A word space is read off the glyphs: a justified line's space is added to the
//!   advance of the glyph before it (`frame::Glyph::x_advance`), so a glyph whose advance
//!   exceeds its font's by at least [`MIN_GAP_EM`], or the room between two runs, is a space.
//!
//! Each check is shown failing on a small `Document` made to break it.

mod common;

use std::collections::{BTreeMap, HashMap};

use bindery::config::PdfConfig;
use bindery::typeset::cjk::is_spaced_mark;
use bindery::typeset::font::{full_width_mark, FontSet, Role};
use bindery::typeset::frame::{
    Document, Glyph, GlyphRun, Item, Mark, NodeId, Page, PageLabel, Rect, StructRole, Structure,
};
use bindery::typeset::page::PageGeometry;
use skrifa::instance::{LocationRef, Size};
use skrifa::MetadataProvider;

/// How far (pt) a line may reach past its measure: the float rounding of summed advances. A
/// justified line ends exactly at the measure; a hundredth of a point is far below what a
/// printer renders, and far below any real overflow.
const OVERFULL_TOLERANCE: f32 = 0.01;

/// The widest word space of a justified line that is not loose, as a multiple of the face's
/// space: `scripts/pdfmeter-gate.py` counts a line with a space over 1.5× natural as loose
/// (`MAX_LOOSE_PER_100`); this gate allows none.
const MAX_SPACE_RATIO: f32 = 1.5;

/// Extra advance (em of the run's size) from which a glyph's advance counts as holding a word
/// space: a space shrunk as far as it may go is ⅔ of Libertinus' 0.25 em, while kerning moves
/// a glyph by a few hundredths of an em.
const MIN_GAP_EM: f32 = 0.1;

/// The indent of a block quote on each side, em of its text's size (`blocks.rs`'s
/// `QUOTE_INDENT_EM`).
const QUOTE_INDENT_EM: f32 = 1.5;

/// One set line: the runs of one text element on one baseline of one page.
#[derive(Debug)]
struct Line {
    page: usize,
    /// The element whose text it is (a paragraph, a cell, a caption, a note, a heading…).
    element: NodeId,
    /// Baseline of its first run (a raised note mark sits on the same line).
    y: f32,
    runs: Vec<GlyphRun>,
}

impl Line {
    fn left(&self) -> f32 {
        self.runs.iter().map(|r| r.x).fold(f32::INFINITY, f32::min)
    }

    fn right(&self) -> f32 {
        self.runs
            .iter()
            .map(|r| r.x + r.width())
            .fold(f32::NEG_INFINITY, f32::max)
    }

    fn text(&self) -> String {
        let mut runs: Vec<&GlyphRun> = self.runs.iter().collect();
        runs.sort_by(|a, b| a.x.total_cmp(&b.x));
        runs.iter()
            .map(|r| r.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What encloses an element.
#[derive(Debug, Default, Clone, Copy)]
struct Context {
    /// Block quotes around it (inside its note, if it is in one).
    quotes: usize,
    note: bool,
    figure: bool,
}

/// The element a drawn run belongs to for line grouping: links and language spans are parts
/// of their paragraph's lines.
fn text_element(structure: &Structure, mut id: NodeId) -> NodeId {
    while let Some(node) = structure.get(id) {
        match (&node.role, node.parent) {
            (StructRole::Link { .. } | StructRole::Span { .. }, Some(parent)) => id = parent,
            _ => break,
        }
    }
    id
}

fn context(structure: &Structure, id: NodeId) -> Context {
    let mut c = Context::default();
    let mut at = Some(id);
    while let Some(node) = at.and_then(|a| structure.get(a)) {
        match node.role {
            // A note is set in the note area at the full measure, wherever it is cited.
            StructRole::BlockQuote if !c.note => c.quotes += 1,
            StructRole::Note => c.note = true,
            StructRole::Figure { .. } => c.figure = true,
            _ => {}
        }
        at = node.parent;
    }
    c
}

fn role(structure: &Structure, id: NodeId) -> Option<&StructRole> {
    structure.get(id).map(|n| &n.role)
}

/// Every line of text drawn as content (artifacts, running heads and folios, are not lines of
/// the text), page by page, top to bottom.
fn lines(doc: &Document) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    for (index, page) in doc.pages.iter().enumerate() {
        let mut mark: Option<NodeId> = None;
        let first = out.len();
        for item in &page.items {
            match item {
                Item::Mark(Mark::Content(id)) => mark = Some(*id),
                Item::Mark(Mark::Artifact(_)) => mark = None,
                Item::Glyphs(run) => {
                    let Some(id) = mark else { continue };
                    let element = text_element(&doc.structure, id);
                    // A raised note mark (0.36 em up) stays on its line: lines of one element
                    // are a leading apart, far more than half the text's size.
                    let near = |l: &Line| {
                        let size = l.runs.iter().map(|r| r.size).fold(run.size, f32::max);
                        l.element == element && (l.y - run.y).abs() < 0.5 * size
                    };
                    match out[first..].iter_mut().find(|l| near(l)) {
                        Some(line) => line.runs.push(run.clone()),
                        None => out.push(Line {
                            page: index,
                            element,
                            y: run.y,
                            runs: vec![run.clone()],
                        }),
                    }
                }
                _ => {}
            }
        }
        out[first..].sort_by(|a, b| a.y.total_cmp(&b.y).then(a.left().total_cmp(&b.left())));
    }
    out
}

fn describe(doc: &Document, line: &Line) -> String {
    let folio = match doc.pages[line.page].label {
        PageLabel::Arabic(n) => format!("page {n}"),
        PageLabel::Roman(n) => format!("front page {n}"),
    };
    let role = match role(&doc.structure, line.element) {
        Some(StructRole::Paragraph) => "paragraph",
        Some(StructRole::ListBody) => "list item",
        Some(StructRole::ListLabel) => "list label",
        Some(StructRole::TableCell | StructRole::TableHeader) => "table cell",
        Some(StructRole::Caption) => "caption",
        Some(StructRole::Note) => "note",
        Some(StructRole::Heading { .. }) => "heading",
        Some(StructRole::Code) => "code",
        Some(StructRole::TocItem | StructRole::Toc) => "contents",
        _ => "text",
    };
    format!(
        "{folio} (document page {}), {role} line at y {:.1}: {:?}",
        line.page + 1,
        line.y,
        line.text()
    )
}

/// Lines wider than their measure.
fn overfull(doc: &Document, geo: &PageGeometry) -> Vec<String> {
    let lines = lines(doc);
    let structure = &doc.structure;
    // A table cell's column, and where each column's text begins (per table).
    let mut column_of: HashMap<NodeId, (NodeId, usize)> = HashMap::new();
    for node in &structure.nodes {
        if node.role != StructRole::Table {
            continue;
        }
        for &row in &node.children {
            let Some(r) = structure.get(row) else {
                continue;
            };
            if r.role != StructRole::TableRow {
                continue;
            }
            for (k, &cell) in r.children.iter().enumerate() {
                // The table is its row's parent.
                if let Some(table) = r.parent {
                    column_of.insert(cell, (table, k));
                }
            }
        }
    }
    let cell_of = |id: NodeId| {
        let mut at = Some(id);
        while let Some(a) = at {
            if let Some(c) = column_of.get(&a) {
                return Some(*c);
            }
            at = structure.get(a).and_then(|n| n.parent);
        }
        None
    };
    // Where each column's text begins and ends (per table and page).
    let mut column_left: HashMap<(NodeId, usize, usize), f32> = HashMap::new();
    let mut column_right: HashMap<(NodeId, usize, usize), f32> = HashMap::new();
    for line in &lines {
        if let Some((table, k)) = cell_of(line.element) {
            let left = column_left
                .entry((table, k, line.page))
                .or_insert(f32::INFINITY);
            *left = left.min(line.left());
            let right = column_right
                .entry((table, k, line.page))
                .or_insert(f32::NEG_INFINITY);
            *right = right.max(line.right());
        }
    }
    let mut bad = Vec::new();
    for line in &lines {
        let c = context(structure, line.element);
        // A quote is indented by its own text's size (a note's quote by the note size).
        let size = line.runs.iter().map(|r| r.size).fold(0.0, f32::max);
        let inset = c.quotes as f32 * QUOTE_INDENT_EM * size;
        let block_left = geo.text_left(line.page);
        let (mut lo, mut hi) = (block_left + inset, block_left + geo.measure - inset);
        // A cell ends before the next column's text begins: at its left in a table read left
        // to right, at its right in one read right to left (the next column stands left of
        // this one).
        if let Some((table, k)) = cell_of(line.element) {
            let key = (table, k + 1, line.page);
            let this_left = column_left.get(&(table, k, line.page)).copied();
            match (column_left.get(&key), column_right.get(&key), this_left) {
                (Some(&next_left), Some(&next_right), Some(this)) if next_left < this => {
                    lo = lo.max(next_right);
                }
                (Some(&next_left), _, _) => hi = hi.min(next_left),
                _ => {}
            }
        }
        let (left, right) = (line.left(), line.right());
        if left < lo - OVERFULL_TOLERANCE || right > hi + OVERFULL_TOLERANCE {
            bad.push(format!(
                "{}: set from {left:.2} to {right:.2} pt, its measure is {lo:.2} to {hi:.2}",
                describe(doc, line)
            ));
        }
    }
    bad
}

/// Widows (a paragraph's last line alone at the top of a page) and orphans (its first line
/// alone at the foot of one) on the body pages.
fn widows_and_orphans(doc: &Document) -> Vec<String> {
    let structure = &doc.structure;
    // Per paragraph, its lines per body page, in page order.
    let mut per: BTreeMap<NodeId, BTreeMap<usize, Vec<&Line>>> = BTreeMap::new();
    let all = lines(doc);
    for line in &all {
        if !matches!(doc.pages[line.page].label, PageLabel::Arabic(_))
            || role(structure, line.element) != Some(&StructRole::Paragraph)
        {
            continue;
        }
        let c = context(structure, line.element);
        if c.note || c.figure {
            continue;
        }
        per.entry(line.element)
            .or_default()
            .entry(line.page)
            .or_default()
            .push(line);
    }
    let mut bad = Vec::new();
    for pages in per.values() {
        if pages.len() < 2 {
            continue;
        }
        let (first, last) = (pages.first_key_value(), pages.last_key_value());
        if let Some((_, lines)) = first {
            if lines.len() == 1 {
                bad.push(format!(
                    "orphan: {} ends its page, the paragraph goes on overleaf",
                    describe(doc, lines[0])
                ));
            }
        }
        if let Some((_, lines)) = last {
            if lines.len() == 1 {
                bad.push(format!(
                    "widow: {} begins its page, alone of its paragraph",
                    describe(doc, lines[0])
                ));
            }
        }
    }
    bad
}

/// Notes whose text does not start on the page of their first reference; `notes` holds each
/// note's anchor and its first reference's anchor. Also returns how many notes were found.
fn notes_off_their_page(doc: &Document, notes: &[(String, String)]) -> (Vec<String>, usize) {
    let mut page_of: HashMap<&str, usize> = HashMap::new();
    for (index, page) in doc.pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Anchor { name, .. } = item {
                page_of.entry(name.as_str()).or_insert(index);
            }
        }
    }
    let (mut bad, mut found) = (Vec::new(), 0);
    for (note, reference) in notes {
        let Some(&at) = page_of.get(reference.as_str()) else {
            // Never referenced (W0301): not printed as a note of a page.
            continue;
        };
        found += 1;
        match page_of.get(note.as_str()) {
            Some(&n) if n == at => {}
            Some(&n) => bad.push(format!(
                "note {note}: referenced on document page {}, its text starts on page {}",
                at + 1,
                n + 1
            )),
            None => bad.push(format!(
                "note {note}: referenced on document page {}, its text is nowhere",
                at + 1
            )),
        }
    }
    (bad, found)
}

/// Natural advances and spaces of the document's fonts, in em.
struct Metrics<'a> {
    doc: &'a Document,
    advances: HashMap<(u32, u16), f32>,
    spaces: HashMap<u32, Option<f32>>,
}

impl<'a> Metrics<'a> {
    fn new(doc: &'a Document) -> Self {
        Metrics {
            doc,
            advances: HashMap::new(),
            spaces: HashMap::new(),
        }
    }

    fn font(&self, font: u32) -> Option<skrifa::FontRef<'a>> {
        let data = self.doc.fonts.get(font as usize)?;
        skrifa::FontRef::from_index(data.data.as_slice(), data.index).ok()
    }

    fn advance(&mut self, font: u32, gid: u16) -> f32 {
        if let Some(a) = self.advances.get(&(font, gid)) {
            return *a;
        }
        let a = self
            .font(font)
            .and_then(|f| {
                let upem = f32::from(
                    f.metrics(Size::unscaled(), LocationRef::default())
                        .units_per_em,
                );
                let units = f
                    .glyph_metrics(Size::unscaled(), LocationRef::default())
                    .advance_width(skrifa::GlyphId::new(u32::from(gid)))?;
                Some(units / upem)
            })
            .unwrap_or(0.0);
        self.advances.insert((font, gid), a);
        a
    }

    /// Whether the face is a CJK face (it maps the ideographic space, as `font.rs` decides).
    fn cjk(&self, font: u32) -> bool {
        self.font(font)
            .is_some_and(|f| f.charmap().map('\u{3000}').is_some())
    }

    fn space(&mut self, font: u32) -> Option<f32> {
        if let Some(s) = self.spaces.get(&font) {
            return *s;
        }
        let gid = self
            .font(font)
            .and_then(|f| f.charmap().map(' '))
            .and_then(|g| u16::try_from(g.to_u32()).ok());
        let s = gid.map(|g| self.advance(font, g)).filter(|&s| s > 0.0);
        self.spaces.insert(font, s);
        s
    }
}

/// The word spaces of a line (pt on the page, with the natural space of their face, pt).
fn word_spaces(metrics: &mut Metrics, line: &Line) -> Vec<(f32, f32)> {
    let mut runs: Vec<&GlyphRun> = line.runs.iter().collect();
    runs.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut out = Vec::new();
    for (k, run) in runs.iter().enumerate() {
        let Some(space) = metrics.space(run.font.0) else {
            continue;
        };
        let natural = space * run.size;
        let glyphs = run.glyphs.to_vec();
        let last_run = k + 1 == runs.len();
        for (i, g) in glyphs.iter().enumerate() {
            // The line's last glyph may carry a line-end correction, never a space.
            if last_run && i + 1 == glyphs.len() {
                break;
            }
            let mut own = metrics.advance(run.font.0, g.id);
            // A CJK face's “ ” ‘ ’ are set one em wide in Chinese and Japanese (`shape.rs`).
            let cluster = run.text.get(g.text.start as usize..g.text.end as usize);
            if cluster.and_then(full_width_mark).is_some() && metrics.cjk(run.font.0) {
                own = own.max(1.0);
            }
            // A CJK punctuation mark's blank is set as its own glue (`cjk.rs`): it is the
            // mark's, not a word space.
            let next_cluster = glyphs
                .get(i + 1)
                .and_then(|n| run.text.get(n.text.start as usize..n.text.end as usize));
            if (cluster.is_some_and(is_spaced_mark) || next_cluster.is_some_and(is_spaced_mark))
                && metrics.cjk(run.font.0)
            {
                continue;
            }
            let extra = (g.x_advance - own * run.size) * run.scale_x;
            if extra >= MIN_GAP_EM * run.size {
                out.push((extra, natural));
            }
        }
        if let Some(next) = runs.get(k + 1) {
            // The space between a raised note mark and the word after it is the text's.
            let size = run.size.max(next.size);
            let gap = next.x - (run.x + run.width());
            // Beside a CJK mark, the gap between runs is the mark's blank.
            let ends = |r: &GlyphRun, last: bool| {
                let text = r.text.trim();
                let c = if last {
                    text.chars().last()
                } else {
                    text.chars().next()
                };
                c.is_some_and(|c| is_spaced_mark(c.encode_utf8(&mut [0; 4])))
            };
            if ends(run, true) || ends(next, false) {
                continue;
            }
            let natural = metrics
                .space(next.font.0)
                .map_or(natural, |s| (s * size).max(natural));
            if gap >= MIN_GAP_EM * size {
                out.push((gap, natural));
            }
        }
    }
    out
}

/// Lines of running text (not their element's last) with a word space over the limit, and
/// how many word spaces were measured.
fn loose_lines(doc: &Document) -> (Vec<String>, usize) {
    let structure = &doc.structure;
    let all = lines(doc);
    let mut last_of: HashMap<NodeId, usize> = HashMap::new();
    for (k, line) in all.iter().enumerate() {
        last_of.insert(line.element, k);
    }
    let mut metrics = Metrics::new(doc);
    let (mut bad, mut measured) = (Vec::new(), 0);
    for (k, line) in all.iter().enumerate() {
        let running = matches!(
            role(structure, line.element),
            Some(
                StructRole::Paragraph
                    | StructRole::ListBody
                    | StructRole::TableCell
                    | StructRole::TableHeader
                    | StructRole::Caption
                    | StructRole::Note
                    | StructRole::BlockQuote
            )
        );
        if !running || last_of.get(&line.element) == Some(&k) {
            continue;
        }
        let spaces = word_spaces(&mut metrics, line);
        measured += spaces.len();
        let widest = spaces
            .iter()
            .map(|&(gap, natural)| gap / natural)
            .fold(0.0f32, f32::max);
        if widest > MAX_SPACE_RATIO + 1e-3 {
            bad.push(format!(
                "{}: a word space of {widest:.2}× the natural one (the limit is {MAX_SPACE_RATIO})",
                describe(doc, line)
            ));
        }
    }
    (bad, measured)
}

/// Each footnote's anchor and its first reference's, from the model.
fn note_anchors(book: &bindery::model::Book) -> Vec<(String, String)> {
    book.chapters
        .iter()
        .flat_map(|c| &c.footnotes)
        .map(|n| (n.anchor.clone(), n.ref_anchor.clone()))
        .collect()
}

#[test]
fn every_fixture_and_the_book_pass_the_print_gate() {
    let (mut books, mut lines_seen, mut spaces, mut notes) = (0, 0, 0, 0);
    let mut bad = Vec::new();
    for dir in common::fixture_books_and_the_book() {
        let Some(laid) = common::lay_out(&dir) else {
            continue;
        };
        books += 1;
        let doc = laid.document();
        let name = dir
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .map_or_else(|_| dir.display().to_string(), |p| p.display().to_string());
        let name = if name.is_empty() {
            "the book".into()
        } else {
            name
        };
        lines_seen += lines(doc).len();
        let mut found = overfull(doc, &laid.geometry);
        found.extend(widows_and_orphans(doc));
        let (off, n) = notes_off_their_page(doc, &note_anchors(laid.book()));
        notes += n;
        found.extend(off);
        let (loose, m) = loose_lines(doc);
        spaces += m;
        found.extend(loose);
        bad.extend(found.into_iter().map(|f| format!("{name}: {f}")));
    }
    eprintln!("{books} books, {lines_seen} lines, {spaces} spaces, {notes} notes");
    assert!(books >= 20, "only {books} books made a PDF");
    assert!(lines_seen >= 2500, "only {lines_seen} lines measured");
    assert!(spaces >= 10_000, "only {spaces} word spaces measured");
    assert!(notes >= 40, "only {notes} footnotes found");
    assert!(bad.is_empty(), "the print gate fails:\n{}", bad.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Each check fails on a Document made to break it.

/// Builds small documents in the built-in regular face, set as `blocks.rs` sets them: a word
/// space is added to the advance of the word's last glyph.
struct Maker {
    fonts: FontSet,
    doc: Document,
    geo: PageGeometry,
    chapter: NodeId,
}

impl Maker {
    fn new(pages: usize) -> Maker {
        let fonts = FontSet::builtin();
        let geo = PageGeometry::from_config(&PdfConfig::default());
        let mut doc = Document {
            fonts: fonts.font_data(),
            ..Document::default()
        };
        for n in 0..pages {
            doc.pages.push(Page {
                width: geo.trim_width,
                height: geo.trim_height,
                trim_box: Rect {
                    x: 0.0,
                    y: 0.0,
                    width: geo.trim_width,
                    height: geo.trim_height,
                },
                bleed_box: None,
                label: PageLabel::Arabic(n as u32 + 1),
                items: Vec::new(),
            });
        }
        let chapter = doc.structure.add(StructRole::Section { lang: None }, None);
        Maker {
            fonts,
            doc,
            geo,
            chapter,
        }
    }

    fn paragraph(&mut self) -> NodeId {
        self.doc
            .structure
            .add(StructRole::Paragraph, Some(self.chapter))
    }

    /// A line of `words` on page `page` at line slot `slot`, its spaces `ratio` × natural; with
    /// `justify`, the last space takes what is left of the measure.
    fn line(&mut self, page: usize, slot: usize, element: NodeId, words: &[&str], ratio: f32) {
        let face = self.fonts.face(Role::Regular);
        let f = &self.fonts.faces[face];
        let size = self.geo.font_size;
        let space = f.advance(f.glyph_id(' ').expect("space")).expect("advance") * size;
        let mut glyphs = Vec::new();
        let mut text = String::new();
        for (w, word) in words.iter().enumerate() {
            for c in word.chars() {
                let id = f.glyph_id(c).expect("glyph");
                let start = text.len() as u32;
                text.push(c);
                glyphs.push(Glyph {
                    id,
                    x_advance: f.advance(id).expect("advance") * size,
                    x_offset: 0.0,
                    y_offset: 0.0,
                    text: start..text.len() as u32,
                });
            }
            if w + 1 < words.len() {
                if let Some(g) = glyphs.last_mut() {
                    g.x_advance += space * ratio;
                }
            }
        }
        let y = self.geo.text_top() + self.geo.leading * (slot as f32 + 0.8);
        let run = GlyphRun {
            font: self.fonts.font_id(face),
            size,
            x: self.geo.text_left(page),
            y,
            glyphs: glyphs.into(),
            text,
            color: [0.0; 3],
            scale_x: 1.0,
            lang: None,
            rtl: false,
        };
        let items = &mut self.doc.pages[page].items;
        items.push(Item::Mark(Mark::Content(element)));
        items.push(Item::Glyphs(run));
    }

    fn anchor(&mut self, page: usize, name: &str) {
        self.doc.pages[page].items.push(Item::Anchor {
            name: name.into(),
            x: 0.0,
            y: 0.0,
        });
    }
}

const WORDS: [&str; 6] = ["the", "ferry", "made", "its", "final", "crossing"];

#[test]
fn a_clean_document_passes_every_check() {
    let mut m = Maker::new(2);
    let p = m.paragraph();
    for slot in 0..3 {
        m.line(0, slot, p, &WORDS, 1.2);
    }
    for slot in 0..2 {
        m.line(1, slot, p, &WORDS, 1.0);
    }
    m.anchor(0, "fnref-1");
    m.anchor(0, "fn-1");
    let notes = vec![("fn-1".to_string(), "fnref-1".to_string())];
    assert_eq!(overfull(&m.doc, &m.geo), Vec::<String>::new());
    assert_eq!(widows_and_orphans(&m.doc), Vec::<String>::new());
    assert_eq!(notes_off_their_page(&m.doc, &notes), (Vec::new(), 1));
    let (loose, spaces) = loose_lines(&m.doc);
    assert_eq!(loose, Vec::<String>::new());
    // Four lines before the last, five spaces each.
    assert_eq!(spaces, 20);
}

#[test]
fn a_line_past_its_measure_is_overfull() {
    let mut m = Maker::new(1);
    let p = m.paragraph();
    m.line(0, 0, p, &WORDS, 1.0);
    // Wide enough to run past the 324 pt block.
    let long = ["crossing"; 10];
    m.line(0, 1, p, &long, 1.0);
    let bad = overfull(&m.doc, &m.geo);
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(
        bad[0].starts_with("page 1 (document page 1), paragraph line at y")
            && bad[0].contains("crossingcrossing")
            && bad[0].contains("its measure is 63.00 to 387.00"),
        "{bad:?}"
    );
    // The same line inside a block quote is held to the quote's narrower measure.
    let mut m = Maker::new(1);
    let quote = m.doc.structure.add(StructRole::BlockQuote, Some(m.chapter));
    let inner = m.doc.structure.add(StructRole::Paragraph, Some(quote));
    m.line(0, 0, inner, &WORDS, 1.0);
    let bad = overfull(&m.doc, &m.geo);
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(bad[0].contains("its measure is 79.50 to 370.50"), "{bad:?}");
}

#[test]
fn a_lone_first_or_last_line_across_a_page_break_is_an_orphan_or_a_widow() {
    let mut m = Maker::new(3);
    let orphan = m.paragraph();
    m.line(0, 30, orphan, &WORDS, 1.0);
    m.line(1, 0, orphan, &WORDS, 1.0);
    m.line(1, 1, orphan, &WORDS, 1.0);
    let widow = m.paragraph();
    m.line(1, 20, widow, &WORDS, 1.0);
    m.line(1, 21, widow, &WORDS, 1.0);
    m.line(1, 22, widow, &WORDS, 1.0);
    m.line(2, 0, widow, &WORDS, 1.0);
    // Two lines on each side of a break are neither.
    let kept = m.paragraph();
    m.line(2, 28, kept, &WORDS, 1.0);
    m.line(2, 29, kept, &WORDS, 1.0);
    let bad = widows_and_orphans(&m.doc);
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert!(
        bad[0].starts_with("orphan: page 1 (document page 1), paragraph line at y")
            && bad[1].starts_with("widow: page 3 (document page 3), paragraph line at y"),
        "{bad:?}"
    );
}

#[test]
fn a_note_away_from_its_reference_is_found() {
    let mut m = Maker::new(2);
    m.anchor(0, "fnref-1");
    m.anchor(1, "fn-1");
    m.anchor(1, "fnref-2");
    let notes = vec![
        ("fn-1".to_string(), "fnref-1".to_string()),
        ("fn-2".to_string(), "fnref-2".to_string()),
        ("fn-3".to_string(), "fnref-3".to_string()),
    ];
    let (bad, found) = notes_off_their_page(&m.doc, &notes);
    assert_eq!(found, 2);
    assert_eq!(
        bad,
        [
            "note fn-1: referenced on document page 1, its text starts on page 2",
            "note fn-2: referenced on document page 2, its text is nowhere",
        ]
    );
}

#[test]
fn a_word_space_over_the_limit_is_loose_except_on_the_last_line() {
    let mut m = Maker::new(1);
    let p = m.paragraph();
    m.line(0, 0, p, &WORDS, 1.0);
    m.line(0, 1, p, &WORDS, 1.6);
    // The last line may be as loose as it likes (it is never stretched; this one is made so).
    m.line(0, 2, p, &WORDS, 1.9);
    let (bad, spaces) = loose_lines(&m.doc);
    assert_eq!(spaces, 10);
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(
        bad[0].contains("\"theferrymadeitsfinalcrossing\": a word space of 1.60×"),
        "{bad:?}"
    );
    // At the limit, a line passes.
    let mut m = Maker::new(1);
    let p = m.paragraph();
    m.line(0, 0, p, &WORDS, 1.5);
    m.line(0, 1, p, &WORDS, 1.0);
    assert_eq!(loose_lines(&m.doc).0, Vec::<String>::new());
}
