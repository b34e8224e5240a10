//! Typography by language, over the model: quotation marks, no-break spaces around
//! punctuation, and no-break spaces inside numbers, each from the text's own language (the
//! book's, a chapter's, or a marked span's) as [`crate::lang`] gives it.
//!
//! pulldown-cmark's smart punctuation has already turned `"` and `'` into English curly
//! quotes, deciding which open and which close by the spaces around them (between Chinese or
//! Japanese characters, which have none, this pass pairs them up itself); it maps them to the language's marks
//! (a double quote to its first level, a single one to its second) and then applies the
//! language's spacing rules. Both editions read the result from the model.

use crate::lang::{self, Language};
use crate::model::{Block, BlockKind, Chapter, Inline, InlineKind};

/// What the pass carries through one paragraph.
struct State {
    /// Single quotes opened and not yet closed (so that a `’` can tell a closing quote from
    /// an apostrophe).
    open_singles: usize,
    /// Double quotes opened and not yet closed.
    open_doubles: usize,
    /// The last character written in the paragraph, across inline boundaries.
    prev: Option<char>,
}

/// Applies the typography of each text's language to every chapter; `book_lang` is the
/// book's language.
pub fn apply(chapters: &mut [Chapter], book_lang: &str) {
    for chapter in chapters {
        let lang = lang::language(chapter.lang.as_deref().unwrap_or(book_lang));
        blocks(&mut chapter.blocks, lang);
        for note in &mut chapter.footnotes {
            blocks(&mut note.blocks, lang);
        }
        // The title (contents, nav, running heads) is its heading's text, now with the
        // language's marks (a front-matter title is set as written).
        if chapter.title.is_some() {
            chapter.title = chapter.written_title();
        }
    }
}

fn blocks(list: &mut [Block], lang: &'static Language) {
    for block in list {
        match &mut block.kind {
            BlockKind::Paragraph(inl) => paragraph(inl, lang),
            BlockKind::Heading(h) => paragraph(&mut h.content, lang),
            BlockKind::BlockQuote(inner) => blocks(inner, lang),
            BlockKind::List(l) => l.items.iter_mut().for_each(|i| blocks(&mut i.blocks, lang)),
            BlockKind::Table(t) => std::iter::once(&mut t.caption)
                .chain(&mut t.head)
                .chain(t.rows.iter_mut().flatten())
                .for_each(|cell| paragraph(cell, lang)),
            BlockKind::CodeBlock { .. } | BlockKind::SceneBreak => {}
        }
    }
}

/// One run of inlines that reads as one piece of text (a paragraph, a heading, a cell).
pub fn paragraph(inlines: &mut [Inline], lang: &'static Language) {
    let mut state = State {
        open_singles: 0,
        open_doubles: 0,
        prev: None,
    };
    walk(inlines, lang, &mut state);
}

fn walk(inlines: &mut [Inline], lang: &'static Language, state: &mut State) {
    for inline in inlines {
        match &mut inline.kind {
            InlineKind::Text(t) => *t = text(t, lang, state),
            InlineKind::Emphasis(c)
            | InlineKind::Strong(c)
            | InlineKind::Strikethrough(c)
            | InlineKind::Superscript(c)
            | InlineKind::Subscript(c) => walk(c, lang, state),
            InlineKind::Link { content, .. } => walk(content, lang, state),
            InlineKind::Lang {
                lang: tag, content, ..
            } => walk(content, tag.as_deref().map_or(lang, lang::language), state),
            InlineKind::Code(t) => state.prev = t.chars().last().or(state.prev),
            InlineKind::SoftBreak | InlineKind::HardBreak => state.prev = Some(' '),
            InlineKind::CrossRef(r) => state.prev = r.text.chars().last().or(state.prev),
            InlineKind::Image { .. } | InlineKind::FootnoteRef(_) | InlineKind::Html(_) => {}
        }
    }
}

/// One text inline in `lang`.
fn text(t: &str, lang: &Language, state: &mut State) -> String {
    let quoted = quotes(t, lang, state);
    let spaced = spacing(&quoted, lang, state.prev);
    let grouped = digit_groups(&spaced, lang.digit_group_space);
    state.prev = grouped.chars().last().or(state.prev);
    grouped
}

/// English curly quotes (from smart punctuation or typed) → the language's marks.
fn quotes(t: &str, lang: &Language, state: &mut State) -> String {
    let chars: Vec<char> = t.chars().collect();
    let q = lang.quotes;
    let mut out = String::with_capacity(t.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i == 0 {
            state.prev
        } else {
            Some(chars[i - 1])
        };
        let next = chars.get(i + 1).copied();
        // Smart punctuation tells opening from closing by the spaces around a quote; Chinese
        // and Japanese write none, and Korean puts its particles right after a closing quote
        // (`"…흐른다"고`), so there a quote closes the one open, or else opens.
        let unspaced = prev.is_some_and(is_unspaced_letter) || next.is_some_and(is_unspaced_letter);
        let mapped = match c {
            '“' | '”' if unspaced => match state.open_doubles {
                0 => {
                    state.open_doubles += 1;
                    q.open
                }
                _ => {
                    state.open_doubles -= 1;
                    q.close
                }
            },
            '‘' | '’' if unspaced => match state.open_singles {
                0 => {
                    state.open_singles += 1;
                    q.inner_open
                }
                _ => {
                    state.open_singles -= 1;
                    q.inner_close
                }
            },
            '“' => {
                state.open_doubles += 1;
                q.open
            }
            '”' => {
                state.open_doubles = state.open_doubles.saturating_sub(1);
                q.close
            }
            '‘' => {
                state.open_singles += 1;
                q.inner_open
            }
            // Between two letters it is an apostrophe ("l’homme", "don’t"); otherwise it
            // closes an open single quote, if there is one.
            '’' if state.open_singles > 0
                && !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric)) =>
            {
                state.open_singles -= 1;
                q.inner_close
            }
            other => other,
        };
        out.push(mapped);
    }
    out
}

/// Whether a quote next to `c` may have no space on either side: Han, kana, CJK punctuation
/// and full-width forms (Chinese and Japanese write no spaces) and Hangul (Korean particles
/// follow a closing quote).
fn is_unspaced_letter(c: char) -> bool {
    lang::is_hangul(c) || lang::is_cjk(c)
}

/// Whether `c` is a space that a spacing rule may replace.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{A0}' | '\u{202F}' | '\t')
}

/// The language's no-break spaces before punctuation and inside the primary quotation marks.
/// A space already written is replaced; a missing one is added, except where the mark is not
/// punctuation of the sentence (`http://`, `10:30`, `?!`).
fn spacing(t: &str, lang: &Language, before: Option<char>) -> String {
    let inside = lang.space_inside_quotes;
    if lang.space_before.is_empty() && inside.is_none() {
        return t.to_string();
    }
    let chars: Vec<char> = t.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let rule = lang
            .space_before
            .iter()
            .find(|(p, _)| *p == c)
            .map(|(_, s)| *s);
        let closing = inside.filter(|_| c == lang.quotes.close);
        if let Some(space) = rule.or(closing) {
            let prev = out.last().copied().or(if i == 0 { before } else { None });
            let ends_clause = next.is_none_or(|n| is_space(n) || !n.is_alphanumeric() && n != '/');
            match prev {
                Some(p) if is_space(p) => {
                    out.pop();
                    out.push(space);
                }
                // "?!" takes one space, before the first mark.
                Some(p)
                    if closing.is_some()
                        || ends_clause && !lang.space_before.iter().any(|(q, _)| *q == p) =>
                {
                    out.push(space)
                }
                _ => {}
            }
            out.push(c);
            continue;
        }
        if inside.is_some_and(|_| c == lang.quotes.open) {
            out.push(c);
            if let Some(space) = inside {
                match next {
                    Some(n) if is_space(n) => {}
                    _ => out.push(space),
                }
            }
            continue;
        }
        // The space written after an opening mark gives way to the rule's.
        if is_space(c) && inside.is_some() && i > 0 && chars[i - 1] == lang.quotes.open {
            if let Some(space) = inside {
                out.push(space);
            }
            continue;
        }
        out.push(c);
    }
    out.into_iter().collect()
}

/// A space between digit groups ("10 000", "1 000 000") becomes `space`, so that a number is
/// never split across lines. Only a group of exactly three digits after a group of one to three
/// (or after another such group) counts; decimal and thousands marks are left as written.
fn digit_groups(t: &str, space: char) -> String {
    let chars: Vec<char> = t.chars().collect();
    let mut out = String::with_capacity(t.len());
    let mut run = 0usize; // digits in the current group
    let mut grouped = false; // the current group follows a group space
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_digit() {
            run += 1;
            out.push(c);
            continue;
        }
        let three_after = chars.len() >= i + 4
            && chars[i + 1..i + 4].iter().all(char::is_ascii_digit)
            && chars.get(i + 4).is_none_or(|n| !n.is_ascii_digit());
        if c == ' ' && run > 0 && (run <= 3 || grouped && run == 3) && three_after {
            out.push(space);
            grouped = true;
        } else {
            out.push(c);
            grouped = false;
        }
        run = 0;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

    fn text_in(tag: &str, s: &str) -> String {
        let mut inl = vec![Inline {
            kind: InlineKind::Text(s.to_string()),
            span: Span::default(),
        }];
        paragraph(&mut inl, lang::language(tag));
        match &inl[0].kind {
            InlineKind::Text(t) => t.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn english_is_left_as_smart_punctuation_made_it() {
        let s = "“Bonjour,” she said, ‘don’t’ and the ’90s: yes! 10 000 or 1,000.5";
        assert_eq!(
            text_in("en", s),
            "“Bonjour,” she said, ‘don’t’ and the ’90s: yes! 10\u{A0}000 or 1,000.5"
        );
    }

    #[test]
    fn chinese_and_japanese_quotes_pair_up_without_spaces() {
        // Smart punctuation, finding no spaces, gives every quote the same direction.
        assert_eq!(
            text_in("ja", "祖母は“川は‘町’の記憶“と言った。“はい“"),
            "祖母は「川は『町』の記憶」と言った。「はい」"
        );
        assert_eq!(
            text_in("ja", "祖母は”川は’町’の記憶”と言った。"),
            "祖母は「川は『町』の記憶」と言った。"
        );
        assert_eq!(text_in("zh", "祖母常说”这条河”。"), "祖母常说“这条河”。");
        assert_eq!(text_in("zh-Hant", "他說“好“。"), "他說「好」。");
        // Latin text in the same language keeps smart punctuation's choice.
        assert_eq!(text_in("ja", "“Tokyo” is"), "「Tokyo」 is");
    }

    #[test]
    fn korean_closing_quotes_before_a_particle_close() {
        // Smart punctuation sees a letter on both sides of `"고` and opens a quote there.
        assert_eq!(
            text_in(
                "ko",
                "늘 “이 강은 흐른다“고 말했다. “배를 ‘띄우지’ 마라“라고"
            ),
            "늘 “이 강은 흐른다”고 말했다. “배를 ‘띄우지’ 마라”라고"
        );
    }

    #[test]
    fn french_guillemets_and_spaces() {
        assert_eq!(
            text_in("fr", "“Bonjour” : il a dit oui! Vraiment ? Oui; l’homme?!"),
            "«\u{202F}Bonjour\u{202F}»\u{A0}: il a dit oui\u{202F}! Vraiment\u{202F}? Oui\u{202F}; l’homme\u{202F}?!"
        );
        // Typed guillemets with ordinary spaces get the narrow no-break ones.
        assert_eq!(text_in("fr", "« texte »"), "«\u{202F}texte\u{202F}»");
        // Second level inside the first.
        assert_eq!(
            text_in("fr", "“il dit ‘non’ ”"),
            "«\u{202F}il dit “non”\u{202F}»"
        );
        // Not punctuation of a sentence.
        assert_eq!(
            text_in("fr", "https://example.org à 10:30"),
            "https://example.org à 10:30"
        );
        assert_eq!(
            text_in("fr", "10 000 habitants, 3,5 km"),
            "10\u{202F}000 habitants, 3,5 km"
        );
    }

    #[test]
    fn german_and_others_take_their_own_marks() {
        assert_eq!(text_in("de", "“Haus ‘Garten’”"), "„Haus ‚Garten‘“");
        assert_eq!(text_in("de-CH", "“Haus”"), "«Haus»");
        assert_eq!(text_in("es", "“casa ‘mía’”"), "«casa “mía”»");
        assert_eq!(text_in("pl", "“dom”"), "„dom”");
        assert_eq!(text_in("sv", "“hus”"), "”hus”");
        assert_eq!(text_in("ja", "“本”"), "「本」");
        assert_eq!(text_in("ru", "“дом ‘сад’”"), "«дом „сад“»");
    }

    #[test]
    fn numbers_only_join_digit_groups() {
        assert_eq!(
            digit_groups("1 000 000 people", '\u{A0}'),
            "1\u{A0}000\u{A0}000 people"
        );
        assert_eq!(
            digit_groups("in 1975 300 fled", '\u{A0}'),
            "in 1975 300 fled"
        );
        assert_eq!(digit_groups("10 0000", '\u{A0}'), "10 0000");
        assert_eq!(digit_groups("page 3 and", '\u{A0}'), "page 3 and");
    }

    #[test]
    fn a_span_uses_its_own_language() {
        let mut inl = vec![
            Inline {
                kind: InlineKind::Text("He said “yes” and ".into()),
                span: Span::default(),
            },
            Inline {
                kind: InlineKind::Lang {
                    lang: Some("fr".into()),
                    dir: None,
                    content: vec![Inline {
                        kind: InlineKind::Text("“oui!”".into()),
                        span: Span::default(),
                    }],
                },
                span: Span::default(),
            },
        ];
        paragraph(&mut inl, lang::language("en"));
        assert_eq!(inl[0].kind, InlineKind::Text("He said “yes” and ".into()));
        let InlineKind::Lang { content, .. } = &inl[1].kind else {
            panic!()
        };
        assert_eq!(
            content[0].kind,
            InlineKind::Text("«\u{202F}oui\u{202F}!\u{202F}»".into())
        );
    }
}
