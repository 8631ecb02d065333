#!/usr/bin/env bash
# Regenerates the two compressed recordings the end-to-end tests copy (the tests make every WAV themselves, but
# nothing in .NET encodes FLAC or MP3). Run once by hand; the tests never run it. Needs Debian's sox, flac and lame.
# Each file: 2 s, mono, a 440 Hz tone (peak 0.2) plus low pink noise (RMS about 0.0015, so the FLAC stays small).
# The tests check lengths and hashes of whatever these files hold, so other tool versions are fine.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

source_wav() { # rate output
  sox -R -D -n -r "$1" -b 16 -c 1 "$work/tone.wav" synth 2 sine 440
  sox -R -D -n -r "$1" -b 16 -c 1 "$work/noise.wav" synth 2 pinknoise
  sox -R -D -m -v 0.2 "$work/tone.wav" -v 0.01 "$work/noise.wav" "$2"
}

source_wav 22050 "$work/lossless.wav"
flac --silent --force --best "$work/lossless.wav" -o lossless.flac
# MP3 with the LAME tag (encoder delay and padding recorded there, so the decoder can trim to the exact length).
source_wav 44100 "$work/lossy.wav"
lame --quiet -b 96 "$work/lossy.wav" lossy.mp3
ls -l lossless.flac lossy.mp3
