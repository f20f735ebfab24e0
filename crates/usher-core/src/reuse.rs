//! Reuse policies: how soon a pass may sign someone in again.

use crate::Now;
use std::fmt;
use std::str::FromStr;

/// How often one pass may be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReusePolicy {
    /// Never again, on this kiosk nor (once synced) any kiosk of the venue. Breeze behaviour.
    #[default]
    Once,
    /// Once per local calendar day.
    Daily,
    /// Once per this many minutes.
    Interval(u32),
    /// Every time (the ledger still records each use).
    Always,
}

impl ReusePolicy {
    /// From when an earlier use counts against a pass scanned `now`: a use at or after the
    /// returned time makes it `qr_used`. `None` means no earlier use ever counts.
    pub fn counts_since(self, now: Now) -> Option<i64> {
        match self {
            ReusePolicy::Once => Some(i64::MIN),
            ReusePolicy::Daily => Some(now.local_day_start()),
            // A use exactly `minutes` ago no longer counts.
            ReusePolicy::Interval(minutes) => Some(now.unix - i64::from(minutes) * 60 + 1),
            ReusePolicy::Always => None,
        }
    }
}

impl fmt::Display for ReusePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReusePolicy::Once => f.write_str("once"),
            ReusePolicy::Daily => f.write_str("daily"),
            ReusePolicy::Interval(m) => write!(f, "interval:{m}"),
            ReusePolicy::Always => f.write_str("always"),
        }
    }
}

/// The error for a malformed reuse policy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown reuse policy {0:?} (expected once, daily, interval:MINUTES with MINUTES ≥ 1, or always)"
)]
pub struct BadPolicy(pub String);

impl FromStr for ReusePolicy {
    type Err = BadPolicy;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadPolicy(s.to_owned());
        match s.trim().to_ascii_lowercase().as_str() {
            "once" => Ok(ReusePolicy::Once),
            "daily" => Ok(ReusePolicy::Daily),
            "always" => Ok(ReusePolicy::Always),
            other => {
                let minutes = other.strip_prefix("interval:").ok_or_else(bad)?;
                match minutes.trim().parse::<u32>() {
                    Ok(m) if m >= 1 => Ok(ReusePolicy::Interval(m)),
                    _ => Err(bad()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_policy() {
        assert_eq!("once".parse(), Ok(ReusePolicy::Once));
        assert_eq!(" Daily ".parse(), Ok(ReusePolicy::Daily));
        assert_eq!("interval:90".parse(), Ok(ReusePolicy::Interval(90)));
        assert_eq!("always".parse(), Ok(ReusePolicy::Always));
        for bad in [
            "",
            "twice",
            "interval:",
            "interval:0",
            "interval:-5",
            "interval:x",
        ] {
            assert!(bad.parse::<ReusePolicy>().is_err(), "{bad}");
        }
        for p in [
            ReusePolicy::Once,
            ReusePolicy::Daily,
            ReusePolicy::Interval(5),
            ReusePolicy::Always,
        ] {
            assert_eq!(p.to_string().parse(), Ok(p));
        }
    }

    #[test]
    fn daily_counts_from_local_midnight() {
        // 2026-11-23 23:30 UTC is 2026-11-24 00:30 in UTC+1: the local day began 30 minutes ago.
        let now = Now {
            unix: 1_795_476_600,
            utc_offset: 3600,
        };
        assert_eq!(
            ReusePolicy::Daily.counts_since(now),
            Some(now.unix - 30 * 60)
        );
        // The same instant in UTC: the day began 23.5 hours ago.
        assert_eq!(
            ReusePolicy::Daily.counts_since(Now::utc(now.unix)),
            Some(now.unix - 84_600)
        );
        // West of Greenwich: UTC-5 is 18:30 local.
        let west = Now {
            unix: now.unix,
            utc_offset: -5 * 3600,
        };
        assert_eq!(
            ReusePolicy::Daily.counts_since(west),
            Some(now.unix - (18 * 3600 + 1800))
        );
    }

    #[test]
    fn interval_counts_the_last_minutes_only() {
        let now = Now::utc(10_000);
        assert_eq!(
            ReusePolicy::Interval(10).counts_since(now),
            Some(10_000 - 600 + 1)
        );
        assert_eq!(ReusePolicy::Always.counts_since(now), None);
        assert_eq!(ReusePolicy::Once.counts_since(now), Some(i64::MIN));
    }
}
