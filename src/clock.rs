//! The one clock seam: every "now" in the kiosk comes from a [`Clock`].

use chrono::{Local, Offset, TimeZone};
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
    fn system_clock_is_after_2025() {
        assert!(SystemClock.now().unix > 1_735_689_600);
    }
}
