//! Two real `usher-server` processes on one PostgreSQL database, as behind a load balancer:
//! the retention purge runs once between them, a kiosk's uploads through either are stored
//! once, and an admin session made through one is valid on (and logged out through) the other.
#![allow(clippy::unwrap_used)]

mod common;

use serde_json::json;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;
use usher_server::crypto::{random_token, token_hash};
use usher_server::setup::ServerKeys;

/// A server process, killed when dropped.
struct Process {
    child: Child,
    base: String,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn post_upload(
    client: &reqwest::Client,
    via: &Process,
    token: &str,
    batch: &serde_json::Value,
) -> serde_json::Value {
    client
        .post(format!("{}/api/v1/signins", via.base))
        .bearer_auth(token)
        .json(batch)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn start(data: &Path, db: &str, client: &reqwest::Client) -> Process {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let log = std::fs::File::create(data.with_file_name(format!("server-{port}.log"))).unwrap();
    let child = common::server_on(data, db)
        .args([
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--public-url",
            &base,
        ])
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let p = Process { child, base };
    for _ in 0..200 {
        if let Ok(r) = client.get(format!("{}/healthz", p.base)).send().await
            && r.status() == 200
        {
            return p;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{} did not answer /healthz", p.base);
}

#[tokio::test]
async fn two_servers_on_one_postgres_purge_once_and_share_uploads_and_sessions() {
    let Some(b) = common::postgres().await else {
        return;
    };
    let (url, schema) = (b.pg_url.clone().unwrap(), b.pg_schema.clone().unwrap());
    let sep = if url.contains('?') { '&' } else { '?' };
    let db = format!("{url}{sep}options=-csearch_path%3D{schema}");
    let data = b.dir.path().join("data");
    // Every process needs the same data directory's keys: one `init`, then a copy (here: the
    // same folder).
    common::succeeded(
        &common::server_on(&data, &db)
            .args(["init", "--name", "Ada", "--email", "ada@example.org"])
            .output()
            .unwrap(),
    );
    let store = &b.store;
    let keys = ServerKeys::load(&data).unwrap();
    let now = chrono::Utc::now().timestamp();
    // Two sign-ins past the retention period, for the purge both processes start with.
    let old = store.create_device("old-door", b"old", now).await.unwrap();
    let rows = [
        common::signin(
            &keys.vault,
            "old1",
            1,
            now - 30 * 86_400,
            "old-door",
            "A",
            "1",
        ),
        common::signin(
            &keys.vault,
            "old2",
            2,
            now - 29 * 86_400,
            "old-door",
            "B",
            "2",
        ),
    ];
    store.ingest(old, &rows, now).await.unwrap();

    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let (one, two) = tokio::join!(start(&data, &db, &client), start(&data, &db, &client));

    // The purge ran once between them: one audit line, the old rows gone.
    // (Both answered /healthz, so both have started their purge task; give the loser's claim
    // time to finish too.)
    tokio::time::sleep(Duration::from_millis(500)).await;
    let retention: Vec<_> = store
        .audit_log(100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "retention")
        .collect();
    assert_eq!(retention.len(), 1, "{retention:?}");
    // Each process logs every purge it makes: one line between the two logs.
    let mut purges = 0;
    for e in std::fs::read_dir(b.dir.path()).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "log") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains("usher-server listening"), "{text}");
            purges += text.matches("retention purge").count();
        }
    }
    assert_eq!(purges, 1, "purges logged by the two processes");
    assert!(
        retention[0].detail.starts_with("purged 2 sign-ins"),
        "{retention:?}"
    );

    // A kiosk uploads through both, alternately, and retries each batch through the other.
    let token = random_token().unwrap();
    store
        .create_device("front", &token_hash(&token), now)
        .await
        .unwrap();
    for i in 0..6 {
        let (via, other) = if i % 2 == 0 {
            (&one, &two)
        } else {
            (&two, &one)
        };
        let batch = json!({"signins": [common::row(&format!("k{i}"), 10 + i, now - 60 + i64::from(i), "front", "Ada", "0101")]});
        let answer = post_upload(&client, via, &token, &batch).await;
        assert_eq!(answer["stored"], json!([format!("k{i}")]), "{answer}");
        let retry = post_upload(&client, other, &token, &batch).await;
        assert_eq!(retry["known"], json!([format!("k{i}")]), "{retry}");
    }
    assert_eq!(store.signin_count().await.unwrap(), 6);
    // Another kiosk hears of every pass used from both, whichever process stored it.
    let side = random_token().unwrap();
    store
        .create_device("side", &token_hash(&side), now)
        .await
        .unwrap();
    for p in [&one, &two] {
        let used: serde_json::Value = client
            .get(format!("{}/api/v1/used", p.base))
            .bearer_auth(&side)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(used["used"].as_array().map(Vec::len), Some(6), "{used}");
    }

    // Sessions live in the database: made once, valid on both, logged out through one.
    let admin = store
        .admin_by_email("ada@example.org")
        .await
        .unwrap()
        .unwrap();
    let (session, csrf) = (random_token().unwrap(), random_token().unwrap());
    store
        .create_session(&token_hash(&session), admin.id, &csrf, now, now + 3600)
        .await
        .unwrap();
    let cookie = format!("usher_session={session}");
    for p in [&one, &two] {
        let r = client
            .get(format!("{}/admin/status", p.base))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", p.base);
        assert!(r.text().await.unwrap().contains("PostgreSQL"));
    }
    let r = client
        .post(format!("{}/admin/logout", one.base))
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = client
        .get(format!("{}/admin/status", two.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        303,
        "logged out through one, still in on the other"
    );
    drop((one, two));
}
