//! `bindery epub`: the EPUB 3 edition alone.

use bindery::pipeline::Edition;

use super::BookArgs;

pub const ABOUT: &str = "Build the EPUB 3 edition";

pub type Args = BookArgs;

pub fn run(args: &Args) -> u8 {
    super::build::editions(args, &[Edition::Epub])
}
