//! `Tracker`: reading a camera's frames one after another. A kiosk sees the same pass for
//! many frames while it is raised, blurred at first; where a frame showed a code-like region
//! but nothing was read, the next frames look there first and harder (the region grown for
//! the movement, scaled, sharpened and thresholded at three box sizes, both of rxing's
//! detectors), then run the whole cascade.
//!
//! Measured, not assumed (`cargo run --release -p usher-decode --example kiosk -- clips`):
//! on 30 clips of a pass raised to the camera it read the pass at the same frame as the
//! single-frame cascade in every clip, and the hard look costs decode time; the kiosk's
//! pipeline keeps the single-frame cascade.

use crate::cascade::Cascade;
use crate::decoder::{Decoder, Region, RxingDecoder, RxingEngine};
use crate::frame::GreyFrame;
use crate::isolate::guarded;

/// Frames a region seen without a read is looked at first, at most.
pub const REMEMBER_FRAMES: u32 = 15;

/// How much a remembered region grows on every side (a code moves between frames).
const GROWTH: f32 = 0.25;

/// Local threshold boxes (modules wide) of the hard look at a remembered region.
const HARD_WINDOWS: [f32; 3] = [3.0, 5.0, 8.0];

/// A cascade with a memory of where a code seemed to be in the last frames.
#[derive(Debug)]
pub struct Tracker {
    cascade: Cascade,
    /// The region seen last without a read, and the frames it is still looked at first.
    last: Option<(Region, u32)>,
    hard: RxingDecoder,
}

impl Tracker {
    /// A tracker reading with `cascade` ([`Cascade::recommended`] in the kiosk).
    pub fn new(cascade: Cascade) -> Self {
        Self {
            cascade,
            last: None,
            hard: RxingDecoder {
                engine: RxingEngine::Both,
                try_harder: true,
                also_inverted: true,
                second_look: false,
            },
        }
    }

    /// The texts read from this frame (as [`Decoder::decode`]), trying the remembered region
    /// first.
    pub fn read(&mut self, frame: &GreyFrame<'_>) -> Vec<String> {
        if let Some((region, left)) = self.last {
            let r = region.grown(GROWTH, frame.width(), frame.height());
            let found = guarded("tracker", || self.hard.look_at(frame, r, &HARD_WINDOWS));
            if !found.is_empty() {
                self.last = None;
                return found;
            }
            self.last = (left > 1).then_some((region, left - 1));
        }
        let mut seen = Vec::new();
        let found = self.cascade.decode_noting(frame, &mut seen);
        if found.is_empty() {
            if let Some(&r) = seen.first() {
                self.last = Some((r, REMEMBER_FRAMES));
            }
        } else {
            self.last = None;
        }
        found
    }

    /// Forgets the remembered region (the pass was read, or the scene changed).
    pub fn forget(&mut self) {
        self.last = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, Luma};

    const TEXT: &str = "https://u.example/p#tracker-test-pass";

    /// A 640x480 frame with `TEXT`'s code at 4 px per module; with `scrambled`, every module
    /// outside the three finder corners is flipped (patterns stay, nothing decodes).
    fn frame(scrambled: bool) -> GreyFrame<'static> {
        let code = qrcode::QrCode::with_error_correction_level(TEXT, qrcode::EcLevel::M)
            .expect("encodable");
        let n = code.width();
        let colours = code.to_colors();
        let mut img = GrayImage::from_pixel(640, 480, Luma([200]));
        let (ox, oy, m) = (200u32, 120u32, 4u32);
        for (i, c) in colours.iter().enumerate() {
            let (x, y) = (i % n, i / n);
            let (near_left, near_top) = (x < 8, y < 8);
            let corner = (near_top && (near_left || x >= n - 8)) || (near_left && y >= n - 8);
            let dark = (*c == qrcode::Color::Dark) != (scrambled && !corner && (x + y) % 3 == 0);
            if dark {
                for dy in 0..m {
                    for dx in 0..m {
                        img.put_pixel(ox + x as u32 * m + dx, oy + y as u32 * m + dy, Luma([30]));
                    }
                }
            }
        }
        GreyFrame::from_gray_image(img)
    }

    #[test]
    fn a_code_is_read_as_the_cascade_reads_it_and_nothing_is_remembered() {
        let mut tracker = Tracker::new(Cascade::recommended());
        assert_eq!(tracker.read(&frame(false)), vec![TEXT.to_owned()]);
        assert!(tracker.last.is_none());
    }

    #[test]
    fn a_code_like_region_without_a_read_is_looked_at_first_for_a_while() {
        let mut tracker = Tracker::new(Cascade::recommended());
        assert!(tracker.read(&frame(true)).is_empty());
        let (region, left) = tracker
            .last
            .expect("the finder patterns' region is remembered");
        assert_eq!(left, REMEMBER_FRAMES);
        assert!(region.x0 <= 200 && region.x1 >= 300, "{region:?}");
        // Blank frames: the region is looked at first, and forgotten after REMEMBER_FRAMES.
        let blank = GreyFrame::from_vec(640, 480, vec![200; 640 * 480]).expect("valid");
        for _ in 0..REMEMBER_FRAMES {
            assert!(tracker.read(&blank).is_empty());
        }
        assert!(tracker.last.is_none());
        // Seen again, then read: the memory goes once the code is read.
        assert!(tracker.read(&frame(true)).is_empty());
        assert_eq!(tracker.read(&frame(false)), vec![TEXT.to_owned()]);
        assert!(tracker.last.is_none());
        tracker.read(&frame(true));
        tracker.forget();
        assert!(tracker.last.is_none());
    }
}
