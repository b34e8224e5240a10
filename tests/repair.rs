//! The repair policy, end to end: what used to stop a build is now a warning, and the edition
//! comes out repaired (links made plain or absolute, GitHub heading anchors answered, empty and
//! notes-only articles left out); `--deny warnings` holds back an edition on `build`, `epub` and
//! `pdf`; and a finding that concerns one edition never holds back the other.

mod common;

use std::path::{Path, PathBuf};

/// A book in a temporary folder: `book.yaml` (the three required keys plus `extra`) and the
/// given manuscript files, with the fixtures' shared cover so that W0506 stays out of the way.
fn book(extra: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let yaml =
        format!("title: Repairs\nauthors: [A. Writer]\nlanguage: en\ncover: cover.png\n{extra}");
    common::write_book(tmp.path(), &yaml, files);
    tmp
}

/// What one run of the binary printed, how it exited, and which files it wrote to `out/`.
struct Run {
    code: Option<i32>,
    stderr: String,
    written: Vec<String>,
}

fn bindery(root: &Path, args: &[&str]) -> Run {
    let out = root.join("out");
    let run = common::run_bindery(root, args, Some(&out));
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    written.sort();
    Run {
        code: run.code,
        stderr: run.stderr,
        written,
    }
}

/// `bindery check` on the book at `root` (it takes no `--out`).
fn check(root: &Path, args: &[&str]) -> Run {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let run = common::run_bindery(root, &all, None);
    Run {
        code: run.code,
        stderr: run.stderr,
        written: Vec::new(),
    }
}

/// The XHTML of every chapter of the EPUB at `path`, in file-name order.
fn chapters(path: &Path) -> Vec<(String, String)> {
    let mut out = common::epub_texts(path);
    out.retain(|(name, _)| name.starts_with("OEBPS/ch-") && name.ends_with(".xhtml"));
    out.sort();
    out
}

fn epub_of(root: &Path) -> PathBuf {
    root.join("out/repairs.epub")
}

#[test]
fn links_outside_the_book_become_plain_text_with_a_warning() {
    let tmp = book(
        "",
        &[(
            "manuscript/01-readme.md",
            "# Readme\n\nSee [the licence](LICENSE-MIT), [the authors](./AUTHORS) and \
             [the docs](/docs/intro.md).\n",
        )],
    );
    let run = bindery(tmp.path(), &["epub"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    for target in ["LICENSE-MIT", "./AUTHORS", "/docs/intro.md"] {
        assert!(
            run.stderr.contains(&format!(
                "warning[W0400]: link target `{target}` is not in the book; the link is printed \
                 as plain text"
            )),
            "{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("--> "), "located: {}", run.stderr);
    let xhtml = &chapters(&epub_of(tmp.path()))[0].1;
    assert!(
        xhtml.contains("See the licence, the authors and the docs."),
        "{xhtml}"
    );
    assert!(!xhtml.contains("LICENSE"), "{xhtml}");
}

#[test]
fn with_a_base_url_links_outside_the_book_become_absolute() {
    let tmp = book(
        "links:\n  base_url: https://github.com/owner/repo/blob/main/\n",
        &[(
            "manuscript/01-readme.md",
            "# Readme\n\nSee [the licence](LICENSE-MIT) and [the site](/owner/site).\n",
        )],
    );
    let run = bindery(tmp.path(), &["epub"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning[W0400]: link target `LICENSE-MIT` is not in the book; it links to \
             `https://github.com/owner/repo/blob/main/LICENSE-MIT`"
        ),
        "{}",
        run.stderr
    );
    let xhtml = &chapters(&epub_of(tmp.path()))[0].1;
    assert!(
        xhtml.contains(
            r#"<a href="https://github.com/owner/repo/blob/main/LICENSE-MIT">the licence</a>"#
        ),
        "{xhtml}"
    );
    assert!(
        xhtml.contains(r#"<a href="https://github.com/owner/site">the site</a>"#),
        "{xhtml}"
    );
}

#[test]
fn a_base_url_that_is_not_a_web_address_is_an_error_in_book_yaml() {
    let tmp = book(
        "links:\n  base_url: ftp//nowhere\n",
        &[("manuscript/01-a.md", "# A\n")],
    );
    let run = bindery(tmp.path(), &["epub"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error[E0101]: `ftp//nowhere` is not an http(s) address"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("book.yaml:6:13"), "{}", run.stderr);
    assert!(run.written.is_empty());
}

#[test]
fn headings_answer_to_github_anchors() {
    let tmp = book(
        "",
        &[(
            "manuscript/01-readme.md",
            "# Readme\n\nJump to [floats](#optional-features-float) or \
             [the second](#usage-1).\n\n## Optional features (float)\n\nText.\n\n## Usage\n\n\
             One.\n\n## Usage\n\nTwo.\n",
        )],
    );
    let run = bindery(tmp.path(), &["epub"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!run.stderr.contains("W0400"), "{}", run.stderr);
    let xhtml = &chapters(&epub_of(tmp.path()))[0].1;
    assert!(
        xhtml.contains(r##"<a href="#optional-features-float">floats</a>"##),
        "{xhtml}"
    );
    // GitHub numbers the second `Usage` `usage-1`; bindery calls it `usage-2`.
    assert!(
        xhtml.contains(r##"<a href="#usage-2">the second</a>"##),
        "{xhtml}"
    );
    assert!(xhtml.contains(r#"id="usage-2""#), "{xhtml}");
}

#[test]
fn empty_and_notes_only_articles_are_left_out_with_a_warning() {
    let tmp = book(
        "",
        &[
            ("manuscript/01-a.md", "# First\n\nText.\n"),
            ("manuscript/02-empty.md", "\n  \n"),
            (
                "manuscript/03-notes.md",
                "[^a]: A note with nothing to hang on.\n",
            ),
            ("manuscript/04-b.md", "# Last\n\nMore.\n"),
        ],
    );
    let run = bindery(tmp.path(), &["epub"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning[W0203]: `manuscript/02-empty.md` is empty; it is left out of the book"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "warning[W0203]: `manuscript/03-notes.md` holds only footnote definitions; it is \
             left out of the book"
        ),
        "{}",
        run.stderr
    );
    let chapters = chapters(&epub_of(tmp.path()));
    assert_eq!(
        chapters.len(),
        2,
        "{:?}",
        chapters.iter().map(|c| &c.0).collect::<Vec<_>>()
    );
    assert!(chapters[0].1.contains("<h1"), "{}", chapters[0].1);
    assert!(chapters[1].1.contains("Last"), "{}", chapters[1].1);
}

#[test]
fn an_article_without_a_heading_is_called_chapter_n() {
    let tmp = book(
        "",
        &[("manuscript/2021-04-17-last-days.md", "Only text.\n")],
    );
    let run = bindery(tmp.path(), &["epub"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("warning[W0403]"), "{}", run.stderr);
    let nav = common::epub_entry(&epub_of(tmp.path()), "OEBPS/nav.xhtml");
    assert!(nav.contains(">Chapter 1</a>"), "{nav}");
}

#[test]
fn deny_warnings_holds_back_every_edition_command() {
    let files = [("manuscript/01-a.md", "# A\n\n### Too deep\n\nText.\n")];
    for cmd in ["epub", "pdf", "build"] {
        let tmp = book("", &files);
        let denied = bindery(tmp.path(), &[cmd, "--deny", "warnings"]);
        assert_eq!(denied.code, Some(1), "{cmd}: {}", denied.stderr);
        assert!(
            denied.stderr.contains("warning[W0402]"),
            "{cmd}: {}",
            denied.stderr
        );
        assert!(
            denied
                .stderr
                .contains("error: 1 warning(s) under `--deny warnings` found; nothing was written"),
            "{cmd}: {}",
            denied.stderr
        );
        assert!(
            denied.written.is_empty(),
            "{cmd} wrote {:?}",
            denied.written
        );
        let allowed = bindery(tmp.path(), &[cmd]);
        assert_eq!(allowed.code, Some(0), "{cmd}: {}", allowed.stderr);
        assert!(!allowed.written.is_empty(), "{cmd} wrote nothing");
    }
}

#[test]
fn a_glyph_no_print_font_has_concerns_only_the_pdf() {
    // U+0378 is unassigned: no font anywhere has it.
    let files = [("manuscript/01-a.md", "# A\n\nThe Hamiltonian \u{378}.\n")];
    let tmp = book("", &files);
    let epub = bindery(tmp.path(), &["epub", "--deny", "warnings"]);
    assert_eq!(epub.code, Some(0), "{}", epub.stderr);
    assert!(!epub.stderr.contains("W0600"), "{}", epub.stderr);
    assert_eq!(epub.written, ["repairs.epub"]);

    let pdf = bindery(tmp.path(), &["pdf", "--deny", "warnings"]);
    assert_eq!(pdf.code, Some(1), "{}", pdf.stderr);
    assert!(
        pdf.stderr
            .contains("warning[W0600]: no print font has a glyph for U+0378 \u{378}"),
        "{}",
        pdf.stderr
    );
    assert!(
        pdf.stderr.contains("manuscript/01-a.md:3:17"),
        "{}",
        pdf.stderr
    );
    // `check` speaks for every edition: the same finding, at the same place.
    let checked = check(tmp.path(), &[]);
    assert_eq!(checked.code, Some(0), "{}", checked.stderr);
    assert!(checked.stderr.contains(W0600_AT_3_17), "{}", checked.stderr);
    assert!(pdf.stderr.contains(W0600_AT_3_17), "{}", pdf.stderr);
    assert_eq!(check(tmp.path(), &["--deny", "warnings"]).code, Some(1));

    // `build` writes the edition the finding does not concern, and says which was held back.
    let tmp = book("", &files);
    let build = bindery(tmp.path(), &["build", "--deny", "warnings"]);
    assert_eq!(build.code, Some(1), "{}", build.stderr);
    assert!(
        build
            .stderr
            .contains("under `--deny warnings` found; the PDF was not written"),
        "{}",
        build.stderr
    );
    assert_eq!(build.written, ["repairs.epub"]);
}

/// W0600 for U+0378 at `manuscript/01-a.md:3:17`, as rendered.
const W0600_AT_3_17: &str = "warning[W0600]: no print font has a glyph for U+0378 \u{378}
 --> manuscript/01-a.md:3:17
  |
3 | The Hamiltonian \u{378}.
  |                 ^
";

/// W0505 (the cover is smaller than the stores ask) concerns only the EPUB: `pdf` neither shows
/// it nor is held back by it, and `epub` and `check` are.
#[test]
fn a_cover_too_small_for_the_stores_concerns_only_the_epub() {
    let tmp = book("", &[("manuscript/01-a.md", "# A\n\nText.\n")]);
    let small = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check-w0505-small-cover/cover.png");
    std::fs::copy(small, tmp.path().join("cover.png")).expect("cover copied");
    let w0505 = "warning[W0505]: the cover `cover.png` is 400×640 px, smaller than the \
                 recommended 1600×2560 px
 --> book.yaml:4:8
  |
4 | cover: cover.png
  |        ^^^^^^^^^
";

    let pdf = bindery(tmp.path(), &["pdf", "--deny", "warnings"]);
    assert_eq!(pdf.code, Some(0), "{}", pdf.stderr);
    assert!(!pdf.stderr.contains("W0505"), "{}", pdf.stderr);
    assert_eq!(pdf.written, ["repairs.pdf"]);

    let epub = bindery(tmp.path(), &["epub", "--deny", "warnings"]);
    assert_eq!(epub.code, Some(1), "{}", epub.stderr);
    assert!(epub.stderr.contains(w0505), "{}", epub.stderr);
    assert_eq!(epub.written, ["repairs.pdf"], "no EPUB written");

    let checked = check(tmp.path(), &["--deny", "warnings"]);
    assert_eq!(checked.code, Some(1), "{}", checked.stderr);
    assert!(checked.stderr.contains(w0505), "{}", checked.stderr);
}

/// The EPUB's lints load no print face, and checking the PDF afterwards adds only the findings
/// that concern the PDF alone (the others were reported once already).
#[test]
fn the_epub_alone_loads_no_print_font() {
    let tmp = book(
        "",
        &[(
            "manuscript/01-a.md",
            "# A\n\nThe Hamiltonian \u{378} and \"straight\" quotes.\n",
        )],
    );
    std::fs::write(
        tmp.path().join("book.yaml"),
        "title: Repairs\nauthors: [A. Writer]\nlanguage: en\ncover: cover.png\n\
         smart_punctuation: false\n",
    )
    .expect("book.yaml");
    let mut pipeline = bindery::pipeline::Pipeline::load(tmp.path());
    let codes = |p: &bindery::pipeline::Pipeline| -> Vec<String> {
        p.diagnostics().iter().map(|d| d.code.to_string()).collect()
    };
    pipeline.check_for(&[bindery::pipeline::Edition::Epub]);
    assert_eq!(codes(&pipeline), ["W0800"]);
    let epub = pipeline.epub(&bindery::epub::EpubOptions {
        source_date_epoch: Some(common::EPOCH.parse().expect("a number")),
    });
    assert!(epub.is_ok(), "{:?}", epub.err());
    assert_eq!(
        pipeline.print_font_loads(),
        0,
        "the EPUB loaded the print fonts"
    );
    assert_eq!(pipeline.typesettings(), 0);

    pipeline.check_for(&[bindery::pipeline::Edition::Pdf]);
    assert_eq!(pipeline.print_font_loads(), 1);
    assert_eq!(codes(&pipeline), ["W0600", "W0800"]);
    pipeline.check();
    assert_eq!(codes(&pipeline), ["W0600", "W0800"], "checked twice");
    assert_eq!(pipeline.print_font_loads(), 1);
}

#[test]
fn a_broken_print_font_does_not_hold_back_the_epub() {
    let tmp = book(
        "pdf:\n  fonts:\n    fallback: [fonts/broken.otf]\n",
        &[
            ("manuscript/01-a.md", "# A\n\nText.\n"),
            ("fonts/broken.otf", "not a font"),
        ],
    );
    let epub = bindery(tmp.path(), &["epub"]);
    assert_eq!(epub.code, Some(0), "{}", epub.stderr);
    assert_eq!(epub.written, ["repairs.epub"]);
    let pdf = bindery(tmp.path(), &["pdf"]);
    assert_eq!(pdf.code, Some(1), "{}", pdf.stderr);
    assert!(pdf.stderr.contains("error[E0602]"), "{}", pdf.stderr);
    assert_eq!(pdf.written, ["repairs.epub"], "no PDF written");
}

/// A blog's posts end in `.markdown` (a new Jekyll site's first post does), and GitHub renders
/// `.mkd` and `README.MD` as Markdown: each is an article, in name order, and a link from one to
/// another stays inside the book. A file of another kind is not read. A folder of Markdown files
/// inside `manuscript/` is named (W0210, once, located at the folder), and listing it as its help
/// says reads it.
#[test]
fn every_markdown_extension_is_an_article_and_an_unread_subfolder_is_named() {
    let tmp = book(
        "",
        &[
            (
                "manuscript/2024-01-02-welcome.markdown",
                "# Welcome\n\nFirst post; see [the next one](2024-02-03-second.mkd).\n",
            ),
            (
                "manuscript/2024-02-03-second.mkd",
                "# Second\n\nSecond post.\n",
            ),
            ("manuscript/2024-03-04-third.MD", "# Third\n\nThird post.\n"),
            ("manuscript/notes.txt", "# Not an article\n"),
            (
                "manuscript/drafts/2024-05-06-later.md",
                "# Later\n\nNot yet.\n",
            ),
        ],
    );
    let run = bindery(tmp.path(), &["epub"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stderr.matches("warning[").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning[W0210]: `manuscript/drafts/` holds a Markdown file that bindery does not \
             read: without `manuscript:` in book.yaml, only the files directly in `manuscript/` \
             are read\n --> manuscript/drafts/\n  = help: list the folders in reading order under \
             `manuscript:` in book.yaml, e.g. `manuscript: [\"manuscript/*\", \
             \"manuscript/drafts/*\"]`, or move the files into `manuscript/`\n"
        ),
        "{}",
        run.stderr
    );
    let h1 = |xhtml: &str| -> String {
        let at = xhtml.find("<h1").expect("a chapter heading");
        let text = &xhtml[at..];
        let start = text.find('>').expect("the tag ends") + 1;
        let end = text.find("</h1>").expect("the heading ends");
        text[start..end].to_string()
    };
    let read = chapters(&epub_of(tmp.path()));
    let titles: Vec<String> = read.iter().map(|(_, x)| h1(x)).collect();
    assert_eq!(titles, ["Welcome", "Second", "Third"], "{read:?}");
    let second = read[1].0.trim_start_matches("OEBPS/");
    assert!(
        read[0]
            .1
            .contains(&format!("<a href=\"{second}\">the next one</a>")),
        "{}",
        read[0].1
    );
    let all: String = read.iter().map(|(_, x)| x.as_str()).collect();
    assert!(
        !all.contains("Not an article") && !all.contains("Later"),
        "{all}"
    );

    // Listed as the help says, the folder is read after the others.
    let yaml = std::fs::read_to_string(tmp.path().join("book.yaml")).expect("book.yaml");
    std::fs::write(
        tmp.path().join("book.yaml"),
        format!("{yaml}manuscript: [\"manuscript/*\", \"manuscript/drafts/*\"]\n"),
    )
    .expect("book.yaml written");
    let run = bindery(tmp.path(), &["epub"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!run.stderr.contains("warning["), "{}", run.stderr);
    let read = chapters(&epub_of(tmp.path()));
    let titles: Vec<String> = read.iter().map(|(_, x)| h1(x)).collect();
    assert_eq!(titles, ["Welcome", "Second", "Third", "Later"], "{read:?}");
}

/// A Jekyll post's own tags become the Markdown that does what they did, with no warning:
/// `{% highlight %}` a code block in its language, `{% raw %}` its text as written (a tag in
/// it is shown, not run), `{% post_url %}` and `{% link %}` a link to the article of the book
/// they name. A `link` to a page that is not in the book is a link out of it: W0400, located,
/// and its text printed without a link (not a link to the chapter it stands in).
#[test]
fn jekyll_tags_become_code_blocks_literal_text_and_links_inside_the_book() {
    let tmp = book(
        "",
        &[
            (
                "manuscript/2024-01-02-welcome.markdown",
                "# Welcome\n\nInstall it:\n\n{% highlight shell %}\n$ gem install jekyll\n\
                 {% endhighlight %}\n\nShow a tag:\n\n{% raw %}\nWrite {% include note.html %} \
                 where the note goes.\n{% endraw %}\n",
            ),
            (
                "manuscript/2024-02-03-second.markdown",
                "# Second\n\nSee [the first post]({% post_url 2024-01-02-welcome %}), \
                 [it again]({% link _posts/2024-01-02-welcome.markdown %}), \
                 [its heading]({% link _posts/2024-01-02-welcome.markdown %}#welcome) and \
                 [the docs]({% link _docs/history.md %}).\n",
            ),
        ],
    );
    let run = bindery(tmp.path(), &["epub"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stderr.matches("warning[").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning[W0400]: link target `_docs/history.md` is not in the book; the link is \
             printed as plain text\n --> manuscript/2024-02-03-second.markdown:3:"
        ),
        "{}",
        run.stderr
    );
    let read = chapters(&epub_of(tmp.path()));
    let (first_file, first) = (&read[0].0, &read[0].1);
    assert!(
        first.contains("<pre><code class=\"language-shell\">$ gem install jekyll</code></pre>"),
        "{first}"
    );
    assert!(
        first.contains("<p>Write {% include note.html %} where the note goes.</p>"),
        "{first}"
    );
    assert!(
        !first.contains("highlight") && !first.contains("raw"),
        "{first}"
    );
    let first_file = first_file.trim_start_matches("OEBPS/");
    let second = &read[1].1;
    for text in ["the first post", "it again"] {
        assert!(
            second.contains(&format!("<a href=\"{first_file}\">{text}</a>")),
            "{second}"
        );
    }
    assert!(
        second.contains(&format!("<a href=\"{first_file}#welcome\">its heading</a>")),
        "{second}"
    );
    assert!(second.contains("</a> and the docs.</p>"), "{second}");
}

/// The chapters of the EPUB at `path` in reading order (the package's spine, front matter left
/// out): each file's name and its title, the text of its `<h1>`.
fn reading_order(path: &Path) -> Vec<(String, String)> {
    let opf = common::epub_entry(path, "OEBPS/content.opf");
    opf.split("<itemref idref=\"id_")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|name| !name.starts_with("front_") && *name != "nav.xhtml")
        .map(|name| {
            let x = common::epub_entry(path, &format!("OEBPS/{name}"));
            let at = x.find("<h1").expect("a chapter heading");
            let text = &x[at..];
            let title = &text[text.find('>').expect("tag") + 1..text.find("</h1>").expect("end")];
            (name.to_string(), title.to_string())
        })
        .collect()
}

/// An mdBook's (or GitBook's) `SUMMARY.md` gives the reading order: its chapters, in its
/// folders, in its order, with its names for files that have no title of their own; the summary
/// itself is no chapter. A draft, a part title and a file it leaves out are named where they
/// are written; a site's `x.html` and `index.html` link to the article they were built from.
/// A chapter whose file is missing is an error at its line in the summary, and nothing is
/// written.
#[test]
fn an_mdbook_summary_is_the_reading_order() {
    const SUMMARY: &str = "# Summary\n\n[Introduction](README.md)\n\n# Guide\n\n\
        - [Installing](guide/install.md)\n    - [On Linux](./guide/on%20linux.md)\n\
        - [Draft]()\n\n---\n\n[Credits](credits.md)\n";
    let tmp = book(
        "",
        &[
            ("manuscript/SUMMARY.md", SUMMARY),
            (
                "manuscript/README.md",
                "# Introduction\n\nSee [installing](guide/install.html).\n",
            ),
            ("manuscript/guide/install.md", "# Installing\n\nRun it.\n"),
            (
                "manuscript/guide/on linux.md",
                "Use the package; [back to the start](../index.html).\n",
            ),
            ("manuscript/credits.md", "# Credits\n\nThanks.\n"),
            ("manuscript/old.md", "# Old\n\nNot in the summary.\n"),
        ],
    );
    let run = bindery(tmp.path(), &["epub"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "warning[W0212]: part title `Guide` in `manuscript/SUMMARY.md` is not printed: bindery's \
         books have chapters, not parts\n --> manuscript/SUMMARY.md:5:1\n  |\n5 | # Guide\n  | \
         ^^^^^^^\n  |\n  = help: the chapters after it are read in order; to print the title, give \
         it a chapter of its own\n\n\
         note[N0209]: `Draft` is a draft chapter in `manuscript/SUMMARY.md` (a link without a \
         file); it is left out of the book\n --> manuscript/SUMMARY.md:9:3\n  |\n9 | - [Draft]()\n  \
         |   ^^^^^^^^^\n  |\n  = help: give the link a file, `[Draft](chapter.md)`, to publish it\n\n\
         warning[W0201]: `manuscript/old.md` is not listed in `manuscript/SUMMARY.md` and is \
         left out of the book\n --> manuscript/old.md\n  = help: add a link to it in \
         `manuscript/SUMMARY.md`, or move it out of `manuscript/`\n\n"
    );
    let epub = epub_of(tmp.path());
    let read = reading_order(&epub);
    assert_eq!(
        read,
        [
            ("readme.xhtml", "Introduction"),
            ("install.xhtml", "Installing"),
            ("on-linux.xhtml", "On Linux"),
            ("credits.xhtml", "Credits")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string())),
    );
    let readme = common::epub_entry(&epub, "OEBPS/readme.xhtml");
    assert!(
        readme.contains("<a href=\"install.xhtml\">installing</a>"),
        "{readme}"
    );
    let linux = common::epub_entry(&epub, "OEBPS/on-linux.xhtml");
    assert!(
        linux.contains("<a href=\"readme.xhtml\">back to the start</a>"),
        "{linux}"
    );

    // A chapter whose file is missing: an error at its link, and no edition.
    std::fs::write(
        tmp.path().join("manuscript/SUMMARY.md"),
        format!("{SUMMARY}- [Gone](gone.md)\n"),
    )
    .expect("summary written");
    std::fs::remove_dir_all(tmp.path().join("out")).expect("out removed");
    let run = bindery(tmp.path(), &["epub"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error[E0200]: `gone.md` in `manuscript/SUMMARY.md` does not exist\n  \
             --> manuscript/SUMMARY.md:14:3\n   |\n14 | - [Gone](gone.md)\n   |   \
             ^^^^^^^^^^^^^^^\n   |\n   = help: create `manuscript/gone.md`, fix the link, or \
             make the chapter a draft, `[Gone]()`\n"
        ),
        "{}",
        run.stderr
    );
    assert!(run.written.is_empty(), "{:?}", run.written);
}

/// An mdBook keeps its chapters in `src/`: `manuscript:` names the summary, which is read as
/// the files it lists; a file called `SUMMARY.md` that is prose stays an article.
#[test]
fn a_summary_named_under_manuscript_lists_the_files() {
    let tmp = book(
        "manuscript: [src/SUMMARY.md, notes/SUMMARY.md]\n",
        &[
            ("src/SUMMARY.md", "- [Two](two.md)\n- [One](one.md)\n"),
            ("src/one.md", "# One\n\nFirst.\n"),
            ("src/two.md", "# Two\n\nSecond.\n"),
            (
                "notes/SUMMARY.md",
                "# Summary\n\nIn short, [two](../src/two.md) comes before one.\n",
            ),
        ],
    );
    let run = bindery(tmp.path(), &["epub"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let read = reading_order(&epub_of(tmp.path()));
    let titles: Vec<&str> = read.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(titles, ["Two", "One", "Summary"], "{read:?}");
    let prose = common::epub_entry(&epub_of(tmp.path()), &format!("OEBPS/{}", read[2].0));
    assert!(prose.contains("In short"), "{prose}");
}

/// In an mdBook's chapter, mdBook's tags are replaced as mdBook replaces them: an include's
/// lines (inside a code block too), a playground's file as a Rust code block, an escaped tag
/// as text; a Rust block's hidden lines are left out. A finding after an include is still at
/// its line in the file as written, and an include that cannot be read is left out (W0213,
/// at the tag).
#[test]
fn an_mdbook_chapter_s_includes_are_its_text() {
    let tmp = book(
        "",
        &[
            ("manuscript/SUMMARY.md", "- [Code](code.md)\n"),
            (
                "manuscript/code.md",
                "# Code\n\n```rust\n{{#include src/lib.rs:adder}}\n```\n\n\
                 {{#playground src/main.rs editable}}\n\n\
                 Write `\\{{#include file.rs}}` to include a file. See [nothing](gone.md).\n\n\
                 {{#include src/missing.rs}}\n",
            ),
            (
                "manuscript/src/lib.rs",
                "// ANCHOR: adder\npub fn add(a: u32, b: u32) -> u32 {\n    a + b\n}\n\
                 // ANCHOR_END: adder\n",
            ),
            (
                "manuscript/src/main.rs",
                "# fn helper() {}\nfn main() {\n    println!(\"hi\");\n}\n",
            ),
        ],
    );
    let run = bindery(tmp.path(), &["epub"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // Both findings are at their lines in code.md as written (the include above the link
    // put three lines in for one, and the playground four).
    assert_eq!(
        run.stderr,
        "warning[W0400]: link target `gone.md` is not in the book; the link is printed as plain \
         text\n --> manuscript/code.md:9:54\n  |\n9 | Write `\\{{#include file.rs}}` to include a \
         file. See [nothing](gone.md).\n  |                                                      \
         ^^^^^^^^^^^^^^^^^^\n  |\n  = help: no article `manuscript/gone.md` in the book; \
         articles are: `manuscript/code.md`; or set `links: { base_url: … }` in book.yaml to \
         link outside the book\n\n\
         warning[W0213]: included file `src/missing.rs` does not exist; the tag is left out\n  --> manuscript/code.md:11:1\n   |\n11 | \
         {{#include src/missing.rs}}\n   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^\n   |\n   = help: fix the \
         path (it is relative to the chapter's file), or remove the tag\n\n"
    );
    let xhtml = common::epub_entry(&epub_of(tmp.path()), "OEBPS/code.xhtml");
    for expected in [
        "pub fn add(a: u32, b: u32) -&gt; u32 {\n    a + b\n}</code></pre>",
        "fn main() {\n    println!(\"hi\");\n}",
        "<code>{{#include file.rs}}</code> to include a file.",
    ] {
        assert!(xhtml.contains(expected), "`{expected}` not in:\n{xhtml}");
    }
    for absent in ["ANCHOR", "helper", "missing.rs", "{{#playground"] {
        assert!(!xhtml.contains(absent), "`{absent}` in:\n{xhtml}");
    }
}

/// An mdBook as `mdbook init` leaves it, with no book.yaml: book.toml's `[book]` gives the
/// title, authors and language, the folder its `src` names holds the SUMMARY.md that orders the
/// chapters (W0108 says so, at `[book]`, with the book.yaml to write). A book.yaml beside it
/// takes over; a book.toml with no title is an error that writes nothing.
#[test]
fn an_mdbook_without_book_yaml_is_read_from_its_book_toml() {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let files = [
        (
            "book.toml",
            "[book]\ntitle = \"Les \\\"marées\\\"\"\nauthors = [\"A. Writer\", \"B. Reader\"]\n\
             language = \"fr\"\nsrc = \"texte\"\n\n[output.html]\nmathjax-support = true\n",
        ),
        ("texte/SUMMARY.md", "- [Deux](deux.md)\n- [Un](un.md)\n"),
        ("texte/un.md", "# Un\n\nLa mer monte.\n"),
        ("texte/deux.md", "# Deux\n\nLa mer descend.\n"),
    ];
    for (path, text) in files {
        let path = tmp.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folders");
        std::fs::write(path, text).expect("written");
    }
    let run = bindery(tmp.path(), &["epub"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "warning[W0108]: there is no book.yaml: the book is read as mdBook reads it, \
             from book.toml's `[book]` and its SUMMARY.md\n --> book.toml:1:1\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "write book.yaml beside it: title: \"Les \\\"marées\\\"\"; authors: [\"A. Writer\", \
             \"B. Reader\"]; language: \"fr\"; manuscript: [\"texte/SUMMARY.md\"]"
        ),
        "{}",
        run.stderr
    );
    let epub = tmp.path().join("out").join(&run.written[0]);
    let titles: Vec<String> = reading_order(&epub).into_iter().map(|(_, t)| t).collect();
    assert_eq!(titles, ["Deux", "Un"]);
    let opf = common::epub_entry(&epub, "OEBPS/content.opf");
    for expected in [
        "<dc:language>fr</dc:language>",
        ">A. Writer</dc:creator>",
        ">B. Reader</dc:creator>",
        "<dc:title>Les \"marées\"</dc:title>",
    ] {
        assert!(opf.contains(expected), "{expected} in {opf}");
    }

    // A book.yaml takes over, and book.toml is not read.
    common::write_book(
        tmp.path(),
        "title: Repairs\nauthors: [A. Writer]\nlanguage: en\ncover: cover.png\nmanuscript: [texte/SUMMARY.md]\n",
        &[] as &[(&str, &str)],
    );
    let run = bindery(tmp.path(), &["epub"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stderr, "");

    // A book.toml with no title: an error, at the file, and nothing written.
    let tmp = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(tmp.path().join("book.toml"), "[book]\nauthors = [\"A\"]\n").expect("written");
    let run = bindery(tmp.path(), &["build"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.starts_with(
            "error[E0103]: there is no book.yaml, and mdBook's book.toml gives the book no title\n --> book.toml:1:1\n"
        ),
        "{}",
        run.stderr
    );
    assert!(run.written.is_empty(), "{:?}", run.written);
    // Nor with no authors (bindery's books have them), nor with TOML that does not parse, at
    // the place the parser stopped.
    std::fs::write(
        tmp.path().join("book.toml"),
        "# An mdBook\n[book]\ntitle = \"T\"\n",
    )
    .expect("written");
    let run = bindery(tmp.path(), &["build"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.starts_with(
            "error[E0103]: there is no book.yaml, and mdBook's book.toml names no authors\n --> book.toml:2:1\n"
        ),
        "{}",
        run.stderr
    );
    std::fs::write(tmp.path().join("book.toml"), "[book]\ntitle = \"T\n").expect("written");
    let run = bindery(tmp.path(), &["build"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.starts_with(
            "error[E0900]: there is no book.yaml, and mdBook's book.toml cannot be read: "
        ) && run.stderr.contains(" --> book.toml:2:"),
        "{}",
        run.stderr
    );
    assert!(run.written.is_empty(), "{:?}", run.written);
}
