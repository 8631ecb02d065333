#!/usr/bin/env bash
# Regenerates the FLAC reader's fixtures and reference-hashes.txt. Needs Debian's flac (1.4.2 was used) and
# python3; the tests need neither: they compare our decode with the SHA-256 of the reference decoder's output.
# Signals are deterministic (signal.py); variable.py writes the variable-block-size files flac cannot make.
set -euo pipefail
cd "$(dirname "$0")"
rm -f ./*.flac

encode() { # name channels bits rate seconds zero-low-bits flac-options...
    local name=$1 channels=$2 bits=$3 rate=$4 seconds=$5 zero=$6
    shift 6
    python3 signal.py "$channels" "$bits" "$rate" "$seconds" "$zero" | flac --silent --force-raw-format --endian=little \
        --sign=signed --channels="$channels" --bps="$bits" --sample-rate="$rate" "$@" - -o "$name"
}

encode mono16-b1152.flac 1 16 16000 0.5 0 -8 -b 1152
encode stereo16-best.flac 2 16 44100 0.3 0 --best
encode stereo16-b192-seek.flac 2 16 16000 0.5 0 -5 -b 192 -S 20x
encode stereo24-b4608.flac 2 24 48000 0.3 0 --best -b 4608
encode stereo24-noseek.flac 2 24 48000 0.3 0 --best -b 1152 --no-seektable
encode ch3-16.flac 3 16 16000 0.3 0 -8
encode ch6-24.flac 6 24 16000 0.2 0 -8 -b 576
encode ch8-16.flac 8 16 8000 0.2 0 -8
encode mono8.flac 1 8 8000 0.3 0 -8
# 24-bit samples whose low 8 bits are zero: coded with wasted bits.
encode stereo24-wasted.flac 2 24 16000 0.2 8 -8
# 32-bit stereo: the encoder codes sum and difference, so the side channel has 33 bits.
encode stereo32.flac 2 32 16000 0.1 0 -8
# Encoded from a pipe to a pipe: flac cannot go back to fill in STREAMINFO, so the length and MD5 stay zero.
python3 signal.py 2 16 16000 0.4 | flac --silent --force-raw-format --endian=little --sign=signed --channels=2 \
    --bps=16 --sample-rate=16000 -8 -b 1024 - -c > stream-unknown-length.flac
python3 variable.py variable16.flac 16 2
python3 variable.py variable20.flac 20 2
python3 variable.py variable12.flac 12 2
python3 variable.py variable20-wrong-md5.flac 20 1 --wrong-md5

# flac writes raw output for 8/16/24/32 bits only; for other depths its WAV output is left-justified in the
# container, so the data chunk is shifted back to plain signed values of ceil(bits / 8) bytes.
reference_pcm() { # file
    local bits
    bits=$(metaflac --show-bps "$1")
    if (( bits % 8 == 0 )); then
        flac --silent --decode --force-raw-format --endian=little --sign=signed -c "$1"
        return
    fi
    flac --silent --decode -c "$1" | python3 -c "
import sys
d = sys.stdin.buffer.read(); i = d.find(b'data') + 8; w = ($bits + 7) // 8; shift = 8 * w - $bits
sys.stdout.buffer.write(b''.join((int.from_bytes(d[j:j + w], 'little', signed=True) >> shift).to_bytes(w, 'little', signed=True)
                                 for j in range(i, len(d) - w + 1, w)))"
}

: > reference-hashes.txt
for f in *.flac; do
    [[ $f == *wrong-md5* ]] || flac --silent --test "$f"
    hash=$( { reference_pcm "$f" || [[ $f == *wrong-md5* ]]; } | sha256sum | cut -d' ' -f1) # flac exits 1 on the MD5 it checks
    echo "$f $hash" >> reference-hashes.txt
done
cat reference-hashes.txt
du -ch ./*.flac | tail -1
