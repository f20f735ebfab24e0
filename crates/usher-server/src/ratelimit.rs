//! Per-client rate limits (form submissions, login attempts): at most `max` events per client
//! in any `window` seconds, kept in memory and timed by the server's
//! [`Clock`](crate::clock::Clock). A client is an IPv4 address or an IPv6 /64 (what one
//! subscriber gets, so rotating through it gains nothing).
//!
//! The table is bounded in time and size, and no check walks it: it is split into shards
//! (each behind its own lock), and each shard keeps two generations that swap once a window,
//! so a client not seen for a window is forgotten at the next swap, in O(1) per check. At most
//! `cap` clients are tracked per generation; past that a new client is refused until the
//! window turns (an address spray then limits itself instead of the table growing).

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher as _;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;

/// Clients tracked at most per generation, by default (twice this are remembered at most).
pub const DEFAULT_CAP: usize = 100_000;

/// Shards of the table, each behind its own lock.
const SHARDS: usize = 16;

/// At most `max` events per client in any `window` seconds.
#[derive(Debug)]
pub struct RateLimiter {
    max: usize,
    window: i64,
    cap_per_shard: usize,
    /// Picks a client's shard; seeded at random, so no one can aim a spray at one shard.
    spread: RandomState,
    shards: Vec<Mutex<Shard>>,
}

/// One shard: the clients seen this generation and the one before.
#[derive(Debug, Default)]
struct Shard {
    current: HashMap<IpAddr, Vec<i64>>,
    previous: HashMap<IpAddr, Vec<i64>>,
    turned_at: Option<i64>,
}

impl Shard {
    /// Starts a new generation when a window has passed since the last: what was last
    /// touched before the previous turn is then more than a window old, and dropped.
    fn turn(&mut self, now: i64, window: i64) {
        match self.turned_at {
            Some(t) if now - t < window => {}
            Some(_) => {
                self.previous = std::mem::take(&mut self.current);
                self.turned_at = Some(now);
            }
            None => self.turned_at = Some(now),
        }
    }
}

/// The key a client is limited by: the IPv4 address (also when written IPv4-mapped), or the
/// IPv6 address's /64.
pub fn client_key(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V4(_) => addr,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

impl RateLimiter {
    /// A limiter allowing `max` events per `window` seconds, tracking up to [`DEFAULT_CAP`]
    /// clients.
    pub fn new(max: u32, window: i64) -> Self {
        Self::with_cap(max, window, DEFAULT_CAP)
    }

    /// A limiter allowing `max` events per `window` seconds, tracking up to about `cap`
    /// clients per generation.
    pub fn with_cap(max: u32, window: i64, cap: usize) -> Self {
        RateLimiter {
            max: usize::try_from(max).unwrap_or(usize::MAX),
            window: window.max(1),
            cap_per_shard: cap.div_ceil(SHARDS).max(1),
            spread: RandomState::new(),
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
        }
    }

    fn shard(&self, key: IpAddr) -> std::sync::MutexGuard<'_, Shard> {
        let i = usize::try_from(self.spread.hash_one(key) % SHARDS as u64).unwrap_or(0);
        self.shards[i]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records an event from `addr` at `now`; false when it is over the limit (not recorded),
    /// or when `addr` is new and the table is full.
    pub fn allow(&self, addr: IpAddr, now: i64) -> bool {
        let key = client_key(addr);
        let mut guard = self.shard(key);
        let shard = &mut *guard;
        shard.turn(now, self.window);
        if !shard.current.contains_key(&key) {
            let carried = shard.previous.remove(&key);
            if carried.is_none() && shard.current.len() >= self.cap_per_shard {
                return false;
            }
            shard.current.insert(key, carried.unwrap_or_default());
        }
        let Some(times) = shard.current.get_mut(&key) else {
            return false;
        };
        times.retain(|&t| t > now - self.window);
        if times.len() >= self.max {
            return false;
        }
        times.push(now);
        true
    }

    /// Clients remembered now (both generations).
    pub fn tracked(&self) -> usize {
        self.shards
            .iter()
            .map(|s| {
                let s = s.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                s.current.len() + s.previous.len()
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_address_per_window() {
        let l = RateLimiter::new(5, 60);
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        for _ in 0..5 {
            assert!(l.allow(a, 100));
        }
        assert!(!l.allow(a, 120));
        assert!(l.allow(b, 120));
        assert!(l.allow(a, 161));
    }

    #[test]
    fn a_window_spanning_a_generation_turn_still_counts() {
        let l = RateLimiter::new(3, 60);
        let a: IpAddr = [192, 0, 2, 1].into();
        assert!(l.allow(a, 0));
        for t in [50, 59] {
            assert!(l.allow(a, t));
        }
        // the shard turns at 60, 120, ...: the events at 50 and 59 still count at 100
        assert!(l.allow(a, 61));
        assert!(!l.allow(a, 100));
        assert!(l.allow(a, 111));
    }

    #[test]
    fn ipv6_is_limited_per_64() {
        let l = RateLimiter::new(2, 60);
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        assert!(l.allow(ip("2001:db8:1:2::1"), 0));
        assert!(l.allow(ip("2001:db8:1:2:ffff::9"), 0));
        assert!(!l.allow(ip("2001:db8:1:2:1:2:3:4"), 0));
        assert!(l.allow(ip("2001:db8:1:3::1"), 0));
        assert!(l.allow(ip("::ffff:192.0.2.7"), 0));
        assert!(l.allow(ip("192.0.2.7"), 0));
        assert!(!l.allow(ip("192.0.2.7"), 0));
    }

    #[test]
    fn the_table_is_bounded_and_forgets_clients_after_two_windows() {
        let l = RateLimiter::with_cap(5, 60, 1600);
        let addr = |i: u32| IpAddr::V4((0x0a00_0000 | i).into());
        let allowed = (0..10_000).filter(|&i| l.allow(addr(i), 0)).count();
        assert!(l.tracked() <= 1600, "{} tracked", l.tracked());
        assert!((1000..=1600).contains(&allowed), "{allowed} allowed");
        // a window on, each shard turns when next touched; two windows on, the spray is gone
        assert!((0..200).all(|i| l.allow(addr(20_000 + i), 60)));
        assert!((0..200).all(|i| l.allow(addr(30_000 + i), 120)));
        assert_eq!(l.tracked(), 400);
        assert_eq!((0..100).filter(|&i| l.allow(addr(i), 121)).count(), 100);
    }
}
