//! Keyboard-wedge barcode scanners: a USB scanner "types" the pass text and Enter.
//!
//! A scanner types far faster than a person. [`Wedge`] collects characters typed with gaps of
//! at most [`MAX_GAP_MS`] and, on Enter, hands back the burst as one scan when it is at least
//! [`MIN_LEN`] characters long. Slower typing (a person at the keyboard) is dropped. Bursts are
//! capped just past `usher_core::MAX_PASS_TEXT`, so a scanner typing megabytes costs no memory
//! and still earns `qr_invalid`.

use crate::kiosk::Millis;

/// The longest gap between two keystrokes of one burst.
pub const MAX_GAP_MS: Millis = 100;
/// The shortest burst taken as a scan.
pub const MIN_LEN: usize = 8;
const CAP: usize = usher_core::MAX_PASS_TEXT + 1;

/// Collects keystrokes into scans.
#[derive(Debug, Default)]
pub struct Wedge {
    buf: String,
    chars: usize,
    last: Option<Millis>,
}

impl Wedge {
    /// A wedge with nothing typed.
    pub fn new() -> Self {
        Self::default()
    }

    fn gap_ok(&self, now: Millis) -> bool {
        self.last
            .is_some_and(|t| now.saturating_sub(t) <= MAX_GAP_MS)
    }

    /// Text typed at `now` (one key or several, as the window system delivers them).
    pub fn text(&mut self, text: &str, now: Millis) {
        if !self.gap_ok(now) {
            self.buf.clear();
            self.chars = 0;
        }
        for c in text.chars() {
            if c == '\n' || c == '\r' {
                continue;
            }
            if self.chars < CAP {
                self.buf.push(c);
                self.chars += 1;
            }
        }
        self.last = Some(now);
    }

    /// Enter pressed at `now`: the burst, when it was one.
    pub fn enter(&mut self, now: Millis) -> Option<String> {
        let burst = self.gap_ok(now) && self.chars >= MIN_LEN;
        let text = std::mem::take(&mut self.buf);
        self.chars = 0;
        self.last = None;
        burst.then_some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(w: &mut Wedge, s: &str, start: Millis, gap: Millis) -> Millis {
        let mut t = start;
        for c in s.chars() {
            w.text(&c.to_string(), t);
            t += gap;
        }
        t
    }

    #[test]
    fn a_fast_burst_is_a_scan() {
        let mut w = Wedge::new();
        let t = typed(&mut w, "https://u.example/p?j=x&auth=y", 1_000, 8);
        assert_eq!(
            w.enter(t).as_deref(),
            Some("https://u.example/p?j=x&auth=y")
        );
        assert_eq!(w.enter(t + 5), None, "Enter alone is nothing");
    }

    #[test]
    fn slow_typing_is_not_a_scan() {
        let mut w = Wedge::new();
        let t = typed(&mut w, "1234567890", 0, 250);
        assert_eq!(w.enter(t), None);
    }

    #[test]
    fn a_pause_starts_a_new_burst() {
        let mut w = Wedge::new();
        let t = typed(&mut w, "garbage", 0, 5);
        let t = typed(&mut w, "https://u.example/?j=1&auth=2", t + 1_000, 5);
        assert_eq!(w.enter(t).as_deref(), Some("https://u.example/?j=1&auth=2"));
    }

    #[test]
    fn short_bursts_and_late_enter_are_dropped() {
        let mut w = Wedge::new();
        let t = typed(&mut w, "abc", 0, 5);
        assert_eq!(w.enter(t), None);
        let t = typed(&mut w, "abcdefghijkl", 10_000, 5);
        assert_eq!(w.enter(t + 2_000), None);
    }

    #[test]
    fn huge_bursts_are_capped_past_the_limit() {
        let mut w = Wedge::new();
        let chunk = "x".repeat(10_000);
        for i in 0..100 {
            w.text(&chunk, i);
        }
        let text = w.enter(100).unwrap();
        assert_eq!(text.len(), usher_core::MAX_PASS_TEXT + 1);
    }

    #[test]
    fn pasted_text_in_one_event_counts() {
        let mut w = Wedge::new();
        w.text("https://u.example/?j=1&auth=2", 0);
        assert!(w.enter(3).is_some());
    }
}
