//! The print edition, end to end: the real `bindery` binary builds the repository's own book,
//! the `pdf-stress` fixture and a copy of it with bleed; the tests read the PDFs back with
//! poppler (`pdftotext`, `pdffonts`, `pdfinfo`), qpdf and pdfmeter (the shared typesetting
//! meter, run through `scripts/pdfmeter-gate.py` too). They check that the text comes back
//! word for word, that every footnote starts on its reference's page (and that a note too tall
//! for one page carries over), that there are no widows or orphans, that the contents point at
//! the right pages, that the quality gate passes, that the file is sound (fonts, boxes, labels,
//! bookmarks), and that two builds are byte-identical.
//!
//! Each PDF is built once per run of this test binary, into `CARGO_TARGET_TMPDIR/pdf/`, and
//! measured by pdfmeter at most once. Where a property is measured both by pdfmeter and by
//! reading `pdftotext`, the two are separate tests, so that each tool's verdict stands alone.

mod common;

use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

/// 1 inch in pt.
const INCH: f32 = 72.0;
/// The bleed added on every side by `pdf: {bleed: true}` (README), pt.
const BLEED: f32 = 0.125 * INCH;
/// Tolerance for comparing page boxes printed by `pdfinfo` (two decimals), pt.
const BOX_EPS: f32 = 0.01;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// An empty directory `CARGO_TARGET_TMPDIR/pdf/NAME`, for this run's builds.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("pdf")
        .join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("clear scratch dir");
    }
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Runs `bindery pdf` on `book` into `out` and returns the written file's path.
fn build(book: &Path, out: &Path) -> PathBuf {
    common::build_edition("pdf", book, out)
}

/// The books built here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Book {
    /// The repository's own book: no notes, one long article.
    Real,
    /// `tests/fixtures/pdf-stress`: the page breaker's hard cases.
    Stress,
    /// A copy of the stress fixture with `pdf: {bleed: true}`.
    StressBleed,
}

impl Book {
    fn name(self) -> &'static str {
        match self {
            Book::Real => "real",
            Book::Stress => "stress",
            Book::StressBleed => "stress-bleed",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The book's directory (`book.yaml`, `manuscript/`).
    fn dir(self) -> PathBuf {
        match self {
            Book::Real => root(),
            Book::Stress => fixture("pdf-stress"),
            Book::StressBleed => bleed_copy().to_path_buf(),
        }
    }

    /// The book's PDF, built on first use.
    fn pdf(self) -> &'static Path {
        static PDFS: [OnceLock<PathBuf>; 3] = [const { OnceLock::new() }; 3];
        PDFS[self.index()].get_or_init(|| build(&self.dir(), &scratch(self.name())))
    }

    fn config(self) -> bindery::config::BookConfig {
        bindery::config::load(&self.dir()).unwrap_or_else(|d| panic!("{}: {d:?}", self.name()))
    }

    /// The manuscript files in reading order (every book here lists `manuscript/*.md`).
    fn manuscript(self) -> Vec<String> {
        common::manuscript_texts(&self.dir())
    }

    /// Where body text and notes are set: the crop that leaves out running heads and folios.
    fn text_block(self) -> TextBlock {
        let pdf = self.config().pdf;
        let bleed = if pdf.bleed { BLEED } else { 0.0 };
        TextBlock {
            top: bleed + pdf.margin_top,
            width: pdf.trim_width + 2.0 * bleed,
            height: pdf.trim_height - pdf.margin_top - pdf.margin_bottom,
        }
    }
}

/// The stress fixture copied with `bleed: true` added to its `pdf:` section.
fn bleed_copy() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch("stress-bleed-book");
        common::copy_dir(&fixture("pdf-stress"), &dir);
        let yaml = std::fs::read_to_string(dir.join("book.yaml")).expect("book.yaml");
        assert!(
            yaml.contains("\npdf:\n"),
            "the stress fixture has a pdf: section"
        );
        let yaml = yaml.replace("\npdf:\n", "\npdf:\n  bleed: true\n");
        std::fs::write(dir.join("book.yaml"), yaml).expect("write book.yaml");
        dir
    })
}

/// A rectangle of the page in pt, from the top left of the MediaBox.
#[derive(Debug, Clone, Copy)]
struct TextBlock {
    top: f32,
    width: f32,
    height: f32,
}

// ---------------------------------------------------------------------------------------------
// Reading the PDF back.

/// `pdftotext` of pages `pages` (1-based), cropped to the text block, one string per page.
/// `layout` keeps the physical layout (`-layout`); otherwise poppler's reading order, in which
/// a line ending in a hyphen is joined to the next line.
fn page_texts(
    pdftotext: &Path,
    book: Book,
    pages: RangeInclusive<usize>,
    layout: bool,
) -> Vec<String> {
    let block = book.text_block();
    let (first, last) = (pages.start().to_string(), pages.end().to_string());
    let (y, w, h) = (
        block.top.to_string(),
        block.width.to_string(),
        block.height.to_string(),
    );
    let mut args = vec![
        "-enc", "UTF-8", "-f", &first, "-l", &last, "-x", "0", "-y", &y, "-W", &w, "-H", &h,
    ];
    if layout {
        args.push("-layout");
    }
    let pdf = book.pdf().to_str().expect("UTF-8 path");
    args.extend([pdf, "-"]);
    let text = common::run(pdftotext, &args);
    let mut texts: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    // Every page ends in a form feed: the last piece is empty.
    texts.pop();
    assert_eq!(texts.len(), pages.count(), "one text per page");
    texts
}

/// A page label as qpdf reports it for one page (`/St` already adjusted to that page).
#[derive(Debug, Clone, PartialEq)]
struct Label {
    /// `/S`: `/D` decimal, `/r` lower roman, …
    style: String,
    number: i64,
    prefix: String,
}

/// A label number in lower-case roman numerals, as the PDF's `/r` style shows it.
fn roman(n: i64) -> String {
    u32::try_from(n).map_or_else(|_| String::new(), bindery::typeset::page::roman)
}

impl Label {
    fn text(&self) -> String {
        let n = match self.style.as_str() {
            "/D" => self.number.to_string(),
            "/r" => roman(self.number),
            "/R" => roman(self.number).to_uppercase(),
            _ => String::new(),
        };
        format!("{}{n}", self.prefix)
    }
}

/// One page as qpdf's JSON describes it.
#[derive(Debug)]
struct PageObject {
    label: Option<Label>,
    /// The page dictionary's keys and values.
    dict: serde_json::Map<String, Value>,
}

/// Every page of `pdf`: its label and its page dictionary (`qpdf --json`).
fn page_objects(qpdf: &Path, pdf: &Path) -> Vec<PageObject> {
    let json = common::run(
        qpdf,
        &[
            "--json=2",
            "--json-key=pages",
            "--json-key=qpdf",
            pdf.to_str().expect("UTF-8 path"),
        ],
    );
    let json: Value = serde_json::from_str(&json).expect("qpdf JSON");
    let objects = &json["qpdf"][1];
    json["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|page| {
            let label = page.get("label").filter(|l| !l.is_null()).map(|l| Label {
                style: l["/S"].as_str().unwrap_or_default().to_string(),
                number: l["/St"].as_i64().unwrap_or(1),
                prefix: l["/P"].as_str().unwrap_or_default().to_string(),
            });
            let key = format!("obj:{}", page["object"].as_str().expect("page object"));
            let dict = objects[&key]["value"]
                .as_object()
                .unwrap_or_else(|| panic!("no page dictionary {key}"))
                .clone();
            PageObject { label, dict }
        })
        .collect()
}

/// The printed label of every page (`""` where a page has none).
fn labels(qpdf: &Path, book: Book) -> Vec<String> {
    page_objects(qpdf, book.pdf())
        .iter()
        .map(|p| p.label.as_ref().map(Label::text).unwrap_or_default())
        .collect()
}

/// The 1-based numbers of the body pages: from the first page labelled in arabic numerals to
/// the end.
fn body_pages(labels: &[String]) -> RangeInclusive<usize> {
    let first = labels
        .iter()
        .position(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()))
        .expect("a page labelled 1");
    first + 1..=labels.len()
}

/// pdfmeter (see [`common::pdfmeter`]), or `None` after reporting it missing.
fn pdfmeter() -> Option<PathBuf> {
    common::pdfmeter()
}

/// pdfmeter's JSON report on `book`'s PDF, measured on first use.
fn report(meter: &Path, book: Book) -> &'static Value {
    static REPORTS: [OnceLock<Value>; 3] = [const { OnceLock::new() }; 3];
    REPORTS[book.index()].get_or_init(|| {
        let python = common::tool("python3").expect("python3 was found before");
        let pdf = book.pdf().to_str().expect("UTF-8 path");
        let json = common::run(
            &python,
            &[meter.to_str().expect("UTF-8 path"), pdf, "--json"],
        );
        serde_json::from_str(&json).expect("pdfmeter prints JSON")
    })
}

// ---------------------------------------------------------------------------------------------
// Reading the manuscript.

/// Letters and digits only: how words are compared, so that smart punctuation (curly quotes,
/// dashes, ellipses), hyphens and superscripts' neighbours do not matter.
fn letters(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Markdown with the parts the print edition does not set in the running text taken out:
/// footnote definitions (they go to the foot of the page, see [`footnotes`]), footnote
/// references (`[^x]`), images, link targets, raw HTML tags and heading attributes (`{#id}`).
/// Markup characters are left: [`letters`] drops them.
fn running_text(md: &str) -> String {
    let mut out = String::new();
    let mut in_note = false;
    for line in md.lines() {
        if line.starts_with("[^") && line.contains("]:") {
            in_note = true;
            continue;
        }
        if in_note && (line.trim().is_empty() || line.starts_with("    ") || line.starts_with('\t'))
        {
            continue;
        }
        in_note = false;
        out.push_str(&strip_inline(line));
        out.push('\n');
    }
    out
}

/// One line without footnote references, images, link targets, HTML tags and `{…}` attributes.
fn strip_inline(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        let skip = if rest.starts_with("[^") {
            rest.find(']').map(|i| i + 1)
        } else if rest.starts_with("![") {
            rest.find(')').map(|i| i + 1)
        } else if rest.starts_with("](") {
            out.push(' ');
            rest.find(')').map(|i| i + 1)
        } else if c == '<' || c == '{' {
            rest.find(['>', '}']).map(|i| i + 1)
        } else {
            None
        };
        match skip {
            Some(n) => rest = &rest[n..],
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// The words of `text`, compared on [`letters`]; words with none are dropped.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(letters)
        .filter(|w| !w.is_empty())
        .collect()
}

/// The footnote definitions of one manuscript file: label and text, in order.
fn footnotes(md: &str) -> Vec<(String, String)> {
    let mut notes: Vec<(String, String)> = Vec::new();
    let mut in_note = false;
    for line in md.lines() {
        if let Some(rest) = line.strip_prefix("[^") {
            if let Some((label, text)) = rest.split_once("]:") {
                notes.push((label.to_string(), text.to_string()));
                in_note = true;
                continue;
            }
        }
        let indented = line.starts_with("    ") || line.starts_with('\t');
        if in_note && (line.trim().is_empty() || indented) {
            let (_, text) = notes.last_mut().expect("in a note");
            text.push('\n');
            text.push_str(line);
        } else {
            in_note = false;
        }
    }
    notes
}

/// The ATX headings of one manuscript file up to `depth`, outside code blocks, in order.
fn headings(md: &str, depth: u8) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in md.lines() {
        if line.starts_with("```") || line.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        let level = line.bytes().take_while(|&b| b == b'#').count();
        if in_code || level == 0 || level > usize::from(depth) {
            continue;
        }
        if let Some(text) = line[level..].strip_prefix(' ') {
            out.push(
                strip_inline(text)
                    .trim()
                    .trim_end_matches('#')
                    .trim()
                    .to_string(),
            );
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Text round trip.

/// How the manuscript's words were found in the extracted text.
#[derive(Debug, Default)]
struct Alignment {
    total: usize,
    matched: usize,
    /// Manuscript words not found where expected: (index, word).
    missing: Vec<(usize, String)>,
    /// Extracted words that are not the manuscript's.
    extra: Vec<String>,
}

/// Manuscript words that must match in a row before an alignment resumes after a miss.
const RESYNC_RUN: usize = 3;
/// How far ahead (in extracted words) a miss looks for the manuscript to resume.
const RESYNC_WINDOW: usize = 200;

/// Finds `expected` in order in `found`. A manuscript word may come back as up to three
/// extracted words (a line broken after a dash or a slash leaves no hyphen to rejoin on).
fn align(expected: &[String], found: &[String]) -> Alignment {
    // The number of extracted words, from `j`, that spell `word`.
    let spelled = |word: &str, j: usize| -> Option<usize> {
        let mut joined = String::new();
        for (k, piece) in found.get(j..)?.iter().take(3).enumerate() {
            joined.push_str(piece);
            if joined == word {
                return Some(k + 1);
            }
            if !word.starts_with(joined.as_str()) {
                return None;
            }
        }
        None
    };
    let run_at = |i: usize, mut j: usize| -> bool {
        for word in expected.iter().skip(i).take(RESYNC_RUN) {
            match spelled(word, j) {
                Some(k) => j += k,
                None => return false,
            }
        }
        true
    };
    let mut a = Alignment {
        total: expected.len(),
        ..Alignment::default()
    };
    let (mut i, mut j) = (0, 0);
    while i < expected.len() {
        if let Some(k) = spelled(&expected[i], j) {
            a.matched += 1;
            i += 1;
            j += k;
            continue;
        }
        match (1..=RESYNC_WINDOW).find(|&d| j + d < found.len() && run_at(i, j + d)) {
            Some(d) => {
                a.extra.extend(found[j..j + d].iter().cloned());
                j += d;
            }
            None => {
                a.missing.push((i, expected[i].clone()));
                i += 1;
            }
        }
    }
    a.extra.extend(found[j.min(found.len())..].iter().cloned());
    a
}

#[test]
fn real_book_text_comes_back_word_for_word_in_order() {
    let (Some(pdftotext), Some(qpdf)) = (common::tool("pdftotext"), common::tool("qpdf")) else {
        return;
    };
    let book = Book::Real;
    let expected: Vec<String> = book
        .manuscript()
        .iter()
        .flat_map(|md| words(&running_text(md)))
        .collect();
    let labels = labels(&qpdf, book);
    // Poppler's reading order, cropped to the text block: no running heads or folios. In this
    // mode poppler joins a line that ends in a hyphen to the next line and drops the hyphen,
    // which gives break hyphens back as whole words (and hard hyphens at a line end lose their
    // hyphen, which comparing letters only cannot see).
    let pages = page_texts(&pdftotext, book, body_pages(&labels), false);
    let found: Vec<String> = pages.iter().flat_map(|p| words(p)).collect();
    let a = align(&expected, &found);
    let fraction = a.matched as f64 / a.total as f64;
    println!(
        "text round trip (real book): {} of {} manuscript words in order ({:.2} %), {} extra",
        a.matched,
        a.total,
        100.0 * fraction,
        a.extra.len()
    );
    let context = |i: usize| expected[i.saturating_sub(5)..(i + 5).min(expected.len())].join(" ");
    assert!(
        a.missing.is_empty() && a.extra.is_empty(),
        "{} of {} words in order ({:.2} %); missing (with manuscript context): {:?}; extra: {:?}",
        a.matched,
        a.total,
        100.0 * fraction,
        a.missing
            .iter()
            .take(10)
            .map(|(i, w)| format!("{w} [{}]", context(*i)))
            .collect::<Vec<_>>(),
        a.extra.iter().take(20).collect::<Vec<_>>()
    );
}

#[test]
fn round_trip_alignment_rejoins_broken_words_and_reports_losses() {
    let w = |s: &str| words(s);
    let a = align(
        &w("one well-known word—and more"),
        &w("one well- known word— and more"),
    );
    assert_eq!((a.matched, a.missing.len(), a.extra.len()), (4, 0, 0));
    let a = align(&w("a b c d e f g"), &w("a b x d e f g"));
    assert_eq!(a.missing, vec![(2, "c".to_string())]);
    assert_eq!(a.extra, vec!["x".to_string()]);
    assert_eq!(
        words(&running_text(
            "# Title {#t}\n\nText[^n] and [a link](b.md#c).\n\n[^n]: The note.\n    More.\n\nEnd."
        )),
        w("Title Text and a link End")
    );
}

// ---------------------------------------------------------------------------------------------
// Footnotes.

/// The number of footnotes defined in `book`'s manuscript.
fn note_count(book: Book) -> usize {
    book.manuscript().iter().map(|md| footnotes(md).len()).sum()
}

#[test]
fn footnotes_start_on_their_reference_page_by_pdfmeter() {
    let Some(meter) = pdfmeter() else { return };
    let notes = note_count(Book::Stress);
    let f = &report(&meter, Book::Stress)["footnotes"];
    println!("pdfmeter footnotes (stress): {f}");
    assert!(notes >= 15, "the stress fixture has many notes ({notes})");
    assert_eq!(f["refs"], notes, "references found: {f}");
    assert_eq!(f["footnote_texts"], notes, "note texts found: {f}");
    assert_eq!(f["refs_text_not_on_same_page"], 0, "{f}");
    assert_eq!(f["texts_without_ref_on_page"], 0, "{f}");
}

/// The note numbers referenced on a page of `pdftotext -layout`: digits glued to the end of a
/// word or its punctuation (`stones.1`), which is how a superscript mark extracts.
fn note_refs(page: &str) -> Vec<u32> {
    page.split_whitespace()
        .filter_map(|token| {
            let head = token.trim_end_matches(|c: char| c.is_ascii_digit());
            let digits = &token[head.len()..];
            let before = head.chars().last()?;
            let glued = before.is_alphabetic() || ".,;!?’”)".contains(before);
            let word = head.chars().any(char::is_alphabetic);
            if (1..=2).contains(&digits.len()) && glued && word {
                digits.parse().ok()
            } else {
                None
            }
        })
        .collect()
}

/// The note numbers whose text starts on a page of `pdftotext -layout`: lines `N. text`.
fn note_starts(page: &str) -> Vec<(usize, u32)> {
    page.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let (number, _) = line.trim_start().split_once(". ")?;
            let digits =
                (1..=2).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit());
            digits
                .then(|| number.parse().ok().map(|n| (i, n)))
                .flatten()
        })
        .collect()
}

#[test]
fn footnotes_start_on_their_reference_page_by_pdftotext() {
    let (Some(pdftotext), Some(qpdf)) = (common::tool("pdftotext"), common::tool("qpdf")) else {
        return;
    };
    let book = Book::Stress;
    let labels = labels(&qpdf, book);
    let body = body_pages(&labels);
    let first = *body.start();
    let pages = page_texts(&pdftotext, book, body, true);
    let (mut refs, mut starts) = (0, 0);
    for (k, text) in pages.iter().enumerate() {
        let mut on_page = note_refs(text);
        let mut begun: Vec<u32> = note_starts(text).into_iter().map(|(_, n)| n).collect();
        on_page.sort_unstable();
        begun.sort_unstable();
        assert_eq!(
            on_page,
            begun,
            "page {} (label {}): notes referenced vs notes begun\n{text}",
            first + k,
            labels[first + k - 1]
        );
        refs += on_page.len();
        starts += begun.len();
    }
    let notes = note_count(book);
    assert_eq!((refs, starts), (notes, notes), "every note found once");
}

#[test]
fn a_note_too_tall_for_one_page_continues_at_the_top_of_the_next_notes() {
    let (Some(pdftotext), Some(qpdf)) = (common::tool("pdftotext"), common::tool("qpdf")) else {
        return;
    };
    let book = Book::Stress;
    // The longest note of the fixture: `[^bags]`, 44 lines of 11.6 pt at 6×9 in (510 pt), more
    // than the 531 pt text block holds beside the note rule's skip and its reference line.
    let (label, text) = book
        .manuscript()
        .iter()
        .flat_map(|md| footnotes(md))
        .max_by_key(|(_, text)| text.len())
        .expect("the fixture has notes");
    let note_words = words(&text);
    assert!(note_words.len() > 500, "[^{label}] is long");
    let head = note_words[..6].concat();
    let tail = note_words[note_words.len() - 6..].concat();

    let labels = labels(&qpdf, book);
    let body = body_pages(&labels);
    let first = *body.start();
    let pages = page_texts(&pdftotext, book, body, true);
    let on = |phrase: &str| -> Vec<usize> {
        (0..pages.len())
            .filter(|&k| letters(&pages[k]).contains(phrase))
            .collect()
    };
    let (starts, ends) = (on(&head), on(&tail));
    assert_eq!(starts.len(), 1, "[^{label}] begins on one page: {starts:?}");
    assert_eq!(ends.len(), 1, "[^{label}] ends on one page: {ends:?}");
    let (start, end) = (starts[0], ends[0]);
    println!(
        "[^{label}] runs from page {} to page {} (labels {} to {})",
        first + start,
        first + end,
        labels[first + start - 1],
        labels[first + end - 1]
    );
    assert_eq!(end, start + 1, "[^{label}] continues on the next page");
    // The continuation opens that page's notes: its last line comes before any note begun there.
    let lines: Vec<&str> = pages[end].lines().collect();
    let tail_line = (0..lines.len())
        .find(|&i| letters(&lines[..=i].concat()).contains(&tail))
        .expect("the note's end");
    for (i, n) in note_starts(&pages[end]) {
        assert!(
            i > tail_line,
            "note {n} begins above the continuation of [^{label}]"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Widows, orphans, contents, the gate.

#[test]
fn no_widows_or_orphans() {
    let Some(meter) = pdfmeter() else { return };
    for book in [Book::Real, Book::Stress] {
        let w = &report(&meter, book)["widows_orphans"];
        println!(
            "{}: widows {}, orphans {}, {} page breaks examined",
            book.name(),
            w["widows"],
            w["orphans"],
            w["page_breaks_examined"]
        );
        assert!(
            w["page_breaks_examined"].as_u64() > Some(5),
            "{}: {w}",
            book.name()
        );
        assert_eq!(w["widows"], 0, "{}: {}", book.name(), w["widow_lines"]);
        assert_eq!(w["orphans"], 0, "{}: {}", book.name(), w["orphan_lines"]);
    }
}

/// The headings the contents should list: every heading up to `toc_depth`, in order.
fn expected_contents(book: Book) -> Vec<String> {
    let depth = book.config().toc_depth;
    book.manuscript()
        .iter()
        .flat_map(|md| headings(md, depth))
        .collect()
}

#[test]
fn contents_entries_point_at_their_headings_by_pdfmeter() {
    let Some(meter) = pdfmeter() else { return };
    for book in [Book::Real, Book::Stress] {
        let t = &report(&meter, book)["toc"];
        let expected = expected_contents(book).len();
        println!(
            "{}: contents entries {}, mismatches {} (expected {expected} entries)",
            book.name(),
            t["entries"],
            t["mismatches"]
        );
        assert_eq!(t["found"], true, "{}: no contents found", book.name());
        assert_eq!(
            t["entries"],
            expected,
            "{}: {}",
            book.name(),
            t["entry_list"]
        );
        assert_eq!(
            t["mismatches"],
            0,
            "{}: {}",
            book.name(),
            t["mismatch_list"]
        );
    }
}

/// One line of the contents: the title and the printed page number.
#[derive(Debug)]
struct Entry {
    title: String,
    page: String,
}

/// The entries of the contents in `pages` (layout text, front matter): the page that opens with
/// "Contents" and the front-matter pages after it. An entry ends in a leader and a number; a
/// line without one is the first part of a long title.
fn contents(pages: &[(String, String)]) -> Vec<Entry> {
    let start = pages
        .iter()
        .position(|(_, text)| {
            text.lines().find(|l| !l.trim().is_empty()).map(str::trim) == Some("Contents")
        })
        .expect("a page headed Contents");
    let mut entries = Vec::new();
    let mut pending = String::new();
    for (_, text) in &pages[start..] {
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if line == "Contents" {
                continue;
            }
            let entry = line.rsplit_once(' ').filter(|(head, number)| {
                head.trim_end().ends_with(". .") && number.bytes().all(|b| b.is_ascii_digit())
            });
            match entry {
                Some((head, number)) => {
                    let title = format!("{pending} {}", head.trim_end_matches([' ', '.']));
                    entries.push(Entry {
                        title: title.trim().to_string(),
                        page: number.to_string(),
                    });
                    pending.clear();
                }
                None => {
                    pending.push(' ');
                    pending.push_str(line);
                }
            }
        }
    }
    entries
}

/// Whether `title` is set on `page` as whole lines of its own (one to three lines).
fn has_heading(page: &str, title: &str) -> bool {
    let title = letters(title);
    let lines: Vec<String> = page
        .lines()
        .map(letters)
        .filter(|l| !l.is_empty())
        .collect();
    (0..lines.len())
        .any(|i| (i + 1..=(i + 3).min(lines.len())).any(|j| lines[i..j].concat() == title))
}

#[test]
fn contents_entries_point_at_their_headings_by_pdftotext() {
    let (Some(pdftotext), Some(qpdf)) = (common::tool("pdftotext"), common::tool("qpdf")) else {
        return;
    };
    for book in [Book::Real, Book::Stress] {
        let labels = labels(&qpdf, book);
        let texts = page_texts(&pdftotext, book, 1..=labels.len(), true);
        let pages: Vec<(String, String)> = labels.iter().cloned().zip(texts).collect();
        let body = body_pages(&labels);
        let (front, main) = pages.split_at(*body.start() - 1);
        let entries = contents(front);
        let expected = expected_contents(book);
        assert_eq!(
            entries
                .iter()
                .map(|e| letters(&e.title))
                .collect::<Vec<_>>(),
            expected.iter().map(|h| letters(h)).collect::<Vec<_>>(),
            "{}: contents titles vs the manuscript's headings up to toc_depth",
            book.name()
        );
        // Each heading is looked for from the page of the entry before it on.
        let mut from = 0;
        for entry in &entries {
            let found = (from..main.len()).find(|&k| has_heading(&main[k].1, &entry.title));
            let Some(k) = found else {
                panic!(
                    "{}: heading {:?} not found as a line of its own",
                    book.name(),
                    entry.title
                );
            };
            assert_eq!(
                main[k].0,
                entry.page,
                "{}: {:?} is listed on page {} but set on the page labelled {}",
                book.name(),
                entry.title,
                entry.page,
                main[k].0
            );
            from = k;
        }
        println!(
            "{}: {} contents entries, each on its printed page",
            book.name(),
            entries.len()
        );
    }
}

/// Runs `scripts/pdfmeter-gate.py` on `book`'s PDF and asserts that it passes.
fn assert_gate_passes(meter: &Path, book: Book, extra: &[&str]) {
    let python = common::tool("python3").expect("python3 was found before");
    let output = Command::new(python)
        .arg(root().join("scripts/pdfmeter-gate.py"))
        .args(extra)
        .arg(book.pdf())
        .env("PDFMETER", meter)
        .output()
        .expect("run pdfmeter-gate.py");
    let table = String::from_utf8_lossy(&output.stdout);
    println!("{}:\n{table}", book.name());
    assert!(
        output.status.success(),
        "pdfmeter gate failed on the {} book ({}):\n{table}\n{}",
        book.name(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn pdfmeter_gate_passes_on_the_real_book() {
    let Some(meter) = pdfmeter() else { return };
    // The real book has no footnotes, which the gate then requires.
    assert_eq!(
        note_count(Book::Real),
        0,
        "the real book has notes now: drop --no-notes"
    );
    assert_gate_passes(&meter, Book::Real, &["--no-notes"]);
}

#[test]
fn pdfmeter_gate_passes_on_the_stress_fixture() {
    let Some(meter) = pdfmeter() else { return };
    assert_gate_passes(&meter, Book::Stress, &[]);
}

// ---------------------------------------------------------------------------------------------
// Structure, determinism, bleed.

#[test]
fn qpdf_finds_no_errors() {
    let Some(qpdf) = common::tool("qpdf") else {
        return;
    };
    for book in [Book::Real, Book::Stress, Book::StressBleed] {
        let out = common::run(
            &qpdf,
            &["--check", book.pdf().to_str().expect("UTF-8 path")],
        );
        assert!(
            out.contains("No syntax or stream encoding errors found"),
            "{}: {out}",
            book.name()
        );
    }
}

#[test]
fn every_font_is_embedded_and_subset_with_a_unicode_map() {
    let Some(pdffonts) = common::tool("pdffonts") else {
        return;
    };
    for book in [Book::Real, Book::Stress] {
        let out = common::run(&pdffonts, &[book.pdf().to_str().expect("UTF-8 path")]);
        // Two header lines, then: name type… encoding emb sub uni object-number generation.
        let rows: Vec<Vec<&str>> = out
            .lines()
            .skip(2)
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert!(!rows.is_empty(), "{}: no fonts\n{out}", book.name());
        for row in &rows {
            let n = row.len();
            assert!(n >= 6, "{}: unexpected pdffonts row {row:?}", book.name());
            let (emb, sub, uni) = (row[n - 5], row[n - 4], row[n - 3]);
            let tag = row[0].split_once('+').map(|(t, _)| t).unwrap_or_default();
            assert!(
                emb == "yes" && sub == "yes" && uni == "yes",
                "{}: font {} embedded {emb}, subset {sub}, ToUnicode {uni}",
                book.name(),
                row[0]
            );
            assert!(
                tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()),
                "{}: subset font {} has no six-letter tag",
                book.name(),
                row[0]
            );
        }
        if book == Book::Stress {
            assert!(
                rows.iter().any(|r| r[0].contains("Khmer")),
                "the stress fixture's Khmer needs the fallback font\n{out}"
            );
        }
    }
}

/// A page box as `pdfinfo -box` prints it: x0 y0 x1 y1 in pt.
type PdfBox = [f32; 4];

/// Every page's boxes by name (`MediaBox`, `TrimBox`, …), from `pdfinfo -box`.
fn boxes(pdfinfo: &Path, pdf: &Path) -> Vec<BTreeMap<String, PdfBox>> {
    let pdf = pdf.to_str().expect("UTF-8 path");
    let info = common::run(pdfinfo, &[pdf]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count");
    let out = common::run(pdfinfo, &["-box", "-f", "1", "-l", &pages.to_string(), pdf]);
    let mut result = vec![BTreeMap::new(); pages];
    for line in out.lines() {
        let Some(rest) = line.strip_prefix("Page") else {
            continue;
        };
        let mut parts = rest.split_whitespace();
        let (Some(page), Some(name)) = (parts.next(), parts.next()) else {
            continue;
        };
        let (Ok(page), Some(name)) = (page.parse::<usize>(), name.strip_suffix(':')) else {
            continue;
        };
        let numbers: Vec<f32> = parts.filter_map(|v| v.parse().ok()).collect();
        if let (Ok(b), Some(slot)) = (PdfBox::try_from(numbers), result.get_mut(page - 1)) {
            slot.insert(name.to_string(), b);
        }
    }
    result
}

fn same_box(a: PdfBox, b: PdfBox) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() <= BOX_EPS)
}

#[test]
fn every_page_has_a_trim_box_and_the_front_matter_roman_labels() {
    let (Some(pdfinfo), Some(qpdf)) = (common::tool("pdfinfo"), common::tool("qpdf")) else {
        return;
    };
    for book in [Book::Real, Book::Stress] {
        let config = book.config().pdf;
        let trim = [0.0, 0.0, config.trim_width, config.trim_height];
        let objects = page_objects(&qpdf, book.pdf());
        for (i, (page, b)) in objects.iter().zip(boxes(&pdfinfo, book.pdf())).enumerate() {
            assert!(
                page.dict.contains_key("/TrimBox"),
                "{}: page {} has no /TrimBox",
                book.name(),
                i + 1
            );
            assert!(
                same_box(b["TrimBox"], trim) && same_box(b["MediaBox"], trim),
                "{}: page {}: {b:?}",
                book.name(),
                i + 1
            );
        }
        // Front matter i, ii, … then the body from 1, every page labelled, no gaps.
        let labels: Vec<Label> = objects
            .iter()
            .enumerate()
            .map(|(i, p)| {
                p.label
                    .clone()
                    .unwrap_or_else(|| panic!("{}: page {} has no label", book.name(), i + 1))
            })
            .collect();
        let body = labels
            .iter()
            .position(|l| l.style == "/D")
            .expect("body pages");
        assert!(body > 0, "{}: front matter exists", book.name());
        for (i, l) in labels.iter().enumerate() {
            let (style, number) = if i < body {
                ("/r", i + 1)
            } else {
                ("/D", i - body + 1)
            };
            assert_eq!(
                (l.style.as_str(), l.number, l.prefix.as_str()),
                (style, number as i64, ""),
                "{}: label of page {}",
                book.name(),
                i + 1
            );
        }
        println!(
            "{}: {} pages, labels i–{} then 1–{}",
            book.name(),
            labels.len(),
            roman(body as i64),
            labels.len() - body
        );
    }
}

#[test]
fn bookmarks_lead_to_their_headings() {
    let Some(meter) = pdfmeter() else { return };
    for book in [Book::Real, Book::Stress] {
        let o = &report(&meter, book)["outline"];
        let chapters = book.manuscript().len() as u64;
        println!("{}: outline {o}", book.name());
        // One bookmark per contents entry, no more (a duplicate is a failure), no fewer.
        let expected = expected_contents(book).len() as u64;
        assert!(
            expected >= chapters,
            "{}: every chapter is in the contents",
            book.name()
        );
        assert_eq!(o["bookmarks"], expected, "{}: {o}", book.name());
        assert_eq!(
            o["max_depth"],
            u64::from(book.config().toc_depth),
            "{}: {o}",
            book.name()
        );
        assert_eq!(o["broken_targets"], 0, "{}: {o}", book.name());
        assert_eq!(o["title_not_on_target_page"], 0, "{}: {o}", book.name());
    }
}

#[test]
fn two_builds_are_byte_identical() {
    for book in [Book::Real, Book::Stress] {
        let again = tempfile::tempdir().expect("temp dir");
        let second = build(&book.dir(), again.path());
        let (a, b) = (
            std::fs::read(book.pdf()).expect("first build"),
            std::fs::read(second).expect("second build"),
        );
        assert!(a == b, "{}: two builds differ", book.name());
    }
}

#[test]
fn bleed_grows_the_media_box_around_the_trim_box() {
    let (Some(pdfinfo), Some(qpdf)) = (common::tool("pdfinfo"), common::tool("qpdf")) else {
        return;
    };
    let book = Book::StressBleed;
    let config = book.config().pdf;
    assert!(config.bleed);
    let (w, h) = (config.trim_width, config.trim_height);
    let media = [0.0, 0.0, w + 2.0 * BLEED, h + 2.0 * BLEED];
    let trim = [BLEED, BLEED, w + BLEED, h + BLEED];
    let objects = page_objects(&qpdf, book.pdf());
    let boxes = boxes(&pdfinfo, book.pdf());
    assert_eq!(objects.len(), boxes.len());
    for (i, (page, b)) in objects.iter().zip(&boxes).enumerate() {
        assert!(
            page.dict.contains_key("/TrimBox") && page.dict.contains_key("/BleedBox"),
            "page {} lacks /TrimBox or /BleedBox",
            i + 1
        );
        assert!(
            same_box(b["MediaBox"], media)
                && same_box(b["TrimBox"], trim)
                && same_box(b["BleedBox"], media),
            "page {}: {b:?}",
            i + 1
        );
    }
    // Bleed only grows the pages: as many pages as without it.
    let without = page_objects(&qpdf, Book::Stress.pdf()).len();
    assert_eq!(objects.len(), without, "bleed changes no page break");
}

#[test]
fn pdfmeter_gate_passes_with_bleed() {
    let Some(meter) = pdfmeter() else { return };
    assert_gate_passes(&meter, Book::StressBleed, &["--bleed"]);
}
