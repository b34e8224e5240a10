//! `bindery preflight kdp|ingramspark [--pdf FILE [--cover FILE]]`: the interior and the cover
//! checked against a print service's rules (`bindery::pod::preflight`).

use std::path::{Path, PathBuf};

use bindery::config::{INCH, PAPER_WHITE_IN};
use bindery::diag::{Code, Diagnostic};
use bindery::pipeline::{Edition, Pipeline};
use bindery::pod::{pdfread, preflight as pf};

use super::build::{source_date_epoch, stopped};
use super::ServiceArg;
use crate::Ui;

pub const ABOUT: &str = "Check the interior and cover against a print service's rules";

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The print service: `kdp` or `ingramspark`.
    #[arg(value_enum)]
    pub service: ServiceArg,
    /// The book's directory (holding book.yaml), when checking bindery's own build.
    #[arg(long, default_value = ".")]
    pub book: PathBuf,
    /// Check this interior PDF instead of building the book (any PDF, from any tool).
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
    /// With --pdf: the cover PDF to check against the interior's page count (white paper).
    #[arg(long, value_name = "FILE", requires = "pdf")]
    pub cover: Option<PathBuf>,
}

fn read(path: &Path, flag: &str) -> Result<(String, Vec<u8>), Vec<Diagnostic>> {
    let file = path.display().to_string();
    std::fs::read(path)
        .map(|bytes| (file.clone(), bytes))
        .map_err(|e| {
            vec![Diagnostic::new(Code::E0900, format!("cannot read {file}: {e}"))
                .with_help(format!("check the path given to {flag}"))]
        })
}

pub fn run(args: &Args) -> u8 {
    let ui = Ui::new(false);
    let service = args.service.service();
    let rules = service.rules();
    let checked = match &args.pdf {
        Some(pdf) => given(args, pdf, rules),
        None => own(args, rules, &ui),
    };
    let (findings, summary) = match checked {
        Ok(x) => x,
        Err(diags) => {
            ui.diagnostics(&diags);
            return stopped(&diags);
        }
    };
    ui.diagnostics(&findings);
    let errors = findings.iter().filter(|d| d.is_error()).count();
    if errors == 0 {
        ui.tell(&format!("preflight: {summary} pass {}'s rules", service.name()));
        0
    } else {
        ui.tell(&format!(
            "preflight: {errors} error(s) against {}'s rules in {summary}",
            service.name()
        ));
        stopped(&findings)
    }
}

/// Any PDF (and its cover), read with `pdfread`.
fn given(
    args: &Args,
    pdf: &Path,
    rules: &bindery::pod::Rules,
) -> Result<(Vec<Diagnostic>, String), Vec<Diagnostic>> {
    let (file, bytes) = read(pdf, "--pdf")?;
    let facts = pdfread::read(&file, &bytes).map_err(|d| vec![d])?;
    let cover = match &args.cover {
        Some(path) => {
            let (cfile, cbytes) = read(path, "--cover")?;
            Some((pdfread::read_cover(&cfile, &cbytes).map_err(|d| vec![d])?, cfile))
        }
        None => None,
    };
    let findings = pf::check(
        rules,
        &facts,
        cover.as_ref().map(|(c, f)| (c, f.as_str())),
        PAPER_WHITE_IN,
    );
    let summary = format!(
        "{file}: {} pages{}",
        facts.pages.len(),
        if cover.is_some() { ", with its cover" } else { "" }
    );
    Ok((findings, summary))
}

/// bindery's own build of the book: the upload interior and the cover, made in memory; glyph
/// boxes from the typeset document, the rest from the written bytes.
fn own(
    args: &Args,
    rules: &bindery::pod::Rules,
    ui: &Ui,
) -> Result<(Vec<Diagnostic>, String), Vec<Diagnostic>> {
    let mut pipeline = Pipeline::load(&args.book);
    pipeline.check_for(&[Edition::Pdf]);
    let heard = pipeline.diagnostics_for(&[Edition::Pdf]);
    ui.diagnostics(&heard);
    let errors = heard.iter().filter(|d| d.is_error()).count();
    let Some(book) = pipeline.book().filter(|_| errors == 0) else {
        ui.tell(&format!("error: {errors} error(s) found; nothing was checked"));
        return Err(heard);
    };
    let slug = bindery::output::file_slug(&book.config.title);
    let paper = book.config.pdf.paper_inches;
    let epoch = source_date_epoch()?;
    let fitted = pipeline.typeset_fitted(None, 0)?;
    let bytes = pipeline.pdf_for(&fitted.value, epoch, args.service.target())?;
    let (cover_bytes, _) = pipeline.cover_wrap(fitted.pages, rules.service, None, epoch)?;
    let file = format!("{slug}-{}.pdf", args.service.slug());
    let cover_file = format!("{slug}-cover.pdf");
    let pdf_facts = pdfread::read(&file, &bytes).map_err(|d| vec![d])?;
    let cover = pdfread::read_cover(&cover_file, &cover_bytes).map_err(|d| vec![d])?;
    let facts = pf::Facts::from_document(&fitted.value.document, pdf_facts);
    let findings = pf::check(rules, &facts, Some((&cover, cover_file.as_str())), paper);
    let summary = format!(
        "{file}: {} pages, inside margin {:.3} in, and {cover_file}",
        fitted.pages,
        fitted.gutter / INCH
    );
    Ok((findings, summary))
}
