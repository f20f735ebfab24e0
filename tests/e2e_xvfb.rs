//! End to end: the real `usher` binary in a real window under Xvfb, fed a `dir:` source of
//! generated pass images, with a screens folder of solid-colour backgrounds. Screenshots of the
//! X root window must show the accepted screen, then the used screen (the same pass seen again
//! after the debounce window), and the ledger must hold exactly one sign-in.
//!
//! The door: a family's pass (`p` 3) at an `in-out` kiosk shows the party prompt, a tap on
//! "3" (xdotool) closes it and `usher inside` counts 3; seen again after the minimum stay it is
//! `qr_goodbye` and `usher inside` counts 0.
//!
//! Needs `Xvfb`, ImageMagick's `import` and `xdotool` (apt: xvfb imagemagick xdotool, plus the
//! Mesa GL packages);
//! without them the test says so and passes, unless USHER_E2E_REQUIRED=1.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::usher_ok as usher;

const READY: [u8; 3] = [0, 0, 255];
const ACCEPTED: [u8; 3] = [0, 255, 0];
const USED: [u8; 3] = [255, 0, 0];

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn solid(path: &Path, rgb: [u8; 3]) {
    image::RgbImage::from_pixel(64, 36, image::Rgb(rgb))
        .save(path)
        .expect("write png");
}

fn start_xvfb() -> Option<(Killed, String)> {
    let base = 70 + std::process::id() % 100;
    for n in base..base + 20 {
        if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
            || Path::new(&format!("/tmp/.X{n}-lock")).exists()
        {
            continue;
        }
        let display = format!(":{n}");
        let child = Command::new("Xvfb")
            .args([&display, "-screen", "0", "1280x720x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let guard = Killed(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                return Some((guard, display));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    None
}

fn screenshot(display: &str, out: &Path) -> Option<image::RgbImage> {
    let status = Command::new("import")
        .args(["-window", "root"])
        .arg(out)
        .env("DISPLAY", display)
        .stderr(Stdio::null())
        .status()
        .ok()?;
    if !status.success() {
        return None;
    }
    image::open(out).ok().map(|i| i.to_rgb8())
}

/// The kiosk in a window on `display`, reading `dir/frames` at 1 fps, logging to `kiosk.log`.
fn start_kiosk(dir: &Path, display: &str) -> Killed {
    let log = std::fs::File::create(dir.join("kiosk.log")).expect("log");
    let kiosk = Command::new(env!("CARGO_BIN_EXE_usher"))
        .args([
            "--settings",
            "settings.xml",
            "--source",
            "dir:frames",
            "--fps",
            "1",
            "--windowed",
        ])
        .current_dir(dir)
        .env("DISPLAY", display)
        .env("USHER_LOG", "info")
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start usher");
    Killed(kiosk)
}

fn close(a: [u8; 3], b: [u8; 3]) -> bool {
    support::colour_close(a, b, 40)
}

#[test]
fn accepted_then_used_on_screen_and_one_sign_in_in_the_ledger() {
    let required = std::env::var("USHER_E2E_REQUIRED").is_ok_and(|v| v == "1");
    if !have("Xvfb") || !have("import") {
        assert!(!required, "Xvfb and ImageMagick's import are required");
        eprintln!("skipped: needs Xvfb and ImageMagick (apt-get install xvfb imagemagick)");
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    usher(dir, &["keygen", "--out", "org.pem"]);
    std::fs::create_dir(dir.join("screens")).expect("mkdir");
    solid(&dir.join("screens/ready.png"), READY);
    solid(&dir.join("screens/qr_accepted.png"), ACCEPTED);
    solid(&dir.join("screens/qr_used.png"), USED);
    let frames = dir.join("frames");
    std::fs::create_dir(&frames).expect("mkdir");
    // One pass image then seven empty ones at 1 fps: the pass is seen every 8 s, past the 5 s
    // debounce, so the second sighting is qr_used.
    let pass_png = frames.join("00.png");
    usher(
        dir,
        &[
            "issue",
            "--key-file",
            "org.pem",
            "--valid-for",
            "1d",
            "--name",
            "E2E Visitor",
            "--png",
            pass_png.to_str().expect("utf-8 path"),
        ],
    );
    let (w, h) = image::image_dimensions(&pass_png).expect("png");
    for i in 1..8 {
        image::GrayImage::from_pixel(w, h, image::Luma([255]))
            .save(frames.join(format!("{i:02}.png")))
            .expect("blank");
    }
    let settings = dir.join("settings.xml");
    std::fs::write(
        &settings,
        "<?xml version=\"1.0\"?>\n<settings>\n<deviceId>door-e2e</deviceId>\n\
         <acceptedSchemes>ed25519</acceptedSchemes>\n<publicKeyFile>org.pem.pub</publicKeyFile>\n\
         <resultSeconds>3</resultSeconds>\n<adminPin>2468</adminPin>\n<sound>false</sound>\n</settings>\n",
    )
    .expect("settings");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&settings, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }

    let Some((_xvfb, display)) = start_xvfb() else {
        assert!(!required, "Xvfb did not start");
        eprintln!("skipped: Xvfb did not start");
        return;
    };
    let mut kiosk = start_kiosk(dir, &display);

    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-shots");
    std::fs::create_dir_all(&shots).expect("mkdir");
    let mut seen: Vec<&str> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut n = 0;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = kiosk.0.try_wait() {
            panic!(
                "usher exited early ({status}): {}",
                std::fs::read_to_string(dir.join("kiosk.log")).unwrap_or_default()
            );
        }
        let path = shots.join(format!("shot{n:03}.png"));
        n += 1;
        if let Some(img) = screenshot(&display, &path) {
            let p = img.get_pixel(img.width() / 20, img.height() / 2).0;
            let name = if close(p, READY) {
                "ready"
            } else if close(p, ACCEPTED) {
                "qr_accepted"
            } else if close(p, USED) {
                "qr_used"
            } else {
                "other"
            };
            if seen.last() != Some(&name) {
                seen.push(name);
                let _ = std::fs::copy(&path, shots.join(format!("{name}.png")));
            }
            if seen.contains(&"qr_used") {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    drop(kiosk);
    let log = std::fs::read_to_string(dir.join("kiosk.log")).unwrap_or_default();
    let accepted_at = seen.iter().position(|s| *s == "qr_accepted");
    let used_at = seen.iter().position(|s| *s == "qr_used");
    assert!(
        matches!((accepted_at, used_at), (Some(a), Some(u)) if a < u),
        "screens seen: {seen:?}\nkiosk log:\n{log}"
    );
    assert!(seen.contains(&"ready"), "ready never shown: {seen:?}");

    let ledger = usher::ledger::SqliteLedger::open(&dir.join("usher.db")).expect("ledger");
    assert_eq!(ledger.local_uses().expect("count"), 1, "kiosk log:\n{log}");
    let today = ledger.counts_since(0).expect("counts");
    assert_eq!(today.get("qr_accepted"), Some(&1), "{today:?}");
    assert_eq!(today.get("qr_used"), Some(&1), "{today:?}");
}

const GOODBYE: [u8; 3] = [255, 255, 0];
const DOOR_PASSWORD: &str = "a door password of some length";

/// What a screenshot shows: the screen by its background, and whether the party prompt's
/// dark band covers the lower part.
fn door_screen(img: &image::RgbImage) -> (&'static str, bool) {
    let p = img.get_pixel(img.width() / 20, img.height() / 2).0;
    let name = if close(p, READY) {
        "ready"
    } else if close(p, ACCEPTED) {
        "qr_accepted"
    } else if close(p, GOODBYE) {
        "qr_goodbye"
    } else {
        "other"
    };
    let band = img.get_pixel(img.width() / 20, img.height() * 9 / 10).0;
    (name, name == "qr_accepted" && band[1] < 200)
}

/// The centres of the party prompt's buttons, left to right, found along the row through
/// them (grey buttons with white digits on the darkened green band).
fn party_buttons(img: &image::RgbImage) -> Vec<(u32, u32)> {
    let y = img.height() * 79 / 100;
    let mut centres = Vec::new();
    let mut run: Option<u32> = None;
    for x in 0..img.width() {
        let [r, g, b] = img.get_pixel(x, y).0;
        let grey = r.abs_diff(g) < 20 && g.abs_diff(b) < 20 && r > 30;
        match (grey, run) {
            (true, None) => run = Some(x),
            (false, Some(start)) => {
                if x - start > 40 {
                    centres.push(((start + x) / 2, y));
                }
                run = None;
            }
            _ => {}
        }
    }
    centres
}

fn inside(dir: &Path) -> Vec<String> {
    usher(dir, &["inside", "--settings", "settings.xml"])
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_party_of_three_comes_in_with_a_tap_and_leaves_again() {
    let required = std::env::var("USHER_E2E_REQUIRED").is_ok_and(|v| v == "1");
    if !have("Xvfb") || !have("import") || !have("xdotool") {
        assert!(
            !required,
            "Xvfb, ImageMagick's import and xdotool are required"
        );
        eprintln!("skipped: needs Xvfb, ImageMagick and xdotool");
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    std::fs::create_dir(dir.join("screens")).expect("mkdir");
    solid(&dir.join("screens/ready.png"), READY);
    solid(&dir.join("screens/qr_accepted.png"), ACCEPTED);
    solid(&dir.join("screens/qr_goodbye.png"), GOODBYE);
    let frames = dir.join("frames");
    std::fs::create_dir(&frames).expect("mkdir");
    // The first frame may be judged before the window is up, so the prompt can be the first
    // thing drawn. The family's pass, then fourteen empty frames at 1 fps: seen every 15 s, past the
    // debounce and the minimum stay, so the second sighting is the exit.
    let family = usher_core::issue::pass_text(
        "https://venue.example/p",
        r#"{"s1":"Ada Lovelace","p":3,"expiry":1900000000,"n":"e2e-family"}"#,
        &usher_core::Signer::HmacSha256(usher_core::Secret::from(DOOR_PASSWORD)),
    );
    let frame = usher::camera::demo::frame_for(Some(&family)).to_gray_image();
    frame.save(frames.join("00.png")).expect("pass frame");
    for i in 1..15 {
        image::GrayImage::from_pixel(frame.width(), frame.height(), image::Luma([200]))
            .save(frames.join(format!("{i:02}.png")))
            .expect("blank");
    }
    let settings = dir.join("settings.xml");
    std::fs::write(
        &settings,
        format!(
            "<?xml version=\"1.0\"?>\n<settings>\n<deviceId>door-e2e</deviceId>\n\
             <qrCodeAuthRequired>true</qrCodeAuthRequired>\n\
             <qrCodeAuthPassword>{DOOR_PASSWORD}</qrCodeAuthPassword>\n\
             <acceptedSchemes>hmac-sha256</acceptedSchemes>\n<reusePolicy>daily</reusePolicy>\n\
             <doorMode>in-out</doorMode>\n<minStaySeconds>8</minStaySeconds>\n\
             <resultSeconds>8</resultSeconds>\n<adminPin>2468</adminPin>\n\
             <volunteerPin>1357</volunteerPin>\n<sound>false</sound>\n</settings>\n"
        ),
    )
    .expect("settings");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&settings, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    assert_eq!(inside(dir), ["main\t0\t-", "total\t0\t-"]);

    let Some((_xvfb, display)) = start_xvfb() else {
        assert!(!required, "Xvfb did not start");
        eprintln!("skipped: Xvfb did not start");
        return;
    };
    let mut kiosk = start_kiosk(dir, &display);
    let kiosk_log = || std::fs::read_to_string(dir.join("kiosk.log")).unwrap_or_default();

    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-party-shots");
    std::fs::create_dir_all(&shots).expect("mkdir");
    let mut seen: Vec<String> = Vec::new();
    let mut tapped = false;
    let mut inside_after_tap = None;
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut n = 0;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = kiosk.0.try_wait() {
            panic!("usher exited early ({status}): {}", kiosk_log());
        }
        let path = shots.join(format!("shot{n:03}.png"));
        n += 1;
        let Some(img) = screenshot(&display, &path) else {
            std::thread::sleep(Duration::from_millis(250));
            continue;
        };
        let (name, prompt) = door_screen(&img);
        let label = if prompt {
            "party_prompt".to_owned()
        } else {
            name.to_owned()
        };
        if seen.last() != Some(&label) {
            let _ = std::fs::copy(&path, shots.join(format!("{label}.png")));
            seen.push(label.clone());
        }
        if prompt && !tapped {
            let buttons = party_buttons(&img);
            assert_eq!(buttons.len(), 3, "buttons 1..3 on the prompt: {buttons:?}");
            let (x, y) = buttons[2];
            let clicked = Command::new("xdotool")
                .args(["mousemove", &x.to_string(), &y.to_string(), "click", "1"])
                .env("DISPLAY", display.as_str())
                .status()
                .expect("xdotool");
            assert!(clicked.success());
            tapped = true;
        }
        if tapped && inside_after_tap.is_none() && name == "qr_accepted" && !prompt {
            // The prompt closed on the tap, the accepted screen stays: the count is in.
            inside_after_tap = Some(inside(dir));
        }
        if name == "qr_goodbye" {
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    let after_exit = inside(dir);
    drop(kiosk);
    let log = kiosk_log();
    assert!(tapped, "no party prompt seen: {seen:?}\n{log}");
    let order: Vec<&str> = seen
        .iter()
        .map(String::as_str)
        .filter(|s| *s != "other")
        .collect();
    let at = |s: &str| order.iter().position(|o| *o == s);
    assert!(
        matches!(
            (at("party_prompt"), at("qr_accepted"), at("ready"), at("qr_goodbye")),
            (Some(p), Some(a), Some(r), Some(g)) if p < a && a < r && r < g
        ),
        "screens seen: {seen:?}\nkiosk log:\n{log}"
    );
    assert_eq!(
        inside_after_tap.as_deref(),
        Some(&["main\t3\t-".to_owned(), "total\t3\t-".to_owned()][..]),
        "{log}"
    );
    assert_eq!(after_exit, ["main\t0\t-", "total\t0\t-"], "{log}");
    let mut ledger = usher::ledger::SqliteLedger::open(&dir.join("usher.db")).expect("ledger");
    let today = ledger.counts_since(0).expect("counts");
    assert_eq!(today.get("qr_accepted"), Some(&1), "{today:?}");
    assert_eq!(today.get("qr_goodbye"), Some(&1), "{today:?}");
    let waiting = ledger.pending_batch(10).expect("batch");
    assert_eq!(
        waiting.len(),
        1,
        "the entry waits for upload, no longer held"
    );
}
