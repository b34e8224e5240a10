//! Figure and table numbers, the book's labels and the text of cross-references, decided once
//! from the model (after loading) so that the EPUB, the PDF and every reference agree.
//!
//! A figure or table is numbered when it has a caption: "Figure 3" through the book or
//! "Figure 2.3" per chapter (`figures: { numbering: book|chapter }`), in the book's language.
//! Labels are pandoc-crossref's: `{#fig:map}` on an image, `{#tbl:rivers}` on a table's
//! caption, `{#sec:rain}` on a heading. A reference (`@fig:map`, `[@fig:a; @fig:b]`) reads
//! "Figure 2.3", "Figures 1 and 2" (pandoc-crossref's plural form, spelled out), or a
//! section's title (bindery does not number sections). An unknown label stays as written
//! (W0405); a label defined twice (W0406) and one never referred to (W0407) are reported.

use std::collections::HashSet;

use crate::config::FigureNumbering;
use crate::diag::{suggest, Code, Diagnostic};
use crate::locale::{self, Words};
use crate::markdown::CROSSREF_PREFIXES;
use crate::model::{
    each_inline_mut, Block, BlockKind, Book, InlineKind, LinkTarget, Listed, Numbered, Numbers,
    Target, TargetKind,
};

/// Numbers the book's figures and tables, collects its labels, and sets the text of every
/// cross-reference ([`Book::numbers`], [`crate::model::CrossRef::text`]). A reference to a
/// label the book does not define, or to a figure without a number, becomes text again.
pub fn number(book: &mut Book) -> Vec<Diagnostic> {
    // The words borrow the configuration while the chapters change: a copy of it.
    let config = book.config.clone();
    let words = config.words();
    let mut diags = Vec::new();
    let mut numbers = collect(book, &words, &mut diags);
    let used = resolve(book, &numbers, &words, &mut diags);
    list_table_captions(book, &mut numbers);
    let mut unused: Vec<(&String, &Target)> = numbers
        .labels
        .iter()
        .filter(|(label, _)| !used.contains(label.as_str()))
        .filter(|(label, _)| CROSSREF_PREFIXES.iter().any(|p| label.starts_with(p)))
        .collect();
    unused.sort_by_key(|(_, t)| (t.span.file, t.span.start));
    for (label, target) in unused {
        diags.push(
            Diagnostic::new(
                Code::W0407,
                format!("the label `{label}` is never referred to"),
            )
            .at_span(&book.sources, target.span)
            .with_help(format!(
                "refer to it with `@{label}` where the text mentions it, or remove the label"
            )),
        );
    }
    book.numbers = numbers;
    diags
}

/// The table list's captions as they read once references have their text (`collect` runs
/// before `resolve`): tables in reading order, as `collect` listed them.
fn list_table_captions(book: &Book, numbers: &mut Numbers) {
    let mut captions = Vec::with_capacity(numbers.table_list.len());
    for chapter in &book.chapters {
        chapter.each_block(&mut |block: &Block| {
            if let BlockKind::Table(t) = &block.kind {
                if numbers.tables.contains_key(&block.span) {
                    captions.push(crate::model::plain_text(&t.caption).trim().to_string());
                }
            }
        });
    }
    for (listed, caption) in numbers.table_list.iter_mut().zip(captions) {
        listed.caption = caption;
    }
}

/// The figure or table number `n` (1-based) of chapter `chapter` (0-based).
fn format_number(
    numbering: FigureNumbering,
    chapter: usize,
    in_chapter: usize,
    in_book: usize,
) -> String {
    match numbering {
        FigureNumbering::Book => in_book.to_string(),
        FigureNumbering::Chapter => format!("{}.{in_chapter}", chapter + 1),
    }
}

/// The numbers and labels of `book`, in reading order (each chapter's body, then its notes).
fn collect(book: &Book, words: &Words, diags: &mut Vec<Diagnostic>) -> Numbers {
    let numbering = book.config.figures.numbering;
    let mut numbers = Numbers::default();
    let (mut figures_in_book, mut tables_in_book) = (0, 0);
    // Every figure and table, numbered or not, for anchors of their own.
    let (mut all_figures, mut all_tables) = (0, 0);
    let mut define = |numbers: &mut Numbers, label: &str, target: Target| {
        if let Some(first) = numbers.labels.get(label) {
            let (line, _) = book.sources.get(first.span.file).line_col(first.span.start);
            diags.push(
                Diagnostic::new(Code::W0406, format!("the label `{label}` is defined twice"))
                    .at_span(&book.sources, target.span)
                    .with_help(format!(
                        "the first `{{#{label}}}` (line {line} of its file) is the one references \
                         go to; give this one a label of its own"
                    )),
            );
        } else {
            numbers.labels.insert(label.to_string(), target);
        }
    };
    for (c, chapter) in book.chapters.iter().enumerate() {
        let (mut figures, mut tables) = (0, 0);
        chapter.each_block(&mut |block: &Block| match &block.kind {
            BlockKind::Paragraph(inlines) => {
                let Some(figure) = book.figure(inlines) else {
                    return;
                };
                let numbered = (!figure.caption.is_empty()).then(|| {
                    figures += 1;
                    figures_in_book += 1;
                    words
                        .digits
                        .write(&format_number(numbering, c, figures, figures_in_book))
                });
                all_figures += 1;
                // A label defined twice (W0406) anchors only its first target; the second
                // gets an anchor of its own, or both editions would hold one id twice.
                let anchor = figure
                    .label
                    .filter(|l| !numbers.labels.contains_key(*l))
                    .map_or_else(|| format!("figure-{all_figures}"), str::to_string);
                let name = numbered.as_ref().map(|n| locale::numbered(words.figure, n));
                if let Some(name) = &name {
                    numbers.figures.insert(
                        figure.span,
                        Numbered {
                            name: name.clone(),
                            anchor: anchor.clone(),
                        },
                    );
                    numbers.figure_list.push(Listed {
                        chapter: c,
                        name: name.clone(),
                        caption: figure.caption.trim().to_string(),
                        anchor: anchor.clone(),
                    });
                }
                if let Some(label) = figure.label {
                    define(
                        &mut numbers,
                        label,
                        Target {
                            kind: TargetKind::Figure,
                            chapter: c,
                            anchor,
                            name,
                            number: numbered,
                            span: figure.span,
                        },
                    );
                }
            }
            BlockKind::Table(_) => {
                if let Some((caption_empty, label)) = table_caption(block) {
                    let numbered = (!caption_empty).then(|| {
                        tables += 1;
                        tables_in_book += 1;
                        words
                            .digits
                            .write(&format_number(numbering, c, tables, tables_in_book))
                    });
                    all_tables += 1;
                    let anchor = label
                        .filter(|l| !numbers.labels.contains_key(*l))
                        .map_or_else(|| format!("table-{all_tables}"), str::to_string);
                    let name = numbered.as_ref().map(|n| locale::numbered(words.table, n));
                    if let Some(name) = &name {
                        numbers.tables.insert(
                            block.span,
                            Numbered {
                                name: name.clone(),
                                anchor: anchor.clone(),
                            },
                        );
                        if let BlockKind::Table(t) = &block.kind {
                            numbers.table_list.push(Listed {
                                chapter: c,
                                name: name.clone(),
                                caption: crate::model::plain_text(&t.caption).trim().to_string(),
                                anchor: anchor.clone(),
                            });
                        }
                    }
                    if let Some(label) = label {
                        define(
                            &mut numbers,
                            label,
                            Target {
                                kind: TargetKind::Table,
                                chapter: c,
                                anchor,
                                name,
                                number: numbered,
                                span: block.span,
                            },
                        );
                    }
                }
            }
            BlockKind::Heading(h) if h.id.starts_with("sec:") => define(
                &mut numbers,
                &h.id,
                Target {
                    kind: TargetKind::Section,
                    chapter: c,
                    anchor: h.id.clone(),
                    name: Some(h.plain_text().trim().to_string()),
                    number: None,
                    span: h.span,
                },
            ),
            _ => {}
        });
    }
    numbers
}

/// A table's caption, as (whether it is empty, its label).
fn table_caption(block: &Block) -> Option<(bool, Option<&str>)> {
    match &block.kind {
        BlockKind::Table(t) => Some((
            crate::model::plain_text(&t.caption).trim().is_empty(),
            t.label.as_deref(),
        )),
        _ => None,
    }
}

/// Sets the text of every cross-reference; one that cannot be resolved becomes the text it was
/// written as, with a warning. Returns the labels referred to (links to `#label` count).
fn resolve(
    book: &mut Book,
    numbers: &Numbers,
    words: &Words,
    diags: &mut Vec<Diagnostic>,
) -> HashSet<String> {
    let mut used = HashSet::new();
    let mut known: Vec<&str> = numbers.labels.keys().map(String::as_str).collect();
    known.sort_unstable();
    let sources = &book.sources;
    for chapter in &mut book.chapters {
        let mut visit = |inline: &mut crate::model::Inline| {
            if let InlineKind::Link {
                target:
                    LinkTarget::Internal {
                        anchor: Some(anchor),
                        ..
                    },
                ..
            } = &inline.kind
            {
                used.insert(anchor.clone());
            }
            let InlineKind::CrossRef(r) = &mut inline.kind else {
                return;
            };
            let mut targets = Vec::with_capacity(r.labels.len());
            let mut problem = None;
            for label in &r.labels {
                used.insert(label.clone());
                match numbers.labels.get(label) {
                    Some(t) if t.name.is_some() => targets.push(t),
                    Some(_) => {
                        problem.get_or_insert_with(|| {
                            Diagnostic::new(
                                Code::W0405,
                                format!("`@{label}` refers to a figure or table without a number"),
                            )
                            .with_help(
                                "only a figure or table with a caption is numbered: give it one \
                                 (the image's title or its bracketed text); the reference is \
                                 printed as written until then",
                            )
                        });
                    }
                    None => {
                        let help = match suggest(label, &known) {
                            Some(close) => format!(
                                "did you mean `@{close}`? The reference is printed as written \
                                 until its label exists"
                            ),
                            None => format!(
                                "label the figure, table or heading with `{{#{label}}}`, or \
                                 correct the reference; it is printed as written until then"
                            ),
                        };
                        problem.get_or_insert_with(|| {
                            Diagnostic::new(
                                Code::W0405,
                                format!("`@{label}` refers to a label the book does not define"),
                            )
                            .with_help(help)
                        });
                    }
                }
            }
            match problem {
                Some(d) => {
                    diags.push(d.at_span(sources, inline.span));
                    inline.kind = InlineKind::Text(std::mem::take(&mut r.text));
                }
                None => r.text = reference_text(&targets, words),
            }
        };
        each_inline_mut(&mut chapter.blocks, &mut visit);
        for note in &mut chapter.footnotes {
            each_inline_mut(&mut note.blocks, &mut visit);
        }
    }
    used
}

/// What a reference to `targets` reads: "Figure 2.3"; "Figures 1, 2 and 4" for several of one
/// kind; "Figure 1 and Table 2" across kinds; sections by their titles.
pub fn reference_text(targets: &[&Target], words: &Words) -> String {
    let mut groups: Vec<Vec<&Target>> = Vec::new();
    for t in targets {
        match groups.last_mut() {
            Some(g) if g[0].kind == t.kind => g.push(t),
            _ => groups.push(vec![t]),
        }
    }
    let parts: Vec<String> = groups
        .iter()
        .flat_map(|g| -> Vec<String> {
            let name = |t: &Target| t.name.clone().unwrap_or_default();
            match (g[0].kind, g.as_slice()) {
                (_, [one]) => vec![name(one)],
                (TargetKind::Section, many) => many.iter().map(|t| name(t)).collect(),
                (kind, many) => {
                    let plural = if kind == TargetKind::Figure {
                        words.figures
                    } else {
                        words.tables
                    };
                    let suffix = locale::number_suffix(plural);
                    let mut numbers: Vec<String> =
                        many.iter().filter_map(|t| t.number.clone()).collect();
                    if let Some((_, rest)) = numbers.split_last_mut() {
                        rest.iter_mut().for_each(|n| n.push_str(suffix));
                    }
                    vec![locale::numbered(
                        plural,
                        &crate::front::names(&numbers, words),
                    )]
                }
            }
        })
        .collect();
    crate::front::names(&parts, words)
}

/// A figure's caption as both editions show it: its name and number ("Figure 2.3", `None`
/// for a figure without a caption) and the caption's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caption<'a> {
    pub name: Option<&'a str>,
    pub text: &'a str,
    /// The anchor of the figure (its label or its number's), for links and destinations.
    pub anchor: Option<&'a str>,
}

impl Caption<'_> {
    /// The caption on one line: "Figure 2.3. Rows of rice" (the name, a full stop and the
    /// text), or the text alone.
    pub fn line(&self) -> String {
        match self.name {
            Some(name) => format!("{} {}", with_stop(name), self.text),
            None => self.text.to_string(),
        }
    }
}

/// A figure's or table's name as its caption begins, with a full stop before the caption's text
/// ("Figure 2.3. Rows of rice", Chicago's style), unless the name ends with one already
/// (Lithuanian "2 pav." is an abbreviation).
pub fn with_stop(name: &str) -> String {
    match name.ends_with('.') {
        true => name.to_string(),
        false => format!("{name}."),
    }
}

/// The caption of `figure` ([`Book::figure`]).
pub fn figure_caption<'a>(book: &'a Book, figure: &crate::model::Figure<'a>) -> Caption<'a> {
    let numbered = book.numbers.figures.get(&figure.span);
    Caption {
        name: numbered.map(|n| n.name.as_str()),
        text: figure.caption,
        anchor: numbered.map(|n| n.anchor.as_str()).or(figure.label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{each_inline_in, Inline};

    /// A book from `yaml` extras and articles, with `tests/fixtures/full`'s diagram as
    /// `manuscript/d.png`.
    fn book(extra_yaml: &str, articles: &[&str]) -> (Book, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::write(
            root.join("book.yaml"),
            format!("title: T\nauthor: A\n{extra_yaml}"),
        )
        .expect("yaml");
        std::fs::create_dir_all(root.join("manuscript")).expect("mkdir");
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/full/images/diagram.png");
        std::fs::copy(fixture, root.join("manuscript/d.png")).expect("image");
        for (k, text) in articles.iter().enumerate() {
            std::fs::write(root.join(format!("manuscript/{k:02}.md")), text).expect("md");
        }
        let loaded = crate::load::load_book(root);
        (loaded.book.expect("loads"), loaded.diagnostics)
    }

    /// Every reference's text, in reading order.
    fn texts(book: &Book) -> Vec<String> {
        let mut out = Vec::new();
        for c in &book.chapters {
            each_inline_in(&c.blocks, &mut |i: &Inline| {
                if let InlineKind::CrossRef(r) = &i.kind {
                    out.push(r.text.clone());
                }
            });
        }
        out
    }

    const ONE: &str = "# One {#sec:one}\n\n![A chart](d.png){#fig:a}\n\n![](d.png){#fig:bare}\n\n\
                       ![Another](d.png \"Titled\"){#fig:b}\n\nSee @fig:a, @fig:b, [@fig:a; @fig:b] and @sec:two.\n";
    const TWO: &str = "# Two\n\n## Part {#sec:two}\n\n![Third](d.png){#fig:c}\n\n\
                       [@fig:a; @fig:b; @fig:c] and [@fig:c; @sec:one]; @fig:bare, @fig:nope.\n";

    #[test]
    fn figures_are_numbered_per_book_or_per_chapter_and_only_with_a_caption() {
        let (b, diags) = book("language: en\n", &[ONE, TWO]);
        assert_eq!(
            texts(&b),
            [
                "Figure\u{a0}1",
                "Figure\u{a0}2",
                "Figures\u{a0}1 and 2",
                "Part",
                "Figures\u{a0}1, 2 and 3",
                "Figure\u{a0}3 and One",
            ]
        );
        // Unresolved references are text again, as written.
        let BlockKind::Paragraph(last) = &b.chapters[1].blocks[3].kind else {
            panic!("the second chapter's paragraph");
        };
        assert!(crate::model::plain_text(last).ends_with("; @fig:bare, @fig:nope."));
        let mut names: Vec<&str> = b
            .numbers
            .figures
            .values()
            .map(|n| n.name.as_str())
            .collect();
        names.sort_unstable();
        assert_eq!(names, ["Figure\u{a0}1", "Figure\u{a0}2", "Figure\u{a0}3"]);
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes.iter().filter(|c| **c == "W0405").count(),
            2,
            "{diags:?}"
        );
        let (b, _) = book(
            "language: de\nfigures:\n  numbering: chapter\n",
            &[ONE, TWO],
        );
        assert_eq!(
            texts(&b)[..6],
            [
                "Abbildung\u{a0}1.1",
                "Abbildung\u{a0}1.2",
                "Abbildungen\u{a0}1.1 und 1.2",
                "Part",
                "Abbildungen\u{a0}1.1, 1.2 und 2.1",
                "Abbildung\u{a0}2.1 und One"
            ]
        );
        // Hungarian's number comes first, with its full stop; in a list each number has one
        // (CSL's Hungarian plural of "ábra" is "ábra": one name after several numbers).
        let (b, _) = book(
            "language: hu\nfigures:\n  numbering: chapter\n",
            &[ONE, TWO],
        );
        assert_eq!(
            texts(&b)[..6],
            [
                "1.1.\u{a0}ábra",
                "1.2.\u{a0}ábra",
                "1.1. és 1.2.\u{a0}ábra",
                "Part",
                "1.1., 1.2. és 2.1.\u{a0}ábra",
                "2.1.\u{a0}ábra és One"
            ]
        );
    }

    #[test]
    fn the_caption_is_the_title_else_the_bracketed_text() {
        let (b, _) = book(
            "language: en\n",
            &["# One\n\n![Bracketed](d.png \"The title\")\n\n![Bracketed only](d.png){alt=\"Other alt\"}\n\n![](d.png)\n"],
        );
        let mut captions = Vec::new();
        crate::model::each_block(&b.chapters[0].blocks, &mut |block| {
            if let BlockKind::Paragraph(p) = &block.kind {
                if let Some(f) = b.figure(p) {
                    let c = figure_caption(&b, &f);
                    captions.push((f.alt.to_string(), c.line()));
                }
            }
        });
        assert_eq!(
            captions,
            [
                (
                    "Bracketed".to_string(),
                    "Figure\u{a0}1. The title".to_string()
                ),
                ("Other alt".into(), "Figure\u{a0}2. Bracketed only".into()),
                (String::new(), String::new()),
            ]
        );
    }
}
