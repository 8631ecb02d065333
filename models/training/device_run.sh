#!/bin/sh
# Runs on a lent GPU machine inside the folder pack_device.py fills (/work/main/.devcarry): unpacks the libraries, then
# trains every run of RUNS_FILE side by side on the one GPU for BUDGET seconds each (small networks leave most of an
# H100 idle, so parallel runs cost little), and leaves each run's log and final EMA weights (NAME.log, NAME.npz: numpy,
# so that any torch version can read them back) under $OUT. unpack_device.py turns NAME.npz into a checkpoint here.
# RUNS_FILE: one run per line, "NAME train.py-options...".
# usage (device command): cd .devcarry && sh device_run.sh BUDGET_SECONDS RUNS_FILE
set -eu
budget=${1:-400}
runs=${2:-runs.txt}
python3 -c '
import glob, lzma, os
for path in glob.glob("*.xz"):
    with open(path, "rb") as f, open(path[:-3], "wb") as out:
        out.write(lzma.decompress(f.read()))
'
nvidia-smi -L || true
count=$(grep -c . "$runs")
threads=$(( $(nproc) / count ))
[ "$threads" -ge 1 ] || threads=1
while read -r name options; do
    [ -n "$name" ] || continue
    mkdir -p "/tmp/ck/$name"
    # shellcheck disable=SC2086 # options are split into arguments on purpose
    PYTHONUNBUFFERED=1 python3 train.py --data . --ckpt-dir "/tmp/ck/$name" --budget-seconds "$budget" \
        --threads "$threads" --ckpt-every 1000000 $options >"$OUT/$name.log" 2>&1 &
done <"$runs"
wait
python3 -c '
import glob, json, os
import numpy as np, torch
for path in sorted(glob.glob("/tmp/ck/*/final.pt")):
    name = path.split("/")[-2]
    state = torch.load(path, map_location="cpu", weights_only=False)
    arrays = {"ema." + k: v.float().cpu().numpy() for k, v in state["ema"].items()}
    meta = {"config": state["config"], "step": state["step"], "history": state["history"]}
    np.savez(os.path.join(os.environ["OUT"], name + ".npz"), meta=np.array(json.dumps(meta)), **arrays)
    print(name, "steps", state["step"], "weights saved")
'
for log in "$OUT"/*.log; do
    echo "== $log"
    grep -E 'steps/s|eval|done|Error|error' "$log" | tail -8
done
