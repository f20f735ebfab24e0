//! Fuzz target: settings.xml bytes to typed settings, as the kiosk reads its file at start.
//!
//! `usher::settings::Settings::parse` is `Settings::load` without the file read and the
//! permission check. The file is named under a folder that does not exist, so a relative
//! `<publicKeyFile>` is never found. Besides "no panic": an error names the file and a line
//! inside the text; typed settings keep the limits the parser promises.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use usher::settings::Settings;

const FILE: &str = "/nonexistent-usher-fuzz/settings.xml";

fuzz_target!(|data: &[u8]| {
    let file = Path::new(FILE);
    match Settings::parse(data, file) {
        Err(e) => {
            let shown = e.to_string();
            assert!(shown.starts_with(FILE), "{shown}");
            let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
            if let Some(line) = e.line {
                assert!(
                    (1..=lines).contains(&line),
                    "line {line} of {lines}: {shown}"
                );
            }
            if let Some(tag) = &e.tag {
                assert!(!tag.is_empty(), "{shown}");
            }
        }
        Ok(s) => {
            if let Some(id) = &s.device_id {
                assert!(
                    id.len() <= 64 && !id.chars().any(char::is_control),
                    "{id:?}"
                );
            }
            if let Some(pin) = &s.admin_pin {
                assert!((4..=12).contains(&pin.len()));
            }
            assert!((1..=3600).contains(&s.result_seconds));
            assert!((1..=3650).contains(&s.retention_days));
            if let Some(url) = &s.server_url {
                assert!(
                    url.starts_with("http://") || url.starts_with("https://"),
                    "{url}"
                );
            }
            for w in &s.warnings {
                assert!(w.starts_with(FILE), "{w}");
            }
            // What the kiosk does next with them: refusals, then the verdict rules.
            let _ = s.refusals();
            let rules = s.rules("front-door".to_owned());
            assert_eq!(rules.accepted, s.accepted());
        }
    }
});
