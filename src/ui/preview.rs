//! The camera preview's texture: the newest frame from the scan thread's slot, uploaded at
//! most 7 times a second and only while the screen shows it, drawn where the view
//! placed it with the target frame, the outlines of the codes read and the demo's caption.

use crate::kiosk::Millis;
use crate::preview::{MIN_INTERVAL_MS, PreviewFrame, RateGate, Slot};
use crate::view::PreviewView;
use egui::{Align2, Color32, FontId, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2};
use std::sync::Arc;

/// The texture's name in egui's texture manager.
pub const TEXTURE_NAME: &str = "camera-preview";

/// How long to wait before trying the slot again when the scan thread held its lock.
const BUSY_RETRY_MS: Millis = 5;

/// The preview frame on screen and its texture.
pub struct PreviewTexture {
    slot: Slot,
    seen: u64,
    gate: RateGate,
    frame: Option<Arc<PreviewFrame>>,
    texture: Option<egui::TextureHandle>,
    uploads: u64,
}

impl std::fmt::Debug for PreviewTexture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreviewTexture")
            .field("seen", &self.seen)
            .field(
                "texture",
                &self.texture.as_ref().map(egui::TextureHandle::id),
            )
            .finish()
    }
}

impl PreviewTexture {
    /// The preview of the frames left in `slot`.
    pub fn new(slot: Slot) -> Self {
        PreviewTexture {
            slot,
            seen: 0,
            gate: RateGate::new(MIN_INTERVAL_MS),
            frame: None,
            texture: None,
            uploads: 0,
        }
    }

    /// How many frames were uploaded so far.
    pub fn uploads(&self) -> u64 {
        self.uploads
    }

    /// The frame on screen, if one arrived.
    pub fn frame(&self) -> Option<&PreviewFrame> {
        self.frame.as_deref()
    }

    /// Tells the scan thread whether the preview is `shown` and, when it is, uploads the newest
    /// frame if one arrived and [`MIN_INTERVAL_MS`] passed since the last upload. A frame that
    /// came too soon waits in the slot for the next repaint (the scan thread's next frame wakes
    /// the window): no repaint is asked for it, as each one costs the window a full redraw
    /// (measured: 49.5 % of a core against 58.7 % when it asked). Returns the milliseconds until
    /// the slot's lock, found busy, should be tried again.
    pub fn update(&mut self, ctx: &egui::Context, now: Millis, shown: bool) -> Option<Millis> {
        self.slot.want(shown);
        if !shown || self.slot.seq() == self.seen || self.gate.wait(now) > 0 {
            return None;
        }
        let Some((seq, frame)) = self.slot.newer_than(self.seen) else {
            return Some(BUSY_RETRY_MS);
        };
        self.gate.pass(now);
        self.seen = seq;
        match frame {
            Some(f) if f.grey.len() == f.width as usize * f.height as usize => {
                let image =
                    egui::ColorImage::from_gray([f.width as usize, f.height as usize], &f.grey);
                match &mut self.texture {
                    Some(texture) => texture.set(image, egui::TextureOptions::LINEAR),
                    None => {
                        let options = egui::TextureOptions::LINEAR;
                        self.texture = Some(ctx.load_texture(TEXTURE_NAME, image, options));
                    }
                }
                self.frame = Some(f);
                self.uploads += 1;
            }
            // Cleared (camera lost), or a frame of the wrong size: nothing on screen; dropping
            // the handle frees the texture.
            _ => {
                self.frame = None;
                self.texture = None;
            }
        }
        None
    }

    /// Draws the frame as `view` says, in `screen` (the window's rectangle).
    pub fn draw(&self, ui: &egui::Ui, screen: Rect, view: &PreviewView) {
        let Some(texture) = &self.texture else {
            return;
        };
        let placed = view
            .placement
            .rect((screen.width(), screen.height()), view.natural);
        let rect = Rect::from_center_size(
            screen.min + Vec2::new(placed.cx, placed.cy),
            Vec2::new(placed.w, placed.h),
        );
        let painter = ui.painter();
        let uv = Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0));
        painter.image(texture.id(), rect, uv, Color32::WHITE);
        let edge = Stroke::new(2.0, Color32::from_white_alpha(160));
        painter.rect_stroke(rect, 0.0, edge, StrokeKind::Outside);
        target_ui(painter, rect, view.target);
        let at = |[x, y]: [f32; 2]| rect.min + Vec2::new(x * rect.width(), y * rect.height());
        for outline in &view.outlines {
            let points = outline.iter().copied().map(at).collect();
            let stroke = Stroke::new(4.0, Color32::from_rgb(60, 220, 90));
            painter.add(Shape::closed_line(points, stroke));
        }
        if let Some(caption) = &view.caption {
            caption_ui(painter, rect, caption);
        }
    }
}

/// The target frame: four corner marks of a square centred in `rect`, `share` of its shorter
/// side.
fn target_ui(painter: &egui::Painter, rect: Rect, share: f32) {
    let side = rect.width().min(rect.height()) * share;
    let t = Rect::from_center_size(rect.center(), Vec2::splat(side));
    let arm = side * 0.2;
    let stroke = Stroke::new((side * 0.025).max(2.0), Color32::from_white_alpha(220));
    for (corner, dx, dy) in [
        (t.left_top(), arm, arm),
        (t.right_top(), -arm, arm),
        (t.right_bottom(), -arm, -arm),
        (t.left_bottom(), arm, -arm),
    ] {
        painter.line_segment([corner, corner + Vec2::new(dx, 0.0)], stroke);
        painter.line_segment([corner, corner + Vec2::new(0.0, dy)], stroke);
    }
}

/// The demo's caption in a dark band along the bottom of the preview, sized to fit its width.
fn caption_ui(painter: &egui::Painter, rect: Rect, caption: &str) {
    let chars = caption.chars().count().max(1) as f32;
    let size = (rect.height() * 0.08)
        .min(rect.width() / (chars * 0.55))
        .max(10.0);
    let band = Rect::from_min_max(Pos2::new(rect.min.x, rect.max.y - size * 1.6), rect.max);
    painter.rect_filled(band, 0.0, Color32::from_black_alpha(170));
    painter.text(
        band.center(),
        Align2::CENTER_CENTER,
        super::text::visual(caption),
        FontId::proportional(size),
        Color32::WHITE,
    );
}
