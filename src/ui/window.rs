//! The kiosk's native window: opening it with eframe (full screen or windowed) and waking it
//! from other threads. The only place outside drawing that names eframe.

use super::KioskApp;
use std::sync::{Arc, OnceLock};

/// Asks the window to draw again, from any thread; does nothing until the window exists.
#[derive(Clone, Default)]
pub struct Waker(Arc<OnceLock<egui::Context>>);

impl std::fmt::Debug for Waker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waker")
            .field("window_open", &self.0.get().is_some())
            .finish()
    }
}

impl Waker {
    /// Requests a repaint of the window, if it is open.
    pub fn wake(&self) {
        if let Some(ctx) = self.0.get() {
            ctx.request_repaint();
        }
    }
}

/// Opens the window titled "Usher" (full screen unless `windowed`) and runs `app` in it until
/// it closes; `waker` wakes it from then on.
pub fn run(app: KioskApp, windowed: bool, waker: Waker) -> anyhow::Result<()> {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Usher")
        .with_app_id("usher");
    viewport = if windowed {
        viewport.with_inner_size([1280.0, 720.0])
    } else {
        viewport.with_fullscreen(true)
    };
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "Usher",
        options,
        Box::new(move |cc| {
            let _ = waker.0.set(cc.egui_ctx.clone());
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the kiosk window: {e}"))
}
