//! The print typesetter: model + settings + fonts → [`frame::Document`]. Pure: it never writes files.

pub mod frame;
pub mod hyphenate;
pub mod linebreak;
