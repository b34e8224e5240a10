//! Code blocks that are wider than the measure: the block's size steps down once when that
//! makes every line fit; otherwise a long line wraps, as technical books set it, at a space or
//! after punctuation where it can (else at the last column), and each continuation is indented
//! by [`CONTINUATION_INDENT`] columns with the mark [`CONTINUATION_MARK`] in the indent, so a
//! reader never takes it for a line of its own. Pure functions over characters and columns;
//! `blocks.rs` shapes and places the pieces.

/// The one smaller size a code block may take, relative to its normal size: 0.9 (at 11 pt
/// body, code at 8.8 pt goes to 7.9 pt), about 11 % more columns, still legible; below that a
/// block wraps instead.
pub const STEP_DOWN: f32 = 0.9;

/// Columns a continuation piece is indented by: room for the mark and a space.
pub const CONTINUATION_INDENT: usize = 2;

/// Set in the indent of a continuation piece (U+21AA RIGHTWARDS ARROW WITH HOOK, which DejaVu
/// Sans Mono has), as an artifact: it is not part of the code.
pub const CONTINUATION_MARK: &str = "\u{21AA}";

/// Characters after which a code line may wrap when it has no space to wrap at: separators of
/// paths, calls, lists and expressions (Chicago allows breaks after them in addresses too).
const BREAK_AFTER: &[char] = &[
    '/', '\\', '.', ',', ';', ':', '-', '_', '=', '&', '|', ')', ']', '}', '>', '+', '*', '?',
];

/// One printed line of a code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    /// A continuation of the source line the piece before it began: set indented, with the
    /// mark in the indent.
    pub continued: bool,
}

/// Whether the block's longest line (in characters, tabs expanded) fits `columns` at the
/// normal size but needs the step down: `Some(true)` to step down, `Some(false)` when it fits
/// as it is, `None` when even the smaller size does not make it fit (it wraps at the normal
/// size).
pub fn step_down(longest: usize, columns: usize, columns_smaller: usize) -> Option<bool> {
    if longest <= columns {
        Some(false)
    } else if longest <= columns_smaller {
        Some(true)
    } else {
        None
    }
}

/// Splits `line` into printed pieces of at most `columns` characters (continuations: `columns`
/// less [`CONTINUATION_INDENT`]). A piece ends after the last space in its second half, else
/// after the last [`BREAK_AFTER`] character there, else at its last column.
pub fn wrap(line: &str, columns: usize) -> Vec<Piece> {
    let chars: Vec<char> = line.chars().collect();
    let columns = columns.max(CONTINUATION_INDENT + 2);
    if chars.len() <= columns {
        return vec![Piece {
            text: line.to_string(),
            continued: false,
        }];
    }
    let mut out = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let continued = start > 0;
        let room = if continued {
            columns - CONTINUATION_INDENT
        } else {
            columns
        };
        let mut end = (start + room).min(chars.len());
        if end < chars.len() {
            let half = start + room / 2;
            let window = half..end;
            let at_space = window.clone().rev().find(|&i| chars[i] == ' ');
            let at_mark = window.rev().find(|&i| BREAK_AFTER.contains(&chars[i]));
            if let Some(i) = at_space.or(at_mark) {
                end = i + 1;
            }
        }
        out.push(Piece {
            text: chars[start..end].iter().collect(),
            continued,
        });
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(pieces: &[Piece]) -> Vec<(&str, bool)> {
        pieces
            .iter()
            .map(|p| (p.text.as_str(), p.continued))
            .collect()
    }

    #[test]
    fn a_short_line_is_one_piece() {
        assert_eq!(texts(&wrap("let x = 1;", 20)), [("let x = 1;", false)]);
    }

    #[test]
    fn wraps_at_a_space_then_indents_the_continuation() {
        // 12 columns; continuations get 10.
        assert_eq!(
            texts(&wrap("abc def ghi jkl mno pqr", 12)),
            [("abc def ghi ", false), ("jkl mno ", true), ("pqr", true)]
        );
    }

    #[test]
    fn without_a_space_wraps_after_punctuation_else_at_the_last_column() {
        assert_eq!(
            texts(&wrap("https://example.org/a/very/long/path", 16)),
            [
                ("https://example.", false),
                ("org/a/very/", true),
                ("long/path", true)
            ]
        );
        assert_eq!(
            texts(&wrap("aaaaaaaaaaaaaaaaaaaa", 8)),
            [("aaaaaaaa", false), ("aaaaaa", true), ("aaaaaa", true)]
        );
    }

    #[test]
    fn every_piece_fits_and_nothing_is_lost() {
        let line = "fn main() { println!(\"{}\", some_function_with_a_long_name(argument_one, argument_two)); }";
        for columns in [4, 7, 13, 30, 61] {
            let pieces = wrap(line, columns);
            let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
            assert_eq!(joined, line);
            for p in &pieces {
                let room = if p.continued {
                    columns.max(4) - CONTINUATION_INDENT
                } else {
                    columns.max(4)
                };
                assert!(p.text.chars().count() <= room, "{columns}: {p:?}");
                assert!(!p.text.is_empty());
            }
        }
    }

    #[test]
    fn steps_down_only_when_that_makes_it_fit() {
        assert_eq!(step_down(50, 60, 66), Some(false));
        assert_eq!(step_down(64, 60, 66), Some(true));
        assert_eq!(step_down(70, 60, 66), None);
    }
}
