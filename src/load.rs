//! Loading a book from disk: `book.yaml`, the manuscript files in order, and the images they use.
//! Produces the [`Book`] model plus every diagnostic found on the way.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::{self, BookConfig};
use crate::diag::{Code, Diagnostic};
use crate::frontmatter;
use crate::markdown::{self, ArticleInput, ParseOptions};
use crate::model::{ArticleMeta, Asset, Book, FontFile};
use crate::source::{SourceFile, SourceMap, Span};
use crate::templates;
use crate::typography;

/// The result of loading: a book when nothing fatal happened, and all diagnostics.
#[derive(Debug)]
pub struct Loaded {
    pub book: Option<Book>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Loads the book whose `book.yaml` is in `root`. The text of `book.yaml` is kept in the book's
/// [`SourceMap`] (after the manuscript files), so that lints can point into it.
///
/// A folder with no `book.yaml` but mdBook's `book.toml` is read as that `book.toml` says
/// ([`crate::mdbook::book_yaml`]), with W0108; no `book.yaml` text is then kept.
pub fn load_book(root: &Path) -> Loaded {
    let failed = |diagnostics| Loaded {
        book: None,
        diagnostics,
    };
    if !root.join(BOOK_YAML).exists() {
        match crate::mdbook::book_yaml(root) {
            None => {}
            Some(Err(d)) => return failed(vec![d]),
            Some(Ok((yaml, warning))) => {
                let config = match config::parse(BOOK_YAML, &yaml) {
                    Ok(c) => c,
                    Err(mut diagnostics) => {
                        // A value book.toml gave that book.yaml cannot hold (a language tag
                        // that is none): at `[book]`, since there is no book.yaml to point at.
                        for d in &mut diagnostics {
                            d.location.clone_from(&warning.location);
                        }
                        diagnostics.insert(0, warning);
                        return failed(diagnostics);
                    }
                };
                let mut loaded = load_with_config(root, config);
                loaded.diagnostics.insert(0, warning);
                return loaded;
            }
        }
    }
    let parsed = config::read(root).and_then(|text| Ok((config::parse("book.yaml", &text)?, text)));
    let (config, yaml) = match parsed {
        Ok(c) => c,
        Err(diagnostics) => return failed(diagnostics),
    };
    let mut loaded = load_with_config(root, config);
    if let Some(book) = &mut loaded.book {
        book.sources.add(SourceFile::new(
            BOOK_YAML.into(),
            root.join(BOOK_YAML),
            yaml,
        ));
    }
    loaded
}

/// The name of the book's metadata file, in its folder and in the [`SourceMap`].
pub const BOOK_YAML: &str = "book.yaml";

/// The font files of `root/fonts/` (`.otf` and `.ttf`), in name order, for an EPUB that embeds
/// its fonts.
pub fn font_folder(root: &Path) -> Result<Vec<FontFile>, Vec<Diagnostic>> {
    let dir = root.join("fonts");
    let entries = std::fs::read_dir(&dir).map_err(|e| {
        vec![
            Diagnostic::new(Code::E0604, format!("cannot read the `fonts/` folder: {e}"))
                .in_file(BOOK_YAML)
                .with_help(
                    "put the .otf or .ttf files in `fonts/`, or set `epub.embed_fonts: false`",
                ),
        ]
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let lower = name.to_ascii_lowercase();
        if !(lower.ends_with(".otf") || lower.ends_with(".ttf")) {
            continue;
        }
        let data = std::fs::read(&path).map_err(|e| {
            vec![Diagnostic::new(
                Code::E0604,
                format!("cannot read font `fonts/{name}`: {e}"),
            )]
        })?;
        files.push(FontFile {
            name: name.to_string(),
            data,
        });
    }
    Ok(files)
}

/// Loads the manuscript of a book whose config is already parsed.
pub fn load_with_config(root: &Path, config: BookConfig) -> Loaded {
    let mut diags = Vec::new();
    let mut sources = SourceMap::default();
    let Manuscript {
        files,
        titles,
        from_summary,
    } = manuscript_files(root, &config, &mut sources, &mut diags);
    let files_listed_empty = files.is_empty();
    let listed = files.clone();
    if files.is_empty() && !diags.iter().any(Diagnostic::is_error) {
        diags.push(
            Diagnostic::new(Code::E0204, "the book has no manuscript files")
                .in_file("book.yaml")
                .with_help("put Markdown files in `manuscript/`, or list them under `manuscript:` in book.yaml"),
        );
    }
    let opts = ParseOptions {
        smart_punctuation: config.smart_punctuation,
    };
    let mut articles = Vec::new();
    let mut assets: Vec<Asset> = Vec::new();
    let mut asset_by_path: HashMap<PathBuf, usize> = HashMap::new();
    let mut slugs: Vec<String> = Vec::new();
    for rel in files {
        let disk = match crate::paths::inside_book(root, root, &rel) {
            Ok(p) => p,
            Err(why) => {
                let d = Diagnostic::new(Code::E0206, format!("manuscript file `{rel}` {why}"))
                    .with_help(
                        "move the file into the book's folder and list it relative to book.yaml",
                    );
                diags.push(match find_line(root, &rel) {
                    Some(loc) => d.at(loc),
                    None => d.in_file("book.yaml"),
                });
                continue;
            }
        };
        let bytes = match std::fs::read(&disk) {
            Ok(b) => b,
            Err(e) => {
                diags.push(
                    Diagnostic::new(Code::E0900, format!("cannot read `{rel}`: {e}"))
                        .in_file(rel.clone()),
                );
                continue;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                let good = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
                let line = good.matches('\n').count() + 1;
                let column = good
                    .rsplit('\n')
                    .next()
                    .map(|l| l.chars().count())
                    .unwrap_or(0)
                    + 1;
                let source_line = good.rsplit('\n').next().unwrap_or("").to_string();
                diags.push(
                    Diagnostic::new(
                        Code::E0202,
                        format!("`{rel}` is not valid UTF-8 (invalid byte at offset {offset})"),
                    )
                    .at(crate::diag::Location {
                        file: rel.clone(),
                        line,
                        column,
                        source_line,
                        width: 1,
                    })
                    .with_help("re-save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)"),
                );
                continue;
            }
        };
        // A byte-order mark is no text: drop it, so that columns on line 1 stay right.
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        let file = match from_summary.contains(&rel) && crate::mdbook::may_hold_tags(&text) {
            true => mdbook_chapter(root, &rel, &disk, text, &mut sources, &mut diags),
            false => sources.add(SourceFile::new(rel.clone(), disk.clone(), text)),
        };
        let text = &sources.get(file).text;
        if text.trim().is_empty() {
            diags.push(
                Diagnostic::new(
                    Code::W0203,
                    format!("`{rel}` is empty; it is left out of the book"),
                )
                .in_file(rel.clone())
                .with_help("write the article, or remove the file from the manuscript"),
            );
            continue;
        }
        let read = frontmatter::read(&rel, text);
        diags.extend(read.diagnostics);
        let mut front = read.front;
        // A summary's name for the chapter titles a file that has no title of its own.
        if front.title.is_none() {
            front.title = titles.get(&rel).cloned();
        }
        if front.draft {
            diags.push(
                Diagnostic::new(
                    Code::N0209,
                    format!("`{rel}` is a draft (`draft: true`); it is left out of the book"),
                )
                .in_file(rel.clone())
                .with_help("remove `draft: true` from its front matter to publish it"),
            );
            continue;
        }
        let mut markdown_text = read.text;
        let written = markdown_text.as_deref().unwrap_or(text);
        if templates::may_hold_tags(written) {
            let link_to = |tag: &str, argument: &str| liquid_link(&rel, &listed, tag, argument);
            let code = markdown::code_ranges(written);
            if let Some(stripped) = templates::strip(written, &code, &link_to) {
                for tag in stripped.tags.iter().filter(|t| !t.converted) {
                    diags.push(template_tag_diagnostic(&sources, file, text, tag));
                }
                markdown_text = Some(stripped.text);
            }
        }
        let mut parsed =
            markdown::parse_article(markdown_text.as_deref().unwrap_or(text), file, opts);
        if from_summary.contains(&rel) {
            crate::mdbook::drop_hidden_lines(&mut parsed.blocks);
        }
        parsed.lang = front.lang;
        parsed.meta = ArticleMeta {
            title: front.title,
            subtitle: front.subtitle,
            date: front.date,
            authors: front.authors,
        };
        if parsed.blocks.is_empty() {
            diags.push(
                Diagnostic::new(Code::W0203,
                    format!("`{rel}` holds only footnote definitions; it is left out of the book"),
                )
                .in_file(rel.clone())
                .with_help("write the article's text and its note marks, or remove the file from the manuscript"),
            );
            continue;
        }
        let mut image_assets = HashMap::new();
        let dir = disk
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| root.to_path_buf());
        for (src, span) in &parsed.images {
            if src.contains("://") || image_assets.contains_key(src) {
                if src.contains("://") {
                    diags.push(
                        Diagnostic::new(Code::W0507, format!("remote image `{src}` is not included in the book"))
                            .at_span(&sources, *span)
                            .with_help("download the image into the book's folder and link it by a relative path"),
                    );
                }
                continue;
            }
            let written = src.split(['#', '?']).next().unwrap_or(src);
            // `/images/x.png` is root-relative, as on a web site: the root is the book's folder.
            let (base, relative) = match written.strip_prefix('/') {
                Some(rest) if !rest.starts_with('/') => (root, rest),
                _ => (dir.as_path(), written),
            };
            let path = match crate::paths::inside_book(root, base, relative) {
                Ok(p) => p,
                Err(why) => {
                    diags.push(
                        Diagnostic::new(Code::E0206, format!("image `{written}` {why}"))
                            .at_span(&sources, *span)
                            .with_help("copy the image into the book's folder and link it by a relative path"),
                    );
                    continue;
                }
            };
            let key = path.canonicalize().unwrap_or(path.clone());
            if let Some(&i) = asset_by_path.get(&key) {
                image_assets.insert(src.clone(), i);
                continue;
            }
            match crate::assets::load(&path) {
                Ok(img) => {
                    if let Some(c) = img.converted {
                        diags.push(converted_diagnostic(&sources, *span, src, c));
                    }
                    let name = unique_asset_name(&path, &assets, img.format);
                    assets.push(Asset {
                        disk_path: path,
                        name,
                        format: img.format,
                        data: img.data,
                        width: img.width,
                        height: img.height,
                        span: *span,
                    });
                    asset_by_path.insert(key, assets.len() - 1);
                    image_assets.insert(src.clone(), assets.len() - 1);
                }
                Err(err) => diags.push(image_diagnostic(&sources, *span, src, err)),
            }
        }
        let slug = unique_slug(&rel, &slugs);
        slugs.push(slug.clone());
        articles.push(ArticleInput {
            parsed,
            slug,
            path: rel,
            image_assets,
        });
    }
    if articles.is_empty() && !files_listed_empty && !diags.iter().any(Diagnostic::is_error) {
        diags.push(
            Diagnostic::new(
                Code::E0204,
                "the book has no text: every manuscript file is empty",
            )
            .in_file("book.yaml")
            .with_help("write at least one article in the files listed under `manuscript:`"),
        );
    }
    let (mut chapters, link_diags) = markdown::link_book(
        articles,
        config.footnote_numbering,
        config.words().digits,
        config.links.base_url.as_deref(),
        &sources,
    );
    if config.smart_punctuation {
        typography::apply(&mut chapters, &config.language);
    }
    diags.extend(link_diags);
    let mut book = Book {
        config,
        root: root.to_path_buf(),
        chapters,
        assets,
        sources,
        numbers: Default::default(),
    };
    diags.extend(crate::numbering::number(&mut book));
    Loaded {
        book: Some(book),
        diagnostics: diags,
    }
}

fn image_diagnostic(
    sources: &SourceMap,
    span: Span,
    src: &str,
    err: crate::assets::ImageError,
) -> Diagnostic {
    use crate::assets::ImageError::*;
    match err {
        Missing(e) => Diagnostic::new(Code::E0500, format!("image `{src}` cannot be read: {e}"))
            .at_span(sources, span)
            .with_help("check the path; it is relative to the Markdown file (one starting with `/` to the book's folder)"),
        Unsupported(f) => Diagnostic::new(
            Code::E0501,
            format!("image `{src}` is in no format bindery reads ({f})"),
        )
        .at_span(sources, span)
        .with_help("convert it to PNG or JPEG (a drawing to SVG); bindery reads those, and GIF, WebP, BMP and TIFF, which it converts to PNG"),
        Corrupt(e) => Diagnostic::new(Code::E0501, format!("image `{src}` does not decode: {e}"))
            .at_span(sources, span)
            .with_help("re-export the image; the file is damaged or truncated"),
        TooLarge { width, height } => Diagnostic::new(
            Code::E0509,
            format!(
                "image `{src}` is {}",
                crate::assets::ImageError::too_large(width, height)
            ),
        )
        .at_span(sources, span)
        .with_help(
            "scale the image down: 300 dpi at the size it prints is enough (1,800 px across a \
             6 in text block)",
        ),
    }
}

/// W0510: a GIF, WebP, BMP or TIFF picture, which both editions carry as a PNG.
fn converted_diagnostic(
    sources: &SourceMap,
    span: Span,
    src: &str,
    c: crate::assets::Converted,
) -> Diagnostic {
    let (message, help) = if c.animated {
        (
            format!("image `{src}` is an animated {}; both editions show its first frame, as a PNG", c.from),
            "a page cannot move, and an e-book's animation that starts by itself fails WCAG 2.2.2: \
             export the frame that tells the most as a PNG and link that, or keep this one",
        )
    } else {
        (
            format!(
                "image `{src}` is a {}; both editions carry it as a PNG, pixel for pixel",
                c.from
            ),
            "a PDF takes no such picture and not every e-reader does: convert it to PNG (or a \
             photograph to JPEG, which is smaller) and link that, or keep this one",
        )
    };
    Diagnostic::new(Code::W0510, message)
        .at_span(sources, span)
        .with_help(help)
}

fn unique_asset_name(path: &Path, existing: &[Asset], format: crate::model::ImageFormat) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("image");
    let stem = markdown::slugify(stem);
    let ext = format.extension();
    let mut name = format!("images/{stem}.{ext}");
    let mut n = 2;
    while existing.iter().any(|a| a.name == name) {
        name = format!("images/{stem}-{n}.{ext}");
        n += 1;
    }
    name
}

fn unique_slug(rel: &str, taken: &[String]) -> String {
    let stem = rel.rsplit('/').next().unwrap_or(rel);
    let stem = markdown_stem(stem).unwrap_or(stem);
    let ascii: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let mut base = ascii.trim_matches('-').to_string();
    if base.is_empty() || !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
        base = format!("ch-{base}").trim_end_matches('-').to_string();
    }
    let mut slug = base.clone();
    let mut n = 2;
    while taken.contains(&slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

/// The manuscript: its files in reading order, relative to the root with `/` separators, and
/// the titles a summary gives them.
#[derive(Default)]
struct Manuscript {
    files: Vec<String>,
    titles: HashMap<String, String>,
    /// The files a summary lists: an mdBook's chapters, whose mdBook tags are replaced.
    from_summary: std::collections::HashSet<String>,
}

/// The manuscript's files. Without `manuscript:` in book.yaml, the Markdown files directly in
/// `manuscript/` in name order, or the files `manuscript/SUMMARY.md` lists when it is an mdBook
/// or GitBook summary ([`crate::summary`]); with it, the files it lists, a summary named
/// there read as the files it lists. A summary joins the book's [`SourceMap`], so that its
/// diagnostics point into it.
fn manuscript_files(
    root: &Path,
    config: &BookConfig,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Manuscript {
    let mut all_md = list_md(root, "manuscript");
    all_md.sort();
    let mut out = Manuscript::default();
    let mut summaries = Vec::new();
    let Some(patterns) = &config.manuscript else {
        let summary = format!("manuscript/{}", crate::summary::FILE_NAME);
        match from_summary(root, &summary, sources, diags) {
            Some(listed) => {
                unread_mdx(root, "manuscript", &listed.files, diags);
                unlisted_by_summary(root, &summary, &listed.files, &mut Vec::new(), diags);
                return listed;
            }
            None => {
                unread_mdx(root, "manuscript", &[], diags);
                unread_subfolders(root, "manuscript", diags);
                out.files = all_md;
                return out;
            }
        }
    };
    let files = &mut out.files;
    for pat in patterns {
        let pat = pat.trim_start_matches("./");
        let named = pat.rsplit('/').next() == Some(crate::summary::FILE_NAME);
        let listed = match named && root.join(pat).is_file() {
            true => from_summary(root, pat, sources, diags),
            false => None,
        };
        if let Some(listed) = listed {
            files.extend(listed.files);
            out.titles.extend(listed.titles);
            out.from_summary.extend(listed.from_summary);
            summaries.push(pat.to_string());
        } else if pat.contains(['*', '?']) {
            let (dir, name_pat) = pat.rsplit_once('/').unwrap_or(("", pat));
            let mut matched: Vec<String> = list_md(root, dir)
                .into_iter()
                .filter(|f| glob_match(name_pat, f.rsplit('/').next().unwrap_or(f)))
                .collect();
            matched.sort();
            if matched.is_empty() {
                let d = Diagnostic::new(Code::W0205, format!("`{pat}` matches no manuscript file"))
                    .with_help("check the pattern under `manuscript:` in book.yaml; it is relative to the book's folder");
                diags.push(match find_line(root, pat) {
                    Some(loc) => d.at(loc),
                    None => d.in_file("book.yaml"),
                });
            }
            files.extend(matched);
        } else if root.join(pat).is_file() {
            files.push(pat.to_string());
        } else {
            let line = find_line(root, pat);
            let mut d = Diagnostic::new(
                Code::E0200,
                format!("manuscript file `{pat}` does not exist"),
            )
            .with_help("fix the path under `manuscript:` in book.yaml, or create the file");
            d = match line {
                Some(loc) => d.at(loc),
                None => d.in_file("book.yaml"),
            };
            diags.push(d);
        }
    }
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(f.clone()));
    unread_mdx(root, "manuscript", files, diags);
    let mut warned = Vec::new();
    for summary in &summaries {
        unlisted_by_summary(root, summary, files, &mut warned, diags);
    }
    for f in &all_md {
        if !files.contains(f) && !warned.contains(f) {
            diags.push(
                Diagnostic::new(
                    Code::W0201,
                    format!("`{f}` is not listed in book.yaml and is left out of the book"),
                )
                .in_file(f.clone())
                .with_help(
                    "add it under `manuscript:` in book.yaml, or move it out of `manuscript/`",
                ),
            );
        }
    }
    out
}

/// The files the summary `rel` lists, when it is one ([`crate::summary::read`]), with the
/// diagnostics of its entries: a draft is left out (N0209), a link to a URL or to a file that
/// is not Markdown and a part title are left out (W0212), a chapter whose file is missing is
/// an error (E0200), as is one outside the book (E0206).
fn from_summary(
    root: &Path,
    rel: &str,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Option<Manuscript> {
    use crate::summary::EntryKind;
    let disk = root.join(rel);
    let text = std::fs::read_to_string(&disk).ok()?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    let summary = crate::summary::read(&text, is_markdown)?;
    let file = sources.add(SourceFile::new(rel.to_string(), disk, text));
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let mut out = Manuscript::default();
    for entry in &summary.entries {
        let span = Span::new(file, entry.range.start, entry.range.end);
        let title = &entry.title;
        let target = &entry.target;
        let d = match entry.kind(is_markdown) {
            EntryKind::Draft => Diagnostic::new(
                Code::N0209,
                format!("`{title}` is a draft chapter in `{rel}` (a link without a file); it is left out of the book"),
            )
            .with_help(format!("give the link a file, `[{title}](chapter.md)`, to publish it")),
            EntryKind::Elsewhere => Diagnostic::new(
                Code::W0212,
                format!("`{target}` in `{rel}` is not a Markdown file of the book; it is left out"),
            )
            .with_help(format!("link a Markdown file there, or remove the line from `{rel}`")),
            EntryKind::Chapter => match join_relative(dir, target.trim_start_matches('/')) {
                None => Diagnostic::new(
                    Code::E0206,
                    format!("`{target}` in `{rel}` leads out of the book's folder"),
                )
                .with_help("move the file into the book's folder and link it from the summary by a relative path"),
                Some(path) if !root.join(&path).is_file() => Diagnostic::new(
                    Code::E0200,
                    format!("`{target}` in `{rel}` does not exist"),
                )
                .with_help(format!(
                    "create `{path}`, fix the link, or make the chapter a draft, `[{title}]()`"
                )),
                Some(path) => {
                    if !title.is_empty() {
                        out.titles.insert(path.clone(), title.clone());
                    }
                    out.files.push(path);
                    continue;
                }
            },
        };
        diags.push(d.at_span(sources, span));
    }
    for (title, range) in &summary.parts {
        diags.push(
            Diagnostic::new(
                Code::W0212,
                format!("part title `{title}` in `{rel}` is not printed: bindery's books have chapters, not parts"),
            )
            .at_span(sources, Span::new(file, range.start, range.end))
            .with_help("the chapters after it are read in order; to print the title, give it a chapter of its own"),
        );
    }
    let mut seen = std::collections::HashSet::new();
    out.files.retain(|f| seen.insert(f.clone()));
    out.from_summary = seen;
    Some(out)
}

/// An mdBook chapter whose mdBook tags ([`crate::mdbook`]) are replaced, in the book's
/// sources with the splices that keep its positions its own; W0213 for a tag left out.
fn mdbook_chapter(
    root: &Path,
    rel: &str,
    disk: &Path,
    written: String,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> crate::source::FileId {
    let dir = disk.parent().unwrap_or(root);
    let expanded = crate::mdbook::expand(&written, dir, root);
    let file = sources.add(SourceFile::spliced(
        rel.to_string(),
        disk.to_path_buf(),
        written,
        expanded.text,
        expanded.splices,
    ));
    let source = sources.get(file);
    for problem in expanded.problems {
        let (line, column) = source.written_line_col(problem.written.start);
        let tag = &source.written()[problem.written.clone()];
        diags.push(
            Diagnostic::new(
                Code::W0213,
                format!("{}; the tag is left out", problem.message),
            )
            .at(crate::diag::Location {
                file: rel.to_string(),
                line,
                column,
                source_line: source.line_text(line).to_string(),
                width: tag.chars().count().max(1),
            })
            .with_help(problem.help),
        );
    }
    file
}

/// `dir/target` with its `.` and `..` steps taken, or `None` when it climbs out of the root.
fn join_relative(dir: &str, target: &str) -> Option<String> {
    match crate::paths::fold_steps(&format!("{dir}/{target}")) {
        (path, false) => Some(path),
        (_, true) => None,
    }
}

/// W0201 for every Markdown file under the summary's folder (its subfolders too, as
/// [`subfolders`] lists them) that it does not list (`listed`): it is left out of the book. `warned` collects
/// them, so that no file is named twice.
fn unlisted_by_summary(
    root: &Path,
    summary: &str,
    listed: &[String],
    warned: &mut Vec<String>,
    diags: &mut Vec<Diagnostic>,
) {
    fn walk(root: &Path, dir: &str, found: &mut Vec<String>) {
        found.extend(list_md(root, dir));
        for folder in subfolders(root, dir) {
            walk(root, &folder, found);
        }
    }
    let dir = summary.rsplit_once('/').map_or("", |(d, _)| d);
    let mut found = Vec::new();
    walk(root, dir, &mut found);
    found.sort();
    for f in found {
        if f == summary || listed.contains(&f) || warned.contains(&f) {
            continue;
        }
        diags.push(
            Diagnostic::new(
                Code::W0201,
                format!("`{f}` is not listed in `{summary}` and is left out of the book"),
            )
            .in_file(f.clone())
            .with_help(format!(
                "add a link to it in `{summary}`, or move it out of `{dir}/`"
            )),
        );
        warned.push(f);
    }
}

/// Where a string occurs in book.yaml, for pointing at a listed file.
fn find_line(root: &Path, needle: &str) -> Option<crate::diag::Location> {
    let text = std::fs::read_to_string(root.join("book.yaml")).ok()?;
    for (i, line) in text.lines().enumerate() {
        if let Some(col) = line.find(needle) {
            return Some(crate::diag::Location {
                file: "book.yaml".into(),
                line: i + 1,
                column: line[..col].chars().count() + 1,
                source_line: line.to_string(),
                width: needle.chars().count(),
            });
        }
    }
    None
}

/// The endings of a Markdown file's name: those Jekyll reads by default (`markdown_ext`: a
/// new Jekyll site's first post is `….markdown`) and those GitHub renders as Markdown, compared
/// without regard to ASCII case (`README.MD`).
const MARKDOWN_EXTENSIONS: [&str; 7] = ["md", "markdown", "mdown", "mkdn", "mkd", "mdwn", "mkdown"];

/// The name without its ending when that is one of `endings` (ASCII case ignored), else
/// `None`; a name that is only the ending (`.md`) has none.
fn stem_before<'a>(name: &'a str, endings: &[&str]) -> Option<&'a str> {
    let (stem, ext) = name.rsplit_once('.')?;
    let known = endings.iter().any(|e| ext.eq_ignore_ascii_case(e));
    (known && !stem.is_empty()).then_some(stem)
}

/// The name without its Markdown extension, or `None` for a file that is not Markdown.
fn markdown_stem(name: &str) -> Option<&str> {
    stem_before(name, &MARKDOWN_EXTENSIONS)
}

/// Whether a file's name says it is Markdown ([`MARKDOWN_EXTENSIONS`]).
fn is_markdown(name: &str) -> bool {
    markdown_stem(name.rsplit('/').next().unwrap_or(name)).is_some()
}

/// W0210 for every folder under `root/dir` that holds Markdown files: without `manuscript:`,
/// only the files directly in `manuscript/` are read, so an article in a subfolder would be
/// left out without a word. Folders are searched as [`subfolders`] lists them.
fn unread_subfolders(root: &Path, dir: &str, diags: &mut Vec<Diagnostic>) {
    for folder in subfolders(root, dir) {
        let files = list_md(root, &folder);
        if !files.is_empty() {
            let count = match files.len() {
                1 => "a Markdown file".to_string(),
                n => format!("{n} Markdown files"),
            };
            diags.push(
                Diagnostic::new(
                    Code::W0210,
                    format!(
                        "`{folder}/` holds {count} that bindery does not read: without \
                         `manuscript:` in book.yaml, only the files directly in `manuscript/` \
                         are read"
                    ),
                )
                .in_file(format!("{folder}/"))
                .with_help(format!(
                    "list the folders in reading order under `manuscript:` in book.yaml, e.g. \
                     `manuscript: [\"manuscript/*\", \"{folder}/*\"]`, or move the files \
                     into `manuscript/`"
                )),
            );
        }
        unread_subfolders(root, &folder, diags);
    }
}

/// W0211 for every MDX file (`.mdx`, Markdown with JSX, as Docusaurus and other blog engines
/// write it) directly inside `root/dir` but not in `listed`: it is not Markdown bindery can
/// read as it stands (its `import` lines and components would be printed as text), so it is
/// left out, but not without a word. One listed by name under `manuscript:` is read as
/// Markdown, as its author asked.
fn unread_mdx(root: &Path, dir: &str, listed: &[String], diags: &mut Vec<Diagnostic>) {
    let mut paths = list_files(root, dir, |n| stem_before(n, &["mdx"]).is_some());
    paths.sort();
    for path in paths {
        if listed.contains(&path) {
            continue;
        }
        let name = path.rsplit('/').next().unwrap_or(&path);
        let md = format!("{}.md", stem_before(name, &["mdx"]).unwrap_or(name));
        diags.push(
            Diagnostic::new(
                Code::W0211,
                format!(
                    "`{path}` is MDX (Markdown with JSX), which bindery does not read; it is left \
                     out of the book"
                ),
            )
            .in_file(path)
            .with_help(format!(
                "remove its `import` and `export` lines and its components, then rename it \
                 `{md}`"
            )),
        );
    }
}

/// The folders directly inside `root/dir`, in name order, as root-relative paths; hidden ones
/// and `node_modules` (a site's packages) left out, symbolic links not followed.
fn subfolders(root: &Path, dir: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return Vec::new();
    };
    let mut folders: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| !n.starts_with('.') && n != "node_modules")
        .map(|n| join_relative(dir, &n).unwrap_or(n))
        .collect();
    folders.sort();
    folders
}

/// Markdown files ([`is_markdown`]) directly inside `root/dir`, as root-relative paths.
fn list_md(root: &Path, dir: &str) -> Vec<String> {
    list_files(root, dir, is_markdown)
}

/// The files directly inside `root/dir` whose names `keep` takes, hidden ones left out, as
/// root-relative paths.
fn list_files(root: &Path, dir: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| keep(n) && !n.starts_with('.'))
        .map(|n| {
            if dir.is_empty() {
                n
            } else {
                format!("{dir}/{n}")
            }
        })
        .collect()
}

/// Glob matching with `*` and `?` on a file name.
fn glob_match(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some('*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some('?'), Some(_)) => go(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

/// Where a Jekyll `post_url` or `link` tag in the article `from` points, when it names an
/// article of the book (`listed`, root-relative): Jekyll's `post_url` names a post by its file
/// name without the extension (`2013-05-06-jekyll-1-0-0-released`, perhaps after a folder),
/// `link` by its path in the site (`_posts/2017-03-02-jekyll-3-4-1-released.markdown`); the
/// book has them under other folders, so the file name decides. The destination is the file's
/// name when both articles share a folder, else its path from the book's folder (`/…`, which
/// links resolve from there).
fn liquid_link(from: &str, listed: &[String], tag: &str, argument: &str) -> Option<String> {
    let argument = argument.trim().trim_matches(|c| c == '"' || c == '\'');
    let wanted = argument.rsplit('/').next()?;
    let file_name = |path: &str| path.rsplit('/').next().unwrap_or(path).to_string();
    let target = listed.iter().find(|path| {
        let name = file_name(path);
        match tag {
            "post_url" => markdown_stem(&name) == Some(wanted),
            "link" => name == wanted,
            // Hugo's `ref`: the page's file, with or without its ending.
            "ref" => name == wanted || markdown_stem(&name) == Some(wanted),
            _ => false,
        }
    })?;
    let folder = |path: &str| path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    Some(if folder(target) == folder(from) {
        file_name(target)
    } else {
        format!("/{target}")
    })
}

/// W0702 for a template tag that was dropped.
fn template_tag_diagnostic(
    sources: &SourceMap,
    file: crate::source::FileId,
    text: &str,
    tag: &templates::Tag,
) -> Diagnostic {
    /// How much of a tag the message quotes, in characters.
    const QUOTED_CHARS: usize = 60;
    let written = text.get(tag.range.clone()).unwrap_or("");
    let first_line = written.lines().next().unwrap_or("");
    let mut quoted: String = first_line.chars().take(QUOTED_CHARS).collect();
    if quoted.len() < written.len() {
        quoted.push('…');
    }
    let what = if tag.engine == "Liquid" && tag.name == "comment" {
        "Liquid comment".to_string()
    } else {
        format!("{} tag", tag.engine)
    };
    Diagnostic::new(
        Code::W0702,
        format!("the {what} `{quoted}` cannot run in a book; it is dropped"),
    )
    .at_span(sources, Span::new(file, tag.range.start, tag.range.end))
    .with_help(
        "bindery is not a blog engine: write what the tag would have produced as Markdown, or \
         remove it; `{{< figure src=\"…\" >}}` and `{% include figure image_path=\"…\" %}` \
         become figures",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_files_are_known_by_their_endings() {
        assert_eq!(
            markdown_stem("2024-01-02-welcome.markdown"),
            Some("2024-01-02-welcome")
        );
        assert_eq!(markdown_stem("README.MD"), Some("README"));
        assert_eq!(markdown_stem("a.b.mkd"), Some("a.b"));
        for not in [".md", "notes.txt", "md", "a.mdx", "a.md.bak"] {
            assert_eq!(markdown_stem(not), None, "{not}");
        }
        assert!(is_markdown("manuscript/part-2/01.mdown"));
        assert!(!is_markdown("manuscript.md/cover.png"));
        assert_eq!(
            unique_slug("manuscript/2024-01-02-welcome.markdown", &[]),
            "ch-2024-01-02-welcome"
        );
    }

    #[test]
    fn globs() {
        assert!(glob_match("*.md", "01-a.md"));
        assert!(glob_match("0?-*.md", "01-a.md"));
        assert!(!glob_match("*.md", "a.txt"));
    }

    #[test]
    fn slugs_from_file_names() {
        assert_eq!(
            unique_slug("manuscript/01 The End.md", &[]),
            "ch-01-the-end"
        );
        assert_eq!(
            unique_slug("manuscript/intro.md", &["intro".into()]),
            "intro-2"
        );
    }
}
