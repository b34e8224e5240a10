//! `bindery init DIR`: writes a skeleton book that builds as it is.

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};

const BOOK_YAML: &str = "\
# The smallest book.yaml has three keys: title, authors and language.
# See bindery's README for every key (cover, manuscript order, pdf settings, ...).
title: My Book
authors: [Your Name]
language: en
";

const SAMPLE: &str = "\
# The First Article

Write your article here in Markdown. The first level-1 heading is the article's title,
and level-2 headings become sections in the table of contents.

## A Section

Footnotes are written like this.[^first] The note can be defined anywhere in the file.

[^first]: This is the note's text. It appears at the foot of the page in print, and as a
    pop-up note in the EPUB.
";

/// Creates `dir` with `book.yaml` and `manuscript/01-first-article.md`. Refuses to overwrite.
pub fn create(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let io = |e: std::io::Error, p: &Path| {
        Diagnostic::new(Code::E0900, format!("cannot write {}: {e}", p.display()))
    };
    if dir.join("book.yaml").exists() {
        return Err(Diagnostic::new(
            Code::E0900,
            format!("{} already holds a book.yaml", dir.display()),
        )
        .with_help("choose a new directory; init never overwrites a book"));
    }
    let files = [
        (dir.join("book.yaml"), BOOK_YAML),
        (dir.join("manuscript/01-first-article.md"), SAMPLE),
    ];
    for (path, text) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(e, parent))?;
        }
        crate::output::write_atomic(path, text.as_bytes())?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}
