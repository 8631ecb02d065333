#!/usr/bin/python3
"""Packs what a remote GPU run needs into one folder (default /work/main/.devcarry): the training scripts, captions,
embeddings, an optional warm-start checkpoint, and the clip libraries as 8-bit mu-law (about 38 dB SNR, used for
training only), xz-compressed. device_run.sh unpacks them there.

The device tool carries at most 64 MiB, the repository's tracked files included. When the training library does not
fit, each class is trimmed to the same cap (longest clips shortened first, every recording kept), so the classes
with seconds of audio lose nothing and those with the most (music, speech) give up some length.

usage: pack_device.py [--dest DIR] [--init CHECKPOINT] [--limit-mib 64] [--class-cap SAMPLES]
(run 7 used --class-cap 2820442, the cap that fitted then: 63.7 of 81.2 min)
"""
import argparse
import io
import lzma
import os
import shutil
import subprocess

import numpy as np
import torch

from mixing import RATE, mulaw_encode

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MARGIN = 1.0 * 2**20  # headroom for the tool's own accounting


def carried_bytes(dest):
    """What the device tool sends: the repository's tracked files plus the carried folder."""
    names = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout.split(b"\0")
    paths = [os.path.join(REPO, n.decode()) for n in names if n] + [os.path.join(dest, f) for f in os.listdir(dest)]
    return sum(os.path.getsize(p) for p in paths if os.path.isfile(p))


def write_xz(path, arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    data = lzma.compress(buffer.getvalue(), preset=6)
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


def mulaw_library(split):
    data = dict(np.load(os.path.join(HERE, "work", f"library_{split}.npz")))
    data["audio"] = mulaw_encode(data["audio"].astype(np.float32) / 32767.0)
    return data


def water_level(values, budget):
    """Largest integer level L with sum(min(values, L)) <= budget: the values above L are cut down to it."""
    lo, hi = 0, int(values.max())
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if np.minimum(values, mid).sum() <= budget else (lo, mid - 1)
    return lo


def clip_caps(lengths, classes, cap):
    """Per-clip kept lengths so that no class holds more than `cap` samples: within a class the longest clips are
    shortened to a common length, so short recordings stay whole."""
    keep = lengths.copy()
    for c in np.unique(classes):
        ids = np.nonzero(classes == c)[0]
        if lengths[ids].sum() > cap:
            keep[ids] = np.minimum(lengths[ids], water_level(lengths[ids], cap))
    return keep


def trimmed(data, cap):
    keep = clip_caps(data["lengths"], data["classes"], cap)
    parts = [data["audio"][o:o + k] for o, k in zip(data["offsets"], keep)]
    offsets = np.concatenate([[0], np.cumsum(keep)[:-1]]).astype(data["offsets"].dtype)
    return {**data, "audio": np.concatenate(parts), "offsets": offsets, "lengths": keep.astype(data["lengths"].dtype)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dest", default=os.path.join(REPO, ".devcarry"))
    parser.add_argument("--init", default="", help="checkpoint whose EMA weights start the remote runs (stored as fp16)")
    parser.add_argument("--limit-mib", type=float, default=64.0)
    parser.add_argument("--class-cap", type=int, default=0,
                        help="per-class cap in samples; 0: the largest that fits --limit-mib (it depends on the repository's size)")
    args = parser.parse_args()
    if os.path.isdir(args.dest):
        shutil.rmtree(args.dest)
    os.makedirs(args.dest)
    for name in ("model.py", "mixing.py", "train.py", "captions.json", "device_run.sh"):
        shutil.copy(os.path.join(HERE, name), args.dest)
    with open(os.path.join(HERE, "work", "caption_embeddings.json"), "rb") as f:
        with open(os.path.join(args.dest, "caption_embeddings.json.xz"), "wb") as out:
            out.write(lzma.compress(f.read()))
    if args.init:
        state = torch.load(args.init, map_location="cpu")
        weights = state["ema"] if "ema" in state else state["model"]
        torch.save({"model": {k: v.half() for k, v in weights.items()}, "config": state.get("config", {})},
                   os.path.join(args.dest, "init.pt"))
    write_xz(os.path.join(args.dest, "library_test.npz.xz"), mulaw_library("test"))

    room = args.limit_mib * 2**20 - carried_bytes(args.dest) - MARGIN
    train = mulaw_library("train")
    path = os.path.join(args.dest, "library_train.npz.xz")
    full = len(train["audio"])
    data, cap, target = train, full, full
    if args.class_cap:
        cap = args.class_cap
        data = trimmed(train, cap)
    size = write_xz(path, data)
    if args.class_cap and size > room:
        raise SystemExit(f"--class-cap {cap} gives {size / 2**20:.1f} MiB, over the {room / 2**20:.1f} MiB left")
    totals = np.bincount(train["classes"], weights=train["lengths"])
    while size > room:
        # mu-law audio compresses at a steady ratio: aim the raw length at the room, then check the real size
        target = int(target * room / size * 0.99)
        cap = water_level(totals, target)  # largest per-class cap whose trimmed library holds `target` samples
        data = trimmed(train, cap)
        size = write_xz(path, data)
    minutes = len(data["audio"]) / RATE / 60
    print(f"training library: {minutes:.1f} of {full / RATE / 60:.1f} min "
          f"(class cap {cap} samples, {cap / RATE / 60:.2f} min), {size / 2**20:.1f} MiB")
    total = carried_bytes(args.dest)
    print(f"{args.dest}: {total / 2**20:.1f} MiB with the repository's tracked files (limit {args.limit_mib:.0f})")


if __name__ == "__main__":
    main()
