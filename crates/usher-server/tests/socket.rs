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

/// Opens a connection that sends a request line and one header line, then nothing more.
async fn half_open(addr: std::net::SocketAddr) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt as _;
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    s
}

/// Whether the server closed `s` (a read returns end of file or an error) within `wait`.
async fn closed_within(s: &mut tokio::net::TcpStream, wait: std::time::Duration) -> bool {
    use tokio::io::AsyncReadExt as _;
    let mut buf = [0u8; 512];
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn a_header_trickled_byte_by_byte_is_cut_off_within_ten_seconds() {
    use tokio::io::AsyncWriteExt as _;
    let b = common::sqlite().await;
    let a = app(&b);
    let served = common::Served::start(a.router()).await;
    let mut s = half_open(served.addr).await;
    let started = std::time::Instant::now();
    // one byte every second, never the blank line that ends the header
    let mut closed = false;
    for _ in 0..12 {
        if s.write_all(b"X").await.is_err()
            || closed_within(&mut s, std::time::Duration::from_secs(1)).await
        {
            closed = true;
            break;
        }
    }
    let took = started.elapsed();
    assert!(closed, "a trickled header was still open after {took:?}");
    assert!(
        took <= std::time::Duration::from_secs(11),
        "cut off only after {took:?}"
    );
    served.stop().await;
}

/// 8 connections, 1 s for a header, 2 s for a request.
fn short_limits() -> usher_server::listener::Limits {
    usher_server::listener::Limits {
        max_connections: 8,
        header_timeout: std::time::Duration::from_secs(1),
        request_timeout: std::time::Duration::from_secs(2),
    }
}

/// A plain GET of `/static/style.css` on a fresh connection: its status line.
async fn status_of_a_normal_request(addr: std::net::SocketAddr) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /static/style.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out)
        .lines()
        .next()
        .unwrap_or("")
        .to_owned()
}

#[tokio::test]
async fn a_normal_request_is_answered_while_500_slow_connections_are_open() {
    let b = common::sqlite().await;
    let a = app(&b);
    let served = common::Served::start(a.router()).await;
    let mut slow = Vec::new();
    for _ in 0..500 {
        slow.push(half_open(served.addr).await);
    }
    let started = std::time::Instant::now();
    assert_eq!(
        status_of_a_normal_request(served.addr).await,
        "HTTP/1.1 200 OK"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // the slow ones are still being waited for (within the header timeout), not dropped
    assert!(!closed_within(&mut slow[0], std::time::Duration::from_millis(100)).await);
    drop(slow);
    served.stop().await;
}

#[tokio::test]
async fn connections_over_the_cap_are_refused_at_once_and_slots_free_after_the_header_timeout() {
    use tokio::io::AsyncReadExt as _;
    let b = common::sqlite().await;
    let a = app(&b);
    let served = common::Served::start_with(a.router(), short_limits()).await;
    let mut slow = Vec::new();
    for _ in 0..8 {
        slow.push(half_open(served.addr).await);
    }
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    // the ninth: answered 503 (or reset) at once, never held
    let started = std::time::Instant::now();
    let mut ninth = tokio::net::TcpStream::connect(served.addr).await.unwrap();
    let mut out = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(1),
        ninth.read_to_end(&mut out),
    )
    .await;
    assert!(read.is_ok(), "the ninth connection was held open");
    let text = String::from_utf8_lossy(&out);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 503"),
        "{text}"
    );
    assert!(started.elapsed() < std::time::Duration::from_millis(900));
    // the header timeout closes the slow ones, and the server answers again
    for s in &mut slow {
        assert!(closed_within(s, std::time::Duration::from_secs(3)).await);
    }
    assert_eq!(
        status_of_a_normal_request(served.addr).await,
        "HTTP/1.1 200 OK"
    );
    served.stop().await;
}

#[tokio::test]
async fn an_idle_connection_and_a_trickled_body_are_cut_off() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let b = common::sqlite().await;
    let a = app(&b);
    let served = common::Served::start_with(a.router(), short_limits()).await;
    // connected, nothing sent
    let mut idle = tokio::net::TcpStream::connect(served.addr).await.unwrap();
    assert!(
        closed_within(&mut idle, std::time::Duration::from_secs(3)).await,
        "an idle connection stays open"
    );
    // a whole header, then a body one byte a second
    let mut s = tokio::net::TcpStream::connect(served.addr).await.unwrap();
    s.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    while started.elapsed() < std::time::Duration::from_secs(6) {
        if s.write_all(b"a").await.is_err() {
            break;
        }
        match tokio::time::timeout(std::time::Duration::from_secs(1), s.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => break,
            Ok(Ok(n)) => answer.extend_from_slice(&buf[..n]),
            Err(_) => {}
        }
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "a trickled body held for {:?}",
        started.elapsed()
    );
    let text = String::from_utf8_lossy(&answer);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 408"),
        "{text}"
    );
    served.stop().await;
}
