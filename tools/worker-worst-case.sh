#!/usr/bin/env bash
# Measures the worker on a long recording for docs/benchmarks.md: one samaudio-worker process separates a synthetic
# recording (default 120 minutes, 48 kHz mono, 16-bit) in 10-minute shards from a local Azurite, with samaudio-mini
# and one prompt (target and residual). Prints the worker's peak working set, and per shard the bytes read from
# storage against the shard's own size and the time it took (from the item's run.json).
#   tools/worker-worst-case.sh [minutes]
# Also for scale runs: WORKERS=4 (worker processes at once), SHARD_SECONDS=56, MODEL=passthrough.
set -euo pipefail
minutes=${1:-120}
workers=${WORKERS:-1}
shard_seconds=${SHARD_SECONDS:-600}
model=${MODEL:-samaudio-mini}
cd "$(dirname "$0")/.."
[ -x node_modules/.bin/azurite ] || npm install --no-audit --no-fund --loglevel=error >/dev/null
dotnet build -c Release src/SamAudio.Cli >/dev/null
dotnet build -c Release src/SamAudio.Worker >/dev/null
cli="dotnet src/SamAudio.Cli/bin/Release/net10.0/samaudio.dll"
worker="dotnet src/SamAudio.Worker/bin/Release/net10.0/samaudio-worker.dll"

workspace=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
blob_port=$(free_port); queue_port=$(free_port)
node_modules/.bin/azurite --silent --skipApiVersionCheck --loose --location "$workspace/azurite" --blobHost 127.0.0.1 --queueHost 127.0.0.1 \
  --blobPort "$blob_port" --queuePort "$queue_port" --tablePort "$(free_port)" >/dev/null 2>&1 &
azurite_pid=$!
trap 'kill $azurite_pid 2>/dev/null; rm -rf "$workspace"' EXIT
sleep 2
export SAMAUDIO_STORAGE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;"

mkdir -p "$workspace/in"
echo "writing a ${minutes}-minute 48 kHz recording..."
$cli bench --minutes 0.1 --rate 48000 --model passthrough --quiet --json >/dev/null # warms the build
$cli bench --minutes "$minutes" --rate 48000 --model passthrough --keep-recording "$workspace/in/long.wav" --quiet --json >/dev/null
cat >"$workspace/in/worst.json" <<JSON
{ "schema": "samaudio.manifest/v1", "jobId": "worst", "model": "$model",
  "defaults": { "prompts": [ { "text": "bird song", "output": "both" } ] },
  "items": [ { "id": "long", "recording": "long.wav" } ] }
JSON
$cli submit "$workspace/in/worst.json" >/dev/null
SamAudioShardSeconds=$shard_seconds $cli ingest worst.json
start=$(date +%s.%N)
pids=()
for i in $(seq 1 "$workers"); do
  SamAudioStorage="$SAMAUDIO_STORAGE" $worker --drain >"$workspace/worker$i.log" 2>&1 &
  pids+=($!)
done
wait "${pids[@]}" # not Azurite
end=$(date +%s.%N)
cat "$workspace"/worker*.log | grep -E "working set|failed" || true
$cli fetch worst --out "$workspace/out" --quiet >/dev/null
python3 - "$workspace/out/worst/long/run.json" "$start" "$end" "$minutes" <<'PY'
import json, sys
run = json.load(open(sys.argv[1])); wall = float(sys.argv[3]) - float(sys.argv[2]); minutes = float(sys.argv[4])
rate = run["input"]["sampleRate"]; block = run["input"]["channels"] * 2
print(f"recording {minutes:.0f} min, {run['input']['sizeBytes']/2**20:.0f} MiB, {len(run['shards'])} shards; worker wall {wall:.0f} s ({minutes*60/wall:.0f}x real time, ingestion to last output)")
secs = [s["seconds"] for s in run["shards"]]
print(f"shard seconds: mean {sum(secs)/len(secs):.1f}, max {max(secs):.1f}")
print("| shard | frames written | bytes read from storage | read / shard size | seconds |")
print("|---|---|---|---|---|")
for s in run["shards"]:
    own = (s["endFrame"] - s["startFrame"]) * block
    print(f"| {s['index']} | {s['endFrame']-s['startFrame']:,} | {s['bytesRead']/2**20:.1f} MiB | {s['bytesRead']/own:.2f} | {s['seconds']:.1f} |")
PY
