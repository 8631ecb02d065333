#!/usr/bin/python3
"""Checks that the exported separator.onnx (run by the CPU ONNX Runtime through embedder/) matches the torch model.

usage: parity_check.py CHECKPOINT [MIXTURE.wav [PACK_DIR]]   (build embedder/ first: dotnet build -c Release embedder;
PACK_DIR defaults to ../samaudio-mini)
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import soundfile as sf
import torch

from export import load
from model import stft

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    torch.set_num_threads(2)
    model, _ = load(sys.argv[1])
    wav = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "work", "eval", "mix_000.wav")
    x, _ = sf.read(wav, dtype="float32")
    x = np.resize(x, 160000)  # one 10 s window
    magnitude = stft(torch.from_numpy(x)[None]).abs().float()
    vectors = torch.tensor(json.load(open(os.path.join(HERE, "work", "caption_embeddings.json")))["embeddings"][:3])
    with torch.no_grad():
        expected = model(magnitude, vectors).numpy()
    with tempfile.TemporaryDirectory() as tmp:
        mag, emb, out = (os.path.join(tmp, n) for n in ("mag.f32", "emb.f32", "mask.f32"))
        magnitude.numpy().astype("<f4").tofile(mag)
        vectors.numpy().astype("<f4").tofile(emb)
        dll = os.path.join(HERE, "embedder", "bin", "Release", "net10.0", "samaudio-embedder.dll")
        pack = sys.argv[3] if len(sys.argv) > 3 else os.path.join(HERE, "..", "samaudio-mini")
        subprocess.run(["dotnet", dll, "run", os.path.join(pack, "separator.onnx"), mag, emb,
                        str(magnitude.shape[2]), out], check=True)
        got = np.fromfile(out, "<f4").reshape(expected.shape)
    diff = float(np.abs(got - expected).max())
    print(f"mask {expected.shape}: max |onnxruntime - torch| = {diff:.2e}")
    return 0 if diff < 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main())
