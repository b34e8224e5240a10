//! The `bindery` command line: parses arguments, calls the library, renders diagnostics and
//! progress, and maps outcomes to exit codes (0 success, 1 manuscript errors, 2 usage or I/O).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use bindery::check;
use bindery::diag::{self, Diagnostic, Edition};
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
    /// Treat warnings as errors (`--deny warnings`): an edition with a warning is not written.
    #[arg(long, value_name = "warnings")]
    deny: Option<DenyLevel>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build every edition (EPUB and PDF).
    Build(BookArgs),
    /// Build the EPUB 3 edition.
    Epub(BookArgs),
    /// Build the print PDF edition.
    Pdf(BookArgs),
    /// Validate the manuscript and book.yaml without writing anything.
    Check(CheckArgs),
    /// Create a new book skeleton in DIR.
    Init {
        /// Directory to create (must be empty or absent).
        dir: PathBuf,
    },
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
        Command::Pdf(args) => build(&args, &[Edition::Pdf]),
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
                diags.extend(font_errors.into_iter().map(Diagnostic::for_pdf));
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
    // Each edition hears only the findings that concern it, and is held back only by them.
    let diags: Vec<Diagnostic> = diags
        .into_iter()
        .filter(|d| editions.iter().any(|e| d.concerns.edition(*e)))
        .collect();
    print_human(&diags);
    let deny = args.deny.is_some();
    let blocked = |e: Edition| {
        diags
            .iter()
            .any(|d| d.concerns.edition(e) && (d.is_error() || deny))
    };
    let held_back: Vec<Edition> = editions.iter().copied().filter(|e| blocked(*e)).collect();
    let editions: Vec<Edition> = editions.iter().copied().filter(|e| !blocked(*e)).collect();
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let failed = if held_back.is_empty() {
        None
    } else {
        let names: Vec<&str> = held_back.iter().map(|e| edition_name(*e)).collect();
        let why = if errors > 0 {
            format!("{errors} error(s)")
        } else {
            format!("{warnings} warning(s) under `--deny warnings`")
        };
        if editions.is_empty() {
            eprintln!("error: {why} found; nothing was written");
        } else {
            eprintln!(
                "error: {why} found; the {} was not written",
                names.join(" and the ")
            );
        }
        Some(ExitCode::from(exit_for_io(&diags)))
    };
    let Some(book) = loaded.book.filter(|_| !editions.is_empty()) else {
        return failed.unwrap_or_else(|| ExitCode::from(exit_for_io(&diags)));
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
    for edition in &editions {
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
                build_pdf(&book, epoch, &rep).map(|b| (out_dir.join(format!("{slug}.pdf")), b))
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
    failed.unwrap_or(ExitCode::SUCCESS)
}

fn edition_name(e: Edition) -> &'static str {
    match e {
        Edition::Epub => "EPUB",
        Edition::Pdf => "PDF",
    }
}

fn build_pdf(
    book: &bindery::model::Book,
    epoch: Option<i64>,
    rep: &Reporter,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    use bindery::typeset::{self, frame::ImageData, Progress, Stage, TypesetOptions};
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
    let doc = typeset::typeset(book, &fonts, &opts);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let doc = doc?;
    let pdf_opts = bindery::pdf::PdfOptions {
        creation_date: epoch,
        document_id: Some(book.config.identifier.urn()),
    };
    bindery::pdf::write_pdf(&doc, &pdf_opts).map_err(|d| vec![d])
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
