//! Articles written for a blog (`tests/fixtures/blog`: three posts with Jekyll's YAML and Hugo's
//! TOML front matter, a Hugo figure shortcode, Jekyll's include figure, Liquid and Hugo tags,
//! files named by date): both editions take their titles, subtitles and bylines from the front
//! matter and print none of its keys nor any template tag.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use bindery::typeset::frame::{Item, StructRole};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/blog")
}

/// The entries of the EPUB at `path` whose names end in `.xhtml`, by name.
fn xhtml_files(path: &Path) -> Vec<(String, String)> {
    let mut out = common::epub_texts(path);
    out.retain(|(name, _)| name.ends_with(".xhtml"));
    out.sort();
    out
}

fn entry<'a>(files: &'a [(String, String)], name: &str) -> &'a str {
    files
        .iter()
        .find(|(n, _)| n.ends_with(name))
        .map(|(_, t)| t.as_str())
        .unwrap_or_else(|| panic!("no {name} in the EPUB"))
}

/// What blog engines keep in front matter and templates; none of it may reach a reader.
const NEVER_PRINTED: [&str; 12] = [
    "layout",
    "permalink",
    "categories",
    "post",
    "draft",
    "+++",
    "---",
    "youtube",
    "w7Ft2ymGmfc",
    "notice",
    "comment",
    "check the date",
];

const TITLES: [&str; 3] = [
    "The Last Days of the Ferry",
    "A Morning at the Fish Market",
    "Mending Nets in Winter",
];

#[test]
fn the_epub_takes_titles_and_bylines_from_the_front_matter_and_prints_no_metadata() {
    let out = tempfile::tempdir().expect("temp dir");
    let epub = common::build_edition("epub", &fixture(), out.path());
    let files = xhtml_files(&epub);

    // The contents, in date order, with the front matter's titles.
    let nav = entry(&files, "nav.xhtml");
    let at: Vec<usize> = TITLES
        .iter()
        .map(|t| {
            nav.find(t)
                .unwrap_or_else(|| panic!("{t} in the nav:\n{nav}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "date order: {at:?}");

    let ferry = entry(&files, "ch-2021-04-17-last-days.xhtml");
    assert!(
        ferry.contains(
            "<h1>The Last Days of the Ferry</h1>\n\
             <p class=\"subtitle\" role=\"doc-subtitle\">How the old crossing ended</p>\n\
             <p class=\"byline\">Mira Okafor · 17 April 2021</p>\n"
        ),
        "{ferry}"
    );
    assert!(ferry.contains("<title>The Last Days of the Ferry</title>"));
    // Jekyll's include figure is a figure with its caption.
    assert!(
        ferry.contains(
            "<figure class=\"image\" id=\"figure-1\"><img src=\"images/harbour.png\" alt=\"The \
             harbour at low tide\"/><figcaption><span class=\"figure-number\">Figure\u{a0}1.</span> \
             The harbour at low tide, a week before the last \
             crossing.</figcaption></figure>"
        ),
        "{ferry}"
    );
    // The comment went with its body; the text on either side of it stayed.
    assert!(ferry.contains("The pier was closed the next day. "));
    assert!(ferry.contains("The timetable\nstayed in its frame"));

    let market = entry(&files, "ch-2021-04-18-the-market.xhtml");
    assert!(
        market.contains("<h1>A Morning at the Fish Market</h1>"),
        "{market}"
    );
    assert!(
        market.contains("<p class=\"byline\">Mira Okafor and Jonas Weber · 18 April 2021</p>"),
        "{market}"
    );
    assert!(
        market.contains(
            "<figure class=\"image\" id=\"figure-2\"><img src=\"images/field.jpg\" alt=\"Fish \
             stalls under lamps\"/><figcaption><span class=\"figure-number\">Figure\u{a0}2.</span> \
             The stalls at first light.</figcaption></figure>"
        ),
        "{market}"
    );

    let nets = entry(&files, "ch-2021-05-02-winter-nets.xhtml");
    // A paired shortcode's content stays, as a paragraph of its own.
    assert!(
        nets.contains("<p>Most of the menders are retired fishermen.</p>"),
        "{nets}"
    );
    // Tags in code are code.
    assert!(nets.contains("<code>{% if knot %}</code>"), "{nets}");
    assert!(nets.contains("{% for net in nets %}{{ net.name }}{% endfor %}</code></pre>"));

    for (name, text) in &files {
        let body = text.split("<body").nth(1).unwrap_or("");
        for word in NEVER_PRINTED {
            assert!(!body.contains(word), "{name} prints {word:?}:\n{body}");
        }
        let outside_code = body
            .split("<code")
            .map(|part| part.split_once("</code>").map_or(part, |(_, after)| after))
            .collect::<String>();
        for tag in ["{%", "%}", "{{<", ">}}", "{{%"] {
            assert!(
                !outside_code.contains(tag),
                "{name} prints {tag:?} outside code"
            );
        }
    }
}

#[test]
fn the_pdf_takes_titles_and_bylines_from_the_front_matter_and_prints_no_metadata() {
    let Some(pdftotext) = common::tool("pdftotext") else {
        return;
    };
    let out = tempfile::tempdir().expect("temp dir");
    let pdf = common::build_edition("pdf", &fixture(), out.path());
    let text = common::run(&pdftotext, &[pdf.to_str().expect("a path"), "-"]);
    let text = text.replace('\u{ad}', "");
    // The contents, then each chapter opening: title, subtitle and byline.
    let contents = text.find("Contents").expect("a contents page");
    let mut at = contents;
    for title in TITLES {
        at += text[at..]
            .find(title)
            .unwrap_or_else(|| panic!("{title} after the contents:\n{text}"));
    }
    for opening in [
        "The Last Days of the Ferry\nHow the old crossing ended\nMira Okafor · 17 April 2021\n",
        "A Morning at the Fish Market\nMira Okafor and Jonas Weber · 18 April 2021\n",
        "Mending Nets in Winter\nMira Okafor · 2 May 2021\n",
    ] {
        assert!(text.contains(opening), "{opening:?} in:\n{text}");
    }
    assert!(
        text.contains("The stalls at first light."),
        "the caption is printed"
    );
    assert!(text.contains("Most of the menders are retired fishermen."));
    let code = "{% if knot %}";
    assert!(text.contains(code), "the code span stays");
    let without_code = text
        .replace(code, "")
        .replace("{% for net in nets %}{{ net.name }}{% endfor %}", "");
    for word in NEVER_PRINTED {
        assert!(
            !without_code.contains(word),
            "the PDF prints {word:?}:\n{text}"
        );
    }
    for tag in ["{%", "%}", "{{<", ">}}", "{{%"] {
        assert!(
            !without_code.contains(tag),
            "the PDF prints {tag:?}:\n{text}"
        );
    }
}

/// The front-matter title is the chapter's bookmark and a level-1 heading of the tagged PDF,
/// set at the top of the chapter's first page.
#[test]
fn the_front_matter_title_is_a_heading_and_a_bookmark_in_print() {
    let pipeline = bindery::pipeline::Pipeline::load(&fixture());
    let typeset = pipeline.typeset(None, 1).expect("the book lays out");
    let document = &typeset.document;
    let titles: Vec<&str> = document
        .outline
        .iter()
        .map(|entry| entry.title.as_str())
        .collect();
    assert_eq!(
        titles[titles.len() - 3..],
        TITLES,
        "the bookmarks {titles:?}"
    );
    let headings: Vec<(u8, &str)> = document
        .structure
        .nodes
        .iter()
        .filter_map(|n| match &n.role {
            StructRole::Heading { level, title } => Some((*level, title.as_str())),
            _ => None,
        })
        .collect();
    for title in TITLES {
        assert!(
            headings.contains(&(1, title)),
            "{title} is an H1: {headings:?}"
        );
    }
    let ferry = document.outline[titles.len() - 3].page;
    let page_text: String = document.pages[ferry]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs(run) => Some(run.text.replace(' ', "")),
            _ => None,
        })
        .collect();
    assert!(
        page_text.starts_with("TheLastDaysoftheFerryHowtheoldcrossingendedMiraOkafor·17April2021"),
        "the opening page begins with title, subtitle and byline: {page_text}"
    );
}

/// The book's warnings are the template tags it dropped, each located, and nothing about
/// headings (the front matter gave every title). The empty `{% raw %}{% endraw %}` of
/// winter-nets.md, line 7, is not among them: a raw block is its text as written, here none.
#[test]
fn the_dropped_tags_are_the_only_warnings() {
    let output = Command::new(env!("CARGO_BIN_EXE_bindery"))
        .args(["check", "--book"])
        .arg(fixture())
        .output()
        .expect("run bindery");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let found: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning[") || l.starts_with("error[") || l.starts_with("note["))
        .collect();
    assert_eq!(found.len(), 4, "{stderr}");
    assert!(
        found.iter().all(|l| l.starts_with("warning[W0702]")),
        "{stderr}"
    );
    for place in [
        "manuscript/2021-04-17-last-days.md:39:35",
        "manuscript/2021-04-18-the-market.md:17:1",
        "manuscript/2021-05-02-winter-nets.md:11:1",
        "manuscript/2021-05-02-winter-nets.md:13:1",
    ] {
        assert!(
            stderr.contains(&format!("--> {place}\n")),
            "{place} in:\n{stderr}"
        );
    }
}
