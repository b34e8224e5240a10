//! `bindery cover`: the paperback cover wrap (back, spine, front, with bleed) as one PDF, from
//! the page count of the same build's interior.

use bindery::config::INCH;
use bindery::pipeline::{Edition, Pipeline};

use super::build::{source_date_epoch, stopped};
use super::{BookArgs, ServiceArg};
use crate::Ui;

pub const ABOUT: &str = "Write the paperback cover wrap (back, spine, front, with bleed) as one PDF";

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub book: BookArgs,
    /// The service whose cover rules apply (bleed, spine text).
    #[arg(long = "for", value_enum, default_value_t = ServiceArg::Kdp)]
    pub service: ServiceArg,
    /// The EAN-5 price add-on beside the ISBN barcode (`90000` means no price).
    #[arg(long, value_name = "DIGITS")]
    pub price: Option<String>,
}

pub fn run(args: &Args) -> u8 {
    let ui = Ui::new(args.book.quiet);
    let mut pipeline = Pipeline::load(&args.book.book).with_font_dir(args.book.fonts.clone());
    pipeline.check_for(&[Edition::Pdf]);
    let heard = pipeline.diagnostics_for(&[Edition::Pdf]);
    ui.diagnostics(&heard);
    let errors = heard.iter().filter(|d| d.is_error()).count();
    if errors > 0 || pipeline.book().is_none() {
        ui.tell(&format!("error: {errors} error(s) found; nothing was written"));
        return stopped(&heard);
    }
    let epoch = match source_date_epoch() {
        Ok(epoch) => epoch,
        Err(diags) => {
            ui.diagnostics(&diags);
            ui.tell("error: nothing was written");
            return stopped(&diags);
        }
    };
    ui.say("  Typesetting the interior");
    let made = ui
        .with_progress(|progress| pipeline.typeset_fitted(progress, 0))
        .and_then(|fitted| {
            pipeline
                .cover_wrap(fitted.pages, args.service.service(), args.price.clone(), epoch)
                .map(|cover| (cover, fitted.pages))
        });
    let ((bytes, cover), pages) = match made {
        Ok(x) => x,
        Err(diags) => {
            ui.diagnostics(&diags);
            ui.tell("error: nothing was written");
            return stopped(&diags);
        }
    };
    ui.diagnostics(&cover.warnings);
    let Some(path) = pipeline.output_path(&args.book.out, Edition::Pdf) else {
        return stopped(pipeline.diagnostics());
    };
    let path = path.with_file_name(format!(
        "{}-cover.pdf",
        path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned())
    ));
    if let Err(d) = bindery::output::write_atomic(&path, &bytes) {
        let failed = [d];
        ui.diagnostics(&failed);
        return stopped(&failed);
    }
    let paper = pipeline.book().map_or(0.0, |b| b.config.pdf.paper_inches);
    if !args.book.quiet {
        ui.tell(&format!(
            "      Cover {} ({:.3} × {:.3} in): {pages} pages, spine {:.4} in at {paper} in per page, spine text {}",
            path.display(),
            cover.layout.width / INCH,
            cover.layout.height / INCH,
            cover.layout.spine / INCH,
            if cover.spine_text { "set" } else { "left off (under 79 pages)" }
        ));
    }
    0
}
