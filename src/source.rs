//! Source files and positions: [`Span`]s into loaded files and the [`SourceMap`] that resolves
//! them to lines and columns. It depends on nothing else in the crate, so `config`, `diag`,
//! `markdown` and `model` can all use it without a cycle.

use std::path::PathBuf;

/// Index of a source file in [`SourceMap::files`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub file: FileId,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span { file, start, end }
    }
}

/// One loaded source file (a manuscript article or `book.yaml`).
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the book root, with `/` separators, as shown in diagnostics.
    pub path: String,
    /// Absolute (or root-joined) path on disk.
    pub disk_path: PathBuf,
    pub text: String,
    /// Byte offsets at which each line starts; `line_starts[0] == 0`.
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: String, disk_path: PathBuf, text: String) -> Self {
        let line_starts = line_starts(&text);
        SourceFile {
            path,
            disk_path,
            text,
            line_starts,
        }
    }

    /// 1-based line and 1-based column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self.text[start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count()
            + 1;
        (line + 1, col)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// Byte offsets at which each line of `text` starts. A line ends at `\n`, `\r\n` or a lone
/// `\r`, as CommonMark and YAML both count lines, so that a position their parsers report is
/// the line an editor shows.
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        let ends = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if ends {
            starts.push(i + 1);
        }
    }
    starts
}

/// The 1-based `line` of `text`, without its line ending, counted as [`line_starts`] counts.
pub fn nth_line(text: &str, line: usize) -> &str {
    let starts = line_starts(text);
    let Some(&start) = starts.get(line.saturating_sub(1)) else {
        return "";
    };
    let end = starts.get(line).copied().unwrap_or(text.len());
    text[start..end].trim_end_matches(['\n', '\r'])
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// All source files of a book, indexed by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    pub files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The text of `span` as written ("" when it is out of range).
    pub fn text(&self, span: Span) -> &str {
        self.files
            .get(span.file.0 as usize)
            .and_then(|f| f.text.get(span.start..span.end))
            .unwrap_or("")
    }

    /// Where `needle`, a piece of the text read from `within`, was written: its occurrence in
    /// `within`'s source nearest to byte `near` of the text read. `within` itself when the
    /// source does not hold it literally (it was written with an entity or an escape, or
    /// changed by smart punctuation).
    pub fn find_within(&self, within: Span, needle: &str, near: usize) -> Span {
        let raw = self.text(within);
        if needle.is_empty() {
            return within;
        }
        raw.match_indices(needle)
            .map(|(i, _)| i)
            .min_by_key(|&i| i.abs_diff(near))
            .map_or(within, |i| {
                Span::new(
                    within.file,
                    within.start + i,
                    within.start + i + needle.len(),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_piece_of_text_is_found_where_it_was_written() {
        let mut map = SourceMap::default();
        let id = map.add(SourceFile::new(
            "x".into(),
            "x".into(),
            "# T\n\nab ab, &amp; ab\n".into(),
        ));
        let within = Span::new(id, 5, 20);
        // The occurrence nearest the offset in the text read ("ab ab, & ab": the third is at 9).
        assert_eq!(map.find_within(within, "ab", 9), Span::new(id, 18, 20));
        assert_eq!(map.find_within(within, "ab", 0), Span::new(id, 5, 7));
        // Written as an entity: the whole text.
        assert_eq!(map.find_within(within, "&,", 0), within);
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "a\r\nb\rc\nd";
        assert_eq!(line_starts(text), [0, 3, 5, 7]);
        assert_eq!(nth_line(text, 2), "b");
        assert_eq!(nth_line(text, 3), "c");
        let file = SourceFile::new("x".into(), "x".into(), text.into());
        assert_eq!(file.line_col(5), (3, 1));
        assert_eq!(file.line_text(1), "a");
    }

    /// Found by the `book_yaml` fuzzer: YAML counts a lone `\r` as a line end and bindery did
    /// not, so a diagnostic in a file with old Mac line ends pointed past its last line and
    /// showed no source line.
    #[test]
    fn a_book_yaml_error_after_lone_carriage_returns_shows_its_line() {
        let text = "# a comment\r\r\rtitle: T\rlanguage: en\rtrim: 5x8\r  margins: 1in\r";
        let errors = crate::config::parse("book.yaml", text).expect_err("an error");
        for d in &errors {
            let at = d.location.as_ref().expect("located");
            assert!(at.line <= line_starts(text).len(), "{d:?}");
            assert!(!at.source_line.is_empty(), "{d:?}");
        }
    }
}
