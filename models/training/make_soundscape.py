#!/usr/bin/python3
"""Hour-scale soundscape for `samaudio eval`, built only from recordings reserved for independent evaluation.

Needs (apt-get install; nothing here installs anything): openclonk-data, scratch, gnome-shell-pomodoro-data,
gcompris-qt-data, and Debian's python3-numpy, python3-scipy, python3-soundfile (run with /usr/bin/python3).

Reserved packages, never training or validation (issue 20): openclonk-data, gnome-shell-pomodoro-data, scratch, and
the gcompris-qt-data files the training corpus does not use. Every source below is checked against classes.py and
sources.json before anything is written (`check_held_out`): no file of the soundscape is a training or held-out
clip of the corpus, and the "whole-package" sources (WHOLE_PACKAGES) come from packages classes.py never reads.

What the recording holds (seeded, deterministic; `--minutes 20` by default, `--minutes 60` for an hour):
  beds         wind, rain, stream and crowd loops, one after another in 2-5 min segments with 8 s crossfades, each
               looped with crossfades to length; level about -32 dBFS RMS with a slow drift of up to +-5 dB
               (two sinusoids, periods 2-9 min)
  events       the prompted classes (EVENTS), sparse, never overlapping each other or a distractor, at SNRs drawn
               uniformly from -5..+10 dB (event energy over the bed's energy inside the event's span); a third of
               them straddle a window boundary of the product's grid: 10 s windows every 8 s from 0 s (samaudio-mini's
               modelpack.json: segment 10 s, overlap 2 s), whose edges lie at 8k s and 8k + 2 s; every other event lies
               wholly between two edges
  distractors  sounds no class of the vocabulary covers (DISTRACTORS), at 0..+10 dB over the bed
Writes work/soundscape/: mix.wav, ref_<class>.wav per prompted class (that class's events only, same scale as the
mixture), events.csv (class, start, end, snr, kind, package, file, straddles, heldout), soundscape.json (the
`samaudio eval` file: one item per prompted class and one per absent prompt, with the events file).
"""
import argparse
import csv
import fnmatch
import glob
import io
import json
import os
import sys

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

from build_corpus import qt_resources, trim
from classes import CLASSES, train_captions

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "work", "soundscape")
RATE = 16000
WINDOW, HOP = 10.0, 8.0  # samaudio-mini's windows: 10 s, 2 s overlap, so starts every 8 s from 0
OC = "/usr/share/games/openclonk/Sound.ocg"
SC = "/usr/share/scratch/Media/Sounds"
GC = "/usr/share/gcompris-qt/rcc"
POM = "/usr/share/gnome-pomodoro/sounds"
# packages classes.py never reads (asserted); their events give the whole-package held-out figure
WHOLE_PACKAGES = {"openclonk-data", "scratch", "gnome-shell-pomodoro-data"}
PACKAGE_OF = [(OC, "openclonk-data"), (SC, "scratch"), (GC, "gcompris-qt-data"), (POM, "gnome-shell-pomodoro-data")]

# Prompted classes -> sources, matched by file name as build_corpus does. All six kinds of the filed issue exist in
# the reserved packages: owl (scratch's only owl: every owl event reuses that one recording), dog, gunshot
# (OpenClonk's blunderbuss), dog (scratch's two single barks, 0.15 s each, assembled into runs of 2-4 barks), car (the vocabulary's "engine" class), footsteps (OpenClonk's single steps are assembled
# into walks, as build_corpus does for its step sources; scratch's are walks already) and door.
# "c4g:" names a member of OpenClonk's Sound.ocg, "rcc:" a GCompris bundle member; plain globs are files.
EVENTS = {
    "owl": [f"{SC}/Animal/Owl.wav"],
    "dog": [f"barks:{SC}/Animal/Dog[12].wav"],
    "gunshot": ["c4g:Objects.ocg/Weapons.ocg/Blunderbuss.ocg/GunShoot*.ogg", "c4g:Objects.ocg/Weapons.ocg/Blunderbuss.ocg/BulletShot*.ogg"],
    "engine": [f"{SC}/Effects/CarPassing.wav", f"{SC}/Effects/MotorcyclePassing.wav", f"rcc:{GC}/traffic.rcc::*/car.wav"],
    "footsteps": ["walk:c4g:Clonk.ocg/Movement.ocg/StepHard*.ogg", "walk:c4g:Clonk.ocg/Movement.ocg/StepSoft*.ogg",
                  f"{SC}/Human/Footsteps-1.wav", f"{SC}/Human/Footsteps-2.mp3"],
    "door": ["c4g:Structures.ocg/Door*.wav", f"{SC}/Effects/DoorClose.mp3", f"{SC}/Effects/DoorCreak.wav",
             f"rcc:{GC}/canal_lock.rcc::*/door_*.wav"],
}
# Beds (not prompted). Not birds (the songbird class) and not GCompris's harbour (unheard; may hold boat engines).
BEDS = {
    "wind": ["c4g:Environment.ocg/WindLoop.ogg"],
    "rain": ["c4g:Liquids.ocg/StereoRain.ogg"],
    "stream": ["c4g:Environment.ocg/Waterfall.ogg", f"{SC}/Effects/WaterRunning.mp3"],
    "crowd": [f"{SC}/Human/PartyNoise.wav"],
}
# Out-of-vocabulary distractors: no class covers cats, sea lions, babies, coughs, sneezes, laughter, sewing machines,
# axes or pickaxes (the vocabulary's hammer is nearest to the pickaxe; that is the point of a distractor).
DISTRACTORS = {
    "cat": [f"{SC}/Animal/Meow.wav", f"{SC}/Animal/Kitten.wav", f"{SC}/Animal/Cat.mp3"],
    "sea lion": [f"{SC}/Animal/SeaLion.mp3"],
    "baby": [f"{SC}/Human/BabyCry.mp3"],
    "cough/sneeze": [f"{SC}/Human/Cough-*.wav", f"{SC}/Human/Sneeze-*.wav"],
    "laughter": [f"{SC}/Human/Laugh-*.wav"],
    "sewing machine": [f"{SC}/Effects/SewingMachine.mp3"],
    "axe": ["c4g:Environment.ocg/Tree.ocg/Chop*.wav"],
    "pickaxe": ["c4g:Objects.ocg/Pickaxe.ocg/Clang*.wav"],
}
# Prompts of sounds the recording does not hold (none of them is a bed, an event or a distractor class)
ABSENT = ["siren", "piano", "cow", "helicopter"]
# --validation: the same kind of recording from the corpus's held-out split (library_test.npz, the recordings
# train.py validates on), so that activity thresholds are chosen without touching the reserved packages. Events of
# short calls, walks and passes, beds of weather and water, distractors of classes nobody prompts in it.
VALIDATION_OUT = os.path.join(HERE, "work", "soundscape-validation")
VALIDATION_EVENTS = ["bell", "crow", "dog", "door", "engine", "footsteps", "glass", "gunshot", "owl", "rooster"]
VALIDATION_BEDS = ["wind", "rain", "water", "fire"]
VALIDATION_DISTRACTORS = ["applause", "chicken", "clock", "duck", "horse", "man", "pig", "saw", "sheep", "woman"]
VALIDATION_ABSENT = ["siren", "piano", "cow", "helicopter"]
EVENTS_PER_CLASS_PER_20_MIN = 10
DISTRACTORS_PER_20_MIN = 16
SNR_RANGE = (-5.0, 10.0)
GAP = 1.5  # seconds of bed at least between any two placed sounds


def c4group(path):
    """Files of an OpenClonk group (.ocg/.ocd) as {"Sub.ocg/name": bytes}.

    The format (C4Group, OpenClonk's src/c4group): gzip with its magic changed to 1e 8c; inside, a 204-byte header
    XOR-ed with 0xED and with each 3-byte triplet reversed, holding "RedWolf Design GrpFolder" and the entry count at
    byte 36; then 316-byte entries (name[260], packed, child group, size, reserved, offset: int32 LE) and the data,
    offsets counted from the end of the entry table; child groups are groups again."""
    import gzip
    import struct
    raw = gzip.decompress(b"\x1f\x8b" + open(path, "rb").read()[2:])
    files = {}

    def walk(data, prefix):
        head = bytearray(b ^ 0xED for b in data[:204])
        for i in range(0, 202, 3):
            head[i], head[i + 2] = head[i + 2], head[i]
        if not head.startswith(b"RedWolf Design GrpFolder"):
            raise ValueError(f"{path}: not a C4Group at {prefix or '/'}")
        count = struct.unpack_from("<i", head, 36)[0]
        base = 204 + 316 * count
        for k in range(count):
            entry = data[204 + 316 * k: 204 + 316 * (k + 1)]
            name = entry[:260].split(b"\0")[0].decode("latin1")
            _, child, size, _, offset = struct.unpack_from("<iiiii", entry, 260)
            blob = data[base + offset: base + offset + size]
            if child:
                walk(blob, f"{prefix}{name}/")
            else:
                files[f"{prefix}{name}"] = blob

    walk(raw, "")
    return files


def expand(spec, members):
    """(label, bytes) of every file a source names, sorted."""
    if spec.startswith("c4g:"):
        names = sorted(n for n in members["c4g"] if fnmatch.fnmatch(n, spec[4:]))
        found = [(f"{OC}::{n}", members["c4g"][n]) for n in names]
    elif spec.startswith("rcc:"):
        bundle, pattern = spec[4:].split("::")
        files = qt_resources(bundle)
        found = [(f"{bundle}::{n}", files[n]) for n in sorted(files) if fnmatch.fnmatch(n, pattern)]
    else:
        found = [(p, open(p, "rb").read()) for p in sorted(glob.glob(spec))]
    if not found:
        raise FileNotFoundError(f"{spec}: nothing found; are the packages named in the docstring installed?")
    return found


def decode(label, data):
    audio, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    audio = audio.mean(axis=1).astype(np.float64)
    if rate != RATE:
        g = np.gcd(int(rate), RATE)
        audio = resample_poly(audio, RATE // g, int(rate) // g)
    return audio.astype(np.float32)


def package_of(label):
    if label.startswith("library_test.npz:"):
        return label.split(":")[2]
    for prefix, package in PACKAGE_OF:
        if label.startswith(prefix):
            return package
    raise KeyError(label)


def check_held_out(labels):
    """Asserts that no source is in the corpus and that the whole-package sources' packages are never read by it."""
    corpus = json.load(open(os.path.join(HERE, "sources.json")))
    corpus_paths = {r["path"] for r in corpus["clips"]}
    corpus_packages = {r["package"] for r in corpus["clips"]}
    patterns = [arg for _, _, sources in CLASSES.values() for _, arg, _ in sources]
    for label in labels:
        assert label not in corpus_paths, f"{label} is a clip of the training corpus"
        member = label.replace("::", "")
        assert not any(fnmatch.fnmatch(label, p) or fnmatch.fnmatch(member, p.replace("::", "")) for p in patterns), \
            f"{label} matches a source of classes.py"
        package = package_of(label)
        if package in WHOLE_PACKAGES:
            assert package not in corpus_packages, f"{package} gives clips to the corpus"
            root = dict((p, r) for r, p in PACKAGE_OF)[package]
            assert not any(p.startswith(root) or root.startswith(p.split("*")[0].split("::")[0]) for p in patterns), \
                f"classes.py reads {package}"


def walk_sequence(hits, rng, seconds, period=(0.45, 0.65)):
    """A walk from single steps: one step every 0.45-0.65 s (+-10 %), gains 0.6-1 (as build_corpus's footsteps).
    With another period, runs of barks the same way."""
    out = np.zeros(int(seconds * RATE), dtype=np.float32)
    period, t = rng.uniform(*period), 0.0
    while t < seconds - 0.2:
        hit = hits[rng.integers(len(hits))]
        at = int(t * RATE)
        n = min(len(hit), len(out) - at)
        out[at: at + n] += rng.uniform(0.6, 1.0) * hit[:n]
        t += period * rng.uniform(0.9, 1.1)
    return out


def looped(clip, n, rng, fade=RATE):
    """clip repeated to n samples from a random offset, joined with 1 s equal-power crossfades."""
    fade = min(fade, len(clip) // 4)
    out = np.zeros(n + len(clip), dtype=np.float32)
    ramp = np.sin(np.linspace(0, np.pi / 2, fade)) ** 2
    at, start = 0, int(rng.integers(len(clip) - fade))
    piece = clip[start:]
    while at < n:
        p = piece.copy()
        if at > 0:
            p[:fade] *= np.sqrt(ramp)
            out[at - fade: at] *= np.sqrt(ramp[::-1])
            at -= fade
        out[at: at + len(p)] += p
        at += len(p)
        piece = clip
    return out[:n]


def rms(x):
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)) + 1e-20))


def boundaries(total):
    """Window edges of the product's grid up to total seconds: window k spans [8k, 8k + 10)."""
    starts = np.arange(0, total, HOP)
    return np.unique(np.concatenate([starts, starts + WINDOW]))


def validation_sources():
    """{class: [("file", [(label, audio)])]} of the held-out split's clips, for the event, bed and distractor
    classes of the validation recording. Labels are "library_test.npz:<clip>:<package>:<path>" (sources.json's test
    clips, in library order)."""
    data = np.load(os.path.join(HERE, "work", "library_test.npz"))
    names = [str(n) for n in data["names"]]
    clips = [c for c in json.load(open(os.path.join(HERE, "sources.json")))["clips"] if c["split"] == "test"]
    assert len(clips) == len(data["classes"]), "sources.json and library_test.npz disagree; rebuild the corpus"
    tables = {}
    for k, (offset, length, cls) in enumerate(zip(data["offsets"], data["lengths"], data["classes"])):
        assert clips[k]["class"] == names[cls], f"test clip {k}: sources.json says {clips[k]['class']}, the library {names[cls]}"
        audio = data["audio"][offset: offset + length].astype(np.float32) / 32767.0
        label = f"library_test.npz:{k}:{clips[k]['package']}:{clips[k]['path']}"
        tables.setdefault(names[cls], []).append(("file", [(label, audio)]))
    for reserved in WHOLE_PACKAGES | {"gcompris-qt-data"}:
        assert not any(f[0][0].split(":")[2] == reserved for t in tables.values() for _, f in t), f"{reserved} is reserved for evaluation"
    pick = lambda classes: {c: tables[c] for c in classes}
    return pick(VALIDATION_EVENTS), pick(VALIDATION_BEDS), pick(VALIDATION_DISTRACTORS), VALIDATION_ABSENT


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--out", default=None, help=f"default {OUT}, or {VALIDATION_OUT} with --validation")
    parser.add_argument("--validation", action="store_true",
                        help="build the validation recording from the corpus's held-out split instead of the reserved packages")
    args = parser.parse_args()
    args.out = args.out or (VALIDATION_OUT if args.validation else OUT)
    if args.validation and args.seed == parser.get_default("seed"):
        args.seed = 20261204  # never the evaluation recording's seed
    rng = np.random.default_rng(args.seed)
    total = args.minutes * 60
    n = int(total * RATE)
    members = {"c4g": c4group(OC)}

    def load(table):
        loaded = {}
        for name, specs in table.items():
            loaded[name] = []
            for spec in specs:
                kind = spec.split(":")[0] if spec.split(":")[0] in ("walk", "barks") else "file"
                spec = spec[len(kind) + 1:] if kind != "file" else spec
                files = [(label, trim(decode(label, data))) for label, data in expand(spec, members)]
                if kind != "file":
                    loaded[name].append((kind, files))
                else:
                    loaded[name] += [("file", [f]) for f in files]
        return loaded

    if args.validation:
        events, beds, distractors, absent = validation_sources()
    else:
        events, beds, distractors, absent = load(EVENTS), load(BEDS), load(DISTRACTORS), ABSENT
        labels = [label for table in (events, beds, distractors) for sources in table.values() for _, files in sources for label, _ in files]
        check_held_out(labels)

    # --- beds -------------------------------------------------------------------------------------------------
    bed = np.zeros(n, dtype=np.float32)
    names = sorted(beds)
    at, last, fade = 0, None, 8 * RATE
    while at < n:
        kind = rng.choice([b for b in names if b != last])
        last = kind
        _, files = beds[kind][rng.integers(len(beds[kind]))]
        seg = int(rng.uniform(120, 300) * RATE)
        piece = looped(files[0][1], min(seg, n - at) + fade, rng)
        piece *= 10 ** (-32 / 20) / rms(piece)
        ramp = np.linspace(0, 1, fade, dtype=np.float32)
        if at > 0:
            piece[:fade] *= ramp
        piece[-fade:] *= ramp[::-1]
        end = min(n, at + len(piece))
        bed[at:end] += piece[: end - at]
        at += len(piece) - fade
    t = np.arange(n) / RATE
    drift_db = sum(2.5 * np.sin(2 * np.pi * t / rng.uniform(120, 540) + rng.uniform(0, 2 * np.pi)) for _ in range(2))
    bed *= (10 ** (drift_db / 20)).astype(np.float32)

    # --- placement ----------------------------------------------------------------------------------------------
    edges = boundaries(total)
    taken = []  # (start, end) seconds

    def free(s, e):
        return s >= 1.0 and e <= total - 1.0 and all(e + GAP <= a or s >= b + GAP for a, b in taken)

    def place(length, straddle):
        for _ in range(2000):
            if straddle:
                edge = edges[rng.integers(1, len(edges) - 1)]
                s = edge - rng.uniform(0.2, 0.8) * length
            else:
                k = rng.integers(int(total // HOP))
                lo, hi = k * HOP + (WINDOW - HOP) + 0.1, (k + 1) * HOP - 0.1 - length
                if hi <= lo:
                    return None
                s = rng.uniform(lo, hi)
            if free(s, s + length):
                return s
        return None

    def clip_of(kind, files, straddle):
        if kind == "walk":
            x = walk_sequence([f[1] for f in files], rng, rng.uniform(3.0, 5.5))
            return x, files[0][0].rsplit("/", 1)[0] + "/Step*", kind
        if kind == "barks":
            x = walk_sequence([f[1] for f in files], rng, rng.uniform(0.6, 1.8), period=(0.3, 0.55))
            return x, files[0][0].rsplit("/", 1)[0] + "/Dog[12].wav", kind
        label, x = files[0]
        longest = 8.0 if straddle else HOP - (WINDOW - HOP) - 0.4  # an event between edges fits in 5.8 s
        if len(x) > longest * RATE:
            start = int(rng.integers(0, len(x) - int(longest * RATE)))
            x = x[start: start + int(longest * RATE)].copy()
            x[-800:] *= np.linspace(1, 0, 800, dtype=np.float32)
            x[:160] *= np.linspace(0, 1, 160, dtype=np.float32)
        return x, label, "file"

    scale = args.minutes / 20.0
    per_class = int(round(EVENTS_PER_CLASS_PER_20_MIN * scale))
    mix = bed.copy()
    refs = {c: np.zeros(n, dtype=np.float32) for c in events}
    rows = []
    order = [(c, i) for i in range(per_class) for c in sorted(events)]
    for j, (c, i) in enumerate(order):
        straddle = j % 3 == 0
        kind, files = events[c][i % len(events[c])]
        x, label, _ = clip_of(kind, files, straddle)
        s = place(len(x) / RATE, straddle)
        if s is None:
            print(f"warning: no room for a {c} event", file=sys.stderr)
            continue
        a = int(s * RATE)
        x = x[: n - a]
        snr = float(rng.uniform(*SNR_RANGE))
        x = x * (rms(bed[a: a + len(x)]) / rms(x) * 10 ** (snr / 20))
        refs[c][a: a + len(x)] += x
        mix[a: a + len(x)] += x
        e = s + len(x) / RATE
        taken.append((s, e))
        rows.append({"class": c, "start": s, "end": e, "snr": snr, "kind": "event", "package": package_of(label), "file": label})
    for i in range(int(round(DISTRACTORS_PER_20_MIN * scale))):
        name = sorted(distractors)[i % len(distractors)]
        _, files = distractors[name][rng.integers(len(distractors[name]))]
        x, label, _ = clip_of("file", files, True)
        s = place(len(x) / RATE, bool(rng.random() < 1 / 3))
        if s is None:
            continue
        a = int(s * RATE)
        snr = float(rng.uniform(0, 10))
        x = x * (rms(bed[a: a + len(x)]) / rms(x) * 10 ** (snr / 20))
        mix[a: a + len(x)] += x
        taken.append((s, s + len(x) / RATE))
        rows.append({"class": name, "start": s, "end": s + len(x) / RATE, "snr": snr, "kind": "distractor", "package": package_of(label), "file": label})

    peak = float(np.max(np.abs(mix)))
    gain = 0.9 / peak if peak > 0.9 else 1.0
    os.makedirs(args.out, exist_ok=True)
    sf.write(os.path.join(args.out, "mix.wav"), mix * gain, RATE, subtype="PCM_16")
    for c, r in refs.items():
        sf.write(os.path.join(args.out, f"ref_{c}.wav"), r * gain, RATE, subtype="PCM_16")
    rows.sort(key=lambda r: r["start"])
    with open(os.path.join(args.out, "events.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["class", "start", "end", "snr", "kind", "package", "file", "straddles", "heldout"])
        for r in rows:
            straddles = bool(np.any((edges > r["start"]) & (edges < r["end"])))
            w.writerow([r["class"], f"{r['start']:.3f}", f"{r['end']:.3f}", f"{r['snr']:.2f}", r["kind"], r["package"], r["file"],
                        int(straddles), "package" if r["package"] in WHOLE_PACKAGES else "file"])
    items = [{"mixture": "mix.wav", "prompt": train_captions(c)[0], "reference": f"ref_{c}.wav", "class": c, "events": "events.csv"}
             for c in sorted(events)]
    items += [{"mixture": "mix.wav", "prompt": train_captions(c)[0], "class": c, "events": "events.csv"} for c in absent]
    with open(os.path.join(args.out, "soundscape.json"), "w") as f:
        json.dump({"schema": "samaudio.eval/v1", "sampleRate": RATE, "minutes": args.minutes, "seed": args.seed,
                   "wholePackages": [] if args.validation else sorted(WHOLE_PACKAGES),
                   "use": "validation (the corpus's held-out split)" if args.validation else "evaluation (reserved packages)", "grid": {"windowSeconds": WINDOW, "hopSeconds": HOP},
                   "items": items}, f, indent=1)
    ev = [r for r in rows if r["kind"] == "event"]
    crossing = sum(bool(np.any((edges > r["start"]) & (edges < r["end"]))) for r in ev)
    print(f"{total / 60:.0f} min: {len(ev)} events ({crossing} across a window edge, "
          f"{sum(r['package'] in WHOLE_PACKAGES for r in ev)} from whole held-out packages), "
          f"{len(rows) - len(ev)} distractors, gain {gain:.3f} -> {args.out}")


if __name__ == "__main__":
    main()
