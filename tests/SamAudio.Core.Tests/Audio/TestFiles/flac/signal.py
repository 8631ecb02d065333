#!/usr/bin/env python3
"""Writes a deterministic test signal as raw little-endian signed PCM to stdout.

usage: signal.py CHANNELS BITS RATE SECONDS [ZERO_LOW_BITS]
Each channel is a different sine (so stereo decorrelation has work to do) plus a little deterministic noise in
the low bits (so 24-bit files carry real 24-bit detail). ZERO_LOW_BITS clears that many low bits of every sample,
which the encoder then codes as wasted bits.
"""
import math
import sys

channels, bits, rate, seconds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
zero_low_bits = int(sys.argv[5]) if len(sys.argv) > 5 else 0
frames = int(rate * seconds)
width = (bits + 7) // 8
full = (1 << (bits - 1)) - 1
state = 12345
out = bytearray()
for i in range(frames):
    for c in range(channels):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        noise = (state >> 8) % 64 - 32 if bits > 16 else (state >> 8) % 5 - 2
        value = int(full * 0.6 * math.sin(2 * math.pi * (220 * (c + 1) + 30 * c) * i / rate)
                    * (0.5 + 0.5 * math.cos(2 * math.pi * 3 * i / rate))) + noise
        value = max(-full - 1, min(full, value)) >> zero_low_bits << zero_low_bits
        out += (value & ((1 << (8 * width)) - 1)).to_bytes(width, "little")
sys.stdout.buffer.write(out)
