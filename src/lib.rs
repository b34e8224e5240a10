//! bindery: a book compiler.
//!
//! ```text
//! book.yaml ─► config ─┐
//! manuscript/*.md ─► markdown ─► model::Book ─► check
//!                                   ├─► epub    (model → XHTML → package)
//!                                   └─► typeset (model → Document + page map) ─► pdf (bytes)
//! ```
//!
//! In code, the whole pipeline ([`pipeline::Pipeline`]):
//!
//! ```no_run
//! # use bindery::{epub::EpubOptions, pipeline::Pipeline};
//! let mut book = Pipeline::load("my-book".as_ref());    // book.yaml, manuscript, diagnostics
//! let findings = book.check().to_vec();                  // every lint
//! let epub = book.epub(&EpubOptions::default());         // EPUB bytes
//! let pdf = book.typeset(None, 0).and_then(|t| book.pdf(t, None)); // PDF bytes
//! ```
//!
//! [`output::write_atomic`] then puts files in place.

// A `Diagnostic` is the error value of every fallible step; it is large (message, location,
// help) but built only on the cold path, so boxing it would buy nothing.
#![allow(clippy::result_large_err)]

pub mod assets;
pub mod check;
pub mod config;
pub mod diag;
pub mod epub;
pub mod fontdir;
pub mod front;
pub mod frontmatter;
pub mod html;
pub mod init;
pub mod isbn;
pub mod lang;
pub mod load;
pub mod locale;
pub mod markdown;
pub mod mdbook;
pub mod model;
pub mod numbering;
pub mod output;
pub mod paths;
pub mod pdf;
pub mod pipeline;
pub mod pod;
pub mod rawhtml;
pub mod source;
pub mod summary;
pub mod svg;
pub mod templates;
pub mod typeset;
pub mod typography;
