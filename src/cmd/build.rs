//! `bindery build`: every edition. Also the shared path of `epub` and `pdf`: load and check
//! the book, make each edition in memory, and write them only when all succeeded.

use std::time::Instant;

use bindery::diag::{Diagnostic, Outcome};
use bindery::epub::EpubOptions;
use bindery::pdf::PdfTarget;
use bindery::pipeline::{Edition, Pipeline};

use super::BookArgs;
use crate::Ui;

pub const ABOUT: &str = "Build every edition (EPUB and PDF)";

pub type Args = BookArgs;

pub fn run(args: &Args) -> u8 {
    editions(args, &[Edition::Epub, Edition::Pdf])
}

/// Builds `wanted` from the book of `args`; returns the exit status.
pub fn editions(args: &BookArgs, wanted: &[Edition]) -> u8 {
    let started = Instant::now();
    let ui = Ui::new(args.quiet);
    ui.say(&format!(
        "   Checking {}",
        args.book.join("book.yaml").display()
    ));
    let mut pipeline = Pipeline::load(&args.book).with_font_dir(args.fonts.clone());
    // Only the lints that concern the wanted editions run: the EPUB alone loads no print font.
    pipeline.check_for(wanted);
    // Each edition hears only the findings that concern it, and is held back only by them.
    let mut heard = pipeline.diagnostics_for(wanted);
    ui.diagnostics(&heard);
    let deny = args.deny.is_some();
    let blocked = |heard: &[Diagnostic], e: Edition| {
        heard
            .iter()
            .any(|d| d.concerns.edition(e) && d.is_fatal(deny))
    };
    // A malformed `SOURCE_DATE_EPOCH` stops the build before any work, when there is any.
    let any_left = wanted.iter().any(|e| !blocked(&heard, *e));
    let epoch = match source_date_epoch() {
        Ok(epoch) => epoch,
        Err(diags) if any_left && pipeline.book().is_some() => {
            ui.diagnostics(&diags);
            ui.tell("error: nothing was written");
            return stopped(&diags);
        }
        Err(_) => None,
    };
    // The book is typeset once, first (with the progress bar), when the PDF is wanted: the
    // typesetter's findings (a table too wide, a word broken inside) can hold the PDF back,
    // and the EPUB's print page map comes from the same typesetting the PDF is written from.
    if wanted.contains(&Edition::Pdf) && !blocked(&heard, Edition::Pdf) {
        ui.say("  Typesetting PDF");
        let found = ui.with_progress(|progress| pipeline.check_layout(progress, 0));
        ui.diagnostics(&found);
        heard.extend(found);
    }
    let held_back: Vec<Edition> = wanted
        .iter()
        .copied()
        .filter(|e| blocked(&heard, *e))
        .collect();
    let wanted: Vec<Edition> = wanted
        .iter()
        .copied()
        .filter(|e| !blocked(&heard, *e))
        .collect();
    let failed = if held_back.is_empty() {
        None
    } else {
        let errors = heard.iter().filter(|d| d.is_error()).count();
        let why = if errors > 0 {
            format!("{errors} error(s)")
        } else {
            format!(
                "{} warning(s) under `--deny warnings`",
                heard.iter().filter(|d| d.is_fatal(true)).count()
            )
        };
        if wanted.is_empty() {
            ui.tell(&format!("error: {why} found; nothing was written"));
        } else {
            let names: Vec<&str> = held_back.iter().map(|e| e.name()).collect();
            ui.tell(&format!(
                "error: {why} found; the {} was not written",
                names.join(" and the ")
            ));
        }
        Some(match Outcome::of(&heard, deny) {
            Outcome::Success => Outcome::BookErrors.exit_status(),
            outcome => outcome.exit_status(),
        })
    };
    if wanted.is_empty() || pipeline.book().is_none() {
        return failed.unwrap_or_else(|| stopped(pipeline.diagnostics()));
    }
    // Every edition is made in memory first, so that nothing is written when one fails. The
    // PDF comes last: it uses the kept typesetting up.
    let mut outputs = Vec::new();
    for &edition in &wanted {
        let made = match edition {
            Edition::Epub => {
                ui.say("  Compiling EPUB 3");
                pipeline.epub(&EpubOptions {
                    source_date_epoch: epoch,
                })
            }
            Edition::Pdf => pipeline.pdf_from_kept(epoch, PdfTarget::Reading),
        };
        let path = pipeline.output_path(&args.out, edition);
        match (made, path) {
            (Ok(bytes), Some(path)) => outputs.push((path, bytes)),
            (Err(diags), _) => {
                ui.diagnostics(&diags);
                ui.tell("error: nothing was written");
                return stopped(&diags);
            }
            (Ok(_), None) => return stopped(pipeline.diagnostics()),
        }
    }
    let mut summary = Vec::new();
    for (path, bytes) in &outputs {
        if let Err(d) = bindery::output::write_atomic(path, bytes) {
            let failed = [d];
            ui.diagnostics(&failed);
            return Outcome::of(&failed, false).exit_status();
        }
        summary.push(format!("{} ({})", path.display(), human_size(bytes.len())));
    }
    ui.say(&format!(
        "   Finished {} in {:.2}s",
        summary.join(", "),
        started.elapsed().as_secs_f64()
    ));
    failed.unwrap_or(0)
}

/// The exit status of a build stopped by `diags`: 2 for an I/O failure, else 1.
pub(super) fn stopped(diags: &[Diagnostic]) -> u8 {
    match Outcome::of(diags, false) {
        Outcome::Success => Outcome::BookErrors.exit_status(),
        outcome => outcome.exit_status(),
    }
}

/// `SOURCE_DATE_EPOCH` in seconds (`None` when unset or empty); a value that is not a whole
/// number of seconds within the years 1970–9999 is E0903, and nothing is written.
pub(super) fn source_date_epoch() -> Result<Option<i64>, Vec<Diagnostic>> {
    let value = std::env::var_os("SOURCE_DATE_EPOCH").map(|v| v.to_string_lossy().into_owned());
    bindery::pdf::PdfOptions::from_source_date_epoch(value.as_deref())
        .map(|options| options.creation_date)
        .map_err(|d| vec![d])
}

pub(super) fn human_size(n: usize) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / (1 << 20) as f64)
    } else {
        format!("{:.0} KiB", (n as f64 / 1024.0).ceil())
    }
}
