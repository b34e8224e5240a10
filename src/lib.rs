//! bindery: a book compiler.
//!
//! ```text
//! book.yaml ─► config ─┐
//! manuscript/*.md ─► markdown ─► model::Book ─► check
//!                                   ├─► epub    (model → XHTML → package)
//!                                   └─► typeset (model → Document) ─► pdf (Document → bytes)
//! ```
//!
//! In code: [`load::load_book`] reads `book.yaml` and the manuscript into a [`model::Book`] (with
//! diagnostics); [`epub::build`] turns the book into EPUB bytes; `typeset::typeset` lays it out
//! into pages and `pdf::write_pdf` serialises them; [`output::write_atomic`] puts files in place.

// A `Diagnostic` is the error value of every fallible step; it is large (message, location,
// help) but built only on the cold path, so boxing it would buy nothing.
#![allow(clippy::result_large_err)]

pub mod assets;
pub mod check;
pub mod config;
pub mod diag;
pub mod epub;
pub mod html;
pub mod init;
pub mod load;
pub mod locale;
pub mod markdown;
pub mod model;
pub mod output;
pub mod paths;
pub mod pdf;
pub mod rawhtml;
pub mod typeset;
