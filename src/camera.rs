//! Frame sources: where the scanning pipeline gets grey frames.
//!
//! - [`DirSource`] (`--source dir:PATH`): the image files of a folder, played in a loop at a set
//!   rate (development, tests, benchmarks);
//! - [`DemoSource`] (`--source demo`, or when no camera is found): built-in frames showing every
//!   verdict, QR codes drawn in code;
//! - `CameraSource` (`--source camera[:N]`, feature `camera`): a camera through nokhwa 0.10, grey
//!   straight from the luma plane for YUYV and NV12, and only the luma plane of MJPEG frames decoded.
//!
//! A source blocks in [`FrameSource::next_frame`] for at most about one frame interval.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use usher_decode::GreyFrame;

/// One frame and when it was captured.
#[derive(Debug)]
pub struct Frame {
    /// The grey image, shared: sources that replay frames (`dir:`, demo) hand out the same
    /// pixels again instead of copying a megabyte per frame.
    pub grey: Arc<GreyFrame<'static>>,
    /// When it was captured (for the frame-to-verdict latency).
    pub captured: Instant,
}

/// Why a source gave no frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// The device went away (unplugged); the pipeline shows camera-lost and reopens it.
    #[error("camera lost: {0}")]
    Lost(String),
    /// No frame this time (a timeout); try again.
    #[error("no frame")]
    NoFrame,
}

/// Something that yields grey frames.
pub trait FrameSource: Send {
    /// A name for people ("dir:/x (12 images)", "camera 0: HD Webcam").
    fn name(&self) -> String;
    /// The next frame, blocking for at most about one frame interval.
    fn next_frame(&mut self) -> Result<Frame, SourceError>;
    /// Tries to open the device again after [`SourceError::Lost`].
    fn reopen(&mut self) -> Result<(), SourceError> {
        Ok(())
    }
    /// What the last frame presents, for a source that knows (the demo feed says which of
    /// its passes is in view, so the preview can tell a newcomer why its verdict follows).
    fn showing(&self) -> Option<demo::Showing> {
        None
    }
}

/// Paces a source to a frame rate.
#[derive(Debug)]
pub struct Pacer {
    interval: Duration,
    next: Option<Instant>,
}

impl Pacer {
    /// `fps` frames a second (at least 0.01).
    pub fn new(fps: f64) -> Self {
        Pacer {
            interval: Duration::from_secs_f64(1.0 / fps.max(0.01)),
            next: None,
        }
    }

    /// Sleeps until the next frame is due.
    pub fn wait(&mut self) {
        let now = Instant::now();
        let due = self.next.unwrap_or(now);
        if due > now {
            std::thread::sleep(due - now);
        }
        // Never build a backlog after a slow frame: the next is due one interval after this one.
        let base = if due + self.interval < now { now } else { due };
        self.next = Some(base + self.interval);
    }
}

/// The image files of a folder, in name order, played in a loop.
///
/// Each image is read and decoded when it is due, as a camera delivers each frame: memory stays
/// at one frame whatever the folder holds (decoding them all up front kept 0.9 MB of pixels per
/// 720p image resident for the whole run). Files that stop being readable are skipped and logged
/// once each.
pub struct DirSource {
    dir: PathBuf,
    files: Vec<PathBuf>,
    unreadable: Vec<bool>,
    at: usize,
    /// A frame already decoded (at start-up or on reopen) and not yet handed out.
    pending: Option<GreyFrame<'static>>,
    pacer: Pacer,
}

impl std::fmt::Debug for DirSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DirSource")
            .field("dir", &self.dir)
            .field("files", &self.files.len())
            .finish()
    }
}

impl DirSource {
    /// The images in `dir` to play at `fps`; fails when the folder cannot be listed or none of
    /// its images can be read.
    pub fn open(dir: &Path, fps: f64) -> anyhow::Result<Self> {
        use anyhow::Context as _;
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read the frame folder {}", dir.display()))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| usher_decode::bench::is_image(p))
            .collect();
        files.sort();
        let mut source = DirSource {
            dir: dir.to_owned(),
            unreadable: vec![false; files.len()],
            files,
            at: 0,
            pending: None,
            pacer: Pacer::new(fps),
        };
        // Read the first readable image now, so a folder of no usable images fails at start-up.
        source.pending = source.read_next();
        if source.pending.is_none() {
            anyhow::bail!("no readable images in {}", dir.display());
        }
        Ok(source)
    }

    /// Decodes the next readable image from `at` on (wrapping), or `None` when none is.
    fn read_next(&mut self) -> Option<GreyFrame<'static>> {
        for _ in 0..self.files.len() {
            let i = self.at;
            self.at = (self.at + 1) % self.files.len();
            match GreyFrame::open(&self.files[i]) {
                Ok(g) => return Some(g),
                Err(e) if !self.unreadable[i] => {
                    self.unreadable[i] = true;
                    tracing::warn!("frames: skipping {}: {e}", self.files[i].display());
                }
                Err(_) => {}
            }
        }
        None
    }
}

impl FrameSource for DirSource {
    fn name(&self) -> String {
        format!("dir:{} ({} images)", self.dir.display(), self.files.len())
    }

    fn next_frame(&mut self) -> Result<Frame, SourceError> {
        // Decode first: the pacer keeps to the rate whatever the decoding took.
        let grey = self.pending.take().or_else(|| self.read_next());
        self.pacer.wait();
        match grey {
            Some(g) => Ok(Frame {
                grey: Arc::new(g),
                captured: Instant::now(),
            }),
            None => Err(SourceError::Lost(format!(
                "no readable images left in {}",
                self.dir.display()
            ))),
        }
    }

    fn reopen(&mut self) -> Result<(), SourceError> {
        // The files may be back (a folder being refilled): try them all again.
        self.unreadable.fill(false);
        self.pending = self.read_next();
        match self.pending {
            Some(_) => Ok(()),
            None => Err(SourceError::Lost(format!(
                "no readable images in {}",
                self.dir.display()
            ))),
        }
    }
}

/// Which camera the command line or settings asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceSpec {
    /// `camera` / `camera:N` / `camera:NAME` (None: as settings say).
    Camera(Option<crate::settings::CameraChoice>),
    /// `dir:PATH`.
    Dir(PathBuf),
    /// `demo`.
    Demo,
}

impl std::str::FromStr for SourceSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        use crate::settings::CameraChoice;
        match s {
            "demo" => Ok(SourceSpec::Demo),
            "camera" => Ok(SourceSpec::Camera(None)),
            _ => {
                if let Some(path) = s.strip_prefix("dir:") {
                    if path.is_empty() {
                        return Err("dir: needs a folder, as in dir:frames/".into());
                    }
                    Ok(SourceSpec::Dir(PathBuf::from(path)))
                } else if let Some(which) = s.strip_prefix("camera:") {
                    Ok(SourceSpec::Camera(Some(match which.parse::<u32>() {
                        Ok(n) => CameraChoice::Index(n),
                        Err(_) if !which.is_empty() => CameraChoice::Name(which.to_owned()),
                        Err(_) => return Err("camera: needs an index or a name".into()),
                    })))
                } else {
                    Err(format!(
                        "unknown source {s:?}: give camera, camera:N, dir:PATH or demo"
                    ))
                }
            }
        }
    }
}

pub use demo::DemoSource;

/// The built-in demo feed.
pub mod demo {
    use super::{Frame, FrameSource, Pacer, SourceError};
    use std::sync::Arc;
    use std::time::Instant;
    use usher_core::issue::{PassSpec, pass_text};
    use usher_core::{Keys, ReusePolicy, Rules, Scheme, SchemeSet, Signer};
    use usher_decode::GreyFrame;

    /// The demo key's seed: anyone can read it, so it signs nothing but demo passes.
    const DEMO_SEED: [u8; 32] = *b"usher demo key: never for a door";
    /// The device id the demo kiosk judges as.
    pub const DEMO_DEVICE: &str = "demo-kiosk";
    const W: u32 = 1280;
    const H: u32 = 720;

    fn signer() -> Signer {
        Signer::Ed25519(ed25519_dalek::SigningKey::from_bytes(&DEMO_SEED))
    }

    /// The rules the demo feed's passes are judged by (the demo key, `once`).
    pub fn rules() -> Rules {
        let key = ed25519_dalek::SigningKey::from_bytes(&DEMO_SEED).verifying_key();
        Rules {
            auth_required: true,
            accepted: SchemeSet::default().with(Scheme::Ed25519),
            keys: Keys {
                password: None,
                public_key: Some(key),
            },
            device_id: DEMO_DEVICE.into(),
            reuse: ReusePolicy::Once,
            legacy_codes: false,
        }
    }

    fn pass(name: &str, expiry: u64, nonce: [u8; 12]) -> String {
        let mut strings: [Option<String>; 10] = Default::default();
        strings[0] = Some(name.into());
        let spec = PassSpec {
            strings,
            expiry,
            device_id: None,
            nonce,
            ..Default::default()
        };
        pass_text("https://u.example/p", &spec.payload_json(), &signer())
    }

    /// What the demo feed presents: one of its passes (in the order of [`texts`]), or the empty
    /// scene between them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Showing {
        /// A new pass (accepted).
        NewPass,
        /// The same pass again (already used).
        SamePassAgain,
        /// A pass whose expiry has passed.
        Expired,
        /// A pass signed with another key (not authorized).
        OtherKey,
        /// A signed pass with a field of the wrong type (invalid).
        BrokenField,
        /// A QR code that is no pass (a web address: missing parameters).
        NotAPass,
        /// A new pass with an Arabic name (accepted).
        ArabicName,
        /// No code: the scene between two passes.
        Nothing,
    }

    impl Showing {
        /// The passes of a cycle, in the order of [`texts`].
        pub const CYCLE: [Showing; 7] = [
            Showing::NewPass,
            Showing::SamePassAgain,
            Showing::Expired,
            Showing::OtherKey,
            Showing::BrokenField,
            Showing::NotAPass,
            Showing::ArabicName,
        ];
    }

    /// The texts of one demo cycle, in order: accepted, used, expired, not authorized,
    /// invalid, missing parameters, accepted (another script); [`Showing::CYCLE`] names them.
    pub fn texts(now_unix: i64, cycle: u64) -> Vec<String> {
        let day = u64::try_from(now_unix).unwrap_or(0) + 86_400;
        let nonce = |k: u8| {
            let mut n = [k; 12];
            n[..8].copy_from_slice(&cycle.to_le_bytes());
            n
        };
        let welcome = pass("Amélie Zoë Ødegård", day, nonce(1));
        let arabic = pass("محمد علي", day, nonce(2));
        let expired = pass("Expired Visitor", 1_600_000_000, nonce(3));
        let other_key = {
            let mut strings: [Option<String>; 10] = Default::default();
            strings[0] = Some("Forged".into());
            let spec = PassSpec {
                strings,
                expiry: day,
                device_id: None,
                nonce: nonce(4),
                ..Default::default()
            };
            let other = Signer::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[7; 32]));
            pass_text("https://u.example/p", &spec.payload_json(), &other)
        };
        let invalid = pass_text("https://u.example/p", r#"{"s1":1,"expiry":1}"#, &signer());
        vec![
            welcome.clone(),
            welcome,
            expired,
            other_key,
            invalid,
            "https://www.example.org/not-a-pass".into(),
            arabic,
        ]
    }

    /// Pixels per module of the demo's codes: large enough that the code stays a recognisable
    /// QR code in the 320-pixel-wide preview (2 pixels a module there).
    const MODULE: u32 = 8;

    /// A 1280x720 grey frame showing `text` as a QR code (or nothing).
    pub fn frame_for(text: Option<&str>) -> GreyFrame<'static> {
        let mut img = image::GrayImage::from_pixel(W, H, image::Luma([200]));
        if let Some(text) = text
            && let Ok(code) =
                qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        {
            let qr = code
                .render::<image::Luma<u8>>()
                .quiet_zone(true)
                .module_dimensions(MODULE, MODULE)
                .build();
            let x = (W.saturating_sub(qr.width())) / 2;
            let y = (H.saturating_sub(qr.height())) / 2;
            image::imageops::overlay(&mut img, &qr, i64::from(x), i64::from(y));
        }
        GreyFrame::from_gray_image(img)
    }

    /// Plays one code for about 1.5 s, then an empty scene for 5.5 s (past the debounce), and
    /// so on through [`texts`], drawing new passes each cycle.
    pub struct DemoSource {
        clock: std::sync::Arc<dyn crate::clock::Clock>,
        cycle: u64,
        step: usize,
        texts: Vec<String>,
        current: Option<Arc<GreyFrame<'static>>>,
        blank: Arc<GreyFrame<'static>>,
        started: Instant,
        pacer: Pacer,
        fps: f64,
        showing: Showing,
    }

    impl std::fmt::Debug for DemoSource {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("DemoSource")
                .field("step", &self.step)
                .finish()
        }
    }

    impl DemoSource {
        /// A demo feed at `fps`.
        pub fn new(clock: std::sync::Arc<dyn crate::clock::Clock>, fps: f64) -> Self {
            let texts = texts(clock.now().unix, 0);
            DemoSource {
                clock,
                cycle: 0,
                step: 0,
                current: None,
                texts,
                blank: Arc::new(frame_for(None)),
                started: Instant::now(),
                pacer: Pacer::new(fps),
                fps,
                showing: Showing::Nothing,
            }
        }
    }

    /// Milliseconds a code is shown, then milliseconds of empty scene.
    const SHOW_MS: u128 = 1_500;
    const GAP_MS: u128 = 5_500;

    impl FrameSource for DemoSource {
        fn name(&self) -> String {
            format!("demo feed ({} fps)", self.fps)
        }

        fn next_frame(&mut self) -> Result<Frame, SourceError> {
            self.pacer.wait();
            let t = self.started.elapsed().as_millis();
            let slot = (t / (SHOW_MS + GAP_MS)) as usize;
            let showing = t % (SHOW_MS + GAP_MS) < SHOW_MS;
            if slot != self.step {
                self.step = slot;
                self.current = None;
                if slot.is_multiple_of(self.texts.len()) {
                    self.cycle += 1;
                    self.texts = texts(self.clock.now().unix, self.cycle);
                }
            }
            self.showing = if showing {
                Showing::CYCLE[slot % Showing::CYCLE.len()]
            } else {
                Showing::Nothing
            };
            let grey = if showing {
                let text = &self.texts[slot % self.texts.len()];
                self.current
                    .get_or_insert_with(|| Arc::new(frame_for(Some(text))))
                    .clone()
            } else {
                self.blank.clone()
            };
            Ok(Frame {
                grey,
                captured: Instant::now(),
            })
        }

        fn showing(&self) -> Option<Showing> {
            Some(self.showing)
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use usher_core::{MemoryLedger, Now, VerdictKind, judge};

        #[test]
        fn demo_texts_give_every_verdict() {
            let now = Now::utc(1_800_000_000);
            let mut ledger = MemoryLedger::new();
            let kinds: Vec<VerdictKind> = texts(now.unix, 0)
                .iter()
                .map(|t| judge(t, &rules(), now, &mut ledger).unwrap().kind())
                .collect();
            assert_eq!(
                kinds,
                [
                    VerdictKind::Accepted,
                    VerdictKind::Used,
                    VerdictKind::Expired,
                    VerdictKind::NotAuthorized,
                    VerdictKind::Invalid,
                    VerdictKind::MissingParameters,
                    VerdictKind::Accepted,
                ]
            );
            // A new cycle brings fresh passes.
            let again = judge(&texts(now.unix, 1)[0], &rules(), now, &mut ledger).unwrap();
            assert_eq!(again.kind(), VerdictKind::Accepted);
        }

        #[test]
        fn demo_frames_decode() {
            let cascade = usher_decode::Cascade::recommended();
            for text in texts(1_800_000_000, 0) {
                let frame = frame_for(Some(&text));
                let found = usher_decode::Decoder::decode(&cascade, &frame);
                assert_eq!(found, vec![text]);
            }
            let blank = usher_decode::Decoder::decode(&cascade, &frame_for(None));
            assert!(blank.is_empty());
        }

        #[test]
        fn the_demo_feed_says_which_pass_it_presents() {
            assert_eq!(Showing::CYCLE.len(), texts(1_800_000_000, 0).len());
            let clock = std::sync::Arc::new(crate::clock::FixedClock::new(Now::utc(1_800_000_000)));
            let mut source = DemoSource::new(clock, 1000.0);
            assert_eq!(source.showing(), Some(Showing::Nothing), "before any frame");
            let frame = source.next_frame().expect("frame");
            // The first 1.5 s present the first pass, which the frame carries.
            assert_eq!(source.showing(), Some(Showing::NewPass));
            let cascade = usher_decode::Cascade::recommended();
            let read = usher_decode::Decoder::decode(&cascade, &frame.grey);
            assert_eq!(read, vec![source.texts[0].clone()]);
        }
    }
}

#[cfg(feature = "camera")]
pub use native::{CameraSource, grey_of, list_cameras};

#[cfg(not(feature = "camera"))]
/// The cameras found (none: built without the `camera` feature).
pub fn list_cameras() -> Vec<String> {
    Vec::new()
}

/// Cameras through nokhwa.
#[cfg(feature = "camera")]
mod native {
    use super::{Arc, Frame, FrameSource, SourceError};
    use crate::settings::CameraChoice;
    use nokhwa::Camera;
    use nokhwa::pixel_format::LumaFormat;
    use nokhwa::utils::{
        ApiBackend, CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType,
        Resolution,
    };
    use std::time::Instant;
    use usher_decode::GreyFrame;

    /// The cameras found, as "N: name".
    pub fn list_cameras() -> Vec<String> {
        match nokhwa::query(ApiBackend::Auto) {
            Ok(list) => list
                .iter()
                .map(|c| format!("{}: {}", c.index(), c.human_name()))
                .collect(),
            Err(e) => {
                tracing::info!("camera: query failed: {e}");
                Vec::new()
            }
        }
    }

    fn find(choice: &CameraChoice) -> Option<(CameraIndex, String)> {
        let list = nokhwa::query(ApiBackend::Auto).ok()?;
        let pick = match choice {
            CameraChoice::Auto => list.first(),
            CameraChoice::Index(n) => list
                .iter()
                .find(|c| *c.index() == CameraIndex::Index(*n))
                .or_else(|| list.get(*n as usize)),
            CameraChoice::Name(name) => {
                let lower = name.to_lowercase();
                list.iter()
                    .find(|c| c.human_name().to_lowercase().contains(&lower))
            }
        }?;
        Some((pick.index().clone(), pick.human_name()))
    }

    /// Converts a captured buffer to grey: the luma plane for YUYV / NV12 / GRAY and MJPEG
    /// (only the JPEG's Y plane is decoded, [`GreyFrame::from_jpeg`]), decoded otherwise (RGB).
    pub fn grey_of(buffer: &nokhwa::Buffer) -> Result<GreyFrame<'static>, String> {
        let res = buffer.resolution();
        let (w, h) = (res.width(), res.height());
        let data = buffer.buffer();
        match buffer.source_frame_format() {
            FrameFormat::YUYV => GreyFrame::from_yuyv(w, h, w as usize * 2, data)
                .map(GreyFrame::into_owned)
                .map_err(|e| e.to_string()),
            FrameFormat::NV12 | FrameFormat::GRAY => GreyFrame::from_nv12(w, h, w as usize, data)
                .map(GreyFrame::into_owned)
                .map_err(|e| e.to_string()),
            FrameFormat::MJPEG => GreyFrame::from_jpeg(data).map_err(|e| e.to_string()),
            _ => buffer
                .decode_image::<LumaFormat>()
                .map(GreyFrame::from_gray_image)
                .map_err(|e| e.to_string()),
        }
    }

    /// A camera; reopened after it is unplugged.
    pub struct CameraSource {
        choice: CameraChoice,
        name: String,
        camera: Option<Camera>,
    }

    impl std::fmt::Debug for CameraSource {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("CameraSource")
                .field("name", &self.name)
                .finish()
        }
    }

    impl CameraSource {
        /// Opens the camera `choice` picks, preferring 1280x720; `Err` when none is found.
        pub fn open(choice: CameraChoice) -> Result<Self, String> {
            let mut source = CameraSource {
                choice,
                name: String::new(),
                camera: None,
            };
            source.try_open()?;
            Ok(source)
        }

        fn try_open(&mut self) -> Result<(), String> {
            let (index, name) = find(&self.choice).ok_or("no camera found")?;
            let wanted = CameraFormat::new(Resolution::new(1280, 720), FrameFormat::YUYV, 30);
            let format = RequestedFormat::new::<LumaFormat>(RequestedFormatType::Closest(wanted));
            let mut camera = Camera::new(index.clone(), format).map_err(|e| e.to_string())?;
            camera.open_stream().map_err(|e| e.to_string())?;
            tracing::info!(
                "camera: opened {index}: {name} as {}",
                camera.camera_format()
            );
            self.name = format!("camera {index}: {name}");
            self.camera = Some(camera);
            Ok(())
        }
    }

    impl FrameSource for CameraSource {
        fn name(&self) -> String {
            self.name.clone()
        }

        fn next_frame(&mut self) -> Result<Frame, SourceError> {
            let camera = self
                .camera
                .as_mut()
                .ok_or_else(|| SourceError::Lost(self.name.clone()))?;
            match camera.frame() {
                Ok(buffer) => {
                    let captured = Instant::now();
                    let grey = grey_of(&buffer).map_err(|e| {
                        tracing::debug!("camera: bad frame: {e}");
                        SourceError::NoFrame
                    })?;
                    Ok(Frame {
                        grey: Arc::new(grey),
                        captured,
                    })
                }
                Err(e) => {
                    tracing::warn!("camera: {} lost: {e}", self.name);
                    self.camera = None;
                    Err(SourceError::Lost(self.name.clone()))
                }
            }
        }

        fn reopen(&mut self) -> Result<(), SourceError> {
            self.camera = None;
            self.try_open().map_err(SourceError::Lost)
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn mjpeg_and_yuyv_buffers_become_grey() {
            let img = image::GrayImage::from_fn(64, 32, |x, _| image::Luma([(x * 4) as u8]));
            let mut jpeg = Vec::new();
            image::DynamicImage::ImageLuma8(img)
                .write_to(
                    &mut std::io::Cursor::new(&mut jpeg),
                    image::ImageFormat::Jpeg,
                )
                .unwrap();
            let buf = nokhwa::Buffer::new(Resolution::new(64, 32), &jpeg, FrameFormat::MJPEG);
            let grey = grey_of(&buf).unwrap();
            assert_eq!((grey.width(), grey.height()), (64, 32));
            assert!(grey.get(60, 10) > grey.get(2, 10));

            let yuyv: Vec<u8> = (0..64 * 32)
                .flat_map(|i| [(i % 64) as u8 * 4, 128])
                .collect();
            let buf = nokhwa::Buffer::new(Resolution::new(64, 32), &yuyv, FrameFormat::YUYV);
            let grey = grey_of(&buf).unwrap();
            assert_eq!(grey.get(10, 3), 40);
        }

        #[test]
        fn no_camera_is_an_error_not_a_panic() {
            // This machine has no /dev/video*: opening fails cleanly.
            if list_cameras().is_empty() {
                assert!(CameraSource::open(CameraChoice::Auto).is_err());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_source_specs() {
        use crate::settings::CameraChoice;
        assert_eq!("demo".parse(), Ok(SourceSpec::Demo));
        assert_eq!("camera".parse(), Ok(SourceSpec::Camera(None)));
        assert_eq!(
            "camera:2".parse(),
            Ok(SourceSpec::Camera(Some(CameraChoice::Index(2))))
        );
        assert_eq!(
            "camera:Logitech".parse(),
            Ok(SourceSpec::Camera(Some(CameraChoice::Name(
                "Logitech".into()
            ))))
        );
        assert_eq!("dir:/tmp/x".parse(), Ok(SourceSpec::Dir("/tmp/x".into())));
        assert!("dir:".parse::<SourceSpec>().is_err());
        assert!("video".parse::<SourceSpec>().is_err());
    }

    /// A folder of three 4x4 frames, grey 10, 20 and 30, named 0.png to 2.png.
    fn grey_frames_10_20_30() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (i, v) in [10u8, 20, 30].iter().enumerate() {
            image::GrayImage::from_pixel(4, 4, image::Luma([*v]))
                .save(dir.path().join(format!("{i}.png")))
                .unwrap();
        }
        dir
    }

    #[test]
    fn dir_source_loops_in_name_order() {
        let dir = grey_frames_10_20_30();
        let mut s = DirSource::open(dir.path(), 1000.0).unwrap();
        let seen: Vec<u8> = (0..5)
            .map(|_| s.next_frame().unwrap().grey.get(0, 0))
            .collect();
        assert_eq!(seen, [10, 20, 30, 10, 20]);
        assert!(DirSource::open(&dir.path().join("none"), 1.0).is_err());
    }

    #[test]
    fn dir_source_skips_images_that_become_unreadable() {
        let dir = grey_frames_10_20_30();
        let mut s = DirSource::open(dir.path(), 1000.0).unwrap();
        std::fs::write(dir.path().join("1.png"), b"not a png any more").unwrap();
        let seen: Vec<u8> = (0..4)
            .map(|_| s.next_frame().unwrap().grey.get(0, 0))
            .collect();
        assert_eq!(seen, [10, 30, 10, 30]);
        for f in ["0.png", "1.png", "2.png"] {
            std::fs::remove_file(dir.path().join(f)).unwrap();
        }
        assert!(matches!(s.next_frame(), Err(SourceError::Lost(_))));
    }
}
