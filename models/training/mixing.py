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


def active_rms(src):
    """Per row of src [rows, n]: its energy and its RMS over the samples where it sounds (|x| > 1e-4), so that a short
    event placed in a long window is levelled by itself, not by the silence around it."""
    energy = src.pow(2).sum(1)
    count = (src.abs() > 1e-4).sum(1).clamp(min=1)
    return energy, (energy / count).sqrt().clamp(min=1e-5)


def colour(src, rng, rows, n, reverb, peaks):
    """Filtering, equaliser peaks and rooms (see make_batch) applied to rows of src [rows, n]; consumes rng in a
    fixed order, so batches of earlier runs are unchanged."""
    dev = src.device
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
    return src


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
        src = colour(src, rng, rows, n, reverb, peaks)
    # equal loudness over the active part, then relative gains of -5..+5 dB
    energy, rms = active_rms(src)
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


# Continuous sounds that make the beds of field recordings (weather, water, hum and hiss of the recorder's world)
BED_CLASSES = ("wind", "rain", "water", "fire", "hum", "hiss")
FIELD_SLOTS = 7  # 0-1 beds, 2-4 occurrences of the target class, 5-6 distractor events


def make_field_batch(lib, rng, batch, seconds=10.0, augment=True, absent=0.25, bed_prompt=0.1, reverb=0.0, peaks=0.0,
                     targets=None):
    """Windows of a field recording: a bed of one or two continuous sounds (BED_CLASSES, looped from a random start,
    the second 0..10 dB under the first, the whole bed drifting by up to +-3 dB across the window), 1-3 occurrences of
    the target class and 0-2 distractor events of other classes, each placed once at a random time, so that a share
    of them enters late or is cut by the window's edges. Events: short clips (up to 6 s) whole, long and looped ones as a
    stretch of 0.3-5 s (log-uniform: median 1.2 s) with 20 ms fades. Event levels: target -5..+15 dB and distractors 0..+10 dB against the bed's RMS, over
    the event's own active samples; the bed sits at -50..-20 dBFS RMS, as recorders set for quiet scenes do.

    The prompt names the target class; with probability `bed_prompt` it names the first bed's class instead (target =
    that bed), and with probability `absent` a class in no slot (target = silence: the window holds no prompted sound).
    Returns the same tuple as make_batch. `targets` (one class per example) fixes the event class, for evaluation."""
    n = int(seconds * RATE)
    beds = np.array([c for c in lib.present if lib.names[c] in BED_CLASSES])
    events = np.array([c for c in lib.present if lib.names[c] not in BED_CLASSES])
    rows = batch * FIELD_SLOTS
    classes = np.zeros((batch, FIELD_SLOTS), dtype=np.int64)
    active = np.zeros((batch, FIELD_SLOTS), dtype=bool)
    for b in range(batch):
        classes[b, 0:2] = rng.choice(beds, size=2, replace=False)
        active[b, 0] = True
        active[b, 1] = rng.random() < 0.4
        target = targets[b] if targets is not None else rng.choice(events)
        classes[b, 2:5] = target
        active[b, 2:5] = np.arange(3) < rng.integers(1, 4)
        classes[b, 5:7] = rng.choice([c for c in events if c != target], size=2, replace=False)
        active[b, 5:7] = rng.random(2) < 0.5
    # only the active slots are rendered (about half of them): the rest stay silent
    live = np.nonzero(active.reshape(-1))[0]
    rows = len(live)
    flat = classes.reshape(-1)[live]
    clip = np.array([rng.choice(lib.by_class[c]) for c in flat])
    rate = np.where(rng.random(rows) < 0.6, rng.uniform(0.85, 1.18, rows), 1.0) if augment else np.ones(rows)
    clip_len = lib.lengths[clip]
    is_bed = (live % FIELD_SLOTS) < 2
    # event stretch: a long or looped clip gives 0.3-5 s of itself; a short clip is used whole
    want = (np.exp(rng.uniform(np.log(0.3), np.log(5.0), rows)) * RATE).astype(np.int64)
    seg_len = np.where(lib.looped[flat] | (clip_len > 6 * RATE), np.minimum(want, clip_len), clip_len).clip(1)
    seg_start = (rng.random(rows) * (clip_len - seg_len + 1)).astype(np.int64)
    span = np.ceil(seg_len / rate).astype(np.int64)  # samples the event lasts in the window after the speed change
    place = (rng.random(rows) * (n + span) - span * 0.5).astype(np.int64) - (span // 2)
    loop_start = (rng.random(rows) * clip_len).astype(np.int64)

    dev = lib.device
    column = lambda values: torch.from_numpy(values).to(dev)[:, None]
    t = (torch.arange(n, device=dev, dtype=torch.float64)[None, :] - column(place)) * column(rate)
    bed_rows, length, seg, first = column(is_bed), column(clip_len), column(seg_len), column(lib.offsets[clip])
    looped_from = column(place + loop_start)
    fade = int(0.02 * RATE)

    def fetch(pos):
        # beds: the clip looped from a random start over the whole window; events: their stretch once, at `place`
        index = torch.where(bed_rows, (pos + looped_from) % length,
                            (pos.clamp(min=0).clamp(max=seg - 1) + column(seg_start)).clamp(max=length - 1))
        values = lib.audio[first + index]
        ramp = torch.minimum(pos.float() / fade, (seg - 1 - pos).float() / fade).clamp(0, 1)
        return torch.where(bed_rows, values, values * ramp)

    i0 = t.floor().long()
    frac = (t - i0).float()
    rendered = fetch(i0) * (1 - frac) + fetch(i0 + 1) * frac
    if augment:
        rendered = colour(rendered, rng, rows, n, reverb, peaks)
    energy, rms = active_rms(rendered)
    level_db = np.zeros(batch * FIELD_SLOTS)
    level_db[1::FIELD_SLOTS] = rng.uniform(-10, 0, batch)
    for slot, (lo, hi) in ((2, (-5, 15)), (3, (-5, 15)), (4, (-5, 15)), (5, (0, 10)), (6, (0, 10))):
        level_db[slot::FIELD_SLOTS] = rng.uniform(lo, hi, batch)
    gain = torch.from_numpy(10 ** (level_db[live] / 20)).float().to(dev) / rms * (energy > 1e-6)
    src = torch.zeros(batch * FIELD_SLOTS, n, device=dev)
    src[torch.from_numpy(live).to(dev)] = rendered * gain[:, None]
    src = src.view(batch, FIELD_SLOTS, n)
    drift_db = torch.from_numpy(rng.uniform(-3, 3, (batch, 2))).float().to(dev)
    ramp = torch.linspace(0, 1, n, device=dev)[None, :]
    src[:, 0:2] *= 10 ** ((drift_db[:, :1] * (1 - ramp) + drift_db[:, 1:] * ramp) / 20)[:, None, :]
    mixture = src.sum(1)
    bed_level = torch.from_numpy(10 ** (rng.uniform(-50, -20, batch) / 20)).float().to(dev)
    scale = bed_level / src[:, 0].pow(2).mean(1).sqrt().clamp(min=1e-8)
    scale = torch.minimum(scale, 0.99 / mixture.abs().amax(1).clamp(min=1e-8))
    mixture = mixture * scale[:, None]
    src = src * scale[:, None, None]

    prompt_bed = rng.random(batch) < bed_prompt
    is_absent = rng.random(batch) < absent
    prompt = np.where(prompt_bed, classes[:, 0], classes[:, 2])
    target = torch.where(torch.from_numpy(prompt_bed).to(dev)[:, None], src[:, 0], src[:, 2:5].sum(1))
    for b in np.nonzero(is_absent)[0]:
        inside = set(classes[b][active[b]])
        prompt[b] = rng.choice([c for c in lib.present if c not in inside])
    target = target * torch.from_numpy(~is_absent).float().to(dev)[:, None]
    return mixture, target, prompt, is_absent, [list(classes[b][active[b]]) for b in range(batch)]
