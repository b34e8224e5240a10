//! The `bindery` command line: parses arguments, calls the library, renders diagnostics and
//! progress, and maps outcomes to exit codes (0 success, 1 manuscript errors, 2 usage or I/O).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use bindery::check;
use bindery::diag::{self, Diagnostic};
use bindery::load::{self, Loaded};
use bindery::typeset::font::FontSet;

#[derive(Parser, Debug)]
#[command(
    name = "bindery",
    version,
    about = "Compile a Markdown manuscript into an EPUB 3 and a print-ready PDF"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Debug, Clone)]
struct BookArgs {
    /// The book's directory (holding book.yaml).
    #[arg(long, default_value = ".")]
    book: PathBuf,
    /// Where editions are written (relative paths are relative to the book directory).
    #[arg(long, default_value = "build")]
    out: PathBuf,
    /// Print nothing but errors and warnings.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build every edition (EPUB and PDF).
    Build(BookArgs),
    /// Build the EPUB 3 edition.
    Epub(BookArgs),
    /// Build the print PDF edition (or, with --for, a print service's upload file).
    Pdf(PdfArgs),
    /// Write the paperback cover wrap (back, spine, front, with bleed) as one PDF.
    Cover(CoverArgs),
    /// Check the interior and cover against a print service's rules.
    Preflight(PreflightArgs),
    /// Validate the manuscript and book.yaml without writing anything.
    Check(CheckArgs),
    /// Create a new book skeleton in DIR.
    Init {
        /// Directory to create (must be empty or absent).
        dir: PathBuf,
    },
}

#[derive(clap::Args, Debug)]
struct PdfArgs {
    #[command(flatten)]
    book: BookArgs,
    /// Write the interior a print service asks for: `kdp` (no bookmarks, no links) or
    /// `ingramspark` (all in DeviceGray). Without it, the reading edition.
    #[arg(long = "for", value_enum)]
    service: Option<ServiceArg>,
}

#[derive(clap::Args, Debug)]
struct CoverArgs {
    #[command(flatten)]
    book: BookArgs,
    /// The service whose cover rules apply (bleed, spine text).
    #[arg(long = "for", value_enum, default_value_t = ServiceArg::Kdp)]
    service: ServiceArg,
    /// The EAN-5 price add-on beside the ISBN barcode (`90000` means no price).
    #[arg(long, value_name = "DIGITS")]
    price: Option<String>,
}

#[derive(clap::Args, Debug)]
struct PreflightArgs {
    /// The print service: `kdp` or `ingramspark`.
    #[arg(value_enum)]
    service: ServiceArg,
    /// The book's directory (holding book.yaml), when checking bindery's own build.
    #[arg(long, default_value = ".")]
    book: PathBuf,
    /// Check this interior PDF instead of building the book (any PDF, from any tool).
    #[arg(long, value_name = "FILE")]
    pdf: Option<PathBuf>,
    /// With --pdf: the cover PDF to check against the interior's page count.
    #[arg(long, value_name = "FILE", requires = "pdf")]
    cover: Option<PathBuf>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum ServiceArg {
    Kdp,
    Ingramspark,
}

impl ServiceArg {
    fn service(self) -> bindery::pod::Service {
        match self {
            ServiceArg::Kdp => bindery::pod::Service::Kdp,
            ServiceArg::Ingramspark => bindery::pod::Service::IngramSpark,
        }
    }

    fn target(self) -> bindery::pdf::PdfTarget {
        match self {
            ServiceArg::Kdp => bindery::pdf::PdfTarget::Kdp,
            ServiceArg::Ingramspark => bindery::pdf::PdfTarget::IngramSpark,
        }
    }

    fn slug(self) -> &'static str {
        match self {
            ServiceArg::Kdp => "kdp",
            ServiceArg::Ingramspark => "ingramspark",
        }
    }
}

#[derive(clap::Args, Debug)]
struct CheckArgs {
    /// The book's directory (holding book.yaml).
    #[arg(long, default_value = ".")]
    book: PathBuf,
    /// Output format of the findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Treat warnings as errors (`--deny warnings`).
    #[arg(long, value_name = "warnings")]
    deny: Option<DenyLevel>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Human,
    Json,
    Github,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum DenyLevel {
    Warnings,
}

/// Exit code for a manuscript with errors.
const EXIT_ERRORS: u8 = 1;
/// Exit code for usage and I/O failures.
const EXIT_USAGE: u8 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edition {
    Epub,
    Pdf,
    /// A print service's interior (`pdf --for`).
    Upload(ServiceArg),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Build(args) => build(&args, &[Edition::Epub, Edition::Pdf]),
        Command::Epub(args) => build(&args, &[Edition::Epub]),
        Command::Pdf(args) => match args.service {
            None => build(&args.book, &[Edition::Pdf]),
            Some(service) => build(&args.book, &[Edition::Upload(service)]),
        },
        Command::Cover(args) => cover(&args),
        Command::Preflight(args) => preflight(&args),
        Command::Check(args) => check(&args),
        Command::Init { dir } => init(&dir),
    }
}

/// Colour on a terminal; none when stderr is piped or `NO_COLOR` is set (to anything but "").
fn color() -> diag::Color {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if std::io::stderr().is_terminal() && !no_color {
        diag::Color::Always
    } else {
        diag::Color::Never
    }
}

fn print_human(diags: &[Diagnostic]) {
    let c = color();
    for d in diags {
        eprintln!("{}", diag::render_human(d, c));
    }
}

/// Loads the book and runs every check, glyph coverage included (against the print fonts of
/// `book.yaml`). Returns the loaded book and every finding, sorted by file, line and column.
fn load_checked(book_dir: &Path) -> Result<(Loaded, Vec<Diagnostic>), Vec<Diagnostic>> {
    let loaded = load::load_book(book_dir);
    let mut diags = loaded.diagnostics.clone();
    if let Some(book) = &loaded.book {
        match FontSet::load(&book.root, &book.config.pdf.fonts) {
            Ok(fonts) => {
                let covers = check::font_coverage(&fonts);
                let opts = check::CheckOptions {
                    coverage: Some(&covers),
                };
                diags.extend(check::check_with(book, &opts));
            }
            Err(font_errors) => {
                diags.extend(font_errors);
                diags.extend(check::check(book));
            }
        }
    }
    diag::sort_diagnostics(&mut diags);
    Ok((loaded, diags))
}

fn exit_for_io(diags: &[Diagnostic]) -> u8 {
    if diags.iter().any(|d| d.code == "E0900") {
        EXIT_USAGE
    } else {
        EXIT_ERRORS
    }
}

fn check(args: &CheckArgs) -> ExitCode {
    let diags = match load_checked(&args.book) {
        Ok((_, diags)) | Err(diags) => diags,
    };
    match args.format {
        Format::Human => {
            print_human(&diags);
            let errors = diags.iter().filter(|d| d.is_error()).count();
            let warnings = diags.len() - errors;
            if diags.is_empty() {
                eprintln!("check: no problems found");
            } else {
                eprintln!("check: {errors} error(s), {warnings} warning(s)");
            }
        }
        Format::Json => diags
            .iter()
            .for_each(|d| println!("{}", diag::render_json(d))),
        Format::Github => diags
            .iter()
            .for_each(|d| println!("{}", diag::render_github(d))),
    }
    let has_errors = diags.iter().any(Diagnostic::is_error);
    let denied = args.deny.is_some() && !diags.is_empty();
    if has_errors || denied {
        ExitCode::from(exit_for_io(&diags))
    } else {
        ExitCode::SUCCESS
    }
}

/// A progress reporter: silent when piped or `--quiet`.
struct Reporter {
    on: bool,
}

impl Reporter {
    fn say(&self, msg: &str) {
        if self.on {
            eprintln!("{msg}");
        }
    }
}

fn build(args: &BookArgs, editions: &[Edition]) -> ExitCode {
    let started = Instant::now();
    let rep = Reporter {
        on: !args.quiet && std::io::stderr().is_terminal(),
    };
    rep.say(&format!(
        "   Checking {}",
        args.book.join("book.yaml").display()
    ));
    let (loaded, diags) = match load_checked(&args.book) {
        Ok(x) => x,
        Err(d) => {
            print_human(&d);
            return ExitCode::from(exit_for_io(&d));
        }
    };
    print_human(&diags);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let Some(book) = loaded.book.filter(|_| errors == 0) else {
        eprintln!("error: {errors} error(s) found; nothing was written");
        return ExitCode::from(exit_for_io(&diags));
    };
    let out_dir = if args.out.is_absolute() {
        args.out.clone()
    } else {
        args.book.join(&args.out)
    };
    let slug = bindery::output::file_slug(&book.config.title);
    let epoch = source_date_epoch();

    // Build every edition in memory first, so nothing is written when any fails.
    let mut outputs: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for edition in editions {
        let result = match edition {
            Edition::Epub => {
                rep.say("  Compiling EPUB 3");
                bindery::epub::build(
                    &book,
                    &bindery::epub::EpubOptions {
                        source_date_epoch: epoch,
                    },
                )
                .map(|b| (out_dir.join(format!("{slug}.epub")), b))
            }
            Edition::Pdf => {
                rep.say("  Typesetting PDF");
                build_pdf(&book, epoch, &rep, bindery::pdf::PdfTarget::Reading)
                    .map(|(b, _)| (out_dir.join(format!("{slug}.pdf")), b))
            }
            Edition::Upload(service) => {
                rep.say(&format!("  Typesetting the {} interior", service.service().name()));
                build_pdf(&book, epoch, &rep, service.target()).map(|(b, _)| {
                    (out_dir.join(format!("{slug}-{}.pdf", service.slug())), b)
                })
            }
        };
        match result {
            Ok(o) => outputs.push(o),
            Err(d) => {
                print_human(&d);
                eprintln!("error: nothing was written");
                return ExitCode::from(exit_for_io(&d));
            }
        }
    }
    let mut summary = Vec::new();
    for (path, bytes) in &outputs {
        if let Err(d) = bindery::output::write_atomic(path, bytes) {
            print_human(&[d]);
            return ExitCode::from(EXIT_USAGE);
        }
        summary.push(format!("{} ({})", path.display(), human_size(bytes.len())));
    }
    rep.say(&format!(
        "   Finished {} in {:.2}s",
        summary.join(", "),
        started.elapsed().as_secs_f64()
    ));
    ExitCode::SUCCESS
}

/// Typesets the interior (with the gutter fixpoint under `gutter: auto`) and writes it for
/// `target`; returns the PDF bytes and the typeset interior.
fn build_pdf(
    book: &bindery::model::Book,
    epoch: Option<i64>,
    rep: &Reporter,
    target: bindery::pdf::PdfTarget,
) -> Result<(Vec<u8>, Interior), Vec<Diagnostic>> {
    use bindery::typeset::{frame::ImageData, Progress, Stage, TypesetOptions};
    let fonts = FontSet::load(&book.root, &book.config.pdf.fonts)?;
    // The cover is read here: the typesetter does no I/O. A cover that cannot be read was
    // already reported by `check`; the PDF then simply has no cover page.
    let cover = match (&book.config.cover, book.config.pdf.cover_page) {
        (Some(path), true) => bindery::assets::load_cover(&book.root.join(path))
            .ok()
            .map(|img| ImageData {
                data: std::sync::Arc::new(img.data),
                format: img.format,
                width: img.width,
                height: img.height,
            }),
        _ => None,
    };
    let bar = rep.on.then(|| {
        let bar = indicatif::ProgressBar::new(book.chapters.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("   {msg:>9} [{bar:30}] {pos}/{len}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let progress = |p: Progress| {
        if let Some(bar) = &bar {
            let msg = match p.stage {
                Stage::Chapters => "Chapters",
                Stage::Contents => "Contents",
                Stage::Pages => "Pages",
            };
            bar.set_message(msg);
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
        }
    };
    let opts = TypesetOptions {
        progress: Some(&progress),
        cover,
        threads: 0,
    };
    let fitted = bindery::pod::typeset_interior(book, &fonts, &opts);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let fitted = fitted?;
    let pdf_opts = bindery::pdf::PdfOptions {
        creation_date: epoch,
        document_id: Some(book.config.identifier.urn()),
        target,
    };
    let bytes = bindery::pdf::write_pdf(&fitted.value, &pdf_opts).map_err(|d| vec![d])?;
    Ok((bytes, Interior { fitted, fonts }))
}

/// A typeset interior and the fonts it was set with (the cover uses them too).
struct Interior {
    fitted: bindery::pod::Fitted<bindery::typeset::frame::Document>,
    fonts: FontSet,
}

/// Loads and checks the book; on errors prints them and returns the exit code.
fn checked_book(book_dir: &Path) -> Result<bindery::model::Book, ExitCode> {
    let (loaded, diags) = match load_checked(book_dir) {
        Ok(x) => x,
        Err(d) => {
            print_human(&d);
            return Err(ExitCode::from(exit_for_io(&d)));
        }
    };
    print_human(&diags);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    match loaded.book.filter(|_| errors == 0) {
        Some(book) => Ok(book),
        None => {
            eprintln!("error: {errors} error(s) found; nothing was written");
            Err(ExitCode::from(exit_for_io(&diags)))
        }
    }
}

fn out_dir(args: &BookArgs) -> PathBuf {
    if args.out.is_absolute() {
        args.out.clone()
    } else {
        args.book.join(&args.out)
    }
}

/// Builds the cover wrap from the interior of the same build.
fn make_cover(
    book: &bindery::model::Book,
    interior: &Interior,
    service: ServiceArg,
    price: Option<String>,
    epoch: Option<i64>,
) -> Result<(Vec<u8>, bindery::pod::cover::Cover), Vec<Diagnostic>> {
    use bindery::pod::cover;
    let rules = service.service().rules();
    let pages = interior.fitted.pages;
    let layout = cover::CoverLayout::new(&book.config, rules, pages);
    let image = match &book.config.cover {
        Some(path) => {
            let loaded = bindery::assets::load_cover(&book.root.join(path)).map_err(|e| {
                vec![Diagnostic::error("E0504", format!("the cover {path} cannot be used: {e}"))
                    .in_file("book.yaml")
                    .with_help("set `cover:` to a PNG or JPEG that decodes")]
            })?;
            let front_w = layout.width - layout.front_left();
            let cropped = bindery::assets::crop_to_aspect(&loaded, front_w / layout.height)
                .map_err(|e| {
                    vec![Diagnostic::error("E0504", format!("the cover {path} cannot be cropped: {e}"))
                        .in_file("book.yaml")
                        .with_help("re-save the cover as an 8-bit PNG or a baseline JPEG")]
                })?;
            Some(bindery::typeset::frame::ImageData {
                data: std::sync::Arc::new(cropped.data),
                format: cropped.format,
                width: cropped.width,
                height: cropped.height,
            })
        }
        None => None,
    };
    let input = cover::CoverInput {
        pages,
        image,
        price_addon: price,
    };
    let made = cover::build(&book.config, rules, &interior.fonts, &input)?;
    let pdf_opts = bindery::pdf::PdfOptions {
        creation_date: epoch,
        document_id: Some(format!("{}#cover", book.config.identifier.urn())),
        target: bindery::pdf::PdfTarget::Kdp,
    };
    let bytes = bindery::pdf::write_pdf(&made.document, &pdf_opts).map_err(|d| vec![d])?;
    Ok((bytes, made))
}

fn cover(args: &CoverArgs) -> ExitCode {
    let book = match checked_book(&args.book.book) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let rep = Reporter { on: false };
    let epoch = source_date_epoch();
    let made = build_pdf(&book, epoch, &rep, bindery::pdf::PdfTarget::Reading).and_then(
        |(_, interior)| {
            make_cover(&book, &interior, args.service, args.price.clone(), epoch)
                .map(|c| (c, interior))
        },
    );
    let ((bytes, made), interior) = match made {
        Ok(x) => x,
        Err(d) => {
            print_human(&d);
            eprintln!("error: nothing was written");
            return ExitCode::from(exit_for_io(&d));
        }
    };
    print_human(&made.warnings);
    let path = out_dir(&args.book).join(format!(
        "{}-cover.pdf",
        bindery::output::file_slug(&book.config.title)
    ));
    if let Err(d) = bindery::output::write_atomic(&path, &bytes) {
        print_human(&[d]);
        return ExitCode::from(EXIT_USAGE);
    }
    if !args.book.quiet {
        let inch = bindery::config::INCH;
        eprintln!(
            "      Cover {} ({:.3} × {:.3} in): {} pages, spine {:.4} in at {} in per page, spine text {}",
            path.display(),
            made.layout.width / inch,
            made.layout.height / inch,
            interior.fitted.pages,
            made.layout.spine / inch,
            book.config.pdf.paper_inches,
            if made.spine_text { "set" } else { "left off (under 79 pages)" }
        );
    }
    ExitCode::SUCCESS
}

fn preflight(args: &PreflightArgs) -> ExitCode {
    use bindery::pod::{pdfread, preflight as pf};
    let service = args.service.service();
    let rules = service.rules();
    let (findings, summary) = if let Some(pdf) = &args.pdf {
        let file = pdf.display().to_string();
        let read = std::fs::read(pdf)
            .map_err(|e| {
                Diagnostic::error("E0900", format!("cannot read {file}: {e}"))
                    .with_help("check the path given to --pdf")
            })
            .and_then(|bytes| pdfread::read(&file, &bytes));
        let facts = match read {
            Ok(f) => f,
            Err(d) => {
                print_human(&[d]);
                return ExitCode::from(EXIT_USAGE);
            }
        };
        let cover = match &args.cover {
            Some(path) => {
                let cfile = path.display().to_string();
                let read = std::fs::read(path)
                    .map_err(|e| {
                        Diagnostic::error("E0900", format!("cannot read {cfile}: {e}"))
                            .with_help("check the path given to --cover")
                    })
                    .and_then(|bytes| pdfread::read_cover(&cfile, &bytes));
                match read {
                    Ok(c) => Some((c, cfile)),
                    Err(d) => {
                        print_human(&[d]);
                        return ExitCode::from(EXIT_USAGE);
                    }
                }
            }
            None => None,
        };
        let findings = pf::check(
            rules,
            &facts,
            cover.as_ref().map(|(c, f)| (c, f.as_str())),
            bindery::config::PAPER_WHITE_IN,
        );
        let summary = format!(
            "{file}: {} pages{}",
            facts.pages.len(),
            if cover.is_some() { ", with its cover" } else { "" }
        );
        (findings, summary)
    } else {
        let book = match checked_book(&args.book) {
            Ok(b) => b,
            Err(code) => return code,
        };
        let rep = Reporter { on: false };
        let epoch = source_date_epoch();
        let made = build_pdf(&book, epoch, &rep, args.service.target()).and_then(
            |(bytes, interior)| {
                make_cover(&book, &interior, args.service, None, epoch)
                    .map(|(cover, _)| (bytes, interior, cover))
            },
        );
        let (bytes, interior, cover_bytes) = match made {
            Ok(x) => x,
            Err(d) => {
                print_human(&d);
                return ExitCode::from(exit_for_io(&d));
            }
        };
        let slug = bindery::output::file_slug(&book.config.title);
        let file = format!("{slug}-{}.pdf", args.service.slug());
        let cover_file = format!("{slug}-cover.pdf");
        let read = pdfread::read(&file, &bytes)
            .and_then(|f| pdfread::read_cover(&cover_file, &cover_bytes).map(|c| (f, c)));
        let (pdf_facts, cover) = match read {
            Ok(x) => x,
            Err(d) => {
                print_human(&[d]);
                return ExitCode::from(EXIT_USAGE);
            }
        };
        let facts = pf::Facts::from_document(&interior.fitted.value, pdf_facts);
        let findings = pf::check(
            rules,
            &facts,
            Some((&cover, cover_file.as_str())),
            book.config.pdf.paper_inches,
        );
        let summary = format!(
            "{file}: {} pages, inside margin {:.3} in, and {cover_file}",
            interior.fitted.pages,
            interior.fitted.gutter / bindery::config::INCH
        );
        (findings, summary)
    };
    print_human(&findings);
    let errors = findings.iter().filter(|d| d.is_error()).count();
    if errors == 0 {
        eprintln!("preflight: {summary} pass {}'s rules", service.name());
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "preflight: {errors} error(s) against {}'s rules in {summary}",
            service.name()
        );
        ExitCode::from(EXIT_ERRORS)
    }
}

fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok())
}

fn human_size(n: usize) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / (1 << 20) as f64)
    } else {
        format!("{:.0} KiB", (n as f64 / 1024.0).ceil())
    }
}

fn init(dir: &Path) -> ExitCode {
    match bindery::init::create(dir) {
        Ok(files) => {
            for f in files {
                println!("created {}", f.display());
            }
            println!("next: cd {} && bindery build", dir.display());
            ExitCode::SUCCESS
        }
        Err(d) => {
            print_human(&[d]);
            ExitCode::from(EXIT_USAGE)
        }
    }
}
