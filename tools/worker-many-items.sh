#!/usr/bin/env bash
# Measures a manifest of many items through real samaudio-worker processes for docs/benchmarks.md: ITEMS recordings
# (default 1,000; SECONDS long each, 16 kHz mono, the same samples under distinct names) are submitted and ingested
# with SHARD_SECONDS shards (several per item), WORKERS worker processes drain the queue from a local Azurite with the
# pass-through model, and `samaudio status` is timed while they run and at the end. Prints wall time, shards per
# second, per-shard seconds, status read times, and checks that nothing was lost: every item complete, every shard
# done once, job.json final.
#   tools/worker-many-items.sh            (ITEMS=1000 SECONDS=24 SHARD_SECONDS=8 WORKERS=2 REPORT=on)
# Needs only the .NET SDK and Node.js.
set -euo pipefail
items=${ITEMS:-1000}
seconds=${SECONDS_PER_ITEM:-24}
shard_seconds=${SHARD_SECONDS:-8}
workers=${WORKERS:-2}
report=${REPORT:-on}
cd "$(dirname "$0")/.."
[ -x node_modules/.bin/azurite ] || npm install --no-audit --no-fund --loglevel=error >/dev/null
dotnet build -c Release src/SamAudio.Cli >/dev/null
dotnet build -c Release src/SamAudio.Worker >/dev/null
cli="dotnet src/SamAudio.Cli/bin/Release/net10.0/samaudio.dll"
worker="dotnet src/SamAudio.Worker/bin/Release/net10.0/samaudio-worker.dll"

workspace=$(mktemp -d)
read -r blob_port queue_port table_port < <(node -e 'const net = require("net"); const s = [0, 1, 2].map(() => net.createServer());
  Promise.all(s.map(x => new Promise(ok => x.listen(0, "127.0.0.1", ok)))).then(() => { console.log(s.map(x => x.address().port).join(" ")); s.forEach(x => x.close()); });')
node_modules/.bin/azurite --silent --skipApiVersionCheck --loose --location "$workspace/azurite" --blobHost 127.0.0.1 --queueHost 127.0.0.1 \
  --tableHost 127.0.0.1 --blobPort "$blob_port" --queuePort "$queue_port" --tablePort "$table_port" >/dev/null 2>&1 &
azurite_pid=$!
worker_pids=()
cleanup() { kill "${worker_pids[@]}" "$azurite_pid" 2>/dev/null || true; rm -rf "$workspace"; }
trap cleanup EXIT
sleep 2
export SAMAUDIO_STORAGE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;"

mkdir -p "$workspace/in"
$cli bench --minutes "$(node -e "console.log($seconds / 60)")" --rate 16000 --model passthrough --keep-recording "$workspace/in/r0.wav" --quiet --json >/dev/null
node - "$workspace/in" "$items" <<'JS'
const fs = require("fs"), path = require("path");
const [dir, n] = [process.argv[2], Number(process.argv[3])];
const list = [];
for (let i = 0; i < n; i++) {
  const name = `r${i}.wav`;
  if (i > 0) fs.linkSync(path.join(dir, "r0.wav"), path.join(dir, name));
  list.push({ id: `item${String(i).padStart(4, "0")}`, recording: name });
}
fs.writeFileSync(path.join(dir, "many.json"), JSON.stringify({
  schema: "samaudio.manifest/v1", jobId: "many", model: "passthrough",
  defaults: { prompts: [{ text: "bird song", output: "target" }] }, items: list }));
JS
t0=$(date +%s.%N)
$cli submit "$workspace/in/many.json" >/dev/null
t1=$(date +%s.%N)
SamAudioShardSeconds=$shard_seconds $cli ingest many.json >"$workspace/ingest.log"
t2=$(date +%s.%N)
echo "submitted $items recordings in $(node -e "console.log(($t1 - $t0).toFixed(1))") s, ingested in $(node -e "console.log(($t2 - $t1).toFixed(1))") s"

start=$(date +%s.%N)
for i in $(seq 1 "$workers"); do
  SamAudioStorage="$SAMAUDIO_STORAGE" SamAudioReport="$report" $worker --drain >"$workspace/worker$i.log" 2>&1 &
  worker_pids+=($!)
done

# Status while the workers run: how long one read of the job takes when thousands of markers change under it.
status_times=()
while kill -0 "${worker_pids[0]}" 2>/dev/null; do
  s0=$(date +%s.%N)
  $cli status many --json >"$workspace/status.json" 2>/dev/null || true
  s1=$(date +%s.%N)
  status_times+=("$(node -e "console.log(($s1 - $s0).toFixed(2))")")
  sleep 20
done
wait "${worker_pids[@]}"
end=$(date +%s.%N)
worker_pids=()
s0=$(date +%s.%N)
$cli status many --json >"$workspace/status.json"
s1=$(date +%s.%N)

grep -h "working set" "$workspace"/worker*.log | sed -E 's/.*working set ([0-9.]+).*/\1/' | sort -n | tail -1 | sed 's/^/peak working set logged by a worker (MiB): /' || true
grep -hE "failed|Failed" "$workspace"/worker*.log | head -5 || true
echo "job completions written (must be 1): $(cat "$workspace"/worker*.log | grep -c "job.json written" || true)"
echo "deliveries that found the completion held by another worker: $(cat "$workspace"/worker*.log | grep -c "CompletionHeldElsewhere" || true)"
node - "$workspace/status.json" "$start" "$end" "$items" "$workers" "$(node -e "console.log(($s1 - $s0).toFixed(2))")" "${status_times[*]:-}" <<'JS'
const fs = require("fs");
const [file, start, end, items, workers, finalStatus, during] = process.argv.slice(2);
const status = JSON.parse(fs.readFileSync(file, "utf8"));
const wall = Number(end) - Number(start);
console.log(JSON.stringify(status.items ?? status, null, 0).slice(0, 400));
console.log(`workers ${workers}, items ${items}: wall ${wall.toFixed(0)} s from the workers' start to their exit`);
console.log(`status read: ${finalStatus} s at the end; while running: ${during || "(none)"}`);
JS
$cli fetch many --out "$workspace/out" --quiet >/dev/null
node - "$workspace/out/many" "$items" <<'JS'
const fs = require("fs"), path = require("path");
const [dir, n] = [process.argv[2], Number(process.argv[3])];
let complete = 0, shards = 0, deliveries = 0, secs = [];
for (const d of fs.readdirSync(dir)) {
  const run = path.join(dir, d, "run.json");
  if (!fs.existsSync(run)) continue;
  const r = JSON.parse(fs.readFileSync(run, "utf8"));
  if (r.status === "completed") complete++;
  for (const s of r.shards ?? []) { shards++; deliveries += s.deliveries; secs.push(s.seconds); }
}
secs.sort((a, b) => a - b);
const job = JSON.parse(fs.readFileSync(path.join(dir, "job.json"), "utf8"));
console.log(`complete items ${complete} / ${n}; shards ${shards}, deliveries ${deliveries} (one per shard when ${shards === deliveries})`);
console.log(`seconds per shard: median ${secs[secs.length >> 1].toFixed(2)}, p95 ${secs[Math.floor(secs.length * 0.95)].toFixed(2)}, max ${secs[secs.length - 1].toFixed(2)}`);
console.log(`job.json status: ${job.status}; report: ${fs.existsSync(path.join(dir, "report.html")) ? "report.html fetched" : "none"}`);
if (complete !== n) process.exit(1);
JS
