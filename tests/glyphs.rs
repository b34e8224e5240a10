//! Glyph coverage end to end: `check` (W0600, W0603) and the typesetter decide with one
//! function, so a character `check` calls covered is drawn with a real glyph (never glyph 0),
//! by the face the chain picks, and one it reports is drawn as the replacement mark (or, when
//! each of its characters has a face but none has them together, as its characters apart);
//! bindery's fallback faces draw math letters, symbols, music,
//! box drawing and emoji; other scripts come from `--fonts DIR` or the machine's fonts.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use bindery::pipeline::Pipeline;
use bindery::typeset::frame::Item;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A book in a fresh folder with one article.
fn book(article: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    std::fs::write(
        dir.path().join("book.yaml"),
        "title: Glyphs\nauthors: [A. Tester]\nlanguage: en\n",
    )
    .expect("book.yaml");
    std::fs::create_dir(dir.path().join("manuscript")).expect("manuscript/");
    std::fs::write(dir.path().join("manuscript/01-glyphs.md"), article).expect("the article");
    dir
}

/// One drawn glyph: the text it stands for, its font (index into `Document::fonts`) and id.
#[derive(Debug, Clone, PartialEq)]
struct Drawn {
    text: String,
    font: usize,
    id: u16,
}

/// Checks and typesets the book in `dir` (with `fonts` as `--fonts DIR`); returns the
/// findings as `CODE message` lines, every glyph drawn, and the documents' font bytes.
fn typeset(dir: &Path, fonts: Option<PathBuf>) -> (Vec<String>, Vec<Drawn>, Vec<Vec<u8>>) {
    let mut pipeline = Pipeline::load(dir).with_font_dir(fonts);
    let findings: Vec<String> = pipeline
        .check()
        .iter()
        .map(|d| format!("{} {}", d.code.as_str(), d.message))
        .collect();
    let typeset = pipeline.typeset(None, 1).expect("the book typesets");
    let mut drawn = Vec::new();
    for page in &typeset.document.pages {
        for item in &page.items {
            if let Item::Glyphs(run) = item {
                for g in &run.glyphs {
                    let text = common::glyph_text(run, &g).to_string();
                    drawn.push(Drawn {
                        text,
                        font: run.font.0 as usize,
                        id: g.id,
                    });
                }
            }
        }
    }
    let fonts = typeset
        .document
        .fonts
        .iter()
        .map(|f| f.data.as_slice().to_vec())
        .collect();
    (findings, drawn, fonts)
}

/// The glyphs drawn for text holding `c`.
fn glyphs_of(drawn: &[Drawn], c: char) -> Vec<&Drawn> {
    drawn.iter().filter(|d| d.text.contains(c)).collect()
}

/// The index of the document font whose bytes are those of `file`.
fn font_index(fonts: &[Vec<u8>], file: &Path) -> usize {
    let bytes = std::fs::read(file).expect("the font file");
    fonts
        .iter()
        .position(|f| *f == bytes)
        .unwrap_or_else(|| panic!("{} is not among the document's fonts", file.display()))
}

const MIXED: &str = "# Mixed\n\nArabic مرحبا in the body, a roman-only letter in *italic Ỻ* and \
in code `Ỻ` and `مرحبا`, math ℋ ⅆ ∲, music 𝄞, emoji ✅ 🎉 and a family 👨\u{200d}👩\u{200d}👧, \
boxes ├──┤, a replacement character \u{fffd} and an unassigned code point \u{378}.\n\n```\n├── src\n│   └── ✅ 𝄞 \u{378} \u{fffd}\n```\n";

#[test]
fn check_reports_exactly_the_characters_the_typesetter_draws_as_glyph_0() {
    let dir = book(MIXED);
    let (findings, drawn, _) = typeset(dir.path(), None);
    let w0600: BTreeSet<String> = findings
        .iter()
        .filter(|f| f.starts_with("W0600"))
        .cloned()
        .collect();
    assert_eq!(
        w0600,
        BTreeSet::from(["W0600 no print font has a glyph for U+0378 \u{378}".to_string()]),
        "{findings:#?}"
    );
    // No glyph 0 anywhere (PDF/A forbids it): the character check reported is drawn as the
    // replacement mark U+FFFD of its text's face, the very glyph of the U+FFFD written beside
    // it (in the body: Libertinus; in the code block: DejaVu Sans Mono), and nothing else is.
    assert!(
        drawn.iter().all(|d| d.id != 0),
        "{:#?}",
        drawn.iter().filter(|d| d.id == 0).collect::<Vec<_>>()
    );
    let mark: BTreeSet<(usize, u16)> = glyphs_of(&drawn, '\u{fffd}')
        .iter()
        .map(|g| (g.font, g.id))
        .collect();
    let marked: Vec<(usize, u16)> = glyphs_of(&drawn, '\u{378}')
        .iter()
        .map(|g| (g.font, g.id))
        .collect();
    assert_eq!(mark.len(), 2, "{mark:?}");
    assert_eq!(
        marked.iter().copied().collect::<BTreeSet<_>>(),
        mark,
        "{marked:?}"
    );
    assert_eq!(marked.len(), 2, "{marked:?}");
    let marks: BTreeSet<&str> = drawn
        .iter()
        .filter(|d| mark.contains(&(d.font, d.id)))
        .map(|d| d.text.as_str())
        .collect();
    assert_eq!(marks, BTreeSet::from(["\u{fffd}", "\u{378}"]));
    for c in ['م', 'Ỻ', 'ℋ', 'ⅆ', '∲', '𝄞', '✅', '🎉', '├', '│', '└'] {
        let glyphs = glyphs_of(&drawn, c);
        assert!(!glyphs.is_empty(), "{c} is not drawn at all");
        assert!(
            glyphs.iter().all(|g| g.id != 0),
            "{c} drawn as glyph 0: {glyphs:?}"
        );
    }
}

#[test]
fn each_character_is_drawn_by_the_face_the_chain_picks() {
    let dir = book(MIXED);
    let (_, drawn, fonts) = typeset(dir.path(), None);
    let face = |file: &str| font_index(&fonts, &root().join("fonts").join(file));
    let faces_of =
        |c: char| -> BTreeSet<usize> { glyphs_of(&drawn, c).iter().map(|g| g.font).collect() };
    // Ỻ is only in Libertinus Serif Regular: italic and code fall back to it rather than draw
    // an empty box.
    assert_eq!(
        faces_of('Ỻ'),
        BTreeSet::from([face("LibertinusSerif-Regular.otf")])
    );
    // Arabic in the body and in code: Noto Naskh Arabic for the body, the mono face (which
    // has Arabic) for code.
    assert_eq!(
        faces_of('م'),
        BTreeSet::from([
            face("NotoNaskhArabic-Regular.ttf"),
            face("DejaVuSansMono.ttf")
        ])
    );
    assert_eq!(
        faces_of('ℋ'),
        BTreeSet::from([face("NotoSansMath-Regular.ttf")])
    );
    assert_eq!(
        faces_of('𝄞'),
        BTreeSet::from([face("NotoMusic-Regular.ttf")])
    );
    assert_eq!(faces_of('✅'), BTreeSet::from([face("NotoColorEmoji.ttf")]));
    // Box drawing in the body comes from the mono face, the only one that has it.
    assert_eq!(faces_of('┤'), BTreeSet::from([face("DejaVuSansMono.ttf")]));
    // The zero-width-joined family is one cluster, drawn as one emoji glyph.
    let family = glyphs_of(&drawn, '👨');
    assert_eq!(family.len(), 1, "{family:?}");
    assert_eq!(family[0].text, "👨\u{200d}👩\u{200d}👧");
}

/// A cluster no face has whole, but whose characters each have one (a Khmer vowel sign on a
/// Latin letter: Libertinus has the letter, Noto Serif Khmer the sign), prints as its
/// characters apart, each in its face, as a browser falls back; not as one replacement mark
/// that loses the letter. `check` names the cluster whole.
#[test]
fn a_cluster_no_face_has_whole_prints_its_characters_apart() {
    let dir = book("# Apart\n\nThe sign Q\u{17B6} stands on a Latin letter.\n");
    let (findings, drawn, fonts) = typeset(dir.path(), None);
    let w0600: Vec<&String> = findings.iter().filter(|f| f.starts_with("W0600")).collect();
    assert_eq!(
        w0600,
        [
            "W0600 no print font draws `Q\u{17B6}` whole (U+0051 Q, U+17B6 \u{17B6}): each \
          character has a font, but none has them together, so they print apart"
        ],
        "{findings:#?}"
    );
    let face = |file: &str| font_index(&fonts, &root().join("fonts").join(file));
    let q: Vec<&Drawn> = drawn.iter().filter(|d| d.text == "Q").collect();
    assert_eq!(q.len(), 1, "{q:?}");
    assert_eq!(q[0].font, face("LibertinusSerif-Regular.otf"));
    let sign = glyphs_of(&drawn, '\u{17B6}');
    assert!(!sign.is_empty(), "the sign is not drawn");
    for g in &sign {
        assert_eq!(g.text, "\u{17B6}", "{sign:?}");
        assert_eq!(g.font, face("NotoSerifKhmer-Regular.ttf"), "{sign:?}");
        assert_ne!(g.id, 0, "{sign:?}");
    }
    assert!(
        glyphs_of(&drawn, '\u{fffd}').is_empty(),
        "a replacement mark is drawn"
    );
}

#[test]
fn the_fallback_faces_are_embedded_in_the_pdf() {
    let Some(pdffonts) = common::tool("pdffonts") else {
        return;
    };
    let dir = book(MIXED);
    let pdf = common::build_edition("pdf", dir.path(), &dir.path().join("out"));
    let table = common::run(&pdffonts, &[pdf.to_str().expect("UTF-8")]);
    let rows = common::pdffonts_rows(&table);
    for family in [
        "NotoSansMath",
        "NotoMusic",
        "DejaVuSansMono",
        "NotoNaskhArabic",
    ] {
        assert!(
            rows.iter()
                .any(|r| r.name.contains(family) && r.embedded && r.subset),
            "{family} not embedded and subset:\n{table}"
        );
    }
    // The colour emoji are drawn as a Type 3 font of images, embedded by definition.
    assert!(table.contains("Type 3"), "{table}");
    assert!(rows.iter().all(|r| r.embedded), "{table}");
}

/// Debian's `fonts-noto-core` file for `name`, or `None` after reporting the skip.
fn system_noto(name: &str) -> Option<PathBuf> {
    let path = Path::new("/usr/share/fonts/truetype/noto").join(name);
    if path.is_file() {
        Some(path)
    } else {
        common::missing(
            &format!("fonts-noto-core ({name})"),
            "in /usr/share/fonts/truetype/noto",
        );
        None
    }
}

const INDIC: &str = "# Indic\n\nKannada ಕನ್ನಡ and Malayalam മലയാളം.\n";

#[test]
fn kannada_and_malayalam_come_from_the_machine_with_a_warning_naming_the_face() {
    let (Some(kannada), Some(malayalam)) = (
        system_noto("NotoSerifKannada-Regular.ttf"),
        system_noto("NotoSerifMalayalam-Regular.ttf"),
    ) else {
        return;
    };
    let dir = book(INDIC);
    let (findings, drawn, fonts) = typeset(dir.path(), None);
    let w0603: Vec<&String> = findings.iter().filter(|f| f.starts_with("W0603")).collect();
    assert_eq!(w0603.len(), 2, "{findings:#?}");
    assert!(
        w0603[0].starts_with(&format!(
            "W0603 the print font Noto Serif Kannada (`{}`) was taken from this machine's fonts for U+0C95 ಕ",
            kannada.display()
        )),
        "{w0603:?}"
    );
    assert!(w0603[1].contains("Noto Serif Malayalam"), "{w0603:?}");
    assert!(
        !findings.iter().any(|f| f.starts_with("W0600")),
        "{findings:#?}"
    );
    let k = font_index(&fonts, &kannada);
    let m = font_index(&fonts, &malayalam);
    for c in "ಕನ್ನಡ".chars().filter(|c| !matches!(c, '\u{CCD}')) {
        let glyphs = glyphs_of(&drawn, c);
        assert!(
            !glyphs.is_empty() && glyphs.iter().all(|g| g.id != 0 && g.font == k),
            "{c}: {glyphs:?}"
        );
    }
    for c in ['മ', 'ല', 'യ'] {
        let glyphs = glyphs_of(&drawn, c);
        assert!(
            !glyphs.is_empty() && glyphs.iter().all(|g| g.id != 0 && g.font == m),
            "{c}: {glyphs:?}"
        );
    }
}

#[test]
fn a_fonts_folder_is_searched_before_the_machine_and_without_a_warning() {
    let Some(kannada) = system_noto("NotoSansKannada-Regular.ttf") else {
        return;
    };
    let dir = book("# K\n\nKannada ಕನ್ನಡ.\n");
    let folder = tempfile::tempdir().expect("a temp dir");
    let copy = folder.path().join("NotoSansKannada-Regular.ttf");
    std::fs::copy(&kannada, &copy).expect("copy the font");
    let (findings, drawn, fonts) = typeset(dir.path(), Some(folder.path().to_path_buf()));
    assert!(
        !findings
            .iter()
            .any(|f| f.starts_with("W0603") || f.starts_with("W0600")),
        "{findings:#?}"
    );
    // The folder's Sans face, not the machine's Serif one that would come first there.
    let k = font_index(&fonts, &copy);
    let glyphs = glyphs_of(&drawn, 'ಕ');
    assert!(
        !glyphs.is_empty() && glyphs.iter().all(|g| g.id != 0 && g.font == k),
        "{glyphs:?}"
    );
}
