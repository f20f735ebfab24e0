//! The storage suite: every store operation, on SQLite and (with USHER_TEST_POSTGRES_URL) on
//! PostgreSQL.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Backend, signin};
use usher_core::stay::ExitKind;
use usher_server::crypto::{IndexKind, Vault, token_hash};
use usher_server::store::{IndexColumn, NewExit};

const T0: i64 = 1_800_000_000;

async fn ingest_is_idempotent_per_id(b: &Backend) {
    let v = Vault::random().unwrap();
    let s = &b.store;
    let dev = s
        .create_device("door", &token_hash("tok"), T0)
        .await
        .unwrap();
    let batch = vec![
        signin(&v, "a1", 1, T0, "k1", "Ann", "111"),
        signin(&v, "a2", 2, T0 + 1, "k1", "Bob", "222"),
    ];
    let out = s.ingest(dev, &batch, T0).await.unwrap();
    assert_eq!(out.stored, vec!["a1", "a2"], "{}", b.name);
    assert!(out.known.is_empty());
    // a retry, with one new sign-in and a duplicate inside the batch
    let mut retry = batch.clone();
    retry.push(signin(&v, "a3", 3, T0 + 2, "k1", "Cy", "333"));
    retry.push(signin(&v, "a3", 3, T0 + 2, "k1", "Cy", "333"));
    let out = s.ingest(dev, &retry, T0).await.unwrap();
    assert_eq!(out.stored, vec!["a3"]);
    assert_eq!(out.known, vec!["a1", "a2", "a3"]);
    assert_eq!(s.signin_count().await.unwrap(), 3);
    // stored sealed, opens with the key
    let rows = s.signins_between(T0, T0 + 10, 100).await.unwrap();
    assert_eq!(rows.len(), 3);
    let plain = v.open(rows[0].sid.as_bytes(), &rows[0].contact).unwrap();
    assert!(String::from_utf8(plain).unwrap().contains("Ann"));
}
on_both!(
    ingest_idempotent_sqlite,
    ingest_idempotent_postgres,
    ingest_is_idempotent_per_id
);

async fn used_list_pages_and_excludes_asker(b: &Backend) {
    let v = Vault::random().unwrap();
    let s = &b.store;
    let d1 = s.create_device("one", &token_hash("t1"), T0).await.unwrap();
    let d2 = s.create_device("two", &token_hash("t2"), T0).await.unwrap();
    let mut batch = Vec::new();
    for i in 0..5u8 {
        batch.push(signin(
            &v,
            &format!("x{i}"),
            i,
            T0 + i64::from(i),
            "k1",
            "N",
            "1",
        ));
    }
    s.ingest(d1, &batch, T0).await.unwrap();
    s.ingest(d2, &[signin(&v, "y0", 100, T0, "k2", "M", "2")], T0)
        .await
        .unwrap();
    // d1 sees only d2's pass; d2 sees d1's five, in pages
    let for_d1 = s.used_since(0, d1, 1000).await.unwrap();
    assert_eq!(for_d1.len(), 1);
    assert_eq!(for_d1[0].pass_id, vec![100u8; 32]);
    assert_eq!(for_d1[0].device_id, "k2");
    let page1 = s.used_since(0, d2, 3).await.unwrap();
    assert_eq!(page1.len(), 3);
    let page2 = s.used_since(page1[2].seq, d2, 3).await.unwrap();
    assert_eq!(page2.len(), 2);
    assert_eq!(page2[1].pass_id, vec![4u8; 32]);
    assert_eq!(page2[1].first_at, T0 + 4);
    assert!(s.used_since(page2[1].seq, d2, 3).await.unwrap().is_empty());
    assert!(s.used_last_seq().await.unwrap() >= page2[1].seq);
}
on_both!(
    used_list_sqlite,
    used_list_postgres,
    used_list_pages_and_excludes_asker
);

async fn double_uses_are_recorded(b: &Backend) {
    let v = Vault::random().unwrap();
    let s = &b.store;
    let d1 = s.create_device("one", &token_hash("t1"), T0).await.unwrap();
    let d2 = s.create_device("two", &token_hash("t2"), T0).await.unwrap();
    s.ingest(d1, &[signin(&v, "p1", 9, T0, "k1", "A", "1")], T0)
        .await
        .unwrap();
    // the same kiosk again (e.g. a daily pass): no double use
    s.ingest(d1, &[signin(&v, "p2", 9, T0 + 90_000, "k1", "A", "1")], T0)
        .await
        .unwrap();
    assert!(s.double_uses(10).await.unwrap().is_empty());
    // another kiosk, offline at the time
    s.ingest(d2, &[signin(&v, "p3", 9, T0 + 5, "k2", "A", "1")], T0)
        .await
        .unwrap();
    // retried upload: still one
    s.ingest(d2, &[signin(&v, "p3", 9, T0 + 5, "k2", "A", "1")], T0)
        .await
        .unwrap();
    let d = s.double_uses(10).await.unwrap();
    assert_eq!(d.len(), 1, "{}", b.name);
    assert_eq!(d[0].first_device_id, "k1");
    assert_eq!(d[0].device_id, "k2");
    assert_eq!(d[0].first_at, T0);
    assert_eq!(d[0].at, T0 + 5);
    // one kiosk's batch naming two device ids: kiosks are told apart by their tokens, so
    // this is no double use (the API refuses such rows before the store)
    s.ingest(
        d2,
        &[
            signin(&v, "q1", 10, T0, "k3", "B", "2"),
            signin(&v, "q2", 10, T0 + 1, "k4", "B", "2"),
        ],
        T0,
    )
    .await
    .unwrap();
    let d = s.double_uses(10).await.unwrap();
    assert_eq!(d.len(), 1, "{}", b.name);
}
on_both!(
    double_uses_sqlite,
    double_uses_postgres,
    double_uses_are_recorded
);

async fn an_id_stored_by_one_kiosk_is_taken_for_another(b: &Backend) {
    let v = Vault::random().unwrap();
    let s = &b.store;
    let d1 = s.create_device("k1", &token_hash("t1"), T0).await.unwrap();
    let d2 = s.create_device("k2", &token_hash("t2"), T0).await.unwrap();
    s.ingest(d1, &[signin(&v, "same", 1, T0, "k1", "A", "1")], T0)
        .await
        .unwrap();
    let out = s
        .ingest(
            d2,
            &[
                signin(&v, "same", 2, T0, "k2", "B", "2"),
                signin(&v, "own", 3, T0, "k2", "C", "3"),
            ],
            T0,
        )
        .await
        .unwrap();
    assert_eq!(out.taken, vec!["same"], "{}", b.name);
    assert_eq!(out.stored, vec!["own"]);
    assert!(out.known.is_empty());
    let out = s
        .ingest(d1, &[signin(&v, "same", 1, T0, "k1", "A", "1")], T0)
        .await
        .unwrap();
    assert_eq!(out.known, vec!["same"], "{}", b.name);
    assert_eq!(s.signin_count().await.unwrap(), 2);
}
on_both!(
    taken_ids_sqlite,
    taken_ids_postgres,
    an_id_stored_by_one_kiosk_is_taken_for_another
);

async fn a_first_use_stays_until_its_pass_expires(b: &Backend) {
    let v = Vault::random().unwrap();
    let s = &b.store;
    let d1 = s.create_device("k1", &token_hash("t1"), T0).await.unwrap();
    let d2 = s.create_device("k2", &token_hash("t2"), T0).await.unwrap();
    let year = 365 * 86_400;
    let mut long = signin(&v, "long", 1, T0, "k1", "A", "1");
    long.valid_until = Some(T0 + year);
    let mut short = signin(&v, "short", 2, T0, "k1", "B", "2");
    short.valid_until = Some(T0 + 86_400);
    s.ingest(d1, &[long, short], T0).await.unwrap();
    // 22 days on: the sign-ins go, the year pass's first use stays (the day pass's goes).
    let later = T0 + 22 * 86_400;
    let purged = s.purge(later - 21 * 86_400, later).await.unwrap();
    assert_eq!((purged.signins, purged.passes), (2, 1), "{}", b.name);
    let used = s.used_since(0, d2, 10).await.unwrap();
    assert_eq!(used.len(), 1, "{}", b.name);
    assert_eq!(used[0].pass_id, vec![1u8; 32]);
    assert_eq!(used[0].valid_until, Some(T0 + year));
    // Once the pass has expired, its first use goes too.
    let after = T0 + year + 1;
    assert_eq!(s.purge(after - 21 * 86_400, after).await.unwrap().passes, 1);
}
on_both!(
    first_use_until_expiry_sqlite,
    first_use_until_expiry_postgres,
    a_first_use_stays_until_its_pass_expires
);

async fn devices_and_tokens(b: &Backend) {
    let s = &b.store;
    let id = s
        .create_device("door", &token_hash("secret"), T0)
        .await
        .unwrap();
    assert_eq!(
        s.device_by_token(&token_hash("secret"), T0 + 1)
            .await
            .unwrap(),
        Some((id, "door".to_owned()))
    );
    assert_eq!(
        s.device_by_token(&token_hash("other"), T0).await.unwrap(),
        None
    );
    let list = s.devices().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].last_seen_at, Some(T0 + 1));
    assert!(s.revoke_device(id, T0 + 2).await.unwrap());
    assert!(!s.revoke_device(id, T0 + 3).await.unwrap());
    assert_eq!(
        s.device_by_token(&token_hash("secret"), T0).await.unwrap(),
        None
    );
    assert_eq!(s.devices().await.unwrap()[0].revoked_at, Some(T0 + 2));
}
on_both!(devices_sqlite, devices_postgres, devices_and_tokens);

async fn admins_codes_sessions(b: &Backend) {
    let s = &b.store;
    let id = s.create_admin("Ada", "ada@example.org", T0).await.unwrap();
    assert_eq!(s.admin_count().await.unwrap(), 1);
    let a = s.admin_by_email("ADA@example.org").await.unwrap().unwrap();
    assert_eq!(a.id, id);
    assert_eq!(a.password_hash, None);
    s.set_password(id, "$argon2id$x").await.unwrap();
    assert_eq!(
        s.admin_by_email("ada@example.org")
            .await
            .unwrap()
            .unwrap()
            .password_hash
            .as_deref(),
        Some("$argon2id$x")
    );
    // recovery code: single use, expires, and a newer one voids the older
    s.create_recovery_code(&token_hash("first"), id, T0 + 100)
        .await
        .unwrap();
    s.create_recovery_code(&token_hash("code"), id, T0 + 100)
        .await
        .unwrap();
    assert_eq!(
        s.spend_recovery_code(&token_hash("first"), T0)
            .await
            .unwrap(),
        None,
        "{}: an older code is void once a newer one is issued",
        b.name
    );
    assert_eq!(
        s.spend_recovery_code(&token_hash("code"), T0)
            .await
            .unwrap(),
        Some(id)
    );
    assert_eq!(
        s.spend_recovery_code(&token_hash("code"), T0)
            .await
            .unwrap(),
        None
    );
    s.create_recovery_code(&token_hash("old"), id, T0 + 100)
        .await
        .unwrap();
    assert_eq!(
        s.spend_recovery_code(&token_hash("old"), T0 + 100)
            .await
            .unwrap(),
        None
    );
    // setting a password ends the admin's sessions
    s.create_session(&token_hash("other"), id, "csrf0", T0, T0 + 60)
        .await
        .unwrap();
    s.set_password(id, "$argon2id$y").await.unwrap();
    assert_eq!(
        s.session(&token_hash("other"), T0 + 1).await.unwrap(),
        None,
        "{}",
        b.name
    );
    // sessions
    s.create_session(&token_hash("sess"), id, "csrf1", T0, T0 + 60)
        .await
        .unwrap();
    let sess = s
        .session(&token_hash("sess"), T0 + 1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sess.admin_name, "Ada");
    assert_eq!(sess.csrf, "csrf1");
    assert_eq!(s.session(&token_hash("sess"), T0 + 60).await.unwrap(), None);
    s.delete_session(&token_hash("sess")).await.unwrap();
    assert_eq!(s.session(&token_hash("sess"), T0).await.unwrap(), None);
}
on_both!(admins_sqlite, admins_postgres, admins_codes_sessions);

async fn audit_log_and_lookup(b: &Backend) {
    let v = Vault::random().unwrap();
    let s = &b.store;
    let admin = s.create_admin("Ada", "ada@example.org", T0).await.unwrap();
    let dev = s.create_device("door", &token_hash("t"), T0).await.unwrap();
    s.ingest(
        dev,
        &[
            signin(&v, "s1", 1, T0, "k", "Zoë Smith", "+44 7700 900001"),
            signin(&v, "s2", 2, T0 + 10, "k", "Other", "0"),
        ],
        T0,
    )
    .await
    .unwrap();
    let bi = v.blind_index(IndexKind::Phone, "447700900001").unwrap();
    let hits = s
        .signins_by_index(IndexColumn::Phone, &bi, 0, i64::MAX, 10)
        .await
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].sid, "s1");
    let bi = v.blind_index(IndexKind::Name, " zoë  SMITH").unwrap();
    assert_eq!(
        s.signins_by_index(IndexColumn::Name, &bi, 0, i64::MAX, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        s.signins_by_index(IndexColumn::Name, &bi, T0 + 1, i64::MAX, 10)
            .await
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        s.counts_by_day(10).await.unwrap(),
        vec![((T0 / 86400) * 86400, 2)]
    );
    s.audit(T0, Some(admin), "search", "by phone: 1 result")
        .await
        .unwrap();
    s.audit(T0 + 1, None, "retention", "purged 0")
        .await
        .unwrap();
    let log = s.audit_log(10).await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].action, "retention");
    assert_eq!(log[1].admin.as_deref(), Some("Ada"));
}
on_both!(audit_sqlite, audit_postgres, audit_log_and_lookup);

async fn retention_purges_old_rows(b: &Backend) {
    let v = Vault::random().unwrap();
    let s = &b.store;
    let id = s.create_admin("Ada", "ada@example.org", T0).await.unwrap();
    let d1 = s.create_device("one", &token_hash("t1"), T0).await.unwrap();
    let d2 = s.create_device("two", &token_hash("t2"), T0).await.unwrap();
    s.ingest(
        d1,
        &[
            signin(&v, "old", 1, T0, "k1", "A", "1"),
            signin(&v, "new", 2, T0 + 100, "k1", "B", "2"),
        ],
        T0,
    )
    .await
    .unwrap();
    s.ingest(d2, &[signin(&v, "old2", 1, T0 + 1, "k2", "A", "1")], T0)
        .await
        .unwrap();
    s.create_session(&token_hash("s"), id, "c", T0, T0 + 10)
        .await
        .unwrap();
    let purged = s.purge(T0 + 50, T0 + 20).await.unwrap();
    assert_eq!(purged.signins, 2, "{}", b.name);
    assert_eq!(purged.passes, 2);
    assert_eq!(purged.sessions, 1);
    assert_eq!(s.signin_count().await.unwrap(), 1);
    assert_eq!(
        s.signins_between(0, i64::MAX, 10).await.unwrap()[0].sid,
        "new"
    );
    assert!(s.double_uses(10).await.unwrap().is_empty());
}
on_both!(
    retention_sqlite,
    retention_postgres,
    retention_purges_old_rows
);

async fn concurrent_uploads_all_land(b: &Backend) {
    let v = Vault::random().unwrap();
    let s = &b.store;
    let mut tasks = Vec::new();
    for k in 0..6u8 {
        let dev = s
            .create_device("d", &token_hash(&format!("c{k}")), T0)
            .await
            .unwrap();
        let store = s.clone();
        let batch: Vec<_> = (0..50u8)
            .map(|i| {
                signin(
                    &v,
                    &format!("c{k}-{i}"),
                    i,
                    T0 + i64::from(i),
                    &format!("k{k}"),
                    "N",
                    "1",
                )
            })
            .collect();
        tasks.push(tokio::spawn(async move {
            // the same batch twice, as a retry racing the first try
            let (a, b2) =
                tokio::join!(store.ingest(dev, &batch, T0), store.ingest(dev, &batch, T0));
            (a.unwrap(), b2.unwrap())
        }));
    }
    for t in tasks {
        let (a, b2) = t.await.unwrap();
        assert_eq!(a.stored.len() + b2.stored.len(), 50, "{}", b.name);
    }
    assert_eq!(s.signin_count().await.unwrap(), 300);
    // 50 distinct passes, each used at six kiosks: 250 double uses
    assert_eq!(s.double_uses(1000).await.unwrap().len(), 250);
}
on_both!(
    concurrent_sqlite,
    concurrent_postgres,
    concurrent_uploads_all_land
);

/// A database made before migration 2 (blind indexes as three B-trees), holding sign-ins, is
/// upgraded on connect: nothing lost, lookups by blind index and by time still answer, and the
/// lookup reads the time-ordered index, not the table.
#[tokio::test]
async fn a_migration_1_database_with_signins_upgrades_to_the_time_ordered_blind_index() {
    use sqlx::migrate::{Migration, MigrationType, Migrator};
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("old.db").display());
    let v = Vault::random().unwrap();
    {
        let opts = <sqlx::sqlite::SqliteConnectOptions as std::str::FromStr>::from_str(&url)
            .unwrap()
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(opts).await.unwrap();
        let v1 = Migrator::with_migrations(vec![Migration::new(
            1,
            "init".into(),
            MigrationType::Simple,
            sqlx::SqlSafeStr::into_sql_str(include_str!("../migrations/sqlite/0001_init.sql")),
            false,
        )]);
        v1.run(&pool).await.unwrap();
        let row = signin(&v, "old-1", 7, T0, "k", "Ann Old", "+44 20 7946 0001");
        sqlx::query("INSERT INTO devices (name, token_hash, created_at) VALUES ('door', x'00', 0)")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO signins (sid, pass_id, scanned_at, device_id, device_ref, received_at, \
             contact, name_bi, phone_bi, email_bi) VALUES ($1, $2, $3, 'k', 1, $3, $4, $5, $6, NULL)",
        )
        .bind(&row.sid)
        .bind(&row.pass_id[..])
        .bind(row.scanned_at)
        .bind(&row.contact)
        .bind(&row.name_bi)
        .bind(&row.phone_bi)
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }
    let s = usher_server::store::Store::connect(&url).await.unwrap();
    assert_eq!(s.signin_count().await.unwrap(), 1);
    let bi = v.blind_index(IndexKind::Name, "ann old").unwrap();
    let hits = s
        .signins_by_index(IndexColumn::Name, &bi, 0, i64::MAX, 10)
        .await
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].sid, "old-1");
    let plain = v.open(b"old-1", &hits[0].contact).unwrap();
    assert!(String::from_utf8(plain).unwrap().contains("Ann Old"));
    // new sign-ins land beside it and are found by phone
    let dev = s
        .create_device("door 2", &token_hash("t2"), T0)
        .await
        .unwrap();
    s.ingest(
        dev,
        &[signin(
            &v,
            "new-1",
            8,
            T0 + 60,
            "k",
            "Bo",
            "+44 20 7946 0002",
        )],
        T0,
    )
    .await
    .unwrap();
    let bi = v.blind_index(IndexKind::Phone, "442079460002").unwrap();
    let hits = s
        .signins_by_index(IndexColumn::Phone, &bi, T0, T0 + 3600, 10)
        .await
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].sid, "new-1");
    let usher_server::store::Store::Sqlite(pool) = &s else {
        unreachable!("an sqlite: URL")
    };
    let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(
        "EXPLAIN QUERY PLAN SELECT seq FROM signins WHERE name_bi = $1 \
         AND scanned_at >= $2 AND scanned_at < $3",
    )
    .bind(&bi)
    .bind(0)
    .bind(i64::MAX)
    .fetch_all(pool)
    .await
    .unwrap();
    let plan: Vec<&str> = plan.iter().map(|r| r.3.as_str()).collect();
    assert!(
        plan.iter()
            .any(|d| d.contains("USING COVERING INDEX signins_time_bi")),
        "{plan:?}"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn the_data_dir_keys_and_database_files_are_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("usher-data");
    usher_server::setup::ServerKeys::create_missing(&dir).unwrap();
    let store = usher_server::store::Store::connect(&usher_server::setup::default_db_url(&dir))
        .await
        .unwrap();
    store
        .create_admin("Ada", "ada@example.org", T0)
        .await
        .unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let mut modes = vec![("usher-data".to_owned(), mode(&dir), 0o700)];
    for f in [
        "usher.db",
        "usher.db-wal",
        "usher.db-shm",
        "organiser.pem",
        "contact.key",
        "index.key",
    ] {
        modes.push((f.to_owned(), mode(&dir.join(f)), 0o600));
    }
    store.close().await;
    let wrong: Vec<_> = modes
        .iter()
        .filter(|(_, got, want)| got != want)
        .map(|(f, got, want)| format!("{f} is {got:o}, not {want:o}"))
        .collect();
    assert!(wrong.is_empty(), "{wrong:?}");
}

// ---- the door's write side: sign-ins with their stay, exits closing them ----

fn exit(xid: &str, pass: u8, at: i64, closes: Option<&str>, kind: ExitKind) -> NewExit {
    NewExit {
        xid: xid.into(),
        pass_id: [pass; 32],
        at,
        device_id: "k1".into(),
        entrance: "main".into(),
        closes: closes.map(str::to_owned),
        kind,
    }
}

async fn exits_close_their_signin_in_either_order_once_per_id(b: &Backend) {
    let v = Vault::random().unwrap();
    let s = &b.store;
    let d1 = s.create_device("k1", &token_hash("t1"), T0).await.unwrap();
    let d2 = s.create_device("k2", &token_hash("t2"), T0).await.unwrap();
    let mut family = signin(&v, "s1", 1, T0, "k1", "Ann", "1");
    (family.entrance, family.heads, family.over_capacity) = ("sisters".into(), 3, true);
    s.ingest(d1, &[family], T0).await.unwrap();
    // The exit after its sign-in; one before its sign-in; one naming a sign-in of another
    // pass (closes nothing); one with no stay known.
    let batch = [
        exit("x1", 1, T0 + 600, Some("s1"), ExitKind::Scan),
        exit("x2", 2, T0 + 700, Some("s2"), ExitKind::Auto),
        exit("x3", 9, T0 + 800, Some("s3"), ExitKind::Scan),
        exit("x4", 4, T0 + 900, None, ExitKind::Scan),
        exit("x4", 4, T0 + 900, None, ExitKind::Scan),
    ];
    let out = s.ingest_exits(d1, &batch, T0 + 1000).await.unwrap();
    assert_eq!(out.stored, ["x1", "x2", "x3", "x4"], "{}", b.name);
    assert_eq!(out.known, ["x4"], "a repeat within the batch");
    s.ingest(
        d1,
        &[
            signin(&v, "s2", 2, T0 + 60, "k1", "Bo", "2"),
            signin(&v, "s3", 3, T0 + 60, "k1", "Cy", "3"),
        ],
        T0 + 1000,
    )
    .await
    .unwrap();
    let retry = s.ingest_exits(d1, &batch[..2], T0 + 1001).await.unwrap();
    assert_eq!((retry.stored.len(), retry.known.len()), (0, 2));
    let taken = s
        .ingest_exits(d2, &[exit("x1", 1, T0 + 5, Some("s1"), ExitKind::Scan)], T0)
        .await
        .unwrap();
    assert_eq!(taken.taken, ["x1"], "an id another kiosk stored");
    assert_eq!(common::exit_count(&b.store).await, 4);
    let got = common::stay_rows(&b.store).await;
    assert_eq!(
        got,
        [
            (
                "s1".into(),
                "sisters".into(),
                3,
                1,
                Some(T0 + 600),
                Some("scan".into())
            ),
            (
                "s2".into(),
                "main".into(),
                1,
                0,
                Some(T0 + 700),
                Some("auto".into())
            ),
            ("s3".into(), "main".into(), 1, 0, None, None),
        ],
        "{}",
        b.name
    );
    // An earlier exit of the same stay (another door's) wins; a later one does not.
    s.ingest_exits(
        d1,
        &[
            exit("x5", 1, T0 + 500, Some("s1"), ExitKind::Auto),
            exit("x6", 1, T0 + 650, Some("s1"), ExitKind::Scan),
        ],
        T0 + 1000,
    )
    .await
    .unwrap();
    assert_eq!(common::stay_rows(&b.store).await[0].4, Some(T0 + 500));
    // Retention: exits go with their sign-ins.
    let purged = s.purge(T0 + 10_000, T0 + 10_000).await.unwrap();
    assert_eq!((purged.signins, purged.exits), (3, 6), "{}", b.name);
    assert_eq!(common::exit_count(&b.store).await, 0);
}
on_both!(
    exits_close_their_signin_sqlite,
    exits_close_their_signin_postgres,
    exits_close_their_signin_in_either_order_once_per_id
);

async fn members_roles_and_the_last_admin(b: &Backend) {
    use usher_server::store::MemberChange;
    use usher_server::team::Role;
    let s = &b.store;
    let ada = s.create_admin("Ada", "ada@example.org", T0).await.unwrap();
    s.set_password(ada, "$argon2id$phc-ada").await.unwrap();
    let bo = s
        .create_member("Bo", "bo@example.org", Role::Tracer, T0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        s.create_member("Bo again", "BO@example.org", Role::Viewer, T0)
            .await
            .unwrap(),
        None,
        "{}: an e-mail twice",
        b.name
    );
    let m = s.member(bo).await.unwrap().unwrap();
    assert_eq!((m.role, m.disabled), (Role::Tracer, false));
    assert_eq!(s.member(ada).await.unwrap().unwrap().role, Role::Admin);
    // the only admin can be neither demoted nor disabled
    for change in [Some(Role::Viewer), None] {
        assert_eq!(
            s.change_member(ada, change, T0).await.unwrap(),
            MemberChange::LastAdmin
        );
    }
    assert_eq!(
        s.change_member(999, Some(Role::Admin), T0).await.unwrap(),
        MemberChange::NoSuchMember
    );
    // with a second admin, one may go; sessions, links and app tokens end with it
    assert_eq!(
        s.change_member(bo, Some(Role::Admin), T0).await.unwrap(),
        MemberChange::Done
    );
    // Bo has no password yet: Ada is still the only admin who can act
    assert_eq!(
        s.change_member(ada, None, T0).await.unwrap(),
        MemberChange::LastAdmin
    );
    s.set_password(bo, "$argon2id$phc-bo").await.unwrap();
    s.create_session(&token_hash("bo-session"), bo, "csrf", T0, T0 + 60)
        .await
        .unwrap();
    s.create_app_token(&token_hash("bo-app"), bo, "iOS", T0, T0 + 60)
        .await
        .unwrap();
    s.create_recovery_code(&token_hash("bo-code"), bo, T0 + 60)
        .await
        .unwrap();
    assert_eq!(
        s.session(&token_hash("bo-session"), T0)
            .await
            .unwrap()
            .unwrap()
            .role,
        Role::Admin
    );
    assert_eq!(
        s.app_token(&token_hash("bo-app"), T0)
            .await
            .unwrap()
            .unwrap()
            .id,
        bo
    );
    assert_eq!(
        s.change_member(bo, None, T0).await.unwrap(),
        MemberChange::Done
    );
    assert!(
        s.session(&token_hash("bo-session"), T0)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        s.app_token(&token_hash("bo-app"), T0)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        s.spend_recovery_code(&token_hash("bo-code"), T0)
            .await
            .unwrap(),
        None
    );
    assert!(s.member(bo).await.unwrap().unwrap().disabled);
    // Bo is disabled: Ada is the last enabled admin again
    assert_eq!(
        s.change_member(ada, None, T0).await.unwrap(),
        MemberChange::LastAdmin
    );
    // app tokens expire and are purged
    s.create_app_token(&token_hash("ada-app"), ada, "web", T0, T0 + 60)
        .await
        .unwrap();
    assert!(
        s.app_token(&token_hash("ada-app"), T0 + 60)
            .await
            .unwrap()
            .is_none()
    );
    assert!(s.purge(0, T0 + 61).await.unwrap().sessions >= 1);
    assert_eq!(s.members().await.unwrap().len(), 2);
}
on_both!(
    members_sqlite,
    members_postgres,
    members_roles_and_the_last_admin
);

/// Two admins demoting each other at once: one of them stays an admin.
async fn two_admins_demoting_each_other_leave_one(b: &Backend) {
    use usher_server::store::MemberChange;
    use usher_server::team::Role;
    let s = &b.store;
    let a = s.create_admin("A", "a@example.org", T0).await.unwrap();
    let c = s
        .create_member("C", "c@example.org", Role::Admin, T0)
        .await
        .unwrap()
        .unwrap();
    // both can act (an admin without a password does not count)
    s.set_password(a, "$argon2id$phc-a").await.unwrap();
    s.set_password(c, "$argon2id$phc-c").await.unwrap();
    let (x, y) = tokio::join!(
        s.change_member(a, Some(Role::Viewer), T0),
        s.change_member(c, Some(Role::Viewer), T0)
    );
    let outcomes = [x.unwrap(), y.unwrap()];
    assert!(outcomes.contains(&MemberChange::Done), "{}", b.name);
    assert!(
        outcomes.contains(&MemberChange::LastAdmin),
        "{}: {outcomes:?}",
        b.name
    );
    let admins = s
        .members()
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.role == Role::Admin)
        .count();
    assert_eq!(admins, 1);
}
on_both!(
    demote_race_sqlite,
    demote_race_postgres,
    two_admins_demoting_each_other_leave_one
);

/// A re-entry (DESIGN §8: back in after an exit, a pass already used) is a stay but no use:
/// no first use in `passes` (even when it arrives before the use), never a double use (not at
/// another kiosk's door either), and Inside now and the roll call list it until its exit.
async fn a_reentry_is_a_stay_but_no_use_of_the_pass(b: &Backend) {
    let v = Vault::random().unwrap();
    let s = &b.store;
    let k1 = s.create_device("k1", &token_hash("t1"), T0).await.unwrap();
    let k2 = s.create_device("k2", &token_hash("t2"), T0).await.unwrap();
    let reentry = |sid: &str, pass: u8, at: i64, device: &str| {
        let mut r = signin(&v, sid, pass, at, device, "Ann", "1");
        (r.reentry, r.heads) = (true, 2);
        r
    };
    // Pass 7: used at k1, out, back in at k2's door. Pass 8: k2's re-entry arrives first, then
    // the use at k1 (k1 was offline), in one batch with a re-entry of its own.
    let mut first = signin(&v, "a1", 7, T0, "k1", "Ann", "1");
    first.heads = 2;
    s.ingest(k1, &[first], T0).await.unwrap();
    s.ingest_exits(
        k1,
        &[exit("x1", 7, T0 + 600, Some("a1"), ExitKind::Scan)],
        T0,
    )
    .await
    .unwrap();
    let out = s
        .ingest(k2, &[reentry("a2", 7, T0 + 1200, "k2")], T0)
        .await
        .unwrap();
    assert_eq!(out.stored, ["a2"], "{}", b.name);
    s.ingest(k2, &[reentry("b2", 8, T0 + 1300, "k2")], T0)
        .await
        .unwrap();
    assert!(
        s.used_since(0, k1, 10).await.unwrap().is_empty(),
        "{}: k2 recorded no use",
        b.name
    );
    s.ingest(
        k1,
        &[
            signin(&v, "b1", 8, T0 + 100, "k1", "Bo", "2"),
            reentry("b3", 8, T0 + 1400, "k1"),
        ],
        T0,
    )
    .await
    .unwrap();
    assert!(s.double_uses(10).await.unwrap().is_empty(), "{}", b.name);
    let used: Vec<(i64, String)> = s
        .used_since(0, k2, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|u| (u.first_at, u.device_id))
        .collect();
    assert_eq!(
        used,
        [(T0, "k1".to_owned()), (T0 + 100, "k1".to_owned())],
        "{}",
        b.name
    );
    let inside = s.inside_now(T0 - 3600).await.unwrap();
    assert_eq!(
        inside
            .iter()
            .map(|c| (c.heads, c.stays))
            .collect::<Vec<_>>(),
        [(7, 4)],
        "{}: a2, b2, b3 (2 each) and b1",
        b.name
    );
    let roll = s.roll_call(T0 - 3600, 100).await.unwrap();
    let sids: Vec<&str> = roll.iter().map(|p| p.sid.as_str()).collect();
    assert_eq!(sids, ["b1", "a2", "b2", "b3"], "{}", b.name);
    s.ingest_exits(
        k1,
        &[exit("x2", 7, T0 + 1800, Some("a2"), ExitKind::Scan)],
        T0,
    )
    .await
    .unwrap();
    let roll = s.roll_call(T0 - 3600, 100).await.unwrap();
    assert!(roll.iter().all(|p| p.sid != "a2"), "{}: a2 left", b.name);
    assert_eq!(s.inside_now(T0 - 3600).await.unwrap()[0].heads, 5);
}
on_both!(
    a_reentry_is_a_stay_but_no_use_sqlite,
    a_reentry_is_a_stay_but_no_use_postgres,
    a_reentry_is_a_stay_but_no_use_of_the_pass
);

// ---- the door's readers (inside now, roll call, the day's figures, stays for tracing) ----

/// Six stays at two entrances around T0 (08:00 UTC): Ann's family of 3 and Bob and Cy's
/// party of 2 still inside, Dee out by a scan, Eve signed out automatically, and Old's stay
/// of yesterday that never got its exit.
async fn door_day(b: &Backend, v: &Vault) {
    let s = &b.store;
    let k1 = s.create_device("k1", &token_hash("t1"), T0).await.unwrap();
    let k2 = s.create_device("k2", &token_hash("t2"), T0).await.unwrap();
    let one = vec![
        signin(v, "a1", 1, T0, "k1", "Ann", "111"),
        signin(v, "a4", 4, T0 - 20 * 3600, "k1", "Old", "444"),
        signin(v, "a5", 5, T0 + 300, "k1", "Dee", "555"),
        signin(v, "a6", 6, T0 + 100, "k1", "Eve", "666"),
    ];
    s.ingest(k1, &one, T0 + 60).await.unwrap();
    let two = vec![
        signin(v, "a2", 2, T0 + 600, "k2", "Bob", "222"),
        signin(v, "a3", 3, T0 + 1200, "k2", "Cy", "333"),
    ];
    s.ingest(k2, &two, T0 + 1300).await.unwrap();
    common::set_entry(s, "a1", "main", 3).await;
    common::set_entry(s, "a2", "sisters", 1).await;
    common::set_entry(s, "a3", "sisters", 2).await;
    common::close_stay(s, "a5", T0 + 2400, "scan").await;
    common::close_stay(s, "a6", T0 + 3600, "auto").await;
}

async fn door_readers_count_open_stays_by_heads_and_stays_end_where_their_exit_says(b: &Backend) {
    use usher_core::stay::ExitKind;
    use usher_server::store::door::{EntranceCount, StayEnd};
    let v = Vault::random().unwrap();
    let s = &b.store;
    door_day(b, &v).await;
    let since = T0 - 12 * 3600;
    // inside now: heads of open stays begun within the window, by entrance
    let inside = s.inside_now(since).await.unwrap();
    let count = |entrance: &str, heads, stays| EntranceCount {
        entrance: entrance.into(),
        heads,
        stays,
    };
    assert_eq!(
        inside,
        [count("main", 3, 1), count("sisters", 3, 2)],
        "{}",
        b.name
    );
    // the roll call: by entrance, then time; names still sealed
    let roll = s.roll_call(since, 100).await.unwrap();
    let got: Vec<(&str, &str, i64, &str, i64)> = roll
        .iter()
        .map(|p| {
            (
                p.sid.as_str(),
                p.entrance.as_str(),
                p.since,
                p.device_id.as_str(),
                p.heads,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("a1", "main", T0, "k1", 3),
            ("a2", "sisters", T0 + 600, "k2", 1),
            ("a3", "sisters", T0 + 1200, "k2", 2),
        ]
    );
    let plain = v.open(b"a2", &roll[1].contact).unwrap();
    assert!(String::from_utf8(plain).unwrap().contains("Bob"));
    // each kiosk's last upload
    let kiosks = s.kiosk_uploads().await.unwrap();
    let uploads: Vec<(&str, Option<i64>)> = kiosks
        .iter()
        .map(|k| (k.name.as_str(), k.last_upload))
        .collect();
    assert_eq!(uploads, [("k1", Some(T0 + 60)), ("k2", Some(T0 + 1300))]);
    // sign-ins by day and entrance, with head counts and how the stays ended
    let days = s.days_by_entrance(T0 - 2 * 86_400).await.unwrap();
    let today = T0 / 86_400 * 86_400;
    // (day, entrance, sign-ins, people, scanned out, auto out, average minutes)
    type Summary<'a> = (i64, &'a str, i64, i64, i64, i64, Option<i64>);
    let summary: Vec<Summary> = days
        .iter()
        .map(|d| {
            (
                d.day,
                d.entrance.as_str(),
                d.signins,
                d.heads,
                d.scanned_out,
                d.auto_out,
                d.average_minutes(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (today, "main", 3, 5, 1, 1, Some(35)),
            (today, "sisters", 2, 3, 0, 0, None),
            (today - 86_400, "main", 1, 1, 0, 0, None),
        ]
    );
    assert_eq!(days[0].no_exit(), 1);
    // stays for tracing: real exits, auto exits as estimates, the default only without one
    let dee = v.blind_index(IndexKind::Name, "Dee").unwrap();
    let stays = s
        .stays_by_index(IndexColumn::Name, &dee, 0, i64::MAX, 10)
        .await
        .unwrap();
    assert_eq!(stays.len(), 1);
    assert_eq!(stays[0].exit_kind, Some(ExitKind::Scan));
    assert_eq!(stays[0].end(3600), StayEnd::Exit(T0 + 2400));
    let overlapping = s
        .stays_overlapping(T0 + 2500, T0 + 2600, 3600, 12 * 3600, 100)
        .await
        .unwrap();
    let sids: Vec<&str> = overlapping.iter().map(|r| r.sid.as_str()).collect();
    assert_eq!(
        sids,
        ["a1", "a6", "a2", "a3"],
        "Dee left at +2400, Old long ago"
    );
    assert_eq!(overlapping[1].end(3600), StayEnd::AutoExit(T0 + 3600));
    assert_eq!(overlapping[0].end(3600), StayEnd::Default(T0 + 3600));
    // the day's spans, for the chart: today's and Old's open one from yesterday noon (within
    // the look-back), which counts as a default stay and so ended yesterday
    let spans = s
        .spans_touching(today, today + 86_400, 12 * 3600)
        .await
        .unwrap();
    assert_eq!(spans.len(), 6, "{spans:?}");
    let figures = usher_server::store::door::day_figures(&spans, today, T0 + 1800, 12 * 3600, 3600);
    let main = &figures[0];
    assert_eq!(main.entrance, "main");
    assert_eq!(main.quarters[0].inside, 0, "Old's stay ended yesterday");
    // 08:00-08:15: Ann's 3, Eve and Dee came in
    assert_eq!(main.quarters[32].arrivals, 5);
    assert_eq!(main.quarters[32].inside, 5);
    assert_eq!(
        figures[1].quarters[32].inside, 1,
        "Bob at the sisters' entrance"
    );
}
on_both!(
    door_readers_sqlite,
    door_readers_postgres,
    door_readers_count_open_stays_by_heads_and_stays_end_where_their_exit_says
);

#[tokio::test]
async fn a_kiosks_last_upload_is_read_from_an_index_not_from_every_signin() {
    let b = common::sqlite().await;
    let usher_server::store::Store::Sqlite(pool) = &b.store else {
        unreachable!()
    };
    for table in ["signins", "exits"] {
        let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "EXPLAIN QUERY PLAN SELECT MAX(received_at) FROM {table} WHERE device_ref = 1"
        )))
        .fetch_all(pool)
        .await
        .unwrap();
        let plan: Vec<&str> = plan.iter().map(|r| r.3.as_str()).collect();
        assert!(
            plan.iter()
                .any(|p| p.contains(&format!("COVERING INDEX {table}_device_received"))),
            "{table}: {plan:?}"
        );
    }
}
