//! The print typesetter: model + settings + fonts → [`frame::Document`]. Pure: it never writes files.

pub mod bidi;
pub mod blocks;
pub mod cjk;
pub mod code;
pub mod flow;
pub mod font;
pub mod frame;
pub mod hyphenate;
pub mod linebreak;
pub mod page;
pub mod pagerefs;
pub mod paragraph;
pub mod segment;
pub mod shape;
pub mod table;
pub mod toc;
pub mod vlist;

use crate::diag::{Code, Diagnostic};
use crate::model::{Book, TextPos};

use blocks::{chapter_flow_with, document_images, LayoutSettings};
use flow::{FlowGeometry, FlowPage};
use font::FontSet;
use frame::{Document, ImageData, Metadata, Page, PageLabel, Structure};
use page::{Furniture, PageGeometry};
use paragraph::Composer;
use toc::{PlacedChapter, TocEntry};
use vlist::{ChapterFlow, VItem};

/// Notes may fill about half of the text block before they split (TeX's plain format allows
/// 8 in of a 9 in page; half keeps the body readable).
const MAX_NOTE_SHARE: f32 = 0.5;
/// The contents are laid out again until their page count is stable; it always is after the
/// second pass (the printed numbers do not depend on the front matter), so 4 is ample.
const MAX_CONTENTS_PASSES: usize = 4;
/// Passes for page references: a phrase can move its paragraph's lines and so another
/// reference's page; real books settle in two or three (LaTeX's varioref asks for reruns the
/// same way). Past this many the last pass is kept.
const MAX_PAGE_REFERENCE_PASSES: usize = 6;

/// What the typesetter is doing, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Setting paragraphs and breaking pages, chapter by chapter (`done`/`total` chapters).
    Chapters,
    /// Laying out the contents.
    Contents,
    /// Putting the pages together (`done`/`total` pages).
    Pages,
}

/// A progress report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub stage: Stage,
    pub done: usize,
    pub total: usize,
}

/// Options of [`typeset`].
#[derive(Default)]
pub struct TypesetOptions<'a> {
    /// Called as work advances (from worker threads too); the library itself never prints.
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
    /// The cover image, loaded by the caller (the typesetter does no I/O), set as page one when
    /// `pdf.cover_page` is on.
    pub cover: Option<ImageData>,
    /// Worker threads for chapter layout; 0 uses the machine's parallelism.
    pub threads: usize,
}

impl std::fmt::Debug for TypesetOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TypesetOptions")
            .field("progress", &self.progress.is_some())
            .field("cover", &self.cover.is_some())
            .field("threads", &self.threads)
            .finish()
    }
}

/// The typeset book: the document for the PDF writer, and where each page begins in the model.
#[derive(Debug, Clone)]
pub struct Typeset {
    pub document: Document,
    pub page_map: PageMap,
    /// Located warnings from the layout (W0906: a table too wide for the text block), in
    /// chapter order; the book is typeset all the same.
    pub warnings: Vec<Diagnostic>,
}

/// Where each page of the typeset book begins in the model, for print page numbers in other
/// editions (an EPUB's page list).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMap {
    /// One entry per page of the document, in order.
    pub pages: Vec<PageStart>,
}

/// One page of the [`PageMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageStart {
    /// The page's number as printed and labelled (roman in the front matter, arabic after).
    pub label: PageLabel,
    /// Where the page's first body line begins. `None` for the front matter and for body pages
    /// without a body line (a blank verso before a chapter, a page of notes only).
    pub at: Option<TextPos>,
    /// Which front-matter page this is (`None` in the body); a blank page counts as the page
    /// before it.
    pub front: Option<FrontPage>,
}

/// The pages of the front matter, for placing their numbers in another edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontPage {
    Cover,
    HalfTitle,
    TitlePage,
    Copyright,
    Contents,
    /// The list of figures (`contents: { figures: true }`).
    Figures,
    /// The list of tables (`contents: { tables: true }`).
    Tables,
}

/// Typesets the whole book: front matter (half title, title page, copyright page, contents),
/// then every chapter opening on a recto, with running heads, folios, page labels (roman, then
/// arabic from 1), bookmarks mirroring the contents, metadata, images and fonts; and the page
/// map.
pub fn typeset(
    book: &Book,
    fonts: &FontSet,
    opts: &TypesetOptions<'_>,
) -> Result<Typeset, Vec<Diagnostic>> {
    typeset_with_contents(book, fonts, opts).map(|(typeset, _)| typeset)
}

/// A chapter laid out and paginated.
struct Chapter {
    flow: ChapterFlow,
    pages: Vec<FlowPage>,
}

/// [`typeset`], also returning the contents' entries (for tests and reports). With
/// `pdf.page_references`, the book is set again until every page reference's phrase is the
/// one the pages it lands on call for ([`pagerefs`]).
pub fn typeset_with_contents(
    book: &Book,
    fonts: &FontSet,
    opts: &TypesetOptions<'_>,
) -> Result<(Typeset, Vec<TocEntry>), Vec<Diagnostic>> {
    let mut page_refs = std::collections::HashMap::new();
    // Every phrase each reference has had, and the references that swung back to one.
    let mut said: std::collections::HashMap<crate::model::Span, Vec<String>> =
        std::collections::HashMap::new();
    let mut explicit = std::collections::HashSet::new();
    let mut pass = 0;
    loop {
        let (mut typeset, entries) = typeset_pass(book, fonts, opts, &page_refs)?;
        if !book.config.pdf.page_references {
            return Ok((typeset, entries));
        }
        let mut settled = pagerefs::phrases(book, &typeset.document, &explicit);
        let swung: Vec<crate::model::Span> = settled
            .iter()
            .filter(|(span, phrase)| {
                page_refs.get(*span) != Some(*phrase)
                    && said.get(*span).is_some_and(|seen| seen.contains(phrase))
            })
            .map(|(span, _)| *span)
            .collect();
        if !swung.is_empty() {
            explicit.extend(swung);
            settled = pagerefs::phrases(book, &typeset.document, &explicit);
        }
        for (span, phrase) in &settled {
            said.entry(*span).or_default().push(phrase.clone());
        }
        pass += 1;
        if settled == page_refs || pass >= MAX_PAGE_REFERENCE_PASSES {
            pagerefs::strip_reference_anchors(&mut typeset.document);
            return Ok((typeset, entries));
        }
        page_refs = settled;
    }
}

/// One pass of [`typeset_with_contents`], with each cross-reference's page phrase.
fn typeset_pass(
    book: &Book,
    fonts: &FontSet,
    opts: &TypesetOptions<'_>,
    page_refs: &std::collections::HashMap<crate::model::Span, String>,
) -> Result<(Typeset, Vec<TocEntry>), Vec<Diagnostic>> {
    let report = |stage, done, total| {
        if let Some(progress) = opts.progress {
            progress(Progress { stage, done, total });
        }
    };
    let config = &book.config;
    let settings = LayoutSettings {
        page_refs: page_refs.clone(),
        ..LayoutSettings::from_config(&config.pdf, &config.language)
    };
    let geo = PageGeometry::from_config(&config.pdf)
        .with_binding_right(crate::lang::is_rtl(&config.language));
    let flow_geo = FlowGeometry {
        text_height: settings.text_height,
        leading: settings.body.leading,
        note_skip: geo.note_skip(),
        max_note_share: MAX_NOTE_SHARE,
        first_page_sink: geo.chapter_sink(),
        float_space: settings.body.leading * blocks::DISPLAY_SPACE,
    };

    let chapters = layout_chapters(book, fonts, &settings, &flow_geo, opts, &report)?;
    let warnings: Vec<Diagnostic> = chapters
        .iter()
        .flat_map(|c| c.flow.warnings.iter().cloned())
        .collect();

    // Body pages: each chapter opens on a recto (even body index, as the body starts on one).
    let mut first_pages = Vec::with_capacity(chapters.len());
    let mut body_len = 0usize;
    for chapter in &chapters {
        if body_len % 2 == 1 {
            body_len += 1;
        }
        first_pages.push(body_len);
        body_len += chapter.pages.len();
    }
    let placed: Vec<PlacedChapter<'_>> = chapters
        .iter()
        .zip(&first_pages)
        .map(|(c, &first)| PlacedChapter {
            flow: &c.flow,
            pages: &c.pages,
            first_body_page: first,
        })
        .collect();
    let entries = toc::entries(&placed, config.toc_depth.max(1));

    let mut composer = Composer::new(fonts, &config.language);
    let front = crate::front::front_matter(config);
    let with_cover = config.pdf.cover_page && opts.cover.is_some();
    // Front matter before the contents: [cover, blank,] half title, blank, title, copyright.
    let before_contents = if with_cover { 6 } else { 4 };

    // The lists after the contents (`contents: { figures, tables }`): a list with no entry
    // is left out.
    let words = config.words();
    let digits = words.digits;
    let lists: Vec<(&str, FrontPage, Vec<toc::ListEntry>)> = [
        (
            config.contents.figures,
            words.list_of_figures,
            FrontPage::Figures,
            &book.numbers.figure_list,
        ),
        (
            config.contents.tables,
            words.list_of_tables,
            FrontPage::Tables,
            &book.numbers.table_list,
        ),
    ]
    .into_iter()
    .filter(|(on, ..)| *on)
    .map(|(_, title, front, listed)| (title, front, toc::list_entries(listed, &placed)))
    .filter(|(.., entries)| !entries.is_empty())
    .collect();
    let look = toc::ListStyle {
        title_style: &settings.chapter_title,
        style: &settings.body,
        measure: geo.measure,
        text_height: geo.text_height,
        digits,
    };

    // The contents and the lists: the printed numbers are body page numbers, so they never
    // change with the front matter's length; what can change is the document index of every
    // body page (for bookmarks). Lay out, count, and repeat until the count is stable. Each
    // opens on a recto.
    report(Stage::Contents, 0, 1);
    let mut contents = Vec::new();
    let mut list_pages: Vec<Vec<Vec<vlist::LineBox>>> = Vec::new();
    let mut contents_structure = Structure::default();
    let mut front_len = 0usize;
    for _ in 0..MAX_CONTENTS_PASSES {
        contents_structure = Structure::default();
        contents = toc::layout(
            &mut contents_structure,
            &front.contents_title,
            &entries,
            &mut composer,
            &look,
        );
        list_pages = lists
            .iter()
            .map(|(title, _, list)| {
                toc::layout_list(&mut contents_structure, title, list, &mut composer, &look)
            })
            .collect();
        let len = before_contents
            + contents.len().next_multiple_of(2)
            + list_pages
                .iter()
                .map(|p| p.len().next_multiple_of(2))
                .sum::<usize>();
        if len == front_len {
            break;
        }
        front_len = len;
    }
    report(Stage::Contents, 1, 1);

    let total = front_len + body_len;
    let mut pages: Vec<Page> = Vec::with_capacity(total);
    // The front matter's pages, pushed with each front page (a blank page counts as the page
    // before it).
    let mut fronts: Vec<Option<FrontPage>> = Vec::with_capacity(front_len);
    let roman = |index: usize| PageLabel::Roman(u32::try_from(index + 1).unwrap_or(u32::MAX));
    let body_style = settings.body;
    let mut images = document_images(book);

    // Front matter.
    if let (true, Some(cover)) = (with_cover, &opts.cover) {
        images.push(cover.clone());
        let index = images.len() - 1;
        pages.push(page::cover_page(
            &geo,
            roman(0),
            index,
            cover.width,
            cover.height,
        ));
        pages.push(geo.blank_page(roman(1)));
        fronts.extend([Some(FrontPage::Cover); 2]);
    }
    // The front matter's texts: each page's title, lines and paragraphs its own elements
    // (`page.rs` marks them), then the contents.
    let mut structure = Structure::default();
    let at = pages.len();
    pages.push(page::half_title_page(
        &geo,
        roman(at),
        at,
        &mut composer,
        &body_style,
        &front.half_title,
        &mut structure,
    ));
    pages.push(geo.blank_page(roman(at + 1)));
    fronts.extend([Some(FrontPage::HalfTitle); 2]);
    let at = pages.len();
    pages.push(page::title_page(
        &geo,
        roman(at),
        at,
        &mut composer,
        &body_style,
        &settings.chapter_title,
        &front.title_page,
        &mut structure,
    ));
    fronts.push(Some(FrontPage::TitlePage));
    let at = pages.len();
    pages.push(page::copyright_page(
        &geo,
        roman(at),
        at,
        &mut composer,
        &body_style,
        &front.copyright,
        &mut structure,
    ));
    fronts.push(Some(FrontPage::Copyright));
    let offset = structure.append(contents_structure);
    let sections = std::iter::once((
        config.contents_title(),
        FrontPage::Contents,
        std::mem::take(&mut contents),
    ))
    .chain(
        lists
            .iter()
            .zip(list_pages)
            .map(|((title, front, _), pages)| (*title, *front, pages)),
    );
    for (title, front_page, stacks) in sections {
        for (k, stack) in stacks.iter().enumerate() {
            let at = pages.len();
            let mut p = geo.blank_page(roman(at));
            page::place_lines(&mut p.items, stack, geo.text_left(at), geo.text_top());
            frame::rebase_marks(&mut p.items, offset);
            let furniture = if k == 0 {
                Furniture::FootFolio
            } else {
                Furniture::Head {
                    text: title.to_string(),
                }
            };
            page::add_furniture(
                &mut p,
                &geo,
                at,
                &mut composer,
                &body_style,
                &furniture,
                digits,
            );
            pages.push(p);
            fronts.push(Some(front_page));
        }
        // The next opens on a recto.
        if pages.len() % 2 == 1 {
            let at = pages.len();
            pages.push(geo.blank_page(roman(at)));
            fronts.push(Some(front_page));
        }
    }
    while pages.len() < front_len {
        let at = pages.len();
        pages.push(geo.blank_page(roman(at)));
        fronts.push(Some(FrontPage::Contents));
    }

    // The body.
    let arabic =
        |body_index: usize| PageLabel::Arabic(u32::try_from(body_index + 1).unwrap_or(u32::MAX));
    // Where each page begins in the model, by document index (`None` until a body line).
    let mut starts: Vec<Option<TextPos>> = Vec::with_capacity(total);
    // Each chapter's glyphs move onto its pages, and the chapter is dropped once set.
    for (index, (mut chapter, &first)) in chapters.into_iter().zip(&first_pages).enumerate() {
        let sections = section_heads(&chapter);
        let offset = structure.append(std::mem::take(&mut chapter.flow.structure));
        while pages.len() < front_len + first {
            let at = pages.len();
            pages.push(geo.blank_page(arabic(at - front_len)));
        }
        for (k, flowed) in chapter.pages.iter().enumerate() {
            let at = pages.len();
            let mut p = geo.blank_page(arabic(at - front_len));
            let anchor = (k == 0).then(|| chapter.flow.anchor.clone());
            let start = flowed.lines.iter().find_map(|placed| {
                let Some(VItem::Line(line)) = chapter.flow.body.get(placed.item) else {
                    return None;
                };
                line.source.map(|at| TextPos {
                    chapter: index,
                    block: at.block,
                    offset: at.offset,
                })
            });
            starts.resize(at, None);
            starts.push(start);
            page::set_flow_page(
                &mut p,
                &geo,
                at,
                &mut chapter.flow,
                flowed,
                anchor.as_deref(),
            );
            frame::rebase_marks(&mut p.items, offset);
            let furniture = if k == 0 {
                Furniture::FootFolio
            } else if flowed.lines.is_empty() && flowed.notes.is_empty() && flowed.floats.is_empty()
            {
                Furniture::None
            } else if PageGeometry::is_recto(at) {
                Furniture::Head {
                    text: sections[k]
                        .clone()
                        .unwrap_or_else(|| chapter.flow.title.clone()),
                }
            } else {
                Furniture::Head {
                    text: config.title.clone(),
                }
            };
            page::add_furniture(
                &mut p,
                &geo,
                at,
                &mut composer,
                &body_style,
                &furniture,
                digits,
            );
            pages.push(p);
            report(Stage::Pages, pages.len(), total);
        }
    }

    let outline = toc::outline(&entries, |body| front_len + body, geo.text_top());
    starts.resize(pages.len(), None);
    fronts.resize(pages.len(), None);
    let page_map = PageMap {
        pages: pages
            .iter()
            .zip(starts)
            .zip(fronts)
            .map(|((page, at), front)| PageStart {
                label: page.label,
                at,
                front,
            })
            .collect(),
    };
    let document = Document {
        pages,
        fonts: fonts.font_data(),
        images,
        outline,
        metadata: metadata(book),
        structure,
    };
    Ok((
        Typeset {
            document,
            page_map,
            warnings,
        },
        entries,
    ))
}

/// Lays out and paginates every chapter, on several threads when there are several chapters.
fn layout_chapters(
    book: &Book,
    fonts: &FontSet,
    settings: &LayoutSettings,
    flow_geo: &FlowGeometry,
    opts: &TypesetOptions<'_>,
    report: &(dyn Fn(Stage, usize, usize) + Sync),
) -> Result<Vec<Chapter>, Vec<Diagnostic>> {
    let count = book.chapters.len();
    let threads = match opts.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .clamp(1, count.max(1));
    let done = std::sync::atomic::AtomicUsize::new(0);
    let one = |composer: &mut Composer, index: usize| {
        let mut flow = chapter_flow_with(composer, book, index, settings);
        let (pages, search) = flow::paginate_reporting(&flow, flow_geo);
        if let Some(at) = search.bounded_at {
            flow.warnings
                .push(bounded_search_warning(book, index, &flow, at));
        }
        flow::apply_variants(&mut flow, &pages);
        let finished = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        report(Stage::Chapters, finished, count);
        Chapter { flow, pages }
    };
    report(Stage::Chapters, 0, count);
    if threads <= 1 {
        let mut composer = Composer::new(fonts, &settings.language);
        return Ok((0..count).map(|i| one(&mut composer, i)).collect());
    }
    // Chapters are dealt round-robin to the workers (neighbouring chapters are often of similar
    // length, so this balances better than contiguous blocks); each worker keeps its own caches.
    let results: Vec<Option<Vec<(usize, Chapter)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let one = &one;
                scope.spawn(move || {
                    let mut composer = Composer::new(fonts, &settings.language);
                    (t..count)
                        .step_by(threads)
                        .map(|i| (i, one(&mut composer, i)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().ok()).collect()
    });
    let mut slots: Vec<Option<Chapter>> = (0..count).map(|_| None).collect();
    for part in results {
        let Some(part) = part else {
            return Err(vec![Diagnostic::new(
                Code::E0905,
                "internal error: a typesetting thread failed",
            )
            .with_help("please report this with the manuscript that triggers it")]);
        };
        for (i, chapter) in part {
            if let Some(slot) = slots.get_mut(i) {
                *slot = Some(chapter);
            }
        }
    }
    Ok(slots.into_iter().flatten().collect())
}

/// W0908 for a chapter whose page breaking was bounded (`flow::MAX_STATES_PER_START`), at the
/// block holding the line where it first was (else the chapter's file).
fn bounded_search_warning(book: &Book, index: usize, flow: &ChapterFlow, at: usize) -> Diagnostic {
    let warning = Diagnostic::new(
        Code::W0908,
        "the footnotes or figures here need more room than their pages have, so page \
         breaking could not weigh every way to set them",
    )
    .with_help(format!(
        "bindery kept the {} cheapest ways on at each line and set the chapter's pages by \
         them; notes here start pages after their references. Shorten the long notes, or \
         move some of them into the text",
        flow::MAX_STATES_PER_START
    ));
    let source = flow.body[..=at.min(flow.body.len().saturating_sub(1))]
        .iter()
        .rev()
        .find_map(|item| match item {
            VItem::Line(line) => line.source,
            _ => None,
        });
    let chapter = &book.chapters[index];
    let span = source
        .and_then(|s| chapter.blocks.get(s.block))
        .map_or(crate::model::Span::new(chapter.file, 0, 0), |b| b.span);
    warning.at_span(&book.sources, span)
}

/// The recto running head of each page of a chapter: the section (the chapter's top heading
/// level below its title) that opens on the page, else the one in effect from earlier pages,
/// as LaTeX's `\rightmark` does; `None` before the first section (the chapter title is used).
fn section_heads(chapter: &Chapter) -> Vec<Option<String>> {
    let level = chapter
        .pages
        .iter()
        .flat_map(|p| &p.headings)
        .map(|h| h.level)
        .filter(|&l| l >= 2)
        .min();
    let mut current: Option<String> = None;
    chapter
        .pages
        .iter()
        .map(|page| {
            let mut on_page = page.headings.iter().filter(|h| Some(h.level) == level);
            let first = on_page.next().map(|h| h.title.clone());
            let head = first.clone().or_else(|| current.clone());
            if let Some(last) = page.headings.iter().rev().find(|h| Some(h.level) == level) {
                current = Some(last.title.clone());
            }
            head
        })
        .collect()
}

/// The document metadata from the config.
fn metadata(book: &Book) -> Metadata {
    let c = &book.config;
    let date = c.date.map(|d| d.ymd());
    Metadata {
        title: c.title.clone(),
        subtitle: c.subtitle.clone(),
        authors: c.authors.clone(),
        language: c.language.clone(),
        description: c.description.clone(),
        publisher: c.publisher.clone(),
        date,
        keywords: Vec::new(),
        digits: c.words().digits,
    }
}

#[cfg(test)]
mod tests {
    use super::frame::{Item, LinkTarget, Mark, StructRole};
    use super::*;

    const PARA: &str = "So given everything we have talked about regarding the regime and how awful it was, you are probably wondering how such a government could survive in any respect after its collapse. After ruining half the country and improving very few lives, what mandate did it have? Well, the very same mandate that earned it support from the outset.";

    /// Loads a book from (file name, Markdown) pairs.
    fn book(yaml: &str, articles: &[(&str, String)]) -> Book {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("book.yaml"), yaml).expect("write yaml");
        std::fs::create_dir(dir.path().join("manuscript")).expect("mkdir");
        for (name, text) in articles {
            std::fs::write(dir.path().join("manuscript").join(name), text).expect("write md");
        }
        let loaded = crate::load::load_book(dir.path());
        loaded.book.expect("the test book loads")
    }

    fn article(title: &str, sections: usize, paras: usize, notes: bool) -> String {
        let mut s = format!("# {title}\n\n");
        for k in 0..sections {
            s.push_str(&format!("## {title} part {k}\n\n"));
            for p in 0..paras {
                if notes && p % 3 == 1 {
                    s.push_str(&format!(
                        "{PARA}[^n{k}x{p}]\n\n[^n{k}x{p}]: {PARA} {PARA}\n\n"
                    ));
                } else {
                    s.push_str(&format!("{PARA}\n\n"));
                }
            }
        }
        s
    }

    fn sample() -> Book {
        book(
            "title: The Test Book\nsubtitle: Pages and notes\nauthor: A. Writer\nlanguage: en\npublisher: Small Press\ndate: 2026-01-02\nrights: All rights reserved.\n",
            &[
                ("01-one.md", article("One", 3, 8, true)),
                ("02-two.md", article("Two", 2, 3, false)),
                ("03-three.md", article("Three", 4, 10, true)),
            ],
        )
    }

    fn text_of(page: &Page) -> String {
        page.items
            .iter()
            .filter_map(|i| match i {
                Item::Glyphs(r) => Some(r.text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn anchor_page(doc: &Document, name: &str) -> Option<usize> {
        doc.pages.iter().position(|p| {
            p.items
                .iter()
                .any(|i| matches!(i, Item::Anchor { name: n, .. } if n == name))
        })
    }

    #[test]
    fn contents_numbers_match_where_headings_landed() {
        let book = sample();
        let fonts = FontSet::builtin();
        let (doc, entries) =
            typeset_with_contents(&book, &fonts, &TypesetOptions::default()).expect("typesets");
        let doc = doc.document;
        assert!(entries.len() >= 3 + 9, "{} entries", entries.len());
        for entry in &entries {
            let index = anchor_page(&doc, &entry.anchor)
                .unwrap_or_else(|| panic!("no anchor {}", entry.anchor));
            assert_eq!(
                doc.pages[index].label,
                PageLabel::Arabic(entry.number),
                "{}",
                entry.title
            );
        }
        // The contents pages show the numbers and link every entry.
        let contents: Vec<&Page> = doc
            .pages
            .iter()
            .filter(|p| {
                p.items.iter().any(|i| {
                    matches!(
                        i,
                        Item::Link {
                            target: LinkTarget::Anchor(_),
                            ..
                        }
                    )
                }) && matches!(p.label, PageLabel::Roman(_))
            })
            .collect();
        assert!(!contents.is_empty());
        let shown: String = contents
            .iter()
            .map(|p| text_of(p))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(shown.contains("Contents"));
        // The page numbers the contents show, read as whole glyph runs of digits (the contents'
        // own folios are roman), are the entries' numbers, in order: "1" is not satisfied by
        // "14", and an entry whose number is missing or wrong fails.
        let numbers: Vec<String> = contents
            .iter()
            .flat_map(|p| p.items.iter())
            .filter_map(|i| match i {
                Item::Glyphs(r) => Some(r.text.trim()),
                _ => None,
            })
            .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_owned)
            .collect();
        let expected: Vec<String> = entries.iter().map(|e| e.number.to_string()).collect();
        assert_eq!(numbers, expected, "contents shows {shown}");
        // Bookmarks: one per chapter, sections nested, pointing at the anchors' pages.
        assert_eq!(doc.outline.len(), 3);
        assert_eq!(
            Some(doc.outline[2].page),
            anchor_page(
                &doc,
                &entries.iter().find(|e| e.title == "Three").unwrap().anchor
            )
        );
        assert_eq!(doc.outline[0].children.len(), 3);
    }

    #[test]
    fn chapters_open_on_rectos_with_labels_and_furniture() {
        let book = sample();
        let fonts = FontSet::builtin();
        let seen = std::sync::Mutex::new(Vec::new());
        let progress = |p: Progress| seen.lock().unwrap().push(p);
        let opts = TypesetOptions {
            progress: Some(&progress),
            ..TypesetOptions::default()
        };
        let doc = typeset(&book, &fonts, &opts).expect("typesets").document;
        let first_body = doc
            .pages
            .iter()
            .position(|p| p.label == PageLabel::Arabic(1))
            .expect("body");
        assert_eq!(first_body % 2, 0, "body starts on a recto");
        assert!(doc.pages[..first_body]
            .iter()
            .all(|p| matches!(p.label, PageLabel::Roman(_))));
        for (k, p) in doc.pages[first_body..].iter().enumerate() {
            assert_eq!(p.label, PageLabel::Arabic(k as u32 + 1));
        }
        for chapter in &book.chapters {
            let at = anchor_page(&doc, &chapter.slug).expect("chapter anchor");
            assert_eq!(at % 2, 0, "chapter {} opens on a recto", chapter.slug);
            // No running head on the opening: nothing above the text block.
            let geo = PageGeometry::from_config(&book.config.pdf);
            assert!(doc.pages[at].items.iter().all(|i| match i {
                Item::Glyphs(r) => r.y > geo.text_top(),
                _ => true,
            }));
        }
        // Running heads: verso shows the book title, recto the chapter title.
        let verso = &doc.pages[first_body + 1];
        // (Glyph runs carry words; spaces are positions, not glyphs.)
        let squeeze = |s: String| s.replace(' ', "");
        assert!(squeeze(text_of(verso)).contains("TheTestBook"));
        let geo = PageGeometry::from_config(&book.config.pdf);
        let head = |page: &Page| -> String {
            page.items
                .iter()
                .filter_map(|i| match i {
                    // The folio is a run of its own.
                    Item::Glyphs(r)
                        if r.y < geo.text_top() && !r.text.chars().all(|c| c.is_ascii_digit()) =>
                    {
                        Some(r.text.as_str())
                    }
                    _ => None,
                })
                .collect::<String>()
                .replace(' ', "")
        };
        // Rectos name the section in effect: the first to open on the page, else the last one
        // opened before it (`\rightmark`).
        let sections: Vec<(usize, String)> = book.chapters[0]
            .headings()
            .iter()
            .filter(|h| h.level == 2)
            .map(|h| {
                let at = anchor_page(&doc, &h.id).expect("section anchor");
                (at, h.plain_text().replace(' ', ""))
            })
            .collect();
        let chapter_two = anchor_page(&doc, &book.chapters[1].slug).expect("chapter two");
        let mut checked = 0;
        for at in (first_body + 2..chapter_two).step_by(2) {
            if doc.pages[at].items.is_empty() {
                continue;
            }
            let expected = sections
                .iter()
                .find(|(p, _)| *p == at)
                .or_else(|| sections.iter().rev().find(|(p, _)| *p < at))
                .map(|(_, t)| t.to_uppercase());
            assert_eq!(
                Some(head(&doc.pages[at]).to_uppercase()),
                expected,
                "recto {at}"
            );
            checked += 1;
        }
        assert!(checked >= 2, "{checked} rectos checked");
        // Title page and copyright page.
        assert!(doc
            .pages
            .iter()
            .any(|p| squeeze(text_of(p)).contains("SmallPress")));
        assert!(doc
            .pages
            .iter()
            .any(|p| squeeze(text_of(p)).contains("Allrightsreserved")));
        // Footnotes present, with a rule above them.
        assert!(doc.pages.iter().any(|p| p.items.iter().any(
            |i| matches!(i, Item::Rule { thickness, .. } if *thickness == page::NOTE_RULE_THICKNESS)
        )));
        // No glyph outside the page.
        for p in &doc.pages {
            for i in &p.items {
                if let Item::Glyphs(r) = i {
                    assert!(r.x >= 0.0 && r.y >= 0.0 && r.x < p.width && r.y < p.height);
                }
            }
        }
        // Body and notes stay inside the text block (the foot folio of openings lies below it).
        let geo = PageGeometry::from_config(&book.config.pdf);
        let bottom = geo.text_top() + geo.text_height;
        for p in &doc.pages[first_body..] {
            for i in &p.items {
                if let Item::Glyphs(r) = i {
                    let folio = r.y > bottom + geo.leading;
                    assert!(
                        folio || r.y <= bottom + 0.01,
                        "baseline {} below {}",
                        r.y,
                        bottom
                    );
                }
            }
        }
        assert_eq!(doc.metadata.date, Some((2026, 1, 2)));
        assert!(!doc.fonts.is_empty());
        let seen = seen.lock().unwrap();
        assert!(seen
            .iter()
            .any(|p| p.stage == Stage::Chapters && p.done == 3));
        let bytes = crate::pdf::write_pdf(&doc, &crate::pdf::PdfOptions::default()).expect("pdf");
        if let Ok(path) = std::env::var("BINDERY_TEST_PDF") {
            std::fs::write(path, &bytes).expect("write test pdf");
        }
    }

    #[test]
    fn every_drawn_item_is_marked_and_heads_are_artifacts() {
        let book = sample();
        let geo = PageGeometry::from_config(&book.config.pdf);
        let doc = typeset(&book, &FontSet::builtin(), &TypesetOptions::default())
            .expect("typesets")
            .document;
        let (mut heads, mut content) = (0, 0);
        for (index, page) in doc.pages.iter().enumerate() {
            let mut mark = None;
            for item in &page.items {
                match item {
                    Item::Mark(m) => mark = Some(*m),
                    Item::Glyphs(run) => {
                        let m = mark.unwrap_or_else(|| {
                            panic!("page {index}: `{}` before any mark", run.text)
                        });
                        if run.y < geo.text_top() {
                            // Above the text block: the running head and its folio.
                            assert!(
                                matches!(
                                    m,
                                    Mark::Artifact(
                                        frame::Artifact::Header | frame::Artifact::PageNumber
                                    )
                                ),
                                "page {index}: `{}` is {m:?}",
                                run.text
                            );
                            heads += 1;
                        } else if let Mark::Content(node) = m {
                            assert!(doc.structure.get(node).is_some(), "page {index}: {node:?}");
                            content += 1;
                        }
                    }
                    Item::Rule { .. } | Item::Image { .. } | Item::TurnedImage { .. } => {
                        assert!(mark.is_some())
                    }
                    _ => {}
                }
            }
        }
        assert!(
            heads > 10 && content > 100,
            "{heads} heads, {content} runs of content"
        );
        // Every footnote is a Note right after the paragraph citing it.
        let notes = doc
            .structure
            .nodes
            .iter()
            .filter(|n| n.role == StructRole::Note)
            .count();
        let footnotes: usize = book.chapters.iter().map(|c| c.footnotes.len()).sum();
        assert_eq!(notes, footnotes);
    }

    #[test]
    fn cover_page_comes_first_when_asked() {
        let mut book = sample();
        book.config.pdf.cover_page = true;
        book.config.pdf.bleed = true;
        let cover = ImageData {
            data: std::sync::Arc::new(vec![0u8; 4]),
            format: crate::model::ImageFormat::Png,
            width: 1600,
            height: 2560,
        };
        let opts = TypesetOptions {
            cover: Some(cover),
            threads: 1,
            ..TypesetOptions::default()
        };
        let doc = typeset(&book, &FontSet::builtin(), &opts)
            .expect("typesets")
            .document;
        let first = &doc.pages[0];
        // Page one holds the image alone (after its artifact mark).
        let Some(Item::Image { image, rect }) =
            first.items.iter().find(|i| !matches!(i, Item::Mark(_)))
        else {
            panic!("page one is the cover");
        };
        assert_eq!(*image, doc.images.len() - 1);
        // The image covers the whole MediaBox (trim plus bleed).
        assert!(rect.x <= 0.0 && rect.y <= 0.0);
        assert!(rect.x + rect.width >= first.width - 0.01);
        assert!(rect.y + rect.height >= first.height - 0.01);
        assert!(first.bleed_box.is_some());
        // The body still starts on a recto.
        let body = doc
            .pages
            .iter()
            .position(|p| p.label == PageLabel::Arabic(1));
        assert_eq!(body.map(|b| b % 2), Some(0));
    }

    /// Typesets the repository's own book (or the one in `$BINDERY_BOOK_ROOT`) into
    /// `$BINDERY_BOOK_PDF`: run with
    /// `BINDERY_BOOK_PDF=/tmp/book.pdf cargo test --release --lib repo_book -- --ignored`.
    #[test]
    #[ignore]
    fn repo_book_to_pdf() {
        let root = std::env::var("BINDERY_BOOK_ROOT").map_or_else(
            |_| env!("CARGO_MANIFEST_DIR").into(),
            std::path::PathBuf::from,
        );
        let root = root.as_path();
        let book = crate::load::load_book(root)
            .book
            .expect("the repository's book loads");
        let fonts =
            FontSet::load(&book.config.pdf.fonts, &|p| std::fs::read(root.join(p))).expect("fonts");
        let doc = typeset(&book, &fonts, &TypesetOptions::default())
            .expect("typesets")
            .document;
        let bytes = crate::pdf::write_pdf(&doc, &crate::pdf::PdfOptions::default()).expect("pdf");
        if let Ok(path) = std::env::var("BINDERY_BOOK_PDF") {
            std::fs::write(path, &bytes).expect("write");
        }
    }

    #[test]
    fn hostile_books_do_not_panic() {
        let long_note = vec![PARA; 40].join(" ");
        let long_title = vec!["Very long heading words"; 30].join(" ");
        let book = book(
            "title: T\nauthor: A\nlanguage: en\n",
            &[
                ("01-empty.md", String::new()),
                (
                    "02-note.md",
                    format!(
                        "# Notes\n\nShort.[^a]\n\n[^a]: {long_note}\n\n## {long_title}\n\n{PARA}\n"
                    ),
                ),
                ("03-heading-only.md", "## Only a section\n".to_string()),
            ],
        );
        let fonts = FontSet::builtin();
        let (doc, entries) =
            typeset_with_contents(&book, &fonts, &TypesetOptions::default()).expect("typesets");
        let doc = doc.document;
        for entry in &entries {
            let index = anchor_page(&doc, &entry.anchor).expect("anchor");
            assert_eq!(doc.pages[index].label, PageLabel::Arabic(entry.number));
        }
        crate::pdf::write_pdf(&doc, &crate::pdf::PdfOptions::default()).expect("pdf");
        // The long note runs over several pages, continuing at the top of each note area.
        let with_notes = doc
            .pages
            .iter()
            .filter(|p| p.items.iter().any(|i| matches!(i, Item::Rule { thickness, .. } if *thickness == page::NOTE_RULE_THICKNESS)))
            .count();
        assert!(with_notes >= 2, "{with_notes}");
    }
}
