//! bindery: a book compiler.
//!
//! ```text
//! book.yaml ─► config ─┐
//! manuscript/*.md ─► markdown ─► model::Book ─► check
//!                                   ├─► epub    (model → XHTML → package)
//!                                   └─► typeset (model → Document) ─► pdf (Document → bytes)
//! ```

pub mod config;
pub mod diag;
pub mod model;
pub mod pdf;
pub mod typeset;
