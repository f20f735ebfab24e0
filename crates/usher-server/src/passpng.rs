//! Pass and enrolment images: a QR code (error correction M, quiet zone of 4 modules) as PNG,
//! for passes with the venue's logo above and the visitor's name below. Names are shaped with
//! rustybuzz (Arabic joins; Arabic and Hebrew runs right to left, ordered by the bidi algorithm
//! of `usher_core::display`) and rasterised with ab_glyph from system
//! fonts (Debian `fonts-noto-core` for Arabic, `fonts-dejavu-core` otherwise); with no font
//! found the name is simply not drawn.

use ab_glyph::{Font as _, FontRef, Glyph, GlyphId, PxScale, point};
use image::{DynamicImage, ImageFormat, Luma, Rgb, RgbImage, imageops};
use qrcode::{EcLevel, QrCode};
use std::io::Cursor;
use std::path::Path;

/// Pixels per QR module.
const MODULE_PX: u32 = 8;

/// Why an image could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PngError {
    /// The text does not fit in a QR code.
    #[error("text does not fit in a QR code: {0}")]
    Qr(#[from] qrcode::types::QrError),
    /// PNG encoding failed.
    #[error("png: {0}")]
    Image(#[from] image::ImageError),
}

/// Fonts found at start-up: one for Arabic script, one for everything else.
#[derive(Default)]
pub struct Fonts {
    general: Option<Vec<u8>>,
    arabic: Option<Vec<u8>>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Fonts(general: {}, arabic: {})",
            self.general.is_some(),
            self.arabic.is_some()
        )
    }
}

const GENERAL_FONTS: &[&str] = &[
    "truetype/dejavu/DejaVuSans.ttf",
    "truetype/noto/NotoSans-Regular.ttf",
];
const ARABIC_FONTS: &[&str] = &[
    "truetype/noto/NotoSansArabic-Regular.ttf",
    "truetype/noto/NotoNaskhArabic-Regular.ttf",
    "truetype/dejavu/DejaVuSans.ttf",
];

impl Fonts {
    /// Looks for the fonts under `dir` (normally `/usr/share/fonts`).
    pub fn find(dir: &Path) -> Self {
        let load = |names: &[&str]| {
            names.iter().find_map(|n| {
                let bytes = std::fs::read(dir.join(n)).ok()?;
                FontRef::try_from_slice(&bytes).ok()?;
                rustybuzz::Face::from_slice(&bytes, 0)?;
                Some(bytes)
            })
        };
        let fonts = Fonts {
            general: load(GENERAL_FONTS),
            arabic: load(ARABIC_FONTS),
        };
        if fonts.general.is_none() {
            tracing::warn!(
                dir = %dir.display(),
                "no font found (install fonts-dejavu-core and fonts-noto-core): names are not drawn on passes"
            );
        }
        fonts
    }

    /// No fonts: names are never drawn.
    pub fn none() -> Self {
        Fonts::default()
    }
}

fn is_arabic(c: char) -> bool {
    matches!(u32::from(c), 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

/// The QR code a pass text is drawn as: error correction M, the smallest version it fits.
pub fn qr_code(text: &str) -> Result<QrCode, PngError> {
    Ok(QrCode::with_error_correction_level(
        text.as_bytes(),
        EcLevel::M,
    )?)
}

/// The QR version (1 to 40) of the code a pass text is drawn as.
pub fn qr_version(text: &str) -> Result<i16, PngError> {
    Ok(match qr_code(text)?.version() {
        qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
    })
}

fn qr_image(text: &str) -> Result<RgbImage, PngError> {
    let code = qr_code(text)?;
    let grey = code
        .render::<Luma<u8>>()
        .quiet_zone(true)
        .module_dimensions(MODULE_PX, MODULE_PX)
        .build();
    Ok(DynamicImage::ImageLuma8(grey).to_rgb8())
}

fn encode(img: RgbImage) -> Result<Vec<u8>, PngError> {
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(img).write_to(&mut out, ImageFormat::Png)?;
    Ok(out.into_inner())
}

/// A plain QR code PNG (enrolment codes).
pub fn qr_png(text: &str) -> Result<Vec<u8>, PngError> {
    encode(qr_image(text)?)
}

/// A pass PNG: the logo (if the file loads) above the code, the name (if a font is found)
/// below it. Returns the PNG and whether the name was drawn.
pub fn pass_png(
    text: &str,
    logo: Option<&Path>,
    name: Option<&str>,
    fonts: &Fonts,
) -> Result<(Vec<u8>, bool), PngError> {
    let qr = qr_image(text)?;
    let width = qr.width();
    let logo = logo.and_then(|p| match image::open(p) {
        Ok(img) => Some(img),
        Err(e) => {
            if p.exists() {
                tracing::warn!(error = %e, "logo file does not load; passes have no logo");
            }
            None
        }
    });
    let logo_h = width / 4;
    let logo = logo.map(|l| {
        l.resize(width * 3 / 4, logo_h, imageops::FilterType::Triangle)
            .to_rgb8()
    });
    let logo_band = if logo.is_some() { logo_h + 16 } else { 0 };
    let name_band = if name.is_some_and(|n| !n.trim().is_empty()) {
        72
    } else {
        0
    };
    let mut canvas = RgbImage::from_pixel(
        width,
        qr.height() + logo_band + name_band,
        Rgb([255, 255, 255]),
    );
    if let Some(l) = &logo {
        let x = (width - l.width()) / 2;
        imageops::overlay(&mut canvas, l, i64::from(x), 16);
    }
    imageops::overlay(&mut canvas, &qr, 0, i64::from(logo_band));
    let mut drawn = false;
    if let Some(n) = name.map(str::trim).filter(|n| !n.is_empty()) {
        let top = logo_band + qr.height();
        drawn = draw_text(&mut canvas, n, fonts, top, name_band, 34.0);
    }
    Ok((encode(canvas)?, drawn))
}

/// The runs of `text` in visual order, each with whether it reads right to left, by the
/// Unicode bidi algorithm that the kiosk uses too ([`usher_core::display::bidi_runs`]).
fn runs(text: &str) -> Vec<(String, bool)> {
    usher_core::display::bidi_runs(text)
        .into_iter()
        .map(|r| (r.text.to_owned(), r.rtl))
        .collect()
}

/// A shaped run: glyphs (id, x advance, x offset, y offset, in pixels) and its width.
struct Shaped<'f> {
    font: FontRef<'f>,
    scale: PxScale,
    em: f32,
    glyphs: Vec<(u16, f32, f32, f32)>,
    width: f32,
}

fn shape_run<'f>(text: &str, rtl: bool, font: &'f [u8], px: f32) -> Option<Shaped<'f>> {
    let face = rustybuzz::Face::from_slice(font, 0)?;
    let ab = FontRef::try_from_slice(font).ok()?;
    let mut buf = rustybuzz::UnicodeBuffer::new();
    buf.push_str(text);
    buf.set_direction(if rtl {
        rustybuzz::Direction::RightToLeft
    } else {
        rustybuzz::Direction::LeftToRight
    });
    buf.guess_segment_properties();
    let shaped = rustybuzz::shape(&face, &[], buf);
    let height_units = ab.height_unscaled();
    let upem = face.units_per_em() as f32;
    if height_units <= 0.0 || upem <= 0.0 {
        return None;
    }
    // `px` is the em size, so scripts from different fonts match; ab_glyph's scale is the
    // font's height (ascent - descent) in pixels.
    let factor = px / upem;
    let glyphs: Vec<_> = shaped
        .glyph_infos()
        .iter()
        .zip(shaped.glyph_positions())
        .map(|(i, p)| {
            (
                u16::try_from(i.glyph_id).unwrap_or(0),
                p.x_advance as f32 * factor,
                p.x_offset as f32 * factor,
                p.y_offset as f32 * factor,
            )
        })
        .collect();
    let width = glyphs.iter().map(|g| g.1).sum();
    Some(Shaped {
        font: ab,
        scale: PxScale::from(px * height_units / upem),
        em: px,
        glyphs,
        width,
    })
}

/// Shapes `text` run by run (right-to-left runs right to left, Arabic script with the Arabic
/// font) and draws the runs, already in visual order, left to right, centred in the band
/// starting at row `top`, `band` pixels high, shrunk to fit. False when nothing could be drawn.
fn draw_text(
    canvas: &mut RgbImage,
    text: &str,
    fonts: &Fonts,
    top: u32,
    band: u32,
    px: f32,
) -> bool {
    let visual = runs(text);
    let margin = 16.0;
    let avail = canvas.width() as f32 - 2.0 * margin;
    let shape_all = |px: f32| -> Option<Vec<Shaped<'_>>> {
        visual
            .iter()
            .map(|(t, rtl)| {
                let font = if t.chars().any(is_arabic) {
                    fonts.arabic.as_deref().or(fonts.general.as_deref())
                } else {
                    fonts.general.as_deref()
                }?;
                shape_run(t, *rtl, font, px)
            })
            .collect()
    };
    let Some(mut shaped) = shape_all(px) else {
        return false;
    };
    let total: f32 = shaped.iter().map(|s| s.width).sum();
    if total <= 0.0 {
        return false;
    }
    if total > avail {
        match shape_all(px * avail / total) {
            Some(s) => shaped = s,
            None => return false,
        }
    }
    let total: f32 = shaped.iter().map(|s| s.width).sum();
    let size = shaped.first().map_or(px, |s| s.em);
    let baseline = top as f32 + (band as f32 + size * 0.6) / 2.0;
    let mut x = (canvas.width() as f32 - total) / 2.0;
    let (w, h) = (canvas.width(), canvas.height());
    // HarfBuzz gives each run's glyphs in visual order (right-to-left runs already reversed).
    for run in &shaped {
        for &(id, adv, dx, dy) in &run.glyphs {
            let glyph: Glyph =
                GlyphId(id).with_scale_and_position(run.scale, point(x + dx, baseline - dy));
            if let Some(outlined) = run.font.outline_glyph(glyph) {
                let b = outlined.px_bounds();
                outlined.draw(|gx, gy, c| {
                    let px_x = b.min.x as i64 + i64::from(gx);
                    let px_y = b.min.y as i64 + i64::from(gy);
                    if let (Ok(xx), Ok(yy)) = (u32::try_from(px_x), u32::try_from(px_y))
                        && xx < w
                        && yy < h
                    {
                        let p = canvas.get_pixel_mut(xx, yy);
                        let v = (255.0 * (1.0 - c.clamp(0.0, 1.0))) as u8;
                        for ch in &mut p.0 {
                            *ch = (*ch).min(v);
                        }
                    }
                });
            }
            x += adv;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pass_png_draws_names_when_fonts_exist() {
        let fonts = Fonts::find(Path::new("/usr/share/fonts"));
        let (png, drawn) =
            pass_png("usher://p?auth=x&j=%7B%7D", None, Some("محمد علي"), &fonts).expect("png");
        assert!(png.starts_with(b"\x89PNG"));
        assert_eq!(drawn, fonts.arabic.is_some() || fonts.general.is_some());
        // The digit after an Arabic word stands to its left, as the bidi algorithm puts it.
        assert_eq!(
            runs("Ali محمد 2"),
            vec![
                ("Ali ".to_owned(), false),
                ("2".to_owned(), false),
                ("محمد ".to_owned(), true)
            ]
        );
        let (_, drawn) = pass_png("x", None, Some("Ann"), &Fonts::none()).expect("png");
        assert!(!drawn);
    }

    #[test]
    fn hebrew_names_run_right_to_left() {
        // Runs in visual order, each with its direction: a Hebrew name is one right-to-left run.
        assert_eq!(runs("שרה כהן"), vec![("שרה כהן".to_owned(), true)]);
        assert_eq!(
            runs("Ann שרה כהן"),
            vec![("Ann ".to_owned(), false), ("שרה כהן".to_owned(), true)]
        );
    }

    #[test]
    fn logo_goes_above_the_code_and_a_bad_logo_is_skipped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let logo = dir.path().join("logo.png");
        RgbImage::from_pixel(400, 100, Rgb([200, 30, 30]))
            .save(&logo)
            .expect("save");
        let height = |png: &[u8]| image::load_from_memory(png).expect("load").height();
        let (with, _) = pass_png("x", Some(&logo), None, &Fonts::none()).expect("png");
        let (without, _) = pass_png("x", None, None, &Fonts::none()).expect("png");
        assert!(height(&with) > height(&without));
        std::fs::write(&logo, b"not a png").expect("write");
        let (bad, _) = pass_png("x", Some(&logo), None, &Fonts::none()).expect("png");
        assert_eq!(height(&bad), height(&without));
    }

    #[test]
    fn qr_png_is_png() {
        assert!(
            qr_png("usher-enroll:?server=x")
                .expect("png")
                .starts_with(b"\x89PNG")
        );
    }
}
#[cfg(test)]
mod look {
    #[test]
    #[ignore = "writes sample images for a person to look at"]
    fn write_samples() {
        let fonts = super::Fonts::find(std::path::Path::new("/usr/share/fonts"));
        for (i, n) in ["محمد عبدالله", "Zoë Smith", "Ali محمد"].iter().enumerate() {
            let (png, _) =
                super::pass_png("usher://p?auth=x&j=%7B%7D", None, Some(n), &fonts).expect("png");
            std::fs::write(format!("/tmp/pass{i}.png"), png).expect("write");
        }
    }
}
