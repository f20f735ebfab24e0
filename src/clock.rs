//! The one clock seam: every "now" in the kiosk comes from a [`Clock`].

use chrono::{Local, Offset, TimeZone};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use usher_core::Now;

/// Where the kiosk gets the time.
pub trait Clock: Send + Sync {
    /// The current moment, with the local UTC offset.
    fn now(&self) -> Now;
}

/// The system clock and the local time zone.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Now {
        let utc = chrono::Utc::now();
        let offset = Local.offset_from_utc_datetime(&utc.naive_utc()).fix();
        Now {
            unix: utc.timestamp(),
            utc_offset: offset.local_minus_utc(),
        }
    }
}

/// A clock that says what it is told: for tests and `--now`.
#[derive(Debug)]
pub struct FixedClock {
    unix: AtomicI64,
    utc_offset: i32,
}

impl FixedClock {
    /// A clock stopped at `now`.
    pub fn new(now: Now) -> Self {
        FixedClock {
            unix: AtomicI64::new(now.unix),
            utc_offset: now.utc_offset,
        }
    }

    /// Moves the clock by `secs` seconds.
    pub fn advance(&self, secs: i64) {
        self.unix.fetch_add(secs, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Now {
        Now {
            unix: self.unix.load(Ordering::SeqCst),
            utc_offset: self.utc_offset,
        }
    }
}

/// A clock that never reads earlier than the latest time the kiosk has seen (the server's
/// `Date` headers, its own records): a kiosk whose clock was set back cannot judge an expired
/// pass as valid (DESIGN §6).
pub struct FlooredClock {
    inner: Arc<dyn Clock>,
    floor: Arc<AtomicI64>,
}

impl std::fmt::Debug for FlooredClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "FlooredClock(floor {})",
            self.floor.load(Ordering::SeqCst)
        )
    }
}

impl FlooredClock {
    /// `inner`, but never earlier than `floor` (which others may raise).
    pub fn new(inner: Arc<dyn Clock>, floor: Arc<AtomicI64>) -> Self {
        FlooredClock { inner, floor }
    }
}

impl Clock for FlooredClock {
    fn now(&self) -> Now {
        let now = self.inner.now();
        Now {
            unix: now.unix.max(self.floor.load(Ordering::SeqCst)),
            ..now
        }
    }
}

/// Raises `floor` to `seen` if that is later.
pub fn raise_floor(floor: &AtomicI64, seen: i64) {
    floor.fetch_max(seen, Ordering::SeqCst);
}

/// The moment `unix` with the local offset in force then (for `--now`).
pub fn at(unix: i64) -> Now {
    let offset = Local
        .timestamp_opt(unix, 0)
        .single()
        .map_or(0, |t| t.offset().fix().local_minus_utc());
    Now {
        unix,
        utc_offset: offset,
    }
}

/// A Unix time as local `YYYY-MM-DD HH:MM:SS`, for people.
pub fn local_time(unix: i64) -> String {
    match Local.timestamp_opt(unix, 0).single() {
        Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
        None => unix.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_advances_only_when_told() {
        let clock = FixedClock::new(Now {
            unix: 100,
            utc_offset: 3600,
        });
        assert_eq!(
            clock.now(),
            Now {
                unix: 100,
                utc_offset: 3600
            }
        );
        clock.advance(60);
        assert_eq!(clock.now().unix, 160);
    }

    #[test]
    fn a_floored_clock_never_goes_below_what_was_seen() {
        let inner = Arc::new(FixedClock::new(Now::utc(1_000)));
        let floor = Arc::new(AtomicI64::new(0));
        let clock = FlooredClock::new(inner.clone(), Arc::clone(&floor));
        assert_eq!(clock.now().unix, 1_000);
        raise_floor(&floor, 5_000);
        raise_floor(&floor, 4_000);
        assert_eq!(clock.now().unix, 5_000);
        inner.advance(10_000);
        assert_eq!(clock.now().unix, 11_000);
    }

    #[test]
    fn system_clock_is_after_2025() {
        assert!(SystemClock.now().unix > 1_735_689_600);
    }
}
