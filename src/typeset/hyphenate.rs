//! Where words may break: Liang-pattern hyphenation (via hypher, known only here) in every
//! language hypher has patterns for, the book's own exceptions, breaks after hard hyphens and
//! dashes, and hyphen-less breaks inside URLs.

use std::collections::HashMap;
use std::sync::Arc;

use crate::lang;

/// Fewest letters before a hyphen for a language the table does not list (English's, which
/// docs/typesetting.md asks for).
const DEFAULT_LEFT_MIN: usize = 2;
/// Fewest letters after a hyphen for a language the table does not list (English's).
const DEFAULT_RIGHT_MIN: usize = 3;

/// Characters after which a word already breaks with no hyphen added.
const HARD_HYPHENS: [char; 4] = ['-', '\u{2010}', '\u{2013}', '\u{2014}'];

/// Characters a URL may break before (see [`url_break_points`]); no break between two of them.
const URL_BREAK_BEFORE: [char; 8] = ['/', '.', '-', '_', '?', '#', '%', '~'];

/// Apostrophes that may sit inside a word ("isn’t"): the parts around them are hyphenated
/// separately.
const APOSTROPHES: [char; 2] = ['\'', '\u{2019}'];

/// The book's hyphenation exceptions (`hyphenation: { exceptions: [...] }`): each word,
/// lower-cased and without its hyphens, with the letter counts before each of its hyphens. A
/// word written without hyphens has no points and is never broken.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exceptions {
    words: HashMap<String, Vec<usize>>,
}

impl Exceptions {
    /// From the words as written in `book.yaml` (`ta-ble-cloth`, `Sihanouk`).
    pub fn new(written: &[String]) -> Exceptions {
        let mut words = HashMap::new();
        for w in written {
            let mut key = String::new();
            let mut points = Vec::new();
            let mut letters = 0usize;
            for c in w.trim().chars() {
                if c == '-' || c == '\u{2010}' {
                    if letters > 0 {
                        points.push(letters);
                    }
                } else {
                    key.extend(c.to_lowercase());
                    letters += 1;
                }
            }
            points.retain(|&p| p < letters);
            points.dedup();
            if !key.is_empty() {
                words.insert(key, points);
            }
        }
        Exceptions { words }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The letter counts before each break of `word`, if it is an exception.
    fn get(&self, word: &str) -> Option<&[usize]> {
        if self.words.is_empty() {
            return None;
        }
        let key: String = word.chars().flat_map(char::to_lowercase).collect();
        self.words.get(&key).map(Vec::as_slice)
    }
}

/// Whether hypher has patterns for the language of a BCP 47 tag.
pub fn has_patterns(tag: &str) -> bool {
    pattern_set(tag).is_some()
}

fn pattern_set(tag: &str) -> Option<hypher::Lang> {
    let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
    let bytes: [u8; 2] = primary.as_bytes().try_into().ok()?;
    hypher::Lang::from_iso(bytes)
}

/// Liang hyphenation for one language.
#[derive(Debug, Clone)]
pub struct Hyphenator {
    /// The pattern set.
    lang: hypher::Lang,
    /// Fewest letters before a break.
    left_min: usize,
    /// Fewest letters after a break.
    right_min: usize,
    /// The book's own hyphenations, which win over the patterns.
    exceptions: Arc<Exceptions>,
}

impl Hyphenator {
    /// From a BCP 47 tag ("en", "en-GB", "de-CH"), with the language's minima from the
    /// language table; None when hypher has no patterns for it (then no hyphenation).
    pub fn new(tag: &str) -> Option<Self> {
        let lang = pattern_set(tag)?;
        let min = lang::lookup(tag).and_then(|l| l.hyphen_min);
        Some(Hyphenator {
            lang,
            left_min: min.map_or(DEFAULT_LEFT_MIN, |m| m.left),
            right_min: min.map_or(DEFAULT_RIGHT_MIN, |m| m.right),
            exceptions: Arc::default(),
        })
    }

    /// The same hyphenator with the book's exceptions.
    pub fn with_exceptions(self, exceptions: Arc<Exceptions>) -> Self {
        Hyphenator { exceptions, ..self }
    }

    /// The same hyphenator with other minima (letters before / after a break; at least 1).
    pub fn with_minima(self, left_min: usize, right_min: usize) -> Self {
        Hyphenator {
            left_min: left_min.max(1),
            right_min: right_min.max(1),
            ..self
        }
    }

    /// Byte offsets inside `word` where a break (with an added hyphen) is allowed.
    ///
    /// Only the letter core is hyphenated: leading and trailing punctuation (quotes, commas,
    /// parentheses) is skipped and offsets are into the original string. A curly or straight
    /// apostrophe splits the core into parts hyphenated on their own ("isn’t" never breaks at
    /// the apostrophe). Words holding a hard hyphen or dash, a digit, any other non-letter, or
    /// written all in capitals (acronyms) get no points. Minima count letters of the core.
    pub fn points(&self, word: &str) -> Vec<usize> {
        if word
            .chars()
            .any(|c| c.is_numeric() || HARD_HYPHENS.contains(&c))
        {
            return Vec::new();
        }
        let Some((core_start, core_end)) = letter_core(word) else {
            return Vec::new();
        };
        let core = &word[core_start..core_end];
        if core
            .chars()
            .any(|c| !(c.is_alphabetic() || APOSTROPHES.contains(&c)))
        {
            return Vec::new();
        }
        if let Some(breaks) = self.exceptions.get(core) {
            // Letter counts → byte offsets into `word`.
            let offsets: Vec<usize> = core.char_indices().map(|(i, _)| core_start + i).collect();
            return breaks
                .iter()
                .filter_map(|&n| offsets.get(n).copied())
                .collect();
        }
        let has_lower = core.chars().any(char::is_lowercase);
        let has_upper = core.chars().any(char::is_uppercase);
        if has_upper && !has_lower {
            return Vec::new();
        }
        let total_letters = core.chars().filter(|c| c.is_alphabetic()).count();
        if total_letters < self.left_min + self.right_min {
            return Vec::new();
        }

        let mut points = Vec::new();
        let mut letters_before = 0usize;
        let mut part_start = 0usize;
        let parts = core
            .char_indices()
            .filter(|(_, c)| APOSTROPHES.contains(c))
            .map(|(i, c)| (i, i + c.len_utf8()))
            .chain(std::iter::once((core.len(), core.len())));
        for (part_end, next_start) in parts {
            let part = &core[part_start..part_end];
            let part_letters = part.chars().count();
            if !part.is_empty() {
                let mut offset = 0usize;
                let mut letters = 0usize;
                let syllables = hypher::hyphenate_bounded(part, self.lang, 1, 1);
                let count = syllables.clone().count();
                for (k, syllable) in syllables.enumerate() {
                    offset += syllable.len();
                    letters += syllable.chars().count();
                    if k + 1 == count {
                        break;
                    }
                    let before = letters_before + letters;
                    let after = total_letters - before;
                    if before >= self.left_min && after >= self.right_min {
                        points.push(core_start + part_start + offset);
                    }
                }
            }
            letters_before += part_letters;
            part_start = next_start;
        }
        points
    }
}

/// Byte range of `word` between its leading and trailing non-letters; None if no letter.
fn letter_core(word: &str) -> Option<(usize, usize)> {
    let start = word.char_indices().find(|(_, c)| c.is_alphabetic())?.0;
    let (last, c) = word.char_indices().rev().find(|(_, c)| c.is_alphabetic())?;
    Some((start, last + c.len_utf8()))
}

/// Break points after hard hyphens and en/em dashes inside a word, with no hyphen added:
/// byte offsets just after the dash, only where a letter follows and a letter or digit
/// precedes somewhere before it.
pub fn hard_break_points(word: &str) -> Vec<usize> {
    let mut points = Vec::new();
    let mut seen_alnum = false;
    let mut chars = word.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if HARD_HYPHENS.contains(&c) {
            let letter_follows = matches!(chars.peek(), Some((_, n)) if n.is_alphabetic());
            if seen_alnum && letter_follows {
                points.push(i + c.len_utf8());
            }
        } else if c.is_alphanumeric() {
            seen_alnum = true;
        }
    }
    points
}

/// Break points inside a URL or other long token (byte offsets), with no hyphen added, in the
/// Chicago Manual's style, so that a broken line never ends with something that could be read
/// as a hyphen or a sentence's full stop: after `//`, `:` before it, `=` and `&`; before a
/// single `/`, `.`, `-`, `_`, `?`, `#`, `%` and `~`. Each piece keeps at least two characters.
pub fn url_break_points(token: &str) -> Vec<usize> {
    let chars: Vec<(usize, char)> = token.char_indices().collect();
    let mut points = Vec::new();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let prev = k.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(k + 1).map(|&(_, n)| n);
        let end = i + c.len_utf8();
        match c {
            '/' if prev == Some('/') => points.push(end),
            '/' if next != Some('/') => points.push(i),
            '=' | '&' => points.push(end),
            '.' | '-' | '_' | '?' | '#' | '%' | '~'
                if !URL_BREAK_BEFORE.contains(&prev.unwrap_or(' ')) =>
            {
                points.push(i)
            }
            _ => {}
        }
    }
    // At least two characters on each side of a break.
    let char_at = |byte: usize| {
        chars
            .iter()
            .position(|&(i, _)| i == byte)
            .unwrap_or(chars.len())
    };
    points.retain(|&p| {
        let at = char_at(p);
        at >= 2 && chars.len() - at >= 2
    });
    points.dedup();
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_hypher_ships_with_the_table_minima() {
        // French and German patterns are compiled in (hypher's `full`).
        let fr = Hyphenator::new("fr").expect("French patterns");
        assert!(!fr.points("anticonstitutionnellement").is_empty());
        let de = Hyphenator::new("de").expect("German patterns");
        let word = "Donaudampfschifffahrt";
        assert!(
            marked(word, &de.points(word)).matches('-').count() >= 3,
            "{}",
            marked(word, &de.points(word))
        );
        // German allows two letters after a break, English three.
        assert_eq!((de.left_min, de.right_min), (2, 2));
        assert_eq!((english().left_min, english().right_min), (2, 3));
        assert!(Hyphenator::new("es").is_some() && Hyphenator::new("ru").is_some());
        assert!(has_patterns("de-CH") && !has_patterns("km") && !has_patterns("ja"));
    }

    #[test]
    fn exceptions_win_over_the_patterns() {
        let words = vec!["ta-ble-cloth".to_string(), "Sihanouk".to_string()];
        let h = english().with_exceptions(Arc::new(Exceptions::new(&words)));
        assert_eq!(
            marked("tablecloth", &h.points("tablecloth")),
            "ta-ble-cloth"
        );
        assert_eq!(
            marked("Tablecloth,", &h.points("Tablecloth,")),
            "Ta-ble-cloth,"
        );
        assert!(h.points("Sihanouk").is_empty());
        // Without the exception the patterns do break it.
        assert!(!english().points("Sihanouk").is_empty());
    }

    fn english() -> Hyphenator {
        Hyphenator::new("en").expect("English patterns are compiled in")
    }

    /// `word` with a '-' at every point, to read failures easily.
    fn marked(word: &str, points: &[usize]) -> String {
        let mut out = String::new();
        let mut last = 0;
        for &p in points {
            out.push_str(&word[last..p]);
            out.push('-');
            last = p;
        }
        out.push_str(&word[last..]);
        out
    }

    #[test]
    fn languages_from_bcp47_tags() {
        assert!(Hyphenator::new("en").is_some());
        assert!(Hyphenator::new("en-GB").is_some());
        assert!(Hyphenator::new("EN_us").is_some());
        assert!(Hyphenator::new("km").is_none(), "no Khmer patterns");
        assert!(Hyphenator::new("").is_none());
        assert!(Hyphenator::new("e").is_none());
        assert!(Hyphenator::new("eng").is_none());
    }

    #[test]
    fn hyphenation_gets_the_hypher_points() {
        let h = english();
        assert_eq!(h.points("hyphenation"), vec![2, 6]);
        assert_eq!(
            marked("hyphenation", &h.points("hyphenation")),
            "hy-phen-ation"
        );
        assert_eq!(marked("extensive", &h.points("extensive")), "ex-ten-sive");
        // Capitalised words are hyphenated; only all-caps ones are not.
        assert_eq!(h.points("Hyphenation"), vec![2, 6]);
    }

    #[test]
    fn punctuation_around_the_word_is_skipped() {
        let h = english();
        let word = "“Cambodia,”";
        let points = h.points(word);
        // The core starts after the 3-byte opening quote.
        assert_eq!(marked(word, &points), "“Cam-bo-dia,”");
        for p in &points {
            assert!(word.is_char_boundary(*p));
        }
        let plain = h.points("(extensive)");
        assert_eq!(marked("(extensive)", &plain), "(ex-ten-sive)");
    }

    #[test]
    fn apostrophes_split_the_core() {
        let h = english();
        assert!(h.points("don’t").is_empty());
        assert!(h.points("isn’t").is_empty());
        let word = "hyphenation’s";
        assert_eq!(marked(word, &h.points(word)), "hy-phen-ation’s");
        let word = "hyphenation's";
        assert_eq!(marked(word, &h.points(word)), "hy-phen-ation's");
    }

    #[test]
    fn words_that_are_never_hyphenated() {
        let h = english();
        assert!(h.points("Khmer-Rouge").is_empty(), "hard hyphen");
        assert!(h.points("self—evidently").is_empty(), "em dash");
        assert!(h.points("UNESCO").is_empty(), "acronym");
        assert!(h.points("HYPHENATION").is_empty(), "all caps");
        assert!(h.points("hyphenation2").is_empty(), "digit");
        assert!(h.points("1984").is_empty());
        assert!(h.points("").is_empty());
        assert!(h.points("“…”").is_empty());
    }

    #[test]
    fn minima_are_respected() {
        let h = english();
        // Default 2 before, 3 after, counted in letters of the core.
        for word in [
            "hyphenation",
            "extensive",
            "“Cambodia,”",
            "wonderful",
            "naïveté",
        ] {
            let core_letters: Vec<usize> = word
                .char_indices()
                .filter(|(_, c)| c.is_alphabetic())
                .map(|(i, _)| i)
                .collect();
            for p in h.points(word) {
                let before = core_letters.iter().filter(|&&i| i < p).count();
                let after = core_letters.len() - before;
                assert!(before >= 2 && after >= 3, "{word}: point {p}");
            }
        }
        let strict = h.with_minima(3, 4);
        assert_eq!(strict.points("hyphenation"), vec![6]);
        assert_eq!(strict.points("extensive"), vec![5]);
    }

    #[test]
    fn hard_break_points_follow_dashes() {
        assert_eq!(hard_break_points("Khmer-Rouge"), vec![6]);
        assert_eq!(hard_break_points("well—known"), vec![4 + 3]);
        assert_eq!(
            hard_break_points("1914–1918"),
            Vec::<usize>::new(),
            "digits follow"
        );
        assert_eq!(hard_break_points("pages–of"), vec![5 + 3]);
        assert_eq!(hard_break_points("-prefix"), Vec::<usize>::new());
        assert_eq!(hard_break_points("suffix-"), Vec::<usize>::new());
        assert_eq!(hard_break_points("a--b"), vec![3]);
    }

    #[test]
    fn url_breaks() {
        let url = "https://example.com/a/b?c=d";
        let points = url_break_points(url);
        let pieces: Vec<&str> = std::iter::once(0)
            .chain(points.iter().copied())
            .zip(points.iter().copied().chain(std::iter::once(url.len())))
            .map(|(a, b)| &url[a..b])
            .collect();
        assert_eq!(pieces, ["https://", "example", ".com", "/a", "/b", "?c=d"]);
        // A hyphen of the address starts the next line, so it cannot pass for a break hyphen.
        let url = "example.org/north-headland";
        let points = url_break_points(url);
        assert!(points.contains(&url.find("-headland").unwrap()));
        assert!(!points.contains(&(url.find("-headland").unwrap() + 1)));
        assert_eq!(url_break_points("end/"), Vec::<usize>::new());
        assert_eq!(url_break_points(""), Vec::<usize>::new());
    }
}
