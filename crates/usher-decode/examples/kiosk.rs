//! Kiosk-frame benchmark: writes synthetic 1280x720 kiosk-like JPEG frames (reproducible from a
//! seed) and reads them back the way `usher scan` does, for a side-by-side run with zxing-cpp
//! (`scripts/decode-bench`, which also runs `scripts/zxing-compare.py`).
//!
//! `cargo run --release -p usher-decode --example kiosk -- generate DIR [--seed N] [--per N] [--empty N]`
//! writes `DIR/<condition>/<condition>-NNN.jpg`, the expected text beside each code frame
//! (`NNN.txt`, the corpus naming rule) and `DIR/manifest.tsv`
//! (`file`, `condition`, `parameters`, `expected`; no expected text for frames without a code).
//!
//! `cargo run --release -p usher-decode --example kiosk -- scan DIR [--passes N] [--repeat N] [--cascade NAME]`
//! loads every frame of the manifest with `GreyFrame::open` and decodes it with
//! `Cascade::recommended` (or the candidate cascade NAME of `cascade::candidates`)
//! (what `usher scan` does per image), and prints one line per frame:
//! `file`, load ms, decode ms (wall; the least of the timed pass and `--repeat` more decodes),
//! decode ms (this thread's CPU time, in scheduler ticks on some kernels), the decoded texts
//! hex-encoded and comma-separated; then a `#total_ms` line: the whole folder (loading +
//! decoding), wall and CPU ms, of the pass with the least CPU time of `--passes` passes.
//!
//! `... --example kiosk -- load DIR [--frames N]` times getting grey from the first N frames
//! both ways: `image` to RGB then `to_luma8` (the old path) and `GreyFrame::from_jpeg` (luma
//! plane only).
//!
//! The conditions and their parameters (module size in pixels per module, "px/mod"):
//!
//! | condition | what varies |
//! |---|---|
//! | busy | cluttered background (texture, text lines, checkers), 2.6-5 px/mod |
//! | defocus | Gaussian blur sigma 1.0-2.4 px, 3-5.5 px/mod |
//! | small | far codes: 1.4-2.0 px/mod, optics blur sigma 0.4-0.6 |
//! | fingers | one or two fingers over 8-15 % of the code's side (never a finder corner) |
//! | glare | a saturating highlight: peak +120..+220, radius 10-22 % of the code |
//! | dark | light-on-dark (phone dark mode) |
//! | jpeg | JPEG quality 8-25 |
//! | lowlight | contrast 25-45 levels, scene x0.3, noise sigma 3-6 |
//! | motion | linear motion blur 5-17 px at any angle, 5-8 px/mod (a pass held close) |
//! | noise | Gaussian sensor noise sigma 10-24 |
//! | rotation | any in-plane angle 15-345 degrees |
//! | tilt | perspective, 30-55 degrees out of plane about a random axis |
//! | empty | no code: busy or plain scenes, some with code-like squares |
//!
//! Every frame also gets a small tilt (0-12 degrees), in-plane rotation of +-8 degrees (except
//! `rotation`), sensor noise sigma 2-3 and JPEG quality 80-92 (a webcam's MJPEG), unless its
//! condition sets them.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use image::codecs::jpeg::JpegEncoder;
use usher_decode::{Cascade, Decoder, GreyFrame, Tracker};

const W: usize = 1280;
const H: usize = 720;

const CONDITIONS: [&str; 12] = [
    "busy", "defocus", "small", "fingers", "glare", "dark", "jpeg", "lowlight", "motion", "noise",
    "rotation", "tilt",
];

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
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn gauss(&mut self) -> f64 {
        let u = self.unit().max(1e-12);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// A 3x3 projective map (row-major), unit square -> image.
#[derive(Clone, Copy)]
struct Homography([f64; 9]);

impl Homography {
    /// Heckbert's square-to-quad: (0,0),(1,0),(1,1),(0,1) -> p[0..4].
    fn square_to_quad(p: [(f64, f64); 4]) -> Self {
        let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = p;
        let (dx3, dy3) = (x0 - x1 + x2 - x3, y0 - y1 + y2 - y3);
        if dx3.abs() < 1e-9 && dy3.abs() < 1e-9 {
            return Self([x1 - x0, x2 - x1, x0, y1 - y0, y2 - y1, y0, 0.0, 0.0, 1.0]);
        }
        let (dx1, dx2, dy1, dy2) = (x1 - x2, x3 - x2, y1 - y2, y3 - y2);
        let den = dx1 * dy2 - dx2 * dy1;
        let g = (dx3 * dy2 - dx2 * dy3) / den;
        let h = (dx1 * dy3 - dx3 * dy1) / den;
        Self([
            x1 - x0 + g * x1,
            x3 - x0 + h * x3,
            x0,
            y1 - y0 + g * y1,
            y3 - y0 + h * y3,
            y0,
            g,
            h,
            1.0,
        ])
    }
    fn inverse(&self) -> Self {
        let [a, b, c, d, e, f, g, h, i] = self.0;
        let (ca, cb, cc) = (e * i - f * h, -(d * i - f * g), d * h - e * g);
        let det = a * ca + b * cb + c * cc;
        let m = [
            ca,
            -(b * i - c * h),
            b * f - c * e,
            cb,
            a * i - c * g,
            -(a * f - c * d),
            cc,
            -(a * h - b * g),
            a * e - b * d,
        ];
        Self(m.map(|v| v / det))
    }
    fn map(&self, x: f64, y: f64) -> (f64, f64) {
        let m = &self.0;
        let w = m[6] * x + m[7] * y + m[8];
        (
            (m[0] * x + m[1] * y + m[2]) / w,
            (m[3] * x + m[4] * y + m[5]) / w,
        )
    }
}

/// A pass-like text: Usher's compact pass URL with a base64url payload of 60-190 characters.
fn pass_text(rng: &mut Rng) -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let n = 60 + rng.below(131);
    let body: String = (0..n).map(|_| B64[rng.below(64)] as char).collect();
    format!("https://u.example/p#{body}")
}

fn fill_rect(img: &mut [f32], x0: f64, y0: f64, w: f64, h: f64, v: f32) {
    let (xa, ya) = (x0.max(0.0) as usize, y0.max(0.0) as usize);
    let (xb, yb) = (((x0 + w) as usize).min(W), ((y0 + h) as usize).min(H));
    for y in ya..yb {
        img[y * W + xa.min(xb)..y * W + xb].fill(v);
    }
}

/// The scene behind the code: a lighting gradient and blocks; `busy` adds texture, text lines,
/// checkers and discs; `lures` adds dark squares with a light ring (finder-pattern lookalikes).
fn scene(rng: &mut Rng, busy: bool, lures: bool) -> Vec<f32> {
    let base = rng.range(70.0, 150.0);
    let (gx, gy) = (rng.range(-40.0, 40.0), rng.range(-30.0, 30.0));
    let mut img: Vec<f32> = (0..W * H)
        .map(|i| {
            let (x, y) = ((i % W) as f64 / W as f64, (i / W) as f64 / H as f64);
            (base + gx * x + gy * y) as f32
        })
        .collect();
    let blocks = if busy {
        25 + rng.below(30)
    } else {
        4 + rng.below(8)
    };
    for _ in 0..blocks {
        let (w, h) = (rng.range(20.0, 640.0), rng.range(20.0, 360.0));
        let (x, y) = (rng.range(-50.0, W as f64), rng.range(-50.0, H as f64));
        fill_rect(&mut img, x, y, w, h, rng.range(0.0, 255.0) as f32);
    }
    if busy {
        for _ in 0..(6 + rng.below(10)) {
            // Stripes (blinds, shelves, clothing).
            let (w, h) = (rng.range(40.0, 300.0), rng.range(40.0, 200.0));
            let (x0, y0) = (rng.range(0.0, W as f64), rng.range(0.0, H as f64));
            let period = rng.range(2.0, 9.0);
            let (a, b) = (rng.range(0.0, 120.0) as f32, rng.range(130.0, 255.0) as f32);
            let vertical = rng.unit() < 0.5;
            for y in (y0 as usize)..((y0 + h) as usize).min(H) {
                for x in (x0 as usize)..((x0 + w) as usize).min(W) {
                    let t = if vertical { x } else { y } as f64;
                    img[y * W + x] = if ((t / period) as usize).is_multiple_of(2) {
                        a
                    } else {
                        b
                    };
                }
            }
        }
        for _ in 0..(3 + rng.below(5)) {
            // Text: lines of dark dashes on a light panel (posters, forms).
            let (w, h) = (rng.range(120.0, 400.0), rng.range(60.0, 240.0));
            let (x0, y0) = (rng.range(0.0, W as f64), rng.range(0.0, H as f64));
            fill_rect(&mut img, x0, y0, w, h, rng.range(190.0, 245.0) as f32);
            let size = rng.range(5.0, 12.0);
            let mut y = y0 + size;
            while y < y0 + h - size {
                let mut x = x0 + size;
                while x < x0 + w - size {
                    let dash = rng.range(size * 0.3, size * 1.8);
                    fill_rect(&mut img, x, y, dash, size, rng.range(10.0, 70.0) as f32);
                    x += dash + rng.range(size * 0.2, size);
                }
                y += size * rng.range(1.4, 2.0);
            }
        }
        for _ in 0..(2 + rng.below(4)) {
            // Checkers (tiles, fabric).
            let (w, h) = (rng.range(60.0, 260.0), rng.range(60.0, 200.0));
            let (x0, y0) = (rng.range(0.0, W as f64), rng.range(0.0, H as f64));
            let cell = rng.range(3.0, 10.0);
            for y in (y0 as usize)..((y0 + h) as usize).min(H) {
                for x in (x0 as usize)..((x0 + w) as usize).min(W) {
                    let c = ((x as f64 / cell) as usize + (y as f64 / cell) as usize) % 2;
                    img[y * W + x] = if c == 0 { 30.0 } else { 220.0 };
                }
            }
        }
        for _ in 0..(3 + rng.below(6)) {
            let (cx, cy, r) = (
                rng.range(0.0, W as f64),
                rng.range(0.0, H as f64),
                rng.range(10.0, 90.0),
            );
            let v = rng.range(0.0, 255.0) as f32;
            for y in ((cy - r).max(0.0) as usize)..((cy + r) as usize).min(H) {
                for x in ((cx - r).max(0.0) as usize)..((cx + r) as usize).min(W) {
                    if (x as f64 - cx).powi(2) + (y as f64 - cy).powi(2) < r * r {
                        img[y * W + x] = v;
                    }
                }
            }
        }
    }
    if lures {
        for _ in 0..(2 + rng.below(4)) {
            let s = rng.range(8.0, 40.0);
            let (x, y) = (
                rng.range(0.0, W as f64 - 8.0 * s),
                rng.range(0.0, H as f64 - 8.0 * s),
            );
            fill_rect(&mut img, x, y, 7.0 * s, 7.0 * s, 20.0);
            fill_rect(&mut img, x + s, y + s, 5.0 * s, 5.0 * s, 230.0);
            fill_rect(&mut img, x + 2.0 * s, y + 2.0 * s, 3.0 * s, 3.0 * s, 20.0);
        }
    }
    img
}

/// A finger over the code: a capsule from its tip to its base, with its radius, in the unit
/// square of the code with its quiet zone and bezel.
type Finger = ((f64, f64), (f64, f64), f64);

/// A blur (or dimming) applied to the whole frame after the code is drawn.
type PostEffect = Box<dyn Fn(&mut [f32])>;

/// How the code is drawn: geometry, levels and what covers it.
struct Look {
    /// Pixels per module (at the centre).
    module: f64,
    /// In-plane rotation, degrees.
    rotation: f64,
    /// Out-of-plane tilt, degrees, about an in-plane axis at `tilt_axis` degrees.
    tilt: f64,
    tilt_axis: f64,
    /// Module levels (dark, light) before light-on-dark swapping.
    dark: f64,
    light: f64,
    /// Light modules on a dark screen.
    inverted: bool,
    /// Phone bezel width in modules (0: paper).
    bezel: f64,
    /// Fingers: capsules (tip, base, radius) in the unit square of the code with its quiet
    /// zone and bezel.
    fingers: Vec<Finger>,
    /// Where the code's centre is, in pixels (random when `None`).
    at: Option<(f64, f64)>,
}

/// Draws `code` into `img` (supersampled 4x4); returns its centre and side in pixels.
fn draw_code(
    img: &mut [f32],
    rng: &mut Rng,
    code: &qrcode::QrCode,
    look: &Look,
) -> ((f64, f64), f64) {
    let n = code.width();
    let quiet = 4.0;
    let total = n as f64 + 2.0 * quiet + 2.0 * look.bezel;
    let side = total * look.module;
    // Corners in the code's plane, centred, tilted in 3D and projected (focal 1000 px).
    let (ta, tt) = (look.tilt_axis.to_radians(), look.tilt.to_radians());
    let (ax, ay) = (ta.cos(), ta.sin());
    let f = 1000.0;
    let project = |x: f64, y: f64| -> (f64, f64) {
        // Rotate (x, y, 0) about axis (ax, ay, 0) by tt (Rodrigues).
        let d = x * ax + y * ay;
        let (c, s) = (tt.cos(), tt.sin());
        let (px, py, pz) = (
            x * c + ax * d * (1.0 - c),
            y * c + ay * d * (1.0 - c),
            s * (ay * x - ax * y),
        );
        let z = f + pz;
        (f * px / z, f * py / z)
    };
    let h = side / 2.0;
    let local = [
        project(-h, -h),
        project(h, -h),
        project(h, h),
        project(-h, h),
    ];
    let rot = look.rotation.to_radians();
    let (rc, rs) = (rot.cos(), rot.sin());
    let rotated = local.map(|(x, y)| (x * rc - y * rs, x * rs + y * rc));
    let (minx, maxx) = rotated
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (miny, maxy) = rotated
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let cx = rng
        .range(-minx + 4.0, W as f64 - maxx - 4.0)
        .clamp(-minx, W as f64);
    let cy = rng
        .range(-miny + 4.0, H as f64 - maxy - 4.0)
        .clamp(-miny, H as f64);
    let (cx, cy) = look.at.unwrap_or((cx, cy));
    let quad = rotated.map(|(x, y)| (x + cx, y + cy));
    let inv = Homography::square_to_quad(quad).inverse();
    let (dark, light) = if look.inverted {
        (look.light, look.dark)
    } else {
        (look.dark, look.light)
    };
    let carrier = light; // quiet zone: the screen's or paper's background
    let bezel_level = 12.0;
    let modules = code.to_colors();
    let sample = |u: f64, v: f64| -> Option<f64> {
        if !(0.0..1.0).contains(&u) || !(0.0..1.0).contains(&v) {
            return None;
        }
        for &(a, b, r) in &look.fingers {
            // A capsule from `a` (inside the code) to `b` (outside the frame of the code).
            let (ex, ey) = (b.0 - a.0, b.1 - a.1);
            let t = (((u - a.0) * ex + (v - a.1) * ey) / (ex * ex + ey * ey)).clamp(0.0, 1.0);
            let dist = ((u - a.0 - t * ex).powi(2) + (v - a.1 - t * ey).powi(2)).sqrt();
            if dist < r {
                return Some(150.0 + 25.0 * (1.0 - dist / r));
            }
        }
        let (mu, mv) = (u * total - look.bezel, v * total - look.bezel);
        let inner = total - 2.0 * look.bezel;
        if mu < 0.0 || mv < 0.0 || mu >= inner || mv >= inner {
            return Some(bezel_level);
        }
        let (cx, cy) = (mu - quiet, mv - quiet);
        if cx < 0.0 || cy < 0.0 || cx >= n as f64 || cy >= n as f64 {
            return Some(carrier);
        }
        let i = cy as usize * n + cx as usize;
        Some(if modules[i] == qrcode::Color::Dark {
            dark
        } else {
            light
        })
    };
    let (bx0, bx1) = (
        quad.iter().map(|p| p.0).fold(f64::MAX, f64::min).max(0.0) as usize,
        (quad.iter().map(|p| p.0).fold(f64::MIN, f64::max).ceil() as usize + 1).min(W),
    );
    let (by0, by1) = (
        quad.iter().map(|p| p.1).fold(f64::MAX, f64::min).max(0.0) as usize,
        (quad.iter().map(|p| p.1).fold(f64::MIN, f64::max).ceil() as usize + 1).min(H),
    );
    const SS: usize = 4;
    for y in by0..by1 {
        for x in bx0..bx1 {
            let bg = f64::from(img[y * W + x]);
            let mut acc = 0.0;
            for sy in 0..SS {
                for sx in 0..SS {
                    let px = x as f64 + (sx as f64 + 0.5) / SS as f64;
                    let py = y as f64 + (sy as f64 + 0.5) / SS as f64;
                    let (u, v) = inv.map(px, py);
                    acc += sample(u, v).unwrap_or(bg);
                }
            }
            img[y * W + x] = (acc / (SS * SS) as f64) as f32;
        }
    }
    ((cx, cy), side)
}

fn gaussian_blur(img: &mut [f32], sigma: f64) {
    let r = (sigma * 3.0).ceil() as isize;
    let k: Vec<f32> = (-r..=r)
        .map(|i| (-(i * i) as f64 / (2.0 * sigma * sigma)).exp() as f32)
        .collect();
    let sum: f32 = k.iter().sum();
    let k: Vec<f32> = k.iter().map(|v| v / sum).collect();
    let mut tmp = vec![0f32; W * H];
    blur_pass(img, &mut tmp, &k, (1, W), W);
    blur_pass(&tmp, img, &k, (W, 1), H);
}

/// One 1-D pass of a blur kernel centred on its middle tap: `step` = (distance between taps,
/// distance between lines) in the buffer, `len` = taps available along a line (clamped).
fn blur_pass(src: &[f32], dst: &mut [f32], k: &[f32], (step, line): (usize, usize), len: usize) {
    let r = (k.len() / 2) as isize;
    let lines = W * H / len;
    for l in 0..lines {
        for i in 0..len {
            let mut a = 0.0;
            for (j, kv) in k.iter().enumerate() {
                let t = (i as isize + j as isize - r).clamp(0, len as isize - 1) as usize;
                a += kv * src[l * line + t * step];
            }
            dst[l * line + i * step] = a;
        }
    }
}

fn motion_blur(img: &mut [f32], length: f64, angle: f64) {
    let taps = length.round().max(2.0) as usize;
    let (dx, dy) = (angle.to_radians().cos(), angle.to_radians().sin());
    let offsets: Vec<(isize, isize)> = (0..taps)
        .map(|i| {
            let t = (i as f64 / (taps - 1) as f64 - 0.5) * length;
            ((t * dx).round() as isize, (t * dy).round() as isize)
        })
        .collect();
    let src = img.to_vec();
    for y in 0..H as isize {
        for x in 0..W as isize {
            let mut a = 0.0;
            for &(ox, oy) in &offsets {
                let xx = (x + ox).clamp(0, W as isize - 1) as usize;
                let yy = (y + oy).clamp(0, H as isize - 1) as usize;
                a += src[yy * W + xx];
            }
            img[y as usize * W + x as usize] = a / taps as f32;
        }
    }
}

struct Frame {
    rgb: Vec<u8>,
    quality: u8,
    params: String,
    expected: Option<String>,
}

fn make_frame(condition: &str, seed: u64) -> Frame {
    let mut rng = Rng(seed);
    let mut params = String::new();
    let empty = condition == "empty";
    let busy = condition == "busy" || (empty && rng.unit() < 0.6);
    let lures = empty && rng.unit() < 0.5;
    let mut img = scene(&mut rng, busy, lures);
    let mut quality = 80 + rng.below(13) as u8;
    let mut noise = rng.range(2.0, 3.0);
    let mut expected = None;
    if !empty {
        let text = pass_text(&mut rng);
        let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
            .expect("a pass of at most 210 bytes fits a QR code");
        let mut look = Look {
            module: rng.range(2.6, 5.0),
            rotation: rng.range(-8.0, 8.0),
            tilt: rng.range(0.0, 12.0),
            tilt_axis: rng.range(0.0, 180.0),
            dark: rng.range(15.0, 60.0),
            light: rng.range(170.0, 240.0),
            inverted: false,
            bezel: if rng.unit() < 0.5 {
                rng.range(1.5, 4.0)
            } else {
                0.0
            },
            fingers: Vec::new(),
            at: None,
        };
        let version = match code.version() {
            qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
        };
        let _ = write!(params, "version={version} ");
        let mut post: Vec<PostEffect> = Vec::new();
        let mut glare = None;
        match condition {
            "busy" => {}
            "defocus" => {
                look.module = rng.range(3.0, 5.5);
                let sigma = rng.range(1.0, 2.4);
                let _ = write!(params, "sigma={sigma:.2} ");
                post.push(Box::new(move |img| gaussian_blur(img, sigma)));
            }
            "small" => {
                look.module = rng.range(1.4, 2.0);
                let sigma = rng.range(0.4, 0.6);
                let _ = write!(params, "optics_sigma={sigma:.2} ");
                post.push(Box::new(move |img| gaussian_blur(img, sigma)));
            }
            "fingers" => {
                let count = 1 + rng.below(2);
                let n = code.width() as f64;
                let total = n + 8.0 + 2.0 * look.bezel;
                let edge = (4.0 + look.bezel) / total; // where the code's modules start
                let mut depth_sum = 0.0;
                for _ in 0..count {
                    // Thumb width 8-15 % of the code's side; it reaches 8-15 % into the code
                    // from the bottom edge (right of the bottom-left finder) or the right edge
                    // (below the top-right finder).
                    let r = rng.range(0.08, 0.15) * n / total / 2.0;
                    let depth = rng.range(0.08, 0.15);
                    depth_sum += depth;
                    let at = edge + rng.range(0.4, 0.85) * n / total;
                    let inner = 1.0 - edge - depth * n / total;
                    look.fingers.push(if rng.unit() < 0.6 {
                        ((at, inner), (at, 2.0), r)
                    } else {
                        ((inner, at), (2.0, at), r)
                    });
                }
                let _ = write!(params, "fingers={count} depth={depth_sum:.2} ");
            }
            "glare" => {
                let peak = rng.range(120.0, 220.0);
                let radius = rng.range(0.10, 0.22);
                let _ = write!(params, "peak={peak:.0} radius={radius:.2} ");
                glare = Some((peak, radius));
            }
            "dark" => look.inverted = true,
            "jpeg" => {
                quality = 8 + rng.below(18) as u8;
            }
            "lowlight" => {
                look.dark = rng.range(8.0, 20.0);
                look.light = look.dark + rng.range(25.0, 45.0);
                noise = rng.range(3.0, 6.0);
                let _ = write!(params, "contrast={:.0} ", look.light - look.dark);
                post.push(Box::new(|img| {
                    for v in img.iter_mut() {
                        *v = (*v * 0.3).min(70.0);
                    }
                }));
            }
            "motion" => {
                look.module = rng.range(5.0, 8.0);
                let length = rng.range(5.0, 17.0);
                let angle = rng.range(0.0, 180.0);
                let _ = write!(params, "length={length:.1} angle={angle:.0} ");
                post.push(Box::new(move |img| motion_blur(img, length, angle)));
            }
            "noise" => noise = rng.range(10.0, 24.0),
            "rotation" => look.rotation = rng.range(15.0, 345.0),
            "tilt" => look.tilt = rng.range(30.0, 55.0),
            other => unreachable!("unknown condition {other}"),
        }
        if condition == "lowlight" {
            // The scene darkens first, then the (dim) code is drawn into it.
            for f in &post {
                f(&mut img);
            }
            post.clear();
        }
        let _ = write!(
            params,
            "module={:.2} rotation={:.0} tilt={:.0} dark={:.0} light={:.0} inverted={} bezel={:.1}",
            look.module, look.rotation, look.tilt, look.dark, look.light, look.inverted, look.bezel
        );
        let (centre, side) = draw_code(&mut img, &mut rng, &code, &look);
        if let Some((peak, radius)) = glare {
            add_glare(&mut img, &mut rng, centre, side, peak, radius);
        }
        for f in &post {
            f(&mut img);
        }
        expected = Some(text);
    } else {
        let _ = write!(params, "busy={busy} lures={lures}");
    }
    let _ = write!(params, " noise={noise:.1} quality={quality}");
    // Sensor noise, then a slight colour cast (webcams send colour MJPEG).
    let tint = [rng.range(0.92, 1.08), 1.0, rng.range(0.92, 1.08)];
    let mut rgb = Vec::with_capacity(W * H * 3);
    for v in &img {
        let g = f64::from(*v) + noise * rng.gauss();
        for t in tint {
            rgb.push((g * t).round().clamp(0.0, 255.0) as u8);
        }
    }
    Frame {
        rgb,
        quality,
        params,
        expected,
    }
}

/// A saturating highlight (a lamp on a screen or glossy paper) near the code's centre.
fn add_glare(
    img: &mut [f32],
    rng: &mut Rng,
    (cx, cy): (f64, f64),
    side: f64,
    peak: f64,
    radius: f64,
) {
    let (sx, sy) = (
        cx + rng.range(-0.3, 0.3) * side,
        cy + rng.range(-0.3, 0.3) * side,
    );
    let r = radius * side;
    let reach = (r * 3.0) as isize;
    for y in (sy as isize - reach).max(0)..(sy as isize + reach).min(H as isize) {
        for x in (sx as isize - reach).max(0)..(sx as isize + reach).min(W as isize) {
            let d2 = (x as f64 - sx).powi(2) + (y as f64 - sy).powi(2);
            let i = y as usize * W + x as usize;
            img[i] = (img[i] + (peak * (-d2 / (2.0 * r * r)).exp()) as f32).min(255.0);
        }
    }
}

fn generate(dir: &Path, seed: u64, per: usize, empty: usize) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut manifest = String::from("file\tcondition\tparameters\texpected\n");
    let jobs: Vec<(&str, usize)> = CONDITIONS
        .iter()
        .flat_map(|c| (0..per).map(move |i| (*c, i)))
        .chain((0..empty).map(|i| ("empty", i)))
        .collect();
    for (k, (condition, i)) in jobs.iter().enumerate() {
        let frame_seed = seed
            .wrapping_mul(1_000_003)
            .wrapping_add(k as u64 * 7919 + 1);
        let frame = make_frame(condition, frame_seed);
        let sub = dir.join(condition);
        std::fs::create_dir_all(&sub)?;
        let name = format!("{condition}-{i:03}");
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, frame.quality)
            .encode(
                &frame.rgb,
                W as u32,
                H as u32,
                image::ExtendedColorType::Rgb8,
            )
            .map_err(std::io::Error::other)?;
        std::fs::write(sub.join(format!("{name}.jpg")), &jpeg)?;
        if let Some(text) = &frame.expected {
            std::fs::write(sub.join(format!("{name}.txt")), text)?;
        }
        let _ = writeln!(
            manifest,
            "{condition}/{name}.jpg\t{condition}\t{}\t{}",
            frame.params,
            frame.expected.as_deref().unwrap_or("")
        );
    }
    std::fs::write(dir.join("manifest.tsv"), manifest)
}

/// A pass raised to the camera: `frames` frames at 30 fps, its code growing from 2.2 to 4.5
/// px per module as it comes closer and up into the middle, motion blur falling from 14-30 px
/// to none and defocus from sigma 1.2-2.6 to 0.3, over one scene; JPEG quality 85 as a webcam's
/// MJPEG. Returns the luma frames and the pass's text.
fn clip(seed: u64, frames: usize) -> (Vec<Vec<u8>>, String) {
    let mut rng = Rng(seed);
    let busy = rng.unit() < 0.5;
    let background = scene(&mut rng, busy, false);
    let text = pass_text(&mut rng);
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .expect("a pass of at most 210 bytes fits a QR code");
    let (x, angle) = (rng.range(420.0, 860.0), rng.range(70.0, 110.0));
    let (blur, defocus) = (rng.range(14.0, 30.0), rng.range(1.2, 2.6));
    let (dark, light) = (rng.range(15.0, 60.0), rng.range(170.0, 240.0));
    let rotation = rng.range(-8.0, 8.0);
    let mut out = Vec::with_capacity(frames);
    for i in 0..frames {
        let t = i as f64 / (frames - 1).max(1) as f64;
        let mut img = background.clone();
        let look = Look {
            module: 2.2 + 2.3 * t,
            rotation,
            tilt: 20.0 * (1.0 - t),
            tilt_axis: 0.0,
            dark,
            light,
            inverted: false,
            bezel: 0.0,
            fingers: Vec::new(),
            at: Some((x, 560.0 - 200.0 * t)),
        };
        draw_code(&mut img, &mut rng, &code, &look);
        let length = blur * (1.0 - t);
        if length >= 2.0 {
            motion_blur(&mut img, length, angle);
        }
        gaussian_blur(&mut img, 0.3 + (defocus - 0.3) * (1.0 - t));
        let rgb: Vec<u8> = img
            .iter()
            .flat_map(|v| {
                let g = (f64::from(*v) + 2.5 * rng.gauss())
                    .round()
                    .clamp(0.0, 255.0) as u8;
                [g, g, g]
            })
            .collect();
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, 85)
            .encode(&rgb, W as u32, H as u32, image::ExtendedColorType::Rgb8)
            .expect("encodes");
        let grey = GreyFrame::from_jpeg(&jpeg).expect("decodes");
        out.push(grey.pixels().into_owned());
    }
    (out, text)
}

/// Time to first verdict on `count` clips of `frames` frames (seeded): the frame at which a
/// single-frame decoder (`Cascade::recommended`, each frame on its own) and a [`Tracker`]
/// (the same cascade, looking first where the last frames showed a code) first read the
/// pass, and the decode time spent until then (least wall time of `repeat` + 1 runs).
fn clips(seed: u64, count: usize, frames: usize, repeat: usize) {
    let single = Cascade::recommended();
    let (mut first_single, mut first_tracker) = (Vec::new(), Vec::new());
    let (mut ms_single, mut ms_tracker) = (Vec::new(), Vec::new());
    for c in 0..count {
        let (luma, text) = clip(seed.wrapping_mul(7_777).wrapping_add(c as u64), frames);
        let frame = |px: &[u8]| GreyFrame::from_vec(W as u32, H as u32, px.to_vec()).expect("720p");
        let run = |tracked: bool| -> (Option<usize>, f64) {
            let mut best: Option<(Option<usize>, f64)> = None;
            for _ in 0..=repeat {
                let mut tracker = Tracker::new(Cascade::recommended());
                let mut spent = 0.0;
                let mut first = None;
                for (i, px) in luma.iter().enumerate() {
                    let f = frame(px);
                    let t = Instant::now();
                    let found = if tracked {
                        tracker.read(&f)
                    } else {
                        single.decode(&f)
                    };
                    spent += t.elapsed().as_secs_f64() * 1e3;
                    if found.contains(&text) {
                        first = Some(i);
                        break;
                    }
                }
                if best.is_none_or(|(_, b)| spent < b) {
                    best = Some((first, spent));
                }
            }
            best.unwrap_or((None, 0.0))
        };
        let (fs, ts) = run(false);
        let (ft, tt) = run(true);
        println!(
            "clip {c:02}: single-frame first read at frame {} ({ts:.1} ms decoding), tracker at frame {} ({tt:.1} ms)",
            fs.map_or("-".into(), |i| i.to_string()),
            ft.map_or("-".into(), |i| i.to_string())
        );
        first_single.push(fs);
        first_tracker.push(ft);
        ms_single.push(ts);
        ms_tracker.push(tt);
    }
    let summary = |name: &str, first: &[Option<usize>], ms: &[f64]| {
        let read: Vec<usize> = first.iter().flatten().copied().collect();
        let mean = read.iter().sum::<usize>() as f64 / read.len().max(1) as f64;
        let mut sorted = read.clone();
        sorted.sort_unstable();
        let median = sorted.get(sorted.len() / 2).copied().unwrap_or(0);
        println!(
            "{name}: read {}/{} clips; first verdict at frame {mean:.2} on average (median {median}), i.e. {:.0} ms after the pass came into view at 30 fps; decoding until then {:.1} ms a clip on average",
            read.len(),
            first.len(),
            mean * 1000.0 / 30.0,
            ms.iter().sum::<f64>() / ms.len().max(1) as f64
        );
    };
    println!(
        "clips: {count} of {frames} frames (seed {seed}), a pass raised to the camera, blur falling"
    );
    summary("single-frame", &first_single, &ms_single);
    summary("tracker", &first_tracker, &ms_tracker);
}

fn hex(s: &str) -> String {
    s.bytes().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// This thread's CPU time in milliseconds (Linux `/proc/thread-self/schedstat`, nanoseconds
/// on the CPU): steadier than wall time on a machine shared with builds. 0 elsewhere.
fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e6)
}

/// The frames of the manifest, in order.
fn manifest_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv"))
        .map_err(|e| format!("{}: {e}", dir.join("manifest.tsv").display()))?;
    Ok(manifest
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .map(|f| dir.join(f))
        .collect())
}

/// Writes the luma plane of every frame of the manifest, one after the other, to `out`
/// (1280x720 bytes each): `cost` reads them without decoding JPEG under valgrind.
fn dump(dir: &Path, out: &Path) -> Result<(), String> {
    let mut bytes = Vec::new();
    for file in manifest_files(dir)? {
        let frame = GreyFrame::open(&file).map_err(|e| e.to_string())?;
        if (frame.width(), frame.height()) != (W as u32, H as u32) {
            return Err(format!("{} is not {W}x{H}", file.display()));
        }
        bytes.extend_from_slice(&frame.pixels());
    }
    std::fs::write(out, bytes).map_err(|e| e.to_string())
}

/// Decodes each frame of a `dump` once, printing the decoded texts (hex) per line: run under
/// `valgrind --tool=callgrind --collect-atstart=no --toggle-collect=F --dump-after=F` with
/// `F` = `<usher_decode::cascade::Cascade as usher_decode::decoder::Decoder>::decode` for
/// instruction counts per frame, independent of the machine's load (`COST=1
/// scripts/decode-bench`).
fn cost(luma: &Path, cascade: Option<&str>) -> Result<(), String> {
    let bytes = std::fs::read(luma).map_err(|e| format!("{}: {e}", luma.display()))?;
    let decoder = cascade_named(cascade)?;
    let mut out = std::io::stdout().lock();
    for chunk in bytes.chunks_exact(W * H) {
        let frame =
            GreyFrame::from_luma(W as u32, H as u32, W, chunk).map_err(|e| e.to_string())?;
        let texts = decoder.decode(&frame);
        let _ = writeln!(
            out,
            "{}",
            texts.iter().map(|t| hex(t)).collect::<Vec<_>>().join(",")
        );
    }
    Ok(())
}

/// `Cascade::recommended`, or the candidate cascade of that name.
fn cascade_named(cascade: Option<&str>) -> Result<Cascade, String> {
    Ok(match cascade {
        None => Cascade::recommended(),
        Some(name) => usher_decode::cascade::candidates()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| c)
            .ok_or_else(|| format!("no candidate cascade named {name}"))?,
    })
}

fn scan(dir: &Path, passes: usize, repeat: usize, cascade: Option<&str>) -> Result<(), String> {
    let files = manifest_files(dir)?;
    let decoder = cascade_named(cascade)?;
    let mut best = (f64::MAX, f64::MAX);
    let mut lines = Vec::new();
    for _ in 0..passes.max(1) {
        lines.clear();
        let (start, start_cpu) = (Instant::now(), cpu_ms());
        for file in &files {
            let t0 = Instant::now();
            let frame = GreyFrame::open(file).map_err(|e| e.to_string())?;
            let (t1, c1) = (Instant::now(), cpu_ms());
            let texts = decoder.decode(&frame);
            let (t2, c2) = (Instant::now(), cpu_ms());
            lines.push((
                file.strip_prefix(dir).unwrap_or(file).display().to_string(),
                (t1 - t0).as_secs_f64() * 1e3,
                (t2 - t1).as_secs_f64() * 1e3,
                c2 - c1,
                texts.iter().map(|t| hex(t)).collect::<Vec<_>>().join(","),
            ));
        }
        let total = (start.elapsed().as_secs_f64() * 1e3, cpu_ms() - start_cpu);
        if total.1 < best.1 {
            best = total;
        }
    }
    // Per-frame decode cost: the least wall time of `repeat` more decodes of each frame (the
    // minimum drops the time other processes took the core away).
    for ((_, _, dec, _, _), file) in lines.iter_mut().zip(&files) {
        let frame = GreyFrame::open(file).map_err(|e| e.to_string())?;
        for _ in 0..repeat {
            let t = Instant::now();
            decoder.decode(&frame);
            *dec = dec.min(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    let mut out = std::io::stdout().lock();
    for (f, load, dec, cpu, texts) in &lines {
        let _ = writeln!(out, "{f}\t{load:.3}\t{dec:.3}\t{cpu:.3}\t{texts}");
    }
    let _ = writeln!(out, "#total_ms\t{:.1}\t{:.1}", best.0, best.1);
    Ok(())
}

/// Cost of getting grey from a 1280x720 JPEG frame, the old way (`image` to RGB, then
/// `to_luma8`) against the luma plane only (`GreyFrame::from_jpeg`), interleaved.
fn load(dir: &Path, frames: usize) -> Result<(), String> {
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).map_err(|e| e.to_string())?;
    let files: Vec<Vec<u8>> = manifest
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .take(frames)
        .map(|f| std::fs::read(dir.join(f)).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let (mut rgb_ms, mut luma_ms) = (Vec::new(), Vec::new());
    for bytes in &files {
        let t0 = Instant::now();
        let img = image::load_from_memory(bytes).map_err(|e| e.to_string())?;
        let grey = GreyFrame::from_image(&img);
        let t1 = Instant::now();
        let luma = GreyFrame::from_jpeg(bytes).map_err(|e| e.to_string())?;
        let t2 = Instant::now();
        assert_eq!((grey.width(), grey.height()), (luma.width(), luma.height()));
        rgb_ms.push((t1 - t0).as_secs_f64() * 1e3);
        luma_ms.push((t2 - t1).as_secs_f64() * 1e3);
    }
    let rgb = usher_decode::bench::TimeStats::from_ms(rgb_ms);
    let luma = usher_decode::bench::TimeStats::from_ms(luma_ms);
    println!(
        "MJPEG 1280x720 frame -> grey, {} frames: before (image RGB + to_luma8) median {:.2} ms (p95 {:.2}); after (luma plane only) median {:.2} ms (p95 {:.2}); ratio {:.2}",
        rgb.count,
        rgb.median_ms,
        rgb.p95_ms,
        luma.median_ms,
        luma.p95_ms,
        luma.median_ms / rgb.median_ms
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str, default: u64| -> u64 {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    if args.first().is_some_and(|c| c == "clips") {
        clips(
            flag("--seed", 17),
            flag("--clips", 30) as usize,
            flag("--frames", 15) as usize,
            flag("--repeat", 0) as usize,
        );
        return ExitCode::SUCCESS;
    }
    let (Some(cmd), Some(dir)) = (args.first(), args.get(1)) else {
        eprintln!(
            "usage: kiosk generate DIR [--seed N] [--per N] [--empty N] | kiosk scan DIR [--passes N] [--repeat N] [--cascade NAME] | kiosk load DIR [--frames N] | kiosk dump DIR OUT | kiosk cost DUMP [--cascade NAME] | kiosk clips [--seed N] [--clips N] [--frames N] [--repeat N]"
        );
        return ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);
    let result = match cmd.as_str() {
        "generate" => generate(
            &dir,
            flag("--seed", 17),
            flag("--per", 30) as usize,
            flag("--empty", 40) as usize,
        )
        .map_err(|e| e.to_string()),
        "scan" => scan(
            &dir,
            flag("--passes", 1) as usize,
            flag("--repeat", 0) as usize,
            args.iter()
                .position(|a| a == "--cascade")
                .and_then(|i| args.get(i + 1))
                .map(String::as_str),
        ),
        "load" => load(&dir, flag("--frames", 100) as usize),
        "dump" => match args.get(2) {
            Some(out) => dump(&dir, Path::new(out)),
            None => Err("usage: kiosk dump DIR OUT".into()),
        },
        "cost" => cost(
            &dir,
            args.iter()
                .position(|a| a == "--cascade")
                .and_then(|i| args.get(i + 1))
                .map(String::as_str),
        ),
        other => Err(format!("unknown command {other}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kiosk: {e}");
            ExitCode::FAILURE
        }
    }
}
