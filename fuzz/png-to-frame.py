#!/usr/bin/env python3
"""Turns an 8-bit grey PNG (as `usher issue --png` writes) into a decode_frame seed: the
width as two little-endian bytes, then the pixels row by row, scaled down by an integer
factor (nearest neighbour) so that seeds stay small. Usage: png-to-frame.py IN.png OUT FACTOR"""
import struct
import sys
import zlib

src, out, factor = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(src, "rb").read()
pos, idat = 8, b""
while pos < len(data):
    (n,) = struct.unpack(">I", data[pos : pos + 4])
    kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]
    pos += 12 + n
    if kind == b"IHDR":
        w, h, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        assert (depth, colour, interlace) == (8, 0, 0), "8-bit grey, not interlaced"
    elif kind == b"IDAT":
        idat += body
raw = zlib.decompress(idat)
rows, prev = [], bytearray(w)
for y in range(h):
    f, line = raw[y * (w + 1)], bytearray(raw[y * (w + 1) + 1 : (y + 1) * (w + 1)])
    for x in range(w):
        a = line[x - 1] if x else 0
        b, c = prev[x], (prev[x - 1] if x else 0)
        if f == 1:
            line[x] = (line[x] + a) & 255
        elif f == 2:
            line[x] = (line[x] + b) & 255
        elif f == 3:
            line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line)
    prev = line
sw = w // factor
frame = bytearray(struct.pack("<H", sw - 1))
for y in range(0, h - factor + 1, factor):
    frame += bytes(rows[y][x * factor] for x in range(sw))
open(out, "wb").write(frame)
print(out, sw, "x", h // factor, len(frame), "bytes")
