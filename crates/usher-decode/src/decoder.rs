//! The `Decoder` interface and its two engines: rxing (ZXing port) and rqrr (quirc port).
//!
//! Both implementations look for QR codes only and isolate their own panics
//! (see [`crate::isolate`]), so calling them directly is safe.

use std::collections::HashSet;

use rxing::common::BitMatrix;
use rxing::common::cpp_essentials::ConcentricPattern;
use rxing::multi::MultipleBarcodeReader;
use rxing::qrcode::QRCodeReader;
use rxing::qrcode::cpp_port::QrReader;
use rxing::qrcode::cpp_port::detector::{FindFinderPatterns, GenerateFinderPatternSets};
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Reader};

use crate::binarize::FastHybrid;
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

    /// As [`Decoder::decode`], and when nothing is read, the regions (in `frame`'s pixels)
    /// that looked like a code are added to `seen`. Decoders that do not look for regions
    /// add none.
    fn decode_noting(&self, frame: &GreyFrame<'_>, seen: &mut Vec<Region>) -> Vec<String> {
        let _ = seen;
        self.decode(frame)
    }
}

impl<D: Decoder + ?Sized> Decoder for Box<D> {
    fn name(&self) -> String {
        (**self).name()
    }

    fn decode(&self, frame: &GreyFrame<'_>) -> Vec<String> {
        (**self).decode(frame)
    }

    fn decode_noting(&self, frame: &GreyFrame<'_>, seen: &mut Vec<Region>) -> Vec<String> {
        (**self).decode_noting(frame, seen)
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
    /// When nothing was read: a second look at each region where finder patterns (of the
    /// image or its negative) form a plausible code, or two alike patterns could be two
    /// corners of one (at most [`SECOND_LOOKS`] regions, overlapping ones merged): cropped,
    /// upscaled with a Catmull-Rom filter when the modules are small, read with both
    /// detectors sharpened, then in black and white at the local mean of a box five modules
    /// wide. Costs two finder pattern searches on frames without any, more only where a code
    /// seems to be.
    pub second_look: bool,
}

/// Regions a [`RxingDecoder::second_look`] reads again, at most.
pub const SECOND_LOOKS: usize = 2;

/// Finder patterns a second look pairs into sets, at most.
const MAX_PATTERNS: usize = 16;

/// The longest side of an upscaled second-look crop, in pixels.
const LOOK_SIDE: u32 = 640;

/// The largest module (pixels) a pair of finder patterns without a third is looked at
/// for: a code that large would show its third pattern; larger pairs are posters, tiles
/// or windows.
const PAIR_MODULE: f32 = 8.0;

/// The least range of levels around a pixel the second look's local threshold makes black
/// (below it: a flat area and its noise).
const LOOK_RANGE: u8 = 16;

/// A region of a frame that looks like a QR code (finder patterns pair up there): a pixel
/// box and the module size the patterns suggest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Region {
    /// Left edge, pixels.
    pub x0: u32,
    /// Top edge, pixels.
    pub y0: u32,
    /// Right edge (exclusive), pixels.
    pub x1: u32,
    /// Bottom edge (exclusive), pixels.
    pub y1: u32,
    /// Module size, pixels.
    pub module: f32,
}

impl Region {
    /// This region grown by `fraction` of its size on every side (a code moving between
    /// frames), clipped to a `width` x `height` frame.
    pub fn grown(&self, fraction: f32, width: u32, height: u32) -> Region {
        let dx = ((self.x1 - self.x0) as f32 * fraction) as u32;
        let dy = ((self.y1 - self.y0) as f32 * fraction) as u32;
        Region {
            x0: self.x0.saturating_sub(dx),
            y0: self.y0.saturating_sub(dy),
            x1: (self.x1 + dx).min(width),
            y1: (self.y1 + dy).min(height),
            module: self.module,
        }
    }
}

/// The regions where the binary image's finder patterns form code-like triples, or, where
/// no triple forms, pairs of alike patterns (the third hidden by glare, a finger or blur):
/// then the region holds every square the pair could be a side or the diagonal of.
fn code_regions(matrix: &BitMatrix, width: u32, height: u32) -> Vec<Region> {
    let mut patterns = FindFinderPatterns(matrix, true, 1);
    if patterns.len() < 2 {
        return Vec::new();
    }
    // Pairing patterns into sets costs the cube of their number: a busy scene can show
    // hundreds of finder-like rings. Keep those most like a pattern of a code held up: the
    // ones whose size is shared by at least `peers` others, largest first.
    patterns.sort_by_key(|p| std::cmp::Reverse(p.size));
    let alike = |p: &ConcentricPattern, q: &ConcentricPattern| {
        (q.size - p.size).abs() * 4 <= p.size.max(q.size)
    };
    let peers =
        |p: &ConcentricPattern, n: usize| patterns.iter().filter(|q| alike(p, q)).count() > n;
    let mut triples: Vec<_> = patterns.iter().copied().filter(|p| peers(p, 2)).collect();
    triples.truncate(MAX_PATTERNS);
    let region = |xs: &[f32], ys: &[f32], module: f32| {
        // Centres are 3.5 modules in from the code's corners; keep 4 more of quiet zone.
        let margin = 8.0 * module;
        let lo = |v: &[f32]| v.iter().copied().fold(f32::INFINITY, f32::min) - margin;
        let hi = |v: &[f32]| v.iter().copied().fold(f32::NEG_INFINITY, f32::max) + margin;
        Region {
            x0: lo(xs).max(0.0) as u32,
            y0: lo(ys).max(0.0) as u32,
            x1: (hi(xs).max(0.0) as u32).min(width),
            y1: (hi(ys).max(0.0) as u32).min(height),
            module,
        }
    };
    let mut out: Vec<Region> = Vec::new();
    if triples.len() >= 3 {
        for s in GenerateFinderPatternSets(&mut triples)
            .iter()
            .take(SECOND_LOOKS)
        {
            let (tl, tr, bl) = (s.tl.p, s.tr.p, s.bl.p);
            let br = (tr.x + bl.x - tl.x, tr.y + bl.y - tl.y);
            let module = (s.tl.size + s.tr.size + s.bl.size).max(3) as f32 / 21.0;
            out.push(region(
                &[tl.x, tr.x, bl.x, br.0],
                &[tl.y, tr.y, bl.y, br.1],
                module,
            ));
        }
    }
    if out.is_empty() {
        // The largest pairs of alike patterns that could be two corners of one code: at most
        // 180 modules apart (version 40 is 177 modules wide).
        let pairs = patterns
            .iter()
            .take(MAX_PATTERNS)
            .enumerate()
            .flat_map(|(i, a)| {
                patterns
                    .iter()
                    .take(MAX_PATTERNS)
                    .skip(i + 1)
                    .map(move |b| (*a, *b))
            });
        for (a, b) in pairs.filter(|(a, b)| alike(a, b)) {
            let module = (a.size + b.size).max(2) as f32 / 14.0;
            let (dx, dy) = (b.p.x - a.p.x, b.p.y - a.p.y);
            let far = (dx * dx + dy * dy).sqrt() / module;
            if module > PAIR_MODULE || !(14.0..=180.0).contains(&far) {
                continue;
            }
            // Either side of the line a-b: a square on the side a-b, or on it as a diagonal.
            let xs = [a.p.x, b.p.x, a.p.x - dy, a.p.x + dy, b.p.x - dy, b.p.x + dy];
            let ys = [a.p.y, b.p.y, a.p.y + dx, a.p.y - dx, b.p.y + dx, b.p.y - dx];
            out.push(region(&xs, &ys, module));
            if out.len() >= SECOND_LOOKS {
                break;
            }
        }
    }
    out.retain(|r| r.x1 > r.x0 + 8 && r.y1 > r.y0 + 8 && r.module >= 1.0);
    out
}

/// Overlapping regions (one code, its patterns paired two ways or also seen inverted) as
/// one: their union, with the smaller module size. Order kept by first appearance.
fn merged(regions: Vec<Region>) -> Vec<Region> {
    let mut out: Vec<Region> = Vec::new();
    for r in regions {
        match out
            .iter_mut()
            .find(|l| r.x0 < l.x1 && l.x0 < r.x1 && r.y0 < l.y1 && l.y0 < r.y1)
        {
            Some(l) => {
                *l = Region {
                    x0: l.x0.min(r.x0),
                    y0: l.y0.min(r.y0),
                    x1: l.x1.max(r.x1),
                    y1: l.y1.max(r.y1),
                    module: l.module.min(r.module),
                }
            }
            None => out.push(r),
        }
    }
    out
}

/// The region cropped and upscaled (Catmull-Rom) so a module is at least about 4 pixels (at
/// most 3x, and at most [`LOOK_SIDE`] pixels a side); its module size after scaling.
fn scaled_crop(frame: &GreyFrame<'_>, r: Region) -> (GreyFrame<'static>, f32) {
    let (w, h) = (r.x1 - r.x0, r.y1 - r.y0);
    let crop = frame.cropped(r.x0, r.y0, w, h);
    let wanted = (4.0 / r.module).ceil().clamp(1.0, 3.0) as u32;
    let scale = wanted.min((LOOK_SIDE / w.max(h)).max(1));
    if scale > 1 {
        (crop.upscaled(scale), r.module * scale as f32)
    } else {
        (crop, r.module)
    }
}

/// The scaled crop in black and white at the mean of a box `modules` modules wide
/// ([`GreyFrame::thresholded`]; five in the second look): for glare, low contrast and uneven
/// light, which a binariser of fixed 40-pixel neighbourhoods gets wrong.
fn local_threshold(crop: &GreyFrame<'_>, module: f32, modules: f32) -> GreyFrame<'static> {
    let window = ((modules * module).round() as u32).clamp(9, 41) | 1;
    crop.thresholded(window, 0, LOOK_RANGE)
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

    fn run(&self, frame: &GreyFrame<'_>, seen: &mut Vec<Region>) -> Vec<String> {
        let pixels = frame.pixels();
        let Ok(binarizer) = FastHybrid::new(&pixels, frame.width(), frame.height()) else {
            return Vec::new();
        };
        let mut bitmap = BinaryBitmap::new(binarizer);
        let hints = self.hints();
        let found = self.pass(&mut bitmap, &hints);
        if !found.is_empty() {
            return found;
        }
        let mut regions = if self.second_look {
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
            // A light-on-dark code's finder patterns are rings of the other colour.
            if self.second_look {
                regions.extend(code_regions(
                    bitmap.get_black_matrix(),
                    frame.width(),
                    frame.height(),
                ));
            }
        }
        drop(bitmap);
        let again = RxingDecoder {
            engine: RxingEngine::Both,
            try_harder: false,
            also_inverted: self.also_inverted,
            second_look: false,
        };
        let regions = merged(regions);
        for &r in regions.iter().take(SECOND_LOOKS) {
            let found = again.look_at(frame, r, &[5.0]);
            if !found.is_empty() {
                return found;
            }
        }
        seen.extend(regions);
        Vec::new()
    }

    /// Reads region `r` of `frame` cropped and scaled ([`scaled_crop`]): sharpened, then in
    /// black and white at the local mean of boxes `windows` modules wide.
    pub(crate) fn look_at(&self, frame: &GreyFrame<'_>, r: Region, windows: &[f32]) -> Vec<String> {
        let (crop, module) = scaled_crop(frame, r);
        let found = self.run(&crop.sharpened(), &mut Vec::new());
        if !found.is_empty() {
            return found;
        }
        for &w in windows {
            let found = self.run(&local_threshold(&crop, module, w), &mut Vec::new());
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
        guarded("rxing", || self.run(frame, &mut Vec::new()))
    }

    fn decode_noting(&self, frame: &GreyFrame<'_>, seen: &mut Vec<Region>) -> Vec<String> {
        let mut noted = Vec::new();
        let found = guarded("rxing", || self.run(frame, &mut noted));
        seen.extend(noted);
        found
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
