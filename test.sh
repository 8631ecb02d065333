#!/usr/bin/env bash
# Runs every SamAudio test: starts Azurite (local Blob/Queue service) on free ports, runs `dotnet test`,
# always stops Azurite, and prints the totals as one line "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")"

if [ ! -x node_modules/.bin/azurite ]; then
  echo "Installing Azurite (pinned in package.json) locally..."
  npm install --no-audit --no-fund --loglevel=error >/dev/null || { echo "npm install failed"; exit 1; }
fi

# Three free ports, asked of the system with Node.js (Azurite needs it anyway): held open together, so they differ.
free_ports() {
  node -e 'const net = require("net"); const servers = [0, 1, 2].map(() => net.createServer());
    Promise.all(servers.map(s => new Promise(ok => s.listen(0, "127.0.0.1", ok))))
      .then(() => { console.log(servers.map(s => s.address().port).join(" ")); servers.forEach(s => s.close()); });'
}
workspace=$(mktemp -d)
read -r blob_port queue_port table_port < <(free_ports)
[ -n "${table_port:-}" ] || { echo "could not find free ports (node failed)"; exit 1; }
node_modules/.bin/azurite --silent --skipApiVersionCheck --loose --location "$workspace" --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --blobPort "$blob_port" --queuePort "$queue_port" --tablePort "$table_port" >"$workspace/azurite.log" 2>&1 &
azurite_pid=$!
cleanup() { kill "$azurite_pid" 2>/dev/null; wait "$azurite_pid" 2>/dev/null; rm -rf "$workspace"; }
trap cleanup EXIT

for _ in $(seq 1 50); do
  (exec 3<>/dev/tcp/127.0.0.1/"$blob_port") 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/"$queue_port") 2>/dev/null && break
  sleep 0.2
done
export SAMAUDIO_TEST_STORAGE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;"

results=$(mktemp -d)
dotnet test SamAudio.Functions.sln --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  total=$(get total); p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); x=$(get executed)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0})); skipped=$((skipped + ${total:-0} - ${x:-0}))
done
rm -rf "$results"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
exit "$status"
