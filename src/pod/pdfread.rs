//! Reads a PDF, any PDF, into preflight [`Facts`]: page boxes, text and image positions from
//! the content streams, fonts and whether they are embedded, bookmarks, annotations and RGB.
//! The only module that knows lopdf.
//!
//! # How exact it is
//! - Text: every `Tj`/`TJ`/`'`/`"` is placed through the text and graphics matrices, with its
//!   advance from the font's `/Widths` (simple fonts) or `/W` and `/DW` (CID fonts), Tc, Tw
//!   and Tz. Its box runs from 0.2 em below the baseline to 0.8 em above (the font's real
//!   ascender and descender are not read). A simple font without `/Widths` (one of the
//!   standard 14) counts 0.5 em per character. Text rise (`Ts`) and vertical writing are
//!   ignored.
//! - Images: `Do` of an image XObject, its unit square through the CTM; form XObjects are
//!   followed (8 levels deep). Inline images (`BI … EI`) are not seen.
//! - Paths: the box of each painted path's points (control points included), so a curve's box
//!   can be a little larger than the curve.
//! - Page `/Rotate` is ignored.

use std::collections::HashMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::preflight::{CoverFacts, Facts, FontFacts, PageFacts, PlacedImage, ASCENT, DESCENT};
use crate::diag::{Code, Diagnostic};
use crate::typeset::frame::Rect;

/// Diagnostic: the file is not a PDF lopdf can read.
pub const E_READ: Code = Code::E1000;
/// Form XObjects nest at most this deep (a cycle would otherwise never end).
const MAX_FORM_DEPTH: usize = 8;
/// A CID font's default width when it has no `/DW` (ISO 32000-1, 9.7.4.3), in 1/1000 em.
const DEFAULT_CID_WIDTH: f32 = 1000.0;
/// The largest CID (two-byte codes).
const MAX_CID: f32 = 65_535.0;
/// The width guessed for a character of a simple font without `/Widths`, in 1/1000 em.
const GUESSED_WIDTH: f32 = 500.0;

/// A 2-D affine matrix `[a b c d e f]`, PDF's convention (row vector × matrix).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Matrix([f32; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self` then `other`.
    fn then(self, other: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn apply(self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    fn translate(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }
}

fn cannot_read(file: &str, why: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::new(E_READ, format!("{file} cannot be read as a PDF: {why}"))
        .in_file(file)
        .with_help("check that the file is a complete, unencrypted PDF")
}

fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn numbers(ops: &[Object]) -> Vec<f32> {
    ops.iter().filter_map(number).collect()
}

/// Follows references.
fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map_or(o, |(_, o)| o)
}

fn dict<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    match deref(doc, o) {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

fn get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().map(|o| deref(doc, o))
}

fn name_of(o: Option<&Object>) -> Option<&[u8]> {
    match o {
        Some(Object::Name(n)) => Some(n),
        _ => None,
    }
}

/// A box `[x0 y0 x1 y1]` as (left, bottom, right, top).
fn pdf_box(doc: &Document, o: Option<&Object>) -> Option<[f32; 4]> {
    let Object::Array(a) = deref(doc, o?) else {
        return None;
    };
    let v: Vec<f32> = a.iter().filter_map(|o| number(deref(doc, o))).collect();
    (v.len() == 4).then(|| {
        [
            v[0].min(v[2]),
            v[1].min(v[3]),
            v[0].max(v[2]),
            v[1].max(v[3]),
        ]
    })
}

/// A page attribute, looked up through the page tree's parents (MediaBox and CropBox inherit).
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..MAX_FORM_DEPTH * 4 {
        if let Some(o) = get(doc, node, key) {
            return Some(o);
        }
        node = dict(doc, node.get(b"Parent").ok()?)?;
    }
    None
}

/// Widths of one font resource.
#[derive(Debug, Clone)]
struct FontWidths {
    /// Codes are two bytes (Type0 with Identity-H, as nearly every CID font is written).
    two_byte: bool,
    widths: HashMap<u32, f32>,
    default: f32,
}

impl FontWidths {
    fn of(doc: &Document, font: &Dictionary) -> FontWidths {
        let subtype = name_of(get(doc, font, b"Subtype"));
        if subtype == Some(b"Type0") {
            let mut widths = HashMap::new();
            let mut default = DEFAULT_CID_WIDTH;
            let descendant = match get(doc, font, b"DescendantFonts") {
                Some(Object::Array(a)) => a.first().and_then(|o| dict(doc, o)),
                _ => None,
            };
            if let Some(cid) = descendant {
                if let Some(dw) = get(doc, cid, b"DW").and_then(number) {
                    default = dw;
                }
                if let Some(Object::Array(w)) = get(doc, cid, b"W") {
                    let w: Vec<&Object> = w.iter().map(|o| deref(doc, o)).collect();
                    let mut i = 0;
                    while i < w.len() {
                        let Some(first) = number(w[i]) else { break };
                        match w.get(i + 1) {
                            Some(Object::Array(list)) => {
                                for (k, o) in list.iter().enumerate() {
                                    if let Some(v) = number(deref(doc, o)) {
                                        widths.insert(first as u32 + k as u32, v);
                                    }
                                }
                                i += 2;
                            }
                            Some(last) => {
                                let (Some(last), Some(v)) =
                                    (number(last), w.get(i + 2).and_then(|o| number(o)))
                                else {
                                    break;
                                };
                                // CIDs are 16-bit: a wider range is a broken file, not a font.
                                let (a, b) = (first.max(0.0) as u32, last.min(MAX_CID) as u32);
                                for c in a..=b {
                                    widths.insert(c, v);
                                }
                                i += 3;
                            }
                            None => break,
                        }
                    }
                }
            }
            return FontWidths {
                two_byte: true,
                widths,
                default,
            };
        }
        let first = get(doc, font, b"FirstChar").and_then(number).unwrap_or(0.0) as u32;
        let mut widths = HashMap::new();
        if let Some(Object::Array(w)) = get(doc, font, b"Widths") {
            for (k, o) in w.iter().enumerate() {
                if let Some(v) = number(deref(doc, o)) {
                    widths.insert(first + k as u32, v);
                }
            }
        }
        FontWidths {
            two_byte: false,
            widths,
            default: GUESSED_WIDTH,
        }
    }

    /// Codes of a string, and whether each is a single-byte space (for `Tw`).
    fn codes(&self, bytes: &[u8]) -> Vec<(u32, bool)> {
        if self.two_byte {
            bytes
                .chunks(2)
                .map(|c| {
                    (
                        u32::from(c[0]) << 8 | c.get(1).map_or(0, |&b| u32::from(b)),
                        false,
                    )
                })
                .collect()
        } else {
            bytes.iter().map(|&b| (u32::from(b), b == b' ')).collect()
        }
    }

    fn width(&self, code: u32) -> f32 {
        self.widths.get(&code).copied().unwrap_or(self.default)
    }
}

/// Whether a font's program is in the file.
fn font_embedded(doc: &Document, font: &Dictionary) -> bool {
    let subtype = name_of(get(doc, font, b"Subtype"));
    if subtype == Some(b"Type3") {
        return true;
    }
    let descriptor_of = |f: &Dictionary| {
        get(doc, f, b"FontDescriptor")
            .and_then(|o| dict(doc, o))
            .is_some_and(|d| d.has(b"FontFile") || d.has(b"FontFile2") || d.has(b"FontFile3"))
    };
    if subtype == Some(b"Type0") {
        return match get(doc, font, b"DescendantFonts") {
            Some(Object::Array(a)) => a
                .first()
                .and_then(|o| dict(doc, o))
                .is_some_and(descriptor_of),
            _ => false,
        };
    }
    descriptor_of(font)
}

/// What is gathered from one page's content.
#[derive(Default)]
struct Gathered {
    text: Vec<Rect>,
    paths: Vec<Rect>,
    images: Vec<PlacedImage>,
    /// Fonts used, by object id or resource name, with their embedding.
    fonts: Vec<FontFacts>,
    rgb_ops: bool,
}

/// The box of points in PDF space, as a top-left-origin rectangle on a page whose MediaBox is
/// `media` (left, bottom, right, top).
fn to_page_rect(points: &[(f32, f32)], media: [f32; 4]) -> Option<Rect> {
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for &(x, y) in points {
        if !x.is_finite() || !y.is_finite() {
            return None;
        }
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    (x0 <= x1).then(|| Rect {
        x: x0 - media[0],
        y: media[3] - y1,
        width: x1 - x0,
        height: y1 - y0,
    })
}

#[derive(Clone)]
struct TextState {
    font: Option<FontWidths>,
    size: f32,
    char_space: f32,
    word_space: f32,
    scale: f32,
    leading: f32,
}

/// Walks one content stream (and the forms it draws).
fn walk(
    doc: &Document,
    content: &[u8],
    resources: Option<&Dictionary>,
    ctm0: Matrix,
    media: [f32; 4],
    depth: usize,
    out: &mut Gathered,
) {
    let Ok(content) = Content::decode(content) else {
        return;
    };
    let font_dict = resources
        .and_then(|r| get(doc, r, b"Font"))
        .and_then(|o| dict(doc, o));
    let xobjects = resources
        .and_then(|r| get(doc, r, b"XObject"))
        .and_then(|o| dict(doc, o));
    let mut widths_cache: HashMap<Vec<u8>, FontWidths> = HashMap::new();
    let mut ctm = ctm0;
    let mut stack: Vec<(Matrix, TextState)> = Vec::new();
    let mut ts = TextState {
        font: None,
        size: 0.0,
        char_space: 0.0,
        word_space: 0.0,
        scale: 1.0,
        leading: 0.0,
    };
    let mut tm = Matrix::IDENTITY;
    let mut tlm = Matrix::IDENTITY;
    let mut path: Vec<(f32, f32)> = Vec::new();

    for op in &content.operations {
        let n = numbers(&op.operands);
        match op.operator.as_str() {
            "q" => stack.push((ctm, ts.clone())),
            "Q" => {
                if let Some((m, t)) = stack.pop() {
                    ctm = m;
                    ts = t;
                }
            }
            "cm" if n.len() == 6 => {
                ctm = Matrix([n[0], n[1], n[2], n[3], n[4], n[5]]).then(ctm);
            }
            "rg" | "RG" => out.rgb_ops = true,
            "m" | "l" if n.len() == 2 => path.push(ctm.apply(n[0], n[1])),
            "c" if n.len() == 6 => {
                for k in 0..3 {
                    path.push(ctm.apply(n[2 * k], n[2 * k + 1]));
                }
            }
            "v" | "y" if n.len() == 4 => {
                path.push(ctm.apply(n[0], n[1]));
                path.push(ctm.apply(n[2], n[3]));
            }
            "re" if n.len() == 4 => {
                for (x, y) in [(0.0, 0.0), (n[2], 0.0), (0.0, n[3]), (n[2], n[3])] {
                    path.push(ctm.apply(n[0] + x, n[1] + y));
                }
            }
            "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                if let Some(r) = to_page_rect(&path, media) {
                    out.paths.push(r);
                }
                path.clear();
            }
            "n" => path.clear(),
            "BT" => {
                tm = Matrix::IDENTITY;
                tlm = Matrix::IDENTITY;
            }
            "Tf" => {
                if let (Some(Object::Name(name)), Some(size)) =
                    (op.operands.first(), op.operands.get(1).and_then(number))
                {
                    ts.size = size;
                    let font = font_dict
                        .and_then(|d| get(doc, d, name))
                        .and_then(|o| dict(doc, o));
                    ts.font = font.map(|f| {
                        widths_cache
                            .entry(name.clone())
                            .or_insert_with(|| FontWidths::of(doc, f))
                            .clone()
                    });
                    if let Some(f) = font {
                        let base = name_of(get(doc, f, b"BaseFont")).map_or_else(
                            || String::from_utf8_lossy(name).into_owned(),
                            |b| String::from_utf8_lossy(b).into_owned(),
                        );
                        if !out.fonts.iter().any(|x| x.name == base) {
                            out.fonts.push(FontFacts {
                                name: base,
                                embedded: font_embedded(doc, f),
                            });
                        }
                    }
                }
            }
            "Tc" if n.len() == 1 => ts.char_space = n[0],
            "Tw" if n.len() == 1 => ts.word_space = n[0],
            "Tz" if n.len() == 1 => ts.scale = n[0] / 100.0,
            "TL" if n.len() == 1 => ts.leading = n[0],
            "Td" | "TD" if n.len() == 2 => {
                if op.operator == "TD" {
                    ts.leading = -n[1];
                }
                tlm = Matrix::translate(n[0], n[1]).then(tlm);
                tm = tlm;
            }
            "Tm" if n.len() == 6 => {
                tlm = Matrix([n[0], n[1], n[2], n[3], n[4], n[5]]);
                tm = tlm;
            }
            "T*" => {
                tlm = Matrix::translate(0.0, -ts.leading).then(tlm);
                tm = tlm;
            }
            "Tj" | "TJ" | "'" | "\"" => {
                if op.operator == "'" || op.operator == "\"" {
                    tlm = Matrix::translate(0.0, -ts.leading).then(tlm);
                    tm = tlm;
                }
                if op.operator == "\"" && n.len() >= 2 {
                    ts.word_space = n[0];
                    ts.char_space = n[1];
                }
                let mut advance = 0.0;
                let mut any = false;
                let mut show = |bytes: &[u8], advance: &mut f32| {
                    let Some(font) = &ts.font else {
                        *advance +=
                            bytes.len() as f32 * GUESSED_WIDTH / 1000.0 * ts.size * ts.scale;
                        any |= !bytes.is_empty();
                        return;
                    };
                    for (code, space) in font.codes(bytes) {
                        let w = font.width(code) / 1000.0 * ts.size
                            + ts.char_space
                            + if space { ts.word_space } else { 0.0 };
                        *advance += w * ts.scale;
                        any |= !space;
                    }
                };
                for operand in &op.operands {
                    match operand {
                        Object::String(bytes, _) => show(bytes, &mut advance),
                        Object::Array(parts) => {
                            for part in parts {
                                match part {
                                    Object::String(bytes, _) => show(bytes, &mut advance),
                                    other => {
                                        if let Some(k) = number(other) {
                                            advance -= k / 1000.0 * ts.size * ts.scale;
                                        }
                                    }
                                }
                            }
                        }
                        _ => {}
                    }
                }
                if any {
                    let m = tm.then(ctm);
                    let (lo, hi) = (-DESCENT * ts.size, ASCENT * ts.size);
                    let corners = [
                        m.apply(0.0, lo),
                        m.apply(advance, lo),
                        m.apply(0.0, hi),
                        m.apply(advance, hi),
                    ];
                    if let Some(r) = to_page_rect(&corners, media) {
                        out.text.push(r);
                    }
                }
                tm = Matrix::translate(advance, 0.0).then(tm);
            }
            "Do" => {
                let Some(Object::Name(name)) = op.operands.first() else {
                    continue;
                };
                let Some(Object::Stream(stream)) = xobjects.and_then(|x| get(doc, x, name)) else {
                    continue;
                };
                let d = &stream.dict;
                match name_of(get(doc, d, b"Subtype")) {
                    Some(b"Image") => {
                        let px = |k: &[u8]| get(doc, d, k).and_then(number).unwrap_or(0.0) as u32;
                        let corners = [
                            ctm.apply(0.0, 0.0),
                            ctm.apply(1.0, 0.0),
                            ctm.apply(0.0, 1.0),
                            ctm.apply(1.0, 1.0),
                        ];
                        if let Some(rect) = to_page_rect(&corners, media) {
                            out.images.push(PlacedImage {
                                rect,
                                px_width: px(b"Width"),
                                px_height: px(b"Height"),
                            });
                        }
                    }
                    Some(b"Form") if depth < MAX_FORM_DEPTH => {
                        let matrix = match get(doc, d, b"Matrix") {
                            Some(Object::Array(a)) => {
                                let v: Vec<f32> =
                                    a.iter().filter_map(|o| number(deref(doc, o))).collect();
                                if v.len() == 6 {
                                    Matrix([v[0], v[1], v[2], v[3], v[4], v[5]])
                                } else {
                                    Matrix::IDENTITY
                                }
                            }
                            _ => Matrix::IDENTITY,
                        };
                        let inner = get(doc, d, b"Resources")
                            .and_then(|o| dict(doc, o))
                            .or(resources);
                        if let Ok(bytes) = stream
                            .decompressed_content()
                            .or_else(|_| Ok::<_, ()>(stream.content.clone()))
                        {
                            walk(doc, &bytes, inner, matrix.then(ctm), media, depth + 1, out);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// Whether `o` (followed through references, `seen` guarding cycles) names an RGB colour space.
fn rgb_names(doc: &Document) -> Vec<String> {
    let mut found = Vec::new();
    for object in doc.objects.values() {
        scan_rgb(doc, object, &mut found, 0);
    }
    found
}

fn scan_rgb(doc: &Document, o: &Object, found: &mut Vec<String>, depth: usize) {
    if depth > MAX_FORM_DEPTH {
        return;
    }
    match o {
        Object::Name(n) if n == b"DeviceRGB" || n == b"CalRGB" => {
            found.push(format!("/{}", String::from_utf8_lossy(n)));
        }
        Object::Array(a) => {
            if let (Some(Object::Name(kind)), Some(profile)) = (a.first(), a.get(1)) {
                if kind == b"ICCBased" {
                    if let Some(d) = dict(doc, profile) {
                        if get(doc, d, b"N").and_then(number) == Some(3.0) {
                            found.push("an RGB ICC profile".to_string());
                        }
                    }
                }
            }
            for x in a {
                scan_rgb(doc, x, found, depth + 1);
            }
        }
        Object::Dictionary(d) => {
            for (_, x) in d.iter() {
                scan_rgb(doc, x, found, depth + 1);
            }
        }
        Object::Stream(s) => {
            for (_, x) in s.dict.iter() {
                scan_rgb(doc, x, found, depth + 1);
            }
        }
        _ => {}
    }
}

fn load(file: &str, bytes: &[u8]) -> Result<Document, Diagnostic> {
    let doc = Document::load_mem(bytes).map_err(|e| cannot_read(file, e))?;
    if doc.get_pages().is_empty() {
        return Err(cannot_read(file, "it has no pages"));
    }
    Ok(doc)
}

fn page_dict(doc: &Document, id: ObjectId) -> Option<&Dictionary> {
    doc.get_dictionary(id).ok()
}

/// Reads the preflight facts of the PDF `bytes`; `file` names it in diagnostics.
pub fn read(file: &str, bytes: &[u8]) -> Result<Facts, Diagnostic> {
    let doc = load(file, bytes)?;
    let mut facts = Facts {
        file: file.to_string(),
        ..Facts::default()
    };
    for (_, id) in doc.get_pages() {
        let Some(page) = page_dict(&doc, id) else {
            continue;
        };
        let media =
            pdf_box(&doc, inherited(&doc, page, b"MediaBox")).unwrap_or([0.0, 0.0, 612.0, 792.0]);
        let crop = pdf_box(&doc, inherited(&doc, page, b"CropBox")).unwrap_or(media);
        let trim = pdf_box(&doc, get(&doc, page, b"TrimBox")).unwrap_or(crop);
        let bleed = pdf_box(&doc, get(&doc, page, b"BleedBox")).unwrap_or(crop);
        let rect = |b: [f32; 4]| Rect {
            x: b[0] - media[0],
            y: media[3] - b[3],
            width: b[2] - b[0],
            height: b[3] - b[1],
        };
        let (trim_r, bleed_r) = (rect(trim), rect(bleed));
        let mut gathered = Gathered::default();
        let resources = inherited(&doc, page, b"Resources").and_then(|o| dict(&doc, o));
        let content = doc.get_page_content(id);
        walk(
            &doc,
            &content,
            resources,
            Matrix::IDENTITY,
            media,
            0,
            &mut gathered,
        );
        let annotations = match get(&doc, page, b"Annots") {
            Some(Object::Array(a)) => a.len(),
            _ => 0,
        };
        for f in gathered.fonts {
            if !facts.fonts.iter().any(|x| x.name == f.name) {
                facts.fonts.push(f);
            }
        }
        if gathered.rgb_ops && !facts.rgb.iter().any(|r| r.starts_with("rg")) {
            facts.rgb.push("rg/RG colour operators".to_string());
        }
        facts.pages.push(PageFacts {
            media: rect(media),
            trim: trim_r,
            bleed: (bleed_r.width > trim_r.width + super::preflight::TOLERANCE).then_some(bleed_r),
            text: gathered.text,
            paths: gathered.paths,
            images: gathered.images,
            annotations,
        });
    }
    facts.has_outline = doc
        .catalog()
        .ok()
        .and_then(|c| get(&doc, c, b"Outlines"))
        .and_then(|o| dict(&doc, o))
        .is_some_and(|o| o.has(b"First"));
    facts.rgb.extend(rgb_names(&doc));
    Ok(facts)
}

/// The cover's size: its first page's MediaBox.
pub fn read_cover(file: &str, bytes: &[u8]) -> Result<CoverFacts, Diagnostic> {
    let doc = load(file, bytes)?;
    let box_ = doc
        .get_pages()
        .values()
        .next()
        .and_then(|&id| page_dict(&doc, id))
        .and_then(|p| pdf_box(&doc, inherited(&doc, p, b"MediaBox")))
        .ok_or_else(|| cannot_read(file, "its first page has no MediaBox"))?;
    Ok(CoverFacts {
        width: box_[2] - box_[0],
        height: box_[3] - box_[1],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::content::Operation;
    use lopdf::{dictionary, Stream};

    /// A one-page PDF made with lopdf (not bindery): Helvetica, not embedded, text at
    /// (72, 700) in 12 pt on a Letter page, an RGB fill, and an outline.
    fn foreign_pdf() -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let resources_id = doc.add_object(dictionary! {
            "Font" => dictionary! { "F1" => font_id },
        });
        let content = Content {
            operations: vec![
                Operation::new("rg", vec![1.into(), 0.into(), 0.into()]),
                Operation::new("re", vec![0.into(), 0.into(), 612.into(), 20.into()]),
                Operation::new("f", vec![]),
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 12.into()]),
                Operation::new("Td", vec![72.into(), 700.into()]),
                Operation::new("Tj", vec![Object::string_literal("Hello")]),
                Operation::new("ET", vec![]),
            ],
        };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
                "Resources" => resources_id,
                "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            }),
        );
        let outline_id = doc.add_object(dictionary! { "Type" => "Outlines", "First" => page_id });
        let catalog_id = doc.add_object(dictionary! {
            "Type" => "Catalog", "Pages" => pages_id, "Outlines" => outline_id,
        });
        doc.trailer.set("Root", catalog_id);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn reads_a_pdf_bindery_did_not_make() {
        let facts = read("other.pdf", &foreign_pdf()).unwrap();
        assert_eq!(facts.pages.len(), 1);
        let page = &facts.pages[0];
        assert_eq!(page.trim.width, 612.0);
        // "Hello": five characters at the guessed 0.5 em of 12 pt, baseline 92 pt from the top.
        assert_eq!(page.text.len(), 1);
        let t = page.text[0];
        assert!(
            (t.x - 72.0).abs() < 0.01 && (t.width - 30.0).abs() < 0.01,
            "{t:?}"
        );
        assert!((t.y - (792.0 - 700.0 - 0.8 * 12.0)).abs() < 0.01, "{t:?}");
        // The red band at the foot.
        assert_eq!(page.paths.len(), 1);
        assert!(
            (page.paths[0].y - 772.0).abs() < 0.01,
            "{:?}",
            page.paths[0]
        );
        assert_eq!(
            facts.fonts,
            [FontFacts {
                name: "Helvetica".into(),
                embedded: false
            }]
        );
        assert!(facts.has_outline);
        assert!(
            facts.rgb.iter().any(|r| r.starts_with("rg")),
            "{:?}",
            facts.rgb
        );
    }

    #[test]
    fn garbage_is_a_diagnostic_not_a_panic() {
        let d = read("x.pdf", b"%PDF-1.7 not really").unwrap_err();
        assert_eq!(d.code, E_READ);
        assert!(read("x.pdf", b"").is_err());
    }
}
