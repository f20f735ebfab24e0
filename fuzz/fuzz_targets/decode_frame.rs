//! Fuzz target: arbitrary grey frames through the kiosk's decoder cascade.
//!
//! The first two bytes give the width (1 to 1024), the rest are the pixels, row by row (the
//! height is what they fill). `Cascade::recommended` runs each decoder step under
//! `usher_decode::guarded` (`catch_unwind`), as the kiosk's scan thread does: a decoder panic
//! is caught, counted and treated as "no code". Only a panic that escapes that isolation, or a
//! crash, is a finding. libFuzzer's own panic hook aborts at once (before `catch_unwind` can
//! act), so it is put back to the default one, which prints and lets the unwind happen.
#![no_main]

use libfuzzer_sys::fuzz_target;
use usher_decode::{Cascade, Decoder, GreyFrame};

fuzz_target!(
    init: {
        let _abort_hook = std::panic::take_hook();
    },
    |data: &[u8]| {
        let Some((head, pixels)) = data.split_first_chunk::<2>() else {
            return;
        };
        let width = u32::from(u16::from_le_bytes(*head) % 1024) + 1;
        let height = pixels.len() / width as usize;
        if height == 0 {
            return;
        }
        let used = width as usize * height;
        let Ok(frame) = GreyFrame::from_vec(width, height as u32, pixels[..used].to_vec()) else {
            return;
        };
        let texts = Cascade::recommended().decode(&frame);
        for t in texts {
            assert!(t.len() < 1 << 20);
        }
    }
);
