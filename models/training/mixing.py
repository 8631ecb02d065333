"""On-the-fly mixtures for samaudio-mini, generated on the training device (GPU or CPU), deterministic per seed.

Every example: 2-3 sources of distinct classes at -5..+5 dB relative level, each with random speed (pitch and time
together, 0.85-1.18x), filtering (low-pass, high-pass, tilt, up to two +-8 dB peaks or dips), room reverberation on a
share of the sources, and placement or looping; the prompt names one of the sources (target = that source, reverberant
as it sounds in the mixture) or, with probability `absent`, a class that is not in the mixture (target = silence).
With `pair`, that share of targets holds a second clip of the same class, so the target is "every owl", not one clip.
"""
import numpy as np
import torch

RATE = 16000
LOOPED_GROUPS = {"environment", "music", "speech"}
REVERB_SECONDS = 0.6  # longest room-response tail; the sources are filtered at n + this length, so the tail never wraps


def mulaw_decode(u8):
    """uint8 mu-law (mu = 255) -> float in [-1, 1]."""
    y = u8.astype(np.float32) / 127.5 - 1.0
    return np.sign(y) * ((1 + 255.0) ** np.abs(y) - 1) / 255.0


def mulaw_encode(x):
    y = np.sign(x) * np.log1p(255.0 * np.minimum(np.abs(x), 1.0)) / np.log1p(255.0)
    return np.clip(np.round((y + 1) * 127.5), 0, 255).astype(np.uint8)


class Library:
    """Clip library of one split, held as one flat tensor on the device."""

    def __init__(self, npz_path, groups, device):
        data = np.load(npz_path)
        audio = data["audio"]
        audio = mulaw_decode(audio) if audio.dtype == np.uint8 else audio.astype(np.float32) / 32767.0
        self.audio = torch.from_numpy(audio).to(device)
        self.offsets = data["offsets"].astype(np.int64)
        self.lengths = data["lengths"].astype(np.int64)
        self.classes = data["classes"].astype(np.int64)
        self.names = [str(n) for n in data["names"]]
        self.looped = np.array([groups[n] in LOOPED_GROUPS for n in self.names])
        self.by_class = {c: np.nonzero(self.classes == c)[0] for c in range(len(self.names))}
        self.present = np.array(sorted(c for c, ids in self.by_class.items() if len(ids)))
        self.device = device


def make_batch(lib, rng, batch, seconds=4.0, augment=True, absent=0.2, three=0.5, targets=None, reverb=0.0, peaks=0.0,
               pair=0.0):
    """Returns mixture [B, N], target [B, N], prompt class [B] (numpy), is_absent [B] (numpy), source classes (list).

    With `augment`, a share `reverb` of the sources passes through a synthetic room (direct path plus an exponentially
    decaying noise tail, RT60 0.15-0.6 s, direct-to-reverberant ratio 0-12 dB) and each of two equaliser peaks is
    active with probability `peaks`. A share `pair` of the target sources gets a fourth slot: another clip (or another
    stretch of the same clip) of the target's class, summed into the target. All three default to off, so batches of
    earlier runs are unchanged."""
    n = int(seconds * RATE)
    slots = 4 if pair > 0 else 3  # slot 0 is the target, slot 3 its same-class partner
    rows = batch * slots
    classes = np.zeros((batch, slots), dtype=np.int64)
    active = np.ones((batch, slots), dtype=bool)
    for b in range(batch):
        classes[b, :3] = rng.choice(lib.present, size=3, replace=False)
        if targets is not None:
            others = [c for c in lib.present if c != targets[b]]
            classes[b, :3] = [targets[b]] + list(rng.choice(others, size=2, replace=False))
        active[b, 2] = rng.random() < three
        if pair > 0:
            classes[b, 3] = classes[b, 0]
            active[b, 3] = rng.random() < pair
    clip = np.array([rng.choice(lib.by_class[c]) for c in classes.reshape(-1)])
    rate = np.where(rng.random(rows) < 0.6, rng.uniform(0.85, 1.18, rows), 1.0) if augment else np.ones(rows)
    clip_len = lib.lengths[clip]
    need = np.ceil(n * rate).astype(np.int64) + 2
    loop = lib.looped[classes.reshape(-1)] & (clip_len < need) | (clip_len >= need)
    # looped/long clips: random start (wrapping); short event clips: placed once at a random offset
    start = np.where(clip_len >= need, (rng.random(rows) * np.maximum(clip_len - need, 1)).astype(np.int64),
                     (rng.random(rows) * clip_len).astype(np.int64))
    place = (rng.random(rows) * (need - clip_len * 0.5).clip(1) - clip_len * 0.25).astype(np.int64)

    dev = lib.device
    t = torch.arange(n, device=dev, dtype=torch.float64)[None, :] * torch.from_numpy(rate).to(dev)[:, None]
    i0 = t.floor().long()
    frac = (t - i0).float()

    def fetch(pos):
        length = torch.from_numpy(clip_len).to(dev)[:, None]
        looped = torch.from_numpy(loop).to(dev)[:, None]
        rel_loop = (pos + torch.from_numpy(start).to(dev)[:, None]) % length
        rel_place = pos - torch.from_numpy(place).to(dev)[:, None]
        valid = looped | ((rel_place >= 0) & (rel_place < length))
        rel = torch.where(looped, rel_loop, rel_place.clamp(min=0)).clamp(max=length - 1)
        values = lib.audio[torch.from_numpy(lib.offsets[clip]).to(dev)[:, None] + rel]
        return values * valid

    src = fetch(i0) * (1 - frac) + fetch(i0 + 1) * frac  # linear interpolation: speed change
    if augment:
        tail = int(REVERB_SECONDS * RATE) if reverb > 0 else 0
        size = n + tail
        spec = torch.fft.rfft(src, n=size, dim=1)
        f = torch.fft.rfftfreq(size, 1 / RATE, device=dev)[None, :]
        lp = torch.from_numpy(np.where(rng.random(rows) < 0.25, rng.uniform(2500, 7500, rows), 1e9)).float().to(dev)[:, None]
        hp = torch.from_numpy(np.where(rng.random(rows) < 0.2, rng.uniform(60, 400, rows), 1.0)).float().to(dev)[:, None]
        tilt = torch.from_numpy(rng.uniform(-0.3, 0.3, rows)).float().to(dev)[:, None]
        curve = 1 / (1 + (f / lp) ** 8) / (1 + (hp / f.clamp(min=1)) ** 4) * (f.clamp(min=100) / 1000) ** tilt
        if peaks > 0:
            # microphones and rooms colour a recording: Gaussian peaks/dips on a log-frequency axis
            octaves = torch.log2(f.clamp(min=20))
            for _ in range(2):
                centre = torch.from_numpy(rng.uniform(np.log2(150), np.log2(6000), rows)).float().to(dev)[:, None]
                width = torch.from_numpy(rng.uniform(0.3, 1.5, rows)).float().to(dev)[:, None]
                gain = np.where(rng.random(rows) < peaks, rng.uniform(-8, 8, rows), 0.0)
                gain = torch.from_numpy(gain).float().to(dev)[:, None]
                curve = curve * 10 ** (gain / 20 * torch.exp(-0.5 * ((octaves - centre) / width) ** 2))
        if reverb > 0:
            rooms = np.nonzero(rng.random(rows) < reverb)[0]
            response = np.zeros((rows, tail), dtype=np.float32)
            response[:, 0] = 1.0
            if len(rooms):
                time = np.arange(tail) / RATE
                rt60 = rng.uniform(0.15, 0.6, len(rooms))[:, None]
                decay = rng.standard_normal((len(rooms), tail)) * np.exp(-6.91 * time / rt60)
                decay[:, :int(0.002 * RATE)] = 0.0  # 2 ms before the first reflections
                drr = 10 ** (rng.uniform(0, 12, len(rooms)) / 10)
                decay *= 1 / np.sqrt(drr * (decay ** 2).sum(1))[:, None]
                response[rooms] += decay.astype(np.float32)
            curve = curve * torch.fft.rfft(torch.from_numpy(response).to(dev), n=size, dim=1)
        src = torch.fft.irfft(spec * curve, n=size, dim=1)[:, :n]
    # equal loudness over the active part, then relative gains of -5..+5 dB
    energy = src.pow(2).sum(1)
    count = (src.abs() > 1e-4).sum(1).clamp(min=1)
    rms = (energy / count).sqrt().clamp(min=1e-5)
    gain_db = rng.uniform(-5, 5, rows)
    gain = torch.from_numpy(10 ** (gain_db / 20)).float().to(dev) / rms
    gain = gain * torch.from_numpy(active.reshape(-1)).float().to(dev) * (energy > 1e-6)
    src = (src * gain[:, None]).view(batch, slots, n)
    mixture = src.sum(1)
    peak = mixture.abs().amax(1).clamp(min=1e-6)
    level = torch.from_numpy(10 ** (rng.uniform(-30, -1, batch) / 20) if augment else np.full(batch, 10 ** (-3 / 20))).float().to(dev)
    scale = level / peak
    mixture = mixture * scale[:, None]
    src = src * scale[:, None, None]
    # prompt: source 0 (present) or a class absent from the mixture
    is_absent = rng.random(batch) < absent
    prompt = classes[:, 0].copy()
    for b in np.nonzero(is_absent)[0]:
        inside = set(classes[b][active[b]])
        prompt[b] = rng.choice([c for c in lib.present if c not in inside])
    target = (src[:, 0] + src[:, 3] if pair > 0 else src[:, 0]) * torch.from_numpy(~is_absent).float().to(dev)[:, None]
    return mixture, target, prompt, is_absent, [list(classes[b][active[b]]) for b in range(batch)]
