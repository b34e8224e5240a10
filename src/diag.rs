//! Diagnostics: what is wrong, where (`file:line:column`), and how to fix it.
//!
//! The library returns diagnostics and never prints; `main.rs` renders them with
//! [`render_human`], [`render_json`] or [`render_github`].

use crate::source::{SourceMap, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    /// Something bindery did on purpose that the author may want to know (a draft left out);
    /// never fails a build, not even under `--deny warnings`.
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// The editions a finding concerns. An edition is held back only by findings that concern
/// it: a character no print font has never blocks the EPUB, a cover too small for the stores
/// never blocks the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Concerns {
    /// Both editions (the manuscript, `book.yaml`).
    #[default]
    Both,
    /// Only the EPUB.
    Epub,
    /// Only the print PDF.
    Pdf,
}

/// An edition bindery writes, as the commands name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edition {
    Epub,
    Pdf,
}

impl Edition {
    /// Every edition, in the order `build` makes them.
    pub const ALL: &'static [Edition] = &[Edition::Epub, Edition::Pdf];

    /// The file name extension of the edition.
    pub fn extension(self) -> &'static str {
        match self {
            Edition::Epub => "epub",
            Edition::Pdf => "pdf",
        }
    }

    /// The edition's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Edition::Epub => "EPUB",
            Edition::Pdf => "PDF",
        }
    }
}

impl Concerns {
    /// Whether a finding with this scope concerns `edition`.
    pub fn edition(self, edition: Edition) -> bool {
        matches!(
            (self, edition),
            (Concerns::Both, _) | (Concerns::Epub, Edition::Epub) | (Concerns::Pdf, Edition::Pdf)
        )
    }

    /// Whether a finding with this scope concerns any of `editions`.
    pub fn any(self, editions: &[Edition]) -> bool {
        editions.iter().any(|e| self.edition(*e))
    }
}

/// Declares the registry: one variant per code, with its severity, who must act on it, the
/// editions it concerns, and the one-line summary that heads its section in
/// `docs/diagnostics.md`.
macro_rules! codes {
    ($( $code:ident => $sev:ident, $blame:ident, $scope:ident, $summary:literal; )*) => {
        /// Every diagnostic code bindery emits. Each has one meaning, documented under its own
        /// heading in `docs/diagnostics.md` (a test keeps the two equal). Codes are never reused:
        /// a retired meaning leaves its number unused.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( #[doc = $summary] $code, )*
        }

        impl Code {
            /// The whole registry, in numeric order.
            pub const ALL: &'static [Code] = &[$(Code::$code),*];

            /// The stable code as printed, e.g. `"E0300"`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$code => stringify!($code),)* }
            }

            /// Whether a finding with this code is an error or a warning.
            pub fn severity(self) -> Severity {
                match self { $(Code::$code => Severity::$sev,)* }
            }

            /// Who has to act: the book's author, or whoever runs bindery.
            pub fn blame(self) -> Blame {
                match self { $(Code::$code => Blame::$blame,)* }
            }

            /// The editions a finding with this code concerns: the only place this is decided.
            /// `bindery epub` runs only the lints whose codes concern the EPUB, `bindery pdf`
            /// those that concern the PDF, and an edition is held back only by findings that
            /// concern it.
            pub fn concerns(self) -> Concerns {
                match self { $(Code::$code => Concerns::$scope,)* }
            }

            /// One line saying what the code means (the heading of its section in the docs).
            pub fn summary(self) -> &'static str {
                match self { $(Code::$code => $summary,)* }
            }
        }
    };
}

codes! {
    E0100 => Error, Book, Both, "book.yaml is not valid YAML";
    E0101 => Error, Book, Both, "a value has the wrong type or is out of range";
    E0102 => Error, Book, Both, "unknown key";
    E0103 => Error, Book, Both, "a required field is missing";
    E0104 => Error, Book, Both, "invalid language tag";
    E0105 => Error, Book, Both, "invalid identifier or ISBN";
    E0106 => Error, Book, Both, "invalid trim size";
    E0107 => Error, Book, Both, "invalid margin";
    W0108 => Warning, Book, Both, "no book.yaml: mdBook's book.toml is read";
    E0200 => Error, Book, Both, "a listed manuscript file is missing";
    W0201 => Warning, Book, Both, "a manuscript file is not listed";
    E0202 => Error, Book, Both, "a file is not UTF-8";
    W0203 => Warning, Book, Both, "an empty article";
    E0204 => Error, Book, Both, "no manuscript files";
    W0205 => Warning, Book, Both, "a pattern matches nothing";
    E0206 => Error, Book, Both, "a path leads out of the book";
    W0207 => Warning, Book, Both, "an article's front matter cannot be read";
    W0208 => Warning, Book, Both, "a front-matter date cannot be read";
    N0209 => Note, Book, Both, "a draft is left out of the book";
    W0210 => Warning, Book, Both, "Markdown files in a subfolder are not read";
    W0211 => Warning, Book, Both, "an MDX file is not read";
    W0212 => Warning, Book, Both, "an entry of SUMMARY.md is not a chapter";
    W0213 => Warning, Book, Both, "an mdBook include cannot be read";
    W0300 => Warning, Book, Both, "a reference to an undefined footnote";
    W0301 => Warning, Book, Both, "a footnote is never referenced";
    W0302 => Warning, Book, Both, "a footnote label is defined twice";
    W0303 => Warning, Book, Both, "an empty footnote";
    W0400 => Warning, Book, Both, "a link to a place that does not exist";
    W0401 => Warning, Book, Both, "two headings have the same id";
    W0402 => Warning, Book, Both, "a skipped heading level";
    W0403 => Warning, Book, Both, "an article has no heading";
    W0404 => Warning, Book, Both, "a heading has no text";
    W0405 => Warning, Book, Both, "a cross-reference to an unknown label";
    W0406 => Warning, Book, Both, "a label is defined twice";
    W0407 => Warning, Book, Both, "a label is never referred to";
    E0500 => Error, Book, Both, "an image file is missing";
    E0501 => Error, Book, Both, "an image does not decode";
    W0502 => Warning, Book, Pdf, "an image is below 300 dpi in print";
    E0503 => Error, Book, Both, "the cover file is missing";
    E0504 => Error, Book, Both, "the cover does not decode";
    W0505 => Warning, Book, Epub, "the cover is small";
    W0506 => Warning, Book, Both, "no cover";
    W0507 => Warning, Book, Both, "a remote image";
    W0508 => Warning, Book, Both, "an image without alt text";
    E0509 => Error, Book, Both, "an image is too large to decode";
    W0510 => Warning, Book, Both, "an image is converted to PNG";
    W0600 => Warning, Book, Pdf, "a character no print font can render";
    E0601 => Error, Book, Pdf, "a font file cannot be read";
    E0602 => Error, Book, Pdf, "a font file is not a usable font";
    W0603 => Warning, Book, Pdf, "a print font was taken from this machine's fonts";
    E0604 => Error, Book, Epub, "a font file for the EPUB cannot be read";
    W0701 => Warning, Book, Both, "HTML that will be stripped";
    W0702 => Warning, Book, Both, "a blog engine's template tag is dropped";
    W0800 => Warning, Book, Both, "straight quotes left in the text";
    W0801 => Warning, Book, Both, "`--` left in the text";
    W0802 => Warning, Book, Both, "a space before a footnote mark";
    W0803 => Warning, Book, Pdf, "a language with no hyphenation patterns";
    W0804 => Warning, Book, Both, "no words in the book's language";
    E0900 => Error, Environment, Both, "a file cannot be read or written";
    E0901 => Error, Book, Pdf, "the PDF library refused the document";
    E0902 => Error, Book, Pdf, "the laid-out document breaks the typesetter's contract";
    E0903 => Error, Book, Both, "`SOURCE_DATE_EPOCH` is not a usable number of seconds";
    E0904 => Error, Book, Epub, "the EPUB package cannot be assembled";
    E0905 => Error, Book, Pdf, "a typesetting thread failed";
    W0906 => Warning, Book, Pdf, "a table is too wide for the text block";
    W0907 => Warning, Book, Pdf, "a word wider than the line is broken inside";
    W0908 => Warning, Book, Pdf, "notes or figures outgrow their pages; page breaking was bounded";
    E1000 => Error, Environment, Pdf, "a PDF given to `preflight` cannot be read";
    E1001 => Error, Book, Pdf, "the page count is outside the print service's range";
    E1002 => Error, Book, Pdf, "the trim size is not one the print service offers";
    E1003 => Error, Book, Pdf, "a margin is below the print service's minimum";
    E1004 => Error, Book, Pdf, "the inside margin is below the minimum for the page count";
    E1005 => Error, Book, Pdf, "a font is not embedded";
    E1006 => Error, Book, Pdf, "an image is below 300 dpi at its placed size";
    E1007 => Error, Book, Pdf, "text outside the trim";
    E1008 => Error, Book, Pdf, "artwork touches the trim, but the file has no bleed";
    E1009 => Error, Book, Pdf, "more blank pages in a row than the service allows";
    W1010 => Warning, Book, Pdf, "the cover image prints below 300 dpi";
    E1011 => Error, Book, Pdf, "the cover cannot be laid out";
    E1012 => Error, Book, Pdf, "bookmarks or annotations in a KDP interior";
    E1013 => Error, Book, Pdf, "RGB in a black-and-white interior";
    E1014 => Error, Book, Pdf, "the cover's size does not match the interior";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// So that tests can say `assert_eq!(d.code, "E0300")`.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Who must act on a finding; it decides the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blame {
    /// The manuscript, `book.yaml` or bindery itself is at fault (exit status 1).
    Book,
    /// bindery could not read or write where it was told to (exit status 2).
    Environment,
}

/// How a run ends, as the process exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to fix (warnings may have been reported): exit status 0.
    Success,
    /// The book has errors (or warnings under `--deny warnings`): exit status 1.
    BookErrors,
    /// Usage or I/O failure: exit status 2.
    Failure,
}

impl Outcome {
    /// The outcome of a run that reported `diags`; with `deny_warnings`, a warning fails it too.
    pub fn of(diags: &[Diagnostic], deny_warnings: bool) -> Outcome {
        if diags.iter().any(|d| d.code.blame() == Blame::Environment) {
            Outcome::Failure
        } else if diags.iter().any(|d| d.is_fatal(deny_warnings)) {
            Outcome::BookErrors
        } else {
            Outcome::Success
        }
    }

    /// The process exit status.
    pub fn exit_status(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::BookErrors => 1,
            Outcome::Failure => 2,
        }
    }
}

/// A resolved source position, ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Path relative to the book root, `/`-separated.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The whole source line, for the excerpt (empty when unknown).
    pub source_line: String,
    /// Width of the caret underline, in characters (at least 1).
    pub width: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code from the registry; its severity is `code.severity()`.
    pub code: Code,
    pub message: String,
    pub location: Option<Location>,
    pub help: Option<String>,
    /// The editions this finding holds back: always `code.concerns()` (the registry decides).
    pub concerns: Concerns,
}

impl Diagnostic {
    /// A finding with the registry's severity for `code`.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.severity(),
            code,
            message: message.into(),
            location: None,
            help: None,
            concerns: code.concerns(),
        }
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }
    /// Points the diagnostic at a byte span of a loaded source file. The caret covers the span's
    /// first line.
    pub fn at_span(self, sources: &SourceMap, span: Span) -> Self {
        let loc = span_location(sources, span);
        self.at(loc)
    }
    /// Points at a file as a whole (no line known).
    pub fn in_file(self, file: impl Into<String>) -> Self {
        self.at(Location {
            file: file.into(),
            line: 0,
            column: 0,
            source_line: String::new(),
            width: 0,
        })
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
    /// Whether this finding holds back what it concerns: an error always, a warning under
    /// `--deny warnings`, a note never.
    pub fn is_fatal(&self, deny_warnings: bool) -> bool {
        match self.severity {
            Severity::Error => true,
            Severity::Warning => deny_warnings,
            Severity::Note => false,
        }
    }
}

/// Resolves a span into a printable location.
pub fn span_location(sources: &SourceMap, span: Span) -> Location {
    let file = sources.get(span.file);
    let (line, column) = file.line_col(span.start);
    let source_line = file.line_text(line).to_string();
    let (end_line, end_col) = file.line_col(span.end.max(span.start));
    let width = if end_line == line {
        end_col.saturating_sub(column).max(1)
    } else {
        source_line
            .chars()
            .count()
            .saturating_sub(column - 1)
            .max(1)
    };
    Location {
        file: file.path.clone(),
        line,
        column,
        source_line,
        width,
    }
}

/// Sorts diagnostics by file, line and column (file-wide ones first in their file), then by
/// code, so that output is deterministic and reads top to bottom.
pub fn sort_diagnostics(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            let (file, line, column) = d
                .location
                .as_ref()
                .map(|l| (l.file.clone(), l.line, l.column))
                .unwrap_or_default();
            (file, line, column, d.code)
        };
        key(a).cmp(&key(b))
    });
}

/// Colours for the human format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Never,
    Always,
}

/// Renders one diagnostic the way rustc does:
///
/// ```text
/// error[E0300]: footnote `[^missing]` is never defined
///   --> manuscript/01-article.md:12:40
///    |
/// 12 | The treaty was signed.[^missing]
///    |                       ^^^^^^^^^^
///    |
///    = help: add a definition `[^missing]: ...` or remove the reference
/// ```
pub fn render_human(d: &Diagnostic, color: Color) -> String {
    let paint = |code: &str, s: &str| -> String {
        if color == Color::Always {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let sev_color = match d.severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Note => "1;36",
    };
    let mut out = String::new();
    out.push_str(&paint(
        sev_color,
        &format!("{}[{}]", d.severity.as_str(), d.code),
    ));
    out.push_str(&paint("1", &format!(": {}", d.message)));
    out.push('\n');
    let blue = |s: &str| paint("1;34", s);
    let mut gutter = 1;
    if let Some(loc) = &d.location {
        if loc.line == 0 {
            out.push_str(&format!("{} {}\n", blue(" -->"), loc.file));
        } else {
            let num = loc.line.to_string();
            gutter = num.len();
            let pad = " ".repeat(gutter);
            out.push_str(&format!(
                "{pad}{} {}:{}:{}\n",
                blue("-->"),
                loc.file,
                loc.line,
                loc.column
            ));
            out.push_str(&format!("{pad} {}\n", blue("|")));
            out.push_str(&format!(
                "{} {} {}\n",
                blue(&num),
                blue("|"),
                loc.source_line
            ));
            let lead: String = loc
                .source_line
                .chars()
                .take(loc.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let carets = "^".repeat(loc.width.max(1));
            out.push_str(&format!(
                "{pad} {} {lead}{}\n",
                blue("|"),
                paint(sev_color, &carets)
            ));
        }
    }
    if let Some(help) = &d.help {
        let pad = " ".repeat(gutter);
        if d.location.as_ref().is_some_and(|l| l.line > 0) {
            out.push_str(&format!("{pad} {}\n", blue("|")));
        }
        out.push_str(&format!(
            "{pad} {} {}: {}\n",
            blue("="),
            paint("1", "help"),
            help
        ));
    }
    out
}

/// One JSON object per line, with severity, code, message, file, line, column and help. `file`
/// is relative to the book; `line` and `column` are 1-based, or null for a finding about a
/// whole file; `file` is null for one about no file (an I/O failure).
pub fn render_json(d: &Diagnostic) -> String {
    let loc = d.location.as_ref();
    // A finding about a whole file has no line: `line` and `column` are null, not 0.
    let line = loc.filter(|l| l.line > 0);
    let value = serde_json::json!({
        "severity": d.severity.as_str(),
        "code": d.code.as_str(),
        "message": d.message,
        "file": loc.map(|l| l.file.clone()),
        "line": line.map(|l| l.line),
        "column": line.map(|l| l.column),
        "help": d.help,
    });
    value.to_string()
}

/// A GitHub Actions workflow command: `::error file=…,line=…,col=…,title=…::message`.
pub fn render_github(d: &Diagnostic) -> String {
    fn esc_data(s: &str) -> String {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn esc_prop(s: &str) -> String {
        esc_data(s).replace(':', "%3A").replace(',', "%2C")
    }
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut props = Vec::new();
    if let Some(loc) = &d.location {
        props.push(format!("file={}", esc_prop(&loc.file)));
        if loc.line > 0 {
            props.push(format!("line={}", loc.line));
            props.push(format!("col={}", loc.column));
        }
    }
    props.push(format!("title={}", esc_prop(d.code.as_str())));
    let mut msg = d.message.clone();
    if let Some(help) = &d.help {
        msg.push_str("\nhelp: ");
        msg.push_str(help);
    }
    format!("::{kind} {}::{}", props.join(","), esc_data(&msg))
}

/// Edit distance, for "did you mean" suggestions.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate within a small edit distance, for a "did you mean" help line.
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, SourceMap};

    #[test]
    fn human_rendering_points_at_the_span() {
        let mut sm = SourceMap::default();
        let id = sm.add(SourceFile::new(
            "m/a.md".into(),
            "m/a.md".into(),
            "# T\n\nSee[^x] here\n".into(),
        ));
        let d = Diagnostic::new(Code::E0500, "footnote `[^x]` is never defined")
            .at_span(&sm, Span::new(id, 8, 12))
            .with_help("define it");
        let text = render_human(&d, Color::Never);
        assert_eq!(
            text,
            "error[E0500]: footnote `[^x]` is never defined\n --> m/a.md:3:4\n  |\n3 | See[^x] here\n  |    ^^^^\n  |\n  = help: define it\n"
        );
    }

    /// `docs/diagnostics.md` has one section per registry code, headed `### CODE: summary` with
    /// the registry's summary, and mentions no code outside the registry.
    #[test]
    fn the_docs_document_exactly_the_registry() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md");
        let docs = std::fs::read_to_string(path).expect("docs/diagnostics.md");
        let is_code = |w: &str| {
            w.len() == 5
                && (w.starts_with('E') || w.starts_with('W') || w.starts_with('N'))
                && w[1..].bytes().all(|b| b.is_ascii_digit())
        };
        let mut headed = Vec::new();
        for line in docs.lines() {
            if let Some((code, summary)) =
                line.strip_prefix("### ").and_then(|h| h.split_once(": "))
            {
                if is_code(code) {
                    headed.push((code.to_string(), summary.to_string()));
                }
            }
        }
        let registry: Vec<(String, String)> = Code::ALL
            .iter()
            .map(|c| (c.as_str().to_string(), c.summary().to_string()))
            .collect();
        assert_eq!(
            headed, registry,
            "docs/diagnostics.md headings against the registry"
        );
        let mentioned = docs
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| is_code(w));
        for word in mentioned {
            assert!(
                Code::ALL.iter().any(|c| *c == word),
                "docs/diagnostics.md mentions {word}, which is not in the registry"
            );
        }
    }

    /// The editions table of `docs/diagnostics.md` lists exactly the codes the registry scopes
    /// to one edition.
    #[test]
    fn the_docs_say_which_edition_each_code_concerns() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md");
        let docs = std::fs::read_to_string(path).expect("docs/diagnostics.md");
        let listed = |row: &str| -> Vec<String> {
            let line = docs
                .lines()
                .find(|l| l.starts_with(row))
                .unwrap_or_else(|| panic!("no row `{row}`"));
            let mut codes = Vec::new();
            for word in line.split([',', '|', ' ']) {
                // A range such as `E1000–E1014` stands for every registry code in it.
                if let Some((from, to)) = word.split_once('–') {
                    codes.extend(
                        Code::ALL
                            .iter()
                            .map(|c| c.as_str())
                            .filter(|c| *c >= from && *c <= to)
                            .map(String::from),
                    );
                } else if Code::ALL.iter().any(|c| *c == word) {
                    codes.push(word.to_string());
                }
            }
            codes.sort();
            codes
        };
        let scoped = |scope: Concerns| -> Vec<String> {
            Code::ALL
                .iter()
                .filter(|c| c.concerns() == scope)
                .map(|c| c.as_str().to_string())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
        };
        assert_eq!(listed("| the EPUB only |"), scoped(Concerns::Epub));
        assert_eq!(listed("| the PDF only |"), scoped(Concerns::Pdf));
        // A finding always concerns what its code does.
        assert_eq!(Diagnostic::new(Code::W0600, "x").concerns, Concerns::Pdf);
        assert_eq!(Diagnostic::new(Code::W0505, "x").concerns, Concerns::Epub);
        assert_eq!(Diagnostic::new(Code::W0300, "x").concerns, Concerns::Both);
    }

    /// E codes are errors and W codes warnings; the registry is in numeric order, once each.
    #[test]
    fn the_registry_is_consistent() {
        for code in Code::ALL {
            let expected = match code.as_str().as_bytes()[0] {
                b'E' => Severity::Error,
                b'N' => Severity::Note,
                _ => Severity::Warning,
            };
            assert_eq!(code.severity(), expected, "{code}");
            assert!(!code.summary().is_empty(), "{code}");
        }
        for pair in Code::ALL.windows(2) {
            assert!(
                pair[0].as_str()[1..] < pair[1].as_str()[1..],
                "{} then {}",
                pair[0],
                pair[1]
            );
        }
    }

    #[test]
    fn the_exit_status_follows_from_the_diagnostics() {
        let warning = Diagnostic::new(Code::W0506, "no cover");
        let error = Diagnostic::new(Code::E0500, "missing image");
        let io = Diagnostic::new(Code::E0900, "cannot read");
        assert_eq!(Outcome::of(&[], false).exit_status(), 0);
        assert_eq!(
            Outcome::of(std::slice::from_ref(&warning), false).exit_status(),
            0
        );
        assert_eq!(
            Outcome::of(std::slice::from_ref(&warning), true).exit_status(),
            1
        );
        assert_eq!(
            Outcome::of(&[warning.clone(), error.clone()], false).exit_status(),
            1
        );
        assert_eq!(Outcome::of(&[error, io, warning], false).exit_status(), 2);
    }

    #[test]
    fn suggestion_finds_close_key() {
        assert_eq!(suggest("postion", &["position", "name"]), Some("position"));
        assert_eq!(suggest("zzzzzz", &["position", "name"]), None);
    }
}
