//! Manuscript lints over the model (`bindery check`, and the start of every build).

use crate::diag::Diagnostic;
use crate::model::Book;

/// Runs every lint that needs the whole book. Diagnostics found while loading (YAML, files,
/// footnotes, links) come from [`crate::load`]; these come on top.
pub fn check(book: &Book) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if book.config.cover.is_none() {
        out.push(
            Diagnostic::warning("W0506", "the book has no cover image")
                .in_file("book.yaml")
                .with_help("add `cover: covers/cover.png` to book.yaml (1600×2560 px or larger)"),
        );
    }
    out
}
