//! What the door adds to a verdict on a busy ledger (DESIGN §8's figure): 10,000 open stays and
//! 1,000,000 closed ones in a real SQLite file (WAL, `synchronous=FULL`). Measured: the
//! inside-now count with the `qr_full` check, the holder's facts, a whole accepted entry with
//! its durable commit (with and without a capacity), and a `qr_full` refusal.
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
}

criterion_group!(benches, bench_door);
criterion_main!(benches);
