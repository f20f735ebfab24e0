//! Stays at the door (DESIGN §8): entrances, head counts, open stays, exits and inside-now counts.
//!
//! A **stay** is an entry and, later, its exit. An open stay is one whose exit is not yet
//! recorded; its head count is how many people came in on the pass. These are the values the
//! door rules ([`crate::door`]) decide over and the [`crate::ledger::DoorLedger`] stores.

use crate::payload::PassId;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// The name of a section of the venue a kiosk serves (`main`, `brothers`, `sisters`, `balcony`).
///
/// A valid name is 1 to [`Entrance::MAX_CHARS`] characters with no leading or trailing
/// whitespace and none of the characters [`crate::display::clean`] removes (controls, line
/// breaks, bidi formatting): it is shown on screens, in CSV and on the status line as it is.
/// Names are compared exactly (case matters), so `Brothers` and `brothers` are two entrances.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Entrance(String);

impl Entrance {
    /// Longest name, in characters.
    pub const MAX_CHARS: usize = 32;
    /// The default entrance of a kiosk with no `<entrance>`.
    pub const MAIN: &'static str = "main";

    /// The entrance named `main`.
    pub fn main() -> Self {
        Entrance(Self::MAIN.to_owned())
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Entrance {
    fn default() -> Self {
        Self::main()
    }
}

impl fmt::Display for Entrance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a text is no entrance name. Never echoes the text (it may come from a pass).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadEntrance {
    /// Empty.
    #[error("entrance name is empty")]
    Empty,
    /// Over [`Entrance::MAX_CHARS`] characters.
    #[error("entrance name is longer than {} characters", Entrance::MAX_CHARS)]
    TooLong,
    /// Leading or trailing whitespace.
    #[error("entrance name starts or ends with whitespace")]
    Padded,
    /// A control, line-break or bidi formatting character.
    #[error("entrance name holds a control or formatting character")]
    Hostile,
}

impl FromStr for Entrance {
    type Err = BadEntrance;
    fn from_str(s: &str) -> Result<Self, BadEntrance> {
        if s.is_empty() {
            return Err(BadEntrance::Empty);
        }
        if s.chars().count() > Self::MAX_CHARS {
            return Err(BadEntrance::TooLong);
        }
        if s.trim() != s {
            return Err(BadEntrance::Padded);
        }
        if s.chars().any(crate::display::is_hostile) {
            return Err(BadEntrance::Hostile);
        }
        Ok(Entrance(s.to_owned()))
    }
}

/// A number of people on one pass: the payload's `p` (how many it may admit) and the head count
/// of an entry (how many came). Always 1 to [`PartySize::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartySize(u8);

impl PartySize {
    /// One person: the default `p`.
    pub const ONE: PartySize = PartySize(1);
    /// The largest party one pass admits (DESIGN §8).
    pub const MAX: u8 = 20;

    /// `n` when it is 1..=20.
    pub fn new(n: u64) -> Option<Self> {
        u8::try_from(n)
            .ok()
            .filter(|n| (1..=Self::MAX).contains(n))
            .map(PartySize)
    }

    /// The number of people.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl Default for PartySize {
    fn default() -> Self {
        Self::ONE
    }
}

impl fmt::Display for PartySize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The error for a party size out of 1..=20 or no integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("party size must be a whole number from 1 to {}", PartySize::MAX)]
pub struct BadPartySize;

impl FromStr for PartySize {
    type Err = BadPartySize;
    /// Decimal digits only (`usher verify --party 3`, the party prompt); `3.0`, `+3`, `0`, `21` are refused.
    fn from_str(s: &str) -> Result<Self, BadPartySize> {
        whole_number(s).and_then(PartySize::new).ok_or(BadPartySize)
    }
}

/// `s` as a whole number written in decimal digits only (no sign, point, space or exponent).
pub(crate) fn whole_number(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The identity of an entry, given by the ledger that recorded it (the kiosk's outbox id; for
/// stays fetched from the server, the id the other kiosk gave it). An exit names the entry it
/// closes by this id, so an exit at another door closes the right stay, exactly once.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId(pub String);

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A stay whose exit is not recorded yet: who is inside, where, since when, how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenStay {
    /// The entry that opened it.
    pub entry: EntryId,
    /// The pass it was opened with.
    pub pass_id: PassId,
    /// Where the party came in.
    pub entrance: Entrance,
    /// When (Unix seconds).
    pub since: i64,
    /// How many came in.
    pub heads: PartySize,
    /// The kiosk that recorded the entry (this one, or another of the venue once synced).
    pub device_id: String,
}

/// How an exit came about (`scan` or `auto` on the wire and in the ledgers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExitKind {
    /// A pass was scanned to leave: the exit time is real.
    Scan,
    /// Closed by the kiosk (closing time, longest stay, or a new entry of the same pass): the
    /// exit time is an estimate, and contact tracing says so.
    Auto,
}

impl ExitKind {
    /// `scan` or `auto`, for the ledger and the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ExitKind::Scan => "scan",
            ExitKind::Auto => "auto",
        }
    }
}

/// Why a stay was closed automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AutoReason {
    /// Still open at `<closingTime>`.
    ClosingTime,
    /// Open longer than `<maxStayMinutes>`.
    MaxStay,
    /// The same pass entered again while its stay was open (at an `in` kiosk): the old stay
    /// is closed at the new entry.
    Superseded,
}

/// An automatic exit the door decided: which stay, at what time, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoExit {
    /// The stay it closes.
    pub stay: OpenStay,
    /// The exit time (Unix seconds): the closing time or the end of the longest stay, which
    /// may lie before the moment it is recorded.
    pub at: i64,
    /// Why.
    pub reason: AutoReason,
}

/// Inside now: the head counts of open stays, per entrance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InsideNow {
    by_entrance: BTreeMap<Entrance, u32>,
}

impl InsideNow {
    /// Nobody inside.
    pub fn new() -> Self {
        Self::default()
    }

    /// The counts of these open stays.
    pub fn of<'a>(stays: impl IntoIterator<Item = &'a OpenStay>) -> Self {
        let mut inside = Self::new();
        for stay in stays {
            inside.add(&stay.entrance, u32::from(stay.heads.get()));
        }
        inside
    }

    /// Adds `heads` people at `entrance`.
    pub fn add(&mut self, entrance: &Entrance, heads: u32) {
        let n = self.by_entrance.entry(entrance.clone()).or_default();
        *n = n.saturating_add(heads);
    }

    /// Removes `heads` people at `entrance` (never below zero).
    pub fn remove(&mut self, entrance: &Entrance, heads: u32) {
        if let Some(n) = self.by_entrance.get_mut(entrance) {
            *n = n.saturating_sub(heads);
        }
    }

    /// People inside through `entrance`.
    pub fn at(&self, entrance: &Entrance) -> u32 {
        self.by_entrance.get(entrance).copied().unwrap_or(0)
    }

    /// People inside the whole venue.
    pub fn total(&self) -> u32 {
        self.by_entrance
            .values()
            .fold(0u32, |sum, n| sum.saturating_add(*n))
    }

    /// Every entrance with its count, in name order (entrances with nobody may be absent).
    pub fn iter(&self) -> impl Iterator<Item = (&Entrance, u32)> {
        self.by_entrance.iter().map(|(e, n)| (e, *n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entrance_names_are_short_and_plain() {
        assert_eq!(
            "brothers".parse::<Entrance>().map(|e| e.to_string()),
            Ok("brothers".into())
        );
        assert!("إخوة".parse::<Entrance>().is_ok());
        assert_eq!("".parse::<Entrance>(), Err(BadEntrance::Empty));
        assert_eq!(" main".parse::<Entrance>(), Err(BadEntrance::Padded));
        assert_eq!("a\nb".parse::<Entrance>(), Err(BadEntrance::Hostile));
        assert_eq!("a\u{202E}b".parse::<Entrance>(), Err(BadEntrance::Hostile));
        assert_eq!("x".repeat(32).parse::<Entrance>().map(|_| ()), Ok(()));
        assert_eq!(
            "x".repeat(33).parse::<Entrance>(),
            Err(BadEntrance::TooLong)
        );
        assert_eq!(Entrance::default().as_str(), "main");
    }

    #[test]
    fn party_size_text_is_a_whole_number_from_1_to_20() {
        assert_eq!("1".parse::<PartySize>().map(PartySize::get), Ok(1));
        assert_eq!("20".parse::<PartySize>().map(PartySize::get), Ok(20));
        for bad in [
            "0",
            "21",
            "",
            "3.0",
            "+3",
            "-1",
            " 3",
            "999999999999999999999",
        ] {
            assert_eq!(bad.parse::<PartySize>(), Err(BadPartySize), "{bad:?}");
        }
        assert_eq!(PartySize::new(0), None);
        assert_eq!(PartySize::new(256 + 3), None);
    }

    #[test]
    fn inside_now_sums_open_stays_per_entrance() {
        let stay = |entrance: &str, heads: u64| OpenStay {
            entry: EntryId(format!("{entrance}{heads}")),
            pass_id: PassId::of(entrance.as_bytes()),
            entrance: entrance.parse().expect("entrance"),
            since: 0,
            heads: PartySize::new(heads).expect("heads"),
            device_id: "k".into(),
        };
        let stays = [stay("brothers", 3), stay("sisters", 2), stay("brothers", 1)];
        let mut inside = InsideNow::of(&stays);
        let brothers: Entrance = "brothers".parse().expect("entrance");
        assert_eq!(inside.at(&brothers), 4);
        assert_eq!(inside.total(), 6);
        inside.remove(&brothers, 10);
        assert_eq!(inside.at(&brothers), 0);
        assert_eq!(inside.at(&Entrance::main()), 0);
        assert_eq!(inside.total(), 2);
    }
}
