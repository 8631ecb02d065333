#!/usr/bin/python3
"""Builds the samaudio-mini clip library (16 kHz mono) from installed Debian packages, deterministically.

Run install_sources.sh first. Writes (all paths relative to this folder):
  sources.json            one row per clip: class, split, package, path, licence, attribution, rate, seconds, synthesized
  captions.json           captions per class (train / held-out)
  work/captions.txt       every caption, one per line, for embedder/ (caption_embeddings.json)
  work/library_train.npz  int16 audio of the training clips, concatenated, with offsets and class ids
  work/library_test.npz   the same for the held-out clips
No audio is committed: work/ is git-ignored.
"""
import fnmatch
import functools
import glob
import hashlib
import io
import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

from classes import CLASSES, heldout_captions, train_captions

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, "work")
RATE = 16000
# per class; the held-out caps are those of pack 2.0.0, so its held-out library and evaluation set are unchanged
CAP_SECONDS = {"train": 240.0, "test": 24.0}
SPEECH_CAP_SECONDS = {"train": 400.0, "test": 30.0}
FILE_CAP_SECONDS = {"train": 60.0, "test": 30.0}
MIN_SECONDS = 0.25
OPENSFX = "/usr/share/games/openttd/baseset/opensfx/opensfx.cat"
# SoundFont key (after "@" in a midi source) -> (file, label, package, licence, attribution, native rate)
SOUNDFONTS = {
    "fluid": ("/usr/share/sounds/sf2/FluidR3_GM.sf2", "FluidR3_GM", "fluid-soundfont-gm", "MIT",
              "FluidR3_GM SoundFont, Frank Wen and contributors; rendered with fluidsynth", 44100),
    # a second sampler: its piano is another instrument (a Steinway D, not FluidR3's), the rest partly re-edited
    "musescore": ("/usr/share/sounds/sf3/MuseScore_General.sf3", "MuseScore_General", "musescore-general-soundfont",
                  "MIT (some samples public domain / CC0; see MuseScore_General_HQ_Sample_Sources.csv)",
                  "MuseScore_General SoundFont, S. Christian Collins, after FluidR3 (Frank Wen); rendered with fluidsynth", 44100),
}

# path prefix (may hold glob characters, as the per-language fillets-ng folders do) -> (Debian package, licence from
# debian/copyright, attribution)
PACKAGES = [
    ("/usr/share/tuxpaint/stamps", "tuxpaint-stamps-default", "GPL-2 (Debian); some household sounds GFDL per upstream changelog",
     "Tux Paint stamps, New Breed Software and contributors"),
    ("/usr/share/qabcs", "qabcs-data", "GPL-3+", "qABCs, Alexander Lopatin and contributors"),
    ("/usr/share/sonic-pi", "sonic-pi-samples", "CC0-1.0", "Sonic Pi samples (freesound contributors, CC0)"),
    ("/usr/share/games/megaglest", "megaglest-data", "CC-BY-SA-3.0", "MegaGlest team"),
    ("/usr/share/games/scorched3d/data/globalmods/apoc", "scorched3d-data", "CC-BY-SA-3.0", "Scorched3D Apocalypse mod authors"),
    ("/usr/share/games/scorched3d", "scorched3d-data", "GPL-2+", "Scorched3D, Gavin Camp and contributors"),
    ("/usr/share/games/ufoai", "ufoai-sound", "GPL-2+", "UFO: Alien Invasion team"),
    ("/usr/share/games/minetest", "minetest-data", "CC-BY-SA-3.0 (minetest_game media; some CC0/CC-BY-3.0)", "Minetest Game contributors"),
    ("/usr/share/lmms", "lmms-common", "GPL-2+", "LMMS developers"),
    ("/usr/share/games/lincity-ng", "lincity-ng-data", "GPL-2+", "LinCity-NG team"),
    ("/usr/share/asterisk/sounds/en_US_f_Allison", "asterisk-core-sounds-en-g722", "CC-BY-SA-3.0", "Asterisk core sounds, voice Allison Smith (Digium)"),
    ("/usr/share/asterisk/sounds/fr_CA_f_June", "asterisk-core-sounds-fr-g722", "CC-BY-SA-3.0", "Asterisk core sounds, voice June Wallack (Digium)"),
    ("/usr/share/asterisk/sounds/it_IT_m_Carlo", "asterisk-core-sounds-it-g722", "CC-BY-3.0", "Asterisk core sounds, voice Carlo Flora"),
    ("/usr/share/festival/voices/russian", "festvox-ru", "BSD-like (festvox-ru copyright)", "msu_ru_nsh voice database, Nickolay V. Shmyrev"),
    ("/usr/share/pocketsphinx", "pocketsphinx-testdata", "BSD-2-Clause (LibriVox excerpts public domain)", "CMU Sphinx test data, LibriVox"),
    ("/usr/share/buckle", "bucklespring-data", "GPL-2+", "bucklespring, Ico Doornekamp (IBM Model M recordings)"),
    ("/usr/share/sounds/linphone", "linphone-common", "GPL-3+", "Linphone, Belledonne Communications"),
    ("/usr/share/games/openttd", "openttd-opensfx", "per entry (see attribution)", "OpenSFX"),
    ("/usr/share/games/widelands", "widelands-data", "GPL-2+", "Widelands development team"),
    ("/usr/share/games/0ad", "0ad-data", "CC-BY-SA-3.0", "0 A.D., Wildfire Games"),
    ("/usr/share/games/wesnoth", "wesnoth-1.16-data", "GPL-2+", "Battle for Wesnoth project"),
    ("/usr/share/games/lugaru", "lugaru-data", "CC-BY-SA-3.0", "Lugaru, Wolfire Games and contributors"),
    ("/usr/share/games/supertuxkart", "supertuxkart-data", "GPL-3+ (Debian); per-file credits upstream", "SuperTuxKart team"),
    ("/usr/share/games/supertux2", "supertux-data", "GPL-3+", "SuperTux team"),
    ("/usr/share/games/simutrans", "simutrans-pak64", "Artistic-1.0", "Simutrans pak64 team"),
    ("/usr/share/games/searchandrescue", "searchandrescue-data", "GPL (version not stated)", "Search and Rescue, WolfPack Entertainment"),
    ("/usr/share/hydrogen/data/drumkits/The Black Pearl", "hydrogen-drumkits", "GPL-2", "The Black Pearl kit, Glen MacArthur"),
    ("/usr/share/hydrogen/data/drumkits/ColomboAcousticDrumkit", "hydrogen-drumkits", "GPL-2+ with composition exception",
     "Colombo acoustic kit, Marcos Guglielmetti"),
    ("/usr/share/games/openarena", "openarena-data", "GPL-2+", "OpenArena team"),
    ("/usr/share/games/trigger-rally", "trigger-rally-data", "GPL-2+", "Trigger Rally team"),
    ("/usr/share/games/warzone2100", "warzone2100-data", "GPL-2+", "Warzone 2100 Project"),
    ("/usr/share/GrandOrgue", "grandorgue-demo", "GPL-2+ or CC-BY-SA-2.5", "GrandOrgue demo sample set"),
    ("/usr/share/sounds/sound-icons", "sound-icons", "GPL-2+", "sound-icons, Brailcom"),
    ("/usr/share/doc/chuck-data", "chuck-data", "GPL-2.0+", "ChucK examples, Ge Wang, Perry Cook and contributors"),
    ("/usr/share/games/xboard", "xboard", "GPL-3+", "XBoard project"),
    ("/usr/share/asterisk/sounds/ru_RU_f_IvrvoiceRU", "asterisk-core-sounds-ru-g722", "CC-BY-3.0",
     "Asterisk core sounds, Russian voice (Maxim Topal / ivrvoice.ru)"),
    ("/usr/share/games/fillets-ng/sound/*/cs/", "fillets-ng-data-cs", "GPL-2", "Fish Fillets NG, ALTAR interactive; Czech voice actors"),
    ("/usr/share/games/fillets-ng/sound/*/nl/", "fillets-ng-data-nl", "GPL-2", "Fish Fillets NG, ALTAR interactive; Dutch voice actors"),
    ("/usr/share/gcompris-qt", "gcompris-qt-data", "per file (see gcompris_licence)", "GCompris, KDE"),
]

# GCompris member path -> (licence, attribution), from gcompris-qt-data's debian/copyright (3.1-2)
GCOMPRIS_LICENCES = [
    ("*/instruments/resource/*.ogg", "GPL-3+", "GCompris instruments, Sylvain Dechy, Jérome Blanchard, julie jules, chloé tuvuku"),
    ("*/explore_farm_animals/resource/animals/*", "GPL-3", "GCompris farm animals, Bruno Coudoin and others"),
    ("*/memory-sound/resource/*_LA*.ogg", "Free Art License (free-art)", "GCompris sound memory, Lionel Allorge and Yves Combe"),
    # outside the free-art stanza's globs, so under "Files: *" (the LA in the name suggests Lionel Allorge's set)
    ("*/memory-sound/resource/LR*LACut.ogg", "GPL-3+ (Files: *)", "GCompris sound memory (GCompris authors)"),
    ("*/guessnumber/resource/helicopter.wav", "CC-BY-3.0", "fridobeck, freesound.org sound 194250 (in GCompris)"),
]


def package_of(path):
    for prefix, package, licence, attribution in PACKAGES:
        if fnmatch.fnmatch(path, prefix + "*"):
            return package, licence, attribution
    raise KeyError(f"no package known for {path}")


def to_16k(audio, rate):
    if audio.ndim > 1:
        audio = audio.mean(axis=1)
    audio = audio.astype(np.float64)
    if rate != RATE:
        g = np.gcd(int(rate), RATE)
        audio = resample_poly(audio, RATE // g, int(rate) // g)
    return audio.astype(np.float32)


def decode_bytes(data, name):
    """Returns (16 kHz mono float32, native rate); an empty clip where neither libsndfile nor ffmpeg can read it."""
    try:
        return _decode_bytes(data, name)
    except (sf.LibsndfileError, subprocess.CalledProcessError, ValueError, IndexError) as error:
        print(f"warning: cannot decode {name}: {error}", file=sys.stderr)
        return np.zeros(0, dtype=np.float32), RATE


def _decode_bytes(data, name):
    if name.endswith(".g722"):
        out = subprocess.run(["ffmpeg", "-v", "error", "-f", "g722", "-i", "pipe:0", "-ac", "1", "-ar", str(RATE), "-f", "f32le", "pipe:1"],
                             input=data, capture_output=True, check=True).stdout
        return np.frombuffer(out, dtype=np.float32).copy(), 16000
    try:
        audio, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except sf.LibsndfileError:  # a few WAVs carry headers libsndfile refuses; ffmpeg reads them
        probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=sample_rate", "-of", "csv=p=0", "pipe:0"],
                               input=data, capture_output=True, check=True).stdout
        rate = int(probe.split()[0])
        out = subprocess.run(["ffmpeg", "-v", "error", "-i", "pipe:0", "-ac", "1", "-ar", str(rate), "-f", "f32le", "pipe:1"],
                             input=data, capture_output=True, check=True).stdout
        audio = np.frombuffer(out, dtype=np.float32).reshape(-1, 1)
    return to_16k(audio, rate), rate


def trim(audio, floor_db=-45.0):
    """Drops leading/trailing frames more than 45 dB below the loudest 20 ms frame."""
    frame = 320
    n = len(audio) // frame
    if n == 0:
        return audio
    rms = np.sqrt(np.mean(audio[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12)
    keep = np.nonzero(rms > rms.max() * 10 ** (floor_db / 20))[0]
    return audio[keep[0] * frame: (keep[-1] + 1) * frame]


def opensfx_entries():
    data = open(OPENSFX, "rb").read()
    count = (struct.unpack_from("<I", data, 0)[0] & 0x7FFFFFFF) // 8
    entries = {}
    for i in range(count):
        offset, size = struct.unpack_from("<II", data, i * 8)
        offset &= 0x7FFFFFFF
        length = data[offset]
        name = data[offset + 1: offset + 1 + length].rstrip(b"\0").decode("latin1")
        entries[i] = (name, data[offset + 1 + length: offset + size])
    return entries


@functools.lru_cache(maxsize=None)  # several classes draw on one bundle; read and inflate it once
def qt_resources(path):
    """Files of a compiled Qt resource bundle (.rcc) as {"/member/path": bytes}.

    GCompris ships its activities' sounds inside .rcc bundles, and no Debian package reads them from Python, so this
    follows Qt's documented format: a "qres" header (version, tree, data and name offsets), a tree of 14-byte (v1)
    or 22-byte (v2+) nodes, names as UTF-16BE, data blocks with a 4-byte size, zlib-compressed when flag 1 is set."""
    data = open(path, "rb").read()
    if data[:4] != b"qres":
        raise ValueError(f"{path} is not a Qt resource bundle")
    version, tree, blobs, names = struct.unpack_from(">IIII", data, 4)
    node_size = 14 if version == 1 else 22
    files = {}

    def name_at(offset):
        length = struct.unpack_from(">H", data, names + offset)[0]
        return data[names + offset + 6: names + offset + 6 + 2 * length].decode("utf-16-be")

    def walk(index, prefix):
        at = tree + index * node_size
        name_offset, flags = struct.unpack_from(">IH", data, at)
        name = name_at(name_offset) if index else ""
        if flags & 2:  # directory
            count, first = struct.unpack_from(">II", data, at + 6)
            for child in range(first, first + count):
                walk(child, f"{prefix}{name}/")
            return
        if flags & 4:
            raise ValueError(f"{path}: zstd-compressed members are not supported")
        offset = blobs + struct.unpack_from(">I", data, at + 10)[0]
        size = struct.unpack_from(">I", data, offset)[0]
        blob = data[offset + 4: offset + 4 + size]
        files[f"{prefix}{name}"] = zlib.decompress(blob[4:]) if flags & 1 else blob

    walk(0, "")
    return files


def gcompris_licence(member):
    for pattern, licence, attribution in GCOMPRIS_LICENCES:
        if fnmatch.fnmatch(member, pattern):
            return licence, attribution
    raise KeyError(f"no licence recorded for GCompris member {member}")


def opensfx_licence(name):
    for key, licence in (("Zero", "CC0-1.0"), ("ShareAlike", "CC-BY-SA-3.0"), ("Attribution", "CC-BY-3.0")):
        if key in name:
            return licence
    return "see opensfx license.txt"


def expand(kind, arg):
    """Yields (path label, bytes, package, licence, attribution) for file-like sources."""
    if kind == "file" or (kind == "seq" and "::" not in arg):
        paths = sorted(p for p in glob.glob(arg) if "_desc" not in p)
        if not paths:
            raise FileNotFoundError(arg)
        for path in paths:
            package, licence, attribution = package_of(path)
            yield path, open(path, "rb").read(), package, licence, attribution
    elif kind in ("zip", "seq"):
        archive, pattern = arg.split("::")
        package, licence, attribution = package_of(archive)
        with zipfile.ZipFile(archive) as z:
            names = sorted(n for n in z.namelist() if fnmatch.fnmatch(n, pattern))
            if not names:
                raise FileNotFoundError(arg)
            for name in names:
                yield f"{archive}::{name}", z.read(name), package, licence, attribution
    elif kind == "rcc":
        archive, pattern = arg.split("::")
        package, _, _ = package_of(archive)
        members = qt_resources(archive)
        names = sorted(n for n in members if fnmatch.fnmatch(n, pattern))
        if not names:
            raise FileNotFoundError(arg)
        for name in names:
            licence, attribution = gcompris_licence(name)
            yield f"{archive}::{name}", members[name], package, licence, attribution
    elif kind == "sfx":
        name, data = opensfx_entries()[int(arg)]
        yield f"{OPENSFX}#{arg}", data, "openttd-opensfx", opensfx_licence(name), f"OpenSFX entry {arg}: {name}"
    else:
        raise ValueError(kind)


def median_f0(audio):
    """Median fundamental frequency (Hz) of the voiced 40 ms frames of a 16 kHz clip, 0 when too little is voiced.

    Normalised autocorrelation, 70-400 Hz; a frame is voiced when it lies within 30 dB of the loudest frame and its
    best lag correlates above 0.5. Coarse, but enough to tell a male voice (~100-150 Hz) from a female one (~180-260).
    Written here because Debian bookworm packages no Python pitch tracker (no librosa; scipy has none)."""
    frame, hop = 640, 160
    count = (len(audio) - frame) // hop
    if count <= 0:
        return 0.0
    frames = audio[np.arange(frame)[None, :] + hop * np.arange(count)[:, None]] * np.hanning(frame)
    rms = np.sqrt((frames ** 2).mean(1))
    frames = frames[rms > rms.max() * 10 ** (-30 / 20)]
    power = np.abs(np.fft.rfft(frames, 2 * frame)) ** 2
    correlation = np.fft.irfft(power)[:, :frame]
    correlation /= np.maximum(correlation[:, :1], 1e-12)
    low, high = RATE // 400, RATE // 70
    lag = low + correlation[:, low:high].argmax(1)
    voiced = correlation[np.arange(len(lag)), lag] > 0.5
    return float(np.median(RATE / lag[voiced])) if voiced.sum() >= 10 else 0.0


# ---- deterministic synthesisers (hum, hiss, siren) ------------------------------------------------------------

def synth(kind, seed, seconds=6.0):
    rng = np.random.default_rng(1000 + seed)
    t = np.arange(int(seconds * RATE)) / RATE
    if kind == "hum":
        f0 = rng.choice([50.0, 60.0]) * (1 + rng.uniform(-0.01, 0.01))
        x = np.zeros_like(t)
        for h in range(1, 16):
            amp = rng.uniform(0.2, 1.0) / h ** rng.uniform(0.5, 1.5) * (1.5 if h % 2 == 1 and rng.random() < 0.5 else 1.0)
            x += amp * np.sin(2 * np.pi * f0 * h * t + rng.uniform(0, 2 * np.pi))
        x *= 1 + 0.05 * np.sin(2 * np.pi * rng.uniform(0.1, 1.0) * t)
        x += rng.normal(0, 0.003, len(t))
    elif kind == "hiss":
        spec = np.fft.rfft(rng.normal(0, 1, len(t)))
        f = np.fft.rfftfreq(len(t), 1 / RATE)
        tilt = rng.uniform(-0.5, 0.6)
        shape = (np.maximum(f, 50) / 1000.0) ** tilt
        shape *= 1 / (1 + (rng.uniform(30, 300) / np.maximum(f, 1)) ** 2)  # gentle low cut
        x = np.fft.irfft(spec * shape, n=len(t))
    elif kind == "siren":
        lo, hi = rng.uniform(500, 800), rng.uniform(1100, 1600)
        period = rng.choice([rng.uniform(2.0, 5.0), rng.uniform(0.25, 0.4)])  # wail or yelp
        phase_lfo = 2 * np.pi * t / period
        freq = lo + (hi - lo) * 0.5 * (1 - np.cos(phase_lfo))
        phase = 2 * np.pi * np.cumsum(freq) / RATE
        x = np.tanh(rng.uniform(1.5, 4.0) * np.sin(phase))
        echo = int(rng.uniform(0.02, 0.08) * RATE)
        x[echo:] += 0.3 * x[:-echo]
    else:
        raise ValueError(kind)
    x = x / (np.max(np.abs(x)) + 1e-9) * 0.5
    return x.astype(np.float32)


# ---- General MIDI renders through fluidsynth ---------------------------------------------------------------

def midi_file(program, seed, seconds=30.0):
    rng = random.Random(seed)
    tempo_ticks = 480  # ticks per quarter at 120 bpm: 960 ticks per second
    events = []  # (tick, bytes)
    t = 0
    root = rng.choice([48, 53, 55, 57, 60, 62])
    scale = [0, 2, 4, 5, 7, 9, 11, 12, 14, 16]
    chords = program in (0, 1, 16, 19, 24, 25, 27)
    lo, hi = {0: (36, 84), 1: (36, 84), 16: (36, 84), 19: (36, 79), 24: (40, 76), 25: (40, 76), 27: (40, 76), 40: (55, 88),
              41: (48, 84), 56: (55, 82), 57: (40, 70), 61: (48, 80), 72: (74, 100), 73: (60, 93)}[program]
    while t < seconds * 960:
        dur = int(rng.choice([0.15, 0.25, 0.25, 0.5, 0.5, 0.75, 1.0]) * 960 * rng.uniform(0.8, 1.3))
        base = root + rng.choice(scale) + 12 * rng.choice([-1, 0, 0, 1])
        notes = [min(max(base, lo), hi)]
        if chords and rng.random() < 0.4:
            notes += [min(notes[0] + 4, hi), min(notes[0] + 7, hi)]
        vel = rng.randint(60, 115)
        for n in notes:
            events.append((t, bytes([0x90, n, vel])))
            events.append((t + int(dur * rng.uniform(0.7, 1.0)), bytes([0x80, n, 0])))
        t += dur + (int(rng.uniform(0, 0.3) * 960) if rng.random() < 0.2 else 0)
    events.sort(key=lambda e: (e[0], e[1][0] == 0x90))
    track = bytearray(b"\x00\xff\x51\x03\x07\xa1\x20" + bytes([0, 0xC0, program]))
    last = 0
    for tick, data in events:
        delta = tick - last
        last = tick
        var = [delta & 0x7F]
        delta >>= 7
        while delta:
            var.insert(0, 0x80 | (delta & 0x7F))
            delta >>= 7
        track += bytes(var) + data
    track += b"\x00\xff\x2f\x00"
    return b"MThd" + struct.pack(">IHHH", 6, 0, 1, tempo_ticks) + b"MTrk" + struct.pack(">I", len(track)) + bytes(track)


def render_midi(program, seed, soundfont="fluid"):
    with tempfile.TemporaryDirectory() as tmp:
        mid, wav = os.path.join(tmp, "x.mid"), os.path.join(tmp, "x.wav")
        open(mid, "wb").write(midi_file(program, seed))
        subprocess.run(["fluidsynth", "-ni", "-q", "-g", "0.6", "-r", str(RATE), "-F", wav, SOUNDFONTS[soundfont][0], mid],
                       check=True, capture_output=True)
        audio, rate = sf.read(wav, dtype="float32", always_2d=True)
    return to_16k(audio, rate)


# ---- sequences of short hits ------------------------------------------------------------------------------

def sequence(hits, names, style, seed, seconds=6.0):
    rng = random.Random(seed)
    out = np.zeros(int(seconds * RATE), dtype=np.float32)

    def put(at, clip, gain):
        at = int(at * RATE)
        if at >= len(out):
            return
        n = min(len(clip), len(out) - at)
        out[at: at + n] += gain * clip[:n]

    if style == "typing":
        presses = [i for i, n in enumerate(names) if n.endswith("-0.wav")]
        t = rng.uniform(0, 0.2)
        while t < seconds:
            i = rng.choice(presses)
            put(t, hits[i], rng.uniform(0.6, 1.0))
            release = names[i].replace("-0.wav", "-1.wav")
            if release in names:
                put(t + rng.uniform(0.06, 0.12), hits[names.index(release)], rng.uniform(0.5, 0.9))
            t += rng.uniform(0.08, 0.3) + (rng.uniform(0.3, 0.8) if rng.random() < 0.08 else 0)
    elif style == "drums":
        groups = {"kick": [], "snare": [], "hat": [], "other": []}
        for i, n in enumerate(names):
            b = os.path.basename(n).lower()
            key = ("kick" if any(k in b for k in ("kick", "bassdrum", "bass_hard", "bass_soft")) else
                   "snare" if any(k in b for k in ("snare", "clap")) and "rimshot" not in b else
                   "hat" if any(k in b for k in ("hihat", "hatclosed", "cymbal_closed", "shaker", "cymbal_pedal", "hat-closed")) else "other")
            groups[key].append(i)
        for key in groups:
            if not groups[key]:
                groups[key] = list(range(len(names)))
        pick = {k: rng.choice(v) for k, v in groups.items()}
        eighth = 60.0 / rng.uniform(90, 140) / 2
        step = 0
        while step * eighth < seconds:
            at = step * eighth
            if step % 8 in (0, 5) or (step % 8 == 3 and rng.random() < 0.3):
                put(at, hits[pick["kick"]], rng.uniform(0.8, 1.0))
            if step % 8 in (2, 6):
                put(at, hits[pick["snare"]], rng.uniform(0.7, 1.0))
            put(at, hits[pick["hat"]], rng.uniform(0.3, 0.6))
            if rng.random() < 0.06:
                put(at, hits[rng.choice(groups["other"])], rng.uniform(0.5, 0.9))
            step += 1
    else:  # footsteps
        period = rng.uniform(0.45, 0.65)
        surface = rng.choice(sorted({os.path.basename(n).rstrip("0123456789.ogg").split("_footstep")[0] for n in names}))
        pool = [i for i, n in enumerate(names) if surface in os.path.basename(n)] or list(range(len(names)))
        t = rng.uniform(0, 0.3)
        while t < seconds:
            put(t, hits[rng.choice(pool)], rng.uniform(0.6, 1.0))
            t += period * rng.uniform(0.9, 1.1)
    return out / (np.max(np.abs(out)) + 1e-9) * 0.5


def seq_style(name):
    return {"typing": "typing", "drums": "drums", "footsteps": "footsteps"}[name]


# ---- library ----------------------------------------------------------------------------------------------

def build():
    os.makedirs(WORK, exist_ok=True)
    names = list(CLASSES)
    rows = []
    audio = {"train": [], "test": []}
    seen = set()
    for ci, name in enumerate(names):
        group, _, sources = CLASSES[name]
        caps = SPEECH_CAP_SECONDS if group == "speech" else CAP_SECONDS
        used = {"train": 0.0, "test": 0.0}
        # each training source gets an equal share of the class's cap, so no single package dominates a class
        file_sources = sum(1 for k, _, sp in sources if sp == "train" and k in ("file", "zip", "sfx", "voice", "rcc"))
        for kind, arg, split in sources:
            source_used = 0.0
            source_cap = caps[split] / max(1, file_sources) if split == "train" else caps[split]
            items = []  # (label, audio, package, licence, attribution, native rate, synthesized)
            if kind == "synth":
                what, span = arg.split(":")
                a, b = (int(v) for v in span.split("-"))
                items = [(f"synth:{what}:{s}", synth(what, s), "(synthesised by build_corpus.py)", "CC0-1.0 (generated)",
                          "SamAudio build_corpus.py", RATE, True) for s in range(a, b + 1)]
            elif kind == "midi":
                program, _, soundfont = arg.partition("@")
                program, soundfont = int(program), soundfont or "fluid"
                _, label, package, licence, attribution, native = SOUNDFONTS[soundfont]
                # FluidR3 keeps seeds 1 and 2 (its renders are unchanged); other SoundFonts play other melodies
                seeds = (1, 2) if soundfont == "fluid" else (3, 4)
                items = [(f"fluidsynth:{label}:program{program}:seed{s}", render_midi(program, 100 * program + s, soundfont), package,
                          licence, attribution, native, False) for s in seeds]
            elif kind == "seq":
                decoded = []
                for label, data, package, licence, attribution in expand(kind, arg):
                    x, rate = decode_bytes(data, label)
                    decoded.append((label, trim(x), package, licence, attribution, rate))
                hits = [d[1] for d in decoded]
                labels = [d[0] for d in decoded]
                count = 12 if split == "train" else 4
                base = 7919 * (ci + 1) + (0 if split == "train" else 100000)
                rate = min(d[5] for d in decoded)
                items = [(f"sequence of {len(hits)} hits from {arg} (seed {base + s})", sequence(hits, labels, seq_style(name), base + s),
                          decoded[0][2], decoded[0][3], decoded[0][4], rate, False) for s in range(count)]
            else:
                pitch = None
                if kind == "voice":  # "<glob>@<lo>-<hi>": files whose median F0 lies in lo..hi Hz
                    arg, _, span = arg.rpartition("@")
                    pitch = tuple(float(v) for v in span.split("-"))
                entries = list(expand("file" if kind == "voice" else kind, arg))
                if len(entries) > 12:
                    random.Random(name + arg).shuffle(entries)
                for label, data, package, licence, attribution in entries:
                    if used[split] >= caps[split] or source_used >= source_cap:
                        break
                    x, rate = decode_bytes(data, label)
                    if pitch is not None and not pitch[0] <= median_f0(x) <= pitch[1]:
                        continue
                    x = trim(x)[: int(FILE_CAP_SECONDS[split] * RATE)]
                    used[split] += len(x) / RATE
                    source_used += len(x) / RATE
                    items.append((label, x, package, licence, attribution, rate, False))
            for label, x, package, licence, attribution, rate, synthesized in items:
                clip_split = split
                if rate < 16000 and split == "test":
                    clip_split = "train"
                    print(f"warning: {label} is {rate} Hz; moved to train", file=sys.stderr)
                if len(x) < MIN_SECONDS * RATE:
                    continue
                pcm = np.clip(np.round(x / max(1e-9, np.max(np.abs(x))) * 0.9 * 32767), -32767, 32767).astype(np.int16)
                digest = hashlib.sha256(pcm.tobytes()).hexdigest()
                if digest in seen:
                    print(f"duplicate skipped: {label}", file=sys.stderr)
                    continue
                seen.add(digest)
                audio[clip_split].append((ci, pcm))
                rows.append({"id": len(rows), "class": name, "split": clip_split, "package": package, "path": label,
                             "licence": licence, "attribution": attribution, "sourceRate": int(rate),
                             "seconds": round(len(pcm) / RATE, 3), "synthesized": synthesized})
        print(f"{name:12s} train {sum(r['seconds'] for r in rows if r['class'] == name and r['split'] == 'train'):6.1f} s   "
              f"test {sum(r['seconds'] for r in rows if r['class'] == name and r['split'] == 'test'):6.1f} s")
    for split, clips in audio.items():
        lengths = np.array([len(p) for _, p in clips], dtype=np.int64)
        np.savez(os.path.join(WORK, f"library_{split}.npz"), audio=np.concatenate([p for _, p in clips]),
                 offsets=np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths=lengths,
                 classes=np.array([c for c, _ in clips], dtype=np.int64), names=np.array(names))
    with open(os.path.join(HERE, "sources.json"), "w") as f:
        json.dump({"sampleRate": RATE, "classes": names, "clips": rows}, f, indent=1)
    with open(os.path.join(HERE, "captions.json"), "w") as f:
        json.dump({n: {"group": CLASSES[n][0], "train": train_captions(n), "heldout": heldout_captions(n)} for n in names}, f, indent=1)
    with open(os.path.join(WORK, "captions.txt"), "w") as f:  # input of the embedder tool (embedder/)
        f.write("\n".join(c for n in names for c in train_captions(n) + heldout_captions(n)) + "\n")
    total = {s: sum(r["seconds"] for r in rows if r["split"] == s) for s in ("train", "test")}
    print(f"{len(names)} classes, {len(rows)} clips, train {total['train'] / 60:.1f} min, test {total['test'] / 60:.1f} min")


if __name__ == "__main__":
    build()
