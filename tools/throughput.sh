#!/usr/bin/env bash
# The throughput table of docs/benchmarks.md (issue 19), measured side by side in one run:
#   - one prompt on a LONG_MINUTES (default 30) minute 48 kHz recording, with samaudio-mini and with the pass-through
#     model (the pipeline's own cost: its share of the samaudio-mini time);
#   - two prompts on the same recording (the extra prompt's cost against the first);
#   - batches of SHORT_COUNT (200) ten-second files and MINUTE_COUNT (40) one-minute files, 48 kHz mono;
# each as x real time and the process's peak working set (/usr/bin/time's maximum resident set size when present,
# else the bench command's own figure). Prints a Markdown table and the machine and load it ran under.
#   tools/throughput.sh            (LONG_MINUTES=30 SHORT_COUNT=200 MINUTE_COUNT=40 MODEL=samaudio-mini)
#   SAMAUDIO_DLL=/path/to/samaudio.dll tools/throughput.sh   (measures that build instead of building this tree: before/after)
#   REPEAT=3 tools/throughput.sh   (every shape REPEAT times, in rounds: the fastest run of each shape and the largest
#                                   peak; on a shared VM other tenants' bursts otherwise decide the ratios)
# x real time leaves out process start and model load on every row: the bench's own clock for the long recording,
# job.json's elapsedSeconds for the batches (wall s says the whole process for the batches).
# Needs only the .NET SDK and Node.js.
set -euo pipefail
long_minutes=${LONG_MINUTES:-30}
short_count=${SHORT_COUNT:-200}
minute_count=${MINUTE_COUNT:-40}
model=${MODEL:-samaudio-mini}
repeat=${REPEAT:-1}
cd "$(dirname "$0")/.."
if [ -z "${SAMAUDIO_DLL:-}" ]; then
  dotnet build -c Release src/SamAudio.Cli >/dev/null
fi
cli=(dotnet "${SAMAUDIO_DLL:-src/SamAudio.Cli/bin/Release/net10.0/samaudio.dll}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%M")

# Runs "$@" and prints "<seconds> <peak MiB>"; the peak is the OS's figure for the whole process when /usr/bin/time
# is there, else empty.
measure() {
  local start end peak=""
  start=$(date +%s.%N)
  if [ ${#timer[@]} -gt 0 ]; then
    "${timer[@]}" -o "$work/rss" "$@" >"$work/out" 2>"$work/err"
    peak=$(node -e "console.log((Number(require('fs').readFileSync('$work/rss','utf8').trim().split('\n').pop()) / 1024).toFixed(0))")
  else
    "$@" >"$work/out" 2>"$work/err"
  fi
  end=$(date +%s.%N)
  echo "$(node -e "console.log(($end - $start).toFixed(2))") $peak"
}

bench() { # model prompts -> "x_real_time peak_MiB seconds"
  local r
  r=$(measure "${cli[@]}" bench --minutes "$long_minutes" --rate 48000 --model "$1" --prompts "$2" --quiet --json)
  node -e "const b = JSON.parse(require('fs').readFileSync('$work/out', 'utf8')); const [s, p] = '$r'.split(' ');
    console.log(b.realTimeFactor.toFixed(1), p || b.peakWorkingSetMiB.toFixed(0), b.seconds.toFixed(1))"
}

batch() { # count seconds_each -> "x_real_time peak_MiB seconds"
  local count=$1 each=$2 dir="$work/batch-$1x$2"
  rm -rf "$dir"
  mkdir -p "$dir"
  "${cli[@]}" bench --minutes "$(node -e "console.log($each / 60)")" --rate 48000 --model passthrough --keep-recording "$dir/r0.wav" --quiet --json >/dev/null
  node - "$dir" "$count" "$model" <<'JS'
const fs = require("fs"), path = require("path");
const [dir, n, model] = [process.argv[2], Number(process.argv[3]), process.argv[4]];
const items = [];
for (let i = 0; i < n; i++) {
  if (i > 0) fs.copyFileSync(path.join(dir, "r0.wav"), path.join(dir, `r${i}.wav`));
  items.push({ id: `i${i}`, recording: `r${i}.wav` });
}
fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ schema: "samaudio.manifest/v1", jobId: "t", model,
  defaults: { prompts: [{ text: "bird song", output: "target" }] }, items }));
JS
  local r
  r=$(measure "${cli[@]}" batch "$dir/manifest.json" --out "$dir/out" --quiet --json)
  node -e "const [s, p] = '$r'.split(' '); const audio = $count * $each;
    const job = JSON.parse(require('fs').readFileSync('$dir/out/t/job.json', 'utf8'));
    console.log((audio / job.elapsedSeconds).toFixed(1), p || '-', Number(s).toFixed(1))"
}

best() { # kept_line new_line -> the faster of the two ("x_real_time peak seconds"), with the larger peak
  node -e "const a = '$1'.split(' '), b = '$2'.split(' ');
    const w = !a[0] || Number(b[0]) > Number(a[0]) ? b : a;
    const peak = Math.max(Number(a[1]) || 0, Number(b[1]) || 0);
    console.log(w[0], peak || '-', w[2])"
}

echo "measuring on $(nproc) cores, $repeat round(s), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start ($(date -u +%FT%TZ))"
l1="" lp="" l2="" ls="" lm=""
for round in $(seq 1 "$repeat"); do
  l1=$(best "$l1" "$(bench "$model" 1)")
  lp=$(best "$lp" "$(bench passthrough 1)")
  l2=$(best "$l2" "$(bench "$model" 2)")
  ls=$(best "$ls" "$(batch "$short_count" 10)")
  lm=$(best "$lm" "$(batch "$minute_count" 60)")
done
read -r x1 p1 s1 <<<"$l1"
read -r xp pp sp <<<"$lp"
read -r x2 p2 s2 <<<"$l2"
read -r xs ps ss <<<"$ls"
read -r xm pm sm <<<"$lm"
node -e "
const f = (x) => Number(x);
const share = (f('$sp') / f('$s1') * 100).toFixed(0);
const extra = ((f('$s2') - f('$s1')) / f('$s1')).toFixed(2);
console.log('| shape | model | x real time | wall s | peak working set MiB | notes |');
console.log('|---|---|---|---|---|---|');
console.log('| ${long_minutes} min, 48 kHz, 1 prompt | $model | $x1 | $s1 | $p1 | target: at least 200x |');
console.log('| ${long_minutes} min, 48 kHz, 1 prompt | passthrough | $xp | $sp | $pp | pipeline share ' + share + '% of $model (target: at most 15%) |');
console.log('| ${long_minutes} min, 48 kHz, 2 prompts | $model | $x2 | $s2 | $p2 | extra prompt ' + extra + 'x the first (target: at most 0.6x) |');
console.log('| $short_count x 10 s, 48 kHz | $model | $xs | $ss | $ps | ' + (f('$xs') / f('$x1') * 100).toFixed(0) + '% of the long recording (target: at least 80%) |');
console.log('| $minute_count x 1 min, 48 kHz | $model | $xm | $sm | $pm | ' + (f('$xm') / f('$x1') * 100).toFixed(0) + '% of the long recording (target: at least 80%) |');
"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
