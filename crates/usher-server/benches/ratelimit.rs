//! The rate limiter under load: checks per second once 100,000 distinct addresses are live
//! (an address spray, as from a botnet or a large IPv4 range), against the limiter it
//! replaced (one table under one lock, swept whole on every check past 50,000 addresses).
//!
//! Run: `cargo bench -p usher-server --bench ratelimit`.

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use std::collections::HashMap;
use std::hint::black_box;
use std::net::IpAddr;
use std::sync::Mutex;
use usher_server::ratelimit::RateLimiter;

/// Distinct addresses live in the table while the checks are timed.
const LIVE: u32 = 100_000;
const NOW: i64 = 1_800_000_000;

fn addr(i: u32) -> IpAddr {
    IpAddr::V4((0x0a00_0000 | i).into())
}

/// The limiter before issue 10 item 14, verbatim but for its name.
struct OldLimiter {
    max: usize,
    window: i64,
    seen: Mutex<HashMap<IpAddr, Vec<i64>>>,
}

impl OldLimiter {
    fn allow(&self, addr: IpAddr, now: i64) -> bool {
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if seen.len() >= 50_000 {
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

/// Fills a limiter with [`LIVE`] addresses through `allow`, then times one check more each.
fn checks(g: &mut BenchmarkGroup<'_, WallTime>, name: &str, allow: impl Fn(IpAddr, i64) -> bool) {
    for i in 0..LIVE {
        allow(addr(i), NOW);
    }
    let mut i = 0u32;
    g.bench_function(name, |b| {
        b.iter(|| {
            i = (i + 1) % LIVE;
            black_box(allow(addr(i), NOW + 1))
        });
    });
}

fn spray(c: &mut Criterion) {
    let mut g = c.benchmark_group("ratelimit");
    g.throughput(Throughput::Elements(1));
    g.sample_size(10);
    let limiter = RateLimiter::new(10, 60);
    checks(&mut g, "check_with_100k_live_addresses", |a, t| {
        limiter.allow(a, t)
    });
    let old = OldLimiter {
        max: 10,
        window: 60,
        seen: Mutex::new(HashMap::new()),
    };
    checks(&mut g, "old_check_with_100k_live_addresses", |a, t| {
        old.allow(a, t)
    });
    g.finish();
}

criterion_group!(benches, spray);
criterion_main!(benches);
