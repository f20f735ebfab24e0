//! The single-use ledger as the verdict rules see it, and an in-memory one for tests.
//!
//! The kiosk's real ledger is SQLite (in the `usher` crate); the rules only need two things
//! of it: an atomic "has this pass been used since T, and if not, record this use" and a log
//! for rejections.

use crate::payload::{Pass, PassId};
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
    /// The verdict name, e.g. `qr_expired`.
    pub verdict: &'static str,
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
}

/// A ledger in memory: the test implementation of [`Ledger`].
#[derive(Debug, Default, Clone)]
pub struct MemoryLedger {
    uses: HashMap<PassId, Vec<FirstUse>>,
    /// Every rejection logged, as (verdict, reason).
    pub rejections: Vec<(&'static str, String)>,
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
            .push((rejection.verdict, rejection.reason.to_owned()));
        Ok(())
    }
}
