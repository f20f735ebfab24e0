//! What the door adds to a verdict on a busy ledger (DESIGN §8's figure): 10,000 open stays and
//! 1,000,000 closed ones in a real SQLite file (WAL, `synchronous=FULL`). Measured: the
//! inside-now count with the `qr_full` check, the holder's facts, a whole accepted entry with
//! its durable commit (with and without a capacity), and a `qr_full` refusal; then, with a
//! presence answer stored (5,000 open stays of other kiosks, their counts, a place lease),
//! the count with the lease check, an accepted entry, and the verdict's p50/p99.
//!
//! `cargo bench --bench door`. Building the file takes a while, so it is kept under the target
//! folder (`usher-bench/door-10k-1m.db`) and copied for each run.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use rusqlite::{Connection, params};
use std::path::{Path, PathBuf};
use usher::ledger::SqliteLedger;
use usher_core::{
    Capacity, DoorLedger, DoorRules, DoorScan, Entrance, Now, PassId, ReusePolicy, Scheme,
    VerdictKind, judge_at_door,
};

const OPEN: u32 = 10_000;
const CLOSED: u32 = 1_000_000;
const NOW: i64 = 1_800_000_000;
/// Bump when the fixture's shape changes, so a cached file is rebuilt.
const FIXTURE: &str = "door-fixture-1";
const ENTRANCES: [&str; 3] = ["main", "brothers", "sisters"];

fn fixture() -> PathBuf {
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from);
    let dir = target.join("usher-bench");
    std::fs::create_dir_all(&dir).expect("bench folder");
    let path = dir.join("door-10k-1m.db");
    let ready = Connection::open(&path)
        .and_then(|c| {
            c.query_row(
                "SELECT value FROM sync_state WHERE key = 'bench_fixture'",
                [],
                |r| r.get::<_, String>(0),
            )
        })
        .is_ok_and(|v| v == FIXTURE);
    if !ready {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(with_suffix(&path, ext));
        }
        let started = std::time::Instant::now();
        build(&path);
        eprintln!("built {} in {:?}", path.display(), started.elapsed());
    }
    path
}

fn with_suffix(path: &Path, ext: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(ext);
    PathBuf::from(name)
}

/// The schema from `SqliteLedger::open`, then the stays, their uses and exits in one
/// transaction through prepared statements.
fn build(path: &Path) {
    drop(SqliteLedger::open(path).expect("schema"));
    let mut conn = Connection::open(path).expect("open");
    conn.execute_batch("PRAGMA synchronous = OFF")
        .expect("bulk");
    let tx = conn.transaction().expect("tx");
    {
        let mut stay = tx
            .prepare(
                "INSERT INTO stays (entry_id, pass_id, entrance, heads, entered_at, device_id,
                                    new_use, over_capacity, exited_at, exit_kind)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'door-1', 1, 0, ?6, ?7)",
            )
            .expect("stay");
        let mut used = tx
            .prepare("INSERT INTO uses (pass_id, used_at, device_id, valid_until) VALUES (?1, ?2, 'door-1', ?3)")
            .expect("use");
        let mut exit = tx
            .prepare(
                "INSERT INTO exits (id, pass_id, at, device_id, entrance, closes, kind)
                 VALUES (?1, ?2, ?3, 'door-1', ?4, ?5, 'scan')",
            )
            .expect("exit");
        for i in 0..OPEN + CLOSED {
            let pass = PassId::of(&i.to_le_bytes());
            let entry = format!("{:032x}", u128::from(i) << 64 | 0xe);
            let entrance = ENTRANCES[i as usize % 3];
            let heads = 1 + i % 4;
            // Closed stays over the last year, open ones over the last two hours.
            let (since, exited) = if i < OPEN {
                (NOW - 7200 + i64::from(i % 7200), None)
            } else {
                let since = NOW - 86_400 * 365 + i64::from(i) * 31;
                (since, Some(since + 3600))
            };
            stay.execute(params![
                entry,
                &pass.0[..],
                entrance,
                heads,
                since,
                exited,
                exited.map(|_| "scan")
            ])
            .expect("stay row");
            used.execute(params![&pass.0[..], since, 1_900_000_000i64])
                .expect("use row");
            if let Some(at) = exited {
                exit.execute(params![
                    format!("{:032x}", u128::from(i) << 64 | 0xf),
                    &pass.0[..],
                    at,
                    entrance,
                    entry
                ])
                .expect("exit row");
            }
        }
        tx.execute(
            "INSERT INTO sync_state (key, value) VALUES ('bench_fixture', ?1)",
            [FIXTURE],
        )
        .expect("marker");
    }
    tx.commit().expect("commit");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("checkpoint");
}

fn bench_door(c: &mut Criterion) {
    let fixture = fixture();
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("door.db");
    std::fs::copy(&fixture, &path).expect("copy fixture");
    let mut ledger = SqliteLedger::open(&path).expect("ledger");
    let inside = ledger.inside_now().expect("inside");
    assert_eq!(ledger.open_stays().expect("open").len(), OPEN as usize);
    eprintln!(
        "inside now: {} ({:?})",
        inside.total(),
        inside.iter().collect::<Vec<_>>()
    );

    let venue = usher_testkit::Keyring {
        password: None,
        seed: [5; 32],
    };
    let rules = venue.rules(ReusePolicy::Daily);
    let passes = usher_testkit::FreshPasses::new(venue.signer(Scheme::Ed25519));
    let fresh_pass = || passes.next_text();
    let now = Now::utc(NOW);
    let main = Entrance::main();
    let roomy = DoorRules {
        capacity: Capacity {
            venue: Some(1_000_000),
            entrances: [(main.clone(), 1_000_000)].into_iter().collect(),
        },
        ..DoorRules::default()
    };
    let no_capacity = DoorRules::default();

    let mut group = c.benchmark_group("door");
    group.bench_function("inside_now_and_full_check", |b| {
        b.iter(|| {
            let inside = ledger.inside_now().expect("inside");
            roomy.status(&inside).overflow(&main, 3)
        })
    });
    let known = PassId::of(&(OPEN + 12_345).to_le_bytes());
    group.bench_function("holder_of_a_pass_with_a_closed_stay", |b| {
        b.iter(|| ledger.holder(&known, Some(NOW - 86_400)).expect("holder"))
    });
    for (name, door) in [
        ("accept_entry_durable_commit_no_capacity", &no_capacity),
        ("accept_entry_durable_commit_with_capacity", &roomy),
    ] {
        group.bench_function(name, |b| {
            b.iter_batched(
                fresh_pass,
                |text| {
                    let v =
                        judge_at_door(&text, &rules, door, &DoorScan::default(), now, &mut ledger)
                            .expect("judge");
                    assert_eq!(v.verdict.kind(), VerdictKind::Accepted);
                },
                BatchSize::SmallInput,
            )
        });
    }
    let full = DoorRules {
        capacity: Capacity {
            venue: Some(ledger.inside_now().expect("inside").total()),
            ..Capacity::default()
        },
        ..DoorRules::default()
    };
    group.bench_function("full_refusal_and_scan_log", |b| {
        b.iter_batched(
            fresh_pass,
            |text| {
                let v = judge_at_door(&text, &rules, &full, &DoorScan::default(), now, &mut ledger)
                    .expect("judge");
                assert_eq!(v.verdict.kind(), VerdictKind::Full);
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
    bench_presence(c, &mut ledger, &rules, &roomy, &passes);
}

/// The same ledger once a presence fetch stored the other kiosks' open stays (the answer's
/// limit, 5,000, across the entrances), their counts and a place lease: the verdict path then
/// also reads `remote_inside` and the lease. Prints the verdict's p50/p99 over 2,000 accepted
/// entries with their durable commits (DESIGN §8's figure: p99 under 50 ms).
fn bench_presence(
    c: &mut Criterion,
    ledger: &mut SqliteLedger,
    rules: &usher_core::Rules,
    roomy: &DoorRules,
    passes: &usher_testkit::FreshPasses,
) {
    let mut others_inside = usher_core::InsideNow::new();
    let others: Vec<usher_core::OpenStay> = (0..usher_core::wire::PRESENCE_STAYS_LIMIT as u32)
        .map(|i| {
            let entrance: Entrance = ENTRANCES[i as usize % 3].parse().expect("entrance");
            others_inside.add(&entrance, 2);
            usher_core::OpenStay {
                entry: usher_core::EntryId(format!("remote-{i}")),
                pass_id: PassId::of(&(u64::from(i) << 40).to_le_bytes()),
                entrance,
                since: NOW - 3600,
                heads: usher_core::PartySize::new(2).expect("2"),
                device_id: "door-2".into(),
            }
        })
        .collect();
    let snap = usher::ledger::PresenceSnapshot {
        fetched_at: NOW,
        others,
        others_inside,
        closed_elsewhere: Vec::new(),
        others_tallied: usher_core::InsideNow::new(),
        lease: Some(usher_core::lease::PlaceLease {
            places: 10_000_000,
            expires_at: NOW + 3600,
        }),
    };
    let report = ledger.presence_report(NOW).expect("report");
    let started = std::time::Instant::now();
    ledger
        .store_presence(&snap, &report)
        .expect("store presence");
    eprintln!(
        "stored a presence answer of {} open stays in {:?}",
        snap.others.len(),
        started.elapsed()
    );
    let now = Now::utc(NOW);
    let main = Entrance::main();
    let mut group = c.benchmark_group("door_presence");
    group.bench_function("inside_now_lease_and_full_check", |b| {
        b.iter(|| {
            let inside = ledger.inside_now().expect("inside");
            let lease = ledger.place_lease().expect("lease").expect("held");
            (
                roomy.status(&inside).overflow(&main, 3),
                lease.lease.admits(lease.own_inside, 3, NOW),
            )
        })
    });
    group.bench_function("accept_entry_durable_commit_capacity_and_lease", |b| {
        b.iter_batched(
            || passes.next_text(),
            |text| {
                let v = judge_at_door(&text, rules, roomy, &DoorScan::default(), now, ledger)
                    .expect("judge");
                assert_eq!(v.verdict.kind(), VerdictKind::Accepted);
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();

    let mut took: Vec<std::time::Duration> = (0..2_000)
        .map(|_| {
            let text = passes.next_text();
            let t = std::time::Instant::now();
            let v = judge_at_door(&text, rules, roomy, &DoorScan::default(), now, ledger)
                .expect("judge");
            assert_eq!(v.verdict.kind(), VerdictKind::Accepted);
            t.elapsed()
        })
        .collect();
    took.sort();
    let at = |q: f64| took[((took.len() as f64 * q) as usize).min(took.len() - 1)];
    eprintln!(
        "FIGURE verdict (accepted entry, capacity and lease, {OPEN} open + {CLOSED} closed own \
         stays, {} remote open stays): p50 {:?}, p99 {:?}, max {:?} over {} verdicts",
        snap.others.len(),
        at(0.50),
        at(0.99),
        took[took.len() - 1],
        took.len()
    );
}

criterion_group!(benches, bench_door);
criterion_main!(benches);
