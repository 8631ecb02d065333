#!/usr/bin/env bash
# Regenerates the small compressed test recordings (each < 50 KB) from one deterministic source signal.
# Needs Debian's sox, flac, lame, vorbis-tools and opus-tools. The tests compare each decode with the decode of the WAV
# made here (exact for FLAC, an SNR bound for MP3/Vorbis), so regenerating with other tool versions is safe.
set -euo pipefail
cd "$(dirname "$0")"

# Stereo, 16 kHz, 0.75 s: left a 440 Hz sine, right a 1 kHz sine at a different level (channels differ).
sox -n -r 16000 -c 2 -b 16 stereo16.wav synth 0.75 sine 440 sine 1000 remix 1v0.5 2v0.25
# Mono 24-bit: a 3 kHz sine with 24-bit detail (the low byte is not zero).
sox -n -r 16000 -c 1 -b 24 mono24.wav synth 0.75 sine 3000 vol 0.7 dither -s
flac --silent --force --best stereo16.wav -o stereo16.flac
flac --silent --force --best mono24.wav -o mono24.flac 2>/dev/null
# MP3 with the LAME tag (encoder delay and padding recorded there, so the decoder can trim to the exact length).
lame --quiet -b 128 stereo16.wav stereo16.mp3
# MP3 without the LAME/Xing tag (-t): decoders cannot know the encoder delay and padding.
lame --quiet -t -b 128 stereo16.wav stereo16-notag.mp3
oggenc --quiet -q 6 stereo16.wav -o stereo16.ogg
# Ogg Opus, stereo and mono, a page per 100 ms so seeks start mid-file (opusenc resamples to 48 kHz and records
# the pre-skip and the exact end granule).
opusenc --quiet --bitrate 64 --max-delay 100 stereo16.wav stereo16.opus
sox stereo16.wav -c 1 mono16.wav remix 1
opusenc --quiet --bitrate 32 --max-delay 100 mono16.wav mono16.opus
rm mono16.wav
# 8 s of a mono sweep in three Ogg pages (headers, audio to granule 88704, last audio page): cut tests.
sox -n -r 16000 -c 1 -b 16 long.wav synth 8 sine 200-3000 vol 0.5
oggenc --quiet -q 2 long.wav -o long.ogg
# The same sweep as Ogg Opus (about a page a second): seeks that start a fresh decoder mid-file.
opusenc --quiet --bitrate 24 long.wav long.opus
rm long.wav
# The FLAC again under a misleading extension: the reader must sniff bytes, not names.
cp stereo16.flac flac-content.wav
ls -l
