//! The catalogue of bad input (issue 6), kiosk side: hostile QR texts through the real `usher
//! verify` binary against a real SQLite ledger, settings files through `usher verify` and the
//! kiosk's own refusal (`usher --headless`), and screen files through the screens folder loader.
//!
//! Every case is a row of data with the reaction DESIGN names (a verdict; a settings error with
//! file, line and tag; a warning; a screen falling back to the built-in one), and every case
//! checks the ledger before and after: a rejection adds no use and no outbox row, an acceptance
//! exactly one of each, and nothing recorded earlier is lost.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use support::{NOW, Venue, text, usher_fed as usher};
use usher_core::Secret;
use usher_core::Signer;
use usher_core::form::encode;

const EXP: i64 = NOW + 3600;
const PASSWORD: &str = "c4t4l0gue-venue-password-0123456789";

/// The catalogue's venue: `usher keygen` keys, a password, HMAC and Ed25519 accepted (SHA-1
/// not: a SHA-1 pass signed with the right password is a downgrade).
fn venue() -> Venue {
    let venue = Venue::keyed();
    venue.settings(&format!(
        "<qrCodeAuthPassword>{PASSWORD}</qrCodeAuthPassword>\n\
         <publicKeyFile>org.pem.pub</publicKeyFile>\n\
         <acceptedSchemes>hmac-sha256 ed25519</acceptedSchemes>"
    ));
    venue
}

fn hmac() -> Signer {
    Signer::HmacSha256(Secret::new(PASSWORD.as_bytes()))
}

fn signed(signer: &Signer, payload: &str) -> Vec<u8> {
    usher_core::issue::pass_text("usher://p", payload, signer).into_bytes()
}

fn other_ed25519() -> Signer {
    Signer::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]))
}

/// A QR-text case: the text (bytes: binary ones go through standard input) and the verdict.
struct Qr {
    what: &'static str,
    text: Vec<u8>,
    verdict: &'static str,
}

fn qr_cases(v: &Venue) -> Vec<Qr> {
    let (hmac, ed) = (hmac(), v.ed25519());
    let h = |p: &str| signed(&hmac, p);
    let e = |p: &str| signed(&ed, p);
    let ok = |extra: &str| format!("{{\"s1\":\"Ann\",{extra}\"expiry\":{EXP}}}");
    let repeat = ok("\"n\":\"rep\",");
    let deep = format!(
        "{{\"expiry\":{EXP},\"x\":{}{}}}",
        "[".repeat(2000),
        "]".repeat(2000)
    );
    let deep_10k = format!(
        "{{\"expiry\":{EXP},\"x\":{}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let sql = "Robert'); DROP TABLE uses;--\\\" OR 1=1; --";
    let q = |what, text: Vec<u8>, verdict| Qr {
        what,
        text,
        verdict,
    };
    let mut hex_upper = h(&ok("\"n\":\"up\","));
    let t = text(&hex_upper);
    let (a, rest) = t.split_once("auth=").unwrap();
    let (sig, rest) = rest.split_once('&').unwrap();
    hex_upper = format!("{a}auth={}&{rest}", sig.to_uppercase()).into_bytes();
    let tampered = {
        let good = text(&h(&ok("\"n\":\"t\",")));
        good.replacen("Ann", "Bob", 1).into_bytes()
    };
    vec![
        q("HMAC pass", h(&ok("")), "qr_accepted"),
        q("Ed25519 pass", e(&ok("\"n\":\"ed\",")), "qr_accepted"),
        q("a pass, first time", h(&repeat), "qr_accepted"),
        q("the same pass again", h(&repeat), "qr_used"),
        q("empty text", b"".to_vec(), "qr_missing_parameters"),
        q("4 KB of junk", vec![b'A'; 4097], "qr_invalid"),
        q(
            "4096 bytes of junk, no query",
            vec![b'z'; 4096],
            "qr_missing_parameters",
        ),
        q(
            "binary bytes (not UTF-8)",
            vec![0xff, 0xfe, 0x00, 0x01, 0x80, 0x9f, b'?', b'j', b'=', 0xc3],
            "qr_missing_parameters",
        ),
        q(
            "control characters in the parameter names",
            b"usher://p?\x01auth=\x07\x1b[2J&j=\x08".to_vec(),
            "qr_missing_parameters",
        ),
        q(
            "control characters in a signed name",
            h(&format!(
                "{{\"s1\":\"Ann\\u0007\\u001b[2J\\r\\nqr_accepted\",\"expiry\":{EXP}}}"
            )),
            "qr_accepted",
        ),
        q(
            "bidi override in a signed name",
            h(&format!(
                "{{\"s1\":\"\u{202E}nimdA\u{2066}\",\"expiry\":{EXP},\"n\":\"bidi\"}}"
            )),
            "qr_accepted",
        ),
        q(
            "JSON nested 2,000 deep (inside 4096 bytes)",
            h(&deep),
            "qr_invalid",
        ),
        q("JSON nested 10,000 deep", h(&deep_10k), "qr_invalid"),
        q(
            "expiry as a string",
            h(&format!("{{\"expiry\":\"{EXP}\"}}")),
            "qr_invalid",
        ),
        q(
            "expiry as a float",
            h(&format!("{{\"expiry\":{EXP}.5}}")),
            "qr_invalid",
        ),
        q(
            "expiry in exponent form",
            h("{\"expiry\":1.8e9}"),
            "qr_invalid",
        ),
        q("negative expiry", h("{\"expiry\":-1}"), "qr_invalid"),
        q(
            "expiry beyond u64",
            h("{\"expiry\":100000000000000000000000000000}"),
            "qr_invalid",
        ),
        q(
            "huge expiry (u64::MAX)",
            h("{\"expiry\":18446744073709551615,\"n\":\"max\"}"),
            "qr_accepted",
        ),
        q("expiry 0", h("{\"expiry\":0}"), "qr_expired"),
        q(
            "expired a second ago",
            h(&format!("{{\"expiry\":{}}}", NOW - 1)),
            "qr_expired",
        ),
        q("no expiry", h("{\"s1\":\"Ann\"}"), "qr_invalid"),
        q("null expiry", h("{\"expiry\":null}"), "qr_invalid"),
        q(
            "name as a number",
            h(&format!("{{\"s1\":42,\"expiry\":{EXP}}}")),
            "qr_invalid",
        ),
        q(
            "email as an object",
            h(&format!("{{\"email\":{{}},\"expiry\":{EXP}}}")),
            "qr_invalid",
        ),
        q(
            "id as a number",
            h(&format!("{{\"id\":1,\"expiry\":{EXP}}}")),
            "qr_invalid",
        ),
        q(
            "duplicate JSON key",
            h(&format!(
                "{{\"s1\":\"Ann\",\"s1\":\"Bob\",\"expiry\":{EXP}}}"
            )),
            "qr_invalid",
        ),
        q("payload an array", h("[]"), "qr_invalid"),
        q("payload null", h("null"), "qr_invalid"),
        q("payload not JSON", h("{expiry:1}"), "qr_invalid"),
        q(
            "bad percent-encoding in j",
            format!("usher://p?auth={}&j=%ZZ%7B%7D", hmac.sign(b"%ZZ{}")).into_bytes(),
            "qr_invalid",
        ),
        q(
            "truncated percent-encoding in j",
            format!("usher://p?auth={}&j=%7B%7", hmac.sign(b"{%7")).into_bytes(),
            "qr_invalid",
        ),
        q(
            "bad UTF-8 in j",
            format!(
                "usher://p?auth={}&j=%7B%22s1%22%3A%22%FF%22%7D",
                hmac.sign(b"{\"s1\":\"\xff\"}")
            )
            .into_bytes(),
            "qr_invalid",
        ),
        q(
            "unsigned bad percent-encoding",
            b"usher://p?auth=00&j=%G0".to_vec(),
            "qr_not_authorized",
        ),
        q(
            "j given twice",
            [h(&ok("\"n\":\"dj\",")), b"&j=%7B%7D".to_vec()].concat(),
            "qr_invalid",
        ),
        q(
            "auth given twice",
            [h(&ok("\"n\":\"da\",")), b"&auth=00".to_vec()].concat(),
            "qr_invalid",
        ),
        q(
            "no auth",
            format!("usher://p?j={}", encode(ok("").as_bytes())).into_bytes(),
            "qr_missing_parameters",
        ),
        q(
            "empty j",
            format!("usher://p?auth={}&j=", hmac.sign(b"")).into_bytes(),
            "qr_missing_parameters",
        ),
        q(
            "no query",
            b"https://example.org/pass".to_vec(),
            "qr_missing_parameters",
        ),
        q(
            "an id of another kiosk",
            h(&format!("{{\"id\":\"door-2\",\"expiry\":{EXP}}}")),
            "qr_not_authorized",
        ),
        q(
            "an id of this kiosk",
            h(&format!("{{\"id\":\"door-1\",\"expiry\":{EXP}}}")),
            "qr_accepted",
        ),
        q(
            "signed with another Ed25519 key",
            signed(&other_ed25519(), &ok("\"n\":\"other\",")),
            "qr_not_authorized",
        ),
        q(
            "HMAC with another password",
            signed(
                &Signer::HmacSha256(Secret::new(b"not-the-venue-password-at-all!!")),
                &ok("\"n\":\"pw\","),
            ),
            "qr_not_authorized",
        ),
        q(
            "downgraded to SHA-1 (right password, scheme not accepted)",
            signed(
                &Signer::Sha1(Secret::new(PASSWORD.as_bytes())),
                &ok("\"n\":\"sha1\","),
            ),
            "qr_not_authorized",
        ),
        q(
            "payload changed after signing",
            tampered,
            "qr_not_authorized",
        ),
        q(
            "auth of 39 hex digits",
            format!("usher://p?auth={}&j=%7B%7D", "a".repeat(39)).into_bytes(),
            "qr_not_authorized",
        ),
        q(
            "auth of 40 non-hex characters",
            format!("usher://p?auth={}&j=%7B%7D", "z".repeat(40)).into_bytes(),
            "qr_not_authorized",
        ),
        q("auth in upper-case hex", hex_upper, "qr_accepted"),
        q(
            "extra parameters and unknown fields",
            [
                b"usher://p?utm=1&x=%00&".to_vec(),
                h(&ok("\"n\":\"x\",\"zz\":[1,{}],"))[10..].to_vec(),
                b"&y=2".to_vec(),
            ]
            .concat(),
            "qr_accepted",
        ),
        q(
            "SQL meta-characters in every field",
            h(&format!(
                "{{\"s1\":\"{sql}\",\"s2\":\"{sql}\",\"s3\":\"{sql}\",\"c1\":\"{sql}\",\"email\":\"{sql}\",\"expiry\":{EXP}}}"
            )),
            "qr_accepted",
        ),
        q(
            "NUL in a signed name",
            h(&format!(
                "{{\"s1\":\"A\\u0000nn\",\"expiry\":{EXP},\"n\":\"nul\"}}"
            )),
            "qr_accepted",
        ),
        q(
            "Arabic name",
            h(&format!("{{\"s1\":\"محمد علي\",\"expiry\":{EXP}}}")),
            "qr_accepted",
        ),
        q(
            "an old system's walk-in code, legacyCodes off (the default)",
            b"2+Fatima Zahra+(630) 555-0101+fz@example.org".to_vec(),
            "qr_missing_parameters",
        ),
        q(
            "an old system's reservation receipt, legacyCodes off (the default)",
            b"3+BCDFGH+Omar K+630-555-0102+ok@example.org+F+3".to_vec(),
            "qr_missing_parameters",
        ),
    ]
}

fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn run_qr_cases(v: &Venue) -> usize {
    let db = v.path("usher.db");
    let cases = qr_cases(v);
    let mut wrong = Vec::new();
    for c in &cases {
        let before = support::ledger_rows(&db);
        let as_arg = std::str::from_utf8(&c.text)
            .ok()
            .filter(|t| !t.contains('\0') && !t.is_empty() && t != &"-");
        let now = NOW.to_string();
        let out = match as_arg {
            Some(t) => usher(
                v.dir.path(),
                &["verify", "--settings", "settings.xml", "--now", &now, t],
                None,
            ),
            None => usher(
                v.dir.path(),
                &["verify", "--settings", "settings.xml", "--now", &now, "-"],
                Some(&[c.text.as_slice(), b"\n"].concat()),
            ),
        };
        let stdout = text(&out.stdout);
        let after = support::ledger_rows(&db);
        if c.text.is_empty() {
            // An empty line on standard input is skipped: nothing judged, nothing recorded.
            assert_eq!(stdout, "", "{}", c.what);
            assert_eq!(before, after, "{}", c.what);
            continue;
        }
        let first = stdout.split('\t').next().unwrap_or("");
        if first != c.verdict {
            wrong.push(format!(
                "{}: expected {}, got {stdout:?} (stderr {:?})",
                c.what,
                c.verdict,
                text(&out.stderr)
            ));
            continue;
        }
        let accepted = c.verdict == "qr_accepted";
        assert_eq!(
            out.status.code(),
            Some(if accepted { 0 } else { 1 }),
            "{}",
            c.what
        );
        let grew = i64::from(accepted);
        assert_eq!(after.0, before.0 + grew, "{}: uses", c.what);
        assert_eq!(after.1, before.1 + grew, "{}: outbox", c.what);
        assert_eq!(after.2, before.2 + 1, "{}: one scan-log row", c.what);
        assert!(
            !stdout.chars().any(is_hostile),
            "{}: output carries control or bidi characters: {stdout:?}",
            c.what
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    cases.len()
}

/// A settings case: the file's body, extra files, and what must happen.
struct SettingsCase {
    what: &'static str,
    xml: String,
    mode: u32,
    /// `Err(parts)`: `usher verify` stops with exit 2 and a one-line error holding every part.
    /// `Ok(parts)`: it runs, and its warnings hold every part.
    expect: Result<Vec<&'static str>, Vec<&'static str>>,
    /// The kiosk itself (`usher --headless`) refuses to start.
    kiosk_refuses: bool,
}

fn settings_cases() -> Vec<SettingsCase> {
    let head = "<?xml version=\"1.0\"?>\n<settings>\n<deviceId>door-1</deviceId>\n";
    let s = |what, body: &str, mode, expect, kiosk_refuses| SettingsCase {
        what,
        xml: format!("{head}{body}\n</settings>\n"),
        mode,
        expect,
        kiosk_refuses,
    };
    vec![
        SettingsCase {
            what: "malformed XML (unclosed tag)",
            xml: format!("{head}<reusePolicy>once</reuse>\n</settings>\n"),
            mode: 0o600,
            expect: Err(vec!["settings.xml:4", "malformed XML"]),
            kiosk_refuses: true,
        },
        SettingsCase {
            what: "not XML at all",
            xml: "\u{0}\u{1}binary\u{ff}".into(),
            mode: 0o600,
            expect: Err(vec!["settings.xml:1"]),
            kiosk_refuses: true,
        },
        SettingsCase {
            what: "the file ends before </settings>",
            xml: format!("{head}<reusePolicy>once</reusePolicy>\n"),
            mode: 0o600,
            expect: Err(vec!["settings.xml:", "<settings>", "ends before"]),
            kiosk_refuses: true,
        },
        s(
            "a missing key file",
            "<publicKeyFile>nowhere.pub</publicKeyFile>",
            0o600,
            Err(vec!["settings.xml:4", "<publicKeyFile>", "nowhere.pub"]),
            true,
        ),
        s(
            "a key of the wrong kind (private key as public)",
            "<publicKeyFile>org.pem</publicKeyFile>",
            0o600,
            Err(vec!["settings.xml:4", "<publicKeyFile>"]),
            true,
        ),
        s(
            "a key of the wrong kind (the secret file)",
            "<publicKeyFile>org.pem.secret</publicKeyFile>",
            0o600,
            Err(vec!["settings.xml:4", "<publicKeyFile>"]),
            true,
        ),
        s(
            "the Breeze default password",
            "<qrCodeAuthPassword>&lt;auth_password&gt;</qrCodeAuthPassword>",
            0o600,
            Ok(vec!["default"]),
            true,
        ),
        s(
            "an empty password with HMAC accepted",
            "<qrCodeAuthPassword></qrCodeAuthPassword><acceptedSchemes>hmac-sha256</acceptedSchemes>",
            0o600,
            Ok(vec!["empty"]),
            true,
        ),
        s(
            "a short password",
            "<qrCodeAuthPassword>short</qrCodeAuthPassword>",
            0o600,
            Ok(vec!["shorter than 16"]),
            false,
        ),
        s(
            "a world-readable file holding a secret",
            &format!("<qrCodeAuthPassword>{PASSWORD}</qrCodeAuthPassword>"),
            0o644,
            Ok(vec!["readable by other users", "chmod 600"]),
            false,
        ),
        s(
            "an unknown reuse policy",
            &format!(
                "<qrCodeAuthPassword>{PASSWORD}</qrCodeAuthPassword><reusePolicy>sometimes</reusePolicy>"
            ),
            0o600,
            Err(vec!["settings.xml:4", "<reusePolicy>", "sometimes"]),
            true,
        ),
        s(
            "an unknown scheme",
            &format!(
                "<qrCodeAuthPassword>{PASSWORD}</qrCodeAuthPassword><acceptedSchemes>md5</acceptedSchemes>"
            ),
            0o600,
            Err(vec!["settings.xml:4", "<acceptedSchemes>"]),
            true,
        ),
        s(
            "nested markup in a value",
            &format!(
                "<qrCodeAuthPassword>{PASSWORD}</qrCodeAuthPassword><deviceId><b>x</b></deviceId>"
            ),
            0o600,
            Err(vec!["settings.xml:4", "<deviceId>", "nested markup"]),
            true,
        ),
        s(
            "an unknown tag (a Breeze setting)",
            &format!(
                "<qrCodeAuthPassword>{PASSWORD}</qrCodeAuthPassword><printerName>x</printerName>"
            ),
            0o600,
            Ok(vec!["settings.xml:4", "unknown tag <printerName>"]),
            false,
        ),
        s(
            "an http:// server that is not on this computer (the token in clear)",
            &format!(
                "<qrCodeAuthPassword>{PASSWORD}</qrCodeAuthPassword><serverUrl>http://door.example.org</serverUrl>"
            ),
            0o600,
            Err(vec![
                "settings.xml:4",
                "<serverUrl>",
                "<allowInsecureServer>",
            ]),
            true,
        ),
        s(
            "an http:// server allowed with <allowInsecureServer>",
            &format!(
                "<qrCodeAuthPassword>{PASSWORD}</qrCodeAuthPassword><serverUrl>http://door.example.org</serverUrl>\n\
                 <allowInsecureServer>true</allowInsecureServer>"
            ),
            0o600,
            Ok(vec!["settings.xml:4", "<serverUrl>", "in clear"]),
            false,
        ),
        s(
            "the old system's unsigned codes read (<legacyCodes>)",
            &format!(
                "<qrCodeAuthPassword>{PASSWORD}</qrCodeAuthPassword><legacyCodes>true</legacyCodes>"
            ),
            0o600,
            Ok(vec![
                "settings.xml:4",
                "<legacyCodes>",
                "anyone can make one",
            ]),
            false,
        ),
        s(
            "an unknown door mode",
            &format!(
                "<qrCodeAuthPassword>{PASSWORD}</qrCodeAuthPassword><doorMode>both</doorMode>"
            ),
            0o600,
            Err(vec!["settings.xml:4", "<doorMode>", "door mode"]),
            true,
        ),
        s(
            "a capacity given twice for one entrance",
            &format!(
                "<qrCodeAuthPassword>{PASSWORD}</qrCodeAuthPassword>\n<capacity entrance=\"sisters\">5</capacity>\n\
                 <capacity entrance=\"sisters\">6</capacity>"
            ),
            0o600,
            Err(vec!["settings.xml:6", "<capacity>", "given twice"]),
            true,
        ),
        s(
            "a closing time that is no HH:MM",
            &format!(
                "<qrCodeAuthPassword>{PASSWORD}</qrCodeAuthPassword><closingTime>1am</closingTime>"
            ),
            0o600,
            Err(vec!["settings.xml:4", "<closingTime>", "HH:MM"]),
            true,
        ),
        s(
            "a volunteer PIN that is no 4 to 12 digits",
            &format!(
                "<qrCodeAuthPassword>{PASSWORD}</qrCodeAuthPassword><volunteerPin>12a4</volunteerPin>"
            ),
            0o600,
            Err(vec!["settings.xml:4", "<volunteerPin>", "4 to 12 digits"]),
            true,
        ),
        s(
            "an undo window of no minutes",
            &format!(
                "<qrCodeAuthPassword>{PASSWORD}</qrCodeAuthPassword><undoMinutes>0</undoMinutes>"
            ),
            0o600,
            Err(vec!["settings.xml:4", "<undoMinutes>", "from 1 to 1440"]),
            true,
        ),
        s(
            "a register URL that is no web address",
            &format!(
                "<qrCodeAuthPassword>{PASSWORD}</qrCodeAuthPassword><registerUrl>javascript:alert(1)</registerUrl>"
            ),
            0o600,
            Err(vec![
                "settings.xml:4",
                "<registerUrl>",
                "http:// or https://",
            ]),
            true,
        ),
        s(
            "ed25519 accepted without a key",
            "<acceptedSchemes>ed25519</acceptedSchemes>",
            0o600,
            Ok(vec!["ed25519", "<publicKeyFile>"]),
            true,
        ),
    ]
}

fn run_settings_cases() -> usize {
    let cases = settings_cases();
    for c in &cases {
        let dir = tempfile::tempdir().unwrap();
        let o = usher(dir.path(), &["keygen", "--out", "org.pem"], None);
        assert!(o.status.success());
        let file = dir.path().join("settings.xml");
        std::fs::write(&file, &c.xml).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(c.mode)).unwrap();
        let out = usher(
            dir.path(),
            &["verify", "--settings", "settings.xml", "--now", "1", "x"],
            None,
        );
        let stderr = text(&out.stderr);
        assert!(!stderr.contains("panicked"), "{}: {stderr}", c.what);
        match &c.expect {
            Err(parts) => {
                assert_eq!(out.status.code(), Some(2), "{}: {stderr}", c.what);
                assert_eq!(stderr.lines().count(), 1, "{}: one line: {stderr}", c.what);
                for p in parts {
                    assert!(stderr.contains(p), "{}: {p:?} not in {stderr:?}", c.what);
                }
                assert!(
                    !dir.path().join("usher.db").exists(),
                    "{}: a ledger was made",
                    c.what
                );
            }
            Ok(parts) => {
                assert_eq!(out.status.code(), Some(1), "{}: {stderr}", c.what);
                for p in parts {
                    assert!(stderr.contains(p), "{}: {p:?} not in {stderr:?}", c.what);
                }
            }
        }
        if c.kiosk_refuses {
            let k = usher(
                dir.path(),
                &[
                    "--settings",
                    "settings.xml",
                    "--headless",
                    "--source",
                    "demo",
                ],
                None,
            );
            assert_eq!(k.status.code(), Some(2), "{}: the kiosk started", c.what);
            assert!(!text(&k.stderr).contains("panicked"), "{}", c.what);
        }
    }
    cases.len()
}

/// Bytes of a GIF whose logical screen is `w` x `h`, holding `frames` frames of 1x1 pixel
/// (written by hand: a hostile file needs no encoder).
fn gif(w: u16, h: u16, frames: usize) -> Vec<u8> {
    let mut b = b"GIF89a".to_vec();
    b.extend_from_slice(&w.to_le_bytes());
    b.extend_from_slice(&h.to_le_bytes());
    b.extend_from_slice(&[0, 0, 0]);
    for _ in 0..frames {
        // Graphic control: 10 ms, then a 1x1 image with a 2-colour local table.
        b.extend_from_slice(&[0x21, 0xf9, 4, 0, 1, 0, 0, 0]);
        b.extend_from_slice(&[0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0x80, 0, 0, 0, 255, 255, 255]);
        b.extend_from_slice(&[2, 2, 0x44, 1, 0]);
    }
    b.push(0x3b);
    b
}

/// A screens-folder case: files to make, and which screens load from the folder.
struct ScreenCase {
    what: &'static str,
    make: fn(&Path, &Path),
    /// (screen, has a background, animations) expected from the folder; others built in.
    loaded: &'static [(&'static str, bool, usize)],
}

fn screen_cases() -> Vec<ScreenCase> {
    vec![
        ScreenCase {
            what: "a good background and animation",
            make: |d, _| {
                image::RgbaImage::from_pixel(4, 4, image::Rgba([0, 200, 0, 255]))
                    .save(d.join("qr_accepted.png"))
                    .unwrap();
                std::fs::write(d.join("ready_loop.gif"), gif(4, 4, 3)).unwrap();
            },
            loaded: &[("qr_accepted", true, 0), ("ready", false, 1)],
        },
        ScreenCase {
            what: "a corrupt JPEG",
            make: |d, _| {
                let mut jpeg = vec![0xff, 0xd8, 0xff, 0xe0, 0, 0x10];
                jpeg.extend_from_slice(b"JFIF\0garbage garbage");
                std::fs::write(d.join("qr_used.jpg"), jpeg).unwrap();
            },
            loaded: &[],
        },
        ScreenCase {
            what: "a truncated PNG",
            make: |d, _| {
                let mut png = Vec::new();
                image::RgbaImage::from_pixel(64, 64, image::Rgba([1, 2, 3, 255]))
                    .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
                    .unwrap();
                std::fs::write(d.join("qr_used.png"), &png[..png.len() / 2]).unwrap();
            },
            loaded: &[],
        },
        ScreenCase {
            what: "a GIF with 3,000 frames",
            make: |d, _| std::fs::write(d.join("qr_accepted.gif"), gif(1, 1, 3000)).unwrap(),
            loaded: &[],
        },
        ScreenCase {
            what: "a GIF whose frames need more than 256 MiB decoded",
            make: |d, _| std::fs::write(d.join("qr_expired.gif"), gif(2048, 2048, 20)).unwrap(),
            loaded: &[],
        },
        ScreenCase {
            what: "a GIF with a 65535 x 65535 canvas",
            make: |d, _| std::fs::write(d.join("ready.gif"), gif(65535, 65535, 1)).unwrap(),
            loaded: &[],
        },
        ScreenCase {
            what: "a PNG declaring 60,000 x 60,000 pixels",
            make: |d, _| {
                // A valid header and IHDR for 100000 x 1, then nothing.
                let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
                png.extend_from_slice(&60_000u32.to_be_bytes());
                png.extend_from_slice(&60_000u32.to_be_bytes());
                png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
                std::fs::write(d.join("qr_invalid.png"), png).unwrap();
            },
            loaded: &[],
        },
        ScreenCase {
            what: "a file name that is a path",
            make: |d, _| {
                std::fs::write(d.join("..\\..\\etc\\qr_accepted.txt"), "x").unwrap();
                std::fs::write(d.join("qr_accepted.txt.."), "x").unwrap();
                std::fs::create_dir(d.join("qr_used.txt")).unwrap();
            },
            loaded: &[],
        },
        ScreenCase {
            what: "a symlink pointing out of the folder",
            make: |d, outside| {
                std::fs::write(outside.join("secret.txt"), "SECRET-OUTSIDE").unwrap();
                std::os::unix::fs::symlink(outside.join("secret.txt"), d.join("qr_accepted.txt"))
                    .unwrap();
                std::os::unix::fs::symlink("/etc/passwd", d.join("qr_used.txt")).unwrap();
                std::os::unix::fs::symlink("/dev/zero", d.join("qr_expired.wav")).unwrap();
            },
            loaded: &[],
        },
        ScreenCase {
            what: "a symlink to a file inside the folder",
            make: |d, _| {
                std::fs::write(d.join("welcome.text"), "Hello {name}").unwrap();
                std::os::unix::fs::symlink(d.join("welcome.text"), d.join("qr_accepted.txt"))
                    .unwrap();
            },
            loaded: &[("qr_accepted", false, 0)],
        },
        ScreenCase {
            what: "a dangling symlink",
            make: |d, _| {
                std::os::unix::fs::symlink(d.join("gone.png"), d.join("ready.png")).unwrap();
            },
            loaded: &[],
        },
        ScreenCase {
            what: "a template that is not UTF-8",
            make: |d, _| std::fs::write(d.join("qr_used.txt"), b"\xff\xfe{name}").unwrap(),
            loaded: &[],
        },
        ScreenCase {
            what: "language folders holding a link out, bad UTF-8, a large text and a picture",
            make: |d, outside| {
                for lang in ["ar", "ur", "fr"] {
                    std::fs::create_dir(d.join(lang)).unwrap();
                }
                std::fs::write(outside.join("secret.txt"), "SECRET-OUTSIDE").unwrap();
                std::os::unix::fs::symlink(
                    outside.join("secret.txt"),
                    d.join("ar/qr_accepted.txt"),
                )
                .unwrap();
                std::fs::write(d.join("ur/qr_used.txt"), b"\xff\xfe{name}").unwrap();
                let f = std::fs::File::create(d.join("fr/ready.txt")).unwrap();
                f.set_len(10 << 20).unwrap();
                image::RgbaImage::from_pixel(4, 4, image::Rgba([0, 200, 0, 255]))
                    .save(d.join("fr/qr_accepted.png"))
                    .unwrap();
            },
            loaded: &[],
        },
        ScreenCase {
            what: "a language folder that is a link out of the folder, and folders of no language",
            make: |d, outside| {
                std::fs::write(outside.join("qr_accepted.txt"), "SECRET-OUTSIDE").unwrap();
                std::os::unix::fs::symlink(outside, d.join("ar")).unwrap();
                for other in ["de", "AR", "ar-EG", "..."] {
                    std::fs::create_dir(d.join(other)).unwrap();
                    std::fs::write(d.join(other).join("qr_accepted.txt"), "x").unwrap();
                }
            },
            loaded: &[],
        },
        ScreenCase {
            what: "a 100 MB sound file",
            make: |d, _| {
                let f = std::fs::File::create(d.join("qr_used.wav")).unwrap();
                f.set_len(100 << 20).unwrap();
            },
            loaded: &[],
        },
    ]
}

fn run_screen_cases() -> usize {
    let cases = screen_cases();
    for c in &cases {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("screens");
        let outside = root.path().join("outside");
        std::fs::create_dir(&dir).unwrap();
        std::fs::create_dir(&outside).unwrap();
        (c.make)(&dir, &outside);
        let started = std::time::Instant::now();
        let mut folder = usher::screens::Folder::new(&dir);
        let set = folder.poll().expect("first poll loads");
        let took = started.elapsed();
        assert!(took.as_secs() < 20, "{}: took {took:?}", c.what);
        for name in usher::screens::SCREEN_NAMES {
            let screen = set.get(name);
            match c.loaded.iter().find(|(n, _, _)| *n == name) {
                Some((_, bg, anims)) => {
                    let s = screen.unwrap_or_else(|| panic!("{}: {name} not loaded", c.what));
                    assert_eq!(s.background.is_some(), *bg, "{}: {name}", c.what);
                    assert_eq!(s.animations.len(), *anims, "{}: {name}", c.what);
                }
                None => {
                    let s = screen.cloned().unwrap_or_default();
                    assert!(
                        s.background.is_none()
                            && s.animations.is_empty()
                            && s.sound.is_none()
                            && s.text.is_none()
                            && s.texts.is_empty(),
                        "{}: {name} should be built in",
                        c.what
                    );
                }
            }
        }
        let accepted = set.get("qr_accepted");
        let accepted_text = accepted.and_then(|s| s.text.clone());
        let language_texts = accepted.map(|s| s.texts.values().cloned().collect::<String>());
        assert!(
            !language_texts.is_some_and(|t| t.contains("SECRET-OUTSIDE")),
            "{}: read a file outside the folder through a language folder",
            c.what
        );
        assert!(
            !accepted_text.is_some_and(|t| t.contains("SECRET-OUTSIDE")),
            "{}: read a file outside the folder",
            c.what
        );
        // Each problem is logged once: not again on the next poll, nor on the admin's reload.
        let logged = folder.problems_logged();
        let expect_problems = c.loaded.is_empty() || c.what.contains("inside");
        assert_eq!(logged > 0, expect_problems, "{}: {logged} logged", c.what);
        assert!(folder.poll().is_none(), "{}", c.what);
        folder.reload();
        assert_eq!(folder.problems_logged(), logged, "{}: logged again", c.what);
    }
    cases.len()
}

/// `usher scan` on image files whose names are hostile: one line per image, none forged.
fn run_scan_name_cases(v: &Venue) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "a\tqr_accepted\tsigned in\nb.png",
        "\u{202E}gnp.evil.png",
        "\u{1b}[2Jclear.png",
    ];
    for n in names {
        image::GrayImage::from_pixel(32, 32, image::Luma([255u8]))
            .save_with_format(dir.path().join(n), image::ImageFormat::Png)
            .unwrap();
    }
    let settings = v.path("settings.xml");
    let out = usher(
        dir.path(),
        &[
            "scan",
            "--settings",
            settings.to_str().unwrap(),
            "--ledger",
            ":memory:",
            "--now",
            "1",
            ".",
        ],
        None,
    );
    let stdout = text(&out.stdout);
    assert_eq!(
        stdout.lines().count(),
        names.len(),
        "{stdout:?} {}",
        text(&out.stderr)
    );
    assert!(
        stdout.lines().all(|l| l.ends_with("\tno_code")),
        "{stdout:?}"
    );
    assert!(!stdout.chars().any(is_hostile), "{stdout:?}");
    names.len()
}

#[test]
fn catalogue_of_bad_input_kiosk_side() {
    let venue = venue();
    let qr = run_qr_cases(&venue);
    let settings = run_settings_cases();
    let screens = run_screen_cases();
    let names = run_scan_name_cases(&venue);
    let total = qr + settings + screens + names;
    println!(
        "catalogue (kiosk): {total}/{total} cases ({qr} QR texts, {settings} settings files, \
         {screens} screens folders, {names} image file names)"
    );
    assert!(total >= 60, "{total} cases");
    // Nothing accepted earlier was lost along the way.
    let (uses, outbox, _) = support::ledger_rows(&venue.path("usher.db"));
    let accepted = qr_cases(&venue)
        .iter()
        .filter(|c| c.verdict == "qr_accepted")
        .count() as i64;
    assert_eq!((uses, outbox), (accepted, accepted));
}
