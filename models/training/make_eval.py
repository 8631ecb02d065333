#!/usr/bin/python3
"""Fixed held-out evaluation set, built once from the test split (held-out recordings, no augmentation).

Writes work/eval/: mix_NNN.wav, ref_NNN.wav, silence.wav, eval-seen.json, eval-heldout-captions.json, eval-absent.json
(items {mixture, prompt, reference, class}; paths relative to the eval file; input of `samaudio eval`).
validate.py scores a checkpoint on these files in python.
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
SECONDS = 10.0  # one full product window: no zero-padding inside the pipeline
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
    print(f"{len(seen)} seen / {len(heldout)} held-out caption items, {len(absent)} absent items -> {OUT}")


if __name__ == "__main__":
    main()
