//! Font folders: the files under a folder given with `--fonts DIR`, and the machine's own font
//! folders, as candidates for the fallback chain when the built-in faces and `book.yaml`'s
//! lack a character. Only lists files; `typeset::font` reads what they hold.
//!
//! Listing is deterministic: files are sorted (for the machine's folders, text faces in a
//! regular style first, serif before sans, as the body is serif), so two runs on one machine
//! pick the same faces.

use std::path::{Path, PathBuf};

/// How deep a font folder is walked: Debian's `/usr/share/fonts/truetype/noto` is 2 below
/// its root, macOS's and Windows' folders are flat; 6 leaves room without walking a whole
/// disk through a stray link.
const MAX_DEPTH: usize = 6;

/// The font folders of this machine that exist, in the order they are searched: the system's,
/// then the user's.
pub fn system_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = [
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        "/System/Library/Fonts",
        "/Library/Fonts",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    if let Some(windir) = std::env::var_os("WINDIR") {
        dirs.push(Path::new(&windir).join("Fonts"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        dirs.push(home.join(".local/share/fonts"));
        dirs.push(home.join(".fonts"));
        dirs.push(home.join("Library/Fonts"));
    }
    dirs.retain(|d| d.is_dir());
    dirs
}

/// The font files (`.ttf`, `.otf`, `.ttc`, `.otc`) under `dir`, sorted by path.
pub fn font_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(dir, 0, &mut out);
    out.sort();
    out
}

/// The font files of every folder in `dirs`, ranked for a body in a serif face: regular
/// styles first, serif before sans, then by path.
pub fn ranked_font_files(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = dirs.iter().flat_map(|d| font_files(d)).collect();
    files.sort_by_cached_key(|p| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let regular = name.contains("-regular.") || !name.contains('-');
        (!regular, !name.contains("serif"), p.clone())
    });
    files.dedup();
    files
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > MAX_DEPTH {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, depth + 1, out);
        } else if is_font_file(&path) {
            out.push(path);
        }
    }
}

fn is_font_file(path: &Path) -> bool {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .is_some_and(|e| matches!(e.as_str(), "ttf" | "otf" | "ttc" | "otc"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_font_files_sorted_and_ranks_regular_serif_first() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("noto");
        std::fs::create_dir(&sub).unwrap();
        for name in [
            "NotoSansX-Regular.ttf",
            "NotoSerifX-Bold.ttf",
            "NotoSerifX-Regular.ttf",
            "readme.txt",
        ] {
            std::fs::write(sub.join(name), b"").unwrap();
        }
        std::fs::write(dir.path().join("A.OTF"), b"").unwrap();
        let names = |files: Vec<PathBuf>| -> Vec<String> {
            files
                .iter()
                .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(
            names(font_files(dir.path())),
            [
                "A.OTF",
                "NotoSansX-Regular.ttf",
                "NotoSerifX-Bold.ttf",
                "NotoSerifX-Regular.ttf"
            ]
        );
        assert_eq!(
            names(ranked_font_files(&[dir.path().to_path_buf()])),
            [
                "NotoSerifX-Regular.ttf",
                "A.OTF",
                "NotoSansX-Regular.ttf",
                "NotoSerifX-Bold.ttf"
            ]
        );
    }
}
