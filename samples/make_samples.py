#!/usr/bin/env python3
"""Builds the sample recordings of samples/ from freely licensed real sounds in Debian packages.

Each sample is a deterministic mixture of two real recordings (one the prompt names, one background), written
in a different format so that the quick-start batch exercises every decoder: 16-bit WAV, 24-bit WAV, float WAV,
FLAC, MP3 and a stereo WAV. Sources and licences are listed in samples/README.md.

Needs Debian: python3-numpy python3-scipy python3-soundfile sox lame unzip and the source packages
tuxpaint-stamps-default qabcs-data sonic-pi-samples megaglest-data ufoai-sound.
Run from the repository root: /usr/bin/python3 samples/make_samples.py
"""
import io
import os
import subprocess
import zipfile

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

OUT = os.path.dirname(os.path.abspath(__file__))
TUX = "/usr/share/tuxpaint/stamps"
QAB = "/usr/share/qabcs/abcs/all/noises"
SPI = "/usr/share/sonic-pi/samples"
MEG = "/usr/share/games/megaglest/tilesets"
UFO = "/usr/share/games/ufoai/base/0snd.pk3"
SECONDS = 8.0


def load(path, rate):
    if "::" in path:
        archive, member = path.split("::")
        with zipfile.ZipFile(archive) as z:
            data, sr = sf.read(io.BytesIO(z.read(member)), dtype="float64", always_2d=True)
    else:
        data, sr = sf.read(path, dtype="float64", always_2d=True)
    x = data.mean(axis=1)
    g = np.gcd(int(sr), rate)
    return resample_poly(x, rate // g, int(sr) // g)


def bed(path, rate, seconds):
    """A background long enough for the sample: looped with a short crossfade."""
    x = load(path, rate)
    n = int(seconds * rate)
    fade = min(len(x) // 4, rate // 10)
    out = np.zeros(n)
    pos = 0
    while pos < n:
        seg = x.copy()
        seg[:fade] *= np.linspace(0, 1, fade)
        seg[-fade:] *= np.linspace(1, 0, fade)
        m = min(len(seg), n - pos)
        out[pos:pos + m] += seg[:m]
        pos += len(seg) - fade
    return out


def events(path, rate, seconds, starts):
    x = load(path, rate)
    out = np.zeros(int(seconds * rate))
    for s in starts:
        i = int(s * rate)
        m = min(len(x), len(out) - i)
        out[i:i + m] += x[:m]
    return out


def mix(target, background, snr_db):
    rms = lambda v: np.sqrt(np.mean(v ** 2) + 1e-12)
    background = background * (rms(target) / rms(background)) / (10 ** (snr_db / 20))
    y = target + background
    return 0.7 * y / np.max(np.abs(y))


def write_mp3(path, x, rate):
    wav = path + ".tmp.wav"
    sf.write(wav, x, rate, subtype="PCM_16")
    subprocess.run(["lame", "--quiet", "-b", "64", "--resample", str(rate // 1000), wav, path], check=True)
    os.remove(wav)


def main():
    r = 22050
    sf.write(f"{OUT}/owl-in-rain.wav", mix(events(f"{MEG}/autumn/sounds/owl.ogg", r, SECONDS, [0.5, 3.2, 5.9]),
                                           bed(f"{MEG}/autumn/sounds/rain.ogg", r, SECONDS), 0), r, subtype="PCM_16")
    r = 32000
    sf.write(f"{OUT}/rooster-in-wind.wav", mix(events(f"{TUX}/animals/birds/rooster.ogg", r, SECONDS, [1.0, 5.0]),
                                               bed(f"{MEG}/winter/sounds/wind.ogg", r, SECONDS), 0), r, subtype="PCM_24")
    r = 16000
    sf.write(f"{OUT}/frog-and-crickets.wav", mix(events(f"{TUX}/animals/amphibians/frog.ogg", r, SECONDS, [0.3, 2.8, 5.3]),
                                                 bed(f"{UFO}::sound/ambience/cricket_loop.ogg", r, SECONDS), 3), r, subtype="FLOAT")
    r = 44100
    sf.write(f"{OUT}/dog-and-piano.flac", mix(events(f"{QAB}/dog.ogg", r, SECONDS, [1.0, 1.7, 4.5, 6.0]),
                                              bed(f"{SPI}/ambi_piano.flac", r, SECONDS), 0), r, subtype="PCM_16")
    r = 22050
    write_mp3(f"{OUT}/crow-by-the-water.mp3", mix(events(f"{TUX}/animals/birds/crow.ogg", r, SECONDS, [0.5, 4.0]),
                                                  bed(f"{UFO}::sound/ambience/water01.ogg", r, SECONDS), 0), r)
    r = 22050
    cow = events(f"{TUX}/animals/mammals/bovines/cow.ogg", r, SECONDS, [1.0, 4.5])
    wind = bed(f"{MEG}/winter/sounds/wind.ogg", r, SECONDS)
    left, right = mix(cow, wind, 3), mix(0.6 * cow, np.roll(wind, r // 3), 3)
    sf.write(f"{OUT}/cow-stereo.wav", np.stack([left, right], axis=1), r, subtype="PCM_16")


if __name__ == "__main__":
    main()
