//! The print typesetter: model + settings + fonts → [`frame::Document`]. Pure: it never writes files.

pub mod font;
pub mod frame;
pub mod vlist;
pub mod hyphenate;
pub mod linebreak;
