//! Markdown → model. The only module that knows pulldown-cmark.
//!
//! Each article is parsed on its own ([`parse_article`]); [`link_book`] then numbers footnotes,
//! makes heading ids book-unique and resolves links between articles.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

use crate::config::FootnoteNumbering;
use crate::diag::{Code, Diagnostic};
use crate::model::*;
use crate::rawhtml;

/// Options for one article.
#[derive(Debug, Clone, Copy)]
pub struct ParseOptions {
    pub smart_punctuation: bool,
}

/// An article after parsing, before book-wide linking.
#[derive(Debug, Clone)]
pub struct ParsedArticle {
    pub file: FileId,
    pub blocks: Vec<Block>,
    /// Footnote definitions in source order.
    pub definitions: Vec<Definition>,
    /// Footnote references in source order (label, span of `[^label]`).
    pub references: Vec<(String, Span)>,
    /// Image sources in order of appearance (as written, with span).
    pub images: Vec<(String, Span)>,
    /// Heading ids as written or derived from the text (before book-wide de-duplication),
    /// in document order, with whether the id was explicit (`{#id}`).
    pub heading_ids: Vec<(String, bool)>,
    /// What raw HTML lost on the way to the model (scripts, handlers, `javascript:` links),
    /// with where it was written; reported as W0701.
    pub stripped: Vec<(String, Span)>,
    /// The article's language from its front matter; set by the loader.
    pub lang: Option<String>,
    /// The rest of its front matter (title, subtitle, date, authors); set by the loader.
    pub meta: crate::model::ArticleMeta,
}

#[derive(Debug, Clone)]
pub struct Definition {
    pub label: String,
    pub blocks: Vec<Block>,
    pub span: Span,
}

fn options(smart: bool) -> Options {
    let mut o = Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if smart {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

/// The byte ranges of an article's code: code spans and code blocks (fenced and indented),
/// sorted. Blog template tags inside them are text (`templates::strip`).
pub fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(text, options(false)).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                if depth == 0 {
                    out.push(range);
                }
                depth += 1;
            }
            Event::End(TagEnd::CodeBlock) => depth = depth.saturating_sub(1),
            Event::Code(_) if depth == 0 => out.push(range),
            _ => {}
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

/// Parses one article.
pub fn parse_article(text: &str, file: FileId, opts: ParseOptions) -> ParsedArticle {
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(text, options(opts.smart_punctuation))
        .into_offset_iter()
        .collect();
    let mut b = Builder {
        events,
        src: text,
        pos: 0,
        stripped: Vec::new(),
        file,
        definitions: Vec::new(),
        references: Vec::new(),
        images: Vec::new(),
        heading_ids: Vec::new(),
    };
    let blocks = b.blocks_until(None);
    let mut references = b.references;
    // pulldown-cmark prints a reference with no definition as plain text: find those so that
    // `check` can report them (they become references to an undefined label).
    find_undefined_refs(&blocks, text, &b.definitions, &mut references);
    ParsedArticle {
        file,
        blocks,
        definitions: b.definitions,
        references,
        images: b.images,
        heading_ids: b.heading_ids,
        stripped: b.stripped,
        lang: None,
        meta: Default::default(),
    }
}

struct Builder<'a> {
    events: Vec<(Event<'a>, Range<usize>)>,
    /// The article's text (for the exact spans of bracketed language spans).
    src: &'a str,
    pos: usize,
    stripped: Vec<(String, Span)>,
    file: FileId,
    definitions: Vec<Definition>,
    references: Vec<(String, Span)>,
    images: Vec<(String, Span)>,
    heading_ids: Vec<(String, bool)>,
}

impl<'a> Builder<'a> {
    fn span(&self, r: &Range<usize>) -> Span {
        Span::new(self.file, r.start, r.end)
    }

    /// Where `needle` (compared in lower case) first occurs within `span`.
    fn locate(&self, span: Span, needle: &str) -> Option<Span> {
        let needle = needle.to_ascii_lowercase();
        let at = self
            .src
            .get(span.start..span.end)?
            .to_ascii_lowercase()
            .find(&needle)?;
        Some(Span::new(
            self.file,
            span.start + at,
            span.start + at + needle.len(),
        ))
    }

    /// Takes what converting raw HTML found: its images are loaded like Markdown's, and what
    /// it dropped is located for W0701.
    fn take_html<T>(&mut self, conv: rawhtml::Converted<T>, spans: &[Span]) -> Vec<T> {
        let first = spans.first().copied().unwrap_or_default();
        let find = |this: &Self, needle: &str| {
            spans
                .iter()
                .find_map(|sp| this.locate(*sp, needle))
                .unwrap_or(first)
        };
        for src in conv.images {
            let at = find(self, &src);
            self.images.push((src, at));
        }
        for s in conv.stripped {
            let at = find(self, &s.needle);
            self.stripped.push((s.what, at));
        }
        conv.nodes
    }

    /// A run of inlines with any raw HTML in it parsed, as a browser would, into model inlines.
    fn convert_html(&mut self, run: Vec<Inline>) -> Vec<Inline> {
        let spans: Vec<Span> = run
            .iter()
            .filter(|i| matches!(i.kind, InlineKind::Html(_)))
            .map(|i| i.span)
            .collect();
        if spans.is_empty() {
            return merge_text(run);
        }
        let conv = rawhtml::inlines(run, |i| match &i.kind {
            InlineKind::Html(h) => Some(h.as_str()),
            _ => None,
        });
        let inlines = self.take_html(conv, &spans);
        merge_text(inlines)
    }

    /// Raw block HTML as model blocks; headings in it take part in the article's ids.
    fn html_blocks(&mut self, html: &str, span: Span) -> Vec<Block> {
        let conv = rawhtml::blocks(html, span);
        let mut blocks = self.take_html(conv, &[span]);
        for_each_heading_mut(&mut blocks, &mut |h| {
            if h.id.is_empty() {
                h.id = slugify(&plain_text(&h.content));
            }
            self.heading_ids.push((h.id.clone(), false));
        });
        blocks
    }

    /// Reads blocks until the end tag `end` (or the end of input).
    fn blocks_until(&mut self, end: Option<TagEnd>) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut loose: Vec<Inline> = Vec::new();
        let mut loose_span: Option<Range<usize>> = None;
        // The `<div>`s opened by HTML blocks of their own: (direction, first block inside).
        let mut divs: Vec<(Option<crate::model::Direction>, usize)> = Vec::new();
        while self.pos < self.events.len() {
            let (ev, range) = self.events[self.pos].clone();
            if let Event::End(tag) = &ev {
                if Some(*tag) == end {
                    self.pos += 1;
                    break;
                }
            }
            if is_inline_event(&ev) {
                // Tight list items hold inlines directly: gather them into a paragraph.
                let r = loose_span.get_or_insert(range.clone());
                r.end = r.end.max(range.end);
                let mut one = self.inlines_one();
                loose.append(&mut one);
                continue;
            }
            if !loose.is_empty() {
                let r = loose_span.take().unwrap_or(range.clone());
                blocks.push(Block {
                    kind: BlockKind::Paragraph(finish_run(
                        self.convert_html(std::mem::take(&mut loose)),
                        self.src,
                    )),
                    span: self.span(&r),
                    dir: None,
                });
            }
            self.pos += 1;
            let span = self.span(&range);
            match ev {
                Event::Start(Tag::Paragraph) => {
                    let content = self.inlines_until(TagEnd::Paragraph);
                    // A paragraph of raw HTML that shows nothing (`<style>…</style>`) is none.
                    if !content.is_empty() {
                        blocks.push(Block {
                            kind: BlockKind::Paragraph(content),
                            span,
                            dir: None,
                        });
                    }
                }
                Event::Start(Tag::Heading { level, id, .. }) => {
                    let content = self.inlines_until(TagEnd::Heading(level));
                    let (id, explicit) = match id {
                        Some(id) => (id.to_string(), true),
                        None => (slugify(&plain_text(&content)), false),
                    };
                    self.heading_ids.push((id.clone(), explicit));
                    let level = heading_level(level);
                    blocks.push(Block {
                        kind: BlockKind::Heading(Heading {
                            level,
                            id,
                            content,
                            span,
                        }),
                        span,
                        dir: None,
                    });
                }
                Event::Start(Tag::BlockQuote(_)) => {
                    let inner = self.blocks_until(Some(TagEnd::BlockQuote(None)));
                    blocks.push(Block {
                        kind: BlockKind::BlockQuote(inner),
                        span,
                        dir: None,
                    });
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(info) => {
                            info.split_whitespace().next().map(str::to_string)
                        }
                        CodeBlockKind::Indented => None,
                    };
                    let mut text = String::new();
                    while let Some((ev, _)) = self.next() {
                        match ev {
                            Event::Text(t) => text.push_str(&t),
                            Event::End(TagEnd::CodeBlock) => break,
                            _ => {}
                        }
                    }
                    blocks.push(Block {
                        kind: BlockKind::CodeBlock { lang, text },
                        span,
                        dir: None,
                    });
                }
                Event::Start(Tag::List(start)) => {
                    let mut items = Vec::new();
                    while let Some((ev, r)) = self.next() {
                        match ev {
                            Event::Start(Tag::Item) => {
                                let item_span = self.span(&r);
                                let blocks = self.blocks_until(Some(TagEnd::Item));
                                items.push(ListItem {
                                    blocks,
                                    span: item_span,
                                });
                            }
                            Event::End(TagEnd::List(_)) => break,
                            _ => {}
                        }
                    }
                    blocks.push(Block {
                        kind: BlockKind::List(List { start, items }),
                        span,
                        dir: None,
                    });
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let inner = self.blocks_until(Some(TagEnd::FootnoteDefinition));
                    self.definitions.push(Definition {
                        label: label.to_string(),
                        blocks: inner,
                        span,
                    });
                }
                Event::Start(Tag::Table(align)) => {
                    let table = self.table(align);
                    blocks.push(Block {
                        kind: BlockKind::Table(table),
                        span,
                        dir: None,
                    });
                }
                Event::Start(Tag::HtmlBlock) => {
                    let mut html = String::new();
                    while let Some((ev, _)) = self.next() {
                        match ev {
                            Event::Html(t) | Event::Text(t) => html.push_str(&t),
                            Event::End(TagEnd::HtmlBlock) => break,
                            _ => {}
                        }
                    }
                    match rawhtml::div_tag(&html) {
                        // A `<div dir="rtl">` around Markdown: its blocks are the ones up to
                        // its `</div>` (or the end of the container, as a browser closes it).
                        Some(rawhtml::DivTag::Open(dir)) => divs.push((dir, blocks.len())),
                        Some(rawhtml::DivTag::Close) if !divs.is_empty() => {
                            if let Some((dir, first)) = divs.pop() {
                                rawhtml::directed(&mut blocks[first..], dir);
                            }
                        }
                        _ => {
                            let converted = self.html_blocks(&html, span);
                            blocks.extend(converted);
                        }
                    }
                }
                Event::Html(t) => {
                    let converted = self.html_blocks(&t, span);
                    blocks.extend(converted);
                }
                Event::Rule => blocks.push(Block {
                    kind: BlockKind::SceneBreak,
                    span,
                    dir: None,
                }),
                Event::DisplayMath(t) => blocks.push(Block {
                    kind: BlockKind::CodeBlock {
                        lang: Some("math".into()),
                        text: t.to_string(),
                    },
                    span,
                    dir: None,
                }),
                Event::Start(_) => {
                    // A container we do not model (definition lists, metadata): keep its text.
                    let inner = self.blocks_until(None);
                    blocks.extend(inner);
                }
                _ => {}
            }
        }
        if !loose.is_empty() {
            let r = loose_span.unwrap_or(0..0);
            blocks.push(Block {
                kind: BlockKind::Paragraph(finish_run(self.convert_html(loose), self.src)),
                span: self.span(&r),
                dir: None,
            });
        }
        // Divs left open, innermost first.
        while let Some((dir, first)) = divs.pop() {
            rawhtml::directed(&mut blocks[first..], dir);
        }
        attach_table_captions(&mut blocks);
        blocks
    }

    fn next(&mut self) -> Option<(Event<'a>, Range<usize>)> {
        let e = self.events.get(self.pos).cloned();
        self.pos += 1;
        e
    }

    fn table(&mut self, align: Vec<Alignment>) -> Table {
        let align = align
            .into_iter()
            .map(|a| match a {
                Alignment::None => Align::None,
                Alignment::Left => Align::Left,
                Alignment::Center => Align::Center,
                Alignment::Right => Align::Right,
            })
            .collect();
        let mut head = Vec::new();
        let mut rows: Vec<Vec<Vec<Inline>>> = Vec::new();
        let mut in_head = false;
        // The source of the last body row: a caption line written right under the table, with
        // no blank line between, is read by GFM as one more row.
        let mut last_row = 0..0;
        while let Some((ev, range)) = self.next() {
            match ev {
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::Start(Tag::TableRow) => {
                    rows.push(Vec::new());
                    last_row = range;
                }
                Event::Start(Tag::TableCell) => {
                    let cell = self.inlines_until(TagEnd::TableCell);
                    if in_head {
                        head.push(cell);
                    } else if let Some(row) = rows.last_mut() {
                        row.push(cell);
                    }
                }
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        let mut table = Table {
            caption: Vec::new(),
            label: None,
            align,
            head,
            rows,
        };
        let row_text = self.src.get(last_row).unwrap_or("");
        if !row_text.contains('|') && caption_prefix(row_text.trim_start()).is_some() {
            if let Some(mut row) = table.rows.pop() {
                let cell = if row.is_empty() {
                    Vec::new()
                } else {
                    row.swap_remove(0)
                };
                match caption_of(&cell) {
                    Some((caption, label)) => {
                        table.caption = caption;
                        table.label = label;
                    }
                    None => table.rows.push(row),
                }
            }
        }
        table
    }

    /// Reads inlines until `end`, consuming it.
    fn inlines_until(&mut self, end: TagEnd) -> Vec<Inline> {
        let mut out = Vec::new();
        while self.pos < self.events.len() {
            if let Event::End(tag) = &self.events[self.pos].0 {
                if *tag == end {
                    self.pos += 1;
                    break;
                }
                if !is_inline_end(tag) {
                    // Malformed nesting should not happen; stop rather than swallow blocks.
                    break;
                }
            }
            if !is_inline_event(&self.events[self.pos].0) {
                self.pos += 1;
                continue;
            }
            out.extend(self.inlines_one());
        }
        finish_run(self.convert_html(out), self.src)
    }

    /// Reads one inline event (with its children when it is a container).
    fn inlines_one(&mut self) -> Vec<Inline> {
        let Some((ev, range)) = self.next() else {
            return Vec::new();
        };
        let span = self.span(&range);
        let kind = match ev {
            Event::Text(t) => InlineKind::Text(t.to_string()),
            Event::Code(t) => InlineKind::Code(t.to_string()),
            Event::InlineMath(t) => InlineKind::Code(t.to_string()),
            Event::InlineHtml(t) => InlineKind::Html(t.to_string()),
            Event::Html(t) => InlineKind::Html(t.to_string()),
            Event::SoftBreak => InlineKind::SoftBreak,
            Event::HardBreak => InlineKind::HardBreak,
            Event::FootnoteReference(label) => {
                self.references.push((label.to_string(), span));
                // Resolved to an index into the chapter's notes by `link_book`; until then the
                // reference's position in `references` stands in.
                InlineKind::FootnoteRef(self.references.len() - 1)
            }
            Event::TaskListMarker(done) => {
                InlineKind::Text(if done { "☑ ".into() } else { "☐ ".into() })
            }
            Event::Start(Tag::Emphasis) => {
                InlineKind::Emphasis(self.inlines_until(TagEnd::Emphasis))
            }
            Event::Start(Tag::Strong) => InlineKind::Strong(self.inlines_until(TagEnd::Strong)),
            Event::Start(Tag::Strikethrough) => {
                InlineKind::Strikethrough(self.inlines_until(TagEnd::Strikethrough))
            }
            Event::Start(Tag::Superscript) => return self.inlines_until(TagEnd::Superscript),
            Event::Start(Tag::Subscript) => return self.inlines_until(TagEnd::Subscript),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                let content = self.inlines_until(TagEnd::Link);
                let dest = dest_url.to_string();
                let target = if matches!(link_type, LinkType::Email) {
                    LinkTarget::External(format!("mailto:{dest}"))
                } else if has_scheme(&dest) && crate::html::safe_external_url(&dest) {
                    LinkTarget::External(dest)
                } else {
                    // Resolved by `link_book`; a `javascript:` or other non-web link is
                    // stripped there.
                    // Resolved by `link_book`.
                    LinkTarget::Broken(dest)
                };
                InlineKind::Link {
                    target,
                    title: title.to_string(),
                    content,
                }
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let alt = plain_text(&self.inlines_until(TagEnd::Image));
                let src = dest_url.to_string();
                self.images.push((src.clone(), span));
                InlineKind::Image {
                    asset: None,
                    src,
                    alt,
                    title: title.to_string(),
                    attrs: ImageAttrs::default(),
                }
            }
            _ => return Vec::new(),
        };
        vec![Inline { kind, span }]
    }
}

fn is_inline_event(ev: &Event) -> bool {
    match ev {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineMath(_)
        | Event::InlineHtml(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_)
        | Event::TaskListMarker(_) => true,
        Event::Start(tag) => matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        _ => false,
    }
}

fn is_inline_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The text a character reference stands for, as Markdown reads it (`&Hscr;` and `&#x210B;`
/// are `ℋ`), or `None` when `reference` is not one (`&bogus;` stays as written).
pub fn character_reference(reference: &str) -> Option<String> {
    if !(reference.starts_with('&') && reference.ends_with(';')) {
        return None;
    }
    let mut text = String::new();
    for event in Parser::new(reference) {
        match event {
            Event::Text(t) => text.push_str(&t),
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            _ => return None,
        }
    }
    (text != reference).then_some(text)
}

/// Merges adjacent text inlines (smart punctuation splits text into several events).
fn merge_text(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for i in inlines {
        if let (
            Some(Inline {
                kind: InlineKind::Text(prev),
                span,
            }),
            InlineKind::Text(t),
        ) = (out.last_mut(), &i.kind)
        {
            if span.end == i.span.start || span.end >= i.span.start {
                prev.push_str(t);
                span.end = span.end.max(i.span.end);
                continue;
            }
        }
        out.push(i);
    }
    out
}

/// What pulldown-cmark leaves as text in a run of inlines, read into the model: language
/// spans, the attributes after an image (`{#fig:map width=60%}`) and cross-references
/// (`@fig:map`).
fn finish_run(inlines: Vec<Inline>, src: &str) -> Vec<Inline> {
    cross_refs(image_attributes(language_spans(inlines, src), src), src)
}

/// Takes the `{…}` written right after an image into its [`ImageAttrs`]: `#id`, `width=N%`
/// and `alt="…"` (other attributes, such as classes, are dropped as pandoc's EPUB drops
/// them). The braces are read from the source, where quotes are still straight.
fn image_attributes(mut inlines: Vec<Inline>, src: &str) -> Vec<Inline> {
    for k in 1..inlines.len() {
        let (before, after) = inlines.split_at_mut(k);
        let (Some(image), Some(next)) = (before.last_mut(), after.first_mut()) else {
            continue;
        };
        let (InlineKind::Image { alt, attrs, .. }, InlineKind::Text(text)) =
            (&mut image.kind, &mut next.kind)
        else {
            continue;
        };
        let Some(source) = src.get(next.span.start..next.span.end) else {
            continue;
        };
        if !source.starts_with('{') || !text.starts_with('{') {
            continue;
        }
        let (Some(src_end), Some(text_end)) = (source.find('}'), text.find('}')) else {
            continue;
        };
        let parsed = parse_attributes(&source[1..src_end]);
        if let Some(id) = parsed.id {
            attrs.id = Some(id);
        }
        attrs.width = parsed.width;
        if let Some(new_alt) = parsed.alt {
            attrs.text = Some(std::mem::replace(alt, new_alt));
        }
        text.replace_range(..=text_end, "");
        next.span.start += src_end + 1;
    }
    inlines.retain(|i| !matches!(&i.kind, InlineKind::Text(t) if t.is_empty()));
    inlines
}

/// pandoc's attributes, as far as an image uses them.
#[derive(Debug, Default, PartialEq)]
struct Attributes {
    id: Option<String>,
    width: Option<f32>,
    alt: Option<String>,
}

/// Reads `#id .class key=value key="a value"`: the id, `width` as a percentage of the
/// measure (`60%` → 0.6; other units and values out of (0, 100] are ignored) and `alt`.
fn parse_attributes(text: &str) -> Attributes {
    let mut out = Attributes::default();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let (token, tail) = if let Some((key, after)) = rest
            .split_once('=')
            .filter(|(k, _)| !k.contains(char::is_whitespace))
        {
            let after = after.trim_start();
            match after.chars().next() {
                Some(q @ ('"' | '\'')) => match after[1..].split_once(q) {
                    Some((value, tail)) => ((key, Some(value)), tail),
                    None => ((key, Some(&after[1..])), ""),
                },
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    ((key, Some(&after[..end])), &after[end..])
                }
            }
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            ((&rest[..end], None), &rest[end..])
        };
        match token {
            (word, None) if word.len() > 1 && word.starts_with('#') => {
                out.id = Some(word[1..].to_string())
            }
            ("width", Some(value)) => {
                out.width = value
                    .strip_suffix('%')
                    .and_then(|n| n.trim().parse::<f32>().ok())
                    .filter(|n| *n > 0.0 && *n <= 100.0)
                    .map(|n| n / 100.0)
            }
            ("alt", Some(value)) => out.alt = Some(value.to_string()),
            _ => {}
        }
        rest = tail.trim_start();
    }
    out
}

/// The prefixes of pandoc-crossref's labels that bindery knows: figures, tables, sections.
pub const CROSSREF_PREFIXES: [&str; 3] = ["fig:", "tbl:", "sec:"];

/// A label after `@` at the start of `text` (`fig:map` in `fig:map, and`): a known prefix,
/// then letters, digits, `_` and `-`, with `.` and `:` inside only (a sentence's full stop
/// is not part of it). Returns its length in bytes.
fn crossref_label(text: &str) -> Option<usize> {
    let prefix = CROSSREF_PREFIXES.iter().find(|p| text.starts_with(**p))?;
    let is_label = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let mut end = prefix.len();
    let mut chars = text[end..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inside = matches!(c, '.' | ':') && chars.peek().is_some_and(|(_, n)| is_label(*n));
        if is_label(c) || inside {
            end = prefix.len() + i + c.len_utf8();
        } else {
            break;
        }
    }
    (end > prefix.len()).then_some(end)
}

/// A list of references at the start of `text`: `[@fig:a; @fig:b]` → the labels and the
/// length of the list in bytes.
fn crossref_list(text: &str) -> Option<(Vec<String>, usize)> {
    let mut rest = text.strip_prefix('[')?;
    let mut labels = Vec::new();
    loop {
        rest = rest.trim_start();
        let after_at = rest.strip_prefix('@')?;
        let len = crossref_label(after_at)?;
        labels.push(after_at[..len].to_string());
        rest = after_at[len..].trim_start();
        if let Some(r) = rest.strip_prefix(';') {
            rest = r;
            continue;
        }
        let r = rest.strip_prefix(']')?;
        return Some((labels, text.len() - r.len()));
    }
}

/// Splits the text of a run at its cross-references (`@fig:map`, `[@fig:a; @fig:b]`), each
/// becoming an [`InlineKind::CrossRef`] whose text is, for now, what was written. An `@` after
/// a letter or digit (an e-mail address) or before another word (`@name`) stays text.
fn cross_refs(inlines: Vec<Inline>, src: &str) -> Vec<Inline> {
    if !inlines
        .iter()
        .any(|i| matches!(&i.kind, InlineKind::Text(t) if t.contains('@')))
    {
        return inlines;
    }
    let mut out = Vec::with_capacity(inlines.len());
    for inline in merge_text(inlines) {
        let InlineKind::Text(text) = &inline.kind else {
            out.push(inline);
            continue;
        };
        let span = inline.span;
        let source = src.get(span.start..span.end).unwrap_or("");
        // Where each piece is in the source: searched forward, the text's span otherwise.
        let mut searched = 0;
        let mut locate = |piece: &str| match source[searched..].find(piece) {
            Some(at) => {
                let start = span.start + searched + at;
                searched += at + piece.len();
                Span::new(span.file, start, start + piece.len())
            }
            None => span,
        };
        let mut plain = String::new();
        let mut rest = text.as_str();
        let mut prev: Option<char> = None;
        while let Some(c) = rest.chars().next() {
            let found = match c {
                '[' => crossref_list(rest),
                '@' if !prev.is_some_and(char::is_alphanumeric) => {
                    crossref_label(&rest[1..]).map(|len| (vec![rest[1..=len].to_string()], len + 1))
                }
                _ => None,
            };
            match found {
                Some((labels, len)) => {
                    if !plain.is_empty() {
                        out.push(Inline {
                            kind: InlineKind::Text(std::mem::take(&mut plain)),
                            span,
                        });
                    }
                    let written = rest[..len].to_string();
                    out.push(Inline {
                        span: locate(&written),
                        kind: InlineKind::CrossRef(CrossRef {
                            labels,
                            text: written,
                        }),
                    });
                    prev = rest[..len].chars().last();
                    rest = &rest[len..];
                }
                None => {
                    plain.push(c);
                    prev = Some(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
        if !plain.is_empty() {
            out.push(Inline {
                kind: InlineKind::Text(plain),
                span,
            });
        }
    }
    out
}

/// The prefixes that make a paragraph a table's caption (pandoc's `table_captions`).
const CAPTION_PREFIXES: [&str; 3] = ["Table:", "table:", ":"];

/// How many bytes of `text` the caption prefix takes (with the white space after it), if
/// `text` starts with one.
fn caption_prefix(text: &str) -> Option<usize> {
    let prefix = CAPTION_PREFIXES.iter().find(|p| text.starts_with(**p))?;
    let rest = &text[prefix.len()..];
    Some(text.len() - rest.trim_start().len())
}

/// A caption paragraph's caption and label: `Table: The rivers {#tbl:rivers}` gives the
/// inlines of `The rivers` and `tbl:rivers`. `None` when the paragraph is no caption (it does
/// not start with [`CAPTION_PREFIXES`], or nothing follows the prefix).
fn caption_of(inlines: &[Inline]) -> Option<(Vec<Inline>, Option<String>)> {
    let (first, rest) = inlines.split_first()?;
    let InlineKind::Text(text) = &first.kind else {
        return None;
    };
    let cut = caption_prefix(text)?;
    let mut caption = Vec::with_capacity(inlines.len());
    let head = &text[cut..];
    if !head.is_empty() {
        caption.push(Inline {
            kind: InlineKind::Text(head.to_string()),
            span: Span::new(first.span.file, first.span.start + cut, first.span.end),
        });
    }
    caption.extend(rest.iter().cloned());
    // The label: an attribute block `{#tbl:label …}` closing the caption's last text.
    let mut label = None;
    if let Some(Inline {
        kind: InlineKind::Text(last),
        span,
    }) = caption.last_mut()
    {
        let trimmed = last.trim_end();
        if let Some(open) = trimmed.rfind('{').filter(|_| trimmed.ends_with('}')) {
            let attrs = &trimmed[open + 1..trimmed.len() - 1];
            let id = attrs
                .split_whitespace()
                .find_map(|a| a.strip_prefix('#'))
                .filter(|id| !id.is_empty());
            if let Some(id) = id {
                label = Some(id.to_string());
                let kept = trimmed[..open].trim_end().len();
                // What is cut is plain ASCII as written, so the source loses as many bytes.
                span.end = span.end.saturating_sub(last.len() - kept).max(span.start);
                last.truncate(kept);
            }
        }
        if last.is_empty() {
            caption.pop();
        }
    }
    // Soft breaks and spaces at the end are no part of it.
    while matches!(
        caption.last().map(|i| &i.kind),
        Some(InlineKind::SoftBreak | InlineKind::HardBreak)
    ) {
        caption.pop();
    }
    if caption.is_empty() {
        return None;
    }
    Some((caption, label))
}

/// Makes each caption paragraph the caption of its table: the one right after a table first
/// (as pandoc does, so a caption between two tables is the first's), else the one right before
/// it. A table that already has a caption takes none.
fn attach_table_captions(blocks: &mut Vec<Block>) {
    let caption_at = |blocks: &[Block], i: usize| match blocks.get(i).map(|b| &b.kind) {
        Some(BlockKind::Paragraph(p)) => caption_of(p),
        _ => None,
    };
    let mut i = 0;
    while i < blocks.len() {
        let has_caption = match &blocks[i].kind {
            BlockKind::Table(t) => !t.caption.is_empty(),
            _ => {
                i += 1;
                continue;
            }
        };
        let found = if has_caption {
            None
        } else if let Some(c) = caption_at(blocks, i + 1) {
            Some((i + 1, c))
        } else if i > 0 {
            caption_at(blocks, i - 1).map(|c| (i - 1, c))
        } else {
            None
        };
        if let Some((at, (caption, label))) = found {
            let removed = blocks.remove(at);
            if at < i {
                i -= 1;
            }
            let block = &mut blocks[i];
            block.span = Span::new(
                block.span.file,
                block.span.start.min(removed.span.start),
                block.span.end.max(removed.span.end),
            );
            if let BlockKind::Table(t) = &mut block.kind {
                t.caption = caption;
                t.label = label;
            }
        }
        i += 1;
    }
}

/// Finds the spans marked with a language or a direction at one level of inlines and makes
/// each an [`InlineKind::Lang`]: raw `<span lang="fr">…</span>`, `<span dir="rtl">` (a span
/// with no other attribute than `lang`, `xml:lang` and `dir`), and pandoc's bracketed span
/// `[texte]{lang=fr}`, `[text]{dir=rtl}`, which pulldown-cmark leaves as text. Spans that do not close at the same level stay as written.
fn language_spans(inlines: Vec<Inline>, src: &str) -> Vec<Inline> {
    let inlines = html_language_spans(inlines);
    if !inlines
        .iter()
        .any(|i| matches!(&i.kind, InlineKind::Text(t) if t.contains("]{")))
    {
        return inlines;
    }
    bracketed_spans(inlines, src)
}

/// `<span lang="…">` … `</span>` in raw inline HTML.
fn html_language_spans(inlines: Vec<Inline>) -> Vec<Inline> {
    if !inlines
        .iter()
        .any(|i| matches!(&i.kind, InlineKind::Html(h) if h.starts_with("<span")))
    {
        return inlines;
    }
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    // Open `<span>`s: (index in `out` of the opening tag, its language and direction when it
    // is ours).
    let mut open: Vec<(usize, Option<Marked>)> = Vec::new();
    for inline in inlines {
        if let InlineKind::Html(h) = &inline.kind {
            let tag = h.trim();
            if tag.eq_ignore_ascii_case("</span>") {
                // A `</span>` closing a span of ours makes it a language span.
                if let Some((at, Some(Marked { lang, dir }))) = open.pop() {
                    let content = out.split_off(at + 1);
                    let opening = out.pop().map_or(inline.span, |o| o.span);
                    out.push(Inline {
                        kind: InlineKind::Lang {
                            lang,
                            dir,
                            content: merge_text(content),
                        },
                        span: Span::new(opening.file, opening.start, inline.span.end),
                    });
                    continue;
                }
            } else if let Some(attrs) = tag
                .strip_prefix("<span")
                .and_then(|rest| rest.strip_suffix('>'))
                .filter(|a| a.is_empty() || a.starts_with(char::is_whitespace))
            {
                open.push((out.len(), span_language(attrs)));
            }
        }
        out.push(inline);
    }
    out
}

/// What a span marks: its language, its direction, or both (never neither).
#[derive(Debug, Clone, PartialEq)]
struct Marked {
    lang: Option<String>,
    dir: Option<crate::model::Direction>,
}

impl Marked {
    /// `None` when neither is given.
    fn of(lang: Option<String>, dir: Option<crate::model::Direction>) -> Option<Marked> {
        (lang.is_some() || dir.is_some()).then_some(Marked { lang, dir })
    }
}

/// The language and direction of a `<span>`'s attributes when they hold `lang`, `xml:lang`
/// or `dir` and nothing else (a tag that is not BCP 47, or a direction that is none of `ltr`,
/// `rtl`, `auto`, leaves the span as raw HTML).
fn span_language(attrs: &str) -> Option<Marked> {
    let mut lang = None;
    let mut dir = None;
    let mut rest = attrs.trim();
    while !rest.is_empty() {
        let (name, after) = rest.split_once('=')?;
        let after = after.trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let (value, tail) = after[1..].split_once(quote)?;
        match name.trim() {
            "lang" | "xml:lang" => {
                let tag = value.trim();
                if !crate::lang::is_valid_tag(tag) {
                    return None;
                }
                lang = Some(tag.to_string());
            }
            "dir" => dir = Some(crate::model::Direction::parse(value)?),
            _ => return None,
        }
        rest = tail.trim_start();
    }
    Marked::of(lang, dir)
}

/// The language and direction in a bracketed span's attributes (`lang=fr`, `lang="fr"`,
/// `dir=rtl`, with `.class` or `#id` beside them ignored).
fn bracket_language(attrs: &str) -> Option<Marked> {
    let value = |key: &str| {
        attrs.split_whitespace().find_map(|a| {
            a.strip_prefix(key)
                .map(|v| v.trim_matches(['"', '\'']).to_string())
        })
    };
    let lang = value("lang=").filter(|v| crate::lang::is_valid_tag(v));
    let dir = value("dir=").and_then(|v| crate::model::Direction::parse(&v));
    Marked::of(lang, dir)
}

/// The source span of a bracketed span, from its `[` (the last one before the closing part
/// in the opening text's span) to the end of `closing` (`]{lang=fr}`) in the closing text's
/// span; the text spans as a whole when the source does not show them (escapes, entities).
fn bracket_span(src: &str, opening: Span, closing_text: Span, closing: &str) -> Span {
    let source = |s: Span| src.get(s.start..s.end).unwrap_or("");
    let end = source(closing_text)
        .find(closing)
        .map_or(closing_text.end, |i| closing_text.start + i + closing.len());
    let open_search_end = end.min(opening.end).max(opening.start);
    let start = src
        .get(opening.start..open_search_end)
        .and_then(|s| s.rfind('['))
        .map_or(opening.start, |i| opening.start + i);
    Span::new(opening.file, start, end.max(start))
}

/// `[` … `]{lang=…}` across the text inlines of one level.
fn bracketed_spans(inlines: Vec<Inline>, src: &str) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    // Indices in `out` of the text pieces holding a lone `[`.
    let mut opens: Vec<usize> = Vec::new();
    let text = |t: &str, span: Span| Inline {
        kind: InlineKind::Text(t.to_string()),
        span,
    };
    for inline in inlines {
        let InlineKind::Text(t) = &inline.kind else {
            out.push(inline);
            continue;
        };
        let span = inline.span;
        let mut rest = t.as_str();
        while !rest.is_empty() {
            let open_at = rest.find('[');
            let close_at = rest.find("]{");
            match (open_at, close_at) {
                (Some(o), c) if c.is_none_or(|c| o < c) => {
                    if o > 0 {
                        out.push(text(&rest[..o], span));
                    }
                    opens.push(out.len());
                    out.push(text("[", span));
                    rest = &rest[o + 1..];
                }
                (_, Some(c)) => {
                    let attrs_end = rest[c + 2..].find('}').map(|e| c + 2 + e);
                    let lang = attrs_end.and_then(|e| bracket_language(&rest[c + 2..e]));
                    match (lang, attrs_end, opens.pop()) {
                        (Some(Marked { lang, dir }), Some(e), Some(at)) => {
                            if c > 0 {
                                out.push(text(&rest[..c], span));
                            }
                            let content = out.split_off(at + 1);
                            let opening = out.pop().map_or(span, |o| o.span);
                            out.push(Inline {
                                kind: InlineKind::Lang {
                                    lang,
                                    dir,
                                    content: merge_text(content),
                                },
                                span: bracket_span(src, opening, span, &rest[c..=e]),
                            });
                            rest = &rest[e + 1..];
                        }
                        (_, _, popped) => {
                            if let Some(at) = popped {
                                opens.push(at);
                            }
                            out.push(text(&rest[..c + 2], span));
                            rest = &rest[c + 2..];
                        }
                    }
                }
                _ => {
                    out.push(text(rest, span));
                    rest = "";
                }
            }
        }
    }
    merge_text(out)
}

fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) if i > 1 => url[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')),
        _ => false,
    }
}

/// A heading id from its text: lower-case letters and digits (any script), words joined by `-`.
/// Never empty, never starting with a digit (XML ids must start with a letter).
pub fn slugify(text: &str) -> String {
    let mut s = String::new();
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !s.is_empty() {
                s.push('-');
            }
            dash = false;
            s.extend(c.to_lowercase());
        } else if c.is_whitespace() || matches!(c, '-' | '_' | '–' | '—' | '/' | '.') {
            dash = true;
        }
    }
    if s.is_empty() {
        s.push_str("section");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, "s-");
    }
    s
}

/// Finds `[^label]` left as plain text by pulldown-cmark (a reference with no definition).
fn find_undefined_refs(
    blocks: &[Block],
    src: &str,
    defs: &[Definition],
    refs: &mut Vec<(String, Span)>,
) {
    let find = |i: &Inline, refs: &mut Vec<(String, Span)>, defined: &HashSet<&str>| {
        if !matches!(i.kind, InlineKind::Text(_)) {
            return;
        }
        let raw = src.get(i.span.start..i.span.end).unwrap_or("");
        let mut from = 0;
        while let Some(p) = raw[from..].find("[^") {
            let start = from + p;
            let Some(len) = raw[start + 2..].find(']') else {
                break;
            };
            let label = &raw[start + 2..start + 2 + len];
            let escaped = start > 0 && raw.as_bytes()[start - 1] == b'\\';
            let followed_by_colon = raw[start + 3 + len..].starts_with(':');
            if !escaped
                && !followed_by_colon
                && !label.is_empty()
                && !label.contains(char::is_whitespace)
                && !defined.contains(label)
            {
                let s = Span::new(
                    i.span.file,
                    i.span.start + start,
                    i.span.start + start + len + 3,
                );
                refs.push((label.to_string(), s));
            }
            from = start + 2;
        }
    };
    let defined: HashSet<&str> = defs.iter().map(|d| d.label.as_str()).collect();
    each_inline_in(blocks, &mut |i| find(i, refs, &defined));
    for d in defs {
        each_inline_in(&d.blocks, &mut |i| find(i, refs, &defined));
    }
}

/// An article to link, with what the loader knows about its file.
pub struct ArticleInput {
    pub parsed: ParsedArticle,
    /// Book-unique slug.
    pub slug: String,
    /// Path relative to the book root, `/`-separated (`manuscript/01-a.md`).
    pub path: String,
    /// Assets referenced by each image source, resolved by the loader: source → asset index.
    pub image_assets: HashMap<String, usize>,
}

/// Links parsed articles into chapters: numbers footnotes, makes heading ids unique across the
/// book, and resolves links between articles. Returns the chapters and the diagnostics found.
pub fn link_book(
    articles: Vec<ArticleInput>,
    numbering: FootnoteNumbering,
    digits: crate::lang::Digits,
    base_url: Option<&str>,
    sources: &SourceMap,
) -> (Vec<Chapter>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    // 1. Book-unique heading ids; remember each article's written id → final id. A collision
    //    is de-duplicated (`-2`, `-3`, ...) silently, except within one article when either id
    //    was written explicitly: then `#id` links are ambiguous, and that is W0401.
    //    Article slugs are reserved first (holder `None`) so no heading takes a chapter's id.
    let mut used: HashMap<String, Option<(Span, bool)>> = HashMap::new();
    let mut id_maps: Vec<HashMap<String, String>> = Vec::new();
    let mut chapters: Vec<Chapter> = Vec::new();
    let mut counter = 0u32;
    for art in &articles {
        used.entry(art.slug.clone()).or_insert(None);
    }
    for art in &articles {
        for (what, span) in &art.parsed.stripped {
            let help = if what.starts_with("`<script") {
                "e-readers and paper do not run scripts; remove the element"
            } else if what.starts_with("`<") {
                "embedded content survives neither in an EPUB nor on paper; link to it, or use an image of it"
            } else if what.contains("handler") {
                "e-readers and paper do not run scripts; remove the attribute"
            } else {
                "books link only to web and mail addresses; the link's text is printed without it"
            };
            diags.push(
                Diagnostic::new(
                    Code::W0701,
                    format!("{what} will be stripped from the editions"),
                )
                .at_span(sources, *span)
                .with_help(help),
            );
        }
        let mut map = HashMap::new();
        let mut github_ids: Vec<(String, String)> = Vec::new();
        let mut github_seen: HashMap<String, usize> = HashMap::new();
        let mut blocks = art.parsed.blocks.clone();
        let mut explicit_iter = art.parsed.heading_ids.iter();
        for_each_heading_mut(&mut blocks, &mut |h| {
            let github = github_slug(&h.plain_text(), &mut github_seen);
            let explicit = explicit_iter.next().map(|(_, e)| *e).unwrap_or(false);
            let written = h.id.clone();
            let mut id = written.clone();
            if let Some(prev) = used.get(&id) {
                if let Some((first, first_explicit)) = prev {
                    if first.file == h.span.file && (explicit || *first_explicit) {
                        let loc = crate::diag::span_location(sources, *first);
                        let (msg, help) = if explicit {
                            (
                                format!("the id `{id}` is already used by a heading above"),
                                format!(
                                    "the heading at line {} has the id `{id}`; give this heading \
                                     another `{{#id}}`",
                                    loc.line
                                ),
                            )
                        } else {
                            (
                                format!(
                                    "this heading's id `{id}` is already given to a heading above"
                                ),
                                format!(
                                    "the heading at line {} has `{{#{id}}}`; give this heading its \
                                     own `{{#id}}`, or rename the other",
                                    loc.line
                                ),
                            )
                        };
                        let span = Span::new(h.span.file, h.span.start, line_end(sources, h.span));
                        diags.push(
                            Diagnostic::new(Code::W0401, msg)
                                .at_span(sources, span)
                                .with_help(help),
                        );
                    }
                }
                let mut n = 2;
                while used.contains_key(&format!("{written}-{n}")) {
                    n += 1;
                }
                id = format!("{written}-{n}");
            }
            used.insert(id.clone(), Some((h.span, explicit)));
            map.entry(written).or_insert_with(|| id.clone());
            github_ids.push((github, id.clone()));
            h.id = id;
        });
        // Headings also answer to the ids GitHub gives them, so that a README's `#anchors`
        // keep working; bindery's own ids win where the two schemes collide.
        for (github, id) in github_ids {
            map.entry(github).or_insert(id);
        }
        id_maps.push(map);

        // 2. Footnotes: numbered in order of first reference.
        let defs = &art.parsed.definitions;
        let mut seen_labels: HashMap<&str, Span> = HashMap::new();
        for d in defs {
            if let Some(first) = seen_labels.get(d.label.as_str()) {
                let loc = crate::diag::span_location(sources, *first);
                diags.push(
                    Diagnostic::new(Code::W0302,
                        format!("footnote `[^{}]` is defined twice", d.label),
                    )
                    .at_span(sources, d.span)
                    .with_help(format!(
                        "the first definition is at {}:{} and is the one used; remove or rename one",
                        loc.file, loc.line
                    )),
                );
            } else {
                seen_labels.insert(&d.label, d.span);
            }
        }
        if numbering == FootnoteNumbering::Chapter {
            counter = 0;
        }
        // An empty note is left out, and so are its marks.
        let mut empty_labels: HashSet<&str> = HashSet::new();
        for d in defs {
            let empty = d.blocks.iter().all(
                |b| matches!(&b.kind, BlockKind::Paragraph(i) if plain_text(i).trim().is_empty()),
            );
            if empty && seen_labels.get(d.label.as_str()) == Some(&d.span) {
                empty_labels.insert(d.label.as_str());
                diags.push(
                    Diagnostic::new(Code::W0303, format!("footnote `[^{}]` is empty", d.label))
                        .at_span(sources, d.span)
                        .with_help(
                            "write the note's text after the colon; until then the note and its \
                             marks are left out",
                        ),
                );
            }
        }
        let mut order: Vec<&str> = Vec::new();
        let mut note_index: HashMap<&str, usize> = HashMap::new();
        let mut ref_to_note: Vec<Option<usize>> = Vec::new();
        for (label, span) in &art.parsed.references {
            if empty_labels.contains(label.as_str()) {
                ref_to_note.push(None);
                continue;
            }
            if !seen_labels.contains_key(label.as_str()) {
                diags.push(
                    Diagnostic::new(
                        Code::W0300,
                        format!("footnote `[^{label}]` is referenced but never defined"),
                    )
                    .at_span(sources, *span)
                    .with_help(format!(
                        "add a definition on its own line: `[^{label}]: The note's text.`; until \
                         then the mark is printed as written"
                    )),
                );
                ref_to_note.push(None);
                continue;
            }
            let idx = *note_index.entry(label.as_str()).or_insert_with(|| {
                order.push(label.as_str());
                order.len() - 1
            });
            ref_to_note.push(Some(idx));
        }
        let mut footnotes = Vec::new();
        for label in &order {
            let d = defs
                .iter()
                .find(|d| d.label == *label)
                .expect("label came from the definitions");
            counter += 1;
            let number = counter;
            footnotes.push(Footnote {
                label: label.to_string(),
                number,
                mark: digits.write(&number.to_string()),
                anchor: format!("{}-fn{number}", art.slug),
                ref_anchor: format!("{}-fnref{number}", art.slug),
                blocks: d.blocks.clone(),
                span: d.span,
            });
        }
        for d in defs {
            if !note_index.contains_key(d.label.as_str())
                && !empty_labels.contains(d.label.as_str())
                && seen_labels.get(d.label.as_str()) == Some(&d.span)
            {
                diags.push(
                    Diagnostic::new(
                        Code::W0301,
                        format!("footnote `[^{}]` is defined but never referenced", d.label),
                    )
                    .at_span(sources, d.span)
                    .with_help(format!(
                        "add `[^{}]` where the note belongs, or delete the definition",
                        d.label
                    )),
                );
            }
        }
        // Rewrite FootnoteRef(reference index) → FootnoteRef(note index); drop undefined ones
        // to their literal text.
        let rewrite = |inl: &mut Inline| {
            if let InlineKind::FootnoteRef(r) = inl.kind {
                match ref_to_note.get(r).copied().flatten() {
                    Some(n) => inl.kind = InlineKind::FootnoteRef(n),
                    None => {
                        let label = art.parsed.references[r].0.as_str();
                        inl.kind = InlineKind::Text(if empty_labels.contains(label) {
                            String::new()
                        } else {
                            format!("[^{label}]")
                        })
                    }
                }
            }
        };
        each_inline_mut(&mut blocks, &mut |i| rewrite(i));
        for f in &mut footnotes {
            each_inline_mut(&mut f.blocks, &mut |i| rewrite(i));
        }
        // Images: attach asset indexes.
        let attach = |inl: &mut Inline| {
            if let InlineKind::Image { asset, src, .. } = &mut inl.kind {
                *asset = art.image_assets.get(src.as_str()).copied();
            }
        };
        each_inline_mut(&mut blocks, &mut |i| attach(i));
        for f in &mut footnotes {
            each_inline_mut(&mut f.blocks, &mut |i| attach(i));
        }

        // A heading with no text is left out: it would be a blank entry in the contents.
        for span in drop_empty_headings(&mut blocks) {
            let span = Span::new(span.file, span.start, line_end(sources, span));
            diags.push(
                Diagnostic::new(Code::W0404, "this heading has no text")
                    .at_span(sources, span)
                    .with_help(
                        "write the heading's text after the `#`s, or remove the line; until then \
                         the heading is left out of both editions",
                    ),
            );
        }
        let mut chapter = Chapter {
            file: art.parsed.file,
            slug: art.slug.clone(),
            title: None,
            lang: art.parsed.lang.clone(),
            meta: art.parsed.meta.clone(),
            blocks,
            footnotes,
        };
        chapter.title = chapter.written_title();
        if chapter.title.is_none() {
            // The untitled chapter's name ("Chapter N" in the book's language) is decided
            // with the other front-matter words (`front::chapter_title`).
            diags.push(
                Diagnostic::new(Code::W0403, format!("`{}` has no heading", art.path))
                    .in_file(art.path.clone())
                    .with_help(
                        "start the article with a title, e.g. `# The Last Days`; until then the \
                         contents and the running heads call it \"Chapter N\", in the book's \
                         language",
                    ),
            );
        }
        chapters.push(chapter);
    }

    // 3. Links between articles.
    let paths: Vec<&str> = articles.iter().map(|a| a.path.as_str()).collect();
    for (ci, chapter) in chapters.iter_mut().enumerate() {
        let base = paths[ci];
        let mut resolve = |inl: &mut Inline| {
            let InlineKind::Link { target, .. } = &mut inl.kind else {
                return;
            };
            let LinkTarget::Broken(raw) = target else {
                return;
            };
            if has_scheme(raw) {
                let scheme = raw.split(':').next().unwrap_or("").to_ascii_lowercase();
                diags.push(
                    Diagnostic::new(Code::W0701,
                        format!("the `{scheme}:` link will be stripped from the editions"),
                    )
                    .at_span(sources, inl.span)
                    .with_help("books link only to web and mail addresses; the link's text is printed without it"),
                );
                return;
            }
            match resolve_link(raw, base, &paths, &id_maps, ci) {
                Ok(t) => *target = t,
                Err(help) => {
                    let absolute = base_url
                        .filter(|_| !raw.starts_with('#'))
                        .map(|base| join_url(base, raw));
                    let (message, help) = match &absolute {
                        Some(url) => (
                            format!("link target `{raw}` is not in the book; it links to `{url}`"),
                            format!("{help}; the link was made absolute with `links.base_url`"),
                        ),
                        None => (
                            format!(
                                "link target `{raw}` is not in the book; the link is printed as \
                                 plain text"
                            ),
                            format!(
                                "{help}; or set `links: {{ base_url: … }}` in book.yaml to link \
                                 outside the book"
                            ),
                        ),
                    };
                    if let Some(url) = absolute {
                        *target = LinkTarget::External(url);
                    }
                    diags.push(
                        Diagnostic::new(Code::W0400, message)
                            .at_span(sources, inl.span)
                            .with_help(help),
                    );
                }
            }
        };
        each_inline_mut(&mut chapter.blocks, &mut resolve);
        for f in &mut chapter.footnotes {
            each_inline_mut(&mut f.blocks, &mut resolve);
        }
    }
    (chapters, diags)
}

/// Removes headings whose text is blank (in quotes and lists too); returns their spans.
fn drop_empty_headings(blocks: &mut Vec<Block>) -> Vec<Span> {
    let mut dropped = Vec::new();
    blocks.retain(|b| match &b.kind {
        BlockKind::Heading(h) if h.plain_text().trim().is_empty() => {
            dropped.push(h.span);
            false
        }
        _ => true,
    });
    for b in blocks.iter_mut() {
        match &mut b.kind {
            BlockKind::BlockQuote(inner) => dropped.extend(drop_empty_headings(inner)),
            BlockKind::List(list) => {
                for item in &mut list.items {
                    dropped.extend(drop_empty_headings(&mut item.blocks));
                }
            }
            _ => {}
        }
    }
    dropped
}

/// Resolves `link` against `base` as a browser resolves a relative URL against `<base href>`:
/// `/x` replaces the base's path, anything else replaces its last segment; `.` and `..`
/// segments are folded. `base` is an `http(s)://` address (checked by the config).
pub fn join_url(base: &str, link: &str) -> String {
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let origin = &base[..path_start];
    let base_path = &base[path_start..];
    let (link_path, rest) = match link.find(['?', '#']) {
        Some(i) => link.split_at(i),
        None => (link, ""),
    };
    let joined = if link_path.starts_with('/') {
        link_path.to_string()
    } else {
        let dir = base_path.rsplit_once('/').map_or("", |(d, _)| d);
        format!("{dir}/{link_path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    let trailing = joined.ends_with('/') || joined.ends_with("/.") || joined.ends_with("/..");
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut path = format!("/{}", parts.join("/"));
    if trailing && !parts.is_empty() {
        path.push('/');
    }
    format!("{origin}{path}{rest}")
}

/// The id GitHub gives a heading (github-slugger's rules): lower case; letters, digits, `-`
/// and `_` kept, each space made a `-`, everything else dropped; the second heading with the
/// same slug gets `-1`, the third `-2`. `seen` counts the slugs of one document.
pub fn github_slug(text: &str, seen: &mut HashMap<String, usize>) -> String {
    let mut slug = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            slug.push(c);
        } else if c == ' ' {
            slug.push('-');
        }
    }
    let original = slug.clone();
    while seen.contains_key(&slug) {
        let count = seen.entry(original.clone()).or_insert(0);
        *count += 1;
        slug = format!("{original}-{count}");
    }
    seen.insert(slug.clone(), 0);
    slug
}

/// The end of the span's first line (without its line ending), for carets under a heading.
fn line_end(sources: &SourceMap, span: Span) -> usize {
    let text = sources.get(span.file).text.as_str();
    let end = text
        .get(span.start..)
        .and_then(|s| s.find('\n'))
        .map_or(text.len(), |n| span.start + n);
    end.min(span.end.max(span.start))
}

/// How many articles a broken link's help line names: enough to spot a typo, few enough that a
/// book of hundreds of articles keeps its help on one screen.
const ARTICLES_LISTED: usize = 5;

/// The article a link's path names: the one at that path, else the page a site built from the
/// Markdown gives it (mdBook, Jekyll): `x.html` is `x.md` (any Markdown ending), and a folder's
/// `index.html` is its `README.md` or `index.md`.
fn article_at(paths: &[&str], joined: &str) -> Option<usize> {
    if let Some(i) = paths.iter().position(|p| *p == joined) {
        return Some(i);
    }
    let page = joined
        .strip_suffix(".html")
        .or_else(|| joined.strip_suffix(".htm"))?;
    let stem = |p: &str| -> String {
        match p.rsplit_once('.') {
            Some((stem, _)) if !stem.ends_with('/') && !stem.is_empty() => stem.to_string(),
            _ => p.to_string(),
        }
    };
    let folder = match page.rsplit_once('/') {
        Some((dir, "index")) => Some(format!("{dir}/")),
        None if page == "index" => Some(String::new()),
        _ => None,
    };
    paths.iter().position(|p| stem(p) == page).or_else(|| {
        let folder = folder?;
        paths.iter().position(|p| {
            p.strip_prefix(folder.as_str()).is_some_and(|name| {
                !name.contains('/') && stem(name).eq_ignore_ascii_case("readme")
            })
        })
    })
}

fn resolve_link(
    raw: &str,
    base: &str,
    paths: &[&str],
    id_maps: &[HashMap<String, String>],
    current: usize,
) -> Result<LinkTarget, String> {
    let (path, frag) = match raw.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (raw, None),
    };
    let chapter = if path.is_empty() {
        current
    } else {
        let dir = base.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        // A root-relative link (`/docs/x.md`) is read relative to the book's folder.
        let joined = normalize_path(&if dir.is_empty() || path.starts_with('/') {
            path.to_string()
        } else {
            format!("{dir}/{path}")
        });
        match article_at(paths, &joined) {
            Some(i) => i,
            None => {
                let listed: Vec<String> = paths
                    .iter()
                    .take(ARTICLES_LISTED)
                    .map(|p| format!("`{p}`"))
                    .collect();
                let more = paths.len().saturating_sub(ARTICLES_LISTED);
                let more = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                return Err(format!(
                    "no article `{joined}` in the book; articles are: {}{more}",
                    listed.join(", ")
                ));
            }
        }
    };
    match frag {
        None | Some("") => Ok(LinkTarget::Internal {
            chapter,
            anchor: None,
        }),
        Some(f) => match id_maps[chapter].get(f) {
            Some(id) => Ok(LinkTarget::Internal {
                chapter,
                anchor: Some(id.clone()),
            }),
            None => {
                let mut ids: Vec<&String> = id_maps[chapter].keys().collect();
                ids.sort();
                let candidates: Vec<&str> = ids.iter().map(|s| s.as_str()).collect();
                Err(match crate::diag::suggest(f, &candidates) {
                    Some(s) => format!(
                        "no heading `#{f}` in `{}`; did you mean `#{s}`?",
                        paths[chapter]
                    ),
                    None => format!("no heading `#{f}` in `{}`", paths[chapter]),
                })
            }
        },
    }
}

fn normalize_path(p: &str) -> String {
    crate::paths::fold_steps(p).0
}

/// Calls `f` on every heading, mutably, in document order.
fn for_each_heading_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Heading)) {
    each_block_mut(blocks, &mut |b| {
        if let BlockKind::Heading(h) = &mut b.kind {
            f(h);
        }
    });
}

#[cfg(test)]
mod reference_tests {
    use super::character_reference;

    #[test]
    fn character_references_read_as_markdown_reads_them() {
        assert_eq!(character_reference("&Hscr;").as_deref(), Some("\u{210B}"));
        assert_eq!(character_reference("&#x210B;").as_deref(), Some("\u{210B}"));
        assert_eq!(character_reference("&#8459;").as_deref(), Some("\u{210B}"));
        assert_eq!(character_reference("&bogus;"), None);
        assert_eq!(character_reference("plain"), None);
    }
}

#[cfg(test)]
mod tests {

    /// The paragraph of a one-paragraph article.
    fn paragraph(text: &str) -> Vec<Inline> {
        let parsed = parse_article(
            text,
            FileId(0),
            ParseOptions {
                smart_punctuation: true,
            },
        );
        match parsed.blocks.into_iter().next().map(|b| b.kind) {
            Some(BlockKind::Paragraph(inl)) => inl,
            other => panic!("{other:?}"),
        }
    }

    /// The attributes after an image: id, width as a share, alt replacing the bracketed text
    /// (kept for the caption); the braces leave the text.
    #[test]
    fn image_attributes_are_read_and_taken_out_of_the_text() {
        let inl = paragraph(
            "![Rows of rice](f.jpg){#fig:field .wide width=60% alt=\"A flooded field\"} after",
        );
        let InlineKind::Image { alt, attrs, .. } = &inl[0].kind else {
            panic!("{inl:?}");
        };
        assert_eq!(alt, "A flooded field");
        assert_eq!(
            attrs,
            &ImageAttrs {
                id: Some("fig:field".into()),
                width: Some(0.6),
                text: Some("Rows of rice".into()),
            }
        );
        assert!(
            matches!(&inl[1].kind, InlineKind::Text(t) if t == " after"),
            "{inl:?}"
        );
        // Without braces right after it, an image has none; a bad width is ignored.
        let inl = paragraph("![A](a.png) {#fig:x}");
        assert!(matches!(&inl[0].kind, InlineKind::Image { attrs, .. } if attrs.id.is_none()));
        let inl = paragraph("![A](a.png){width=3in #fig:y}");
        assert!(matches!(&inl[0].kind,
            InlineKind::Image { attrs, .. } if attrs.width.is_none() && attrs.id.as_deref() == Some("fig:y")));
    }

    fn refs(text: &str) -> Vec<(Vec<String>, String)> {
        paragraph(text)
            .into_iter()
            .filter_map(|i| match i.kind {
                InlineKind::CrossRef(r) => Some((r.labels, r.text)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn cross_references_in_pandoc_crossref_syntax() {
        assert_eq!(
            refs("See @fig:map. And @tbl:rivers, @sec:rain-fall; [@fig:a; @fig:b] too."),
            [
                (vec!["fig:map".to_string()], "@fig:map".to_string()),
                (vec!["tbl:rivers".into()], "@tbl:rivers".into()),
                (vec!["sec:rain-fall".into()], "@sec:rain-fall".into()),
                (
                    vec!["fig:a".into(), "fig:b".into()],
                    "[@fig:a; @fig:b]".into()
                ),
            ]
        );
        // E-mail addresses, `@name` and unknown prefixes stay text.
        assert!(refs("Write to ana@fig:x.org, @ana or @eq:one, or [@ana].").is_empty());
        // The text around a reference is kept, and the reference's span is its own.
        let inl = paragraph("As @fig:map shows.");
        let text: Vec<String> = inl
            .iter()
            .map(|i| match &i.kind {
                InlineKind::Text(t) => t.clone(),
                InlineKind::CrossRef(r) => format!("<{}>", r.text),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(text.concat(), "As <@fig:map> shows.");
        assert_eq!((inl[1].span.start, inl[1].span.end), (3, 11));
    }

    fn lang_of(i: &Inline) -> Option<(&str, String)> {
        match &i.kind {
            InlineKind::Lang {
                lang: Some(lang),
                content,
                ..
            } => Some((lang.as_str(), plain_text(content))),
            _ => None,
        }
    }

    #[test]
    fn bracketed_and_html_spans_carry_a_language() {
        let text = "He read [le *texte* intégral]{lang=fr} and <span lang=\"km\">ខ្មែរ</span> too.";
        let inl = paragraph(text);
        let spans: Vec<(&str, String)> = inl.iter().filter_map(lang_of).collect();
        assert_eq!(
            spans,
            [
                ("fr", "le texte intégral".to_string()),
                ("km", "ខ្មែរ".to_string())
            ]
        );
        assert_eq!(plain_text(&inl), "He read le texte intégral and ខ្មែរ too.");
        // The bracketed span points at its source.
        let fr = inl.iter().find(|i| lang_of(i).is_some()).expect("a span");
        assert_eq!(
            &text[fr.span.start..fr.span.end],
            "[le *texte* intégral]{lang=fr}"
        );
        // Emphasis inside the span stays emphasis.
        let InlineKind::Lang { content, .. } = &fr.kind else {
            panic!()
        };
        assert!(content
            .iter()
            .any(|i| matches!(i.kind, InlineKind::Emphasis(_))));
    }

    #[test]
    fn brackets_without_a_language_stay_text() {
        for text in [
            "A [note] here.",
            "A [x]{.class} here.",
            "A ]{lang=fr} alone.",
            "[a]{lang=\"bad tag\"}",
        ] {
            let inl = paragraph(text);
            assert!(inl.iter().all(|i| lang_of(i).is_none()), "{text}");
        }
        // Raw HTML is parsed as a browser parses it (`rawhtml.rs`): a span with other
        // attributes is still text in its language (the class is dropped), and no raw HTML is
        // left in the model.
        let inl = paragraph("A <span class=\"x\" lang=\"fr\">mot</span>.");
        assert!(inl
            .iter()
            .any(|i| lang_of(i) == Some(("fr", "mot".to_string()))));
        assert!(!inl.iter().any(|i| matches!(i.kind, InlineKind::Html(_))));
    }

    use super::*;

    /// A site's name for a page finds its article: mdBook writes `x.md` as `x.html` and a
    /// folder's `README.md` as its `index.html`.
    #[test]
    fn a_page_of_the_site_names_its_article() {
        let paths = [
            "m/README.md",
            "m/cli/README.md",
            "m/cli/init.md",
            "m/post.markdown",
        ];
        assert_eq!(article_at(&paths, "m/cli/init.md"), Some(2));
        assert_eq!(article_at(&paths, "m/cli/init.html"), Some(2));
        assert_eq!(article_at(&paths, "m/post.htm"), Some(3));
        assert_eq!(article_at(&paths, "m/cli/index.html"), Some(1));
        assert_eq!(article_at(&paths, "m/index.html"), Some(0));
        assert_eq!(article_at(&paths, "m/cli/build.html"), None);
        assert_eq!(article_at(&paths, "m/cli/init"), None);
        assert_eq!(article_at(&paths, "m/other/index.html"), None);
    }

    fn parse(text: &str) -> ParsedArticle {
        parse_article(
            text,
            FileId(0),
            ParseOptions {
                smart_punctuation: true,
            },
        )
    }

    /// `<div dir>` blocks of their own around Markdown give its blocks their direction, up to
    /// the matching `</div>` (nested ones inside), or to the end when left open.
    #[test]
    fn a_div_with_a_direction_around_markdown_directs_its_blocks() {
        use crate::model::Direction::{Ltr, Rtl};
        let a = parse(
            "Before.\n\n<div dir=\"rtl\">\n\nOne.\n\n<div dir=\"ltr\">\n\nTwo.\n\n</div>\n\n\
             > Three.\n\n</div>\n\nAfter.\n\n<DIV DIR=RTL>\n\nOpen.\n",
        );
        let dirs: Vec<(String, Option<crate::model::Direction>)> = a
            .blocks
            .iter()
            .map(|b| (crate::model::block_text(b), b.dir))
            .collect();
        let want = [
            ("Before.", None),
            ("One.", Some(Rtl)),
            ("Two.", Some(Ltr)),
            ("Three.", Some(Rtl)),
            ("After.", None),
            ("Open.", Some(Rtl)),
        ]
        .map(|(t, d)| (t.to_string(), d));
        assert_eq!(dirs, want);
        // A stray `</div>` and a `<div>` without `dir` change nothing.
        let a = parse("</div>\n\n<div class=\"x\">\n\nText.\n\n</div>\n");
        assert!(a.blocks.iter().all(|b| b.dir.is_none()), "{:?}", a.blocks);
    }

    #[test]
    fn headings_paragraphs_and_smart_quotes() {
        let a = parse("# The End\n\nIt's \"done\" -- mostly --- now.\n\n## Part {#p}\n");
        assert_eq!(a.blocks.len(), 3);
        let BlockKind::Paragraph(p) = &a.blocks[1].kind else {
            panic!()
        };
        assert_eq!(plain_text(p), "It’s “done” – mostly — now.");
        assert_eq!(
            p.len(),
            1,
            "smart punctuation text is merged into one inline"
        );
        assert_eq!(
            a.heading_ids,
            vec![("the-end".to_string(), false), ("p".to_string(), true)]
        );
    }

    #[test]
    fn footnotes_multi_paragraph_and_undefined() {
        let a = parse("Text[^a] and[^nope].\n\n[^a]: First.\n\n    Second para.\n");
        assert_eq!(a.definitions.len(), 1);
        assert_eq!(a.definitions[0].blocks.len(), 2);
        let labels: Vec<&str> = a.references.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(labels, vec!["a", "nope"]);
        let nope = a.references[1].1;
        assert_eq!(nope.start, "Text[^a] and".len());
    }

    #[test]
    fn tight_lists_nest() {
        let a = parse("- one\n- two\n  1. inner\n");
        let BlockKind::List(l) = &a.blocks[0].kind else {
            panic!()
        };
        assert_eq!(l.items.len(), 2);
        assert!(matches!(l.items[1].blocks[0].kind, BlockKind::Paragraph(_)));
        assert!(matches!(
            &l.items[1].blocks[1].kind,
            BlockKind::List(List { start: Some(1), .. })
        ));
    }

    #[test]
    fn github_slugs_follow_github_slugger() {
        let mut seen = HashMap::new();
        assert_eq!(
            github_slug("Optional features (float)", &mut seen),
            "optional-features-float"
        );
        assert_eq!(github_slug("Usage", &mut seen), "usage");
        assert_eq!(github_slug("Usage", &mut seen), "usage-1");
        assert_eq!(github_slug("Usage", &mut seen), "usage-2");
        assert_eq!(
            github_slug("What's new in 2.0?", &mut seen),
            "whats-new-in-20"
        );
        assert_eq!(github_slug("a  b_c", &mut seen), "a--b_c");
        assert_eq!(github_slug("Ünïcode Тест", &mut seen), "ünïcode-тест");
    }

    #[test]
    fn urls_join_as_against_a_base_href() {
        let base = "https://github.com/o/r/blob/main/";
        assert_eq!(
            join_url(base, "LICENSE"),
            "https://github.com/o/r/blob/main/LICENSE"
        );
        assert_eq!(
            join_url(base, "./docs/a.md#x"),
            "https://github.com/o/r/blob/main/docs/a.md#x"
        );
        assert_eq!(
            join_url(base, "../dev/CONTRIBUTING.md"),
            "https://github.com/o/r/blob/dev/CONTRIBUTING.md"
        );
        assert_eq!(join_url(base, "/o/other"), "https://github.com/o/other");
        assert_eq!(
            join_url("https://example.com", "a/b/"),
            "https://example.com/a/b/"
        );
        assert_eq!(
            join_url("https://example.com/x/page.html", "y?q=1"),
            "https://example.com/x/y?q=1"
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("The Post-Collapse Khmer Rouge"),
            "the-post-collapse-khmer-rouge"
        );
        assert_eq!(slugify("1979: China Invades!"), "s-1979-china-invades");
        assert_eq!(
            slugify("ខ្មែរ"),
            "ខ្មែរ"
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        );
        assert_eq!(slugify("!!!"), "section");
    }

    #[test]
    fn links_resolve_across_articles() {
        let mut sm = SourceMap::default();
        let a_text = "# A\n\nSee [b](b.md#deep) and [x](b.md#nowhere) and [c](c.md).\n";
        let b_text = "# B\n\n## Deep\n";
        let fa = sm.add(SourceFile::new(
            "m/a.md".into(),
            "m/a.md".into(),
            a_text.into(),
        ));
        let fb = sm.add(SourceFile::new(
            "m/b.md".into(),
            "m/b.md".into(),
            b_text.into(),
        ));
        let opts = ParseOptions {
            smart_punctuation: true,
        };
        let arts = vec![
            ArticleInput {
                parsed: parse_article(a_text, fa, opts),
                slug: "a".into(),
                path: "m/a.md".into(),
                image_assets: HashMap::new(),
            },
            ArticleInput {
                parsed: parse_article(b_text, fb, opts),
                slug: "b".into(),
                path: "m/b.md".into(),
                image_assets: HashMap::new(),
            },
        ];
        let (chapters, diags) = link_book(
            arts,
            FootnoteNumbering::Book,
            crate::lang::Digits::LATIN,
            None,
            &sm,
        );
        let BlockKind::Paragraph(p) = &chapters[0].blocks[1].kind else {
            panic!()
        };
        let InlineKind::Link { target, .. } = &p[1].kind else {
            panic!()
        };
        assert_eq!(
            *target,
            LinkTarget::Internal {
                chapter: 1,
                anchor: Some("deep".into())
            }
        );
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, vec!["W0400", "W0400"]);
        assert_eq!(diags[0].location.as_ref().unwrap().line, 3);
    }
}

#[cfg(test)]
mod table_caption_tests {
    use super::*;

    fn blocks(text: &str) -> Vec<Block> {
        parse_article(
            text,
            FileId(0),
            ParseOptions {
                smart_punctuation: true,
            },
        )
        .blocks
    }

    /// Each table of `text` as (caption text, label, number of body rows), and how many
    /// paragraphs are left.
    fn tables(text: &str) -> (Vec<(String, Option<String>, usize)>, usize) {
        let blocks = blocks(text);
        let mut out = Vec::new();
        let mut paragraphs = 0;
        each_block(&blocks, &mut |b| match &b.kind {
            BlockKind::Table(t) => {
                out.push((plain_text(&t.caption), t.label.clone(), t.rows.len()))
            }
            BlockKind::Paragraph(_) => paragraphs += 1,
            _ => {}
        });
        (out, paragraphs)
    }

    const TABLE: &str = "| River | km |\n|---|--:|\n| Mekong | 4909 |\n| Tonle Sap | 120 |\n";

    #[test]
    fn a_caption_paragraph_after_or_before_a_table_becomes_its_caption_and_label() {
        let one = |caption: &str| (caption.to_string(), Some("tbl:rivers".to_string()), 2);
        // After the table, with `Table:`, `table:` or `:`.
        for prefix in ["Table:", "table:", ":"] {
            let md = format!("{TABLE}\n{prefix} The rivers {{#tbl:rivers}}\n");
            assert_eq!(tables(&md), (vec![one("The rivers")], 0), "{prefix}");
        }
        // Before it.
        let md = format!("Table: The rivers {{#tbl:rivers}}\n\n{TABLE}");
        assert_eq!(tables(&md), (vec![one("The rivers")], 0));
        // Right under the last row, with no blank line: GFM reads it as a row.
        let md = format!("{TABLE}: The rivers {{#tbl:rivers}}\n");
        assert_eq!(tables(&md), (vec![one("The rivers")], 0));
        // Without a label, with markup kept, over two lines.
        let md = format!("{TABLE}\nTable: The *great*\nrivers.\n");
        let blocks = blocks(&md);
        let BlockKind::Table(t) = &blocks[0].kind else {
            panic!("a table: {blocks:?}");
        };
        assert_eq!(plain_text(&t.caption), "The great rivers.");
        assert_eq!(t.label, None);
        assert!(matches!(t.caption[1].kind, InlineKind::Emphasis(_)));
        // The caption's text points at its words in the source.
        let start = md.find("The *great*").expect("in the source");
        assert_eq!(t.caption[0].span.start, start);
    }

    #[test]
    fn a_caption_between_two_tables_is_the_first_ones_and_others_stay_paragraphs() {
        let md = format!("{TABLE}\n: First\n\n{TABLE}\nPlain text: not a caption.\n\n:\n");
        let (found, paragraphs) = tables(&md);
        assert_eq!(
            found,
            [("First".into(), None, 2), (String::new(), None, 2)],
            "the second table has no caption"
        );
        assert_eq!(
            paragraphs, 2,
            "a paragraph that does not start with the prefix, and a bare colon"
        );
        // A caption paragraph far from any table is a paragraph.
        assert_eq!(tables("Table: alone\n\nText.\n"), (vec![], 2));
        // A label with more attributes, and a table in a quote.
        let md = format!(
            "> {}\n>\n> Table: Quoted {{#tbl:q .wide}}\n",
            TABLE.replace('\n', "\n> ")
        );
        assert_eq!(tables(&md).0, [("Quoted".into(), Some("tbl:q".into()), 2)]);
    }
}
