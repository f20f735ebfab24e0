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
