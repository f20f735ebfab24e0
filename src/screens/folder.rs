//! The screens folder: which file plays which part, loading, and noticing changes.
//!
//! Loading happens on the pipeline side (never in the UI thread): the folder is polled about once
//! a second by its files' names, sizes and modification times, and a changed folder is loaded
//! again into a fresh [`ScreenSet`] that is sent to the UI. A file that fails to load is logged
//! once (per file version) and its screen falls back to the built-in one.
//!
//! A subfolder named by a language code (`ar/`, `ur/`, `fr/`, `tr/`, `en/`) holds that
//! language's `NAME.txt` messages, which win over the folder's own `NAME.txt` when the kiosk
//! speaks that language ([`Screen::text_for`]). Nothing else is read from it, and no other
//! subfolder is read at all (each is logged once).

use super::placement::Placement;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;
use usher_i18n::Lang;

/// Every screen the folder can hold, `ready` first.
pub const SCREEN_NAMES: [&str; 10] = [
    "ready",
    "qr_accepted",
    "qr_used",
    "qr_expired",
    "qr_not_authorized",
    "qr_invalid",
    "qr_missing_parameters",
    // The door's (DESIGN §8).
    "qr_goodbye",
    "qr_full",
    "qr_too_early",
];

/// What a file in the folder is for.
#[derive(Debug, Clone, PartialEq)]
pub enum Role {
    /// `NAME.jpg` / `.jpeg` / `.png`: full-screen background.
    Background,
    /// `NAME.gif`, `NAME_loop.gif`, with optional `_{MODS}`.
    Animation {
        /// Played in a loop.
        looped: bool,
        /// Where it is drawn.
        placement: Placement,
    },
    /// `NAME.wav` / `.ogg` / `.mp3`.
    Sound,
    /// `NAME.txt`: the message template.
    Text,
}

/// Reads a file name: which screen and which role, or why it is not a screens file.
pub fn classify(file_name: &str) -> Result<(&'static str, Role), String> {
    let (stem, ext) = file_name
        .rsplit_once('.')
        .ok_or_else(|| format!("{file_name}: no extension"))?;
    let ext = ext.to_ascii_lowercase();
    let screen = |name: &str| {
        SCREEN_NAMES
            .iter()
            .copied()
            .find(|n| *n == name)
            .ok_or_else(|| format!("{file_name}: {name:?} is no screen name"))
    };
    match ext.as_str() {
        "jpg" | "jpeg" | "png" => Ok((screen(stem)?, Role::Background)),
        "wav" | "ogg" | "mp3" => Ok((screen(stem)?, Role::Sound)),
        "txt" => Ok((screen(stem)?, Role::Text)),
        "gif" => {
            let (rest, placement) = match stem.strip_suffix('}').and_then(|s| s.rsplit_once("_{")) {
                Some((rest, mods)) => (
                    rest,
                    Placement::parse(mods).map_err(|e| format!("{file_name}: {e}"))?,
                ),
                None => (stem, Placement::default()),
            };
            let (name, looped) = match rest.strip_suffix("_loop") {
                Some(name) if SCREEN_NAMES.contains(&name) => (name, true),
                _ => (rest, false),
            };
            Ok((screen(name)?, Role::Animation { looped, placement }))
        }
        _ => Err(format!("{file_name}: unknown extension")),
    }
}

/// A decoded picture, RGBA8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// RGBA8 pixels, row by row.
    pub rgba: Arc<Vec<u8>>,
}

/// A decoded animation.
#[derive(Debug, Clone, PartialEq)]
pub struct Animation {
    /// Frames with their delays in milliseconds.
    pub frames: Vec<(Picture, u32)>,
    /// Played in a loop (else once, then held on its last frame).
    pub looped: bool,
    /// Where it is drawn.
    pub placement: Placement,
    /// The file, for logs and texture names.
    pub file: PathBuf,
}

impl Animation {
    /// The frame to show `elapsed_ms` after the screen appeared.
    pub fn frame_at(&self, elapsed_ms: u64) -> usize {
        let delays: Vec<u64> = self
            .frames
            .iter()
            .map(|(_, d)| u64::from((*d).max(10)))
            .collect();
        let total: u64 = delays.iter().sum();
        if delays.is_empty() {
            return 0;
        }
        let mut t = if self.looped {
            elapsed_ms % total
        } else if elapsed_ms >= total {
            return delays.len() - 1;
        } else {
            elapsed_ms
        };
        for (i, d) in delays.iter().enumerate() {
            if t < *d {
                return i;
            }
            t -= d;
        }
        delays.len() - 1
    }

    /// Milliseconds until the frame after the one at `elapsed_ms` (for repaint timing).
    pub fn next_change(&self, elapsed_ms: u64) -> Option<u64> {
        if self.frames.len() < 2 {
            return None;
        }
        let total: u64 = self
            .frames
            .iter()
            .map(|(_, d)| u64::from((*d).max(10)))
            .sum();
        if !self.looped && elapsed_ms >= total {
            return None;
        }
        let mut t = elapsed_ms % total;
        for (_, d) in &self.frames {
            let d = u64::from((*d).max(10));
            if t < d {
                return Some(d - t);
            }
            t -= d;
        }
        Some(1)
    }
}

/// Everything the folder holds for one screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Screen {
    /// The background picture.
    pub background: Option<Picture>,
    /// Animations, drawn in file-name order.
    pub animations: Vec<Animation>,
    /// The sound file's bytes.
    pub sound: Option<(PathBuf, Arc<Vec<u8>>)>,
    /// The message template.
    pub text: Option<String>,
    /// The message template per language (`screens/LANG/NAME.txt`).
    pub texts: BTreeMap<Lang, String>,
}

impl Screen {
    /// The message template for `lang`: its own (`screens/LANG/NAME.txt`), else the plain one.
    pub fn text_for(&self, lang: Lang) -> Option<&str> {
        self.texts
            .get(&lang)
            .or(self.text.as_ref())
            .map(String::as_str)
    }
}

/// The language whose messages a subfolder of this name holds (`ar`, exactly: no region, no
/// capitals).
fn language_folder(name: &str) -> Option<Lang> {
    Lang::ALL.into_iter().find(|l| l.code() == name)
}

/// The loaded folder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScreenSet {
    /// Screens by name; a name absent here is drawn built in.
    pub screens: BTreeMap<&'static str, Screen>,
    /// Bumped on every load, so the UI knows to replace its textures.
    pub generation: u64,
}

impl ScreenSet {
    /// The folder's files for `name`, if any.
    pub fn get(&self, name: &str) -> Option<&Screen> {
        self.screens.get(name)
    }
}

type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;

/// The files of `dir` into `out`, with their sizes and times; with `languages`, also the files
/// of its language subfolders (one level), and every other subfolder as an entry of its own
/// (for `load` to log).
fn list_files(dir: &Path, languages: bool, out: &mut Fingerprint) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        // Symbolic links are listed as they are (their own size and time): `load` decides
        // whether their target may be read. A link to a folder is never followed.
        let path = e.path();
        let meta = match e.file_type() {
            Ok(t) if t.is_symlink() => std::fs::symlink_metadata(&path),
            _ => e.metadata(),
        };
        let Ok(meta) = meta else { continue };
        if meta.is_file() || meta.file_type().is_symlink() {
            out.push((path, meta.len(), meta.modified().ok()));
        } else if languages && meta.is_dir() {
            let name = e.file_name();
            match name.to_str().and_then(language_folder) {
                Some(_) => list_files(&path, false, out),
                None if name.to_string_lossy().starts_with('.') => {}
                None => out.push((path, 0, meta.modified().ok())),
            }
        }
    }
}

/// Watches and loads a screens folder.
#[derive(Debug)]
pub struct Folder {
    dir: PathBuf,
    fingerprint: Option<Fingerprint>,
    logged: HashSet<(PathBuf, Option<SystemTime>)>,
    generation: u64,
    /// The longest side a background is kept at (larger ones are scaled down on load).
    pub max_side: u32,
}

impl Folder {
    /// A watcher of `dir` (which may not exist yet).
    pub fn new(dir: &Path) -> Self {
        Folder {
            dir: dir.to_owned(),
            fingerprint: None,
            logged: HashSet::new(),
            generation: 0,
            max_side: 1920,
        }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many file problems have been logged so far (each file version once).
    pub fn problems_logged(&self) -> usize {
        self.logged.len()
    }

    fn fingerprint(&self) -> Fingerprint {
        let mut out = Vec::new();
        list_files(&self.dir, true, &mut out);
        out.sort();
        out
    }

    /// Loads the folder when it changed since the last call (always on the first call).
    pub fn poll(&mut self) -> Option<ScreenSet> {
        let now = self.fingerprint();
        if self.fingerprint.as_ref() == Some(&now) {
            return None;
        }
        self.fingerprint = Some(now.clone());
        Some(self.load(&now))
    }

    /// Loads the folder now, changed or not (the admin's "reload screens").
    pub fn reload(&mut self) -> ScreenSet {
        let now = self.fingerprint();
        self.fingerprint = Some(now.clone());
        self.load(&now)
    }

    /// Whether `path` (a symbolic link, perhaps) is a regular file inside the folder: a link
    /// pointing out of it (to `/etc/shadow`, a FIFO, a device) is never read.
    fn inside(&self, path: &Path) -> Result<(), String> {
        let is_link = std::fs::symlink_metadata(path)
            .map(|m| m.file_type().is_symlink())
            .unwrap_or(false);
        if !is_link {
            return Ok(());
        }
        let dir = std::fs::canonicalize(&self.dir).map_err(|e| e.to_string())?;
        let target = std::fs::canonicalize(path).map_err(|e| format!("a link to nothing ({e})"))?;
        if !target.starts_with(&dir) {
            return Err("a link pointing out of the screens folder".into());
        }
        if !std::fs::metadata(&target).is_ok_and(|m| m.is_file()) {
            return Err("a link to something that is no file".into());
        }
        Ok(())
    }

    fn log_once(&mut self, path: &Path, mtime: Option<SystemTime>, message: &str) {
        if self.logged.insert((path.to_owned(), mtime)) {
            tracing::warn!("screens: {message}; using the built-in screen");
        }
    }

    fn load(&mut self, files: &Fingerprint) -> ScreenSet {
        self.generation += 1;
        let mut set = ScreenSet {
            screens: BTreeMap::new(),
            generation: self.generation,
        };
        for (path, _, mtime) in files {
            let Some(file_name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if file_name.starts_with('.') {
                continue;
            }
            if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
                let message = format!(
                    "ignored folder {file_name}/: not a language code ({})",
                    language_codes()
                );
                self.log_once(path, *mtime, &message);
                continue;
            }
            if let Err(e) = self.inside(path) {
                self.log_once(path, *mtime, &format!("ignored {file_name}: {e}"));
                continue;
            }
            let language = path
                .parent()
                .filter(|p| *p != self.dir)
                .and_then(|p| p.file_name()?.to_str())
                .and_then(language_folder);
            if let Some(lang) = language {
                self.load_language_text(&mut set, lang, path, *mtime);
                continue;
            }
            let (name, role) = match classify(file_name) {
                Ok(x) => x,
                Err(e) => {
                    self.log_once(path, *mtime, &format!("ignored {e}"));
                    continue;
                }
            };
            let loaded = match &role {
                Role::Background => load_picture(path, self.max_side).map(|p| {
                    set.screens.entry(name).or_default().background = Some(p);
                }),
                Role::Animation { looped, placement } => {
                    load_gif(path, *looped, *placement).map(|a| {
                        let s = set.screens.entry(name).or_default();
                        s.animations.push(a);
                    })
                }
                Role::Sound => read_capped(path, MAX_SOUND_BYTES).map(|b| {
                    set.screens.entry(name).or_default().sound = Some((path.clone(), Arc::new(b)));
                }),
                Role::Text => read_text(path).map(|t| {
                    set.screens.entry(name).or_default().text = Some(t);
                }),
            };
            if let Err(e) = loaded {
                self.log_once(
                    path,
                    *mtime,
                    &format!("cannot load {}: {e}", path.display()),
                );
            }
        }
        set
    }

    /// `screens/LANG/NAME.txt` into `set`; any other file there is logged and left alone.
    fn load_language_text(
        &mut self,
        set: &mut ScreenSet,
        lang: Lang,
        path: &Path,
        mtime: Option<SystemTime>,
    ) {
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let shown = format!("{}/{file_name}", lang.code());
        let name = match classify(file_name) {
            Ok((name, Role::Text)) => name,
            Ok(_) => {
                let message = format!("ignored {shown}: a language folder holds only NAME.txt");
                self.log_once(path, mtime, &message);
                return;
            }
            Err(e) => {
                self.log_once(path, mtime, &format!("ignored {}/{e}", lang.code()));
                return;
            }
        };
        match read_text(path) {
            Ok(text) => {
                set.screens
                    .entry(name)
                    .or_default()
                    .texts
                    .insert(lang, text);
            }
            Err(e) => {
                let message = format!("cannot load {}: {e}", path.display());
                self.log_once(path, mtime, &message);
            }
        }
    }
}

/// `en, ar, ur, fr, tr`: the subfolders the screens folder reads.
fn language_codes() -> String {
    Lang::ALL.map(Lang::code).join(", ")
}

/// A message template: at most [`MAX_TEXT_BYTES`] of UTF-8, trailing blanks cut.
fn read_text(path: &Path) -> Result<String, String> {
    let bytes = read_capped(path, MAX_TEXT_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_owned())?;
    Ok(text.trim_end().to_owned())
}

/// Largest sound file read.
pub const MAX_SOUND_BYTES: u64 = 32 << 20;
/// Largest message template read.
pub const MAX_TEXT_BYTES: u64 = 64 << 10;

/// Reads a file of at most `max` bytes (a larger one is refused without reading it all).
fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut out)
        .map_err(|e| e.to_string())?;
    if out.len() as u64 > max {
        return Err(format!("larger than {} KiB", max >> 10));
    }
    Ok(out)
}

fn picture(img: image::RgbaImage) -> Picture {
    Picture {
        width: img.width(),
        height: img.height(),
        rgba: Arc::new(img.into_raw()),
    }
}

/// The longest side of a picture or animation canvas the folder decodes at all.
pub const MAX_DECODED_SIDE: u32 = 8192;
/// Most bytes one decode may allocate (a picture, or one animation frame).
pub const MAX_DECODE_ALLOC: u64 = 128 << 20;
/// Most frames an animation may have.
pub const MAX_FRAMES: usize = 2000;
/// Most bytes all of an animation's decoded frames may take together.
pub const MAX_ANIMATION_BYTES: usize = 256 << 20;

/// The decoder limits for the folder's files: a file declaring a huge canvas is refused before
/// its pixels are allocated.
fn limits() -> image::Limits {
    let mut l = image::Limits::default();
    l.max_image_width = Some(MAX_DECODED_SIDE);
    l.max_image_height = Some(MAX_DECODED_SIDE);
    l.max_alloc = Some(MAX_DECODE_ALLOC);
    l
}

/// Decodes a still picture, scaled down so its longest side is at most `max_side`.
pub fn load_picture(path: &Path, max_side: u32) -> Result<Picture, String> {
    let mut reader = image::ImageReader::open(path)
        .map_err(|e| e.to_string())?
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    reader.limits(limits());
    let img = reader.decode().map_err(|e| e.to_string())?;
    let img = if img.width().max(img.height()) > max_side {
        img.resize(max_side, max_side, image::imageops::FilterType::Triangle)
    } else {
        img
    };
    Ok(picture(img.to_rgba8()))
}

/// Decodes every frame of a GIF with its delay.
pub fn load_gif(path: &Path, looped: bool, placement: Placement) -> Result<Animation, String> {
    use image::AnimationDecoder;
    let file = std::io::BufReader::new(std::fs::File::open(path).map_err(|e| e.to_string())?);
    let mut decoder = image::codecs::gif::GifDecoder::new(file).map_err(|e| e.to_string())?;
    image::ImageDecoder::set_limits(&mut decoder, limits()).map_err(|e| e.to_string())?;
    let mut frames = Vec::new();
    let mut bytes = 0usize;
    for frame in decoder.into_frames() {
        if frames.len() >= MAX_FRAMES {
            return Err(format!("more than {MAX_FRAMES} frames"));
        }
        let frame = frame.map_err(|e| e.to_string())?;
        let (num, den) = frame.delay().numer_denom_ms();
        let delay = num.checked_div(den).unwrap_or(100);
        let pic = picture(frame.into_buffer());
        bytes = bytes.saturating_add(pic.rgba.len());
        if bytes > MAX_ANIMATION_BYTES {
            return Err(format!(
                "its frames need more than {} MiB decoded",
                MAX_ANIMATION_BYTES >> 20
            ));
        }
        frames.push((pic, delay));
    }
    if frames.is_empty() {
        return Err("no frames".into());
    }
    Ok(Animation {
        frames,
        looped,
        placement,
        file: path.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screens::placement::Length;

    #[test]
    fn classifies_file_names() {
        assert_eq!(classify("ready.png"), Ok(("ready", Role::Background)));
        assert_eq!(
            classify("qr_accepted.JPEG"),
            Ok(("qr_accepted", Role::Background))
        );
        assert_eq!(classify("qr_used.mp3"), Ok(("qr_used", Role::Sound)));
        assert_eq!(classify("qr_invalid.txt"), Ok(("qr_invalid", Role::Text)));
        assert_eq!(
            classify("qr_accepted.gif"),
            Ok((
                "qr_accepted",
                Role::Animation {
                    looped: false,
                    placement: Placement::default()
                }
            ))
        );
        assert_eq!(
            classify("ready_loop.gif"),
            Ok((
                "ready",
                Role::Animation {
                    looped: true,
                    placement: Placement::default()
                }
            ))
        );
        let Ok((
            "qr_expired",
            Role::Animation {
                looped: true,
                placement,
            },
        )) = classify("qr_expired_loop_{l%50t%50}.gif")
        else {
            panic!("not parsed");
        };
        assert_eq!(placement.left, Some(Length::Percent(50.0)));
        let Ok((
            "qr_used",
            Role::Animation {
                looped: false,
                placement,
            },
        )) = classify("qr_used_{B10%R20%}.gif")
        else {
            panic!("not parsed");
        };
        assert_eq!(placement.right, Some(Length::Percent(20.0)));
    }

    #[test]
    fn rejects_other_files() {
        for bad in [
            "readme",
            "notes.doc",
            "welcome.png",
            "qr_used_{X1}.gif",
            "qr_used_loop_.gif",
        ] {
            assert!(classify(bad).is_err(), "{bad}");
        }
    }

    fn anim(delays: &[u32], looped: bool) -> Animation {
        let pic = Picture {
            width: 1,
            height: 1,
            rgba: Arc::new(vec![0; 4]),
        };
        Animation {
            frames: delays.iter().map(|d| (pic.clone(), *d)).collect(),
            looped,
            placement: Placement::default(),
            file: PathBuf::new(),
        }
    }

    #[test]
    fn frame_delays_are_honoured() {
        let a = anim(&[100, 300, 50], true);
        assert_eq!(a.frame_at(0), 0);
        assert_eq!(a.frame_at(99), 0);
        assert_eq!(a.frame_at(100), 1);
        assert_eq!(a.frame_at(399), 1);
        assert_eq!(a.frame_at(400), 2);
        assert_eq!(a.frame_at(450), 0);
        assert_eq!(a.next_change(120), Some(280));
        let once = anim(&[100, 300, 50], false);
        assert_eq!(once.frame_at(10_000), 2);
        assert_eq!(once.next_change(10_000), None);
    }

    #[test]
    fn loads_changes_and_logs_bad_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut folder = Folder::new(dir.path());
        let first = folder.poll().unwrap();
        assert!(first.screens.is_empty());
        assert!(folder.poll().is_none(), "unchanged folder is not reloaded");
        image::RgbaImage::from_pixel(8, 4, image::Rgba([0, 200, 0, 255]))
            .save(dir.path().join("qr_accepted.png"))
            .unwrap();
        std::fs::write(dir.path().join("qr_accepted.txt"), "Hi {name}\n").unwrap();
        std::fs::write(dir.path().join("qr_used.png"), b"not a png").unwrap();
        let set = folder.poll().unwrap();
        let acc = set.get("qr_accepted").unwrap();
        assert_eq!(acc.background.as_ref().unwrap().width, 8);
        assert_eq!(acc.text.as_deref(), Some("Hi {name}"));
        assert!(
            set.get("qr_used").is_none(),
            "broken file falls back to built in"
        );
        assert!(set.generation > first.generation);
        std::fs::remove_file(dir.path().join("qr_accepted.png")).unwrap();
        let set = folder.poll().unwrap();
        assert!(set.get("qr_accepted").unwrap().background.is_none());
    }

    #[test]
    fn links_out_of_the_folder_and_oversized_files_fall_back_once() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("screens");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(root.path().join("outside.txt"), "outside").unwrap();
        std::fs::write(dir.join("inside.text"), "inside").unwrap();
        std::os::unix::fs::symlink(root.path().join("outside.txt"), dir.join("qr_used.txt"))
            .unwrap();
        std::os::unix::fs::symlink(dir.join("inside.text"), dir.join("qr_accepted.txt")).unwrap();
        let big = std::fs::File::create(dir.join("ready.wav")).unwrap();
        big.set_len(MAX_SOUND_BYTES + 1).unwrap();
        let mut folder = Folder::new(&dir);
        let set = folder.poll().unwrap();
        assert!(
            set.get("qr_used").is_none(),
            "a link out of the folder is not read"
        );
        assert!(set.get("ready").is_none(), "an oversized sound is not read");
        assert_eq!(
            set.get("qr_accepted").and_then(|s| s.text.as_deref()),
            Some("inside")
        );
        // inside.text (unknown extension), the link out, the big sound.
        assert_eq!(folder.problems_logged(), 3);
        folder.reload();
        assert_eq!(folder.problems_logged(), 3, "each problem is logged once");
    }

    #[test]
    fn loads_a_gif_with_delays() {
        use image::codecs::gif::{GifEncoder, Repeat};
        use image::{Delay, Frame};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ready_loop_{T10%W10%}.gif");
        {
            let mut enc = GifEncoder::new(std::fs::File::create(&path).unwrap());
            enc.set_repeat(Repeat::Infinite).unwrap();
            for (c, ms) in [(0u8, 100u32), (255, 250)] {
                let buf = image::RgbaImage::from_pixel(4, 4, image::Rgba([c, c, c, 255]));
                enc.encode_frame(Frame::from_parts(
                    buf,
                    0,
                    0,
                    Delay::from_numer_denom_ms(ms, 1),
                ))
                .unwrap();
            }
        }
        let a = load_gif(&path, true, Placement::default()).unwrap();
        assert_eq!(a.frames.len(), 2);
        assert_eq!(a.frames[0].1, 100);
        assert_eq!(a.frames[1].1, 250);
        let mut folder = Folder::new(dir.path());
        let set = folder.poll().unwrap();
        assert_eq!(set.get("ready").unwrap().animations.len(), 1);
    }

    #[test]
    fn language_folders_hold_messages_and_hostile_ones_fall_back_once() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("screens");
        for sub in ["", "ar", "ur", "fr", "tr", "de", "AR"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        std::fs::write(dir.join("qr_accepted.txt"), "Welcome {name}").unwrap();
        std::fs::write(dir.join("ar/qr_accepted.txt"), "أهلاً {name}\n").unwrap();
        std::fs::write(dir.join("ur/ready.txt"), "پاس دکھائیں").unwrap();
        // Not UTF-8; too large; not a message; no screen; in a folder no language has.
        std::fs::write(dir.join("ur/qr_used.txt"), [0xff, 0xfe, b'x']).unwrap();
        let big = std::fs::File::create(dir.join("fr/qr_used.txt")).unwrap();
        big.set_len(MAX_TEXT_BYTES + 1).unwrap();
        image::RgbaImage::from_pixel(2, 2, image::Rgba([0, 0, 0, 255]))
            .save(dir.join("fr/ready.png"))
            .unwrap();
        std::fs::write(dir.join("tr/welcome.txt"), "Merhaba").unwrap();
        std::fs::write(dir.join("de/qr_accepted.txt"), "Willkommen").unwrap();
        std::fs::write(dir.join("AR/qr_accepted.txt"), "x").unwrap();
        // A link out of the folder from inside a language folder is never read.
        std::fs::write(root.path().join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(root.path().join("secret.txt"), dir.join("tr/qr_full.txt"))
            .unwrap();
        let mut folder = Folder::new(&dir);
        let set = folder.poll().unwrap();
        let accepted = set.get("qr_accepted").unwrap();
        assert_eq!(accepted.text.as_deref(), Some("Welcome {name}"));
        assert_eq!(
            accepted.texts.get(&Lang::Ar).map(String::as_str),
            Some("أهلاً {name}")
        );
        assert_eq!(accepted.text_for(Lang::Ar), Some("أهلاً {name}"));
        assert_eq!(accepted.text_for(Lang::Fr), Some("Welcome {name}"));
        let ready = set.get("ready").unwrap();
        assert_eq!(ready.text_for(Lang::Ur), Some("پاس دکھائیں"));
        assert_eq!(ready.text_for(Lang::En), None);
        assert!(
            ready.background.is_none(),
            "a picture in a language folder is not read"
        );
        assert!(
            set.get("qr_used").is_none(),
            "bad UTF-8 and an oversized file fall back"
        );
        assert!(
            set.get("qr_full").is_none(),
            "a link out of the folder is not read"
        );
        // ur/qr_used.txt, fr/qr_used.txt, fr/ready.png, tr/welcome.txt, tr/qr_full.txt, de/, AR/.
        assert_eq!(folder.problems_logged(), 7);
        folder.reload();
        assert_eq!(folder.problems_logged(), 7, "each problem is logged once");
        // A change inside a language folder is picked up.
        assert!(folder.poll().is_none());
        std::fs::write(dir.join("ar/qr_accepted.txt"), "مرحباً {name}").unwrap();
        let set = folder.poll().expect("the change is noticed");
        assert_eq!(
            set.get("qr_accepted").unwrap().text_for(Lang::Ar),
            Some("مرحباً {name}")
        );
    }

    #[test]
    fn a_language_folder_that_is_a_link_is_not_followed() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("screens");
        let elsewhere = root.path().join("elsewhere");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("qr_accepted.txt"), "from elsewhere").unwrap();
        std::os::unix::fs::symlink(&elsewhere, dir.join("ar")).unwrap();
        let mut folder = Folder::new(&dir);
        let set = folder.poll().unwrap();
        assert!(set.get("qr_accepted").is_none());
        assert_eq!(folder.problems_logged(), 1);
    }
}
