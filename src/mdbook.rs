//! mdBook's own tags, in a chapter of an mdBook (a book read from its `SUMMARY.md`,
//! [`crate::summary`]). mdBook replaces them before it reads the Markdown, in code blocks too,
//! and so does [`expand`]:
//!
//! - `{{#include file.rs}}`: the file's text (a path relative to the chapter's file), whole or
//!   in part: `file.rs:2` (line 2), `file.rs::10` (lines 1 to 10), `file.rs:2:` (from line 2),
//!   `file.rs:2:10`, or `file.rs:name`, the lines between `ANCHOR: name` and
//!   `ANCHOR_END: name` (without the lines that mark anchors). An included file's own tags are
//!   replaced in turn, relative to its own folder, ten files deep at most.
//! - `{{#rustdoc_include file.rs:2}}`: mdBook includes the whole file and hides the lines
//!   outside the part, which a reader on screen can unfold; on paper nobody can, so the part
//!   alone is printed, as `include` prints it.
//! - `{{#playground file.rs attrs}}`: the file as a Rust code block (` ```rust,attrs `).
//! - `{{#title …}}`: the web page's title; a book has none, so it goes.
//! - `\{{#…}}`: the tag written out, without its backslash.
//!
//! As in mdBook, spaces may stand between the braces and the `#` (`{{ #include file.rs }}`).
//!
//! In a Rust code block, mdBook (as rustdoc) hides the lines that begin with `# ` (or are
//! `#` alone), which the example needs to compile but the reader does not need to see; on
//! screen they unfold, on paper they would only be noise, so [`drop_hidden_lines`] leaves them
//! out, and `##` at a line's start prints as `#`.
//!
//! The text put in for a tag is a [`Splice`], so that every position the Markdown reader
//! reports is still a line and column of the chapter's file as written (the tag's, for a
//! position in the text it stands for). A tag whose file cannot be read, or whose part is not
//! in it, is left out and reported ([`Problem`], W0213), so that no template tag is printed.

use std::ops::Range;
use std::path::Path;

use crate::source::Splice;

/// How many files deep includes are followed (mdBook's limit).
const MAX_DEPTH: usize = 10;

/// How far a tag may reach for its `}}`, in bytes.
const MAX_TAG_BYTES: usize = 1024;

/// A chapter's text with mdBook's tags replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    pub text: String,
    pub splices: Vec<Splice>,
    pub problems: Vec<Problem>,
}

/// A tag that is left out: where it is written, what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub written: Range<usize>,
    pub message: String,
    pub help: String,
}

/// Whether `text` may hold one of mdBook's tags (a quick test before [`expand`]).
pub fn may_hold_tags(text: &str) -> bool {
    next_tag(text, 0).is_some()
}

/// The next opening of a tag at or after `from`: where its `{{` is, and where its name
/// starts, after the `#`. mdBook allows spaces and tabs between the braces and the `#`
/// (`{{ #include file.rs }}`).
fn next_tag(text: &str, mut from: usize) -> Option<(usize, usize)> {
    while let Some(i) = text.get(from..)?.find("{{") {
        let at = from + i;
        let rest = &text[at + 2..];
        let gap = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        if rest[gap..].starts_with('#') {
            return Some((at, at + 2 + gap + 1));
        }
        from = at + 1;
    }
    None
}

/// `text` (of a file in the folder `dir`, inside the book's folder `root`) with mdBook's tags
/// replaced.
pub fn expand(text: &str, dir: &Path, root: &Path) -> Expanded {
    let mut out = Expanded {
        text: String::with_capacity(text.len()),
        splices: Vec::new(),
        problems: Vec::new(),
    };
    let mut copied = 0;
    let mut from = 0;
    while let Some((at, name_at)) = next_tag(text, from) {
        // `\{{#…}}`: the tag as text; only the backslash goes.
        if escaped(text, at, name_at) {
            out.text.push_str(&text[copied..at - 1]);
            let read = out.text.len();
            out.splices.push(Splice {
                read: read..read,
                written: at - 1..at,
            });
            copied = at;
            from = at + 3;
            continue;
        }
        let Some((tag_end, inner)) = closed_tag(text, at, name_at) else {
            from = at + 3;
            continue;
        };
        let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let args = args.trim();
        let replacement = match name {
            // Without a file, as prose names the helper (`{{#include}}`), it is no tag: mdBook
            // leaves it too.
            "include" | "rustdoc_include" | "playground" if args.is_empty() => {
                from = at + 3;
                continue;
            }
            "include" | "rustdoc_include" => include(args, dir, root, 0),
            "playground" => playground(args, dir, root),
            "title" => Ok(String::new()),
            _ => {
                from = at + 3;
                continue;
            }
        };
        out.text.push_str(&text[copied..at]);
        let read = out.text.len();
        match replacement {
            Ok(with) => {
                out.text.push_str(&with);
                out.splices.push(Splice {
                    read: read..out.text.len(),
                    written: at..tag_end,
                });
            }
            Err((message, help)) => {
                out.splices.push(Splice {
                    read: read..read,
                    written: at..tag_end,
                });
                out.problems.push(Problem {
                    written: at..tag_end,
                    message,
                    help,
                });
            }
        }
        copied = tag_end;
        from = tag_end;
    }
    out.text.push_str(&text[copied..]);
    out
}

/// Whether the tag opening at `at` (its name at `name_at`) is escaped, `\{{#…}}` (with no
/// space before the `#`, as mdBook has it).
fn escaped(text: &str, at: usize, name_at: usize) -> bool {
    at > 0 && text.as_bytes()[at - 1] == b'\\' && name_at == at + 3
}

/// The tag opening at `at` (its name at `name_at`), closed by `}}` on its line within
/// [`MAX_TAG_BYTES`]: where it ends, after the braces, and what it says between them, trimmed.
fn closed_tag(text: &str, at: usize, name_at: usize) -> Option<(usize, &str)> {
    let window = tag_window(text, at);
    let end = window.find("}}").filter(|e| !window[..*e].contains('\n'))?;
    let inner = window.get(name_at - at..end)?.trim();
    Some((at + end + 2, inner))
}

/// The text from `at` that a tag starting there may span: [`MAX_TAG_BYTES`], cut back to a
/// character's start.
fn tag_window(text: &str, at: usize) -> &str {
    let mut end = text.len().min(at + MAX_TAG_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[at..end]
}

/// What went wrong with a tag, and how to fix it.
type Failure = (String, String);

/// The text an `include` names (`path[:part]`), its own includes replaced.
fn include(args: &str, dir: &Path, root: &Path, depth: usize) -> Result<String, Failure> {
    let (path, part) = match args.split_once(':') {
        Some((p, part)) => (p, Some(part)),
        None => (args, None),
    };
    let (content, folder) = read(path, dir, root)?;
    let selected = select(&content, part).map_err(|e| (format!("`{args}`: {e}"), help(path)))?;
    if depth + 1 >= MAX_DEPTH || !may_hold_tags(&selected) {
        return Ok(selected);
    }
    // The included file's own includes, relative to its folder.
    let mut text = String::new();
    let mut from = 0;
    for (start, tag, inner) in tags(&selected) {
        let (name, rest) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        if !matches!(name, "include" | "rustdoc_include") {
            continue;
        }
        text.push_str(&selected[from..start]);
        text.push_str(&include(rest.trim(), &folder, root, depth + 1)?);
        from = start + tag.len();
    }
    text.push_str(&selected[from..]);
    Ok(text.replace("\\{{#", "{{#"))
}

/// The unescaped tags of `text`: where each starts, the tag and what is between its braces.
fn tags(text: &str) -> Vec<(usize, &str, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some((at, name_at)) = next_tag(text, from) {
        from = at + 3;
        if escaped(text, at, name_at) {
            continue;
        }
        if let Some((end, inner)) = closed_tag(text, at, name_at) {
            found.push((at, &text[at..end], inner));
            from = end;
        }
    }
    found
}

/// A `playground` tag's file (`path attrs…`) as a Rust code block.
fn playground(args: &str, dir: &Path, root: &Path) -> Result<String, Failure> {
    let mut words = args.split_whitespace();
    let path = words.next().unwrap_or("");
    let attrs: Vec<&str> = words.collect();
    let code = include(path, dir, root, MAX_DEPTH)?;
    let mut fence = "```".to_string();
    while code.contains(&fence) {
        fence.push('`');
    }
    let info = std::iter::once("rust")
        .chain(attrs)
        .collect::<Vec<_>>()
        .join(",");
    Ok(format!("{fence}{info}\n{code}\n{fence}"))
}

fn help(path: &str) -> String {
    format!(
        "give a part of `{path}` that is in it: a line (`:2`), lines (`:2:10`, `::10`, `:2:`) \
         or an anchor's name (`:name`, between `ANCHOR: name` and `ANCHOR_END: name`)"
    )
}

/// The text of the file `path` (relative to `dir`, inside `root`) and its folder.
fn read(path: &str, dir: &Path, root: &Path) -> Result<(String, std::path::PathBuf), Failure> {
    let fix = "fix the path (it is relative to the chapter's file), or remove the tag";
    if path.is_empty() {
        return Err(("an mdBook include names no file".into(), fix.into()));
    }
    let disk = crate::paths::inside_book(root, dir, path)
        .map_err(|why| (format!("included file `{path}` {why}"), fix.to_string()))?;
    let bytes = std::fs::read(&disk).map_err(|e| {
        let message = match e.kind() {
            std::io::ErrorKind::NotFound => format!("included file `{path}` does not exist"),
            _ => format!("cannot read included file `{path}`: {e}"),
        };
        (message, fix.to_string())
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        (
            format!("included file `{path}` is not UTF-8"),
            "re-save the file as UTF-8".to_string(),
        )
    })?;
    let folder = disk
        .parent()
        .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
    Ok((text, folder))
}

/// The part of `content` an include asks for (`None`: all of it), without its last line end.
fn select(content: &str, part: Option<&str>) -> Result<String, String> {
    let lines: Vec<&str> = content.lines().collect();
    let Some(part) = part.map(str::trim) else {
        return Ok(lines.join("\n"));
    };
    let number = |s: &str| -> Result<Option<usize>, ()> {
        match s.trim() {
            "" => Ok(None),
            n => n.parse::<usize>().map(Some).map_err(|_| ()),
        }
    };
    let range = match part.split_once(':') {
        None => number(part).map(|n| n.map(|n| (n, n))),
        Some((a, b)) => match (number(a), number(b)) {
            (Ok(a), Ok(b)) => Ok(Some((a.unwrap_or(1), b.unwrap_or(usize::MAX)))),
            _ => Err(()),
        },
    };
    match range {
        Ok(Some((first, last))) => {
            let first = first.max(1);
            if first > lines.len() {
                return Err(format!("the file has {} lines", lines.len()));
            }
            let last = last.min(lines.len());
            Ok(lines[first - 1..last.max(first - 1)].join("\n"))
        }
        Ok(None) => Ok(lines.join("\n")),
        Err(()) => anchor(&lines, part),
    }
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`, without the lines that mark
/// anchors.
fn anchor(lines: &[&str], name: &str) -> Result<String, String> {
    let marks = |line: &str, mark: &str| -> Option<String> {
        let at = line.find(mark)? + mark.len();
        let rest = line[at..].trim_start();
        let word: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        (!word.is_empty()).then_some(word)
    };
    let is_mark =
        |line: &str| marks(line, "ANCHOR:").is_some() || marks(line, "ANCHOR_END:").is_some();
    let start = lines
        .iter()
        .position(|l| marks(l, "ANCHOR:").as_deref() == Some(name))
        .ok_or_else(|| format!("no `ANCHOR: {name}` in the file"))?;
    let end = lines[start + 1..]
        .iter()
        .position(|l| marks(l, "ANCHOR_END:").as_deref() == Some(name))
        .map_or(lines.len(), |i| start + 1 + i);
    Ok(lines[start + 1..end]
        .iter()
        .filter(|l| !is_mark(l))
        .copied()
        .collect::<Vec<_>>()
        .join("\n"))
}

/// mdBook's `book.toml`, read for a book that has no `book.yaml`: the `book.yaml` its `[book]`
/// table stands for (its title, authors, language, description, and `src/SUMMARY.md`, in the
/// folder `src` names, as the reading order), and W0108, at `[book]`, naming the file that
/// takes over. mdBook's own default language is English, and so is the book's when the table
/// names none. `None` when there is no `book.toml` (or it is not UTF-8 text); an error when it
/// is not TOML, or names no title or no authors (a book must have them, and mdBook does not
/// ask for them).
pub fn book_yaml(
    root: &Path,
) -> Option<Result<(String, crate::diag::Diagnostic), crate::diag::Diagnostic>> {
    use crate::diag::{Code, Diagnostic, Location};
    use crate::source::{SourceFile, SourceMap, Span};
    let path = root.join("book.toml");
    let text = std::fs::read_to_string(&path).ok()?;
    // Bytes `start..end` of book.toml as a location, as any source file's.
    let mut toml_file = SourceMap::default();
    let id = toml_file.add(SourceFile::new("book.toml".into(), path, text.clone()));
    let at = |start: usize, end: usize| {
        crate::diag::span_location(&toml_file, Span::new(id, start, end))
    };
    let book_line = text
        .match_indices("[book]")
        .find(|(i, _)| *i == 0 || text.as_bytes()[i - 1] == b'\n')
        .map_or(at(0, 0), |(i, tag)| at(i, i + tag.len()));
    let fail = |code: Code, message: String, at: Location, help: &str| {
        Diagnostic::new(code, message)
            .at(at)
            .with_help(help.to_string())
    };
    let write =
        "write a book.yaml beside it (`bindery init` shows one): title, authors and language";
    let table: toml::Table = match toml::from_str(&text) {
        Ok(t) => t,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            return Some(Err(fail(
                Code::E0900,
                format!(
                    "there is no book.yaml, and mdBook's book.toml cannot be read: {}",
                    e.message().trim_end()
                ),
                at(span.start, span.end),
                write,
            )));
        }
    };
    let book = table.get("book").and_then(toml::Value::as_table);
    let field = |key: &str| {
        book.and_then(|b| b.get(key))
            .and_then(toml::Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let Some(title) = field("title") else {
        return Some(Err(fail(
            Code::E0103,
            "there is no book.yaml, and mdBook's book.toml gives the book no title".into(),
            book_line,
            "add `title = \"…\"` under `[book]` in book.toml, or write a book.yaml beside it \
             (`bindery init` shows one): title, authors and language",
        )));
    };
    let quoted = |s: &str| {
        let mut q = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => q.push_str("\\\""),
                '\\' => q.push_str("\\\\"),
                c if c.is_control() => q.push_str(&format!("\\u{:04x}", c as u32)),
                c => q.push(c),
            }
        }
        q.push('"');
        q
    };
    let mut yaml = format!("title: {}\n", quoted(title));
    let authors: Vec<String> = book
        .and_then(|b| b.get("authors"))
        .and_then(toml::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(toml::Value::as_str)
                .map(quoted)
                .collect()
        })
        .unwrap_or_default();
    if authors.is_empty() {
        return Some(Err(fail(
            Code::E0103,
            "there is no book.yaml, and mdBook's book.toml names no authors".into(),
            book_line,
            "add `authors = [\"Your Name\"]` under `[book]` in book.toml, or write a book.yaml \
             beside it (`bindery init` shows one): title, authors and language",
        )));
    }
    yaml.push_str(&format!("authors: [{}]\n", authors.join(", ")));
    yaml.push_str(&format!(
        "language: {}\n",
        quoted(field("language").unwrap_or("en"))
    ));
    if let Some(description) = field("description") {
        yaml.push_str(&format!("description: {}\n", quoted(description)));
    }
    let src = field("src").unwrap_or("src").trim_end_matches('/');
    yaml.push_str(&format!(
        "manuscript: [{}]\n",
        quoted(&format!("{src}/SUMMARY.md"))
    ));
    let warning = Diagnostic::new(
        Code::W0108,
        "there is no book.yaml: the book is read as mdBook reads it, from book.toml's `[book]` and its SUMMARY.md",
    )
    .at(book_line)
    .with_help(format!(
        "to set what bindery reads (a cover, print settings), write book.yaml beside it: {}",
        yaml.trim_end().replace('\n', "; ")
    ));
    Some(Ok((yaml, warning)))
}

/// Leaves out the hidden lines of every Rust code block in `blocks` (one whose info string's
/// first word, up to a comma, is `rust`: ```` ```rust,editable ````).
pub fn drop_hidden_lines(blocks: &mut [crate::model::Block]) {
    crate::model::each_block_mut(blocks, &mut |b| {
        if let crate::model::BlockKind::CodeBlock {
            lang: Some(lang),
            text,
        } = &mut b.kind
        {
            if lang.split(',').next() == Some("rust") {
                *text = shown_lines(text);
            }
        }
    });
}

/// The lines of Rust code a reader is shown: without those rustdoc hides (`# …`, `#`), with
/// `##` at a line's start printed as `#`.
fn shown_lines(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        if trimmed == "#" || trimmed.starts_with("# ") {
            continue;
        }
        match trimmed.strip_prefix("##") {
            Some(_) => {
                let indent = body.len() - trimmed.len();
                out.push_str(&line[..indent]);
                out.push_str(&line[indent + 1..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str = "/* ANCHOR: all */\n// ANCHOR: one\nfn one() {}\n// ANCHOR_END: one\n\
                        fn two() {}\n/* ANCHOR_END: all */\n";

    fn book() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("src/code")).expect("mkdir");
        std::fs::write(dir.path().join("src/code/file.rs"), CODE).expect("file.rs");
        std::fs::write(
            dir.path().join("src/part.md"),
            "Shared text, with code:\n{{#include code/file.rs:one}}\n",
        )
        .expect("part.md");
        dir
    }

    #[test]
    fn includes_take_the_lines_or_the_anchor_asked_for() {
        let dir = book();
        let src = dir.path().join("src");
        let run = |text: &str| expand(text, &src, dir.path()).text;
        assert_eq!(run("{{#include code/file.rs:3}}"), "fn one() {}");
        assert_eq!(
            run("{{#include code/file.rs:3:5}}"),
            "fn one() {}\n// ANCHOR_END: one\nfn two() {}"
        );
        assert_eq!(run("{{#include code/file.rs::1}}"), "/* ANCHOR: all */");
        assert_eq!(
            run("{{#include code/file.rs:5:}}"),
            "fn two() {}\n/* ANCHOR_END: all */"
        );
        assert_eq!(run("{{#include code/file.rs:one}}"), "fn one() {}");
        // Inside an anchor, the lines that mark anchors are left out.
        assert_eq!(
            run("{{#include code/file.rs:all}}"),
            "fn one() {}\nfn two() {}"
        );
        assert_eq!(run("{{#rustdoc_include code/file.rs:one}}"), "fn one() {}");
        // An included Markdown file's own includes, from its folder.
        assert_eq!(
            run("{{#include part.md}}"),
            "Shared text, with code:\nfn one() {}"
        );
        assert_eq!(
            run("{{#playground code/file.rs:3 editable}}"),
            "```rust,editable\nfn one() {}\n```"
        );
        assert_eq!(run("{{#title A page}}Text"), "Text");
        // Escaped, the tag is text; another helper's is left alone.
        assert_eq!(
            run("\\{{#include code/file.rs}}"),
            "{{#include code/file.rs}}"
        );
        assert_eq!(run("{{#each list}}"), "{{#each list}}");
        // mdBook allows spaces between the braces and the `#`, and around the arguments.
        assert_eq!(run("{{ #include code/file.rs:one }}"), "fn one() {}");
        assert_eq!(run("A{{\t#title A page}}B"), "AB");
        assert_eq!(
            run("{{ include code/file.rs }}"),
            "{{ include code/file.rs }}"
        );
        assert_eq!(run("{{{#include code/file.rs:one}}"), "{fn one() {}");
        assert!(may_hold_tags("x {{  #include a.rs}}") && !may_hold_tags("{{ page.title }}"));
        assert_eq!(run("`{{#include}}`d"), "`{{#include}}`d");
    }

    /// A tag's reach ends inside a character: no panic, and no tag.
    #[test]
    fn an_unclosed_tag_before_wide_characters_is_text() {
        let text = format!("{{{{#include {}", "ក".repeat(600));
        let e = expand(&text, Path::new("."), Path::new("."));
        assert_eq!(e.text, text);
        assert!(e.splices.is_empty() && e.problems.is_empty());
        assert!(tags(&text).is_empty());
    }

    #[test]
    fn hidden_rust_lines_are_left_out() {
        let code = "# fn main() {\n    let x = 1;\n#\n    ## not hidden\n#[derive(Debug)]\n# }\n";
        assert_eq!(
            shown_lines(code),
            "    let x = 1;\n    # not hidden\n#[derive(Debug)]\n"
        );
    }

    /// The text put in is a splice over the tag; a tag that fails is left out, and reported.
    #[test]
    fn a_tag_is_a_splice_and_a_failing_one_is_left_out() {
        let dir = book();
        let src = dir.path().join("src");
        let text = "A\n```\n{{#include code/file.rs:one}}\n```\n{{#include gone.rs}} \\{{#x}}\n";
        let e = expand(text, &src, dir.path());
        assert_eq!(e.text, "A\n```\nfn one() {}\n```\n {{#x}}\n");
        assert_eq!(
            e.splices,
            [
                Splice {
                    read: 6..17,
                    written: 6..35
                },
                Splice {
                    read: 22..22,
                    written: 40..60
                },
                Splice {
                    read: 23..23,
                    written: 61..62
                }
            ]
        );
        assert_eq!(e.problems.len(), 1);
        assert_eq!(&text[e.problems[0].written.clone()], "{{#include gone.rs}}");
        assert!(
            e.problems[0].message == "included file `gone.rs` does not exist",
            "{:?}",
            e.problems
        );
        let e = expand("{{#include code/file.rs:nope}}", &src, dir.path());
        assert_eq!(
            e.problems[0].message,
            "`code/file.rs:nope`: no `ANCHOR: nope` in the file"
        );
        let e = expand("{{#include ../../../etc/passwd}}", &src, dir.path());
        assert_eq!(
            e.problems[0].message,
            "included file `../../../etc/passwd` leads out of the book's folder"
        );
    }
}
