"""samaudio-mini: a text-queried time-frequency mask separator small enough for a 2-core CPU.

Graph (exported by export.py): magnitude [1, 257, T] + prompt_embedding [P, 384] -> mask [P, 257, T] in [floor, 1].
The audio encoder runs once per window; FiLM fusion and the mask decoder run per prompt (batch axis P).
STFT (outside the graph): torch.stft(n_fft=512, hop_length=128, periodic Hann, center=True, reflect).

Layout is channels-last ([B, frames, C]) so that every weight is a plain matrix product (BLAS), in training and in
ONNX Runtime; the temporal depthwise filter is three shifted, per-channel-weighted copies. With Debian's torch
and OpenBLAS this trains about 1.4x faster on a CPU than the same network written with Conv1d (README.md, "CPU
training"), and the exported graph has no Conv: MatMul/Gemm, LayerNormalization, Pad/Slice and element-wise ops.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_FFT = 512
HOP = 128
BINS = N_FFT // 2 + 1
EMBED = 384


def stft(x):
    """x [B, N] -> complex [B, 257, T] with the product's STFT semantics."""
    return torch.stft(x, n_fft=N_FFT, hop_length=HOP, window=torch.hann_window(N_FFT, device=x.device), center=True,
                      pad_mode="reflect", return_complex=True)


def istft(spec, length):
    return torch.istft(spec, n_fft=N_FFT, hop_length=HOP, window=torch.hann_window(N_FFT, device=spec.device), center=True,
                       length=length)


def shifted(x, d):
    """x [B, T, H] -> y with y[:, t] = x[:, t - d], zeros where t - d falls outside (d may be negative)."""
    if d > 0:
        return F.pad(x[:, :-d], (0, 0, d, 0))
    return F.pad(x[:, -d:], (0, 0, 0, -d))


class Block(nn.Module):
    """Residual TCN block on [B, T, C]: layer norm (+ FiLM), expand, dilated depthwise filter over time, project."""

    def __init__(self, channels, hidden, dilation, dropout=0.0):
        super().__init__()
        self.dilation = dilation
        self.dropout = nn.Dropout(dropout)  # training only: the exported graph (eval mode) has no dropout
        self.norm = nn.LayerNorm(channels)
        self.expand = nn.Linear(channels, hidden)
        self.taps = nn.Parameter(torch.randn(3, hidden) * 0.3)  # weights at t - d, t, t + d per hidden channel
        self.taps_bias = nn.Parameter(torch.zeros(hidden))
        self.project = nn.Linear(hidden, channels)

    def forward(self, x, film=None):
        y = self.norm(x)
        if film is not None:
            gamma, beta = film
            y = y * (1 + gamma) + beta
        y = F.gelu(self.expand(y))
        d = self.dilation
        y = F.gelu(shifted(y, d) * self.taps[0] + y * self.taps[1] + shifted(y, -d) * self.taps[2] + self.taps_bias)
        return x + self.project(self.dropout(y))


class Separator(nn.Module):
    def __init__(self, channels=192, hidden=384, stride=4, encoder_dilations=(1, 2, 4, 8, 16, 1),
                 decoder_dilations=(1, 2, 4, 8), refine_dilations=(), floor=0.03, dropout=0.0):
        super().__init__()
        self.channels = channels
        self.stride = stride
        self.floor = floor
        # `stride` STFT frames (16 ms at stride 2, 32 ms at 4) form one feature frame: every block works at 1/stride
        # of the frame rate, and the output layer predicts the masks of all `stride` frames of its feature frame
        self.inp = nn.Linear(BINS * stride, channels)
        self.encoder = nn.ModuleList(Block(channels, hidden, d, dropout) for d in encoder_dilations)
        self.prompt = nn.Sequential(nn.Linear(EMBED, 256), nn.GELU(), nn.Linear(256, 2 * channels * len(decoder_dilations)))
        self.decoder = nn.ModuleList(Block(channels, hidden, d, dropout) for d in decoder_dilations)
        # refinement blocks after the prompt-conditioned decoder (no FiLM of their own; the state they read is already
        # the prompt's): capacity added to a trained network. train.py --grow appends them with a zero output
        # projection, so the grown network starts as exactly the network it grew from
        self.refine = nn.ModuleList(Block(channels, hidden, d, dropout) for d in refine_dilations)
        self.out_norm = nn.LayerNorm(channels)
        self.out = nn.Linear(channels, BINS * stride)
        nn.init.zeros_(self.prompt[2].weight)
        nn.init.zeros_(self.prompt[2].bias)

    def encode(self, magnitude):
        """magnitude [B, 257, T] (linear) -> features [B, ceil(T / stride), C]."""
        batch, _, frames = magnitude.shape
        x = torch.log(magnitude + 1e-4)
        # level invariance: a gain is an offset in the log domain, so subtract the log of the window's mean magnitude
        # (barely moved when the pipeline zero-pads a short last window, unlike the mean of the log)
        x = x - torch.log(magnitude.mean(dim=(1, 2), keepdim=True) + 1e-4)
        pad = (-frames) % self.stride
        x = F.pad(x, (0, pad)).transpose(1, 2).reshape(batch, (frames + pad) // self.stride, BINS * self.stride)
        h = self.inp(x)
        for block in self.encoder:
            h = block(h)
        return h

    def decode(self, h, embedding, frames):
        """h [B or 1, T', C], embedding [P, 384] -> mask [P, 257, frames] in [floor, 1]."""
        prompts = embedding.shape[0]
        films = self.prompt(embedding).view(prompts, len(self.decoder), 2, 1, self.channels)
        y = h.expand(prompts, -1, -1) if h.shape[0] == 1 else h
        for i, block in enumerate(self.decoder):
            y = block(y, (films[:, i, 0], films[:, i, 1]))
        for block in self.refine:
            y = block(y)
        logits = self.out(F.gelu(self.out_norm(y)))
        logits = logits.reshape(prompts, y.shape[1] * self.stride, BINS).transpose(1, 2)[:, :, :frames]
        # the floor keeps a trace of the mixture (-30 dB at 0.03) where the model closes everything: a prompt it does
        # not recognise gives the quietened mixture, not artefacts, and the loss never sees a fully saturated sigmoid
        return self.floor + (1 - self.floor) * torch.sigmoid(logits)

    def forward(self, magnitude, prompt_embedding):
        return self.decode(self.encode(magnitude), prompt_embedding, magnitude.shape[2])


def separate(model, mixture, embedding):
    """Training/eval path: mixture [B, N], embedding [B, 384] (one prompt per mixture) -> target [B, N]."""
    spec = stft(mixture)
    h = model.encode(spec.abs())
    mask = model.decode(h, embedding, spec.shape[2])
    return istft(mask * spec, mixture.shape[1])
