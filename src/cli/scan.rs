//! `usher scan`: decode image files without a window, then judge them as the kiosk would;
//! with `--bench`, score the decoder against the expected text beside each image instead.

use anyhow::{Context, bail};
use std::io::Write;
use std::path::{Path, PathBuf};
use usher_decode::bench::{
    self, Rotation, Sample, ZXING_GOAL, ZXING_THRESHOLDS, ZXINGCPP_THRESHOLDS, discover, run_corpus,
};
use usher_decode::{Cascade, Decoder, GreyFrame};

use usher_core::{Now, VerdictKind};

use crate::venue::{Venue, describe};

/// The image files named by `paths`: files as given, folders searched recursively, sorted.
pub fn images_in(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut stack = vec![path.clone()];
            while let Some(dir) = stack.pop() {
                for entry in std::fs::read_dir(&dir)
                    .with_context(|| format!("cannot list {}", dir.display()))?
                {
                    let p = entry
                        .with_context(|| format!("cannot list {}", dir.display()))?
                        .path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if bench::is_image(&p) {
                        found.push(p);
                    }
                }
            }
        } else if path.exists() {
            found.push(path.clone());
        } else {
            bail!("{} does not exist", path.display());
        }
    }
    found.sort();
    Ok(found)
}

/// Decodes each image and judges its first code at `venue`, recording it: one line per image,
/// path then verdict (or `no_code`). `Ok(true)` when every image was accepted.
///
/// File names are shown cleaned (`usher_core::display`): a name holding a tab, a line break or
/// a bidi override cannot forge or reorder a line of the output.
pub fn scan(
    venue: &mut Venue,
    now: Now,
    paths: &[PathBuf],
    out: &mut dyn Write,
) -> anyhow::Result<bool> {
    let decoder = Cascade::recommended();
    let mut all_accepted = true;
    for image in images_in(paths)? {
        let texts = match GreyFrame::open(&image) {
            Ok(frame) => decoder.decode(&frame),
            Err(e) => {
                all_accepted = false;
                writeln!(
                    out,
                    "{}\tno_code\tcannot read the image: {}",
                    shown(image.display()),
                    shown(e)
                )?;
                continue;
            }
        };
        match texts.first() {
            None => {
                all_accepted = false;
                writeln!(out, "{}\tno_code", shown(image.display()))?;
            }
            Some(text) => {
                let verdict = venue.judge(text, now)?;
                all_accepted &= verdict.kind() == VerdictKind::Accepted;
                writeln!(
                    out,
                    "{}\t{}\t{}",
                    shown(image.display()),
                    verdict.name(),
                    describe(&verdict)
                )?;
            }
        }
    }
    Ok(all_accepted)
}

/// The samples (image + expected text) under `paths`.
fn samples_in(paths: &[PathBuf]) -> anyhow::Result<(Vec<Sample>, usize)> {
    let mut samples = Vec::new();
    let mut skipped = 0;
    for path in paths {
        if path.is_dir() {
            let found = discover(path).with_context(|| format!("searching {}", path.display()))?;
            skipped += found.skipped.len();
            // Images directly in the folder given belong to the set named by that folder.
            let own_set = path.canonicalize().map_or_else(
                |_| parent_name(&path.join("x")),
                |p| parent_name(&p.join("x")),
            );
            samples.extend(found.samples.into_iter().map(|mut s| {
                if s.set == "." {
                    s.set.clone_from(&own_set);
                }
                s
            }));
        } else {
            let expected = bench::expected_file_for(path)
                .and_then(|f| std::fs::read_to_string(f).ok())
                .with_context(|| {
                    format!("no expected text beside {} (NAME.txt)", path.display())
                })?;
            let set = parent_name(path);
            samples.push(Sample {
                set,
                image: path.clone(),
                expected: vec![expected],
            });
        }
    }
    Ok((samples, skipped))
}

fn parent_name(path: &Path) -> String {
    path.parent()
        .and_then(Path::file_name)
        .map_or_else(|| ".".into(), |n| n.to_string_lossy().into_owned())
}

/// `usher scan --bench`: decode rate per set and rotation, and time per image.
/// `Ok(true)` when every upstream threshold of the sets present is met.
pub fn bench(
    paths: &[PathBuf],
    rotations: &[Rotation],
    out: &mut dyn Write,
) -> anyhow::Result<bool> {
    let (samples, skipped) = samples_in(paths)?;
    if samples.is_empty() {
        bail!("no images with an expected text (NAME.txt beside NAME.png) found");
    }
    let decoder = Cascade::recommended();
    let report = run_corpus(&decoder, &samples, rotations);
    let thresholds: Vec<_> = ZXING_THRESHOLDS
        .iter()
        .chain(ZXINGCPP_THRESHOLDS)
        .copied()
        .collect();
    write!(out, "{}", report.render(&thresholds))?;
    let o = report.overall;
    writeln!(
        out,
        "decoded {} of {} cases ({:.1} %), {} misreads, {} images skipped; per image: median {:.2} ms, p95 {:.2} ms",
        o.hits,
        o.total,
        100.0 * f64::from(o.hits) / f64::from(o.total.max(1)),
        o.misreads,
        skipped + report.skipped.len(),
        report.time.median_ms,
        report.time.p95_ms
    )?;
    let checks: Vec<_> = report
        .check(&thresholds)
        .into_iter()
        .filter(|(set, ..)| report.cells.contains_key(set))
        .collect();
    let failed: Vec<_> = checks
        .iter()
        .filter(|(_, _, hits, need)| hits < need)
        .collect();
    for (set, rotation, hits, need) in &failed {
        writeln!(
            out,
            "below threshold: {set} at {} degrees: {hits} < {need}",
            rotation.degrees()
        )?;
    }
    let (_, zxing) = report.sum_prefix("zxing-qrcode-");
    if zxing.total > 0 {
        writeln!(
            out,
            "zxing sets: {} of {} (goal {ZXING_GOAL})",
            zxing.hits, zxing.total
        )?;
    }
    let goal_met = zxing.total == 0 || zxing.total < 716 || zxing.hits >= ZXING_GOAL;
    writeln!(
        out,
        "thresholds: {} of {} met",
        checks.len() - failed.len(),
        checks.len()
    )?;
    Ok(failed.is_empty() && goal_met)
}

/// Parses one rotation in degrees: 0, 90, 180 or 270.
pub fn parse_rotation(d: &str) -> Result<Rotation, String> {
    Rotation::ALL
        .into_iter()
        .find(|r| r.degrees().to_string() == d.trim())
        .ok_or_else(|| format!("{d:?} is not 0, 90, 180 or 270"))
}

/// One cell of `scan`'s output, cleaned of control and bidi characters.
fn shown(x: impl std::fmt::Display) -> String {
    usher_core::display::clean(&x.to_string()).into_owned()
}
