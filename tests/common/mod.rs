//! Helpers shared by the integration tests: finding external tools (poppler-utils, qpdf,
//! EPUBCheck) and running them.
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
