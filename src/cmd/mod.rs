//! The subcommands, one file each. A subcommand module has `Args` (its clap arguments),
//! `ABOUT` (its one-line summary in `bindery --help`, without a final stop, as clap prints
//! doc comments) and `run(&Args) -> u8` (returns the exit status). Adding a subcommand is a
//! new file plus a line in the `subcommands!` list below.

use std::path::PathBuf;

/// Declares the subcommand modules, the clap enum over their arguments and the dispatch.
macro_rules! subcommands {
    ($($variant:ident => $module:ident),* $(,)?) => {
        $(mod $module;)*

        #[derive(clap::Subcommand, Debug)]
        pub enum Command {
            $(#[command(about = $module::ABOUT)] $variant($module::Args),)*
        }

        impl Command {
            /// Runs the subcommand; returns the process exit status.
            pub fn run(self) -> u8 {
                match self {
                    $(Command::$variant(args) => $module::run(&args),)*
                }
            }
        }
    };
}

subcommands! {
    Build => build,
    Epub => epub,
    Pdf => pdf,
    Cover => cover,
    Preflight => preflight,
    Check => check,
    Init => init,
}

/// A print-on-demand service, as named on the command line.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceArg {
    Kdp,
    Ingramspark,
}

impl ServiceArg {
    pub fn service(self) -> bindery::pod::Service {
        match self {
            ServiceArg::Kdp => bindery::pod::Service::Kdp,
            ServiceArg::Ingramspark => bindery::pod::Service::IngramSpark,
        }
    }

    /// The upload interior this service asks for.
    pub fn target(self) -> bindery::pdf::PdfTarget {
        match self {
            ServiceArg::Kdp => bindery::pdf::PdfTarget::Kdp,
            ServiceArg::Ingramspark => bindery::pdf::PdfTarget::IngramSpark,
        }
    }

    /// The suffix of its file name: `<slug>-kdp.pdf`.
    pub fn slug(self) -> &'static str {
        match self {
            ServiceArg::Kdp => "kdp",
            ServiceArg::Ingramspark => "ingramspark",
        }
    }
}

/// The arguments of every command that builds editions.
#[derive(clap::Args, Debug, Clone)]
pub struct BookArgs {
    /// The book's directory (holding book.yaml).
    #[arg(long, default_value = ".")]
    pub book: PathBuf,
    /// Where editions are written (relative paths are relative to the book directory).
    #[arg(long, default_value = "build")]
    pub out: PathBuf,
    /// Print nothing but errors and warnings.
    #[arg(long, short)]
    pub quiet: bool,
    /// Treat warnings as errors (`--deny warnings`): an edition with a warning is not written.
    #[arg(long, value_name = "warnings")]
    pub deny: Option<DenyLevel>,
    /// A folder of fonts searched for characters bindery's faces and `pdf.fonts` lack, before
    /// the machine's font folders.
    #[arg(long, value_name = "DIR")]
    pub fonts: Option<PathBuf>,
}

/// What `--deny` can make fatal.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum DenyLevel {
    Warnings,
}
