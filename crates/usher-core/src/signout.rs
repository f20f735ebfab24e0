//! Automatic sign-out (DESIGN §8): stays still open at `<closingTime>` or after
//! `<maxStayMinutes>` are closed with an `auto` exit, at the time they should have ended.
//!
//! The closing time is local wall-clock `HH:MM`; a stay closes at the first closing time
//! *after* it opened, so a closing time of `01:00` closes an evening stay opened at 23:30 at
//! 01:00 the next day. Local times use the caller's [`Now::utc_offset`] for every stay (a stay
//! spanning a daylight-saving change is off by the change, never by a day).

use crate::Now;
use crate::stay::{AutoExit, AutoReason, OpenStay};
use std::fmt;
use std::str::FromStr;

/// A local wall-clock time of day, `HH:MM` (00:00 to 23:59).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime {
    minutes: u16,
}

impl ClockTime {
    /// `hour:minute` when it is a time of day.
    pub fn new(hour: u8, minute: u8) -> Option<Self> {
        (hour < 24 && minute < 60).then(|| ClockTime {
            minutes: u16::from(hour) * 60 + u16::from(minute),
        })
    }

    /// Minutes after midnight.
    pub fn minutes(self) -> u16 {
        self.minutes
    }

    /// The first moment strictly after `after` (Unix seconds) at which local time reads `self`,
    /// with local time `utc_offset` seconds east of UTC.
    pub fn next_after(self, after: i64, utc_offset: i32) -> i64 {
        let day_start = Now {
            unix: after,
            utc_offset,
        }
        .local_day_start();
        let today = day_start + i64::from(self.minutes) * 60;
        if today > after { today } else { today + 86_400 }
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.minutes / 60, self.minutes % 60)
    }
}

/// The error for a time that is not `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("expected a local time HH:MM from 00:00 to 23:59")]
pub struct BadClockTime;

impl FromStr for ClockTime {
    type Err = BadClockTime;
    /// Exactly two digits, a colon, two digits (`01:00`, `23:30`).
    fn from_str(s: &str) -> Result<Self, BadClockTime> {
        let b = s.trim().as_bytes();
        let digit = |i: usize| {
            b.get(i)
                .filter(|c| c.is_ascii_digit())
                .map(|c| c - b'0')
                .ok_or(BadClockTime)
        };
        if b.len() != 5 || b[2] != b':' {
            return Err(BadClockTime);
        }
        let hour = digit(0)? * 10 + digit(1)?;
        let minute = digit(3)? * 10 + digit(4)?;
        ClockTime::new(hour, minute).ok_or(BadClockTime)
    }
}

/// When an automatic sign-out ends stays: `<closingTime>` and `<maxStayMinutes>` (either,
/// both or neither).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SignOutRules {
    /// Local closing time.
    pub closing_time: Option<ClockTime>,
    /// Longest stay, in minutes.
    pub max_stay_minutes: Option<u32>,
}

impl SignOutRules {
    /// When `stay` ends automatically, and why; `None` when no rule is set. The earlier of the
    /// first closing time after the entry and the end of the longest stay wins.
    pub fn ends(&self, stay: &OpenStay, utc_offset: i32) -> Option<(i64, AutoReason)> {
        let closing = self.closing_time.map(|t| {
            (
                t.next_after(stay.since, utc_offset),
                AutoReason::ClosingTime,
            )
        });
        let longest = self.max_stay_minutes.map(|m| {
            (
                stay.since.saturating_add(i64::from(m) * 60),
                AutoReason::MaxStay,
            )
        });
        match (closing, longest) {
            (Some(c), Some(l)) => Some(if l.0 < c.0 { l } else { c }),
            (c, l) => c.or(l),
        }
    }

    /// The automatic exit `stay` is due by `now`, if any.
    pub fn due(&self, stay: &OpenStay, now: Now) -> Option<AutoExit> {
        let (at, reason) = self.ends(stay, now.utc_offset)?;
        (at <= now.unix).then(|| AutoExit {
            stay: stay.clone(),
            at,
            reason,
        })
    }
}

/// The automatic exits due by `now` among `stays`, in the order given.
pub fn due_exits<'a>(
    stays: impl IntoIterator<Item = &'a OpenStay>,
    rules: &SignOutRules,
    now: Now,
) -> Vec<AutoExit> {
    stays
        .into_iter()
        .filter_map(|s| rules.due(s, now))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::PassId;
    use crate::stay::{Entrance, EntryId, PartySize};

    /// 2026-11-23 00:00 UTC.
    const DAY: i64 = 1_795_392_000;

    fn stay(since: i64) -> OpenStay {
        OpenStay {
            entry: EntryId("e".into()),
            pass_id: PassId::of(b"p"),
            entrance: Entrance::main(),
            since,
            heads: PartySize::ONE,
            device_id: "k".into(),
        }
    }

    #[test]
    fn clock_times_are_strict_hh_mm() {
        assert_eq!("01:00".parse::<ClockTime>().map(ClockTime::minutes), Ok(60));
        assert_eq!(
            "23:59".parse::<ClockTime>().map(|t| t.to_string()),
            Ok("23:59".into())
        );
        for bad in ["24:00", "1:00", "12:60", "12-00", "", "12:0a", "+1:00"] {
            assert_eq!(bad.parse::<ClockTime>(), Err(BadClockTime), "{bad:?}");
        }
    }

    #[test]
    fn the_next_closing_time_is_strictly_after_the_entry() {
        let one = ClockTime::new(1, 0).expect("01:00");
        // Opened 23:30 UTC: closes at 01:00 the next day.
        assert_eq!(
            one.next_after(DAY + 23 * 3600 + 1800, 0),
            DAY + 86_400 + 3600
        );
        // Opened 00:30: closes the same night at 01:00.
        assert_eq!(one.next_after(DAY + 1800, 0), DAY + 3600);
        // Opened exactly at 01:00: the next day's.
        assert_eq!(one.next_after(DAY + 3600, 0), DAY + 86_400 + 3600);
        // In UTC+1, 01:00 local is 00:00 UTC: a stay opened 23:30 UTC (00:30 local) closes 30 min later.
        assert_eq!(one.next_after(DAY + 23 * 3600 + 1800, 3600), DAY + 86_400);
    }

    #[test]
    fn the_earlier_of_closing_time_and_longest_stay_ends_a_stay() {
        let rules = SignOutRules {
            closing_time: ClockTime::new(1, 0),
            max_stay_minutes: Some(120),
        };
        let evening = stay(DAY + 23 * 3600 + 1800);
        assert_eq!(
            rules.ends(&evening, 0),
            Some((DAY + 86_400 + 3600, AutoReason::ClosingTime))
        );
        let morning = stay(DAY + 10 * 3600);
        assert_eq!(
            rules.ends(&morning, 0),
            Some((DAY + 12 * 3600, AutoReason::MaxStay))
        );
        assert_eq!(SignOutRules::default().ends(&morning, 0), None);
        assert_eq!(rules.due(&morning, Now::utc(DAY + 12 * 3600 - 1)), None);
        let due = rules.due(&morning, Now::utc(DAY + 13 * 3600)).expect("due");
        assert_eq!((due.at, due.reason), (DAY + 12 * 3600, AutoReason::MaxStay));
    }
}
