//! The words bindery itself puts in a book (the contents' title, page names, the lines of the
//! copyright page, the label of an untitled chapter, month names), in the book's language.
//!
//! The words are data, not code: `locale/words.tsv` has one row per language and one column
//! per word, `locale/months.tsv` one row per language with its twelve month names (CLDR's
//! Gregorian format-wide names, as a date with a day uses them, then the stand-alone names
//! where the language inflects them, as "April 2024" uses them). A row's tag is matched as the
//! language table matches (`pt-BR` → `pt`, `zh-Hant-TW` → `zh-Hant`). An empty cell is a word
//! not yet known in that language: it is written in English, and so is every word of a language
//! without a row; `check` then warns (W0804) and names the words. A book can supply any word
//! itself (`words:` in `book.yaml`, [`Words::with`]), which then wins over the table's.
//! `front.rs` assembles these words into the front matter both editions render.
//!
//! Templates hold named placeholders (`{date}`, `{publisher}`, `{day}`, `{month}`, `{year}`,
//! `{title}`, `{names}`, `{list}`, `{last}`, `{series}`, `{n}`) that [`fill`] replaces, so each
//! language puts them in its own order ("Chapter 3", "3. fejezet", "第3章").

use std::sync::LazyLock;

const WORDS_TSV: &str = include_str!("locale/words.tsv");
const MONTHS_TSV: &str = include_str!("locale/months.tsv");

/// The fallback language: its row is complete (a test keeps it so).
const FALLBACK: &str = "en";

/// Words of the generated pages, in one language: the table's (`'static`, [`words`]), or a
/// book's own in their place ([`Words::with`], borrowed from the book's configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words<'a> {
    /// Title of the table of contents.
    pub contents: &'a str,
    /// Title of the cover page.
    pub cover: &'a str,
    /// The cover image's text alternative, from `{title}` ("Cover of {title}").
    pub cover_of: &'a str,
    /// Title of the copyright page.
    pub copyright: &'a str,
    /// Name of a chapter's notes section (for assistive technology).
    pub notes: &'a str,
    /// The title of an untitled chapter, from its number `{n}` ("Chapter {n}").
    pub chapter_number: &'a str,
    /// The contents' label of a heading without text.
    pub section: &'a str,
    /// A figure's name with its number ("Figure 2.3"), and in a list ("Figures 1 and 2"): a
    /// word the number follows, or a template where `{n}` is the number ("{n}. ábra" in
    /// Hungarian, "{n} pav." in Lithuanian); see [`numbered`].
    pub figure: &'a str,
    pub figures: &'a str,
    /// A table's name with its number ("Table 4"), and in a list, as [`Words::figure`].
    pub table: &'a str,
    pub tables: &'a str,
    /// The title of the list of figures after the contents ("List of Figures").
    pub list_of_figures: &'a str,
    /// The title of the list of tables after the contents ("List of Tables").
    pub list_of_tables: &'a str,
    /// After a reference to a place on another spread; `{page}` is its page number.
    pub on_page: &'a str,
    /// After a reference to the page facing the reference's (varioref's "on the facing page").
    /// Empty where the language has no word for it: then it names a facing page as the next
    /// or the previous one, which it is (varioref's Catalan, Croatian, Slovenian and Nynorsk),
    /// with [`Words::on_next_page`] or [`Words::on_previous_page`], and where that is empty
    /// too, by its number with [`Words::on_page`] (Hebrew: "בעמוד 37"). A language whose row
    /// has no page phrase at all says every page in English's.
    pub on_facing_page: &'a str,
    /// After a reference to the page overleaf; empty, as the facing page's, where it is said
    /// by its number.
    pub on_next_page: &'a str,
    /// After a reference to the page before (varioref's `\reftextbefore`); said only of a
    /// facing page, in a language without a word of its own for it (above). Empty, as the
    /// facing page's, where it is said by its number.
    pub on_previous_page: &'a str,
    /// The authors' line, from `{names}` ("by {names}").
    pub by_names: &'a str,
    /// Between the names of a list but the last two (", ", Japanese "、").
    pub list_comma: &'a str,
    /// The last two names of a list, from `{list}` and `{last}` ("{list} and {last}").
    pub list_and: &'a str,
    /// A book's position in its series, from `{series}` and `{n}` ("{series}, book {n}").
    pub series_number: &'a str,
    /// The copyright page's date line; `{date}` is the date in words.
    pub first_published: &'a str,
    /// The copyright page's publisher line; `{publisher}` is the publisher.
    pub published_by: &'a str,
    /// The colophon: what made the book.
    pub colophon: &'a str,
    /// After a table's caption on the pages the table continues on ("(continued)").
    pub continued: &'a str,
    /// A full date in words, from `{day}`, `{month}` (from [`Words::months`]) and `{year}`.
    pub date_day: &'a str,
    /// A month and year in words, from `{month}` (from [`Words::months_alone`]) and `{year}`.
    pub date_month: &'a str,
    /// Month names, January first, as a date with a day writes them (CLDR format-wide).
    pub months: [&'static str; 12],
    /// Month names standing alone, as "April 2024" writes them (CLDR stand-alone wide; the
    /// same as `months` in most languages, the nominative where `months` is a genitive).
    pub months_alone: [&'static str; 12],
    /// The digits of the numbers these pages write ([`crate::lang::Digits`]): the language's
    /// numbering system. Every number bindery writes is written in them ([`crate::lang::Digits::write`]).
    pub digits: crate::lang::Digits,
}

/// The columns of `words.tsv`, in the order of [`Words`]' fields.
pub const WORD_COLUMNS: [&str; 27] = [
    "contents",
    "cover",
    "cover_of",
    "copyright",
    "notes",
    "chapter_number",
    "section",
    "figure",
    "figures",
    "table",
    "tables",
    "list_of_figures",
    "list_of_tables",
    "on_page",
    "on_facing_page",
    "on_next_page",
    "on_previous_page",
    "by_names",
    "list_comma",
    "list_and",
    "series_number",
    "first_published",
    "published_by",
    "colophon",
    "continued",
    "date_day",
    "date_month",
];

/// One parsed table: its header (the column names after `tag`) and its rows.
struct Table {
    columns: Vec<&'static str>,
    rows: Vec<Row>,
}

/// One language's row: its tag and its cells, `None` where the cell is empty.
struct Row {
    tag: &'static str,
    cells: Vec<Option<&'static str>>,
}

impl Table {
    /// A tab-separated table whose first column is `tag`; a missing trailing cell is empty.
    fn parse(tsv: &'static str) -> Table {
        let mut lines = tsv.lines().filter(|l| !l.trim().is_empty());
        let columns: Vec<&'static str> = lines
            .next()
            .map(|h| h.split('\t').skip(1).collect())
            .unwrap_or_default();
        let rows = lines
            .map(|line| {
                let mut cells = line.split('\t');
                let tag = cells.next().unwrap_or("").trim();
                let mut cells: Vec<Option<&'static str>> =
                    cells.map(|c| (!c.is_empty()).then_some(c)).collect();
                if cells.len() < columns.len() {
                    cells.resize(columns.len(), None);
                }
                Row { tag, cells }
            })
            .collect();
        Table { columns, rows }
    }

    fn row(&self, language: &str) -> Option<&Row> {
        crate::lang::best_match(language, &self.rows, |r| r.tag)
    }

    /// The cell of `column` in `row`, if the row has it.
    fn cell(&self, row: &Row, column: &str) -> Option<&'static str> {
        let i = self.columns.iter().position(|c| *c == column)?;
        row.cells.get(i).copied().flatten()
    }
}

static WORDS: LazyLock<Table> = LazyLock::new(|| Table::parse(WORDS_TSV));
static MONTHS: LazyLock<Table> = LazyLock::new(|| Table::parse(MONTHS_TSV));

/// The column names of `months.tsv`: the twelve format-wide names, then the stand-alone ones.
fn month_columns() -> [String; 24] {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    std::array::from_fn(|i| match i {
        0..12 => NAMES[i].to_string(),
        _ => format!("{}_alone", NAMES[i - 12]),
    })
}

/// The word of `column` in `language`, or English's.
fn word(table: &Table, language: &str, column: &str) -> Option<&'static str> {
    table
        .row(language)
        .and_then(|row| table.cell(row, column))
        .or_else(|| table.row(FALLBACK).and_then(|row| table.cell(row, column)))
}

/// The words for a BCP 47 language tag (`fr-CA` → French); English for a language without a
/// row, and for each word its row leaves empty.
pub fn words(language: &str) -> Words<'static> {
    let w = |column: &str| word(&WORDS, language, column).unwrap_or("");
    // A row with its own page phrase and without a facing, next or previous page's says that
    // page by its number, in the language, rather than in English ([`Words::on_facing_page`]).
    let page_phrase = |column: &str| match said_by_number(
        column,
        own_word(language, "on_page"),
        own_word(language, column),
    ) {
        true => "",
        false => w(column),
    };
    let month_columns = month_columns();
    // A language's months come whole from its row, or whole from English's: never mixed.
    let months_tag = match MONTHS.row(language) {
        Some(row) if (0..12).all(|i| MONTHS.cell(row, &month_columns[i]).is_some()) => language,
        _ => FALLBACK,
    };
    let month = |i: usize| word(&MONTHS, months_tag, &month_columns[i]).unwrap_or("");
    let months: [&'static str; 12] = std::array::from_fn(month);
    let alone_complete = MONTHS
        .row(months_tag)
        .is_some_and(|row| (12..24).all(|i| MONTHS.cell(row, &month_columns[i]).is_some()));
    let months_alone = match alone_complete {
        true => std::array::from_fn(|i| month(i + 12)),
        false => months,
    };
    Words {
        contents: w("contents"),
        cover: w("cover"),
        cover_of: w("cover_of"),
        copyright: w("copyright"),
        notes: w("notes"),
        chapter_number: w("chapter_number"),
        section: w("section"),
        figure: w("figure"),
        figures: w("figures"),
        table: w("table"),
        tables: w("tables"),
        list_of_figures: w("list_of_figures"),
        list_of_tables: w("list_of_tables"),
        on_page: w("on_page"),
        on_facing_page: page_phrase("on_facing_page"),
        on_next_page: page_phrase("on_next_page"),
        on_previous_page: page_phrase("on_previous_page"),
        by_names: w("by_names"),
        list_comma: w("list_comma"),
        list_and: w("list_and"),
        series_number: w("series_number"),
        first_published: w("first_published"),
        published_by: w("published_by"),
        colophon: w("colophon"),
        continued: w("continued"),
        date_day: w("date_day"),
        date_month: w("date_month"),
        months,
        months_alone,
        digits: crate::lang::Digits::of(language),
    }
}

impl<'a> Words<'a> {
    /// These words with a book's own in place of the table's: `supplied` pairs a column of
    /// `words.tsv` ([`WORD_COLUMNS`]) with the book's word for it (`words:` in `book.yaml`,
    /// checked by [`check_word`]). A column that is not one is ignored.
    pub fn with(mut self, supplied: &'a [(&'static str, String)]) -> Words<'a> {
        for (column, word) in supplied {
            if let Some(slot) = self.slot(column) {
                *slot = word;
            }
        }
        self
    }

    /// The word of `column` ([`WORD_COLUMNS`]), `None` for any other name.
    pub fn get(&self, column: &str) -> Option<&'a str> {
        let mut words = *self;
        words.slot(column).map(|w| *w)
    }

    /// The field of `column` ([`WORD_COLUMNS`]), `None` for any other name.
    fn slot(&mut self, column: &str) -> Option<&mut &'a str> {
        Some(match column {
            "contents" => &mut self.contents,
            "cover" => &mut self.cover,
            "cover_of" => &mut self.cover_of,
            "copyright" => &mut self.copyright,
            "notes" => &mut self.notes,
            "chapter_number" => &mut self.chapter_number,
            "section" => &mut self.section,
            "figure" => &mut self.figure,
            "figures" => &mut self.figures,
            "table" => &mut self.table,
            "tables" => &mut self.tables,
            "list_of_figures" => &mut self.list_of_figures,
            "list_of_tables" => &mut self.list_of_tables,
            "on_page" => &mut self.on_page,
            "on_facing_page" => &mut self.on_facing_page,
            "on_next_page" => &mut self.on_next_page,
            "on_previous_page" => &mut self.on_previous_page,
            "by_names" => &mut self.by_names,
            "list_comma" => &mut self.list_comma,
            "list_and" => &mut self.list_and,
            "series_number" => &mut self.series_number,
            "first_published" => &mut self.first_published,
            "published_by" => &mut self.published_by,
            "colophon" => &mut self.colophon,
            "continued" => &mut self.continued,
            "date_day" => &mut self.date_day,
            "date_month" => &mut self.date_month,
            _ => return None,
        })
    }
}

/// The placeholders a word's template holds, each exactly once or more (a cell of the table
/// and a book's word alike): none for a plain word. A figure's or table's name may also hold
/// `{n}`, or not ([`numbered`]); see [`check_word`].
pub fn placeholders(column: &str) -> &'static [&'static str] {
    match column {
        "cover_of" => &["title"],
        "chapter_number" => &["n"],
        "by_names" => &["names"],
        "list_and" => &["list", "last"],
        "series_number" => &["series", "n"],
        "first_published" => &["date"],
        "published_by" => &["publisher"],
        "on_page" => &["page"],
        "date_day" => &["day", "month", "year"],
        "date_month" => &["month", "year"],
        _ => &[],
    }
}

/// The names of the `{name}` placeholders in `template`, in order.
fn placeholders_in(template: &str) -> Vec<&str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
        .collect()
}

/// What is wrong with `word` as the word of `column`, if anything: empty (spaces alone, but
/// for `list_comma`, which may be a space), without a
/// placeholder its column needs ([`placeholders`]: `on_page` without `{page}`), or with one
/// the column does not fill (`{num}`; a figure's or table's name may hold `{n}`).
pub fn check_word(column: &str, word: &str) -> Result<(), WordProblem> {
    // A list's comma may be a space alone; any other word of spaces alone is none.
    let blank = match column {
        "list_comma" => word.is_empty(),
        _ => word.trim().is_empty(),
    };
    if blank {
        return Err(WordProblem::Empty);
    }
    let needed = placeholders(column);
    let found = placeholders_in(word);
    let allowed = |name: &str| {
        needed.contains(&name)
            || (matches!(column, "figure" | "figures" | "table" | "tables") && name == "n")
            || (column == "on_page" && name == "az")
    };
    if let Some(unknown) = found.iter().find(|name| !allowed(name)) {
        return Err(WordProblem::Unknown(unknown.to_string()));
    }
    match needed.iter().find(|name| !found.contains(name)) {
        Some(missing) => Err(WordProblem::Lacks(missing)),
        None => Ok(()),
    }
}

/// Why a word cannot stand for its column ([`check_word`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordProblem {
    /// Nothing but spaces.
    Empty,
    /// Without this placeholder, which the column needs.
    Lacks(&'static str),
    /// With this placeholder, which the column does not fill.
    Unknown(String),
}

/// Whether two language tags take the same words: the same primary language and the same row
/// of `words.tsv` (`tr` and `tr-TR` do; `zh` and `zh-Hant` do not). A book's own words are
/// in its language: they serve the chapters in it, not a chapter in another.
pub fn same_words(a: &str, b: &str) -> bool {
    let primary = |t: &str| {
        t.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    primary(a) == primary(b) && WORDS.row(a).map(|r| r.tag) == WORDS.row(b).map(|r| r.tag)
}

/// Whether `language`'s own row has a word for `column` (not English's in its place).
fn own_word(language: &str, column: &str) -> bool {
    WORDS
        .row(language)
        .is_some_and(|row| WORDS.cell(row, column).is_some())
}

/// The page phrases other than [`Words::on_page`]: a language says each by the page's number
/// where it has no word for it ([`Words::on_facing_page`]).
const PAGE_PHRASES_BY_NUMBER: [&str; 3] = ["on_facing_page", "on_next_page", "on_previous_page"];

/// Whether `column` is said by the page's number: it is one of [`PAGE_PHRASES_BY_NUMBER`], and
/// the words have a page phrase of their own (`own_page_phrase`: the row's or the book's) but
/// none for this page (`own_phrase`). The one decision [`words`], [`book_words`], [`coverage`]
/// and [`coverage_with`] share.
fn said_by_number(column: &str, own_page_phrase: bool, own_phrase: bool) -> bool {
    PAGE_PHRASES_BY_NUMBER.contains(&column) && own_page_phrase && !own_phrase
}

/// The words of a book in `language` that supplies `supplied` itself (`words:` in
/// `book.yaml`): [`words`] with the book's in place ([`Words::with`]). A book that gives the
/// page phrase its language's row lacks is understood to want its other pages said in its
/// language too: by their number, where it gives no phrase for them either.
pub fn book_words<'a>(language: &str, supplied: &'a [(&'static str, String)]) -> Words<'a> {
    let mut words = words(language).with(supplied);
    let own =
        |column: &str| supplied.iter().any(|(c, _)| *c == column) || own_word(language, column);
    for column in PAGE_PHRASES_BY_NUMBER {
        if said_by_number(column, own("on_page"), own(column)) {
            *words.slot(column).expect("a page phrase is a column") = "";
        }
    }
    words
}

/// A figure's or table's name with its number, from its word or template ([`Words::figure`]):
/// "Figure\u{a0}2.3", "2.3.\u{a0}ábra". `n` may be a list ("1 and 2", with
/// [`Words::figures`]). The spaces of the template are no-break, so that a line never ends
/// between a name and its number.
pub fn numbered(template: &str, n: &str) -> String {
    match template.contains("{n}") {
        true => fill(&template.replace(' ', "\u{a0}"), &[("n", n)]),
        false => format!("{template}\u{a0}{n}"),
    }
}

/// What a name's template joins to the end of its number: "." in Hungarian's "{n}. ábra",
/// nothing in "{n} pav." or in a word the number follows. In a list of several numbers each
/// carries it ("1., 2. és 4. ábra"), the last from the template itself.
pub fn number_suffix(template: &str) -> &str {
    match template.split_once("{n}") {
        Some((_, after)) => &after[..after.find(char::is_whitespace).unwrap_or(after.len())],
        None => "",
    }
}

/// How much of bindery's words a language has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// Every word and every month.
    Full,
    /// A row, without these words (column names; `months` for the month names): they are
    /// written in English.
    Partial(Vec<&'static str>),
    /// No row: every word is English.
    None,
}

/// Which of bindery's words a book in `language` has, counting the words the book supplies
/// itself (`supplied`: columns of [`WORD_COLUMNS`]); `check` warns (W0804) unless
/// [`Coverage::Full`]. A language without a row is [`Coverage::None`] only while the book
/// supplies nothing; then it lacks every word the book does not supply, and the months.
pub fn coverage_with(language: &str, supplied: &[&str]) -> Coverage {
    let missing = match coverage(language) {
        Coverage::Full => return Coverage::Full,
        Coverage::None if supplied.is_empty() => return Coverage::None,
        Coverage::None => WORD_COLUMNS
            .iter()
            .copied()
            .filter(|c| *c != "on_previous_page")
            .chain(["months"])
            .collect(),
        Coverage::Partial(missing) => missing,
    };
    // A book's own page phrase says the other pages by their number ([`book_words`]); a
    // missing word is the row's own by definition, so only the book can have it.
    let own_page_phrase = supplied.contains(&"on_page") || own_word(language, "on_page");
    let missing: Vec<&'static str> = missing
        .into_iter()
        .filter(|c| !supplied.contains(c))
        .filter(|c| !said_by_number(c, own_page_phrase, false))
        .collect();
    match missing.is_empty() {
        true => Coverage::Full,
        false => Coverage::Partial(missing),
    }
}

/// Which of bindery's words `language` has in the table; `check` warns (W0804) unless
/// [`Coverage::Full`].
pub fn coverage(language: &str) -> Coverage {
    let Some(row) = WORDS.row(language) else {
        return Coverage::None;
    };
    // The previous page is said only of a facing page, by a language without a word for it;
    // a row with its own page phrase says a page it has no phrase for by its number.
    let own_page_phrase = WORDS.cell(row, "on_page").is_some();
    let mut missing: Vec<&'static str> = WORD_COLUMNS
        .iter()
        .copied()
        .filter(|c| *c != "on_previous_page")
        .filter(|c| WORDS.cell(row, c).is_none())
        .filter(|c| !said_by_number(c, own_page_phrase, false))
        .collect();
    let month_columns = month_columns();
    let months_complete = MONTHS
        .row(language)
        .is_some_and(|row| (0..12).all(|i| MONTHS.cell(row, &month_columns[i]).is_some()));
    if !months_complete {
        missing.push("months");
    }
    match missing.is_empty() {
        true => Coverage::Full,
        false => Coverage::Partial(missing),
    }
}

/// A page phrase ([`Words::on_page`]) for page `n`, whose label is `label` ("37", "iii"):
/// `{page}` is the label, and `{az}` Hungarian's definite article before it, *a* or *az*
/// ([`hungarian_article`]), as varioref's Hungarian phrase "\az{page}. oldalon" asks.
pub fn on_page(template: &str, n: u32, label: &str) -> String {
    fill(template, &[("page", label), ("az", hungarian_article(n))])
}

/// Hungarian's definite article before the number `n`: *az* where the number, spoken (as a
/// cardinal or an ordinal alike), begins with a vowel, *a* otherwise. Only *egy* (1), *öt*
/// (5, and 50, 500, 5000 …), *ezer* (1000–1999) and *egymillió* (1 000 000–1 999 999) do:
/// so a number whose first digit is 5, or 1 at the head of a group of three digits alone
/// (1, 1xxx, 1xxxxxx; "tíz", "száz", "tízezer" and "százezer" begin with consonants).
pub fn hungarian_article(n: u32) -> &'static str {
    let digits = n.to_string();
    match (digits.as_bytes()[0], digits.len() % 3) {
        (b'5', _) | (b'1', 1) => "az",
        _ => "a",
    }
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words left out of a row because no checked source gave them (they fall back to
    /// English, with W0804): `docs/languages.md` says where each word of the table came from
    /// and why these are missing. Filling one in means removing it here.
    const GAPS: &[(&str, &[&str])] = &[
        ("nn", &["colophon", "continued"]),
        ("et", &["colophon"]),
        ("lt", &["figures", "tables", "series_number", "colophon"]),
        (
            "km",
            &[
                "cover_of",
                "series_number",
                "first_published",
                "colophon",
                "continued",
            ],
        ),
        ("th", &["cover_of", "series_number", "colophon"]),
        (
            "lo",
            &[
                "cover",
                "cover_of",
                "copyright",
                "notes",
                "series_number",
                "first_published",
                "published_by",
                "colophon",
                "continued",
            ],
        ),
        (
            "my",
            &[
                "notes",
                "chapter_number",
                "figure",
                "figures",
                "list_of_figures",
                "list_of_tables",
                "series_number",
                "first_published",
                "colophon",
                "continued",
            ],
        ),
        (
            "ur",
            &[
                "on_page",
                "on_facing_page",
                "on_next_page",
                "series_number",
                "colophon",
                "continued",
            ],
        ),
    ];

    #[test]
    fn the_tables_have_the_columns_words_reads() {
        assert_eq!(WORDS.columns, WORD_COLUMNS);
        assert_eq!(MONTHS.columns, month_columns().to_vec());
        let tags = |t: &Table| t.rows.iter().map(|r| r.tag).collect::<Vec<_>>();
        assert_eq!(
            tags(&WORDS),
            tags(&MONTHS),
            "both tables list the same languages"
        );
        for t in [&*WORDS, &*MONTHS] {
            for row in &t.rows {
                assert_eq!(
                    row.cells.len(),
                    t.columns.len(),
                    "{}: a cell too many",
                    row.tag
                );
            }
        }
    }

    #[test]
    fn every_row_has_every_word_and_month_but_its_listed_gaps() {
        assert_eq!(coverage(FALLBACK), Coverage::Full, "English is complete");
        for row in &WORDS.rows {
            let gaps: Vec<&str> = GAPS
                .iter()
                .find(|(t, _)| *t == row.tag)
                .map(|(_, g)| g.to_vec())
                .unwrap_or_default();
            let expected = match gaps.is_empty() {
                true => Coverage::Full,
                false => Coverage::Partial(gaps),
            };
            assert_eq!(coverage(row.tag), expected, "{}", row.tag);
            // The months: all twelve format-wide names in every row; stand-alone all or none.
            let months = MONTHS
                .row(row.tag)
                .map(|r| r.cells.clone())
                .unwrap_or_default();
            assert!(
                months[..12].iter().all(Option::is_some),
                "{}: months",
                row.tag
            );
            let alone = months[12..].iter().filter(|c| c.is_some()).count();
            assert!(alone == 0 || alone == 12, "{}: stand-alone months", row.tag);
        }
    }

    #[test]
    fn every_language_of_the_typography_table_has_a_row() {
        for l in crate::lang::all() {
            assert_ne!(coverage(l.tag), Coverage::None, "{} ({})", l.tag, l.name);
        }
        // Outside the table: no row, so W0804 names every word.
        for tag in ["la", "xx", "eu", ""] {
            assert_eq!(coverage(tag), Coverage::None, "{tag}");
            assert_eq!(words(tag), words("en"), "{tag}");
        }
    }

    #[test]
    fn templates_keep_exactly_their_placeholders() {
        for row in &WORDS.rows {
            let w = words(row.tag);
            for column in WORD_COLUMNS {
                let template = word(&WORDS, row.tag, column).unwrap_or("");
                // Every word of the table passes the check a book's word passes.
                assert_eq!(
                    check_word(column, template),
                    Ok(()),
                    "{}: {column}",
                    row.tag
                );
                if placeholders(column).is_empty() {
                    continue;
                }
                // Hungarian's article before the page number is optional in a page phrase.
                let mut found: Vec<&str> = placeholders_in(template)
                    .into_iter()
                    .filter(|p| !(column == "on_page" && *p == "az"))
                    .collect();
                found.sort_unstable();
                let mut want = placeholders(column).to_vec();
                want.sort_unstable();
                assert_eq!(found, want, "{}: {column} `{template}`", row.tag);
            }
            for t in [w.contents, w.notes, w.copyright, w.section] {
                assert!(!t.contains('{'), "{}: `{t}`", row.tag);
            }
            // A figure's or table's name is a word, or a template of its number alone.
            for t in [w.figure, w.figures, w.table, w.tables] {
                let rest = t.replacen("{n}", "", 1);
                assert!(!rest.contains(['{', '}']), "{}: `{t}`", row.tag);
            }
        }
    }

    #[test]
    fn primary_subtag_picks_the_words_and_english_is_the_fallback() {
        assert_eq!(words("fr-CA").contents, "Table des matières");
        assert_eq!(words("DE").contents, "Inhalt");
        assert_eq!(words("de-CH").chapter_number, "Kapitel {n}");
        assert_eq!(words("pt-BR").contents, "Sumário");
        assert_eq!(words("pt-PT").contents, "Índice");
        assert_eq!(words("zh-Hant-TW").contents, "目錄");
        assert_eq!(words("zh-Hans").contents, "目录");
        assert_eq!(words("en-GB").contents, "Contents");
        assert_eq!(words("km").contents, "មាតិកា");
        // A gap in a row is English, the rest of the row is the language's.
        assert_eq!(words("km").continued, "(continued)");
        assert_eq!(words("km").cover, "ក្របមុខ");
        assert_eq!(words("km").months[3], "មេសា");
        assert_eq!(words("").contents, "Contents");
        assert_eq!(coverage("fr-CA"), Coverage::Full);
    }

    #[test]
    fn months_inflect_where_the_language_does() {
        let ru = words("ru");
        assert_eq!(ru.months[3], "апреля");
        assert_eq!(ru.months_alone[3], "апрель");
        let fr = words("fr");
        assert_eq!(fr.months_alone, fr.months);
        assert_eq!(words("ca").months[3], "d’abril");
        assert_eq!(words("ca").months_alone[3], "abril");
        assert_eq!(words("ja").months[11], "12月");
    }

    #[test]
    fn a_name_comes_before_or_after_its_number_as_the_language_puts_it() {
        assert_eq!(numbered(words("en").figure, "2.3"), "Figure\u{a0}2.3");
        assert_eq!(
            numbered(words("de").tables, "1 und 2"),
            "Tabellen\u{a0}1 und 2"
        );
        // babel's Hungarian and Lithuanian figure templates: the number first.
        assert_eq!(numbered(words("hu").figure, "3"), "3.\u{a0}ábra");
        assert_eq!(numbered(words("hu").table, "2.1"), "2.1.\u{a0}táblázat");
        assert_eq!(numbered(words("lt").figure, "3"), "3\u{a0}pav.");
        assert_eq!(numbered(words("th").figure, "3"), "รูปที่\u{a0}3");
        // In a list, what the template joins to its number joins each number.
        assert_eq!(number_suffix(words("hu").figures), ".");
        assert_eq!(number_suffix(words("hu").tables), ".");
        assert_eq!(number_suffix(words("lt").figure), "");
        assert_eq!(number_suffix(words("en").figures), "");
        assert_eq!(number_suffix("{n}"), "");
    }

    #[test]
    fn hungarian_says_az_before_a_number_spoken_with_a_vowel() {
        let az: Vec<u32> = (1..=2100)
            .chain([1_000_000, 1_234_567])
            .filter(|n| hungarian_article(*n) == "az")
            .collect();
        let expected: Vec<u32> = [1, 5]
            .into_iter()
            .chain(50..=59)
            .chain(500..=599)
            .chain(1000..=1999)
            .chain([1_000_000, 1_234_567])
            .collect();
        assert_eq!(az, expected);
        assert_eq!(hungarian_article(10_000), "a", "tízezer");
        assert_eq!(hungarian_article(150_000), "a", "százötvenezer");
        assert_eq!(hungarian_article(50_000), "az", "ötvenezer");
        let hu = words("hu").on_page;
        assert_eq!(on_page(hu, 37, "37"), "a 37.\u{a0}oldalon");
        assert_eq!(on_page(hu, 5, "5"), "az 5.\u{a0}oldalon");
        assert_eq!(on_page(hu, 1024, "1024"), "az 1024.\u{a0}oldalon");
        // A roman folio is spoken as its number: iv is 4, "negyedik".
        assert_eq!(on_page(hu, 4, "iv"), "a iv.\u{a0}oldalon");
        assert_eq!(on_page(words("en").on_page, 5, "5"), "on page 5");
        assert_eq!(check_word("on_page", "{az} {page}. oldalon"), Ok(()));
        assert_eq!(
            check_word("contents", "{az}"),
            Err(WordProblem::Unknown("az".to_string()))
        );
    }

    /// Where CLDR's plural rules give a language one form only, several figures or tables are
    /// named with the word for one ("รูปที่ 1 และ 2"); the lists' titles are babel's, not a
    /// plural of the name.
    #[test]
    fn a_language_without_plurals_names_several_as_one() {
        for tag in ["ja", "zh", "zh-Hant", "ko", "vi", "id", "km", "th", "lo"] {
            let w = words(tag);
            assert_eq!((w.figures, w.tables), (w.figure, w.table), "{tag}");
        }
        assert_eq!(words("th").list_of_figures, "สารบัญรูป");
        assert_eq!(words("de").list_of_tables, "Tabellenverzeichnis");
        assert_eq!(words("en").list_of_figures, "List of Figures");
        assert_eq!(words("nl").list_of_figures, "Lijst van figuren");
    }

    #[test]
    fn a_facing_page_without_a_word_is_the_next_or_the_previous() {
        // Catalan (varioref) has none: the phrase comes from the next and previous pages.
        assert_eq!(words("ca").on_facing_page, "");
        assert_eq!(words("ca").on_previous_page, "a la pàgina anterior");
        assert_eq!(words("ru").on_facing_page, "на противоположной странице");
        // The four page phrases: far, facing, next, previous.
        let phrases = |w: Words<'static>| {
            (
                w.on_page,
                w.on_facing_page,
                w.on_next_page,
                w.on_previous_page,
            )
        };
        // Hebrew has the next page's phrase alone: the others are said by the page's number
        // (empty here), never in English.
        assert_eq!(phrases(words("he")), ("בעמוד {page}", "", "בעמוד הבא", ""));
        // DocBook's Turkish page phrase, alone in its row.
        assert_eq!(phrases(words("tr")), ("(sayfa {page})", "", "", ""));
        // LibreOffice's Khmer page phrase, alone in its row, like Turkish's.
        assert_eq!(phrases(words("km")), ("លើទំព័រ {page}", "", "", ""));
        // A row without a page phrase, or no row, says every page in English.
        for tag in ["ur", "xx"] {
            assert_eq!(phrases(words(tag)), phrases(words("en")), "{tag}");
        }
    }

    /// What lets a row say its pages by number: a row without a page phrase has no other
    /// page's phrase either, so English's are never mixed with the language's.
    #[test]
    fn a_row_without_a_page_phrase_has_none_of_the_others() {
        for row in &WORDS.rows {
            if own_word(row.tag, "on_page") {
                continue;
            }
            for column in PAGE_PHRASES_BY_NUMBER {
                assert!(!own_word(row.tag, column), "{}: {column}", row.tag);
            }
        }
    }

    #[test]
    fn a_books_own_page_phrase_says_its_other_pages_by_number() {
        // Urdu has no page phrase: a book that supplies one gets the others by number.
        let supplied = vec![("on_page", "[{page}]".to_string())];
        let ur = book_words("ur", &supplied);
        assert_eq!(
            (
                ur.on_page,
                ur.on_facing_page,
                ur.on_next_page,
                ur.on_previous_page
            ),
            ("[{page}]", "", "", "")
        );
        // (Urdu's other gaps supplied too, so that only the page phrases are in question.)
        assert_eq!(
            coverage_with("ur", &["on_page", "series_number", "colophon", "continued"]),
            Coverage::Full
        );
        // A phrase it supplies too is kept.
        let supplied = vec![
            ("on_page", "[{page}]".to_string()),
            ("on_next_page", "[next]".to_string()),
        ];
        let ur = book_words("ur", &supplied);
        assert_eq!((ur.on_next_page, ur.on_facing_page), ("[next]", ""));
        // A language with a page phrase of its own keeps the rest of its row's.
        let supplied = vec![("on_page", "p.\u{a0}{page}".to_string())];
        let en = book_words("en", &supplied);
        assert_eq!(
            (en.on_page, en.on_facing_page, en.on_next_page),
            ("p.\u{a0}{page}", "on the facing page", "on the next page")
        );
        // Without a book's words, a book's words are the table's.
        assert_eq!(book_words("ur", &[]), words("ur"));
    }

    #[test]
    fn templates_fill_their_placeholders() {
        let de = words("de");
        let date = fill(
            de.date_day,
            &[("day", "17"), ("month", de.months[3]), ("year", "2024")],
        );
        assert_eq!(date, "17. April 2024");
        assert_eq!(
            fill(de.first_published, &[("date", &date)]),
            "Erstveröffentlichung 17. April 2024."
        );
        assert_eq!(
            fill(words("hu").chapter_number, &[("n", "3")]),
            "3. fejezet"
        );
        assert_eq!(fill(words("ja").chapter_number, &[("n", "3")]), "第3章");
        assert_eq!(
            fill(words("fr").first_published, &[("date", "mai 2024")]),
            "Première publication\u{a0}: mai 2024."
        );
    }

    #[test]
    fn a_books_word_replaces_exactly_its_column() {
        let table = words("tr");
        for column in WORD_COLUMNS {
            let supplied = vec![(column, format!("<{column}>"))];
            let mut got = table.with(&supplied);
            let mut want = table;
            *want.slot(column).expect("every column has a field") = &supplied[0].1;
            assert_eq!(got, want, "{column}");
            assert_eq!(*got.slot(column).expect("a field"), format!("<{column}>"));
        }
        // A word the table has is replaced too; the rest stays the table's.
        let supplied = vec![
            ("figure", "Resim".to_string()),
            ("on_page", "{page}. sayfada".to_string()),
        ];
        let tr = words("tr").with(&supplied);
        assert_eq!(
            (tr.figure, tr.on_page, tr.table),
            ("Resim", "{page}. sayfada", "Tablo")
        );
    }

    #[test]
    fn a_books_word_keeps_the_placeholders_its_column_fills() {
        assert_eq!(check_word("on_page", "{page}. sayfada"), Ok(()));
        assert_eq!(
            check_word("on_page", "sayfada"),
            Err(WordProblem::Lacks("page"))
        );
        assert_eq!(
            check_word("chapter_number", "Bölüm {num}"),
            Err(WordProblem::Unknown("num".to_string()))
        );
        assert_eq!(
            check_word("cover_of", "Kapak"),
            Err(WordProblem::Lacks("title"))
        );
        assert_eq!(check_word("series_number", "{series}, {n}. kitap"), Ok(()));
        assert_eq!(
            check_word("series_number", "{n}. kitap"),
            Err(WordProblem::Lacks("series"))
        );
        assert_eq!(check_word("figure", "{n}. ábra"), Ok(()));
        assert_eq!(check_word("figure", "Şekil"), Ok(()));
        assert_eq!(
            check_word("contents", "İçindekiler {n}"),
            Err(WordProblem::Unknown("n".to_string()))
        );
        assert_eq!(check_word("contents", "  "), Err(WordProblem::Empty));
        assert_eq!(check_word("list_comma", " "), Ok(()));
        assert_eq!(check_word("list_comma", ""), Err(WordProblem::Empty));
    }

    #[test]
    fn the_words_a_book_supplies_are_not_missing() {
        assert_eq!(
            coverage_with("ur", &["on_facing_page", "series_number", "continued"]),
            Coverage::Partial(vec!["on_page", "on_next_page", "colophon"])
        );
        assert_eq!(coverage_with("tr", &["series_number"]), Coverage::Full);
        assert_eq!(
            coverage_with("ur", &["on_page", "colophon"]),
            Coverage::Partial(vec!["series_number", "continued"])
        );
        assert_eq!(coverage_with("la", &[]), Coverage::None);
        let Coverage::Partial(la) = coverage_with("la", &["contents", "notes"]) else {
            panic!("a book without a row that supplies words lacks the rest");
        };
        assert_eq!(la.len(), WORD_COLUMNS.len() - 3 + 1, "{la:?}");
        assert_eq!(
            (la[0], la[1], la.last()),
            ("cover", "cover_of", Some(&"months"))
        );
        assert!(!la.contains(&"on_previous_page"));
    }

    #[test]
    fn a_chapter_takes_the_books_words_only_in_the_books_language() {
        assert!(same_words("tr", "tr-TR"));
        assert!(same_words("PT-br", "pt"));
        assert!(same_words("la", "la-VA"));
        assert!(!same_words("zh", "zh-Hant"));
        assert!(!same_words("tr", "en"));
        assert!(!same_words("la", "xx"));
    }
}
