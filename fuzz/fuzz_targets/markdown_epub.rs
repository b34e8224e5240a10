//! Markdown → model → EPUB: any article that loads gives an EPUB whose every XHTML file is
//! well-formed XML (quick-xml) and holds no script.
#![no_main]

use std::io::Read;

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some(pipeline) = common::load(data) else {
        return;
    };
    let bytes = pipeline
        .epub(&bindery::epub::EpubOptions {
            source_date_epoch: Some(0),
        })
        .expect("a book without errors gives an EPUB");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("the EPUB is a zip");
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).expect("an entry");
        let name = file.name().to_string();
        if !name.ends_with(".xhtml") {
            continue;
        }
        let mut xml = String::new();
        file.read_to_string(&mut xml).expect("XHTML is UTF-8");
        let mut reader = quick_xml::Reader::from_str(&xml);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{name} is not well-formed: {e}\n{xml}"),
            }
        }
        assert!(!xml.contains("<script"), "{name} holds a script");
    }
});
