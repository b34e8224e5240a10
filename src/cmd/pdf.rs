//! `bindery pdf`: the print PDF edition alone, or with `--for` a print service's upload
//! interior (`<slug>-kdp.pdf`, `<slug>-ingramspark.pdf`).

use bindery::pipeline::{Edition, Pipeline};

use super::build::{human_size, source_date_epoch, stopped};
use super::{BookArgs, ServiceArg};
use crate::Ui;

pub const ABOUT: &str = "Build the print PDF edition (or, with --for, a print service's upload file)";

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub book: BookArgs,
    /// Write the interior a print service asks for: `kdp` (no bookmarks, no links) or
    /// `ingramspark` (all in DeviceGray, no bookmarks, no links).
    #[arg(long = "for", value_enum)]
    pub service: Option<ServiceArg>,
}

pub fn run(args: &Args) -> u8 {
    match args.service {
        None => super::build::editions(&args.book, &[Edition::Pdf]),
        Some(service) => upload(&args.book, service),
    }
}

/// Typesets and writes the upload interior for `service`.
fn upload(args: &BookArgs, service: ServiceArg) -> u8 {
    let ui = Ui::new(args.quiet);
    let mut pipeline = Pipeline::load(&args.book).with_font_dir(args.fonts.clone());
    pipeline.check_for(&[Edition::Pdf]);
    let heard = pipeline.diagnostics_for(&[Edition::Pdf]);
    ui.diagnostics(&heard);
    let errors = heard.iter().filter(|d| d.is_error()).count();
    if errors > 0 || pipeline.book().is_none() {
        ui.tell(&format!("error: {errors} error(s) found; nothing was written"));
        return stopped(&heard);
    }
    ui.say(&format!("  Typesetting the {} interior", service.service().name()));
    let found = ui.with_progress(|progress| pipeline.check_layout(progress, 0));
    ui.diagnostics(&found);
    if found.iter().any(|d| d.is_fatal(args.deny.is_some())) {
        ui.tell("error: nothing was written");
        return stopped(&found);
    }
    let made = source_date_epoch()
        .and_then(|epoch| pipeline.pdf_from_kept(epoch, service.target()));
    let bytes = match made {
        Ok(b) => b,
        Err(diags) => {
            ui.diagnostics(&diags);
            ui.tell("error: nothing was written");
            return stopped(&diags);
        }
    };
    let Some(path) = pipeline.output_path(&args.out, Edition::Pdf) else {
        return stopped(pipeline.diagnostics());
    };
    let path = path.with_file_name(format!(
        "{}-{}.pdf",
        path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned()),
        service.slug()
    ));
    if let Err(d) = bindery::output::write_atomic(&path, &bytes) {
        let failed = [d];
        ui.diagnostics(&failed);
        return stopped(&failed);
    }
    ui.say(&format!("   Finished {} ({})", path.display(), human_size(bytes.len())));
    0
}
