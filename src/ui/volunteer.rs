//! Drawing the volunteer's manual path (DESIGN §8): the walk-in form with its on-screen
//! keyboard, the undo list, and the ready screen's "register on your phone" code. Each
//! function draws a value built in [`crate::view`] and returns what was tapped; which keys
//! exist and what they do to a field is decided in [`crate::keyboard`] and [`crate::walkin`].

use super::{centred_window, text};
use crate::keyboard::Key;
use crate::kiosk::{Input, VolunteerAction};
use crate::view::{RegisterView, TOUCH_TARGET, UndoView, WalkInView};
use crate::walkin::FormInput;
use egui::{Color32, Pos2, Rect, RichText, Vec2};

/// The walk-in form: the three fields (tap to type into one), the party size, the on-screen
/// keyboard (keys of at least [`TOUCH_TARGET`]), "Sign in" and "Cancel"; returns the taps.
pub(super) fn walk_in_ui(ctx: &egui::Context, view: &WalkInView) -> Vec<FormInput> {
    let mut taps = Vec::new();
    centred_window(&view.title).show(ctx, |ui| {
        for (field, label, typed) in &view.fields {
            ui.horizontal(|ui| {
                ui.add_sized(
                    Vec2::new(TOUCH_TARGET * 4.0, TOUCH_TARGET),
                    egui::Label::new(RichText::new(label).size(18.0)),
                );
                let shown = text::visual(typed);
                let focused = *field == view.focus;
                let cursor = if focused { "▏" } else { "" };
                let button =
                    egui::Button::new(RichText::new(format!("{shown}{cursor}")).size(22.0))
                        .min_size(Vec2::new(TOUCH_TARGET * 9.0, TOUCH_TARGET))
                        .selected(focused);
                if ui.add(button).clicked() {
                    taps.push(FormInput::Focus(*field));
                }
            });
        }
        ui.horizontal(|ui| {
            let (label, party) = &view.party;
            ui.label(RichText::new(label).size(18.0));
            let step = |ui: &mut egui::Ui, words: &str| {
                ui.add(
                    egui::Button::new(RichText::new(words).size(24.0))
                        .min_size(Vec2::splat(TOUCH_TARGET)),
                )
                .clicked()
            };
            if step(ui, "−") {
                taps.push(FormInput::Party(-1));
            }
            ui.label(RichText::new(party.to_string()).size(24.0).strong());
            if step(ui, "+") {
                taps.push(FormInput::Party(1));
            }
        });
        if let Some(error) = &view.error {
            ui.colored_label(Color32::LIGHT_RED, RichText::new(error).size(18.0));
        }
        ui.separator();
        for row in &view.keys {
            ui.horizontal(|ui| {
                ui.spacing_mut().item_spacing.x = 4.0;
                for (key, label) in row {
                    let width = match key {
                        Key::Space => TOUCH_TARGET * 6.0,
                        Key::Switch(_) | Key::Backspace => TOUCH_TARGET * 2.0,
                        Key::Char(_) => TOUCH_TARGET,
                    };
                    let button = egui::Button::new(RichText::new(label).size(22.0))
                        .min_size(Vec2::new(width, TOUCH_TARGET));
                    if ui.add(button).clicked() {
                        taps.push(FormInput::Key(*key));
                    }
                }
            });
        }
        ui.separator();
        ui.horizontal(|ui| {
            for (words, input) in [
                (&view.submit, FormInput::Submit),
                (&view.cancel, FormInput::Cancel),
            ] {
                let button = egui::Button::new(RichText::new(words).size(22.0))
                    .min_size(Vec2::new(TOUCH_TARGET * 4.0, TOUCH_TARGET));
                if ui.add(button).clicked() {
                    taps.push(input.clone());
                }
            }
        });
    });
    taps
}

/// The undo list: time, first name and head count per recent sign-in, each with its "Void"
/// button; returns the taps.
pub(super) fn undo_ui(ctx: &egui::Context, view: &UndoView) -> Vec<Input> {
    let mut taps = Vec::new();
    centred_window(&view.title).show(ctx, |ui| {
        if let Some(empty) = &view.empty {
            ui.label(RichText::new(empty).size(18.0));
        }
        egui::ScrollArea::vertical()
            .max_height(480.0)
            .show(ui, |ui| {
                egui::Grid::new("undo").striped(true).show(ui, |ui| {
                    for (entry, at, name, heads) in &view.rows {
                        ui.label(RichText::new(at).size(18.0));
                        ui.label(RichText::new(text::visual(name)).size(18.0));
                        ui.label(RichText::new(heads.to_string()).size(18.0));
                        let button = egui::Button::new(RichText::new(&view.void).size(18.0))
                            .min_size(Vec2::new(TOUCH_TARGET * 2.0, TOUCH_TARGET));
                        if ui.add(button).clicked() {
                            taps.push(Input::Void(entry.clone()));
                        }
                        ui.end_row();
                    }
                });
            });
        ui.separator();
        let back = egui::Button::new(RichText::new(&view.back).size(18.0))
            .min_size(Vec2::new(TOUCH_TARGET * 2.0, TOUCH_TARGET));
        if ui.add(back).clicked() {
            taps.push(Input::Volunteer(VolunteerAction::Back));
        }
    });
    taps
}

/// The "register on your phone" code in the ready screen's lower left corner, small, on a
/// white square with its quiet zone, the caption beside it.
pub(super) fn register_ui(
    ui: &mut egui::Ui,
    rect: Rect,
    view: &RegisterView,
    texture: &egui::TextureHandle,
) {
    let h = rect.height();
    let side = (h * 0.2).max(TOUCH_TARGET * 2.0);
    let margin = h * 0.02;
    let bottom = rect.max.y - h * 0.08 - margin;
    let square = Rect::from_min_size(
        Pos2::new(rect.min.x + margin, bottom - side),
        Vec2::splat(side),
    );
    let uv = Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0));
    ui.painter().image(texture.id(), square, uv, Color32::WHITE);
    let caption = Rect::from_min_max(
        Pos2::new(square.max.x + margin, square.min.y),
        Pos2::new(rect.min.x + rect.width() * 0.45, square.max.y),
    );
    let mut child = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(caption)
            .layout(egui::Layout::bottom_up(egui::Align::Min)),
    );
    child.label(
        RichText::new(text::visual(&view.caption))
            .size(h * 0.028)
            .color(Color32::WHITE),
    );
}

/// The code's image: one pixel per module on white, a quiet zone of four modules.
pub(super) fn register_image(view: &RegisterView) -> egui::ColorImage {
    const QUIET: usize = 4;
    let size = view.side + 2 * QUIET;
    let mut pixels = vec![Color32::WHITE; size * size];
    for (i, dark) in view.dark.iter().enumerate() {
        if *dark {
            let (y, x) = (i / view.side + QUIET, i % view.side + QUIET);
            pixels[y * size + x] = Color32::BLACK;
        }
    }
    egui::ColorImage::new([size, size], pixels)
}
