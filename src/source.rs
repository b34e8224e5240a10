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
    /// The text read, which [`Span`]s index: the file as written, or with text put in for
    /// tags ([`SourceFile::spliced`]).
    pub text: String,
    /// The file as written, where the text read differs from it.
    written: Option<Written>,
    /// Byte offsets at which each line of the file as written starts; `line_starts[0] == 0`.
    line_starts: Vec<usize>,
}

/// A file as written, and where its text read differs from it.
#[derive(Debug, Clone)]
struct Written {
    text: String,
    /// In order, not overlapping.
    splices: Vec<Splice>,
}

/// A piece of the text read that stands for a different piece of the file as written: the text
/// an mdBook `{{#include …}}` names, put in for the tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splice {
    /// Its bytes in the text read.
    pub read: std::ops::Range<usize>,
    /// The bytes it stands for in the file as written.
    pub written: std::ops::Range<usize>,
}

impl SourceFile {
    pub fn new(path: String, disk_path: PathBuf, text: String) -> Self {
        let line_starts = line_starts(&text);
        SourceFile {
            path,
            disk_path,
            text,
            written: None,
            line_starts,
        }
    }

    /// A file whose text read (`read`) differs from the file as written (`written`) by
    /// `splices` (in order). Lines and columns are the written file's: a position inside a
    /// splice is its written text's start (the tag's), one after it moves with it.
    pub fn spliced(
        path: String,
        disk_path: PathBuf,
        written: String,
        read: String,
        splices: Vec<Splice>,
    ) -> Self {
        let mut file = SourceFile::new(path, disk_path, written);
        let written = std::mem::replace(&mut file.text, read);
        if !splices.is_empty() {
            file.written = Some(Written {
                text: written,
                splices,
            });
        } else {
            file.text = written;
        }
        file
    }

    /// The file as written (the text read, unless [`SourceFile::spliced`]).
    pub fn written(&self) -> &str {
        self.written.as_ref().map_or(&self.text, |w| &w.text)
    }

    /// Where byte `offset` of the text read is in the file as written.
    fn written_offset(&self, offset: usize) -> usize {
        let Some(w) = &self.written else {
            return offset;
        };
        let before = w.splices.partition_point(|s| s.read.start <= offset);
        match before.checked_sub(1).map(|i| &w.splices[i]) {
            None => offset,
            Some(s) if offset < s.read.end => s.written.start,
            Some(s) => offset - s.read.end + s.written.end,
        }
    }

    /// 1-based line and 1-based column (in characters), in the file as written, of a byte
    /// offset of the text read.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.written_line_col(self.written_offset(offset))
    }

    /// 1-based line and 1-based column (in characters) of a byte offset of the file as
    /// written.
    pub fn written_line_col(&self, offset: usize) -> (usize, usize) {
        let text = self.written();
        let offset = offset.min(text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = text[start..floor_char_boundary(text, offset)]
            .chars()
            .count()
            + 1;
        (line + 1, col)
    }

    /// The text of a 1-based line of the file as written, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let text = self.written();
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self.line_starts.get(line).copied().unwrap_or(text.len());
        text[start..end].trim_end_matches(['\n', '\r'])
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

    /// A position in text put in for a tag is the tag's; one after it moves back by what was
    /// put in, so lines and columns are the file's as written.
    #[test]
    fn a_position_in_spliced_text_is_where_the_tag_is_written() {
        let written = "a {{#include x}} b\nc\n".to_string();
        // The tag (bytes 2..16) is read as "L1\nL2" (bytes 2..7).
        let read = "a L1\nL2 b\nc\n".to_string();
        let file = SourceFile::spliced(
            "f.md".into(),
            "f.md".into(),
            written,
            read,
            vec![Splice {
                read: 2..7,
                written: 2..16,
            }],
        );
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(2), (1, 3));
        assert_eq!(file.line_col(6), (1, 3), "inside the put-in text: the tag");
        assert_eq!(file.line_col(8), (1, 18), "`b`, after the tag");
        assert_eq!(file.line_col(10), (2, 1), "`c`");
        assert_eq!(file.line_text(1), "a {{#include x}} b");
        assert_eq!(file.written(), "a {{#include x}} b\nc\n");
        assert_eq!(&file.text[8..9], "b");
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
