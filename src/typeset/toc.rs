//! The contents: entries from the headings the flow placed (so their page numbers are where the
//! headings really landed), laid out with dotted leaders, right-aligned page numbers and a link
//! to each heading; the lists of figures and of tables (`contents: { figures, tables }`), laid
//! out the same way from where each figure's or table's anchor landed; and the PDF bookmarks,
//! which mirror the contents.

use super::bidi;
use super::flow::FlowPage;
use super::frame::{Artifact, Item, LinkTarget, Mark, OutlineEntry, Rect, StructRole, Structure};
use super::paragraph::{self, Align, Composer, TextStyle};
use super::vlist::{ChapterFlow, LineBox, VItem};

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
/// Gap between a list entry's label ("Figure 2.3") and its caption, in em.
const LABEL_GAP_EM: f32 = 1.0;
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

/// The entries of a list of figures or of tables: each of `listed`, in order, with the page
/// where its anchor (the caption's destination) landed on the chapters' pages, in the body, a
/// float or a note. A figure that floated is listed where it was set, not where its text
/// mentions it.
pub fn list_entries(
    listed: &[crate::model::Listed],
    chapters: &[PlacedChapter<'_>],
) -> Vec<ListEntry> {
    let wanted: std::collections::HashSet<&str> =
        listed.iter().map(|l| l.anchor.as_str()).collect();
    let mut found: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for chapter in chapters {
        let flow = chapter.flow;
        for (k, page) in chapter.pages.iter().enumerate() {
            let body_page = chapter.first_body_page + k;
            let mut note = |line: &LineBox| {
                for item in &line.items {
                    if let Item::Anchor { name, .. } = item {
                        if wanted.contains(name.as_str()) {
                            found.entry(name.clone()).or_insert(body_page);
                        }
                    }
                }
            };
            for placed in &page.lines {
                if let Some(VItem::Line(line)) = flow.body.get(placed.item) {
                    note(line);
                }
            }
            for placed in &page.floats {
                if let Some(VItem::Float(float)) = flow.body.get(placed.item) {
                    float.lines.iter().for_each(&mut note);
                }
            }
            for placed in &page.notes {
                if let Some(lines) = flow
                    .notes
                    .get(placed.note)
                    .and_then(|n| n.lines.get(placed.lines.clone()))
                {
                    lines.iter().for_each(&mut note);
                }
            }
        }
    }
    listed
        .iter()
        .filter_map(|l| {
            let body_page = *found.get(&l.anchor)?;
            Some(ListEntry {
                label: l.name.clone(),
                title: l.caption.clone(),
                anchor: l.anchor.clone(),
                number: page_number(body_page),
                body_page,
            })
        })
        .collect()
}

/// One line of a list of figures or of tables: "Figure 2.3  Rows of rice ...... 37".
#[derive(Debug, Clone, PartialEq)]
pub struct ListEntry {
    /// The name and number ("Figure 2.3"), set in a column of its own.
    pub label: String,
    /// The caption's text.
    pub title: String,
    /// Named destination of the figure or table.
    pub anchor: String,
    /// Printed page number (arabic body numbering).
    pub number: u32,
    /// 0-based index of the page among the body pages.
    pub body_page: usize,
}

/// One row of a laid-out list (the contents, or a list of figures or tables).
struct Row<'a> {
    /// Indent level: 0 for chapters and list entries.
    level: u8,
    /// Set in a column before the title, as wide as the list's widest label.
    label: Option<&'a str>,
    title: &'a str,
    anchor: &'a str,
    number: u32,
    /// Half a line of space above (a chapter's entry after the first).
    space_above: bool,
}

/// The styles and sizes a list is laid out with.
pub struct ListStyle<'a> {
    pub title_style: &'a TextStyle,
    pub style: &'a TextStyle,
    pub measure: f32,
    pub text_height: f32,
    /// The digits the page numbers are printed in ([`super::page::folio_text`]'s).
    pub digits: crate::lang::Digits,
}

/// Lays the contents out in pages of `text_height` pt and `measure` pt: each page is a stack of
/// lines (x from the text block's left edge, with link areas), the first opening with the title.
///
/// The contents' elements go into `structure`: the title as a level-1 heading, then a `Toc`
/// with one `TocItem` per entry, each holding a `Link` per line (its text, and the page number
/// on the last line); the leader dots are artifacts.
pub fn layout(
    structure: &mut Structure,
    title: &str,
    entries: &[TocEntry],
    composer: &mut Composer,
    look: &ListStyle<'_>,
) -> Vec<Vec<LineBox>> {
    let rows: Vec<Row<'_>> = entries
        .iter()
        .enumerate()
        .map(|(k, e)| Row {
            level: e.depth.saturating_sub(1),
            label: None,
            title: &e.title,
            anchor: &e.anchor,
            number: e.number,
            space_above: e.depth == 1 && k > 0,
        })
        .collect();
    layout_rows(structure, title, &rows, composer, look)
}

/// Lays a list of figures or of tables out as the contents are ([`layout`]): its title, then
/// one entry per figure or table with its label in a column of its own, the caption, leaders
/// and the page number, each linked to its figure or table and tagged as a `TocItem`.
pub fn layout_list(
    structure: &mut Structure,
    title: &str,
    entries: &[ListEntry],
    composer: &mut Composer,
    look: &ListStyle<'_>,
) -> Vec<Vec<LineBox>> {
    let rows: Vec<Row<'_>> = entries
        .iter()
        .map(|e| Row {
            level: 0,
            label: Some(&e.label),
            title: &e.title,
            anchor: &e.anchor,
            number: e.number,
            space_above: false,
        })
        .collect();
    layout_rows(structure, title, &rows, composer, look)
}

fn layout_rows(
    structure: &mut Structure,
    title: &str,
    rows: &[Row<'_>],
    composer: &mut Composer,
    look: &ListStyle<'_>,
) -> Vec<Vec<LineBox>> {
    let (style, measure, text_height) = (look.style, look.measure, look.text_height);
    let em = style.size;
    let mut pages: Vec<Vec<LineBox>> = Vec::new();
    let mut current = composer.layout_text(title, look.title_style, measure, Align::Centre);
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
    // The labels' column: as wide as the widest label, and a gap. A label is set by the
    // paragraph setter, which puts a right-to-left one ("الشكل 1") in visual order, at the
    // right of the measure; each is moved to the left edge of its line here.
    let labels: Vec<Option<(Vec<Item>, f32)>> = rows
        .iter()
        .map(|r| {
            let label = r.label?;
            let line = composer
                .layout_text(label, style, measure, Align::RaggedRight)
                .into_iter()
                .next()?;
            let mut items = line.items;
            if bidi::paragraph_is_rtl(label) {
                paragraph::translate(&mut items, line.width - measure, 0.0);
            }
            Some((items, line.width))
        })
        .collect();
    let label_column = labels
        .iter()
        .flatten()
        .map(|(_, w)| *w)
        .fold(None, |m: Option<f32>, w| Some(m.map_or(w, |m| m.max(w))))
        .map_or(0.0, |w| w + LABEL_GAP_EM * em);
    for (row, label) in rows.iter().zip(labels) {
        let indent = f32::from(row.level) * LEVEL_INDENT_EM * em;
        // Where the title starts, from the side it is set on.
        let lead = indent + label_column;
        let width = (measure - lead - NUMBER_COLUMN_EM * em).max(em);
        let mut lines = composer.layout_text(row.title, style, width, Align::RaggedRight);
        // A right-to-left entry is set at the right (the paragraph setter has put its title
        // at the right of `width`), its label right of the title, its number at the left and
        // the leader between them. A list's entry takes its label's direction (the book's
        // language), the contents' its title's.
        let rtl = bidi::paragraph_is_rtl(row.label.unwrap_or(row.title));
        let shift = if rtl { measure - lead - width } else { lead };
        if lines.is_empty() {
            lines.push(LineBox {
                height: style.leading,
                baseline: style.leading * paragraph::BASELINE_SHARE,
                ..LineBox::default()
            });
        }
        let description = match row.label {
            Some(l) => format!("{l} {}", row.title),
            None => row.title.to_string(),
        };
        let target = LinkTarget::Anchor(row.anchor.to_string());
        let item = structure.add(StructRole::TocItem, Some(toc));
        // A title set in the other direction than its entry (a Latin caption in an Arabic
        // book) is moved to the entry's side of its column.
        let title_rtl = bidi::paragraph_is_rtl(row.title);
        for (k, line) in lines.iter_mut().enumerate() {
            let align = match (rtl, title_rtl) {
                (true, false) => width - line.width,
                (false, true) => line.width - width,
                _ => 0.0,
            };
            paragraph::translate(&mut line.items, shift + align, 0.0);
            if let (0, Some((glyphs, label_width))) = (k, &label) {
                let mut glyphs = glyphs.clone();
                let x = if rtl {
                    measure - indent - label_width
                } else {
                    indent
                };
                paragraph::translate(&mut glyphs, x, 0.0);
                line.items.splice(0..0, glyphs);
            }
            let link = structure.add(
                StructRole::Link {
                    description: description.clone(),
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
            let (mut number, number_width) =
                composer.shape_line(&look.digits.write(&row.number.to_string()), style);
            let number_x = if rtl { 0.0 } else { measure - number_width };
            paragraph::translate(&mut number, number_x, 0.0);
            last.items.extend(number);
            last.items
                .push(Item::Mark(Mark::Artifact(Artifact::Layout)));
            // Dots on a fixed grid, so that leaders line up from entry to entry. The title's
            // last line ends `last.width` past where it starts (`lead`).
            let pitch = LEADER_PITCH_EM * em;
            let (from, to) = if rtl {
                (
                    number_width + LEADER_GAP_EM * em,
                    measure - lead - last.width - LEADER_GAP_EM * em - dot_width,
                )
            } else {
                (
                    lead + last.width + LEADER_GAP_EM * em,
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
        let space = if row.space_above {
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
