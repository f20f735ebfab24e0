//! Kiosk figures (a bench mode, not a timed test).
//!
//! `cargo run --release --example kiosk_bench -- latency [N]`: frame → verdict event latency
//! through the real pipeline core (rxing cascade, debounce, `judge` with the SQLite ledger
//! committed with `synchronous=FULL`, the event sent over a channel), for N distinct passes on
//! 1280x720 frames. Target: p99 < 50 ms.
//!
//! `cargo run --release --example kiosk_bench -- frames DIR [N]`: writes N 1280x720 frames (one
//! pass every 30th frame, textured empty scenes between) for the CPU/RSS run of the real kiosk:
//! `usher --settings S --source dir:DIR --fps 30 --windowed` (see `tools/kiosk_load.sh`).
//!
//! `cargo run --release --example kiosk_bench -- mjpeg DIR [N]`: the camera's cost per MJPEG
//! frame, for the first N `.jpg` files under DIR (e.g. the frames of `scripts/decode-bench`):
//! nokhwa's own `decode_image::<LumaFormat>` (RGB, then the mean of R, G and B) against
//! `camera::grey_of` (the JPEG's luma plane only), interleaved.

use std::sync::Arc;
use std::time::Instant;
use usher::camera::{Frame, demo};
use usher::clock::SystemClock;
use usher::ledger::SqliteLedger;
use usher::pipeline::Scanner;
use usher::venue::Venue;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("mjpeg") => mjpeg(
            std::path::Path::new(args.get(1).map_or(".", String::as_str)),
            args.get(2).and_then(|n| n.parse().ok()).unwrap_or(100),
        ),
        Some("latency") => latency(args.get(1).and_then(|n| n.parse().ok()).unwrap_or(200)),
        Some("frames") => {
            let dir = args
                .get(1)
                .ok_or_else(|| anyhow::anyhow!("frames DIR [N]"))?;
            frames(
                std::path::Path::new(dir),
                args.get(2).and_then(|n| n.parse().ok()).unwrap_or(30),
            )
        }
        _ => anyhow::bail!("usage: kiosk_bench latency [N] | frames DIR [N]"),
    }
}

fn latency(n: usize) -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    // The demo feed's rules, with the ledger on disk instead of in memory.
    let mut venue = Venue::demo()?;
    venue.ledger = SqliteLedger::open(&tmp.path().join("usher.db"))?;
    let mut scanner = Scanner::new(venue, None, Arc::new(SystemClock), 5_000);
    let now = chrono::Utc::now().timestamp();
    // Distinct passes: demo cycles give fresh nonces; the first text of each is accepted.
    let frames: Vec<_> = (0..n as u64)
        .map(|c| demo::frame_for(Some(&demo::texts(now, c + 1)[0])))
        .collect();
    let (tx, rx) = std::sync::mpsc::channel();
    let mut ms = Vec::with_capacity(n);
    let mut accepted = 0;
    for grey in frames {
        let frame = Frame {
            grey: Arc::new(grey),
            captured: Instant::now(),
        };
        for ev in scanner.frame(&frame) {
            tx.send(ev)?;
        }
        if let Ok(ev) = rx.try_recv() {
            ms.push(frame.captured.elapsed().as_secs_f64() * 1000.0);
            accepted += usize::from(ev.kind == usher_core::VerdictKind::Accepted);
        }
    }
    ms.sort_by(f64::total_cmp);
    let pct = |p: f64| ms[((ms.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "frame→verdict event, {} frames 1280x720 ({} accepted, ledger on disk, synchronous=FULL):",
        ms.len(),
        accepted
    );
    println!(
        "  p50 {:.1} ms   p90 {:.1} ms   p99 {:.1} ms   max {:.1} ms   (target p99 < 50 ms)",
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0)
    );
    Ok(())
}

fn frames(dir: &std::path::Path, n: usize) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let now = chrono::Utc::now().timestamp();
    for i in 0..n {
        let path = dir.join(format!("{i:05}.png"));
        if i % 30 == 0 {
            let text = demo::texts(now, i as u64 + 1)[0].clone();
            demo::frame_for(Some(&text)).to_gray_image().save(path)?;
        } else {
            usher_decode::bench::empty_scene(1280, 720, i as u64).save(path)?;
        }
    }
    println!("{n} frames in {}", dir.display());
    Ok(())
}

#[cfg(feature = "camera")]
fn mjpeg(dir: &std::path::Path, n: usize) -> anyhow::Result<()> {
    use nokhwa::pixel_format::LumaFormat;
    use nokhwa::utils::{FrameFormat, Resolution};
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)?.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "jpg") {
                files.push(p);
            }
        }
    }
    files.sort();
    files.truncate(n);
    anyhow::ensure!(!files.is_empty(), "no .jpg files under {}", dir.display());
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for f in &files {
        let bytes = std::fs::read(f)?;
        let size = image::ImageReader::new(std::io::Cursor::new(&bytes))
            .with_guessed_format()?
            .into_dimensions()?;
        let buf = nokhwa::Buffer::new(Resolution::new(size.0, size.1), &bytes, FrameFormat::MJPEG);
        let t0 = Instant::now();
        let old = buf.decode_image::<LumaFormat>()?;
        let t1 = Instant::now();
        let new = usher::camera::grey_of(&buf).map_err(anyhow::Error::msg)?;
        let t2 = Instant::now();
        anyhow::ensure!(
            old.dimensions() == (new.width(), new.height()),
            "sizes differ"
        );
        before.push((t1 - t0).as_secs_f64() * 1e3);
        after.push((t2 - t1).as_secs_f64() * 1e3);
    }
    let (b, a) = (
        usher_decode::bench::TimeStats::from_ms(before),
        usher_decode::bench::TimeStats::from_ms(after),
    );
    println!(
        "MJPEG {}x{} frames: {}; nokhwa RGB -> Luma median {:.2} ms (p95 {:.2}); luma plane only median {:.2} ms (p95 {:.2}); ratio {:.2}",
        1280,
        720,
        b.count,
        b.median_ms,
        b.p95_ms,
        a.median_ms,
        a.p95_ms,
        a.median_ms / b.median_ms
    );
    Ok(())
}

#[cfg(not(feature = "camera"))]
fn mjpeg(_: &std::path::Path, _: usize) -> anyhow::Result<()> {
    anyhow::bail!("mjpeg needs the camera feature")
}
