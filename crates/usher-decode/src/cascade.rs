//! `Cascade`: an ordered list of (image transform, decoder) steps, tried until one reads a code.
//!
//! # How the default was chosen
//!
//! `cargo run --release --example corpus -- --compare --frames 200` on the project machine
//! (2 cores, one decoding thread, other builds sharing the machine). "zxing" = the six zxing
//! sets at 0/90/180/270 degrees (716 cases; goal 665 and the upstream per-set/rotation
//! thresholds); "cpp" = the six zxing-cpp sets (548 cases; upstream "fast" thresholds);
//! "per image" = decode time per corpus image; frames = 200 synthetic 1280x720 kiosk frames,
//! each with a zxing corpus photo pasted in at 360-600 px high, and 200 without a code
//! (gradient, blocks, sensor noise). Read rates are exact and repeatable; times are in ms,
//! median / p95, from runs at load average about 1.3 (a run at load 3-5 doubled the p95s).
//!
//! | cascade | zxing | cpp | per image | code frames read | code frame | empty frame |
//! |---|---|---|---|---|---|---|
//! | rxing cpp-port | 659 | 472 | 0.25 / 1.2 | 172/200 | 2.2 / 3.2 | 2.0-3.0 / 3.3 |
//! | rxing java-port | 612 (3 cells fail) | 385 | 0.28 / 1.2 | 162/200 | 2.6 / 3.8 | 2.3 / 2.8 |
//! | rxing both ports | 662 | 479 | 0.27 / 1.3 | 175/200 | 2.2 / 3.2 | 2.5 / 3.2 |
//! | rxing cpp-port + inverted | 659 | 480 | 0.26 / 1.2 | 172/200 | 2.1 / 2.5 | 2.0 / 2.4 |
//! | rxing both + inverted | 662 | 487 | 0.29 / 1.3 | 175/200 | 2.1 / 4.3 | 3.0 / 4.4 |
//! | same, TRY_HARDER | 662 | 487 | 0.27 / 1.3 | 178/200 | 2.3 / 5.0 | 4.0 / 5.3 |
//! | rqrr | 384 | 216 | 5.0 / 17 | 106/200 | 14.9 / 20 | 10.4 / 12.6 |
//! | both + inv > rqrr | 666 | 495 | 0.27 / 5.6 | 177/200 | 2.2 / 14.5 | 13.7 / 16.4 |
//! | both + inv > down2 both + inv | 662 | 488 | 0.27 / 1.2 | 179/200 | 2.0 / 6.7 | 5.0 / 6.4 |
//! | both + inv > up2 (<=400 px) | 668 | 495 | 0.28 / 6.4 | 175/200 | 2.0 / 4.5 | 3.0 / 4.3 |
//! | cpp + inv > down2 both + inv > small steps | 672 | 502 | 0.29 / 11.7 | 176/200 | 2.2 / 4.7 | 4.1 / 6.0 |
//! | **recommended** | **672** | **501** | 0.27 / 11.4 | 172/200 | 2.0 / 2.4 | 2.0 / 2.5 |
//!
//! The recommended cascade passes the 665 goal and every zxing and zxing-cpp threshold cell,
//! with no misread. On a 1280x720 frame it runs one rxing pass (C++-port detector, then the
//! same binarised image inverted, for light-on-dark codes): the cheapest pass that reads
//! inverted codes, well inside the budget (median 3 ms, p95 12 ms). The Java-port detector
//! on full frames reads 3 more of 200 code frames but costs about 1 ms on every empty frame
//! (median 3.0 ms: at the budget); TRY_HARDER reads 3-6 more but costs 2 ms on every empty
//! frame; rqrr costs 10+ ms a frame; downscaled retries cost 2-3 ms on empty frames. The
//! small-image steps (Java port, 2x upscale, rqrr, only for images of at most 400 px) lift
//! the corpus (mostly 240x240 photos) from 659 to 672 at no cost to camera frames: the
//! corpus score over-states what camera frames get by those 13 cases.
//!
//! Caveat: the frames are synthetic (corpus photos pasted over a generated scene), and the
//! empty-frame cost depends on how busy the real scene is: re-measure with real captures.
//!
//! # Kiosk frames against zxing-cpp (issue 17)
//!
//! `scripts/decode-bench` (README): 360 generated 1280x720 JPEG frames in 12 conditions plus
//! 40 without a code, the same frames read by zxing-cpp 3.1.1 (default options, QR only).
//! The table above is the corpus; on these frames the cascade above (now
//! [`Cascade::previous`]) read 301 of 360 against zxing-cpp's 319, behind it in 8 conditions
//! (far codes 20/21, defocus 17/20, low light 25/30, rotation 25/30, ...). Measured changes:
//!
//! - a second look ([`RxingDecoder::second_look`]: crop the regions where finder patterns
//!   pair into a code, upscale to about 4 px per module with Catmull-Rom, sharpen, read with
//!   both detectors): 301 -> 317; far codes 20 -> 26, rotation 25 -> 30, defocus 17 -> 20;
//!   no misread. Its cost is the finder search (every row) on frames where nothing was read.
//!   Searching the inverted image as well read nothing more; searching every fifth row only
//!   (rxing's fast mode) lost 9 reads (rotation, noise);
//! - a stretch of dark frames ([`Transform::StretchDark`], p99 under 100) read again:
//!   low light 25 -> 29 (317 -> 321), and nothing on frames lit normally (a second look
//!   on the stretched frame read no more);
//! - the second look widened (issue 17, second round): where no three finder patterns
//!   form a code, a pair of alike ones (the third lost under a glare, a finger or blur) marks
//!   the region of every square the pair could belong to; the inverted binary image is
//!   searched for patterns too (light-on-dark codes ring the other way); overlapping regions
//!   are merged into one; and each region is read twice: sharpened, then in black and white
//!   at the local mean of a box five modules wide ([`GreyFrame::thresholded`]), which follows
//!   a glare's falloff and low contrast where rxing's fixed 40-pixel neighbourhoods do not.
//!   321 -> 330 of 360 (glare 28 -> 30, light-on-dark 29 -> 30, low light 29 -> 30, far
//!   codes 26 -> 30), no misread; every condition at least zxing-cpp's. The same threshold
//!   over the whole frame as a third step (`recommended>mean21`) read 325 and cost 10-30 ms
//!   on every frame nothing was read in;
//! - cost: rxing's hybrid binariser, 22 of the 27 million instructions of a frame read on the
//!   first pass, is now computed a word at a time with the same bits
//!   (`binarize::FastHybrid`); the second look's upscale and sharpen are integer code instead
//!   of `image`'s float filters, and pairs of patterns larger than 8 px a module (posters,
//!   tiles) are not looked at. Per frame (callgrind, seed 17, instructions): median 27.5 M ->
//!   15.7 M, p95 184 M -> 48.8 M, p99 619 M -> 145 M, max 653 M -> 257 M (the widened look
//!   before these changes -> now); at the 10-17 M instructions per ms this machine runs
//!   them, about 1.0-1.6 ms median, 3-5 ms p95, 9-15 ms p99, 16-26 ms at most;
//! - the whole folder, loading included, one thread: 0.69-0.82 of zxing-cpp's CPU time in
//!   two runs (was 1.05-1.09). On a second seed (18, not tuned on) Usher read 342 of 360 against
//!   zxing-cpp's 329 but fewer in three conditions (motion 16/18, noise 29/30, tilt 29/30);
//!   a half-size read of large-module regions read none of those;
//! - across frames ([`crate::Tracker`]): the region seen without a read is looked at first and
//!   harder in the next frames. On clips of a pass raised to the camera (`kiosk clips`) it
//!   read the pass at the same frame as the single-frame cascade in all 30 clips (frame 11.2
//!   on average, 374 ms after the pass came into view): no earlier verdict, and the hard look
//!   costs time, so the kiosk's pipeline keeps the single-frame cascade;
//! - not done: combining two frames of a moving code.
//!
//! The corpus (`--example corpus`) stays ahead: 673/716 (was 672) and 501/548, every
//! threshold met, no misread. Times on a shared machine are only fair as ratios to zxing-cpp
//! in the same run; `scripts/decode-bench` prints them.

use std::fmt;

use image::imageops::FilterType;

use crate::decoder::{Decoder, Region, RqrrDecoder, RxingDecoder, RxingEngine, push_unique};
use crate::frame::GreyFrame;
use crate::isolate::guarded;

/// What a step does to the frame before decoding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    /// The frame as it is.
    Identity,
    /// The negative (for decoders that cannot invert by themselves).
    Invert,
    /// Box-downscaled by this factor; skipped when the result would be under 160 px on
    /// its short side. Helps with big, blurry or noisy codes.
    Downscale(u32),
    /// Upscaled (bilinear) by `factor`, only for frames whose long side is at most
    /// `max_side` (low-resolution crops or thumbnails); skipped for larger frames.
    UpscaleSmall {
        /// Scale factor.
        factor: u32,
        /// Largest long side the step applies to.
        max_side: u32,
    },
    /// The frame as it is, but only when its long side is at most this many pixels: for
    /// decoders too slow to run on every full camera frame.
    OnlySmall(u32),
    /// Only for dark frames (the 99th percentile of the histogram below this level): the
    /// levels stretched so the 1st..99th percentiles span 0..255, then a 3x3 box filter
    /// against the sensor noise of low light. Skipped for frames lit normally.
    StretchDark(u8),
    /// Black and white at the local mean ([`GreyFrame::thresholded`]): a box of `window`
    /// pixels, black when darker than its mean by more than `offset` where the box spans at
    /// least `min_range` levels. Reads glare, low contrast and uneven light.
    Threshold {
        /// Box side in pixels.
        window: u32,
        /// Levels below the mean a black pixel must be.
        offset: u8,
        /// Least range of levels around a black pixel.
        min_range: u8,
    },
}

impl Transform {
    /// The transformed frame, or `None` when the step does not apply to this frame.
    fn apply(&self, frame: &GreyFrame<'_>) -> Option<Option<GreyFrame<'static>>> {
        match *self {
            Transform::Identity => Some(None),
            Transform::Invert => Some(Some(frame.inverted())),
            Transform::Downscale(f) => {
                let f = f.max(1);
                (frame.width().min(frame.height()) / f >= 160).then(|| Some(frame.downscaled(f)))
            }
            Transform::OnlySmall(max_side) => {
                (frame.width().max(frame.height()) <= max_side).then_some(None)
            }
            Transform::StretchDark(below) => frame.stretched_if_dark(below).map(Some),
            Transform::Threshold {
                window,
                offset,
                min_range,
            } => Some(Some(frame.thresholded(window, offset, min_range))),
            Transform::UpscaleSmall { factor, max_side } => {
                (frame.width().max(frame.height()) <= max_side && factor > 1).then(|| {
                    let img = image::imageops::resize(
                        &frame.to_gray_image(),
                        frame.width() * factor,
                        frame.height() * factor,
                        FilterType::Triangle,
                    );
                    Some(GreyFrame::from_gray_image(img))
                })
            }
        }
    }
}

impl fmt::Display for Transform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Transform::Identity => Ok(()),
            Transform::Invert => write!(f, "invert/"),
            Transform::Downscale(n) => write!(f, "down{n}/"),
            Transform::UpscaleSmall { factor, max_side } => write!(f, "up{factor}<={max_side}/"),
            Transform::OnlySmall(max_side) => write!(f, "if<={max_side}/"),
            Transform::StretchDark(below) => write!(f, "stretch-if-p99<{below}/"),
            Transform::Threshold {
                window,
                offset,
                min_range,
            } => write!(f, "mean{window}-{offset}r{min_range}/"),
        }
    }
}

/// One step of a cascade.
pub struct Step {
    /// Applied to the frame first.
    pub transform: Transform,
    /// Then this decoder reads the result.
    pub decoder: Box<dyn Decoder>,
}

impl fmt::Debug for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.transform, self.decoder.name())
    }
}

impl fmt::Debug for Cascade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.steps).finish()
    }
}

/// Long side (pixels) up to which the recommended cascade's extra steps run.
pub const SMALL: u32 = 400;

/// A frame whose 99th percentile is under this level is dark: the recommended cascade
/// stretches its levels and reads it again.
pub const DARK: u8 = 100;

/// rxing without TRY_HARDER nor a second look.
fn plain(engine: RxingEngine, also_inverted: bool) -> RxingDecoder {
    RxingDecoder {
        engine,
        try_harder: false,
        also_inverted,
        second_look: false,
    }
}

/// Decoders tried in order; the first step that reads anything wins.
///
/// Every step runs under [`crate::isolate::guarded`]: a panicking step counts as "no code"
/// and the next step runs.
#[derive(Default)]
pub struct Cascade {
    steps: Vec<Step>,
}

impl Cascade {
    /// An empty cascade (reads nothing until steps are added).
    pub fn new() -> Self {
        Self { steps: Vec::new() }
    }

    /// Adds a step at the end.
    pub fn then(mut self, transform: Transform, decoder: impl Decoder + 'static) -> Self {
        self.steps.push(Step {
            transform,
            decoder: Box::new(decoder),
        });
        self
    }

    /// The cascade the benchmarks chose (see the module documentation for figures):
    ///
    /// 1. rxing, C++-port detector, normal then inverted, with a second look
    ///    ([`RxingDecoder::second_look`]) at up to two regions where finder patterns (three,
    ///    or two alike) form a code but nothing was read: sharpened, then thresholded at the
    ///    local mean (every frame);
    /// 2. dark frames only (99th percentile under 100): levels stretched and smoothed
    ///    ([`Transform::StretchDark`]), then rxing's C++-port detector, normal only;
    /// 3. frames of at most 400 px: rxing, Java-port detector, normal then inverted;
    /// 4. frames of at most 400 px, upscaled 2x: rxing, both detectors, normal and inverted;
    /// 5. frames of at most 400 px: rqrr.
    ///
    /// A 1280x720 camera frame runs step 1, and step 2 when it is dark; steps 3-5 serve small
    /// images (`usher scan` of files, crops, low-resolution cameras).
    pub fn recommended() -> Self {
        Self::recommended_first_steps().then_small_steps()
    }

    /// Steps 1 and 2 of [`Cascade::recommended`].
    fn recommended_first_steps() -> Self {
        let look = RxingDecoder {
            second_look: true,
            ..plain(RxingEngine::Cpp, true)
        };
        Self::new()
            .then(Transform::Identity, look)
            .then(Transform::StretchDark(DARK), plain(RxingEngine::Cpp, false))
    }

    /// The cascade recommended before the kiosk-frame benchmark (issue 17): step 1 without
    /// the second look, no dark-frame step; steps 3-5 as [`Cascade::recommended`].
    pub fn previous() -> Self {
        Self::new()
            .then(Transform::Identity, plain(RxingEngine::Cpp, true))
            .then_small_steps()
    }

    /// The steps for images of at most [`SMALL`] pixels: the Java-port detector, the image
    /// upscaled 2x with both detectors, rqrr.
    fn then_small_steps(self) -> Self {
        self.then(Transform::OnlySmall(SMALL), plain(RxingEngine::Java, true))
            .then(
                Transform::UpscaleSmall {
                    factor: 2,
                    max_side: SMALL,
                },
                plain(RxingEngine::Both, true),
            )
            .then(Transform::OnlySmall(SMALL), RqrrDecoder::default())
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Decodes and also says which step (index into [`Cascade::steps`]) read the code.
    pub fn decode_with_step(&self, frame: &GreyFrame<'_>) -> Option<(usize, Vec<String>)> {
        self.decode_seeing(frame, &mut Vec::new())
    }

    /// [`Cascade::decode_with_step`], noting in `seen` the code-like regions of steps that
    /// keep the frame's geometry (not the scaled ones).
    fn decode_seeing(
        &self,
        frame: &GreyFrame<'_>,
        seen: &mut Vec<Region>,
    ) -> Option<(usize, Vec<String>)> {
        for (i, step) in self.steps.iter().enumerate() {
            let Some(transformed) = step.transform.apply(frame) else {
                continue;
            };
            let input = transformed.as_ref().unwrap_or(frame);
            let name = step.decoder.name();
            let same_geometry = !matches!(
                step.transform,
                Transform::Downscale(_) | Transform::UpscaleSmall { .. }
            );
            let mut noted = Vec::new();
            let found = guarded(&name, || step.decoder.decode_noting(input, &mut noted));
            if same_geometry {
                seen.extend(noted);
            }
            if !found.is_empty() {
                let mut out = Vec::with_capacity(found.len());
                for t in found {
                    push_unique(&mut out, t);
                }
                return Some((i, out));
            }
        }
        None
    }
}

impl Decoder for Cascade {
    fn name(&self) -> String {
        let parts: Vec<String> = self
            .steps
            .iter()
            .map(|s| format!("{}{}", s.transform, s.decoder.name()))
            .collect();
        parts.join(" > ")
    }

    fn decode(&self, frame: &GreyFrame<'_>) -> Vec<String> {
        self.decode_with_step(frame)
            .map(|(_, found)| found)
            .unwrap_or_default()
    }

    fn decode_noting(&self, frame: &GreyFrame<'_>, seen: &mut Vec<Region>) -> Vec<String> {
        self.decode_seeing(frame, seen)
            .map(|(_, found)| found)
            .unwrap_or_default()
    }
}

/// Named cascades the benchmark compares (`name`, cascade).
pub fn candidates() -> Vec<(&'static str, Cascade)> {
    let rx = |engine, try_harder, also_inverted| RxingDecoder {
        engine,
        try_harder,
        also_inverted,
        second_look: false,
    };
    let both_inv = || rx(RxingEngine::Both, false, true);
    let up2 = Transform::UpscaleSmall {
        factor: 2,
        max_side: 400,
    };
    let one = |d: RxingDecoder| Cascade::new().then(Transform::Identity, d);
    vec![
        ("rxing-cpp", one(rx(RxingEngine::Cpp, false, false))),
        ("rxing-java", one(rx(RxingEngine::Java, false, false))),
        ("rxing-both", one(rx(RxingEngine::Both, false, false))),
        ("rxing-cpp+inv", one(rx(RxingEngine::Cpp, false, true))),
        ("rxing-both+inv", one(both_inv())),
        (
            "rxing-both+inv-harder",
            one(rx(RxingEngine::Both, true, true)),
        ),
        (
            "rqrr",
            Cascade::new().then(Transform::Identity, RqrrDecoder::default()),
        ),
        (
            "rxing+inv>rqrr",
            one(both_inv()).then(Transform::Identity, RqrrDecoder::default()),
        ),
        (
            "rxing+inv>down2",
            one(both_inv()).then(Transform::Downscale(2), both_inv()),
        ),
        ("rxing+inv>up2", one(both_inv()).then(up2, both_inv())),
        (
            "rxing+inv>up2>rqrr-small",
            one(both_inv())
                .then(up2, both_inv())
                .then(Transform::OnlySmall(400), RqrrDecoder::default()),
        ),
        (
            "cpp+inv>down2:both+inv>small:java+inv>small:up2>small:rqrr",
            one(rx(RxingEngine::Cpp, false, true))
                .then(Transform::Downscale(2), both_inv())
                .then(
                    Transform::OnlySmall(400),
                    rx(RxingEngine::Java, false, true),
                )
                .then(up2, both_inv())
                .then(Transform::OnlySmall(400), RqrrDecoder::default()),
        ),
        (
            "cpp+inv>down2:cpp+inv>small:java+inv>small:up2>small:rqrr",
            one(rx(RxingEngine::Cpp, false, true))
                .then(Transform::Downscale(2), rx(RxingEngine::Cpp, false, true))
                .then(
                    Transform::OnlySmall(400),
                    rx(RxingEngine::Java, false, true),
                )
                .then(up2, both_inv())
                .then(Transform::OnlySmall(400), RqrrDecoder::default()),
        ),
        ("previous", Cascade::previous()),
        ("recommended", Cascade::recommended()),
        (
            "recommended>mean21",
            Cascade::recommended_first_steps()
                .then(
                    Transform::Threshold {
                        window: 21,
                        offset: 0,
                        min_range: 16,
                    },
                    plain(RxingEngine::Cpp, true),
                )
                .then_small_steps(),
        ),
        (
            "cpp+inv+look-again>small",
            Cascade::new()
                .then(
                    Transform::Identity,
                    RxingDecoder {
                        second_look: true,
                        ..rx(RxingEngine::Cpp, false, true)
                    },
                )
                .then(
                    Transform::OnlySmall(SMALL),
                    rx(RxingEngine::Java, false, true),
                )
                .then(
                    Transform::UpscaleSmall {
                        factor: 2,
                        max_side: SMALL,
                    },
                    both_inv(),
                )
                .then(Transform::OnlySmall(SMALL), RqrrDecoder::default()),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Panicker;
    impl Decoder for Panicker {
        fn name(&self) -> String {
            "panicker".into()
        }
        fn decode(&self, _: &GreyFrame<'_>) -> Vec<String> {
            panic!("this decoder panics on purpose")
        }
    }

    struct Fixed(&'static str);
    impl Decoder for Fixed {
        fn name(&self) -> String {
            "fixed".into()
        }
        fn decode(&self, _: &GreyFrame<'_>) -> Vec<String> {
            vec![self.0.to_owned(), self.0.to_owned()]
        }
    }

    #[test]
    fn a_panicking_step_is_skipped_and_counted() {
        let frame = GreyFrame::from_vec(2, 2, vec![0; 4]).expect("valid");
        let before = crate::panics();
        let c = Cascade::new()
            .then(Transform::Identity, Panicker)
            .then(Transform::Invert, Fixed("hello"));
        assert_eq!(
            c.decode_with_step(&frame),
            Some((1, vec!["hello".to_owned()]))
        );
        assert!(crate::panics() > before);
        let only_panics = Cascade::new().then(Transform::Identity, Panicker);
        assert!(only_panics.decode(&frame).is_empty());
    }

    #[test]
    fn steps_that_do_not_apply_are_skipped() {
        let frame = GreyFrame::from_vec(100, 100, vec![0; 10_000]).expect("valid");
        let c = Cascade::new()
            .then(Transform::Downscale(2), Fixed("small"))
            .then(
                Transform::UpscaleSmall {
                    factor: 2,
                    max_side: 50,
                },
                Fixed("big"),
            );
        assert!(c.decode(&frame).is_empty());
    }
}
