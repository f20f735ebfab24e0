//! The camera preview: a small copy of the frame the decoder already has, for the ready screen.
//!
//! On the scan thread, a [`Publisher`] takes at most one frame per [`MIN_INTERVAL_MS`] (15 a
//! second): it shrinks it to about [`WIDTH`] pixels wide ([`downscale`], grey, mirrored when
//! `<mirrorPreview>` says so), adds the outline of each code read on it and what the demo feed
//! is presenting, and puts it in the [`Slot`]. The UI thread takes the newest frame from the
//! slot without ever waiting ([`Slot::newer_than`]: an atomic sequence number first, then a
//! `try_lock`), and uploads it as a texture at most as often, through its own [`RateGate`].
//! Everything here is pure but the slot; times are milliseconds from the caller's clock.

use crate::camera::demo::Showing;
use crate::kiosk::Millis;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, TryLockError};
use usher_decode::GreyFrame;
use usher_decode::locate::Located;

/// The preview's width in pixels (a frame narrower than twice this keeps its own width).
pub const WIDTH: u32 = 320;

/// The least time between two preview frames (and two texture uploads): 7 a second. Each
/// preview frame repaints the whole window; on a kiosk without a GPU (Mesa's software
/// renderer) a 1280x720 repaint costs about 2.4 % of a core per frame a second, so 15 a second
/// put the kiosk at 52 % of a core and 7 a second keeps it under the 35 % budget
/// (`scripts/kiosk-load`: 17.6 % with the preview off, 32.8 % at 7, 41.8 % at 10).
pub const MIN_INTERVAL_MS: Millis = 143;

/// A point in the preview, as fractions of its width and height (0..=1, left/top = 0).
pub type Point = [f32; 2];

/// One preview frame: grey pixels, row by row, already mirrored if asked.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewFrame {
    /// Counts the frames published, from 1.
    pub seq: u64,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height` grey values.
    pub grey: Vec<u8>,
    /// The outline of each code read on this frame: its corners in order, mirrored like the
    /// pixels.
    pub outlines: Vec<Vec<Point>>,
    /// What the demo feed presents in this frame (`None`: not the demo feed).
    pub showing: Option<Showing>,
}

/// `frame` shrunk by a whole factor to about `width` pixels wide (each pixel the mean of a
/// factor x factor block; a frame narrower than twice `width` keeps its size), flipped left to
/// right when `mirror`. Returns width, height and pixels.
pub fn downscale(frame: &GreyFrame<'_>, width: u32, mirror: bool) -> (u32, u32, Vec<u8>) {
    let f = (frame.width() / width.max(1)).max(1);
    let (w, h) = ((frame.width() / f).max(1), (frame.height() / f).max(1));
    let mut out = vec![0u8; w as usize * h as usize];
    let mut acc = vec![0u32; w as usize];
    // A frame less than a block high averages the rows it has.
    let rows = f.min(frame.height()).max(1);
    let area = f * rows;
    for (oy, row_out) in out.chunks_exact_mut(w as usize).enumerate() {
        acc.fill(0);
        for dy in 0..rows {
            let row = frame.row(oy as u32 * f + dy);
            for (a, block) in acc.iter_mut().zip(row.chunks_exact(f as usize)) {
                *a += block.iter().map(|&v| u32::from(v)).sum::<u32>();
            }
        }
        let means = acc.iter().map(|&a| (a / area) as u8);
        if mirror {
            row_out
                .iter_mut()
                .rev()
                .zip(means)
                .for_each(|(o, m)| *o = m);
        } else {
            row_out.iter_mut().zip(means).for_each(|(o, m)| *o = m);
        }
    }
    (w, h, out)
}

/// A code's points in frame pixels as fractions of a frame `width` x `height`, mirrored like
/// the pixels when `mirror`, in order around their middle (a decoder may give the corners in
/// any order: drawn as given they could cross); `None` for fewer than three points.
pub fn outline(points: &[(f32, f32)], width: u32, height: u32, mirror: bool) -> Option<Vec<Point>> {
    if points.len() < 3 {
        return None;
    }
    let (w, h) = (width.max(1) as f32, height.max(1) as f32);
    let mut out: Vec<Point> = points
        .iter()
        .map(|&(x, y)| {
            let fx = (x / w).clamp(0.0, 1.0);
            [if mirror { 1.0 - fx } else { fx }, (y / h).clamp(0.0, 1.0)]
        })
        .collect();
    let n = out.len() as f32;
    let (mx, my) = out
        .iter()
        .fold((0.0, 0.0), |(sx, sy), [x, y]| (sx + x / n, sy + y / n));
    let angle = |[x, y]: &Point| (y - my).atan2(x - mx);
    out.sort_by(|a, b| angle(a).total_cmp(&angle(b)));
    Some(out)
}

/// Lets something happen at most once per interval: due when it never happened, or when the
/// interval has passed since it last did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateGate {
    interval: Millis,
    last: Option<Millis>,
}

impl RateGate {
    /// A gate opening once per `interval` milliseconds.
    pub fn new(interval: Millis) -> Self {
        RateGate {
            interval,
            last: None,
        }
    }

    /// Milliseconds until it is due at `now` (0: due now).
    pub fn wait(&self, now: Millis) -> Millis {
        self.last
            .map_or(0, |last| (last + self.interval).saturating_sub(now))
    }

    /// Whether it is due at `now`; if so, the interval starts again from `now`.
    pub fn pass(&mut self, now: Millis) -> bool {
        // A clock that went back (a new origin) opens the gate rather than closing it for good.
        let due = self.wait(now) == 0 || self.last.is_some_and(|last| now < last);
        if due {
            self.last = Some(now);
        }
        due
    }
}

/// Where the scan thread leaves the newest preview frame for the UI thread.
///
/// The UI never waits on it: it reads the atomic sequence number, and takes the frame only
/// when it is newer and the lock is free (else it tries again at its next frame). The scan
/// thread holds the lock only to swap an `Arc`. The UI also says whether it shows the preview
/// now ([`Slot::want`]), so the scan thread makes no frames while a verdict is on screen.
#[derive(Debug, Clone)]
pub struct Slot {
    /// The sequence number of the newest change and the frame it left (`None`: cleared).
    held: Arc<Mutex<Changed>>,
    seq: Arc<AtomicU64>,
    wanted: Arc<AtomicBool>,
}

/// A change of the slot: its sequence number and the frame it left (`None`: cleared).
pub type Changed = (u64, Option<Arc<PreviewFrame>>);

impl Default for Slot {
    fn default() -> Self {
        Slot {
            held: Arc::default(),
            seq: Arc::default(),
            wanted: Arc::new(AtomicBool::new(true)),
        }
    }
}

impl Slot {
    fn change(&self, frame: Option<PreviewFrame>) {
        let mut held = self
            .held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let seq = held.0 + 1;
        *held = (
            seq,
            frame.map(|mut f| {
                f.seq = seq;
                Arc::new(f)
            }),
        );
        self.seq.store(seq, Ordering::Release);
    }

    /// Leaves `frame` for the UI (replacing one it has not taken), numbered.
    pub fn publish(&self, frame: PreviewFrame) {
        self.change(Some(frame));
    }

    /// Takes the frame away (the camera was lost: no stale picture stays on screen).
    pub fn clear(&self) {
        self.change(None);
    }

    /// The sequence number of the newest change (0: nothing published yet).
    pub fn seq(&self) -> u64 {
        self.seq.load(Ordering::Acquire)
    }

    /// The newest change, if there was one since `seen` and the lock is free now. Never waits.
    pub fn newer_than(&self, seen: u64) -> Option<Changed> {
        if self.seq() == seen {
            return None;
        }
        match self.held.try_lock() {
            Ok(held) => Some(held.clone()),
            Err(TryLockError::Poisoned(p)) => Some(p.into_inner().clone()),
            Err(TryLockError::WouldBlock) => None,
        }
    }

    /// The UI shows the preview now (`true`) or not (a verdict, an overlay).
    pub fn want(&self, shown: bool) {
        self.wanted.store(shown, Ordering::Relaxed);
    }

    /// Whether the UI shows the preview now.
    pub fn wanted(&self) -> bool {
        self.wanted.load(Ordering::Relaxed)
    }
}

/// The scan thread's side: which frames become preview frames, and making them.
#[derive(Debug)]
pub struct Publisher {
    slot: Slot,
    mirror: bool,
    width: u32,
    gate: RateGate,
}

impl Publisher {
    /// Publishes into `slot`, mirrored when `mirror`.
    pub fn new(slot: Slot, mirror: bool) -> Self {
        Publisher {
            slot,
            mirror,
            width: WIDTH,
            gate: RateGate::new(MIN_INTERVAL_MS),
        }
    }

    /// Whether a frame captured at `now` becomes a preview frame (at most one per
    /// [`MIN_INTERVAL_MS`], and only while the UI shows the preview); if so, the caller calls
    /// [`Publisher::publish`] with it.
    pub fn due(&mut self, now: Millis) -> bool {
        self.slot.wanted() && self.gate.pass(now)
    }

    /// Makes the preview frame of `grey`, with the outline of each code in `located`, and
    /// leaves it in the slot.
    pub fn publish(&self, grey: &GreyFrame<'_>, located: &[Located], showing: Option<Showing>) {
        let (width, height, pixels) = downscale(grey, self.width, self.mirror);
        let outlines = located
            .iter()
            .filter_map(|l| outline(&l.points, grey.width(), grey.height(), self.mirror))
            .collect();
        self.slot.publish(PreviewFrame {
            seq: 0,
            width,
            height,
            grey: pixels,
            outlines,
            showing,
        });
    }

    /// The camera is gone: no preview until frames come again.
    pub fn clear(&self) {
        self.slot.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(w: u32, h: u32, f: impl Fn(u32, u32) -> u8) -> GreyFrame<'static> {
        GreyFrame::from_gray_image(image::GrayImage::from_fn(w, h, |x, y| {
            image::Luma([f(x, y)])
        }))
    }

    #[test]
    fn a_720p_frame_becomes_320_by_180_of_block_means() {
        // Columns 0..4 are 0, 4..8 are 100, and so on: each output pixel is one block's mean.
        let f = frame(
            1280,
            720,
            |x, y| if (x / 4 + y / 4) % 2 == 0 { 0 } else { 200 },
        );
        let (w, h, px) = downscale(&f, WIDTH, false);
        assert_eq!((w, h, px.len()), (320, 180, 320 * 180));
        assert_eq!(&px[..4], &[0, 200, 0, 200]);
        assert_eq!(px[320], 200, "the second row starts with the other colour");
        // Within a block the mean is exact: 2x2 of 10, 20, 30, 40 -> 25.
        let f = frame(4, 2, |x, y| (10 * (1 + x % 2 + 2 * y)) as u8);
        assert_eq!(downscale(&f, 2, false), (2, 1, vec![25, 25]));
    }

    #[test]
    fn mirroring_flips_each_row_and_a_small_frame_keeps_its_size() {
        let f = frame(6, 2, |x, y| (x + 10 * y) as u8);
        let (w, h, plain) = downscale(&f, 320, false);
        assert_eq!((w, h), (6, 2));
        assert_eq!(plain, [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]);
        let (_, _, mirrored) = downscale(&f, 320, true);
        assert_eq!(mirrored, [5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10]);
        // 1920x1080: factor 6, 320x180; 640x480: factor 2.
        assert_eq!(downscale(&frame(1920, 1080, |_, _| 9), 320, true).0, 320);
        let (w, h, _) = downscale(&frame(640, 480, |_, _| 9), 320, false);
        assert_eq!((w, h), (320, 240));
    }

    #[test]
    fn outlines_are_fractions_mirrored_like_the_pixels() {
        // Corners given crosswise (top left, top right, bottom left, bottom right) come out in
        // order around the code: top left, top right, bottom right, bottom left.
        let corners = [(100.0, 50.0), (300.0, 50.0), (100.0, 250.0), (300.0, 250.0)];
        let plain = outline(&corners, 400, 500, false).expect("outline");
        assert_eq!(plain, [[0.25, 0.1], [0.75, 0.1], [0.75, 0.5], [0.25, 0.5]]);
        let mirrored = outline(&corners, 400, 500, true).expect("outline");
        assert_eq!(
            mirrored,
            [[0.25, 0.1], [0.75, 0.1], [0.75, 0.5], [0.25, 0.5]]
        );
        assert_eq!(outline(&corners[..2], 400, 500, false), None);
        let outside = outline(&[(-5.0, 0.0), (900.0, 0.0), (0.0, 9e9)], 400, 500, false);
        let outside = outside.expect("clamped");
        assert!(
            outside.contains(&[0.0, 1.0]) && outside.contains(&[1.0, 0.0]),
            "{outside:?}"
        );
    }

    #[test]
    fn the_gate_opens_at_most_once_per_interval() {
        let mut gate = RateGate::new(66);
        // Frames at 30 a second (every 33 ms) through a 66 ms gate: every other one passes.
        let passed: Vec<Millis> = (0..10)
            .map(|i| 1_000 + i * 33)
            .filter(|&t| gate.pass(t))
            .collect();
        assert_eq!(passed, [1_000, 1_066, 1_132, 1_198, 1_264]);
        assert_eq!(gate.wait(1_264 + 10), 56);
        assert_eq!(gate.wait(1_264 + 66), 0);
        // A second of frames at 60 a second passes 7 through the kiosk's gate.
        let mut gate = RateGate::new(MIN_INTERVAL_MS);
        let n = (0..60).filter(|i| gate.pass(i * 1_000 / 60)).count();
        assert_eq!(n, 7);
        // A clock starting again from 0 does not close the gate for good.
        assert!(gate.pass(5));
    }

    #[test]
    fn the_slot_hands_over_only_newer_frames_and_a_clear() {
        let slot = Slot::default();
        assert_eq!(slot.newer_than(0), None, "nothing yet");
        let publisher = Publisher::new(slot.clone(), true);
        let grey = frame(640, 360, |x, _| if x < 320 { 0 } else { 255 });
        let code = Located {
            text: "t".into(),
            points: vec![(0.0, 0.0), (64.0, 0.0), (64.0, 36.0), (0.0, 36.0)],
        };
        publisher.publish(&grey, &[code], Some(Showing::Expired));
        let (seq, got) = slot.newer_than(0).expect("a change");
        let got = got.expect("a frame");
        assert_eq!((seq, got.seq, got.width, got.height), (1, 1, 320, 180));
        assert_eq!((got.grey[0], got.grey[319]), (255, 0), "mirrored");
        assert!(got.outlines[0].contains(&[1.0, 0.0]), "mirrored outline");
        assert_eq!(got.showing, Some(Showing::Expired));
        assert_eq!(slot.newer_than(seq), None, "seen already");
        // While the scan thread holds the lock, the UI gets nothing and does not wait.
        let held = slot.held.lock().expect("lock");
        slot.seq.fetch_add(1, Ordering::Release);
        assert_eq!(slot.newer_than(1), None);
        drop(held);
        publisher.clear();
        assert_eq!(slot.newer_than(1), Some((2, None)), "cleared");
    }

    #[test]
    fn no_frames_are_made_while_the_ui_does_not_show_the_preview() {
        let slot = Slot::default();
        let mut publisher = Publisher::new(slot.clone(), false);
        assert!(publisher.due(0), "wanted from the start");
        slot.want(false);
        assert!(!publisher.due(1_000));
        slot.want(true);
        assert!(publisher.due(1_001));
    }
}
