#!/usr/bin/python3
"""Python-side validation of a checkpoint on the held-out eval set in work/eval (made by make_eval.py).

Same math as the product (STFT -> separator -> mask * STFT -> iSTFT, one window per 8 s item). Prints mean and
median SI-SDRi for seen and held-out captions, per class, and the absent-prompt target energy relative to the
mixture; writes the numbers to work/eval/validation.json. `samaudio eval` on the same files is the final word.
"""
import json
import os
import sys

import numpy as np
import soundfile as sf
import torch

from export import load
from model import separate
from train import si_sdr

HERE = os.path.dirname(os.path.abspath(__file__))
EVAL = os.path.join(HERE, "work", "eval")


def main():
    torch.set_num_threads(2)
    model, state = load(sys.argv[1])
    emb = json.load(open(os.path.join(HERE, "work", "caption_embeddings.json")))
    vectors = torch.nn.functional.normalize(torch.tensor(emb["embeddings"]), dim=1)
    index = {c: i for i, c in enumerate(emb["captions"])}
    report = {"checkpoint": os.path.basename(sys.argv[1]), "step": state.get("step")}
    for name in ("eval-seen.json", "eval-heldout-captions.json", "eval-absent.json"):
        items = json.load(open(os.path.join(EVAL, name)))["items"]
        rows = []
        for start in range(0, len(items), 10):
            chunk = items[start:start + 10]
            mix = torch.stack([torch.from_numpy(sf.read(os.path.join(EVAL, it["mixture"]), dtype="float32")[0]) for it in chunk])
            ref = torch.stack([torch.from_numpy(sf.read(os.path.join(EVAL, it["reference"]), dtype="float32")[0]) for it in chunk])
            with torch.no_grad():
                est = separate(model, mix, vectors[[index[it["prompt"]] for it in chunk]])
            if name == "eval-absent.json":
                values = 10 * torch.log10(est.pow(2).sum(-1) / mix.pow(2).sum(-1) + 1e-10)
            else:
                values = si_sdr(est, ref) - si_sdr(mix, ref)
            rows += [(it["class"], float(v)) for it, v in zip(chunk, values)]
        values = np.array([v for _, v in rows])
        per_class = {}
        for c, v in rows:
            per_class.setdefault(c, []).append(v)
        key = name.replace(".json", "")
        report[key] = {"mean": float(values.mean()), "median": float(np.median(values)), "items": len(rows),
                       "perClass": {c: round(float(np.mean(v)), 2) for c, v in per_class.items()}}
        label = "target energy vs mixture" if "absent" in name else "SI-SDRi"
        print(f"{key}: {label} mean {values.mean():.2f} dB, median {np.median(values):.2f} dB over {len(rows)} items", flush=True)
    with open(os.path.join(EVAL, "validation.json"), "w") as f:
        json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
