#!/usr/bin/env python3
"""Exports Meta's SAM-Audio (facebookresearch/sam-audio) as a `flow`-family model pack: four ONNX graphs.

Runs where the weights are: the `sam_audio` package and `dacvae` importable, PyTorch 2, a GPU. The graphs are the
upstream modules wrapped, never re-implemented; the contract (names, dtypes, dynamic axes, opsets) is
graph_contract.py and every graph passes its check() before the pack is written:
- text_encoder:  the T5 encoder of model.text_encoder (last_hidden_state), float32 always (T5 overflows in fp16);
- codec_encoder: model.audio_codec (DACVAE encoder -> mean half of quantizer.in_proj), frames first;
- dit_velocity:  model.forward, one ODE function evaluation, with anchor_ids [B, A] and anchor_alignment [B, T] as
                 inputs (span prompts; the runner feeds [0, 3, 1, 2] and alignment 0 where no span is given, which is
                 upstream's text-only [0, 3] / 0, checked against Batch.process_anchors) and upstream's other hidden
                 defaults built inside the graph: audio features duplicated to 256 channels, an all-true
                 audio_pad_mask (a window has no padding frames), and zero masked-video features through
                 align_masked_video (conv + layer norm + tanh gate);
- codec_decoder: model.audio_codec.decode (quantizer.out_proj -> decoder) with the watermark chosen by --watermark.
Float inputs and outputs stay float32 whatever --dtype (the contract); weights and compute of dit_velocity and the
codec graphs are in --dtype, cast at the graph's edges.

Writes the graphs, spiece.model (T5's SentencePiece model), export.json (what was exported and how: upstream
commit, checkpoint, dtypes, opset, watermark, hidden defaults, validation) and modelpack.json (family `flow`, sha256
of every file). Span prediction, re-ranking and the vision encoder are left out (see README.md).

    export.py --model small --out models/sam-audio-small --watermark off [--dtype fp16] [--opset 18] [--validate]
    export.py --random-init --out /tmp/sam-audio-random --watermark fixed:a5c3 --validate
    export.py --self-test           (this machine: no upstream package needed)
"""
import argparse
import contextlib
import hashlib
import importlib
import inspect
import io
import json
import os
import shutil
import sys
import tempfile
import types
from unittest import mock

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import graph_contract as C  # noqa: E402
import reference_sampler as R  # noqa: E402

MODELS = {size + tv: f"facebook/sam-audio-{size}{tv}" for size in ("small", "base", "large") for tv in ("", "-tv")}
EXPORT_SCHEMA = "samaudio.flow-export/v1"
DTYPES = ("fp32", "fp16", "bf16")
TINY_PACK = os.path.join(HERE, "..", "testpacks", "sam-audio-tiny")
# Modules only the vision, span-prediction and ranking paths import; stubbed when absent (never called here).
OPTIONAL_MODULES = ("core", "core.audio_visual_encoder", "core.audio_visual_encoder.config",
                    "core.audio_visual_encoder.transformer", "core.vision_encoder", "core.vision_encoder.pe",
                    "torchvision", "torchaudio", "torchcodec", "torchcodec.decoders", "torchcodec.encoders",
                    "laion_clap", "imagebind", "pydub", "audiotools", "argbind")
# The random-init configuration: upstream's classes at a small size; the codec keeps upstream's defaults (its
# watermarker fixes decoder_dim at 1536) so hop, latent rate and channels are the real ones.
RANDOM_INIT = {"text_dim": 64, "dit": {"dim": 128, "n_heads": 4, "n_layers": 2, "context_dim": 128, "dropout": 0.0},
               "vision_dim": 32, "gate": 0.5}


# ----------------------------------------------------------------------------------------------- arguments

def parse_watermark(text):
    """'off' -> None; 'fixed:<4 hex digits>' -> the 16 message bits, most significant first."""
    if text == "off":
        return None
    if text.startswith("fixed:") and len(text) == 10:
        try:
            value = int(text[6:], 16)
        except ValueError:
            value = None
        if value is not None:
            return [float((value >> (15 - i)) & 1) for i in range(16)]
    raise argparse.ArgumentTypeError(f"--watermark must be 'off' or 'fixed:<4 hex digits>' (16 bits), not '{text}'")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    what = p.add_mutually_exclusive_group()
    what.add_argument("--model", choices=sorted(MODELS), help="checkpoint facebook/sam-audio-<model> (gated)")
    what.add_argument("--checkpoint", help="local folder with the checkpoint's config.json and checkpoint.pt")
    what.add_argument("--random-init", action="store_true",
                      help="a small randomly initialised configuration of sam_audio's own classes (no weights)")
    what.add_argument("--self-test", action="store_true", help="check what runs without the upstream package")
    p.add_argument("--out", help="pack folder to write (emptied first)")
    p.add_argument("--watermark", type=parse_watermark, metavar="off|fixed:<hex>",
                   help="the decoder's 16-bit watermark: off, or a fixed message (no default: an explicit choice)")
    p.add_argument("--dtype", choices=DTYPES, default="fp32", help="weights and compute of dit_velocity and the codec")
    p.add_argument("--opset", type=int, choices=C.OPSETS, default=18)
    p.add_argument("--exporter", choices=("torchscript", "dynamo"), default="torchscript",
                   help="torch.onnx exporter (the dynamo one failed on the codec's dynamic padding elsewhere)")
    p.add_argument("--device", default="cuda")
    p.add_argument("--trace-seconds", type=float, default=10.0, help="window length traced (the production window)")
    p.add_argument("--segment-seconds", type=float, default=10.0)
    p.add_argument("--overlap-seconds", type=float, default=2.0)
    p.add_argument("--pack-id", help="default sam-audio-<model>[-<dtype>]")
    p.add_argument("--spiece", help="T5's spiece.model to copy (default: the tokenizer's own file)")
    p.add_argument("--validate", action="store_true",
                   help="run the exported graphs with ONNX Runtime through the runner's loop and compare with separate()")
    p.add_argument("--clip", help="WAV (48 kHz mono, 16-bit PCM or float) for --validate; default a generated clip")
    p.add_argument("--prompt", action="append", help="for --validate (default: 'a dog barking', 'owl', 'rain')")
    p.add_argument("--seed", type=int, default=17, help="noise seed (FlowNoise) for --validate; init seed for --random-init")
    p.add_argument("--steps", type=int, default=16, help="must be 16 to compare with separate()'s default solver")
    p.add_argument("--tolerance", type=float, help="largest error relative to peak that --validate accepts")
    args = p.parse_args(argv)
    if args.self_test:
        return args
    if not (args.model or args.checkpoint or args.random_init):
        p.error("one of --model, --checkpoint, --random-init or --self-test is required")
    if not args.out:
        p.error("--out is required")
    if "watermark" not in vars(args) or not any(a.startswith("--watermark") for a in argv):
        p.error("--watermark is required: 'off' or 'fixed:<4 hex digits>'; the choice is recorded in the pack")
    if args.steps != 16 and args.validate:
        p.error("--validate compares with separate()'s solver (midpoint, step 2/32 = 16 steps): use --steps 16")
    for name in ("trace_seconds", "segment_seconds", "overlap_seconds"):
        if abs(getattr(args, name) * 25 - round(getattr(args, name) * 25)) > 1e-9:
            p.error(f"--{name.replace('_', '-')} must be whole latent frames (multiples of 0.04 s)")
    return args


def resolve_dtype(name, device, cuda_available, bf16_supported):
    """The torch dtype for --dtype, or SystemExit with the reason (bf16 needs a GPU that has it; a T4 has not)."""
    import torch
    if name == "fp32":
        return torch.float32
    if not device.startswith("cuda") or not cuda_available:
        raise SystemExit(f"--dtype {name} exports from a GPU; this run has device '{device}' "
                         f"(CUDA available: {cuda_available}). Use --dtype fp32.")
    if name == "bf16" and not bf16_supported:
        raise SystemExit("--dtype bf16: this GPU has no bf16 (torch.cuda.is_bf16_supported() is False, "
                         "as on a T4). Use --dtype fp16 or fp32.")
    return torch.float16 if name == "fp16" else torch.bfloat16


# ----------------------------------------------------------------------------------------------- upstream

class _Stub:
    """Stands for an attribute of a module that is not installed; any use past construction says so."""

    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        return _Stub(f"{self._name}.{attr}")

    def __call__(self, *args, **kwargs):
        return _Stub(f"{self._name}()")

    def __mro_entries__(self, bases):
        raise TypeError(f"{self._name} is stubbed by export.py (not installed) and cannot be subclassed")


def stub_missing_modules(names=OPTIONAL_MODULES):
    """Puts a stub in sys.modules for each of `names` that cannot be imported; returns the names stubbed."""
    stubbed = []
    for name in names:
        if name in sys.modules:
            continue
        try:
            importlib.import_module(name)
            continue
        except ImportError:
            pass
        module = types.ModuleType(name, f"stub made by export.py: {name} is not installed")
        module.__path__ = []
        module.__getattr__ = lambda attr, _n=name: _Stub(f"{_n}.{attr}")
        sys.modules[name] = module
        parent, _, child = name.rpartition(".")
        if parent in sys.modules:
            setattr(sys.modules[parent], child, module)
        stubbed.append(name)
    return stubbed


class _FallbackTokenizer:
    """For --random-init without the sentencepiece package: a deterministic byte tokenizer with T5's layout
    (pad 0, </s> 1 appended), called like a transformers tokenizer. Tokenizer parity is then not checked."""

    def __init__(self, vocab):
        self.vocab = vocab

    def encode(self, text):
        return [3 + b % (self.vocab - 3) for b in text.encode("utf-8")]

    def __call__(self, texts, truncation=True, max_length=512, padding="longest", return_tensors="pt"):
        import torch
        rows = [(self.encode(t)[:max_length - 1] + [1]) for t in texts]
        width = max(len(r) for r in rows)
        ids = torch.tensor([r + [0] * (width - len(r)) for r in rows], dtype=torch.int64)
        return {"input_ids": ids, "attention_mask": (ids != 0).long() if width else ids}


def _sentencepiece(path):
    try:
        import sentencepiece as spm
    except ImportError:
        return None
    return spm.SentencePieceProcessor(model_file=path)


def random_init_model(seed, spiece):
    """SAMAudio from its own classes at RANDOM_INIT's size; T5 built from a config (no download), the tokenizer from
    `spiece`. The two gates that are 0 at init (anchors, video) are set to RANDOM_INIT['gate'] so both paths count."""
    import torch
    import transformers
    from sam_audio.model import vision_encoder
    from sam_audio.model.config import SAMAudioConfig
    from sam_audio.model.model import SAMAudio
    sp = _sentencepiece(spiece)
    vocab = sp.get_piece_size() if sp is not None else 100
    t5 = transformers.T5Config(vocab_size=vocab, d_model=RANDOM_INIT["text_dim"], d_kv=16, d_ff=128, num_layers=2,
                               num_heads=4, feed_forward_proj="relu", dropout_rate=0.0, pad_token_id=0,
                               eos_token_id=1, decoder_start_token_id=0)
    tokenizer = _FallbackTokenizer(vocab)
    if sp is not None:
        try:
            tokenizer = transformers.T5Tokenizer(vocab_file=spiece, extra_ids=0, legacy=True)
        except Exception as e:  # noqa: BLE001  a transformers without the slow tokenizer: say so, go on
            print(f"random-init: T5Tokenizer({spiece}) failed ({e}); using the byte tokenizer on both sides")
    cfg = SAMAudioConfig(text_encoder={"name": "random-init-t5", "dim": RANDOM_INIT["text_dim"]},
                         vision_encoder={"dim": RANDOM_INIT["vision_dim"]}, transformer=RANDOM_INIT["dit"],
                         span_predictor=None)
    torch.manual_seed(seed)
    with mock.patch.object(transformers.T5EncoderModel, "from_pretrained", lambda *a, **k: transformers.T5EncoderModel(t5)), \
            mock.patch.object(transformers.AutoTokenizer, "from_pretrained", lambda *a, **k: tokenizer), \
            mock.patch.object(vision_encoder.pe.CLIP, "from_config", lambda *a, **k: torch.nn.Identity()):
        model = SAMAudio(cfg)
    with torch.no_grad():
        model.embed_anchors.gate.fill_(RANDOM_INIT["gate"])
        model.align_masked_video.gate.fill_(RANDOM_INIT["gate"])
    return model


def pretrained_model(repo_or_folder):
    """SAMAudio with a checkpoint's weights, without the span predictor and rankers (left out of the pack): upstream's
    own loading, with those three config entries set to None and their keys (if any) dropped from the state dict."""
    import torch
    from sam_audio.model.model import SAMAudio
    folder = repo_or_folder
    revision = None
    if not os.path.isdir(folder):
        from huggingface_hub import snapshot_download
        folder = snapshot_download(repo_id=repo_or_folder, allow_patterns=["config.json", "checkpoint.pt"])
        revision = os.path.basename(os.path.normpath(folder))  # the snapshot's commit
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    config.update(span_predictor=None, visual_ranker=None, text_ranker=None)
    model = SAMAudio(SAMAudio.config_cls(**config))
    state = torch.load(os.path.join(folder, "checkpoint.pt"), weights_only=True, map_location="cpu")
    left_out = ("visual_ranker.", "text_ranker.", "span_predictor")
    state = {k: v for k, v in state.items() if not k.startswith(left_out)}
    model.load_state_dict(state, strict=True)   # SAMAudio's own: only text_encoder.* may be missing
    return model, revision


def upstream_anchor_row():
    """Checks the runner's anchors against Batch.process_anchors: a text-only prompt gets ids [0, 3] with valid frames
    aligned to 0 (padding to 1), and a "+" and a "-" span get ids 1 and 2 over the frames ceil(start * 48000 / 1920)
    to ceil(end * 48000 / 1920) (exclusive), so embed(ids[alignment]) equals the runner's row C.ANCHOR_IDS with
    alignment 2 / 3. Returns the text-only row."""
    import torch
    from sam_audio.processor import Batch
    probe = types.SimpleNamespace(audios=torch.zeros(1, 1, 4 * C.HOP), hop_length=C.HOP,
                                  audio_sampling_rate=C.SAMPLE_RATE,
                                  audio_pad_mask=torch.tensor([[True, True, True, False]]))
    probe._wav_to_feature_idx = lambda wav_idx: Batch._wav_to_feature_idx(probe, wav_idx)
    Batch.process_anchors(probe, None)
    if probe.anchor_alignment.tolist() != [[0, 0, 0, 1]]:
        raise SystemExit(f"upstream anchor alignment changed: {probe.anchor_alignment.tolist()}; update export.py")
    row = probe.anchor_ids[0].tolist()
    if row != C.ANCHOR_IDS[:2]:
        raise SystemExit(f"upstream text-only anchor ids {row}, the runner feeds {C.ANCHOR_IDS[:2]}; update the contract")
    Batch.process_anchors(probe, [[("+", 0.0, 0.05), ("-", 0.05, 0.1)]])   # frames [0, 2) and [2, 3)
    gathered = probe.anchor_ids.gather(1, probe.anchor_alignment)[0].tolist()
    if gathered != [C.ANCHOR_PRESENT, C.ANCHOR_PRESENT, C.ANCHOR_ABSENT, C.ANCHOR_PAD]:
        raise SystemExit(f"upstream span anchors give ids {gathered} per frame; update the contract and the runner")
    return row


def set_watermark(codec, message):
    """Makes codec.decoder use `message` (16 bits) or, for None, no watermark: the decoder's output before the
    watermark is added (wm_model.encoder_block.forward_no_conv of the last block, linear blending). Applies to the
    export and to separate() alike."""
    import torch
    decoder = codec.decoder
    original = type(decoder).forward
    if message is None:
        block = getattr(getattr(decoder, "wm_model", None), "encoder_block", None)
        if block is None or not hasattr(block, "forward_no_conv") or getattr(decoder, "blending", "linear") != "linear":
            raise SystemExit("--watermark off: this dacvae decoder has no wm_model.encoder_block.forward_no_conv "
                             "with linear blending; export.py needs updating for it")

        def forward(x, message=None):
            for layer in decoder.model:
                x = layer(x)
            return block.forward_no_conv(x)
    else:
        if "message" not in inspect.signature(original).parameters:
            raise SystemExit("--watermark fixed: this dacvae decoder takes no message")
        bits = torch.tensor([message], dtype=torch.float32)

        def forward(x, message=None):
            return original(decoder, x, message=bits.to(x.device).expand(x.shape[0], -1))
    decoder.forward = forward


# ----------------------------------------------------------------------------------------------- graphs

def graph_modules(model, dtype):
    import torch
    from torch import nn

    class TextEncoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.t5 = model.text_encoder.model

        def forward(self, input_ids, attention_mask):
            return self.t5(input_ids=input_ids, attention_mask=attention_mask)["last_hidden_state"].float()

    class CodecEncoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.codec = model.audio_codec

        def forward(self, waveform):
            return self.codec(waveform.to(dtype)).transpose(1, 2).float()

    class DitVelocity(nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, noisy_latent, time, audio_features, text_features, text_mask, anchor_ids, anchor_alignment):
            x = noisy_latent.to(dtype)
            features = torch.cat([audio_features, audio_features], dim=2).to(dtype)  # SAMAudio._get_audio_features
            frames = torch.zeros_like(noisy_latent[:, :, 0], dtype=torch.int64)
            velocity = self.model(
                noisy_audio=x, audio_features=features, text_features=text_features.to(dtype), time=time.to(dtype),
                masked_video_features=self.model._get_video_features(None, features),
                text_mask=text_mask != 0,
                anchor_ids=anchor_ids, anchor_alignment=anchor_alignment,
                audio_pad_mask=frames == 0)
            return velocity.float()

    class CodecDecoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.codec = model.audio_codec

        def forward(self, latent):
            return self.codec.decode(latent.to(dtype).transpose(1, 2)).float()

    return {"text_encoder": TextEncoder(), "codec_encoder": CodecEncoder(),
            "dit_velocity": DitVelocity(), "codec_decoder": CodecDecoder()}


def examples(graph, frames, text_dim, device):
    import torch
    b, l = 2, 7
    g = torch.Generator().manual_seed(0)
    made = {
        "text_encoder": (torch.randint(3, 50, (b, l), generator=g), torch.ones(b, l, dtype=torch.int64)),
        "codec_encoder": (0.1 * torch.randn(b, 1, frames * C.HOP, generator=g),),
        "dit_velocity": (torch.randn(b, frames, C.STATE_CHANNELS, generator=g), torch.rand(b, generator=g),
                         torch.randn(b, frames, C.LATENT_CHANNELS, generator=g), torch.randn(b, l, text_dim, generator=g),
                         torch.ones(b, l, dtype=torch.int64), torch.tensor([C.ANCHOR_IDS] * b),
                         torch.randint(0, len(C.ANCHOR_IDS), (b, frames), generator=g)),
        "codec_decoder": (torch.randn(b, frames, C.LATENT_CHANNELS, generator=g),),
    }[graph]
    return tuple(t.to(device) for t in made)


def export_graph(graph, module, example, folder, opset, exporter, text_dim):
    """Exports one graph to folder/<graph>.onnx (weights over 1.5 GB go to <graph>.onnx.data) and checks it."""
    import onnx
    import torch
    final = os.path.join(folder, C.FILES[graph])
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, C.FILES[graph])
        kwargs = dict(opset_version=opset, input_names=C.input_names(graph), output_names=C.output_names(graph),
                      dynamic_axes=C.dynamic_axes(graph), do_constant_folding=True)
        if "dynamo" in inspect.signature(torch.onnx.export).parameters:
            kwargs["dynamo"] = exporter == "dynamo"
        elif exporter == "dynamo":
            raise SystemExit("--exporter dynamo needs a torch.onnx.export with dynamo=")
        with torch.no_grad():
            torch.onnx.export(module.eval(), example, path, **kwargs)
        model = onnx.load(path)                     # pulls in any external data the exporter wrote
    model.producer_name = "samaudio-export"
    model.doc_string = f"SAM-Audio {graph}, exported by models/sam-audio/export.py from {C.UPSTREAM_REPO}@{C.UPSTREAM_COMMIT[:12]}"
    C.check(graph, model, text_dim)
    weights = sum(len(t.raw_data) for t in model.graph.initializer)
    if weights > 1.5 * 2 ** 30:
        onnx.save_model(model, final, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=C.FILES[graph] + ".data", size_threshold=1024)
    else:
        onnx.save_model(model, final)
    onnx.checker.check_model(final)
    return [n for n in os.listdir(folder) if n.startswith(C.FILES[graph])]


# ----------------------------------------------------------------------------------------------- pack files

def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_manifest(folder, pack_id, text_model, text_dim, segment, overlap, description):
    """modelpack.json in the loader's format (samaudio.modelpack/v1), sha256 of every other file in the folder."""
    files = {n: sha256(os.path.join(folder, n)) for n in sorted(os.listdir(folder)) if n != "modelpack.json"}
    manifest = {
        "schema": "samaudio.modelpack/v1",
        "id": pack_id,
        "version": "1.0.0",
        "family": "flow",
        "description": description,
        "sampleRate": C.SAMPLE_RATE,
        "channels": 1,
        "segmentSeconds": segment,
        "overlapSeconds": overlap,
        "textEncoder": {"kind": "sentencepiece-unigram", "model": text_model, "dimension": text_dim,
                        "tokenizer": "spiece.model", "graph": "text_encoder"},
        "graphs": C.manifest_graphs(),
        "files": files,
    }
    with open(os.path.join(folder, "modelpack.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return manifest


def watermark_record(message):
    if message is None:
        return {"mode": "off", "note": "the decoder's output before the watermark is added"}
    value = int("".join(str(int(b)) for b in message), 2)
    return {"mode": "fixed", "message": f"{value:04x}", "bits": [int(b) for b in message], "bitOrder": "msb-first"}


def describe(source, dtype, watermark):
    mark = "off" if watermark is None else "fixed " + watermark_record(watermark)["message"]
    return (f"SAM-Audio ({source}) exported from {C.UPSTREAM_REPO}@{C.UPSTREAM_COMMIT[:12]}; dit/codec {dtype}; "
            f"watermark {mark}; text prompts only (no span prediction, no re-ranking). SAM License.")


# ----------------------------------------------------------------------------------------------- validation

def read_wav(path):
    import wave
    with wave.open(path, "rb") as w:
        if w.getframerate() != C.SAMPLE_RATE or w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise SystemExit(f"{path}: --clip must be 48 kHz mono 16-bit PCM")
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0


def generated_clip(seconds=4.37, seed=5):
    """A deterministic mixture: a tone sweep, a pulsed noise band and a low hum; not a whole number of frames."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * C.SAMPLE_RATE)) / C.SAMPLE_RATE
    sweep = 0.2 * np.sin(2 * np.pi * (300 * t + 400 * t * t))
    pulses = 0.15 * rng.standard_normal(t.size) * (np.sin(2 * np.pi * 2.5 * t) > 0.3)
    hum = 0.1 * np.sin(2 * np.pi * 60 * t)
    return (sweep + pulses + hum).astype(np.float32)


class OrtGraph:
    """An exported graph as a callable on torch tensors, for reference_sampler.sample."""

    def __init__(self, folder, graph, providers):
        import onnxruntime as ort
        self.session = ort.InferenceSession(os.path.join(folder, C.FILES[graph]), providers=providers)
        self.inputs = C.input_names(graph)

    def __call__(self, *tensors):
        import torch
        feeds = {n: t.detach().cpu().numpy() for n, t in zip(self.inputs, tensors)}
        return torch.from_numpy(self.session.run(None, feeds)[0])


def relative(ours, reference):
    return float(np.abs(ours - reference).max() / max(np.abs(reference).max(), 1e-12))


def validate(model, folder, tokenizer_ids, args, device):
    """ONNX Runtime through the runner's loop vs the package's own separate(), same clip, same noise, same watermark."""
    import torch
    try:
        import onnxruntime as ort
    except ImportError:
        raise SystemExit("--validate needs onnxruntime (pip install onnxruntime-gpu, or onnxruntime for CPU)")
    from sam_audio.processor import SAMAudioProcessor
    providers = [p for p in ("CUDAExecutionProvider", "CPUExecutionProvider") if p in ort.get_available_providers()]
    prompts = args.prompt or ["a dog barking", "owl", "rain"]
    waveform = read_wav(args.clip) if args.clip else generated_clip()
    n = waveform.shape[0]
    frames = -(-n // C.HOP)
    noise = R.flow_noise(args.seed, 0, frames)
    report = {"clip": os.path.basename(args.clip) if args.clip else "generated 4.37 s", "samples": n,
              "frames": frames, "prompts": prompts, "seed": args.seed, "steps": args.steps, "providers": providers}

    # Tokens: the runner's (SentencePiece + </s>) against upstream's tokenizer.
    upstream_ids = [model.text_encoder.tokenizer([p], truncation=True, max_length=512, padding="longest",
                                                 return_tensors="pt")["input_ids"][0].tolist() for p in prompts]
    ours = [tokenizer_ids(p) for p in prompts]
    report["tokenizerParity"] = ours == upstream_ids
    if not report["tokenizerParity"]:
        print(f"tokenizer MISMATCH: runner {ours} vs upstream {upstream_ids}")

    class Ids:
        encode = staticmethod(lambda text: tokenizer_ids(text)[:-1])   # sample() appends </s> itself
    graphs = {g: OrtGraph(folder, g, providers) for g in C.GRAPHS}
    target, residual = R.sample(graphs, Ids, waveform, prompts, noise, args.steps)

    model.float()   # the reference: the exported (possibly rounded) weights computed in float32
    processor = SAMAudioProcessor(audio_hop_length=C.HOP, audio_sampling_rate=C.SAMPLE_RATE)
    batch = processor(descriptions=prompts, audios=[torch.from_numpy(waveform)[None]] * len(prompts)).to(device)
    start = torch.from_numpy(noise)[None].repeat(len(prompts), 1, 1).to(device)
    with torch.inference_mode():
        result = model.separate(batch, noise=start)
        latent = model.audio_codec(torch.from_numpy(R.reflect_pad(waveform, frames * C.HOP))[None, None].to(device))
    ref_t = np.stack([w.float().cpu().numpy()[:n] for w in result.target])
    ref_r = np.stack([w.float().cpu().numpy()[:n] for w in result.residual])
    ort_latent = graphs["codec_encoder"](torch.from_numpy(R.reflect_pad(waveform, frames * C.HOP))[None, None])
    report["latentError"] = relative(ort_latent.numpy()[0], latent.float().cpu().numpy()[0].T)
    report["targetError"] = [relative(a, b) for a, b in zip(target, ref_t)]
    report["residualError"] = [relative(a, b) for a, b in zip(residual, ref_r)]
    worst = max(report["targetError"] + report["residualError"])
    limit = args.tolerance if args.tolerance is not None else {"fp32": 1e-3, "fp16": 5e-2, "bf16": 1e-1}[args.dtype]
    report["tolerance"] = limit
    report["passed"] = bool(worst <= limit and report["tokenizerParity"])
    print(f"validate: {len(prompts)} prompts, {n} samples ({frames} frames), seed {args.seed}, {args.steps} steps, "
          f"providers {providers}")
    print(f"  codec latent max abs error / peak: {report['latentError']:.3g}")
    for p, e_t, e_r in zip(prompts, report["targetError"], report["residualError"]):
        print(f"  '{p}': target {e_t:.3g}, residual {e_r:.3g} (max abs error relative to the reference's peak)")
    print(f"  tokenizer parity: {report['tokenizerParity']}; worst {worst:.3g} vs tolerance {limit:g}: "
          f"{'PASSED' if report['passed'] else 'FAILED'}")
    return report


# ----------------------------------------------------------------------------------------------- main

def export(args):
    import torch
    stubbed = stub_missing_modules()
    device = args.device
    dtype = resolve_dtype(args.dtype, device, torch.cuda.is_available(),
                          torch.cuda.is_available() and torch.cuda.is_bf16_supported())
    if args.random_init:
        spiece = args.spiece or os.path.join(TINY_PACK, "spiece.model")
        model, revision, source = random_init_model(args.seed, spiece), None, f"random-init seed {args.seed}"
        text_model = "random-init-t5"
    else:
        source = args.checkpoint or MODELS[args.model]
        model, revision = pretrained_model(source)
        spiece = args.spiece or getattr(model.text_encoder.tokenizer, "vocab_file", None)
        if not spiece or not os.path.isfile(spiece):
            from huggingface_hub import hf_hub_download
            spiece = hf_hub_download(repo_id=model.text_encoder.model.name_or_path or "t5-base", filename="spiece.model")
        text_model = os.path.basename(model.text_encoder.model.name_or_path or "t5-base")
    text_dim = model.text_encoder.model.config.d_model
    model.eval().to(device)
    set_watermark(model.audio_codec, args.watermark)
    anchor_row = upstream_anchor_row()

    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    shutil.copyfile(spiece, os.path.join(args.out, "spiece.model"))
    model.to(dtype)
    model.text_encoder.float()
    modules = graph_modules(model, dtype)
    frames = round(args.trace_seconds * 25)
    written = {}
    for graph, module in modules.items():
        written[graph] = export_graph(graph, module, examples(graph, frames, text_dim, device), args.out,
                                      args.opset, args.exporter, text_dim)
        print(f"{graph}: {', '.join(written[graph])}")

    sp = _sentencepiece(os.path.join(args.out, "spiece.model"))
    if sp is not None and not isinstance(model.text_encoder.tokenizer, _FallbackTokenizer):
        tokenizer_ids = lambda text: sp.encode(text)[:511] + [1]   # noqa: E731  the C# tokenizer's ids
    else:
        tokenizer_ids = lambda text: model.text_encoder.tokenizer([text])["input_ids"][0].tolist()  # noqa: E731
    report = validate(model, args.out, tokenizer_ids, args, device) if args.validate else None

    record = {
        "schema": EXPORT_SCHEMA,
        "upstream": {"repo": C.UPSTREAM_REPO, "commit": C.UPSTREAM_COMMIT, "checkpoint": source,
                     "checkpointRevision": revision},
        "torch": torch.__version__, "exporter": args.exporter, "opset": args.opset, "traceFrames": frames,
        "dtype": {"text_encoder": "fp32", "codec_encoder": args.dtype, "dit_velocity": args.dtype,
                  "codec_decoder": args.dtype, "inputsAndOutputs": "fp32"},
        "watermark": watermark_record(args.watermark),
        "anchors": {"inputs": C.OPTIONAL_INPUTS["dit_velocity"], "textOnlyIds": anchor_row, "runnerIds": C.ANCHOR_IDS},
        "hiddenDefaults": {"audioPadMask": "all frames valid",
                           "maskedVideoFeatures": "zeros through align_masked_video"},
        "leftOut": ["span prediction (PE-A-Frame)", "re-ranking (CLAP, judge, ImageBind)", "vision encoder (PE)"],
        "stubbedImports": stubbed,
        "randomInit": RANDOM_INIT if args.random_init else None,
        "validation": report,
    }
    with open(os.path.join(args.out, "export.json"), "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")
    pack_id = args.pack_id or ("sam-audio-random" if args.random_init else
                               "sam-audio-" + (args.model or os.path.basename(os.path.normpath(source)))
                               + ("" if args.dtype == "fp32" else "-" + args.dtype))
    write_manifest(args.out, pack_id, text_model, text_dim, args.segment_seconds, args.overlap_seconds,
                   describe(source, args.dtype, args.watermark))
    print(f"wrote {args.out} ({pack_id})")
    if report is not None and not report["passed"]:
        raise SystemExit("validation FAILED; the pack was written for inspection")


def self_test():
    """What runs without the upstream package: arguments, refusals, the noise port, the contract checks, pack
    writing against the miniature pack's own files, the runner's loop, and the import stubs."""
    import onnx
    import torch
    failures = []

    def expect(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    def refused(argv):
        with contextlib.redirect_stderr(io.StringIO()):
            try:
                parse_args(argv)
            except SystemExit:
                return True
        return False

    a = parse_args(["--model", "large-tv", "--out", "x", "--watermark", "fixed:A5C3", "--dtype", "bf16", "--opset", "17"])
    expect(a.watermark == [1, 0, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1] and a.opset == 17, "arguments parse")
    expect(watermark_record(a.watermark)["message"] == "a5c3", "watermark record round-trips the message")
    expect(parse_args(["--random-init", "--out", "x", "--watermark", "off"]).watermark is None, "--watermark off")
    for argv, why in ((["--model", "small", "--out", "x"], "no --watermark"),
                      (["--model", "small", "--out", "x", "--watermark", "fixed:123"], "3-digit message"),
                      (["--model", "small", "--out", "x", "--watermark", "on"], "unknown watermark"),
                      (["--model", "huge", "--out", "x", "--watermark", "off"], "unknown model"),
                      (["--model", "small", "--out", "x", "--watermark", "off", "--opset", "16"], "opset 16"),
                      (["--model", "small", "--watermark", "off"], "no --out"),
                      (["--model", "small", "--random-init", "--out", "x", "--watermark", "off"], "two sources"),
                      (["--model", "small", "--out", "x", "--watermark", "off", "--trace-seconds", "10.01"], "partial frame"),
                      (["--model", "small", "--out", "x", "--watermark", "off", "--validate", "--steps", "8"], "steps != 16")):
        expect(refused(argv), f"refuses {why}")
    expect(sorted(MODELS) == ["base", "base-tv", "large", "large-tv", "small", "small-tv"], "six checkpoints")

    def dtype_refusal(*call):
        try:
            resolve_dtype(*call)
        except SystemExit as e:
            return str(e)
        return ""
    expect("no bf16" in dtype_refusal("bf16", "cuda", True, False), "bf16 refused on a GPU without bf16 (T4)")
    expect(resolve_dtype("bf16", "cuda", True, True) == torch.bfloat16, "bf16 where supported")
    expect("exports from a GPU" in dtype_refusal("fp16", "cpu", False, False), "fp16 refused without a GPU")
    expect(resolve_dtype("fp32", "cpu", False, False) == torch.float32, "fp32 on CPU")

    reference = os.path.join(HERE, "..", "..", "tests", "SamAudio.Inference.Tests", "Flow", "Data", "reference")
    committed = R.read(os.path.join(reference, "noise.f32")).reshape(-1, C.STATE_CHANNELS)
    expect(np.array_equal(R.flow_noise(17, 0, committed.shape[0]), committed), "flow_noise equals the C# FlowNoise bits")

    with tempfile.TemporaryDirectory() as tmp:
        for name in [C.FILES[g] for g in C.GRAPHS] + ["spiece.model"]:
            shutil.copyfile(os.path.join(TINY_PACK, name), os.path.join(tmp, name))
        for graph in C.GRAPHS:
            C.check(graph, onnx.load(os.path.join(tmp, C.FILES[graph])), 32)
        expect(True, "the miniature pack's graphs pass graph_contract.check")
        broken = os.path.join(HERE, "..", "..", "tests", "SamAudio.Inference.Tests", "Flow", "Data", "text_encoder.float_mask.onnx")
        try:
            C.check("text_encoder", onnx.load(broken), 32)
            expect(False, "check refuses a float attention_mask")
        except ValueError:
            expect(True, "check refuses a float attention_mask")
        with open(os.path.join(tmp, "export.json"), "w") as f:
            json.dump({"schema": EXPORT_SCHEMA, "watermark": watermark_record(None)}, f)
        ours = write_manifest(tmp, "sam-audio-tiny", "tiny-t5-like", 32, 2, 0.4, describe("self-test", "fp32", None))
        with open(os.path.join(TINY_PACK, "modelpack.json")) as f:
            theirs = json.load(f)
        same = [k for k in theirs if k not in ("description", "files") and theirs[k] != ours[k]]
        expect(not same and list(ours) == list(theirs), f"modelpack.json has the miniature pack's fields and values {same}")
        expect(all(ours["files"][k] == v for k, v in theirs["files"].items()), "sha256 of every file as the miniature pack's")
        expect(set(ours["files"]) - set(theirs["files"]) == {"export.json"}, "export.json is hashed in files")

    waveform = R.read(os.path.join(reference, "input.f32"))
    sp = _sentencepiece(os.path.join(TINY_PACK, "spiece.model"))
    target, residual = R.sample(R.modules(), sp, waveform, ["a dog barking", "owl"], committed, 16)
    expect(relative(target, R.read(os.path.join(reference, "target.f32")).reshape(target.shape)) < 1e-6
           and relative(residual, R.read(os.path.join(reference, "residual.f32")).reshape(residual.shape)) < 1e-6,
           "the runner's loop (reference_sampler.sample) reproduces the committed reference")

    name = "samaudio_selftest_absent.sub"
    stubbed = stub_missing_modules(("samaudio_selftest_absent", name))
    from samaudio_selftest_absent.sub import Anything  # noqa: F401  resolved through the stub
    expect(stubbed == ["samaudio_selftest_absent", name] and isinstance(Anything, _Stub), "missing imports are stubbed")
    for m in stubbed:
        del sys.modules[m]
    expect(generated_clip().shape[0] % C.HOP != 0, "the generated clip is not whole frames (exercises the padding)")
    print(f"self-test: {len(failures)} failures")
    return 1 if failures else 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.self_test:
        return self_test()
    export(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
