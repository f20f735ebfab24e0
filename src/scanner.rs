//! The scanning pipeline, on its own named threads; the UI thread never waits on I/O.
//!
//! - `usher-scan`: frames from a [`FrameSource`] → the `usher_decode` cascade (panic-isolated)
//!   → [`Debounce`] → `usher_core::judge` with the [`SqliteLedger`] (committed before the
//!   verdict is sent) → [`ToUi::Verdict`]. Keyboard-wedge scans ([`Command::Wedge`]) take the
//!   same path between frames. A lost camera is reported and reopened once a second.
//! - `usher-screens`: polls the screens folder about once a second and sends each new
//!   [`ScreenSet`]; plays screen sounds.
//!
//! The demo feed judges its built-in passes against its own in-memory ledger and demo rules,
//! so demo sign-ins never reach the venue's ledger or its server; wedge scans always use the
//! real ones.

use crate::camera::{self, Frame, FrameSource, SourceError};
use crate::clock::Clock;
use crate::kiosk::{CameraStatus, Debounce, Millis, ScanSource, VerdictEvent};
use crate::ledger::{ScanRecord, SqliteLedger};
use crate::screens::{Folder, ScreenSet};
use crate::settings::CameraChoice;
use crate::sound::Sound;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use usher_core::{Rules, judge};
use usher_decode::{Cascade, Decoder};

/// Messages from the pipeline to the UI.
#[derive(Debug, Clone)]
pub enum ToUi {
    /// A judged scan, its ledger row committed.
    Verdict(VerdictEvent),
    /// The camera's status changed.
    Camera(CameraStatus),
    /// The screens folder changed (or was reloaded).
    Screens(Arc<ScreenSet>),
    /// Figures for the status line and the admin panel.
    Stats(Stats),
}

/// Figures for the status line and the admin panel.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// This kiosk's device id.
    pub device_id: String,
    /// Today's scans per verdict name.
    pub today: BTreeMap<String, u64>,
    /// The last scans, newest first (no contact details).
    pub recent: Vec<ScanRecord>,
    /// Sign-ins waiting for upload.
    pub pending_uploads: u64,
    /// The source in use.
    pub source: String,
    /// Cameras found, for the picker.
    pub cameras: Vec<String>,
    /// Decoder panics caught so far.
    pub decoder_panics: u64,
    /// Sign-ins the server refused for good (kept, never dropped).
    pub parked: Vec<crate::ledger::ParkedRow>,
    /// How contact fields waiting for upload are protected, in words.
    pub protection: String,
    /// Warnings for the admin (settings, files holding secrets readable by others).
    pub warnings: Vec<String>,
    /// Passes accepted here and at another kiosk, in words.
    pub double_uses: Vec<String>,
}

impl Stats {
    /// Today's sign-ins.
    pub fn signed_in_today(&self) -> u64 {
        self.today.get("qr_accepted").copied().unwrap_or(0)
    }
}

/// Requests from the UI to the pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// A keyboard-wedge scan.
    Wedge(String),
    /// Load the screens folder again now.
    ReloadScreens,
    /// Play a sound now.
    TestSound,
    /// Send fresh [`Stats`] (and list cameras).
    RefreshStats,
    /// Switch to another camera.
    UseCamera(CameraChoice),
    /// Stop the threads.
    Shutdown,
}

/// A ledger with the rules it is judged by.
#[derive(Debug)]
pub struct Judge {
    /// The verdict rules.
    pub rules: Rules,
    /// The ledger.
    pub ledger: SqliteLedger,
    /// Warnings for the admin panel (settings, files holding secrets readable by others).
    pub warnings: Vec<String>,
}

impl Judge {
    /// The demo feed's judge: demo rules and a ledger in memory, so demo sign-ins never reach
    /// the venue's ledger or its server.
    pub fn demo() -> anyhow::Result<Judge> {
        Ok(Judge {
            rules: camera::demo::rules(),
            ledger: SqliteLedger::in_memory()?,
            warnings: Vec::new(),
        })
    }

    /// The venue's judge: `settings`' rules for this kiosk's device id and its ledger,
    /// either overridable (`usher verify --device-id`, `--ledger`).
    pub fn open(
        settings: &crate::settings::Settings,
        device_id: Option<String>,
        ledger_file: Option<&std::path::Path>,
    ) -> anyhow::Result<Judge> {
        use anyhow::Context as _;
        let device_id = match device_id {
            Some(id) => id,
            None => crate::settings::device_id(settings)?,
        };
        let ledger_file = ledger_file.unwrap_or(&settings.ledger_file);
        let protection = crate::contact::Protection::for_settings(settings, ledger_file)?;
        let ledger = SqliteLedger::open_with(ledger_file, protection)
            .with_context(|| format!("cannot open the ledger {}", ledger_file.display()))?;
        let mut warnings = settings.warnings.clone();
        let key_file = ledger
            .protection()
            .key_file()
            .map(std::path::Path::to_owned);
        for file in [Some(ledger_file.to_owned()), key_file]
            .into_iter()
            .flatten()
        {
            if crate::keys::readable_by_others(&file) {
                let w = format!(
                    "{} holds contact data or its key and is readable by other users: chmod 600 it",
                    file.display()
                );
                tracing::warn!("{w}");
                eprintln!("usher: warning: {w}");
                warnings.push(w);
            }
        }
        Ok(Judge {
            rules: settings.rules(device_id),
            ledger,
            warnings,
        })
    }
}

/// What the scan thread needs.
pub struct ScanSetup {
    /// The frame source.
    pub source: Box<dyn FrameSource>,
    /// The camera status to announce first.
    pub status: CameraStatus,
    /// The venue's rules and ledger (wedge scans, camera frames).
    pub real: Judge,
    /// For the demo feed: its own rules and in-memory ledger.
    pub demo: Option<Judge>,
    /// The clock seam.
    pub clock: Arc<dyn Clock>,
    /// Debounce window.
    pub debounce_ms: Millis,
    /// Called after every sign-in committed to the venue's ledger (wakes the uploader).
    pub on_signin: Option<Arc<dyn Fn() + Send + Sync>>,
}

impl std::fmt::Debug for ScanSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanSetup")
            .field("source", &self.source.name())
            .finish()
    }
}

/// The decode → debounce → judge core, without threads (the bench drives it directly).
pub struct Scanner {
    cascade: Cascade,
    debounce: Debounce,
    real: Judge,
    demo: Option<Judge>,
    clock: Arc<dyn Clock>,
    origin: Instant,
    on_signin: Option<Arc<dyn Fn() + Send + Sync>>,
}

impl std::fmt::Debug for Scanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner").finish_non_exhaustive()
    }
}

impl Scanner {
    /// A scanner with the recommended cascade.
    pub fn new(
        real: Judge,
        demo: Option<Judge>,
        clock: Arc<dyn Clock>,
        debounce_ms: Millis,
    ) -> Self {
        Scanner {
            cascade: Cascade::recommended(),
            debounce: Debounce::with_window(debounce_ms),
            real,
            demo,
            clock,
            origin: Instant::now(),
            on_signin: None,
        }
    }

    /// Calls `hook` after every sign-in committed to the venue's ledger.
    pub fn on_signin(&mut self, hook: Option<Arc<dyn Fn() + Send + Sync>>) {
        self.on_signin = hook;
    }

    fn millis(&self, at: Instant) -> Millis {
        at.saturating_duration_since(self.origin).as_millis() as Millis
    }

    /// Decodes a frame and judges every new text on it.
    pub fn frame(&mut self, frame: &Frame) -> Vec<VerdictEvent> {
        let texts = self.cascade.decode(&frame.grey);
        let now = self.millis(frame.captured);
        let mut out = Vec::new();
        for text in texts {
            if self.debounce.admit(&text, now) {
                let use_demo = self.demo.is_some();
                if let Some(ev) = self.judge(&text, ScanSource::Camera, use_demo) {
                    out.push(ev);
                }
            }
        }
        out
    }

    /// Judges a keyboard-wedge scan (always against the venue's ledger).
    pub fn wedge(&mut self, text: &str) -> Option<VerdictEvent> {
        let now = self.millis(Instant::now());
        if !self.debounce.admit(text, now) {
            return None;
        }
        self.judge(text, ScanSource::Wedge, false)
    }

    fn judge(&mut self, text: &str, source: ScanSource, demo: bool) -> Option<VerdictEvent> {
        let now = self.clock.now();
        let (judge_with, real) = match (&mut self.demo, demo) {
            (Some(d), true) => (d, false),
            _ => (&mut self.real, true),
        };
        match judge(text, &judge_with.rules, now, &mut judge_with.ledger) {
            Ok(verdict) => {
                tracing::info!("scan: {} ({:?})", verdict.name(), source);
                if real
                    && verdict.kind() == usher_core::VerdictKind::Accepted
                    && let Some(hook) = &self.on_signin
                {
                    hook();
                }
                Some(VerdictEvent::from_verdict(&verdict, now.unix, source))
            }
            Err(e) => {
                // The ledger failed: nothing was recorded, so nothing is shown as accepted.
                tracing::error!("ledger: {e}; scan not judged");
                None
            }
        }
    }

    /// Stops judging frames against the demo ledger (a real camera is in use).
    pub fn leave_demo(&mut self) {
        self.demo = None;
    }

    /// Judges frames against the demo ledger.
    pub fn enter_demo(&mut self) -> anyhow::Result<()> {
        if self.demo.is_none() {
            self.demo = Some(Judge::demo()?);
        }
        Ok(())
    }

    /// Figures for the UI.
    pub fn stats(&self, source: &str, cameras: Vec<String>) -> Stats {
        let day = self.clock.now().local_day_start();
        let ledger = &self.real.ledger;
        Stats {
            device_id: self.real.rules.device_id.clone(),
            today: ledger.counts_since(day).unwrap_or_default(),
            recent: ledger.recent_scans(10).unwrap_or_default(),
            pending_uploads: ledger.pending_uploads().unwrap_or_default(),
            source: source.to_owned(),
            cameras,
            decoder_panics: usher_decode::panics(),
            parked: ledger.parked().unwrap_or_default(),
            protection: ledger.protection().describe(),
            warnings: self.real.warnings.clone(),
            double_uses: ledger
                .double_uses()
                .unwrap_or_default()
                .into_iter()
                .map(|(pass, first, later)| {
                    format!(
                        "pass {}…: {} {}, then {} {}",
                        &pass.to_hex()[..10],
                        first.device_id,
                        crate::clock::local_time(first.at),
                        later.device_id,
                        crate::clock::local_time(later.at)
                    )
                })
                .collect(),
        }
    }
}

/// The running pipeline's handles.
#[derive(Debug)]
pub struct Pipeline {
    /// Commands to the pipeline.
    pub commands: Sender<Command>,
    /// Events for the UI.
    pub events: Receiver<ToUi>,
    threads: Vec<JoinHandle<()>>,
    screens_tx: Sender<ScreensCommand>,
}

#[derive(Debug)]
enum ScreensCommand {
    Play(&'static str),
    Reload,
    TestSound,
    Shutdown,
}

impl Pipeline {
    /// Starts the threads. `notify` is called after every event (the UI's repaint request).
    pub fn start(
        setup: ScanSetup,
        screens_dir: PathBuf,
        sound: bool,
        notify: Arc<dyn Fn() + Send + Sync>,
    ) -> anyhow::Result<Pipeline> {
        let (cmd_tx, cmd_rx) = std::sync::mpsc::channel();
        let (ui_tx, ui_rx) = std::sync::mpsc::channel();
        let (scr_tx, scr_rx) = std::sync::mpsc::channel();
        let send = {
            let ui_tx = ui_tx.clone();
            let notify = Arc::clone(&notify);
            move |m: ToUi| {
                let _ = ui_tx.send(m);
                notify();
            }
        };
        let screens_send = send.clone();
        let screens = std::thread::Builder::new()
            .name("usher-screens".into())
            .spawn(move || screens_thread(screens_dir, sound, scr_rx, screens_send))?;
        let scr = scr_tx.clone();
        let scan = std::thread::Builder::new()
            .name("usher-scan".into())
            .spawn(move || scan_thread(setup, cmd_rx, send, scr))?;
        Ok(Pipeline {
            commands: cmd_tx,
            events: ui_rx,
            threads: vec![scan, screens],
            screens_tx: scr_tx,
        })
    }

    /// The UI's ends of the channels (the pipeline keeps a sender for its own shutdown).
    pub fn take_channels(&mut self) -> (Receiver<ToUi>, Sender<Command>) {
        let events = std::mem::replace(&mut self.events, std::sync::mpsc::channel().1);
        (events, self.commands.clone())
    }

    /// Stops and joins the threads.
    pub fn shutdown(self) {
        let _ = self.commands.send(Command::Shutdown);
        let _ = self.screens_tx.send(ScreensCommand::Shutdown);
        for t in self.threads {
            let _ = t.join();
        }
    }
}

fn screens_thread(dir: PathBuf, sound_on: bool, rx: Receiver<ScreensCommand>, send: impl Fn(ToUi)) {
    let mut folder = Folder::new(&dir);
    let mut sound = Sound::new();
    let mut set = Arc::new(folder.reload());
    send(ToUi::Screens(Arc::clone(&set)));
    let mut next_poll = Instant::now() + Duration::from_secs(1);
    loop {
        let wait = next_poll.saturating_duration_since(Instant::now());
        match rx.recv_timeout(wait) {
            Ok(ScreensCommand::Play(name)) => {
                if sound_on
                    && let Some((path, bytes)) = set.get(name).and_then(|s| s.sound.as_ref())
                {
                    sound.play(path, bytes);
                }
            }
            Ok(ScreensCommand::TestSound) => {
                let found = set.screens.values().find_map(|s| s.sound.clone());
                let (path, bytes) = found.unwrap_or_else(|| {
                    (
                        PathBuf::from("built-in beep"),
                        Arc::new(crate::sound::beep_wav()),
                    )
                });
                let played = sound.play(&path, &bytes);
                tracing::info!(
                    "sound: test {} ({})",
                    path.display(),
                    if played { "playing" } else { "no output" }
                );
            }
            Ok(ScreensCommand::Reload) => {
                set = Arc::new(folder.reload());
                send(ToUi::Screens(Arc::clone(&set)));
            }
            Ok(ScreensCommand::Shutdown) | Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) => {}
        }
        if Instant::now() >= next_poll {
            next_poll = Instant::now() + Duration::from_secs(1);
            if let Some(new) = folder.poll() {
                tracing::info!("screens: {} changed; reloaded", dir.display());
                set = Arc::new(new);
                send(ToUi::Screens(Arc::clone(&set)));
            }
        }
    }
}

fn scan_thread(
    setup: ScanSetup,
    rx: Receiver<Command>,
    send: impl Fn(ToUi),
    screens: Sender<ScreensCommand>,
) {
    let ScanSetup {
        mut source,
        status,
        real,
        demo,
        clock,
        debounce_ms,
        on_signin,
    } = setup;
    let mut scanner = Scanner::new(real, demo, clock, debounce_ms);
    scanner.on_signin(on_signin);
    let mut cameras = camera::list_cameras();
    let mut lost = matches!(status, CameraStatus::Lost(_));
    send(ToUi::Camera(status));
    send(ToUi::Stats(scanner.stats(&source.name(), cameras.clone())));
    let deliver =
        |ev: VerdictEvent, scanner: &Scanner, source: &dyn FrameSource, cams: &[String]| {
            let _ = screens.send(ScreensCommand::Play(ev.kind.name()));
            send(ToUi::Verdict(ev));
            send(ToUi::Stats(scanner.stats(&source.name(), cams.to_vec())));
        };
    loop {
        // Commands first: a wedge scan waits at most one frame.
        let cmd = if lost {
            match rx.recv_timeout(Duration::from_secs(1)) {
                Ok(c) => Some(c),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match rx.try_recv() {
                Ok(c) => Some(c),
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Disconnected) => return,
            }
        };
        match cmd {
            Some(Command::Shutdown) => return,
            Some(Command::Wedge(text)) => {
                if let Some(ev) = scanner.wedge(&text) {
                    deliver(ev, &scanner, source.as_ref(), &cameras);
                }
                continue;
            }
            Some(Command::ReloadScreens) => {
                let _ = screens.send(ScreensCommand::Reload);
                continue;
            }
            Some(Command::TestSound) => {
                let _ = screens.send(ScreensCommand::TestSound);
                continue;
            }
            Some(Command::RefreshStats) => {
                cameras = camera::list_cameras();
                send(ToUi::Stats(scanner.stats(&source.name(), cameras.clone())));
                continue;
            }
            Some(Command::UseCamera(choice)) => {
                use_camera(choice, &mut source, &mut scanner, &mut lost, &send);
                send(ToUi::Stats(scanner.stats(&source.name(), cameras.clone())));
                continue;
            }
            None => {}
        }
        if lost {
            if source.reopen().is_ok() {
                lost = false;
                send(ToUi::Camera(CameraStatus::Live(source.name())));
            }
            continue;
        }
        match source.next_frame() {
            Ok(frame) => {
                for ev in scanner.frame(&frame) {
                    deliver(ev, &scanner, source.as_ref(), &cameras);
                }
            }
            Err(SourceError::NoFrame) => {}
            Err(SourceError::Lost(name)) => {
                lost = true;
                send(ToUi::Camera(CameraStatus::Lost(name)));
            }
        }
    }
}

#[cfg(feature = "camera")]
fn use_camera(
    choice: CameraChoice,
    source: &mut Box<dyn FrameSource>,
    scanner: &mut Scanner,
    lost: &mut bool,
    send: &impl Fn(ToUi),
) {
    match camera::CameraSource::open(choice.clone()) {
        Ok(cam) => {
            *source = Box::new(cam);
            *lost = false;
            scanner.leave_demo();
            send(ToUi::Camera(CameraStatus::Live(source.name())));
        }
        Err(e) => tracing::warn!("camera: cannot switch to {choice:?}: {e}"),
    }
}

#[cfg(not(feature = "camera"))]
fn use_camera(
    choice: CameraChoice,
    _source: &mut Box<dyn FrameSource>,
    _scanner: &mut Scanner,
    _lost: &mut bool,
    _send: &impl Fn(ToUi),
) {
    tracing::warn!("camera: cannot switch to {choice:?}: built without the camera feature");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use usher_core::{Now, VerdictKind};

    fn scanner() -> Scanner {
        let clock = Arc::new(FixedClock::new(Now::utc(1_800_000_000)));
        let real = Judge {
            rules: camera::demo::rules(),
            ledger: SqliteLedger::in_memory().unwrap(),
            warnings: Vec::new(),
        };
        Scanner::new(real, None, clock, 5_000)
    }

    #[test]
    fn a_held_pass_gives_one_verdict_then_a_wedge_scan_goes_the_same_path() {
        let mut s = scanner();
        let texts = camera::demo::texts(1_800_000_000, 0);
        let grey = Arc::new(camera::demo::frame_for(Some(&texts[0])));
        let mut verdicts = Vec::new();
        for _ in 0..5 {
            let frame = Frame {
                grey: Arc::clone(&grey),
                captured: Instant::now(),
            };
            verdicts.extend(s.frame(&frame));
        }
        assert_eq!(verdicts.len(), 1);
        assert_eq!(verdicts[0].kind, VerdictKind::Accepted);
        assert_eq!(verdicts[0].name(), Some("Amélie Zoë Ødegård"));
        let stats = s.stats("test", vec![]);
        assert_eq!(stats.signed_in_today(), 1);
        // Wedge: a new pass is judged; the same text again at once is debounced.
        let ev = s.wedge(&texts[2]).unwrap();
        assert_eq!(ev.kind, VerdictKind::Expired);
        assert_eq!(ev.source, ScanSource::Wedge);
        assert!(s.wedge(&texts[2]).is_none());
    }

    #[test]
    fn demo_scans_stay_out_of_the_real_ledger() {
        let mut s = scanner();
        s.enter_demo().unwrap();
        let texts = camera::demo::texts(1_800_000_000, 0);
        let frame = Frame {
            grey: Arc::new(camera::demo::frame_for(Some(&texts[0]))),
            captured: Instant::now(),
        };
        let v = s.frame(&frame);
        assert_eq!(v[0].kind, VerdictKind::Accepted);
        assert_eq!(s.stats("x", vec![]).signed_in_today(), 0);
    }

    #[test]
    fn pipeline_threads_deliver_verdicts_and_screens() {
        let dir = tempfile::tempdir().unwrap();
        let frames = dir.path().join("frames");
        std::fs::create_dir(&frames).unwrap();
        let text = camera::demo::texts(1_800_000_000, 0)[0].clone();
        camera::demo::frame_for(Some(&text))
            .to_gray_image()
            .save(frames.join("a.png"))
            .unwrap();
        let source = camera::DirSource::open(&frames, 20.0).unwrap();
        let setup = ScanSetup {
            status: CameraStatus::Folder(source.name()),
            source: Box::new(source),
            real: Judge {
                rules: camera::demo::rules(),
                ledger: SqliteLedger::in_memory().unwrap(),
                warnings: Vec::new(),
            },
            demo: None,
            clock: Arc::new(FixedClock::new(Now::utc(1_800_000_000))),
            debounce_ms: 5_000,
            on_signin: None,
        };
        let p = Pipeline::start(setup, dir.path().join("screens"), false, Arc::new(|| {})).unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut got_verdict = None;
        let mut got_screens = false;
        while Instant::now() < deadline && (got_verdict.is_none() || !got_screens) {
            match p.events.recv_timeout(Duration::from_millis(200)) {
                Ok(ToUi::Verdict(ev)) => got_verdict = Some(ev.kind),
                Ok(ToUi::Screens(_)) => got_screens = true,
                _ => {}
            }
        }
        assert_eq!(got_verdict, Some(VerdictKind::Accepted));
        assert!(got_screens);
        p.commands
            .send(Command::Wedge("not a pass at all".into()))
            .unwrap();
        let mut wedge = None;
        while Instant::now() < deadline && wedge.is_none() {
            if let Ok(ToUi::Verdict(ev)) = p.events.recv_timeout(Duration::from_millis(200)) {
                wedge = Some(ev);
            }
        }
        let wedge = wedge.unwrap();
        assert_eq!(wedge.kind, VerdictKind::MissingParameters);
        assert_eq!(wedge.source, ScanSource::Wedge);
        p.shutdown();
    }

    #[test]
    fn the_judge_warns_when_the_ledger_or_its_key_is_readable_by_others() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("settings.xml");
        std::fs::write(
            &file,
            "<settings><qrCodeAuthRequired>false</qrCodeAuthRequired><deviceId>d</deviceId></settings>",
        )
        .unwrap();
        let settings = crate::settings::Settings::load(&file).unwrap();
        let judge = Judge::open(&settings, None, None).unwrap();
        assert!(judge.warnings.is_empty(), "{:?}", judge.warnings);
        assert_eq!(
            judge.ledger.protection().describe(),
            format!(
                "kept under the local key in {}",
                dir.path().join("usher.contact.key").display()
            )
        );
        drop(judge);
        let key = dir.path().join("usher.contact.key");
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let judge = Judge::open(&settings, None, None).unwrap();
        assert_eq!(judge.warnings.len(), 1, "{:?}", judge.warnings);
        assert!(judge.warnings[0].contains("usher.contact.key"));
        assert!(judge.warnings[0].contains("readable by other users"));
    }
}
