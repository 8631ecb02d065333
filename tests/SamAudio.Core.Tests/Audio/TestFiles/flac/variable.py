#!/usr/bin/env python3
"""Writes a small valid FLAC stream with a VARIABLE block size, which the reference encoder cannot make.

usage: variable.py OUT BITS CHANNELS [--wrong-md5]
Frames use CONSTANT, VERBATIM and FIXED (order 2, Rice residual, 4-bit and 5-bit parameters, one escaped
partition) subframes; stereo frames alternate independent, left/side, side/right and mid/side coding. Written
from RFC 9639; `flac -t OUT` must pass. With --wrong-md5 the STREAMINFO MD5 is that of other audio.
"""
import hashlib
import math
import sys


class Bits:
    def __init__(self):
        self.value, self.count = 0, 0

    def put(self, n, v):
        self.value = (self.value << n) | (v & ((1 << n) - 1))
        self.count += n

    def align(self):
        self.put((8 - self.count % 8) % 8, 0)

    def bytes(self):
        assert self.count % 8 == 0
        return self.value.to_bytes(self.count // 8, "big")


def crc(data, poly, width):
    c, top, mask = 0, 1 << (width - 1), (1 << width) - 1
    for b in data:
        c ^= b << (width - 8)
        for _ in range(8):
            c = ((c << 1) ^ poly) & mask if c & top else (c << 1) & mask
    return c


def coded(n):
    if n < 0x80:
        return bytes([n])
    for extra in range(1, 7):
        if n < 1 << (6 - extra + 6 * extra):
            out = [0x80 | (n >> (6 * k) & 0x3F) for k in range(extra)][::-1]
            return bytes([((0xFF << (7 - extra)) & 0xFF) | (n >> (6 * extra))] + out)
    raise ValueError(n)


def rice(w, samples, method, block, order):
    pbits = 4 if method == 0 else 5
    w.put(2, method)
    split = block % 2 == 0  # partition order 1 (two partitions) where the block size allows it
    w.put(4, 1 if split else 0)
    half = block // 2 - order if split else len(samples)
    for p, part in enumerate((samples[:half], samples[half:]) if split else (samples,)):
        if p == 1 and method == 1:  # an escaped partition: plain signed numbers
            width = max(1, max(abs(x) for x in part).bit_length() + 1) if part else 1
            w.put(pbits, (1 << pbits) - 1)
            w.put(5, width)
            for x in part:
                w.put(width, x)
            continue
        u = [(x << 1) ^ (x >> 63) for x in part]
        k = max(0, min((1 << pbits) - 2, (sum(u) // max(1, len(u))).bit_length()))
        w.put(pbits, k)
        for v in u:
            q = v >> k
            w.put(q + 1, 1)
            w.put(k, v)


def subframe(w, x, bits, kind, method):
    w.put(1, 0)
    if kind == "constant":
        w.put(6, 0); w.put(1, 0); w.put(bits, x[0])
    elif kind == "verbatim":
        w.put(6, 1); w.put(1, 0)
        for v in x:
            w.put(bits, v)
    else:
        w.put(6, 8 + 2); w.put(1, 0)
        w.put(bits, x[0]); w.put(bits, x[1])
        rice(w, [x[i] - 2 * x[i - 1] + x[i - 2] for i in range(2, len(x))], method, len(x), 2)


def main():
    out, bits, channels = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    wrong = "--wrong-md5" in sys.argv
    rate = 16000
    sizes = [1000, 592, 408, 16, 1200, 333, 900, 1500, 777, 1000]  # a 16-sample CONSTANT frame at 2000
    total = sum(sizes)
    full = (1 << (bits - 1)) - 1
    signal = [[int(full * 0.7 * math.sin(2 * math.pi * (300 + 170 * c) * i / rate)) + (i * 7 + c) % 5 - 2
               for i in range(total)] for c in range(channels)]
    for i in range(2000, 2016):  # a constant stretch, for a CONSTANT subframe
        for c in range(channels):
            signal[c][i] = 5 - c
    width = (bits + 7) // 8
    pcm = bytearray()
    for i in range(total):
        for c in range(channels):
            pcm += (signal[c][i] & ((1 << (8 * width)) - 1)).to_bytes(width, "little")
    md5 = hashlib.md5(pcm + (b"x" if wrong else b"")).digest()

    frames = bytearray()
    start = 0
    for n, size in enumerate(sizes):
        block = [ch[start:start + size] for ch in signal]
        assignment = channels - 1
        coded_channels = block
        if channels == 2 and n % 4:
            left, right = block
            side = [a - b for a, b in zip(left, right)]
            assignment = 7 + n % 4
            coded_channels = {8: [left, side], 9: [side, right],
                              10: [[(a + b) >> 1 for a, b in zip(left, right)], side]}[assignment]
        h = Bits()
        h.put(15, 0x7FFC); h.put(1, 1)  # sync, variable block size
        h.put(4, 7); h.put(4, 0); h.put(4, assignment); h.put(3, 0); h.put(1, 0)
        head = h.bytes() + coded(start) + (size - 1).to_bytes(2, "big")
        head += bytes([crc(head, 0x07, 8)])
        w = Bits()
        for c, x in enumerate(coded_channels):
            side = (assignment == 8 and c == 1) or (assignment == 9 and c == 0) or (assignment == 10 and c == 1)
            kind = "constant" if start == 2000 else "verbatim" if n % 5 == 0 else "fixed"
            subframe(w, x, bits + side, kind, n % 2)
        w.align()
        frame = head + w.bytes()
        frames += frame + crc(frame, 0x8005, 16).to_bytes(2, "big")
        start += size

    info = Bits()
    info.put(16, 16); info.put(16, 4096); info.put(24, 0); info.put(24, 0)
    info.put(20, rate); info.put(3, channels - 1); info.put(5, bits - 1); info.put(36, total)
    body = info.bytes() + md5
    with open(out, "wb") as f:
        f.write(b"fLaC" + bytes([0x80, 0, 0, len(body)]) + body + frames)


main()
