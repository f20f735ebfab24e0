//! What the kiosk window shows, decided outside egui: the screen with its message and notices,
//! the status line, the PIN pad and the admin panel, as plain values that `ui` only draws.

use crate::clock::local_time;
use crate::kiosk::{Millis, Overlay, View};
use crate::pipeline::Stats;
use crate::screens::{self, ScreenSet};
use crate::sync::SyncStatus;
use usher_core::VerdictKind;
use usher_core::display::clean;

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
#[derive(Debug, Clone, PartialEq, Eq)]
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
            message: show_message.then(|| screens::message(name, view.verdict(), set)),
            camera_lost: view
                .camera_lost
                .map(|lost| format!("Camera lost ({lost}): reconnecting…")),
            status: (screen == Screen::Ready).then(status),
        }
    }
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

/// What the PIN pad says above its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinPrompt {
    /// Waiting for the PIN.
    Enter,
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
                AdminAction::ReloadScreens,
                AdminAction::TestSound,
                AdminAction::Fullscreen(!fullscreen),
                AdminAction::Quit,
                AdminAction::Close,
            ],
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
}
