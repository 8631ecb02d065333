#!/bin/sh
# Runs on a lent GPU machine inside the carried folder (pack_device.py puts it in /work/main/.devcarry):
# trains for BUDGET seconds and leaves weights-only snapshots (ema.pt, final.pt, model.pt) and the log under $OUT.
# usage (device command): cd .devcarry && sh device_run.sh BUDGET_SECONDS [more train.py options]
set -eu
budget=${1:-420}
[ $# -gt 0 ] && shift
mkdir -p "$OUT/ck"
PYTHONUNBUFFERED=1 python3 train.py --data . --ckpt-dir "$OUT/ck" --budget-seconds "$budget" --batch 128 --lr 3e-3 \
    --absent-after 0.35 --eval-every 1000 --ckpt-every 1000 --threads 8 "$@" 2>&1 | tee "$OUT/train.log" |
    grep -E 'eval|steps/s|done|device|budget|000/'
rm -f "$OUT/ck/last.pt"  # optimiser state: over the 16 MiB a file may have to come back
