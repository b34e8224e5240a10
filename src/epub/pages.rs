//! Print page numbers in the EPUB (`epub.print_page_numbers`): from the typesetter's page map,
//! a page-break marker where each print page begins, and the nav's `page-list`.
//!
//! A body page's marker goes before the word the page begins with (or, when the page begins
//! inside a word, before that word), counting a top-level block's words as the typesetter does
//! (see `typeset::vlist::LineSource`): whitespace-separated tokens of the block's text, with
//! block-level tags (paragraphs, list items, cells, captions) separating words too. A page
//! that begins with no word (an image) puts its marker before the block. Front-matter pages
//! put theirs at the start of the matching EPUB page, and a page left blank at a chapter's end
//! goes at that chapter's end.

use crate::html;
use crate::typeset::frame::{PageLabel, PagePlace, PageStart};
use crate::typeset::page::roman;

/// The front-matter documents a marker can go in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontDoc {
    Cover,
    Title,
    Copyright,
    Contents,
}

/// One marker: its label as printed and the id it has in its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub label: String,
    pub id: String,
}

impl Marker {
    fn new(label: PageLabel) -> Marker {
        let label = match label {
            PageLabel::Roman(n) => roman(n),
            PageLabel::Arabic(n) => n.to_string(),
        };
        Marker {
            id: format!("page-{label}"),
            label,
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
    End { chapter: usize },
}

/// Every marker of the book, in print order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageBreaks {
    pub markers: Vec<(Place, Marker)>,
}

impl PageBreaks {
    /// The markers for a page map; `has_cover` says whether the EPUB has a cover page (else a
    /// print cover's marker goes on the title page).
    pub fn from_map(map: &[PageStart], has_cover: bool) -> PageBreaks {
        let markers = map
            .iter()
            .map(|page| {
                let place = match page.place {
                    PagePlace::Cover if has_cover => Place::Front(FrontDoc::Cover),
                    PagePlace::Cover | PagePlace::HalfTitle | PagePlace::TitlePage => {
                        Place::Front(FrontDoc::Title)
                    }
                    PagePlace::Copyright => Place::Front(FrontDoc::Copyright),
                    PagePlace::Contents => Place::Front(FrontDoc::Contents),
                    PagePlace::Body {
                        chapter,
                        block,
                        word,
                    } => Place::Word {
                        chapter,
                        block,
                        word,
                    },
                    PagePlace::ChapterEnd { chapter } => Place::End { chapter },
                };
                (place, Marker::new(page.label))
            })
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

/// Elements whose tags separate words (the typesetter sets their contents apart).
const BLOCK_TAGS: &[&str] = &[
    "p", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "br", "pre", "figcaption",
    "figure", "div", "blockquote", "ul", "ol", "table", "thead", "tbody", "hr", "dd", "dt",
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
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            let tag = &rest[..end];
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
            out.push_str(tag);
            rest = &rest[end..];
            continue;
        }
        let len = c.len_utf8();
        let blank = c.is_whitespace()
            || (c == '&' && (rest.starts_with("&#160;") || rest.starts_with("&nbsp;")));
        if blank {
            if in_word {
                in_word = false;
                word += 1;
            }
        } else if !in_word {
            in_word = true;
            while let Some((w, m)) = pending.peek() {
                if *w > word {
                    break;
                }
                out.push_str(m);
                pending.next();
            }
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
        // A word that runs on through markup (a footnote mark) is one word.
        let got = insert_at_words(
            "<p>coast.<sup><a href=\"#n\">3</a></sup> Then</p>",
            vec![(1, "|".into())],
        );
        assert_eq!(got, "<p>coast.<sup><a href=\"#n\">3</a></sup> |Then</p>");
        // No word: word 0 goes before the block, later ones after it.
        let got = insert_at_words("<figure><img src=\"a\"/></figure>", vec![(0, "^".into())]);
        assert_eq!(got, "^<figure><img src=\"a\"/></figure>");
        let got = insert_at_words("<p>a</p>", vec![(5, "$".into())]);
        assert_eq!(got, "<p>a</p>$");
    }
}
