//! `bindery check`: every finding about the book, written nowhere but the terminal: the lints
//! of both editions, and the typesetter's findings from typesetting the PDF edition in memory.

use std::path::PathBuf;

use clap::ValueEnum;

use bindery::diag;
use bindery::pipeline::Pipeline;

use super::DenyLevel;
use crate::Ui;

pub const ABOUT: &str = "Validate the manuscript and book.yaml without writing anything";

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The book's directory (holding book.yaml).
    #[arg(long, default_value = ".")]
    book: PathBuf,
    /// Output format of the findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Treat warnings as errors (`--deny warnings`).
    #[arg(long, value_name = "warnings")]
    deny: Option<DenyLevel>,
    /// A folder of fonts searched for characters bindery's faces and `pdf.fonts` lack, before
    /// the machine's font folders.
    #[arg(long, value_name = "DIR")]
    fonts: Option<PathBuf>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Human,
    Json,
    Github,
}


pub fn run(args: &Args) -> u8 {
    let mut pipeline = Pipeline::load(&args.book).with_font_dir(args.fonts.clone());
    pipeline.check();
    // The typesetter's findings (a table too wide, a word broken inside) need the book
    // typeset: `check` typesets the PDF edition, unless an error already stops it.
    pipeline.check_layout(None, 0);
    let diags = pipeline.diagnostics();
    match args.format {
        Format::Human => {
            let ui = Ui::new(false);
            ui.diagnostics(diags);
            let errors = diags.iter().filter(|d| d.is_error()).count();
            let warnings = diags.iter().filter(|d| d.is_fatal(true)).count() - errors;
            let notes = diags.len() - errors - warnings;
            let notes = match notes {
                0 => String::new(),
                n => format!(", {n} note(s)"),
            };
            if errors + warnings == 0 {
                ui.tell(&format!("check: no problems found{notes}"));
            } else {
                ui.tell(&format!(
                    "check: {errors} error(s), {warnings} warning(s){notes}"
                ));
            }
        }
        Format::Json => diags
            .iter()
            .for_each(|d| println!("{}", diag::render_json(d))),
        Format::Github => diags
            .iter()
            .for_each(|d| println!("{}", diag::render_github(d))),
    }
    pipeline.outcome(args.deny.is_some()).exit_status()
}
