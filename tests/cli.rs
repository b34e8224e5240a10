//! The command line as a user meets it: `init`, argument errors, quiet output.

use std::process::Command;

fn bindery() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bindery"))
}

#[test]
fn init_writes_a_book_that_checks_clean_but_for_the_cover() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("new-book");
    let out = bindery().arg("init").arg(&book).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let yaml = std::fs::read_to_string(book.join("book.yaml")).unwrap();
    assert!(yaml.contains("title: My Book\nauthors: [Your Name]\nlanguage: en\n"));
    let article = std::fs::read_to_string(book.join("manuscript/01-first-article.md")).unwrap();
    assert!(article.contains("[^first]") && article.contains("[^first]: "));

    let check = bindery()
        .args(["check", "--book"])
        .arg(&book)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning[W0506]: the book has no cover image"),
        "{stderr}"
    );
    assert!(!stderr.contains("error["), "{stderr}");
    assert!(
        stderr.contains("check: 0 error(s), 1 warning(s)"),
        "{stderr}"
    );
}

#[test]
fn init_refuses_to_overwrite_a_book() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("book.yaml"), "title: Mine\n").unwrap();
    let out = bindery().arg("init").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("book.yaml")).unwrap(),
        "title: Mine\n"
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = bindery().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bindery()
        .args(["check", "--format", "xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_missing_book_directory_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = bindery()
        .args(["epub", "--book"])
        .arg(dir.path().join("nope"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[E0900]: cannot read"), "{stderr}");
    assert!(stderr.contains("help: "), "{stderr}");
}
