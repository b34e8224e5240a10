//! Model → XHTML content documents: chapters with their popup footnotes, and the front matter
//! pages (cover, title, copyright, contents).
//!
//! Everything written here is well-formed for any input: text and attributes go through
//! [`crate::html::escape_text`] / [`crate::html::escape_attr`], raw HTML through the
//! [`crate::html::Sanitizer`], and ids are made ASCII NCNames and unique per document.

use std::collections::HashSet;

use crate::html;
use crate::model::{
    Align, Block, BlockKind, Book, Chapter, Direction, Inline, InlineKind, LinkTarget, Table,
};

/// The file name of a chapter inside the package. Slugs are ASCII `[a-z0-9-]`, so they never
/// collide with the front matter names (which hold `_`); `nav` is epub-builder's own file.
pub fn chapter_file(slug: &str) -> String {
    if slug == "nav" {
        "nav_.xhtml".to_string()
    } else {
        format!("{slug}.xhtml")
    }
}

/// An id usable as an XML `ID` and a URL fragment: ASCII letters, digits, `-`, `_`, `.`; any
/// other character becomes `_` plus its hex code; it always starts with a letter.
pub fn xml_id(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
            out.push(c);
        } else {
            out.push_str(&format!("_{:x}", c as u32));
        }
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "id-");
    }
    out
}

/// A complete XHTML document around `body` (which must already be well-formed).
pub fn page(title: &str, lang: &str, body_attrs: &str, body: &str) -> String {
    // A right-to-left language sets the document's direction too.
    let dir = if Direction::of(None, Some(lang)) == Some(Direction::Rtl) {
        " dir=\"rtl\""
    } else {
        ""
    };
    let lang = html::attr(lang);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{lang}\" xml:lang=\"{lang}\"{dir}>\n\
<head>\n<meta charset=\"utf-8\"/>\n<title>{title}</title>\n\
<link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\"/>\n</head>\n\
<body{body_attrs}>\n{body}</body>\n</html>\n",
        title = html::text(title),
    )
}

/// Renders chapter `index` of `book` as a complete XHTML document.
///
/// `breaks` holds the print page markers (empty without `epub.print_page_numbers`).
pub fn chapter_page(book: &Book, index: usize, breaks: &super::pages::PageBreaks) -> String {
    let Some(chapter) = book.chapters.get(index) else {
        return String::new();
    };
    let opening = crate::front::chapter_opening(book, index);
    let mut extras = String::new();
    if let Some(subtitle) = &opening.subtitle {
        extras.push_str(&format!(
            "<p class=\"subtitle\" role=\"doc-subtitle\">{}</p>\n",
            html::text(subtitle)
        ));
    }
    if let Some(byline) = &opening.byline {
        extras.push_str(&format!("<p class=\"byline\">{}</p>\n", html::text(byline)));
    }
    let mut w = Writer {
        book,
        chapter,
        chapter_index: index,
        out: String::new(),
        ids: HashSet::new(),
        title_id: chapter.title_heading().map(|h| h.id.clone()),
        opening_extras: Some(extras).filter(|e| !e.is_empty()),
        direction: chapter.direction(&book.config.language),
        last_heading: 0,
    };
    // Note anchors are reserved first, so that no heading can take them.
    for f in &chapter.footnotes {
        w.ids.insert(xml_id(&f.anchor));
    }
    let title = crate::front::chapter_title(book, index);
    w.out.push_str(&format!(
        "<section class=\"chapter\" epub:type=\"chapter\" role=\"doc-chapter\" aria-label=\"{}\">\n",
        html::attr(&title)
    ));
    // A title from the front matter is set where a title heading would be.
    if let Some(front_title) = &opening.title {
        w.out
            .push_str(&format!("<h1>{}</h1>\n", html::text(front_title)));
        w.last_heading = 1;
        w.out.push_str(&w.opening_extras.take().unwrap_or_default());
    }
    let mut dir = None;
    for (k, block) in chapter.blocks.iter().enumerate() {
        w.direction(&mut dir, block.dir);
        let markers = breaks.in_block(index, k);
        if markers.is_empty() {
            w.block(block);
            continue;
        }
        let start = w.out.len();
        w.block(block);
        let marked = super::pages::insert_at_words(&w.out[start..], markers);
        w.out.truncate(start);
        w.out.push_str(&marked);
    }
    w.direction(&mut dir, None);
    w.out.push_str(&breaks.at_end(index));
    w.out.push_str("</section>\n");
    w.footnotes();
    let lang = chapter.lang.as_deref().unwrap_or(&book.config.language);
    page(&title, lang, "", &w.out)
}

/// Marks where a note's backlink goes until every reference has been written (U+0000 can never
/// come from escaped text).
fn backlink_marker(i: usize) -> String {
    format!("\u{0}backlink{i}\u{0}")
}

struct Writer<'a> {
    book: &'a Book,
    chapter: &'a Chapter,
    chapter_index: usize,
    out: String,
    /// Ids written so far in this document.
    ids: HashSet<String>,
    /// The id of the heading that titles the chapter ([`Chapter::title_heading`]).
    title_id: Option<String>,
    /// The subtitle and byline (`front::chapter_opening`), written once after the title.
    opening_extras: Option<String>,
    /// The direction of the text being written (the chapter's, or the enclosing span's):
    /// a span whose language has another direction says its own.
    direction: Direction,
    /// The outline level of the last heading written (0 before the first).
    last_heading: u8,
}

impl Writer<'_> {
    /// Claims an id; `None` when it is already taken (the element is then written without one).
    fn claim(&mut self, id: &str) -> Option<String> {
        let id = xml_id(id);
        self.ids.insert(id.clone()).then_some(id)
    }

    fn blocks(&mut self, blocks: &[Block]) {
        let mut dir = None;
        for b in blocks {
            self.direction(&mut dir, b.dir);
            self.block(b);
        }
        self.direction(&mut dir, None);
    }

    /// Between blocks of directions `current` and `next` ([`Block::dir`]): closes the `<div
    /// dir>` that held the blocks before and opens one for the blocks after, so that a run of
    /// blocks the author marked (`<div dir="rtl">` around Markdown) is one `<div dir="rtl">`.
    fn direction(&mut self, current: &mut Option<Direction>, next: Option<Direction>) {
        if *current == next {
            return;
        }
        if current.is_some() {
            self.out.push_str("</div>\n");
        }
        if let Some(dir) = next {
            self.out
                .push_str(&format!("<div dir=\"{}\">\n", dir.as_str()));
        }
        *current = next;
    }

    fn block(&mut self, block: &Block) {
        match &block.kind {
            BlockKind::Heading(h) => {
                // A heading that skips a level (W0402) is written one level below the heading
                // before it, as the contents list it: the outline a reader navigates has no
                // hole (Ace's heading-order).
                let mut level = h.level.clamp(1, 6);
                if self.last_heading > 0 {
                    level = level.min(self.last_heading + 1);
                }
                self.last_heading = level;
                let id = self.claim(&h.id);
                self.out.push_str(&format!("<h{level}"));
                if let Some(id) = id {
                    self.out.push_str(&format!(" id=\"{id}\""));
                }
                self.out.push('>');
                self.inlines(&h.content, false);
                self.out.push_str(&format!("</h{level}>\n"));
                if self.title_id.as_deref() == Some(h.id.as_str()) {
                    if let Some(extras) = self.opening_extras.take() {
                        self.out.push_str(&extras);
                    }
                }
            }
            BlockKind::Paragraph(inlines) => {
                if let Some(figure) = self.figure(inlines) {
                    self.out.push_str(&figure);
                    return;
                }
                self.out.push_str("<p>");
                self.inlines(inlines, false);
                self.out.push_str("</p>\n");
            }
            BlockKind::BlockQuote(inner) => {
                self.out.push_str("<blockquote>\n");
                self.blocks(inner);
                self.out.push_str("</blockquote>\n");
            }
            BlockKind::List(list) => {
                // An ordered list counts in the book's digits, as the print edition's does
                // (nothing to say for European digits, CSS's default `decimal`).
                let digits = self.book.config.words().digits;
                let style = digits
                    .counter_style()
                    .map(|name| format!(" style=\"list-style-type: {name}\""))
                    .unwrap_or_default();
                let tag = match list.start {
                    Some(1) => {
                        self.out.push_str(&format!("<ol{style}>\n"));
                        "ol"
                    }
                    Some(n) => {
                        self.out.push_str(&format!("<ol{style} start=\"{n}\">\n"));
                        "ol"
                    }
                    None => {
                        self.out.push_str("<ul>\n");
                        "ul"
                    }
                };
                for item in &list.items {
                    self.out.push_str("<li>");
                    self.blocks(&item.blocks);
                    self.out.push_str("</li>\n");
                }
                self.out.push_str(&format!("</{tag}>\n"));
            }
            BlockKind::CodeBlock { lang, text } => {
                self.out.push_str("<pre><code");
                if let Some(lang) = lang {
                    let class: String = lang
                        .chars()
                        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                        .collect();
                    if !class.is_empty() {
                        self.out.push_str(&format!(" class=\"language-{class}\""));
                    }
                }
                self.out.push('>');
                html::escape_text(text.strip_suffix('\n').unwrap_or(text), &mut self.out);
                self.out.push_str("</code></pre>\n");
            }
            BlockKind::SceneBreak => self.out.push_str("<hr class=\"scene-break\"/>\n"),
            BlockKind::Table(t) => self.table(t, block.span),
        }
    }

    /// A paragraph that is a figure ([`Book::figure`]) becomes `<figure>`, with its number
    /// and caption ([`crate::numbering::figure_caption`]) and its width (`{width=60%}`) as CSS.
    fn figure(&mut self, inlines: &[Inline]) -> Option<String> {
        let figure = self.book.figure(inlines)?;
        let asset = self.book.assets.get(figure.asset)?;
        let caption = crate::numbering::figure_caption(self.book, &figure);
        let mut s = String::from("<figure class=\"image\"");
        if let Some(id) = caption.anchor.and_then(|a| self.claim(a)) {
            s.push_str(&format!(" id=\"{id}\""));
        }
        s.push_str(&format!(
            "><img src=\"{}\" alt=\"{}\"",
            html::attr(&html::encode_url(&asset.name)),
            html::attr(figure.alt)
        ));
        if let Some(width) = figure.width {
            s.push_str(&format!(" style=\"width: {}%\"", (width * 100.0).round()));
        }
        s.push_str("/>");
        if !caption.text.is_empty() {
            s.push_str("<figcaption>");
            if let Some(name) = caption.name {
                s.push_str(&format!(
                    "<span class=\"figure-number\">{}</span>",
                    html::text(&crate::numbering::with_stop(name)),
                ));
                s.push(' ');
            }
            s.push_str(&html::text(caption.text));
            s.push_str("</figcaption>");
        }
        s.push_str("</figure>\n");
        Some(s)
    }

    fn table(&mut self, t: &Table, span: crate::model::Span) {
        let class = |i: usize| match t.align.get(i) {
            Some(Align::Left) => " class=\"align-left\"",
            Some(Align::Center) => " class=\"align-center\"",
            Some(Align::Right) => " class=\"align-right\"",
            _ => "",
        };
        // Its number and anchor, decided once (`numbering`).
        let numbered = self
            .book
            .numbers
            .tables
            .get(&span)
            .filter(|_| !t.caption.is_empty());
        match numbered.and_then(|n| self.claim(&n.anchor)) {
            Some(id) => self.out.push_str(&format!("<table id=\"{id}\">\n")),
            None => self.out.push_str("<table>\n"),
        }
        if !t.caption.is_empty() {
            self.out.push_str("<caption>");
            if let Some(n) = numbered {
                self.out.push_str(&format!(
                    "<span class=\"table-number\">{}</span> ",
                    html::text(&crate::numbering::with_stop(&n.name)),
                ));
            }
            self.inlines(&t.caption, false);
            self.out.push_str("</caption>\n");
        }
        if !t.head.is_empty() {
            self.out.push_str("<thead><tr>");
            for (i, cell) in t.head.iter().enumerate() {
                self.out
                    .push_str(&format!("<th scope=\"col\"{}>", class(i)));
                self.inlines(cell, false);
                self.out.push_str("</th>");
            }
            self.out.push_str("</tr></thead>\n");
        }
        if !t.rows.is_empty() {
            self.out.push_str("<tbody>\n");
            for row in &t.rows {
                self.out.push_str("<tr>");
                for (i, cell) in row.iter().enumerate() {
                    self.out.push_str(&format!("<td{}>", class(i)));
                    self.inlines(cell, false);
                    self.out.push_str("</td>");
                }
                self.out.push_str("</tr>\n");
            }
            self.out.push_str("</tbody>\n");
        }
        self.out.push_str("</table>\n");
    }

    /// Writes a sequence of inlines.
    fn inlines(&mut self, inlines: &[Inline], in_link: bool) {
        for i in inlines {
            self.inline(i, in_link);
        }
    }

    fn inline(&mut self, inline: &Inline, in_link: bool) {
        match &inline.kind {
            InlineKind::Text(t) => html::escape_text(t, &mut self.out),
            InlineKind::Emphasis(c) => self.wrap("em", c, in_link),
            InlineKind::Strong(c) => self.wrap("strong", c, in_link),
            InlineKind::Strikethrough(c) => self.wrap("s", c, in_link),
            InlineKind::Superscript(c) => self.wrap("sup", c, in_link),
            InlineKind::Subscript(c) => self.wrap("sub", c, in_link),
            InlineKind::Lang { lang, dir, content } => {
                // The direction is written when the author wrote it, or when the language's
                // differs from the text around it (reading systems need both): `dir` on a
                // span makes it an isolate, as `<bdi>` (first strong character) does for
                // `auto`.
                let resolved = inline.direction();
                let written = dir.or(resolved.filter(|d| *d != self.direction));
                let element = if written == Some(Direction::Auto) {
                    "bdi"
                } else {
                    "span"
                };
                self.out.push('<');
                self.out.push_str(element);
                if let Some(lang) = lang {
                    let tag = html::attr(lang);
                    self.out
                        .push_str(&format!(" lang=\"{tag}\" xml:lang=\"{tag}\""));
                }
                if let Some(d @ (Direction::Ltr | Direction::Rtl)) = written {
                    self.out.push_str(&format!(" dir=\"{}\"", d.as_str()));
                }
                self.out.push('>');
                let around = self.direction;
                if let Some(d @ (Direction::Ltr | Direction::Rtl)) = resolved {
                    self.direction = d;
                }
                self.inlines(content, in_link);
                self.direction = around;
                self.out.push_str(&format!("</{element}>"));
            }
            InlineKind::Code(t) => {
                self.out.push_str("<code>");
                html::escape_text(t, &mut self.out);
                self.out.push_str("</code>");
            }
            InlineKind::Link {
                target,
                title,
                content,
            } => {
                let href = if in_link { None } else { self.href(target) };
                let Some(href) = href else {
                    self.inlines(content, in_link);
                    return;
                };
                self.out.push_str("<a href=\"");
                html::escape_attr(&href, &mut self.out);
                self.out.push('"');
                if !title.trim().is_empty() {
                    self.out.push_str(" title=\"");
                    html::escape_attr(title, &mut self.out);
                    self.out.push('"');
                }
                self.out.push('>');
                self.inlines(content, true);
                self.out.push_str("</a>");
            }
            InlineKind::Image {
                asset, alt, title, ..
            } => match asset.and_then(|a| self.book.assets.get(a)) {
                Some(a) => {
                    self.out.push_str("<img src=\"");
                    html::escape_attr(&html::encode_url(&a.name), &mut self.out);
                    self.out.push_str("\" alt=\"");
                    html::escape_attr(alt, &mut self.out);
                    self.out.push('"');
                    if !title.trim().is_empty() {
                        self.out.push_str(" title=\"");
                        html::escape_attr(title, &mut self.out);
                        self.out.push('"');
                    }
                    self.out.push_str("/>");
                }
                // A remote image is not in the package: its description stands in.
                None => html::escape_text(alt, &mut self.out),
            },
            InlineKind::CrossRef(r) => {
                let target = r
                    .labels
                    .first()
                    .and_then(|l| self.book.numbers.labels.get(l));
                let href = match target {
                    Some(t) if !in_link => self.href(&LinkTarget::Internal {
                        chapter: t.chapter,
                        anchor: Some(t.anchor.clone()),
                    }),
                    _ => None,
                };
                match href {
                    Some(href) => {
                        self.out.push_str("<a class=\"xref\" href=\"");
                        html::escape_attr(&href, &mut self.out);
                        self.out.push_str("\">");
                        html::escape_text(&r.text, &mut self.out);
                        self.out.push_str("</a>");
                    }
                    None => html::escape_text(&r.text, &mut self.out),
                }
            }
            InlineKind::FootnoteRef(n) => self.noteref(*n, in_link),
            InlineKind::SoftBreak => self.out.push('\n'),
            InlineKind::HardBreak => self.out.push_str("<br/>\n"),
            // Never in a loaded book: raw HTML became model inlines while parsing.
            InlineKind::Html(_) => {}
        }
    }

    fn wrap(&mut self, tag: &str, content: &[Inline], in_link: bool) {
        self.out.push_str(&format!("<{tag}>"));
        self.inlines(content, in_link);
        self.out.push_str(&format!("</{tag}>"));
    }

    /// The `href` of a link, or `None` when it should be plain text.
    fn href(&self, target: &LinkTarget) -> Option<String> {
        match target {
            LinkTarget::External(url) if html::safe_external_url(url) => {
                Some(html::encode_url(url))
            }
            LinkTarget::External(_) | LinkTarget::Broken(_) => None,
            LinkTarget::Internal { chapter, anchor } => {
                let target = self.book.chapters.get(*chapter)?;
                let file = if *chapter == self.chapter_index {
                    String::new()
                } else {
                    chapter_file(&target.slug)
                };
                Some(match anchor {
                    Some(a) => format!("{file}#{}", xml_id(a)),
                    None if file.is_empty() => chapter_file(&target.slug),
                    None => file,
                })
            }
        }
    }

    /// A popup note reference: `<a epub:type="noteref">` to the note's `<aside>`.
    fn noteref(&mut self, n: usize, in_link: bool) {
        let Some(note) = self.chapter.footnotes.get(n) else {
            return;
        };
        let number = note.mark.clone();
        if in_link {
            // Links cannot nest: show the number without the popup.
            self.out.push_str(&format!("<sup>{number}</sup>"));
            return;
        }
        let mut id = self.claim(&note.ref_anchor);
        let mut k = 2;
        while id.is_none() && k < 1000 {
            id = self.claim(&format!("{}-{k}", note.ref_anchor));
            k += 1;
        }
        self.out
            .push_str("<sup class=\"noteref\"><a epub:type=\"noteref\" role=\"doc-noteref\"");
        if let Some(id) = id {
            self.out.push_str(&format!(" id=\"{id}\""));
        }
        self.out.push_str(&format!(
            " href=\"#{}\">{number}</a></sup>",
            xml_id(&note.anchor)
        ));
    }

    /// The chapter's notes as `<aside epub:type="footnote">` at the end of the file, each with
    /// a backlink to its first reference. Reading systems that pop notes up hide the asides;
    /// the others show them as end notes.
    fn footnotes(&mut self) {
        let notes = &self.chapter.footnotes;
        if notes.is_empty() {
            return;
        }
        let label = self.book.config.words().notes;
        self.out.push_str(&format!(
            "<section class=\"footnotes\" epub:type=\"footnotes\" aria-label=\"{}\">\n",
            html::attr(label)
        ));
        for (i, note) in notes.iter().enumerate() {
            self.out.push_str(&format!(
                "<aside id=\"{}\" class=\"footnote\" epub:type=\"footnote\" role=\"doc-footnote\">\n",
                xml_id(&note.anchor)
            ));
            match note.blocks.split_first() {
                Some((
                    Block {
                        kind: BlockKind::Paragraph(inlines),
                        dir,
                        ..
                    },
                    rest,
                )) => {
                    // The note's first paragraph holds the backlink; a direction written on
                    // it is its own `dir` (the blocks after it go in a `<div dir>`).
                    match dir {
                        Some(dir) => self.out.push_str(&format!("<p dir=\"{}\">", dir.as_str())),
                        None => self.out.push_str("<p>"),
                    }
                    self.out.push_str(&backlink_marker(i));
                    self.inlines(inlines, false);
                    self.out.push_str("</p>\n");
                    self.blocks(rest);
                }
                _ => {
                    self.out.push_str("<p class=\"note-label\">");
                    self.out.push_str(&backlink_marker(i));
                    self.out.push_str("</p>\n");
                    self.blocks(&note.blocks);
                }
            }
            self.out.push_str("</aside>\n");
        }
        self.out.push_str("</section>\n");
        // Every reference is written now: link back where one exists. One pass over the
        // text replaces the markers, in order.
        let labels: Vec<String> = notes
            .iter()
            .map(|note| {
                let ref_id = xml_id(&note.ref_anchor);
                if self.ids.contains(&ref_id) {
                    format!(
                        "<a class=\"backlink\" href=\"#{ref_id}\" role=\"doc-backlink\">{}.</a> ",
                        note.mark
                    )
                } else {
                    format!("<span class=\"note-number\">{}.</span> ", note.mark)
                }
            })
            .collect();
        let text = std::mem::take(&mut self.out);
        let mut out = String::with_capacity(text.len() + labels.len() * 80);
        let mut parts = text.split('\u{0}');
        out.push_str(parts.next().unwrap_or(""));
        while let (Some(marker), Some(rest)) = (parts.next(), parts.next()) {
            let label = marker
                .strip_prefix("backlink")
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|i| labels.get(i));
            out.push_str(label.map(String::as_str).unwrap_or(""));
            out.push_str(rest);
        }
        self.out = out;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_ascii_ncnames() {
        assert_eq!(xml_id("the-end"), "the-end");
        assert_eq!(xml_id("1979"), "id-1979");
        assert_eq!(xml_id("a b:c"), "a_20b_3ac");
        assert_eq!(xml_id("ខ"), "id-_1781");
        assert_eq!(xml_id(""), "id-");
    }

    /// Builds a one-chapter book from Markdown, as the loader would.
    fn book_from(markdown: &str) -> Book {
        use crate::markdown::{link_book, parse_article, ArticleInput, ParseOptions};
        use crate::source::{SourceFile, SourceMap};
        let config = crate::config::parse("book.yaml", "title: T\nauthor: A\nlanguage: en\n")
            .expect("config");
        let mut sources = SourceMap::default();
        let file = sources.add(SourceFile::new(
            "manuscript/a.md".into(),
            "a.md".into(),
            markdown.to_string(),
        ));
        let parsed = parse_article(
            markdown,
            file,
            ParseOptions {
                smart_punctuation: true,
            },
        );
        let article = ArticleInput {
            parsed,
            slug: "a".into(),
            path: "manuscript/a.md".into(),
            image_assets: Default::default(),
        };
        let (chapters, _) = link_book(
            vec![article],
            config.footnote_numbering,
            config.words().digits,
            None,
            &sources,
        );
        let mut book = Book {
            config,
            root: ".".into(),
            chapters,
            assets: Vec::new(),
            sources,
            numbers: Default::default(),
        };
        crate::numbering::number(&mut book);
        book
    }

    fn assert_well_formed(xml: &str) {
        let mut reader = quick_xml::Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        let mut depth = 0i64;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Start(_)) => depth += 1,
                Ok(quick_xml::events::Event::End(_)) => depth -= 1,
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("not well-formed: {e}\n{xml}"),
            }
        }
        assert_eq!(depth, 0, "{xml}");
    }

    /// Random Markdown made of pieces that stress the writer: raw tags, entities, notes, links,
    /// control characters. Every chapter it gives must be well-formed XML.
    #[test]
    fn any_markdown_gives_well_formed_xhtml() {
        const PIECES: &[&str] = &[
            "text ",
            "<b>",
            "</b>",
            "<i>",
            "<div>",
            "</div>",
            "<p>",
            "<script>",
            "</script>",
            "alert(1)",
            "<img src=x onerror=y>",
            "<a href=\"javascript:x\">",
            "</a>",
            "&nbsp;",
            "&#0;",
            "&bogus",
            "\u{1}",
            "\u{FFFF}",
            "[^n]",
            "[^m]",
            "\n\n[^n]: note ",
            "\n\n",
            "\n",
            "# ",
            "## H ",
            "> ",
            "* ",
            "1. ",
            "`code`",
            "*em* ",
            "**strong** ",
            "[l](",
            "https://x.org)",
            "(#h)",
            "<br>",
            "<table><td>",
            "<ul><li>",
            "---\n",
            "| a | b |\n|---|---|\n| c | d |\n",
            "ខ្មែរ",
            "—",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "{#id:x}",
            "\\",
            "<",
            ">",
            "&",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..400 {
            let len = 5 + next() % 40;
            let md: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let book = book_from(&md);
            let page = chapter_page(&book, 0, &Default::default());
            assert_well_formed(&page);
            assert!(!page.contains("<script"), "{md:?}");
            assert!(!page.contains('\u{0}'), "marker left in {md:?}");
        }
    }

    #[test]
    fn broken_links_and_remote_images_become_text() {
        let book = book_from(
            "# T\n\nSee [the missing part](missing.md#x), [the top](#t) and \
             ![a remote map](https://example.org/map.png).\n",
        );
        let page = chapter_page(&book, 0, &Default::default());
        assert!(page.contains("See the missing part, <a href=\"#t\">the top</a> and a remote map."));
        assert!(!page.contains("<img"));
    }

    #[test]
    fn a_note_without_a_written_reference_has_no_backlink() {
        // The only reference sits inside a dropped `<script>`: the note is still written and
        // numbered, without a link back to a reference that does not exist.
        let book = book_from("a <script>x[^n]</script> b\n\n[^n]: The note.\n");
        let page = chapter_page(&book, 0, &Default::default());
        assert_well_formed(&page);
        assert!(page.contains("<p>a  b</p>"), "{page}");
        assert!(page.contains("<span class=\"note-number\">1.</span> The note."));
    }

    #[test]
    fn nav_slug_does_not_clash() {
        assert_eq!(chapter_file("nav"), "nav_.xhtml");
        assert_eq!(chapter_file("a-b"), "a-b.xhtml");
    }
}
