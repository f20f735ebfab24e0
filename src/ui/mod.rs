//! The kiosk window (eframe 0.37): it only draws the state machine's view and forwards input.
//!
//! [`KioskUi`] holds the [`Kiosk`] state machine, the latest [`ScreenSet`] and [`Stats`] sent by
//! the pipeline, and the channel to it. Each frame it drains the pipeline's events (never
//! blocking), turns keys and clicks into state-machine inputs or pipeline commands, and draws.
//! [`KioskApp`] wraps it as an `eframe::App` and carries out window commands (full screen, quit).

pub mod text;

use crate::kiosk::{Input, Kiosk, Main, Millis, Overlay, VerdictEvent};
use crate::pipeline::{Command, Stats, ToUi};
use crate::screens::{self, ScreenSet};
use crate::settings::CameraChoice;
use crate::sync::SyncStatus;
use crate::wedge::Wedge;
use egui::{Align2, Color32, FontId, Pos2, Rect, RichText, Vec2};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};
use usher_core::VerdictKind;
use usher_core::display::clean;

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
    shown_since: (String, Millis),
    fullscreen: bool,
    actions: Vec<Action>,
    fonts_installed: bool,
    sync: Option<Arc<std::sync::Mutex<SyncStatus>>>,
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
            shown_since: (String::new(), 0),
            fullscreen,
            actions: Vec::new(),
            fonts_installed: false,
            sync: None,
        }
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
            }
        }
        self.kiosk.handle(Input::Tick, now);
    }

    fn handle_keys(&mut self, ui: &egui::Ui) {
        let now = (self.time)();
        let events = ui.input(|i| i.events.clone());
        for ev in events {
            match &self.kiosk.view().overlay {
                Overlay::Pin { .. } => match ev {
                    egui::Event::Text(t) => {
                        for c in t.chars() {
                            self.kiosk.handle(Input::PinDigit(c), now);
                        }
                    }
                    egui::Event::Key {
                        key, pressed: true, ..
                    } => match key {
                        egui::Key::Enter => self.kiosk.handle(Input::PinSubmit, now),
                        egui::Key::Backspace => self.kiosk.handle(Input::PinBackspace, now),
                        egui::Key::Escape => self.kiosk.handle(Input::Close, now),
                        _ => {}
                    },
                    _ => {}
                },
                Overlay::Admin => {
                    if let egui::Event::Key {
                        key: egui::Key::Escape,
                        pressed: true,
                        ..
                    } = ev
                    {
                        self.kiosk.handle(Input::Close, now);
                    }
                }
                Overlay::None => match ev {
                    egui::Event::Text(t) => self.wedge.text(&t, now),
                    egui::Event::Paste(t) => self.wedge.text(&t, now),
                    egui::Event::Key {
                        key, pressed: true, ..
                    } => match key {
                        egui::Key::Enter => {
                            if let Some(text) = self.wedge.enter(now) {
                                self.send(Command::Wedge(text));
                            }
                        }
                        egui::Key::Escape => self.kiosk.handle(Input::AdminRequested, now),
                        _ => {}
                    },
                    _ => {}
                },
            }
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
        let name = self.kiosk.view().screen_name();
        let since = match &self.kiosk.view().main {
            Main::Verdict { until, .. } => until.saturating_sub(self.result_ms()),
            Main::Ready => {
                if self.shown_since.0 != name {
                    now
                } else {
                    self.shown_since.1
                }
            }
        };
        self.shown_since = (name.to_owned(), since);
        let mut next = self.draw_screen(ui, rect, name, now.saturating_sub(since));
        self.draw_corner_button(ui, rect, now);
        if name == "ready" {
            self.draw_status(ui, rect);
        }
        match self.kiosk.view().overlay.clone() {
            Overlay::None => {}
            Overlay::Pin {
                typed,
                wrong,
                locked_until,
            } => self.draw_pin(ui, typed, wrong, locked_until, now),
            Overlay::Admin => self.draw_admin(ui),
        }
        let deadline = self.kiosk.next_deadline().map(|d| d.saturating_sub(now));
        next = match (next, deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        // The status clock changes once a minute at most; 1 s keeps it honest.
        Some(std::time::Duration::from_millis(
            next.unwrap_or(1_000).clamp(5, 1_000),
        ))
    }

    fn result_ms(&self) -> Millis {
        self.kiosk.result_ms()
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

    /// Draws background, animations, icon and message; returns ms until an animation frame changes.
    fn draw_screen(
        &mut self,
        ui: &mut egui::Ui,
        rect: Rect,
        name: &str,
        age: Millis,
    ) -> Option<Millis> {
        let ctx = ui.ctx().clone();
        let built = screens::built_in(name);
        let folder = self.screens.get(name).cloned();
        let painter = ui.painter().clone();
        let [r, g, b] = built.colour;
        painter.rect_filled(rect, 0.0, Color32::from_rgb(r, g, b));
        let mut next = None;
        let mut has_visuals = false;
        if let Some(screen) = &folder {
            if let Some(bg) = &screen.background {
                let id = self.texture(&ctx, format!("{name}/background"), bg);
                painter.image(id, cover(rect, bg), full_uv(), Color32::WHITE);
                has_visuals = true;
            }
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
                has_visuals = true;
                if let Some(ms) = anim.next_change(age) {
                    next = Some(next.map_or(ms, |n: Millis| n.min(ms)));
                }
            }
        }
        let event: Option<VerdictEvent> = match &self.kiosk.view().main {
            Main::Verdict { event, .. } => Some((**event).clone()),
            Main::Ready => None,
        };
        let has_text = folder.as_ref().is_some_and(|s| s.text.is_some());
        let show_message = has_text || !has_visuals || name == VerdictKind::Used.name();
        let h = rect.height();
        if !has_visuals {
            painter.text(
                rect.center() - Vec2::new(0.0, h * 0.2),
                Align2::CENTER_BOTTOM,
                built.icon,
                FontId::proportional(h * 0.16),
                Color32::WHITE,
            );
        }
        if show_message {
            let message = screens::message(name, event.as_ref(), &self.screens);
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
        if let Some(lost) = self.kiosk.view().camera_lost {
            let band = Rect::from_min_size(
                Pos2::new(rect.min.x, rect.min.y + h * 0.05),
                Vec2::new(rect.width(), h * 0.1),
            );
            painter.rect_filled(band, 0.0, Color32::from_rgb(160, 20, 20));
            let mut child = ui.new_child(egui::UiBuilder::new().max_rect(band).layout(
                egui::Layout::centered_and_justified(egui::Direction::TopDown),
            ));
            child.label(
                RichText::new(format!("Camera lost ({lost}): reconnecting…"))
                    .size(h * 0.04)
                    .color(Color32::WHITE),
            );
        }
        next
    }

    fn draw_status(&mut self, ui: &mut egui::Ui, rect: Rect) {
        let h = rect.height();
        let clock = crate::clock::local_time((self.wall)());
        let hm = clock.get(11..16).unwrap_or(&clock).to_owned();
        let mut line = format!(
            "{hm}   ·   {} signed in today",
            self.stats.signed_in_today()
        );
        if let Some(sync) = self.sync_status() {
            let state = if sync.online { "online" } else { "offline" };
            line = format!("{line}   ·   {state}, {} waiting", sync.pending);
            if let Some(at) = sync.last_upload {
                let t = crate::clock::local_time(at);
                line = format!("{line}, last upload {}", t.get(11..16).unwrap_or(&t));
            }
        }
        if let Some(notice) = self.kiosk.view().notice {
            line = format!("{line}   ·   {notice}");
        }
        let band = Rect::from_min_max(Pos2::new(rect.min.x, rect.max.y - h * 0.08), rect.max);
        ui.painter()
            .rect_filled(band, 0.0, Color32::from_black_alpha(90));
        let mut child = ui.new_child(egui::UiBuilder::new().max_rect(band).layout(
            egui::Layout::centered_and_justified(egui::Direction::LeftToRight),
        ));
        child.label(RichText::new(line).size(h * 0.03).color(Color32::WHITE));
    }

    fn draw_corner_button(&mut self, ui: &mut egui::Ui, rect: Rect, now: Millis) {
        if self.kiosk.view().overlay != &Overlay::None {
            return;
        }
        let size = (rect.height() * 0.06).max(28.0);
        let r = Rect::from_min_size(Pos2::new(rect.max.x - size, rect.min.y), Vec2::splat(size));
        let button = egui::Button::new(
            RichText::new("⚙")
                .size(size * 0.5)
                .color(Color32::from_white_alpha(90)),
        )
        .frame(false);
        if ui.put(r, button).on_hover_text("Admin").clicked() {
            self.kiosk.handle(Input::AdminRequested, now);
        }
    }

    fn draw_pin(
        &mut self,
        ui: &mut egui::Ui,
        typed: usize,
        wrong: bool,
        locked: Option<Millis>,
        now: Millis,
    ) {
        let ctx = ui.ctx().clone();
        let mut inputs = Vec::new();
        egui::Window::new("Admin PIN")
            .collapsible(false)
            .resizable(false)
            .anchor(Align2::CENTER_CENTER, Vec2::ZERO)
            .show(&ctx, |ui| {
                ui.spacing_mut().button_padding = Vec2::new(18.0, 12.0);
                let dots = "●".repeat(typed) + &"○".repeat(4usize.saturating_sub(typed));
                ui.label(RichText::new(dots).size(28.0));
                if let Some(t) = locked {
                    ui.label(format!(
                        "Too many wrong PINs: wait {} s",
                        t.saturating_sub(now).div_ceil(1000)
                    ));
                } else if wrong {
                    ui.label(RichText::new("Wrong PIN").color(Color32::LIGHT_RED));
                } else {
                    ui.label("Enter the admin PIN");
                }
                for row in [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"]] {
                    ui.horizontal(|ui| {
                        for d in row {
                            if ui.button(RichText::new(d).size(24.0)).clicked() {
                                inputs.push(Input::PinDigit(d.chars().next().unwrap_or('0')));
                            }
                        }
                    });
                }
                ui.horizontal(|ui| {
                    if ui.button(RichText::new("⌫").size(24.0)).clicked() {
                        inputs.push(Input::PinBackspace);
                    }
                    if ui.button(RichText::new("0").size(24.0)).clicked() {
                        inputs.push(Input::PinDigit('0'));
                    }
                    if ui.button(RichText::new("OK").size(24.0)).clicked() {
                        inputs.push(Input::PinSubmit);
                    }
                });
                if ui.button("Cancel").clicked() {
                    inputs.push(Input::Close);
                }
            });
        for i in inputs {
            self.kiosk.handle(i, now);
        }
    }

    fn draw_admin(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let now = (self.time)();
        let mut inputs = Vec::new();
        let mut commands = Vec::new();
        let stats = self.stats.clone();
        let sync = self.sync_status();
        let fullscreen = self.fullscreen;
        let mut toggle_fullscreen = false;
        egui::Window::new("Admin")
            .collapsible(false)
            .resizable(false)
            .anchor(Align2::CENTER_CENTER, Vec2::ZERO)
            .show(&ctx, |ui| {
                ui.label(format!("Device id: {}", clean(&stats.device_id)));
                ui.label(format!("Camera in use: {}", stats.source));
                if !stats.cameras.is_empty() {
                    ui.horizontal(|ui| {
                        ui.label("Switch camera:");
                        for (i, cam) in stats.cameras.iter().enumerate() {
                            if ui.button(cam).clicked() {
                                commands.push(Command::UseCamera(CameraChoice::Index(
                                    u32::try_from(i).unwrap_or(0),
                                )));
                            }
                        }
                    });
                }
                ui.separator();
                ui.label(RichText::new("Today").strong());
                egui::Grid::new("counts").show(ui, |ui| {
                    for kind in VerdictKind::ALL {
                        ui.label(kind.name());
                        ui.label(
                            stats
                                .today
                                .get(kind.name())
                                .copied()
                                .unwrap_or(0)
                                .to_string(),
                        );
                        ui.end_row();
                    }
                });
                ui.label(format!("Waiting for upload: {}", stats.pending_uploads));
                if !stats.protection.is_empty() {
                    ui.label(format!("Contact details waiting: {}", stats.protection));
                }
                for warning in &stats.warnings {
                    ui.colored_label(
                        Color32::from_rgb(220, 120, 0),
                        format!("Warning: {warning}"),
                    );
                }
                match &sync {
                    None => {
                        ui.label("Standalone: no server configured (sign-ins stay on this kiosk)");
                    }
                    Some(sync) => {
                        let state = if sync.online { "online" } else { "offline" };
                        ui.label(format!("Server: {state}"));
                        if let Some(at) = sync.last_upload {
                            ui.label(format!("Last upload: {}", crate::clock::local_time(at)));
                        }
                        if let Some(error) = &sync.last_error {
                            ui.label(format!("Last sync problem: {}", clean(error)));
                        }
                        if let Some(warning) = sync.clock_warning() {
                            ui.colored_label(
                                Color32::from_rgb(220, 120, 0),
                                format!("Clock: {warning}"),
                            );
                        }
                    }
                }
                if !stats.parked.is_empty() {
                    ui.label(
                        RichText::new(format!("Refused by the server ({})", stats.parked.len()))
                            .strong(),
                    );
                    for row in stats.parked.iter().take(5) {
                        ui.label(format!(
                            "{}  {}",
                            crate::clock::local_time(row.scanned_at),
                            clean(&row.reason)
                        ));
                    }
                }
                if !stats.double_uses.is_empty() {
                    ui.label(
                        RichText::new(format!("Double uses ({})", stats.double_uses.len()))
                            .strong(),
                    );
                    for d in stats.double_uses.iter().take(5) {
                        ui.label(clean(d));
                    }
                }
                if stats.decoder_panics > 0 {
                    ui.label(format!("Decoder panics caught: {}", stats.decoder_panics));
                }
                ui.separator();
                ui.label(RichText::new("Last scans").strong());
                for scan in stats.recent.iter().take(8) {
                    ui.label(format!(
                        "{}  {}  {}",
                        crate::clock::local_time(scan.at),
                        scan.verdict,
                        clean(&scan.reason)
                    ));
                }
                ui.separator();
                ui.horizontal(|ui| {
                    if ui.button("Reload screens").clicked() {
                        commands.push(Command::ReloadScreens);
                    }
                    if ui.button("Test sound").clicked() {
                        commands.push(Command::TestSound);
                    }
                    let label = if fullscreen {
                        "Leave full screen"
                    } else {
                        "Full screen"
                    };
                    if ui.button(label).clicked() {
                        toggle_fullscreen = true;
                    }
                    if ui.button("Quit").clicked() {
                        inputs.push(Input::Quit);
                    }
                    if ui.button("Close").clicked() {
                        inputs.push(Input::Close);
                    }
                });
            });
        for c in commands {
            self.send(c);
        }
        if toggle_fullscreen {
            self.fullscreen = !self.fullscreen;
            self.actions.push(Action::Fullscreen(self.fullscreen));
        }
        for i in inputs {
            self.kiosk.handle(i, now);
        }
        if self.kiosk.quit_requested() && !self.actions.contains(&Action::Quit) {
            self.actions.push(Action::Quit);
        }
    }
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
