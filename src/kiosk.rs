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
//! - The door (DESIGN §8): the party prompt on `qr_accepted` when the pass admits more than
//!   one ([`PartyPrompt`]: buttons 1..p, the default p after `resultSeconds`), "Admit anyway"
//!   on `qr_full` behind the volunteer PIN, the volunteer's panel and the roll call. What the
//!   ledger must do about them leaves as [`Effect`]s ([`Kiosk::take_effects`]), which the UI
//!   forwards to the pipeline; the pipeline commits a held party's default itself before it
//!   judges the next scan.
//! - The language ([`View::lang`]): the settings' `<language>`, or for one visitor the language
//!   picked with the ready screen's language button ([`Input::SwitchLanguage`]). The pick
//!   holds for the next verdict, and ends with that verdict's screen (or after
//!   [`LANGUAGE_IDLE_MS`] with no verdict), so the next visitor finds `<language>` again.
//! - [`Debounce`]: the same text seen again within a few seconds is ignored, so a pass held in
//!   front of the camera gives one verdict and never shows `qr_used` to the person just accepted.
//!   The scanning pipeline applies it before judging, so nothing reaches the ledger twice.

use crate::gate::{Attempt, PinGate, Role};
use crate::ledger::{RecentSignIn, RollCallEntry};
use crate::view::Screen;
use crate::walkin::{FormInput, Outcome, WalkInForm};
use std::collections::HashMap;
pub use usher_core::FirstUse;
use usher_core::walkin::WalkIn;
use usher_core::{DoorVerdict, EntryId, PartySize, Verdict, VerdictKind};
use usher_i18n::Lang;

/// Monotonic milliseconds (from any fixed origin).
pub type Millis = u64;

/// How long after its last sighting a text is ignored.
pub const DEBOUNCE_MS: Millis = 5_000;

pub use crate::gate::{PIN_ATTEMPTS, PIN_LOCKOUT_MS};
/// An unfinished PIN entry closes itself after this long without a key.
pub const PIN_IDLE_MS: Millis = 30_000;

/// A visitor's language pick lapses after this long without a verdict (long enough to find a
/// pass on a phone; each tap of the language button starts it again).
pub const LANGUAGE_IDLE_MS: Millis = 30_000;

/// Where a scanned text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanSource {
    /// A decoded camera (or `dir:` / demo) frame.
    Camera,
    /// A keyboard-wedge barcode scanner.
    Wedge,
    /// A walk-in, typed by the volunteer (no pass to scan).
    WalkIn,
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
    /// `nb` of an event pass (Unix seconds): when its doors open (`qr_too_early` says it).
    pub not_before: Option<u64>,
    /// For `qr_used`: when and where the pass was first used.
    pub first_use: Option<FirstUse>,
    /// The reason in words, free of contact details.
    pub reason: String,
    /// When it was judged (Unix seconds).
    pub at: i64,
    /// Where the text came from.
    pub source: ScanSource,
    /// What the door recorded with it.
    pub door: DoorNote,
}

/// What the door recorded with a verdict, for the screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DoorNote {
    /// For `qr_accepted`: the head count recorded.
    pub heads: Option<PartySize>,
    /// Admitted over capacity (the volunteer's override).
    pub over_capacity: bool,
    /// The entry is held for the party prompt (not uploaded until answered).
    pub party: Option<PartyHold>,
}

/// An entry held open for the party prompt: recorded with `max` heads, asking how many came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyHold {
    /// The entry.
    pub entry: EntryId,
    /// The pass's `p`: the buttons are 1..=max, the default max.
    pub max: PartySize,
}

impl VerdictEvent {
    /// The screen event for a verdict judged at `at`.
    pub fn from_verdict(verdict: &Verdict, at: i64, source: ScanSource) -> Self {
        let pass = verdict.pass();
        VerdictEvent {
            kind: verdict.kind(),
            strings: pass.map(|p| p.payload.strings.clone()).unwrap_or_default(),
            expiry: pass.and_then(|p| p.payload.expiry),
            not_before: pass.and_then(|p| p.payload.not_before),
            first_use: match verdict {
                Verdict::Used { first, .. } => Some(first.clone()),
                _ => None,
            },
            reason: verdict.reason(),
            at,
            source,
            door: DoorNote::default(),
        }
    }

    /// The screen event for a verdict at the door; `held`: the pipeline holds the entry for
    /// the party prompt.
    pub fn from_door(door: &DoorVerdict, at: i64, source: ScanSource, held: bool) -> Self {
        let mut event = Self::from_verdict(&door.verdict, at, source);
        if let Some(entered) = &door.entered {
            let max = door.verdict.pass().map(|p| p.payload.party);
            event.door = DoorNote {
                heads: Some(entered.heads),
                over_capacity: entered.over_capacity,
                party: max.filter(|_| held).map(|max| PartyHold {
                    entry: entered.entry.clone(),
                    max,
                }),
            };
        }
        event
    }

    /// A verdict of this kind with no pass fields, at time 0 (tests).
    #[cfg(test)]
    pub(crate) fn bare(kind: VerdictKind) -> Self {
        VerdictEvent {
            kind,
            strings: Default::default(),
            expiry: None,
            not_before: None,
            first_use: None,
            reason: String::new(),
            at: 0,
            source: ScanSource::Camera,
            door: DoorNote::default(),
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
    /// A button of the party prompt: this many came in.
    PartyTap(u8),
    /// "Admit anyway" on the `qr_full` screen (asks for the volunteer PIN).
    AdmitAnyway,
    /// A button of the volunteer's panel.
    Volunteer(VolunteerAction),
    /// The admin panel's button to the volunteer's panel.
    OpenVolunteer,
    /// The roll call read from the ledger (the answer to [`Effect::RollCall`]).
    RollCall(Vec<RollCallEntry>),
    /// Typing, a tap or a button in the walk-in form.
    WalkIn(FormInput),
    /// This kiosk's recent sign-ins (the answer to [`Effect::RecentSignIns`]).
    RecentSignIns(Vec<RecentSignIn>),
    /// "Void" on a row of the undo list.
    Void(EntryId),
    /// The ready screen's language button: the next language ([`Lang::next`]) for the next
    /// verdict.
    SwitchLanguage,
}

/// A notice on the ready screen's status line about where frames come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The demo feed plays because no camera was found.
    DemoNoCamera,
    /// The demo feed, asked for on the command line.
    Demo,
}

/// A button of the volunteer's panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VolunteerAction {
    /// Show who is inside.
    RollCall,
    /// Admit the visitor just refused with `qr_full`, over capacity.
    AdmitOverCapacity,
    /// Back to the panel from the roll call.
    Back,
    /// Close the panel.
    Close,
    /// Sign in a visitor without a pass: the walk-in form.
    WalkIn,
    /// The last sign-ins at this kiosk, to void one.
    Undo,
    /// One more person inside without any record.
    TallyUp,
    /// One fewer.
    TallyDown,
}

/// What the state machine asks of the ledger (the UI forwards these to the pipeline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The party prompt's answer, or its default when nobody tapped: the entry's head count,
    /// and the entry released for upload.
    Party {
        /// The held entry.
        entry: EntryId,
        /// How many came in.
        heads: PartySize,
    },
    /// The volunteer PIN was given: admit the visitor just refused with `qr_full`.
    AdmitOverCapacity,
    /// The volunteer asked for the roll call.
    RollCall,
    /// Record this walk-in as a sign-in (the verdict comes back as any scan's does).
    WalkIn(WalkIn),
    /// The volunteer asked for the undo list.
    RecentSignIns,
    /// Void this sign-in of this kiosk.
    Void(EntryId),
    /// The head-count tally: `1` or `-1`.
    Tally(i8),
}

/// What a PIN pad was opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinFor {
    /// A panel: the admin PIN opens the admin panel, the volunteer PIN the volunteer's.
    Panel,
    /// "Admit anyway" after `qr_full`: the volunteer (or admin) PIN.
    AdmitOverCapacity,
}

/// The party prompt: "How many of you are here?" with buttons 1..=max.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyPrompt {
    /// The held entry.
    pub entry: EntryId,
    /// The pass's `p`.
    pub max: PartySize,
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
    /// The volunteer's panel (volunteer or admin PIN given).
    Volunteer,
    /// The roll call, behind the volunteer's panel (the names live only as long as this).
    RollCall(Vec<RollCallEntry>),
    /// The walk-in form, behind the volunteer's panel.
    WalkIn(Box<WalkInForm>),
    /// The undo list: this kiosk's recent sign-ins by time and first name.
    Undo(Vec<RecentSignIn>),
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
    /// A notice for the ready screen's status line (the demo feed).
    pub notice: Option<Notice>,
    /// The overlay.
    pub overlay: &'a Overlay,
    /// The party prompt, while it is open.
    pub party: Option<&'a PartyPrompt>,
    /// What the PIN pad (when open) was opened for.
    pub pin_for: PinFor,
    /// A volunteer PIN is set (the pad asks for "your PIN", not the admin's).
    pub volunteer_pin: bool,
    /// The language every string on screen is in: a verdict's is the one picked before it.
    pub lang: Lang,
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
    party: Option<PartyPrompt>,
    pin_for: PinFor,
    effects: Vec<Effect>,
    /// The language the screens speak when no visitor has picked one (`<language>`).
    lang: Lang,
    /// A visitor's pick on the ready screen, and when it was made.
    picked: Option<(Lang, Millis)>,
    /// The language of the verdict shown (the pick it used up, else `lang`).
    verdict_lang: Lang,
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
            party: None,
            pin_for: PinFor::Panel,
            effects: Vec::new(),
            lang: Lang::En,
            picked: None,
            verdict_lang: Lang::En,
        }
    }

    /// The same kiosk speaking `lang` (the settings' `<language>`).
    #[must_use]
    pub fn with_language(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self.verdict_lang = lang;
        self
    }

    /// The language on screen now, before any verdict: the visitor's pick or `<language>`.
    fn ready_lang(&self) -> Lang {
        self.picked.map_or(self.lang, |(lang, _)| lang)
    }

    /// What the ledger must do, asked since the last call (the UI sends it to the pipeline).
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// Feeds one input that happened at `now`.
    pub fn handle(&mut self, input: Input, now: Millis) {
        self.expire(now);
        match input {
            Input::Tick => {}
            Input::Verdict(event) => {
                // A prompt still open was committed with its default by the pipeline before
                // it judged this scan: nothing more to send.
                self.party = event.door.party.as_ref().map(|hold| PartyPrompt {
                    entry: hold.entry.clone(),
                    max: hold.max,
                });
                // The visitor's pick is for this verdict; after it, `<language>` again.
                self.verdict_lang = self.picked.take().map_or(self.lang, |(lang, _)| lang);
                self.main = Main::Verdict {
                    event,
                    until: now + self.result_ms,
                };
            }
            Input::SwitchLanguage => {
                if self.main == Main::Ready && self.overlay == Overlay::None {
                    self.picked = Some((self.ready_lang().next(), now));
                }
            }
            Input::PartyTap(n) => self.party_tap(n),
            Input::AdmitAnyway => self.admit_anyway(now),
            Input::Volunteer(action) => self.volunteer(action),
            Input::OpenVolunteer => {
                if self.overlay == Overlay::Admin {
                    self.overlay = Overlay::Volunteer;
                }
            }
            Input::RollCall(list) => {
                if matches!(self.overlay, Overlay::Volunteer | Overlay::RollCall(_)) {
                    self.overlay = Overlay::RollCall(list);
                }
            }
            Input::WalkIn(input) => self.walk_in(input),
            Input::RecentSignIns(list) => {
                if matches!(self.overlay, Overlay::Volunteer | Overlay::Undo(_)) {
                    self.overlay = Overlay::Undo(list);
                }
            }
            Input::Void(entry) => {
                if let Overlay::Undo(list) = &mut self.overlay
                    && let Some(i) = list.iter().position(|r| r.entry == entry)
                {
                    list.remove(i);
                    self.effects.push(Effect::Void(entry));
                }
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
                self.pin_for = PinFor::Panel;
            }
            Input::Quit => {
                if self.overlay == Overlay::Admin {
                    self.quit = true;
                }
            }
        }
    }

    /// A party prompt button: `n` of the party came in (1..=p; anything else is ignored).
    fn party_tap(&mut self, n: u8) {
        let Some(prompt) = &self.party else {
            return;
        };
        let Some(heads) = PartySize::new(u64::from(n)).filter(|h| *h <= prompt.max) else {
            return;
        };
        let prompt = self.party.take().expect("checked above");
        if let Main::Verdict { event, .. } = &mut self.main {
            event.door.heads = Some(heads);
            event.door.party = None;
        }
        self.effects.push(Effect::Party {
            entry: prompt.entry,
            heads,
        });
    }

    /// "Admit anyway" on the `qr_full` screen: the volunteer PIN pad (or, with no admin PIN,
    /// straight to the override).
    fn admit_anyway(&mut self, now: Millis) {
        let full =
            matches!(&self.main, Main::Verdict { event, .. } if event.kind == VerdictKind::Full);
        if !full || self.overlay != Overlay::None {
            return;
        }
        if self.gate.opens_without_pin(Role::Volunteer) {
            self.effects.push(Effect::AdmitOverCapacity);
            return;
        }
        self.pin_for = PinFor::AdmitOverCapacity;
        self.gate.clear();
        self.last_pin_key = now;
        self.show_pad(false, now);
    }

    /// An input of the walk-in form: a submitted form leaves as [`Effect::WalkIn`] and the
    /// verdict screen follows; cancelling goes back to the panel.
    fn walk_in(&mut self, input: FormInput) {
        let Overlay::WalkIn(form) = &mut self.overlay else {
            return;
        };
        match form.input(input) {
            Outcome::Editing => {}
            Outcome::Cancelled => self.overlay = Overlay::Volunteer,
            Outcome::Submitted(walk_in) => {
                self.effects.push(Effect::WalkIn(walk_in));
                self.overlay = Overlay::None;
            }
        }
    }

    fn volunteer(&mut self, action: VolunteerAction) {
        if !self.volunteer_open() {
            return;
        }
        match action {
            VolunteerAction::WalkIn => {
                let layout = if self.lang.is_rtl() {
                    crate::keyboard::Layout::Arabic
                } else {
                    crate::keyboard::Layout::Latin
                };
                self.overlay = Overlay::WalkIn(Box::new(WalkInForm::new(layout)));
            }
            VolunteerAction::Undo => self.effects.push(Effect::RecentSignIns),
            VolunteerAction::TallyUp => self.effects.push(Effect::Tally(1)),
            VolunteerAction::TallyDown => self.effects.push(Effect::Tally(-1)),
            VolunteerAction::RollCall => self.effects.push(Effect::RollCall),
            VolunteerAction::AdmitOverCapacity => {
                self.effects.push(Effect::AdmitOverCapacity);
                self.overlay = Overlay::None;
            }
            VolunteerAction::Back => self.overlay = Overlay::Volunteer,
            VolunteerAction::Close => self.overlay = Overlay::None,
        }
    }

    /// Opens the PIN pad (or, with no PIN, the admin panel); a lockout stays as it was.
    fn open_pad(&mut self, now: Millis) {
        if self.overlay != Overlay::None {
            return;
        }
        self.pin_for = PinFor::Panel;
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
        match (self.gate.submit(now), self.pin_for) {
            (Attempt::Opened(role), PinFor::AdmitOverCapacity) if role.allows(Role::Volunteer) => {
                self.overlay = Overlay::None;
                self.pin_for = PinFor::Panel;
                self.effects.push(Effect::AdmitOverCapacity);
            }
            (Attempt::Opened(Role::Admin), _) => self.overlay = Overlay::Admin,
            (Attempt::Opened(Role::Volunteer), _) => self.overlay = Overlay::Volunteer,
            (Attempt::Wrong | Attempt::LockedOut(_), _) => {
                self.last_pin_key = now;
                self.show_pad(true, now);
            }
            (Attempt::Refused, _) => {}
        }
    }

    /// Applies everything time alone changes (a lockout kept from the last run starts at the
    /// first input).
    fn expire(&mut self, now: Millis) {
        if let Main::Verdict { until, .. } = self.main
            && now >= until
        {
            // Nobody tapped: the whole party came in (it is recorded so already).
            if let Some(prompt) = self.party.take() {
                self.effects.push(Effect::Party {
                    entry: prompt.entry,
                    heads: prompt.max,
                });
            }
            self.main = Main::Ready;
        }
        if self
            .picked
            .is_some_and(|(_, at)| now.saturating_sub(at) >= LANGUAGE_IDLE_MS)
        {
            self.picked = None;
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
                self.pin_for = PinFor::Panel;
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
                CameraStatus::DemoNoCamera => Some(Notice::DemoNoCamera),
                CameraStatus::Demo => Some(Notice::Demo),
                _ => None,
            },
            overlay: &self.overlay,
            party: self.party.as_ref(),
            pin_for: self.pin_for,
            volunteer_pin: self.gate.has_pin_for(Role::Volunteer),
            lang: match self.main {
                Main::Verdict { .. } => self.verdict_lang,
                Main::Ready => self.ready_lang(),
            },
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

    /// Whether the volunteer's panel or one of its screens (roll call, walk-in, undo) is open.
    pub fn volunteer_open(&self) -> bool {
        matches!(
            self.overlay,
            Overlay::Volunteer | Overlay::RollCall(_) | Overlay::WalkIn(_) | Overlay::Undo(_)
        )
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
        let pick = self.picked.map(|(_, at)| at + LANGUAGE_IDLE_MS);
        verdict.into_iter().chain(pin).chain(pick).min()
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
    use usher_core::{EntryId, PartySize};

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
        assert_eq!(k.view().notice, Some(Notice::DemoNoCamera));
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

    fn party_event(max: u8) -> VerdictEvent {
        let mut e = event(VerdictKind::Accepted);
        let max = PartySize::new(u64::from(max)).expect("size");
        e.door = DoorNote {
            heads: Some(max),
            over_capacity: false,
            party: Some(PartyHold {
                entry: EntryId("entry-1".into()),
                max,
            }),
        };
        e
    }

    fn party(n: u8) -> Effect {
        Effect::Party {
            entry: EntryId("entry-1".into()),
            heads: PartySize::new(u64::from(n)).expect("size"),
        }
    }

    #[test]
    fn a_tap_on_the_party_prompt_records_that_many_and_closes_it() {
        let mut k = kiosk();
        k.handle(Input::Verdict(Box::new(party_event(3))), 0);
        assert_eq!(k.view().party.map(|p| p.max.get()), Some(3));
        k.handle(Input::PartyTap(4), 10);
        k.handle(Input::PartyTap(0), 10);
        assert_eq!(k.take_effects(), vec![], "only 1..=p count");
        k.handle(Input::PartyTap(2), 20);
        assert_eq!(k.take_effects(), vec![party(2)]);
        assert_eq!(k.view().party, None);
        assert_eq!(
            k.view()
                .verdict()
                .and_then(|v| v.door.heads)
                .map(PartySize::get),
            Some(2)
        );
        // Time running out after the tap sends nothing more.
        k.handle(Input::Tick, 5_000);
        assert_eq!(k.take_effects(), vec![]);
    }

    #[test]
    fn nobody_tapping_gives_the_default_after_result_seconds() {
        let mut k = kiosk();
        k.handle(Input::Verdict(Box::new(party_event(3))), 1_000);
        k.handle(Input::Tick, 3_999);
        assert_eq!(k.take_effects(), vec![]);
        k.handle(Input::Tick, 4_000);
        assert_eq!(k.take_effects(), vec![party(3)]);
        assert_eq!(k.view().screen_name(), "ready");
        assert_eq!(k.view().party, None);
    }

    #[test]
    fn a_scan_during_the_prompt_replaces_it_without_a_second_answer() {
        let mut k = kiosk();
        k.handle(Input::Verdict(Box::new(party_event(3))), 0);
        // The pipeline committed the default before judging this one.
        k.handle(Input::Verdict(Box::new(event(VerdictKind::Expired))), 500);
        assert_eq!(k.view().party, None);
        k.handle(Input::PartyTap(1), 600);
        k.handle(Input::Tick, 10_000);
        assert_eq!(k.take_effects(), vec![]);
        // A wedge scan's party has no prompt: it took the default.
        let mut wedge = event(VerdictKind::Accepted);
        wedge.source = ScanSource::Wedge;
        k.handle(Input::Verdict(Box::new(wedge)), 11_000);
        assert_eq!(k.view().party, None);
    }

    fn two_pin_kiosk() -> Kiosk {
        let gate = PinGate::with_pins(
            Some("2468".into()),
            Some("1357".into()),
            Box::new(crate::gate::MemoryLockoutStore::default()),
        );
        Kiosk::new(3, gate, CameraStatus::Live("cam".into()))
    }

    fn type_pin(k: &mut Kiosk, pin: &str, now: Millis) {
        for c in pin.chars() {
            k.handle(Input::PinDigit(c), now);
        }
        k.handle(Input::PinSubmit, now);
    }

    #[test]
    fn admit_anyway_asks_for_the_volunteer_pin_then_admits() {
        let mut k = two_pin_kiosk();
        k.handle(Input::AdmitAnyway, 0);
        assert_eq!(k.view().overlay, &Overlay::None, "only on qr_full");
        k.handle(Input::Verdict(Box::new(event(VerdictKind::Full))), 0);
        k.handle(Input::AdmitAnyway, 10);
        assert!(matches!(k.view().overlay, Overlay::Pin { .. }));
        assert_eq!(k.view().pin_for, PinFor::AdmitOverCapacity);
        type_pin(&mut k, "1111", 20);
        assert_eq!(k.take_effects(), vec![]);
        type_pin(&mut k, "1357", 30);
        assert_eq!(k.take_effects(), vec![Effect::AdmitOverCapacity]);
        assert_eq!(k.view().overlay, &Overlay::None);
        // The admin PIN admits too.
        k.handle(Input::Verdict(Box::new(event(VerdictKind::Full))), 40);
        k.handle(Input::AdmitAnyway, 50);
        type_pin(&mut k, "2468", 60);
        assert_eq!(k.take_effects(), vec![Effect::AdmitOverCapacity]);
        assert!(!k.admin_open(), "admitting does not open the admin panel");
    }

    #[test]
    fn the_volunteer_pin_opens_the_volunteer_panel_and_not_the_admin_panel() {
        let mut k = two_pin_kiosk();
        k.handle(Input::AdminRequested, 0);
        type_pin(&mut k, "1357", 10);
        assert!(k.volunteer_open());
        assert!(!k.admin_open());
        k.handle(Input::Quit, 20);
        assert!(!k.quit_requested());
        k.handle(Input::Volunteer(VolunteerAction::RollCall), 30);
        assert_eq!(k.take_effects(), vec![Effect::RollCall]);
        let list = vec![RollCallEntry {
            entrance: "main".into(),
            since: 0,
            heads: 3,
            name: Some("Ada".into()),
        }];
        k.handle(Input::RollCall(list.clone()), 40);
        assert_eq!(k.view().overlay, &Overlay::RollCall(list));
        k.handle(Input::Volunteer(VolunteerAction::Close), 50);
        assert_eq!(
            k.view().overlay,
            &Overlay::None,
            "the names are gone with it"
        );
        // A roll call answer arriving with the panel closed is dropped.
        k.handle(Input::RollCall(vec![]), 60);
        assert_eq!(k.view().overlay, &Overlay::None);
        // The admin PIN opens the admin panel, and from it the volunteer's.
        k.handle(Input::AdminRequested, 70);
        type_pin(&mut k, "2468", 80);
        assert!(k.admin_open());
        k.handle(Input::OpenVolunteer, 90);
        assert!(k.volunteer_open());
    }

    fn volunteer_kiosk() -> Kiosk {
        let mut k = two_pin_kiosk();
        k.handle(Input::AdminRequested, 0);
        type_pin(&mut k, "1357", 10);
        assert!(k.volunteer_open());
        k
    }

    #[test]
    fn a_walk_in_typed_in_the_form_leaves_as_an_effect_and_closes_the_form() {
        use crate::keyboard::Key;
        use crate::walkin::{Field, FormInput};
        let mut k = kiosk();
        k.handle(Input::Volunteer(VolunteerAction::WalkIn), 0);
        assert_eq!(k.view().overlay, &Overlay::None, "only behind the PIN");
        let mut k = volunteer_kiosk();
        k.handle(Input::Volunteer(VolunteerAction::WalkIn), 20);
        assert!(matches!(k.view().overlay, Overlay::WalkIn(_)));
        assert!(k.volunteer_open());
        k.handle(Input::WalkIn(FormInput::Submit), 30);
        assert_eq!(k.take_effects(), vec![], "no name: nothing recorded");
        for c in "GRACE".chars() {
            k.handle(Input::WalkIn(FormInput::Key(Key::Char(c))), 40);
        }
        k.handle(Input::WalkIn(FormInput::Focus(Field::Phone)), 50);
        k.handle(Input::WalkIn(FormInput::Text("0123".into())), 50);
        k.handle(Input::WalkIn(FormInput::Party(1)), 60);
        k.handle(Input::WalkIn(FormInput::Submit), 70);
        let effects = k.take_effects();
        match effects.as_slice() {
            [Effect::WalkIn(w)] => {
                assert_eq!(w.name, "Grace");
                assert_eq!(w.phone.as_deref(), Some("0123"));
                assert_eq!(w.party.get(), 2);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            k.view().overlay,
            &Overlay::None,
            "the verdict screen follows"
        );
        // Cancel goes back to the panel.
        let mut k = volunteer_kiosk();
        k.handle(Input::Volunteer(VolunteerAction::WalkIn), 20);
        k.handle(Input::WalkIn(FormInput::Cancel), 30);
        assert_eq!(k.view().overlay, &Overlay::Volunteer);
    }

    #[test]
    fn a_kiosk_speaking_arabic_opens_the_form_on_the_arabic_keys() {
        let gate = PinGate::in_memory(None);
        let mut k = Kiosk::new(3, gate, CameraStatus::Demo).with_language(Lang::Ar);
        k.handle(Input::AdminRequested, 0);
        k.handle(Input::OpenVolunteer, 1);
        k.handle(Input::Volunteer(VolunteerAction::WalkIn), 2);
        match k.view().overlay {
            Overlay::WalkIn(form) => assert_eq!(form.layout, crate::keyboard::Layout::Arabic),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_undo_list_voids_a_listed_sign_in_once() {
        let mut k = volunteer_kiosk();
        k.handle(Input::Volunteer(VolunteerAction::Undo), 20);
        assert_eq!(k.take_effects(), vec![Effect::RecentSignIns]);
        let row = |id: &str| RecentSignIn {
            entry: EntryId(id.into()),
            at: 100,
            first_name: Some("Ada".into()),
            heads: 1,
        };
        k.handle(Input::RecentSignIns(vec![row("a"), row("b")]), 30);
        assert!(matches!(k.view().overlay, Overlay::Undo(list) if list.len() == 2));
        k.handle(Input::Void(EntryId("a".into())), 40);
        k.handle(Input::Void(EntryId("a".into())), 41);
        k.handle(Input::Void(EntryId("zzz".into())), 42);
        assert_eq!(k.take_effects(), vec![Effect::Void(EntryId("a".into()))]);
        assert!(matches!(k.view().overlay, Overlay::Undo(list) if list.len() == 1));
        k.handle(Input::Volunteer(VolunteerAction::Back), 50);
        assert_eq!(k.view().overlay, &Overlay::Volunteer);
        k.handle(Input::Volunteer(VolunteerAction::TallyUp), 60);
        k.handle(Input::Volunteer(VolunteerAction::TallyDown), 61);
        assert_eq!(k.take_effects(), vec![Effect::Tally(1), Effect::Tally(-1)]);
        // A list arriving with the panel closed is dropped; so is a void.
        k.handle(Input::Volunteer(VolunteerAction::Close), 70);
        k.handle(Input::RecentSignIns(vec![row("c")]), 80);
        k.handle(Input::Void(EntryId("c".into())), 81);
        assert_eq!(k.view().overlay, &Overlay::None);
        assert_eq!(k.take_effects(), vec![]);
    }

    #[test]
    fn the_language_button_switches_for_the_next_verdict_then_the_setting_returns() {
        let mut k = kiosk().with_language(Lang::Fr);
        assert_eq!(k.view().lang, Lang::Fr);
        k.handle(Input::SwitchLanguage, 0);
        assert_eq!(k.view().lang, Lang::Tr, "the next language after French");
        k.handle(Input::SwitchLanguage, 10);
        k.handle(Input::SwitchLanguage, 20);
        assert_eq!(k.view().lang, Lang::Ar, "Turkish, English, then Arabic");
        k.handle(
            Input::Verdict(Box::new(event(VerdictKind::Accepted))),
            1_000,
        );
        assert_eq!(
            k.view().lang,
            Lang::Ar,
            "the verdict speaks the visitor's pick"
        );
        k.handle(Input::SwitchLanguage, 1_100);
        assert_eq!(k.view().lang, Lang::Ar, "no switching under a verdict");
        k.handle(Input::Tick, 4_000);
        assert_eq!(k.view().screen_name(), "ready");
        assert_eq!(
            k.view().lang,
            Lang::Fr,
            "back to <language> after the verdict"
        );
        // The next visitor's verdict is in <language> again.
        k.handle(Input::Verdict(Box::new(event(VerdictKind::Used))), 5_000);
        assert_eq!(k.view().lang, Lang::Fr);
    }

    #[test]
    fn a_language_pick_without_a_verdict_lapses() {
        let mut k = kiosk();
        k.handle(Input::SwitchLanguage, 1_000);
        assert_eq!(k.view().lang, Lang::Ar);
        assert_eq!(k.next_deadline(), Some(1_000 + LANGUAGE_IDLE_MS));
        k.handle(Input::Tick, 1_000 + LANGUAGE_IDLE_MS - 1);
        assert_eq!(k.view().lang, Lang::Ar);
        k.handle(Input::Tick, 1_000 + LANGUAGE_IDLE_MS);
        assert_eq!(k.view().lang, Lang::En);
        assert_eq!(k.next_deadline(), None);
        // Not while a panel is open either.
        k.handle(Input::AdminRequested, 40_000);
        k.handle(Input::SwitchLanguage, 40_001);
        assert_eq!(k.view().lang, Lang::En);
    }
}
