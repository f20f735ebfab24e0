//! Enrolment: the server's enrolment QR text (`usher-enroll:?server=…&token=…&key=…&device=…`)
//! turned into this kiosk's settings: server URL, device token, the organiser's public key and
//! the device id the server enrolled it under (its rows must name it).

use anyhow::{Context, bail};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::VerifyingKey;
use std::path::{Path, PathBuf};
use usher_core::{Secret, form};

/// The prefix of an enrolment text.
pub const PREFIX: &str = "usher-enroll:";

/// What an enrolment QR code carries.
#[derive(Debug, Clone)]
pub struct Enrolment {
    /// The server's base URL.
    pub server: String,
    /// This kiosk's device token.
    pub token: Secret,
    /// The organiser's Ed25519 public key.
    pub key: VerifyingKey,
    /// The name the server enrolled this kiosk under: its `<deviceId>` (absent from codes of
    /// older servers).
    pub device: Option<String>,
}

impl Enrolment {
    /// Reads an enrolment text; errors say which part is missing or malformed.
    pub fn parse(text: &str) -> anyhow::Result<Enrolment> {
        let text = text.trim();
        if !text.starts_with(PREFIX) {
            bail!("not an enrolment code (it starts with {PREFIX:?})");
        }
        let query =
            form::query_of(text).context("the enrolment code has no ?server=…&token=…&key=…")?;
        let (mut server, mut token, mut key, mut device) = (None, None, None, None);
        for param in form::params(query) {
            let value = String::from_utf8(form::decode(param.value).bytes)
                .with_context(|| format!("{} is not UTF-8", param.key))?;
            match param.key {
                "server" => server = Some(value),
                "token" => token = Some(value),
                "key" => key = Some(value),
                "device" => device = Some(value),
                _ => {}
            }
        }
        let server = server
            .filter(|s| !s.is_empty())
            .context("the enrolment code has no server")?;
        if !(server.starts_with("https://") || server.starts_with("http://"))
            || server.contains(char::is_whitespace)
        {
            bail!("the enrolment code's server {server:?} is no http(s) URL");
        }
        let token = token
            .filter(|t| !t.is_empty())
            .context("the enrolment code has no token")?;
        let key = key.context("the enrolment code has no key")?;
        let bytes: [u8; 32] = URL_SAFE_NO_PAD
            .decode(key.as_bytes())
            .ok()
            .and_then(|b| b.try_into().ok())
            .context("the enrolment code's key is not 32 bytes of base64url")?;
        let key = VerifyingKey::from_bytes(&bytes)
            .context("the enrolment code's key is no Ed25519 key")?;
        let device = device.filter(|d| !d.is_empty());
        if device
            .as_ref()
            .is_some_and(|d| d.chars().count() > 64 || d.chars().any(char::is_control))
        {
            bail!("the enrolment code's device is not at most 64 printable characters");
        }
        Ok(Enrolment {
            server: server.trim_end_matches('/').to_owned(),
            token: Secret::from(token),
            key,
            device,
        })
    }
}

/// Writes the enrolment into `settings_file` (created if absent; other tags kept) and the
/// public key beside it as `organiser.pub`. Returns the key file's path.
pub fn apply(enrolment: &Enrolment, settings_file: &Path) -> anyhow::Result<PathBuf> {
    let dir = settings_file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let key_file = dir.join("organiser.pub");
    let pem = usher_core::scheme::public_key_pem(&enrolment.key)?;
    std::fs::write(&key_file, pem).with_context(|| format!("writing {}", key_file.display()))?;
    let text = match std::fs::read_to_string(settings_file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            "<settings>\n</settings>\n".to_owned()
        }
        Err(e) => return Err(e).with_context(|| format!("reading {}", settings_file.display())),
    };
    if usher_core::wire::sends_token_in_clear(&enrolment.server)
        && !text.contains("<allowInsecureServer>true</allowInsecureServer>")
    {
        bail!(
            "the enrolment code's server {:?} is http:// to another computer: the device token \
             would travel in clear; enrol over https://, or set \
             <allowInsecureServer>true</allowInsecureServer> in {} first",
            enrolment.server,
            settings_file.display()
        );
    }
    let token = String::from_utf8_lossy(enrolment.token.expose()).into_owned();
    let mut tags = vec![
        ("serverUrl", enrolment.server.as_str()),
        ("deviceToken", token.as_str()),
        ("publicKeyFile", "organiser.pub"),
    ];
    if let Some(device) = &enrolment.device {
        tags.push(("deviceId", device));
    }
    // The server's visitor form, for the ready screen's "register on your phone" code.
    let form = format!("{}/", enrolment.server);
    tags.push(("registerUrl", &form));
    let updated = crate::settings::set_tags(&text, &tags)
        .map_err(|e| anyhow::anyhow!("updating {}: {e}", settings_file.display()))?;
    crate::private_file::replace(settings_file, &updated)?;
    Ok(key_file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(server: &str, token: &str, key: &VerifyingKey) -> String {
        format!(
            "{PREFIX}?server={}&token={}&key={}",
            form::encode(server.as_bytes()),
            form::encode(token.as_bytes()),
            URL_SAFE_NO_PAD.encode(key.as_bytes())
        )
    }

    #[test]
    fn an_enrolment_code_sets_server_token_and_key_and_keeps_other_settings() {
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("settings.xml");
        std::fs::write(&file, "<settings>\n  <deviceId>door-1</deviceId>\n  <serverUrl>http://old</serverUrl>\n</settings>\n")
            .expect("w");
        let key = ed25519_dalek::SigningKey::from_bytes(&[4; 32]).verifying_key();
        let e = Enrolment::parse(&code("https://usher.example.org/", "tok&en<1>", &key))
            .expect("parse");
        assert_eq!(e.server, "https://usher.example.org");
        assert_eq!(format!("{:?}", e.token), "***");
        apply(&e, &file).expect("apply");
        let s = crate::settings::Settings::load(&file).expect("load");
        assert_eq!(s.device_id.as_deref(), Some("door-1"));
        assert_eq!(s.server_url.as_deref(), Some("https://usher.example.org"));
        assert_eq!(
            s.register_url.as_deref(),
            Some("https://usher.example.org/"),
            "enrolment points the ready screen's code at the server's form"
        );
        assert_eq!(
            s.device_token.as_ref().map(Secret::expose),
            Some(&b"tok&en<1>"[..])
        );
        assert_eq!(s.public_key.as_ref().map(|(_, k)| *k), Some(key));
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    }

    #[test]
    fn an_http_code_off_this_computer_is_refused_unless_allowed_and_the_device_id_is_set() {
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("settings.xml");
        let key = ed25519_dalek::SigningKey::from_bytes(&[4; 32]).verifying_key();
        let text = format!(
            "{}&device=Front%20door",
            code("http://door.example.org", "t", &key)
        );
        let e = Enrolment::parse(&text).expect("parse");
        let refused = apply(&e, &file).expect_err("http in clear").to_string();
        assert!(refused.contains("<allowInsecureServer>"), "{refused}");
        assert!(!file.exists(), "nothing written");
        std::fs::write(
            &file,
            "<settings>\n<allowInsecureServer>true</allowInsecureServer>\n</settings>\n",
        )
        .expect("w");
        apply(&e, &file).expect("allowed");
        let s = crate::settings::Settings::load(&file).expect("load");
        assert_eq!(s.device_id.as_deref(), Some("Front door"));
        assert!(
            s.warnings.iter().any(|w| w.contains("in clear")),
            "{:?}",
            s.warnings
        );
        let local = Enrolment::parse(&code("http://127.0.0.1:8080", "t", &key)).expect("parse");
        apply(&local, &dir.path().join("other.xml")).expect("loopback needs no leave");
    }

    #[test]
    fn malformed_codes_are_named() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[4; 32]).verifying_key();
        for (text, needle) in [
            ("https://x/?a=1".to_owned(), "not an enrolment"),
            (format!("{PREFIX}?token=t&key=x"), "no server"),
            (
                format!("{PREFIX}?server=ftp%3A%2F%2Fx&token=t&key=x"),
                "no http",
            ),
            (format!("{PREFIX}?server=http%3A%2F%2Fx&key=x"), "no token"),
            (
                format!("{PREFIX}?server=http%3A%2F%2Fx&token=t&key=abc"),
                "32 bytes",
            ),
            (
                code("http://x", "t", &key).replace("key=", "nokey="),
                "no key",
            ),
        ] {
            let e = Enrolment::parse(&text).expect_err(&text).to_string();
            assert!(e.contains(needle), "{text}: {e}");
        }
    }
}
