//! The scanning pipeline, on its own named threads; the UI thread never waits on I/O.
//!
//! - `usher-scan`: frames from a [`FrameSource`] → the `usher_decode` cascade (panic-isolated)
//!   → [`Debounce`] → [`Venue::judge`] (the ledger row committed before the verdict is
//!   sent) → [`ToUi::Verdict`]. Keyboard-wedge scans ([`Command::Wedge`]) take the
//!   same path between frames. A lost camera is reported and reopened once a second.
//! - `usher-screens`: polls the screens folder about once a second and sends each new
//!   [`ScreenSet`]; plays screen sounds.
//!
//! With a window, the scan thread also hands the camera preview over: at most 7 frames a
//! second, each decoded frame shrunk ([`crate::preview::Publisher`]), with the outline of the
//! code read on it, left in a slot the UI reads without waiting, before that code is judged.
//!
//! At the door the scan thread also holds the entry of a party (a pass with `p` > 1, scanned
//! at the camera) back from upload while the party prompt is open, and commits the prompt's
//! default before it judges the next scan; it keeps the text of the last `qr_full` for a
//! while, so the volunteer can admit that visitor over capacity ([`Command::AdmitOverCapacity`]);
//! and it reads the roll call ([`Command::RollCall`]).
//!
//! The demo feed judges its built-in passes at its own [`Venue::demo`] (a ledger in memory),
//! so demo sign-ins never reach the venue's ledger or its server; wedge scans always go to the
//! venue.

use crate::camera::{self, Frame, FrameSource, SourceError};
use crate::clock::Clock;
use crate::kiosk::{CameraStatus, Debounce, Effect, Millis, PartyHold, ScanSource, VerdictEvent};
use crate::ledger::{RecentSignIn, RollCallEntry, ScanRecord};
use crate::screens::{Folder, ScreenSet};
use crate::settings::CameraChoice;
use crate::sound::Sound;
use crate::venue::Venue;
use crate::worker::Worker;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::time::{Duration, Instant};
use usher_core::walkin::WalkIn;
use usher_core::{DoorScan, DoorStatus, Entrance, EntryId, PartySize, Pass, VerdictKind};
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
    /// The roll call (asked for with [`Command::RollCall`]).
    RollCall(Vec<RollCallEntry>),
    /// This kiosk's recent sign-ins for the undo list ([`Command::RecentSignIns`]).
    RecentSignIns(Vec<RecentSignIn>),
}

/// How long after a `qr_full` the volunteer can still admit that visitor over capacity.
pub const OVERRIDE_WINDOW: Duration = Duration::from_secs(120);

/// The door's figures for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoorFigures {
    /// This kiosk's entrance.
    pub entrance: Entrance,
    /// Inside now at the entrance and in the venue, against their capacities.
    pub status: DoorStatus,
    /// When the venue-wide figures were last fetched from the server (Unix seconds).
    pub presence_fetched_at: Option<i64>,
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
    /// How contact fields waiting for upload are protected.
    pub protection: Option<crate::contact::Keeping>,
    /// Warnings for the admin (settings, files holding secrets readable by others).
    pub warnings: Vec<String>,
    /// Passes accepted here and at another kiosk, in words.
    pub double_uses: Vec<String>,
    /// The door's figures (`None`: the demo feed's venue, or not read yet).
    pub door: Option<DoorFigures>,
    /// People counted with the volunteer's `+1`/`-1` and no record ("uncounted by name"):
    /// this kiosk's net of today, never below zero, and the other kiosks' as last fetched.
    pub uncounted: u32,
}

impl Stats {
    /// Today's sign-ins.
    pub fn signed_in_today(&self) -> u64 {
        self.today
            .get(VerdictKind::Accepted.name())
            .copied()
            .unwrap_or(0)
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
    /// The party prompt's answer (or default) for a held entry.
    Party {
        /// The held entry.
        entry: EntryId,
        /// How many came in.
        heads: PartySize,
    },
    /// Admit the visitor of the last `qr_full` over capacity (the volunteer PIN was given).
    AdmitOverCapacity,
    /// Read the roll call and send it ([`ToUi::RollCall`]).
    RollCall,
    /// Sign in this walk-in (the verdict comes back as a scan's does).
    WalkIn(WalkIn),
    /// Read this kiosk's sign-ins within `<undoMinutes>` and send them
    /// ([`ToUi::RecentSignIns`]).
    RecentSignIns,
    /// Void this sign-in of this kiosk.
    Void(EntryId),
    /// Record a press of the head-count tally (`1` or `-1`).
    Tally(i8),
    /// Stop the threads.
    Shutdown,
}

impl From<Effect> for Command {
    fn from(effect: Effect) -> Self {
        match effect {
            Effect::Party { entry, heads } => Command::Party { entry, heads },
            Effect::AdmitOverCapacity => Command::AdmitOverCapacity,
            Effect::RollCall => Command::RollCall,
            Effect::WalkIn(walk_in) => Command::WalkIn(walk_in),
            Effect::RecentSignIns => Command::RecentSignIns,
            Effect::Void(entry) => Command::Void(entry),
            Effect::Tally(delta) => Command::Tally(delta),
        }
    }
}

/// What the scan thread needs.
pub struct ScanSetup {
    /// The frame source.
    pub source: Box<dyn FrameSource>,
    /// The camera status to announce first.
    pub status: CameraStatus,
    /// The venue (wedge scans, camera frames).
    pub venue: Venue,
    /// For the demo feed: its own venue, in memory.
    pub demo: Option<Venue>,
    /// The clock seam.
    pub clock: Arc<dyn Clock>,
    /// Debounce window.
    pub debounce_ms: Millis,
    /// Called after every sign-in committed to the venue's ledger (wakes the uploader).
    pub on_signin: Option<Arc<dyn Fn() + Send + Sync>>,
    /// A window asks parties how many came (the party prompt); `false` (headless): a party's
    /// entry counts its default at once and is never held.
    pub party_prompt: bool,
    /// The camera preview's publisher (`None`: no window, or the preview is off).
    pub preview: Option<crate::preview::Publisher>,
}

impl std::fmt::Debug for ScanSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanSetup")
            .field("source", &self.source.name())
            .finish()
    }
}

/// What the last `qr_full` refused, kept for "admit anyway": a scanned text, or a walk-in's
/// pass.
#[derive(Debug, Clone)]
enum Refused {
    Text(String),
    WalkIn(Box<Pass>, Option<PartySize>),
}

/// The decode → debounce → judge core, without threads (the bench drives it directly).
pub struct Scanner {
    cascade: Cascade,
    debounce: Debounce,
    venue: Venue,
    demo: Option<Venue>,
    clock: Arc<dyn Clock>,
    origin: Instant,
    on_signin: Option<Arc<dyn Fn() + Send + Sync>>,
    held: Option<PartyHold>,
    last_full: Option<(Refused, Instant)>,
    party_prompt: bool,
}

impl std::fmt::Debug for Scanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner").finish_non_exhaustive()
    }
}

impl Scanner {
    /// A scanner with the recommended cascade.
    pub fn new(
        venue: Venue,
        demo: Option<Venue>,
        clock: Arc<dyn Clock>,
        debounce_ms: Millis,
    ) -> Self {
        Scanner {
            cascade: Cascade::recommended(),
            debounce: Debounce::with_window(debounce_ms),
            venue,
            demo,
            clock,
            origin: Instant::now(),
            on_signin: None,
            held: None,
            last_full: None,
            party_prompt: false,
        }
    }

    /// Holds camera scans of parties for the party prompt (a window is there to answer it).
    pub fn party_prompt(&mut self, on: bool) {
        self.party_prompt = on;
    }

    /// Releases the entries a party prompt held when the kiosk stopped (a crash leaves the
    /// default head count); call once at start.
    pub fn settle_held_parties(&mut self) {
        match self.venue.ledger.settle_held_parties() {
            Ok(0) => {}
            Ok(n) => tracing::info!("door: {n} party prompt(s) left open settled at their default"),
            Err(e) => tracing::warn!("door: cannot settle held party prompts: {e}"),
        }
    }

    /// Commits the open party prompt's default (or nothing, when none is open).
    fn settle_held(&mut self) {
        if let Some(hold) = self.held.take()
            && let Err(e) = self.venue.ledger.settle_party(&hold.entry, None)
        {
            tracing::warn!("door: cannot settle the party prompt: {e}");
        }
    }

    /// The party prompt's answer: the head count (at most the pass's `p`), the hold released.
    pub fn party(&mut self, entry: &EntryId, heads: PartySize) {
        let max = match &self.held {
            Some(hold) if hold.entry == *entry => hold.max,
            // Already settled (a scan came first): the default stands.
            _ => return,
        };
        self.held = None;
        if let Err(e) = self.venue.ledger.settle_party(entry, Some(heads.min(max))) {
            tracing::warn!("door: cannot record the party's head count: {e}");
        }
    }

    /// Admits the visitor of the last `qr_full` (within [`OVERRIDE_WINDOW`]) over capacity.
    pub fn admit_over_capacity(&mut self) -> Option<VerdictEvent> {
        let (refused, at) = self.last_full.take()?;
        if at.elapsed() > OVERRIDE_WINDOW {
            return None;
        }
        let scan = DoorScan {
            over_capacity: true,
            ..DoorScan::default()
        };
        match refused {
            Refused::Text(text) => self.judge_at_venue(&text, ScanSource::Camera, &scan),
            Refused::WalkIn(pass, heads) => {
                self.judge_walk_in_pass(*pass, &DoorScan { heads, ..scan })
            }
        }
    }

    /// Signs in a walk-in at the venue's door (an entry of the party the volunteer typed).
    pub fn walk_in(&mut self, walk_in: &WalkIn) -> Option<VerdictEvent> {
        self.settle_held();
        let now = self.clock.now();
        let scan = DoorScan {
            heads: Some(walk_in.party),
            over_capacity: false,
        };
        match self.venue.judge_walk_in(walk_in, &scan, now) {
            Ok((pass, door)) => Some(self.walk_in_judged(pass, &scan, &door, now.unix)),
            Err(e) => {
                tracing::error!("ledger: {e}; walk-in not recorded");
                None
            }
        }
    }

    fn judge_walk_in_pass(&mut self, pass: Pass, scan: &DoorScan) -> Option<VerdictEvent> {
        self.settle_held();
        let now = self.clock.now();
        match self.venue.judge_pass(pass.clone(), scan, now) {
            Ok(door) => Some(self.walk_in_judged(pass, scan, &door, now.unix)),
            Err(e) => {
                tracing::error!("ledger: {e}; walk-in not recorded");
                None
            }
        }
    }

    fn walk_in_judged(
        &mut self,
        pass: Pass,
        scan: &DoorScan,
        door: &usher_core::DoorVerdict,
        at: i64,
    ) -> VerdictEvent {
        let kind = door.verdict.kind();
        tracing::info!("walk-in: {}", kind.name());
        if kind == VerdictKind::Accepted
            && let Some(hook) = &self.on_signin
        {
            hook();
        }
        self.last_full = (kind == VerdictKind::Full)
            .then(|| (Refused::WalkIn(Box::new(pass), scan.heads), Instant::now()));
        VerdictEvent::from_door(door, at, ScanSource::WalkIn, false)
    }

    /// This kiosk's sign-ins within `<undoMinutes>`, newest first (the undo list).
    pub fn recent_signins(&self) -> Vec<RecentSignIn> {
        let minutes = i64::from(self.venue.settings.undo_minutes);
        let since = self.clock.now().unix.saturating_sub(minutes * 60);
        self.venue
            .ledger
            .recent_signins(since, 50)
            .unwrap_or_else(|e| {
                tracing::warn!("undo: cannot read the recent sign-ins: {e}");
                Vec::new()
            })
    }

    /// Voids this kiosk's sign-in `entry` (the volunteer's undo), if it is still within
    /// `<undoMinutes>`; the void goes up with the next upload.
    pub fn void(&mut self, entry: &EntryId) -> bool {
        if !self.recent_signins().iter().any(|r| r.entry == *entry) {
            tracing::warn!("undo: that sign-in is no longer within undoMinutes");
            return false;
        }
        let now = self.clock.now().unix;
        let device = self.venue.rules.device_id.clone();
        match self.venue.ledger.void_signin(entry, now, &device) {
            Ok(voided) => {
                tracing::info!("undo: a sign-in voided");
                if let Some(hook) = &self.on_signin {
                    hook();
                }
                voided
            }
            Err(e) => {
                tracing::error!("ledger: {e}; sign-in not voided");
                false
            }
        }
    }

    /// Records a press of the head-count tally at this kiosk's entrance.
    pub fn tally(&mut self, delta: i8) {
        let now = self.clock.now().unix;
        let device = self.venue.rules.device_id.clone();
        let entrance = self.venue.door.entrance.clone();
        match self
            .venue
            .ledger
            .record_tally(&entrance, i64::from(delta), now, &device)
        {
            Ok(()) => {
                if let Some(hook) = &self.on_signin {
                    hook();
                }
            }
            Err(e) => tracing::error!("ledger: {e}; tally not recorded"),
        }
    }

    /// The roll call from the venue's ledger.
    pub fn roll_call(&self) -> Vec<RollCallEntry> {
        self.venue.ledger.roll_call().unwrap_or_else(|e| {
            tracing::warn!("door: cannot read the roll call: {e}");
            Vec::new()
        })
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
        let texts = self.decode(frame);
        self.judge_texts(texts, frame.captured)
    }

    /// The texts of the codes on a frame.
    pub fn decode(&self, frame: &Frame) -> Vec<String> {
        self.cascade.decode(&frame.grey)
    }

    /// Judges every text read on a frame captured at `captured` that the debounce lets by.
    pub fn judge_texts(&mut self, texts: Vec<String>, captured: Instant) -> Vec<VerdictEvent> {
        let now = self.millis(captured);
        let mut out = Vec::new();
        for text in texts {
            if self.debounce.admit(&text, now) {
                let on_demo_feed = self.demo.is_some();
                if let Some(ev) = self.verdict_for(&text, ScanSource::Camera, on_demo_feed) {
                    out.push(ev);
                }
            }
        }
        out
    }

    /// Judges a keyboard-wedge scan (always at the venue).
    pub fn wedge(&mut self, text: &str) -> Option<VerdictEvent> {
        let now = self.millis(Instant::now());
        if !self.debounce.admit(text, now) {
            return None;
        }
        self.verdict_for(text, ScanSource::Wedge, false)
    }

    /// Judges a scan at the demo feed's venue when it is on, else at the venue.
    fn verdict_for(
        &mut self,
        text: &str,
        source: ScanSource,
        on_demo_feed: bool,
    ) -> Option<VerdictEvent> {
        match (&mut self.demo, on_demo_feed) {
            (Some(demo), true) => {
                let now = self.clock.now();
                match demo.judge(text, now) {
                    Ok(verdict) => Some(VerdictEvent::from_verdict(&verdict, now.unix, source)),
                    Err(e) => {
                        tracing::error!("ledger: {e}; scan not judged");
                        None
                    }
                }
            }
            _ => self.judge_at_venue(text, source, &DoorScan::default()),
        }
    }

    /// Judges a scan at the venue's door: an open party prompt's default is committed first;
    /// a camera scan of a party is held for its prompt (a keyboard-wedge scan takes the
    /// default).
    fn judge_at_venue(
        &mut self,
        text: &str,
        source: ScanSource,
        scan: &DoorScan,
    ) -> Option<VerdictEvent> {
        self.settle_held();
        let now = self.clock.now();
        let hold = self.party_prompt && source == ScanSource::Camera;
        match self.venue.judge_scan(text, scan, hold, now) {
            Ok((door, held)) => {
                let kind = door.verdict.kind();
                tracing::info!("scan: {} ({:?})", kind.name(), source);
                if kind == VerdictKind::Accepted
                    && let Some(hook) = &self.on_signin
                {
                    hook();
                }
                self.last_full = (kind == VerdictKind::Full)
                    .then(|| (Refused::Text(text.to_owned()), Instant::now()));
                let event = VerdictEvent::from_door(&door, now.unix, source, held);
                self.held = event.door.party.clone();
                Some(event)
            }
            Err(e) => {
                // The ledger failed: nothing was recorded, so nothing is shown as accepted.
                tracing::error!("ledger: {e}; scan not judged");
                None
            }
        }
    }

    /// Stops judging frames at the demo feed's venue (a real camera is in use).
    pub fn leave_demo(&mut self) {
        self.demo = None;
    }

    /// Judges frames at the demo feed's venue.
    pub fn enter_demo(&mut self) -> anyhow::Result<()> {
        if self.demo.is_none() {
            self.demo = Some(Venue::demo()?);
        }
        Ok(())
    }

    /// Figures for the UI.
    pub fn stats(&self, source: &str, cameras: Vec<String>) -> Stats {
        let day = self.clock.now().local_day_start();
        let ledger = &self.venue.ledger;
        Stats {
            device_id: self.venue.rules.device_id.clone(),
            today: ledger.counts_since(day).unwrap_or_default(),
            recent: ledger.recent_scans(10).unwrap_or_default(),
            pending_uploads: ledger.pending_uploads().unwrap_or_default(),
            source: source.to_owned(),
            cameras,
            decoder_panics: usher_decode::panics(),
            parked: ledger.parked().unwrap_or_default(),
            protection: Some(ledger.protection().keeping()),
            warnings: self.venue.warnings.clone(),
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
            door: self.door_figures(),
            uncounted: if self.venue.is_demo() {
                0
            } else {
                let own = ledger.tallied_since(day).map(|t| t.total());
                let others = ledger.remote_tallied().map(|t| t.total());
                own.unwrap_or_default()
                    .saturating_add(others.unwrap_or_default())
            },
        }
    }

    /// The status line's door figures (none for the demo feed's venue).
    fn door_figures(&self) -> Option<DoorFigures> {
        if self.demo.is_some() || self.venue.is_demo() {
            return None;
        }
        let ledger = &self.venue.ledger;
        // Read through a dry run: the figures need no write and `stats` takes `&self`.
        let inside = usher_core::DoorLedger::inside_now(&mut crate::ledger::DryRun(ledger)).ok()?;
        Some(DoorFigures {
            entrance: self.venue.door.entrance.clone(),
            status: self.venue.door.status(&inside),
            presence_fetched_at: ledger.presence_fetched_at().unwrap_or_default(),
        })
    }
}

/// The running pipeline's handles.
#[derive(Debug)]
pub struct Pipeline {
    /// Commands to the pipeline.
    pub commands: Sender<Command>,
    /// Events for the UI.
    pub events: Receiver<ToUi>,
    /// `usher-scan`, then `usher-screens`: dropped (stopped and joined) in that order.
    workers: Vec<Worker>,
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
        let scr = scr_tx.clone();
        let scan = Worker::spawn_stopped_by(
            "usher-scan",
            {
                let cmd_tx = cmd_tx.clone();
                move || {
                    let _ = cmd_tx.send(Command::Shutdown);
                }
            },
            {
                let wake = Arc::clone(&notify);
                move || scan_thread(setup, cmd_rx, send, scr, wake)
            },
        )?;
        let screens = Worker::spawn_stopped_by(
            "usher-screens",
            move || {
                let _ = scr_tx.send(ScreensCommand::Shutdown);
            },
            move || screens_thread(screens_dir, sound, scr_rx, screens_send),
        )?;
        Ok(Pipeline {
            commands: cmd_tx,
            events: ui_rx,
            workers: vec![scan, screens],
        })
    }

    /// The UI's ends of the channels (the pipeline keeps a sender for its own shutdown).
    pub fn take_channels(&mut self) -> (Receiver<ToUi>, Sender<Command>) {
        let events = std::mem::replace(&mut self.events, std::sync::mpsc::channel().1);
        (events, self.commands.clone())
    }

    /// Stops and joins the threads (as dropping the pipeline does).
    pub fn shutdown(self) {
        drop(self.workers);
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
    wake: Arc<dyn Fn() + Send + Sync>,
) {
    let ScanSetup {
        source,
        status,
        venue,
        demo,
        clock,
        debounce_ms,
        on_signin,
        party_prompt,
        preview,
    } = setup;
    let mut scanner = Scanner::new(venue, demo, clock, debounce_ms);
    scanner.on_signin(on_signin);
    scanner.party_prompt(party_prompt);
    scanner.settle_held_parties();
    let mut scan = ScanLoop {
        scanner,
        source,
        cameras: camera::list_cameras(),
        lost: matches!(status, CameraStatus::Lost(_)),
        send,
        screens,
        preview,
        wake,
    };
    (scan.send)(ToUi::Camera(status));
    scan.send_stats();
    loop {
        // Commands first: a wedge scan waits at most one frame.
        match scan.next_command(&rx) {
            None | Some(Some(Command::Shutdown)) => return,
            Some(Some(command)) => scan.command(command),
            Some(None) => scan.step(),
        }
    }
}

/// The scan thread's state between frames.
struct ScanLoop<F: Fn(ToUi)> {
    scanner: Scanner,
    source: Box<dyn FrameSource>,
    cameras: Vec<String>,
    lost: bool,
    send: F,
    screens: Sender<ScreensCommand>,
    preview: Option<crate::preview::Publisher>,
    /// Asks the window to draw again (a new preview frame).
    wake: Arc<dyn Fn() + Send + Sync>,
}

impl<F: Fn(ToUi)> ScanLoop<F> {
    /// The next command, if any (waiting up to a second while the camera is lost, when there
    /// are no frames to read); `None` when the UI is gone.
    fn next_command(&self, rx: &Receiver<Command>) -> Option<Option<Command>> {
        if self.lost {
            match rx.recv_timeout(Duration::from_secs(1)) {
                Ok(c) => Some(Some(c)),
                Err(RecvTimeoutError::Timeout) => Some(None),
                Err(RecvTimeoutError::Disconnected) => None,
            }
        } else {
            match rx.try_recv() {
                Ok(c) => Some(Some(c)),
                Err(TryRecvError::Empty) => Some(None),
                Err(TryRecvError::Disconnected) => None,
            }
        }
    }

    fn send_stats(&self) {
        (self.send)(ToUi::Stats(
            self.scanner
                .stats(&self.source.name(), self.cameras.clone()),
        ));
    }

    fn deliver(&self, ev: VerdictEvent) {
        let _ = self.screens.send(ScreensCommand::Play(ev.kind.name()));
        (self.send)(ToUi::Verdict(ev));
        self.send_stats();
    }

    fn command(&mut self, command: Command) {
        match command {
            Command::Wedge(text) => {
                if let Some(ev) = self.scanner.wedge(&text) {
                    self.deliver(ev);
                }
            }
            Command::ReloadScreens => {
                let _ = self.screens.send(ScreensCommand::Reload);
            }
            Command::TestSound => {
                let _ = self.screens.send(ScreensCommand::TestSound);
            }
            Command::RefreshStats => {
                self.cameras = camera::list_cameras();
                self.send_stats();
            }
            Command::UseCamera(choice) => {
                use_camera(
                    choice,
                    &mut self.source,
                    &mut self.scanner,
                    &mut self.lost,
                    &self.send,
                );
                self.send_stats();
            }
            Command::Party { entry, heads } => {
                self.scanner.party(&entry, heads);
                self.send_stats();
            }
            Command::AdmitOverCapacity => match self.scanner.admit_over_capacity() {
                Some(ev) => self.deliver(ev),
                None => tracing::warn!("door: no qr_full to admit over capacity"),
            },
            Command::RollCall => (self.send)(ToUi::RollCall(self.scanner.roll_call())),
            Command::WalkIn(walk_in) => match self.scanner.walk_in(&walk_in) {
                Some(ev) => self.deliver(ev),
                None => tracing::warn!("door: the walk-in was not recorded"),
            },
            Command::RecentSignIns => {
                (self.send)(ToUi::RecentSignIns(self.scanner.recent_signins()));
            }
            Command::Void(entry) => {
                self.scanner.void(&entry);
                self.send_stats();
            }
            Command::Tally(delta) => {
                self.scanner.tally(delta);
                self.send_stats();
            }
            Command::Shutdown => {}
        }
    }

    /// One frame judged, or (camera lost) one attempt to reopen it.
    fn step(&mut self) {
        if self.lost {
            if self.source.reopen().is_ok() {
                self.lost = false;
                (self.send)(ToUi::Camera(CameraStatus::Live(self.source.name())));
            }
            return;
        }
        match self.source.next_frame() {
            Ok(frame) => {
                let texts = self.scanner.decode(&frame);
                // The preview first, so the code is outlined while it is judged.
                self.offer_preview(&frame, !texts.is_empty());
                for ev in self.scanner.judge_texts(texts, frame.captured) {
                    self.deliver(ev);
                }
            }
            Err(SourceError::NoFrame) => {}
            Err(SourceError::Lost(name)) => {
                self.lost = true;
                if let Some(preview) = &self.preview {
                    preview.clear();
                }
                (self.send)(ToUi::Camera(CameraStatus::Lost(name)));
            }
        }
    }

    /// Makes a preview frame of `frame` when one is due (at most 7 a second), with the
    /// outline of the codes on it when the cascade `read` any (a second, locating read, only
    /// then), and wakes the window.
    fn offer_preview(&mut self, frame: &Frame, read: bool) {
        let now = self.scanner.millis(frame.captured);
        let Some(preview) = self.preview.as_mut() else {
            return;
        };
        if !preview.due(now) {
            return;
        }
        let located = if read {
            usher_decode::locate::locate(&frame.grey)
        } else {
            Vec::new()
        };
        preview.publish(&frame.grey, &located, self.source.showing());
        (self.wake)();
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
    use usher_core::Now;

    fn scanner() -> Scanner {
        let clock = Arc::new(FixedClock::new(Now::utc(1_800_000_000)));
        Scanner::new(Venue::demo().unwrap(), None, clock, 5_000)
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

    /// A scan setup over a `dir:` folder of one frame showing the first demo pass, at `fps`.
    fn one_pass_folder(
        fps: f64,
        preview: Option<crate::preview::Publisher>,
    ) -> (tempfile::TempDir, ScanSetup) {
        let dir = tempfile::tempdir().unwrap();
        let frames = dir.path().join("frames");
        std::fs::create_dir(&frames).unwrap();
        let text = camera::demo::texts(1_800_000_000, 0)[0].clone();
        camera::demo::frame_for(Some(&text))
            .to_gray_image()
            .save(frames.join("a.png"))
            .unwrap();
        let source = camera::DirSource::open(&frames, fps).unwrap();
        let setup = ScanSetup {
            status: CameraStatus::Folder(source.name()),
            source: Box::new(source),
            venue: Venue::demo().unwrap(),
            demo: None,
            clock: Arc::new(FixedClock::new(Now::utc(1_800_000_000))),
            debounce_ms: 5_000,
            on_signin: None,
            party_prompt: true,
            preview,
        };
        (dir, setup)
    }

    #[test]
    fn pipeline_threads_deliver_verdicts_and_screens() {
        let (dir, setup) = one_pass_folder(20.0, None);
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
    fn the_scan_thread_hands_over_at_most_7_preview_frames_a_second_with_the_code_outlined() {
        let slot = crate::preview::Slot::default();
        let publisher = crate::preview::Publisher::new(slot.clone(), true);
        let (dir, setup) = one_pass_folder(60.0, Some(publisher));
        let woken = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let wake = {
            let woken = Arc::clone(&woken);
            Arc::new(move || {
                woken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            })
        };
        let p = Pipeline::start(setup, dir.path().join("screens"), false, wake).unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut first = None;
        while Instant::now() < deadline && first.is_none() {
            std::thread::sleep(Duration::from_millis(20));
            first = slot.newer_than(0).and_then(|(_, frame)| frame);
        }
        let first = first.expect("a preview frame");
        let started = Instant::now();
        let seq0 = slot.seq();
        std::thread::sleep(Duration::from_millis(1_000));
        let (frames_in_a_second, elapsed) = (slot.seq() - seq0, started.elapsed());
        p.shutdown();
        assert_eq!((first.width, first.height), (320, 180));
        // Each frame shows the code, outlined around the middle of the picture.
        let outline = first.outlines.first().expect("the code outlined");
        assert_eq!(outline.len(), 4);
        for [x, y] in outline {
            assert!(
                (0.2..0.8).contains(x) && (0.05..0.95).contains(y),
                "{outline:?}"
            );
        }
        let most = 1 + elapsed.as_millis() as u64 / crate::preview::MIN_INTERVAL_MS;
        assert!(
            (1..=most).contains(&frames_in_a_second),
            "{frames_in_a_second} preview frames in {elapsed:?} from a 60 fps source"
        );
        assert!(woken.load(std::sync::atomic::Ordering::Relaxed) >= frames_in_a_second);
    }

    const PASSWORD: &str = "a door password of some length";

    fn family(name: &str, p: u8) -> String {
        usher_core::issue::pass_text(
            "https://venue.example/p",
            &format!(r#"{{"s1":"{name}","p":{p},"expiry":1900000000,"n":"{name}"}}"#),
            &usher_core::Signer::HmacSha256(usher_core::Secret::from(PASSWORD)),
        )
    }

    fn door_scanner(capacity: Option<u32>) -> Scanner {
        let mut venue = Venue::demo().unwrap();
        venue.rules = usher_testkit::password_rules(PASSWORD, usher_core::ReusePolicy::Daily);
        venue.door.capacity.venue = capacity;
        let clock = Arc::new(FixedClock::new(Now::utc(1_800_000_000)));
        let mut s = Scanner::new(venue, None, clock, 5_000);
        s.party_prompt(true);
        s
    }

    fn inside(s: &mut Scanner) -> u32 {
        usher_core::DoorLedger::inside_now(&mut s.venue.ledger)
            .unwrap()
            .total()
    }

    #[test]
    fn a_scan_during_the_party_prompt_commits_the_default_first() {
        let mut s = door_scanner(None);
        let ada = s
            .judge_at_venue(&family("Ada", 3), ScanSource::Camera, &DoorScan::default())
            .unwrap();
        let hold = ada.door.party.clone().expect("a prompt for a party of 3");
        assert_eq!(hold.max.get(), 3);
        assert_eq!(s.venue.ledger.pending_batch(10).unwrap(), vec![], "held");
        let bob = s
            .judge_at_venue(&family("Bob", 1), ScanSource::Camera, &DoorScan::default())
            .unwrap();
        assert_eq!(bob.door.party, None, "a party of one is not asked");
        assert_eq!(s.venue.ledger.pending_batch(10).unwrap().len(), 2);
        // A tap arriving after that scan changes nothing: the default stands.
        s.party(&hold.entry, PartySize::new(1).unwrap());
        assert_eq!(inside(&mut s), 4);
    }

    #[test]
    fn a_tap_sets_the_head_count_and_a_wedge_scan_takes_the_default() {
        let mut s = door_scanner(None);
        let ev = s
            .judge_at_venue(&family("Ada", 5), ScanSource::Camera, &DoorScan::default())
            .unwrap();
        let hold = ev.door.party.expect("prompt");
        s.party(&hold.entry, PartySize::new(9).unwrap());
        assert_eq!(inside(&mut s), 5, "capped at p");
        assert_eq!(s.venue.ledger.pending_batch(10).unwrap().len(), 1);
        let ev = s.wedge(&family("Grace", 4)).unwrap();
        assert_eq!(ev.door.party, None);
        assert_eq!(ev.door.heads.map(PartySize::get), Some(4));
        assert_eq!(s.venue.ledger.pending_batch(10).unwrap().len(), 2);
    }

    #[test]
    fn without_a_window_a_party_is_never_held() {
        let mut s = door_scanner(None);
        s.party_prompt(false);
        let ev = s
            .judge_at_venue(&family("Ada", 3), ScanSource::Camera, &DoorScan::default())
            .unwrap();
        assert_eq!(ev.door.party, None);
        assert_eq!(s.venue.ledger.pending_batch(10).unwrap().len(), 1);
    }

    #[test]
    fn the_last_qr_full_can_be_admitted_over_capacity_once() {
        let mut s = door_scanner(Some(2));
        assert!(s.admit_over_capacity().is_none(), "nothing refused yet");
        let full = s
            .judge_at_venue(&family("Ada", 3), ScanSource::Wedge, &DoorScan::default())
            .unwrap();
        assert_eq!(full.kind, VerdictKind::Full);
        let admitted = s.admit_over_capacity().expect("admitted");
        assert_eq!(admitted.kind, VerdictKind::Accepted);
        assert!(admitted.door.over_capacity);
        assert_eq!(inside(&mut s), 3);
        assert!(
            s.admit_over_capacity().is_none(),
            "one override per refusal"
        );
    }

    #[test]
    fn a_walk_in_signs_in_its_party_and_the_undo_takes_it_out_again() {
        let mut s = door_scanner(Some(3));
        let walk_in =
            |n: u64| WalkIn::new("Grace Hopper", "", "", PartySize::new(n).unwrap()).unwrap();
        let ev = s.walk_in(&walk_in(2)).expect("judged");
        assert_eq!(
            (ev.kind, ev.source),
            (VerdictKind::Accepted, ScanSource::WalkIn)
        );
        assert_eq!(ev.door.heads.map(PartySize::get), Some(2));
        assert_eq!(
            ev.door.party, None,
            "the volunteer typed the party: no prompt"
        );
        assert_eq!(inside(&mut s), 2);
        // Over capacity: qr_full, and "admit anyway" admits that walk-in.
        let full = s.walk_in(&walk_in(2)).expect("judged");
        assert_eq!(full.kind, VerdictKind::Full);
        let admitted = s.admit_over_capacity().expect("admitted");
        assert_eq!(admitted.kind, VerdictKind::Accepted);
        assert!(admitted.door.over_capacity);
        assert_eq!(inside(&mut s), 4);
        let recent = s.recent_signins();
        assert_eq!(recent.len(), 2);
        assert_eq!(recent[0].first_name.as_deref(), Some("Grace"));
        assert!(s.void(&recent[0].entry));
        assert!(!s.void(&recent[0].entry), "voided once");
        assert_eq!(inside(&mut s), 2);
        s.tally(1);
        s.tally(1);
        s.tally(-1);
        s.tally(1);
        assert_eq!(s.venue.ledger.tallied_since(0).unwrap().total(), 2);
    }
}
