//! The print edition's quality gate, `scripts/pdfmeter-gate.py`, must be able to fail. Each
//! fixture PDF that `tests/gate/make_pdfs.py` writes has exactly one defect (a page that ends in
//! a hyphen, loose lines above the threshold, a note whose text is on another page than its
//! reference) and the gate must fail on it, on that row and no other; the clean control must
//! pass. The gate's modes (`--no-notes`, `--ragged`) are held to the same: each fails on a book
//! that does not fit it. A row named `--known` (one pdfmeter misreads on a given book) is shown
//! and excused, but only that row, and only while it fails.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fixture PDFs, written once per run into `CARGO_TARGET_TMPDIR/gate/`.
fn fixtures(python: &Path) -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("gate");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("clear the fixtures folder");
        }
        let script = root().join("tests/gate/make_pdfs.py");
        common::run(
            python,
            &[
                script.to_str().expect("UTF-8 path"),
                dir.to_str().expect("UTF-8 path"),
            ],
        );
        dir
    })
}

/// What one run of the gate said: its exit code and the names of the rows that failed.
struct Verdict {
    code: Option<i32>,
    failed: BTreeSet<String>,
    table: String,
}

/// The fixtures, in the order of [`report`]'s cache.
const NAMES: [&str; 4] = ["control", "page-end-hyphen", "loose-lines", "note-off-page"];

/// pdfmeter's JSON report on the fixture `name`, measured once per run (pdfmeter takes seconds
/// per PDF; the gate then reads the saved report with `--report`).
fn report(python: &Path, meter: &Path, name: &str) -> &'static Path {
    static REPORTS: [OnceLock<PathBuf>; 4] = [const { OnceLock::new() }; 4];
    let index = NAMES
        .iter()
        .position(|n| *n == name)
        .unwrap_or_else(|| panic!("no fixture {name}"));
    REPORTS[index].get_or_init(|| {
        let pdf = fixtures(python).join(format!("{name}.pdf"));
        let json = common::run(
            python,
            &[
                meter.to_str().expect("UTF-8 path"),
                pdf.to_str().expect("UTF-8 path"),
                "--json",
            ],
        );
        let path = pdf.with_extension("pdfmeter.json");
        std::fs::write(&path, json).expect("save the report");
        path
    })
}

/// Runs the gate with `args` on the fixture `name` (`control`, `loose-lines`, …).
fn gate(name: &str, args: &[&str]) -> Option<Verdict> {
    let meter = common::pdfmeter()?;
    let python = common::tool("python3")?;
    let report = report(&python, &meter, name).to_str().expect("UTF-8 path");
    let mut args = args.to_vec();
    args.extend(["--report", report]);
    Some(run_gate(&python, &meter, None, &args))
}

/// Runs `scripts/pdfmeter-gate.py ARGS [PDF]` with pdfmeter at `meter`.
fn run_gate(python: &Path, meter: &Path, pdf: Option<&Path>, args: &[&str]) -> Verdict {
    let output = Command::new(python)
        .arg(root().join("scripts/pdfmeter-gate.py"))
        .args(args)
        .args(pdf)
        .env("PDFMETER", meter)
        .output()
        .expect("run pdfmeter-gate.py");
    let table = String::from_utf8_lossy(&output.stdout).into_owned();
    let failed = table
        .lines()
        .filter_map(|l| l.strip_prefix("pdfmeter gate: FAILED: "))
        .filter_map(|l| l.split_once(": measured ").map(|(name, _)| name.to_owned()))
        .collect();
    Verdict {
        code: output.status.code(),
        failed,
        table: format!("{table}{}", String::from_utf8_lossy(&output.stderr)),
    }
}

/// Asserts that the gate on `name` with `args` exits `code` with exactly the rows `failed`;
/// returns what it said, for further assertions (`None` after a skip).
fn assert_gate(name: &str, args: &[&str], code: i32, failed: &[&str]) -> Option<Verdict> {
    let v = gate(name, args)?;
    let expected: BTreeSet<String> = failed.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        v.failed, expected,
        "{name} {args:?}: failing rows\n{}",
        v.table
    );
    assert_eq!(
        v.code,
        Some(code),
        "{name} {args:?}: exit code\n{}",
        v.table
    );
    Some(v)
}

#[test]
fn the_clean_control_passes() {
    assert_gate("control", &[], 0, &[]);
}

#[test]
fn a_page_ending_in_a_hyphen_fails() {
    assert_gate("page-end-hyphen", &[], 1, &["pages ending in a hyphen"]);
}

#[test]
fn loose_lines_above_the_threshold_fail() {
    assert_gate("loose-lines", &[], 1, &["loose lines (> 1.5x) per 100"]);
}

#[test]
fn a_note_whose_text_is_on_another_page_fails() {
    // One defect, seen from both ends: the reference's page lacks the text, and the page with
    // the text lacks the reference.
    assert_gate(
        "note-off-page",
        &[],
        1,
        &[
            "footnotes off their reference's page",
            "note texts without a reference on their page",
        ],
    );
}

#[test]
fn no_notes_mode_fails_on_a_book_with_notes() {
    assert_gate(
        "control",
        &["--no-notes"],
        1,
        &["footnotes (none expected)"],
    );
}

#[test]
fn ragged_mode_fails_on_a_justified_book() {
    // The control is justified: as a ragged book its mode is wrong. Its word spaces stretch up
    // to 1.15x natural, wider than a ragged book's natural spaces.
    assert_gate(
        "control",
        &["--ragged"],
        1,
        &["justification mode", "widest word space / natural"],
    );
}

const LOOSE_KNOWN: &str = "loose lines (> 1.5x) per 100=the test's reason";

#[test]
fn a_known_row_is_shown_with_its_reason_and_does_not_fail() {
    let Some(v) = gate("loose-lines", &["--known", LOOSE_KNOWN]) else {
        return;
    };
    assert_eq!(v.code, Some(0), "{}", v.table);
    assert!(v.failed.is_empty(), "{}", v.table);
    assert!(
        v.table
            .lines()
            .any(|l| l.starts_with("loose lines (> 1.5x) per 100")
                && l.split_whitespace().any(|w| w == "known")),
        "the row is marked known:\n{}",
        v.table
    );
    let said = v
        .table
        .lines()
        .find_map(|l| l.strip_prefix("pdfmeter gate: known: loose lines (> 1.5x) per 100: "));
    let said = said.unwrap_or_else(|| panic!("no line for the known row:\n{}", v.table));
    assert!(
        said.starts_with("measured ") && said.ends_with(", required <= 1.00: the test's reason"),
        "{said}"
    );
}

#[test]
fn a_known_row_excuses_no_other() {
    // The misplaced note shows on two rows; excusing one leaves the other failing.
    assert_gate(
        "note-off-page",
        &[
            "--known",
            "footnotes off their reference's page=the test's reason",
        ],
        1,
        &["note texts without a reference on their page"],
    );
}

#[test]
fn a_known_row_that_passes_fails() {
    // The control has no loose line: a reason given for one no longer holds.
    let Some(v) = assert_gate(
        "control",
        &["--known", LOOSE_KNOWN],
        1,
        &["loose lines (> 1.5x) per 100"],
    ) else {
        return;
    };
    assert!(
        v.table
            .contains("listed as known (the test's reason) but passes: take it off the list"),
        "{}",
        v.table
    );
}

#[test]
fn a_known_row_must_name_a_row() {
    let Some(v) = gate("control", &["--known", "loose linez=typo"]) else {
        return;
    };
    assert_eq!(v.code, Some(2), "{}", v.table);
    assert!(
        v.table
            .contains("pdfmeter-gate: --known names no row of the gate: loose linez"),
        "{}",
        v.table
    );
}
