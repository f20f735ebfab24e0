//! What the kiosk window shows, decided outside egui: the screen with its message and notices,
//! the camera preview on the ready screen, the status line (with the door's figures and
//! colour), the party prompt, the PIN pad, the volunteer's panel and roll call, and the admin
//! panel, as plain values that `ui` only draws.
//!
//! Every word comes from `usher-i18n` (`kiosk.ftl`) in [`View::lang`], picked here; each value
//! says which way it runs ([`ScreenView::direction`], the views' `lang`), and `ui` mirrors the
//! layout for a right-to-left language (alignment, the order of buttons and of the status
//! line's parts).

use crate::camera::demo::Showing;
use crate::clock::{MAX_FLOOR_LEAD, local_time};
use crate::contact::Keeping;
use crate::keyboard::Key;
use crate::kiosk::{Millis, Notice, Overlay, PinFor, View, VolunteerAction};
use crate::ledger::{RecentSignIn, RollCallEntry};
use crate::pipeline::{DoorFigures, Stats};
use crate::preview::PreviewFrame;
use crate::screens::{self, Placement, ScreenSet};
use crate::sync::{MAX_SKEW_SECS, SyncStatus};
use crate::walkin::{Field, WalkInForm};
use usher_core::EntryId;
use usher_core::display::clean;
use usher_core::walkin::WalkInError;
use usher_core::{Level, Occupancy, VerdictKind};
use usher_i18n::{Direction, Lang, text, text_with};

/// The screen shown under any overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Waiting for a pass.
    Ready,
    /// A verdict.
    Verdict(VerdictKind),
}

impl Screen {
    /// Its name in the screens folder: `ready` or the verdict's name.
    pub fn name(self) -> &'static str {
        match self {
            Screen::Ready => "ready",
            Screen::Verdict(kind) => kind.name(),
        }
    }
}

/// The main screen as drawn: pictures come from the screens folder under [`Screen::name`].
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenView {
    /// Which screen.
    pub screen: Screen,
    /// Background colour under any picture.
    pub colour: [u8; 3],
    /// The built-in icon, drawn when the folder has no picture for this screen.
    pub icon: Option<&'static str>,
    /// The message, one line per line (the first one larger); `None`: the pictures say it.
    pub message: Option<String>,
    /// The camera-lost band.
    pub camera_lost: Option<String>,
    /// The status band's parts in reading order, on the ready screen only (drawn joined by
    /// [`STATUS_SEPARATOR`], right to left in a right-to-left language).
    pub status: Option<Vec<String>>,
    /// How full the door is: the status band's colour ([`status_colour`]).
    pub status_level: Level,
    /// The party prompt, over the accepted screen.
    pub party: Option<PartyView>,
    /// The `qr_full` screen offers "Admit anyway" (behind the volunteer PIN).
    pub admit_anyway: bool,
    /// The camera preview, on the ready screen while frames arrive.
    pub preview: Option<PreviewView>,
    /// The ready screen's language button: the next language's own name (`None`: not shown).
    pub language: Option<String>,
    /// Which way the screen runs (its language's direction).
    pub direction: Direction,
    /// The buttons' words.
    pub words: ScreenWords,
}

/// The camera preview as drawn: the newest frame in a placed box, a target frame showing where
/// to hold the pass, the codes read outlined, and on the demo feed what it is presenting.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewView {
    /// Where the box sits and how big it is (`<previewPlacement>`, DESIGN §3's modifiers).
    pub placement: Placement,
    /// The frame's size in pixels: the box keeps its shape unless both W and H are given.
    pub natural: (f32, f32),
    /// The target frame: a square centred in the box, this share of the box's shorter side.
    pub target: f32,
    /// Each code read on the frame, as its corners in fractions of the box (0..=1).
    pub outlines: Vec<Vec<[f32; 2]>>,
    /// On the demo feed: which pass is in view and why its verdict follows, in words.
    pub caption: Option<String>,
}

/// The target frame's side, as a share of the preview box's shorter side.
pub const TARGET_SHARE: f32 = 0.7;

/// Whether the preview is on screen for `view`, given the `frame` last shown: on the ready
/// screen while the camera is there, and on the demo feed (its frames say what they present)
/// on the verdict screens too, so a newcomer sees the pass beside the verdict it gets.
pub fn preview_shown(view: &View<'_>, frame: Option<&PreviewFrame>) -> bool {
    let demo = frame.is_some_and(|f| f.showing.is_some());
    view.camera_lost.is_none() && (view.screen() == Screen::Ready || demo)
}

impl PreviewView {
    /// The preview for `view` when a `frame` has arrived and [`preview_shown`] says so; placed
    /// by `placement`, its caption in `view.lang`.
    pub fn build(
        view: &View<'_>,
        placement: Placement,
        frame: Option<&PreviewFrame>,
    ) -> Option<Self> {
        let frame = frame.filter(|f| preview_shown(view, Some(f)))?;
        Some(PreviewView {
            placement,
            natural: (frame.width as f32, frame.height as f32),
            target: TARGET_SHARE,
            outlines: frame.outlines.clone(),
            caption: frame.showing.map(|s| demo_caption(s, view.lang)),
        })
    }
}

/// What the demo feed presents, and why its verdict follows, in `lang`.
pub fn demo_caption(showing: Showing, lang: usher_i18n::Lang) -> String {
    let id = match showing {
        Showing::NewPass => "preview-demo-new",
        Showing::SamePassAgain => "preview-demo-again",
        Showing::Expired => "preview-demo-expired",
        Showing::OtherKey => "preview-demo-other-key",
        Showing::BrokenField => "preview-demo-broken",
        Showing::NotAPass => "preview-demo-not-a-pass",
        Showing::ArabicName => "preview-demo-arabic",
        Showing::Nothing => "preview-demo-between",
    };
    usher_i18n::text(lang, id)
}

/// The words of the main screen's buttons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenWords {
    /// "Admit anyway".
    pub admit_anyway: String,
    /// The corner button's hint ("Admin").
    pub admin: String,
    /// The language button's hint ("Language").
    pub language: String,
}

impl ScreenWords {
    fn new(lang: Lang) -> Self {
        ScreenWords {
            admit_anyway: text(lang, "kiosk-admit-anyway"),
            admin: text(lang, "kiosk-admin-hint"),
            language: text(lang, "kiosk-language-hint"),
        }
    }
}

/// What the status line's parts are drawn apart by.
pub const STATUS_SEPARATOR: &str = "   ·   ";
/// The party prompt as drawn: the question and one large button per head count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyView {
    /// "How many of you are here?"
    pub question: String,
    /// 1..=p.
    pub buttons: Vec<u8>,
    /// What counts when nobody taps (p), said under the buttons.
    pub default_note: String,
}

/// The smallest side of a touch target, in logical pixels (WCAG 2.5.5, Apple's HIG: 44).
pub const TOUCH_TARGET: f32 = 44.0;

impl PartyView {
    /// The prompt, in `lang`, for a pass admitting up to `max`.
    pub fn new(max: u8, lang: Lang) -> Self {
        PartyView {
            question: text(lang, "kiosk-party-question"),
            buttons: (1..=max.max(1)).collect(),
            default_note: text_with(lang, "kiosk-party-default", &[("count", max.into())]),
        }
    }
}

/// The status band's colour for a level: dark (normal), amber (warning), red (full).
pub fn status_colour(level: Level) -> [u8; 4] {
    match level {
        Level::Normal => [0, 0, 0, 90],
        Level::Warn => [230, 150, 0, 235],
        Level::Full => [190, 20, 20, 235],
    }
}

impl ScreenView {
    /// The screen for `view`, drawn from `set`; `status` makes the ready screen's status line.
    pub fn build(view: &View<'_>, set: &ScreenSet, status: impl FnOnce() -> Vec<String>) -> Self {
        let screen = view.screen();
        let name = screen.name();
        let lang = view.lang;
        let built = screens::built_in(name);
        let folder = set.get(name);
        let pictures = folder.is_some_and(has_pictures);
        let has_text = folder.is_some_and(|s| s.text_for(lang).is_some());
        // The used screen always says when and where the pass was first used.
        let show_message = has_text || !pictures || screen == Screen::Verdict(VerdictKind::Used);
        ScreenView {
            screen,
            colour: built.colour,
            icon: (!pictures).then_some(built.icon),
            message: show_message.then(|| screens::message(name, view.verdict(), set, lang)),
            camera_lost: view.camera_lost.map(|lost| {
                text_with(
                    lang,
                    "kiosk-camera-lost",
                    &[("camera", clean(lost).into_owned().into())],
                )
            }),
            status: (screen == Screen::Ready).then(status),
            status_level: Level::Normal,
            party: view.party.map(|p| PartyView::new(p.max.get(), lang)),
            admit_anyway: screen == Screen::Verdict(VerdictKind::Full)
                && *view.overlay == Overlay::None,
            preview: None,
            language: (screen == Screen::Ready && *view.overlay == Overlay::None)
                .then(|| lang.next().native_name().to_owned()),
            direction: lang.direction(),
            words: ScreenWords::new(lang),
        }
    }

    /// Shows the camera preview (see [`PreviewView::build`]): it takes the built-in icon's
    /// place; a venue's pictures stay under it.
    pub fn with_preview(mut self, preview: Option<PreviewView>) -> Self {
        if preview.is_some() {
            self.icon = None;
        }
        self.preview = preview;
        self
    }

    /// Colours the status band by the door's level (see [`door_level`]).
    pub fn with_status_level(mut self, level: Level) -> Self {
        self.status_level = level;
        self
    }
}

/// The door's level for the status band: the more urgent of the entrance's and the venue's.
pub fn door_level(stats: &Stats) -> Level {
    stats
        .door
        .as_ref()
        .map_or(Level::Normal, |d| d.status.level())
}

/// Whether the folder's screen draws a picture (a background or an animation frame).
fn has_pictures(screen: &screens::Screen) -> bool {
    screen.background.is_some() || screen.animations.iter().any(|a| !a.frames.is_empty())
}

/// `HH:MM` of a Unix time, in local time.
fn hour_minute(unix: i64) -> String {
    let t = local_time(unix);
    t.get(11..16).map_or(t.clone(), str::to_owned)
}

/// The ready screen's status line in `lang`, part by part in reading order: the time, today's
/// sign-ins, the door's figures, the server, the feed notice.
pub fn status_line(
    lang: Lang,
    wall: i64,
    stats: &Stats,
    sync: Option<&SyncStatus>,
    notice: Option<Notice>,
) -> Vec<String> {
    let mut parts = vec![
        hour_minute(wall),
        text_with(
            lang,
            "kiosk-status-signed-in",
            &[("count", stats.signed_in_today().into())],
        ),
    ];
    if let Some(door) = &stats.door {
        parts.push(door_figures(lang, wall, door, sync));
    }
    if let Some(sync) = sync {
        let state = text(
            lang,
            if sync.online {
                "kiosk-status-online"
            } else {
                "kiosk-status-offline"
            },
        );
        let mut args = vec![("state", state.into()), ("count", sync.pending.into())];
        let id = match sync.last_upload {
            Some(at) => {
                args.push(("time", hour_minute(at).into()));
                "kiosk-status-sync-uploaded"
            }
            None => "kiosk-status-sync",
        };
        parts.push(text_with(lang, id, &args));
    }
    if let Some(notice) = notice {
        parts.push(text(
            lang,
            match notice {
                Notice::DemoNoCamera => "kiosk-notice-demo-no-camera",
                Notice::Demo => "kiosk-notice-demo",
            },
        ));
    }
    parts
}

/// `12` or `12/50` (against a capacity).
fn against(o: &Occupancy) -> String {
    match o.capacity {
        Some(c) => format!("{}/{c}", o.inside),
        None => o.inside.to_string(),
    }
}

/// The door's part of the status line: inside now at this entrance and in the venue, with
/// their capacities, and when offline how old the venue's figures from the server are.
pub fn door_figures(
    lang: Lang,
    wall: i64,
    door: &DoorFigures,
    sync: Option<&SyncStatus>,
) -> String {
    let mut out = text_with(
        lang,
        "kiosk-status-inside",
        &[
            (
                "entrance",
                clean(door.entrance.as_str()).into_owned().into(),
            ),
            ("here", against(&door.status.entrance).into()),
            ("venue", against(&door.status.venue).into()),
        ],
    );
    let offline = sync.is_some_and(|s| !s.online);
    if offline && let Some(at) = door.presence_fetched_at {
        let age = age(lang, wall.saturating_sub(at));
        let note = text_with(lang, "kiosk-status-venue-as-of", &[("age", age.into())]);
        out = format!("{out} {note}");
    }
    out
}

/// An age in words: `just now`, `5 min ago`, `2 h 5 min ago`.
pub fn age(lang: Lang, seconds: i64) -> String {
    let minutes = seconds.max(0) / 60;
    match minutes {
        0 => text(lang, "kiosk-age-now"),
        m if m < 60 => text_with(lang, "kiosk-age-minutes", &[("minutes", m.into())]),
        m => text_with(
            lang,
            "kiosk-age-hours",
            &[("hours", (m / 60).into()), ("minutes", (m % 60).into())],
        ),
    }
}

/// What the PIN pad says above its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinPrompt {
    /// Waiting for the PIN.
    Enter,
    /// Waiting for the volunteer (or admin) PIN, to admit over capacity.
    EnterVolunteer,
    /// Waiting for the admin or the volunteer PIN (a volunteer PIN is set).
    EnterAny,
    /// The last PIN was wrong.
    Wrong,
    /// Locked for this many more seconds.
    Locked(u64),
}

/// The PIN pad as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinPad {
    /// One dot per digit typed (at least four places).
    pub dots: String,
    /// The line under the dots.
    pub prompt: PinPrompt,
    /// The language of its words ([`PinPad::words`]).
    pub lang: Lang,
}

/// The PIN pad's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinWords {
    /// The window's title.
    pub title: String,
    /// The line under the dots.
    pub prompt: String,
    /// The submit key.
    pub ok: String,
    /// The button that closes the pad.
    pub cancel: String,
}

impl PinPad {
    /// The pad's words in its language, for its prompt as it is now.
    pub fn words(&self) -> PinWords {
        PinWords {
            title: text(self.lang, "kiosk-pin-title"),
            prompt: self.prompt.text(self.lang),
            ok: text(self.lang, "kiosk-pin-ok"),
            cancel: text(self.lang, "kiosk-pin-cancel"),
        }
    }
}

impl PinPad {
    /// The pad as opened for `pin_for` (the admit path asks for the volunteer PIN); with a
    /// volunteer PIN set, the panels' pad asks for either PIN.
    pub fn for_purpose(mut self, pin_for: PinFor, volunteer_pin: bool) -> Self {
        if self.prompt == PinPrompt::Enter {
            self.prompt = match pin_for {
                PinFor::AdmitOverCapacity => PinPrompt::EnterVolunteer,
                PinFor::Panel if volunteer_pin => PinPrompt::EnterAny,
                PinFor::Panel => PinPrompt::Enter,
            };
        }
        self
    }
}

impl PinPad {
    /// The pad for `overlay` at `now`, in `lang`, when the pad is open.
    pub fn build(overlay: &Overlay, now: Millis, lang: Lang) -> Option<Self> {
        let Overlay::Pin {
            typed,
            wrong,
            locked_until,
        } = *overlay
        else {
            return None;
        };
        let prompt = match locked_until {
            Some(t) => PinPrompt::Locked(t.saturating_sub(now).div_ceil(1000)),
            None if wrong => PinPrompt::Wrong,
            None => PinPrompt::Enter,
        };
        Some(PinPad {
            dots: "●".repeat(typed) + &"○".repeat(4usize.saturating_sub(typed)),
            prompt,
            lang,
        })
    }
}

impl PinPrompt {
    /// The words shown, in `lang`.
    pub fn text(self, lang: Lang) -> String {
        let id = match self {
            PinPrompt::Enter => "kiosk-pin-enter",
            PinPrompt::EnterVolunteer => "kiosk-pin-enter-volunteer",
            PinPrompt::EnterAny => "kiosk-pin-enter-any",
            PinPrompt::Wrong => "kiosk-pin-wrong",
            PinPrompt::Locked(secs) => {
                return text_with(lang, "kiosk-pin-locked", &[("seconds", secs.into())]);
            }
        };
        text(lang, id)
    }
}

/// A button of the admin panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminAction {
    /// Use the camera at this index of [`AdminView::cameras`].
    UseCamera(u32),
    /// Load the screens folder again.
    ReloadScreens,
    /// Play a sound.
    TestSound,
    /// Enter (`true`) or leave full screen.
    Fullscreen(bool),
    /// Close the kiosk.
    Quit,
    /// Close the panel.
    Close,
    /// Forget a clock floor held ahead of this computer's clock.
    TrustClock,
    /// Open the volunteer's panel (the admin PIN opens all the volunteer's).
    Volunteer,
}

impl AdminAction {
    /// The button's label in `lang` (camera buttons are labelled with the camera's name).
    pub fn label(self, lang: Lang) -> String {
        let id = match self {
            AdminAction::UseCamera(_) => "kiosk-admin-use-camera",
            AdminAction::ReloadScreens => "kiosk-admin-reload",
            AdminAction::TestSound => "kiosk-admin-test-sound",
            AdminAction::Fullscreen(true) => "kiosk-admin-fullscreen",
            AdminAction::Fullscreen(false) => "kiosk-admin-leave-fullscreen",
            AdminAction::Quit => "kiosk-admin-quit",
            AdminAction::Close => "kiosk-admin-close",
            AdminAction::TrustClock => "kiosk-admin-trust-clock",
            AdminAction::Volunteer => "kiosk-admin-volunteer",
        };
        text(lang, id)
    }
}

/// How a line of the admin panel is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Plain text.
    Plain,
    /// A heading.
    Heading,
    /// A warning (orange).
    Warning,
}

/// One line of the admin panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The words.
    pub text: String,
    /// How it is drawn.
    pub tone: Tone,
}

impl Line {
    fn plain(text: impl Into<String>) -> Self {
        Line {
            text: text.into(),
            tone: Tone::Plain,
        }
    }

    fn heading(text: impl Into<String>) -> Self {
        Line {
            text: text.into(),
            tone: Tone::Heading,
        }
    }

    fn warning(text: impl Into<String>) -> Self {
        Line {
            text: text.into(),
            tone: Tone::Warning,
        }
    }
}

/// The admin panel as drawn, section by section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminView {
    /// The language of its words.
    pub lang: Lang,
    /// The window's title and the headings: admin, switch camera, today, last scans.
    pub headings: AdminHeadings,
    /// Device id and camera in use.
    pub device: Vec<Line>,
    /// Cameras to switch to (empty: no picker).
    pub cameras: Vec<String>,
    /// Today's scans per verdict, one line each (`Accepted: 12`).
    pub today: Vec<String>,
    /// Uploads, contact protection, warnings, the server, refused rows, double uses.
    pub state: Vec<Line>,
    /// The last scans, newest first.
    pub recent: Vec<String>,
    /// The buttons at the bottom.
    pub actions: Vec<AdminAction>,
}

/// The admin panel's title and headings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminHeadings {
    /// The window's title.
    pub title: String,
    /// Before the camera buttons.
    pub switch_camera: String,
    /// Above today's counts.
    pub today: String,
    /// Above the last scans.
    pub recent: String,
}

impl AdminView {
    /// The buttons with their labels, in reading order.
    pub fn buttons(&self) -> Vec<(AdminAction, String)> {
        self.actions
            .iter()
            .map(|&a| (a, a.label(self.lang)))
            .collect()
    }

    /// Adds the clock floor's warning when the floor holds the time `lead` seconds ahead of
    /// this computer's clock, more than [`MAX_FLOOR_LEAD`] (see
    /// [`crate::clock::FlooredClock::lead`]), and the button that trusts this computer's clock
    /// again.
    pub fn with_clock_warning(mut self, lead: Option<i64>) -> Self {
        if let Some(lead) = lead.filter(|l| *l > MAX_FLOOR_LEAD) {
            let warning = one(self.lang, "kiosk-admin-clock-floor", "minutes", lead / 60);
            let line = one(self.lang, "kiosk-admin-clock", "warning", warning);
            self.state.push(Line::warning(line));
            self.actions.insert(0, AdminAction::TrustClock);
        }
        self
    }

    /// The panel, in `lang`, for these figures, this uploader state and this window state.
    pub fn build(stats: &Stats, sync: Option<&SyncStatus>, fullscreen: bool, lang: Lang) -> Self {
        let mut state = upload_lines(stats, lang);
        state.extend(server_lines(sync, lang));
        state.extend(problem_lines(stats, lang));
        let with =
            |id: &str, name: &str, value: String| text_with(lang, id, &[(name, value.into())]);
        AdminView {
            lang,
            headings: AdminHeadings {
                title: text(lang, "kiosk-admin-title"),
                switch_camera: text(lang, "kiosk-admin-switch-camera"),
                today: text(lang, "kiosk-admin-today"),
                recent: text(lang, "kiosk-admin-last-scans"),
            },
            device: vec![
                Line::plain(with(
                    "kiosk-admin-device",
                    "id",
                    clean(&stats.device_id).into(),
                )),
                Line::plain(with(
                    "kiosk-admin-camera",
                    "camera",
                    clean(&stats.source).into(),
                )),
            ],
            cameras: stats.cameras.clone(),
            today: VerdictKind::ALL
                .iter()
                .map(|k| {
                    let verdict = text(lang, &format!("kiosk-verdict-{}", k.name()));
                    let count = stats.today.get(k.name()).copied().unwrap_or(0);
                    text_with(
                        lang,
                        "kiosk-admin-today-count",
                        &[("verdict", verdict.into()), ("count", count.into())],
                    )
                })
                .collect(),
            state,
            recent: stats
                .recent
                .iter()
                .take(8)
                .map(|s| {
                    let at = local_time(s.at);
                    format!("{at}  {}  {}", s.verdict, clean(&s.reason))
                })
                .collect(),
            actions: vec![
                AdminAction::Volunteer,
                AdminAction::ReloadScreens,
                AdminAction::TestSound,
                AdminAction::Fullscreen(!fullscreen),
                AdminAction::Quit,
                AdminAction::Close,
            ],
        }
    }
}

/// The volunteer's panel as drawn: the door's figures and the buttons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolunteerView {
    /// The language of its words.
    pub lang: Lang,
    /// The window's title.
    pub title: String,
    /// Inside now, per entrance and the venue, against the capacities.
    pub figures: Option<String>,
    /// The buttons: roll call, admit over capacity (only when at capacity), close.
    pub actions: Vec<VolunteerAction>,
    /// The manual path's buttons with their words ([`VolunteerView::with_manual_path`]).
    pub manual: Vec<(VolunteerAction, String)>,
    /// People counted today without a record, in words.
    pub uncounted: Option<String>,
}

impl VolunteerView {
    /// The buttons with their labels, in reading order.
    pub fn buttons(&self) -> Vec<(VolunteerAction, String)> {
        labelled(&self.actions, self.lang)
    }

    /// The panel, in `lang`, for these figures.
    pub fn build(stats: &Stats, wall: i64, sync: Option<&SyncStatus>, lang: Lang) -> Self {
        let full = door_level(stats) == Level::Full;
        let mut actions = vec![VolunteerAction::RollCall];
        if full {
            actions.push(VolunteerAction::AdmitOverCapacity);
        }
        actions.push(VolunteerAction::Close);
        VolunteerView {
            lang,
            title: text(lang, "kiosk-volunteer-title"),
            figures: stats
                .door
                .as_ref()
                .map(|d| door_figures(lang, wall, d, sync)),
            actions,
            manual: Vec::new(),
            uncounted: None,
        }
    }
}

impl VolunteerAction {
    /// The button's label in `lang`.
    pub fn label(self, lang: Lang) -> String {
        let id = match self {
            VolunteerAction::RollCall => "kiosk-volunteer-roll-call",
            VolunteerAction::AdmitOverCapacity => "kiosk-volunteer-admit",
            VolunteerAction::Back => "kiosk-volunteer-back",
            VolunteerAction::Close => "kiosk-volunteer-close",
            VolunteerAction::WalkIn => "walkin-button",
            VolunteerAction::Undo => "undo-button",
            VolunteerAction::TallyUp => "tally-plus",
            VolunteerAction::TallyDown => "tally-minus",
        };
        text(lang, id)
    }
}

/// `actions` with their labels in `lang`.
fn labelled(actions: &[VolunteerAction], lang: Lang) -> Vec<(VolunteerAction, String)> {
    actions.iter().map(|&a| (a, a.label(lang))).collect()
}

/// The roll call as drawn: per entrance, who is inside, since when, how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollCallView {
    /// The language of its words.
    pub lang: Lang,
    /// The window's title.
    pub title: String,
    /// One section per entrance, in the ledger's order.
    pub sections: Vec<RollCallSection>,
    /// `N people on M passes`.
    pub total: String,
    /// People counted without a record ("uncounted by name"), when there are any.
    pub uncounted: Option<String>,
}

/// One entrance of the roll call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollCallSection {
    /// `main: 5 people`.
    pub heading: String,
    /// One row per open stay: name, since (`HH:MM`), head count.
    pub rows: Vec<[String; 3]>,
}

impl RollCallView {
    /// The buttons under the list (back to the panel, close), with their labels.
    pub fn buttons(&self) -> Vec<(VolunteerAction, String)> {
        labelled(&[VolunteerAction::Back, VolunteerAction::Close], self.lang)
    }

    /// The view, in `lang`, of `list` (the ledger's open stays with their names).
    pub fn build(list: &[RollCallEntry], lang: Lang) -> Self {
        let mut sections: Vec<(String, Vec<&RollCallEntry>)> = Vec::new();
        for entry in list {
            match sections.last_mut() {
                Some((name, rows)) if *name == entry.entrance => rows.push(entry),
                _ => sections.push((entry.entrance.clone(), vec![entry])),
            }
        }
        let people: u32 = list.iter().map(|e| u32::from(e.heads)).sum();
        RollCallView {
            lang,
            title: text(lang, "kiosk-roll-call-title"),
            sections: sections
                .into_iter()
                .map(|(entrance, rows)| {
                    let heads: u32 = rows.iter().map(|e| u32::from(e.heads)).sum();
                    RollCallSection {
                        heading: text_with(
                            lang,
                            "kiosk-roll-call-heading",
                            &[
                                ("entrance", clean(&entrance).into_owned().into()),
                                ("count", heads.into()),
                            ],
                        ),
                        rows: rows
                            .iter()
                            .map(|e| {
                                [
                                    e.name.as_deref().map_or_else(
                                        || text(lang, "kiosk-roll-call-no-name"),
                                        |n| clean(n).into_owned(),
                                    ),
                                    hour_minute(e.since),
                                    e.heads.to_string(),
                                ]
                            })
                            .collect(),
                    }
                })
                .collect(),
            total: text_with(
                lang,
                "kiosk-roll-call-total",
                &[("people", people.into()), ("passes", list.len().into())],
            ),
            uncounted: None,
        }
    }
}

/// `id` in `lang` with the one variable `name` set to `value`.
fn one(lang: Lang, id: &str, name: &str, value: impl Into<usher_i18n::Arg>) -> String {
    text_with(lang, id, &[(name, value.into())])
}

/// Uploads waiting, how contact details are kept, the settings' warnings.
fn upload_lines(stats: &Stats, lang: Lang) -> Vec<Line> {
    let waiting = one(lang, "kiosk-admin-waiting", "count", stats.pending_uploads);
    let mut lines = vec![Line::plain(waiting)];
    if let Some(keeping) = &stats.protection {
        let kept = match keeping {
            Keeping::Organiser => text(lang, "kiosk-admin-contact-organiser"),
            Keeping::LocalKey(file) => one(
                lang,
                "kiosk-admin-contact-local",
                "file",
                clean(&file.display().to_string()).into_owned(),
            ),
            Keeping::Memory => text(lang, "kiosk-admin-contact-memory"),
        };
        lines.push(Line::plain(one(
            lang,
            "kiosk-admin-contact",
            "protection",
            kept,
        )));
    }
    for warning in &stats.warnings {
        let line = one(lang, "kiosk-admin-warning", "warning", warning.as_str());
        lines.push(Line::warning(line));
    }
    lines
}

/// The server: standalone, or its state, last upload, last problem and clock warning.
fn server_lines(sync: Option<&SyncStatus>, lang: Lang) -> Vec<Line> {
    let Some(sync) = sync else {
        return vec![Line::plain(text(lang, "kiosk-admin-standalone"))];
    };
    let state = if sync.online {
        "kiosk-admin-server-online"
    } else {
        "kiosk-admin-server-offline"
    };
    let mut lines = vec![Line::plain(text(lang, state))];
    if let Some(at) = sync.last_upload {
        lines.push(Line::plain(one(
            lang,
            "kiosk-admin-last-upload",
            "time",
            local_time(at),
        )));
    }
    if let Some(error) = &sync.last_error {
        let problem = one(
            lang,
            "kiosk-admin-sync-problem",
            "problem",
            clean(error).into_owned(),
        );
        lines.push(Line::plain(problem));
    }
    if let Some(skew) = sync.clock_skew.filter(|s| s.abs() > MAX_SKEW_SECS) {
        let id = if skew > 0 {
            "kiosk-admin-clock-behind"
        } else {
            "kiosk-admin-clock-ahead"
        };
        let warning = one(lang, id, "minutes", skew.abs() / 60);
        lines.push(Line::warning(one(
            lang,
            "kiosk-admin-clock",
            "warning",
            warning,
        )));
    }
    lines
}

/// Rows the server refused, double uses, decoder panics.
fn problem_lines(stats: &Stats, lang: Lang) -> Vec<Line> {
    let mut lines = Vec::new();
    if !stats.parked.is_empty() {
        let title = one(lang, "kiosk-admin-refused", "count", stats.parked.len());
        lines.push(Line::heading(title));
        lines.extend(stats.parked.iter().take(5).map(|row| {
            let at = local_time(row.scanned_at);
            Line::plain(format!("{at}  {}", clean(&row.reason)))
        }));
    }
    if !stats.double_uses.is_empty() {
        let title = one(
            lang,
            "kiosk-admin-double-uses",
            "count",
            stats.double_uses.len(),
        );
        lines.push(Line::heading(title));
        lines.extend(
            stats
                .double_uses
                .iter()
                .take(5)
                .map(|d| Line::plain(clean(d))),
        );
    }
    if stats.decoder_panics > 0 {
        let panics = one(lang, "kiosk-admin-panics", "count", stats.decoder_panics);
        lines.push(Line::plain(panics));
    }
    lines
}

// ---- the volunteer's manual path (DESIGN §8): walk-in, undo, tally, register-on-your-phone ----

impl VolunteerView {
    /// Adds the manual path's buttons (walk-in, undo, `+1`, `-1`) with their words in `lang`,
    /// and the line of people counted today without a record.
    pub fn with_manual_path(mut self, lang: Lang, uncounted: u32) -> Self {
        let manual = [
            VolunteerAction::WalkIn,
            VolunteerAction::Undo,
            VolunteerAction::TallyUp,
            VolunteerAction::TallyDown,
        ];
        self.manual = labelled(&manual, lang);
        self.uncounted = Some(usher_i18n::text_with(
            lang,
            "tally-count",
            &[("count", uncounted.into())],
        ));
        self
    }
}

/// The status line's parts with this kiosk's people counted today without a record as one
/// more, in `lang` (unchanged when there are none).
pub fn status_with_uncounted(mut parts: Vec<String>, lang: Lang, uncounted: u32) -> Vec<String> {
    if uncounted > 0 {
        parts.push(text_with(
            lang,
            "tally-count",
            &[("count", uncounted.into())],
        ));
    }
    parts
}

impl RollCallView {
    /// Adds the people counted without a record ("uncounted by name"), when there are any.
    pub fn with_uncounted(mut self, lang: Lang, uncounted: u32) -> Self {
        self.uncounted = (uncounted > 0)
            .then(|| usher_i18n::text_with(lang, "tally-count", &[("count", uncounted.into())]));
        self
    }
}

/// The walk-in form as drawn: labels, the fields' text (in visual order for right-to-left
/// scripts), which has the focus, the keyboard's keys, the party size and the complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkInView {
    /// The form's title.
    pub title: String,
    /// Name, phone, e-mail: (field, label, text as typed).
    pub fields: Vec<(Field, String, String)>,
    /// The field the keys type into.
    pub focus: Field,
    /// The on-screen keys, row by row, with what each shows.
    pub keys: Vec<Vec<(Key, String)>>,
    /// "How many people" and the party size.
    pub party: (String, u8),
    /// Why the last "Sign in" was refused.
    pub error: Option<String>,
    /// The "Sign in" and "Cancel" buttons' words.
    pub submit: String,
    /// The "Cancel" button's words.
    pub cancel: String,
}

impl WalkInView {
    /// The view of `form` in `lang`.
    pub fn build(form: &WalkInForm, lang: Lang) -> Self {
        let t = |id: &str| usher_i18n::text(lang, id);
        WalkInView {
            title: t("walkin-title"),
            fields: [
                (Field::Name, "walkin-name"),
                (Field::Phone, "walkin-phone"),
                (Field::Email, "walkin-email"),
            ]
            .into_iter()
            .map(|(f, id)| (f, t(id), form.field(f).text.clone()))
            .collect(),
            focus: form.focus,
            keys: form
                .layout
                .rows()
                .into_iter()
                .map(|row| row.into_iter().map(|k| (k, k.label())).collect())
                .collect(),
            party: (t("walkin-party"), form.party),
            error: form.error.map(|e| {
                t(match e {
                    WalkInError::NoName => "walkin-error-no-name",
                    WalkInError::BadName => "walkin-error-bad-name",
                    WalkInError::BadPhone => "walkin-error-bad-phone",
                    WalkInError::BadEmail => "walkin-error-bad-email",
                })
            }),
            submit: t("walkin-submit"),
            cancel: t("walkin-cancel"),
        }
    }
}

/// The undo list as drawn: this kiosk's recent sign-ins by time and first name only, each
/// with its "Void" button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoView {
    /// "Sign-ins in the last 10 minutes".
    pub title: String,
    /// (the entry, `HH:MM`, first name, head count); newest first.
    pub rows: Vec<(EntryId, String, String, u8)>,
    /// What the list says when it is empty.
    pub empty: Option<String>,
    /// The "Void" button's words.
    pub void: String,
    /// The "Back" button's words.
    pub back: String,
}

impl UndoView {
    /// The view of `list` (from the ledger) for an undo window of `minutes`, in `lang`.
    pub fn build(list: &[RecentSignIn], minutes: u32, lang: Lang) -> Self {
        let t = |id: &str| usher_i18n::text(lang, id);
        UndoView {
            title: usher_i18n::text_with(lang, "undo-title", &[("minutes", minutes.into())]),
            rows: list
                .iter()
                .map(|r| {
                    let name = r
                        .first_name
                        .as_deref()
                        .map_or_else(|| t("undo-no-name"), |n| clean(n).into_owned());
                    (r.entry.clone(), hour_minute(r.at), name, r.heads)
                })
                .collect(),
            empty: list.is_empty().then(|| t("undo-none")),
            void: t("undo-void"),
            back: t("undo-back"),
        }
    }
}

/// The ready screen's "register on your phone" code: the QR modules of `<registerUrl>` and
/// the line under it. Made once when the window opens (the URL does not change while it runs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterView {
    /// Modules per side.
    pub side: usize,
    /// Dark modules, row by row (`side * side`), without the quiet zone.
    pub dark: Vec<bool>,
    /// "No pass? Scan this to register on your phone."
    pub caption: String,
}

impl RegisterView {
    /// The code of `url` with its caption in `lang` (`None`: no URL, or too long for a code).
    pub fn build(url: Option<&str>, lang: Lang) -> Option<Self> {
        let code = qrcode::QrCode::with_error_correction_level(url?.as_bytes(), qrcode::EcLevel::M)
            .ok()?;
        Some(RegisterView {
            side: code.width(),
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == qrcode::Color::Dark)
                .collect(),
            caption: usher_i18n::text(lang, "walkin-register"),
        })
    }

    /// Whether the code shows now: on the ready screen, with nothing over it.
    pub fn shows(view: &View<'_>) -> bool {
        view.screen() == Screen::Ready && *view.overlay == Overlay::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::PinGate;
    use crate::kiosk::{CameraStatus, Input, Kiosk, VerdictEvent};
    use crate::screens::Picture;
    use std::sync::Arc;

    fn kiosk_showing(kind: Option<VerdictKind>) -> Kiosk {
        let mut k = Kiosk::new(
            3,
            PinGate::in_memory(None),
            CameraStatus::Lost("cam".into()),
        );
        if let Some(kind) = kind {
            k.handle(Input::Verdict(Box::new(VerdictEvent::bare(kind))), 0);
        }
        k
    }

    fn with_background(name: &'static str, text: Option<&str>) -> ScreenSet {
        let mut set = ScreenSet::default();
        let screen = set.screens.entry(name).or_default();
        screen.background = Some(Picture {
            width: 1,
            height: 1,
            rgba: Arc::new(vec![0; 4]),
        });
        screen.text = text.map(str::to_owned);
        set
    }

    #[test]
    fn the_ready_screen_has_the_status_line_and_a_verdict_has_none() {
        let k = kiosk_showing(None);
        let v = ScreenView::build(&k.view(), &ScreenSet::default(), || vec!["status".into()]);
        assert_eq!(v.screen, Screen::Ready);
        assert_eq!(v.status, Some(vec!["status".to_owned()]));
        assert_eq!(v.icon, Some(screens::built_in("ready").icon));
        assert_eq!(v.message.as_deref(), Some("Show your pass to the camera"));
        assert_eq!(
            v.camera_lost.as_deref(),
            Some("Camera lost (cam): reconnecting…")
        );
        let k = kiosk_showing(Some(VerdictKind::Expired));
        let v = ScreenView::build(&k.view(), &ScreenSet::default(), || unreachable!());
        assert_eq!(v.screen, Screen::Verdict(VerdictKind::Expired));
        assert_eq!(v.status, None);
    }

    #[test]
    fn a_picture_replaces_icon_and_message_unless_there_is_text_or_it_is_the_used_screen() {
        let k = kiosk_showing(Some(VerdictKind::Accepted));
        let v = ScreenView::build(&k.view(), &with_background("qr_accepted", None), Vec::new);
        assert_eq!((v.icon, v.message), (None, None));
        let set = with_background("qr_accepted", Some("Hello"));
        let v = ScreenView::build(&k.view(), &set, Vec::new);
        assert_eq!((v.icon, v.message.as_deref()), (None, Some("Hello")));
        let k = kiosk_showing(Some(VerdictKind::Used));
        let v = ScreenView::build(&k.view(), &with_background("qr_used", None), Vec::new);
        assert_eq!(v.icon, None);
        assert!(v.message.is_some_and(|m| m.contains("already used")));
    }

    fn preview_frame(showing: Option<Showing>) -> PreviewFrame {
        PreviewFrame {
            seq: 1,
            width: 320,
            height: 180,
            grey: vec![0; 320 * 180],
            outlines: vec![vec![[0.1, 0.1], [0.4, 0.1], [0.4, 0.6], [0.1, 0.6]]],
            showing,
        }
    }

    #[test]
    fn the_preview_takes_the_icons_place_on_the_ready_screen_only_while_frames_arrive() {
        let placement = crate::screens::placement::DEFAULT_PREVIEW;
        let frame = preview_frame(None);
        let mut k = Kiosk::new(3, PinGate::in_memory(None), CameraStatus::Live("c".into()));
        let p = PreviewView::build(&k.view(), placement, Some(&frame)).expect("preview");
        assert_eq!(p.natural, (320.0, 180.0));
        assert_eq!(p.outlines, frame.outlines);
        assert_eq!(p.caption, None, "not the demo feed");
        let v = ScreenView::build(&k.view(), &ScreenSet::default(), Vec::new).with_preview(Some(p));
        assert_eq!(v.icon, None, "the preview stands where the icon was");
        assert_eq!(v.message.as_deref(), Some("Show your pass to the camera"));
        // No frame yet: today's ready screen, icon and all.
        assert_eq!(PreviewView::build(&k.view(), placement, None), None);
        let v = ScreenView::build(&k.view(), &ScreenSet::default(), Vec::new).with_preview(None);
        assert!(v.icon.is_some());
        // A verdict screen and a lost camera show no preview.
        k.handle(
            Input::Verdict(Box::new(VerdictEvent::bare(VerdictKind::Used))),
            0,
        );
        assert_eq!(PreviewView::build(&k.view(), placement, Some(&frame)), None);
        assert!(!preview_shown(&k.view(), Some(&frame)));
        // On the demo feed the verdict screen shows the pass beside its verdict.
        let demo = preview_frame(Some(Showing::SamePassAgain));
        let p = PreviewView::build(&k.view(), placement, Some(&demo)).expect("demo preview");
        assert_eq!(
            p.caption.as_deref(),
            Some("Demo: the same pass again: already used")
        );
        let v = ScreenView::build(&k.view(), &ScreenSet::default(), Vec::new).with_preview(Some(p));
        assert_eq!(v.icon, None);
        assert!(v.message.is_some_and(|m| m.contains("already used")));
        let lost = kiosk_showing(None);
        assert_eq!(
            PreviewView::build(&lost.view(), placement, Some(&frame)),
            None
        );
    }

    #[test]
    fn a_ready_background_stays_under_the_placed_preview() {
        let placed = Placement::parse("B15%R15%W25%").expect("mods");
        let k = Kiosk::new(3, PinGate::in_memory(None), CameraStatus::Live("c".into()));
        let set = with_background("ready", None);
        let p = PreviewView::build(&k.view(), placed, Some(&preview_frame(None)));
        let v = ScreenView::build(&k.view(), &set, Vec::new).with_preview(p);
        let preview = v.preview.expect("preview");
        assert_eq!(preview.placement, placed);
        assert_eq!((v.icon, v.message), (None, None), "the background speaks");
    }

    #[test]
    fn the_demo_feed_says_what_it_presents_in_the_kiosks_language() {
        let k = Kiosk::new(3, PinGate::in_memory(None), CameraStatus::Demo);
        let frame = preview_frame(Some(Showing::Expired));
        let p = PreviewView::build(&k.view(), Placement::default(), Some(&frame)).expect("p");
        assert_eq!(
            p.caption.as_deref(),
            Some("Demo: a pass past its date: expired")
        );
        let k = k.with_language(usher_i18n::Lang::Fr);
        let p = PreviewView::build(&k.view(), Placement::default(), Some(&frame)).expect("p");
        assert_eq!(
            p.caption.as_deref(),
            Some("Démo : un laissez-passer périmé : expiré")
        );
        for showing in Showing::CYCLE.into_iter().chain([Showing::Nothing]) {
            for lang in usher_i18n::Lang::ALL {
                let words = demo_caption(showing, lang);
                assert!(
                    !words.starts_with("preview-"),
                    "{showing:?} in {lang:?}: {words}"
                );
            }
        }
    }

    #[test]
    fn the_too_early_screen_says_when_the_doors_open_in_the_kiosks_language() {
        let early = |lang: usher_i18n::Lang, set: &ScreenSet| {
            let mut k = Kiosk::new(
                3,
                PinGate::in_memory(None),
                CameraStatus::Live("cam".into()),
            )
            .with_language(lang);
            let mut e = VerdictEvent::bare(VerdictKind::TooEarly);
            e.at = 1_800_000_000;
            e.not_before = Some(1_800_000_000 + 3_600);
            k.handle(Input::Verdict(Box::new(e)), 0);
            ScreenView::build(&k.view(), set, Vec::new)
                .message
                .expect("a message")
        };
        // The doors' time as the kiosk's clock says it: the same day, so only HH:MM.
        let opens = crate::clock::local_time(1_800_003_600)[11..16].to_owned();
        let en = early(usher_i18n::Lang::En, &ScreenSet::default());
        assert!(en.starts_with("Too early for this event"), "{en}");
        assert!(en.ends_with(&format!("Doors open at {opens}")), "{en}");
        let ar = early(usher_i18n::Lang::Ar, &ScreenSet::default());
        assert!(ar.contains("تفتح الأبواب") && ar.contains(&opens), "{ar}");
        // The venue's qr_too_early.txt wins, with {opens} filled in.
        let mut set = ScreenSet::default();
        set.screens.entry("qr_too_early").or_default().text = Some("Come back at {opens}".into());
        assert_eq!(
            early(usher_i18n::Lang::En, &set),
            format!("Come back at {opens}")
        );
    }

    #[test]
    fn the_pin_pad_says_locked_wrong_or_enter() {
        let pad = |typed, wrong, locked_until| {
            let overlay = Overlay::Pin {
                typed,
                wrong,
                locked_until,
            };
            PinPad::build(&overlay, 1_000, Lang::En).expect("pad")
        };
        assert_eq!(
            pad(0, false, None).prompt.text(Lang::En),
            "Enter the admin PIN"
        );
        assert_eq!(pad(2, true, None).dots, "●●○○");
        assert_eq!(pad(0, true, None).prompt, PinPrompt::Wrong);
        assert_eq!(
            pad(0, true, Some(30_001)).prompt.text(Lang::En),
            "Too many wrong PINs: wait 30 s"
        );
        assert_eq!(PinPad::build(&Overlay::Admin, 0, Lang::En), None);
        let asks = |pin_for, volunteer| pad(0, false, None).for_purpose(pin_for, volunteer).prompt;
        assert_eq!(asks(PinFor::Panel, false), PinPrompt::Enter);
        assert_eq!(asks(PinFor::Panel, true), PinPrompt::EnterAny);
        assert_eq!(
            asks(PinFor::AdmitOverCapacity, true),
            PinPrompt::EnterVolunteer
        );
        assert_eq!(
            pad(0, true, None).for_purpose(PinFor::Panel, true).prompt,
            PinPrompt::Wrong
        );
    }

    #[test]
    fn the_admin_view_lists_the_state_in_order_and_offers_the_other_window_mode() {
        let stats = Stats {
            device_id: "door\u{202e}1".into(),
            warnings: vec!["readable".into()],
            double_uses: vec!["pass x".into()],
            decoder_panics: 2,
            ..Stats::default()
        };
        let v = AdminView::build(&stats, None, true, Lang::En);
        assert_eq!(v.device[0].text, "Device id: door1");
        let texts: Vec<&str> = v.state.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Waiting for upload: 0",
                "Warning: readable",
                "Standalone: no server configured (sign-ins stay on this kiosk)",
                "Double uses (1)",
                "pass x",
                "Decoder panics caught: 2",
            ]
        );
        assert_eq!(v.state[1].tone, Tone::Warning);
        assert_eq!(v.state[3].tone, Tone::Heading);
        assert!(v.actions.contains(&AdminAction::Fullscreen(false)));
        assert_eq!(
            AdminAction::Fullscreen(false).label(Lang::En),
            "Leave full screen"
        );
        assert_eq!(v.today.len(), VerdictKind::ALL.len());
    }

    #[test]
    fn the_status_line_names_the_server_state_and_the_notice() {
        let sync = SyncStatus {
            online: false,
            pending: 3,
            ..SyncStatus::default()
        };
        let line = status_line(
            Lang::En,
            0,
            &Stats::default(),
            Some(&sync),
            Some(Notice::Demo),
        )
        .join(STATUS_SEPARATOR);
        assert!(
            line.ends_with("0 signed in today   ·   offline, 3 waiting   ·   demo feed"),
            "{line}"
        );
    }

    fn line_at(
        wall: i64,
        stats: &Stats,
        sync: Option<&SyncStatus>,
        notice: Option<Notice>,
    ) -> String {
        status_line(Lang::En, wall, stats, sync, notice).join(STATUS_SEPARATOR)
    }

    fn door(inside: u32, capacity: Option<u32>, fetched: Option<i64>) -> Stats {
        use usher_core::{Capacity, DoorRules, Entrance, InsideNow};
        let mut now = InsideNow::new();
        let main = Entrance::main();
        now.add(&main, inside);
        now.add(&"sisters".parse::<Entrance>().expect("entrance"), 5);
        let rules = DoorRules {
            capacity: Capacity {
                venue: capacity.map(|c| c + 5),
                entrances: capacity.map(|c| (main.clone(), c)).into_iter().collect(),
            },
            ..DoorRules::default()
        };
        Stats {
            door: Some(DoorFigures {
                entrance: main,
                status: rules.status(&now),
                presence_fetched_at: fetched,
            }),
            ..Stats::default()
        }
    }

    #[test]
    fn the_status_line_shows_inside_now_against_the_capacities_and_its_colour() {
        let line = line_at(0, &door(12, None, None), None, None);
        assert!(line.contains("inside: main 12, venue 17"), "{line}");
        let line = line_at(0, &door(12, Some(50), None), None, None);
        assert!(line.contains("inside: main 12/50, venue 17/55"), "{line}");
        assert_eq!(door_level(&door(12, Some(50), None)), Level::Normal);
        assert_eq!(door_level(&door(45, Some(50), None)), Level::Warn);
        assert_eq!(door_level(&door(50, Some(50), None)), Level::Full);
        assert_eq!(door_level(&Stats::default()), Level::Normal);
        let colours: Vec<_> = [Level::Normal, Level::Warn, Level::Full]
            .into_iter()
            .map(status_colour)
            .collect();
        assert_eq!(
            colours,
            [[0, 0, 0, 90], [230, 150, 0, 235], [190, 20, 20, 235]]
        );
        let k = kiosk_showing(None);
        let v = ScreenView::build(&k.view(), &ScreenSet::default(), Vec::new)
            .with_status_level(Level::Warn);
        assert_eq!(v.status_level, Level::Warn);
    }

    #[test]
    fn offline_the_status_line_says_how_old_the_venue_figures_are() {
        let offline = SyncStatus {
            online: false,
            ..SyncStatus::default()
        };
        let online = SyncStatus {
            online: true,
            ..SyncStatus::default()
        };
        let stats = door(3, None, Some(1_000));
        let line = line_at(1_000 + 7 * 60 + 30, &stats, Some(&offline), None);
        assert!(line.contains("venue 8 (venue as of 7 min ago)"), "{line}");
        let line = line_at(1_000 + 7 * 60, &stats, Some(&online), None);
        assert!(!line.contains("as of"), "{line}");
        // Never fetched: only the local figures.
        let line = line_at(5_000, &door(3, None, None), Some(&offline), None);
        assert!(
            line.contains("venue 8") && !line.contains("as of"),
            "{line}"
        );
        assert_eq!(age(Lang::En, 30), "just now");
        assert_eq!(age(Lang::En, 125 * 60), "2 h 5 min ago");
    }

    #[test]
    fn the_party_prompt_offers_one_button_per_head_and_qr_full_offers_admit_anyway() {
        let p = PartyView::new(3, Lang::En);
        assert_eq!(p.buttons, [1, 2, 3]);
        assert_eq!(p.question, "How many of you are here?");
        assert_eq!(p.default_note, "No answer: 3");
        const { assert!(TOUCH_TARGET >= 44.0) };
        let k = kiosk_showing(Some(VerdictKind::Full));
        let v = ScreenView::build(&k.view(), &ScreenSet::default(), Vec::new);
        assert!(v.admit_anyway);
        assert_eq!(v.party, None);
        let k = kiosk_showing(Some(VerdictKind::Accepted));
        let v = ScreenView::build(&k.view(), &ScreenSet::default(), Vec::new);
        assert!(!v.admit_anyway);
    }

    #[test]
    fn the_volunteer_panel_offers_the_override_only_at_capacity() {
        let v = VolunteerView::build(&door(10, Some(50), None), 0, None, Lang::En);
        assert_eq!(
            v.actions,
            [VolunteerAction::RollCall, VolunteerAction::Close]
        );
        assert!(v.figures.is_some_and(|f| f.contains("main 10/50")));
        let v = VolunteerView::build(&door(50, Some(50), None), 0, None, Lang::En);
        assert_eq!(
            v.actions,
            [
                VolunteerAction::RollCall,
                VolunteerAction::AdmitOverCapacity,
                VolunteerAction::Close
            ]
        );
    }

    #[test]
    fn the_roll_call_lists_each_entrance_with_names_times_and_heads() {
        let e = |entrance: &str, heads, name: Option<&str>| RollCallEntry {
            entrance: entrance.into(),
            since: 0,
            heads,
            name: name.map(str::to_owned),
        };
        let v = RollCallView::build(
            &[
                e("brothers", 1, Some("Omar\u{202e}x")),
                e("sisters", 3, Some("Aisha")),
                e("sisters", 2, None),
            ],
            Lang::En,
        );
        assert_eq!(v.total, "6 inside on 3 passes");
        assert_eq!(v.sections.len(), 2);
        assert_eq!(v.sections[0].heading, "brothers: 1 inside");
        assert_eq!(v.sections[0].rows[0][0], "Omarx");
        assert_eq!(v.sections[1].heading, "sisters: 5 inside");
        assert_eq!(v.sections[1].rows[1][0], "(no name)");
        assert_eq!(v.sections[1].rows[0][2], "3");
        assert_eq!(v.sections[1].rows[0][1].len(), 5, "HH:MM");
    }

    #[test]
    fn the_manual_path_speaks_the_kiosks_language() {
        let panel = VolunteerView::build(&Stats::default(), 0, None, Lang::Ar)
            .with_manual_path(Lang::Ar, 3);
        let words: Vec<&str> = panel.manual.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(words[0], usher_i18n::text(Lang::Ar, "walkin-button"));
        assert_eq!(panel.manual.len(), 4);
        assert_eq!(
            panel.uncounted,
            Some(usher_i18n::text_with(
                Lang::Ar,
                "tally-count",
                &[("count", 3.into())]
            ))
        );
        let roll = RollCallView::build(&[], Lang::En).with_uncounted(Lang::En, 0);
        assert_eq!(roll.uncounted, None, "nothing to say without a tally");
        let roll = RollCallView::build(&[], Lang::En).with_uncounted(Lang::En, 2);
        assert!(
            roll.uncounted
                .unwrap_or_default()
                .contains("Uncounted by name")
        );
    }

    #[test]
    fn the_walk_in_view_names_the_missing_name_and_shows_the_keys() {
        let mut form = WalkInForm::default();
        form.input(crate::walkin::FormInput::Submit);
        let view = WalkInView::build(&form, Lang::En);
        assert_eq!(
            view.error.as_deref(),
            Some("Please type the visitor's name.")
        );
        assert_eq!(view.fields[0].1, "Name (required)");
        assert_eq!(view.focus, Field::Name);
        assert!(view.keys.iter().flatten().any(|(_, label)| label == "أبج"));
        let fr = WalkInView::build(&form, Lang::Fr);
        assert_eq!(fr.submit, usher_i18n::text(Lang::Fr, "walkin-submit"));
    }

    #[test]
    fn the_undo_view_shows_time_and_first_name_only() {
        let list = [
            RecentSignIn {
                entry: EntryId("a".into()),
                at: 1_800_000_000,
                first_name: Some("Ada".into()),
                heads: 2,
            },
            RecentSignIn {
                entry: EntryId("b".into()),
                at: 1_800_000_060,
                first_name: None,
                heads: 1,
            },
        ];
        let view = UndoView::build(&list, 10, Lang::En);
        assert_eq!(view.title, "Sign-ins in the last 10 minutes");
        assert_eq!(view.rows[0].2, "Ada");
        assert_eq!(view.rows[1].2, "(no name)");
        assert_eq!(view.rows[0].1, hour_minute(1_800_000_000));
        assert_eq!(view.empty, None);
        assert_eq!(
            UndoView::build(&[], 10, Lang::En).empty.as_deref(),
            Some("No sign-ins to undo.")
        );
    }

    #[test]
    fn the_register_code_is_made_only_for_a_url_and_shows_only_on_the_ready_screen() {
        assert_eq!(RegisterView::build(None, Lang::En), None);
        let code =
            RegisterView::build(Some("https://door.example.org/"), Lang::En).expect("a code");
        assert_eq!(code.dark.len(), code.side * code.side);
        assert!(code.dark.iter().any(|d| *d) && code.dark.iter().any(|d| !*d));
        assert!(code.caption.contains("register on your phone"));
        let k = kiosk_showing(None);
        assert!(RegisterView::shows(&k.view()));
        let k = kiosk_showing(Some(VerdictKind::Accepted));
        assert!(!RegisterView::shows(&k.view()));
    }

    #[test]
    fn the_status_line_adds_the_uncounted_only_when_there_are_some() {
        let parts = || vec!["08:00".to_owned()];
        assert_eq!(status_with_uncounted(parts(), Lang::En, 0), ["08:00"]);
        let line = status_with_uncounted(parts(), Lang::En, 2).join(STATUS_SEPARATOR);
        assert!(
            line.starts_with("08:00   ·   Uncounted by name: "),
            "{line}"
        );
        assert!(line.contains('2'));
    }

    #[test]
    fn every_word_follows_the_language_and_arabic_runs_right_to_left() {
        let k = kiosk_showing(None).with_language(Lang::Ar);
        let v = ScreenView::build(&k.view(), &ScreenSet::default(), Vec::new);
        assert_eq!(v.direction, Direction::Rtl);
        assert_eq!(
            v.message.as_deref(),
            Some("اعرض بطاقة الدخول أمام الكاميرا")
        );
        assert_eq!(
            v.camera_lost.as_deref(),
            Some("انقطعت الكاميرا (cam): جارٍ إعادة الاتصال…")
        );
        assert_eq!(
            v.language.as_deref(),
            Some("اردو"),
            "the next language's own name"
        );
        assert_eq!(v.words.admit_anyway, "أدخِلهم رغم ذلك");
        let k = kiosk_showing(None);
        let v = ScreenView::build(&k.view(), &ScreenSet::default(), Vec::new);
        assert_eq!(
            (v.direction, v.language.as_deref()),
            (Direction::Ltr, Some("العربية"))
        );
        let k = kiosk_showing(Some(VerdictKind::Used));
        let v = ScreenView::build(&k.view(), &ScreenSet::default(), Vec::new);
        assert_eq!(
            v.language, None,
            "the language button is on the ready screen only"
        );
        // The status line's parts, in reading order; ui/ lays them out right to left.
        let sync = SyncStatus {
            online: true,
            pending: 2,
            ..SyncStatus::default()
        };
        let parts = status_line(
            Lang::Ar,
            0,
            &door(3, Some(10), None),
            Some(&sync),
            Some(Notice::Demo),
        );
        assert_eq!(
            parts[1..],
            [
                "الداخلون اليوم: 0",
                "في الداخل: main 3/10، المكان كله 8/15",
                "متصل، بانتظار الرفع 2",
                "عرض تجريبي",
            ]
        );
        assert_eq!(PartyView::new(2, Lang::Ur).question, "آپ کتنے لوگ ہیں؟");
        let pad = PinPad::build(
            &Overlay::Pin {
                typed: 0,
                wrong: true,
                locked_until: None,
            },
            0,
            Lang::Tr,
        )
        .expect("pad");
        assert_eq!(
            (pad.words().prompt.as_str(), pad.words().ok.as_str()),
            ("Yanlış PIN", "Tamam")
        );
        let admin = AdminView::build(&Stats::default(), None, false, Lang::Fr);
        assert_eq!(admin.today[0], "Accepté : 0");
        assert_eq!(admin.buttons()[0].1, "Panneau bénévole");
        let roll = RollCallView::build(&[], Lang::Ur);
        assert_eq!(
            roll.buttons()[0],
            (VolunteerAction::Back, "واپس".to_owned())
        );
    }

    #[test]
    fn the_admin_panel_words_the_clock_and_the_contact_keeping_as_before() {
        let sync = SyncStatus {
            clock_skew: Some(-601),
            ..SyncStatus::default()
        };
        let stats = Stats {
            protection: Some(Keeping::Organiser),
            ..Stats::default()
        };
        let v =
            AdminView::build(&stats, Some(&sync), false, Lang::En).with_clock_warning(Some(900));
        let texts: Vec<&str> = v.state.iter().map(|l| l.text.as_str()).collect();
        assert!(texts.contains(&"Contact details waiting: sealed to the organiser's key"));
        let skew = format!("Clock: {}", sync.clock_warning().expect("over 5 minutes"));
        assert!(texts.contains(&skew.as_str()), "{texts:?}");
        assert!(texts.iter().any(|t| t.starts_with(
            "Clock: the kiosk keeps its time at least 15 minutes ahead of this computer's clock"
        )));
        assert_eq!(v.actions[0], AdminAction::TrustClock);
        let v = AdminView::build(&Stats::default(), None, false, Lang::En)
            .with_clock_warning(Some(MAX_FLOOR_LEAD));
        assert!(
            !v.actions.contains(&AdminAction::TrustClock),
            "within bounds"
        );
    }
}
