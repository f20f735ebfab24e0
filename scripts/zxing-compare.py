#!/usr/bin/env python3
"""Reads the kiosk benchmark's frames with zxing-cpp and prints Usher and zxing-cpp side by side.

usage: zxing-compare.py DIR [--usher USHER.tsv] [--passes N] [--repeat N] [--per-frame] [--cost COST.tsv]

DIR holds the frames and manifest.tsv written by
`cargo run --release -p usher-decode --example kiosk -- generate DIR`; USHER.tsv is the output of
`... --example kiosk -- scan DIR`. zxing-cpp (pinned in scripts/zxing-requirements.txt) reads
each frame with its default options (try harder, rotate, invert, downscale), QR codes only; the
frame is loaded with Pillow as grey (`draft("L")`: libjpeg decodes the luma plane only). Both
sides time the whole folder, loading included, one thread (thread CPU time, and wall time), the
pass with the least CPU time of --passes passes; per-frame decode times are the least wall time
of the timed pass and --repeat more decodes of the frame. COST.tsv (`file`, instructions) holds
callgrind's count of the instructions each frame's decode took (`COST=1 scripts/decode-bench`):
printed as a distribution and as milliseconds at the instructions per millisecond this run
measured (the median over frames of instructions / least wall time).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import zxingcpp
from PIL import Image


def read_manifest(folder):
    rows = []
    lines = (folder / "manifest.tsv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        file, condition, params, expected = line.split("\t")
        rows.append((file, condition, params, expected or None))
    return rows


def load(path):
    img = Image.open(path)
    img.draft("L", img.size)
    return img.convert("L")


def zxing_run(folder, rows, passes, repeat):
    best = None
    for _ in range(max(1, passes)):
        results, decode_ms = [], []
        start, start_cpu = time.perf_counter(), time.thread_time()
        for file, *_ in rows:
            img = load(folder / file)
            t = time.perf_counter()
            found = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)
            decode_ms.append((time.perf_counter() - t) * 1e3)
            results.append([r.text for r in found if r.valid])
        total = ((time.perf_counter() - start) * 1e3, (time.thread_time() - start_cpu) * 1e3)
        if best is None or total[1] < best[0][1]:
            best = (total, results, decode_ms)
    # Per-frame decode cost: the least wall time of the timed pass and `repeat` more decodes.
    for i, (file, *_) in enumerate(rows):
        img = load(folder / file)
        for _ in range(repeat):
            t = time.perf_counter()
            zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)
            best[2][i] = min(best[2][i], (time.perf_counter() - t) * 1e3)
    return best


def usher_read(path):
    results, decode_ms, total = {}, {}, None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if parts[0] == "#total_ms":
            total = (float(parts[1]), float(parts[2]))
            continue
        file, _load, wall, _cpu, texts = parts
        results[file] = [bytes.fromhex(t).decode("utf-8", "replace") for t in texts.split(",") if t]
        decode_ms[file] = float(wall)
    return total, results, decode_ms


def pct(ms, q):
    ms = sorted(ms)
    return ms[max(0, min(len(ms) - 1, int(round(q * len(ms) + 0.5)) - 1))] if ms else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--usher")
    ap.add_argument("--passes", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=0)
    ap.add_argument("--per-frame", action="store_true")
    ap.add_argument("--cost")
    args = ap.parse_args()
    folder = Path(args.dir)
    rows = read_manifest(folder)
    z_total, z_results, z_ms = zxing_run(folder, rows, args.passes, args.repeat)
    u_total, u_results, u_ms = usher_read(args.usher) if args.usher else (None, {}, {})

    def score(expected, found):
        if expected is None:
            return (0, 1 if found else 0)
        hit = expected in found
        return (1 if hit else 0, 0 if hit or not found else 1)

    conditions = {}
    for (file, cond, params, expected), z in zip(rows, z_results):
        u = u_results.get(file, [])
        zs, us = score(expected, z), score(expected, u)
        c = conditions.setdefault(cond, {"n": 0, "u": 0, "z": 0, "um": 0, "zm": 0})
        c["n"] += 1
        c["u"] += us[0]
        c["z"] += zs[0]
        c["um"] += us[1]
        c["zm"] += zs[1]
        if args.per_frame:
            print(f"{file}\tusher={'hit' if us[0] else ('MISREAD' if us[1] else '-')}"
                  f"\tzxing={'hit' if zs[0] else ('MISREAD' if zs[1] else '-')}\t{params}")

    print(f"{'condition':<10} {'frames':>6} {'usher':>7} {'zxing-cpp':>9} {'usher misreads':>15} {'zxing misreads':>15}")
    tot = {"n": 0, "u": 0, "z": 0, "um": 0, "zm": 0}
    behind = []
    for cond, c in conditions.items():
        empty = cond == "empty"
        u = "-" if empty else f"{c['u']}"
        z = "-" if empty else f"{c['z']}"
        print(f"{cond:<10} {c['n']:>6} {u:>7} {z:>9} {c['um']:>15} {c['zm']:>15}")
        for k in tot:
            tot[k] += c[k]
        if not empty and c["u"] < c["z"]:
            behind.append(f"{cond} {c['u']}<{c['z']}")
    coded = tot["n"] - conditions.get("empty", {"n": 0})["n"]
    print(f"read: usher {tot['u']}/{coded} ({100 * tot['u'] / max(coded, 1):.1f} %), "
          f"zxing-cpp {tot['z']}/{coded} ({100 * tot['z'] / max(coded, 1):.1f} %); "
          f"misreads: usher {tot['um']} (empty frames {conditions.get('empty', {}).get('um', 0)}), "
          f"zxing-cpp {tot['zm']} (empty frames {conditions.get('empty', {}).get('zm', 0)})")
    print("conditions where usher reads fewer than zxing-cpp: " + (", ".join(behind) or "none"))
    print("decode per frame (ms, least wall time of 1 + --repeat decodes):")
    if u_ms:
        d = list(u_ms.values())
        print(f"usher decode per frame: median {statistics.median(d):.2f} ms, p95 {pct(d, 0.95):.2f} ms, "
              f"p99 {pct(d, 0.99):.2f} ms, max {max(d):.2f} ms")
    print(f"zxing-cpp decode per frame: median {statistics.median(z_ms):.2f} ms, "
          f"p95 {pct(z_ms, 0.95):.2f} ms, p99 {pct(z_ms, 0.99):.2f} ms, max {max(z_ms):.2f} ms")
    if args.cost and u_ms:
        ir = {}
        for line in Path(args.cost).read_text(encoding="utf-8").splitlines():
            file, n = line.split("\t")
            ir[file] = int(n)
        counts = list(ir.values())
        rate = statistics.median(ir[f] / u_ms[f] for f in ir if u_ms.get(f, 0) > 0)
        print(f"usher decode per frame, instructions (callgrind, independent of load): median "
              f"{statistics.median(counts) / 1e6:.1f} M, p95 {pct(counts, 0.95) / 1e6:.1f} M, "
              f"p99 {pct(counts, 0.99) / 1e6:.1f} M, max {max(counts) / 1e6:.1f} M")
        print(f"  at this run's {rate / 1e6:.1f} M instructions per ms: median "
              f"{statistics.median(counts) / rate:.2f} ms, p95 {pct(counts, 0.95) / rate:.2f} ms, "
              f"p99 {pct(counts, 0.99) / rate:.2f} ms, max {max(counts) / rate:.2f} ms")
    if u_total is not None:
        print(f"whole folder, loading included: CPU usher {u_total[1]:.0f} ms, zxing-cpp {z_total[1]:.0f} ms, "
              f"ratio usher/zxing-cpp {u_total[1] / z_total[1]:.2f}; wall usher {u_total[0]:.0f} ms, "
              f"zxing-cpp {z_total[0]:.0f} ms, ratio {u_total[0] / z_total[0]:.2f}")
    else:
        print(f"whole folder, loading included: zxing-cpp CPU {z_total[1]:.0f} ms, wall {z_total[0]:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
