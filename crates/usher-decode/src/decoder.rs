//! The `Decoder` interface and its two engines: rxing (ZXing port) and rqrr (quirc port).
//!
//! Both implementations look for QR codes only and isolate their own panics
//! (see [`crate::isolate`]), so calling them directly is safe.

use std::collections::HashSet;

use image::GrayImage;
use image::imageops::{self, FilterType};
use rxing::common::{BitMatrix, HybridBinarizer};
use rxing::multi::MultipleBarcodeReader;
use rxing::qrcode::QRCodeReader;
use rxing::qrcode::cpp_port::QrReader;
use rxing::qrcode::cpp_port::detector::{FindFinderPatterns, GenerateFinderPatternSets};
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8Source, Reader};

use crate::frame::GreyFrame;
use crate::isolate::guarded;

/// Something that finds QR codes in a grey frame and returns their texts.
///
/// An empty vector means "no code". Implementations must not keep state between calls
/// that changes results, and should be cheap to call on frames with nothing in them.
pub trait Decoder: Send + Sync {
    /// A short name for logs and benchmark reports.
    fn name(&self) -> String;

    /// The texts of the codes found, in the order found, without duplicates.
    fn decode(&self, frame: &GreyFrame<'_>) -> Vec<String>;
}

impl<D: Decoder + ?Sized> Decoder for Box<D> {
    fn name(&self) -> String {
        (**self).name()
    }

    fn decode(&self, frame: &GreyFrame<'_>) -> Vec<String> {
        (**self).decode(frame)
    }
}

/// Which of rxing's QR readers to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RxingEngine {
    /// The port of zxing-cpp's detector (`rxing::qrcode::cpp_port::QrReader`).
    Cpp,
    /// The port of ZXing Java's detector (`rxing::qrcode::QRCodeReader`).
    Java,
    /// The C++ port first, then the Java port on the same binarised image (what rxing's
    /// `MultiFormatReader` does for `QR_CODE`).
    Both,
}

/// rxing 0.9 with the hybrid (local-threshold) binariser, QR codes only.
#[derive(Debug, Clone)]
pub struct RxingDecoder {
    /// Which reader(s) to run.
    pub engine: RxingEngine,
    /// rxing's TRY_HARDER: scan every row for finder patterns (slower).
    pub try_harder: bool,
    /// Also try the inverted binary image (light-on-dark codes). Reuses the binarisation,
    /// so it costs a second detection pass only.
    pub also_inverted: bool,
    /// When nothing was read: a second look at each region where finder patterns form a
    /// plausible code (at most [`SECOND_LOOKS`]): cropped, upscaled with a Catmull-Rom filter
    /// when the modules are small, sharpened, and read again with both detectors. Costs a finder
    /// pattern search on frames without any, more only where a code seems to be.
    pub second_look: bool,
}

/// Regions a [`RxingDecoder::second_look`] reads again, at most.
pub const SECOND_LOOKS: usize = 2;

/// Finder patterns a second look pairs into sets, at most.
const MAX_PATTERNS: usize = 16;

/// The longest side of an upscaled second-look crop, in pixels.
const LOOK_SIDE: u32 = 640;

/// A region of the frame that looks like a QR code: pixel box and module size.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Region {
    x0: u32,
    y0: u32,
    x1: u32,
    y1: u32,
    module: f32,
}

/// The regions where the binary image's finder patterns form code-like triples.
fn code_regions(matrix: &BitMatrix, width: u32, height: u32) -> Vec<Region> {
    let mut patterns = FindFinderPatterns(matrix, true, 1);
    if patterns.len() < 3 {
        return Vec::new();
    }
    // Pairing patterns into sets costs the cube of their number: a busy scene can show
    // hundreds of finder-like rings. Keep those most like a pattern of a code held up: the
    // ones whose size is shared by at least two others, largest first.
    patterns.sort_by_key(|p| std::cmp::Reverse(p.size));
    let alike = |p: &rxing::common::cpp_essentials::ConcentricPattern| {
        patterns
            .iter()
            .filter(|q| (q.size - p.size).abs() * 4 <= p.size.max(q.size))
            .count()
            >= 3
    };
    let mut patterns: Vec<_> = patterns.iter().copied().filter(|p| alike(p)).collect();
    patterns.truncate(MAX_PATTERNS);
    if patterns.len() < 3 {
        return Vec::new();
    }
    let sets = GenerateFinderPatternSets(&mut patterns);
    sets.iter()
        .take(SECOND_LOOKS)
        .map(|s| {
            let (tl, tr, bl) = (s.tl.p, s.tr.p, s.bl.p);
            let br = (tr.x + bl.x - tl.x, tr.y + bl.y - tl.y);
            let module = (s.tl.size + s.tr.size + s.bl.size).max(3) as f32 / 21.0;
            // The centres are 3.5 modules in from the code's corners; keep 4 more of quiet zone.
            let margin = 8.0 * module;
            let xs = [tl.x, tr.x, bl.x, br.0];
            let ys = [tl.y, tr.y, bl.y, br.1];
            let lo = |v: &[f32]| v.iter().copied().fold(f32::INFINITY, f32::min) - margin;
            let hi = |v: &[f32]| v.iter().copied().fold(f32::NEG_INFINITY, f32::max) + margin;
            Region {
                x0: lo(&xs).max(0.0) as u32,
                y0: lo(&ys).max(0.0) as u32,
                x1: (hi(&xs).max(0.0) as u32).min(width),
                y1: (hi(&ys).max(0.0) as u32).min(height),
                module,
            }
        })
        .filter(|r| r.x1 > r.x0 + 8 && r.y1 > r.y0 + 8 && r.module >= 1.0)
        .collect()
}

/// The region cropped, upscaled (Catmull-Rom) so a module is at least about 4 pixels (at
/// most 3x, and at most [`LOOK_SIDE`] pixels a side), and sharpened (3x3 Laplacian).
fn enhanced(frame: &GreyFrame<'_>, r: Region) -> GreyFrame<'static> {
    let (w, h) = (r.x1 - r.x0, r.y1 - r.y0);
    let crop = GrayImage::from_fn(w, h, |x, y| image::Luma([frame.get(r.x0 + x, r.y0 + y)]));
    let wanted = (4.0 / r.module).ceil().clamp(1.0, 3.0) as u32;
    let scale = wanted.min((LOOK_SIDE / w.max(h)).max(1));
    let scaled = if scale > 1 {
        imageops::resize(&crop, w * scale, h * scale, FilterType::CatmullRom)
    } else {
        crop
    };
    let sharpen = [0.0, -1.0, 0.0, -1.0, 5.0, -1.0, 0.0, -1.0, 0.0];
    GreyFrame::from_gray_image(imageops::filter3x3(&scaled, &sharpen))
}

impl Default for RxingDecoder {
    fn default() -> Self {
        Self {
            engine: RxingEngine::Both,
            try_harder: false,
            also_inverted: true,
            second_look: false,
        }
    }
}

impl RxingDecoder {
    fn hints(&self) -> DecodeHints {
        DecodeHints {
            PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
            TryHarder: Some(self.try_harder),
            ..DecodeHints::default()
        }
    }

    fn run(&self, frame: &GreyFrame<'_>) -> Vec<String> {
        let pixels = frame.pixels();
        let Ok(source) = Luma8Source::new_with_slice(&pixels, frame.width(), frame.height()) else {
            return Vec::new();
        };
        let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
        let hints = self.hints();
        let found = self.pass(&mut bitmap, &hints);
        if !found.is_empty() {
            return found;
        }
        // Finder patterns are rings: the search in the normal binary image also finds those
        // of light-on-dark codes (measured: searching the inverted image too read no more).
        let regions = if self.second_look {
            code_regions(bitmap.get_black_matrix(), frame.width(), frame.height())
        } else {
            Vec::new()
        };
        if self.also_inverted {
            bitmap.invert();
            let found = self.pass(&mut bitmap, &hints);
            if !found.is_empty() {
                return found;
            }
        }
        drop(bitmap);
        let again = RxingDecoder {
            engine: RxingEngine::Both,
            try_harder: false,
            also_inverted: self.also_inverted,
            second_look: false,
        };
        let mut looked: Vec<Region> = Vec::new();
        for r in regions {
            // Overlapping sets (one code, patterns paired two ways) are looked at once.
            if looked.len() >= SECOND_LOOKS
                || looked
                    .iter()
                    .any(|l| r.x0 < l.x1 && l.x0 < r.x1 && r.y0 < l.y1 && l.y0 < r.y1)
            {
                continue;
            }
            looked.push(r);
            let found = again.run(&enhanced(frame, r));
            if !found.is_empty() {
                return found;
            }
        }
        Vec::new()
    }

    fn pass<B: rxing::Binarizer>(
        &self,
        bitmap: &mut BinaryBitmap<B>,
        hints: &DecodeHints,
    ) -> Vec<String> {
        let mut out = Vec::new();
        if matches!(self.engine, RxingEngine::Cpp | RxingEngine::Both)
            && let Ok(results) = QrReader.decode_multiple_with_hints(bitmap, hints)
        {
            for r in results {
                push_unique(&mut out, r.getText().to_owned());
            }
        }
        if out.is_empty()
            && matches!(self.engine, RxingEngine::Java | RxingEngine::Both)
            && let Ok(r) = QRCodeReader.decode_with_hints(bitmap, hints)
        {
            push_unique(&mut out, r.getText().to_owned());
        }
        out
    }
}

impl Decoder for RxingDecoder {
    fn name(&self) -> String {
        let engine = match self.engine {
            RxingEngine::Cpp => "cpp",
            RxingEngine::Java => "java",
            RxingEngine::Both => "cpp+java",
        };
        format!(
            "rxing({engine}{}{}{})",
            if self.try_harder { ",harder" } else { "" },
            if self.also_inverted { ",+inv" } else { "" },
            if self.second_look { ",look-again" } else { "" }
        )
    }

    fn decode(&self, frame: &GreyFrame<'_>) -> Vec<String> {
        guarded("rxing", || self.run(frame))
    }
}

/// rqrr 0.11 (a port of quirc). Reads several codes per frame; panics on some images
/// (isolated here). It reads dark-on-light only: set `invert` for light-on-dark.
#[derive(Debug, Clone, Default)]
pub struct RqrrDecoder {
    /// Read the negative of the frame.
    pub invert: bool,
}

impl RqrrDecoder {
    fn run(&self, frame: &GreyFrame<'_>) -> Vec<String> {
        let mask = if self.invert { 0xff } else { 0 };
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(
            frame.width() as usize,
            frame.height() as usize,
            |x, y| frame.get(x as u32, y as u32) ^ mask,
        );
        let mut out = Vec::new();
        for grid in img.detect_grids() {
            if let Ok((_meta, text)) = grid.decode() {
                push_unique(&mut out, text);
            }
        }
        out
    }
}

impl Decoder for RqrrDecoder {
    fn name(&self) -> String {
        if self.invert {
            "rqrr(inv)".to_owned()
        } else {
            "rqrr".to_owned()
        }
    }

    fn decode(&self, frame: &GreyFrame<'_>) -> Vec<String> {
        guarded("rqrr", || self.run(frame))
    }
}

pub(crate) fn push_unique(out: &mut Vec<String>, text: String) {
    if !out.contains(&text) {
        out.push(text);
    }
}
