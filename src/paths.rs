//! Paths written in `book.yaml` or the manuscript, confined to the book's folder: an absolute
//! path, a `..` that climbs out, or a symbolic link that leads out is refused (E0206), so a
//! book can never read (and embed) a file that is not part of it.

use std::path::{Component, Path, PathBuf};

/// Why a written path was refused; `Display` completes "`PATH` …".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outside {
    /// `/etc/passwd`, `C:\x`, `\\server\x`.
    Absolute,
    /// `../../x`: more `..` than folders below the book's root.
    Climbs,
    /// Inside by name, but a symbolic link on the way leads out.
    Symlink,
}

impl std::fmt::Display for Outside {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Outside::Absolute => "is an absolute path",
            Outside::Climbs => "leads out of the book's folder",
            Outside::Symlink => {
                "is reached through a symbolic link that leads out of the book's folder"
            }
        })
    }
}

/// `path` (`/`-separated) with its `.` and `..` steps taken and empty steps dropped
/// (`a/./b/../c` → `a/c`), and whether a `..` climbed above its start (that step is then
/// dropped).
pub fn fold_steps(path: &str) -> (String, bool) {
    let mut parts: Vec<&str> = Vec::new();
    let mut climbed = false;
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => climbed |= parts.pop().is_none(),
            x => parts.push(x),
        }
    }
    (parts.join("/"), climbed)
}

/// Resolves `written` (as it appears in the book, `/`-separated) against `base`, a folder
/// inside `root`, and returns the path on disk when it stays inside `root`. A path that does
/// not exist is returned as it is (reading it then fails with its own diagnostic); one that
/// exists is checked again after following symbolic links.
pub fn inside_book(root: &Path, base: &Path, written: &str) -> Result<PathBuf, Outside> {
    let looks_absolute = written.starts_with(['/', '\\'])
        || written.as_bytes().get(1) == Some(&b':')
        || Path::new(written).is_absolute();
    if looks_absolute {
        return Err(Outside::Absolute);
    }
    let rel_base = base.strip_prefix(root).unwrap_or(Path::new(""));
    let mut depth: usize = 0;
    for part in rel_base.components().chain(Path::new(written).components()) {
        match part {
            Component::Normal(_) => depth += 1,
            Component::ParentDir => {
                depth = depth.checked_sub(1).ok_or(Outside::Climbs)?;
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return Err(Outside::Absolute),
        }
    }
    let joined = base.join(written);
    if let (Ok(real), Ok(real_root)) = (joined.canonicalize(), root.canonicalize()) {
        if !real.starts_with(&real_root) {
            return Err(Outside::Symlink);
        }
    }
    Ok(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_fold_and_a_climb_out_is_told() {
        assert_eq!(fold_steps("a/./b/../c"), ("a/c".to_string(), false));
        assert_eq!(
            fold_steps("manuscript//x.md"),
            ("manuscript/x.md".to_string(), false)
        );
        assert_eq!(fold_steps("a/../../x.md"), ("x.md".to_string(), true));
    }

    #[test]
    fn paths_stay_inside_the_book() {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let root = tmp.path().join("book");
        let manuscript = root.join("manuscript");
        std::fs::create_dir_all(&manuscript).expect("folders");
        std::fs::write(root.join("cover.png"), b"x").expect("a file");
        std::fs::write(tmp.path().join("secret.txt"), b"x").expect("a file outside");

        assert_eq!(
            inside_book(&root, &manuscript, "../cover.png"),
            Ok(manuscript.join("../cover.png"))
        );
        assert_eq!(
            inside_book(&root, &root, "images/missing.png"),
            Ok(root.join("images/missing.png"))
        );
        assert_eq!(
            inside_book(&root, &manuscript, "../../secret.txt"),
            Err(Outside::Climbs)
        );
        assert_eq!(
            inside_book(&root, &root, "../secret.txt"),
            Err(Outside::Climbs)
        );
        assert_eq!(
            inside_book(&root, &root, "a/../../secret.txt"),
            Err(Outside::Climbs)
        );
        assert_eq!(
            inside_book(&root, &root, "/etc/passwd"),
            Err(Outside::Absolute)
        );
        assert_eq!(
            inside_book(&root, &root, "C:\\x.png"),
            Err(Outside::Absolute)
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("link.png"))
                .expect("a symlink");
            assert_eq!(inside_book(&root, &root, "link.png"), Err(Outside::Symlink));
            std::os::unix::fs::symlink(root.join("cover.png"), root.join("inner.png"))
                .expect("a symlink");
            assert!(inside_book(&root, &root, "inner.png").is_ok());
        }
    }
}
