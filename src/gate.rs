//! The PIN gate in front of the admin panel: the PINs (as [`Secret`]s), the digits typed, and
//! the lockout that stops PIN guessing, kept across closing the pad and restarting the kiosk.
//!
//! - [`PinGate`]: pure, driven by the state machine with monotonic [`Millis`]. After
//!   [`PIN_ATTEMPTS`] wrong PINs in a row it locks for 30 s, then 1 min, 2 min, … up to
//!   [`PIN_LOCKOUT_MAX_MS`]; only the right PIN resets the count and the growth.
//! - [`LockoutStore`]: where the count and the lockout are kept. [`LedgerLockoutStore`] writes a
//!   row in the ledger on its own thread (the UI thread never waits on the disk) and turns the
//!   remaining lockout into wall-clock time from the clock seam, so a restart keeps it;
//!   [`MemoryLockoutStore`] is the test double.

use crate::clock::Clock;
use crate::kiosk::Millis;
use crate::ledger::SqliteLedger;
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use usher_core::Secret;

/// Wrong PINs in a row before the gate locks.
pub const PIN_ATTEMPTS: u32 = 5;
/// How long the first lockout lasts; each next one lasts twice as long.
pub const PIN_LOCKOUT_MS: Millis = 30_000;
/// The longest lockout.
pub const PIN_LOCKOUT_MAX_MS: Millis = 15 * 60_000;
/// The most digits a PIN entry takes.
const MAX_DIGITS: usize = 32;

/// What a right PIN opens: the volunteer's panel (`<volunteerPin>`) or the admin panel
/// (`<adminPin>`). The admin PIN opens everything the volunteer PIN opens
/// ([`Role::allows`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// The door volunteer: roll call, admitting over capacity.
    Volunteer,
    /// The admin panel: every action, quitting included, and all the volunteer's.
    Admin,
}

impl Role {
    /// Whether this role may do what `needed` may.
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }
}

/// The gate's memory of wrong PINs, as kept by a [`LockoutStore`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lockout {
    /// Wrong PINs since the last lockout (or the last right PIN).
    pub failures: u32,
    /// Lockouts since the last right PIN: the next one lasts [`lockout_ms`] of this plus one.
    pub lockouts: u32,
    /// How much of the current lockout is left (0: not locked).
    pub remaining_ms: Millis,
}

/// How long lockout number `n` (from 1) lasts: 30 s, 1 min, 2 min, … capped at 15 min.
pub fn lockout_ms(n: u32) -> Millis {
    let doublings = n.saturating_sub(1).min(16);
    (PIN_LOCKOUT_MS << doublings).min(PIN_LOCKOUT_MAX_MS)
}

/// Where the gate keeps its [`Lockout`] between runs.
pub trait LockoutStore: Send {
    /// What was kept, with the lockout left counted from now.
    fn load(&self) -> Lockout;
    /// Keeps `state` (its lockout left counted from now). Never blocks on the disk.
    fn save(&mut self, state: Lockout);
}

/// The answer to a submitted PIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// The right PIN: this opens.
    Opened(Role),
    /// A wrong PIN; more tries are left.
    Wrong,
    /// A wrong PIN that locked the gate until then.
    LockedOut(Millis),
    /// The gate is locked: nothing was checked.
    Refused,
}

/// The PINs, the digits typed so far and the lockout.
pub struct PinGate {
    pins: Vec<(Role, Secret)>,
    typed: Secret,
    state: Lockout,
    /// Locked until then; `None` with `state.remaining_ms > 0`: restored, starts at the next input.
    locked_until: Option<Millis>,
    store: Box<dyn LockoutStore>,
}

/// Neither the PINs nor the digits typed are printed.
impl std::fmt::Debug for PinGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PinGate")
            .field("pins", &self.pins)
            .field("typed", &self.typed)
            .field("state", &self.state)
            .field("locked_until", &self.locked_until)
            .finish_non_exhaustive()
    }
}

impl PinGate {
    /// A gate for this admin PIN (`None` or empty: the panel opens without one), remembering
    /// wrong PINs in `store` and starting from what it kept.
    pub fn new(admin_pin: Option<Secret>, store: Box<dyn LockoutStore>) -> Self {
        Self::with_pins(admin_pin, None, store)
    }

    /// A gate for an admin PIN and a volunteer PIN (either `None` or empty: not set). Both
    /// count towards the same wrong-PIN count and lockout; a PIN equal to the admin PIN opens
    /// the admin panel.
    pub fn with_pins(
        admin_pin: Option<Secret>,
        volunteer_pin: Option<Secret>,
        store: Box<dyn LockoutStore>,
    ) -> Self {
        let pins = [(Role::Admin, admin_pin), (Role::Volunteer, volunteer_pin)]
            .into_iter()
            .filter_map(|(role, pin)| pin.filter(|p| !p.is_empty()).map(|p| (role, p)))
            .collect();
        let state = store.load();
        PinGate {
            pins,
            typed: Secret::default(),
            state,
            locked_until: None,
            store,
        }
    }

    /// A gate keeping its lockout in memory only (tests, the demo feed).
    pub fn in_memory(admin_pin: Option<&[u8]>) -> Self {
        Self::new(
            admin_pin.map(Secret::new),
            Box::new(MemoryLockoutStore::default()),
        )
    }

    /// What opens without a PIN: everything when no admin PIN is configured.
    pub fn open_without_pin(&self) -> Option<Role> {
        (!self.pins.iter().any(|(role, _)| *role == Role::Admin)).then_some(Role::Admin)
    }

    /// Whether a PIN for exactly `role` is set.
    pub fn has_pin_for(&self, role: Role) -> bool {
        self.pins.iter().any(|(r, _)| *r == role)
    }

    /// Whether `role` opens without a PIN.
    pub fn opens_without_pin(&self, role: Role) -> bool {
        self.open_without_pin().is_some_and(|r| r.allows(role))
    }

    /// Until when the gate is locked, at `now`; a lockout kept from the last run starts now.
    pub fn locked_until(&mut self, now: Millis) -> Option<Millis> {
        if self.locked_until.is_none() && self.state.remaining_ms > 0 {
            self.locked_until = Some(now + self.state.remaining_ms);
        }
        match self.locked_until {
            Some(t) if t > now => Some(t),
            _ => {
                self.locked_until = None;
                self.state.remaining_ms = 0;
                None
            }
        }
    }

    /// How many digits are typed.
    pub fn typed(&self) -> usize {
        self.typed.len()
    }

    /// Types a digit (anything else is ignored, as is typing while locked); whether it counted.
    pub fn digit(&mut self, c: char, now: Millis) -> bool {
        if !c.is_ascii_digit() || self.typed.len() >= MAX_DIGITS || self.locked_until(now).is_some()
        {
            return false;
        }
        let mut more = self.typed.expose().to_vec();
        more.push(c as u8);
        self.typed = Secret::new(more);
        true
    }

    /// Removes the last digit.
    pub fn backspace(&mut self) {
        let bytes = self.typed.expose();
        self.typed = Secret::new(&bytes[..bytes.len().saturating_sub(1)]);
    }

    /// Forgets the digits typed.
    pub fn clear(&mut self) {
        self.typed = Secret::default();
    }

    /// Checks the digits typed (then forgets them) against every PIN.
    pub fn submit(&mut self, now: Millis) -> Attempt {
        if self.locked_until(now).is_some() {
            self.clear();
            return Attempt::Refused;
        }
        let typed = std::mem::take(&mut self.typed);
        // Every PIN is compared, so the time taken does not say which one was near; the
        // highest role whose PIN matches opens.
        let opened = self
            .pins
            .iter()
            .fold(None, |found: Option<Role>, (role, pin)| {
                let matched = (*pin == typed).then_some(*role);
                found.max(matched)
            });
        let attempt = match opened {
            Some(role) => {
                self.state = Lockout::default();
                Attempt::Opened(role)
            }
            None => self.wrong(now),
        };
        self.store.save(self.state);
        attempt
    }

    fn wrong(&mut self, now: Millis) -> Attempt {
        self.state.failures += 1;
        if self.state.failures < PIN_ATTEMPTS {
            return Attempt::Wrong;
        }
        self.state.failures = 0;
        self.state.lockouts = self.state.lockouts.saturating_add(1);
        self.state.remaining_ms = lockout_ms(self.state.lockouts);
        let until = now + self.state.remaining_ms;
        self.locked_until = Some(until);
        Attempt::LockedOut(until)
    }
}

/// A [`LockoutStore`] in memory; clones share it, so a second gate from a clone is a restart.
#[derive(Debug, Clone, Default)]
pub struct MemoryLockoutStore(Arc<Mutex<Lockout>>);

impl MemoryLockoutStore {
    /// What is kept now.
    pub fn get(&self) -> Lockout {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl LockoutStore for MemoryLockoutStore {
    fn load(&self) -> Lockout {
        self.get()
    }

    fn save(&mut self, state: Lockout) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = state;
    }
}

/// The ledger key of the kept lockout.
const LEDGER_KEY: &str = "admin_pin_lockout";

/// The lockout as one ledger row: `failures lockouts locked_until_unix lockout_seconds`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Kept {
    failures: u32,
    lockouts: u32,
    until: i64,
    length: i64,
}

impl Kept {
    fn at(state: Lockout, now: i64) -> Self {
        let left = i64::try_from(state.remaining_ms.div_ceil(1000)).unwrap_or(i64::MAX);
        Kept {
            failures: state.failures,
            lockouts: state.lockouts,
            until: now.saturating_add(left),
            length: left,
        }
    }

    /// The lockout left at `now`. A clock set back restarts the whole lockout rather than
    /// lengthening it; a clock moved forward past its end ends it (the clock seam never reads
    /// earlier than the latest time the kiosk has seen).
    fn state(self, now: i64) -> Lockout {
        let left = self.until.saturating_sub(now).clamp(0, self.length.max(0));
        Lockout {
            failures: self.failures,
            lockouts: self.lockouts,
            remaining_ms: left.unsigned_abs().saturating_mul(1000),
        }
    }

    fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split(' ');
        let kept = Kept {
            failures: parts.next()?.parse().ok()?,
            lockouts: parts.next()?.parse().ok()?,
            until: parts.next()?.parse().ok()?,
            length: parts.next()?.parse().ok()?,
        };
        parts.next().is_none().then_some(kept)
    }

    fn text(self) -> String {
        format!(
            "{} {} {} {}",
            self.failures, self.lockouts, self.until, self.length
        )
    }
}

/// The lockout kept in the ledger, in wall-clock time from the clock seam, so restarting the
/// kiosk keeps it. Writes go to a thread of their own (`usher-pin-gate`); dropping the store
/// waits for the last one.
pub struct LedgerLockoutStore {
    loaded: Lockout,
    clock: Arc<dyn Clock>,
    writes: Option<Sender<Kept>>,
    writer: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for LedgerLockoutStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LedgerLockoutStore")
            .field("loaded", &self.loaded)
            .finish_non_exhaustive()
    }
}

impl LedgerLockoutStore {
    /// Reads the kept lockout from `ledger` and starts the thread that writes it.
    pub fn open(mut ledger: SqliteLedger, clock: Arc<dyn Clock>) -> std::io::Result<Self> {
        let kept = match ledger.sync_value(LEDGER_KEY) {
            Ok(Some(text)) => Kept::parse(&text).unwrap_or_else(|| {
                tracing::warn!("pin gate: the kept lockout does not read; starting locked");
                Kept::at(unreadable_lockout(), clock.now().unix)
            }),
            Ok(None) => Kept::default(),
            Err(e) => {
                tracing::warn!("pin gate: cannot read the kept lockout ({e}); starting locked");
                Kept::at(unreadable_lockout(), clock.now().unix)
            }
        };
        let (writes, queue) = channel::<Kept>();
        let writer = std::thread::Builder::new()
            .name("usher-pin-gate".into())
            .spawn(move || {
                for kept in queue {
                    if let Err(e) = ledger.set_sync_value(LEDGER_KEY, &kept.text()) {
                        tracing::warn!("pin gate: cannot keep the lockout: {e}");
                    }
                }
            })?;
        Ok(LedgerLockoutStore {
            loaded: kept.state(clock.now().unix),
            clock,
            writes: Some(writes),
            writer: Some(writer),
        })
    }
}

/// What a kept lockout that cannot be read counts as: one full first lockout.
fn unreadable_lockout() -> Lockout {
    Lockout {
        failures: 0,
        lockouts: 1,
        remaining_ms: PIN_LOCKOUT_MS,
    }
}

impl LockoutStore for LedgerLockoutStore {
    fn load(&self) -> Lockout {
        self.loaded
    }

    fn save(&mut self, state: Lockout) {
        let kept = Kept::at(state, self.clock.now().unix);
        if self.writes.as_ref().is_none_or(|w| w.send(kept).is_err()) {
            tracing::warn!("pin gate: the lockout writer has stopped");
        }
    }
}

impl Drop for LedgerLockoutStore {
    fn drop(&mut self) {
        drop(self.writes.take());
        if let Some(writer) = self.writer.take()
            && writer.join().is_err()
        {
            tracing::warn!("pin gate: the lockout writer panicked");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use usher_core::Now;

    fn wrong(gate: &mut PinGate, n: u32, now: Millis) -> Attempt {
        let mut last = Attempt::Refused;
        for _ in 0..n {
            gate.digit('1', now);
            last = gate.submit(now);
        }
        last
    }

    fn right(gate: &mut PinGate, now: Millis) -> Attempt {
        for c in "2468".chars() {
            gate.digit(c, now);
        }
        gate.submit(now)
    }

    #[test]
    fn lockouts_grow_from_30_seconds_to_15_minutes() {
        let secs: Vec<Millis> = (1..=8).map(|n| lockout_ms(n) / 1000).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 900, 900, 900]);
        assert_eq!(lockout_ms(u32::MAX), PIN_LOCKOUT_MAX_MS);
    }

    #[test]
    fn each_lockout_is_longer_until_the_right_pin() {
        let mut gate = PinGate::in_memory(Some(b"2468"));
        assert_eq!(wrong(&mut gate, 4, 0), Attempt::Wrong);
        assert_eq!(wrong(&mut gate, 1, 0), Attempt::LockedOut(30_000));
        assert_eq!(right(&mut gate, 29_999), Attempt::Refused);
        assert_eq!(wrong(&mut gate, 5, 30_000), Attempt::LockedOut(90_000));
        assert_eq!(wrong(&mut gate, 5, 90_000), Attempt::LockedOut(210_000));
        assert_eq!(right(&mut gate, 210_000), Attempt::Opened(Role::Admin));
        // The right PIN resets the growth.
        assert_eq!(wrong(&mut gate, 5, 300_000), Attempt::LockedOut(330_000));
    }

    #[test]
    fn typing_fast_while_locked_changes_nothing() {
        let mut gate = PinGate::in_memory(Some(b"2468"));
        wrong(&mut gate, 5, 0);
        for t in 0..1_000 {
            assert!(!gate.digit('2', t));
            assert_eq!(gate.submit(t), Attempt::Refused);
        }
        assert_eq!(gate.typed(), 0);
        assert_eq!(gate.locked_until(1_000), Some(30_000));
    }

    #[test]
    fn a_restarted_gate_keeps_the_count_and_the_lockout() {
        let store = MemoryLockoutStore::default();
        let mut gate = PinGate::new(Some(Secret::from("2468")), Box::new(store.clone()));
        wrong(&mut gate, 4, 0);
        // Restart before the fifth: the count is kept, one more wrong PIN locks.
        let mut gate = PinGate::new(Some(Secret::from("2468")), Box::new(store.clone()));
        assert!(matches!(wrong(&mut gate, 1, 0), Attempt::LockedOut(_)));
        // Restart while locked: locked from the next input for what was left.
        let mut gate = PinGate::new(Some(Secret::from("2468")), Box::new(store));
        assert_eq!(gate.locked_until(5_000), Some(35_000));
        assert_eq!(right(&mut gate, 6_000), Attempt::Refused);
        assert_eq!(right(&mut gate, 35_000), Attempt::Opened(Role::Admin));
    }

    fn type_pin(gate: &mut PinGate, pin: &str, now: Millis) -> Attempt {
        for c in pin.chars() {
            gate.digit(c, now);
        }
        gate.submit(now)
    }

    fn two_pins() -> PinGate {
        PinGate::with_pins(
            Some(Secret::from("2468")),
            Some(Secret::from("1357")),
            Box::new(MemoryLockoutStore::default()),
        )
    }

    #[test]
    fn the_volunteer_pin_opens_the_volunteer_role_and_the_admin_pin_opens_more() {
        let mut gate = two_pins();
        assert_eq!(gate.open_without_pin(), None);
        assert_eq!(
            type_pin(&mut gate, "1357", 0),
            Attempt::Opened(Role::Volunteer)
        );
        assert_eq!(type_pin(&mut gate, "2468", 0), Attempt::Opened(Role::Admin));
        assert!(Role::Admin.allows(Role::Volunteer));
        assert!(!Role::Volunteer.allows(Role::Admin));
        // The same PIN for both: the admin's.
        let mut same = PinGate::with_pins(
            Some(Secret::from("2468")),
            Some(Secret::from("2468")),
            Box::new(MemoryLockoutStore::default()),
        );
        assert_eq!(type_pin(&mut same, "2468", 0), Attempt::Opened(Role::Admin));
        // A volunteer PIN alone leaves the admin panel open, as before.
        let volunteer_only = PinGate::with_pins(
            None,
            Some(Secret::from("1357")),
            Box::new(MemoryLockoutStore::default()),
        );
        assert!(volunteer_only.opens_without_pin(Role::Volunteer));
    }

    #[test]
    fn wrong_volunteer_pins_lock_the_gate_as_wrong_admin_pins_do() {
        let mut gate = two_pins();
        assert_eq!(wrong(&mut gate, 4, 0), Attempt::Wrong);
        assert_eq!(wrong(&mut gate, 1, 0), Attempt::LockedOut(30_000));
        assert_eq!(type_pin(&mut gate, "1357", 10), Attempt::Refused);
        assert_eq!(type_pin(&mut gate, "2468", 10), Attempt::Refused);
        assert_eq!(
            type_pin(&mut gate, "1357", 30_000),
            Attempt::Opened(Role::Volunteer)
        );
        // The volunteer's right PIN resets the count, as the admin's does.
        assert_eq!(wrong(&mut gate, 5, 40_000), Attempt::LockedOut(70_000));
    }

    #[test]
    fn debug_prints_neither_pin_nor_digits() {
        let mut gate = PinGate::in_memory(Some(b"4827"));
        for c in "4827".chars() {
            gate.digit(c, 0);
        }
        let shown = format!("{gate:?}");
        assert!(
            !shown.contains("4827") && !shown.contains("52, 56"),
            "{shown}"
        );
    }

    fn clock_at(unix: i64) -> Arc<FixedClock> {
        Arc::new(FixedClock::new(Now {
            unix,
            utc_offset: 0,
        }))
    }

    #[test]
    fn the_ledger_keeps_the_lockout_in_wall_clock_time() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("usher.db");
        let clock = clock_at(1_800_000_000);
        let open = |clock: &Arc<FixedClock>| {
            let ledger = SqliteLedger::open(&path).expect("ledger");
            LedgerLockoutStore::open(ledger, Arc::clone(clock) as Arc<dyn Clock>).expect("store")
        };
        let mut gate = PinGate::new(Some(Secret::from("2468")), Box::new(open(&clock)));
        wrong(&mut gate, 5, 0);
        wrong(&mut gate, 5, 30_000);
        drop(gate);
        // 40 s later (a restart), 20 s of the second (60 s) lockout are left.
        clock.advance(40);
        assert_eq!(
            open(&clock).load(),
            Lockout {
                failures: 0,
                lockouts: 2,
                remaining_ms: 20_000
            }
        );
        // A clock set back an hour restarts the lockout, never more than its length.
        clock.advance(-3_640);
        assert_eq!(open(&clock).load().remaining_ms, 60_000);
        // Past its end it is over, the count of lockouts stays.
        clock.advance(3_700);
        assert_eq!(open(&clock).load().remaining_ms, 0);
        assert_eq!(open(&clock).load().lockouts, 2);
    }

    #[test]
    fn an_unreadable_kept_lockout_starts_locked() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("usher.db");
        let mut ledger = SqliteLedger::open(&path).expect("ledger");
        ledger
            .set_sync_value(LEDGER_KEY, "0 0 garbage")
            .expect("write");
        let store = LedgerLockoutStore::open(ledger, clock_at(1_800_000_000)).expect("store");
        assert_eq!(store.load().remaining_ms, PIN_LOCKOUT_MS);
    }
}
