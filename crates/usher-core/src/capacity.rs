//! Capacity at the door (DESIGN §8): how full the venue and each entrance are, and the
//! status-line level (normal, amber warning, red full) for a count against its capacity.
//!
//! An entry admitted over capacity with the volunteer PIN is an override: it is decided by
//! [`crate::door`] and recorded with the entry ([`crate::ledger::Entry::over_capacity`]).

use crate::stay::{Entrance, InsideNow, whole_number};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// `<capacity>` (the venue) and `<capacity entrance="NAME">` (each entrance); `None`: no limit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capacity {
    /// The whole venue.
    pub venue: Option<u32>,
    /// Per entrance.
    pub entrances: BTreeMap<Entrance, u32>,
}

impl Capacity {
    /// The capacity of `entrance`, if one is set.
    pub fn of(&self, entrance: &Entrance) -> Option<u32> {
        self.entrances.get(entrance).copied()
    }

    /// Whether any limit is set (if not, nobody needs to count for an entry).
    pub fn is_limited(&self) -> bool {
        self.venue.is_some() || !self.entrances.is_empty()
    }
}

/// A percentage, 0 to 100 (`<capacityWarnPercent>`, default 90).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Percent(u8);

impl Percent {
    /// `n` when it is at most 100.
    pub fn new(n: u8) -> Option<Self> {
        (n <= 100).then_some(Percent(n))
    }

    /// The value, 0..=100.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl Default for Percent {
    /// 90, the default warning level.
    fn default() -> Self {
        Percent(90)
    }
}

/// The error for a percentage that is no whole number from 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("expected a whole number from 0 to 100")]
pub struct BadPercent;

impl FromStr for Percent {
    type Err = BadPercent;
    fn from_str(s: &str) -> Result<Self, BadPercent> {
        whole_number(s.trim().trim_end_matches('%'))
            .and_then(|n| u8::try_from(n).ok())
            .and_then(Percent::new)
            .ok_or(BadPercent)
    }
}

/// How full, for the status line's colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Below the warning level, or no capacity set.
    Normal,
    /// At or over the warning percentage of the capacity: amber.
    Warn,
    /// At or over capacity (over it only through overrides): red.
    Full,
}

/// A count of people inside against a capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occupancy {
    /// People inside.
    pub inside: u32,
    /// The capacity, if one is set.
    pub capacity: Option<u32>,
    /// How full that is.
    pub level: Level,
}

impl Occupancy {
    /// `inside` against `capacity` with the warning at `warn` percent of it.
    pub fn new(inside: u32, capacity: Option<u32>, warn: Percent) -> Self {
        let level = match capacity {
            None => Level::Normal,
            Some(c) if inside >= c => Level::Full,
            Some(c) if u64::from(inside) * 100 >= u64::from(c) * u64::from(warn.get()) => {
                Level::Warn
            }
            Some(_) => Level::Normal,
        };
        Occupancy {
            inside,
            capacity,
            level,
        }
    }

    /// Places left before the capacity (`None`: no limit; zero when at or over it).
    pub fn places_left(&self) -> Option<u32> {
        self.capacity.map(|c| c.saturating_sub(self.inside))
    }

    /// Whether `heads` more people would go over the capacity.
    pub fn would_overflow(&self, heads: u32) -> bool {
        self.capacity
            .is_some_and(|c| u64::from(self.inside) + u64::from(heads) > u64::from(c))
    }
}

/// Which limit a `qr_full` hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The capacity of this entrance.
    Entrance(Entrance),
    /// The capacity of the whole venue.
    Venue,
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Entrance(e) => write!(f, "entrance {e}"),
            Scope::Venue => f.write_str("the venue"),
        }
    }
}

/// The status line's figures: this kiosk's entrance and the whole venue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoorStatus {
    /// This kiosk's entrance.
    pub entrance: Occupancy,
    /// The venue.
    pub venue: Occupancy,
}

impl DoorStatus {
    /// The figures for `entrance` and the venue from `inside`.
    pub fn new(
        inside: &InsideNow,
        entrance: &Entrance,
        capacity: &Capacity,
        warn: Percent,
    ) -> Self {
        DoorStatus {
            entrance: Occupancy::new(inside.at(entrance), capacity.of(entrance), warn),
            venue: Occupancy::new(inside.total(), capacity.venue, warn),
        }
    }

    /// The more urgent of the two levels, for the status line's colour.
    pub fn level(&self) -> Level {
        self.entrance.level.max(self.venue.level)
    }

    /// The first limit that `heads` more people at this entrance would go over, entrance first.
    pub fn overflow(&self, entrance: &Entrance, heads: u32) -> Option<(Scope, Occupancy)> {
        if self.entrance.would_overflow(heads) {
            Some((Scope::Entrance(entrance.clone()), self.entrance))
        } else if self.venue.would_overflow(heads) {
            Some((Scope::Venue, self.venue))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_warning_percentage_and_the_capacity() {
        let warn = Percent::default();
        assert_eq!(Occupancy::new(89, Some(100), warn).level, Level::Normal);
        assert_eq!(Occupancy::new(90, Some(100), warn).level, Level::Warn);
        assert_eq!(Occupancy::new(99, Some(100), warn).level, Level::Warn);
        assert_eq!(Occupancy::new(100, Some(100), warn).level, Level::Full);
        assert_eq!(Occupancy::new(103, Some(100), warn).level, Level::Full);
        assert_eq!(Occupancy::new(5000, None, warn).level, Level::Normal);
        assert_eq!(Occupancy::new(0, Some(0), warn).level, Level::Full);
        let at_half = Percent::new(50).expect("50");
        assert_eq!(Occupancy::new(5, Some(10), at_half).level, Level::Warn);
        assert_eq!(Occupancy::new(103, Some(100), warn).places_left(), Some(0));
    }

    #[test]
    fn a_party_overflows_when_it_does_not_fit_whole() {
        let o = Occupancy::new(97, Some(100), Percent::default());
        assert!(!o.would_overflow(3));
        assert!(o.would_overflow(4));
        assert!(!Occupancy::new(u32::MAX, None, Percent::default()).would_overflow(20));
    }

    #[test]
    fn percentages_parse_from_0_to_100() {
        assert_eq!("90".parse::<Percent>().map(Percent::get), Ok(90));
        assert_eq!(" 75% ".parse::<Percent>().map(Percent::get), Ok(75));
        for bad in ["101", "-1", "", "9.5", "x"] {
            assert_eq!(bad.parse::<Percent>(), Err(BadPercent), "{bad:?}");
        }
    }
}
