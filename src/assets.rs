//! Images: reading, sniffing and measuring image files, and preparing the EPUB cover.
//! The only module that knows the `image` and `png` crates.

use std::io::Cursor;
use std::path::Path;

use image::{ImageFormat as Fmt, ImageReader, Pixel};

use crate::model::ImageFormat;

/// A decoded-enough image: format, pixel size and the original bytes (or, for a format the
/// editions do not carry, the PNG it was converted to).
#[derive(Debug, Clone)]
pub struct LoadedImage {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
    /// Set when the file was a GIF, WebP, BMP or TIFF, now `data` as a PNG.
    pub converted: Option<Converted>,
}

/// What a converted image was: its format's name, and whether it moved (an animated GIF or
/// WebP, of which the PNG keeps the first frame).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Converted {
    pub from: &'static str,
    pub animated: bool,
}

/// Why an image could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageError {
    Missing(String),
    Unsupported(String),
    Corrupt(String),
    /// More pixels than [`MAX_IMAGE_PIXELS`]: refused from its header, before decoding.
    TooLarge {
        width: u32,
        height: u32,
    },
}

/// The most pixels bindery decodes in one image. A full-bleed 8.5 × 11 in page at 600 dpi is
/// 5,250 × 6,750 px (35 megapixels); more only costs memory, about 4 bytes a pixel for each
/// decode (the cover's scaling, the PDF writer's), and a hostile 20,000 × 20,000 image would
/// take 1.6 GB.
pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;

impl ImageError {
    /// "20000 × 20000 px (400 megapixels), more than bindery reads (40 megapixels)" for
    /// [`ImageError::TooLarge`].
    pub fn too_large(width: u32, height: u32) -> String {
        let mega = |n: u64| n.div_ceil(1_000_000);
        format!(
            "{width} × {height} px ({} megapixels), more than bindery reads ({} megapixels)",
            mega(u64::from(width) * u64::from(height)),
            mega(MAX_IMAGE_PIXELS)
        )
    }
}

/// Reads an image file and checks that it decodes fully (so a truncated file is caught here, not
/// by a reader's device).
pub fn load(path: &Path) -> Result<LoadedImage, ImageError> {
    let data = std::fs::read(path).map_err(|e| ImageError::Missing(e.to_string()))?;
    inspect(data)
}

/// Reads a cover: a picture of pixels, PNG or JPEG, which the stores and print services take
/// (an SVG drawing is not a cover).
pub fn load_cover(path: &Path) -> Result<LoadedImage, ImageError> {
    let img = load(path)?;
    if let Some(c) = img.converted {
        return Err(ImageError::Unsupported(format!("a {}", c.from)));
    }
    match img.format {
        ImageFormat::Svg => Err(ImageError::Unsupported("an SVG drawing".into())),
        _ => Ok(img),
    }
}

/// The `image` crate's format of a picture of pixels; an SVG drawing has none.
fn raster(format: ImageFormat) -> Result<Fmt, ImageError> {
    match format {
        ImageFormat::Png => Ok(Fmt::Png),
        ImageFormat::Jpeg => Ok(Fmt::Jpeg),
        ImageFormat::Svg => Err(ImageError::Unsupported("an SVG drawing".into())),
    }
}

/// Sniffs, measures and fully decodes image bytes; an SVG drawing is read and normalised
/// ([`crate::svg::normalise`]).
pub fn inspect(data: Vec<u8>) -> Result<LoadedImage, ImageError> {
    if crate::svg::sniff(&data) {
        let drawing = crate::svg::normalise(&data).map_err(|e| {
            ImageError::Corrupt(format!("an SVG drawing that cannot be read ({e})"))
        })?;
        return Ok(LoadedImage {
            format: ImageFormat::Svg,
            width: drawing.width,
            height: drawing.height,
            data: drawing.data,
            converted: None,
        });
    }
    let reader = ImageReader::new(Cursor::new(&data))
        .with_guessed_format()
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    let format = match reader.format() {
        Some(Fmt::Png) => ImageFormat::Png,
        Some(Fmt::Jpeg) => ImageFormat::Jpeg,
        Some(fmt @ (Fmt::Gif | Fmt::WebP | Fmt::Bmp | Fmt::Tiff)) => return to_png(&data, fmt),
        Some(other) => return Err(ImageError::Unsupported(format!("{other:?}"))),
        None => return Err(ImageError::Unsupported("unknown format".into())),
    };
    // The header alone says how big the image is: refuse a huge one before decoding it.
    let (width, height) = ImageReader::new(Cursor::new(&data))
        .with_guessed_format()
        .map_err(|e| ImageError::Corrupt(e.to_string()))?
        .into_dimensions()
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    if u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
        return Err(ImageError::TooLarge { width, height });
    }
    let (width, height) = if format == ImageFormat::Png {
        verify_png(&data).map_err(|e| ImageError::Corrupt(e.to_string()))?
    } else {
        let img = reader
            .decode()
            .map_err(|e| ImageError::Corrupt(e.to_string()))?;
        (img.width(), img.height())
    };
    Ok(LoadedImage {
        format,
        width,
        height,
        data,
        converted: None,
    })
}

/// A GIF, WebP, BMP or TIFF picture as a PNG, losslessly: neither edition carries those
/// formats (a PDF has no GIF or WebP, and EPUB readers before EPUB 3.3 show no WebP), and a
/// moving picture prints as its first frame (and stays still in the EPUB too: an animation
/// that starts by itself and cannot be paused fails WCAG 2.2.2).
fn to_png(data: &[u8], fmt: Fmt) -> Result<LoadedImage, ImageError> {
    let corrupt = |e: image::ImageError| ImageError::Corrupt(e.to_string());
    let reader = || {
        let mut r = ImageReader::new(Cursor::new(data));
        r.set_format(fmt);
        r
    };
    let (width, height) = reader().into_dimensions().map_err(corrupt)?;
    if u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
        return Err(ImageError::TooLarge { width, height });
    }
    let animated = match fmt {
        Fmt::Gif => {
            use image::AnimationDecoder;
            let decoder =
                image::codecs::gif::GifDecoder::new(Cursor::new(data)).map_err(corrupt)?;
            decoder.into_frames().take(2).count() > 1
        }
        Fmt::WebP => image::codecs::webp::WebPDecoder::new(Cursor::new(data))
            .map_err(corrupt)?
            .has_animation(),
        _ => false,
    };
    let decoded = reader().decode().map_err(corrupt)?;
    // PNG holds 8 and 16 bits a channel; a TIFF of floating-point samples goes to 16.
    let decoded = match decoded.color() {
        image::ColorType::Rgb32F | image::ColorType::Rgba32F => {
            image::DynamicImage::ImageRgba16(decoded.to_rgba16())
        }
        _ => decoded,
    };
    let mut out = Vec::new();
    decoded
        .write_to(&mut Cursor::new(&mut out), Fmt::Png)
        .map_err(corrupt)?;
    let from = match fmt {
        Fmt::Gif => "GIF",
        Fmt::WebP => "WebP",
        Fmt::Bmp => "BMP",
        _ => "TIFF",
    };
    Ok(LoadedImage {
        format: ImageFormat::Png,
        width: decoded.width(),
        height: decoded.height(),
        data: out,
        converted: Some(Converted { from, animated }),
    })
}

/// Decodes a PNG completely, one row at a time and without expanding its pixels, so that a
/// truncated or corrupt file (bad zlib stream, CRC, filter or missing end) is caught, but no
/// image-sized buffer is allocated. Returns the pixel size.
fn verify_png(data: &[u8]) -> Result<(u32, u32), png::DecodingError> {
    let mut decoder = png::Decoder::new(Cursor::new(data));
    decoder.set_transformations(png::Transformations::IDENTITY);
    let mut reader = decoder.read_info()?;
    let (width, height) = (reader.info().width, reader.info().height);
    while reader.next_row()?.is_some() {}
    reader.finish()?;
    Ok((width, height))
}

/// The EPUB cover: scaled down to fit within `max_w`×`max_h` (never up), re-encoded only when it
/// had to be scaled; otherwise the original bytes are kept.
pub fn epub_cover(img: &LoadedImage, max_w: u32, max_h: u32) -> Result<LoadedImage, ImageError> {
    if img.width <= max_w && img.height <= max_h {
        return Ok(img.clone());
    }
    let decoded =
        image::load_from_memory(&img.data).map_err(|e| ImageError::Corrupt(e.to_string()))?;
    let scaled = decoded.resize(max_w, max_h, image::imageops::FilterType::Lanczos3);
    let mut out = Vec::new();
    let fmt = raster(img.format)?;
    let scaled = if fmt == Fmt::Jpeg {
        image::DynamicImage::ImageRgb8(scaled.to_rgb8())
    } else {
        scaled
    };
    scaled
        .write_to(&mut Cursor::new(&mut out), fmt)
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    Ok(LoadedImage {
        format: img.format,
        width: scaled.width(),
        height: scaled.height(),
        data: out,
        converted: img.converted,
    })
}

/// The image as an 8-bit greyscale PNG (for a black-and-white print interior): decoded,
/// converted with `image`'s luma weights, and encoded losslessly. Transparency is dropped onto
/// white paper first, so a transparent area prints as paper, not black.
pub fn grey_png(data: &[u8], format: ImageFormat) -> Result<Vec<u8>, ImageError> {
    let fmt = raster(format)?;
    let decoded = image::load_from_memory_with_format(data, fmt)
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    let mut grey = image::GrayImage::new(decoded.width(), decoded.height());
    for (x, y, px) in decoded.to_rgba8().enumerate_pixels() {
        let [r, g, b, a] = px.0;
        let alpha = f32::from(a) / 255.0;
        let luma = image::Rgb([r, g, b]).to_luma().0[0];
        let on_white = f32::from(luma) * alpha + 255.0 * (1.0 - alpha);
        grey.put_pixel(x, y, image::Luma([on_white.round() as u8]));
    }
    let mut out = Vec::new();
    image::DynamicImage::ImageLuma8(grey)
        .write_to(&mut Cursor::new(&mut out), Fmt::Png)
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    Ok(out)
}

/// The image cropped, about its centre, to the aspect ratio `width / height`, so that scaling it
/// to a box of that shape fills the box without distortion. Kept as it is when its aspect is
/// within [`ASPECT_TOLERANCE`]; otherwise re-encoded as PNG (lossless).
pub fn crop_to_aspect(img: &LoadedImage, aspect: f32) -> Result<LoadedImage, ImageError> {
    let (w, h) = (img.width.max(1) as f32, img.height.max(1) as f32);
    if !aspect.is_finite() || aspect <= 0.0 || ((w / h) / aspect - 1.0).abs() <= ASPECT_TOLERANCE {
        return Ok(img.clone());
    }
    let decoded =
        image::load_from_memory(&img.data).map_err(|e| ImageError::Corrupt(e.to_string()))?;
    let (cw, ch) = if w / h > aspect {
        ((h * aspect).round().max(1.0) as u32, img.height)
    } else {
        (img.width, (w / aspect).round().max(1.0) as u32)
    };
    let x = (img.width.saturating_sub(cw)) / 2;
    let y = (img.height.saturating_sub(ch)) / 2;
    let cropped = decoded.crop_imm(x, y, cw, ch);
    let mut out = Vec::new();
    cropped
        .write_to(&mut Cursor::new(&mut out), Fmt::Png)
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    Ok(LoadedImage {
        format: ImageFormat::Png,
        width: cw,
        height: ch,
        data: out,
        converted: img.converted,
    })
}

/// Aspect ratios closer than this share are the same shape: stretching by 0.5 % is invisible,
/// and keeps the original bytes.
pub const ASPECT_TOLERANCE: f32 = 0.005;

impl std::fmt::Display for ImageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImageError::Missing(m) | ImageError::Unsupported(m) | ImageError::Corrupt(m) => {
                f.write_str(m)
            }
            ImageError::TooLarge { width, height } => {
                f.write_str(&ImageError::too_large(*width, *height))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 40, 40]));
        let mut out = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), Fmt::Png)
            .unwrap();
        out
    }

    /// BMP and TIFF (still pictures) become PNGs of the same pixels; a huge one is refused
    /// from its header; a truncated one does not decode.
    #[test]
    fn bmp_and_tiff_become_pngs_of_their_pixels() {
        let mut picture = image::RgbImage::from_pixel(30, 20, image::Rgb([200, 40, 40]));
        picture.put_pixel(3, 4, image::Rgb([10, 20, 30]));
        for (fmt, name) in [(Fmt::Bmp, "BMP"), (Fmt::Tiff, "TIFF")] {
            let mut data = Vec::new();
            image::DynamicImage::ImageRgb8(picture.clone())
                .write_to(&mut Cursor::new(&mut data), fmt)
                .unwrap();
            let img = inspect(data.clone()).unwrap();
            assert_eq!(img.format, ImageFormat::Png);
            assert_eq!((img.width, img.height), (30, 20));
            assert_eq!(
                img.converted,
                Some(Converted {
                    from: name,
                    animated: false
                })
            );
            let back = image::load_from_memory_with_format(&img.data, Fmt::Png)
                .unwrap()
                .to_rgb8();
            assert_eq!(back, picture, "{name}");
            data.truncate(data.len() / 2);
            assert!(
                matches!(inspect(data), Err(ImageError::Corrupt(_))),
                "{name}"
            );
        }
        // A TIFF of floating-point samples: a 16-bit PNG.
        let mut data = Vec::new();
        image::DynamicImage::ImageRgb32F(image::Rgb32FImage::from_pixel(
            4,
            3,
            image::Rgb([1.0, 0.5, 0.0]),
        ))
        .write_to(&mut Cursor::new(&mut data), Fmt::Tiff)
        .unwrap();
        let img = inspect(data).unwrap();
        let back = image::load_from_memory_with_format(&img.data, Fmt::Png).unwrap();
        assert_eq!(back.color(), image::ColorType::Rgba16);
        assert_eq!(back.to_rgba16().get_pixel(0, 0).0, [65535, 32768, 0, 65535]);
        // A BMP header claiming 20,000 × 20,000 pixels: refused before decoding.
        let mut huge = Vec::new();
        image::DynamicImage::ImageRgb8(image::RgbImage::new(2, 2))
            .write_to(&mut Cursor::new(&mut huge), Fmt::Bmp)
            .unwrap();
        huge[18..22].copy_from_slice(&20_000i32.to_le_bytes());
        huge[22..26].copy_from_slice(&20_000i32.to_le_bytes());
        assert!(matches!(
            inspect(huge),
            Err(ImageError::TooLarge {
                width: 20_000,
                height: 20_000
            })
        ));
    }

    #[test]
    fn measures_png_and_rejects_garbage() {
        let img = inspect(png(30, 20)).unwrap();
        assert_eq!(
            (img.format, img.width, img.height),
            (ImageFormat::Png, 30, 20)
        );
        assert!(matches!(
            inspect(b"not an image".to_vec()),
            Err(ImageError::Unsupported(_))
        ));
        let mut truncated = png(30, 20);
        truncated.truncate(60);
        assert!(inspect(truncated).is_err());
        // A flipped byte inside the image data fails its CRC, and a file cut before its end
        // chunk fails too, although its header (and so its size) reads fine.
        let good = png(300, 200);
        let mut flipped = good.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x55;
        assert!(matches!(inspect(flipped), Err(ImageError::Corrupt(_))));
        let mut cut = good.clone();
        cut.truncate(good.len() - 12);
        assert!(matches!(inspect(cut), Err(ImageError::Corrupt(_))));
    }

    #[test]
    fn cover_is_scaled_to_fit() {
        let img = inspect(png(400, 200)).unwrap();
        let c = epub_cover(&img, 100, 100).unwrap();
        assert_eq!((c.width, c.height), (100, 50));
        let same = epub_cover(&img, 1600, 2560).unwrap();
        assert_eq!(same.data, img.data);
    }
}
