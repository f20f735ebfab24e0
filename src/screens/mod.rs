//! Feedback screens (DESIGN §3): the venue's screens folder, and the built-in screens that
//! stand in for anything it lacks.
//!
//! - [`placement`]: the `_{T10%W10%}` modifiers of animation file names;
//! - [`template`]: `NAME.txt` templates and their placeholders;
//! - [`folder`]: which file is which, loading, and picking up changes while running.

pub mod folder;
pub mod placement;
pub mod template;

pub use folder::{Animation, Folder, Picture, SCREEN_NAMES, Screen, ScreenSet};
pub use placement::Placement;

use crate::kiosk::VerdictEvent;
use usher_core::VerdictKind;
use usher_i18n::Lang;

/// A built-in screen: background colour and an icon glyph; its message is the translation
/// [`message_id`] (`kiosk-screen-NAME` in `usher-i18n`'s `kiosk.ftl`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltIn {
    /// Background colour, RGB.
    pub colour: [u8; 3],
    /// An icon drawn large above the message.
    pub icon: &'static str,
}

/// The translation id of screen `name`'s built-in message: `kiosk-screen-ready`,
/// `kiosk-screen-qr_accepted`, ...
pub fn message_id(name: &str) -> String {
    format!("kiosk-screen-{name}")
}

/// The built-in screen for `name` (`ready` or a verdict name).
pub fn built_in(name: &str) -> BuiltIn {
    let kind = VerdictKind::from_name(name);
    match kind {
        None => BuiltIn {
            colour: [24, 40, 72],
            icon: "▣",
        },
        Some(VerdictKind::Accepted) => BuiltIn {
            colour: [16, 122, 56],
            icon: "✔",
        },
        Some(VerdictKind::Used) => BuiltIn {
            colour: [196, 120, 0],
            icon: "⟲",
        },
        Some(VerdictKind::Expired) => BuiltIn {
            colour: [150, 40, 40],
            icon: "◷",
        },
        Some(VerdictKind::NotAuthorized) => BuiltIn {
            colour: [150, 30, 30],
            icon: "✖",
        },
        Some(VerdictKind::Invalid) => BuiltIn {
            colour: [120, 30, 60],
            icon: "✖",
        },
        Some(VerdictKind::MissingParameters) => BuiltIn {
            colour: [90, 40, 110],
            icon: "?",
        },
        // The door's verdicts (DESIGN §8).
        Some(VerdictKind::Goodbye) => BuiltIn {
            colour: [20, 90, 130],
            icon: "✔",
        },
        Some(VerdictKind::Full) => BuiltIn {
            colour: [150, 40, 40],
            icon: "✖",
        },
        Some(VerdictKind::TooEarly) => BuiltIn {
            colour: [196, 120, 0],
            icon: "◷",
        },
    }
}

/// Template values for a verdict, times in local time.
pub fn values_for(event: &VerdictEvent) -> template::Values {
    use crate::clock::local_time;
    let hm = |unix: i64| {
        let t = local_time(unix);
        t.get(11..16).map_or(t.clone(), str::to_owned)
    };
    use usher_core::display::clean;
    let cleaned = |o: &Option<String>| o.as_deref().map(|s| clean(s).into_owned());
    template::Values {
        // Pass fields are the printer's text: no control or bidi character reaches the screen.
        strings: std::array::from_fn(|i| cleaned(&event.strings[i])),
        time: hm(event.at),
        expiry: event
            .expiry
            .and_then(|e| i64::try_from(e).ok())
            .map(local_time),
        first_used: event.first_use.as_ref().map(|f| local_time(f.at)),
        first_device: event
            .first_use
            .as_ref()
            .map(|f| clean(&f.device_id).into_owned()),
        opens: event.not_before.and_then(|nb| opens(nb, event.at)),
    }
}

/// When an event pass's doors open, for `{opens}`: `HH:MM` local time on the day of the scan
/// at `at`, with the date before it on another day.
fn opens(nb: u64, at: i64) -> Option<String> {
    let nb = crate::clock::local_time(i64::try_from(nb).ok()?);
    let today = crate::clock::local_time(at);
    let (day, time) = (nb.get(..10)?, nb.get(11..16)?);
    Some(if today.get(..10) == Some(day) {
        time.to_owned()
    } else {
        format!("{day} {time}")
    })
}

/// The message to draw on screen `name` in `lang`: the folder's template for `lang`
/// (`screens/LANG/NAME.txt`), else its plain one (`screens/NAME.txt`), else the built-in
/// message in `lang`, filled.
pub fn message(name: &str, event: Option<&VerdictEvent>, set: &ScreenSet, lang: Lang) -> String {
    let values = event.map(values_for).unwrap_or_default();
    let filled = match set.get(name).and_then(|s| s.text_for(lang)) {
        Some(template) => template::fill(template, &values),
        None => usher_i18n::text_with(lang, &message_id(name), &values.args()),
    };
    // Lines left empty by missing values ("Welcome " with no name) are tidied.
    filled
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kiosk::{FirstUse, ScanSource};

    fn event(kind: VerdictKind) -> VerdictEvent {
        let mut strings: [Option<String>; 10] = Default::default();
        strings[0] = Some("Amélie".into());
        VerdictEvent {
            kind,
            strings,
            expiry: Some(0),
            not_before: None,
            first_use: Some(FirstUse {
                at: 0,
                device_id: "kiosk-9".into(),
            }),
            reason: String::new(),
            at: 0,
            source: ScanSource::Camera,
            door: Default::default(),
        }
    }

    #[test]
    fn every_screen_has_a_built_in_message() {
        let set = ScreenSet::default();
        for name in SCREEN_NAMES {
            let kind = VerdictKind::from_name(name);
            let ev = kind.map(event);
            let text = message(name, ev.as_ref(), &set, Lang::En);
            assert!(!text.is_empty(), "{name}");
        }
        assert!(
            message(
                "qr_accepted",
                Some(&event(VerdictKind::Accepted)),
                &set,
                Lang::En
            )
            .starts_with("Welcome Amélie")
        );
        assert!(
            message("qr_used", Some(&event(VerdictKind::Used)), &set, Lang::En).contains("kiosk-9")
        );
    }

    #[test]
    fn folder_text_wins() {
        let mut set = ScreenSet::default();
        set.screens.insert(
            "qr_accepted",
            Screen {
                text: Some("Salaam {name}!".into()),
                ..Screen::default()
            },
        );
        assert_eq!(
            message(
                "qr_accepted",
                Some(&event(VerdictKind::Accepted)),
                &set,
                Lang::En
            ),
            "Salaam Amélie!"
        );
    }

    #[test]
    fn pass_fields_cannot_reorder_or_break_the_screen() {
        let mut ev = event(VerdictKind::Accepted);
        ev.strings[0] = Some("\u{202E}nimdA\u{2066}\r\nSigned out".into());
        ev.strings[1] = Some("محمد علي".into());
        let set = ScreenSet::default();
        let text = message("qr_accepted", Some(&ev), &set, Lang::En);
        assert_eq!(text.lines().next(), Some("Welcome nimdA Signed out"));
        assert!(
            !text
                .chars()
                .any(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        );
        assert_eq!(values_for(&ev).strings[1].as_deref(), Some("محمد علي"));
        let mut used = event(VerdictKind::Used);
        used.first_use = Some(FirstUse {
            at: 0,
            device_id: "k\u{202E}1\u{1b}[2J".into(),
        });
        assert!(message("qr_used", Some(&used), &set, Lang::En).ends_with("on k1[2J"));
    }

    #[test]
    fn the_built_in_message_speaks_the_kiosk_language() {
        let set = ScreenSet::default();
        let accepted = event(VerdictKind::Accepted);
        assert_eq!(
            message("qr_accepted", Some(&accepted), &set, Lang::Fr),
            format!(
                "Bienvenue Amélie\nEntrée enregistrée à {}",
                values_for(&accepted).time
            )
        );
        assert!(message("ready", None, &set, Lang::Ar).starts_with("اعرض"));
        // Every screen has its message in every language, with no placeable left unfilled.
        for lang in Lang::ALL {
            for name in SCREEN_NAMES {
                let ev = VerdictKind::from_name(name).map(event);
                let text = message(name, ev.as_ref(), &set, lang);
                assert!(
                    !text.is_empty() && !text.contains('{'),
                    "{lang} {name}: {text}"
                );
                assert_ne!(text, message_id(name), "{lang} {name}: no translation");
            }
        }
    }

    #[test]
    fn the_per_language_screen_text_wins_over_the_plain_one_for_its_language_only() {
        let mut set = ScreenSet::default();
        let mut screen = Screen {
            text: Some("Welcome to the masjid {name}".into()),
            ..Screen::default()
        };
        screen
            .texts
            .insert(Lang::Ar, "أهلاً بك في المسجد {name}".into());
        set.screens.insert("qr_accepted", screen);
        let ev = event(VerdictKind::Accepted);
        assert_eq!(
            message("qr_accepted", Some(&ev), &set, Lang::Ar),
            "أهلاً بك في المسجد Amélie"
        );
        assert_eq!(
            message("qr_accepted", Some(&ev), &set, Lang::Ur),
            "Welcome to the masjid Amélie",
            "no Urdu file: the plain one"
        );
        assert_eq!(
            message("qr_accepted", Some(&ev), &set, Lang::En),
            "Welcome to the masjid Amélie"
        );
        // A language file alone replaces only that language's built-in message.
        let mut set = ScreenSet::default();
        let mut screen = Screen::default();
        screen.texts.insert(Lang::Tr, "Hoş geldin {name}".into());
        set.screens.insert("qr_accepted", screen);
        assert_eq!(
            message("qr_accepted", Some(&ev), &set, Lang::Tr),
            "Hoş geldin Amélie"
        );
        assert!(message("qr_accepted", Some(&ev), &set, Lang::En).starts_with("Welcome Amélie"));
    }
}
