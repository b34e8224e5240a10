//! `book.yaml` → config: any text gives a configuration or diagnostics, never a panic, and
//! every diagnostic points at a line of the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(diagnostics) = bindery::config::parse("book.yaml", text) {
        assert!(!diagnostics.is_empty(), "an error says what is wrong");
        // Lines as YAML counts them (a lone `\r` ends one too), which is how bindery counts.
        let lines = bindery::source::line_starts(text).len();
        for d in &diagnostics {
            if let Some(at) = &d.location {
                assert!(at.line <= lines + 1, "{d:?} points past the file's {lines} lines");
            }
        }
    }
});
