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

/// How far past the local clock one server reply may move the floor (issue 10 item 1): a
/// larger gap is a clock warning for the admin, not a new floor.
pub const MAX_FLOOR_LEAD: i64 = 300;

/// Where the floor is kept between runs, so that an admin's "trust this computer's clock"
/// outlives a restart (the kiosk's ledger; nothing in tests).
pub trait FloorStore: Send + Sync {
    /// Forgets the stored floor (called off the UI thread).
    fn forget(&self);
}

/// A clock that never reads earlier than the latest time the kiosk has seen (the server's
/// `Date` headers, its own records): a kiosk whose clock was set back cannot judge an expired
/// pass as valid (DESIGN §6). A server time raises it at most [`MAX_FLOOR_LEAD`] past the
/// local clock; an admin can lower it again ([`FlooredClock::trust_local_clock`]).
pub struct FlooredClock {
    inner: Arc<dyn Clock>,
    floor: Arc<AtomicI64>,
    store: std::sync::OnceLock<Arc<dyn FloorStore>>,
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
        FlooredClock {
            inner,
            floor,
            store: std::sync::OnceLock::new(),
        }
    }

    /// Keeps the floor's forgetting in `store` too (once: later calls are ignored).
    pub fn keep_in(&self, store: Arc<dyn FloorStore>) {
        let _ = self.store.set(store);
    }

    /// The local clock without the floor (the retention purge and the bound on the floor).
    pub fn local(&self) -> Now {
        self.inner.now()
    }

    /// Raises the floor towards `seen` (a trusted server's time), never past the local clock
    /// plus [`MAX_FLOOR_LEAD`]; returns the floor after.
    pub fn raise_towards(&self, seen: i64) -> i64 {
        let cap = self.inner.now().unix.saturating_add(MAX_FLOOR_LEAD);
        raise_floor(&self.floor, seen.min(cap));
        self.floor.load(Ordering::SeqCst)
    }

    /// How many seconds the floor is ahead of the local clock (0 when it is not).
    pub fn lead(&self) -> i64 {
        let floor = self.floor.load(Ordering::SeqCst);
        floor.saturating_sub(self.inner.now().unix).max(0)
    }

    /// A warning for the admin when the floor holds the kiosk's time ahead of its clock.
    pub fn warning(&self) -> Option<String> {
        let lead = self.lead();
        (lead > MAX_FLOOR_LEAD).then(|| {
            format!(
                "the kiosk keeps its time at least {} minutes ahead of this computer's clock \
                 (the latest time it saw); if this computer's clock is right, trust it",
                lead / 60
            )
        })
    }

    /// The admin's "trust this computer's clock": the floor is forgotten, here at once and in
    /// the store on a short named thread (the UI thread never waits on I/O).
    pub fn trust_local_clock(&self) {
        self.floor.store(i64::MIN, Ordering::SeqCst);
        tracing::warn!("the admin trusts this computer's clock: the time floor is forgotten");
        if let Some(store) = self.store.get().cloned() {
            let spawned = std::thread::Builder::new()
                .name("usher-clock-trust".into())
                .spawn(move || store.forget());
            if let Err(e) = spawned {
                tracing::error!("cannot forget the stored time floor: {e}");
            }
        }
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
    fn a_server_time_raises_the_floor_at_most_five_minutes_past_the_local_clock() {
        let inner = Arc::new(FixedClock::new(Now::utc(1_000_000)));
        let clock = FlooredClock::new(inner.clone(), Arc::new(AtomicI64::new(i64::MIN)));
        assert_eq!(clock.raise_towards(1_000_060), 1_000_060);
        assert_eq!(
            clock.raise_towards(253_402_300_799),
            1_000_000 + MAX_FLOOR_LEAD
        );
        assert_eq!(clock.now().unix, 1_000_300);
        assert!(clock.warning().is_none(), "5 minutes is within bounds");
        inner.advance(-3_600);
        assert!(
            clock
                .warning()
                .expect("an hour behind")
                .contains("65 minutes")
        );
        clock.trust_local_clock();
        assert_eq!(clock.now().unix, 1_000_000 - 3_600);
        assert!(clock.warning().is_none());
    }

    #[test]
    fn system_clock_is_after_2025() {
        assert!(SystemClock.now().unix > 1_735_689_600);
    }
}
