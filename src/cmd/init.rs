//! `bindery init DIR`: a new book skeleton.

use std::path::PathBuf;

use bindery::diag::Outcome;

use crate::Ui;

pub const ABOUT: &str = "Create a new book skeleton in DIR";

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Directory to create (must be empty or absent).
    dir: PathBuf,
}

pub fn run(args: &Args) -> u8 {
    match bindery::init::create(&args.dir) {
        Ok(files) => {
            for f in files {
                println!("created {}", f.display());
            }
            println!("next: cd {} && bindery build", args.dir.display());
            0
        }
        Err(d) => {
            let failed = [d];
            Ui::new(false).diagnostics(&failed);
            Outcome::of(&failed, false).exit_status()
        }
    }
}
