//! Usher's pure pass core: what a pass is, how it is signed, and which verdict it earns.
//!
//! Nothing here touches a file, a socket, a clock, a thread or a window. Callers hand in the
//! current time ([`Now`]), the venue's [`Rules`] and a [`Ledger`]; the core hands back a
//! [`Verdict`]. A rejected pass is a verdict, never an error: `Err` from [`judge`] only ever
//! means the ledger itself failed.
//!
//! Module map:
//! - [`form`]: the URL query of a pass text, decoded strictly (form encoding, exact bytes).
//! - [`payload`]: the JSON payload `j`, parsed strictly (duplicate keys and wrong types refused).
//! - [`scheme`]: the three signature schemes, told apart by the form of `auth`.
//! - [`reuse`]: the reuse policies (`once`, `daily`, `interval:M`, `always`).
//! - [`ledger`]: the interface a single-use ledger offers the verdict rules, and an in-memory one.
//! - [`verdict`]: the verdict rules of DESIGN §1, steps 0 to 7.
//! - [`stay`]: entrances, party sizes, open stays, exits and inside-now counts (DESIGN §8).
//! - [`capacity`]: capacities, occupancy and the status line's warning levels.
//! - [`signout`]: automatic sign-out at closing time or after the longest stay.
//! - [`lease`]: place leases, the venue's capacity shared between kiosks (online and offline).
//! - [`door`]: the door's rules (entry or exit, reuse, capacity) and `judge_at_door`.
//! - [`legacy`]: the venue's old unsigned codes (`2+…` walk-ins, `3+…` reservation receipts).
//! - [`walkin`]: a visitor without a pass, signed in by name by the volunteer.
//! - [`issue`]: minting passes (compact JSON, nonce, all three schemes).
//! - [`secret`]: a byte string whose `Debug` prints `***`.
//! - [`display`]: pass fields cleaned of control and bidi characters before they are shown or exported.

pub mod capacity;
pub mod display;
pub mod door;
pub mod form;
pub mod issue;
pub mod lease;
pub mod ledger;
pub mod legacy;
pub mod payload;
pub mod reuse;
pub mod scheme;
pub mod secret;
pub mod signout;
pub mod stay;
pub mod verdict;
pub mod walkin;
pub mod wire;

pub use capacity::{Capacity, DoorStatus, Level, Occupancy, Percent};
pub use door::{
    DoorMode, DoorRules, DoorScan, DoorVerdict, judge_at_door, judge_pass_at_door, sign_out_due,
};
pub use ledger::{
    Claim, ClaimOutcome, DoorLedger, FirstUse, Holder, Ledger, MemoryLedger, Rejection,
};
pub use payload::{Pass, PassId, Payload};
pub use reuse::ReusePolicy;
pub use scheme::{Keys, Scheme, SchemeSet, Signer};
pub use secret::Secret;
pub use signout::{ClockTime, SignOutRules};
pub use stay::{Entrance, EntryId, InsideNow, OpenStay, PartySize};
pub use verdict::{Rules, Verdict, VerdictKind, judge};

/// The moment a pass is judged, as the caller's one clock seam saw it.
///
/// `utc_offset` is the local offset from UTC in seconds at `unix`; it only matters for what
/// counts local time: the `daily` reuse policy (local calendar days), coming back the same day
/// after an exit, and the door's closing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    /// Unix time in seconds.
    pub unix: i64,
    /// Local offset from UTC in seconds (east positive), e.g. `3600` for CET.
    pub utc_offset: i32,
}

impl Now {
    /// A moment in UTC (offset zero).
    pub fn utc(unix: i64) -> Self {
        Now {
            unix,
            utc_offset: 0,
        }
    }

    /// The Unix time at which the local calendar day holding `self` began.
    pub fn local_day_start(self) -> i64 {
        let local = self.unix + i64::from(self.utc_offset);
        self.unix - local.rem_euclid(86_400)
    }
}

/// Longest pass text judged at all (DESIGN §1 step 0): a keyboard-wedge scanner can type megabytes.
pub const MAX_PASS_TEXT: usize = 4096;
