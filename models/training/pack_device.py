#!/usr/bin/python3
"""Packs what a remote GPU run needs into one folder (default /work/main/.devcarry): the training scripts, the clip
libraries as 8-bit mu-law (half the size of int16; about 38 dB SNR, used for training only), captions and embeddings."""
import os
import shutil
import sys

import numpy as np

from mixing import mulaw_encode

HERE = os.path.dirname(os.path.abspath(__file__))
dest = sys.argv[1] if len(sys.argv) > 1 else "/work/main/.devcarry"
os.makedirs(dest, exist_ok=True)
for name in ("model.py", "mixing.py", "train.py", "captions.json", "device_run.sh"):
    shutil.copy(os.path.join(HERE, name), dest)
shutil.copy(os.path.join(HERE, "work", "caption_embeddings.json"), dest)
for split in ("train", "test"):
    data = dict(np.load(os.path.join(HERE, "work", f"library_{split}.npz")))
    data["audio"] = mulaw_encode(data["audio"].astype(np.float32) / 32767.0)
    np.savez(os.path.join(dest, f"library_{split}.npz"), **data)
total = sum(os.path.getsize(os.path.join(dest, f)) for f in os.listdir(dest))
print(f"{dest}: {total / 2**20:.1f} MiB")
