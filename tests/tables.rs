//! Long tables in print, end to end: a generated table of 120 rows (four pages) built with the real
//! binary and read back with `pdftotext`, page by page: the header row on top of each continuation
//! page under the caption marked "(continued)", every row exactly once and in order; and the
//! layout's warning for a table too wide for the text block, located in the manuscript.

mod common;

use std::path::Path;
use std::process::Command;

/// Rows of the generated long table, as many as the issue asks for: at the default trim (a
/// chapter opening holds about 20 rows, a full page about 32) it spans four pages.
const ROWS: usize = 120;

/// A book of one chapter holding a table of [`ROWS`] rows with a caption.
fn long_table_book(dir: &Path) {
    std::fs::create_dir_all(dir.join("manuscript")).expect("mkdir");
    std::fs::write(
        dir.join("book.yaml"),
        "title: Long Table\nauthor: A\nlanguage: en\n",
    )
    .expect("book.yaml");
    let mut md = String::from(
        "# Stations\n\nTable: Rainfall by station {#tbl:rain}\n\n| No. | Station | Rainfall (mm) |\n|--:|---|--:|\n",
    );
    for i in 1..=ROWS {
        md.push_str(&format!("| {i} | Station number {i} | {} |\n", 100 + i * 7));
    }
    md.push_str("\nThe text goes on after the table.\n");
    std::fs::write(dir.join("manuscript/01-stations.md"), md).expect("md");
}

/// The text of page `page` (1-based) of `pdf`, in reading order.
fn page_text(pdftotext: &Path, pdf: &Path, page: usize) -> String {
    let out = Command::new(pdftotext)
        .args(["-layout", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The row numbers a page's text shows, in order: lines starting with a number followed by
/// "Station number".
fn rows_on(text: &str) -> Vec<usize> {
    text.lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let n = words.next()?.parse().ok()?;
            (words.next() == Some("Station") && words.next() == Some("number")).then_some(n)
        })
        .collect()
}

#[test]
fn a_long_table_repeats_its_header_under_a_continued_caption_on_each_page() {
    let Some(pdftotext) = common::tool("pdftotext") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    long_table_book(dir.path());
    let pdf = common::build_edition("pdf", dir.path(), &dir.path().join("out"));
    let pages = {
        let info = Command::new("pdfinfo").arg(&pdf).output().expect("pdfinfo");
        let text = String::from_utf8_lossy(&info.stdout).into_owned();
        text.lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse::<usize>().ok())
            .expect("a page count")
    };
    let mut seen = Vec::new();
    let mut table_pages = Vec::new();
    for page in 1..=pages {
        let text = page_text(&pdftotext, &pdf, page);
        let rows = rows_on(&text);
        if rows.is_empty() {
            continue;
        }
        table_pages.push(page);
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let caption = lines
            .iter()
            .position(|l| l.contains("Rainfall by station"))
            .unwrap_or_else(|| panic!("no caption on page {page}:\n{text}"));
        let header = lines
            .iter()
            .position(|l| {
                l.split_whitespace().collect::<Vec<_>>() == ["No.", "Station", "Rainfall", "(mm)"]
            })
            .unwrap_or_else(|| panic!("no header row on page {page}:\n{text}"));
        let first_row = lines
            .iter()
            .position(|l| l.contains("Station number"))
            .expect("a row");
        assert!(
            caption < header && header < first_row,
            "page {page}: caption, header and rows out of order:\n{text}"
        );
        let continued = lines[caption].contains("(continued)");
        assert_eq!(
            continued,
            table_pages.len() > 1,
            "page {page}: the caption says (continued) exactly on continuation pages: {}",
            lines[caption]
        );
        // The header sits at the top of a continuation page: only the running head and the
        // caption come before it.
        if table_pages.len() > 1 {
            assert!(
                header <= 2,
                "page {page}: the header is not at the top:\n{text}"
            );
        }
        seen.extend(rows);
    }
    assert!(
        table_pages.len() >= 3 && table_pages.windows(2).all(|p| p[1] == p[0] + 1),
        "the table spans at least three pages in a row: {table_pages:?}"
    );
    assert_eq!(
        seen,
        (1..=ROWS).collect::<Vec<_>>(),
        "every row exactly once, in order"
    );
}

#[test]
fn a_table_too_wide_is_reported_where_it_stands() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("manuscript")).expect("mkdir");
    // With a cover, so that the table is the book's only warning.
    std::fs::create_dir_all(root.join("covers")).expect("mkdir");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cover.png"),
        root.join("covers/cover.png"),
    )
    .expect("cover");
    std::fs::write(
        root.join("book.yaml"),
        "title: Wide\nauthor: A\nlanguage: en\ncover: covers/cover.png\n",
    )
    .expect("yaml");
    let head = "| Province | Population | Households | Agriculturalists | Fishermen | Schoolteachers | Administrators |";
    std::fs::write(
        root.join("manuscript/01-wide.md"),
        format!("# Wide\n\n{head}\n|---|--:|--:|--:|--:|--:|--:|\n| Kampong Chhnang | 525,932 | 112,006 | 412,300 | 12,050 | 80,112 | 1,204 |\n"),
    )
    .expect("md");
    let run = Command::new(env!("CARGO_BIN_EXE_bindery"))
        .args(["pdf", "--book"])
        .arg(root)
        .arg("--out")
        .arg(root.join("out"))
        .output()
        .expect("run bindery");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert_eq!(stderr.matches("warning[").count(), 1, "{stderr}");
    assert!(
        stderr.contains(
            "warning[W0906]: this table is too wide for the text block even one size smaller"
        ) && stderr.contains(" --> manuscript/01-wide.md:3:1")
            && stderr.contains("= help: bindery breaks the words of column 4 (“Agriculturalists”)"),
        "{stderr}"
    );
    // Under `--deny warnings` the PDF is not written.
    let denied = Command::new(env!("CARGO_BIN_EXE_bindery"))
        .args(["pdf", "--deny", "warnings", "--book"])
        .arg(root)
        .arg("--out")
        .arg(root.join("denied"))
        .output()
        .expect("run bindery");
    assert!(!denied.status.success());
    assert!(!root.join("denied/wide.pdf").exists());
}

/// The x of each number's decimal separator (or, for an integer, of the right edge of its last
/// digit) among the glyph runs of `doc` whose text is one of `cells`, by cell: computed here
/// from the glyphs' advances, apart from the typesetter's own reckoning.
fn separator_xs(
    doc: &bindery::typeset::frame::Document,
    cells: &[&str],
    sep: char,
) -> Vec<(String, f32)> {
    use bindery::typeset::frame::Item;
    let mut out = Vec::new();
    for page in &doc.pages {
        for item in &page.items {
            let Item::Glyphs(run) = item else { continue };
            if !cells.contains(&run.text.as_str()) {
                continue;
            }
            let mut pen = run.x;
            let mut at = None;
            let mut last_digit = None;
            for g in &run.glyphs {
                let cluster = &run.text[g.text.start as usize..g.text.end as usize];
                if cluster.starts_with(sep) && at.is_none() {
                    at = Some(pen);
                }
                pen += g.x_advance * run.scale_x;
                if cluster.chars().any(|c| c.is_ascii_digit()) {
                    last_digit = Some(pen);
                }
            }
            out.push((run.text.clone(), at.or(last_digit).expect("digits")));
        }
    }
    out
}

/// A book in `language` of one table whose second column holds `values`, aligned `align`
/// (a Markdown delimiter cell such as `--:`), typeset.
fn decimal_table(language: &str, align: &str, values: &[&str]) -> bindery::typeset::Typeset {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("manuscript")).expect("mkdir");
    std::fs::write(
        dir.path().join("book.yaml"),
        format!("title: Decimals\nauthor: A\nlanguage: {language}\n"),
    )
    .expect("book.yaml");
    let mut md = format!("# Decimals\n\n| Station | Rainfall |\n|:--|{align}|\n");
    for (k, v) in values.iter().enumerate() {
        md.push_str(&format!("| Station {k} | {v} |\n"));
    }
    std::fs::write(dir.path().join("manuscript/01-decimals.md"), md).expect("md");
    let pipeline = bindery::pipeline::Pipeline::load(dir.path());
    pipeline.typeset(None, 1).expect("typesets").clone()
}

#[test]
fn a_column_of_decimals_aligns_on_the_separator_in_the_books_language() {
    for (language, sep, values) in [
        ("en", '.', ["3.25", "12.5", "100", "0.125", "7"]),
        ("de", ',', ["3,25", "12,5", "100", "0,125", "7"]),
        ("fr", ',', ["3,25", "12,5", "100", "0,125", "7"]),
    ] {
        for align in ["--:", ":--", ":-:"] {
            let typeset = decimal_table(language, align, &values);
            let xs = separator_xs(&typeset.document, &values, sep);
            assert_eq!(xs.len(), values.len(), "{language} {align}: {xs:?}");
            let first = xs[0].1;
            for (cell, x) in &xs {
                assert!(
                    (x - first).abs() < 0.01,
                    "{language} {align}: `{cell}`'s separator at {x}, the first's at {first}"
                );
            }
        }
    }
    // The column as a whole keeps the Markdown's alignment: right-aligned numbers end
    // further right than left-aligned ones.
    let right = decimal_table("en", "--:", &["3.25", "12.5", "100"]);
    let left = decimal_table("en", ":--", &["3.25", "12.5", "100"]);
    let x = |t: &bindery::typeset::Typeset| separator_xs(&t.document, &["3.25"], '.')[0].1;
    assert!(
        x(&right) > x(&left) + 1.0,
        "{} against {}",
        x(&right),
        x(&left)
    );
}

/// In English, a comma groups digits: a column of "4,909" and "120" has no decimals and stays
/// right-aligned as integers, each number's last digit under the others'.
#[test]
fn integers_with_group_separators_align_on_their_last_digit() {
    let values = ["4,909", "120", "1,025,000"];
    let typeset = decimal_table("en", "--:", &values);
    let xs = separator_xs(&typeset.document, &values, '.');
    assert_eq!(xs.len(), 3);
    for (cell, x) in &xs {
        assert!((x - xs[0].1).abs() < 0.01, "`{cell}` ends at {x}");
    }
}
