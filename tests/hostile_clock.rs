//! Issue 10 item 1: one `Date` header must not break a kiosk for good. A hostile server on
//! loopback answers every request of the real `usher kiosk --headless` with a reply dated in
//! year 9999; after a restart without a server the kiosk still accepts a valid pass and its
//! retention purge deleted nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use support::{look_at_ledger, now_unix, wait_until};

const YEAR_9999: &str = "Fri, 31 Dec 9999 23:59:59 GMT";

/// Answers one request: a 200 dated 9999 that stores every uploaded id and holds empty feeds
/// (one body for the three routes: each reads only its own fields).
fn answer(stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body)?;
    let ids: Vec<String> = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| {
            v["signins"].as_array().map(|rows| {
                rows.iter()
                    .filter_map(|r| r["id"].as_str().map(str::to_owned))
                    .collect()
            })
        })
        .unwrap_or_default();
    let reply = serde_json::json!({
        "stored": ids, "known": [], "refused": [],
        "used": [], "double_uses": [], "next": "u1.0",
    })
    .to_string();
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nDate: {YEAR_9999}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{reply}",
        reply.len()
    )?;
    stream.flush()
}

/// The hostile server: returns its URL and the count of requests it answered.
fn hostile_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let answered = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&answered);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            if answer(stream).is_ok() {
                count.fetch_add(1, Ordering::SeqCst);
            }
        }
    });
    (url, answered)
}

/// The real headless kiosk on `feed`, and its verdict lines as they come.
fn headless(
    settings: &Path,
    feed: &Path,
) -> (std::process::Child, std::sync::mpsc::Receiver<String>) {
    let mut child = Command::new(support::usher_bin())
        .args(["kiosk", "--headless", "--fps", "5", "--settings"])
        .arg(settings)
        .arg("--source")
        .arg(format!("dir:{}", feed.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn usher kiosk --headless");
    let out = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (child, rx)
}

/// The verdict name and time of a headless kiosk's line (`UNIX<TAB>VERDICT<TAB>REASON`).
fn verdict(line: &str) -> (i64, String) {
    let mut parts = line.split('\t');
    let at = parts.next().and_then(|t| t.parse().ok()).unwrap_or(0);
    (at, parts.next().unwrap_or_default().to_owned())
}

fn rows_in(ledger: &Path, table: &str) -> i64 {
    let conn =
        rusqlite::Connection::open_with_flags(ledger, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open ledger");
    conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .expect("count")
}

#[test]
fn a_server_dating_its_replies_in_9999_neither_expires_valid_passes_nor_purges() {
    let dir = tempfile::tempdir().expect("tmp");
    let keys = usher::keys::keygen(&dir.path().join("organiser.pem")).expect("keygen");
    let signer = usher::keys::signer_from_file(&keys.private, None).expect("signer");
    let (url, answered) = hostile_server();
    let settings = support::write_settings(
        dir.path(),
        "door-1",
        &keys.public,
        Some(&url),
        Some("t0k3n"),
    );
    let ledger = dir.path().join("usher.db");

    // A first sign-in at the kiosk, uploaded to the hostile server, which dates it all 9999.
    let first = dir.path().join("first");
    std::fs::create_dir(&first).expect("feed");
    let (text, first_id) = support::make_pass(&signer, "Ada Lovelace");
    usher::cli::write_qr_png(&text, &first.join("0.png")).expect("png");
    let (mut kiosk, lines) = headless(&settings, &first);
    let first_line = lines.recv_timeout(Duration::from_secs(60));
    let uploaded = wait_until(Duration::from_secs(60), || {
        let look = look_at_ledger(&ledger);
        !look.outbox.is_empty() && look.outbox.values().all(|(_, up, _)| *up)
    });
    // A few more rounds of feeds dated 9999.
    let polled = wait_until(Duration::from_secs(30), || {
        answered.load(Ordering::SeqCst) >= 3
    });
    let _ = kiosk.kill();
    let _ = kiosk.wait();
    let first_line = first_line.expect("no verdict from the kiosk");
    assert_eq!(verdict(&first_line).1, "qr_accepted", "{first_line}");
    assert!(uploaded && polled, "the kiosk never talked to the server");
    let before = (rows_in(&ledger, "scan_log"), rows_in(&ledger, "outbox"));
    assert!(before.0 >= 1 && before.1 == 1, "{before:?}");

    // Restart without a server: a new valid pass is accepted, and nothing was purged.
    support::write_settings(dir.path(), "door-1", &keys.public, None, None);
    let second = dir.path().join("second");
    std::fs::create_dir(&second).expect("feed");
    let (text, _) = support::make_pass(&signer, "Grace Hopper");
    usher::cli::write_qr_png(&text, &second.join("0.png")).expect("png");
    let (mut kiosk, lines) = headless(&settings, &second);
    let line = lines.recv_timeout(Duration::from_secs(60));
    // Let the start-up purge finish before reading the ledger.
    std::thread::sleep(Duration::from_millis(500));
    let _ = kiosk.kill();
    let _ = kiosk.wait();
    let line = line.expect("no verdict from the restarted kiosk");
    let (at, kind) = verdict(&line);
    assert_eq!(kind, "qr_accepted", "{line}");
    assert!(
        (at - now_unix()).abs() < 600,
        "the verdict is dated {at}, not now: {line}"
    );
    let look = look_at_ledger(&ledger);
    assert!(
        look.local_uses.contains_key(&first_id),
        "the first sign-in's use was purged"
    );
    let after = (rows_in(&ledger, "scan_log"), rows_in(&ledger, "outbox"));
    assert!(
        after.0 > before.0 && after.1 == before.1 + 1,
        "purged: before {before:?} (scan log, outbox), after {after:?}"
    );
}
