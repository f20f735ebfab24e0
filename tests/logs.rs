//! No password, token, key or contact detail in any log at any level (issue 6, "Secrets"): the
//! real `usher-server` and `usher` binaries run with every tracing target at `trace`
//! (`RUST_LOG` for the server, `USHER_LOG` for the kiosk, both set for both), through a whole
//! venue's life over real HTTP on loopback: `init` (recovery code), setting the admin password
//! with it, logging in, the visitor form, enrolling a kiosk, `usher enroll`, `usher issue` with
//! the organiser's private key, `usher verify`, a headless kiosk that signs a visitor in and
//! syncs, and the admin's search and CSV export. Then every byte the processes wrote to their
//! logs is searched for each seeded value.
//!
//! What is not searched, because it is the product rather than a log: the recovery code `init`
//! prints on stdout for the operator, and the pass text `usher issue` prints on stdout.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::process::{Command, Output, Stdio};
use std::time::Duration;
use support::{cookie_of, csrf_field, form, free_port, server_bin, usher_bin, wait_until};

const ADMIN_PASSWORD: &str = "Tr0ub4dor-admin-pw-Zq81";
const ADMIN_PIN: &str = "80357291";
const VOLUNTEER_PIN: &str = "46913578";
const HMAC_SECRET: &str = "hmac-secret-Wq7Lp2Xv9Rt4Yz6Nb3";
const NAME_FIRST: &str = "Xylophonia";
const NAME_LAST: &str = "Quartermaine";
const PHONE: &str = "+447700900731";
const EMAIL: &str = "xylo.q@example.org";

fn traced(cmd: &mut Command) -> &mut Command {
    cmd.env("RUST_LOG", "trace")
        .env("USHER_LOG", "trace")
        .env("RUST_BACKTRACE", "1")
        .env_remove("NO_COLOR")
}

fn run(cmd: &mut Command) -> Output {
    traced(cmd).stdin(Stdio::null()).output().expect("run")
}

#[test]
fn no_secret_or_contact_detail_reaches_any_log_at_trace_level() {
    let mut logs: Vec<(String, Vec<u8>)> = Vec::new();
    let mut keep = |what: &str, bytes: &[u8]| logs.push((what.to_owned(), bytes.to_vec()));

    // The server: init (recovery code on stdout, logs on stderr), then serve at trace.
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let db = dir.path().join("server.db");
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], free_port()));
    let url = format!("http://{addr}");
    let init = run(Command::new(server_bin())
        .arg("--data-dir")
        .arg(&data_dir)
        .arg("--db")
        .arg(format!("sqlite:{}", db.display()))
        .args(["init", "--name", "Ada", "--email", "ada@example.org"]));
    assert!(init.status.success());
    keep("server init stderr", &init.stderr);
    let stdout = String::from_utf8_lossy(&init.stdout);
    let recovery = stdout
        .lines()
        .find_map(|l| l.split_once("recovery code (valid 24 hours): "))
        .map(|(_, c)| c.trim().to_owned())
        .expect("a recovery code");
    let server_log = dir.path().join("server.log");
    let mut child = traced(
        Command::new(server_bin())
            .arg("--data-dir")
            .arg(&data_dir)
            .arg("--db")
            .arg(format!("sqlite:{}", db.display()))
            .arg("--listen")
            .arg(addr.to_string())
            .arg("--public-url")
            .arg(&url),
    )
    .stdin(Stdio::null())
    .stdout(std::fs::File::create(dir.path().join("server.out")).unwrap())
    .stderr(std::fs::File::create(&server_log).unwrap())
    .spawn()
    .unwrap();
    assert!(wait_until(Duration::from_secs(30), || {
        std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
    }));
    let http = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    // The admin sets a password with the recovery code, then logs in with it.
    let page = http.get(format!("{url}/admin/recover")).send().unwrap();
    let c = cookie_of(&page, "usher_csrf").unwrap();
    let csrf = csrf_field(&page.text().unwrap());
    let r = http
        .post(format!("{url}/admin/recover"))
        .header("cookie", &c)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("csrf", &csrf),
            ("code", &recovery),
            ("password", ADMIN_PASSWORD),
            ("again", ADMIN_PASSWORD),
        ]))
        .send()
        .unwrap();
    assert_eq!(r.status(), 303, "{:?}", r.text());
    let page = http.get(format!("{url}/admin/login")).send().unwrap();
    let c = cookie_of(&page, "usher_csrf").unwrap();
    let csrf = csrf_field(&page.text().unwrap());
    let r = http
        .post(format!("{url}/admin/login"))
        .header("cookie", &c)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("csrf", &csrf),
            ("email", "ada@example.org"),
            ("password", ADMIN_PASSWORD),
        ]))
        .send()
        .unwrap();
    assert_eq!(r.status(), 303);
    let session = cookie_of(&r, "usher_session").expect("a session");

    // A visitor asks for a pass on the form.
    let page = http.get(format!("{url}/")).send().unwrap();
    let c = cookie_of(&page, "usher_csrf").unwrap();
    let csrf = csrf_field(&page.text().unwrap());
    let r = http
        .post(format!("{url}/"))
        .header("cookie", &c)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("csrf", &csrf),
            ("name", &format!("{NAME_FIRST} {NAME_LAST}")),
            ("phone", PHONE),
            ("email", EMAIL),
            ("consent", "yes"),
        ]))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);

    // The admin enrols a kiosk; the kiosk takes the enrolment code.
    let page = http
        .get(format!("{url}/admin/devices"))
        .header("cookie", &session)
        .send()
        .unwrap();
    let csrf = csrf_field(&page.text().unwrap());
    let r = http
        .post(format!("{url}/admin/devices"))
        .header("cookie", &session)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[("csrf", &csrf), ("name", "front door")]))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().unwrap();
    let enrol = html
        .split("<pre>")
        .nth(1)
        .and_then(|s| s.split("</pre>").next())
        .expect("enrolment text")
        .replace("&amp;", "&");
    let token = enrol
        .split("token=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .unwrap()
        .to_owned();
    let kiosk = tempfile::tempdir().unwrap();
    let settings = kiosk.path().join("settings.xml");
    std::fs::write(
        &settings,
        format!(
            "<?xml version=\"1.0\"?>\n<settings>\n<deviceId>front-door</deviceId>\n\
             <qrCodeAuthPassword>{HMAC_SECRET}</qrCodeAuthPassword>\n\
             <acceptedSchemes>hmac-sha256 ed25519</acceptedSchemes>\n\
             <adminPin>{ADMIN_PIN}</adminPin>\n<volunteerPin>{VOLUNTEER_PIN}</volunteerPin>\n\
             <sound>false</sound>\n</settings>\n"
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&settings, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = run(Command::new(usher_bin())
        .arg("enroll")
        .arg("--settings")
        .arg(&settings)
        .arg(&enrol));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    keep("usher enroll stdout", &o.stdout);
    keep("usher enroll stderr", &o.stderr);

    // The organiser mints a pass with the private key; the kiosk judges it (`verify`, on a
    // ledger of its own) and then signs the visitor in from the camera feed, and syncs.
    let feed = kiosk.path().join("feed");
    std::fs::create_dir(&feed).unwrap();
    let key = data_dir.join("organiser.pem");
    let o = run(Command::new(usher_bin())
        .args(["issue", "--valid-for", "1d", "--key-file"])
        .arg(&key)
        .args([
            "--name",
            &format!("{NAME_FIRST} {NAME_LAST}"),
            "--phone",
            PHONE,
        ])
        .args(["--email", EMAIL, "--png"])
        .arg(feed.join("pass.png")));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    keep("usher issue stderr", &o.stderr);
    let pass = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    let o = run(Command::new(usher_bin())
        .arg("verify")
        .arg("--settings")
        .arg(&settings)
        .arg("--ledger")
        .arg(kiosk.path().join("verify.db"))
        .arg(&pass));
    assert!(
        String::from_utf8_lossy(&o.stdout).starts_with("qr_accepted"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    keep("usher verify stdout", &o.stdout);
    keep("usher verify stderr", &o.stderr);
    let kiosk_out = kiosk.path().join("kiosk.out");
    let kiosk_err = kiosk.path().join("kiosk.err");
    let mut k = traced(
        Command::new(usher_bin())
            .args(["kiosk", "--headless", "--fps", "5", "--settings"])
            .arg(&settings)
            .arg("--source")
            .arg(format!("dir:{}", feed.display())),
    )
    .stdin(Stdio::null())
    .stdout(std::fs::File::create(&kiosk_out).unwrap())
    .stderr(std::fs::File::create(&kiosk_err).unwrap())
    .spawn()
    .unwrap();
    let synced = wait_until(Duration::from_secs(120), || {
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .and_then(|c| c.query_row("SELECT count(*) FROM signins", [], |r| r.get::<_, i64>(0)))
            .is_ok_and(|n| n >= 1)
    });
    // One more round, so the kiosk also fetches the used list after its upload.
    std::thread::sleep(Duration::from_secs(2));
    let _ = k.kill();
    let _ = k.wait();
    assert!(
        synced,
        "the kiosk did not upload: {}",
        std::fs::read_to_string(&kiosk_err).unwrap_or_default()
    );
    assert!(
        std::fs::read_to_string(&kiosk_out)
            .unwrap()
            .contains("qr_accepted")
    );

    // The admin finds the visitor and exports the day.
    for path in [
        format!(
            "/admin/find?by=phone&q={}",
            usher_core::form::encode(PHONE.as_bytes())
        ),
        format!("/admin/find?by=name&q={NAME_FIRST}+{NAME_LAST}"),
        format!(
            "/admin/export.csv?what=day&date={}",
            chrono::Utc::now().format("%Y-%m-%d")
        ),
    ] {
        let r = http
            .get(format!("{url}{path}"))
            .header("cookie", &session)
            .send()
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let body = r.text().unwrap();
        if path.contains("export") {
            assert!(body.contains(NAME_LAST), "the export holds the visitor");
        }
    }
    let _ = child.kill();
    let _ = child.wait();

    keep("server stderr", &std::fs::read(&server_log).unwrap());
    keep(
        "server stdout",
        &std::fs::read(dir.path().join("server.out")).unwrap(),
    );
    keep("kiosk stderr", &std::fs::read(&kiosk_err).unwrap());
    keep("kiosk stdout", &std::fs::read(&kiosk_out).unwrap());
    let pem = std::fs::read_to_string(&key).unwrap();
    let pem_body: Vec<&str> = pem
        .lines()
        .filter(|l| !l.starts_with("-----") && !l.is_empty())
        .collect();
    let enrol_key = enrol.split("key=").nth(1).unwrap().to_owned();
    let mut seeded: Vec<(&str, String)> = vec![
        ("admin password", ADMIN_PASSWORD.into()),
        ("recovery code", recovery.clone()),
        (
            "session token",
            session.split_once('=').unwrap().1.to_owned(),
        ),
        ("device token", token.clone()),
        ("admin PIN", ADMIN_PIN.into()),
        ("volunteer PIN", VOLUNTEER_PIN.into()),
        ("HMAC secret", HMAC_SECRET.into()),
        ("visitor name", NAME_FIRST.into()),
        ("visitor name", NAME_LAST.into()),
        ("visitor phone", PHONE.into()),
        ("visitor phone", PHONE.trim_start_matches('+').into()),
        ("visitor email", EMAIL.into()),
        ("visitor email", "xylo.q%40".into()),
        ("enrolment code", enrol.clone()),
    ];
    for line in &pem_body {
        seeded.push(("private key PEM", (*line).to_owned()));
    }
    // The server's contact and blind-index keys, in whatever form they could be printed.
    for file in ["contact.key", "index.key"] {
        let bytes = std::fs::read(data_dir.join(file)).unwrap();
        assert!(bytes.len() >= 16, "{file}");
        match std::str::from_utf8(&bytes) {
            Ok(t) => seeded.push(("server key file", t.trim().to_owned())),
            Err(_) => {
                use base64::Engine as _;
                seeded.push(("server key file (hex)", hex::encode(&bytes)));
                seeded.push((
                    "server key file (base64)",
                    base64::engine::general_purpose::STANDARD_NO_PAD.encode(&bytes),
                ));
                seeded.push((
                    "server key file (base64url)",
                    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes),
                ));
            }
        }
    }
    // The organiser's public key may be logged; its raw form is in the enrolment code, so that
    // is not counted as a secret here (it is printed in the admin page by design).
    let _ = enrol_key;
    if std::env::var_os("USHER_LOGS_DUMP").is_some() {
        for (what, bytes) in &logs {
            println!("==== {what}\n{}", String::from_utf8_lossy(bytes));
        }
    }
    let total: usize = logs.iter().map(|(_, b)| b.len()).sum();
    let lines: usize = logs
        .iter()
        .map(|(_, b)| b.iter().filter(|&&c| c == b'\n').count())
        .sum();
    let mut found = Vec::new();
    for (what, value) in &seeded {
        for (log, bytes) in &logs {
            let text = String::from_utf8_lossy(bytes);
            if text.contains(value.as_str()) {
                let line = text
                    .lines()
                    .find(|l| l.contains(value.as_str()))
                    .unwrap_or("")
                    .chars()
                    .take(400)
                    .collect::<String>();
                found.push(format!("{what} in {log}: {line}"));
            }
        }
    }
    println!(
        "logs: {} seeded values searched in {} streams ({total} bytes, {lines} lines at trace): {} found",
        seeded.len(),
        logs.len(),
        found.len()
    );
    assert!(lines > 50, "trace logging did not run: {lines} lines");
    // The search does find what is there: the events around each seeded value were logged.
    let all: String = logs
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    for marker in [
        "sign-ins uploaded",
        "pass issued",
        "scan: qr_accepted",
        "TRACE",
    ] {
        assert!(all.contains(marker), "{marker:?} was not logged");
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
