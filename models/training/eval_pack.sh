#!/bin/sh
# Every evaluation the model card reports, as `samaudio eval --json` output, into ../samaudio-mini/evaluation/VERSION/
# (card.py writes the card's measured sections from there); the ones with `--background suppress` into
# evaluation/VERSION/background-suppress/.
#   eval_pack.sh VERSION [PACK]        PACK: a model pack id or folder (default samaudio-mini, the pack in the tree)
#   eval_pack.sh --tune VERSION [PACK] only the validation recording, with `--tune-activity`: activity.json there is
#                                      the pack's activity settings (export.py --activity copies it into modelpack.json)
# Needs work/eval (make_eval.py), work/soundscape (make_soundscape.py) and work/soundscape-validation
# (make_soundscape.py --validation).
# SAMAUDIO: the command that runs the CLI (default: dotnet run of the tree's Release build).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tune=""
if [ "$1" = "--tune" ]; then tune=1; shift; fi
version=$1
pack=${2:-samaudio-mini}
out="$here/../samaudio-mini/evaluation/$version"
samaudio=${SAMAUDIO:-dotnet run -c Release --project $here/../../src/SamAudio.Cli --}
mkdir -p "$out"
if [ -n "$tune" ]; then
  $samaudio eval "$here/work/soundscape-validation/soundscape.json" -m "$pack" --device cpu --json \
    --tune-activity "$out/activity.json" > "$out/validation-before-tuning.json"
  echo "wrote $out/activity.json"
  exit 0
fi
for set in seen heldout-captions absent; do
  $samaudio eval "$here/work/eval/eval-$set.json" -m "$pack" --device cpu --json > "$out/dense-$set.json"
done
$samaudio eval "$here/work/soundscape/soundscape.json" -m "$pack" --device cpu --json > "$out/soundscape.json"
$samaudio eval "$here/work/soundscape-validation/soundscape.json" -m "$pack" --device cpu --json > "$out/validation.json"
# the same evaluations with the steady background taken out of the targets (decision 0010)
mkdir -p "$out/background-suppress"
for set in seen heldout-captions absent; do
  $samaudio eval "$here/work/eval/eval-$set.json" -m "$pack" --device cpu --json --background suppress > "$out/background-suppress/dense-$set.json"
done
$samaudio eval "$here/work/soundscape/soundscape.json" -m "$pack" --device cpu --json --background suppress > "$out/background-suppress/soundscape.json"
$samaudio eval "$here/work/soundscape-validation/soundscape.json" -m "$pack" --device cpu --json --background suppress > "$out/background-suppress/validation.json"
echo "wrote $out"
