//! Sign-in ingest benchmark: batches of 100 through the real upload path (row checks, opening
//! what the kiosk sealed, sealing for storage,
//! blind indexes, one transaction per batch) on SQLite and, when USHER_TEST_POSTGRES_URL is set,
//! PostgreSQL; plus, on the same PostgreSQL, the old way: one INSERT per sign-in with
//! `pgp_sym_encrypt` (pgcrypto) on each contact column. Prints sign-ins per second.
//!
//! Run: `cargo bench -p usher-server --bench ingest` (USHER_BENCH_N sign-ins, default 20000).
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::sync::Arc;
use std::time::Instant;
use usher_server::AppState;
use usher_server::api::{parse_upload, seal_rows};
use usher_server::clock::FixedClock;
use usher_server::crypto::IndexKind;
use usher_server::setup::{Config, ServerKeys};
use usher_server::store::{IndexColumn, Store};

const NOW: i64 = 1_800_000_000;

/// `n` sign-ins as a kiosk uploads them: a time-ordered id (scan time, then random, as the
/// kiosk's ledger makes it), a pass id that is a SHA-256, and the contact fields either sealed
/// to the organiser's key (an enrolled kiosk) or in clear (a kiosk without the key).
fn rows(n: usize, tag: &str, organiser: Option<&crypto_box::PublicKey>) -> Vec<serde_json::Value> {
    use base64::Engine as _;
    use sha2::Digest as _;
    (0..n)
        .map(|i| {
            let at = NOW - 3600 + (i as i64 * 3600 / n as i64);
            let pass_id = sha2::Sha256::digest(format!("{tag} pass {i}"));
            let random = sha2::Sha256::digest(format!("{tag} id {i}"));
            let id = format!("{at:010x}{}", hex::encode(&random[..11]));
            let fields = serde_json::json!({"s1": format!("Visitor Number {i}"), "s2": format!("+44 7700 9{i:05}"), "email": format!("v{i}@example.org")});
            let mut row = serde_json::json!({
                "id": id,
                "pass_id": hex::encode(pass_id),
                "scanned_at": at,
                "device_id": "kiosk-1",
            });
            match organiser {
                Some(key) => {
                    let plain = serde_json::json!({"id": id, "fields": fields}).to_string();
                    let sealed = key
                        .seal(&mut crypto_box::aead::OsRng, plain.as_bytes())
                        .unwrap();
                    row["sealed"] = base64::engine::general_purpose::STANDARD.encode(sealed).into();
                }
                None => row["fields"] = fields,
            }
            row
        })
        .collect()
}

async fn new_way(store: Store, dir: &std::path::Path, n: usize, tag: &str, sealed: bool) -> f64 {
    let keys = ServerKeys::ephemeral().unwrap();
    let organiser =
        crypto_box::PublicKey::from_bytes(keys.signing.verifying_key().to_montgomery().to_bytes());
    let state = AppState::new(
        store.clone(),
        keys,
        Config::new(dir.to_path_buf()),
        Arc::new(FixedClock::new(NOW)),
    );
    let device = store
        .create_device(&format!("bench {tag}"), tag.as_bytes(), NOW)
        .await
        .unwrap();
    let all = rows(n, tag, sealed.then_some(&organiser));
    let batch = batch_size();
    let start = Instant::now();
    let mut in_store = std::time::Duration::ZERO;
    for chunk in all.chunks(batch) {
        // What the handler does with an upload's body, before the database.
        let body = serde_json::to_vec(&serde_json::json!({ "signins": chunk })).unwrap();
        let parsed = parse_upload(&body, NOW).unwrap();
        assert!(parsed.refused.is_empty());
        let prepared: Vec<_> = seal_rows(parsed.rows, &state)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let t = Instant::now();
        let out = store.ingest(device, &prepared, NOW).await.unwrap();
        in_store += t.elapsed();
        assert_eq!(out.stored.len(), chunk.len());
    }
    let total = start.elapsed();
    println!(
        "  ({tag}: {:.2} s in all, {:.2} s in the database, {:.2} s checking and sealing)",
        total.as_secs_f64(),
        in_store.as_secs_f64(),
        (total - in_store).as_secs_f64()
    );
    // An admin's exact lookup by name over everything stored (the widest time window).
    let lookups: u32 = 20;
    let t = Instant::now();
    for k in 0..lookups {
        let i = (k as usize * 7919) % n;
        let bi = state
            .keys
            .vault
            .blind_index(IndexKind::Name, &format!("Visitor Number {i}"))
            .unwrap();
        let found = store
            .signins_by_index(IndexColumn::Name, &bi, 0, i64::MAX, 1000)
            .await
            .unwrap();
        assert_eq!(found.len(), 1);
    }
    println!(
        "  ({tag}: lookup by name among {n} sign-ins: {:.2} ms each)",
        t.elapsed().as_secs_f64() * 1000.0 / f64::from(lookups)
    );
    n as f64 / total.as_secs_f64()
}

async fn old_way(url: &str, n: usize) -> f64 {
    use sqlx::Connection as _;
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    sqlx::query(
        // A real table, as the old server had (a TEMP table would skip the WAL and its fsync).
        "CREATE TABLE old_signins (id TEXT PRIMARY KEY, pass_id BYTEA NOT NULL, \
         scanned_at BIGINT NOT NULL, device_id TEXT NOT NULL, name BYTEA, phone BYTEA, email BYTEA)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let all = rows(n, "o", None);
    let start = Instant::now();
    for r in &all {
        let f = &r["fields"];
        sqlx::query(
            "INSERT INTO old_signins VALUES ($1, $2, $3, $4, \
             public.pgp_sym_encrypt($5, $8), public.pgp_sym_encrypt($6, $8), public.pgp_sym_encrypt($7, $8)) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(r["id"].as_str().unwrap())
        .bind(hex::decode(r["pass_id"].as_str().unwrap()).unwrap())
        .bind(r["scanned_at"].as_i64().unwrap())
        .bind(r["device_id"].as_str().unwrap())
        .bind(f["s1"].as_str().unwrap())
        .bind(f["s2"].as_str().unwrap())
        .bind(f["email"].as_str().unwrap())
        .bind("a database-side passphrase")
        .execute(&mut conn)
        .await
        .unwrap();
    }
    let rate = n as f64 / start.elapsed().as_secs_f64();
    conn.close().await.unwrap();
    rate
}

/// Sign-ins per upload: USHER_BENCH_BATCH, default 100 (the kiosk's batch), at most 1000.
fn batch_size() -> usize {
    std::env::var("USHER_BENCH_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100usize)
        .clamp(1, 1000)
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --all-targets` does not: then a quick smoke run.
    let benching = std::env::args().any(|a| a == "--bench");
    let n: usize = std::env::var("USHER_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if benching { 20_000 } else { 500 });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .thread_name("usher-bench")
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("bench.db").display());
        let store = Store::connect(&url).await.unwrap();
        let b = batch_size();
        let plain = new_way(store.clone(), dir.path(), n, "s", false).await;
        let sealed = new_way(store.clone(), dir.path(), n, "t", true).await;
        store.close().await;
        println!("sqlite   new way: {n} sign-ins, batches of {b}, fields in clear on the wire: {plain:>9.0} sign-ins/s (goal >= 20000)");
        println!("sqlite   new way: {n} sign-ins, batches of {b}, sealed by the kiosk:       {sealed:>9.0} sign-ins/s (goal >= 20000)");
        let Ok(pg) = std::env::var("USHER_TEST_POSTGRES_URL") else {
            println!("SKIPPED: postgres (set USHER_TEST_POSTGRES_URL)");
            return;
        };
        let schema = format!("bench_{}", std::process::id());
        {
            use sqlx::Connection as _;
            let mut c = sqlx::PgConnection::connect(&pg).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                .execute(&mut c)
                .await
                .unwrap();
        }
        let sep = if pg.contains('?') { '&' } else { '?' };
        let scoped = format!("{pg}{sep}options=-csearch_path%3D{schema}");
        let store = Store::connect(&scoped).await.unwrap();
        let plain = new_way(store.clone(), dir.path(), n, "p", false).await;
        let sealed = new_way(store.clone(), dir.path(), n, "q", true).await;
        store.close().await;
        println!("postgres new way: {n} sign-ins, batches of {b}, fields in clear on the wire: {plain:>9.0} sign-ins/s");
        println!("postgres new way: {n} sign-ins, batches of {b}, sealed by the kiosk:       {sealed:>9.0} sign-ins/s");
        let old_n = (n / 10).max(100);
        let old = old_way(&scoped, old_n).await;
        println!("postgres old way: {old_n} sign-ins, one INSERT each, pgp_sym_encrypt per column: {old:>9.0} sign-ins/s");
        println!(
            "postgres ratio new/old: {:.1}x in clear, {:.1}x sealed (goal >= 10x)",
            plain / old,
            sealed / old
        );
        {
            use sqlx::Connection as _;
            let mut c = sqlx::PgConnection::connect(&pg).await.unwrap();
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                .execute(&mut c)
                .await;
        }
    });
}
