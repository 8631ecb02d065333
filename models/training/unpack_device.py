#!/usr/bin/python3
"""Turns a remote run's weights (NAME.npz from device_run.sh: numpy arrays, readable whatever torch wrote them) into
a weights-only checkpoint beside it (NAME/final.pt) that export.py, validate.py, gap.py and train.py --init read.

usage: unpack_device.py NAME.npz [...]
"""
import json
import os
import sys

import numpy as np
import torch


def unpack(path):
    data = np.load(path)
    meta = json.loads(str(data["meta"]))
    config = meta["config"]
    for key in ("encoder_dilations", "decoder_dilations"):
        config[key] = tuple(config[key])  # JSON turned the tuples into lists
    ema = {k[len("ema."):]: torch.from_numpy(data[k]) for k in data.files if k.startswith("ema.")}
    out_dir = os.path.splitext(path)[0]
    os.makedirs(out_dir, exist_ok=True)
    state = {"ema": ema, "config": config, "step": meta["step"], "history": meta["history"]}
    torch.save(state, os.path.join(out_dir, "final.pt"))
    torch.save({"model": ema, "config": config, "step": meta["step"]}, os.path.join(out_dir, "model.pt"))
    print(f"{out_dir}/final.pt: step {meta['step']}")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        unpack(name)
