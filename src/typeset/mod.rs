//! The print typesetter: model + settings + fonts → [`frame::Document`]. Pure: it never writes files.

pub mod blocks;
pub mod flow;
pub mod font;
pub mod frame;
pub mod hyphenate;
pub mod linebreak;
pub mod page;
pub mod paragraph;
pub mod shape;
pub mod vlist;
