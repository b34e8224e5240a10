//! The language table: for each language bindery knows, its quotation marks, its spacing
//! around punctuation, its hyphenation minima and its writing direction. One row per language,
//! looked up by a BCP 47 tag; every rule that depends on the language is read from here, so a
//! language is added by adding a row, never by a special case in the code.
//!
//! The quotation marks were written for bindery from the delimiters the Unicode CLDR lists for
//! each language (primary and alternate quotation start and end).

/// Whether `c` is Hangul (a syllable, or a conjoining or compatibility jamo): Korean's
/// letters, which pair quotes as unspaced text does (`"…"고`) and keep their words whole at
/// line ends.
pub fn is_hangul(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7AF | 0xD7B0..=0xD7FF)
}

/// Whether `c` is Han, kana, CJK punctuation or a full-width form: what Chinese and Japanese
/// write without spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF          // CJK radicals
        | 0x3000..=0x30FF        // CJK punctuation, hiragana, katakana
        | 0x3400..=0x4DBF        // CJK extension A
        | 0x4E00..=0x9FFF        // CJK unified ideographs
        | 0xF900..=0xFAFF        // CJK compatibility ideographs
        | 0xFF00..=0xFFEF        // full-width forms
        | 0x20000..=0x3FFFF      // CJK extensions B and later
    )
}

/// Quotation marks of one language, outer level first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotes {
    pub open: char,
    pub close: char,
    /// The second level, for a quotation inside a quotation.
    pub inner_open: char,
    pub inner_close: char,
}

/// Everything bindery needs to know about one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Language {
    /// The tag this row answers to: a primary subtag (`fr`) or a region variant (`de-CH`).
    pub tag: &'static str,
    /// English name, for diagnostics and the README.
    pub name: &'static str,
    pub quotes: Quotes,
    /// Punctuation that takes a no-break space before it, and which space: French sets
    /// U+202F before `; ! ?` and U+00A0 before `:`, so that they never begin a line.
    pub space_before: &'static [(char, char)],
    /// The no-break space set inside the primary quotation marks (French « texte »).
    pub space_inside_quotes: Option<char>,
    /// The no-break space that replaces a space between digit groups ("10 000").
    pub digit_group_space: char,
    /// Fewest letters before a hyphen, and after it; `None` for a script that is not
    /// hyphenated (Khmer, Thai, Chinese, Arabic, …: it breaks between words or characters).
    pub hyphen_min: Option<HyphenMin>,
    /// Written right to left.
    pub rtl: bool,
    /// Chinese and Japanese: the quotation marks that Western text shares (“ ” ‘ ’) are set
    /// as full-width forms from a CJK face, one em wide, like the CJK punctuation around them
    /// (Korean sets them proportionally, as Western text does).
    pub full_width_punctuation: bool,
}

/// Hyphenation minima: fewest letters before and after a break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HyphenMin {
    pub left: usize,
    pub right: usize,
}

const NNBSP: char = '\u{202F}';
const NBSP: char = '\u{A0}';

/// English and TYPESETTING.md: two letters may end a line, three must begin the next
/// (TeX's `\lefthyphenmin=2 \righthyphenmin=3`).
const MIN_2_3: HyphenMin = HyphenMin { left: 2, right: 3 };
/// Languages whose open syllables are often two letters long (German, Spanish, Italian,
/// Dutch, the Slavic and Nordic languages): two on both sides, as their babel settings and
/// house rules (Duden's "Ru-fer") allow.
const MIN_2_2: HyphenMin = HyphenMin { left: 2, right: 2 };

const fn q(open: char, close: char, inner_open: char, inner_close: char) -> Quotes {
    Quotes {
        open,
        close,
        inner_open,
        inner_close,
    }
}

/// A left-to-right language with no spacing rule.
const fn plain(
    tag: &'static str,
    name: &'static str,
    quotes: Quotes,
    hyphen_min: HyphenMin,
) -> Language {
    Language {
        tag,
        name,
        quotes,
        space_before: &[],
        space_inside_quotes: None,
        digit_group_space: NBSP,
        hyphen_min: Some(hyphen_min),
        rtl: false,
        full_width_punctuation: false,
    }
}

/// A language whose script is not hyphenated.
const fn unhyphenated(tag: &'static str, name: &'static str, quotes: Quotes) -> Language {
    Language {
        hyphen_min: None,
        ..plain(tag, name, quotes, MIN_2_3)
    }
}

/// Chinese and Japanese: unhyphenated, with full-width punctuation.
const fn cjk(tag: &'static str, name: &'static str, quotes: Quotes) -> Language {
    Language {
        full_width_punctuation: true,
        ..unhyphenated(tag, name, quotes)
    }
}

const fn rtl(tag: &'static str, name: &'static str, quotes: Quotes) -> Language {
    Language {
        rtl: true,
        ..unhyphenated(tag, name, quotes)
    }
}

/// French spacing (Imprimerie nationale's rules): a narrow no-break space before `; ! ?`
/// and inside guillemets, a full no-break space before `:`, and narrow spaces between digit
/// groups.
const FRENCH_SPACE_BEFORE: &[(char, char)] =
    &[(';', NNBSP), ('!', NNBSP), ('?', NNBSP), (':', NBSP)];

const ENGLISH: Language = plain("en", "English", q('“', '”', '‘', '’'), MIN_2_3);

/// The table. A region row (`de-CH`) comes before its language's row, so the longest match
/// wins.
const TABLE: &[Language] = &[
    ENGLISH,
    Language {
        space_before: FRENCH_SPACE_BEFORE,
        space_inside_quotes: Some(NNBSP),
        digit_group_space: NNBSP,
        // French usage (and babel-french) cuts two letters at a line's end, three after.
        ..plain("fr", "French", q('«', '»', '“', '”'), MIN_2_3)
    },
    plain("de-CH", "Swiss German", q('«', '»', '‹', '›'), MIN_2_2),
    plain("de", "German", q('„', '“', '‚', '‘'), MIN_2_2),
    plain("es", "Spanish", q('«', '»', '“', '”'), MIN_2_2),
    plain("it", "Italian", q('«', '»', '“', '”'), MIN_2_2),
    // Portuguese (babel-portuges) keeps three letters after a break.
    plain(
        "pt-PT",
        "European Portuguese",
        q('«', '»', '“', '”'),
        MIN_2_3,
    ),
    plain("pt", "Portuguese", q('“', '”', '‘', '’'), MIN_2_3),
    plain("ca", "Catalan", q('«', '»', '“', '”'), MIN_2_2),
    plain("nl", "Dutch", q('‘', '’', '“', '”'), MIN_2_2),
    plain("pl", "Polish", q('„', '”', '«', '»'), MIN_2_2),
    // Czech and Slovak rules forbid a single letter and prefer three after the break.
    plain("cs", "Czech", q('„', '“', '‚', '‘'), MIN_2_3),
    plain("sk", "Slovak", q('„', '“', '‚', '‘'), MIN_2_3),
    plain("sl", "Slovenian", q('„', '“', '‚', '‘'), MIN_2_2),
    plain("hr", "Croatian", q('„', '“', '‚', '‘'), MIN_2_2),
    plain("hu", "Hungarian", q('„', '”', '»', '«'), MIN_2_2),
    plain("ro", "Romanian", q('„', '”', '«', '»'), MIN_2_2),
    plain("sv", "Swedish", q('”', '”', '’', '’'), MIN_2_2),
    plain("fi", "Finnish", q('”', '”', '’', '’'), MIN_2_2),
    plain("da", "Danish", q('“', '”', '‘', '’'), MIN_2_2),
    plain("nb", "Norwegian Bokmål", q('«', '»', '‘', '’'), MIN_2_2),
    plain("nn", "Norwegian Nynorsk", q('«', '»', '‘', '’'), MIN_2_2),
    plain("no", "Norwegian", q('«', '»', '‘', '’'), MIN_2_2),
    plain("ru", "Russian", q('«', '»', '„', '“'), MIN_2_2),
    plain("uk", "Ukrainian", q('«', '»', '„', '“'), MIN_2_2),
    plain("bg", "Bulgarian", q('„', '“', '„', '“'), MIN_2_2),
    plain("el", "Greek", q('«', '»', '“', '”'), MIN_2_2),
    plain("tr", "Turkish", q('“', '”', '‘', '’'), MIN_2_2),
    plain("et", "Estonian", q('„', '“', '„', '“'), MIN_2_2),
    plain("lt", "Lithuanian", q('„', '“', '„', '“'), MIN_2_2),
    plain("id", "Indonesian", q('“', '”', '‘', '’'), MIN_2_3),
    // Vietnamese spaces its syllables and is not hyphenated.
    unhyphenated("vi", "Vietnamese", q('“', '”', '‘', '’')),
    unhyphenated("km", "Khmer", q('“', '”', '‘', '’')),
    unhyphenated("th", "Thai", q('“', '”', '‘', '’')),
    unhyphenated("lo", "Lao", q('“', '”', '‘', '’')),
    unhyphenated("my", "Burmese", q('“', '”', '‘', '’')),
    cjk("ja", "Japanese", q('「', '」', '『', '』')),
    cjk(
        "zh-Hant",
        "Chinese (Traditional)",
        q('「', '」', '『', '』'),
    ),
    cjk("zh", "Chinese", q('“', '”', '‘', '’')),
    unhyphenated("ko", "Korean", q('“', '”', '‘', '’')),
    rtl("ar", "Arabic", q('”', '“', '’', '‘')),
    rtl("he", "Hebrew", q('”', '”', '’', '’')),
    rtl("fa", "Persian", q('«', '»', '‹', '›')),
    rtl("ur", "Urdu", q('”', '“', '’', '‘')),
];

/// The row for a BCP 47 tag, by [`best_match`] (`fr-CA` → French, `de-CH-1996` → Swiss
/// German, `zh-TW` → traditional Chinese). `None` when the language is not in the table.
pub fn lookup(tag: &str) -> Option<&'static Language> {
    best_match(tag, TABLE, |row| row.tag)
}

/// The row of `rows` for `tag`: the matching rule of every table keyed by language (this one
/// and `locale`'s), compared without regard to case.
///
/// First the locale's CLDR inheritance chain, as ICU4X's fallbacker walks it (UTS #35): each
/// locale of the chain in turn, the first with a row wins. It knows what a prefix cannot:
/// `zh-TW`, `zh-HK` and `zh-MO` write traditional characters (`zh-TW` → `zh-Hant`), and
/// `pt-AO` writes as Portugal does (`pt-AO` → `pt-PT` → `pt`). Then, for a tag the chain finds
/// no row for (or that does not parse as a locale), the row whose tag is the longest prefix of
/// `tag` by subtags (`de-CH-1996` → `de-CH`).
pub fn best_match<'a, T>(tag: &str, rows: &'a [T], row_tag: impl Fn(&T) -> &str) -> Option<&'a T> {
    if let Ok(locale) = tag.replace('_', "-").parse::<icu_locale_core::Locale>() {
        let fallbacker = icu_locale_fallback::LocaleFallbacker::new();
        let mut chain = fallbacker
            .for_config(Default::default())
            .fallback_for((&locale).into());
        // A chain is a handful of locales long; the bound only guards against a loop.
        for _ in 0..16 {
            let step = chain.get();
            if step.is_unknown() {
                break;
            }
            let step = step.to_string();
            if let Some(row) = rows
                .iter()
                .find(|row| row_tag(row).eq_ignore_ascii_case(&step))
            {
                return Some(row);
            }
            chain.step();
        }
    }
    let subtags: Vec<&str> = tag.split(['-', '_']).collect();
    rows.iter()
        .filter(|row| {
            let row_subtags: Vec<&str> = row_tag(row).split('-').collect();
            row_subtags.len() <= subtags.len()
                && row_subtags
                    .iter()
                    .zip(&subtags)
                    .all(|(a, b)| a.eq_ignore_ascii_case(b))
        })
        .max_by_key(|row| row_tag(row).len())
}

/// The ten digits bindery writes its own numbers in (folios, the contents' and page
/// references' page numbers, note marks, figure and chapter numbers, dates), in a language's
/// default numbering system as CLDR gives it (through ICU4X's decimal formatter): Arabic-Indic
/// digits for Arabic in Egypt, Saudi Arabia or Iraq (`ar-EG`: ٣), extended Arabic-Indic for
/// Persian (۳), Myanmar digits for Burmese (၃), European digits for most languages and for
/// Arabic without a region or as the Maghreb writes it (`ar`, `ar-MA`). A tag's Unicode
/// extension chooses another system (`ar-EG-u-nu-latn`: European digits in an Egyptian book).
/// Digits the author wrote are left as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digits([char; 10]);

impl Default for Digits {
    fn default() -> Digits {
        Digits::LATIN
    }
}

impl Digits {
    /// European digits, 0 to 9.
    pub const LATIN: Digits = Digits(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

    /// The digits of `tag`'s numbering system; European digits for a tag ICU4X cannot parse
    /// or a system whose digits are not one character each.
    pub fn of(tag: &str) -> Digits {
        thread_local! {
            // A book asks for its words (and so its digits) many times over.
            static KNOWN: std::cell::RefCell<Vec<(String, Digits)>> =
                const { std::cell::RefCell::new(Vec::new()) };
        }
        if let Some(known) = KNOWN.with_borrow(|k| k.iter().find(|(t, _)| t == tag).map(|e| e.1)) {
            return known;
        }
        let digits = Digits::decide(tag);
        KNOWN.with_borrow_mut(|k| k.push((tag.to_string(), digits)));
        digits
    }

    fn decide(tag: &str) -> Digits {
        use icu_decimal::input::Decimal;
        let Ok(locale) = tag.replace('_', "-").parse::<icu_locale_core::Locale>() else {
            return Digits::LATIN;
        };
        let Ok(formatter) =
            icu_decimal::DecimalFormatter::try_new((&locale).into(), Default::default())
        else {
            return Digits::LATIN;
        };
        let mut digits = Digits::LATIN.0;
        for (n, slot) in (0u8..).zip(digits.iter_mut()) {
            let written = formatter.format(&Decimal::from(n)).to_string();
            let mut chars = written.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_numeric() => *slot = c,
                _ => return Digits::LATIN,
            }
        }
        Digits(digits)
    }

    /// `text` with its European digits written in these: "2.3" → "٢.٣". Nothing else changes.
    pub fn write(self, text: &str) -> String {
        text.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if c.is_ascii_digit() => self.0[d as usize],
                _ => c,
            })
            .collect()
    }

    /// Whether these are European digits (nothing to write).
    pub fn is_latin(self) -> bool {
        self == Digits::LATIN
    }

    /// The CSS counter style that numbers an ordered list in these digits (CSS Counter
    /// Styles 3's predefined styles), so that the EPUB's lists count as the print edition's
    /// do; `None` for European digits (the default `decimal`) or a system CSS does not name.
    pub fn counter_style(self) -> Option<&'static str> {
        Some(match self.0[0] {
            '\u{660}' => "arabic-indic",
            '\u{6F0}' => "persian",
            '\u{1040}' => "myanmar",
            '\u{966}' => "devanagari",
            '\u{9E6}' => "bengali",
            '\u{17E0}' => "khmer",
            '\u{E50}' => "thai",
            '\u{ED0}' => "lao",
            _ => return None,
        })
    }
}

/// The row for a tag, or English's when the language is not in the table.
pub fn language(tag: &str) -> &'static Language {
    lookup(tag).unwrap_or(&ENGLISH)
}

/// Whether a tag names a right-to-left language (by the table, or by an `Arab`/`Hebr` script
/// subtag).
pub fn is_rtl(tag: &str) -> bool {
    lookup(tag).is_some_and(|l| l.rtl)
        || tag
            .split(['-', '_'])
            .any(|s| s.eq_ignore_ascii_case("arab") || s.eq_ignore_ascii_case("hebr"))
}

/// Languages that write a decimal comma ("3,25"), by CLDR's number symbols; the others (and
/// a tag not listed) write a decimal point. A region row (`de-CH`) comes before its
/// language's, as in [`TABLE`]. Kept apart from [`TABLE`]: only the print edition's tables
/// use it (to align a column's numbers on their separators).
const DECIMAL_SEPARATORS: &[(&str, char)] = &[
    ("de-CH", '.'),
    ("de", ','),
    ("fr", ','),
    ("es-MX", '.'),
    ("es", ','),
    ("it", ','),
    ("pt", ','),
    ("nl", ','),
    ("ca", ','),
    ("ru", ','),
    ("uk", ','),
    ("pl", ','),
    ("cs", ','),
    ("sk", ','),
    ("sl", ','),
    ("hr", ','),
    ("sr", ','),
    ("bg", ','),
    ("ro", ','),
    ("hu", ','),
    ("el", ','),
    ("tr", ','),
    ("sv", ','),
    ("da", ','),
    ("nb", ','),
    ("nn", ','),
    ("no", ','),
    ("fi", ','),
    ("et", ','),
    ("lv", ','),
    ("lt", ','),
    ("id", ','),
    ("vi", ','),
];

/// The decimal separator of a language: `,` or `.` ([`DECIMAL_SEPARATORS`]).
pub fn decimal_separator(tag: &str) -> char {
    best_match(tag, DECIMAL_SEPARATORS, |row| row.0).map_or('.', |row| row.1)
}

/// Every language in the table, in table order.
pub fn all() -> &'static [Language] {
    TABLE
}

/// Whether `tag` is well-formed enough to write into `lang=""`: subtags of 1–8 ASCII letters
/// or digits joined by `-`, the first of 2–3 letters (or `x`/`i`).
pub fn is_valid_tag(tag: &str) -> bool {
    let mut subtags = tag.split('-');
    let Some(first) = subtags.next() else {
        return false;
    };
    let first_ok = (2..=3).contains(&first.len()) && first.chars().all(|c| c.is_ascii_alphabetic())
        || first == "x"
        || first == "i";
    first_ok
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_separators_follow_the_language_and_region() {
        assert_eq!(decimal_separator("en"), '.');
        assert_eq!(decimal_separator("en-GB"), '.');
        assert_eq!(decimal_separator("de"), ',');
        assert_eq!(decimal_separator("de-AT"), ',');
        assert_eq!(decimal_separator("de-CH"), '.');
        assert_eq!(decimal_separator("fr-CA"), ',');
        assert_eq!(decimal_separator("ja"), '.');
        assert_eq!(decimal_separator("xx"), '.');
    }

    #[test]
    fn tags_find_the_longest_row() {
        assert_eq!(language("fr-CA").tag, "fr");
        assert_eq!(language("de-CH").quotes.open, '«');
        assert_eq!(language("de-ch-1996").tag, "de-CH");
        assert_eq!(language("de").quotes.open, '„');
        assert_eq!(language("zh-Hant-TW").quotes.open, '「');
        assert_eq!(language("zh-Hans").quotes.open, '“');
        assert_eq!(language("EN_gb").tag, "en");
        assert!(lookup("xx").is_none());
        assert_eq!(language("xx").tag, "en", "English is the fallback");
        assert!(lookup("").is_none());
    }

    /// A region that writes another script or follows another country's usage finds that
    /// row by CLDR's inheritance, which no prefix finds: Taiwan, Hong Kong and Macao write
    /// traditional Chinese, Angola and Mozambique write Portugal's Portuguese.
    #[test]
    fn tags_follow_cldr_inheritance_before_prefixes() {
        for tag in ["zh-TW", "zh-HK", "zh_MO", "zh-Hant", "zh-Hant-TW"] {
            assert_eq!(language(tag).tag, "zh-Hant", "{tag}");
            assert_eq!(language(tag).quotes.open, '「', "{tag}");
        }
        for tag in ["zh", "zh-CN", "zh-SG", "zh-Hans", "zh-Hans-HK"] {
            assert_eq!(language(tag).tag, "zh", "{tag}");
        }
        assert_eq!(language("pt-AO").tag, "pt-PT");
        assert_eq!(language("pt-MZ").tag, "pt-PT");
        assert_eq!(language("pt-BR").tag, "pt");
        assert_eq!(language("nb-NO").tag, "nb");
        assert_eq!(crate::locale::words("zh-TW").contents, "目錄");
        assert_eq!(crate::locale::words("zh-HK").table, "表");
        assert_eq!(crate::locale::words("zh-CN").contents, "目录");
    }

    #[test]
    fn at_least_twenty_languages_each_once() {
        assert!(all().len() >= 20);
        let mut tags: Vec<&str> = all().iter().map(|l| l.tag).collect();
        tags.sort_unstable();
        let before = tags.len();
        tags.dedup();
        assert_eq!(tags.len(), before, "a tag appears twice");
    }

    #[test]
    fn french_spacing_is_a_row_rule() {
        let fr = language("fr");
        assert_eq!(fr.space_inside_quotes, Some('\u{202F}'));
        assert!(fr.space_before.contains(&('!', '\u{202F}')));
        assert!(fr.space_before.contains(&(':', '\u{A0}')));
        assert!(language("en").space_before.is_empty());
        assert_eq!(
            language("en").hyphen_min,
            Some(HyphenMin { left: 2, right: 3 })
        );
        assert_eq!(language("km").hyphen_min, None);
    }

    #[test]
    fn right_to_left() {
        assert!(is_rtl("ar") && is_rtl("he-IL") && is_rtl("fa") && is_rtl("ks-Arab"));
        assert!(!is_rtl("en") && !is_rtl("km"));
    }

    #[test]
    fn valid_tags() {
        for ok in ["fr", "km", "de-CH", "zh-Hant-TW", "x-private", "sr-Latn"] {
            assert!(is_valid_tag(ok), "{ok}");
        }
        for bad in ["", "f", "fr_FR", "fr-", "fr\"", "français", "toolongtag-x"] {
            assert!(!is_valid_tag(bad), "{bad}");
        }
    }

    /// CLDR's default numbering systems, and the tag's own choice.
    #[test]
    fn digits_follow_the_languages_numbering_system() {
        let three = |tag: &str| Digits::of(tag).write("3");
        // CLDR writes Arabic in Egypt, Saudi Arabia and Iraq with Arabic-Indic digits, and
        // Arabic without a region, as the Maghreb and the Emirates do, with European ones.
        for tag in ["ar-EG", "ar-SA", "ar-IQ", "ar-EG-u-nu-arab"] {
            assert_eq!(three(tag), "\u{663}", "{tag}: Arabic-Indic");
        }
        assert_eq!(three("fa"), "\u{6F3}", "extended Arabic-Indic");
        assert_eq!(three("my"), "\u{1043}", "Myanmar");
        for tag in [
            "en",
            "fr",
            "he",
            "ur",
            "km",
            "th",
            "lo",
            "ja",
            "zh",
            "ko",
            "ar",
            "ar-MA",
            "ar-AE",
            "ar-EG-u-nu-latn",
        ] {
            assert_eq!(three(tag), "3", "{tag}");
            assert!(Digits::of(tag).is_latin(), "{tag}");
        }
        assert_eq!(Digits::of("en-u-nu-arab").write("12"), "\u{661}\u{662}");
        // Only European digits change; the rest of the text stays.
        assert_eq!(Digits::of("fa").write("2.3 (x٣)"), "\u{6F2}.\u{6F3} (x٣)");
        // A tag ICU4X cannot read writes European digits.
        assert!(Digits::of("not a tag").is_latin());
        // The EPUB's lists count in the same digits.
        assert_eq!(Digits::of("ar-EG").counter_style(), Some("arabic-indic"));
        assert_eq!(Digits::of("fa").counter_style(), Some("persian"));
        assert_eq!(Digits::of("my").counter_style(), Some("myanmar"));
        assert_eq!(Digits::of("th-u-nu-thai").counter_style(), Some("thai"));
        assert_eq!(Digits::of("en").counter_style(), None);
    }
}
