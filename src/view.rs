//! What the kiosk window shows, decided outside egui: the screen with its message and notices,
//! the camera preview on the ready screen, the status line (with the door's figures and
//! colour), the party prompt, the PIN pad, the volunteer's panel and roll call, and the admin
//! panel, as plain values that `ui` only draws.

use crate::camera::demo::Showing;
use crate::clock::local_time;
use crate::keyboard::Key;
use crate::kiosk::{Millis, Overlay, PinFor, View, VolunteerAction};
use crate::ledger::{RecentSignIn, RollCallEntry};
use crate::pipeline::{DoorFigures, Stats};
use crate::preview::PreviewFrame;
use crate::screens::{self, Placement, ScreenSet};
use crate::sync::SyncStatus;
use crate::walkin::{Field, WalkInForm};
use usher_core::EntryId;
use usher_core::display::clean;
use usher_core::walkin::WalkInError;
use usher_core::{Level, Occupancy, VerdictKind};
use usher_i18n::Lang;

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
    /// The status band, on the ready screen only.
    pub status: Option<String>,
    /// How full the door is: the status band's colour ([`status_colour`]).
    pub status_level: Level,
    /// The party prompt, over the accepted screen.
    pub party: Option<PartyView>,
    /// The `qr_full` screen offers "Admit anyway" (behind the volunteer PIN).
    pub admit_anyway: bool,
    /// The camera preview, on the ready screen while frames arrive.
    pub preview: Option<PreviewView>,
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

/// The party prompt as drawn: the question and one large button per head count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyView {
    /// "How many of you are here?"
    pub question: &'static str,
    /// 1..=p.
    pub buttons: Vec<u8>,
    /// What counts when nobody taps (p), said under the buttons.
    pub default_note: String,
}

/// The smallest side of a touch target, in logical pixels (WCAG 2.5.5, Apple's HIG: 44).
pub const TOUCH_TARGET: f32 = 44.0;

impl PartyView {
    /// The prompt for a pass admitting up to `max`.
    pub fn new(max: u8) -> Self {
        PartyView {
            question: "How many of you are here?",
            buttons: (1..=max.max(1)).collect(),
            default_note: format!("No answer: {max}"),
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
    pub fn build(view: &View<'_>, set: &ScreenSet, status: impl FnOnce() -> String) -> Self {
        let screen = view.screen();
        let name = screen.name();
        let built = screens::built_in(name);
        let folder = set.get(name);
        let pictures = folder.is_some_and(has_pictures);
        let has_text = folder.is_some_and(|s| s.text.is_some());
        // The used screen always says when and where the pass was first used.
        let show_message = has_text || !pictures || screen == Screen::Verdict(VerdictKind::Used);
        ScreenView {
            screen,
            colour: built.colour,
            icon: (!pictures).then_some(built.icon),
            message: show_message.then(|| match screen {
                // The event's words (events.ftl) unless the venue's folder has its own.
                Screen::Verdict(VerdictKind::TooEarly) if !has_text => {
                    screens::too_early_message(view.lang, view.verdict())
                }
                _ => screens::message(name, view.verdict(), set),
            }),
            camera_lost: view
                .camera_lost
                .map(|lost| format!("Camera lost ({lost}): reconnecting…")),
            status: (screen == Screen::Ready).then(status),
            status_level: Level::Normal,
            party: view.party.map(|p| PartyView::new(p.max.get())),
            admit_anyway: screen == Screen::Verdict(VerdictKind::Full)
                && *view.overlay == Overlay::None,
            preview: None,
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

/// The ready screen's status line: the time, today's sign-ins, the server, the feed notice.
pub fn status_line(
    wall: i64,
    stats: &Stats,
    sync: Option<&SyncStatus>,
    notice: Option<&str>,
) -> String {
    let mut line = format!(
        "{}   ·   {} signed in today",
        hour_minute(wall),
        stats.signed_in_today()
    );
    if let Some(door) = &stats.door {
        line = format!("{line}   ·   {}", door_figures(wall, door, sync));
    }
    if let Some(sync) = sync {
        let state = if sync.online { "online" } else { "offline" };
        line = format!("{line}   ·   {state}, {} waiting", sync.pending);
        if let Some(at) = sync.last_upload {
            line = format!("{line}, last upload {}", hour_minute(at));
        }
    }
    if let Some(notice) = notice {
        line = format!("{line}   ·   {notice}");
    }
    line
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
pub fn door_figures(wall: i64, door: &DoorFigures, sync: Option<&SyncStatus>) -> String {
    let mut text = format!(
        "inside: {} {}, venue {}",
        clean(door.entrance.as_str()),
        against(&door.status.entrance),
        against(&door.status.venue)
    );
    let offline = sync.is_some_and(|s| !s.online);
    if offline && let Some(at) = door.presence_fetched_at {
        text = format!("{text} (venue as of {})", age(wall.saturating_sub(at)));
    }
    text
}

/// An age in words: `just now`, `5 min ago`, `2 h 5 min ago`.
pub fn age(seconds: i64) -> String {
    let minutes = seconds.max(0) / 60;
    match minutes {
        0 => "just now".into(),
        m if m < 60 => format!("{m} min ago"),
        m => format!("{} h {} min ago", m / 60, m % 60),
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
    /// The pad for `overlay` at `now`, when the pad is open.
    pub fn build(overlay: &Overlay, now: Millis) -> Option<Self> {
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
        })
    }
}

impl PinPrompt {
    /// The words shown.
    pub fn text(self) -> String {
        match self {
            PinPrompt::Enter => "Enter the admin PIN".into(),
            PinPrompt::EnterVolunteer => "Enter the volunteer PIN to admit over capacity".into(),
            PinPrompt::EnterAny => "Enter the admin or volunteer PIN".into(),
            PinPrompt::Wrong => "Wrong PIN".into(),
            PinPrompt::Locked(secs) => format!("Too many wrong PINs: wait {secs} s"),
        }
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
    /// The button's label (camera buttons are labelled with the camera's name).
    pub fn label(self) -> &'static str {
        match self {
            AdminAction::UseCamera(_) => "Use camera",
            AdminAction::ReloadScreens => "Reload screens",
            AdminAction::TestSound => "Test sound",
            AdminAction::Fullscreen(true) => "Full screen",
            AdminAction::Fullscreen(false) => "Leave full screen",
            AdminAction::Quit => "Quit",
            AdminAction::Close => "Close",
            AdminAction::TrustClock => "Trust this computer's clock",
            AdminAction::Volunteer => "Volunteer panel",
        }
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
    /// Device id and camera in use.
    pub device: Vec<Line>,
    /// Cameras to switch to (empty: no picker).
    pub cameras: Vec<String>,
    /// Today's scans per verdict.
    pub today: Vec<(&'static str, u64)>,
    /// Uploads, contact protection, warnings, the server, refused rows, double uses.
    pub state: Vec<Line>,
    /// The last scans, newest first.
    pub recent: Vec<String>,
    /// The buttons at the bottom.
    pub actions: Vec<AdminAction>,
}

impl AdminView {
    /// Adds the clock floor's warning (see [`crate::clock::FlooredClock::warning`]) and the
    /// button that trusts this computer's clock again.
    pub fn with_clock_warning(mut self, warning: Option<String>) -> Self {
        if let Some(warning) = warning {
            self.state.push(Line::warning(format!("Clock: {warning}")));
            self.actions.insert(0, AdminAction::TrustClock);
        }
        self
    }

    /// The panel for these figures, this uploader state and this window state.
    pub fn build(stats: &Stats, sync: Option<&SyncStatus>, fullscreen: bool) -> Self {
        let mut state = upload_lines(stats);
        state.extend(server_lines(sync));
        state.extend(problem_lines(stats));
        AdminView {
            device: vec![
                Line::plain(format!("Device id: {}", clean(&stats.device_id))),
                Line::plain(format!("Camera in use: {}", stats.source)),
            ],
            cameras: stats.cameras.clone(),
            today: VerdictKind::ALL
                .iter()
                .map(|k| (k.name(), stats.today.get(k.name()).copied().unwrap_or(0)))
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
    /// The panel for these figures.
    pub fn build(stats: &Stats, wall: i64, sync: Option<&SyncStatus>) -> Self {
        let full = door_level(stats) == Level::Full;
        let mut actions = vec![VolunteerAction::RollCall];
        if full {
            actions.push(VolunteerAction::AdmitOverCapacity);
        }
        actions.push(VolunteerAction::Close);
        VolunteerView {
            figures: stats.door.as_ref().map(|d| door_figures(wall, d, sync)),
            actions,
            manual: Vec::new(),
            uncounted: None,
        }
    }
}

/// The roll call as drawn: per entrance, who is inside, since when, how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollCallView {
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
    /// The view of `list` (the ledger's open stays with their names).
    pub fn build(list: &[RollCallEntry]) -> Self {
        let mut sections: Vec<(String, Vec<&RollCallEntry>)> = Vec::new();
        for entry in list {
            match sections.last_mut() {
                Some((name, rows)) if *name == entry.entrance => rows.push(entry),
                _ => sections.push((entry.entrance.clone(), vec![entry])),
            }
        }
        let people: u32 = list.iter().map(|e| u32::from(e.heads)).sum();
        RollCallView {
            sections: sections
                .into_iter()
                .map(|(entrance, rows)| {
                    let heads: u32 = rows.iter().map(|e| u32::from(e.heads)).sum();
                    RollCallSection {
                        heading: format!("{}: {heads} inside", clean(&entrance)),
                        rows: rows
                            .iter()
                            .map(|e| {
                                [
                                    e.name.as_deref().map_or_else(
                                        || "(no name)".to_owned(),
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
            total: format!("{people} inside on {} passes", list.len()),
            uncounted: None,
        }
    }
}

/// Uploads waiting, how contact details are kept, the settings' warnings.
fn upload_lines(stats: &Stats) -> Vec<Line> {
    let mut lines = vec![Line::plain(format!(
        "Waiting for upload: {}",
        stats.pending_uploads
    ))];
    if !stats.protection.is_empty() {
        lines.push(Line::plain(format!(
            "Contact details waiting: {}",
            stats.protection
        )));
    }
    for warning in &stats.warnings {
        lines.push(Line::warning(format!("Warning: {warning}")));
    }
    lines
}

/// The server: standalone, or its state, last upload, last problem and clock warning.
fn server_lines(sync: Option<&SyncStatus>) -> Vec<Line> {
    let Some(sync) = sync else {
        return vec![Line::plain(
            "Standalone: no server configured (sign-ins stay on this kiosk)",
        )];
    };
    let state = if sync.online { "online" } else { "offline" };
    let mut lines = vec![Line::plain(format!("Server: {state}"))];
    if let Some(at) = sync.last_upload {
        lines.push(Line::plain(format!("Last upload: {}", local_time(at))));
    }
    if let Some(error) = &sync.last_error {
        lines.push(Line::plain(format!("Last sync problem: {}", clean(error))));
    }
    if let Some(warning) = sync.clock_warning() {
        lines.push(Line::warning(format!("Clock: {warning}")));
    }
    lines
}

/// Rows the server refused, double uses, decoder panics.
fn problem_lines(stats: &Stats) -> Vec<Line> {
    let mut lines = Vec::new();
    if !stats.parked.is_empty() {
        let title = format!("Refused by the server ({})", stats.parked.len());
        lines.push(Line::heading(title));
        lines.extend(stats.parked.iter().take(5).map(|row| {
            let at = local_time(row.scanned_at);
            Line::plain(format!("{at}  {}", clean(&row.reason)))
        }));
    }
    if !stats.double_uses.is_empty() {
        let title = format!("Double uses ({})", stats.double_uses.len());
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
        let panics = format!("Decoder panics caught: {}", stats.decoder_panics);
        lines.push(Line::plain(panics));
    }
    lines
}

// ---- the volunteer's manual path (DESIGN §8): walk-in, undo, tally, register-on-your-phone ----

impl VolunteerView {
    /// Adds the manual path's buttons (walk-in, undo, `+1`, `-1`) with their words in `lang`,
    /// and the line of people counted today without a record.
    pub fn with_manual_path(mut self, lang: Lang, uncounted: u32) -> Self {
        self.manual = [
            (VolunteerAction::WalkIn, "walkin-button"),
            (VolunteerAction::Undo, "undo-button"),
            (VolunteerAction::TallyUp, "tally-plus"),
            (VolunteerAction::TallyDown, "tally-minus"),
        ]
        .into_iter()
        .map(|(action, id)| (action, usher_i18n::text(lang, id)))
        .collect();
        self.uncounted = Some(usher_i18n::text_with(
            lang,
            "tally-count",
            &[("count", uncounted.into())],
        ));
        self
    }
}

/// The status line with this kiosk's people counted today without a record appended, in
/// `lang` (unchanged when there are none).
pub fn status_with_uncounted(line: String, lang: Lang, uncounted: u32) -> String {
    if uncounted == 0 {
        return line;
    }
    let note = usher_i18n::text_with(lang, "tally-count", &[("count", uncounted.into())]);
    format!("{line}   ·   {note}")
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
        let v = ScreenView::build(&k.view(), &ScreenSet::default(), || "status".into());
        assert_eq!(v.screen, Screen::Ready);
        assert_eq!(v.status.as_deref(), Some("status"));
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
        let v = ScreenView::build(
            &k.view(),
            &with_background("qr_accepted", None),
            String::new,
        );
        assert_eq!((v.icon, v.message), (None, None));
        let set = with_background("qr_accepted", Some("Hello"));
        let v = ScreenView::build(&k.view(), &set, String::new);
        assert_eq!((v.icon, v.message.as_deref()), (None, Some("Hello")));
        let k = kiosk_showing(Some(VerdictKind::Used));
        let v = ScreenView::build(&k.view(), &with_background("qr_used", None), String::new);
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
        let v =
            ScreenView::build(&k.view(), &ScreenSet::default(), String::new).with_preview(Some(p));
        assert_eq!(v.icon, None, "the preview stands where the icon was");
        assert_eq!(v.message.as_deref(), Some("Show your pass to the camera"));
        // No frame yet: today's ready screen, icon and all.
        assert_eq!(PreviewView::build(&k.view(), placement, None), None);
        let v = ScreenView::build(&k.view(), &ScreenSet::default(), String::new).with_preview(None);
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
        let v =
            ScreenView::build(&k.view(), &ScreenSet::default(), String::new).with_preview(Some(p));
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
        let v = ScreenView::build(&k.view(), &set, String::new).with_preview(p);
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
            ScreenView::build(&k.view(), set, String::new)
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
            PinPad::build(&overlay, 1_000).expect("pad")
        };
        assert_eq!(pad(0, false, None).prompt.text(), "Enter the admin PIN");
        assert_eq!(pad(2, true, None).dots, "●●○○");
        assert_eq!(pad(0, true, None).prompt, PinPrompt::Wrong);
        assert_eq!(
            pad(0, true, Some(30_001)).prompt.text(),
            "Too many wrong PINs: wait 30 s"
        );
        assert_eq!(PinPad::build(&Overlay::Admin, 0), None);
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
        let v = AdminView::build(&stats, None, true);
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
        assert_eq!(AdminAction::Fullscreen(false).label(), "Leave full screen");
        assert_eq!(v.today.len(), VerdictKind::ALL.len());
    }

    #[test]
    fn the_status_line_names_the_server_state_and_the_notice() {
        let sync = SyncStatus {
            online: false,
            pending: 3,
            ..SyncStatus::default()
        };
        let line = status_line(0, &Stats::default(), Some(&sync), Some("demo feed"));
        assert!(
            line.ends_with("0 signed in today   ·   offline, 3 waiting   ·   demo feed"),
            "{line}"
        );
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
        let line = status_line(0, &door(12, None, None), None, None);
        assert!(line.contains("inside: main 12, venue 17"), "{line}");
        let line = status_line(0, &door(12, Some(50), None), None, None);
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
        let v = ScreenView::build(&k.view(), &ScreenSet::default(), String::new)
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
        let line = status_line(1_000 + 7 * 60 + 30, &stats, Some(&offline), None);
        assert!(line.contains("venue 8 (venue as of 7 min ago)"), "{line}");
        let line = status_line(1_000 + 7 * 60, &stats, Some(&online), None);
        assert!(!line.contains("as of"), "{line}");
        // Never fetched: only the local figures.
        let line = status_line(5_000, &door(3, None, None), Some(&offline), None);
        assert!(
            line.contains("venue 8") && !line.contains("as of"),
            "{line}"
        );
        assert_eq!(age(30), "just now");
        assert_eq!(age(125 * 60), "2 h 5 min ago");
    }

    #[test]
    fn the_party_prompt_offers_one_button_per_head_and_qr_full_offers_admit_anyway() {
        let p = PartyView::new(3);
        assert_eq!(p.buttons, [1, 2, 3]);
        assert_eq!(p.question, "How many of you are here?");
        assert_eq!(p.default_note, "No answer: 3");
        const { assert!(TOUCH_TARGET >= 44.0) };
        let k = kiosk_showing(Some(VerdictKind::Full));
        let v = ScreenView::build(&k.view(), &ScreenSet::default(), String::new);
        assert!(v.admit_anyway);
        assert_eq!(v.party, None);
        let k = kiosk_showing(Some(VerdictKind::Accepted));
        let v = ScreenView::build(&k.view(), &ScreenSet::default(), String::new);
        assert!(!v.admit_anyway);
    }

    #[test]
    fn the_volunteer_panel_offers_the_override_only_at_capacity() {
        let v = VolunteerView::build(&door(10, Some(50), None), 0, None);
        assert_eq!(
            v.actions,
            [VolunteerAction::RollCall, VolunteerAction::Close]
        );
        assert!(v.figures.is_some_and(|f| f.contains("main 10/50")));
        let v = VolunteerView::build(&door(50, Some(50), None), 0, None);
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
        let v = RollCallView::build(&[
            e("brothers", 1, Some("Omar\u{202e}x")),
            e("sisters", 3, Some("Aisha")),
            e("sisters", 2, None),
        ]);
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
        let panel = VolunteerView::build(&Stats::default(), 0, None).with_manual_path(Lang::Ar, 3);
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
        let roll = RollCallView::build(&[]).with_uncounted(Lang::En, 0);
        assert_eq!(roll.uncounted, None, "nothing to say without a tally");
        let roll = RollCallView::build(&[]).with_uncounted(Lang::En, 2);
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
        assert_eq!(status_with_uncounted("08:00".into(), Lang::En, 0), "08:00");
        let line = status_with_uncounted("08:00".into(), Lang::En, 2);
        assert!(
            line.starts_with("08:00   ·   Uncounted by name: "),
            "{line}"
        );
        assert!(line.contains('2'));
    }
}
