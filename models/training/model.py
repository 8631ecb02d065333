"""samaudio-mini: a text-queried time-frequency mask separator small enough for a 2-core CPU.

Graph (exported by export.py): magnitude [1, 257, T] + prompt_embedding [P, 384] -> mask [P, 257, T] in [0, 1].
The audio encoder runs once per window; FiLM fusion and the mask decoder run per prompt (batch axis P).
STFT (outside the graph): torch.stft(n_fft=512, hop_length=128, periodic Hann, center=True, reflect).
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


class FrameNorm(nn.Module):
    """Layer norm over channels at every frame (no statistics across time, so windows are independent)."""

    def __init__(self, channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(1, channels, 1))
        self.bias = nn.Parameter(torch.zeros(1, channels, 1))

    def forward(self, x):
        mean = x.mean(dim=1, keepdim=True)
        var = (x - mean).pow(2).mean(dim=1, keepdim=True)
        return (x - mean) * torch.rsqrt(var + 1e-5) * self.weight + self.bias


class Block(nn.Module):
    """Residual TCN block: 1x1 expand, dilated depthwise conv over time, 1x1 project."""

    def __init__(self, channels, hidden, dilation):
        super().__init__()
        self.norm = FrameNorm(channels)
        self.expand = nn.Conv1d(channels, hidden, 1)
        self.depthwise = nn.Conv1d(hidden, hidden, 3, padding=dilation, dilation=dilation, groups=hidden)
        self.project = nn.Conv1d(hidden, channels, 1)

    def forward(self, x, film=None):
        y = self.norm(x)
        if film is not None:
            gamma, beta = film
            y = y * (1 + gamma) + beta
        y = F.gelu(self.expand(y))
        y = F.gelu(self.depthwise(y))
        return x + self.project(y)


class Separator(nn.Module):
    def __init__(self, channels=192, hidden=384, encoder_dilations=(1, 2, 4, 8, 16, 1), decoder_dilations=(1, 2, 4, 8), level="logmean"):
        super().__init__()
        self.channels = channels
        self.level = level
        # stride 2 over time halves the work of every block; the decoder upsamples back to the STFT frame rate
        self.inp = nn.Conv1d(BINS, channels, 4, stride=2, padding=1)
        self.encoder = nn.ModuleList(Block(channels, hidden, d) for d in encoder_dilations)
        self.prompt = nn.Sequential(nn.Linear(EMBED, 256), nn.GELU(), nn.Linear(256, 2 * channels * len(decoder_dilations)))
        self.decoder = nn.ModuleList(Block(channels, hidden, d) for d in decoder_dilations)
        self.out_norm = FrameNorm(channels)
        self.out = nn.ConvTranspose1d(channels, BINS, 4, stride=2, padding=1)
        nn.init.zeros_(self.prompt[2].weight)
        nn.init.zeros_(self.prompt[2].bias)

    def encode(self, magnitude):
        """magnitude [B, 257, T] (linear) -> features [B, C, ceil(T/2)]."""
        x = torch.log(magnitude + 1e-4)
        # level invariance: a gain is an offset in the log domain, so subtract the window's level.
        # "logmean" (log of the mean magnitude) barely moves when the pipeline zero-pads a short last window;
        # "meanlog" (mean of the log, the first trained pack) drops by several nats then and changes the masks.
        if self.level == "meanlog":
            x = x - x.mean(dim=(1, 2), keepdim=True)
        else:
            x = x - torch.log(magnitude.mean(dim=(1, 2), keepdim=True) + 1e-4)
        x = F.pad(x, (0, 1))  # one extra frame: the stride-2 encoder then covers odd and even T; the mask is cropped back
        h = self.inp(x)
        for block in self.encoder:
            h = block(h)
        return h

    def decode(self, h, embedding, frames):
        """h [B or 1, C, T2], embedding [P, 384] -> mask [P, 257, frames]."""
        films = self.prompt(embedding).view(embedding.shape[0], len(self.decoder), 2, self.channels, 1)
        y = h.expand(embedding.shape[0], -1, -1) if h.shape[0] == 1 else h
        for i, block in enumerate(self.decoder):
            y = block(y, (films[:, i, 0], films[:, i, 1]))
        mask = torch.sigmoid(self.out(F.gelu(self.out_norm(y))))
        return mask[:, :, :frames]

    def forward(self, magnitude, prompt_embedding):
        return self.decode(self.encode(magnitude), prompt_embedding, magnitude.shape[2])


def separate(model, mixture, embedding):
    """Training/eval path: mixture [B, N], embedding [B, 384] (one prompt per mixture) -> target [B, N]."""
    spec = stft(mixture)
    h = model.encode(spec.abs())
    mask = model.decode(h, embedding, spec.shape[2])
    return istft(mask * spec, mixture.shape[1])
