//! The Bookland EAN-13 barcode of an ISBN, with its optional EAN-5 price add-on, as bars
//! (rectangles) and the positions of its human-readable digits. The only module that knows
//! barcoders (the symbol encoding); the geometry is bindery's.

use barcoders::sym::ean13::EAN13;
use barcoders::sym::ean_supp::EANSUPP;

use crate::config::INCH;

/// Width of one module (the narrowest bar), pt: 0.0117 in, the 90 % magnification of GS1's
/// nominal 0.33 mm, which printers accept for book covers and which fits with the add-on in
/// a 2 in barcode area.
pub const MODULE: f32 = 0.0117 * INCH;
/// Height of the EAN-13's data bars, pt (truncated from GS1's 22.85 mm, as on most books, to
/// leave room for the "ISBN" line in a 1.2 in area).
pub const BAR_HEIGHT: f32 = 0.62 * INCH;
/// The guard bars run this many modules below the data bars, between the digits.
pub const GUARD_EXTRA_MODULES: f32 = 5.0;
/// Quiet zones GS1 requires: 11 modules left of the EAN-13, 7 right of it (the add-on's gap is
/// 7 to 12 modules; 9 is used).
pub const QUIET_LEFT_MODULES: f32 = 11.0;
pub const ADDON_GAP_MODULES: f32 = 9.0;
pub const QUIET_RIGHT_MODULES: f32 = 7.0;
/// Size of the human-readable digits and of the "ISBN" line, pt.
pub const DIGIT_SIZE: f32 = 8.5;

/// The add-on that means "no suggested retail price" (the price field of a US book).
pub const NO_PRICE: &str = "90000";

/// A filled bar, pt, relative to the top-left of the barcode's drawing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// A piece of human-readable text: `text` with its left edge at `x` and baseline at `y`.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub text: String,
    pub x: f32,
    pub y: f32,
    pub size: f32,
}

/// A drawn barcode: bars and labels, pt, from the top-left of its bounding box.
#[derive(Debug, Clone, PartialEq)]
pub struct Barcode {
    pub bars: Vec<Bar>,
    pub labels: Vec<Label>,
    pub width: f32,
    pub height: f32,
}

/// Why a barcode cannot be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BarcodeError {
    /// The ISBN is not 13 digits with a valid check digit.
    Isbn(String),
    /// The add-on is not 5 digits.
    AddOn(String),
}

/// The 95 modules of the EAN-13 for `isbn` (13 digits), `true` for a bar.
pub fn ean13_modules(isbn: &str) -> Result<Vec<bool>, BarcodeError> {
    if isbn.len() != 13 || !isbn.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BarcodeError::Isbn(isbn.to_string()));
    }
    let code = EAN13::new(isbn).map_err(|_| BarcodeError::Isbn(isbn.to_string()))?;
    Ok(code.encode().into_iter().map(|m| m == 1).collect())
}

/// The 47 modules of the EAN-5 add-on for `digits` (5 digits), `true` for a bar.
pub fn ean5_modules(digits: &str) -> Result<Vec<bool>, BarcodeError> {
    if digits.len() != 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BarcodeError::AddOn(digits.to_string()));
    }
    let code = EANSUPP::new(digits).map_err(|_| BarcodeError::AddOn(digits.to_string()))?;
    Ok(code.encode().into_iter().map(|m| m == 1).collect())
}

/// Runs of bars in `modules`: (first module, width in modules, is a guard bar).
fn runs(modules: &[bool], guard: impl Fn(usize) -> bool) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < modules.len() {
        if modules[i] {
            let start = i;
            while i < modules.len() && modules[i] {
                i += 1;
            }
            out.push((start, i - start, guard(start)));
        } else {
            i += 1;
        }
    }
    out
}

/// Draws the barcode of `isbn` with the "ISBN" line above and, when `addon` is given, the EAN-5
/// to its right with its digits above it.
pub fn draw(isbn: &str, addon: Option<&str>) -> Result<Barcode, BarcodeError> {
    let main = ean13_modules(isbn)?;
    let supp = addon.map(ean5_modules).transpose()?;
    let text_line = DIGIT_SIZE * 1.3;
    let top = text_line; // bars start below the "ISBN" line
    let guard = |m: usize| m < 3 || (45..50).contains(&m) || m >= 92;
    let left = QUIET_LEFT_MODULES * MODULE;
    let mut bars = Vec::new();
    for (start, width, is_guard) in runs(&main, guard) {
        let extra = if is_guard {
            GUARD_EXTRA_MODULES * MODULE
        } else {
            0.0
        };
        bars.push(Bar {
            x: left + start as f32 * MODULE,
            y: top,
            width: width as f32 * MODULE,
            height: BAR_HEIGHT + extra,
        });
    }
    let digit_y = top + BAR_HEIGHT + DIGIT_SIZE;
    let digit = |c: char, module: f32| Label {
        text: c.to_string(),
        x: left + module * MODULE,
        y: digit_y,
        size: DIGIT_SIZE,
    };
    let mut labels = vec![Label {
        text: format!("ISBN {isbn}"),
        x: left,
        y: DIGIT_SIZE,
        size: DIGIT_SIZE,
    }];
    let mut chars = isbn.chars();
    if let Some(first) = chars.next() {
        // The first digit sits in the left quiet zone.
        labels.push(digit(first, -7.0));
    }
    for (k, c) in chars.enumerate() {
        // Digits 2–7 under the left half (modules 3..45), 8–13 under the right (50..92).
        let module = if k < 6 { 3 + 7 * k } else { 50 + 7 * (k - 6) };
        labels.push(digit(c, module as f32 + 1.0));
    }
    let mut width = left + 95.0 * MODULE + QUIET_RIGHT_MODULES * MODULE;
    if let (Some(supp), Some(digits)) = (&supp, addon) {
        let supp_left = left + (95.0 + ADDON_GAP_MODULES) * MODULE;
        // The add-on's bars are as tall as the main's guards, less the digits set above them.
        let supp_top = top + DIGIT_SIZE * 1.2;
        let supp_height = BAR_HEIGHT + GUARD_EXTRA_MODULES * MODULE - DIGIT_SIZE * 1.2;
        for (start, w, _) in runs(supp, |_| false) {
            bars.push(Bar {
                x: supp_left + start as f32 * MODULE,
                y: supp_top,
                width: w as f32 * MODULE,
                height: supp_height,
            });
        }
        for (k, c) in digits.chars().enumerate() {
            // After the 4-module start guard, each digit is 7 modules plus a 2-module separator.
            let module = 4.0 + 9.0 * k as f32 + 1.0;
            labels.push(Label {
                text: c.to_string(),
                x: supp_left + module * MODULE,
                y: supp_top - DIGIT_SIZE * 0.25,
                size: DIGIT_SIZE,
            });
        }
        width = supp_left + supp.len() as f32 * MODULE + QUIET_RIGHT_MODULES * MODULE;
    }
    Ok(Barcode {
        bars,
        labels,
        width,
        height: digit_y + DIGIT_SIZE * 0.3,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits(s: &str) -> Vec<bool> {
        s.bytes().map(|b| b == b'1').collect()
    }

    /// GS1's tables: L (odd) and G (even) codes of the left half, R codes of the right, and the
    /// first digit's parity pattern (9 → L G G L G L).
    #[test]
    fn ean13_of_an_isbn_follows_the_gs1_tables() {
        let m = ean13_modules("9780306406157").unwrap();
        assert_eq!(m.len(), 95);
        assert_eq!(&m[0..3], &bits("101")[..], "start guard");
        assert_eq!(&m[45..50], &bits("01010")[..], "centre guard");
        assert_eq!(&m[92..95], &bits("101")[..], "end guard");
        // Left digits 7 8 0 3 0 6 with parity L G G L G L.
        let left = [
            "0111011", "0001001", "0100111", "0111101", "0100111", "0101111",
        ];
        for (k, code) in left.iter().enumerate() {
            assert_eq!(&m[3 + 7 * k..10 + 7 * k], &bits(code)[..], "left digit {k}");
        }
        // Right digits 4 0 6 1 5 7 in R codes.
        let right = [
            "1011100", "1110010", "1010000", "1100110", "1001110", "1000100",
        ];
        for (k, code) in right.iter().enumerate() {
            assert_eq!(
                &m[50 + 7 * k..57 + 7 * k],
                &bits(code)[..],
                "right digit {k}"
            );
        }
    }

    #[test]
    fn a_wrong_check_digit_or_a_short_isbn_is_refused() {
        assert!(ean13_modules("9780306406158").is_err());
        assert!(ean13_modules("978030640615").is_err());
        assert!(ean5_modules("9000").is_err());
    }

    /// The EAN-5 of 90000: the start guard 1011, then five 7-module digits separated by 01.
    #[test]
    fn ean5_has_its_guard_and_separators() {
        let m = ean5_modules(NO_PRICE).unwrap();
        assert_eq!(m.len(), 47);
        assert_eq!(&m[0..4], &bits("1011")[..]);
        for k in 0..4 {
            let sep = 4 + 7 * (k + 1) + 2 * k;
            assert_eq!(&m[sep..sep + 2], &bits("01")[..], "separator {k}");
        }
    }

    #[test]
    fn drawing_puts_thirteen_digits_and_the_isbn_line() {
        let code = draw("9780306406157", Some(NO_PRICE)).unwrap();
        assert_eq!(code.labels[0].text, "ISBN 9780306406157");
        // 1 ISBN line + 13 digits + 5 add-on digits.
        assert_eq!(code.labels.len(), 19);
        // Guards are longer than data bars.
        let tallest = code.bars.iter().map(|b| b.height).fold(0.0, f32::max);
        assert!((tallest - (BAR_HEIGHT + GUARD_EXTRA_MODULES * MODULE)).abs() < 1e-3);
        assert!(code.width <= 2.0 * INCH, "{} pt wide", code.width);
        assert!(code.height <= 1.2 * INCH, "{} pt high", code.height);
    }
}
