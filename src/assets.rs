//! Images: reading, sniffing and measuring image files, and preparing the EPUB cover.
//! The only module that knows the `image` crate.

use std::io::Cursor;
use std::path::Path;

use image::{ImageFormat as Fmt, ImageReader};

use crate::model::ImageFormat;

/// A decoded-enough image: format, pixel size and the original bytes.
#[derive(Debug, Clone)]
pub struct LoadedImage {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

/// Why an image could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageError {
    Missing(String),
    Unsupported(String),
    Corrupt(String),
}

/// Reads an image file and checks that it decodes fully (so a truncated file is caught here, not
/// by a reader's device).
pub fn load(path: &Path) -> Result<LoadedImage, ImageError> {
    let data = std::fs::read(path).map_err(|e| ImageError::Missing(e.to_string()))?;
    inspect(data)
}

/// Sniffs, measures and fully decodes image bytes.
pub fn inspect(data: Vec<u8>) -> Result<LoadedImage, ImageError> {
    let reader = ImageReader::new(Cursor::new(&data))
        .with_guessed_format()
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    let format = match reader.format() {
        Some(Fmt::Png) => ImageFormat::Png,
        Some(Fmt::Jpeg) => ImageFormat::Jpeg,
        Some(other) => return Err(ImageError::Unsupported(format!("{other:?}"))),
        None => return Err(ImageError::Unsupported("unknown format".into())),
    };
    let img = reader
        .decode()
        .map_err(|e| ImageError::Corrupt(e.to_string()))?;
    Ok(LoadedImage {
        format,
        width: img.width(),
        height: img.height(),
        data,
    })
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
    let fmt = match img.format {
        ImageFormat::Png => Fmt::Png,
        ImageFormat::Jpeg => Fmt::Jpeg,
    };
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
    })
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
