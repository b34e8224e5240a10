//! Line-break opportunities inside a run of text that writes no spaces between its words:
//! Khmer, Thai, Lao and Myanmar (dictionary segmentation) and Chinese and Japanese (between
//! characters, with kinsoku: no closing punctuation at a line's start, no opening
//! punctuation at its end), by the Unicode line-breaking algorithm (UAX #14) as ICU4X's
//! `icu_segmenter` implements it. The only module that knows icu_segmenter.
//!
//! Words of spaced scripts never reach the segmenter ([`needs_segmenter`] is a cheap scan), so
//! an English book pays nothing for it.
//!
//! Korean separates its words with spaces. Korean print knows two ways of ending a line: at a
//! space only (word units, CSS `word-break: keep-all`, which the EPUB's stylesheet sets for
//! `:lang(ko)`, since a reading system cannot weigh the two), and between any two syllables
//! (syllable units, the habit of justified books and newspapers, which keeps the spaces even).
//! The print edition weighs them: it breaks at spaces where it can, and between two Hangul
//! syllables at a cost ([`syllable_break_points`], priced by the paragraph builder) where a
//! line would otherwise be set loose. UAX #14 by itself would break between any two Hangul
//! syllables for free (classes H2/H3 behave like ideographs), and icu_segmenter's `KeepAll`
//! option still breaks around brackets inside a word (`漢江(한강)은` → `漢江|(한강)|은`), so a
//! word holding Hangul gets no break from the segmenter at all: it breaks at its spaces,
//! between its syllables, and at hard hyphens and in URLs as every word does
//! (`hyphenate.rs`). Hangul alone is not an unspaced script, so a plain Hangul word never
//! reaches the segmenter.

use std::sync::LazyLock;

use icu_segmenter::options::LineBreakOptions;
use icu_segmenter::{
    GraphemeClusterSegmenter, GraphemeClusterSegmenterBorrowed, LineSegmenter,
    LineSegmenterBorrowed,
};

/// One segmenter for the process: its dictionaries are compiled in, so building it costs
/// nothing but the lookup tables' setup.
static SEGMENTER: LazyLock<LineSegmenterBorrowed<'static>> =
    LazyLock::new(|| LineSegmenter::new_dictionary(LineBreakOptions::default()));

/// The extended grapheme cluster segmenter (UAX #29), for the clusters fonts are chosen by.
static GRAPHEMES: LazyLock<GraphemeClusterSegmenterBorrowed<'static>> =
    LazyLock::new(GraphemeClusterSegmenter::new);

/// Byte offsets of the extended grapheme cluster boundaries (UAX #29) in `text`, 0 and
/// `text.len()` included: a base character with its marks, an emoji with its modifiers and
/// zero-width-joined parts, a pair of regional indicators (a flag), CR LF.
pub fn grapheme_boundaries(text: &str) -> Vec<usize> {
    GRAPHEMES.segment_str(text).collect()
}

/// Whether `c` belongs to a script whose words are not separated by spaces.
pub fn is_unspaced(c: char) -> bool {
    crate::lang::is_cjk(c)
        || matches!(c as u32,
            0x0E00..=0x0EFF          // Thai, Lao
            | 0x1000..=0x109F        // Myanmar
            | 0x1780..=0x17FF        // Khmer
            | 0x19E0..=0x19FF        // Khmer symbols
            | 0xA9E0..=0xA9FF        // Myanmar extended-B
            | 0xAA60..=0xAA7F        // Myanmar extended-A
        )
}

/// Whether a word (text between spaces) holds any character of an unspaced script.
pub fn needs_segmenter(word: &str) -> bool {
    // Every unspaced script is outside ASCII and Latin-1.
    !word.is_ascii() && word.chars().any(is_unspaced)
}

/// Byte offsets strictly inside `word` where UAX #14 with dictionary segmentation allows a
/// line break; none in a word holding Hangul (Korean keeps its words whole, see the module's
/// documentation).
pub fn break_points(word: &str) -> Vec<usize> {
    if word.chars().any(crate::lang::is_hangul) {
        return Vec::new();
    }
    SEGMENTER
        .segment_str(word)
        .filter(|&p| p > 0 && p < word.len())
        .collect()
}

/// Whether `c` is a precomposed Hangul syllable (U+AC00–U+D7A3): the unit a Korean line may
/// end after.
fn is_hangul_syllable(c: char) -> bool {
    matches!(c as u32, 0xAC00..=0xD7A3)
}

/// Byte offsets strictly inside `word` between two Hangul syllables, where a Korean line may
/// end without a hyphen (syllable units, see the module's documentation). Nothing is broken
/// off that is not a syllable: no break next to a bracket, a punctuation mark, a Hanja or a
/// Latin letter.
pub fn syllable_break_points(word: &str) -> Vec<usize> {
    let mut points = Vec::new();
    let mut previous: Option<char> = None;
    for (i, c) in word.char_indices() {
        if previous.is_some_and(is_hangul_syllable) && is_hangul_syllable(c) {
            points.push(i);
        }
        previous = Some(c);
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Khmer: "Cambodia's history is long" as four words, without spaces.
    const KHMER: &str = "ប្រវត្តិសាស្ត្រកម្ពុជាមានរយៈពេលយូរ";

    #[test]
    fn khmer_breaks_between_words() {
        let points = break_points(KHMER);
        assert!(points.len() >= 3, "{points:?}");
        let pieces: Vec<&str> = std::iter::once(0)
            .chain(points.iter().copied())
            .zip(points.iter().copied().chain(std::iter::once(KHMER.len())))
            .map(|(a, b)| &KHMER[a..b])
            .collect();
        assert!(pieces.contains(&"កម្ពុជា"), "{pieces:?}");
        // Never inside a cluster: a piece never starts with a combining sign or a coeng.
        for p in &pieces {
            let first = p.chars().next().unwrap_or(' ');
            assert!(!matches!(first as u32, 0x17B6..=0x17D3), "{pieces:?}");
        }
    }

    #[test]
    fn thai_and_cjk_with_kinsoku() {
        assert!(!break_points("ภาษาไทยไม่มีช่องว่าง").is_empty());
        let ja = "日本語の「文章」です。";
        let points = break_points(ja);
        assert!(!points.is_empty());
        for p in points {
            let before = ja[..p].chars().last().unwrap_or(' ');
            let after = ja[p..].chars().next().unwrap_or(' ');
            assert!(before != '「', "an opening bracket ends a line");
            assert!(
                !matches!(after, '」' | '。'),
                "closing punctuation starts a line"
            );
        }
    }

    #[test]
    fn korean_words_keep_together() {
        // Hangul is spaced: a plain Korean word never reaches the segmenter.
        assert!(!needs_segmenter("강물은"));
        // A word with Hanja and Hangul does, and keeps together (keep-all) where UAX #14
        // would break between its characters and around its brackets.
        assert!(needs_segmenter("漢江(한강)은"));
        assert_eq!(break_points("漢江(한강)은"), Vec::<usize>::new());
        assert_eq!(break_points("漢字는"), Vec::<usize>::new());
        // Without Hangul, the same Han characters break as Chinese does.
        assert_eq!(break_points("漢字"), vec![3]);
    }

    #[test]
    fn korean_syllables_are_break_points_only_between_syllables() {
        // 강물은: three syllables, two places between them.
        assert_eq!(syllable_break_points("강물은"), vec![3, 6]);
        // Not before the closing quotation mark or the comma, not after the opening one, not
        // between Hanja and Hangul, nor inside the bracket's Hanja.
        assert_eq!(syllable_break_points("“강물”,"), vec![6]);
        assert_eq!(syllable_break_points("강(江)은"), Vec::<usize>::new());
        assert_eq!(syllable_break_points("漢字는"), Vec::<usize>::new());
        assert_eq!(syllable_break_points("river"), Vec::<usize>::new());
        assert_eq!(syllable_break_points("강"), Vec::<usize>::new());
    }

    #[test]
    fn spaced_scripts_never_reach_the_segmenter() {
        assert!(!needs_segmenter("hyphenation"));
        assert!(!needs_segmenter("naïveté"));
        assert!(!needs_segmenter("Лондон"));
        assert!(needs_segmenter("“កម្ពុជា”"));
        assert!(needs_segmenter("東京"));
        assert!(break_points("").is_empty());
    }
}
