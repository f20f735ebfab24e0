//! End-to-end tests of `usher scan`: pass images judged without a window, and the decoder's
//! rate on the shared QR corpus (`--bench`) against the upstream thresholds.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;
use support::usher;

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn corpus() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/qr-corpus");
    assert!(
        path.is_dir(),
        "the QR corpus is missing at {}",
        path.display()
    );
    path
}

#[test]
fn scan_judges_pass_images_and_reports_images_without_a_code() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    assert!(usher(d, &["keygen", "--out", "k.pem"]).status.success());
    std::fs::write(
        d.join("settings.xml"),
        "<settings><deviceId>door-1</deviceId><publicKeyFile>k.pem.pub</publicKeyFile></settings>",
    )
    .expect("settings");
    std::fs::create_dir(d.join("imgs")).expect("mkdir");
    let o = usher(
        d,
        &[
            "issue",
            "--key-file",
            "k.pem",
            "--valid-for",
            "1d",
            "--png",
            "imgs/a.png",
        ],
    );
    assert!(o.status.success(), "{:?}", text(&o));
    image::GrayImage::from_pixel(64, 64, image::Luma([200]))
        .save(d.join("imgs/blank.png"))
        .expect("blank");

    let o = usher(d, &["scan", "--settings", "settings.xml", "imgs"]);
    let (out, err) = text(&o);
    let lines: Vec<_> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}{err}");
    assert!(lines[0].starts_with("imgs/a.png\tqr_accepted\t"), "{out}");
    assert_eq!(lines[1], "imgs/blank.png\tno_code");
    assert_eq!(o.status.code(), Some(1), "not every image was accepted");

    let o = usher(d, &["scan", "--settings", "settings.xml", "imgs/a.png"]);
    assert!(
        text(&o).0.starts_with("imgs/a.png\tqr_used\t"),
        "{:?}",
        text(&o)
    );
    let o = usher(d, &["scan", "--settings", "settings.xml", "imgs/none.png"]);
    assert_eq!(text(&o).1.lines().count(), 1, "{:?}", text(&o));
    assert!(!o.status.success());
}

#[test]
fn bench_meets_every_upstream_threshold_on_the_corpus() {
    let corpus = corpus();
    let o = usher(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["scan", "--bench", corpus.to_str().expect("utf8")],
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}{err}");
    assert!(out.contains("thresholds: 48 of 48 met"), "{out}");
    let zxing = out
        .lines()
        .find(|l| l.starts_with("zxing sets:"))
        .expect("zxing line");
    let hits: u32 = zxing
        .split_whitespace()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .expect("number");
    assert!(hits >= 665, "{zxing}");
}
