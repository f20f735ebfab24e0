//! settings.xml: read once at the edge, from raw tags with line numbers to typed [`Settings`].
//!
//! The file is flat XML under `<settings>`, one element per setting, as the Breeze app keeps it
//! (DESIGN §2). [`parse_raw`] turns the text into tags with their lines; [`Settings::from_raw`]
//! types them through [`SETTINGS`], the one table of the tags Usher reads (each with its
//! documentation line and its reader). A malformed file or value is a [`SettingsError`] naming
//! file, line and tag; an unknown tag is a warning naming tag and line (a Breeze file carries
//! many).

use crate::screens::Placement;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use usher_core::capacity::BadPercent;
use usher_core::door::BadDoorMode;
use usher_core::scheme::verifying_key_from_pem;
use usher_core::signout::BadClockTime;
use usher_core::stay::BadEntrance;
use usher_core::{DoorRules, Entrance, Keys, ReusePolicy, Rules, Scheme, SchemeSet, Secret};

/// The Breeze manual's default password: anyone can forge passes for a kiosk that keeps it.
pub const BREEZE_DEFAULT_PASSWORD: &str = "<auth_password>";

/// Passwords shorter than this draw a warning (offline guessing of a captured pass).
pub const MIN_GOOD_PASSWORD: usize = 16;

/// One tag of settings.xml: its name, one line for people, and how its text becomes a field of
/// [`Settings`] (called only for a tag given with a non-empty value; otherwise the field keeps
/// its default from [`Settings::from_raw`]).
#[derive(Debug)]
pub struct Setting {
    /// The element name.
    pub tag: &'static str,
    /// What it sets, its values and its default.
    pub doc: &'static str,
    read: fn(&mut Settings, &Given<'_>) -> Result<(), SettingsError>,
}

/// Every tag Usher reads. Adding a setting: its field in [`Settings`] with the default in
/// `Settings::defaults`, one entry here, and its element with a comment in
/// settings.example.xml (a test checks that file against this table). Values are typed in
/// this order, so of two bad values the earlier entry is the one reported.
pub const SETTINGS: &[Setting] = &[
    Setting {
        tag: "qrCodeAuthRequired",
        doc: "whether passes must carry a signature: true or false (default true)",
        read: |s, v| v.bool().map(|on| s.auth_required = on),
    },
    Setting {
        tag: "qrCodeAuthPassword",
        doc: "the shared password of SHA-1 and HMAC-SHA256 passes (warned about when short)",
        read: |s, v| {
            s.password = Some(v.secret());
            if v.text().len() < MIN_GOOD_PASSWORD && v.text() != BREEZE_DEFAULT_PASSWORD {
                s.warnings.push(v.warning(format_args!(
                    "<qrCodeAuthPassword> is shorter than {MIN_GOOD_PASSWORD} characters: a \
                     captured pass lets an attacker guess it offline; `usher keygen` makes a \
                     strong one"
                )));
            }
            Ok(())
        },
    },
    Setting {
        tag: "ledgerFile",
        doc: "the SQLite ledger, relative to the settings file (default usher.db)",
        read: |s, v| keep(&mut s.ledger_file, v.path()),
    },
    Setting {
        tag: "screensDir",
        doc: "the screens folder, relative to the settings file (default screens)",
        read: |s, v| keep(&mut s.screens_dir, v.path()),
    },
    Setting {
        tag: "resultSeconds",
        doc: "seconds a verdict screen stays, 1 to 3600 (default 3)",
        read: |s, v| v.whole(1, 3600).map(|n| s.result_seconds = n),
    },
    Setting {
        tag: "deviceToken",
        doc: "this kiosk's device token from enrolment",
        read: |s, v| keep(&mut s.device_token, Some(v.secret())),
    },
    Setting {
        tag: "sound",
        doc: "play the screens' sounds: true or false (default true)",
        read: |s, v| v.bool().map(|on| s.sound = on),
    },
    Setting {
        tag: "retentionDays",
        doc: "days the kiosk keeps its uses, scan log and uploaded sign-ins, 1 to 3650 (default 21)",
        read: |s, v| v.whole(1, 3650).map(|n| s.retention_days = n),
    },
    Setting {
        tag: "deviceId",
        doc: "this kiosk's id, at most 64 printable characters (default: made once, kept beside the ledger)",
        read: |s, v| {
            if v.text().len() > 64 || v.text().chars().any(char::is_control) {
                return Err(v.error("expected at most 64 printable characters"));
            }
            s.device_id = Some(v.text().to_owned());
            Ok(())
        },
    },
    Setting {
        tag: "acceptedSchemes",
        doc: "the schemes accepted, space separated: sha1 hmac-sha256 ed25519 (default: those keyed)",
        read: |s, v| {
            let set = v
                .text()
                .split_whitespace()
                .map(str::parse::<Scheme>)
                .collect::<Result<SchemeSet, _>>()
                .map_err(|e| v.error(e.to_string()))?;
            s.accepted_schemes = Some(set);
            Ok(())
        },
    },
    Setting {
        tag: "publicKeyFile",
        doc: "the organiser's Ed25519 public key (PEM), relative to the settings file",
        read: |s, v| {
            let key_path = v.path();
            let pem = std::fs::read_to_string(&key_path)
                .map_err(|e| v.error(format!("cannot read {}: {e}", key_path.display())))?;
            let key = verifying_key_from_pem(&pem)
                .map_err(|e| v.error(format!("{}: {e}", key_path.display())))?;
            s.public_key = Some((key_path, key));
            Ok(())
        },
    },
    Setting {
        tag: "legacyCodes",
        doc: "read the old system's plain codes (2+NAME+PHONE+EMAIL, 3+RESID+...+M|F+COUNT): true or false (default false); unsigned, anyone can make one",
        read: |s, v| {
            s.legacy_codes = v.bool()?;
            if s.legacy_codes {
                s.warnings.push(v.warning(format_args!(
                    "<legacyCodes> is on: the old system's codes (2+..., 3+...) are unsigned, \
                     so anyone can make one that this kiosk accepts"
                )));
            }
            Ok(())
        },
    },
    Setting {
        tag: "reusePolicy",
        doc: "how often one pass may sign in: once, daily, interval:MINUTES or always (default once)",
        read: |s, v| {
            s.reuse = v
                .text()
                .parse()
                .map_err(|e: usher_core::reuse::BadPolicy| v.error(e.to_string()))?;
            Ok(())
        },
    },
    Setting {
        tag: "camera",
        doc: "which camera: auto, an index or part of its name (default auto)",
        read: |s, v| {
            s.camera = match v.text() {
                "auto" => CameraChoice::Auto,
                name => name
                    .parse()
                    .map_or_else(|_| CameraChoice::Name(name.to_owned()), CameraChoice::Index),
            };
            Ok(())
        },
    },
    Setting {
        tag: "language",
        doc: "the language of the kiosk's screens: en, ar, ur, fr or tr (default en); a button on the ready screen switches it for the next visitor",
        read: |s, v| {
            s.language = v
                .text()
                .parse()
                .map_err(|e: usher_i18n::UnknownLang| v.error(e.to_string()))?;
            Ok(())
        },
    },
    Setting {
        tag: "mirrorPreview",
        doc: "show the camera preview on the ready screen mirrored, as a camera facing the visitor should be: true or false (default true)",
        read: |s, v| v.bool().map(|on| s.mirror_preview = on),
    },
    Setting {
        tag: "previewPlacement",
        doc: "where the camera preview sits on the ready screen, in the screens folder's modifiers, e.g. {T19%H30%} (the default) or {B15%R15%W25%}; off hides it",
        read: |s, v| {
            s.preview_placement = match v.text() {
                "off" => None,
                text => {
                    let mods = text.strip_prefix('{').and_then(|t| t.strip_suffix('}'));
                    let placement = Placement::parse(mods.unwrap_or(text))
                        .map_err(|e| v.error(e.to_string()))?;
                    Some(placement)
                }
            };
            Ok(())
        },
    },
    Setting {
        tag: "adminPin",
        doc: "the admin PIN, 4 to 12 digits",
        read: |s, v| keep(&mut s.admin_pin, Some(pin(v)?)),
    },
    Setting {
        tag: "volunteerPin",
        doc: "the volunteer PIN, 4 to 12 digits: roll call and admitting over capacity (the admin PIN opens these too)",
        read: |s, v| keep(&mut s.volunteer_pin, Some(pin(v)?)),
    },
    Setting {
        tag: "undoMinutes",
        doc: "how far back the volunteer's undo lists this kiosk's sign-ins, in minutes, 1 to 1440 (default 10)",
        read: |s, v| v.whole(1, 1440).map(|n| s.undo_minutes = n),
    },
    Setting {
        tag: "registerUrl",
        doc: "the web form where visitors make their own pass: the ready screen shows a small QR code of it (enrolment sets it to the server's form; empty: none)",
        read: |s, v| {
            let url = v.text();
            if url.is_empty() {
                s.register_url = None;
                return Ok(());
            }
            if !(url.starts_with("https://") || url.starts_with("http://"))
                || url.contains(char::is_whitespace)
                || url.len() > 500
            {
                return Err(
                    v.error("expected an http:// or https:// URL of at most 500 characters")
                );
            }
            s.register_url = Some(url.to_owned());
            Ok(())
        },
    },
    Setting {
        tag: "allowInsecureServer",
        doc: "true lets serverUrl be http:// to another computer, the token in clear (default false)",
        read: |s, v| v.bool().map(|on| s.allow_insecure_server = on),
    },
    Setting {
        tag: "serverUrl",
        doc: "the Usher server that sign-ins sync to, https:// (http:// only to this computer or with allowInsecureServer)",
        read: |s, v| {
            let url = v.text().trim_end_matches('/');
            if !(url.starts_with("https://") || url.starts_with("http://"))
                || url.contains(char::is_whitespace)
            {
                return Err(v.error(format!(
                    "expected an http:// or https:// URL, found {url:?}"
                )));
            }
            s.server_url = Some(url.to_owned());
            if usher_core::wire::sends_token_in_clear(url) {
                if !s.allow_insecure_server {
                    return Err(v.error("an http:// server off this computer would get the device token in clear: use https://, or set <allowInsecureServer>true</allowInsecureServer>"));
                }
                s.warnings.push(v.warning(format_args!("<serverUrl> is http://: the device token and sign-ins travel in clear (<allowInsecureServer>)")));
            }
            Ok(())
        },
    },
    Setting {
        tag: "entrance",
        doc: "the section of the venue this kiosk serves, e.g. brothers, sisters, balcony: 1 to 32 characters (default main)",
        read: |s, v| keep(&mut s.door.entrance, v.parsed::<Entrance, BadEntrance>()?),
    },
    Setting {
        tag: "doorMode",
        doc: "what a valid scan records: in (an entry), out (an exit) or in-out (a holder inside leaves) (default in)",
        read: |s, v| keep(&mut s.door.mode, v.parsed::<_, BadDoorMode>()?),
    },
    Setting {
        tag: "minStaySeconds",
        doc: "in in-out mode, seconds after an entry before the same pass records the exit, 0 to 86400 (default 60)",
        read: |s, v| v.whole(0, 86_400).map(|n| s.door.min_stay_seconds = n),
    },
    Setting {
        tag: "capacity",
        doc: "how many may be inside, 0 to 1000000: <capacity> for the venue, <capacity entrance=\"NAME\"> for one entrance (default no limit)",
        read: |s, v| {
            let n = v.whole(0, 1_000_000)?;
            match v.entrance()? {
                None => s.door.capacity.venue = Some(n),
                Some(entrance) => {
                    s.door.capacity.entrances.insert(entrance, n);
                }
            }
            Ok(())
        },
    },
    Setting {
        tag: "capacityWarnPercent",
        doc: "the status line turns amber at this percentage of a capacity, 0 to 100 (default 90)",
        read: |s, v| keep(&mut s.door.warn_percent, v.parsed::<_, BadPercent>()?),
    },
    Setting {
        tag: "closingTime",
        doc: "local time HH:MM at which stays still open are closed with an automatic exit (default none)",
        read: |s, v| {
            keep(
                &mut s.door.sign_out.closing_time,
                Some(v.parsed::<_, BadClockTime>()?),
            )
        },
    },
    Setting {
        tag: "maxStayMinutes",
        doc: "minutes after which an open stay is closed with an automatic exit, 1 to 10080 (default none)",
        read: |s, v| {
            keep(
                &mut s.door.sign_out.max_stay_minutes,
                Some(v.whole(1, 10_080)?),
            )
        },
    },
    label::<1>("s1Label"),
    label::<2>("s2Label"),
    label::<3>("s3Label"),
    label::<4>("s4Label"),
    label::<5>("s5Label"),
    label::<6>("s6Label"),
    label::<7>("s7Label"),
    label::<8>("s8Label"),
    label::<9>("s9Label"),
    label::<10>("s10Label"),
];

/// A reader's last step: the value into its field.
fn keep<T>(field: &mut T, value: T) -> Result<(), SettingsError> {
    *field = value;
    Ok(())
}

/// A PIN: 4 to 12 digits.
fn pin(v: &Given<'_>) -> Result<Secret, SettingsError> {
    let pin = v.text();
    if !(4..=12).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(v.error("expected 4 to 12 digits"));
    }
    Ok(v.secret())
}

/// The entry for `sNLabel`: the label of pass field `sN` in messages and the admin panel.
const fn label<const N: usize>(tag: &'static str) -> Setting {
    Setting {
        tag,
        doc: "the label of a pass field s1..s10 in messages and the admin panel",
        read: |s, v| keep(&mut s.labels[N - 1], Some(v.text().to_owned())),
    }
}

const TAG_NAMES: [&str; SETTINGS.len()] = {
    let mut names = [""; SETTINGS.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = SETTINGS[i].tag;
        i += 1;
    }
    names
};

/// Every tag Usher reads (the names of [`SETTINGS`]), for the unknown-tag warning.
pub const KNOWN_TAGS: &[&str] = &TAG_NAMES;

/// The table entry of a tag.
fn setting(tag: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.tag == tag)
}

/// A tag given with a value, as a [`Setting`]'s reader sees it: its text, and the file it
/// stands in for messages and relative paths.
struct Given<'a> {
    tag: &'a RawTag,
    file: &'a Path,
    base: &'a Path,
}

impl Given<'_> {
    fn text(&self) -> &str {
        &self.tag.value
    }

    /// `file:line: <tag>: message`.
    fn error(&self, message: impl Into<String>) -> SettingsError {
        self.tag.error(self.file, message)
    }

    /// `file:line: message`.
    fn warning(&self, message: fmt::Arguments<'_>) -> String {
        format!("{}:{}: {message}", self.file.display(), self.tag.line)
    }

    fn bool(&self) -> Result<bool, SettingsError> {
        match self.text().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Ok(true),
            "false" | "0" | "no" => Ok(false),
            other => Err(self.error(format!("expected true or false, found {other:?}"))),
        }
    }

    fn whole(&self, min: u32, max: u32) -> Result<u32, SettingsError> {
        match self.text().parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(self.error(format!(
                "expected a whole number from {min} to {max}, found {:?}",
                self.text()
            ))),
        }
    }

    /// The text as a path, relative to the settings file's folder.
    fn path(&self) -> PathBuf {
        self.base.join(self.text())
    }

    fn secret(&self) -> Secret {
        Secret::from(self.text())
    }

    /// The text through `FromStr`, its error message naming the tag.
    fn parsed<T: std::str::FromStr<Err = E>, E: fmt::Display>(&self) -> Result<T, SettingsError> {
        self.text()
            .parse()
            .map_err(|e: E| self.error(e.to_string()))
    }

    /// The element's `entrance` attribute (`<capacity entrance="NAME">`), if given.
    fn entrance(&self) -> Result<Option<Entrance>, SettingsError> {
        self.tag
            .entrance
            .as_deref()
            .map(|name| {
                name.parse()
                    .map_err(|e: BadEntrance| self.error(format!("entrance attribute: {e}")))
            })
            .transpose()
    }
}

/// A settings file that cannot be used: where, which tag, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct SettingsError {
    /// The file.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The tag, when the problem belongs to one.
    pub tag: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(tag) = &self.tag {
            write!(f, ": <{tag}>")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// One element under `<settings>`, untyped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTag {
    /// Element name.
    pub name: String,
    /// Its text, entities resolved, surrounding white space trimmed.
    pub value: String,
    /// 1-based line of the element.
    pub line: usize,
    /// Its `entrance` attribute, read on `<capacity>` only (the one tag given per entrance).
    pub entrance: Option<String>,
}

impl RawTag {
    /// `file:line: <tag>: message`.
    fn error(&self, file: &Path, message: impl Into<String>) -> SettingsError {
        SettingsError {
            file: file.to_owned(),
            line: Some(self.line),
            tag: Some(self.name.clone()),
            message: message.into(),
        }
    }
}

fn line_of(text: &str, pos: u64) -> usize {
    let end = usize::try_from(pos).unwrap_or(usize::MAX).min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Reads the flat `<settings>` element list of `text`, in file order.
pub fn parse_raw(text: &str, file: &Path) -> Result<Vec<RawTag>, SettingsError> {
    let mut xml = Xml {
        reader: Reader::from_str(text),
        text,
        file,
    };
    let mut tags = Vec::new();
    let mut in_root = false;
    loop {
        let (event, line) = xml.next()?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) if !in_root => {
                let name = e.name().into_inner().to_owned();
                if name != "settings" {
                    return Err(xml.error(
                        line,
                        Some(&name),
                        "the root element must be <settings>",
                    ));
                }
                if matches!(event, Event::Empty(_)) {
                    return Ok(tags);
                }
                in_root = true;
            }
            Event::Start(e) => tags.push(xml.element(&e, line)?),
            Event::Empty(e) => tags.push(RawTag {
                name: e.name().into_inner().to_owned(),
                value: String::new(),
                line,
                entrance: xml.entrance(&e, line)?,
            }),
            Event::End(_) => return Ok(tags),
            Event::Text(t) if in_root && !t.trim().is_empty() => {
                return Err(xml.error(line, None, "text outside any setting"));
            }
            Event::Eof if in_root => {
                let ends = "the file ends before </settings>";
                return Err(xml.error(line, Some("settings"), ends));
            }
            Event::Eof => return Err(xml.error(line, None, "no <settings> element")),
            _ => {}
        }
    }
}

/// The reader of [`parse_raw`]: quick-xml events, with the lines messages name.
struct Xml<'a> {
    reader: Reader<&'a [u8]>,
    text: &'a str,
    file: &'a Path,
}

impl<'a> Xml<'a> {
    fn error(&self, line: usize, tag: Option<&str>, message: impl Into<String>) -> SettingsError {
        SettingsError {
            file: self.file.to_owned(),
            line: Some(line),
            tag: tag.map(str::to_owned),
            message: message.into(),
        }
    }

    /// A quick-xml error, at the line where the reader found it.
    fn malformed(&self, tag: Option<&str>, e: quick_xml::Error) -> SettingsError {
        let line = line_of(self.text, self.reader.error_position());
        self.error(line, tag, format!("malformed XML: {e}"))
    }

    /// The next event and the line the reader stands on after it.
    fn next(&mut self) -> Result<(Event<'a>, usize), SettingsError> {
        let event = self
            .reader
            .read_event()
            .map_err(|e| self.malformed(None, e))?;
        let line = line_of(self.text, self.reader.buffer_position());
        if let Event::Start(e) | Event::Empty(e) = &event
            && e.name().as_ref().is_empty()
        {
            let nameless = "malformed XML: an element without a name";
            return Err(self.error(line, None, nameless));
        }
        Ok((event, line))
    }

    /// A setting's element, opened by `start`, read to its end. The text of a known tag must
    /// be plain; an unknown tag may hold anything (only its name and line are kept).
    fn element(&mut self, start: &BytesStart<'_>, line: usize) -> Result<RawTag, SettingsError> {
        let name = start.name().into_inner().to_owned();
        let raw = self
            .reader
            .read_text(start.name())
            .map_err(|e| self.malformed(Some(&name), e))?;
        let value = if setting(&name).is_none() {
            String::new()
        } else if raw.contains('<') {
            let nested = "expected plain text, found nested markup";
            return Err(self.error(line, Some(&name), nested));
        } else {
            quick_xml::escape::unescape(&raw)
                .map_err(|e| {
                    self.error(line, Some(&name), format!("bad character reference: {e}"))
                })?
                .trim()
                .to_owned()
        };
        let entrance = self.entrance(start, line)?;
        Ok(RawTag {
            name,
            value,
            line,
            entrance,
        })
    }

    /// The `entrance` attribute of a `<capacity>` element (other elements' attributes are
    /// not read, as before).
    fn entrance(
        &self,
        start: &BytesStart<'_>,
        line: usize,
    ) -> Result<Option<String>, SettingsError> {
        if start.name().as_ref() != "capacity" {
            return Ok(None);
        }
        let bad = |e: String| self.error(line, Some("capacity"), format!("malformed XML: {e}"));
        let Some(attr) = start
            .try_get_attribute("entrance")
            .map_err(|e| bad(e.to_string()))?
        else {
            return Ok(None);
        };
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| bad(e.to_string()))?;
        Ok(Some(value.into_owned()))
    }
}

/// Which camera to open.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CameraChoice {
    /// The first one found.
    #[default]
    Auto,
    /// By index.
    Index(u32),
    /// The first whose name contains this text.
    Name(String),
}

/// The typed settings of a kiosk.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The settings file.
    pub file: PathBuf,
    /// `qrCodeAuthRequired`.
    pub auth_required: bool,
    /// `qrCodeAuthPassword` (the password itself, as Breeze keeps it).
    pub password: Option<Secret>,
    /// `deviceId`; `None`: generated once and kept beside the ledger.
    pub device_id: Option<String>,
    /// `acceptedSchemes`, as written; `None`: those a key is set for.
    pub accepted_schemes: Option<SchemeSet>,
    /// `publicKeyFile`, resolved against the settings folder, with the key it holds.
    pub public_key: Option<(PathBuf, ed25519_dalek::VerifyingKey)>,
    /// `reusePolicy`.
    pub reuse: ReusePolicy,
    /// `ledgerFile`.
    pub ledger_file: PathBuf,
    /// `screensDir`.
    pub screens_dir: PathBuf,
    /// `resultSeconds`.
    pub result_seconds: u32,
    /// `camera`.
    pub camera: CameraChoice,
    /// `language`: the language screens speak when no visitor has picked one.
    pub language: usher_i18n::Lang,
    /// `mirrorPreview`: the preview is flipped left to right (a camera facing the visitor).
    pub mirror_preview: bool,
    /// `previewPlacement`: where the preview sits on the ready screen; `None`: no preview.
    pub preview_placement: Option<Placement>,
    /// `adminPin`.
    pub admin_pin: Option<Secret>,
    /// `volunteerPin`.
    pub volunteer_pin: Option<Secret>,
    /// `undoMinutes`: how far back the volunteer's undo reaches.
    pub undo_minutes: u32,
    /// `registerUrl`: the visitor form shown as a QR code on the ready screen.
    pub register_url: Option<String>,
    /// `serverUrl`.
    pub server_url: Option<String>,
    /// `deviceToken`.
    pub device_token: Option<Secret>,
    /// `sound`.
    pub sound: bool,
    /// `legacyCodes`: the old system's unsigned codes are read as passes (DESIGN §10).
    pub legacy_codes: bool,
    /// `allowInsecureServer`: `serverUrl` may be http:// to another computer.
    pub allow_insecure_server: bool,
    /// `retentionDays`.
    pub retention_days: u32,
    /// `s1Label`..`s10Label`.
    pub labels: [Option<String>; 10],
    /// The door (DESIGN §8): `entrance`, `doorMode`, `minStaySeconds`, `capacity` (venue and
    /// per entrance), `capacityWarnPercent`, `closingTime`, `maxStayMinutes`.
    pub door: DoorRules,
    /// Warnings met while reading (unknown tags, weak password, readable secrets).
    pub warnings: Vec<String>,
}

impl Settings {
    /// Reads and types a settings file.
    pub fn load(file: &Path) -> Result<Settings, SettingsError> {
        let bytes = std::fs::read(file).map_err(|e| SettingsError {
            file: file.to_owned(),
            line: None,
            tag: None,
            message: format!("cannot read: {e}"),
        })?;
        let mut settings = Settings::parse(&bytes, file)?;
        settings.warn_if_secrets_readable();
        Ok(settings)
    }

    /// Reads and types the bytes of a settings file: what [`Settings::load`] does after reading
    /// it, without the permission check. `file` names the file in messages and anchors relative
    /// paths (a `<publicKeyFile>` is still read from disk).
    pub fn parse(bytes: &[u8], file: &Path) -> Result<Settings, SettingsError> {
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let at = e.valid_up_to();
            SettingsError {
                file: file.to_owned(),
                line: Some(bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1),
                tag: None,
                message: format!("not UTF-8 text (byte {at})"),
            }
        })?;
        Settings::from_raw(file, &parse_raw(text, file)?)
    }

    /// Types raw tags through [`SETTINGS`]. `file` names the file in messages and anchors
    /// relative paths.
    pub fn from_raw(file: &Path, raw: &[RawTag]) -> Result<Settings, SettingsError> {
        let base = file.parent().map(Path::to_owned).unwrap_or_default();
        let mut s = Settings::defaults(file, &base);
        let given = s.known_once(raw)?;
        for setting in SETTINGS {
            let tags = given.get(setting.tag).into_iter().flatten();
            for &tag in tags.filter(|t| !t.value.is_empty()) {
                let base = &base;
                (setting.read)(&mut s, &Given { tag, file, base })?;
            }
        }
        Ok(s)
    }

    /// The settings of a file that sets nothing.
    fn defaults(file: &Path, base: &Path) -> Settings {
        Settings {
            file: file.to_owned(),
            auth_required: true,
            password: None,
            device_id: None,
            accepted_schemes: None,
            public_key: None,
            reuse: ReusePolicy::Once,
            ledger_file: base.join("usher.db"),
            screens_dir: base.join("screens"),
            result_seconds: 3,
            camera: CameraChoice::Auto,
            mirror_preview: true,
            preview_placement: Some(crate::screens::placement::DEFAULT_PREVIEW),
            admin_pin: None,
            volunteer_pin: None,
            undo_minutes: 10,
            register_url: None,
            language: usher_i18n::Lang::En,
            server_url: None,
            device_token: None,
            sound: true,
            legacy_codes: false,
            allow_insecure_server: false,
            retention_days: 21,
            labels: Default::default(),
            door: DoorRules::default(),
            warnings: Vec::new(),
        }
    }

    /// The known tags of `raw` by name, in file order, each given at most once (per
    /// `entrance` attribute: `<capacity>` once for the venue and once per entrance); a warning
    /// for each unknown one.
    fn known_once<'r>(
        &mut self,
        raw: &'r [RawTag],
    ) -> Result<HashMap<&'r str, Vec<&'r RawTag>>, SettingsError> {
        let mut seen: HashMap<(&str, Option<&str>), &RawTag> = HashMap::new();
        let mut given: HashMap<&str, Vec<&RawTag>> = HashMap::new();
        for tag in raw {
            if setting(&tag.name).is_none() {
                self.warnings.push(format!(
                    "{}:{}: unknown tag <{}> ignored",
                    self.file.display(),
                    tag.line,
                    tag.name
                ));
            } else if let Some(first) = seen.insert((&tag.name, tag.entrance.as_deref()), tag) {
                let twice = format!("given twice (first on line {})", first.line);
                return Err(tag.error(&self.file, twice));
            } else {
                given.entry(&tag.name).or_default().push(tag);
            }
        }
        Ok(given)
    }

    /// The keys set in this file.
    pub fn keys(&self) -> Keys {
        Keys {
            password: self.password.clone(),
            public_key: self.public_key.as_ref().map(|(_, k)| *k),
        }
    }

    /// The schemes this kiosk accepts: as written, or those a key is set for.
    pub fn accepted(&self) -> SchemeSet {
        self.accepted_schemes
            .unwrap_or_else(|| self.keys().usable())
    }

    /// Why a kiosk must not run with these settings (the `usher verify` command only warns).
    pub fn refusals(&self) -> Vec<String> {
        let mut out = Vec::new();
        let accepted = self.accepted();
        let password_schemes = accepted.iter().any(Scheme::uses_password);
        let password = self
            .password
            .as_ref()
            .map(Secret::expose)
            .unwrap_or_default();
        if password_schemes && password == BREEZE_DEFAULT_PASSWORD.as_bytes() {
            out.push(format!(
                "{}: <qrCodeAuthPassword> is the Breeze manual's default {BREEZE_DEFAULT_PASSWORD:?}: anyone can \
                 forge passes; run `usher keygen` for a real secret",
                self.file.display()
            ));
        } else if password_schemes && password.is_empty() {
            out.push(format!(
                "{}: <acceptedSchemes> includes a password scheme but <qrCodeAuthPassword> is empty",
                self.file.display()
            ));
        }
        if self.accepted_schemes.is_some()
            && accepted.contains(Scheme::Ed25519)
            && self.public_key.is_none()
        {
            out.push(format!(
                "{}: <acceptedSchemes> includes ed25519 but no <publicKeyFile> is set",
                self.file.display()
            ));
        }
        if self.auth_required && accepted.is_empty() {
            out.push(format!(
                "{}: signatures are required but no key is set: give <qrCodeAuthPassword> or <publicKeyFile>",
                self.file.display()
            ));
        }
        out
    }

    /// The verdict rules for a kiosk with this device id.
    pub fn rules(&self, device_id: String) -> Rules {
        Rules {
            auth_required: self.auth_required,
            accepted: self.accepted(),
            keys: self.keys(),
            device_id,
            reuse: self.reuse,
            legacy_codes: self.legacy_codes,
        }
    }

    fn warn_if_secrets_readable(&mut self) {
        let holds_secret = self.password.is_some()
            || self.device_token.is_some()
            || self.admin_pin.is_some()
            || self.volunteer_pin.is_some();
        if holds_secret && crate::private_file::readable_by_others(&self.file) {
            self.warnings.push(format!(
                "{} holds secrets and is readable by other users: chmod 600 it",
                self.file.display()
            ));
        }
    }
}

/// Sets the given tags in settings text: the text of an existing element is replaced, a
/// missing element is added before `</settings>`; everything else is kept as written.
pub fn set_tags(text: &str, updates: &[(&str, &str)]) -> Result<String, String> {
    let mut out = text.to_owned();
    for (tag, value) in updates {
        let value = quick_xml::escape::escape(*value);
        let open = format!("<{tag}>");
        let close = format!("</{tag}>");
        let empty = [format!("<{tag}/>"), format!("<{tag} />")];
        if let Some(start) = out.find(&open) {
            let inner = start + open.len();
            let end = out[inner..]
                .find(&close)
                .ok_or_else(|| format!("<{tag}> is not closed"))?
                + inner;
            out.replace_range(inner..end, &value);
        } else if let Some((at, len)) = empty
            .iter()
            .find_map(|e| out.find(e.as_str()).map(|at| (at, e.len())))
        {
            out.replace_range(at..at + len, &format!("{open}{value}{close}"));
        } else {
            let at = out
                .rfind("</settings>")
                .ok_or("no </settings> in the file")?;
            out.insert_str(at, &format!("  {open}{value}{close}\n"));
        }
    }
    Ok(out)
}

/// This kiosk's device id: from settings, else kept in `device-id` beside the ledger,
/// made once (`kiosk-` and 8 random hex digits) when absent.
pub fn device_id(settings: &Settings) -> anyhow::Result<String> {
    use anyhow::Context as _;
    if let Some(id) = &settings.device_id {
        return Ok(id.clone());
    }
    let dir = settings
        .ledger_file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file = dir.join("device-id");
    match std::fs::read_to_string(&file) {
        Ok(id) if !id.trim().is_empty() => Ok(id.trim().to_owned()),
        _ => {
            let id = format!("kiosk-{}", hex::encode(crate::random::bytes::<4>()?));
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            std::fs::write(&file, format!("{id}\n"))
                .with_context(|| format!("writing {}", file.display()))?;
            Ok(id)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, SettingsError> {
        Settings::parse(text.as_bytes(), Path::new("/venue/settings.xml"))
    }

    fn wrap(body: &str) -> String {
        format!("<?xml version=\"1.0\"?>\n<settings>\n{body}\n</settings>\n")
    }

    #[test]
    fn defaults_sit_beside_the_settings_file() {
        let s = parse(&wrap("")).expect("ok");
        assert!(s.auth_required);
        assert_eq!(s.reuse, ReusePolicy::Once);
        assert_eq!(s.ledger_file, Path::new("/venue/usher.db"));
        assert_eq!(s.screens_dir, Path::new("/venue/screens"));
        assert_eq!(s.result_seconds, 3);
        assert_eq!(s.retention_days, 21);
        assert!(s.warnings.is_empty());
    }

    #[test]
    fn the_preview_is_mirrored_and_placed_by_default_and_both_tags_change_it() {
        use crate::screens::placement::{DEFAULT_PREVIEW, Length};
        let s = parse(&wrap("")).expect("ok");
        assert!(s.mirror_preview);
        assert_eq!(s.preview_placement, Some(DEFAULT_PREVIEW));
        let s = parse(&wrap(
            "<mirrorPreview>false</mirrorPreview><previewPlacement>{b15%R15%w25%}</previewPlacement>",
        ))
        .expect("ok");
        assert!(!s.mirror_preview);
        let placed = s.preview_placement.expect("placed");
        assert_eq!(placed.bottom, Some(Length::Percent(15.0)));
        assert_eq!(placed.width, Some(Length::Percent(25.0)));
        let bare = parse(&wrap("<previewPlacement>L200T%40</previewPlacement>")).expect("ok");
        assert_eq!(
            bare.preview_placement.and_then(|p| p.left),
            Some(Length::Px(200.0))
        );
        let off = parse(&wrap("<previewPlacement>off</previewPlacement>")).expect("ok");
        assert_eq!(off.preview_placement, None);
        for bad in ["{T10B10}", "{X5}", "T10%}", "sometimes"] {
            let e = parse(&wrap(&format!(
                "<previewPlacement>{bad}</previewPlacement>"
            )))
            .expect_err(bad);
            assert_eq!(e.tag.as_deref(), Some("previewPlacement"), "{bad}: {e}");
            assert_eq!(e.line, Some(3), "{bad}: {e}");
        }
        let e = parse(&wrap("<mirrorPreview>yes please</mirrorPreview>")).expect_err("bool");
        assert_eq!(e.tag.as_deref(), Some("mirrorPreview"));
    }

    #[test]
    fn breeze_tags_and_entities_are_read() {
        let s = parse(&wrap(
            "<qrCodeAuthRequired>false</qrCodeAuthRequired>\n\
             <qrCodeAuthPassword>a&amp;b&lt;c&gt; long enough secret</qrCodeAuthPassword>",
        ))
        .expect("ok");
        assert!(!s.auth_required);
        assert_eq!(
            s.password.as_ref().map(Secret::expose),
            Some(&b"a&b<c> long enough secret"[..])
        );
        assert_eq!(s.accepted().to_string(), "sha1 hmac-sha256");
    }

    #[test]
    fn bad_values_name_file_line_and_tag() {
        let cases = [
            ("<resultSeconds>soon</resultSeconds>", "resultSeconds"),
            ("<resultSeconds>0</resultSeconds>", "resultSeconds"),
            ("<reusePolicy>twice</reusePolicy>", "reusePolicy"),
            (
                "<acceptedSchemes>sha1 md5</acceptedSchemes>",
                "acceptedSchemes",
            ),
            (
                "<qrCodeAuthRequired>maybe</qrCodeAuthRequired>",
                "qrCodeAuthRequired",
            ),
            ("<adminPin>12ab</adminPin>", "adminPin"),
            ("<volunteerPin>123</volunteerPin>", "volunteerPin"),
            ("<serverUrl>ftp://x</serverUrl>", "serverUrl"),
            (
                "<publicKeyFile>/nonexistent/key.pub</publicKeyFile>",
                "publicKeyFile",
            ),
            ("<sound><on/></sound>", "sound"),
        ];
        for (body, tag) in cases {
            let text = wrap(&format!("<deviceId>d</deviceId>\n{body}"));
            let e = parse(&text).expect_err(body);
            assert_eq!(e.line, Some(4), "{body}: {e}");
            assert_eq!(e.tag.as_deref(), Some(tag), "{body}: {e}");
            let shown = e.to_string();
            assert!(
                shown.starts_with(&format!("/venue/settings.xml:4: <{tag}>: ")),
                "{shown}"
            );
        }
    }

    #[test]
    fn malformed_xml_names_the_line() {
        let e = parse("<settings>\n<a>1</a>\n<b>2</c>\n</settings>").expect_err("mismatch");
        assert_eq!(e.line, Some(3), "{e}");
        let e = parse("<settings>\n<reusePolicy>once</reusePolicy>\n").expect_err("eof");
        assert!(e.message.contains("ends before"), "{e}");
        let e = parse("<config></config>").expect_err("root");
        assert_eq!(e.tag.as_deref(), Some("config"));
        let e = parse("").expect_err("empty");
        assert!(e.message.contains("no <settings>"), "{e}");
    }

    #[test]
    fn bytes_that_are_not_utf8_name_their_line() {
        let e = Settings::parse(b"<settings>\n<deviceId>\xff</deviceId>", Path::new("s.xml"))
            .expect_err("not UTF-8");
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("not UTF-8"), "{e}");
    }

    #[test]
    fn an_element_without_a_name_is_malformed() {
        // Found by the settings_xml fuzz target: `<` then a new line read as an element
        // named "", reported as "<>: the root element must be <settings>".
        for text in ["<\n<a>1</a>", "<settings>\n< />\n</settings>"] {
            let e = parse(text).expect_err(text);
            assert_eq!(e.tag, None, "{e}");
            assert_eq!(e.message, "malformed XML: an element without a name", "{e}");
        }
    }

    #[test]
    fn a_tag_given_twice_is_an_error() {
        let e = parse(&wrap(
            "<reusePolicy>once</reusePolicy>\n<reusePolicy>daily</reusePolicy>",
        ))
        .expect_err("dup");
        assert_eq!((e.line, e.tag.as_deref()), (Some(4), Some("reusePolicy")));
        assert!(e.message.contains("line 3"), "{e}");
    }

    #[test]
    fn unknown_tags_warn_with_their_line() {
        let s = parse(&wrap(
            "<cameraRotation>90</cameraRotation>\n<nested><x>1</x></nested>",
        ))
        .expect("ok");
        assert_eq!(s.warnings.len(), 2);
        assert_eq!(
            s.warnings[0],
            "/venue/settings.xml:3: unknown tag <cameraRotation> ignored"
        );
        assert!(
            s.warnings[1].contains(":4: unknown tag <nested>"),
            "{:?}",
            s.warnings
        );
    }

    #[test]
    fn kiosk_refuses_default_and_empty_passwords_for_password_schemes() {
        let s = parse(&wrap(
            "<qrCodeAuthPassword>&lt;auth_password&gt;</qrCodeAuthPassword>",
        ))
        .expect("ok");
        let refusals = s.refusals();
        assert_eq!(refusals.len(), 1);
        assert!(refusals[0].contains("default"), "{refusals:?}");

        let s = parse(&wrap("<acceptedSchemes>sha1</acceptedSchemes>")).expect("ok");
        assert!(
            s.refusals().iter().any(|r| r.contains("empty")),
            "{:?}",
            s.refusals()
        );

        let s = parse(&wrap("")).expect("ok");
        assert!(
            s.refusals().iter().any(|r| r.contains("no key")),
            "{:?}",
            s.refusals()
        );

        let s = parse(&wrap(
            "<qrCodeAuthPassword>0123456789abcdef0123</qrCodeAuthPassword>",
        ))
        .expect("ok");
        assert!(s.refusals().is_empty(), "{:?}", s.refusals());
        assert!(s.warnings.is_empty());
    }

    #[test]
    fn short_passwords_warn() {
        let s = parse(&wrap("<qrCodeAuthPassword>short</qrCodeAuthPassword>")).expect("ok");
        assert!(
            s.warnings.iter().any(|w| w.contains("shorter than 16")),
            "{:?}",
            s.warnings
        );
        assert!(
            !format!("{s:?}").contains("short<"),
            "Debug must not show the password"
        );
        assert!(!format!("{:?}", s.password).contains("short"));
    }

    #[test]
    fn the_example_file_parses_and_documents_every_tag() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let example = root.join("settings.example.xml");
        let text = std::fs::read_to_string(&example).expect("settings.example.xml");
        let raw = parse_raw(&text, &example).expect("well formed");
        for setting in SETTINGS {
            assert!(
                raw.iter().any(|t| t.name == setting.tag),
                "settings.example.xml lacks <{}> ({})",
                setting.tag,
                setting.doc
            );
        }
        // It names a public key file that a venue creates; type it without that file.
        let raw: Vec<_> = raw
            .into_iter()
            .filter(|t| t.name != "publicKeyFile")
            .collect();
        let s = Settings::from_raw(&example, &raw).expect("example types");
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
        assert_eq!(
            s.device_id, None,
            "no fixed device id: each kiosk makes its own"
        );
        assert_eq!(s.labels[0].as_deref(), Some("Name"));
    }

    #[test]
    fn door_tags_type_into_door_rules_with_capacity_per_entrance() {
        use usher_core::DoorMode;
        let s = parse(&wrap(
            "<entrance>brothers</entrance><doorMode>in-out</doorMode>\
             <minStaySeconds>120</minStaySeconds><capacity>300</capacity>\
             <capacity entrance=\"brothers\">150</capacity>\
             <capacity entrance=\"sisters\">140</capacity>\
             <capacityWarnPercent>80</capacityWarnPercent><closingTime>01:00</closingTime>\
             <maxStayMinutes>240</maxStayMinutes>",
        ))
        .expect("parse");
        let door = &s.door;
        assert_eq!(door.entrance.as_str(), "brothers");
        assert_eq!((door.mode, door.min_stay_seconds), (DoorMode::InOut, 120));
        assert_eq!(door.capacity.venue, Some(300));
        let sisters: Entrance = "sisters".parse().expect("entrance");
        assert_eq!(door.capacity.of(&door.entrance), Some(150));
        assert_eq!(door.capacity.of(&sisters), Some(140));
        assert_eq!(door.warn_percent.get(), 80);
        assert_eq!(
            door.sign_out.closing_time.map(|t| t.to_string()).as_deref(),
            Some("01:00")
        );
        assert_eq!(door.sign_out.max_stay_minutes, Some(240));
        // Nothing set: today's kiosk.
        assert_eq!(parse(&wrap("")).expect("parse").door, DoorRules::default());
    }

    #[test]
    fn bad_door_values_name_the_tag_and_a_capacity_twice_for_one_entrance_is_refused() {
        for (body, tag, says) in [
            ("<doorMode>both</doorMode>", "doorMode", "door mode"),
            (
                "<entrance> main</entrance><entrance>x</entrance>",
                "entrance",
                "given twice",
            ),
            ("<entrance>a\u{202E}b</entrance>", "entrance", ""),
            ("<capacity>-1</capacity>", "capacity", "whole number"),
            (
                "<capacity entrance=\"\">5</capacity>",
                "capacity",
                "entrance attribute",
            ),
            (
                "<capacityWarnPercent>101</capacityWarnPercent>",
                "capacityWarnPercent",
                "0 to 100",
            ),
            ("<closingTime>25:00</closingTime>", "closingTime", "HH:MM"),
            (
                "<maxStayMinutes>0</maxStayMinutes>",
                "maxStayMinutes",
                "1 to 10080",
            ),
            (
                "<capacity entrance=\"a\">1</capacity><capacity entrance=\"a\">2</capacity>",
                "capacity",
                "given twice",
            ),
        ] {
            let e = parse(&wrap(body)).expect_err(body);
            assert_eq!(e.tag.as_deref(), Some(tag), "{body}: {e}");
            assert!(e.to_string().contains(says), "{body}: {e}");
        }
    }

    #[test]
    fn each_tag_has_one_entry_with_a_documentation_line() {
        for (i, setting) in SETTINGS.iter().enumerate() {
            assert!(!setting.doc.is_empty(), "<{}> has no doc line", setting.tag);
            assert!(
                !SETTINGS[..i].iter().any(|s| s.tag == setting.tag),
                "<{}> is in the table twice",
                setting.tag
            );
        }
        assert_eq!(KNOWN_TAGS.len(), SETTINGS.len());
        assert!(KNOWN_TAGS.contains(&"s10Label"), "{KNOWN_TAGS:?}");
    }

    #[test]
    fn a_public_key_file_of_the_wrong_kind_is_refused() {
        let dir = tempfile::tempdir().expect("tmp");
        let (private, public) = usher_core::scheme::key_pair_pem(&[3; 32]).expect("pem");
        std::fs::write(dir.path().join("private.pem"), private.expose()).expect("w");
        std::fs::write(dir.path().join("public.pem"), public).expect("w");
        let file = dir.path().join("settings.xml");
        for (name, ok) in [("public.pem", true), ("private.pem", false)] {
            std::fs::write(
                &file,
                wrap(&format!("<publicKeyFile>{name}</publicKeyFile>")),
            )
            .expect("w");
            let got = Settings::load(&file);
            assert_eq!(got.is_ok(), ok, "{name}: {:?}", got.err());
        }
    }

    #[test]
    fn device_id_is_made_once_and_kept() {
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("settings.xml");
        std::fs::write(&file, wrap("")).expect("w");
        let s = Settings::load(&file).expect("load");
        let first = device_id(&s).expect("id");
        assert!(first.starts_with("kiosk-") && first.len() == 14, "{first}");
        assert_eq!(device_id(&s).expect("id"), first);
    }
}
