//! Writing editions to disk atomically: a temporary file in the target directory, renamed into
//! place, so a failure never leaves a truncated file.

use std::io::Write;
use std::path::Path;

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
    let mut tmp = tempfile::Builder::new()
        .prefix(".bindery-")
        .tempfile_in(dir)
        .map_err(io)?;
    // A temporary file is private (0600); an edition is an ordinary file, readable by all as
    // the usual umask 022 would make it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(io)?;
    }
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
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
