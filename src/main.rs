//! The `bindery` command line: parses arguments, hands each subcommand (`src/cmd/`) to the
//! library, and renders what comes back — diagnostics, progress — as text on stderr. Exit
//! codes: 0 success, 1 manuscript errors, 2 usage or I/O failure.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use bindery::diag::{self, Diagnostic};
use bindery::typeset::{Progress, Stage};

mod cmd;

#[derive(Parser, Debug)]
#[command(
    name = "bindery",
    version,
    about = "Compile a Markdown manuscript into an EPUB 3 and a print-ready PDF"
)]
struct Cli {
    #[command(subcommand)]
    command: cmd::Command,
}

/// Exit code for usage failures (a bad flag).
const EXIT_USAGE: u8 = 2;

/// Exit code after Ctrl-C: 128 + SIGINT's number, as shells report a process the signal
/// ended.
const EXIT_INTERRUPTED: i32 = 130;

/// Fixes glibc malloc's mmap threshold, so that it no longer rises.
///
/// glibc raises the threshold to the size of each mapped block freed (up to 32 MiB). krilla
/// compresses every page's content stream with a fresh zlib-rs deflate state, one block of
/// about 370 KiB, which then comes from the heap; the small allocations made between two
/// pages split the freed block, so each page takes fresh memory: a 1M-word PDF peaked at
/// 442 MB where 342 MB suffice (README, "Speed"). With the threshold fixed, each state is
/// mapped and unmapped again.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    /// Just under a deflate state (window 64 KiB, hash chains 64 KiB, hash heads 128 KiB,
    /// pending 64 KiB, symbols 48 KiB), so that it is mapped; glibc's own default, 128 KiB,
    /// also maps the typesetter's medium buffers and cost 20 % more CPU time on 100k words.
    const MMAP_THRESHOLD_BYTES: libc::c_int = 256 * 1024;
    // SAFETY: mallopt only sets a parameter of malloc; it is called first thing in `main`,
    // before any other thread exists. Its result (0 when refused) changes nothing we rely on.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}

fn main() -> ExitCode {
    tune_allocator();
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
    // Ctrl-C: no edition is half-written. Every file is written to a temporary file and
    // renamed into place; the handler removes the temporary files still being written, so the
    // previous edition stays, and ends the process. Without a handler (it cannot be set) the
    // signal's default ends the process as before.
    let _ = ctrlc::set_handler(|| {
        bindery::output::remove_unfinished();
        std::process::exit(EXIT_INTERRUPTED);
    });
    ExitCode::from(cli.command.run())
}

/// How output reaches the user: diagnostics always, progress only on a terminal.
pub struct Ui {
    /// Progress messages and the bar are shown (a terminal, and no `--quiet`).
    progress: bool,
}

impl Ui {
    /// Progress on a terminal unless `quiet`.
    pub fn new(quiet: bool) -> Ui {
        Ui {
            progress: !quiet && std::io::stderr().is_terminal(),
        }
    }

    /// Prints diagnostics the way rustc does, in colour on a terminal without `NO_COLOR`.
    pub fn diagnostics(&self, diags: &[Diagnostic]) {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = if std::io::stderr().is_terminal() && !no_color {
            diag::Color::Always
        } else {
            diag::Color::Never
        };
        for d in diags {
            eprintln!("{}", diag::render_human(d, color));
        }
    }

    /// A progress message (`   Checking …`); silent when piped or quiet.
    pub fn say(&self, msg: &str) {
        if self.progress {
            eprintln!("{msg}");
        }
    }

    /// A line that is always printed (a summary, an error count).
    pub fn tell(&self, msg: &str) {
        eprintln!("{msg}");
    }

    /// Runs `work` with a progress bar fed by the typesetter's reports (none when quiet).
    pub fn with_progress<T>(
        &self,
        work: impl FnOnce(Option<&(dyn Fn(Progress) + Sync)>) -> T,
    ) -> T {
        if !self.progress {
            return work(None);
        }
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("   {msg:>9} [{bar:30}] {pos}/{len}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let report = |p: Progress| {
            bar.set_message(match p.stage {
                Stage::Chapters => "Chapters",
                Stage::Contents => "Contents",
                Stage::Pages => "Pages",
            });
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
        };
        let result = work(Some(&report));
        bar.finish_and_clear();
        result
    }
}
