//! An article's front matter, as blog engines write it: YAML between a `---` first line and
//! the next `---` (or `...`) line (Jekyll, Hugo, Eleventy, Astro, Obsidian), or TOML between
//! `+++` lines (Hugo). This module finds the block, blanks it out of the Markdown (offsets
//! kept: it is never printed), reads the TOML itself (the one room that knows `toml`) and hands
//! the YAML to `config.rs` ([`crate::config::front_matter`], the one room that knows YAML).
//! Both give [`FrontFields`]; [`read`] checks them into a [`FrontMatter`].

use crate::config::{self, Date, FrontFields, FrontValue, Located, RawFront};
use crate::diag::{Code, Diagnostic, Location};

/// What an article's front matter says, checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// The article's language (`lang: de`), a valid BCP 47 tag.
    pub lang: Option<String>,
    /// `title:`, the article's title when its Markdown has no level-1 heading.
    pub title: Option<String>,
    /// `subtitle:`, else `description:`: a line under the title.
    pub subtitle: Option<String>,
    /// `date:` (the day of a date-time), for the byline.
    pub date: Option<Date>,
    /// `author:` and `authors:`, in order, for the byline.
    pub authors: Vec<String>,
    /// `draft: true`: the article is left out of the book.
    pub draft: bool,
}

/// The front matter's format, by its delimiter line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// `---` … `---` (or `...`).
    Yaml,
    /// `+++` … `+++`.
    Toml,
}

/// Where the front matter sits in an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Block {
    format: Format,
    /// Byte range of the YAML or TOML between the delimiter lines.
    body_start: usize,
    body_end: usize,
    /// Byte offset just past the closing delimiter line.
    end: usize,
}

/// A line that starts a YAML mapping (`key:`, `"key":`) or is a YAML comment. A first line
/// `---` followed by anything else (prose, a heading) is a scene break, not front matter.
fn looks_like_yaml_key(line: &str) -> bool {
    let line = line.trim_start();
    if line.starts_with('#') {
        return true;
    }
    let key = line.split(':').next().unwrap_or("");
    line.contains(':')
        && !key.is_empty()
        && key
            .trim_matches(['"', '\''])
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '))
}

fn find(text: &str) -> Option<Block> {
    let first_end = text.find('\n')?;
    let format = match text[..first_end].trim_end_matches('\r').trim_end() {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ => return None,
    };
    let body_start = first_end + 1;
    let mut at = body_start;
    let mut first_content = true;
    while at < text.len() {
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = text[at..line_end].trim_end_matches('\r');
        let closes = match format {
            Format::Yaml => line == "---" || line == "...",
            Format::Toml => line.trim_end() == "+++",
        };
        if closes {
            return Some(Block {
                format,
                body_start,
                body_end: at,
                end: (line_end + 1).min(text.len()),
            });
        }
        if format == Format::Yaml && first_content && !line.trim().is_empty() {
            if !looks_like_yaml_key(line) {
                return None;
            }
            first_content = false;
        }
        at = line_end + 1;
    }
    None
}

/// What [`read`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Read {
    pub front: FrontMatter,
    /// The Markdown with the block blanked out (every byte but line ends turned into a space,
    /// so that offsets and line numbers stay the file's); `None` when there is no front matter.
    pub text: Option<String>,
    /// What was wrong in the block: W0207 (it cannot be read, so it holds nothing), W0208 (a
    /// date that is no date), E0104 (a language tag that is none).
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the front matter of `text` (shown as `file` in diagnostics). The block is left out of
/// the text even when it cannot be read.
pub fn read(file: &str, text: &str) -> Read {
    let Some(block) = find(text) else {
        return Read::default();
    };
    // One newline per line before the body keeps its line numbers the file's.
    let body = format!("\n{}", &text[block.body_start..block.body_end]);
    let parsed = match block.format {
        Format::Yaml => config::front_matter(file, text, &body),
        Format::Toml => toml_fields(file, text, &body),
    };
    let mut diagnostics = Vec::new();
    let front = match parsed {
        Ok(fields) => check(fields, &mut diagnostics),
        Err(d) => {
            let what = match block.format {
                Format::Yaml => "YAML",
                Format::Toml => "TOML",
            };
            diagnostics.push(
                Diagnostic::new(
                    Code::W0207,
                    format!("the front matter is not valid {what}: {}", d.message),
                )
                .at(d
                    .location
                    .unwrap_or_else(|| line_location(file, text, 1, 1)))
                .with_help(
                    "fix the block between the delimiter lines; until then it is left out of \
                     both editions and none of its keys (title, date, lang, …) is used",
                ),
            );
            FrontMatter::default()
        }
    };
    let mut blanked = String::with_capacity(text.len());
    blanked.extend(
        text[..block.end]
            .chars()
            .map(|c| if c == '\n' || c == '\r' { c } else { ' ' }),
    );
    blanked.push_str(&text[block.end..]);
    Read {
        front,
        text: Some(blanked),
        diagnostics,
    }
}

/// Checks the fields into front matter: the language tag (E0104), the date (W0208, then left
/// out), the rest as text.
fn check(fields: FrontFields, diagnostics: &mut Vec<Diagnostic>) -> FrontMatter {
    let lang = fields.lang.and_then(|l| match l.value.text() {
        Some(tag) if config::valid_language_tag(&tag) => Some(tag),
        other => {
            diagnostics.push(
                Diagnostic::new(
                    Code::E0104,
                    format!(
                        "`{}` is not a valid BCP 47 language tag",
                        other.unwrap_or_default()
                    ),
                )
                .at(l.location)
                .with_help("use a tag such as `en`, `en-GB`, `fr` or `km`"),
            );
            None
        }
    });
    let date = fields.date.and_then(|d| match d.value.text() {
        Some(written) => match article_date(&written) {
            Some(date) => Some(date),
            None => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::W0208,
                        format!("`{written}` is not a date bindery can read"),
                    )
                    .at(d.location)
                    .with_help(
                        "write the date as `YYYY-MM-DD` (a time after it is allowed), `YYYY-MM` \
                         or `YYYY`; until then the byline has no date",
                    ),
                );
                None
            }
        },
        None => None,
    });
    let mut authors = fields.author.texts();
    authors.extend(fields.authors.texts());
    authors.dedup();
    FrontMatter {
        lang,
        title: fields.title.text(),
        subtitle: fields.subtitle.text().or_else(|| fields.description.text()),
        date,
        authors,
        draft: fields.draft.is_true(),
    }
}

/// The day of a front-matter date: `2021-04-17`, `2021-04-17 10:00:00 +0200`,
/// `2021-04-17T10:00:00Z`, `2021-04` or `2021`.
fn article_date(written: &str) -> Option<Date> {
    let written = written.trim();
    Date::parse(written).or_else(|| {
        let day = written.get(..10)?;
        let rest = &written[10..];
        (rest.starts_with(['T', 't', ' ']))
            .then(|| Date::parse(day))
            .flatten()
    })
}

/// Parses TOML front matter (`body` as for YAML: one newline before it, so that its byte
/// offsets plus the opening line's length are the file's).
fn toml_fields(file: &str, text: &str, body: &str) -> Result<FrontFields, Diagnostic> {
    // `body` starts with "\n" where the file has "+++\n" (or "+++\r\n"): this many bytes more.
    let shift = text.find('\n').unwrap_or(0);
    let at = |offset: usize| offset_location(file, text, offset + shift);
    let raw: RawFront<toml::Spanned<FrontValue>> = toml::from_str(body).map_err(|err| {
        let location = err
            .span()
            .map(|s| at(s.start))
            .unwrap_or_else(|| line_location(file, text, 1, 1));
        let message = err
            .message()
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        Diagnostic::new(Code::W0207, message).at(location)
    })?;
    Ok(raw.located(|v| {
        let span = v.span();
        let mut location = at(span.start);
        location.width = text
            .get(span.start + shift..span.end + shift)
            .map_or(1, |s| s.chars().count().max(1));
        Located {
            value: v.into_inner(),
            location,
        }
    }))
}

/// The location of a byte offset of `text`.
fn offset_location(file: &str, text: &str, offset: usize) -> Location {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    // Lines counted as `config::location` shows them (a lone CR ends one too).
    let starts = crate::source::line_starts(text);
    let line = starts.partition_point(|&start| start <= offset).max(1);
    let start = starts.get(line - 1).copied().unwrap_or(0);
    let column = text[start..offset].chars().count() + 1;
    line_location(file, text, line, column)
}

/// A one-character location at a 1-based line and column.
fn line_location(file: &str, text: &str, line: usize, column: usize) -> Location {
    config::location(file, text, line as u64, column as u64, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn front(text: &str) -> FrontMatter {
        let read = super::read("a.md", text);
        assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
        read.front
    }

    #[test]
    fn lang_is_read_and_the_block_blanked() {
        let text = "---\nlang: de\n---\n# Titel\n";
        let read = super::read("a.md", text);
        assert_eq!(read.front.lang.as_deref(), Some("de"));
        let blanked = read.text.expect("a block");
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked, "   \n        \n   \n# Titel\n");
    }

    #[test]
    fn jekyll_yaml() {
        let f = front(
            "---\nlayout: post\ntitle: \"The Last Days\"\ndate: 2021-04-17 10:00:00 +0200\n\
             author:\n  name: Ana Lim\ncategories: [history, cambodia]\ndescription: A diary\n---\nText\n",
        );
        assert_eq!(f.title.as_deref(), Some("The Last Days"));
        assert_eq!(f.date, Date::parse("2021-04-17"));
        assert_eq!(f.authors, ["Ana Lim"]);
        assert_eq!(f.subtitle.as_deref(), Some("A diary"));
        assert!(!f.draft);
    }

    #[test]
    fn hugo_toml() {
        let f = front(
            "+++\ntitle = \"Rice\"\ndate = 2021-04-18T09:00:00Z\nauthors = [\"Ana\", \"Bo\"]\n\
             draft = true\ntags = [\"x\"]\n[params]\nsubtitle = \"no\"\n+++\nText\n",
        );
        assert_eq!(f.title.as_deref(), Some("Rice"));
        assert_eq!(f.date, Date::parse("2021-04-18"));
        assert_eq!(f.authors, ["Ana", "Bo"]);
        assert_eq!(f.subtitle, None);
        assert!(f.draft);
    }

    #[test]
    fn odd_types_are_text_or_ignored() {
        let f = front("---\ntitle: 1984\nsubtitle: {a: b}\ndraft: false\nauthors: [Ana, {name: Bo}, {x: 1}]\n---\n");
        assert_eq!(f.title.as_deref(), Some("1984"));
        assert_eq!(f.subtitle, None);
        assert_eq!(f.authors, ["Ana", "Bo"]);
    }

    #[test]
    fn no_front_matter() {
        for text in [
            "# Title\n---\n",
            "---",
            "--- \nlang: de\n",
            "---\nlang: de\n",
            // A scene break, prose and a scene break: no front matter.
            "---\nThe night fell.\n---\n",
            "+++\ntitle = \"x\"\n",
        ] {
            let read = super::read("a.md", text);
            assert_eq!(read, Read::default(), "{text:?}");
        }
    }

    #[test]
    fn malformed_blocks_are_located_warnings_and_blanked() {
        let text = "---\ntitle: \"unclosed\nlang: de\n---\n# T\n";
        let read = super::read("a.md", text);
        assert_eq!(read.diagnostics.len(), 1, "{:?}", read.diagnostics);
        let d = &read.diagnostics[0];
        assert_eq!(d.code, "W0207");
        let loc = d.location.as_ref().expect("located");
        assert!(loc.line >= 2 && loc.line <= 4, "{loc:?}");
        assert_eq!(read.front, FrontMatter::default());
        assert_eq!(read.text.as_deref().map(|t| t.trim()), Some("# T"));

        let text = "+++\ntitle = \"x\"\ndate = = 3\n+++\n# T\n";
        let read = super::read("a.md", text);
        let d = &read.diagnostics[0];
        assert_eq!(d.code, "W0207");
        let loc = d.location.as_ref().expect("located");
        assert_eq!((loc.line, loc.source_line.as_str()), (3, "date = = 3"));
        assert_eq!(loc.column, 8, "{d:?}");
    }

    #[test]
    fn errors_point_into_the_article() {
        let read = super::read("a.md", "---\nlang: \"fr FR\"\n---\n");
        let d = &read.diagnostics[0];
        assert_eq!(d.code, "E0104");
        assert_eq!(d.location.as_ref().map(|l| l.line), Some(2));
        let read = super::read("a.md", "+++\n\nlang = \"fr FR\"\n+++\n");
        let d = &read.diagnostics[0];
        assert_eq!(d.code, "E0104");
        let loc = d.location.as_ref().expect("located");
        assert_eq!((loc.line, loc.column, loc.width), (3, 8, 7));
        let read = super::read("a.md", "---\ndate: last tuesday\n---\n");
        let d = &read.diagnostics[0];
        assert_eq!(d.code, "W0208");
        assert_eq!(
            d.location.as_ref().map(|l| (l.line, l.column)),
            Some((2, 7))
        );
    }
}
