//! The pipeline: a book loaded once — config, sources, the model, its assets and every
//! diagnostic — with each edition as a step on it.
//!
//! ```text
//! Pipeline::load(dir) ─► check() ─┬─► epub(opts)              → EPUB bytes
//!                                 └─► typeset(opts) → &Typeset ─► pdf(&typeset, date) → PDF bytes
//!                                                     (kept)     └► pdf_from_kept(date, target)
//! ```
//!
//! The book is typeset at most once: the first [`Pipeline::typeset`] (the EPUB's, for its print
//! page map, or the PDF's) keeps its result, and every later step uses it.
//! [`Pipeline::pdf_from_kept`] uses it up, freeing each page once it is written.
//!
//! Assets that only some steps need are read lazily, at most once: the cover (the lints, the
//! EPUB and the PDF share one load), the print fonts (the glyph lint and the typesetter share
//! one [`FontSet`]) and the EPUB's `fonts/` folder. The writers get what they need from here
//! and read no file themselves.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use crate::assets::{self, ImageError, LoadedImage};
use crate::check::{self, CheckOptions};
use crate::diag::{self, Diagnostic, Outcome};
use crate::epub::{self, EpubInputs, EpubOptions};
use crate::load;
use crate::model::{Book, FontFile};
use crate::pdf::{self, PdfOptions, PdfTarget};
use crate::pod::{self, cover::Cover, Fitted, Service};
use crate::typeset::font::FontSet;
use crate::typeset::frame::ImageData;
use crate::typeset::{Progress, Typeset, TypesetOptions};

/// The print fonts as loaded, with the findings about where faces came from.
#[derive(Debug)]
struct PrintFonts {
    fonts: Result<FontSet, Vec<Diagnostic>>,
    /// W0603 for each face taken from the machine's font folders.
    found: Vec<Diagnostic>,
}

/// One of the book's editions (declared beside the diagnostics, which say which editions
/// they concern).
pub use crate::diag::Edition;

/// A loaded book and what has been found about it.
#[derive(Debug)]
pub struct Pipeline {
    root: PathBuf,
    /// `None` when `book.yaml` could not be read or parsed.
    book: Option<Book>,
    /// Findings so far: those of loading, then (after [`Pipeline::check`]) those of the lints.
    diagnostics: Vec<Diagnostic>,
    /// The editions whose lints have run.
    checked: Vec<Edition>,
    /// Whether the typesetter's findings are in `diagnostics` ([`Pipeline::check_layout`]).
    layout_checked: bool,
    /// The cover named in `book.yaml`, read on first use.
    cover: OnceLock<Option<Result<LoadedImage, ImageError>>>,
    /// The print fonts (built in, named under `pdf.fonts`, or found in font folders), read on
    /// first use.
    print_fonts: OnceLock<PrintFonts>,
    /// A folder of fonts given on the command line (`--fonts DIR`), searched for characters
    /// the built-in and configured faces lack, before the machine's font folders.
    font_dir: Option<PathBuf>,
    /// The `fonts/` folder, for an EPUB that embeds fonts, read on first use.
    epub_fonts: OnceLock<Result<Vec<FontFile>, Vec<Diagnostic>>>,
    /// The typeset print edition, made on first use and kept for every later step.
    typeset: OnceLock<Result<Fitted<Typeset>, Vec<Diagnostic>>>,
    /// How many times this pipeline has typeset the book (a gutter fit's runs count once).
    typesettings: AtomicUsize,
    /// How many times it has loaded the print fonts ([`Pipeline::print_font_loads`]).
    print_font_loads: AtomicUsize,
}

impl Pipeline {
    /// Loads `book.yaml` and the manuscript in `root`. Never fails: what went wrong is in
    /// [`Pipeline::diagnostics`], and [`Pipeline::book`] is `None` when there is no book.
    pub fn load(root: &Path) -> Pipeline {
        let loaded = load::load_book(root);
        Pipeline {
            root: root.to_path_buf(),
            book: loaded.book,
            diagnostics: loaded.diagnostics,
            checked: Vec::new(),
            layout_checked: false,
            cover: OnceLock::new(),
            print_fonts: OnceLock::new(),
            font_dir: None,
            epub_fonts: OnceLock::new(),
            typeset: OnceLock::new(),
            typesettings: AtomicUsize::new(0),
            print_font_loads: AtomicUsize::new(0),
        }
    }

    /// Searches `dir` (`--fonts DIR`) for characters the built-in and configured faces lack,
    /// before the machine's font folders. Call it before any step.
    pub fn with_font_dir(mut self, dir: Option<PathBuf>) -> Pipeline {
        self.font_dir = dir;
        self
    }

    /// The book's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The book, when `book.yaml` was read.
    pub fn book(&self) -> Option<&Book> {
        self.book.as_ref()
    }

    /// Every finding so far, sorted by file, line and column once checked.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The findings so far that concern one of `editions`: what a command making only those
    /// shows, and what can hold them back.
    pub fn diagnostics_for(&self, editions: &[Edition]) -> Vec<Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.concerns.any(editions))
            .cloned()
            .collect()
    }

    /// Whether any finding so far is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// How a run that stops here ends.
    pub fn outcome(&self, deny_warnings: bool) -> Outcome {
        Outcome::of(&self.diagnostics, deny_warnings)
    }

    /// Runs every lint, for every edition ([`Pipeline::check_for`] with [`Edition::ALL`]).
    pub fn check(&mut self) -> &[Diagnostic] {
        self.check_for(Edition::ALL)
    }

    /// Runs the lints whose findings concern one of `editions` ([`crate::diag::Code::concerns`]):
    /// glyph coverage against the print fonts only when the PDF is among them (when they
    /// cannot be loaded, their errors are reported instead), so that the EPUB alone never
    /// loads a print face. Returns every finding so far, sorted. Asking again for editions
    /// already checked changes nothing; asking for another adds the findings that concern only
    /// it.
    pub fn check_for(&mut self, editions: &[Edition]) -> &[Diagnostic] {
        let new: Vec<Edition> = editions
            .iter()
            .copied()
            .filter(|e| !self.checked.contains(e))
            .collect();
        if new.is_empty() {
            return &self.diagnostics;
        }
        let before = std::mem::take(&mut self.checked);
        let mut found = Vec::new();
        if let Some(book) = &self.book {
            let cover = self.cover().as_ref();
            let mut opts = CheckOptions {
                editions: &new,
                coverage: None,
                cover,
            };
            if new.contains(&Edition::Pdf) {
                found.extend(self.print_fonts_loaded().found.iter().cloned());
                match self.print_fonts() {
                    Ok(fonts) => {
                        let covers = check::font_coverage(fonts);
                        opts.coverage = Some(&covers);
                        found.extend(check::check_with(book, &opts));
                    }
                    Err(font_errors) => {
                        found.extend(font_errors.iter().cloned());
                        found.extend(check::check_with(book, &opts));
                    }
                }
            } else {
                found.extend(check::check_with(book, &opts));
            }
        }
        // What an edition checked before has already reported stays reported once.
        found.retain(|d| !d.concerns.any(&before));
        self.checked = before;
        self.checked.extend(new);
        self.diagnostics.extend(found);
        diag::sort_diagnostics(&mut self.diagnostics);
        &self.diagnostics
    }

    /// Typesets the print edition (once: the typesetting every later step uses) and adds the
    /// typesetter's own findings to the diagnostics: what it repaired (W0906, a table too wide;
    /// W0907, a word broken inside), located in the manuscript, or the errors that stopped it.
    /// Returns the findings it added (none when called again). Nothing is typeset when there
    /// is no book or an error already concerns the PDF: that PDF cannot be made anyway.
    pub fn check_layout(
        &mut self,
        progress: Option<&(dyn Fn(Progress) + Sync)>,
        threads: usize,
    ) -> Vec<Diagnostic> {
        let pdf_stopped = self
            .diagnostics
            .iter()
            .any(|d| d.is_error() && d.concerns.edition(Edition::Pdf));
        if self.layout_checked || self.book.is_none() || pdf_stopped {
            return Vec::new();
        }
        self.layout_checked = true;
        let mut found = match self.typeset(progress, threads) {
            Ok(typeset) => typeset.warnings.clone(),
            Err(errors) => errors,
        };
        // An error that stopped the typesetter may be one already reported (a print font).
        found.retain(|d| !self.diagnostics.contains(d));
        self.diagnostics.extend(found.iter().cloned());
        diag::sort_diagnostics(&mut self.diagnostics);
        found
    }

    /// How many times this pipeline has loaded the print fonts (0 or 1): `bindery epub`
    /// loads none, unless its print page numbers need the book typeset.
    pub fn print_font_loads(&self) -> usize {
        self.print_font_loads.load(Ordering::Relaxed)
    }

    /// The book, or the diagnostics that explain why there is none.
    fn require_book(&self) -> Result<&Book, Vec<Diagnostic>> {
        self.book.as_ref().ok_or_else(|| self.diagnostics.clone())
    }

    /// The cover named in `book.yaml`, loaded once (`None` when it names none).
    fn cover(&self) -> &Option<Result<LoadedImage, ImageError>> {
        self.cover.get_or_init(|| {
            let path = self.book.as_ref()?.config.cover.as_ref()?;
            // A cover outside the book is never read; the cover lint reports it (E0206).
            crate::paths::inside_book(&self.root, &self.root, path).ok()?;
            Some(assets::load_cover(&self.root.join(path)))
        })
    }

    /// The print fonts, loaded once.
    fn print_fonts(&self) -> &Result<FontSet, Vec<Diagnostic>> {
        &self.print_fonts_loaded().fonts
    }

    /// The print fonts and the findings about them, loaded once: the built-in faces with
    /// `pdf.fonts`, then, for characters of the book that no face has, the first face that has
    /// each from the `--fonts` folder and then from the machine's font folders (each of these
    /// with a W0603, since the PDF then depends on the machine).
    fn print_fonts_loaded(&self) -> &PrintFonts {
        self.print_fonts.get_or_init(|| {
            let book = match self.require_book() {
                Ok(book) => book,
                Err(d) => {
                    return PrintFonts {
                        fonts: Err(d),
                        found: Vec::new(),
                    }
                }
            };
            self.print_font_loads.fetch_add(1, Ordering::Relaxed);
            // A print font's E0601/E0602 concern only the PDF; one outside the book is never
            // read.
            let loaded = FontSet::load(&book.config.pdf.fonts, &|path| {
                let full =
                    crate::paths::inside_book(&self.root, &self.root, path).map_err(|why| {
                        std::io::Error::new(std::io::ErrorKind::PermissionDenied, why.to_string())
                    })?;
                std::fs::read(full)
            });
            let mut fonts = match loaded {
                Ok(fonts) => fonts,
                Err(e) => {
                    return PrintFonts {
                        fonts: Err(e),
                        found: Vec::new(),
                    }
                }
            };
            let found = self.find_faces(book, &mut fonts);
            PrintFonts {
                fonts: Ok(fonts),
                found,
            }
        })
    }

    /// Adds faces from the `--fonts` folder and the machine's font folders for the book's
    /// characters that no face of `fonts` has; returns a W0603 per face from the machine.
    fn find_faces(&self, book: &Book, fonts: &mut FontSet) -> Vec<Diagnostic> {
        let printed = check::printed_chars(book);
        let needed: Vec<char> = printed
            .keys()
            .copied()
            .filter(|&c| !fonts.any_face_has(c))
            .collect();
        if needed.is_empty() {
            return Vec::new();
        }
        let read = |path: &str| std::fs::read(path);
        let named = |files: Vec<PathBuf>| -> Vec<String> {
            files
                .into_iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect()
        };
        if let Some(dir) = &self.font_dir {
            let candidates = named(crate::fontdir::ranked_font_files(std::slice::from_ref(dir)));
            fonts.add_found(&needed, &candidates, &read);
        }
        let candidates = named(crate::fontdir::ranked_font_files(
            &crate::fontdir::system_dirs(),
        ));
        let found = fonts.add_found(&needed, &candidates, &read);
        found
            .into_iter()
            .map(|face| {
                let shown: Vec<String> = face
                    .chars
                    .iter()
                    .take(3)
                    .map(|c| format!("U+{:04X} {c}", u32::from(*c)))
                    .collect();
                let more = match face.chars.len() {
                    n if n > 3 => format!(" and {} more", n - 3),
                    _ => String::new(),
                };
                let d = Diagnostic::new(
                    crate::diag::Code::W0603,
                    format!(
                        "the print font {} (`{}`) was taken from this machine's fonts for {}{more}",
                        face.family,
                        face.source,
                        shown.join(", ")
                    ),
                )
                .with_help(
                    "the PDF now depends on the fonts installed here; to print the same book \
                     everywhere, copy the font into the book and list it under `pdf: fonts: \
                     fallback:` in book.yaml",
                );
                let first = face
                    .chars
                    .iter()
                    .find_map(|c| printed.get(c).copied().flatten());
                match first {
                    Some(span) => d.at_span(&book.sources, span),
                    None => d.in_file("book.yaml"),
                }
            })
            .collect()
    }

    /// The `fonts/` folder's font files, read once, and only for a book that embeds them.
    fn epub_fonts(&self) -> &Result<Vec<FontFile>, Vec<Diagnostic>> {
        self.epub_fonts.get_or_init(|| match &self.book {
            Some(book) if book.config.epub.embed_fonts => load::font_folder(&self.root),
            _ => Ok(Vec::new()),
        })
    }

    /// The EPUB edition's bytes. With `epub.print_page_numbers` the print edition's page map
    /// is used: the kept typeset's, or one typeset now (and kept).
    pub fn epub(&self, opts: &EpubOptions) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let book = self.require_book()?;
        let fonts = self.epub_fonts().as_ref().map_err(Clone::clone)?;
        let typeset = if book.config.epub.print_page_numbers {
            Some(self.typeset(None, 0)?)
        } else {
            None
        };
        let inputs = EpubInputs {
            cover: self.cover().as_ref(),
            fonts,
            page_map: typeset.map(|t| &t.page_map),
        };
        epub::build(book, &inputs, opts)
    }

    /// The typeset print edition. The first call typesets, calling `progress` as work advances
    /// (from worker threads too; `threads` is the number of layout workers, 0: the machine's
    /// parallelism); its result is kept, and later calls return it without typesetting again
    /// (their `progress` is not called).
    pub fn typeset(
        &self,
        progress: Option<&(dyn Fn(Progress) + Sync)>,
        threads: usize,
    ) -> Result<&Typeset, Vec<Diagnostic>> {
        self.typeset_fitted(progress, threads)
            .map(|fitted| &fitted.value)
    }

    /// [`Pipeline::typeset`], with the inner margin used and the runs it took: under
    /// `pdf.gutter: auto` the book is set again until the gutter suits the page count
    /// ([`pod::typeset_interior`]).
    pub fn typeset_fitted(
        &self,
        progress: Option<&(dyn Fn(Progress) + Sync)>,
        threads: usize,
    ) -> Result<&Fitted<Typeset>, Vec<Diagnostic>> {
        self.typeset
            .get_or_init(|| self.typeset_now(progress, threads))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// How many times this pipeline has typeset the book: 1 after any number of
    /// [`Pipeline::typeset`] calls, until [`Pipeline::pdf_from_kept`] uses the result up.
    pub fn typesettings(&self) -> usize {
        self.typesettings.load(Ordering::Relaxed)
    }

    fn typeset_now(
        &self,
        progress: Option<&(dyn Fn(Progress) + Sync)>,
        threads: usize,
    ) -> Result<Fitted<Typeset>, Vec<Diagnostic>> {
        let book = self.require_book()?;
        let fonts = self.print_fonts().as_ref().map_err(Clone::clone)?;
        // A cover that cannot be read was reported by `check`; the PDF then has no cover page.
        let cover = match (self.cover(), book.config.pdf.cover_page) {
            (Some(Ok(img)), true) => Some(ImageData {
                data: std::sync::Arc::new(img.data.clone()),
                format: img.format,
                width: img.width,
                height: img.height,
            }),
            _ => None,
        };
        let opts = TypesetOptions {
            progress,
            cover,
            threads,
        };
        self.typesettings.fetch_add(1, Ordering::Relaxed);
        pod::typeset_interior(book, fonts, &opts)
    }

    /// The PDF's bytes from a typeset book; `creation_date` in seconds since 1970 (normally
    /// `SOURCE_DATE_EPOCH`; `None` writes no date).
    pub fn pdf(
        &self,
        typeset: &Typeset,
        creation_date: Option<i64>,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        self.pdf_for(typeset, creation_date, PdfTarget::Reading)
    }

    /// [`Pipeline::pdf`] for `target`: the reading edition or a print service's upload file.
    pub fn pdf_for(
        &self,
        typeset: &Typeset,
        creation_date: Option<i64>,
        target: PdfTarget,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        pdf::write_pdf(&typeset.document, &self.pdf_options(creation_date, target)?)
            .map_err(|d| vec![d])
    }

    /// [`Pipeline::pdf_for`] on the kept typeset (typeset now when none is kept), which it
    /// uses up: each page is freed once written, so the pages and the PDF are never all in
    /// memory together. Take the EPUB (whose page map comes from the same typeset) first.
    pub fn pdf_from_kept(
        &mut self,
        creation_date: Option<i64>,
        target: PdfTarget,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let opts = self.pdf_options(creation_date, target)?;
        let kept = match self.typeset.take() {
            Some(kept) => kept,
            None => self.typeset_now(None, 0),
        }?;
        pdf::write_pdf_owned(kept.value.document, &opts).map_err(|d| vec![d])
    }

    fn pdf_options(
        &self,
        creation_date: Option<i64>,
        target: PdfTarget,
    ) -> Result<PdfOptions, Vec<Diagnostic>> {
        let book = self.require_book()?;
        // An upload file is for the printer, not for readers: it drops the links a tagged
        // PDF/UA file must carry as annotations, so it is written untagged. KDP's stays
        // PDF/A-2b when the book asks for PDF/A; IngramSpark's black-and-white interior must be
        // DeviceGray, and PDF/A would make every colour ICC-based, so it is plain PDF.
        let reading = target == PdfTarget::Reading;
        Ok(PdfOptions {
            accessible: book.config.pdf.accessible && reading,
            archival: book.config.pdf.archival && target != PdfTarget::IngramSpark,
            creation_date,
            document_id: Some(book.config.identifier.urn()),
            target,
        })
    }

    /// The paperback cover wrap for an interior of `pages` pages (from the same build), and its
    /// PDF bytes. `price` is the EAN-5 add-on beside the ISBN barcode.
    pub fn cover_wrap(
        &self,
        pages: usize,
        service: Service,
        price: Option<String>,
        creation_date: Option<i64>,
    ) -> Result<(Vec<u8>, Cover), Vec<Diagnostic>> {
        let book = self.require_book()?;
        let fonts = self.print_fonts().as_ref().map_err(Clone::clone)?;
        let rules = service.rules();
        let layout = pod::cover::CoverLayout::new(&book.config, rules, pages);
        let image = match self.cover() {
            Some(Ok(img)) => {
                let front_w = layout.width - layout.front_left();
                let cropped =
                    assets::crop_to_aspect(img, front_w / layout.height).map_err(|e| {
                        vec![Diagnostic::new(
                            crate::diag::Code::E0504,
                            format!("the cover cannot be cropped to the front: {e}"),
                        )
                        .in_file(book.config.cover.clone().unwrap_or_default())
                        .with_help("re-save the cover as an 8-bit PNG or a baseline JPEG")]
                    })?;
                Some(ImageData {
                    data: std::sync::Arc::new(cropped.data),
                    format: cropped.format,
                    width: cropped.width,
                    height: cropped.height,
                })
            }
            // A cover that cannot be read was reported by `check`.
            _ => None,
        };
        let input = pod::cover::CoverInput {
            pages,
            image,
            price_addon: price,
        };
        let made = pod::cover::build(&book.config, rules, fonts, &input)?;
        // The cover is artwork for the printer, not a document to read: untagged, and not
        // claimed as PDF/A.
        let opts = PdfOptions {
            accessible: false,
            archival: false,
            creation_date,
            document_id: Some(format!("{}#cover", book.config.identifier.urn())),
            target: PdfTarget::Kdp,
        };
        let bytes = pdf::write_pdf(&made.document, &opts).map_err(|d| vec![d])?;
        Ok((bytes, made))
    }

    /// Where an edition is written: `<out>/<slug of the title>.<extension>`, with a relative
    /// `out` taken relative to the book's folder.
    pub fn output_path(&self, out: &Path, edition: Edition) -> Option<PathBuf> {
        let book = self.book.as_ref()?;
        let dir = if out.is_absolute() {
            out.to_path_buf()
        } else {
            self.root.join(out)
        };
        let slug = crate::output::file_slug(&book.config.title);
        Some(dir.join(format!("{slug}.{}", edition.extension())))
    }
}
