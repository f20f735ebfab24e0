//! What an accepted sign-in costs at the door: judging a pass and committing it durably
//! (WAL, `synchronous=FULL`) to a real SQLite file, and logging a rejection.
//!
//! `cargo bench --bench ledger`

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use usher::ledger::SqliteLedger;
use usher_core::{Now, ReusePolicy, Scheme, VerdictKind, judge};

fn bench_ledger(c: &mut Criterion) {
    let venue = usher_testkit::Keyring {
        password: None,
        seed: [5; 32],
    };
    let rules = venue.rules(ReusePolicy::Once);
    let signer = venue.signer(Scheme::Ed25519);
    let dir = tempfile::tempdir().expect("tmp");
    let mut ledger = SqliteLedger::open(&dir.path().join("bench.db")).expect("ledger");
    let passes = usher_testkit::FreshPasses::new(signer);
    let fresh_pass = || passes.next_text();
    let now = Now::utc(1_800_000_000);

    let mut group = c.benchmark_group("ledger");
    group.bench_function("accept_ed25519_durable_commit", |b| {
        b.iter_batched(
            fresh_pass,
            |text| {
                let v = judge(&text, &rules, now, &mut ledger).expect("judge");
                assert_eq!(v.kind(), VerdictKind::Accepted);
            },
            BatchSize::SmallInput,
        )
    });
    let used = fresh_pass();
    judge(&used, &rules, now, &mut ledger).expect("first use");
    group.bench_function("used_check_and_scan_log", |b| {
        b.iter(|| {
            let v = judge(&used, &rules, now, &mut ledger).expect("judge");
            assert_eq!(v.kind(), VerdictKind::Used);
        })
    });
    group.finish();
}

criterion_group!(benches, bench_ledger);
criterion_main!(benches);
