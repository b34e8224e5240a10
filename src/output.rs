//! Writing editions to disk atomically: a temporary file in the target directory, renamed into
//! place, so a failure never leaves a truncated file. The temporary files being written are
//! registered, so that an interrupted build (Ctrl-C: `main.rs` calls [`remove_unfinished`])
//! leaves none behind and the previous edition in place.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The temporary files being written now. Creating one and renaming it into place both happen
/// under this lock, so [`remove_unfinished`] sees each file either unfinished (and removes it)
/// or already in place (complete).
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes every temporary file that is still being written, and keeps any more from being
/// renamed into place: the registry stays locked until the process ends. For an interrupt
/// handler, which ends the process next.
pub fn remove_unfinished() {
    let unfinished = UNFINISHED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for path in unfinished.iter() {
        // A file that cannot be removed is gone already, or was never made.
        let _ = std::fs::remove_file(path);
    }
    std::mem::forget(unfinished);
}

fn registry() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    UNFINISHED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

use crate::diag::{Code, Diagnostic};

/// Writes `bytes` to `path` through a temporary file in the same directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let io = |e: std::io::Error| {
        Diagnostic::new(Code::E0900, format!("cannot write {}: {e}", path.display()))
            .with_help("check that the output directory is writable (`--out DIR`)")
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut tmp = {
        let mut unfinished = registry();
        let tmp = tempfile::Builder::new()
            .prefix(".bindery-")
            .tempfile_in(dir)
            .map_err(io)?;
        unfinished.push(tmp.path().to_path_buf());
        tmp
    };
    let filled = fill(&mut tmp, bytes).map_err(io);
    let mut unfinished = registry();
    unfinished.retain(|p| p != tmp.path());
    filled?;
    // Renamed under the lock: an interrupt sees the file either unfinished or in place.
    tmp.persist(path).map_err(|e| io(e.error))?;
    drop(unfinished);
    Ok(())
}

/// Fills a temporary file with `bytes` and makes it an ordinary file on disk.
fn fill(tmp: &mut tempfile::NamedTempFile, bytes: &[u8]) -> std::io::Result<()> {
    // A temporary file is private (0600); an edition is an ordinary file, readable by all as
    // the usual umask 022 would make it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()
}

/// A file-name-safe slug of the book title (`The Last Days` → `the-last-days`).
pub fn file_slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() {
        "book".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_and_atomic_write() {
        assert_eq!(
            file_slug("The Last Days of the Khmer Rouge"),
            "the-last-days-of-the-khmer-rouge"
        );
        assert_eq!(file_slug("ខ្មែរ"), "book");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/x.bin");
        write_atomic(&p, b"abc").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"abc");
        assert_eq!(
            std::fs::read_dir(dir.path().join("sub")).unwrap().count(),
            1
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o644);
        }
    }
}
