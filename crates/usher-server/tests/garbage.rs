//! No panic and no 5xx on bad input: random bytes, random JSON shapes and random query strings
//! thrown at every route, with and without credentials.
#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use common::{app, req};
use serde_json::json;

fn random(n: usize) -> Vec<u8> {
    let mut b = vec![0u8; n];
    getrandom::fill(&mut b).unwrap();
    b
}

fn pct(bytes: &[u8]) -> String {
    usher_core::form::encode(bytes)
}

#[tokio::test]
async fn random_input_never_gets_a_5xx() {
    let b = common::sqlite().await;
    let a = app(&b);
    let token = a.device("door").await;
    let (cookie, csrf) = a.admin().await;
    let shapes = [
        json!({"signins": null}),
        json!({"signins": [null, [], {}, "x", 1e300, -1]}),
        json!({"signins": [{"id": "a", "pass_id": "0".repeat(64), "scanned_at": i64::MAX, "device_id": "d"}]}),
        json!({"signins": [{"id": "a", "pass_id": "0".repeat(64), "scanned_at": 1.5, "device_id": "d"}]}),
        json!({"signins": [{"id": "a", "pass_id": "0".repeat(64), "scanned_at": 1, "device_id": "d", "fields": {"s1": 5}}]}),
        json!({"signins": [{"id": "a", "pass_id": "0".repeat(64), "scanned_at": 1, "device_id": "\u{0}", "fields": {}}]}),
        json!({"signins": [{"id": "a", "pass_id": "0".repeat(64), "scanned_at": 1, "device_id": "d", "fields": {"s1": "x".repeat(5000)}}]}),
        json!([]),
        json!("signins"),
    ];
    for round in 0..12 {
        // past the per-minute limits, so the handlers behind them see the input too
        a.clock.advance(61);
        for r in usher_server::routes() {
            let (method, path) = (r.method.as_str(), r.path);
            let uri = path.replace("{id}", &format!("{}", round as i64 * 7 - 3));
            let junk = random(round * 37 + 1);
            let query = format!(
                "{uri}?since={}&date={}&by=phone&q={}&from={}&minutes={}&what=day",
                pct(&junk[..junk.len().min(9)]),
                pct(&junk),
                pct(&junk),
                pct(&junk[..1]),
                pct(&junk[..junk.len().min(2)])
            );
            let body = if round < shapes.len() {
                shapes[round].to_string().into_bytes()
            } else {
                junk.clone()
            };
            let form = format!(
                "csrf={csrf}&name={0}&email={0}&phone={0}&password={0}&again={0}&code={0}&consent=yes",
                pct(&junk)
            );
            for (auth, content_type, payload) in [
                ("none", "application/json", body.clone()),
                ("device", "application/json", body.clone()),
                (
                    "admin",
                    "application/x-www-form-urlencoded",
                    form.clone().into_bytes(),
                ),
                ("admin", "application/x-www-form-urlencoded", junk.clone()),
                (
                    "none",
                    "application/x-www-form-urlencoded",
                    form.clone().into_bytes(),
                ),
            ] {
                let mut r = req(method, &query).header("content-type", content_type);
                match auth {
                    "device" => r = r.header("authorization", format!("Bearer {token}")),
                    "admin" => r = r.header("cookie", format!("{cookie}; usher_csrf={csrf}")),
                    _ => {}
                }
                let res = a.send(r.body(Body::from(payload)).unwrap()).await;
                assert!(
                    res.status.as_u16() < 500,
                    "{method} {query} as {auth}: {} {}",
                    res.status,
                    res.text()
                );
                assert!(res.header("date").is_some());
            }
        }
    }
}
