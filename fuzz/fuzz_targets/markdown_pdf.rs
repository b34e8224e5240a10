//! Markdown → typeset `Document` → PDF bytes: any article that loads is laid out and written
//! (krilla validates PDF/UA-1 and PDF/A-2 as it writes), and lopdf reads the bytes back with
//! every page there. `fuzz/check-pdfs.sh` runs qpdf on the PDFs of the saved corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some(pipeline) = common::load(data) else {
        return;
    };
    let typeset = pipeline.typeset(None, 1).expect("the book lays out");
    let pages = typeset.document.pages.len();
    let bytes = pipeline
        .pdf(&typeset, Some(0))
        .expect("the laid-out book is written");
    let pdf = lopdf::Document::load_mem(&bytes).expect("the PDF reads back");
    assert_eq!(pdf.get_pages().len(), pages, "every page is in the PDF");
});
