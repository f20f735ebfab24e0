//! settings.xml: read once at the edge, from raw tags with line numbers to typed [`Settings`].
//!
//! The file is flat XML under `<settings>`, one element per setting, as the Breeze app keeps it
//! (DESIGN §2). [`parse_raw`] turns the text into tags with their lines; [`Settings::from_raw`]
//! types and checks them. A malformed file or value is a [`SettingsError`] naming file, line
//! and tag; an unknown tag is a warning naming tag and line (a Breeze file carries many).

use quick_xml::Reader;
use quick_xml::events::Event;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use usher_core::scheme::verifying_key_from_pem;
use usher_core::{Keys, ReusePolicy, Rules, Scheme, SchemeSet, Secret};

/// The Breeze manual's default password: anyone can forge passes for a kiosk that keeps it.
pub const BREEZE_DEFAULT_PASSWORD: &str = "<auth_password>";

/// Passwords shorter than this draw a warning (offline guessing of a captured pass).
pub const MIN_GOOD_PASSWORD: usize = 16;

/// Every tag Usher reads, for the unknown-tag warning and the example file test.
pub const KNOWN_TAGS: &[&str] = &[
    "qrCodeAuthRequired",
    "qrCodeAuthPassword",
    "deviceId",
    "acceptedSchemes",
    "publicKeyFile",
    "reusePolicy",
    "ledgerFile",
    "screensDir",
    "resultSeconds",
    "camera",
    "adminPin",
    "serverUrl",
    "deviceToken",
    "sound",
    "retentionDays",
    "s1Label",
    "s2Label",
    "s3Label",
    "s4Label",
    "s5Label",
    "s6Label",
    "s7Label",
    "s8Label",
    "s9Label",
    "s10Label",
];

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
    let err = |line, tag: Option<&str>, message: String| SettingsError {
        file: file.to_owned(),
        line: Some(line),
        tag: tag.map(str::to_owned),
        message,
    };
    let mut reader = Reader::from_str(text);
    let mut tags = Vec::new();
    let mut in_root = false;
    loop {
        let event = reader.read_event().map_err(|e| {
            err(
                line_of(text, reader.error_position()),
                None,
                format!("malformed XML: {e}"),
            )
        })?;
        let line = line_of(text, reader.buffer_position());
        if let Event::Start(e) | Event::Empty(e) = &event
            && e.name().as_ref().is_empty()
        {
            return Err(err(
                line,
                None,
                "malformed XML: an element without a name".into(),
            ));
        }
        match event {
            Event::Start(ref e) | Event::Empty(ref e) if !in_root => {
                let name = e.name().into_inner().to_owned();
                if name != "settings" {
                    return Err(err(
                        line,
                        Some(&name),
                        "the root element must be <settings>".into(),
                    ));
                }
                if matches!(event, Event::Empty(_)) {
                    return Ok(tags);
                }
                in_root = true;
            }
            Event::Start(e) => {
                let name = e.name().into_inner().to_owned();
                let start = e.to_owned();
                let raw = reader.read_text(start.name()).map_err(|e| {
                    err(
                        line_of(text, reader.error_position()),
                        Some(&name),
                        format!("malformed XML: {e}"),
                    )
                })?;
                let raw: &str = &raw;
                let known = KNOWN_TAGS.contains(&name.as_str());
                let value = if !known {
                    String::new()
                } else if raw.contains('<') {
                    return Err(err(
                        line,
                        Some(&name),
                        "expected plain text, found nested markup".into(),
                    ));
                } else {
                    quick_xml::escape::unescape(raw)
                        .map_err(|e| {
                            err(line, Some(&name), format!("bad character reference: {e}"))
                        })?
                        .trim()
                        .to_owned()
                };
                tags.push(RawTag { name, value, line });
            }
            Event::Empty(e) => {
                let name = e.name().into_inner().to_owned();
                tags.push(RawTag {
                    name,
                    value: String::new(),
                    line,
                });
            }
            Event::End(_) => return Ok(tags),
            Event::Text(t) if in_root && !t.trim().is_empty() => {
                return Err(err(line, None, "text outside any setting".into()));
            }
            Event::Eof if in_root => {
                return Err(err(
                    line,
                    Some("settings"),
                    "the file ends before </settings>".into(),
                ));
            }
            Event::Eof => return Err(err(line, None, "no <settings> element".into())),
            _ => {}
        }
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
    /// `adminPin`.
    pub admin_pin: Option<Secret>,
    /// `serverUrl`.
    pub server_url: Option<String>,
    /// `deviceToken`.
    pub device_token: Option<Secret>,
    /// `sound`.
    pub sound: bool,
    /// `retentionDays`.
    pub retention_days: u32,
    /// `s1Label`..`s10Label`.
    pub labels: [Option<String>; 10],
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

    /// Types raw tags. `file` names the file in messages and anchors relative paths.
    pub fn from_raw(file: &Path, raw: &[RawTag]) -> Result<Settings, SettingsError> {
        let base = file.parent().map(Path::to_owned).unwrap_or_default();
        let err = |tag: &RawTag, message: String| SettingsError {
            file: file.to_owned(),
            line: Some(tag.line),
            tag: Some(tag.name.clone()),
            message,
        };
        let mut warnings = Vec::new();
        let mut seen: HashMap<&str, &RawTag> = HashMap::new();
        for tag in raw {
            if !KNOWN_TAGS.contains(&tag.name.as_str()) {
                warnings.push(format!(
                    "{}:{}: unknown tag <{}> ignored",
                    file.display(),
                    tag.line,
                    tag.name
                ));
            } else if let Some(first) = seen.insert(&tag.name, tag) {
                return Err(err(
                    tag,
                    format!("given twice (first on line {})", first.line),
                ));
            }
        }
        let get = |name: &str| seen.get(name).copied().filter(|t| !t.value.is_empty());
        let parse_bool = |tag: &RawTag| match tag.value.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Ok(true),
            "false" | "0" | "no" => Ok(false),
            other => Err(err(tag, format!("expected true or false, found {other:?}"))),
        };
        let parse_u32 = |tag: &RawTag, min: u32, max: u32| match tag.value.parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(err(
                tag,
                format!(
                    "expected a whole number from {min} to {max}, found {:?}",
                    tag.value
                ),
            )),
        };
        let path = |tag: &RawTag| base.join(&tag.value);

        let mut s = Settings {
            file: file.to_owned(),
            auth_required: get("qrCodeAuthRequired")
                .map(parse_bool)
                .transpose()?
                .unwrap_or(true),
            password: get("qrCodeAuthPassword").map(|t| Secret::from(t.value.as_str())),
            device_id: None,
            accepted_schemes: None,
            public_key: None,
            reuse: ReusePolicy::Once,
            ledger_file: get("ledgerFile").map_or_else(|| base.join("usher.db"), path),
            screens_dir: get("screensDir").map_or_else(|| base.join("screens"), path),
            result_seconds: get("resultSeconds")
                .map(|t| parse_u32(t, 1, 3600))
                .transpose()?
                .unwrap_or(3),
            camera: CameraChoice::Auto,
            admin_pin: None,
            server_url: None,
            device_token: get("deviceToken").map(|t| Secret::from(t.value.as_str())),
            sound: get("sound").map(parse_bool).transpose()?.unwrap_or(true),
            retention_days: get("retentionDays")
                .map(|t| parse_u32(t, 1, 3650))
                .transpose()?
                .unwrap_or(21),
            labels: Default::default(),
            warnings,
        };
        if let Some(tag) = get("deviceId") {
            if tag.value.len() > 64 || tag.value.chars().any(char::is_control) {
                return Err(err(tag, "expected at most 64 printable characters".into()));
            }
            s.device_id = Some(tag.value.clone());
        }
        if let Some(tag) = get("acceptedSchemes") {
            let set = tag
                .value
                .split_whitespace()
                .map(str::parse::<Scheme>)
                .collect::<Result<SchemeSet, _>>()
                .map_err(|e| err(tag, e.to_string()))?;
            s.accepted_schemes = Some(set);
        }
        if let Some(tag) = get("publicKeyFile") {
            let key_path = path(tag);
            let pem = std::fs::read_to_string(&key_path)
                .map_err(|e| err(tag, format!("cannot read {}: {e}", key_path.display())))?;
            let key = verifying_key_from_pem(&pem)
                .map_err(|e| err(tag, format!("{}: {e}", key_path.display())))?;
            s.public_key = Some((key_path, key));
        }
        if let Some(tag) = get("reusePolicy") {
            s.reuse = tag
                .value
                .parse()
                .map_err(|e: usher_core::reuse::BadPolicy| err(tag, e.to_string()))?;
        }
        if let Some(tag) = get("camera") {
            s.camera = match tag.value.as_str() {
                "auto" => CameraChoice::Auto,
                v => v
                    .parse()
                    .map_or_else(|_| CameraChoice::Name(v.to_owned()), CameraChoice::Index),
            };
        }
        if let Some(tag) = get("adminPin") {
            let v = &tag.value;
            if !(4..=12).contains(&v.len()) || !v.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err(tag, "expected 4 to 12 digits".into()));
            }
            s.admin_pin = Some(Secret::from(v.as_str()));
        }
        if let Some(tag) = get("serverUrl") {
            let v = tag.value.trim_end_matches('/');
            if !(v.starts_with("https://") || v.starts_with("http://"))
                || v.contains(char::is_whitespace)
            {
                return Err(err(
                    tag,
                    format!("expected an http:// or https:// URL, found {v:?}"),
                ));
            }
            s.server_url = Some(v.to_owned());
        }
        for n in 1..=10 {
            s.labels[n - 1] = get(&format!("s{n}Label")).map(|t| t.value.clone());
        }
        if let Some(tag) = get("qrCodeAuthPassword")
            && tag.value.len() < MIN_GOOD_PASSWORD
            && tag.value != BREEZE_DEFAULT_PASSWORD
        {
            s.warnings.push(format!(
                "{}:{}: <qrCodeAuthPassword> is shorter than {MIN_GOOD_PASSWORD} characters: a captured pass lets \
                 an attacker guess it offline; `usher keygen` makes a strong one",
                file.display(),
                tag.line
            ));
        }
        Ok(s)
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
        }
    }

    fn warn_if_secrets_readable(&mut self) {
        let holds_secret =
            self.password.is_some() || self.device_token.is_some() || self.admin_pin.is_some();
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
        for tag in KNOWN_TAGS {
            assert!(
                raw.iter().any(|t| t.name == *tag),
                "settings.example.xml lacks <{tag}>"
            );
        }
        // It names a public key file that a venue creates; type it without that file.
        let raw: Vec<_> = raw
            .into_iter()
            .filter(|t| t.name != "publicKeyFile")
            .collect();
        let s = Settings::from_raw(&example, &raw).expect("example types");
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
        assert_eq!(s.device_id.as_deref(), Some("front-door"));
        assert_eq!(s.labels[0].as_deref(), Some("Name"));
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
