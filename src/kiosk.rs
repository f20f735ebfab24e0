//! The kiosk's pure state machine: what the screen shows, decided from inputs and the time.
//!
//! Nothing here reads a file, a clock or a channel. Every input carries the monotonic time in
//! milliseconds ([`Millis`]) at which it happened, so tests drive the machine with a controlled
//! clock and the UI only draws [`Kiosk::view`]. Wall-clock times (for templates and the status
//! line) travel inside the events as Unix seconds.
//!
//! - [`Kiosk`]: ready / verdict (until `resultSeconds` have passed, even with no input) /
//!   camera lost / demo-feed notice / PIN pad / admin panel. The PIN and its lockout belong to
//!   the [`PinGate`], which lives here, not in the pad: closing the pad keeps the lockout.
//! - [`Debounce`]: the same text seen again within a few seconds is ignored, so a pass held in
//!   front of the camera gives one verdict and never shows `qr_used` to the person just accepted.
//!   The scanning pipeline applies it before judging, so nothing reaches the ledger twice.

use crate::gate::{Attempt, PinGate, Role};
use crate::view::Screen;
use std::collections::HashMap;
pub use usher_core::FirstUse;
use usher_core::{Verdict, VerdictKind};

/// Monotonic milliseconds (from any fixed origin).
pub type Millis = u64;

/// How long after its last sighting a text is ignored.
pub const DEBOUNCE_MS: Millis = 5_000;

pub use crate::gate::{PIN_ATTEMPTS, PIN_LOCKOUT_MS};
/// An unfinished PIN entry closes itself after this long without a key.
pub const PIN_IDLE_MS: Millis = 30_000;

/// Where a scanned text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanSource {
    /// A decoded camera (or `dir:` / demo) frame.
    Camera,
    /// A keyboard-wedge barcode scanner.
    Wedge,
}

/// A verdict as the screen needs it: its kind and the fields templates use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictEvent {
    /// The verdict's kind.
    pub kind: VerdictKind,
    /// `s1`..`s10` of the pass, when it parsed.
    pub strings: [Option<String>; 10],
    /// `expiry` of the pass (Unix seconds), when it parsed.
    pub expiry: Option<u64>,
    /// For `qr_used`: when and where the pass was first used.
    pub first_use: Option<FirstUse>,
    /// The reason in words, free of contact details.
    pub reason: String,
    /// When it was judged (Unix seconds).
    pub at: i64,
    /// Where the text came from.
    pub source: ScanSource,
}

impl VerdictEvent {
    /// The screen event for a verdict judged at `at`.
    pub fn from_verdict(verdict: &Verdict, at: i64, source: ScanSource) -> Self {
        let pass = verdict.pass();
        VerdictEvent {
            kind: verdict.kind(),
            strings: pass.map(|p| p.payload.strings.clone()).unwrap_or_default(),
            expiry: pass.and_then(|p| p.payload.expiry),
            first_use: match verdict {
                Verdict::Used { first, .. } => Some(first.clone()),
                _ => None,
            },
            reason: verdict.reason(),
            at,
            source,
        }
    }

    /// A verdict of this kind with no pass fields, at time 0 (tests).
    #[cfg(test)]
    pub(crate) fn bare(kind: VerdictKind) -> Self {
        VerdictEvent {
            kind,
            strings: Default::default(),
            expiry: None,
            first_use: None,
            reason: String::new(),
            at: 0,
            source: ScanSource::Camera,
        }
    }

    /// The visitor's name (`s1`).
    pub fn name(&self) -> Option<&str> {
        self.strings[0].as_deref()
    }
}

/// What the camera is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CameraStatus {
    /// Frames are arriving from this source.
    Live(String),
    /// The camera went away; the pipeline is trying to reopen it.
    Lost(String),
    /// No camera was found: the built-in demo feed is playing.
    DemoNoCamera,
    /// The demo feed, asked for on the command line.
    Demo,
    /// Frames come from a folder of images (development, tests).
    Folder(String),
}

/// Inputs to the state machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Time passes (the UI sends this every frame; it may come at any rate).
    Tick,
    /// The pipeline judged a scan (after its ledger commit).
    Verdict(Box<VerdictEvent>),
    /// The camera's status changed.
    Camera(CameraStatus),
    /// Someone asked to leave full screen / open the admin panel (Escape, the corner button).
    AdminRequested,
    /// A digit typed on the PIN pad.
    PinDigit(char),
    /// Backspace on the PIN pad.
    PinBackspace,
    /// Enter on the PIN pad.
    PinSubmit,
    /// Cancel on the PIN pad or the admin panel's close button.
    Close,
    /// The admin panel's quit button.
    Quit,
}

/// The overlay above the main screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// Nothing: the kiosk is scanning.
    None,
    /// The PIN pad.
    Pin {
        /// How many digits have been typed (never the digits).
        typed: usize,
        /// The last PIN was wrong.
        wrong: bool,
        /// Locked until this time after too many wrong PINs.
        locked_until: Option<Millis>,
    },
    /// The admin panel (PIN given).
    Admin,
}

/// The main screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Main {
    /// Waiting for a pass (the `ready` screen).
    Ready,
    /// A verdict screen, shown until `until`.
    Verdict {
        /// The verdict.
        event: Box<VerdictEvent>,
        /// When the kiosk turns ready again.
        until: Millis,
    },
}

/// Everything the UI draws, derived from the state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View<'a> {
    /// The main screen.
    pub main: &'a Main,
    /// The camera is lost (draw the camera-lost notice over `ready`).
    pub camera_lost: Option<&'a str>,
    /// A notice line for the ready screen ("demo feed: no camera found").
    pub notice: Option<&'static str>,
    /// The overlay.
    pub overlay: &'a Overlay,
}

impl View<'_> {
    /// Which screen is shown.
    pub fn screen(&self) -> Screen {
        match self.main {
            Main::Ready => Screen::Ready,
            Main::Verdict { event, .. } => Screen::Verdict(event.kind),
        }
    }

    /// The screens-folder name of what is shown: `ready` or a verdict name.
    pub fn screen_name(&self) -> &'static str {
        self.screen().name()
    }

    /// The verdict shown, if any.
    pub fn verdict(&self) -> Option<&VerdictEvent> {
        match self.main {
            Main::Verdict { event, .. } => Some(event),
            Main::Ready => None,
        }
    }
}

/// The kiosk's state.
#[derive(Debug)]
pub struct Kiosk {
    result_ms: Millis,
    gate: PinGate,
    main: Main,
    camera: CameraStatus,
    overlay: Overlay,
    last_pin_key: Millis,
    quit: bool,
}

impl Kiosk {
    /// A kiosk showing `ready`, with verdicts shown for `result_seconds`, the admin panel
    /// behind `gate`.
    pub fn new(result_seconds: u32, gate: PinGate, camera: CameraStatus) -> Self {
        Kiosk {
            result_ms: Millis::from(result_seconds.max(1)) * 1000,
            gate,
            main: Main::Ready,
            camera,
            overlay: Overlay::None,
            last_pin_key: 0,
            quit: false,
        }
    }

    /// Feeds one input that happened at `now`.
    pub fn handle(&mut self, input: Input, now: Millis) {
        self.expire(now);
        match input {
            Input::Tick => {}
            Input::Verdict(event) => {
                self.main = Main::Verdict {
                    event,
                    until: now + self.result_ms,
                };
            }
            Input::Camera(status) => self.camera = status,
            Input::AdminRequested => self.open_pad(now),
            Input::PinDigit(c) => {
                if matches!(self.overlay, Overlay::Pin { .. }) && self.gate.digit(c, now) {
                    self.last_pin_key = now;
                    self.show_pad(false, now);
                }
            }
            Input::PinBackspace => {
                if let Overlay::Pin { wrong, .. } = self.overlay {
                    self.gate.backspace();
                    self.last_pin_key = now;
                    self.show_pad(wrong, now);
                }
            }
            Input::PinSubmit => self.submit_pin(now),
            Input::Close => {
                self.gate.clear();
                self.overlay = Overlay::None;
            }
            Input::Quit => {
                if self.overlay == Overlay::Admin {
                    self.quit = true;
                }
            }
        }
    }

    /// Opens the PIN pad (or, with no PIN, the admin panel); a lockout stays as it was.
    fn open_pad(&mut self, now: Millis) {
        if self.overlay != Overlay::None {
            return;
        }
        if self.gate.open_without_pin() == Some(Role::Admin) {
            self.overlay = Overlay::Admin;
            return;
        }
        self.gate.clear();
        self.last_pin_key = now;
        self.show_pad(false, now);
    }

    /// The pad as the gate says it is now.
    fn show_pad(&mut self, wrong: bool, now: Millis) {
        self.overlay = Overlay::Pin {
            typed: self.gate.typed(),
            wrong,
            locked_until: self.gate.locked_until(now),
        };
    }

    fn submit_pin(&mut self, now: Millis) {
        if !matches!(self.overlay, Overlay::Pin { .. }) {
            return;
        }
        match self.gate.submit(now) {
            Attempt::Opened(Role::Admin) => self.overlay = Overlay::Admin,
            Attempt::Wrong | Attempt::LockedOut(_) => {
                self.last_pin_key = now;
                self.show_pad(true, now);
            }
            Attempt::Refused => {}
        }
    }

    /// Applies everything time alone changes (a lockout kept from the last run starts at the
    /// first input).
    fn expire(&mut self, now: Millis) {
        if let Main::Verdict { until, .. } = self.main
            && now >= until
        {
            self.main = Main::Ready;
        }
        let locked = self.gate.locked_until(now);
        if let Overlay::Pin { locked_until, .. } = &mut self.overlay {
            if let Some(t) = *locked_until
                && locked.is_none()
            {
                *locked_until = None;
                self.last_pin_key = t;
            }
            if locked_until.is_none() && now.saturating_sub(self.last_pin_key) >= PIN_IDLE_MS {
                self.gate.clear();
                self.overlay = Overlay::None;
            }
        }
    }

    /// What to draw at `now` (call [`Kiosk::handle`] with [`Input::Tick`] first).
    pub fn view(&self) -> View<'_> {
        View {
            main: &self.main,
            camera_lost: match &self.camera {
                CameraStatus::Lost(name) => Some(name.as_str()),
                _ => None,
            },
            notice: match self.camera {
                CameraStatus::DemoNoCamera => Some("demo feed: no camera found"),
                CameraStatus::Demo => Some("demo feed"),
                _ => None,
            },
            overlay: &self.overlay,
        }
    }

    /// How long a verdict screen stays.
    pub fn result_ms(&self) -> Millis {
        self.result_ms
    }

    /// The admin asked to quit (only possible from the admin panel).
    pub fn quit_requested(&self) -> bool {
        self.quit
    }

    /// Whether leaving full screen is allowed now (the admin panel is open).
    pub fn admin_open(&self) -> bool {
        self.overlay == Overlay::Admin
    }

    /// The next moment the view changes without input, for the UI's repaint timer.
    pub fn next_deadline(&self) -> Option<Millis> {
        let verdict = match self.main {
            Main::Verdict { until, .. } => Some(until),
            Main::Ready => None,
        };
        let pin = match self.overlay {
            Overlay::Pin {
                locked_until: Some(t),
                ..
            } => Some(t),
            Overlay::Pin { .. } => Some(self.last_pin_key + PIN_IDLE_MS),
            _ => None,
        };
        verdict.into_iter().chain(pin).min()
    }
}

/// Ignores a text seen again within [`DEBOUNCE_MS`] of its last sighting.
///
/// Every sighting renews the window, so a pass held still in front of the camera for a minute
/// gives one verdict. A different text is judged at once.
#[derive(Debug, Default)]
pub struct Debounce {
    window: Millis,
    seen: HashMap<String, Millis>,
}

impl Debounce {
    /// A debouncer with the default window.
    pub fn new() -> Self {
        Self::with_window(DEBOUNCE_MS)
    }

    /// A debouncer with its own window.
    pub fn with_window(window: Millis) -> Self {
        Debounce {
            window,
            seen: HashMap::new(),
        }
    }

    /// `true` when `text`, seen at `now`, should be judged; records the sighting either way.
    pub fn admit(&mut self, text: &str, now: Millis) -> bool {
        let window = self.window;
        self.seen
            .retain(|_, last| now.saturating_sub(*last) < window);
        match self.seen.get_mut(text) {
            Some(last) => {
                *last = now;
                false
            }
            None => {
                self.seen.insert(text.to_owned(), now);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: VerdictKind) -> VerdictEvent {
        VerdictEvent::bare(kind)
    }

    fn kiosk() -> Kiosk {
        Kiosk::new(
            3,
            PinGate::in_memory(Some(b"2468")),
            CameraStatus::Live("cam".into()),
        )
    }

    #[test]
    fn starts_ready() {
        let k = kiosk();
        assert_eq!(k.view().screen_name(), "ready");
        assert_eq!(k.view().overlay, &Overlay::None);
        assert_eq!(k.next_deadline(), None);
    }

    #[test]
    fn verdict_shows_then_returns_to_ready_without_input() {
        let mut k = kiosk();
        k.handle(
            Input::Verdict(Box::new(event(VerdictKind::Accepted))),
            1_000,
        );
        assert_eq!(k.view().screen_name(), "qr_accepted");
        assert_eq!(k.next_deadline(), Some(4_000));
        k.handle(Input::Tick, 3_999);
        assert_eq!(k.view().screen_name(), "qr_accepted");
        k.handle(Input::Tick, 4_000);
        assert_eq!(k.view().screen_name(), "ready");
    }

    #[test]
    fn a_new_verdict_replaces_the_old_and_restarts_the_timer() {
        let mut k = kiosk();
        k.handle(Input::Verdict(Box::new(event(VerdictKind::Accepted))), 0);
        k.handle(Input::Verdict(Box::new(event(VerdictKind::Expired))), 2_000);
        k.handle(Input::Tick, 4_000);
        assert_eq!(k.view().screen_name(), "qr_expired");
        k.handle(Input::Tick, 5_000);
        assert_eq!(k.view().screen_name(), "ready");
    }

    #[test]
    fn used_verdict_keeps_first_use() {
        let mut k = kiosk();
        let mut e = event(VerdictKind::Used);
        e.first_use = Some(FirstUse {
            at: 42,
            device_id: "kiosk-1".into(),
        });
        k.handle(Input::Verdict(Box::new(e.clone())), 0);
        match k.view().main {
            Main::Verdict { event, .. } => assert_eq!(event.first_use, e.first_use),
            Main::Ready => panic!("expected a verdict"),
        }
    }

    #[test]
    fn camera_lost_and_demo_notices() {
        let mut k = kiosk();
        k.handle(Input::Camera(CameraStatus::Lost("cam".into())), 0);
        assert_eq!(k.view().camera_lost, Some("cam"));
        k.handle(Input::Camera(CameraStatus::Live("cam".into())), 10);
        assert_eq!(k.view().camera_lost, None);
        k.handle(Input::Camera(CameraStatus::DemoNoCamera), 20);
        assert_eq!(k.view().notice, Some("demo feed: no camera found"));
    }

    #[test]
    fn pin_gate_opens_admin_only_with_the_right_pin() {
        let mut k = kiosk();
        k.handle(Input::Quit, 0);
        assert!(!k.quit_requested(), "quit needs the admin panel");
        k.handle(Input::AdminRequested, 0);
        assert!(matches!(k.view().overlay, Overlay::Pin { typed: 0, .. }));
        for c in "1234".chars() {
            k.handle(Input::PinDigit(c), 10);
        }
        assert!(matches!(k.view().overlay, Overlay::Pin { typed: 4, .. }));
        k.handle(Input::PinSubmit, 20);
        assert!(matches!(
            k.view().overlay,
            Overlay::Pin {
                wrong: true,
                typed: 0,
                ..
            }
        ));
        assert!(!k.admin_open());
        for c in "2468".chars() {
            k.handle(Input::PinDigit(c), 30);
        }
        k.handle(Input::PinSubmit, 40);
        assert!(k.admin_open());
        k.handle(Input::Quit, 50);
        assert!(k.quit_requested());
    }

    #[test]
    fn pin_backspace_and_non_digits() {
        let mut k = kiosk();
        k.handle(Input::AdminRequested, 0);
        for c in "24x69".chars() {
            k.handle(Input::PinDigit(c), 1);
        }
        k.handle(Input::PinBackspace, 2);
        k.handle(Input::PinDigit('8'), 3);
        k.handle(Input::PinSubmit, 4);
        assert!(k.admin_open());
        k.handle(Input::Close, 5);
        assert_eq!(k.view().overlay, &Overlay::None);
    }

    #[test]
    fn pin_gate_locks_after_repeated_wrong_pins() {
        let mut k = kiosk();
        k.handle(Input::AdminRequested, 0);
        for i in 0..PIN_ATTEMPTS {
            k.handle(Input::PinDigit('1'), u64::from(i));
            k.handle(Input::PinSubmit, u64::from(i));
        }
        let locked = matches!(
            k.view().overlay,
            Overlay::Pin {
                locked_until: Some(_),
                ..
            }
        );
        assert!(locked);
        for c in "2468".chars() {
            k.handle(Input::PinDigit(c), 100);
        }
        k.handle(Input::PinSubmit, 100);
        assert!(!k.admin_open(), "locked: even the right PIN is ignored");
        k.handle(Input::Tick, 100 + PIN_LOCKOUT_MS);
        for c in "2468".chars() {
            k.handle(Input::PinDigit(c), 100 + PIN_LOCKOUT_MS);
        }
        k.handle(Input::PinSubmit, 100 + PIN_LOCKOUT_MS);
        assert!(k.admin_open());
    }

    fn wrong_pins(k: &mut Kiosk, n: u32, now: Millis) {
        for _ in 0..n {
            k.handle(Input::PinDigit('1'), now);
            k.handle(Input::PinSubmit, now);
        }
    }

    fn right_pin(k: &mut Kiosk, now: Millis) {
        for c in "2468".chars() {
            k.handle(Input::PinDigit(c), now);
        }
        k.handle(Input::PinSubmit, now);
    }

    #[test]
    fn closing_and_reopening_the_pad_keeps_the_lockout() {
        let mut k = kiosk();
        k.handle(Input::AdminRequested, 0);
        wrong_pins(&mut k, PIN_ATTEMPTS, 10);
        k.handle(Input::Close, 20);
        k.handle(Input::AdminRequested, 30);
        right_pin(&mut k, 40);
        assert!(!k.admin_open(), "Cancel then reopen lifted the lockout");
        assert!(
            matches!(
                k.view().overlay,
                Overlay::Pin {
                    locked_until: Some(_),
                    ..
                }
            ),
            "{:?}",
            k.view().overlay
        );
        // Nor does a second Close and reopen later in the lockout.
        k.handle(Input::Close, 20_000);
        k.handle(Input::AdminRequested, 20_000);
        right_pin(&mut k, 20_001);
        assert!(!k.admin_open(), "still inside the 30 s lockout");
        k.handle(Input::Tick, 10 + PIN_LOCKOUT_MS);
        right_pin(&mut k, 10 + PIN_LOCKOUT_MS);
        assert!(k.admin_open(), "the lockout ends after 30 s");
    }

    #[test]
    fn a_restarted_kiosk_keeps_the_lockout_and_it_grows() {
        use crate::gate::{MemoryLockoutStore, lockout_ms};
        let store = MemoryLockoutStore::default();
        let start = |store: &MemoryLockoutStore| {
            let gate = PinGate::new(Some("2468".into()), Box::new(store.clone()));
            Kiosk::new(3, gate, CameraStatus::Demo)
        };
        let mut k = start(&store);
        k.handle(Input::AdminRequested, 0);
        wrong_pins(&mut k, PIN_ATTEMPTS, 10);
        // Restart: the new kiosk's clock starts again at 0, the lockout left comes with it.
        let mut k = start(&store);
        k.handle(Input::Tick, 0);
        k.handle(Input::AdminRequested, 5);
        right_pin(&mut k, 10);
        assert!(!k.admin_open(), "a restart lifted the lockout");
        k.handle(Input::Tick, PIN_LOCKOUT_MS);
        // The next five wrong PINs lock for twice as long.
        wrong_pins(&mut k, PIN_ATTEMPTS, PIN_LOCKOUT_MS);
        assert_eq!(
            k.view().overlay,
            &Overlay::Pin {
                typed: 0,
                wrong: true,
                locked_until: Some(PIN_LOCKOUT_MS + lockout_ms(2)),
            }
        );
        assert_eq!(lockout_ms(2), 2 * PIN_LOCKOUT_MS);
        // Restarting between wrong PINs does not reset the count either.
        k.handle(Input::Tick, PIN_LOCKOUT_MS + lockout_ms(2));
        right_pin(&mut k, PIN_LOCKOUT_MS + lockout_ms(2));
        assert!(k.admin_open());
        for _ in 0..PIN_ATTEMPTS {
            let mut k = start(&store);
            k.handle(Input::AdminRequested, 0);
            wrong_pins(&mut k, 1, 0);
        }
        let mut k = start(&store);
        k.handle(Input::AdminRequested, 0);
        right_pin(&mut k, 1);
        assert!(!k.admin_open(), "five restarts gave five fresh tries");
    }

    #[test]
    fn idle_pin_entry_closes_itself() {
        let mut k = kiosk();
        k.handle(Input::AdminRequested, 0);
        k.handle(Input::PinDigit('2'), 1_000);
        k.handle(Input::Tick, 1_000 + PIN_IDLE_MS);
        assert_eq!(k.view().overlay, &Overlay::None);
    }

    #[test]
    fn no_pin_configured_opens_admin_directly() {
        let mut k = Kiosk::new(3, PinGate::in_memory(None), CameraStatus::Demo);
        k.handle(Input::AdminRequested, 0);
        assert!(k.admin_open());
    }

    #[test]
    fn verdicts_still_arrive_under_the_admin_panel() {
        let mut k = Kiosk::new(3, PinGate::in_memory(None), CameraStatus::Demo);
        k.handle(Input::AdminRequested, 0);
        k.handle(Input::Verdict(Box::new(event(VerdictKind::Invalid))), 10);
        assert!(k.admin_open());
        assert_eq!(k.view().screen_name(), "qr_invalid");
    }

    #[test]
    fn debounce_ignores_a_held_pass() {
        let mut d = Debounce::new();
        assert!(d.admit("pass-a", 0));
        // Held in front of the camera for a minute, seen every 100 ms: never judged again.
        for t in (100..60_000).step_by(100) {
            assert!(!d.admit("pass-a", t), "judged again at {t}");
        }
        // Another pass is judged at once.
        assert!(d.admit("pass-b", 60_000));
        // Taken away for longer than the window, then shown again: judged (it will be qr_used).
        assert!(d.admit("pass-a", 59_900 + DEBOUNCE_MS));
    }

    #[test]
    fn debounce_window_edges() {
        let mut d = Debounce::with_window(5_000);
        assert!(d.admit("x", 1_000));
        assert!(!d.admit("x", 5_999));
        assert!(d.admit("x", 10_999 + 1));
    }

    #[test]
    fn event_from_verdict_copies_fields() {
        let v = Verdict::MissingParameters(usher_core::verdict::Missing::NoQuery);
        let e = VerdictEvent::from_verdict(&v, 7, ScanSource::Wedge);
        assert_eq!(e.kind, VerdictKind::MissingParameters);
        assert_eq!(e.at, 7);
        assert_eq!(e.name(), None);
    }

    #[test]
    fn debug_hides_the_pin_and_the_digits_typed() {
        let mut k = Kiosk::new(3, PinGate::in_memory(Some(b"4827")), CameraStatus::Demo);
        k.handle(Input::AdminRequested, 0);
        for c in "4827".chars() {
            k.handle(Input::PinDigit(c), 10);
        }
        assert!(matches!(k.view().overlay, Overlay::Pin { typed: 4, .. }));
        let shown = format!("{k:?}");
        // Neither as text nor as the bytes a derived Debug would print.
        assert!(
            !shown.contains("4827") && !shown.contains("52, 56"),
            "{shown}"
        );
        assert!(shown.contains("***"));
    }
}
