//! An article's YAML front matter: the block between a `---` first line and the next `---`
//! (or `...`) line. This module finds the block and blanks it out of the Markdown; the YAML
//! itself is read by `config.rs` ([`crate::config::front_matter`]), the one room that knows
//! YAML. Today the front matter holds `lang:`; more keys belong in
//! [`crate::config::FrontMatter`].

use crate::config::{self, FrontMatter};
use crate::diag::Diagnostic;

/// Where the front matter sits in an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Block {
    /// Byte range of the YAML between the delimiter lines.
    yaml_start: usize,
    yaml_end: usize,
    /// Byte offset just past the closing delimiter line.
    end: usize,
}

fn find(text: &str) -> Option<Block> {
    let first_end = text.find('\n')?;
    if text[..first_end].trim_end_matches('\r') != "---" {
        return None;
    }
    let yaml_start = first_end + 1;
    let mut at = yaml_start;
    while at < text.len() {
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = text[at..line_end].trim_end_matches('\r');
        if line == "---" || line == "..." {
            return Some(Block {
                yaml_start,
                yaml_end: at,
                end: (line_end + 1).min(text.len()),
            });
        }
        at = line_end + 1;
    }
    None
}

/// Reads the front matter of `text` (shown as `file` in diagnostics). Returns what it holds
/// and the Markdown with the block blanked out (every byte but line ends turned into a space,
/// so that offsets and line numbers stay the file's), or `None` for the text when there is no
/// front matter.
pub fn read(file: &str, text: &str) -> Result<(FrontMatter, Option<String>), Diagnostic> {
    let Some(block) = find(text) else {
        return Ok((FrontMatter::default(), None));
    };
    // One newline for the opening `---` line keeps the YAML's line numbers the file's.
    let yaml = format!("\n{}", &text[block.yaml_start..block.yaml_end]);
    let front = config::front_matter(file, text, &yaml)?;
    let mut blanked = String::with_capacity(text.len());
    blanked.extend(
        text[..block.end]
            .chars()
            .map(|c| if c == '\n' || c == '\r' { c } else { ' ' }),
    );
    blanked.push_str(&text[block.end..]);
    Ok((front, Some(blanked)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_is_read_and_the_block_blanked() {
        let text = "---\nlang: de\n---\n# Titel\n";
        let (front, blanked) = read("a.md", text).expect("valid");
        assert_eq!(front.lang.as_deref(), Some("de"));
        let blanked = blanked.expect("a block");
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked, "   \n        \n   \n# Titel\n");
    }

    #[test]
    fn no_front_matter() {
        for text in [
            "# Title\n---\n",
            "---",
            "--- \nlang: de\n",
            "---\nlang: de\n",
        ] {
            let (front, blanked) = read("a.md", text).expect("valid");
            assert_eq!(front, FrontMatter::default(), "{text:?}");
            assert!(blanked.is_none(), "{text:?}");
        }
    }

    #[test]
    fn errors_point_into_the_article() {
        let err = read("a.md", "---\nlang: de\nlnag: fr\n---\n").expect_err("unknown key");
        assert_eq!(err.code, "E0102");
        assert_eq!(err.location.as_ref().map(|l| l.line), Some(3));
        let err = read("a.md", "---\nlang: \"fr FR\"\n---\n").expect_err("bad tag");
        assert_eq!(err.code, "E0104");
        assert_eq!(err.location.as_ref().map(|l| l.line), Some(2));
    }
}
