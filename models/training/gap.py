#!/usr/bin/python3
"""Memorisation check: a checkpoint's SI-SDRi on 4 s mixtures of its training clips against the same on held-out
recordings (the same mixing code, seed 424242 and first caption of each class as train.py's internal validation).

usage: gap.py CHECKPOINT
A wide gap (pack 3.0.0: 9.4 dB on training clips, 2.6 dB on held-out recordings) means the network memorises clips;
more steps of the same data then stop helping. Only each class's first training and first held-out caption are used,
and those are the same in every pack, so figures compare across packs.
"""
import json
import os
import sys

import torch

from export import load
from mixing import Library
from train import Captions, captions_path, evaluate

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, "work")


def main():
    torch.set_num_threads(2)
    model, state = load(sys.argv[1])
    caps = json.load(open(captions_path(WORK)))
    groups = {n: caps[n]["group"] for n in caps}
    libraries = {split: Library(os.path.join(WORK, f"library_{split}.npz"), groups, "cpu") for split in ("train", "test")}
    captions = Captions(WORK, libraries["train"].names)  # both splits list the same class names, as train.py assumes
    for split, lib in libraries.items():
        metrics = evaluate(model, lib, captions, "cpu")
        print(f"{split:5s} clips: SI-SDRi seen captions {metrics['seen']:.2f} dB, held-out captions {metrics['heldout']:.2f} dB, "
              f"absent {metrics['absent']:.1f} dB (step {state.get('step')})", flush=True)


if __name__ == "__main__":
    main()
