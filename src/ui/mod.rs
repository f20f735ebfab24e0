//! The kiosk window (eframe 0.37): it only draws the state machine's view and forwards input.
//!
//! [`KioskUi`] holds the [`Kiosk`] state machine, the latest [`ScreenSet`] and [`Stats`] sent by
//! the pipeline, and the channel to it. Each frame it drains the pipeline's events (never
//! blocking), turns keys and clicks into state-machine inputs or pipeline commands, builds the
//! frame's values in [`crate::view`] ([`ScreenView`], [`PinPad`], [`AdminView`]) and draws them
//! with the `*_ui` functions, which decide nothing. [`KioskApp`] wraps it as an `eframe::App`
//! and carries out window commands (full screen, quit).
//!
//! Right to left (Arabic, Urdu): the frame's direction is taken once from the screen's view
//! ([`ScreenView::direction`]) and handed to every `*_ui` function, which mirrors its layout
//! with [`row`] and [`column`]: text aligned right, the buttons of a row and the status line's
//! parts in reverse order, table columns from the right, the language and admin corners
//! swapped. Centred things (the message, the icon) stay centred. Every line goes through
//! [`text::visual`] (right-to-left words in visual order), as names always have. The PIN pad's
//! digits keep a phone's order in every language, as phones' own keypads do.

pub mod preview;
pub mod text;
mod volunteer;
pub mod window;

use crate::kiosk::{Input, Kiosk, Main, Millis, Overlay, VolunteerAction};
use crate::pipeline::{Command, Stats, ToUi};
use crate::screens::{self, ScreenSet};
use crate::settings::CameraChoice;
use crate::sync::SyncStatus;
use crate::view::{
    AdminAction, AdminView, Line, PartyView, PinPad, PinPrompt, PreviewView, RegisterView,
    RollCallView, STATUS_SEPARATOR, Screen, ScreenView, TOUCH_TARGET, Tone, UndoView,
    VolunteerView, WalkInView, door_level, status_colour,
};
use crate::walkin::FormInput;
use crate::wedge::Wedge;
use egui::{Align2, Color32, FontId, Pos2, Rect, RichText, Vec2};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};
use usher_i18n::Direction;

/// Window actions the UI asks its host for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Close the kiosk (from the admin panel).
    Quit,
    /// Enter or leave full screen (from the admin panel).
    Fullscreen(bool),
}

/// The kiosk's drawing and input handling, independent of eframe.
pub struct KioskUi {
    /// The state machine.
    pub kiosk: Kiosk,
    /// The screens folder as last loaded.
    pub screens: Arc<ScreenSet>,
    /// Figures from the pipeline.
    pub stats: Stats,
    events: Receiver<ToUi>,
    commands: Sender<Command>,
    time: Box<dyn Fn() -> Millis>,
    wall: Box<dyn Fn() -> i64>,
    wedge: Wedge,
    textures: HashMap<(u64, String), egui::TextureHandle>,
    texture_generation: u64,
    shown_since: (Screen, Millis),
    fullscreen: bool,
    actions: Vec<Action>,
    fonts_installed: bool,
    sync: Option<Arc<std::sync::Mutex<SyncStatus>>>,
    clock_floor: Option<Arc<crate::clock::FlooredClock>>,
    /// `<undoMinutes>`: how far back the undo list reaches (for its title).
    undo_minutes: u32,
    /// The ready screen's "register on your phone" code (`<registerUrl>`), and its texture.
    register: Option<RegisterView>,
    register_texture: Option<egui::TextureHandle>,
    preview: Option<(preview::PreviewTexture, screens::Placement)>,
}

impl std::fmt::Debug for KioskUi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KioskUi")
            .field("kiosk", &self.kiosk)
            .finish_non_exhaustive()
    }
}

impl KioskUi {
    /// A UI for `kiosk`, fed by `events`, sending `commands`; `time` is monotonic milliseconds
    /// and `wall` Unix seconds (both from the clock seam, so tests control them).
    pub fn new(
        kiosk: Kiosk,
        events: Receiver<ToUi>,
        commands: Sender<Command>,
        time: Box<dyn Fn() -> Millis>,
        wall: Box<dyn Fn() -> i64>,
        fullscreen: bool,
    ) -> Self {
        KioskUi {
            kiosk,
            screens: Arc::new(ScreenSet::default()),
            stats: Stats::default(),
            events,
            commands,
            time,
            wall,
            wedge: Wedge::new(),
            textures: HashMap::new(),
            texture_generation: 0,
            shown_since: (Screen::Ready, Millis::MAX),
            fullscreen,
            actions: Vec::new(),
            fonts_installed: false,
            sync: None,
            clock_floor: None,
            undo_minutes: 10,
            register: None,
            register_texture: None,
            preview: None,
        }
    }

    /// The manual path's settings: `<undoMinutes>`, and `<registerUrl>` shown as a QR code on
    /// the ready screen (in the kiosk's language).
    pub fn with_manual_path(mut self, undo_minutes: u32, register_url: Option<&str>) -> Self {
        self.undo_minutes = undo_minutes;
        self.register = RegisterView::build(register_url, self.kiosk.view().lang);
        self.register_texture = None;
        self
    }

    /// Camera preview frames uploaded as a texture so far (0 without a preview).
    pub fn preview_uploads(&self) -> u64 {
        self.preview.as_ref().map_or(0, |(p, _)| p.uploads())
    }

    /// Shows the camera preview left in `slot` on the ready screen, placed by `placement`.
    pub fn with_preview(
        mut self,
        slot: crate::preview::Slot,
        placement: screens::Placement,
    ) -> Self {
        self.preview = Some((preview::PreviewTexture::new(slot), placement));
        self
    }

    /// Offers "trust this computer's clock" when this clock's floor holds the time ahead.
    pub fn with_clock_floor(mut self, floor: Arc<crate::clock::FlooredClock>) -> Self {
        self.clock_floor = Some(floor);
        self
    }

    /// Shows the uploader's state (online, waiting, last upload) from this shared status.
    pub fn with_sync(mut self, status: Option<Arc<std::sync::Mutex<SyncStatus>>>) -> Self {
        self.sync = status;
        self
    }

    fn sync_status(&self) -> Option<SyncStatus> {
        let status = self.sync.as_ref()?;
        Some(
            status
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone(),
        )
    }

    /// Actions asked for since the last call.
    pub fn take_actions(&mut self) -> Vec<Action> {
        std::mem::take(&mut self.actions)
    }

    fn send(&self, c: Command) {
        if self.commands.send(c).is_err() {
            tracing::warn!("ui: the pipeline has stopped");
        }
    }

    /// Drains the pipeline's events into the state machine.
    pub fn drain(&mut self) {
        let now = (self.time)();
        while let Ok(ev) = self.events.try_recv() {
            match ev {
                ToUi::Verdict(v) => self.kiosk.handle(Input::Verdict(Box::new(v)), now),
                ToUi::Camera(c) => self.kiosk.handle(Input::Camera(c), now),
                ToUi::Screens(s) => self.screens = s,
                ToUi::Stats(s) => self.stats = s,
                ToUi::RollCall(list) => self.kiosk.handle(Input::RollCall(list), now),
                ToUi::RecentSignIns(list) => {
                    self.kiosk.handle(Input::RecentSignIns(list), now);
                }
            }
        }
        self.kiosk.handle(Input::Tick, now);
        self.forward_effects();
    }

    /// Sends what the state machine asked of the ledger to the pipeline.
    fn forward_effects(&mut self) {
        for effect in self.kiosk.take_effects() {
            self.send(effect.into());
        }
    }

    /// Keys and typed text, routed by what is open: the PIN pad, the admin panel, or the
    /// scanning screen (a keyboard-wedge scanner types there).
    fn handle_keys(&mut self, ui: &egui::Ui) {
        let now = (self.time)();
        let events = ui.input(|i| i.events.clone());
        for ev in events {
            let pressed = match &ev {
                egui::Event::Key {
                    key, pressed: true, ..
                } => Some(*key),
                _ => None,
            };
            match (&self.kiosk.view().overlay, ev) {
                (Overlay::Pin { .. }, egui::Event::Text(t)) => {
                    for c in t.chars() {
                        self.kiosk.handle(Input::PinDigit(c), now);
                    }
                }
                (Overlay::Pin { .. }, _) => match pressed {
                    Some(egui::Key::Enter) => self.kiosk.handle(Input::PinSubmit, now),
                    Some(egui::Key::Backspace) => self.kiosk.handle(Input::PinBackspace, now),
                    Some(egui::Key::Escape) => self.kiosk.handle(Input::Close, now),
                    _ => {}
                },
                (Overlay::Admin, _) if pressed == Some(egui::Key::Escape) => {
                    self.kiosk.handle(Input::Close, now);
                }
                (Overlay::Admin, _) => {}
                (Overlay::WalkIn(_), egui::Event::Text(t) | egui::Event::Paste(t)) => {
                    self.kiosk.handle(Input::WalkIn(FormInput::Text(t)), now);
                }
                (Overlay::WalkIn(_), _) => {
                    let input = match pressed {
                        Some(egui::Key::Enter) => Some(FormInput::Submit),
                        Some(egui::Key::Backspace) => Some(FormInput::Backspace),
                        Some(egui::Key::Tab) => Some(FormInput::NextField),
                        Some(egui::Key::Escape) => Some(FormInput::Cancel),
                        _ => None,
                    };
                    if let Some(input) = input {
                        self.kiosk.handle(Input::WalkIn(input), now);
                    }
                }
                (Overlay::Volunteer | Overlay::RollCall(_) | Overlay::Undo(_), _) => {
                    if pressed == Some(egui::Key::Escape) {
                        self.kiosk
                            .handle(Input::Volunteer(VolunteerAction::Close), now);
                    }
                }
                (Overlay::None, egui::Event::Text(t) | egui::Event::Paste(t)) => {
                    self.wedge.text(&t, now);
                }
                (Overlay::None, _) => self.scanning_key(pressed, now),
            }
        }
    }

    fn scanning_key(&mut self, pressed: Option<egui::Key>, now: Millis) {
        match pressed {
            Some(egui::Key::Enter) => {
                if let Some(text) = self.wedge.enter(now) {
                    self.send(Command::Wedge(text));
                }
            }
            Some(egui::Key::Escape) => self.kiosk.handle(Input::AdminRequested, now),
            _ => {}
        }
    }

    /// One frame: events, input, drawing. Returns when the view next changes on its own.
    pub fn show(&mut self, ui: &mut egui::Ui) -> Option<std::time::Duration> {
        if !self.fonts_installed {
            // Fonts take effect from the next pass: draw no text before then.
            text::install_fonts(ui.ctx());
            self.fonts_installed = true;
            return Some(std::time::Duration::ZERO);
        }
        self.drain();
        self.handle_keys(ui);
        let now = (self.time)();
        self.kiosk.handle(Input::Tick, now);
        if self.screens.generation != self.texture_generation {
            self.textures.clear();
            self.texture_generation = self.screens.generation;
        }
        let rect = ui.max_rect();
        let preview_wait = self.preview.as_mut().and_then(|(p, _)| {
            let shown = crate::view::preview_shown(&self.kiosk.view(), p.frame());
            p.update(ui.ctx(), now, shown)
        });
        let preview = self.preview.as_ref().and_then(|(p, placement)| {
            PreviewView::build(&self.kiosk.view(), *placement, p.frame())
        });
        let view = ScreenView::build(&self.kiosk.view(), &self.screens, || self.status_line())
            .with_status_level(door_level(&self.stats))
            .with_preview(preview);
        let dir = view.direction;
        let age = now.saturating_sub(self.shown_since(view.screen, now));
        let mut next = self.screen_ui(ui, rect, &view, age);
        if RegisterView::shows(&self.kiosk.view()) {
            self.register_ui(ui, rect);
        }
        let mut taps = Vec::new();
        if let Some(party) = &view.party {
            taps.extend(party_ui(ui, rect, party, dir));
        }
        if view.admit_anyway && admit_anyway_ui(ui, rect, &view.words.admit_anyway) {
            taps.push(Input::AdmitAnyway);
        }
        if let Some(label) = &view.language
            && language_button_ui(ui, rect, label, &view.words.language, dir)
        {
            taps.push(Input::SwitchLanguage);
        }
        for input in taps {
            self.kiosk.handle(input, now);
        }
        self.corner_button_ui(ui, rect, now, &view.words.admin, dir);
        self.overlay_ui(ui.ctx(), now, dir);
        self.forward_effects();
        let deadline = self.kiosk.next_deadline().map(|d| d.saturating_sub(now));
        for wait in [deadline, preview_wait] {
            next = match (next, wait) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        // The status clock changes once a minute at most; 1 s keeps it honest.
        Some(std::time::Duration::from_millis(
            next.unwrap_or(1_000).clamp(5, 1_000),
        ))
    }

    /// The PIN pad or the admin panel, as the overlay was at the start of the frame.
    fn overlay_ui(&mut self, ctx: &egui::Context, now: Millis, dir: Direction) {
        let overlay = self.kiosk.view().overlay.clone();
        let lang = self.kiosk.view().lang;
        if let Some(pad) = PinPad::build(&overlay, now, lang) {
            let view = self.kiosk.view();
            let pad = pad.for_purpose(view.pin_for, view.volunteer_pin);
            for input in pin_ui(ctx, &pad, dir) {
                self.kiosk.handle(input, now);
            }
        } else if let Overlay::WalkIn(form) = &overlay {
            let view = WalkInView::build(form, self.kiosk.view().lang);
            for input in volunteer::walk_in_ui(ctx, &view) {
                self.kiosk.handle(Input::WalkIn(input), now);
            }
        } else if let Overlay::Undo(list) = &overlay {
            let view = UndoView::build(list, self.undo_minutes, self.kiosk.view().lang);
            for input in volunteer::undo_ui(ctx, &view) {
                self.kiosk.handle(input, now);
            }
        } else if overlay == Overlay::Volunteer {
            let sync = self.sync_status();
            let panel = VolunteerView::build(&self.stats, (self.wall)(), sync.as_ref(), lang)
                .with_manual_path(lang, self.stats.uncounted);
            for action in volunteer_ui(ctx, &panel, dir) {
                self.kiosk.handle(Input::Volunteer(action), now);
            }
        } else if let Overlay::RollCall(list) = &overlay {
            let view = RollCallView::build(list, lang).with_uncounted(lang, self.stats.uncounted);
            for action in roll_call_ui(ctx, &view, dir) {
                self.kiosk.handle(Input::Volunteer(action), now);
            }
        } else if overlay == Overlay::Admin {
            let sync = self.sync_status();
            let floor_lead = self.clock_floor.as_ref().map(|f| f.lead());
            let admin = AdminView::build(&self.stats, sync.as_ref(), self.fullscreen, lang)
                .with_clock_warning(floor_lead);
            for action in admin_ui(ctx, &admin, dir) {
                self.apply(action, now);
            }
        }
    }

    /// When the screen shown now appeared: a verdict when it was judged, `ready` when it
    /// was first drawn.
    fn shown_since(&mut self, screen: Screen, now: Millis) -> Millis {
        let since = match &self.kiosk.view().main {
            Main::Verdict { until, .. } => until.saturating_sub(self.kiosk.result_ms()),
            Main::Ready if self.shown_since.0 == screen && self.shown_since.1 <= now => {
                self.shown_since.1
            }
            Main::Ready => now,
        };
        self.shown_since = (screen, since);
        since
    }

    /// The "register on your phone" code, its texture made once.
    fn register_ui(&mut self, ui: &mut egui::Ui, rect: Rect) {
        let Some(view) = &self.register else {
            return;
        };
        let texture = self.register_texture.get_or_insert_with(|| {
            ui.ctx().load_texture(
                "register-url",
                volunteer::register_image(view),
                egui::TextureOptions::NEAREST,
            )
        });
        volunteer::register_ui(ui, rect, view, texture);
    }

    fn status_line(&self) -> Vec<String> {
        let sync = self.sync_status();
        let view = self.kiosk.view();
        let parts = crate::view::status_line(
            view.lang,
            (self.wall)(),
            &self.stats,
            sync.as_ref(),
            view.notice,
        );
        crate::view::status_with_uncounted(parts, view.lang, self.stats.uncounted)
    }

    /// Carries out an admin panel button.
    fn apply(&mut self, action: AdminAction, now: Millis) {
        match action {
            AdminAction::UseCamera(i) => self.send(Command::UseCamera(CameraChoice::Index(i))),
            AdminAction::ReloadScreens => self.send(Command::ReloadScreens),
            AdminAction::TestSound => self.send(Command::TestSound),
            AdminAction::Fullscreen(on) => {
                self.fullscreen = on;
                self.actions.push(Action::Fullscreen(on));
            }
            AdminAction::Quit => self.kiosk.handle(Input::Quit, now),
            AdminAction::Close => self.kiosk.handle(Input::Close, now),
            AdminAction::Volunteer => self.kiosk.handle(Input::OpenVolunteer, now),
            AdminAction::TrustClock => {
                if let Some(floor) = &self.clock_floor {
                    floor.trust_local_clock();
                }
            }
        }
        if self.kiosk.quit_requested() && !self.actions.contains(&Action::Quit) {
            self.actions.push(Action::Quit);
        }
    }

    fn texture(
        &mut self,
        ctx: &egui::Context,
        key: String,
        pic: &screens::Picture,
    ) -> egui::TextureId {
        let generation = self.texture_generation;
        self.textures
            .entry((generation, key.clone()))
            .or_insert_with(|| {
                let image = egui::ColorImage::from_rgba_unmultiplied(
                    [pic.width as usize, pic.height as usize],
                    &pic.rgba,
                );
                ctx.load_texture(key, image, egui::TextureOptions::LINEAR)
            })
            .id()
    }

    /// Draws the screen: background, pictures, icon, message, notices. Returns ms until an
    /// animation frame changes.
    fn screen_ui(
        &mut self,
        ui: &mut egui::Ui,
        rect: Rect,
        view: &ScreenView,
        age: Millis,
    ) -> Option<Millis> {
        let [r, g, b] = view.colour;
        ui.painter()
            .rect_filled(rect, 0.0, Color32::from_rgb(r, g, b));
        let next = self.pictures_ui(ui, rect, view.screen.name(), age);
        if let (Some(shown), Some((texture, _))) = (&view.preview, &self.preview) {
            texture.draw(ui, rect, shown);
        }
        if let Some(icon) = view.icon {
            icon_ui(ui, rect, icon);
        }
        if let Some(message) = &view.message {
            message_ui(ui, rect, message);
        }
        if let Some(lost) = &view.camera_lost {
            camera_lost_ui(ui, rect, lost);
        }
        if let Some(status) = &view.status {
            let colour = status_colour(view.status_level);
            status_ui(ui, rect, status, colour, view.direction);
        }
        next
    }

    /// The folder's background and animations for screen `name`; ms until a frame changes.
    fn pictures_ui(
        &mut self,
        ui: &mut egui::Ui,
        rect: Rect,
        name: &str,
        age: Millis,
    ) -> Option<Millis> {
        let screen = self.screens.get(name).cloned()?;
        let (ctx, painter) = (ui.ctx().clone(), ui.painter().clone());
        if let Some(bg) = &screen.background {
            let id = self.texture(&ctx, format!("{name}/background"), bg);
            painter.image(id, cover(rect, bg), full_uv(), Color32::WHITE);
        }
        let mut next: Option<Millis> = None;
        for (i, anim) in screen.animations.iter().enumerate() {
            let frame = anim.frame_at(age);
            let Some((pic, _)) = anim.frames.get(frame) else {
                continue;
            };
            let placed = anim.placement.rect(
                (rect.width(), rect.height()),
                (pic.width as f32, pic.height as f32),
            );
            let target = Rect::from_center_size(
                rect.min + Vec2::new(placed.cx, placed.cy),
                Vec2::new(placed.w, placed.h),
            );
            let id = self.texture(&ctx, format!("{name}/anim{i}/{frame}"), pic);
            painter.image(id, target, full_uv(), Color32::WHITE);
            if let Some(ms) = anim.next_change(age) {
                next = Some(next.map_or(ms, |n| n.min(ms)));
            }
        }
        next
    }

    /// The admin corner (top right; top left right to left), which opens the PIN pad.
    fn corner_button_ui(
        &mut self,
        ui: &mut egui::Ui,
        rect: Rect,
        now: Millis,
        hint: &str,
        dir: Direction,
    ) {
        if self.kiosk.view().overlay != &Overlay::None {
            return;
        }
        let size = (rect.height() * 0.06).max(28.0);
        let x = match dir {
            Direction::Ltr => rect.max.x - size,
            Direction::Rtl => rect.min.x,
        };
        let r = Rect::from_min_size(Pos2::new(x, rect.min.y), Vec2::splat(size));
        let button = egui::Button::new(
            RichText::new("⚙")
                .size(size * 0.5)
                .color(Color32::from_white_alpha(90)),
        )
        .frame(false);
        if ui
            .put(r, button)
            .on_hover_text(text::visual(hint))
            .clicked()
        {
            self.kiosk.handle(Input::AdminRequested, now);
        }
    }
}

/// The built-in icon, large, above the middle.
fn icon_ui(ui: &egui::Ui, rect: Rect, icon: &str) {
    let h = rect.height();
    ui.painter().text(
        rect.center() - Vec2::new(0.0, h * 0.2),
        Align2::CENTER_BOTTOM,
        icon,
        FontId::proportional(h * 0.16),
        Color32::WHITE,
    );
}

/// The message, centred below the middle, its first line larger.
fn message_ui(ui: &mut egui::Ui, rect: Rect, message: &str) {
    let h = rect.height();
    let area = Rect::from_center_size(
        rect.center() + Vec2::new(0.0, h * 0.1),
        Vec2::new(rect.width() * 0.9, h * 0.5),
    );
    let mut child = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(area)
            .layout(egui::Layout::top_down(egui::Align::Center)),
    );
    for (i, line) in message.lines().enumerate() {
        let size = if i == 0 { h * 0.075 } else { h * 0.045 };
        child.label(
            RichText::new(text::visual(line))
                .size(size)
                .color(Color32::WHITE)
                .strong(),
        );
    }
}

/// The red camera-lost band near the top.
fn camera_lost_ui(ui: &mut egui::Ui, rect: Rect, notice: &str) {
    let h = rect.height();
    let band = Rect::from_min_size(
        Pos2::new(rect.min.x, rect.min.y + h * 0.05),
        Vec2::new(rect.width(), h * 0.1),
    );
    ui.painter()
        .rect_filled(band, 0.0, Color32::from_rgb(160, 20, 20));
    let mut child = ui.new_child(egui::UiBuilder::new().max_rect(band).layout(
        egui::Layout::centered_and_justified(egui::Direction::TopDown),
    ));
    child.label(
        RichText::new(text::visual(notice))
            .size(h * 0.04)
            .color(Color32::WHITE),
    );
}

/// The status band along the bottom of the ready screen, in the door's colour: its parts from
/// the left, or right to left from the right.
fn status_ui(
    ui: &mut egui::Ui,
    rect: Rect,
    parts: &[String],
    [r, g, b, a]: [u8; 4],
    dir: Direction,
) {
    let h = rect.height();
    let band = Rect::from_min_max(Pos2::new(rect.min.x, rect.max.y - h * 0.08), rect.max);
    ui.painter()
        .rect_filled(band, 0.0, Color32::from_rgba_unmultiplied(r, g, b, a));
    let mut child = ui.new_child(egui::UiBuilder::new().max_rect(band).layout(
        egui::Layout::centered_and_justified(egui::Direction::LeftToRight),
    ));
    let shown: Vec<String> = in_reading_order(parts, dir)
        .map(|p| text::visual(p))
        .collect();
    let line = shown.join(STATUS_SEPARATOR);
    child.label(RichText::new(line).size(h * 0.03).color(Color32::WHITE));
}

/// `items` as they stand from left to right on the screen.
fn in_reading_order<T>(items: &[T], dir: Direction) -> Box<dyn Iterator<Item = &T> + '_> {
    match dir {
        Direction::Ltr => Box::new(items.iter()),
        Direction::Rtl => Box::new(items.iter().rev()),
    }
}

/// A row of widgets in reading order: from the left, or from the right.
fn row(dir: Direction) -> egui::Layout {
    match dir {
        Direction::Ltr => egui::Layout::left_to_right(egui::Align::Center),
        Direction::Rtl => egui::Layout::right_to_left(egui::Align::Center),
    }
}

/// A row of widgets in reading order as `ui.horizontal` (or `horizontal_wrapped`) lays one
/// out: as tall as its tallest widget, from the left, or from the right.
fn row_ui<R>(
    ui: &mut egui::Ui,
    dir: Direction,
    wrap: bool,
    add: impl FnOnce(&mut egui::Ui) -> R,
) -> R {
    let size = Vec2::new(
        ui.available_size_before_wrap().x,
        ui.spacing().interact_size.y,
    );
    ui.allocate_ui_with_layout(size, row(dir).with_main_wrap(wrap), add)
        .inner
}

/// Lines one under the other, aligned where reading starts: left, or right.
fn column(dir: Direction) -> egui::Layout {
    egui::Layout::top_down(match dir {
        Direction::Ltr => egui::Align::Min,
        Direction::Rtl => egui::Align::Max,
    })
}

/// Text ready for egui: right-to-left words in visual order.
fn words(s: &str) -> RichText {
    RichText::new(text::visual(s))
}

/// The language button in the ready screen's top corner where reading starts (left; right in
/// a right-to-left language), as large as a touch target; whether it was tapped.
fn language_button_ui(
    ui: &mut egui::Ui,
    rect: Rect,
    label: &str,
    hint: &str,
    dir: Direction,
) -> bool {
    let h = rect.height();
    let size = Vec2::new(
        (h * 0.3).max(TOUCH_TARGET * 3.0),
        (h * 0.08).max(TOUCH_TARGET),
    );
    let margin = h * 0.02;
    let x = match dir {
        Direction::Ltr => rect.min.x + margin,
        Direction::Rtl => rect.max.x - margin - size.x,
    };
    let r = Rect::from_min_size(Pos2::new(x, rect.min.y + margin), size);
    let button = egui::Button::new(words(label).size(size.y * 0.4).color(Color32::WHITE))
        .fill(Color32::from_black_alpha(70));
    ui.put(r, button)
        .on_hover_text(text::visual(hint))
        .clicked()
}

/// The party prompt along the lower part of the accepted screen: the question and one large
/// button per head count; returns the taps.
fn party_ui(ui: &mut egui::Ui, rect: Rect, party: &PartyView, dir: Direction) -> Vec<Input> {
    let h = rect.height();
    let side = (h * 0.13).max(TOUCH_TARGET);
    let area = Rect::from_min_max(Pos2::new(rect.min.x, rect.max.y - h * 0.34), rect.max);
    ui.painter()
        .rect_filled(area, 0.0, Color32::from_black_alpha(120));
    let mut child = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(area.shrink(h * 0.01))
            .layout(egui::Layout::top_down(egui::Align::Center)),
    );
    child.label(
        words(&party.question)
            .size(h * 0.05)
            .color(Color32::WHITE)
            .strong(),
    );
    let mut taps = Vec::new();
    // Two rows when the buttons do not fit in one (p up to 20).
    let per_row = ((rect.width() * 0.95) / (side + 12.0)).floor().max(1.0) as usize;
    for keys in party.buttons.chunks(per_row) {
        let width = keys.len() as f32 * (side + 12.0);
        child.allocate_ui_with_layout(Vec2::new(width, side), row(dir), |ui| {
            ui.spacing_mut().item_spacing.x = 12.0;
            for &n in keys {
                let button = egui::Button::new(RichText::new(n.to_string()).size(side * 0.5))
                    .min_size(Vec2::splat(side));
                if ui.add(button).clicked() {
                    taps.push(Input::PartyTap(n));
                }
            }
        });
    }
    child.label(
        words(&party.default_note)
            .size(h * 0.03)
            .color(Color32::WHITE),
    );
    taps
}

/// "Admit anyway" on the `qr_full` screen, large, near the bottom; whether it was tapped.
fn admit_anyway_ui(ui: &mut egui::Ui, rect: Rect, label: &str) -> bool {
    let h = rect.height();
    let height = (h * 0.1).max(TOUCH_TARGET);
    let font = FontId::proportional(height * 0.4);
    // Wide enough for the words in any language.
    let galley = ui
        .painter()
        .layout_no_wrap(text::visual(label), font, Color32::WHITE);
    let width = (h * 0.45)
        .max(TOUCH_TARGET * 4.0)
        .max(galley.size().x + height);
    let size = Vec2::new(width, height);
    let r = Rect::from_center_size(Pos2::new(rect.center().x, rect.max.y - h * 0.14), size);
    let button = egui::Button::new(words(label).size(height * 0.4));
    ui.put(r, button).clicked()
}

/// The volunteer's panel; returns the buttons tapped.
fn volunteer_ui(ctx: &egui::Context, view: &VolunteerView, dir: Direction) -> Vec<VolunteerAction> {
    let mut clicked = Vec::new();
    centred_window(&view.title).show(ctx, |ui| {
        ui.with_layout(column(dir), |ui| {
            if let Some(figures) = &view.figures {
                ui.label(words(figures).size(20.0));
            }
            if let Some(uncounted) = &view.uncounted {
                ui.label(words(uncounted).size(18.0));
            }
            ui.separator();
            row_ui(ui, dir, true, |ui| {
                for (action, label) in &view.manual {
                    let button = egui::Button::new(words(label).size(22.0))
                        .min_size(Vec2::new(TOUCH_TARGET * 2.5, TOUCH_TARGET));
                    if ui.add(button).clicked() {
                        clicked.push(*action);
                    }
                }
            });
            for (action, label) in view.buttons() {
                let button = egui::Button::new(words(&label).size(22.0))
                    .min_size(Vec2::new(TOUCH_TARGET * 5.0, TOUCH_TARGET));
                if ui.add(button).clicked() {
                    clicked.push(action);
                }
            }
        });
    });
    clicked
}

/// The roll call: per entrance, name, since and head count (columns from the right, right to
/// left); returns the buttons tapped.
fn roll_call_ui(ctx: &egui::Context, view: &RollCallView, dir: Direction) -> Vec<VolunteerAction> {
    let mut clicked = Vec::new();
    centred_window(&view.title).show(ctx, |ui| {
        ui.with_layout(column(dir), |ui| {
            ui.label(words(&view.total).strong());
            if let Some(uncounted) = &view.uncounted {
                ui.label(words(uncounted).strong());
            }
            egui::ScrollArea::vertical()
                .max_height(480.0)
                .show(ui, |ui| {
                    for (i, section) in view.sections.iter().enumerate() {
                        ui.separator();
                        ui.label(words(&section.heading).strong().size(18.0));
                        table_ui(ui, ("roll-call", i), &section.rows, dir);
                    }
                });
            ui.separator();
            row_ui(ui, dir, false, |ui| {
                for (action, label) in view.buttons() {
                    let button = egui::Button::new(words(&label))
                        .min_size(Vec2::new(TOUCH_TARGET * 2.0, TOUCH_TARGET));
                    if ui.add(button).clicked() {
                        clicked.push(action);
                    }
                }
            });
        });
    });
    clicked
}

/// A window in the middle of the screen.
fn centred_window(title: &str) -> egui::Window<'_> {
    egui::Window::new(text::visual(title))
        .collapsible(false)
        .resizable(false)
        .anchor(Align2::CENTER_CENTER, Vec2::ZERO)
}

/// The PIN pad; returns the keys pressed. The digits keep a phone keypad's order in every
/// language; the words follow the reading direction.
fn pin_ui(ctx: &egui::Context, pad: &PinPad, dir: Direction) -> Vec<Input> {
    let mut inputs = Vec::new();
    let words_of = pad.words();
    centred_window(&words_of.title).show(ctx, |ui| {
        ui.spacing_mut().button_padding = Vec2::new(18.0, 12.0);
        ui.with_layout(column(dir), |ui| {
            ui.label(RichText::new(&pad.dots).size(28.0));
            let prompt = words(&words_of.prompt);
            ui.label(match pad.prompt {
                PinPrompt::Wrong => prompt.color(Color32::LIGHT_RED),
                PinPrompt::Enter
                | PinPrompt::EnterVolunteer
                | PinPrompt::EnterAny
                | PinPrompt::Locked(_) => prompt,
            });
            let key = |ui: &mut egui::Ui, label: &str| ui.button(words(label).size(24.0));
            for keys in [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"]] {
                ui.horizontal(|ui| {
                    for d in keys {
                        if key(ui, d).clicked() {
                            inputs.push(Input::PinDigit(d.chars().next().unwrap_or('0')));
                        }
                    }
                });
            }
            ui.horizontal(|ui| {
                for (label, input) in [
                    ("⌫", Input::PinBackspace),
                    ("0", Input::PinDigit('0')),
                    (words_of.ok.as_str(), Input::PinSubmit),
                ] {
                    if key(ui, label).clicked() {
                        inputs.push(input);
                    }
                }
            });
            if ui.button(words(&words_of.cancel)).clicked() {
                inputs.push(Input::Close);
            }
        });
    });
    inputs
}

/// The admin panel, section by section; returns the buttons clicked.
fn admin_ui(ctx: &egui::Context, view: &AdminView, dir: Direction) -> Vec<AdminAction> {
    let mut clicked = Vec::new();
    centred_window(&view.headings.title).show(ctx, |ui| {
        ui.with_layout(column(dir), |ui| {
            lines_ui(ui, &view.device);
            cameras_ui(ui, view, &mut clicked, dir);
            ui.separator();
            today_ui(ui, view);
            lines_ui(ui, &view.state);
            ui.separator();
            ui.label(words(&view.headings.recent).strong());
            for scan in &view.recent {
                ui.label(words(scan));
            }
            ui.separator();
            row_ui(ui, dir, false, |ui| {
                for (action, label) in view.buttons() {
                    if ui.button(words(&label)).clicked() {
                        clicked.push(action);
                    }
                }
            });
        });
    });
    clicked
}

fn lines_ui(ui: &mut egui::Ui, lines: &[Line]) {
    for line in lines {
        let shown = words(&line.text);
        match line.tone {
            Tone::Plain => ui.label(shown),
            Tone::Heading => ui.label(shown.strong()),
            Tone::Warning => ui.label(shown.color(Color32::from_rgb(220, 120, 0))),
        };
    }
}

fn cameras_ui(ui: &mut egui::Ui, view: &AdminView, clicked: &mut Vec<AdminAction>, dir: Direction) {
    if view.cameras.is_empty() {
        return;
    }
    row_ui(ui, dir, false, |ui| {
        ui.label(words(&view.headings.switch_camera));
        for (i, cam) in view.cameras.iter().enumerate() {
            if ui.button(words(cam)).clicked() {
                clicked.push(AdminAction::UseCamera(u32::try_from(i).unwrap_or(0)));
            }
        }
    });
}

/// Today's counts, a line each (aligned like every line of the panel).
fn today_ui(ui: &mut egui::Ui, view: &AdminView) {
    ui.label(words(&view.headings.today).strong());
    for line in &view.today {
        ui.label(words(line));
    }
}

/// A table whose columns stand in reading order (egui's grid lays out only from the left, so
/// right to left it is the cells of each row that are reversed).
fn table_ui(ui: &mut egui::Ui, id: (&str, usize), rows: &[[String; 3]], dir: Direction) {
    ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
        egui::Grid::new(id).striped(true).show(ui, |ui| {
            for cells in rows {
                for cell in in_reading_order(cells, dir) {
                    ui.label(words(cell));
                }
                ui.end_row();
            }
        });
    });
}

fn full_uv() -> Rect {
    Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0))
}

/// The rectangle that covers `rect` with `pic`'s aspect ratio (cropping the overflow).
fn cover(rect: Rect, pic: &screens::Picture) -> Rect {
    let (w, h) = (pic.width.max(1) as f32, pic.height.max(1) as f32);
    let scale = (rect.width() / w).max(rect.height() / h);
    Rect::from_center_size(rect.center(), Vec2::new(w * scale, h * scale))
}

/// The eframe app around [`KioskUi`].
pub struct KioskApp {
    /// The UI.
    pub ui: KioskUi,
    pipeline: Option<crate::pipeline::Pipeline>,
}

impl std::fmt::Debug for KioskApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KioskApp").finish_non_exhaustive()
    }
}

impl KioskApp {
    /// An app drawing `ui`; `pipeline` is shut down when the window closes.
    pub fn new(ui: KioskUi, pipeline: crate::pipeline::Pipeline) -> Self {
        KioskApp {
            ui,
            pipeline: Some(pipeline),
        }
    }
}

impl eframe::App for KioskApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        // Closing the window (Alt-F4, the window manager) needs the admin panel too.
        if ctx.input(|i| i.viewport().close_requested()) && !self.ui.kiosk.quit_requested() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            let now = (self.ui.time)();
            self.ui.kiosk.handle(Input::AdminRequested, now);
        }
        let next = self.ui.show(ui);
        for action in self.ui.take_actions() {
            match action {
                Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
                Action::Fullscreen(on) => {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(on))
                }
            }
        }
        if let Some(d) = next {
            ctx.request_repaint_after(d);
        }
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if let Some(p) = self.pipeline.take() {
            p.shutdown();
        }
    }
}
