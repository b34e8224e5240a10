//! Page references in print (`pdf: { page_references: true }`), as LaTeX's varioref sets
//! them: a cross-reference whose target is on another spread reads "Figure 2.3 on page 37",
//! one on the facing page "on the facing page", one overleaf "on the next page", and one on
//! the same page nothing more. The phrases change the text, so the pages are settled by a
//! fixpoint in [`super::typeset`]: each pass marks where every reference and target landed,
//! the next pass sets the phrases those pages call for, until they no longer change.
//!
//! A list of references (`[@fig:a; @fig:b]`) gets a phrase only when all its targets are on
//! one page.

use std::collections::HashMap;

use super::frame::{Document, Item, PageLabel};
pub use super::paragraph::{reference_anchor, REFERENCE_ANCHOR_PREFIX};
use crate::locale::{self, Words};
use crate::model::{each_inline_in, Book, InlineKind, Span};

/// Where each named destination of `doc` is: its page's index and label.
fn anchor_pages(doc: &Document) -> HashMap<&str, (usize, PageLabel)> {
    let mut out = HashMap::new();
    for (index, page) in doc.pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Anchor { name, .. } = item {
                out.entry(name.as_str()).or_insert((index, page.label));
            }
        }
    }
    out
}

/// How a reference on page `from` says where `to` is, in `book`'s words: empty on the same
/// page, else " on the facing page", " on the next page" or " on page 37".
pub fn phrase(from: (usize, PageLabel), to: (usize, PageLabel), words: &Words) -> String {
    if from.0 == to.0 {
        return String::new();
    }
    // Rectos are odd: body page 1 is a recto, and the front matter's i is too.
    let number = |l: PageLabel| match l {
        PageLabel::Roman(n) | PageLabel::Arabic(n) => n,
    };
    let same_kind = std::mem::discriminant(&from.1) == std::mem::discriminant(&to.1);
    let (a, b) = (number(from.1), number(to.1));
    let spread = |n: u32| n / 2;
    if same_kind && spread(a) == spread(b) {
        // A language without a word for the facing page names it as the next or the previous
        // one, which it is (varioref's Catalan: "a la pàgina següent", "a la pàgina anterior"),
        // and without that either, by its number ([`Words::on_facing_page`]).
        let said = match (words.on_facing_page, b > a) {
            ("", true) => words.on_next_page,
            ("", false) => words.on_previous_page,
            (facing, _) => facing,
        };
        if !said.is_empty() {
            return joined(said);
        }
    } else if same_kind && b == a + 1 && a % 2 == 1 && !words.on_next_page.is_empty() {
        return joined(words.on_next_page);
    }
    explicit_phrase(to, words)
}

/// A phrase as it follows the reference: after a space, or directly when it begins with a
/// full-width mark, which carries its own space (varioref's Chinese and Japanese put it in
/// full-width parentheses: "図 1（37ページ）"), or with a mark that closes what precedes it (a
/// book's ", sayfa {page}"). An opening bracket or quote takes the space, as DocBook's Turkish
/// does: "Şekil 1 (sayfa 37)".
fn joined(phrase: &str) -> String {
    let full_width = |c: char| matches!(c, '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}');
    let opening = |c: char| "([{«‹„‚“‘¿¡".contains(c);
    match phrase.chars().next() {
        Some(c) if full_width(c) => phrase.to_string(),
        Some(c) if !c.is_alphanumeric() && !opening(c) => phrase.to_string(),
        _ => format!(" {phrase}"),
    }
}

/// How a reference on page `from` names the page of `to` by its number alone, whatever the
/// pages: " on page 37". True wherever the target lands, so it is what a reference whose
/// varioref phrase would never settle says (see [`phrases`]).
pub fn explicit_phrase(to: (usize, PageLabel), words: &Words) -> String {
    let (PageLabel::Arabic(n) | PageLabel::Roman(n)) = to.1;
    let label = super::page::folio_text(to.1, words.digits);
    joined(&locale::on_page(words.on_page, n, &label))
}

/// The phrase each reference of `book` calls for in `doc` (by the reference's span). The
/// references in `explicit` name their target's page by number ([`explicit_phrase`]): those
/// whose phrase swung back and forth between passes (a figure that fits on the reference's
/// page only while the reference is short, and is pushed overleaf when it reads "on the next
/// page", LaTeX's varioref loop). The number is settled by the same fixpoint and is true
/// wherever the target lands.
pub fn phrases(
    book: &Book,
    doc: &Document,
    explicit: &std::collections::HashSet<Span>,
) -> HashMap<Span, String> {
    let pages = anchor_pages(doc);
    let words = book.config.words();
    let mut out = HashMap::new();
    for chapter in &book.chapters {
        let mut visit = |inline: &crate::model::Inline| {
            let InlineKind::CrossRef(r) = &inline.kind else {
                return;
            };
            let Some(&from) = pages.get(reference_anchor(inline.span).as_str()) else {
                return;
            };
            let targets: Option<Vec<(usize, PageLabel)>> = r
                .labels
                .iter()
                .map(|l| {
                    let t = book.numbers.labels.get(l)?;
                    pages.get(t.anchor.as_str()).copied()
                })
                .collect();
            let Some(targets) = targets else { return };
            if let Some(&to) = targets
                .first()
                .filter(|t| targets.iter().all(|o| o.0 == t.0))
            {
                let said = if explicit.contains(&inline.span) {
                    explicit_phrase(to, &words)
                } else {
                    phrase(from, to, &words)
                };
                out.insert(inline.span, said);
            }
        };
        each_inline_in(&chapter.blocks, &mut visit);
        for note in &chapter.footnotes {
            each_inline_in(&note.blocks, &mut visit);
        }
    }
    out
}

/// Removes the destinations that marked where references landed.
pub fn strip_reference_anchors(doc: &mut Document) {
    for page in &mut doc.pages {
        page.items.retain(
            |i| !matches!(i, Item::Anchor { name, .. } if name.starts_with(REFERENCE_ANCHOR_PREFIX)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_follow_varioref() {
        let p = |a: u32, b: u32| {
            phrase(
                (a as usize, PageLabel::Arabic(a)),
                (b as usize, PageLabel::Arabic(b)),
                &locale::words("en"),
            )
        };
        assert_eq!(p(4, 4), "");
        // 4 and 5 face each other; 5 and 6 are a leaf apart.
        assert_eq!(p(4, 5), " on the facing page");
        assert_eq!(p(5, 4), " on the facing page");
        assert_eq!(p(5, 6), " on the next page");
        assert_eq!(p(6, 5), " on page 5");
        assert_eq!(p(3, 37), " on page 37");
        assert_eq!(
            phrase(
                (1, PageLabel::Arabic(1)),
                (9, PageLabel::Arabic(9)),
                &locale::words("de")
            ),
            " auf Seite 9"
        );
    }

    #[test]
    fn a_language_without_a_facing_word_says_next_or_previous() {
        let p = |a: u32, b: u32, language: &str| {
            phrase(
                (a as usize, PageLabel::Arabic(a)),
                (b as usize, PageLabel::Arabic(b)),
                &locale::words(language),
            )
        };
        // Catalan (varioref): the facing page is the next one from a verso, the previous one
        // from a recto; overleaf is the next page too.
        assert_eq!(p(4, 5, "ca"), " a la pàgina següent");
        assert_eq!(p(5, 4, "ca"), " a la pàgina anterior");
        assert_eq!(p(5, 6, "ca"), " a la pàgina següent");
        assert_eq!(p(3, 37, "ca"), " a la pàgina 37");
        // A language with a word of its own keeps it both ways.
        assert_eq!(p(5, 4, "ru"), " на противоположной странице");
        assert_eq!(p(4, 5, "hu"), " a túloldalon");
        assert_eq!(p(5, 6, "hu"), " a következő oldalon");
        assert_eq!(p(3, 37, "hu"), " a 37.\u{a0}oldalon");
        assert_eq!(p(3, 51, "hu"), " az 51.\u{a0}oldalon");
        // Hebrew has the next page's phrase but no facing or previous page's: a facing page
        // before the reference is said by its number, in Hebrew.
        assert_eq!(p(4, 5, "he"), " בעמוד הבא");
        assert_eq!(p(5, 6, "he"), " בעמוד הבא");
        assert_eq!(p(5, 4, "he"), " בעמוד 4");
        // DocBook's Turkish has the page phrase alone, in ASCII parentheses after a space.
        assert_eq!(p(4, 5, "tr"), " (sayfa 5)");
        assert_eq!(p(5, 4, "tr"), " (sayfa 4)");
        assert_eq!(p(5, 6, "tr"), " (sayfa 6)");
        assert_eq!(p(3, 37, "tr"), " (sayfa 37)");
        assert_eq!(p(3, 37, "lt"), " (37 puslapis)");
        assert_eq!(p(8, 8, "tr"), "");
        assert_eq!(joined(", sayfa 37"), ", sayfa 37");
        assert_eq!(
            joined("«\u{a0}p.\u{a0}37\u{a0}»"),
            " «\u{a0}p.\u{a0}37\u{a0}»"
        );
        // A language without a page phrase says every page in English (Urdu's row has none).
        assert_eq!(p(5, 4, "ur"), " on the facing page");
        assert_eq!(p(5, 6, "ur"), " on the next page");
        // Korean has only LibreOffice's "page N": every other page is said by its number.
        assert_eq!(p(5, 4, "ko"), " 4 페이지");
        assert_eq!(p(5, 6, "ko"), " 6 페이지");
    }

    #[test]
    fn chinese_and_japanese_phrases_follow_the_reference_in_parentheses() {
        let p = |a: u32, b: u32, language: &str| {
            phrase(
                (a as usize, PageLabel::Arabic(a)),
                (b as usize, PageLabel::Arabic(b)),
                &locale::words(language),
            )
        };
        assert_eq!(p(3, 37, "ja"), "（37ページ）");
        assert_eq!(p(4, 5, "ja"), "（見開きページ）");
        assert_eq!(p(5, 6, "ja"), "（直後のページ）");
        assert_eq!(p(3, 37, "zh"), "（第\u{a0}37 页）");
        assert_eq!(p(5, 4, "zh-Hans"), "（对面页）");
        // The same phrases in traditional characters.
        assert_eq!(p(3, 37, "zh-Hant"), "（第\u{a0}37 頁）");
        assert_eq!(p(4, 5, "zh-TW"), "（對面頁）");
        assert_eq!(p(5, 6, "zh-Hant"), "（後一頁）");
        assert_eq!(
            explicit_phrase((2, PageLabel::Roman(3)), &locale::words("ja")),
            "（iiiページ）"
        );
    }
}
