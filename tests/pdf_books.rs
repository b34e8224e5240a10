//! Print settings and links, end to end: books built with the real binary from the fixtures,
//! with `book.yaml` changed one setting at a time, read back with poppler (`pdftotext -bbox`,
//! `pdffonts`, `pdfinfo`, `pdfimages`), qpdf, PyMuPDF and the pdfmeter gate. Covered here:
//! footnote numbering by chapter and by book; the `full` fixture as a PDF (body images, links
//! between articles, `toc_depth: 3`); every internal link (contents entries, note marks, note
//! back-links, cross-article links) landing on the page that shows its target; bleed moving
//! the content and a cover page with bleed; `ragged_right` and `hyphenate: false`; and
//! `pdf.fonts`, `trim`, `margins`, `font_size` and `leading` away from their defaults.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

/// The bleed `pdf: {bleed: true}` adds on every side (README: 0.125 in), pt.
const BLEED: f32 = 9.0;
/// Tolerance for positions read back from `pdftotext -bbox` (six decimals) and `pdfinfo`, pt.
const EPS: f32 = 0.02;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// A copy of the fixture `from` in `CARGO_TARGET_TMPDIR/pdf-books/NAME/book`, its `book.yaml`
/// passed through `edit`, built once per run; returns the PDF.
fn built(name: &str, from: &str, edit: &dyn Fn(&str, &Path) -> String) -> PathBuf {
    static BUILT: OnceLock<Mutex<BTreeMap<String, PathBuf>>> = OnceLock::new();
    let cache = BUILT.get_or_init(|| Mutex::new(BTreeMap::new()));
    if let Some(pdf) = cache.lock().expect("cache").get(name) {
        return pdf.clone();
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("pdf-books")
        .join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("clear the book's folder");
    }
    let book = dir.join("book");
    common::copy_dir(&fixture(from), &book);
    let yaml = std::fs::read_to_string(book.join("book.yaml")).expect("book.yaml");
    std::fs::write(book.join("book.yaml"), edit(&yaml, &book)).expect("write book.yaml");
    let out = dir.join("out");
    std::fs::create_dir_all(&out).expect("out dir");
    let pdf = common::build_edition("pdf", &book, &out);
    cache
        .lock()
        .expect("cache")
        .insert(name.to_owned(), pdf.clone());
    pdf
}

/// `yaml` with `lines` added at the top of its `pdf:` section (made when missing).
fn with_pdf(yaml: &str, lines: &str) -> String {
    if yaml.contains("\npdf:\n") {
        yaml.replace("\npdf:\n", &format!("\npdf:\n{lines}"))
    } else {
        format!("{yaml}pdf:\n{lines}")
    }
}

/// `yaml` with the top-level `key: value` line replaced (or added).
fn with_key(yaml: &str, key: &str, value: &str) -> String {
    let mut found = false;
    let mut out: Vec<String> = yaml
        .lines()
        .map(|l| {
            if l.starts_with(&format!("{key}:")) {
                found = true;
                format!("{key}: {value}")
            } else {
                l.to_owned()
            }
        })
        .collect();
    if !found {
        out.push(format!("{key}: {value}"));
    }
    out.join("\n") + "\n"
}

fn unchanged(yaml: &str, _: &Path) -> String {
    yaml.to_owned()
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

// ---------------------------------------------------------------------------------------------
// Reading the PDF back.

/// One word of `pdftotext -bbox`, in pt from the top left of the MediaBox.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    x_min: f32,
    y_min: f32,
    x_max: f32,
    y_max: f32,
}

/// One page of `pdftotext -bbox`: its size and words in reading order.
#[derive(Debug)]
struct PageWords {
    height: f32,
    words: Vec<Word>,
}

/// The value of the attribute `name="…"` in `tag`.
fn attr(tag: &str, name: &str) -> f32 {
    let key = format!("{name}=\"");
    let start = tag
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {tag}"))
        + key.len();
    let end = tag[start..].find('"').expect("closing quote") + start;
    tag[start..end].parse().expect("a number")
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Every page's words (`pdftotext -bbox`).
fn words(pdftotext: &Path, pdf: &Path) -> Vec<PageWords> {
    let html = common::run(pdftotext, &["-bbox", path_str(pdf), "-"]);
    let mut pages = Vec::new();
    for chunk in html.split("<page ").skip(1) {
        let (tag, body) = chunk.split_once('>').expect("page tag");
        let words = body
            .split("<word ")
            .skip(1)
            .map(|w| {
                let (tag, rest) = w.split_once('>').expect("word tag");
                let text = rest.split_once("</word>").expect("word end").0;
                Word {
                    text: unescape(text),
                    x_min: attr(tag, "xMin"),
                    y_min: attr(tag, "yMin"),
                    x_max: attr(tag, "xMax"),
                    y_max: attr(tag, "yMax"),
                }
            })
            .collect();
        pages.push(PageWords {
            height: attr(tag, "height"),
            words,
        });
    }
    pages
}

/// Letters and digits only, lower-cased: how titles are compared.
fn letters(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Runs a Python snippet with PyMuPDF on `pdf` (as `sys.argv[1]`), returning its output, or
/// `None` after reporting the missing tool.
/// The numbers a measuring script printed, one row per line.
fn number_rows(out: &str) -> Vec<Vec<f32>> {
    out.lines()
        .map(|l| {
            l.split_whitespace()
                .map(|v| v.parse().expect("number"))
                .collect()
        })
        .collect()
}

fn pymupdf(script: &str, pdf: &Path) -> Option<String> {
    let python = common::tool("python3")?;
    if !common::has_pymupdf(&python) {
        common::missing("PyMuPDF", "in python3 (pip install pymupdf)");
        return None;
    }
    Some(common::run(
        &python,
        &[
            "-c",
            &format!("import sys, pymupdf\n{script}"),
            path_str(pdf),
        ],
    ))
}

// ---------------------------------------------------------------------------------------------
// Links, through qpdf's JSON.

/// An internal link: where it is and where it goes.
#[derive(Debug)]
struct Link {
    /// 0-based page of the annotation.
    page: usize,
    /// `/Rect` in PDF user space (origin bottom left).
    rect: [f32; 4],
    /// 0-based target page and the destination's `y` (PDF user space).
    target: (usize, f32),
}

/// Every internal (GoTo) link annotation of `pdf`, resolved through the named destinations.
/// URI links are left out; a link whose destination does not resolve fails the test.
fn links(qpdf: &Path, pdf: &Path) -> Vec<Link> {
    let json: Value =
        serde_json::from_str(&common::run(qpdf, &["--json=2", path_str(pdf)])).expect("JSON");
    let objects = &json["qpdf"][1];
    let deref = |v: &Value| -> Value {
        match v.as_str() {
            Some(r) if r.ends_with(" R") => objects[format!("obj:{r}")]["value"].clone(),
            _ => v.clone(),
        }
    };
    let pages: Vec<String> = json["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|p| p["object"].as_str().expect("page ref").to_owned())
        .collect();
    // Named destinations: the catalog's /Names /Dests tree (flat or with kids).
    let catalog = deref(&objects["trailer"]["value"]["/Root"]);
    let mut named: BTreeMap<String, Value> = BTreeMap::new();
    let mut todo = vec![deref(&deref(&catalog["/Names"])["/Dests"])];
    while let Some(node) = todo.pop() {
        if let Some(pairs) = node["/Names"].as_array() {
            for pair in pairs.chunks(2) {
                let key = pair[0].as_str().expect("name").to_owned();
                named.insert(key, deref(&pair[1]));
            }
        }
        for kid in node["/Kids"].as_array().into_iter().flatten() {
            todo.push(deref(kid));
        }
    }
    let resolve = |dest: &Value| -> (usize, f32) {
        let array = match dest.as_str() {
            Some(name) if !name.ends_with(" R") => named
                .get(name)
                .cloned()
                .unwrap_or_else(|| panic!("destination {name} is not defined")),
            _ => deref(dest),
        };
        let array = if array.is_object() {
            deref(&array["/D"])
        } else {
            array
        };
        let page = array[0].as_str().expect("a page reference");
        let index = pages
            .iter()
            .position(|p| p == page)
            .unwrap_or_else(|| panic!("destination page {page} is not a page"));
        assert_eq!(array[1], "/XYZ", "an XYZ destination: {array}");
        (index, array[3].as_f64().expect("y") as f32)
    };
    let mut out = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let dict = &objects[format!("obj:{page}")]["value"];
        let annots = deref(&dict["/Annots"]);
        for annot in annots.as_array().into_iter().flatten() {
            let a = deref(annot);
            if a["/Subtype"] != "/Link" {
                continue;
            }
            let dest = if !a["/Dest"].is_null() {
                a["/Dest"].clone()
            } else {
                let action = deref(&a["/A"]);
                if action["/S"] != "/GoTo" {
                    continue;
                }
                action["/D"].clone()
            };
            let r: Vec<f32> = a["/Rect"]
                .as_array()
                .expect("rect")
                .iter()
                .map(|v| v.as_f64().expect("number") as f32)
                .collect();
            out.push(Link {
                page: i,
                rect: [r[0], r[1], r[2], r[3]],
                target: resolve(&dest),
            });
        }
    }
    out
}

/// The words a link's rectangle covers on its page: those it overlaps vertically and holds at
/// least half of across, or, when none, those it touches (a mark glued to its word).
fn covered(page: &PageWords, rect: [f32; 4]) -> Vec<&Word> {
    let (top, bottom) = (page.height - rect[3], page.height - rect[1]);
    let touching: Vec<&Word> = page
        .words
        .iter()
        .filter(|w| w.x_max > rect[0] && w.x_min < rect[2] && w.y_max > top && w.y_min < bottom)
        .collect();
    let held: Vec<&Word> = touching
        .iter()
        .copied()
        .filter(|w| w.x_max.min(rect[2]) - w.x_min.max(rect[0]) >= (w.x_max - w.x_min) / 2.0)
        .collect();
    if held.is_empty() {
        touching
    } else {
        held
    }
}

/// The lines of a page whose middle is at or below `top` (pt from the top), top to bottom: a
/// word joins the line whose box holds its middle, so a raised note mark stays in its line.
fn lines_below(page: &PageWords, top: f32) -> Vec<String> {
    let mut lines: Vec<(f32, f32, Vec<&Word>)> = Vec::new();
    let mut sorted: Vec<&Word> = page
        .words
        .iter()
        .filter(|w| (w.y_min + w.y_max) / 2.0 >= top)
        .collect();
    // The tallest words first, so that each line's box is a full-size word's.
    sorted.sort_by(|a, b| (b.y_max - b.y_min).total_cmp(&(a.y_max - a.y_min)));
    for w in sorted {
        let middle = (w.y_min + w.y_max) / 2.0;
        match lines
            .iter_mut()
            .find(|(lo, hi, _)| *lo <= middle && middle <= *hi)
        {
            Some((_, _, ws)) => ws.push(w),
            None => lines.push((w.y_min, w.y_max, vec![w])),
        }
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    lines
        .into_iter()
        .map(|(_, _, mut ws)| {
            ws.sort_by(|a, b| a.x_min.total_cmp(&b.x_min));
            ws.iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Whether `title` is set as one to three whole lines among `lines`.
fn has_title(lines: &[String], title: &str) -> bool {
    let title = letters(title);
    let lines: Vec<String> = lines.iter().map(|l| letters(l)).collect();
    (0..lines.len())
        .any(|i| (i + 1..=(i + 3).min(lines.len())).any(|j| lines[i..j].concat() == title))
}

/// What the links of a book led to, counted by kind.
#[derive(Debug, Default, PartialEq)]
struct LinkCounts {
    contents: usize,
    marks: usize,
    back: usize,
    cross: usize,
}

/// Checks every internal link of `pdf`: a contents entry leads to the page labelled with its
/// number, where its title is set as a heading at or below the destination; a note mark `N`
/// to a page whose notes begin `N.` at the destination; a note's back-link `N.` to the page
/// with the mark `N` at the destination; any other link to the heading `cross[link text]`.
fn check_links(pdf: &Path, cross: &[(&str, &str)]) -> Option<LinkCounts> {
    let (Some(pdftotext), Some(qpdf)) = (common::tool("pdftotext"), common::tool("qpdf")) else {
        return None;
    };
    let pages = words(&pdftotext, pdf);
    let labels = page_labels(&qpdf, pdf);
    let mut counts = LinkCounts::default();
    for link in links(&qpdf, pdf) {
        let source = covered(&pages[link.page], link.rect);
        let text: Vec<&str> = source.iter().map(|w| w.text.as_str()).collect();
        let (tp, y) = link.target;
        let target = &pages[tp];
        let top = target.height - y;
        let below = lines_below(target, top);
        let near: Vec<String> = below.iter().take(2).cloned().collect();
        let at = format!(
            "link on page {} {text:?} to page {} (label {}) at y {y}; lines below:\n{}",
            link.page + 1,
            tp + 1,
            labels[tp],
            below.iter().take(4).cloned().collect::<Vec<_>>().join("\n")
        );
        let is_number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let last = text.last().copied().unwrap_or_default();
        if labels[link.page].chars().all(|c| "ivxlc".contains(c)) && !labels[link.page].is_empty() {
            // A contents entry: title words, leader dots, the page number.
            let number = text
                .iter()
                .rev()
                .find(|t| is_number(t))
                .unwrap_or_else(|| panic!("a contents entry without a number: {at}"));
            let title: Vec<&str> = text
                .iter()
                .copied()
                .filter(|t| t.chars().any(char::is_alphabetic))
                .collect();
            assert_eq!(&labels[tp], number, "{at}");
            assert!(
                has_title(&below, &title.join(" ")),
                "heading not at the target: {at}"
            );
            counts.contents += 1;
        } else if let Some(n) = last
            .strip_suffix('.')
            .filter(|n| text.len() == 1 && is_number(n))
        {
            // A note's back-link, from its number to the reference mark.
            // The mark extracts glued to its word (`stones.1`) or as a word of its own.
            let mark = near.iter().any(|l| {
                l.split_whitespace().any(|w| {
                    let head = w.trim_end_matches(|c: char| c.is_ascii_digit());
                    &w[head.len()..] == n && !head.chars().any(|c| c.is_ascii_digit())
                })
            });
            assert!(mark, "no note mark {n} at the back-link's target: {at}");
            counts.back += 1;
        } else if text.len() == 1 && last.ends_with(|c: char| c.is_ascii_digit()) {
            // A note mark, glued to its word: the target is the note's first line.
            let head = last.trim_end_matches(|c: char| c.is_ascii_digit());
            let n = &last[head.len()..];
            let begins = near
                .first()
                .is_some_and(|l| l.starts_with(&format!("{n}. ")));
            assert!(begins, "note {n} does not begin at the mark's target: {at}");
            counts.marks += 1;
        } else {
            let shown = letters(&text.join(" "));
            let heading = cross
                .iter()
                .find(|(t, _)| letters(t) == shown)
                .map(|(_, h)| *h)
                .unwrap_or_else(|| panic!("an unexpected link: {at}"));
            assert!(
                has_title(&below, heading),
                "{heading:?} not at the target: {at}"
            );
            counts.cross += 1;
        }
    }
    Some(counts)
}

/// Every page's label as text (`""` without one), from qpdf.
fn page_labels(qpdf: &Path, pdf: &Path) -> Vec<String> {
    let json: Value = serde_json::from_str(&common::run(
        qpdf,
        &["--json=2", "--json-key=pages", path_str(pdf)],
    ))
    .expect("JSON");
    json["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|p| {
            let l = &p["label"];
            if l.is_null() {
                return String::new();
            }
            let n = l["/St"].as_u64().unwrap_or(1) as u32;
            match l["/S"].as_str() {
                Some("/D") => n.to_string(),
                Some("/r") => bindery::typeset::page::roman(n),
                _ => String::new(),
            }
        })
        .collect()
}

/// The footnotes defined in a Markdown file (`[^label]:` lines).
fn notes_in(md: &str) -> usize {
    md.lines()
        .filter(|l| l.starts_with("[^") && l.contains("]:"))
        .count()
}

/// The number of notes in each manuscript file of a fixture, in order.
fn notes_per_chapter(name: &str) -> Vec<usize> {
    common::manuscript_texts(&fixture(name))
        .iter()
        .map(|text| notes_in(text))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Tests.

/// The numbers the notes begin with (`N.` opening a line), in page and line order.
fn note_numbers(pdftotext: &Path, pdf: &Path) -> Vec<u32> {
    words(pdftotext, pdf)
        .iter()
        .flat_map(|p| lines_below(p, 0.0))
        .filter_map(|l| {
            let first = l.split_whitespace().next()?;
            let n = first.strip_suffix('.')?;
            (!n.is_empty() && n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit()))
                .then(|| n.parse().ok())
                .flatten()
        })
        .collect()
}

#[test]
fn footnotes_restart_per_chapter_by_default_and_run_on_with_book_numbering() {
    let Some(pdftotext) = common::tool("pdftotext") else {
        return;
    };
    let per_chapter = notes_per_chapter("pdf-stress");
    assert!(
        per_chapter.len() >= 2 && per_chapter.iter().all(|&n| n > 0),
        "{per_chapter:?}"
    );
    let chapter = built("stress-chapter", "pdf-stress", &|y, _| {
        with_key(y, "footnote_numbering", "chapter")
    });
    let book = built("stress-book", "pdf-stress", &|y, _| {
        with_key(y, "footnote_numbering", "book")
    });
    let restart: Vec<u32> = per_chapter.iter().flat_map(|&n| 1..=n as u32).collect();
    let total: usize = per_chapter.iter().sum();
    let run_on: Vec<u32> = (1..=total as u32).collect();
    assert_eq!(
        note_numbers(&pdftotext, &chapter),
        restart,
        "footnote_numbering: chapter"
    );
    assert_eq!(
        note_numbers(&pdftotext, &book),
        run_on,
        "footnote_numbering: book"
    );
}

/// The `full` fixture's links between articles: link text and the heading it leads to.
const FULL_CROSS_LINKS: [(&str, &str); 5] = [
    ("chapter on rice", "Planting Season"),
    ("last one", "Rain"),
    ("the rivers", "Where Rivers Begin"),
    ("rivers", "Rivers"),
    ("fields", "Planting Season"),
];

#[test]
fn every_link_of_the_full_fixture_lands_on_its_target() {
    let pdf = built("full", "full", &unchanged);
    let Some(counts) = check_links(&pdf, &FULL_CROSS_LINKS) else {
        return;
    };
    // toc_depth 3: 3 chapters, 4 sections and 1 subsection in the contents.
    let notes: usize = notes_per_chapter("full").iter().sum();
    assert_eq!(
        counts,
        LinkCounts {
            contents: 8,
            marks: notes,
            back: notes,
            cross: FULL_CROSS_LINKS.len(),
        }
    );
}

#[test]
fn every_link_of_the_stress_fixture_lands_on_its_target() {
    let pdf = built("stress-chapter", "pdf-stress", &|y, _| {
        with_key(y, "footnote_numbering", "chapter")
    });
    let Some(counts) = check_links(&pdf, &[]) else {
        return;
    };
    let notes: usize = notes_per_chapter("pdf-stress").iter().sum();
    assert_eq!((counts.marks, counts.back, counts.cross), (notes, notes, 0));
    assert_eq!(counts.contents, 17, "{counts:?}");
}

#[test]
fn the_full_fixture_prints_its_body_images_above_their_captions() {
    let pdf = built("full", "full", &unchanged);
    let Some(pdfimages) = common::tool("pdfimages") else {
        return;
    };
    // page, width, height, encoding of every image.
    let list = common::run(&pdfimages, &["-list", path_str(&pdf)]);
    let images: Vec<(usize, String, String, String)> = list
        .lines()
        .skip(2)
        .map(|l| {
            let c: Vec<&str> = l.split_whitespace().collect();
            (
                c[0].parse().expect("page"),
                c[3].to_owned(),
                c[4].to_owned(),
                c[8].to_owned(),
            )
        })
        .collect();
    assert_eq!(
        images.len(),
        2,
        "the diagram and the photograph, no cover:\n{list}"
    );
    assert_eq!(
        (&images[0].1[..], &images[0].2[..]),
        ("400", "240"),
        "{list}"
    );
    assert_eq!(
        (&images[1].1[..], &images[1].2[..], &images[1].3[..]),
        ("480", "320", "jpeg"),
        "the JPEG is passed through, not re-encoded:\n{list}"
    );
    // The diagram sits on its page above its numbered caption, "Figure 1. Three rivers,
    // measured", at its aspect ratio, inside the text block.
    let script = "doc = pymupdf.open(sys.argv[1])\n\
                  for p in doc:\n    \
                      for i in p.get_image_info():\n        \
                          print(p.number + 1, *[round(v, 2) for v in i['bbox']])";
    let Some(out) = pymupdf(script, &pdf) else {
        return;
    };
    let boxes = number_rows(&out);
    assert_eq!(boxes.len(), 2, "{out}");
    let Some(pdftotext) = common::tool("pdftotext") else {
        return;
    };
    let pages = words(&pdftotext, &pdf);
    let diagram = &boxes[0];
    assert_eq!(diagram[0] as usize, images[0].0, "{out}");
    let (w, h) = (diagram[3] - diagram[1], diagram[4] - diagram[2]);
    assert!(
        (w / h - 400.0 / 240.0).abs() < 0.01,
        "aspect ratio {w} × {h}"
    );
    let config = bindery::config::load(&fixture("full")).expect("config").pdf;
    let measure = config.trim_width - config.margin_inner - config.margin_outer;
    assert!(w <= measure + EPS, "{w} pt wide in a {measure} pt measure");
    let page = &pages[images[0].0 - 1];
    let caption = lines_below(page, diagram[4]);
    assert_eq!(
        caption.first().map(|l| l.replace('\u{a0}', " ")).as_deref(),
        Some("Figure 1. Three rivers, measured"),
        "{caption:?}"
    );
}

#[test]
fn bleed_moves_every_word_by_the_bleed() {
    let Some(pdftotext) = common::tool("pdftotext") else {
        return;
    };
    let plain = built("stress-chapter", "pdf-stress", &|y, _| {
        with_key(y, "footnote_numbering", "chapter")
    });
    let bled = built("stress-bleed", "pdf-stress", &|y, _| {
        with_pdf(
            &with_key(y, "footnote_numbering", "chapter"),
            "  bleed: true\n",
        )
    });
    let (a, b) = (words(&pdftotext, &plain), words(&pdftotext, &bled));
    assert_eq!(a.len(), b.len(), "bleed changes no page break");
    let mut compared = 0;
    for (k, (pa, pb)) in a.iter().zip(&b).enumerate() {
        assert!(
            (pb.height - pa.height - 2.0 * BLEED).abs() < EPS,
            "page {}",
            k + 1
        );
        assert_eq!(pa.words.len(), pb.words.len(), "page {}", k + 1);
        for (wa, wb) in pa.words.iter().zip(&pb.words) {
            assert_eq!(wa.text, wb.text, "page {}", k + 1);
            let dx = wb.x_min - wa.x_min;
            let dy = wb.y_min - wa.y_min;
            assert!(
                (dx - BLEED).abs() < EPS && (dy - BLEED).abs() < EPS,
                "page {}: {:?} moved by ({dx}, {dy}), not by the bleed",
                k + 1,
                wa.text
            );
            compared += 1;
        }
    }
    assert!(compared > 1000, "{compared} words compared");
}

#[test]
fn a_cover_page_with_bleed_fills_the_first_page_to_the_bleed() {
    let pdf = built("full-cover-bleed", "full", &|y, _| {
        with_pdf(y, "  bleed: true\n  cover_page: true\n")
    });
    let Some(pdftotext) = common::tool("pdftotext") else {
        return;
    };
    let pages = words(&pdftotext, &pdf);
    assert!(
        pages[0].words.is_empty(),
        "the cover page has no text: {:?}",
        pages[0].words
    );
    let script = "doc = pymupdf.open(sys.argv[1])\n\
                  p = doc[0]\n\
                  print(*[round(v, 2) for v in p.mediabox], *[round(v, 2) for v in p.trimbox])\n\
                  for i in p.get_image_info():\n    \
                      print(i['width'], i['height'], *[round(v, 2) for v in i['bbox']])";
    let Some(out) = pymupdf(script, &pdf) else {
        return;
    };
    let rows = number_rows(&out);
    let (w, h) = (6.0 * 72.0 + 2.0 * BLEED, 9.0 * 72.0 + 2.0 * BLEED);
    assert_eq!(
        rows[0][..4],
        [0.0, 0.0, w, h],
        "MediaBox of page 1 with bleed:\n{out}"
    );
    assert_eq!(rows.len(), 2, "one image on the cover page:\n{out}");
    let cover = &rows[1];
    assert_eq!(
        cover[..2],
        [1700.0, 2720.0],
        "the cover image, covers/cover.jpg:\n{out}"
    );
    // The image covers the whole page, bleed included (cropped, never letterboxed).
    assert!(
        cover[2] <= EPS && cover[3] <= EPS && cover[4] >= w - EPS && cover[5] >= h - EPS,
        "the cover does not reach the bleed: {cover:?} on a {w} × {h} page"
    );
}

/// PyMuPDF: how many letters of a PDF are set at a horizontal scale other than 100 %: each
/// letter's width against the most common width of that letter in its font and size, counting
/// those off by 0.1–3 % (font expansion goes to ±2.5 %; another glyph for the same letter,
/// such as a small capital, differs by more). Letters in ligatures (a zero-width neighbour)
/// are left out. Prints `LETTERS SCALED`.
const SCALED_LETTERS: &str = "import collections
doc = pymupdf.open(sys.argv[1])
widths = collections.defaultdict(list)
for p in doc:
    for b in p.get_text('rawdict')['blocks']:
        for l in b.get('lines', []):
            for s in l['spans']:
                cs = s['chars']
                for i, c in enumerate(cs):
                    w = c['bbox'][2] - c['bbox'][0]
                    nxt = cs[i + 1]['bbox'][2] - cs[i + 1]['bbox'][0] if i + 1 < len(cs) else 1
                    if c['c'].isalpha() and w > 0 and nxt > 0:
                        widths[(s['font'], round(s['size'], 2), c['c'])].append(w)
scaled = total = 0
for v in widths.values():
    mode = collections.Counter(round(w, 3) for w in v).most_common(1)[0][0]
    for w in v:
        total += 1
        scaled += 0.001 < abs(w / mode - 1) < 0.03
print(total, scaled)";

/// (letters, letters set at another scale) of `pdf`, or `None` without PyMuPDF.
fn scaled_letters(pdf: &Path) -> Option<(usize, usize)> {
    let out = pymupdf(SCALED_LETTERS, pdf)?;
    let n: Vec<usize> = out
        .split_whitespace()
        .map(|v| v.parse().expect("a count"))
        .collect();
    Some((n[0], n[1]))
}

/// Runs the pdfmeter gate with `args` on `pdf`: (exit code, output).
fn gate(meter: &Path, pdf: &Path, args: &[&str]) -> (Option<i32>, String) {
    let python = common::tool("python3").expect("python3 was found before");
    let output = Command::new(python)
        .arg(root().join("scripts/pdfmeter-gate.py"))
        .args(args)
        .arg(pdf)
        .env("PDFMETER", meter)
        .output()
        .expect("run pdfmeter-gate.py");
    (
        output.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

fn stress_ragged() -> PathBuf {
    built("stress-ragged", "pdf-stress", &|y, _| {
        with_pdf(y, "  ragged_right: true\n")
    })
}

fn stress_justified() -> PathBuf {
    built("stress-chapter", "pdf-stress", &|y, _| {
        with_key(y, "footnote_numbering", "chapter")
    })
}

#[test]
fn a_ragged_book_sets_unscaled_glyphs() {
    let Some((letters, scaled)) = scaled_letters(&stress_ragged()) else {
        return;
    };
    assert!(letters > 10_000, "{letters} letters measured");
    assert_eq!(
        scaled, 0,
        "ragged_right: {scaled} of {letters} letters are scaled"
    );
    // The same measure sees the font expansion of the justified book.
    let Some((letters, scaled)) = scaled_letters(&stress_justified()) else {
        return;
    };
    assert!(
        scaled * 100 > letters,
        "justified: only {scaled} of {letters} letters scaled"
    );
}

#[test]
fn a_ragged_book_passes_the_ragged_gate_with_natural_spaces() {
    let Some(meter) = common::pdfmeter() else {
        return;
    };
    let pdf = stress_ragged();
    let (code, table) = gate(&meter, &pdf, &["--ragged"]);
    println!("{table}");
    assert_eq!(
        code,
        Some(0),
        "the ragged gate fails on a ragged book:\n{table}"
    );
    assert!(
        table.contains("widest word space / natural") && table.contains("ragged"),
        "{table}"
    );
    // As a justified book it fails, on flush right only.
    let (code, table) = gate(&meter, &pdf, &[]);
    assert_eq!(code, Some(1), "{table}");
    let failed: Vec<&str> = table
        .lines()
        .filter_map(|l| l.strip_prefix("pdfmeter gate: FAILED: "))
        .collect();
    assert_eq!(failed.len(), 1, "{table}");
    assert!(
        failed[0].starts_with("non-final lines flush right"),
        "{table}"
    );
}

/// The words a line-end hyphen splits, in `pdftotext -raw` of `pdf`, that the manuscript of
/// the fixture `name` does not write with a hyphen: the hyphens the typesetter added. A break
/// after a hyphen of the manuscript (`twenty-` / `five`) is not one of them.
fn break_hyphens(pdftotext: &Path, pdf: &Path, name: &str) -> Vec<String> {
    let mut manuscript = String::new();
    for entry in std::fs::read_dir(fixture(name).join("manuscript")).expect("manuscript") {
        let path = entry.expect("entry").path();
        manuscript.push_str(&std::fs::read_to_string(path).expect("read"));
    }
    let raw = common::run(pdftotext, &["-raw", path_str(pdf), "-"]);
    let lines: Vec<&str> = raw.lines().collect();
    let mut out = Vec::new();
    for pair in lines.windows(2) {
        let Some(head) = pair[0].split_whitespace().last() else {
            continue;
        };
        let Some(stem) = head.strip_suffix('-') else {
            continue;
        };
        if !stem.ends_with(char::is_alphabetic) {
            continue;
        }
        let stem = stem.trim_start_matches(|c: char| !c.is_alphanumeric());
        let tail: String = pair[1]
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        if !manuscript.contains(&format!("{stem}-{tail}")) {
            out.push(format!("{stem}-{tail}"));
        }
    }
    out
}

#[test]
fn a_book_without_hyphenation_has_no_break_hyphens() {
    let Some(pdftotext) = common::tool("pdftotext") else {
        return;
    };
    let off = built("stress-no-hyphens", "pdf-stress", &|y, _| {
        with_pdf(y, "  hyphenate: false\n")
    });
    let added = break_hyphens(&pdftotext, &off, "pdf-stress");
    assert!(
        added.is_empty(),
        "hyphenate: false, yet words are broken: {added:?}"
    );
    // The same book hyphenated breaks words at line ends: the reading can see them.
    let on = break_hyphens(&pdftotext, &stress_justified(), "pdf-stress");
    assert!(on.len() > 5, "hyphenate: true: only {on:?}");
    // And without hyphens it still passes the gate.
    let Some(meter) = common::pdfmeter() else {
        return;
    };
    let (code, table) = gate(&meter, &off, &[]);
    assert_eq!(code, Some(0), "{table}");
}

/// The system font the custom-font book is set in (Debian's `fonts-noto-core`), copied into the
/// book: not one of bindery's built-in faces, so that `pdffonts` can tell it apart.
const CUSTOM_FONT: &str = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf";

/// The most common value of `xs`, rounded to 0.01.
fn mode(xs: impl Iterator<Item = f32>) -> Option<f32> {
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for x in xs {
        *counts.entry((x * 100.0).round() as i64).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(_, n)| n)
        .map(|(x, _)| x as f32 / 100.0)
}

#[test]
fn print_settings_from_book_yaml_change_the_pages() {
    let font = Path::new(CUSTOM_FONT);
    if !font.is_file() {
        common::missing(
            "NotoSerif-Regular.ttf",
            "in /usr/share/fonts (apt-get install fonts-noto-core)",
        );
        return;
    }
    let pdf = built("stress-settings", "pdf-stress", &|y, book| {
        let fonts = book.join("fonts");
        std::fs::create_dir_all(&fonts).expect("fonts dir");
        std::fs::copy(CUSTOM_FONT, fonts.join("NotoSerif-Regular.ttf")).expect("copy font");
        let y = y.replace("  trim: 6x9\n", "");
        with_pdf(
            &y,
            "  trim: 5x8\n  margins: {inner: 0.75in, outer: 0.5in, top: 0.625in, bottom: 0.75in}\n  \
             font_size: 10\n  leading: 13\n  fonts:\n    regular: fonts/NotoSerif-Regular.ttf\n",
        )
    });
    let (Some(pdfinfo), Some(pdffonts), Some(pdftotext)) = (
        common::tool("pdfinfo"),
        common::tool("pdffonts"),
        common::tool("pdftotext"),
    ) else {
        return;
    };
    // trim: 5x8 is a 360 × 576 pt TrimBox (and MediaBox, without bleed) on every page.
    let info = common::run(&pdfinfo, &[path_str(&pdf)]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count");
    let boxes = common::run(
        &pdfinfo,
        &["-box", "-f", "1", "-l", &pages.to_string(), path_str(&pdf)],
    );
    let trims: Vec<&str> = boxes.lines().filter(|l| l.contains("TrimBox:")).collect();
    assert_eq!(trims.len(), pages, "{boxes}");
    for t in &trims {
        let v: Vec<f32> = t
            .split_whitespace()
            .skip(3)
            .map(|x| x.parse().expect("number"))
            .collect();
        assert_eq!(v, [0.0, 0.0, 360.0, 576.0], "{t}");
    }
    // pdf.fonts: the configured face is embedded (subset) and replaces Libertinus Regular.
    let table = common::run(&pdffonts, &[path_str(&pdf)]);
    let rows = common::pdffonts_rows(&table);
    let noto: Vec<&common::FontRow> = rows
        .iter()
        .filter(|r| r.name.ends_with("+NotoSerif-Regular"))
        .collect();
    assert_eq!(noto.len(), 1, "{table}");
    assert!(
        noto[0].embedded && noto[0].subset && noto[0].unicode,
        "{table}"
    );
    assert!(
        !rows
            .iter()
            .any(|r| r.name.ends_with("+LibertinusSerif-Regular")),
        "the built-in regular face is still used:\n{table}"
    );
    // margins: lines start at the inner margin on rectos (54 pt) and at the outer on versos
    // (36 pt); leading: body lines 13 pt apart. Body pages: those with 20 lines or more.
    let pages = words(&pdftotext, &pdf);
    let mut starts = [Vec::new(), Vec::new()];
    let mut pitches = Vec::new();
    for (k, page) in pages.iter().enumerate() {
        let mut line_tops: Vec<(f32, f32)> = Vec::new(); // (y_min, first x)
        for w in &page.words {
            match line_tops
                .iter_mut()
                .find(|(y, _)| (y - w.y_min).abs() < 0.5)
            {
                Some((_, x)) => *x = x.min(w.x_min),
                None => line_tops.push((w.y_min, w.x_min)),
            }
        }
        if line_tops.len() < 20 {
            continue;
        }
        line_tops.sort_by(|a, b| a.0.total_cmp(&b.0));
        starts[k % 2].extend(line_tops.iter().map(|&(_, x)| x));
        pitches.extend(line_tops.windows(2).map(|w| w[1].0 - w[0].0));
    }
    assert_eq!(
        mode(starts[0].iter().copied()),
        Some(54.0),
        "recto line starts"
    );
    assert_eq!(
        mode(starts[1].iter().copied()),
        Some(36.0),
        "verso line starts"
    );
    assert_eq!(
        mode(pitches.into_iter()),
        Some(13.0),
        "baseline to baseline"
    );
    // font_size: the body text is set at 10 pt.
    let script = "import collections\n\
                  sizes = collections.Counter()\n\
                  for p in pymupdf.open(sys.argv[1]):\n    \
                      for b in p.get_text('dict')['blocks']:\n        \
                          for l in b.get('lines', []):\n            \
                              for s in l['spans']:\n                \
                                  sizes[(s['font'], round(s['size'], 2))] += len(s['text'])\n\
                  print(*sizes.most_common(1)[0][0], sep='|')";
    let Some(out) = pymupdf(script, &pdf) else {
        return;
    };
    assert_eq!(
        out.trim(),
        "NotoSerif-Regular|10.0",
        "the most used font and size"
    );
}
