//! Screen sounds: `NAME.wav` / `.ogg` / `.mp3` played with the screen (feature `sound`).
//!
//! The output device is opened on first use. No audio device (this is common on kiosks and CI)
//! means silence and one log line, never a crash; the device is tried again at most once a minute.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Plays sounds on the default output device, or stays silent.
#[derive(Default)]
pub struct Sound {
    #[cfg(feature = "sound")]
    sink: Option<rodio::MixerDeviceSink>,
    #[cfg(feature = "sound")]
    players: Vec<rodio::Player>,
    failed_at: Option<Instant>,
    logged: bool,
}

impl std::fmt::Debug for Sound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sound")
            .field("failed_at", &self.failed_at)
            .finish_non_exhaustive()
    }
}

/// A short beep (WAV, 16-bit mono) for the admin's "test sound" when no screen has a sound.
pub fn beep_wav() -> Vec<u8> {
    let rate = 22_050u32;
    let samples: Vec<i16> = (0..rate / 4)
        .map(|i| {
            let t = f64::from(i) / f64::from(rate);
            ((t * 880.0 * std::f64::consts::TAU).sin() * 8_000.0) as i16
        })
        .collect();
    let data_len = u32::try_from(samples.len() * 2).unwrap_or(0);
    let mut out = Vec::with_capacity(44 + samples.len() * 2);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

impl Sound {
    /// A player that opens the device when first asked to play.
    pub fn new() -> Self {
        Self::default()
    }

    /// Plays `bytes` (the file `path`, for logs); returns whether it is playing.
    pub fn play(&mut self, path: &Path, bytes: &Arc<Vec<u8>>) -> bool {
        if self
            .failed_at
            .is_some_and(|t| t.elapsed() < Duration::from_secs(60))
        {
            return false;
        }
        self.play_inner(path, bytes)
    }

    #[cfg(feature = "sound")]
    fn play_inner(&mut self, path: &Path, bytes: &Arc<Vec<u8>>) -> bool {
        if self.sink.is_none() {
            match rodio::DeviceSinkBuilder::open_default_sink() {
                Ok(mut sink) => {
                    sink.log_on_drop(false);
                    self.sink = Some(sink);
                    self.failed_at = None;
                }
                Err(e) => {
                    self.failed_at = Some(Instant::now());
                    if !self.logged {
                        self.logged = true;
                        tracing::warn!("sound: no audio output ({e}); screens stay silent");
                    }
                    return false;
                }
            }
        }
        let Some(sink) = &self.sink else {
            return false;
        };
        // Finished players are dropped; a new screen's sound cuts the previous one short.
        self.players.clear();
        let cursor = std::io::Cursor::new(SharedBytes(Arc::clone(bytes)));
        match rodio::play(sink.mixer(), cursor) {
            Ok(player) => {
                self.players.push(player);
                true
            }
            Err(e) => {
                tracing::warn!("sound: cannot play {}: {e}", path.display());
                false
            }
        }
    }

    #[cfg(not(feature = "sound"))]
    fn play_inner(&mut self, _path: &Path, _bytes: &Arc<Vec<u8>>) -> bool {
        if !self.logged {
            self.logged = true;
            tracing::info!("sound: built without the sound feature; screens stay silent");
        }
        self.failed_at = Some(Instant::now());
        false
    }
}

/// Shared bytes that rodio can read and seek.
#[cfg(feature = "sound")]
#[derive(Debug, Clone)]
struct SharedBytes(Arc<Vec<u8>>);

#[cfg(feature = "sound")]
impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_device_is_silence_not_a_crash() {
        let mut s = Sound::new();
        let beep = Arc::new(beep_wav());
        // With no sound card this returns false; with one it plays. Either way no panic.
        let first = s.play(Path::new("beep.wav"), &beep);
        assert_eq!(first, s.failed_at.is_none(), "a failure is remembered");
        let asked = Instant::now();
        let second = s.play(Path::new("beep.wav"), &beep);
        if !first {
            // Silent again at once: the device is not tried again within the minute.
            assert!(!second);
            assert!(asked.elapsed() < Duration::from_millis(50));
            assert!(s.logged, "the missing device was logged once");
        }
    }

    #[test]
    fn beep_is_a_wav() {
        let b = beep_wav();
        assert_eq!(&b[..4], b"RIFF");
        assert_eq!(&b[8..12], b"WAVE");
    }
}
