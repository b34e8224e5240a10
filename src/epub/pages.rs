//! Print page numbers in the EPUB (`epub.print_page_numbers`): from the typesetter's page map,
//! a page-break marker where each print page begins, and the nav's `page-list`.
//!
//! A body page begins at a character of a top-level block's text ([`model::block_text`]); its
//! marker goes before the word holding that character (so a page that begins inside a word
//! has its marker before the whole word). The word is found by counting words: the
//! whitespace-separated tokens of the block's parts (paragraphs, cells, code) in reading order
//! in the model, and the same tokens in the block's XHTML, where block-level tags (paragraphs,
//! list items, cells, captions) also end a word, an image's alt text counts as text and a
//! footnote mark does not. A page that begins with no word (an image without caption) has its
//! marker before the block. Front-matter pages put theirs at the start of the matching EPUB
//! page; a body page without a body line (a blank verso, notes only) puts its marker just
//! before the next page's, or at the end of the last chapter.

use crate::html;
use crate::model::{self, Block, BlockKind, Book};
use crate::typeset::frame::PageLabel;
use crate::typeset::page::roman;
use crate::typeset::{FrontPage, PageMap};

/// The front-matter documents a marker can go in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontDoc {
    Cover,
    Title,
    Copyright,
    Contents,
    /// The list of figures.
    Figures,
    /// The list of tables.
    Tables,
}

/// One marker: its label as printed and the id it has in its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub label: String,
    pub id: String,
}

impl Marker {
    /// The marker of the page labelled `label`: its label as the print edition prints it (in
    /// the book's digits), its id in European digits (`page-12`).
    fn new(label: PageLabel, digits: crate::lang::Digits) -> Marker {
        let id = match label {
            PageLabel::Roman(n) => roman(n),
            PageLabel::Arabic(n) => n.to_string(),
        };
        Marker {
            id: format!("page-{id}"),
            label: crate::typeset::page::folio_text(label, digits),
        }
    }

    /// The marker element.
    pub fn html(&self) -> String {
        format!(
            "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"{}\" aria-label=\"{}\"></span>",
            html::attr(&self.id),
            html::attr(&self.label)
        )
    }
}

/// Where a marker goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Front(FrontDoc),
    /// Before word `word` of top-level block `block` of chapter `chapter`.
    Word {
        chapter: usize,
        block: usize,
        word: usize,
    },
    /// At the end of chapter `chapter`'s text.
    End {
        chapter: usize,
    },
}

/// Every marker of the book, in print order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageBreaks {
    pub markers: Vec<(Place, Marker)>,
}

impl PageBreaks {
    /// The markers for `book`'s page map; `has_cover` says whether the EPUB has a cover page
    /// (else a print cover's marker goes on the title page).
    pub fn from_map(book: &Book, map: &PageMap, has_cover: bool) -> PageBreaks {
        let digits = book.config.words().digits;
        let mut places: Vec<Option<Place>> = map
            .pages
            .iter()
            .map(|page| match (page.front, page.at) {
                (Some(FrontPage::Cover), _) if has_cover => Some(Place::Front(FrontDoc::Cover)),
                (Some(FrontPage::Cover | FrontPage::HalfTitle | FrontPage::TitlePage), _) => {
                    Some(Place::Front(FrontDoc::Title))
                }
                (Some(FrontPage::Copyright), _) => Some(Place::Front(FrontDoc::Copyright)),
                (Some(FrontPage::Contents), _) => Some(Place::Front(FrontDoc::Contents)),
                (Some(FrontPage::Figures), _) => Some(Place::Front(FrontDoc::Figures)),
                (Some(FrontPage::Tables), _) => Some(Place::Front(FrontDoc::Tables)),
                (None, Some(at)) => {
                    let block = book
                        .chapters
                        .get(at.chapter)
                        .and_then(|c| c.blocks.get(at.block));
                    Some(Place::Word {
                        chapter: at.chapter,
                        block: at.block,
                        word: block.map_or(0, |b| word_at(b, at.offset)),
                    })
                }
                (None, None) => None,
            })
            .collect();
        // A body page without a body line takes the next page's place (markers at one place
        // keep their print order), or the end of the last chapter.
        let mut next = Place::End {
            chapter: book.chapters.len().saturating_sub(1),
        };
        for place in places.iter_mut().rev() {
            match place {
                Some(p) => next = *p,
                None => *place = Some(next),
            }
        }
        let markers = places
            .into_iter()
            .zip(&map.pages)
            .filter_map(|(place, page)| Some((place?, Marker::new(page.label, digits))))
            .collect();
        PageBreaks { markers }
    }

    /// The markers of a front-matter document, as HTML to put at its start.
    pub fn front(&self, doc: FrontDoc) -> String {
        self.markers
            .iter()
            .filter(|(p, _)| *p == Place::Front(doc))
            .map(|(_, m)| m.html())
            .collect()
    }

    /// The markers inside top-level block `block` of chapter `chapter`: (word, marker HTML).
    pub fn in_block(&self, chapter: usize, block: usize) -> Vec<(usize, String)> {
        self.markers
            .iter()
            .filter_map(|(p, m)| match *p {
                Place::Word {
                    chapter: c,
                    block: b,
                    word,
                } if c == chapter && b == block => Some((word, m.html())),
                _ => None,
            })
            .collect()
    }

    /// The markers at the end of chapter `chapter`'s text.
    pub fn at_end(&self, chapter: usize) -> String {
        self.markers
            .iter()
            .filter(|(p, _)| *p == Place::End { chapter })
            .map(|(_, m)| m.html())
            .collect()
    }

    /// The nav's `page-list`: `file_of` names the document of a place.
    pub fn page_list(&self, file_of: impl Fn(&Place) -> String) -> String {
        let mut out = String::from(
            "<nav epub:type=\"page-list\" role=\"doc-pagelist\" aria-label=\"Pages\" hidden=\"hidden\">\n<ol>\n",
        );
        for (place, marker) in &self.markers {
            out.push_str(&format!(
                "<li><a href=\"{}#{}\">{}</a></li>\n",
                html::attr(&file_of(place)),
                html::attr(&marker.id),
                html::text(&marker.label)
            ));
        }
        out.push_str("</ol>\n</nav>\n");
        out
    }
}

/// The parts of a block's text, in the order of [`model::block_text`] (whose concatenation
/// they are): a part boundary ends a word.
fn parts(block: &Block, out: &mut Vec<String>) {
    model::each_block(std::slice::from_ref(block), &mut |b| match &b.kind {
        BlockKind::CodeBlock { text, .. } => out.push(text.clone()),
        // Quotes and lists: the walk goes on into the blocks they hold.
        BlockKind::BlockQuote(_) | BlockKind::List(_) | BlockKind::SceneBreak => {}
        BlockKind::Heading(_) | BlockKind::Paragraph(_) | BlockKind::Table(_) => {
            model::each_run(std::slice::from_ref(b), &mut |run| {
                out.push(model::plain_text(run))
            })
        }
    });
}

/// The index of the word (see the module doc) that holds character `offset` of `block`'s
/// text; a blank character belongs to the word after it.
pub fn word_at(block: &Block, offset: usize) -> usize {
    let mut all = Vec::new();
    parts(block, &mut all);
    let mut word = 0;
    let mut at = 0;
    for part in &all {
        let mut in_word = false;
        for c in part.chars() {
            if c.is_whitespace() {
                if in_word {
                    word += 1;
                }
                in_word = false;
            } else {
                in_word = true;
            }
            if at == offset {
                return word;
            }
            at += 1;
        }
        if in_word {
            word += 1;
        }
    }
    word
}

/// Elements whose tags separate words (the typesetter sets their contents apart).
const BLOCK_TAGS: &[&str] = &[
    "p",
    "li",
    "td",
    "th",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "pre",
    "figcaption",
    "figure",
    "div",
    "blockquote",
    "ul",
    "ol",
    "table",
    "thead",
    "tbody",
    "hr",
    "dd",
    "dt",
];

/// `xhtml` (one block's markup) with each `(word, marker)` inserted before that word; a marker
/// whose word the block does not reach goes before the block when it is word 0, else after.
pub fn insert_at_words(xhtml: &str, mut markers: Vec<(usize, String)>) -> String {
    if markers.is_empty() {
        return xhtml.to_string();
    }
    markers.sort_by_key(|(w, _)| *w);
    let mut out = String::with_capacity(xhtml.len() + markers.len() * 96);
    let mut pending = markers.into_iter().peekable();
    let mut word = 0usize;
    let mut in_word = false;
    let mut rest = xhtml;
    // Inside a footnote mark (its number is no text of the model): the depth of `<sup>`s.
    let mut in_noteref = 0usize;
    // Feeds one character of text to the word count; emits the markers due before it.
    let mut feed = |c: char, out: &mut String, word: &mut usize, in_word: &mut bool| {
        if c.is_whitespace() {
            if *in_word {
                *in_word = false;
                *word += 1;
            }
        } else if !*in_word {
            *in_word = true;
            while let Some((w, m)) = pending.peek() {
                if *w > *word {
                    break;
                }
                out.push_str(m);
                pending.next();
            }
        }
    };
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            let tag = &rest[..end];
            let closing = tag.starts_with("</");
            let name: String = tag
                .trim_start_matches(['<', '/'])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if BLOCK_TAGS.contains(&name.as_str()) && in_word {
                in_word = false;
                word += 1;
            }
            if name == "sup" {
                if closing {
                    in_noteref = in_noteref.saturating_sub(1);
                } else if in_noteref > 0 || tag.contains("class=\"noteref\"") {
                    in_noteref += 1;
                }
            }
            if name == "img" && in_noteref == 0 {
                // The model's text holds an image's alt text where the image stands.
                if let Some(alt) = attribute(tag, "alt") {
                    for a in alt.chars() {
                        feed(a, &mut out, &mut word, &mut in_word);
                    }
                }
            }
            out.push_str(tag);
            rest = &rest[end..];
            continue;
        }
        let len = c.len_utf8();
        let blank = c.is_whitespace()
            || (c == '&' && (rest.starts_with("&#160;") || rest.starts_with("&nbsp;")));
        if in_noteref == 0 {
            feed(
                if blank { ' ' } else { c },
                &mut out,
                &mut word,
                &mut in_word,
            );
        }
        out.push_str(&rest[..len]);
        rest = &rest[len..];
    }
    let remaining: Vec<(usize, String)> = pending.collect();
    if remaining.is_empty() {
        return out;
    }
    let mut lead = String::new();
    let mut tail = String::new();
    for (w, m) in remaining {
        if w == 0 {
            lead.push_str(&m);
        } else {
            tail.push_str(&m);
        }
    }
    format!("{lead}{out}{tail}")
}

/// The value of attribute `name` in a start tag, as written (entities left escaped).
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_go_before_their_words() {
        let got = insert_at_words(
            "<p>One two <em>three</em> four</p>\n",
            vec![(2, "|".into()), (0, "^".into())],
        );
        assert_eq!(got, "<p>^One two <em>|three</em> four</p>\n");
        // Cells and list items separate words even without spaces between the tags.
        let got = insert_at_words(
            "<table><tr><td>a</td><td>b c</td></tr></table>",
            vec![(1, "|".into())],
        );
        assert_eq!(got, "<table><tr><td>a</td><td>|b c</td></tr></table>");
        // A footnote mark is no text: not even a word of its own after a space.
        let got = insert_at_words(
            "<p>coast. <sup class=\"noteref\"><a href=\"#n\">3</a></sup> Then</p>",
            vec![(1, "|".into())],
        );
        assert_eq!(
            got,
            "<p>coast. <sup class=\"noteref\"><a href=\"#n\">3</a></sup> |Then</p>"
        );
        // An image's alt text counts as words where the image stands.
        let got = insert_at_words(
            "<p>see <img src=\"m.png\" alt=\"a map\"/> here</p>",
            vec![(3, "|".into()), (1, "^".into())],
        );
        assert_eq!(got, "<p>see ^<img src=\"m.png\" alt=\"a map\"/> |here</p>");
        // No word: word 0 goes before the block, later ones after it.
        let got = insert_at_words(
            "<figure><img src=\"a\" alt=\"\"/></figure>",
            vec![(0, "^".into())],
        );
        assert_eq!(got, "^<figure><img src=\"a\" alt=\"\"/></figure>");
        let got = insert_at_words("<p>a</p>", vec![(5, "$".into())]);
        assert_eq!(got, "<p>a</p>$");
    }

    fn paragraph(text: &str) -> Block {
        Block {
            kind: BlockKind::Paragraph(vec![model::Inline {
                kind: model::InlineKind::Text(text.to_string()),
                span: model::Span::default(),
            }]),
            span: model::Span::default(),
            dir: None,
        }
    }

    #[test]
    fn offsets_become_words_of_the_block() {
        let p = paragraph("Tall ships sail");
        assert_eq!(model::block_text(&p), "Tall ships sail");
        assert_eq!(word_at(&p, 0), 0);
        // Inside a word (a page that begins after a break hyphen): that word.
        assert_eq!(word_at(&p, 7), 1);
        // A space belongs to the word after it.
        assert_eq!(word_at(&p, 4), 1);
        assert_eq!(word_at(&p, 11), 2);
        // The parts of a list are separate words, though its text runs them together.
        let list = Block {
            kind: BlockKind::List(model::List {
                start: None,
                items: vec![
                    model::ListItem {
                        blocks: vec![paragraph("one")],
                        span: model::Span::default(),
                    },
                    model::ListItem {
                        blocks: vec![paragraph("two three")],
                        span: model::Span::default(),
                    },
                ],
            }),
            span: model::Span::default(),
            dir: None,
        };
        assert_eq!(model::block_text(&list), "onetwo three");
        assert_eq!(word_at(&list, 3), 1);
        assert_eq!(word_at(&list, 7), 2);
        // Past the end: after the last word.
        assert_eq!(word_at(&list, 99), 3);
    }
}
