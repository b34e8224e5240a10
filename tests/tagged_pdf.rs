//! The tagged PDF (PDF/UA-1, PDF/A-2): the structure tree, read back from the written file with
//! `scripts/pdf-structure.py` (pikepdf), follows the model — the book's headings in order, one
//! P per paragraph, every footnote a Note right after the block that cites it, figures with
//! their alt text — and no running head or folio is tagged content. `pdfinfo` says
//! `Tagged: yes` and the `pdfua` checker reports nothing.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use bindery::model::{self, Block, BlockKind, Book, InlineKind};
use bindery::typeset::page::PageGeometry;
use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The structure dump of `pdf`, or `None` when python3 or pikepdf is missing (and not required).
fn structure(pdf: &Path) -> Option<Value> {
    let python = common::tool("python3")?;
    let has_pikepdf = Command::new(&python)
        .args(["-c", "import pikepdf"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_pikepdf {
        common::missing("pikepdf", "for python3");
        return None;
    }
    let script = repo().join("scripts/pdf-structure.py");
    let out = common::run(
        &python,
        &[
            script.to_str().expect("utf-8 path"),
            pdf.to_str().expect("utf-8 path"),
        ],
    );
    Some(serde_json::from_str(&out).expect("pdf-structure.py prints JSON"))
}

fn role(e: &Value) -> &str {
    e["role"].as_str().unwrap_or("")
}

fn kids(e: &Value) -> &[Value] {
    e["kids"].as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// Every element below `e` (itself included), in document order.
fn walk<'a>(e: &'a Value, out: &mut Vec<&'a Value>) {
    if e.get("role").is_some() {
        out.push(e);
    }
    for k in kids(e) {
        walk(k, out);
    }
}

/// The text an element marks, from the marked-content sequences it points to.
fn text_of(e: &Value, marked: &HashMap<(u64, u64), String>) -> String {
    let mut parts = Vec::new();
    fn go(e: &Value, marked: &HashMap<(u64, u64), String>, parts: &mut Vec<String>) {
        for k in kids(e) {
            if let (Some(mcid), Some(page)) = (k["mcid"].as_u64(), k["page"].as_u64()) {
                if let Some(t) = marked.get(&(page, mcid)) {
                    parts.push(t.clone());
                }
            } else {
                go(k, marked, parts);
            }
        }
    }
    go(e, marked, &mut parts);
    parts.join(" ")
}

fn first_words(text: &str, n: usize) -> String {
    text.split_whitespace()
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Paragraphs the model gives a chapter body (or a note): paragraph blocks other than lone
/// images (raw HTML arrives as these same blocks), in lists and quotes too.
fn paragraphs(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .map(|b| match &b.kind {
            BlockKind::Paragraph(inlines) => usize::from(lone_image(inlines).is_none()),
            BlockKind::BlockQuote(inner) => paragraphs(inner),
            BlockKind::List(list) => list.items.iter().map(|i| paragraphs(&i.blocks)).sum(),
            _ => 0,
        })
        .sum()
}

/// The alt text of a paragraph that is a single local image.
fn lone_image(inlines: &[model::Inline]) -> Option<String> {
    let mut found = None;
    for i in inlines {
        match &i.kind {
            InlineKind::Image {
                asset: Some(_),
                alt,
                ..
            } if found.is_none() => found = Some(alt.clone()),
            InlineKind::Text(t) if t.trim().is_empty() => {}
            InlineKind::SoftBreak | InlineKind::HardBreak => {}
            _ => return None,
        }
    }
    found
}

fn figure_alts(blocks: &[Block], out: &mut Vec<String>) {
    for b in blocks {
        match &b.kind {
            BlockKind::Paragraph(inlines) => {
                if let Some(alt) = lone_image(inlines).filter(|a| !a.trim().is_empty()) {
                    out.push(alt.trim().to_string());
                }
            }
            BlockKind::BlockQuote(inner) => figure_alts(inner, out),
            BlockKind::List(list) => list.items.iter().for_each(|i| figure_alts(&i.blocks, out)),
            _ => {}
        }
    }
}

/// The text of the first paragraph that cites footnote `note` of a chapter.
fn citing_text(blocks: &[Block], note: usize) -> Option<String> {
    fn cites(inlines: &[model::Inline], note: usize) -> bool {
        inlines.iter().any(|i| match &i.kind {
            InlineKind::FootnoteRef(n) => *n == note,
            InlineKind::Emphasis(c) | InlineKind::Strong(c) | InlineKind::Strikethrough(c) => {
                cites(c, note)
            }
            InlineKind::Link { content, .. } => cites(content, note),
            _ => false,
        })
    }
    for b in blocks {
        let found = match &b.kind {
            BlockKind::Paragraph(inlines) if cites(inlines, note) => {
                Some(model::plain_text(inlines))
            }
            BlockKind::Heading(h) if cites(&h.content, note) => Some(h.plain_text()),
            BlockKind::BlockQuote(inner) => citing_text(inner, note),
            BlockKind::List(list) => list.items.iter().find_map(|i| citing_text(&i.blocks, note)),
            BlockKind::Table(t) => t
                .head
                .iter()
                .chain(t.rows.iter().flatten())
                .find(|c| cites(c, note))
                .map(|c| model::plain_text(c)),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Builds the PDF of `book_dir` and checks its structure tree against the model.
fn check_book(book_dir: &Path) {
    let out = tempfile::tempdir().expect("temp dir");
    let pdf = common::build_edition("pdf", book_dir, out.path());
    let Some(dump) = structure(&pdf) else {
        return;
    };
    let book: Book = bindery::load::load_book(book_dir)
        .book
        .expect("the book loads");

    // Marked content by (page, MCID), and the page geometry.
    let pages = dump["pages"].as_array().expect("pages");
    let mut marked = HashMap::new();
    let geo = PageGeometry::from_config(&book.config.pdf);
    let text_top = geo.text_top();
    let mut heads = 0;
    for (p, page) in pages.iter().enumerate() {
        for m in page["marked"].as_array().expect("marked") {
            let text = m["text"].as_str().unwrap_or("").to_string();
            assert!(
                m.get("untagged").is_none(),
                "page {}: text `{text}` is neither tagged nor an artifact",
                p + 1
            );
            let ys: Vec<f64> = m["ys"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default();
            if let Some(mcid) = m["mcid"].as_u64() {
                // Tagged text lies in the text block: nothing from the head margin.
                for y in &ys {
                    assert!(
                        *y > f64::from(text_top),
                        "page {}: tagged text `{text}` at y {y} lies above the text block ({text_top})",
                        p + 1
                    );
                }
                marked.insert((p as u64, mcid), text);
            } else if ys.iter().any(|y| *y < f64::from(text_top)) {
                assert_eq!(
                    m["artifact"].as_str(),
                    Some("/Pagination"),
                    "page {}: `{text}` above the text block is a pagination artifact",
                    p + 1
                );
                heads += 1;
            }
        }
    }
    assert!(heads > 0, "the book has running heads, all artifacts");

    let tree = dump["tree"].as_array().expect("tree");
    assert_eq!(tree.len(), 1, "one Document root");
    let mut all = Vec::new();
    walk(&tree[0], &mut all);

    // Headings: the contents' title, then every heading of the book, in order.
    let found: Vec<(u8, String)> = all
        .iter()
        .filter_map(|e| {
            let r = role(e);
            let level = r.strip_prefix("/H")?.parse::<u8>().ok()?;
            Some((level, e["title"].as_str().unwrap_or("").to_string()))
        })
        .collect();
    let mut expected = vec![(1u8, book.config.contents_title().to_string())];
    for chapter in &book.chapters {
        for h in chapter.headings() {
            expected.push((h.level, h.plain_text()));
        }
    }
    assert_eq!(found, expected, "headings in order");

    // Chapters: one Sect each, one P per paragraph, every note after its citing block.
    let sections: Vec<&Value> = kids(&tree[0])
        .iter()
        .filter(|e| role(e) == "/Sect")
        .collect();
    assert_eq!(sections.len(), book.chapters.len(), "one Sect per chapter");
    let mut notes_checked = 0;
    for (chapter, sect) in book.chapters.iter().zip(&sections) {
        let mut inside = Vec::new();
        walk(sect, &mut inside);
        let notes: Vec<&&Value> = inside.iter().filter(|e| role(e) == "/Note").collect();
        assert_eq!(
            notes.len(),
            chapter.footnotes.len(),
            "{}: one Note per footnote",
            chapter.slug
        );
        let mut note_ps = 0;
        for note in &notes {
            let mut below = Vec::new();
            walk(note, &mut below);
            note_ps += below.iter().filter(|e| role(e) == "/P").count();
        }
        let body_ps = inside.iter().filter(|e| role(e) == "/P").count() - note_ps;
        assert_eq!(
            body_ps,
            paragraphs(&chapter.blocks),
            "{}: one P per paragraph",
            chapter.slug
        );
        let expected_note_ps: usize = chapter
            .footnotes
            .iter()
            .map(|n| paragraphs(&n.blocks).max(1))
            .sum();
        assert_eq!(
            note_ps, expected_note_ps,
            "{}: one P per note paragraph",
            chapter.slug
        );

        // Each note, read in order, starts with its number and follows its citing block.
        let mut seen_numbers = Vec::new();
        for (k, footnote) in chapter.footnotes.iter().enumerate() {
            let note_text = |e: &Value| text_of(e, &marked);
            let Some(note) = notes
                .iter()
                .find(|n| note_text(n).starts_with(&format!("{}.", footnote.number)))
            else {
                panic!("{}: no Note starts with {}.", chapter.slug, footnote.number);
            };
            seen_numbers.push(footnote.number);
            // The Note's preceding sibling (skipping other notes) holds the citing text.
            let parent = inside
                .iter()
                .find(|e| kids(e).iter().any(|c| std::ptr::eq(c, **note)))
                .expect("the note has a parent");
            let siblings = kids(parent);
            let at = siblings
                .iter()
                .position(|c| std::ptr::eq(c, **note))
                .expect("note among its siblings");
            let before = siblings[..at]
                .iter()
                .rev()
                .find(|c| role(c) != "/Note")
                .expect("a block before the note");
            let citing = citing_text(&chapter.blocks, k).expect("a block cites the note");
            let want = first_words(&citing, 3);
            let got = text_of(before, &marked);
            assert!(
                got.replace(' ', "").contains(&want.replace(' ', "")),
                "{}: note {} follows `{}`, not the block citing it (`{want}`)",
                chapter.slug,
                footnote.number,
                first_words(&got, 8)
            );
            notes_checked += 1;
        }
    }
    assert_eq!(
        notes_checked,
        book.chapters
            .iter()
            .map(|c| c.footnotes.len())
            .sum::<usize>()
    );

    // Figures carry the model's alt text; decorative images are no Figure.
    let mut alts = Vec::new();
    for chapter in &book.chapters {
        figure_alts(&chapter.blocks, &mut alts);
    }
    let figures: Vec<String> = all
        .iter()
        .filter(|e| role(e) == "/Figure")
        .map(|e| e["alt"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(figures, alts, "figures and their alt text");

    // The two external checkers.
    if let Some(pdfinfo) = common::tool("pdfinfo") {
        let info = common::run(&pdfinfo, &[pdf.to_str().expect("utf-8 path")]);
        assert!(
            info.lines()
                .any(|l| l.starts_with("Tagged:") && l.ends_with("yes")),
            "pdfinfo: {info}"
        );
    }
    pdfua_finds_nothing(&pdf, &book_dir.display().to_string());
}

/// `pdfua check` (the PyPI checker of PDF/UA-1) exits 0 and reports no findings on `pdf`;
/// `what` names the book in the failure.
fn pdfua_finds_nothing(pdf: &Path, what: &str) {
    if let Some(pdfua) = common::tool("pdfua") {
        let output = Command::new(&pdfua)
            .args(["check", pdf.to_str().expect("utf-8 path")])
            .output()
            .expect("run pdfua");
        let report = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && report.contains("no findings"),
            "{what}: pdfua check: {report}"
        );
    }
}

#[test]
fn real_book_structure_follows_the_model() {
    check_book(&repo());
}

#[test]
fn full_fixture_structure_follows_the_model() {
    check_book(&repo().join("tests/fixtures/full"));
}

#[test]
fn stress_fixture_structure_follows_the_model() {
    check_book(&repo().join("tests/fixtures/pdf-stress"));
}

#[test]
fn tables_fixture_structure_follows_the_model() {
    check_book(&repo().join("tests/fixtures/tables"));
}

/// The pages (0-based) holding marked content of `e`.
fn pages_of(e: &Value, out: &mut std::collections::BTreeSet<u64>) {
    for k in kids(e) {
        match k["page"].as_u64() {
            Some(page) if k["mcid"].is_u64() => {
                out.insert(page);
            }
            _ => pages_of(k, out),
        }
    }
}

/// Each table is one Table element, whatever the pages it spans: its Caption first (with the
/// caption's text, once: the "(continued)" repeats are artifacts), then one TR per row, TH for
/// the header cells and TD for the others.
#[test]
fn a_long_table_is_one_table_element_across_its_pages() {
    let dir = repo().join("tests/fixtures/tables");
    let out = tempfile::tempdir().expect("temp dir");
    let pdf = common::build_edition("pdf", &dir, out.path());
    let Some(dump) = structure(&pdf) else {
        return;
    };
    let book: Book = bindery::load::load_book(&dir).book.expect("the book loads");
    let mut marked = HashMap::new();
    for (p, page) in dump["pages"].as_array().expect("pages").iter().enumerate() {
        for m in page["marked"].as_array().expect("marked") {
            if let Some(mcid) = m["mcid"].as_u64() {
                marked.insert(
                    (p as u64, mcid),
                    m["text"].as_str().unwrap_or("").to_string(),
                );
            }
        }
    }
    let mut all = Vec::new();
    walk(&dump["tree"][0], &mut all);
    let tables: Vec<&&Value> = all.iter().filter(|e| role(e) == "/Table").collect();
    let model: Vec<&model::Table> = book.chapters[0]
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(tables.len(), model.len());
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    for (element, table) in tables.iter().zip(&model) {
        let children = kids(element);
        assert_eq!(role(&children[0]), "/Caption");
        // The caption's text, after its number ("Table 1.").
        let caption = squash(&text_of(&children[0], &marked));
        assert!(
            caption.ends_with(&squash(&model::plain_text(&table.caption))),
            "{caption}"
        );
        let rows: Vec<&Value> = children.iter().filter(|k| role(k) == "/TR").collect();
        assert_eq!(
            rows.len(),
            table.rows.len() + 1,
            "a TR per row, the header's included"
        );
        let cells = |r: &Value, want: &str| kids(r).iter().filter(|c| role(c) == want).count();
        assert_eq!(cells(rows[0], "/TH"), table.head.len());
        for (row, model_row) in rows[1..].iter().zip(&table.rows) {
            assert_eq!(cells(row, "/TD"), model_row.len());
        }
        // The header row and the caption are tagged once, on the table's first page (their
        // repeats are artifacts), and no "(continued)" is content.
        for once in [rows[0], &children[0]] {
            let mut pages = std::collections::BTreeSet::new();
            pages_of(once, &mut pages);
            assert_eq!(pages.len(), 1, "{} tagged on pages {pages:?}", role(once));
        }
        let head = squash(&text_of(rows[0], &marked));
        let header_words = table
            .head
            .iter()
            .map(|c| squash(&model::plain_text(c)))
            .collect::<String>();
        assert_eq!(head, header_words);
        assert!(!squash(&text_of(element, &marked)).contains("(continued)"));
    }
    // The long table's rows are content on several pages.
    let mut pages = std::collections::BTreeSet::new();
    pages_of(tables[3], &mut pages);
    assert!(pages.len() >= 3, "the long table spans {pages:?}");
}

/// The XMP packet of a PDF (krilla writes it uncompressed).
fn xmp(pdf: &Path) -> String {
    let bytes = std::fs::read(pdf).expect("read pdf");
    let text = String::from_utf8_lossy(&bytes);
    let start = text.find("<x:xmpmeta").expect("an XMP packet");
    let end = text[start..].find("</x:xmpmeta>").expect("XMP end") + start;
    text[start..end].to_string()
}

#[test]
fn standards_are_claimed_by_default_and_each_can_be_turned_off() {
    let work = tempfile::tempdir().expect("temp dir");
    let book = work.path().join("book");
    common::copy_dir(&repo().join("tests/fixtures/full"), &book);
    let yaml = std::fs::read_to_string(book.join("book.yaml")).expect("book.yaml");
    let build = |pdf_section: &str, name: &str| {
        std::fs::write(book.join("book.yaml"), format!("{yaml}\n{pdf_section}\n")).expect("write");
        let out = work.path().join(name);
        std::fs::create_dir_all(&out).expect("out");
        xmp(&common::build_edition("pdf", &book, &out))
    };
    let has = |x: &str, tag: &str, value: &str| {
        x.contains(&format!("<{tag}>{value}</{tag}>")) || x.contains(&format!("{tag}=\"{value}\""))
    };
    let default = build("", "default");
    assert!(has(&default, "pdfuaid:part", "1"), "{default}");
    assert!(has(&default, "pdfaid:part", "2"), "{default}");
    assert!(has(&default, "pdfaid:conformance", "A"), "{default}");

    let no_ua = build("pdf:\n  accessible: false", "no-ua");
    assert!(!no_ua.contains("pdfuaid"), "{no_ua}");
    assert!(has(&no_ua, "pdfaid:conformance", "B"), "{no_ua}");

    let no_a = build("pdf:\n  archival: false", "no-a");
    assert!(has(&no_a, "pdfuaid:part", "1"), "{no_a}");
    assert!(!no_a.contains("pdfaid"), "{no_a}");

    let plain = build("pdf:\n  accessible: false\n  archival: false", "plain");
    assert!(
        !plain.contains("pdfuaid") && !plain.contains("pdfaid"),
        "{plain}"
    );
    if let Some(pdfinfo) = common::tool("pdfinfo") {
        let pdf = work
            .path()
            .join("plain")
            .join("a-field-guide-to-small-things.pdf");
        let info = common::run(&pdfinfo, &[pdf.to_str().expect("utf-8")]);
        assert!(info.contains("Tagged:          no"), "{info}");
    }
}

/// Every element of the dump's tree, in document order.
fn elements(dump: &Value) -> Vec<&Value> {
    let mut all = Vec::new();
    for top in dump["tree"].as_array().expect("tree") {
        walk(top, &mut all);
    }
    all
}

/// Marked content by (page, MCID).
fn marked_text(dump: &Value) -> HashMap<(u64, u64), String> {
    let mut marked = HashMap::new();
    for (p, page) in dump["pages"].as_array().expect("pages").iter().enumerate() {
        for m in page["marked"].as_array().expect("marked") {
            if let Some(mcid) = m["mcid"].as_u64() {
                let text = m["text"].as_str().unwrap_or("").to_string();
                marked.insert((p as u64, mcid), text);
            }
        }
    }
    marked
}

#[test]
fn text_in_another_language_carries_its_lang() {
    let out = tempfile::tempdir().expect("temp dir");
    let pdf = common::build_edition("pdf", &repo().join("tests/fixtures/lang-mixed"), out.path());
    let Some(dump) = structure(&pdf) else {
        return;
    };
    let marked = marked_text(&dump);
    let all = elements(&dump);
    // The text of the elements with `/Lang` `lang`, joined in document order, with line-end
    // hyphens closed up.
    let in_lang = |lang: &str| -> String {
        let parts: Vec<String> = all
            .iter()
            .filter(|e| e["lang"].as_str() == Some(lang))
            .map(|e| text_of(e, &marked))
            .collect();
        parts.join(" ").replace("- ", "").replace('-', "")
    };
    let french = in_lang("fr");
    for word in [
        "l’anticonstitutionnellement",
        "célèbre",
        "déclaration",
        "provisoire",
    ] {
        assert!(
            french.contains(word),
            "`{word}` is not under /Lang (fr): {french:?}"
        );
    }
    assert!(!french.contains("ambassador"), "{french:?}");
    // The spans are `Span` elements inside their paragraph.
    let french_spans: Vec<&&Value> = all
        .iter()
        .filter(|e| e["lang"].as_str() == Some("fr"))
        .collect();
    assert!(
        french_spans.iter().all(|e| role(e) == "/Span"),
        "{:?}",
        french_spans.iter().map(|e| role(e)).collect::<Vec<_>>()
    );
    let german = in_lang("de");
    assert!(
        german.contains("Donaudampfschifffahrtsgesellschaft"),
        "{german:?}"
    );
    // The German chapter (front matter `lang: de`) is a section with /Lang (de).
    let chapter = all
        .iter()
        .find(|e| role(e) == "/Sect" && e["lang"].as_str() == Some("de"))
        .expect("a Sect with /Lang (de)");
    let chapter_text = text_of(chapter, &marked);
    assert!(
        chapter_text.contains("Verhandlungen") && !chapter_text.contains("ambassador"),
        "{chapter_text:?}"
    );
    // The English chapter's section carries no language of its own (the document's is en).
    assert!(
        all.iter()
            .filter(|e| role(e) == "/Sect")
            .filter(|e| text_of(e, &marked).contains("ambassador"))
            .all(|e| e.get("lang").is_none()),
        "the English chapter has a /Lang of its own"
    );
    // The Arabic greeting, in logical order (its glyphs are written so, see `pdf.rs`).
    let arabic = in_lang("ar");
    assert_eq!(unspaced(&arabic), unspaced("السلام عليكم"), "{arabic:?}");
}

/// Words compared loosely: spaces collapsed, line-end hyphens closed up, small capitals and
/// case ignored (the publisher is set in small capitals).
fn loose(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("- ", "")
        .to_lowercase()
}

#[test]
fn front_matter_is_tagged_as_what_it_is() {
    let book_dir = repo().join("tests/fixtures/full");
    let out = tempfile::tempdir().expect("temp dir");
    let pdf = common::build_edition("pdf", &book_dir, out.path());
    let Some(dump) = structure(&pdf) else {
        return;
    };
    let book = bindery::load::load_book(&book_dir)
        .book
        .expect("the book loads");
    let front = bindery::front::front_matter(&book.config);
    let marked = marked_text(&dump);
    let document = dump["tree"]
        .as_array()
        .and_then(|t| t.first())
        .filter(|d| role(d) == "/Document")
        .expect("a Document root");
    let tops = kids(document);
    // The front matter: the top-level elements before the contents.
    let before_contents: Vec<&Value> = tops
        .iter()
        .take_while(|e| role(e) != "/TOC" && role(e) != "/Sect")
        .filter(|e| role(e) != "/H1")
        .collect();
    let got: Vec<(String, String)> = before_contents
        .iter()
        .map(|e| (role(e).to_string(), loose(&text_of(e, &marked))))
        .collect();
    let page = &front.title_page;
    let mut want = vec![("/P".to_string(), loose(&front.half_title))];
    want.push(("/Title".to_string(), loose(&page.title)));
    want.extend(page.subtitle.iter().map(|s| ("/P".to_string(), loose(s))));
    want.extend(page.authors.iter().map(|a| ("/P".to_string(), loose(a))));
    want.extend(page.series.iter().map(|s| ("/P".to_string(), loose(s))));
    want.extend(page.publisher.iter().map(|s| ("/P".to_string(), loose(s))));
    want.extend(
        front
            .copyright
            .lines
            .iter()
            .map(|l| ("/P".to_string(), loose(l))),
    );
    assert_eq!(got, want);
    assert_eq!(page.authors.len(), 2, "the fixture has two authors");
}

/// The paragraphs and headings of a fixture's only article, as written (heading marks off).
fn written_blocks(book: &Path) -> Vec<String> {
    let dir = book.join("manuscript");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("manuscript dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(f)
                .expect("article")
                .split("\n\n")
                .map(|b| b.trim().trim_start_matches('#').trim().to_string())
                .filter(|b| !b.is_empty())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Text with its whitespace removed: word spaces are gaps on the page, not characters, so
/// only whitespace is normalised away.
fn unspaced(text: &str) -> String {
    text.split_whitespace().collect()
}

/// Right-to-left text is read in logical order: the tag tree (what a screen reader follows,
/// glyphs in content-stream order) gives each paragraph and heading exactly as written, and so
/// does PyMuPDF's text extraction, page by page; krilla's PDF/UA-1 and PDF/A-2 validation (the
/// build) and `pdfua check` pass.
#[test]
fn right_to_left_text_reads_in_logical_order() {
    for fixture in ["lang-ar", "lang-he"] {
        let book = repo().join("tests/fixtures").join(fixture);
        let out = tempfile::tempdir().expect("temp dir");
        let pdf = common::build_edition("pdf", &book, out.path());
        let Some(dump) = structure(&pdf) else {
            return;
        };
        let marked = marked_text(&dump);
        let tagged: Vec<String> = elements(&dump)
            .iter()
            .filter(|e| role(e) == "/P" || role(e).starts_with("/H"))
            .map(|e| unspaced(&text_of(e, &marked)))
            .collect();
        for block in written_blocks(&book) {
            assert!(
                tagged.contains(&unspaced(&block)),
                "{fixture}: no tagged element reads `{block}`; the body's elements read:\n{}",
                tagged.join("\n")
            );
        }
        if let Some(python) = common::tool("python3") {
            let text = common::run(
                &python,
                &[
                    "-c",
                    "import sys\ntry:\n import pymupdf\nexcept ImportError:\n import fitz as pymupdf\n\
                     print(''.join(p.get_text() for p in pymupdf.open(sys.argv[1])))",
                    pdf.to_str().expect("utf-8 path"),
                ],
            );
            for block in written_blocks(&book) {
                assert!(
                    unspaced(&text).contains(&unspaced(&block)),
                    "{fixture}: PyMuPDF does not read `{block}`:\n{text}"
                );
            }
        }
        pdfua_finds_nothing(&pdf, fixture);
    }
}
