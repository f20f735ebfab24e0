//! Corpus benchmark: read rates on the QR corpus at 0/90/180/270 degrees against the upstream
//! thresholds, and decode time per 1280x720 frame with and without a code.
//!
//! `cargo run --release --example corpus -- [CORPUS_DIR] [--compare] [--only NAME]... [--frames N]`
//! CORPUS_DIR defaults to `$USHER_QR_CORPUS`, else `../shared/qr-corpus` beside the repository.
//! `--compare` runs every candidate cascade (`--only NAME` those named), not just the
//! recommended one.

use std::path::PathBuf;
use std::process::ExitCode;

use usher_decode::bench::{
    self, Rotation, Sample, ZXING_GOAL, ZXING_THRESHOLDS, ZXINGCPP_THRESHOLDS,
};
use usher_decode::cascade::candidates;
use usher_decode::{Cascade, Decoder};

const W: u32 = 1280;
const H: u32 = 720;

fn corpus_dir(arg: Option<String>) -> PathBuf {
    arg.map(PathBuf::from)
        .or_else(|| std::env::var_os("USHER_QR_CORPUS").map(PathBuf::from))
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/qr-corpus")
        })
}

fn run(name: &str, decoder: &dyn Decoder, samples: &[Sample], frames: &Frames) -> bool {
    println!("=== {name}");
    let report = bench::run_corpus(decoder, samples, &Rotation::ALL);
    let all: Vec<_> = ZXING_THRESHOLDS
        .iter()
        .chain(ZXINGCPP_THRESHOLDS)
        .copied()
        .collect();
    print!("{}", report.render(&all));
    let (_, zx) = report.sum_prefix("zxing-qrcode-");
    let (_, cpp) = report.sum_prefix("zxingcpp-qrcode-");
    let failing: Vec<String> = report
        .check(ZXING_THRESHOLDS)
        .into_iter()
        .filter(|(_, _, hits, need)| hits < need)
        .map(|(set, r, hits, need)| format!("{set}@{} {hits}<{need}", r.degrees()))
        .collect();
    let goal = zx.hits >= ZXING_GOAL;
    println!(
        "zxing sets: {}/{} (goal {ZXING_GOAL}: {}); per-set thresholds: {}",
        zx.hits,
        zx.total,
        if goal { "PASS" } else { "FAIL" },
        if failing.is_empty() {
            "all PASS".to_owned()
        } else {
            format!("FAIL {}", failing.join(", "))
        }
    );
    let cpp_failing = report
        .check(ZXINGCPP_THRESHOLDS)
        .into_iter()
        .filter(|(_, _, hits, need)| hits < need)
        .count();
    println!(
        "zxing-cpp sets: {}/{}; fast thresholds missed in {cpp_failing} of 24 cells",
        cpp.hits, cpp.total
    );
    let (with_code, read) = bench::time_frames(decoder, &frames.with_code);
    let (empty, false_reads) = bench::time_frames(decoder, &frames.empty);
    println!(
        "1280x720 with a code: {} frames, read {read} ({:.1} %), median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        with_code.count,
        100.0 * read as f64 / with_code.count.max(1) as f64,
        with_code.median_ms,
        with_code.p95_ms,
        with_code.max_ms
    );
    println!(
        "1280x720 no code:    {} frames, read {false_reads}, median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        empty.count, empty.median_ms, empty.p95_ms, empty.max_ms
    );
    println!("decoder panics so far: {}", usher_decode::panics());
    if std::env::var_os("USHER_BENCH_MISSES").is_some() {
        for (p, r) in &report.misses {
            println!("  miss {}@{}", p.display(), r.degrees());
        }
    }
    goal && failing.is_empty()
}

struct Frames {
    with_code: Vec<image::GrayImage>,
    empty: Vec<image::GrayImage>,
}

fn build_frames(samples: &[Sample], n: usize) -> Frames {
    // One frame per zxing photo (cycled), the photo scaled to 360..600 px high: a phone or a
    // sheet held 30-60 cm from a 720p camera.
    let photos: Vec<_> = samples
        .iter()
        .filter(|s| s.set.starts_with("zxing-qrcode-"))
        .filter_map(|s| bench::load_grey(&s.image).ok())
        .collect();
    let with_code = (0..n)
        .filter_map(|i| {
            let photo = photos.get(i % photos.len().max(1))?;
            let h = 360 + (i as u32 * 37) % 240;
            Some(bench::frame_with(photo, W, H, h, i as u64 + 1))
        })
        .collect();
    let empty = (0..n)
        .map(|i| bench::empty_scene(W, H, 1000 + i as u64))
        .collect();
    Frames { with_code, empty }
}

fn main() -> ExitCode {
    let mut dir = None;
    let mut compare = false;
    let mut only: Vec<String> = Vec::new();
    let mut n_frames = 200;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--compare" => compare = true,
            "--only" => {
                compare = true;
                only.extend(args.next());
            }
            "--frames" => {
                n_frames = args.next().and_then(|v| v.parse().ok()).unwrap_or(n_frames);
            }
            _ => dir = Some(a),
        }
    }
    let dir = corpus_dir(dir);
    let found = match bench::discover(&dir) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("corpus: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "corpus {}: {} images with expected text, {} without",
        dir.display(),
        found.samples.len(),
        found.skipped.len()
    );
    for s in &found.skipped {
        println!("  skipped {}: {}", s.path.display(), s.reason);
    }
    let frames = build_frames(&found.samples, n_frames);
    let ok = if compare {
        // The exit status reports the recommended cascade only (when it is run).
        let mut ok = true;
        for (name, cascade) in candidates() {
            if !only.is_empty() && !only.iter().any(|o| o == name) {
                continue;
            }
            let pass = run(name, &cascade, &found.samples, &frames);
            if name == "recommended" {
                ok = pass;
            }
        }
        ok
    } else {
        run(
            "recommended",
            &Cascade::recommended(),
            &found.samples,
            &frames,
        )
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}
