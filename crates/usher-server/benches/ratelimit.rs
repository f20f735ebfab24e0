//! The rate limiter under load: checks per second once many distinct addresses are live
//! (an address spray, as a client behind many addresses or a botnet would send).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::net::IpAddr;
use usher_server::ratelimit::RateLimiter;

/// Distinct addresses live in the table while the checks are timed.
const LIVE: u32 = 100_000;

fn addr(i: u32) -> IpAddr {
    IpAddr::V4((0x0a00_0000 | i).into())
}

fn spray(c: &mut Criterion) {
    let limiter = RateLimiter::new(10, 60);
    let now = 1_800_000_000;
    for i in 0..LIVE {
        limiter.allow(addr(i), now);
    }
    let mut g = c.benchmark_group("ratelimit");
    g.throughput(Throughput::Elements(1));
    g.sample_size(20);
    let mut i = 0u32;
    g.bench_function("check_with_100k_live_addresses", |b| {
        b.iter(|| {
            i = (i + 1) % LIVE;
            black_box(limiter.allow(addr(i), now + 1))
        });
    });
    g.finish();
}

criterion_group!(benches, spray);
criterion_main!(benches);
