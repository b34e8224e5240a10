//! The contents: entries from the headings the flow placed (so their page numbers are where the
//! headings really landed), laid out with dotted leaders, right-aligned page numbers and a link
//! to each heading; and the PDF bookmarks, which mirror the contents.

use super::bidi;
use super::flow::FlowPage;
use super::frame::{Artifact, Item, LinkTarget, Mark, OutlineEntry, Rect, StructRole, Structure};
use super::paragraph::{self, Align, Composer, TextStyle};
use super::vlist::{ChapterFlow, LineBox};

/// Width reserved at the right for page numbers, in em of the entry text (4 digits and a gap).
const NUMBER_COLUMN_EM: f32 = 3.0;
/// Indent per level below chapters, in em.
const LEVEL_INDENT_EM: f32 = 1.5;
/// Distance between leader dots, in em (close enough to read as a line, open enough to be light).
const LEADER_PITCH_EM: f32 = 0.6;
/// Leaders are skipped below this pitch, pt (a degenerate font size would loop for ever).
const MIN_LEADER_PITCH: f32 = 0.5;
/// Minimum gap between the title (or number) and the first (or last) dot, in em.
const LEADER_GAP_EM: f32 = 0.5;
/// Space above a chapter entry, in body leadings (groups each chapter's sections).
const CHAPTER_SPACE_LINES: f32 = 0.5;
/// Space after the "Contents" title, in body leadings.
const TITLE_SPACE_LINES: f32 = 2.0;

/// One line of the contents.
#[derive(Debug, Clone, PartialEq)]
pub struct TocEntry {
    /// 1 for a chapter, 2 for its sections, …
    pub depth: u8,
    pub title: String,
    /// Named destination of the heading (or the chapter).
    pub anchor: String,
    /// Printed page number (arabic body numbering).
    pub number: u32,
    /// 0-based index of the page among the body pages (blank pages included).
    pub body_page: usize,
    /// Top of the heading, pt below the top of the text block.
    pub top: f32,
}

/// Where a chapter's pages went in the body.
#[derive(Debug, Clone, Copy)]
pub struct PlacedChapter<'a> {
    pub flow: &'a ChapterFlow,
    pub pages: &'a [FlowPage],
    /// Body page index of the chapter's first page.
    pub first_body_page: usize,
}

/// The contents' entries: one per chapter, then its headings down to `depth` (a chapter's own
/// title heading is the chapter entry). Page numbers are body page index + 1.
pub fn entries(chapters: &[PlacedChapter<'_>], depth: u8) -> Vec<TocEntry> {
    let mut out = Vec::new();
    for chapter in chapters {
        let first_top = chapter
            .pages
            .first()
            .and_then(|p| p.lines.first())
            .map_or(0.0, |l| l.top);
        out.push(TocEntry {
            depth: 1,
            title: chapter.flow.title.clone(),
            anchor: chapter.flow.anchor.clone(),
            number: page_number(chapter.first_body_page),
            body_page: chapter.first_body_page,
            top: first_top,
        });
        for (k, page) in chapter.pages.iter().enumerate() {
            for heading in &page.headings {
                if chapter.flow.title_anchor.as_ref() == Some(&heading.anchor) {
                    continue;
                }
                let level = heading.level.max(2);
                if level > depth || heading.anchor.is_empty() {
                    continue;
                }
                let body_page = chapter.first_body_page + k;
                out.push(TocEntry {
                    depth: level,
                    title: heading.title.clone(),
                    anchor: heading.anchor.clone(),
                    number: page_number(body_page),
                    body_page,
                    top: heading.top,
                });
            }
        }
    }
    out
}

fn page_number(body_page: usize) -> u32 {
    u32::try_from(body_page + 1).unwrap_or(u32::MAX)
}

/// Lays the contents out in pages of `text_height` pt and `measure` pt: each page is a stack of
/// lines (x from the text block's left edge, with link areas), the first opening with the title.
///
/// The contents' elements go into `structure`: the title as a level-1 heading, then a `Toc`
/// with one `TocItem` per entry, each holding a `Link` per line (its text, and the page number
/// on the last line); the leader dots are artifacts.
#[allow(clippy::too_many_arguments)]
pub fn layout(
    structure: &mut Structure,
    title: &str,
    entries: &[TocEntry],
    composer: &mut Composer,
    title_style: &TextStyle,
    style: &TextStyle,
    measure: f32,
    text_height: f32,
) -> Vec<Vec<LineBox>> {
    let em = style.size;
    let mut pages: Vec<Vec<LineBox>> = Vec::new();
    let mut current = composer.layout_text(title, title_style, measure, Align::Centre);
    let heading = structure.add(
        StructRole::Heading {
            level: 1,
            title: title.to_string(),
        },
        None,
    );
    for line in &mut current {
        line.items.insert(0, Item::Mark(Mark::Content(heading)));
    }
    let toc = structure.add(StructRole::Toc, None);
    current.push(spacer(style.leading * TITLE_SPACE_LINES));
    let mut used: f32 = current.iter().map(|l| l.height).sum();
    let (dot, dot_width) = composer.shape_line(".", style);
    for (k, entry) in entries.iter().enumerate() {
        let indent = f32::from(entry.depth.saturating_sub(1)) * LEVEL_INDENT_EM * em;
        let width = (measure - indent - NUMBER_COLUMN_EM * em).max(em);
        let mut lines = composer.layout_text(&entry.title, style, width, Align::RaggedRight);
        // A right-to-left title is set at the right (the paragraph setter has put it at the
        // right of `width`), its number at the left and the leader between them.
        let rtl = bidi::paragraph_is_rtl(&entry.title);
        let shift = if rtl {
            measure - indent - width
        } else {
            indent
        };
        if lines.is_empty() {
            lines.push(LineBox {
                height: style.leading,
                baseline: style.leading * paragraph::BASELINE_SHARE,
                ..LineBox::default()
            });
        }
        let target = LinkTarget::Anchor(entry.anchor.clone());
        let item = structure.add(StructRole::TocItem, Some(toc));
        for line in &mut lines {
            paragraph::translate(&mut line.items, shift, 0.0);
            let link = structure.add(
                StructRole::Link {
                    description: entry.title.clone(),
                },
                Some(item),
            );
            line.items.insert(0, Item::Mark(Mark::Content(link)));
            line.items.push(Item::Link {
                rect: Rect {
                    x: if rtl { 0.0 } else { indent },
                    y: -line.baseline,
                    width: measure - indent,
                    height: line.height,
                },
                target: target.clone(),
            });
        }
        if let Some(last) = lines.last_mut() {
            let (mut number, number_width) = composer.shape_line(&entry.number.to_string(), style);
            let number_x = if rtl { 0.0 } else { measure - number_width };
            paragraph::translate(&mut number, number_x, 0.0);
            last.items.extend(number);
            last.items
                .push(Item::Mark(Mark::Artifact(Artifact::Layout)));
            // Dots on a fixed grid, so that leaders line up from entry to entry.
            let pitch = LEADER_PITCH_EM * em;
            let (from, to) = if rtl {
                (
                    number_width + LEADER_GAP_EM * em,
                    measure - indent - last.width - LEADER_GAP_EM * em - dot_width,
                )
            } else {
                (
                    indent + last.width + LEADER_GAP_EM * em,
                    measure - number_width - LEADER_GAP_EM * em - dot_width,
                )
            };
            let mut x = (from / pitch).ceil() * pitch;
            while x <= to && pitch >= MIN_LEADER_PITCH {
                let mut d = dot.clone();
                paragraph::translate(&mut d, x, 0.0);
                last.items.extend(d);
                x += pitch;
            }
        }
        let space = if entry.depth == 1 && k > 0 {
            style.leading * CHAPTER_SPACE_LINES
        } else {
            0.0
        };
        let height: f32 = lines.iter().map(|l| l.height).sum::<f32>() + space;
        if used + height > text_height + 0.01 && !current.is_empty() {
            pages.push(std::mem::take(&mut current));
            used = 0.0;
        } else if space > 0.0 {
            current.push(spacer(space));
            used += space;
        }
        used += lines.iter().map(|l| l.height).sum::<f32>();
        current.extend(lines);
    }
    pages.push(current);
    pages
}

fn spacer(height: f32) -> LineBox {
    LineBox {
        height,
        ..LineBox::default()
    }
}

/// Nested bookmarks mirroring the contents. `page_of` maps a body page index to a document
/// page index; `text_top` is the text block's top on the page, pt.
pub fn outline(
    entries: &[TocEntry],
    page_of: impl Fn(usize) -> usize,
    text_top: f32,
) -> Vec<OutlineEntry> {
    // A stack of open entries by depth; each finished entry joins its parent.
    let mut roots: Vec<OutlineEntry> = Vec::new();
    let mut stack: Vec<(u8, OutlineEntry)> = Vec::new();
    fn close(stack: &mut Vec<(u8, OutlineEntry)>, roots: &mut Vec<OutlineEntry>) {
        if let Some((_, done)) = stack.pop() {
            match stack.last_mut() {
                Some((_, parent)) => parent.children.push(done),
                None => roots.push(done),
            }
        }
    }
    for entry in entries {
        while stack.last().is_some_and(|(d, _)| *d >= entry.depth) {
            close(&mut stack, &mut roots);
        }
        stack.push((
            entry.depth,
            OutlineEntry {
                title: entry.title.clone(),
                page: page_of(entry.body_page),
                y: text_top + entry.top,
                children: Vec::new(),
            },
        ));
    }
    while !stack.is_empty() {
        close(&mut stack, &mut roots);
    }
    roots
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(depth: u8, title: &str, body_page: usize) -> TocEntry {
        TocEntry {
            depth,
            title: title.into(),
            anchor: title.to_lowercase(),
            number: page_number(body_page),
            body_page,
            top: 0.0,
        }
    }

    #[test]
    fn outline_nests_by_depth() {
        let e = vec![
            entry(1, "A", 0),
            entry(2, "A1", 1),
            entry(3, "A1a", 1),
            entry(2, "A2", 2),
            entry(1, "B", 4),
        ];
        let o = outline(&e, |p| p + 6, 50.0);
        assert_eq!(o.len(), 2);
        assert_eq!(o[0].children.len(), 2);
        assert_eq!(o[0].children[0].children[0].title, "A1a");
        assert_eq!(o[1].page, 10);
        assert_eq!(o[0].y, 50.0);
    }
}
