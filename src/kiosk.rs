//! The kiosk's pure state machine: what the screen shows, decided from inputs and the time.
//!
//! Nothing here reads a file, a clock or a channel. Every input carries the monotonic time in
//! milliseconds ([`Millis`]) at which it happened, so tests drive the machine with a controlled
//! clock and the UI only draws [`Kiosk::view`]. Wall-clock times (for templates and the status
//! line) travel inside the events as Unix seconds.
//!
//! - [`Kiosk`]: ready / verdict (until `resultSeconds` have passed, even with no input) /
//!   camera lost / demo-feed notice / PIN gate / admin panel.
//! - [`Debounce`]: the same text seen again within a few seconds is ignored, so a pass held in
//!   front of the camera gives one verdict and never shows `qr_used` to the person just accepted.
//!   The scanning pipeline applies it before judging, so nothing reaches the ledger twice.

use std::collections::HashMap;
use usher_core::{Verdict, VerdictKind};

/// Monotonic milliseconds (from any fixed origin).
pub type Millis = u64;

/// How long after its last sighting a text is ignored.
pub const DEBOUNCE_MS: Millis = 5_000;

/// Wrong PINs in a row before the gate locks for [`PIN_LOCKOUT_MS`].
pub const PIN_ATTEMPTS: u32 = 5;
/// How long the PIN gate stays locked after [`PIN_ATTEMPTS`] wrong PINs.
pub const PIN_LOCKOUT_MS: Millis = 30_000;
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

/// The first counting use of a pass, for the `qr_used` screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstUseInfo {
    /// Unix seconds.
    pub at: i64,
    /// The kiosk it was used on.
    pub device_id: String,
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
    pub first_use: Option<FirstUseInfo>,
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
                Verdict::Used { first, .. } => Some(FirstUseInfo {
                    at: first.at,
                    device_id: first.device_id.clone(),
                }),
                _ => None,
            },
            reason: verdict.reason(),
            at,
            source,
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
    /// The screens-folder name of what is shown: `ready` or a verdict name.
    pub fn screen_name(&self) -> &'static str {
        match self.main {
            Main::Ready => "ready",
            Main::Verdict { event, .. } => event.kind.name(),
        }
    }
}

/// The kiosk's state.
pub struct Kiosk {
    result_ms: Millis,
    pin: Option<Vec<u8>>,
    main: Main,
    camera: CameraStatus,
    overlay: Overlay,
    typed: Vec<u8>,
    wrong_in_row: u32,
    last_pin_key: Millis,
    quit: bool,
}

/// The admin PIN and the digits typed so far print as `***`.
impl std::fmt::Debug for Kiosk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kiosk")
            .field("result_ms", &self.result_ms)
            .field("pin", &self.pin.as_ref().map(|_| "***"))
            .field("main", &self.main)
            .field("camera", &self.camera)
            .field("overlay", &self.overlay)
            .field("typed", &"***")
            .field("wrong_in_row", &self.wrong_in_row)
            .field("quit", &self.quit)
            .finish_non_exhaustive()
    }
}

impl Kiosk {
    /// A kiosk showing `ready`, with verdicts shown for `result_seconds` and this admin PIN
    /// (`None`: the admin panel opens without one).
    pub fn new(result_seconds: u32, admin_pin: Option<&[u8]>, camera: CameraStatus) -> Self {
        Kiosk {
            result_ms: Millis::from(result_seconds.max(1)) * 1000,
            pin: admin_pin.filter(|p| !p.is_empty()).map(<[u8]>::to_vec),
            main: Main::Ready,
            camera,
            overlay: Overlay::None,
            typed: Vec::new(),
            wrong_in_row: 0,
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
            Input::AdminRequested => {
                if self.overlay == Overlay::None {
                    if self.pin.is_none() {
                        self.overlay = Overlay::Admin;
                    } else {
                        self.typed.clear();
                        self.last_pin_key = now;
                        self.overlay = Overlay::Pin {
                            typed: 0,
                            wrong: false,
                            locked_until: self.locked_until(now),
                        };
                    }
                }
            }
            Input::PinDigit(c) => {
                if let Overlay::Pin {
                    typed,
                    wrong,
                    locked_until: None,
                } = &mut self.overlay
                    && c.is_ascii_digit()
                    && self.typed.len() < 32
                {
                    self.typed.push(c as u8);
                    *typed = self.typed.len();
                    *wrong = false;
                    self.last_pin_key = now;
                }
            }
            Input::PinBackspace => {
                if let Overlay::Pin { typed, .. } = &mut self.overlay {
                    self.typed.pop();
                    *typed = self.typed.len();
                    self.last_pin_key = now;
                }
            }
            Input::PinSubmit => {
                if let Overlay::Pin {
                    locked_until: None, ..
                } = self.overlay
                {
                    self.last_pin_key = now;
                    let right = self
                        .pin
                        .as_deref()
                        .is_some_and(|pin| constant_time_eq(pin, &self.typed));
                    self.typed.clear();
                    if right {
                        self.wrong_in_row = 0;
                        self.overlay = Overlay::Admin;
                    } else {
                        self.wrong_in_row += 1;
                        let locked = (self.wrong_in_row >= PIN_ATTEMPTS).then(|| {
                            self.wrong_in_row = 0;
                            now + PIN_LOCKOUT_MS
                        });
                        self.overlay = Overlay::Pin {
                            typed: 0,
                            wrong: true,
                            locked_until: locked,
                        };
                    }
                }
            }
            Input::Close => {
                self.typed.clear();
                self.overlay = Overlay::None;
            }
            Input::Quit => {
                if self.overlay == Overlay::Admin {
                    self.quit = true;
                }
            }
        }
    }

    fn locked_until(&self, now: Millis) -> Option<Millis> {
        match self.overlay {
            Overlay::Pin {
                locked_until: Some(t),
                ..
            } if t > now => Some(t),
            _ => None,
        }
    }

    /// Applies everything time alone changes.
    fn expire(&mut self, now: Millis) {
        if let Main::Verdict { until, .. } = self.main
            && now >= until
        {
            self.main = Main::Ready;
        }
        if let Overlay::Pin { locked_until, .. } = &mut self.overlay {
            if let Some(t) = *locked_until
                && now >= t
            {
                *locked_until = None;
                self.last_pin_key = t;
            }
            if locked_until.is_none() && now.saturating_sub(self.last_pin_key) >= PIN_IDLE_MS {
                self.typed.clear();
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

    /// The camera's status.
    pub fn camera(&self) -> &CameraStatus {
        &self.camera
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

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = u8::from(a.len() != b.len());
    for (i, x) in a.iter().enumerate() {
        diff |= x ^ b.get(i).copied().unwrap_or(!x);
    }
    diff == 0
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

    fn kiosk() -> Kiosk {
        Kiosk::new(3, Some(b"2468"), CameraStatus::Live("cam".into()))
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
        e.first_use = Some(FirstUseInfo {
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
            matches!(k.view().overlay, Overlay::Pin { locked_until: Some(_), .. }),
            "{:?}",
            k.view().overlay
        );
        // The idle timer does not close a locked pad into a fresh one either.
        k.handle(Input::Tick, 30 + PIN_IDLE_MS - 1);
        k.handle(Input::Close, 30 + PIN_IDLE_MS - 1);
        k.handle(Input::AdminRequested, 30 + PIN_IDLE_MS - 1);
        right_pin(&mut k, 30 + PIN_IDLE_MS - 1);
        assert!(!k.admin_open(), "still inside the 30 s lockout");
        k.handle(Input::Tick, 10 + PIN_LOCKOUT_MS);
        right_pin(&mut k, 10 + PIN_LOCKOUT_MS);
        assert!(k.admin_open(), "the lockout ends after 30 s");
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
        let mut k = Kiosk::new(3, None, CameraStatus::Demo);
        k.handle(Input::AdminRequested, 0);
        assert!(k.admin_open());
    }

    #[test]
    fn verdicts_still_arrive_under_the_admin_panel() {
        let mut k = Kiosk::new(3, None, CameraStatus::Demo);
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
        let mut k = Kiosk::new(3, Some(b"4827"), CameraStatus::Demo);
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

    #[test]
    fn constant_time_eq_works() {
        assert!(constant_time_eq(b"1234", b"1234"));
        assert!(!constant_time_eq(b"1234", b"123"));
        assert!(!constant_time_eq(b"123", b"1234"));
        assert!(!constant_time_eq(b"", b"0"));
    }
}
