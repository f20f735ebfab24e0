//! Fuzz target: a file name in the screens folder to its screen, role and placement.
//!
//! `usher::screens::folder::classify` reads names like `qr_used_loop_{T10%W10%}.gif` (the
//! placement modifiers go through `Placement::parse`); a placed animation's rectangle is then
//! computed for a few screens as the window does. Besides "no panic": a name is only taken
//! for one of the seven screens, and a placement the parser accepts gives a finite rectangle.
#![no_main]

use libfuzzer_sys::fuzz_target;
use usher::screens::SCREEN_NAMES;
use usher::screens::folder::{Role, classify};

fuzz_target!(|data: &[u8]| {
    // The folder skips names that are not UTF-8 (`OsStr::to_str`), as here.
    let Ok(name) = std::str::from_utf8(data) else {
        return;
    };
    let Ok((screen, role)) = classify(name) else {
        return;
    };
    assert!(SCREEN_NAMES.contains(&screen), "{screen}");
    assert!(name.starts_with(screen), "{name} read as {screen}");
    if let Role::Animation { placement, .. } = role {
        for screen in [(1920.0, 1080.0), (800.0, 480.0), (1.0, 1.0)] {
            for natural in [(320.0, 240.0), (1.0, 4000.0), (0.0, 0.0)] {
                let r = placement.rect(screen, natural);
                assert!(
                    [r.cx, r.cy, r.w, r.h].iter().all(|v| v.is_finite()),
                    "{name}: {placement:?} on {screen:?} gives {r:?}"
                );
            }
        }
    }
});
