//! Raw HTML in Markdown → model blocks and inlines, parsed the way a browser parses it. The only
//! module that knows html5ever (Servo's HTML parser) and its DOM.
//!
//! One parse serves `check`, the EPUB and the PDF: the HTML becomes ordinary model nodes
//! (paragraphs, quotes, lists, tables, headings, code, images, links, strong, emphasis, …),
//! so each writer renders it as it renders Markdown, and neither writer ever sees HTML. As in a
//! browser, unclosed elements close, stray end tags drop and entities decode. What cannot be
//! shown in a book is dropped: the content of `script`, `style`, `template`, `iframe`, `object`
//! (and the like), what a browser hides (an element with the `hidden` attribute), comments,
//! every attribute but a few meaningful ones, and links that are not web or mail links. Dropping something a reader might miss is reported ([`Stripped`]).

use html5ever::tendril::TendrilSink;
use html5ever::{local_name, ns, parse_fragment, ParseOpts, QualName};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

use crate::model::{
    Align, Block, BlockKind, Direction, Heading, Inline, InlineKind, LinkTarget, List, ListItem,
    Span, Table,
};

/// The name of the placeholder element that stands for a Markdown inline inside inline HTML
/// (`<b>bold *across* markdown</b>` arrives as HTML, text, emphasis, text, HTML). No HTML
/// element has a name with a `-` in its first position after `x`, so it cannot clash.
const SLOT: &str = "x-bindery-slot";

/// How deep elements are followed. Deeper content is kept as plain text, so that a
/// pathologically nested fragment cannot exhaust the stack; 64 is far beyond any real markup.
const MAX_DEPTH: usize = 64;

/// Something the editions leave out that the author may have meant to show (W0701).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stripped {
    /// What was removed, as the warning names it: `` `<script>` ``, `` the `onclick` handler ``,
    /// `` the `javascript:` link ``.
    pub what: String,
    /// Lower-case text that locates it in the source (`<script`, `onclick`, `javascript:`).
    pub needle: String,
}

/// What converting one piece of HTML produced.
#[derive(Debug, Default)]
pub struct Converted<T> {
    pub nodes: Vec<T>,
    /// Image sources, in order (to be loaded like Markdown images).
    pub images: Vec<String>,
    pub stripped: Vec<Stripped>,
}

/// Parses a block of raw HTML (a CommonMark HTML block) into blocks. Every node gets `span`,
/// the span of the whole HTML block.
pub fn blocks(html: &str, span: Span) -> Converted<Block> {
    let fragment = parse(html);
    let root = fragment.root.clone();
    let mut cx = Cx {
        span,
        slots: &mut [],
        out: Converted::default(),
    };
    let blocks = cx.blocks_of(&root, 0);
    cx.out.with_nodes(blocks)
}

/// Parses a run of inlines that contains raw inline HTML (`Inline::Html` pieces mixed with
/// Markdown inlines) into inlines without any HTML. The Markdown inlines keep their spans; the
/// nodes made from HTML get the span of the HTML piece that opened them.
pub fn inlines(run: Vec<Inline>, html_of: impl Fn(&Inline) -> Option<&str>) -> Converted<Inline> {
    let mut text = String::new();
    let mut slots: Vec<Option<Inline>> = Vec::new();
    let mut first_span = None;
    for inline in run {
        first_span.get_or_insert(inline.span);
        match html_of(&inline) {
            Some(html) => text.push_str(html),
            None => {
                text.push_str(&format!("<{SLOT} data-i=\"{}\"></{SLOT}>", slots.len()));
                slots.push(Some(inline));
            }
        }
    }
    let span = first_span.unwrap_or_default();
    let fragment = parse(&text);
    let root = fragment.root.clone();
    let mut cx = Cx {
        span,
        slots: &mut slots,
        out: Converted::default(),
    };
    let nodes = cx.inlines_of(&root, 0);
    cx.out.with_nodes(nodes)
}

/// A parsed fragment. The DOM empties its nodes when it is dropped, so it is kept beside the
/// root it hands out.
struct Fragment {
    _dom: RcDom,
    /// The fragment's root element (`<html>`), holding the parsed nodes.
    root: Handle,
}

fn parse(html: &str) -> Fragment {
    let context = QualName::new(None, ns!(html), local_name!("body"));
    let dom = parse_fragment(
        RcDom::default(),
        ParseOpts::default(),
        context,
        Vec::new(),
        false,
    )
    .one(html);
    let doc = dom.document.clone();
    let first = doc.children.borrow().first().cloned();
    Fragment {
        root: first.unwrap_or(doc),
        _dom: dom,
    }
}

/// Elements whose content never reaches the page; the flag says whether dropping it is worth
/// a warning (embedded or active content the author may have meant to show).
fn dropped(name: &str) -> Option<bool> {
    match name {
        "script" | "iframe" | "object" | "embed" | "applet" | "frame" | "frameset" => Some(true),
        "style" | "template" | "noscript" | "svg" | "math" | "canvas" | "video" | "audio"
        | "input" | "button" | "select" | "textarea" | "head" | "title" | "meta" | "link"
        | "base" | "xmp" | "plaintext" | "noembed" | "noframes" => Some(false),
        _ => None,
    }
}

/// Elements that make blocks; anything else is inline.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "blockquote"
            | "ul"
            | "ol"
            | "li"
            | "table"
            | "figure"
            | "figcaption"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "pre"
            | "section"
            | "article"
            | "aside"
            | "header"
            | "footer"
            | "nav"
            | "main"
            | "details"
            | "summary"
            | "center"
            | "dl"
            | "dt"
            | "dd"
            | "address"
            | "form"
            | "fieldset"
    )
}

struct Cx<'a> {
    span: Span,
    slots: &'a mut [Option<Inline>],
    out: Converted<()>,
}

fn name_of(node: &Handle) -> Option<String> {
    match &node.data {
        NodeData::Element { name, .. } => Some(name.local.to_string()),
        _ => None,
    }
}

/// Whether a browser leaves `node` out: an element with the `hidden` attribute (but
/// `hidden="until-found"`, which a reader's search reveals, so it is text that counts).
fn hidden(node: &Handle) -> bool {
    attr(node, "hidden").is_some_and(|v| !v.trim().eq_ignore_ascii_case("until-found"))
}

fn attr(node: &Handle, key: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| &*a.name.local == key)
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

/// The direction a block element's `dir` says, if it says one.
fn block_direction(node: &Handle) -> Option<Direction> {
    attr(node, "dir").and_then(|d| Direction::parse(&d))
}

/// Gives `blocks` the direction `dir`, each that has none of its own.
pub fn directed(blocks: &mut [Block], dir: Option<Direction>) {
    if let Some(dir) = dir {
        for b in blocks {
            b.dir.get_or_insert(dir);
        }
    }
}

/// A raw HTML block that only opens a `<div>` or only closes one, with Markdown between the
/// two (`<div dir="rtl">`, a blank line, paragraphs, a blank line, `</div>`): CommonMark
/// ends the HTML block at the blank line, so the Markdown reader pairs them itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DivTag {
    /// `<div …>`, with the direction its `dir` says.
    Open(Option<Direction>),
    /// `</div>`.
    Close,
}

/// The [`DivTag`] `html` is, when it is a lone `<div …>` or `</div>` tag and nothing else.
pub fn div_tag(html: &str) -> Option<DivTag> {
    let tag = html.trim();
    let lower = tag.to_ascii_lowercase();
    if lower.strip_prefix("</div").is_some_and(|r| r.trim() == ">") {
        return Some(DivTag::Close);
    }
    let lone = lower.starts_with("<div")
        && lower[4..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace())
        && tag.ends_with('>')
        && !tag[1..].contains('<');
    if !lone {
        return None;
    }
    let fragment = parse(tag);
    let div = children(&fragment.root)
        .into_iter()
        .find(|c| name_of(c).as_deref() == Some("div"))?;
    Some(DivTag::Open(block_direction(&div)))
}

/// The children of `node` a browser shows: all but the [`hidden`] ones, so that no list item,
/// table row or cell a browser hides is printed.
fn children(node: &Handle) -> Vec<Handle> {
    node.children
        .borrow()
        .iter()
        .filter(|c| !hidden(c))
        .cloned()
        .collect()
}

/// Collapses runs of HTML white space to one space, as a browser shows text.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}') {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

/// All the text under `node`, as written (for `<pre>`, `<code>`, alt text).
fn text_content(node: &Handle, out: &mut String) {
    // Iterative, so that depth costs no stack.
    let mut stack = vec![node.clone()];
    while let Some(n) = stack.pop() {
        match &n.data {
            NodeData::Text { contents } => out.push_str(&contents.borrow()),
            NodeData::Element { name, .. } if dropped(&name.local).is_some() => {}
            NodeData::Element { .. } | NodeData::Document => {
                stack.extend(children(&n).into_iter().rev());
            }
            _ => {}
        }
    }
}

/// Whether `url` is a link a book may carry: web and mail addresses (the EPUB's rule).
fn web_link(url: &str) -> bool {
    crate::html::safe_external_url(url)
}

/// Whether `url` names a scheme (`javascript:`, `data:`, `ftp:`), as opposed to a path.
fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) if i > 0 => url[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')),
        _ => false,
    }
}

impl Cx<'_> {
    fn inline(&self, kind: InlineKind) -> Inline {
        Inline {
            kind,
            span: self.span,
        }
    }

    fn block(&self, kind: BlockKind) -> Block {
        Block {
            kind,
            span: self.span,
            dir: None,
        }
    }

    /// Records what is dropped, once per kind of thing in one piece of HTML.
    fn strip(&mut self, what: String, needle: &str) {
        if self.out.stripped.iter().any(|s| s.what == what) {
            return;
        }
        self.out.stripped.push(Stripped {
            what,
            needle: needle.to_string(),
        });
    }

    /// Reports event handlers on an element (`onclick`); every attribute is dropped anyway.
    fn handlers(&mut self, node: &Handle) {
        let names: Vec<String> = match &node.data {
            NodeData::Element { attrs, .. } => attrs
                .borrow()
                .iter()
                .map(|a| a.name.local.to_string())
                .filter(|n| n.to_ascii_lowercase().starts_with("on"))
                .collect(),
            _ => Vec::new(),
        };
        for n in names {
            let needle = n.to_ascii_lowercase();
            self.strip(format!("the `{n}` handler"), &needle);
        }
    }

    /// The inlines under `node`'s children.
    fn inlines_of(&mut self, node: &Handle, depth: usize) -> Vec<Inline> {
        let mut out = Vec::new();
        for child in children(node) {
            self.inline_node(&child, depth, &mut out);
        }
        out
    }

    fn inline_node(&mut self, node: &Handle, depth: usize, out: &mut Vec<Inline>) {
        let name = match &node.data {
            NodeData::Text { contents } => {
                let text = collapse(&contents.borrow());
                if !text.is_empty() {
                    out.push(self.inline(InlineKind::Text(text)));
                }
                return;
            }
            NodeData::Element { name, .. } => name.local.to_string(),
            _ => return,
        };
        if let Some(warn) = dropped(&name) {
            if warn {
                self.strip(format!("`<{name}>`"), &format!("<{name}"));
            }
            return;
        }
        self.handlers(node);
        if depth >= MAX_DEPTH {
            let mut text = String::new();
            text_content(node, &mut text);
            out.push(self.inline(InlineKind::Text(collapse(&text))));
            return;
        }
        let d = depth + 1;
        let kind = match name.as_str() {
            SLOT => {
                let slot = attr(node, "data-i")
                    .and_then(|i| i.parse::<usize>().ok())
                    .and_then(|i| self.slots.get_mut(i))
                    .and_then(Option::take);
                if let Some(inline) = slot {
                    out.push(inline);
                }
                // Whatever the parser put inside a slot (it never should) is kept too.
                out.extend(self.inlines_of(node, d));
                return;
            }
            "b" | "strong" => InlineKind::Strong(self.inlines_of(node, d)),
            "i" | "em" | "cite" | "var" | "dfn" => InlineKind::Emphasis(self.inlines_of(node, d)),
            "s" | "del" | "strike" => InlineKind::Strikethrough(self.inlines_of(node, d)),
            "sup" => InlineKind::Superscript(self.inlines_of(node, d)),
            "sub" => InlineKind::Subscript(self.inlines_of(node, d)),
            "code" | "kbd" | "samp" | "tt" => {
                let mut text = String::new();
                text_content(node, &mut text);
                InlineKind::Code(text)
            }
            "br" => InlineKind::HardBreak,
            "wbr" => return,
            "img" => {
                let src = attr(node, "src").unwrap_or_default();
                let alt = attr(node, "alt").unwrap_or_default();
                if src.trim().is_empty() {
                    if !alt.is_empty() {
                        out.push(self.inline(InlineKind::Text(alt)));
                    }
                    return;
                }
                self.out.images.push(src.clone());
                InlineKind::Image {
                    asset: None,
                    src,
                    alt,
                    title: attr(node, "title").unwrap_or_default(),
                    attrs: Default::default(),
                }
            }
            "a" => {
                let content = self.inlines_of(node, d);
                let href = attr(node, "href").map(|h| h.trim().to_string());
                let target = match href {
                    Some(h) if h.is_empty() => None,
                    Some(h) if web_link(&h) => Some(LinkTarget::External(h)),
                    Some(h) if has_scheme(&h) => {
                        let scheme = h.split(':').next().unwrap_or("").to_ascii_lowercase();
                        self.strip(format!("the `{scheme}:` link"), &format!("{scheme}:"));
                        None
                    }
                    // A path: resolved against the book when it is linked.
                    Some(h) => Some(LinkTarget::Broken(h)),
                    None => None,
                };
                match target {
                    Some(target) => InlineKind::Link {
                        target,
                        title: attr(node, "title").unwrap_or_default(),
                        content,
                    },
                    None => {
                        out.extend(content);
                        return;
                    }
                }
            }
            "span" | "bdi" | "bdo" | "q" | "abbr" | "mark" | "small" | "u" | "ins" | "time"
            | "data" | "font" | "label" => {
                let content = self.inlines_of(node, d);
                let lang = attr(node, "lang")
                    .map(|l| l.trim().to_string())
                    .filter(|l| valid_lang(l));
                // `<bdi>` isolates its text, with the direction of its first strong character
                // unless it says one; `dir` on any of these elements is kept.
                let dir = attr(node, "dir")
                    .and_then(|d| Direction::parse(&d))
                    .or((name == "bdi").then_some(Direction::Auto));
                if lang.is_none() && dir.is_none() {
                    out.extend(content);
                    return;
                }
                InlineKind::Lang { lang, dir, content }
            }
            _ => {
                // Block elements met inline, and unknown elements: their content.
                let content = self.inlines_of(node, d);
                if is_block(&name) && !out.is_empty() && !content.is_empty() {
                    out.push(self.inline(InlineKind::Text(" ".into())));
                }
                out.extend(content);
                return;
            }
        };
        out.push(self.inline(kind));
    }

    /// The blocks under `node`'s children: block elements become blocks, and runs of inline
    /// content between them become paragraphs.
    fn blocks_of(&mut self, node: &Handle, depth: usize) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut pending: Vec<Inline> = Vec::new();
        for child in children(node) {
            let block_name = name_of(&child).filter(|n| is_block(n));
            match block_name {
                Some(name) if depth < MAX_DEPTH => {
                    self.flush(&mut pending, &mut blocks);
                    self.handlers(&child);
                    self.block_element(&child, &name, depth + 1, &mut blocks);
                }
                _ => self.inline_node(&child, depth, &mut pending),
            }
        }
        self.flush(&mut pending, &mut blocks);
        blocks
    }

    /// Makes a paragraph of the pending inlines, unless they are only white space.
    fn flush(&mut self, pending: &mut Vec<Inline>, blocks: &mut Vec<Block>) {
        let inlines = std::mem::take(pending);
        let blank = inlines.iter().all(|i| match &i.kind {
            InlineKind::Text(t) => t.trim().is_empty(),
            InlineKind::HardBreak | InlineKind::SoftBreak => true,
            _ => false,
        });
        if !blank {
            blocks.push(self.block(BlockKind::Paragraph(trim_inlines(inlines))));
        }
    }

    /// The blocks of a block element, in the direction its `dir` says (`<div dir="rtl">`, `<p
    /// dir="ltr">`): each block made from it takes that direction unless an element inside
    /// said another.
    fn block_element(&mut self, node: &Handle, name: &str, d: usize, blocks: &mut Vec<Block>) {
        let first = blocks.len();
        self.block_element_inner(node, name, d, blocks);
        directed(&mut blocks[first..], block_direction(node));
    }

    fn block_element_inner(
        &mut self,
        node: &Handle,
        name: &str,
        d: usize,
        blocks: &mut Vec<Block>,
    ) {
        match name {
            "p" | "figcaption" | "dt" | "summary" => {
                let inlines = self.inlines_of(node, d);
                let mut pending = inlines;
                self.flush(&mut pending, blocks);
            }
            "blockquote" => {
                let inner = self.blocks_of(node, d);
                blocks.push(self.block(BlockKind::BlockQuote(inner)));
            }
            "ul" | "ol" => {
                let start = (name == "ol").then(|| {
                    attr(node, "start")
                        .and_then(|s| s.trim().parse::<u64>().ok())
                        .unwrap_or(1)
                });
                let mut items = Vec::new();
                for child in children(node) {
                    match name_of(&child).as_deref() {
                        Some("li") => {
                            let mut blocks = self.blocks_of(&child, d);
                            directed(&mut blocks, block_direction(&child));
                            items.push(ListItem {
                                blocks,
                                span: self.span,
                            });
                        }
                        _ => {
                            let loose = self.blocks_of_one(&child, d);
                            if !loose.is_empty() {
                                items.push(ListItem {
                                    blocks: loose,
                                    span: self.span,
                                });
                            }
                        }
                    }
                }
                if !items.is_empty() {
                    blocks.push(self.block(BlockKind::List(List { start, items })));
                }
            }
            "table" => {
                if let Some(table) = self.table(node, d) {
                    blocks.push(self.block(BlockKind::Table(table)));
                }
            }
            "figure" => {
                // An image with its caption is a figure, as `![alt](src "caption")` is.
                let mut image = None;
                let mut caption = String::new();
                let mut rest = Vec::new();
                for child in children(node) {
                    match name_of(&child).as_deref() {
                        Some("figcaption") => {
                            let mut t = String::new();
                            text_content(&child, &mut t);
                            caption = collapse(&t).trim().to_string();
                        }
                        _ => {
                            let mut inl = Vec::new();
                            self.inline_node(&child, d, &mut inl);
                            for i in inl {
                                match i.kind {
                                    InlineKind::Image { .. } if image.is_none() => image = Some(i),
                                    _ => rest.push(i),
                                }
                            }
                        }
                    }
                }
                match image {
                    Some(mut img) => {
                        if let InlineKind::Image { title, .. } = &mut img.kind {
                            if !caption.is_empty() {
                                *title = caption;
                            }
                        }
                        blocks.push(self.block(BlockKind::Paragraph(vec![img])));
                        self.flush(&mut rest, blocks);
                    }
                    None => {
                        self.flush(&mut rest, blocks);
                        if !caption.is_empty() {
                            let mut c = vec![self.inline(InlineKind::Text(caption))];
                            self.flush(&mut c, blocks);
                        }
                    }
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name[1..].parse::<u8>().unwrap_or(1);
                let content = trim_inlines(self.inlines_of(node, d));
                // No `id`: the Markdown reader derives one from the text, as for `# Title`.
                let id = attr(node, "id")
                    .map(|i| i.trim().to_string())
                    .unwrap_or_default();
                blocks.push(self.block(BlockKind::Heading(Heading {
                    level,
                    id,
                    content,
                    span: self.span,
                })));
            }
            "hr" => blocks.push(self.block(BlockKind::SceneBreak)),
            "pre" => {
                let mut text = String::new();
                text_content(node, &mut text);
                // As in a browser, a newline right after `<pre>` is not content.
                let text = text.strip_prefix('\n').unwrap_or(&text).to_string();
                if !text.trim().is_empty() {
                    blocks.push(self.block(BlockKind::CodeBlock { lang: None, text }));
                }
            }
            _ => blocks.extend(self.blocks_of(node, d)),
        }
    }

    /// One child node as blocks (a stray node inside a list).
    fn blocks_of_one(&mut self, node: &Handle, d: usize) -> Vec<Block> {
        let mut blocks = Vec::new();
        match name_of(node) {
            Some(name) if is_block(&name) => self.block_element(node, &name, d, &mut blocks),
            _ => {
                let mut pending = Vec::new();
                self.inline_node(node, d, &mut pending);
                self.flush(&mut pending, &mut blocks);
            }
        }
        blocks
    }

    /// A table's caption (its first `<caption>`) and rows (`thead`/`tbody`/`tfoot` are looked
    /// through); the first row is the head
    /// when it is in `<thead>` or made of `<th>` cells (else the table has no head). Rows are
    /// padded to one width.
    fn table(&mut self, node: &Handle, d: usize) -> Option<Table> {
        let mut rows: Vec<(bool, Vec<Vec<Inline>>)> = Vec::new();
        let mut caption = Vec::new();
        let mut stack: Vec<(Handle, bool)> =
            children(node).into_iter().map(|c| (c, false)).collect();
        stack.reverse();
        while let Some((child, in_head)) = stack.pop() {
            match name_of(&child).as_deref() {
                Some("caption") if caption.is_empty() => {
                    caption = trim_inlines(self.inlines_of(&child, d));
                }
                Some("thead") | Some("tbody") | Some("tfoot") => {
                    let head = name_of(&child).as_deref() == Some("thead");
                    for c in children(&child).into_iter().rev() {
                        stack.push((c, head));
                    }
                }
                Some("tr") => {
                    let mut cells = Vec::new();
                    let mut all_th = true;
                    for cell in children(&child) {
                        if let Some(n @ ("td" | "th")) = name_of(&cell).as_deref() {
                            all_th &= n == "th";
                            cells.push(trim_inlines(self.inlines_of(&cell, d)));
                        }
                    }
                    if !cells.is_empty() {
                        rows.push((in_head || all_th, cells));
                    }
                }
                _ => {}
            }
        }
        let width = rows.iter().map(|(_, r)| r.len()).max()?;
        for (_, r) in &mut rows {
            r.resize(width, Vec::new());
        }
        let head = match rows.first() {
            Some((true, _)) => rows.remove(0).1,
            _ => Vec::new(),
        };
        Some(Table {
            caption,
            label: None,
            align: vec![Align::None; width],
            head,
            rows: rows.into_iter().map(|(_, r)| r).collect(),
        })
    }
}

/// A BCP 47-looking tag: letters, digits and `-`, starting with a letter, at most 35 long.
fn valid_lang(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 35
        && tag.starts_with(|c: char| c.is_ascii_alphabetic())
        && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Drops white space at the start and end of a run of inlines.
fn trim_inlines(mut inlines: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline {
        kind: InlineKind::Text(t),
        ..
    }) = inlines.first_mut()
    {
        *t = t.trim_start().to_string();
    }
    if let Some(Inline {
        kind: InlineKind::Text(t),
        ..
    }) = inlines.last_mut()
    {
        *t = t.trim_end().to_string();
    }
    inlines.retain(|i| !matches!(&i.kind, InlineKind::Text(t) if t.is_empty()));
    inlines
}

impl<T> Converted<T> {
    fn with_nodes<U>(self, nodes: Vec<U>) -> Converted<U> {
        Converted {
            nodes,
            images: self.images,
            stripped: self.stripped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plain_text;

    fn kinds(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| match &b.kind {
                BlockKind::Paragraph(i) => format!("p:{}", plain_text(i)),
                BlockKind::Heading(h) => format!("h{}#{}:{}", h.level, h.id, h.plain_text()),
                BlockKind::BlockQuote(inner) => format!("quote[{}]", kinds(inner).join(",")),
                BlockKind::List(l) => format!(
                    "list{:?}[{}]",
                    l.start,
                    l.items
                        .iter()
                        .map(|i| kinds(&i.blocks).join(","))
                        .collect::<Vec<_>>()
                        .join("|")
                ),
                BlockKind::CodeBlock { text, .. } => format!("pre:{text}"),
                BlockKind::SceneBreak => "hr".into(),
                BlockKind::Table(t) => format!("table:{}x{}", t.head.len(), t.rows.len()),
            })
            .collect()
    }

    fn parse_blocks(html: &str) -> Vec<String> {
        kinds(&blocks(html, Span::default()).nodes)
    }

    #[test]
    fn unclosed_elements_close_and_stray_end_tags_drop() {
        assert_eq!(parse_blocks("<div><span>never closed"), ["p:never closed"]);
        assert_eq!(parse_blocks("</b></div><p>text</p></p>"), ["p:text"]);
        assert_eq!(
            parse_blocks("<ul><li>one<li>two</ul>"),
            ["listNone[p:one|p:two]"]
        );
        assert_eq!(parse_blocks("<ol start=3><li>c</ol>"), ["listSome(3)[p:c]"]);
    }

    /// What a browser hides (the `hidden` attribute) is not printed either; what its search
    /// would reveal (`hidden="until-found"`) is.
    #[test]
    fn hidden_elements_are_left_out() {
        assert_eq!(
            parse_blocks("<p>shown</p><div hidden><p>not shown</p></div><p hidden=\"\">no</p>"),
            ["p:shown"]
        );
        assert_eq!(
            parse_blocks("<p>a <span hidden>secret </span>b</p>"),
            ["p:a b"]
        );
        assert_eq!(
            parse_blocks("<div hidden=\"until-found\"><p>found</p></div>"),
            ["p:found"]
        );
        assert_eq!(
            parse_blocks("<pre>code<span hidden> gone</span></pre>"),
            ["pre:code"]
        );
        assert_eq!(
            parse_blocks("<ul><li>one<li hidden>two<li>three</ul>"),
            ["listNone[p:one|p:three]"]
        );
        assert_eq!(
            parse_blocks("<table><tr><td>a</td></tr><tr hidden><td>b</td></tr></table>"),
            ["table:0x1"]
        );
    }

    #[test]
    fn entities_decode_and_whitespace_collapses() {
        assert_eq!(
            parse_blocks("<p>a &mdash; b&nbsp;c &amp; &#0; &bogus;\n  d</p>"),
            ["p:a — b\u{a0}c & \u{FFFD} &bogus; d"]
        );
    }

    /// `dir` on a block element is the direction of the blocks made from it, an inner one
    /// winning; a lone `<div dir>` tag is told apart for the Markdown reader.
    #[test]
    fn block_directions_come_from_dir() {
        use crate::model::Direction::{Auto, Ltr, Rtl};
        let b = blocks(
            "<div dir=\"rtl\"><p>a</p><div dir=\"ltr\"><p>b</p></div><ul><li dir=\"auto\">c\
             </li></ul></div><p dir=\"RTL\">d</p><p>e</p>",
            Span::default(),
        );
        let dirs: Vec<_> = b.nodes.iter().map(|b| b.dir).collect();
        assert_eq!(dirs, [Some(Rtl), Some(Ltr), Some(Rtl), Some(Rtl), None]);
        let BlockKind::List(list) = &b.nodes[2].kind else {
            panic!("{:?}", b.nodes[2]);
        };
        assert_eq!(list.items[0].blocks[0].dir, Some(Auto));
        assert_eq!(
            div_tag("<div dir=\"rtl\">\n"),
            Some(DivTag::Open(Some(Rtl)))
        );
        assert_eq!(div_tag("<div class=\"x\">"), Some(DivTag::Open(None)));
        assert_eq!(div_tag(" </DIV > "), Some(DivTag::Close));
        for not_lone in [
            "<div dir=\"rtl\"><p>x</p>",
            "<divider>",
            "<div>a</div>",
            "<p>",
        ] {
            assert_eq!(div_tag(not_lone), None, "{not_lone}");
        }
    }

    #[test]
    fn blocks_become_model_blocks() {
        assert_eq!(
            parse_blocks(
                "<h2 id=\"x\">Title</h2><blockquote><p>q</p></blockquote><hr><pre>\ncode\n</pre>"
            ),
            ["h2#x:Title", "quote[p:q]", "hr", "pre:code\n"]
        );
        assert_eq!(
            parse_blocks("<table><tr><th>a<th>b<tr><td>1<td>2</table>"),
            ["table:2x1"]
        );
        assert_eq!(parse_blocks("<table><tr><td>1</table>"), ["table:0x1"]);
        let fig = blocks(
            "<figure><img src=\"a.png\" alt=\"A\"><figcaption>The <b>cap</b></figcaption></figure>",
            Span::default(),
        );
        assert_eq!(fig.images, ["a.png"]);
        match &fig.nodes[0].kind {
            BlockKind::Paragraph(i) => match &i[0].kind {
                InlineKind::Image {
                    src, alt, title, ..
                } => {
                    assert_eq!(
                        (src.as_str(), alt.as_str(), title.as_str()),
                        ("a.png", "A", "The cap")
                    )
                }
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn what_cannot_be_shown_is_dropped_and_reported() {
        let c = blocks(
            "<p onclick=\"x()\">a<script>alert(1)</script><style>p{}</style><!-- c -->\
             <iframe src=\"f\">fallback</iframe><a href=\"javascript:alert(2)\">link</a></p>",
            Span::default(),
        );
        assert_eq!(kinds(&c.nodes), ["p:alink"]);
        let what: Vec<&str> = c.stripped.iter().map(|s| s.what.as_str()).collect();
        assert_eq!(
            what,
            [
                "the `onclick` handler",
                "`<script>`",
                "`<iframe>`",
                "the `javascript:` link"
            ]
        );
    }

    #[test]
    fn inline_html_wraps_markdown_inlines() {
        let text = |s: &str| Inline {
            kind: InlineKind::Text(s.into()),
            span: Span::default(),
        };
        let html = |s: &str| Inline {
            kind: InlineKind::Html(s.into()),
            span: Span::default(),
        };
        let run = vec![
            html("<b>"),
            text("bold "),
            html("<sup>"),
            text("2"),
            html("</b>"),
            text(" after"),
        ];
        let out = inlines(run, |i| match &i.kind {
            InlineKind::Html(h) => Some(h.as_str()),
            _ => None,
        });
        // `<b>` closes at `</b>` although `<sup>` never did, and the sup closes with it.
        match &out.nodes[0].kind {
            InlineKind::Strong(c) => {
                assert!(matches!(&c[0].kind, InlineKind::Text(t) if t == "bold "));
                assert!(matches!(&c[1].kind, InlineKind::Superscript(s) if plain_text(s) == "2"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(plain_text(&out.nodes), "bold 2 after");
        let lang = inlines(
            vec![html("<span lang=\"km\">"), text("ខ្មែរ"), html("</span>")],
            |i| match &i.kind {
                InlineKind::Html(h) => Some(h.as_str()),
                _ => None,
            },
        );
        assert!(
            matches!(&lang.nodes[0].kind, InlineKind::Lang { lang: Some(lang), .. } if lang == "km")
        );
    }

    #[test]
    fn deep_nesting_costs_no_stack() {
        let html = format!(
            "{}deep{}",
            "<div><blockquote><b>".repeat(3000),
            "</b></blockquote></div>".repeat(3000)
        );
        let c = blocks(&html, Span::default());
        let mut all = String::new();
        fn walk(bs: &[Block], out: &mut String) {
            for b in bs {
                match &b.kind {
                    BlockKind::Paragraph(i) => out.push_str(&plain_text(i)),
                    BlockKind::BlockQuote(inner) => walk(inner, out),
                    _ => {}
                }
            }
        }
        walk(&c.nodes, &mut all);
        assert_eq!(all, "deep");
    }
}
