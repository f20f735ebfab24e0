//! Where the codes of a frame sit: each QR code read, with the corners rxing found for it
//! (what the kiosk's preview outlines while the code is judged).
//!
//! [`locate`] runs rxing's C++-port reader once (normal, then inverted), so it costs about one
//! decode: the kiosk calls it only on frames where the cascade already read a code, at most
//! as often as it draws its preview. Panics are isolated like every decoder call
//! ([`crate::isolate::guarded`]).

use std::collections::HashSet;

use rxing::common::HybridBinarizer;
use rxing::multi::MultipleBarcodeReader;
use rxing::qrcode::cpp_port::QrReader;
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8Source};

use crate::frame::GreyFrame;
use crate::isolate::guarded;

/// A code read and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// Its text.
    pub text: String,
    /// The points rxing gives for it, in frame pixels: for a QR code its four corners, in
    /// order around the code (top left, top right, bottom right, bottom left as printed).
    pub points: Vec<(f32, f32)>,
}

/// The codes on `frame` with their corners (none when nothing is read).
pub fn locate(frame: &GreyFrame<'_>) -> Vec<Located> {
    let mut located = Vec::new();
    // `guarded` speaks in texts; the points are carried out beside them.
    guarded("locate", || {
        located = run(frame);
        Vec::new()
    });
    located
}

fn run(frame: &GreyFrame<'_>) -> Vec<Located> {
    let pixels = frame.pixels();
    let Ok(source) = Luma8Source::new_with_slice(&pixels, frame.width(), frame.height()) else {
        return Vec::new();
    };
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let hints = DecodeHints {
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
        ..DecodeHints::default()
    };
    for inverted in [false, true] {
        if inverted {
            bitmap.invert();
        }
        if let Ok(results) = QrReader.decode_multiple_with_hints(&mut bitmap, &hints)
            && !results.is_empty()
        {
            return results
                .iter()
                .map(|r| Located {
                    text: r.getText().to_owned(),
                    points: r.getPoints().iter().map(|p| (p.x, p.y)).collect(),
                })
                .collect();
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, Luma};

    /// A 640x360 frame with a QR code of `text`, 4-pixel modules, its top-left corner at (x, y).
    fn frame_with_code(text: &str, x: u32, y: u32, dark_mode: bool) -> (GreyFrame<'static>, u32) {
        let code = qrcode::QrCode::new(text.as_bytes()).expect("code");
        let qr = code
            .render::<Luma<u8>>()
            .quiet_zone(false)
            .module_dimensions(4, 4)
            .build();
        let side = qr.width();
        let mut img = GrayImage::from_pixel(640, 360, Luma([230]));
        image::imageops::overlay(&mut img, &qr, i64::from(x), i64::from(y));
        if dark_mode {
            image::imageops::invert(&mut img);
        }
        (GreyFrame::from_gray_image(img), side)
    }

    #[test]
    fn a_code_is_found_with_its_four_corners_around_it() {
        let (frame, side) = frame_with_code("https://u.example/p?j=1", 300, 100, false);
        let found = locate(&frame);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].text, "https://u.example/p?j=1");
        let points = &found[0].points;
        assert_eq!(points.len(), 4, "{points:?}");
        let (x0, y0, x1, y1) = (300.0, 100.0, (300 + side) as f32, (100 + side) as f32);
        for &(x, y) in points {
            assert!(
                (x - x0).abs().min((x - x1).abs()) < 6.0
                    && (y - y0).abs().min((y - y1).abs()) < 6.0,
                "({x}, {y}) is no corner of ({x0}, {y0})-({x1}, {y1})"
            );
        }
    }

    #[test]
    fn a_light_on_dark_code_is_found_and_an_empty_frame_gives_nothing() {
        let (frame, _) = frame_with_code("dark", 40, 40, true);
        assert_eq!(locate(&frame).len(), 1);
        let empty = GreyFrame::from_gray_image(GrayImage::from_pixel(64, 64, Luma([128])));
        assert!(locate(&empty).is_empty());
    }
}
