//! What the Markdown targets share: one book folder per process, its article rewritten for
//! each input.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use bindery::pipeline::Pipeline;

/// The book folder: `book.yaml` and two articles, the second being the input.
pub fn book() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder").keep();
        std::fs::create_dir_all(dir.join("manuscript")).expect("the manuscript folder");
        std::fs::write(
            dir.join("book.yaml"),
            "title: Fuzz\nauthors: [A]\nlanguage: en\nchapters: { byline: true }\n",
        )
        .expect("book.yaml");
        std::fs::write(dir.join("manuscript/01-a.md"), "# One\n\nText [^n].\n\n[^n]: A note.\n")
            .expect("the first article");
        dir
    })
}

/// Loads the book with `markdown` as its second article; `None` when the input is not text
/// or the book has an error (a missing image: what cannot be repaired may stop a book).
pub fn load(markdown: &[u8]) -> Option<Pipeline> {
    let text = std::str::from_utf8(markdown).ok()?;
    std::fs::write(book().join("manuscript/02-b.md"), text).expect("the article");
    let mut pipeline = Pipeline::load(book());
    pipeline.check();
    (!pipeline.has_errors()).then_some(pipeline)
}
