//! Nothing secret reaches the log: drive the visitor form, a login, an upload and the admin
//! search with every log line captured (all targets, debug level), then look for the names,
//! phone numbers, tokens and passwords used.
#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use common::{NOW, app, json_req, req, row};
use serde_json::json;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_hold_no_contact_data_tokens_or_passwords() {
    let buf = Buf::default();
    let sink = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("debug"))
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let b = common::sqlite().await;
    let a = app(&b);
    let token = a.device("k1").await;
    // visitor form
    let page = a.send(req("GET", "/").body(Body::empty()).unwrap()).await;
    let cookie = page.cookie();
    let csrf = cookie.split('=').nth(1).unwrap().to_owned();
    let r = a
        .send(
            req("POST", "/")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", &cookie)
                .body(Body::from(format!(
                    "csrf={csrf}&name=Quentin+Logsworth&phone=07700+900777&email=quentin%40example.org&consent=yes"
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 200);
    // upload, with a refused row carrying contact data
    let batch = json!({"signins": [
        row("l1", 1, NOW, "k1", "Quentin Logsworth", "07700 900777"),
        {"id": "l2", "pass_id": "bad", "scanned_at": NOW, "device_id": "k1", "fields": {"s1": "Quentin Logsworth"}},
    ]});
    a.send(json_req("/api/v1/signins", &token, &batch)).await;
    // failed and good logins, then a search
    let (admin_cookie, _) = a.admin().await;
    let page = a
        .send(req("GET", "/admin/login").body(Body::empty()).unwrap())
        .await;
    let c = page.cookie();
    let f = c.split('=').nth(1).unwrap().to_owned();
    for pw in ["wrong-password-xyz", "password1234"] {
        a.send(
            req("POST", "/admin/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", &c)
                .body(Body::from(format!(
                    "csrf={f}&email=ada%40example.org&password={pw}"
                )))
                .unwrap(),
        )
        .await;
    }
    a.send(
        req("GET", "/admin/find?by=phone&q=07700900777")
            .header("cookie", &admin_cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;

    let log = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("pass issued") && log.contains("sign-ins uploaded"),
        "{log}"
    );
    for secret in [
        "Quentin",
        "Logsworth",
        "900777",
        "quentin@example.org",
        token.as_str(),
        "wrong-password-xyz",
        "password1234",
        admin_cookie.split('=').nth(1).unwrap(),
    ] {
        assert!(!log.contains(secret), "{secret:?} is in the log:\n{log}");
    }
}
