"""The graph contract of a `flow`-family pack (SAM-Audio): four ONNX graphs, their inputs, outputs, dtypes and shapes.

One module, used by every producer of such graphs: the miniature pack generator
(`models/testpacks/make_sam_audio_tiny.py`) and the export tool (`models/sam-audio/export.py`). The C# runner checks
the same contract when it opens a pack (`src/SamAudio.Inference/Flow/FlowContract.cs`); change both together.

Shapes use names for dynamic axes: B (batch: prompts of a window), N (samples, a multiple of HOP), T (latent frames,
N / HOP), L (text tokens, EOS included). Integers are fixed sizes; TEXT_DIM is the only size that varies between packs
(768 for t5-base, small in the miniature pack) and is declared in modelpack.json as textEncoder.dimension.

Semantics the runner relies on, checked against UPSTREAM_COMMIT (README.md, "Verified against upstream"):
- codec_encoder: 48 kHz mono waveform, reflect-padded by the caller to a multiple of HOP -> the mean of the DACVAE
  posterior, [B, T, 128] (frames first).
- dit_velocity: the flow-matching velocity at time t in [0, 1] (noise at 0, data at 1) of the 256-channel state
  (0-127 target latent, 128-255 residual latent). Inside the graph the DiT input is
  cat[noisy_latent(256), zeros(256), audio_features duplicated(256)]; text_features and text_mask are the T5 states
  and attention mask (1 = token, 0 = padding) for cross-attention. anchor_ids and anchor_alignment are upstream's
  anchors (sam_audio/processor.py Batch.process_anchors, model.py EmbedAnchors): the DiT adds
  embed(anchor_ids.gather(1, anchor_alignment)) per frame, ids ANCHOR_NULL (no claim), ANCHOR_PRESENT ("+"),
  ANCHOR_ABSENT ("-"), ANCHOR_PAD (a zero embedding). Upstream's text-only default is ids [0, 3] with alignment 0 on
  every frame (a window has no padding frames). The two inputs are optional as a pair (OPTIONAL_INPUTS): a pack
  made before them builds that default inside the graph and cannot take span prompts. Every frame is valid and the
  video features are zeros through the gated video projection, inside the graph.
- codec_decoder: latent [B, T, 128] -> waveform [B, 1, T * HOP].
"""

UPSTREAM_REPO = "facebookresearch/sam-audio"
UPSTREAM_COMMIT = "68b48d48fff1ad776d3afefbe634eb5f5d60ba7b"   # 2026-01-05, the head of main when verified

SAMPLE_RATE = 48000
HOP = 1920                 # samples per latent frame: 25 frames/s
LATENT_CHANNELS = 128
STATE_CHANNELS = 2 * LATENT_CHANNELS  # target + residual
OPSETS = (17, 18)          # accepted by the runner; Debian's torch 1.13 exports up to 17
TEXT_DIM = "D"             # placeholder for textEncoder.dimension

FLOAT, INT64 = "float32", "int64"

# Anchor ids (upstream Batch.process_anchors' anchor_dict) and the id row the runner feeds every prompt: alignment
# 0 = no claim, 2 = present, 3 = absent, so embed(ids[alignment]) is what upstream's per-span ids give each frame.
ANCHOR_NULL, ANCHOR_PRESENT, ANCHOR_ABSENT, ANCHOR_PAD = 0, 1, 2, 3
ANCHOR_IDS = [ANCHOR_NULL, ANCHOR_PAD, ANCHOR_PRESENT, ANCHOR_ABSENT]
ALIGN_NONE, ALIGN_PRESENT, ALIGN_ABSENT = 0, 2, 3

# name -> (inputs, outputs); each value is (name, dtype, shape)
GRAPHS = {
    "text_encoder": (
        [("input_ids", INT64, ["B", "L"]),
         ("attention_mask", INT64, ["B", "L"])],
        [("text_features", FLOAT, ["B", "L", TEXT_DIM])],
    ),
    "codec_encoder": (
        [("waveform", FLOAT, ["B", 1, "N"])],
        [("latent", FLOAT, ["B", "T", LATENT_CHANNELS])],
    ),
    "dit_velocity": (
        [("noisy_latent", FLOAT, ["B", "T", STATE_CHANNELS]),
         ("time", FLOAT, ["B"]),
         ("audio_features", FLOAT, ["B", "T", LATENT_CHANNELS]),
         ("text_features", FLOAT, ["B", "L", TEXT_DIM]),
         ("text_mask", INT64, ["B", "L"]),
         ("anchor_ids", INT64, ["B", "A"]),
         ("anchor_alignment", INT64, ["B", "T"])],
        [("velocity", FLOAT, ["B", "T", STATE_CHANNELS])],
    ),
    "codec_decoder": (
        [("latent", FLOAT, ["B", "T", LATENT_CHANNELS])],
        [("waveform", FLOAT, ["B", 1, "N"])],
    ),
}

# Trailing inputs a graph may lack, all together: a pack without them is the contract before span prompts.
OPTIONAL_INPUTS = {"dit_velocity": ["anchor_ids", "anchor_alignment"]}

FILES = {name: name + ".onnx" for name in GRAPHS}


def input_names(graph, optional=True):
    names = [n for n, _, _ in GRAPHS[graph][0]]
    return names if optional else [n for n in names if n not in OPTIONAL_INPUTS.get(graph, [])]


def output_names(graph):
    return [n for n, _, _ in GRAPHS[graph][1]]


def dynamic_axes(graph):
    """torch.onnx.export's dynamic_axes: {value name: {axis: axis name}} for every named (non-integer) axis."""
    inputs, outputs = GRAPHS[graph]
    axes = {}
    for name, _, shape in inputs + outputs:
        named = {i: d for i, d in enumerate(shape) if isinstance(d, str) and d != TEXT_DIM}
        if named:
            axes[name] = named
    return axes


def manifest_graphs():
    """The `graphs` object of modelpack.json."""
    return {g: {"file": FILES[g], "inputs": input_names(g), "outputs": output_names(g)} for g in GRAPHS}


def check(graph, model, text_dim):
    """Raises ValueError when an onnx.ModelProto breaks the contract of `graph` (names, dtypes, ranks, fixed sizes);
    a graph may lack all of its OPTIONAL_INPUTS (not some)."""
    import onnx
    elem = {FLOAT: onnx.TensorProto.FLOAT, INT64: onnx.TensorProto.INT64}
    opset = max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    if opset not in OPSETS:
        raise ValueError(f"{graph}: opset {opset}, the runner accepts {OPSETS}")
    inputs, outputs = GRAPHS[graph]
    init = {i.name for i in model.graph.initializer}
    if not any(v.name in OPTIONAL_INPUTS.get(graph, []) for v in model.graph.input if v.name not in init):
        inputs = [d for d in inputs if d[0] not in OPTIONAL_INPUTS.get(graph, [])]
    for kind, declared, actual in (("input", inputs, [v for v in model.graph.input if v.name not in init]),
                                   ("output", outputs, list(model.graph.output))):
        if [d[0] for d in declared] != [v.name for v in actual]:
            raise ValueError(f"{graph}: {kind}s {[v.name for v in actual]}, contract {[d[0] for d in declared]}")
        for (name, dtype, shape), value in zip(declared, actual):
            t = value.type.tensor_type
            if t.elem_type != elem[dtype]:
                raise ValueError(f"{graph}: {name} has elem_type {t.elem_type}, contract {dtype}")
            dims = [d.dim_value if d.HasField("dim_value") else None for d in t.shape.dim]
            want = [text_dim if d == TEXT_DIM else (d if isinstance(d, int) else None) for d in shape]
            if len(dims) != len(want) or any(w is not None and d is not None and d != w for d, w in zip(dims, want)):
                raise ValueError(f"{graph}: {name} has shape {dims}, contract {shape}")
            if any(w is None and d is not None for d, w in zip(dims, want)):
                raise ValueError(f"{graph}: {name} has a fixed size {dims} where the contract has a dynamic axis {shape}")
