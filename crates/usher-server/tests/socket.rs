//! One test over a real socket on 127.0.0.1: a kiosk uploads a batch, retrying it, with reqwest.
#![allow(clippy::unwrap_used)]

mod common;

use common::{NOW, app, row};
use serde_json::json;

#[tokio::test]
async fn upload_over_a_socket_with_retries_is_stored_once() {
    let b = common::sqlite().await;
    let a = app(&b);
    let token = a.device("k1").await;
    let served = common::Served::start(a.router()).await;
    let addr = served.addr;
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .unwrap();
    let url = format!("http://{addr}/api/v1/signins");
    let batch = json!({"signins": (0..100u8)
        .map(|i| row(&format!("s{i}"), i, NOW - i64::from(i), "k1", "Name", "0123456"))
        .collect::<Vec<_>>()});
    let mut stored = 0;
    let mut known = 0;
    for attempt in 0..3 {
        let res = client
            .post(&url)
            .bearer_auth(&token)
            .json(&batch)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "attempt {attempt}");
        let date = res
            .headers()
            .get("date")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let when = httpdate::parse_http_date(&date).unwrap();
        assert_eq!(
            when.duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs(),
            u64::try_from(NOW).unwrap(),
            "Date comes from the server clock"
        );
        let body: serde_json::Value = res.json().await.unwrap();
        stored += body["stored"].as_array().unwrap().len();
        known += body["known"].as_array().unwrap().len();
        assert!(body["refused"].as_array().unwrap().is_empty());
    }
    assert_eq!((stored, known), (100, 200));
    assert_eq!(a.state.store.signin_count().await.unwrap(), 100);
    // no token over the wire: 401
    let res = client.post(&url).json(&batch).send().await.unwrap();
    assert_eq!(res.status(), 401);
    served.stop().await;
}
