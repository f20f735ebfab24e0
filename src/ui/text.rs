//! Names in any script: right-to-left words put in visual order before egui lays them out.
//!
//! egui 0.37 shapes each run of one font with harfrust, so an Arabic or Urdu word drawn with a
//! font that covers Arabic comes out joined and right-to-left. What egui does not do is the
//! Unicode bidi algorithm across runs: words of a right-to-left phrase, split into runs at the
//! spaces (drawn with the Latin font), would stand left to right. [`visual`] (from
//! `usher_core::display`, shared with the server's pass images) reorders each line with the
//! bidi algorithm at the level of runs and, inside right-to-left runs, words; each word stays
//! in logical order for the shaper. Accented Latin passes through untouched.
//!
//! [`install_fonts`] adds Noto Sans Arabic and DejaVu Sans (Debian's fonts-noto-core and
//! fonts-dejavu-core) from /usr/share/fonts as fallbacks after egui's own fonts, when present.

pub use usher_core::display::{has_rtl, visual};

/// Font files tried, in order, as fallbacks after egui's defaults.
pub const FALLBACK_FONTS: [&str; 4] = [
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
];

/// Adds the system fonts that exist to egui's proportional and monospace families.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    let mut added = 0;
    for path in FALLBACK_FONTS {
        match std::fs::read(path) {
            Ok(bytes) => {
                fonts.font_data.insert(
                    path.to_owned(),
                    std::sync::Arc::new(egui::FontData::from_owned(bytes)),
                );
                for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
                    fonts
                        .families
                        .entry(family)
                        .or_default()
                        .push(path.to_owned());
                }
                added += 1;
            }
            Err(_) => tracing::debug!("fonts: {path} not found"),
        }
    }
    if added == 0 {
        tracing::warn!(
            "fonts: none of {FALLBACK_FONTS:?} found; Arabic names will not show (apt-get install fonts-noto-core fonts-dejavu-core)"
        );
    }
    ctx.set_fonts(fonts);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_untouched() {
        assert_eq!(visual("Zoë Ağaoğlu Ødegård"), "Zoë Ağaoğlu Ødegård");
        assert!(!has_rtl("Zoë"));
    }

    #[test]
    fn arabic_words_reversed_letters_kept() {
        assert!(has_rtl("محمد"));
        assert_eq!(visual("محمد علي"), "علي محمد");
        assert_eq!(visual("محمد"), "محمد");
    }

    #[test]
    fn mixed_line() {
        // LTR paragraph with an embedded Arabic name: the name's words swap, Latin stays.
        assert_eq!(visual("Welcome محمد علي"), "Welcome علي محمد");
        // Urdu.
        assert_eq!(visual("عمران خان"), "خان عمران");
    }

    #[test]
    fn lines_kept_separate() {
        assert_eq!(visual("محمد علي\nSigned in"), "علي محمد\nSigned in");
    }
}
