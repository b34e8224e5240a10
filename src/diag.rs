//! Diagnostics: what is wrong, where (`file:line:column`), and how to fix it.
//!
//! The library returns diagnostics and never prints; `main.rs` renders them with
//! [`render_human`], [`render_json`] or [`render_github`].

use crate::model::{SourceMap, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
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

impl Concerns {
    /// Whether a finding with this scope concerns `edition`.
    pub fn edition(self, edition: Edition) -> bool {
        matches!(
            (self, edition),
            (Concerns::Both, _) | (Concerns::Epub, Edition::Epub) | (Concerns::Pdf, Edition::Pdf)
        )
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
    /// Stable code, e.g. `E0300`; documented in the README.
    pub code: &'static str,
    pub message: String,
    pub location: Option<Location>,
    pub help: Option<String>,
    /// The editions this finding holds back.
    pub concerns: Concerns,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            help: None,
            concerns: Concerns::Both,
        }
    }
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            message: message.into(),
            location: None,
            help: None,
            concerns: Concerns::Both,
        }
    }
    /// Marks a finding that concerns only the print PDF.
    pub fn for_pdf(mut self) -> Self {
        self.concerns = Concerns::Pdf;
        self
    }
    /// Marks a finding that concerns only the EPUB.
    pub fn for_epub(mut self) -> Self {
        self.concerns = Concerns::Epub;
        self
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
        "code": d.code,
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
    };
    let mut props = Vec::new();
    if let Some(loc) = &d.location {
        props.push(format!("file={}", esc_prop(&loc.file)));
        if loc.line > 0 {
            props.push(format!("line={}", loc.line));
            props.push(format!("col={}", loc.column));
        }
    }
    props.push(format!("title={}", esc_prop(d.code)));
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
    use crate::model::{SourceFile, SourceMap};

    #[test]
    fn human_rendering_points_at_the_span() {
        let mut sm = SourceMap::default();
        let id = sm.add(SourceFile::new(
            "m/a.md".into(),
            "m/a.md".into(),
            "# T\n\nSee[^x] here\n".into(),
        ));
        let d = Diagnostic::error("E0300", "footnote `[^x]` is never defined")
            .at_span(&sm, Span::new(id, 8, 12))
            .with_help("define it");
        let text = render_human(&d, Color::Never);
        assert_eq!(
            text,
            "error[E0300]: footnote `[^x]` is never defined\n --> m/a.md:3:4\n  |\n3 | See[^x] here\n  |    ^^^^\n  |\n  = help: define it\n"
        );
    }

    #[test]
    fn suggestion_finds_close_key() {
        assert_eq!(suggest("postion", &["position", "name"]), Some("position"));
        assert_eq!(suggest("zzzzzz", &["position", "name"]), None);
    }
}
