//! The corpus benchmark: finds (image, expected text) pairs, decodes them at 0/90/180/270
//! degrees, scores per set and rotation against the upstream pass thresholds, and times
//! decoding of whole 1280x720 kiosk-like frames with and without a code.
//!
//! Naming rule (the corpus README): the expected text of `NAME.ext` is `NAME.txt` beside it,
//! where zxing-cpp takes NAME as the file name minus its last extension (`a.15.1-2.png` ->
//! `a.15.1-2.txt`) and zxing the part before the first dot; the first that exists wins.
//! `*.metadata.txt` and `*.result.txt` are never expected texts. In sets whose folder name
//! starts with `rqrr` an image may hold several codes and its file lists one expected text per
//! line; such an image is a hit when any listed text is decoded. Elsewhere the whole file is
//! one text (vCards have newlines) and is compared exactly.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use image::GrayImage;
use image::imageops::{self, FilterType};

use crate::decoder::Decoder;
use crate::frame::GreyFrame;

/// Why the benchmark could not run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// The corpus folder could not be listed.
    #[error("cannot list {path}: {source}")]
    List {
        /// The folder.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The corpus has no image with an expected text.
    #[error("no (image, expected text) pairs under {0}")]
    Empty(String),
}

/// A rotation applied to a corpus image before decoding (clockwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rotation {
    /// As stored.
    R0,
    /// 90 degrees clockwise.
    R90,
    /// Upside down.
    R180,
    /// 270 degrees clockwise.
    R270,
}

impl Rotation {
    /// All four, in order.
    pub const ALL: [Rotation; 4] = [Rotation::R0, Rotation::R90, Rotation::R180, Rotation::R270];

    /// Degrees clockwise.
    pub fn degrees(self) -> u16 {
        match self {
            Rotation::R0 => 0,
            Rotation::R90 => 90,
            Rotation::R180 => 180,
            Rotation::R270 => 270,
        }
    }

    fn index(self) -> usize {
        self.degrees() as usize / 90
    }

    /// The image rotated with `image`'s `rotate90/180/270`.
    pub fn apply(self, img: &GrayImage) -> GrayImage {
        match self {
            Rotation::R0 => img.clone(),
            Rotation::R90 => imageops::rotate90(img),
            Rotation::R180 => imageops::rotate180(img),
            Rotation::R270 => imageops::rotate270(img),
        }
    }
}

/// One corpus image and what it must read as.
#[derive(Debug, Clone)]
pub struct Sample {
    /// The set (folder name relative to the corpus root, e.g. `zxing-qrcode-1`).
    pub set: String,
    /// The image file.
    pub image: PathBuf,
    /// Accepted texts: one for single-code images, one per code for multi-code ones.
    pub expected: Vec<String>,
}

/// An image the benchmark could not use, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub reason: String,
}

/// What [`discover`] found.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// Usable pairs, sorted by set then file name.
    pub samples: Vec<Sample>,
    /// Images without a readable expected text.
    pub skipped: Vec<Skipped>,
}

const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "bmp"];

/// Whether the file name has an image extension this crate can decode.
pub fn is_image(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// The expected-text file for an image: `NAME-minus-last-extension.txt` (zxing-cpp), else
/// `NAME-before-first-dot.txt` (zxing). `None` when neither exists.
pub fn expected_file_for(image: &Path) -> Option<PathBuf> {
    expected_candidates(image).into_iter().find(|p| p.is_file())
}

/// The candidate expected-text paths for an image, in the order they are tried.
pub fn expected_candidates(image: &Path) -> Vec<PathBuf> {
    let Some(name) = image.file_name().and_then(|n| n.to_str()) else {
        return Vec::new();
    };
    let dir = image.parent().unwrap_or(Path::new(""));
    let mut out = Vec::new();
    let mut push = |stem: &str| {
        if stem.is_empty() {
            return;
        }
        let p = dir.join(format!("{stem}.txt"));
        let reserved = stem.ends_with(".metadata") || stem.ends_with(".result");
        if !reserved && !out.contains(&p) {
            out.push(p);
        }
    };
    if let Some((stem, _ext)) = name.rsplit_once('.') {
        push(stem);
    }
    if let Some((stem, _)) = name.split_once('.') {
        push(stem);
    }
    out
}

/// Finds every image with an expected text under `root` (one folder level of sets, plus
/// images directly in `root`, whose set is `.`).
pub fn discover(root: &Path) -> Result<Discovery, BenchError> {
    let mut found = Discovery::default();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|source| BenchError::List {
            path: dir.display().to_string(),
            source,
        })?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if !is_image(&path) {
                continue;
            }
            let set = path
                .parent()
                .and_then(|p| p.strip_prefix(root).ok())
                .map(|p| p.display().to_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| ".".to_owned());
            let Some(txt) = expected_file_for(&path) else {
                found.skipped.push(Skipped {
                    path,
                    reason: "no expected text file".into(),
                });
                continue;
            };
            match std::fs::read_to_string(&txt) {
                Ok(text) => {
                    let multi = path
                        .parent()
                        .and_then(Path::file_name)
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("rqrr"));
                    let expected = if multi {
                        text.lines()
                            .filter(|l| !l.is_empty())
                            .map(str::to_owned)
                            .collect()
                    } else {
                        vec![text]
                    };
                    found.samples.push(Sample {
                        set,
                        image: path,
                        expected,
                    });
                }
                Err(e) => found.skipped.push(Skipped {
                    path,
                    reason: format!("expected text {}: {e}", txt.display()),
                }),
            }
        }
    }
    if found.samples.is_empty() {
        return Err(BenchError::Empty(root.display().to_string()));
    }
    found
        .samples
        .sort_by(|a, b| (&a.set, &a.image).cmp(&(&b.set, &b.image)));
    found.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}

/// Hits, misreads (a text that is not an expected one) and cases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Cases where an expected text was decoded.
    pub hits: u32,
    /// Cases where only unexpected texts were decoded.
    pub misreads: u32,
    /// Cases tried.
    pub total: u32,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.hits += other.hits;
        self.misreads += other.misreads;
        self.total += other.total;
    }
}

/// Timing summary in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TimeStats {
    /// Number of timed calls.
    pub count: usize,
    /// Median.
    pub median_ms: f64,
    /// 95th percentile (nearest rank).
    pub p95_ms: f64,
    /// Slowest.
    pub max_ms: f64,
}

impl TimeStats {
    /// Summarises durations in milliseconds.
    pub fn from_ms(mut ms: Vec<f64>) -> Self {
        if ms.is_empty() {
            return Self::default();
        }
        ms.sort_by(f64::total_cmp);
        let rank = |q: f64| ms[((q * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1];
        Self {
            count: ms.len(),
            median_ms: rank(0.5),
            p95_ms: rank(0.95),
            max_ms: ms[ms.len() - 1],
        }
    }
}

/// A corpus run's result.
#[derive(Debug, Clone, Default)]
pub struct CorpusReport {
    /// The decoder's name.
    pub decoder: String,
    /// Per set, per rotation (index = degrees / 90).
    pub cells: BTreeMap<String, [Tally; 4]>,
    /// Every case.
    pub overall: Tally,
    /// Decode time per image (decoder call only; loading and rotating excluded).
    pub time: TimeStats,
    /// Images that could not be loaded.
    pub skipped: Vec<Skipped>,
    /// Cases with no hit: (image, rotation).
    pub misses: Vec<(PathBuf, Rotation)>,
}

impl CorpusReport {
    /// The tally of one set and rotation.
    pub fn cell(&self, set: &str, rotation: Rotation) -> Tally {
        self.cells
            .get(set)
            .map(|c| c[rotation.index()])
            .unwrap_or_default()
    }

    /// The sum over sets whose name starts with `prefix`, per rotation and overall.
    pub fn sum_prefix(&self, prefix: &str) -> ([Tally; 4], Tally) {
        let mut per = [Tally::default(); 4];
        let mut all = Tally::default();
        for (set, cells) in &self.cells {
            if set.starts_with(prefix) {
                for (p, c) in per.iter_mut().zip(cells) {
                    p.add(*c);
                    all.add(*c);
                }
            }
        }
        (per, all)
    }

    /// A plain-text table: per set and rotation, thresholds checked where given.
    pub fn render(&self, thresholds: &[Threshold]) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "decoder: {}", self.decoder);
        let _ = writeln!(
            s,
            "{:<20} {:>9} {:>9} {:>9} {:>9}   sum",
            "set", "0", "90", "180", "270"
        );
        for (set, cells) in &self.cells {
            let th = thresholds.iter().find(|t| t.set == set);
            let mut line = format!("{set:<20}");
            let mut sum = Tally::default();
            for (i, c) in cells.iter().enumerate() {
                sum.add(*c);
                let mark = match th {
                    Some(t) if c.hits >= t.min_hits[i] => "+",
                    Some(_) => "!",
                    None => " ",
                };
                let _ = write!(line, " {:>4}/{:<3}{mark}", c.hits, c.total);
            }
            let _ = write!(line, " {:>4}/{:<4}", sum.hits, sum.total);
            if sum.misreads > 0 {
                let _ = write!(line, " misreads {}", sum.misreads);
            }
            if let Some(t) = th {
                let _ = write!(line, " (need {:?})", t.min_hits);
            }
            let _ = writeln!(s, "{line}");
        }
        let _ = writeln!(
            s,
            "overall {}/{} ({:.1} %), misreads {}; per image: median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
            self.overall.hits,
            self.overall.total,
            100.0 * self.overall.hits as f64 / self.overall.total.max(1) as f64,
            self.overall.misreads,
            self.time.median_ms,
            self.time.p95_ms,
            self.time.max_ms
        );
        if !self.skipped.is_empty() {
            let _ = writeln!(s, "skipped {} images:", self.skipped.len());
            for k in &self.skipped {
                let _ = writeln!(s, "  {}: {}", k.path.display(), k.reason);
            }
        }
        let _ = writeln!(
            s,
            "('!' = below the upstream pass threshold, '+' = meets it)"
        );
        s
    }

    /// Threshold checks: (set, rotation, hits, needed); pass when hits >= needed.
    pub fn check(&self, thresholds: &[Threshold]) -> Vec<(String, Rotation, u32, u32)> {
        let mut out = Vec::new();
        for t in thresholds {
            for r in Rotation::ALL {
                out.push((
                    t.set.to_owned(),
                    r,
                    self.cell(t.set, r).hits,
                    t.min_hits[r.index()],
                ));
            }
        }
        out
    }
}

/// An upstream pass threshold: hits needed per rotation (0, 90, 180, 270).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Threshold {
    /// Set folder name.
    pub set: &'static str,
    /// Hits needed at 0, 90, 180, 270 degrees.
    pub min_hits: [u32; 4],
}

/// zxing's QRCodeBlackBox{1..6}TestCase thresholds (corpus README).
pub const ZXING_THRESHOLDS: &[Threshold] = &[
    Threshold {
        set: "zxing-qrcode-1",
        min_hits: [17, 14, 17, 14],
    },
    Threshold {
        set: "zxing-qrcode-2",
        min_hits: [32, 30, 31, 31],
    },
    Threshold {
        set: "zxing-qrcode-3",
        min_hits: [38, 39, 36, 39],
    },
    Threshold {
        set: "zxing-qrcode-4",
        min_hits: [36, 35, 35, 35],
    },
    Threshold {
        set: "zxing-qrcode-5",
        min_hits: [19, 19, 19, 19],
    },
    Threshold {
        set: "zxing-qrcode-6",
        min_hits: [15, 14, 13, 14],
    },
];

/// zxing-cpp's "fast" thresholds (no try-harder) from its blackbox runner (corpus README).
pub const ZXINGCPP_THRESHOLDS: &[Threshold] = &[
    Threshold {
        set: "zxingcpp-qrcode-1",
        min_hits: [8, 8, 8, 8],
    },
    Threshold {
        set: "zxingcpp-qrcode-2",
        min_hits: [50, 51, 50, 50],
    },
    Threshold {
        set: "zxingcpp-qrcode-3",
        min_hits: [18, 18, 18, 18],
    },
    Threshold {
        set: "zxingcpp-qrcode-4",
        min_hits: [15, 15, 15, 15],
    },
    Threshold {
        set: "zxingcpp-qrcode-5",
        min_hits: [16, 16, 16, 16],
    },
    Threshold {
        set: "zxingcpp-qrcode-6",
        min_hits: [15, 15, 15, 15],
    },
];

/// The zxing goal over the six sets at four rotations: 665 of 716 cases.
pub const ZXING_GOAL: u32 = 665;

/// Scores one decode: hit, misread or nothing.
pub fn score(expected: &[String], decoded: &[String]) -> Tally {
    let hit = decoded.iter().any(|d| expected.contains(d));
    Tally {
        hits: u32::from(hit),
        misreads: u32::from(!hit && !decoded.is_empty()),
        total: 1,
    }
}

/// Loads a corpus image as a grey `image` buffer.
pub fn load_grey(path: &Path) -> Result<GrayImage, String> {
    image::open(path)
        .map(|img| img.to_luma8())
        .map_err(|e| e.to_string())
}

/// Decodes every sample at every rotation and scores it.
pub fn run_corpus(
    decoder: &dyn Decoder,
    samples: &[Sample],
    rotations: &[Rotation],
) -> CorpusReport {
    let mut report = CorpusReport {
        decoder: decoder.name(),
        ..CorpusReport::default()
    };
    let mut times = Vec::with_capacity(samples.len() * rotations.len());
    for sample in samples {
        let grey = match load_grey(&sample.image) {
            Ok(g) => g,
            Err(reason) => {
                report.skipped.push(Skipped {
                    path: sample.image.clone(),
                    reason,
                });
                continue;
            }
        };
        let cells = report.cells.entry(sample.set.clone()).or_default();
        for &rotation in rotations {
            let frame = GreyFrame::from_gray_image(rotation.apply(&grey));
            let start = Instant::now();
            let decoded = decoder.decode(&frame);
            times.push(start.elapsed().as_secs_f64() * 1e3);
            let t = score(&sample.expected, &decoded);
            if t.hits == 0 {
                report.misses.push((sample.image.clone(), rotation));
            }
            cells[rotation.index()].add(t);
            report.overall.add(t);
        }
    }
    report.time = TimeStats::from_ms(times);
    report
}

/// A small deterministic xorshift generator for synthetic frames.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u32) -> u32 {
        (self.next() % u64::from(n.max(1))) as u32
    }
}

/// A code-free kiosk-like scene: a lighting gradient, a few flat blocks (people, furniture,
/// shelves, with hard edges) and sensor noise. Deterministic for a given `seed`.
pub fn empty_scene(width: u32, height: u32, seed: u64) -> GrayImage {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let base = 70 + rng.below(80) as i32;
    let mut img = GrayImage::from_fn(width, height, |x, y| {
        let g =
            base + (x as i32 * 40 / width.max(1) as i32) - (y as i32 * 30 / height.max(1) as i32);
        image::Luma([g.clamp(0, 255) as u8])
    });
    for _ in 0..(4 + rng.below(8)) {
        let (w, h) = (20 + rng.below(width / 2), 20 + rng.below(height / 2));
        let (x0, y0) = (rng.below(width), rng.below(height));
        let v = rng.below(256) as u8;
        for y in y0..(y0 + h).min(height) {
            for x in x0..(x0 + w).min(width) {
                img.put_pixel(x, y, image::Luma([v]));
            }
        }
    }
    for p in img.pixels_mut() {
        let n = rng.below(17) as i32 - 8;
        p.0[0] = (p.0[0] as i32 + n).clamp(0, 255) as u8;
    }
    img
}

/// A kiosk-like frame holding one corpus photo scaled so its height is `code_height`
/// pixels, pasted at a position that varies with `seed` over an [`empty_scene`].
pub fn frame_with(
    photo: &GrayImage,
    width: u32,
    height: u32,
    code_height: u32,
    seed: u64,
) -> GrayImage {
    let mut canvas = empty_scene(width, height, seed);
    let (pw, ph) = photo.dimensions();
    let th = code_height.min(height).max(1);
    let tw = ((pw as u64 * th as u64 / ph.max(1) as u64) as u32).clamp(1, width);
    let scaled = imageops::resize(photo, tw, th, FilterType::Triangle);
    let mut rng = Rng(seed | 1);
    let x = rng.below(width - tw + 1);
    let y = rng.below(height - th + 1);
    imageops::replace(&mut canvas, &scaled, i64::from(x), i64::from(y));
    canvas
}

/// Times a decoder over frames; returns the timing and how many frames read anything.
pub fn time_frames(decoder: &dyn Decoder, frames: &[GrayImage]) -> (TimeStats, usize) {
    let mut ms = Vec::with_capacity(frames.len());
    let mut read = 0;
    for img in frames {
        let (w, h) = img.dimensions();
        let Ok(frame) = GreyFrame::from_luma(w, h, w as usize, img.as_raw()) else {
            continue;
        };
        let start = Instant::now();
        let found = decoder.decode(&frame);
        ms.push(start.elapsed().as_secs_f64() * 1e3);
        read += usize::from(!found.is_empty());
    }
    (TimeStats::from_ms(ms), read)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naming_rule_tries_last_extension_then_first_dot() {
        let c = expected_candidates(Path::new("d/gs1-figure-4.15.1-2.png"));
        assert_eq!(
            c,
            vec![
                PathBuf::from("d/gs1-figure-4.15.1-2.txt"),
                PathBuf::from("d/gs1-figure-4.txt")
            ]
        );
        assert_eq!(
            expected_candidates(Path::new("d/#1234.webp")),
            vec![PathBuf::from("d/#1234.txt")]
        );
        assert_eq!(
            expected_candidates(Path::new("1.png")),
            vec![PathBuf::from("1.txt")]
        );
        // Never a metadata or result file.
        assert_eq!(
            expected_candidates(Path::new("d/1.metadata.png")),
            vec![PathBuf::from("d/1.txt")]
        );
        assert!(is_image(Path::new("a/#1.WEBP")));
        assert!(!is_image(Path::new("a/1.result.txt")));
    }

    #[test]
    fn scoring_accepts_any_expected_text() {
        let exp = vec!["a".to_owned(), "b".to_owned()];
        assert_eq!(score(&exp, &["b".to_owned()]).hits, 1);
        assert_eq!(score(&exp, &["c".to_owned()]).misreads, 1);
        let none = score(&exp, &[]);
        assert_eq!((none.hits, none.misreads, none.total), (0, 0, 1));
    }

    #[test]
    fn time_stats_nearest_rank() {
        let t = TimeStats::from_ms((1..=100).map(f64::from).collect());
        assert_eq!((t.median_ms, t.p95_ms, t.max_ms), (50.0, 95.0, 100.0));
        assert_eq!(TimeStats::from_ms(vec![]).count, 0);
    }

    #[test]
    fn synthetic_frames_have_the_requested_size() {
        let photo = GrayImage::from_pixel(10, 20, image::Luma([0]));
        let f = frame_with(&photo, 64, 48, 30, 7);
        assert_eq!(f.dimensions(), (64, 48));
        assert_eq!(empty_scene(64, 48, 1), empty_scene(64, 48, 1));
    }
}
