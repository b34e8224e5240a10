//! The EPUB 3 edition: model → XHTML → package. The only module that knows epub-builder.

use crate::diag::Diagnostic;
use crate::model::Book;

/// Settings that do not come from book.yaml.
#[derive(Debug, Clone, Default)]
pub struct EpubOptions {
    /// Seconds since the epoch for `dcterms:modified` (from `SOURCE_DATE_EPOCH`); `None` uses the
    /// book's date, or 2000-01-01, never the clock, so that builds are reproducible.
    pub source_date_epoch: Option<i64>,
}

/// Builds the EPUB file's bytes.
pub fn build(_book: &Book, _opts: &EpubOptions) -> Result<Vec<u8>, Vec<Diagnostic>> {
    Err(vec![Diagnostic::error(
        "E0902",
        "the EPUB writer is not written yet",
    )])
}
