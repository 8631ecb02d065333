#!/usr/bin/python3
"""PyTorch reference of the flow runner's sampling loop, on the miniature pack's weights.

Runs what src/SamAudio.Inference/Flow/FlowSeparationEngine.cs runs for one window starting at sample 0: T5-style
tokens (SentencePiece ids, no BOS, </s> = 1 appended) -> text_encoder once per prompt, zero-padded to the longest ->
reflect-pad the waveform to whole 1920-sample frames -> codec_encoder -> the C# runner's noise [T, 256] for every
prompt -> midpoint ODE from t = 0 to 1 (x_mid = x + dt/2 v(x, t); x += dt v(x_mid, t + dt/2)) -> codec_decoder of
the target (channels 0-127) and residual (128-255) latents -> trimmed to the input length.

The modules are the nn.Modules of models/testpacks/make_sam_audio_tiny.py rebuilt with its seed (17, same order);
before running, every parameter is checked to equal an initializer of the pack's ONNX graph (as is or transposed),
so the reference runs the pack's weights, in PyTorch, without ONNX Runtime.

Files are raw little-endian float32, row-major: input.f32 [N], noise.f32 [T, 256] (written by the C# test
FlowReferenceTests.Write_reference_inputs_when_asked), and the outputs target.f32 / residual.f32 [P, N].

`sample` is model-agnostic: `m` maps each graph name to any callable taking and returning torch tensors (the tiny
pack's nn.Modules here; ONNX Runtime sessions of an exported pack in export.py --validate) and `sp` is anything with
`encode(text) -> ids`. `flow_noise` is a port of the C# runner's FlowNoise (splitmix64-boxmuller/1).

Usage (the values must match FlowReferenceTests):
    /usr/bin/python3 models/sam-audio/reference_sampler.py tests/SamAudio.Inference.Tests/Flow/Data/reference \\
        --steps 16 --prompt "a dog barking" --prompt owl
Needs Debian's python3-torch, python3-onnx, python3-sentencepiece and python3-numpy.
"""
import argparse
import os
import sys

import math

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "testpacks"))
import graph_contract as C  # noqa: E402

PACK = os.path.join(HERE, "..", "testpacks", "sam-audio-tiny")
EOS = 1


def modules():
    """The tiny pack's modules, built as make_sam_audio_tiny.main builds them, each checked against its ONNX graph."""
    import onnx
    import onnx.numpy_helper
    import make_sam_audio_tiny as tiny
    torch.manual_seed(17)
    built = {"text_encoder": tiny.TextEncoder(), "codec_encoder": tiny.CodecEncoder(),
             "dit_velocity": tiny.DitVelocity(), "codec_decoder": tiny.CodecDecoder()}
    for graph, module in built.items():
        module.eval()
        model = onnx.load(os.path.join(PACK, C.FILES[graph]))
        inits = [onnx.numpy_helper.to_array(i) for i in model.graph.initializer]
        for name, p in module.named_parameters():
            w = p.detach().numpy()
            if not any(a.shape == w.shape and np.array_equal(a, w) or a.shape == w.T.shape and np.array_equal(a, w.T)
                       for a in inits):
                raise SystemExit(f"{graph}: parameter {name} is not in {C.FILES[graph]}; the pack was made otherwise")
    return built


def read(path, shape=None):
    a = np.fromfile(path, dtype="<f4")
    return a if shape is None else a.reshape(shape)


def reflect_pad(x, length):
    n = x.shape[0]
    period = max(1, 2 * (n - 1))
    k = np.arange(length) % period
    return x[np.where(k < n, k, period - k)]


_MASK = (1 << 64) - 1
_GAMMA = 0x9E3779B97F4A7C15


def _mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def flow_noise(seed, first_frame, frames, channels=C.STATE_CHANNELS):
    """The C# runner's initial noise (Flow/FlowNoise.cs, splitmix64-boxmuller/1) as float32 [frames, channels]."""
    out = np.empty((frames, channels), dtype=np.float32)
    for t in range(frames):
        frame_key = _mix(_mix(((seed & 0xFFFFFFFF) + _GAMMA) & _MASK) ^ (first_frame + t))
        for c in range(0, channels, 2):
            key = _mix(frame_key ^ (((c >> 1) * _GAMMA) & _MASK))
            a = _mix((key + _GAMMA) & _MASK)
            b = _mix((key + ((2 * _GAMMA) & _MASK)) & _MASK)
            r = math.sqrt(-2.0 * math.log(((a >> 11) + 1) * 2.0 ** -53))
            angle = 2.0 * math.pi * ((b >> 11) * 2.0 ** -53)
            out[t, c] = r * math.cos(angle)
            if c + 1 < channels:
                out[t, c + 1] = r * math.sin(angle)
    return out


def sample(m, sp, waveform, prompts, noise, steps, alignment=None):
    """`alignment`: [P, T] int64 anchor alignment over the runner's id row C.ANCHOR_IDS; None for none (all 0, the
    text-only default)."""
    n = waveform.shape[0]
    frames = -(-n // C.HOP)
    p = len(prompts)
    anchor_ids = torch.tensor([C.ANCHOR_IDS] * p, dtype=torch.int64)
    align = torch.zeros(p, frames, dtype=torch.int64) if alignment is None else torch.as_tensor(alignment, dtype=torch.int64)
    with torch.no_grad():
        states = []
        for text in prompts:
            ids = torch.tensor([sp.encode(text) + [EOS]], dtype=torch.int64)
            states.append(m["text_encoder"](ids, torch.ones_like(ids))[0])
        length = max(s.shape[0] for s in states)
        text = torch.zeros(p, length, states[0].shape[1])
        mask = torch.zeros(p, length, dtype=torch.int64)
        for i, s in enumerate(states):
            text[i, :s.shape[0]] = s
            mask[i, :s.shape[0]] = 1

        padded = torch.from_numpy(reflect_pad(waveform, frames * C.HOP)).reshape(1, 1, -1)
        latent = m["codec_encoder"](padded)                                   # [1, T, 128]
        audio = latent.repeat(p, 1, 1)
        x = torch.from_numpy(noise.reshape(1, frames, C.STATE_CHANNELS)).repeat(p, 1, 1)
        dt = np.float32(1.0 / steps)
        for step in range(steps):
            t = np.float32(step) * dt
            v = m["dit_velocity"](x, torch.full((p,), float(t)), audio, text, mask, anchor_ids, align)
            mid = x + v * (dt / np.float32(2))
            v = m["dit_velocity"](mid, torch.full((p,), float(t + dt / np.float32(2))), audio, text, mask, anchor_ids, align)
            x = x + v * dt
        decoded = m["codec_decoder"](torch.cat([x[:, :, :C.LATENT_CHANNELS], x[:, :, C.LATENT_CHANNELS:]], dim=0))
        out = decoded[:, 0, :n].numpy()
    return out[:p], out[p:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", help="holds input.f32 and noise.f32; target.f32 and residual.f32 are written there")
    parser.add_argument("--steps", type=int, default=16)
    parser.add_argument("--prompt", action="append", required=True)
    args = parser.parse_args()
    import sentencepiece as spm
    torch.set_num_threads(1)
    waveform = read(os.path.join(args.folder, "input.f32"))
    frames = -(-waveform.shape[0] // C.HOP)
    noise = read(os.path.join(args.folder, "noise.f32"), (frames, C.STATE_CHANNELS))
    sp = spm.SentencePieceProcessor(model_file=os.path.join(PACK, "spiece.model"))
    target, residual = sample(modules(), sp, waveform, args.prompt, noise, args.steps)
    target.astype("<f4").tofile(os.path.join(args.folder, "target.f32"))
    residual.astype("<f4").tofile(os.path.join(args.folder, "residual.f32"))
    print(f"{len(args.prompt)} prompts, {waveform.shape[0]} samples, {args.steps} steps: "
          f"target peak {np.abs(target).max():.4g}, residual peak {np.abs(residual).max():.4g}")


if __name__ == "__main__":
    main()
