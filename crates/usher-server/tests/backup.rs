//! `usher-server backup` and `restore` through the real binary: sign-ins stored, backed up,
//! the data directory and database wiped, restored, and every sign-in's contact data opened
//! again with the restored keys. On SQLite, and on PostgreSQL (pg_dump, psql) when configured.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::Output;
use usher_server::setup::ServerKeys;
use usher_server::store::Store;

const NOW: i64 = common::NOW;
const VISITORS: [(&str, &str); 3] = [("Ada", "0101"), ("فاطمة", "0202"), ("Zoë", "0303")];

fn server(data: &Path, db: &str, args: &[&str]) -> Output {
    common::server_on(data, db).args(args).output().unwrap()
}

fn ok(o: &Output) -> String {
    common::succeeded(o)
}

async fn store_signins(data: &Path, db: &str) {
    let store = Store::connect(db).await.unwrap();
    let keys = ServerKeys::load(data).unwrap();
    let device = store.create_device("door", b"hash", NOW).await.unwrap();
    let rows: Vec<_> = VISITORS
        .iter()
        .enumerate()
        .map(|(i, (name, phone))| {
            let i = u8::try_from(i).unwrap();
            common::signin(
                &keys.vault,
                &format!("s{i}"),
                i,
                NOW + i64::from(i),
                "door",
                name,
                phone,
            )
        })
        .collect();
    store.ingest(device, &rows, NOW).await.unwrap();
    store.close().await;
}

async fn readable_visitors(data: &Path, db: &str) -> Vec<(String, String)> {
    let store = Store::connect(db).await.unwrap();
    let keys = ServerKeys::load(data).unwrap();
    let rows = store.signins_between(0, i64::MAX, 100).await.unwrap();
    store.close().await;
    rows.iter()
        .map(|r| {
            let plain = keys.vault.open(r.sid.as_bytes(), &r.contact).unwrap();
            let v: serde_json::Value = serde_json::from_slice(&plain).unwrap();
            (
                v["s1"].as_str().unwrap().to_owned(),
                v["s2"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Backs up, wipes with `wipe`, restores, and checks every sign-in opens.
async fn round_trip(dir: &Path, db: &str, wipe: impl AsyncFnOnce()) {
    let data = dir.join("data");
    ok(&server(
        &data,
        db,
        &["init", "--name", "Ada", "--email", "ada@example.org"],
    ));
    store_signins(&data, db).await;
    let archive = dir.join("usher.backup");
    let said = ok(&server(&data, db, &["backup", archive.to_str().unwrap()]));
    assert!(said.contains("contact.key"), "{said}");
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&archive).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    std::fs::remove_dir_all(&data).unwrap();
    wipe().await;
    let said = ok(&server(&data, db, &["restore", archive.to_str().unwrap()]));
    assert!(said.starts_with("Restored the "), "{said}");
    let expected: Vec<(String, String)> = VISITORS
        .iter()
        .map(|(n, p)| ((*n).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(readable_visitors(&data, db).await, expected);
    // The restored server starts on it: the organiser key is back too.
    assert!(
        ServerKeys::load(&data)
            .unwrap()
            .public_pem
            .contains("PUBLIC KEY")
    );
    // A second restore over it is refused, and changes nothing.
    let again = server(&data, db, &["restore", archive.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("exists; restore only into"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(readable_visitors(&data, db).await.len(), 3);
}

#[tokio::test]
async fn backup_wipe_restore_keeps_every_sign_in_readable_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("data/usher.db").display());
    round_trip(dir.path(), &db, async || {}).await;
}

#[tokio::test]
async fn backup_wipe_restore_keeps_every_sign_in_readable_on_postgres() {
    let Some(b) = common::postgres().await else {
        return;
    };
    let (url, schema) = (b.pg_url.clone().unwrap(), b.pg_schema.clone().unwrap());
    b.store.close().await;
    let sep = if url.contains('?') { '&' } else { '?' };
    let db = format!("{url}{sep}options=-csearch_path%3D{schema}");
    let wipe = async || {
        use sqlx::Connection as _;
        let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
            .execute(&mut c)
            .await
            .unwrap();
        c.close().await.unwrap();
    };
    round_trip(b.dir.path(), &db, wipe).await;
}

#[test]
fn restore_refuses_a_file_that_is_no_backup() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk");
    std::fs::write(&junk, b"not a backup").unwrap();
    let db = format!("sqlite:{}", dir.path().join("data/usher.db").display());
    let o = server(
        &dir.path().join("data"),
        &db,
        &["restore", junk.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!dir.path().join("data/usher.db").exists());
}
