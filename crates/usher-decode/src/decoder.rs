//! The `Decoder` interface and its two engines: rxing (ZXing port) and rqrr (quirc port).
//!
//! Both implementations look for QR codes only and isolate their own panics
//! (see [`crate::isolate`]), so calling them directly is safe.

use std::collections::HashSet;

use rxing::common::HybridBinarizer;
use rxing::multi::MultipleBarcodeReader;
use rxing::qrcode::QRCodeReader;
use rxing::qrcode::cpp_port::QrReader;
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
}

impl Default for RxingDecoder {
    fn default() -> Self {
        Self {
            engine: RxingEngine::Both,
            try_harder: false,
            also_inverted: true,
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
        if !found.is_empty() || !self.also_inverted {
            return found;
        }
        bitmap.invert();
        self.pass(&mut bitmap, &hints)
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
            "rxing({engine}{}{})",
            if self.try_harder { ",harder" } else { "" },
            if self.also_inverted { ",+inv" } else { "" }
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
