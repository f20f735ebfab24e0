//! Headless Chromium (Debian's `chromium`, driven through `chromedriver` over WebDriver) uses
//! the server on 127.0.0.1 as people do: a visitor with an Arabic name fills in the form and
//! gets a pass image, which the test decodes (usher-decode) and verifies with the organiser's
//! public key (usher-core); a kiosk uploads the sign-in; an admin sets a password with the
//! recovery code from `init`, logs out, logs in, finds the visitor by name and exports CSV.
//! Prints SKIPPED when chromium or chromedriver is missing, unless `USHER_BROWSER_REQUIRED=1`
//! (set by `.ci/run`), which makes that a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use base64::Engine as _;
use fantoccini::{Client, ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use usher_decode::{Cascade, Decoder as _, GreyFrame};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const ARABIC_NAME: &str = "فاطمة الزهراء";
const PHONE: &str = "+44 20 7946 0123";
const PASSWORD: &str = "correct horse battery staple";

const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1000,1200",
];

/// `chromedriver` on a free loopback port, killed on drop.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Both programs, or the reason the test cannot run.
fn tools() -> Result<(), String> {
    for (bin, pkg) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
        let ok = Command::new(bin)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            return Err(format!("{bin} (apt-get install {pkg})"));
        }
    }
    Ok(())
}

async fn start_driver() -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let driver = Driver { child, port };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return driver;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not listen on port {port} within 10 s");
}

async fn browser(driver: &Driver, profile: &std::path::Path) -> Client {
    let mut args: Vec<String> = FLAGS.iter().map(|f| (*f).to_owned()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({"binary": CHROMIUM, "args": args}),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .unwrap()
}

/// Fills the named fields of the page's first form whose action is `action`, and submits it.
async fn fill_and_submit(c: &Client, action: &str, fields: &[(&str, &str)]) {
    let form = c
        .find(Locator::Css(&format!("form[action=\"{action}\"]")))
        .await
        .unwrap();
    for (name, value) in fields {
        let input = form
            .find(Locator::Css(&format!("[name=\"{name}\"]")))
            .await
            .unwrap();
        input.clear().await.unwrap();
        input.send_keys(value).await.unwrap();
    }
    let button = form
        .find(Locator::Css("button[type=\"submit\"]"))
        .await
        .unwrap();
    click_and_leave(&button).await;
}

/// Clicks `el`, which leaves the page, and waits until the page it was on is gone.
async fn click_and_leave(el: &fantoccini::elements::Element) {
    el.click().await.unwrap();
    for _ in 0..400 {
        // the old page's elements go stale once the next page has replaced it
        if el.tag_name().await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the page did not change within 20 s of the click");
}

/// The page's `<h1>`, once it is there.
/// The page as the guide's screenshot `docs/images/NAME.png`, when asked for.
async fn docs_shot(c: &Client, name: &str) {
    if common::docs_screenshots() {
        common::save_docs_image(name, &c.screenshot().await.unwrap());
    }
}

async fn heading(c: &Client) -> String {
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_gets_a_verified_pass_and_an_admin_finds_and_exports_them_in_chromium() {
    if let Err(missing) = tools() {
        if std::env::var("USHER_BROWSER_REQUIRED").is_ok_and(|v| v == "1") {
            panic!("USHER_BROWSER_REQUIRED=1 but {missing} is missing");
        }
        println!("SKIPPED: browser test needs {missing}");
        return;
    }
    let b = common::sqlite().await;
    let a = common::app(&b);
    let code = a.init(&b).await;
    let served = common::Served::start(a.router()).await;
    let base = format!("http://{}", served.addr);
    let driver = start_driver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;

    // The visitor: the form at `/`, typed in, submitted.
    c.goto(&format!("{base}/")).await.unwrap();
    assert!(heading(&c).await.contains("get your sign-in pass"));
    docs_shot(&c, "server-visitor-form").await;
    let consent = c
        .find(Locator::Css("input[name=\"consent\"]"))
        .await
        .unwrap();
    consent.click().await.unwrap();
    fill_and_submit(&c, "/", &[("name", ARABIC_NAME), ("phone", PHONE)]).await;
    assert_eq!(heading(&c).await, "Your pass");
    docs_shot(&c, "server-visitor-pass").await;

    // The pass image exactly as the browser got it (the page's data: URL), decoded.
    let src = c
        .find(Locator::Css("img.pass"))
        .await
        .unwrap()
        .attr("src")
        .await
        .unwrap()
        .unwrap();
    let b64 = src.strip_prefix("data:image/png;base64,").unwrap();
    let png = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let grey = image::load_from_memory(&png).unwrap().to_luma8();
    let texts = Cascade::recommended().decode(&GreyFrame::from_gray_image(grey));
    assert_eq!(texts.len(), 1, "codes in the pass image: {texts:?}");
    let text = &texts[0];
    // The browser rendered the image (it is not a broken picture).
    let natural_width = c
        .execute(
            "return document.querySelector('img.pass').naturalWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert!(natural_width.as_u64().unwrap() > 100, "{natural_width}");

    // Verified with the organiser's public key, as a kiosk does.
    let rules = usher_testkit::public_key_rules(
        a.state.keys.signing.verifying_key(),
        usher_core::SchemeSet::ALL,
        "door-1",
    );
    let mut ledger = usher_core::MemoryLedger::new();
    let verdict =
        usher_core::judge(text, &rules, usher_core::Now::utc(common::NOW), &mut ledger).unwrap();
    let usher_core::Verdict::Accepted { pass } = verdict else {
        panic!("pass not accepted: {verdict:?}");
    };
    assert_eq!(pass.payload.name(), Some(ARABIC_NAME));
    assert_eq!(pass.payload.s(2), Some(PHONE));

    // A kiosk uploads the sign-in, with the fields the pass carries.
    let token = a.device("door-1").await;
    let mut row = common::row("k-browser-1", 0, common::NOW, "door-1", ARABIC_NAME, PHONE);
    row["pass_id"] = serde_json::Value::String(pass.id.to_hex());
    let up = reqwest::Client::new()
        .post(format!("{base}/api/v1/signins"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "signins": [row] }))
        .send()
        .await
        .unwrap();
    assert!(up.status().is_success(), "upload: {}", up.status());
    let up: serde_json::Value = up.json().await.unwrap();
    assert!(up.to_string().contains("k-browser-1"), "{up}");

    // The admin: password set with the recovery code, then logged out and in again.
    c.goto(&format!("{base}/admin/recover")).await.unwrap();
    assert_eq!(heading(&c).await, "Set a password");
    fill_and_submit(
        &c,
        "/admin/recover",
        &[("code", &code), ("password", PASSWORD), ("again", PASSWORD)],
    )
    .await;
    heading(&c).await;
    assert_eq!(c.current_url().await.unwrap().path(), "/admin");
    let logout = c
        .find(Locator::Css("form[action=\"/admin/logout\"] button"))
        .await
        .unwrap();
    click_and_leave(&logout).await;
    assert_eq!(heading(&c).await, "Admin login");
    // logged out: the admin pages send the browser back to the login page
    c.goto(&format!("{base}/admin/find")).await.unwrap();
    assert_eq!(heading(&c).await, "Admin login");
    fill_and_submit(
        &c,
        "/admin/login",
        &[("email", "ada@example.org"), ("password", PASSWORD)],
    )
    .await;
    heading(&c).await;
    assert_eq!(c.current_url().await.unwrap().path(), "/admin");

    // Find the visitor by name.
    c.goto(&format!("{base}/admin/find")).await.unwrap();
    heading(&c).await;
    fill_and_submit(&c, "/admin/find", &[("q", ARABIC_NAME)]).await;
    let found = c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("table"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(found.contains(ARABIC_NAME), "find page table: {found}");
    assert!(found.contains(PHONE), "find page table: {found}");
    let page = c.source().await.unwrap();
    assert!(page.contains("1 sign-ins."), "{page}");
    docs_shot(&c, "server-admin-find").await;

    // Who was here, then the page's own "Export CSV" link, fetched by the browser.
    c.goto(&format!("{base}/admin/trace")).await.unwrap();
    heading(&c).await;
    fill_and_submit(&c, "/admin/trace", &[("q", ARABIC_NAME)]).await;
    let link = c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::LinkText("Export CSV"))
        .await
        .unwrap();
    docs_shot(&c, "server-admin-trace").await;
    let href = link.attr("href").await.unwrap().unwrap();
    let csv = c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             fetch(arguments[0], {credentials: 'same-origin'})\
               .then(r => r.text().then(t => done({status: r.status, type: r.headers.get('content-type'), body: t})))\
               .catch(e => done({status: 0, body: String(e)}));",
            vec![serde_json::Value::String(href)],
        )
        .await
        .unwrap();
    assert_eq!(csv["status"], 200, "{csv}");
    assert!(
        csv["type"].as_str().unwrap().starts_with("text/csv"),
        "{csv}"
    );
    let body = csv["body"].as_str().unwrap();
    let mut lines = body.lines();
    assert_eq!(
        lines.next(),
        Some("signed_in_utc,kiosk,name,phone,email"),
        "{body}"
    );
    let visitor = lines.next().unwrap();
    // the phone starts with '+', so the export defuses it for spreadsheets
    assert!(
        visitor.contains(&format!("\"{ARABIC_NAME}\""))
            && visitor.contains(&format!("\"'{PHONE}\"")),
        "{body}"
    );
    assert_eq!(lines.next(), None, "{body}");
    assert!(visitor.contains("\"door-1\""), "{body}");

    // Both views of contact data are in the audit log.
    let audit = a.state.store.audit_log(100).await.unwrap();
    let audit = format!("{audit:?}");
    assert!(
        audit.contains("search") && audit.contains("export"),
        "{audit}"
    );

    if common::docs_screenshots() {
        for (path, name) in [
            ("/admin/devices", "server-admin-devices"),
            ("/admin/status", "server-admin-status"),
        ] {
            c.goto(&format!("{base}{path}")).await.unwrap();
            heading(&c).await;
            docs_shot(&c, name).await;
        }
    }

    c.close().await.unwrap();
    drop(driver);
    served.stop().await;
}
