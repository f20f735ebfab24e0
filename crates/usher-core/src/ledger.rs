//! The single-use ledger as the verdict rules see it, and an in-memory one for tests.
//!
//! The kiosk's real ledger is SQLite (in the `usher` crate); the rules only need two things
//! of it: an atomic "has this pass been used since T, and if not, record this use" and a log
//! for rejections.
//!
//! The door (DESIGN §8) needs more: the holder's open stay and history, inside-now counts,
//! and recording entries and exits. That is a separate trait, [`DoorLedger`], built on
//! [`Ledger`], rather than default methods on [`Ledger`]: a default could only answer "nobody
//! is inside", which would be a wrong answer silently given, whereas a ledger that does not
//! implement [`DoorLedger`] simply cannot be handed to [`crate::door::judge_at_door`]. A kiosk
//! without the door keeps using [`crate::judge`] with any [`Ledger`], unchanged.
//! [`MemoryLedger`] implements both.

use crate::lease::{HeldLease, PlaceLease};
use crate::payload::{Pass, PassId};
use crate::stay::{Entrance, EntryId, ExitKind, InsideNow, OpenStay, PartySize};
use crate::verdict::VerdictKind;
use std::collections::HashMap;
use std::convert::Infallible;

/// An attempt to sign a pass in, asked of the ledger once the pass passed steps 0 to 5.
#[derive(Debug, Clone, Copy)]
pub struct Claim<'a> {
    /// The pass.
    pub pass: &'a Pass,
    /// When it was scanned (Unix seconds).
    pub at: i64,
    /// A use at or after this time makes the pass `qr_used`; `None`: no earlier use counts.
    pub counts_since: Option<i64>,
    /// The kiosk judging it.
    pub device_id: &'a str,
}

/// The first counting use of a pass, shown on the `qr_used` screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstUse {
    /// When (Unix seconds).
    pub at: i64,
    /// On which kiosk.
    pub device_id: String,
}

/// What the ledger did with a [`Claim`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimOutcome {
    /// No counting use existed; this use is now recorded (with its outbox row), durably.
    Recorded,
    /// A counting use exists; nothing was recorded.
    AlreadyUsed(FirstUse),
}

/// A rejected scan, for the scan log (counts and audit; never uploaded as a sign-in).
#[derive(Debug, Clone, Copy)]
pub struct Rejection<'a> {
    /// When it was scanned.
    pub at: i64,
    /// The verdict, e.g. [`VerdictKind::Expired`].
    pub verdict: VerdictKind,
    /// A short reason.
    pub reason: &'a str,
    /// The pass identity, when the text had a payload.
    pub pass_id: Option<PassId>,
}

/// A single-use ledger.
pub trait Ledger {
    /// The ledger's own failure (a disk error, say). Never a rejected pass.
    type Error: std::error::Error + Send + Sync + 'static;

    /// In one transaction: if the pass has a use at or after `claim.counts_since`, return the
    /// earliest such use; otherwise record this use (and its outbox row) and commit durably.
    fn claim(&mut self, claim: &Claim<'_>) -> Result<ClaimOutcome, Self::Error>;

    /// Records a rejected scan in the scan log.
    fn log_rejection(&mut self, rejection: &Rejection<'_>) -> Result<(), Self::Error>;

    /// Whether the pass was revoked by its holder (DESIGN §9: fetched with the used feed):
    /// such a pass is `qr_not_authorized`. Asked once the pass passed steps 0 to 5.
    fn revoked(&mut self, pass: &PassId) -> Result<bool, Self::Error>;
}

/// What the door ledger knows about one pass's holder, read in the transaction that judges it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holder {
    /// The holder's open stay at any entrance (recorded here or fetched from another kiosk);
    /// the latest if there were several.
    pub open_stay: Option<OpenStay>,
    /// The earliest use at or after the `counts_since` asked for (as [`Ledger::claim`] would
    /// report it), `None` when there is none or `counts_since` was `None`.
    pub first_use: Option<FirstUse>,
    /// The holder's latest exit (the latest by time, of any kind), if there was one: when, and
    /// whether it was scanned or automatic. Only a scanned exit is "stepping out".
    pub last_exit: Option<(i64, ExitKind)>,
}

/// An entry to record: a stay opening, with its outbox row.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// The pass.
    pub pass: &'a Pass,
    /// When (Unix seconds).
    pub at: i64,
    /// The kiosk recording it.
    pub device_id: &'a str,
    /// The kiosk's entrance.
    pub entrance: &'a Entrance,
    /// How many people came in.
    pub heads: PartySize,
    /// Whether this entry is also a use of the pass under the reuse policy (as [`Ledger::claim`]
    /// records one). `false` for someone coming back after stepping out (`daily`, `interval`).
    pub new_use: bool,
    /// Admitted over capacity with the volunteer PIN: an override, recorded as such.
    pub over_capacity: bool,
}

/// An exit to record, with its outbox row.
#[derive(Debug, Clone, Copy)]
pub struct Exit<'a> {
    /// The pass.
    pub pass_id: PassId,
    /// When (Unix seconds; an automatic exit's time may lie in the past).
    pub at: i64,
    /// The kiosk recording it.
    pub device_id: &'a str,
    /// The entrance of the kiosk recording it (not necessarily the stay's).
    pub entrance: &'a Entrance,
    /// The entry it closes; `None`: an exit with no open stay, recorded and marked as such.
    pub closes: Option<&'a EntryId>,
    /// Scanned or automatic.
    pub kind: ExitKind,
}

/// The ledger the door needs (DESIGN §8), on top of the single-use [`Ledger`].
///
/// [`crate::door::judge_at_door`] reads [`DoorLedger::holder`] and [`DoorLedger::inside_now`],
/// decides, and records, all inside one [`DoorLedger::atomically`]: a SQLite ledger runs that
/// as one `BEGIN IMMEDIATE` transaction, so two scans never both take the last place and a
/// verdict is shown only after its commit.
///
/// For the SQLite ledger (DESIGN §8's figure: inside-now and the `qr_full` check add under
/// 1 ms with 10,000 open and 1,000,000 closed stays), [`DoorLedger::holder`] and
/// [`DoorLedger::inside_now`] must not scan closed stays: an index on open stays only (a
/// partial index `WHERE exit_at IS NULL`, by pass and by entrance) keeps both proportional to
/// the open ones. Open stays fetched from other kiosks belong in the same answers (so a pass
/// that came in at one door can leave at another, and the counts are the venue's); how they
/// arrive is the sync's business, not this trait's.
pub trait DoorLedger: Ledger {
    /// The holder of `pass`: open stay, earliest use at or after `counts_since`, latest exit.
    fn holder(&mut self, pass: &PassId, counts_since: Option<i64>) -> Result<Holder, Self::Error>;

    /// Inside now: the head counts of every open stay the ledger knows, per entrance.
    fn inside_now(&mut self) -> Result<InsideNow, Self::Error>;

    /// Every open stay, oldest first (automatic sign-out, the roll call).
    fn open_stays(&mut self) -> Result<Vec<OpenStay>, Self::Error>;

    /// Records an entry (a new open stay, and a use of the pass when `entry.new_use`) and its
    /// outbox row; returns the entry's id.
    fn record_entry(&mut self, entry: &Entry<'_>) -> Result<EntryId, Self::Error>;

    /// Records an exit and its outbox row, closing `exit.closes` if that stay is still open
    /// (a stay closed already keeps its first exit; the exit is still recorded).
    fn record_exit(&mut self, exit: &Exit<'_>) -> Result<(), Self::Error>;

    /// The place lease this kiosk holds ([`crate::lease`]) and the heads of its own open stays
    /// (not those fetched from other kiosks); `None` when it holds none.
    fn place_lease(&mut self) -> Result<Option<HeldLease>, Self::Error>;

    /// Sets the head count of an open entry (the party prompt's answer, after the entry was
    /// recorded with the default). `false` when no such open stay exists.
    fn set_heads(&mut self, entry: &EntryId, heads: PartySize) -> Result<bool, Self::Error>;

    /// Runs `f` as one transaction: all of it is committed, durably, or none of it. The
    /// default just runs `f`, which is right for a ledger with no concurrent writers (memory).
    fn atomically<R>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<R, Self::Error>,
    ) -> Result<R, Self::Error>
    where
        Self: Sized,
    {
        f(self)
    }
}

/// A stay as [`MemoryLedger`] keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StayRecord {
    /// The entry.
    pub stay: OpenStay,
    /// Whether the entry counted as a use.
    pub new_use: bool,
    /// Whether it was an override over capacity.
    pub over_capacity: bool,
    /// Its exit, once closed: when and how.
    pub exit: Option<(i64, ExitKind)>,
}

/// An exit as [`MemoryLedger`] keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitRecord {
    /// The pass.
    pub pass_id: PassId,
    /// When.
    pub at: i64,
    /// The kiosk that recorded it.
    pub device_id: String,
    /// Its kiosk's entrance.
    pub entrance: Entrance,
    /// The entry it closes, if any.
    pub closes: Option<EntryId>,
    /// Scanned or automatic.
    pub kind: ExitKind,
}

/// A ledger in memory: the test implementation of [`Ledger`] and [`DoorLedger`].
#[derive(Debug, Default, Clone)]
pub struct MemoryLedger {
    uses: HashMap<PassId, Vec<FirstUse>>,
    /// Every rejection logged, as (verdict, reason).
    pub rejections: Vec<(&'static str, String)>,
    stays: Vec<StayRecord>,
    exits: Vec<ExitRecord>,
    /// The place lease held, if any ([`DoorLedger::place_lease`]).
    pub lease: Option<PlaceLease>,
    /// Passes revoked by their holders ([`Ledger::revoked`]).
    pub revoked: std::collections::HashSet<PassId>,
}

impl MemoryLedger {
    /// An empty ledger.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many uses of `id` are recorded.
    pub fn uses_of(&self, id: &PassId) -> usize {
        self.uses.get(id).map_or(0, Vec::len)
    }

    /// Every stay recorded, in entry order.
    pub fn stays(&self) -> &[StayRecord] {
        &self.stays
    }

    /// Every exit recorded, in order.
    pub fn exits(&self) -> &[ExitRecord] {
        &self.exits
    }

    fn open(&self) -> impl Iterator<Item = &StayRecord> {
        self.stays.iter().filter(|s| s.exit.is_none())
    }
}

impl Ledger for MemoryLedger {
    type Error = Infallible;

    fn claim(&mut self, claim: &Claim<'_>) -> Result<ClaimOutcome, Infallible> {
        let uses = self.uses.entry(claim.pass.id).or_default();
        if let Some(since) = claim.counts_since
            && let Some(first) = uses.iter().filter(|u| u.at >= since).min_by_key(|u| u.at)
        {
            return Ok(ClaimOutcome::AlreadyUsed(first.clone()));
        }
        uses.push(FirstUse {
            at: claim.at,
            device_id: claim.device_id.to_owned(),
        });
        Ok(ClaimOutcome::Recorded)
    }

    fn log_rejection(&mut self, rejection: &Rejection<'_>) -> Result<(), Infallible> {
        self.rejections
            .push((rejection.verdict.name(), rejection.reason.to_owned()));
        Ok(())
    }

    fn revoked(&mut self, pass: &PassId) -> Result<bool, Infallible> {
        Ok(self.revoked.contains(pass))
    }
}

impl DoorLedger for MemoryLedger {
    fn holder(&mut self, pass: &PassId, counts_since: Option<i64>) -> Result<Holder, Infallible> {
        let first_use = counts_since.and_then(|since| {
            self.uses
                .get(pass)?
                .iter()
                .filter(|u| u.at >= since)
                .min_by_key(|u| u.at)
                .cloned()
        });
        let open_stay = self
            .open()
            .filter(|s| s.stay.pass_id == *pass)
            .max_by_key(|s| s.stay.since)
            .map(|s| s.stay.clone());
        let last_exit = self
            .exits
            .iter()
            .filter(|e| e.pass_id == *pass)
            .max_by_key(|e| e.at)
            .map(|e| (e.at, e.kind));
        Ok(Holder {
            open_stay,
            first_use,
            last_exit,
        })
    }

    fn inside_now(&mut self) -> Result<InsideNow, Infallible> {
        Ok(InsideNow::of(self.open().map(|s| &s.stay)))
    }

    fn open_stays(&mut self) -> Result<Vec<OpenStay>, Infallible> {
        let mut open: Vec<OpenStay> = self.open().map(|s| s.stay.clone()).collect();
        open.sort_by_key(|s| s.since);
        Ok(open)
    }

    fn record_entry(&mut self, entry: &Entry<'_>) -> Result<EntryId, Infallible> {
        let id = EntryId(format!("mem-{}", self.stays.len() + 1));
        if entry.new_use {
            self.uses.entry(entry.pass.id).or_default().push(FirstUse {
                at: entry.at,
                device_id: entry.device_id.to_owned(),
            });
        }
        self.stays.push(StayRecord {
            stay: OpenStay {
                entry: id.clone(),
                pass_id: entry.pass.id,
                entrance: entry.entrance.clone(),
                since: entry.at,
                heads: entry.heads,
                device_id: entry.device_id.to_owned(),
            },
            new_use: entry.new_use,
            over_capacity: entry.over_capacity,
            exit: None,
        });
        Ok(id)
    }

    fn record_exit(&mut self, exit: &Exit<'_>) -> Result<(), Infallible> {
        if let Some(closes) = exit.closes
            && let Some(stay) = self
                .stays
                .iter_mut()
                .find(|s| s.stay.entry == *closes && s.exit.is_none())
        {
            stay.exit = Some((exit.at, exit.kind));
        }
        self.exits.push(ExitRecord {
            pass_id: exit.pass_id,
            at: exit.at,
            device_id: exit.device_id.to_owned(),
            entrance: exit.entrance.clone(),
            closes: exit.closes.cloned(),
            kind: exit.kind,
        });
        Ok(())
    }

    fn place_lease(&mut self) -> Result<Option<HeldLease>, Infallible> {
        let own_inside = InsideNow::of(self.open().map(|s| &s.stay)).total();
        Ok(self.lease.map(|lease| HeldLease { lease, own_inside }))
    }

    fn set_heads(&mut self, entry: &EntryId, heads: PartySize) -> Result<bool, Infallible> {
        match self
            .stays
            .iter_mut()
            .find(|s| s.stay.entry == *entry && s.exit.is_none())
        {
            Some(stay) => {
                stay.stay.heads = heads;
                Ok(true)
            }
            None => Ok(false),
        }
    }
}
