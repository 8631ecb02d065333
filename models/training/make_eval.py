#!/usr/bin/python3
"""Fixed held-out evaluation set, built once from the test split (held-out recordings, no augmentation).

Writes work/eval/: mix_NNN.wav, ref_NNN.wav, silence.wav, eval-seen.json, eval-heldout-captions.json, eval-absent.json
(items {mixture, prompt, reference, class}; paths relative to the eval file; input of `samaudio eval`), and
work/eval/val.npz (the same mixtures as arrays, for validation inside train.py).
"""
import json
import os

import numpy as np
import soundfile as sf
import torch

from classes import CLASSES, heldout_captions, train_captions
from mixing import Library, make_batch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "work", "eval")
SECONDS = 8.0
PER_CLASS = 2


def main():
    torch.manual_seed(0)
    os.makedirs(OUT, exist_ok=True)
    groups = {n: CLASSES[n][0] for n in CLASSES}
    lib = Library(os.path.join(HERE, "work", "library_test.npz"), groups, "cpu")
    rng = np.random.default_rng(20261127)
    targets = np.repeat(lib.present, PER_CLASS)
    mixture, target, _, _, members = make_batch(lib, rng, len(targets), seconds=SECONDS, augment=False, absent=0.0, targets=targets)
    mixture, target = mixture.numpy(), target.numpy()
    seen, heldout, absent = [], [], []
    sf.write(os.path.join(OUT, "silence.wav"), np.zeros(mixture.shape[1], dtype=np.float32), 16000, subtype="PCM_16")
    absent_classes = []
    for i, c in enumerate(targets):
        name = lib.names[c]
        mix, ref = f"mix_{i:03d}.wav", f"ref_{i:03d}.wav"
        sf.write(os.path.join(OUT, mix), mixture[i], 16000, subtype="PCM_16")
        sf.write(os.path.join(OUT, ref), target[i], 16000, subtype="PCM_16")
        k = i % PER_CLASS
        seen.append({"mixture": mix, "prompt": train_captions(name)[k], "reference": ref, "class": name})
        heldout.append({"mixture": mix, "prompt": heldout_captions(name)[k], "reference": ref, "class": name})
        if k == 0:
            outside = [n for n in CLASSES if lib.names.index(n) not in members[i]]
            other = outside[rng.integers(len(outside))]
            absent_classes.append(other)
            absent.append({"mixture": mix, "prompt": train_captions(other)[0], "reference": "silence.wav", "class": other})
    for file, items in (("eval-seen.json", seen), ("eval-heldout-captions.json", heldout), ("eval-absent.json", absent)):
        with open(os.path.join(OUT, file), "w") as f:
            json.dump({"schema": "samaudio.eval/v1", "sampleRate": 16000, "items": items}, f, indent=1)
    # arrays for train.py: mixtures are re-read from the WAVs so python scores exactly what the CLI reads
    mixes = np.stack([sf.read(os.path.join(OUT, it["mixture"]), dtype="float32")[0] for it in seen])
    refs = np.stack([sf.read(os.path.join(OUT, it["reference"]), dtype="float32")[0] for it in seen])
    absent_index = np.array([i for i in range(len(targets)) if i % PER_CLASS == 0])
    np.savez(os.path.join(OUT, "val.npz"), mixture=mixes, reference=refs,
             seen=np.array([it["prompt"] for it in seen]), heldout=np.array([it["prompt"] for it in heldout]),
             classes=np.array([it["class"] for it in seen]), absent_index=absent_index,
             absent=np.array([it["prompt"] for it in absent]))
    print(f"{len(seen)} seen / {len(heldout)} held-out caption items, {len(absent)} absent items -> {OUT}")


if __name__ == "__main__":
    main()
