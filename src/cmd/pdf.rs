//! `bindery pdf`: the print PDF edition alone.

use bindery::pipeline::Edition;

use super::BookArgs;

pub const ABOUT: &str = "Build the print PDF edition";

pub type Args = BookArgs;

pub fn run(args: &Args) -> u8 {
    super::build::editions(args, &[Edition::Pdf])
}
