#!/usr/bin/python3
"""Recovers trainable weights from an exported separator.onnx, so that training can continue a published pack when
its checkpoint is gone (checkpoints never enter git; the pack does).

usage: import_onnx.py [ONNX] [OUT_DIR]     (defaults: ../samaudio-mini/separator.onnx, work/pack)

export.py names some initializers after their parameters (biases, norms) and folds others into anonymous constants
(matrix weights transposed for MatMul, each row of a block's `taps` as its own Mul operand). The mapping is learned
from the exporter itself: a model whose every weight is distinct is exported, and each of its initializers is matched
to the parameter (or transposed parameter, or `taps` row) holding the same values. The same mapping then reads the
pack. Proof that nothing is lost: the recovered model is exported again and every initializer must equal the pack's
bit for bit. Writes OUT_DIR/model.pt and OUT_DIR/final.pt in train.py's weights-only format (`--init OUT_DIR/model.pt`).
"""
import json
import os
import sys
import tempfile

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from export import CONFIG_KEY, export
from model import Separator

HERE = os.path.dirname(os.path.abspath(__file__))


def initializers(path):
    return {i.name: numpy_helper.to_array(i) for i in onnx.load(path).graph.initializer}


def candidates(name, param):
    """(how, array) pairs an exported initializer may hold for this parameter."""
    value = param.detach().numpy()
    yield ("same", None), value
    if value.ndim == 2:
        yield ("transposed", None), value.T
        for row in range(value.shape[0]) if value.shape[0] <= 3 else ():
            yield ("row", row), value[row]


def learn_mapping(config, scratch):
    torch.manual_seed(7)
    probe = Separator(**config).eval()
    with torch.no_grad():
        for p in probe.parameters():
            p.copy_(torch.randn_like(p))  # every value distinct with probability one: no initializer matches twice
    path = export(probe, scratch)
    mapping = {}
    params = dict(probe.named_parameters())
    for init_name, array in initializers(path).items():
        found = [(name, how) for name, p in params.items() for how, value in candidates(name, p)
                 if value.shape == array.shape and np.array_equal(value, array)]
        if len(found) != 1:
            sys.exit(f"initializer {init_name} {array.shape} matches {len(found)} parameters; the exporter changed")
        mapping[init_name] = found[0]
    covered = {(name, how[1]) for name, how in mapping.values()}
    for name, p in params.items():
        rows = range(p.shape[0]) if name.endswith("taps") else [None]
        missing = [r for r in rows if (name, r) not in covered]
        if missing:
            sys.exit(f"parameter {name} is not in the export (rows {missing}); cannot recover it")
    return mapping


def recover(onnx_path, config, mapping):
    model = Separator(**config).eval()
    params = dict(model.named_parameters())
    arrays = initializers(onnx_path)
    with torch.no_grad():
        for init_name, (name, (how, row)) in mapping.items():
            if init_name not in arrays:
                sys.exit(f"{onnx_path} has no initializer {init_name}: exported by another exporter or architecture")
            value = torch.from_numpy(arrays[init_name].copy())
            target = params[name]
            if how == "same":
                target.copy_(value)
            elif how == "transposed":
                target.copy_(value.T)
            else:
                target[row].copy_(value)
    return model


def main():
    onnx_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "samaudio-mini", "separator.onnx")
    out_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "work", "pack")
    torch.set_num_threads(2)
    # the architecture export.py recorded in the graph's metadata; packs up to 6.2.1 have none and are train.py's
    # default (6 encoder, 4 decoder blocks, stride 4, 192/384)
    recorded = {p.key: p.value for p in onnx.load(onnx_path).metadata_props}.get(CONFIG_KEY)
    config = {k: tuple(v) if isinstance(v, list) else v for k, v in json.loads(recorded).items()} if recorded else {}
    with tempfile.TemporaryDirectory() as scratch:
        # export() writes the vocabulary files beside the graph; they are not needed here
        mapping = learn_mapping(config, scratch)
        model = recover(onnx_path, config, mapping)
        again = initializers(export(model, scratch))
    original = initializers(onnx_path)
    differing = [n for n in original if n not in again or not np.array_equal(original[n], again[n])]
    if differing or set(again) != set(original):
        sys.exit(f"re-export differs from {onnx_path} in {len(differing)} initializers, e.g. {differing[:3]}")
    os.makedirs(out_dir, exist_ok=True)
    state = model.state_dict()
    torch.save({"model": state, "config": config, "step": 0}, os.path.join(out_dir, "model.pt"))
    torch.save({"ema": state, "config": config, "step": 0}, os.path.join(out_dir, "final.pt"))
    print(f"recovered {len(state)} tensors ({sum(p.numel() for p in model.parameters()) / 1e6:.2f} M parameters) from "
          f"{onnx_path}; re-export matches all {len(original)} initializers bit for bit -> {out_dir}")


if __name__ == "__main__":
    main()
