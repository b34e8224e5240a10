//! Helpers shared by the integration tests: building an edition with the real binary, copying
//! fixture books, and finding external tools (poppler-utils, qpdf, EPUBCheck) and running them.
//!
//! A test that needs a tool calls [`tool`]. When the tool is missing the test is skipped (it
//! prints `skipped: NAME not found` and returns), unless the environment variable
//! `BINDERY_REQUIRE_TOOLS` is `1`, as in CI, where a missing tool fails the test instead.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The environment variable that turns a missing tool from a skip into a failure.
pub const REQUIRE_TOOLS_VAR: &str = "BINDERY_REQUIRE_TOOLS";

/// The executable `name` on `PATH`, or `None` (after printing `skipped: NAME not found`) when
/// it is missing and tools are not required.
///
/// # Panics
/// When the tool is missing and `BINDERY_REQUIRE_TOOLS=1`.
pub fn tool(name: &str) -> Option<PathBuf> {
    if let Some(found) = find_on_path(name) {
        return Some(found);
    }
    missing(name, "on PATH");
    None
}

/// Reports that `name` (a tool, a script, a Python module) was not found `place` (e.g. `"on
/// PATH"`): prints `skipped: NAME not found`, so the caller can return, unless
/// `BINDERY_REQUIRE_TOOLS` is `1`.
///
/// # Panics
/// When `BINDERY_REQUIRE_TOOLS=1`.
pub fn missing(name: &str, place: &str) {
    if std::env::var(REQUIRE_TOOLS_VAR).as_deref() == Ok("1") {
        panic!("{name} not found {place}, and {REQUIRE_TOOLS_VAR}=1 requires it");
    }
    println!("skipped: {name} not found");
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
