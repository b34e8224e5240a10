//! SVG drawings as figures. An SVG is read once, by usvg (the parser under krilla's own SVG
//! converter, `krilla-svg`), and written back out in usvg's normal form: every shape a path,
//! its text set in bindery's own faces ([`crate::typeset::font::svg_faces`]) and turned into
//! outlines, and nothing a book must not carry (scripts, animation, links to other files, which
//! usvg drops; a picture it names by path is not read, so nothing outside the book gets in).
//! Both editions use that normal form: the EPUB carries it as an `image/svg+xml` picture, the
//! PDF draws it as vectors (through `krilla-svg`), or, for a print service
//! that takes grey only, as a grey picture of 300 pixels to the inch ([`grey_png`]).
//!
//! A drawing's natural size is its `width` and `height` (its `viewBox` without them) in CSS
//! pixels, 96 to the inch, as a browser shows it; it prints at that size, or smaller to fit
//! the measure, as a PNG does.

use std::sync::{Arc, LazyLock};

use usvg::fontdb;

/// The body face's family: the one an SVG's text falls back to.
const BODY_FAMILY: &str = "Libertinus Serif";

/// The faces an SVG's text can be set in, with the generic families (`serif`, `sans-serif`,
/// …) all the body face, which also stands in for a family the machine would have had
/// (`Arial`): usvg falls back to `serif`.
static FONTS: LazyLock<Arc<fontdb::Database>> = LazyLock::new(|| {
    let mut db = fontdb::Database::new();
    for face in crate::typeset::font::svg_faces() {
        db.load_font_source(fontdb::Source::Binary(Arc::new(face)));
    }
    db.set_serif_family(BODY_FAMILY);
    db.set_sans_serif_family(BODY_FAMILY);
    db.set_cursive_family(BODY_FAMILY);
    db.set_fantasy_family(BODY_FAMILY);
    db.set_monospace_family("DejaVu Sans Mono");
    Arc::new(db)
});

/// The options every SVG is read with: bindery's faces, and no folder to read pictures from.
fn options() -> usvg::Options<'static> {
    usvg::Options {
        fontdb: FONTS.clone(),
        font_family: BODY_FAMILY.to_string(),
        resources_dir: None,
        ..usvg::Options::default()
    }
}

/// Whether `data` is an SVG drawing: after a byte-order mark and white space, an XML
/// declaration, a comment, a doctype or the `<svg` element, and an `<svg` element in its first
/// kilobytes. (A gzip-compressed `.svgz` is not read.)
pub fn sniff(data: &[u8]) -> bool {
    let data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let start = data
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(data.len());
    let head = &data[start..];
    let opens = [&b"<?xml"[..], b"<!--", b"<!DOCTYPE", b"<svg"]
        .iter()
        .any(|p| head.starts_with(p));
    opens
        && head[..head.len().min(4096)]
            .windows(4)
            .any(|w| w == b"<svg")
}

/// An SVG read and normalised: its bytes in usvg's normal form and its size in CSS pixels
/// (rounded up, at least 1).
pub struct Drawing {
    pub data: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Reads an SVG and writes it in usvg's normal form, its text as outlines.
pub fn normalise(data: &[u8]) -> Result<Drawing, String> {
    let tree = usvg::Tree::from_data(data, &options()).map_err(|e| e.to_string())?;
    let size = tree.size();
    let written = tree.to_string(&usvg::WriteOptions::default());
    let px = |v: f32| (v.ceil() as u32).max(1);
    Ok(Drawing {
        data: written.into_bytes(),
        width: px(size.width()),
        height: px(size.height()),
    })
}

/// The usvg tree of a drawing (normalised by [`normalise`]), for the PDF writer.
pub fn tree(data: &[u8]) -> Result<usvg::Tree, String> {
    usvg::Tree::from_data(data, &options()).map_err(|e| e.to_string())
}

/// The drawing as a grey PNG, `width` × `height` points printed at 300 pixels to the inch, on
/// white: for a print edition in grey only, where a drawing's colours cannot stay.
pub fn grey_png(data: &[u8], width_pt: f32, height_pt: f32) -> Result<Vec<u8>, String> {
    let tree = tree(data)?;
    let px = |pt: f32| ((pt / 72.0 * 300.0).ceil() as u32).clamp(1, 20_000);
    let (w, h) = (px(width_pt), px(height_pt));
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or("an empty drawing")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    let size = tree.size();
    let scale = tiny_skia::Transform::from_scale(w as f32 / size.width(), h as f32 / size.height());
    resvg::render(&tree, scale, &mut pixmap.as_mut());
    let mut grey = image::GrayImage::new(w, h);
    for (i, px) in pixmap.pixels().iter().enumerate() {
        // On white, premultiplied colour is the colour seen.
        let c = px.demultiply();
        let luma = image::Rgb([c.red(), c.green(), c.blue()]);
        let a = f32::from(c.alpha()) / 255.0;
        let y = f32::from(image::Pixel::to_luma(&luma).0[0]) * a + 255.0 * (1.0 - a);
        grey.put_pixel(i as u32 % w, i as u32 / w, image::Luma([y.round() as u8]));
    }
    let mut out = Vec::new();
    image::DynamicImage::ImageLuma8(grey)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LABELLED: &str = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" \
        width=\"200\" height=\"100\" viewBox=\"0 0 200 100\"><script>alert(1)</script>\
        <rect x=\"10\" y=\"10\" width=\"80\" height=\"80\" fill=\"#c00\"/>\
        <image href=\"/etc/passwd.png\" width=\"10\" height=\"10\"/>\
        <text x=\"100\" y=\"60\" font-family=\"Arial\" font-size=\"20\">Rice</text></svg>";

    #[test]
    fn a_drawing_is_normalised_its_text_outlined_its_script_gone() {
        assert!(sniff(LABELLED.as_bytes()));
        assert!(sniff(
            b"\xef\xbb\xbf  <svg xmlns=\"http://www.w3.org/2000/svg\"/>"
        ));
        assert!(!sniff(b"\x89PNG\r\n\x1a\n"));
        assert!(!sniff(b"<html><body>no drawing</body></html>"));
        let d = normalise(LABELLED.as_bytes()).expect("reads");
        assert_eq!((d.width, d.height), (200, 100));
        let svg = String::from_utf8(d.data).expect("UTF-8");
        assert!(svg.contains("<path"), "{svg}");
        for gone in ["<script", "alert", "<text", "passwd", "<image"] {
            assert!(!svg.contains(gone), "`{gone}` in {svg}");
        }
        // The text is there as outlines: more than the square's one path.
        assert!(svg.matches("<path").count() >= 2, "{svg}");
    }

    #[test]
    fn a_grey_drawing_is_grey_at_300_dpi() {
        let d = normalise(LABELLED.as_bytes()).expect("reads");
        let png = grey_png(&d.data, 150.0, 75.0).expect("renders");
        let img = image::load_from_memory(&png).expect("a PNG");
        assert_eq!((img.width(), img.height()), (625, 313));
        assert_eq!(img.color(), image::ColorType::L8);
        // The red square is a mid grey; the corner is white.
        let grey = img.to_luma8();
        assert_eq!(grey.get_pixel(0, 0).0[0], 255);
        let inside = grey.get_pixel(150, 150).0[0];
        assert!((40..120).contains(&inside), "{inside}");
    }

    #[test]
    fn what_is_not_an_svg_is_an_error() {
        assert!(normalise(b"<svg").is_err());
    }
}
