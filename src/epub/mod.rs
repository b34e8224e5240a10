//! The EPUB 3 edition: model → XHTML → package. The only module that knows epub-builder.
//!
//! The package holds, in reading order: a cover page (when the book has a cover), a title page,
//! a copyright page, an in-book contents page, the lists of figures and of tables when
//! `contents: { figures, tables }` asks for them, and one XHTML file per article
//! (`<slug>.xhtml`). epub-builder writes the OPF, the EPUB 3 nav (contents to `toc_depth`,
//! landmarks) and the EPUB 2 NCX. What it cannot express is added afterwards by `patch`,
//! which rewrites two zip entries and copies the others unchanged: `content.opf` gets the
//! package's language and the `metadata` it has no setter for (an ISBN, publisher, date,
//! subtitle, series, accessibility); `nav.xhtml` gets its language, ARIA role and landmark
//! names (`nav_accessibility`).
//!
//! Output is reproducible: the UUID comes from the identifier, `dcterms:modified` from
//! `SOURCE_DATE_EPOCH` or the book's date (never the clock), zip entries carry fixed times.

pub mod pages;
mod xhtml;

use std::io::{Cursor, Read, Write};

use epub_builder::{EpubBuilder, EpubContent, EpubVersion, ReferenceType, TocElement, ZipLibrary};

use crate::assets::{self, ImageError, LoadedImage};
use crate::config::{BookConfig, Identifier};
use crate::diag::{Code, Diagnostic};
use crate::html;
use crate::model::{Book, FontFile, InlineKind};

pub use xhtml::{chapter_file, xml_id};

/// Settings that do not come from book.yaml.
#[derive(Debug, Clone, Default)]
pub struct EpubOptions {
    /// Seconds since the epoch for `dcterms:modified` (from `SOURCE_DATE_EPOCH`); `None` uses the
    /// book's date, or 2000-01-01, never the clock, so that builds are reproducible.
    pub source_date_epoch: Option<i64>,
}

/// The book stylesheet (fonts' `@font-face` rules are put in front of it).
const STYLESHEET: &str = include_str!("style.css");

/// Largest cover the EPUB carries, in px: the common store recommendation (1:1.6).
const COVER_MAX_WIDTH: u32 = 1600;
const COVER_MAX_HEIGHT: u32 = 2560;

/// The date used for `dcterms:modified` when neither `SOURCE_DATE_EPOCH` nor the book's date is
/// known: a fixed value keeps builds byte-identical.
const FALLBACK_MODIFIED: crate::config::Date = crate::config::Date {
    year: 2000,
    month: Some(1),
    day: Some(1),
};

/// The conformance statement of EPUB Accessibility 1.1 that bindery's output can earn.
pub const CONFORMS_TO: &str = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA";

/// File names of the front matter. They hold `_`, which article slugs never do.
const COVER_PAGE: &str = "front_cover.xhtml";
const TITLE_PAGE: &str = "front_title.xhtml";
const COPYRIGHT_PAGE: &str = "front_copyright.xhtml";
const CONTENTS_PAGE: &str = "front_contents.xhtml";
/// The lists after the contents (`contents: { figures, tables }`).
const FIGURES_PAGE: &str = "front_figures.xhtml";
const TABLES_PAGE: &str = "front_tables.xhtml";

/// What the EPUB takes from the disk besides the book, read by the caller (the pipeline): the
/// writer itself reads no file.
#[derive(Debug, Clone, Copy, Default)]
pub struct EpubInputs<'a> {
    /// The cover named in `book.yaml`, as loaded (`None` when the book names none).
    pub cover: Option<&'a Result<LoadedImage, ImageError>>,
    /// The files of the book's `fonts/` folder, in name order; embedded with
    /// `epub.embed_fonts` (only `.otf` and `.ttf` files are used).
    pub fonts: &'a [FontFile],
    /// Where each print page begins (the typesetter's page map), with
    /// `epub.print_page_numbers`: the EPUB then gets page-break markers and a page list.
    pub page_map: Option<&'a crate::typeset::PageMap>,
}

/// Builds the EPUB file's bytes.
pub fn build(
    book: &Book,
    inputs: &EpubInputs<'_>,
    opts: &EpubOptions,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let cover = load_cover(book, inputs.cover)?;
    let fonts = if book.config.epub.embed_fonts {
        embedded_fonts(inputs.fonts)
    } else {
        Vec::new()
    };
    let internal = |e: String| {
        vec![
            Diagnostic::new(Code::E0904, format!("cannot write the EPUB package: {e}")).with_help(
                "this is a bug in bindery; please report it with the book that causes it",
            ),
        ]
    };
    let breaks = inputs
        .page_map
        .map(|map| pages::PageBreaks::from_map(book, map, cover.is_some()))
        .unwrap_or_default();
    let bytes = package(book, opts, cover.as_ref(), &fonts, &breaks)
        .map_err(|e| internal(e.to_string()))?;
    let page_list = (!breaks.markers.is_empty()).then(|| {
        breaks.page_list(|place| match place {
            pages::Place::Front(pages::FrontDoc::Cover) => COVER_PAGE.to_string(),
            pages::Place::Front(pages::FrontDoc::Title) => TITLE_PAGE.to_string(),
            pages::Place::Front(pages::FrontDoc::Copyright) => COPYRIGHT_PAGE.to_string(),
            pages::Place::Front(pages::FrontDoc::Contents) => CONTENTS_PAGE.to_string(),
            pages::Place::Front(pages::FrontDoc::Figures) => FIGURES_PAGE.to_string(),
            pages::Place::Front(pages::FrontDoc::Tables) => TABLES_PAGE.to_string(),
            pages::Place::Word { chapter, .. } | pages::Place::End { chapter } => book
                .chapters
                .get(*chapter)
                .map(|c| chapter_file(&c.slug))
                .unwrap_or_default(),
        })
    });
    let extra = metadata(book, page_list.is_some()).join("\n    ");
    let lang = html::attr(&book.config.language);
    let rtl = crate::lang::is_rtl(&book.config.language);
    patch(&bytes, |name, text| match name {
        "OEBPS/content.opf" => {
            let mut opf = package_identifier(text, &book.config.identifier);
            let at = opf.find("</metadata>")?;
            opf.insert_str(at, &format!("  {extra}\n  "));
            // A right-to-left book turns its pages from right to left.
            if rtl {
                opf = opf.replacen(
                    "page-progression-direction=\"ltr\"",
                    "page-progression-direction=\"rtl\"",
                    1,
                );
            }
            // The package's own language (Ace's `epub-lang`): epub-builder writes only
            // `dc:language`, which names the content's language, not the OPF text's.
            Some(opf.replacen(
                "<package version=\"3.0\" ",
                &format!("<package version=\"3.0\" xml:lang=\"{lang}\" "),
                1,
            ))
        }
        "OEBPS/nav.xhtml" => {
            let nav = nav_accessibility(text, &lang, rtl);
            Some(match &page_list {
                Some(list) => nav.replacen("</body>", &format!("{list}</body>"), 1),
                None => nav,
            })
        }
        _ => None,
    })
    .map_err(internal)
}

/// What epub-builder's nav template leaves out for assistive technology: the document's
/// language, the ARIA role of the contents (`doc-toc`, to match `epub:type="toc"`) and a name
/// for each `<nav>` landmark, so that screen readers can tell the two apart. `lang` is
/// already escaped for an attribute; `rtl` adds `dir="rtl"`.
fn nav_accessibility(nav: &str, lang: &str, rtl: bool) -> String {
    let dir = if rtl { " dir=\"rtl\"" } else { "" };
    nav.replacen(
        "xmlns:epub=\"http://www.idpf.org/2007/ops\">",
        &format!(
            "xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{lang}\" xml:lang=\"{lang}\"{dir}>"
        ),
        1,
    )
    .replacen(
        "<nav epub:type = \"toc\" id=\"toc\">",
        "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\" aria-labelledby=\"toc-title\">",
        1,
    )
    .replacen(
        "<nav epub:type = \"landmarks\">",
        "<nav epub:type=\"landmarks\" aria-label=\"Landmarks\">",
        1,
    )
}

/// Rewrites the text entries for which `edit` returns new text (the OPF gets the metadata
/// epub-builder cannot write; the nav gets its language). Every other entry is copied raw, so
/// its bytes, order and fixed timestamp stay as epub-builder wrote them.
fn patch(epub: &[u8], edit: impl Fn(&str, &str) -> Option<String>) -> Result<Vec<u8>, String> {
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let mut archive = zip::ZipArchive::new(Cursor::new(epub)).map_err(|e| err(&e))?;
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let name = archive
            .by_index_raw(i)
            .map_err(|e| err(&e))?
            .name()
            .to_string();
        let mut new_text = None;
        if name.ends_with(".opf") || name.ends_with(".xhtml") {
            let mut text = String::new();
            archive
                .by_index(i)
                .map_err(|e| err(&e))?
                .read_to_string(&mut text)
                .map_err(|e| err(&e))?;
            new_text = edit(&name, &text);
        }
        match new_text {
            None => {
                let file = archive.by_index_raw(i).map_err(|e| err(&e))?;
                writer.raw_copy_file(file).map_err(|e| err(&e))?;
            }
            Some(text) => {
                let options = zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated)
                    .last_modified_time(zip::DateTime::default());
                writer.start_file(name, options).map_err(|e| err(&e))?;
                writer.write_all(text.as_bytes()).map_err(|e| err(&e))?;
            }
        }
    }
    let out = writer.finish().map_err(|e| err(&e))?;
    Ok(out.into_inner())
}

/// The cover prepared for the package: scaled to fit, with its file name.
struct Cover {
    file: String,
    media_type: &'static str,
    data: Vec<u8>,
}

fn load_cover(
    book: &Book,
    loaded: Option<&Result<LoadedImage, ImageError>>,
) -> Result<Option<Cover>, Vec<Diagnostic>> {
    let Some(rel) = &book.config.cover else {
        return Ok(None);
    };
    let fail = |why: String| {
        vec![Diagnostic::new(
            Code::E0504,
            format!("the cover `{rel}` cannot be used: {why}"),
        )
        .in_file("book.yaml")
        .with_help(
            "`cover:` in book.yaml must name a PNG or JPEG file, relative to the book's folder",
        )]
    };
    let missing = Err(ImageError::Missing("it was not loaded".into()));
    let img = loaded.unwrap_or(&missing).as_ref().map_err(|e| {
        fail(match e {
            ImageError::Missing(m) => format!("it cannot be read ({m})"),
            ImageError::Unsupported(f) => format!("it is not a PNG or JPEG ({f})"),
            ImageError::Corrupt(m) => format!("it does not decode ({m})"),
            ImageError::TooLarge { width, height } => {
                format!("it is {}", ImageError::too_large(*width, *height))
            }
        })
    })?;
    let img = assets::epub_cover(img, COVER_MAX_WIDTH, COVER_MAX_HEIGHT)
        .map_err(|e| fail(format!("it cannot be scaled ({e:?})")))?;
    let ext = img.format.extension();
    Ok(Some(Cover {
        file: format!("cover.{ext}"),
        media_type: img.format.media_type(),
        data: img.data,
    }))
}

/// A font file to embed.
struct Font {
    /// Path inside the package (`fonts/<name>`).
    file: String,
    media_type: &'static str,
    family: String,
    /// CSS weight (400 regular, 600 semibold, 700 bold).
    weight: u16,
    italic: bool,
    data: Vec<u8>,
}

/// The fonts to embed: the `.otf` and `.ttf` files among `files` (the `fonts/` folder, in
/// name order).
fn embedded_fonts(files: &[FontFile]) -> Vec<Font> {
    let mut fonts: Vec<Font> = Vec::new();
    for font_file in files {
        let name = font_file.name.as_str();
        let lower = name.to_ascii_lowercase();
        let media_type = if lower.ends_with(".otf") {
            "font/otf"
        } else if lower.ends_with(".ttf") {
            "font/ttf"
        } else {
            continue;
        };
        let data = font_file.data.clone();
        let stem = &name[..name.len() - 4];
        let safe: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '.') {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let mut file = format!("fonts/{safe}");
        let mut n = 2;
        while fonts.iter().any(|f| f.file == file) {
            file = format!("fonts/{n}-{safe}");
            n += 1;
        }
        let (family, style) = stem.rsplit_once('-').unwrap_or((stem, "Regular"));
        let style = style.to_ascii_lowercase();
        let weight = if style.contains("semibold") || style.contains("demibold") {
            600
        } else if style.contains("bold") {
            700
        } else if style.contains("medium") {
            500
        } else {
            400
        };
        fonts.push(Font {
            file,
            media_type,
            family: family
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
                .collect(),
            weight,
            italic: style.contains("italic") || style.contains("oblique"),
            data,
        });
    }
    fonts
}

/// `@font-face` rules and the font stacks for body text and code.
fn font_css(fonts: &[Font]) -> String {
    let mut css = String::new();
    let mut body: Vec<&str> = Vec::new();
    let mut mono: Vec<&str> = Vec::new();
    for f in fonts {
        css.push_str(&format!(
            "@font-face {{\n  font-family: \"{}\";\n  font-weight: {};\n  font-style: {};\n  src: url(\"{}\");\n}}\n\n",
            f.family,
            f.weight,
            if f.italic { "italic" } else { "normal" },
            f.file
        ));
        let list = if f.family.to_ascii_lowercase().contains("mono") {
            &mut mono
        } else {
            &mut body
        };
        if !list.contains(&f.family.as_str()) {
            list.push(&f.family);
        }
    }
    let stack = |names: &[&str], generic: &str| {
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .chain(std::iter::once(generic.to_string()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !body.is_empty() {
        css.push_str(&format!(
            "body {{\n  font-family: {};\n}}\n\n",
            stack(&body, "serif")
        ));
    }
    if !mono.is_empty() {
        css.push_str(&format!(
            "code, pre {{\n  font-family: {};\n}}\n\n",
            stack(&mono, "monospace")
        ));
    }
    css
}

fn package(
    book: &Book,
    opts: &EpubOptions,
    cover: Option<&Cover>,
    fonts: &[Font],
    breaks: &pages::PageBreaks,
) -> epub_builder::Result<Vec<u8>> {
    let config = &book.config;
    let mut epub = EpubBuilder::new(ZipLibrary::new()?)?;
    epub.epub_version(EpubVersion::V30);
    epub.set_title(clean(&config.title));
    epub.set_authors(config.authors.iter().map(|a| clean(a)).collect());
    epub.set_lang(config.language.clone());
    epub.set_generator("bindery");
    let front = crate::front::front_matter(config);
    epub.set_toc_name(clean(&front.contents_title));
    if let Some(d) = &config.description {
        epub.add_description(clean(d));
    }
    if let Some(r) = &config.rights {
        epub.set_license(clean(r));
    }
    epub.set_uuid(package_uuid(&config.identifier));
    epub.set_modified_date(modified_date(config, opts));

    let mut css = font_css(fonts);
    css.push_str(STYLESHEET);
    epub.stylesheet(css.as_bytes())?;
    for f in fonts {
        epub.add_resource(&f.file, f.data.as_slice(), f.media_type)?;
    }
    for a in &book.assets {
        epub.add_resource(&a.name, a.data.as_slice(), a.format.media_type())?;
    }

    let lang = &config.language;
    if let Some(c) = cover {
        epub.add_cover_image(&c.file, c.data.as_slice(), c.media_type)?;
        let body = format!(
            "{}<section class=\"cover\" epub:type=\"cover\">\n<img src=\"{}\" alt=\"{}\" role=\"doc-cover\"/>\n</section>\n",
            breaks.front(pages::FrontDoc::Cover),
            html::attr(&c.file),
            html::attr(&front.cover_alt)
        );
        let page = xhtml::page(&front.cover_title, lang, " class=\"cover\"", &body);
        epub.add_content(
            EpubContent::new(COVER_PAGE, page.as_bytes()).reftype(ReferenceType::Cover),
        )?;
    }
    let body = breaks.front(pages::FrontDoc::Title) + &title_page(&front.title_page);
    let page = xhtml::page(&front.title_page.title, lang, "", &body);
    epub.add_content(
        EpubContent::new(TITLE_PAGE, page.as_bytes()).reftype(ReferenceType::TitlePage),
    )?;
    let body = breaks.front(pages::FrontDoc::Copyright) + &copyright_page(&front.copyright);
    let page = xhtml::page(&front.copyright.heading, lang, "", &body);
    epub.add_content(
        EpubContent::new(COPYRIGHT_PAGE, page.as_bytes()).reftype(ReferenceType::Copyright),
    )?;

    let tocs: Vec<TocElement> = (0..book.chapters.len())
        .map(|i| chapter_toc(book, i))
        .collect();
    let contents_title = front.contents_title.as_str();
    let body = breaks.front(pages::FrontDoc::Contents) + &contents_page(contents_title, &tocs);
    let page = xhtml::page(contents_title, lang, "", &body);
    epub.add_content(
        EpubContent::new(CONTENTS_PAGE, page.as_bytes())
            .title(clean(contents_title))
            .reftype(ReferenceType::Toc),
    )?;

    // The lists of figures and of tables, each a page of its own after the contents (in the
    // spine and in the nav's contents); a list with no entry is left out, as in print.
    let words = config.words();
    for (on, title, listed, file, doc, kind) in [
        (
            config.contents.figures,
            words.list_of_figures,
            &book.numbers.figure_list,
            FIGURES_PAGE,
            pages::FrontDoc::Figures,
            "loi",
        ),
        (
            config.contents.tables,
            words.list_of_tables,
            &book.numbers.table_list,
            TABLES_PAGE,
            pages::FrontDoc::Tables,
            "lot",
        ),
    ] {
        if !on || listed.is_empty() {
            continue;
        }
        let body = breaks.front(doc) + &list_page(book, title, kind, listed);
        let page = xhtml::page(title, lang, "", &body);
        epub.add_content(EpubContent::new(file, page.as_bytes()).title(clean(title)))?;
    }

    for (i, toc) in tocs.into_iter().enumerate() {
        let page = xhtml::chapter_page(book, i, breaks);
        let mut content = EpubContent::new(toc.url.clone(), page.as_bytes());
        content.toc = toc;
        if i == 0 {
            content = content.reftype(ReferenceType::Text);
        }
        epub.add_content(content)?;
    }

    let mut out = Vec::new();
    epub.generate(&mut out)?;
    Ok(out)
}

/// The contents entry of one chapter: the article, and its headings down to `toc_depth`.
fn chapter_toc(book: &Book, index: usize) -> TocElement {
    let Some(chapter) = book.chapters.get(index) else {
        return TocElement::new("", "");
    };
    let file = chapter_file(&chapter.slug);
    let title = crate::front::chapter_title(book, index);
    let mut toc = TocElement::new(file.clone(), clean(&title));
    let depth = book.config.toc_depth;
    // The heading that gave the chapter its title is the chapter entry itself.
    let title_id = chapter.title_heading().map(|h| h.id.as_str());
    for h in chapter.headings() {
        if Some(h.id.as_str()) == title_id {
            continue;
        }
        let level = h.level.max(2);
        if level > depth {
            continue;
        }
        let text = clean(&crate::front::heading_label(
            &h.plain_text(),
            &book.config.words(),
        ));
        toc.add(TocElement::new(format!("{file}#{}", xml_id(&h.id)), text).level(i32::from(level)));
    }
    toc
}

/// The in-book contents page, from the same entries as the nav.
fn contents_page(title: &str, tocs: &[TocElement]) -> String {
    fn list(items: &[TocElement], out: &mut String) {
        out.push_str("<ol>\n");
        for t in items {
            out.push_str(&format!(
                "<li><a href=\"{}\">{}</a>",
                html::attr(&t.url),
                html::text(&t.title)
            ));
            if !t.children.is_empty() {
                out.push('\n');
                list(&t.children, out);
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n");
    }
    let mut body = format!(
        "<nav class=\"contents\" role=\"doc-toc\" aria-labelledby=\"contents-title\">\n<h1 id=\"contents-title\">{}</h1>\n",
        html::text(title)
    );
    if !tocs.is_empty() {
        list(tocs, &mut body);
    }
    body.push_str("</nav>\n");
    body
}

/// A list of figures (`kind` `loi`) or of tables (`lot`): its title, then one entry per
/// figure or table, "Figure 2.3 Rows of rice", linked to it.
fn list_page(book: &Book, title: &str, kind: &str, listed: &[crate::model::Listed]) -> String {
    let mut body = format!(
        "<nav class=\"contents list\" epub:type=\"{kind}\" aria-labelledby=\"{kind}-title\">\n<h1 id=\"{kind}-title\">{}</h1>\n<ol>\n",
        html::text(title)
    );
    for entry in listed {
        let Some(chapter) = book.chapters.get(entry.chapter) else {
            continue;
        };
        body.push_str(&format!(
            "<li><a href=\"{}#{}\"><span class=\"list-label\">{}</span> {}</a></li>\n",
            html::attr(&chapter_file(&chapter.slug)),
            html::attr(&xml_id(&entry.anchor)),
            html::text(&entry.name),
            html::text(&entry.caption)
        ));
    }
    body.push_str("</ol>\n</nav>\n");
    body
}

/// The title page's XHTML: only renders [`crate::front::TitlePage`].
fn title_page(page: &crate::front::TitlePage) -> String {
    let mut body = String::from("<section class=\"titlepage\" epub:type=\"titlepage\">\n");
    body.push_str(&format!("<h1>{}</h1>\n", html::text(&page.title)));
    if let Some(s) = &page.subtitle {
        body.push_str(&format!("<p class=\"subtitle\">{}</p>\n", html::text(s)));
    }
    for a in &page.authors {
        body.push_str(&format!("<p class=\"author\">{}</p>\n", html::text(a)));
    }
    if let Some(s) = &page.series {
        body.push_str(&format!("<p class=\"series\">{}</p>\n", html::text(s)));
    }
    if let Some(p) = &page.publisher {
        body.push_str(&format!("<p class=\"publisher\">{}</p>\n", html::text(p)));
    }
    body.push_str("</section>\n");
    body
}

/// The copyright page's XHTML: one paragraph per line of [`crate::front::CopyrightPage`].
fn copyright_page(page: &crate::front::CopyrightPage) -> String {
    let mut body = String::from("<section class=\"copyright\" epub:type=\"copyright-page\">\n");
    for line in &page.lines {
        body.push_str(&format!("<p>{}</p>\n", html::text(line)));
    }
    body.push_str("</section>\n");
    body
}

/// Text that goes into epub-builder (which escapes `&`, `<`, `>` itself): without characters
/// XML forbids.
fn clean(s: &str) -> String {
    s.chars().filter(|c| html::xml_char(*c)).collect()
}

fn meta(property: &str, value: &str) -> String {
    format!(
        "<meta property=\"{property}\">{}</meta>",
        html::text(&clean(value))
    )
}

/// The OPF metadata epub-builder has no setter for: ISBN, subtitle, publisher, date, series and
/// the EPUB Accessibility 1.1 statements.
///
/// `page_list`: the EPUB has print page markers and a page list (`epub.print_page_numbers`).
fn metadata(book: &Book, page_list: bool) -> Vec<String> {
    let config = &book.config;
    let mut m = Vec::new();
    if let Identifier::Isbn(_) = &config.identifier {
        // `package_identifier` has put the ISBN in the unique identifier; say what it is.
        m.push(
            "<meta refines=\"#epub-id-1\" property=\"identifier-type\" scheme=\"onix:codelist5\">15</meta>"
                .to_string(),
        );
    }
    if let Some(s) = &config.subtitle {
        m.push(format!(
            "<dc:title id=\"subtitle\">{}</dc:title>",
            html::text(&clean(s))
        ));
        m.push("<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>".to_string());
    }
    if let Some(p) = &config.publisher {
        m.push(format!(
            "<dc:publisher>{}</dc:publisher>",
            html::text(&clean(p))
        ));
    }
    if let Some(d) = &config.date {
        m.push(format!("<dc:date>{d}</dc:date>"));
    }
    if let Some(s) = &config.series {
        m.push(format!(
            "<meta property=\"belongs-to-collection\" id=\"series\">{}</meta>",
            html::text(&clean(&s.name))
        ));
        m.push("<meta refines=\"#series\" property=\"collection-type\">series</meta>".to_string());
        if let Some(p) = s.position {
            m.push(format!(
                "<meta refines=\"#series\" property=\"group-position\">{p}</meta>"
            ));
        }
        m.push(format!(
            "<meta name=\"calibre:series\" content=\"{}\"/>",
            html::attr(&clean(&s.name))
        ));
        if let Some(p) = s.position {
            m.push(format!(
                "<meta name=\"calibre:series_index\" content=\"{p}\"/>"
            ));
        }
    }
    let a11y = Accessibility::of(book);
    m.push(meta("schema:accessMode", "textual"));
    if a11y.has_images {
        m.push(meta("schema:accessMode", "visual"));
    }
    if a11y.textual_sufficient() {
        m.push(meta("schema:accessModeSufficient", "textual"));
    }
    if a11y.has_images {
        m.push(meta("schema:accessModeSufficient", "textual,visual"));
    }
    for f in [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ] {
        m.push(meta("schema:accessibilityFeature", f));
    }
    if a11y.has_images && a11y.all_alt {
        m.push(meta("schema:accessibilityFeature", "alternativeText"));
    }
    if page_list {
        m.push(meta("schema:accessibilityFeature", "printPageNumbers"));
        m.push(meta("schema:accessibilityFeature", "pageNavigation"));
        // The edition the page numbers come from (EPUB 3.3's `pageBreakSource`).
        let source = match &config.identifier {
            Identifier::Isbn(isbn) => format!("urn:isbn:{isbn}"),
            _ => format!("{}, print edition", config.title),
        };
        m.push(meta("pageBreakSource", &source));
    }
    m.push(meta("schema:accessibilityHazard", "none"));
    let summary = config
        .epub
        .accessibility_summary
        .clone()
        .unwrap_or_else(|| a11y.summary(config.epub.embed_fonts));
    m.push(meta("schema:accessibilitySummary", &summary));
    if a11y.textual_sufficient() {
        m.push(meta("dcterms:conformsTo", CONFORMS_TO));
        let certifier = config
            .publisher
            .clone()
            .unwrap_or_else(|| config.authors.join(", "));
        m.push(meta("a11y:certifiedBy", &certifier));
    }
    m
}

/// What the accessibility metadata can truthfully claim.
struct Accessibility {
    /// The manuscript shows at least one packaged image.
    has_images: bool,
    /// Every packaged image has a non-empty text alternative.
    all_alt: bool,
    /// Some chapter has footnotes (so the summary may speak of them).
    has_notes: bool,
}

impl Accessibility {
    fn of(book: &Book) -> Self {
        let mut a = Accessibility {
            has_images: false,
            all_alt: true,
            has_notes: book.chapters.iter().any(|ch| !ch.footnotes.is_empty()),
        };
        for ch in &book.chapters {
            ch.each_run(&mut |run| {
                crate::model::each_inline(run, &mut |i| {
                    if let InlineKind::Image {
                        asset: Some(asset),
                        alt,
                        ..
                    } = &i.kind
                    {
                        if book.assets.get(*asset).is_some() {
                            a.has_images = true;
                            a.all_alt &= !alt.trim().is_empty();
                        }
                    }
                });
            });
        }
        a
    }

    /// The text alone carries the book: no images, or all of them described.
    fn textual_sufficient(&self) -> bool {
        !self.has_images || self.all_alt
    }

    fn summary(&self, embeds_fonts: bool) -> String {
        let mut s =
            String::from("Headings structure the text and a table of contents links to them");
        s.push_str(if self.has_notes {
            "; footnotes link to their notes and back."
        } else {
            "."
        });
        s.push_str(if embeds_fonts {
            " The book embeds its fonts but imposes no colours or sizes; reading systems can \
             change all three."
        } else {
            " No fonts, colours or sizes are imposed, so reading systems can change them."
        });
        if self.has_images && self.all_alt {
            s.push_str(" Every image has a text description.");
        } else if self.has_images {
            s.push_str(" Some images have no text description.");
        }
        if self.textual_sufficient() {
            s.push_str(" The publication meets WCAG 2.1 Level AA.");
        }
        s
    }
}

/// epub-builder writes only `urn:uuid:` identifiers. For a book with an ISBN, the package's
/// unique identifier (`epub-id-1`) becomes `urn:isbn:…` instead of the UUID derived from it.
fn package_identifier(opf: &str, id: &Identifier) -> String {
    let Identifier::Isbn(isbn) = id else {
        return opf.to_string();
    };
    let uuid = format!("urn:uuid:{}", package_uuid(id));
    opf.replacen(
        &format!("<dc:identifier id=\"epub-id-1\">{uuid}</dc:identifier>"),
        &format!(
            "<dc:identifier id=\"epub-id-1\">urn:isbn:{}</dc:identifier>",
            html::text(isbn)
        ),
        1,
    )
}

/// The package's unique identifier: the configured UUID, or one derived from the ISBN.
fn package_uuid(id: &Identifier) -> uuid::Uuid {
    let text = match id {
        Identifier::Uuid(u) => u.clone(),
        Identifier::Isbn(i) => crate::config::derived_uuid(&format!("isbn:{i}"), &[]),
    };
    uuid::Uuid::parse_str(&text).unwrap_or_else(|_| {
        uuid::Uuid::parse_str(&crate::config::derived_uuid(&text, &[])).unwrap_or_default()
    })
}

/// `dcterms:modified`: `SOURCE_DATE_EPOCH`, else the book's date at midnight UTC, else a fixed
/// date. Never the clock.
fn modified_date(config: &BookConfig, opts: &EpubOptions) -> chrono::DateTime<chrono::Utc> {
    if let Some(t) = opts
        .source_date_epoch
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
    {
        return t;
    }
    config
        .date
        .and_then(date_at_midnight)
        .or_else(|| date_at_midnight(FALLBACK_MODIFIED))
        .unwrap_or_default()
}

/// A date at 00:00 UTC (a missing month or day is 1).
fn date_at_midnight(date: crate::config::Date) -> Option<chrono::DateTime<chrono::Utc>> {
    let (year, month, day) = date.ymd();
    let d = chrono::NaiveDate::from_ymd_opt(i32::from(year), u32::from(month), u32::from(day))?;
    Some(d.and_hms_opt(0, 0, 0)?.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modified_date_sources() {
        let config = crate::config::parse(
            "book.yaml",
            "title: T\nauthor: A\nlanguage: en\ndate: 2024-04\n",
        )
        .unwrap();
        let with_epoch = EpubOptions {
            source_date_epoch: Some(1_700_000_000),
        };
        assert_eq!(
            modified_date(&config, &with_epoch).to_rfc3339(),
            "2023-11-14T22:13:20+00:00"
        );
        assert_eq!(
            modified_date(&config, &EpubOptions::default()).to_rfc3339(),
            "2024-04-01T00:00:00+00:00"
        );
    }

    #[test]
    fn isbn_uuid_is_stable() {
        let a = package_uuid(&Identifier::Isbn("9780306406157".into()));
        assert!(!a.is_nil());
        // Derived from the ISBN: another ISBN gives another UUID, the same one the same UUID.
        let other = package_uuid(&Identifier::Isbn("9781861972712".into()));
        assert_ne!(a, other);
        assert_eq!(
            a,
            package_uuid(&Identifier::Isbn(String::from("9780306406157")))
        );
        // A configured UUID is kept as it is, not derived again.
        let given = "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e";
        assert_eq!(
            package_uuid(&Identifier::Uuid(given.into())).to_string(),
            "0f8fad5b-d9cb-469f-a165-70867728950e"
        );
    }
}
