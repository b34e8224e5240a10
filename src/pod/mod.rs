//! Print on demand: the print services' published rules in one table ([`rules`]), the gutter
//! fixpoint ([`fit_gutter`]), the cover wrap ([`cover`]), the EAN-13 barcode ([`barcode`]) and
//! the preflight ([`preflight`]). Documented in `docs/print-on-demand.md`.
//!
//! Every figure here is a service's published rule, named with its source; none is a taste.

pub mod barcode;
pub mod cover;
pub mod pdfread;
pub mod preflight;

use crate::config::INCH;
use crate::diag::Diagnostic;
use crate::model::Book;
use crate::typeset::font::FontSet;
use crate::typeset::{self, Typeset, TypesetOptions};

/// A print-on-demand service whose rules bindery knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// Amazon Kindle Direct Publishing, paperback.
    Kdp,
    /// IngramSpark (Lightning Source), paperback, black-and-white interior.
    IngramSpark,
}

impl Service {
    /// The name used on the command line and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Service::Kdp => "KDP",
            Service::IngramSpark => "IngramSpark",
        }
    }

    /// The service's rules.
    pub fn rules(self) -> &'static Rules {
        match self {
            Service::Kdp => &KDP,
            Service::IngramSpark => &INGRAMSPARK,
        }
    }
}

/// One row of a gutter table: books of up to `max_pages` pages need `inches` at the fold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GutterRow {
    pub max_pages: usize,
    pub inches: f32,
}

/// What a service asks of an interior and a cover. Lengths in inches.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    pub service: Service,
    /// Where the rules are published (named in words; shown in `docs/print-on-demand.md`).
    pub source: &'static str,
    /// Fewest and most pages of a paperback interior.
    pub min_pages: usize,
    pub max_pages: usize,
    /// Trim sizes accepted, width × height in inches.
    pub trims: &'static [(f32, f32)],
    /// Least inside margin (gutter) by page count, rows in increasing `max_pages`.
    pub gutter: &'static [GutterRow],
    /// Least outside, top and bottom margin without bleed, and with bleed.
    pub min_outside: f32,
    pub min_outside_bleed: f32,
    /// Bleed on each side when an interior or a cover bleeds.
    pub bleed: f32,
    /// The interior may carry bookmarks and annotations (links).
    pub allows_outline_and_links: bool,
    /// The black-and-white interior must hold no RGB (DeviceGray or CMYK black only).
    pub grey_only: bool,
    /// Spine text is allowed from this many pages on (thinner spines cannot hold it).
    pub min_spine_text_pages: usize,
    /// Spine text stays this far from each fold.
    pub spine_text_clearance: f32,
    /// Least image resolution at its placed size, pixels per inch.
    pub min_dpi: f32,
    /// Most blank pages in a row.
    pub max_blank_run: usize,
}

/// KDP's standard paperback trim sizes (KDP help, "Set trim size, bleed and margins").
const KDP_TRIMS: &[(f32, f32)] = &[
    (5.0, 8.0),
    (5.06, 7.81),
    (5.25, 8.0),
    (5.5, 8.5),
    (6.0, 9.0),
    (6.14, 9.21),
    (6.69, 9.61),
    (7.0, 10.0),
    (7.44, 9.69),
    (7.5, 9.25),
    (8.0, 10.0),
    (8.25, 6.0),
    (8.25, 8.25),
    (8.5, 8.5),
    (8.5, 11.0),
    (8.27, 11.69),
    (8.25, 11.0),
];

/// KDP's minimum inside margin by page count (KDP help, "Set trim size, bleed and margins").
const KDP_GUTTER: &[GutterRow] = &[
    GutterRow {
        max_pages: 150,
        inches: 0.375,
    },
    GutterRow {
        max_pages: 300,
        inches: 0.5,
    },
    GutterRow {
        max_pages: 500,
        inches: 0.625,
    },
    GutterRow {
        max_pages: 700,
        inches: 0.75,
    },
    GutterRow {
        max_pages: 828,
        inches: 0.875,
    },
];

/// KDP's paperback rules.
pub const KDP: Rules = Rules {
    service: Service::Kdp,
    source: "KDP help: \"Set trim size, bleed and margins\", \"Create a paperback cover\" and \
             \"Paperback submission guidelines\"",
    min_pages: 24,
    max_pages: 828,
    trims: KDP_TRIMS,
    gutter: KDP_GUTTER,
    min_outside: 0.25,
    min_outside_bleed: 0.375,
    bleed: 0.125,
    allows_outline_and_links: false,
    grey_only: false,
    min_spine_text_pages: 79,
    spine_text_clearance: 0.0625,
    min_dpi: 300.0,
    max_blank_run: 2,
};

/// IngramSpark's paperback rules. Its trim list is longer than KDP's and holds all of KDP's
/// standard sizes; bindery checks against those. The inside margin uses KDP's table (the
/// issue's rule): IngramSpark asks 0.5 in on every side, which the table meets up to 300 pages.
pub const INGRAMSPARK: Rules = Rules {
    service: Service::IngramSpark,
    source: "IngramSpark \"File Creation Guide\" (interior margins, bleed, colour, resolution)",
    min_pages: 18,
    max_pages: 1200,
    trims: KDP_TRIMS,
    gutter: KDP_GUTTER,
    min_outside: 0.5,
    min_outside_bleed: 0.5,
    bleed: 0.125,
    allows_outline_and_links: true,
    grey_only: true,
    min_spine_text_pages: 79,
    spine_text_clearance: 0.0625,
    min_dpi: 300.0,
    max_blank_run: 2,
};

/// The least inside margin, in pt, for a book of `pages` pages: the row that holds the count,
/// or the last row beyond the table (a longer book is refused by the page-count rule).
pub fn min_gutter(rules: &Rules, pages: usize) -> f32 {
    let row = rules
        .gutter
        .iter()
        .find(|r| pages <= r.max_pages)
        .or(rules.gutter.last());
    row.map_or(0.0, |r| r.inches * INCH)
}

/// The cover's spine width, pt: page count × paper thickness.
pub fn spine_width(pages: usize, paper_inches: f32) -> f32 {
    pages as f32 * paper_inches * INCH
}

/// The outcome of [`fit_gutter`].
#[derive(Debug, Clone)]
pub struct Fitted<T> {
    pub value: T,
    /// The inner margin used, pt.
    pub gutter: f32,
    pub pages: usize,
    /// Typesetting runs it took (1 when the first gutter fitted).
    pub runs: usize,
}

/// Re-typesets until the inner margin is at least the minimum for the page count it gives.
///
/// `typeset(gutter)` lays the book out with that inner margin (pt) and returns the result and
/// its page count. The first run uses `max(base, min_gutter(1 page))`; whenever the page count
/// asks for more, the gutter grows to that and the book is set again. The gutter only ever
/// grows and takes one of the table's finitely many values, so this ends after at most
/// `rules.gutter.len() + 1` runs. A wider gutter that makes the book *shorter* again (so that a
/// smaller row would do) keeps the wider gutter: that still meets the rule, and going back
/// could oscillate.
pub fn fit_gutter<T, E>(
    rules: &Rules,
    base: f32,
    mut typeset: impl FnMut(f32) -> Result<(T, usize), E>,
) -> Result<Fitted<T>, E> {
    let mut gutter = base.max(min_gutter(rules, 1));
    let mut runs = 0;
    loop {
        let (value, pages) = typeset(gutter)?;
        runs += 1;
        let needed = min_gutter(rules, pages);
        if needed <= gutter + GUTTER_EPSILON || runs > rules.gutter.len() {
            return Ok(Fitted {
                value,
                gutter,
                pages,
                runs,
            });
        }
        gutter = needed;
    }
}

/// Typesets the interior. With `pdf.gutter: auto`, through [`fit_gutter`] on the KDP table
/// (the inner margin is at least the table's minimum for the final page count, and at least
/// `margins.inner`); otherwise in one run with the configured margins.
pub fn typeset_interior(
    book: &Book,
    fonts: &FontSet,
    opts: &TypesetOptions<'_>,
) -> Result<Fitted<Typeset>, Vec<Diagnostic>> {
    let base = book.config.pdf.margin_inner;
    if !book.config.pdf.gutter_auto {
        let typeset = typeset::typeset(book, fonts, opts)?;
        let pages = typeset.document.pages.len();
        return Ok(Fitted {
            value: typeset,
            gutter: base,
            pages,
            runs: 1,
        });
    }
    // Only the inner margin changes between runs; the copy is made once.
    let mut copy = book.clone();
    fit_gutter(&KDP, base, |gutter| {
        copy.config.pdf.margin_inner = gutter;
        let typeset = typeset::typeset(&copy, fonts, opts)?;
        let pages = typeset.document.pages.len();
        Ok((typeset, pages))
    })
}

/// Lengths closer than this (pt) are equal: far below anything a printer can see.
pub const GUTTER_EPSILON: f32 = 0.01;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_by_page_count() {
        assert_eq!(min_gutter(&KDP, 24), 0.375 * INCH);
        assert_eq!(min_gutter(&KDP, 150), 0.375 * INCH);
        assert_eq!(min_gutter(&KDP, 151), 0.5 * INCH);
        assert_eq!(min_gutter(&KDP, 300), 0.5 * INCH);
        assert_eq!(min_gutter(&KDP, 301), 0.625 * INCH);
        assert_eq!(min_gutter(&KDP, 701), 0.875 * INCH);
    }

    #[test]
    fn spine_from_pages_and_paper() {
        assert!((spine_width(200, 0.002252) - 200.0 * 0.002252 * 72.0).abs() < 1e-3);
        assert!((spine_width(100, 0.0025) - 18.0).abs() < 1e-3);
    }

    /// A stub typesetter: `pages_at(gutter)` pages for a gutter, counting runs.
    fn stub(pages_at: impl Fn(f32) -> usize) -> impl FnMut(f32) -> Result<((), usize), ()> {
        move |g| Ok(((), pages_at(g)))
    }

    #[test]
    fn a_short_book_keeps_the_small_gutter() {
        let fit = fit_gutter(&KDP, 0.0, stub(|_| 140)).unwrap();
        assert_eq!((fit.gutter, fit.pages, fit.runs), (0.375 * INCH, 140, 1));
    }

    #[test]
    fn crossing_151_widens_once() {
        // 150 pages at 0.375 in would fit; this book has 152 at 0.375 and 156 at 0.5.
        let fit = fit_gutter(&KDP, 0.0, stub(|g| if g < 0.4 * INCH { 152 } else { 156 })).unwrap();
        assert_eq!((fit.gutter, fit.pages, fit.runs), (0.5 * INCH, 156, 2));
    }

    #[test]
    fn a_wider_gutter_that_adds_pages_past_the_next_row_widens_again() {
        // 300 pages at 0.375, 301 at 0.5, 305 at 0.625: three runs.
        let pages = |g: f32| {
            if g < 0.4 * INCH {
                300
            } else if g < 0.6 * INCH {
                301
            } else {
                305
            }
        };
        let fit = fit_gutter(&KDP, 0.0, stub(pages)).unwrap();
        assert_eq!((fit.gutter, fit.pages, fit.runs), (0.625 * INCH, 305, 3));
    }

    #[test]
    fn a_book_that_shrinks_back_under_150_keeps_the_wider_gutter_and_ends() {
        // An adversarial counter: 151 pages at the narrow gutter, 150 at the wide one.
        let fit = fit_gutter(&KDP, 0.0, stub(|g| if g < 0.4 * INCH { 151 } else { 150 })).unwrap();
        assert_eq!((fit.gutter, fit.pages, fit.runs), (0.5 * INCH, 150, 2));
    }

    #[test]
    fn ends_even_when_every_run_asks_for_more() {
        let mut n = 0;
        let fit = fit_gutter(&KDP, 0.0, |_| {
            n += 200;
            Ok::<_, ()>(((), n))
        })
        .unwrap();
        assert!(fit.runs <= KDP.gutter.len() + 1, "{} runs", fit.runs);
    }

    #[test]
    fn a_configured_inner_margin_above_the_table_is_kept() {
        let fit = fit_gutter(&KDP, 0.875 * INCH, stub(|_| 400)).unwrap();
        assert_eq!((fit.gutter, fit.runs), (0.875 * INCH, 1));
    }
}
