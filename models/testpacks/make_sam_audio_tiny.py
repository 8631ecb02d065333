#!/usr/bin/python3
"""Builds the `sam-audio-tiny` test pack: SAM-Audio's four graphs with tiny random weights (fixed seed).

The graphs have the names, inputs, outputs, dtypes and dynamic axes of models/sam-audio/graph_contract.py, the
contract the export tool writes for the real model, so the C# flow runner and the pack loader are exercised on
these machines without the gated weights. What the graphs compute is meaningless but deterministic and bounded:
- codec_encoder: waveform [B, 1, N] -> frames of HOP samples -> mean over 30-sample groups (64 per frame) -> linear
  -> tanh -> latent [B, T, 128];
- codec_decoder: latent [B, T, 128] -> linear -> tanh (60 per frame) -> each held for 32 samples x a learned
  1920-sample shape -> waveform [B, 1, T * 1920];
- text_encoder: embedding -> linear -> gelu, zeroed at padding -> [B, L, 32];
- dit_velocity: cat[noisy(256), zeros(256), audio_features twice(256)] -> linear + sinusoidal time embedding +
  tanh(0.5) x linear(anchor embedding of anchor_ids.gather(1, anchor_alignment)) (upstream's EmbedAnchors: 4 ids,
  the last a zero padding row) -> one masked cross-attention over the text -> gelu -> linear -> velocity [B, T, 256].
  Every step works on each frame alone (no attention across frames), so an anchor changes the frames it covers only.
The tokenizer is a SentencePiece unigram model trained with T5's layout (pad 0, eos 1, unk 2, bos_id -1) on
sam_audio_tiny_corpus.txt.

Usage: /usr/bin/python3 models/testpacks/make_sam_audio_tiny.py
    (rewrites sam-audio-tiny/ and, in tests/SamAudio.Inference.Tests/Flow/Data, text_encoder.float_mask.onnx, the text
     encoder with a float32 attention_mask that the loader's tests expect to be refused, and
     dit_velocity.no_anchor_inputs.onnx, the same DiT with upstream's text-only anchors built inside the graph as packs
     made before span prompts have them)
Needs Debian's python3-torch (1.13: exports opset 17), python3-onnx and python3-sentencepiece.
"""
import hashlib
import io
import json
import math
import os
import sys

import onnx
import sentencepiece as spm
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "sam-audio"))
import graph_contract as C  # noqa: E402

OUT = os.path.join(HERE, "sam-audio-tiny")
OPSET = 17
TEXT_DIM = 32
HIDDEN = 32
VOCAB = 100
ANCHOR_DIM = 8
POOL = 30              # encoder: 1920 samples -> 64 means
HOLD = 32              # decoder: 60 values x 32 samples = 1920


class CodecEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(C.HOP // POOL, C.LATENT_CHANNELS)

    def forward(self, waveform):
        b = waveform.shape[0]
        frames = waveform.reshape(b, -1, C.HOP // POOL, POOL).mean(dim=3)     # [B, T, 64]
        return torch.tanh(self.proj(frames * 4.0))


class CodecDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(C.LATENT_CHANNELS, C.HOP // HOLD)
        self.shape = nn.Parameter(torch.rand(C.HOP // HOLD, HOLD) * 0.5)

    def forward(self, latent):
        b = latent.shape[0]
        h = torch.tanh(self.proj(latent))                                      # [B, T, 60]
        samples = h.unsqueeze(3) * self.shape                                  # [B, T, 60, 32]
        return samples.reshape(b, -1).unsqueeze(1)


class TextEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, TEXT_DIM)
        self.proj = nn.Linear(TEXT_DIM, TEXT_DIM)

    def forward(self, input_ids, attention_mask):
        h = nn.functional.gelu(self.proj(self.embed(input_ids)))
        return h * attention_mask.unsqueeze(2).to(h.dtype)


class DitVelocity(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(3 * C.STATE_CHANNELS, HIDDEN)
        self.time = nn.Linear(HIDDEN, HIDDEN)
        self.query = nn.Linear(HIDDEN, TEXT_DIM)
        self.value = nn.Linear(TEXT_DIM, HIDDEN)
        self.out = nn.Linear(HIDDEN, C.STATE_CHANNELS)
        half = HIDDEN // 2
        self.register_buffer("freqs", torch.exp(-math.log(1000.0) * torch.arange(half, dtype=torch.float32) / half))
        # Upstream's EmbedAnchors (num_anchors 3 + a padding row), its zero-initialised gate set to 0.5 so anchors count.
        self.anchor_embed = nn.Embedding(len(C.ANCHOR_IDS), ANCHOR_DIM, padding_idx=C.ANCHOR_PAD)
        self.anchor_gate = nn.Parameter(torch.tensor([0.5]))
        self.anchor_proj = nn.Linear(ANCHOR_DIM, HIDDEN, bias=False)

    def forward(self, noisy_latent, time, audio_features, text_features, text_mask, anchor_ids, anchor_alignment):
        x = torch.cat([noisy_latent, torch.zeros_like(noisy_latent), audio_features, audio_features], dim=2)
        angles = time.unsqueeze(1) * 1000.0 * self.freqs                       # [B, HIDDEN/2]
        t = self.time(torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)).unsqueeze(1)
        anchors = self.anchor_proj(self.anchor_embed(anchor_ids.gather(1, anchor_alignment)))
        h = self.inp(x) + t + self.anchor_gate.tanh() * anchors                # [B, T, H]
        scores = torch.matmul(self.query(h), text_features.transpose(1, 2)) / math.sqrt(TEXT_DIM)
        scores = scores.masked_fill(text_mask.unsqueeze(1) == 0, -1e4)
        attended = torch.matmul(torch.softmax(scores, dim=2), text_features)   # [B, T, D]
        h = nn.functional.gelu(h + self.value(attended))
        return self.out(h) + audio_features.repeat(1, 1, 2) - noisy_latent


class DitVelocityNoAnchorInputs(nn.Module):
    """The DiT of a pack made before span prompts: upstream's text-only anchors (ids [0, 3], alignment 0) built
    inside the graph, as export.py did then; same weights as `dit`."""

    def __init__(self, dit):
        super().__init__()
        self.dit = dit

    def forward(self, noisy_latent, time, audio_features, text_features, text_mask):
        alignment = torch.zeros_like(noisy_latent[:, :, 0], dtype=torch.int64)
        ids = torch.tensor([C.ANCHOR_NULL, C.ANCHOR_PAD], dtype=torch.int64).unsqueeze(0).expand(noisy_latent.shape[0], -1)
        return self.dit(noisy_latent, time, audio_features, text_features, text_mask, ids, alignment)


def example(graph):
    b, t, l = 2, 3, 5
    return {
        "text_encoder": (torch.randint(0, VOCAB, (b, l)), torch.ones(b, l, dtype=torch.int64)),
        "codec_encoder": (torch.randn(b, 1, t * C.HOP),),
        "dit_velocity": (torch.randn(b, t, C.STATE_CHANNELS), torch.rand(b), torch.randn(b, t, C.LATENT_CHANNELS),
                         torch.randn(b, l, TEXT_DIM), torch.ones(b, l, dtype=torch.int64),
                         torch.tensor([C.ANCHOR_IDS] * b), torch.randint(0, len(C.ANCHOR_IDS), (b, t))),
        "codec_decoder": (torch.randn(b, t, C.LATENT_CHANNELS),),
    }[graph]


def export(graph, module, optional=True):
    buffer = io.BytesIO()
    module.eval()
    names = C.input_names(graph, optional)
    with torch.no_grad():
        torch.onnx.export(module, example(graph)[:len(names)], buffer, opset_version=OPSET, do_constant_folding=True,
                          input_names=names, output_names=C.output_names(graph),
                          dynamic_axes={k: v for k, v in C.dynamic_axes(graph).items() if k in names + C.output_names(graph)})
    model = onnx.load_from_string(buffer.getvalue())
    model.producer_name, model.producer_version = "samaudio-make_sam_audio_tiny", "1"
    model.doc_string = f"sam-audio-tiny {graph}: random weights for tests, contract of models/sam-audio/graph_contract.py"
    onnx.checker.check_model(model)
    C.check(graph, model, TEXT_DIM)
    return model.SerializeToString()


def broken_text_encoder(module):
    """The text encoder with a float32 attention_mask: a graph that breaks the contract's dtype, for the loader's tests."""
    buffer = io.BytesIO()
    ids, _ = example("text_encoder")
    with torch.no_grad():
        torch.onnx.export(module, (ids, torch.ones(ids.shape)), buffer, opset_version=OPSET,
                          input_names=C.input_names("text_encoder"), output_names=C.output_names("text_encoder"),
                          dynamic_axes=C.dynamic_axes("text_encoder"))
    with open(test_data("text_encoder.float_mask.onnx"), "wb") as f:
        f.write(buffer.getvalue())


def test_data(name):
    path = os.path.join(HERE, "..", "..", "tests", "SamAudio.Inference.Tests", "Flow", "Data", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return path


def tokenizer():
    prefix = os.path.join(OUT, "spiece")
    spm.SentencePieceTrainer.train(
        input=os.path.join(HERE, "sam_audio_tiny_corpus.txt"), model_prefix=prefix, model_type="unigram",
        vocab_size=VOCAB, character_coverage=1.0, pad_id=0, eos_id=1, unk_id=2, bos_id=-1,
        input_sentence_size=0, shuffle_input_sentence=False, num_threads=1, minloglevel=2,
        normalization_rule_name="identity")
    os.remove(prefix + ".vocab")


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(17)
    modules = {"text_encoder": TextEncoder(), "codec_encoder": CodecEncoder(),
               "dit_velocity": DitVelocity(), "codec_decoder": CodecDecoder()}
    files = {}
    for graph, module in modules.items():
        data = export(graph, module)
        with open(os.path.join(OUT, C.FILES[graph]), "wb") as f:
            f.write(data)
    tokenizer()
    broken_text_encoder(modules["text_encoder"])
    with open(test_data("dit_velocity.no_anchor_inputs.onnx"), "wb") as f:
        f.write(export("dit_velocity", DitVelocityNoAnchorInputs(modules["dit_velocity"]), optional=False))
    for name in sorted(os.listdir(OUT)):
        if name != "modelpack.json":
            with open(os.path.join(OUT, name), "rb") as f:
                files[name] = hashlib.sha256(f.read()).hexdigest()
    manifest = {
        "schema": "samaudio.modelpack/v1",
        "id": "sam-audio-tiny",
        "version": "1.0.0",
        "family": "flow",
        "description": "Test pack: SAM-Audio's four-graph contract with tiny random weights; the output is noise-like.",
        "sampleRate": C.SAMPLE_RATE,
        "channels": 1,
        "segmentSeconds": 2,
        "overlapSeconds": 0.4,
        "textEncoder": {"kind": "sentencepiece-unigram", "model": "tiny-t5-like", "dimension": TEXT_DIM,
                        "tokenizer": "spiece.model", "graph": "text_encoder"},
        "graphs": C.manifest_graphs(),
        "files": files,
    }
    with open(os.path.join(OUT, "modelpack.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
