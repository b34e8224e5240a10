//! Writes the images of the `tests/fixtures/full` book: a PNG diagram, a JPEG picture and a
//! JPEG cover larger than the EPUB maximum (so that the build has to scale it). They are
//! committed; run `cargo run --example fixture_images` to make them again.

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/full");
    let out = [
        ("images/diagram.png", diagram(), ImageFormat::Png),
        ("images/field.jpg", field(), ImageFormat::Jpeg),
        ("covers/cover.jpg", cover(), ImageFormat::Jpeg),
    ];
    for (rel, img, fmt) in out {
        let path = root.join(rel);
        let saved = path
            .parent()
            .map(std::fs::create_dir_all)
            .unwrap_or(Ok(()))
            .map_err(|e| e.to_string())
            .and_then(|_| {
                DynamicImage::ImageRgb8(img)
                    .save_with_format(&path, fmt)
                    .map_err(|e| e.to_string())
            });
        if let Err(e) = saved {
            eprintln!("cannot write {}: {e}", path.display());
            std::process::exit(2);
        }
        println!("wrote {}", path.display());
    }
}

/// Three bars of a bar chart on a light ground (400×240).
fn diagram() -> RgbImage {
    let mut img = RgbImage::from_pixel(400, 240, Rgb([246, 242, 232]));
    for (i, h) in [120u32, 180, 80].iter().enumerate() {
        let x0 = 50 + i as u32 * 110;
        for y in 220 - h..220 {
            for x in x0..x0 + 80 {
                img.put_pixel(x, y, Rgb([60 + 60 * i as u8, 90, 140 - 30 * i as u8]));
            }
        }
    }
    for x in 30..370 {
        img.put_pixel(x, 220, Rgb([40, 40, 40]));
    }
    img
}

/// Green rows of a rice field under a pale sky (480×320).
fn field() -> RgbImage {
    RgbImage::from_fn(480, 320, |x, y| {
        if y < 120 {
            Rgb([200, 220, 240])
        } else if (x + y / 2) % 24 < 12 {
            Rgb([70, 140, 60])
        } else {
            Rgb([110, 170, 80])
        }
    })
}

/// A cover of coloured bands (1700×2720: above the 1600×2560 the EPUB carries).
fn cover() -> RgbImage {
    RgbImage::from_fn(1700, 2720, |_, y| {
        let band = y / 340;
        Rgb([
            (30 + band * 25) as u8,
            (40 + band * 12) as u8,
            (90 - band * 6) as u8,
        ])
    })
}
