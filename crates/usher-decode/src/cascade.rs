//! `Cascade`: an ordered list of (image transform, decoder) steps, tried until one reads a code.
//!
//! DEFAULT_CASCADE_DOC
use std::fmt;

use image::imageops::FilterType;

use crate::decoder::{Decoder, RqrrDecoder, RxingDecoder, RxingEngine, push_unique};
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
}

impl Transform {
    /// The transformed frame, or `None` when the step does not apply to this frame.
    fn apply<'f>(&self, frame: &'f GreyFrame<'_>) -> Option<Option<GreyFrame<'static>>> {
        match *self {
            Transform::Identity => Some(None),
            Transform::Invert => Some(Some(frame.inverted())),
            Transform::Downscale(f) => {
                let f = f.max(1);
                (frame.width().min(frame.height()) / f >= 160).then(|| Some(frame.downscaled(f)))
            }
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

    /// The cascade the corpus benchmark chose (see the module documentation).
    pub fn recommended() -> Self {
        Self::new()
            .then(Transform::Identity, RxingDecoder::default())
            .then(Transform::Identity, RqrrDecoder::default())
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Decodes and also says which step (index into [`Cascade::steps`]) read the code.
    pub fn decode_with_step(&self, frame: &GreyFrame<'_>) -> Option<(usize, Vec<String>)> {
        for (i, step) in self.steps.iter().enumerate() {
            let Some(transformed) = step.transform.apply(frame) else {
                continue;
            };
            let input = transformed.as_ref().unwrap_or(frame);
            let name = step.decoder.name();
            let found = guarded(&name, || step.decoder.decode(input));
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
}

/// Named cascades the benchmark compares (`name`, constructor).
pub fn candidates() -> Vec<(&'static str, Cascade)> {
    let rx = |engine, try_harder, also_inverted| RxingDecoder {
        engine,
        try_harder,
        also_inverted,
    };
    vec![
        (
            "rxing-cpp",
            Cascade::new().then(Transform::Identity, rx(RxingEngine::Cpp, false, false)),
        ),
        (
            "rxing-java",
            Cascade::new().then(Transform::Identity, rx(RxingEngine::Java, false, false)),
        ),
        (
            "rxing-both",
            Cascade::new().then(Transform::Identity, rx(RxingEngine::Both, false, false)),
        ),
        (
            "rxing-both+inv",
            Cascade::new().then(Transform::Identity, rx(RxingEngine::Both, false, true)),
        ),
        (
            "rxing-both+inv-harder",
            Cascade::new().then(Transform::Identity, rx(RxingEngine::Both, true, true)),
        ),
        (
            "rqrr",
            Cascade::new().then(Transform::Identity, RqrrDecoder::default()),
        ),
        ("recommended", Cascade::recommended()),
        (
            "rxing+inv>rqrr>up2",
            Cascade::new()
                .then(Transform::Identity, rx(RxingEngine::Both, false, true))
                .then(Transform::Identity, RqrrDecoder::default())
                .then(
                    Transform::UpscaleSmall {
                        factor: 2,
                        max_side: 400,
                    },
                    rx(RxingEngine::Both, false, true),
                ),
        ),
        (
            "rxing+inv>down2",
            Cascade::new()
                .then(Transform::Identity, rx(RxingEngine::Both, false, true))
                .then(Transform::Downscale(2), rx(RxingEngine::Both, false, true)),
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
        assert_eq!(c.decode_with_step(&frame), Some((1, vec!["hello".to_owned()])));
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
