//! An mdBook or GitBook `SUMMARY.md`: a book's table of contents written as a list of links,
//! which gives its reading order. mdBook's format (which GitBook's is a subset of):
//!
//! ```markdown
//! # Summary                       ← the summary's own title: ignored
//!
//! [Introduction](README.md)        ← prefix chapters, before the list
//!
//! # User guide                     ← a part title
//!
//! - [Installation](guide/installation.md)
//!     - [Nested](guide/nested.md)  ← a sub-chapter
//! - [Draft chapter]()              ← a draft: a chapter without a file yet
//!
//! ---                              ← a separator
//!
//! [Contributors](misc/contributors.md) ← suffix chapters
//! ```
//!
//! [`read`] takes a file for a summary only when it holds nothing but these (headings, links,
//! lists of links, rules, HTML comments) and at least one link to a Markdown file, so that an
//! article that happens to be called `SUMMARY.md` stays an article. `load.rs` turns the
//! entries into manuscript files and diagnostics. Every chapter is a chapter of the book, a
//! sub-chapter too (bindery's books have no parts or nesting of files); the link's text is the
//! chapter's title where the file has none of its own.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::ops::Range;

/// The file name mdBook and GitBook read the summary from (exactly so: mdBook's own spelling).
pub const FILE_NAME: &str = "SUMMARY.md";

/// One link of the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The link's text: mdBook's name for the chapter.
    pub title: String,
    /// The destination as written: a path relative to the summary's folder (its `%XX`
    /// escapes decoded, a leading `./` and a `#fragment` left out), or a URL; empty for a
    /// draft.
    pub target: String,
    /// Where the link is written in the summary (bytes).
    pub range: Range<usize>,
}

/// What a summary lists, in reading order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The links, drafts and links to other things included, in order.
    pub entries: Vec<Entry>,
    /// The part titles (the headings after the summary's own title), with where each is
    /// written.
    pub parts: Vec<(String, Range<usize>)>,
}

/// What an entry of the summary is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A chapter: a Markdown file of the book.
    Chapter,
    /// A draft chapter: a link without a destination, `[Title]()`.
    Draft,
    /// A URL or a file that is not Markdown.
    Elsewhere,
}

impl Entry {
    pub fn kind(&self, is_markdown: impl Fn(&str) -> bool) -> EntryKind {
        if self.target.is_empty() {
            EntryKind::Draft
        } else if self.target.contains("://")
            || self.target.starts_with("mailto:")
            || !is_markdown(&self.target)
        {
            EntryKind::Elsewhere
        } else {
            EntryKind::Chapter
        }
    }
}

/// The summary `text` holds, or `None` when it is not one: it holds prose, code, an image or a
/// table, or links to no Markdown file (`is_markdown` judges a destination's name).
pub fn read(text: &str, is_markdown: impl Fn(&str) -> bool) -> Option<Summary> {
    let mut summary = Summary::default();
    // The link being read: its destination, text and start.
    let mut link: Option<(String, String, usize)> = None;
    // The heading being read: its text and start.
    let mut heading: Option<(String, usize)> = None;
    let mut titled = false;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) if link.is_none() && heading.is_none() => {
                link = Some((dest_url.to_string(), String::new(), range.start));
            }
            Event::End(TagEnd::Link) => {
                // A link inside a heading is the heading's text.
                if let Some((dest, title, start)) = link.take() {
                    summary.entries.push(Entry {
                        title: title.trim().to_string(),
                        target: destination(&dest),
                        range: start..range.end,
                    });
                }
            }
            Event::Start(Tag::Heading { .. }) => heading = Some((String::new(), range.start)),
            Event::End(TagEnd::Heading(_)) => {
                let (title, start) = heading.take()?;
                // The first heading before any link is the summary's own title.
                if titled || !summary.entries.is_empty() {
                    summary
                        .parts
                        .push((title.trim().to_string(), start..range.end));
                }
                titled = true;
            }
            Event::Text(t) | Event::Code(t) => match (&mut link, &mut heading) {
                (Some((_, title, _)), _) | (None, Some((title, _))) => title.push_str(&t),
                (None, None) if t.trim().is_empty() => {}
                (None, None) => return None,
            },
            Event::SoftBreak | Event::HardBreak => {}
            Event::Html(h) | Event::InlineHtml(h) if h.trim().is_empty() => {}
            Event::Html(h) | Event::InlineHtml(h) if h.trim_start().starts_with("<!--") => {}
            Event::Start(Tag::List(_) | Tag::Item | Tag::Paragraph | Tag::HtmlBlock)
            | Event::End(TagEnd::List(_) | TagEnd::Item | TagEnd::Paragraph | TagEnd::HtmlBlock)
            | Event::Rule => {}
            Event::Start(Tag::Emphasis | Tag::Strong)
            | Event::End(TagEnd::Emphasis | TagEnd::Strong)
                if link.is_some() || heading.is_some() => {}
            _ => return None,
        }
    }
    let chapters = summary
        .entries
        .iter()
        .filter(|e| e.kind(&is_markdown) == EntryKind::Chapter)
        .count();
    (chapters > 0).then_some(summary)
}

/// A link's destination as a path: `%XX` escapes decoded (mdBook writes `my%20file.md`),
/// `./` and a fragment left out. A URL stays as written.
fn destination(dest: &str) -> String {
    if dest.contains("://") {
        return dest.to_string();
    }
    let path = dest.split('#').next().unwrap_or("");
    let mut bytes = Vec::with_capacity(path.len());
    let raw = path.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        let hex = raw
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (raw[i], hex) {
            (b'%', Some(b)) => {
                bytes.push(b);
                i += 3;
            }
            (b, _) => {
                bytes.push(b);
                i += 1;
            }
        }
    }
    let decoded = String::from_utf8(bytes).unwrap_or_else(|_| path.to_string());
    let mut out = decoded.as_str();
    while let Some(rest) = out.strip_prefix("./") {
        out = rest;
    }
    out.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(name: &str) -> bool {
        name.ends_with(".md")
    }

    const MDBOOK: &str = "# Summary\n\n[Introduction](README.md)\n\n# User guide\n\n\
        - [Installation](guide/installation.md)\n    - [`init`](./cli/init%20command.md#top)\n\
        - [Draft chapter]()\n- [The site](https://example.org/)\n\n---\n\n\
        <!-- the end -->\n[Contributors](misc/contributors.md)\n";

    #[test]
    fn an_mdbook_summary_gives_its_links_in_order() {
        let s = read(MDBOOK, md).expect("a summary");
        let entries: Vec<(&str, &str, EntryKind)> = s
            .entries
            .iter()
            .map(|e| (e.title.as_str(), e.target.as_str(), e.kind(md)))
            .collect();
        assert_eq!(
            entries,
            [
                ("Introduction", "README.md", EntryKind::Chapter),
                ("Installation", "guide/installation.md", EntryKind::Chapter),
                ("init", "cli/init command.md", EntryKind::Chapter),
                ("Draft chapter", "", EntryKind::Draft),
                ("The site", "https://example.org/", EntryKind::Elsewhere),
                ("Contributors", "misc/contributors.md", EntryKind::Chapter),
            ]
        );
        // The link's range is the link as written.
        assert_eq!(
            &MDBOOK[s.entries[0].range.clone()],
            "[Introduction](README.md)"
        );
        // "# Summary" is the summary's title; "# User guide" a part.
        assert_eq!(s.parts.len(), 1);
        assert_eq!(s.parts[0].0, "User guide");
        assert_eq!(&MDBOOK[s.parts[0].1.clone()], "# User guide\n");
    }

    #[test]
    fn gitbook_s_starred_lists_and_headed_parts_are_a_summary() {
        let s = read(
            "# Table of contents\n\n* [Read me](README.md)\n\n## Basics\n\n* [One](one.md)\n",
            md,
        )
        .expect("a summary");
        assert_eq!(s.entries.len(), 2);
        assert_eq!(s.parts[0].0, "Basics");
    }

    #[test]
    fn an_article_called_summary_stays_an_article() {
        // Prose, code or an image: not a table of contents.
        assert_eq!(
            read("# Summary\n\nWe found that [rice](rice.md) grows.\n", md),
            None
        );
        assert_eq!(read("- [One](one.md)\n\n```\ncode\n```\n", md), None);
        assert_eq!(read("- [One](one.md)\n\n![x](x.png)\n", md), None);
        // Links to no Markdown file.
        assert_eq!(read("- [Site](https://example.org/)\n", md), None);
        assert_eq!(read("", md), None);
    }
}
