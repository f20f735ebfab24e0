//! Compact passes against full ones (DESIGN §9): the QR version of a typical form pass before
//! (name, phone and e-mail in the pass) and after (the name and `r` only), for a Latin and an
//! Arabic name, and the decode rate of each at 1280x720 as the code's width steps from 200
//! down to 60 pixels, pasted into synthetic scenes and read the way the kiosk reads camera
//! frames (JPEG luma, `usher_decode::Cascade::recommended`).
//!
//! `cargo run [--release] -p usher-server --example compact_pass -- [--trials N] [--seed N]`
//! (default 20 trials; the dev profile builds the decoders optimised, so only drawing the
//! frames is slower without `--release`: about 5 minutes per pass at 10 trials on 2 busy cores).
//!
//! Each frame: a lit scene of blocks and text-like lines, the code (its quiet zone included,
//! white on a light card) at a random place, turned by up to 8 degrees, with optics blur
//! (sigma 0.5-0.8 px), sensor noise (sigma 2-4) and JPEG quality 80-92, as a webcam's MJPEG
//! frame. The code's width is that of its modules without the quiet zone; the same frames
//! (scene, place, angle, noise) serve every pass, so the rows differ only by the code.

use image::GrayImage;
use image::codecs::jpeg::JpegEncoder;
use usher_core::Signer;
use usher_decode::{Cascade, GreyFrame};
use usher_server::passpng::{qr_code, qr_version};
use usher_server::visitor::{TYPICAL_VISITORS, form_pass_text};

const W: u32 = 1280;
const H: u32 = 720;

/// splitmix64: small, seedable, the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    fn gauss(&mut self) -> f64 {
        let u = self.unit().max(1e-12);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

fn fill(img: &mut [f32], (x0, y0, w, h): (f64, f64, f64, f64), v: f32) {
    let (xa, ya) = (x0.max(0.0) as u32, y0.max(0.0) as u32);
    let (xb, yb) = (
        ((x0 + w).max(0.0) as u32).min(W),
        ((y0 + h).max(0.0) as u32).min(H),
    );
    for y in ya..yb {
        for x in xa..xb {
            img[(y * W + x) as usize] = v;
        }
    }
}

/// A scene: a lighting gradient, blocks, and panels of dark dashes (posters, forms).
fn scene(rng: &mut Rng) -> Vec<f32> {
    let base = rng.range(70.0, 150.0);
    let (gx, gy) = (rng.range(-40.0, 40.0), rng.range(-30.0, 30.0));
    let mut img: Vec<f32> = (0..W * H)
        .map(|i| {
            let (x, y) = (
                f64::from(i % W) / f64::from(W),
                f64::from(i / W) / f64::from(H),
            );
            (base + gx * x + gy * y) as f32
        })
        .collect();
    for _ in 0..12 {
        let r = (
            rng.range(-50.0, f64::from(W)),
            rng.range(-50.0, f64::from(H)),
            rng.range(20.0, 500.0),
            rng.range(20.0, 300.0),
        );
        fill(&mut img, r, rng.range(0.0, 255.0) as f32);
    }
    for _ in 0..4 {
        let (x0, y0, w, h) = (
            rng.range(0.0, f64::from(W)),
            rng.range(0.0, f64::from(H)),
            rng.range(120.0, 400.0),
            rng.range(60.0, 240.0),
        );
        fill(&mut img, (x0, y0, w, h), rng.range(190.0, 245.0) as f32);
        let size = rng.range(5.0, 12.0);
        let mut y = y0 + size;
        while y < y0 + h - size {
            let mut x = x0 + size;
            while x < x0 + w - size {
                let dash = rng.range(size * 0.3, size * 1.8);
                fill(&mut img, (x, y, dash, size), rng.range(10.0, 70.0) as f32);
                x += dash + rng.range(size * 0.2, size);
            }
            y += size * rng.range(1.4, 2.0);
        }
    }
    img
}

/// Where and how a code goes into a frame, drawn once per trial for every pass.
struct Placement {
    seed: u64,
    /// The scene behind the code (the same for every pass and width).
    scene: Vec<f32>,
    /// Centre, as a fraction of the room left around the code.
    at: (f64, f64),
    angle: f64,
    blur: f32,
    noise: f64,
    quality: u8,
}

/// Draws the code of `text` with its modules `width` px wide into a scene, and gives the frame
/// as the kiosk sees it (JPEG, then its luma plane).
fn frame(text: &str, width: f64, p: &Placement) -> GreyFrame<'static> {
    let code = qr_code(text).expect("fits");
    let n = code.width();
    let colors = code.to_colors();
    let module = width / n as f64;
    let quiet = 4.0;
    let side = (n as f64 + 2.0 * quiet) * module;
    let mut rng = Rng(p.seed);
    let mut img = p.scene.clone();
    let room = (f64::from(W) - side * 1.5, f64::from(H) - side * 1.5);
    let (cx, cy) = (
        side * 0.75 + p.at.0 * room.0.max(0.0),
        side * 0.75 + p.at.1 * room.1.max(0.0),
    );
    let (sin, cos) = p.angle.to_radians().sin_cos();
    let half = side / 2.0 * std::f64::consts::SQRT_2;
    let (y0, y1) = ((cy - half).max(0.0) as u32, ((cy + half) as u32).min(H));
    let (x0, x1) = ((cx - half).max(0.0) as u32, ((cx + half) as u32).min(W));
    for y in y0..y1 {
        for x in x0..x1 {
            // 4x4 supersampling of the module grid, the code turned about its centre.
            let mut sum = 0.0;
            let mut inside = 0;
            for sy in 0..4 {
                for sx in 0..4 {
                    let (dx, dy) = (
                        f64::from(x) + (f64::from(sx) + 0.5) / 4.0 - cx,
                        f64::from(y) + (f64::from(sy) + 0.5) / 4.0 - cy,
                    );
                    let (u, v) = (cos * dx + sin * dy, -sin * dx + cos * dy);
                    let (mu, mv) = (u / module + n as f64 / 2.0, v / module + n as f64 / 2.0);
                    if mu < -quiet
                        || mv < -quiet
                        || mu >= n as f64 + quiet
                        || mv >= n as f64 + quiet
                    {
                        continue;
                    }
                    inside += 1;
                    let dark = mu >= 0.0
                        && mv >= 0.0
                        && (mu as usize) < n
                        && (mv as usize) < n
                        && colors[mv as usize * n + mu as usize] == qrcode::Color::Dark;
                    sum += if dark { 30.0 } else { 225.0 };
                }
            }
            if inside > 0 {
                let i = (y * W + x) as usize;
                let a = f64::from(inside) / 16.0;
                img[i] = (f64::from(img[i]) * (1.0 - a) + sum / 16.0) as f32;
            }
        }
    }
    let grey = GrayImage::from_fn(W, H, |x, y| {
        image::Luma([img[(y * W + x) as usize].clamp(0.0, 255.0) as u8])
    });
    let mut grey = image::imageops::blur(&grey, p.blur);
    for px in grey.pixels_mut() {
        px.0[0] = (f64::from(px.0[0]) + p.noise * rng.gauss()).clamp(0.0, 255.0) as u8;
    }
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, p.quality)
        .encode_image(&grey)
        .expect("jpeg");
    GreyFrame::from_jpeg(&jpeg).expect("luma")
}

fn arg(args: &[String], name: &str, default: u64) -> u64 {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let trials = arg(&args, "--trials", 20);
    let seed = arg(&args, "--seed", 1);
    let signer = Signer::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[9; 32]));
    let base = usher_core::issue::DEFAULT_BASE_URL;
    let mut passes = Vec::new();
    println!("QR version of a typical form pass (error correction M, base {base}):\n");
    println!("| name | before: s1, s2, s3 | after: s1, r | text bytes before -> after |");
    println!("|---|---|---|---|");
    for visitor in TYPICAL_VISITORS {
        let full = form_pass_text(base, visitor, false, 1_800_000_000, &signer);
        let compact = form_pass_text(base, visitor, true, 1_800_000_000, &signer);
        let (vf, vc) = (
            qr_version(&full).expect("fits"),
            qr_version(&compact).expect("fits"),
        );
        println!(
            "| {} | {vf} ({} modules) | {vc} ({} modules) | {} -> {} |",
            visitor[0],
            17 + 4 * vf,
            17 + 4 * vc,
            full.len(),
            compact.len()
        );
        passes.push((format!("{} before (v{vf})", visitor[0]), full));
        passes.push((format!("{} after (v{vc})", visitor[0]), compact));
    }
    let mut rng = Rng(seed);
    let placements: Vec<Placement> = (0..trials)
        .map(|_| Placement {
            seed: rng.next(),
            scene: scene(&mut rng),
            at: (rng.unit(), rng.unit()),
            angle: rng.range(-8.0, 8.0),
            blur: rng.range(0.5, 0.8) as f32,
            noise: rng.range(2.0, 4.0),
            quality: 80 + (rng.next() % 13) as u8,
        })
        .collect();
    let widths: Vec<u32> = (0..=14).map(|i| 200 - 10 * i).collect();
    println!(
        "\nDecode rate at {W}x{H}, {trials} frames per cell (seed {seed}), by the code's width in pixels:\n"
    );
    print!("| pass |");
    for w in &widths {
        print!(" {w} |");
    }
    println!();
    print!("|---|");
    for _ in &widths {
        print!("---|");
    }
    println!();
    let cascade = Cascade::recommended();
    for (label, text) in &passes {
        print!("| {label} |");
        for &w in &widths {
            let read = placements
                .iter()
                .filter(|p| {
                    let f = frame(text, f64::from(w), p);
                    cascade
                        .decode_with_step(&f)
                        .is_some_and(|(_, texts)| texts.iter().any(|t| t == text))
                })
                .count();
            print!(" {:.0}% |", 100.0 * read as f64 / trials as f64);
        }
        println!();
    }
}
