//! Properties over generated manuscripts (proptest): whatever Markdown and raw HTML an author
//! writes, loading never panics, the EPUB's chapters are well-formed XML (quick-xml), and the
//! typesetter lays the book out without a panic.

use std::io::Read;

use bindery::pipeline::Pipeline;
use proptest::prelude::*;

/// Pieces real manuscripts are made of, hostile ones included: Markdown syntax, raw HTML with
/// broken nesting, entities, scripts, links of every kind, notes, and odd characters.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Zéß ]{1,12}".prop_map(|s| s),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("# ".to_string()),
        Just("## ".to_string()),
        Just("> ".to_string()),
        Just("- ".to_string()),
        Just("1. ".to_string()),
        Just("*".to_string()),
        Just("**".to_string()),
        Just("`".to_string()),
        Just("```\n".to_string()),
        Just("[^n]".to_string()),
        Just("\n[^n]: a note\n".to_string()),
        Just("[link](other.md#x)".to_string()),
        Just("[js](javascript:alert(1))".to_string()),
        Just("<b>".to_string()),
        Just("</b>".to_string()),
        Just("<div>".to_string()),
        Just("</div>".to_string()),
        Just("<span lang=\"km\">".to_string()),
        Just("</span>".to_string()),
        Just("<table><td>x".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("<a href=\"javascript:x\">".to_string()),
        Just("<!-- c".to_string()),
        Just("&mdash;&#0;&bogus;".to_string()),
        Just("<sup>2".to_string()),
        Just("ខ្មែរ".to_string()),
        Just("\u{1}\u{feff}\r\n".to_string()),
        Just("{% raw %}".to_string()),
        Just("{{< youtube x >}}".to_string()),
        Just("{{% notice %}}".to_string()),
        Just("{% comment %}".to_string()),
        Just("{% endcomment %}".to_string()),
        Just("{{< figure caption=\"no image\" >}}".to_string()),
        Just("---\ntitle: \"T".to_string()),
        Just("---\ntitle: T\ndraft: false\n---\n".to_string()),
        Just("+++\ntitle = \"T\"\ndate = 2021-04-17\n+++\n".to_string()),
        Just("+++\ntitle = = \n+++\n".to_string()),
        Just("|a|b|\n|-|-|\n|1|2|\n".to_string()),
    ]
}

fn article() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|p| p.concat())
}

fn assert_well_formed(name: &str, xml: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{name} is not well-formed: {e}\n{xml}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_manuscript_gives_well_formed_xhtml_and_lays_out(first in article(), second in article()) {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let root = tmp.path();
        std::fs::create_dir_all(root.join("manuscript")).expect("folders");
        std::fs::write(root.join("book.yaml"), "title: P\nauthors: [A]\nlanguage: en\n").expect("yaml");
        std::fs::write(root.join("manuscript/01-a.md"), format!("# One\n\n{first}")).expect("a");
        std::fs::write(root.join("manuscript/other.md"), &second).expect("b");
        let mut pipeline = Pipeline::load(root);
        pipeline.check();
        if pipeline.has_errors() {
            // Only what cannot be repaired may stop a book: here, nothing of the kind.
            let errors: Vec<_> = pipeline.diagnostics().iter().filter(|d| d.is_error()).collect();
            panic!("errors on a repairable manuscript: {errors:?}");
        }
        let bytes = pipeline
            .epub(&bindery::epub::EpubOptions { source_date_epoch: Some(0) })
            .expect("an EPUB");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).expect("an entry");
            let name = f.name().to_string();
            if name.ends_with(".xhtml") {
                let mut text = String::new();
                f.read_to_string(&mut text).expect("UTF-8");
                assert_well_formed(&name, &text);
                prop_assert!(!text.contains("<script"), "{name}");
                prop_assert!(!text.to_ascii_lowercase().contains("<a href=\"javascript:"), "{name}");
            }
        }
        pipeline.typeset(None, 1).expect("the book lays out");
    }
}
