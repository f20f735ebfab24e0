//! Integration tests: the recommended cascade on a handful of corpus images and on QR codes
//! generated on the fly (dark-on-light, light-on-dark, through a YUYV buffer, far and dark
//! kiosk frames that only the second look and the dark-frame step read, a glare only the
//! local threshold reads).

use std::path::{Path, PathBuf};

use image::{GrayImage, Luma};
use usher_decode::bench::{self, Rotation};
use usher_decode::{Cascade, Decoder, GreyFrame, RqrrDecoder, RxingDecoder};

/// The corpus sits beside the repository (`../shared/qr-corpus`), in CI too.
fn corpus() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/qr-corpus");
    assert!(
        dir.join("MANIFEST.csv").is_file(),
        "QR corpus missing: expected {} (the repository's ../shared/qr-corpus)",
        dir.display()
    );
    dir
}

const PASS: &str = r#"https://u.example/p/{"e":"gala-2025","t":"A7K2Q9","n":"Ada"}"#;

/// A generated code, 6 px per module, EC level M, with a quiet zone, on a 400x300 canvas.
fn generated(text: &str) -> GrayImage {
    let code =
        qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).expect("encodable");
    let img = code
        .render::<Luma<u8>>()
        .module_dimensions(6, 6)
        .quiet_zone(true)
        .build();
    let mut canvas = GrayImage::from_pixel(400, 300, Luma([255]));
    image::imageops::replace(&mut canvas, &img, 40, 10);
    canvas
}

#[test]
fn corpus_samples_decode_with_the_recommended_cascade() {
    let root = corpus();
    let cascade = Cascade::recommended();
    for (file, rotation) in [
        ("zxing-qrcode-1/1.png", Rotation::R0),
        ("zxing-qrcode-3/10.png", Rotation::R90),
        ("zxing-qrcode-5/01.png", Rotation::R180),
        ("zxingcpp-qrcode-2/qr-inv-1.webp", Rotation::R0),
        ("rqrr-tests/multiple.png", Rotation::R270),
    ] {
        let path = root.join(file);
        let set = file.split('/').next().unwrap_or_default();
        let found = bench::discover(&root.join(set)).expect("set lists");
        let sample = found
            .samples
            .iter()
            .find(|s| s.image == path)
            .unwrap_or_else(|| panic!("{file} not discovered with an expected text"));
        let grey = bench::load_grey(&path).expect("image loads");
        let frame = GreyFrame::from_gray_image(rotation.apply(&grey));
        let decoded = cascade.decode(&frame);
        assert_eq!(
            bench::score(&sample.expected, &decoded).hits,
            1,
            "{file} at {} degrees: decoded {decoded:?}",
            rotation.degrees()
        );
    }
}

#[test]
fn generated_codes_decode_dark_and_light_on_dark() {
    let cascade = Cascade::recommended();
    let img = generated(PASS);
    let frame = GreyFrame::from_gray_image(img.clone());
    assert_eq!(cascade.decode(&frame), vec![PASS.to_owned()]);

    // Light-on-dark (a phone in dark mode): the whole picture inverted.
    let dark = GreyFrame::from_gray_image(img).inverted();
    assert_eq!(cascade.decode(&dark), vec![PASS.to_owned()]);
    // rqrr cannot read it as is, but can inverted.
    assert!(RqrrDecoder::default().decode(&dark).is_empty());
    let rqrr_inv = RqrrDecoder { invert: true };
    assert_eq!(rqrr_inv.decode(&dark), vec![PASS.to_owned()]);
}

#[test]
fn yuyv_and_nv12_buffers_decode_from_their_luma() {
    let img = generated("USHER-42");
    let (w, h) = img.dimensions();
    // YUYV with 8 bytes of row padding and constant chroma.
    let stride = 2 * w as usize + 8;
    let mut yuyv = vec![128u8; stride * h as usize];
    for (x, y, p) in img.enumerate_pixels() {
        yuyv[y as usize * stride + 2 * x as usize] = p.0[0];
    }
    let frame = GreyFrame::from_yuyv(w, h, stride, &yuyv).expect("valid YUYV");
    assert_eq!(RxingDecoder::default().decode(&frame), vec!["USHER-42"]);

    // NV12: luma plane then interleaved chroma at half height.
    let mut nv12 = img.as_raw().clone();
    nv12.extend(std::iter::repeat_n(128u8, (w * h / 2) as usize));
    let frame = GreyFrame::from_nv12(w, h, w as usize, &nv12).expect("valid NV12");
    assert_eq!(Cascade::recommended().decode(&frame), vec!["USHER-42"]);
}

#[test]
fn blank_and_tiny_frames_read_nothing_and_never_panic() {
    let cascade = Cascade::recommended();
    for (w, h) in [(1, 1), (3, 200), (64, 64)] {
        let frame = GreyFrame::from_vec(w, h, vec![200; (w * h) as usize]).expect("valid");
        assert!(cascade.decode(&frame).is_empty());
    }
}

/// A 1280x720 frame of `level` grey with `text`'s code drawn at `module` pixels per module
/// (rendered at 4 px and resized with a triangle filter), dark modules at `dark`, light at
/// `light`, plus a fixed pattern of +-`noise` levels.
fn kiosk_frame(
    text: &str,
    module: f32,
    dark: u8,
    light: u8,
    level: u8,
    noise: i32,
) -> GreyFrame<'static> {
    let code =
        qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).expect("encodable");
    let img = code
        .render::<Luma<u8>>()
        .dark_color(Luma([dark]))
        .light_color(Luma([light]))
        .module_dimensions(4, 4)
        .quiet_zone(true)
        .build();
    let side = (img.width() as f32 * module / 4.0).round() as u32;
    let small = image::imageops::resize(&img, side, side, image::imageops::FilterType::Triangle);
    let mut canvas = GrayImage::from_pixel(1280, 720, Luma([level]));
    image::imageops::replace(&mut canvas, &small, 500, 200);
    let mut seed = 0x2545_f491_u32;
    for p in canvas.pixels_mut() {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let n = (seed % (2 * noise as u32 + 1)) as i32 - noise;
        p.0[0] = (i32::from(p.0[0]) + n).clamp(0, 255) as u8;
    }
    GreyFrame::from_gray_image(canvas)
}

#[test]
fn a_second_look_reads_a_far_code_the_first_pass_misses() {
    let frame = kiosk_frame(PASS, 1.6, 30, 220, 128, 2);
    assert!(Cascade::previous().decode(&frame).is_empty());
    assert_eq!(Cascade::recommended().decode(&frame), vec![PASS.to_owned()]);
}

#[test]
fn a_dark_frame_is_stretched_and_read() {
    let frame = kiosk_frame(PASS, 4.0, 12, 30, 14, 3);
    assert!(Cascade::previous().decode(&frame).is_empty());
    assert_eq!(Cascade::recommended().decode(&frame), vec![PASS.to_owned()]);
}

/// Adds a saturating highlight of `peak` levels and radius `radius` pixels centred at (`cx`,
/// `cy`) (a lamp on glossy paper or a screen).
fn with_glare(
    frame: &GreyFrame<'_>,
    (cx, cy): (f32, f32),
    peak: f32,
    radius: f32,
) -> GreyFrame<'static> {
    let mut img = frame.to_gray_image();
    for (x, y, p) in img.enumerate_pixels_mut() {
        let d2 = (x as f32 - cx).powi(2) + (y as f32 - cy).powi(2);
        let v = f32::from(p.0[0]) + peak * (-d2 / (2.0 * radius * radius)).exp();
        p.0[0] = v.min(255.0) as u8;
    }
    GreyFrame::from_gray_image(img)
}

#[test]
fn a_glare_over_a_finder_pattern_is_read_at_the_local_mean() {
    // The code's top-right finder pattern sits under the highlight: the fixed-block
    // binariser loses it, the second look pairs the two left and thresholds locally.
    let module = 4.0;
    let plain = kiosk_frame(PASS, module, 40, 200, 128, 2);
    let n = qrcode::QrCode::with_error_correction_level(PASS, qrcode::EcLevel::M)
        .expect("encodable")
        .width() as f32;
    // kiosk_frame puts the code's quiet zone (4 modules) at (500, 200).
    let finder = (500.0 + (4.0 + n - 3.5) * module, 200.0 + 7.5 * module);
    let frame = with_glare(&plain, finder, 170.0, 4.0 * module);
    assert!(Cascade::previous().decode(&frame).is_empty());
    assert_eq!(Cascade::recommended().decode(&frame), vec![PASS.to_owned()]);
}
