//! Headless Chromium (Debian's `chromium`, driven through `chromedriver` over WebDriver) uses
//! the server on 127.0.0.1 as people do: a visitor with an Arabic name fills in the form and
//! gets a pass image, which the test decodes (usher-decode) and verifies with the organiser's
//! public key (usher-core); a kiosk uploads the sign-in; an admin sets a password with the
//! recovery code from `init`, logs out, logs in, finds the visitor by name and exports CSV.
//! A second visitor asks for a pass admitting 3; once their kiosk's sign-in is uploaded the roll
//! call page lists them inside, and after their exit it no longer does. A third follows the
//! pass page's link to `/me` (the pass in the fragment, sent by the page's script), sees the
//! visit a real kiosk ledger synced up, deletes everything, and that kiosk, synced again,
//! refuses the pass (`qr_not_authorized`).
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

/// How a test's Chromium differs from the desktop English one.
#[derive(Default)]
struct Options {
    /// The languages it asks for (`Accept-Language`), as its `intl.accept_languages`.
    languages: Option<&'static str>,
    /// A phone's viewport (width, height) in CSS pixels, at one device pixel per CSS pixel.
    phone: Option<(u32, u32)>,
}

async fn browser_with(driver: &Driver, profile: &std::path::Path, o: &Options) -> Client {
    let mut args: Vec<String> = FLAGS.iter().map(|f| (*f).to_owned()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let mut options = serde_json::json!({"binary": CHROMIUM, "args": args});
    if let Some(langs) = o.languages {
        let first = langs.split(',').next().unwrap();
        options["args"]
            .as_array_mut()
            .unwrap()
            .push(format!("--lang={first}").into());
        options["prefs"] = serde_json::json!({ "intl.accept_languages": langs });
    }
    if let Some((width, height)) = o.phone {
        options["mobileEmulation"] = serde_json::json!({
            "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1.0, "touch": true }
        });
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
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

/// The visitor ticks the consent box, fills in the form's `fields` and submits it.
async fn consent_and_submit(c: &Client, fields: &[(&str, &str)]) {
    c.find(Locator::Css("input[name=\"consent\"]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    fill_and_submit(c, "/", fields).await;
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

/// The page as the guide's screenshot `docs/images/NAME.png`, when asked for.
async fn docs_shot(c: &Client, name: &str) {
    if common::docs_screenshots() {
        common::save_docs_image(name, &c.screenshot().await.unwrap());
    }
}

/// The page's `<h1>`, once it is there.
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

/// False (after printing SKIPPED) when chromium or chromedriver is missing; a failure instead
/// under `USHER_BROWSER_REQUIRED=1`.
fn browser_available() -> bool {
    if let Err(missing) = tools() {
        if std::env::var("USHER_BROWSER_REQUIRED").is_ok_and(|v| v == "1") {
            panic!("USHER_BROWSER_REQUIRED=1 but {missing} is missing");
        }
        println!("SKIPPED: browser test needs {missing}");
        return false;
    }
    true
}

/// The pass image's `src`: its PNG as a `data:` URL.
async fn pass_src(c: &Client) -> String {
    c.find(Locator::Css("img.pass"))
        .await
        .unwrap()
        .attr("src")
        .await
        .unwrap()
        .unwrap()
}

/// The pass in the page's image, decoded from the PNG exactly as the browser received it.
async fn pass_in_page(c: &Client) -> String {
    let src = pass_src(c).await;
    let b64 = src.strip_prefix("data:image/png;base64,").unwrap();
    let png = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let grey = image::load_from_memory(&png).unwrap().to_luma8();
    let mut texts = Cascade::recommended().decode(&GreyFrame::from_gray_image(grey));
    assert_eq!(texts.len(), 1, "codes in the pass image: {texts:?}");
    texts.remove(0)
}

/// A kiosk's upload of a compact pass's sign-in at `NOW`: the name it carries, and its `r`
/// (the phone stays in the server's registration).
fn compact_row(id: &str, pass: &usher_core::Pass, device: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "pass_id": pass.id.to_hex(),
        "scanned_at": common::NOW,
        "device_id": device,
        "fields": {"s1": pass.payload.name()},
        "registration": pass.payload.registration,
    })
}

/// A server on a real socket with a fresh SQLite store, and Chromium driving it.
struct Scene {
    a: common::TestApp,
    /// `init`'s recovery code for Ada.
    code: String,
    base: String,
    c: Client,
    served: common::Served,
    driver: Driver,
    _profile: tempfile::TempDir,
    _b: common::Backend,
}

impl Scene {
    async fn start() -> Scene {
        Scene::start_with(&Options::default()).await
    }

    async fn start_with(o: &Options) -> Scene {
        let b = common::sqlite().await;
        let a = common::app(&b);
        let code = a.init(&b).await;
        let served = common::Served::start(a.router()).await;
        let base = format!("http://{}", served.addr);
        let driver = start_driver().await;
        let profile = tempfile::tempdir().unwrap();
        let c = browser_with(&driver, profile.path(), o).await;
        Scene {
            a,
            code,
            base,
            c,
            served,
            driver,
            _profile: profile,
            _b: b,
        }
    }

    async fn stop(self) {
        self.c.close().await.unwrap();
        drop(self.driver);
        self.served.stop().await;
    }

    /// The visitor fills in the form (name, phone, consent; `party` chosen when given) and
    /// gets the pass page.
    async fn visitor_asks_for_a_pass(&self, party: Option<&str>) {
        let c = &self.c;
        c.goto(&format!("{}/", self.base)).await.unwrap();
        assert!(heading(c).await.contains("get your sign-in pass"));
        docs_shot(c, "server-visitor-form").await;
        if let Some(n) = party {
            let select = c
                .find(Locator::Css("select[name=\"party\"]"))
                .await
                .unwrap();
            assert_eq!(select.prop("value").await.unwrap().as_deref(), Some("1"));
            select.select_by_value(n).await.unwrap();
        }
        consent_and_submit(c, &[("name", ARABIC_NAME), ("phone", PHONE)]).await;
        assert_eq!(heading(c).await, "Your pass");
        docs_shot(c, "server-visitor-pass").await;
    }

    /// The pass judged with the organiser's public key, as kiosk `device` does: it must be
    /// accepted.
    fn accepted(&self, text: &str, device: &str) -> usher_core::Pass {
        let rules = usher_testkit::public_key_rules(
            self.a.state.keys.signing.verifying_key(),
            usher_core::SchemeSet::ALL,
            device,
        );
        let mut ledger = usher_core::MemoryLedger::new();
        let verdict =
            usher_core::judge(text, &rules, usher_core::Now::utc(common::NOW), &mut ledger)
                .unwrap();
        let usher_core::Verdict::Accepted { pass } = verdict else {
            panic!("pass not accepted: {verdict:?}");
        };
        pass
    }

    /// A kiosk enrolled as `device` uploads `row` over HTTP; the answer.
    async fn upload(&self, device: &str, row: serde_json::Value) -> serde_json::Value {
        let token = self.a.device(device).await;
        self.upload_as(&token, &serde_json::json!({ "signins": [row] }))
            .await
    }

    /// The kiosk holding `token` uploads `body` (sign-ins and exits) over HTTP; the answer.
    async fn upload_as(&self, token: &str, body: &serde_json::Value) -> serde_json::Value {
        let up = reqwest::Client::new()
            .post(format!("{}/api/v1/signins", self.base))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap();
        assert!(up.status().is_success(), "upload: {}", up.status());
        up.json().await.unwrap()
    }

    /// Ada sets her password with the recovery code and lands on the admin home.
    async fn admin_sets_a_password(&self) {
        let c = &self.c;
        c.goto(&format!("{}/admin/recover", self.base))
            .await
            .unwrap();
        assert_eq!(heading(c).await, "Set a password");
        fill_and_submit(
            c,
            "/admin/recover",
            &[
                ("code", &self.code),
                ("password", PASSWORD),
                ("again", PASSWORD),
            ],
        )
        .await;
        heading(c).await;
        assert_eq!(c.current_url().await.unwrap().path(), "/admin");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_gets_a_verified_pass_and_an_admin_finds_and_exports_them_in_chromium() {
    if !browser_available() {
        return;
    }
    let scene = Scene::start().await;
    let (a, base, c) = (&scene.a, &scene.base, &scene.c);

    // The visitor: the form at `/`, typed in, submitted.
    scene.visitor_asks_for_a_pass(None).await;

    // The pass image exactly as the browser got it (the page's data: URL), decoded.
    let text = &pass_in_page(c).await;
    // The browser rendered the image (it is not a broken picture).
    let natural_width = c
        .execute(
            "return document.querySelector('img.pass').naturalWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert!(natural_width.as_u64().unwrap() > 100, "{natural_width}");

    // Verified with the organiser's public key, as a kiosk does. A compact pass: the name and
    // the registration, no phone (DESIGN §9).
    let pass = scene.accepted(text, "door-1");
    assert_eq!(pass.payload.name(), Some(ARABIC_NAME));
    assert_eq!(pass.payload.s(2), None);
    assert!(pass.payload.registration.is_some());

    // A kiosk uploads the sign-in, with the fields the pass carries and its `r`.
    let row = compact_row("k-browser-1", &pass, "door-1");
    let up = scene.upload("door-1", row).await;
    assert!(up.to_string().contains("k-browser-1"), "{up}");

    // The admin: password set with the recovery code, then logged out and in again.
    scene.admin_sets_a_password().await;
    let logout = c
        .find(Locator::Css("form[action=\"/admin/logout\"] button"))
        .await
        .unwrap();
    click_and_leave(&logout).await;
    assert_eq!(heading(c).await, "Admin login");
    // logged out: the admin pages send the browser back to the login page
    c.goto(&format!("{base}/admin/find")).await.unwrap();
    assert_eq!(heading(c).await, "Admin login");
    fill_and_submit(
        c,
        "/admin/login",
        &[("email", "ada@example.org"), ("password", PASSWORD)],
    )
    .await;
    heading(c).await;
    assert_eq!(c.current_url().await.unwrap().path(), "/admin");

    // Find the visitor by name.
    c.goto(&format!("{base}/admin/find")).await.unwrap();
    heading(c).await;
    fill_and_submit(c, "/admin/find", &[("q", ARABIC_NAME)]).await;
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
    docs_shot(c, "server-admin-find").await;

    // Who was here, then the page's own "Export CSV" link, fetched by the browser.
    c.goto(&format!("{base}/admin/trace")).await.unwrap();
    heading(c).await;
    fill_and_submit(c, "/admin/trace", &[("q", ARABIC_NAME)]).await;
    let link = c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::LinkText("Export CSV"))
        .await
        .unwrap();
    docs_shot(c, "server-admin-trace").await;
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
        Some("signed_in_utc,kiosk,name,phone,email,left_utc,left,entrance,heads"),
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
            ("/admin/inside", "server-admin-inside"),
        ] {
            c.goto(&format!("{base}{path}")).await.unwrap();
            heading(c).await;
            docs_shot(c, name).await;
        }
    }

    scene.stop().await;
}

/// The roll call's text once the page is there.
async fn roll_call_text(c: &Client, base: &str) -> String {
    c.goto(&format!("{base}/admin/roll-call")).await.unwrap();
    assert_eq!(heading(c).await, "Roll call");
    c.find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The text of the page's first element matching `css`.
async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_roll_call_lists_the_visitor_inside_then_not_after_the_exit_in_chromium() {
    if !browser_available() {
        return;
    }
    let scene = Scene::start().await;
    let (a, base, c) = (&scene.a, &scene.base, &scene.c);

    // A visitor asks for a pass for three: the party size chooser, default 1.
    scene.visitor_asks_for_a_pass(Some("3")).await;
    let pass = scene.accepted(&pass_in_page(c).await, "sisters-door");
    assert_eq!(pass.payload.party.get(), 3, "the pass admits three");

    // The kiosk at the sisters' entrance lets the three in and uploads the sign-in.
    let mut row = compact_row("k-roll-1", &pass, "sisters-door");
    row["entrance"] = "sisters".into();
    row["heads"] = 3.into();
    let token = a.device("sisters-door").await;
    let up = scene
        .upload_as(&token, &serde_json::json!({ "signins": [row] }))
        .await;
    assert_eq!(up["stored"], serde_json::json!(["k-roll-1"]), "{up}");

    // The admin logs in; the admin home's chart is drawn (an SVG the browser laid out),
    // beside its figures.
    scene.admin_sets_a_password().await;
    let width = c
        .execute(
            "return document.querySelector('svg.chart').getBoundingClientRect().width;",
            vec![],
        )
        .await
        .unwrap();
    assert!(width.as_f64().unwrap() > 100.0, "chart width {width}");
    let beside = c
        .execute(
            "return document.querySelector('div.figures').getBoundingClientRect().left \
             >= document.querySelector('svg.chart').getBoundingClientRect().right;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(beside, true, "the figures sit beside the chart");
    let figures = text_of(c, "table.figures").await;
    assert!(figures.contains("08:00–08:15 3 3"), "{figures}");

    // Inside now: the sisters' entrance has 3.
    c.goto(&format!("{base}/admin/inside")).await.unwrap();
    assert_eq!(heading(c).await, "Inside now");
    let counts = text_of(c, "table.inside").await;
    assert!(counts.contains("sisters 3 1"), "{counts}");

    // The roll call lists her, her party of three, since when and through which kiosk.
    let roll = roll_call_text(c, base).await;
    assert!(roll.contains("sisters: 3 people"), "{roll}");
    assert!(
        roll.contains(&format!(
            "{ARABIC_NAME} {PHONE} 2027-01-15 08:00 UTC sisters-door 3"
        )),
        "{roll}"
    );
    assert!(!roll.contains("Nobody is inside."), "{roll}");

    // They leave through the same kiosk: its upload of the exit closes the stay, and the roll
    // call no longer lists her.
    let exit = serde_json::json!({"signins": [], "exits": [{
        "id": "x-roll-1", "pass_id": pass.id.to_hex(), "at": common::NOW + 1800,
        "device_id": "sisters-door", "entrance": "sisters", "closes": "k-roll-1", "kind": "scan",
    }]});
    let up = scene.upload_as(&token, &exit).await;
    assert_eq!(up["stored"], serde_json::json!(["x-roll-1"]), "{up}");
    let roll = roll_call_text(c, base).await;
    assert!(roll.contains("Nobody is inside."), "{roll}");
    assert!(!roll.contains(ARABIC_NAME), "{roll}");

    scene.stop().await;
}

/// The Arabic form's words, from the translations (what a visitor asking for Arabic reads).
fn arabic(id: &str) -> String {
    usher_i18n::text(usher_i18n::Lang::Ar, id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_asking_for_arabic_gets_the_form_right_to_left_and_the_menu_switches_it_in_chromium()
 {
    if !browser_available() {
        return;
    }
    let scene = Scene::start_with(&Options {
        languages: Some("ar,en;q=0.5"),
        ..Options::default()
    })
    .await;
    let (base, c) = (&scene.base, &scene.c);

    // Chromium sends `Accept-Language: ar,...`: the form answers in Arabic, right to left.
    c.goto(&format!("{base}/")).await.unwrap();
    let venue = scene.a.state.config.venue_name.clone();
    assert_eq!(
        heading(c).await,
        usher_i18n::text_with(
            usher_i18n::Lang::Ar,
            "web-form-heading",
            &[("venue", venue.into())]
        )
    );
    let root = c
        .execute(
            "return [document.documentElement.lang, document.documentElement.dir, \
             getComputedStyle(document.body).direction];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(root, serde_json::json!(["ar", "rtl", "rtl"]), "{root}");
    let source = c.source().await.unwrap();
    assert!(source.contains("dir=\"rtl\""), "{source}");
    let labels = text_of(c, "form[action=\"/\"]").await;
    for id in [
        "web-form-name",
        "web-form-phone",
        "web-form-email",
        "web-form-submit",
    ] {
        assert!(labels.contains(&arabic(id)), "no {id} in {labels}");
    }
    assert!(!labels.contains("Name"), "{labels}");
    // Laid out right to left as a whole: the name's label starts at the right edge of the form.
    let right = c
        .execute(
            "const f = document.querySelector('form[action=\"/\"]').getBoundingClientRect();\
             const l = document.querySelector('input[name=name]').getBoundingClientRect();\
             return Math.abs(f.right - l.right) < 2 && l.left > f.left;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(right, true, "the name field is not on the right");

    // The language menu: English, and the pick is kept (the cookie beats Accept-Language).
    let english = c
        .find(Locator::Css("nav.langs a[lang=\"en\"]"))
        .await
        .unwrap();
    click_and_leave(&english).await;
    assert!(heading(c).await.contains("get your sign-in pass"));
    c.goto(&format!("{base}/")).await.unwrap();
    assert!(heading(c).await.contains("get your sign-in pass"));
    let dir = c
        .execute("return document.documentElement.dir;", vec![])
        .await
        .unwrap();
    assert_eq!(dir, "ltr");

    // Back to Arabic from the menu, and the visitor gets an Arabic pass page.
    let back = c
        .find(Locator::Css("nav.langs a[lang=\"ar\"]"))
        .await
        .unwrap();
    click_and_leave(&back).await;
    consent_and_submit(c, &[("name", ARABIC_NAME), ("phone", PHONE)]).await;
    assert_eq!(heading(c).await, arabic("web-pass-title"));
    let save = text_of(c, "a.save").await;
    assert_eq!(save, arabic("web-pass-save"));
    scene.accepted(&pass_in_page(c).await, "door-1");

    scene.stop().await;
}

/// A small logo for the venue, written where the server looks for it.
fn venue_logo(a: &common::TestApp) {
    let logo = image::RgbImage::from_fn(240, 80, |x, _| {
        if x < 120 {
            image::Rgb([20, 90, 60])
        } else {
            image::Rgb([230, 200, 80])
        }
    });
    logo.save(a.state.config.data_dir.join(usher_server::setup::LOGO_FILE))
        .unwrap();
}

/// Whether the page is no wider than the viewport (no horizontal scroll), and the page's
/// tap targets lower than 44 CSS pixels (none should be).
async fn fits_the_phone(c: &Client) -> (serde_json::Value, serde_json::Value) {
    let fits = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .unwrap();
    let small = c
        .execute(
            "return [...document.querySelectorAll('a, button, select, summary, \
             input:not([type=hidden]):not([type=checkbox]), label.consent')]\
             .filter(e => e.getClientRects().length > 0)\
             .filter(e => e.getBoundingClientRect().height < 44)\
             .map(e => e.outerHTML.slice(0, 80) + ' ' + e.getBoundingClientRect().height);",
            vec![],
        )
        .await
        .unwrap();
    (fits, small)
}

fn assert_fits(what: &str, (fits, small): &(serde_json::Value, serde_json::Value)) {
    let (scroll, inner) = (fits[0].as_u64().unwrap(), fits[1].as_u64().unwrap());
    assert!(
        scroll <= inner,
        "{what}: document.documentElement.scrollWidth {scroll} > window.innerWidth {inner}"
    );
    assert_eq!(
        small,
        &serde_json::json!([]),
        "{what}: tap targets under 44 px"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_form_and_the_pass_fit_a_phone_screen_with_the_venues_logo_in_chromium() {
    if !browser_available() {
        return;
    }
    for (width, height, lang) in [(360, 740, "en"), (360, 740, "ar"), (320, 640, "ur")] {
        let scene = Scene::start_with(&Options {
            phone: Some((width, height)),
            ..Options::default()
        })
        .await;
        venue_logo(&scene.a);
        let (base, c) = (&scene.base, &scene.c);
        let what = format!("{width}x{height} {lang}");

        c.goto(&format!("{base}/?lang={lang}")).await.unwrap();
        heading(c).await;
        let inner = c
            .execute("return [window.innerWidth, window.innerHeight];", vec![])
            .await
            .unwrap();
        assert_eq!(inner, serde_json::json!([width, height]), "{what}");
        // The venue's logo, served by the server, drawn above the heading.
        let logo = c
            .execute(
                "const i = document.querySelector('p.logo img'); \
                 return i && i.complete ? i.naturalWidth : 0;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(logo, 240, "{what}: the logo did not load");
        assert_fits(&format!("{what} form"), &fits_the_phone(c).await);
        let shot = c.screenshot().await.unwrap();
        let img = image::load_from_memory(&shot).unwrap();
        assert_eq!((img.width(), img.height()), (width, height), "{what}");
        if width == 360 {
            docs_shot(c, &format!("server-phone-form-{lang}")).await;
        }

        consent_and_submit(c, &[("name", ARABIC_NAME), ("email", "f@example.org")]).await;
        heading(c).await;
        assert_fits(&format!("{what} pass"), &fits_the_phone(c).await);
        // The pass at the page's full width, and its "save to photos" download.
        let widths = c
            .execute(
                "const m = getComputedStyle(document.querySelector('main'));\
                 return [document.querySelector('img.pass').getBoundingClientRect().width,\
                 document.querySelector('main').clientWidth - parseFloat(m.paddingLeft) - parseFloat(m.paddingRight)];",
                vec![],
            )
            .await
            .unwrap();
        let (img_w, room) = (widths[0].as_f64().unwrap(), widths[1].as_f64().unwrap());
        assert!(
            (img_w - room).abs() < 1.0,
            "{what}: pass {img_w} px of {room}"
        );
        let save = c.find(Locator::Css("a.save")).await.unwrap();
        assert_eq!(
            save.attr("download").await.unwrap().as_deref(),
            Some("pass.png")
        );
        let href = save.attr("href").await.unwrap().unwrap();
        assert_eq!(
            href,
            pass_src(c).await,
            "{what}: the download is the pass picture"
        );
        scene.accepted(&pass_in_page(c).await, "door-1");
        if width == 360 {
            docs_shot(c, &format!("server-phone-pass-{lang}")).await;
        }
        scene.stop().await;
    }
}

/// axe-core's browser build, installed (pinned by `tests/axe/package-lock.json`) by `npm ci`
/// in `tests/axe` (`.ci/setup` does it). Missing is a failure, never a skip.
fn axe_source() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is not installed ({}: {e}): run `npm ci` in crates/usher-server/tests/axe \
             (.ci/setup does)",
            path.display()
        )
    })
}

/// The WCAG 2.1 A and AA rules of axe-core.
const WCAG_TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// axe-core's best-practice rules checked besides WCAG's: an empty table header (the kiosks
/// page had one) is not a WCAG failure to axe-core, but a screen reader announces nothing for it.
const EXTRA_RULES: [&str; 1] = ["empty-table-header"];

/// axe-core run over the page the browser shows, with `run_only` (axe's `runOnly`): its
/// violations, one line per element.
async fn axe_run(c: &Client, page: &str, run_only: serde_json::Value) -> Vec<String> {
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document, {runOnly: arguments[0], resultTypes: ['violations']})\
               .then(r => done(r.violations.flatMap(v => v.nodes.map(n =>\
                 v.id + ' (' + v.impact + '): ' + v.help + ' at ' + n.target.join(' ') + ': ' +\
                 (n.failureSummary || '').replace(/\\s+/g, ' ')))))\
               .catch(e => done(['axe-core failed: ' + e]));",
            vec![run_only],
        )
        .await
        .unwrap();
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|v| format!("{page}: {}", v.as_str().unwrap()))
        .collect()
}

/// axe-core injected into the page the browser shows, then its WCAG 2.1 A/AA rules and
/// [`EXTRA_RULES`]: every violation, one line per element.
async fn axe_violations(c: &Client, axe: &str, page: &str) -> Vec<String> {
    c.execute(&format!("{axe}\n;return typeof axe;"), vec![])
        .await
        .unwrap();
    let mut found = axe_run(
        c,
        page,
        serde_json::json!({"type": "tag", "values": WCAG_TAGS}),
    )
    .await;
    found.extend(
        axe_run(
            c,
            page,
            serde_json::json!({"type": "rule", "values": EXTRA_RULES}),
        )
        .await,
    );
    found
}

/// The pages to check: every GET route of `routes()` that a visitor or a team member opens
/// (the API and old-API routes answer JSON), with a query for the pages that show a search's
/// results; the files among them (CSV, PEM, PNG, CSS, `/healthz`) are left out by their answer's
/// type, fetched first.
fn pages_to_check() -> Vec<String> {
    usher_server::routes()
        .into_iter()
        .filter(|r| r.method == axum::http::Method::GET && !r.path.contains('{'))
        .filter(|r| {
            matches!(
                r.access,
                usher_server::Access::Public | usher_server::Access::Member(_)
            )
        })
        .map(|r| {
            let query = match r.path {
                "/admin/day" => "?date=2027-01-15",
                "/admin/find" | "/admin/trace" => "?by=name&q=%D9%81%D8%A7%D8%B7%D9%85%D8%A9+%D8%A7%D9%84%D8%B2%D9%87%D8%B1%D8%A7%D8%A1",
                _ => "",
            };
            format!("{}{query}", r.path)
        })
        .collect()
}

/// The type of the answer to `GET path` in this browser (with its cookies).
async fn content_type(c: &Client, path: &str) -> String {
    let answer = c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             fetch(arguments[0], {credentials: 'same-origin'})\
               .then(r => done(r.headers.get('content-type') || ''))\
               .catch(e => done('failed: ' + e));",
            vec![serde_json::Value::String(path.to_owned())],
        )
        .await
        .unwrap();
    answer.as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_public_and_admin_page_passes_axe_core_wcag_2_1_a_and_aa_in_english_and_arabic_in_chromium()
 {
    if !browser_available() {
        return;
    }
    let axe = axe_source();
    let scene = Scene::start().await;
    let (base, c) = (&scene.base, &scene.c);

    // Something on every page: a visitor's pass (the pass page is checked too), their sign-in
    // uploaded and inside, a kiosk enrolled.
    scene.visitor_asks_for_a_pass(Some("2")).await;
    let pass = scene.accepted(&pass_in_page(c).await, "door-1");
    let mut violations = axe_violations(c, &axe, "pass page (en)").await;
    let mut row = common::row("k-axe-1", 0, common::NOW, "door-1", ARABIC_NAME, PHONE);
    row["pass_id"] = serde_json::Value::String(pass.id.to_hex());
    scene.upload("door-1", row).await;
    scene.admin_sets_a_password().await;

    let pages = pages_to_check();
    assert!(pages.len() >= 15, "{pages:?}");
    let mut checked = Vec::new();
    for lang in ["en", "ar"] {
        // The language menu's link sets the cookie every later page reads.
        c.goto(&format!("{base}/?lang={lang}")).await.unwrap();
        heading(c).await;
        for path in &pages {
            let kind = content_type(c, path).await;
            if !kind.starts_with("text/html") {
                continue;
            }
            c.goto(&format!("{base}{path}")).await.unwrap();
            heading(c).await;
            let shown = c
                .execute("return document.documentElement.lang;", vec![])
                .await
                .unwrap();
            assert_eq!(shown, lang, "{path}");
            violations.extend(axe_violations(c, &axe, &format!("{path} ({lang})")).await);
            checked.push(format!("{path} ({lang})"));
        }
        // An error page, and the form refusing what was sent.
        c.goto(&format!("{base}/no-such-page")).await.unwrap();
        heading(c).await;
        violations.extend(axe_violations(c, &axe, &format!("404 page ({lang})")).await);
    }
    c.goto(&format!("{base}/?lang=ar")).await.unwrap();
    consent_and_submit(c, &[("name", ARABIC_NAME), ("phone", "12")]).await;
    heading(c).await;
    assert!(c.find(Locator::Css("p.error")).await.is_ok());
    violations.extend(axe_violations(c, &axe, "form refused (ar)").await);

    for must in [
        "/ (en)",
        "/admin (ar)",
        "/admin/devices (ar)",
        "/admin/login (en)",
    ] {
        assert!(
            checked.iter().any(|p| p == must),
            "{must} not checked: {checked:?}"
        );
    }
    assert!(
        violations.is_empty(),
        "axe-core {} and {} found {} violations on {} pages:\n{}",
        WCAG_TAGS.join(","),
        EXTRA_RULES.join(","),
        violations.len(),
        checked.len(),
        violations.join("\n")
    );
    scene.stop().await;
}

/// A real kiosk: its SQLite ledger file and one sync round with the server over HTTP (upload,
/// then the used feed with its revocations), then `text` judged against that ledger with
/// the organiser's key under `always` (so only a revocation can refuse it).
async fn kiosk_syncs_and_judges(
    ledger: std::path::PathBuf,
    base: &str,
    token: &str,
    key: ed25519_dalek::VerifyingKey,
    text: &str,
) -> usher_core::Verdict {
    let (base, token, text) = (base.to_owned(), token.to_owned(), text.to_owned());
    tokio::task::spawn_blocking(move || {
        use usher::ledger::SqliteLedger;
        let transport =
            usher::sync::HttpTransport::new(&base, usher_core::Secret::from(token.as_str()))
                .unwrap();
        let mut sync = usher::sync::Syncer::new(
            SqliteLedger::open(&ledger).unwrap(),
            transport,
            std::sync::Arc::new(usher::clock::SystemClock),
        );
        sync.round().unwrap();
        let mut rules = usher_testkit::public_key_rules(key, usher_core::SchemeSet::ALL, "door-1");
        rules.reuse = usher_core::ReusePolicy::Always;
        let mut ledger = SqliteLedger::open(&ledger).unwrap();
        let verdict = usher_core::judge(
            &text,
            &rules,
            usher_core::Now::utc(common::NOW),
            &mut ledger,
        )
        .unwrap();
        // and what it recorded goes up at once
        sync.round().unwrap();
        verdict
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_deletes_their_data_on_me_and_a_synced_kiosk_then_refuses_the_pass_in_chromium() {
    if !browser_available() {
        return;
    }
    let scene = Scene::start().await;
    let (a, base, c) = (&scene.a, &scene.base, &scene.c);
    scene.visitor_asks_for_a_pass(None).await;
    let text = pass_in_page(c).await;
    let key = a.state.keys.signing.verifying_key();
    let token = a.device("door-1").await;
    let kiosk = tempfile::tempdir().unwrap();
    let ledger = kiosk.path().join("ledger.db");

    // The kiosk lets her in and uploads the sign-in with the pass's `r`.
    let v = kiosk_syncs_and_judges(ledger.clone(), base, &token, key, &text).await;
    assert_eq!(v.kind(), usher_core::VerdictKind::Accepted, "{v:?}");
    let pass = v.pass().unwrap().clone();
    let r = pass.payload.registration.clone().unwrap();
    let stays = a
        .state
        .store
        .visitor_stays(Some(&r), &pass.id.0, 10)
        .await
        .unwrap();
    assert_eq!(stays.len(), 1, "uploaded");
    assert_eq!(stays[0].registration.as_deref(), Some(r.as_str()));

    // She follows the pass page's link: the pass travels in the fragment, the page's script
    // posts it, and the browser's address keeps no trace of it.
    let link = c.find(Locator::Css("a.me")).await.unwrap();
    let href = link.attr("href").await.unwrap().unwrap();
    assert!(href.starts_with("/me#usher"), "{href}");
    link.click().await.unwrap();
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("form[action=\"/me/delete\"]"))
        .await
        .unwrap();
    assert_eq!(heading(c).await, "Your data");
    let url = c.current_url().await.unwrap();
    assert_eq!((url.path(), url.fragment()), ("/me", None), "{url}");
    let main = text_of(c, "main").await;
    assert!(main.contains(ARABIC_NAME), "{main}");
    assert!(
        main.contains("••23") && !main.contains("7946"),
        "masked: {main}"
    );
    assert!(
        text_of(c, "table.visits").await.contains("main"),
        "her visit"
    );
    docs_shot(c, "server-me").await;

    // She deletes everything (the box ticked first).
    let form = c
        .find(Locator::Css("form[action=\"/me/delete\"]"))
        .await
        .unwrap();
    form.find(Locator::Css("input[name=\"confirm\"]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let button = form.find(Locator::Css("button")).await.unwrap();
    click_and_leave(&button).await;
    assert_eq!(heading(c).await, "Your data");
    let main = text_of(c, "main").await;
    assert!(main.contains("Your data was deleted"), "{main}");
    assert!(main.contains("This pass was revoked"), "{main}");

    // The kiosk syncs (the used feed brings the revocation) and refuses the pass.
    let v = kiosk_syncs_and_judges(ledger.clone(), base, &token, key, &text).await;
    assert_eq!(
        v,
        usher_core::Verdict::NotAuthorized(usher_core::verdict::Denial::Revoked)
    );
    let audit = a.state.store.audit_log(20).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert!(
        actions.contains(&"me-view") && actions.contains(&"me-delete"),
        "{actions:?}"
    );
    assert!(
        audit
            .iter()
            .all(|e| !e.detail.contains(ARABIC_NAME) && !e.detail.contains("7946"))
    );
    scene.stop().await;
}
