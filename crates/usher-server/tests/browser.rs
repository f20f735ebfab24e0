//! A headless Chromium (Debian's `chromium`) loads the visitor form and the admin login page
//! from the server on 127.0.0.1 and renders them (DOM and a screenshot). Skipped, with a
//! SKIPPED line, when `chromium` is not installed. Posting forms from the browser is not covered
//! here (no DevTools client); the router tests cover the POSTs.
#![allow(clippy::unwrap_used)]

mod common;

use std::process::Command;

const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=800,1000",
];

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

#[tokio::test]
async fn chromium_renders_the_form_and_the_login_page() {
    let Some(bin) = chromium() else {
        println!("SKIPPED: chromium (apt-get install chromium)");
        return;
    };
    let b = common::sqlite().await;
    let a = common::app(&b);
    let served = common::Served::start(a.router()).await;
    let addr = served.addr;
    let run = |args: Vec<String>| {
        let profile = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(bin);
        cmd.args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(args);
        tokio::task::spawn_blocking(move || {
            let out = cmd.output().unwrap();
            drop(profile);
            out
        })
    };
    let dom = run(vec!["--dump-dom".into(), format!("http://{addr}/")])
        .await
        .unwrap();
    let html = String::from_utf8_lossy(&dom.stdout);
    assert!(html.contains("name=\"consent\""), "form DOM: {html}");
    assert!(html.contains("name=\"csrf\""));
    let shot = b.dir.path().join("login.png");
    let out = run(vec![
        format!("--screenshot={}", shot.display()),
        format!("http://{addr}/admin/login"),
    ])
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let img = image::load_from_memory(&png).unwrap().to_rgb8();
    // the page drew something: not a single colour
    let first = *img.get_pixel(0, 0);
    assert!(img.pixels().any(|p| *p != first), "blank screenshot");
    served.stop().await;
}
