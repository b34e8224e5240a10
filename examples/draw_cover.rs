//! Draws the cover of bindery's own book, `covers/cover.png` (1600×2560 px), with nothing but
//! solid shapes: a dusk sky in bands, a low sun behind a stepped temple silhouette, a lotus of
//! rings and petals, and water below. Run with `cargo run --example draw_cover`.

use image::{Rgb, RgbImage};

/// Cover size in px: the common EPUB store recommendation (1:1.6).
const WIDTH: u32 = 1600;
const HEIGHT: u32 = 2560;

/// Where the horizon sits, in px from the top.
const HORIZON: i64 = 1620;

fn main() {
    let mut img = RgbImage::new(WIDTH, HEIGHT);
    sky(&mut img);
    sun(&mut img, 800, HORIZON - 60, 430);
    temple(&mut img);
    water(&mut img);
    lotus(&mut img, 800, 2130);
    frame(&mut img);
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("covers/cover.png");
    if let Err(e) = write_indexed(&img, &out) {
        eprintln!("cannot write {}: {e}", out.display());
        std::process::exit(2);
    }
    println!("wrote {}", out.display());
}

/// Writes `img` as an 8-bit palette PNG (it must have at most 256 colours).
fn write_indexed(img: &RgbImage, path: &std::path::Path) -> Result<(), String> {
    let mut palette: Vec<[u8; 3]> = Vec::new();
    let mut indexes = Vec::with_capacity((img.width() * img.height()) as usize);
    for p in img.pixels() {
        let i = match palette.iter().position(|c| *c == p.0) {
            Some(i) => i,
            None => {
                palette.push(p.0);
                palette.len() - 1
            }
        };
        indexes.push(u8::try_from(i).map_err(|_| "more than 256 colours".to_string())?);
    }
    let file = std::fs::File::create(path).map_err(|e| e.to_string())?;
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), img.width(), img.height());
    enc.set_color(png::ColorType::Indexed);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_palette(palette.concat());
    enc.set_compression(png::Compression::High);
    // The PNG specification's advice for palette images: no filter. It also makes the file
    // quicker to verify (bindery decodes the cover at every build).
    enc.set_filter(png::Filter::NoFilter);
    let mut writer = enc.write_header().map_err(|e| e.to_string())?;
    writer
        .write_image_data(&indexes)
        .map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())
}

fn mix(a: [u8; 3], b: [u8; 3], t: f64) -> Rgb<u8> {
    let t = t.clamp(0.0, 1.0);
    let c = |i: usize| (f64::from(a[i]) * (1.0 - t) + f64::from(b[i]) * t).round() as u8;
    Rgb([c(0), c(1), c(2)])
}

fn put(img: &mut RgbImage, x: i64, y: i64, c: Rgb<u8>) {
    if x >= 0 && y >= 0 && (x as u32) < img.width() && (y as u32) < img.height() {
        img.put_pixel(x as u32, y as u32, c);
    }
}

/// Horizontal bands from deep indigo to a warm ochre at the horizon.
fn sky(img: &mut RgbImage) {
    const BANDS: i64 = 14;
    let top = [28, 22, 54];
    let low = [214, 120, 58];
    for y in 0..HORIZON {
        let band = y * BANDS / HORIZON;
        let c = mix(top, low, band as f64 / (BANDS - 1) as f64);
        for x in 0..i64::from(WIDTH) {
            put(img, x, y, c);
        }
    }
}

/// A disc in concentric rings, cut by the horizon.
fn sun(img: &mut RgbImage, cx: i64, cy: i64, r: i64) {
    for y in (cy - r).max(0)..HORIZON.min(cy + r) {
        for x in cx - r..=cx + r {
            let d = (((x - cx).pow(2) + (y - cy).pow(2)) as f64).sqrt();
            if d <= r as f64 {
                let ring = (d / r as f64 * 5.0).floor() / 4.0;
                put(img, x, y, mix([250, 226, 150], [236, 150, 70], ring));
            }
        }
    }
}

/// Five stepped towers standing on a long base: a temple seen against the sun.
fn temple(img: &mut RgbImage) {
    let ink = Rgb([36, 24, 40]);
    let rect = |img: &mut RgbImage, x0: i64, x1: i64, y0: i64, y1: i64| {
        for y in y0..y1 {
            for x in x0..x1 {
                put(img, x, y, ink);
            }
        }
    };
    rect(img, 180, 1420, HORIZON - 90, HORIZON);
    rect(img, 260, 1340, HORIZON - 150, HORIZON - 90);
    for (cx, h, w) in [
        (800, 640, 230),
        (520, 440, 170),
        (1080, 440, 170),
        (330, 300, 120),
        (1270, 300, 120),
    ] {
        let steps = 7;
        for s in 0..steps {
            let width = w - w * s / (steps + 2);
            let y1 = HORIZON - 150 - h * s / steps;
            let y0 = HORIZON - 150 - h * (s + 1) / steps;
            rect(img, cx - width / 2, cx + width / 2, y0, y1);
        }
        // A pointed finial.
        let top = HORIZON - 150 - h;
        for dy in 0..w / 2 {
            let half = (w / 2 - dy) / 6;
            rect(img, cx - half, cx + half + 1, top - dy, top - dy + 1);
        }
    }
}

/// Dark water with lighter ripples reflecting the sun.
fn water(img: &mut RgbImage) {
    for y in HORIZON..i64::from(HEIGHT) {
        let t = (y - HORIZON) as f64 / (i64::from(HEIGHT) - HORIZON) as f64;
        // Twenty bands of shade, like the sky.
        let t = (t * 20.0).floor() / 20.0;
        let base = mix([60, 40, 70], [18, 16, 36], t);
        for x in 0..i64::from(WIDTH) {
            put(img, x, y, base);
        }
        if (y - HORIZON) % 38 < 6 {
            let half = (380.0 * (1.0 - t * 0.8)) as i64;
            let c = mix([236, 150, 70], [60, 40, 70], t * 1.3);
            for x in 800 - half..800 + half {
                put(img, x, y, c);
            }
        }
    }
}

/// A lotus: petals as ellipses fanned around a centre, above a ring.
fn lotus(img: &mut RgbImage, cx: i64, cy: i64) {
    let petal = |img: &mut RgbImage, angle: f64, len: f64, width: f64, c: Rgb<u8>| {
        let (s, co) = angle.sin_cos();
        for y in cy - len as i64 - 5..=cy + 5 {
            for x in cx - len as i64..=cx + len as i64 {
                let dx = (x - cx) as f64;
                let dy = (y - cy) as f64;
                // Rotate into the petal's frame: u along the petal, v across it.
                let u = dx * s - dy * co;
                let v = dx * co + dy * s;
                let uu = (u - len / 2.0) / (len / 2.0);
                let vv = v / width;
                if uu * uu + vv * vv <= 1.0 {
                    put(img, x, y, c);
                }
            }
        }
    };
    for i in -3..=3 {
        let a = f64::from(i) * 0.36;
        petal(img, a, 330.0, 62.0, Rgb([176, 74, 96]));
    }
    for i in -2..=2 {
        let a = f64::from(i) * 0.42;
        petal(img, a, 250.0, 54.0, Rgb([226, 128, 140]));
    }
    petal(img, 0.0, 190.0, 46.0, Rgb([246, 196, 190]));
    for y in cy..cy + 40 {
        for x in cx - 360..cx + 360 {
            let t = ((x - cx).abs() as f64 / 360.0).powi(2);
            if (y - cy) as f64 <= 40.0 * (1.0 - t) {
                put(img, x, y, Rgb([90, 120, 80]));
            }
        }
    }
}

/// A thin ochre frame inset from the edge.
fn frame(img: &mut RgbImage) {
    let c = Rgb([214, 170, 90]);
    let (w, h) = (i64::from(WIDTH), i64::from(HEIGHT));
    for t in 0..10 {
        let m = 70 + t;
        for x in m..w - m {
            put(img, x, m, c);
            put(img, x, h - 1 - m, c);
        }
        for y in m..h - m {
            put(img, m, y, c);
            put(img, w - 1 - m, y, c);
        }
    }
}
