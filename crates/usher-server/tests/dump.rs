//! Contact data is never in the database in clear: seed known names and phone numbers through
//! the API, then search the SQLite file's bytes (and `pg_dump` output, when PostgreSQL is set).
#![allow(clippy::unwrap_used)]

mod common;

use common::{Backend, NOW, app, json_req, row};
use serde_json::json;

const SECRETS: &[(&str, &str)] = &[
    ("Zebedee Quartermaine", "+44 7700 900123"),
    ("محمد عبدالله", "07700900456"),
    ("Ångström Øyvind", "0049 30 1234567"),
];

fn needles() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (name, phone) in SECRETS {
        out.push(name.as_bytes().to_vec());
        out.push(name.split(' ').next().unwrap().as_bytes().to_vec());
        out.push(phone.as_bytes().to_vec());
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        out.push(digits.as_bytes().to_vec());
        out.push(digits.as_bytes()[digits.len() - 7..].to_vec());
    }
    out.push(b"zebedee@example.org".to_vec());
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

async fn seed(b: &Backend) -> common::TestApp {
    let a = app(b);
    let tok = a.device("k1").await;
    let mut rows: Vec<_> = SECRETS
        .iter()
        .enumerate()
        .map(|(i, (n, p))| row(&format!("d{i}"), u8::try_from(i).unwrap(), NOW, "k1", n, p))
        .collect();
    rows[0]["fields"]["s3"] = json!("zebedee@example.org");
    let r = a
        .send(json_req("/api/v1/signins", &tok, &json!({"signins": rows})))
        .await;
    assert_eq!(r.json()["stored"].as_array().unwrap().len(), 3);
    // sanity: an admin can read them back, so they were really stored
    let rows = a
        .state
        .store
        .signins_between(0, i64::MAX, 10)
        .await
        .unwrap();
    let plain = a
        .state
        .keys
        .vault
        .open(rows[0].sid.as_bytes(), &rows[0].contact)
        .unwrap();
    assert!(contains(&plain, SECRETS[0].0.as_bytes()));
    a
}

#[tokio::test]
async fn sqlite_file_holds_no_contact_data_in_clear() {
    let b = common::sqlite().await;
    let _a = seed(&b).await;
    let path = b.sqlite_path.clone().unwrap();
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-journal"] {
        let p = format!("{}{suffix}", path.display());
        if let Ok(b) = std::fs::read(&p) {
            bytes.extend(b);
        }
    }
    b.store.close().await;
    bytes.extend(std::fs::read(&path).unwrap());
    assert!(bytes.len() > 4096);
    for n in needles() {
        assert!(
            !contains(&bytes, &n),
            "found {:?} in the SQLite file",
            String::from_utf8_lossy(&n)
        );
    }
}

#[tokio::test]
async fn pg_dump_holds_no_contact_data_in_clear() {
    let Some(b) = common::postgres().await else {
        return;
    };
    let _a = seed(&b).await;
    let out = std::process::Command::new("pg_dump")
        .arg("--no-owner")
        .arg("--schema")
        .arg(b.pg_schema.as_deref().unwrap())
        .arg(b.pg_url.as_deref().unwrap())
        .output();
    let out = match out {
        Ok(o) if o.status.success() => o.stdout,
        Ok(o) => panic!("pg_dump failed: {}", String::from_utf8_lossy(&o.stderr)),
        // A PostgreSQL to test against comes with its client tools: without pg_dump this test
        // would pass having checked nothing.
        Err(e) => panic!("pg_dump not runnable ({e}); install the PostgreSQL client tools"),
    };
    let dump = String::from_utf8_lossy(&out);
    assert!(
        dump.contains("COPY ") && dump.contains("signins"),
        "dump has the data"
    );
    for n in needles() {
        assert!(
            !contains(&out, &n),
            "found {:?} in pg_dump",
            String::from_utf8_lossy(&n)
        );
    }
}
