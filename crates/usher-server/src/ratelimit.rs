//! Per-address rate limits (form submissions, login attempts): a sliding one-minute window
//! kept in memory, timed by the server's [`Clock`](crate::clock::Clock).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// Addresses remembered at most; past this, the oldest windows are dropped.
const MAX_ADDRESSES: usize = 50_000;

/// At most `max` events per address in any `window` seconds.
#[derive(Debug)]
pub struct RateLimiter {
    max: usize,
    window: i64,
    seen: Mutex<HashMap<IpAddr, Vec<i64>>>,
}

impl RateLimiter {
    /// A limiter allowing `max` events per `window` seconds.
    pub fn new(max: u32, window: i64) -> Self {
        RateLimiter {
            max: usize::try_from(max).unwrap_or(usize::MAX),
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Records an event from `addr` at `now`; false when it is over the limit (not recorded).
    pub fn allow(&self, addr: IpAddr, now: i64) -> bool {
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if seen.len() >= MAX_ADDRESSES {
            let window = self.window;
            seen.retain(|_, times| times.last().is_some_and(|&t| t > now - window));
        }
        let times = seen.entry(addr).or_default();
        times.retain(|&t| t > now - self.window);
        if times.len() >= self.max {
            return false;
        }
        times.push(now);
        true
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
}
