//! Test support: a fresh store on SQLite (temp file) or PostgreSQL (own schema in the
//! database named by `USHER_TEST_POSTGRES_URL`), and sample sign-ins.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;
use usher_server::crypto::{IndexKind, Vault};
use usher_server::store::{NewSignin, Store};

/// The env variable naming the test PostgreSQL database.
pub const PG_ENV: &str = "USHER_TEST_POSTGRES_URL";

/// A store made for one test.
pub struct Backend {
    pub store: Store,
    pub name: &'static str,
    pub sqlite_path: Option<PathBuf>,
    pub pg_url: Option<String>,
    pub pg_schema: Option<String>,
    pub dir: tempfile::TempDir,
}

pub async fn sqlite() -> Backend {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("usher.db");
    let store = Store::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    Backend {
        store,
        name: "sqlite",
        sqlite_path: Some(path),
        pg_url: None,
        pg_schema: None,
        dir,
    }
}

/// A fresh schema in the test PostgreSQL database, or `None` (after printing SKIPPED).
pub async fn postgres() -> Option<Backend> {
    let Ok(url) = std::env::var(PG_ENV) else {
        println!("SKIPPED: postgres (set {PG_ENV})");
        return None;
    };
    let mut suffix = [0u8; 6];
    getrandom::fill(&mut suffix).unwrap();
    let schema = format!("t_{}", hex::encode(suffix));
    {
        use sqlx::Connection as _;
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    let scoped = format!("{url}{sep}options=-csearch_path%3D{schema}");
    let store = Store::connect(&scoped).await.unwrap();
    Some(Backend {
        store,
        name: "postgres",
        sqlite_path: None,
        pg_url: Some(url),
        pg_schema: Some(schema),
        dir: tempfile::tempdir().unwrap(),
    })
}

/// Runs `$check(&Backend)` on SQLite and, when configured, on PostgreSQL.
#[macro_export]
macro_rules! on_both {
    ($sqlite:ident, $pg:ident, $check:ident) => {
        #[tokio::test]
        async fn $sqlite() {
            let b = common::sqlite().await;
            $check(&b).await;
        }
        #[tokio::test]
        async fn $pg() {
            if let Some(b) = common::postgres().await {
                $check(&b).await;
            }
        }
    };
}

/// A sign-in sealed with `vault`.
pub fn signin(
    vault: &Vault,
    sid: &str,
    pass: u8,
    at: i64,
    device: &str,
    name: &str,
    phone: &str,
) -> NewSignin {
    let fields = serde_json::json!({"s1": name, "s2": phone});
    NewSignin {
        sid: sid.into(),
        pass_id: [pass; 32],
        scanned_at: at,
        device_id: device.into(),
        contact: vault
            .seal(sid.as_bytes(), fields.to_string().as_bytes())
            .unwrap(),
        name_bi: vault.blind_index(IndexKind::Name, name),
        phone_bi: vault.blind_index(IndexKind::Phone, phone),
        email_bi: None,
    }
}
