//! The lists of figures and of tables (`contents: { figures: true, tables: true }`, issue 11)
//! on `tests/fixtures/figures`, in both editions: in print, each entry's text and page number
//! (read back with `pdftotext`, page by page) against the page where its caption landed, its
//! link's target page (PyMuPDF) and its tags (one TOC of TOCIs per list); in the EPUB, each
//! list page's links against the ids of the figures and tables they name, the spine and the
//! nav, and EPUBCheck; and that the option off changes neither edition by a byte.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The figures fixture with `extra` appended to its `book.yaml`, in a temporary folder.
fn figures_with(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    common::copy_dir(&fixture("figures"), dir.path());
    let yaml = dir.path().join("book.yaml");
    let text = std::fs::read_to_string(&yaml).expect("book.yaml");
    std::fs::write(&yaml, format!("{text}{extra}")).expect("book.yaml");
    dir
}

const LISTS_ON: &str = "contents:\n  figures: true\n  tables: true\n";

/// The fixture's numbered figures and tables, as a list shows them (name, caption).
const FIGURES: [(&str, &str); 5] = [
    ("Figure 1.1", "Three rivers, measured"),
    ("Figure 1.2", "Rows of young rice under a pale sky"),
    ("Figure 2.1", "The same chart, drawn again"),
    (
        "Figure 3.1",
        "A river valley seen from a ridge, from one end to the other",
    ),
    ("Figure 3.2", "A tower of stacked stones"),
];
const TABLES: [(&str, &str); 1] = [("Table 2.1", "Three rivers and their lengths")];

/// The PDF's text, page by page (`pdftotext`, form feeds between pages), spaces normalised.
fn pdf_pages(pdf: &Path) -> Option<Vec<String>> {
    let pdftotext = common::tool("pdftotext")?;
    let text = common::run(&pdftotext, &[pdf.to_str()?, "-"]);
    Some(
        text.split('\u{c}')
            .map(|p| {
                p.replace('\u{a0}', " ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect(),
    )
}

/// The PDF of the figures fixture with the lists on, and each page's printed label.
fn lists_pdf(book: &Path) -> (PathBuf, Vec<String>) {
    let mut pipeline = bindery::pipeline::Pipeline::load(book);
    assert!(!pipeline.check().iter().any(|d| d.is_error()));
    let typeset = pipeline.typeset(None, 1).expect("typesets");
    let labels = typeset
        .document
        .pages
        .iter()
        .map(|p| match p.label {
            bindery::typeset::frame::PageLabel::Arabic(n) => n.to_string(),
            bindery::typeset::frame::PageLabel::Roman(n) => bindery::typeset::page::roman(n),
        })
        .collect();
    let bytes = pipeline.pdf(typeset, None).expect("a PDF");
    let pdf = book.join("book.pdf");
    std::fs::write(&pdf, bytes).expect("written");
    (pdf, labels)
}

/// Each list entry reads "Figure 2.3 Caption . . . N" in the list's pages, where N is the
/// printed number of the body page whose text holds the caption "Figure 2.3. Caption"; the
/// lists stand after the contents, on roman-numbered pages, each opening on a recto.
#[test]
fn each_entry_names_the_page_its_caption_landed_on() {
    let book = figures_with(LISTS_ON);
    let (pdf, labels) = lists_pdf(book.path());
    let Some(pages) = pdf_pages(&pdf) else {
        return;
    };
    // A page that opens with a list's title and its first entry (the half title opens with
    // "Figures and References").
    let titled = |title: &str, first: &str| {
        pages
            .iter()
            .position(|p| p.starts_with(&format!("{title} {first}")))
            .unwrap_or_else(|| panic!("no page opens with `{title} {first}`: {pages:#?}"))
    };
    let (contents, figures, tables) = (
        titled("Contents", "Maps"),
        titled("List of Figures", FIGURES[0].0),
        titled("List of Tables", TABLES[0].0),
    );
    assert!(
        contents < figures && figures < tables,
        "{contents} {figures} {tables}"
    );
    assert_eq!(
        (figures % 2, tables % 2),
        (0, 0),
        "each list opens on a recto"
    );
    let body = labels
        .iter()
        .position(|l| l == "1")
        .expect("a first body page");
    assert!(tables < body);
    for (at, label) in labels.iter().enumerate().take(body) {
        assert!(
            label.chars().all(|c| "ivxlc".contains(c)),
            "page {at} is {label}"
        );
    }
    // The roman folio of the list's first page is printed at its foot.
    assert!(
        pages[figures].ends_with(&format!(" {}", labels[figures])),
        "{}",
        pages[figures]
    );
    let caption_page = |name: &str, caption: &str| -> String {
        let found: Vec<usize> = (body..pages.len())
            .filter(|&k| pages[k].contains(&format!("{name}. {caption}")))
            .collect();
        assert_eq!(found.len(), 1, "the caption of {name} on pages {found:?}");
        labels[found[0]].clone()
    };
    // The entries, read with `pdftotext -layout` (its plain mode reads the label column as a
    // column of its own): an entry is a line that begins with a name and the lines after it
    // that do not.
    let pdftotext = common::tool("pdftotext").expect("found above");
    let mut checked = 0;
    for (list_page, entries) in [(figures, &FIGURES[..]), (tables, &TABLES[..])] {
        let page = (list_page + 1).to_string();
        let layout = common::run(
            &pdftotext,
            &[
                "-layout",
                "-f",
                &page,
                "-l",
                &page,
                pdf.to_str().expect("utf-8"),
                "-",
            ],
        );
        let mut read: Vec<String> = Vec::new();
        for line in layout.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let line = line.replace('\u{a0}', " ");
            let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
            if line.starts_with("Figure ") || line.starts_with("Table ") {
                read.push(line);
            } else if let Some(last) = read.last_mut() {
                last.push(' ');
                last.push_str(&line);
            }
        }
        // The folio follows the last entry's lines.
        if let Some(last) = read.last_mut() {
            let folio = format!(" {}", labels[list_page]);
            assert!(last.ends_with(&folio), "{last}");
            last.truncate(last.len() - folio.len());
        }
        assert_eq!(read.len(), entries.len(), "{layout}");
        for (line, (name, caption)) in read.iter().zip(entries) {
            let entry = format!("{name} {caption}");
            let rest = line
                .strip_prefix(&entry)
                .unwrap_or_else(|| panic!("`{line}` is not `{entry}`"));
            let dots = rest.trim_end_matches(|c: char| c.is_ascii_digit());
            assert!(
                dots.len() > 10 && dots.chars().all(|c| c == ' ' || c == '.'),
                "no leaders in `{line}`"
            );
            assert_eq!(
                rest[dots.len()..],
                caption_page(name, caption),
                "`{line}` in the list"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 6);
    // The lists name only numbered (captioned) figures: the fixture's uncaptioned one is not
    // listed, and neither list holds an entry it should not.
    let figure_entries = pages[figures].matches("Figure ").count();
    assert_eq!(figure_entries, FIGURES.len(), "{}", pages[figures]);
}

/// Every link of a list page leads to the page where its figure's or table's caption is, and
/// the tags hold one TOC per list with a TOCI per entry after its heading.
#[test]
fn the_entries_link_to_their_figures_and_are_tagged() {
    let book = figures_with(LISTS_ON);
    let (pdf, _) = lists_pdf(book.path());
    let Some(pages) = pdf_pages(&pdf) else {
        return;
    };
    let Some(python) = common::tool("python3") else {
        return;
    };
    if !common::has_pymupdf(&python) {
        common::missing("PyMuPDF", "in python3");
        return;
    }
    // (page, target page, text under the link) of every internal link.
    let script = "import json, sys, pymupdf\n\
                  d = pymupdf.open(sys.argv[1])\n\
                  print(json.dumps([[i, l['page'], p.get_textbox(l['from'])] \
                  for i, p in enumerate(d) for l in p.get_links() if 'page' in l]))";
    let out = common::run(&python, &["-c", script, pdf.to_str().expect("utf-8")]);
    let links: Vec<(usize, usize, String)> = serde_json::from_str(&out).expect("JSON");
    let list_pages: Vec<usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.starts_with("List of Figures Figure ") || p.starts_with("List of Tables Table ")
        })
        .map(|(k, _)| k)
        .collect();
    let mut seen = Vec::new();
    for (name, caption) in FIGURES.iter().chain(&TABLES) {
        let caption_at = pages
            .iter()
            .rposition(|p| p.contains(&format!("{name}. {caption}")))
            .expect("the caption");
        let link = links
            .iter()
            .find(|(from, _, text)| {
                list_pages.contains(from) && text.replace('\u{a0}', " ").contains(name)
            })
            .unwrap_or_else(|| panic!("no link for {name} in the lists: {links:?}"));
        assert_eq!(link.1, caption_at, "{name}'s link: {link:?}");
        seen.push(*name);
    }
    assert_eq!(seen.len(), 6);

    // The tags: after the contents' TOC, a heading "List of Figures" then a TOC of five TOCIs, a
    // heading "List of Tables" then a TOC of one.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/pdf-structure.py");
    let has_pikepdf = Command::new(&python)
        .args(["-c", "import pikepdf"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_pikepdf {
        common::missing("pikepdf", "for python3");
        return;
    }
    let dump: serde_json::Value = serde_json::from_str(&common::run(
        &python,
        &[
            script.to_str().expect("utf-8"),
            pdf.to_str().expect("utf-8"),
        ],
    ))
    .expect("JSON");
    fn walk<'a>(e: &'a serde_json::Value, out: &mut Vec<&'a serde_json::Value>) {
        if e.get("role").is_some() {
            out.push(e);
        }
        for k in e["kids"].as_array().into_iter().flatten() {
            walk(k, out);
        }
    }
    let mut all = Vec::new();
    for e in dump["tree"].as_array().expect("a tree") {
        walk(e, &mut all);
    }
    let tocs: Vec<usize> = all
        .iter()
        .filter(|e| e["role"] == "/TOC")
        .map(|toc| {
            toc["kids"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|k| k["role"] == "/TOCI")
                .count()
        })
        .collect();
    assert_eq!(tocs.len(), 3, "the contents and two lists: {tocs:?}");
    assert_eq!(&tocs[1..], [FIGURES.len(), TABLES.len()]);
    let heading = |title: &str| {
        all.iter()
            .any(|e| e["role"] == "/H1" && e["title"].as_str() == Some(title))
    };
    assert!(heading("List of Figures") && heading("List of Tables"));
}

/// Each entry of the EPUB's list pages links to the file and id of its figure (a `<figure>`
/// whose caption is the entry's) or table (a `<table>` whose `<caption>` is); the pages are in
/// the spine after the contents and before the first chapter, in the nav's contents, and
/// EPUBCheck finds nothing.
#[test]
fn the_epub_lists_link_to_the_ids_of_their_figures_and_tables() {
    let book = figures_with(LISTS_ON);
    let out = tempfile::tempdir().expect("temp dir");
    let epub = common::build_edition("epub", book.path(), out.path());
    for (file, kind, element, entries) in [
        ("front_figures.xhtml", "loi", "figure", &FIGURES[..]),
        ("front_tables.xhtml", "lot", "table", &TABLES[..]),
    ] {
        let list = common::epub_entry(&epub, &format!("OEBPS/{file}"));
        assert!(
            list.contains(&format!(
                "<nav class=\"contents list\" epub:type=\"{kind}\""
            )),
            "{list}"
        );
        let links: Vec<(String, String)> = list
            .split("<li><a href=\"")
            .skip(1)
            .map(|rest| {
                let (href, after) = rest.split_once("\">").expect("an href");
                let (text, _) = after.split_once("</a>").expect("a closing tag");
                let text = text
                    .replace("<span class=\"list-label\">", "")
                    .replace("</span>", "")
                    .replace('\u{a0}', " ");
                (href.to_string(), text)
            })
            .collect();
        assert_eq!(links.len(), entries.len(), "{list}");
        for ((href, text), (name, caption)) in links.iter().zip(entries) {
            assert_eq!(text, &format!("{name} {caption}"));
            let (target, id) = href.split_once('#').expect("a fragment");
            let xhtml = common::epub_entry(&epub, &format!("OEBPS/{target}"));
            let open = format!("<{element} ");
            let at = xhtml
                .find(&format!(" id=\"{id}\""))
                .unwrap_or_else(|| panic!("no id {id} in {target}"));
            let start = xhtml[..at].rfind('<').expect("the element's tag");
            assert!(
                xhtml[start..].starts_with(&open),
                "{id} in {target} is not a <{element}>: {}",
                &xhtml[start..at + 40]
            );
            let end = xhtml[start..]
                .find(&format!("</{element}>"))
                .expect("its end");
            let inner = xhtml[start..start + end].replace('\u{a0}', " ");
            assert!(
                inner.contains(&format!("{name}.</span> {caption}")),
                "{href} holds no caption `{name}. {caption}`: {inner}"
            );
        }
    }
    let opf = common::epub_entry(&epub, "OEBPS/content.opf");
    let spine: Vec<&str> = opf
        .split("<itemref idref=\"")
        .skip(1)
        .map(|r| r.split('"').next().unwrap_or(""))
        .collect();
    let manifest_id = |file: &str| -> String {
        let at = opf
            .find(&format!("href=\"{file}\""))
            .unwrap_or_else(|| panic!("{file} in the manifest"));
        let item = &opf[opf[..at].rfind("<item").expect("its item")..];
        let id = item.split("id=\"").nth(1).expect("an id");
        id.split('"').next().expect("an id").to_string()
    };
    let order: Vec<usize> = [
        "front_contents.xhtml",
        "front_figures.xhtml",
        "front_tables.xhtml",
        "ch-01-maps.xhtml",
    ]
    .iter()
    .map(|f| {
        let id = manifest_id(f);
        spine
            .iter()
            .position(|s| *s == id)
            .unwrap_or_else(|| panic!("{f} not in the spine {spine:?}"))
    })
    .collect();
    assert_eq!(
        order,
        [order[0], order[0] + 1, order[0] + 2, order[0] + 3],
        "{spine:?}"
    );
    let nav = common::epub_entry(&epub, "OEBPS/nav.xhtml");
    assert!(
        nav.contains("<a href=\"front_figures.xhtml\">List of Figures</a>"),
        "{nav}"
    );
    assert!(
        nav.contains("<a href=\"front_tables.xhtml\">List of Tables</a>"),
        "{nav}"
    );

    let (Some(java), Some(jar)) = (common::tool("java"), common::epubcheck_jar()) else {
        if common::tools_required() {
            panic!("EPUBCheck is required");
        }
        return;
    };
    let report = common::epubcheck_reports(&java, &jar, &[epub], 1)
        .pop()
        .expect("a report");
    assert!(
        report.success && report.text.contains("0 fatals / 0 errors / 0 warnings"),
        "{}",
        report.text
    );
}

/// With the lists off (the option absent, or both `false`), and with the option on for a book
/// that has no numbered figure or table, both editions are byte for byte what they were.
#[test]
fn lists_off_or_empty_change_nothing() {
    let build = |book: &Path| -> (Vec<u8>, Vec<u8>) {
        let out = tempfile::tempdir().expect("temp dir");
        let pdf = common::build_edition("pdf", book, out.path());
        let epub = common::build_edition("epub", book, out.path());
        (
            std::fs::read(pdf).expect("pdf"),
            std::fs::read(epub).expect("epub"),
        )
    };
    let plain = build(&fixture("figures"));
    let off = figures_with("contents:\n  figures: false\n  tables: false\n");
    assert!(
        build(off.path()) == plain,
        "`false` changed the figures book"
    );
    let on = figures_with(LISTS_ON);
    assert!(build(on.path()) != plain, "the lists changed nothing");

    // The real book (this repository's) has no numbered figure or table: asking for the lists
    // adds no empty page to either edition.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let real = tempfile::tempdir().expect("temp dir");
    for part in ["book.yaml", "manuscript", "covers"] {
        let from = repo.join(part);
        if from.is_dir() {
            common::copy_dir(&from, &real.path().join(part));
        } else if from.is_file() {
            std::fs::copy(&from, real.path().join(part)).expect("copy");
        }
    }
    let before = build(real.path());
    let yaml = real.path().join("book.yaml");
    let text = std::fs::read_to_string(&yaml).expect("book.yaml");
    std::fs::write(&yaml, format!("{text}\n{LISTS_ON}")).expect("book.yaml");
    assert!(
        build(real.path()) == before,
        "empty lists changed the real book"
    );
}

/// In a right-to-left book a list reads from the right: the label ("الشكل 1", its name right of
/// its number) at the right edge of the text block, the caption left of it, the page number at
/// the left edge (PyMuPDF's span boxes on the list's page).
#[test]
fn a_right_to_left_list_reads_from_the_right() {
    let dir = tempfile::tempdir().expect("temp dir");
    let png = std::fs::read(fixture("full").join("images/diagram.png")).expect("the diagram");
    let text = "# نهر\n\nيجري النهر من الجبال إلى البحر، ويمر بالقرى والحقول في طريقه.\n\n\
                ![مخطط الأنهار](d.png \"ثلاثة أنهار\")\n\nنص بعد الشكل.\n";
    common::write_book(
        dir.path(),
        "title: كتاب\nauthor: كاتب\nlanguage: ar\ncover: cover.png\ncontents:\n  figures: true\n",
        &[
            ("manuscript/01.md", text.as_bytes()),
            ("manuscript/d.png", png.as_slice()),
        ],
    );
    let (pdf, _) = lists_pdf(dir.path());
    let Some(python) = common::tool("python3") else {
        return;
    };
    if !common::has_pymupdf(&python) {
        common::missing("PyMuPDF", "in python3");
        return;
    }
    // Every span of the page titled "قائمة الأشكال" (List of Figures): [x0, x1, text].
    let script = "import json, sys, pymupdf\n\
                  d = pymupdf.open(sys.argv[1])\n\
                  page = next(p for p in d if p.get_text().split('\\n')[0].strip() == 'قائمة الأشكال')\n\
                  print(json.dumps([[s['bbox'][0], s['bbox'][2], s['text'].strip()] \
                  for b in page.get_text('dict')['blocks'] for l in b.get('lines', []) \
                  for s in l['spans'] if s['text'].strip().strip('.')]))";
    let out = common::run(&python, &["-c", script, pdf.to_str().expect("utf-8")]);
    let spans: Vec<(f32, f32, String)> = serde_json::from_str(&out).expect("JSON");
    let find = |text: &str| {
        spans
            .iter()
            .find(|(_, _, t)| t == text)
            .unwrap_or_else(|| panic!("no span `{text}` in {spans:?}"))
    };
    let (name, caption) = (find("الشكل"), find("ثلاثة أنهار"));
    // The text block's edges on this page: its title is centred, its entry fills it.
    let left = spans.iter().map(|s| s.0).fold(f32::MAX, f32::min);
    let right = spans.iter().map(|s| s.1).fold(f32::MIN, f32::max);
    assert!(
        (right - left - 324.0).abs() < 0.5,
        "a 324 pt measure: {spans:?}"
    );
    let digits: Vec<&(f32, f32, String)> = spans
        .iter()
        .filter(|(_, _, t)| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()))
        .collect();
    // The label's number is the digits right of the caption, the page number the leftmost.
    let number = digits
        .iter()
        .find(|d| d.0 > caption.1)
        .unwrap_or_else(|| panic!("no number in the label: {spans:?}"));
    let page = digits
        .iter()
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .expect("a page number");
    assert_eq!(number.2, "1");
    assert!(
        (name.1 - right).abs() < 0.5,
        "the name at the right edge: {spans:?}"
    );
    assert!(
        number.1 < name.0,
        "the number is left of the name: {spans:?}"
    );
    assert!(
        caption.1 < number.0,
        "the caption is left of the label: {spans:?}"
    );
    assert!(
        (page.0 - left).abs() < 0.5,
        "the page number at the left edge: {spans:?}"
    );
}

/// A list's title is the language's own title for it (babel's), not the plural of the
/// figure's name: a German book lists its figures under "Abbildungsverzeichnis" and its tables
/// under "Tabellenverzeichnis", in the PDF's pages (each list's page opens with its title and
/// first entry) and in the EPUB's list pages and nav.
#[test]
fn a_list_is_titled_in_the_books_language() {
    let dir = tempfile::tempdir().expect("temp dir");
    let png = std::fs::read(fixture("full").join("images/diagram.png")).expect("the diagram");
    let text = "# Flüsse\n\nDer Fluss fließt aus den Bergen ins Meer.\n\n\
                ![Drei Flüsse](d.png \"Drei Flüsse, gemessen\")\n\n\
                | Fluss | Länge |\n|:--|--:|\n| Mekong | 4909 |\n\n\
                Table: Längen der Flüsse\n\nText nach der Tabelle.\n";
    common::write_book(
        dir.path(),
        "title: Flüsse\nauthor: Eine Autorin\nlanguage: de\ncover: cover.png\n\
         contents:\n  figures: true\n  tables: true\n",
        &[
            ("manuscript/01.md", text.as_bytes()),
            ("manuscript/d.png", png.as_slice()),
        ],
    );
    let out = tempfile::tempdir().expect("temp dir");
    let epub = common::build_edition("epub", dir.path(), out.path());
    let nav = common::epub_entry(&epub, "OEBPS/nav.xhtml");
    for (file, title) in [
        ("front_figures.xhtml", "Abbildungsverzeichnis"),
        ("front_tables.xhtml", "Tabellenverzeichnis"),
    ] {
        assert!(
            nav.contains(&format!("<a href=\"{file}\">{title}</a>")),
            "{nav}"
        );
        let page = common::epub_entry(&epub, &format!("OEBPS/{file}"));
        assert!(page.contains(&format!(">{title}</h1>")), "{page}");
    }
    let (pdf, _) = lists_pdf(dir.path());
    let Some(pages) = pdf_pages(&pdf) else {
        return;
    };
    for opening in [
        "Abbildungsverzeichnis Abbildung 1 Drei Flüsse, gemessen",
        "Tabellenverzeichnis Tabelle 1 Längen der Flüsse",
    ] {
        assert!(
            pages.iter().any(|p| p.starts_with(opening)),
            "no page opens with `{opening}`: {pages:#?}"
        );
    }
}
